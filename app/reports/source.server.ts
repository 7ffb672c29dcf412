// Where an export reads from: one node-postgres connection holding one
// REPEATABLE READ transaction, so every sheet of a workbook sees the same
// snapshot of the database (the totals on the first sheet and the rows on the
// others cannot drift apart while a long export runs), and server-side cursors
// that hand over rows in batches, so memory stays flat however many rows there
// are. The per-application facts are computed once into a temporary table that
// every sheet reads (the transaction writes nothing else and always rolls back).
import pg from "pg";
import { materializeFactsSql, type ReportFilter, type Runner, type SqlText } from "./figures.server";

export type ExportSource = Runner & {
  /** Runs `sql` as a cursor and calls `onBatch` with each batch of rows, in order. */
  each<T>(sql: SqlText, onBatch: (rows: T[]) => Promise<void> | void, batchSize?: number): Promise<void>;
  close(): Promise<void>;
};

// Dates (OID 1082) as UTC midnight, as Prisma gives them: node-postgres would use the process's local midnight.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 1082 ? (s: string) => new Date(`${s}T00:00:00Z`) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

let cursorSeq = 0;

export async function openExportSource(databaseUrl: string | undefined, facts: { filter: ReportFilter; today: string }): Promise<ExportSource> {
  const url = databaseUrl ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const client = new pg.Client({ connectionString: url, types });
  await client.connect();
  try {
    // Room for the facts table and the sheets' sorts and hashes in memory (this one connection only).
    await client.query("set temp_buffers = '256MB'");
    await client.query("begin isolation level repeatable read");
    await client.query("set local work_mem = '128MB'");
    // A cursor is planned for its first 10 % of rows by default (nested loops); an export reads them all.
    await client.query("set local cursor_tuple_fraction = 1.0");
    const m = materializeFactsSql(facts.filter, facts.today);
    await client.query(m.text, m.values);
    await client.query(`create index on facts (grant_id); create index on facts ("boardId"); analyze facts`);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  let closed = false;
  return {
    factsMode: "table",
    async rows<T>(sql: SqlText) {
      return (await client.query(sql.text, sql.values)).rows as T[];
    },
    async each<T>(sql: SqlText, onBatch: (rows: T[]) => Promise<void> | void, batchSize = 5000) {
      const name = `export_${++cursorSeq}`;
      await client.query(`declare ${name} no scroll cursor for ${sql.text}`, sql.values);
      const fetch = () => {
        const p = client.query(`fetch ${batchSize} from ${name}`);
        p.catch(() => {}); // awaited below; this only keeps an abandoned prefetch from crashing the process
        return p;
      };
      // The next batch is asked for before this one is written, so PostgreSQL and Node work at the same time.
      let next = fetch();
      for (;;) {
        const { rows } = await next;
        const last = rows.length < batchSize;
        if (!last) next = fetch();
        if (rows.length > 0) await onBatch(rows as T[]);
        if (last) break;
      }
      await client.query(`close ${name}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.query("rollback").catch(() => {});
      await client.end();
    },
  };
}
