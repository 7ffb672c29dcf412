// Budget at a glance lists the municipalities with the most decided money, not all 290:
// the shown rows are exactly the top ones of the full grouping, the total row still
// covers every municipality, and ?kommuner=alla lists them all.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { generateDataset, type Dataset } from "../bench/dataset";
import { figuresBy, prismaRunner } from "../../app/reports/figures.server";
import { GLANCE_MUNICIPALITIES, ensureFigureSums, loadBudgetGlance, wantsAllMunicipalities } from "../../app/reports/overview.server";
import { formatKronor } from "../../app/lib/money";
import { todayInStockholm } from "../../app/lib/dates";

const t = useTestDatabase();
let ds: Dataset;

beforeAll(async () => {
  ds = await generateDataset(t.url, { applications: 600, seed: 7 });
  await ensureFigureSums(t.db, ds.assignmentId);
}, 120_000);

describe("budget at a glance by municipality", () => {
  it("shows the municipalities with the most decided money, and a total over all of them", async () => {
    const filter = { assignmentId: ds.assignmentId, boardIds: null, year: null, callId: null };
    const live = await figuresBy(prismaRunner(t.db), "municipality", filter, todayInStockholm());
    expect(live.rows.length, "the data set spreads over many municipalities").toBeGreaterThan(GLANCE_MUNICIPALITIES * 3);

    const glance = await loadBudgetGlance(t.db, filter, "assignment");
    const m = glance.byMunicipality;
    expect(m.all).toBe(false);
    expect(m.count).toBe(live.rows.length);
    expect(m.rows).toHaveLength(GLANCE_MUNICIPALITIES);
    // The same rows a person would pick from the full list: most decided first (ties: most applications).
    const expected = [...live.rows].sort((a, b) => (a.decided === b.decided ? b.received - a.received : a.decided < b.decided ? 1 : -1)).slice(0, GLANCE_MUNICIPALITIES);
    expect(m.rows.map((r) => r.label)).toEqual(expected.map((r) => r.label));
    expect(m.rows.map((r) => r.text.decided)).toEqual(expected.map((r) => formatKronor(r.decided)));
    // The total row is every municipality's, not the shown ones'.
    expect(m.total.text.decided).toBe(formatKronor(live.total.decided));
    expect(m.total.text.received).toBe(String(live.total.received));
    const shownDecided = expected.reduce((n, r) => n + r.decided, 0n);
    expect(shownDecided).toBeLessThan(live.total.decided);
  });

  it("lists every municipality when asked (?kommuner=alla)", async () => {
    expect(wantsAllMunicipalities(new URL("http://x/uppdrag/1?kommuner=alla"))).toBe(true);
    expect(wantsAllMunicipalities(new URL("http://x/uppdrag/1?kommuner=ja"))).toBe(false);
    const filter = { assignmentId: ds.assignmentId, boardIds: null, year: null, callId: null };
    const live = await figuresBy(prismaRunner(t.db), "municipality", filter, todayInStockholm());
    const m = (await loadBudgetGlance(t.db, filter, "assignment", { allMunicipalities: true })).byMunicipality;
    expect(m.all).toBe(true);
    expect(m.rows.map((r) => r.label)).toEqual(live.rows.map((r) => r.label));
    expect(m.rows.map((r) => r.text.paid)).toEqual(live.rows.map((r) => formatKronor(r.paid)));
  });
});
