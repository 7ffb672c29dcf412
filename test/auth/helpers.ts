// Shared set-up for the auth tests: users with real argon2 hashes, and requests as a browser sends them.
import { randomBytes } from "node:crypto";
import type { Db } from "../../app/db.server";
import { hashPassword } from "../../app/auth/password.server";

export const ORIGIN = "http://localhost:3000";
export const PASSWORD = "rätt häst batteri häftklammer";

let counter = 0;

/** A user with one membership (officer at Länsstyrelsen Östergötland), e-mail in lower case as stored. */
export async function createUser(db: Db, opts: { email?: string; password?: string; active?: boolean } = {}) {
  const n = ++counter;
  const email = opts.email ?? `user${n}-${randomBytes(3).toString("hex")}@lansstyrelsen.se`;
  const org = await db.organization.findFirstOrThrow({ where: { kind: "county_board", countyCode: "05" } });
  return db.user.create({
    data: {
      email,
      name: `Test Testsson ${n}`,
      passwordHash: await hashPassword(opts.password ?? PASSWORD),
      active: opts.active ?? true,
      memberships: { create: { organizationId: org.id, role: "officer" } },
    },
  });
}

/** A same-origin request as a modern browser's form submission sends it. */
export function browserRequest(path: string, init: { method?: string; form?: Record<string, string>; cookie?: string; headers?: Record<string, string> } = {}) {
  const method = init.method ?? (init.form ? "POST" : "GET");
  const headers = new Headers({ Host: new URL(ORIGIN).host, ...(method === "GET" ? {} : { Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" }) });
  if (init.cookie) headers.set("Cookie", init.cookie);
  for (const [k, v] of Object.entries(init.headers ?? {})) headers.set(k, v);
  return new Request(ORIGIN + path, { method, headers, body: init.form ? new URLSearchParams(init.form) : undefined });
}

export { cookiePair, responseOf } from "../support/http";
