// The finance function's pages through the real routes: instalments to attest
// and pay (four eyes, checked bank accounts, late payment requests flagged) and
// reclaims (decide, waive, repay against the registration number, overdue).
import { beforeAll, describe, expect, it } from "vitest";
import * as paymentsPage from "../../app/routes/_app.ekonomi._index";
import * as reclaimsPage from "../../app/routes/_app.ekonomi.aterkrav";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { createApplicationDraft } from "../../app/workflow/create.server";
import { savePaymentPlan } from "../../app/payment-plan/plan.server";
import { reconcile } from "../../app/workflow/budget.server";
import { runTimeEvents } from "../../app/workflow/timers.server";
import { todayInStockholm } from "../../app/lib/dates";
import { makePublishedCall, makeUser } from "../support/fixtures";
import { buildSide, sessionCookie, useWorldDatabase, type Side } from "../access/world";
import { callRoute, failureOf } from "../admin-screens/helpers";

const t = useWorldDatabase();
let A: Side;
let B: Side;
let finance: string;
let registration: string;

type Row = { id: string; registrationNumber: string; number: number; state: string; due: boolean; mayAttest: boolean; mayPay: boolean; plannedByMe: boolean; whyNot: string | null; timing: string | null; bankAccount: string | null; version: number };

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
  finance = await sessionCookie(t.db, A.users.finance.id);
  registration = (await t.db.application.findUniqueOrThrow({ where: { id: A.grantedId } })).registrationNumber!;
}, 120_000);

const list = async (cookie: string, query = "?visa=alla") => (await (await callRoute(paymentsPage, "loader", `/ekonomi${query}`, { cookie })).json()).list as { rows: Row[]; views: { key: string; count: number }[] };
const postPayment = (cookie: string, form: Record<string, string>) => callRoute(paymentsPage, "action", "/ekonomi?visa=alla", { cookie, form });
const version = async (id: string) => String((await t.db.disbursement.findUniqueOrThrow({ where: { id } })).version);

describe("payments", () => {
  it("lists the board's own instalments only, with attest offered where the statechart allows it", async () => {
    const { rows } = await list(finance);
    expect(new Set(rows.map((r) => r.registrationNumber))).toEqual(new Set([registration]));
    const [first, second] = A.disbursementIds.map((id) => rows.find((r) => r.id === id)!);
    expect([first.mayAttest, first.mayPay]).toEqual([true, false]);
    // The second instalment waits for the final report (trigger not met): no attest button.
    expect([second.mayAttest, second.mayPay]).toEqual([false, false]);
    // Both were planned for 2020 and are unpaid: due now.
    expect([first.due, second.due]).toEqual([true, true]);
  });

  it("attests, then marks paid only with a valid account: a wrong bankgiro check digit is refused and nothing changes", async () => {
    const id = A.disbursementIds[0];
    const attest = await postPayment(finance, { intent: "ATTEST", disbursementId: id, version: await version(id) });
    expect(attest.status).toBe(302);
    expect(attest.headers.get("Location")).toBe("/ekonomi?visa=alla&klart=ATTEST");
    const attested = await t.db.disbursement.findUniqueOrThrow({ where: { id } });
    expect([attested.state, attested.attestedById]).toEqual(["attested", A.users.finance.id]);

    const bad = await postPayment(finance, { intent: "MARK_PAID", disbursementId: id, version: await version(id), paymentReference: `${registration}/1`, paidOn: todayInStockholm(), accountKind: "bankgiro", accountNumber: "5050-1056" });
    expect(bad.status).toBe(400);
    const f = await failureOf(bad);
    expect(f.fieldErrors.accountNumber).toBe("Bankgironumret är inte giltigt: kontrollsiffran stämmer inte. Kontrollera numret.");
    expect(f.values.accountNumber).toBe("5050-1056");
    expect((await t.db.disbursement.findUniqueOrThrow({ where: { id } })).state).toBe("attested");

    const noDate = await failureOf(await postPayment(finance, { intent: "MARK_PAID", disbursementId: id, version: await version(id), paymentReference: "", paidOn: "", accountKind: "", accountNumber: "" }));
    expect(noDate.fieldErrors).toMatchObject({ paymentReference: "Ange betalningsreferens.", paidOn: "Ange utbetalningsdag.", accountKind: "Välj bankgiro, plusgiro eller bankkonto." });

    const ok = await postPayment(finance, { intent: "MARK_PAID", disbursementId: id, version: await version(id), paymentReference: `${registration}/1`, paidOn: todayInStockholm(), accountKind: "bankgiro", accountNumber: "50501055" });
    expect(ok.status).toBe(302);
    const paid = await t.db.disbursement.findUniqueOrThrow({ where: { id } });
    expect([paid.state, paid.paidOn?.toISOString().slice(0, 10), paid.paymentReference, paid.bankAccount]).toEqual(["paid", todayInStockholm(), `${registration}/1`, "Bankgiro 5050-1055"]);
    expect((await t.db.grant.findUniqueOrThrow({ where: { applicationId: A.grantedId } })).paidOre).toBe(20_000_000n);
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("never lets the planner attest: no button for them, and a forged attest is refused by the four-eyes rule", async () => {
    const dual = await makeUser(t.db, [{ organizationId: A.boardId, role: "officer" }, { organizationId: A.boardId, role: "finance" }], "Dubbel Roll");
    const saved = await savePaymentPlan(t.db, dual, A.grantedId, { "rows.0.amount": "200 000", "rows.0.trigger": "at_start", "rows.0.plannedOn": "2099-06-01" });
    expect(saved.ok).toBe(true);
    const planned = await t.db.disbursement.findFirstOrThrow({ where: { grant: { applicationId: A.grantedId }, state: "planned" } });
    expect(planned.plannedById).toBe(dual.id);
    const dualCookie = await sessionCookie(t.db, dual.id);
    const mine = (await list(dualCookie)).rows.find((r) => r.id === planned.id)!;
    expect([mine.mayAttest, mine.plannedByMe, mine.whyNot]).toEqual([false, true, "Du planerade utbetalningen. En annan person attesterar."]);
    const forged = await postPayment(dualCookie, { intent: "ATTEST", disbursementId: planned.id, version: await version(planned.id) });
    expect(forged.status).toBe(422);
    expect((await failureOf(forged)).formError).toBe("Den som har planerat utbetalningen får inte själv attestera den.");
    expect((await t.db.disbursement.findUniqueOrThrow({ where: { id: planned.id } })).state).toBe("planned");
    // Someone else in finance may.
    expect((await list(finance)).rows.find((r) => r.id === planned.id)!.mayAttest).toBe(true);
    expect((await postPayment(finance, { intent: "ATTEST", disbursementId: planned.id, version: await version(planned.id) })).status).toBe(302);
  });

  it("is refused to other roles (403) and to another board's instalment (404)", async () => {
    for (const role of ["officer", "decision_maker", "coordinator", "applicant"] as const) {
      const cookie = await sessionCookie(t.db, A.users[role].id);
      expect((await callRoute(paymentsPage, "loader", "/ekonomi", { cookie })).status, role).toBe(403);
    }
    const res = await postPayment(finance, { intent: "ATTEST", disbursementId: B.disbursementIds[0], version: await version(B.disbursementIds[0]) });
    expect(res.status).toBe(404);
    expect((await t.db.disbursement.findUniqueOrThrow({ where: { id: B.disbursementIds[0] } })).state).toBe("planned");
  });

  it("flags a payment request that came in after its last day, and a request time that ran out, and shows the account", async () => {
    // A call whose grants must be requested within 30 days; decided in spring 2020.
    const { call } = await makePublishedCall(t.db, A.users.officer, A.boardId, { call: { paymentRequestRequired: true, paymentRequestDays: 30, paymentTerms: { instalments: [{ sharePercent: 100, trigger: "at_start" }] } } });
    const grant = async (title: string) => {
      const at = new Date("2020-03-01T10:00:00Z");
      const later = new Date("2020-04-01T10:00:00Z");
      const draft = await createApplicationDraft(t.db, A.users.applicant, call.id, A.applicantOrgId, { title, requestedOre: 10_000_000n, budgetLines: [{ category: "Personal", amountOre: 10_000_000n }] }, at);
      await applyWorkflowEvent(t.db, A.users.applicant, "application", draft.id, { type: "SUBMIT", requestedOre: 10_000_000 }, { now: at });
      await applyWorkflowEvent(t.db, A.users.officer, "application", draft.id, { type: "START_ASSESSMENT" }, { now: later });
      await applyWorkflowEvent(t.db, A.users.officer, "application", draft.id, { type: "PRESENT", recommendation: "approved", proposedGrantOre: 10_000_000 }, { now: later, details: { summary: "Bra." } });
      await applyWorkflowEvent(t.db, A.users.decision_maker, "application", draft.id, { type: "DECIDE", outcome: "approved", grantedOre: 10_000_000, reasons: "Uppfyller kraven." }, { now: later });
      return t.db.disbursement.findFirstOrThrow({ where: { grant: { applicationId: draft.id } } });
    };
    const inTime = await grant("Rekvirerat i tid");
    const expired = await grant("Aldrig rekvirerat");
    const late = await grant("Rekvirerat för sent");
    const lastDay = await grant("Rekvirerat på sista dagen");
    // 30 days from 1 April is Friday 1 May, a public holiday: the last day moves to Monday 4 May (lag 1930:173), and all of it counts.
    expect(inTime.requestDeadline?.toISOString().slice(0, 10)).toBe("2020-05-04");
    for (const d of [inTime, late]) {
      await applyWorkflowEvent(t.db, A.users.applicant, "disbursement", d.id, { type: "REQUEST_PAYMENT" }, { now: new Date("2020-04-20T10:00:00Z"), details: { bankAccount: "Bankgiro 5050-1055" } });
    }
    // The statechart takes a request late on the last day (22:00 in Stockholm)...
    await applyWorkflowEvent(t.db, A.users.applicant, "disbursement", lastDay.id, { type: "REQUEST_PAYMENT" }, { now: new Date("2020-05-04T20:00:00Z"), details: { bankAccount: "Bankgiro 5050-1055" } });
    // ...and the lapse job leaves it alone until that day is over.
    expect((await runTimeEvents(t.db, new Date("2020-05-04T21:00:00Z"))).instalmentsLapsed).toBe(0);
    // A request registered after the fact (a paper request that arrived on 5 May), as an import of earlier years' cases records it.
    await t.db.disbursement.update({ where: { id: late.id }, data: { requestedAt: new Date("2020-05-05T08:00:00Z") } });
    const { rows } = await list(finance);
    const row = (id: string) => rows.find((r) => r.id === id)!;
    expect([row(inTime.id).timing, row(lastDay.id).timing, row(expired.id).timing, row(late.id).timing]).toEqual([null, null, "expired", "late"]);
    expect(row(inTime.id).bankAccount).toBe("Bankgiro 5050-1055");
    const html = await (await callRoute(paymentsPage, "loader", "/ekonomi?visa=rekvirerade", { cookie: finance })).text();
    expect(html).toContain(late.id);
  });
});

describe("reclaims", () => {
  const postReclaim = (cookie: string, form: Record<string, string>) => callRoute(reclaimsPage, "action", "/ekonomi/aterkrav", { cookie, form: { intent: "event", kind: "application", ...form } });
  const appVersion = async (id: string) => String((await t.db.application.findUniqueOrThrow({ where: { id } })).version);
  const reclaimList = async (cookie: string, query = "?visa=alla") =>
    (await (await callRoute(reclaimsPage, "loader", `/ekonomi/aterkrav${query}`, { cookie })).json()).list as { rows: { registrationNumber: string; state: string; outstanding: string; overdue: boolean; actions: { type: string }[] }[] };

  it("decides a proposed reclaim, waives part of it with reasons, registers the repayment against the registration number, and closes the case", async () => {
    await applyWorkflowEvent(t.db, A.users.officer, "application", A.grantedId, { type: "PROPOSE_RECLAIM", ground: "not_used_for_purpose", amountOre: 5_000_000, reasons: "Medel har inte använts enligt ändamålet." });
    const before = await reclaimList(finance);
    expect(before.rows.map((r) => [r.registrationNumber, r.state])).toEqual([[registration, "proposed"]]);
    expect(before.rows[0].actions.map((a) => a.type).sort()).toEqual(["DECIDE_RECLAIM", "REJECT_RECLAIM"]);

    const decided = await postReclaim(finance, { caseId: A.grantedId, eventType: "DECIDE_RECLAIM", version: await appVersion(A.grantedId), amount: "50 000", dueDate: "2099-12-31", reasons: "Återbetalas enligt villkoren." });
    expect(decided.status, await decided.clone().text()).toBe(302);
    let reclaim = await t.db.reclaim.findFirstOrThrow({ where: { grant: { applicationId: A.grantedId } } });
    expect([reclaim.state, reclaim.amountOre, reclaim.dueOn?.toISOString().slice(0, 10), reclaim.decidedById]).toEqual(["decided", 5_000_000n, "2099-12-31", A.users.finance.id]);

    const noReason = await postReclaim(finance, { caseId: A.grantedId, eventType: "WAIVE", version: await appVersion(A.grantedId), waived: "20 000", reasons: "" });
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).fieldErrors.reasons).toBe("Skriv skälen för eftergiften.");
    expect((await postReclaim(finance, { caseId: A.grantedId, eventType: "WAIVE", version: await appVersion(A.grantedId), waived: "20 000", reasons: "Särskilda skäl: kostnader för inställda aktiviteter." })).status).toBe(302);
    reclaim = await t.db.reclaim.findFirstOrThrow({ where: { grant: { applicationId: A.grantedId } } });
    expect([reclaim.state, reclaim.waivedOre, reclaim.waiverReasons]).toEqual(["decided", 2_000_000n, "Särskilda skäl: kostnader för inställda aktiviteter."]);
    expect((await reclaimList(finance)).rows[0].outstanding).toBe("30\u00a0000\u00a0kr");

    const wrongRef = await postReclaim(finance, { caseId: A.grantedId, eventType: "MARK_REPAID", version: await appVersion(A.grantedId), amount: "30 000", paidOn: "2026-06-10", paymentReference: "Faktura 4411" });
    expect(wrongRef.status).toBe(400);
    expect((await wrongRef.json()).fieldErrors.paymentReference).toBe(`Betalningen ska vara märkt med ärendets diarienummer ${registration}.`);
    expect((await t.db.reclaim.findFirstOrThrow({ where: { grant: { applicationId: A.grantedId } } })).repaidOre).toBe(0n);
    // Another number that merely contains the registration number is not it.
    for (const paymentReference of [`1${registration}`, `${registration}9`, `Ref ${registration}-2`]) {
      const res = await postReclaim(finance, { caseId: A.grantedId, eventType: "MARK_REPAID", version: await appVersion(A.grantedId), amount: "30 000", paidOn: "2026-06-10", paymentReference });
      expect(res.status, paymentReference).toBe(400);
      expect((await res.json()).fieldErrors.paymentReference).toBe(`Betalningen ska vara märkt med ärendets diarienummer ${registration}.`);
    }
    expect((await t.db.reclaim.findFirstOrThrow({ where: { grant: { applicationId: A.grantedId } } })).repaidOre).toBe(0n);
    // Money that has not come in yet cannot be registered: a payment day in the future is refused.
    const future = await postReclaim(finance, { caseId: A.grantedId, eventType: "MARK_REPAID", version: await appVersion(A.grantedId), amount: "30 000", paidOn: "2099-06-10", paymentReference: registration });
    expect(future.status).toBe(400);
    expect((await future.json()).fieldErrors).toEqual({ paidOn: "Betalningsdagen kan inte ligga i framtiden." });
    expect((await t.db.reclaim.findFirstOrThrow({ where: { grant: { applicationId: A.grantedId } } })).repaidOre).toBe(0n);

    expect((await postReclaim(finance, { caseId: A.grantedId, eventType: "MARK_REPAID", version: await appVersion(A.grantedId), amount: "30 000", paidOn: "2026-06-10", paymentReference: `Återbetalning ${registration}/1` })).status).toBe(302);
    reclaim = await t.db.reclaim.findFirstOrThrow({ where: { grant: { applicationId: A.grantedId } } });
    expect([reclaim.state, reclaim.repaidOre, reclaim.repaidOn?.toISOString().slice(0, 10)]).toEqual(["repaid", 3_000_000n, "2026-06-10"]);
    expect((await postReclaim(finance, { caseId: A.grantedId, eventType: "CLOSE_CASE", version: await appVersion(A.grantedId) })).status).toBe(302);
    expect((await t.db.application.findUniqueOrThrow({ where: { id: A.grantedId } })).state).toBe("closed");
  });

  it("refuses the proposer as decider (four eyes), follows up overdue reclaims, and keeps each board's reclaims to itself", async () => {
    const dual = await makeUser(t.db, [{ organizationId: B.boardId, role: "officer" }, { organizationId: B.boardId, role: "finance" }], "Beta Dubbel");
    const bFinance = await sessionCookie(t.db, B.users.finance.id);
    const first = B.disbursementIds[0];
    await applyWorkflowEvent(t.db, B.users.finance, "disbursement", first, { type: "ATTEST" });
    await applyWorkflowEvent(t.db, B.users.finance, "disbursement", first, { type: "MARK_PAID", paidOn: "2020-04-20", paymentReference: "B/1" });
    await applyWorkflowEvent(t.db, dual, "application", B.grantedId, { type: "PROPOSE_RECLAIM", ground: "conditions_not_followed", amountOre: 10_000_000, reasons: "Villkoren har inte följts." }, { now: new Date("2020-05-01T10:00:00Z") });
    const byProposer = await postReclaim(await sessionCookie(t.db, dual.id), { caseId: B.grantedId, eventType: "DECIDE_RECLAIM", version: await appVersion(B.grantedId), amount: "100 000", dueDate: "2099-01-31", reasons: "Återbetalas." });
    expect(byProposer.status).toBe(422);
    expect((await byProposer.json()).formError).toBe("Den som föreslog återkravet får inte själv besluta om det.");
    expect((await t.db.reclaim.findFirstOrThrow({ where: { grant: { applicationId: B.grantedId } } })).state).toBe("proposed");

    // Decided in 2020 with a due date that has long passed, and not paid.
    await applyWorkflowEvent(t.db, B.users.finance, "application", B.grantedId, { type: "DECIDE_RECLAIM", amountOre: 10_000_000, dueDate: "2020-06-30T21:59:59Z", reasons: "Återbetalas senast 30 juni." }, { now: new Date("2020-05-15T10:00:00Z") });
    const overdue = await reclaimList(bFinance, "?visa=forfallna");
    expect(overdue.rows.map((r) => [r.state, r.overdue, r.outstanding])).toEqual([["decided", true, "100\u00a0000\u00a0kr"]]);
    expect((await reclaimList(finance, "?visa=forfallna")).rows).toEqual([]);
    expect((await reclaimList(finance)).rows.map((r) => r.registrationNumber)).not.toContain((await t.db.application.findUniqueOrThrow({ where: { id: B.grantedId } })).registrationNumber);
    // A's finance cannot act on B's reclaim.
    expect((await postReclaim(finance, { caseId: B.grantedId, eventType: "WAIVE", version: await appVersion(B.grantedId), waived: "1", reasons: "x" })).status).toBe(404);
    expect(await reconcile(t.db)).toEqual([]);
  });
});
