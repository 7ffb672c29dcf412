// The demo scenario as a user or an auditor would check it: enough cases in
// every state, budgets that add up, demo users who can sign in with the right
// roles, an intact audit trail and gapless registration numbers.
import { describe, it, expect, beforeAll } from "vitest";
import { allStateKeys } from "../../workflows/index";
import { useTestDatabase } from "../support/db";
import { seedDemo } from "../../prisma/seed/demo";
import { DEMO_PASSWORD, demoUsers } from "../../prisma/seed/demo-users";
import { verifyPassword } from "../../app/auth/password.server";
import { reconcile } from "../../app/workflow/budget.server";
import { verifyAuditChains } from "../../app/workflow/audit.server";

const t = useTestDatabase();
const MSEK = 100_000_000n;

describe("demo seed", () => {
  let seconds = 0;

  beforeAll(async () => {
    const t0 = performance.now();
    await seedDemo(t.db);
    seconds = (performance.now() - t0) / 1000;
    console.log(`seedDemo: ${seconds.toFixed(1)} s`);
  }, 180_000);

  const boardId = async (countyCode: string) => (await t.db.organization.findFirstOrThrow({ where: { kind: "county_board", countyCode } })).id;
  const userId = async (email: string) => (await t.db.user.findUniqueOrThrow({ where: { email } })).id;
  const contextOf = (snapshot: unknown) => (snapshot as { context: Record<string, unknown> }).context;

  it("has about sixty applications, in every state of the life cycle", async () => {
    const rows = await t.db.application.groupBy({ by: ["state"], _count: true });
    const count = (prefix: string) => rows.filter((r) => r.state === prefix || r.state.startsWith(`${prefix}.`)).reduce((n, r) => n + r._count, 0);
    const total = rows.reduce((n, r) => n + r._count, 0);
    console.log(`${total} applications\n${rows.sort((a, b) => a.state.localeCompare(b.state)).map((r) => `  ${r.state}: ${r._count}`).join("\n")}`);
    expect(total).toBeGreaterThanOrEqual(55);
    expect(total).toBeLessThanOrEqual(70);
    // Every resting state of the application statechart appears in the demo.
    for (const family of allStateKeys("application")) {
      expect(count(family), family).toBeGreaterThan(0);
    }
  });

  it("has decisions of every kind, completions, instalments and reclaims in every state", async () => {
    const decisions = await t.db.decision.groupBy({ by: ["kind", "outcome"], _count: true });
    for (const outcome of ["approved", "partly_approved", "rejected"] as const) expect(decisions.some((d) => d.kind === "original" && d.outcome === outcome), outcome).toBe(true);
    const changes = await t.db.decision.findMany({ where: { kind: { not: "original" } } });
    expect(changes.map((d) => d.kind).sort()).toEqual(["correction", "reconsideration"]);
    for (const d of changes) {
      expect(d.supersedesId).not.toBeNull();
      expect(d.reasons.length).toBeGreaterThan(40);
    }
    // A completion requested and answered, one where the officer went on without it, one still open.
    const completions = await t.db.completionRequest.findMany({ include: { application: { select: { state: true } } } });
    expect(completions.some((c) => c.completedAt !== null)).toBe(true);
    expect(completions.some((c) => c.completedAt === null && c.application.state === "completionRequested")).toBe(true);

    const disbursements = new Set((await t.db.disbursement.findMany({ select: { state: true } })).map((d) => d.state));
    for (const state of ["planned", "requested", "attested", "paid", "cancelled"]) expect(disbursements.has(state), state).toBe(true);

    const reclaims = await t.db.reclaim.findMany();
    for (const state of ["proposed", "decided", "repaid", "waived", "rejected"]) expect(reclaims.some((r) => r.state === state), state).toBe(true);
    expect(reclaims.some((r) => r.waivedOre > 0n && r.waivedOre < r.amountOre), "partly waived").toBe(true);
    expect(await t.db.conflictOfInterest.count()).toBeGreaterThan(0);

    const calls = await t.db.call.findMany();
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(calls.length).toBeLessThanOrEqual(6);
    expect(new Set(calls.map((c) => c.state))).toEqual(new Set(["draft", "published", "closed", "decided"]));
    expect(calls.some((c) => c.paymentRequestRequired && c.paymentRequestDays)).toBe(true);
    expect(calls.some((c) => c.secondDecisionMakerAboveOre !== null)).toBe(true);
    expect(calls.some((c) => c.interimReportRequired)).toBe(true);
    expect(new Set(calls.map((c) => c.appealNotice)).size).toBeGreaterThan(1);
  });

  it("keeps assignment 1 within 20 000 000 kr, allocated across several boards, and its total is what the allocations add up to", async () => {
    const hrv = await t.db.assignment.findUniqueOrThrow({ where: { reference: "HRV-2020" }, include: { allocations: true } });
    expect(hrv.totalOre).toBe(20n * MSEK);
    expect(hrv.responsibleBoardId).toBe(await boardId("05"));
    expect(hrv.coordinatingBoardId).toBe(await boardId("05"));
    const sum = hrv.allocations.reduce((s, a) => s + a.amountOre, 0n);
    expect(sum).toBeLessThanOrEqual(20n * MSEK);
    expect(sum).toBe(hrv.allocatedOre);
    expect(hrv.allocations.length).toBeGreaterThanOrEqual(4);

    const mvk = await t.db.assignment.findUniqueOrThrow({ where: { reference: "MVK-2020-2021" }, include: { allocations: { include: { calls: { include: { _count: { select: { applications: true } } } } } } } });
    expect(mvk.coordinatingBoardId).toBe(await boardId("01"));
    // The coordinator sees several boards' figures: boards with applications under the assignment.
    expect(mvk.allocations.filter((a) => a.calls.some((c) => c._count.applications > 0)).length).toBeGreaterThanOrEqual(4);
  });

  it("creates one demo user per role, found by the README e-mail, with the right membership and the demo password", async () => {
    expect(new Set(demoUsers.map((u) => u.role)).size).toBe(demoUsers.length);
    for (const u of demoUsers) {
      const user = await t.db.user.findUniqueOrThrow({ where: { email: u.email }, include: { memberships: { include: { organization: true } } } });
      expect(user.email).toBe(u.email.toLowerCase());
      expect(user.memberships).toHaveLength(1);
      const [m] = user.memberships;
      expect(m.role).toBe(u.role);
      if (u.organization.municipalityCode) {
        expect(m.organization).toMatchObject({ kind: "municipality", municipalityCode: u.organization.municipalityCode, name: "Linköpings kommun" });
      } else {
        expect(m.organization).toMatchObject({ kind: "county_board", countyCode: u.organization.countyCode });
      }
    }
    const officer = await t.db.user.findUniqueOrThrow({ where: { email: demoUsers[0].email } });
    expect(await verifyPassword(officer.passwordHash, DEMO_PASSWORD)).toBe(true);
    expect(await t.db.user.count({ where: { passwordHash: officer.passwordHash } })).toBe(await t.db.user.count());
  });

  it("gives each demo user something to do", async () => {
    const oe = await boardId("05");
    const [officer, decider, finance] = await Promise.all(["handlaggare", "beslutsfattare", "ekonomi"].map((r) => userId(`${r}@demo.lansstyrelsen.se`)));

    // Decision maker: presented cases that someone else presented, and a decision to confirm.
    const presented = await t.db.application.findMany({ where: { boardId: oe, state: "presented" } });
    expect(presented.filter((a) => contextOf(a.snapshot).presentedBy !== officer && contextOf(a.snapshot).presentedBy !== decider).length).toBeGreaterThan(0);
    const awaiting = await t.db.application.findMany({ where: { boardId: oe, state: "awaitingSecondDecision" } });
    expect(awaiting.some((a) => (contextOf(a.snapshot).pendingDecision as { decidedBy: string }).decidedBy !== decider)).toBe(true);

    // Officer: a case in assessment of her own, and reports to review.
    const assessing = await t.db.application.findMany({ where: { boardId: oe, state: "inAssessment" } });
    expect(assessing.some((a) => contextOf(a.snapshot).caseOfficer === officer)).toBe(true);
    expect(await t.db.application.count({ where: { boardId: oe, state: { in: ["grantActive.finalReport.submitted", "grantActive.finalReport.resubmitted"] } } })).toBeGreaterThan(0);

    // Finance: an instalment ready to attest, planned by someone else.
    const ready = await t.db.disbursement.findMany({ where: { grant: { application: { boardId: oe } }, OR: [{ state: "requested" }, { state: "planned", trigger: "at_start", requestDeadline: null }] } });
    expect(ready.some((d) => d.plannedById !== finance)).toBe(true);

    // Applicant (Linköpings kommun): a draft, a completion to answer, and a grant with a payment to request and a report due.
    const linkoping = await t.db.organization.findFirstOrThrow({ where: { kind: "municipality", municipalityCode: "0580" } });
    const own = await t.db.application.findMany({ where: { applicantOrgId: linkoping.id }, include: { grant: { include: { disbursements: true, reports: true } } } });
    const states = own.map((a) => a.state);
    expect(states).toContain("draft");
    expect(states).toContain("completionRequested");
    const grant = own.find((a) => a.state.startsWith("grantActive"))?.grant;
    expect(grant?.disbursements.some((d) => d.state === "planned" && d.requestDeadline !== null)).toBe(true);
    expect(grant?.reports.some((r) => r.state === "due")).toBe(true);
  });

  it("leaves every budget invariant and every audit chain intact", async () => {
    expect(await reconcile(t.db)).toEqual([]);
    const chains = await verifyAuditChains(t.db);
    expect(chains.firstBreak).toBeNull();
    expect(chains.events).toBeGreaterThan(400);
  });

  it("tells the story in 2020–2021: every audit event, decision and payment is dated then", async () => {
    const range = await t.db.auditEvent.aggregate({ _min: { occurredAt: true }, _max: { occurredAt: true } });
    expect(range._min.occurredAt!.toISOString() >= "2020-01-01").toBe(true);
    expect(range._max.occurredAt!.toISOString() < "2021-03-16").toBe(true);
    const decisions = await t.db.decision.aggregate({ _min: { decidedOn: true }, _max: { decidedOn: true } });
    expect(decisions._min.decidedOn!.getUTCFullYear()).toBe(2020);
    expect(decisions._max.decidedOn!.getUTCFullYear()).toBe(2021);
  });

  it("numbers registrations gaplessly per board and year (1..n), in order of submission", async () => {
    const registered = await t.db.application.findMany({
      where: { registrationSeq: { not: null } },
      select: { boardId: true, registrationYear: true, registrationSeq: true, registrationNumber: true, submittedAt: true, board: { select: { countyCode: true } } },
      orderBy: [{ boardId: "asc" }, { registrationYear: "asc" }, { registrationSeq: "asc" }],
    });
    const groups = new Map<string, typeof registered>();
    for (const r of registered) groups.set(`${r.boardId}/${r.registrationYear}`, [...(groups.get(`${r.boardId}/${r.registrationYear}`) ?? []), r]);
    expect(groups.size).toBeGreaterThanOrEqual(5);
    for (const rows of groups.values()) {
      expect(rows.map((r) => r.registrationSeq)).toEqual(rows.map((_, i) => i + 1));
      for (const r of rows) expect(r.registrationNumber).toBe(`${r.board.countyCode}-${r.registrationYear}-${String(r.registrationSeq).padStart(4, "0")}`);
      const submitted = rows.map((r) => r.submittedAt!.getTime());
      expect(submitted).toEqual([...submitted].sort((a, b) => a - b));
    }
    const counters = await t.db.registrationCounter.findMany();
    for (const c of counters) expect(c.lastSeq).toBe(groups.get(`${c.boardId}/${c.year}`)?.length ?? 0);
  });

  it("budget lines add up to the amount applied for", async () => {
    const apps = await t.db.application.findMany({ include: { budgetLines: true } });
    for (const a of apps) expect(a.budgetLines.reduce((s, b) => s + b.amountOre, 0n), a.title).toBe(a.requestedOre);
  });
});
