// The lists and the start page's queries against a real database: search
// (Swedish full-text and registration numbers), state and call filters,
// pagination, counts per state, calls for applicants, exact money sums.
import { beforeAll, describe, expect, it } from "vitest";
import { listCases, parseCaseListQuery, caseListHref, PAGE_SIZE } from "../../app/cases/list.server";
import { listCalls, parseCallListQuery } from "../../app/calls/calls.server";
import { allocationFigures, loadAssignmentView } from "../../app/assignments/assignments.server";
import { loadStart } from "../../app/start/start.server";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { createApplicationDraft } from "../../app/workflow/create.server";
import { pageNumbers } from "../../app/components/Pagination";
import { buildSide, useWorldDatabase, type Side } from "../access/world";

const t = useWorldDatabase();
let A: Side;
let B: Side;

const query = (qs: string) => parseCaseListQuery(new URL(`http://localhost/arenden${qs}`));
const titles = (list: Awaited<ReturnType<typeof listCases>>) => list.rows.map((r) => r.title).sort();

beforeAll(async () => {
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
  // 30 more submitted applications on side A, one with a title that only full-text search finds.
  const at = new Date("2020-03-05T10:00:00Z");
  for (let i = 1; i <= 30; i++) {
    const title = i === 7 ? "Kvinnojourerna i samverkan" : `Alfa serieprojekt ${String(i).padStart(2, "0")}`;
    const draft = await createApplicationDraft(t.db, A.users.applicant, A.callId, A.applicantOrgId, { title, requestedOre: 100_000n }, at);
    await applyWorkflowEvent(t.db, A.users.applicant, "application", draft.id, { type: "SUBMIT", requestedOre: 100_000 }, { now: at });
  }
}, 240_000);

describe("case list", () => {
  it("searches in Swedish: words in any order and inflection, parts of registration numbers, organization names", async () => {
    const officer = A.users.officer;
    expect(titles(await listCases(t.db, officer, query("?q=samverkan+kvinnojourer")))).toEqual(["Kvinnojourerna i samverkan"]);
    expect(titles(await listCases(t.db, officer, query("?q=stödgrupp")))).toEqual(["Alfaprojektet Stödgrupper"]);
    const byNumber = await listCases(t.db, officer, query("?q=05-2020-000"));
    expect(byNumber.total).toBe(9); // 05-2020-0001 … 05-2020-0009
    expect(byNumber.rows.every((r) => r.registrationNumber?.startsWith("05-2020-000"))).toBe(true);
    expect((await listCases(t.db, officer, query("?q=Alfa+kommun"))).total).toBe(33); // every submitted case of side A
    expect((await listCases(t.db, officer, query("?q=50%25_\\"))).total).toBe(0); // LIKE wildcards are literal
    // Never beyond the scope: side B's officer finds nothing of side A's.
    expect((await listCases(t.db, B.users.officer, query("?q=05-2020"))).total).toBe(0);
    expect((await listCases(t.db, B.users.officer, query("?q=Kvinnojourerna"))).total).toBe(0);
  });

  it("paginates 25 a page with counts per state, and filters by state and call", async () => {
    const all = await listCases(t.db, A.users.officer, query(""));
    expect(all.total).toBe(33);
    expect(all.pages).toBe(2);
    expect(all.rows).toHaveLength(PAGE_SIZE);
    const page2 = await listCases(t.db, A.users.officer, query("?sida=2"));
    expect(page2.rows).toHaveLength(33 - PAGE_SIZE);
    expect(new Set([...all.rows, ...page2.rows].map((r) => r.id)).size).toBe(33);
    expect((await listCases(t.db, A.users.officer, query("?sida=99"))).page).toBe(2);
    expect(all.stateCounts).toEqual([
      { state: "submitted", label: "Inlämnad", count: 31 },
      { state: "presented", label: "Föredragen", count: 1 },
      { state: "grantActive.finalReport.due", label: "Bidrag beviljat – slutredovisning ska lämnas", count: 1 },
    ]);
    const presented = await listCases(t.db, A.users.officer, query("?status=presented"));
    expect(titles(presented)).toEqual(["Alfaprojektet Stödgrupper"]);
    expect((await listCases(t.db, A.users.officer, query(`?utlysning=${A.callId}&status=submitted`))).total).toBe(31);
    expect((await listCases(t.db, A.users.officer, query(`?utlysning=${B.callId}`))).total).toBe(0);
    // Unknown filters are ignored, not errors.
    expect(query("?status=nonsense&utlysning=x&sida=-3&kommun=x&frist=igår&vy=x")).toEqual({ view: "alla", state: null, callId: null, municipality: null, deadline: null, q: "", page: 1 });
    expect(caseListHref({ view: "alla", q: "a b", state: "submitted", callId: null, municipality: null, deadline: null }, 2)).toBe("/arenden?q=a+b&status=submitted&sida=2");
    expect(pageNumbers(6, 20)).toEqual([1, null, 4, 5, 6, 7, 8, null, 20]);
  });

  it("shows the applicant its own cases, drafts included, and formats money", async () => {
    const mine = await listCases(t.db, A.users.applicant, query("?q=Alfaprojektet"));
    expect(titles(mine)).toEqual(["Alfaprojektet Kunskapslyft", "Alfaprojektet Stödgrupper", "Alfaprojektet Trygg skola", "Alfaprojektet Utkast"]);
    const granted = mine.rows.find((r) => r.title === "Alfaprojektet Trygg skola")!;
    expect(granted).toMatchObject({ requested: "400\u00a0000\u00a0kr", granted: "400\u00a0000\u00a0kr", registrationNumber: "05-2020-0001" });
  });
});

describe("call list", () => {
  it("shows applicants the open calls of every board, never drafts; staff their own board's calls in every state", async () => {
    const url = (qs = "") => parseCallListQuery(new URL(`http://localhost/utlysningar${qs}`));
    const forApplicant = await listCalls(t.db, A.users.applicant, url());
    expect(forApplicant.rows.map((c) => c.title).sort()).toEqual(["Alfautlysningen 2020", "Betautlysningen 2020"]);
    expect((await listCalls(t.db, A.users.applicant, url("?status=draft"))).rows).toEqual([]);
    const forStaff = await listCalls(t.db, A.users.officer, url());
    expect(forStaff.rows.map((c) => c.title).sort()).toEqual(["Alfas opublicerade utlysning", "Alfautlysningen 2020"]);
    const open = forStaff.rows.find((c) => c.title === "Alfautlysningen 2020")!;
    expect(open).toMatchObject({ budget: "2\u00a0000\u00a0000\u00a0kr", granted: "400\u00a0000\u00a0kr", left: "1\u00a0600\u00a0000\u00a0kr", applications: 33 });
  });
});

describe("assignment figures", () => {
  it("adds up allocated, committed, granted and paid exactly, per board and in total", async () => {
    const view = await loadAssignmentView(t.db, A.assignmentId);
    expect(view.boards).toHaveLength(1);
    const figures = await allocationFigures(t.db, [A.assignmentId]);
    expect(figures.rows).toHaveLength(1);
    expect(figures.rows[0]).toMatchObject({
      boardId: view.boards[0].boardId,
      allocated: "5\u00a0000\u00a0000\u00a0kr",
      committed: "3\u00a0000\u00a0000\u00a0kr",
      granted: "400\u00a0000\u00a0kr",
      paid: "0\u00a0kr",
      notInCalls: "2\u00a0000\u00a0000\u00a0kr",
      leftToGrant: "4\u00a0600\u00a0000\u00a0kr",
    });
    expect(figures.totals.get(A.assignmentId)).toMatchObject({ allocated: "5\u00a0000\u00a0000\u00a0kr", granted: "400\u00a0000\u00a0kr" });
    expect(view.notAllocated).toBe("15\u00a0000\u00a0000\u00a0kr");
  });
});

describe("start page", () => {
  it("gives each role its own work, and only its own board's", async () => {
    const officer = await loadStart(t.db, A.users.officer);
    expect(officer.officer?.queueCount).toBe(31);
    expect(officer.officer?.queue).toHaveLength(25);
    expect(officer.decisionMaker).toBeNull();

    const dm = await loadStart(t.db, A.users.decision_maker);
    expect(dm.decisionMaker?.toDecide.map((c) => c.title)).toEqual(["Alfaprojektet Stödgrupper"]);

    const finance = await loadStart(t.db, A.users.finance);
    expect(finance.finance?.toAttest.map((d) => [d.title, d.number])).toEqual([["Alfaprojektet Trygg skola", 1]]);
    expect(finance.finance?.toPay).toEqual([]);

    const coordinator = await loadStart(t.db, A.users.coordinator);
    expect(coordinator.coordinator?.assignments.map((a) => a.title)).toEqual(["Alfauppdraget om våld i nära relationer"]);

    const admin = await loadStart(t.db, A.users.admin);
    expect(admin.admin?.boards[0]).toMatchObject({ cases: 33, calls: 2, organizations: 1 });

    const applicant = await loadStart(t.db, A.users.applicant);
    expect(applicant.applicant?.openCalls.map((c) => c.title).sort()).toEqual(["Alfautlysningen 2020", "Betautlysningen 2020"]);
    expect(applicant.applicant?.cases.length).toBe(25);
    expect(applicant.officer).toBeNull();
  });

  it("does not ask a decision maker to decide a case they declared jäv on", async () => {
    await applyWorkflowEvent(t.db, A.users.decision_maker, "application", A.presentedId, { type: "DECLARE_CONFLICT_OF_INTEREST" }, { details: { conflictReason: "Närstående i projektet." } });
    expect((await loadStart(t.db, A.users.decision_maker)).decisionMaker?.toDecide).toEqual([]);
  });
});
