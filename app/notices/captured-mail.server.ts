// The development page's view of captured mail. The mail module belongs to the
// notification backend (app/notifications/mail.server.ts, `capturedMail()`); it is loaded
// at run time by file path rather than bundled into the web build, so that:
//  - the page works (with "no capture running") before that module exists, and the build
//    does not depend on it;
//  - in a process that runs from the sources (npm start, tests) the page reads the same
//    module instance as the worker that captured the mail, not a bundled copy of its own.
import { existsSync } from "node:fs";
import path from "node:path";
import { logger } from "~/logger.server";
import { formatDateTime } from "~/lib/dates";

export type CapturedMailView = { from: string; to: string; subject: string; text: string; date: string };

const MODULE_FILES = ["app/notifications/mail.server.ts", "app/notifications/mail.server.js"];

type MailModule = { capturedMail?: unknown };

/** The captured mail, newest first; null when no capture is running (no module, no export, or it failed). */
export async function loadCapturedMail(root = process.cwd()): Promise<CapturedMailView[] | null> {
  const file = MODULE_FILES.map((f) => path.join(root, f)).find((f) => existsSync(f));
  if (!file) return null;
  let mod: MailModule;
  try {
    mod = (await import(/* @vite-ignore */ file)) as MailModule;
  } catch (error) {
    logger.warn({ err: error, file }, "could not load the mail module for the captured-mail page");
    return null;
  }
  if (typeof mod.capturedMail !== "function") return null;
  const raw: unknown = await (mod.capturedMail as () => unknown)();
  if (!Array.isArray(raw)) return null;
  return raw.map(toView).sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

function text(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).join(", ");
  if (value === null || value === undefined) return "";
  if (typeof value === "object" && "address" in value) return String((value as { address: unknown }).address);
  return String(value);
}

function toView(mail: unknown): CapturedMailView {
  const m = (mail ?? {}) as Record<string, unknown>;
  const date = m.date instanceof Date ? m.date : typeof m.date === "string" || typeof m.date === "number" ? new Date(m.date) : null;
  return {
    from: text(m.from),
    to: text(m.to),
    subject: text(m.subject),
    text: text(m.text),
    date: date && !Number.isNaN(date.getTime()) ? formatDateTime(date) : "",
  };
}
