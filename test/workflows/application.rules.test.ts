import { describe, expect, it } from "vitest";
import {
  type ApplicationEvent,
  type ApplicationRuleName,
  type WorkflowSnapshot,
  applicationRules,
  applyEvent,
  availableEvents,
  stateKey,
} from "../../workflows/index";
import {
  CALL_CLOSES,
  LATER,
  NOW,
  REQUESTED,
  THRESHOLD,
  app,
  applicationAt,
  drive,
  ev,
  kr,
  people,
} from "./helpers";

type Case = {
  /** the snapshot the event is sent to */
  given: () => WorkflowSnapshot<"application">;
  /** refused by exactly this rule */
  refused: ApplicationEvent;
  /** the same situation, the rule satisfied */
  allowed: ApplicationEvent;
};

type NonBranchRule = {
  [K in ApplicationRuleName]: (typeof applicationRules)[K]["kind"] extends "branch" ? never : K;
}[ApplicationRuleName];

const decideFields = {
  outcome: "approved" as const,
  grantedOre: REQUESTED,
  callBudgetLeftOre: kr(1_000_000),
  reasons: "Projektet uppfyller utlysningens syfte.",
};

/** A presented case whose presenter also holds the decision maker role. */
const presentedByDualRole = () =>
  drive("application", applicationAt("inAssessment"), [app.present(people.presenterDm)]);

/** A grant below the threshold on a request above it (for raise tests). */
const smallGrantOnBigRequest = () => applicationAt("interimDue");

/** One test case per rule that can refuse: a refused event and an allowed one. */
const cases: Record<NonBranchRule, Case> = {
  isApplicant: {
    given: () => applicationAt("draft"),
    refused: ev("SUBMIT", people.officer, { requestedOre: REQUESTED }),
    allowed: app.submit(),
  },
  isOfficer: {
    given: () => applicationAt("submitted"),
    refused: ev("START_ASSESSMENT", people.dm),
    allowed: ev("START_ASSESSMENT", people.officer),
  },
  isDecisionMaker: {
    given: () => applicationAt("presented"),
    refused: ev("DECIDE", people.officer2, decideFields),
    allowed: ev("DECIDE", people.dm, { ...decideFields, outcome: "rejected", grantedOre: 0 }),
  },
  isFinance: {
    given: () => applicationAt("reclaimDecided"),
    refused: ev("MARK_REPAID", people.dm, { amountOre: kr(40_000), paidOn: "2025-05-01", paymentReference: "OCR 1" }),
    allowed: ev("MARK_REPAID", people.finance, { amountOre: kr(40_000), paidOn: "2025-05-01", paymentReference: "OCR 1" }),
  },
  isReclaimDecider: {
    given: () => applicationAt("reclaimProposed"),
    refused: app.decideReclaim(kr(40_000), people.officer2),
    allowed: app.decideReclaim(kr(40_000), people.finance),
  },
  isOfficerOrFinance: {
    given: () => applicationAt("reclaimRepaid"),
    refused: ev("CLOSE_CASE", people.applicant),
    allowed: ev("CLOSE_CASE", people.finance),
  },
  mayDeclareConflictOfInterest: {
    given: () => applicationAt("inAssessment"),
    refused: ev("DECLARE_CONFLICT_OF_INTEREST", people.applicant),
    allowed: ev("DECLARE_CONFLICT_OF_INTEREST", people.officer2),
  },
  hasNoConflictOfInterest: {
    given: () => drive("application", applicationAt("submitted"), [ev("DECLARE_CONFLICT_OF_INTEREST", people.officer2)]),
    refused: ev("START_ASSESSMENT", people.officer2),
    allowed: ev("START_ASSESSMENT", people.officer),
  },
  conflictNotAlreadyDeclared: {
    given: () => drive("application", applicationAt("submitted"), [ev("DECLARE_CONFLICT_OF_INTEREST", people.officer2)]),
    refused: ev("DECLARE_CONFLICT_OF_INTEREST", people.officer2),
    allowed: ev("DECLARE_CONFLICT_OF_INTEREST", people.dm),
  },
  fourEyes: {
    given: presentedByDualRole,
    refused: ev("DECIDE", people.presenterDm, { ...decideFields, outcome: "rejected", grantedOre: 0 }),
    allowed: ev("DECIDE", people.dm, { ...decideFields, outcome: "rejected", grantedOre: 0 }),
  },
  confirmedByAnotherDecisionMaker: {
    given: () => applicationAt("awaitingSecondDecision"),
    refused: ev("CONFIRM_DECISION", people.dm),
    allowed: ev("CONFIRM_DECISION", people.dm2),
  },
  fourEyesOnReclaim: {
    given: () => drive("application", applicationAt("interimDue"), [app.proposeReclaim(kr(10_000), people.presenterDm)]),
    refused: app.decideReclaim(kr(10_000), people.presenterDm),
    allowed: app.decideReclaim(kr(10_000), people.dm),
  },
  amountsInWholeOre: {
    given: () => applicationAt("draft"),
    refused: app.submit(12_345.5),
    allowed: app.submit(12_345),
  },
  callIsOpen: {
    given: () => applicationAt("draft"),
    refused: ev("SUBMIT", people.applicant, { requestedOre: REQUESTED, callState: "closed" }),
    allowed: ev("SUBMIT", people.applicant, { requestedOre: REQUESTED, callState: "published" }),
  },
  applicantKindEligible: {
    given: () => applicationAt("draft"),
    refused: ev("SUBMIT", people.applicant, { requestedOre: REQUESTED, callEligibleKinds: ["nonprofit_association"], applicantKind: "municipality" }),
    allowed: ev("SUBMIT", people.applicant, { requestedOre: REQUESTED, callEligibleKinds: ["nonprofit_association", "municipality"], applicantKind: "municipality" }),
  },
  requestedWithinMaxAmount: {
    given: () => applicationAt("draft"),
    refused: ev("SUBMIT", people.applicant, { requestedOre: REQUESTED, callMaxAmountOre: REQUESTED - 1 }),
    allowed: ev("SUBMIT", people.applicant, { requestedOre: REQUESTED, callMaxAmountOre: REQUESTED }),
  },
  projectWithinMaxLength: {
    given: () => applicationAt("draft"),
    refused: ev("SUBMIT", people.applicant, { requestedOre: REQUESTED, callMaxProjectMonths: 12, projectMonths: 13 }),
    allowed: ev("SUBMIT", people.applicant, { requestedOre: REQUESTED, callMaxProjectMonths: 12, projectMonths: 12 }),
  },
  coversSeveralCounties: {
    given: () => applicationAt("draft"),
    refused: ev("SUBMIT", people.applicant, { requestedOre: REQUESTED, callRequiresMultipleCounties: true, countyCount: 1 }),
    allowed: ev("SUBMIT", people.applicant, { requestedOre: REQUESTED, callRequiresMultipleCounties: true, countyCount: 2 }),
  },
  cofundingShareRespected: {
    given: () => applicationAt("draft"),
    // Municipalities may apply for half the project's cost.
    refused: ev("SUBMIT", people.applicant, { requestedOre: kr(100_000), callMaxSharePercent: 50, cofundingOre: kr(99_999) }),
    allowed: ev("SUBMIT", people.applicant, { requestedOre: kr(100_000), callMaxSharePercent: 50, cofundingOre: kr(100_000) }),
  },
  beforeCallCloses: {
    given: () => applicationAt("draft"),
    refused: ev("SUBMIT", people.applicant, { requestedOre: REQUESTED, at: CALL_CLOSES }),
    allowed: ev("SUBMIT", people.applicant, { requestedOre: REQUESTED, at: "2025-03-31T23:59:59.999Z" }),
  },
  requestedIsPositive: {
    given: () => applicationAt("draft"),
    refused: app.submit(0),
    allowed: app.submit(1),
  },
  messageGiven: {
    given: () => applicationAt("inAssessment"),
    refused: ev("REQUEST_COMPLETION", people.officer, { message: "   ", deadline: LATER }),
    allowed: ev("REQUEST_COMPLETION", people.officer, { message: "Bifoga budget.", deadline: LATER }),
  },
  completionDeadlineInFuture: {
    given: () => applicationAt("inAssessment"),
    refused: ev("REQUEST_COMPLETION", people.officer, { message: "Bifoga budget.", deadline: NOW }),
    allowed: ev("REQUEST_COMPLETION", people.officer, { message: "Bifoga budget.", deadline: "2025-03-02" }),
  },
  recommendationGiven: {
    given: () => applicationAt("inAssessment"),
    refused: ev("PRESENT", people.officer, { recommendation: "maybe" as never }),
    allowed: ev("PRESENT", people.officer, { recommendation: "partly_approved", proposedGrantOre: kr(100_000) }),
  },
  proposalMatchesRecommendation: {
    given: () => applicationAt("inAssessment"),
    refused: ev("PRESENT", people.officer, { recommendation: "partly_approved", proposedGrantOre: REQUESTED + kr(1) }),
    allowed: ev("PRESENT", people.officer, { recommendation: "partly_approved", proposedGrantOre: REQUESTED - 1 }),
  },
  reasonsGiven: {
    given: () => applicationAt("presented"),
    refused: ev("DECIDE", people.dm, { ...decideFields, outcome: "rejected", grantedOre: 0, reasons: " " }),
    allowed: ev("DECIDE", people.dm, { ...decideFields, outcome: "rejected", grantedOre: 0 }),
  },
  grantedWithinRequested: {
    given: () => applicationAt("presented"),
    refused: ev("DECIDE", people.dm, { ...decideFields, outcome: "approved", grantedOre: REQUESTED + 1 }),
    allowed: ev("DECIDE", people.dm, { ...decideFields, outcome: "partly_approved", grantedOre: REQUESTED - kr(100_000) }),
  },
  partlyApprovedIsLess: {
    given: () => applicationAt("presented"),
    refused: ev("DECIDE", people.dm, { ...decideFields, outcome: "partly_approved", grantedOre: REQUESTED }),
    allowed: ev("DECIDE", people.dm, { ...decideFields, outcome: "partly_approved", grantedOre: REQUESTED - 1 }),
  },
  grantedWithinCallBudget: {
    given: () => applicationAt("presented"),
    refused: ev("DECIDE", people.dm, { ...decideFields, outcome: "partly_approved", grantedOre: kr(100_000), callBudgetLeftOre: kr(99_999) }),
    allowed: ev("DECIDE", people.dm, { ...decideFields, outcome: "partly_approved", grantedOre: kr(100_000), callBudgetLeftOre: kr(100_000) }),
  },
  grantNotBelowPaid: {
    given: () => applicationAt("interimDue"),
    refused: ev("RECONSIDER_DECISION", people.dm, { ...decideFields, outcome: "partly_approved", grantedOre: kr(50_000), paidOre: kr(60_000) }),
    allowed: ev("RECONSIDER_DECISION", people.dm, { ...decideFields, outcome: "partly_approved", grantedOre: kr(60_000), paidOre: kr(60_000) }),
  },
  increaseWithinSingleDecisionMakerLimit: {
    given: smallGrantOnBigRequest,
    refused: ev("CORRECT_DECISION", people.dm, { ...decideFields, outcome: "approved", grantedOre: REQUESTED, paidOre: 0 }),
    allowed: ev("CORRECT_DECISION", people.dm, { ...decideFields, outcome: "partly_approved", grantedOre: THRESHOLD, paidOre: 0 }),
  },
  reportIsInterim: {
    given: () => applicationAt("interimDue"),
    refused: app.submitReport("final"),
    allowed: app.submitReport("interim"),
  },
  reportIsFinal: {
    given: () => applicationAt("finalDue"),
    refused: app.submitReport("interim"),
    allowed: app.submitReport("final"),
  },
  reclaimGroundIsValid: {
    given: () => applicationAt("interimDue"),
    refused: ev("PROPOSE_RECLAIM", people.officer, { ground: "felaktigt" as never, amountOre: 1, paidOre: 1, reasons: "x" }),
    allowed: ev("PROPOSE_RECLAIM", people.officer, { ground: "no_report", amountOre: 1, paidOre: 1, reasons: "x" }),
  },
  unusedWithinGrant: {
    given: () => applicationAt("finalSubmitted"),
    // The grant in this world is 100 000 kr (partly approved).
    refused: app.approveReport("final", kr(100_000) + 1, kr(100_000)),
    allowed: app.approveReport("final", kr(100_000), kr(100_000)),
  },
  reclaimWithinPaid: {
    given: () => applicationAt("interimDue"),
    refused: ev("PROPOSE_RECLAIM", people.officer, { ground: "no_report", amountOre: kr(10_001), paidOre: kr(10_000), reasons: "x" }),
    allowed: ev("PROPOSE_RECLAIM", people.officer, { ground: "no_report", amountOre: kr(10_000), paidOre: kr(10_000), reasons: "x" }),
  },
  dueDateAfterDecision: {
    given: () => applicationAt("reclaimProposed"),
    refused: ev("DECIDE_RECLAIM", people.dm, { amountOre: kr(40_000), paidOre: kr(100_000), dueDate: "2025-02-01", reasons: "x" }),
    allowed: ev("DECIDE_RECLAIM", people.dm, { amountOre: kr(40_000), paidOre: kr(100_000), dueDate: "2025-04-01", reasons: "x" }),
  },
  waiverWithinOutstanding: {
    given: () => applicationAt("reclaimDecided"),
    refused: ev("WAIVE", people.dm2, { waivedOre: kr(40_000) + 1, reasons: "Synnerliga skäl." }),
    allowed: ev("WAIVE", people.dm2, { waivedOre: kr(40_000), reasons: "Synnerliga skäl." }),
  },
  repaymentWithinOutstanding: {
    given: () => applicationAt("reclaimDecided"),
    refused: ev("MARK_REPAID", people.finance, { amountOre: kr(40_000) + 1, paidOn: "2025-05-01", paymentReference: "OCR 1" }),
    allowed: ev("MARK_REPAID", people.finance, { amountOre: kr(10_000), paidOn: "2025-05-01", paymentReference: "OCR 1" }),
  },
  paymentReferenceGiven: {
    given: () => applicationAt("reclaimDecided"),
    refused: ev("MARK_REPAID", people.finance, { amountOre: kr(40_000), paidOn: "2025-05-01", paymentReference: "" }),
    allowed: ev("MARK_REPAID", people.finance, { amountOre: kr(40_000), paidOn: "2025-05-01", paymentReference: "OCR 1" }),
  },
};

describe("application rules: each refuses by name and allows when satisfied", () => {
  it("has a case for every rule that can refuse", () => {
    const refusing = Object.entries(applicationRules)
      .filter(([, r]) => r.kind !== "branch")
      .map(([name]) => name)
      .sort();
    expect(Object.keys(cases).sort()).toEqual(refusing);
  });

  for (const [rule, c] of Object.entries(cases)) {
    it(`${rule}: refuses`, () => {
      const r = applyEvent("application", c.given(), c.refused);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.rule).toBe(rule);
        expect(r.message).toBe(applicationRules[rule as NonBranchRule].sv);
        expect(r.logMessage).toContain(rule);
      }
    });
    it(`${rule}: allows`, () => {
      const r = applyEvent("application", c.given(), c.allowed);
      if (!r.ok) throw new Error(r.logMessage);
      expect(r.ok).toBe(true);
    });
  }
});

describe("application: jäv (conflict of interest) bars a person from everything", () => {
  const withJav = (who = people.dm) =>
    drive("application", applicationAt("presented"), [ev("DECLARE_CONFLICT_OF_INTEREST", who)]);

  it("records the declaration and the effect, and stays in the same state", () => {
    const r = applyEvent("application", applicationAt("presented"), ev("DECLARE_CONFLICT_OF_INTEREST", people.dm));
    expect(r.ok && r.state).toBe("presented");
    expect(r.ok && r.actions).toEqual(["recordConflictOfInterest"]);
    expect(r.ok && r.next.context.conflictOfInterestUserIds).toEqual([people.dm.userId]);
  });

  it("a decision maker with jäv cannot decide, return or act on the case", () => {
    const s = withJav();
    for (const e of [
      ev("DECIDE", people.dm, { ...decideFields, outcome: "rejected", grantedOre: 0 }),
      ev("RETURN_TO_ASSESSMENT", people.dm, { reasons: "x" }),
    ]) {
      const r = applyEvent("application", s, e);
      expect(r.ok ? "accepted" : r.rule).toBe("hasNoConflictOfInterest");
    }
    expect(availableEvents("application", s, people.dm)).toEqual([]);
    expect(availableEvents("application", s, people.dm2)).toContain("DECIDE");
  });

  it("jäv blocks confirmation, reclaim decisions and repayments too", () => {
    const awaiting = drive("application", applicationAt("awaitingSecondDecision"), [
      ev("DECLARE_CONFLICT_OF_INTEREST", people.dm2),
    ]);
    const c = applyEvent("application", awaiting, ev("CONFIRM_DECISION", people.dm2));
    expect(c.ok ? "accepted" : c.rule).toBe("hasNoConflictOfInterest");

    const decided = drive("application", applicationAt("reclaimDecided"), [
      ev("DECLARE_CONFLICT_OF_INTEREST", people.finance),
    ]);
    const m = applyEvent(
      "application",
      decided,
      ev("MARK_REPAID", people.finance, { amountOre: kr(40_000), paidOn: "2025-05-01", paymentReference: "OCR" }),
    );
    expect(m.ok ? "accepted" : m.rule).toBe("hasNoConflictOfInterest");
  });

  it("can be declared in any state that is not final, but not in a final one", () => {
    for (const point of ["draft", "inAssessment", "rejected", "interimDue", "reclaimDecided"] as const) {
      const r = applyEvent("application", applicationAt(point), ev("DECLARE_CONFLICT_OF_INTEREST", people.officer2));
      expect(r.ok, point).toBe(true);
    }
    const closed = applyEvent("application", applicationAt("closed"), ev("DECLARE_CONFLICT_OF_INTEREST", people.officer2));
    expect(closed.ok ? "accepted" : closed.rule).toBe("caseIsFinished");
  });
});

describe("application: four-eyes", () => {
  it("the presenter cannot decide, even holding the decision maker role", () => {
    const s = drive("application", applicationAt("inAssessment"), [app.present(people.presenterDm)]);
    expect(availableEvents("application", s, people.presenterDm)).not.toContain("DECIDE");
    const r = applyEvent("application", s, app.decide("approved", REQUESTED, people.presenterDm));
    expect(r.ok ? "accepted" : r.rule).toBe("fourEyes");
  });

  it("the presenter cannot confirm a pending decision either", () => {
    const s = drive("application", applicationAt("inAssessment"), [
      app.present(people.presenterDm),
      app.decide("approved", REQUESTED, people.dm),
    ]);
    const r = applyEvent("application", s, ev("CONFIRM_DECISION", people.presenterDm));
    expect(r.ok ? "accepted" : r.rule).toBe("fourEyes");
  });

  it("the presenter cannot correct or reconsider the decision", () => {
    const s = drive("application", applicationAt("inAssessment"), [
      app.present(people.presenterDm),
      app.decide("rejected", 0, people.dm),
    ]);
    const r = applyEvent(
      "application",
      s,
      ev("RECONSIDER_DECISION", people.presenterDm, { ...decideFields, outcome: "rejected", grantedOre: 0, paidOre: 0 }),
    );
    expect(r.ok ? "accepted" : r.rule).toBe("fourEyes");
  });

  it("records who decided and who presented", () => {
    const s = applicationAt("rejected");
    expect(s.context.decision).toMatchObject({ decidedBy: people.dm.userId, presentedBy: people.officer.userId });
  });
});

describe("application: submission and assessment", () => {
  it("SUBMIT registers the application and stores the amount", () => {
    const r = applyEvent("application", applicationAt("draft"), app.submit(kr(123)));
    expect(r.ok && r.actions).toEqual(["registerApplication"]);
    expect(r.ok && r.next.context).toMatchObject({ requestedOre: kr(123), submittedBy: people.applicant.userId, submittedAt: NOW });
  });

  it("deadline: a time zone offset is compared as an instant", () => {
    const s = applicationAt("draft");
    const atCloseInStockholm = ev("SUBMIT", people.applicant, { requestedOre: 1, at: "2025-04-01T02:00:00+02:00" });
    expect(applyEvent("application", s, atCloseInStockholm).ok).toBe(false);
    const before = ev("SUBMIT", people.applicant, { requestedOre: 1, at: "2025-04-01T01:59:59+02:00" });
    expect(applyEvent("application", s, before).ok).toBe(true);
  });

  it("completion: request ⇄ complete, the amount may change, officer may resume without it", () => {
    const s = applicationAt("completionRequested");
    expect(stateKey(s)).toBe("completionRequested");
    const done = applyEvent("application", s, ev("COMPLETE", people.applicant, { requestedOre: kr(150_000) }));
    expect(done.ok && done.state).toBe("inAssessment");
    expect(done.ok && done.next.context.requestedOre).toBe(kr(150_000));
    expect(done.ok && done.next.context.completionRequests[0]).toMatchObject({ completed: true, closedAt: NOW });

    const resumed = applyEvent("application", s, ev("RESUME_ASSESSMENT", people.officer));
    expect(resumed.ok && resumed.state).toBe("inAssessment");
    expect(resumed.ok && resumed.next.context.completionRequests[0]).toMatchObject({ completed: false });
  });

  it("PRESENT stores presentedBy and the recommendation", () => {
    const s = applicationAt("presented");
    expect(s.context).toMatchObject({ presentedBy: people.officer.userId, recommendation: "approved" });
  });

  it("a decision maker may return a presented case to assessment, with reasons", () => {
    const r = applyEvent("application", applicationAt("presented"), ev("RETURN_TO_ASSESSMENT", people.dm, { reasons: "Komplettera bedömningen." }));
    expect(r.ok && r.state).toBe("inAssessment");
  });
});

describe("application: decision branches", () => {
  it("rejection → rejected, recording the decision", () => {
    const r = applyEvent("application", applicationAt("presented"), app.decide("rejected", 0));
    expect(r.ok && r.state).toBe("rejected");
    expect(r.ok && r.effects).toEqual([{ type: "recordDecision", params: { outcome: "rejected", grantedOre: 0 } }]);
    expect(r.ok && r.next.status).toBe("active"); // reconsideration stays possible
  });

  it("grant within the threshold → grantActive with grant, budget, payment plan and report dates", () => {
    const r = applyEvent("application", applicationAt("presented"), app.decide("partly_approved", THRESHOLD));
    expect(r.ok && r.state).toBe("grantActive.interimReport.due");
    expect(r.ok && r.actions).toEqual(["recordDecision", "reserveBudget", "createGrant", "createPaymentPlan", "setReportDueDates"]);
    expect(r.ok && r.effects[1]).toEqual({ type: "reserveBudget", params: { amountOre: THRESHOLD } });
    expect(r.ok && r.next.context.grantedOre).toBe(THRESHOLD);
  });

  it("without an interim report the grant starts at the final report", () => {
    const s = applicationAt("presented", { interimReportRequired: false });
    const r = applyEvent("application", s, app.decide("approved", REQUESTED));
    // above the threshold: needs a second decision maker first
    expect(r.ok && r.state).toBe("awaitingSecondDecision");
    const c = applyEvent("application", r.ok ? r.next : s, ev("CONFIRM_DECISION", people.dm2));
    expect(c.ok && c.state).toBe("grantActive.finalReport.due");
  });

  it("above the threshold → awaitingSecondDecision with budget reserved; no grant until confirmed", () => {
    const r = applyEvent("application", applicationAt("presented"), app.decide("partly_approved", THRESHOLD + 1));
    expect(r.ok && r.state).toBe("awaitingSecondDecision");
    expect(r.ok && r.actions).toEqual(["recordPendingDecision", "reserveBudget"]);
    expect(r.ok && r.next.context.grantedOre).toBe(0);

    const c = applyEvent("application", r.ok ? r.next : applicationAt("presented"), ev("CONFIRM_DECISION", people.dm2));
    expect(c.ok && c.actions).toEqual(["recordDecision", "createGrant", "createPaymentPlan", "setReportDueDates"]);
    expect(c.ok && c.next.context.decision).toMatchObject({ decidedBy: people.dm.userId, confirmedBy: people.dm2.userId, grantedOre: THRESHOLD + 1 });
  });

  it("no threshold (null): one decision maker suffices for any amount", () => {
    const s = applicationAt("presented", { secondDecisionMakerAboveOre: null });
    const r = applyEvent("application", s, app.decide("approved", REQUESTED));
    expect(r.ok && r.state).toBe("grantActive.interimReport.due");
  });

  it("the second decision maker may send it back: budget released, case presented again", () => {
    const s = applicationAt("awaitingSecondDecision");
    const r = applyEvent("application", s, ev("RETURN_DECISION", people.dm2, { reasons: "Beloppet är för högt." }));
    expect(r.ok && r.state).toBe("presented");
    expect(r.ok && r.effects).toContainEqual({ type: "releaseBudget", params: { amountOre: REQUESTED } });
    expect(r.ok && r.next.context.pendingDecision).toBeNull();
  });

  it("refuses an unknown outcome by the outcome rule", () => {
    const r = applyEvent("application", applicationAt("presented"), ev("DECIDE", people.dm, { ...decideFields, outcome: "perhaps" as never }));
    expect(r.ok ? "accepted" : r.rule).toBe("partlyApprovedIsLess");
  });
});

describe("application: withdrawal", () => {
  it.each(["draft", "submitted", "inAssessment", "completionRequested", "presented"] as const)(
    "allowed from %s",
    (point) => {
      const r = applyEvent("application", applicationAt(point), ev("WITHDRAW", people.applicant));
      expect(r.ok && r.state).toBe("withdrawn");
      expect(r.ok && r.next.status).toBe("done");
    },
  );

  it("from awaitingSecondDecision it releases the reserved budget", () => {
    const r = applyEvent("application", applicationAt("awaitingSecondDecision"), ev("WITHDRAW", people.applicant));
    expect(r.ok && r.effects).toContainEqual({ type: "releaseBudget", params: { amountOre: REQUESTED } });
  });

  it.each(["rejected", "interimDue", "reclaimProposed"] as const)("not allowed after the decision (%s)", (point) => {
    const r = applyEvent("application", applicationAt(point), ev("WITHDRAW", people.applicant));
    expect(r.ok ? "accepted" : r.rule).toBe("eventNotAllowedInState");
  });

  it("only the applicant may withdraw", () => {
    const r = applyEvent("application", applicationAt("submitted"), ev("WITHDRAW", people.officer));
    expect(r.ok ? "accepted" : r.rule).toBe("isApplicant");
  });
});

describe("application: corrections and reconsiderations", () => {
  const change = (type: "CORRECT_DECISION" | "RECONSIDER_DECISION", outcome: "approved" | "partly_approved" | "rejected", grantedOre: number, paidOre = 0, who = people.dm2) =>
    ev(type, who, { ...decideFields, outcome, grantedOre, paidOre, reasons: "Omprövning efter överklagande." });

  it("reasons are required", () => {
    const r = applyEvent("application", applicationAt("rejected"), { ...change("CORRECT_DECISION", "rejected", 0), reasons: "" } as ApplicationEvent);
    expect(r.ok ? "accepted" : r.rule).toBe("reasonsGiven");
  });

  it("a corrected rejection stays rejected and is recorded", () => {
    const r = applyEvent("application", applicationAt("rejected"), change("CORRECT_DECISION", "rejected", 0));
    expect(r.ok && r.state).toBe("rejected");
    expect(r.ok && r.next.context.decisionChanges).toEqual([
      expect.objectContaining({ kind: "correction", by: people.dm2.userId, from: { outcome: "rejected", grantedOre: 0 }, to: { outcome: "rejected", grantedOre: 0 } }),
    ]);
  });

  it("a reconsidered rejection can become a grant", () => {
    const r = applyEvent("application", applicationAt("rejected"), change("RECONSIDER_DECISION", "partly_approved", kr(100_000)));
    expect(r.ok && r.state).toBe("grantActive.interimReport.due");
    expect(r.ok && r.actions).toEqual(["recordDecisionChange", "reserveBudget", "createGrant", "createPaymentPlan", "setReportDueDates"]);
    expect(r.ok && r.next.context.grantedOre).toBe(kr(100_000));
  });

  it("a reconsidered rejection above the threshold needs a second decision maker", () => {
    const r = applyEvent("application", applicationAt("rejected"), change("RECONSIDER_DECISION", "approved", REQUESTED));
    expect(r.ok && r.state).toBe("awaitingSecondDecision");
    const c = applyEvent("application", r.ok ? r.next : applicationAt("rejected"), ev("CONFIRM_DECISION", people.dm));
    expect(c.ok && c.next.context.decisionChanges).toEqual([
      expect.objectContaining({ kind: "reconsideration", from: { outcome: "rejected", grantedOre: 0 }, to: { outcome: "approved", grantedOre: REQUESTED } }),
    ]);
  });

  it("during the grant: lowering the amount adjusts the grant and keeps the report stage", () => {
    const s = applicationAt("interimSubmitted");
    const lower = { ...change("CORRECT_DECISION", "partly_approved", kr(80_000), kr(50_000)), callBudgetLeftOre: 0 };
    const r = applyEvent("application", s, lower as ApplicationEvent);
    expect(r.ok && r.state).toBe("grantActive.interimReport.submitted");
    expect(r.ok && r.effects).toContainEqual({ type: "adjustGrant", params: { fromOre: kr(100_000), toOre: kr(80_000) } });
  });

  it("during the grant: an increase must fit the call budget", () => {
    const r = applyEvent("application", applicationAt("interimDue"), {
      ...change("RECONSIDER_DECISION", "partly_approved", kr(120_000)),
      callBudgetLeftOre: kr(19_999),
    } as ApplicationEvent);
    expect(r.ok ? "accepted" : r.rule).toBe("grantedWithinCallBudget");
  });

  it("during the grant: rejection only when nothing was paid; it releases the budget and cancels the grant", () => {
    const paid = applyEvent("application", applicationAt("interimDue"), change("RECONSIDER_DECISION", "rejected", 0, 1));
    expect(paid.ok ? "accepted" : paid.rule).toBe("grantNotBelowPaid");
    const r = applyEvent("application", applicationAt("interimDue"), change("RECONSIDER_DECISION", "rejected", 0, 0));
    expect(r.ok && r.state).toBe("rejected");
    expect(r.ok && r.effects).toEqual([
      { type: "recordDecisionChange", params: undefined },
      { type: "releaseBudget", params: { amountOre: kr(100_000) } },
      { type: "cancelGrant", params: undefined },
    ]);
  });

  it("not possible before a decision", () => {
    const r = applyEvent("application", applicationAt("presented"), change("CORRECT_DECISION", "rejected", 0));
    expect(r.ok ? "accepted" : r.rule).toBe("eventNotAllowedInState");
  });
});

describe("application: reports", () => {
  it("interim: submitted → completion requested → resubmitted → approved → final report due", () => {
    const s = drive("application", applicationAt("interimSubmitted"), [
      ev("REQUEST_REPORT_COMPLETION", people.officer, { kind: "interim", message: "Bifoga huvudbok." }),
    ]);
    expect(stateKey(s)).toBe("grantActive.interimReport.completionRequested");
    const re = drive("application", s, [app.submitReport("interim")]);
    expect(stateKey(re)).toBe("grantActive.interimReport.resubmitted");
    const again = drive("application", re, [ev("REQUEST_REPORT_COMPLETION", people.officer, { kind: "interim", message: "Mer." })]);
    expect(stateKey(again)).toBe("grantActive.interimReport.completionRequested");
    const approved = applyEvent("application", re, app.approveReport("interim"));
    expect(approved.ok && approved.state).toBe("grantActive.finalReport.due");
    expect(approved.ok && approved.actions).toEqual(["recordReportApproval"]);
    expect(approved.ok && approved.next.context.reportsApproved).toEqual({ interim: true, final: false });
  });

  it("final approved without unused money → closed, grant closed", () => {
    const r = applyEvent("application", applicationAt("finalSubmitted"), app.approveReport("final", 0));
    expect(r.ok && r.state).toBe("closed");
    expect(r.ok && r.actions).toEqual(["recordReportApproval", "closeGrant"]);
    expect(r.ok && r.next.status).toBe("done");
  });

  it("final approved with unused money, all of it paid out → reclaim.proposed with exactly that amount", () => {
    const s = applicationAt("finalSubmitted");
    const granted = s.context.grantedOre;
    const r = applyEvent("application", s, app.approveReport("final", kr(12_345), granted));
    expect(r.ok && r.state).toBe("reclaim.proposed");
    expect(r.ok && r.effects).toContainEqual({ type: "limitPaymentsToUsed", params: { usedOre: granted - kr(12_345) } });
    expect(r.ok && r.effects).toContainEqual({ type: "proposeReclaim", params: { amountOre: kr(12_345), ground: "not_used_for_purpose" } });
    expect(r.ok && r.next.context.reclaim).toMatchObject({ origin: "final_report", proposedOre: kr(12_345), proposedBy: people.officer.userId });
  });

  it("final approved with unused money not yet paid out → closed, the remaining payments limited to what was used, nothing reclaimed", () => {
    const s = applicationAt("finalSubmitted");
    const granted = s.context.grantedOre;
    const paid = granted / 2;
    const r = applyEvent("application", s, app.approveReport("final", kr(10_000), paid));
    expect(r.ok && r.state).toBe("closed");
    expect(r.ok && r.actions).toEqual(["recordReportApproval", "limitPaymentsToUsed", "closeGrant"]);
    expect(r.ok && r.effects).toContainEqual({ type: "limitPaymentsToUsed", params: { usedOre: granted - kr(10_000) } });
  });

  it("final approved with more unused than is unpaid → only what was paid beyond use is reclaimed", () => {
    const s = applicationAt("finalSubmitted");
    const granted = s.context.grantedOre;
    const paid = granted / 2;
    const unused = granted - paid + kr(3_000); // used = paid − 3 000 kr
    const r = applyEvent("application", s, app.approveReport("final", unused, paid));
    expect(r.ok && r.state).toBe("reclaim.proposed");
    expect(r.ok && r.effects).toContainEqual({ type: "proposeReclaim", params: { amountOre: kr(3_000), ground: "not_used_for_purpose" } });
  });

  it("unused money larger than the grant is refused (never silently closed)", () => {
    const s = applicationAt("finalSubmitted");
    const r = applyEvent("application", s, app.approveReport("final", s.context.grantedOre + 1, s.context.grantedOre));
    expect(r.ok ? "accepted" : r.rule).toBe("unusedWithinGrant");
  });

  it("only officers approve, only applicants submit", () => {
    const a = applyEvent("application", applicationAt("finalSubmitted"), { ...app.approveReport("final", 0), actor: people.applicant });
    expect(a.ok ? "accepted" : a.rule).toBe("isOfficer");
    const b = applyEvent("application", applicationAt("finalDue"), { ...app.submitReport("final"), actor: people.officer });
    expect(b.ok ? "accepted" : b.rule).toBe("isApplicant");
  });
});

describe("application: reclaim", () => {
  it("proposed during the grant and rejected → back to the same report stage", () => {
    const s = drive("application", applicationAt("interimSubmitted"), [app.proposeReclaim(kr(1_000))]);
    expect(stateKey(s)).toBe("reclaim.proposed");
    const r = applyEvent("application", s, ev("REJECT_RECLAIM", people.dm, { reasons: "Grund saknas." }));
    expect(r.ok && r.state).toBe("grantActive.interimReport.submitted");
  });

  it("from the final report and rejected → closed", () => {
    const s = drive("application", applicationAt("finalSubmitted"), [app.approveReport("final", kr(1_000), kr(100_000))]);
    const r = applyEvent("application", s, ev("REJECT_RECLAIM", people.finance, { reasons: "Beloppet är för litet." }));
    expect(r.ok && r.state).toBe("closed");
  });

  it("decided by decision maker or finance, not by the proposer", () => {
    const r = applyEvent("application", applicationAt("reclaimProposed"), app.decideReclaim(kr(40_000), people.finance));
    expect(r.ok && r.state).toBe("reclaim.decided");
    expect(r.ok && r.next.context.reclaim).toMatchObject({ decidedOre: kr(40_000), decidedBy: people.finance.userId, dueDate: LATER });
  });

  it("a partial waiver leaves the rest due; repaying the rest → repaid → closed", () => {
    const s = drive("application", applicationAt("reclaimDecided"), [
      ev("WAIVE", people.dm2, { waivedOre: kr(10_000), reasons: "Delvis eftergift." }),
    ]);
    expect(stateKey(s)).toBe("reclaim.decided");
    expect(s.context.reclaim).toMatchObject({ waivedOre: kr(10_000) });
    const part = drive("application", s, [
      ev("MARK_REPAID", people.finance, { amountOre: kr(5_000), paidOn: "2025-05-01", paymentReference: "OCR 1" }),
    ]);
    expect(stateKey(part)).toBe("reclaim.decided");
    const rest = drive("application", part, [
      ev("MARK_REPAID", people.finance, { amountOre: kr(25_000), paidOn: "2025-05-02", paymentReference: "OCR 2" }),
    ]);
    expect(stateKey(rest)).toBe("reclaim.repaid");
    const closed = applyEvent("application", rest, ev("CLOSE_CASE", people.officer));
    expect(closed.ok && closed.state).toBe("closed");
    expect(closed.ok && closed.actions).toEqual(["closeCase"]);
  });

  it("waiving the whole outstanding amount → waived", () => {
    const r = applyEvent("application", applicationAt("reclaimDecided"), ev("WAIVE", people.dm2, { waivedOre: kr(40_000), reasons: "Eftergift." }));
    expect(r.ok && r.state).toBe("reclaim.waived");
  });

  it("a waiver needs reasons", () => {
    const r = applyEvent("application", applicationAt("reclaimDecided"), ev("WAIVE", people.dm2, { waivedOre: kr(40_000), reasons: "" }));
    expect(r.ok ? "accepted" : r.rule).toBe("reasonsGiven");
  });
});

describe("application: call deadline in representative events", () => {
  it("SUBMIT is offered before the call closes and refused with `at` after it", () => {
    const s = applicationAt("draft");
    expect(availableEvents("application", s, people.applicant)).toEqual(["SUBMIT", "WITHDRAW"]);
    expect(availableEvents("application", s, people.applicant, undefined, { at: CALL_CLOSES })).toEqual(["WITHDRAW"]);
  });
});
