// The bell in a real browser: the demo applicant gets a notice, sees "Notiser (1)" in the
// header, opens the list, marks it read, and the count disappears. Then, with JavaScript
// turned off, "Öppna" marks a notice read and goes to its case.
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD, demoUsers } from "../../prisma/seed/demo-users";
import { useAppServer } from "../support/app-server";
import { newPage, useBrowser } from "../support/browser";

const app = useAppServer();
const chrome = useBrowser();
const POLL = { timeout: 10_000 };
const url = (p: string) => app.baseUrl + p;
const applicant = demoUsers.find((u) => u.role === "applicant")!;

async function signIn(page: Page, javaScript: boolean) {
  await page.goto(url("/logga-in"));
  if (javaScript) await page.waitForFunction(() => "__remixRouter" in window);
  await page.getByLabel("E-postadress").fill(applicant.email);
  await page.getByLabel("Lösenord").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.waitForURL(url("/"));
}

/** A fresh unread notice for the demo applicant, every earlier one read, so the count is exactly 1. */
async function onlyNotice(title: string, link: string) {
  const db = app.database.db;
  const user = await db.user.findUniqueOrThrow({ where: { email: applicant.email } });
  await db.notification.updateMany({ where: { userId: user.id, readAt: null }, data: { readAt: new Date() } });
  return db.notification.create({ data: { userId: user.id, topic: "decision_made", title, body: "Länsstyrelsen har fattat beslut i ert ärende.", link, dedupeKey: `browser:${title}` } });
}

describe("the notice bell", () => {
  test("shows the unread count, and marking the notice read on /notiser clears it", async () => {
    const { context, page, errors } = await newPage(chrome.browser);
    try {
      await signIn(page, true);
      await onlyNotice("Beslut fattat i ert ärende", "/utlysningar");
      await page.reload();

      const bell = page.locator("header .bell");
      await expect.poll(() => bell.textContent(), POLL).toBe("Notiser (1)");
      expect(await bell.getAttribute("aria-label")).toBe("Notiser, 1 oläst notis");

      await page.getByRole("link", { name: "Notiser, 1 oläst notis" }).click();
      await page.waitForURL(url("/notiser"));
      // A client-side navigation: the URL changes before the new page renders.
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), POLL).toBe("Notiser");
      expect(await page.locator("ol.notices li").first().textContent()).toContain("Oläst: Beslut fattat i ert ärende");

      await page.getByRole("button", { name: "Markera som läst: Beslut fattat i ert ärende" }).click();
      await expect.poll(() => page.getByRole("status").textContent(), POLL).toBe("Notisen är markerad som läst.");
      await expect.poll(() => bell.textContent(), POLL).toBe("Notiser");
      expect(await bell.getAttribute("aria-label")).toBeNull();
      expect(await page.locator("main").textContent()).toContain("Du har inga olästa notiser.");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("the e-mail settings page hydrates and saves a choice (its options were undefined in the browser)", async () => {
    const { context, page, errors } = await newPage(chrome.browser);
    try {
      await signIn(page, true);
      await page.goto(url("/installningar/notiser"));
      await page.waitForFunction(() => "__remixRouter" in window);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), POLL).toBe("Inställningar för notiser");
      const group = page.getByRole("group", { name: "Beslut fattat" });
      await group.getByLabel("Ingen e-post").check();
      await page.getByRole("button", { name: "Spara" }).click();
      await expect.poll(() => page.getByRole("status").first().textContent(), POLL).toContain("sparade");
      const user = await app.database.db.user.findUniqueOrThrow({ where: { email: applicant.email } });
      const saved = await app.database.db.notificationPreference.findUnique({ where: { userId_topic: { userId: user.id, topic: "decision_made" } } });
      expect(saved?.email).toBe("off");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("without JavaScript, Öppna marks the notice read and goes to its link", async () => {
    const { context, page } = await newPage(chrome.browser, { javaScriptEnabled: false });
    try {
      await signIn(page, false);
      const notice = await onlyNotice("Utbetalning gjord", "/utlysningar");
      await page.goto(url("/notiser"));
      expect(await page.locator("header .bell").textContent()).toBe("Notiser (1)");
      await page.getByRole("button", { name: "Öppna ärendet: Utbetalning gjord" }).click();
      await page.waitForURL(url("/utlysningar"));
      expect(await page.locator("header .bell").textContent()).toBe("Notiser");
      expect((await app.database.db.notification.findUniqueOrThrow({ where: { id: notice.id } })).readAt).not.toBeNull();
    } finally {
      await context.close();
    }
  });
});
