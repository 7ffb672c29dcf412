// Applies one event to one stored case, in one database transaction:
// lock the row, rebuild the snapshot, let the statechart decide (for this
// actor), write the new state, carry out the machine's named effects as writes,
// append the audit event, commit. A refused event changes nothing.
import type { Prisma } from "~/generated/prisma/client";
import type { Role } from "~/generated/prisma/enums";
import type { Db } from "~/db.server";
import { logger } from "~/logger.server";
import {
  workflows,
  applyEvent,
  availableEvents,
  persist,
  restore,
  type Actor,
  type WorkflowKind,
  type WorkflowSnapshot,
  type Effect,
} from "../../workflows";
import { appendAuditEvent } from "./audit.server";
import { WorkflowConflict, WorkflowRefused } from "./errors";
import { effectHandlers, type EffectContext, type EventDetails } from "./effects.server";
import { loadCase, type LoadedCase } from "./cases.server";
import type { Principal } from "~/access/permissions.server";

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
  return db
    .$transaction((tx) => applyInTransaction(tx, user, kind, caseId, body, opts), { timeout: 20_000, maxWait: 20_000 })
    .catch((error: unknown) => {
      if (error instanceof WorkflowRefused) logger.info({ kind, caseId, event: body.type, userId: user.id, rule: error.rule }, `workflow event refused: ${error.logMessage}`);
      throw error;
    });
}

/** The same, inside a transaction the caller holds (an effect that moves another case, e.g. cancelling instalments). */
export async function applyInTransaction(tx: Tx, user: Principal, kind: WorkflowKind, caseId: string, body: EventBody, opts: ApplyOptions = {}): Promise<ApplyOutcome> {
  const now = opts.now ?? new Date();
  const c = await loadCase(tx, kind, caseId, { lock: true });
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== c.version) {
    throw new WorkflowConflict(kind, caseId, opts.expectedVersion, c.version);
  }
  // Background-job events (LAPSE, CLOSE_BY_TIME, SUPERSEDE) come from the server itself, never from a request.
  if ((workflows[kind].systemEventTypes as readonly string[]).includes(body.type) && !opts.system) {
    throw new WorkflowRefused("systemEventOnly", "Åtgärden görs automatiskt av systemet och kan inte begäras.", `${kind}.${body.type} is a system event; refused from user ${user.id}`);
  }
  const actor = actorFor(user, c);
  const snapshot = restore(kind, c.snapshot);
  // What the database knows (budget left, paid, jäv list, approved reports) wins over anything the request says.
  const event = { ...body, ...(await c.facts(tx, body.type, body)), actor, at: now.toISOString() };
  const result = applyEvent(kind, snapshot, event as never);
  if (!result.ok) throw new WorkflowRefused(result.rule, result.message, result.logMessage);

  await c.write(tx, { state: result.state, snapshot: persist(kind, result.next as WorkflowSnapshot<typeof kind>) as Prisma.InputJsonValue, version: c.version + 1 });

  const ctx: EffectContext = {
    tx,
    kind,
    case: c,
    event,
    user,
    now,
    details: opts.details ?? {},
    next: result.next as { context: unknown },
    cascade: (k, id, b) => applyInTransaction(tx, user, k, id, b, { now, system: true }),
  };
  for (const effect of result.effects as Effect[]) {
    const handler = effectHandlers[kind][effect.type];
    if (handler === undefined) throw new Error(`no handler for effect ${kind}.${effect.type}`);
    await handler(ctx, effect.params);
  }

  await appendAuditEvent(tx, {
    actorId: user.id === "system" ? null : user.id,
    organizationId: c.organizationForAudit(actor),
    caseType: kind,
    caseId,
    eventType: body.type,
    fromState: c.state,
    toState: result.state,
    payload: { event: body, details: opts.details ?? {}, effects: result.actions },
    occurredAt: now,
  });
  // Work that leaves the database (e-mail, notices) is picked up from the outbox after commit.
  await tx.outboxMessage.create({
    data: { topic: `${kind}.${body.type}`, caseType: kind, caseId, payload: { fromState: c.state, toState: result.state, actorId: user.id, at: now.toISOString() } },
  });
  return { caseId, fromState: c.state, state: result.state, version: c.version + 1, effects: result.actions };
}

/** The events this user may send on this case now: the buttons the UI shows. */
export async function allowedEvents(db: Db, user: Principal, kind: WorkflowKind, caseId: string, now = new Date()): Promise<string[]> {
  const c = await loadCase(db, kind, caseId, { lock: false });
  const actor = actorFor(user, c);
  if (actor.roles.length === 0) return [];
  const facts = await c.facts(db, null);
  return availableEvents(kind, restore(kind, c.snapshot), actor, undefined, { ...facts, at: now.toISOString() }) as string[];
}
