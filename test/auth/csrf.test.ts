import { afterEach, describe, expect, it, vi } from "vitest";
import { assertSameOrigin, requireUserForAction } from "../../app/auth/csrf.server";
import { createSession } from "../../app/auth/session.server";
import { browserRequest, cookiePair, createUser, responseOf } from "./helpers";
import { useTestDatabase } from "../support/db";

const t = useTestDatabase();

afterEach(() => {
  vi.unstubAllEnvs();
});

function post(headers: Record<string, string>, url = "http://localhost:3000/ansokningar") {
  return new Request(url, { method: "POST", headers: { Host: new URL(url).host, ...headers }, body: new URLSearchParams({ a: "1" }) });
}

async function refusal(request: Request): Promise<Response | null> {
  try {
    assertSameOrigin(request);
    return null;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

describe("assertSameOrigin", () => {
  it("refuses a cross-site POST with 403 and a Swedish message", async () => {
    const cases: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site" }, // a sibling subdomain is another application
      { Origin: "https://evil.example", "Sec-Fetch-Site": "same-origin" }, // both must agree
      { Origin: "http://localhost:3000", "Sec-Fetch-Site": "cross-site" },
      { Origin: "null" }, // sandboxed frame or privacy-restricted context
      { Origin: "http://localhost:3001" }, // another port is another origin
    ];
    for (const headers of cases) {
      const response = await refusal(post(headers));
      expect(response?.status, JSON.stringify(headers)).toBe(403);
      expect(await response?.text()).toContain("inte kom från den här webbplatsen");
    }
  });

  it("refuses a state-changing request that carries neither Origin nor Sec-Fetch-Site", async () => {
    expect((await refusal(post({})))?.status).toBe(403);
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expect((await refusal(new Request("http://localhost:3000/x", { method })))?.status).toBe(403);
    }
  });

  it("accepts same-origin requests, and leaves GET, HEAD and OPTIONS alone", async () => {
    expect(await refusal(post({ Origin: "http://localhost:3000", "Sec-Fetch-Site": "same-origin" }))).toBeNull();
    expect(await refusal(post({ Origin: "http://LOCALHOST:3000" }))).toBeNull(); // older browser: Origin only
    expect(await refusal(post({ "Sec-Fetch-Site": "same-origin" }))).toBeNull();
    expect(await refusal(post({ "Sec-Fetch-Site": "none" }))).toBeNull(); // the user's own navigation
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect(await refusal(new Request("http://localhost:3000/x", { method, headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" } }))).toBeNull();
    }
  });

  it("uses X-Forwarded-Host only behind a trusted proxy (TRUST_PROXY=1)", async () => {
    const behindProxy = () => post({ Origin: "https://bidrag.lansstyrelsen.se", "X-Forwarded-Host": "bidrag.lansstyrelsen.se" }, "http://app-1:3000/x");
    expect((await refusal(behindProxy()))?.status).toBe(403);
    vi.stubEnv("TRUST_PROXY", "1");
    expect(await refusal(behindProxy())).toBeNull();
    // and then an attacker's Origin still does not match the forwarded host
    expect((await refusal(post({ Origin: "https://evil.example", "X-Forwarded-Host": "bidrag.lansstyrelsen.se" })))?.status).toBe(403);
  });
});

describe("requireUserForAction", () => {
  it("refuses cross-site before looking at the session, and requires a signed-in user", async () => {
    const user = await createUser(t.db);
    const cookie = cookiePair(await createSession(t.db, user.id, browserRequest("/logga-in", { form: {} })));

    const crossSite = await responseOf(() => requireUserForAction(post({ Origin: "https://evil.example", Cookie: cookie }), t.db));
    expect(crossSite.status).toBe(403);

    const signedOut = await responseOf(() => requireUserForAction(browserRequest("/ansokningar", { form: {} }), t.db));
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("Location")).toBe("/logga-in?redirectTo=%2Fansokningar");

    expect(await requireUserForAction(browserRequest("/ansokningar", { form: {}, cookie }), t.db)).toMatchObject({ id: user.id });
  });
});
