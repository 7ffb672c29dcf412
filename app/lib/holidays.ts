// Swedish public holidays and the other days on which a statutory deadline
// cannot end.
//
// Lag (1989:253) om allmänna helgdagar, 1 and 2 §§, lists the public holidays
// ("allmänna helgdagar"): every Sunday (among them påskdagen and pingstdagen),
// nyårsdagen, trettondedag jul, första maj, juldagen and annandag jul even when
// they fall on a weekday, and långfredagen, annandag påsk, Kristi
// himmelsfärdsdag, nationaldagen, midsommardagen and alla helgons dag. SFS
// 2004:1320 made nationaldagen a public holiday and removed annandag pingst
// from 2005 (in force 1 April 2005, before both days that year), which is
// modelled by year.
//
// Lag (1930:173) om beräkning av lagstadgad tid, 2 § (söndagsregeln): a last
// day that falls on a Sunday, another public holiday, a Saturday,
// midsommarafton, julafton or nyårsafton moves to the next weekday. This
// module answers "is this such a day"; `deadlineFrom` in ./dates applies it.
// 2 § is applied in its current wording (nyårsafton added by SFS 2005:44).
//
// Easter is computed here (the anonymous Gregorian algorithm) rather than
// taken from a package: it is twenty lines, has no data to go stale, and the
// tests cross-check it against Gauss's algorithm and published dates.
//
// This module depends on ./dates for the PlainDate type only, so ./dates can
// import it without a cycle.
import type { PlainDate } from "./dates";

/** 1989:253 took effect on 1 January 1990; earlier years followed other statutes and are not modelled. */
export const FIRST_HOLIDAY_YEAR = 1990;
export const LAST_HOLIDAY_YEAR = 9999;

export type HolidayKind =
  /** An allmän helgdag under 1989:253 (listed by name; plain Sundays are not listed). */
  | "public_holiday"
  /** Midsommarafton, julafton, nyårsafton: not holidays, but no deadline ends on them (1930:173 2 §). */
  | "deadline_eve";

export type SwedishHoliday = { date: PlainDate; name: string; kind: HolidayKind };

// ---------------------------------------------------------------------------
// Small calendar helpers. Years are ≥ 1990 here, so Date.UTC (which maps years
// 0–99 to 1900–1999) is safe to use.

const DAY_MS = 86_400_000;

function utcDate(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

function toPlain(date: Date): PlainDate {
  return date.toISOString().slice(0, 10) as PlainDate;
}

function plusDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** The first date on or after `from` with the given weekday (0 = Sunday … 6 = Saturday). */
function firstWeekdayOnOrAfter(from: Date, weekday: number): Date {
  return plusDays(from, (weekday - from.getUTCDay() + 7) % 7);
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_HOLIDAY_YEAR || year > LAST_HOLIDAY_YEAR) {
    throw new RangeError(`Swedish holidays are computed for ${FIRST_HOLIDAY_YEAR}–${LAST_HOLIDAY_YEAR}, not ${year}`);
  }
}

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parse(date: PlainDate): { year: number; month: number; day: number; weekday: number } {
  const match = PLAIN_DATE.exec(date);
  if (!match) throw new RangeError(`Not a date as YYYY-MM-DD: ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  assertYear(year);
  const utc = utcDate(year, month, day);
  if (utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) throw new RangeError(`No such date: ${date}`);
  return { year, month, day, weekday: utc.getUTCDay() };
}

// ---------------------------------------------------------------------------
// Easter

/**
 * Påskdagen: the Sunday after the first full moon on or after 21 March, as
 * 1989:253 2 § puts it, in the ecclesiastical (Gregorian computus) sense.
 * Anonymous Gregorian algorithm (Meeus/Jones/Butcher), valid for 1583 onwards.
 */
export function easterSunday(year: number): PlainDate {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`Easter is computed for Gregorian years 1583–9999, not ${year}`);
  }
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` as PlainDate;
}

// ---------------------------------------------------------------------------
// The year's holidays

function computeYear(year: number): SwedishHoliday[] {
  const [, em, ed] = easterSunday(year).split("-").map(Number);
  const easter = utcDate(year, em, ed);
  // Midsommardagen and alla helgons dag are the Saturdays in 20–26 June and
  // 31 October–6 November (1989:253 2 §); the eve is the Friday before.
  const midsommardagen = firstWeekdayOnOrAfter(utcDate(year, 6, 20), 6);
  const allaHelgonsDag = firstWeekdayOnOrAfter(utcDate(year, 10, 31), 6);

  const holiday = (date: Date, name: string): SwedishHoliday => ({ date: toPlain(date), name, kind: "public_holiday" });
  const eve = (date: Date, name: string): SwedishHoliday => ({ date: toPlain(date), name, kind: "deadline_eve" });

  const days: SwedishHoliday[] = [
    holiday(utcDate(year, 1, 1), "nyårsdagen"),
    holiday(utcDate(year, 1, 6), "trettondedag jul"),
    holiday(plusDays(easter, -2), "långfredagen"),
    holiday(easter, "påskdagen"),
    holiday(plusDays(easter, 1), "annandag påsk"),
    holiday(utcDate(year, 5, 1), "första maj"),
    holiday(plusDays(easter, 39), "Kristi himmelsfärdsdag"),
    holiday(plusDays(easter, 49), "pingstdagen"),
    // SFS 2004:1320: nationaldagen replaced annandag pingst from 2005.
    year >= 2005 ? holiday(utcDate(year, 6, 6), "nationaldagen") : holiday(plusDays(easter, 50), "annandag pingst"),
    eve(plusDays(midsommardagen, -1), "midsommarafton"),
    holiday(midsommardagen, "midsommardagen"),
    holiday(allaHelgonsDag, "alla helgons dag"),
    eve(utcDate(year, 12, 24), "julafton"),
    holiday(utcDate(year, 12, 25), "juldagen"),
    holiday(utcDate(year, 12, 26), "annandag jul"),
    eve(utcDate(year, 12, 31), "nyårsafton"),
  ];
  // Stable sort: days that coincide (första maj and Kristi himmelsfärdsdag in
  // 2008, pingstdagen and nationaldagen in 2049) keep the order above.
  return days.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

const byYear = new Map<number, { list: readonly SwedishHoliday[]; byDate: Map<string, SwedishHoliday[]> }>();

function yearData(year: number) {
  let data = byYear.get(year);
  if (!data) {
    assertYear(year);
    const list = Object.freeze(computeYear(year).map((h) => Object.freeze(h)));
    const byDate = new Map<string, SwedishHoliday[]>();
    for (const h of list) byDate.set(h.date, [...(byDate.get(h.date) ?? []), h]);
    data = { list, byDate };
    byYear.set(year, data);
  }
  return data;
}

/**
 * The named public holidays of 1989:253 and the three deadline eves of
 * 1930:173 2 § for a year, in date order. Ordinary Sundays and Saturdays are
 * not listed; `isPublicHoliday` and `isNonBusinessDayForDeadlines` cover them.
 */
export function swedishHolidays(year: number): readonly SwedishHoliday[] {
  return yearData(year).list;
}

/** Names of the holidays and eves on a date (usually zero or one; two when they coincide). */
export function holidayNames(date: PlainDate): string[] {
  const { year } = parse(date);
  return (yearData(year).byDate.get(date) ?? []).map((h) => h.name);
}

/** An allmän helgdag under 1989:253 1 §: every Sunday and the named holidays. */
export function isPublicHoliday(date: PlainDate): boolean {
  const { year, weekday } = parse(date);
  if (weekday === 0) return true;
  return (yearData(year).byDate.get(date) ?? []).some((h) => h.kind === "public_holiday");
}

/**
 * True when a statutory last day falling on `date` moves to the next weekday
 * under 1930:173 2 §: Saturday, Sunday, another public holiday, midsommarafton,
 * julafton or nyårsafton.
 */
export function isNonBusinessDayForDeadlines(date: PlainDate): boolean {
  const { year, weekday } = parse(date);
  if (weekday === 0 || weekday === 6) return true;
  return yearData(year).byDate.has(date);
}
