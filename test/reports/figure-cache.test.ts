// Budget at a glance keeps the figures it computed while the rows they come from are
// unchanged (overview.server.ts, withSums). The figures a page shows must never be stale:
// after every kind of write the figures come from, the page's figures equal a live
// computation over the applications at once.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { figuresBy, prismaRunner, type ReportFilter } from "../../app/reports/figures.server";
import { loadBudgetGlance } from "../../app/reports/overview.server";
import { formatKronor } from "../../app/lib/money";
import { todayInStockholm } from "../../app/lib/dates";
import { sqlOf } from "../../app/sql.server";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { approve, makeWorld, openCall, presentedApplication, MSEK, type World } from "../bench/world";

const t = useTestDatabase();
let w: World;
let callId: string;
let filter: ReportFilter;

beforeAll(async () => {
  w = await makeWorld(t.db, { countyCode: "12" });
  callId = await openCall(t.db, w, { budgetOre: 50n * MSEK });
  filter = { assignmentId: w.assignmentId, boardIds: null, year: null, callId: null };
}, 60_000);

/** The page's figures (twice: the second may come from what was kept) against the live computation. */
async function expectFresh(what: string) {
  const today = todayInStockholm();
  const live = {
    board: await figuresBy(prismaRunner(t.db), "board", filter, today),
    kind: await figuresBy(prismaRunner(t.db), "kind", filter, today),
    municipality: await figuresBy(prismaRunner(t.db), "municipality", filter, today),
  };
  for (let i = 0; i < 2; i++) {
    const glance = await loadBudgetGlance(t.db, filter, "assignment", { allMunicipalities: true });
    expect(glance.headline.text.decided, what).toBe(formatKronor(live.board.total.decided));
    expect(glance.headline.text.allocated, what).toBe(formatKronor(live.board.total.allocated!));
    expect(glance.parts!.rows.map((r) => [r.label, r.text.decided, r.text.paid, r.text.left]), what).toEqual(
      live.board.rows.map((r) => [r.label, formatKronor(r.decided), formatKronor(r.paid), formatKronor(r.left!)]),
    );
    expect(glance.byKind.rows.map((r) => [r.label, r.text.received, r.text.decided]), what).toEqual(live.kind.rows.map((r) => [r.label, String(r.received), formatKronor(r.decided)]));
    expect(glance.byMunicipality.rows.map((r) => [r.label, r.text.received, r.text.decided]), what).toEqual(
      live.municipality.rows.map((r) => [r.label, String(r.received), formatKronor(r.decided)]),
    );
  }
  return loadBudgetGlance(t.db, filter, "assignment");
}

describe("kept budget-at-a-glance figures", () => {
  it("follow every write they depend on, at once", async () => {
    const start = await expectFresh("empty call");
    const a = await presentedApplication(t.db, w, callId, 1_000_000n);
    const afterApplication = await expectFresh("a presented application");
    expect(afterApplication.byKind.rows).not.toEqual(start.byKind.rows);

    const now = new Date();
    await applyWorkflowEvent(t.db, w.decider, "application", a, approve(1_000_000), { now });
    const afterDecision = await expectFresh("an approval");
    expect(afterDecision.headline.text.decided).not.toBe(afterApplication.headline.text.decided);

    // Figures that come from other rows than the kept sums: the allocation, the board's name, a municipality's name.
    await sqlOf(t.db).query(`update "Allocation" set "amountOre" = "amountOre" + 100000 where id = $1::uuid`, [w.allocationId]);
    const afterAllocation = await expectFresh("a larger allocation");
    expect(afterAllocation.headline.text.allocated).not.toBe(afterDecision.headline.text.allocated);

    await sqlOf(t.db).query(`update "Organization" set name = name || ' (ny)' where id = $1::uuid`, [w.boardId]);
    const renamed = await expectFresh("a renamed board");
    expect(renamed.parts!.rows.some((r) => r.label.endsWith(" (ny)"))).toBe(true);

    const org = await t.db.organization.findUniqueOrThrow({ where: { id: w.applicantOrgId }, select: { municipalityCode: true } });
    const code = org.municipalityCode!;
    const before = (await t.db.municipality.findUniqueOrThrow({ where: { code } })).name;
    await sqlOf(t.db).query(`update "Municipality" set name = name || ' kommun' where code = $1`, [code]);
    try {
      const m = await expectFresh("a renamed municipality");
      expect(m.byMunicipality.rows.map((r) => r.label)).toContain(`${before} kommun`);
    } finally {
      await sqlOf(t.db).query(`update "Municipality" set name = $2 where code = $1`, [code, before]);
    }
  });
});
