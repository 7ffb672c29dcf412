// The coordinators' overview of an assignment (/samordning/:id) and budget at a
// glance (/uppdrag/:id, /utlysningar/:id/budget): filters from the URL, the
// figures from the one figures module, shaped for the pages.
import { z } from "zod";
import type { Db } from "~/db.server";
import type { Principal } from "~/access/permissions.server";
import { reportAssignmentScope, requireReportScope } from "~/access/permissions.server";
import { formatDate, todayInStockholm, utcMidnightToPlainDate } from "~/lib/dates";
import { formatKronor } from "~/lib/money";
import { stateLabel } from "~/lib/state-labels";
import { sqlOf, type SqlParam } from "~/sql.server";
import { figuresByMany, type FigureRow, type ReportFilter, type Runner } from "./figures.server";
import { GLANCE_GROUP_FIGURES, GLANCE_HEADLINE, GLANCE_PART_FIGURES, figureRowsHtml, figureView, type FigureKey, type FigureView } from "./view";

const day = (d: Date) => formatDate(utcMidnightToPlainDate(d));

const FilterQuery = z.object({
  ar: z
    .string()
    .trim()
    .regex(/^\d{4}$/, "Välj ett år med fyra siffror.")
    .transform(Number)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  utlysning: z.string().trim().uuid("Välj en utlysning i listan.").optional().or(z.literal("").transform(() => undefined)),
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
const municipalityRows = (x: { rows: FigureRow[]; total: FigureRow }) => {
  const v = tableViews(x, GLANCE_GROUP_FIGURES);
  return { html: figureRowsHtml(v.rows, GLANCE_GROUP_FIGURES), count: v.rows.length, total: v.total };
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
 * Runs `fn` over the kept sums (FigureSum) on the plain-SQL pool: a few hundred rows per
 * assignment, whatever the number of applications (decision 0009). `fn` reads every grouping
 * in one statement (figuresByMany), so they share one snapshot without a transaction.
 */
async function withSums<T>(db: Db, filter: ReportFilter, fn: (run: Runner) => Promise<T>): Promise<T> {
  await ensureFigureSums(db, filter.assignmentId);
  const sql = sqlOf(db);
  return fn({ rows: <R,>(q: { text: string; values: unknown[] }) => sql.query(q.text, q.values as SqlParam[]) as Promise<R[]>, factsMode: "sums" });
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
  const { board: byBoard, kind: byKind } = await withSums(db, parsed.filter, (run) => figuresByMany(run, ["board", "kind"], parsed.filter, today));
  const boards = await db.organization.findMany({ where: { id: { in: [assignment.coordinatingBoardId] } }, select: { name: true } });
  return {
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
  /** Every municipality: the body rows as HTML (figureRowsHtml), not as data. */
  byMunicipality: { html: string; count: number; total: FigureView };
};

/**
 * Budget at a glance for an assignment (parts: its boards), an allocation (the filter's one
 * board; parts: its calls) or a call (the filter's call). The headline is the level's total.
 */
export async function loadBudgetGlance(db: Db, filter: ReportFilter, level: "assignment" | "allocation" | "call"): Promise<BudgetGlance> {
  const today = todayInStockholm();
  // The headline is the level's own total: the board's (with its allocation) or the call's.
  const groupings = level === "assignment" ? (["board", "kind", "municipality"] as const) : level === "allocation" ? (["board", "call", "kind", "municipality"] as const) : (["call", "kind", "municipality"] as const);
  const g: Partial<Record<"board" | "call" | "kind" | "municipality", { rows: FigureRow[]; total: FigureRow }>> = await withSums(db, filter, (run) => figuresByMany(run, groupings, filter, today));
  const headline = level === "call" ? g.call! : g.board!;
  const parts = level === "assignment" ? g.board! : level === "allocation" ? g.call! : null;
  return {
    headline: figureView(headline.total, GLANCE_HEADLINE, GLANCE_HEADLINE),
    parts: parts ? tableViews(parts, GLANCE_PART_FIGURES) : null,
    byKind: tableViews(g.kind!, GLANCE_GROUP_FIGURES),
    byMunicipality: municipalityRows(g.municipality!),
  };
}
