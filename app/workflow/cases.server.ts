// Loading and locking a stored case of each kind, with the facts its statechart
// needs from the database (what is left of the budget, what has been paid, the
// jäv list) and what its effects need, in one round trip. Applications and
// instalments, the hot cases, are read by PL/pgSQL functions (migration
// 20261123090000_workflow_case_loaders): their plans are kept per connection,
// and they lock first and read after, each statement with its own snapshot. A
// single plain SELECT … FOR UPDATE would not do: a statement that waited for a
// lock still reads the other tables as they were before the wait (READ
// COMMITTED takes one snapshot per statement). Calls and assignments, rare and
// simple, lock with one statement and read with the next.
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import type { Actor, WorkflowKind } from "../../workflows";
import { notFound } from "~/access/permissions.server";
import { GENESIS_HASH } from "./audit.server";
import { toSql, type AnyTx, type Sql } from "./tx.server";

type Reader = AnyTx | Prisma.TransactionClient | Db;

/** The new state, the snapshot as JSON text (persistedJson) and the version. */
export type CaseWrite = { state: string; snapshotJson: string; version: number };

/** The grant as loaded, kept current by the effects that change it within the transaction. */
export type GrantRow = {
  id: string;
  amountOre: bigint;
  plannedOre: bigint;
  paidOre: bigint;
  decisionId: string;
  interimReportDueOn: Date | null;
  finalReportDueOn: Date;
  state: string;
  lastInstalment: number;
};

/** The call's terms an application's effects and rules read. */
export type CallTerms = {
  state: string;
  budgetOre: bigint;
  grantedOre: bigint;
  eligibleKinds: string[];
  maxAmountOre: bigint | null;
  maxProjectMonths: number | null;
  requiresMultipleCounties: boolean;
  cofundingRules: unknown;
  paymentTerms: unknown;
  appealNotice: string;
  interimReportRequired: boolean;
  interimReportDueOn: Date | null;
  finalReportDueOn: Date;
  paymentRequestRequired: boolean;
  paymentRequestDays: number | null;
};

export type DecisionRow = { id: string; conditions: string; rejectionCategory: string | null; presenterId: string };

export type LoadedApplication = {
  id: string;
  callId: string;
  boardId: string;
  applicantOrgId: string;
  /** Set by registerApplication within the transaction. */
  registrationNumber: string | null;
  title: string;
  requestedOre: bigint;
  applicantName: string;
  boardCountyCode: string | null;
  call: CallTerms;
  grant: GrantRow | null;
  /** The decision in force (not superseded); updated when an effect records a new one. */
  decision: DecisionRow | null;
};

export type LoadedCase = {
  kind: WorkflowKind;
  id: string;
  state: string;
  snapshot: unknown;
  version: number;
  /** The hash at the head of this case's audit chain when it was loaded. */
  auditHead: string;
  /** The board that acts as the authority on this case. */
  boardId: string;
  applicantOrgId: string | null;
  coordinatingBoardId: string | null;
  /** Case data the effects need. */
  application?: LoadedApplication;
  disbursement?: { id: string; grantId: string; amountOre: bigint };
  call?: { id: string; allocationId: string; budgetOre: bigint };
  /** Facts from the database that the statechart's guards read, merged into the event. */
  facts(tx: Reader, eventType: string | null, body?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The table whose row holds the case's state. */
  table: "Application" | "Call" | "Assignment" | "Disbursement";
  organizationForAudit(actor: Actor): string;
};

const toOre = (v: bigint) => Number(v);

/** Calendar months a project covers, counting started months (2020-01-01..2020-12-31 is 12). */
function monthsCovered(start: Date, end: Date): number {
  return (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + (end.getUTCMonth() - start.getUTCMonth()) + 1;
}

/** Loads (and with `lock`, locks until the transaction ends) one case; 404 when there is none. */
export async function loadCase(tx: Reader, kind: WorkflowKind, id: string, opts: { lock: boolean }): Promise<LoadedCase> {
  const [c] = await readCases(toSql(tx), kind, [id], opts.lock);
  if (!c) throw notFound();
  return c;
}

/** Several cases of one kind in one statement, without locks (the buttons of a case page). Missing ids are left out. */
export async function loadCases(tx: Reader, kind: WorkflowKind, caseIds: readonly string[]): Promise<LoadedCase[]> {
  if (caseIds.length === 0) return [];
  return readCases(toSql(tx), kind, caseIds, false);
}

async function readCases(sql: Sql, kind: WorkflowKind, caseIds: readonly string[], lock: boolean): Promise<LoadedCase[]> {
  const ids = [...caseIds];
  switch (kind) {
    case "application":
      // An instalment locks its application first too (inside workflow_load_disbursements): one lock order for a grant's cases.
      return (await sql.query<ApplicationRow>(`select * from workflow_load_applications($1::uuid[], $2::boolean)`, [ids, lock])).map(applicationCase);
    case "disbursement":
      return (await sql.query<DisbursementRow>(`select * from workflow_load_disbursements($1::uuid[], $2::boolean)`, [ids, lock])).map(disbursementCase);
    case "call":
      if (lock) await lockRow(sql, "Call", ids);
      return (await sql.query<CallRow>(CALL_SQL, [ids])).map(callCase);
    case "assignment":
      if (lock) await lockRow(sql, "Assignment", ids);
      return (await sql.query<AssignmentRow>(ASSIGNMENT_SQL, [ids])).map(assignmentCase);
  }
}

async function lockRow(sql: Sql, table: "Call" | "Assignment", ids: string[]): Promise<void> {
  await sql.query(`select id from "${table}" where id = any($1::uuid[]) order by id for update`, [ids]);
}

const HEAD = (caseType: string, idColumn: string) =>
  `(select e.hash from "AuditEvent" e where e."caseType" = '${caseType}' and e."caseId" = ${idColumn} order by e.id desc limit 1) as "auditHead"`;

const COORDINATING = (callIdColumn: string) =>
  `(select asg."coordinatingBoardId" from "Call" cc join "Allocation" al on al.id = cc."allocationId" join "Assignment" asg on asg.id = al."assignmentId" where cc.id = ${callIdColumn}) as "coordinatingBoardId"`;

const WANTED = `any($1::uuid[])`;

type ApplicationRow = {
  id: string;
  state: string;
  snapshot: unknown;
  version: number;
  boardId: string;
  applicantOrgId: string;
  callId: string;
  registrationNumber: string | null;
  title: string;
  requestedOre: bigint;
  cofundingOre: bigint;
  projectStart: Date | null;
  projectEnd: Date | null;
  countyCodes: string[];
  callState: string;
  callBudgetOre: bigint;
  callGrantedOre: bigint;
  eligibleKinds: string[];
  maxAmountOre: bigint | null;
  maxProjectMonths: number | null;
  requiresMultipleCounties: boolean;
  cofundingRules: unknown;
  paymentTerms: unknown;
  appealNotice: string;
  interimReportRequired: boolean;
  callInterimReportDueOn: Date | null;
  callFinalReportDueOn: Date;
  paymentRequestRequired: boolean;
  paymentRequestDays: number | null;
  coordinatingBoardId: string;
  applicantKind: string;
  applicantName: string;
  boardCountyCode: string | null;
  grantId: string | null;
  grantAmountOre: bigint | null;
  grantPlannedOre: bigint | null;
  grantPaidOre: bigint | null;
  grantDecisionId: string | null;
  grantInterimReportDueOn: Date | null;
  grantFinalReportDueOn: Date | null;
  grantState: string | null;
  lastInstalment: number;
  reportUnused: Record<string, string> | null;
  decisionId: string | null;
  decisionConditions: string | null;
  decisionRejectionCategory: string | null;
  decisionPresenterId: string | null;
  auditHead: string | null;
};

function applicationCase(a: ApplicationRow): LoadedCase {
  const call: CallTerms = {
    state: a.callState,
    budgetOre: a.callBudgetOre,
    grantedOre: a.callGrantedOre,
    eligibleKinds: a.eligibleKinds,
    maxAmountOre: a.maxAmountOre,
    maxProjectMonths: a.maxProjectMonths,
    requiresMultipleCounties: a.requiresMultipleCounties,
    cofundingRules: a.cofundingRules,
    paymentTerms: a.paymentTerms,
    appealNotice: a.appealNotice,
    interimReportRequired: a.interimReportRequired,
    interimReportDueOn: a.callInterimReportDueOn,
    finalReportDueOn: a.callFinalReportDueOn,
    paymentRequestRequired: a.paymentRequestRequired,
    paymentRequestDays: a.paymentRequestDays,
  };
  const grant: GrantRow | null = a.grantId
    ? {
        id: a.grantId,
        amountOre: a.grantAmountOre!,
        plannedOre: a.grantPlannedOre!,
        paidOre: a.grantPaidOre!,
        decisionId: a.grantDecisionId!,
        interimReportDueOn: a.grantInterimReportDueOn,
        finalReportDueOn: a.grantFinalReportDueOn!,
        state: a.grantState!,
        lastInstalment: Number(a.lastInstalment),
      }
    : null;
  const application: LoadedApplication = {
    id: a.id,
    callId: a.callId,
    boardId: a.boardId,
    applicantOrgId: a.applicantOrgId,
    registrationNumber: a.registrationNumber,
    title: a.title,
    requestedOre: a.requestedOre,
    applicantName: a.applicantName,
    boardCountyCode: a.boardCountyCode,
    call,
    grant,
    decision: a.decisionId
      ? { id: a.decisionId, conditions: a.decisionConditions ?? "", rejectionCategory: a.decisionRejectionCategory, presenterId: a.decisionPresenterId! }
      : null,
  };
  return {
    kind: "application",
    id: a.id,
    state: a.state,
    snapshot: a.snapshot,
    version: a.version,
    auditHead: a.auditHead ?? GENESIS_HASH,
    boardId: a.boardId,
    applicantOrgId: a.applicantOrgId,
    coordinatingBoardId: a.coordinatingBoardId,
    application,
    table: "Application",
    // Computed from what was loaded: no further statements. The keys each event type gets are exactly
    // those it always got (a fact overrides the request's value, so an extra key would change behaviour).
    async facts(_r, eventType, body) {
      const facts: Record<string, unknown> = {};
      if (eventType === null || eventType === "SUBMIT") {
        facts.callState = call.state;
        if (eventType === "SUBMIT") {
          const shares = (call.cofundingRules ?? {}) as Record<string, number | undefined>;
          Object.assign(facts, {
            callEligibleKinds: call.eligibleKinds,
            callMaxAmountOre: call.maxAmountOre === null ? null : toOre(call.maxAmountOre),
            callMaxProjectMonths: call.maxProjectMonths,
            callRequiresMultipleCounties: call.requiresMultipleCounties,
            callMaxSharePercent: shares[a.applicantKind] ?? null,
            applicantKind: a.applicantKind,
            projectMonths: a.projectStart && a.projectEnd ? monthsCovered(a.projectStart, a.projectEnd) : null,
            countyCount: new Set(a.countyCodes).size,
            cofundingOre: toOre(a.cofundingOre),
          });
        }
      }
      if (eventType === null || ["DECIDE", "CORRECT_DECISION", "RECONSIDER_DECISION", "CONFIRM_DECISION"].includes(eventType)) {
        facts.callBudgetLeftOre = toOre(call.budgetOre - call.grantedOre);
      }
      facts.paidOre = toOre(grant?.paidOre ?? 0n);
      if (eventType === "APPROVE_REPORT" && grant && (body?.kind === "interim" || body?.kind === "final")) {
        // The unused amount is what the recipient reported, not what the approver types.
        facts.unusedOre = toOre(BigInt(a.reportUnused?.[body.kind] ?? "0"));
      }
      return facts;
    },
    organizationForAudit: (actor) => (actor.roles.includes("applicant") ? a.applicantOrgId : a.boardId),
  };
}

type DisbursementRow = {
  id: string;
  state: string;
  snapshot: unknown;
  version: number;
  grantId: string;
  amountOre: bigint;
  grantOre: bigint;
  applicationId: string;
  boardId: string;
  applicantOrgId: string;
  coordinatingBoardId: string;
  otherDisbursementsOre: bigint;
  interimApproved: boolean;
  finalApproved: boolean;
  conflicts: string[];
  auditHead: string | null;
};

function disbursementCase(d: DisbursementRow): LoadedCase {
  return {
    kind: "disbursement",
    id: d.id,
    state: d.state,
    snapshot: d.snapshot,
    version: d.version,
    auditHead: d.auditHead ?? GENESIS_HASH,
    boardId: d.boardId,
    applicantOrgId: d.applicantOrgId,
    coordinatingBoardId: d.coordinatingBoardId,
    disbursement: { id: d.id, grantId: d.grantId, amountOre: d.amountOre },
    table: "Disbursement",
    async facts() {
      return {
        grantOre: toOre(d.grantOre),
        otherDisbursementsOre: Number(d.otherDisbursementsOre),
        reportsApproved: { interim: d.interimApproved, final: d.finalApproved },
        conflictOfInterestUserIds: d.conflicts,
      };
    },
    organizationForAudit: (actor) => (actor.roles.includes("applicant") ? d.applicantOrgId : d.boardId),
  };
}

const CALL_SQL = `
select c.id, c.state, c.snapshot, c.version, c."boardId", c."allocationId", c."budgetOre", ${COORDINATING("c.id")}, ${HEAD("call", "c.id")}
  from "Call" c where c.id = ${WANTED}`;

type CallRow = { id: string; state: string; snapshot: unknown; version: number; boardId: string; allocationId: string; budgetOre: bigint; coordinatingBoardId: string; auditHead: string | null };

function callCase(c: CallRow): LoadedCase {
  return {
    kind: "call",
    id: c.id,
    state: c.state,
    snapshot: c.snapshot,
    version: c.version,
    auditHead: c.auditHead ?? GENESIS_HASH,
    boardId: c.boardId,
    applicantOrgId: null,
    coordinatingBoardId: c.coordinatingBoardId,
    call: { id: c.id, allocationId: c.allocationId, budgetOre: c.budgetOre },
    table: "Call",
    async facts(r, eventType) {
      if (eventType !== "MARK_DECIDED" && eventType !== null) return {};
      const [row] = await toSql(r).query<{ n: bigint }>(
        `select count(*) as n from "Application" where "callId" = $1::uuid and state in ('submitted', 'inAssessment', 'completionRequested', 'presented', 'awaitingSecondDecision')`,
        [c.id],
      );
      return { undecidedApplications: Number(row.n) };
    },
    organizationForAudit: () => c.boardId,
  };
}

const ASSIGNMENT_SQL = `
select s.id, s.state, s.snapshot, s.version, s."responsibleBoardId", s."coordinatingBoardId", ${HEAD("assignment", "s.id")}
  from "Assignment" s where s.id = ${WANTED}`;

type AssignmentRow = { id: string; state: string; snapshot: unknown; version: number; responsibleBoardId: string; coordinatingBoardId: string; auditHead: string | null };

function assignmentCase(a: AssignmentRow): LoadedCase {
  return {
    kind: "assignment",
    id: a.id,
    state: a.state,
    snapshot: a.snapshot,
    version: a.version,
    auditHead: a.auditHead ?? GENESIS_HASH,
    boardId: a.responsibleBoardId,
    applicantOrgId: null,
    coordinatingBoardId: a.coordinatingBoardId,
    table: "Assignment",
    async facts() {
      return {};
    },
    organizationForAudit: (actor) => (actor.roles.includes("coordinator") ? a.coordinatingBoardId : a.responsibleBoardId),
  };
}
