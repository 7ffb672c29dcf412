// Plain SQL through node-postgres, beside Prisma, for the paths where Prisma's
// per-statement cost dominates (measured on this machine: a findUnique costs
// about 1 ms of Node CPU, the same SELECT through pg about 0.15 ms). Every Db
// made by createDb carries its own pool on the same database, so tests, CLIs
// and the app all get the pool that matches their Prisma client. See decision 0008.
import pg from "pg";
import { logger } from "./logger.server";

/** Values a statement can take; bigint öre travel as text and PostgreSQL casts them. */
export type SqlParam = string | number | bigint | boolean | Date | null | readonly unknown[] | Record<string, unknown>;

/** One connection's worth of SQL: a pooled query, or a statement inside a transaction. */
export interface Sql {
  query<T extends Record<string, unknown>>(text: string, values?: readonly SqlParam[]): Promise<T[]>;
  /** Set when statements go out as soon as they are made, answered in order (a SqlPool transaction). */
  readonly pipelined?: boolean;
  /**
   * A SqlPool transaction's last statement, sent together with COMMIT (one round trip, and row locks
   * taken by it are held only while PostgreSQL commits). If the statement fails, that COMMIT rolls the
   * transaction back and the statement's error is thrown. Statements after it run on their own.
   */
  queryAndCommit?<T extends Record<string, unknown>>(text: string, values?: readonly SqlParam[]): Promise<T[]>;
}

// The same shapes Prisma returns, so rows read either way look alike:
// int8 → bigint, date → Date at UTC midnight, numeric stays text (exact).
const INT8 = 20;
const DATE = 1082;
// One parser function per type, made once: node-postgres asks for every column of every result.
const parseInt8 = (v: string) => BigInt(v);
const parseDate = (v: string) => new Date(`${v}T00:00:00Z`);
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8) return parseInt8;
    if (oid === DATE) return parseDate;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

// Read once per pool (as db.server.ts does for Prisma's log): process.env is slow to read per statement.
const logQueries = () => process.env.DB_QUERY_LOG === "1";

// Statements with parameters are prepared once per connection under a name made from their text:
// PostgreSQL then skips parsing and planning on every later run (the engine's statements are long
// and fixed for a given event). Bounded, so a stream of one-off texts cannot fill a connection.
const MAX_NAMED = 500;
const names = new Map<string, string>();
function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) names.set(text, (name = `s${names.size + 1}`));
  return name;
}

/** The socket under a pipelined connection (node-postgres keeps it on `connection.stream`). */
type Corkable = { cork(): void; uncork(): void };
const corked = new WeakSet<object>();

/**
 * Statements a transaction sends in one go (BEGIN with the case load; queued INSERTs with the next
 * statement; the state write, the budget UPDATE and COMMIT) leave in ONE socket write instead of
 * one each: the socket is corked at the first and uncorked when the event loop next turns
 * (setImmediate), which is after everything the transaction sends before it waits for an answer.
 * Measured on this machine: a write to the database socket cost 0.15–0.4 ms of Node CPU (it wakes
 * the server process), and one approval made seven; now two.
 */
function batchWrites(client: pg.PoolClient): void {
  const stream = (client as unknown as { connection?: { stream?: Partial<Corkable> } }).connection?.stream;
  if (!stream || typeof stream.cork !== "function" || typeof stream.uncork !== "function" || corked.has(stream)) return;
  const s = stream as Corkable;
  corked.add(s);
  s.cork();
  setImmediate(() => {
    corked.delete(s);
    s.uncork();
  });
}

const rowsOf = <T>(result: pg.QueryResult): T[] => result.rows as T[];

/**
 * One statement. node-postgres serialises a bigint parameter itself (`toString`), so the values go
 * through as they are. Without the log, no async wrapper: the driver's promise, mapped to its rows.
 */
function run<T>(client: pg.Pool | pg.PoolClient, text: string, values: readonly SqlParam[] | undefined, prepare: boolean, log: boolean): Promise<T[]> {
  const name = prepare && values && values.length > 0 ? nameOf(text) : undefined;
  let answer: Promise<pg.QueryResult>;
  try {
    answer = client.query({ text, name, values: values as unknown[] | undefined, types });
  } catch (error) {
    return Promise.reject(error); // as the async function it replaces: a failure is always a rejection
  }
  if (!log) return answer.then(rowsOf<T>);
  const started = performance.now();
  return answer.then((result) => {
    logger.debug({ ms: Math.round(performance.now() - started), query: text.slice(0, 500) }, "query");
    return result.rows as T[];
  });
}

export class SqlPool implements Sql {
  private pool: pg.Pool | undefined;
  private readonly log = logQueries();
  constructor(
    private readonly connectionString: string,
    private readonly max: number,
  ) {}

  private get p(): pg.Pool {
    // Opened on first use: most processes (and most test files) never need it.
    if (!this.pool) {
      // Pipelined connections send a statement without waiting for the previous answer: a
      // transaction's BEGIN travels with its first statement (one round trip less). Every caller
      // still awaits each statement it needs the answer of; answers come back in order.
      this.pool = new pg.Pool({ connectionString: this.connectionString, max: this.max, pipeline: true });
      // An idle connection closed by the server (a restart, shutdown) must not crash the process:
      // the pool drops it and the next query opens a new one.
      this.pool.on("error", (error) => logger.warn({ err: error }, "idle database connection lost"));
    }
    return this.pool;
  }

  /**
   * `prepare: false` for a statement whose best plan depends on its values (a text search,
   * where a rare word and a common one want different plans): a prepared statement may settle
   * on one generic plan for all values after five runs.
   */
  query<T extends Record<string, unknown>>(text: string, values?: readonly SqlParam[], opts: { prepare?: boolean } = {}): Promise<T[]> {
    return run<T>(this.p, text, values, opts.prepare ?? true, this.log);
  }

  /** BEGIN … COMMIT on one connection; any throw rolls back. Statements go out in order, pipelined. */
  async transaction<T>(fn: (tx: Sql) => Promise<T>, opts: { isolation?: "read committed" | "repeatable read" } = {}): Promise<T> {
    const client = await this.p.connect();
    const log = this.log;
    let broken = false;
    try {
      batchWrites(client);
      // Not awaited here: BEGIN goes out with the first statement, whose answer waits for BEGIN's too.
      let begun: Promise<unknown> | undefined = client.query(opts.isolation ? `begin isolation level ${opts.isolation}` : "begin");
      begun.catch(() => {}); // seen by whoever awaits it below
      let ended = false;
      const tx: Sql = {
        pipelined: true,
        query: async (text, values) => {
          batchWrites(client);
          if (begun === undefined) return run(client, text, values, true, log);
          const first = begun;
          begun = undefined;
          const [, rows] = await Promise.all([first, run<never>(client, text, values, true, log)]);
          return rows;
        },
        queryAndCommit: async <R extends Record<string, unknown>>(text: string, values?: readonly SqlParam[]) => {
          if (ended) throw new Error("the transaction has already ended");
          batchWrites(client);
          const first = begun;
          begun = undefined;
          const answer = run<R>(client, text, values, true, log);
          const commit = client.query("commit");
          ended = true;
          const [b, a, c] = await Promise.allSettled([first, answer, commit]);
          if (b.status === "rejected") throw b.reason;
          if (a.status === "rejected") throw a.reason; // the COMMIT behind it found the transaction failed and rolled back
          if (c.status === "rejected") throw c.reason;
          return a.value;
        },
      };
      const result = await fn(tx);
      if (!ended) {
        if (begun) await begun;
        await client.query("commit");
      }
      return result;
    } catch (error) {
      try {
        await client.query("rollback");
      } catch {
        broken = true; // the connection is unusable: do not hand it to the next caller
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async end(): Promise<void> {
    const p = this.pool;
    this.pool = undefined;
    await p?.end();
  }
}

const pools = new WeakMap<object, SqlPool>();

/** Ties a pool to a Prisma client (createDb does this). */
export function attachSql(db: object, pool: SqlPool): void {
  pools.set(db, pool);
}

/** The SQL pool on the same database as this Prisma client. */
export function sqlOf(db: object): SqlPool {
  const pool = pools.get(db);
  if (!pool) throw new Error("this Prisma client was not made by createDb, so it has no SQL pool");
  return pool;
}
