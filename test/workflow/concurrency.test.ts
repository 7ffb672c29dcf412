// The workflow engine under real concurrency: many transactions at once on
// separate Prisma clients (separate connection pools, as several app servers
// would have), against one PostgreSQL. Budgets are never over-committed, a
// case changed by two people at once keeps exactly one of the changes,
// registration numbers stay gapless through rollbacks, and a client whose
// transactions fail (refusals, constraint violations, lock and transaction
// timeouts, deadlocks) keeps answering every later query with its own rows
// (prisma/prisma issue 30374).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { useTestDatabase } from "../support/db";
import { boardOf } from "../support/fixtures";
import type { Db } from "../../app/db.server";
import { logger } from "../../app/logger.server";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { allocate, createAssignment, createCall } from "../../app/workflow/create.server";
import { reconcile } from "../../app/workflow/budget.server";
import { verifyAuditChains } from "../../app/workflow/audit.server";
import { WorkflowConflict, WorkflowRefused } from "../../app/workflow/errors";
import { municipalities } from "../../prisma/seed/reference";
import {
  MSEK,
  T,
  approve,
  attempt,
  barrier,
  draftApplication,
  makeWorld,
  mapLimit,
  openCall,
  presentedApplication,
  prismaClient,
  submittedApplication,
  type Attempt,
  type World,
} from "../bench/world";

const t = useTestDatabase();
/** Four "app servers", each with its own pool of 12 connections. */
let servers: Db[] = [];
let w: World;
const server = (i: number) => servers[i % servers.length];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

beforeAll(async () => {
  logger.level = "warn"; // hundreds of expected refusals
  servers = range(4).map(() => prismaClient(t.url, 12));
  w = await makeWorld(t.db);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.$disconnect()));
});

async function invariantsHold() {
  expect(await reconcile(t.db)).toEqual([]);
  const chains = await verifyAuditChains(t.db);
  expect(chains.firstBreak).toBeNull();
}

const refusedRule = (a: Attempt<unknown>) => ("refused" in a ? a.refused.rule : null);
const otherErrors = (as: Attempt<unknown>[]) => as.filter((a) => "error" in a).map((a) => ("error" in a ? String(a.error) : ""));

async function auditCount(caseId: string, eventType?: string) {
  return t.db.auditEvent.count({ where: { caseId, ...(eventType ? { eventType } : {}) } });
}

describe("budget of one call under parallel approvals", () => {
  it("50 parallel approvals, budget for 17: exactly 17 succeed, 33 are refused by grantedWithinCallBudget, nothing else changes", async () => {
    const amount = 3_000_000n; // 30 000 kr
    const budget = amount * 17n + amount / 2n; // room for 17 and a half
    const callId = await openCall(t.db, w, { budgetOre: budget });
    const ids = await mapLimit(range(50), 6, (i) => presentedApplication(server(i), w, callId, amount));
    const before = await t.db.application.findMany({ where: { id: { in: ids } }, select: { id: true, version: true } });
    expect(new Set(before.map((a) => a.version))).toEqual(new Set([4]));

    const ready = barrier(50);
    const results = await Promise.all(
      ids.map(async (id, i) => {
        await ready();
        return attempt(applyWorkflowEvent(server(i), i % 2 ? w.decider : w.decider2, "application", id, approve(amount), { now: T.assessed }));
      }),
    );

    expect(otherErrors(results)).toEqual([]);
    const won = ids.filter((_, i) => results[i].ok);
    const lost = ids.filter((_, i) => !results[i].ok);
    expect(won).toHaveLength(17);
    expect(new Set(results.filter((r) => !r.ok).map(refusedRule))).toEqual(new Set(["grantedWithinCallBudget"]));

    const call = await t.db.call.findUniqueOrThrow({ where: { id: callId } });
    const grants = await t.db.grant.aggregate({ where: { application: { callId } }, _sum: { amountOre: true }, _count: true });
    expect(call.grantedOre).toBe(amount * 17n);
    expect(call.grantedOre).toBeLessThanOrEqual(call.budgetOre);
    expect(grants._count).toBe(17);
    expect(grants._sum.amountOre).toBe(call.grantedOre);

    for (const id of won) {
      const a = await t.db.application.findUniqueOrThrow({ where: { id } });
      expect(a.state.startsWith("grantActive")).toBe(true);
      expect(a.version).toBe(5);
      expect(await auditCount(id, "DECIDE")).toBe(1);
      expect(await auditCount(id)).toBe(5);
      expect(await t.db.decision.count({ where: { applicationId: id } })).toBe(1);
      expect(await t.db.outboxMessage.count({ where: { caseId: id, topic: "application.DECIDE" } })).toBe(1);
    }
    for (const id of lost) {
      const a = await t.db.application.findUniqueOrThrow({ where: { id } });
      expect(a.state).toBe("presented");
      expect(a.version).toBe(4);
      expect(await auditCount(id, "DECIDE")).toBe(0);
      expect(await auditCount(id)).toBe(4);
      expect(await t.db.decision.count({ where: { applicationId: id } })).toBe(0);
      expect(await t.db.grant.count({ where: { applicationId: id } })).toBe(0);
      expect(await t.db.outboxMessage.count({ where: { caseId: id, topic: "application.DECIDE" } })).toBe(0);
    }
    await invariantsHold();
  });

  it("parallel approvals of different amounts: Σ granted ≤ budget, and every refused amount is more than was left", async () => {
    // Amounts from 5 000 kr to 95 000 kr in a fixed shuffled order; the budget fits about a third.
    const amounts = range(30).map((i) => BigInt(500_000 + ((i * 7919) % 30) * 300_000));
    const total = amounts.reduce((a, b) => a + b, 0n);
    const callId = await openCall(t.db, w, { budgetOre: total / 3n });
    const ids = await mapLimit(amounts, 6, (amount, i) => presentedApplication(server(i), w, callId, amount));

    const ready = barrier(ids.length);
    const results = await Promise.all(
      ids.map(async (id, i) => {
        await ready();
        return attempt(applyWorkflowEvent(server(i), w.decider, "application", id, approve(amounts[i]), { now: T.assessed }));
      }),
    );
    expect(otherErrors(results)).toEqual([]);
    const call = await t.db.call.findUniqueOrThrow({ where: { id: callId } });
    const granted = amounts.filter((_, i) => results[i].ok).reduce((a, b) => a + b, 0n);
    const left = call.budgetOre - call.grantedOre;
    expect(call.grantedOre).toBe(granted);
    expect(granted).toBeLessThanOrEqual(call.budgetOre);
    for (const [i, r] of results.entries()) {
      if (r.ok) continue;
      expect(refusedRule(r)).toBe("grantedWithinCallBudget");
      // Budget only shrinks during the race, so a refusal was right only if it still does not fit.
      expect(amounts[i]).toBeGreaterThan(left);
    }
    await invariantsHold();
  });
});

describe("two people acting on the same case at once", () => {
  async function inAssessment(n: number): Promise<string[]> {
    const callId = await openCall(t.db, w, { budgetOre: 50n * MSEK });
    return mapLimit(range(n), 6, async (i) => {
      const id = await submittedApplication(server(i), w, callId, 1_000_000n);
      await applyWorkflowEvent(server(i), w.officer, "application", id, { type: "START_ASSESSMENT" }, { now: T.assessed });
      return id;
    });
  }

  const requestCompletion = { type: "REQUEST_COMPLETION", message: "Bifoga en budget per aktivitet.", deadline: "2020-05-01T00:00:00Z" };
  const present = { type: "PRESENT", recommendation: "approved", proposedGrantOre: 1_000_000 };

  it("REQUEST_COMPLETION against PRESENT with the same expectedVersion: one wins, the other gets a 409 conflict, nothing is lost or doubled", async () => {
    const ids = await inAssessment(10);
    const ready = barrier(20);
    const pairs = await Promise.all(
      ids.map(async (id, i) => {
        const { version } = await t.db.application.findUniqueOrThrow({ where: { id } });
        const [a, b] = await Promise.all([
          ready().then(() => attempt(applyWorkflowEvent(server(i), w.officer, "application", id, requestCompletion, { now: T.assessed, expectedVersion: version }))),
          ready().then(() => attempt(applyWorkflowEvent(server(i + 1), w.officer2, "application", id, present, { now: T.assessed, expectedVersion: version }))),
        ]);
        return { id, version, a, b };
      }),
    );
    for (const { id, version, a, b } of pairs) {
      expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
      const loser = a.ok ? b : a;
      expect("refused" in loser && loser.refused).toBeInstanceOf(WorkflowConflict);
      expect("refused" in loser && loser.refused.status).toBe(409);
      const row = await t.db.application.findUniqueOrThrow({ where: { id } });
      expect(row.version).toBe(version + 1);
      expect(await auditCount(id)).toBe(version + 1);
      expect(row.state).toBe(a.ok ? "completionRequested" : "presented");
      expect(await t.db.completionRequest.count({ where: { applicationId: id } })).toBe(a.ok ? 1 : 0);
      expect(await t.db.assessment.count({ where: { applicationId: id } })).toBe(a.ok ? 0 : 1);
    }
    await invariantsHold();
  });

  it("the same race without expectedVersion: the second one is refused because the state has moved on", async () => {
    const ids = await inAssessment(10);
    const ready = barrier(20);
    const pairs = await Promise.all(
      ids.map(async (id, i) => {
        const [a, b] = await Promise.all([
          ready().then(() => attempt(applyWorkflowEvent(server(i), w.officer, "application", id, requestCompletion, { now: T.assessed }))),
          ready().then(() => attempt(applyWorkflowEvent(server(i + 1), w.officer2, "application", id, present, { now: T.assessed }))),
        ]);
        return { id, a, b };
      }),
    );
    for (const { id, a, b } of pairs) {
      expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
      expect(refusedRule(a.ok ? b : a)).toBe("eventNotAllowedInState");
      const row = await t.db.application.findUniqueOrThrow({ where: { id } });
      expect(row.version).toBe(4);
      expect(await auditCount(id)).toBe(4);
    }
    await invariantsHold();
  });

  it("two decision makers approve the same case at once: one decision, one grant, the budget reserved once", async () => {
    const amount = 2_000_000n;
    const callId = await openCall(t.db, w, { budgetOre: 100n * MSEK });
    const ids = await mapLimit(range(8), 6, (i) => presentedApplication(server(i), w, callId, amount));
    const ready = barrier(16);
    const pairs = await Promise.all(
      ids.map(async (id, i) => {
        const opts = i % 2 ? { now: T.assessed, expectedVersion: 4 } : { now: T.assessed };
        const [a, b] = await Promise.all([
          ready().then(() => attempt(applyWorkflowEvent(server(i), w.decider, "application", id, approve(amount), opts))),
          ready().then(() => attempt(applyWorkflowEvent(server(i + 1), w.decider2, "application", id, approve(amount), opts))),
        ]);
        return { id, i, a, b };
      }),
    );
    for (const { id, i, a, b } of pairs) {
      expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
      expect(refusedRule(a.ok ? b : a)).toBe(i % 2 ? "versionConflict" : "eventNotAllowedInState");
      expect(await t.db.decision.count({ where: { applicationId: id } })).toBe(1);
      expect(await t.db.grant.count({ where: { applicationId: id } })).toBe(1);
      expect(await t.db.disbursement.count({ where: { grant: { applicationId: id } } })).toBe(2);
      expect(await auditCount(id, "DECIDE")).toBe(1);
    }
    const call = await t.db.call.findUniqueOrThrow({ where: { id: callId } });
    expect(call.grantedOre).toBe(amount * 8n);
    await invariantsHold();
  });
});

describe("a decision change racing the payments of the same grant", () => {
  it("each side succeeds or is refused by a named rule (no deadlock, no database error), and the grant reconciles", async () => {
    const amount = 3_000_000n;
    const callId = await openCall(t.db, w, {
      budgetOre: 100n * MSEK,
      instalments: [{ sharePercent: 34, trigger: "at_start" }, { sharePercent: 33, trigger: "at_start" }, { sharePercent: 33, trigger: "at_start" }],
    });
    const ids = await mapLimit(range(6), 6, (i) => presentedApplication(server(i), w, callId, amount));
    const plans = await mapLimit(ids, 6, async (id, i) => {
      await applyWorkflowEvent(server(i), w.decider, "application", id, approve(amount), { now: T.assessed });
      const grant = await t.db.grant.findUniqueOrThrow({ where: { applicationId: id }, include: { disbursements: { orderBy: { number: "asc" } } } });
      for (const d of grant.disbursements) await applyWorkflowEvent(server(i), w.finance, "disbursement", d.id, { type: "ATTEST" }, { now: T.assessed });
      return { id, disbursements: grant.disbursements.map((d) => d.id) };
    });

    const ready = barrier(plans.length * 3);
    const outcomes = await Promise.all(
      plans.map(async ({ id, disbursements }, i) => {
        const markPaid = (d: string, k: number) =>
          ready().then(() => attempt(applyWorkflowEvent(server(i + k), w.finance, "disbursement", d, { type: "MARK_PAID", paymentReference: `BG ${i}-${k}`, paidOn: "2020-04-03" }, { now: T.assessed })));
        const correct = ready().then(() =>
          attempt(applyWorkflowEvent(server(i + 3), w.decider2, "application", id, { type: "CORRECT_DECISION", outcome: "partly_approved", grantedOre: Number((amount * 6n) / 10n) + 1, reasons: "Rättelse av beräkningen." }, { now: T.assessed })),
        );
        return Promise.all([correct, markPaid(disbursements[1], 1), markPaid(disbursements[2], 2)]);
      }),
    );
    const side = ["CORRECT_DECISION", "MARK_PAID", "MARK_PAID"];
    const errors = outcomes.flatMap((o) => o.map((r, k) => ("error" in r ? `${side[k]}: ${String(r.error).split("\n").filter(Boolean).slice(-1)[0]}` : null)).filter((x) => x !== null));
    expect(errors).toEqual([]);
    await invariantsHold();
  });
});

describe("allocations and calls in parallel", () => {
  it("25 parallel allocations of 1 MSEK from a 10 MSEK assignment: exactly 10 succeed", async () => {
    const board = await boardOf(t.db, w.countyCode);
    const stockholm = await boardOf(t.db, "01");
    const assignment = await createAssignment(
      t.db,
      w.officer,
      {
        reference: `A2020/PAR-${Date.now()}`,
        title: "Parallella tilldelningar",
        issuer: "Regeringen",
        fundingReference: "Regleringsbrev 2020",
        appropriation: "3:1",
        periodStart: new Date("2020-01-01"),
        periodEnd: new Date("2020-12-31"),
        totalOre: 10n * MSEK,
        responsibleBoardId: board.id,
        coordinatingBoardId: stockholm.id,
        reportDueOn: new Date("2021-03-31"),
      },
      T.created,
    );
    const counties = ["01", "03", "04", "05", "06"];
    const boards = await Promise.all(counties.map((c) => boardOf(t.db, c)));
    const ready = barrier(25);
    const results = await Promise.all(
      range(25).map(async (i) => {
        await ready();
        return attempt(allocate(server(i), w.officer, assignment.id, boards[i % boards.length].id, 1n * MSEK, T.created));
      }),
    );
    expect(otherErrors(results)).toEqual([]);
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(new Set(results.filter((r) => !r.ok).map(refusedRule))).toEqual(new Set(["allocationsWithinAssignment"]));
    const a = await t.db.assignment.findUniqueOrThrow({ where: { id: assignment.id }, include: { allocations: true } });
    expect(a.allocatedOre).toBe(10n * MSEK);
    expect(a.allocations.reduce((s, x) => s + x.amountOre, 0n)).toBe(10n * MSEK);
    expect(a.version).toBe(11);
    expect(await auditCount(assignment.id, "ALLOCATE")).toBe(10);
    await invariantsHold();
  });

  it("20 parallel calls of 400 000 kr on a 5 MSEK allocation, while more is allocated to it: never more than the allocation", async () => {
    const world = await makeWorld(t.db, { countyCode: "06", totalOre: 20n * MSEK, allocationOre: 5n * MSEK });
    const budget = 40_000_000n; // 400 000 kr
    const newCall = (i: number) =>
      createCall(server(i), world.officer, world.allocationId, {
        title: `Parallell utlysning ${i}`,
        budgetOre: budget,
        opensAt: T.opens,
        closesAt: T.closes,
        eligibleKinds: ["municipality"],
        finalReportDueOn: new Date("2021-02-28"),
        appealNotice: "Beslutet kan inte överklagas.",
      }, T.created);

    // First on a fixed allocation: exactly 12 fit (12 × 0.4 = 4.8 MSEK).
    let ready = barrier(20);
    const first = await Promise.all(range(20).map(async (i) => (await ready(), attempt(newCall(i)))));
    expect(otherErrors(first)).toEqual([]);
    expect(first.filter((r) => r.ok)).toHaveLength(12);
    expect(new Set(first.filter((r) => !r.ok).map(refusedRule))).toEqual(new Set(["callBudgetsWithinAllocation"]));

    // Then calls and top-ups of the same allocation at once.
    ready = barrier(30);
    const mixed = await Promise.all(
      range(30).map(async (i) => {
        await ready();
        return i % 3 === 0 ? attempt(allocate(server(i), world.officer, world.assignmentId, world.boardId, 1_000_000n * 50n, T.created)) : attempt(newCall(i));
      }),
    );
    expect(otherErrors(mixed)).toEqual([]);
    const allocation = await t.db.allocation.findUniqueOrThrow({ where: { id: world.allocationId }, include: { calls: true } });
    const sumCalls = allocation.calls.reduce((s, c) => s + c.budgetOre, 0n);
    expect(allocation.committedOre).toBe(sumCalls);
    expect(sumCalls).toBeLessThanOrEqual(allocation.amountOre);
    for (const r of mixed) if (!r.ok) expect(refusedRule(r)).toBe("callBudgetsWithinAllocation");
    await invariantsHold();
  });
});

describe("registration numbers under parallel submission", () => {
  class SimulatedCrash extends Error {}

  /** A client whose transactions run the whole engine body and then roll back, as if the process died before COMMIT. */
  function abortingAfterBody(db: Db): Db {
    return new Proxy(db, {
      get(target, prop) {
        if (prop === "$transaction") {
          return (fn: (tx: unknown) => Promise<unknown>, opts?: object) =>
            target.$transaction(async (tx) => {
              await fn(tx);
              throw new SimulatedCrash("rolled back after the registration number was taken");
            }, opts);
        }
        return Reflect.get(target, prop);
      },
    });
  }

  /** A client whose transactions fail midway: after the counter and the application row, when the case document is written. */
  function failingMidway(db: Db): Db {
    return new Proxy(db, {
      get(target, prop) {
        if (prop === "$transaction") {
          return (fn: (tx: unknown) => Promise<unknown>, opts?: object) =>
            target.$transaction(async (tx) => {
              const broken = new Proxy(tx, {
                get(t2, p2) {
                  // The engine writes through $queryRawUnsafe on a caller's Prisma transaction (app/workflow/tx.server.ts).
                  if (p2 === "$queryRawUnsafe")
                    return (text: string, ...values: unknown[]) => {
                      if (text.includes('insert into "CaseDocument"')) throw new SimulatedCrash("the case document could not be written");
                      return (t2 as { $queryRawUnsafe: (text: string, ...values: unknown[]) => Promise<unknown> }).$queryRawUnsafe(text, ...values);
                    };
                  return Reflect.get(t2, p2);
                },
              });
              return fn(broken);
            }, opts);
        }
        return Reflect.get(target, prop);
      },
    });
  }

  it("40 parallel submissions of one board, some rolled back after taking a number and some refused: numbers unique and gapless 1..n", async () => {
    const world = await makeWorld(t.db, { countyCode: "12" });
    const callId = await openCall(t.db, world, { budgetOre: 10n * MSEK });
    const drafts = await mapLimit(range(40), 6, (i) => draftApplication(server(i), world, callId, 1_000_000n, `Ansökan ${i}`));
    const kind = (i: number) => (i % 8 === 1 ? "crashAfter" : i % 8 === 3 ? "crashMidway" : i % 8 === 5 ? "refused" : "ok");
    const ready = barrier(drafts.length);
    const results = await Promise.all(
      drafts.map(async (id, i) => {
        const k = kind(i);
        const db = k === "crashAfter" ? abortingAfterBody(server(i)) : k === "crashMidway" ? failingMidway(server(i)) : server(i);
        await ready();
        return attempt(applyWorkflowEvent(db, world.applicant, "application", id, { type: "SUBMIT", requestedOre: k === "refused" ? 0 : 1_000_000 }, { now: T.submitted }));
      }),
    );
    for (const [i, r] of results.entries()) {
      const k = kind(i);
      if (k === "ok") expect(r.ok).toBe(true);
      else if (k === "refused") expect(refusedRule(r)).toBe("requestedIsPositive");
      else expect("error" in r && r.error).toBeInstanceOf(SimulatedCrash);
    }

    const gapless = async (n: number) => {
      const rows = await t.db.application.findMany({ where: { boardId: world.boardId, registrationYear: 2020, registrationSeq: { not: null } }, select: { registrationSeq: true, registrationNumber: true } });
      expect(rows.map((r) => r.registrationSeq).sort((a, b) => a! - b!)).toEqual(range(n).map((i) => i + 1));
      expect(new Set(rows.map((r) => r.registrationNumber)).size).toBe(n);
      for (const r of rows) expect(r.registrationNumber).toBe(`12-2020-${String(r.registrationSeq).padStart(4, "0")}`);
      const counter = await t.db.registrationCounter.findUniqueOrThrow({ where: { boardId_year: { boardId: world.boardId, year: 2020 } } });
      expect(counter.lastSeq).toBe(n);
    };
    const okCount = results.filter((r) => r.ok).length;
    expect(okCount).toBe(25);
    await gapless(okCount);
    for (const [i, id] of drafts.entries()) {
      if (kind(i) === "ok") continue;
      const a = await t.db.application.findUniqueOrThrow({ where: { id } });
      expect(a.state).toBe("draft");
      expect(a.registrationNumber).toBeNull();
      expect(a.version).toBe(1);
    }
    await invariantsHold();

    // The numbers the rolled-back ones took are handed out again: still gapless.
    const retry = await Promise.all(drafts.map((id, i) => (kind(i) === "ok" ? null : attempt(applyWorkflowEvent(server(i), world.applicant, "application", id, { type: "SUBMIT", requestedOre: 1_000_000 }, { now: T.submitted })))));
    expect(retry.filter((r) => r && !r.ok)).toEqual([]);
    await gapless(40);
    await invariantsHold();
  });
});

describe("failed transactions followed by more work on the same client (prisma/prisma issue 30374)", () => {
  it("never hands a query another query's response", async () => {
    // The client under test: a small pool, so every connection is reused after failures.
    const shared = prismaClient(t.url, 3);
    const other = prismaClient(t.url, 2);
    try {
      const names = new Map(municipalities.map((m) => [m.code, m.name]));
      const codes = [...names.keys()];
      const callId = await openCall(t.db, w, { budgetOre: 1n * MSEK });
      const callBefore = await t.db.call.findUniqueOrThrow({ where: { id: callId } });
      const ownPresented = await presentedApplication(t.db, w, callId, 500_000n, w.officerDecider);
      const bigPresented = await presentedApplication(t.db, w, callId, 2n * MSEK);
      const lockA = await openCall(t.db, w, { budgetOre: 1n * MSEK });
      const lockB = await openCall(t.db, w, { budgetOre: 1n * MSEK });
      const existingOrg = await t.db.organization.findUniqueOrThrow({ where: { id: w.applicantOrgId } });
      const txOpts = { maxWait: 30_000, timeout: 30_000 };

      const mismatches: string[] = [];
      const readerErrors: string[] = [];
      let reads = 0;
      /** One read with a known answer; any other answer is a mixed-up response. */
      const checkedRead = async (db: Db, k: number) => {
        const code = codes[k % codes.length];
        switch (k % 4) {
          case 0: {
            const m = await db.municipality.findUnique({ where: { code } });
            if (m?.code !== code || m.name !== names.get(code)) mismatches.push(`findUnique ${code} → ${JSON.stringify(m)}`);
            break;
          }
          case 1: {
            const rows = await db.$queryRaw<{ k: number; code: string }[]>`select ${k}::int as k, ${code}::text as code`;
            if (rows.length !== 1 || rows[0].k !== k || rows[0].code !== code) mismatches.push(`echo ${k}/${code} → ${JSON.stringify(rows)}`);
            break;
          }
          case 2: {
            const m = await db.$transaction(async (tx) => tx.municipality.findUniqueOrThrow({ where: { code }, select: { code: true, name: true, countyCode: true } }), txOpts);
            if (m.code !== code || m.name !== names.get(code) || m.countyCode !== code.slice(0, 2)) mismatches.push(`tx findUnique ${code} → ${JSON.stringify(m)}`);
            break;
          }
          case 3: {
            const n = await db.municipality.count({ where: { countyCode: code.slice(0, 2) } });
            const expected = municipalities.filter((m) => m.countyCode === code.slice(0, 2)).length;
            if (n !== expected) mismatches.push(`count ${code.slice(0, 2)} → ${n}, expected ${expected}`);
            break;
          }
        }
        reads++;
      };

      type Failure = { name: string; run: () => Promise<unknown>; expect: (e: unknown) => boolean };
      const pgCode = (e: unknown, code: string) => new RegExp(`\\b${code}\\b|${code}`).test(String((e as { message?: string })?.message ?? e) + JSON.stringify((e as { meta?: unknown })?.meta ?? {}));
      const failures: Failure[] = [
        {
          name: "WorkflowRefused thrown inside the interactive transaction",
          run: () => shared.$transaction(async (tx) => {
            await tx.call.findUniqueOrThrow({ where: { id: callId } });
            throw new WorkflowRefused("testRule", "Avvisad.", "refused inside the transaction");
          }, txOpts),
          expect: (e) => e instanceof WorkflowRefused && e.rule === "testRule",
        },
        {
          name: "engine refusal after reads and a row lock (four eyes)",
          run: () => applyWorkflowEvent(shared, w.officerDecider, "application", ownPresented, approve(500_000), { now: T.assessed }),
          expect: (e) => e instanceof WorkflowRefused && e.rule === "fourEyes",
        },
        {
          name: "engine refusal over budget, with a forged budget fact in the body",
          // The body claims more budget left than there is: the server's facts must win (the guard refuses); if they
          // did not, reserveCallBudget's 0-row UPDATE would refuse under the same rule name.
          run: () => applyWorkflowEvent(shared, w.decider, "application", bigPresented, { ...approve(2n * MSEK), callBudgetLeftOre: Number(10n * MSEK) }, { now: T.assessed }),
          expect: (e) => e instanceof WorkflowRefused && e.rule === "grantedWithinCallBudget",
        },
        {
          name: "CHECK constraint violation (Call_amounts)",
          run: () => shared.$transaction(async (tx) => {
            await tx.$executeRaw`update "Call" set "grantedOre" = "budgetOre" + 1 where id = ${callId}::uuid`;
          }, txOpts),
          expect: (e) => pgCode(e, "23514") || /Call_amounts/.test(String(e)),
        },
        {
          name: "CHECK violation caught, then another query in the aborted transaction",
          run: () => shared.$transaction(async (tx) => {
            await tx.$executeRaw`update "Call" set "grantedOre" = -1 where id = ${callId}::uuid`.catch(() => undefined);
            await tx.municipality.findUnique({ where: { code: "0580" } });
          }, txOpts),
          expect: (e) => pgCode(e, "25P02") || /current transaction is aborted/.test(String(e)),
        },
        ...[0, 2].map((at) => ({
          // Promise.all over one transaction pipelines the statements on its single connection (the engine's
          // effects do this); a failing statement in the middle of the pipeline must not shift the answers.
          name: `parallel statements in one transaction, the one at position ${at} fails`,
          run: () => shared.$transaction(async (tx) => {
            const codesHere = [codes[(at * 31) % codes.length], codes[(at * 31 + 7) % codes.length], codes[(at * 31 + 11) % codes.length]];
            const reads = codesHere.map((code) => tx.municipality.findUnique({ where: { code } }).then((m) => ({ code, m })));
            const failing = tx.$executeRaw`update "Call" set "grantedOre" = -1 where id = ${callId}::uuid`.then(() => null);
            const all = [...reads.slice(0, at), failing, ...reads.slice(at)];
            for (const r of await Promise.allSettled(all)) {
              if (r.status !== "fulfilled" || r.value === null) continue;
              const { code, m } = r.value as { code: string; m: { code: string; name: string } | null };
              if (m?.code !== code || m.name !== names.get(code)) mismatches.push(`pipelined findUnique ${code} → ${JSON.stringify(m)}`);
            }
            throw new WorkflowRefused("pipelineDone", "Klart.", "rolled back on purpose after the pipelined statements");
          }, txOpts),
          expect: (e: unknown) => e instanceof WorkflowRefused && e.rule === "pipelineDone",
        })),
        {
          name: "unique violation",
          run: () => shared.$transaction(async (tx) => {
            await tx.organization.create({ data: { name: "Dubblett", kind: "municipality", orgNumber: existingOrg.orgNumber } });
          }, txOpts),
          expect: (e) => (e as { code?: string })?.code === "P2002" || pgCode(e, "23505"),
        },
        {
          name: "error outside a transaction (division by zero)",
          run: () => shared.$queryRaw`select 1/0 as x`,
          expect: (e) => pgCode(e, "22012") || /division by zero/.test(String(e)),
        },
        {
          name: "lock timeout on a row another client holds",
          run: async () => {
            let heldNow!: () => void;
            let release!: () => void;
            const held = new Promise<void>((r) => (heldNow = r));
            const done = new Promise<void>((r) => (release = r));
            const blocker = other.$transaction(async (tx) => {
              await tx.$queryRaw`select id from "Call" where id = ${lockA}::uuid for update`;
              heldNow();
              await done;
            }, txOpts);
            await held;
            try {
              return await shared.$transaction(async (tx) => {
                await tx.$executeRaw`set local lock_timeout = '50ms'`;
                await tx.$queryRaw`select id from "Call" where id = ${lockA}::uuid for update`;
              }, txOpts);
            } finally {
              release();
              await blocker;
            }
          },
          expect: (e) => pgCode(e, "55P03") || /lock timeout/.test(String(e)),
        },
        {
          name: "interactive transaction timeout while a statement is still running",
          run: () => shared.$transaction(async (tx) => {
            await tx.$executeRaw`select pg_sleep(0.3)`;
            await tx.municipality.findUnique({ where: { code: "0114" } });
          }, { maxWait: 30_000, timeout: 100 }),
          expect: (e) => /timeout|expired|closed|P2028/i.test(String(e)),
        },
        {
          name: "deadlock between two transactions of the same client",
          run: async () => {
            const bothLocked = barrier(2);
            const tx = (first: string, second: string) =>
              shared.$transaction(async (t2) => {
                await t2.$queryRaw`select id from "Call" where id = ${first}::uuid for update`;
                await bothLocked();
                await t2.$queryRaw`select id from "Call" where id = ${second}::uuid for update`;
              }, txOpts);
            const [x, y] = await Promise.allSettled([tx(lockA, lockB), tx(lockB, lockA)]);
            const failed = [x, y].filter((r) => r.status === "rejected");
            if (failed.length !== 1) throw new Error(`expected exactly one deadlock victim, got ${failed.length}`);
            throw (failed[0] as PromiseRejectedResult).reason;
          },
          expect: (e) => pgCode(e, "40P01") || /deadlock/.test(String(e)),
        },
      ];

      const wrongOutcomes: string[] = [];
      let failureRuns = 0;
      let stop = false;
      const readers = range(6).map(async (r) => {
        let k = r * 1000;
        while (!stop) {
          try {
            await checkedRead(shared, k++);
          } catch (e) {
            readerErrors.push(String(e));
          }
        }
      });
      const failer = (async () => {
        for (let round = 0; round < 3; round++) {
          for (const f of failures) {
            const outcome = await f.run().then(
              () => ({ ok: true as const }),
              (e: unknown) => ({ ok: false as const, e }),
            );
            failureRuns++;
            if (outcome.ok) wrongOutcomes.push(`${f.name}: succeeded`);
            else if (!f.expect(outcome.e)) wrongOutcomes.push(`${f.name}: ${String(outcome.e).slice(0, 300)}`);
            // More work on the same client right after the failure.
            for (let j = 0; j < 4; j++) await checkedRead(shared, round * 97 + j * 13 + failureRuns);
          }
        }
      })();
      await failer.finally(() => (stop = true));
      await Promise.all(readers);

      expect(wrongOutcomes).toEqual([]);
      expect(readerErrors).toEqual([]);
      expect(mismatches).toEqual([]);
      expect(failureRuns).toBe(3 * failures.length);
      expect(reads).toBeGreaterThan(200);

      // Nothing the failed transactions tried is left behind.
      const callAfter = await shared.call.findUniqueOrThrow({ where: { id: callId } });
      expect(callAfter.grantedOre).toBe(callBefore.grantedOre);
      expect(await shared.organization.count({ where: { orgNumber: existingOrg.orgNumber } })).toBe(1);
      for (const id of [ownPresented, bigPresented]) {
        const a = await shared.application.findUniqueOrThrow({ where: { id } });
        expect(a.state).toBe("presented");
        expect(a.version).toBe(4);
      }
      await invariantsHold();
    } finally {
      await shared.$disconnect();
      await other.$disconnect();
    }
  }, 90_000);
});
