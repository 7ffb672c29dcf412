// Detail rows are written from the bytes of PostgreSQL's COPY text (RowEncoder,
// sheet-rows.server.ts): each row must come out exactly as the string writer made it from
// the same values (text through inertText and xmlText, which xml-text.test.ts holds to
// ExcelJS's own escaping; amounts through kronorFromOreText; numbers as JavaScript prints
// them). Checked on generated values against the COPY escaping as PostgreSQL documents it,
// and on hostile values that went through a real COPY.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inertText } from "../../app/reports/cells";
import { OreSum, RowEncoder, kronorFromOreText, wholeKronor, xmlText, type RowColumn, type RowStyles } from "../../app/reports/sheet-rows.server";
import { openExportSources } from "../../app/reports/source.server";
import { useTestDatabase } from "../support/db";

const t = useTestDatabase();
const STYLES: RowStyles = { plain: ' s="1"', whole: ' s="2"', ore: ' s="3"', date: ' s="4"' };
const LABELS: Record<string, string> = { municipality: "Kommun", odd: "=Formel & <etikett>" };
const COLUMNS: RowColumn[] = [
  { kind: "text" },
  { kind: "money" },
  { kind: "date" },
  { kind: "int" },
  { kind: "number" },
  { kind: "text", label: (raw) => (Object.hasOwn(LABELS, raw) ? LABELS[raw] : raw) },
  { kind: "money" },
  { kind: "text" },
];
const LETTERS = COLUMNS.map((_, i) => String.fromCharCode(65 + i));

/** The row as the string writer made it (workbook.server.ts before COPY): the reference. */
function stringRow(values: (string | null)[], r: number): string {
  let xml = `<row r="${r}">`;
  values.forEach((v, i) => {
    if (v === null) return;
    const ref = `${LETTERS[i]}${r}`;
    const column = COLUMNS[i];
    if (column.kind === "money") {
      const ore = Number(v);
      xml += `<c r="${ref}"${wholeKronor(ore, v) ? STYLES.whole : STYLES.ore}><v>${kronorFromOreText(ore, v)}</v></c>`;
    } else if (column.kind === "date") xml += `<c r="${ref}"${STYLES.date}><v>${v}</v></c>`;
    else if (column.kind === "int" || column.kind === "number") xml += `<c r="${ref}"${STYLES.plain}><v>${Number(v)}</v></c>`;
    else xml += `<c r="${ref}"${STYLES.plain} t="str"><v>${xmlText(inertText(column.label ? column.label(v) : v))}</v></c>`;
  });
  return `${xml}</row>`;
}

/** A row in COPY's text format, escaped as PostgreSQL documents it. */
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" };
const copyRow = (values: (string | null)[]) => `${values.map((v) => (v === null ? "\\N" : v.replace(/[\\\b\f\n\r\t\v]/g, (c) => ESCAPES[c]))).join("\t")}\n`;

function encoded(rows: (string | null)[][] | Buffer[], first = 2): { xml: string; sums: bigint[] } {
  const encoder = new RowEncoder(COLUMNS, LETTERS, STYLES);
  const sums = COLUMNS.map(() => new OreSum());
  rows.forEach((row, k) => {
    const bytes = Buffer.isBuffer(row) ? row : Buffer.from(copyRow(row), "utf8");
    encoder.encode(bytes, 0, bytes.length - 1, first + k, sums);
  });
  return { xml: encoder.take().toString("utf8"), sums: sums.map((s) => s.value) };
}

const nasty = fc.constantFrom("=", "+", "-", "@", "\t", "\r", "\n", "\\", "\\N", "&", "<", ">", "'", '"', "\u0000", "\u0001", "\b", "\v", "\f", "\u001f", "\u007f", "å", "Ö", "€", "𝔘", " ");
const text = fc.oneof(fc.string({ unit: fc.oneof(nasty, fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })), maxLength: 12 }), fc.string({ unit: "grapheme" }));
const ore = fc.oneof(fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }), fc.bigInt({ min: -100_000n, max: 100_000n }), fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), fc.constant(0n));
const orNull = <T,>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 5 });
const row = fc.tuple(
  orNull(text),
  orNull(ore.map(String)),
  orNull(fc.integer({ min: -1000, max: 80_000 }).map(String)),
  orNull(fc.integer().map(String)),
  orNull(fc.oneof(fc.constantFrom("12.50", "0.00", "-0.50", "3", "100.10"), fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => d.toFixed(2)))),
  orNull(fc.oneof(fc.constantFrom("municipality", "odd"), text)),
  orNull(fc.constantFrom("123400", "5", "-7", "0", "99", "100", "12345678901234567890", "-9007199254740993")),
  orNull(text),
);

describe("rows from COPY bytes", () => {
  it("are the rows the string writer made from the same values, with the same sums", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), fc.integer({ min: 2, max: 1_048_576 }), (rows, first) => {
        const { xml, sums } = encoded(rows, first);
        expect(xml).toBe(rows.map((r, k) => stringRow(r, first + k)).join(""));
        for (const col of [1, 6]) expect(sums[col]).toBe(rows.reduce((s, r) => s + (r[col] === null ? 0n : BigInt(r[col]!)), 0n));
      }),
      { numRuns: 3_000 },
    );
  });

  it("read hostile text from a real COPY as PostgreSQL escapes it", async () => {
    const values = [
      "=HYPERLINK(\"http://angripare.example/\",\"Klicka\")",
      "\tTabbstart",
      "\r\nRadbrytning",
      "back\\slash \\N \\t",
      "Styrtecken \u0001\u0008\u000b\u000c\u000e\u001f\u007f slut",
      "\u0001=HYPERLINK(\"http://angripare.example/\",\"Styrtecken\")",
      "\u000b\u0008+SUM(3,4)",
      "Föreningen Åsa & Örjan – <hjälp> 'för' \"alla\" 𝔘",
      "",
    ];
    const [source] = await openExportSources(t.url, { filter: { assignmentId: "00000000-0000-0000-0000-000000000000", boardIds: null, year: null, callId: null }, today: "2026-11-23" }, ["grants"]);
    try {
      await source.rows({ text: "create temp table hostile (n int, v text)", values: [] });
      await source.rows({ text: "insert into hostile select n, v from unnest($1::text[]) with ordinality as x(v, n)", values: [values] });
      const copied: Buffer[] = [];
      const select = `select v, (n * 12345)::bigint, n, -n, (n / 4.0)::numeric(14, 2), case when n = 1 then 'odd' else v end, null, nullif(v, '') from hostile order by n`;
      await source.copy({ text: select, values: [] }).each({ row: (bytes) => void copied.push(Buffer.from(bytes)), blocked: () => null });
      const plain = await source.rows<Record<string, string | null>>({ text: select.replace("select v,", "select v as c0,"), values: [] });
      expect(copied).toHaveLength(values.length);
      const asText = (await source.rows<{ r: (string | null)[] }>({ text: `select array[v, (n * 12345)::bigint::text, n::text, (-n)::text, (n / 4.0)::numeric(14, 2)::text, case when n = 1 then 'odd' else v end, null, nullif(v, '')] as r from hostile order by n`, values: [] })).map((x) => x.r);
      expect(plain).toHaveLength(values.length);
      expect(encoded(copied).xml).toBe(asText.map((r, k) => stringRow(r, 2 + k)).join(""));
      expect(asText.map((r) => r[0])).toEqual(values);
    } finally {
      await source.close();
    }
  }, 60_000);
});
