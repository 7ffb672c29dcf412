// Exporting the redovisning: the one use case behind the download on
// /samordning, the command line (npm run export:redovisning) and the
// background export job. It opens one read-only snapshot, describes the
// export on "Om rapporten", and streams the workbook to `out`.
import type { Writable } from "node:stream";
import type { Db } from "~/db.server";
import { formatDate, todayInStockholm, utcMidnightToPlainDate } from "~/lib/dates";
import { openExportSource } from "./source.server";
import { writeRedovisning, type WorkbookOptions } from "./workbook.server";
import type { ReportFilter } from "./figures.server";

export type RedovisningRequest = ReportFilter & { exportedBy: string; now?: Date };

/** A file name like `redovisning-MVK-2020-2021-2026-11-23.xlsx` (letters, digits and dashes only). */
export function redovisningFileName(reference: string, now = new Date(), extension = "xlsx"): string {
  const safe = reference.normalize("NFKD").replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "uppdrag";
  return `redovisning-${safe}-${todayInStockholm(now)}.${extension}`;
}

export async function describeExport(db: Db, r: RedovisningRequest) {
  const a = await db.assignment.findUniqueOrThrow({
    where: { id: r.assignmentId },
    include: { coordinatingBoard: { select: { name: true } }, responsibleBoard: { select: { name: true } } },
  });
  const boards = r.boardIds ? await db.organization.findMany({ where: { id: { in: r.boardIds } }, select: { name: true }, orderBy: { countyCode: "asc" } }) : null;
  const call = r.callId ? await db.call.findUnique({ where: { id: r.callId }, select: { title: true } }) : null;
  const day = (d: Date) => formatDate(utcMidnightToPlainDate(d));
  return {
    assignment: {
      reference: a.reference,
      title: a.title,
      period: `${day(a.periodStart)} – ${day(a.periodEnd)}`,
      coordinatingBoard: a.coordinatingBoard.name,
      responsibleBoard: a.responsibleBoard.name,
      fundingReference: a.fundingReference,
    },
    scopeLabel: boards ? boards.map((b) => b.name).join(", ") : "Alla länsstyrelser med tilldelning",
    filterLabels: { year: r.year ? String(r.year) : "Alla år", call: call ? call.title : "Alla utlysningar" },
    exportedBy: r.exportedBy,
    exportedAt: r.now ?? new Date(),
  };
}

/** Streams the workbook to `out` (which it ends). */
export async function exportRedovisning(db: Db, out: Writable, r: RedovisningRequest, opts: WorkbookOptions & { databaseUrl?: string } = {}) {
  const meta = await describeExport(db, r);
  const today = todayInStockholm(meta.exportedAt);
  const source = await openExportSource(opts.databaseUrl, { filter: r, today });
  try {
    return await writeRedovisning(out, source, r, meta, today, opts);
  } finally {
    await source.close();
  }
}
