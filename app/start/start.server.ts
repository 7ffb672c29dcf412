// The start page: one section for each role the user holds, with what needs
// them today. Lists that depend on who may act (decide, attest, pay) are
// filtered with the statecharts' own answer (`allowedEvents`), so the start
// page never lists a case whose button the case page would not show.
import type { Db } from "~/db.server";
import { applicationScope, callScope, orgIdsWithRole, type Principal } from "~/access/permissions.server";
import { allowedEventsForCases } from "~/workflow/engine.server";
import { formatKronor } from "~/lib/money";
import { formatDate, formatDateTime, utcMidnightToPlainDate } from "~/lib/dates";
import { REPORT_KIND_LABELS, stateLabel, stateNext } from "~/lib/state-labels";
import { allocationFigures, type BoardFigures } from "~/assignments/assignments.server";
import { allStateKeys } from "../../workflows";
import { applicantNextFor } from "~/applicant/guidance";

const kr = (ore: bigint) => formatKronor(ore);
const day = (d: Date | null) => (d ? formatDate(utcMidnightToPlainDate(d)) : null);

/** How many rows a start-page list shows; the full lists are one click away. */
const LIST_LIMIT = 25;
/** How many candidates are checked against the statecharts for "Att besluta" and "Utbetalningar". */
const CANDIDATE_LIMIT = 100;

type CaseRow = { id: string; title: string; registrationNumber: string | null; applicant: string; state: string; stateLabel: string; next: string; submittedAt: string | null };

function caseRow(a: { id: string; title: string; registrationNumber: string | null; state: string; submittedAt: Date | null; applicantOrg: { name: string } }): CaseRow {
  return {
    id: a.id,
    title: a.title,
    registrationNumber: a.registrationNumber,
    applicant: a.applicantOrg.name,
    state: a.state,
    stateLabel: stateLabel("application", a.state),
    next: stateNext("application", a.state),
    submittedAt: a.submittedAt ? formatDateTime(a.submittedAt) : null,
  };
}

const caseSelect = { id: true, title: true, registrationNumber: true, state: true, submittedAt: true, applicantOrg: { select: { name: true } } } as const;

// ---------------------------------------------------------------------------

async function applicantSection(db: Db, user: Principal, now: Date) {
  const orgs = orgIdsWithRole(user, ["applicant"]);
  const [cases, openCalls] = await Promise.all([
    db.application.findMany({ where: { applicantOrgId: { in: orgs } }, orderBy: [{ updatedAt: "desc" }, { id: "asc" }], take: LIST_LIMIT, select: { ...caseSelect, call: { select: { state: true, closesAt: true } } } }),
    db.call.findMany({
      where: { AND: [callScope(user), { state: "published", closesAt: { gt: now } }] },
      orderBy: [{ closesAt: "asc" }, { id: "asc" }],
      take: 10,
      select: { id: true, title: true, closesAt: true, budgetOre: true, maxAmountOre: true, board: { select: { name: true } } },
    }),
  ]);
  return {
    // Spoken to the applicant ("ni"), as on their case page, not the board's "den sökande".
    cases: cases.map((a) => ({ ...caseRow(a), next: applicantNextFor(a.state, a.call, now) })),
    openCalls: openCalls.map((c) => ({ id: c.id, title: c.title, board: c.board.name, closesAt: formatDateTime(c.closesAt), budget: kr(c.budgetOre), maxAmount: c.maxAmountOre === null ? null : kr(c.maxAmountOre) })),
  };
}

const QUEUE_STATES = ["submitted", "inAssessment", "completionRequested"];

async function officerSection(db: Db, user: Principal) {
  const boards = orgIdsWithRole(user, ["officer"]);
  const [byState, queue, reports] = await Promise.all([
    db.application.groupBy({ by: ["state"], where: { AND: [applicationScope(user), { boardId: { in: boards } }] }, _count: { _all: true } }),
    db.application.findMany({
      where: { AND: [applicationScope(user), { boardId: { in: boards }, state: { in: QUEUE_STATES } }] },
      orderBy: [{ submittedAt: { sort: "asc", nulls: "last" } }, { id: "asc" }],
      take: LIST_LIMIT,
      select: caseSelect,
    }),
    db.report.findMany({
      where: { state: "submitted", grant: { application: { AND: [applicationScope(user), { boardId: { in: boards } }] } } },
      orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
      take: LIST_LIMIT,
      select: { id: true, kind: true, submittedAt: true, grant: { select: { application: { select: { id: true, title: true, registrationNumber: true, applicantOrg: { select: { name: true } } } } } } },
    }),
  ]);
  const order = allStateKeys("application");
  const queueCount = byState.filter((s) => QUEUE_STATES.includes(s.state)).reduce((n, s) => n + s._count._all, 0);
  return {
    counts: byState
      .map((s) => ({ state: s.state, label: stateLabel("application", s.state), count: s._count._all }))
      .sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state)),
    queue: queue.map(caseRow),
    queueCount,
    reports: reports.map((r) => ({
      id: r.id,
      applicationId: r.grant.application.id,
      title: r.grant.application.title,
      registrationNumber: r.grant.application.registrationNumber,
      applicant: r.grant.application.applicantOrg.name,
      kind: REPORT_KIND_LABELS[r.kind] ?? r.kind,
      submittedAt: r.submittedAt ? formatDateTime(r.submittedAt) : null,
    })),
  };
}

async function decisionMakerSection(db: Db, user: Principal, now: Date) {
  const boards = orgIdsWithRole(user, ["decision_maker"]);
  // Candidates by state and board; the statechart then says whether this user may decide
  // (not the presenter, no jäv, not the first decision maker when a second one is needed).
  const candidates = await db.application.findMany({
    where: { AND: [applicationScope(user), { boardId: { in: boards }, state: { in: ["presented", "awaitingSecondDecision"] }, conflicts: { none: { userId: user.id } } }] },
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
    take: CANDIDATE_LIMIT,
    select: { ...caseSelect, requestedOre: true, assessments: { orderBy: { createdAt: "desc" }, take: 1, select: { recommendation: true, recommendedOre: true } } },
  });
  const allowed = candidates.length ? await allowedEventsForCases(db, user, "application", candidates.map((a) => a.id), now) : new Map<string, string[]>();
  const toDecide = [];
  for (const a of candidates) {
    const events = allowed.get(a.id) ?? [];
    if (!events.includes("DECIDE") && !events.includes("CONFIRM_DECISION")) continue;
    const proposal = a.assessments[0];
    toDecide.push({
      ...caseRow(a),
      requested: kr(a.requestedOre),
      proposed: proposal?.recommendedOre != null ? kr(proposal.recommendedOre) : null,
      action: events.includes("CONFIRM_DECISION") ? "Bekräfta beslut" : "Fatta beslut",
    });
    if (toDecide.length >= LIST_LIMIT) break;
  }
  return { toDecide, checked: candidates.length, limited: candidates.length >= CANDIDATE_LIMIT };
}

type DisbursementRow = { id: string; applicationId: string; title: string; registrationNumber: string | null; applicant: string; number: number; amount: string; plannedOn: string | null; state: string; stateLabel: string };

async function financeSection(db: Db, user: Principal, now: Date) {
  const boards = orgIdsWithRole(user, ["finance"]);
  const select = {
    id: true,
    number: true,
    amountOre: true,
    plannedOn: true,
    state: true,
    grant: { select: { application: { select: { id: true, title: true, registrationNumber: true, applicantOrg: { select: { name: true } } } } } },
  } as const;
  const onBoard = { grant: { application: { AND: [applicationScope(user), { boardId: { in: boards }, conflicts: { none: { userId: user.id } } }] } } };
  const [attestCandidates, payCandidates, reclaims] = await Promise.all([
    // Cheap pre-filter (state, trigger met); the statechart has the last word below.
    db.disbursement.findMany({
      where: {
        AND: [
          onBoard,
          { state: { in: ["planned", "requested"] } },
          { plannedById: { not: user.id } },
          {
            OR: [
              { trigger: "at_start" },
              { trigger: "after_interim_report", grant: { reports: { some: { kind: "interim", state: "approved" } } } },
              { trigger: "after_final_report", grant: { reports: { some: { kind: "final", state: "approved" } } } },
            ],
          },
        ],
      },
      orderBy: [{ plannedOn: "asc" }, { id: "asc" }],
      take: CANDIDATE_LIMIT,
      select,
    }),
    db.disbursement.findMany({ where: { AND: [onBoard, { state: "attested" }] }, orderBy: [{ attestedAt: "asc" }, { id: "asc" }], take: CANDIDATE_LIMIT, select }),
    db.reclaim.findMany({
      where: { state: "decided", grant: { application: { AND: [applicationScope(user), { boardId: { in: boards } }] } } },
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
      take: LIST_LIMIT,
      select: { id: true, amountOre: true, waivedOre: true, repaidOre: true, dueOn: true, grant: { select: { application: { select: { id: true, title: true, registrationNumber: true, applicantOrg: { select: { name: true } } } } } } },
    }),
  ]);
  const row = (d: (typeof attestCandidates)[number]): DisbursementRow => ({
    id: d.id,
    applicationId: d.grant.application.id,
    title: d.grant.application.title,
    registrationNumber: d.grant.application.registrationNumber,
    applicant: d.grant.application.applicantOrg.name,
    number: d.number,
    amount: kr(d.amountOre),
    plannedOn: day(d.plannedOn),
    state: d.state,
    stateLabel: stateLabel("disbursement", d.state),
  });
  const both = [...attestCandidates, ...payCandidates].map((d) => d.id);
  const allowed = both.length ? await allowedEventsForCases(db, user, "disbursement", both, now) : new Map<string, string[]>();
  const filter = (list: typeof attestCandidates, event: string) => list.filter((d) => (allowed.get(d.id) ?? []).includes(event)).slice(0, LIST_LIMIT).map(row);
  return {
    toAttest: filter(attestCandidates, "ATTEST"),
    toPay: filter(payCandidates, "MARK_PAID"),
    reclaims: reclaims.map((r) => ({
      id: r.id,
      applicationId: r.grant.application.id,
      title: r.grant.application.title,
      registrationNumber: r.grant.application.registrationNumber,
      applicant: r.grant.application.applicantOrg.name,
      outstanding: kr(r.amountOre - r.waivedOre - r.repaidOre),
      dueOn: day(r.dueOn),
    })),
  };
}

async function coordinatorSection(db: Db, user: Principal) {
  const boards = orgIdsWithRole(user, ["coordinator"]);
  const assignments = await db.assignment.findMany({
    where: { coordinatingBoardId: { in: boards } },
    orderBy: [{ periodStart: "desc" }, { reference: "asc" }],
    take: LIST_LIMIT,
    select: { id: true, title: true, reference: true, state: true, totalOre: true, reportDueOn: true },
  });
  const figures = await allocationFigures(db, assignments.map((a) => a.id));
  const byAssignment = new Map<string, BoardFigures[]>();
  for (const r of figures.rows) byAssignment.set(r.assignmentId, [...(byAssignment.get(r.assignmentId) ?? []), r]);
  return {
    assignments: assignments.map((a) => ({
      id: a.id,
      title: a.title,
      reference: a.reference,
      stateLabel: stateLabel("assignment", a.state),
      total: kr(a.totalOre),
      reportDueOn: day(a.reportDueOn),
      boards: byAssignment.get(a.id) ?? [],
      totals: figures.totals.get(a.id) ?? null,
    })),
  };
}

async function adminSection(db: Db, user: Principal) {
  const boards = orgIdsWithRole(user, ["admin"]);
  const perBoard = [];
  for (const boardId of boards) {
    const [board, users, organizations, cases, calls] = await Promise.all([
      db.organization.findUniqueOrThrow({ where: { id: boardId }, select: { name: true } }),
      db.user.count({ where: { memberships: { some: { organizationId: boardId } } } }),
      db.organization.count({ where: { applications: { some: { boardId, state: { not: "draft" } } } } }),
      db.application.count({ where: { boardId, state: { not: "draft" } } }),
      db.call.count({ where: { boardId } }),
    ]);
    perBoard.push({ boardId, board: board.name, users, organizations, cases, calls });
  }
  return { boards: perBoard };
}

/** The start page's data: one section per role the user holds. */
export async function loadStart(db: Db, user: Principal, now = new Date()) {
  const has = (role: Parameters<typeof orgIdsWithRole>[1][number]) => orgIdsWithRole(user, [role]).length > 0;
  return {
    applicant: has("applicant") ? await applicantSection(db, user, now) : null,
    officer: has("officer") ? await officerSection(db, user) : null,
    decisionMaker: has("decision_maker") ? await decisionMakerSection(db, user, now) : null,
    finance: has("finance") ? await financeSection(db, user, now) : null,
    coordinator: has("coordinator") ? await coordinatorSection(db, user) : null,
    admin: has("admin") ? await adminSection(db, user) : null,
  };
}

