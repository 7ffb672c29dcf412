// The officer's case work through the case page's loader and action, against a
// real database: taking and assigning the case (audited, version bumped, jäv
// respected), scoring against the call's criteria when presenting (weighted
// total), double-funding warnings, versions with their changes, report review
// and reclaim proposals through the engine, and refusals (wrong role, other
// board, jäv) that change nothing.
import { beforeAll, describe, expect, it } from "vitest";
import * as casePage from "../../app/routes/_app.arenden.$id";
import type { CaseView } from "../../app/cases/case.server";
import { EVENT_FIELDS } from "../../app/cases/event-fields";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { reconcile } from "../../app/workflow/budget.server";
import { buildSide, useWorldDatabase, type Side } from "../access/world";
import { AT, caseState, extraPeople, get, makeScoredCall, post, presented, submitted } from "./world";

const t = useWorldDatabase();
let A: Side;
let B: Side;
let people: Awaited<ReturnType<typeof extraPeople>>;
let scored: Awaited<ReturnType<typeof makeScoredCall>>;

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
  people = await extraPeople(t.db, A);
  scored = await makeScoredCall(t.db, A, { title: "Kriterieutlysningen" });
}, 240_000);

async function view(userId: string, id: string): Promise<CaseView> {
  const res = await get(t.db, casePage, userId, `/arenden/${id}`, { id });
  expect(res.status).toBe(200);
  return (await res.json()).case;
}

const event = (id: string, version: number, eventType: string, fields: Record<string, string> = {}) => ({ intent: "event", kind: "application", caseId: id, eventType, version: String(version), ...fields });
const version = async (id: string) => (await t.db.application.findUniqueOrThrow({ where: { id } })).version;

describe("handling officer", () => {
  it("is whoever starts the assessment; a colleague can be given the case; each change is audited and bumps the version", async () => {
    const id = await submitted(t.db, A.users.applicant, A.applicantOrgId, A.callId, "Fördelningsärendet", 1_000_000n);
    expect((await view(A.users.officer.id, id)).officer).toBeNull();
    const start = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, event(id, await version(id), "START_ASSESSMENT"), { id });
    expect(start.status).toBe(302);
    expect((await caseState(t.db, id)).officerId).toBe(A.users.officer.id);

    const c = await view(A.users.officer.id, id);
    expect(c.officer).toEqual({ id: A.users.officer.id, name: "Alfa officer" });
    expect(c.assign?.officers.map((o) => o.name)).toEqual(expect.arrayContaining(["Alfa officer", "Alfa officer 2", "Alfa officer 3"]));

    const before = await caseState(t.db, id);
    const assigned = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, { intent: "assign-officer", officerId: people.officer3.id, version: String(before.version) }, { id });
    expect(assigned.status).toBe(302);
    expect(assigned.headers.get("Location")).toBe(`/arenden/${id}?klart=handlaggare`);
    const after = await caseState(t.db, id);
    expect(after).toMatchObject({ officerId: people.officer3.id, version: before.version + 1, audit: before.audit + 1, state: "inAssessment" });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { caseId: id }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ eventType: "ASSIGN_OFFICER", actorId: A.users.officer.id, fromState: "inAssessment", toState: "inAssessment" });
    expect((await view(people.officer3.id, id)).timeline.at(-1)).toMatchObject({ what: "Handläggare tilldelad", who: "Alfa officer" });
    // Version = number of audit events still holds everywhere.
    expect((await reconcile(t.db)).filter((v) => v.invariant.includes("audit"))).toEqual([]);

    // "Ta ärendet": officer 2 takes it.
    const taken = await post(t.db, casePage, A.officer2.id, `/arenden/${id}`, { intent: "assign-officer", officerId: "me", version: String(after.version) }, { id });
    expect(taken.status).toBe(302);
    expect((await caseState(t.db, id)).officerId).toBe(A.officer2.id);
  });

  it("refuses a stale version (409), an assignee who is not an officer of the board (422), the wrong role (422) and another board's case (404), changing nothing", async () => {
    const id = await submitted(t.db, A.users.applicant, A.applicantOrgId, A.callId, "Vägrad fördelning", 1_000_000n);
    const before = await caseState(t.db, id);
    const stale = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, { intent: "assign-officer", officerId: "me", version: String(before.version - 1) }, { id });
    expect(stale.status).toBe(409);
    const outsider = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, { intent: "assign-officer", officerId: B.users.officer.id, version: String(before.version) }, { id });
    expect(outsider.status).toBe(422);
    expect((await outsider.json()).formError).toBe("Ärendet kan bara fördelas till en handläggare vid samma länsstyrelse.");
    const notOfficer = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, { intent: "assign-officer", officerId: A.users.finance.id, version: String(before.version) }, { id });
    expect(notOfficer.status).toBe(422);
    const finance = await post(t.db, casePage, A.users.finance.id, `/arenden/${id}`, { intent: "assign-officer", officerId: "me", version: String(before.version) }, { id });
    expect(finance.status).toBe(422);
    expect((await finance.json()).formError).toBe("Endast en handläggare vid länsstyrelsen kan ta eller fördela ärendet.");
    const empty = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, { intent: "assign-officer", officerId: "", version: String(before.version) }, { id });
    expect(empty.status).toBe(400);
    expect((await empty.json()).fieldErrors).toEqual({ officerId: "Välj en handläggare." });
    const otherBoard = await post(t.db, casePage, B.users.officer.id, `/arenden/${id}`, { intent: "assign-officer", officerId: "me", version: String(before.version) }, { id });
    expect(otherBoard.status).toBe(404);
    expect(await caseState(t.db, id)).toEqual(before);
  });

  it("leaves the case when its officer declares jäv: unassigned, flagged for reassignment, and the one with jäv can neither take it nor be given it", async () => {
    const id = await submitted(t.db, A.users.applicant, A.applicantOrgId, A.callId, "Jäv hos handläggaren", 1_000_000n);
    await applyWorkflowEvent(t.db, A.users.officer, "application", id, { type: "START_ASSESSMENT" }, { now: AT });
    const jav = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, event(id, await version(id), "DECLARE_CONFLICT_OF_INTEREST", { reason: "Min make arbetar i projektet." }), { id });
    expect(jav.status).toBe(302);
    expect((await caseState(t.db, id)).officerId).toBeNull();

    const mine = await view(A.users.officer.id, id);
    expect(mine.actions).toEqual([]); // every action gone, the workflow says so
    expect(mine.assign).toBeNull();
    expect(mine.needsReassignment).toBe(true);
    const colleague = await view(A.officer2.id, id);
    expect(colleague.needsReassignment).toBe(true);
    expect(colleague.conflicts.map((c) => c.line)).toEqual([expect.stringMatching(/^Alfa officer, \d{4}-\d{2}-\d{2} \d{2}:\d{2}: Min make arbetar i projektet\. Deltar inte i ärendet\.$/)]);
    expect(colleague.assign?.officers.map((o) => o.id)).not.toContain(A.users.officer.id);

    const before = await caseState(t.db, id);
    const retake = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, { intent: "assign-officer", officerId: "me", version: String(before.version) }, { id });
    expect(retake.status).toBe(422);
    expect((await retake.json()).formError).toBe("Du har anmält jäv i ärendet och får inte delta i handläggningen.");
    const giveBack = await post(t.db, casePage, A.officer2.id, `/arenden/${id}`, { intent: "assign-officer", officerId: A.users.officer.id, version: String(before.version) }, { id });
    expect(giveBack.status).toBe(422);
    expect((await giveBack.json()).formError).toBe("Handläggaren har anmält jäv i ärendet och kan inte få det.");
    expect(await caseState(t.db, id)).toEqual(before);

    const reassigned = await post(t.db, casePage, A.officer2.id, `/arenden/${id}`, { intent: "assign-officer", officerId: people.officer3.id, version: String(before.version) }, { id });
    expect(reassigned.status).toBe(302);
    const after = await view(people.officer3.id, id);
    expect(after.officer?.name).toBe("Alfa officer 3");
    expect(after.needsReassignment).toBe(false);
    expect(after.actions.map((a) => a.type)).toContain("PRESENT");
  });
});

describe("assessment", () => {
  it("scores every criterion when presenting (0–5, weights shown) and shows the weighted total; a missing score is refused next to its field", async () => {
    const id = await submitted(t.db, A.users.applicant, A.applicantOrgId, scored.id, "Poängsatt ärende", 2_000_000n);
    await applyWorkflowEvent(t.db, A.users.officer, "application", id, { type: "START_ASSESSMENT" }, { now: AT });
    const c = await view(A.users.officer.id, id);
    const present = c.actions.find((a) => a.type === "PRESENT")!;
    expect(present.extraFields?.filter((f) => f.type === "select").map((f) => f.label)).toEqual(["Poäng: Behov (vikt 50 %)", "Poäng: Samverkan (vikt 30 %)", "Poäng: Budget (vikt 20 %)"]);

    const [behov, samverkan, budget] = scored.criteria;
    const base = { recommendation: "partly_approved", proposedGrant: "15 000", summary: "Bra behovsanalys, svag budget." };
    const missing = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, event(id, await version(id), "PRESENT", { ...base, [`score-${behov.id}`]: "5", [`score-${samverkan.id}`]: "7" }), { id });
    expect(missing.status).toBe(400);
    expect((await missing.json()).fieldErrors).toEqual({ [`score-${samverkan.id}`]: "Ge poäng 0–5 för Samverkan.", [`score-${budget.id}`]: "Ge poäng 0–5 för Budget." });
    expect((await caseState(t.db, id)).state).toBe("inAssessment");

    // A proposed amount that does not fit the recommendation (partly approved at or above what was
    // applied for) is refused with the rule's message, and nothing is recorded.
    const scores = { [`score-${behov.id}`]: "5", [`score-${samverkan.id}`]: "3", [`score-${budget.id}`]: "1" };
    const before = await caseState(t.db, id);
    for (const proposedGrant of ["25 000", "20 000", "0"]) {
      const odd = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, event(id, await version(id), "PRESENT", { ...base, ...scores, proposedGrant }), { id });
      expect(odd.status).toBe(422);
      expect((await odd.json()).formError).toBe("Det föreslagna beloppet stämmer inte med förslaget: bifall avser hela det sökta beloppet, delvis bifall ett lägre belopp (men mer än noll) och avslag noll kronor.");
    }
    expect(await caseState(t.db, id)).toEqual(before);
    expect(await t.db.assessment.count({ where: { applicationId: id } })).toBe(0);

    const ok = await post(
      t.db,
      casePage,
      A.users.officer.id,
      `/arenden/${id}`,
      event(id, await version(id), "PRESENT", { ...base, [`score-${behov.id}`]: "5", [`score-${samverkan.id}`]: "3", [`score-${budget.id}`]: "1", [`scoreComment-${budget.id}`]: "Höga lokalkostnader." }),
      { id },
    );
    expect(ok.status, await ok.clone().text()).toBe(302);
    const assessment = await t.db.assessment.findFirstOrThrow({ where: { applicationId: id }, include: { scores: true } });
    expect(assessment).toMatchObject({ officerId: A.users.officer.id, recommendation: "partly_approved", recommendedOre: 1_500_000n, summary: "Bra behovsanalys, svag budget." });
    expect(assessment.scores.map((s) => s.score).sort()).toEqual([1, 3, 5]);
    // (5·50 + 3·30 + 1·20) / 100 = 3.6
    const after = await view(A.users.decision_maker.id, id);
    expect(after.assessments[0]).toMatchObject({ total: "3,60 av 5", recommendation: "Delvis bifall", recommended: "15\u00a0000\u00a0kr" });
    expect(after.assessments[0].scores).toEqual([
      { name: "Behov", weight: 50, score: 5, comment: "" },
      { name: "Samverkan", weight: 30, score: 3, comment: "" },
      { name: "Budget", weight: 20, score: 1, comment: "Höga lokalkostnader." },
    ]);
  });

  it("warns of double funding: the same organisation with other applications or grants for overlapping periods, at any board", async () => {
    const period = { projectStart: new Date("2020-05-01"), projectEnd: new Date("2020-12-31") };
    const id = await submitted(t.db, people.otherApplicant, people.otherMunicipalityOrg.id, scored.id, "Gamma i Östergötland", 1_000_000n, period);
    // The same organisation at board B, overlapping; and one long before, not overlapping.
    const bCall = await t.db.call.findUniqueOrThrow({ where: { id: B.callId } });
    await t.db.call.update({ where: { id: bCall.id }, data: { eligibleKinds: ["municipality", "nonprofit_association"] } });
    const overlapping = await submitted(t.db, people.otherApplicant, people.otherMunicipalityOrg.id, B.callId, "Gamma i Stockholm", 800_000n, { projectStart: new Date("2020-09-01"), projectEnd: new Date("2021-06-30") });
    await submitted(t.db, people.otherApplicant, people.otherMunicipalityOrg.id, scored.id, "Gamma förr", 500_000n, { projectStart: new Date("2019-01-01"), projectEnd: new Date("2019-12-31") });

    const c = await view(A.users.officer.id, id);
    expect(c.doubleFunding.map((w) => w.id)).toEqual([overlapping]);
    expect(c.doubleFunding[0]).toMatchObject({ title: "Gamma i Stockholm", period: "2020-09-01 – 2021-06-30", state: "Inlämnad", requested: "8\u00a0000\u00a0kr" });
    expect(c.doubleFunding[0].board).toMatch(/Stockholm/);
    // Nothing to warn about on a case without overlaps.
    expect((await view(A.users.officer.id, A.submittedId)).doubleFunding).toEqual([]);
  });

  it("shows each version's changes against the one before, and the applicant's answer to a completion request", async () => {
    const id = await submitted(t.db, A.users.applicant, A.applicantOrgId, A.callId, "Versionsärendet", 1_000_000n);
    await applyWorkflowEvent(t.db, A.users.officer, "application", id, { type: "START_ASSESSMENT" }, { now: AT });
    const asked = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, event(id, await version(id), "REQUEST_COMPLETION", { message: "Sänk beloppet till 8 000 kr.", deadline: "2099-05-01" }), { id });
    expect(asked.status).toBe(302);
    await t.db.completionRequest.updateMany({ where: { applicationId: id }, data: { response: "Vi har sänkt beloppet." } });
    await applyWorkflowEvent(t.db, A.users.applicant, "application", id, { type: "COMPLETE", requestedOre: 800_000 }, { now: AT });

    const c = await view(A.users.officer.id, id);
    expect(c.revisions.map((r) => r.number)).toEqual([1, 2]);
    expect(c.revisions[1].changes).toEqual([{ field: "Sökt belopp", before: "10\u00a0000\u00a0kr", after: "8\u00a0000\u00a0kr" }]);
    expect(c.completionRequests[0]).toMatchObject({ message: "Sänk beloppet till 8 000 kr.", response: "Vi har sänkt beloppet.", requestedBy: "Alfa officer" });
  });
});

describe("after the decision", () => {
  it("reviews a report (request completion, then approve) and proposes a reclaim with amount, ground and reasons through the engine; a reclaim above what was paid is refused", async () => {
    const id = A.grantedId;
    await applyWorkflowEvent(t.db, A.users.applicant, "application", id, { type: "SUBMIT_REPORT", kind: "final", unusedOre: 0 }, { now: AT, details: { usedOre: 40_000_000n, activitySummary: "Allt genomfört." } });
    const c = await view(A.users.officer.id, id);
    expect(c.actions.map((a) => a.type)).toEqual(expect.arrayContaining(["REQUEST_REPORT_COMPLETION", "APPROVE_REPORT"]));
    expect(c.actions.map((a) => a.type)).not.toContain("PROPOSE_RECLAIM"); // nothing paid yet
    expect(c.links).toMatchObject({ decisionLetter: `/arenden/${id}/beslutsbrev`, paymentPlan: `/arenden/${id}/utbetalningsplan`, decisionScreen: null });

    const ask = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, event(id, await version(id), "REQUEST_REPORT_COMPLETION", { reportKind: "final", message: "Bifoga utdrag ur bokföringen." }), { id });
    expect(ask.status).toBe(302);
    expect((await caseState(t.db, id)).state).toBe("grantActive.finalReport.completionRequested");
    await applyWorkflowEvent(t.db, A.users.applicant, "application", id, { type: "SUBMIT_REPORT", kind: "final", unusedOre: 0 }, { now: AT, details: { usedOre: 40_000_000n, activitySummary: "Utdraget bifogat." } });

    // Nothing paid yet: a reclaim is refused by the rule, and nothing changes.
    const before = await caseState(t.db, id);
    const tooMuch = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, event(id, before.version, "PROPOSE_RECLAIM", { ground: "conditions_not_followed", amount: "1 000", reasons: "Villkoren följdes inte." }), { id });
    expect(tooMuch.status).toBe(422);
    expect((await tooMuch.json()).formError).toBe("Återkravet måste vara större än noll och kan inte vara större än det som har betalats ut.");
    expect(await caseState(t.db, id)).toEqual(before);

    // Pay the first instalment, then propose.
    const [first] = A.disbursementIds;
    await applyWorkflowEvent(t.db, A.users.finance, "disbursement", first, { type: "ATTEST" }, { now: AT });
    await applyWorkflowEvent(t.db, A.users.finance, "disbursement", first, { type: "MARK_PAID", paymentReference: "BG 1", paidOn: "2020-03-03" }, { now: AT });
    expect((await view(A.users.officer.id, id)).actions.map((a) => a.type)).toContain("PROPOSE_RECLAIM");
    const propose = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, event(id, await version(id), "PROPOSE_RECLAIM", { ground: "conditions_not_followed", amount: "50 000", reasons: "Villkoren följdes inte." }), { id });
    expect(propose.status, await propose.clone().text()).toBe(302);
    const reclaim = await t.db.reclaim.findFirstOrThrow({ where: { grant: { applicationId: id } } });
    expect(reclaim).toMatchObject({ ground: "conditions_not_followed", amountOre: 5_000_000n, reasons: "Villkoren följdes inte.", state: "proposed", proposedById: A.users.officer.id });
    expect((await caseState(t.db, id)).state).toBe("reclaim.proposed");
  });

  it("approves the unused amount the recipient reported: the form asks for none and says what approving it does", async () => {
    const id = await presented(t.db, { applicant: A.users.applicant, applicantOrgId: A.applicantOrgId }, A.users.officer, scored.id, "Redovisat outnyttjat", 1_000_000n, { outcome: "approved" });
    await applyWorkflowEvent(t.db, A.users.decision_maker, "application", id, { type: "DECIDE", outcome: "approved", grantedOre: 1_000_000, reasons: "Bra." }, { now: AT });
    const instalment = await t.db.disbursement.findFirstOrThrow({ where: { grant: { applicationId: id } } });
    await applyWorkflowEvent(t.db, A.users.finance, "disbursement", instalment.id, { type: "ATTEST" }, { now: AT });
    await applyWorkflowEvent(t.db, A.users.finance, "disbursement", instalment.id, { type: "MARK_PAID", paymentReference: "BG 2", paidOn: "2020-03-03" }, { now: AT });
    await applyWorkflowEvent(t.db, A.users.applicant, "application", id, { type: "SUBMIT_REPORT", kind: "final", unusedOre: 250_000 }, { now: AT, details: { usedOre: 750_000n, activitySummary: "Det mesta genomfört." } });

    const c = await view(A.users.officer.id, id);
    const approve = c.actions.find((a) => a.type === "APPROVE_REPORT");
    expect(approve?.defaults).toEqual({ reportKind: "final" });
    expect(EVENT_FIELDS.application.APPROVE_REPORT.filter((f) => f.type !== "hidden")).toEqual([]);
    expect(c.reportApproval).toBe("Mottagaren har redovisat 7\u00a0500\u00a0kr som använt och 2\u00a0500\u00a0kr som outnyttjat. När slutredovisningen är godkänd betalas inget mer ut, och ett återkrav på 2\u00a0500\u00a0kr föreslås.");

    // An amount typed into an old form changes nothing: the reported 2 500 kr is what is approved.
    const res = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, event(id, await version(id), "APPROVE_REPORT", { reportKind: "final", unused: "0" }), { id });
    expect(res.status, await res.clone().text()).toBe(302);
    expect((await caseState(t.db, id)).state).toBe("reclaim.proposed");
    expect(await t.db.reclaim.findFirstOrThrow({ where: { grant: { applicationId: id } } })).toMatchObject({ amountOre: 250_000n, state: "proposed" });
  });

  it("asks why when a decision is changed on the case page to anything but a full approval, as the decision screen does", async () => {
    const id = await presented(t.db, { applicant: A.users.applicant, applicantOrgId: A.applicantOrgId }, A.users.officer, scored.id, "Omprövat avslag", 1_000_000n, { outcome: "rejected" });
    await applyWorkflowEvent(t.db, A.users.decision_maker, "application", id, { type: "DECIDE", outcome: "rejected", grantedOre: 0, reasons: "Nej." }, { now: AT, details: { rejectionCategory: "other" } });
    const before = await caseState(t.db, id);
    const fields = { outcome: "partly_approved", granted: "5 000", reasons: "Omprövning efter överklagande." };
    const missing = await post(t.db, casePage, A.users.decision_maker.id, `/arenden/${id}`, event(id, before.version, "RECONSIDER_DECISION", { ...fields, rejectionCategory: "" }), { id });
    expect(missing.status).toBe(400);
    expect((await missing.json()).fieldErrors).toEqual({ rejectionCategory: "Välj skäl till avslaget eller det delvisa bifallet." });
    expect(await caseState(t.db, id)).toEqual(before);

    const ok = await post(t.db, casePage, A.users.decision_maker.id, `/arenden/${id}`, event(id, before.version, "RECONSIDER_DECISION", { ...fields, rejectionCategory: "budget_exhausted" }), { id });
    expect(ok.status, await ok.clone().text()).toBe(302);
    const latest = await t.db.decision.findFirstOrThrow({ where: { applicationId: id, kind: "reconsideration" } });
    expect([latest.outcome, latest.grantedOre, latest.rejectionCategory]).toEqual(["partly_approved", 500_000n, "budget_exhausted"]);
  });

  it("approves a submitted report from the case page", async () => {
    const id = B.grantedId;
    await applyWorkflowEvent(t.db, B.users.applicant, "application", id, { type: "SUBMIT_REPORT", kind: "final", unusedOre: 0 }, { now: AT, details: { usedOre: 40_000_000n, activitySummary: "Klart." } });
    // Board A's officer cannot reach it.
    const foreign = await post(t.db, casePage, A.users.officer.id, `/arenden/${id}`, event(id, await version(id), "APPROVE_REPORT", { reportKind: "final", unused: "0" }), { id });
    expect(foreign.status).toBe(404);
    const approve = await post(t.db, casePage, B.users.officer.id, `/arenden/${id}`, event(id, await version(id), "APPROVE_REPORT", { reportKind: "final", unused: "0" }), { id });
    expect(approve.status, await approve.clone().text()).toBe(302);
    expect((await caseState(t.db, id)).state).toBe("closed");
    expect((await t.db.report.findFirstOrThrow({ where: { grant: { applicationId: id }, kind: "final" } })).reviewedById).toBe(B.users.officer.id);
  });
});
