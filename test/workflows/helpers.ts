import {
  type Actor,
  type ApplicationEvent,
  type ApplicationInput,
  type DisbursementInput,
  type Role,
  type WorkflowEvent,
  type WorkflowInput,
  type WorkflowKind,
  type WorkflowSnapshot,
  applyEvent,
  start,
} from "../../workflows/index";

export const actor = (userId: string, ...roles: Role[]): Actor => ({ userId, roles });

/** A cast of people. `presenterDm` is both officer and decision maker (for four-eyes tests). */
export const people = {
  applicant: actor("applicant-1", "applicant"),
  officer: actor("officer-1", "officer"),
  officer2: actor("officer-2", "officer"),
  dm: actor("dm-1", "decision_maker"),
  dm2: actor("dm-2", "decision_maker"),
  presenterDm: actor("both-1", "officer", "decision_maker"),
  finance: actor("finance-1", "finance"),
  finance2: actor("finance-2", "finance"),
  coordinator: actor("coord-1", "coordinator"),
  admin: actor("admin-1", "admin"),
  nobody: actor("nobody-1"),
} satisfies Record<string, Actor>;

export const NOW = "2025-03-01T09:00:00.000Z";
export const CALL_CLOSES = "2025-04-01T00:00:00.000Z";
export const LATER = "2025-06-30T00:00:00.000Z";

/** kr → öre */
export const kr = (amount: number): number => amount * 100;

export const REQUESTED = kr(200_000);
export const THRESHOLD = kr(150_000);

export const applicationInput = (over: Partial<ApplicationInput> = {}): ApplicationInput => ({
  callClosesAt: CALL_CLOSES,
  secondDecisionMakerAboveOre: THRESHOLD,
  interimReportRequired: true,
  ...over,
});

export const disbursementInput = (over: Partial<DisbursementInput> = {}): DisbursementInput => ({
  amountOre: kr(50_000),
  trigger: "at_start",
  plannedBy: people.officer.userId,
  paymentRequestRequired: true,
  requestDeadline: LATER,
  ...over,
});

/** Apply events in order; throw with the rule's log message if one is refused. */
export function drive<K extends WorkflowKind>(
  kind: K,
  snapshot: WorkflowSnapshot<K>,
  events: ReadonlyArray<WorkflowEvent<K>>,
): WorkflowSnapshot<K> {
  let s = snapshot;
  for (const event of events) {
    const r = applyEvent(kind, s, event);
    if (!r.ok) throw new Error(`drive: ${r.logMessage}`);
    s = r.next;
  }
  return s;
}

export function started<K extends WorkflowKind>(kind: K, input: WorkflowInput<K>): WorkflowSnapshot<K> {
  return start(kind, input).snapshot;
}

// ---------------------------------------------------------------------------
// Application: event builders and milestones
// ---------------------------------------------------------------------------

type Fields<T extends ApplicationEvent["type"]> = Omit<Extract<ApplicationEvent, { type: T }>, "type" | "actor" | "at"> & {
  at?: string;
};

export function ev<T extends ApplicationEvent["type"]>(type: T, who: Actor, fields?: Fields<T>): ApplicationEvent {
  return { type, actor: who, at: NOW, ...(fields ?? {}) } as ApplicationEvent;
}

export const app = {
  submit: (requestedOre = REQUESTED) => ev("SUBMIT", people.applicant, { requestedOre }),
  startAssessment: () => ev("START_ASSESSMENT", people.officer),
  present: (who: Actor = people.officer) => ev("PRESENT", who, { recommendation: "approved" }),
  decide: (outcome: "approved" | "partly_approved" | "rejected", grantedOre: number, who: Actor = people.dm) =>
    ev("DECIDE", who, { outcome, grantedOre, callBudgetLeftOre: kr(1_000_000), reasons: "Motivering." }),
  submitReport: (kind: "interim" | "final") => ev("SUBMIT_REPORT", people.applicant, { kind }),
  approveReport: (kind: "interim" | "final", unusedOre?: number, paidOre?: number) =>
    ev("APPROVE_REPORT", people.officer, { kind, unusedOre, paidOre }),
  proposeReclaim: (amountOre: number, who: Actor = people.officer) =>
    ev("PROPOSE_RECLAIM", who, { ground: "conditions_not_followed", amountOre, paidOre: kr(100_000), reasons: "Villkor ej följda." }),
  decideReclaim: (amountOre: number, who: Actor = people.dm) =>
    ev("DECIDE_RECLAIM", who, { amountOre, paidOre: kr(100_000), dueDate: LATER, reasons: "Återkrav." }),
};

type AppInputOver = Partial<ApplicationInput>;

/** The application driven to a named point on the happy path. */
export function applicationAt(point: ApplicationMilestone, over: AppInputOver = {}): WorkflowSnapshot<"application"> {
  const s0 = started("application", applicationInput(over));
  return drive("application", s0, milestones[point]);
}

const toPresented = [app.submit(), app.startAssessment(), app.present()];
const toInterimDue = [...toPresented, app.decide("partly_approved", kr(100_000))];
const toFinalDue = [...toInterimDue, app.submitReport("interim"), app.approveReport("interim")];
const toFinalSubmitted = [...toFinalDue, app.submitReport("final")];
const toReclaimProposed = [...toInterimDue, app.proposeReclaim(kr(40_000))];
const toReclaimDecided = [...toReclaimProposed, app.decideReclaim(kr(40_000))];

const milestones = {
  draft: [],
  submitted: [app.submit()],
  inAssessment: [app.submit(), app.startAssessment()],
  completionRequested: [
    app.submit(),
    app.startAssessment(),
    ev("REQUEST_COMPLETION", people.officer, { message: "Bifoga budget.", deadline: LATER }),
  ],
  presented: toPresented,
  awaitingSecondDecision: [...toPresented, app.decide("approved", REQUESTED)],
  rejected: [...toPresented, app.decide("rejected", 0)],
  interimDue: toInterimDue,
  interimSubmitted: [...toInterimDue, app.submitReport("interim")],
  finalDue: toFinalDue,
  finalSubmitted: toFinalSubmitted,
  reclaimProposed: toReclaimProposed,
  reclaimDecided: toReclaimDecided,
  reclaimRepaid: [
    ...toReclaimDecided,
    ev("MARK_REPAID", people.finance, { amountOre: kr(40_000), paidOn: "2025-05-01", paymentReference: "OCR 123" }),
  ],
  closed: [...toFinalSubmitted, app.approveReport("final", 0, kr(100_000))],
} satisfies Record<string, ApplicationEvent[]>;

export type ApplicationMilestone = keyof typeof milestones;
