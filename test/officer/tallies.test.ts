// The work queue's tallies (migration 20261123085102_queue_counts) are a maintained
// figure: after every kind of change (new drafts, submissions, decisions, withdrawal,
// an organization moving municipality, deletion, folding, recounting) their sums must
// equal a live count of the cases, and the queue must show what a live count shows.
import { beforeAll, describe, expect, it } from "vitest";
import { listCases, parseCaseListQuery } from "../../app/cases/list.server";
import { sqlOf } from "../../app/sql.server";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { createApplicationDraft } from "../../app/workflow/create.server";
import { buildSide, useWorldDatabase, type Side } from "../access/world";
import { AT, extraPeople, makeScoredCall, submitted } from "./world";

const t = useWorldDatabase();
let A: Side;
let B: Side;
let people: Awaited<ReturnType<typeof extraPeople>>;

const q = (qs: string) => parseCaseListQuery(new URL(`http://localhost/arenden${qs}`));
const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

async function expectTalliesExact() {
  const sql = sqlOf(t.db);
  const liveStates = await sql.query(`select "boardId", "callId", state, count(*)::int as n from "Application" group by 1, 2, 3`);
  const talliedStates = await sql.query(`select "boardId", "callId", state, sum(delta)::int as n from "ApplicationStateTally" group by 1, 2, 3 having sum(delta) <> 0`);
  expect(sorted(talliedStates)).toEqual(sorted(liveStates));
  const liveMunicipalities = await sql.query(
    `select a."boardId", o."municipalityCode", count(*)::int as n from "Application" a join "Organization" o on o.id = a."applicantOrgId"
      where a.state <> 'draft' and o."municipalityCode" is not null group by 1, 2`,
  );
  const talliedMunicipalities = await sql.query(`select "boardId", "municipalityCode", sum(delta)::int as n from "ApplicantMunicipalityTally" group by 1, 2 having sum(delta) <> 0`);
  expect(sorted(talliedMunicipalities)).toEqual(sorted(liveMunicipalities));
}

/** What the queue shows, against the same questions asked of the cases directly. */
async function expectQueueMatchesLive(side: Side) {
  const sql = sqlOf(t.db);
  for (const user of [side.users.officer, side.users.coordinator, side.users.finance]) {
    const list = await listCases(t.db, user, q(""));
    // The same list with a filter that matches everything is counted live (the deadline/search paths are not tallied).
    const liveCounts = await sql.query<{ state: string; n: number }>(
      `select a.state, count(*)::int as n from "Application" a
        where a.state <> 'draft' and (a."boardId" = any($1::uuid[])
              or a."callId" in (select c.id from "Call" c join "Allocation" al on al.id = c."allocationId" join "Assignment" s on s.id = al."assignmentId" where s."coordinatingBoardId" = any($2::uuid[])))
        group by a.state`,
      [user.memberships.filter((m) => m.role !== "coordinator" && m.role !== "applicant").map((m) => m.organizationId), user.memberships.filter((m) => m.role === "coordinator").map((m) => m.organizationId)],
    );
    expect(sorted(list.stateCounts.map((s) => ({ state: s.state, n: s.count })))).toEqual(sorted(liveCounts));
    expect(list.total).toBe(liveCounts.reduce((n, r) => n + r.n, 0));
    const byCall = await listCases(t.db, user, q(`?utlysning=${side.callId}`));
    expect(byCall.total).toBe((await listCases(t.db, user, q(`?utlysning=${side.callId}&frist=passerad`))).total + (await countOutsideDeadline(user, side.callId)));
  }
  const staff = side.users.officer;
  const options = await listCases(t.db, staff, q(""));
  const liveOptions = await sql.query<{ code: string; name: string }>(
    `select m.code::text as code, m.name from "Municipality" m
      where exists (select 1 from "Organization" o join "Application" a on a."applicantOrgId" = o.id
                     where o."municipalityCode" = m.code and a."boardId" = $1::uuid and a.state <> 'draft')
      order by m.name`,
    [side.boardId],
  );
  expect(options.municipalities).toEqual(liveOptions);
}

/** Cases of a call in the user's scope without a passed deadline: with the deadline filter's total, the call's total. */
async function countOutsideDeadline(user: Side["users"]["officer"], callId: string): Promise<number> {
  const all = await sqlOf(t.db).query<{ n: number }>(
    `select count(*)::int as n from "Application" a where a."callId" = $1::uuid and a.state <> 'draft' and (a."boardId" = any($2::uuid[])
       or a."callId" in (select c.id from "Call" c join "Allocation" al on al.id = c."allocationId" join "Assignment" s on s.id = al."assignmentId" where s."coordinatingBoardId" = any($3::uuid[])))`,
    [callId, user.memberships.filter((m) => m.role !== "coordinator" && m.role !== "applicant").map((m) => m.organizationId), user.memberships.filter((m) => m.role === "coordinator").map((m) => m.organizationId)],
  );
  const passed = await listCases(t.db, user, q(`?utlysning=${callId}&frist=passerad`));
  return all[0].n - passed.total;
}

beforeAll(async () => {
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
  people = await extraPeople(t.db, A);
}, 240_000);

describe("work queue tallies", () => {
  it("equal a live count after the worlds are built (drafts, submissions, decisions, grants)", async () => {
    await expectTalliesExact();
    await expectQueueMatchesLive(A);
    await expectQueueMatchesLive(B);
  });

  it("follow submissions, assessment, withdrawal and a draft that is deleted", async () => {
    const id = await submitted(t.db, A.users.applicant, A.applicantOrgId, A.callId, "Tallyärende", 500_000n);
    await applyWorkflowEvent(t.db, A.users.officer, "application", id, { type: "START_ASSESSMENT" }, { now: AT });
    const scoredCallId = (await makeScoredCall(t.db, A, { title: "Tallyutlysningen" })).id;
    await submitted(t.db, people.otherApplicant, people.otherMunicipalityOrg.id, scoredCallId, "Gammas tallyärende", 300_000n);
    const other = await submitted(t.db, people.otherApplicant, people.otherMunicipalityOrg.id, scoredCallId, "Gammas återtagna ärende", 300_000n);
    await applyWorkflowEvent(t.db, people.otherApplicant, "application", other, { type: "WITHDRAW" }, { now: AT });
    const draft = await createApplicationDraft(t.db, A.users.applicant, A.callId, A.applicantOrgId, { title: "Utkast som tas bort", requestedOre: 1n }, AT);
    await expectTalliesExact();
    await sqlOf(t.db).transaction(async (tx) => {
      for (const table of ["BudgetLine", "ApplicationRevision"]) await tx.query(`delete from "${table}" where "applicationId" = $1::uuid`, [draft.id]);
      await tx.query(`delete from "Application" where id = $1::uuid`, [draft.id]);
    });
    await expectTalliesExact();
    await expectQueueMatchesLive(A);
  });

  it("move an organization's cases when it moves to another municipality, and fold without changing a sum", async () => {
    await sqlOf(t.db).query(`update "Organization" set "municipalityCode" = '0582' where id = $1::uuid`, [people.otherMunicipalityOrg.id]);
    await expectTalliesExact();
    await expectQueueMatchesLive(A);
    const before = (await sqlOf(t.db).query<{ n: number }>(`select count(*)::int as n from "ApplicationStateTally"`))[0].n;
    await sqlOf(t.db).query(`select compact_case_tallies()`);
    const after = (await sqlOf(t.db).query<{ n: number }>(`select count(*)::int as n from "ApplicationStateTally"`))[0].n;
    expect(after).toBeLessThan(before);
    await expectTalliesExact();
    await expectQueueMatchesLive(A);
    await sqlOf(t.db).query(`select rebuild_case_tallies()`);
    await expectTalliesExact();
  });
});
