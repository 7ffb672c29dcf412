// Detail rows of the workbook as SpreadsheetML bytes, made straight from the bytes of
// PostgreSQL's COPY text format (one row per CopyData message: fields separated by a tab,
// `\N` for null, backslash escapes for backslash, tab, line feed, carriage return and the
// control characters \b \f \v). No string per field and no string per row: the text of a
// field is copied byte by byte, escaped for XML on the way, so a big export does not make
// millions of short-lived strings (receiving them, building the row XML, encoding it to
// UTF-8 again and collecting the garbage were most of the export's CPU time).
//
// The bytes are exactly the cells the string-based writer made before (and ExcelJS makes):
// text as `t="str"` with ExcelJS's XML escaping (the five entities; control characters that
// XML 1.0 cannot hold dropped) after `inertText` (a leading apostrophe before = + - @, tab,
// CR, LF); amounts as kronor (öre / 100, printed as JavaScript prints the number) with the
// whole-kronor or öre style; dates as Excel day numbers; numbers as JavaScript prints them.
// test/reports/xml-text.test.ts proves it against the string functions (cells.ts, xmlText).
import { inertText, kronorNumber } from "./cells";

export type RowCellKind = "text" | "money" | "date" | "int" | "number";
export type RowColumn = { kind: RowCellKind; label?: (raw: string) => string };
/** Style attributes as they go into a cell (` s="3"`, or "" for style 0). */
export type RowStyles = { plain: string; whole: string; ore: string; date: string };

/** XML text as ExcelJS escapes it: the five entities, and the characters XML 1.0 cannot hold dropped. */
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/;
// eslint-disable-next-line no-control-regex
const XML_SPECIAL_ALL = /[<>&'"\x7F\x00-\x08\x0B-\x0C\x0E-\x1F]/g;
const XML_ENTITY: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" };
export function xmlText(s: string): string {
  return XML_SPECIAL.test(s) ? s.replace(XML_SPECIAL_ALL, (c) => XML_ENTITY[c] ?? "") : s;
}

/**
 * `kronorNumber` of öre given as PostgreSQL's text (and its Number), without a BigInt per cell:
 * below 2^53, öre / 100 is the double nearest the exact kronor, which is what kronorNumber's
 * decimal text parses to, so both print the same.
 */
export function kronorFromOreText(ore: number, text: string): number {
  return Number.isSafeInteger(ore) ? ore / 100 : kronorNumber(BigInt(text));
}
export const wholeKronor = (ore: number, text: string) => (Number.isSafeInteger(ore) ? ore % 100 === 0 : BigInt(text) % 100n === 0n);

/**
 * An exact sum of öre: a double while every partial sum is a safe integer (doubles add
 * integers below 2^53 exactly), bigint beyond: a BigInt per cell would cost more than the cell.
 */
export class OreSum {
  private small = 0;
  private big = 0n;
  add(ore: number, text: string) {
    const sum = this.small + ore;
    if (Number.isSafeInteger(ore) && Number.isSafeInteger(sum)) this.small = sum;
    else this.big += BigInt(text);
  }
  /** `ore` must be a safe integer. */
  addSafe(ore: number) {
    const sum = this.small + ore;
    if (Number.isSafeInteger(sum)) this.small = sum;
    else this.big += BigInt(ore);
  }
  get value(): bigint {
    return BigInt(this.small) + this.big;
  }
}

const TAB = 9;
const LF = 10;
const CR = 13;
const BACKSLASH = 92;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;

/** What becomes of each byte of a text field: 0 copied, 1 dropped (a control character XML cannot hold), 2 an entity, 3 a backslash escape, 4 the field's end. */
const TEXT_CLASS = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) TEXT_CLASS[b] = b === LF || b === CR ? 0 : 1;
TEXT_CLASS[TAB] = 4;
TEXT_CLASS[0x7f] = 1;
for (const c of "<>&'\"") TEXT_CLASS[c.charCodeAt(0)] = 2;
TEXT_CLASS[BACKSLASH] = 3;
const ENTITY_BYTES: (Uint8Array | undefined)[] = [];
for (const [c, e] of Object.entries(XML_ENTITY)) ENTITY_BYTES[c.charCodeAt(0)] = Buffer.from(e, "latin1");
/** What a COPY escape (the byte after a backslash) stands for; -1: a character XML cannot hold (dropped). */
const UNESCAPE = new Int16Array(256).fill(-2);
UNESCAPE[BACKSLASH] = BACKSLASH;
UNESCAPE["t".charCodeAt(0)] = TAB;
UNESCAPE["n".charCodeAt(0)] = LF;
UNESCAPE["r".charCodeAt(0)] = CR;
UNESCAPE["b".charCodeAt(0)] = -1;
UNESCAPE["f".charCodeAt(0)] = -1;
UNESCAPE["v".charCodeAt(0)] = -1;
const UNESCAPE_CHAR: Record<string, string> = { "\\": "\\", t: "\t", n: "\n", r: "\r", b: "\b", f: "\f", v: "\v" };
/** First characters that make a text a formula to a spreadsheet (inertText), as bytes and as COPY escapes. */
const FORMULA_START = new Uint8Array(256);
for (const c of "=+-@\t\r\n") FORMULA_START[c.charCodeAt(0)] = 1;
const FORMULA_ESCAPE = new Uint8Array(256);
for (const c of "trn") FORMULA_ESCAPE[c.charCodeAt(0)] = 1;
const APOS = Buffer.from("&apos;", "latin1");

const ascii = (s: string) => Buffer.from(s, "latin1");

/** A field's text as PostgreSQL sent it (escapes undone). */
function fieldText(row: Uint8Array, start: number, end: number): string {
  const raw = Buffer.from(row.buffer, row.byteOffset + start, end - start).toString("utf8");
  if (!raw.includes("\\")) return raw;
  return raw.replace(/\\(.)/gs, (m, c: string) => {
    const s = UNESCAPE_CHAR[c];
    if (s === undefined) throw new Error(`unexpected escape \\${c} in COPY text`);
    return s;
  });
}

/** A labelled column's value as COPY sent it, and its cell text as XML. */
type Label = { raw: Uint8Array; xml: Uint8Array };
type Cell = { kind: RowCellKind; label?: (raw: string) => string; open: Uint8Array; plain: Uint8Array; whole: Uint8Array; ore: Uint8Array; labels: Label[] };
/** Labels are for a column's few coded values: a column with more is worded cell by cell. */
const MAX_LABELS = 64;

/**
 * Encodes COPY rows of one sheet as `<row>` elements into a growing byte buffer; `take`
 * hands over what is there. `sums` gets each money column's öre.
 */
export class RowEncoder {
  private buf = Buffer.allocUnsafe(1 << 17);
  private pos = 0;
  /** The row number's digits, one array per length (no allocation per row). */
  private readonly digits = Array.from({ length: 17 }, (_, n) => new Uint8Array(n));
  private readonly cells: Cell[];
  private static readonly ROW_OPEN = ascii('<row r="');
  private static readonly ROW_OPEN_END = ascii('">');
  private static readonly ROW_CLOSE = ascii("</row>");
  private static readonly CELL_CLOSE = ascii("</v></c>");

  constructor(columns: RowColumn[], letters: string[], styles: RowStyles) {
    this.cells = columns.map((c, i) => ({
      kind: c.kind,
      label: c.label,
      open: ascii(`<c r="${letters[i]}`),
      // After the row number: the rest of the opening tag, by the cell's style.
      plain: ascii(`"${styles.plain}${c.kind === "text" ? ' t="str"' : ""}><v>`),
      whole: ascii(`"${styles.whole}><v>`),
      ore: ascii(`"${styles.ore}><v>`),
      ...(c.kind === "date" ? { plain: ascii(`"${styles.date}><v>`) } : {}),
      labels: [],
    }));
  }

  /** Bytes encoded so far. */
  get size(): number {
    return this.pos;
  }

  /** The bytes encoded so far, as a buffer of their own; the encoder starts empty again. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.pos = 0;
    return out;
  }

  private room(n: number) {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  private put(bytes: Uint8Array) {
    const buf = this.buf;
    let pos = this.pos;
    for (let k = 0; k < bytes.length; k++) buf[pos++] = bytes[k];
    this.pos = pos;
  }

  /** Room must have been made (three bytes a UTF-16 unit at most). */
  private putString(s: string) {
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  /**
   * One row: `row[start, end)` is a COPY text row without its line feed, `r` its row number in
   * the sheet. Amounts are added to `sums` (one per column; others untouched).
   */
  encode(row: Uint8Array, start: number, end: number, r: number, sums: OreSum[]) {
    let length = 1;
    for (let x = r; x >= 10; x = Math.floor(x / 10)) length++;
    const rowNumber = this.digits[length];
    for (let k = length - 1, x = r; k >= 0; k--, x = Math.floor(x / 10)) rowNumber[k] = ZERO + (x % 10);
    this.room(32 + rowNumber.length);
    this.put(RowEncoder.ROW_OPEN);
    this.put(rowNumber);
    this.put(RowEncoder.ROW_OPEN_END);
    let i = start;
    for (let col = 0; col < this.cells.length; col++) {
      if (i > end) throw new Error(`COPY row with ${col} fields, ${this.cells.length} expected`);
      // The field's end: the next tab (a tab inside a field comes escaped), or the row's end.
      let j = row.indexOf(TAB, i);
      if (j === -1 || j > end) j = end;
      // `\N`: null, no cell.
      if (!(j - i === 2 && row[i] === BACKSLASH && row[i + 1] === 78)) this.cell(this.cells[col], row, i, j, rowNumber, sums, col);
      i = j + 1;
    }
    if (i <= end) throw new Error(`COPY row with more than ${this.cells.length} fields`);
    this.room(RowEncoder.ROW_CLOSE.length);
    this.put(RowEncoder.ROW_CLOSE);
  }

  private cell(cell: Cell, row: Uint8Array, i: number, j: number, rowNumber: Uint8Array, sums: OreSum[], col: number) {
    // The cell's markup and every byte of its field, each at most six bytes of XML (an entity);
    // labels and numbers printed from strings make room for themselves.
    this.room(64 + rowNumber.length + (j - i) * 6);
    if (cell.label) return this.labelled(cell, row, i, j, rowNumber);
    switch (cell.kind) {
      case "text":
        return this.text(cell, row, i, j, rowNumber);
      case "money":
        return this.money(cell, row, i, j, rowNumber, sums[col]);
      case "date":
      case "int":
        return this.integer(cell, row, i, j, rowNumber);
      default:
        return this.numberCell(cell, fieldText(row, i, j), rowNumber);
    }
  }

  private open(cell: Cell, rowNumber: Uint8Array, rest: Uint8Array) {
    this.put(cell.open);
    this.put(rowNumber);
    this.put(rest);
  }

  private text(cell: Cell, row: Uint8Array, i: number, j: number, rowNumber: Uint8Array) {
    this.open(cell, rowNumber, cell.plain);
    const buf = this.buf;
    let pos = this.pos;
    // As inertText: the characters XML drops (raw, or COPY's \b \f \v) do not count as a start.
    let s = i;
    while (s < j && (TEXT_CLASS[row[s]] === 1 || (row[s] === BACKSLASH && UNESCAPE[row[s + 1]] === -1))) s += row[s] === BACKSLASH ? 2 : 1;
    if (s < j && (FORMULA_START[row[s]] === 1 || (row[s] === BACKSLASH && FORMULA_ESCAPE[row[s + 1]] === 1))) {
      for (let k = 0; k < APOS.length; k++) buf[pos++] = APOS[k];
    }
    for (let k = i; k < j; k++) {
      const b = row[k];
      const cls = TEXT_CLASS[b];
      if (cls === 0) buf[pos++] = b;
      else if (cls === 2) {
        const e = ENTITY_BYTES[b]!;
        for (let m = 0; m < e.length; m++) buf[pos++] = e[m];
      } else if (cls === 3) {
        const u = UNESCAPE[row[++k]];
        if (u >= 0) buf[pos++] = u;
        else if (u === -2) throw new Error(`unexpected escape \\${String.fromCharCode(row[k])} in COPY text`);
      } else if (cls === 4) throw new Error("tab inside a COPY field");
      // cls 1: dropped
    }
    this.pos = pos;
    this.put(RowEncoder.CELL_CLOSE);
  }

  private labelled(cell: Cell, row: Uint8Array, i: number, j: number, rowNumber: Uint8Array) {
    let xml: Uint8Array | null = null;
    for (const label of cell.labels) {
      const raw = label.raw;
      if (raw.length !== j - i) continue;
      let k = 0;
      while (k < raw.length && raw[k] === row[i + k]) k++;
      if (k === raw.length) {
        xml = label.xml;
        break;
      }
    }
    if (!xml) {
      xml = Buffer.from(xmlText(inertText(cell.label!(fieldText(row, i, j)))), "utf8");
      if (cell.labels.length < MAX_LABELS) cell.labels.push({ raw: new Uint8Array(row.subarray(i, j)), xml });
    }
    this.room(64 + rowNumber.length + xml.length);
    this.open(cell, rowNumber, cell.plain);
    this.put(xml);
    this.put(RowEncoder.CELL_CLOSE);
  }

  /** Öre as kronor: the digits with a decimal point two from the end, trailing zeros dropped, as JavaScript prints öre / 100. */
  private money(cell: Cell, row: Uint8Array, i: number, j: number, rowNumber: Uint8Array, sum: OreSum) {
    const negative = row[i] === MINUS;
    const first = negative ? i + 1 : i;
    const digits = j - first;
    let ore = 0;
    let canonical = digits >= 1 && digits <= 15 && (row[first] !== ZERO || digits === 1);
    for (let k = first; canonical && k < j; k++) {
      const b = row[k];
      if (b < ZERO || b > NINE) canonical = false;
      else ore = ore * 10 + (b - ZERO);
    }
    if (!canonical || (negative && ore === 0)) {
      // Anything else (more than 15 digits, a numeral PostgreSQL did not write as a plain integer): as numbers.
      const text = fieldText(row, i, j);
      const value = Number(text);
      sum.add(value, text);
      const kronor = String(kronorFromOreText(value, text));
      this.room(64 + rowNumber.length + kronor.length);
      this.open(cell, rowNumber, wholeKronor(value, text) ? cell.whole : cell.ore);
      this.putString(kronor);
      this.put(RowEncoder.CELL_CLOSE);
      return;
    }
    sum.addSafe(negative ? -ore : ore);
    const tens = digits >= 2 ? row[j - 2] : ZERO;
    const units = row[j - 1];
    this.open(cell, rowNumber, tens === ZERO && units === ZERO ? cell.whole : cell.ore);
    const buf = this.buf;
    let pos = this.pos;
    if (negative) buf[pos++] = MINUS;
    if (digits <= 2) buf[pos++] = ZERO;
    else for (let k = first; k < j - 2; k++) buf[pos++] = row[k];
    if (units !== ZERO) {
      buf[pos++] = 46;
      buf[pos++] = tens;
      buf[pos++] = units;
    } else if (tens !== ZERO) {
      buf[pos++] = 46;
      buf[pos++] = tens;
    }
    this.pos = pos;
    this.put(RowEncoder.CELL_CLOSE);
  }

  /** A date's day number or an integer: PostgreSQL's digits are how JavaScript prints the number, up to 15 of them. */
  private integer(cell: Cell, row: Uint8Array, i: number, j: number, rowNumber: Uint8Array) {
    const first = row[i] === MINUS ? i + 1 : i;
    const digits = j - first;
    let canonical = digits >= 1 && digits <= 15 && (row[first] !== ZERO || (digits === 1 && first === i));
    for (let k = first; canonical && k < j; k++) if (row[k] < ZERO || row[k] > NINE) canonical = false;
    if (!canonical) return this.numberCell(cell, fieldText(row, i, j), rowNumber);
    this.open(cell, rowNumber, cell.plain);
    const buf = this.buf;
    let pos = this.pos;
    for (let k = i; k < j; k++) buf[pos++] = row[k];
    this.pos = pos;
    this.put(RowEncoder.CELL_CLOSE);
  }

  private numberCell(cell: Cell, text: string, rowNumber: Uint8Array) {
    // A date column's text is its day number already (the string writer wrote it as it came).
    const value = cell.kind === "date" ? text : String(Number(text));
    this.room(64 + rowNumber.length + value.length * 3);
    this.open(cell, rowNumber, cell.plain);
    this.putString(value);
    this.put(RowEncoder.CELL_CLOSE);
  }
}
