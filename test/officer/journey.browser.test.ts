// In Chromium against the production build: an officer finds a new case in
// "what needs me today", starts it, scores it against the call's criteria and
// presents it; a decision maker opens it from /beslut, previews the decision
// letter, decides, and reaches the letter; then a batch decision for every
// case matching a filter. Every page of the journey is checked with axe: no
// serious or critical violations.
import { beforeAll, describe, expect, it } from "vitest";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import type { Role } from "../../app/generated/prisma/enums";
import { useWorldServer } from "../ui/world-server";
import { newPage, useBrowser } from "../support/browser";
import { buildSide, sessionCookie, type Side } from "../access/world";
import { makeScoredCall, presented, submitted } from "./world";

const app = useWorldServer();
const chrome = useBrowser();
let A: Side;
let caseId: string;
let batchCallId: string;
let batchIds: string[];

beforeAll(async () => {
  const db = app.database.db;
  A = await buildSide(db, "A");
  const call = await makeScoredCall(db, A, { title: "Kriterieutlysningen", budgetOre: 5_000_000n });
  caseId = await submitted(db, A.users.applicant, A.applicantOrgId, call.id, "Webbjourens utveckling", 2_000_000n, {
    projectStart: new Date("2020-05-01"),
    projectEnd: new Date("2020-12-31"),
    description: "En chattjour för unga som utsätts för hedersrelaterat våld.",
  });
  const batchCall = await makeScoredCall(db, A, { title: "Batchutlysningen", budgetOre: 5_000_000n });
  batchCallId = batchCall.id;
  batchIds = [];
  for (const title of ["Batch ett", "Batch två", "Batch tre"]) {
    batchIds.push(await presented(db, { applicant: A.users.applicant, applicantOrgId: A.applicantOrgId }, A.officer2, batchCall.id, title, 300_000n, { outcome: "rejected" }));
  }
}, 180_000);

async function signedInPage(role: Role) {
  const opened = await newPage(chrome.browser, { viewport: { width: 1280, height: 1000 } });
  const [name, value] = (await sessionCookie(app.database.db, A.users[role].id)).split("=");
  await opened.context.addCookies([{ name, value, url: app.baseUrl }]);
  return opened;
}

/** Text content with non-breaking spaces (amounts) as plain spaces. */
const textOf = async (l: { textContent(): Promise<string | null> }) => ((await l.textContent()) ?? "").replace(/\u00a0/g, " ");

const hydrated = (page: Page) => page.waitForFunction(() => "__remixRouter" in window);

/** No serious or critical accessibility violations on the page as it is now. */
async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), what).toEqual([]);
}

describe("officer to decision in Chromium", () => {
  it("officer assesses and presents; decision maker previews the letter and decides", async () => {
    // --- The officer -----------------------------------------------------
    const officer = await signedInPage("officer");
    const page = officer.page;
    await page.goto(`${app.baseUrl}/arenden?vy=mina`);
    await hydrated(page);
    await expectAccessible(page, "work queue: what needs me today");
    await page.getByRole("link", { name: "Webbjourens utveckling" }).click();
    await page.waitForURL((u) => u.pathname === `/arenden/${caseId}`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("Webbjourens utveckling");
    await expectAccessible(page, "case page, submitted");

    await page.getByRole("button", { name: "Påbörja handläggning" }).click();
    await page.waitForURL((u) => u.search === "?klart=application.START_ASSESSMENT");
    await expect.poll(() => page.locator("main").textContent()).toContain("Handläggare: Alfa officer");

    const present = page.locator("details", { has: page.locator("summary", { hasText: "Föredra ärendet" }) });
    await present.locator("summary").click();
    await present.getByLabel("Delvis bifall", { exact: true }).check();
    await present.getByLabel("Föreslaget belopp (kronor) (frivilligt)").fill("15 000");
    await present.getByLabel("Sammanfattning av bedömningen").fill("Tydligt behov; budgeten för lokaler är hög.");
    expect(await present.textContent()).toContain("Viktad summa: 0 av 3 bedömningsgrunder poängsatta");
    await present.getByLabel("Poäng: Behov (vikt 50 %)").selectOption("4");
    await present.getByLabel("Poäng: Samverkan (vikt 30 %)").selectOption("2");
    await present.getByLabel("Poäng: Budget (vikt 20 %)").selectOption("5");
    // The weighted total follows the scores as they are picked: (4·50 + 2·30 + 5·20) / 100.
    await expect.poll(() => present.textContent()).toContain("Viktad summa: 3,60 av 5");
    await expectAccessible(page, "case page, presenting form open");
    await present.getByRole("button", { name: "Föredra ärendet" }).click();
    await page.waitForURL((u) => u.search === "?klart=application.PRESENT");
    await expect.poll(() => page.getByRole("status").first().textContent()).toBe("Klart: Ärendet föredraget.");
    expect(await page.locator("main").textContent()).toContain("Viktad summa: 3,60 av 5");
    await expectAccessible(page, "case page, presented");
    expect(officer.errors).toEqual([]);
    await officer.context.close();

    // --- The decision maker ---------------------------------------------
    const dm = await signedInPage("decision_maker");
    const p = dm.page;
    await p.goto(`${app.baseUrl}/beslut`);
    await hydrated(p);
    await expectAccessible(p, "list of presented cases");
    await p.getByRole("link", { name: "Webbjourens utveckling" }).click();
    await p.waitForURL((u) => u.pathname === `/beslut/${caseId}`);
    await expect.poll(() => textOf(p.locator("main"))).toContain("Förslag: Delvis bifall, 15 000 kr");
    expect(await p.locator("main").textContent()).toContain("Viktad summa: 3,60 av 5");
    await expectAccessible(p, "decision screen");

    const form = p.locator("form.decision-form");
    await form.getByLabel("Delvis bifall", { exact: true }).check();
    await form.getByLabel("Beviljat belopp (kronor)").fill("12 000");
    await form.getByLabel("Motivering (skäl för beslutet)").fill("Insatsen möter ett tydligt behov. Budgeten för lokaler beviljas inte.");
    await form.getByLabel("Villkor för bidraget (frivilligt)").fill("Slutredovisning senast den 28 februari 2021.");
    await form.getByLabel("Skäl till avslag eller delvis bifall").selectOption("other");
    await form.getByRole("button", { name: "Förhandsgranska beslutsbrevet" }).click();
    await p.waitForURL((u) => u.searchParams.get("forhandsgranska") === "1");
    const letter = p.locator(".letter-preview");
    await expect.poll(() => letter.textContent()).toContain("Förhandsgranskning – beslutet är inte fattat.");
    expect(await textOf(letter)).toContain("beviljar Alfa kommun 12 000 kr av sökta 20 000 kr");
    expect(await letter.textContent()).toContain("Alfa decision_maker har beslutat i detta ärende. Alfa officer har varit föredragande.");
    expect(await p.locator("main").textContent()).toContain("Kvar efter detta beslut (det belopp du har angett)");
    // The form kept what was typed.
    expect(await form.getByLabel("Beviljat belopp (kronor)").inputValue()).toBe("12 000");
    await expectAccessible(p, "decision screen with letter preview");

    await form.getByRole("button", { name: "Fatta beslut" }).click();
    await p.waitForURL((u) => u.pathname === `/arenden/${caseId}` && u.search === "?klart=application.DECIDE");
    await expect.poll(() => p.getByRole("status").first().textContent()).toBe("Klart: Beslut fattat.");
    await expectAccessible(p, "case page, decided");
    await p.getByRole("link", { name: "Beslutsbrev" }).click();
    await p.waitForURL((u) => u.pathname === `/arenden/${caseId}/beslutsbrev`);
    await expect.poll(() => p.locator("main").textContent()).toContain("Alfa decision_maker har beslutat i detta ärende. Alfa officer har varit föredragande.");

    const decision = await app.database.db.decision.findFirstOrThrow({ where: { applicationId: caseId } });
    expect(decision).toMatchObject({ outcome: "partly_approved", grantedOre: 1_200_000n, rejectionCategory: "other", conditions: "Slutredovisning senast den 28 februari 2021." });
    expect(dm.errors).toEqual([]);
    await dm.context.close();
  }, 180_000);

  it("decides every case matching a filter in one batch", async () => {
    const { page, context, errors } = await signedInPage("decision_maker");
    await page.goto(`${app.baseUrl}/beslut?utlysning=${batchCallId}`);
    await hydrated(page);
    await expect.poll(() => page.locator("tbody tr").count()).toBe(3);
    await expectAccessible(page, "list filtered by call");
    await page.getByLabel("Alla 3 ärenden som matchar filtret (även på andra sidor)").check();
    const batch = page.locator("section", { has: page.getByRole("heading", { name: "Gemensamt beslut" }) });
    await batch.getByLabel("Avslag", { exact: true }).check();
    await batch.getByLabel("Motivering (skäl för besluten)").fill("Ansökningarna ligger utanför utlysningens prioriteringar.");
    await batch.getByLabel("Skäl till avslag eller delvis bifall").selectOption("outside_priorities");
    await batch.getByRole("button", { name: "Fatta beslut" }).click();
    await page.waitForURL((u) => u.search === "?beslutade=3");
    await expect.poll(() => page.getByRole("status").first().textContent()).toBe("Klart: 3 ärenden har beslutats.");
    await expectAccessible(page, "list after the batch");
    const rows = await app.database.db.application.findMany({ where: { id: { in: batchIds } }, select: { state: true, decisions: { select: { rejectionCategory: true } } } });
    expect(rows.map((r) => [r.state, r.decisions.map((d) => d.rejectionCategory)])).toEqual([
      ["rejected", ["outside_priorities"]],
      ["rejected", ["outside_priorities"]],
      ["rejected", ["outside_priorities"]],
    ]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("saves a filter of the work queue, applies it and deletes it", async () => {
    const { page, context, errors } = await signedInPage("officer");
    await page.goto(`${app.baseUrl}/arenden`);
    await hydrated(page);
    await expectAccessible(page, "work queue: all cases");
    await page.getByLabel("Status", { exact: true }).selectOption("presented");
    await page.getByRole("button", { name: "Visa" }).click();
    await page.waitForURL((u) => u.searchParams.get("status") === "presented");
    await page.getByLabel("Spara nuvarande filter som").fill("Föredragna");
    await page.getByRole("button", { name: "Spara filter" }).click();
    const saved = page.locator(".saved-filters").getByRole("link", { name: "Föredragna" });
    await saved.waitFor();
    await expectAccessible(page, "work queue with a saved filter");
    await page.goto(`${app.baseUrl}/arenden`);
    await hydrated(page);
    await page.locator(".saved-filters").getByRole("link", { name: "Föredragna" }).click();
    await page.waitForURL((u) => u.search === "?status=presented");
    await expect.poll(async () => [...new Set(await page.locator("tbody tr td .state").allTextContents())]).toEqual(["Föredragen"]);
    await page.getByRole("button", { name: "Ta bort filtret Föredragna" }).click();
    await expect.poll(() => page.locator(".saved-filters").textContent()).toContain("Du har inga sparade filter.");
    expect(await app.database.db.savedFilter.count({ where: { userId: A.users.officer.id } })).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
