// The app's own database role cannot rewrite or remove audit events, by privilege.
import { describe, it, expect } from "vitest";
import pg from "pg";
import { useTestDatabase } from "../support/db";
import { ensureAppRole } from "../../prisma/app-role";

describe("the app's database role", () => {
  const t = useTestDatabase();

  it("may insert and read audit events but not update, delete or truncate them", async () => {
    const appUrl = await ensureAppRole(t.url, "test-password", `app_role_${process.pid}`);
    const c = new pg.Client({ connectionString: appUrl });
    await c.connect();
    try {
      await c.query(`insert into "AuditEvent"("caseType", "caseId", "eventType", "prevHash", hash) values ('application', gen_random_uuid(), 'SUBMIT', repeat('0', 64), 'h')`);
      expect((await c.query(`select count(*)::int as n from "AuditEvent"`)).rows[0].n).toBe(1);
      await expect(c.query(`update "AuditEvent" set "eventType" = 'X'`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`delete from "AuditEvent"`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`truncate "AuditEvent"`)).rejects.toThrow(/permission denied/);
      // …while it can still do its ordinary work on case tables.
      expect((await c.query(`select count(*)::int as n from "County"`)).rows[0].n).toBe(21);
    } finally {
      await c.end();
    }
  });
});
