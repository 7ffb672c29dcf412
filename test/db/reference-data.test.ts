import { describe, it, expect } from "vitest";
import { useTestDatabase } from "../support/db";

describe("reference data", () => {
  const t = useTestDatabase();

  it("has the 21 counties, each with its county administrative board", async () => {
    expect(await t.db.county.count()).toBe(21);
    const boards = await t.db.organization.findMany({ where: { kind: "county_board" }, orderBy: { countyCode: "asc" } });
    expect(boards).toHaveLength(21);
    expect(boards.find((b) => b.countyCode === "05")?.name).toBe("Länsstyrelsen Östergötland");
    expect(boards.find((b) => b.countyCode === "01")?.name).toBe("Länsstyrelsen i Stockholms län");
  });

  it("has the 290 municipalities with SCB codes inside their county", async () => {
    expect(await t.db.municipality.count()).toBe(290);
    expect((await t.db.municipality.findUnique({ where: { code: "0580" } }))?.name).toBe("Linköping");
    const mismatched = await t.db.$queryRaw<{ n: number }[]>`select count(*)::int as n from "Municipality" where substr(code, 1, 2) <> "countyCode"`;
    expect(mismatched[0].n).toBe(0);
  });
});
