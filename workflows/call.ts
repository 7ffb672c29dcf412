/**
 * Call (utlysning): draft → published → closed → decided → archived.
 *
 * A call closes by hand (CLOSE, officer) or when its closing time has passed
 * (CLOSE_BY_TIME, sent by a background job with the current time in `at`).
 * MARK_DECIDED is sent once every application under the call has a decision;
 * the server counts them and passes `undecidedApplications`.
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
  isAtOrAfter,
  isBefore,
  isWholeOre,
  serverEffectsOf,
} from "./types";

export const CALL_MACHINE_ID = "call";
/** Bump when a change makes stored snapshots incompatible. */
export const CALL_MACHINE_VERSION = 1;

// ---------------------------------------------------------------------------
// Context, input, events
// ---------------------------------------------------------------------------

export type CallInput = {
  budgetOre: Ore;
  opensAt: IsoDateTime;
  closesAt: IsoDateTime;
};

export type CallContext = CallInput & {
  publishedBy: string | null;
  publishedAt: IsoDateTime | null;
  /** userId of whoever closed it, or "system" when it closed by time. */
  closedBy: string | null;
  closedAt: IsoDateTime | null;
  decidedAt: IsoDateTime | null;
  archivedAt: IsoDateTime | null;
};

export type CallEvent =
  /** Change the terms while the call is a draft. */
  | ({ type: "EDIT_TERMS"; budgetOre?: Ore; opensAt?: IsoDateTime; closesAt?: IsoDateTime } & BaseEvent)
  | ({ type: "PUBLISH" } & BaseEvent)
  | ({ type: "CLOSE" } & BaseEvent)
  | ({ type: "CLOSE_BY_TIME" } & BaseEvent)
  /** `undecidedApplications`: how many applications under the call still lack a decision (server counts). */
  | ({ type: "MARK_DECIDED"; undecidedApplications: number } & BaseEvent)
  | ({ type: "ARCHIVE" } & BaseEvent);

export type CallEventType = CallEvent["type"];

export const callEventTypes = [
  "EDIT_TERMS",
  "PUBLISH",
  "CLOSE",
  "CLOSE_BY_TIME",
  "MARK_DECIDED",
  "ARCHIVE",
] as const satisfies readonly CallEventType[];

/** Events sent by background jobs, not by a person in the UI. */
export const callSystemEventTypes = ["CLOSE_BY_TIME"] as const satisfies readonly CallEventType[];

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

type CallRule = Rule<CallContext, CallEvent>;

export const callRules = {
  isOfficer: {
    kind: "actor",
    sv: "Endast en handläggare vid länsstyrelsen kan göra detta.",
    en: "actor is not an officer of the board",
    check: ({ event }) => hasRole(event.actor, "officer"),
  },
  isOfficerOrAdmin: {
    kind: "actor",
    sv: "Endast en handläggare eller administratör vid länsstyrelsen kan göra detta.",
    en: "actor is neither officer nor admin of the board",
    check: ({ event }) => hasRole(event.actor, "officer", "admin"),
  },
  amountsInWholeOre: {
    kind: "data",
    sv: "Belopp ska anges i hela ören och får inte vara negativa.",
    en: "an *Ore field is not a non-negative safe integer",
    check: ({ event }) => allAmountsInWholeOre(event),
  },
  budgetIsPositive: {
    kind: "data",
    sv: "Utlysningen måste ha en budget som är större än noll.",
    en: "call budget must be > 0",
    check: ({ context }) => isWholeOre(context.budgetOre) && context.budgetOre > 0,
  },
  opensBeforeCloses: {
    kind: "data",
    sv: "Utlysningen måste öppna innan den stänger.",
    en: "call opensAt must be before closesAt",
    check: ({ context }) => isBefore(context.opensAt, context.closesAt),
  },
  publishedBeforeCloses: {
    kind: "data",
    sv: "Utlysningens sista ansökningsdag har redan passerat.",
    en: "cannot publish a call whose closesAt has passed",
    check: ({ context, event }) => isBefore(event.at, context.closesAt),
  },
  deadlinePassed: {
    kind: "data",
    sv: "Utlysningen är fortfarande öppen för ansökningar.",
    en: "CLOSE_BY_TIME before closesAt",
    check: ({ context, event }) => isAtOrAfter(event.at, context.closesAt),
  },
  allApplicationsDecided: {
    kind: "data",
    sv: "Alla ansökningar i utlysningen har inte fått beslut än.",
    en: "undecidedApplications must be 0",
    check: ({ event }) => event.type === "MARK_DECIDED" && event.undecidedApplications === 0,
  },
} satisfies Record<string, CallRule>;

export type CallRuleName = keyof typeof callRules;

// ---------------------------------------------------------------------------
// Effects: named actions the server carries out as database writes
// ---------------------------------------------------------------------------

export const callEffects = [
  "updateCallTerms",
  "publishCall",
  "closeCall",
  "recordCallDecided",
  "archiveCall",
] as const;
export type CallEffect = (typeof callEffects)[number];

// ---------------------------------------------------------------------------
// Machine
// ---------------------------------------------------------------------------

export const callMachine = setup({
  types: {
    context: {} as CallContext,
    events: {} as CallEvent,
    input: {} as CallInput,
  },
  guards: guardsOf(callRules),
  actions: {
    ...serverEffectsOf(callEffects),

    storeTerms: assign(({ context, event }) =>
      event.type === "EDIT_TERMS"
        ? {
            budgetOre: event.budgetOre ?? context.budgetOre,
            opensAt: event.opensAt ?? context.opensAt,
            closesAt: event.closesAt ?? context.closesAt,
          }
        : {},
    ),
    storePublication: assign({
      publishedBy: ({ event }) => event.actor.userId,
      publishedAt: ({ event }) => event.at,
    }),
    storeClosing: assign({
      closedBy: ({ event }) => event.actor.userId,
      closedAt: ({ event }) => event.at,
    }),
    storeDecided: assign({ decidedAt: ({ event }) => event.at }),
    storeArchived: assign({ archivedAt: ({ event }) => event.at }),
  },
}).createMachine({
  id: CALL_MACHINE_ID,
  context: ({ input }) => ({
    budgetOre: input.budgetOre,
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    publishedBy: null,
    publishedAt: null,
    closedBy: null,
    closedAt: null,
    decidedAt: null,
    archivedAt: null,
  }),
  initial: "draft",
  states: {
    draft: {
      on: {
        EDIT_TERMS: {
          guard: and(["isOfficer", "amountsInWholeOre"]),
          actions: ["storeTerms", "updateCallTerms"],
        },
        PUBLISH: {
          guard: and(["isOfficer", "budgetIsPositive", "opensBeforeCloses", "publishedBeforeCloses"]),
          target: "published",
          actions: ["storePublication", "publishCall"],
        },
      },
    },
    published: {
      on: {
        CLOSE: {
          guard: and(["isOfficer"]),
          target: "closed",
          actions: ["storeClosing", "closeCall"],
        },
        CLOSE_BY_TIME: {
          guard: and(["deadlinePassed"]),
          target: "closed",
          actions: ["storeClosing", "closeCall"],
        },
      },
    },
    closed: {
      on: {
        MARK_DECIDED: {
          guard: and(["isOfficer", "allApplicationsDecided"]),
          target: "decided",
          actions: ["storeDecided", "recordCallDecided"],
        },
      },
    },
    decided: {
      on: {
        ARCHIVE: {
          guard: and(["isOfficerOrAdmin"]),
          target: "archived",
          actions: ["storeArchived", "archiveCall"],
        },
      },
    },
    archived: { type: "final" },
  },
});

/** A representative event of each type, used to ask `snapshot.can()` for the UI. */
export function callSampleEvent(
  type: CallEventType,
  snapshot: { context: CallContext },
): WithoutActor<CallEvent> {
  switch (type) {
    case "MARK_DECIDED":
      return { type, at: PROBE_TIME, undecidedApplications: 0 };
    case "PUBLISH":
      return { type, at: snapshot.context.opensAt };
    case "CLOSE_BY_TIME":
      return { type, at: snapshot.context.closesAt };
    default:
      return { type, at: PROBE_TIME };
  }
}
