// Starting new cases (assignment, allocation, call, application draft). Each is
// one transaction: the budget check on the parent, the new row with its initial
// statechart snapshot, and its first audit event (so version = number of events).
import type { Prisma } from "~/generated/prisma/client";
import type { OrganizationKind, DisbursementTrigger } from "~/generated/prisma/enums";
import type { Db } from "~/db.server";
import { start, persist, type WorkflowKind } from "../../workflows";
import { appendAuditEvent } from "./audit.server";
import { commitAllocation, commitAssignment } from "./budget.server";
import { WorkflowRefused } from "./errors";
import { hasRole, type Principal } from "~/access/permissions.server";

type Tx = Prisma.TransactionClient;

function requireStaff(user: Principal, boardId: string, roles: ("officer" | "admin")[] = ["officer", "admin"]) {
  if (!roles.some((r) => hasRole(user, r, boardId))) {
    throw new WorkflowRefused("isOfficer", "Bara handläggare vid den ansvariga länsstyrelsen kan göra detta.", `user ${user.id} is not officer/admin at board ${boardId}`, 422);
  }
}

async function initial<K extends WorkflowKind>(kind: K, input: Parameters<typeof start<K>>[1]) {
  const { snapshot, state } = start(kind, input);
  return { state, snapshot: persist(kind, snapshot) as Prisma.InputJsonValue, version: 1 };
}

async function created(tx: Tx, user: Principal, kind: WorkflowKind, caseId: string, organizationId: string, state: string, payload: unknown, now: Date) {
  await appendAuditEvent(tx, { actorId: user.id, organizationId, caseType: kind, caseId, eventType: "CREATED", fromState: null, toState: state, payload, occurredAt: now });
}

export type NewAssignment = {
  reference: string;
  title: string;
  description?: string;
  issuer: string;
  fundingReference: string;
  appropriation: string;
  appropriationItem?: string;
  appropriationName?: string;
  periodStart: Date;
  periodEnd: Date;
  totalOre: bigint;
  responsibleBoardId: string;
  coordinatingBoardId: string;
  reportDueOn: Date;
};

export async function createAssignment(db: Db, user: Principal, data: NewAssignment, now = new Date()) {
  requireStaff(user, data.responsibleBoardId);
  return db.$transaction(async (tx) => {
    const init = await initial("assignment", { reportDueDate: data.reportDueOn.toISOString() });
    const row = await tx.assignment.create({ data: { ...data, ...init, createdAt: now } });
    await created(tx, user, "assignment", row.id, data.responsibleBoardId, init.state, { ...data }, now);
    return row;
  });
}

/** Gives part of an assignment's money to a board; never more than is left. */
export async function allocate(db: Db, user: Principal, assignmentId: string, boardId: string, amountOre: bigint, now = new Date()) {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`select id from "Assignment" where id = ${assignmentId}::uuid for update`;
    const assignment = await tx.assignment.findUniqueOrThrow({ where: { id: assignmentId } });
    requireStaff(user, assignment.responsibleBoardId);
    await commitAssignment(tx, assignmentId, amountOre);
    const allocation = await tx.allocation.upsert({
      where: { assignmentId_boardId: { assignmentId, boardId } },
      create: { assignmentId, boardId, amountOre, createdAt: now },
      update: { amountOre: { increment: amountOre } },
    });
    await tx.assignment.update({ where: { id: assignmentId }, data: { version: { increment: 1 } } });
    await appendAuditEvent(tx, {
      actorId: user.id,
      organizationId: assignment.responsibleBoardId,
      caseType: "assignment",
      caseId: assignmentId,
      eventType: "ALLOCATE",
      fromState: assignment.state,
      toState: assignment.state,
      payload: { boardId, amountOre },
      occurredAt: now,
    });
    return allocation;
  });
}

export type NewCall = {
  title: string;
  description?: string;
  priorities?: string;
  budgetOre: bigint;
  opensAt: Date;
  closesAt: Date;
  eligibleKinds: OrganizationKind[];
  cofundingRules?: Partial<Record<OrganizationKind, number>>;
  maxAmountOre?: bigint | null;
  maxProjectMonths?: number | null;
  requiresMultipleCounties?: boolean;
  interimReportRequired?: boolean;
  interimReportDueOn?: Date | null;
  finalReportDueOn: Date;
  paymentTerms?: { instalments: { sharePercent: number; trigger: DisbursementTrigger }[] };
  paymentRequestRequired?: boolean;
  paymentRequestDays?: number | null;
  secondDecisionMakerAboveOre?: bigint | null;
  appealNotice: string;
  criteria?: { name: string; description?: string; weight: number }[];
  indicators?: { name: string; unit: string }[];
};

export async function createCall(db: Db, user: Principal, allocationId: string, data: NewCall, now = new Date()) {
  return db.$transaction(async (tx) => {
    const allocation = await tx.allocation.findUniqueOrThrow({ where: { id: allocationId } });
    requireStaff(user, allocation.boardId);
    await commitAllocation(tx, allocationId, data.budgetOre);
    const init = await initial("call", { budgetOre: Number(data.budgetOre), opensAt: data.opensAt.toISOString(), closesAt: data.closesAt.toISOString() });
    const { criteria, indicators, cofundingRules, paymentTerms, ...rest } = data;
    const row = await tx.call.create({
      data: {
        ...rest,
        allocationId,
        boardId: allocation.boardId,
        cofundingRules: (cofundingRules ?? {}) as Prisma.InputJsonValue,
        paymentTerms: (paymentTerms ?? { instalments: [{ sharePercent: 100, trigger: "at_start" }] }) as Prisma.InputJsonValue,
        criteria: { create: (criteria ?? []).map((c, i) => ({ position: i + 1, name: c.name, description: c.description ?? "", weight: c.weight })) },
        indicators: { create: (indicators ?? []).map((x, i) => ({ position: i + 1, name: x.name, unit: x.unit })) },
        ...init,
        createdAt: now,
      },
    });
    await created(tx, user, "call", row.id, allocation.boardId, init.state, { title: data.title, budgetOre: data.budgetOre }, now);
    return row;
  });
}

export type NewApplication = {
  title: string;
  description?: string;
  aims?: string;
  targetGroup?: string;
  projectStart?: Date | null;
  projectEnd?: Date | null;
  countyCodes?: string[];
  requestedOre?: bigint;
  cofundingOre?: bigint;
  otherPublicFunding?: string;
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
  signatoryName?: string;
  signatoryTitle?: string;
  declaresNoTaxDebts?: boolean;
  declaresNotInLiquidation?: boolean;
  budgetLines?: { category: string; description?: string; amountOre: bigint }[];
};

export async function createApplicationDraft(db: Db, user: Principal, callId: string, applicantOrgId: string, data: NewApplication, now = new Date()) {
  if (!hasRole(user, "applicant", applicantOrgId)) {
    throw new WorkflowRefused("isApplicant", "Bara den sökande organisationens företrädare kan ansöka.", `user ${user.id} is not applicant for ${applicantOrgId}`);
  }
  return db.$transaction(async (tx) => {
    const call = await tx.call.findUniqueOrThrow({ where: { id: callId } });
    if (call.state !== "published" || now >= call.closesAt) {
      throw new WorkflowRefused("callIsOpen", "Utlysningen är inte öppen för ansökningar.", `call ${callId} is ${call.state}, closes ${call.closesAt.toISOString()}`);
    }
    const init = await initial("application", {
      callClosesAt: call.closesAt.toISOString(),
      requestedOre: Number(data.requestedOre ?? 0n),
      secondDecisionMakerAboveOre: call.secondDecisionMakerAboveOre === null ? null : Number(call.secondDecisionMakerAboveOre),
      interimReportRequired: call.interimReportRequired,
    });
    const { budgetLines, ...rest } = data;
    const row = await tx.application.create({
      data: {
        ...rest,
        countyCodes: data.countyCodes ?? [],
        callId,
        boardId: call.boardId,
        applicantOrgId,
        budgetLines: { create: (budgetLines ?? []).map((b, i) => ({ position: i + 1, category: b.category, description: b.description ?? "", amountOre: b.amountOre })) },
        ...init,
        createdAt: now,
        updatedAt: now,
      },
    });
    await created(tx, user, "application", row.id, applicantOrgId, init.state, { title: data.title }, now);
    return row;
  });
}
