// The plain-SQL pool beside Prisma (app/sql.server.ts): same database, same
// value shapes as Prisma, and a transaction that leaves nothing behind on error.
import { countSocketWrites } from "../support/socket-writes";
import { describe, expect, it } from "vitest";
import { sqlOf } from "../../app/sql.server";
import { createDb } from "../../app/db.server";
import { useTestDatabase } from "../support/db";

const t = useTestDatabase();

describe("sqlOf(db)", () => {
  it("reads the same database as the Prisma client, with bigint öre and dates as Prisma gives them", async () => {
    const counties = await t.db.county.count();
    const [row] = await sqlOf(t.db).query<{ n: bigint; big: bigint; day: Date; exact: string }>(
      `select count(*) as n, $1::bigint as big, date '2020-03-01' as day, 0.1::numeric + 0.2::numeric as exact from "County"`,
      [9_007_199_254_740_993n],
    );
    expect(row.n).toBe(BigInt(counties));
    expect(row.big).toBe(9_007_199_254_740_993n); // beyond Number.MAX_SAFE_INTEGER: exact
    expect(row.day.toISOString()).toBe("2020-03-01T00:00:00.000Z");
    expect(row.exact).toBe("0.3");
  });

  it("sends bigint parameters exactly, alone and inside arrays, and a timestamp as the same instant, on the pool and in a transaction", async () => {
    // The pool hands values to node-postgres as they are (it serialises bigint with toString itself).
    const at = new Date("2026-03-04T05:06:07.089Z");
    const text = `select $1::bigint as one, $2::bigint[] as many, $3::timestamptz as at`;
    const values = [-9_007_199_254_740_993n, [9_007_199_254_740_993n, 0n, 1n], at];
    const [plain] = await sqlOf(t.db).query<{ one: bigint; many: string[]; at: Date }>(text, values);
    const [inTx] = await sqlOf(t.db).transaction((tx) => tx.query<{ one: bigint; many: string[]; at: Date }>(text, values));
    for (const row of [plain, inTx]) {
      expect(row.one).toBe(-9_007_199_254_740_993n);
      expect(row.many.map(String)).toEqual(["9007199254740993", "0", "1"]);
      expect(row.at.toISOString()).toBe(at.toISOString());
    }
  });

  it("rolls a transaction back whole when anything in it throws, and the pool stays usable", async () => {
    const sql = sqlOf(t.db);
    await sql.query(`create table sql_pool_probe (n int primary key)`);
    await expect(
      sql.transaction(async (tx) => {
        await tx.query(`insert into sql_pool_probe values (1)`);
        await tx.query(`insert into sql_pool_probe values (1)`); // duplicate key
      }),
    ).rejects.toThrow(/duplicate key/);
    await sql.transaction(async (tx) => {
      await tx.query(`insert into sql_pool_probe values (2)`);
    });
    const rows = await sql.query<{ n: number }>(`select n from sql_pool_probe order by n`);
    expect(rows.map((r) => r.n)).toEqual([2]);
  });
});

describe("prepared statements", () => {
  it("prepares a statement with parameters once per connection and reuses it (no parse and plan per run)", async () => {
    const sql = sqlOf(t.db);
    const text = `select $1::int + 1 as n /* prepared-statement probe */`;
    const seen = await sql.transaction(async (tx) => {
      const [a] = await tx.query<{ n: number }>(text, [1]);
      const [b] = await tx.query<{ n: number }>(text, [41]);
      const prepared = await tx.query<{ n: bigint }>(`select count(*) as n from pg_prepared_statements where statement = $1`, [text]);
      return { a: a.n, b: b.n, prepared: prepared[0].n };
    });
    expect(seen).toEqual({ a: 2, b: 42, prepared: 1n });
  });

  it("plans a statement asked not to be prepared on every run (a search), and keeps no prepared copy of it", async () => {
    const db = createDb(t.url, { max: 1 });
    try {
      const sql = sqlOf(db);
      const text = `select $1::int * 2 as n /* unprepared probe */`;
      const [a] = await sql.query<{ n: number }>(text, [21], { prepare: false });
      const [b] = await sql.query<{ n: number }>(text, [4], { prepare: false });
      expect([a.n, b.n]).toEqual([42, 8]);
      // One connection in this pool, so this looks at the same session.
      const [kept] = await sql.query<{ n: bigint }>(`select count(*) as n from pg_prepared_statements where statement like '%unprepared probe%' and statement not like '%pg_prepared%'`);
      expect(kept.n).toBe(0n);
    } finally {
      await db.$disconnect();
    }
  });
});

describe("pipelined transactions", () => {
  it("sends statements made together in one socket write (BEGIN with the first, the last with COMMIT)", async () => {
    const db = createDb(t.url, { max: 1 });
    try {
      const sql = sqlOf(db);
      await sql.query(`select 1 as warm`); // the connection is open before counting
      const socket = countSocketWrites();
      const sums = await sql
        .transaction(async (tx) => {
          const [a, b] = await Promise.all([tx.query<{ n: number }>(`select $1::int + 1 as n`, [1]), tx.query<{ n: number }>(`select $1::int + 2 as n`, [1])]);
          const [c] = await tx.queryAndCommit!<{ n: number }>(`select $1::int + 3 as n`, [1]);
          return [a[0].n, b[0].n, c.n];
        })
        .finally(() => socket.stop());
      expect(sums).toEqual([2, 3, 4]);
      // Without batching: BEGIN, two statements, the last statement and COMMIT would be five writes.
      expect(socket.writes).toBe(2);
    } finally {
      await db.$disconnect();
    }
  });
});
