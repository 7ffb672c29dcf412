// The officer's work queue against a real database: "what needs me today"
// (mine or unassigned, needing action, never a case I declared jäv on),
// filters by call, municipality, state and deadline, counts per state over
// the filters, pagination, Swedish full-text search that uses the GIN index,
// and saved filters per user through the page's action.
import { beforeAll, describe, expect, it } from "vitest";
import * as listPage from "../../app/routes/_app.arenden._index";
import { listCases, parseCaseListQuery, PAGE_SIZE } from "../../app/cases/list.server";
import { applicationTextMatch } from "../../app/cases/search.server";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { buildSide, useWorldDatabase, type Side } from "../access/world";
import { AT, extraPeople, get, makeScoredCall, post, submitted } from "./world";

const t = useWorldDatabase();
let A: Side;
let B: Side;
let people: Awaited<ReturnType<typeof extraPeople>>;
let scoredCallId: string;
const ids: Record<string, string> = {};

const q = (qs: string) => parseCaseListQuery(new URL(`http://localhost/arenden${qs}`));
const titles = (list: Awaited<ReturnType<typeof listCases>>) => list.rows.map((r) => r.title).sort();
// After every deadline below, in Stockholm.
const NOW = new Date("2020-06-15T10:00:00Z");

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
  people = await extraPeople(t.db, A);
  scoredCallId = (await makeScoredCall(t.db, A, { title: "Kriterieutlysningen" })).id;
  const officer = A.users.officer;

  // Mine: started by the officer (START_ASSESSMENT makes them the handling officer).
  ids.mine = await submitted(t.db, A.users.applicant, A.applicantOrgId, A.callId, "Mitt ärende om våldsprevention", 2_000_000n);
  await applyWorkflowEvent(t.db, officer, "application", ids.mine, { type: "START_ASSESSMENT" }, { now: AT });
  // A colleague's: not mine.
  ids.colleague = await submitted(t.db, A.users.applicant, A.applicantOrgId, A.callId, "Kollegans ärende", 2_000_000n);
  await applyWorkflowEvent(t.db, A.officer2, "application", ids.colleague, { type: "START_ASSESSMENT" }, { now: AT });
  // Waiting for the applicant, deadline passed (needs me) and not yet passed (does not).
  ids.overdue = await submitted(t.db, A.users.applicant, A.applicantOrgId, A.callId, "Komplettering försenad", 2_000_000n);
  await applyWorkflowEvent(t.db, officer, "application", ids.overdue, { type: "START_ASSESSMENT" }, { now: AT });
  await applyWorkflowEvent(t.db, officer, "application", ids.overdue, { type: "REQUEST_COMPLETION", message: "Bifoga budget.", deadline: "2020-04-01T21:59:59.000Z" }, { now: AT });
  ids.waiting = await submitted(t.db, A.users.applicant, A.applicantOrgId, A.callId, "Komplettering pågår", 2_000_000n);
  await applyWorkflowEvent(t.db, officer, "application", ids.waiting, { type: "START_ASSESSMENT" }, { now: AT });
  await applyWorkflowEvent(t.db, officer, "application", ids.waiting, { type: "REQUEST_COMPLETION", message: "Bifoga plan.", deadline: "2020-06-20T21:59:59.000Z" }, { now: AT });
  // Jäv: unassigned and new, but the officer may take no part.
  ids.jav = await submitted(t.db, A.users.applicant, A.applicantOrgId, A.callId, "Jävsärendet", 2_000_000n);
  await applyWorkflowEvent(t.db, officer, "application", ids.jav, { type: "DECLARE_CONFLICT_OF_INTEREST" }, { now: AT, details: { conflictReason: "Min bror leder projektet." } });
  // Another municipality's organization, in the call with criteria.
  ids.gamma = await submitted(t.db, people.otherApplicant, people.otherMunicipalityOrg.id, scoredCallId, "Gammaföreningens stödlinje", 3_000_000n, { description: "Jourverksamhet för våldsutsatta kvinnor." });
  // A final report submitted on the granted case: the officer reviews it.
  await applyWorkflowEvent(t.db, A.users.applicant, "application", A.grantedId, { type: "SUBMIT_REPORT", kind: "final", unusedOre: 0 }, { now: AT, details: { usedOre: 40_000_000n, activitySummary: "Genomfört." } });
  // 26 more new cases on side A: more than a page.
  for (let i = 1; i <= 26; i++) await submitted(t.db, A.users.applicant, A.applicantOrgId, A.callId, `Serieärende ${String(i).padStart(2, "0")}`, 100_000n);
}, 240_000);

describe("what needs me today (vy=mina)", () => {
  it("lists my cases and unassigned ones needing action, never a colleague's, one waiting for the applicant, or one I declared jäv on", async () => {
    const mine = await listCases(t.db, A.users.officer, q("?vy=mina"), NOW);
    const all = [...mine.rows];
    for (let p = 2; p <= mine.pages; p++) all.push(...(await listCases(t.db, A.users.officer, q(`?vy=mina&sida=${p}`), NOW)).rows);
    const found = new Set(all.map((r) => r.id));
    expect(found.has(ids.mine)).toBe(true);
    expect(found.has(ids.overdue)).toBe(true); // the completion deadline has passed
    expect(found.has(A.grantedId)).toBe(true); // a final report to review
    expect(found.has(A.submittedId)).toBe(true); // new and unassigned
    expect(found.has(ids.gamma)).toBe(true);
    expect(found.has(ids.colleague)).toBe(false);
    expect(found.has(ids.waiting)).toBe(false);
    expect(found.has(ids.jav)).toBe(false);
    expect(found.has(A.presentedId)).toBe(false); // waiting for the decision maker
    expect(mine.total).toBe(found.size);
    expect(mine.total).toBe(5 + 26);
    // The colleague sees their own case, not mine; the jäv case is in theirs, unassigned.
    const theirs = await listCases(t.db, A.officer2, q("?vy=mina&q=ärende"), NOW);
    const theirIds = theirs.rows.map((r) => r.id);
    expect(theirIds).toContain(ids.colleague);
    expect(theirIds).not.toContain(ids.mine);
    expect((await listCases(t.db, A.officer2, q("?vy=mina&q=Jävsärendet"), NOW)).rows.map((r) => r.id)).toEqual([ids.jav]);
    // The list names the handling officer and the passed deadline.
    const overdue = all.find((r) => r.id === ids.overdue)!;
    expect(overdue).toMatchObject({ officer: "Alfa officer", deadline: "2020-04-01", deadlinePassed: true, stateLabel: "Komplettering begärd" });
  });

  it("shows board B's officer nothing of board A", async () => {
    const theirs = await listCases(t.db, B.users.officer, q("?vy=mina"), NOW);
    expect(theirs.rows.map((r) => r.title)).toEqual(["Betaprojektet Kunskapslyft"]);
  });
});

describe("filters, counts and pages", () => {
  it("filters by call, municipality, state and deadline, with counts per state over the same filters", async () => {
    const officer = A.users.officer;
    expect(titles(await listCases(t.db, officer, q(`?utlysning=${scoredCallId}`), NOW))).toEqual(["Gammaföreningens stödlinje"]);
    expect(titles(await listCases(t.db, officer, q("?kommun=0581"), NOW))).toEqual(["Gammaföreningens stödlinje"]);
    expect((await listCases(t.db, officer, q("?kommun=0580"), NOW)).rows.map((r) => r.municipality)).toContain("Linköping");
    expect(titles(await listCases(t.db, officer, q("?frist=passerad"), NOW))).toEqual(["Komplettering försenad"]);
    expect(titles(await listCases(t.db, officer, q("?frist=7"), NOW))).toEqual(["Komplettering pågår"]);
    // The granted case's final report was due 2021-02-28: within 30 days of 2021-02-10, but it is submitted, so no open deadline.
    expect(titles(await listCases(t.db, officer, q("?frist=30"), new Date("2021-02-10T10:00:00Z")))).toEqual([]);
    const completion = await listCases(t.db, officer, q("?status=completionRequested"), NOW);
    expect(titles(completion)).toEqual(["Komplettering försenad", "Komplettering pågår"]);
    // Counts per state follow the other filters, not the state filter.
    expect(completion.stateCounts.find((s) => s.state === "submitted")?.count).toBe(1 + 1 + 1 + 26); // Kunskapslyft, Jäv, Gamma, the series
    const inCall = await listCases(t.db, officer, q(`?utlysning=${scoredCallId}&status=completionRequested`), NOW);
    expect(inCall.total).toBe(0);
    expect(inCall.stateCounts).toEqual([{ state: "submitted", label: "Inlämnad", count: 1 }]);
    expect(completion.municipalities.map((m) => m.code).sort()).toEqual(["0580", "0581"]);
  });

  it("pages 25 at a time without losing or repeating a case", async () => {
    const first = await listCases(t.db, A.users.officer, q("?status=submitted"), NOW);
    expect(first.total).toBe(29);
    expect(first.rows).toHaveLength(PAGE_SIZE);
    const second = await listCases(t.db, A.users.officer, q("?status=submitted&sida=2"), NOW);
    expect(second.rows).toHaveLength(29 - PAGE_SIZE);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(29);
  });
});

describe("search", () => {
  it("finds words in Swedish inflections in title and description, organization names and parts of registration numbers", async () => {
    const officer = A.users.officer;
    expect(titles(await listCases(t.db, officer, q("?q=våldsutsatt+kvinna"), NOW))).toEqual(["Gammaföreningens stödlinje"]); // description, inflected
    expect(titles(await listCases(t.db, officer, q("?q=Gamma+förening"), NOW))).toEqual(["Gammaföreningens stödlinje"]); // organization
    const reg = (await t.db.application.findUniqueOrThrow({ where: { id: ids.overdue } })).registrationNumber!;
    expect(titles(await listCases(t.db, officer, q(`?q=${reg}`), NOW))).toEqual(["Komplettering försenad"]);
    expect((await listCases(t.db, officer, q(`?q=${reg.slice(0, -1)}`), NOW)).total).toBeGreaterThan(1);
    expect((await listCases(t.db, B.users.officer, q("?q=Gamma"), NOW)).total).toBe(0);
  });

  it("uses the GIN index ApplicationText_search on the kept words", async () => {
    const plan = await t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("set local enable_seqscan = off");
      return tx.$queryRaw<{ "QUERY PLAN": string }[]>`explain select a.id from "Application" a where ${applicationTextMatch("våld")}`;
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("ApplicationText_search");
  });
});

describe("saved filters", () => {
  it("saves the list's own filters under a name, applies them by link, keeps them per user, and deletes them", async () => {
    const officer = A.users.officer;
    const saved = await post(t.db, listPage, officer.id, "/arenden", { intent: "save-filter", filterName: "Försenade i min kö", query: "vy=mina&frist=passerad&evil=1&sida=3" });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe("/arenden?vy=mina&frist=passerad");
    const row = await t.db.savedFilter.findFirstOrThrow({ where: { userId: officer.id } });
    expect(row).toMatchObject({ list: "arenden", name: "Försenade i min kö", query: "vy=mina&frist=passerad" });

    const page = await (await get(t.db, listPage, officer.id, "/arenden")).json();
    expect(page.savedFilters).toEqual([{ id: row.id, name: "Försenade i min kö", href: "/arenden?vy=mina&frist=passerad" }]);
    expect((await (await get(t.db, listPage, A.officer2.id, "/arenden")).json()).savedFilters).toEqual([]);

    // Saving the same name again replaces the filter.
    await post(t.db, listPage, officer.id, "/arenden", { intent: "save-filter", filterName: "Försenade i min kö", query: `utlysning=${A.callId}` });
    expect((await t.db.savedFilter.findMany({ where: { userId: officer.id } })).map((f) => f.query)).toEqual([`utlysning=${A.callId}`]);

    // No name, or nothing to save: 400 with the message next to the field; nothing saved.
    const noName = await post(t.db, listPage, officer.id, "/arenden", { intent: "save-filter", filterName: "  ", query: "frist=7" });
    expect(noName.status).toBe(400);
    expect((await noName.json()).fieldErrors).toEqual({ filterName: "Ge filtret ett namn." });
    const nothing = await post(t.db, listPage, officer.id, "/arenden", { intent: "save-filter", filterName: "Tomt", query: "" });
    expect((await nothing.json()).fieldErrors.filterName).toBe("Välj minst ett filter eller en sökning att spara.");

    // Another user cannot delete it (404); the owner can.
    const foreign = await post(t.db, listPage, A.officer2.id, "/arenden", { intent: "delete-filter", id: row.id });
    expect(foreign.status).toBe(404);
    expect(await t.db.savedFilter.count({ where: { id: row.id } })).toBe(1);
    const deleted = await post(t.db, listPage, officer.id, "/arenden", { intent: "delete-filter", id: row.id });
    expect(deleted.status).toBe(302);
    expect(await t.db.savedFilter.count({ where: { userId: officer.id } })).toBe(0);
  });

  it("sends applicants to their own list", async () => {
    const res = await get(t.db, listPage, A.users.applicant.id, "/arenden");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/ansokningar");
  });
});
