// Import of earlier years' grants on real PostgreSQL: a good file becomes cases
// the rest of the system accepts (statechart states, budget counters, audit
// trail, reconcile() clean); each kind of bad row is reported in a "Fel" column
// and nothing is imported; importing the same file or the same rows again
// creates nothing new.
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { boardOf, makePublishedCall, makeUser } from "../support/fixtures";
import { IMPORT_COLUMNS, IMPORT_SHEET, importGrants, importTemplate } from "../../app/reports/import.server";
import { reconcile } from "../../app/workflow/budget.server";
import { verifyAuditChains } from "../../app/workflow/audit.server";
import { allowedEvents } from "../../app/workflow/engine.server";
import { orgNumberFromBase } from "../../app/lib/org-number";
import type { Principal } from "../../app/access/permissions.server";

const t = useTestDatabase();
let officer: Principal;
let otherOfficer: Principal;
let world: Awaited<ReturnType<typeof makePublishedCall>>;

type Row = Partial<Record<(typeof IMPORT_COLUMNS)[number]["key"], string | number | Date>>;

const good = (n: number, over: Row = {}): Row => ({
  assignment: world.assignment.reference,
  call: "Utvecklingsmedel 2020",
  registrationNumber: `ÄLD-2019-${String(n).padStart(4, "0")}`,
  orgNumber: orgNumberFromBase(`21200058${n % 10}`),
  orgName: `Kommunen nr ${n}`,
  kind: "Kommun",
  municipality: "0580",
  title: `Trygg i Linköping ${n}`,
  projectStart: new Date(Date.UTC(2019, 5, 1)),
  projectEnd: "2020-05-31",
  requested: 200000,
  outcome: "Bifall",
  granted: "200 000",
  decidedOn: "2019-05-15",
  paid: 50000,
  category: "",
  ...over,
});

async function workbook(rows: Row[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await importTemplate()) as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet(IMPORT_SHEET)!;
  for (const r of rows) sheet.addRow(IMPORT_COLUMNS.map((c) => r[c.key] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function feedback(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet(IMPORT_SHEET)!;
  const headers = (sheet.getRow(1).values as string[]).slice(1);
  const col = headers.indexOf("Fel") + 1;
  expect(col).toBeGreaterThan(0);
  const out = new Map<number, string>();
  for (let r = 2; r <= sheet.rowCount; r++) {
    const v = sheet.getRow(r).getCell(col).value;
    if (v) out.set(r, String(v));
  }
  return out;
}

const count = () => t.db.application.count({ where: { importBatchId: { not: null } } });

beforeAll(async () => {
  const board = await boardOf(t.db, "05");
  officer = await makeUser(t.db, [{ organizationId: board.id, role: "officer" }], "Importerande handläggare");
  const other = await boardOf(t.db, "01");
  otherOfficer = await makeUser(t.db, [{ organizationId: other.id, role: "officer" }], "Handläggare i Stockholm");
  world = await makePublishedCall(t.db, officer, board.id);
});

describe("import of earlier years", () => {
  it("offers a documented template", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await importTemplate()) as unknown as ArrayBuffer);
    expect((wb.getWorksheet(IMPORT_SHEET)!.getRow(1).values as string[]).slice(1)).toEqual(IMPORT_COLUMNS.map((c) => c.header));
    const help = wb.getWorksheet("Instruktioner")!;
    expect(help.getColumn(1).values).toEqual(expect.arrayContaining(IMPORT_COLUMNS.map((c) => c.header)));
  });

  it("imports a good file in one go, as cases the rest of the system accepts", async () => {
    const bytes = await workbook([
      good(1),
      good(2, { outcome: "Delvis bifall", granted: 150000, paid: "", category: "Medlen räckte inte" }),
      good(3, { outcome: "Avslag", granted: "", paid: "", category: "Utanför utlysningens prioriteringar" }),
    ]);
    const callBefore = await t.db.call.findUniqueOrThrow({ where: { id: world.call.id } });
    const result = await importGrants(t.db, officer, { name: "2019.xlsx", bytes });
    expect(result).toMatchObject({ ok: true, created: 3, skipped: 0, alreadyImported: false });

    const apps = await t.db.application.findMany({ where: { importBatchId: { not: null } }, include: { decisions: true, grant: { include: { disbursements: true, reports: true } } }, orderBy: { registrationNumber: "asc" } });
    expect(apps.map((a) => [a.registrationNumber, a.state])).toEqual([
      ["ÄLD-2019-0001", "grantActive.finalReport.due"],
      ["ÄLD-2019-0002", "grantActive.finalReport.due"],
      ["ÄLD-2019-0003", "rejected"],
    ]);
    expect(apps[0].grant!.paidOre).toBe(5_000_000n);
    expect(apps[0].grant!.disbursements.map((d) => [d.state, d.amountOre])).toEqual([
      ["paid", 5_000_000n],
      ["planned", 15_000_000n],
    ]);
    expect(apps[1].decisions[0]).toMatchObject({ outcome: "partly_approved", grantedOre: 15_000_000n, rejectionCategory: "budget_exhausted" });
    expect(apps[2].decisions[0]).toMatchObject({ outcome: "rejected", rejectionCategory: "outside_priorities" });
    // The call's budget counter moved through the same conditional update as a decision in the app.
    const callAfter = await t.db.call.findUniqueOrThrow({ where: { id: world.call.id } });
    expect(callAfter.grantedOre - callBefore.grantedOre).toBe(35_000_000n);
    expect(await reconcile(t.db)).toEqual([]);
    expect((await verifyAuditChains(t.db)).firstBreak).toBeNull();
    // An imported grant goes on like any other: the recipient can hand in the final report.
    const applicant = await makeUser(t.db, [{ organizationId: apps[0].applicantOrgId, role: "applicant" }]);
    expect(await allowedEvents(t.db, applicant, "application", apps[0].id)).toContain("SUBMIT_REPORT");
  });

  it("importing the same file again, or the same rows in another file, creates nothing new", async () => {
    const before = await count();
    const bytes = await workbook([good(1), good(2, { outcome: "Delvis bifall", granted: 150000, paid: "", category: "Medlen räckte inte" }), good(3, { outcome: "Avslag", granted: "", paid: "", category: "Utanför utlysningens prioriteringar" })]);
    const again = await importGrants(t.db, officer, { name: "2019.xlsx", bytes });
    expect(again).toMatchObject({ ok: true, created: 0 });
    const renamed = await importGrants(t.db, officer, { name: "2019-kopia.xlsx", bytes: await workbook([good(1), good(3, { outcome: "Avslag", granted: "", paid: "" })]) });
    expect(renamed).toMatchObject({ ok: true, created: 0, skipped: 2 });
    expect(await count()).toBe(before);
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("reports each kind of bad row in a Fel column and imports nothing, not even the good rows", async () => {
    const before = await count();
    const rows: [Row, RegExp][] = [
      [good(10), /^$/],
      [good(11, { orgNumber: "212000-0143" }), /Organisationsnummer: .*kontrollera sista siffran/],
      [good(12, { municipality: "9999" }), /Kommunkod: 9999 är ingen kommunkod/],
      [good(13, { requested: "tvåhundratusen" }), /Sökt belopp:/],
      [good(14, { decidedOn: "2019-02-30" }), /Beslutsdatum: Datumet finns inte i kalendern/],
      [good(15, { assignment: "OKÄNT-UPPDRAG" }), /Uppdrag: det finns inget uppdrag med diarienumret OKÄNT-UPPDRAG/],
      [good(16, { call: "Okänd utlysning" }), /Utlysning: uppdraget har ingen utlysning "Okänd utlysning"/],
      [good(17, { outcome: "Delvis bifall", granted: 300000 }), /vid delvis bifall ska det vara större än 0 och mindre än sökt/],
      [good(18, { paid: 250000 }), /Utbetalt: får vara högst det beviljade beloppet/],
      [good(19, { outcome: "Avslag", granted: 1000 }), /Beviljat belopp: ska vara tomt eller 0 vid avslag/],
      [good(20, { projectEnd: "2019-01-01" }), /Projektslut: ska vara samma dag som eller efter projektstart/],
      [good(21, { kind: "Förening" }), /Organisationstyp:/],
      // A number cell with a third decimal is refused, not rounded to the öre.
      [good(22, { requested: 200000.005, granted: 200000.005 }), /Sökt belopp: Beloppet kan ha högst två decimaler/],
      [good(23, { requested: 0, granted: 0, paid: 0 }), /Sökt belopp: ska vara större än 0 kr/],
      [good(10), /Diarienummer: ÄLD-2019-0010 finns på flera rader/],
    ];
    const result = await importGrants(t.db, officer, { name: "fel.xlsx", bytes: await workbook(rows.map(([r]) => r)) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain("Ingenting har importerats");
    const fel = await feedback(result.errorWorkbook);
    // An amount that could not be read is not also called zero.
    expect(fel.get(14)).not.toMatch(/ska vara större än 0 kr/);
    rows.forEach(([, want], i) => {
      const line = i + 2;
      if (want.source === "^$") expect(fel.has(line), `line ${line}`).toBe(false);
      else expect(fel.get(line), `line ${line}`).toMatch(want);
    });
    expect(await count()).toBe(before);
  });

  it("reads number cells exactly to the öre, a computed cell's binary noise included", async () => {
    const result = await importGrants(t.db, officer, { name: "ore.xlsx", bytes: await workbook([good(50, { requested: 250000.5, granted: 250000.5, paid: 0.1 + 0.2 })]) });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const app = await t.db.application.findFirstOrThrow({ where: { registrationNumber: "ÄLD-2019-0050" }, include: { grant: true } });
    expect([app.requestedOre, app.grant!.amountOre, app.grant!.paidOre]).toEqual([25_000_050n, 25_000_050n, 30n]);
  });

  it("a file sent back with its Fel column gets that column rewritten: one Fel column, no stale message", async () => {
    const first = await importGrants(t.db, officer, { name: "fel1.xlsx", bytes: await workbook([good(60, { municipality: "9999" }), good(61, { kind: "Förening" })]) });
    expect(first.ok).toBe(false);
    if (first.ok) return;
    // The officer fixes the first row in the returned file and sends it again.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(first.errorWorkbook as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet(IMPORT_SHEET)!;
    const municipalityCol = IMPORT_COLUMNS.findIndex((c) => c.key === "municipality") + 1;
    sheet.getRow(2).getCell(municipalityCol).value = "0580";
    const second = await importGrants(t.db, officer, { name: "fel2.xlsx", bytes: Buffer.from(await wb.xlsx.writeBuffer()) });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(second.errorWorkbook as unknown as ArrayBuffer);
    const headers = (back.getWorksheet(IMPORT_SHEET)!.getRow(1).values as unknown[]).slice(1);
    expect(headers.filter((h) => h === "Fel")).toHaveLength(1);
    const fel = await feedback(second.errorWorkbook);
    expect(fel.has(2)).toBe(false);
    expect(fel.get(3)).toMatch(/Organisationstyp:/);
  });

  it("rolls the whole file back when a row does not fit the call's budget", async () => {
    const before = await count();
    const call = await t.db.call.findUniqueOrThrow({ where: { id: world.call.id } });
    const left = Number((call.budgetOre - call.grantedOre) / 100n);
    const result = await importGrants(t.db, officer, { name: "stor.xlsx", bytes: await workbook([good(30, { requested: 1000, granted: 1000, paid: 0 }), good(31, { requested: left + 1, granted: left + 1, paid: 0 })]) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([...(await feedback(result.errorWorkbook)).values()].join()).toMatch(/ryms inte i utlysningen/);
    expect(await count()).toBe(before);
    expect((await t.db.call.findUniqueOrThrow({ where: { id: world.call.id } })).grantedOre).toBe(call.grantedOre);
    expect(await reconcile(t.db)).toEqual([]);
  });

  it("another board's officer cannot import into this board's call", async () => {
    const result = await importGrants(t.db, otherOfficer, { name: "x.xlsx", bytes: await workbook([good(40)]) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([...(await feedback(result.errorWorkbook)).values()].join()).toMatch(/Uppdrag: det finns inget uppdrag/);
  });
});
