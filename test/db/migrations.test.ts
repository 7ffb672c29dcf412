// No drift: a database built from prisma/migrations alone has exactly the
// tables, columns, indexes and foreign keys that schema.prisma describes.
import { describe, it, expect, inject, beforeAll, afterAll } from "vitest";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { applyMigrations, diffSchemas, isEmptyDiff, lastMigratedSchema, SCHEMA_PATH } from "../../prisma/migrator";

const adminUrl = () => inject("adminDatabaseUrl");
const urlFor = (name: string) => {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
};

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The parts of a catalogue Prisma's schema language describes. */
async function describeSchema(url: string) {
  return withClient(url, async (c) => {
    const columns = await c.query(`
      select table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, numeric_precision, numeric_scale
      from information_schema.columns where table_schema = 'public' and table_name <> '_prisma_migrations'
      order by table_name, column_name`);
    const indexes = await c.query(`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' and tablename <> '_prisma_migrations' order by indexname`);
    const foreignKeys = await c.query(`
      select conname, pg_get_constraintdef(oid) as def from pg_constraint
      where contype = 'f' and connamespace = 'public'::regnamespace order by conname`);
    const enums = await c.query(`
      select t.typname, string_agg(e.enumlabel, ',' order by e.enumsortorder) as labels
      from pg_type t join pg_enum e on e.enumtypid = t.oid group by t.typname order by t.typname`);
    return { columns: columns.rows, indexes: indexes.rows, foreignKeys: foreignKeys.rows, enums: enums.rows };
  });
}

// Written by hand in the migrations, beyond what schema.prisma can express.
const HAND_WRITTEN_INDEXES = ["ApplicationText_search", "Organization_one_board_per_county", "Application_queue_order", "Application_state_queue_order", "Organization_search", "Application_applicant_queue", "Organization_name_trgm"];

describe("migrations", () => {
  const fromMigrations = `test_mig_${process.pid}`;
  const fromSchema = `test_sch_${process.pid}`;

  beforeAll(async () => {
    await withClient(adminUrl(), async (c) => {
      await c.query(`create database ${fromMigrations}`);
      await c.query(`create database ${fromSchema}`);
    });
  });
  afterAll(async () => {
    await withClient(adminUrl(), async (c) => {
      await c.query(`drop database if exists ${fromMigrations} with (force)`);
      await c.query(`drop database if exists ${fromSchema} with (force)`);
    });
  });

  it("schema.prisma has no change that lacks a migration", async () => {
    const current = await readFile(SCHEMA_PATH, "utf8");
    const sql = await diffSchemas(urlFor(fromSchema), await lastMigratedSchema(), current);
    expect(isEmptyDiff(sql), `schema.prisma changed without a migration; run npm run db:migration -- <name>:\n${sql}`).toBe(true);
  });

  it("a fresh database built from the migrations alone matches schema.prisma", async () => {
    const applied = await applyMigrations(urlFor(fromMigrations));
    expect(applied.length).toBeGreaterThan(0);
    expect(await applyMigrations(urlFor(fromMigrations))).toEqual([]);

    const current = await readFile(SCHEMA_PATH, "utf8");
    const direct = await diffSchemas(urlFor(fromSchema), null, current);
    await withClient(urlFor(fromSchema), (c) => c.query(direct));

    const a = await describeSchema(urlFor(fromMigrations));
    const b = await describeSchema(urlFor(fromSchema));
    expect(a.columns).toEqual(b.columns);
    expect(a.foreignKeys).toEqual(b.foreignKeys);
    expect(a.enums).toEqual(b.enums);
    expect(a.indexes.filter((i) => !HAND_WRITTEN_INDEXES.includes(i.indexname))).toEqual(b.indexes);
    expect(a.indexes.map((i) => i.indexname)).toEqual(expect.arrayContaining(HAND_WRITTEN_INDEXES));
  });

  it("the database itself refuses amounts that break the budget chain", async () => {
    await withClient(urlFor(fromMigrations), async (c) => {
      await c.query(`insert into "County"(code, name, "shortName") values ('05','Östergötlands län','Östergötland')`);
      const org = await c.query(`insert into "Organization"(id, name, kind, "orgNumber", "countyCode") values (gen_random_uuid(), 'Länsstyrelsen Östergötland', 'county_board', '202100-0055', '05') returning id`);
      const insertAssignment = (total: number, allocated: number) =>
        c.query(
          `insert into "Assignment"(id, reference, title, issuer, "fundingReference", appropriation, "periodStart", "periodEnd", "totalOre", "allocatedOre", "responsibleBoardId", "coordinatingBoardId", "reportDueOn", state, snapshot)
           values (gen_random_uuid(), $1, 'Test', 'Regeringen', 'S2020/1', '3:1', '2020-01-01', '2020-12-31', $2, $3, $4, $4, '2021-03-31', 'active', '{}')`,
          [`ref-${total}-${allocated}`, total, allocated, org.rows[0].id],
        );
      await expect(insertAssignment(100, 101)).rejects.toThrow(/Assignment_amounts/);
      await expect(insertAssignment(-1, 0)).rejects.toThrow(/Assignment_amounts/);
      await insertAssignment(100, 100);
    });
  });

  it("the audit trail rejects UPDATE, DELETE and TRUNCATE", async () => {
    await withClient(urlFor(fromMigrations), async (c) => {
      await c.query(`insert into "AuditEvent"("caseType", "caseId", "eventType", "prevHash", hash) values ('application', gen_random_uuid(), 'SUBMIT', repeat('0', 64), 'h')`);
      await expect(c.query(`update "AuditEvent" set "eventType" = 'X'`)).rejects.toThrow(/append-only/);
      await expect(c.query(`delete from "AuditEvent"`)).rejects.toThrow(/append-only/);
      await expect(c.query(`truncate "AuditEvent"`)).rejects.toThrow(/append-only/);
      expect((await c.query(`select count(*)::int as n from "AuditEvent"`)).rows[0].n).toBe(1);
    });
  });
});
