// Calendar dates, Stockholm time and statutory deadlines.
//
// Two kinds of time appear in the domain and must not be mixed:
//  - calendar dates (decision day, report due date, deadline day): a
//    `PlainDate` string "YYYY-MM-DD" with no time zone, stored in Prisma
//    `@db.Date` columns, which Prisma maps to a JS Date at UTC midnight;
//  - instants (submitted at, call closes at): a JS Date, stored as
//    timestamptz, and shown in Europe/Stockholm whatever the server's TZ.
// A Date is turned into a calendar date only through `toPlainDate` (the day
// it is in Stockholm) or, for values read from a `@db.Date` column,
// `utcMidnightToPlainDate`.
//
// Calendar arithmetic is done on day numbers (days since 1970-01-01) with
// Howard Hinnant's civil-date algorithms: exact, no time zone, no DST.
import { isNonBusinessDayForDeadlines } from "./holidays";

export {
  easterSunday,
  holidayNames,
  isNonBusinessDayForDeadlines,
  isPublicHoliday,
  swedishHolidays,
  type HolidayKind,
  type SwedishHoliday,
} from "./holidays";

export const STOCKHOLM_TIME_ZONE = "Europe/Stockholm";

declare const plainDateBrand: unique symbol;
/**
 * A calendar date "YYYY-MM-DD" (years 0001–9999). Branded so that an arbitrary
 * string cannot be passed by mistake: make one with `plainDate`,
 * `parseDateInput`, `toPlainDate` or `utcMidnightToPlainDate`. It compares
 * correctly with `<` and `===`, and serialises to JSON as itself.
 */
export type PlainDate = string & { readonly [plainDateBrand]: true };

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------
// Day numbers

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month, `month` 1–12. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// ---------------------------------------------------------------------------
// PlainDate construction and parts

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validParts(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

export function isPlainDate(value: unknown): value is PlainDate {
  if (typeof value !== "string") return false;
  const match = PLAIN_DATE.exec(value);
  return match !== null && validParts(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Checks and brands a "YYYY-MM-DD" string; throws RangeError on anything else (e.g. "2025-02-29"). */
export function plainDate(value: string): PlainDate {
  if (!isPlainDate(value)) throw new RangeError(`Not a calendar date as YYYY-MM-DD: ${JSON.stringify(value)}`);
  return value;
}

/** A PlainDate from numbers, `month` 1–12. */
export function plainDateFromParts(year: number, month: number, day: number): PlainDate {
  if (!validParts(year, month, day)) throw new RangeError(`No such date: ${year}-${month}-${day}`);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` as PlainDate;
}

export function plainDateParts(date: PlainDate): { year: number; month: number; day: number } {
  const match = PLAIN_DATE.exec(date);
  if (!match || !validParts(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new RangeError(`Not a calendar date as YYYY-MM-DD: ${JSON.stringify(date)}`);
  }
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

function toDays(date: PlainDate): number {
  const { year, month, day } = plainDateParts(date);
  return daysFromCivil(year, month, day);
}

function fromDays(days: number): PlainDate {
  const { year, month, day } = civilFromDays(days);
  return plainDateFromParts(year, month, day);
}

export type DateInputResult = { ok: true; date: PlainDate } | { ok: false; message: string };

/** Reads a date typed or picked in a form (`<input type="date">` sends YYYY-MM-DD), with errors in Swedish. */
export function parseDateInput(input: string): DateInputResult {
  const text = input.trim();
  const match = PLAIN_DATE.exec(text);
  if (!match) return { ok: false, message: "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-31." };
  if (!validParts(Number(match[1]), Number(match[2]), Number(match[3]))) {
    return { ok: false, message: "Datumet finns inte i kalendern. Kontrollera månad och dag." };
  }
  return { ok: true, date: text as PlainDate };
}

// ---------------------------------------------------------------------------
// Arithmetic and comparison

export function addDays(date: PlainDate, days: number): PlainDate {
  if (!Number.isSafeInteger(days)) throw new RangeError(`Not a whole number of days: ${days}`);
  return fromDays(toDays(date) + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: PlainDate, to: PlainDate): number {
  return toDays(to) - toDays(from);
}

export function comparePlainDates(a: PlainDate, b: PlainDate): -1 | 0 | 1 {
  // Zero-padded ISO dates order the same as strings.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: PlainDate): number {
  // Day 0 (1970-01-01) was a Thursday.
  return ((((toDays(date) + 3) % 7) + 7) % 7) + 1;
}

export type PeriodUnit = "days" | "weeks" | "months" | "years";

/**
 * The last day of a period of `amount` units counted from `start`, under lag
 * (1930:173) om beräkning av lagstadgad tid, 1 §:
 *  - weeks end on the day with the same name in the last week (start + 7·n days);
 *  - months and years end on the day with the same number in the last month,
 *    or on that month's last day when it has no such number
 *    (2025-01-31 + 1 month = 2025-02-28; 2024-01-31 + 1 month = 2024-02-29;
 *    2024-02-29 + 1 year = 2025-02-28);
 *  - days, which 1 § does not regulate, are counted in calendar days from the
 *    day after `start` (start + n days), as Swedish practice does.
 * Negative amounts count backwards with the same rules. No holiday rule here:
 * see `deadlineFrom`.
 */
export function addPeriod(start: PlainDate, amount: number, unit: PeriodUnit): PlainDate {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Not a whole number of ${unit}: ${amount}`);
  switch (unit) {
    case "days":
      return addDays(start, amount);
    case "weeks":
      return addDays(start, amount * 7);
    case "months":
    case "years": {
      const months = unit === "years" ? amount * 12 : amount;
      const { year, month, day } = plainDateParts(start);
      const index = year * 12 + (month - 1) + months;
      const endYear = Math.floor(index / 12);
      const endMonth = index - endYear * 12 + 1;
      return plainDateFromParts(endYear, endMonth, Math.min(day, daysInMonth(endYear, endMonth)));
    }
    default: {
      const never: never = unit;
      throw new RangeError(`Unknown period unit: ${String(never)}`);
    }
  }
}

/**
 * Söndagsregeln, 1930:173 2 §: a last day that falls on a Sunday, another
 * public holiday, a Saturday, midsommarafton, julafton or nyårsafton moves to
 * the next day that is none of these. Other days are returned unchanged.
 */
export function applySundayRule(lastDay: PlainDate): PlainDate {
  let day = lastDay;
  while (isNonBusinessDayForDeadlines(day)) day = addDays(day, 1);
  return day;
}

/**
 * The last day to act when the time is `amount` units from `start`: the end
 * of the period under 1930:173 1 § (`addPeriod`), moved forward under 2 §
 * (`applySundayRule`). E.g. three weeks from Friday 2026-05-29 ends on
 * Friday 2026-06-19, midsommarafton, so the deadline is Monday 2026-06-22.
 * `amount` must be zero or more: the rule moves a last day forward, which
 * has no meaning for a time counted backwards.
 */
export function deadlineFrom(start: PlainDate, amount: number, unit: PeriodUnit): PlainDate {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`A deadline needs a whole, non-negative number of ${unit}: ${amount}`);
  }
  return applySundayRule(addPeriod(start, amount, unit));
}

/** True once the whole deadline day has passed in Stockholm: action is in time up to 23:59:59 that day. */
export function isPastDeadline(deadline: PlainDate, now: Date = new Date()): boolean {
  return toPlainDate(now) > deadline;
}

// ---------------------------------------------------------------------------
// Europe/Stockholm

// Explicit timeZone: the server's TZ never matters. en-US with h23 and a
// Gregorian calendar in Latin digits gives parts we read as numbers.
const STOCKHOLM_PARTS = new Intl.DateTimeFormat("en-US", {
  timeZone: STOCKHOLM_TIME_ZONE,
  calendar: "gregory",
  numberingSystem: "latn",
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function assertValidDate(date: Date): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError("Invalid Date");
}

const HOUR_MS = 3_600_000;
// Since 1980 Sweden follows the EU rule: every change of offset happens on a whole UTC
// hour (01:00 UTC), so the offset is the same for a whole UTC hour and can be kept per hour.
// Pages format many dates, and Intl's formatToParts is the costly step.
const EU_RULES_FROM = Date.UTC(1980, 0, 1);
const offsetMsByUtcHour = new Map<number, number>();

/** The date and time on a clock in Stockholm at an instant. */
function stockholmWallClock(instant: Date): WallClock {
  assertValidDate(instant);
  const t = instant.getTime();
  if (t < EU_RULES_FROM) return stockholmWallClockFromIntl(instant);
  const hour = Math.floor(t / HOUR_MS);
  let offsetMs = offsetMsByUtcHour.get(hour);
  if (offsetMs === undefined) {
    const start = new Date(hour * HOUR_MS);
    offsetMs = wallClockMs(stockholmWallClockFromIntl(start)) - start.getTime();
    if (offsetMsByUtcHour.size >= 50_000) offsetMsByUtcHour.clear();
    offsetMsByUtcHour.set(hour, offsetMs);
  }
  const local = new Date(t + offsetMs);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

function stockholmWallClockFromIntl(instant: Date): WallClock {
  const parts: Record<string, number> = {};
  for (const part of STOCKHOLM_PARTS.formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** A wall-clock reading as milliseconds "as if it were UTC", for offset arithmetic. */
function wallClockMs(w: WallClock): number {
  return daysFromCivil(w.year, w.month, w.day) * DAY_MS + ((w.hour * 60 + w.minute) * 60 + w.second) * 1000;
}

/** Stockholm's offset from UTC at an instant, in minutes: 60 (CET) or 120 (CEST). */
export function stockholmOffsetMinutes(instant: Date): number {
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((wallClockMs(stockholmWallClock(instant)) - wholeSeconds) / 60_000);
}

/** The calendar date in Stockholm at an instant (2020-03-31T22:30Z → 2020-04-01). */
export function toPlainDate(date: Date): PlainDate {
  const { year, month, day } = stockholmWallClock(date);
  return plainDateFromParts(year, month, day);
}

/** Today's date in Stockholm. */
export function todayInStockholm(now: Date = new Date()): PlainDate {
  return toPlainDate(now);
}

/** The JS Date to write to a Prisma `@db.Date` column: UTC midnight of the date. */
export function plainDateToUtcMidnight(date: PlainDate): Date {
  return new Date(toDays(date) * DAY_MS);
}

/**
 * The PlainDate of a value read from a Prisma `@db.Date` column (a Date at UTC
 * midnight). Throws on other instants: for those, `toPlainDate` says which
 * Stockholm day they fall on, which is a different question.
 */
export function utcMidnightToPlainDate(date: Date): PlainDate {
  assertValidDate(date);
  const ms = date.getTime();
  if (ms % DAY_MS !== 0) {
    throw new RangeError(`Not a date-column value at UTC midnight: ${date.toISOString()}; use toPlainDate for instants`);
  }
  return fromDays(ms / DAY_MS);
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/**
 * The instant at which clocks in Stockholm show `date` `time` ("HH:MM" or
 * "HH:MM:SS", 24-hour). Daylight saving time is handled the way Temporal's
 * default ("compatible") disambiguation does:
 *  - a time skipped when clocks go forward (last Sunday of March, 02:00–02:59)
 *    is moved forward by the gap: 2020-03-29 02:30 → 03:30 CEST (01:30 UTC);
 *  - a time that occurs twice when clocks go back (last Sunday of October,
 *    02:00–02:59) takes the earlier one, still summer time:
 *    2020-10-25 02:30 → 02:30 CEST (00:30 UTC). For a deadline that is the
 *    stricter reading.
 */
export function stockholmDateTimeToUtc(date: PlainDate | string, time: string): Date {
  const { year, month, day } = plainDateParts(date as PlainDate);
  const match = TIME.exec(time);
  if (!match) throw new RangeError(`Not a time as HH:MM: ${JSON.stringify(time)}`);
  const wanted = wallClockMs({
    year,
    month,
    day,
    hour: Number(match[1]),
    minute: Number(match[2]),
    second: Number(match[3] ?? 0),
  });

  // Stockholm's offset a day before and a day after; around a change they differ.
  const offsetBefore = stockholmOffsetMinutes(new Date(wanted - DAY_MS)) * 60_000;
  const offsetAfter = stockholmOffsetMinutes(new Date(wanted + DAY_MS)) * 60_000;
  const candidates = [wanted - offsetBefore, wanted - offsetAfter]
    .filter((ms) => wallClockMs(stockholmWallClock(new Date(ms))) === wanted)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]);
  // In the spring gap: read the time with the offset before the change,
  // which lands the same distance past the gap.
  return new Date(wanted - offsetBefore);
}

// ---------------------------------------------------------------------------
// Formatting, always in Europe/Stockholm

const MONTHS = [
  "januari",
  "februari",
  "mars",
  "april",
  "maj",
  "juni",
  "juli",
  "augusti",
  "september",
  "oktober",
  "november",
  "december",
];

function two(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * The date as ISO 8601 "2020-03-31", the numeric style Swedish authorities use
 * (Språkrådet, Myndigheternas skrivregler). A Date is read in Stockholm.
 */
export function formatDate(date: Date | PlainDate): string {
  return typeof date === "string" ? plainDate(date) : toPlainDate(date);
}

/** The date in words for letters and decisions: "31 mars 2020". A Date is read in Stockholm. */
export function formatDateLong(date: Date | PlainDate): string {
  const { year, month, day } = plainDateParts(typeof date === "string" ? date : toPlainDate(date));
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/**
 * An instant as "2020-03-31 15:00" in Stockholm time: ISO date and a 24-hour
 * clock with a colon (ISO 8601, sortable, the same style as `formatDate`).
 * Seconds are cut, not rounded, so 23:59:59 on a deadline day never shows as
 * the next day.
 */
export function formatDateTime(date: Date): string {
  const w = stockholmWallClock(date);
  return `${plainDateFromParts(w.year, w.month, w.day)} ${two(w.hour)}:${two(w.minute)}`;
}
