// Cell values for every export (workbook, CSV): text that no spreadsheet will
// run as a formula, amounts as exact kronor, dates as calendar dates.
import { toPlainDate, plainDateToUtcMidnight, utcMidnightToPlainDate } from "~/lib/dates";

/**
 * Text as an inert cell: a value starting with = + - @, a tab, a carriage return or a
 * line feed gets a leading apostrophe, so neither Excel nor LibreOffice (nor either of
 * them re-reading a CSV saved from the file) evaluates it as a formula. Control characters
 * that XML cannot hold are dropped when the workbook is written, so they do not count as
 * a start: "\u0001=…" would otherwise reach the sheet as "=…".
 */
// eslint-disable-next-line no-control-regex
const FORMULA_START = /^[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*[=+\-@\t\r\n]/;
export function inertText(value: string | null | undefined): string {
  const s = value ?? "";
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/**
 * Öre as kronor for a spreadsheet number. Exact: öre are whole numbers, so kronor have
 * at most two decimals, and every amount below 2^53 öre (90 billion kronor) is a double
 * whose shortest decimal form is the amount itself.
 */
export function kronorNumber(ore: bigint): number {
  const negative = ore < 0n;
  const abs = negative ? -ore : ore;
  const value = Number(`${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`);
  return negative ? -value : value;
}

/** Kronor with a decimal comma and no grouping, for Swedish CSV: 1234,50 (whole kronor without decimals). */
export function kronorText(ore: bigint, decimal: "," | "."): string {
  const negative = ore < 0n;
  const abs = negative ? -ore : ore;
  const whole = `${negative ? "-" : ""}${abs / 100n}`;
  return abs % 100n === 0n ? whole : `${whole}${decimal}${String(abs % 100n).padStart(2, "0")}`;
}

/** Number formats: whole kronor unless the amount has öre. */
export const KRONOR_FORMAT = '#,##0 "kr";-#,##0 "kr"';
export const KRONOR_ORE_FORMAT = '#,##0.00 "kr";-#,##0.00 "kr"';
export const DATE_FORMAT = "yyyy-mm-dd";
export const moneyFormat = (ore: bigint) => (ore % 100n === 0n ? KRONOR_FORMAT : KRONOR_ORE_FORMAT);

/** A calendar date for a cell: database dates are UTC midnight already; instants become their Stockholm date. */
export function dateCell(value: Date | null | undefined, kind: "date" | "instant" = "date"): Date | null {
  if (!value) return null;
  return kind === "date" ? value : plainDateToUtcMidnight(toPlainDate(value));
}

/** YYYY-MM-DD for CSV and JSON. */
export function isoDate(value: Date | null | undefined, kind: "date" | "instant" = "date"): string {
  if (!value) return "";
  return kind === "date" ? utcMidnightToPlainDate(value) : toPlainDate(value);
}
