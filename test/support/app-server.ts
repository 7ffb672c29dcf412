// The real app for a test file: its own database (migrations, reference data, demo scenario),
// the production build (built first if the sources changed), and the Express server on a free port.
import { closeSync, existsSync, openSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread } from "node:worker_threads";
import { afterAll, beforeAll, inject } from "vitest";
import pg from "pg";
import type { ServerBuild } from "@remix-run/node";
import { prepareDatabase } from "../../prisma/setup";
import { demoUsers } from "../../prisma/seed/demo-users";
import { createTestDatabase, type TestDatabase } from "./db";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type AppServer = { baseUrl: string; database: TestDatabase; close: () => Promise<void> };

// ---------------------------------------------------------------------------------------------
// Database

/**
 * createTestDatabase(), after the template database has no connections left. The migration
 * engine's pg pool (prisma/migrator.ts) keeps an idle connection to the template for ~10 s after
 * global set-up, and `create database ... template` refuses a template that is in use. Same
 * work-around as test/auth/helpers.ts; drop both once the harness closes that pool.
 */
export async function createFreshDatabase(): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: inject("adminDatabaseUrl") });
  await admin.connect();
  try {
    for (let i = 0; i < 200; i++) {
      const { rows } = await admin.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = $1", [inject("templateDatabase")]);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.end();
  }
  // Another test file may clone the template at the same moment: that also counts as "in use".
  for (let attempt = 0; ; attempt++) {
    try {
      return await createTestDatabase();
    } catch (error) {
      if (attempt >= 50 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
}

export const demoSeedExists = () => existsSync(path.join(projectRoot, "prisma/seed/demo.ts"));

/**
 * Migrations, reference data and the demo scenario, as `npm start` prepares a database.
 * Until prisma/seed/demo.ts exists, only the demo users are created here (one per role,
 * password DEMO_PASSWORD), so that sign-in can be tested; remove that branch once the seed lands.
 */
async function prepareAppDatabase(database: TestDatabase): Promise<void> {
  if (demoSeedExists()) {
    await prepareDatabase(database.url, { demo: true });
  } else {
    console.warn("[app-server] prisma/seed/demo.ts does not exist yet: creating only the demo users");
    await prepareDatabase(database.url, { demo: false });
    await createDemoUsersOnly(database);
  }
  const found = await database.db.user.count({ where: { email: { in: demoUsers.map((u) => u.email) } } });
  if (found !== demoUsers.length) throw new Error(`The demo seed created ${found} of the ${demoUsers.length} demo users in prisma/seed/demo-users.ts`);
}

async function createDemoUsersOnly(database: TestDatabase): Promise<void> {
  const { hashPassword } = await import("../../app/auth/password.server");
  const { DEMO_PASSWORD } = await import("../../prisma/seed/demo-users");
  const { municipalityOrgNumber } = await import("../../prisma/seed/reference");
  const db = database.db;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const u of demoUsers) {
    const { countyCode, municipalityCode } = u.organization;
    let org;
    if (municipalityCode) {
      const municipality = await db.municipality.findUniqueOrThrow({ where: { code: municipalityCode } });
      org =
        (await db.organization.findFirst({ where: { kind: "municipality", municipalityCode } })) ??
        (await db.organization.create({
          data: { name: municipality.name, kind: "municipality", orgNumber: municipalityOrgNumber(municipalityCode), municipalityCode, countyCode: municipality.countyCode },
        }));
    } else {
      org = await db.organization.findFirstOrThrow({ where: { kind: "county_board", countyCode } });
    }
    await db.user.create({ data: { email: u.email, name: u.name, passwordHash, memberships: { create: { organizationId: org.id, role: u.role } } } });
  }
}

// ---------------------------------------------------------------------------------------------
// Production build

function newestMtime(dir: string): number {
  let newest = statSync(dir).mtimeMs; // a deleted or renamed file changes only its folder's mtime
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsFresh(): boolean {
  const serverBuild = path.join(projectRoot, "build/index.js");
  if (!existsSync(serverBuild)) return false;
  const sources = Math.max(newestMtime(path.join(projectRoot, "app")), statSync(path.join(projectRoot, "remix.config.js")).mtimeMs);
  return statSync(serverBuild).mtimeMs >= sources;
}

const LOCK = path.join(projectRoot, "node_modules/.cache/test-remix-build.lock");
const STALE_LOCK_MS = 3 * 60_000;
/** Holds the id of the last test run that checked the build. */
const CHECKED_BY_RUN = path.join(projectRoot, "node_modules/.cache/test-remix-build.run");
const RUN_ID = testRunId();

/** The vitest process (the parent of a "forks" worker, or this process for "threads"), with its start time against pid reuse. */
function testRunId(): string {
  const pid = isMainThread ? process.ppid : process.pid;
  let started = "";
  try {
    started = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[19]; // field 22, starttime
  } catch {
    // not Linux: the pid alone
  }
  return `${pid}:${started}`;
}

function checkedThisRun(): boolean {
  try {
    return readFileSync(CHECKED_BY_RUN, "utf8") === RUN_ID;
  } catch {
    return false;
  }
}

/**
 * Runs `remix build` when build/index.js is missing or older than app/ or remix.config.js, at most
 * once per test run: while others edit app/, a second build in the middle of a run would replace
 * public/build under another file's browser. Test files run in parallel processes, so the check and
 * the build happen under a lock file (created with O_EXCL): one file builds, the others wait.
 */
export async function ensureProductionBuild(): Promise<void> {
  if (checkedThisRun()) return;
  await mkdir(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + STALE_LOCK_MS + 30_000;
  for (;;) {
    try {
      const fd = openSync(LOCK, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) unlinkSync(LOCK); // left by a killed run
      } catch {
        // removed meanwhile by its owner
      }
      if (Date.now() > deadline) throw new Error(`Waited too long for another test file's remix build (lock ${LOCK})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (checkedThisRun()) return;
    if (buildIsFresh()) return writeFileSync(CHECKED_BY_RUN, RUN_ID);
    const started = Date.now();
    const r = spawnSync(process.execPath, [path.join(projectRoot, "node_modules/@remix-run/dev/dist/cli.js"), "build"], {
      cwd: projectRoot,
      encoding: "utf8",
      env: { ...process.env, NODE_ENV: "production" },
    });
    if (r.status !== 0) throw new Error(`remix build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    writeFileSync(CHECKED_BY_RUN, RUN_ID);
    console.log(`[app-server] remix build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    unlinkSync(LOCK);
  }
}

// ---------------------------------------------------------------------------------------------
// Server

/** Starts the app on 127.0.0.1 and a free port, on a fresh database with the demo scenario. */
export async function startAppServer(): Promise<AppServer> {
  const database = await createFreshDatabase();
  await prepareAppDatabase(database);
  // The app's process-wide client (app/db.server.ts) reads this on its first query.
  process.env.DATABASE_URL = database.url;
  await ensureProductionBuild();
  const build = (await import(/* @vite-ignore */ pathToFileURL(path.join(projectRoot, "build/index.js")).href)) as ServerBuild;
  const { startHttpServer } = await import("../../app/http-server");
  const server = await startHttpServer({ build, port: 0, root: projectRoot, host: "127.0.0.1" });
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    database,
    close: async () => {
      server.server.closeAllConnections();
      await server.close();
      await database.db.$disconnect();
    },
  };
}

/** The app for this test file: started before its tests, stopped after. */
export function useAppServer(): AppServer {
  const ref = {} as AppServer;
  beforeAll(async () => {
    Object.assign(ref, await startAppServer());
  }, 180_000);
  afterAll(async () => {
    await ref.close?.();
  });
  return ref;
}
