// Our Swedish holiday calendar against a maintained, independent one
// (the npm package date-holidays), for every year from 2005 to 2100.
import { describe, it, expect } from "vitest";
import Holidays from "date-holidays";
import { swedishHolidays } from "../../app/lib/holidays";

const se = new Holidays("SE");

describe("Swedish holidays cross-checked with date-holidays", () => {
  it("has the same public holidays and the same deadline eves (midsommar-, jul-, nyårsafton) every year 2005–2100", () => {
    for (let year = 2005; year <= 2100; year++) {
      const theirs = se.getHolidays(year);
      const ours = swedishHolidays(year);
      const dates = (kind: string) => ours.filter((h) => h.kind === kind).map((h) => h.date).sort();
      expect(dates("public_holiday"), `public holidays ${year}`).toEqual(theirs.filter((h) => h.type === "public").map((h) => h.date.slice(0, 10)).sort());
      expect(dates("deadline_eve"), `eves ${year}`).toEqual(theirs.filter((h) => h.type === "bank").map((h) => h.date.slice(0, 10)).sort());
    }
  });
});
