// The board staff's work queue (/arenden): every application the user may
// read, or only what needs this officer today ("mina": cases assigned to me,
// or unassigned ones in my board needing action). Filter by call, state,
// applicant's municipality and deadline; search (app/cases/search.server.ts);
// 25 per page; counts per state over the same filters. Plain SQL (decision 0008).
import type { Db } from "~/db.server";
import { sqlOf, type Sql, type SqlPool } from "~/sql.server";
import { SqlParams } from "~/lib/sql-params";
import { applicationScopeSql, callScopeSql, hasRole, orgIdsWithRole, STAFF_ROLES, type Principal } from "~/access/permissions.server";
import { formatKronor } from "~/lib/money";
import { addDays, formatDate, formatDateTime, plainDateToUtcMidnight, todayInStockholm, utcMidnightToPlainDate } from "~/lib/dates";
import { stateLabel } from "~/lib/state-labels";
import { allStateKeys } from "../../workflows";
import type { CaseListQuery, DeadlineFilter } from "./list-query";
import { resolveSearch, searchArmsSql, type ResolvedSearch } from "./search.server";

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

// The queue is the page officers live in, so it is plain SQL (decision 0008): the filters
// below are conditions on "Application" (alias a), the scope comes from app/access.

/** Open deadlines: an unanswered completion request, or a report not yet (re)submitted. */
function deadlineSql(filter: DeadlineFilter, now: Date, p: SqlParams): string {
  const today = todayInStockholm(now);
  const dueOn = (col: string) =>
    filter === "passerad" ? `${col} < ${p.add(today)}::date` : `${col} between ${p.add(today)}::date and ${p.add(addDays(today, Number(filter)))}::date`;
  return `((a.state = 'completionRequested' and exists (select 1 from "CompletionRequest" cr where cr."applicationId" = a.id and cr."completedAt" is null and ${dueOn(`cr."dueOn"`)}))
        or exists (select 1 from "Grant" g join "Report" r on r."grantId" = g.id
                    where g."applicationId" = a.id and g.state = 'active' and r.state in ('due', 'completion_requested') and ${dueOn(`r."dueOn"`)}))`;
}

/**
 * What needs this officer today: in a board where the user is an officer, assigned to them or to
 * no one, no jäv declared by them, and waiting for the officer: new, in assessment (also after the
 * applicant completed it), a report to review, or a completion whose deadline has passed.
 */
function needsMeSql(user: Principal, now: Date, p: SqlParams): string {
  const me = p.add(user.id);
  return `(a."boardId" = any(${p.add(orgIdsWithRole(user, ["officer"]))}::uuid[])
        and (a."officerId" = ${me}::uuid or a."officerId" is null)
        and not exists (select 1 from "ConflictOfInterest" ci where ci."applicationId" = a.id and ci."userId" = ${me}::uuid)
        and (a.state = any(${p.add(["submitted", "inAssessment", ...REPORT_REVIEW_STATES])}::text[])
             or (a.state = 'completionRequested' and exists (select 1 from "CompletionRequest" cr where cr."applicationId" = a.id and cr."completedAt" is null and cr."dueOn" < ${p.add(todayInStockholm(now))}::date))))`;
}

/** The list's filters other than search, state and page, as SQL conditions (the permission scope first). */
function caseFilterSql(user: Principal, query: Omit<CaseListQuery, "page" | "state" | "q">, now: Date, p: SqlParams): string[] {
  const filters = [applicationScopeSql(user, p)];
  if (query.view === "mina") filters.push(needsMeSql(user, now, p));
  if (query.callId) filters.push(`a."callId" = ${p.add(query.callId)}::uuid`);
  if (query.municipality) filters.push(`a."applicantOrgId" in (select o.id from "Organization" o where o."municipalityCode" = ${p.add(query.municipality)})`);
  if (query.deadline) filters.push(deadlineSql(query.deadline, now, p));
  return filters;
}

/**
 * The tallies (migration 20261123085102_queue_counts) answer for board staff and coordinators
 * looking at everything in scope, or one call: the common view. Anything narrower (my queue,
 * municipality, deadline, search) or an applicant's own cases is counted live.
 */
function tallyScope(user: Principal, query: CaseListQuery, p: SqlParams): string | null {
  if (query.view !== "alla" || query.municipality || query.deadline || query.q || hasRole(user, "applicant")) return null;
  const staff = orgIdsWithRole(user, STAFF_ROLES);
  const coordinating = orgIdsWithRole(user, ["coordinator"]);
  const parts: string[] = [];
  if (staff.length) parts.push(`t."boardId" = any(${p.add(staff)}::uuid[])`);
  if (coordinating.length) parts.push(`t."callId" in (select cc.id from "Call" cc join "Allocation" al on al.id = cc."allocationId" join "Assignment" asg on asg.id = al."assignmentId" where asg."coordinatingBoardId" = any(${p.add(coordinating)}::uuid[]))`);
  if (!parts.length) return null;
  return `(${parts.join(" or ")}) and t.state <> 'draft'${query.callId ? ` and t."callId" = ${p.add(query.callId)}::uuid` : ""}`;
}

/** Tally rows beyond which a read folds them together (each change appends two). */
const COMPACT_ABOVE = 2_000;

/**
 * The filters' options in one statement: the calls the user may see, and the municipalities of the
 * applicant organizations whose cases the user may read.
 */
async function filterOptions(sql: Sql, user: Principal): Promise<{ calls: { id: string; title: string }[]; municipalities: { code: string; name: string }[] }> {
  const p = new SqlParams();
  const calls = `select coalesce(json_agg(json_build_object('id', c.id, 'title', c.title) order by c.title asc, c.id asc), '[]') from "Call" c where ${callScopeSql(user, p)}`;
  const municipality = `json_build_object('code', m.code::text, 'name', m.name) order by m.name`;
  const municipalities =
    !hasRole(user, "applicant") && !hasRole(user, "coordinator")
      ? // Board staff: from the tally per board and municipality.
        `select coalesce(json_agg(${municipality}), '[]') from "Municipality" m
          where m.code in (select t."municipalityCode" from "ApplicantMunicipalityTally" t where t."boardId" = any(${p.add(orgIdsWithRole(user, STAFF_ROLES))}::uuid[])
                            group by t."municipalityCode" having sum(t.delta) > 0)`
      : // An EXISTS probe per municipality on the applicant index, not a scan of every case.
        `select coalesce(json_agg(${municipality}), '[]') from "Municipality" m
          where exists (select 1 from "Organization" o
                         where o."municipalityCode" = m.code
                           and exists (select 1 from "Application" a where a."applicantOrgId" = o.id and ${applicationScopeSql(user, p)}))`;
  const [row] = await sql.query<{ calls: { id: string; title: string }[]; municipalities: { code: string; name: string }[] }>(
    `select (${calls}) as calls, (${municipalities}) as municipalities`,
    p.values,
  );
  return row;
}

type StateCount = { state: string; n: number };

/** The counts per state over the list's filters, as a query returning (state, n, rows): from the tallies where they answer. */
function countsSql(user: Principal, query: CaseListQuery, now: Date, p: SqlParams): string {
  const tally = tallyScope(user, query, p);
  if (tally) return `select t.state, sum(t.delta)::int as n, count(*)::int as rows from "ApplicationStateTally" t where ${tally} group by t.state having sum(t.delta) <> 0`;
  return `select a.state, count(*)::int as n, 0 as rows from "Application" a where ${caseFilterSql(user, query, now, p).join(" and ")} group by a.state`;
}

type Row = {
  id: string;
  title: string;
  registrationNumber: string | null;
  state: string;
  requestedOre: bigint;
  submittedAt: Date | null;
  officerId: string | null;
  officerName: string | null;
  applicant: string;
  municipality: string | null;
  call: string;
  grantedOre: bigint | null;
  deadline: Date | null;
};

/**
 * The offset as a literal, not a parameter: with a parameter PostgreSQL must assume any offset,
 * so it keeps re-planning this seven-table join for every request (about 4 ms each time); with a
 * literal the prepared statement settles on one plan per page number.
 */
function pageOffset(page: number): string {
  const offset = (page - 1) * PAGE_SIZE;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`Invalid page ${page}`);
  return String(offset);
}

const orderSql = (query: CaseListQuery, alias: string) =>
  `${alias}."submittedAt" ${query.view === "mina" ? "asc" : "desc"} nulls last, ${alias}."createdAt" desc, ${alias}.id asc`;

/** What each row of the page shows (with what it is ordered by), for the ids in the CTE "page", in the list's order. */
function pageRowsSql(query: CaseListQuery): string {
  return `select a.id, a.title, a."registrationNumber", a.state, a."requestedOre", a."submittedAt", a."createdAt", a."officerId", u.name as "officerName",
            o.name as applicant, m.name as municipality, c.title as call, g."amountOre" as "grantedOre",
            case when a.state = 'completionRequested'
                   then (select min(cr."dueOn") from "CompletionRequest" cr where cr."applicationId" = a.id and cr."completedAt" is null)
                 when a.state like 'grantActive%'
                   then (select min(r."dueOn") from "Report" r where r."grantId" = g.id and r.state in ('due', 'completion_requested'))
            end as deadline
       from page join "Application" a on a.id = page.id
       join "Organization" o on o.id = a."applicantOrgId"
       left join "Municipality" m on m.code = o."municipalityCode"
       join "Call" c on c.id = a."callId"
       left join "Grant" g on g."applicationId" = a.id
       left join "User" u on u.id = a."officerId"
      order by ${orderSql(query, "page")}`;
}

type PageKey = { id: string; submittedAt: Date | null; createdAt: Date };
type PageKeyJson = { id: string; submittedAt: string | null; createdAt: string };

const pageKeyJson = (alias: string) => `json_build_object('id', ${alias}.id, 'submittedAt', ${alias}."submittedAt", 'createdAt', ${alias}."createdAt")`;
const pageKeysOf = (rows: PageKeyJson[] | null): PageKey[] =>
  (rows ?? []).map((r) => ({ id: r.id, submittedAt: r.submittedAt === null ? null : new Date(r.submittedAt), createdAt: new Date(r.createdAt) }));

/**
 * The page's 25 ids on the ordering index, as one JSON array. Its plan is small: the seven-table
 * join of what each row shows is a statement of its own (rowsOf), planned once, whatever the filters.
 */
function pageKeysSql(user: Principal, query: CaseListQuery, page: number, now: Date, p: SqlParams): string {
  const where = caseFilterSql(user, query, now, p);
  if (query.state) where.push(`a.state = ${p.add(query.state)}`);
  return `select coalesce(json_agg(${pageKeyJson("k")} order by ${orderSql(query, "k")}), '[]')
            from (select a.id, a."submittedAt", a."createdAt" from "Application" a
                   where ${where.join(" and ")}
                   order by ${orderSql(query, "a")}
                   limit ${PAGE_SIZE} offset ${pageOffset(page)}) k`;
}

async function pageKeys(sql: SqlPool, user: Principal, query: CaseListQuery, page: number, now: Date): Promise<PageKey[]> {
  const p = new SqlParams();
  const [row] = await sql.query<{ page: PageKeyJson[] }>(`select (${pageKeysSql(user, query, page, now, p)}) as page`, p.values);
  return pageKeysOf(row.page);
}

/** The counts per state and the page's ids, in one statement. */
async function countsAndKeys(sql: SqlPool, user: Principal, query: CaseListQuery, page: number, now: Date): Promise<{ counts: StateCount[]; keys: PageKey[] }> {
  const p = new SqlParams();
  const [row] = await sql.query<{ counts: [string, number, number][]; page: PageKeyJson[] }>(
    `select (select coalesce(json_agg(json_build_array(s.state, s.n, s.rows)), '[]') from (${countsSql(user, query, now, p)}) s) as counts,
            (${pageKeysSql(user, query, page, now, p)}) as page`,
    p.values,
  );
  if (row.counts.reduce((n, [, , rows]) => n + rows, 0) > COMPACT_ABOVE) await sql.query(`select compact_case_tallies()`);
  return { counts: row.counts.map(([state, n]) => ({ state, n })), keys: pageKeysOf(row.page) };
}

/** The rows of a page whose ids are known, in the list's order: one statement text for every page, planned once. */
async function rowsOf(sql: SqlPool, query: CaseListQuery, page: PageKey[]): Promise<Row[]> {
  if (!page.length) return [];
  return sql.query<Row>(
    `with page as (select * from unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) as p(id, "submittedAt", "createdAt"))
     ${pageRowsSql(query)}`,
    [page.map((r) => r.id), page.map((r) => r.submittedAt), page.map((r) => r.createdAt)],
  );
}

/**
 * A search: its matches are read once, each arm of the search on its own index (the applicant
 * arm from "Application_applicant_queue" alone, without visiting the cases), and both the counts
 * per state and the page's ids come from that one set; then the page's rows. Uncapped: the counts
 * are exact however many cases match.
 */
async function searchPage(sql: SqlPool, user: Principal, query: CaseListQuery, search: ResolvedSearch, page: number, now: Date): Promise<{ counts: StateCount[]; keys: PageKey[] }> {
  const p = new SqlParams();
  const filters = caseFilterSql(user, query, now, p);
  // Each arm leaves out what an earlier arm found, so the arms are disjoint and need no
  // de-duplication (a sort or hash of every match).
  const arms = searchArmsSql(search, p).map((arm, i, all) => {
    const earlier = all.slice(0, i).map((c) => `not coalesce(${c}, false)`);
    return `select a.id, a.state, a."submittedAt", a."createdAt" from "Application" a where ${[...filters, arm, ...earlier].join(" and ")}`;
  });
  const [found] = await sql.query<{ counts: [string, number][]; page: PageKeyJson[] }>(
    `with matches as materialized (${arms.join("\n union all \n")})
     select (select coalesce(json_agg(json_build_array(s.state, s.n)), '[]') from (select m.state, count(*)::int as n from matches m group by m.state) s) as counts,
            (select coalesce(json_agg(${pageKeyJson("m")} order by ${orderSql(query, "m")}), '[]')
               from (select * from matches m ${query.state ? `where m.state = ${p.add(query.state)}` : ""}
                      order by ${orderSql(query, "m")} limit ${PAGE_SIZE} offset ${pageOffset(page)}) m) as page`,
    p.values,
  );
  return {
    counts: (found?.counts ?? []).map(([state, n]) => ({ state, n })),
    keys: pageKeysOf(found?.page ?? null),
  };
}

const day = (d: Date | null | undefined) => (d ? formatDate(utcMidnightToPlainDate(d)) : null);

export async function listCases(db: Db, user: Principal, query: CaseListQuery, now = new Date()) {
  const sql = sqlOf(db);
  // Independent statements at once; the ids of the asked-for page are read with them and read
  // again only when that page is past the end.
  const search = query.q ? resolveSearch(sql, query.q) : null;
  const casesOn = async (page: number) => {
    const resolved = await search;
    return resolved ? searchPage(sql, user, query, resolved, page, now) : countsAndKeys(sql, user, query, page, now);
  };
  const [first, { calls, municipalities }] = await Promise.all([casesOn(query.page), filterOptions(sql, user)]);
  const byState = first.counts;
  const total = byState.filter((s) => !query.state || s.state === query.state).reduce((n, s) => n + s.n, 0);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const lastKeys = async () => ((await search) ? (await casesOn(page)).keys : pageKeys(sql, user, query, page, now));
  const rows = await rowsOf(sql, query, page === query.page ? first.keys : await lastKeys());

  const order = allStateKeys("application");
  const today = plainDateToUtcMidnight(todayInStockholm(now));
  return {
    total,
    page,
    pages,
    rows: rows.map((r) => ({
      id: r.id,
      title: r.title,
      registrationNumber: r.registrationNumber,
      applicant: r.applicant,
      municipality: r.municipality,
      call: r.call,
      state: r.state,
      stateLabel: stateLabel("application", r.state),
      officer: r.officerId ? (r.officerName ?? "Okänd användare") : null,
      deadline: day(r.deadline),
      deadlinePassed: r.deadline ? r.deadline < today : false,
      requested: formatKronor(r.requestedOre),
      granted: r.grantedOre !== null ? formatKronor(r.grantedOre) : null,
      submittedAt: r.submittedAt ? formatDateTime(r.submittedAt) : null,
    })),
    stateCounts: byState
      .map((s) => ({ state: s.state, label: stateLabel("application", s.state), count: s.n }))
      .sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state)),
    calls,
    municipalities,
  };
}
