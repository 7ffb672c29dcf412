// npm start: a real PostgreSQL embedded in .data/ (unless DATABASE_URL is set),
// migrations, reference and demo data on first start, a build if the sources
// changed, then the web server on PORT (default 3000).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { buildApp, serverBuildIsFresh } from "./build";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
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

function buildIfNeeded() {
  if (serverBuildIsFresh(root)) return;
  say("building the app (remix build)…");
  buildApp(root);
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

// Mail: a local capture server unless SMTP_URL is set. Background jobs in-process unless WORKER=0.
// Captured mail is kept in a file, so that every web process can show it.
const mailCapture = process.env.SMTP_URL ? undefined : await (await import("../notifications/mail.server")).startDevMailCapture(undefined, path.join(root, ".data/captured-mail.json"));
const { startQueue } = await import("../notifications/queue.server");
const { db: appDb } = await import("../db.server");
// pg-boss creates its own schema "pgboss", so the queue connects as the owner, not the restricted app role.
const queue = process.env.WORKER === "0" ? undefined : await startQueue({ connectionString: databaseUrl, db: appDb() });
if (queue) say("background worker started (WORKER=0 to run it separately with npm run worker)");

buildIfNeeded();
process.env.NODE_ENV ??= "production";
const { serveWeb } = await import("../web-cluster");
const web = await serveWeb({ root, port: Number(process.env.PORT ?? 3000) });

say(`ready on http://localhost:${web.port} (${web.workers} web ${web.workers === 1 ? "process" : "processes"}; WEB_CONCURRENCY to change)`);
console.log(`\nDemo users (password for all: ${DEMO_PASSWORD}):`);
for (const u of demoUsers) console.log(`  ${u.roleLabel.padEnd(28)} ${u.email}`);
console.log("");

let stopping = false;
process.on("unhandledRejection", (reason) => {
  // While stopping, the database may go away before the jobs have wound down (Ctrl-C reaches both).
  if (stopping) return;
  throw reason;
});

const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  say("stopping…");
  await web.close();
  await queue?.stop();
  await mailCapture?.close();
  await embedded?.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
