// Money is integer öre (1 krona = 100 öre) held as `bigint` everywhere in the
// server and the database (PostgreSQL `bigint`, Prisma `BigInt`). Nothing here
// goes through floating point: amounts are parsed from their digits and
// formatted from bigint arithmetic, so any amount the database can hold is
// exact. A JS `number` of öre is accepted where a plain number is needed
// (JSON, form state, charts), but only as a safe integer, checked both ways.
//
// Written form follows Swedish practice (Språkrådet, Svenska skrivregler):
// space between groups of three digits, comma before the öre, "kr" after the
// amount, and a real minus sign (U+2212) in typeset output, as Intl's sv-SE
// locale does.

/** Largest and smallest amount a PostgreSQL `bigint` column can hold, in öre. */
export const MAX_ORE = 9_223_372_036_854_775_807n;
export const MIN_ORE = -9_223_372_036_854_775_808n;

/** U+00A0 NO-BREAK SPACE: groups digits and joins "kr" so an amount never wraps. */
const NBSP = "\u00A0";
/** U+2212 MINUS SIGN, as sv-SE formats negative numbers. */
const MINUS = "\u2212";

// ---------------------------------------------------------------------------
// Conversions to and from JS numbers

/** A bigint or a JS number of öre as bigint; the number must be a safe integer. */
export function toOre(value: bigint | number): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`Not a whole number of öre within the safe integer range: ${value}`);
  }
  return BigInt(value);
}

/** Same as `toOre` for a number; named for call sites that start from a number. */
export function oreFromNumber(value: number): bigint {
  return toOre(value);
}

/** Öre as a JS number, for places that need one; throws beyond ±(2^53 − 1) rather than lose öre. */
export function oreToNumber(ore: bigint): number {
  if (ore > BigInt(Number.MAX_SAFE_INTEGER) || ore < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`Amount in öre is beyond the safe integer range of a JS number: ${ore}`);
  }
  return Number(ore);
}

/** Whole kronor to öre, e.g. `kronorToOre(1_500_000)` → `150000000n`. */
export function kronorToOre(kronor: bigint | number): bigint {
  return toOre(kronor) * 100n;
}

// ---------------------------------------------------------------------------
// Parsing what people type

export type ParseKronorResult = { ok: true; ore: bigint } | { ok: false; message: string };

export type ParseKronorOptions = {
  /** Accept a leading minus (for corrections and reclaims). Default false. */
  allowNegative?: boolean;
};

const MESSAGE_FORMAT = "Ange ett belopp i kronor, till exempel 1 500 000 eller 1 500 000,50.";
const MESSAGE_POINT =
  "Skriv beloppet med mellanslag mellan tusental och kommatecken före ören, till exempel 1 500 000,50 (inte punkt).";
const MESSAGE_DECIMALS = "Beloppet kan ha högst två decimaler (ören), till exempel 1 500 000,50.";
const MESSAGE_NEGATIVE = "Beloppet kan inte vara negativt.";
const MESSAGE_TOO_LARGE = "Beloppet är för stort.";

// Thousands separators accepted between groups of three digits: space, no-break
// space (U+00A0), narrow no-break space (U+202F, what newer ICU/sv-SE and some
// word processors produce) and thin space (U+2009, typographers' choice).
const GROUP_SEPARATOR = "[ \\u00A0\\u202F\\u2009]";
// Either digits without separators, or 1–3 digits followed by groups of exactly
// three: "1 50 000" is rejected rather than guessed at. An optional comma and
// one or two öre digits follow.
const AMOUNT = new RegExp(`^(\\d{1,3}(?:${GROUP_SEPARATOR}\\d{3})+|\\d+)(?:,(\\d{1,2}))?$`);
// "kr", "kr.", "kronor", "SEK", and the price-tag endings ":-" and ",-" (whole kronor).
const SUFFIX = /\s*(?:kr\.?|kronor|sek|:-|,-)$/i;
// Hyphen-minus, the real minus sign, and the en dash word processors substitute.
const SIGN = /^[-\u2212\u2013]\s*/;

/**
 * Parses an amount in kronor as written in Sweden into öre.
 *
 * Accepted: `1500000`, `1 500 000`, `1 500 000,50`, `1 500 000,5` (= 50 öre),
 * `1 500 000 kr`, `1500000 SEK`, `1 500:-`, `1 500,-`; spaces, U+00A0, U+202F
 * and U+2009 between groups of three digits; a leading minus (`-`, `−`, `–`)
 * only with `{ allowNegative: true }`.
 *
 * Rejected on purpose: a full stop in any role. `1.500` means one thousand
 * five hundred to some and one and a half to others; a silent factor of 1 000
 * in a grant amount is worse than asking again. Also rejected: more than two
 * decimals (no rounding), irregular grouping (`1 50 000`), and amounts beyond
 * what a PostgreSQL bigint holds.
 */
export function parseKronor(input: string, options: ParseKronorOptions = {}): ParseKronorResult {
  let text = input.trim();
  if (text === "") return { ok: false, message: MESSAGE_FORMAT };

  text = text.replace(SUFFIX, "");
  let negative = false;
  const sign = SIGN.exec(text);
  if (sign) {
    negative = true;
    text = text.slice(sign[0].length);
  }

  const match = AMOUNT.exec(text);
  if (!match) {
    if (text.includes(".")) return { ok: false, message: MESSAGE_POINT };
    if (/,\d{3,}$/.test(text)) return { ok: false, message: MESSAGE_DECIMALS };
    return { ok: false, message: MESSAGE_FORMAT };
  }

  const kronorDigits = match[1].replace(/\D/g, "");
  const oreDigits = (match[2] ?? "").padEnd(2, "0");
  const magnitude = BigInt(kronorDigits) * 100n + BigInt(oreDigits);
  if (negative && magnitude !== 0n && !options.allowNegative) return { ok: false, message: MESSAGE_NEGATIVE };

  const ore = negative ? -magnitude : magnitude;
  if (ore > MAX_ORE || ore < MIN_ORE) return { ok: false, message: MESSAGE_TOO_LARGE };
  return { ok: true, ore };
}

// ---------------------------------------------------------------------------
// Formatting

function groupThousands(digits: string, separator: string): string {
  // Insert the separator every three digits from the right, on the string:
  // no Number conversion, so it is exact for any length.
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += separator;
    out += digits[i];
  }
  return out;
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

export type FormatKronorOptions = {
  /**
   * "auto" (default): öre shown only when there are any (`1 500 000,50 kr`, `20 000 000 kr`).
   * "always": always two decimals (`20 000 000,00 kr`), for tables where columns align.
   * "never": rounded to whole kronor, half away from zero (50 öre rounds up, as
   * in Swedish cash rounding), for summaries.
   */
  decimals?: "auto" | "always" | "never";
};

/**
 * Formats öre as kronor the sv-SE way: `20 000 000 kr`, `1 500 000,50 kr`,
 * `−250 kr`. Digit groups and the space before "kr" are U+00A0 so the amount
 * never breaks across lines; negative amounts use U+2212. Matches
 * `Intl.NumberFormat("sv-SE", { style: "currency", currency: "SEK" })` but is
 * exact for any bigint.
 */
export function formatKronor(ore: bigint | number, options: FormatKronorOptions = {}): string {
  const value = toOre(ore);
  const decimals = options.decimals ?? "auto";
  const magnitude = abs(value);

  let kronor: bigint;
  let fraction = "";
  if (decimals === "never") {
    kronor = (magnitude + 50n) / 100n;
  } else {
    kronor = magnitude / 100n;
    const rest = magnitude % 100n;
    if (decimals === "always" || rest !== 0n) fraction = "," + rest.toString().padStart(2, "0");
  }

  // No minus on an amount that shows as zero ("never" can round −0,40 kr to 0 kr).
  const shownNegative = value < 0n && (kronor !== 0n || /[1-9]/.test(fraction));
  return `${shownNegative ? MINUS : ""}${groupThousands(kronor.toString(), NBSP)}${fraction}${NBSP}kr`;
}

/**
 * Öre as text to put back into a form field: `1 500 000,50`, `20 000 000`,
 * `-250`. Plain spaces and a hyphen-minus, no "kr", so the user can edit it
 * with an ordinary keyboard and `parseKronor` reads it back unchanged.
 */
export function oreToKronorInput(ore: bigint | number): string {
  const value = toOre(ore);
  const magnitude = abs(value);
  const rest = magnitude % 100n;
  const fraction = rest === 0n ? "" : "," + rest.toString().padStart(2, "0");
  return `${value < 0n ? "-" : ""}${groupThousands((magnitude / 100n).toString(), " ")}${fraction}`;
}

// ---------------------------------------------------------------------------
// Arithmetic

/** Sum of amounts in öre; 0n for none. */
export function sumOre(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) {
    if (typeof value !== "bigint") throw new TypeError(`sumOre expects bigint öre, got ${typeof value}`);
    total += value;
  }
  return total;
}

/**
 * `part` as a percentage of `whole`, with one decimal and a decimal comma:
 * `percentOf(1n, 3n)` → `"33,3"`, `percentOf(150n, 100n)` → `"150,0"`.
 * No percent sign, so the caller decides on "33,3 %" (Swedish style puts a
 * space before %) or a table header. Rounded half away from zero with bigint
 * arithmetic, so shares of very large amounts are exact. Throws on a zero
 * whole, where a share means nothing; callers show their own text there.
 */
export function percentOf(part: bigint | number, whole: bigint | number): string {
  const p = toOre(part);
  const w = toOre(whole);
  if (w === 0n) throw new RangeError("percentOf: the whole is zero");

  // Tenths of a percent: |p| × 1000 / |w|, rounded half up on magnitudes.
  const numerator = abs(p) * 1000n;
  const denominator = abs(w);
  const tenths = (2n * numerator + denominator) / (2n * denominator);
  const negative = (p < 0n) !== (w < 0n) && tenths !== 0n;
  return `${negative ? MINUS : ""}${groupThousands((tenths / 10n).toString(), NBSP)},${tenths % 10n}`;
}
