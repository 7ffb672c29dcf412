// Statechart snapshots for the generated data set, made by the real (pure)
// statecharts: each template is what the engine would have stored after the
// same events, so a generated case restores and accepts further events.
import { applyEvent, persist, start, type Actor, type ApplicationEvent, type DisbursementEvent, type WorkflowSnapshot } from "../../workflows/index";

export type DatasetPeople = { applicant: string; officer: string; decisionMaker: string; finance: string };

export type ApplicationTemplate =
  | "submitted"
  | "inAssessment"
  | "presented"
  | "rejected"
  | "withdrawn"
  | "finalDue"
  | "finalSubmitted"
  | "closed"
  | "reclaimDecided"
  | "reclaimRepaid";

const T0 = "2022-03-01T09:00:00.000Z";
const CLOSES = "2022-04-01T00:00:00.000Z";
const LATER = "2023-06-30T00:00:00.000Z";
const GRANTED = 100_000_00;

export function applicationTemplates(p: DatasetPeople): Record<ApplicationTemplate, { state: string; snapshot: unknown }> {
  const a = (userId: string, role: Actor["roles"][number]): Actor => ({ userId, roles: [role] });
  const applicant = a(p.applicant, "applicant");
  const officer = a(p.officer, "officer");
  const dm = a(p.decisionMaker, "decision_maker");
  const finance = a(p.finance, "finance");
  const ev = (type: ApplicationEvent["type"], who: Actor, fields: object = {}) => ({ type, actor: who, at: T0, ...fields }) as ApplicationEvent;
  const submit = ev("SUBMIT", applicant, { requestedOre: GRANTED });
  const toPresented = [submit, ev("START_ASSESSMENT", officer), ev("PRESENT", officer, { recommendation: "approved" })];
  const decide = (outcome: "approved" | "rejected", granted: number) =>
    ev("DECIDE", dm, { outcome, grantedOre: granted, callBudgetLeftOre: 1_000_000_000_00, reasons: "Motivering." });
  const toFinalDue = [...toPresented, decide("approved", GRANTED)];
  const toFinalSubmitted = [...toFinalDue, ev("SUBMIT_REPORT", applicant, { kind: "final" })];
  const toReclaim = [
    ...toFinalSubmitted,
    ev("APPROVE_REPORT", officer, { kind: "final", unusedOre: GRANTED * 0.3, paidOre: GRANTED }),
    ev("DECIDE_RECLAIM", dm, { amountOre: GRANTED * 0.3, paidOre: GRANTED, dueDate: LATER, reasons: "Outnyttjade medel återkrävs." }),
  ];
  const paths: Record<ApplicationTemplate, ApplicationEvent[]> = {
    submitted: [submit],
    inAssessment: [submit, ev("START_ASSESSMENT", officer)],
    presented: toPresented,
    rejected: [...toPresented, decide("rejected", 0)],
    withdrawn: [submit, ev("WITHDRAW", applicant, { reasons: "Projektet blir inte av." })],
    finalDue: toFinalDue,
    finalSubmitted: toFinalSubmitted,
    closed: [...toFinalSubmitted, ev("APPROVE_REPORT", officer, { kind: "final", unusedOre: 0, paidOre: GRANTED })],
    reclaimDecided: toReclaim,
    reclaimRepaid: [...toReclaim, ev("MARK_REPAID", finance, { amountOre: GRANTED * 0.3, paidOn: LATER, paymentReference: "OCR" })],
  };
  const out = {} as Record<ApplicationTemplate, { state: string; snapshot: unknown }>;
  for (const [name, events] of Object.entries(paths) as [ApplicationTemplate, ApplicationEvent[]][]) {
    let s: WorkflowSnapshot<"application"> = start("application", {
      callClosesAt: CLOSES,
      secondDecisionMakerAboveOre: null,
      interimReportRequired: false,
    }).snapshot;
    let state = "draft";
    for (const e of events) {
      const r = applyEvent("application", s, e);
      if (!r.ok) throw new Error(`dataset template ${name}: ${e.type} refused: ${r.logMessage}`);
      s = r.next;
      state = r.state;
    }
    out[name] = { state, snapshot: persist("application", s) };
  }
  return out;
}

export function disbursementTemplates(p: DatasetPeople): Record<"planned" | "paid", { state: string; snapshot: unknown }> {
  const input = { amountOre: GRANTED, trigger: "at_start" as const, plannedBy: p.officer, plannedDate: T0, paymentRequestRequired: false, requestDeadline: null };
  const planned = start("disbursement", input);
  let s = planned.snapshot;
  let state = planned.state;
  const events: DisbursementEvent[] = [
    { type: "ATTEST", actor: { userId: p.finance, roles: ["finance"] }, at: T0, grantOre: GRANTED, otherDisbursementsOre: 0, reportsApproved: { interim: false, final: false }, conflictOfInterestUserIds: [] } as DisbursementEvent,
    { type: "MARK_PAID", actor: { userId: p.finance, roles: ["finance"] }, at: T0, paidOn: T0, paymentReference: "Utbetalning", conflictOfInterestUserIds: [] } as DisbursementEvent,
  ];
  for (const e of events) {
    const r = applyEvent("disbursement", s, e);
    if (!r.ok) throw new Error(`dataset disbursement template: ${e.type} refused: ${r.logMessage}`);
    s = r.next;
    state = r.state;
  }
  return { planned: { state: planned.state, snapshot: persist("disbursement", planned.snapshot) }, paid: { state, snapshot: persist("disbursement", s) } };
}

/** A call published and then closed by time (budget in the snapshot is only the starting figure). */
export function callTemplate(p: DatasetPeople, opensAt: string, closesAt: string, budgetOre: number): { state: string; snapshot: unknown } {
  let s = start("call", { budgetOre, opensAt, closesAt }).snapshot;
  let state = "draft";
  const events = [
    { type: "PUBLISH", actor: { userId: p.officer, roles: ["officer"] }, at: T0.replace("03-01", "01-15") },
    { type: "CLOSE_BY_TIME", actor: { userId: "system", roles: [] }, at: closesAt },
  ];
  for (const e of events) {
    const r = applyEvent("call", s, e as never);
    if (!r.ok) break;
    s = r.next;
    state = r.state;
  }
  return { state, snapshot: persist("call", s) };
}

/** An assignment activated by its responsible board. */
export function assignmentTemplate(p: DatasetPeople, reportDueDate: string): { state: string; snapshot: unknown } {
  let s = start("assignment", { reportDueDate }).snapshot;
  let state = "draft";
  const r = applyEvent("assignment", s, { type: "ACTIVATE", actor: { userId: p.officer, roles: ["officer"] }, at: T0 } as never);
  if (r.ok) {
    s = r.next;
    state = r.state;
  } else state = start("assignment", { reportDueDate }).state;
  return { state, snapshot: persist("assignment", s) };
}
