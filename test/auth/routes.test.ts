// The sign-in and sign-out routes, called as Remix calls them, with real Requests and a real database.
import { beforeAll, describe, expect, it } from "vitest";
import * as signIn from "../../app/routes/logga-in";
import * as signOut from "../../app/routes/logga-ut";
import { MAX_FAILURES_PER_EMAIL } from "../../app/auth/login.server";
import { browserRequest, cookiePair, createUser, PASSWORD, responseOf } from "./helpers";
import { useTestDatabase } from "../support/db";

const t = useTestDatabase();
beforeAll(() => {
  // the routes use the process client, db(), created on first use from DATABASE_URL
  process.env.DATABASE_URL = t.url;
});

const args = (request: Request) => ({ request, params: {}, context: {} });
const postSignIn = (form: Record<string, string>, opts: { cookie?: string; headers?: Record<string, string>; path?: string } = {}) =>
  responseOf(() => signIn.action(args(browserRequest(opts.path ?? "/logga-in", { form, cookie: opts.cookie, headers: opts.headers }))));

async function signedInCookie(userId: string) {
  const response = await postSignInAs(userId);
  return cookiePair(response.headers.get("Set-Cookie")!);
}
async function postSignInAs(userId: string) {
  const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
  return postSignIn({ email: user.email, password: PASSWORD });
}

describe("GET /logga-in", () => {
  it("shows the form to a signed-out visitor, keeping only a safe redirectTo", async () => {
    const data = (path: string) => signIn.loader(args(browserRequest(path)));
    expect(await data("/logga-in")).toEqual({ redirectTo: "/" });
    expect(await data("/logga-in?redirectTo=%2Fansokningar%3Fsida%3D2")).toEqual({ redirectTo: "/ansokningar?sida=2" });
    for (const evil of ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "ansokningar"]) {
      expect(await data(`/logga-in?redirectTo=${encodeURIComponent(evil)}`)).toEqual({ redirectTo: "/" });
    }
  });

  it("sends a signed-in user to the start page", async () => {
    const user = await createUser(t.db);
    const cookie = await signedInCookie(user.id);
    const response = await responseOf(() => signIn.loader(args(browserRequest("/logga-in", { cookie }))));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
  });
});

describe("POST /logga-in", () => {
  it("signs in: a new session cookie and a redirect to redirectTo", async () => {
    const user = await createUser(t.db);
    const response = await postSignIn({ email: ` ${user.email.toUpperCase()}`, password: PASSWORD, redirectTo: "/ansokningar?sida=2" });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/ansokningar?sida=2");
    const setCookie = response.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^__session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(await t.db.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(1);
  });

  it("never redirects off the site", async () => {
    const user = await createUser(t.db);
    for (const redirectTo of ["//evil.example/x", "https://evil.example", "/\\evil.example", ""]) {
      const response = await postSignIn({ email: user.email, password: PASSWORD, redirectTo });
      expect(response.headers.get("Location"), redirectTo).toBe("/");
    }
  });

  it("gives a new session id at each sign-in and revokes the one the browser came with", async () => {
    const user = await createUser(t.db);
    const first = await signedInCookie(user.id);
    const second = await postSignIn({ email: user.email, password: PASSWORD }, { cookie: first });
    const secondCookie = cookiePair(second.headers.get("Set-Cookie")!);
    expect(secondCookie).not.toBe(first);
    expect(await t.db.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(1);
  });

  it("answers 400 with a Swedish message per field when input is missing or malformed, keeping the e-mail", async () => {
    const empty = await postSignIn({});
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ email: "", fieldErrors: { email: "Ange din e-postadress.", password: "Ange ditt lösenord." } });

    const malformed = await postSignIn({ email: "anna.lansstyrelsen.se", password: "hemligt" });
    expect(malformed.status).toBe(400);
    const body = await malformed.json();
    expect(body).toEqual({ email: "anna.lansstyrelsen.se", fieldErrors: { email: expect.stringContaining("rätt format") } });
    expect(JSON.stringify(body)).not.toContain("hemligt");
  });

  it("answers 401 with one message for a wrong password, an unknown e-mail and a deactivated account", async () => {
    const user = await createUser(t.db);
    const inactive = await createUser(t.db, { active: false });
    for (const form of [
      { email: user.email, password: "fel lösenord" },
      { email: "ingen.alls@example.se", password: PASSWORD },
      { email: inactive.email, password: PASSWORD },
    ]) {
      const response = await postSignIn(form);
      expect(response.status).toBe(401);
      expect(response.headers.get("Set-Cookie")).toBeNull();
      const body = await response.json();
      expect(body).toEqual({ email: form.email, fieldErrors: {}, formError: "Fel e-postadress eller lösenord." });
      expect(JSON.stringify(body)).not.toContain(form.password);
    }
  });

  it("answers 429 with the wait time once throttled, even for the right password", async () => {
    const user = await createUser(t.db);
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) expect((await postSignIn({ email: user.email, password: `fel${i}` })).status).toBe(401);
    const response = await postSignIn({ email: user.email, password: PASSWORD });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
    expect(response.headers.get("Set-Cookie")).toBeNull();
    expect((await response.json()).formError).toBe("För många misslyckade inloggningsförsök. Vänta 15 minuter och försök sedan igen.");
  });

  it("refuses a cross-site sign-in (login CSRF) with 403", async () => {
    const user = await createUser(t.db);
    const crossSite: Record<string, string>[] = [{ Origin: "https://evil.example" }, { "Sec-Fetch-Site": "cross-site" }];
    for (const headers of crossSite) {
      const response = await postSignIn({ email: user.email, password: PASSWORD }, { headers });
      expect(response.status).toBe(403);
    }
    const bare = new Request("http://localhost:3000/logga-in", { method: "POST", body: new URLSearchParams({ email: user.email, password: PASSWORD }) });
    expect((await responseOf(() => signIn.action(args(bare)))).status).toBe(403);
    expect(await t.db.session.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("/logga-ut", () => {
  it("does nothing on GET but send the visitor to the start page", async () => {
    const user = await createUser(t.db);
    await signedInCookie(user.id);
    const response = await responseOf(() => signOut.loader());
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(await t.db.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(1);
  });

  it("on POST revokes the session, clears the cookie and goes to the sign-in page", async () => {
    const user = await createUser(t.db);
    const cookie = await signedInCookie(user.id);
    const response = await responseOf(() => signOut.action(args(browserRequest("/logga-ut", { form: {}, cookie }))));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/logga-in");
    expect(response.headers.get("Set-Cookie")).toMatch(/^__session=; .*Max-Age=0/);
    expect(await t.db.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    const after = await responseOf(() => signIn.loader(args(browserRequest("/logga-in", { cookie }))));
    expect(after.status).toBe(200); // signed out: the form is shown again
  });

  it("refuses a cross-site sign-out with 403 and keeps the session", async () => {
    const user = await createUser(t.db);
    const cookie = await signedInCookie(user.id);
    const request = browserRequest("/logga-ut", { form: {}, cookie, headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" } });
    expect((await responseOf(() => signOut.action(args(request)))).status).toBe(403);
    expect(await t.db.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(1);
  });
});

describe("document headers", () => {
  it("keep the action's Retry-After for a browser without JavaScript, and are never cached", () => {
    const h = new Headers(signIn.headers({ actionHeaders: new Headers({ "Retry-After": "120" }), loaderHeaders: new Headers(), parentHeaders: new Headers(), errorHeaders: undefined }));
    expect(h.get("Retry-After")).toBe("120");
    expect(h.get("Cache-Control")).toBe("no-store");
  });
});
