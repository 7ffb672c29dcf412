// The applicant's whole journey in Chromium with JavaScript, against the production
// build: register an organization, find the call, start an application and save a
// draft, come back to it, submit, answer the officer's completion request, read the
// decision and its letter, request the money, and submit the final report. The board's
// staff act through the workflow engine. Every page of the journey is checked with axe:
// no serious or critical violations.
import { beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { orgNumberFromBase } from "../../app/lib/org-number";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { useWorldServer } from "../ui/world-server";
import { newPage, useBrowser } from "../support/browser";
import { buildSide, type Side } from "../access/world";
import { openCall, useTemporaryStorage } from "./helpers";

const app = useWorldServer();
const chrome = useBrowser();
useTemporaryStorage();
let A: Side;
const CALL_TITLE = "Utvecklingsmedel mot våld i nära relationer 2027";

beforeAll(async () => {
  A = await buildSide(app.database.db, "A");
  await openCall(app.database.db, A.users.officer, A.boardId, {
    title: CALL_TITLE,
    maxAmountOre: 50_000_000n,
    paymentRequestRequired: true,
    paymentRequestDays: 60,
    paymentTerms: { instalments: [{ sharePercent: 100, trigger: "at_start" }] },
    appealNotice: "Beslutet kan överklagas hos förvaltningsrätten. Överklagandet ska ha kommit in inom tre veckor.",
    indicators: [{ name: "Deltagare", unit: "personer" }],
  });
}, 180_000);

const POLL = { timeout: 15_000 };
/** Text as a reader sees it: amounts use no-break spaces between digit groups. */
const text = async (locator: Locator) => ((await locator.textContent()) ?? "").replace(/\u00a0/g, " ");
const hydrated = (page: Page) => page.waitForFunction(() => "__remixRouter" in window);

/** axe on the page as it is now: no serious or critical violations. */
async function accessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.passes.length, `${what}: axe ran its checks`).toBeGreaterThan(10);
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), what).toEqual([]);
}

async function visit(page: Page, path: string) {
  await page.goto(app.baseUrl + path);
  await hydrated(page);
  await accessible(page, path);
}

const pdfFile = (name: string) => ({ name, mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n") });

describe("the applicant's journey in Chromium", () => {
  it("registers, applies with a saved draft, completes, reads the decision, requests the money and reports", async () => {
    const { context, page, errors } = await newPage(chrome.browser, { viewport: { width: 1280, height: 1000 } });
    const db = app.database.db;
    const email = `samordnare-${Date.now()}@example.se`;

    // Register the organization from the sign-in page.
    await visit(page, "/logga-in");
    await page.getByRole("link", { name: "Registrera organisation" }).click();
    await page.waitForURL((u) => u.pathname === "/registrera");
    await hydrated(page);
    await accessible(page, "/registrera");
    // An organisation's third digit is 2 or more (the legal-form rule): fixed here, so the clock cannot make the number a person's.
    await page.getByLabel("Organisationsnummer").fill(orgNumberFromBase(`212${String(Date.now()).slice(-6)}`));
    await page.getByLabel("Organisationens namn").fill("Norrköpings kommun, socialtjänsten");
    await page.getByLabel("Typ av organisation").selectOption("municipality");
    await page.getByLabel("Kommun där organisationen finns").selectOption("0581");
    await page.getByLabel("Ditt namn").fill("Sara Samordnare");
    await page.getByLabel("Din e-postadress").fill(email);
    await page.getByLabel("Välj lösenord").fill("Trygghet för alla i Norrköping");
    await page.getByLabel("Skriv lösenordet igen").fill("Trygghet för alla i Norrköping");
    await page.getByRole("button", { name: "Registrera organisationen" }).click();
    await page.waitForURL((u) => u.pathname === "/organisation");
    await expect.poll(() => text(page.getByRole("status")), POLL).toContain("Organisationen är registrerad");
    await accessible(page, "/organisation");
    const org = await db.organization.findFirstOrThrow({ where: { name: "Norrköpings kommun, socialtjänsten" } });
    expect(org.countyCode).toBe("05");

    // Find the call and start an application; save a draft with only part of it.
    await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Utlysningar" }).click();
    await page.waitForURL((u) => u.pathname === "/utlysningar");
    await accessible(page, "/utlysningar");
    await page.getByRole("link", { name: `Ansök: ${CALL_TITLE}` }).click();
    await page.waitForURL((u) => u.pathname === "/ansokan/ny");
    await hydrated(page);
    await accessible(page, "/ansokan/ny");
    await page.getByLabel("Projektets titel", { exact: true }).fill("Stöd till barn som bevittnat våld");
    await page.getByLabel("Beskrivning av projektet").fill("Gruppverksamhet för barn och stöd till föräldrar.");
    await page.getByLabel("Sökt belopp (kronor)").fill("300 000");
    await page.getByLabel("Kostnadsslag, rad 1").fill("Personal");
    await page.getByLabel("Belopp i kronor, rad 1").fill("250 000");
    // With JavaScript the sum is shown as the user types.
    await expect.poll(() => text(page.locator("#budgetTotal")), POLL).toContain("Summa budget: 250 000 kr");
    await expect.poll(() => text(page.locator("#budgetTotal")), POLL).toContain("skiljer sig från sökt belopp (300 000 kr) med 50 000 kr");
    await page.getByRole("button", { name: "Spara utkast" }).last().click();
    await page.waitForURL((u) => /^\/ansokan\/[0-9a-f-]{36}$/.test(u.pathname) && u.search === "?sparad=1");
    await expect.poll(() => text(page.getByRole("status")), POLL).toContain("Utkastet är sparat");
    await accessible(page, "draft saved");
    const applicationId = new URL(page.url()).pathname.split("/")[2];

    // Come back later through the list and go on.
    await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Våra ansökningar" }).click();
    await page.waitForURL((u) => u.pathname === "/ansokningar");
    await accessible(page, "/ansokningar");
    await page.getByRole("link", { name: "Stöd till barn som bevittnat våld" }).click();
    await page.waitForURL((u) => u.pathname === `/ansokningar/${applicationId}`);
    await accessible(page, "case page (draft)");
    await page.getByRole("link", { name: "Fortsätt med ansökan" }).click();
    await page.waitForURL((u) => u.pathname === `/ansokan/${applicationId}`);
    await hydrated(page);
    expect(await page.getByLabel("Belopp i kronor, rad 1").inputValue()).toBe("250 000");
    await page.getByLabel("Mål", { exact: true }).fill("Minst 40 barn deltar i grupperna.");
    await page.getByLabel("Målgrupp", { exact: true }).fill("Barn 7–12 år som har upplevt våld i familjen.");
    await page.getByLabel("Projektet börjar").fill("2027-01-01");
    await page.getByLabel("Projektet slutar").fill("2027-12-31");
    await page.getByLabel("Östergötlands län").check();
    await page.getByLabel("Kontaktperson", { exact: true }).fill("Sara Samordnare");
    await page.getByLabel("Kontaktpersonens e-post").fill(email);
    await page.getByLabel("Firmatecknare", { exact: true }).fill("Olof Ordförande");
    await page.getByLabel("Firmatecknarens befattning").fill("Ordförande i socialnämnden");
    await page.getByLabel("Medfinansiering (kronor) (frivilligt)").fill("100 000");
    await page.getByLabel("Organisationen har inga obetalda skulder").check();
    await page.getByLabel("Organisationen är inte i likvidation eller konkurs.").check();
    await page.getByLabel("Lägg till filer", { exact: true }).setInputFiles(pdfFile("projektplan.pdf"));

    // Submitting with a budget that does not add up: the error summary takes focus, nothing typed is lost.
    await page.getByRole("button", { name: "Skicka in ansökan" }).click();
    await page.waitForSelector(".error-summary");
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("error-summary");
    expect(await text(page.locator(".error-summary"))).toContain("Budgetraderna summerar till 250 000 kr men sökt belopp är 300 000 kr");
    expect(await page.getByLabel("Målgrupp", { exact: true }).inputValue()).toBe("Barn 7–12 år som har upplevt våld i familjen.");
    await accessible(page, "form with errors");

    // The draft was saved with the plan: it is listed, and the file input is emptied so it is not sent twice.
    expect(await page.getByRole("link", { name: "projektplan.pdf" }).count()).toBe(1);
    expect(await page.getByLabel("Lägg till fler filer (frivilligt)").evaluate((input: HTMLInputElement) => input.files?.length ?? 0)).toBe(0);

    // Add a row (in place, with JavaScript), make the budget add up and submit.
    await page.getByRole("button", { name: "Lägg till rad" }).click();
    await page.getByLabel("Kostnadsslag, rad 2").fill("Lokaler och material");
    await page.getByLabel("Belopp i kronor, rad 2").fill("50 000");
    await expect.poll(() => text(page.locator("#budgetTotal")), POLL).toContain("Summan är lika med sökt belopp.");
    await page.getByRole("button", { name: "Skicka in ansökan" }).click();
    await page.waitForURL((u) => u.pathname === `/ansokan/${applicationId}/kvitto`);
    const submitted = await db.application.findUniqueOrThrow({ where: { id: applicationId }, include: { attachments: true } });
    expect(submitted.state).toBe("submitted");
    expect(submitted.attachments.map((f) => f.fileName)).toEqual(["projektplan.pdf"]);
    await expect.poll(() => text(page.getByRole("status")), POLL).toContain(`registrerad med diarienummer ${submitted.registrationNumber}`);
    await accessible(page, "receipt");

    // The officer asks for a completion.
    const officer = A.users.officer;
    await applyWorkflowEvent(db, officer, "application", applicationId, { type: "START_ASSESSMENT" });
    await applyWorkflowEvent(db, officer, "application", applicationId, { type: "REQUEST_COMPLETION", message: "Hur rekryterar ni barnen till grupperna?", deadline: "2099-01-31T22:59:59Z" });
    await visit(page, `/ansokningar/${applicationId}`);
    expect(await text(page.locator("#completion").locator(".."))).toContain("Hur rekryterar ni barnen till grupperna?");
    await page.getByRole("link", { name: "Komplettera ansökan" }).click();
    await page.waitForURL((u) => u.pathname === `/ansokan/${applicationId}`);
    await hydrated(page);
    await accessible(page, "completion form");
    await page.getByLabel("Målgrupp", { exact: true }).fill("Barn 7–12 år som har upplevt våld i familjen. De rekryteras via elevhälsan och socialtjänsten.");
    await page.getByLabel("Meddelande till handläggaren (frivilligt)").fill("Rekryteringen är beskriven under Målgrupp.");
    await page.getByRole("button", { name: "Skicka kompletteringen" }).click();
    await page.waitForURL((u) => u.pathname === `/ansokningar/${applicationId}` && u.search === "?klart=kompletterad");
    await expect.poll(() => text(page.getByRole("status")), POLL).toContain("Kompletteringen är skickad");
    expect(await text(page.locator("#history").locator(".."))).toContain("Version 2: komplettering");
    await accessible(page, "after completion");

    // The officer presents, the decision maker decides.
    await applyWorkflowEvent(db, officer, "application", applicationId, { type: "PRESENT", recommendation: "approved" }, { details: { summary: "Väl underbyggt." } });
    await applyWorkflowEvent(db, A.users.decision_maker, "application", applicationId, { type: "DECIDE", outcome: "approved", grantedOre: 30_000_000, reasons: "Projektet stärker stödet till barn som upplevt våld." }, { details: { conditions: "Redovisa antalet deltagare." } });
    await visit(page, `/ansokningar/${applicationId}`);
    const decision = (await text(page.locator("#decision").locator(".."))) ?? "";
    expect(decision).toContain("Bifall");
    expect(decision).toContain("300 000 kr");
    expect(decision).toContain("Projektet stärker stödet till barn som upplevt våld.");
    expect(decision).toContain("Beslutet kan överklagas hos förvaltningsrätten.");
    await page.getByRole("link", { name: "Visa och skriv ut beslutet" }).click();
    await page.waitForURL((u) => u.pathname === `/arenden/${applicationId}/beslutsbrev`);
    await hydrated(page);
    expect(await text(page.locator("main"))).toContain("Projektet stärker stödet till barn som upplevt våld.");
    await accessible(page, "decision letter");

    // Request the money before the time limit.
    await visit(page, `/ansokningar/${applicationId}`);
    expect(await text(page.locator("#payments").locator(".."))).toMatch(/Rekvirera senast \d{4}-\d{2}-\d{2} \(\d+ dagar kvar\)/);
    await page.getByLabel("Bankgiro", { exact: true }).check();
    await page.getByLabel("Nummer").fill("5050-1055");
    await page.getByRole("button", { name: /^Rekvirera/ }).click();
    await page.waitForURL((u) => u.search === "?klart=rekvirerad");
    await expect.poll(() => text(page.getByRole("status")), POLL).toContain("Rekvisitionen är skickad");
    await accessible(page, "after payment request");
    expect((await db.disbursement.findFirstOrThrow({ where: { grant: { applicationId } } })).bankAccount).toBe("Bankgiro 5050-1055");

    // The final report.
    await page.getByRole("link", { name: "Lämna slutredovisning" }).click();
    await page.waitForURL((u) => u.pathname === `/ansokningar/${applicationId}/redovisning`);
    await hydrated(page);
    await accessible(page, "report form");
    await page.getByLabel("Använt för Personal, kronor").fill("250 000");
    await page.getByLabel("Använt för Lokaler och material, kronor").fill("30 000");
    await page.getByLabel("Vad har ni gjort och vad har det lett till?").fill("Fyra grupper med sammanlagt 46 barn.");
    await page.getByLabel("Deltagare (personer)").fill("46");
    await page.getByLabel("Utdrag ur bokföringen").setInputFiles(pdfFile("huvudbok.pdf"));
    await page.getByRole("button", { name: "Skicka in slutredovisningen" }).click();
    await page.waitForURL((u) => u.pathname === `/ansokningar/${applicationId}` && u.search === "?klart=redovisad");
    await expect.poll(() => text(page.getByRole("status")), POLL).toContain("Redovisningen är skickad");
    const reports = (await text(page.locator("#reports").locator(".."))) ?? "";
    expect(reports).toContain("280 000 kr");
    expect(reports).toContain("20 000 kr");
    await accessible(page, "after report");
    expect((await db.application.findUniqueOrThrow({ where: { id: applicationId } })).state).toBe("grantActive.finalReport.submitted");

    await visit(page, "/tillganglighet");
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
