/**
 * Model-based tests with xstate/graph, for every machine:
 * - every resting state is reachable from the initial state (shortest paths);
 * - every transition of the chart is taken somewhere in the explored graph;
 * - every step, after JSON.parse(JSON.stringify(snapshot)) + restore, gives
 *   the same next state and context as the machine itself (the server's
 *   load → apply → store cycle), along paths and on every explored edge.
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
import {
  applicationModelEvents,
  applicationModelInputs,
  assignmentModelEvents,
  callModelEvents,
  callModelInputs,
  disbursementModelEvents,
  disbursementModelInputs,
  fullVertex,
} from "./model-events";

type Spec = {
  kind: WorkflowKind;
  inputs: unknown[];
  events: (snapshot: any) => object[];
  serializeState: (snapshot: any) => string;
  /** getSimplePaths is exhaustive but explodes on the application chart (80 000+ paths). */
  simplePaths: boolean;
};

const specs: Spec[] = [
  { kind: "assignment", inputs: [undefined], events: assignmentModelEvents, serializeState: fullVertex, simplePaths: true },
  { kind: "call", inputs: callModelInputs, events: callModelEvents, serializeState: fullVertex, simplePaths: true },
  {
    kind: "disbursement",
    inputs: disbursementModelInputs,
    events: disbursementModelEvents,
    serializeState: fullVertex,
    simplePaths: true,
  },
  {
    kind: "application",
    inputs: applicationModelInputs,
    events: applicationModelEvents,
    serializeState: fullVertex,
    simplePaths: false,
  },
];

const roundTrip = (kind: WorkflowKind, snapshot: AnyMachineSnapshot) =>
  restore(kind, JSON.parse(JSON.stringify(snapshot))) as AnyMachineSnapshot;

const comparable = (kind: WorkflowKind, snapshot: AnyMachineSnapshot) => {
  const p = persist(kind, snapshot as never);
  return { state: stateKey(snapshot), status: snapshot.status, context: p.context, history: p.historyValue };
};

/** Apply `event` to the JSON round-tripped `before` and compare with the model's `after`. */
function expectSameAfterRoundTrip(kind: WorkflowKind, before: AnyMachineSnapshot, event: object, after: AnyMachineSnapshot) {
  const r = applyEvent(kind, roundTrip(kind, before) as never, event as never);
  if (!r.ok) throw new Error(`round trip refused ${JSON.stringify(event)}: ${r.logMessage}`);
  expect(comparable(kind, r.next as AnyMachineSnapshot)).toEqual(comparable(kind, after));
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
  const options = (input: unknown) => ({ input, events: spec.events, serializeState: spec.serializeState }) as any;

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
        const adjacency = getAdjacencyMap(machine, options(input));
        for (const { state, transitions } of Object.values(adjacency)) {
          for (const { event } of Object.values(transitions)) {
            for (const t of machine.getTransitionData(state as never, event as never)) covered.add(t);
          }
        }
      }
      const missing = allTransitions(machine).filter((t) => !covered.has(t)).map(describeTransition);
      expect(missing).toEqual([]);
    });

    it("gives the same result on every explored edge after a JSON round trip", () => {
      let edges = 0;
      for (const input of spec.inputs) {
        const adjacency = getAdjacencyMap(machine, options(input));
        for (const { state, transitions } of Object.values(adjacency)) {
          for (const { event, state: next } of Object.values(transitions)) {
            const s = state as AnyMachineSnapshot;
            if (s.status !== "active" || !s.can(event as never)) continue; // refusals are self-loops
            expectSameAfterRoundTrip(spec.kind, state as AnyMachineSnapshot, event, next as AnyMachineSnapshot);
            edges++;
          }
        }
      }
      expect(edges).toBeGreaterThan(0);
    });

    it("replays every shortest path through persist/restore (createTestModel)", async () => {
      for (const input of spec.inputs) {
        const model = createTestModel(machine, options(input));
        for (const path of model.getShortestPaths()) {
          // The system under test: the server's load → apply → store cycle on JSON.
          let stored = persist(spec.kind, start(spec.kind, input as never).snapshot as never);
          await path.test({
            events: Object.fromEntries(
              workflows[spec.kind].eventTypes.map((type) => [
                type,
                ({ event }: { event: object }) => {
                  const r = applyEvent(spec.kind, restore(spec.kind, stored), event as never);
                  if (!r.ok) throw new Error(r.logMessage);
                  stored = persist(spec.kind, r.next as never);
                },
              ]),
            ),
            states: {
              "*": (modelState) => {
                expect(comparable(spec.kind, restore(spec.kind, stored) as AnyMachineSnapshot)).toEqual(
                  comparable(spec.kind, modelState as AnyMachineSnapshot),
                );
              },
            },
          });
        }
      }
    });

    if (spec.simplePaths) {
      it("replays every step of every simple path after a JSON round trip (getSimplePaths)", () => {
        let steps = 0;
        for (const input of spec.inputs) {
          for (const path of getSimplePaths(machine, options(input))) {
            for (let i = 1; i < path.steps.length; i++) {
              const before = path.steps[i - 1]!.state as AnyMachineSnapshot;
              const { event, state: after } = path.steps[i]!;
              if (before.status !== "active" || !before.can(event as never)) continue; // refusals are self-loops
              const [expected] = transition(machine, before, event as never);
              expect(comparable(spec.kind, expected)).toEqual(comparable(spec.kind, after as AnyMachineSnapshot));
              expectSameAfterRoundTrip(spec.kind, before, event, after as AnyMachineSnapshot);
              steps++;
            }
          }
        }
        expect(steps).toBeGreaterThan(0);
      });
    }
  });
}
