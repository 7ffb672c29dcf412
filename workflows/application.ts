/**
 * Application (ansökan), from draft to closed case:
 *
 *   draft ─SUBMIT→ submitted ─START_ASSESSMENT→ inAssessment ⇄ completionRequested
 *     inAssessment ─PRESENT→ presented ─DECIDE→ rejected
 *                                             → awaitingSecondDecision ─CONFIRM_DECISION→ grantActive
 *                                             → grantActive
 *     grantActive: [interimReport →] finalReport, each due → submitted ⇄ completionRequested
 *                  → resubmitted → approved; final report approved → closed, or → reclaim
 *                  when money was left unused
 *     reclaim: proposed → decided → repaid | waived → closed (CLOSE_CASE)
 *   WITHDRAW (applicant) from any state before the decision → withdrawn
 *   DECLARE_CONFLICT_OF_INTEREST in any state that is not final (recorded only)
 *   CORRECT_DECISION / RECONSIDER_DECISION on the decided states `rejected` and `grantActive`
 *
 * `rejected` is deliberately NOT an XState final state: a rejection can be
 * corrected (rättelse) or reconsidered (omprövning, or after an appeal) and
 * then become a grant. It has no other way out. `withdrawn` and `closed` are final.
 *
 * Every rule is a named guard in `applicationRules` below, with its messages.
 * Effect params are computed from the event and from the context *before* the
 * transition (effects are listed before the `store…` assigns).
 */
import { and, assign, setup } from "xstate";
import {
  type BaseEvent,
  type IsoDateTime,
  type Ore,
  type Rule,
  type WithoutActor,
  PROBE_FAR_FUTURE,
  PROBE_TIME,
  allAmountsInWholeOre,
  guardsOf,
  hasRole,
  instantBefore,
  isBefore,
  isNonEmptyText,
  isWholeOre,
  serverEffect,
  stateKey,
} from "./types";

export const APPLICATION_MACHINE_ID = "application";
/** Bump when a change makes stored snapshots incompatible. */
export const APPLICATION_MACHINE_VERSION = 1;

// ---------------------------------------------------------------------------
// Domain values
// ---------------------------------------------------------------------------

/** bifall, delvis bifall, avslag */
export type DecisionOutcome = "approved" | "partly_approved" | "rejected";
export const DECISION_OUTCOMES: readonly DecisionOutcome[] = ["approved", "partly_approved", "rejected"];

export type ReportKind = "interim" | "final";

/** Grounds for återkrav. */
export type ReclaimGround =
  | "wrong_information"
  | "paid_wrongly_or_too_much"
  | "not_used_for_purpose"
  | "conditions_not_followed"
  | "no_report";
export const RECLAIM_GROUNDS: readonly ReclaimGround[] = [
  "wrong_information",
  "paid_wrongly_or_too_much",
  "not_used_for_purpose",
  "conditions_not_followed",
  "no_report",
];

/** Ground used when the final report shows money left unused. */
export const UNUSED_FUNDS_RECLAIM_GROUND: ReclaimGround = "not_used_for_purpose";

// ---------------------------------------------------------------------------
// Input and context
// ---------------------------------------------------------------------------

export type ApplicationInput = {
  /** When the call closes; SUBMIT must come strictly before. */
  callClosesAt: IsoDateTime;
  /** Amount in the draft, if known; SUBMIT carries the amount actually applied for. */
  requestedOre?: Ore;
  /** A grant above this amount needs a second decision maker (CONFIRM_DECISION). null: never. */
  secondDecisionMakerAboveOre: Ore | null;
  /** Whether the grant has an interim report before the final one. */
  interimReportRequired: boolean;
};

export type DecisionKind = "decision" | "correction" | "reconsideration";

export type DecisionRecord = {
  kind: DecisionKind;
  outcome: DecisionOutcome;
  grantedOre: Ore;
  reasons: string;
  decidedBy: string;
  decidedAt: IsoDateTime;
  /** föredragande at the time of the decision */
  presentedBy: string | null;
  /** second decision maker, when the amount was above the threshold */
  confirmedBy: string | null;
  confirmedAt: IsoDateTime | null;
};

export type DecisionChange = {
  kind: "correction" | "reconsideration";
  by: string;
  at: IsoDateTime;
  reasons: string;
  from: { outcome: DecisionOutcome; grantedOre: Ore };
  to: { outcome: DecisionOutcome; grantedOre: Ore };
};

export type CompletionRequest = {
  message: string;
  deadline: IsoDateTime;
  requestedBy: string;
  requestedAt: IsoDateTime;
  /** set when the applicant completes (completed: true) or the officer resumes without it */
  closedAt: IsoDateTime | null;
  completed: boolean;
};

export type ReturnRecord = {
  kind: "to_assessment" | "decision_not_confirmed";
  by: string;
  at: IsoDateTime;
  reasons: string;
};

export type ReportStep = {
  kind: ReportKind;
  step: "submitted" | "completion_requested" | "resubmitted" | "approved";
  by: string;
  at: IsoDateTime;
  message: string | null;
  unusedOre: Ore | null;
};

export type ReclaimRecord = {
  /** where the reclaim came from: the approved final report, or an officer during the grant */
  origin: "final_report" | "grant";
  ground: ReclaimGround;
  proposedOre: Ore;
  proposedBy: string;
  proposedAt: IsoDateTime;
  reasons: string;
  decidedOre: Ore | null;
  decidedBy: string | null;
  decidedAt: IsoDateTime | null;
  dueDate: IsoDateTime | null;
  waivedOre: Ore;
  waivers: Array<{ waivedOre: Ore; by: string; at: IsoDateTime; reasons: string }>;
  repaidOre: Ore;
  repayments: Array<{ amountOre: Ore; by: string; paidOn: IsoDateTime; paymentReference: string }>;
  rejectedBy: string | null;
  rejectionReasons: string | null;
};

export type ApplicationContext = {
  callClosesAt: IsoDateTime;
  secondDecisionMakerAboveOre: Ore | null;
  interimReportRequired: boolean;

  requestedOre: Ore;
  submittedBy: string | null;
  submittedAt: IsoDateTime | null;
  caseOfficer: string | null;
  /** Everyone who declared jäv. They may take no part in the case. */
  conflictOfInterestUserIds: string[];
  completionRequests: CompletionRequest[];
  returns: ReturnRecord[];

  presentedBy: string | null;
  presentedAt: IsoDateTime | null;
  recommendation: DecisionOutcome | null;
  proposedGrantOre: Ore | null;

  /** A decision above the threshold, waiting for CONFIRM_DECISION. */
  pendingDecision: DecisionRecord | null;
  /** The decision in force. */
  decision: DecisionRecord | null;
  /** Granted amount in force (0 until a grant decision takes effect). */
  grantedOre: Ore;
  decisionChanges: DecisionChange[];

  reportsApproved: { interim: boolean; final: boolean };
  reportLog: ReportStep[];

  reclaim: ReclaimRecord | null;

  withdrawnBy: string | null;
  withdrawnAt: IsoDateTime | null;
};

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

/**
 * Fields the server supplies from the database (the machine cannot know them):
 * `callBudgetLeftOre` = the call's budget minus everything granted or reserved
 * under it right now (this application included, at its current amount);
 * `paidOre` = what has been paid out on this grant so far.
 */
type DecisionFields = {
  outcome: DecisionOutcome;
  grantedOre: Ore;
  callBudgetLeftOre: Ore;
  reasons: string;
};

/**
 * The call's terms and the application's figures at submission, supplied by the
 * server from the database (the machine only holds what it was started with).
 */
export type SubmissionFacts = {
  /** The call's current state: only a published call takes submissions (it may have been closed by hand). */
  callState?: string;
  callEligibleKinds?: string[];
  callMaxAmountOre?: Ore | null;
  callMaxProjectMonths?: number | null;
  callRequiresMultipleCounties?: boolean;
  /** Largest share (percent) of the project's cost the grant may cover for this applicant's kind; null: no limit. */
  callMaxSharePercent?: number | null;
  applicantKind?: string;
  /** Whole months from project start to end; null when the period is missing. */
  projectMonths?: number | null;
  countyCount?: number;
  cofundingOre?: Ore;
};

export type ApplicationEvent =
  | ({ type: "SUBMIT"; requestedOre: Ore } & SubmissionFacts & BaseEvent)
  | ({ type: "START_ASSESSMENT" } & BaseEvent)
  | ({ type: "REQUEST_COMPLETION"; message: string; deadline: IsoDateTime } & BaseEvent)
  | ({ type: "COMPLETE"; requestedOre?: Ore; message?: string } & BaseEvent)
  | ({ type: "RESUME_ASSESSMENT" } & BaseEvent)
  | ({ type: "PRESENT"; recommendation: DecisionOutcome; proposedGrantOre?: Ore } & BaseEvent)
  | ({ type: "RETURN_TO_ASSESSMENT"; reasons: string } & BaseEvent)
  | ({ type: "DECIDE" } & DecisionFields & BaseEvent)
  | ({ type: "CONFIRM_DECISION" } & BaseEvent)
  | ({ type: "RETURN_DECISION"; reasons: string } & BaseEvent)
  | ({ type: "CORRECT_DECISION"; paidOre: Ore } & DecisionFields & BaseEvent)
  | ({ type: "RECONSIDER_DECISION"; paidOre: Ore } & DecisionFields & BaseEvent)
  | ({ type: "DECLARE_CONFLICT_OF_INTEREST" } & BaseEvent)
  | ({ type: "WITHDRAW"; reasons?: string } & BaseEvent)
  | ({ type: "SUBMIT_REPORT"; kind: ReportKind; unusedOre?: Ore } & BaseEvent)
  | ({ type: "REQUEST_REPORT_COMPLETION"; kind: ReportKind; message: string } & BaseEvent)
  | ({ type: "APPROVE_REPORT"; kind: ReportKind; unusedOre?: Ore; paidOre?: Ore } & BaseEvent)
  | ({ type: "PROPOSE_RECLAIM"; ground: ReclaimGround; amountOre: Ore; paidOre: Ore; reasons: string } & BaseEvent)
  | ({ type: "DECIDE_RECLAIM"; amountOre: Ore; paidOre: Ore; dueDate: IsoDateTime; reasons: string } & BaseEvent)
  | ({ type: "REJECT_RECLAIM"; reasons: string } & BaseEvent)
  | ({ type: "WAIVE"; waivedOre: Ore; reasons: string } & BaseEvent)
  | ({ type: "MARK_REPAID"; amountOre: Ore; paidOn: IsoDateTime; paymentReference: string } & BaseEvent)
  | ({ type: "CLOSE_CASE" } & BaseEvent);

export type ApplicationEventType = ApplicationEvent["type"];

export const applicationEventTypes = [
  "SUBMIT",
  "START_ASSESSMENT",
  "REQUEST_COMPLETION",
  "COMPLETE",
  "RESUME_ASSESSMENT",
  "PRESENT",
  "RETURN_TO_ASSESSMENT",
  "DECIDE",
  "CONFIRM_DECISION",
  "RETURN_DECISION",
  "CORRECT_DECISION",
  "RECONSIDER_DECISION",
  "DECLARE_CONFLICT_OF_INTEREST",
  "WITHDRAW",
  "SUBMIT_REPORT",
  "REQUEST_REPORT_COMPLETION",
  "APPROVE_REPORT",
  "PROPOSE_RECLAIM",
  "DECIDE_RECLAIM",
  "REJECT_RECLAIM",
  "WAIVE",
  "MARK_REPAID",
  "CLOSE_CASE",
] as const satisfies readonly ApplicationEventType[];

/** Events sent by background jobs, not by a person in the UI. */
export const applicationSystemEventTypes = [] as const satisfies readonly ApplicationEventType[];

// ---------------------------------------------------------------------------
// Small readers used by rules and actions
// ---------------------------------------------------------------------------

type Args = { context: ApplicationContext; event: ApplicationEvent };

/** The sender's userId ("" if the event has no actor, so a rule fails instead of throwing). */
const userOf = (event: ApplicationEvent): string => event.actor?.userId ?? "";

const hasDeclaredConflict = (context: ApplicationContext, userId: string): boolean =>
  context.conflictOfInterestUserIds.includes(userId);

/** The decision an event proposes (DECIDE, CORRECT_DECISION, RECONSIDER_DECISION). */
function proposedDecision(event: ApplicationEvent): DecisionFields | null {
  return event.type === "DECIDE" || event.type === "CORRECT_DECISION" || event.type === "RECONSIDER_DECISION"
    ? event
    : null;
}

/** The submission facts an event carries (none for other events). */
const submission = (event: ApplicationEvent): SubmissionFacts => (event.type === "SUBMIT" ? event : {});

/** The amount an event wants to reclaim. */
function reclaimAmount(event: ApplicationEvent): number | undefined {
  if (event.type === "PROPOSE_RECLAIM" || event.type === "DECIDE_RECLAIM") return event.amountOre;
  if (event.type === "APPROVE_REPORT") return event.unusedOre;
  return undefined;
}

/**
 * Unused money after the final report: the part not yet paid out is simply not
 * paid; only what was paid beyond what was used is reclaimed.
 */
export function reclaimableFromReport(context: Pick<ApplicationContext, "grantedOre">, event: ApplicationEvent): Ore {
  if (event.type !== "APPROVE_REPORT") return 0;
  const used = context.grantedOre - (event.unusedOre ?? 0);
  return Math.max(0, (event.paidOre ?? 0) - used);
}

/** What is still owed on a decided reclaim. */
export function reclaimOutstandingOre(reclaim: ReclaimRecord | null): Ore {
  if (!reclaim || reclaim.decidedOre === null) return 0;
  return reclaim.decidedOre - reclaim.waivedOre - reclaim.repaidOre;
}

function reasonsOf(event: ApplicationEvent): unknown {
  return "reasons" in event ? event.reasons : undefined;
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

type ApplicationRule = Rule<ApplicationContext, ApplicationEvent>;

export const applicationRules = {
  // --- who may act --------------------------------------------------------
  isApplicant: {
    kind: "actor",
    sv: "Endast den sökande organisationen kan göra detta.",
    en: "actor lacks role applicant in the applicant organisation",
    check: ({ event }) => hasRole(event.actor, "applicant"),
  },
  isOfficer: {
    kind: "actor",
    sv: "Endast en handläggare vid länsstyrelsen kan göra detta.",
    en: "actor lacks role officer",
    check: ({ event }) => hasRole(event.actor, "officer"),
  },
  isDecisionMaker: {
    kind: "actor",
    sv: "Endast en beslutsfattare kan fatta beslut i ärendet.",
    en: "actor lacks role decision_maker",
    check: ({ event }) => hasRole(event.actor, "decision_maker"),
  },
  isFinance: {
    kind: "actor",
    sv: "Endast ekonomifunktionen kan göra detta.",
    en: "actor lacks role finance",
    check: ({ event }) => hasRole(event.actor, "finance"),
  },
  isReclaimDecider: {
    kind: "actor",
    sv: "Endast en beslutsfattare eller ekonomifunktionen kan besluta om återkrav och eftergift.",
    en: "actor lacks role decision_maker or finance",
    check: ({ event }) => hasRole(event.actor, "decision_maker", "finance"),
  },
  isOfficerOrFinance: {
    kind: "actor",
    sv: "Endast en handläggare eller ekonomifunktionen kan avsluta ärendet.",
    en: "actor lacks role officer or finance",
    check: ({ event }) => hasRole(event.actor, "officer", "finance"),
  },
  mayDeclareConflictOfInterest: {
    kind: "actor",
    sv: "Endast handläggare, beslutsfattare och ekonomifunktionen anmäler jäv i ärendet.",
    en: "actor lacks role officer, decision_maker or finance",
    check: ({ event }) => hasRole(event.actor, "officer", "decision_maker", "finance"),
  },
  /** jäv: anyone who declared a conflict of interest may take no part in the case. */
  hasNoConflictOfInterest: {
    kind: "actor",
    sv: "Du har anmält jäv i ärendet och får inte delta i handläggningen.",
    en: "actor has declared a conflict of interest on this case",
    check: ({ context, event }) => !hasDeclaredConflict(context, userOf(event)),
  },
  conflictNotAlreadyDeclared: {
    kind: "actor",
    sv: "Du har redan anmält jäv i ärendet.",
    en: "actor already declared a conflict of interest on this case",
    check: ({ context, event }) => !hasDeclaredConflict(context, userOf(event)),
  },
  /** Four-eyes: the decision maker did not present the case and has no jäv. */
  fourEyes: {
    kind: "actor",
    sv: "Den som har föredragit ärendet får inte också besluta i det.",
    en: "four-eyes: decision maker presented the case or has a conflict of interest",
    check: ({ context, event }) =>
      userOf(event) !== context.presentedBy && !hasDeclaredConflict(context, userOf(event)),
  },
  confirmedByAnotherDecisionMaker: {
    kind: "actor",
    sv: "Beslutet ska bekräftas av en annan beslutsfattare än den som fattade det.",
    en: "second decision maker must differ from the first",
    check: ({ context, event }) =>
      context.pendingDecision !== null && userOf(event) !== context.pendingDecision.decidedBy,
  },
  fourEyesOnReclaim: {
    kind: "actor",
    sv: "Den som föreslog återkravet får inte själv besluta om det.",
    en: "four-eyes: reclaim decided by its proposer",
    check: ({ context, event }) => context.reclaim !== null && userOf(event) !== context.reclaim.proposedBy,
  },

  // --- what the event says ------------------------------------------------
  amountsInWholeOre: {
    kind: "data",
    sv: "Belopp ska anges i hela ören och får inte vara negativa.",
    en: "an *Ore field is not a non-negative safe integer",
    check: ({ event }) => allAmountsInWholeOre(event),
  },
  callIsOpen: {
    kind: "data",
    sv: "Utlysningen är stängd. Ansökan kan inte längre lämnas in.",
    en: "the call is not in state published",
    check: ({ event }) => submission(event).callState === undefined || submission(event).callState === "published",
  },
  applicantKindEligible: {
    kind: "data",
    sv: "Er typ av organisation får inte söka i den här utlysningen.",
    en: "applicant kind not among the call's eligible kinds",
    check: ({ event }) => {
      const f = submission(event);
      return !f.callEligibleKinds || f.applicantKind === undefined || f.callEligibleKinds.includes(f.applicantKind);
    },
  },
  requestedWithinMaxAmount: {
    kind: "data",
    sv: "Det sökta beloppet är större än utlysningens högsta belopp per ansökan.",
    en: "requestedOre above the call's maxAmountOre",
    check: ({ event }) => {
      const f = submission(event);
      return f.callMaxAmountOre == null || event.type !== "SUBMIT" || event.requestedOre <= f.callMaxAmountOre;
    },
  },
  projectWithinMaxLength: {
    kind: "data",
    sv: "Projektet är längre än utlysningen tillåter, eller projekttiden saknas.",
    en: "project period missing or longer than the call's maxProjectMonths",
    check: ({ event }) => {
      const f = submission(event);
      return f.callMaxProjectMonths == null || (f.projectMonths != null && f.projectMonths <= f.callMaxProjectMonths);
    },
  },
  coversSeveralCounties: {
    kind: "data",
    sv: "Utlysningen kräver att projektet omfattar flera län.",
    en: "the call requires several counties; fewer than two given",
    check: ({ event }) => {
      const f = submission(event);
      return !f.callRequiresMultipleCounties || (f.countyCount ?? 0) >= 2;
    },
  },
  cofundingShareRespected: {
    kind: "data",
    sv: "Det sökta beloppet är en större andel av projektets kostnad än utlysningen tillåter för er typ av organisation. Ange mer medfinansiering eller sök ett lägre belopp.",
    en: "requestedOre above the allowed share of (requested + cofunding) for this kind",
    check: ({ event }) => {
      const f = submission(event);
      if (f.callMaxSharePercent == null || event.type !== "SUBMIT") return true;
      // requested / (requested + cofunding) ≤ share / 100, in whole numbers.
      return event.requestedOre * 100 <= f.callMaxSharePercent * (event.requestedOre + (f.cofundingOre ?? 0));
    },
  },
  beforeCallCloses: {
    kind: "data",
    sv: "Utlysningen har stängt. Ansökan kan inte längre lämnas in.",
    en: "submission at or after callClosesAt",
    check: ({ context, event }) => isBefore(event.at, context.callClosesAt),
  },
  requestedIsPositive: {
    kind: "data",
    sv: "Sökt belopp måste vara större än noll.",
    en: "requestedOre must be > 0",
    check: ({ event }) =>
      event.type === "SUBMIT"
        ? event.requestedOre > 0
        : event.type === "COMPLETE"
          ? event.requestedOre === undefined || event.requestedOre > 0
          : true,
  },
  messageGiven: {
    kind: "data",
    sv: "Skriv vad som behöver kompletteras.",
    en: "message must be non-empty",
    check: ({ event }) => "message" in event && isNonEmptyText(event.message),
  },
  completionDeadlineInFuture: {
    kind: "data",
    sv: "Sista dag för komplettering måste ligga i framtiden.",
    en: "completion deadline must be after the request",
    check: ({ event }) => event.type === "REQUEST_COMPLETION" && isBefore(event.at, event.deadline),
  },
  recommendationGiven: {
    kind: "data",
    sv: "Ange förslag till beslut: bifall, delvis bifall eller avslag.",
    en: "recommendation must be approved, partly_approved or rejected",
    check: ({ event }) => event.type === "PRESENT" && DECISION_OUTCOMES.includes(event.recommendation),
  },
  /** The proposed amount fits the recommendation, as a decision's amount must fit its outcome. */
  proposalMatchesRecommendation: {
    kind: "data",
    sv: "Det föreslagna beloppet stämmer inte med förslaget: bifall avser hela det sökta beloppet, delvis bifall ett lägre belopp (men mer än noll) och avslag noll kronor.",
    en: "proposedGrantOre does not match the recommendation (approved: requested or none; partly: 0 < proposed < requested or none; rejected: 0 or none)",
    check: ({ context, event }) => {
      if (event.type !== "PRESENT") return false;
      const proposed = event.proposedGrantOre;
      switch (event.recommendation) {
        case "approved":
          return proposed === undefined || proposed === context.requestedOre;
        case "partly_approved":
          // No amount leaves it to the decision maker (a batch decision then refuses the case).
          return proposed === undefined || (proposed > 0 && proposed < context.requestedOre);
        case "rejected":
          return proposed === undefined || proposed === 0;
        default:
          return false;
      }
    },
  },
  reasonsGiven: {
    kind: "data",
    sv: "Beslutet eller åtgärden måste motiveras.",
    en: "reasons must be non-empty",
    check: ({ event }) => isNonEmptyText(reasonsOf(event)),
  },
  grantedWithinRequested: {
    kind: "data",
    sv: "Beviljat belopp får inte vara större än det sökta beloppet.",
    en: "grantedOre > requestedOre",
    check: ({ context, event }) => {
      const d = proposedDecision(event);
      return d !== null && d.grantedOre <= context.requestedOre;
    },
  },
  /** Approved = the whole amount, partly approved = 0 < granted < requested, rejected = 0. */
  partlyApprovedIsLess: {
    kind: "data",
    sv: "Bifall avser hela det sökta beloppet, delvis bifall ett lägre belopp (men mer än noll) och avslag noll kronor.",
    en: "outcome does not match amount (approved: granted == requested; partly: 0 < granted < requested; rejected: 0)",
    check: ({ context, event }) => {
      const d = proposedDecision(event);
      if (d === null) return false;
      switch (d.outcome) {
        case "approved":
          return d.grantedOre > 0 && d.grantedOre === context.requestedOre;
        case "partly_approved":
          return d.grantedOre > 0 && d.grantedOre < context.requestedOre;
        case "rejected":
          return d.grantedOre === 0;
        default:
          return false;
      }
    },
  },
  /** Any increase over what is already granted fits in what is left of the call's budget. */
  grantedWithinCallBudget: {
    kind: "data",
    sv: "Beviljat belopp ryms inte i utlysningens återstående budget.",
    en: "grantedOre - current grant > callBudgetLeftOre",
    check: ({ context, event }) => {
      const d = proposedDecision(event);
      if (d === null) return false;
      const increase = d.grantedOre - context.grantedOre;
      return increase <= 0 || (isWholeOre(d.callBudgetLeftOre) && increase <= d.callBudgetLeftOre);
    },
  },
  grantNotBelowPaid: {
    kind: "data",
    sv: "Beviljat belopp kan inte sänkas under det som redan har betalats ut. Använd återkrav i stället.",
    en: "new grantedOre < paidOre",
    check: ({ event }) =>
      (event.type === "CORRECT_DECISION" || event.type === "RECONSIDER_DECISION") &&
      isWholeOre(event.paidOre) &&
      event.grantedOre >= event.paidOre,
  },
  /** During the grant, one decision maker may not raise the amount above the two-decision-maker threshold. */
  increaseWithinSingleDecisionMakerLimit: {
    kind: "data",
    sv: "En höjning över beloppsgränsen kräver två beslutsfattare och kan inte göras genom rättelse eller omprövning.",
    en: "raising a grant above secondDecisionMakerAboveOre needs a new decision by two decision makers",
    check: ({ context, event }) => {
      const d = proposedDecision(event);
      const limit = context.secondDecisionMakerAboveOre;
      return d !== null && (limit === null || d.grantedOre <= Math.max(limit, context.grantedOre));
    },
  },
  reportIsInterim: {
    kind: "data",
    sv: "Det är delredovisningen som står på tur.",
    en: "event kind must be interim in this stage",
    check: ({ event }) => "kind" in event && event.kind === "interim",
  },
  reportIsFinal: {
    kind: "data",
    sv: "Det är slutredovisningen som står på tur.",
    en: "event kind must be final in this stage",
    check: ({ event }) => "kind" in event && event.kind === "final",
  },
  reclaimGroundIsValid: {
    kind: "data",
    sv: "Ange en giltig grund för återkrav.",
    en: "ground is not a reclaim ground",
    check: ({ event }) => event.type === "PROPOSE_RECLAIM" && RECLAIM_GROUNDS.includes(event.ground),
  },
  /** 0 < reclaimed amount <= what has been paid out (`paidOre` from the server). */
  reclaimWithinPaid: {
    kind: "data",
    sv: "Återkravet måste vara större än noll och kan inte vara större än det som har betalats ut.",
    en: "reclaim amount must be > 0 and <= paidOre",
    check: ({ event }) => {
      const amount = reclaimAmount(event);
      const paid = "paidOre" in event ? event.paidOre : undefined;
      return isWholeOre(amount) && isWholeOre(paid) && amount > 0 && amount <= paid;
    },
  },
  dueDateAfterDecision: {
    kind: "data",
    sv: "Förfallodagen för återbetalningen måste ligga efter beslutet.",
    en: "dueDate must be after the decision",
    check: ({ event }) => event.type === "DECIDE_RECLAIM" && isBefore(event.at, event.dueDate),
  },
  waiverWithinOutstanding: {
    kind: "data",
    sv: "Eftergiften måste vara större än noll och kan inte vara större än det som återstår att betala.",
    en: "waivedOre must be > 0 and <= outstanding",
    check: ({ context, event }) =>
      event.type === "WAIVE" &&
      event.waivedOre > 0 &&
      event.waivedOre <= reclaimOutstandingOre(context.reclaim),
  },
  repaymentWithinOutstanding: {
    kind: "data",
    sv: "Det återbetalda beloppet måste vara större än noll och kan inte vara större än det som återstår att betala.",
    en: "amountOre must be > 0 and <= outstanding",
    check: ({ context, event }) =>
      event.type === "MARK_REPAID" &&
      event.amountOre > 0 &&
      event.amountOre <= reclaimOutstandingOre(context.reclaim),
  },
  paymentReferenceGiven: {
    kind: "data",
    sv: "Ange betalningsreferens och betalningsdag.",
    en: "paymentReference and paidOn are required",
    check: ({ event }) =>
      event.type === "MARK_REPAID" && isNonEmptyText(event.paymentReference) && isNonEmptyText(event.paidOn),
  },

  // --- choices between targets (never the reason for a refusal) -----------
  isRejection: {
    kind: "branch",
    sv: "Beslutet är ett avslag.",
    en: "outcome is rejected",
    check: ({ event }) => proposedDecision(event)?.outcome === "rejected",
  },
  isGrant: {
    kind: "branch",
    sv: "Beslutet är bifall eller delvis bifall.",
    en: "outcome is approved or partly_approved",
    check: ({ event }) => {
      const outcome = proposedDecision(event)?.outcome;
      return outcome === "approved" || outcome === "partly_approved";
    },
  },
  secondDecisionMakerAboveThreshold: {
    kind: "branch",
    sv: "Beloppet är så stort att en andra beslutsfattare ska bekräfta beslutet.",
    en: "grantedOre > secondDecisionMakerAboveOre",
    check: ({ context, event }) => {
      const d = proposedDecision(event);
      const limit = context.secondDecisionMakerAboveOre;
      return d !== null && limit !== null && d.grantedOre > limit;
    },
  },
  singleDecisionMakerSuffices: {
    kind: "branch",
    sv: "Beloppet ligger inom gränsen för en beslutsfattare.",
    en: "grantedOre <= secondDecisionMakerAboveOre (or no threshold)",
    check: ({ context, event }) => {
      const d = proposedDecision(event);
      const limit = context.secondDecisionMakerAboveOre;
      return d !== null && (limit === null || d.grantedOre <= limit);
    },
  },
  interimReportRequired: {
    kind: "branch",
    sv: "Bidraget kräver en delredovisning.",
    en: "interim report required",
    check: ({ context }) => context.interimReportRequired,
  },
  interimReportNotRequired: {
    kind: "branch",
    sv: "Bidraget kräver ingen delredovisning.",
    en: "no interim report required",
    check: ({ context }) => !context.interimReportRequired,
  },
  unusedWithinGrant: {
    kind: "data",
    sv: "Det outnyttjade beloppet kan inte vara större än det beviljade beloppet.",
    en: "unusedOre above grantedOre",
    check: ({ context, event }) => event.type !== "APPROVE_REPORT" || (event.unusedOre ?? 0) <= context.grantedOre,
  },
  unusedWasPaidOut: {
    kind: "branch",
    sv: "En del av de outnyttjade medlen har redan betalats ut och ska betalas tillbaka.",
    en: "paid exceeds what was used",
    check: ({ context, event }) => reclaimableFromReport(context, event) > 0,
  },
  unusedNotPaidOut: {
    kind: "branch",
    sv: "De outnyttjade medlen har inte betalats ut; de betalas inte heller ut.",
    en: "nothing paid beyond what was used",
    check: ({ context, event }) => reclaimableFromReport(context, event) === 0,
  },
  hasUnusedFunds: {
    kind: "branch",
    sv: "Redovisningen visar outnyttjade medel.",
    en: "unusedOre > 0",
    check: ({ event }) => event.type === "APPROVE_REPORT" && (event.unusedOre ?? 0) > 0,
  },
  noUnusedFunds: {
    kind: "branch",
    sv: "Redovisningen visar inga outnyttjade medel.",
    en: "unusedOre is 0 or absent",
    check: ({ event }) => event.type === "APPROVE_REPORT" && (event.unusedOre ?? 0) === 0,
  },
  reclaimCameFromFinalReport: {
    kind: "branch",
    sv: "Återkravet gäller outnyttjade medel enligt slutredovisningen.",
    en: "reclaim origin is final_report",
    check: ({ context }) => context.reclaim?.origin === "final_report",
  },
  reclaimCameFromGrant: {
    kind: "branch",
    sv: "Återkravet föreslogs under bidragstiden.",
    en: "reclaim origin is grant",
    check: ({ context }) => context.reclaim?.origin === "grant",
  },
  waivesAllOutstanding: {
    kind: "branch",
    sv: "Eftergiften gäller hela det återstående beloppet.",
    en: "waivedOre == outstanding",
    check: ({ context, event }) =>
      event.type === "WAIVE" && event.waivedOre === reclaimOutstandingOre(context.reclaim),
  },
  waivesPartOfOutstanding: {
    kind: "branch",
    sv: "Eftergiften gäller en del av det återstående beloppet.",
    en: "waivedOre < outstanding",
    check: ({ context, event }) =>
      event.type === "WAIVE" && event.waivedOre < reclaimOutstandingOre(context.reclaim),
  },
  repaysAllOutstanding: {
    kind: "branch",
    sv: "Hela det återstående beloppet är återbetalt.",
    en: "amountOre == outstanding",
    check: ({ context, event }) =>
      event.type === "MARK_REPAID" && event.amountOre === reclaimOutstandingOre(context.reclaim),
  },
  repaysPartOfOutstanding: {
    kind: "branch",
    sv: "En del av det återstående beloppet är återbetalt.",
    en: "amountOre < outstanding",
    check: ({ context, event }) =>
      event.type === "MARK_REPAID" && event.amountOre < reclaimOutstandingOre(context.reclaim),
  },
} satisfies Record<string, ApplicationRule>;

export type ApplicationRuleName = keyof typeof applicationRules;

// Rule sets shared by several transitions. Branch selectors come last.
const applicantRules = ["isApplicant", "hasNoConflictOfInterest"] as const;
const officerRules = ["isOfficer", "hasNoConflictOfInterest"] as const;
const decisionRules = [
  "isDecisionMaker",
  "hasNoConflictOfInterest",
  "fourEyes",
  "amountsInWholeOre",
  "reasonsGiven",
  "grantedWithinRequested",
  "partlyApprovedIsLess",
  "grantedWithinCallBudget",
] as const;
const grantPhaseChangeRules = [...decisionRules, "grantNotBelowPaid", "increaseWithinSingleDecisionMakerLimit"] as const;
const confirmRules = ["isDecisionMaker", "hasNoConflictOfInterest", "fourEyes", "confirmedByAnotherDecisionMaker"] as const;
const reclaimDeciderRules = ["isReclaimDecider", "hasNoConflictOfInterest", "fourEyesOnReclaim"] as const;

// ---------------------------------------------------------------------------
// Effects: named actions the server carries out as database writes
// ---------------------------------------------------------------------------

export const applicationEffects = [
  "registerApplication",
  "assignCaseOfficer",
  "requestCompletion",
  "recordCompletion",
  "recordPresentation",
  "recordReturn",
  "recordPendingDecision",
  "recordDecision",
  "recordDecisionChange",
  "reserveBudget",
  "releaseBudget",
  "createGrant",
  "adjustGrant",
  "cancelGrant",
  "createPaymentPlan",
  "setReportDueDates",
  "recordConflictOfInterest",
  "recordWithdrawal",
  "recordReportSubmission",
  "requestReportCompletion",
  "recordReportApproval",
  "closeGrant",
  "proposeReclaim",
  "limitPaymentsToUsed",
  "recordReclaimDecision",
  "recordReclaimRejection",
  "recordWaiver",
  "recordRepayment",
  "closeCase",
] as const;
export type ApplicationEffect = (typeof applicationEffects)[number];

/** Params the server receives with some effects (see `applyEvent(...).effects`). */
export type ApplicationEffectParams = {
  reserveBudget: { amountOre: Ore };
  releaseBudget: { amountOre: Ore };
  adjustGrant: { fromOre: Ore; toOre: Ore };
  recordDecision: { outcome: DecisionOutcome; grantedOre: Ore };
  proposeReclaim: { amountOre: Ore; ground: ReclaimGround };
  /** After the final report: pay out no more than was used. */
  limitPaymentsToUsed: { usedOre: Ore };
};

const withParams =
  <P>() =>
  (_args: unknown, _params: P): void => {};

// ---------------------------------------------------------------------------
// Machine
// ---------------------------------------------------------------------------

const decisionRecord = (
  kind: DecisionKind,
  context: ApplicationContext,
  event: ApplicationEvent,
): DecisionRecord | null => {
  const d = proposedDecision(event);
  if (d === null) return null;
  return {
    kind,
    outcome: d.outcome,
    grantedOre: d.grantedOre,
    reasons: d.reasons,
    decidedBy: userOf(event),
    decidedAt: event.at,
    presentedBy: context.presentedBy,
    confirmedBy: null,
    confirmedAt: null,
  };
};

const changeKindOf = (event: ApplicationEvent): "correction" | "reconsideration" =>
  event.type === "CORRECT_DECISION" ? "correction" : "reconsideration";

const reportStep = (
  step: ReportStep["step"],
  event: ApplicationEvent,
): ReportStep => ({
  kind: "kind" in event ? event.kind : "final",
  step,
  by: userOf(event),
  at: event.at,
  message: "message" in event && typeof event.message === "string" ? event.message : null,
  unusedOre: "unusedOre" in event && event.unusedOre !== undefined ? event.unusedOre : null,
});

const newReclaim = (
  origin: ReclaimRecord["origin"],
  ground: ReclaimGround,
  amountOre: Ore,
  reasons: string,
  event: ApplicationEvent,
): ReclaimRecord => ({
  origin,
  ground,
  proposedOre: amountOre,
  proposedBy: userOf(event),
  proposedAt: event.at,
  reasons,
  decidedOre: null,
  decidedBy: null,
  decidedAt: null,
  dueDate: null,
  waivedOre: 0,
  waivers: [],
  repaidOre: 0,
  repayments: [],
  rejectedBy: null,
  rejectionReasons: null,
});

export const applicationMachine = setup({
  types: {
    context: {} as ApplicationContext,
    events: {} as ApplicationEvent,
    input: {} as ApplicationInput,
  },
  guards: guardsOf(applicationRules),
  actions: {
    // Effects for the server (no implementation here).
    registerApplication: serverEffect,
    assignCaseOfficer: serverEffect,
    requestCompletion: serverEffect,
    recordCompletion: serverEffect,
    recordPresentation: serverEffect,
    recordReturn: serverEffect,
    recordPendingDecision: serverEffect,
    recordDecision: withParams<ApplicationEffectParams["recordDecision"]>(),
    recordDecisionChange: serverEffect,
    reserveBudget: withParams<ApplicationEffectParams["reserveBudget"]>(),
    releaseBudget: withParams<ApplicationEffectParams["releaseBudget"]>(),
    createGrant: serverEffect,
    adjustGrant: withParams<ApplicationEffectParams["adjustGrant"]>(),
    cancelGrant: serverEffect,
    createPaymentPlan: serverEffect,
    setReportDueDates: serverEffect,
    recordConflictOfInterest: serverEffect,
    recordWithdrawal: serverEffect,
    recordReportSubmission: serverEffect,
    requestReportCompletion: serverEffect,
    recordReportApproval: serverEffect,
    closeGrant: serverEffect,
    proposeReclaim: withParams<ApplicationEffectParams["proposeReclaim"]>(),
    limitPaymentsToUsed: withParams<ApplicationEffectParams["limitPaymentsToUsed"]>(),
    recordReclaimDecision: serverEffect,
    recordReclaimRejection: serverEffect,
    recordWaiver: serverEffect,
    recordRepayment: serverEffect,
    closeCase: serverEffect,

    // Context updates.
    storeSubmission: assign(({ event }) =>
      event.type === "SUBMIT"
        ? { requestedOre: event.requestedOre, submittedBy: userOf(event), submittedAt: event.at }
        : {},
    ),
    storeCaseOfficer: assign({ caseOfficer: ({ event }) => userOf(event) }),
    storeCompletionRequest: assign({
      completionRequests: ({ context, event }) =>
        event.type === "REQUEST_COMPLETION"
          ? [
              ...context.completionRequests,
              {
                message: event.message,
                deadline: event.deadline,
                requestedBy: userOf(event),
                requestedAt: event.at,
                closedAt: null,
                completed: false,
              },
            ]
          : context.completionRequests,
    }),
    storeCompletionClosed: assign(({ context, event }) => {
      const completed = event.type === "COMPLETE";
      const requests = context.completionRequests.map((r, i, all) =>
        i === all.length - 1 ? { ...r, closedAt: event.at, completed } : r,
      );
      const requestedOre =
        event.type === "COMPLETE" && event.requestedOre !== undefined ? event.requestedOre : context.requestedOre;
      return { completionRequests: requests, requestedOre };
    }),
    storePresentation: assign(({ event }) =>
      event.type === "PRESENT"
        ? {
            presentedBy: userOf(event),
            presentedAt: event.at,
            recommendation: event.recommendation,
            proposedGrantOre: event.proposedGrantOre ?? null,
          }
        : {},
    ),
    storeReturnToAssessment: assign({
      returns: ({ context, event }) => [
        ...context.returns,
        { kind: "to_assessment" as const, by: userOf(event), at: event.at, reasons: String(reasonsOf(event)) },
      ],
    }),
    storeFirstDecision: assign(({ context, event }) => {
      const decision = decisionRecord("decision", context, event);
      return decision ? { decision, grantedOre: decision.grantedOre } : {};
    }),
    storePendingDecision: assign(({ context, event }) => ({
      pendingDecision: decisionRecord(event.type === "DECIDE" ? "decision" : changeKindOf(event), context, event),
    })),
    storeConfirmedDecision: assign(({ context, event }) => {
      const pending = context.pendingDecision;
      if (pending === null) return {};
      const decision: DecisionRecord = { ...pending, confirmedBy: userOf(event), confirmedAt: event.at };
      const changes =
        pending.kind !== "decision" && context.decision !== null
          ? [
              ...context.decisionChanges,
              {
                kind: pending.kind,
                by: pending.decidedBy,
                at: pending.decidedAt,
                reasons: pending.reasons,
                from: { outcome: context.decision.outcome, grantedOre: context.decision.grantedOre },
                to: { outcome: pending.outcome, grantedOre: pending.grantedOre },
              },
            ]
          : context.decisionChanges;
      return { decision, grantedOre: decision.grantedOre, pendingDecision: null, decisionChanges: changes };
    }),
    storeDecisionNotConfirmed: assign(({ context, event }) => ({
      pendingDecision: null,
      returns: [
        ...context.returns,
        { kind: "decision_not_confirmed" as const, by: userOf(event), at: event.at, reasons: String(reasonsOf(event)) },
      ],
    })),
    storeDecisionChange: assign(({ context, event }) => {
      const next = decisionRecord(changeKindOf(event), context, event);
      if (next === null || context.decision === null) return {};
      const change: DecisionChange = {
        kind: changeKindOf(event),
        by: next.decidedBy,
        at: next.decidedAt,
        reasons: next.reasons,
        from: { outcome: context.decision.outcome, grantedOre: context.decision.grantedOre },
        to: { outcome: next.outcome, grantedOre: next.grantedOre },
      };
      return {
        decision: { ...next, presentedBy: context.decision.presentedBy },
        grantedOre: next.grantedOre,
        decisionChanges: [...context.decisionChanges, change],
      };
    }),
    storeConflictOfInterest: assign({
      conflictOfInterestUserIds: ({ context, event }) => [...context.conflictOfInterestUserIds, userOf(event)],
    }),
    storeWithdrawal: assign({
      withdrawnBy: ({ event }) => userOf(event),
      withdrawnAt: ({ event }) => event.at,
      pendingDecision: () => null,
    }),
    storeReportSubmitted: assign({
      reportLog: ({ context, event }) => [...context.reportLog, reportStep("submitted", event)],
    }),
    storeReportResubmitted: assign({
      reportLog: ({ context, event }) => [...context.reportLog, reportStep("resubmitted", event)],
    }),
    storeReportCompletionRequest: assign({
      reportLog: ({ context, event }) => [...context.reportLog, reportStep("completion_requested", event)],
    }),
    storeReportApproval: assign(({ context, event }) => ({
      reportLog: [...context.reportLog, reportStep("approved", event)],
      reportsApproved:
        "kind" in event && event.kind === "interim"
          ? { ...context.reportsApproved, interim: true }
          : { ...context.reportsApproved, final: true },
    })),
    storeReclaimFromReport: assign({
      reclaim: ({ context, event }) =>
        newReclaim(
          "final_report",
          UNUSED_FUNDS_RECLAIM_GROUND,
          reclaimableFromReport(context, event),
          "Outnyttjade medel enligt slutredovisningen.",
          event,
        ),
    }),
    storeReclaimProposal: assign({
      reclaim: ({ context, event }) =>
        event.type === "PROPOSE_RECLAIM"
          ? newReclaim("grant", event.ground, event.amountOre, event.reasons, event)
          : context.reclaim,
    }),
    storeReclaimDecision: assign({
      reclaim: ({ context, event }) =>
        context.reclaim && event.type === "DECIDE_RECLAIM"
          ? {
              ...context.reclaim,
              decidedOre: event.amountOre,
              decidedBy: userOf(event),
              decidedAt: event.at,
              dueDate: event.dueDate,
            }
          : context.reclaim,
    }),
    storeReclaimRejection: assign({
      reclaim: ({ context, event }) =>
        context.reclaim
          ? { ...context.reclaim, rejectedBy: userOf(event), rejectionReasons: String(reasonsOf(event)) }
          : null,
    }),
    storeWaiver: assign({
      reclaim: ({ context, event }) =>
        context.reclaim && event.type === "WAIVE"
          ? {
              ...context.reclaim,
              waivedOre: context.reclaim.waivedOre + event.waivedOre,
              waivers: [
                ...context.reclaim.waivers,
                { waivedOre: event.waivedOre, by: userOf(event), at: event.at, reasons: event.reasons },
              ],
            }
          : context.reclaim,
    }),
    storeRepayment: assign({
      reclaim: ({ context, event }) =>
        context.reclaim && event.type === "MARK_REPAID"
          ? {
              ...context.reclaim,
              repaidOre: context.reclaim.repaidOre + event.amountOre,
              repayments: [
                ...context.reclaim.repayments,
                {
                  amountOre: event.amountOre,
                  by: userOf(event),
                  paidOn: event.paidOn,
                  paymentReference: event.paymentReference,
                },
              ],
            }
          : context.reclaim,
    }),
  },
}).createMachine({
  id: APPLICATION_MACHINE_ID,
  context: ({ input }) => ({
    callClosesAt: input.callClosesAt,
    secondDecisionMakerAboveOre: input.secondDecisionMakerAboveOre,
    interimReportRequired: input.interimReportRequired,
    requestedOre: input.requestedOre ?? 0,
    submittedBy: null,
    submittedAt: null,
    caseOfficer: null,
    conflictOfInterestUserIds: [],
    completionRequests: [],
    returns: [],
    presentedBy: null,
    presentedAt: null,
    recommendation: null,
    proposedGrantOre: null,
    pendingDecision: null,
    decision: null,
    grantedOre: 0,
    decisionChanges: [],
    reportsApproved: { interim: false, final: false },
    reportLog: [],
    reclaim: null,
    withdrawnBy: null,
    withdrawnAt: null,
  }),
  initial: "draft",
  on: {
    // In any state that is not final (final states take no events).
    DECLARE_CONFLICT_OF_INTEREST: {
      guard: and(["mayDeclareConflictOfInterest", "conflictNotAlreadyDeclared"]),
      actions: ["recordConflictOfInterest", "storeConflictOfInterest"],
    },
  },
  states: {
    draft: {
      on: {
        SUBMIT: {
          guard: and([
            ...applicantRules,
            "amountsInWholeOre",
            "requestedIsPositive",
            "callIsOpen",
            "beforeCallCloses",
            "applicantKindEligible",
            "requestedWithinMaxAmount",
            "projectWithinMaxLength",
            "coversSeveralCounties",
            "cofundingShareRespected",
          ]),
          target: "submitted",
          actions: ["registerApplication", "storeSubmission"],
        },
        WITHDRAW: { guard: and([...applicantRules]), target: "withdrawn", actions: ["recordWithdrawal", "storeWithdrawal"] },
      },
    },
    submitted: {
      on: {
        START_ASSESSMENT: {
          guard: and([...officerRules]),
          target: "inAssessment",
          actions: ["assignCaseOfficer", "storeCaseOfficer"],
        },
        WITHDRAW: { guard: and([...applicantRules]), target: "withdrawn", actions: ["recordWithdrawal", "storeWithdrawal"] },
      },
    },
    inAssessment: {
      on: {
        REQUEST_COMPLETION: {
          guard: and([...officerRules, "messageGiven", "completionDeadlineInFuture"]),
          target: "completionRequested",
          actions: ["requestCompletion", "storeCompletionRequest"],
        },
        PRESENT: {
          guard: and([...officerRules, "amountsInWholeOre", "recommendationGiven", "proposalMatchesRecommendation"]),
          target: "presented",
          actions: ["recordPresentation", "storePresentation"],
        },
        WITHDRAW: { guard: and([...applicantRules]), target: "withdrawn", actions: ["recordWithdrawal", "storeWithdrawal"] },
      },
    },
    completionRequested: {
      on: {
        COMPLETE: {
          guard: and([...applicantRules, "amountsInWholeOre", "requestedIsPositive"]),
          target: "inAssessment",
          actions: ["recordCompletion", "storeCompletionClosed"],
        },
        /** The officer goes on without the completion (e.g. the deadline passed). */
        RESUME_ASSESSMENT: {
          guard: and([...officerRules]),
          target: "inAssessment",
          actions: ["storeCompletionClosed"],
        },
        WITHDRAW: { guard: and([...applicantRules]), target: "withdrawn", actions: ["recordWithdrawal", "storeWithdrawal"] },
      },
    },
    presented: {
      on: {
        DECIDE: [
          {
            guard: and([...decisionRules, "isRejection"]),
            target: "rejected",
            actions: [
              { type: "recordDecision", params: ({ event }) => decisionParams(event) },
              "storeFirstDecision",
            ],
          },
          {
            guard: and([...decisionRules, "isGrant", "secondDecisionMakerAboveThreshold"]),
            target: "awaitingSecondDecision",
            actions: [
              "recordPendingDecision",
              { type: "reserveBudget", params: ({ context, event }) => increaseParams(context, event) },
              "storePendingDecision",
            ],
          },
          {
            guard: and([...decisionRules, "isGrant", "singleDecisionMakerSuffices"]),
            target: "grantActive",
            actions: [
              { type: "recordDecision", params: ({ event }) => decisionParams(event) },
              { type: "reserveBudget", params: ({ context, event }) => increaseParams(context, event) },
              "createGrant",
              "createPaymentPlan",
              "setReportDueDates",
              "storeFirstDecision",
            ],
          },
        ],
        RETURN_TO_ASSESSMENT: {
          guard: and(["isDecisionMaker", "hasNoConflictOfInterest", "reasonsGiven"]),
          target: "inAssessment",
          actions: ["recordReturn", "storeReturnToAssessment"],
        },
        WITHDRAW: { guard: and([...applicantRules]), target: "withdrawn", actions: ["recordWithdrawal", "storeWithdrawal"] },
      },
    },
    awaitingSecondDecision: {
      on: {
        CONFIRM_DECISION: {
          guard: and([...confirmRules]),
          target: "grantActive",
          actions: [
            { type: "recordDecision", params: ({ context }) => pendingDecisionParams(context) },
            "createGrant",
            "createPaymentPlan",
            "setReportDueDates",
            "storeConfirmedDecision",
          ],
        },
        /** The second decision maker does not confirm: back to the presented case, budget released. */
        RETURN_DECISION: {
          guard: and([...confirmRules, "reasonsGiven"]),
          target: "presented",
          actions: [
            "recordReturn",
            { type: "releaseBudget", params: ({ context }) => pendingReleaseParams(context) },
            "storeDecisionNotConfirmed",
          ],
        },
        WITHDRAW: {
          guard: and([...applicantRules]),
          target: "withdrawn",
          actions: [
            "recordWithdrawal",
            { type: "releaseBudget", params: ({ context }) => pendingReleaseParams(context) },
            "storeWithdrawal",
          ],
        },
      },
    },
    rejected: {
      // Not final: a rejection can be corrected or reconsidered (also after an appeal).
      on: {
        CORRECT_DECISION: changeOfRejection(),
        RECONSIDER_DECISION: changeOfRejection(),
      },
    },
    withdrawn: { type: "final" },
    grantActive: {
      initial: "start",
      on: {
        PROPOSE_RECLAIM: {
          guard: and([...officerRules, "amountsInWholeOre", "reclaimGroundIsValid", "reasonsGiven", "reclaimWithinPaid"]),
          target: "reclaim",
          actions: [
            { type: "proposeReclaim", params: ({ event }) => reclaimParams(event) },
            "storeReclaimProposal",
          ],
        },
        CORRECT_DECISION: changeDuringGrant(),
        RECONSIDER_DECISION: changeDuringGrant(),
      },
      states: {
        /** Transient: goes straight on to the first report that is due. */
        start: {
          always: [
            { guard: "interimReportRequired", target: "interimReport" },
            { guard: "interimReportNotRequired", target: "finalReport" },
          ],
        },
        interimReport: reportStates("interim"),
        finalReport: reportStates("final"),
        /** Where a rejected reclaim proposal returns to (deep history). */
        resume: { type: "history", history: "deep" },
      },
    },
    reclaim: {
      initial: "proposed",
      states: {
        proposed: {
          on: {
            DECIDE_RECLAIM: {
              guard: and([...reclaimDeciderRules, "amountsInWholeOre", "reasonsGiven", "reclaimWithinPaid", "dueDateAfterDecision"]),
              target: "decided",
              actions: ["recordReclaimDecision", "storeReclaimDecision"],
            },
            REJECT_RECLAIM: [
              {
                guard: and([...reclaimDeciderRules, "reasonsGiven", "reclaimCameFromFinalReport"]),
                target: "#application.closed",
                actions: ["recordReclaimRejection", "closeGrant", "storeReclaimRejection"],
              },
              {
                guard: and([...reclaimDeciderRules, "reasonsGiven", "reclaimCameFromGrant"]),
                target: "#application.grantActive.resume",
                actions: ["recordReclaimRejection", "storeReclaimRejection"],
              },
            ],
          },
        },
        decided: {
          on: {
            WAIVE: [
              {
                guard: and([...reclaimDeciderRules, "amountsInWholeOre", "reasonsGiven", "waiverWithinOutstanding", "waivesAllOutstanding"]),
                target: "waived",
                actions: ["recordWaiver", "storeWaiver"],
              },
              {
                // A partial waiver leaves the rest due.
                guard: and([...reclaimDeciderRules, "amountsInWholeOre", "reasonsGiven", "waiverWithinOutstanding", "waivesPartOfOutstanding"]),
                actions: ["recordWaiver", "storeWaiver"],
              },
            ],
            MARK_REPAID: [
              {
                guard: and(["isFinance", "hasNoConflictOfInterest", "amountsInWholeOre", "paymentReferenceGiven", "repaymentWithinOutstanding", "repaysAllOutstanding"]),
                target: "repaid",
                actions: ["recordRepayment", "storeRepayment"],
              },
              {
                // A part payment leaves the rest due.
                guard: and(["isFinance", "hasNoConflictOfInterest", "amountsInWholeOre", "paymentReferenceGiven", "repaymentWithinOutstanding", "repaysPartOfOutstanding"]),
                actions: ["recordRepayment", "storeRepayment"],
              },
            ],
          },
        },
        repaid: {
          on: { CLOSE_CASE: { guard: and(["isOfficerOrFinance", "hasNoConflictOfInterest"]), target: "#application.closed", actions: ["closeCase"] } },
        },
        waived: {
          on: { CLOSE_CASE: { guard: and(["isOfficerOrFinance", "hasNoConflictOfInterest"]), target: "#application.closed", actions: ["closeCase"] } },
        },
      },
    },
    closed: { type: "final" },
  },
});

// ---------------------------------------------------------------------------
// Transition builders (kept below the machine so the chart reads first)
// ---------------------------------------------------------------------------

function decisionParams(event: ApplicationEvent): ApplicationEffectParams["recordDecision"] {
  const d = proposedDecision(event);
  return { outcome: d?.outcome ?? "rejected", grantedOre: d?.grantedOre ?? 0 };
}

function pendingDecisionParams(context: ApplicationContext): ApplicationEffectParams["recordDecision"] {
  return {
    outcome: context.pendingDecision?.outcome ?? "rejected",
    grantedOre: context.pendingDecision?.grantedOre ?? 0,
  };
}

/** The budget to reserve: the increase over what is granted now. */
function increaseParams(context: ApplicationContext, event: ApplicationEvent): ApplicationEffectParams["reserveBudget"] {
  return { amountOre: Math.max(0, (proposedDecision(event)?.grantedOre ?? 0) - context.grantedOre) };
}

function pendingReleaseParams(context: ApplicationContext): ApplicationEffectParams["releaseBudget"] {
  return { amountOre: Math.max(0, (context.pendingDecision?.grantedOre ?? 0) - context.grantedOre) };
}

function usedParams(context: ApplicationContext, event: ApplicationEvent): ApplicationEffectParams["limitPaymentsToUsed"] {
  return { usedOre: context.grantedOre - (event.type === "APPROVE_REPORT" ? (event.unusedOre ?? 0) : 0) };
}

function reclaimParams(event: ApplicationEvent): ApplicationEffectParams["proposeReclaim"] {
  return {
    amountOre: reclaimAmount(event) ?? 0,
    ground: event.type === "PROPOSE_RECLAIM" ? event.ground : UNUSED_FUNDS_RECLAIM_GROUND,
  };
}

/** CORRECT_DECISION / RECONSIDER_DECISION on `rejected`: same branches as DECIDE. */
function changeOfRejection() {
  return [
    {
      guard: and([...decisionRules, "isRejection"]),
      actions: ["recordDecisionChange", "storeDecisionChange"],
    },
    {
      guard: and([...decisionRules, "isGrant", "secondDecisionMakerAboveThreshold"]),
      target: "awaitingSecondDecision",
      actions: [
        "recordPendingDecision",
        {
          type: "reserveBudget",
          params: ({ context, event }: Args) => increaseParams(context, event),
        },
        "storePendingDecision",
      ],
    },
    {
      guard: and([...decisionRules, "isGrant", "singleDecisionMakerSuffices"]),
      target: "grantActive",
      actions: [
        "recordDecisionChange",
        {
          type: "reserveBudget",
          params: ({ context, event }: Args) => increaseParams(context, event),
        },
        "createGrant",
        "createPaymentPlan",
        "setReportDueDates",
        "storeDecisionChange",
      ],
    },
  ] as const;
}

/** CORRECT_DECISION / RECONSIDER_DECISION during the grant: change the amount, or reject (only if nothing was paid). */
function changeDuringGrant() {
  return [
    {
      guard: and([...grantPhaseChangeRules, "isRejection"]),
      target: "#application.rejected",
      actions: [
        "recordDecisionChange",
        {
          type: "releaseBudget",
          params: ({ context }: Args) => ({ amountOre: context.grantedOre }),
        },
        "cancelGrant",
        "storeDecisionChange",
      ],
    },
    {
      guard: and([...grantPhaseChangeRules, "isGrant"]),
      actions: [
        "recordDecisionChange",
        {
          type: "adjustGrant",
          params: ({ context, event }: Args) => ({
            fromOre: context.grantedOre,
            toOre: proposedDecision(event)?.grantedOre ?? context.grantedOre,
          }),
        },
        "storeDecisionChange",
      ],
    },
  ] as const;
}

/** One report's life: due → submitted → (completionRequested ⇄ resubmitted) → approved. */
function reportStates(kind: ReportKind) {
  const isKind = kind === "interim" ? "reportIsInterim" : "reportIsFinal";
  const submit = (target: "submitted" | "resubmitted") => ({
    guard: and([...applicantRules, "amountsInWholeOre", isKind]),
    target,
    actions: ["recordReportSubmission", target === "submitted" ? "storeReportSubmitted" : "storeReportResubmitted"],
  }) as const;
  const requestCompletion = {
    guard: and([...officerRules, isKind, "messageGiven"]),
    target: "completionRequested",
    actions: ["requestReportCompletion", "storeReportCompletionRequest"],
  } as const;
  const approve =
    kind === "interim"
      ? [
          {
            guard: and([...officerRules, "amountsInWholeOre", isKind]),
            target: "#application.grantActive.finalReport",
            actions: ["recordReportApproval", "storeReportApproval"],
          },
        ] as const
      : ([
          {
            // Money left unused and some of it already paid: pay no more than was used, and
            // propose a reclaim of exactly what was paid beyond that.
            guard: and([...officerRules, "amountsInWholeOre", isKind, "unusedWithinGrant", "hasUnusedFunds", "unusedWasPaidOut"]),
            target: "#application.reclaim",
            actions: [
              "recordReportApproval",
              { type: "limitPaymentsToUsed", params: ({ context, event }: Args) => usedParams(context, event) },
              {
                type: "proposeReclaim",
                params: ({ context, event }: Args) => ({ amountOre: reclaimableFromReport(context, event), ground: UNUSED_FUNDS_RECLAIM_GROUND }),
              },
              "storeReportApproval",
              "storeReclaimFromReport",
            ],
          },
          {
            // Money left unused but not yet paid out: the remaining instalments shrink; nothing to reclaim.
            guard: and([...officerRules, "amountsInWholeOre", isKind, "unusedWithinGrant", "hasUnusedFunds", "unusedNotPaidOut"]),
            target: "#application.closed",
            actions: [
              "recordReportApproval",
              { type: "limitPaymentsToUsed", params: ({ context, event }: Args) => usedParams(context, event) },
              "closeGrant",
              "storeReportApproval",
            ],
          },
          {
            guard: and([...officerRules, "amountsInWholeOre", isKind, "noUnusedFunds"]),
            target: "#application.closed",
            actions: ["recordReportApproval", "closeGrant", "storeReportApproval"],
          },
        ] as const);
  return {
    initial: "due",
    states: {
      due: { on: { SUBMIT_REPORT: submit("submitted") } },
      submitted: { on: { REQUEST_REPORT_COMPLETION: requestCompletion, APPROVE_REPORT: approve } },
      completionRequested: { on: { SUBMIT_REPORT: submit("resubmitted") } },
      resubmitted: { on: { REQUEST_REPORT_COMPLETION: requestCompletion, APPROVE_REPORT: approve } },
    },
  } as const;
}

// ---------------------------------------------------------------------------
// Representative events (for the UI's "which buttons" question)
// ---------------------------------------------------------------------------

/**
 * A representative event of each type, chosen to pass the data rules where the
 * machine can tell how (a rejection for DECIDE, the current stage's report kind,
 * the outstanding amount for WAIVE...). Time: one millisecond before the call
 * closes for SUBMIT, a fixed instant otherwise. Pass `at` in candidate events
 * to have deadlines applied.
 */
export function applicationSampleEvent(
  type: ApplicationEventType,
  snapshot: { context: ApplicationContext; value: unknown },
): WithoutActor<ApplicationEvent> {
  const c = snapshot.context;
  const at = PROBE_TIME;
  const reasons = "–";
  const reportKind: ReportKind = stateKey(snapshot).startsWith("grantActive.interimReport") ? "interim" : "final";
  const current = c.decision ?? { outcome: "rejected" as const, grantedOre: 0 };
  switch (type) {
    case "SUBMIT":
      return { type, at: instantBefore(c.callClosesAt), requestedOre: c.requestedOre > 0 ? c.requestedOre : 1 };
    case "REQUEST_COMPLETION":
      return { type, at, message: "–", deadline: PROBE_FAR_FUTURE };
    case "PRESENT":
      return { type, at, recommendation: "approved" };
    case "RETURN_TO_ASSESSMENT":
    case "RETURN_DECISION":
    case "REJECT_RECLAIM":
      return { type, at, reasons };
    case "WITHDRAW":
      return { type, at };
    case "DECIDE":
      return { type, at, outcome: "rejected", grantedOre: 0, callBudgetLeftOre: 0, reasons };
    case "CORRECT_DECISION":
    case "RECONSIDER_DECISION":
      return {
        type,
        at,
        outcome: current.outcome,
        grantedOre: current.grantedOre,
        callBudgetLeftOre: 0,
        paidOre: 0,
        reasons,
      };
    case "SUBMIT_REPORT":
      return { type, at, kind: reportKind };
    case "REQUEST_REPORT_COMPLETION":
      return { type, at, kind: reportKind, message: "–" };
    case "APPROVE_REPORT":
      return { type, at, kind: reportKind, unusedOre: 0 };
    case "PROPOSE_RECLAIM":
      return { type, at, ground: "conditions_not_followed", amountOre: 1, paidOre: 1, reasons };
    case "DECIDE_RECLAIM": {
      const amount = Math.max(1, c.reclaim?.proposedOre ?? 1);
      return { type, at, amountOre: amount, paidOre: amount, dueDate: PROBE_FAR_FUTURE, reasons };
    }
    case "WAIVE":
      return { type, at, waivedOre: reclaimOutstandingOre(c.reclaim), reasons };
    case "MARK_REPAID":
      return { type, at, amountOre: reclaimOutstandingOre(c.reclaim), paidOn: at, paymentReference: "–" };
    default:
      return { type, at } as WithoutActor<ApplicationEvent>;
  }
}
