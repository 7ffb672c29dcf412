// The workflow engine against a real PostgreSQL: a case's whole life, refusals
// that change nothing, the budget chain, the audit chain and reconciliation.
import { describe, it, expect, beforeAll } from "vitest";
import { useTestDatabase } from "../support/db";
import { boardOf, makeOrganization, makePublishedCall, makeUser } from "../support/fixtures";
import pg from "pg";
import { countSocketWrites } from "../support/socket-writes";
import { applyWorkflowEvent, allowedEvents, allowedEventsForCases } from "../../app/workflow/engine.server";
import { createApplicationDraft } from "../../app/workflow/create.server";
import { planOnGrant, reconcile } from "../../app/workflow/budget.server";
import { insertRows, WriteBatch } from "../../app/workflow/tx.server";
import { sqlOf } from "../../app/sql.server";
import { verifyAuditChains } from "../../app/workflow/audit.server";
import { WorkflowRefused } from "../../app/workflow/errors";

const t = useTestDatabase();
const MSEK = 100_000_000n; // 1 000 000 kr in öre

describe("workflow engine", () => {
  let officer: Awaited<ReturnType<typeof makeUser>>;
  let officer2: Awaited<ReturnType<typeof makeUser>>;
  let decider: Awaited<ReturnType<typeof makeUser>>;
  let finance: Awaited<ReturnType<typeof makeUser>>;
  let applicant: Awaited<ReturnType<typeof makeUser>>;
  let callId: string;
  let applicantOrgId: string;

  beforeAll(async () => {
    const board = await boardOf(t.db, "05");
    const stockholm = await boardOf(t.db, "01");
    const org = await makeOrganization(t.db, { name: "Linköpings kommun", municipalityCode: "0580" });
    applicantOrgId = org.id;
    officer = await makeUser(t.db, [{ organizationId: board.id, role: "officer" }], "Handläggare");
    officer2 = await makeUser(t.db, [{ organizationId: board.id, role: "officer" }], "Handläggare 2");
    decider = await makeUser(t.db, [{ organizationId: board.id, role: "decision_maker" }], "Beslutsfattare");
    finance = await makeUser(t.db, [{ organizationId: board.id, role: "finance" }], "Ekonomi");
    applicant = await makeUser(t.db, [{ organizationId: org.id, role: "applicant" }], "Sökande");

    const { call } = await makePublishedCall(t.db, officer, board.id, { coordinatingBoardId: stockholm.id, totalOre: 20n * MSEK, allocationOre: 5n * MSEK, call: { budgetOre: 1n * MSEK } });
    callId = call.id;
  });

  async function submittedApplication(requestedOre: bigint) {
    const at = new Date("2020-03-01T10:00:00Z");
    const draft = await createApplicationDraft(t.db, applicant, callId, applicantOrgId, { title: "Kompetenslyft i skolan", requestedOre }, at);
    await applyWorkflowEvent(t.db, applicant, "application", draft.id, { type: "SUBMIT", requestedOre: Number(requestedOre) }, { now: at });
    return draft.id;
  }

  it("takes an application from draft to an approved grant with a payment plan, registered and audited", async () => {
    const id = await submittedApplication(40_000_000n);
    const registered = await t.db.application.findUniqueOrThrow({ where: { id } });
    expect(registered.state).toBe("submitted");
    expect(registered.registrationNumber).toMatch(/^05-2020-\d{4}$/);

    const now = new Date("2020-04-02T10:00:00Z");
    await applyWorkflowEvent(t.db, officer, "application", id, { type: "START_ASSESSMENT" }, { now });
    await applyWorkflowEvent(t.db, officer, "application", id, { type: "PRESENT", recommendation: "approved", proposedGrantOre: 40_000_000 }, { now, details: { summary: "Väl genomarbetad." } });
    expect(await allowedEvents(t.db, officer, "application", id, now)).not.toContain("DECIDE");
    expect(await allowedEvents(t.db, decider, "application", id, now)).toContain("DECIDE");

    const out = await applyWorkflowEvent(t.db, decider, "application", id, { type: "DECIDE", outcome: "approved", grantedOre: 40_000_000, reasons: "Ansökan uppfyller kriterierna." }, { now, details: { conditions: "Redovisa senast 2021-02-28." } });
    expect(out.state.startsWith("grantActive")).toBe(true);

    const grant = await t.db.grant.findUniqueOrThrow({ where: { applicationId: id }, include: { disbursements: true, reports: true } });
    expect(grant.amountOre).toBe(40_000_000n);
    expect(grant.disbursements.map((d) => d.amountOre).sort()).toEqual([20_000_000n, 20_000_000n]);
    expect(grant.plannedOre).toBe(40_000_000n);
    expect(grant.reports.map((r) => r.kind)).toEqual(["final"]);
    const decision = await t.db.decision.findFirstOrThrow({ where: { applicationId: id } });
    expect(decision.decisionMakerId).toBe(decider.id);
    expect(decision.presenterId).toBe(officer.id);
    expect((await t.db.call.findUniqueOrThrow({ where: { id: callId } })).grantedOre).toBe(40_000_000n);

    // Each applied event leaves one outbox message for notifications, written in the same transaction.
    const outbox = await t.db.outboxMessage.findMany({ where: { caseId: id }, orderBy: { id: "asc" } });
    expect(outbox.map((m) => m.topic)).toEqual(["application.SUBMIT", "application.START_ASSESSMENT", "application.PRESENT", "application.DECIDE"]);

    expect(await reconcile(t.db)).toEqual([]);
    const chains = await verifyAuditChains(t.db);
    expect(chains.firstBreak).toBeNull();
  });

  it("refuses a decision by the officer who presented, and changes nothing", async () => {
    const board = await boardOf(t.db, "05");
    const both = await makeUser(t.db, [{ organizationId: board.id, role: "officer" }, { organizationId: board.id, role: "decision_maker" }]);
    const id = await submittedApplication(10_000_000n);
    const now = new Date("2020-04-02T10:00:00Z");
    await applyWorkflowEvent(t.db, both, "application", id, { type: "START_ASSESSMENT" }, { now });
    await applyWorkflowEvent(t.db, both, "application", id, { type: "PRESENT", recommendation: "approved" }, { now });
    const before = await t.db.application.findUniqueOrThrow({ where: { id } });
    const events = await t.db.auditEvent.count({ where: { caseId: id } });
    const err = await applyWorkflowEvent(t.db, both, "application", id, { type: "DECIDE", outcome: "approved", grantedOre: 10_000_000, reasons: "Bra." }, { now }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowRefused);
    expect(err.rule).toBe("fourEyes");
    const after = await t.db.application.findUniqueOrThrow({ where: { id } });
    expect(after.version).toBe(before.version);
    expect(after.state).toBe("presented");
    expect(await t.db.auditEvent.count({ where: { caseId: id } })).toBe(events);
    expect(await t.db.decision.count({ where: { applicationId: id } })).toBe(0);
    expect(await t.db.outboxMessage.count({ where: { caseId: id, topic: "application.DECIDE" } })).toBe(0);
  });

  it("checks the call's terms at submission against the database, not the draft's copy", async () => {
    const at = new Date("2020-03-01T10:00:00Z");
    // Over the call's maximum amount.
    const call = await t.db.call.update({ where: { id: callId }, data: { maxAmountOre: 50_000_000n } });
    const big = await createApplicationDraft(t.db, applicant, callId, applicantOrgId, { title: "För stort", requestedOre: 60_000_000n }, at);
    const tooBig = await applyWorkflowEvent(t.db, applicant, "application", big.id, { type: "SUBMIT", requestedOre: 60_000_000 }, { now: at }).catch((e) => e);
    expect(tooBig.rule).toBe("requestedWithinMaxAmount");
    expect((await t.db.application.findUniqueOrThrow({ where: { id: big.id } })).registrationNumber).toBeNull();
    await t.db.call.update({ where: { id: call.id }, data: { maxAmountOre: null } });

    // A kind of organization the call is not open to.
    const association = await makeOrganization(t.db, { name: "Kvinnojouren", kind: "nonprofit_association" });
    const volunteer = await makeUser(t.db, [{ organizationId: association.id, role: "applicant" }]);
    const draft = await createApplicationDraft(t.db, volunteer, callId, association.id, { title: "Stödgrupper", requestedOre: 1_000_000n }, at);
    const ineligible = await applyWorkflowEvent(t.db, volunteer, "application", draft.id, { type: "SUBMIT", requestedOre: 1_000_000 }, { now: at }).catch((e) => e);
    expect(ineligible.rule).toBe("applicantKindEligible");
    expect(ineligible.userMessage).toMatch(/typ av organisation/);
  });

  it("refuses a stale version as a conflict", async () => {
    const id = await submittedApplication(1_000_000n);
    const row = await t.db.application.findUniqueOrThrow({ where: { id } });
    await applyWorkflowEvent(t.db, officer, "application", id, { type: "START_ASSESSMENT" }, { expectedVersion: row.version, now: new Date("2020-04-02T10:00:00Z") });
    const err = await applyWorkflowEvent(t.db, officer2, "application", id, { type: "REQUEST_COMPLETION", message: "Bifoga budget.", deadline: "2020-05-01T00:00:00Z" }, { expectedVersion: row.version, now: new Date("2020-04-02T10:00:00Z") }).catch((e) => e);
    expect(err.rule).toBe("versionConflict");
    expect(err.status).toBe(409);
  });

  it("pays an instalment with four eyes and keeps the grant's totals", async () => {
    const grant = await t.db.grant.findFirstOrThrow({ include: { disbursements: { orderBy: { number: "asc" } } } });
    const first = grant.disbursements[0];
    const now = new Date("2020-04-03T10:00:00Z");
    await applyWorkflowEvent(t.db, finance, "disbursement", first.id, { type: "ATTEST" }, { now });
    await applyWorkflowEvent(t.db, finance, "disbursement", first.id, { type: "MARK_PAID", paymentReference: "BG 123-4567", paidOn: "2020-04-06" }, { now });
    const after = await t.db.grant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(after.paidOre).toBe(first.amountOre);
    const second = grant.disbursements[1];
    const err = await applyWorkflowEvent(t.db, finance, "disbursement", second.id, { type: "ATTEST" }, { now }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowRefused);
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("a grant total's refusal among the statements sent without waiting still stops the whole event before COMMIT", async () => {
    const id = await submittedApplication(1_000_000n);
    const now = new Date("2020-04-02T10:00:00Z");
    await applyWorkflowEvent(t.db, officer, "application", id, { type: "START_ASSESSMENT" }, { now });
    await applyWorkflowEvent(t.db, officer, "application", id, { type: "PRESENT", recommendation: "approved", proposedGrantOre: 1_000_000 }, { now });
    await applyWorkflowEvent(t.db, decider, "application", id, { type: "DECIDE", outcome: "approved", grantedOre: 1_000_000, reasons: "Bra." }, { now });
    const grant = await t.db.grant.findUniqueOrThrow({ where: { applicationId: id }, include: { disbursements: { orderBy: { number: "asc" } } } });
    const first = grant.disbursements[0];
    await applyWorkflowEvent(t.db, finance, "disbursement", first.id, { type: "ATTEST" }, { now });
    const before = await t.db.disbursement.findUniqueOrThrow({ where: { id: first.id } });
    const events = await t.db.auditEvent.count({ where: { caseId: first.id } });
    // The grant's planned total no longer covers this payment: payOnGrant's conditional UPDATE changes no row.
    await t.db.$executeRaw`update "Grant" set "plannedOre" = ${first.amountOre - 1n} where id = ${grant.id}::uuid`;
    try {
      const err = await applyWorkflowEvent(t.db, finance, "disbursement", first.id, { type: "MARK_PAID", paymentReference: "BG 123-4567", paidOn: "2020-04-06" }, { now }).catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowRefused);
      expect(err.rule).toBe("paidWithinGrant");
      // The payment's own row and state were written after that UPDATE went out: all rolled back.
      const after = await t.db.disbursement.findUniqueOrThrow({ where: { id: first.id } });
      expect({ state: after.state, version: after.version, paidOn: after.paidOn, paymentReference: after.paymentReference }).toEqual({
        state: before.state,
        version: before.version,
        paidOn: before.paidOn,
        paymentReference: before.paymentReference,
      });
      expect(await t.db.auditEvent.count({ where: { caseId: first.id } })).toBe(events);
      expect((await t.db.grant.findUniqueOrThrow({ where: { id: grant.id } })).paidOre).toBe(0n);
    } finally {
      await t.db.$executeRaw`update "Grant" set "plannedOre" = ${grant.plannedOre} where id = ${grant.id}::uuid`;
    }
    expect(await reconcile(t.db)).toEqual([]);
  });

  /** Every statement sent to PostgreSQL while `fn` runs (Prisma and plain pg both end in pg.Client#query). */
  async function statementsOf(fn: () => Promise<unknown>, unanswered?: number[]): Promise<string[]> {
    const original = pg.Client.prototype.query;
    const seen: string[] = [];
    let open = 0;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { text: string };
      seen.push(typeof q === "string" ? q : q.text);
      // How many statements were still unanswered when this one went out (pipelining).
      unanswered?.push(open);
      const r = (original as (...a: unknown[]) => unknown).apply(this, args);
      if (r instanceof Promise) {
        open++;
        r.then(
          () => open--,
          () => open--,
        );
      }
      return r;
    } as typeof original;
    try {
      await fn();
    } finally {
      pg.Client.prototype.query = original;
    }
    return seen.map((q) => q.replace(/\s+/g, " ").trim());
  }

  it("tells the buttons of several cases in one statement, the same as case by case", async () => {
    const grant = await t.db.grant.findFirstOrThrow({ include: { disbursements: { orderBy: { number: "asc" } } } });
    const ids = grant.disbursements.map((d) => d.id);
    const missing = "00000000-0000-4000-8000-000000000000";
    const now = new Date("2020-04-03T10:00:00Z");
    for (const user of [finance, officer, applicant]) {
      let many = new Map<string, string[]>();
      const statements = await statementsOf(async () => (many = await allowedEventsForCases(t.db, user, "disbursement", [...ids, missing], now)));
      expect(statements).toHaveLength(1);
      expect([...many.keys()].sort()).toEqual([...ids].sort());
      for (const id of ids) expect(many.get(id)).toEqual(await allowedEvents(t.db, user, "disbursement", id, now));
    }
    const apps = await t.db.application.findMany({ where: { callId }, select: { id: true } });
    const byApp = await allowedEventsForCases(t.db, decider, "application", apps.map((a) => a.id), now);
    for (const a of apps) expect(byApp.get(a.id)).toEqual(await allowedEvents(t.db, decider, "application", a.id, now));
    await expect(allowedEvents(t.db, decider, "application", missing, now)).rejects.toMatchObject({ status: 404 });
  });

  it("approves in five statements, the call's budget UPDATE last, sent together with COMMIT (its row lock is held only while PostgreSQL commits)", async () => {
    const id = await submittedApplication(2_000_000n);
    const now = new Date("2020-04-02T10:00:00Z");
    await applyWorkflowEvent(t.db, officer, "application", id, { type: "START_ASSESSMENT" }, { now });
    await applyWorkflowEvent(t.db, officer, "application", id, { type: "PRESENT", recommendation: "approved", proposedGrantOre: 2_000_000 }, { now });
    const unanswered: number[] = [];
    const socket = countSocketWrites();
    const statements = await statementsOf(
      () => applyWorkflowEvent(t.db, decider, "application", id, { type: "DECIDE", outcome: "approved", grantedOre: 2_000_000, reasons: "Bra." }, { now }),
      unanswered,
    ).finally(() => socket.stop());
    const writes = socket.writes;
    // Two socket writes: BEGIN with the load; then every write of the event with the budget UPDATE and COMMIT.
    expect(writes).toBe(2);
    expect(statements[0]).toBe("begin");
    expect(statements.at(-1)).toBe("commit");
    expect(statements.at(-2)).toMatch(/^with changed as \(update "Call" set "grantedOre" = "grantedOre" \+ .* select workflow_expect\(/);
    expect(statements.filter((s) => /update "Call"/.test(s))).toHaveLength(1);
    // BEGIN, the load, one statement for every write of the case (decision, grant with its planned total,
    // instalments, report, state, audit, outbox), the budget, COMMIT. The new grant's planned total went
    // into its INSERT: no UPDATE of "Grant".
    expect(statements).toHaveLength(5);
    expect(statements.filter((s) => /update "Grant"/.test(s))).toEqual([]);
    expect(statements[2]).toMatch(/insert into "Grant" \(.*"plannedOre"/);
    // Pipelined: BEGIN's answer is not awaited before the load goes out, nor the budget UPDATE's before COMMIT.
    expect(unanswered[1]).toBeGreaterThan(0);
    expect(unanswered.at(-1)).toBeGreaterThan(0);
    const grant = await t.db.grant.findUniqueOrThrow({ where: { applicationId: id }, include: { disbursements: true, reports: true } });
    expect(grant.plannedOre).toBe(2_000_000n);
    expect(grant.disbursements).toHaveLength(2);
    expect(await reconcile(t.db)).toEqual([]);
    expect((await verifyAuditChains(t.db)).firstBreak).toBeNull();
  });

  it("plans on a grant whose INSERT is still queued by changing the queued row, under the same rule", async () => {
    const grantId = "00000000-0000-4000-8000-000000000001";
    const outcome = await sqlOf(t.db)
      .transaction(async (sql) => {
        const tx = new WriteBatch(sql);
        await insertRows(tx, "Grant", [{ id: grantId, amountOre: 1_000n, plannedOre: 0n, paidOre: 0n }]);
        await planOnGrant(tx, grantId, 600n);
        expect(tx.queuedRow("Grant", grantId)?.plannedOre).toBe(600n);
        const refused = await planOnGrant(tx, grantId, 401n).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(WorkflowRefused);
        expect((refused as WorkflowRefused).rule).toBe("disbursementsWithinGrant");
        expect(tx.queuedRow("Grant", grantId)?.plannedOre).toBe(600n);
        await planOnGrant(tx, grantId, 400n);
        expect(tx.queuedRow("Grant", grantId)?.plannedOre).toBe(1_000n);
        throw new Error("roll back: the row never had its decision and application");
      })
      .catch((e: Error) => e.message);
    expect(outcome).toMatch(/^roll back/);
  });

  it("refuses a submission once the officer has closed the call by hand, before its closing time", async () => {
    const at = new Date("2020-03-01T10:00:00Z");
    const draft = await createApplicationDraft(t.db, applicant, callId, applicantOrgId, { title: "Sent inlämnad", requestedOre: 1_000_000n }, at);
    await applyWorkflowEvent(t.db, officer, "call", callId, { type: "CLOSE" }, { now: at });
    const err = await applyWorkflowEvent(t.db, applicant, "application", draft.id, { type: "SUBMIT", requestedOre: 1_000_000 }, { now: at }).catch((e) => e);
    expect(err.rule).toBe("callIsOpen");
    expect(await allowedEvents(t.db, applicant, "application", draft.id, at)).not.toContain("SUBMIT");
  });
});
