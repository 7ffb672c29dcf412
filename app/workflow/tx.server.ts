// The one kind of transaction handle the workflow layer writes against: plain
// SQL (`Sql`, app/sql.server.ts). The engine's own transactions run on the
// node-postgres pool (decision 0008); callers that hold a Prisma interactive
// transaction (batch decisions, the import, payment plans) get an adapter over
// `$queryRawUnsafe`, so the rules and the SQL exist once.
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import type { Sql, SqlParam } from "~/sql.server";

export type { Sql } from "~/sql.server";

/** Anything the workflow functions accept: plain SQL, a Prisma transaction, or a Prisma client. */
export type AnyTx = Sql | Prisma.TransactionClient | Db;

type PrismaRaw = Pick<Prisma.TransactionClient, "$queryRawUnsafe">;

function isPrisma(x: AnyTx): x is Prisma.TransactionClient | Db {
  return typeof (x as Partial<PrismaRaw>).$queryRawUnsafe === "function";
}

// Prisma returns numeric as Decimal; pg (and sql.server.ts) as exact text.
function normaliseValue(v: unknown): unknown {
  if (v !== null && typeof v === "object" && !(v instanceof Date) && !Array.isArray(v) && typeof (v as { toFixed?: unknown }).toFixed === "function") return String(v);
  return v;
}

const adapters = new WeakMap<object, Sql>();

/** The same handle as plain SQL. Results have the shapes of sql.server.ts: int8 bigint, date a Date at UTC midnight, numeric text. */
export function toSql(x: AnyTx): Sql {
  if (!isPrisma(x)) return x;
  const cached = adapters.get(x);
  if (cached) return cached;
  const adapter: Sql = {
    async query<T extends Record<string, unknown>>(text: string, values: readonly SqlParam[] = []): Promise<T[]> {
      // Prisma sends a Date without its zone and a plain object as is: send both as text, as pg does.
      const args = values.map((v) => (v instanceof Date ? v.toISOString() : v !== null && typeof v === "object" && !Array.isArray(v) ? JSON.stringify(v) : v));
      const rows = await (x as PrismaRaw).$queryRawUnsafe<Record<string, unknown>[]>(text, ...args);
      for (const row of rows) for (const k of Object.keys(row)) row[k] = normaliseValue(row[k]);
      return rows as T[];
    },
  };
  adapters.set(x, adapter);
  return adapter;
}

/** A value for a json/jsonb column: sent as JSON text (an array would otherwise travel as a PostgreSQL array). */
export const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Values are typed by their columns (PostgreSQL infers a parameter's type from the column it goes into). */
export type Row = Record<string, SqlParam | undefined>;

// Statement texts by a short key of their shape (table, columns, rows, first parameter number): the
// engine sends the same few shapes over and over, and building the text anew each time (a placeholder
// per value, about a hundred per approval) cost more than the key. Bounded like the prepared names.
const MAX_TEXTS = 2000;
const texts = new Map<string, string>();

/** The text for `key`, built by `build` the first time. */
export function textFor(key: string, build: () => string): string {
  let text = texts.get(key);
  if (text === undefined) {
    text = build();
    if (texts.size < MAX_TEXTS) texts.set(key, text);
  }
  return text;
}

/** The INSERT of `rows` (the columns of the first row; `undefined` means the column's default), its parameters appended to `values`. */
function insertText(table: string, rows: Row[], values: SqlParam[], onConflict?: string): string {
  const first = rows[0];
  const columns = Object.keys(first).filter((k) => first[k] !== undefined);
  const offset = values.length;
  for (const r of rows) for (const c of columns) values.push(param(r[c]));
  return textFor(`insert\u0000${table}\u0000${rows.length}\u0000${offset}\u0000${onConflict ?? ""}\u0000${columns.join("\u0000")}`, () => {
    let n = offset;
    const tuples = rows.map(() => `(${columns.map(() => `$${++n}`).join(", ")})`);
    return `insert into ${ident(table)} (${columns.map(ident).join(", ")}) values ${tuples.join(", ")}${onConflict ? ` on conflict ${onConflict}` : ""}`;
  });
}

/**
 * INSERT of one or more rows in one statement. On a WriteBatch (and without `returning`) the rows
 * are queued instead and written with the batch's next statement.
 */
export async function insertRows(tx: Sql, table: string, rows: Row[], opts: { returning?: string; onConflict?: string } = {}): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  if (tx instanceof WriteBatch && !opts.returning) {
    tx.queue(table, rows, opts.onConflict);
    return [];
  }
  const values: SqlParam[] = [];
  const text = insertText(table, rows, values, opts.onConflict);
  return tx.query(`${text}${opts.returning ? ` returning ${opts.returning}` : ""}`, values);
}

/**
 * A transaction whose INSERTs wait: rows queued with insertRows are written, all tables at once as
 * data-modifying CTEs of one statement, just before the next statement runs (so every read still
 * sees every earlier write), or inside the caller's own last statement (`take`). The rows carry ids
 * made in Node, so no INSERT needs another's RETURNING; foreign keys are checked at the end of the
 * statement, when all of them are in.
 */
export class WriteBatch implements Sql {
  private pending: { table: string; rows: Row[]; onConflict?: string }[] = [];
  /** Statements sent without waiting (pipelined connections): checked, in order, at the next wait. */
  private inFlight: Promise<void>[] = [];
  constructor(readonly inner: Sql) {}

  get pipelined(): boolean {
    return this.inner.pipelined === true;
  }

  /** Present when the inner transaction can send its last statement with COMMIT (see Sql). */
  get queryAndCommit(): Sql["queryAndCommit"] {
    const inner = this.inner;
    if (!inner.queryAndCommit) return undefined;
    return async <T extends Record<string, unknown>>(text: string, values?: readonly SqlParam[]) => {
      this.sendPending();
      const answer = inner.queryAndCommit!<T>(text, values);
      answer.catch(() => {}); // awaited below, unless an earlier statement failed first
      await this.settle();
      return answer;
    };
  }

  /**
   * A statement whose answer nothing needs now, only `check` (which throws to refuse): on a pipelined
   * connection it goes out at once and the transaction moves on; `check` runs when the answer arrives
   * and its error surfaces at the next statement that waits (or `settle`), before COMMIT. Otherwise it
   * runs and is checked now.
   */
  async send(text: string, values: readonly SqlParam[], check: (rows: Record<string, unknown>[]) => void): Promise<void> {
    if (!this.pipelined) {
      check(await this.query(text, values));
      return;
    }
    this.sendPending();
    this.track(this.inner.query(text, values).then(check));
  }

  /** Waits for every statement sent without waiting; throws the first failure, in the order they were sent. */
  async settle(): Promise<void> {
    while (this.inFlight.length > 0) {
      const list = this.inFlight;
      this.inFlight = [];
      for (const p of list) await p;
    }
  }

  private track(p: Promise<void>): void {
    p.catch(() => {}); // seen by settle(); a later failure of the same transaction is only its echo
    this.inFlight.push(p);
  }

  /** The queued INSERTs, sent without waiting (pipelined connections only). */
  private sendPending(): void {
    if (this.pending.length === 0) return;
    const values: SqlParam[] = [];
    const text = this.pendingText(values);
    this.track(this.inner.query(text, values).then(() => undefined));
  }

  private pendingText(values: SqlParam[]): string {
    if (this.pending.length === 1) {
      const [p] = this.pending;
      this.pending = [];
      return insertText(p.table, p.rows, values, p.onConflict);
    }
    return `with ${this.take(values).join(", ")} select 1 as one`;
  }

  /**
   * A row queued for INSERT into `table` and not yet sent, by id: until the batch's next statement no
   * other statement, of this transaction or any other, can see it, so its values may still change.
   */
  queuedRow(table: string, id: string): Row | undefined {
    for (const p of this.pending) if (p.table === table) for (const r of p.rows) if (r.id === id) return r;
    return undefined;
  }

  queue(table: string, rows: Row[], onConflict?: string): void {
    this.pending.push({ table, rows, onConflict });
  }

  /** The queued INSERTs as CTEs (`name as (insert …)`), parameters appended to `values`; the queue is emptied. */
  take(values: SqlParam[]): string[] {
    const ctes = this.pending.map((p, i) => `queued_${i} as (${insertText(p.table, p.rows, values, p.onConflict)})`);
    this.pending = [];
    return ctes;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const values: SqlParam[] = [];
    const text = this.pendingText(values);
    await this.inner.query(text, values);
  }

  async query<T extends Record<string, unknown>>(text: string, values?: readonly SqlParam[]): Promise<T[]> {
    if (!this.pipelined) {
      await this.flush();
      return this.inner.query<T>(text, values);
    }
    // Everything goes out now, in order; the answers are awaited in the same order.
    this.sendPending();
    const answer = this.inner.query<T>(text, values);
    answer.catch(() => {}); // awaited below, unless an earlier statement failed first
    await this.settle();
    return answer;
  }
}

/** `column = column + n` in updateRow. */
export class Increment {
  constructor(readonly by: number | bigint) {}
}
export const increment = (by: number | bigint = 1) => new Increment(by);

/** UPDATE … SET the given columns WHERE every `where` column equals its value; returns the rows changed (RETURNING id when asked). */
export async function updateRows(tx: Sql, table: string, where: Row, set: Record<string, SqlParam | Increment | undefined>, extra = ""): Promise<number> {
  const values: SqlParam[] = [];
  const sets = Object.entries(set)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      if (v instanceof Increment) {
        values.push(v.by);
        return `${ident(k)} = ${ident(k)} + $${values.length}::${typeof v.by === "bigint" ? "bigint" : "int"}`;
      }
      values.push(param(v as SqlParam));
      return `${ident(k)} = $${values.length}`;
    });
  const conds = Object.entries(where).map(([k, v]) => {
    if (v === null) return `${ident(k)} is null`;
    values.push(param(v as SqlParam));
    return `${ident(k)} = $${values.length}`;
  });
  const rows = await tx.query(`update ${ident(table)} set ${sets.join(", ")} where ${conds.join(" and ")}${extra} returning 1 as one`, values);
  return rows.length;
}

function param(v: SqlParam | undefined): SqlParam {
  if (v === undefined) return null;
  // A plain object is a json column's value.
  if (v !== null && typeof v === "object" && !(v instanceof Date) && !Array.isArray(v)) return json(v);
  return v;
}

/** The single row a statement must return. */
export async function one<T extends Record<string, unknown>>(tx: Sql, text: string, values: readonly SqlParam[] = []): Promise<T> {
  const rows = await tx.query<T>(text, values);
  if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${text.slice(0, 120)}`);
  return rows[0];
}
