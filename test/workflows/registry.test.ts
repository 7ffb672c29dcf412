import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { initialTransition, type AnyStateMachine, type AnyStateNode } from "xstate";
import {
  GENERAL_REFUSALS,
  WORKFLOW_KINDS,
  WorkflowRestoreError,
  allStateKeys,
  applyEvent,
  availableEvents,
  describeRule,
  explainRefusal,
  persist,
  persistedJson,
  restore,
  start,
  stateKey,
  workflows,
} from "../../workflows/index";
import { LATER, NOW, REQUESTED, app, applicationAt, drive, ev, kr, people } from "./helpers";

const WORKFLOWS_DIR = join(import.meta.dirname, "../../workflows");

describe("registry", () => {
  it("has the four machines, each with a stable id and a version", () => {
    expect(Object.keys(workflows)).toEqual(["assignment", "call", "application", "disbursement"]);
    for (const kind of WORKFLOW_KINDS) {
      expect(workflows[kind].machine.id).toBe(kind);
      expect(Number.isInteger(workflows[kind].version)).toBe(true);
    }
  });

  it("invokes, spawns and schedules nothing, so applyEvent may reuse one inert actor scope per machine", () => {
    for (const kind of WORKFLOW_KINDS) {
      const machine = workflows[kind].machine as AnyStateMachine;
      const visit = (node: AnyStateNode) => {
        expect(node.invoke, `${node.id} invokes`).toEqual([]);
        expect(node.after, `${node.id} has delayed transitions`).toEqual([]);
        (Object.values(node.states) as AnyStateNode[]).forEach(visit);
      };
      visit(machine.root);
      expect(Object.keys(machine.implementations.actors), kind).toEqual([]);
      expect(Object.keys(machine.implementations.delays), kind).toEqual([]);
    }
    // The machines' own files (index.ts only talks about them): no action that reaches another actor.
    for (const f of readdirSync(WORKFLOWS_DIR).filter((f) => f !== "index.ts")) {
      expect(readFileSync(join(WORKFLOWS_DIR, f), "utf8"), f).not.toMatch(/\b(spawnChild|sendTo|sendParent|spawn|forwardTo|enqueueActions|cancel)\s*\(/);
    }
  });

  it("start gives the same snapshot and actions as XState's initialTransition", () => {
    const input = { amountOre: 100_000, trigger: "at_start", plannedBy: "u1", plannedDate: NOW, paymentRequestRequired: true, requestDeadline: LATER };
    const [snapshot, actions] = initialTransition(workflows.disbursement.machine, input as never);
    const s = start("disbursement", input as never);
    expect(persist("disbursement", s.snapshot)).toEqual(persist("disbursement", snapshot as never));
    expect(s.actions).toEqual(actions.map((a) => a.type));
  });

  it("persistedJson is the text of persist", () => {
    for (const point of ["submitted", "presented", "interimDue"] as const) {
      const snapshot = applicationAt(point);
      expect(persistedJson("application", snapshot)).toBe(JSON.stringify(persist("application", snapshot)));
    }
  });

  it("lists every resting state key (for a DB enum)", () => {
    expect(allStateKeys("application")).toEqual([
      "draft",
      "submitted",
      "inAssessment",
      "completionRequested",
      "presented",
      "awaitingSecondDecision",
      "rejected",
      "withdrawn",
      "grantActive.interimReport.due",
      "grantActive.interimReport.submitted",
      "grantActive.interimReport.completionRequested",
      "grantActive.interimReport.resubmitted",
      "grantActive.finalReport.due",
      "grantActive.finalReport.submitted",
      "grantActive.finalReport.completionRequested",
      "grantActive.finalReport.resubmitted",
      "reclaim.proposed",
      "reclaim.decided",
      "reclaim.repaid",
      "reclaim.waived",
      "closed",
    ]);
    expect(allStateKeys("disbursement")).toEqual(["planned", "requested", "attested", "paid", "lapsed", "cancelled"]);
  });

  it("stateKey flattens nested state values", () => {
    expect(stateKey({ value: "draft" })).toBe("draft");
    expect(stateKey({ value: { grantActive: { finalReport: "submitted" } } })).toBe("grantActive.finalReport.submitted");
  });
});

describe("applyEvent refusals that are not a machine rule", () => {
  const s = () => applicationAt("draft");

  it("malformedEvent: no actor, or no valid time", () => {
    const noActor = applyEvent("application", s(), { type: "WITHDRAW", at: NOW } as never);
    expect(noActor.ok ? "accepted" : noActor.rule).toBe("malformedEvent");
    const badTime = applyEvent("application", s(), { type: "WITHDRAW", actor: people.applicant, at: "igår" });
    expect(badTime.ok ? "accepted" : badTime.rule).toBe("malformedEvent");
  });

  it("unknownEvent", () => {
    const r = applyEvent("application", s(), { type: "PUBLISH", actor: people.officer, at: NOW } as never);
    expect(r.ok ? "accepted" : r.rule).toBe("unknownEvent");
  });

  it("eventNotAllowedInState, with a Swedish message and an English log line", () => {
    const r = applyEvent("application", s(), app.decide("approved", REQUESTED));
    expect(r).toEqual({
      ok: false,
      rule: "eventNotAllowedInState",
      message: GENERAL_REFUSALS.eventNotAllowedInState.sv,
      logMessage: expect.stringContaining("DECIDE by dm-1 in application:draft"),
    });
  });

  it("caseIsFinished for a final state", () => {
    const r = applyEvent("application", applicationAt("closed"), ev("CLOSE_CASE", people.officer));
    expect(r.ok ? "accepted" : r.rule).toBe("caseIsFinished");
  });

  it("a refused event changes nothing", () => {
    const before = applicationAt("presented");
    const copy = JSON.stringify(before);
    applyEvent("application", before, app.decide("approved", REQUESTED, people.officer));
    expect(JSON.stringify(before)).toBe(copy);
  });

  it("explainRefusal returns null for an accepted event", () => {
    expect(explainRefusal("application", s(), app.submit())).toBeNull();
  });

  it("describeRule knows every rule and general refusal", () => {
    expect(describeRule("application", "fourEyes")).toMatchObject({ kind: "actor" });
    expect(describeRule("disbursement", "withinGrant")).toMatchObject({ kind: "data" });
    expect(describeRule("call", "caseIsFinished")).toMatchObject({ kind: "general" });
    expect(describeRule("call", "noSuchRule")).toBeNull();
  });
});

describe("persist and restore", () => {
  it("restores from persist() output and from JSON of the snapshot itself", () => {
    const s = applicationAt("interimSubmitted");
    const fromPersisted = restore("application", JSON.parse(JSON.stringify(persist("application", s))));
    const fromSnapshotJson = restore("application", JSON.parse(JSON.stringify(s)));
    for (const r of [fromPersisted, fromSnapshotJson]) {
      expect(stateKey(r)).toBe("grantActive.interimReport.submitted");
      expect(r.context).toEqual(s.context);
      expect(r.status).toBe("active");
      expect(r.can(ev("APPROVE_REPORT", people.officer, { kind: "interim" }))).toBe(true);
    }
  });

  it("keeps deep history across the round trip (a rejected reclaim returns to the right report stage)", () => {
    const s = drive("application", applicationAt("interimSubmitted"), [app.proposeReclaim(kr(1_000))]);
    const restored = restore("application", JSON.parse(JSON.stringify(persist("application", s))));
    const r = applyEvent("application", restored, ev("REJECT_RECLAIM", people.dm, { reasons: "Nej." }));
    expect(r.ok && r.state).toBe("grantActive.interimReport.submitted");
  });

  it("restores final states as done", () => {
    const r = restore("application", JSON.parse(JSON.stringify(applicationAt("closed"))));
    expect(r.status).toBe("done");
  });

  it("refuses another machine version, unknown states and junk", () => {
    const p = persist("call", start("call", { budgetOre: 1, opensAt: NOW, closesAt: LATER }).snapshot);
    expect(() => restore("call", p, workflows.call.version + 1)).toThrow(WorkflowRestoreError);
    expect(() => restore("call", { ...p, value: "nowhere" })).toThrow(WorkflowRestoreError);
    expect(() => restore("call", null)).toThrow(WorkflowRestoreError);
    expect(() => restore("call", { value: "draft" })).toThrow(WorkflowRestoreError);
    expect(stateKey(restore("call", p, workflows.call.version))).toBe("draft");
  });

  it("start returns the initial snapshot and state", () => {
    const r = start("disbursement", {
      amountOre: kr(10),
      trigger: "at_start",
      plannedBy: "u",
      paymentRequestRequired: false,
      requestDeadline: null,
    });
    expect(r.state).toBe("planned");
    expect(r.actions).toEqual([]);
  });
});

describe("availableEvents", () => {
  it("answers per person, in the machine's event order", () => {
    const s = applicationAt("presented");
    expect(availableEvents("application", s, people.dm)).toEqual(["RETURN_TO_ASSESSMENT", "DECIDE", "DECLARE_CONFLICT_OF_INTEREST"]);
    expect(availableEvents("application", s, people.applicant)).toEqual(["WITHDRAW"]);
    expect(availableEvents("application", s, people.nobody)).toEqual([]);
  });

  it("the presenter sees no DECIDE button even with the decision maker role", () => {
    const s = drive("application", applicationAt("inAssessment"), [app.present(people.presenterDm)]);
    expect(availableEvents("application", s, people.presenterDm)).not.toContain("DECIDE");
  });

  it("candidate events narrow the question and may carry real data", () => {
    const s = applicationAt("presented");
    expect(availableEvents("application", s, people.dm, ["DECIDE"])).toEqual(["DECIDE"]);
    const tooMuch = { type: "DECIDE" as const, outcome: "approved", grantedOre: REQUESTED, callBudgetLeftOre: 0 };
    expect(availableEvents("application", s, people.dm, [tooMuch])).toEqual([]);
  });

  it("returns nothing for a finished case", () => {
    expect(availableEvents("application", applicationAt("closed"), people.officer)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Structure: rules, effects and purity
// ---------------------------------------------------------------------------

function transitionsOf(machine: AnyStateMachine) {
  const out: Array<{ guard: unknown; actions: unknown[] }> = [];
  const visit = (node: AnyStateNode) => {
    for (const list of node.transitions.values()) out.push(...(list as never[]));
    out.push(...((node.always ?? []) as never[]));
    (Object.values(node.states) as AnyStateNode[]).forEach(visit);
  };
  visit(machine.root);
  return out;
}

function guardNames(guard: unknown): string[] {
  if (!guard) return [];
  if (typeof guard === "string") return [guard];
  const g = guard as { guards?: unknown[]; type?: string };
  if (Array.isArray(g.guards)) return g.guards.flatMap(guardNames);
  return g.type ? [g.type] : ["<inline guard>"];
}

const actionNames = (actions: unknown[]): string[] =>
  actions.map((a) => (typeof a === "string" ? a : ((a as { type?: string }).type ?? "<inline action>")));

describe.each(WORKFLOW_KINDS)("%s chart structure", (kind) => {
  const def = workflows[kind];
  const transitions = transitionsOf(def.machine as AnyStateMachine);
  const used = new Set(transitions.flatMap((t) => guardNames(t.guard)));
  const actions = new Set(transitions.flatMap((t) => actionNames(t.actions)));

  it("every guard is a named rule, and every rule is used", () => {
    expect([...used].filter((n) => !(n in def.rules))).toEqual([]);
    expect(Object.keys(def.rules).filter((n) => !used.has(n))).toEqual([]);
  });

  it("every rule has a Swedish and an English message", () => {
    for (const [name, rule] of Object.entries(def.rules)) {
      expect(rule.sv.trim().length, name).toBeGreaterThan(10);
      expect(rule.en.trim().length, name).toBeGreaterThan(5);
    }
  });

  it("every named action is either a declared server effect or a store… assign", () => {
    const unknown = [...actions].filter((a) => !def.effects.includes(a) && !a.startsWith("store"));
    expect(unknown).toEqual([]);
    expect(def.effects.filter((e) => !actions.has(e))).toEqual([]);
  });
});

describe("workflows/ stays pure", () => {
  const files = readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith(".ts"));

  it.each(files)("%s imports only xstate and relative files, and reads no clock", (file) => {
    const source = readFileSync(join(WORKFLOWS_DIR, file), "utf8");
    const imports = [...source.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
    for (const spec of imports) expect(spec === "xstate" || spec!.startsWith("./"), spec).toBe(true);
    expect(source).not.toMatch(/Date\.now|new Date\(\)|Math\.random|process\.|require\(/);
  });
});
