import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  MAX_ORE,
  MIN_ORE,
  formatKronor,
  kronorToOre,
  oreFromNumber,
  oreToKronorInput,
  oreToNumber,
  parseKronor,
  percentOf,
  sumOre,
  toOre,
} from "~/lib/money";

const NBSP = "\u00A0";
const NNBSP = "\u202F";
const MINUS = "\u2212";
const GENERIC = "Ange ett belopp i kronor, till exempel 1 500 000 eller 1 500 000,50.";

/** An amount anywhere in the range of a PostgreSQL bigint. */
const anyOre = fc.bigInt({ min: MIN_ORE, max: MAX_ORE });

/** Öre as an exact decimal string of kronor ("-1234.05"), for Intl's string input. */
function decimalKronor(ore: bigint): string {
  const magnitude = ore < 0n ? -ore : ore;
  return `${ore < 0n ? "-" : ""}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, "0")}`;
}

describe("parseKronor", () => {
  it.each([
    ["1500000", 150_000_000n],
    ["1 500 000", 150_000_000n],
    [`1${NBSP}500${NBSP}000`, 150_000_000n],
    [`1${NNBSP}500${NNBSP}000`, 150_000_000n],
    ["1\u2009500", 150_000n],
    ["1 500 000,50", 150_000_050n],
    ["1 500 000,5", 150_000_050n],
    ["1500000,05", 150_000_005n],
    ["0,01", 1n],
    ["0", 0n],
    ["007", 700n],
    ["999", 99_900n],
    ["  20 000 000  ", 2_000_000_000n],
    ["1 500 kr", 150_000n],
    ["1500kr", 150_000n],
    ["1 500 Kr.", 150_000n],
    ["1 500 kronor", 150_000n],
    ["1 500 SEK", 150_000n],
    ["1500 sek", 150_000n],
    ["1 500:-", 150_000n],
    ["1 500,-", 150_000n],
    [`1 500 000,50${NBSP}kr`, 150_000_050n],
    ["-0", 0n],
  ])("reads %j as %s öre", (input, ore) => {
    expect(parseKronor(input)).toEqual({ ok: true, ore });
  });

  it.each([
    ["-1 500", -150_000n],
    [`${MINUS}1${NBSP}500,50${NBSP}kr`, -150_050n],
    ["\u2013200", -20_000n],
    ["- 200 kr", -20_000n],
  ])("reads %j as %s öre when negatives are allowed", (input, ore) => {
    expect(parseKronor(input, { allowNegative: true })).toEqual({ ok: true, ore });
  });

  it("refuses a negative amount unless allowed", () => {
    expect(parseKronor("-1 500")).toEqual({ ok: false, message: "Beloppet kan inte vara negativt." });
    expect(parseKronor(`${MINUS}1`, { allowNegative: false }).ok).toBe(false);
  });

  it.each(["", "   ", "abc", "kr", "-", "+100", "1e6", "Infinity", "NaN", "0x10", "1 50 000", "1234 567", "1  500", "1 500 000,", ",50", "1 500 kr kr", "kr 1500", "1500 €", "١٢٣", "12,3,4", "1_000"])(
    "rejects %j with the general message",
    (input) => {
      expect(parseKronor(input)).toEqual({ ok: false, message: GENERIC });
    },
  );

  it.each(["1.500.000,50", "1500.50", "1.5", "1 500.000"])("rejects a full stop in %j, saying how to write it", (input) => {
    const result = parseKronor(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/kommatecken.*inte punkt/);
  });

  it.each(["1500,505", "1 500,001", "0,123"])("rejects more than two decimals in %j without rounding", (input) => {
    expect(parseKronor(input)).toEqual({ ok: false, message: "Beloppet kan ha högst två decimaler (ören), till exempel 1 500 000,50." });
  });

  it("accepts exactly the range of a PostgreSQL bigint, no more", () => {
    expect(parseKronor("92 233 720 368 547 758,07")).toEqual({ ok: true, ore: MAX_ORE });
    expect(parseKronor("-92 233 720 368 547 758,08", { allowNegative: true })).toEqual({ ok: true, ore: MIN_ORE });
    expect(parseKronor("92 233 720 368 547 758,08")).toEqual({ ok: false, message: "Beloppet är för stort." });
    expect(parseKronor("1".repeat(40))).toEqual({ ok: false, message: "Beloppet är för stort." });
  });

  it("is exact where floating point is not", () => {
    // 0.1 + 0.2 style traps and amounts beyond 2^53 öre.
    expect(parseKronor("0,29")).toEqual({ ok: true, ore: 29n });
    expect(parseKronor("1,15")).toEqual({ ok: true, ore: 115n });
    expect(parseKronor("90 071 992 547 409,93")).toEqual({ ok: true, ore: 9_007_199_254_740_993n });
  });

  it("reads back what oreToKronorInput and formatKronor write, for any bigint amount", () => {
    fc.assert(
      fc.property(anyOre, (ore) => {
        expect(parseKronor(oreToKronorInput(ore), { allowNegative: true })).toEqual({ ok: true, ore });
        expect(parseKronor(formatKronor(ore), { allowNegative: true })).toEqual({ ok: true, ore });
      }),
      { numRuns: 2000 },
    );
  });
});

describe("formatKronor", () => {
  it.each([
    [2_000_000_000n, `20${NBSP}000${NBSP}000${NBSP}kr`],
    [150_000_050n, `1${NBSP}500${NBSP}000,50${NBSP}kr`],
    [150_000_005n, `1${NBSP}500${NBSP}000,05${NBSP}kr`],
    [0n, `0${NBSP}kr`],
    [1n, `0,01${NBSP}kr`],
    [99_900n, `999${NBSP}kr`],
    [100_000n, `1${NBSP}000${NBSP}kr`],
    [-25_000n, `${MINUS}250${NBSP}kr`],
    [-1n, `${MINUS}0,01${NBSP}kr`],
    [MAX_ORE, `92${NBSP}233${NBSP}720${NBSP}368${NBSP}547${NBSP}758,07${NBSP}kr`],
    [MIN_ORE, `${MINUS}92${NBSP}233${NBSP}720${NBSP}368${NBSP}547${NBSP}758,08${NBSP}kr`],
  ])("formats %s öre as %j", (ore, text) => {
    expect(formatKronor(ore)).toBe(text);
  });

  it("formats beyond the database range too, exactly", () => {
    // 10^30 öre = 10^28 kronor: "10" and nine groups of "000".
    expect(formatKronor(10n ** 30n + 1n)).toBe(`10${`${NBSP}000`.repeat(9)},01${NBSP}kr`);
  });

  it("takes a safe-integer number of öre", () => {
    expect(formatKronor(150_000_050)).toBe(`1${NBSP}500${NBSP}000,50${NBSP}kr`);
    expect(formatKronor(Number.MAX_SAFE_INTEGER)).toBe(`90${NBSP}071${NBSP}992${NBSP}547${NBSP}409,91${NBSP}kr`);
    expect(() => formatKronor(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => formatKronor(1.5)).toThrow(RangeError);
    expect(() => formatKronor(Number.NaN)).toThrow(RangeError);
  });

  it("shows öre always or never on request", () => {
    expect(formatKronor(2_000_000_000n, { decimals: "always" })).toBe(`20${NBSP}000${NBSP}000,00${NBSP}kr`);
    expect(formatKronor(150_000_050n, { decimals: "never" })).toBe(`1${NBSP}500${NBSP}001${NBSP}kr`);
    expect(formatKronor(150_000_049n, { decimals: "never" })).toBe(`1${NBSP}500${NBSP}000${NBSP}kr`);
    expect(formatKronor(-150n, { decimals: "never" })).toBe(`${MINUS}2${NBSP}kr`);
    expect(formatKronor(-149n, { decimals: "never" })).toBe(`${MINUS}1${NBSP}kr`);
    // Nothing negative is left to show, so no minus sign.
    expect(formatKronor(-40n, { decimals: "never" })).toBe(`0${NBSP}kr`);
    expect(formatKronor(-40n, { decimals: "always" })).toBe(`${MINUS}0,40${NBSP}kr`);
  });

  it("agrees with Intl's sv-SE SEK formatting for any bigint amount", () => {
    // Intl formats decimal strings exactly, so this holds far beyond 2^53.
    const always = new Intl.NumberFormat("sv-SE", { style: "currency", currency: "SEK" });
    const auto = new Intl.NumberFormat("sv-SE", { style: "currency", currency: "SEK", trailingZeroDisplay: "stripIfInteger" });
    const never = new Intl.NumberFormat("sv-SE", {
      style: "currency",
      currency: "SEK",
      maximumFractionDigits: 0,
      roundingMode: "halfExpand",
      signDisplay: "negative",
    });
    fc.assert(
      fc.property(fc.oneof(anyOre, fc.bigInt({ min: -100_000n, max: 100_000n })), (ore) => {
        // Intl.NumberFormat accepts decimal strings (ES2023 Intl.NumberFormat v3); the DOM lib typing lags behind.
        const text = decimalKronor(ore) as unknown as number;
        expect(formatKronor(ore, { decimals: "always" })).toBe(always.format(text));
        expect(formatKronor(ore)).toBe(auto.format(text));
        expect(formatKronor(ore, { decimals: "never" })).toBe(never.format(text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("oreToKronorInput", () => {
  it.each([
    [150_000_050n, "1 500 000,50"],
    [2_000_000_000n, "20 000 000"],
    [5n, "0,05"],
    [0n, "0"],
    [-25_000n, "-250"],
    [-150_000_050n, "-1 500 000,50"],
    [123_456, "1 234,56"],
  ])("writes %s öre as %j with plain spaces", (ore, text) => {
    expect(oreToKronorInput(ore)).toBe(text);
  });
});

describe("conversions between bigint and number", () => {
  it("converts safe integers both ways and refuses anything else", () => {
    expect(toOre(12n)).toBe(12n);
    expect(toOre(12)).toBe(12n);
    expect(oreFromNumber(-12)).toBe(-12n);
    expect(oreFromNumber(Number.MAX_SAFE_INTEGER)).toBe(9_007_199_254_740_991n);
    expect(() => oreFromNumber(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => oreFromNumber(0.5)).toThrow(RangeError);
    expect(() => oreFromNumber(Number.POSITIVE_INFINITY)).toThrow(RangeError);

    expect(oreToNumber(150_000_050n)).toBe(150_000_050);
    expect(oreToNumber(-9_007_199_254_740_991n)).toBe(-Number.MAX_SAFE_INTEGER);
    expect(() => oreToNumber(9_007_199_254_740_992n)).toThrow(RangeError);
    expect(() => oreToNumber(-9_007_199_254_740_992n)).toThrow(RangeError);
  });

  it("turns whole kronor into öre", () => {
    expect(kronorToOre(1_500_000)).toBe(150_000_000n);
    expect(kronorToOre(20_000_000n)).toBe(2_000_000_000n);
    expect(() => kronorToOre(1.5)).toThrow(RangeError);
  });
});

describe("sumOre", () => {
  it("adds any iterable of bigints exactly", () => {
    expect(sumOre([])).toBe(0n);
    expect(sumOre([150_000_050n, -50n, 1n])).toBe(150_000_001n);
    expect(sumOre(new Set([1n, 2n, 3n]))).toBe(6n);
    function* lines() {
      yield MAX_ORE;
      yield MAX_ORE;
    }
    expect(sumOre(lines())).toBe(2n * MAX_ORE);
    expect(sumOre(Array.from({ length: 10 }, () => 10n))).toBe(100n);
  });

  it("refuses numbers slipped in at run time", () => {
    expect(() => sumOre([1n, 2 as unknown as bigint])).toThrow(TypeError);
  });
});

describe("percentOf", () => {
  it.each([
    [1n, 3n, "33,3"],
    [2n, 3n, "66,7"],
    [1n, 2n, "50,0"],
    [0n, 5n, "0,0"],
    [100n, 100n, "100,0"],
    [150n, 100n, "150,0"],
    [1n, 2000n, "0,1"], // 0,05 % rounds half away from zero
    [1n, 2001n, "0,0"],
    [12_345n, 1n, `1${NBSP}234${NBSP}500,0`],
    [-1n, 3n, `${MINUS}33,3`],
    [1n, -3n, `${MINUS}33,3`],
    [-1n, -3n, "33,3"],
    [-1n, 3000n, "0,0"],
    [75_000_000, 200_000_000, "37,5"],
  ])("%s of %s is %j percent", (part, whole, text) => {
    expect(percentOf(part, whole)).toBe(text);
  });

  it("is exact for amounts beyond 2^53", () => {
    expect(percentOf(MAX_ORE, MAX_ORE)).toBe("100,0");
    expect(percentOf(MAX_ORE / 3n, MAX_ORE)).toBe("33,3");
    // 0,0499999… % would round up through floating point on 2^53-sized values.
    expect(percentOf(499_999_999_999_999n, 1_000_000_000_000_000_000n)).toBe("0,0");
    expect(percentOf(500_000_000_000_000n, 1_000_000_000_000_000_000n)).toBe("0,1");
  });

  it("agrees with Intl's sv-SE one-decimal formatting", () => {
    const format = new Intl.NumberFormat("sv-SE", {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
      roundingMode: "halfExpand",
      signDisplay: "negative",
    });
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (part, whole) => {
        // part/whole × 100 as a decimal truncated to 12 places, for Intl to round.
        const scaled = (part * 100n * 10n ** 12n) / whole;
        const magnitude = scaled < 0n ? -scaled : scaled;
        const text = `${scaled < 0n ? "-" : ""}${magnitude / 10n ** 12n}.${(magnitude % 10n ** 12n).toString().padStart(12, "0")}`;
        // Truncating cannot cross a rounding boundary: x,x5 is exact in 12 decimals.
        expect(percentOf(part, whole)).toBe(format.format(text as unknown as number));
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses a zero whole", () => {
    expect(() => percentOf(1n, 0n)).toThrow(RangeError);
    expect(() => percentOf(0, 0)).toThrow(RangeError);
  });
});
