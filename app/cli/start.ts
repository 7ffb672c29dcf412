// npm start: a real PostgreSQL embedded in .data/ (unless DATABASE_URL is set),
// migrations, reference and demo data on first start, a build if the sources
// changed, then the web server on PORT (default 3000).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { appDatabase } from "../../prisma/postgres";
import { ensureAppRole } from "../../prisma/app-role";
import { prepareDatabase } from "../../prisma/setup";
import { DEMO_PASSWORD, demoUsers } from "../../prisma/seed/demo-users";

async function appRolePassword(): Promise<string> {
  // Generated once per installation and kept beside the database files.
  const file = path.join(root, ".data/app-role-password");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = randomBytes(24).toString("base64url");
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const t0 = Date.now();
const say = (msg: string) => console.log(`[start ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfNeeded() {
  const serverBuild = path.join(root, "build/index.js");
  const sources = Math.max(newestMtime(path.join(root, "app")), statSync(path.join(root, "remix.config.js")).mtimeMs);
  if (existsSync(serverBuild) && statSync(serverBuild).mtimeMs >= sources) return;
  say("building the app (remix build)…");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (r.status !== 0) throw new Error("remix build failed");
}

if (!process.env.DATABASE_URL) say("starting the embedded PostgreSQL in .data/pg…");
const { url: databaseUrl, embedded } = await appDatabase();
process.env.DATABASE_URL = databaseUrl;

const { seededDemo } = await prepareDatabase(databaseUrl, { demo: process.env.DEMO_DATA !== "0", log: say });
if (seededDemo) say("demo scenario seeded");
if (embedded) {
  // Migrations ran as the owner; the web app itself connects as a role that cannot rewrite the audit trail.
  process.env.DATABASE_URL = await ensureAppRole(databaseUrl, await appRolePassword());
}

buildIfNeeded();
process.env.NODE_ENV ??= "production";
const build = await import(pathToFileURL(path.join(root, "build/index.js")).href);
const { startHttpServer } = await import("../http-server");
const { port } = await startHttpServer({ build, port: Number(process.env.PORT ?? 3000), root });

say(`ready on http://localhost:${port}`);
console.log(`\nDemo users (password for all: ${DEMO_PASSWORD}):`);
for (const u of demoUsers) console.log(`  ${u.roleLabel.padEnd(28)} ${u.email}`);
console.log("");

const shutdown = async () => {
  say("stopping…");
  await embedded?.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
