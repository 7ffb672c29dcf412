/**
 * Assignment (regeringsuppdrag): draft → active → reporting → reported → closed.
 *
 * The responsible board's officers (or an admin) run the assignment; the
 * coordinating board's coordinator submits the compiled report (redovisning)
 * to the government. The server computes the actor's roles in the board that
 * matters for the event: the responsible board for ACTIVATE, START_REPORTING
 * and CLOSE, the coordinating board for SUBMIT_REPORT.
 */
import { and, assign, setup } from "xstate";
import {
  type BaseEvent,
  type IsoDateTime,
  type Rule,
  type WithoutActor,
  PROBE_TIME,
  guardsOf,
  hasRole,
  serverEffectsOf,
} from "./types";

export const ASSIGNMENT_MACHINE_ID = "assignment";
/** Bump when a change makes stored snapshots incompatible. */
export const ASSIGNMENT_MACHINE_VERSION = 1;

// ---------------------------------------------------------------------------
// Context, input, events
// ---------------------------------------------------------------------------

export type AssignmentInput = { reportDueDate?: IsoDateTime | null };

export type AssignmentContext = {
  reportDueDate: IsoDateTime | null;
  activatedBy: string | null;
  activatedAt: IsoDateTime | null;
  reportingStartedBy: string | null;
  reportingStartedAt: IsoDateTime | null;
  reportSubmittedBy: string | null;
  reportSubmittedAt: IsoDateTime | null;
  closedBy: string | null;
  closedAt: IsoDateTime | null;
};

export type AssignmentEvent =
  | ({ type: "ACTIVATE" } & BaseEvent)
  | ({ type: "START_REPORTING" } & BaseEvent)
  | ({ type: "SUBMIT_REPORT" } & BaseEvent)
  | ({ type: "CLOSE" } & BaseEvent);

export type AssignmentEventType = AssignmentEvent["type"];

export const assignmentEventTypes = [
  "ACTIVATE",
  "START_REPORTING",
  "SUBMIT_REPORT",
  "CLOSE",
] as const satisfies readonly AssignmentEventType[];

/** Events sent by background jobs, not by a person in the UI. */
export const assignmentSystemEventTypes = [] as const satisfies readonly AssignmentEventType[];

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

type AssignmentRule = Rule<AssignmentContext, AssignmentEvent>;

export const assignmentRules = {
  isOfficerOrAdmin: {
    kind: "actor",
    sv: "Endast handläggare eller administratörer vid den ansvariga länsstyrelsen kan göra detta.",
    en: "actor is neither officer nor admin of the responsible board",
    check: ({ event }) => hasRole(event.actor, "officer", "admin"),
  },
  isCoordinator: {
    kind: "actor",
    sv: "Endast samordnaren vid den samordnande länsstyrelsen kan lämna redovisningen.",
    en: "actor is not coordinator of the coordinating board",
    check: ({ event }) => hasRole(event.actor, "coordinator"),
  },
} satisfies Record<string, AssignmentRule>;

export type AssignmentRuleName = keyof typeof assignmentRules;

// ---------------------------------------------------------------------------
// Effects: named actions the server carries out as database writes
// ---------------------------------------------------------------------------

export const assignmentEffects = [
  "activateAssignment",
  "openReporting",
  "recordGovernmentReport",
  "closeAssignment",
] as const;
export type AssignmentEffect = (typeof assignmentEffects)[number];

// ---------------------------------------------------------------------------
// Machine
// ---------------------------------------------------------------------------

export const assignmentMachine = setup({
  types: {
    context: {} as AssignmentContext,
    events: {} as AssignmentEvent,
    input: {} as AssignmentInput,
  },
  guards: guardsOf(assignmentRules),
  actions: {
    ...serverEffectsOf(assignmentEffects),

    storeActivation: assign({
      activatedBy: ({ event }) => event.actor.userId,
      activatedAt: ({ event }) => event.at,
    }),
    storeReportingStart: assign({
      reportingStartedBy: ({ event }) => event.actor.userId,
      reportingStartedAt: ({ event }) => event.at,
    }),
    storeReportSubmission: assign({
      reportSubmittedBy: ({ event }) => event.actor.userId,
      reportSubmittedAt: ({ event }) => event.at,
    }),
    storeClosing: assign({
      closedBy: ({ event }) => event.actor.userId,
      closedAt: ({ event }) => event.at,
    }),
  },
}).createMachine({
  id: ASSIGNMENT_MACHINE_ID,
  context: ({ input }) => ({
    reportDueDate: input.reportDueDate ?? null,
    activatedBy: null,
    activatedAt: null,
    reportingStartedBy: null,
    reportingStartedAt: null,
    reportSubmittedBy: null,
    reportSubmittedAt: null,
    closedBy: null,
    closedAt: null,
  }),
  initial: "draft",
  states: {
    draft: {
      on: {
        ACTIVATE: {
          guard: and(["isOfficerOrAdmin"]),
          target: "active",
          actions: ["storeActivation", "activateAssignment"],
        },
      },
    },
    active: {
      on: {
        START_REPORTING: {
          guard: and(["isOfficerOrAdmin"]),
          target: "reporting",
          actions: ["storeReportingStart", "openReporting"],
        },
      },
    },
    reporting: {
      on: {
        SUBMIT_REPORT: {
          guard: and(["isCoordinator"]),
          target: "reported",
          actions: ["storeReportSubmission", "recordGovernmentReport"],
        },
      },
    },
    reported: {
      on: {
        CLOSE: {
          guard: and(["isOfficerOrAdmin"]),
          target: "closed",
          actions: ["storeClosing", "closeAssignment"],
        },
      },
    },
    closed: { type: "final" },
  },
});

/** A representative event of each type, used to ask `snapshot.can()` for the UI. */
export function assignmentSampleEvent(type: AssignmentEventType): WithoutActor<AssignmentEvent> {
  return { type, at: PROBE_TIME };
}
