// In-app notices and e-mail preferences, through the real route loaders and actions
// with real Requests, session cookies and PostgreSQL: the bell's count, the list (own
// notices only, newest first, 25 a page), marking read (one, all, open), another user's
// notice (404, unchanged), preferences (saved in one go, validated), and the development
// mail page (admins only; in production only while mail is captured locally).
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../app/generated/prisma/enums";
import { useTestDatabase } from "../support/db";
import { boardOf, makeOrganization, makeUser } from "../support/fixtures";
import { browserRequest, makeNotice, responseOf, sessionCookie } from "../access/world";
import * as layout from "../../app/routes/_app";
import * as noticesRoute from "../../app/routes/_app.notiser";
import * as settingsRoute from "../../app/routes/_app.installningar.notiser";
import * as mailRoute from "../../app/routes/_app.utveckling.e-post";
import { topicsForRoles, unreadCount } from "../../app/notices/notices.server";
import { loadCapturedMail } from "../../app/notices/captured-mail.server";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const t = useTestDatabase();

type User = { id: string; cookie: string };
const users = {} as Record<"applicant" | "other" | "officerFinance" | "coordinator" | "admin", User>;

async function user(memberships: { organizationId: string; role: Role }[], name: string): Promise<User> {
  const u = await makeUser(t.db, memberships, name);
  return { id: u.id, cookie: await sessionCookie(t.db, u.id) };
}

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => unknown;
const call = (fn: Fn, path: string, cookie: string, form?: Record<string, string>) =>
  responseOf(() => fn({ request: browserRequest(path, { cookie, form }), params: {}, context: {} }));
const json = async <T>(res: Response) => (await res.json()) as T;

let seq = 0;
async function notice(userId: string, opts: { title?: string; at?: Date; link?: string; read?: boolean } = {}) {
  const id = await makeNotice(t.db, userId, `test:${++seq}`, opts.link ?? "/arenden");
  await t.db.notification.update({
    where: { id },
    data: { ...(opts.title ? { title: opts.title } : {}), ...(opts.at ? { createdAt: opts.at } : {}), ...(opts.read ? { readAt: new Date() } : {}) },
  });
  return id;
}

beforeAll(async () => {
  process.env.DATABASE_URL = t.url;
  const board = await boardOf(t.db, "05");
  const org = await makeOrganization(t.db, { name: "Notis kommun" });
  users.applicant = await user([{ organizationId: org.id, role: "applicant" }], "Anna Sökande");
  users.other = await user([{ organizationId: org.id, role: "applicant" }], "Olle Annan");
  users.officerFinance = await user(
    [
      { organizationId: board.id, role: "officer" },
      { organizationId: board.id, role: "finance" },
    ],
    "Hugo Handläggare",
  );
  users.coordinator = await user([{ organizationId: board.id, role: "coordinator" }], "Cilla Samordnare");
  users.admin = await user([{ organizationId: board.id, role: "admin" }], "Ada Admin");
});

describe("the bell and the list", () => {
  it("counts the user's unread notices in the layout's loader", async () => {
    const me = users.applicant;
    const before = await json<{ unread: number }>(await call(layout.loader as Fn, "/", me.cookie));
    expect(before.unread).toBe(0);
    await notice(me.id, { title: "Ny 1" });
    await notice(me.id, { title: "Ny 2" });
    await notice(me.id, { title: "Läst", read: true });
    await notice(users.other.id, { title: "Någon annans" });
    const after = await json<{ unread: number }>(await call(layout.loader as Fn, "/", me.cookie));
    expect(after.unread).toBe(2);
    expect(await unreadCount(t.db, me.id)).toBe(2);
  });

  it("lists only the user's own notices, newest first, unread ones marked, 25 a page", async () => {
    const me = await user([{ organizationId: (await makeOrganization(t.db)).id, role: "applicant" }], "Lista Person");
    const base = Date.UTC(2026, 0, 10, 8, 0);
    for (let i = 0; i < 30; i++) await notice(me.id, { title: `Notis ${i}`, at: new Date(base + i * 3_600_000), read: i % 2 === 0 });
    await notice(users.other.id, { title: "Hemlig notis för någon annan" });

    type List = { list: { items: { title: string; unread: boolean; at: string }[]; total: number; unread: number; page: number; pages: number } };
    const first = await json<List>(await call(noticesRoute.loader as Fn, "/notiser", me.cookie));
    expect(first.list.total).toBe(30);
    expect(first.list.pages).toBe(2);
    expect(first.list.unread).toBe(15);
    expect(first.list.items).toHaveLength(25);
    expect(first.list.items[0]).toEqual({ id: expect.any(String), title: "Notis 29", body: expect.any(String), at: "2026-01-11 14:00", unread: true, hasLink: true });
    expect(first.list.items[1].unread).toBe(false);
    const second = await json<List>(await call(noticesRoute.loader as Fn, "/notiser?sida=2", me.cookie));
    expect(second.list.items.map((n) => n.title)).toEqual(["Notis 4", "Notis 3", "Notis 2", "Notis 1", "Notis 0"]);
    expect(JSON.stringify([first, second])).not.toContain("Hemlig notis");
  });

  it("marks one notice read, then all, only the user's own", async () => {
    const me = users.officerFinance;
    const a = await notice(me.id, { title: "A" });
    const b = await notice(me.id, { title: "B" });
    const theirs = await notice(users.other.id, { title: "Deras" });

    const one = await call(noticesRoute.action as Fn, "/notiser", me.cookie, { intent: "read", id: a });
    expect(one.status).toBe(302);
    expect(one.headers.get("Location")).toBe("/notiser?klart=last");
    expect((await t.db.notification.findUniqueOrThrow({ where: { id: a } })).readAt).not.toBeNull();
    expect((await t.db.notification.findUniqueOrThrow({ where: { id: b } })).readAt).toBeNull();

    const all = await call(noticesRoute.action as Fn, "/notiser", me.cookie, { intent: "read-all", sida: "2" });
    expect(all.status).toBe(302);
    expect(all.headers.get("Location")).toBe("/notiser?sida=2&klart=alla");
    expect(await unreadCount(t.db, me.id)).toBe(0);
    expect((await t.db.notification.findUniqueOrThrow({ where: { id: theirs } })).readAt).toBeNull();
  });

  it("opens a notice: marks it read and redirects to its case; a foreign link goes back to the list", async () => {
    const me = users.applicant;
    const id = await notice(me.id, { link: "/arenden/5b0c6b7e-0000-4000-8000-000000000001" });
    const res = await call(noticesRoute.action as Fn, "/notiser", me.cookie, { intent: "open", id });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/arenden/5b0c6b7e-0000-4000-8000-000000000001");
    expect((await t.db.notification.findUniqueOrThrow({ where: { id } })).readAt).not.toBeNull();

    const evil = await notice(me.id, { link: "//evil.example/arenden" });
    const back = await call(noticesRoute.action as Fn, "/notiser", me.cookie, { intent: "open", id: evil });
    expect(back.headers.get("Location")).toBe("/notiser?klart=last");
  });

  it("answers 404 for another user's notice id (and a malformed one) and leaves it unchanged", async () => {
    const theirs = await notice(users.other.id, { title: "Inte din" });
    for (const intent of ["read", "open"]) {
      const res = await call(noticesRoute.action as Fn, "/notiser", users.applicant.cookie, { intent, id: theirs });
      expect(res.status, intent).toBe(404);
      expect(await res.text()).not.toContain("Inte din");
    }
    expect((await call(noticesRoute.action as Fn, "/notiser", users.applicant.cookie, { intent: "read", id: "inte-ett-id" })).status).toBe(404);
    expect((await t.db.notification.findUniqueOrThrow({ where: { id: theirs } })).readAt).toBeNull();
  });

  it("refuses an unknown intent (400, Swedish) and a cross-site post (403)", async () => {
    const bad = await call(noticesRoute.action as Fn, "/notiser", users.applicant.cookie, { intent: "delete" });
    expect(bad.status).toBe(400);
    expect((await json<{ message: string }>(bad)).message).toMatch(/^Okänd åtgärd/);

    const id = await notice(users.applicant.id);
    const request = new Request("http://localhost/notiser", {
      method: "POST",
      headers: { Cookie: users.applicant.cookie, Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "read", id }),
    });
    const res = await responseOf(() => (noticesRoute.action as Fn)({ request, params: {}, context: {} }));
    expect(res.status).toBe(403);
    expect((await t.db.notification.findUniqueOrThrow({ where: { id } })).readAt).toBeNull();
  });
});

describe("e-mail preferences", () => {
  type Groups = { groups: { audience: string; topics: { topic: string; mode: string }[] }[] };

  it("offers the topics of the user's roles, Direkt by default", async () => {
    const applicant = await json<Groups>(await call(settingsRoute.loader as Fn, "/installningar/notiser", users.applicant.cookie));
    expect(applicant.groups.map((g) => g.audience)).toEqual(["applicant"]);
    expect(applicant.groups[0].topics.every((t) => t.mode === "immediate")).toBe(true);
    expect(applicant.groups[0].topics.map((t) => t.topic)).toEqual(topicsForRoles(["applicant"]));

    const staff = await json<Groups>(await call(settingsRoute.loader as Fn, "/installningar/notiser", users.officerFinance.cookie));
    expect(staff.groups.map((g) => g.audience)).toEqual(["officer", "finance"]);
    expect(topicsForRoles(["admin"])).toEqual(["call_closing", "case_waiting", "reports_overdue_in_calls"]);
    expect(topicsForRoles(["coordinator"])).toEqual([]);
  });

  it("saves every choice in one go and shows them again", async () => {
    const me = users.officerFinance;
    const form = { "email.call_closing": "digest", "email.case_waiting": "off", "email.reports_overdue_in_calls": "immediate", "email.instalments_due": "digest" };
    const res = await call(settingsRoute.action as Fn, "/installningar/notiser", me.cookie, form);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/installningar/notiser?sparat=1");
    const rows = await t.db.notificationPreference.findMany({ where: { userId: me.id }, orderBy: { topic: "asc" } });
    expect(rows.map((r) => [r.topic, r.email])).toEqual([
      ["call_closing", "digest"],
      ["case_waiting", "off"],
      ["instalments_due", "digest"],
      ["reports_overdue_in_calls", "immediate"],
    ]);

    // Saving again updates the same rows.
    await call(settingsRoute.action as Fn, "/installningar/notiser", me.cookie, { ...form, "email.case_waiting": "immediate" });
    expect((await t.db.notificationPreference.findUniqueOrThrow({ where: { userId_topic: { userId: me.id, topic: "case_waiting" } } })).email).toBe("immediate");
    expect(await t.db.notificationPreference.count({ where: { userId: me.id } })).toBe(4);

    const page = await json<Groups & { saved: boolean }>(await call(settingsRoute.loader as Fn, "/installningar/notiser?sparat=1", me.cookie));
    expect(page.saved).toBe(true);
    expect(page.groups.flatMap((g) => g.topics).find((t) => t.topic === "call_closing")?.mode).toBe("digest");
  });

  it("refuses a bad mode with a Swedish message (400), keeps what was chosen, and saves nothing", async () => {
    const me = users.applicant;
    const res = await call(settingsRoute.action as Fn, "/installningar/notiser", me.cookie, { "email.decision_made": "digest", "email.report_due": "weekly" });
    expect(res.status).toBe(400);
    const body = await json<{ values: Record<string, string>; fieldErrors: Record<string, string> }>(res);
    expect(body.fieldErrors.report_due).toBe("Välj Direkt, Daglig sammanfattning eller Ingen e-post.");
    expect(body.values).toEqual({ decision_made: "digest", report_due: "weekly" });
    expect(await t.db.notificationPreference.count({ where: { userId: me.id } })).toBe(0);
  });

  it("refuses topics that are unknown or not the user's (400), saving nothing", async () => {
    const me = users.applicant;
    for (const key of ["email.no_such_topic", "email.instalments_due"]) {
      const res = await call(settingsRoute.action as Fn, "/installningar/notiser", me.cookie, { "email.decision_made": "off", [key]: "off" });
      expect(res.status, key).toBe(400);
      expect((await json<{ formError: string }>(res)).formError).toMatch(/okänt ämne/);
    }
    const coordinator = await call(settingsRoute.action as Fn, "/installningar/notiser", users.coordinator.cookie, { "email.call_closing": "off" });
    expect(coordinator.status).toBe(400);
    expect(await t.db.notificationPreference.count({ where: { userId: { in: [me.id, users.coordinator.id] } } })).toBe(0);
  });
});

describe("the captured-mail page", () => {
  it("is 404 for everyone but administrators", async () => {
    for (const u of [users.applicant, users.officerFinance, users.coordinator]) {
      expect((await call(mailRoute.loader as Fn, "/utveckling/e-post", u.cookie)).status).toBe(404);
    }
    const admin = await call(mailRoute.loader as Fn, "/utveckling/e-post", users.admin.cookie);
    expect(admin.status).toBe(200);
    const { mail } = await json<{ mail: unknown[] | null }>(admin);
    expect(mail === null || Array.isArray(mail)).toBe(true);
  });

  it("is shown in production to an administrator while mail is only captured locally", async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    process.env.MAIL_CAPTURE_ACTIVE = "1";
    try {
      expect((await call(mailRoute.loader as Fn, "/utveckling/e-post", users.admin.cookie)).status).toBe(200);
      expect((await call(mailRoute.loader as Fn, "/utveckling/e-post", users.officerFinance.cookie)).status).toBe(404);
    } finally {
      process.env.NODE_ENV = before;
      delete process.env.MAIL_CAPTURE_ACTIVE;
    }
  });

  it("is 404 in production, even for an administrator", async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      expect((await call(mailRoute.loader as Fn, "/utveckling/e-post", users.admin.cookie)).status).toBe(404);
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});

describe("loading captured mail", () => {
  function fakeRoot(source: string | null): string {
    const root = mkdtempSync(path.join(tmpdir(), "captured-mail-"));
    if (source !== null) {
      mkdirSync(path.join(root, "app/notifications"), { recursive: true });
      writeFileSync(path.join(root, "app/notifications/mail.server.js"), source);
    }
    return root;
  }

  it("is null (no capture running) without the module or without the export", async () => {
    for (const source of [null, "export const somethingElse = 1;\n"]) {
      const root = fakeRoot(source);
      try {
        expect(await loadCapturedMail(root)).toBeNull();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  });

  it("lists the mail capturedMail() returns, newest first, times in Stockholm", async () => {
    const root = fakeRoot(`export function capturedMail() {
      return [
        { from: "noreply@lansstyrelsen.se", to: "a@example.se", subject: "Äldre", text: "Hej", date: new Date("2026-03-01T08:00:00Z") },
        { from: "noreply@lansstyrelsen.se", to: ["b@example.se", "c@example.se"], subject: "Nyare", text: "Hej igen", date: "2026-07-01T08:00:00Z" },
      ];
    }\n`);
    try {
      expect(await loadCapturedMail(root)).toEqual([
        { from: "noreply@lansstyrelsen.se", to: "b@example.se, c@example.se", subject: "Nyare", text: "Hej igen", date: "2026-07-01 10:00" },
        { from: "noreply@lansstyrelsen.se", to: "a@example.se", subject: "Äldre", text: "Hej", date: "2026-03-01 09:00" },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
