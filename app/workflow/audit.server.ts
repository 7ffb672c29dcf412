// The audit trail: append-only (database triggers), hash-chained per case so a
// changed or missing row is detectable. The caller holds the case row's lock,
// so events of one case are appended one at a time; the unique key on
// (caseType, caseId, prevHash) makes a forked chain impossible even so.
import { createHash } from "node:crypto";
import type { Db } from "~/db.server";
import { insertRows, json, toSql, type AnyTx, type Sql } from "./tx.server";

export const GENESIS_HASH = "0".repeat(64);

export type CaseType = "assignment" | "call" | "application" | "disbursement";

export type AuditInput = {
  actorId: string | null;
  organizationId: string | null;
  caseType: CaseType;
  caseId: string;
  eventType: string;
  fromState: string | null;
  toState: string | null;
  payload: unknown;
  occurredAt: Date;
};

/** JSON with sorted keys and bigints as strings: the same data always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v);
    }
    return out;
  }
  return value;
}

export function eventHash(prevHash: string, e: Omit<AuditInput, "payload"> & { payload: unknown }): string {
  const body = canonicalJson({
    actorId: e.actorId,
    organizationId: e.organizationId,
    caseType: e.caseType,
    caseId: e.caseId,
    eventType: e.eventType,
    fromState: e.fromState,
    toState: e.toState,
    payload: e.payload,
    occurredAt: e.occurredAt.toISOString(),
  });
  return linkHash(prevHash, body);
}

/** One link of a chain: the hash of the previous event's hash and this event's canonical JSON. */
function linkHash(prevHash: string, body: string): string {
  return createHash("sha256").update(prevHash).update("\n").update(body).digest("hex");
}

/** An audit row ready to insert: its hash computed from the previous one in the case's chain. */
export type AuditRow = AuditInput & {
  payload: unknown;
  /** The payload as canonical JSON text (what the hash covers), sent as the jsonb column's value. */
  payloadJson?: string;
  prevHash: string;
  hash: string;
};

const text = (v: unknown): v is string | null => v === null || typeof v === "string";

/**
 * The same text as `canonicalJson` of the hashed fields, built around the payload's canonical JSON
 * (computed once, and sent as the column's value too) instead of normalising the payload twice. Only
 * for fields that are all strings or null (every engine event); anything else goes the general way.
 */
function hashedBody(e: AuditInput, payloadJson: string): string | null {
  if (!(text(e.actorId) && text(e.organizationId) && text(e.caseType) && text(e.caseId) && text(e.eventType) && text(e.fromState) && text(e.toState))) return null;
  const s = JSON.stringify;
  // Keys in canonicalJson's order (sorted).
  return `{"actorId":${s(e.actorId)},"caseId":${s(e.caseId)},"caseType":${s(e.caseType)},"eventType":${s(e.eventType)},"fromState":${s(e.fromState)},"occurredAt":${s(e.occurredAt.toISOString())},"organizationId":${s(e.organizationId)},"payload":${payloadJson},"toState":${s(e.toState)}}`;
}

export function auditRow(prevHash: string, input: AuditInput): AuditRow {
  const payload = normalise(input.payload ?? {});
  const payloadJson = JSON.stringify(payload) as string | undefined; // undefined for a payload JSON cannot hold
  const body = payloadJson === undefined ? null : hashedBody(input, payloadJson);
  if (body === null) return { ...input, payload, prevHash, hash: eventHash(prevHash, { ...input, payload }) };
  return { ...input, payload, payloadJson, prevHash, hash: linkHash(prevHash, body) };
}

/** Inserts audit rows (any cases, each chain in order) in one statement. */
export async function insertAuditRows(tx: Sql, rows: AuditRow[]): Promise<{ id: bigint; hash: string }[]> {
  return (await insertRows(
    tx,
    "AuditEvent",
    rows.map((r) => ({
      actorId: r.actorId,
      organizationId: r.organizationId,
      caseType: r.caseType,
      caseId: r.caseId,
      eventType: r.eventType,
      fromState: r.fromState,
      toState: r.toState,
      payload: r.payloadJson ?? json(r.payload),
      occurredAt: r.occurredAt,
      prevHash: r.prevHash,
      hash: r.hash,
    })),
    { returning: "id, hash" },
  )) as { id: bigint; hash: string }[];
}

/** The hash at the head of a case's chain (GENESIS_HASH for a case without events). */
export async function chainHead(tx: Sql, caseType: CaseType, caseId: string): Promise<string> {
  const rows = await tx.query<{ hash: string }>(`select hash from "AuditEvent" where "caseType" = $1 and "caseId" = $2::uuid order by id desc limit 1`, [caseType, caseId]);
  return rows[0]?.hash ?? GENESIS_HASH;
}

export async function appendAuditEvent(tx: AnyTx, input: AuditInput): Promise<{ id: bigint; hash: string }> {
  const sql = toSql(tx);
  const [row] = await insertAuditRows(sql, [auditRow(await chainHead(sql, input.caseType, input.caseId), input)]);
  return row;
}

export type ChainBreak = { caseType: string; caseId: string; eventId: string; problem: string };

/**
 * Walks every chain and reports the first broken link: a row whose content no
 * longer matches its hash, or whose prevHash is not the previous row's hash
 * (a row changed or removed in between).
 */
export async function verifyAuditChains(db: Db, opts: { batchSize?: number } = {}): Promise<{ events: number; cases: number; firstBreak: ChainBreak | null }> {
  const batchSize = opts.batchSize ?? 5000;
  let cursor: { caseType: string; caseId: string; id: bigint } | null = null;
  let events = 0;
  let cases = 0;
  let prev: { caseType: string; caseId: string; hash: string } | null = null;
  for (;;) {
    const rows: Array<{ id: bigint; caseType: string; caseId: string; actorId: string | null; organizationId: string | null; eventType: string; fromState: string | null; toState: string | null; payload: unknown; occurredAt: Date; prevHash: string; hash: string }> = cursor
      ? await db.$queryRaw`select * from "AuditEvent" where ("caseType", "caseId", id) > (${cursor.caseType}, ${cursor.caseId}::uuid, ${cursor.id}) order by "caseType", "caseId", id limit ${batchSize}`
      : await db.$queryRaw`select * from "AuditEvent" order by "caseType", "caseId", id limit ${batchSize}`;
    if (rows.length === 0) break;
    for (const row of rows) {
      events++;
      const sameCase = prev && prev.caseType === row.caseType && prev.caseId === row.caseId;
      if (!sameCase) cases++;
      const expectedPrev = sameCase ? prev!.hash : GENESIS_HASH;
      const at = { caseType: row.caseType, caseId: row.caseId, eventId: row.id.toString() };
      if (row.prevHash !== expectedPrev) {
        return { events, cases, firstBreak: { ...at, problem: sameCase ? "prevHash does not match the previous event: an event was changed or removed before this one" : "the first event of the case does not start the chain: earlier events are missing" } };
      }
      const recomputed = eventHash(row.prevHash, { ...row, caseType: row.caseType as CaseType });
      if (recomputed !== row.hash) {
        return { events, cases, firstBreak: { ...at, problem: "content does not match its hash: the event was changed" } };
      }
      prev = { caseType: row.caseType, caseId: row.caseId, hash: row.hash };
    }
    const last = rows[rows.length - 1];
    cursor = { caseType: last.caseType, caseId: last.caseId, id: last.id };
  }
  return { events, cases, firstBreak: null };
}
