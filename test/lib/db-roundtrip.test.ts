// What the helpers assume about Prisma, checked against the real database:
// `@db.Date` columns come back as JS Dates at UTC midnight, and `BigInt`
// columns keep every öre, beyond what a JS number can hold.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { plainDate, plainDateToUtcMidnight, utcMidnightToPlainDate } from "~/lib/dates";
import { MAX_ORE, parseKronor, formatKronor } from "~/lib/money";

describe("money and dates through Prisma and PostgreSQL", () => {
  const t = {} as TestDatabase;
  beforeAll(async () => {
    // The template database can still have a connection from the global
    // setup's seeding closing down when the first test file clones it
    // ("source database … is being accessed by other users"): retry briefly.
    for (let attempt = 1; ; attempt++) {
      try {
        Object.assign(t, await createTestDatabase());
        return;
      } catch (error) {
        if (attempt >= 80 || !String(error).includes("is being accessed by other users")) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  });
  afterAll(async () => {
    await t.db?.$disconnect();
  });

  it("reads a date column as UTC midnight", async () => {
    const rows = await t.db.$queryRaw<{ d: Date }[]>`select '2024-02-29'::date as d`;
    expect(rows[0].d).toBeInstanceOf(Date);
    expect(rows[0].d.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(utcMidnightToPlainDate(rows[0].d)).toBe("2024-02-29");
  });

  it("writes and reads back @db.Date and BigInt columns unchanged", async () => {
    const boards = await t.db.organization.findMany({ where: { kind: "county_board" }, take: 2, orderBy: { countyCode: "asc" } });
    expect(boards).toHaveLength(2);
    const parsed = parseKronor("90 071 992 547 409,93"); // 2^53 + 1 öre
    if (!parsed.ok) throw new Error(parsed.message);

    const created = await t.db.assignment.create({
      data: {
        reference: "TEST-LIB-ROUNDTRIP",
        title: "Round trip",
        issuer: "Regeringen",
        fundingReference: "Fi2024/00001",
        appropriation: "1:1",
        periodStart: plainDateToUtcMidnight(plainDate("2024-02-29")),
        periodEnd: plainDateToUtcMidnight(plainDate("2026-12-31")),
        reportDueOn: plainDateToUtcMidnight(plainDate("2027-01-04")),
        totalOre: MAX_ORE,
        allocatedOre: parsed.ore,
        responsibleBoardId: boards[0].id,
        coordinatingBoardId: boards[1].id,
        state: "draft",
        snapshot: {},
      },
    });
    const read = await t.db.assignment.findUniqueOrThrow({ where: { id: created.id } });
    expect(utcMidnightToPlainDate(read.periodStart)).toBe("2024-02-29");
    expect(utcMidnightToPlainDate(read.periodEnd)).toBe("2026-12-31");
    expect(utcMidnightToPlainDate(read.reportDueOn)).toBe("2027-01-04");
    expect(read.totalOre).toBe(MAX_ORE);
    expect(read.allocatedOre).toBe(9_007_199_254_740_993n);
    expect(formatKronor(read.allocatedOre)).toBe("90\u00A0071\u00A0992\u00A0547\u00A0409,93\u00A0kr");

    // The date the database holds is the calendar date, whatever the session time zone.
    const raw = await t.db.$queryRaw<{ d: string }[]>`select "periodStart"::text as d from "Assignment" where id = ${created.id}::uuid`;
    expect(raw[0].d).toBe("2024-02-29");
  });
});
