// The grant rows as CSV (Swedish Excel and standard) and as 360Giving JSON, from a
// generated data set: same rows as the workbook, sums equal the database, text
// that looks like a formula is inert, Swedish characters survive.
import { mkdtemp, readFile } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import os from "node:os";
import path from "node:path";
import { finished } from "node:stream/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { generateDataset, type Dataset } from "../bench/dataset";
import { writeGiving360, writeGrantsCsv, type CsvFlavour } from "../../app/reports/opendata.server";
import { GRANT_COLUMNS } from "../../app/reports/grant-columns";
import type { ReportFilter } from "../../app/reports/figures.server";
import { databaseTruth } from "./truth";

const t = useTestDatabase();
let ds: Dataset;
let dir: string;
let truth: Record<string, string>;
const SWEDISH = "Föreningen Ärlig & Öppen; \"citat\"";

beforeAll(async () => {
  ds = await generateDataset(t.url, { applications: 300, seed: 21 });
  const first = await t.db.application.findFirstOrThrow({ where: { grant: { state: { not: "cancelled" } } }, orderBy: { registrationNumber: "asc" } });
  await t.db.application.update({ where: { id: first.id }, data: { title: "=cmd|' /C calc'!A0" } });
  await t.db.organization.update({ where: { id: first.applicantOrgId }, data: { name: SWEDISH } });
  truth = await databaseTruth(t.db, ds.assignmentId);
  dir = await mkdtemp(path.join(os.tmpdir(), "opendata-"));
}, 120_000);

const filter = (): ReportFilter => ({ assignmentId: ds.assignmentId, boardIds: null, year: null, callId: null });

async function written(name: string, write: (out: NodeJS.WritableStream & import("node:stream").Writable) => Promise<void>) {
  const file = path.join(dir, name);
  const out = createWriteStream(file);
  const done = finished(out);
  await write(out);
  await done;
  return readFile(file);
}

/** RFC 4180 with a chosen separator. */
function parse(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  return rows;
}

describe("CSV and open data", () => {
  for (const [flavour, sep, decimal] of [
    ["excel-sv", ";", ","],
    ["standard", ",", "."],
  ] as [CsvFlavour, string, string][]) {
    it(`CSV (${flavour}): every grant once, sums equal the database, inert formulas, Swedish intact`, async () => {
      const bytes = await written(`${flavour}.csv`, (out) => writeGrantsCsv(out, filter(), flavour, { databaseUrl: t.url }));
      const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      expect(hasBom).toBe(flavour === "excel-sv");
      const rows = parse(bytes.toString("utf8").replace(/^\uFEFF/, ""), sep);
      expect(rows[0]).toEqual(GRANT_COLUMNS.map((c) => c.header));
      const body = rows.slice(1);
      expect(body).toHaveLength(Number(truth.grants));
      const col = (h: string) => rows[0].indexOf(h);
      const ore = (s: string) => {
        const [whole, frac = ""] = s.split(decimal);
        return BigInt(whole) * 100n + BigInt((frac + "00").slice(0, 2));
      };
      expect(body.reduce((s, r) => s + ore(r[col("Beviljat")]), 0n)).toBe(BigInt(truth.decided));
      expect(body.reduce((s, r) => s + ore(r[col("Utbetalt")]), 0n)).toBe(BigInt(truth.paid));
      const titles = body.map((r) => r[col("Titel")]);
      expect(titles).toContain("'=cmd|' /C calc'!A0");
      expect(titles.some((x) => /^[=+\-@]/.test(x))).toBe(false);
      expect(body.map((r) => r[col("Mottagare")])).toContain(SWEDISH);
      expect(body[0][col("Projektstart")]).toMatch(/^\d{4}-\d\d-\d\d$/);
    });
  }

  it("360Giving JSON: core fields, identifiers with prefixes, amounts that add up to what was awarded", async () => {
    const json = JSON.parse((await written("360.json", (out) => writeGiving360(out, filter(), { databaseUrl: t.url }))).toString("utf8")) as { grants: Record<string, unknown>[] };
    expect(json.grants).toHaveLength(Number(truth.grants));
    const g = json.grants[0] as {
      id: string;
      title: string;
      currency: string;
      amountAwarded: number;
      awardDate: string;
      recipientOrganization: { id: string; name: string }[];
      fundingOrganization: { id: string; name: string }[];
      plannedDates: { startDate: string; endDate: string }[];
    };
    expect(g.id).toMatch(/^360G-lansstyrelsen-\d\d-2022-\d{4}$/);
    expect(g.currency).toBe("SEK");
    expect(g.awardDate).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(g.recipientOrganization[0].id).toMatch(/^SE-BLV-\d{10}$/);
    expect(g.fundingOrganization[0]).toMatchObject({ id: expect.stringMatching(/^SE-BLV-2021000\d{3}$/), name: expect.stringMatching(/^Länsstyrelsen /) });
    expect(g.plannedDates[0]).toMatchObject({ startDate: "2022-06-01", endDate: "2023-05-31" });
    expect(new Set(json.grants.map((x) => x.id)).size).toBe(json.grants.length);
    const awarded = json.grants.reduce((s, x) => s + Math.round((x.amountAwarded as number) * 100), 0);
    expect(BigInt(awarded)).toBe(BigInt(truth.decided));
    expect(json.grants.map((x) => (x.recipientOrganization as { name: string }[])[0].name)).toContain(SWEDISH);
  });
});
