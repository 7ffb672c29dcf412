/**
 * Disbursement (utbetalning), one instalment of a grant:
 *
 *   planned ─REQUEST_PAYMENT→ requested ─ATTEST→ attested ─MARK_PAID→ paid
 *   planned ─ATTEST→ attested                 (when no payment request is required)
 *   planned ─LAPSE→ lapsed                    (request required, deadline passed; background job)
 *   planned | requested | attested ─CANCEL→ cancelled
 *
 * Facts only the database knows come with the event, supplied by the server:
 * `grantOre` (the grant in force), `otherDisbursementsOre` (sum of the grant's
 * OTHER disbursements that are attested or paid), `reportsApproved` (from the
 * application's context) and `conflictOfInterestUserIds` (the case's jäv list,
 * from the application's context).
 */
import { and, assign, setup } from "xstate";
import {
  type BaseEvent,
  type IsoDateTime,
  type Ore,
  type Rule,
  type WithoutActor,
  PROBE_TIME,
  allAmountsInWholeOre,
  guardsOf,
  hasRole,
  instantBefore,
  isAtOrAfter,
  isBefore,
  isNonEmptyText,
  isWholeOre,
  serverEffectsOf,
} from "./types";

export const DISBURSEMENT_MACHINE_ID = "disbursement";
/** Bump when a change makes stored snapshots incompatible. */
export const DISBURSEMENT_MACHINE_VERSION = 1;

// ---------------------------------------------------------------------------
// Input, context, events
// ---------------------------------------------------------------------------

/** When an instalment may be paid. */
export type DisbursementTrigger = "at_start" | "after_interim_report" | "after_final_report";
export const DISBURSEMENT_TRIGGERS: readonly DisbursementTrigger[] = [
  "at_start",
  "after_interim_report",
  "after_final_report",
];

export type DisbursementInput = {
  amountOre: Ore;
  trigger: DisbursementTrigger;
  /** userId of the officer who planned the instalment (attester must be someone else) */
  plannedBy: string;
  plannedDate?: IsoDateTime | null;
  /** Must the recipient request (rekvirera) the money? */
  paymentRequestRequired: boolean;
  /** Instant the right to request lapses; required when paymentRequestRequired. */
  requestDeadline: IsoDateTime | null;
};

export type DisbursementContext = {
  amountOre: Ore;
  trigger: DisbursementTrigger;
  plannedBy: string;
  plannedDate: IsoDateTime | null;
  paymentRequestRequired: boolean;
  requestDeadline: IsoDateTime | null;
  requestedBy: string | null;
  requestedAt: IsoDateTime | null;
  attestedBy: string | null;
  attestedAt: IsoDateTime | null;
  paidBy: string | null;
  paidOn: IsoDateTime | null;
  paymentReference: string | null;
  lapsedAt: IsoDateTime | null;
  cancelledBy: string | null;
  cancelledAt: IsoDateTime | null;
  cancellationReasons: string | null;
};

/** The case's jäv list, supplied by the server on every event a person sends. */
type CaseFacts = { conflictOfInterestUserIds: string[] };

export type DisbursementEvent =
  | ({ type: "REQUEST_PAYMENT" } & CaseFacts & BaseEvent)
  | ({
      type: "ATTEST";
      grantOre: Ore;
      otherDisbursementsOre: Ore;
      reportsApproved: { interim: boolean; final: boolean };
    } & CaseFacts &
      BaseEvent)
  | ({ type: "MARK_PAID"; paymentReference: string; paidOn: IsoDateTime } & CaseFacts & BaseEvent)
  | ({ type: "LAPSE" } & BaseEvent)
  | ({ type: "CANCEL"; reasons: string } & CaseFacts & BaseEvent)
  /** Sent by the server when a changed decision or an approved final report replaces the payment plan. */
  | ({ type: "SUPERSEDE"; reasons: string } & BaseEvent);

export type DisbursementEventType = DisbursementEvent["type"];

export const disbursementEventTypes = [
  "REQUEST_PAYMENT",
  "ATTEST",
  "MARK_PAID",
  "LAPSE",
  "CANCEL",
  "SUPERSEDE",
] as const satisfies readonly DisbursementEventType[];

/** Events sent by background jobs, not by a person in the UI. */
export const disbursementSystemEventTypes = ["LAPSE", "SUPERSEDE"] as const satisfies readonly DisbursementEventType[];

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

type DisbursementRule = Rule<DisbursementContext, DisbursementEvent>;

export const disbursementRules = {
  isApplicant: {
    kind: "actor",
    sv: "Endast bidragsmottagaren kan rekvirera pengarna.",
    en: "actor lacks role applicant in the recipient organisation",
    check: ({ event }) => hasRole(event.actor, "applicant"),
  },
  isFinance: {
    kind: "actor",
    sv: "Endast ekonomifunktionen kan attestera och betala ut.",
    en: "actor lacks role finance",
    check: ({ event }) => hasRole(event.actor, "finance"),
  },
  isOfficerOrDecisionMaker: {
    kind: "actor",
    sv: "Endast handläggare eller beslutsfattare kan ersätta utbetalningsplanen (genom ett ändrat beslut eller en godkänd slutredovisning).",
    en: "actor lacks role officer or decision_maker",
    check: ({ event }) => hasRole(event.actor, "officer", "decision_maker"),
  },
  isOfficerOrFinance: {
    kind: "actor",
    sv: "Endast en handläggare eller ekonomifunktionen kan stoppa utbetalningen.",
    en: "actor lacks role officer or finance",
    check: ({ event }) => hasRole(event.actor, "officer", "finance"),
  },
  hasNoConflictOfInterest: {
    kind: "actor",
    sv: "Du har anmält jäv i ärendet och får inte delta i handläggningen.",
    en: "actor has declared a conflict of interest on this case",
    check: ({ event }) =>
      "conflictOfInterestUserIds" in event &&
      Array.isArray(event.conflictOfInterestUserIds) &&
      !event.conflictOfInterestUserIds.includes(event.actor?.userId),
  },
  attesterIsNotPlanner: {
    kind: "actor",
    sv: "Den som har planerat utbetalningen får inte själv attestera den.",
    en: "attester is the planner",
    check: ({ context, event }) => event.actor?.userId !== context.plannedBy,
  },
  amountsInWholeOre: {
    kind: "data",
    sv: "Belopp ska anges i hela ören och får inte vara negativa.",
    en: "an *Ore field is not a non-negative safe integer",
    check: ({ event }) => allAmountsInWholeOre(event),
  },
  paymentRequestRequired: {
    kind: "data",
    sv: "Den här utbetalningen behöver inte rekvireras.",
    en: "no payment request is required for this instalment",
    check: ({ context }) => context.paymentRequestRequired,
  },
  paymentRequestNotRequired: {
    kind: "data",
    sv: "Utbetalningen måste rekvireras av mottagaren innan den kan attesteras.",
    en: "payment request required before attest",
    check: ({ context }) => !context.paymentRequestRequired,
  },
  beforeRequestDeadline: {
    kind: "data",
    sv: "Sista dag för att rekvirera pengarna har passerat.",
    en: "payment request at or after requestDeadline",
    check: ({ context, event }) => isBefore(event.at, context.requestDeadline),
  },
  requestDeadlinePassed: {
    kind: "data",
    sv: "Sista dag för att rekvirera pengarna har inte passerat.",
    en: "LAPSE before requestDeadline",
    check: ({ context, event }) => isAtOrAfter(event.at, context.requestDeadline),
  },
  /** at_start: always; after_interim_report / after_final_report: that report is approved. */
  triggerMet: {
    kind: "data",
    sv: "Villkoret för utbetalningen är inte uppfyllt: redovisningen är inte godkänd än.",
    en: "disbursement trigger not met (report not approved)",
    check: ({ context, event }) => {
      if (event.type !== "ATTEST") return false;
      switch (context.trigger) {
        case "at_start":
          return true;
        case "after_interim_report":
          return event.reportsApproved?.interim === true;
        case "after_final_report":
          return event.reportsApproved?.final === true;
        default:
          return false;
      }
    },
  },
  /** This instalment plus the grant's other attested or paid instalments stay within the grant. */
  withinGrant: {
    kind: "data",
    sv: "Utbetalningen skulle göra att mer än det beviljade beloppet betalas ut.",
    en: "amountOre + otherDisbursementsOre > grantOre",
    check: ({ context, event }) =>
      event.type === "ATTEST" &&
      isWholeOre(event.grantOre) &&
      isWholeOre(event.otherDisbursementsOre) &&
      isWholeOre(context.amountOre) &&
      context.amountOre + event.otherDisbursementsOre <= event.grantOre,
  },
  paymentReferenceGiven: {
    kind: "data",
    sv: "Ange betalningsreferens och utbetalningsdag.",
    en: "paymentReference and paidOn are required",
    check: ({ event }) =>
      event.type === "MARK_PAID" && isNonEmptyText(event.paymentReference) && isNonEmptyText(event.paidOn),
  },
  reasonsGiven: {
    kind: "data",
    sv: "Ange skälet.",
    en: "reasons must be non-empty",
    check: ({ event }) => "reasons" in event && isNonEmptyText(event.reasons),
  },
} satisfies Record<string, DisbursementRule>;

export type DisbursementRuleName = keyof typeof disbursementRules;

const attestRules = [
  "isFinance",
  "hasNoConflictOfInterest",
  "attesterIsNotPlanner",
  "amountsInWholeOre",
  "triggerMet",
  "withinGrant",
] as const;
const cancelRules = ["isOfficerOrFinance", "hasNoConflictOfInterest", "reasonsGiven"] as const;
const supersede = { guard: and(["isOfficerOrDecisionMaker", "reasonsGiven"]), target: "cancelled", actions: ["recordCancellation", "storeCancellation"] } as const;

// ---------------------------------------------------------------------------
// Effects: named actions the server carries out as database writes
// ---------------------------------------------------------------------------

export const disbursementEffects = [
  "recordPaymentRequest",
  "recordAttestation",
  "recordPayment",
  "recordLapse",
  "recordCancellation",
] as const;
export type DisbursementEffect = (typeof disbursementEffects)[number];

// ---------------------------------------------------------------------------
// Machine
// ---------------------------------------------------------------------------

export const disbursementMachine = setup({
  types: {
    context: {} as DisbursementContext,
    events: {} as DisbursementEvent,
    input: {} as DisbursementInput,
  },
  guards: guardsOf(disbursementRules),
  actions: {
    ...serverEffectsOf(disbursementEffects),

    storeRequest: assign({
      requestedBy: ({ event }) => event.actor.userId,
      requestedAt: ({ event }) => event.at,
    }),
    storeAttestation: assign({
      attestedBy: ({ event }) => event.actor.userId,
      attestedAt: ({ event }) => event.at,
    }),
    storePayment: assign(({ event }) =>
      event.type === "MARK_PAID"
        ? { paidBy: event.actor.userId, paidOn: event.paidOn, paymentReference: event.paymentReference }
        : {},
    ),
    storeLapse: assign({ lapsedAt: ({ event }) => event.at }),
    storeCancellation: assign(({ event }) => ({
      cancelledBy: event.actor.userId,
      cancelledAt: event.at,
      cancellationReasons: event.type === "CANCEL" || event.type === "SUPERSEDE" ? event.reasons : null,
    })),
  },
}).createMachine({
  id: DISBURSEMENT_MACHINE_ID,
  context: ({ input }) => ({
    amountOre: input.amountOre,
    trigger: input.trigger,
    plannedBy: input.plannedBy,
    plannedDate: input.plannedDate ?? null,
    paymentRequestRequired: input.paymentRequestRequired,
    requestDeadline: input.requestDeadline,
    requestedBy: null,
    requestedAt: null,
    attestedBy: null,
    attestedAt: null,
    paidBy: null,
    paidOn: null,
    paymentReference: null,
    lapsedAt: null,
    cancelledBy: null,
    cancelledAt: null,
    cancellationReasons: null,
  }),
  initial: "planned",
  states: {
    planned: {
      on: {
        REQUEST_PAYMENT: {
          guard: and(["isApplicant", "hasNoConflictOfInterest", "paymentRequestRequired", "beforeRequestDeadline"]),
          target: "requested",
          actions: ["recordPaymentRequest", "storeRequest"],
        },
        ATTEST: {
          guard: and([...attestRules, "paymentRequestNotRequired"]),
          target: "attested",
          actions: ["recordAttestation", "storeAttestation"],
        },
        LAPSE: {
          guard: and(["paymentRequestRequired", "requestDeadlinePassed"]),
          target: "lapsed",
          actions: ["recordLapse", "storeLapse"],
        },
        CANCEL: { guard: and([...cancelRules]), target: "cancelled", actions: ["recordCancellation", "storeCancellation"] },
        SUPERSEDE: supersede,
      },
    },
    requested: {
      on: {
        ATTEST: {
          guard: and([...attestRules]),
          target: "attested",
          actions: ["recordAttestation", "storeAttestation"],
        },
        CANCEL: { guard: and([...cancelRules]), target: "cancelled", actions: ["recordCancellation", "storeCancellation"] },
        SUPERSEDE: supersede,
      },
    },
    attested: {
      on: {
        MARK_PAID: {
          guard: and(["isFinance", "hasNoConflictOfInterest", "paymentReferenceGiven"]),
          target: "paid",
          actions: ["recordPayment", "storePayment"],
        },
        CANCEL: { guard: and([...cancelRules]), target: "cancelled", actions: ["recordCancellation", "storeCancellation"] },
        SUPERSEDE: supersede,
      },
    },
    paid: { type: "final" },
    lapsed: { type: "final" },
    cancelled: { type: "final" },
  },
});

/**
 * A representative event of each type, used to ask `snapshot.can()` for the UI.
 * Amount and report facts are chosen to pass; pass real ones in candidate events.
 */
export function disbursementSampleEvent(
  type: DisbursementEventType,
  snapshot: { context: DisbursementContext },
): WithoutActor<DisbursementEvent> {
  const c = snapshot.context;
  const facts = { conflictOfInterestUserIds: [] as string[] };
  switch (type) {
    case "REQUEST_PAYMENT":
      return { type, at: c.requestDeadline ? instantBefore(c.requestDeadline) : PROBE_TIME, ...facts };
    case "ATTEST":
      return {
        type,
        at: PROBE_TIME,
        grantOre: c.amountOre,
        otherDisbursementsOre: 0,
        reportsApproved: { interim: true, final: true },
        ...facts,
      };
    case "MARK_PAID":
      return { type, at: PROBE_TIME, paymentReference: "–", paidOn: PROBE_TIME, ...facts };
    case "LAPSE":
      return { type, at: c.requestDeadline ?? PROBE_TIME };
    case "CANCEL":
      return { type, at: PROBE_TIME, reasons: "–", ...facts };
    case "SUPERSEDE":
      return { type, at: PROBE_TIME, reasons: "–" };
  }
}
