/**
 * The workflow registry and the pure helpers the server and the UI call.
 *
 * How the server applies an event to a stored case (one DB transaction):
 *
 *   const snapshot = restore(kind, row.snapshot, row.machineVersion);
 *   const result = applyEvent(kind, snapshot, { type, ...fields, actor, at: now });
 *   if (!result.ok) throw new RuleError(result.rule, result.message);   // nothing changes
 *   row.state = result.state;                          // queryable, e.g. "grantActive.finalReport.submitted"
 *   row.snapshot = persist(kind, result.next);         // JSON
 *   for (const effect of result.effects) await carryOut(effect);   // createGrant, reserveBudget, ...
 *   await appendAudit({ from: stateKey(snapshot), to: result.state, event, effects: result.actions });
 *
 * The UI asks `availableEvents(kind, snapshot, actor)` which buttons to show.
 */
import {
  type AnyActorScope,
  type AnyEventObject,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
  createActor,
  getNextTransitions,
} from "xstate";
import {
  ASSIGNMENT_MACHINE_VERSION,
  assignmentEffects,
  assignmentEventTypes,
  assignmentMachine,
  assignmentRules,
  assignmentSampleEvent,
  assignmentSystemEventTypes,
} from "./assignment";
import {
  CALL_MACHINE_VERSION,
  callEffects,
  callEventTypes,
  callMachine,
  callRules,
  callSampleEvent,
  callSystemEventTypes,
} from "./call";
import {
  APPLICATION_MACHINE_VERSION,
  applicationEffects,
  applicationEventTypes,
  applicationMachine,
  applicationRules,
  applicationSampleEvent,
  applicationSystemEventTypes,
} from "./application";
import {
  DISBURSEMENT_MACHINE_VERSION,
  disbursementEffects,
  disbursementEventTypes,
  disbursementMachine,
  disbursementRules,
  disbursementSampleEvent,
  disbursementSystemEventTypes,
} from "./disbursement";
import { type Actor, type Rule, type RuleKind, stateKey } from "./types";

export * from "./types";
export * from "./assignment";
export * from "./call";
export * from "./application";
export * from "./disbursement";

// ---------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------

/** Any machine's rule table (the widest Rule type: it accepts every context and event). */
type AnyRules = Record<string, Rule<never, never>>;

interface WorkflowDefinition<TMachine extends AnyStateMachine> {
  machine: TMachine;
  /** Stored with each snapshot; `restore` refuses a snapshot of another version. */
  version: number;
  /** Every named guard, with its kind and messages. */
  rules: AnyRules;
  /** Names of the actions the server must carry out. */
  effects: readonly string[];
  eventTypes: readonly EventFromLogic<TMachine>["type"][];
  /** Events sent by background jobs; not offered as buttons. */
  systemEventTypes: readonly string[];
  /** A representative event (without actor) for `availableEvents`. */
  sampleEvent: (type: EventFromLogic<TMachine>["type"], snapshot: SnapshotFrom<TMachine>) => object;
}

function define<TMachine extends AnyStateMachine>(d: WorkflowDefinition<TMachine>): WorkflowDefinition<TMachine> {
  return d;
}

export const workflows = {
  assignment: define({
    machine: assignmentMachine,
    version: ASSIGNMENT_MACHINE_VERSION,
    rules: assignmentRules,
    effects: assignmentEffects,
    eventTypes: assignmentEventTypes,
    systemEventTypes: assignmentSystemEventTypes,
    sampleEvent: (type) => assignmentSampleEvent(type),
  }),
  call: define({
    machine: callMachine,
    version: CALL_MACHINE_VERSION,
    rules: callRules,
    effects: callEffects,
    eventTypes: callEventTypes,
    systemEventTypes: callSystemEventTypes,
    sampleEvent: callSampleEvent,
  }),
  application: define({
    machine: applicationMachine,
    version: APPLICATION_MACHINE_VERSION,
    rules: applicationRules,
    effects: applicationEffects,
    eventTypes: applicationEventTypes,
    systemEventTypes: applicationSystemEventTypes,
    sampleEvent: applicationSampleEvent,
  }),
  disbursement: define({
    machine: disbursementMachine,
    version: DISBURSEMENT_MACHINE_VERSION,
    rules: disbursementRules,
    effects: disbursementEffects,
    eventTypes: disbursementEventTypes,
    systemEventTypes: disbursementSystemEventTypes,
    sampleEvent: disbursementSampleEvent,
  }),
};

export type WorkflowKind = keyof typeof workflows;
export const WORKFLOW_KINDS = Object.keys(workflows) as WorkflowKind[];

type Machines = { [K in WorkflowKind]: (typeof workflows)[K]["machine"] };
export type WorkflowSnapshot<K extends WorkflowKind> = SnapshotFrom<Machines[K]>;
export type WorkflowEvent<K extends WorkflowKind> = EventFromLogic<Machines[K]>;
export type WorkflowEventType<K extends WorkflowKind> = WorkflowEvent<K>["type"];
export type WorkflowInput<K extends WorkflowKind> = InputFrom<Machines[K]>;

/** What `persist` returns and `restore` takes: plain JSON. */
export type PersistedSnapshot = {
  value: unknown;
  context: unknown;
  status: string;
  historyValue?: Record<string, Array<{ id: string }>>;
  [key: string]: unknown;
};

export type Effect = { type: string; params: unknown };

export type ApplyResult<K extends WorkflowKind> =
  | {
      ok: true;
      next: WorkflowSnapshot<K>;
      /** Flat state name for the `state` column. */
      state: string;
      /** Names of the effects to carry out, in order (e.g. "recordDecision", "createGrant"). */
      actions: string[];
      /** The same effects with their params (amounts etc.). */
      effects: Effect[];
    }
  | Refusal;

export type Refusal = {
  ok: false;
  /** Name of the rule that refused, e.g. "fourEyes", or one of the general refusals below. */
  rule: string;
  /** For the user, in Swedish. */
  message: string;
  /** For the log, in English. */
  logMessage: string;
};

/** Refusals that are not a named guard of a machine. */
export const GENERAL_REFUSALS = {
  malformedEvent: {
    sv: "Begäran är ofullständig och kunde inte behandlas.",
    en: "malformed event (needs type, actor {userId, roles[]} and an ISO `at`)",
  },
  unknownEvent: {
    sv: "Åtgärden finns inte för den här typen av ärende.",
    en: "unknown event type for this machine",
  },
  caseIsFinished: {
    sv: "Ärendet är avslutat och kan inte ändras.",
    en: "snapshot is in a final state",
  },
  eventNotAllowedInState: {
    sv: "Åtgärden kan inte göras i ärendets nuvarande läge.",
    en: "no transition for this event in the current state",
  },
  noMatchingTransition: {
    sv: "Åtgärden kunde inte genomföras med de angivna uppgifterna.",
    en: "no transition matched the event's data",
  },
  internalError: {
    sv: "Ett tekniskt fel uppstod. Ingenting har ändrats.",
    en: "machine threw while evaluating the event",
  },
} as const;

// ---------------------------------------------------------------------------
// Start, persist, restore
// ---------------------------------------------------------------------------

/** The initial snapshot of a new case (pure). */
export function start<K extends WorkflowKind>(
  kind: K,
  input: WorkflowInput<K>,
): { snapshot: WorkflowSnapshot<K>; state: string; actions: string[] } {
  const machine = workflows[kind].machine as AnyStateMachine;
  const [snapshot, actions] = pureStep(machine, (scope) => machine.getInitialSnapshot(scope, input));
  return {
    snapshot: snapshot as WorkflowSnapshot<K>,
    state: stateKey(snapshot),
    actions: actions.map((a) => a.type),
  };
}

/** A JSON-safe copy of the snapshot to store (history states kept as ids). */
export function persist<K extends WorkflowKind>(kind: K, snapshot: WorkflowSnapshot<K>): PersistedSnapshot {
  return JSON.parse(persistedJson(kind, snapshot)) as PersistedSnapshot;
}

/**
 * The same snapshot as `persist`, as the JSON text to store: one JSON.stringify instead of a
 * stringify, a parse and the caller's second stringify (the text is identical).
 */
export function persistedJson<K extends WorkflowKind>(kind: K, snapshot: WorkflowSnapshot<K>): string {
  const machine = workflows[kind].machine as AnyStateMachine;
  return JSON.stringify(machine.getPersistedSnapshot(snapshot as AnyMachineSnapshot));
}

export class WorkflowRestoreError extends Error {
  override name = "WorkflowRestoreError";
}

/**
 * Rebuild a snapshot from stored JSON: either `persist(...)` output or
 * `JSON.parse(JSON.stringify(snapshot))`. Needs no actor. Pass the stored
 * machine version to refuse a snapshot written by another version.
 */
export function restore<K extends WorkflowKind>(
  kind: K,
  persisted: unknown,
  storedVersion?: number,
): WorkflowSnapshot<K> {
  const def = workflows[kind];
  if (storedVersion !== undefined && storedVersion !== def.version) {
    throw new WorkflowRestoreError(
      `${kind} snapshot was stored by machine version ${storedVersion}, current is ${def.version}; migrate it first`,
    );
  }
  if (persisted === null || typeof persisted !== "object") {
    throw new WorkflowRestoreError(`${kind} snapshot must be an object`);
  }
  const p = persisted as Partial<PersistedSnapshot>;
  if (p.value === undefined || p.context === null || typeof p.context !== "object") {
    throw new WorkflowRestoreError(`${kind} snapshot lacks value or context`);
  }
  const machine = def.machine as AnyStateMachine;
  try {
    return machine.resolveState({
      value: p.value as never,
      context: p.context,
      historyValue: reviveHistoryValue(machine, p.historyValue),
    }) as WorkflowSnapshot<K>;
  } catch (error) {
    throw new WorkflowRestoreError(`${kind} snapshot has an unknown state ${JSON.stringify(p.value)}: ${String(error)}`);
  }
}

function reviveHistoryValue(machine: AnyStateMachine, historyValue: unknown): Record<string, AnyStateNode[]> {
  const revived: Record<string, AnyStateNode[]> = {};
  if (historyValue === null || typeof historyValue !== "object") return revived;
  for (const [key, items] of Object.entries(historyValue as Record<string, unknown>)) {
    if (!Array.isArray(items)) continue;
    const nodes = items
      .map((item) => (item && typeof item === "object" && "id" in item ? String(item.id) : null))
      .filter((id): id is string => id !== null)
      .map((id) => machine.getStateNodeById(id));
    if (nodes.length > 0) revived[key] = nodes;
  }
  return revived;
}

// ---------------------------------------------------------------------------
// Apply an event
// ---------------------------------------------------------------------------

/**
 * Apply one event with XState's pure `transition`. Refused events name the
 * first failing rule and change nothing.
 */
export function applyEvent<K extends WorkflowKind>(
  kind: K,
  snapshot: WorkflowSnapshot<K>,
  event: WorkflowEvent<K>,
): ApplyResult<K> {
  const def = workflows[kind];
  const machine = def.machine as AnyStateMachine;
  const s = snapshot as AnyMachineSnapshot;
  try {
    const early = precheck(def, s, event);
    if (early) return early;
    if (!s.can(event)) return explainRefusal(kind, snapshot, event) ?? refusal("noMatchingTransition", event, s);
    const [next, actions] = pureStep(machine, (scope) => machine.transition(s, event as AnyEventObject, scope));
    if (next.status === "error") return refusal("internalError", event, s, String(next.error));
    return {
      ok: true,
      next: next as WorkflowSnapshot<K>,
      state: stateKey(next),
      actions: actions.map((a) => a.type),
      effects: actions.map((a) => ({ type: a.type, params: a.params })),
    };
  } catch (error) {
    return refusal("internalError", event, s, String(error));
  }
}

/**
 * Why would this event be refused? `null` if it would be accepted. The rule is
 * the first failing guard of the first transition whose branch fits the event
 * (e.g. for DECIDE with outcome "rejected", the rejection branch).
 */
export function explainRefusal<K extends WorkflowKind>(
  kind: K,
  snapshot: WorkflowSnapshot<K>,
  event: WorkflowEvent<K>,
): Refusal | null {
  const def = workflows[kind];
  const s = snapshot as AnyMachineSnapshot;
  const early = precheck(def, s, event);
  if (early) return early;
  if (s.can(event)) return null;

  const candidates = getNextTransitions(s).filter((t) => t.eventType === event.type);
  if (candidates.length === 0) return refusal("eventNotAllowedInState", event, s);

  const passes = (name: string): boolean => {
    try {
      return def.rules[name]?.check({ context: s.context, event } as never) ?? true;
    } catch {
      return false;
    }
  };
  let firstFailingAnywhere: string | null = null;
  for (const t of candidates) {
    const names = guardNames(t.guard);
    const branchFits = names.filter((n) => ruleKind(def.rules, n) === "branch").every(passes);
    const failing = names.filter((n) => ruleKind(def.rules, n) !== "branch").find((n) => !passes(n));
    if (failing !== undefined && branchFits) return ruleRefusal(def.rules, failing, event, s);
    firstFailingAnywhere ??= failing ?? null;
  }
  if (firstFailingAnywhere !== null) return ruleRefusal(def.rules, firstFailingAnywhere, event, s);
  return refusal("noMatchingTransition", event, s);
}

// ---------------------------------------------------------------------------
// Which events may this actor send now?
// ---------------------------------------------------------------------------

/** A candidate: an event type, or a partial event whose fields override the representative one. */
export type CandidateEvent<K extends WorkflowKind> =
  | WorkflowEventType<K>
  | ({ type: WorkflowEventType<K> } & Record<string, unknown>);

/**
 * The event types `actor` may send now, in the machine's order. Each type is
 * tested with `snapshot.can(event)` on a representative event built to pass
 * the data rules, so role, jäv and four-eyes rules decide; amounts and
 * deadlines are re-checked by `applyEvent` when the real event is sent.
 *
 * `candidateEvents` limits the test to those types and may carry real fields
 * (e.g. `{ type: "SUBMIT", at: now }` to apply the call's closing time).
 * `facts` are merged into every tested event: e.g. `{ at: now }`, or for a
 * disbursement `{ conflictOfInterestUserIds, reportsApproved, grantOre,
 * otherDisbursementsOre }`. System events (CLOSE_BY_TIME, LAPSE) are only
 * tested when listed in `candidateEvents`.
 */
export function availableEvents<K extends WorkflowKind>(
  kind: K,
  snapshot: WorkflowSnapshot<K>,
  actor: Actor,
  candidateEvents?: ReadonlyArray<CandidateEvent<K>>,
  facts?: Record<string, unknown>,
): WorkflowEventType<K>[] {
  const def = workflows[kind];
  const s = snapshot as AnyMachineSnapshot;
  if (s.status !== "active") return [];
  const sample = def.sampleEvent as (type: string, snapshot: AnyMachineSnapshot) => object;
  const candidates: Array<{ type: string } & Record<string, unknown>> = (
    candidateEvents ?? def.eventTypes.filter((t) => !def.systemEventTypes.includes(t))
  ).map((c) => (typeof c === "string" ? { type: c } : c));
  const allowed = new Set<string>();
  for (const c of candidates) {
    if (!(def.eventTypes as readonly string[]).includes(c.type)) continue;
    const event = { ...sample(c.type, s), ...facts, ...c, actor };
    try {
      if (s.can(event)) allowed.add(c.type);
    } catch {
      // a rule that throws on an odd candidate means "not available"
    }
  }
  return (def.eventTypes as readonly string[]).filter((t) => allowed.has(t)) as WorkflowEventType<K>[];
}

// ---------------------------------------------------------------------------
// Introspection
// ---------------------------------------------------------------------------

/** Every value `stateKey` can return for this machine (resting states only). Useful for a DB enum. */
export function allStateKeys(kind: WorkflowKind): string[] {
  const keys: string[] = [];
  const visit = (node: AnyStateNode): void => {
    const children = Object.values(node.states) as AnyStateNode[];
    if (children.length === 0) {
      const transient = node.config.always !== undefined;
      if (node.type !== "history" && !transient) keys.push(node.path.join("."));
      return;
    }
    children.forEach(visit);
  };
  visit((workflows[kind].machine as AnyStateMachine).root);
  return keys;
}

/** Messages and kind of a named rule (or general refusal). */
export function describeRule(kind: WorkflowKind, rule: string): { kind: RuleKind | "general"; sv: string; en: string } | null {
  const r = workflows[kind].rules[rule];
  if (r) return { kind: r.kind, sv: r.sv, en: r.en };
  const g = (GENERAL_REFUSALS as Record<string, { sv: string; en: string }>)[rule];
  return g ? { kind: "general", ...g } : null;
}

// ---------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------

type Scope = AnyActorScope;
type Action = { type: string; params: unknown };

/**
 * XState's pure `transition` / `initialTransition`, without their fixed cost: each call of those
 * builds a throw-away actor (whose constructor computes the machine's whole initial snapshot) just
 * to have an actor scope, about 0.1 ms a call, three times per approval. These machines invoke,
 * spawn and schedule nothing (no `invoke`, `spawnChild`, `after`, `sendTo`; registry.test.ts checks),
 * so nothing is ever registered in the scope's system and one inert scope per machine can serve every
 * call; the actions are collected per call, as XState's own functions do. Synchronous, so calls
 * cannot interleave.
 */
const scopes = new WeakMap<AnyStateMachine, { scope: Scope; actions: Action[] | null }>();

function pureStep(machine: AnyStateMachine, step: (scope: Scope) => AnyMachineSnapshot): [AnyMachineSnapshot, Action[]] {
  let entry = scopes.get(machine);
  if (entry === undefined) {
    const self = createActor(machine);
    const e: { scope: Scope; actions: Action[] | null } = { scope: undefined as never, actions: null };
    e.scope = {
      self,
      system: self.system,
      id: "",
      sessionId: "",
      logger: () => {},
      defer: () => {},
      emit: () => {},
      stopChild: () => {},
      actionExecutor: (action) => {
        if (e.actions === null) throw new Error("workflow action outside a transition");
        e.actions.push(action as Action);
      },
    } as Scope;
    scopes.set(machine, (entry = e));
  }
  const actions: Action[] = [];
  if (entry.actions !== null) throw new Error("nested workflow transition");
  entry.actions = actions;
  try {
    return [step(entry.scope), actions];
  } finally {
    entry.actions = null;
  }
}

function precheck(
  def: WorkflowDefinition<AnyStateMachine>,
  snapshot: AnyMachineSnapshot,
  event: unknown,
): Refusal | null {
  if (!isWellFormed(event)) return refusal("malformedEvent", event, snapshot);
  if (!(def.eventTypes as readonly string[]).includes(event.type)) return refusal("unknownEvent", event, snapshot);
  if (snapshot.status !== "active") return refusal("caseIsFinished", event, snapshot);
  return null;
}

function isWellFormed(event: unknown): event is { type: string; actor: Actor; at: string } {
  if (event === null || typeof event !== "object") return false;
  const e = event as Record<string, unknown>;
  const actor = e.actor as Record<string, unknown> | undefined;
  return (
    typeof e.type === "string" &&
    actor !== null &&
    typeof actor === "object" &&
    typeof actor.userId === "string" &&
    Array.isArray(actor.roles) &&
    typeof e.at === "string" &&
    !Number.isNaN(Date.parse(e.at))
  );
}

/** Names of the guards of a transition: a named guard, or `and([...names])`. */
function guardNames(guard: unknown): string[] {
  if (guard === undefined || guard === null) return [];
  if (typeof guard === "string") return [guard];
  if (typeof guard === "object" && "type" in guard && typeof guard.type === "string") return [guard.type];
  if (typeof guard === "function" && "guards" in guard && Array.isArray(guard.guards)) {
    return guard.guards.flatMap(guardNames);
  }
  return [];
}

function ruleKind(rules: AnyRules, name: string): RuleKind | undefined {
  return rules[name]?.kind;
}

function describeEvent(event: unknown, snapshot: AnyMachineSnapshot): string {
  const e = (event ?? {}) as { type?: unknown; actor?: { userId?: unknown } };
  let state: string;
  try {
    state = stateKey(snapshot);
  } catch {
    state = JSON.stringify(snapshot.value);
  }
  return `${String(e.type)} by ${String(e.actor?.userId)} in ${snapshot.machine.id}:${state}`;
}

function ruleRefusal(rules: AnyRules, name: string, event: unknown, snapshot: AnyMachineSnapshot): Refusal {
  const r = rules[name]!;
  return { ok: false, rule: name, message: r.sv, logMessage: `${describeEvent(event, snapshot)} refused by ${name}: ${r.en}` };
}

function refusal(
  name: keyof typeof GENERAL_REFUSALS,
  event: unknown,
  snapshot: AnyMachineSnapshot,
  detail?: string,
): Refusal {
  const g = GENERAL_REFUSALS[name];
  return {
    ok: false,
    rule: name,
    message: g.sv,
    logMessage: `${describeEvent(event, snapshot)} refused (${name}): ${g.en}${detail ? `: ${detail}` : ""}`,
  };
}
