// The redovisning workbook, written by the streaming writer from a generated
// data set, read back twice: by ExcelJS and by LibreOffice headless (which
// recalculates every formula). Totals equal the database's own sums, user text
// that looks like a formula arrives as inert text, Swedish characters survive,
// and a sheet that would pass the row limit continues on a new sheet.
import { createWriteStream } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { generateDataset, type Dataset } from "../bench/dataset";
import { exportRedovisning } from "../../app/reports/redovisning.server";
import { DETAIL_SHEETS, SHEETS_AHEAD, SUMMARY_HEADERS, detailSheetSql } from "../../app/reports/workbook.server";
import { openExportSources, type ExportSource } from "../../app/reports/source.server";
import { databaseTruth } from "./truth";
import { sheetsViaLibreOffice } from "./libreoffice";

const t = useTestDatabase();
let ds: Dataset;
let dir: string;
let file: string;
let truth: Record<string, string>;
const kr = (ore: string | bigint) => Number(BigInt(ore)) / 100;

// The last two start with control characters that XML cannot hold: dropped on the way, they
// must not leave a formula behind them.
const HOSTILE = ['=HYPERLINK("http://angripare.example/","Klicka")', "+SUM(1,2)", "-2+3 kronor", "@SUM(A1)", "\tTabbstart", "\r\nRadbrytning", '\u0001=HYPERLINK("http://angripare.example/","Styrtecken")', "\u000b\u0002+SUM(3,4)"];
// eslint-disable-next-line no-control-regex
const asWritten = (s: string) => s.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, "");
const SWEDISH = "Föreningen Åsa & Örjan – hjälp för våldsutsatta i Malmö";

async function writeWorkbook(name: string, opts: { maxRowsPerSheet?: number; boardIds?: string[] | null } = {}) {
  const target = path.join(dir, name);
  const out = createWriteStream(target);
  const done = finished(out);
  const result = await exportRedovisning(
    out,
    { assignmentId: ds.assignmentId, boardIds: opts.boardIds ?? null, year: null, callId: null, exportedBy: "Samordnare Test" },
    { databaseUrl: t.url, maxRowsPerSheet: opts.maxRowsPerSheet },
  );
  await done;
  return { target, result };
}

beforeAll(async () => {
  ds = await generateDataset(t.url, { applications: 400, seed: 11 });
  // Recipients type what they like: titles that look like formulas, names with å, ä, ö.
  const granted = await t.db.application.findMany({ where: { grant: { state: { not: "cancelled" } } }, select: { id: true, applicantOrgId: true }, take: HOSTILE.length + 1, orderBy: { registrationNumber: "asc" } });
  for (const [i, title] of HOSTILE.entries()) await t.db.application.update({ where: { id: granted[i].id }, data: { title } });
  await t.db.organization.update({ where: { id: granted[HOSTILE.length].applicantOrgId }, data: { name: SWEDISH } });
  truth = await databaseTruth(t.db, ds.assignmentId);
  dir = await mkdtemp(path.join(os.tmpdir(), "redovisning-"));
  file = (await writeWorkbook("redovisning.xlsx")).target;
}, 180_000);

describe("redovisning workbook", () => {
  it("has the sheets of the issue, Swedish headers, frozen header rows, filters, and landscape fit-to-width print setup", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((s) => s.name)).toEqual(["Sammanställning", "Beviljade ansökningar", "Avslag och återtagna", "Utbetalningar", "Återkrav", "Resultat", "Om rapporten"]);
    const summary = wb.getWorksheet("Sammanställning")!;
    expect(summary.getRow(1).values).toEqual([undefined, ...SUMMARY_HEADERS]);
    for (const name of ["Sammanställning", "Beviljade ansökningar", "Utbetalningar"]) {
      const s = wb.getWorksheet(name)!;
      expect(s.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(s.autoFilter).toBeTruthy();
      expect(s.pageSetup).toMatchObject({ orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" });
    }
    // Amounts are numbers with a kronor format, dates are dates.
    const grants = wb.getWorksheet("Beviljade ansökningar")!;
    const headers = (grants.getRow(1).values as string[]).slice(1);
    const row2 = grants.getRow(2);
    const granted = row2.getCell(headers.indexOf("Beviljat") + 1);
    expect(typeof granted.value).toBe("number");
    expect(granted.numFmt).toContain('"kr"');
    expect(row2.getCell(headers.indexOf("Beslutsdatum") + 1).value).toBeInstanceOf(Date);
  });

  it("Sammanställning: one row per county board and totals rows whose formulas LibreOffice evaluates to the database's sums", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const summary = wb.getWorksheet("Sammanställning")!;
    const totalRow = summary.getRow(23);
    expect(totalRow.getCell(1).value).toBe("Summa");
    const col = (label: string) => SUMMARY_HEADERS.indexOf(label) + 1;
    expect(totalRow.getCell(col("Beviljat")).formula).toBe(`SUM(E2:E22)`);
    expect(totalRow.getCell(col("Beviljat")).result).toBe(kr(truth.decided));

    const lo = (await sheetsViaLibreOffice(file)).get("Sammanställning")!;
    expect(lo[0]).toEqual(SUMMARY_HEADERS);
    const boards = lo.slice(1, 22);
    expect(boards.map((r) => r[0])).toEqual(["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21", "22", "23", "24", "25"]);
    const total = lo[22];
    expect(total[0]).toBe("Summa");
    const num = (label: string) => Number(total[SUMMARY_HEADERS.indexOf(label)]);
    expect(num("Tilldelat")).toBe(kr(truth.allocated));
    expect(num("Sökt")).toBe(kr(truth.requested));
    expect(num("Beviljat")).toBe(kr(truth.decided));
    expect(num("Utbetalt")).toBe(kr(truth.paid));
    expect(num("Använt enligt redovisning")).toBe(kr(truth.used));
    expect(num("Återkrävt")).toBe(kr(truth.reclaimed));
    expect(num("Återbetalt")).toBe(kr(truth.repaid));
    expect(num("Kvar att bevilja")).toBe(kr(BigInt(truth.allocated) - BigInt(truth.decided)));
    expect(num("Inkomna")).toBe(Number(truth.received));
    expect(num("Återtagna")).toBe(Number(truth.withdrawn));
    expect(num("Bidrag")).toBe(Number(truth.grants));
    // The per-kind block below sums to the same.
    const kindTotal = lo.slice(24).find((r) => r[0] === "Summa")!;
    expect(Number(kindTotal[SUMMARY_HEADERS.indexOf("Beviljat")])).toBe(kr(truth.decided));
  }, 120_000);

  it("detail sheets: one row per grant, instalment and reclaim; their totals equal the database; hostile text is inert; Swedish survives", async () => {
    const sheets = await sheetsViaLibreOffice(file);
    const grants = sheets.get("Beviljade ansökningar")!;
    const h = grants[0];
    const body = grants.slice(1, -1);
    expect(body).toHaveLength(Number(truth.grants));
    const sum = grants.at(-1)!;
    expect(sum[0]).toBe("Summa");
    expect(Number(sum[h.indexOf("Beviljat")])).toBe(kr(truth.decided));
    expect(Number(sum[h.indexOf("Utbetalt")])).toBe(kr(truth.paid));
    // (LibreOffice writes a CR LF inside a cell as LF.)
    const titles = body.map((r) => r[h.indexOf("Titel")]);
    for (const hostile of HOSTILE) expect(titles).toContain(`'${asWritten(hostile).replace("\r\n", "\n")}`);
    expect(titles.some((x) => x.startsWith("="))).toBe(false);
    expect(body.map((r) => r[h.indexOf("Mottagare")])).toContain(SWEDISH);

    const payments = sheets.get("Utbetalningar")!;
    expect(Number(payments.at(-1)![payments[0].indexOf("Belopp")])).toBeGreaterThanOrEqual(kr(truth.paid));
    const paidRows = payments.slice(1, -1).filter((r) => r[payments[0].indexOf("Status")] === "Utbetald");
    const paidSum = paidRows.reduce((s, r) => s + Math.round(Number(r[payments[0].indexOf("Belopp")]) * 100), 0);
    expect(BigInt(paidSum)).toBe(BigInt(truth.paid));

    const reclaims = sheets.get("Återkrav")!;
    expect(reclaims.slice(1, -1).length).toBe(await t.db.reclaim.count());
    const rejected = sheets.get("Avslag och återtagna")!;
    const reasons = rejected.slice(1, -1).map((r) => r[rejected[0].indexOf("Skäl")]);
    expect(reasons).toContain("Ej angiven");
    expect(reasons).toContain("Återtagen av sökanden");
    expect(rejected.slice(1, -1)).toHaveLength(await t.db.application.count({ where: { OR: [{ state: "withdrawn" }, { state: "rejected" }] } }));
    expect(sheets.get("Resultat")!.length).toBeGreaterThan(1);
    expect(sheets.get("Om rapporten")!.flat()).toContain("Samordnare Test");
  }, 120_000);

  it("a sheet that would pass the row limit continues on numbered sheets, each with header and totals, and nothing is lost", async () => {
    const { target } = await writeWorkbook("split.xlsx", { maxRowsPerSheet: 60 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(target);
    const parts = wb.worksheets.filter((s) => s.name.startsWith("Beviljade ansökningar"));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[1].name).toBe("Beviljade ansökningar (2)");
    let rows = 0;
    let decided = 0;
    for (const s of parts) {
      expect(s.rowCount).toBeLessThanOrEqual(60);
      expect(s.getRow(1).getCell(1).value).toBe("Län");
      rows += s.rowCount - 2;
      const last = s.getRow(s.rowCount);
      expect(last.getCell(1).value).toBe("Summa");
      decided += Math.round(Number((last.getCell(13).value as { result: number }).result) * 100);
    }
    expect(rows).toBe(Number(truth.grants));
    expect(BigInt(decided)).toBe(BigInt(truth.decided));
  }, 60_000);

  it("waits for a slow reader instead of piling rows up in memory, and then finishes the same workbook", async () => {
    // A reader that takes nothing until released: the export must stop reading rows, not buffer them all.
    // An assignment of its own, with more rows than the zip's buffers hold (about a megabyte of packed XML).
    const big = await generateDataset(t.url, { applications: 20_000, seed: 12 });
    // Titles that do not compress, or a megabyte of buffers would hold the whole packed file.
    await t.db.$executeRawUnsafe(
      `update "Application" a set title = (select string_agg(md5(random()::text || a.id::text || n::text), '') from generate_series(1, 8) n)
        where a."callId" in (select c.id from "Call" c join "Allocation" al on al.id = c."allocationId" where al."assignmentId" = $1::uuid)`,
      big.assignmentId,
    );
    const held: (() => void)[] = [];
    let released = false;
    const chunks: Buffer[] = [];
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        if (released) callback();
        else held.push(() => callback());
      },
    });
    let rowsDone = 0;
    let rowsTotal = 0;
    const exporting = exportRedovisning(
      out,
      { assignmentId: big.assignmentId, boardIds: null, year: null, callId: null, exportedBy: "Samordnare Test" },
      { databaseUrl: t.url, batchSize: 500, onProgress: (done, total) => void ((rowsDone = done), (rowsTotal = total)) },
    );
    let complete = false;
    void exporting.then(() => (complete = true));
    // Stalled: no more rows for a whole second.
    while (rowsDone === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    let stalledAt = -1;
    while (stalledAt !== rowsDone) {
      stalledAt = rowsDone;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(complete).toBe(false);
    expect(stalledAt).toBeLessThan(rowsTotal / 2);
    expect(rowsDone).toBe(stalledAt);
    released = true;
    for (const callback of held.splice(0)) callback();
    const done = finished(out);
    await exporting;
    await done;
    expect(rowsDone).toBe(rowsTotal);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    expect(wb.getWorksheet("Beviljade ansökningar")!.rowCount).toBe(big.counts.grants + 2);
  }, 120_000);

  it("the light facts table of the second connection gives the grant sheets the same rows in the same order as the full table", async () => {
    const filter = { assignmentId: ds.assignmentId, boardIds: null, year: null, callId: null };
    const [full, light] = await openExportSources(t.url, { filter, today: "2026-11-23" }, ["full", "grants"]);
    try {
      const read = async (source: ExportSource, sql: ReturnType<typeof detailSheetSql>) => {
        const rows: string[] = [];
        await source.copy(sql).each({ row: (bytes) => void rows.push(bytes.toString("utf8")), blocked: () => null });
        return rows;
      };
      // Every sheet that hangs off a grant, also those read from the full table now.
      for (const sheet of DETAIL_SHEETS.filter((s) => s.from.includes("f.grant_id"))) {
        const fromFull = await read(full, detailSheetSql(sheet));
        expect(fromFull.length, sheet.name).toBeGreaterThan(0);
        expect(await read(light, detailSheetSql(sheet)), sheet.name).toEqual(fromFull);
      }
      expect(DETAIL_SHEETS.filter((s) => SHEETS_AHEAD.has(s.name)).every((s) => s.from.includes("f.grant_id"))).toBe(true);
    } finally {
      await Promise.all([full.close(), light.close()]);
    }
  }, 60_000);

  it("a failing output stops the export, and its unread sheets do not hold the connections", async () => {
    let written = 0;
    const out = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        // Fails once the first detail sheet has begun: the later sheets' COPYs are queued, none read.
        callback(written > 64 * 1024 ? new Error("the client went away") : null);
      },
    });
    out.on("error", () => {});
    const exporting = exportRedovisning(out, { assignmentId: ds.assignmentId, boardIds: null, year: null, callId: null, exportedBy: "Samordnare Test" }, { databaseUrl: t.url });
    const outcome = await Promise.race([exporting.then(() => "finished", () => "failed"), new Promise((resolve) => setTimeout(() => resolve("hung"), 20_000))]);
    expect(outcome).not.toBe("hung");
  }, 60_000);

  it("a board's own staff get only their board", async () => {
    const board = await t.db.organization.findFirstOrThrow({ where: { kind: "county_board", countyCode: "05" } });
    const { target } = await writeWorkbook("own.xlsx", { boardIds: [board.id] });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(target);
    const summary = wb.getWorksheet("Sammanställning")!;
    expect(summary.getRow(2).getCell(1).value).toBe("05");
    expect(summary.getRow(3).getCell(1).value).toBe("Summa");
    const grants = wb.getWorksheet("Beviljade ansökningar")!;
    for (let r = 2; r < grants.rowCount; r++) expect(grants.getRow(r).getCell(1).value).toBe("05");
  }, 60_000);
});
