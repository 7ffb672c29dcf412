// The board staff's work queue (/arenden): every application the user may
// read, or only what needs this officer today ("mina": cases assigned to me,
// or unassigned ones in my board needing action). Filter by call, state,
// applicant's municipality and deadline; search (app/cases/search.server.ts);
// 25 per page; counts per state over the same filters.
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import { applicationScope, callScope, hasRole, orgIdsWithRole, STAFF_ROLES, type Principal } from "~/access/permissions.server";
import { formatKronor } from "~/lib/money";
import { addDays, formatDate, formatDateTime, plainDateToUtcMidnight, todayInStockholm, utcMidnightToPlainDate } from "~/lib/dates";
import { stateLabel } from "~/lib/state-labels";
import { allStateKeys } from "../../workflows";
import type { CaseListQuery, DeadlineFilter } from "./list-query";
import { searchApplicationIds } from "./search.server";

export { caseListHref, type CaseListQuery } from "./list-query";

export const PAGE_SIZE = 25;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the list's query string; anything unknown is ignored, never an error. */
export function parseCaseListQuery(url: URL | URLSearchParams): CaseListQuery {
  const p = url instanceof URL ? url.searchParams : url;
  const state = p.get("status");
  const callId = p.get("utlysning");
  const municipality = p.get("kommun");
  const deadline = p.get("frist");
  const page = Number(p.get("sida") ?? "1");
  return {
    view: p.get("vy") === "mina" ? "mina" : "alla",
    state: state && allStateKeys("application").includes(state) ? state : null,
    callId: callId && UUID.test(callId) ? callId : null,
    municipality: municipality && /^\d{4}$/.test(municipality) ? municipality : null,
    deadline: deadline === "passerad" || deadline === "7" || deadline === "30" ? deadline : null,
    q: (p.get("q") ?? "").trim().slice(0, 200),
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

/** States in which a submitted report waits for the officer's review. */
export const REPORT_REVIEW_STATES = allStateKeys("application").filter((s) => /Report\.(submitted|resubmitted)$/.test(s));

/** Open deadlines: an unanswered completion request, or a report not yet (re)submitted. */
function deadlineWhere(filter: DeadlineFilter, now: Date): Prisma.ApplicationWhereInput {
  const today = todayInStockholm(now);
  const dueOn: Prisma.DateTimeFilter =
    filter === "passerad"
      ? { lt: plainDateToUtcMidnight(today) }
      : { gte: plainDateToUtcMidnight(today), lte: plainDateToUtcMidnight(addDays(today, Number(filter))) };
  return {
    OR: [
      { state: "completionRequested", completionRequests: { some: { completedAt: null, dueOn } } },
      { grant: { state: "active", reports: { some: { state: { in: ["due", "completion_requested"] }, dueOn } } } },
    ],
  };
}

/**
 * What needs this officer today: in a board where the user is an officer, assigned to them or to
 * no one, no jäv declared by them, and waiting for the officer: new, in assessment (also after the
 * applicant completed it), a report to review, or a completion whose deadline has passed.
 */
export function needsMeWhere(user: Principal, now: Date): Prisma.ApplicationWhereInput {
  const today = plainDateToUtcMidnight(todayInStockholm(now));
  return {
    boardId: { in: orgIdsWithRole(user, ["officer"]) },
    OR: [{ officerId: user.id }, { officerId: null }],
    conflicts: { none: { userId: user.id } },
    AND: [
      {
        OR: [
          { state: { in: ["submitted", "inAssessment", ...REPORT_REVIEW_STATES] } },
          { state: "completionRequested", completionRequests: { some: { completedAt: null, dueOn: { lt: today } } } },
        ],
      },
    ],
  };
}

/** The filters other than state and page, as one Prisma condition (also used by batch decisions "all matching"). */
export async function caseFilterWhere(db: Db, user: Principal, query: Omit<CaseListQuery, "page" | "state">, now = new Date()): Promise<Prisma.ApplicationWhereInput[]> {
  const filters: Prisma.ApplicationWhereInput[] = [applicationScope(user)];
  if (query.view === "mina") filters.push(needsMeWhere(user, now));
  if (query.callId) filters.push({ callId: query.callId });
  if (query.municipality) filters.push({ applicantOrg: { municipalityCode: query.municipality } });
  if (query.deadline) filters.push(deadlineWhere(query.deadline, now));
  if (query.q) {
    const within = hasRole(user, "coordinator") ? null : { boardIds: orgIdsWithRole(user, STAFF_ROLES), applicantOrgIds: orgIdsWithRole(user, ["applicant"]) };
    const ids = await searchApplicationIds(db, query.q, within);
    filters.push({ id: { in: ids } });
  }
  return filters;
}

/** Municipalities of the applicant organizations whose cases the user may read (the municipality filter's options). */
async function applicantMunicipalities(db: Db, user: Principal): Promise<{ code: string; name: string }[]> {
  if (hasRole(user, "coordinator") || orgIdsWithRole(user, ["applicant"]).length > 0) {
    return db.municipality.findMany({ where: { organizations: { some: { applications: { some: applicationScope(user) } } } }, select: { code: true, name: true }, orderBy: { name: "asc" } });
  }
  // Board staff: an EXISTS probe per organization on the applicant index, not a scan of every case.
  const boards = orgIdsWithRole(user, STAFF_ROLES);
  return db.$queryRaw<{ code: string; name: string }[]>`
    select m.code::text as code, m.name from "Municipality" m
     where exists (select 1 from "Organization" o
                    where o."municipalityCode" = m.code
                      and exists (select 1 from "Application" a where a."applicantOrgId" = o.id and a."boardId" = any(${boards}::uuid[]) and a.state <> 'draft'))
     order by m.name`;
}

const day = (d: Date | null | undefined) => (d ? formatDate(utcMidnightToPlainDate(d)) : null);

export async function listCases(db: Db, user: Principal, query: CaseListQuery, now = new Date()) {
  const filters = await caseFilterWhere(db, user, query, now);
  const where: Prisma.ApplicationWhereInput = { AND: filters };
  const withState: Prisma.ApplicationWhereInput = query.state ? { AND: [...filters, { state: query.state }] } : where;

  // The total comes from the counts per state (one scan, not two).
  const [byState, calls, municipalities] = await Promise.all([
    db.application.groupBy({ by: ["state"], where, _count: { _all: true } }),
    db.call.findMany({ where: callScope(user), select: { id: true, title: true }, orderBy: [{ title: "asc" }, { id: "asc" }] }),
    applicantMunicipalities(db, user),
  ]);
  const total = byState.filter((s) => !query.state || s.state === query.state).reduce((n, s) => n + s._count._all, 0);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const rows = await db.application.findMany({
    where: withState,
    orderBy: [{ submittedAt: { sort: query.view === "mina" ? "asc" : "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "asc" }],
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
    select: {
      id: true,
      title: true,
      registrationNumber: true,
      state: true,
      requestedOre: true,
      submittedAt: true,
      officerId: true,
      applicantOrg: { select: { name: true, municipality: { select: { name: true } } } },
      call: { select: { title: true } },
      grant: { select: { amountOre: true, reports: { where: { state: { in: ["due", "completion_requested"] } }, orderBy: { dueOn: "asc" }, take: 1, select: { dueOn: true } } } },
      completionRequests: { where: { completedAt: null }, orderBy: { dueOn: "asc" }, take: 1, select: { dueOn: true } },
    },
  });
  const officerIds = [...new Set(rows.map((r) => r.officerId).filter((id): id is string => id !== null))];
  const officers = new Map((officerIds.length ? await db.user.findMany({ where: { id: { in: officerIds } }, select: { id: true, name: true } }) : []).map((u) => [u.id, u.name]));

  const order = allStateKeys("application");
  return {
    total,
    page,
    pages,
    rows: rows.map((r) => {
      const deadline = r.state === "completionRequested" ? r.completionRequests[0]?.dueOn : r.state.startsWith("grantActive") ? r.grant?.reports[0]?.dueOn : undefined;
      return {
        id: r.id,
        title: r.title,
        registrationNumber: r.registrationNumber,
        applicant: r.applicantOrg.name,
        municipality: r.applicantOrg.municipality?.name ?? null,
        call: r.call.title,
        state: r.state,
        stateLabel: stateLabel("application", r.state),
        officer: r.officerId ? (officers.get(r.officerId) ?? "Okänd användare") : null,
        deadline: day(deadline),
        deadlinePassed: deadline ? deadline < plainDateToUtcMidnight(todayInStockholm(now)) : false,
        requested: formatKronor(r.requestedOre),
        granted: r.grant ? formatKronor(r.grant.amountOre) : null,
        submittedAt: r.submittedAt ? formatDateTime(r.submittedAt) : null,
      };
    }),
    stateCounts: byState
      .map((s) => ({ state: s.state, label: stateLabel("application", s.state), count: s._count._all }))
      .sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state)),
    calls,
    municipalities,
  };
}
