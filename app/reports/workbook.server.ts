// The redovisning workbook (issue 6), written with ExcelJS's streaming writer
// straight to a stream (an HTTP response or a file): rows come from COPY, one at
// a time, and leave memory as soon as they are encoded and handed to the zip (which
// pauses the COPY when it is full), so a million grants cost the same memory as a thousand.
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
import { once } from "node:events";
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { formatDateTime } from "~/lib/dates";
import {
  FIGURE_DEFINITIONS,
  KIND_LABELS,
  NO_REJECTION_CATEGORY,
  REJECTION_CATEGORY_LABELS,
  factSelectionWhere,
  figuresBy,
  groupedSql,
  type FigureRow,
  type ReportFilter,
  type SqlText,
} from "./figures.server";
import { DATE_FORMAT, inertText, kronorNumber, moneyFormat, KRONOR_FORMAT, KRONOR_ORE_FORMAT } from "./cells";
import type { CopyConsumer, ExportSource } from "./source.server";
import { OreSum, RowEncoder } from "./sheet-rows.server";
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
  /** Called every `batchSize` detail rows (default 1000) with the rows written so far, once the rows are counted; the rows wait while it runs. */
  onProgress?: (rowsDone: number, rowsTotal: number) => Promise<void> | void;
  batchSize?: number;
};

type Kind = "text" | "money" | "date" | "int" | "number";
/**
 * A detail column: `sql` is read as PostgreSQL's text (money: öre; date: a date, sent as Excel's
 * day number; int and number: numerals) and `label` words a text column's raw value.
 */
type Column = { header: string; width: number; kind: Kind; sql: string; label?: (raw: string) => string };

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
// The part stream (a StreamBuf) copies what it is given into 64 KB buffers and passes them on to
// the zip's input (its one pipe); detail rows go to that input directly, after whatever the part
// stream still holds (`_flush`), which saves a copy of every byte and lets the zip's input say
// when it is full.
type SheetInternals = { stream: { write(chunk: Buffer): unknown; _flush(): void; pipes: Writable[] }; _rowZero: number; _rows: unknown[] };
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

/** A date column's SQL as Excel's day number (days since 1899-12-30), which is how ExcelJS writes a date. */
const excelDaySql = (date: string) => `(${date}) - date '1899-12-30'`;
/** The calendar date in Stockholm of a timestamptz, in SQL. */
const stockholmDateSql = (instant: string) => `(${instant} at time zone 'Europe/Stockholm')::date`;

/** Detail rows are handed to the zip in chunks of about this many bytes. */
const FLUSH_BYTES = 1 << 16;

/** One logical sheet, split into continuation sheets at the row limit. */
class SheetSeries {
  private part = 0;
  private sheet: ExcelJS.Worksheet | null = null;
  private rowsInSheet = 0;
  private sums: OreSum[] = [];
  private readonly encoder: RowEncoder;
  /** The zip's input when the last write found it full, and the wait for it to drain. */
  private full: Writable | null = null;
  private draining: Promise<void> | null = null;

  constructor(
    private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter,
    private readonly name: string,
    private readonly columns: Column[],
    private readonly maxRows: number,
    private readonly withTotals: boolean,
    ids: StyleIds,
  ) {
    this.encoder = new RowEncoder(columns, columns.map((_, i) => colLetter(i + 1)), ids);
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
    this.sums = this.columns.map(() => new OreSum());
  }

  /** One detail row: a row of the sheet's COPY (PostgreSQL's text format, its columns in column order). */
  add(bytes: Buffer) {
    const reserve = this.withTotals ? 1 : 0;
    if (!this.sheet || this.rowsInSheet + reserve >= this.maxRows) {
      if (this.sheet) this.close();
      this.open();
    }
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 10 ? bytes.length - 1 : bytes.length;
    this.encoder.encode(bytes, 0, end, this.rowsInSheet + 1, this.sums);
    this.rowsInSheet++;
    if (this.encoder.size >= FLUSH_BYTES) this.flush();
  }

  /**
   * A promise while the zip is behind (its input holds more than its high-water mark), else
   * null: rows that came faster than zlib packs them would otherwise pile up in memory (1.1 GB
   * at a million grants), so the COPY waits.
   */
  blocked(): Promise<void> | null {
    const full = this.full;
    if (!full) return null;
    // The zip's input is a readable-stream 2 PassThrough: no writableNeedDrain, but write() and "drain"
    // as in Node. A part that has ended since (the row limit) drains into "finish", never "drain":
    // its bytes are bounded, and the next part's own input says when it is full.
    if ((full as unknown as { _writableState: { ending: boolean } })._writableState.ending) {
      this.full = null;
      return null;
    }
    this.draining ??= once(full, "drain").then(() => {
      this.full = null;
      this.draining = null;
    });
    return this.draining;
  }

  /** Hands the encoded rows to the sheet's part and tells ExcelJS which row comes next. */
  private flush() {
    const sheet = this.sheet as unknown as SheetInternals | null;
    if (!sheet) return;
    if (this.encoder.size > 0) {
      const bytes = this.encoder.take();
      const [zipInput, ...others] = sheet.stream.pipes;
      if (zipInput && others.length === 0) {
        sheet.stream._flush();
        // false: the zip's input is over its high-water mark; `blocked` waits for it.
        if (!zipInput.write(bytes)) this.full = zipInput;
      } else sheet.stream.write(bytes);
    }
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
        const sum = this.sums[i].value;
        cell.value = { formula: `SUBTOTAL(9,${L}2:${L}${last})`, result: kronorNumber(sum) };
        cell.numFmt = moneyFormat(sum);
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

const money = (header: string, sql: string, width = 16): Column => ({ header, width, kind: "money", sql });
const text = (header: string, sql: string, width = 18, label?: (raw: string) => string): Column => ({ header, width, kind: "text", sql, label });
const date = (header: string, sql: string): Column => ({ header, width: 12, kind: "date", sql });
const int = (header: string, sql: string, width = 12): Column => ({ header, width, kind: "int", sql });
const labelFrom = (labels: Record<string, string>) => (raw: string) => (Object.hasOwn(labels, raw) ? labels[raw] : raw);

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
// Detail sheets: each sheet's columns and the select of its rows over the export's `facts`
// table (source.server.ts), side by side. Rows arrive as PostgreSQL's COPY text and become cells
// in SheetSeries.add (RowEncoder, sheet-rows.server.ts): the one place that writes a detail row.
// Cells that depend on each other are worded in the SQL; a column's `label` words its own value.

type DetailSheet = {
  name: string;
  columns: Column[];
  /** From and where of the rows' select: `facts f`, board `b`, recipient `o`, and what the columns read. */
  from: string;
  orderBy: string;
  withTotals: boolean;
};

/** A text constant in SQL (our own words, never user data). */
const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

const BOARD_AND_RECIPIENT = `join "Organization" b on b.id = f."boardId" join "Organization" o on o.id = f."applicantOrgId"`;
const MUNICIPALITY = `left join "Municipality" m on m.code = o."municipalityCode"`;

export const DETAIL_SHEETS: DetailSheet[] = [
  {
    name: "Beviljade ansökningar",
    columns: GRANT_COLUMNS.map((c) => ({ header: c.header, width: c.width, kind: c.kind, sql: c.sql, label: c.label })),
    from: `facts f ${BOARD_AND_RECIPIENT} ${MUNICIPALITY} where ${factSelectionWhere("granted")}`,
    orderBy: "f.seq",
    withTotals: true,
  },
  {
    name: "Avslag och återtagna",
    columns: [
      text("Län", `b."countyCode"`, 6),
      text("Länsstyrelse", "b.name", 28),
      text("Diarienummer", `f."registrationNumber"`, 14),
      text("Sökande", "o.name", 32),
      text("Organisationsnummer", `o."orgNumber"`, 14),
      text("Kommun", "m.name", 16),
      text("Mottagartyp", "o.kind", 16, labelFrom(KIND_LABELS)),
      text("Titel", "f.title", 40),
      date("Inlämnad", stockholmDateSql(`f."submittedAt"`)),
      money("Sökt", `f."requestedOre"`),
      // A withdrawn application has no decision: its own outcome and reason, no decision date.
      text("Utfall", `case when f.state = 'withdrawn' then ${sqlText("Återtagen")} else ${sqlText("Avslag")} end`, 12),
      text(
        "Skäl",
        `case when f.state = 'withdrawn' then ${sqlText("Återtagen av sökanden")} when f.category is null then ${sqlText(NO_REJECTION_CATEGORY)} else f.category end`,
        36,
        labelFrom(REJECTION_CATEGORY_LABELS),
      ),
      date("Beslutsdatum", `case when f.state <> 'withdrawn' then f.decided_on end`),
    ],
    from: `facts f ${BOARD_AND_RECIPIENT} ${MUNICIPALITY} where ${factSelectionWhere("notGranted")}`,
    orderBy: "f.seq",
    withTotals: true,
  },
  {
    name: "Utbetalningar",
    columns: [
      text("Län", `b."countyCode"`, 6),
      text("Diarienummer", `f."registrationNumber"`, 14),
      text("Mottagare", "o.name", 32),
      int("Nr", "d.number", 6),
      text("Villkor", "d.trigger", 20, labelFrom(TRIGGER_LABELS)),
      date("Planerad", `d."plannedOn"`),
      money("Belopp", `d."amountOre"`),
      text("Status", "d.state", 14, (state) => stateLabel("disbursement", state)),
      date("Utbetald", `d."paidOn"`),
      text("Betalningsreferens", `d."paymentReference"`, 20),
    ],
    from: `facts f join "Disbursement" d on d."grantId" = f.grant_id ${BOARD_AND_RECIPIENT}`,
    orderBy: "f.seq, d.number",
    withTotals: true,
  },
  {
    name: "Återkrav",
    columns: [
      text("Län", `b."countyCode"`, 6),
      text("Diarienummer", `f."registrationNumber"`, 14),
      text("Mottagare", "o.name", 32),
      text("Grund", "r.ground", 28, labelFrom(GROUND_LABELS)),
      money("Belopp", `r."amountOre"`),
      money("Eftergivet", `r."waivedOre"`),
      money("Återbetalt", `r."repaidOre"`),
      date("Förfallodag", `r."dueOn"`),
      date("Återbetald", `r."repaidOn"`),
      text("Status", "r.state", 14, labelFrom(RECLAIM_STATE_LABELS)),
    ],
    from: `facts f join "Reclaim" r on r."grantId" = f.grant_id ${BOARD_AND_RECIPIENT}`,
    orderBy: `f.seq, r."createdAt"`,
    withTotals: true,
  },
  {
    name: "Resultat",
    columns: [
      text("Län", `b."countyCode"`, 6),
      text("Diarienummer", `f."registrationNumber"`, 14),
      text("Mottagare", "o.name", 32),
      text("Redovisning", "rp.kind", 16, labelFrom(REPORT_KIND_LABELS)),
      text("Indikator", "ci.name", 36),
      text("Enhet", "ci.unit", 12),
      { header: "Värde", width: 12, kind: "number", sql: "rr.value" },
      text("Kommentar", "rr.comment", 40),
    ],
    from: `facts f join "Report" rp on rp."grantId" = f.grant_id and rp."submittedAt" is not null
      join "ReportResult" rr on rr."reportId" = rp.id join "CallIndicator" ci on ci.id = rr."indicatorId" ${BOARD_AND_RECIPIENT}`,
    orderBy: "f.seq, rp.kind, ci.position",
    withTotals: false,
  },
];

/**
 * Every read of writeRedovisning after the facts are in place, in order (for the benchmark's COPY
 * yardstick), without the row counts, which only an export with a progress bar reads.
 */
export function redovisningReadsSql(filter: ReportFilter, today: string): SqlText[] {
  return [groupedSql("board", filter, today, "table"), groupedSql("kind", filter, today, "table"), ...DETAIL_SHEETS.map(detailSheetSql)];
}

/** Rows of the two application sheets, from the full `facts` table. */
export function applicationCountsSql(): SqlText {
  return {
    text: `select (count(*) filter (where ${factSelectionWhere("granted")}))::int as granted,
                  (count(*) filter (where ${factSelectionWhere("notGranted")}))::int as "notGranted"
             from facts f`,
    values: [],
  };
}

/** Rows of the sheets that hang off a grant (instalments, reclaims, results), from either kind of `facts` table. */
export function grantRowCountsSql(): SqlText {
  return {
    text: `select (select count(*) from facts x join "Disbursement" d on d."grantId" = x.grant_id)::int as disbursements,
                  (select count(*) from facts x join "Reclaim" r on r."grantId" = x.grant_id)::int as reclaims,
                  (select count(*) from facts x join "Report" rp on rp."grantId" = x.grant_id and rp."submittedAt" is not null
                     join "ReportResult" rr on rr."reportId" = rp.id)::int as results`,
    values: [],
  };
}

/** The select of a detail sheet's rows, one column per sheet column (dates as Excel's day numbers). */
export function detailSheetSql(sheet: DetailSheet): SqlText {
  const columns = sheet.columns.map((c) => (c.kind === "date" ? excelDaySql(c.sql) : c.sql));
  return { text: `select ${columns.join(", ")} from ${sheet.from} order by ${sheet.orderBy}`, values: [] };
}

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

/**
 * Detail sheets read from the second source (the light facts table) when there is one: the
 * instalments and reclaims, whose queries run there while the application sheets are written.
 * The first source reads the others, Resultat last: its query runs while these are written.
 */
export const SHEETS_AHEAD = new Set(["Utbetalningar", "Återkrav"]);

/**
 * Writes the whole workbook to `out` and ends it. Reads everything through `source` (the full
 * `facts` table: Sammanställning, the application sheets and Resultat), and through `ahead` if given: a
 * second source on the same snapshot with the light facts table (openExportSources, "grants")
 * that runs the instalment and reclaim sheets' queries while the first sheets are written. The
 * first detail sheet's COPY is queued right behind Sammanställning's sums, so its rows are sorted
 * and on their way the moment the summary is written. (ExcelJS opens a sheet's part in the zip when the
 * sheet is added, and the zip writes its parts one after the other, so Sammanställning, the
 * first sheet, is also written first.) The rows are counted only for `onProgress`.
 */
export async function writeRedovisning(
  out: Writable,
  source: ExportSource,
  filter: ReportFilter,
  meta: WorkbookMeta | Promise<WorkbookMeta>,
  today: string,
  opts: WorkbookOptions = {},
  ahead?: ExportSource,
): Promise<{ rows: number }> {
  const maxRows = Math.min(opts.maxRowsPerSheet ?? EXCEL_MAX_ROWS, EXCEL_MAX_ROWS);
  const batchSize = opts.batchSize ?? 1000;
  // Fast compression: a large workbook is mostly repetitive XML, and level 1 costs a third of the default's time.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } } as ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookWriter>[0]);
  wb.creator = "Utvecklingsmedel";
  const ids = styleIds(wb);
  // An output that fails or closes early (a client that went away) never drains: every wait below
  // also ends when it does, so the export fails and its connections are let go.
  const outGone = new Promise<never>((_resolve, reject) => {
    out.once("error", reject);
    out.once("close", () => {
      if (!out.writableFinished) reject(new Error("the output closed before the workbook was written"));
    });
  });
  outGone.catch(() => {});
  const orGone = <T,>(p: Promise<T>) => Promise.race([p, outGone]);

  // Each source runs its statements in the order they are asked for: here the summary, then the
  // sheets' COPYs; on `ahead` (after the description, asked for by the caller) the counts, then its sheets.
  const summing = Promise.all([figuresBy(source, "board", filter, today), figuresBy(source, "kind", filter, today)]);
  const counting = opts.onProgress
    ? Promise.all([source.rows<{ granted: number; notGranted: number }>(applicationCountsSql()), (ahead ?? source).rows<{ disbursements: number; reclaims: number; results: number }>(grantRowCountsSql())])
    : null;
  // Every sheet's COPY is queued early, each on its connection in the order the sheets are written,
  // so PostgreSQL sorts a sheet's rows while the ones before it are written. A COPY holds its
  // connection until its rows are read, so `ahead`'s wait until the description (which may read
  // there) is in: a query queued behind them would wait for the sheets that wait for it.
  const onAhead = (sheet: DetailSheet) => ahead !== undefined && SHEETS_AHEAD.has(sheet.name);
  const copies = DETAIL_SHEETS.map((sheet) => (onAhead(sheet) ? null : source.copy(detailSheetSql(sheet))));
  for (const p of [counting, summing, meta]) Promise.resolve(p).catch(() => {});
  // Progress is reported once the counts are in; the rows never wait for them.
  let rowsTotal: number | null = null;
  void counting?.then(([[a], [g]]) => (rowsTotal = a.granted + a.notGranted + g.disbursements + g.reclaims + g.results));
  let rowsDone = 0;
  const progress = () => (opts.onProgress && rowsTotal !== null ? opts.onProgress(rowsDone, rowsTotal) : undefined);

  const [byBoard, byKind] = await summing;
  // Queued before the summary, so it is in already; a failure (no such assignment) stops the export before its first byte.
  const described = await meta;
  DETAIL_SHEETS.forEach((sheet, i) => (copies[i] ??= ahead!.copy(detailSheetSql(sheet))));
  wb.created = described.exportedAt;
  writeSummary(wb, byBoard, byKind);

  for (const [i, sheet] of DETAIL_SHEETS.entries()) {
    const series = new SheetSeries(wb, sheet.name, sheet.columns, maxRows, sheet.withTotals, ids);
    let sinceProgress = 0;
    let reporting: Promise<void> | null = null;
    const consumer: CopyConsumer = {
      row(bytes) {
        series.add(bytes);
        rowsDone++;
        if (++sinceProgress >= batchSize) {
          sinceProgress = 0;
          const p = progress();
          if (p) reporting = Promise.resolve(p).finally(() => (reporting = null));
        }
      },
      // The zip's input first; then a progress write still under way.
      blocked: () => {
        const wait = series.blocked() ?? reporting;
        return wait && orGone(wait);
      },
    };
    await copies[i]!.each(consumer);
    await reporting;
    series.finish();
  }

  if (counting) {
    await counting;
    // The last word: every row, also when the counts came in after the last batch.
    await progress();
  }
  writeAbout(wb, described, maxRows);
  await orGone(wb.commit());
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
