// The decision letter: laid out as a Swedish decision, the same for the board and
// the applicant, and closed to everyone else.
import { beforeAll, describe, expect, it } from "vitest";
import * as letterPage from "../../app/routes/_app.arenden.$id_.beslutsbrev";
import { composeDecisionLetter, type DecisionLetterFacts } from "../../app/decisions/letter";
import type { DecisionLetterData } from "../../app/decisions/letter";
import { plainDate } from "../../app/lib/dates";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { browserRequest, buildSide, responseOf, sessionCookie, useWorldDatabase, type Side } from "../access/world";

const t = useWorldDatabase();
let A: Side;
let B: Side;

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
}, 120_000);

async function open(userId: string, id: string, query = "") {
  const cookie = await sessionCookie(t.db, userId);
  return responseOf(() => letterPage.loader({ request: browserRequest(`/arenden/${id}/beslutsbrev${query}`, { cookie }), params: { id }, context: {} }));
}

const facts: DecisionLetterFacts = {
  boardName: "Länsstyrelsen Östergötland",
  registrationNumber: "2020-05-0042",
  decidedOn: plainDate("2020-04-15"),
  kind: "original",
  supersedes: null,
  outcome: "partly_approved",
  requestedOre: 150_000_000n,
  grantedOre: 100_000_050n,
  conditions: "Medlen får användas till och med 2021-03-31.\n\nRedovisning ska lämnas senast 2021-04-30.",
  reasons: "Projektet uppfyller kriterierna delvis.",
  appealNotice: "Beslutet kan överklagas till förvaltningsrätten.",
  applicant: { name: "Linköpings kommun", orgNumber: "212000-0449" },
  projectTitle: "Trygg hemma",
  projectPeriod: { start: plainDate("2020-05-01"), end: plainDate("2021-03-31") },
  submittedOn: plainDate("2020-03-02"),
  call: { title: "Utvecklingsmedel 2020" },
  assignment: { title: "Mäns våld mot kvinnor", fundingReference: "A2020/00123" },
  decisionMakerName: "Bertil Ek",
  presenterName: "Hanna Lind",
  otherParticipants: ["Maria Sjöberg"],
  draft: false,
};

describe("composing a decision letter", () => {
  it("states a partial grant exactly, with each section in the Swedish order", () => {
    const l = composeDecisionLetter(facts);
    expect(l.decision).toBe("Länsstyrelsen Östergötland beviljar Linköpings kommun 1\u00a0000\u00a0000,50\u00a0kr av sökta 1\u00a0500\u00a0000\u00a0kr i utvecklingsmedel för projektet ”Trygg hemma”. I övrigt avslås ansökan.");
    expect(l.background[0]).toBe("Den 2 mars 2020 ansökte Linköpings kommun om 1\u00a0500\u00a0000\u00a0kr inom utlysningen ”Utvecklingsmedel 2020” för projektet ”Trygg hemma” för perioden 1 maj 2020–31 mars 2021.");
    expect(l.conditions).toHaveLength(2);
    expect(l.signature).toEqual(["Bertil Ek har beslutat i detta ärende. Hanna Lind har varit föredragande.", "I den slutliga handläggningen har även Maria Sjöberg deltagit."]);
    expect(l.decidedOnLong).toBe("15 april 2020");
  });

  it("leaves conditions out of a rejection and names what a reconsideration replaces", () => {
    const l = composeDecisionLetter({ ...facts, outcome: "rejected", grantedOre: 0n, kind: "reconsideration", supersedes: { decidedOn: plainDate("2020-04-01") } });
    expect(l.heading).toBe("Beslut efter omprövning");
    expect(l.decision).toMatch(/^Länsstyrelsen Östergötland avslår Linköpings kommuns ansökan/);
    expect(l.conditions).toEqual([]);
    expect(l.replaces).toBe("Detta beslut ersätter Länsstyrelsen Östergötlands beslut den 1 april 2020 i samma ärende.");
  });
});

describe("the decision letter page", () => {
  it("shows the board and the applicant the same letter, naming the decision maker and the presenting officer", async () => {
    const staff = await open(A.users.officer.id, A.grantedId);
    expect(staff.status).toBe(200);
    const { letter } = (await staff.json()) as { letter: DecisionLetterData };
    const name = async (id: string) => (await t.db.user.findUniqueOrThrow({ where: { id } })).name;
    expect(letter.signature[0]).toBe(`${await name(A.users.decision_maker.id)} har beslutat i detta ärende. ${await name(A.users.officer.id)} har varit föredragande.`);
    expect(letter.decision).toContain("400\u00a0000\u00a0kr");
    expect(letter.reasons).toEqual(["Uppfyller kriterierna."]);
    expect(letter.registrationNumber).toMatch(/\d{4}/);

    const applicant = await open(A.users.applicant.id, A.grantedId);
    expect(applicant.status).toBe(200);
    expect(((await applicant.json()) as { letter: DecisionLetterData }).letter).toEqual(letter);
  });

  it("is 404 for another board, another applicant, a case without a decision and a foreign decision id", async () => {
    expect((await open(B.users.officer.id, A.grantedId)).status).toBe(404);
    expect((await open(B.users.applicant.id, A.grantedId)).status).toBe(404);
    expect((await open(A.users.officer.id, A.presentedId)).status).toBe(404);
    const foreign = await t.db.decision.findFirstOrThrow({ where: { applicationId: B.grantedId } });
    expect((await open(A.users.officer.id, A.grantedId, `?beslut=${foreign.id}`)).status).toBe(404);
    expect((await open(A.users.officer.id, A.grantedId, "?beslut=inte-ett-id")).status).toBe(404);
  });

  it("shows the decision in force after a reconsideration, and the earlier one on request", async () => {
    const original = await t.db.decision.findFirstOrThrow({ where: { applicationId: A.grantedId } });
    const refused = await applyWorkflowEvent(t.db, A.users.decision_maker, "application", A.grantedId, { type: "RECONSIDER_DECISION", outcome: "partly_approved", grantedOre: 30_000_000, reasons: "Omprövat efter ny budget.", paidOre: 0 }).catch((e: unknown) => e);
    if (refused instanceof Error) return expect.fail(`reconsideration was refused: ${refused.message}`);
    const now = (await (await open(A.users.officer.id, A.grantedId)).json()) as { letter: DecisionLetterData };
    expect(now.letter.heading).toBe("Beslut efter omprövning");
    expect(now.letter.replaces).toMatch(/^Detta beslut ersätter/);
    expect(now.letter.decision).toContain("300\u00a0000\u00a0kr av sökta");
    const earlier = (await (await open(A.users.officer.id, A.grantedId, `?beslut=${original.id}`)).json()) as { letter: DecisionLetterData };
    expect(earlier.letter.heading).toBe("Beslut");
    expect(earlier.letter.decision).toContain("400\u00a0000\u00a0kr");
  });
});
