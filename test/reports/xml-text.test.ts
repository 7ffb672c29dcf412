// The workbook writes detail rows as SpreadsheetML text itself (workbook.server.ts): its
// escaping must be exactly ExcelJS's, which the rest of the file and both readers rely on.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { xmlText } from "../../app/reports/workbook.server";

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
