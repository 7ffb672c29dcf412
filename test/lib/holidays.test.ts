import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  FIRST_HOLIDAY_YEAR,
  easterSunday,
  holidayNames,
  isNonBusinessDayForDeadlines,
  isPublicHoliday,
  swedishHolidays,
} from "~/lib/holidays";
import { addDays, isoWeekday, plainDate, type PlainDate } from "~/lib/dates";

const d = plainDate;

/** Gauss's Easter algorithm with its two exceptions: an independent check of the Meeus/Jones/Butcher one. */
function gaussEaster(year: number): string {
  const a = year % 19;
  const b = year % 4;
  const c = year % 7;
  const k = Math.floor(year / 100);
  const p = Math.floor((13 + 8 * k) / 25);
  const q = Math.floor(k / 4);
  const M = (15 - p + k - q) % 30;
  const N = (4 + k - q) % 7;
  const dd = (19 * a + M) % 30;
  const e = (2 * b + 4 * c + 6 * dd + N) % 7;
  let month = 3;
  let day = 22 + dd + e;
  if (day > 31) {
    month = 4;
    day = dd + e - 9;
  }
  if (month === 4 && dd === 29 && e === 6) day = 19;
  if (month === 4 && dd === 28 && e === 6 && (11 * M + 11) % 30 < 19) day = 18;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function table(year: number): string[] {
  return swedishHolidays(year).map((h) => `${h.date} ${h.name}${h.kind === "deadline_eve" ? " (afton)" : ""}`);
}

describe("easterSunday", () => {
  it.each([
    [1583, "1583-04-10"],
    [1818, "1818-03-22"], // earliest possible
    [1943, "1943-04-25"], // latest possible
    [2000, "2000-04-23"],
    [2008, "2008-03-23"],
    [2011, "2011-04-24"],
    [2016, "2016-03-27"],
    [2019, "2019-04-21"],
    [2020, "2020-04-12"],
    [2021, "2021-04-04"],
    [2022, "2022-04-17"],
    [2023, "2023-04-09"],
    [2024, "2024-03-31"],
    [2025, "2025-04-20"],
    [2026, "2026-04-05"],
    [2027, "2027-03-28"],
    [2028, "2028-04-16"],
    [2029, "2029-04-01"],
    [2030, "2030-04-21"],
    [2038, "2038-04-25"],
    [2285, "2285-03-22"],
  ])("is on the published date in %i", (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it("agrees with Gauss's algorithm for every year 1583–9999, always a Sunday in 22 March–25 April", () => {
    for (let year = 1583; year <= 9999; year++) {
      const easter = easterSunday(year);
      expect(easter, String(year)).toBe(gaussEaster(year));
      expect(isoWeekday(easter)).toBe(7);
      const monthDay = easter.slice(5);
      expect(monthDay >= "03-22" && monthDay <= "04-25", easter).toBe(true);
    }
  });

  it("refuses years outside the Gregorian calendar's range here", () => {
    expect(() => easterSunday(1582)).toThrow(RangeError);
    expect(() => easterSunday(10_000)).toThrow(RangeError);
    expect(() => easterSunday(2024.5)).toThrow(RangeError);
  });
});

describe("swedishHolidays", () => {
  it("lists 2026 as the almanac does", () => {
    expect(table(2026)).toEqual([
      "2026-01-01 nyårsdagen",
      "2026-01-06 trettondedag jul",
      "2026-04-03 långfredagen",
      "2026-04-05 påskdagen",
      "2026-04-06 annandag påsk",
      "2026-05-01 första maj",
      "2026-05-14 Kristi himmelsfärdsdag",
      "2026-05-24 pingstdagen",
      "2026-06-06 nationaldagen",
      "2026-06-19 midsommarafton (afton)",
      "2026-06-20 midsommardagen",
      "2026-10-31 alla helgons dag",
      "2026-12-24 julafton (afton)",
      "2026-12-25 juldagen",
      "2026-12-26 annandag jul",
      "2026-12-31 nyårsafton (afton)",
    ]);
  });

  it("lists 2024 (leap year, early Easter) as the almanac does", () => {
    expect(table(2024)).toEqual([
      "2024-01-01 nyårsdagen",
      "2024-01-06 trettondedag jul",
      "2024-03-29 långfredagen",
      "2024-03-31 påskdagen",
      "2024-04-01 annandag påsk",
      "2024-05-01 första maj",
      "2024-05-09 Kristi himmelsfärdsdag",
      "2024-05-19 pingstdagen",
      "2024-06-06 nationaldagen",
      "2024-06-21 midsommarafton (afton)",
      "2024-06-22 midsommardagen",
      "2024-11-02 alla helgons dag",
      "2024-12-24 julafton (afton)",
      "2024-12-25 juldagen",
      "2024-12-26 annandag jul",
      "2024-12-31 nyårsafton (afton)",
    ]);
  });

  it.each([
    [2020, "2020-04-10", "2020-04-13", "2020-05-21", "2020-06-19", "2020-10-31"],
    [2021, "2021-04-02", "2021-04-05", "2021-05-13", "2021-06-25", "2021-11-06"],
    [2022, "2022-04-15", "2022-04-18", "2022-05-26", "2022-06-24", "2022-11-05"],
    [2023, "2023-04-07", "2023-04-10", "2023-05-18", "2023-06-23", "2023-11-04"],
    [2025, "2025-04-18", "2025-04-21", "2025-05-29", "2025-06-20", "2025-11-01"],
    [2027, "2027-03-26", "2027-03-29", "2027-05-06", "2027-06-25", "2027-11-06"],
    [2028, "2028-04-14", "2028-04-17", "2028-05-25", "2028-06-23", "2028-11-04"],
  ])("puts the movable days of %i where they belong", (year, langfredag, annandagPask, himmelsfard, midsommarafton, allaHelgon) => {
    const byName = new Map(swedishHolidays(year).map((h) => [h.name, h.date]));
    expect(byName.get("långfredagen")).toBe(langfredag);
    expect(byName.get("annandag påsk")).toBe(annandagPask);
    expect(byName.get("Kristi himmelsfärdsdag")).toBe(himmelsfard);
    expect(byName.get("midsommarafton")).toBe(midsommarafton);
    expect(byName.get("midsommardagen")).toBe(addDays(d(midsommarafton), 1));
    expect(byName.get("alla helgons dag")).toBe(allaHelgon);
  });

  it("has midsommardagen and alla helgons dag on Saturdays in their windows, and the fixed days fixed, every year", () => {
    for (let year = FIRST_HOLIDAY_YEAR; year <= 2200; year++) {
      const byName = new Map(swedishHolidays(year).map((h) => [h.name, h.date]));
      const midsommar = byName.get("midsommardagen")!;
      const allaHelgon = byName.get("alla helgons dag")!;
      expect(isoWeekday(midsommar)).toBe(6);
      expect(midsommar >= `${year}-06-20` && midsommar <= `${year}-06-26`).toBe(true);
      expect(isoWeekday(byName.get("midsommarafton")!)).toBe(5);
      expect(isoWeekday(allaHelgon)).toBe(6);
      expect(allaHelgon >= `${year}-10-31` && allaHelgon <= `${year}-11-06`).toBe(true);
      expect(isoWeekday(byName.get("långfredagen")!)).toBe(5);
      expect(isoWeekday(byName.get("Kristi himmelsfärdsdag")!)).toBe(4);
      expect(isoWeekday(byName.get("pingstdagen")!)).toBe(7);
      expect(byName.get("julafton")).toBe(`${year}-12-24`);
      expect(byName.get("nyårsafton")).toBe(`${year}-12-31`);
    }
  });

  it("follows SFS 2004:1320: annandag pingst until 2004, nationaldagen from 2005", () => {
    expect(holidayNames(d("2004-05-31"))).toEqual(["annandag pingst"]);
    expect(isPublicHoliday(d("2003-06-09"))).toBe(true); // annandag pingst 2003
    expect(isPublicHoliday(d("2003-06-06"))).toBe(false); // a Friday, not yet a holiday
    expect(isPublicHoliday(d("2005-05-16"))).toBe(false); // would have been annandag pingst
    expect(holidayNames(d("2005-06-06"))).toEqual(["nationaldagen"]);
    expect(swedishHolidays(2005).some((h) => h.name === "annandag pingst")).toBe(false);
  });

  it("names both days when they coincide", () => {
    expect(holidayNames(d("2008-05-01"))).toEqual(["första maj", "Kristi himmelsfärdsdag"]);
    expect(holidayNames(d("2049-06-06"))).toEqual(["pingstdagen", "nationaldagen"]);
    expect(holidayNames(d("2026-03-31"))).toEqual([]);
  });

  it("returns a frozen list, the same each time", () => {
    const list = swedishHolidays(2026);
    expect(Object.isFrozen(list)).toBe(true);
    expect(swedishHolidays(2026)).toBe(list);
  });

  it("refuses years before lag (1989:253) took effect", () => {
    expect(() => swedishHolidays(1989)).toThrow(RangeError);
    expect(() => isNonBusinessDayForDeadlines("1989-12-29" as PlainDate)).toThrow(RangeError);
  });
});

describe("isPublicHoliday", () => {
  it.each([
    ["2026-01-01", true],
    ["2026-01-06", true],
    ["2026-04-03", true], // långfredagen
    ["2026-04-04", false], // påskafton: a Saturday, not a public holiday
    ["2026-04-05", true],
    ["2026-04-06", true],
    ["2026-05-01", true],
    ["2026-05-14", true],
    ["2026-06-06", true],
    ["2026-06-19", false], // midsommarafton
    ["2026-06-20", true],
    ["2026-10-31", true],
    ["2026-12-24", false], // julafton
    ["2026-12-25", true],
    ["2026-12-26", true],
    ["2026-12-31", false], // nyårsafton
    ["2026-03-29", true], // an ordinary Sunday
    ["2026-03-28", false], // an ordinary Saturday
    ["2026-03-31", false], // an ordinary Tuesday
  ])("%s → %s", (date, expected) => {
    expect(isPublicHoliday(d(date))).toBe(expected);
  });
});

describe("isNonBusinessDayForDeadlines (1930:173 2 §)", () => {
  it.each([
    ["2026-03-28", true, "Saturday"],
    ["2026-03-29", true, "Sunday"],
    ["2026-03-30", false, "Monday"],
    ["2026-04-03", true, "långfredagen"],
    ["2026-04-04", true, "påskafton (a Saturday)"],
    ["2026-04-06", true, "annandag påsk"],
    ["2026-04-07", false, "Tuesday after Easter"],
    ["2026-04-30", false, "valborgsmässoafton is an ordinary day"],
    ["2026-05-13", false, "the day before Kristi himmelsfärdsdag"],
    ["2026-05-15", false, "the Friday after Kristi himmelsfärdsdag (klämdag)"],
    ["2026-06-19", true, "midsommarafton"],
    ["2026-06-22", false, "Monday after midsommar"],
    ["2025-06-09", false, "Whit Monday, no longer a holiday"],
    ["2026-01-05", false, "trettondagsafton is an ordinary day"],
    ["2026-12-23", false, "the day before julafton"],
    ["2026-12-24", true, "julafton"],
    ["2026-12-31", true, "nyårsafton"],
    ["2027-01-01", true, "nyårsdagen"],
    ["2024-12-24", true, "julafton on a Tuesday"],
    ["2024-12-27", false, "Friday between the holidays"],
    ["2025-12-31", true, "nyårsafton on a Wednesday"],
    ["2020-04-09", false, "skärtorsdagen"],
  ])("%s → %s (%s)", (date, expected) => {
    expect(isNonBusinessDayForDeadlines(d(date))).toBe(expected);
  });

  it("marks every weekend day and every listed day, and nothing else, across years", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 60 }), (offset) => {
        const date = addDays(d("1990-01-01"), offset);
        const weekday = isoWeekday(date);
        const listed = holidayNames(date).length > 0;
        expect(isNonBusinessDayForDeadlines(date)).toBe(weekday >= 6 || listed);
        expect(isPublicHoliday(date)).toBe(weekday === 7 || (listed && !["midsommarafton", "julafton", "nyårsafton"].includes(holidayNames(date)[0])));
      }),
      { numRuns: 3000 },
    );
  });

  it("rejects malformed dates rather than guessing", () => {
    expect(() => isNonBusinessDayForDeadlines("2026-02-30" as PlainDate)).toThrow(RangeError);
    expect(() => isNonBusinessDayForDeadlines("26-03-31" as PlainDate)).toThrow(RangeError);
  });
});
