/**
 * Event catalogues for model-based tests: for a snapshot, the concrete events
 * (with actors and data) worth trying. They include refused variants on
 * purpose (wrong person, presenter deciding) so traversal also sees refusals.
 */
import {
  type AnyMachineSnapshot,
} from "xstate";
import {
  type ApplicationEvent,
  type AssignmentEvent,
  type CallEvent,
  type DisbursementEvent,
  SYSTEM_ACTOR,
  type WorkflowSnapshot,
  reclaimOutstandingOre,
  stateKey,
} from "../../workflows/index";
import { LATER, NOW, REQUESTED, THRESHOLD, kr, people } from "./helpers";

const at = NOW;

// ---------------------------------------------------------------------------
// Vertex identity for graph traversal: the state key plus the bits of context
// and history that change where an event can lead.
// ---------------------------------------------------------------------------

function historyKey(snapshot: AnyMachineSnapshot): string {
  const h = (snapshot as unknown as { historyValue?: Record<string, Array<{ id: string }>> }).historyValue ?? {};
  return Object.entries(h)
    .map(([k, nodes]) => `${k}=${nodes.map((n) => n.id).join(",")}`)
    .sort()
    .join(";");
}

/**
 * Application vertex: the state key plus the bits of context and history that
 * change where an event can lead. The chart's context grows with every loop
 * (logs, completion requests), so full-context vertices would explode; paths
 * over these vertices are therefore replayed from their events, not trusted
 * for their intermediate snapshots (see model.test.ts).
 */
export function applicationVertex(snapshot: WorkflowSnapshot<"application">): string {
  const c = snapshot.context;
  const parts = [stateKey(snapshot), `origin=${c.reclaim?.origin ?? "-"}`];
  if (stateKey(snapshot).startsWith("reclaim.proposed")) parts.push(historyKey(snapshot as AnyMachineSnapshot));
  return parts.join("|");
}

/**
 * Vertex identity for the small machines: state value, full context and history.
 * (Collapsing context would let the traversal pair a path with a snapshot
 * reached another way.) The event catalogues below keep the graph finite by
 * offering each looping event only a bounded number of times.
 */
export function fullVertex(snapshot: AnyMachineSnapshot): string {
  return JSON.stringify({ value: snapshot.value, context: snapshot.context, history: historyKey(snapshot) });
}

// ---------------------------------------------------------------------------
// Application
// ---------------------------------------------------------------------------

const decision = (
  type: "DECIDE" | "CORRECT_DECISION" | "RECONSIDER_DECISION",
  who: typeof people.dm,
  outcome: "approved" | "partly_approved" | "rejected",
  grantedOre: number,
): ApplicationEvent =>
  ({
    type,
    actor: who,
    at,
    outcome,
    grantedOre,
    callBudgetLeftOre: kr(1_000_000),
    paidOre: 0,
    reasons: "Motivering.",
  }) as ApplicationEvent;

export function applicationModelEvents(snapshot: WorkflowSnapshot<"application">): ApplicationEvent[] {
  const c = snapshot.context;
  const outstanding = reclaimOutstandingOre(c.reclaim);
  const half = Math.floor(outstanding / 2);
  const key = stateKey(snapshot);
  const returned = (kind: string) => c.returns.some((r) => r.kind === kind);
  const reportCompletions = (kind: string) =>
    c.reportLog.filter((r) => r.kind === kind && r.step === "completion_requested").length;
  // Bounds that keep the graph finite (each loop is explored a limited number of times).
  const offer = {
    completion: c.completionRequests.length === 0,
    returnToAssessment: !returned("to_assessment"),
    returnDecision: !returned("decision_not_confirmed"),
    declare: key === "submitted" && c.conflictOfInterestUserIds.length === 0,
    change: c.decisionChanges.length === 0 && c.pendingDecision === null,
    reportCompletion: (kind: string) => reportCompletions(kind) < 2,
    propose: c.reclaim === null,
    partial: half > 0 && (c.reclaim?.waivers.length ?? 0) + (c.reclaim?.repayments.length ?? 0) === 0,
  };
  const changes = offer.change
    ? (["CORRECT_DECISION", "RECONSIDER_DECISION"] as const).flatMap((type) => [
        decision(type, people.dm2, "rejected", 0),
        decision(type, people.dm2, "partly_approved", kr(100_000)),
        decision(type, people.dm2, "approved", c.requestedOre),
      ])
    : [];
  const when = <T>(condition: boolean, ...items: T[]): T[] => (condition ? items : []);
  const events: ApplicationEvent[] = [
    { type: "SUBMIT", actor: people.applicant, at, requestedOre: REQUESTED },
    { type: "SUBMIT", actor: people.officer, at, requestedOre: REQUESTED },
    { type: "START_ASSESSMENT", actor: people.officer, at },
    ...when<ApplicationEvent>(offer.completion, { type: "REQUEST_COMPLETION", actor: people.officer, at, message: "Bifoga budget.", deadline: LATER }),
    { type: "COMPLETE", actor: people.applicant, at },
    { type: "RESUME_ASSESSMENT", actor: people.officer, at },
    { type: "PRESENT", actor: people.officer, at, recommendation: "approved" },
    ...when<ApplicationEvent>(offer.returnToAssessment, { type: "RETURN_TO_ASSESSMENT", actor: people.dm, at, reasons: "Mer underlag." }),
    decision("DECIDE", people.dm, "rejected", 0),
    decision("DECIDE", people.dm, "partly_approved", kr(100_000)),
    decision("DECIDE", people.dm, "approved", c.requestedOre),
    decision("DECIDE", people.officer, "approved", c.requestedOre),
    { type: "CONFIRM_DECISION", actor: people.dm2, at },
    { type: "CONFIRM_DECISION", actor: people.dm, at },
    ...when<ApplicationEvent>(offer.returnDecision, { type: "RETURN_DECISION", actor: people.dm2, at, reasons: "Nej." }),
    ...changes,
    ...when<ApplicationEvent>(offer.declare, { type: "DECLARE_CONFLICT_OF_INTEREST", actor: people.officer2, at }),
    { type: "WITHDRAW", actor: people.applicant, at },
    { type: "SUBMIT_REPORT", actor: people.applicant, at, kind: "interim" },
    { type: "SUBMIT_REPORT", actor: people.applicant, at, kind: "final" },
    ...when<ApplicationEvent>(offer.reportCompletion("interim"), { type: "REQUEST_REPORT_COMPLETION", actor: people.officer, at, kind: "interim", message: "Komplettera." }),
    ...when<ApplicationEvent>(offer.reportCompletion("final"), { type: "REQUEST_REPORT_COMPLETION", actor: people.officer, at, kind: "final", message: "Komplettera." }),
    { type: "APPROVE_REPORT", actor: people.officer, at, kind: "interim" },
    { type: "APPROVE_REPORT", actor: people.officer, at, kind: "final", unusedOre: 0 },
    { type: "APPROVE_REPORT", actor: people.officer, at, kind: "final", unusedOre: kr(5_000), paidOre: kr(100_000) },
    { type: "APPROVE_REPORT", actor: people.officer, at, kind: "final", unusedOre: kr(5_000), paidOre: 0 },
    ...when<ApplicationEvent>(offer.propose, { type: "PROPOSE_RECLAIM", actor: people.officer, at, ground: "no_report", amountOre: kr(20_000), paidOre: kr(100_000), reasons: "Ingen redovisning." }),
    { type: "DECIDE_RECLAIM", actor: people.dm, at, amountOre: c.reclaim?.proposedOre ?? 1, paidOre: kr(100_000), dueDate: LATER, reasons: "Återkrav." },
    { type: "REJECT_RECLAIM", actor: people.dm, at, reasons: "Ingen grund." },
    { type: "WAIVE", actor: people.dm2, at, waivedOre: outstanding, reasons: "Eftergift." },
    ...when<ApplicationEvent>(offer.partial, { type: "WAIVE", actor: people.dm2, at, waivedOre: half, reasons: "Delvis eftergift." }),
    { type: "MARK_REPAID", actor: people.finance, at, amountOre: outstanding, paidOn: "2025-05-01", paymentReference: "OCR 1" },
    ...when<ApplicationEvent>(offer.partial, { type: "MARK_REPAID", actor: people.finance, at, amountOre: half, paidOn: "2025-05-01", paymentReference: "OCR 1" }),
    { type: "CLOSE_CASE", actor: people.officer, at },
  ];
  return events;
}

/** Where simple-path exploration of the application stops and restarts (see model.test.ts). */
export const isDecided = (snapshot: AnyMachineSnapshot): boolean =>
  ["rejected", "grantActive", "reclaim", "closed"].some((k) => snapshot.matches(k));

// Two inputs cover both report routes; the threshold sits between the partial and full grant.
export const applicationModelInputs = [
  { callClosesAt: "2025-04-01T00:00:00Z", secondDecisionMakerAboveOre: THRESHOLD, interimReportRequired: true },
  { callClosesAt: "2025-04-01T00:00:00Z", secondDecisionMakerAboveOre: THRESHOLD, interimReportRequired: false },
];

// ---------------------------------------------------------------------------
// Assignment, call, disbursement
// ---------------------------------------------------------------------------

export function assignmentModelEvents(): AssignmentEvent[] {
  return [
    { type: "ACTIVATE", actor: people.officer, at },
    { type: "ACTIVATE", actor: people.coordinator, at },
    { type: "START_REPORTING", actor: people.admin, at },
    { type: "SUBMIT_REPORT", actor: people.coordinator, at },
    { type: "CLOSE", actor: people.officer, at },
  ];
}

export function callModelEvents(): CallEvent[] {
  return [
    { type: "EDIT_TERMS", actor: people.officer, at, budgetOre: kr(1_000_000) },
    { type: "PUBLISH", actor: people.officer, at },
    { type: "PUBLISH", actor: people.applicant, at },
    { type: "CLOSE", actor: people.officer, at },
    { type: "CLOSE_BY_TIME", actor: SYSTEM_ACTOR, at: "2025-04-01T00:00:00Z" },
    { type: "CLOSE_BY_TIME", actor: SYSTEM_ACTOR, at },
    { type: "MARK_DECIDED", actor: people.officer, at, undecidedApplications: 0 },
    { type: "ARCHIVE", actor: people.admin, at },
  ];
}

export const callModelInputs = [
  { budgetOre: kr(20_000_000), opensAt: "2025-02-01T00:00:00Z", closesAt: "2025-04-01T00:00:00Z" },
];

const facts = { conflictOfInterestUserIds: [] as string[] };

export function disbursementModelEvents(): DisbursementEvent[] {
  return [
    { type: "REQUEST_PAYMENT", actor: people.applicant, at, ...facts },
    {
      type: "ATTEST",
      actor: people.finance,
      at,
      grantOre: kr(100_000),
      otherDisbursementsOre: 0,
      reportsApproved: { interim: true, final: true },
      ...facts,
    },
    { type: "MARK_PAID", actor: people.finance2, at, paymentReference: "LB 1", paidOn: "2025-03-05", ...facts },
    { type: "LAPSE", actor: SYSTEM_ACTOR, at: LATER },
    { type: "CANCEL", actor: people.officer, at, reasons: "Avbrutet.", ...facts },
    { type: "SUPERSEDE", actor: people.dm, at, reasons: "Beslutet rättat." },
  ];
}

export const disbursementModelInputs = [
  {
    amountOre: kr(50_000),
    trigger: "after_final_report" as const,
    plannedBy: people.officer.userId,
    paymentRequestRequired: true,
    requestDeadline: LATER,
  },
  {
    amountOre: kr(50_000),
    trigger: "at_start" as const,
    plannedBy: people.officer.userId,
    paymentRequestRequired: false,
    requestDeadline: null,
  },
];
