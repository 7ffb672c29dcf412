// Shared set-up for the auth tests: users with real argon2 hashes, and requests as a browser sends them.
import { randomBytes } from "node:crypto";
import { beforeAll, inject } from "vitest";
import pg from "pg";
import type { Db } from "../../app/db.server";
import { hashPassword } from "../../app/auth/password.server";
import { useTestDatabase, type TestDatabase } from "../support/db";

export const ORIGIN = "http://localhost:3000";
export const PASSWORD = "rätt häst batteri häftklammer";

let counter = 0;

/**
 * useTestDatabase(), after waiting for the migration engine's last connection to the template
 * database to close. prisma/migrator.ts frees the engine but not its pg pool, whose idle connection
 * lingers ~10 s and makes `create database ... template` fail with "being accessed by other users"
 * for the first test file of a run. Remove this wrapper once the harness closes that pool.
 */
export function useAuthTestDatabase(): TestDatabase {
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: inject("adminDatabaseUrl") });
    await admin.connect();
    try {
      for (let i = 0; i < 150; i++) {
        const { rows } = await admin.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [inject("templateDatabase")]);
        if (rows[0].n === 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await admin.end();
    }
  });
  return useTestDatabase();
}

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

/** "name=value" from a Set-Cookie header value, for sending back as a Cookie header. */
export function cookiePair(setCookie: string): string {
  return setCookie.split(";")[0];
}

/** Runs a loader or action and returns its Response whether it was returned or thrown. */
export async function responseOf(run: () => Promise<unknown> | unknown): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    return Response.json(result);
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}
