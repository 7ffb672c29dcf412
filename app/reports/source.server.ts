// Where an export reads from: a node-postgres connection holding a REPEATABLE
// READ transaction, so every sheet of a workbook sees the same snapshot of the
// database (the totals on the first sheet and the rows on the others cannot drift
// apart while a long export runs), and server-side cursors or COPY that hand over
// rows as they are read, so memory stays flat however many rows there are. The per-application
// facts are computed once into a temporary table that every sheet reads (the
// transaction writes nothing else and always rolls back). An export may open
// several such connections on one exported snapshot (pg_export_snapshot), so one
// prepares the later sheets while the first ones are written.
import pg from "pg";
import { logger } from "~/logger.server";
import { materializeFactsSql, materializeGrantOrderSql, type ReportFilter, type Runner, type SqlText } from "./figures.server";

export type ExportSource = Runner & {
  /** Runs `sql` as a cursor and calls `onBatch` with each batch of rows, in order. */
  each<T>(sql: SqlText, onBatch: (rows: T[]) => Promise<void> | void, batchSize?: number): Promise<void>;
  /**
   * Queues `COPY (sql) TO STDOUT` (text format; `sql` takes no parameters) and returns at once:
   * PostgreSQL runs the query (joins, sort) as soon as the connection is free and its first rows
   * wait on the socket until `each` is called with a consumer, which gets every row's bytes, in
   * order. While the consumer says it is blocked, the socket is paused and PostgreSQL waits.
   */
  copy(sql: SqlText): { each(consumer: CopyConsumer): Promise<void> };
  close(): Promise<void>;
};

/** Takes the rows of a COPY: `row` gets one row in PostgreSQL's text format, with its line feed. */
export type CopyConsumer = {
  row(bytes: Buffer): void;
  /** A promise while the consumer can take no more rows (its output is full), else null. */
  blocked(): Promise<unknown> | null;
};

// Dates (OID 1082) as UTC midnight, as Prisma gives them: node-postgres would use the process's local midnight.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 1082 ? (s: string) => new Date(`${s}T00:00:00Z`) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

let cursorSeq = 0;

const plain = (text: string): SqlText => ({ text, values: [] });

/**
 * Which `facts` table a source fills: "full", every application with every figure
 * (materializeFactsSql); "grants", the light table of the sheets that hang off a grant
 * (materializeGrantOrderSql: instalments, reclaims, results).
 */
export type FactsTable = "full" | "grants";

/** The statements that open an export's snapshot and fill its `facts` table, in order (the benchmark's COPY yardstick runs the same). */
export function exportSetupSql(filter: ReportFilter, today: string, table: FactsTable = "full"): SqlText[] {
  return [
    // Room for the facts table and the sheets' sorts and hashes in memory (this one connection only).
    plain("set temp_buffers = '256MB'"),
    plain("begin isolation level repeatable read"),
    plain("set local work_mem = '128MB'"),
    // A cursor is planned for its first 10 % of rows by default (nested loops); an export reads them all.
    plain("set local cursor_tuple_fraction = 1.0"),
    table === "full" ? materializeFactsSql(filter, today) : materializeGrantOrderSql(filter, today),
    // Statistics for the sheets' joins and filters (a temporary table has none until analysed);
    // only the columns they use: the titles and descriptions would triple the time.
    plain(`analyze facts (seq, grant_id, "boardId", "applicantOrgId"${table === "full" ? ", in_force, outcome, state" : ""})`),
  ];
}

export async function openExportSource(databaseUrl: string | undefined, facts: { filter: ReportFilter; today: string }): Promise<ExportSource> {
  const [source] = await openExportSources(databaseUrl, facts, ["full"]);
  return source;
}

/** The export's connections name themselves so (pg_stat_activity.application_name). */
export const EXPORT_APPLICATION_NAME = "redovisning-export";

/**
 * One source per entry of `tables` on one snapshot, each on its own connection with its own
 * facts table of that kind (made at the same time, from the same snapshot, so they hold the same
 * applications). Returns as soon as the snapshot is shared: each source fills its facts table as
 * the first statements of its own queue, so a source's first query starts the moment its own
 * facts are in (not when the slowest is).
 */
export async function openExportSources(databaseUrl: string | undefined, facts: { filter: ReportFilter; today: string }, tables: FactsTable[]): Promise<ExportSource[]> {
  const url = databaseUrl ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const clients = tables.map(() => {
    const client = new pg.Client({ connectionString: url, types, application_name: EXPORT_APPLICATION_NAME });
    // A connection lost while idle (a restart, a terminated backend) must not crash the process:
    // the export's next statement fails with it, and the export with that.
    client.on("error", (error) => logger.warn({ err: error }, "export database connection lost"));
    return client;
  });
  const connected: pg.Client[] = [];
  const setups = tables.map((table) => exportSetupSql(facts.filter, facts.today, table));
  // Everything up to `begin` opens each transaction; the first exports its snapshot and the others take it.
  const opening = setups[0].findIndex((s) => s.text.startsWith("begin")) + 1;
  try {
    await Promise.all(clients.map(async (c) => (await c.connect(), connected.push(c))));
    await run(clients[0], setups[0].slice(0, opening));
    if (clients.length > 1) {
      const { rows } = await clients[0].query<{ id: string }>("select pg_export_snapshot() as id");
      await Promise.all(
        clients.slice(1).map((c, i) => run(c, [...setups[i + 1].slice(0, opening), { text: `set transaction snapshot ${pg.escapeLiteral(rows[0].id)}`, values: [] }])),
      );
    }
  } catch (error) {
    await Promise.all(connected.map((c) => c.end().catch(() => {})));
    throw error;
  }
  return clients.map((c, i) => sourceOn(c, run(c, setups[i].slice(opening))));
}

const run = (c: pg.Client, statements: SqlText[]) => statements.reduce((p, s) => p.then(() => c.query(s.text, s.values)), Promise.resolve<unknown>(null));

/** A source on `client`, whose queries wait for `ready` (the facts table) and fail with its error. */
function sourceOn(client: pg.Client, ready: Promise<unknown>): ExportSource {
  let closed = false;
  // One statement at a time on the connection, in the order asked (node-postgres would queue
  // them too, but that is deprecated): a prepared cursor's statements wait behind earlier ones.
  let tail: Promise<unknown> = ready;
  ready.catch(() => {});
  const query = (config: pg.QueryConfig | pg.QueryArrayConfig): Promise<pg.QueryResult> => {
    const result = tail.then(() => client.query(config));
    tail = result.catch(() => {});
    return result;
  };
  // COPYs still open (rows not all consumed), for close() to drain after a failure.
  const copies = new Set<{ abandon(): void }>();
  return {
    factsMode: "table",
    async rows<T>(sql: SqlText) {
      return (await query({ text: sql.text, values: sql.values })).rows as T[];
    },
    each<T>(sql: SqlText, onBatch: (rows: T[]) => Promise<void> | void, batchSize = 5000) {
      return open(sql, batchSize).each((rows) => onBatch(rows as T[]));
    },
    copy(sql: SqlText) {
      if (sql.values.length > 0) throw new Error("COPY takes no parameters");
      const rows = copyOut(client, sql.text);
      copies.add(rows);
      const done = tail.then(() => rows.start());
      tail = done.catch(() => {});
      done.catch(() => {});
      void tail.then(() => copies.delete(rows));
      return {
        each(consumer: CopyConsumer) {
          rows.consume(consumer);
          return done;
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      // A COPY nobody reads (the export failed elsewhere) would wait forever: read it to its end.
      for (const rows of copies) rows.abandon();
      await tail.catch(() => {});
      await client.query("rollback").catch(() => {});
      await client.end();
    },
  };

  /** Declares the cursor and asks for the first batch now (node-postgres queues both on the connection). */
  function open(sql: SqlText, batchSize: number) {
    const name = `export_${++cursorSeq}`;
    // Awaited in `each`; these only keep a cursor that is never read (an export failing elsewhere) from crashing the process.
    const declared = query({ text: `declare ${name} no scroll cursor for ${sql.text}`, values: sql.values });
    declared.catch(() => {});
    const fetch = () => {
      const text = `fetch ${batchSize} from ${name}`;
      const p = query({ text });
      p.catch(() => {});
      return p;
    };
    let next = fetch();
    return {
      async each(onBatch: (rows: unknown[]) => Promise<void> | void) {
        await declared;
        // The next batch is asked for before this one is written, so PostgreSQL and Node work at the same time.
        for (;;) {
          const { rows } = await next;
          const last = rows.length < batchSize;
          if (!last) next = fetch();
          if (rows.length > 0) await onBatch(rows);
          if (last) break;
        }
        await query({ text: `close ${name}` });
      },
    };
  }
}

type Socket = { pause(): void; resume(): void };

/**
 * `COPY (text) TO STDOUT` as a node-postgres submittable (the client calls `submit` when the
 * connection is free and hands it the protocol's messages): each CopyData message is one row.
 * Rows that arrive before there is a consumer, or while it is blocked, are kept (at most what
 * one read from the socket holds) and the socket is paused, so PostgreSQL waits instead of
 * Node's memory filling up. `start` resolves when every row is consumed and the statement is over.
 */
function copyOut(client: pg.Client, text: string) {
  const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
  const queue: Buffer[] = [];
  let head = 0;
  let consumer: CopyConsumer | null = null;
  let waiting = false;
  let paused = false;
  let over = false;
  let failed: unknown = null;
  let settle: { resolve(): void; reject(error: unknown): void } | null = null;
  const pause = () => {
    if (paused) return;
    paused = true;
    socket.pause();
  };
  const resume = () => {
    if (!paused) return;
    paused = false;
    socket.resume();
  };
  // Settles once the statement is over on the connection (so the next one may start), with the first failure if any.
  const finishIfOver = () => {
    if (!over) return;
    if (failed !== null) settle?.reject(failed);
    else if (head === queue.length && !waiting) settle?.resolve();
  };
  /** `ended`: the server ended the statement (an error response; the client takes the ReadyForQuery that follows). */
  const fail = (error: unknown, ended = false) => {
    if (failed === null) failed = error;
    if (ended) over = true;
    // The rest of the rows are read and dropped, so the connection ends the statement cleanly.
    consumer = { row() {}, blocked: () => null };
    waiting = false;
    queue.length = head = 0;
    resume();
    finishIfOver();
  };
  /** Hands queued rows to the consumer until it is blocked or the queue is empty. */
  const drain = () => {
    waiting = false;
    if (!consumer) return;
    try {
      while (head < queue.length) {
        consumer.row(queue[head++]);
        const blocked = consumer.blocked();
        if (blocked) {
          waiting = true;
          pause();
          blocked.then(drain, fail);
          return;
        }
      }
    } catch (error) {
      return fail(error);
    }
    queue.length = head = 0;
    resume();
    finishIfOver();
  };
  const submittable = {
    submit(connection: { query(text: string): void }) {
      connection.query(`copy (${text}) to stdout`);
    },
    handleCopyData(message: { chunk: Buffer }) {
      queue.push(message.chunk);
      if (consumer && !waiting && queue.length - head === 1) drain();
      else pause();
    },
    handleCopyInResponse() {
      fail(new Error("unexpected COPY FROM"));
    },
    handleRowDescription() {},
    handleDataRow() {},
    handleCommandComplete() {},
    handleEmptyQuery() {},
    handlePortalSuspended() {},
    handleError(error: unknown) {
      fail(error, true);
    },
    handleReadyForQuery() {
      over = true;
      finishIfOver();
    },
  };
  return {
    start() {
      // Abandoned before its turn: not run at all.
      if (failed !== null) return Promise.reject(failed);
      return new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
        client.query(submittable as unknown as pg.QueryConfig);
      });
    },
    consume(c: CopyConsumer) {
      if (consumer) throw new Error("a COPY has one consumer");
      consumer = c;
      drain();
    },
    abandon() {
      fail(new Error("export abandoned"));
    },
  };
}
