// Administering government assignments (regeringsuppdrag): registering a new
// one and allocating its money to the county boards. Who may do it is decided
// here and in docs/decisions/0006-who-administers-assignments-calls-and-payments.md:
// the responsible board's officers and admins. Every change is one
// transaction; amounts move only through the conditional UPDATEs of
// app/workflow/budget.server.ts, so parallel requests cannot over-allocate.
import { z } from "zod";
import type { Db } from "~/db.server";
import { hasRole, isUuid, orgIdsWithRole, type Principal } from "~/access/permissions.server";
import { createAssignment } from "~/workflow/create.server";
import { commitAssignment, resizeAllocation } from "~/workflow/budget.server";
import { appendAuditEvent } from "~/workflow/audit.server";
import { WorkflowRefused } from "~/workflow/errors";
import { allowedEvents, applyWorkflowEvent } from "~/workflow/engine.server";
import { formatKronor, oreToKronorInput } from "~/lib/money";
import { formatDate, parseDateInput, plainDateToUtcMidnight, utcMidnightToPlainDate } from "~/lib/dates";
import { eventLabel, stateLabel, stateNext } from "~/lib/state-labels";
import { RESPONSIBLE_BOARD_EVENTS, type AssignmentStateEvent } from "./assignment-events";
import { date, failure, kronor, parseWith, text, type FormFailure } from "~/finance/form-fields";

const kr = (ore: bigint) => formatKronor(ore);
const day = (d: Date) => formatDate(utcMidnightToPlainDate(d));

/** Allocations can change while the assignment is being set up or runs; not once reporting has begun. */
export const ALLOCATION_STATES = ["draft", "active"];

/** Officers and admins of the responsible board administer an assignment (ADR 0006). */
export function mayAdministerAssignment(user: Principal, assignment: { responsibleBoardId: string }): boolean {
  return hasRole(user, "officer", assignment.responsibleBoardId) || hasRole(user, "admin", assignment.responsibleBoardId);
}

/** Boards where the user may register an assignment as the responsible board. */
export function responsibleBoardIds(user: Principal): string[] {
  return orgIdsWithRole(user, ["officer", "admin"]);
}

export async function countyBoards(db: Db) {
  return db.organization.findMany({ where: { kind: "county_board" }, orderBy: { name: "asc" }, select: { id: true, name: true, countyCode: true } });
}

// ---------------------------------------------------------------------------
// New assignment

export async function newAssignmentOptions(db: Db, user: Principal) {
  const boards = await countyBoards(db);
  const mine = new Set(responsibleBoardIds(user));
  return {
    responsible: boards.filter((b) => mine.has(b.id)).map((b) => ({ value: b.id, label: b.name })),
    coordinating: boards.map((b) => ({ value: b.id, label: b.name })),
  };
}

const assignmentSchema = z
  .object({
    title: text("Skriv uppdragets namn.", 300),
    reference: text("Ange uppdragets diarienummer eller beteckning.", 100),
    description: text(null),
    issuer: text("Ange vem uppdraget kommer från, till exempel Regeringen (Arbetsmarknadsdepartementet).", 300),
    fundingReference: text("Ange regleringsbrev eller regeringsbeslut.", 300),
    appropriation: text("Ange anslag, till exempel 3:1.", 50),
    appropriationItem: text(null, 50),
    appropriationName: text(null, 300),
    total: kronor("Ange uppdragets belopp.", { positive: "Beloppet måste vara större än 0 kr." }),
    periodStart: date("Ange när perioden börjar."),
    periodEnd: date("Ange när perioden slutar."),
    reportDueOn: date("Ange när uppdraget ska redovisas."),
    responsibleBoardId: z.string({ error: () => "Välj ansvarig länsstyrelse." }).min(1, "Välj ansvarig länsstyrelse."),
    coordinatingBoardId: z.string({ error: () => "Välj samordnande länsstyrelse." }).min(1, "Välj samordnande länsstyrelse."),
  });

/** Checks between fields, run even when another field has an error, so the user sees every problem at once. */
function periodErrors(values: Record<string, string>): Record<string, string> {
  const start = parseDateInput(values.periodStart ?? "");
  const end = parseDateInput(values.periodEnd ?? "");
  const due = parseDateInput(values.reportDueOn ?? "");
  const errors: Record<string, string> = {};
  if (start.ok && end.ok && end.date < start.date) errors.periodEnd = "Perioden kan inte sluta innan den börjar.";
  if (start.ok && due.ok && due.date < start.date) errors.reportDueOn = "Redovisningen kan inte ligga före periodens början.";
  return errors;
}

const DUPLICATE_REFERENCE = "Det finns redan ett uppdrag med den beteckningen.";

export type CreateAssignmentResult = { ok: true; id: string } | { ok: false; status: number; failure: FormFailure };

export async function createAssignmentFromForm(db: Db, user: Principal, values: Record<string, string>, now = new Date()): Promise<CreateAssignmentResult> {
  const parsed = parseWith(assignmentSchema, values, values);
  const crossField = periodErrors(values);
  if (!parsed.ok) return { ok: false, status: 400, failure: failure(values, { ...crossField, ...parsed.failure.fieldErrors }) };
  if (Object.keys(crossField).length) return { ok: false, status: 400, failure: failure(values, crossField) };
  const v = parsed.data;
  const boards = new Set((await countyBoards(db)).map((b) => b.id));
  const errors: Record<string, string> = {};
  if (!responsibleBoardIds(user).includes(v.responsibleBoardId) || !boards.has(v.responsibleBoardId)) errors.responsibleBoardId = "Välj en länsstyrelse där du är handläggare eller administratör.";
  if (!boards.has(v.coordinatingBoardId)) errors.coordinatingBoardId = "Välj samordnande länsstyrelse.";
  if (await db.assignment.findUnique({ where: { reference: v.reference }, select: { id: true } })) errors.reference = DUPLICATE_REFERENCE;
  if (Object.keys(errors).length) return { ok: false, status: 400, failure: failure(values, errors) };
  try {
    const row = await createAssignment(
      db,
      user,
      {
        reference: v.reference,
        title: v.title,
        description: v.description,
        issuer: v.issuer,
        fundingReference: v.fundingReference,
        appropriation: v.appropriation,
        appropriationItem: v.appropriationItem || undefined,
        appropriationName: v.appropriationName || undefined,
        periodStart: plainDateToUtcMidnight(v.periodStart!),
        periodEnd: plainDateToUtcMidnight(v.periodEnd!),
        totalOre: v.total!,
        responsibleBoardId: v.responsibleBoardId,
        coordinatingBoardId: v.coordinatingBoardId,
        reportDueOn: plainDateToUtcMidnight(v.reportDueOn!),
      },
      now,
    );
    return { ok: true, id: row.id };
  } catch (error) {
    if (error instanceof WorkflowRefused) return { ok: false, status: error.status, failure: failure(values, {}, error.userMessage) };
    // Someone registered the same reference between the check above and our insert: the unique index decides.
    if ((error as { code?: string }).code === "P2002") return { ok: false, status: 400, failure: failure(values, { reference: DUPLICATE_REFERENCE }) };
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Allocations

/** The allocation page: the assignment, every county board's share, what is committed to calls and what is left. */
export async function loadAllocationView(db: Db, user: Principal, assignmentId: string) {
  const a = await db.assignment.findUniqueOrThrow({ where: { id: assignmentId }, include: { responsibleBoard: { select: { name: true } }, coordinatingBoard: { select: { name: true } } } });
  const allocations = await db.allocation.findMany({ where: { assignmentId }, select: { id: true, boardId: true, amountOre: true, committedOre: true, _count: { select: { calls: true } } } });
  const byBoard = new Map(allocations.map((x) => [x.boardId, x]));
  const boards = await countyBoards(db);
  const events = await allowedEvents(db, user, "assignment", assignmentId);
  return {
    id: a.id,
    title: a.title,
    reference: a.reference,
    version: a.version,
    responsible: a.responsibleBoard.name,
    coordinating: a.coordinatingBoard.name,
    period: `${day(a.periodStart)} – ${day(a.periodEnd)}`,
    state: a.state,
    stateLabel: stateLabel("assignment", a.state),
    stateNext: stateNext("assignment", a.state),
    editable: ALLOCATION_STATES.includes(a.state),
    mayActivate: events.includes("ACTIVATE"),
    // The responsible board's steps of the assignment's life (the coordinator's is on /samordning/:id).
    stateEvents: RESPONSIBLE_BOARD_EVENTS.filter((e) => events.includes(e)).map((type) => ({ type, label: eventLabel("assignment", type) })),
    total: kr(a.totalOre),
    allocated: kr(a.allocatedOre),
    left: kr(a.totalOre - a.allocatedOre),
    boards: boards.map((b) => {
      const x = byBoard.get(b.id);
      return {
        boardId: b.id,
        board: b.name,
        amount: x ? kr(x.amountOre) : null,
        amountInput: x ? oreToKronorInput(x.amountOre) : "",
        committed: x ? kr(x.committedOre) : null,
        notInCalls: x ? kr(x.amountOre - x.committedOre) : null,
        calls: x?._count.calls ?? 0,
      };
    }),
  };
}

const allocationSchema = z.object({
  boardId: z.string({ error: () => "Välj länsstyrelse." }).min(1, "Välj länsstyrelse."),
  amount: kronor("Ange belopp. Skriv 0 för att ta bort tilldelningen."),
});

export type AllocationResult = { ok: true; boardId: string; amountOre: bigint } | { ok: false; status: number; failure: FormFailure };

/** Parses the allocation form and sets the board's allocation. */
export async function setAllocationFromForm(db: Db, user: Principal, assignmentId: string, values: Record<string, string>, now = new Date()): Promise<AllocationResult> {
  const parsed = parseWith(allocationSchema, values, values);
  if (!parsed.ok) return { ok: false, status: 400, failure: parsed.failure };
  const board = isUuid(parsed.data.boardId) ? await db.organization.findFirst({ where: { id: parsed.data.boardId, kind: "county_board" }, select: { id: true } }) : null;
  if (!board) return { ok: false, status: 400, failure: failure(values, { boardId: "Välj länsstyrelse." }) };
  try {
    await setAllocation(db, user, assignmentId, board.id, parsed.data.amount!, now);
    return { ok: true, boardId: board.id, amountOre: parsed.data.amount! };
  } catch (error) {
    if (error instanceof WorkflowRefused) {
      const onAmount = ["allocationsWithinAssignment", "allocationCoversCallBudgets"].includes(error.rule);
      return { ok: false, status: error.status, failure: failure(values, onAmount ? { amount: error.userMessage } : {}, onAmount ? undefined : error.userMessage) };
    }
    throw error;
  }
}

/**
 * Sets one board's allocation under an assignment to `amountOre` (0 removes an
 * allocation with no calls under it). One transaction: the assignment row is
 * locked, the difference is committed on the assignment by a conditional
 * UPDATE (never more than the assignment's total), the allocation is resized by
 * another (never below its calls' budgets), and an ALLOCATE audit event records
 * the change from → to.
 */
export async function setAllocation(db: Db, user: Principal, assignmentId: string, boardId: string, amountOre: bigint, now = new Date()) {
  if (amountOre < 0n) throw new WorkflowRefused("amountsInWholeOre", "Beloppet kan inte vara negativt.", `negative allocation ${amountOre}`);
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`select id from "Assignment" where id = ${assignmentId}::uuid for update`;
      const assignment = await tx.assignment.findUniqueOrThrow({ where: { id: assignmentId } });
      if (!mayAdministerAssignment(user, assignment)) {
        throw new WorkflowRefused("isOfficerOrAdmin", "Bara handläggare och administratörer vid den ansvariga länsstyrelsen kan fördela uppdragets medel.", `user ${user.id} may not allocate under ${assignmentId}`);
      }
      if (!ALLOCATION_STATES.includes(assignment.state)) {
        throw new WorkflowRefused("allocationsOpen", "Fördelningen kan inte ändras när uppdraget redovisas eller är avslutat.", `assignment ${assignmentId} is ${assignment.state}`);
      }
      const existing = await tx.allocation.findUnique({ where: { assignmentId_boardId: { assignmentId, boardId } } });
      const from = existing?.amountOre ?? 0n;
      const delta = amountOre - from;
      if (delta === 0n) return existing;
      await commitAssignment(tx, assignmentId, delta);
      let allocation = existing;
      if (!existing) {
        allocation = await tx.allocation.create({ data: { assignmentId, boardId, amountOre, createdAt: now } });
      } else if (amountOre === 0n && (await tx.call.count({ where: { allocationId: existing.id } })) === 0) {
        await resizeAllocation(tx, existing.id, 0n);
        await tx.allocation.delete({ where: { id: existing.id } });
        allocation = null;
      } else {
        await resizeAllocation(tx, existing.id, amountOre);
      }
      await tx.assignment.update({ where: { id: assignmentId }, data: { version: { increment: 1 } } });
      await appendAuditEvent(tx, {
        actorId: user.id,
        organizationId: assignment.responsibleBoardId,
        caseType: "assignment",
        caseId: assignmentId,
        eventType: "ALLOCATE",
        fromState: assignment.state,
        toState: assignment.state,
        payload: { boardId, fromOre: from, amountOre },
        occurredAt: now,
      });
      return allocation;
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
}

/** One step of the assignment's life through its statechart, which decides who may (ADR 0006). */
export async function sendAssignmentEvent(db: Db, user: Principal, assignmentId: string, type: AssignmentStateEvent, version: number, now = new Date()): Promise<{ ok: true } | { ok: false; status: number; message: string }> {
  try {
    await applyWorkflowEvent(db, user, "assignment", assignmentId, { type }, { expectedVersion: version, now });
    return { ok: true };
  } catch (error) {
    if (error instanceof WorkflowRefused) return { ok: false, status: error.status, message: error.userMessage };
    throw error;
  }
}

/** ACTIVATE through the assignment's statechart. */
export async function activateAssignment(db: Db, user: Principal, assignmentId: string, version: number) {
  return sendAssignmentEvent(db, user, assignmentId, "ACTIVATE", version);
}
