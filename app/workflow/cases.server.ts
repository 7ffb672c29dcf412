// Loading and locking a stored case of each kind, with the facts its statechart
// needs from the database (what is left of the budget, what has been paid, the
// jäv list), and starting new cases.
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import type { Actor, WorkflowKind } from "../../workflows";
import { notFound } from "~/access/permissions.server";

type Tx = Prisma.TransactionClient;
type Reader = Tx | Db;

export type CaseWrite = { state: string; snapshot: Prisma.InputJsonValue; version: number };

export type LoadedCase = {
  kind: WorkflowKind;
  id: string;
  state: string;
  snapshot: unknown;
  version: number;
  /** The board that acts as the authority on this case. */
  boardId: string;
  applicantOrgId: string | null;
  coordinatingBoardId: string | null;
  /** Case data the effects need. */
  application?: { id: string; callId: string; boardId: string; applicantOrgId: string; registrationNumber: string | null; title: string };
  disbursement?: { id: string; grantId: string; amountOre: bigint };
  call?: { id: string; allocationId: string; budgetOre: bigint };
  /** Facts from the database that the statechart's guards read, merged into the event. */
  facts(tx: Reader, eventType: string | null, body?: Record<string, unknown>): Promise<Record<string, unknown>>;
  write(tx: Tx, w: CaseWrite): Promise<void>;
  organizationForAudit(actor: Actor): string;
};

const toOre = (v: bigint) => Number(v);

async function lockRow(tx: Reader, table: "Application" | "Call" | "Assignment" | "Disbursement", id: string, lock: boolean) {
  if (!lock) return;
  // Prisma has no SELECT … FOR UPDATE; the lock holds until the transaction ends.
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(`select id from "${table}" where id = $1::uuid for update`, id);
  if (rows.length === 0) throw notFound();
}

/** The call's limits and this application's figures, for the submission rules. */
async function submissionFacts(
  r: Reader,
  a: { applicantOrgId: string; projectStart: Date | null; projectEnd: Date | null; countyCodes: string[]; cofundingOre: bigint },
  call: { eligibleKinds: string[]; maxAmountOre: bigint | null; maxProjectMonths: number | null; requiresMultipleCounties: boolean; cofundingRules: unknown },
) {
  const org = await r.organization.findUniqueOrThrow({ where: { id: a.applicantOrgId }, select: { kind: true } });
  const shares = (call.cofundingRules ?? {}) as Record<string, number | undefined>;
  return {
    callEligibleKinds: call.eligibleKinds,
    callMaxAmountOre: call.maxAmountOre === null ? null : toOre(call.maxAmountOre),
    callMaxProjectMonths: call.maxProjectMonths,
    callRequiresMultipleCounties: call.requiresMultipleCounties,
    callMaxSharePercent: shares[org.kind] ?? null,
    applicantKind: org.kind,
    projectMonths: a.projectStart && a.projectEnd ? monthsCovered(a.projectStart, a.projectEnd) : null,
    countyCount: new Set(a.countyCodes).size,
    cofundingOre: toOre(a.cofundingOre),
  };
}

/** Calendar months a project covers, counting started months (2020-01-01..2020-12-31 is 12). */
function monthsCovered(start: Date, end: Date): number {
  return (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + (end.getUTCMonth() - start.getUTCMonth()) + 1;
}

// Flat queries, not nested includes: inside a transaction Prisma would send an
// include's queries concurrently on the one connection (prisma/prisma#30374).
async function coordinatingBoardOfCall(tx: Reader, callId: string): Promise<string> {
  const call = await tx.call.findUniqueOrThrow({ where: { id: callId }, select: { allocationId: true } });
  const allocation = await tx.allocation.findUniqueOrThrow({ where: { id: call.allocationId }, select: { assignmentId: true } });
  const assignment = await tx.assignment.findUniqueOrThrow({ where: { id: allocation.assignmentId }, select: { coordinatingBoardId: true } });
  return assignment.coordinatingBoardId;
}

async function conflictList(tx: Reader, applicationId: string): Promise<string[]> {
  const rows = await tx.conflictOfInterest.findMany({ where: { applicationId }, select: { userId: true } });
  return rows.map((r) => r.userId);
}

export async function loadCase(tx: Reader, kind: WorkflowKind, id: string, opts: { lock: boolean }): Promise<LoadedCase> {
  switch (kind) {
    case "application":
      return loadApplication(tx, id, opts.lock);
    case "disbursement":
      return loadDisbursement(tx, id, opts.lock);
    case "call":
      return loadCall(tx, id, opts.lock);
    case "assignment":
      return loadAssignment(tx, id, opts.lock);
  }
}

async function loadApplication(tx: Reader, id: string, lock: boolean): Promise<LoadedCase> {
  await lockRow(tx, "Application", id, lock);
  const a = await tx.application.findUnique({ where: { id } });
  if (!a) throw notFound();
  const coordinatingBoardId = await coordinatingBoardOfCall(tx, a.callId);
  return {
    kind: "application",
    id,
    state: a.state,
    snapshot: a.snapshot,
    version: a.version,
    boardId: a.boardId,
    applicantOrgId: a.applicantOrgId,
    coordinatingBoardId,
    application: { id, callId: a.callId, boardId: a.boardId, applicantOrgId: a.applicantOrgId, registrationNumber: a.registrationNumber, title: a.title },
    async facts(r, eventType, body) {
      const facts: Record<string, unknown> = {};
      if (eventType === null || eventType === "SUBMIT") {
        const call = await r.call.findUniqueOrThrow({ where: { id: a.callId } });
        facts.callState = call.state;
        if (eventType === "SUBMIT") Object.assign(facts, await submissionFacts(r, a, call));
      }
      if (eventType === null || ["DECIDE", "CORRECT_DECISION", "RECONSIDER_DECISION", "CONFIRM_DECISION"].includes(eventType)) {
        const call = await r.call.findUniqueOrThrow({ where: { id: a.callId }, select: { budgetOre: true, grantedOre: true } });
        facts.callBudgetLeftOre = toOre(call.budgetOre - call.grantedOre);
      }
      const grant = await r.grant.findUnique({ where: { applicationId: id }, select: { id: true, paidOre: true } });
      facts.paidOre = toOre(grant?.paidOre ?? 0n);
      if (eventType === "APPROVE_REPORT" && grant && (body?.kind === "interim" || body?.kind === "final")) {
        // The unused amount is what the recipient reported, not what the approver types.
        const report = await r.report.findUnique({ where: { grantId_kind: { grantId: grant.id, kind: body.kind } }, select: { unusedOre: true } });
        facts.unusedOre = toOre(report?.unusedOre ?? 0n);
      }
      return facts;
    },
    async write(t, w) {
      await t.application.update({ where: { id }, data: w });
    },
    organizationForAudit: (actor) => (actor.roles.includes("applicant") ? a.applicantOrgId : a.boardId),
  };
}

async function loadDisbursement(tx: Reader, id: string, lock: boolean): Promise<LoadedCase> {
  if (lock) {
    // The application is the root of its grant's cases: lock it first, as every
    // application event does, so a decision change and a payment on the same
    // grant take their locks in one order and cannot deadlock.
    const owner = await tx.$queryRaw<{ applicationId: string }[]>`select g."applicationId" from "Disbursement" d join "Grant" g on g.id = d."grantId" where d.id = ${id}::uuid`;
    if (owner.length === 0) throw notFound();
    await lockRow(tx, "Application", owner[0].applicationId, true);
  }
  await lockRow(tx, "Disbursement", id, lock);
  const d = await tx.disbursement.findUnique({ where: { id } });
  if (!d) throw notFound();
  const grant = await tx.grant.findUniqueOrThrow({ where: { id: d.grantId }, select: { id: true, amountOre: true, applicationId: true } });
  const app = await tx.application.findUniqueOrThrow({ where: { id: grant.applicationId }, select: { boardId: true, applicantOrgId: true, callId: true } });
  const coordinatingBoardId = await coordinatingBoardOfCall(tx, app.callId);
  return {
    kind: "disbursement",
    id,
    state: d.state,
    snapshot: d.snapshot,
    version: d.version,
    boardId: app.boardId,
    applicantOrgId: app.applicantOrgId,
    coordinatingBoardId,
    disbursement: { id, grantId: d.grantId, amountOre: d.amountOre },
    async facts(r) {
      // One query at a time: a transaction's connection must never run two at once (prisma/prisma#30374).
      const others = await r.disbursement.aggregate({ where: { grantId: d.grantId, id: { not: id }, state: { in: ["attested", "paid"] } }, _sum: { amountOre: true } });
      const reports = await r.report.findMany({ where: { grantId: d.grantId, state: "approved" }, select: { kind: true } });
      const conflicts = await conflictList(r, grant.applicationId);
      return {
        grantOre: toOre(grant.amountOre),
        otherDisbursementsOre: toOre(others._sum.amountOre ?? 0n),
        reportsApproved: { interim: reports.some((x) => x.kind === "interim"), final: reports.some((x) => x.kind === "final") },
        conflictOfInterestUserIds: conflicts,
      };
    },
    async write(t, w) {
      await t.disbursement.update({ where: { id }, data: w });
    },
    organizationForAudit: (actor) => (actor.roles.includes("applicant") ? app.applicantOrgId : app.boardId),
  };
}

async function loadCall(tx: Reader, id: string, lock: boolean): Promise<LoadedCase> {
  await lockRow(tx, "Call", id, lock);
  const c = await tx.call.findUnique({ where: { id } });
  if (!c) throw notFound();
  const coordinatingBoardId = await coordinatingBoardOfCall(tx, id);
  return {
    kind: "call",
    id,
    state: c.state,
    snapshot: c.snapshot,
    version: c.version,
    boardId: c.boardId,
    applicantOrgId: null,
    coordinatingBoardId,
    call: { id, allocationId: c.allocationId, budgetOre: c.budgetOre },
    async facts(r, eventType) {
      if (eventType !== "MARK_DECIDED" && eventType !== null) return {};
      const undecided = await r.application.count({ where: { callId: id, state: { in: ["submitted", "inAssessment", "completionRequested", "presented", "awaitingSecondDecision"] } } });
      return { undecidedApplications: undecided };
    },
    async write(t, w) {
      await t.call.update({ where: { id }, data: w });
    },
    organizationForAudit: () => c.boardId,
  };
}

async function loadAssignment(tx: Reader, id: string, lock: boolean): Promise<LoadedCase> {
  await lockRow(tx, "Assignment", id, lock);
  const a = await tx.assignment.findUnique({ where: { id } });
  if (!a) throw notFound();
  return {
    kind: "assignment",
    id,
    state: a.state,
    snapshot: a.snapshot,
    version: a.version,
    boardId: a.responsibleBoardId,
    applicantOrgId: null,
    coordinatingBoardId: a.coordinatingBoardId,
    async facts() {
      return {};
    },
    async write(t, w) {
      await t.assignment.update({ where: { id }, data: w });
    },
    organizationForAudit: (actor) => (actor.roles.includes("coordinator") ? a.coordinatingBoardId : a.responsibleBoardId),
  };
}
