// The list of applications a user may read (/arenden): filter by state and
// call, free-text search on registration number, title and organization
// (PostgreSQL full-text search with the 'swedish' configuration, plus ILIKE so
// that parts of a registration number such as "05-2020" also match),
// 25 per page, with counts per state.
import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import { applicationScope, callScope, type Principal } from "~/access/permissions.server";
import { formatKronor } from "~/lib/money";
import { formatDateTime } from "~/lib/dates";
import { stateLabel } from "~/lib/state-labels";
import { allStateKeys } from "../../workflows";
import type { CaseListQuery } from "./list-query";

export { caseListHref, type CaseListQuery } from "./list-query";

export const PAGE_SIZE = 25;


const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the list's query string; anything unknown is ignored, never an error. */
export function parseCaseListQuery(url: URL): CaseListQuery {
  const p = url.searchParams;
  const state = p.get("status");
  const callId = p.get("utlysning");
  const page = Number(p.get("sida") ?? "1");
  return {
    state: state && allStateKeys("application").includes(state) ? state : null,
    callId: callId && UUID.test(callId) ? callId : null,
    q: (p.get("q") ?? "").trim().slice(0, 200),
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Ids of applications whose title, organization or registration number match `q`.
 * Full-text search in Swedish (stemming: "kvinnojouren" finds "kvinnojour"), or a
 * substring match for registration numbers and names that stemming would miss.
 */
async function searchIds(db: Db, q: string): Promise<string[]> {
  const like = `%${escapeLike(q)}%`;
  const rows = await db.$queryRaw<{ id: string }[]>`
    select a.id::text as id
    from "Application" a
    join "Organization" o on o.id = a."applicantOrgId"
    where to_tsvector('swedish', a.title || ' ' || o.name || ' ' || coalesce(a."registrationNumber", ''))
            @@ websearch_to_tsquery('swedish', ${q})
       or a."registrationNumber" ilike ${like}
       or a.title ilike ${like}
       or o.name ilike ${like}`;
  return rows.map((r) => r.id);
}

export async function listCases(db: Db, user: Principal, query: CaseListQuery) {
  const filters: Prisma.ApplicationWhereInput[] = [applicationScope(user)];
  if (query.callId) filters.push({ callId: query.callId });
  if (query.q) filters.push({ id: { in: await searchIds(db, query.q) } });
  const where: Prisma.ApplicationWhereInput = { AND: filters };
  const withState: Prisma.ApplicationWhereInput = query.state ? { AND: [...filters, { state: query.state }] } : where;

  const [total, byState, calls] = await Promise.all([
    db.application.count({ where: withState }),
    db.application.groupBy({ by: ["state"], where, _count: { _all: true } }),
    db.call.findMany({ where: { AND: [callScope(user), { applications: { some: applicationScope(user) } }] }, select: { id: true, title: true }, orderBy: { title: "asc" } }),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const rows = await db.application.findMany({
    where: withState,
    orderBy: [{ submittedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "asc" }],
    skip: (page - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
    select: {
      id: true,
      title: true,
      registrationNumber: true,
      state: true,
      requestedOre: true,
      submittedAt: true,
      applicantOrg: { select: { name: true } },
      call: { select: { title: true } },
      grant: { select: { amountOre: true } },
    },
  });

  const order = allStateKeys("application");
  return {
    total,
    page,
    pages,
    rows: rows.map((r) => ({
      id: r.id,
      title: r.title,
      registrationNumber: r.registrationNumber,
      applicant: r.applicantOrg.name,
      call: r.call.title,
      state: r.state,
      stateLabel: stateLabel("application", r.state),
      requested: formatKronor(r.requestedOre),
      granted: r.grant ? formatKronor(r.grant.amountOre) : null,
      submittedAt: r.submittedAt ? formatDateTime(r.submittedAt) : null,
    })),
    stateCounts: byState
      .map((s) => ({ state: s.state, label: stateLabel("application", s.state), count: s._count._all }))
      .sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state)),
    calls,
  };
}
