// Each test file gets its own database, cloned from the migrated template.
import { inject, afterAll, beforeAll } from "vitest";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, type Db } from "../../app/db.server";

export type TestDatabase = { url: string; name: string; db: Db };

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("adminDatabaseUrl");
  const template = inject("templateDatabase");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // PostgreSQL refuses to copy a template while anyone else is connected to it,
    // which includes another test file cloning it at the same moment: retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(template)}`);
        break;
      } catch (error) {
        if (attempt >= 100 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
      }
    }
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = createDb(url);
  return { url, name, db };
}

/** A database for this test file: created before its tests, disconnected after. */
export function useTestDatabase(): TestDatabase {
  const ref = {} as TestDatabase;
  beforeAll(async () => {
    Object.assign(ref, await createTestDatabase());
  });
  afterAll(async () => {
    await ref.db?.$disconnect();
  });
  return ref;
}
