import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSession, destroySession, getUser, requireUser, revokeAllSessions } from "../../app/auth/session.server";
import { browserRequest, cookiePair, createUser, responseOf } from "./helpers";
import { useTestDatabase } from "../support/db";
import { countSocketWrites } from "../support/socket-writes";

const t = useTestDatabase();

afterEach(() => {
  vi.unstubAllEnvs();
});

async function signIn(opts: { active?: boolean } = {}) {
  const user = await createUser(t.db, opts);
  const setCookie = await createSession(t.db, user.id, browserRequest("/logga-in", { form: {}, headers: { "User-Agent": "Testwebbläsare/1.0" } }));
  const rawId = cookiePair(setCookie).split("=")[1];
  const id = createHash("sha256").update(rawId).digest("hex");
  return { user, setCookie, cookie: cookiePair(setCookie), rawId, id };
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe("sessions", () => {
  it("stores only the SHA-256 of the cookie's random id, and finds the user with memberships by the cookie", async () => {
    const s = await signIn();
    expect(s.rawId).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(await t.db.session.findUnique({ where: { id: s.rawId } })).toBeNull();
    const row = await t.db.session.findUniqueOrThrow({ where: { id: s.id } });
    expect(row).toMatchObject({ userId: s.user.id, revokedAt: null, userAgent: "Testwebbläsare/1.0" });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(12 * 3_600_000);

    const user = await getUser(browserRequest("/", { cookie: s.cookie }), t.db);
    expect(user).toEqual({
      id: s.user.id,
      email: s.user.email,
      name: s.user.name,
      sessionId: s.id,
      unreadNotices: 0,
      memberships: [
        expect.objectContaining({ organizationName: "Länsstyrelsen Östergötland", kind: "county_board", countyCode: "05", municipalityCode: null, role: "officer" }),
      ],
    });
  });

  it("a page's loaders asking at once share one read of the session; the next request reads it afresh", async () => {
    const s = await signIn();
    const request = () => browserRequest("/", { cookie: s.cookie });
    await getUser(request(), t.db); // opens a connection and refreshes lastSeenAt first

    const writes = countSocketWrites();
    const [layout, route] = await Promise.all([getUser(request(), t.db), getUser(request(), t.db)]);
    expect(writes.stop()).toBe(1);
    expect(layout).toEqual(route);
    expect(layout?.id).toBe(s.user.id);

    // Nothing is kept once answered: a sign-out takes effect on the very next request.
    await destroySession(t.db, browserRequest("/logga-ut", { form: {}, cookie: s.cookie }));
    expect(await getUser(request(), t.db)).toBeNull();
  });

  it("reads the bell's unread count with the session", async () => {
    const s = await signIn();
    const notice = (n: number, readAt: Date | null) => ({ userId: s.user.id, topic: "decision", title: "Beslut", body: "Ett beslut har fattats.", link: "/", dedupeKey: `test-${s.id}-${n}`, readAt });
    await t.db.notification.createMany({ data: [notice(1, null), notice(2, null), notice(3, new Date())] });
    expect((await getUser(browserRequest("/", { cookie: s.cookie }), t.db))?.unreadNotices).toBe(2);
    await t.db.notification.updateMany({ where: { userId: s.user.id }, data: { readAt: new Date() } });
    expect((await getUser(browserRequest("/", { cookie: s.cookie }), t.db))?.unreadNotices).toBe(0);
  });

  it("is signed out without a cookie, or with an unknown or malformed one", async () => {
    expect(await getUser(browserRequest("/"), t.db)).toBeNull();
    expect(await getUser(browserRequest("/", { cookie: `__session=${"A".repeat(43)}` }), t.db)).toBeNull();
    expect(await getUser(browserRequest("/", { cookie: "__session=' or 1=1 --" }), t.db)).toBeNull();
    // the stored hash itself is not a valid cookie: a leaked database gives no sessions
    const s = await signIn();
    expect(await getUser(browserRequest("/", { cookie: `__session=${s.id}` }), t.db)).toBeNull();
  });

  it("ends after 30 idle minutes, and refreshes lastSeenAt at most once a minute", async () => {
    const s = await signIn();
    const request = () => browserRequest("/", { cookie: s.cookie });

    const recent = new Date(Date.now() - 30_000);
    await t.db.session.update({ where: { id: s.id }, data: { lastSeenAt: recent } });
    expect(await getUser(request(), t.db)).not.toBeNull();
    expect((await t.db.session.findUniqueOrThrow({ where: { id: s.id } })).lastSeenAt).toEqual(recent);

    await t.db.session.update({ where: { id: s.id }, data: { lastSeenAt: minutesAgo(29) } });
    expect(await getUser(request(), t.db)).not.toBeNull();
    const touched = (await t.db.session.findUniqueOrThrow({ where: { id: s.id } })).lastSeenAt;
    expect(Date.now() - touched.getTime()).toBeLessThan(5_000);

    await t.db.session.update({ where: { id: s.id }, data: { lastSeenAt: minutesAgo(31) } });
    expect(await getUser(request(), t.db)).toBeNull();
  });

  it("takes the idle timeout from SESSION_IDLE_MINUTES", async () => {
    vi.stubEnv("SESSION_IDLE_MINUTES", "5");
    const s = await signIn();
    await t.db.session.update({ where: { id: s.id }, data: { lastSeenAt: minutesAgo(6) } });
    expect(await getUser(browserRequest("/", { cookie: s.cookie }), t.db)).toBeNull();
  });

  it("ends at its absolute lifetime even while in use", async () => {
    const a = await signIn();
    await t.db.session.update({ where: { id: a.id }, data: { expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() } });
    expect(await getUser(browserRequest("/", { cookie: a.cookie }), t.db)).toBeNull();

    // created 13 hours ago: over SESSION_MAX_HOURS (12) even if expiresAt says otherwise
    const b = await signIn();
    await t.db.session.update({ where: { id: b.id }, data: { createdAt: minutesAgo(13 * 60), lastSeenAt: new Date() } });
    expect(await getUser(browserRequest("/", { cookie: b.cookie }), t.db)).toBeNull();

    vi.stubEnv("SESSION_MAX_HOURS", "1");
    const c = await signIn();
    expect((await t.db.session.findUniqueOrThrow({ where: { id: c.id } })).expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
    await t.db.session.update({ where: { id: c.id }, data: { createdAt: minutesAgo(61), lastSeenAt: new Date() } });
    expect(await getUser(browserRequest("/", { cookie: c.cookie }), t.db)).toBeNull();
  });

  it("is signed out when revoked: by sign-out, everywhere, or when the user is deactivated", async () => {
    const a = await signIn();
    const cleared = await destroySession(t.db, browserRequest("/logga-ut", { form: {}, cookie: a.cookie }));
    expect(cleared).toMatch(/^__session=; /);
    expect(cleared).toContain("Max-Age=0");
    expect((await t.db.session.findUniqueOrThrow({ where: { id: a.id } })).revokedAt).not.toBeNull();
    expect(await getUser(browserRequest("/", { cookie: a.cookie }), t.db)).toBeNull();

    const b = await signIn();
    const second = await createSession(t.db, b.user.id, browserRequest("/logga-in", { form: {} }));
    expect(await revokeAllSessions(t.db, b.user.id)).toBe(2);
    expect(await getUser(browserRequest("/", { cookie: b.cookie }), t.db)).toBeNull();
    expect(await getUser(browserRequest("/", { cookie: cookiePair(second) }), t.db)).toBeNull();

    const c = await signIn();
    await t.db.user.update({ where: { id: c.user.id }, data: { active: false } });
    expect(await getUser(browserRequest("/", { cookie: c.cookie }), t.db)).toBeNull();
  });

  it("gets a new id at every sign-in, and a sign-in revokes the session the browser came with", async () => {
    const a = await signIn();
    const again = await createSession(t.db, a.user.id, browserRequest("/logga-in", { form: {}, cookie: a.cookie }));
    expect(cookiePair(again)).not.toBe(a.cookie);
    expect(await getUser(browserRequest("/", { cookie: a.cookie }), t.db)).toBeNull();
    expect(await getUser(browserRequest("/", { cookie: cookiePair(again) }), t.db)).toMatchObject({ id: a.user.id });
  });

  it("sets the cookie HttpOnly, SameSite=Lax, Path=/, without Max-Age; Secure in production unless COOKIE_SECURE=0", async () => {
    const user = await createUser(t.db);
    const attrs = (setCookie: string) => setCookie.split("; ").slice(1);
    const dev = await createSession(t.db, user.id, browserRequest("/logga-in", { form: {} }));
    expect(dev).toMatch(/^__session=[A-Za-z0-9_-]{43}; /);
    expect(attrs(dev).sort()).toEqual(["HttpOnly", "Path=/", "SameSite=Lax"]);

    vi.stubEnv("NODE_ENV", "production");
    const prod = await createSession(t.db, user.id, browserRequest("/logga-in", { form: {} }));
    expect(attrs(prod).sort()).toEqual(["HttpOnly", "Path=/", "SameSite=Lax", "Secure"]);
    expect(await destroySession(t.db, browserRequest("/logga-ut", { form: {} }))).toContain("; Secure");

    vi.stubEnv("COOKIE_SECURE", "0");
    const plainHttp = await createSession(t.db, user.id, browserRequest("/logga-in", { form: {} }));
    expect(attrs(plainHttp)).not.toContain("Secure");
  });

  it("requireUser sends a signed-out visitor to the sign-in page, with the way back, clearing a dead cookie", async () => {
    const response = await responseOf(() => requireUser(browserRequest("/ansokningar?status=inkommen&sida=2"), t.db));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/logga-in?redirectTo=${encodeURIComponent("/ansokningar?status=inkommen&sida=2")}`);
    expect(response.headers.get("Set-Cookie")).toBeNull();

    const s = await signIn();
    await t.db.session.update({ where: { id: s.id }, data: { revokedAt: new Date() } });
    const dead = await responseOf(() => requireUser(browserRequest("/", { cookie: s.cookie }), t.db));
    expect(dead.headers.get("Set-Cookie")).toMatch(/^__session=; .*Max-Age=0/);

    const live = await signIn();
    expect(await requireUser(browserRequest("/", { cookie: live.cookie }), t.db)).toMatchObject({ id: live.user.id });
  });
});
