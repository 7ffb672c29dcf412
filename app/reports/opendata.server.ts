// The grant rows as CSV (the way Swedish Excel opens it, and standard comma CSV)
// and as open data in the 360Giving Data Standard's JSON (grant decisions are
// public records). Same rows and columns as the workbook's "Beviljade
// ansökningar" (GRANT_COLUMNS), streamed from the same cursor.
import type { Writable } from "node:stream";
import { once } from "node:events";
import type { Db } from "~/db.server";
import { todayInStockholm } from "~/lib/dates";
import { factsSql, toFact, type ApplicationFact, type ReportFilter } from "./figures.server";
import { GRANT_COLUMNS } from "./grant-columns";
import { inertText, isoDate, kronorNumber, kronorText } from "./cells";
import { openExportSource } from "./source.server";

export type CsvFlavour = "excel-sv" | "standard";

const FLAVOURS: Record<CsvFlavour, { separator: string; decimal: "," | "."; bom: boolean }> = {
  // Swedish Excel: UTF-8 with BOM (or it guesses Windows-1252), semicolon (the comma is the decimal sign).
  "excel-sv": { separator: ";", decimal: ",", bom: true },
  standard: { separator: ",", decimal: ".", bom: false },
};

/** Prefix for our 360Giving grant identifiers (360G-<publisher>-<own id>). */
export const GRANT_ID_PREFIX = "360G-lansstyrelsen-";
/** org-id.guide scheme for Swedish organisationsnummer (Bolagsverket). */
export const ORG_ID_SCHEME = "SE-BLV-";

async function write(out: Writable, chunk: string) {
  if (!out.write(chunk)) await once(out, "drain");
}

function csvField(value: string, separator: string): string {
  return /["\r\n]/.test(value) || value.includes(separator) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(cells: string[], separator: string): string {
  return cells.map((c) => csvField(c, separator)).join(separator) + "\r\n";
}

function csvCells(f: ApplicationFact, decimal: "," | "."): string[] {
  return GRANT_COLUMNS.map((c) => {
    if (c.kind === "money") return kronorText(c.value(f), decimal);
    if (c.kind === "date") return isoDate(c.value(f));
    return inertText(c.value(f));
  });
}

async function withFacts(filter: ReportFilter, onFact: (f: ApplicationFact) => Promise<void>, databaseUrl?: string) {
  const today = todayInStockholm();
  const source = await openExportSource(databaseUrl, { filter, today });
  try {
    await source.each(factsSql("granted"), async (batch: Parameters<typeof toFact>[0][]) => {
      for (const raw of batch) await onFact(toFact(raw));
    });
  } finally {
    await source.close();
  }
}

/** The grant rows as CSV, streamed to `out` (which it ends). */
export async function writeGrantsCsv(out: Writable, filter: ReportFilter, flavour: CsvFlavour, opts: { databaseUrl?: string } = {}) {
  const f = FLAVOURS[flavour];
  await write(out, (f.bom ? "\uFEFF" : "") + csvLine(GRANT_COLUMNS.map((c) => c.header), f.separator));
  await withFacts(filter, (fact) => write(out, csvLine(csvCells(fact, f.decimal), f.separator)), opts.databaseUrl);
  out.end();
}

export const orgId = (orgNumber: string) => `${ORG_ID_SCHEME}${orgNumber.replace(/\D/g, "")}`;

/** One grant in the 360Giving standard's core fields (plus the amounts applied for and disbursed). */
export function giving360(f: ApplicationFact) {
  return {
    id: `${GRANT_ID_PREFIX}${f.registrationNumber ?? f.id}`,
    title: f.title,
    description: f.description || f.title,
    currency: "SEK",
    amountAppliedFor: kronorNumber(f.requested),
    amountAwarded: kronorNumber(f.decided),
    amountDisbursed: kronorNumber(f.paid),
    awardDate: isoDate(f.decidedOn),
    ...(f.projectStart && f.projectEnd ? { plannedDates: [{ startDate: isoDate(f.projectStart), endDate: isoDate(f.projectEnd) }] } : {}),
    recipientOrganization: [{ id: orgId(f.orgNumber), name: f.recipient, ...(f.municipality ? { addressLocality: f.municipality } : {}) }],
    fundingOrganization: [{ id: orgId(f.boardOrgNumber), name: f.board }],
    grantProgramme: [{ title: f.callTitle }],
  };
}

/** A 360Giving package: `{"grants": [...]}`, streamed to `out` (which it ends). */
export async function writeGiving360(out: Writable, filter: ReportFilter, opts: { databaseUrl?: string } = {}) {
  await write(out, '{"grants":[');
  let first = true;
  await withFacts(
    filter,
    async (fact) => {
      await write(out, (first ? "\n" : ",\n") + JSON.stringify(giving360(fact)));
      first = false;
    },
    opts.databaseUrl,
  );
  await write(out, "\n]}\n");
  out.end();
}

/** Shared by the routes: the assignment's reference for file names. */
export async function assignmentReference(db: Db, assignmentId: string) {
  return (await db.assignment.findUniqueOrThrow({ where: { id: assignmentId }, select: { reference: true } })).reference;
}
