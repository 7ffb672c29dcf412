// The permission scopes exist twice: as Prisma filters and as SQL conditions for the
// plain-SQL hot paths (decision 0008). For every role on both sides, and a user with
// several roles, both must select exactly the same applications and calls.
import { beforeAll, describe, expect, it } from "vitest";
import { applicationScope, applicationScopeSql, callScope, callScopeSql, type Principal } from "../../app/access/permissions.server";
import { SqlParams } from "../../app/lib/sql-params";
import { sqlOf } from "../../app/sql.server";
import { buildSide, ROLES, useWorldDatabase, type Side } from "./world";

const t = useWorldDatabase();
let A: Side;
let B: Side;

beforeAll(async () => {
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
}, 240_000);

async function sqlIds(table: "Application" | "Call", alias: string, where: (p: SqlParams) => string): Promise<string[]> {
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
    for (const user of users) {
      const apps = (await t.db.application.findMany({ where: applicationScope(user), select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
      expect(await sqlIds("Application", "a", (p) => applicationScopeSql(user, p))).toEqual(apps);
      const calls = (await t.db.call.findMany({ where: callScope(user), select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
      expect(await sqlIds("Call", "c", (p) => callScopeSql(user, p))).toEqual(calls);
      if (apps.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(6);
  });
});
