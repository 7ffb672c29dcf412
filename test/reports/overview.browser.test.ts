// The coordinator's and the boards' journeys in Chromium against the production
// build with the demo scenario: the overview per board, a filter, the workbook
// downloaded from the page (its totals equal the database's), a background
// export to the end, budget at a glance for an assignment, an allocation and a
// call, and an axe check on every page on the way.
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useAppServer } from "../support/app-server";
import { newPage, useBrowser } from "../support/browser";
import { sessionCookie } from "../access/world";
import { formatKronor } from "../../app/lib/money";
import { databaseTruth } from "./truth";

const app = useAppServer();
const chrome = useBrowser();
let mvk: { id: string; title: string };

beforeAll(async () => {
  mvk = await app.database.db.assignment.findUniqueOrThrow({ where: { reference: "MVK-2020-2021" }, select: { id: true, title: true } });
}, 60_000);

async function signedIn(email: string) {
  const user = await app.database.db.user.findUniqueOrThrow({ where: { email } });
  const opened = await newPage(chrome.browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const [name, value] = (await sessionCookie(app.database.db, user.id)).split("=");
  await opened.context.addCookies([{ name, value, url: app.baseUrl }]);
  return opened;
}

async function expectAccessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  expect(bad, what).toEqual([]);
}

const norm = (s: string | null) => (s ?? "").replace(/\u00a0|\u2009/g, " ").replace(/\s+/g, " ").trim();

describe("samordning in Chromium", () => {
  it("the coordinator sees every board side by side, filters, and downloads a workbook whose totals equal the database", async () => {
    const { context, page, errors } = await signedIn("samordnare@demo.lansstyrelsen.se");
    await page.goto(`${app.baseUrl}/samordning`);
    await expectAccessible(page, "/samordning");
    await page.getByRole("link", { name: mvk.title }).click();
    await page.waitForURL(`**/samordning/${mvk.id}`);
    await expectAccessible(page, "/samordning/:id");

    const truth = await databaseTruth(app.database.db, mvk.id);
    const table = page.getByRole("table", { name: "Medel per länsstyrelse" });
    const boards = await table.locator("tbody th").allTextContents();
    expect(boards).toHaveLength(4);
    expect(boards).toContain("Länsstyrelsen Östergötland");
    const header = (await table.locator("thead th").allTextContents()).map(norm);
    const totals = (await table.locator("tfoot").locator("th, td").allTextContents()).map(norm);
    expect(totals[header.indexOf("Beviljat")]).toBe(norm(formatKronor(BigInt(truth.decided))));
    expect(totals[header.indexOf("Utbetalt")]).toBe(norm(formatKronor(BigInt(truth.paid))));
    expect(await page.locator("svg[role=img] title").first().textContent()).toBe("Medel per länsstyrelse");

    // Filter by year: the URL keeps the filter, and so do the download links.
    await page.getByLabel("År (när utlysningen öppnade)").selectOption("2021");
    await page.getByRole("button", { name: "Visa" }).click();
    await page.waitForURL((u) => u.searchParams.get("ar") === "2021");
    await expect.poll(() => page.getByRole("link", { name: "Exportera redovisning (Excel)" }).getAttribute("href")).toContain("ar=2021");
    await expectAccessible(page, "/samordning/:id?ar=2021");

    await page.goto(`${app.baseUrl}/samordning/${mvk.id}`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Exportera redovisning (Excel)" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^redovisning-MVK-2020-2021-\d{4}-\d\d-\d\d\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const summary = wb.getWorksheet("Sammanställning")!;
    const headers = summary.getRow(1).values as string[];
    const sumRow = summary.getRow(6);
    expect(sumRow.getCell(1).value).toBe("Summa");
    const granted = sumRow.getCell(headers.indexOf("Beviljat")).value as { formula: string; result: number };
    expect(granted.formula).toMatch(/^SUM\(/);
    expect(Math.round(granted.result * 100)).toBe(Number(truth.decided));
    expect(wb.getWorksheet("Beviljade ansökningar")!.rowCount - 2).toBe(Number(truth.grants));
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it("a background export shows its progress and ends with a link to the file", async () => {
    const { context, page, errors } = await signedIn("samordnare@demo.lansstyrelsen.se");
    await page.goto(`${app.baseUrl}/samordning/${mvk.id}`);
    await page.getByRole("button", { name: "Exportera redovisning i bakgrunden" }).click();
    await page.waitForURL(/\/samordning\/export\/[0-9a-f-]{36}$/);
    await expectAccessible(page, "/samordning/export/:id");
    // The page refreshes itself until the job is done.
    await expect.poll(() => page.getByRole("status").textContent(), { timeout: 60_000 }).toContain("Klar");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Ladda ner redovisningen/ }).click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    expect(wb.worksheets.map((s) => s.name)).toContain("Om rapporten");
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("a board's officer sees only their own board; budget at a glance for the assignment, their allocation and a call", async () => {
    const { context, page, errors } = await signedIn("handlaggare@demo.lansstyrelsen.se");
    await page.goto(`${app.baseUrl}/samordning/${mvk.id}`);
    const boards = await page.getByRole("table", { name: "Medel per länsstyrelse" }).locator("tbody th").allTextContents();
    expect(boards).toEqual(["Länsstyrelsen Östergötland"]);

    await page.goto(`${app.baseUrl}/uppdrag/${mvk.id}`);
    await expectAccessible(page, "/uppdrag/:id");
    const truth = await databaseTruth(app.database.db, mvk.id);
    const facts = norm(await page.locator("#budget-glance + dl").textContent());
    expect(facts).toContain(`Beviljat${norm(formatKronor(BigInt(truth.decided)))}`);

    const board = await app.database.db.organization.findFirstOrThrow({ where: { kind: "county_board", countyCode: "05" } });
    await page.getByLabel("Visa budget för").selectOption(board.id);
    await page.getByRole("button", { name: "Visa" }).click();
    await page.waitForURL((u) => u.searchParams.get("lansstyrelse") === board.id);
    const own = await databaseTruth(app.database.db, mvk.id, board.id);
    expect(norm(await page.locator("#budget-glance + dl").textContent())).toContain(`Beviljat${norm(formatKronor(BigInt(own.decided)))}`);
    await expectAccessible(page, "/uppdrag/:id?lansstyrelse");

    await page.getByRole("table", { name: /Per utlysning/ }).locator("tbody a").first().click();
    await page.waitForURL(/\/utlysningar\/[0-9a-f-]{36}\/budget$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toMatch(/^Budget: /);
    await expectAccessible(page, "/utlysningar/:id/budget");
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("an officer imports earlier years from the template: a bad file comes back with a Fel column, a good one is imported once", async () => {
    const db = app.database.db;
    const board = await db.organization.findFirstOrThrow({ where: { kind: "county_board", countyCode: "05" } });
    const call = await db.call.findFirstOrThrow({ where: { boardId: board.id, allocation: { assignmentId: mvk.id } }, orderBy: { opensAt: "asc" } });
    const { context, page, errors } = await signedIn("handlaggare@demo.lansstyrelsen.se");
    await page.goto(`${app.baseUrl}/samordning/import`);
    await expectAccessible(page, "/samordning/import");
    const [template] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "mallen för import (Excel)" }).click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await template.path())!);
    const sheet = wb.getWorksheet("Bidrag")!;
    const row = (nr: string, orgNumber: string) => ["MVK-2020-2021", call.title, nr, orgNumber, "Föreningen Trygga Östergötland", "Ideell förening", "0580", "Stödgrupper för unga", "2019-06-01", "2020-05-31", "10000", "Bifall", "10000", "2019-05-15", "5000", ""];
    sheet.addRow(row("IMP-2019-0001", "802000-0009"));
    sheet.addRow(row("IMP-2019-0002", "802000-0004"));
    const bad = path.join(os.tmpdir(), `import-bad-${Date.now()}.xlsx`);
    await wb.xlsx.writeFile(bad);

    await page.getByLabel("Excel-fil (.xlsx)").setInputFiles(bad);
    await page.getByRole("button", { name: "Importera" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Ingenting har importerats");
    await expect.poll(() => page.locator("#fel + p a, #fel ~ p a").first().textContent()).toContain("Ladda ner filen med kolumnen Fel");
    expect(await page.locator("main").textContent()).toContain("Rad 3: Organisationsnummer");
    await expectAccessible(page, "/samordning/import (fel)");
    expect(await db.application.count({ where: { registrationNumber: { startsWith: "IMP-2019-" } } })).toBe(0);

    sheet.getRow(3).getCell(4).value = "802000-0017";
    const good = path.join(os.tmpdir(), `import-good-${Date.now()}.xlsx`);
    await wb.xlsx.writeFile(good);
    for (const time of ["first", "second"]) {
      await page.goto(`${app.baseUrl}/samordning/import`);
      await page.getByLabel("Excel-fil (.xlsx)").setInputFiles(good);
      await page.getByRole("button", { name: "Importera" }).click();
      await expect.poll(() => page.getByRole("status").textContent(), { timeout: 20_000 }).toContain(time === "first" ? "Importen är klar: 2 ärenden skapades" : "Filen är redan importerad");
    }
    expect(await db.application.count({ where: { registrationNumber: { startsWith: "IMP-2019-" } } })).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("an applicant gets no overview and no files", async () => {
    const { context, page } = await signedIn("sokande@demo.linkoping.se");
    const res = await page.goto(`${app.baseUrl}/samordning/${mvk.id}`);
    expect(res?.status()).toBe(404);
    const file = await page.request.get(`${app.baseUrl}/samordning/${mvk.id}/redovisning.xlsx`);
    expect(file.status()).toBe(404);
    await context.close();
  });
});
