// The workbook writes detail rows as SpreadsheetML text itself (workbook.server.ts): its
// escaping must be exactly ExcelJS's, which the rest of the file and both readers rely on, and
// its amounts, made from PostgreSQL's text without a BigInt per cell, exactly kronorNumber's.
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kronorNumber } from "../../app/reports/cells";
import { OreSum, kronorFromOreText, wholeKronor, xmlText } from "../../app/reports/sheet-rows.server";

const excelUtils = createRequire(import.meta.url)("exceljs/lib/utils/utils.js") as { xmlEncode(s: string): string };

describe("xmlText", () => {
  it("escapes and drops characters exactly as ExcelJS does", () => {
    const samples = [
      "",
      "Vanlig text",
      "Åsa & Örjan <och> \"citat\" 'apostrof'",
      '=HYPERLINK("http://a/","b")',
      "\tTabb\r\nRad",
      "Styrtecken \u0000\u0001\u0008\u000b\u000c\u000e\u001f\u007f slut",
      "€ – ✓ 𝔘",
    ];
    for (const s of samples) expect(xmlText(s), JSON.stringify(s)).toBe(excelUtils.xmlEncode(s));
  });
});

describe("amount cells from PostgreSQL's text", () => {
  const oreText = fc.oneof(
    fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
    fc.bigInt({ min: -(2n ** 53n) - 200n, max: -(2n ** 53n) + 200n }),
    fc.bigInt({ min: 2n ** 53n - 200n, max: 2n ** 53n + 200n }),
    fc.bigInt({ min: -100_000n, max: 100_000n }),
  );

  it("print the same kronor, with the same style, as kronorNumber of the bigint", () => {
    fc.assert(
      fc.property(oreText, (ore) => {
        const text = ore.toString();
        expect(String(kronorFromOreText(Number(text), text))).toBe(String(kronorNumber(ore)));
        expect(wholeKronor(Number(text), text)).toBe(ore % 100n === 0n);
      }),
      { numRuns: 20_000 },
    );
  });

  it("sum exactly, also past 2^53", () => {
    fc.assert(
      fc.property(fc.array(oreText, { maxLength: 60 }), (amounts) => {
        const sum = new OreSum();
        for (const ore of amounts) sum.add(Number(ore.toString()), ore.toString());
        expect(sum.value).toBe(amounts.reduce((s, x) => s + x, 0n));
      }),
      { numRuns: 5_000 },
    );
  });
});
