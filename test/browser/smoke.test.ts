// Smoke test in a real browser: the production build, served by the real HTTP server on a database
// with the demo scenario, driven by Debian's Chromium. Every demo role signs in and out through the form.
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { DEMO_PASSWORD, demoUsers, type DemoUser } from "../../prisma/seed/demo-users";
import type { Role } from "../../app/generated/prisma/enums";
import { navigationFor } from "../../app/access/navigation";
import { useAppServer } from "../support/app-server";
import { newPage, useBrowser } from "../support/browser";

const app = useAppServer();
const chrome = useBrowser();

/** Each role's own section on the start page (app/routes/_app._index.tsx): one per role the user holds. */
const START_SECTION: Record<Role, string> = {
  officer: "Min arbetskö",
  decision_maker: "Att besluta",
  finance: "Utbetalningar",
  coordinator: "Samordnade uppdrag",
  admin: "Administration",
  applicant: "Våra ansökningar",
};

/** expect.poll gives up after 1 s by default: too little for a loaded CI machine. */
const POLL = { timeout: 10_000 };

const url = (p: string) => app.baseUrl + p;

/** Waits until Remix has taken over the page, so that the form is submitted by its JavaScript. */
async function hydrated(page: Page) {
  await page.waitForFunction(() => "__remixRouter" in window);
}

async function signIn(page: Page, email: string, password: string, opts: { javaScript?: boolean } = {}) {
  await page.goto(url("/logga-in"));
  if (opts.javaScript !== false) await hydrated(page);
  await page.getByLabel("E-postadress").fill(email);
  await page.getByLabel("Lösenord").fill(password);
  await page.getByRole("button", { name: "Logga in" }).click();
}

async function expectSignInPage(page: Page) {
  await page.waitForURL((u) => u.pathname === "/logga-in");
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), POLL).toBe("Logga in");
}

async function expectStartPageOf(page: Page, user: DemoUser) {
  await page.waitForURL(url("/"));
  // The layout: the role's main menu (app/access/navigation.ts decides what is in it) and who is signed in.
  const menu = page.getByRole("navigation", { name: "Huvudmeny" });
  const expectedMenu = navigationFor([user.role]).map((item) => item.label);
  await expect.poll(() => menu.getByRole("link").allTextContents(), POLL).toEqual(expectedMenu);
  await expect.poll(() => page.locator("header").textContent(), POLL).toContain(user.name);
  // The start page: its h1, and the section of this user's role and of no other.
  expect(await page.getByRole("heading", { level: 1 }).allTextContents()).toEqual(["Start"]);
  expect(await page.locator("main").textContent()).toContain(`Välkommen, ${user.name}.`);
  const sections = await page.getByRole("heading", { level: 2 }).allTextContents();
  const roleSections = sections.filter((h) => Object.values(START_SECTION).includes(h));
  expect(roleSections).toEqual([START_SECTION[user.role]]);
}

describe("each demo role signs in and out through the form", () => {
  test.for(demoUsers.map((u) => [u.roleLabel, u] as const))("%s", async ([, user]) => {
    const { context, page, errors } = await newPage(chrome.browser);
    try {
      await signIn(page, user.email, DEMO_PASSWORD);
      await expectStartPageOf(page, user);

      await page.getByRole("button", { name: "Logga ut" }).click();
      await expectSignInPage(page);

      // The session really ended: the start page sends the browser back to sign in.
      await page.goto(url("/"));
      await expectSignInPage(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

test("a wrong password is refused with a message, and the typed e-mail stays in the form", async () => {
  const { context, page, errors } = await newPage(chrome.browser);
  try {
    const email = demoUsers[0].email;
    await signIn(page, email, DEMO_PASSWORD + "x");
    await expect.poll(() => page.getByRole("alert").textContent(), POLL).toContain("Fel e-postadress eller lösenord.");
    expect(new URL(page.url()).pathname).toBe("/logga-in");
    expect(await page.getByLabel("E-postadress").inputValue()).toBe(email);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test("a signed-out visit to the start page redirects to the sign-in page", async () => {
  const { context, page } = await newPage(chrome.browser);
  try {
    const response = await page.goto(url("/"));
    expect(new URL(page.url()).pathname).toBe("/logga-in");
    expect(response?.status()).toBe(200);
    expect(response?.request().redirectedFrom()?.url()).toBe(url("/"));
    await expectSignInPage(page);
  } finally {
    await context.close();
  }
});

test("signing in and out works with JavaScript turned off", async () => {
  const { context, page } = await newPage(chrome.browser, { javaScriptEnabled: false });
  try {
    const user = demoUsers.find((u) => u.role === "applicant") ?? demoUsers[0];
    // Remix's data requests carry ?_data=; without JavaScript every request must be a plain page load.
    const dataRequests: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).searchParams.has("_data")) dataRequests.push(r.url());
    });

    await signIn(page, user.email, DEMO_PASSWORD + "x", { javaScript: false });
    expect(await page.getByRole("alert").textContent()).toContain("Fel e-postadress eller lösenord.");
    expect(await page.getByLabel("E-postadress").inputValue()).toBe(user.email);

    await signIn(page, user.email, DEMO_PASSWORD, { javaScript: false });
    await expectStartPageOf(page, user);
    await page.getByRole("button", { name: "Logga ut" }).click();
    await expectSignInPage(page);
    expect(dataRequests).toEqual([]);
  } finally {
    await context.close();
  }
});

test("/healthz and /readyz answer 200 with JSON", async () => {
  const { context, page } = await newPage(chrome.browser);
  try {
    const health = await page.request.get(url("/healthz"));
    expect(health.status()).toBe(200);
    expect(health.headers()["content-type"]).toMatch(/^application\/json/);
    expect(await health.json()).toMatchObject({ status: "ok" });

    const ready = await page.request.get(url("/readyz"));
    expect(ready.status()).toBe(200);
    expect(ready.headers()["content-type"]).toMatch(/^application\/json/);
    expect(await ready.json()).toMatchObject({ ready: true, database: "ok", pendingMigrations: [] });
  } finally {
    await context.close();
  }
});

test("an unknown address shows the Swedish 404 page", async () => {
  const { context, page, errors } = await newPage(chrome.browser);
  try {
    const response = await page.goto(url("/finns-inte/alls"));
    expect(response?.status()).toBe(404);
    await hydrated(page);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sidan finns inte");
    expect(await page.locator("main").textContent()).toContain("Felkod: 404");
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

// A light accessibility check until @axe-core/playwright is a dev dependency.
test("the sign-in page: lang=sv, one h1, every field has a label", async () => {
  const { context, page, errors } = await newPage(chrome.browser);
  try {
    await page.goto(url("/logga-in"));
    await hydrated(page);
    expect(await page.locator("html").getAttribute("lang")).toBe("sv");
    expect(await page.locator("h1").count()).toBe(1);
    expect(await page.title()).toContain("Logga in");

    const fields = await page.locator("input:not([type=hidden]), select, textarea").evaluateAll((els) =>
      els.map((el) => {
        const input = el as HTMLInputElement;
        const labels = [...(input.labels ?? [])].map((l) => l.textContent?.trim() ?? "");
        return { name: input.name, label: labels.join(" ") || input.getAttribute("aria-label") || "" };
      }),
    );
    expect(fields).toEqual([
      { name: "email", label: "E-postadress" },
      { name: "password", label: "Lösenord" },
    ]);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
