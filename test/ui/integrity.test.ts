// The admin's integrity page runs the reconciliation and the audit-chain check
// on the live database and says plainly whether everything holds.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { boardOf, makePublishedCall, makeUser } from "../support/fixtures";
import { browserRequest, responseOf, sessionCookie } from "../access/world";
import * as integrityRoute from "../../app/routes/_app.admin.kontroll";
import type { IntegrityReport } from "../../app/admin/integrity.server";

const t = useTestDatabase();

describe("/admin/kontroll", () => {
  let adminCookie: string;
  let officerCookie: string;

  beforeAll(async () => {
    process.env.DATABASE_URL = t.url;
    const board = await boardOf(t.db, "05");
    const admin = await makeUser(t.db, [{ organizationId: board.id, role: "admin" }]);
    const officer = await makeUser(t.db, [{ organizationId: board.id, role: "officer" }]);
    adminCookie = await sessionCookie(t.db, admin.id);
    officerCookie = await sessionCookie(t.db, officer.id);
    await makePublishedCall(t.db, officer, board.id);
  });

  const load = (cookie: string) =>
    responseOf(() => integrityRoute.loader({ request: browserRequest("/admin/kontroll", { cookie }), params: {}, context: {} }));

  it("reports an intact database, and then the first tampered budget total and audit event", async () => {
    const ok = (await (await load(adminCookie)).json()) as IntegrityReport;
    expect(ok.ok).toBe(true);
    expect(ok.audit.firstBreak).toBeNull();
    expect(ok.audit.events).toBeGreaterThan(0);

    // Someone with database access raises a running total and rewrites an audit event behind the app's back.
    await t.db.$executeRawUnsafe(`update "Allocation" set "committedOre" = "committedOre" + 1`);
    await t.db.$executeRawUnsafe(`alter table "AuditEvent" disable trigger all`);
    await t.db.$executeRawUnsafe(`update "AuditEvent" set payload = '{"forged": true}' where id = (select min(id) from "AuditEvent")`);
    await t.db.$executeRawUnsafe(`alter table "AuditEvent" enable trigger all`);

    const bad = (await (await load(adminCookie)).json()) as IntegrityReport;
    expect(bad.ok).toBe(false);
    expect(bad.violations.map((v) => v.invariant)).toContain("allocation committed = Σ call budgets ≤ amount");
    expect(bad.audit.firstBreak?.problem).toMatch(/changed/);
  });

  it("is for administrators only", async () => {
    expect((await load(officerCookie)).status).toBe(403);
  });
});
