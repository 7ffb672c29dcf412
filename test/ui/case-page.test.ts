// The case page's loader and action against a real database: the forms are
// exactly the events the statecharts allow, a refused event answers 422 with
// the rule's Swedish message and changes nothing, a stale version answers 409,
// invalid input answers 400 keeping what the user typed, success redirects.
import { beforeAll, describe, expect, it } from "vitest";
import * as casePage from "../../app/routes/_app.arenden.$id";
import { allowedEvents, applyWorkflowEvent } from "../../app/workflow/engine.server";
import { createApplicationDraft } from "../../app/workflow/create.server";
import { confirmationFor, loadCaseView, type CaseView } from "../../app/cases/case.server";
import type { CaseActionError } from "../../app/cases/case-actions.server";
import { makeUser } from "../support/fixtures";
import { todayInStockholm } from "../../app/lib/dates";
import { ROLES, browserRequest, buildSide, responseOf, sessionCookie, useWorldDatabase, type Side } from "../access/world";

const t = useWorldDatabase();
let A: Side;

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
}, 120_000);

/**
 * The case page's data for a user. Applicants are sent to their own page (/ansokningar/:id);
 * for them the same case view is loaded directly, as that page shows it.
 */
async function load(userId: string, id: string, query = ""): Promise<{ case: CaseView; confirmation: string | null }> {
  const cookie = await sessionCookie(t.db, userId);
  const res = await responseOf(() => casePage.loader({ request: browserRequest(`/arenden/${id}${query}`, { cookie }), params: { id }, context: {} }));
  if (res.status === 302) {
    expect(res.headers.get("Location")).toBe(`/ansokningar/${id}`);
    const memberships = await t.db.membership.findMany({ where: { userId }, select: { organizationId: true, role: true } });
    expect(memberships.every((m) => m.role === "applicant")).toBe(true);
    return { case: await loadCaseView(t.db, { id: userId, memberships }, id), confirmation: confirmationFor(new URLSearchParams(query).get("klart")) };
  }
  expect(res.status).toBe(200);
  return res.json();
}

async function post(userId: string, id: string, form: Record<string, string>) {
  const cookie = await sessionCookie(t.db, userId);
  return responseOf(() => casePage.action({ request: browserRequest(`/arenden/${id}`, { cookie, form: { intent: "event", ...form } }), params: { id }, context: {} }));
}

async function snapshotOf(id: string) {
  const a = await t.db.application.findUniqueOrThrow({ where: { id } });
  return {
    state: a.state,
    version: a.version,
    audit: await t.db.auditEvent.count({ where: { caseId: id } }),
    decisions: await t.db.decision.count({ where: { applicationId: id } }),
    call: (await t.db.call.findUniqueOrThrow({ where: { id: a.callId } })).grantedOre,
  };
}

describe("case page", () => {
  it("sends the applicant to its own page: /arenden/:id is the authorities' view", async () => {
    const cookie = await sessionCookie(t.db, A.users.applicant.id);
    const res = await responseOf(() => casePage.loader({ request: browserRequest(`/arenden/${A.grantedId}`, { cookie }), params: { id: A.grantedId }, context: {} }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/ansokningar/${A.grantedId}`);
    const post = await responseOf(() => casePage.action({ request: browserRequest(`/arenden/${A.grantedId}`, { cookie, form: { intent: "event" } }), params: { id: A.grantedId }, context: {} }));
    expect(post.status).toBe(302);
  });

  it("offers each role exactly the events the statecharts allow, on the application and on each instalment", async () => {
    for (const role of ROLES) {
      for (const id of [A.grantedId, A.presentedId, A.submittedId, ...(role === "applicant" ? [A.draftId] : [])]) {
        const user = A.users[role];
        const { case: c } = await load(user.id, id);
        expect(c.actions.map((a) => a.type), `${role} on ${c.state}`).toEqual(await allowedEvents(t.db, user, "application", id));
        for (const d of c.disbursements) {
          expect(d.actions.map((a) => a.type), `${role} on instalment ${d.number}`).toEqual(await allowedEvents(t.db, user, "disbursement", d.id));
        }
      }
    }
    // Spot checks of what that means in words.
    expect((await load(A.users.officer.id, A.submittedId)).case.actions.map((a) => a.label)).toEqual(["Påbörja handläggning", "Anmäl jäv"]);
    expect((await load(A.users.decision_maker.id, A.presentedId)).case.actions.map((a) => a.label)).toContain("Fatta beslut");
    expect((await load(A.users.officer.id, A.presentedId)).case.actions.map((a) => a.type)).not.toContain("DECIDE");
    expect((await load(A.users.applicant.id, A.draftId)).case.actions.map((a) => a.label)).toEqual(["Skicka in ansökan", "Återta ansökan"]);
    const finance = await load(A.users.finance.id, A.grantedId);
    expect(finance.case.disbursements.map((d) => d.actions.map((a) => a.label))).toEqual([["Attestera", "Stoppa utbetalningen"], ["Stoppa utbetalningen"]]);
  });

  it("shows the case in Swedish: amounts as kronor, the decision's who-decided sentence, the timeline with state labels", async () => {
    const { case: c } = await load(A.users.applicant.id, A.grantedId);
    expect(c.requested).toBe("400\u00a0000\u00a0kr");
    expect(c.granted).toBe("400\u00a0000\u00a0kr");
    expect(c.stateLabel).toBe("Bidrag beviljat – slutredovisning ska lämnas");
    expect(c.decisions).toHaveLength(1);
    expect(c.decisions[0].decisionMaker).toBe("Alfa decision_maker");
    expect(c.decisions[0].presenter).toBe("Alfa officer");
    expect(c.grant).toMatchObject({ amount: "400\u00a0000\u00a0kr", paid: "0\u00a0kr", leftToPay: "400\u00a0000\u00a0kr" });
    expect(c.disbursements.map((d) => [d.amount, d.stateLabel])).toEqual([
      ["200\u00a0000\u00a0kr", "Planerad"],
      ["200\u00a0000\u00a0kr", "Planerad"],
    ]);
    const steps = c.timeline.map((e) => `${e.what}: ${e.from ?? "–"} → ${e.to ?? "–"} (${e.who})`);
    expect(steps).toContain("Ansökan inlämnad och registrerad: Utkast → Inlämnad (Alfa applicant)");
    expect(steps).toContain("Beslut fattat: Föredragen → Bidrag beviljat – slutredovisning ska lämnas (Alfa decision_maker)");
    expect(c.timeline.at(0)?.at).toMatch(/^2020-03-01 11:00$/); // 10:00 UTC is 11:00 in Stockholm in March
    expect(c.assessments).toEqual([]); // internal case work is not the applicant's
  });

  it("refuses a decision by the person who presented the case (four eyes): 422, the rule in Swedish, typed values kept, nothing changed", async () => {
    const both = await makeUser(t.db, [
      { organizationId: A.boardId, role: "officer" },
      { organizationId: A.boardId, role: "decision_maker" },
    ], "Alfa båda rollerna");
    const now0 = new Date("2020-03-02T09:00:00Z");
    const draft = await createApplicationDraft(t.db, A.users.applicant, A.callId, A.applicantOrgId, { title: "Fyra ögon-prövning", requestedOre: 3_000_000n }, now0);
    const now = new Date("2020-03-02T10:00:00Z");
    await applyWorkflowEvent(t.db, A.users.applicant, "application", draft.id, { type: "SUBMIT", requestedOre: 3_000_000 }, { now });
    await applyWorkflowEvent(t.db, both, "application", draft.id, { type: "START_ASSESSMENT" }, { now });
    await applyWorkflowEvent(t.db, both, "application", draft.id, { type: "PRESENT", recommendation: "approved" }, { now });
    expect(await allowedEvents(t.db, both, "application", draft.id)).not.toContain("DECIDE");

    const before = await snapshotOf(draft.id);
    const res = await post(both.id, draft.id, { kind: "application", caseId: draft.id, eventType: "DECIDE", version: String(before.version), outcome: "approved", granted: "30 000", reasons: "Jag tycker bra." });
    expect(res.status).toBe(422);
    const body: CaseActionError = await res.json();
    expect(body.formError).toBe("Den som har föredragit ärendet får inte också besluta i det.");
    expect(body.formKey).toBe(`application-${draft.id}-DECIDE`);
    expect(body.values).toMatchObject({ outcome: "approved", granted: "30 000", reasons: "Jag tycker bra." });
    expect(await snapshotOf(draft.id)).toEqual(before);

    // Another decision maker may.
    const ok = await post(A.users.decision_maker.id, draft.id, { kind: "application", caseId: draft.id, eventType: "DECIDE", version: String(before.version), outcome: "approved", granted: "", reasons: "Uppfyller kriterierna." });
    expect(ok.status, await ok.clone().text()).toBe(302);
    expect((await snapshotOf(draft.id)).state).toBe("grantActive.finalReport.due");
  });

  it("answers 409 to a stale version (someone else acted first), and nothing changes", async () => {
    const before = await snapshotOf(A.submittedId);
    const first = await post(A.users.officer.id, A.submittedId, { kind: "application", caseId: A.submittedId, eventType: "START_ASSESSMENT", version: String(before.version) });
    expect(first.status).toBe(302);
    const after = await snapshotOf(A.submittedId);
    expect(after.version).toBe(before.version + 1);

    const stale = await post(A.officer2.id, A.submittedId, { kind: "application", caseId: A.submittedId, eventType: "REQUEST_COMPLETION", version: String(before.version), message: "Bifoga budget.", deadline: "2099-05-01" });
    expect(stale.status).toBe(409);
    const body: CaseActionError = await stale.json();
    expect(body.formError).toMatch(/ändrats av någon annan/);
    expect(body.values).toMatchObject({ message: "Bifoga budget.", deadline: "2099-05-01" });
    expect(await snapshotOf(A.submittedId)).toEqual(after);
  });

  it("answers 400 with a Swedish message per field for invalid input, keeping what was typed", async () => {
    const v = (await snapshotOf(A.presentedId)).version;
    const res = await post(A.users.decision_maker.id, A.presentedId, { kind: "application", caseId: A.presentedId, eventType: "DECIDE", version: String(v), outcome: "", granted: "1.500", reasons: "  " });
    expect(res.status).toBe(400);
    const body: CaseActionError = await res.json();
    expect(body.fieldErrors).toEqual({
      outcome: "Välj bifall, delvis bifall eller avslag.",
      granted: expect.stringContaining("inte punkt"),
      reasons: "Skriv en motivering till beslutet.",
    });
    expect(body.values.granted).toBe("1.500");
    expect((await snapshotOf(A.presentedId)).version).toBe(v);
  });

  it("takes dates in Stockholm and amounts in kronor: a completion request is due the whole day typed", async () => {
    const v = (await snapshotOf(A.submittedId)).version; // in assessment since the 409 test
    const res = await post(A.officer2.id, A.submittedId, { kind: "application", caseId: A.submittedId, eventType: "REQUEST_COMPLETION", version: String(v), message: "Bifoga budget.", deadline: "2099-05-01" });
    expect(res.status, await res.clone().text()).toBe(302);
    expect(res.headers.get("Location")).toBe(`/arenden/${A.submittedId}?klart=application.REQUEST_COMPLETION`);
    const request = await t.db.completionRequest.findFirstOrThrow({ where: { applicationId: A.submittedId } });
    expect(request.dueOn.toISOString()).toBe("2099-05-01T00:00:00.000Z");
    const { confirmation, case: c } = await load(A.users.applicant.id, A.submittedId, "?klart=application.REQUEST_COMPLETION");
    expect(confirmation).toBe("Klart: Komplettering begärd.");
    expect(c.completionRequests[0]).toMatchObject({ message: "Bifoga budget.", dueOn: "2099-05-01" });
    expect(c.actions.map((a) => a.type)).toEqual(["COMPLETE", "WITHDRAW"]);
  });

  it("pays an instalment through the forms: attest, then mark paid with reference and date", async () => {
    const [firstId] = A.disbursementIds;
    const version = async () => String((await t.db.disbursement.findUniqueOrThrow({ where: { id: firstId } })).version);
    expect((await post(A.users.finance.id, A.grantedId, { kind: "disbursement", caseId: firstId, eventType: "ATTEST", version: await version() })).status).toBe(302);
    const paid = await post(A.users.finance.id, A.grantedId, { kind: "disbursement", caseId: firstId, eventType: "MARK_PAID", version: await version(), paymentReference: "BG 123-4567", paidOn: todayInStockholm(), accountKind: "bankgiro", accountNumber: "5050-1055" });
    expect(paid.status, await paid.clone().text()).toBe(302);
    const d = await t.db.disbursement.findUniqueOrThrow({ where: { id: firstId } });
    expect(d.state).toBe("paid");
    expect(d.paymentReference).toBe("BG 123-4567");
    const { case: c } = await load(A.users.applicant.id, A.grantedId);
    expect(c.grant).toMatchObject({ paid: "200\u00a0000\u00a0kr", leftToPay: "200\u00a0000\u00a0kr" });
    expect(c.disbursements[0]).toMatchObject({ stateLabel: "Utbetald", paidOn: todayInStockholm(), attestedBy: "Alfa finance" });
  });

  it("accepts no background-job event from a form, and no instalment of another case", async () => {
    const [, secondId] = A.disbursementIds;
    const lapse = await post(A.users.finance.id, A.grantedId, { kind: "disbursement", caseId: secondId, eventType: "LAPSE", version: "1" });
    expect(lapse.status).toBe(400);
    const unknown = await post(A.users.officer.id, A.grantedId, { kind: "application", caseId: A.grantedId, eventType: "SOMETHING_ELSE", version: "1" });
    expect(unknown.status).toBe(400);
    const wrongCase = await post(A.users.finance.id, A.presentedId, { kind: "disbursement", caseId: secondId, eventType: "CANCEL", version: "1", reasons: "x" });
    expect(wrongCase.status).toBe(404);
    const mismatch = await post(A.users.officer.id, A.presentedId, { kind: "application", caseId: A.grantedId, eventType: "DECLARE_CONFLICT_OF_INTEREST", version: "1", reason: "x" });
    expect(mismatch.status).toBe(404);
    const malformed = await post(A.users.officer.id, A.grantedId, { kind: "nonsense", caseId: A.grantedId, eventType: "CLOSE_CASE", version: "x" });
    expect(malformed.status).toBe(400);
  });
});

