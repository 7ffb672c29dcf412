// Where an export reads from: one node-postgres connection holding one
// REPEATABLE READ, READ ONLY transaction, so every sheet of a workbook sees the
// same snapshot of the database (the totals on the first sheet and the rows on
// the others cannot drift apart while a long export runs), and server-side
// cursors that hand over rows in batches, so memory stays flat however many
// rows there are.
import pg from "pg";
import type { Runner, SqlText } from "./figures.server";

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

export async function openExportSource(databaseUrl = process.env.DATABASE_URL): Promise<ExportSource> {
  if (!databaseUrl) throw new Error("DATABASE_URL is not set");
  const client = new pg.Client({ connectionString: databaseUrl, types });
  await client.connect();
  await client.query("begin isolation level repeatable read read only");
  let closed = false;
  return {
    async rows<T>(sql: SqlText) {
      return (await client.query(sql.text, sql.values)).rows as T[];
    },
    async each<T>(sql: SqlText, onBatch: (rows: T[]) => Promise<void> | void, batchSize = 2000) {
      const name = `export_${++cursorSeq}`;
      await client.query(`declare ${name} no scroll cursor for ${sql.text}`, sql.values);
      for (;;) {
        const { rows } = await client.query(`fetch ${batchSize} from ${name}`);
        if (rows.length === 0) break;
        await onBatch(rows as T[]);
        if (rows.length < batchSize) break;
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
