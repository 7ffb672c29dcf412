// Events that time sends: a call closes when its closing time has passed
// (CLOSE_BY_TIME), and an instalment whose payment request did not arrive in
// time lapses (LAPSE). Run by a scheduled job; each event goes through the
// engine like any other, as the system, with its own audit event.
import type { Db } from "~/db.server";
import { logger } from "~/logger.server";
import type { Principal } from "~/access/permissions.server";
import { applyWorkflowEvent } from "./engine.server";
import { WorkflowRefused } from "./errors";

/** The system as an actor: no memberships, no user row (audit actorId stays empty). */
export const SYSTEM_USER: Principal = { id: "system", memberships: [] };

export async function runTimeEvents(db: Db, now = new Date()): Promise<{ callsClosed: number; instalmentsLapsed: number }> {
  let callsClosed = 0;
  let instalmentsLapsed = 0;
  const calls = await db.call.findMany({ where: { state: "published", closesAt: { lte: now } }, select: { id: true } });
  for (const c of calls) {
    if (await send(db, "call", c.id, "CLOSE_BY_TIME", now)) callsClosed++;
  }
  // A request deadline is a date: the right lapses the day after it (Europe/Stockholm handled by the date column's meaning).
  const lapsing = await db.disbursement.findMany({ where: { state: "planned", requestDeadline: { lt: now } }, select: { id: true } });
  for (const d of lapsing) {
    if (await send(db, "disbursement", d.id, "LAPSE", now)) instalmentsLapsed++;
  }
  return { callsClosed, instalmentsLapsed };
}

async function send(db: Db, kind: "call" | "disbursement", id: string, type: string, now: Date): Promise<boolean> {
  try {
    await applyWorkflowEvent(db, SYSTEM_USER, kind, id, { type }, { now, system: true });
    return true;
  } catch (error) {
    // Refused means the rule says "not yet" (or someone acted first): nothing to do.
    if (error instanceof WorkflowRefused) return false;
    logger.error({ err: error, kind, id, type }, "time-driven workflow event failed");
    return false;
  }
}
