import { describe, expect, it } from "vitest";
import {
  type CallEvent,
  type CallInput,
  type CallRuleName,
  SYSTEM_ACTOR,
  applyEvent,
  availableEvents,
  callRules,
  start,
  stateKey,
  type WorkflowSnapshot,
} from "../../workflows/index";
import { NOW, drive, kr, people } from "./helpers";

const input = (over: Partial<CallInput> = {}): CallInput => ({
  budgetOre: kr(20_000_000),
  opensAt: "2025-02-01T00:00:00Z",
  closesAt: "2025-04-01T00:00:00Z",
  ...over,
});
const fresh = (over: Partial<CallInput> = {}) => start("call", input(over)).snapshot;
const e = <T extends CallEvent["type"]>(type: T, who = people.officer, fields: object = {}): CallEvent =>
  ({ type, actor: who, at: NOW, ...fields }) as CallEvent;
const published = () => drive("call", fresh(), [e("PUBLISH")]);
const closed = () => drive("call", published(), [e("CLOSE")]);

type Case = { given: () => WorkflowSnapshot<"call">; refused: CallEvent; allowed: CallEvent };

const cases: Record<CallRuleName, Case> = {
  isOfficer: { given: fresh, refused: e("PUBLISH", people.admin), allowed: e("PUBLISH") },
  isOfficerOrAdmin: {
    given: () => drive("call", closed(), [e("MARK_DECIDED", people.officer, { undecidedApplications: 0 })]),
    refused: e("ARCHIVE", people.finance),
    allowed: e("ARCHIVE", people.admin),
  },
  amountsInWholeOre: {
    given: fresh,
    refused: e("EDIT_TERMS", people.officer, { budgetOre: -1 }),
    allowed: e("EDIT_TERMS", people.officer, { budgetOre: kr(1) }),
  },
  budgetIsPositive: { given: () => fresh({ budgetOre: 0 }), refused: e("PUBLISH"), allowed: e("PUBLISH") },
  opensBeforeCloses: {
    given: () => fresh({ opensAt: "2025-04-01T00:00:00Z" }),
    refused: e("PUBLISH"),
    allowed: e("PUBLISH"),
  },
  publishedBeforeCloses: {
    given: fresh,
    refused: e("PUBLISH", people.officer, { at: "2025-04-01T00:00:00Z" }),
    allowed: e("PUBLISH", people.officer, { at: "2025-03-31T23:59:59Z" }),
  },
  deadlinePassed: {
    given: published,
    refused: e("CLOSE_BY_TIME", SYSTEM_ACTOR, { at: "2025-03-31T23:59:59.999Z" }),
    allowed: e("CLOSE_BY_TIME", SYSTEM_ACTOR, { at: "2025-04-01T00:00:00Z" }),
  },
  allApplicationsDecided: {
    given: closed,
    refused: e("MARK_DECIDED", people.officer, { undecidedApplications: 3 }),
    allowed: e("MARK_DECIDED", people.officer, { undecidedApplications: 0 }),
  },
};

// Cases whose "allowed" needs the situation fixed first (the rule reads context).
const fixFirst: Partial<Record<CallRuleName, CallEvent>> = {
  budgetIsPositive: e("EDIT_TERMS", people.officer, { budgetOre: kr(100) }),
  opensBeforeCloses: e("EDIT_TERMS", people.officer, { opensAt: "2025-03-01T00:00:00Z" }),
};

describe("call rules", () => {
  it("has a case for every rule", () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(callRules).sort());
  });
  for (const [rule, c] of Object.entries(cases) as Array<[CallRuleName, Case]>) {
    it(`${rule}: refuses`, () => {
      const r = applyEvent("call", c.given(), c.refused);
      expect(r.ok ? "accepted" : r.rule).toBe(rule);
    });
    it(`${rule}: allows`, () => {
      const fix = fixFirst[rule];
      const s = fix ? drive("call", c.given(), [fix]) : c.given();
      const r = applyEvent("call", s, c.allowed);
      if (!r.ok) throw new Error(r.logMessage);
    });
  }
});

describe("call machine", () => {
  it("closes by hand or by time, then decided, then archived (final)", () => {
    const byTime = applyEvent("call", published(), e("CLOSE_BY_TIME", SYSTEM_ACTOR, { at: "2025-04-01T00:00:00Z" }));
    expect(byTime.ok && byTime.next.context.closedBy).toBe("system");
    const s = drive("call", closed(), [e("MARK_DECIDED", people.officer, { undecidedApplications: 0 }), e("ARCHIVE")]);
    expect(stateKey(s)).toBe("archived");
    expect(s.status).toBe("done");
  });

  it("EDIT_TERMS only in draft, and stores the new terms", () => {
    const r = applyEvent("call", fresh(), e("EDIT_TERMS", people.officer, { budgetOre: kr(5), closesAt: "2025-05-01T00:00:00Z" }));
    expect(r.ok && r.next.context).toMatchObject({ budgetOre: kr(5), closesAt: "2025-05-01T00:00:00Z" });
    const late = applyEvent("call", published(), e("EDIT_TERMS", people.officer, { budgetOre: kr(5) }));
    expect(late.ok ? "accepted" : late.rule).toBe("eventNotAllowedInState");
  });

  it("does not offer the time-driven close as a button, but tests it when asked", () => {
    expect(availableEvents("call", published(), people.officer)).toEqual(["CLOSE"]);
    expect(availableEvents("call", published(), SYSTEM_ACTOR, ["CLOSE_BY_TIME"], { at: "2025-04-02T00:00:00Z" })).toEqual(["CLOSE_BY_TIME"]);
    expect(availableEvents("call", published(), SYSTEM_ACTOR, ["CLOSE_BY_TIME"], { at: "2025-03-02T00:00:00Z" })).toEqual([]);
  });
});
