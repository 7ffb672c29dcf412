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
import { figuresBy, materializeFactsSql, type FigureRow, type ReportFilter, type Runner } from "./figures.server";
import { figureView, type FigureView } from "./view";

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

const views = (x: { rows: FigureRow[]; total: FigureRow }) => ({ rows: x.rows.map(figureView), total: figureView(x.total) });

/**
 * Runs `fn` with the per-application facts computed once into a temporary table, as the
 * exports do: a page shows several groupings of the same facts, and each would otherwise
 * compute them again. One REPEATABLE READ transaction, so the groupings agree with each other.
 */
async function withFacts<T>(db: Db, filter: ReportFilter, today: string, fn: (run: Runner) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      const m = materializeFactsSql(filter, today);
      await tx.$executeRawUnsafe(m.text, ...m.values);
      await tx.$executeRawUnsafe(`analyze facts`);
      return fn({ rows: <R,>(sql: { text: string; values: unknown[] }) => tx.$queryRawUnsafe<R[]>(sql.text, ...sql.values), factsMode: "table" });
    },
    { isolationLevel: "RepeatableRead", timeout: 60_000, maxWait: 20_000 },
  );
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
  const { byBoard, byKind } = await withFacts(db, parsed.filter, today, async (run) => ({
    byBoard: await figuresBy(run, "board", parsed.filter, today),
    byKind: await figuresBy(run, "kind", parsed.filter, today),
  }));
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
  byMunicipality: { rows: FigureView[]; total: FigureView };
};

/**
 * Budget at a glance for an assignment (parts: its boards), an allocation (the filter's one
 * board; parts: its calls) or a call (the filter's call). The headline is the level's total.
 */
export async function loadBudgetGlance(db: Db, filter: ReportFilter, level: "assignment" | "allocation" | "call"): Promise<BudgetGlance> {
  const today = todayInStockholm();
  return withFacts(db, filter, today, async (run) => {
    const board = level === "call" ? null : await figuresBy(run, "board", filter, today);
    const calls = level === "assignment" ? null : await figuresBy(run, "call", filter, today);
    return {
      headline: figureView(level === "call" ? calls!.total : board!.total),
      parts: level === "assignment" ? views(board!) : level === "allocation" ? views(calls!) : null,
      byKind: views(await figuresBy(run, "kind", filter, today)),
      byMunicipality: views(await figuresBy(run, "municipality", filter, today)),
    };
  });
}
