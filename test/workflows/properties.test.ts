/**
 * Property tests (fast-check): random event sequences, sent by random people
 * with random (also invalid) data, never break the money and four-eyes rules.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Actor,
  type ApplicationEvent,
  type DisbursementEvent,
  type DisbursementTrigger,
  type WorkflowSnapshot,
  SYSTEM_ACTOR,
  allStateKeys,
  applyEvent,
  availableEvents,
  describeRule,
  isWholeOre,
  persist,
  reclaimOutstandingOre,
  restore,
  start,
  stateKey,
} from "../../workflows/index";
import { applicationEventTypes } from "../../workflows/application";
import {
  type ApplicationMilestone,
  CALL_CLOSES,
  LATER,
  NOW,
  REQUESTED,
  THRESHOLD,
  applicationAt,
  kr,
  people,
} from "./helpers";
import { applicationModelEvents } from "./model-events";

const everyone: Actor[] = Object.values(people);
const actorArb = fc.constantFrom(...everyone);
const timeArb = fc.constantFrom(NOW, "2025-03-31T23:59:59.999Z", CALL_CLOSES, LATER, "2024-12-31");
const oreArb = fc.oneof(
  fc.constantFrom(0, 1, kr(50_000), kr(100_000), THRESHOLD, THRESHOLD + 1, REQUESTED - 1, REQUESTED, REQUESTED + 1),
  fc.integer({ min: 0, max: kr(400_000) }),
  fc.constantFrom(-1, 0.5, Number.NaN),
);
const textArb = fc.constantFrom("", "  ", "Motivering.");
const outcomeArb = fc.constantFrom("approved", "partly_approved", "rejected", "unknown");
const kindArb = fc.constantFrom("interim", "final");
const groundArb = fc.constantFrom("no_report", "conditions_not_followed", "bad_ground");

/** Any application event, valid or not. */
const randomApplicationEvent: fc.Arbitrary<ApplicationEvent> = fc
  .record({
    type: fc.constantFrom(...applicationEventTypes),
    actor: actorArb,
    at: timeArb,
    requestedOre: oreArb,
    grantedOre: oreArb,
    callBudgetLeftOre: oreArb,
    paidOre: oreArb,
    unusedOre: oreArb,
    amountOre: oreArb,
    waivedOre: oreArb,
    outcome: outcomeArb,
    recommendation: outcomeArb,
    kind: kindArb,
    ground: groundArb,
    reasons: textArb,
    message: textArb,
    deadline: timeArb,
    dueDate: timeArb,
    paidOn: timeArb,
    paymentReference: textArb,
  })
  .map((e) => e as unknown as ApplicationEvent);

/** A change of one field of an event: a different sender, amount, outcome, time, text... */
const overrideArb = fc.oneof(
  actorArb.map((actor) => ({ actor })),
  timeArb.map((at) => ({ at })),
  oreArb.map((grantedOre) => ({ grantedOre })),
  oreArb.map((callBudgetLeftOre) => ({ callBudgetLeftOre })),
  oreArb.map((requestedOre) => ({ requestedOre })),
  oreArb.map((paidOre) => ({ paidOre })),
  oreArb.map((unusedOre) => ({ unusedOre })),
  oreArb.map((amountOre) => ({ amountOre })),
  oreArb.map((waivedOre) => ({ waivedOre })),
  outcomeArb.map((outcome) => ({ outcome })),
  kindArb.map((kind) => ({ kind })),
  textArb.map((reasons) => ({ reasons })),
);

/**
 * Each step: an event that fits the current state (from the model catalogue)
 * with up to two fields changed at random, or now and then an entirely random event.
 */
const stepArb = fc.record({
  random: fc.option(randomApplicationEvent, { freq: 8 }),
  /** mostly pick among the catalogue events the machine accepts right now */
  acceptedOnly: fc.boolean().chain((b) => (b ? fc.constant(true) : fc.boolean())),
  pick: fc.nat(),
  overrides: fc.array(overrideArb, { maxLength: 2 }),
});

/** The model catalogue plus the people who try what they must not: jäv, presenter deciding. */
function catalogueFor(s: WorkflowSnapshot<"application">): ApplicationEvent[] {
  const tricky = (type: ApplicationEvent["type"], actor: Actor, fields: object = {}) =>
    ({ type, actor, at: NOW, ...fields }) as ApplicationEvent;
  const decide = { outcome: "approved", grantedOre: s.context.requestedOre, callBudgetLeftOre: kr(1_000_000), reasons: "M." };
  return [
    ...applicationModelEvents(s),
    tricky("PRESENT", people.presenterDm, { recommendation: "approved" }),
    tricky("DECIDE", people.presenterDm, decide),
    tricky("DECIDE", people.dm2, decide),
    tricky("DECIDE", people.dm2, { ...decide, outcome: "partly_approved", grantedOre: kr(100_000) }),
    tricky("CONFIRM_DECISION", people.presenterDm),
    tricky("CONFIRM_DECISION", people.dm),
    tricky("RECONSIDER_DECISION", people.presenterDm, { ...decide, paidOre: 0 }),
    ...[people.dm, people.dm2, people.finance, people.presenterDm].map((who) => tricky("DECLARE_CONFLICT_OF_INTEREST", who)),
  ];
}

function eventFor(s: WorkflowSnapshot<"application">, step: StepValue): ApplicationEvent {
  if (step.random !== null) return step.random;
  const catalogue = catalogueFor(s);
  const accepted = catalogue.filter((e) => s.status === "active" && s.can(e));
  const pool = step.acceptedOnly && accepted.length > 0 ? accepted : catalogue;
  const base = pool[step.pick % pool.length]!;
  return Object.assign({}, base, ...step.overrides) as ApplicationEvent;
}
type StepValue = { random: ApplicationEvent | null; acceptedOnly: boolean; pick: number; overrides: object[] };

/** Where a run starts: any milestone (scripted for the default input), or an early one with any threshold and report route. */
const startArb = fc.oneof(
  fc.record({
    milestone: fc.constantFrom<ApplicationMilestone>(
      "draft",
      "inAssessment",
      "presented",
      "awaitingSecondDecision",
      "rejected",
      "interimDue",
      "finalSubmitted",
      "reclaimDecided",
    ),
    threshold: fc.constant<number | null>(THRESHOLD),
    interimReportRequired: fc.constant(true),
  }),
  fc.record({
    milestone: fc.constantFrom<ApplicationMilestone>("draft", "inAssessment", "presented"),
    threshold: fc.constantFrom<number | null>(null, 0, kr(100_000)),
    interimReportRequired: fc.boolean(),
  }),
);

function checkApplicationInvariants(before: WorkflowSnapshot<"application">, event: ApplicationEvent, after: WorkflowSnapshot<"application">) {
  const c = after.context;
  // granted never above requested, always whole öre
  expect(isWholeOre(c.grantedOre)).toBe(true);
  expect(c.grantedOre).toBeLessThanOrEqual(c.requestedOre);
  for (const d of [c.decision, c.pendingDecision]) {
    if (d === null) continue;
    expect(d.grantedOre).toBeLessThanOrEqual(c.requestedOre);
    // never decided (or confirmed) by the presenter; the confirmer is someone else
    expect(d.decidedBy).not.toBe(d.presentedBy);
    if (d.confirmedBy !== null) {
      expect(d.confirmedBy).not.toBe(d.decidedBy);
      expect(d.confirmedBy).not.toBe(d.presentedBy);
    }
    if (d.outcome === "rejected") expect(d.grantedOre).toBe(0);
    if (d.outcome === "approved") expect(d.grantedOre).toBe(c.requestedOre);
    if (d.outcome === "partly_approved") expect(d.grantedOre).toBeLessThan(c.requestedOre);
  }
  // nobody with jäv ever gets an event through (declaring jäv is the only thing they may do, once)
  expect(before.context.conflictOfInterestUserIds).not.toContain(event.actor.userId);
  // a reclaim never has more waived and repaid than decided
  if (c.reclaim) {
    expect(reclaimOutstandingOre(c.reclaim)).toBeGreaterThanOrEqual(0);
    expect(c.reclaim.proposedBy).not.toBe(c.reclaim.decidedBy);
  }
  expect(allStateKeys("application")).toContain(stateKey(after));
}

describe("application properties", () => {
  it("random event sequences never grant more than requested, never let the presenter or a person with jäv decide", () => {
    fc.assert(
      fc.property(startArb, fc.array(stepArb, { maxLength: 50, size: "medium" }), (init, steps) => {
        let s = applicationAt(init.milestone, {
          secondDecisionMakerAboveOre: init.threshold,
          interimReportRequired: init.interimReportRequired,
        });
        for (const step of steps) {
          const event = eventFor(s, step);
          const r = applyEvent("application", s, event);
          if (!r.ok) {
            // every refusal names a known rule, with a Swedish message
            expect(describeRule("application", r.rule)).not.toBeNull();
            expect(r.message.length).toBeGreaterThan(0);
            continue;
          }
          checkApplicationInvariants(s, event, r.next);
          // the UI would have offered this button to this person
          expect(availableEvents("application", s, event.actor, [event.type], { at: event.at })).toEqual([event.type]);
          // and the stored JSON gives the same case back
          expect(persist("application", restore("application", JSON.parse(JSON.stringify(r.next))))).toEqual(
            persist("application", r.next),
          );
          s = r.next;
        }
      }),
      { numRuns: 500 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------
// Disbursements of one grant
// ---------------------------------------------------------------------------

const planArb = fc.array(
  fc.record({
    amountOre: fc.integer({ min: 1, max: kr(80_000) }),
    trigger: fc.constantFrom<DisbursementTrigger>("at_start", "after_interim_report", "after_final_report"),
    paymentRequestRequired: fc.boolean(),
    plannedBy: fc.constantFrom(people.officer.userId, people.finance.userId),
  }),
  { minLength: 1, maxLength: 5 },
);

const disbursementStepArb = fc.record({
  index: fc.nat(),
  type: fc.constantFrom("REQUEST_PAYMENT", "ATTEST", "ATTEST", "MARK_PAID", "LAPSE", "CANCEL"),
  // mostly people who may act on payments, sometimes anyone
  actor: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(people.finance, people.finance2, people.applicant) },
    { weight: 1, arbitrary: fc.constantFrom(...everyone, SYSTEM_ACTOR) },
  ),
  at: fc.constantFrom(NOW, LATER),
  reportsApproved: fc.record({ interim: fc.boolean(), final: fc.boolean() }),
  conflictOfInterestUserIds: fc.oneof(
    { weight: 4, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: fc.subarray([people.finance.userId, people.officer.userId]) },
  ),
  reasons: textArb,
});

const committed = (s: WorkflowSnapshot<"disbursement">) => ["attested", "paid"].includes(stateKey(s));

describe("disbursement properties", () => {
  it("the sum of attested and paid instalments never exceeds the grant", () => {
    fc.assert(
      fc.property(planArb, fc.integer({ min: 30, max: 120 }), fc.array(disbursementStepArb, { maxLength: 40, size: "medium" }), (plan, percent, steps) => {
        // the grant is somewhere between a third of the plan and a little more than all of it
        const grantOre = Math.max(1, Math.floor((plan.reduce((sum, p) => sum + p.amountOre, 0) * percent) / 100));
        let instalments = plan.map(
          (p) =>
            start("disbursement", {
              ...p,
              requestDeadline: p.paymentRequestRequired ? "2025-06-01T00:00:00Z" : null,
            }).snapshot,
        );
        for (const step of steps) {
          const i = step.index % instalments.length;
          const s = instalments[i]!;
          // what the server computes from the database: the OTHER committed instalments
          const otherDisbursementsOre = instalments
            .filter((other, j) => j !== i && committed(other))
            .reduce((sum, other) => sum + other.context.amountOre, 0);
          const event = {
            ...step,
            grantOre,
            otherDisbursementsOre,
            paymentReference: "LB 1",
            paidOn: "2025-03-05",
          } as unknown as DisbursementEvent;
          const r = applyEvent("disbursement", s, event);
          if (!r.ok) {
            expect(describeRule("disbursement", r.rule)).not.toBeNull();
            continue;
          }
          expect(r.next.context.attestedBy === null || r.next.context.attestedBy !== r.next.context.plannedBy).toBe(true);
          instalments = instalments.map((x, j) => (j === i ? r.next : x));
          const total = instalments.filter(committed).reduce((sum, x) => sum + x.context.amountOre, 0);
          expect(total).toBeLessThanOrEqual(grantOre);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
