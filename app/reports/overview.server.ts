// The coordinators' overview of an assignment (/samordning/:id) and budget at a
// glance (/uppdrag/:id, /utlysningar/:id/budget): filters from the URL, the
// figures from the one figures module, shaped for the pages.
import { z } from "zod";
import type { Db } from "~/db.server";
import type { Principal } from "~/access/permissions.server";
import { isUuid, reportAssignmentScope, requireReportScope } from "~/access/permissions.server";
import { formatDate, formatDateTime, todayInStockholm, utcMidnightToPlainDate } from "~/lib/dates";
import { formatKronor } from "~/lib/money";
import { stateLabel, stateNext } from "~/lib/state-labels";
import { allowedEvents } from "~/workflow/engine.server";
import { sqlOf, type SqlParam } from "~/sql.server";
import { figuresByMany, type FigureRow, type ReportFilter, type Runner } from "./figures.server";
import { GLANCE_GROUP_FIGURES, GLANCE_HEADLINE, GLANCE_PART_FIGURES, figureView, type FigureKey, type FigureView } from "./view";

const day = (d: Date) => formatDate(utcMidnightToPlainDate(d));

// Each field one schema with its own Swedish message: a union (`.or`) would answer zod's English "Invalid input".
const FilterQuery = z.object({
  ar: z
    .string()
    .trim()
    .refine((v) => v === "" || /^\d{4}$/.test(v), "Välj ett år med fyra siffror.")
    .transform((v) => (v === "" ? undefined : Number(v)))
    .optional(),
  utlysning: z
    .string()
    .trim()
    .refine((v) => v === "" || isUuid(v), "Välj en utlysning i listan.")
    .transform((v) => (v === "" ? undefined : v))
    .optional(),
});

export type FilterError = { field: "ar" | "utlysning"; message: string };

/** Year and call from the query string, checked against the assignment; what is wrong is reported and left out. */
export async function parseReportFilter(db: Db, url: URL, assignmentId: string, boardIds: string[] | null) {
  const raw = { ar: url.searchParams.get("ar") ?? undefined, utlysning: url.searchParams.get("utlysning") ?? undefined };
  const parsed = FilterQuery.safeParse(raw);
  const errors: FilterError[] = [];
  let year: number | null = null;
  let callId: string | null = null;
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push({ field: issue.path[0] === "ar" ? "ar" : "utlysning", message: issue.message });
  } else {
    year = parsed.data.ar ?? null;
    callId = parsed.data.utlysning ?? null;
  }
  const calls = await db.call.findMany({
    where: { allocation: { assignmentId }, ...(boardIds ? { boardId: { in: boardIds } } : {}) },
    select: { id: true, title: true, opensAt: true, board: { select: { countyCode: true, name: true } } },
    orderBy: [{ board: { countyCode: "asc" } }, { opensAt: "asc" }],
  });
  if (callId && !calls.some((c) => c.id === callId)) {
    errors.push({ field: "utlysning", message: "Utlysningen hör inte till uppdraget. Välj en utlysning i listan." });
    callId = null;
  }
  const years = [...new Set(calls.map((c) => Number(todayInStockholm(c.opensAt).slice(0, 4))))].sort();
  const filter: ReportFilter = { assignmentId, boardIds, year, callId };
  return {
    filter,
    errors,
    values: { ar: raw.ar ?? "", utlysning: raw.utlysning ?? "" },
    options: { years, calls: calls.map((c) => ({ id: c.id, title: `${c.title} (${c.board.name})` })) },
  };
}

/** The query string of a filter, for links to the downloads. */
export function filterQuery(f: Pick<ReportFilter, "year" | "callId">, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (f.year) q.set("ar", String(f.year));
  if (f.callId) q.set("utlysning", f.callId);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

const views = (x: { rows: FigureRow[]; total: FigureRow }) => ({ rows: x.rows.map((r) => figureView(r)), total: figureView(x.total) });
/** Whether the page was asked to list every municipality (?kommuner=alla). */
export const wantsAllMunicipalities = (url: URL) => url.searchParams.get("kommuner") === "alla";

/** Municipalities shown on budget at a glance unless the user asks for all of them. */
export const GLANCE_MUNICIPALITIES = 10;

/**
 * The municipality table: all of them, or the ones with the most decided money (then the most
 * applications). Assignment-wide that is every municipality in Sweden, 290 rows, which would be
 * most of the page's weight; the total row always covers all of them.
 */
const municipalityRows = (x: { rows: FigureRow[]; total: FigureRow }, all: boolean) => {
  const ranked = all
    ? x.rows
    : [...x.rows]
        .sort((a, b) => (a.decided === b.decided ? b.received - a.received || a.label.localeCompare(b.label, "sv") : a.decided < b.decided ? 1 : -1))
        .slice(0, GLANCE_MUNICIPALITIES);
  return { ...tableViews({ rows: ranked, total: x.total }, GLANCE_GROUP_FIGURES), count: x.rows.length, all: all || x.rows.length <= GLANCE_MUNICIPALITIES };
};
/** Only the columns a table shows, no chart values: budget at a glance lists every municipality. */
const tableViews = (x: { rows: FigureRow[]; total: FigureRow }, shown: readonly FigureKey[]) => ({
  rows: x.rows.map((r) => figureView(r, shown, [])),
  total: figureView(x.total, shown, []),
});

/**
 * Makes sure every call of the assignment has kept sums (FigureSum). Calls made through the
 * app have them from the start; a call loaded in bulk with triggers off (the benchmarks' data
 * sets) is built here once, in its own transaction, before any page reads it.
 */
export async function ensureFigureSums(db: Db, assignmentId: string): Promise<void> {
  const sql = sqlOf(db);
  const missing = await sql.query<{ id: string }>(
    `select c.id::text as id from "Call" c join "Allocation" al on al.id = c."allocationId"
      where al."assignmentId" = $1::uuid and not exists (select 1 from "FigureCall" fc where fc."callId" = c.id)
      order by c.id`,
    [assignmentId],
  );
  if (missing.length) await sql.query(`select figures_build(id) from unnest($1::uuid[]) as id order by id`, [missing.map((m) => m.id)]);
}

/**
 * What the figures of an assignment are computed from, as one fingerprint: every row version
 * (ctid and xmin, which change whenever a row is written) of its kept sums, calls, allocations,
 * boards and the municipalities. Equal fingerprints mean the same rows, so the same figures.
 * Unordered: a different scan order only makes a needless recomputation, never a wrong reuse.
 * Whether every call has its sums is asked in the same statement.
 */
const FIGURE_INPUTS_SQL = `
  with calls as (select c.id, c.ctid, c.xmin from "Call" c join "Allocation" al on al.id = c."allocationId" where al."assignmentId" = $1::uuid)
  select md5(coalesce(string_agg(v, ','), '')) as stamp,
         exists (select 1 from calls c where not exists (select 1 from "FigureCall" fc where fc."callId" = c.id)) as missing
    from (select 's' || s.ctid::text || s.xmin::text as v from "FigureSum" s where s."callId" in (select id from calls)
          union all select 'c' || c.ctid::text || c.xmin::text from calls c
          union all select 'a' || al.ctid::text || al.xmin::text from "Allocation" al where al."assignmentId" = $1::uuid
          union all select 'o' || o.ctid::text || o.xmin::text from "Organization" o join "Allocation" al on al."boardId" = o.id where al."assignmentId" = $1::uuid
          union all select 'm' || m.ctid::text || m.xmin::text from "Municipality" m) v`;

/** Figures computed from the kept sums, by what they were asked for and the fingerprint of their inputs. */
const figureCache = new Map<string, { stamp: string; value: unknown }>();
const FIGURE_CACHE_ENTRIES = 500;

/**
 * Runs `fn` over the kept sums (FigureSum) on the plain-SQL pool: a few hundred rows per
 * assignment, whatever the number of applications (decision 0009). The pages ask for the same
 * figures over and over while nothing changes, so the result is kept under `key` (which must
 * name everything `fn` depends on besides the database: filter, groupings, today) with the
 * fingerprint of the rows it was computed from; a later request that finds the same fingerprint
 * reuses it, and any write to those rows changes the fingerprint. Fingerprint and figures are
 * read in one repeatable-read snapshot, so a kept result always matches its fingerprint.
 */
async function withSums<T>(db: Db, filter: ReportFilter, key: string, fn: (run: Runner) => Promise<T>): Promise<T> {
  const sql = sqlOf(db);
  const cacheKey = `${JSON.stringify(filter)}|${key}`;
  const kept = figureCache.get(cacheKey);
  const [now] = await sql.query<{ stamp: string; missing: boolean }>(FIGURE_INPUTS_SQL, [filter.assignmentId]);
  if (kept && kept.stamp === now.stamp && !now.missing) return kept.value as T;
  if (now.missing) await ensureFigureSums(db, filter.assignmentId);
  const { stamp, value } = await sql.transaction(
    async (tx) => {
      const [inputs] = await tx.query<{ stamp: string }>(FIGURE_INPUTS_SQL, [filter.assignmentId]);
      const value = await fn({ rows: <R,>(q: { text: string; values: unknown[] }) => tx.query(q.text, q.values as SqlParam[]) as Promise<R[]>, factsMode: "sums" });
      return { stamp: inputs.stamp, value };
    },
    { isolation: "repeatable read" },
  );
  if (figureCache.size >= FIGURE_CACHE_ENTRIES) figureCache.delete(figureCache.keys().next().value!);
  figureCache.delete(cacheKey);
  figureCache.set(cacheKey, { stamp, value });
  return value;
}

/** /samordning: assignments whose figures the user may see. */
export async function listReportAssignments(db: Db, user: Principal) {
  const rows = await db.assignment.findMany({
    where: reportAssignmentScope(user),
    orderBy: [{ periodStart: "desc" }, { reference: "asc" }],
    include: { coordinatingBoard: { select: { name: true } } },
  });
  const coordinating = new Set(user.memberships.filter((m) => m.role === "coordinator").map((m) => m.organizationId));
  return rows.map((a) => ({
    id: a.id,
    reference: a.reference,
    title: a.title,
    coordinating: a.coordinatingBoard.name,
    period: `${day(a.periodStart)} – ${day(a.periodEnd)}`,
    total: formatKronor(a.totalOre),
    reportDueOn: day(a.reportDueOn),
    stateLabel: stateLabel("assignment", a.state),
    allBoards: coordinating.has(a.coordinatingBoardId),
  }));
}

/** /samordning/:id: every board's figures (or the user's own board's), by kind and the reporting progress. */
export async function loadOverview(db: Db, user: Principal, assignmentId: string, url: URL) {
  const { assignment, boardIds } = await requireReportScope(db, user, assignmentId);
  const parsed = await parseReportFilter(db, url, assignment.id, boardIds);
  const today = todayInStockholm();
  const { board: byBoard, kind: byKind } = await withSums(db, parsed.filter, `board,kind|${today}`, (run) => figuresByMany(run, ["board", "kind"], parsed.filter, today));
  const boards = await db.organization.findMany({ where: { id: { in: [assignment.coordinatingBoardId] } }, select: { name: true } });
  const events = await allowedEvents(db, user, "assignment", assignment.id);
  const submitted = (assignment.snapshot as { context?: { reportSubmittedAt?: string | null } } | null)?.context?.reportSubmittedAt ?? null;
  return {
    // The assignment's own state: the coordinator hands the compiled redovisning to the government here (SUBMIT_REPORT).
    governmentReport: {
      state: assignment.state,
      stateLabel: stateLabel("assignment", assignment.state),
      stateNext: stateNext("assignment", assignment.state),
      version: assignment.version,
      maySubmit: events.includes("SUBMIT_REPORT"),
      submittedAt: submitted ? formatDateTime(new Date(submitted)) : null,
    },
    assignment: {
      id: assignment.id,
      reference: assignment.reference,
      title: assignment.title,
      period: `${day(assignment.periodStart)} – ${day(assignment.periodEnd)}`,
      total: formatKronor(assignment.totalOre),
      reportDueOn: day(assignment.reportDueOn),
      coordinating: boards[0]?.name ?? "",
    },
    allBoards: boardIds === null,
    reportSubmitted: url.searchParams.get("klart") === "redovisat",
    filter: { year: parsed.filter.year, callId: parsed.filter.callId },
    query: filterQuery(parsed.filter),
    values: parsed.values,
    errors: parsed.errors,
    options: parsed.options,
    byBoard: views(byBoard),
    byKind: views(byKind),
  };
}

export type BudgetGlance = {
  headline: FigureView;
  /** Per board (assignment), per call (allocation, call level has none). */
  parts: { rows: FigureView[]; total: FigureView } | null;
  byKind: { rows: FigureView[]; total: FigureView };
  /** The municipalities shown (all, or the GLANCE_MUNICIPALITIES with most decided), how many there are, and the total of all. */
  byMunicipality: { rows: FigureView[]; total: FigureView; count: number; all: boolean };
};

/**
 * Budget at a glance for an assignment (parts: its boards), an allocation (the filter's one
 * board; parts: its calls) or a call (the filter's call). The headline is the level's total.
 */
export async function loadBudgetGlance(db: Db, filter: ReportFilter, level: "assignment" | "allocation" | "call", opts: { allMunicipalities?: boolean } = {}): Promise<BudgetGlance> {
  const today = todayInStockholm();
  // The headline is the level's own total: the board's (with its allocation) or the call's.
  const groupings = level === "assignment" ? (["board", "kind", "municipality"] as const) : level === "allocation" ? (["board", "call", "kind", "municipality"] as const) : (["call", "kind", "municipality"] as const);
  const g: Partial<Record<"board" | "call" | "kind" | "municipality", { rows: FigureRow[]; total: FigureRow }>> = await withSums(db, filter, `${groupings.join(",")}|${today}`, (run) => figuresByMany(run, groupings, filter, today));
  const headline = level === "call" ? g.call! : g.board!;
  const parts = level === "assignment" ? g.board! : level === "allocation" ? g.call! : null;
  return {
    headline: figureView(headline.total, GLANCE_HEADLINE, GLANCE_HEADLINE),
    parts: parts ? tableViews(parts, GLANCE_PART_FIGURES) : null,
    byKind: tableViews(g.kind!, GLANCE_GROUP_FIGURES),
    byMunicipality: municipalityRows(g.municipality!, opts.allMunicipalities ?? false),
  };
}
