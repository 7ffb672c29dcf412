// Applies one event to one stored case, in one database transaction:
// lock the row, rebuild the snapshot, let the statechart decide (for this
// actor), write the new state, carry out the machine's named effects as writes,
// append the audit event, commit. A refused event changes nothing.
import type { Prisma } from "~/generated/prisma/client";
import type { Role } from "~/generated/prisma/enums";
import { sqlOf, type SqlParam, type SqlPool } from "~/sql.server";
import type { Db } from "~/db.server";
import { logger } from "~/logger.server";
import {
  workflows,
  applyEvent,
  availableEvents,
  persistedJson,
  restore,
  type Actor,
  type WorkflowKind,
  type WorkflowSnapshot,
  type Effect,
} from "../../workflows";
import { auditRow, type AuditRow } from "./audit.server";
import { WorkflowConflict, WorkflowRefused } from "./errors";
import { effectHandlers, type EffectContext, type EventDetails } from "./effects.server";
import { loadCase, loadCases, type CaseWrite, type LoadedCase } from "./cases.server";
import { json, textFor, toSql, WriteBatch, type AnyTx, type Sql } from "./tx.server";
import { notFound, type Principal } from "~/access/permissions.server";

export type Tx = Prisma.TransactionClient;

/** An event as a route sends it: the type and its data, without actor or time. */
export type EventBody = { type: string } & Record<string, unknown>;

export type ApplyOptions = {
  /** The version the user saw; a different stored version is a conflict. */
  expectedVersion?: number;
  /** Data for the database writes that the statechart does not need (conditions, report lines, reasons for jäv…). */
  details?: EventDetails;
  /** The clock (tests and background jobs pass their own). */
  now?: Date;
  /** Set only by the server's own jobs and cascades: allows the machines' system events. */
  system?: boolean;
};

export type ApplyOutcome = { caseId: string; fromState: string; state: string; version: number; effects: string[] };

const STAFF: Role[] = ["officer", "decision_maker", "finance", "admin"];

/** The actor the statechart sees: the roles held in the organizations that matter for this case. */
export function actorFor(user: Principal, c: Pick<LoadedCase, "boardId" | "applicantOrgId" | "coordinatingBoardId">): Actor {
  const roles = new Set<Role>();
  for (const m of user.memberships) {
    if (m.organizationId === c.boardId && STAFF.includes(m.role)) roles.add(m.role);
    if (c.applicantOrgId && m.organizationId === c.applicantOrgId && m.role === "applicant") roles.add(m.role);
    if (c.coordinatingBoardId && m.organizationId === c.coordinatingBoardId && m.role === "coordinator") roles.add(m.role);
  }
  return { userId: user.id, roles: [...roles] };
}

export async function applyWorkflowEvent(db: Db, user: Principal, kind: WorkflowKind, caseId: string, body: EventBody, opts: ApplyOptions = {}): Promise<ApplyOutcome> {
  // On the plain-SQL pool (decision 0008): one connection, BEGIN … COMMIT, no Prisma on the way.
  const pool = readerOf(db);
  const run =
    pool === db
      ? db.$transaction((tx) => applyCore(toSql(tx), user, kind, caseId, body, opts), { timeout: 20_000, maxWait: 20_000 })
      : (pool as SqlPool).transaction((tx) => applyCore(tx, user, kind, caseId, body, opts, true));
  return run.catch((error: unknown) => {
      if (error instanceof WorkflowRefused) logger.info({ kind, caseId, event: body.type, userId: user.id, rule: error.rule }, `workflow event refused: ${error.logMessage}`);
      throw error;
    });
}

/** The same, inside a transaction the caller holds: a Prisma interactive transaction (batch decisions, the import) or plain SQL. */
export async function applyInTransaction(tx: AnyTx, user: Principal, kind: WorkflowKind, caseId: string, body: EventBody, opts: ApplyOptions = {}): Promise<ApplyOutcome> {
  return applyCore(toSql(tx), user, kind, caseId, body, opts);
}

/** `ownsTransaction`: nothing follows this event in its transaction, so its last statement may carry the COMMIT. */
async function applyCore(sql: Sql, user: Principal, kind: WorkflowKind, caseId: string, body: EventBody, opts: ApplyOptions, ownsTransaction = false): Promise<ApplyOutcome> {
  // INSERTs of the effects wait and go out together (with the next statement, or with the case's own last one).
  const tx = sql instanceof WriteBatch ? sql : new WriteBatch(sql);
  const now = opts.now ?? new Date();
  // Background-job events (LAPSE, CLOSE_BY_TIME, SUPERSEDE) come from the server itself, never from a request.
  // Checked before the lock, as it needs nothing from the database (the outcome is the same refusal).
  const systemOnly = (workflows[kind].systemEventTypes as readonly string[]).includes(body.type) && !opts.system;
  const c = await loadCase(tx, kind, caseId, { lock: true });
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== c.version) {
    throw new WorkflowConflict(kind, caseId, opts.expectedVersion, c.version);
  }
  if (systemOnly) {
    throw new WorkflowRefused("systemEventOnly", "Åtgärden görs automatiskt av systemet och kan inte begäras.", `${kind}.${body.type} is a system event; refused from user ${user.id}`);
  }
  const actor = actorFor(user, c);
  const snapshot = restore(kind, c.snapshot);
  // What the database knows (budget left, paid, jäv list, approved reports) wins over anything the request says.
  const event = { ...body, ...(await c.facts(tx, body.type, body)), actor, at: now.toISOString() };
  const result = applyEvent(kind, snapshot, event as never);
  if (!result.ok) throw new WorkflowRefused(result.rule, result.message, result.logMessage);

  const ctx: EffectContext = {
    tx,
    kind,
    case: c,
    event,
    user,
    now,
    details: opts.details ?? {},
    next: result.next as { context: unknown },
    cascade: (k, id, b) => applyCore(tx, user, k, id, b, { now, system: true }),
    audit: [],
    budget: [],
  };
  for (const effect of result.effects as Effect[]) {
    const handler = effectHandlers[kind][effect.type];
    if (handler === undefined) throw new Error(`no handler for effect ${kind}.${effect.type}`);
    await handler(ctx, effect.params);
  }

  // The case's own event after those of the cases it started (instalments), as before.
  ctx.audit.push(
    auditRow(c.auditHead, {
      actorId: user.id === "system" ? null : user.id,
      organizationId: c.organizationForAudit(actor),
      caseType: kind,
      caseId,
      eventType: body.type,
      fromState: c.state,
      toState: result.state,
      payload: { event: body, details: opts.details ?? {}, effects: result.actions },
      occurredAt: now,
    }),
  );
  // One statement: the new state, snapshot and version, the audit events, and the outbox message
  // (work that leaves the database, e-mail and notices, is picked up from the outbox after commit).
  await writeCase(tx, c, { state: result.state, snapshotJson: persistedJson(kind, result.next as WorkflowSnapshot<typeof kind>), version: c.version + 1 }, ctx.audit, {
    topic: `${kind}.${body.type}`,
    caseType: kind,
    caseId,
    payload: { fromState: c.state, toState: result.state, actorId: user.id, at: now.toISOString() },
  });
  // Last: the call's budget. Its row lock is held from here to COMMIT, so nothing else waits behind it (decision 0003);
  // in the engine's own transaction the last change goes out together with the COMMIT.
  for (const [i, change] of ctx.budget.entries()) await change(ownsTransaction && i === ctx.budget.length - 1);
  // Statements sent without waiting (pipelined) are checked here at the latest: a refusal among them must stop COMMIT.
  await tx.settle();
  return { caseId, fromState: c.state, state: result.state, version: c.version + 1, effects: result.actions };
}

const AUDIT_COLUMNS = ["occurredAt", "actorId", "organizationId", "caseType", "caseId", "eventType", "fromState", "toState", "payload", "prevHash", "hash"] as const;

async function writeCase(tx: WriteBatch, c: LoadedCase, w: CaseWrite, audit: AuditRow[], outbox: { topic: string; caseType: string; caseId: string; payload: unknown }): Promise<void> {
  const values: SqlParam[] = [c.id, w.state, w.snapshotJson, w.version];
  // Prisma set Application.updatedAt on every update (@updatedAt); so does this.
  const withUpdatedAt = c.table === "Application";
  if (withUpdatedAt) values.push(new Date());
  const queued = tx.take(values);
  const auditFrom = values.length;
  for (const r of audit) {
    values.push(r.occurredAt, r.actorId, r.organizationId, r.caseType, r.caseId, r.eventType, r.fromState, r.toState, r.payloadJson ?? json(r.payload), r.prevHash, r.hash);
  }
  values.push(outbox.topic, outbox.caseType, outbox.caseId, json(outbox.payload));
  // The text after the queued INSERTs depends only on the table, where its parameters start and the
  // number of audit events: built once per shape.
  const text = textFor(`case\u0000${c.table}\u0000${auditFrom}\u0000${audit.length}`, () => {
    let n = auditFrom;
    const p = () => `$${++n}`;
    const auditTuples = audit.map(
      () => `(${[`${p()}::timestamptz`, `${p()}::uuid`, `${p()}::uuid`, p(), `${p()}::uuid`, p(), p(), p(), `${p()}::jsonb`, p(), p()].join(", ")})`,
    );
    return `written as (
       update "${c.table}" set state = $2, snapshot = $3::jsonb, version = $4::int${withUpdatedAt ? `, "updatedAt" = $5` : ""} where id = $1::uuid returning id
     ), audit as (
       insert into "AuditEvent" (${AUDIT_COLUMNS.map((k) => `"${k}"`).join(", ")}) values ${auditTuples.join(", ")} returning id
     )
     insert into "OutboxMessage" (topic, "caseType", "caseId", payload)
     select ${p()}, ${p()}, ${p()}::uuid, ${p()}::jsonb from written`;
  });
  // Through the batch, without waiting for the answer: on a pipelined transaction it leaves in the same
  // socket write as the budget UPDATE and COMMIT behind it, and a failure here (or among the statements
  // still in flight) is the one reported, before COMMIT, at the next wait.
  await tx.send(`with ${queued.map((q) => `${q}, `).join("")}${text}`, values, () => {});
}

/** The events this user may send on this case now: the buttons the UI shows. */
export async function allowedEvents(db: Db, user: Principal, kind: WorkflowKind, caseId: string, now = new Date()): Promise<string[]> {
  const map = await allowedEventsForCases(db, user, kind, [caseId], now);
  const events = map.get(caseId);
  if (events === undefined) throw notFound();
  return events;
}

/**
 * The same for several cases of one kind (an application and its instalments on one page), read in
 * one statement. Cases that do not exist are missing from the map.
 */
export async function allowedEventsForCases(db: Db, user: Principal, kind: WorkflowKind, caseIds: readonly string[], now = new Date()): Promise<Map<string, string[]>> {
  const cases = await loadCases(readerOf(db), kind, [...new Set(caseIds)]);
  const out = new Map<string, string[]>();
  for (const c of cases) {
    const actor = actorFor(user, c);
    if (actor.roles.length === 0) {
      out.set(c.id, []);
      continue;
    }
    const facts = await c.facts(readerOf(db), null);
    out.set(c.id, availableEvents(kind, restore(kind, c.snapshot), actor, undefined, { ...facts, at: now.toISOString() }) as string[]);
  }
  return out;
}

/** The plain-SQL pool of a client made by createDb; otherwise the client itself (through the adapter). */
function readerOf(db: Db): AnyTx {
  try {
    return sqlOf(db);
  } catch {
    return db;
  }
}
