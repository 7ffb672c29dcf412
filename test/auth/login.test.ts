import { describe, expect, it, vi } from "vitest";
import { attemptSignIn, clientIp, MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP } from "../../app/auth/login.server";
import { createUser, PASSWORD } from "./helpers";
import { useTestDatabase } from "../support/db";

const t = useTestDatabase();

describe("attemptSignIn", () => {
  it("signs in with the right password, whatever the e-mail's case and spaces, and records the attempt", async () => {
    const user = await createUser(t.db);
    const result = await attemptSignIn(t.db, { email: `  ${user.email.toUpperCase()} `, password: PASSWORD, ip: "10.0.0.1" });
    expect(result).toEqual({ ok: true, userId: user.id });
    const attempts = await t.db.loginAttempt.findMany({ where: { email: user.email } });
    expect(attempts).toMatchObject([{ ip: "10.0.0.1", success: true }]);
  });

  it("refuses a wrong password, an unknown e-mail and a deactivated account alike, and records each", async () => {
    const user = await createUser(t.db);
    const inactive = await createUser(t.db, { active: false });
    expect(await attemptSignIn(t.db, { email: user.email, password: "fel", ip: "10.0.0.2" })).toEqual({ ok: false, reason: "invalid" });
    expect(await attemptSignIn(t.db, { email: "ingen@example.se", password: PASSWORD, ip: "10.0.0.2" })).toEqual({ ok: false, reason: "invalid" });
    expect(await attemptSignIn(t.db, { email: inactive.email, password: PASSWORD, ip: "10.0.0.2" })).toEqual({ ok: false, reason: "invalid" });
    expect(await t.db.loginAttempt.count({ where: { ip: "10.0.0.2", success: false } })).toBe(3);
  });

  it(`throttles an e-mail after ${MAX_FAILURES_PER_EMAIL} failures, refuses even the right password, and lets go after 15 minutes`, async () => {
    const user = await createUser(t.db);
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) {
      // from different addresses: the limit follows the account, not the source
      expect(await attemptSignIn(t.db, { email: user.email, password: `fel${i}`, ip: `10.1.0.${i}` })).toMatchObject({ reason: "invalid" });
    }
    const throttled = await attemptSignIn(t.db, { email: user.email, password: PASSWORD, ip: "10.1.1.1" });
    expect(throttled).toMatchObject({ ok: false, reason: "throttled" });
    if (throttled.ok) throw new Error("unreachable");
    expect(throttled.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(throttled.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    // the refused attempt is recorded too
    expect(await t.db.loginAttempt.count({ where: { email: user.email } })).toBe(MAX_FAILURES_PER_EMAIL + 1);

    // Other accounts are not affected.
    const other = await createUser(t.db);
    expect(await attemptSignIn(t.db, { email: other.email, password: PASSWORD, ip: "10.1.1.1" })).toMatchObject({ ok: true });

    // Age the attempts past the window: the right password works again.
    await t.db.$executeRaw`update "LoginAttempt" set "createdAt" = "createdAt" - interval '16 minutes' where email = ${user.email}`;
    expect(await attemptSignIn(t.db, { email: user.email, password: PASSWORD, ip: "10.1.1.1" })).toEqual({ ok: true, userId: user.id });
  });

  it("counts only failures since the last successful sign-in", async () => {
    const user = await createUser(t.db);
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL - 1; i++) await attemptSignIn(t.db, { email: user.email, password: "fel", ip: "10.2.0.1" });
    expect(await attemptSignIn(t.db, { email: user.email, password: PASSWORD, ip: "10.2.0.1" })).toMatchObject({ ok: true });
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL - 1; i++) await attemptSignIn(t.db, { email: user.email, password: "fel", ip: "10.2.0.1" });
    expect(await attemptSignIn(t.db, { email: user.email, password: PASSWORD, ip: "10.2.0.1" })).toMatchObject({ ok: true });
  });

  it(`throttles an IP address after ${MAX_FAILURES_PER_IP} failures across e-mails`, async () => {
    const user = await createUser(t.db);
    const ip = "10.3.0.1";
    await t.db.loginAttempt.createMany({
      data: Array.from({ length: MAX_FAILURES_PER_IP }, (_, i) => ({ email: `gissning${i}@example.se`, ip, success: false })),
    });
    expect(await attemptSignIn(t.db, { email: user.email, password: PASSWORD, ip })).toMatchObject({ ok: false, reason: "throttled" });
    expect(await attemptSignIn(t.db, { email: user.email, password: PASSWORD, ip: "10.3.0.2" })).toMatchObject({ ok: true });
    // An unknown address is not one shared bucket: it would let anyone lock everybody out.
    await t.db.loginAttempt.createMany({
      data: Array.from({ length: MAX_FAILURES_PER_IP }, (_, i) => ({ email: `gissning${i}@example.se`, ip: "unknown", success: false })),
    });
    expect(await attemptSignIn(t.db, { email: user.email, password: PASSWORD, ip: null })).toMatchObject({ ok: true });
  });

  it("lets no more than the limit through when guesses arrive in parallel", async () => {
    const user = await createUser(t.db);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attemptSignIn(t.db, { email: user.email, password: `fel${i}`, ip: "10.4.0.1" })),
    );
    const verified = results.filter((r) => !r.ok && r.reason === "invalid").length;
    expect(verified).toBeLessThanOrEqual(MAX_FAILURES_PER_EMAIL);
    expect(results.filter((r) => !r.ok && r.reason === "throttled").length).toBeGreaterThanOrEqual(12 - MAX_FAILURES_PER_EMAIL);
  });
});

describe("clientIp", () => {
  it("prefers the server's context, and reads X-Forwarded-For only behind a trusted proxy, taking the proxy's own entry", () => {
    const request = new Request("http://localhost/", { headers: { "X-Forwarded-For": "1.2.3.4, 10.9.8.7" } });
    expect(clientIp(request, {})).toBeNull();
    expect(clientIp(request, { clientIp: "192.0.2.1" })).toBe("192.0.2.1");
    vi.stubEnv("TRUST_PROXY", "1");
    try {
      expect(clientIp(request, {})).toBe("10.9.8.7");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
