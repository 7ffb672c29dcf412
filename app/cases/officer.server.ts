// Handläggare: who has the case (Application.officerId). An officer takes a
// case or assigns it to a colleague of the same board. Not a statechart event
// (the case's state does not change), but written the way the engine writes:
// one transaction, the case row locked, the version checked and bumped, an
// audit event appended (so version = number of audit events still holds) and
// an outbox message. Anyone with jäv on the case takes no part in it: they can
// neither take nor assign it, nor be given it. START_ASSESSMENT makes the
// starter the officer, and declaring jäv releases one's own case (effects).
import { z } from "zod";
import type { Db } from "~/db.server";
import { sqlOf } from "~/sql.server";
import { hasRole, orgIdsWithRole, type Principal } from "~/access/permissions.server";
import { appendAuditEvent } from "~/workflow/audit.server";
import { WorkflowConflict, WorkflowRefused } from "~/workflow/errors";

/** Final states: nothing left to handle. */
const FINAL_STATES = ["withdrawn", "closed"];

export const ASSIGN_OFFICER_EVENT = "ASSIGN_OFFICER";

/** The board's officers who may handle this case (no jäv), for the assign form. */
export async function assignableOfficers(db: Db, application: { id: string; boardId: string }): Promise<{ id: string; name: string }[]> {
  // Read by the case page: one plain-SQL statement (decision 0008).
  return sqlOf(db).query<{ id: string; name: string }>(
    `select u.id, u.name from "User" u
      where u.active
        and exists (select 1 from "Membership" m where m."userId" = u.id and m."organizationId" = $1::uuid and m.role = 'officer')
        and not exists (select 1 from "ConflictOfInterest" ci where ci."applicationId" = $2::uuid and ci."userId" = u.id)
      order by u.name asc, u.id asc`,
    [application.boardId, application.id],
  );
}

/** May this user take or assign cases of this board at all (before the case's own rules)? */
export function mayAssignOfficers(user: Principal, boardId: string): boolean {
  return hasRole(user, "officer", boardId) || hasRole(user, "admin", boardId);
}

const formSchema = z.object({
  officerId: z.uuid({ error: "Välj en handläggare." }),
  version: z.coerce.number().int().min(0).max(2_147_483_647),
});

export type AssignOfficerResult = { ok: true } | { ok: false; status: number; fieldErrors: Record<string, string>; formError?: string; values: Record<string, string> };

/** Parses the assign form ("me" stands for the user) and assigns. */
export async function handleAssignOfficer(db: Db, user: Principal, application: { id: string; boardId: string }, form: FormData, now = new Date()): Promise<AssignOfficerResult> {
  const raw = { officerId: String(form.get("officerId") ?? ""), version: String(form.get("version") ?? "") };
  const values = { officerId: raw.officerId };
  const parsed = formSchema.safeParse({ ...raw, officerId: raw.officerId === "me" ? user.id : raw.officerId });
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    if (fieldErrors.version) return { ok: false, status: 400, fieldErrors: {}, formError: "Begäran är ofullständig. Ladda om sidan och försök igen.", values };
    return { ok: false, status: 400, fieldErrors, values };
  }
  try {
    await assignOfficer(db, user, application.id, parsed.data.officerId, { expectedVersion: parsed.data.version, now });
    return { ok: true };
  } catch (error) {
    if (error instanceof WorkflowRefused) return { ok: false, status: error.status, fieldErrors: {}, formError: error.userMessage, values };
    throw error;
  }
}

export async function assignOfficer(db: Db, user: Principal, applicationId: string, officerId: string, opts: { expectedVersion?: number; now?: Date } = {}) {
  const now = opts.now ?? new Date();
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`select id from "Application" where id = ${applicationId}::uuid for update`;
    const a = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { id: true, boardId: true, state: true, version: true, officerId: true } });
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== a.version) throw new WorkflowConflict("application", a.id, opts.expectedVersion, a.version);
    if (!mayAssignOfficers(user, a.boardId)) {
      throw new WorkflowRefused("isOfficer", "Endast en handläggare vid länsstyrelsen kan ta eller fördela ärendet.", "actor is not an officer or admin of the board");
    }
    if (FINAL_STATES.includes(a.state) || a.state === "draft") {
      throw new WorkflowRefused("caseIsOpen", "Ärendet är avslutat eller inte inlämnat och kan inte fördelas.", `application in state ${a.state}`);
    }
    const conflicts = (await tx.conflictOfInterest.findMany({ where: { applicationId }, select: { userId: true } })).map((c) => c.userId);
    if (conflicts.includes(user.id)) {
      throw new WorkflowRefused("hasNoConflictOfInterest", "Du har anmält jäv i ärendet och får inte delta i handläggningen.", "actor has declared a conflict of interest on this case");
    }
    if (conflicts.includes(officerId)) {
      throw new WorkflowRefused("officerHasNoConflictOfInterest", "Handläggaren har anmält jäv i ärendet och kan inte få det.", "assignee has declared a conflict of interest on this case");
    }
    const officer = await tx.user.findFirst({ where: { id: officerId, active: true }, select: { id: true, memberships: { select: { organizationId: true, role: true } } } });
    if (!officer || !orgIdsWithRole({ id: officer.id, memberships: officer.memberships }, ["officer"]).includes(a.boardId)) {
      throw new WorkflowRefused("assigneeIsOfficer", "Ärendet kan bara fördelas till en handläggare vid samma länsstyrelse.", "assignee is not an officer of the board");
    }
    if (a.officerId === officerId) return { version: a.version };
    await tx.application.update({ where: { id: a.id }, data: { officerId, version: a.version + 1 } });
    await appendAuditEvent(tx, {
      actorId: user.id,
      organizationId: a.boardId,
      caseType: "application",
      caseId: a.id,
      eventType: ASSIGN_OFFICER_EVENT,
      fromState: a.state,
      toState: a.state,
      payload: { event: { type: ASSIGN_OFFICER_EVENT, officerId, previousOfficerId: a.officerId } },
      occurredAt: now,
    });
    await tx.outboxMessage.create({
      data: { topic: `application.${ASSIGN_OFFICER_EVENT}`, caseType: "application", caseId: a.id, payload: { officerId, previousOfficerId: a.officerId, actorId: user.id, at: now.toISOString() } },
    });
    return { version: a.version + 1 };
  });
}
