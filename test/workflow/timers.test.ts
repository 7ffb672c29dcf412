// Time-driven events: calls close at their closing time and unrequested
// instalments lapse after their request deadline, as the system, audited.
import { describe, it, expect } from "vitest";
import { useTestDatabase } from "../support/db";
import { boardOf, makeOrganization, makePublishedCall, makeUser } from "../support/fixtures";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { createApplicationDraft } from "../../app/workflow/create.server";
import { runTimeEvents } from "../../app/workflow/timers.server";
import { reconcile } from "../../app/workflow/budget.server";

const t = useTestDatabase();

describe("time-driven events", () => {
  it("closes a call at its closing time and lets an unrequested instalment lapse after its deadline", async () => {
    const board = await boardOf(t.db, "05");
    const org = await makeOrganization(t.db, { name: "Motala kommun", municipalityCode: "0583" });
    const officer = await makeUser(t.db, [{ organizationId: board.id, role: "officer" }]);
    const decider = await makeUser(t.db, [{ organizationId: board.id, role: "decision_maker" }]);
    const applicant = await makeUser(t.db, [{ organizationId: org.id, role: "applicant" }]);
    const { call } = await makePublishedCall(t.db, officer, board.id, {
      call: { title: "Rekvireras", budgetOre: 5_000_000n, appealNotice: "Beslutet kan överklagas.", paymentTerms: { instalments: [{ sharePercent: 100, trigger: "at_start" }] }, paymentRequestRequired: true, paymentRequestDays: 30 },
    });
    const at = new Date("2020-03-01T10:00:00Z");
    const draft = await createApplicationDraft(t.db, applicant, call.id, org.id, { title: "Rekvisition", requestedOre: 1_000_000n }, at);
    await applyWorkflowEvent(t.db, applicant, "application", draft.id, { type: "SUBMIT", requestedOre: 1_000_000 }, { now: at });

    // Before the closing time nothing happens.
    expect(await runTimeEvents(t.db, new Date("2020-03-31T21:00:00Z"))).toEqual({ callsClosed: 0, instalmentsLapsed: 0 });
    expect(await runTimeEvents(t.db, new Date("2020-04-01T00:00:00Z"))).toEqual({ callsClosed: 1, instalmentsLapsed: 0 });
    expect((await t.db.call.findUniqueOrThrow({ where: { id: call.id } })).state).toBe("closed");
    const closeEvent = await t.db.auditEvent.findFirstOrThrow({ where: { caseId: call.id, eventType: "CLOSE_BY_TIME" } });
    expect(closeEvent.actorId).toBeNull();

    const decidedAt = new Date("2020-04-02T10:00:00Z");
    await applyWorkflowEvent(t.db, officer, "application", draft.id, { type: "START_ASSESSMENT" }, { now: decidedAt });
    await applyWorkflowEvent(t.db, officer, "application", draft.id, { type: "PRESENT", recommendation: "approved" }, { now: decidedAt });
    await applyWorkflowEvent(t.db, decider, "application", draft.id, { type: "DECIDE", outcome: "approved", grantedOre: 1_000_000, reasons: "Bra." }, { now: decidedAt });
    const instalment = await t.db.disbursement.findFirstOrThrow({ where: { grant: { applicationId: draft.id } } });
    expect(instalment.requestDeadline).not.toBeNull();

    // A user cannot send the system's event.
    const forged = await applyWorkflowEvent(t.db, officer, "disbursement", instalment.id, { type: "LAPSE" }, { now: new Date("2020-06-01T00:00:00Z") }).catch((e) => e);
    expect(forged.rule).toBe("systemEventOnly");

    expect((await runTimeEvents(t.db, new Date("2020-04-20T00:00:00Z"))).instalmentsLapsed).toBe(0);
    expect((await runTimeEvents(t.db, new Date("2020-06-01T00:00:00Z"))).instalmentsLapsed).toBe(1);
    expect((await t.db.disbursement.findUniqueOrThrow({ where: { id: instalment.id } })).state).toBe("lapsed");
    expect((await t.db.grant.findUniqueOrThrow({ where: { applicationId: draft.id } })).plannedOre).toBe(0n);
    expect(await reconcile(t.db)).toEqual([]);
  });
});
