// In Chromium, against the production build with the demo data: an officer
// creates and publishes a call; an officer sets up the payment plan of a
// decided case and finance attests and pays it. Every page of the journeys is
// checked with axe: no serious or critical violations.
import { describe, expect, test } from "vitest";
import AxeBuilder from "@axe-core/playwright";
import type { BrowserContext, Page } from "playwright-core";
import { useAppServer } from "../support/app-server";
import { newPage, useBrowser } from "../support/browser";
import { sessionCookie } from "../access/world";

const app = useAppServer();
const chrome = useBrowser();
const url = (p: string) => app.baseUrl + p;
const POLL = { timeout: 10_000 };

async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const opened = await newPage(chrome.browser, { viewport: { width: 1280, height: 1000 } });
  const user = await app.database.db.user.findUniqueOrThrow({ where: { email } });
  const [name, value] = (await sessionCookie(app.database.db, user.id)).split("=");
  await opened.context.addCookies([{ name, value, url: app.baseUrl }]);
  return opened;
}

const hydrated = (page: Page) => page.waitForFunction(() => "__remixRouter" in window);

/** axe on the page as it is now: nothing serious or critical. */
async function expectAccessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(bad, what).toEqual([]);
}

describe("administration and finance in the browser", () => {
  test("an officer creates a call, is told what is wrong, fixes it and publishes the call", async () => {
    const { context, page, errors } = await signedIn("handlaggare@demo.lansstyrelsen.se");
    try {
      await page.goto(url("/utlysningar/ny"));
      await hydrated(page);
      await expectAccessible(page, "/utlysningar/ny");
      const form = page.locator("form", { has: page.getByRole("button", { name: "Spara som utkast" }) });
      await page.getByLabel("Finansieras av").selectOption({ index: 1 });
      await page.getByLabel("Beskrivning", { exact: true }).fill("Utvecklingsmedel för insatser mot våld mot äldre kvinnor i Östergötland.");
      await page.getByLabel("Budget", { exact: true }).fill("100 000");
      await page.getByLabel("Öppnar dag").fill("2026-01-10");
      await page.getByLabel("Sista ansökningsdag").fill("2099-03-31");
      await page.getByLabel("Kommun", { exact: true }).check();
      await page.getByLabel("Största andel för kommun (%) (frivilligt)").fill("50");
      await page.getByLabel("Kriterium 1 (frivilligt)", { exact: true }).fill("Behov");
      await page.getByLabel("Vikt för kriterium 1 (frivilligt)").fill("100");
      await page.getByLabel("Slutredovisning senast").fill("2100-01-31");
      await page.getByLabel("Hur man överklagar").fill("Beslutet kan överklagas hos Förvaltningsrätten i Linköping.");
      // No title: the error summary takes focus and links to the field; what was typed stays.
      await form.getByRole("button", { name: "Spara som utkast" }).click();
      await page.waitForSelector(".error-summary");
      expect(await page.evaluate(() => document.activeElement?.className)).toBe("error-summary");
      expect(await page.locator(".error-summary").textContent()).toContain("Skriv utlysningens rubrik.");
      expect(await page.getByLabel("Budget", { exact: true }).inputValue()).toBe("100 000");
      await expectAccessible(page, "/utlysningar/ny with errors");

      await page.getByLabel("Rubrik").fill("Våld mot äldre kvinnor 2026");
      await form.getByRole("button", { name: "Spara som utkast" }).click();
      await page.waitForURL((u) => u.pathname.endsWith("/redigera"));
      await expect.poll(() => page.getByRole("status").first().textContent(), POLL).toBe("Utlysningen är sparad som utkast.");
      await hydrated(page);
      await expectAccessible(page, "/utlysningar/:id/redigera");

      await page.getByRole("button", { name: "Publicera utlysningen" }).click();
      await expect.poll(() => page.getByRole("status").first().textContent(), POLL).toBe("Utlysningen är publicerad.");
      expect(await page.locator(".state").first().textContent()).toBe("Öppen");
      const call = await app.database.db.call.findFirstOrThrow({ where: { title: "Våld mot äldre kvinnor 2026" } });
      expect([call.state, call.budgetOre, call.cofundingRules]).toEqual(["published", 10_000_000n, { municipality: 50 }]);
      await expectAccessible(page, "published call");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  test("the assignment pages pass axe", async () => {
    const { context, page, errors } = await signedIn("handlaggare@demo.lansstyrelsen.se");
    try {
      const assignment = await app.database.db.assignment.findFirstOrThrow({ where: { reference: "HRV-2020" } });
      for (const path of ["/uppdrag/ny", `/uppdrag/${assignment.id}/fordela`]) {
        await page.goto(url(path));
        await hydrated(page);
        expect(await page.getByRole("heading", { level: 1 }).count(), path).toBe(1);
        await expectAccessible(page, path);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  test("an officer sets up the payment plan of a decided case; finance attests it and marks it paid", async () => {
    const db = app.database.db;
    // A decided demo case whose plan nobody has acted on yet, paid without a payment request.
    const candidates = await db.application.findMany({
      where: { state: { startsWith: "grantActive" }, call: { paymentRequestRequired: false }, grant: { state: "active", disbursements: { some: { state: "planned" }, none: { state: { in: ["requested", "attested", "paid"] } } } } },
      include: { grant: true },
      orderBy: { registrationNumber: "asc" },
    });
    const chosen = [];
    for (const c of candidates) {
      const officer = await db.membership.findFirst({ where: { organizationId: c.boardId, role: "officer", user: { NOT: { id: { in: (await db.conflictOfInterest.findMany({ where: { applicationId: c.id } })).map((j) => j.userId) } } } }, include: { user: true } });
      const finance = await db.membership.findFirst({ where: { organizationId: c.boardId, role: "finance" }, include: { user: true } });
      if (officer && finance) chosen.push({ application: c, officer: officer.user, finance: finance.user });
    }
    expect(chosen.length, "a decided demo case with an untouched payment plan").toBeGreaterThan(0);
    const { application, officer, finance } = chosen[0];
    const grantOre = application.grant!.amountOre;
    const firstOre = (grantOre / 2n / 100n) * 100n;
    const kr = (ore: bigint) => `${ore / 100n}`.replace(/\B(?=(\d{3})+(?!\d))/g, " ") + (ore % 100n ? `,${String(ore % 100n).padStart(2, "0")}` : "");

    const o = await signedIn(officer.email);
    try {
      await o.page.goto(url(`/arenden/${application.id}/utbetalningsplan`));
      await hydrated(o.page);
      await expectAccessible(o.page, "payment plan");
      const row = (i: number) => o.page.getByRole("group", { name: `Utbetalning ${i}` });
      for (let i = 1; i <= 6; i++) {
        await row(i).getByLabel("Belopp").fill("");
        await row(i).getByLabel("Planerad utbetalningsdag").fill("");
        await row(i).getByLabel("Får betalas ut").selectOption("");
      }
      // First a plan that does not add up.
      await row(1).getByLabel("Belopp").fill(kr(firstOre));
      await row(1).getByLabel("Planerad utbetalningsdag").fill("2099-12-01");
      await row(1).getByLabel("Får betalas ut").selectOption("at_start");
      await o.page.getByRole("button", { name: "Spara utbetalningsplanen" }).click();
      await o.page.waitForSelector(".error-summary");
      expect(await o.page.locator(".error-summary").textContent()).toContain("Utbetalningarna ska tillsammans bli det beviljade beloppet");
      await expectAccessible(o.page, "payment plan with an error");
      await row(2).getByLabel("Belopp").fill(kr(grantOre - firstOre));
      await row(2).getByLabel("Planerad utbetalningsdag").fill("2100-03-01");
      await row(2).getByLabel("Får betalas ut").selectOption("after_final_report");
      await o.page.getByRole("button", { name: "Spara utbetalningsplanen" }).click();
      await expect.poll(() => o.page.getByRole("status").first().textContent(), POLL).toBe("Utbetalningsplanen är sparad.");
      expect(o.errors).toEqual([]);
    } finally {
      await o.context.close();
    }
    const planned = await db.disbursement.findFirstOrThrow({ where: { grantId: application.grant!.id, state: "planned", trigger: "at_start", plannedById: officer.id } });
    expect(planned.amountOre).toBe(firstOre);

    const f = await signedIn(finance.email);
    try {
      await f.page.goto(url("/ekonomi?visa=planerade&sida=1"));
      await hydrated(f.page);
      await expectAccessible(f.page, "/ekonomi");
      await f.page.goto(url(`/ekonomi?visa=planerade&sida=${await pageOf(planned.id, ["planned"])}`));
      await hydrated(f.page);
      const line = f.page.locator(`#utbetalning-${planned.id}`);
      await line.getByRole("button", { name: /^Attestera utbetalning/ }).click();
      await expect.poll(() => f.page.getByRole("status").first().textContent(), POLL).toBe("Utbetalningen är attesterad.");

      await f.page.goto(url(`/ekonomi?visa=attesterade&sida=${await pageOf(planned.id, ["attested"])}`));
      await hydrated(f.page);
      const paidLine = f.page.locator(`#utbetalning-${planned.id}`);
      await paidLine.locator("summary", { hasText: "Markera som utbetald" }).click();
      await paidLine.getByLabel("Betalas till").selectOption("bankgiro");
      await paidLine.getByLabel("Nummer").fill("5050-1056");
      await paidLine.getByRole("button", { name: "Markera som utbetald" }).click();
      await f.page.waitForSelector(".error-summary");
      expect(await f.page.locator(".error-summary").textContent()).toContain("kontrollsiffran stämmer inte");
      await expectAccessible(f.page, "/ekonomi with an error");
      const again = f.page.locator(`#utbetalning-${planned.id}`);
      await again.getByLabel("Nummer").fill("5050-1055");
      await again.getByRole("button", { name: "Markera som utbetald" }).click();
      await expect.poll(() => f.page.getByRole("status").first().textContent(), POLL).toBe("Utbetalningen är markerad som utbetald.");
      const paid = await db.disbursement.findUniqueOrThrow({ where: { id: planned.id } });
      expect([paid.state, paid.attestedById, paid.bankAccount, paid.paymentReference]).toEqual(["paid", finance.id, "Bankgiro 5050-1055", `${application.registrationNumber}/${planned.number}`]);

      await f.page.goto(url("/ekonomi/aterkrav?visa=alla"));
      await hydrated(f.page);
      await expectAccessible(f.page, "/ekonomi/aterkrav");
      expect(f.errors).toEqual([]);
    } finally {
      await f.context.close();
    }

    /** The list page an instalment is on, in the order the list uses. */
    async function pageOf(id: string, states: string[]): Promise<number> {
      const rows = await db.disbursement.findMany({ where: { state: { in: states }, grant: { application: { boardId: application.boardId } } }, orderBy: [{ plannedOn: "asc" }, { number: "asc" }, { id: "asc" }], select: { id: true } });
      return Math.floor(rows.findIndex((r) => r.id === id) / 25) + 1;
    }
  }, 180_000);

  // (axe needs JavaScript in the page, so this journey's pages are checked in the tests above.)
  test("without JavaScript, an officer registers an assignment and allocates it; too much is refused with the amount left", async () => {
    const opened = await newPage(chrome.browser, { viewport: { width: 1280, height: 1000 }, javaScriptEnabled: false });
    const { context, page } = opened;
    try {
      const user = await app.database.db.user.findUniqueOrThrow({ where: { email: "handlaggare@demo.lansstyrelsen.se" } });
      const [name, value] = (await sessionCookie(app.database.db, user.id)).split("=");
      await context.addCookies([{ name, value, url: app.baseUrl }]);
      await page.goto(url("/uppdrag/ny"));
      await page.getByLabel("Uppdragets namn").fill("Förebygga våld i nära relationer 2026");
      await page.getByLabel("Diarienummer eller beteckning").fill("VNR-2026");
      await page.getByLabel("Regleringsbrev eller regeringsbeslut").fill("Regleringsbrev för budgetåret 2026");
      await page.getByLabel("Anslag", { exact: true }).fill("3:1");
      await page.getByLabel("Belopp", { exact: true }).fill("5 000 000");
      await page.getByLabel("Perioden börjar").fill("2026-01-01");
      await page.getByLabel("Perioden slutar").fill("2026-12-31");
      await page.getByLabel("Redovisas senast").fill("2027-03-31");
      await page.getByRole("button", { name: "Registrera uppdraget" }).click();
      // Without JavaScript the form posts and the browser follows the redirect itself.
      await expect.poll(() => new URL(page.url()).pathname, POLL).toMatch(/\/fordela$/);
      expect(await page.getByRole("status").textContent()).toBe("Uppdraget är registrerat. Fördela nu medlen till länsstyrelserna.");

      await page.getByLabel("Länsstyrelse", { exact: true }).selectOption({ label: "Länsstyrelsen Östergötland" });
      await page.getByLabel("Belopp till länsstyrelsen").fill("6 000 000");
      await page.getByRole("button", { name: "Spara tilldelningen" }).click();
      expect(await page.locator(".error-summary").textContent()).toContain("Tilldelningen ryms inte i uppdragets belopp. Kvar att fördela: 5\u00a0000\u00a0000\u00a0kr.");
      expect(await page.getByLabel("Belopp till länsstyrelsen").inputValue()).toBe("6 000 000");

      await page.getByLabel("Belopp till länsstyrelsen").fill("3 000 000");
      await page.getByRole("button", { name: "Spara tilldelningen" }).click();
      await expect.poll(() => new URL(page.url()).search, POLL).toBe("?klart=fordelat");
      expect(await page.locator("#left").textContent()).toBe("2\u00a0000\u00a0000\u00a0kr");
      expect(await page.getByRole("row", { name: /Länsstyrelsen Östergötland/ }).textContent()).toContain("3\u00a0000\u00a0000\u00a0kr");
    } finally {
      await context.close();
    }
  }, 90_000);
});
