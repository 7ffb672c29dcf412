// Import of earlier years' grants from a spreadsheet (issue 6), from the page
// /samordning/import and from `npm run import:grants`.
//
// - The template (IMPORT_COLUMNS, `importTemplate`) is documented in its own
//   "Instruktioner" sheet and downloadable from the app.
// - Every row is validated (organisationsnummer with check digit, municipality code,
//   amounts, dates, known assignment and call of the importer's own board). If any
//   row is wrong, nothing is imported and the same workbook comes back with a "Fel"
//   column saying what is wrong on each bad row.
// - Otherwise every row is imported in ONE transaction, or none.
// - Idempotency: a file already imported (same SHA-256, same board) creates nothing;
//   and the registration number (diarienummer) is the key of each row: a row whose
//   number was imported before is skipped, so re-importing creates nothing new.
//
// Imported cases are valid for the rest of the system: the state and snapshot come
// from the application statechart itself (SUBMIT, START_ASSESSMENT, PRESENT, DECIDE
// replayed purely, with the decision date), the call's budget is reserved and the
// grant's instalments planned and paid through the same conditional statements as
// the engine's (app/workflow/budget.server.ts), registration sequence numbers are
// taken from the board's counter (so numbering stays gapless), and every case and
// instalment gets its audit event (version = number of events). The decision was
// made in the earlier system: its decision maker is recorded as the inactive user
// "Beslut i tidigare ärendesystem", the importing officer as presenter.
import { createHash } from "node:crypto";
import ExcelJS from "exceljs";
import type { Prisma } from "~/generated/prisma/client";
import type { OrganizationKind, RejectionCategory } from "~/generated/prisma/enums";
import type { Db } from "~/db.server";
import { importBoardIds, type Principal } from "~/access/permissions.server";
import { parseKronor, formatKronor } from "~/lib/money";
import { parseDateInput, plainDateToUtcMidnight, utcMidnightToPlainDate, type PlainDate } from "~/lib/dates";
import { parseOrgNumber } from "~/lib/org-number";
import { applyEvent, persist, start, type ApplicationEvent, type DisbursementEvent, type WorkflowSnapshot } from "../../workflows";
import { appendAuditEvent } from "~/workflow/audit.server";
import { payOnGrant, planOnGrant, reserveCallBudget } from "~/workflow/budget.server";
import { WorkflowRefused } from "~/workflow/errors";
import { KIND_LABELS, REJECTION_CATEGORY_LABELS } from "./definitions";

type Tx = Prisma.TransactionClient;

export const IMPORT_SHEET = "Bidrag";

export const IMPORT_COLUMNS = [
  { key: "assignment", header: "Uppdrag", help: "Uppdragets diarienummer i systemet, till exempel MVK-2020-2021." },
  { key: "call", header: "Utlysning", help: "Utlysningens namn exakt som i systemet. Utlysningen ska höra till uppdraget och till er länsstyrelse." },
  { key: "registrationNumber", header: "Diarienummer", help: "Ärendets diarienummer i det tidigare systemet. Unikt: ett ärende som redan importerats hoppas över." },
  { key: "orgNumber", header: "Organisationsnummer", help: "Sökandens organisationsnummer, tio siffror (NNNNNN-NNNN). Kontrollsiffran kontrolleras." },
  { key: "orgName", header: "Organisation", help: "Sökandens namn (används om organisationen inte redan finns)." },
  { key: "kind", header: "Organisationstyp", help: `En av: ${Object.values(KIND_LABELS).filter((k) => k !== "Länsstyrelse").join(", ")}.` },
  { key: "municipality", header: "Kommunkod", help: "SCB:s fyrsiffriga kommunkod, till exempel 0580 för Linköping." },
  { key: "title", header: "Titel", help: "Projektets titel." },
  { key: "projectStart", header: "Projektstart", help: "Datum ÅÅÅÅ-MM-DD." },
  { key: "projectEnd", header: "Projektslut", help: "Datum ÅÅÅÅ-MM-DD, samma dag som eller efter projektstart." },
  { key: "requested", header: "Sökt belopp", help: "Kronor, till exempel 250000 eller 250 000,50." },
  { key: "outcome", header: "Beslut", help: "Bifall, Delvis bifall eller Avslag." },
  { key: "granted", header: "Beviljat belopp", help: "Kronor. Bifall: samma som sökt. Delvis bifall: mindre än sökt. Avslag: tomt eller 0." },
  { key: "decidedOn", header: "Beslutsdatum", help: "Datum ÅÅÅÅ-MM-DD." },
  { key: "paid", header: "Utbetalt", help: "Kronor som redan betalats ut, högst beviljat belopp. Tomt = 0." },
  { key: "category", header: "Skäl för avslag", help: `Bara vid avslag eller delvis bifall. En av: ${Object.values(REJECTION_CATEGORY_LABELS).join(", ")}. Tomt = Ej angiven.` },
] as const;

type ColumnKey = (typeof IMPORT_COLUMNS)[number]["key"];
type RawRow = Record<ColumnKey, string | Date | number | null>;

const OUTCOMES: Record<string, "approved" | "partly_approved" | "rejected"> = { bifall: "approved", "delvis bifall": "partly_approved", avslag: "rejected" };
const KINDS = new Map(Object.entries(KIND_LABELS).map(([k, v]) => [v.toLowerCase(), k as OrganizationKind]));
const CATEGORIES = new Map(Object.entries(REJECTION_CATEGORY_LABELS).map(([k, v]) => [v.toLowerCase(), k as RejectionCategory]));

export type ImportRow = {
  line: number;
  assignmentRef: string;
  callId: string;
  boardId: string;
  registrationNumber: string;
  orgNumber: string;
  orgName: string;
  kind: OrganizationKind;
  municipalityCode: string;
  title: string;
  projectStart: PlainDate;
  projectEnd: PlainDate;
  requested: bigint;
  outcome: "approved" | "partly_approved" | "rejected";
  granted: bigint;
  decidedOn: PlainDate;
  paid: bigint;
  category: RejectionCategory | null;
};

export type ImportResult =
  | { ok: true; alreadyImported: boolean; created: number; skipped: number; batchId: string }
  | { ok: false; errors: { line: number; messages: string[] }[]; errorWorkbook: Buffer; message: string };

// ---------------------------------------------------------------------------
// The template

export async function importTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Utvecklingsmedel";
  const data = wb.addWorksheet(IMPORT_SHEET, { views: [{ state: "frozen", ySplit: 1 }] });
  data.columns = IMPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: Math.max(14, c.header.length + 4) }));
  data.getRow(1).font = { bold: true };
  const help = wb.addWorksheet("Instruktioner");
  help.columns = [{ header: "Kolumn", width: 22 }, { header: "Så fyller du i", width: 100 }];
  help.getRow(1).font = { bold: true };
  for (const c of IMPORT_COLUMNS) help.addRow([c.header, c.help]);
  help.addRow([]);
  help.addRow(["Så går importen till", "Alla rader kontrolleras först. Är någon rad fel importeras ingenting, och du får tillbaka samma fil med en kolumn Fel som förklarar varje fel. Annars importeras alla rader på en gång."]);
  help.addRow(["Samma fil två gånger", "Skapar inget nytt: en fil som redan importerats känns igen, och ett diarienummer som redan importerats hoppas över."]);
  help.addRow(["Exempel", "MVK-2020-2021 | Utvecklingsmedel 2020 | 05-2019-0042 | 212000-0142 | Linköpings kommun | Kommun | 0580 | Stöd till våldsutsatta | 2019-06-01 | 2020-05-31 | 250000 | Delvis bifall | 200000 | 2019-05-15 | 100000 | Medlen räckte inte"]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------
// Reading and validating

function cellValue(cell: ExcelJS.Cell): string | Date | number | null {
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === "number") return v;
  if (typeof v === "object" && "richText" in v) return v.richText.map((t) => t.text).join("");
  if (typeof v === "object" && "result" in v) return (v.result as string | number | Date | undefined) ?? null;
  if (typeof v === "object" && "text" in v) return String(v.text);
  return String(v);
}

const asText = (v: string | Date | number | null) => (v === null ? "" : v instanceof Date ? utcMidnightToPlainDate(v) : String(v)).trim();

/** A number as Excel shows it at most (15 significant digits), in plain decimal notation. */
function plainDecimal(v: number): string {
  const n = Number(v.toPrecision(15));
  return Number.isInteger(n) ? n.toFixed(0) : n.toFixed(Math.min(20, Math.max(0, 14 - Math.floor(Math.log10(Math.abs(n)))))).replace(/0+$/, "");
}

function amount(v: string | Date | number | null, label: string, errors: string[], required: boolean): bigint {
  if (v === null || asText(v) === "") {
    if (required) errors.push(`${label}: ange ett belopp i kronor.`);
    return 0n;
  }
  // A number cell is written out with every decimal it has, so that parseKronor refuses a third
  // decimal instead of toFixed rounding it away (1234.567 is not 1 234,57 kr). Excel keeps 15
  // significant digits, so a computed cell's binary noise (0.1 + 0.2) is cut there first.
  const text = typeof v === "number" ? plainDecimal(v).replace(".", ",") : asText(v);
  const r = parseKronor(text);
  if (!r.ok) {
    errors.push(`${label}: ${r.message}`);
    return 0n;
  }
  return r.ore;
}

function date(v: string | Date | number | null, label: string, errors: string[]): PlainDate | null {
  if (v instanceof Date) {
    // Excel dates are read as UTC midnight of the day shown.
    return utcMidnightToPlainDate(new Date(Date.UTC(v.getUTCFullYear(), v.getUTCMonth(), v.getUTCDate())));
  }
  const r = parseDateInput(asText(v));
  if (!r.ok) {
    errors.push(`${label}: ${r.message}`);
    return null;
  }
  return r.date;
}

type Lookups = {
  assignments: Map<string, string>;
  calls: Map<string, { id: string; boardId: string; assignmentId: string }>;
  municipalities: Set<string>;
  boards: string[];
};

function validateRow(raw: RawRow, line: number, lk: Lookups, seen: Set<string>): { row: ImportRow | null; errors: string[] } {
  const errors: string[] = [];
  const text = (k: ColumnKey) => asText(raw[k]);
  const assignmentRef = text("assignment");
  const assignmentId = lk.assignments.get(assignmentRef);
  if (!assignmentRef) errors.push("Uppdrag: ange uppdragets diarienummer.");
  else if (!assignmentId) errors.push(`Uppdrag: det finns inget uppdrag med diarienumret ${assignmentRef}.`);
  const call = assignmentId ? lk.calls.get(`${assignmentId}|${text("call").toLowerCase()}`) : undefined;
  if (!text("call")) errors.push("Utlysning: ange utlysningens namn.");
  else if (assignmentId && !call) errors.push(`Utlysning: uppdraget har ingen utlysning "${text("call")}" hos er länsstyrelse.`);
  const registrationNumber = text("registrationNumber");
  if (!registrationNumber) errors.push("Diarienummer: ange ärendets diarienummer.");
  else if (seen.has(registrationNumber)) errors.push(`Diarienummer: ${registrationNumber} finns på flera rader i filen.`);
  seen.add(registrationNumber);
  const kind = KINDS.get(text("kind").toLowerCase());
  if (!kind || kind === "county_board") errors.push(`Organisationstyp: skriv en av ${Object.values(KIND_LABELS).filter((k) => k !== "Länsstyrelse").join(", ")}.`);
  const org = parseOrgNumber(text("orgNumber"), kind && kind !== "other" ? kind : undefined);
  if (!org.ok) errors.push(`Organisationsnummer: ${org.message}`);
  const municipalityCode = text("municipality").padStart(text("municipality").length === 3 ? 4 : 0, "0");
  if (!/^\d{4}$/.test(municipalityCode) || !lk.municipalities.has(municipalityCode)) errors.push(`Kommunkod: ${text("municipality") || "(tom)"} är ingen kommunkod. Ange SCB:s fyra siffror, till exempel 0580.`);
  const title = text("title");
  if (!title) errors.push("Titel: ange projektets titel.");
  if (!text("orgName")) errors.push("Organisation: ange organisationens namn.");
  const projectStart = date(raw.projectStart, "Projektstart", errors);
  const projectEnd = date(raw.projectEnd, "Projektslut", errors);
  if (projectStart && projectEnd && projectEnd < projectStart) errors.push("Projektslut: ska vara samma dag som eller efter projektstart.");
  const beforeRequested = errors.length;
  const requested = amount(raw.requested, "Sökt belopp", errors, true);
  // Only for an amount that was read: one that was not has its own message already.
  if (requested <= 0n && errors.length === beforeRequested) errors.push("Sökt belopp: ska vara större än 0 kr.");
  const outcome = OUTCOMES[text("outcome").toLowerCase()];
  if (!outcome) errors.push("Beslut: skriv Bifall, Delvis bifall eller Avslag.");
  const granted = amount(raw.granted, "Beviljat belopp", errors, outcome === "approved" || outcome === "partly_approved");
  if (outcome === "approved" && granted !== requested) errors.push(`Beviljat belopp: vid bifall ska det vara samma som sökt belopp (${formatKronor(requested)}).`);
  if (outcome === "partly_approved" && (granted <= 0n || granted >= requested)) errors.push("Beviljat belopp: vid delvis bifall ska det vara större än 0 och mindre än sökt belopp.");
  if (outcome === "rejected" && granted !== 0n) errors.push("Beviljat belopp: ska vara tomt eller 0 vid avslag.");
  const decidedOn = date(raw.decidedOn, "Beslutsdatum", errors);
  const paid = amount(raw.paid, "Utbetalt", errors, false);
  if (paid < 0n || paid > granted) errors.push(`Utbetalt: får vara högst det beviljade beloppet (${formatKronor(granted)}).`);
  let category: RejectionCategory | null = null;
  if (text("category")) {
    category = CATEGORIES.get(text("category").toLowerCase()) ?? null;
    if (!category) errors.push(`Skäl för avslag: skriv en av ${Object.values(REJECTION_CATEGORY_LABELS).join(", ")}, eller lämna tomt.`);
    else if (outcome === "approved") errors.push("Skäl för avslag: anges bara vid avslag eller delvis bifall.");
  }
  if (errors.length || !call || !kind || !org.ok || !outcome || !projectStart || !projectEnd || !decidedOn) return { row: null, errors };
  return {
    row: {
      line,
      assignmentRef,
      callId: call.id,
      boardId: call.boardId,
      registrationNumber,
      orgNumber: org.value,
      orgName: text("orgName"),
      kind,
      municipalityCode,
      title,
      projectStart,
      projectEnd,
      requested,
      outcome,
      granted,
      decidedOn,
      paid,
      category,
    },
    errors,
  };
}

async function lookups(db: Db | Tx, user: Principal): Promise<Lookups> {
  const boards = importBoardIds(user);
  const calls = await db.call.findMany({ where: { boardId: { in: boards } }, select: { id: true, title: true, boardId: true, allocation: { select: { assignmentId: true } } } });
  const assignments = await db.assignment.findMany({ where: { allocations: { some: { boardId: { in: boards } } } }, select: { id: true, reference: true } });
  const municipalities = await db.municipality.findMany({ select: { code: true } });
  return {
    boards,
    assignments: new Map(assignments.map((a) => [a.reference, a.id])),
    calls: new Map(calls.map((c) => [`${c.allocation.assignmentId}|${c.title.toLowerCase()}`, { id: c.id, boardId: c.boardId, assignmentId: c.allocation.assignmentId }])),
    municipalities: new Set(municipalities.map((m) => m.code)),
  };
}

// ---------------------------------------------------------------------------
// Import

export const HISTORIC_DECISION_MAKER_EMAIL = "tidigare-arendesystem@utvecklingsmedel.invalid";

export async function importGrants(db: Db, user: Principal, file: { name: string; bytes: Buffer }, now = new Date()): Promise<ImportResult> {
  const sha = createHash("sha256").update(file.bytes).digest("hex");
  const boards = importBoardIds(user);
  if (boards.length === 0) throw new WorkflowRefused("isOfficer", "Bara handläggare och administratörer vid en länsstyrelse kan importera.", `user ${user.id} may not import`, 422);

  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file.bytes as unknown as ArrayBuffer);
  } catch {
    return failure(wb, [], "Filen kunde inte läsas som en Excel-fil (.xlsx). Använd mallen.");
  }
  const sheet = wb.getWorksheet(IMPORT_SHEET) ?? wb.worksheets[0];
  if (!sheet) return failure(wb, [], "Filen har inget blad att importera. Använd mallen.");
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map((h) => String(h ?? "").trim());
  const index = new Map(IMPORT_COLUMNS.map((c) => [c.key, headers.indexOf(c.header)]));
  const missing = IMPORT_COLUMNS.filter((c) => index.get(c.key)! < 0).map((c) => c.header);
  if (missing.length) return failure(wb, [], `Kolumner saknas i bladet ${sheet.name}: ${missing.join(", ")}. Använd mallen.`);

  const previous = await db.importBatch.findFirst({ where: { fileSha256: sha, boardId: { in: boards } } });
  if (previous) return { ok: true, alreadyImported: true, created: 0, skipped: previous.rowCount, batchId: previous.id };

  const lk = await lookups(db, user);
  const rows: ImportRow[] = [];
  const errors: { line: number; messages: string[] }[] = [];
  const seen = new Set<string>();
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const raw = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.key, cellValue(row.getCell(index.get(c.key)! + 1))])) as RawRow;
    if (Object.values(raw).every((v) => v === null || asText(v) === "")) continue;
    const v = validateRow(raw, r, lk, seen);
    if (v.errors.length) errors.push({ line: r, messages: v.errors });
    else if (v.row) rows.push(v.row);
  }
  if (errors.length) return failure(wb, errors, `${errors.length} ${errors.length === 1 ? "rad är fel" : "rader är fel"}. Ingenting har importerats.`, sheet);
  if (rows.length === 0) return failure(wb, [], "Filen har inga rader att importera.");

  // Numbers that belong to cases already in the system: imported before (skip) or the board's own (error).
  const existing = await db.application.findMany({ where: { registrationNumber: { in: rows.map((r) => r.registrationNumber) } }, select: { registrationNumber: true, importBatchId: true, boardId: true } });
  const clash = existing.filter((e) => e.importBatchId === null || !boards.includes(e.boardId));
  if (clash.length) {
    const lines = clash.map((c) => ({ line: rows.find((r) => r.registrationNumber === c.registrationNumber)!.line, messages: [`Diarienummer: ${c.registrationNumber} används redan av ett ärende i systemet.`] }));
    return failure(wb, lines, `${lines.length} ${lines.length === 1 ? "rad är fel" : "rader är fel"}. Ingenting har importerats.`, sheet);
  }
  const already = new Set(existing.map((e) => e.registrationNumber));
  const fresh = rows.filter((r) => !already.has(r.registrationNumber));

  try {
    const batchId = await db.$transaction(
      async (tx) => {
        const batch = await tx.importBatch.create({ data: { fileName: file.name, fileSha256: sha, rowCount: rows.length, importedById: user.id, boardId: fresh[0]?.boardId ?? rows[0].boardId, createdAt: now } });
        const historic = await historicDecisionMaker(tx);
        for (const row of fresh) await importRow(tx, user, historic, batch.id, row, now);
        return batch.id;
      },
      { timeout: 120_000, maxWait: 20_000 },
    );
    return { ok: true, alreadyImported: false, created: fresh.length, skipped: rows.length - fresh.length, batchId };
  } catch (error) {
    if (error instanceof RowRefused) return failure(wb, [{ line: error.line, messages: [error.message] }], "En rad kunde inte importeras. Ingenting har importerats.", sheet);
    throw error;
  }
}

class RowRefused extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const ERROR_HEADER = "Fel";

async function failure(wb: ExcelJS.Workbook, errors: { line: number; messages: string[] }[], message: string, sheet?: ExcelJS.Worksheet): Promise<ImportResult> {
  if (sheet) {
    // A file that comes back with its Fel column (fixed and sent again) gets that column rewritten, not a second one.
    const headers = (sheet.getRow(1).values as unknown[]).map((h) => String(h ?? "").trim());
    const existing = headers.indexOf(ERROR_HEADER);
    const col = existing > 0 ? existing : sheet.columnCount + 1;
    if (existing > 0) for (let r = 2; r <= sheet.rowCount; r++) sheet.getRow(r).getCell(col).value = null;
    sheet.getRow(1).getCell(col).value = ERROR_HEADER;
    sheet.getRow(1).getCell(col).font = { bold: true, color: { argb: "FFB00020" } };
    sheet.getColumn(col).width = 80;
    for (const e of errors) {
      const cell = sheet.getRow(e.line).getCell(col);
      cell.value = e.messages.join(" ");
      cell.alignment = { wrapText: true, vertical: "top" };
    }
  }
  const errorWorkbook = sheet || wb.worksheets.length ? Buffer.from(await wb.xlsx.writeBuffer()) : Buffer.alloc(0);
  return { ok: false, errors, errorWorkbook, message };
}

async function historicDecisionMaker(tx: Tx): Promise<string> {
  const u = await tx.user.upsert({
    where: { email: HISTORIC_DECISION_MAKER_EMAIL },
    create: { email: HISTORIC_DECISION_MAKER_EMAIL, name: "Beslut i tidigare ärendesystem", passwordHash: "!", active: false },
    update: {},
  });
  return u.id;
}

const day = (d: PlainDate) => plainDateToUtcMidnight(d);
const noon = (d: PlainDate) => new Date(`${d}T10:00:00Z`);

async function importRow(tx: Tx, user: Principal, historicDm: string, batchId: string, row: ImportRow, now: Date) {
  const call = await tx.call.findUniqueOrThrow({ where: { id: row.callId } });
  const municipality = await tx.municipality.findUniqueOrThrow({ where: { code: row.municipalityCode } });
  const org =
    (await tx.organization.findUnique({ where: { orgNumber: row.orgNumber } })) ??
    (await tx.organization.create({ data: { name: row.orgName, kind: row.kind, orgNumber: row.orgNumber, municipalityCode: municipality.code, countyCode: municipality.countyCode } }));

  // The statechart's own path to the decision, replayed purely with the decision date.
  const at = noon(row.decidedOn).toISOString();
  const submittedAt = new Date(Math.min(call.closesAt.getTime() - 60_000, noon(row.decidedOn).getTime())).toISOString();
  const officer = { userId: user.id, roles: ["officer" as const] };
  const events: ApplicationEvent[] = [
    { type: "SUBMIT", requestedOre: Number(row.requested), actor: { userId: user.id, roles: ["applicant"] }, at: submittedAt } as ApplicationEvent,
    { type: "START_ASSESSMENT", actor: officer, at: submittedAt } as ApplicationEvent,
    // A partial approval is presented with the amount it then granted (the statechart asks for one).
    { type: "PRESENT", recommendation: row.outcome, ...(row.outcome === "partly_approved" ? { proposedGrantOre: Number(row.granted) } : {}), actor: officer, at } as ApplicationEvent,
    {
      type: "DECIDE",
      outcome: row.outcome,
      grantedOre: Number(row.granted),
      callBudgetLeftOre: Number(call.budgetOre - call.grantedOre),
      reasons: "Beslutet fattades i tidigare ärendesystem och har importerats.",
      actor: { userId: historicDm, roles: ["decision_maker"] },
      at,
    } as ApplicationEvent,
  ];
  let snap: WorkflowSnapshot<"application"> = start("application", {
    callClosesAt: call.closesAt.toISOString(),
    requestedOre: Number(row.requested),
    secondDecisionMakerAboveOre: null,
    interimReportRequired: false,
  }).snapshot;
  let state = "draft";
  for (const e of events) {
    const r = applyEvent("application", snap, e);
    if (!r.ok) throw new RowRefused(row.line, `${r.message}`);
    snap = r.next;
    state = r.state;
  }

  const year = Number(row.decidedOn.slice(0, 4));
  const counter = await tx.$queryRaw<{ lastSeq: number }[]>`
    insert into "RegistrationCounter" ("boardId", year, "lastSeq") values (${row.boardId}::uuid, ${year}, 1)
    on conflict ("boardId", year) do update set "lastSeq" = "RegistrationCounter"."lastSeq" + 1 returning "lastSeq"`;
  const application = await tx.application.create({
    data: {
      callId: call.id,
      boardId: row.boardId,
      applicantOrgId: org.id,
      registrationNumber: row.registrationNumber,
      registrationYear: year,
      registrationSeq: counter[0].lastSeq,
      title: row.title,
      projectStart: day(row.projectStart),
      projectEnd: day(row.projectEnd),
      countyCodes: [municipality.countyCode],
      requestedOre: row.requested,
      submittedAt: new Date(submittedAt),
      officerId: user.id,
      importBatchId: batchId,
      state,
      snapshot: persist("application", snap) as Prisma.InputJsonValue,
      version: 1,
      createdAt: now,
      updatedAt: now,
    },
  });
  await appendAuditEvent(tx, {
    actorId: user.id,
    organizationId: row.boardId,
    caseType: "application",
    caseId: application.id,
    eventType: "IMPORTED",
    fromState: null,
    toState: state,
    payload: { importBatchId: batchId, line: row.line, registrationNumber: row.registrationNumber, outcome: row.outcome, grantedOre: row.granted, paidOre: row.paid },
    occurredAt: now,
  });
  const decision = await tx.decision.create({
    data: {
      applicationId: application.id,
      outcome: row.outcome,
      rejectionCategory: row.outcome === "approved" ? null : row.category,
      requestedOre: row.requested,
      grantedOre: row.granted,
      reasons: "Beslutet fattades i tidigare ärendesystem och har importerats.",
      decidedOn: day(row.decidedOn),
      decidedAt: noon(row.decidedOn),
      decisionMakerId: historicDm,
      presenterId: user.id,
      otherParticipants: [],
      appealNotice: call.appealNotice,
    },
  });
  if (row.outcome === "rejected") return;

  await reserveCallBudget(tx, call.id, row.granted).catch((e: unknown) => {
    if (e instanceof WorkflowRefused) throw new RowRefused(row.line, `Beviljat belopp: ${e.userMessage}`);
    throw e;
  });
  const grant = await tx.grant.create({
    data: {
      applicationId: application.id,
      decisionId: decision.id,
      amountOre: row.granted,
      paymentTerms: call.paymentTerms as Prisma.InputJsonValue,
      finalReportDueOn: call.finalReportDueOn,
      state: "active",
      snapshot: {},
      createdAt: now,
    },
  });
  await tx.report.create({ data: { grantId: grant.id, kind: "final", dueOn: call.finalReportDueOn, state: "due", snapshot: {}, createdAt: now } });
  // What was paid in the earlier system is one paid instalment; the rest is planned after the final report.
  const parts = [
    { amount: row.paid, trigger: "at_start" as const, paid: true, plannedOn: row.decidedOn },
    { amount: row.granted - row.paid, trigger: "after_final_report" as const, paid: false, plannedOn: utcMidnightToPlainDate(call.finalReportDueOn) },
  ].filter((p) => p.amount > 0n);
  let number = 0;
  for (const p of parts) {
    number++;
    let ds = start("disbursement", { amountOre: Number(p.amount), trigger: p.trigger, plannedBy: user.id, plannedDate: noon(p.plannedOn).toISOString(), paymentRequestRequired: false, requestDeadline: null });
    let dstate = ds.state;
    let snapshot = ds.snapshot;
    if (p.paid) {
      const historic = { userId: historicDm, roles: ["finance" as const] };
      for (const e of [
        { type: "ATTEST", actor: historic, at, grantOre: Number(row.granted), otherDisbursementsOre: 0, reportsApproved: { interim: false, final: false }, conflictOfInterestUserIds: [] },
        { type: "MARK_PAID", actor: historic, at, paidOn: at, paymentReference: `Tidigare system ${row.registrationNumber}`, conflictOfInterestUserIds: [] },
      ] as DisbursementEvent[]) {
        const r = applyEvent("disbursement", snapshot, e);
        if (!r.ok) throw new RowRefused(row.line, r.message);
        snapshot = r.next;
        dstate = r.state;
      }
    }
    ds = { ...ds, snapshot };
    const d = await tx.disbursement.create({
      data: {
        grantId: grant.id,
        number,
        amountOre: p.amount,
        trigger: p.trigger,
        plannedOn: day(p.plannedOn),
        plannedById: user.id,
        attestedById: p.paid ? historicDm : null,
        attestedAt: p.paid ? noon(row.decidedOn) : null,
        paidOn: p.paid ? day(row.decidedOn) : null,
        paymentReference: p.paid ? `Tidigare system ${row.registrationNumber}` : null,
        state: dstate,
        snapshot: persist("disbursement", ds.snapshot) as Prisma.InputJsonValue,
        version: 1,
        createdAt: now,
      },
    });
    await planOnGrant(tx, grant.id, p.amount);
    if (p.paid) await payOnGrant(tx, grant.id, p.amount);
    await appendAuditEvent(tx, {
      actorId: user.id,
      organizationId: row.boardId,
      caseType: "disbursement",
      caseId: d.id,
      eventType: "IMPORTED",
      fromState: null,
      toState: dstate,
      payload: { importBatchId: batchId, amountOre: p.amount, trigger: p.trigger, number },
      occurredAt: now,
    });
  }
}
