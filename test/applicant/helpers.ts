// Talking to the real server as a browser without JavaScript would: plain GETs and
// form POSTs (multipart when files are sent) with the session cookie and the Origin
// header, redirects not followed so the tests see where each answer points.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "../../app/db.server";
import type { Principal } from "../../app/access/permissions.server";
import { makePublishedCall } from "../support/fixtures";
import type { NewCall } from "../../app/workflow/create.server";

/** Uploaded files go to a temporary directory of this test run, not the project's .data. */
export function useTemporaryStorage(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "applicant-files-"));
  process.env.STORAGE_DIR = dir;
  return dir;
}

export type Page = { status: number; html: string; location: string | null; setCookie: string | null };

export type Fields = Record<string, string | string[] | File | File[]>;

export async function get(baseUrl: string, path: string, cookie?: string): Promise<Page> {
  const res = await fetch(baseUrl + path, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
  return { status: res.status, html: await res.text(), location: res.headers.get("Location"), setCookie: res.headers.get("Set-Cookie") };
}

export async function post(baseUrl: string, path: string, cookie: string | undefined, fields: Fields, opts: { multipart?: boolean } = {}): Promise<Page> {
  const hasFile = Object.values(fields).some((v) => v instanceof File || (Array.isArray(v) && v.some((x) => x instanceof File)));
  let body: FormData | URLSearchParams;
  if (hasFile || opts.multipart) {
    body = new FormData();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  } else {
    body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x as string);
  }
  const headers: Record<string, string> = { Origin: baseUrl };
  if (cookie) headers.Cookie = cookie;
  const res = await fetch(baseUrl + path, { method: "POST", redirect: "manual", headers, body });
  return { status: res.status, html: await res.text(), location: res.headers.get("Location"), setCookie: res.headers.get("Set-Cookie") };
}

/** The visible text of the page's <main>, tags stripped and entities decoded, spaces collapsed. */
export function textOf(html: string): string {
  const main = /<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? html;
  return main
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;|\u00a0/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ")
    .trim();
}

// ---------------------------------------------------------------------------
// Files

export const pdf = (name = "projektplan.pdf", size = 0) => {
  const head = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
  const bytes = new Uint8Array(Math.max(size, head.length));
  bytes.set(new TextEncoder().encode(head));
  return new File([bytes], name, { type: "application/pdf" });
};
/** A Windows program renamed to look like a PDF. */
export const disguisedExe = () => new File([new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00])], "budget.pdf", { type: "application/pdf" });
export const textFile = () => new File(["hej"], "anteckningar.txt", { type: "text/plain" });

// ---------------------------------------------------------------------------
// A complete application as the form sends it

export function applicationFields(overrides: Fields = {}): Fields {
  return {
    title: "Trygga mötesplatser för unga",
    description: "Vi startar mötesplatser i tre stadsdelar med utbildad personal.",
    aims: "Minst 200 unga nås under projekttiden.",
    targetGroup: "Unga 13–19 år och deras föräldrar.",
    projectStart: "2027-01-01",
    projectEnd: "2027-12-31",
    countyCodes: ["05"],
    contactName: "Karin Ek",
    contactEmail: "karin.ek@example.se",
    contactPhone: "013-20 00 00",
    signatoryName: "Per Holm",
    signatoryTitle: "Förvaltningschef",
    requested: "150 000",
    cofunding: "150 000",
    otherPublicFunding: "",
    declaresNoTaxDebts: "on",
    declaresNotInLiquidation: "on",
    budgetCategory: ["Personal", "Lokaler", ""],
    budgetDescription: ["Projektledare 50 %", "Hyra", ""],
    budgetAmount: ["100 000", "50 000", ""],
    ...overrides,
  };
}

/** A published call open until 2099 under the board, with terms to override. */
export async function openCall(db: Db, officer: Principal, boardId: string, call: Partial<NewCall> = {}) {
  const { call: created } = await makePublishedCall(db, officer, boardId, {
    call: {
      opensAt: new Date("2020-01-01T00:00:00Z"),
      closesAt: new Date("2099-12-31T22:59:59Z"),
      finalReportDueOn: new Date("2099-06-30"),
      ...call,
    },
  });
  return created;
}
