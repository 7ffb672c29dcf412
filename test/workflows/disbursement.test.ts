import { describe, expect, it } from "vitest";
import {
  type DisbursementEvent,
  type DisbursementInput,
  type DisbursementRuleName,
  SYSTEM_ACTOR,
  type WorkflowSnapshot,
  applyEvent,
  availableEvents,
  disbursementRules,
  start,
  stateKey,
} from "../../workflows/index";
import { LATER, NOW, disbursementInput, drive, kr, people } from "./helpers";

const fresh = (over: Partial<DisbursementInput> = {}) => start("disbursement", disbursementInput(over)).snapshot;
const noJav = { conflictOfInterestUserIds: [] as string[] };
const e = (type: DisbursementEvent["type"], who = people.finance, fields: object = {}): DisbursementEvent =>
  ({ type, actor: who, at: NOW, ...noJav, ...fields }) as DisbursementEvent;
const attest = (who = people.finance, fields: object = {}) =>
  e("ATTEST", who, { grantOre: kr(100_000), otherDisbursementsOre: 0, reportsApproved: { interim: false, final: false }, ...fields });
const requestPayment = (fields: object = {}) => e("REQUEST_PAYMENT", people.applicant, fields);
const markPaid = (fields: object = {}) => e("MARK_PAID", people.finance2, { paymentReference: "LB 2025-0042", paidOn: "2025-03-05", ...fields });
const requested = () => drive("disbursement", fresh(), [requestPayment()]);
const attested = () => drive("disbursement", requested(), [attest()]);

type Case = { given: () => WorkflowSnapshot<"disbursement">; refused: DisbursementEvent; allowed: DisbursementEvent };

const cases: Record<DisbursementRuleName, Case> = {
  isApplicant: { given: fresh, refused: e("REQUEST_PAYMENT", people.officer), allowed: requestPayment() },
  isFinance: { given: requested, refused: attest(people.dm), allowed: attest() },
  isOfficerOrDecisionMaker: {
    given: attested,
    refused: e("SUPERSEDE", people.finance, { reasons: "Beslutet rättat." }),
    allowed: e("SUPERSEDE", people.dm, { reasons: "Beslutet rättat." }),
  },
  isOfficerOrFinance: {
    given: attested,
    refused: e("CANCEL", people.applicant, { reasons: "x" }),
    allowed: e("CANCEL", people.officer, { reasons: "Projektet avbrutet." }),
  },
  hasNoConflictOfInterest: {
    given: requested,
    refused: attest(people.finance, { conflictOfInterestUserIds: [people.finance.userId] }),
    allowed: attest(people.finance, { conflictOfInterestUserIds: [people.finance2.userId] }),
  },
  attesterIsNotPlanner: {
    given: () => drive("disbursement", fresh({ plannedBy: people.finance.userId }), [requestPayment()]),
    refused: attest(people.finance),
    allowed: attest(people.finance2),
  },
  amountsInWholeOre: { given: requested, refused: attest(people.finance, { grantOre: 0.5 }), allowed: attest() },
  paymentRequestRequired: {
    given: () => fresh({ paymentRequestRequired: false, requestDeadline: null }),
    refused: requestPayment(),
    allowed: attest(),
  },
  paymentRequestNotRequired: { given: fresh, refused: attest(), allowed: requestPayment() },
  beforeRequestDeadline: {
    given: fresh,
    refused: requestPayment({ at: LATER }),
    allowed: requestPayment({ at: "2025-06-29T23:59:59Z" }),
  },
  requestDeadlinePassed: {
    given: fresh,
    refused: e("LAPSE", SYSTEM_ACTOR, { at: "2025-06-29T23:59:59Z" }),
    allowed: e("LAPSE", SYSTEM_ACTOR, { at: LATER }),
  },
  triggerMet: {
    given: () => drive("disbursement", fresh({ trigger: "after_final_report" }), [requestPayment()]),
    refused: attest(people.finance, { reportsApproved: { interim: true, final: false } }),
    allowed: attest(people.finance, { reportsApproved: { interim: true, final: true } }),
  },
  withinGrant: {
    given: requested,
    refused: attest(people.finance, { grantOre: kr(100_000), otherDisbursementsOre: kr(50_000) + 1 }),
    allowed: attest(people.finance, { grantOre: kr(100_000), otherDisbursementsOre: kr(50_000) }),
  },
  paymentReferenceGiven: { given: attested, refused: markPaid({ paymentReference: " " }), allowed: markPaid() },
  reasonsGiven: {
    given: fresh,
    refused: e("CANCEL", people.officer, { reasons: "" }),
    allowed: e("CANCEL", people.officer, { reasons: "Bidraget återkallat." }),
  },
};

describe("disbursement rules", () => {
  it("has a case for every rule", () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(disbursementRules).sort());
  });
  for (const [rule, c] of Object.entries(cases)) {
    it(`${rule}: refuses`, () => {
      const r = applyEvent("disbursement", c.given(), c.refused);
      expect(r.ok ? "accepted" : r.rule).toBe(rule);
    });
    it(`${rule}: allows`, () => {
      const r = applyEvent("disbursement", c.given(), c.allowed);
      if (!r.ok) throw new Error(r.logMessage);
    });
  }
});

describe("disbursement machine", () => {
  it("planned → requested → attested → paid, storing who did what", () => {
    const s = drive("disbursement", attested(), [markPaid()]);
    expect(stateKey(s)).toBe("paid");
    expect(s.status).toBe("done");
    expect(s.context).toMatchObject({
      requestedBy: people.applicant.userId,
      attestedBy: people.finance.userId,
      paidOn: "2025-03-05",
      paymentReference: "LB 2025-0042",
    });
  });

  it("without a payment request it is attested straight from planned", () => {
    const r = applyEvent("disbursement", fresh({ paymentRequestRequired: false, requestDeadline: null }), attest());
    expect(r.ok && r.state).toBe("attested");
    expect(r.ok && r.actions).toEqual(["recordAttestation"]);
  });

  it("trigger after_interim_report needs the interim report approved", () => {
    const s = drive("disbursement", fresh({ trigger: "after_interim_report" }), [requestPayment()]);
    expect(applyEvent("disbursement", s, attest()).ok).toBe(false);
    expect(applyEvent("disbursement", s, attest(people.finance, { reportsApproved: { interim: true, final: false } })).ok).toBe(true);
  });

  it("LAPSE only when a request was required", () => {
    const r = applyEvent("disbursement", fresh({ paymentRequestRequired: false, requestDeadline: null }), e("LAPSE", SYSTEM_ACTOR, { at: LATER }));
    expect(r.ok ? "accepted" : r.rule).toBe("paymentRequestRequired");
  });

  it("CANCEL from planned, requested and attested; not after payment", () => {
    for (const s of [fresh(), requested(), attested()]) {
      const r = applyEvent("disbursement", s, e("CANCEL", people.finance, { reasons: "Återkallat." }));
      expect(r.ok && r.state).toBe("cancelled");
    }
    const paid = drive("disbursement", attested(), [markPaid()]);
    const r = applyEvent("disbursement", paid, e("CANCEL", people.finance, { reasons: "x" }));
    expect(r.ok ? "accepted" : r.rule).toBe("caseIsFinished");
  });

  it("the UI gets the case facts through `facts`", () => {
    const s = requested();
    expect(availableEvents("disbursement", s, people.finance)).toEqual(["ATTEST", "CANCEL"]);
    const facts = { ...noJav, reportsApproved: { interim: false, final: false }, grantOre: kr(100_000), otherDisbursementsOre: 0 };
    expect(availableEvents("disbursement", fresh({ trigger: "after_final_report" }), people.applicant, undefined, facts)).toEqual(["REQUEST_PAYMENT"]);
    expect(availableEvents("disbursement", s, people.finance, undefined, { conflictOfInterestUserIds: [people.finance.userId] })).toEqual([]);
  });
});
