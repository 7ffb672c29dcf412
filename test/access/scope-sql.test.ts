// The permission scopes exist twice: as Prisma filters and as SQL conditions for the
// plain-SQL hot paths (decision 0008). For every role on both sides, and a user with
// several roles, both must select exactly the same applications, calls and assignments.
import { beforeAll, describe, expect, it } from "vitest";
import { applicationScope, applicationScopeSql, assignmentScope, assignmentScopeSql, callScope, callScopeSql, type Principal } from "../../app/access/permissions.server";
import { SqlParams } from "../../app/lib/sql-params";
import { allocate } from "../../app/workflow/create.server";
import { sqlOf } from "../../app/sql.server";
import { buildSide, ROLES, useWorldDatabase, type Side } from "./world";

const t = useWorldDatabase();
let A: Side;
let B: Side;

beforeAll(async () => {
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
  // B's board gets part of A's assignment: B's staff see it through the allocation alone.
  await allocate(t.db, A.users.officer, A.assignmentId, B.boardId, 1_000_000n, new Date("2020-01-01T00:00:00Z"));
}, 240_000);

async function sqlIds(table: "Application" | "Call" | "Assignment", alias: string, where: (p: SqlParams) => string): Promise<string[]> {
  const p = new SqlParams();
  const rows = await sqlOf(t.db).query<{ id: string }>(`select ${alias}.id from "${table}" ${alias} where ${where(p)} order by ${alias}.id`, p.values);
  return rows.map((r) => r.id);
}

describe("SQL scopes match the Prisma scopes", () => {
  it("for every role on both sides, a user with no membership, and one with roles on both sides", async () => {
    const users: Principal[] = [
      ...ROLES.flatMap((role) => [A.users[role], B.users[role]]),
      { id: A.users.officer.id, memberships: [] },
      { id: A.users.officer.id, memberships: [...A.users.coordinator.memberships, ...B.users.officer.memberships, ...A.users.applicant.memberships] },
    ];
    let nonEmpty = 0;
    let nonEmptyAssignments = 0;
    for (const user of users) {
      const apps = (await t.db.application.findMany({ where: applicationScope(user), select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
      expect(await sqlIds("Application", "a", (p) => applicationScopeSql(user, p))).toEqual(apps);
      const calls = (await t.db.call.findMany({ where: callScope(user), select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
      expect(await sqlIds("Call", "c", (p) => callScopeSql(user, p))).toEqual(calls);
      const assignments = (await t.db.assignment.findMany({ where: assignmentScope(user), select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
      expect(await sqlIds("Assignment", "asg", (p) => assignmentScopeSql(user, p))).toEqual(assignments);
      if (assignments.length) nonEmptyAssignments++;
      if (apps.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(6);
    expect(nonEmptyAssignments).toBeGreaterThan(4);
    expect(await sqlIds("Assignment", "asg", (p) => assignmentScopeSql(B.users.officer, p))).toContain(A.assignmentId);
  });
});
