// The audit trail: append-only in the database (triggers, even for the table's
// owner and a superuser; no UPDATE/DELETE/TRUNCATE privilege for the app's own
// role), and tamper-evident (hash chain per case): with the triggers switched
// off by a superuser, a changed or removed event is found by
// verifyAuditChains, a removed last event by reconcile(), and
// `npm run audit:verify` exits 0 on an intact database and 1 after tampering.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { createTestDatabase, useTestDatabase, type TestDatabase } from "../support/db";
import type { Db } from "../../app/db.server";
import { applyWorkflowEvent } from "../../app/workflow/engine.server";
import { GENESIS_HASH, auditRow, canonicalJson, eventHash, verifyAuditChains } from "../../app/workflow/audit.server";
import { reconcile } from "../../app/workflow/budget.server";
import { ensureAppRole } from "../../prisma/app-role";
import { T, approve, makeWorld, openCall, presentedApplication } from "../bench/world";

const t = useTestDatabase();
const root = path.resolve(import.meta.dirname, "../..");

/** An application with five audit events: CREATED, SUBMIT, START_ASSESSMENT, PRESENT, DECIDE. */
async function decidedCase(db: Db) {
  const w = await makeWorld(db);
  const callId = await openCall(db, w, { budgetOre: 10_000_000n });
  const id = await presentedApplication(db, w, callId, 1_000_000n);
  await applyWorkflowEvent(db, w.decider, "application", id, approve(1_000_000n), { now: T.assessed });
  const events = await db.auditEvent.findMany({ where: { caseType: "application", caseId: id }, orderBy: { id: "asc" } });
  expect(events.map((e) => e.eventType)).toEqual(["CREATED", "SUBMIT", "START_ASSESSMENT", "PRESENT", "DECIDE"]);
  return { id, events };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** What only a superuser can do: switch the append-only triggers off for one statement, in a test-only connection. */
async function tamper(url: string, sql: string, params: unknown[]) {
  await withClient(url, async (c) => {
    await c.query("begin");
    await c.query(`alter table "AuditEvent" disable trigger all`);
    await c.query(sql, params);
    await c.query(`alter table "AuditEvent" enable trigger all`);
    await c.query("commit");
  });
}

const pgError = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string; message?: string }) => ({ code: e.code, message: e.message }));

describe("append-only in the database", () => {
  let ids: { id: string; events: { id: bigint }[] };
  beforeAll(async () => {
    ids = await decidedCase(t.db);
  });

  it("refuses UPDATE, DELETE and TRUNCATE from the table's owner, who is a superuser here", async () => {
    await withClient(t.url, async (c) => {
      const me = await c.query<{ owner: string; me: string; superuser: boolean }>(
        `select tableowner as owner, current_user as me, (select rolsuper from pg_roles where rolname = current_user) as superuser from pg_tables where tablename = 'AuditEvent'`,
      );
      expect(me.rows[0].owner).toBe(me.rows[0].me);
      expect(me.rows[0].superuser).toBe(true);
      const id = ids.events[2].id.toString();
      for (const [op, sql] of [
        ["UPDATE", `update "AuditEvent" set payload = '{}' where id = ${id}`],
        ["DELETE", `delete from "AuditEvent" where id = ${id}`],
        ["TRUNCATE", `truncate "AuditEvent"`],
      ] as const) {
        const e = await pgError(c.query(sql));
        expect(e, op).toEqual({ code: "42501", message: `AuditEvent is append-only: ${op} is not allowed` });
      }
    });
    await expect(t.db.auditEvent.update({ where: { id: ids.events[0].id }, data: { eventType: "FORGED" } })).rejects.toThrow(/append-only/);
    await expect(t.db.auditEvent.deleteMany({ where: { caseId: ids.id } })).rejects.toThrow(/append-only/);
    expect(await t.db.auditEvent.count({ where: { caseId: ids.id } })).toBe(5);
    expect((await verifyAuditChains(t.db)).firstBreak).toBeNull();
  });

  it("gives the app's own role no UPDATE, DELETE or TRUNCATE on it, while it may still append", async () => {
    const role = `audit_test_${randomBytes(4).toString("hex")}`;
    const appUrl = await ensureAppRole(t.url, randomBytes(12).toString("hex"), role);
    try {
      await withClient(appUrl, async (c) => {
        const id = ids.events[1].id.toString();
        for (const sql of [`update "AuditEvent" set payload = '{}' where id = ${id}`, `delete from "AuditEvent" where id = ${id}`, `truncate "AuditEvent"`]) {
          const e = await pgError(c.query(sql));
          expect(e?.code, sql).toBe("42501");
          expect(e?.message, sql).toMatch(/permission denied/);
        }
        const n = await c.query<{ n: string }>(`select count(*) as n from "AuditEvent" where "caseId" = $1`, [ids.id]);
        expect(Number(n.rows[0].n)).toBe(5);
        const grants = await c.query<{ p: string }>(`select privilege_type as p from information_schema.role_table_grants where table_name = 'AuditEvent' and grantee = $1 order by 1`, [role]);
        expect(grants.rows.map((r) => r.p)).toEqual(expect.arrayContaining(["INSERT", "SELECT"]));
        expect(grants.rows.map((r) => r.p)).not.toEqual(expect.arrayContaining(["UPDATE"]));
        expect(grants.rows.map((r) => r.p)).not.toEqual(expect.arrayContaining(["DELETE"]));
        expect(grants.rows.map((r) => r.p)).not.toEqual(expect.arrayContaining(["TRUNCATE"]));
      });
    } finally {
      await withClient(t.url, async (c) => {
        await c.query(`drop owned by ${pg.escapeIdentifier(role)}`);
        await c.query(`drop role ${pg.escapeIdentifier(role)}`);
      });
    }
  });
});

describe("tampering is detected", () => {
  // Each scenario breaks its own database, so that the first broken link is the one it made.
  const made: TestDatabase[] = [];
  async function fresh() {
    const d = await createTestDatabase();
    made.push(d);
    return { d, ...(await decidedCase(d.db)) };
  }
  afterAll(async () => {
    await Promise.all(made.map((d) => d.db.$disconnect()));
  });

  it("a changed payload: verifyAuditChains reports that very event", async () => {
    const { d, id, events } = await fresh();
    const present = events[3];
    await tamper(d.url, `update "AuditEvent" set payload = jsonb_set(payload, '{event,proposedGrantOre}', '999999999') where id = $1`, [present.id.toString()]);
    const r = await verifyAuditChains(d.db);
    expect(r.firstBreak).toEqual({ caseType: "application", caseId: id, eventId: present.id.toString(), problem: expect.stringMatching(/content does not match its hash/) });
  });

  it("a changed event whose own hash was recomputed: the next event's link reports it", async () => {
    const { d, id, events } = await fresh();
    // A careful forger rewrites the actor and fixes the row's hash; the following event still points at the old hash.
    const { eventHash } = await import("../../app/workflow/audit.server");
    const target = events[1];
    const forged = { ...target, actorId: events[3].actorId };
    const hash = eventHash(target.prevHash, { ...forged, caseType: "application" });
    await tamper(d.url, `update "AuditEvent" set "actorId" = $2, hash = $3 where id = $1`, [target.id.toString(), forged.actorId, hash]);
    const r = await verifyAuditChains(d.db);
    expect(r.firstBreak).toEqual({ caseType: "application", caseId: id, eventId: events[2].id.toString(), problem: expect.stringMatching(/prevHash does not match/) });
  });

  it("a deleted event in the middle: verifyAuditChains reports the next one", async () => {
    const { d, id, events } = await fresh();
    await tamper(d.url, `delete from "AuditEvent" where id = $1`, [events[2].id.toString()]);
    const r = await verifyAuditChains(d.db);
    expect(r.firstBreak).toEqual({ caseType: "application", caseId: id, eventId: events[3].id.toString(), problem: expect.stringMatching(/prevHash does not match/) });
  });

  it("a deleted first event: the new first event does not start the chain", async () => {
    const { d, id, events } = await fresh();
    await tamper(d.url, `delete from "AuditEvent" where id = $1`, [events[0].id.toString()]);
    const r = await verifyAuditChains(d.db);
    expect(r.firstBreak).toEqual({ caseType: "application", caseId: id, eventId: events[1].id.toString(), problem: expect.stringMatching(/does not start the chain/) });
  });

  it("a deleted last event leaves no broken link, but reconcile() finds the state change without its event", async () => {
    const { d, id, events } = await fresh();
    await tamper(d.url, `delete from "AuditEvent" where id = $1`, [events[4].id.toString()]);
    expect((await verifyAuditChains(d.db)).firstBreak).toBeNull();
    expect(await reconcile(d.db)).toContainEqual({ invariant: "every state change has its audit event", id, detail: "application version 5, 4 audit events" });
  });
});

describe("npm run audit:verify", () => {
  const run = (url: string) =>
    promisify(execFile)("npm", ["run", "--silent", "audit:verify"], { cwd: root, env: { ...process.env, DATABASE_URL: url, NODE_ENV: "production" }, timeout: 60_000 }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: `${e.stdout ?? ""}${e.stderr ?? ""}` }),
    );

  it("exits 0 on an intact database, then 1 naming the first broken link after tampering", async () => {
    const d = await createTestDatabase();
    try {
      const { id, events } = await decidedCase(d.db);
      const total = await d.db.auditEvent.count();

      const intact = await run(d.url);
      expect(intact.stdout).toContain(`Audit trail: ${total.toLocaleString("sv-SE")} events`);
      expect(intact.stdout).toContain("every chain intact");
      expect(intact.stdout).toMatch(/^OK/m);
      expect(intact.stdout).not.toContain(":postgres@"); // the password is not printed
      expect(intact.code).toBe(0);

      await tamper(d.url, `update "AuditEvent" set payload = '{"event":{"type":"DECIDE","grantedOre":99}}' where id = $1`, [events[4].id.toString()]);
      const broken = await run(d.url);
      expect(broken.stdout).toContain(`First broken link: application ${id}, event ${events[4].id}.`);
      expect(broken.stdout).toMatch(/content does not match its hash/);
      expect(broken.stdout).toMatch(/^FAILED/m);
      expect(broken.code).toBe(1);
    } finally {
      await d.db.$disconnect();
    }
  }, 90_000);

  it("exits 1 when the last event of a case was removed (found by the reconciliation)", async () => {
    const d = await createTestDatabase();
    try {
      const { id, events } = await decidedCase(d.db);
      await tamper(d.url, `delete from "AuditEvent" where id = $1`, [events[4].id.toString()]);
      const r = await run(d.url);
      expect(r.stdout).toContain("every chain intact");
      expect(r.stdout).toContain(`every state change has its audit event: ${id}: application version 5, 4 audit events`);
      expect(r.code).toBe(1);
    } finally {
      await d.db.$disconnect();
    }
  }, 90_000);
});

describe("an audit row's hash", () => {
  // auditRow builds the hashed text around the payload's canonical JSON instead of running canonicalJson
  // over the whole event: it must give exactly the hash verifyAuditChains recomputes (eventHash).
  const base = {
    actorId: "0b4f2a1e-9c1d-4c54-8f55-2b7f0d7f1a11",
    organizationId: "6c1b9c7e-2f3a-4d3e-9a8b-1c2d3e4f5a6b",
    caseType: "application" as const,
    caseId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    eventType: "DECIDE",
    fromState: "presented",
    toState: "decided.approved",
    occurredAt: new Date("2026-03-04T05:06:07.089Z"),
  };
  const payloads: unknown[] = [
    {},
    { event: { type: "DECIDE", outcome: "approved", grantedOre: 100_000, reasons: "Väl förankrat \"projekt\" – åäö\n\u2028" }, details: { conditions: "" }, effects: ["recordDecision", "reserveBudget"] },
    { z: 1, a: { y: [3, { b: 2n, a: new Date("2026-01-01T00:00:00Z") }], x: undefined }, m: null },
    [1, "två", { c: 3n }],
    "text",
  ];
  it("is eventHash of the same event, for every payload and with null fields", () => {
    for (const payload of payloads) {
      for (const nulls of [{}, { actorId: null, fromState: null, organizationId: null }]) {
        const input = { ...base, ...nulls, payload };
        const row = auditRow(GENESIS_HASH, input);
        expect(row.hash).toBe(eventHash(GENESIS_HASH, { ...input, payload: row.payload }));
        expect(JSON.parse(row.payloadJson!)).toEqual(JSON.parse(canonicalJson(payload)));
        const next = auditRow(row.hash, { ...input, eventType: "CONFIRM_DECISION" });
        expect(next.hash).toBe(eventHash(row.hash, { ...input, eventType: "CONFIRM_DECISION", payload: next.payload }));
      }
    }
  });
  it("falls back to canonicalJson when a field is not text or null", () => {
    const input = { ...base, actorId: undefined as unknown as null, payload: { a: 1 } };
    const row = auditRow(GENESIS_HASH, input);
    expect(row.payloadJson).toBeUndefined();
    expect(row.hash).toBe(eventHash(GENESIS_HASH, { ...input, payload: row.payload }));
    const odd = { ...base, payload: () => 1 };
    const oddRow = auditRow(GENESIS_HASH, odd);
    expect(oddRow.payloadJson).toBeUndefined();
    expect(oddRow.hash).toBe(eventHash(GENESIS_HASH, { ...odd, payload: oddRow.payload }));
  });
});
