// Corrected and reconsidered decisions during a grant: the call's budget, the
// payment plan (replaced through the instalments' own statecharts) and the
// audit trail all follow, and reconciliation stays clean.
import { describe, it, expect, beforeAll } from "vitest";
import { useTestDatabase } from "../support/db";
import { boardOf, makeOrganization, makePublishedCall, makeUser } from "../support/fixtures";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { createApplicationDraft } from "../../app/workflow/create.server";
import { reconcile } from "../../app/workflow/budget.server";
import { verifyAuditChains } from "../../app/workflow/audit.server";
import { WorkflowRefused } from "../../app/workflow/errors";

const t = useTestDatabase();
const now = new Date("2020-04-02T10:00:00Z");

describe("changing a decision during the grant", () => {
  let officer: Awaited<ReturnType<typeof makeUser>>;
  let decider: Awaited<ReturnType<typeof makeUser>>;
  let decider2: Awaited<ReturnType<typeof makeUser>>;
  let finance: Awaited<ReturnType<typeof makeUser>>;
  let finance2: Awaited<ReturnType<typeof makeUser>>;
  let applicant: Awaited<ReturnType<typeof makeUser>>;
  let callId: string;
  let orgId: string;

  beforeAll(async () => {
    const board = await boardOf(t.db, "05");
    const org = await makeOrganization(t.db, { name: "Norrköpings kommun", municipalityCode: "0581" });
    orgId = org.id;
    officer = await makeUser(t.db, [{ organizationId: board.id, role: "officer" }]);
    decider = await makeUser(t.db, [{ organizationId: board.id, role: "decision_maker" }]);
    decider2 = await makeUser(t.db, [{ organizationId: board.id, role: "decision_maker" }]);
    finance = await makeUser(t.db, [{ organizationId: board.id, role: "finance" }]);
    finance2 = await makeUser(t.db, [{ organizationId: board.id, role: "finance" }]);
    applicant = await makeUser(t.db, [{ organizationId: org.id, role: "applicant" }]);
    const { call } = await makePublishedCall(t.db, officer, board.id, { call: { budgetOre: 5_000_000n, appealNotice: "Beslutet kan överklagas." } });
    callId = call.id;
  });

  /** An approved grant of 1 000 000 öre with the first half paid. */
  async function grantWithFirstHalfPaid() {
    const at = new Date("2020-03-01T10:00:00Z");
    const draft = await createApplicationDraft(t.db, applicant, callId, orgId, { title: "Samverkan skola och socialtjänst", requestedOre: 1_000_000n }, at);
    const id = draft.id;
    await applyWorkflowEvent(t.db, applicant, "application", id, { type: "SUBMIT", requestedOre: 1_000_000 }, { now: at });
    await applyWorkflowEvent(t.db, officer, "application", id, { type: "START_ASSESSMENT" }, { now });
    await applyWorkflowEvent(t.db, officer, "application", id, { type: "PRESENT", recommendation: "approved" }, { now });
    await applyWorkflowEvent(t.db, decider, "application", id, { type: "DECIDE", outcome: "approved", grantedOre: 1_000_000, reasons: "Uppfyller kriterierna." }, { now });
    const grant = await t.db.grant.findUniqueOrThrow({ where: { applicationId: id }, include: { disbursements: { orderBy: { number: "asc" } } } });
    const first = grant.disbursements[0];
    await applyWorkflowEvent(t.db, finance, "disbursement", first.id, { type: "ATTEST" }, { now });
    await applyWorkflowEvent(t.db, finance2, "disbursement", first.id, { type: "MARK_PAID", paymentReference: "LB 1", paidOn: "2020-04-03" }, { now });
    return { id, grantId: grant.id, second: grant.disbursements[1] };
  }

  it("lowers the grant: budget released, the unpaid instalment replaced for exactly what is left", async () => {
    const { id, grantId, second } = await grantWithFirstHalfPaid();
    const before = (await t.db.call.findUniqueOrThrow({ where: { id: callId } })).grantedOre;
    await applyWorkflowEvent(t.db, decider2, "application", id, { type: "CORRECT_DECISION", outcome: "partly_approved", grantedOre: 800_000, reasons: "Felräkning i budgeten." }, { now });

    const grant = await t.db.grant.findUniqueOrThrow({ where: { id: grantId }, include: { disbursements: { orderBy: { number: "asc" } } } });
    expect(grant.amountOre).toBe(800_000n);
    expect(grant.paidOre).toBe(500_000n);
    expect(grant.plannedOre).toBe(800_000n);
    expect(grant.disbursements.map((d) => [d.number, d.state, d.amountOre, d.trigger])).toEqual([
      [1, "paid", 500_000n, "at_start"],
      [2, "cancelled", 500_000n, "after_final_report"],
      [3, "planned", 300_000n, "after_final_report"],
    ]);
    // The cancelled instalment went through its own statechart: audited, versioned.
    const cancelled = await t.db.disbursement.findUniqueOrThrow({ where: { id: second.id } });
    expect(cancelled.version).toBe(2);
    expect(await t.db.auditEvent.count({ where: { caseId: second.id, eventType: "SUPERSEDE" } })).toBe(1);
    expect((await t.db.call.findUniqueOrThrow({ where: { id: callId } })).grantedOre).toBe(before - 200_000n);
    const decisions = await t.db.decision.findMany({ where: { applicationId: id }, orderBy: { decidedAt: "asc" } });
    expect(decisions.map((d) => [d.kind, d.grantedOre])).toEqual([["original", 1_000_000n], ["correction", 800_000n]]);
    expect(decisions[1].supersedesId).toBe(decisions[0].id);
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("refuses to lower the grant below what has been paid, and changes nothing", async () => {
    const { id, grantId } = await grantWithFirstHalfPaid();
    const err = await applyWorkflowEvent(t.db, decider2, "application", id, { type: "CORRECT_DECISION", outcome: "partly_approved", grantedOre: 400_000, reasons: "Fel." }, { now }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowRefused);
    expect(err.rule).toBe("grantNotBelowPaid");
    expect((await t.db.grant.findUniqueOrThrow({ where: { id: grantId } })).amountOre).toBe(1_000_000n);
  });

  it("a correction to rejection stops the unpaid instalments for good, and a reconsideration grants again", async () => {
    const at = new Date("2020-03-01T10:00:00Z");
    const draft = await createApplicationDraft(t.db, applicant, callId, orgId, { title: "Stödgrupper", requestedOre: 600_000n }, at);
    await applyWorkflowEvent(t.db, applicant, "application", draft.id, { type: "SUBMIT", requestedOre: 600_000 }, { now: at });
    await applyWorkflowEvent(t.db, officer, "application", draft.id, { type: "START_ASSESSMENT" }, { now });
    await applyWorkflowEvent(t.db, officer, "application", draft.id, { type: "PRESENT", recommendation: "approved" }, { now });
    await applyWorkflowEvent(t.db, decider, "application", draft.id, { type: "DECIDE", outcome: "approved", grantedOre: 600_000, reasons: "Bra." }, { now });
    const grant = await t.db.grant.findUniqueOrThrow({ where: { applicationId: draft.id }, include: { disbursements: true } });

    await applyWorkflowEvent(t.db, decider2, "application", draft.id, { type: "CORRECT_DECISION", outcome: "rejected", grantedOre: 0, reasons: "Sökanden var inte behörig." }, { now });
    expect((await t.db.grant.findUniqueOrThrow({ where: { id: grant.id } })).state).toBe("cancelled");
    for (const d of grant.disbursements) {
      const err = await applyWorkflowEvent(t.db, finance, "disbursement", d.id, { type: "ATTEST" }, { now }).catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowRefused);
    }
    expect(await reconcile(t.db)).toEqual([]);

    await applyWorkflowEvent(t.db, decider, "application", draft.id, { type: "RECONSIDER_DECISION", outcome: "approved", grantedOre: 600_000, reasons: "Omprövning efter nya uppgifter." }, { now });
    const again = await t.db.grant.findUniqueOrThrow({ where: { applicationId: draft.id }, include: { disbursements: { orderBy: { number: "asc" } } } });
    expect(again.id).toBe(grant.id);
    expect(again.state).toBe("active");
    expect(again.plannedOre).toBe(600_000n);
    expect(again.disbursements.filter((d) => d.state === "planned").map((d) => d.number)).toEqual([3, 4]);
    expect(await reconcile(t.db)).toEqual([]);
    expect((await verifyAuditChains(t.db)).firstBreak).toBeNull();
  });
  it("after the final report, unused money not yet paid is simply not paid; only what was paid beyond use is reclaimed", async () => {
    const { id, grantId, second } = await grantWithFirstHalfPaid();
    // 1 000 000 öre granted, 500 000 paid, 400 000 unused: 600 000 used, so 100 000 more is paid and nothing reclaimed.
    await applyWorkflowEvent(t.db, applicant, "application", id, { type: "SUBMIT_REPORT", kind: "final", unusedOre: 400_000 }, { now, details: { usedOre: 600_000n, activitySummary: "Genomfört i mindre skala." } });
    // The approver cannot type another unused amount: the report's figure is used.
    await applyWorkflowEvent(t.db, officer, "application", id, { type: "APPROVE_REPORT", kind: "final", unusedOre: 0 }, { now });
    const app = await t.db.application.findUniqueOrThrow({ where: { id } });
    expect(app.state).toBe("closed");
    const grant = await t.db.grant.findUniqueOrThrow({ where: { id: grantId }, include: { disbursements: { orderBy: { number: "asc" } }, reclaims: true } });
    expect(grant.reclaims).toEqual([]);
    expect(grant.disbursements.map((d) => [d.number, d.state, d.amountOre])).toEqual([
      [1, "paid", 500_000n],
      [2, "cancelled", 500_000n],
      [3, "planned", 100_000n],
    ]);
    expect((await t.db.disbursement.findUniqueOrThrow({ where: { id: second.id } })).state).toBe("cancelled");
    expect(await reconcile(t.db)).toEqual([]);
  });
});
