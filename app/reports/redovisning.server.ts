// Exporting the redovisning: the one use case behind the download on
// /samordning, the command line (npm run export:redovisning) and the
// background export job. It opens one read-only snapshot, describes the
// export on "Om rapporten", and streams the workbook to `out`.
import type { Writable } from "node:stream";
import { formatDate, todayInStockholm, utcMidnightToPlainDate } from "~/lib/dates";
import { openExportSources } from "./source.server";
import { writeRedovisning, type WorkbookOptions } from "./workbook.server";
import type { ReportFilter, Runner } from "./figures.server";

export type RedovisningRequest = ReportFilter & { exportedBy: string; now?: Date };

/** A file name like `redovisning-MVK-2020-2021-2026-11-23.xlsx` (letters, digits and dashes only). */
export function redovisningFileName(reference: string, now = new Date(), extension = "xlsx"): string {
  const safe = reference.normalize("NFKD").replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "uppdrag";
  return `redovisning-${safe}-${todayInStockholm(now)}.${extension}`;
}

type AssignmentMeta = { reference: string; title: string; periodStart: Date; periodEnd: Date; fundingReference: string; coordinating: string; responsible: string };

/** What "Om rapporten" says about the export, read inside the export's own snapshot. */
export async function describeExport(source: Runner, r: RedovisningRequest) {
  // Asked for together, so they sit together in the connection's queue.
  const [[a], boards, [call]] = await Promise.all([
    source.rows<AssignmentMeta>({
    text: `select a.reference, a.title, a."periodStart", a."periodEnd", a."fundingReference", cb.name as coordinating, rb.name as responsible
             from "Assignment" a join "Organization" cb on cb.id = a."coordinatingBoardId" join "Organization" rb on rb.id = a."responsibleBoardId"
            where a.id = $1::uuid`,
      values: [r.assignmentId],
    }),
    r.boardIds ? source.rows<{ name: string }>({ text: `select name from "Organization" where id = any($1::uuid[]) order by "countyCode"`, values: [r.boardIds] }) : null,
    r.callId ? source.rows<{ title: string }>({ text: `select title from "Call" where id = $1::uuid`, values: [r.callId] }) : [],
  ]);
  if (!a) throw new Error(`no assignment ${r.assignmentId}`);
  const day = (d: Date) => formatDate(utcMidnightToPlainDate(d));
  return {
    assignment: {
      reference: a.reference,
      title: a.title,
      period: `${day(a.periodStart)} – ${day(a.periodEnd)}`,
      coordinatingBoard: a.coordinating,
      responsibleBoard: a.responsible,
      fundingReference: a.fundingReference,
    },
    scopeLabel: boards ? boards.map((b) => b.name).join(", ") : "Alla länsstyrelser med tilldelning",
    filterLabels: { year: r.year ? String(r.year) : "Alla år", call: call ? call.title : "Alla utlysningar" },
    exportedBy: r.exportedBy,
    exportedAt: r.now ?? new Date(),
  };
}

/**
 * Streams the workbook to `out` (which it ends). Reads only through its own node-postgres
 * connections (DATABASE_URL unless given), so a process that only exports (the CLI, a worker)
 * need not load Prisma.
 */
export async function exportRedovisning(out: Writable, r: RedovisningRequest, opts: WorkbookOptions & { databaseUrl?: string } = {}) {
  const exportedAt = r.now ?? new Date();
  const today = todayInStockholm(exportedAt);
  // Two connections on one snapshot: the first with every figure (the summary and the application
  // sheets), the second with the light grants table, preparing the later sheets while the first ones are written.
  const [source, ahead] = await openExportSources(opts.databaseUrl, { filter: r, today }, ["full", "grants"]);
  try {
    // On the second connection, before the summary: "Om rapporten" describes the export with it.
    const meta = describeExport(ahead, { ...r, now: exportedAt });
    return await writeRedovisning(out, source, r, meta, today, opts, ahead);
  } finally {
    await Promise.all([source.close(), ahead.close()]);
  }
}
