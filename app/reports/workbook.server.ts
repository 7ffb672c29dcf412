// The redovisning workbook (issue 6), written with ExcelJS's streaming writer
// straight to a stream (an HTTP response or a file): rows come from server-side
// cursors in batches and leave memory as soon as they are committed, so a
// million grants cost the same memory as a thousand.
//
// Sheets: Sammanställning (per county board and per kind of recipient, totals as
// formulas), Beviljade ansökningar, Avslag och återtagna, Utbetalningar, Återkrav,
// Resultat, Om rapporten. Utbetalningar and Återkrav are two sheets: an
// instalment and a reclaim have different columns, and one mixed sheet could not
// be filtered or summed column by column.
//
// Choices (also written on "Om rapporten"):
// - Amounts are numbers in kronor, exact to the öre (öre as decimals), formatted
//   `# ##0 kr`, or `# ##0,00 kr` where an amount has öre.
// - Every text from users goes through `inertText`; no user data is ever a formula.
//   The only formulas are the totals, over our own number cells.
// - A sheet never passes Excel's 1 048 576 rows: a detail sheet that would continues
//   on "<name> (2)", "(3)"…, each part with its own header, filter and totals row.
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { formatDateTime } from "~/lib/dates";
import {
  FIGURE_DEFINITIONS,
  KIND_LABELS,
  NO_REJECTION_CATEGORY,
  REJECTION_CATEGORY_LABELS,
  countsSql,
  disbursementsSql,
  factsSql,
  figuresBy,
  reclaimsSql,
  resultsSql,
  toFact,
  type DetailCounts,
  type FigureRow,
  type ReportFilter,
} from "./figures.server";
import { DATE_FORMAT, dateCell, inertText, kronorNumber, moneyFormat, KRONOR_FORMAT, KRONOR_ORE_FORMAT } from "./cells";
import type { ExportSource } from "./source.server";
import { stateLabel } from "~/lib/state-labels";
import { GRANT_COLUMNS } from "./grant-columns";

/** Excel's (and LibreOffice's) last row. */
export const EXCEL_MAX_ROWS = 1_048_576;

export type WorkbookMeta = {
  assignment: { reference: string; title: string; period: string; coordinatingBoard: string; responsibleBoard: string; fundingReference: string };
  /** "Alla länsstyrelser" or the boards in scope. */
  scopeLabel: string;
  filterLabels: { year: string; call: string };
  exportedBy: string;
  exportedAt: Date;
};

export type WorkbookOptions = {
  /** Rows per sheet including the header and totals rows; tests lower it to see continuation sheets. */
  maxRowsPerSheet?: number;
  /** Called after each batch with the number of detail rows written so far. */
  onProgress?: (rowsDone: number, rowsTotal: number) => Promise<void> | void;
  batchSize?: number;
};

type Kind = "text" | "money" | "date" | "int" | "number";
type Column = { header: string; width: number; kind: Kind };

const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  fill: { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF4" } },
  alignment: { vertical: "top", wrapText: true },
  border: { bottom: { style: "thin" } },
};
const TOTAL_STYLE: Partial<ExcelJS.Font> = { bold: true };

const colLetter = (n: number) => {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};

type CellValue = string | number | bigint | Date | null;

// One style object per kind of cell, shared by every cell of that kind: ExcelJS remembers a
// style object it has seen (WeakMap), so each is registered once and every cell refers to its id.
const PLAIN: Partial<ExcelJS.Style> = {};
const MONEY_WHOLE: Partial<ExcelJS.Style> = { numFmt: KRONOR_FORMAT };
const MONEY_ORE: Partial<ExcelJS.Style> = { numFmt: KRONOR_ORE_FORMAT };
const DATE: Partial<ExcelJS.Style> = { numFmt: DATE_FORMAT };

// ExcelJS's streaming writer builds a Row and a Cell object per cell and renders them through
// its xform layer: about 3 µs a cell, most of a big export's time. Detail rows are therefore
// written as SpreadsheetML text straight into the sheet's part stream, in exactly the form
// ExcelJS itself writes (`t="str"` text, numbers and date serials in `<v>`, the same style ids),
// while ExcelJS still writes everything else (header, totals, views, filter, print setup,
// styles, workbook). These are ExcelJS 4.4 internals (pinned in package.json); the workbook
// tests read every sheet back with ExcelJS and LibreOffice.
type SheetInternals = { stream: { write(chunk: string): unknown }; _rowZero: number; _rows: unknown[] };
type StylesInternals = { addStyleModel(style: Partial<ExcelJS.Style>, cellType: number): number };
const VALUE_TYPE_NUMBER = 2;
const VALUE_TYPE_STRING = 3;
const VALUE_TYPE_DATE = 4;

type StyleIds = { plain: string; whole: string; ore: string; date: string };
const styleAttr = (id: number) => (id ? ` s="${id}"` : "");
function styleIds(wb: ExcelJS.stream.xlsx.WorkbookWriter): StyleIds {
  const styles = (wb as unknown as { styles: StylesInternals }).styles;
  return {
    plain: styleAttr(styles.addStyleModel(PLAIN, VALUE_TYPE_STRING)),
    whole: styleAttr(styles.addStyleModel(MONEY_WHOLE, VALUE_TYPE_NUMBER)),
    ore: styleAttr(styles.addStyleModel(MONEY_ORE, VALUE_TYPE_NUMBER)),
    date: styleAttr(styles.addStyleModel(DATE, VALUE_TYPE_DATE)),
  };
}

/** XML text as ExcelJS escapes it: the five entities, and the characters XML 1.0 cannot hold dropped. */
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;
// eslint-disable-next-line no-control-regex
const XML_SPECIAL_ALL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/g;
const XML_ENTITY: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" };
export function xmlText(s: string): string {
  return XML_SPECIAL.test(s) ? s.replace(XML_SPECIAL_ALL, (c) => XML_ENTITY[c] ?? "") : s;
}

/** Days since 1899-12-30, as ExcelJS writes a date (the cells hold UTC midnight). */
const excelSerial = (d: Date) => 25569 + d.getTime() / 86_400_000;

/** Rows are handed to the zip in chunks of this many. */
const ROWS_PER_WRITE = 200;

/** One logical sheet, split into continuation sheets at the row limit. */
class SheetSeries {
  private part = 0;
  private sheet: ExcelJS.Worksheet | null = null;
  private rowsInSheet = 0;
  private sums: bigint[] = [];
  private readonly letters: string[];
  private pending = "";
  private pendingRows = 0;

  constructor(
    private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter,
    private readonly name: string,
    private readonly columns: Column[],
    private readonly maxRows: number,
    private readonly withTotals: boolean,
    private readonly ids: StyleIds,
  ) {
    this.letters = columns.map((_, i) => colLetter(i + 1));
  }

  private open() {
    this.part++;
    const title = this.part === 1 ? this.name : `${this.name} (${this.part})`;
    this.sheet = this.wb.addWorksheet(title, {
      views: [{ state: "frozen", ySplit: 1 }],
      pageSetup: { orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" },
    });
    this.sheet.columns = this.columns.map((c) => ({ width: c.width }));
    const header = this.sheet.addRow(this.columns.map((c) => c.header));
    header.eachCell((cell) => (cell.style = HEADER_STYLE));
    header.commit();
    this.rowsInSheet = 1;
    this.sums = this.columns.map(() => 0n);
  }

  add(values: CellValue[]) {
    const reserve = this.withTotals ? 1 : 0;
    if (!this.sheet || this.rowsInSheet + reserve >= this.maxRows) {
      if (this.sheet) this.close();
      this.open();
    }
    const r = this.rowsInSheet + 1;
    const ids = this.ids;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      const ref = this.letters[i] + r;
      switch (this.columns[i].kind) {
        case "money": {
          const ore = v as bigint;
          this.sums[i] += ore;
          xml += `<c r="${ref}"${ore % 100n === 0n ? ids.whole : ids.ore}><v>${kronorNumber(ore)}</v></c>`;
          break;
        }
        case "date":
          xml += `<c r="${ref}"${ids.date}><v>${excelSerial(v as Date)}</v></c>`;
          break;
        case "int":
        case "number":
          xml += `<c r="${ref}"${ids.plain}><v>${Number(v)}</v></c>`;
          break;
        default:
          xml += `<c r="${ref}"${ids.plain} t="str"><v>${xmlText(inertText(String(v)))}</v></c>`;
      }
    }
    this.pending += `${xml}</row>`;
    this.rowsInSheet++;
    if (++this.pendingRows >= ROWS_PER_WRITE) this.flush();
  }

  /** Hands the buffered rows to the sheet's part and tells ExcelJS which row comes next. */
  private flush() {
    const sheet = this.sheet as unknown as SheetInternals | null;
    if (!sheet) return;
    if (this.pending) sheet.stream.write(this.pending);
    this.pending = "";
    this.pendingRows = 0;
    sheet._rowZero = this.rowsInSheet + 1;
  }

  /** Totals row (SUBTOTAL, so a filtered view sums what it shows), filter, commit. */
  close() {
    const sheet = this.sheet;
    if (!sheet) return;
    this.flush();
    const last = this.rowsInSheet;
    if (this.withTotals && last > 1) {
      const row = sheet.addRow([]);
      row.getCell(1).value = "Summa";
      row.getCell(1).font = TOTAL_STYLE;
      this.columns.forEach((c, i) => {
        if (c.kind !== "money") return;
        const L = colLetter(i + 1);
        const cell = row.getCell(i + 1);
        cell.value = { formula: `SUBTOTAL(9,${L}2:${L}${last})`, result: kronorNumber(this.sums[i]) };
        cell.numFmt = moneyFormat(this.sums[i]);
        cell.font = TOTAL_STYLE;
      });
      row.commit();
    }
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, last), column: this.columns.length } };
    sheet.commit();
    this.sheet = null;
  }

  /** An empty sheet still gets its header, so every workbook has the same sheets. */
  finish() {
    if (!this.sheet && this.part === 0) this.open();
    this.close();
  }
}

const money = (header: string, width = 16): Column => ({ header, width, kind: "money" });
const text = (header: string, width = 18): Column => ({ header, width, kind: "text" });
const date = (header: string): Column => ({ header, width: 12, kind: "date" });
const int = (header: string, width = 12): Column => ({ header, width, kind: "int" });

const TRIGGER_LABELS: Record<string, string> = { at_start: "Vid start", after_interim_report: "Efter delredovisning", after_final_report: "Efter slutredovisning" };
const GROUND_LABELS: Record<string, string> = {
  wrong_information: "Felaktiga uppgifter",
  paid_wrongly_or_too_much: "Felaktigt eller för mycket utbetalt",
  not_used_for_purpose: "Inte använt för ändamålet",
  conditions_not_followed: "Villkoren inte följda",
  no_report: "Ingen redovisning",
};
const RECLAIM_STATE_LABELS: Record<string, string> = { proposed: "Föreslaget", decided: "Beslutat", repaid: "Återbetalt", waived: "Eftergivet", rejected: "Avslaget" };
const REPORT_KIND_LABELS: Record<string, string> = { interim: "Delredovisning", final: "Slutredovisning" };

// ---------------------------------------------------------------------------
// Sammanställning

const SUMMARY_FIGURES = [
  "allocated",
  "requested",
  "decided",
  "paid",
  "used",
  "unused",
  "reclaimed",
  "repaid",
  "left",
  "received",
  "approved",
  "partlyApproved",
  "rejected",
  "withdrawn",
  "pending",
  "grants",
  "finalSubmitted",
  "finalApproved",
  "overdue",
] as const;
const MONEY_FIGURES = new Set<string>(["allocated", "requested", "decided", "paid", "used", "unused", "reclaimed", "repaid", "left"]);

export const SUMMARY_HEADERS = ["Län", "Länsstyrelse", ...SUMMARY_FIGURES.map((k) => FIGURE_DEFINITIONS[k].label)];

function writeSummary(wb: ExcelJS.stream.xlsx.WorkbookWriter, byBoard: { rows: FigureRow[]; total: FigureRow }, byKind: { rows: FigureRow[]; total: FigureRow }) {
  const sheet = wb.addWorksheet("Sammanställning", {
    views: [{ state: "frozen", ySplit: 1, xSplit: 2 }],
    pageSetup: { orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" },
  });
  sheet.columns = [{ width: 6 }, { width: 34 }, ...SUMMARY_FIGURES.map((k) => ({ width: MONEY_FIGURES.has(k) ? 16 : 12 }))];
  const header = (labels: string[]) => {
    const row = sheet.addRow(labels);
    row.eachCell((c) => (c.style = HEADER_STYLE));
    row.commit();
  };
  const figureRow = (first: string, second: string, r: FigureRow) => {
    const row = sheet.addRow([inertText(first), inertText(second)]);
    SUMMARY_FIGURES.forEach((k, i) => {
      const v = r[k];
      const cell = row.getCell(i + 3);
      if (v === null) return;
      if (typeof v === "bigint") {
        cell.value = kronorNumber(v);
        cell.numFmt = moneyFormat(v);
      } else cell.value = v;
    });
    row.commit();
  };
  const totalRow = (label: string, from: number, to: number, total: FigureRow) => {
    const row = sheet.addRow([label, ""]);
    row.getCell(1).font = TOTAL_STYLE;
    SUMMARY_FIGURES.forEach((k, i) => {
      const v = total[k];
      if (v === null) return;
      const L = colLetter(i + 3);
      const cell = row.getCell(i + 3);
      const result = typeof v === "bigint" ? kronorNumber(v) : v;
      cell.value = { formula: to >= from ? `SUM(${L}${from}:${L}${to})` : "0", result };
      if (typeof v === "bigint") cell.numFmt = moneyFormat(v);
      cell.font = TOTAL_STYLE;
    });
    row.commit();
  };

  header(SUMMARY_HEADERS);
  for (const r of byBoard.rows) figureRow(r.code ?? "", r.label, r);
  const lastBoardRow = 1 + byBoard.rows.length;
  totalRow("Summa", 2, lastBoardRow, byBoard.total);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: lastBoardRow, column: SUMMARY_HEADERS.length } };

  sheet.addRow([]).commit();
  const kindHeaderRow = lastBoardRow + 3;
  header(["", "Per mottagartyp", ...SUMMARY_FIGURES.map((k) => FIGURE_DEFINITIONS[k].label)]);
  for (const r of byKind.rows) figureRow("", r.label, r);
  totalRow("Summa", kindHeaderRow + 1, kindHeaderRow + byKind.rows.length, byKind.total);
  sheet.commit();
}

// ---------------------------------------------------------------------------

/** Writes the whole workbook to `out` and ends it. Reads everything through `source` (one snapshot). */
export async function writeRedovisning(out: Writable, source: ExportSource, filter: ReportFilter, meta: WorkbookMeta, today: string, opts: WorkbookOptions = {}): Promise<{ rows: number }> {
  const maxRows = Math.min(opts.maxRowsPerSheet ?? EXCEL_MAX_ROWS, EXCEL_MAX_ROWS);
  const batchSize = opts.batchSize ?? 5000;
  // Fast compression: a large workbook is mostly repetitive XML, and level 1 costs a third of the default's time.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } } as ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookWriter>[0]);
  wb.creator = "Utvecklingsmedel";
  wb.created = meta.exportedAt;
  const ids = styleIds(wb);

  const [byBoard, byKind] = [await figuresBy(source, "board", filter, today), await figuresBy(source, "kind", filter, today)];
  const [counts] = await source.rows<DetailCounts>(countsSql(filter, today, source.factsMode));
  const rowsTotal = counts.granted + counts.notGranted + counts.disbursements + counts.reclaims + counts.results;
  let rowsDone = 0;
  const progress = async (n: number) => {
    rowsDone += n;
    await opts.onProgress?.(rowsDone, rowsTotal);
  };

  writeSummary(wb, byBoard, byKind);

  const granted = new SheetSeries(
    wb,
    "Beviljade ansökningar",
    GRANT_COLUMNS.map((c) => ({ header: c.header, width: c.width, kind: c.kind })),
    maxRows,
    true,
    ids,
  );
  await source.each(
    factsSql("granted", filter, today, source.factsMode),
    async (batch: Parameters<typeof toFact>[0][]) => {
      for (const raw of batch) {
        const f = toFact(raw);
        granted.add(GRANT_COLUMNS.map((c) => (c.kind === "date" ? dateCell(c.value(f)) : c.value(f))));
      }
      await progress(batch.length);
    },
    batchSize,
  );
  granted.finish();

  const notGranted = new SheetSeries(
    wb,
    "Avslag och återtagna",
    [
      text("Län", 6),
      text("Länsstyrelse", 28),
      text("Diarienummer", 14),
      text("Sökande", 32),
      text("Organisationsnummer", 14),
      text("Kommun", 16),
      text("Mottagartyp", 16),
      text("Titel", 40),
      date("Inlämnad"),
      money("Sökt"),
      text("Utfall", 12),
      text("Skäl", 36),
      date("Beslutsdatum"),
    ],
    maxRows,
    true,
    ids,
  );
  await source.each(
    factsSql("notGranted", filter, today, source.factsMode),
    async (batch: Parameters<typeof toFact>[0][]) => {
      for (const raw of batch) {
        const f = toFact(raw);
        const withdrawn = f.state === "withdrawn";
        notGranted.add([
          f.countyCode,
          f.board,
          f.registrationNumber,
          f.recipient,
          f.orgNumber,
          f.municipality,
          KIND_LABELS[f.kind] ?? f.kind,
          f.title,
          dateCell(f.submittedAt, "instant"),
          f.requested,
          withdrawn ? "Återtagen" : "Avslag",
          withdrawn ? "Återtagen av sökanden" : f.category ? (REJECTION_CATEGORY_LABELS[f.category] ?? f.category) : NO_REJECTION_CATEGORY,
          withdrawn ? null : dateCell(f.decidedOn),
        ]);
      }
      await progress(batch.length);
    },
    batchSize,
  );
  notGranted.finish();

  const disbursements = new SheetSeries(
    wb,
    "Utbetalningar",
    [text("Län", 6), text("Diarienummer", 14), text("Mottagare", 32), int("Nr", 6), text("Villkor", 20), date("Planerad"), money("Belopp"), text("Status", 14), date("Utbetald"), text("Betalningsreferens", 20)],
    maxRows,
    true,
    ids,
  );
  type DisbursementRow = { countyCode: string; registrationNumber: string; recipient: string; number: number; trigger: string; plannedOn: Date; amount: string; state: string; paidOn: Date | null; paymentReference: string | null };
  await source.each(
    disbursementsSql(filter, today, source.factsMode),
    async (batch: DisbursementRow[]) => {
      for (const d of batch) {
        disbursements.add([d.countyCode, d.registrationNumber, d.recipient, d.number, TRIGGER_LABELS[d.trigger] ?? d.trigger, dateCell(d.plannedOn), BigInt(d.amount), stateLabel("disbursement", d.state), dateCell(d.paidOn), d.paymentReference]);
      }
      await progress(batch.length);
    },
    batchSize,
  );
  disbursements.finish();

  const reclaims = new SheetSeries(
    wb,
    "Återkrav",
    [text("Län", 6), text("Diarienummer", 14), text("Mottagare", 32), text("Grund", 28), money("Belopp"), money("Eftergivet"), money("Återbetalt"), date("Förfallodag"), date("Återbetald"), text("Status", 14)],
    maxRows,
    true,
    ids,
  );
  type ReclaimRow = { countyCode: string; registrationNumber: string; recipient: string; ground: string; amount: string; waived: string; repaid: string; dueOn: Date | null; repaidOn: Date | null; state: string };
  await source.each(
    reclaimsSql(filter, today, source.factsMode),
    async (batch: ReclaimRow[]) => {
      for (const r of batch) {
        reclaims.add([r.countyCode, r.registrationNumber, r.recipient, GROUND_LABELS[r.ground] ?? r.ground, BigInt(r.amount), BigInt(r.waived), BigInt(r.repaid), dateCell(r.dueOn), dateCell(r.repaidOn), RECLAIM_STATE_LABELS[r.state] ?? r.state]);
      }
      await progress(batch.length);
    },
    batchSize,
  );
  reclaims.finish();

  const results = new SheetSeries(
    wb,
    "Resultat",
    [text("Län", 6), text("Diarienummer", 14), text("Mottagare", 32), text("Redovisning", 16), text("Indikator", 36), text("Enhet", 12), { header: "Värde", width: 12, kind: "number" }, text("Kommentar", 40)],
    maxRows,
    false,
    ids,
  );
  type ResultRow = { countyCode: string; registrationNumber: string; recipient: string; reportKind: string; indicator: string; unit: string; value: string; comment: string };
  await source.each(
    resultsSql(filter, today, source.factsMode),
    async (batch: ResultRow[]) => {
      for (const r of batch) results.add([r.countyCode, r.registrationNumber, r.recipient, REPORT_KIND_LABELS[r.reportKind] ?? r.reportKind, r.indicator, r.unit, Number(r.value), r.comment]);
      await progress(batch.length);
    },
    batchSize,
  );
  results.finish();

  writeAbout(wb, meta, maxRows);
  await wb.commit();
  return { rows: rowsDone };
}

function writeAbout(wb: ExcelJS.stream.xlsx.WorkbookWriter, meta: WorkbookMeta, maxRows: number) {
  const sheet = wb.addWorksheet("Om rapporten", { pageSetup: { orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = [{ width: 32 }, { width: 110 }];
  const add = (a: string, b: string, bold = false) => {
    const row = sheet.addRow([inertText(a), inertText(b)]);
    if (bold) row.font = TOTAL_STYLE;
    row.getCell(2).alignment = { wrapText: true, vertical: "top" };
    row.commit();
  };
  add("Redovisning av regeringsuppdrag", meta.assignment.title, true);
  add("Uppdragets diarienummer", meta.assignment.reference);
  add("Finansiering", meta.assignment.fundingReference);
  add("Period", meta.assignment.period);
  add("Ansvarig länsstyrelse", meta.assignment.responsibleBoard);
  add("Samordnande länsstyrelse", meta.assignment.coordinatingBoard);
  add("Länsstyrelser i urvalet", meta.scopeLabel);
  add("Filter: år", meta.filterLabels.year);
  add("Filter: utlysning", meta.filterLabels.call);
  add("Exporterad av", meta.exportedBy);
  add("Exporterad", formatDateTime(meta.exportedAt));
  add("", "");
  add("Begrepp", "Definition", true);
  for (const d of Object.values(FIGURE_DEFINITIONS)) add(d.label, d.definition);
  add("Län", "Länskod (SCB) för länsstyrelsen som handlägger ärendet.");
  add("Skäl", `Skälskategori för avslag enligt beslutet; "${NO_REJECTION_CATEGORY}" när beslutet saknar kategori. Återtagna ansökningar är en egen kategori.`);
  add("", "");
  add("Belopp", `Belopp är tal i kronor, exakta på öret (ören som decimaler), formaterade som ${KRONOR_FORMAT.split(";")[0].replace('"kr"', "kr")}. Summarader är formler över bladets egna belopp.`);
  add("Radgräns", `Ett blad har högst ${maxRows.toLocaleString("sv-SE")} rader. Blir det fler fortsätter listan på ett nytt blad med samma namn och (2), (3) och så vidare, med egen rubrik och summarad.`);
  add("Text", "Text som börjar med =, +, -, @, tabb eller radbrytning har fått en apostrof först, så att inget kalkylprogram tolkar den som en formel.");
  add("Ögonblicksbild", "Alla blad läses ur samma ögonblicksbild av databasen, så summorna stämmer mellan bladen även om ärenden ändras under exporten.");
  sheet.commit();
}
