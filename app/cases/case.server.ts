// Everything the case page shows about one application, for one user: the
// application, its versions, decisions, grant and instalments, reports,
// reclaims, registered documents and timeline, and the event forms the
// statecharts allow this user now. Money is formatted here (no bigint leaves
// the server); secret documents and internal case work are filtered here.
import type { Db } from "~/db.server";
import { sqlOf } from "~/sql.server";
import type { RejectionCategory } from "~/generated/prisma/enums";
import { caseAudience, canSeeCaseWork, canSeeSecretDocuments, type CaseAudience, type Principal } from "~/access/permissions.server";
import { allowedEventsForCases } from "~/workflow/engine.server";
import { pendingDecisionEvent } from "~/workflow/effects.server";
import { formatKronor } from "~/lib/money";
import { formatDate, formatDateTime, utcMidnightToPlainDate } from "~/lib/dates";
import {
  DECISION_KIND_LABELS,
  DIRECTION_LABELS,
  GRANT_STATE_LABELS,
  ORGANIZATION_KIND_LABELS,
  OUTCOME_LABELS,
  RECLAIM_GROUND_LABELS,
  RECLAIM_STATE_LABELS,
  REPORT_KIND_LABELS,
  REPORT_STATE_LABELS,
  TRIGGER_LABELS,
  eventDoneLabel,
  eventLabel,
  stateLabel,
  stateNext,
} from "~/lib/state-labels";
import { EVENT_FIELDS, type CaseEventKind, type EventFormSpec, type FieldSpec } from "./event-fields";
import { kronorDefault } from "./case-actions.server";
import { diffRevisions } from "./revisions";
import { ASSIGN_OFFICER_EVENT, assignableOfficers, mayAssignOfficers } from "./officer.server";
import { doubleFundingWarnings, scoreAssessments, scoreFields, type Criterion, type DoubleFundingWarning, type ScoreRow, type ScoredAssessment } from "~/assessment/assessment.server";
import { REJECTION_CATEGORY_LABELS } from "~/decisions/labels";
import { accountFields } from "~/finance/mark-paid";

const kr = (ore: bigint) => formatKronor(ore);
const day = (d: Date | null | undefined) => (d ? formatDate(utcMidnightToPlainDate(d)) : null);
const when = (d: Date | null | undefined) => (d ? formatDateTime(d) : null);

export type DisbursementView = {
  id: string;
  number: number;
  amount: string;
  trigger: string;
  plannedOn: string | null;
  requestDeadline: string | null;
  state: string;
  stateLabel: string;
  stateNext: string;
  attestedBy: string | null;
  attestedAt: string | null;
  paidOn: string | null;
  paymentReference: string | null;
  actions: EventFormSpec[];
};

export type TimelineEntry = { id: string; at: string; who: string; what: string; subject: string; from: string | null; to: string | null };

export type CaseView = Awaited<ReturnType<typeof loadCaseView>>;

// The case page is read on every visit, so it is one plain-SQL statement (decision 0008):
// the application with its applicant, board and call, and every list on the page as JSON,
// ordered as the page shows them. JSON carries öre as text and dates as ISO text; the
// readers below turn them back into bigint and Date, the shapes Prisma gives.
const CASE_SQL = `
  select a.id, a.title, a."registrationNumber", a.state, a.version, a."officerId", a."boardId", a."applicantOrgId", a."callId",
         a.description, a.aims, a."targetGroup", a."requestedOre", a."cofundingOre", a."otherPublicFunding", a."projectStart", a."projectEnd",
         a."countyCodes", a."contactName", a."contactEmail", a."contactPhone", a."signatoryName", a."signatoryTitle",
         a."declaresNoTaxDebts", a."declaresNotInLiquidation", a."submittedAt",
         json_build_object('name', o.name, 'orgNumber', o."orgNumber", 'kind', o.kind) as "applicantOrg",
         b.name as "boardName", c.title as "callTitle", asg."coordinatingBoardId",
         (select coalesce(json_agg(json_build_object('id', x.id, 'fileName', x."fileName", 'sizeBytes', x."sizeBytes", 'purpose', x.purpose, 'secrecy', x.secrecy, 'createdAt', x."createdAt") order by x."createdAt"), '[]')
            from "Attachment" x where x."applicationId" = a.id) as attachments,
         (select coalesce(json_agg(json_build_object('id', x.id, 'category', x.category, 'description', x.description, 'amountOre', x."amountOre"::text) order by x.position), '[]')
            from "BudgetLine" x where x."applicationId" = a.id) as "budgetLines",
         (select coalesce(json_agg(json_build_object('id', x.id, 'number', x.number, 'createdAt', x."createdAt", 'createdById', x."createdById", 'data', x.data) order by x.number), '[]')
            from "ApplicationRevision" x where x."applicationId" = a.id) as revisions,
         (select coalesce(json_agg(json_build_object('id', x.id, 'message', x.message, 'dueOn', x."dueOn", 'requestedAt', x."requestedAt", 'requestedById', x."requestedById", 'completedAt', x."completedAt", 'response', x.response) order by x."requestedAt"), '[]')
            from "CompletionRequest" x where x."applicationId" = a.id) as "completionRequests",
         (select coalesce(json_agg(json_build_object('id', x.id, 'officerId', x."officerId", 'recommendation', x.recommendation, 'recommendedOre', x."recommendedOre"::text, 'summary', x.summary, 'createdAt', x."createdAt") order by x."createdAt"), '[]')
            from "Assessment" x where x."applicationId" = a.id) as assessments,
         (select coalesce(json_agg(json_build_object('id', x.id, 'userId', x."userId", 'reason', x.reason, 'declaredAt', x."declaredAt") order by x."declaredAt"), '[]')
            from "ConflictOfInterest" x where x."applicationId" = a.id) as conflicts,
         (select coalesce(json_agg(json_build_object('id', x.id, 'kind', x.kind, 'outcome', x.outcome, 'requestedOre', x."requestedOre"::text, 'grantedOre', x."grantedOre"::text,
                   'reasons', x.reasons, 'conditions', x.conditions, 'rejectionCategory', x."rejectionCategory", 'decidedOn', x."decidedOn", 'decisionMakerId', x."decisionMakerId",
                   'presenterId', x."presenterId", 'otherParticipants', x."otherParticipants", 'appealNotice', x."appealNotice",
                   'superseded', exists (select 1 from "Decision" y where y."supersedesId" = x.id)) order by x."decidedAt"), '[]')
            from "Decision" x where x."applicationId" = a.id) as decisions,
         (select json_build_object('id', g.id, 'amountOre', g."amountOre"::text, 'plannedOre', g."plannedOre"::text, 'paidOre', g."paidOre"::text, 'state', g.state,
                   'interimReportDueOn', g."interimReportDueOn", 'finalReportDueOn', g."finalReportDueOn",
                   'disbursements', (select coalesce(json_agg(json_build_object('id', d.id, 'number', d.number, 'amountOre', d."amountOre"::text, 'trigger', d.trigger, 'plannedOn', d."plannedOn",
                                       'requestDeadline', d."requestDeadline", 'state', d.state, 'attestedById', d."attestedById", 'attestedAt', d."attestedAt", 'paidOn', d."paidOn",
                                       'paymentReference', d."paymentReference", 'version', d.version, 'bankAccount', d."bankAccount") order by d.number), '[]')
                                       from "Disbursement" d where d."grantId" = g.id),
                   'reports', (select coalesce(json_agg(json_build_object('id', r.id, 'kind', r.kind, 'dueOn', r."dueOn", 'state', r.state, 'submittedAt', r."submittedAt",
                                  'usedOre', r."usedOre"::text, 'unusedOre', r."unusedOre"::text, 'activitySummary', r."activitySummary", 'reviewedAt', r."reviewedAt") order by r.kind), '[]')
                                  from "Report" r where r."grantId" = g.id),
                   'reclaims', (select coalesce(json_agg(json_build_object('id', r.id, 'ground', r.ground, 'amountOre', r."amountOre"::text, 'waivedOre', r."waivedOre"::text,
                                   'repaidOre', r."repaidOre"::text, 'dueOn', r."dueOn", 'state', r.state, 'reasons', r.reasons, 'waiverReasons', r."waiverReasons",
                                   'paymentReference', r."paymentReference") order by r."createdAt"), '[]')
                                   from "Reclaim" r where r."grantId" = g.id))
            from "Grant" g where g."applicationId" = a.id) as "grant",
         (select coalesce(json_agg(json_build_object('id', x.id, 'registeredOn', x."registeredOn", 'registrationNumber', x."registrationNumber", 'direction', x.direction,
                   'counterpart', x.counterpart, 'description', x.description, 'secrecy', x.secrecy, 'secrecyReason', x."secrecyReason") order by x."registeredOn", x."createdAt"), '[]')
            from "CaseDocument" x where x."applicationId" = a.id) as "caseDocuments",
         (select coalesce(json_agg(json_build_object('id', e.id::text, 'occurredAt', e."occurredAt", 'actorId', e."actorId", 'caseType', e."caseType", 'caseId', e."caseId",
                   'eventType', e."eventType", 'fromState', e."fromState", 'toState', e."toState") order by e."occurredAt", e.id), '[]')
            from "AuditEvent" e
           where (e."caseType" = 'application' and e."caseId" = a.id)
              or (e."caseType" = 'disbursement' and e."caseId" in (select d.id from "Disbursement" d join "Grant" g on g.id = d."grantId" where g."applicationId" = a.id))) as audit,
         (select coalesce(json_agg(x.name order by x.code), '[]') from "County" x where x.code = any(a."countyCodes")) as counties,
         (select coalesce(json_agg(json_build_object('id', k.id, 'name', k.name, 'description', k.description, 'weight', k.weight) order by k.position), '[]')
            from "CallCriterion" k where k."callId" = a."callId") as criteria,
         (select coalesce(json_agg(json_build_object('assessmentId', s."assessmentId", 'criterionId', s."criterionId", 'score', s.score, 'comment', s.comment)), '[]')
            from "AssessmentScore" s join "Assessment" x on x.id = s."assessmentId" where x."applicationId" = a.id) as scores
    from "Application" a
    join "Organization" o on o.id = a."applicantOrgId"
    join "Organization" b on b.id = a."boardId"
    join "Call" c on c.id = a."callId"
    join "Allocation" al on al.id = c."allocationId"
    join "Assignment" asg on asg.id = al."assignmentId"
   where a.id = $1::uuid`;

// JSON's text back into the shapes the rest of the page expects.
const ore = (v: string) => BigInt(v);
const oreOrNull = (v: string | null) => (v === null ? null : BigInt(v));
const at = (v: string) => new Date(v);
const atOrNull = (v: string | null) => (v === null ? null : new Date(v));
/** A JSON date ("2026-11-23") as the Date at UTC midnight, as Prisma and app/sql.server.ts give @db.Date. */
const dateOrNull = (v: string | null) => (v === null ? null : new Date(`${v}T00:00:00Z`));
const date = (v: string) => new Date(`${v}T00:00:00Z`);

type J<T> = { [K in keyof T]: T[K] extends bigint ? string : T[K] extends bigint | null ? string | null : T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };
type CaseRow = {
  id: string; title: string; registrationNumber: string | null; state: string; version: number; officerId: string | null; boardId: string; applicantOrgId: string; callId: string;
  description: string; aims: string; targetGroup: string; requestedOre: bigint; cofundingOre: bigint; otherPublicFunding: string; projectStart: Date | null; projectEnd: Date | null;
  countyCodes: string[]; contactName: string; contactEmail: string; contactPhone: string; signatoryName: string; signatoryTitle: string;
  declaresNoTaxDebts: boolean; declaresNotInLiquidation: boolean; submittedAt: Date | null;
  applicantOrg: { name: string; orgNumber: string; kind: string }; boardName: string; callTitle: string; coordinatingBoardId: string;
  attachments: J<{ id: string; fileName: string; sizeBytes: number; purpose: string; secrecy: boolean; createdAt: Date }>[];
  budgetLines: J<{ id: string; category: string; description: string; amountOre: bigint }>[];
  revisions: J<{ id: string; number: number; createdAt: Date; createdById: string | null; data: unknown }>[];
  completionRequests: J<{ id: string; message: string; dueOn: Date; requestedAt: Date; requestedById: string; completedAt: Date | null; response: string }>[];
  assessments: J<{ id: string; officerId: string; recommendation: string | null; recommendedOre: bigint | null; summary: string; createdAt: Date }>[];
  conflicts: J<{ id: string; userId: string; reason: string; declaredAt: Date }>[];
  decisions: J<{ id: string; kind: string; outcome: string; requestedOre: bigint; grantedOre: bigint; reasons: string; conditions: string; rejectionCategory: RejectionCategory | null; decidedOn: Date; decisionMakerId: string; presenterId: string; otherParticipants: string[]; appealNotice: string; superseded: boolean }>[];
  grant: null | (J<{ id: string; amountOre: bigint; plannedOre: bigint; paidOre: bigint; state: string; interimReportDueOn: Date | null; finalReportDueOn: Date }> & {
    disbursements: J<{ id: string; number: number; amountOre: bigint; trigger: string; plannedOn: Date; requestDeadline: Date | null; state: string; attestedById: string | null; attestedAt: Date | null; paidOn: Date | null; paymentReference: string | null; version: number; bankAccount: string | null }>[];
    reports: J<{ id: string; kind: string; dueOn: Date; state: string; submittedAt: Date | null; usedOre: bigint; unusedOre: bigint; activitySummary: string; reviewedAt: Date | null }>[];
    reclaims: J<{ id: string; ground: string; amountOre: bigint; waivedOre: bigint; repaidOre: bigint; dueOn: Date | null; state: string; reasons: string; waiverReasons: string | null; paymentReference: string }>[];
  });
  caseDocuments: J<{ id: string; registeredOn: Date; registrationNumber: string; direction: string; counterpart: string; description: string; secrecy: boolean; secrecyReason: string | null }>[];
  audit: J<{ id: string; occurredAt: Date; actorId: string | null; caseType: string; caseId: string; eventType: string; fromState: string | null; toState: string | null }>[];
  counties: string[];
  criteria: Criterion[];
  scores: ScoreRow[];
};

async function readCase(db: Db, applicationId: string) {
  const [r] = await sqlOf(db).query<CaseRow>(CASE_SQL, [applicationId]);
  if (!r) throw new Error(`application ${applicationId} not found`);
  const g = r.grant;
  return {
    ...r,
    attachments: r.attachments.map((x) => ({ ...x, createdAt: at(x.createdAt) })),
    budgetLines: r.budgetLines.map((x) => ({ ...x, amountOre: ore(x.amountOre) })),
    revisions: r.revisions.map((x) => ({ ...x, createdAt: at(x.createdAt) })),
    completionRequests: r.completionRequests.map((x) => ({ ...x, dueOn: date(x.dueOn), requestedAt: at(x.requestedAt), completedAt: atOrNull(x.completedAt) })),
    assessments: r.assessments.map((x) => ({ ...x, recommendedOre: oreOrNull(x.recommendedOre), createdAt: at(x.createdAt) })),
    conflicts: r.conflicts.map((x) => ({ ...x, declaredAt: at(x.declaredAt) })),
    decisions: r.decisions.map((x) => ({ ...x, requestedOre: ore(x.requestedOre), grantedOre: ore(x.grantedOre), decidedOn: date(x.decidedOn) })),
    grant: g
      ? {
          ...g,
          amountOre: ore(g.amountOre),
          plannedOre: ore(g.plannedOre),
          paidOre: ore(g.paidOre),
          interimReportDueOn: dateOrNull(g.interimReportDueOn),
          finalReportDueOn: date(g.finalReportDueOn),
          disbursements: g.disbursements.map((d) => ({ ...d, amountOre: ore(d.amountOre), plannedOn: date(d.plannedOn), requestDeadline: dateOrNull(d.requestDeadline), attestedAt: atOrNull(d.attestedAt), paidOn: dateOrNull(d.paidOn) })),
          reports: g.reports.map((x) => ({ ...x, dueOn: date(x.dueOn), submittedAt: atOrNull(x.submittedAt), usedOre: ore(x.usedOre), unusedOre: ore(x.unusedOre), reviewedAt: atOrNull(x.reviewedAt) })),
          reclaims: g.reclaims.map((x) => ({ ...x, amountOre: ore(x.amountOre), waivedOre: ore(x.waivedOre), repaidOre: ore(x.repaidOre), dueOn: dateOrNull(x.dueOn) })),
        }
      : null,
    caseDocuments: r.caseDocuments.map((x) => ({ ...x, registeredOn: date(x.registeredOn) })),
    audit: r.audit.map((x) => ({ ...x, occurredAt: at(x.occurredAt) })),
  };
}

/**
 * Which events this user may send now, for the application and each of its instalments, from
 * ONE call site. At merge this becomes one `allowedEventsForCases` call per kind (app/workflow).
 */
export async function allowedEventsOfCase(db: Db, user: Principal, applicationId: string, disbursementIds: string[], now: Date): Promise<{ application: string[]; disbursements: Map<string, string[]> }> {
  // Two statements for the whole page, however many instalments the grant has.
  const apps = await allowedEventsForCases(db, user, "application", [applicationId], now);
  const disbursements = disbursementIds.length > 0 ? await allowedEventsForCases(db, user, "disbursement", disbursementIds, now) : new Map<string, string[]>();
  return { application: apps.get(applicationId) ?? [], disbursements };
}

/** The decision waiting for a second decision maker, for the case page (pendingDecisionEvent). */
async function pendingDecisionOf(db: Db, applicationId: string) {
  const row = await pendingDecisionEvent(sqlOf(db), applicationId);
  if (!row?.event) return null;
  const { outcome, grantedOre, reasons } = row.event;
  const category = typeof row.details?.rejectionCategory === "string" ? (row.details.rejectionCategory as RejectionCategory) : null;
  return {
    kind: DECISION_KIND_LABELS[row.eventType === "CORRECT_DECISION" ? "correction" : row.eventType === "RECONSIDER_DECISION" ? "reconsideration" : "original"] ?? "Beslut",
    outcome: outcome ? (OUTCOME_LABELS[outcome] ?? outcome) : "–",
    granted: kr(BigInt(grantedOre ?? 0)),
    reasons: reasons ?? "",
    conditions: typeof row.details?.conditions === "string" ? row.details.conditions : "",
    rejectionCategory: category ? (REJECTION_CATEGORY_LABELS[category] ?? null) : null,
    decidedBy: row.decidedBy ?? "Okänd användare",
    decidedAt: formatDateTime(row.occurredAt),
  };
}

/**
 * What approving a report means, in the recipient's own figures: the statechart approves the
 * unused amount the recipient reported (app/workflow/cases.server.ts), never one the approver
 * types, so the page says which amount that is and what follows from it.
 */
export function reportApprovalNote(kind: "interim" | "final", report: { usedOre: bigint; unusedOre: bigint }, grant: { amountOre: bigint; paidOre: bigint }): string {
  const figures = `Mottagaren har redovisat ${kr(report.usedOre)} som använt och ${kr(report.unusedOre)} som outnyttjat.`;
  if (kind === "interim") return `${figures} När delredovisningen är godkänd ska slutredovisningen lämnas.`;
  if (report.unusedOre > grant.amountOre) return `${figures} Det outnyttjade beloppet är större än bidraget: begär komplettering av redovisningen.`;
  if (report.unusedOre === 0n) return `${figures} När slutredovisningen är godkänd avslutas ärendet.`;
  const used = grant.amountOre - report.unusedOre;
  const reclaim = grant.paidOre > used ? grant.paidOre - used : 0n;
  return reclaim > 0n
    ? `${figures} När slutredovisningen är godkänd betalas inget mer ut, och ett återkrav på ${kr(reclaim)} föreslås.`
    : `${figures} När slutredovisningen är godkänd betalas högst ${kr(used)} ut av bidraget och ärendet avslutas.`;
}

/** The case page's data. `application` must come from `requireApplication` (the user may read it). */
export async function loadCaseView(db: Db, user: Principal, applicationId: string, now = new Date()) {
  const a = await readCase(db, applicationId);
  const coordinatingBoardId = a.coordinatingBoardId;
  const audience: CaseAudience = caseAudience(user, a, coordinatingBoardId);
  const caseWork = canSeeCaseWork(audience);
  const seesSecret = canSeeSecretDocuments(user, a);
  const grant = a.grant;
  const disbursements = grant?.disbursements ?? [];

  const audit = a.audit;
  const counties = a.counties;
  const staff = audience === "staff";
  const jav = new Set(a.conflicts.map((c) => c.userId));
  const canAssign = staff && mayAssignOfficers(user, a.boardId) && !jav.has(user.id) && !["draft", "withdrawn", "closed"].includes(a.state);

  // Everyone named on the page, in one query.
  const userIds = new Set<string>();
  for (const r of a.revisions) if (r.createdById) userIds.add(r.createdById);
  for (const x of a.assessments) userIds.add(x.officerId);
  for (const c of a.conflicts) userIds.add(c.userId);
  for (const d of a.decisions) [d.decisionMakerId, d.presenterId, ...d.otherParticipants].forEach((id) => userIds.add(id));
  for (const d of disbursements) if (d.attestedById) userIds.add(d.attestedById);
  for (const e of audit) if (e.actorId) userIds.add(e.actorId);
  if (a.officerId) userIds.add(a.officerId);
  for (const c of a.completionRequests) userIds.add(c.requestedById);

  // Everything else the page needs, at once: the names, the events the statecharts allow this
  // user now (the forms), who may get the case, and the double-funding warnings.
  const [names, events, officers, warnings, pending] = await Promise.all([
    userIds.size ? sqlOf(db).query<{ id: string; name: string }>(`select id, name from "User" where id = any($1::uuid[])`, [[...userIds]]) : Promise.resolve([]),
    allowedEventsOfCase(db, user, a.id, disbursements.map((d) => d.id), now),
    canAssign ? assignableOfficers(db, a) : Promise.resolve([]),
    staff ? doubleFundingWarnings(db, a) : Promise.resolve([] as DoubleFundingWarning[]),
    caseWork && a.state === "awaitingSecondDecision" ? pendingDecisionOf(db, a.id) : Promise.resolve(null),
  ]);
  const people = new Map(names.map((u) => [u.id, u.name]));
  const nameOf = (id: string | null | undefined) => (id ? (people.get(id) ?? "Okänd användare") : "Systemet");
  const appEvents = events.application;
  const reportKind: "interim" | "final" = a.state.startsWith("grantActive.interimReport") ? "interim" : "final";
  const report = grant?.reports.find((r) => r.kind === reportKind);
  const openReclaim = grant?.reclaims.find((r) => r.state === "proposed" || r.state === "decided");
  const outstanding = openReclaim ? openReclaim.amountOre - openReclaim.waivedOre - openReclaim.repaidOre : 0n;
  const currentDecision = [...a.decisions].reverse().find((d) => !d.superseded);
  const appDefaults: Record<string, Record<string, string>> = {
    SUBMIT: { requested: a.requestedOre > 0n ? kronorDefault(a.requestedOre) : "" },
    PRESENT: { proposedGrant: "" },
    SUBMIT_REPORT: { reportKind, used: report && report.usedOre > 0n ? kronorDefault(report.usedOre) : "", unused: "0", activitySummary: report?.activitySummary ?? "" },
    REQUEST_REPORT_COMPLETION: { reportKind },
    APPROVE_REPORT: { reportKind },
    DECIDE_RECLAIM: { amount: openReclaim ? kronorDefault(openReclaim.amountOre) : "" },
    WAIVE: { waived: kronorDefault(outstanding) },
    MARK_REPAID: { amount: kronorDefault(outstanding), paymentReference: openReclaim?.paymentReference ?? a.registrationNumber ?? "" },
    CORRECT_DECISION: currentDecision ? { outcome: currentDecision.outcome, granted: kronorDefault(currentDecision.grantedOre), conditions: currentDecision.conditions } : {},
    RECONSIDER_DECISION: currentDecision ? { outcome: currentDecision.outcome, granted: kronorDefault(currentDecision.grantedOre), conditions: currentDecision.conditions } : {},
  };
  // Presenting scores the case against the call's criteria: those fields depend on the call.
  const criteria = appEvents.includes("PRESENT") ? a.criteria : [];
  const extra: Record<string, FieldSpec[]> = { PRESENT: scoreFields(criteria) };
  const forms = (kind: CaseEventKind, caseId: string, version: number, types: string[], defaults: Record<string, Record<string, string>>): EventFormSpec[] =>
    types
      .filter((type) => Object.hasOwn(EVENT_FIELDS[kind], type))
      .map((type) => ({ kind, caseId, version, type, label: eventLabel(kind, type), defaults: defaults[type] ?? {}, ...(kind === "application" && extra[type]?.length ? { extraFields: extra[type] } : {}) }));

  const disbursementViews: DisbursementView[] = [];
  for (const d of disbursements) {
    disbursementViews.push({
      id: d.id,
      number: d.number,
      amount: kr(d.amountOre),
      trigger: TRIGGER_LABELS[d.trigger] ?? d.trigger,
      plannedOn: day(d.plannedOn),
      requestDeadline: day(d.requestDeadline),
      state: d.state,
      stateLabel: stateLabel("disbursement", d.state),
      stateNext: stateNext("disbursement", d.state),
      attestedBy: d.attestedById ? nameOf(d.attestedById) : null,
      attestedAt: when(d.attestedAt),
      paidOn: day(d.paidOn),
      paymentReference: d.paymentReference,
      actions: forms("disbursement", d.id, d.version, events.disbursements.get(d.id) ?? [], { MARK_PAID: { paymentReference: a.registrationNumber ?? "", ...accountFields(d.bankAccount) } }),
    });
  }

  const disbursementNumber = new Map(disbursements.map((d) => [d.id, d.number]));
  const scores = caseWork ? scoreAssessments(a.criteria, a.scores, a.assessments.map((x) => x.id)) : new Map<string, ScoredAssessment>();
  const budgetTotal = a.budgetLines.reduce((sum, l) => sum + l.amountOre, 0n);
  const paidOut = grant?.paidOre ?? 0n;

  return {
    id: a.id,
    title: a.title,
    registrationNumber: a.registrationNumber,
    state: a.state,
    stateLabel: stateLabel("application", a.state),
    stateNext: stateNext("application", a.state),
    version: a.version,
    audience,
    officer: a.officerId ? { id: a.officerId, name: nameOf(a.officerId) } : null,
    /** Handing the case to an officer: who may get it (no jäv), or null when this user may not assign. */
    assign: canAssign ? { officers: officers.map((o) => ({ id: o.id, name: o.name })), isMine: a.officerId === user.id } : null,
    /** Someone with jäv left the case without a handling officer: it must be reassigned. */
    needsReassignment: staff && a.officerId === null && a.conflicts.length > 0 && !["draft", "withdrawn", "closed"].includes(a.state),
    doubleFunding: warnings,
    links: {
      decisionLetter: a.decisions.length > 0 ? `/arenden/${a.id}/beslutsbrev` : null,
      paymentPlan: staff && grant?.state === "active" ? `/arenden/${a.id}/utbetalningsplan` : null,
      decisionScreen: appEvents.includes("DECIDE") ? `/beslut/${a.id}` : null,
    },
    attachments: a.attachments
      .filter((f) => !f.secrecy || seesSecret)
      .map((f) => ({ id: f.id, fileName: f.fileName, href: `/filer/${f.id}`, size: formatSize(f.sizeBytes), purpose: ATTACHMENT_PURPOSE_LABELS[f.purpose] ?? f.purpose, secret: f.secrecy, uploadedAt: formatDateTime(f.createdAt) })),
    applicant: { name: a.applicantOrg.name, orgNumber: a.applicantOrg.orgNumber, kind: ORGANIZATION_KIND_LABELS[a.applicantOrg.kind] ?? a.applicantOrg.kind },
    board: a.boardName,
    call: { id: a.callId, title: a.callTitle },
    description: a.description,
    aims: a.aims,
    targetGroup: a.targetGroup,
    requested: kr(a.requestedOre),
    cofunding: kr(a.cofundingOre),
    granted: grant ? kr(grant.amountOre) : currentDecision ? kr(currentDecision.grantedOre) : null,
    otherPublicFunding: a.otherPublicFunding,
    projectPeriod: a.projectStart || a.projectEnd ? `${day(a.projectStart) ?? "?"} – ${day(a.projectEnd) ?? "?"}` : null,
    counties,
    contact: { name: a.contactName, email: a.contactEmail, phone: a.contactPhone },
    signatory: { name: a.signatoryName, title: a.signatoryTitle },
    declarations: { noTaxDebts: a.declaresNoTaxDebts, notInLiquidation: a.declaresNotInLiquidation },
    submittedAt: when(a.submittedAt),
    budgetLines: a.budgetLines.map((l) => ({ id: l.id, category: l.category, description: l.description, amount: kr(l.amountOre) })),
    budgetTotal: kr(budgetTotal),
    revisions: a.revisions.map((r, i) => ({
      id: r.id,
      number: r.number,
      createdAt: formatDateTime(r.createdAt),
      createdBy: r.createdById ? nameOf(r.createdById) : "–",
      requested: revisionRequested(r.data),
      /** What this version changed compared with the one before it (none for the first). */
      changes: i === 0 ? [] : diffRevisions(a.revisions[i - 1].data, r.data),
    })),
    completionRequests: a.completionRequests.map((c) => ({
      id: c.id,
      message: c.message,
      dueOn: day(c.dueOn),
      requestedAt: formatDateTime(c.requestedAt),
      requestedBy: caseWork ? nameOf(c.requestedById) : null,
      completedAt: when(c.completedAt),
      response: c.response,
    })),
    assessments: caseWork
      ? a.assessments.map((x) => ({
          id: x.id,
          officer: nameOf(x.officerId),
          recommendation: x.recommendation ? OUTCOME_LABELS[x.recommendation] : "–",
          recommended: x.recommendedOre === null ? null : kr(x.recommendedOre),
          summary: x.summary,
          createdAt: formatDateTime(x.createdAt),
          scores: scores.get(x.id)?.criteria ?? [],
          total: scores.get(x.id)?.totalText ?? null,
        }))
      : [],
    conflicts: caseWork
      ? a.conflicts.map((c) => {
          const reason = audience === "staff" ? c.reason.trim() : "";
          const who = nameOf(c.userId);
          const declaredAt = formatDateTime(c.declaredAt);
          // One sentence, however the reason ends ("…i projektet." gave "i projektet.. Deltar inte").
          const line = `${who}, ${declaredAt}${reason ? `: ${reason}` : ""}${/[.!?]$/.test(reason) ? "" : "."} Deltar inte i ärendet.`;
          return { id: c.id, who, reason: audience === "staff" ? c.reason : null, declaredAt, line };
        })
      : [],
    decisions: a.decisions.map((d) => ({
      id: d.id,
      kind: DECISION_KIND_LABELS[d.kind] ?? d.kind,
      outcome: OUTCOME_LABELS[d.outcome] ?? d.outcome,
      requested: kr(d.requestedOre),
      granted: kr(d.grantedOre),
      reasons: d.reasons,
      conditions: d.conditions,
      rejectionCategory: d.rejectionCategory ? REJECTION_CATEGORY_LABELS[d.rejectionCategory] : null,
      decidedOn: day(d.decidedOn),
      decisionMaker: nameOf(d.decisionMakerId),
      presenter: nameOf(d.presenterId),
      others: d.otherParticipants.map(nameOf),
      appealNotice: d.appealNotice,
      superseded: d.superseded,
    })),
    grant: grant
      ? {
          amount: kr(grant.amountOre),
          planned: kr(grant.plannedOre),
          paid: kr(paidOut),
          leftToPay: kr(grant.amountOre - paidOut),
          state: GRANT_STATE_LABELS[grant.state] ?? grant.state,
          interimReportDueOn: day(grant.interimReportDueOn),
          finalReportDueOn: day(grant.finalReportDueOn),
        }
      : null,
    /** A decision above the amount limit, waiting for a second decision maker to confirm it: what they are asked to confirm. */
    pendingDecision: pending,
    disbursements: disbursementViews,
    /** What approving the report due now does, from the recipient's own figures (shown with the approve button). */
    reportApproval: appEvents.includes("APPROVE_REPORT") && grant && report ? reportApprovalNote(reportKind, report, grant) : null,
    reports: (grant?.reports ?? []).map((r) => ({
      id: r.id,
      kind: REPORT_KIND_LABELS[r.kind] ?? r.kind,
      dueOn: day(r.dueOn),
      state: REPORT_STATE_LABELS[r.state] ?? r.state,
      submittedAt: when(r.submittedAt),
      used: r.submittedAt ? kr(r.usedOre) : null,
      unused: r.submittedAt ? kr(r.unusedOre) : null,
      activitySummary: r.activitySummary,
      reviewedAt: when(r.reviewedAt),
    })),
    reclaims: (grant?.reclaims ?? []).map((r) => ({
      id: r.id,
      ground: RECLAIM_GROUND_LABELS[r.ground] ?? r.ground,
      amount: kr(r.amountOre),
      waived: kr(r.waivedOre),
      repaid: kr(r.repaidOre),
      outstanding: kr(r.state === "decided" ? r.amountOre - r.waivedOre - r.repaidOre : 0n),
      dueOn: day(r.dueOn),
      state: RECLAIM_STATE_LABELS[r.state] ?? r.state,
      reasons: r.reasons,
      waiverReasons: r.waiverReasons,
      paymentReference: r.paymentReference,
    })),
    documents: a.caseDocuments
      .filter((d) => !d.secrecy || seesSecret)
      .map((d) => ({
        id: d.id,
        registeredOn: day(d.registeredOn),
        registrationNumber: d.registrationNumber,
        direction: DIRECTION_LABELS[d.direction] ?? d.direction,
        counterpart: d.counterpart,
        description: d.description,
        secret: d.secrecy,
        secrecyReason: d.secrecy ? d.secrecyReason : null,
      })),
    timeline: audit
      // Jäv declarations are internal case work: not shown to the applicant.
      .filter((e) => caseWork || e.eventType !== "DECLARE_CONFLICT_OF_INTEREST")
      .map(
        (e): TimelineEntry => ({
          id: e.id.toString(),
          at: formatDateTime(e.occurredAt),
          who: nameOf(e.actorId),
          what: e.eventType === ASSIGN_OFFICER_EVENT ? "Handläggare tilldelad" : eventDoneLabel(e.caseType, e.eventType),
          subject: e.caseType === "disbursement" ? `Utbetalning ${disbursementNumber.get(e.caseId) ?? ""}`.trim() : "Ansökan",
          from: e.fromState ? stateLabel(e.caseType as "application" | "disbursement", e.fromState) : null,
          to: e.toState ? stateLabel(e.caseType as "application" | "disbursement", e.toState) : null,
        }),
      ),
    actions: forms("application", a.id, a.version, appEvents, appDefaults),
    /** The call's criteria and weights while the case can be presented (for the live weighted total). */
    criteria: criteria.map((c) => ({ id: c.id, weight: c.weight })),
  };
}

const ATTACHMENT_PURPOSE_LABELS: Record<string, string> = {
  application: "Ansökan",
  ledger_extract: "Utdrag ur bokföringen",
  report: "Redovisning",
  payment_request: "Rekvisition",
  other: "Övrigt",
};

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${(bytes / (1024 * 1024)).toLocaleString("sv-SE", { maximumFractionDigits: 1 })} MB`;
}

/** The requested amount recorded in a frozen revision (stored as a string of öre). */
function revisionRequested(data: unknown): string | null {
  if (data && typeof data === "object" && "requestedOre" in data) {
    const v = (data as { requestedOre: unknown }).requestedOre;
    if (typeof v === "string" && /^\d+$/.test(v)) return kr(BigInt(v));
    if (typeof v === "number" && Number.isSafeInteger(v)) return kr(BigInt(v));
  }
  return null;
}

/** A confirmation line for `?klart=application.DECIDE` after a successful event (POST-redirect-GET). */
export function confirmationFor(param: string | null): string | null {
  if (!param) return null;
  const [kind, type] = param.split(".");
  if ((kind !== "application" && kind !== "disbursement") || !type || !Object.hasOwn(EVENT_FIELDS[kind], type)) return null;
  return `Klart: ${eventDoneLabel(kind, type)}.`;
}
