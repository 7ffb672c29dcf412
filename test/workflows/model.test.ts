/**
 * Model-based tests with xstate/graph, for every machine:
 * - every resting state is reachable from the initial state (getShortestPaths);
 * - every transition of the chart is taken somewhere in the explored graph;
 * - the server's cycle (JSON → restore → applyEvent → persist → JSON) gives,
 *   at every step, the same state and context as the machine itself: on every
 *   explored edge, along every shortest path (createTestModel) and along every
 *   simple path (getSimplePaths).
 */
import { describe, expect, it } from "vitest";
import {
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  type AnyTransitionDefinition,
  transition,
} from "xstate";
import { createTestModel, getAdjacencyMap, getShortestPaths, getSimplePaths } from "xstate/graph";
import {
  type WorkflowKind,
  allStateKeys,
  applyEvent,
  persist,
  restore,
  start,
  stateKey,
  workflows,
} from "../../workflows/index";
import { applicationAt } from "./helpers";
import {
  applicationModelEvents,
  applicationModelInputs,
  applicationVertex,
  assignmentModelEvents,
  callModelEvents,
  callModelInputs,
  disbursementModelEvents,
  disbursementModelInputs,
  fullVertex,
  isDecided,
} from "./model-events";

type SimplePathPlan = { fromState?: AnyMachineSnapshot; stopWhen?: (s: AnyMachineSnapshot) => boolean };

type Spec = {
  kind: WorkflowKind;
  inputs: unknown[];
  events: (snapshot: never) => object[];
  serializeState: (snapshot: never) => string;
  /** Simple paths are explored in parts where the whole chart has too many (application: 80 000+). */
  simplePathPlans: (input: never) => SimplePathPlan[];
};

const specs: Spec[] = [
  {
    kind: "assignment",
    inputs: [{}],
    events: assignmentModelEvents,
    serializeState: fullVertex,
    simplePathPlans: () => [{}],
  },
  { kind: "call", inputs: callModelInputs, events: callModelEvents, serializeState: fullVertex, simplePathPlans: () => [{}] },
  {
    kind: "disbursement",
    inputs: disbursementModelInputs,
    events: disbursementModelEvents,
    serializeState: fullVertex,
    simplePathPlans: () => [{}],
  },
  {
    kind: "application",
    inputs: applicationModelInputs,
    events: applicationModelEvents,
    serializeState: applicationVertex,
    // Up to the decision; then the whole grant phase from its first state (with an
    // interim report: the route without one is the final-report half of it).
    simplePathPlans: (input: (typeof applicationModelInputs)[number]) => [
      { stopWhen: isDecided },
      ...(input.interimReportRequired ? [{ fromState: applicationAt("interimDue", input) as AnyMachineSnapshot }] : []),
    ],
  },
];

// ---------------------------------------------------------------------------

/** What must survive a round trip: flat state, status, context, history. */
const comparable = (kind: WorkflowKind, snapshot: AnyMachineSnapshot) => {
  const p = persist(kind, snapshot as never);
  return { state: stateKey(snapshot), status: snapshot.status, context: p.context, history: p.historyValue };
};

type Edge = { event: object; state: AnyMachineSnapshot };
/** The explored graph: each vertex's snapshot and the outcome of each event tried on it. */
const adjacency = (machine: AnyStateMachine, opts: object) =>
  Object.values(getAdjacencyMap(machine, opts)) as Array<{ state: AnyMachineSnapshot; transitions: Record<string, Edge> }>;

const accepts = (snapshot: AnyMachineSnapshot, event: object): boolean =>
  snapshot.status === "active" && snapshot.can(event as never);

/**
 * Replays events twice side by side: on the machine directly (the reference)
 * and through the server's cycle on JSON text (the system under test).
 */
function replayer(kind: WorkflowKind, from: AnyMachineSnapshot) {
  const machine = workflows[kind].machine as AnyStateMachine;
  let reference = from;
  let stored = JSON.stringify(persist(kind, from as never));
  return {
    step(event: object, modelState: AnyMachineSnapshot) {
      const accepted = accepts(reference, event);
      const r = applyEvent(kind, restore(kind, JSON.parse(stored)), event as never);
      expect(r.ok, `${JSON.stringify(event)} in ${stateKey(reference)}`).toBe(accepted);
      if (accepted && r.ok) {
        // applyEvent runs the machine with one reused inert actor scope (workflows/index.ts): the same
        // next snapshot and the same actions, with their params, as XState's own transition.
        const [next, actions] = transition(machine, reference, event as never);
        expect(r.effects).toEqual(actions.map((a) => ({ type: a.type, params: a.params })));
        reference = next;
        stored = JSON.stringify(persist(kind, r.next as never));
      }
      expect(stateKey(reference)).toBe(stateKey(modelState));
      this.check();
    },
    check() {
      expect(comparable(kind, restore(kind, JSON.parse(stored)) as AnyMachineSnapshot)).toEqual(comparable(kind, reference));
    },
  };
}

function allTransitions(machine: AnyStateMachine): AnyTransitionDefinition[] {
  const out: AnyTransitionDefinition[] = [];
  const visit = (node: AnyStateNode) => {
    for (const list of node.transitions.values()) out.push(...list);
    (Object.values(node.states) as AnyStateNode[]).forEach(visit);
  };
  visit(machine.root);
  return out;
}

const describeTransition = (t: AnyTransitionDefinition): string => {
  const guard = t.guard as unknown as { guards?: unknown[] } | string | undefined;
  const names = typeof guard === "string" ? guard : guard?.guards?.join(",");
  return `${t.source.id} --${t.eventType}--> ${(t.target ?? []).map((n) => n.id).join(",") || "(stay)"} [${names ?? ""}]`;
};

for (const spec of specs) {
  const machine = workflows[spec.kind].machine as AnyStateMachine;
  const options = (input: unknown, extra: object = {}) =>
    ({ input, events: spec.events, serializeState: spec.serializeState, ...extra }) as never;

  describe(`${spec.kind} model`, () => {
    it("reaches every state from the initial state (getShortestPaths)", () => {
      const reached = new Set<string>();
      for (const input of spec.inputs) {
        for (const path of getShortestPaths(machine, options(input))) reached.add(stateKey(path.state));
      }
      expect([...reached].sort()).toEqual(allStateKeys(spec.kind).sort());
    });

    it("takes every transition of the chart", () => {
      const covered = new Set<AnyTransitionDefinition>();
      for (const input of spec.inputs) {
        for (const { state, transitions } of adjacency(machine, options(input))) {
          for (const { event } of Object.values(transitions)) {
            if (!accepts(state as AnyMachineSnapshot, event)) continue;
            for (const t of machine.getTransitionData(state as never, event as never)) covered.add(t);
          }
        }
      }
      const missing = allTransitions(machine).filter((t) => !covered.has(t)).map(describeTransition);
      expect(missing).toEqual([]);
    });

    it("gives the same result on every explored edge after JSON.parse(JSON.stringify(snapshot)) + restore", () => {
      let edges = 0;
      for (const input of spec.inputs) {
        for (const { state, transitions } of adjacency(machine, options(input))) {
          const before = state as AnyMachineSnapshot;
          for (const { event, state: after } of Object.values(transitions)) {
            const restored = restore(spec.kind, JSON.parse(JSON.stringify(before)));
            const r = applyEvent(spec.kind, restored, event as never);
            expect(r.ok).toBe(accepts(before, event));
            if (!r.ok) continue;
            expect(comparable(spec.kind, r.next as AnyMachineSnapshot)).toEqual(comparable(spec.kind, after as AnyMachineSnapshot));
            edges++;
          }
        }
      }
      expect(edges).toBeGreaterThan(0);
    });

    it("replays every shortest path through the server's JSON cycle (createTestModel)", async () => {
      const visited = new Set<string>();
      for (const input of spec.inputs) {
        const model = createTestModel(machine, options(input));
        for (const path of model.getShortestPaths()) {
          const sut = replayer(spec.kind, start(spec.kind, input as never).snapshot as AnyMachineSnapshot);
          await path.test({
            events: Object.fromEntries(
              workflows[spec.kind].eventTypes.map((type) => [
                type,
                (step: { event: object; state: unknown }) => sut.step(step.event, step.state as AnyMachineSnapshot),
              ]),
            ),
            states: {
              "*": (state) => {
                sut.check();
                visited.add(stateKey(state as AnyMachineSnapshot));
              },
            },
          });
        }
      }
      expect([...visited].sort()).toEqual(allStateKeys(spec.kind).sort());
    });

    it("replays every step of every simple path through the server's JSON cycle (getSimplePaths)", () => {
      let steps = 0;
      for (const input of spec.inputs) {
        for (const plan of spec.simplePathPlans(input as never)) {
          const from = plan.fromState ?? (start(spec.kind, input as never).snapshot as AnyMachineSnapshot);
          for (const path of getSimplePaths(machine, options(input, plan))) {
            const sut = replayer(spec.kind, from);
            for (const { event, state } of path.steps.slice(1)) {
              sut.step(event, state as AnyMachineSnapshot);
              steps++;
            }
          }
        }
      }
      expect(steps).toBeGreaterThan(0);
    }, 120_000);
  });
}
