// Debian's Chromium driven by playwright-core, for the browser tests. Playwright cannot download
// its own browsers here; CI installs Debian's `chromium` package (.ci/run).
import { existsSync } from "node:fs";
import { afterAll, beforeAll } from "vitest";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps trying Google's hosts, which this
// machine's closed network refuses. Playwright gives every launch a fresh, temporary user-data dir.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need it. Install Debian's package with ` +
        "`apt-get update && apt-get install -y chromium` (.ci/run does this in CI), or set CHROMIUM_PATH.",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS, timeout: 60_000 });
}

export type BrowserErrors = string[];

/**
 * A page that records what went wrong in it: uncaught exceptions and console errors (a failed
 * hydration shows up there). The HTTP error statuses the tests provoke on purpose (401, 404) also
 * reach the console, as "Failed to load resource", and are left out.
 */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: BrowserErrors }> {
  const context = await browser.newContext({ locale: "sv-SE", timezoneId: "Europe/Stockholm", ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  const errors: BrowserErrors = [];
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(`console.error: ${m.text()}`);
  });
  return { context, page, errors };
}

/** One Chromium for this test file: launched before its tests, closed (with every context) after. */
export function useBrowser(): { browser: Browser } {
  const ref = {} as { browser: Browser };
  beforeAll(async () => {
    ref.browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await ref.browser?.close();
  });
  return ref;
}
