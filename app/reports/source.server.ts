// Where an export reads from: one node-postgres connection holding one
// REPEATABLE READ transaction, so every sheet of a workbook sees the same
// snapshot of the database (the totals on the first sheet and the rows on the
// others cannot drift apart while a long export runs), and server-side cursors
// that hand over rows in batches, so memory stays flat however many rows there
// are. The per-application facts are computed once into a temporary table that
// every sheet reads (the transaction writes nothing else and always rolls back).
import pg from "pg";
import { materializeFactsSql, type ReportFilter, type Runner, type SqlText } from "./figures.server";

/** A row as PostgreSQL's text output, one string (or null) per column: nothing parsed. */
export type RawRow = (string | null)[];

export type ExportSource = Runner & {
  /** Runs `sql` as a cursor and calls `onBatch` with each batch of rows, in order. */
  each<T>(sql: SqlText, onBatch: (rows: T[]) => Promise<void> | void, batchSize?: number): Promise<void>;
  /** The same, with each row as its columns' text (the workbook writes cells from text: parsing would be wasted). */
  eachRaw(sql: SqlText, onBatch: (rows: RawRow[]) => Promise<void> | void, batchSize?: number): Promise<void>;
  close(): Promise<void>;
};

// Dates (OID 1082) as UTC midnight, as Prisma gives them: node-postgres would use the process's local midnight.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 1082 ? (s: string) => new Date(`${s}T00:00:00Z`) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

// Every column as the text PostgreSQL sent, for eachRaw.
const rawText = (s: string) => s;
const raw = { getTypeParser: (() => rawText) as unknown as typeof pg.types.getTypeParser };

let cursorSeq = 0;

const plain = (text: string): SqlText => ({ text, values: [] });

/** The statements that open an export's snapshot and fill its `facts` table, in order (the benchmark's COPY yardstick runs the same). */
export function exportSetupSql(filter: ReportFilter, today: string): SqlText[] {
  return [
    // Room for the facts table and the sheets' sorts and hashes in memory (this one connection only).
    plain("set temp_buffers = '256MB'"),
    plain("begin isolation level repeatable read"),
    plain("set local work_mem = '128MB'"),
    // A cursor is planned for its first 10 % of rows by default (nested loops); an export reads them all.
    plain("set local cursor_tuple_fraction = 1.0"),
    materializeFactsSql(filter, today),
    // Statistics for the sheets' joins (a temporary table has none until analysed).
    plain("analyze facts"),
  ];
}

export async function openExportSource(databaseUrl: string | undefined, facts: { filter: ReportFilter; today: string }): Promise<ExportSource> {
  const url = databaseUrl ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const client = new pg.Client({ connectionString: url, types });
  await client.connect();
  try {
    for (const statement of exportSetupSql(facts.filter, facts.today)) await client.query(statement.text, statement.values);
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
    each<T>(sql: SqlText, onBatch: (rows: T[]) => Promise<void> | void, batchSize = 5000) {
      return cursor(sql, (rows) => onBatch(rows as T[]), batchSize, false);
    },
    eachRaw(sql: SqlText, onBatch: (rows: RawRow[]) => Promise<void> | void, batchSize = 5000) {
      return cursor(sql, (rows) => onBatch(rows as RawRow[]), batchSize, true);
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.query("rollback").catch(() => {});
      await client.end();
    },
  };

  async function cursor(sql: SqlText, onBatch: (rows: unknown[]) => Promise<void> | void, batchSize: number, rawRows: boolean) {
    const name = `export_${++cursorSeq}`;
    await client.query(`declare ${name} no scroll cursor for ${sql.text}`, sql.values);
    const fetch = () => {
      const text = `fetch ${batchSize} from ${name}`;
      const p = rawRows ? client.query({ text, rowMode: "array", types: raw }) : client.query(text);
      p.catch(() => {}); // awaited below; this only keeps an abandoned prefetch from crashing the process
      return p;
    };
    // The next batch is asked for before this one is written, so PostgreSQL and Node work at the same time.
    let next = fetch();
    for (;;) {
      const { rows } = await next;
      const last = rows.length < batchSize;
      if (!last) next = fetch();
      if (rows.length > 0) await onBatch(rows);
      if (last) break;
    }
    await client.query(`close ${name}`);
  }
}
