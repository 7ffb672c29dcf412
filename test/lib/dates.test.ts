import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  addDays,
  addPeriod,
  applySundayRule,
  comparePlainDates,
  daysBetween,
  daysInMonth,
  deadlineFrom,
  formatDate,
  formatDateLong,
  formatDateTime,
  isLeapYear,
  isNonBusinessDayForDeadlines,
  isPastDeadline,
  isPlainDate,
  isoWeekday,
  parseDateInput,
  plainDate,
  plainDateFromParts,
  plainDateParts,
  plainDateToUtcMidnight,
  stockholmDateTimeToUtc,
  stockholmOffsetMinutes,
  toPlainDate,
  todayInStockholm,
  utcMidnightToPlainDate,
  type PeriodUnit,
  type PlainDate,
} from "~/lib/dates";

const d = plainDate;
const utc = (iso: string) => new Date(iso);

/** Any date from 1990 (where holidays are defined) to 2200. */
const anyDate = fc.integer({ min: 0, max: 76_700 }).map((n) => addDays(d("1990-01-01"), n));

describe("PlainDate", () => {
  it("accepts real calendar dates only", () => {
    for (const ok of ["2024-02-29", "2000-02-29", "2026-12-31", "0001-01-01", "9999-12-31"]) expect(isPlainDate(ok), ok).toBe(true);
    for (const bad of ["2025-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-1-5", "20260331", " 2026-03-31", "2026-03-31T00:00", "0000-01-01", 20260331, null]) {
      expect(isPlainDate(bad), String(bad)).toBe(false);
    }
    expect(() => plainDate("2025-02-29")).toThrow(RangeError);
    expect(plainDateFromParts(2026, 3, 1)).toBe("2026-03-01");
    expect(plainDateFromParts(33, 1, 2)).toBe("0033-01-02");
    expect(() => plainDateFromParts(2026, 2, 29)).toThrow(RangeError);
    expect(plainDateParts(d("2026-03-01"))).toEqual({ year: 2026, month: 3, day: 1 });
  });

  it("knows leap years and month lengths", () => {
    expect([1900, 2000, 2023, 2024, 2100].map(isLeapYear)).toEqual([false, true, false, true, false]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2024, m))).toEqual([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2025, 2)).toBe(28);
  });

  it("parses form input with Swedish messages", () => {
    expect(parseDateInput(" 2026-03-31 ")).toEqual({ ok: true, date: "2026-03-31" });
    expect(parseDateInput("31/3 2026")).toEqual({ ok: false, message: "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-31." });
    expect(parseDateInput("")).toMatchObject({ ok: false });
    expect(parseDateInput("2025-02-29")).toEqual({ ok: false, message: "Datumet finns inte i kalendern. Kontrollera månad och dag." });
  });

  it("adds days, counts days, compares and names weekdays like the JS calendar does", () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 2_500_000 }), fc.integer({ min: -5000, max: 5000 }), (dayNumber, delta) => {
        const js = new Date(dayNumber * 86_400_000);
        const date = d(js.toISOString().slice(0, 10));
        const later = addDays(date, delta);
        expect(later).toBe(new Date((dayNumber + delta) * 86_400_000).toISOString().slice(0, 10));
        expect(daysBetween(date, later)).toBe(delta);
        expect(comparePlainDates(later, date)).toBe(Math.sign(delta));
        expect(isoWeekday(date)).toBe(js.getUTCDay() === 0 ? 7 : js.getUTCDay());
      }),
      { numRuns: 2000 },
    );
    expect(isoWeekday(d("2026-03-31"))).toBe(2);
    expect(addDays(d("2024-02-28"), 1)).toBe("2024-02-29");
    expect(addDays(d("2023-02-28"), 1)).toBe("2023-03-01");
    expect(addDays(d("2026-12-31"), 1)).toBe("2027-01-01");
    expect(() => addDays(d("9999-12-31"), 1)).toThrow(RangeError);
    expect(() => addDays(d("2026-01-01"), 0.5)).toThrow(RangeError);
  });
});

describe("addPeriod (1930:173 1 §)", () => {
  it.each<[string, number, PeriodUnit, string]>([
    // Months end on the same date, or on the last day of a shorter month.
    ["2024-01-31", 1, "months", "2024-02-29"],
    ["2025-01-31", 1, "months", "2025-02-28"],
    ["2023-01-31", 1, "months", "2023-02-28"],
    ["2100-01-31", 1, "months", "2100-02-28"],
    ["2000-01-31", 1, "months", "2000-02-29"],
    ["2025-03-31", 1, "months", "2025-04-30"],
    ["2025-08-31", 1, "months", "2025-09-30"],
    ["2025-01-30", 1, "months", "2025-02-28"],
    ["2025-01-28", 1, "months", "2025-02-28"],
    ["2025-02-28", 1, "months", "2025-03-28"], // the 28th, not the month end
    ["2024-02-29", 1, "months", "2024-03-29"],
    ["2025-10-31", 4, "months", "2026-02-28"],
    ["2024-11-30", 3, "months", "2025-02-28"],
    ["2025-12-15", 2, "months", "2026-02-15"],
    ["2025-06-15", 18, "months", "2026-12-15"],
    ["2025-03-31", -1, "months", "2025-02-28"],
    ["2026-03-31", 0, "months", "2026-03-31"],
    // Years likewise.
    ["2024-02-29", 1, "years", "2025-02-28"],
    ["2024-02-29", 4, "years", "2028-02-29"],
    ["2025-03-31", 2, "years", "2027-03-31"],
    // Weeks end on the same weekday.
    ["2026-03-31", 3, "weeks", "2026-04-21"],
    ["2026-12-10", 3, "weeks", "2026-12-31"],
    ["2024-02-15", 2, "weeks", "2024-02-29"],
    // Days are calendar days.
    ["2026-03-31", 1, "days", "2026-04-01"],
    ["2024-02-28", 30, "days", "2024-03-29"],
    ["2025-02-28", 30, "days", "2025-03-30"],
  ])("%s + %i %s = %s", (start, amount, unit, end) => {
    expect(addPeriod(d(start), amount, unit)).toBe(end);
  });

  it("ends weeks on the same weekday and months on the same or the last date, for any start", () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 0, max: 120 }), (start, n) => {
        const weeks = addPeriod(start, n, "weeks");
        expect(isoWeekday(weeks)).toBe(isoWeekday(start));
        expect(daysBetween(start, weeks)).toBe(7 * n);

        const s = plainDateParts(start);
        const e = plainDateParts(addPeriod(start, n, "months"));
        expect(e.year * 12 + e.month - (s.year * 12 + s.month)).toBe(n);
        expect(e.day).toBe(Math.min(s.day, daysInMonth(e.year, e.month)));
        expect(addPeriod(start, n, "years")).toBe(addPeriod(start, 12 * n, "months"));
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses fractional amounts", () => {
    expect(() => addPeriod(d("2026-01-01"), 1.5, "months")).toThrow(RangeError);
    expect(() => addPeriod(d("2026-01-01"), Number.NaN, "days")).toThrow(RangeError);
  });
});

describe("deadlineFrom (1930:173 1 and 2 §§)", () => {
  it.each<[string, number, PeriodUnit, string, string]>([
    ["2026-03-10", 3, "weeks", "2026-03-31", "an ordinary Tuesday stays"],
    ["2026-03-07", 4, "weeks", "2026-04-07", "påskafton → past påskdagen and annandag påsk, the Saturday before a Monday holiday"],
    ["2026-03-03", 1, "months", "2026-04-07", "långfredagen → Tuesday after Easter"],
    ["2025-03-22", 4, "weeks", "2025-04-22", "Saturday 2025-04-19 before Easter Monday → Tuesday"],
    ["2024-02-29", 1, "months", "2024-04-02", "långfredagen 2024-03-29 → over Easter to Tuesday"],
    ["2026-05-29", 3, "weeks", "2026-06-22", "midsommarafton → Monday"],
    ["2025-05-20", 1, "months", "2025-06-23", "midsommarafton 2025-06-20 → Monday"],
    ["2025-05-06", 1, "months", "2025-06-09", "nationaldagen on a Friday → Monday (annandag pingst is a weekday since 2005)"],
    ["2025-04-29", 1, "months", "2025-05-30", "Kristi himmelsfärdsdag → the Friday after"],
    ["2026-11-24", 1, "months", "2026-12-28", "julafton on a Thursday → past juldagen, annandag jul and the weekend"],
    ["2026-12-10", 3, "weeks", "2027-01-04", "nyårsafton → past nyårsdagen and the weekend"],
    ["2025-12-01", 30, "days", "2026-01-02", "nyårsafton on a Wednesday → Friday after nyårsdagen"],
    ["2025-11-24", 1, "months", "2025-12-29", "julafton on a Wednesday → five days on, Monday 29 December"],
    ["2024-12-03", 3, "weeks", "2024-12-27", "julafton 2024 on a Tuesday → Friday 27 December"],
    ["2026-01-31", 1, "months", "2026-03-02", "month end clamped to Saturday 28 February → Monday 2 March"],
    ["2025-01-31", 1, "months", "2025-02-28", "month end clamped to Friday 28 February stays"],
    ["2024-01-31", 1, "months", "2024-02-29", "leap day, a Thursday, stays"],
    ["2027-12-06", 3, "weeks", "2027-12-27", "Monday 27 December 2027 after a holiday weekend stays"],
    ["2027-12-11", 2, "weeks", "2027-12-27", "Saturday julafton-week start lands Saturday 25 → Monday 27"],
    ["2026-01-05", 1, "days", "2026-01-07", "trettondedag jul on a Tuesday → Wednesday"],
    ["2026-10-31", 0, "days", "2026-11-02", "zero time from alla helgons dag → Monday"],
    ["2026-03-28", 0, "days", "2026-03-30", "zero time from a Saturday → Monday"],
  ])("%s + %i %s → %s (%s)", (start, amount, unit, deadline) => {
    expect(deadlineFrom(d(start), amount, unit)).toBe(deadline);
  });

  it("moves only as far as the next day that is none of the excluded days", () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 0, max: 60 }), fc.constantFrom<PeriodUnit>("days", "weeks", "months", "years"), (start, n, unit) => {
        const end = addPeriod(start, n, unit);
        const deadline = deadlineFrom(start, n, unit);
        expect(isNonBusinessDayForDeadlines(deadline)).toBe(false);
        expect(daysBetween(end, deadline)).toBeGreaterThanOrEqual(0);
        // The longest run of excluded days is five: julafton on a Wednesday to the Sunday after.
        expect(daysBetween(end, deadline)).toBeLessThanOrEqual(5);
        for (let day = end; day < deadline; day = addDays(day, 1)) expect(isNonBusinessDayForDeadlines(day)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("applies the Sunday rule to a given last day", () => {
    expect(applySundayRule(d("2026-12-24"))).toBe("2026-12-28");
    expect(applySundayRule(d("2026-12-23"))).toBe("2026-12-23");
  });

  it("refuses negative and fractional amounts", () => {
    expect(() => deadlineFrom(d("2026-03-31"), -1, "weeks")).toThrow(RangeError);
    expect(() => deadlineFrom(d("2026-03-31"), 2.5, "days")).toThrow(RangeError);
  });
});

describe("Europe/Stockholm instants, whatever the server's time zone", () => {
  // Each of these instants is on a different calendar day in UTC, in New York
  // and in Stockholm, or at a different hour, so formatting with the process's
  // own zone would fail them.
  it.each([
    ["2020-03-31T21:59:59.999Z", "2020-03-31", "2020-03-31 23:59"], // summer time: UTC+2
    ["2020-03-31T22:00:00.000Z", "2020-04-01", "2020-04-01 00:00"],
    ["2020-03-31T13:00:00.000Z", "2020-03-31", "2020-03-31 15:00"],
    ["2020-01-31T22:59:59.000Z", "2020-01-31", "2020-01-31 23:59"], // winter time: UTC+1
    ["2020-01-31T23:00:00.000Z", "2020-02-01", "2020-02-01 00:00"],
    ["2019-12-31T23:30:00.000Z", "2020-01-01", "2020-01-01 00:30"], // new year comes earlier in Stockholm
    ["2020-02-29T23:00:00.000Z", "2020-03-01", "2020-03-01 00:00"],
    ["2020-03-01T04:30:00.000Z", "2020-03-01", "2020-03-01 05:30"], // still 29 February in New York
    ["2024-02-28T23:00:00.000Z", "2024-02-29", "2024-02-29 00:00"],
    ["2026-06-18T22:00:00.000Z", "2026-06-19", "2026-06-19 00:00"],
  ])("%s is %s, %s in Stockholm", (iso, date, dateTime) => {
    expect(toPlainDate(utc(iso))).toBe(date);
    expect(formatDate(utc(iso))).toBe(date);
    expect(formatDateTime(utc(iso))).toBe(dateTime);
  });

  it("formats dates in words the Swedish way", () => {
    expect(formatDateLong(d("2020-03-31"))).toBe("31 mars 2020");
    expect(formatDateLong(d("2026-06-01"))).toBe("1 juni 2026");
    expect(formatDateLong(utc("2020-03-31T22:30:00Z"))).toBe("1 april 2020");
    expect(formatDate(d("2020-03-31"))).toBe("2020-03-31");
    expect(() => formatDate("2020-3-31" as PlainDate)).toThrow(RangeError);
  });

  it("knows Stockholm's offset either side of the changes", () => {
    expect(stockholmOffsetMinutes(utc("2020-03-29T00:59:59Z"))).toBe(60);
    expect(stockholmOffsetMinutes(utc("2020-03-29T01:00:00Z"))).toBe(120);
    expect(stockholmOffsetMinutes(utc("2020-10-25T00:59:59Z"))).toBe(120);
    expect(stockholmOffsetMinutes(utc("2020-10-25T01:00:00Z"))).toBe(60);
    expect(formatDateTime(utc("2020-03-29T00:59:00Z"))).toBe("2020-03-29 01:59");
    expect(formatDateTime(utc("2020-03-29T01:00:00Z"))).toBe("2020-03-29 03:00");
    expect(formatDateTime(utc("2020-10-25T00:30:00Z"))).toBe("2020-10-25 02:30");
    expect(formatDateTime(utc("2020-10-25T01:30:00Z"))).toBe("2020-10-25 02:30");
  });

  it("agrees with the time zone database at every instant, including each hour around every change since 1980", () => {
    // The reading is kept per UTC hour; an independent Intl reading is the reference.
    const reference = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    const expected = (t: number) => reference.format(new Date(t));
    const check = (t: number) => expect(formatDateTime(new Date(t)), new Date(t).toISOString()).toBe(expected(t));
    for (let year = 1980; year <= 2040; year++) {
      for (const month of [2, 3, 8, 9]) {
        // The last Sunday of March and of October (and of the older late-September change).
        for (let day = 20; day <= 31; day++) {
          const hour01 = Date.UTC(year, month, day, 1);
          for (const delta of [-3_600_001, -60_000, -1, 0, 1, 60_000, 3_599_999, 3_600_000]) check(hour01 + delta);
        }
      }
    }
    fc.assert(fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2200, 0, 1) }), (t) => {
      check(t);
      expect(toPlainDate(new Date(t))).toBe(expected(t).slice(0, 10));
    }), { numRuns: 2000 });
  });

  it("gives today in Stockholm", () => {
    expect(todayInStockholm(utc("2026-12-31T23:15:00Z"))).toBe("2027-01-01");
    expect(isPlainDate(todayInStockholm())).toBe(true);
  });

  it("refuses an invalid Date", () => {
    expect(() => toPlainDate(new Date("nonsense"))).toThrow(RangeError);
    expect(() => formatDateTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("stockholmDateTimeToUtc", () => {
  it.each([
    ["2020-03-31", "23:59", "2020-03-31T21:59:00.000Z"],
    ["2020-01-15", "12:00", "2020-01-15T11:00:00.000Z"],
    ["2020-12-31", "23:59:59", "2020-12-31T22:59:59.000Z"],
    ["2026-06-19", "00:00", "2026-06-18T22:00:00.000Z"],
    // Spring forward, 2020-03-29: 02:00–02:59 does not exist and moves ahead by the hour.
    ["2020-03-29", "01:59", "2020-03-29T00:59:00.000Z"],
    ["2020-03-29", "02:00", "2020-03-29T01:00:00.000Z"],
    ["2020-03-29", "02:30", "2020-03-29T01:30:00.000Z"],
    ["2020-03-29", "03:00", "2020-03-29T01:00:00.000Z"],
    ["2020-03-29", "23:59", "2020-03-29T21:59:00.000Z"],
    // Fall back, 2020-10-25: 02:00–02:59 happens twice; the earlier (summer time) is taken.
    ["2020-10-25", "01:59", "2020-10-24T23:59:00.000Z"],
    ["2020-10-25", "02:00", "2020-10-25T00:00:00.000Z"],
    ["2020-10-25", "02:30", "2020-10-25T00:30:00.000Z"],
    ["2020-10-25", "02:59", "2020-10-25T00:59:00.000Z"],
    ["2020-10-25", "03:00", "2020-10-25T02:00:00.000Z"],
    ["2020-10-25", "23:59", "2020-10-25T22:59:00.000Z"],
    // Other years' changes: last Sunday of March and October.
    ["2025-03-30", "02:30", "2025-03-30T01:30:00.000Z"],
    ["2025-10-26", "02:30", "2025-10-26T00:30:00.000Z"],
    ["2026-03-29", "02:15", "2026-03-29T01:15:00.000Z"],
    ["2026-10-25", "02:15", "2026-10-25T00:15:00.000Z"],
    ["2026-03-28", "02:30", "2026-03-28T01:30:00.000Z"], // the day before: winter time, nothing special
  ])("%s %s in Stockholm is %s", (date, time, iso) => {
    expect(stockholmDateTimeToUtc(date, time).toISOString()).toBe(iso);
  });

  it("round-trips every Stockholm minute, taking the earlier of a repeated hour", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1) / 60_000, max: Date.UTC(2100, 0, 1) / 60_000 }), (minute) => {
        const instant = new Date(minute * 60_000);
        const [date, time] = formatDateTime(instant).split(" ");
        const back = stockholmDateTimeToUtc(date, time);
        if (back.getTime() !== instant.getTime()) {
          // Only the second 02:xx of an autumn change may map back an hour earlier.
          expect(back.getTime()).toBe(instant.getTime() - 3_600_000);
          expect(stockholmOffsetMinutes(instant)).toBe(60);
          expect(stockholmOffsetMinutes(back)).toBe(120);
        }
      }),
      { numRuns: 3000 },
    );
    // And the repeated hour specifically.
    const second = utc("2026-10-25T01:30:00Z");
    expect(formatDateTime(second)).toBe("2026-10-25 02:30");
    expect(stockholmDateTimeToUtc("2026-10-25", "02:30").toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });

  it("refuses malformed input", () => {
    expect(() => stockholmDateTimeToUtc("2020-02-30", "12:00")).toThrow(RangeError);
    expect(() => stockholmDateTimeToUtc("2020-03-31", "24:00")).toThrow(RangeError);
    expect(() => stockholmDateTimeToUtc("2020-03-31", "9:00")).toThrow(RangeError);
    expect(() => stockholmDateTimeToUtc("2020-03-31", "12:60")).toThrow(RangeError);
  });
});

describe("dates in Prisma @db.Date columns", () => {
  it("stores a date as UTC midnight and reads it back", () => {
    expect(plainDateToUtcMidnight(d("2024-02-29")).toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(plainDateToUtcMidnight(d("0050-06-01")).toISOString()).toBe("0050-06-01T00:00:00.000Z");
    expect(utcMidnightToPlainDate(utc("2024-02-29T00:00:00Z"))).toBe("2024-02-29");
    fc.assert(
      fc.property(anyDate, (date) => {
        expect(utcMidnightToPlainDate(plainDateToUtcMidnight(date))).toBe(date);
        // Stockholm is ahead of UTC, so UTC midnight is the same day there too.
        expect(toPlainDate(plainDateToUtcMidnight(date))).toBe(date);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses instants that are not a date-column value", () => {
    expect(() => utcMidnightToPlainDate(utc("2024-02-28T23:00:00Z"))).toThrow(/toPlainDate/);
    expect(() => utcMidnightToPlainDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("isPastDeadline", () => {
  it("gives the whole deadline day in Stockholm time", () => {
    const deadline: PlainDate = d("2026-06-22");
    expect(isPastDeadline(deadline, stockholmDateTimeToUtc(deadline, "23:59:59"))).toBe(false);
    expect(isPastDeadline(deadline, utc("2026-06-22T21:59:59.999Z"))).toBe(false);
    // 22:30 UTC on the 22nd is already 00:30 on the 23rd in Stockholm.
    expect(isPastDeadline(deadline, utc("2026-06-22T22:30:00Z"))).toBe(true);
    expect(isPastDeadline(deadline, utc("2026-06-20T10:00:00Z"))).toBe(false);
  });
});
