// The decision maker against a real database: the list of presented cases,
// the decision screen (recommendation, scores, budget left after the
// decision, letter preview), deciding with required reasons and rejection
// category, the refusals (four eyes, jäv, over budget, wrong role, other
// board) that change nothing, and batch decisions: by selection and by
// filter across pages, all or nothing in one transaction.
import { beforeAll, describe, expect, it } from "vitest";
import * as listPage from "../../app/routes/_app.beslut._index";
import * as screenPage from "../../app/routes/_app.beslut.$id";
import * as casePage from "../../app/routes/_app.arenden.$id";
import type { DecisionScreen } from "../../app/decisions/decision.server";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { reconcile } from "../../app/workflow/budget.server";
import { buildSide, useWorldDatabase, type Side } from "../access/world";
import { AT, caseState, extraPeople, get, makeScoredCall, post, presented } from "./world";
import { SEARCH_LIMIT } from "../../app/cases/search.server";

const t = useWorldDatabase();
let A: Side;
let B: Side;
let people: Awaited<ReturnType<typeof extraPeople>>;
let scored: Awaited<ReturnType<typeof makeScoredCall>>;

const applicantA = () => ({ applicant: A.users.applicant, applicantOrgId: A.applicantOrgId });

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
  people = await extraPeople(t.db, A);
  scored = await makeScoredCall(t.db, A, { title: "Kriterieutlysningen", budgetOre: 5_000_000n });
}, 240_000);

async function screen(userId: string, id: string, query = ""): Promise<DecisionScreen> {
  const res = await get(t.db, screenPage, userId, `/beslut/${id}${query}`, { id });
  expect(res.status).toBe(200);
  return (await res.json()).screen;
}

const decide = (id: string, version: number, fields: Record<string, string>) => ({ intent: "event", kind: "application", caseId: id, eventType: "DECIDE", version: String(version), ...fields });

describe("decision screen", () => {
  it("shows the recommendation with scores and weighted total, the call's budget left now and after the decision, and previews the letter", async () => {
    const id = await presented(t.db, applicantA(), A.users.officer, scored.id, "Skärmärendet", 2_000_000n, { outcome: "partly_approved", proposedOre: 1_200_000n });
    // Scores are written with the presentation; give them here as the PRESENT form does.
    const assessment = await t.db.assessment.findFirstOrThrow({ where: { applicationId: id } });
    const [behov, samverkan, budget] = scored.criteria;
    await t.db.assessmentScore.createMany({ data: [{ assessmentId: assessment.id, criterionId: behov.id, score: 4 }, { assessmentId: assessment.id, criterionId: samverkan.id, score: 2 }, { assessmentId: assessment.id, criterionId: budget.id, score: 5 }] });

    const s = await screen(A.users.decision_maker.id, id);
    expect(s.mayDecide).toBe(true);
    expect(s.recommendation).toMatchObject({ outcome: "Delvis bifall", amount: "12\u00a0000\u00a0kr", presenter: "Alfa officer", total: "3,60 av 5" });
    expect(s.budget).toMatchObject({ total: "50\u00a0000\u00a0kr", left: "50\u00a0000\u00a0kr", after: "38\u00a0000\u00a0kr", afterBasis: "föredragandens förslag" });
    expect(s.draft).toMatchObject({ outcome: "partly_approved", granted: "12 000" });
    expect(s.letter).toBeNull();

    const preview = await screen(A.users.decision_maker.id, id, "?forhandsgranska=1&outcome=partly_approved&granted=15+000&reasons=Ans%C3%B6kan+uppfyller+delvis+kriterierna.&conditions=Redovisa+senast+2021-02-28.");
    expect(preview.budget).toMatchObject({ after: "35\u00a0000\u00a0kr", afterBasis: "det belopp du har angett" });
    expect(preview.letter).toMatchObject({
      draft: true,
      heading: "Beslut",
      reasons: ["Ansökan uppfyller delvis kriterierna."],
      conditions: ["Redovisa senast 2021-02-28."],
      signature: ["Alfa decision_maker har beslutat i detta ärende. Alfa officer har varit föredragande."],
    });
    expect(preview.letter?.decision).toContain("beviljar Alfa kommun 15\u00a0000\u00a0kr av sökta 20\u00a0000\u00a0kr");
    expect(preview.draft.granted).toBe("15 000"); // the form keeps what was typed
    // Previewing decides nothing.
    expect((await caseState(t.db, id)).state).toBe("presented");
  });

  it("requires reasons and, unless fully approved, a rejection category; then decides and stores the category", async () => {
    const id = await presented(t.db, applicantA(), A.users.officer, scored.id, "Kategoriärendet", 1_000_000n, { outcome: "rejected" });
    const before = await caseState(t.db, id);
    const missing = await post(t.db, screenPage, A.users.decision_maker.id, `/beslut/${id}`, decide(id, before.version, { outcome: "rejected", reasons: " ", rejectionCategory: "" }), { id });
    expect(missing.status).toBe(400);
    const body = await missing.json();
    expect(body.fieldErrors).toEqual({ reasons: "Skriv en motivering till beslutet.", rejectionCategory: "Välj skäl till avslaget eller det delvisa bifallet." });
    expect(body.values).toMatchObject({ outcome: "rejected" });
    expect(await caseState(t.db, id)).toEqual(before);

    const ok = await post(t.db, screenPage, A.users.decision_maker.id, `/beslut/${id}`, decide(id, before.version, { outcome: "rejected", reasons: "Insatsen ligger utanför prioriteringarna.", rejectionCategory: "outside_priorities" }), { id });
    expect(ok.status, await ok.clone().text()).toBe(302);
    expect(ok.headers.get("Location")).toBe(`/arenden/${id}?klart=application.DECIDE`);
    const decision = await t.db.decision.findFirstOrThrow({ where: { applicationId: id } });
    expect(decision).toMatchObject({ outcome: "rejected", grantedOre: 0n, rejectionCategory: "outside_priorities", decisionMakerId: A.users.decision_maker.id, presenterId: A.users.officer.id });

    // A full approval never carries a category, whatever the form says.
    const approved = await presented(t.db, applicantA(), A.users.officer, scored.id, "Bifallsärendet", 500_000n, { outcome: "approved" });
    const res = await post(t.db, screenPage, A.users.decision_maker.id, `/beslut/${approved}`, decide(approved, (await caseState(t.db, approved)).version, { outcome: "approved", granted: "", reasons: "Uppfyller kriterierna.", rejectionCategory: "other" }), { id: approved });
    expect(res.status, await res.clone().text()).toBe(302);
    expect((await t.db.decision.findFirstOrThrow({ where: { applicationId: approved } })).rejectionCategory).toBeNull();
  });

  it("refuses the one who presented (four eyes), one with jäv, and an amount above the call's budget left: 422 with the rule, nothing changed", async () => {
    // Four eyes: the same person presented.
    const own = await presented(t.db, applicantA(), people.both, scored.id, "Egen föredragning", 1_000_000n, { outcome: "approved" });
    const s = await screen(people.both.id, own);
    expect(s.mayDecide).toBe(false);
    expect(s.cannotDecide).toBe("Du har föredragit ärendet.");
    const before = await caseState(t.db, own);
    const forged = await post(t.db, screenPage, people.both.id, `/beslut/${own}`, decide(own, before.version, { outcome: "approved", reasons: "Bra.", rejectionCategory: "" }), { id: own });
    expect(forged.status).toBe(422);
    expect((await forged.json()).formError).toBe("Den som har föredragit ärendet får inte också besluta i det.");
    expect(await caseState(t.db, own)).toEqual(before);

    // Jäv.
    const jav = await presented(t.db, applicantA(), A.users.officer, scored.id, "Jäv hos beslutsfattaren", 1_000_000n, { outcome: "approved" });
    await applyWorkflowEvent(t.db, people.decisionMaker2, "application", jav, { type: "DECLARE_CONFLICT_OF_INTEREST" }, { now: AT, details: { conflictReason: "Styrelseledamot." } });
    expect((await screen(people.decisionMaker2.id, jav)).cannotDecide).toBe("Du har anmält jäv i ärendet.");
    const javBefore = await caseState(t.db, jav);
    const javPost = await post(t.db, screenPage, people.decisionMaker2.id, `/beslut/${jav}`, decide(jav, javBefore.version, { outcome: "approved", reasons: "Bra.", rejectionCategory: "" }), { id: jav });
    expect(javPost.status).toBe(422);
    expect((await javPost.json()).formError).toBe("Du har anmält jäv i ärendet och får inte delta i handläggningen.");
    expect(await caseState(t.db, jav)).toEqual(javBefore);

    // Over budget: a small call with 10 000 kr left.
    const tiny = await makeScoredCall(t.db, A, { title: "Liten utlysning", budgetOre: 1_000_000n });
    const big = await presented(t.db, applicantA(), A.users.officer, tiny.id, "För dyrt", 1_500_000n, { outcome: "approved" });
    expect((await screen(A.users.decision_maker.id, big)).budget).toMatchObject({ left: "10\u00a0000\u00a0kr", after: "\u22125\u00a0000\u00a0kr", afterIsNegative: true });
    const bigBefore = await caseState(t.db, big);
    const over = await post(t.db, screenPage, A.users.decision_maker.id, `/beslut/${big}`, decide(big, bigBefore.version, { outcome: "approved", reasons: "Bra.", rejectionCategory: "" }), { id: big });
    expect(over.status).toBe(422);
    expect((await over.json()).formError).toBe("Beviljat belopp ryms inte i utlysningens återstående budget.");
    expect(await caseState(t.db, big)).toEqual(bigBefore);
  });

  it("shows the second decision maker the decision to confirm, and keeps the first decision maker's conditions and rejection category when confirmed", async () => {
    const call = await makeScoredCall(t.db, A, { title: "Tvåbeslutsutlysningen", budgetOre: 5_000_000n, secondDecisionMakerAboveOre: 500_000n });
    const id = await presented(t.db, applicantA(), A.users.officer, call.id, "Stort ärende", 2_000_000n, { outcome: "partly_approved", proposedOre: 1_500_000n });
    const first = await post(t.db, screenPage, A.users.decision_maker.id, `/beslut/${id}`, decide(id, (await caseState(t.db, id)).version, { outcome: "partly_approved", granted: "15 000", reasons: "Budgeten räcker till en del.", conditions: "Projektet ska samverka med kommunerna.", rejectionCategory: "budget_exhausted" }), { id });
    expect(first.status, await first.clone().text()).toBe(302);
    expect((await caseState(t.db, id)).state).toBe("awaitingSecondDecision");

    // The second decision maker sees what they are asked to confirm, on the case page.
    const pendingView = (await (await get(t.db, casePage, people.decisionMaker2.id, `/arenden/${id}`, { id })).json()).case;
    expect(pendingView.actions.map((a: { type: string }) => a.type)).toEqual(expect.arrayContaining(["CONFIRM_DECISION", "RETURN_DECISION"]));
    expect(pendingView.pendingDecision).toEqual({
      kind: "Beslut",
      outcome: "Delvis bifall",
      granted: "15\u00a0000\u00a0kr",
      reasons: "Budgeten räcker till en del.",
      conditions: "Projektet ska samverka med kommunerna.",
      rejectionCategory: "Utlysningens medel räcker inte",
      decidedBy: "Alfa decision_maker",
      decidedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
    });
    // The decision screen sends them there, and does not count the reserved amount twice.
    const waiting = await screen(people.decisionMaker2.id, id);
    expect(waiting.mayDecide).toBe(false);
    expect(waiting.cannotDecide).toBe("Beslutet är fattat och väntar på att en andra beslutsfattare bekräftar det. Det görs på ärendets sida.");
    expect(waiting.budget.after).toBeNull();

    await applyWorkflowEvent(t.db, people.decisionMaker2, "application", id, { type: "CONFIRM_DECISION" }, { now: AT });
    expect((await (await get(t.db, casePage, people.decisionMaker2.id, `/arenden/${id}`, { id })).json()).case.pendingDecision).toBeNull();
    const decision = await t.db.decision.findFirstOrThrow({ where: { applicationId: id } });
    expect(decision).toMatchObject({
      outcome: "partly_approved",
      grantedOre: 1_500_000n,
      conditions: "Projektet ska samverka med kommunerna.",
      rejectionCategory: "budget_exhausted",
      decisionMakerId: A.users.decision_maker.id,
      otherParticipants: [people.decisionMaker2.id],
    });
  });

  it("records a reconsideration confirmed by a second decision maker as a reconsideration that replaces the rejection", async () => {
    const call = await makeScoredCall(t.db, A, { title: "Omprövningsutlysningen", budgetOre: 5_000_000n, secondDecisionMakerAboveOre: 500_000n });
    const id = await presented(t.db, applicantA(), A.users.officer, call.id, "Avslag som omprövas", 2_000_000n, { outcome: "rejected" });
    await applyWorkflowEvent(t.db, A.users.decision_maker, "application", id, { type: "DECIDE", outcome: "rejected", grantedOre: 0, reasons: "Nej." }, { now: AT, details: { rejectionCategory: "other" } });
    const rejection = await t.db.decision.findFirstOrThrow({ where: { applicationId: id } });
    await applyWorkflowEvent(t.db, A.users.decision_maker, "application", id, { type: "RECONSIDER_DECISION", outcome: "approved", grantedOre: 2_000_000, reasons: "Omprövning efter överklagande." }, { now: AT, details: { conditions: "Nya villkor." } });
    expect((await caseState(t.db, id)).state).toBe("awaitingSecondDecision");
    const pendingView = (await (await get(t.db, casePage, people.decisionMaker2.id, `/arenden/${id}`, { id })).json()).case;
    expect(pendingView.pendingDecision).toMatchObject({ kind: "Omprövning", outcome: "Bifall", granted: "20\u00a0000\u00a0kr", conditions: "Nya villkor." });
    await applyWorkflowEvent(t.db, people.decisionMaker2, "application", id, { type: "CONFIRM_DECISION" }, { now: AT });
    const latest = await t.db.decision.findFirstOrThrow({ where: { applicationId: id, id: { not: rejection.id } } });
    expect(latest).toMatchObject({ kind: "reconsideration", supersedesId: rejection.id, outcome: "approved", grantedOre: 2_000_000n, conditions: "Nya villkor.", otherParticipants: [people.decisionMaker2.id] });
    const view = (await (await get(t.db, casePage, people.decisionMaker2.id, `/arenden/${id}`, { id })).json()).case;
    expect(view.decisions.map((d: { kind: string; superseded: boolean }) => [d.kind, d.superseded])).toEqual([
      ["Beslut", true],
      ["Omprövning", false],
    ]);
  });

  it("is only the decision makers' of the board: an officer and another board get 404, and their posts change nothing", async () => {
    const before = await caseState(t.db, A.presentedId);
    for (const userId of [A.users.officer.id, B.users.decision_maker.id, A.users.applicant.id]) {
      expect((await get(t.db, screenPage, userId, `/beslut/${A.presentedId}`, { id: A.presentedId })).status).toBe(404);
      const res = await post(t.db, screenPage, userId, `/beslut/${A.presentedId}`, decide(A.presentedId, before.version, { outcome: "rejected", reasons: "Nej.", rejectionCategory: "other" }), { id: A.presentedId });
      expect(res.status).toBe(404);
    }
    expect(await caseState(t.db, A.presentedId)).toEqual(before);
  });
});

describe("list of presented cases", () => {
  it("lists the board's presented cases, filtered by call, and says where this user may not decide", async () => {
    const inCall = await presented(t.db, applicantA(), people.both, scored.id, "Listärende", 300_000n, { outcome: "approved" });
    const res = await get(t.db, listPage, people.both.id, `/beslut?utlysning=${scored.id}`);
    const data = await res.json();
    const row = data.list.rows.find((r: { id: string }) => r.id === inCall);
    expect(row).toMatchObject({ title: "Listärende", recommendation: "Bifall", proposed: "3\u00a0000\u00a0kr", presenter: "Alfa officer och beslutsfattare", cannotDecide: "Du har föredragit ärendet." });
    expect(data.list.rows.every((r: { call: string }) => r.call === "Kriterieutlysningen")).toBe(true);
    expect(data.list.callBudget).toMatchObject({ title: "Kriterieutlysningen" });
    expect((await get(t.db, listPage, A.users.officer.id, "/beslut")).status).toBe(403);
    const bList = await (await get(t.db, listPage, B.users.decision_maker.id, "/beslut")).json();
    expect(bList.list.rows.map((r: { title: string }) => r.title)).toEqual(["Betaprojektet Stödgrupper"]);
  });
});

describe("saved filters of the decision list", () => {
  it("keeps the decision maker's filters of /beslut apart from the work queue's", async () => {
    const saved = await post(t.db, listPage, A.users.decision_maker.id, "/beslut", { intent: "save-filter", filterName: "Kriterier", query: `utlysning=${scored.id}&vy=mina&frist=7` });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(`/beslut?utlysning=${scored.id}`);
    const data = await (await get(t.db, listPage, A.users.decision_maker.id, "/beslut")).json();
    expect(data.savedFilters).toEqual([{ id: expect.any(String), name: "Kriterier", href: `/beslut?utlysning=${scored.id}` }]);
    expect(await t.db.savedFilter.count({ where: { userId: A.users.decision_maker.id, list: "arenden" } })).toBe(0);
  });
});

describe("batch decisions", () => {
  const batch = (userId: string, form: Record<string, string | string[]>) => post(t.db, listPage, userId, "/beslut", { intent: "batch-decide", ...form });

  it("decides the selected cases of one call with the same outcome, conditions and reasons, each through the workflow", async () => {
    const call = await makeScoredCall(t.db, A, { title: "Urvalsutlysningen", budgetOre: 5_000_000n });
    const one = await presented(t.db, applicantA(), A.users.officer, call.id, "Urval ett", 1_000_000n, { outcome: "approved" });
    const two = await presented(t.db, applicantA(), A.users.officer, call.id, "Urval två", 2_000_000n, { outcome: "approved" });
    const untouched = await presented(t.db, applicantA(), A.users.officer, call.id, "Inte markerad", 500_000n, { outcome: "approved" });
    const res = await batch(A.users.decision_maker.id, { scope: "selected", ids: [one, two], outcome: "approved", reasons: "Ansökningarna uppfyller kriterierna.", conditions: "Slutredovisning senast 2021-02-28.", rejectionCategory: "", query: `utlysning=${call.id}` });
    expect(res.status, await res.clone().text()).toBe(302);
    expect(res.headers.get("Location")).toBe("/beslut?beslutade=2");
    const decisions = await t.db.decision.findMany({ where: { applicationId: { in: [one, two] } }, orderBy: { grantedOre: "asc" } });
    expect(decisions.map((d) => [d.outcome, d.grantedOre, d.reasons, d.conditions, d.decisionMakerId])).toEqual([
      ["approved", 1_000_000n, "Ansökningarna uppfyller kriterierna.", "Slutredovisning senast 2021-02-28.", A.users.decision_maker.id],
      ["approved", 2_000_000n, "Ansökningarna uppfyller kriterierna.", "Slutredovisning senast 2021-02-28.", A.users.decision_maker.id],
    ]);
    for (const id of [one, two]) expect(await t.db.auditEvent.count({ where: { caseId: id, eventType: "DECIDE" } })).toBe(1);
    expect((await caseState(t.db, untouched)).state).toBe("presented");
    expect((await t.db.call.findUniqueOrThrow({ where: { id: call.id } })).grantedOre).toBe(3_000_000n);
    expect(await reconcile(t.db)).toEqual([]);
    const after = await (await get(t.db, listPage, A.users.decision_maker.id, "/beslut?beslutade=2")).json();
    expect(after.confirmation).toBe("Klart: 2 ärenden har beslutats.");
  });

  it("grants the officer's proposed amount to each case on partial approval, with the rejection category", async () => {
    const call = await makeScoredCall(t.db, A, { title: "Delvis-utlysningen", budgetOre: 5_000_000n });
    const one = await presented(t.db, applicantA(), A.users.officer, call.id, "Delvis ett", 2_000_000n, { outcome: "partly_approved", proposedOre: 1_500_000n });
    const two = await presented(t.db, applicantA(), A.users.officer, call.id, "Delvis två", 1_000_000n, { outcome: "partly_approved", proposedOre: 400_000n });
    const noCategory = await batch(A.users.decision_maker.id, { scope: "selected", ids: [one, two], outcome: "partly_approved", reasons: "Delvis.", rejectionCategory: "", query: "" });
    expect(noCategory.status).toBe(400);
    expect((await noCategory.json()).fieldErrors).toEqual({ rejectionCategory: "Välj skäl till avslaget eller det delvisa bifallet." });
    const res = await batch(A.users.decision_maker.id, { scope: "selected", ids: [one, two], outcome: "partly_approved", reasons: "Budgeten räcker till en del.", rejectionCategory: "budget_exhausted", query: "" });
    expect(res.status, await res.clone().text()).toBe(302);
    const granted = await t.db.decision.findMany({ where: { applicationId: { in: [one, two] } }, select: { applicationId: true, grantedOre: true, rejectionCategory: true } });
    expect(new Map(granted.map((d) => [d.applicationId, [d.grantedOre, d.rejectionCategory]]))).toEqual(
      new Map([
        [one, [1_500_000n, "budget_exhausted"]],
        [two, [400_000n, "budget_exhausted"]],
      ]),
    );
  });

  it("decides every case matching the filter, also those not on the visible page", async () => {
    const call = await makeScoredCall(t.db, A, { title: "Massutlysningen", budgetOre: 5_000_000n });
    const ids: string[] = [];
    for (let i = 1; i <= 27; i++) ids.push(await presented(t.db, applicantA(), A.users.officer, call.id, `Massärende ${String(i).padStart(2, "0")}`, 100_000n, { outcome: "rejected" }));
    const page = await (await get(t.db, listPage, A.users.decision_maker.id, `/beslut?utlysning=${call.id}`)).json();
    expect(page.list.rows).toHaveLength(25);
    expect(page.list.total).toBe(27);
    const res = await batch(A.users.decision_maker.id, { scope: "filter", outcome: "rejected", reasons: "Utlysningens medel räcker inte.", rejectionCategory: "budget_exhausted", query: `utlysning=${call.id}` });
    expect(res.status, await res.clone().text()).toBe(302);
    expect(res.headers.get("Location")).toBe("/beslut?beslutade=27");
    const states = await t.db.application.findMany({ where: { id: { in: ids } }, select: { state: true } });
    expect(new Set(states.map((x) => x.state))).toEqual(new Set(["rejected"]));
    expect(await t.db.decision.count({ where: { applicationId: { in: ids }, rejectionCategory: "budget_exhausted" } })).toBe(27);
    // Other calls' presented cases are untouched.
    expect((await caseState(t.db, A.presentedId)).state).toBe("presented");
  });

  it("is all or nothing: one case the call's budget cannot afford refuses the whole batch, names the case and the rule, and writes nothing", async () => {
    const call = await makeScoredCall(t.db, A, { title: "Knappa utlysningen", budgetOre: 3_000_000n });
    const ids = [
      await presented(t.db, applicantA(), A.users.officer, call.id, "Knapp ett", 1_000_000n, { outcome: "approved" }),
      await presented(t.db, applicantA(), A.users.officer, call.id, "Knapp två", 1_000_000n, { outcome: "approved" }),
      await presented(t.db, applicantA(), A.users.officer, call.id, "Knapp tre", 1_500_000n, { outcome: "approved" }),
    ];
    const before = await Promise.all(ids.map((id) => caseState(t.db, id)));
    const outbox = await t.db.outboxMessage.count();
    const res = await batch(A.users.decision_maker.id, { scope: "filter", outcome: "approved", reasons: "Bra.", rejectionCategory: "", query: `utlysning=${call.id}` });
    expect(res.status).toBe(422);
    const body = await res.json();
    const named = await t.db.application.findMany({ where: { id: { in: ids } }, select: { title: true, registrationNumber: true } });
    const message: string = body.formError;
    expect(message).toMatch(/: Beviljat belopp ryms inte i utlysningens återstående budget\. Inget av ärendena har beslutats\.$/);
    expect(named.some((a) => message.startsWith(`${a.registrationNumber} ${a.title}:`))).toBe(true);
    expect(await Promise.all(ids.map((id) => caseState(t.db, id)))).toEqual(before);
    expect(await t.db.decision.count({ where: { applicationId: { in: ids } } })).toBe(0);
    expect((await t.db.call.findUniqueOrThrow({ where: { id: call.id } })).grantedOre).toBe(0n);
    expect(await t.db.outboxMessage.count()).toBe(outbox);
    // The form comes back with what was chosen.
    expect(body.values).toMatchObject({ scope: "filter", outcome: "approved", reasons: "Bra." });
  });

  it("refuses the whole batch when the decision maker presented one of the cases (four eyes), naming it", async () => {
    const call = await makeScoredCall(t.db, A, { title: "Fyraögonutlysningen", budgetOre: 5_000_000n });
    const fine = await presented(t.db, applicantA(), A.users.officer, call.id, "Annans föredragning", 100_000n, { outcome: "approved" });
    const own = await presented(t.db, applicantA(), people.both, call.id, "Egen föredragning i batch", 100_000n, { outcome: "approved" });
    const res = await batch(people.both.id, { scope: "selected", ids: [fine, own], outcome: "approved", reasons: "Bra.", rejectionCategory: "", query: "" });
    expect(res.status).toBe(422);
    const reg = (await t.db.application.findUniqueOrThrow({ where: { id: own } })).registrationNumber;
    expect((await res.json()).formError).toBe(`${reg} Egen föredragning i batch: Den som har föredragit ärendet får inte också besluta i det. Inget av ärendena har beslutats.`);
    expect((await caseState(t.db, fine)).state).toBe("presented");
    expect((await caseState(t.db, own)).state).toBe("presented");
  });

  it("refuses mixed calls, an empty selection, a filter without a call, another board's case and the wrong role", async () => {
    const call = await makeScoredCall(t.db, A, { title: "Blandutlysningen", budgetOre: 5_000_000n });
    const here = await presented(t.db, applicantA(), A.users.officer, call.id, "Blandat här", 100_000n, { outcome: "approved" });
    const form = { outcome: "approved", reasons: "Bra.", rejectionCategory: "", query: "" };
    const mixed = await batch(A.users.decision_maker.id, { ...form, scope: "selected", ids: [here, A.presentedId] });
    expect(mixed.status).toBe(400);
    expect((await mixed.json()).formError).toBe("Ett gemensamt beslut gäller ärenden i samma utlysning. Markera bara ärenden i en utlysning.");
    const empty = await batch(A.users.decision_maker.id, { ...form, scope: "selected" });
    expect((await empty.json()).formError).toBe("Markera de ärenden som beslutet gäller.");
    const noCall = await batch(A.users.decision_maker.id, { ...form, scope: "filter" });
    expect((await noCall.json()).formError).toMatch(/^Välj en utlysning i filtret/);
    const foreign = await batch(A.users.decision_maker.id, { ...form, scope: "selected", ids: [B.presentedId] });
    expect(foreign.status).toBe(404);
    const officer = await batch(A.users.officer.id, { ...form, scope: "selected", ids: [here] });
    expect(officer.status).toBe(403);
    for (const id of [here, A.presentedId, B.presentedId]) expect((await caseState(t.db, id)).state).toBe("presented");
  });

  it("searches only among presented cases: a word that matches thousands of the board's other cases still finds, lists and batch-decides every presented one", async () => {
    const call = await makeScoredCall(t.db, A, { title: "Sökordsutlysningen", budgetOre: 5_000_000n });
    // More of the board's cases match the word than a search hands on (SEARCH_LIMIT), none of them
    // presented, and they come first in the table: a search that were capped before it looked at
    // the state would hand on only these.
    const columns = (await t.db.$queryRawUnsafe<{ name: string }[]>(`select column_name as name from information_schema.columns where table_schema = 'public' and table_name = 'Application' order by ordinal_position`)).map((c) => c.name);
    const value = (c: string) =>
      ({ id: "gen_random_uuid()", title: `'Zebraprojektet ' || n`, state: `'submitted'`, registrationNumber: "null", registrationYear: "null", registrationSeq: "null", officerId: "null" })[c] ?? `src."${c}"`;
    await t.db.$executeRawUnsafe(
      `insert into "Application" (${columns.map((c) => `"${c}"`).join(", ")})
       select ${columns.map(value).join(", ")} from "Application" src, generate_series(1, ${SEARCH_LIMIT + 1}) n where src.id = $1::uuid`,
      A.presentedId,
    );
    const ids = [
      await presented(t.db, applicantA(), A.users.officer, call.id, "Zebraprojektet i Alfa", 100_000n, { outcome: "rejected" }),
      await presented(t.db, applicantA(), A.users.officer, call.id, "Zebraprojektet för unga", 100_000n, { outcome: "rejected" }),
    ];

    const list = await (await get(t.db, listPage, A.users.decision_maker.id, `/beslut?utlysning=${call.id}&q=zebraprojektet`)).json();
    expect(list.list.total).toBe(2);
    expect(list.list.rows.map((r: { id: string }) => r.id).sort()).toEqual([...ids].sort());

    const res = await batch(A.users.decision_maker.id, { scope: "filter", outcome: "rejected", reasons: "Utlysningens medel räcker inte.", rejectionCategory: "budget_exhausted", query: `utlysning=${call.id}&q=zebraprojektet` });
    expect(res.status, await res.clone().text()).toBe(302);
    expect(res.headers.get("Location")).toBe("/beslut?beslutade=2");
    for (const id of ids) expect((await caseState(t.db, id)).state).toBe("rejected");
  });
});
