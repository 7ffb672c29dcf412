// The case loaders (workflow_load_applications, workflow_load_disbursements) read every row through
// an index: a generic plan that read a whole small table into a hash table on each load cost a fifth
// of PostgreSQL's CPU per approval, more as the tables grew (decision 0014). Counted with PostgreSQL's
// own per-transaction statistics (pg_stat_xact_user_tables), after ANALYZE, as a running system has.
import { beforeAll, describe, expect, it } from "vitest";
import { sqlOf } from "../../app/sql.server";
import { buildSide, useWorldDatabase, type Side } from "../access/world";

const t = useWorldDatabase();
let A: Side;
let B: Side;

beforeAll(async () => {
  A = await buildSide(t.db, "A");
  B = await buildSide(t.db, "B");
  await sqlOf(t.db).query("analyze");
}, 120_000);

/**
 * Sequential scans per table made by `statement`: the connection's counts before and after it (the
 * per-transaction view also holds counts of earlier statements on the connection not yet reported).
 */
async function seqScans(statement: string, values: unknown[]): Promise<Record<string, number>> {
  return sqlOf(t.db).transaction(async (tx) => {
    const counts = async () => new Map((await tx.query<{ relname: string; seq_scan: string }>(`select relname, seq_scan::text from pg_stat_xact_user_tables`)).map((r) => [r.relname, Number(r.seq_scan)]));
    const before = await counts();
    await tx.query(statement, values as never[]);
    const after = await counts();
    return Object.fromEntries([...after].map(([table, n]) => [table, n - (before.get(table) ?? 0)]).filter(([, n]) => n !== 0));
  });
}

describe("the case loaders", () => {
  it("read an application and all it needs without a sequential scan, locked or not, one case or several", async () => {
    const ids = [A.grantedId, B.grantedId];
    for (let i = 0; i < 7; i++) {
      // More than five runs: a plan cached for the connection is the one measured.
      expect(await seqScans(`select * from workflow_load_applications($1::uuid[], true)`, [[A.grantedId]])).toEqual({});
    }
    expect(await seqScans(`select * from workflow_load_applications($1::uuid[], false)`, [ids])).toEqual({});
  });

  it("read an instalment and all it needs without a sequential scan", async () => {
    const [{ id }] = await sqlOf(t.db).query<{ id: string }>(`select d.id from "Disbursement" d join "Grant" g on g.id = d."grantId" where g."applicationId" = $1::uuid limit 1`, [A.grantedId]);
    for (let i = 0; i < 7; i++) expect(await seqScans(`select * from workflow_load_disbursements($1::uuid[], true)`, [[id]])).toEqual({});
  });
});
