// Everything the case page shows about one application, for one user: the
// application, its versions, decisions, grant and instalments, reports,
// reclaims, registered documents and timeline, and the event forms the
// statecharts allow this user now. Money is formatted here (no bigint leaves
// the server); secret documents and internal case work are filtered here.
import type { Db } from "~/db.server";
import { caseAudience, canSeeCaseWork, canSeeSecretDocuments, type CaseAudience, type Principal } from "~/access/permissions.server";
import { allowedEvents } from "~/workflow/engine.server";
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
import { criteriaOf, doubleFundingWarnings, scoreFields, scoresOfAssessments, type ScoredAssessment } from "~/assessment/assessment.server";
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

/** The case page's data. `application` must come from `requireApplication` (the user may read it). */
export async function loadCaseView(db: Db, user: Principal, applicationId: string, now = new Date()) {
  const a = await db.application.findUniqueOrThrow({
    where: { id: applicationId },
    include: {
      applicantOrg: true,
      board: { select: { name: true } },
      call: { select: { id: true, title: true, budgetOre: true, grantedOre: true, allocation: { select: { assignment: { select: { coordinatingBoardId: true } } } } } },
      attachments: { orderBy: { createdAt: "asc" } },
      budgetLines: { orderBy: { position: "asc" } },
      revisions: { orderBy: { number: "asc" }, select: { id: true, number: true, createdAt: true, createdById: true, data: true } },
      completionRequests: { orderBy: { requestedAt: "asc" } },
      assessments: { orderBy: { createdAt: "asc" } },
      conflicts: { orderBy: { declaredAt: "asc" } },
      decisions: { orderBy: { decidedAt: "asc" }, include: { supersededBy: { select: { id: true } } } },
      grant: {
        include: {
          disbursements: { orderBy: { number: "asc" } },
          reports: { orderBy: { kind: "asc" } },
          reclaims: { orderBy: { createdAt: "asc" } },
        },
      },
      caseDocuments: { orderBy: [{ registeredOn: "asc" }, { createdAt: "asc" }] },
    },
  });
  const coordinatingBoardId = a.call.allocation.assignment.coordinatingBoardId;
  const audience: CaseAudience = caseAudience(user, a, coordinatingBoardId);
  const caseWork = canSeeCaseWork(audience);
  const seesSecret = canSeeSecretDocuments(user, a);
  const grant = a.grant;
  const disbursements = grant?.disbursements ?? [];

  const [audit, counties] = await Promise.all([
    db.auditEvent.findMany({
      where: {
        OR: [
          { caseType: "application", caseId: a.id },
          ...(disbursements.length ? [{ caseType: "disbursement", caseId: { in: disbursements.map((d) => d.id) } }] : []),
        ],
      },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      select: { id: true, occurredAt: true, actorId: true, caseType: true, caseId: true, eventType: true, fromState: true, toState: true },
    }),
    a.countyCodes.length ? db.county.findMany({ where: { code: { in: a.countyCodes } }, orderBy: { code: "asc" } }) : Promise.resolve([]),
  ]);

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
  const people = new Map((await db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  const nameOf = (id: string | null | undefined) => (id ? (people.get(id) ?? "Okänd användare") : "Systemet");

  // The forms: exactly the events the statecharts allow this user now.
  const appEvents = await allowedEvents(db, user, "application", a.id, now);
  const reportKind: "interim" | "final" = a.state.startsWith("grantActive.interimReport") ? "interim" : "final";
  const report = grant?.reports.find((r) => r.kind === reportKind);
  const openReclaim = grant?.reclaims.find((r) => r.state === "proposed" || r.state === "decided");
  const outstanding = openReclaim ? openReclaim.amountOre - openReclaim.waivedOre - openReclaim.repaidOre : 0n;
  const currentDecision = [...a.decisions].reverse().find((d) => !d.supersededBy);
  const appDefaults: Record<string, Record<string, string>> = {
    SUBMIT: { requested: a.requestedOre > 0n ? kronorDefault(a.requestedOre) : "" },
    PRESENT: { proposedGrant: "" },
    SUBMIT_REPORT: { reportKind, used: report && report.usedOre > 0n ? kronorDefault(report.usedOre) : "", unused: "0", activitySummary: report?.activitySummary ?? "" },
    REQUEST_REPORT_COMPLETION: { reportKind },
    APPROVE_REPORT: { reportKind, unused: kronorDefault(report?.unusedOre ?? 0n) },
    DECIDE_RECLAIM: { amount: openReclaim ? kronorDefault(openReclaim.amountOre) : "" },
    WAIVE: { waived: kronorDefault(outstanding) },
    MARK_REPAID: { amount: kronorDefault(outstanding), paymentReference: openReclaim?.paymentReference ?? a.registrationNumber ?? "" },
    CORRECT_DECISION: currentDecision ? { outcome: currentDecision.outcome, granted: kronorDefault(currentDecision.grantedOre), conditions: currentDecision.conditions } : {},
    RECONSIDER_DECISION: currentDecision ? { outcome: currentDecision.outcome, granted: kronorDefault(currentDecision.grantedOre), conditions: currentDecision.conditions } : {},
  };
  // Presenting scores the case against the call's criteria: those fields depend on the call.
  const criteria = appEvents.includes("PRESENT") ? await criteriaOf(db, a.callId) : [];
  const extra: Record<string, FieldSpec[]> = { PRESENT: scoreFields(criteria) };
  const forms = (kind: CaseEventKind, caseId: string, version: number, types: string[], defaults: Record<string, Record<string, string>>): EventFormSpec[] =>
    types
      .filter((type) => Object.hasOwn(EVENT_FIELDS[kind], type))
      .map((type) => ({ kind, caseId, version, type, label: eventLabel(kind, type), defaults: defaults[type] ?? {}, ...(kind === "application" && extra[type]?.length ? { extraFields: extra[type] } : {}) }));

  const disbursementViews: DisbursementView[] = [];
  for (const d of disbursements) {
    const events = await allowedEvents(db, user, "disbursement", d.id, now);
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
      actions: forms("disbursement", d.id, d.version, events, { MARK_PAID: { paymentReference: a.registrationNumber ?? "", ...accountFields(d.bankAccount) } }),
    });
  }

  const disbursementNumber = new Map(disbursements.map((d) => [d.id, d.number]));
  const staff = audience === "staff";
  const scores = caseWork ? await scoresOfAssessments(db, a.callId, a.assessments.map((x) => x.id)) : new Map<string, ScoredAssessment>();
  const jav = new Set(a.conflicts.map((c) => c.userId));
  const canAssign = staff && mayAssignOfficers(user, a.boardId) && !jav.has(user.id) && !["draft", "withdrawn", "closed"].includes(a.state);
  const officers = canAssign ? await assignableOfficers(db, a) : [];
  const warnings = staff ? await doubleFundingWarnings(db, a) : [];
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
    board: a.board.name,
    call: { id: a.call.id, title: a.call.title },
    description: a.description,
    aims: a.aims,
    targetGroup: a.targetGroup,
    requested: kr(a.requestedOre),
    cofunding: kr(a.cofundingOre),
    granted: grant ? kr(grant.amountOre) : currentDecision ? kr(currentDecision.grantedOre) : null,
    otherPublicFunding: a.otherPublicFunding,
    projectPeriod: a.projectStart || a.projectEnd ? `${day(a.projectStart) ?? "?"} – ${day(a.projectEnd) ?? "?"}` : null,
    counties: counties.map((c) => c.name),
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
    conflicts: caseWork ? a.conflicts.map((c) => ({ id: c.id, who: nameOf(c.userId), reason: audience === "staff" ? c.reason : null, declaredAt: formatDateTime(c.declaredAt) })) : [],
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
      superseded: d.supersededBy !== null,
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
    disbursements: disbursementViews,
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
