// The same pages in Chromium with JavaScript: every page hydrates without an
// error (a .server import used while rendering, or markup that differs
// between server and browser, shows up here), filter and pagination links
// work in the browser, and an event form refused by the rules puts the
// keyboard focus on the error summary.
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../app/generated/prisma/enums";
import { useWorldServer } from "./world-server";
import { newPage, useBrowser } from "../support/browser";
import { ROLES, buildSide, sessionCookie, type Side } from "../access/world";

const app = useWorldServer();
const chrome = useBrowser();
let A: Side;

beforeAll(async () => {
  A = await buildSide(app.database.db, "A");
}, 180_000);

async function signedInPage(role: Role) {
  const opened = await newPage(chrome.browser, { viewport: { width: 1280, height: 900 } });
  const [name, value] = (await sessionCookie(app.database.db, A.users[role].id)).split("=");
  await opened.context.addCookies([{ name, value, url: app.baseUrl }]);
  return opened;
}

const hydrated = (page: import("playwright-core").Page) => page.waitForFunction(() => "__remixRouter" in window);

describe("pages in Chromium", () => {
  it("hydrate for every role without errors", async () => {
    const pages = ["/", "/arenden", "/arenden?q=Alfa&status=submitted", `/arenden/${A.grantedId}`, `/arenden/${A.presentedId}`, "/utlysningar", `/utlysningar/${A.callId}`, "/uppdrag", `/uppdrag/${A.assignmentId}`];
    for (const role of ROLES) {
      const { context, page, errors } = await signedInPage(role);
      for (const path of pages) {
        // Applicants have their own pages (/ansokningar) instead of /arenden.
        if (role === "applicant" && (path.startsWith("/uppdrag") || path.startsWith("/arenden"))) continue;
        await page.goto(app.baseUrl + path);
        await hydrated(page);
        expect(await page.getByRole("heading", { level: 1 }).count(), `${role} ${path}`).toBe(1);
        expect(errors, `${role} ${path}`).toEqual([]);
      }
      await context.close();
    }
  }, 240_000);

  it("follows the list's state links in the browser", async () => {
    const { context, page, errors } = await signedInPage("officer");
    await page.goto(`${app.baseUrl}/arenden`);
    await hydrated(page);
    await page.getByRole("link", { name: /^Föredragen: \d+$/ }).click();
    await page.waitForURL((u) => u.search === "?status=presented");
    await expect.poll(() => page.locator("tbody").textContent(), { timeout: 10_000 }).toContain("Alfaprojektet Stödgrupper");
    const states = await page.locator("tbody tr td .state").allTextContents();
    expect(new Set(states)).toEqual(new Set(["Föredragen"]));
    expect(errors).toEqual([]);
    await context.close();
  });

  it("moves focus to the error summary when the rules refuse an event, and shows a confirmation after success", async () => {
    const { context, page, errors } = await signedInPage("decision_maker");
    await page.goto(`${app.baseUrl}/arenden/${A.presentedId}`);
    await hydrated(page);
    const decide = page.locator("details", { has: page.locator("summary", { hasText: "Fatta beslut" }) });
    await decide.locator("summary").click();
    await decide.getByLabel("Bifall", { exact: true }).check();
    await decide.getByLabel("Beviljat belopp (kronor) (frivilligt)").fill("50 000");
    await decide.getByLabel("Motivering (skäl för beslutet)").fill("Skäl");
    await decide.getByRole("button", { name: "Fatta beslut" }).click();
    await page.waitForSelector(".error-summary");
    expect(await page.evaluate(() => document.activeElement?.className)).toBe("error-summary");
    expect(await page.locator(".error-summary").textContent()).toContain("Bifall avser hela det sökta beloppet");
    expect(await decide.getByLabel("Beviljat belopp (kronor) (frivilligt)").inputValue()).toBe("50 000");

    await decide.getByLabel("Delvis bifall", { exact: true }).check();
    await decide.getByLabel("Skäl till avslag eller delvis bifall").selectOption("low_ranking");
    await decide.getByRole("button", { name: "Fatta beslut" }).click();
    await page.waitForURL((u) => u.search === "?klart=application.DECIDE");
    await expect.poll(() => page.getByRole("status").first().textContent(), { timeout: 10_000 }).toBe("Klart: Beslut fattat.");
    expect(await page.locator(".error-summary").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
