// The job queue: pg-boss on the app's own PostgreSQL, in its own schema
// "pgboss" (see docs/decisions/0005-job-queue.md). Any number of app servers
// and workers can run `startQueue` against one database: jobs are fetched
// with SKIP LOCKED, cron schedules fire once per slot across all of them.
//
// Queues:
//  - notifications.dispatch  turns outbox messages into notices and e-mails
//                            (policy "short": at most one waiting signal)
//  - notifications.email     sends one EmailMessage (policy "stately", key = its id;
//                            retries with backoff; sending is idempotent)
//  - notifications.reminders daily at REMINDER_TIME (Europe/Stockholm)
//  - notifications.digest    daily at DIGEST_TIME, for the previous day
import PgBoss from "pg-boss";
import type { Db } from "~/db.server";
import { runTimeEvents } from "~/workflow/timers.server";
import { logger } from "~/logger.server";
import { addDays, todayInStockholm, type PlainDate } from "~/lib/dates";
import { dispatchOutbox } from "./dispatcher.server";
import { buildDigests, sendEmail } from "./mail.server";
import { runDailyReminders } from "./reminders.server";

export const QUEUES = {
  dispatch: "notifications.dispatch",
  email: "notifications.email",
  reminders: "notifications.reminders",
  digest: "notifications.digest",
  timers: "workflow.timers",
} as const;

export type QueueOptions = {
  /** Where pg-boss keeps its tables: needs a role that may create the schema "pgboss" on first start. */
  connectionString: string;
  /** The app's Prisma client (notices, e-mails, outbox). */
  db: Db;
  /** Work the queues in this process (default true). False: only send jobs (a web server with a separate worker). */
  work?: boolean;
  /** How often the dispatcher looks at the outbox without a signal, ms (default env DISPATCH_INTERVAL_MS or 3000). */
  dispatchIntervalMs?: number;
  /** Seconds before a running e-mail job whose worker vanished is retried (default 120). */
  emailExpireSeconds?: number;
  /** Retries for a failing e-mail (default 5) and the first delay (seconds, default 10; doubled each time). */
  emailRetryLimit?: number;
  emailRetryDelaySeconds?: number;
  /**
   * Pending e-mails never tried and older than this are enqueued again by the
   * dispatcher (covers a crash between a commit and its enqueue). Seconds, default 60.
   */
  emailSweepAfterSeconds?: number;
  /** pg-boss maintenance (expiry of jobs from dead workers) interval, seconds (default 30). */
  maintenanceIntervalSeconds?: number;
  /** "HH:MM" Stockholm time for the reminders (env REMINDER_TIME, default 06:00) and the digest (env DIGEST_TIME, default 07:00). */
  reminderTime?: string;
  digestTime?: string;
  /** Register the cron schedules (default true). */
  schedule?: boolean;
};

export type Queue = {
  boss: PgBoss;
  /** Asks for an outbox run now (e.g. after a request applied an event). */
  signalOutbox: () => Promise<void>;
  enqueueEmails: (ids: string[]) => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * What a queue error's log line keeps: node-postgres hangs its whole client (connection, type
 * parsers, queues) on the errors it raises, and pino's serializer would write all of it.
 */
export function briefError(error: unknown): { type: string; message: string; code?: string; stack?: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: error.message, ...(typeof code === "string" ? { code } : {}), ...(error.stack ? { stack: error.stack } : {}) };
}

function cronAt(time: string): string {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time.trim());
  if (!m) throw new Error(`Not a time as HH:MM: ${JSON.stringify(time)}`);
  return `${Number(m[2])} ${Number(m[1])} * * *`;
}

export async function startQueue(opts: QueueOptions): Promise<Queue> {
  const { db } = opts;
  const work = opts.work ?? true;
  const boss = new PgBoss({
    connectionString: opts.connectionString,
    schema: "pgboss",
    max: 4,
    application_name: "utvecklingsmedel-queue",
    maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 30,
    schedule: opts.schedule ?? true,
    supervise: work,
  });
  let stopping = false;
  boss.on("error", (error) => {
    // While stopping, the database may close the queue's connections first (Ctrl-C reaches both).
    if (stopping) logger.debug({ err: briefError(error) }, "job queue error while stopping");
    else logger.error({ err: briefError(error) }, "job queue error");
  });
  await boss.start();

  const emailRetryLimit = opts.emailRetryLimit ?? 5;
  await ensureQueue(boss, QUEUES.dispatch, { policy: "short", retryLimit: 3, retryDelay: 2, expireInSeconds: 300 });
  await ensureQueue(boss, QUEUES.email, {
    policy: "stately",
    retryLimit: emailRetryLimit,
    retryDelay: opts.emailRetryDelaySeconds ?? 10,
    retryBackoff: true,
    expireInSeconds: opts.emailExpireSeconds ?? 120,
  });
  await ensureQueue(boss, QUEUES.reminders, { policy: "short", retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 900 });
  await ensureQueue(boss, QUEUES.timers, { policy: "short", retryLimit: 3, retryDelay: 30, expireInSeconds: 600 });
  await ensureQueue(boss, QUEUES.digest, { policy: "short", retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 900 });

  const enqueueEmails = async (ids: string[]) => {
    for (const id of ids) await boss.send(QUEUES.email, { emailId: id }, { singletonKey: id });
  };
  const signalOutbox = async () => {
    await boss.send(QUEUES.dispatch, {});
  };

  if (opts.schedule ?? true) {
    const tz = "Europe/Stockholm";
    await boss.schedule(QUEUES.reminders, cronAt(opts.reminderTime ?? process.env.REMINDER_TIME ?? "06:00"), {}, { tz });
    await boss.schedule(QUEUES.digest, cronAt(opts.digestTime ?? process.env.DIGEST_TIME ?? "07:00"), {}, { tz });
    // Calls close and payment requests lapse on time: checked every five minutes.
    await boss.schedule(QUEUES.timers, "*/5 * * * *", {}, { tz });
  }

  let timer: NodeJS.Timeout | undefined;
  if (work) {
    await boss.work(QUEUES.dispatch, { pollingIntervalSeconds: 1 }, async () => {
      const result = await dispatchOutbox(db);
      await enqueueEmails(result.emailIds);
      await enqueueEmails(await unsentEmails(db, opts.emailSweepAfterSeconds ?? 60));
      if (result.processed > 0) logger.info({ processed: result.processed, notices: result.notices, emails: result.emailIds.length }, "outbox dispatched");
    });
    await boss.work<{ emailId: string }>(QUEUES.email, { pollingIntervalSeconds: 1, batchSize: 1, includeMetadata: true }, async ([job]) => {
      await sendEmail(db, job.data.emailId, { finalAttempt: job.retryCount >= job.retryLimit });
    });
    await boss.work<{ day?: string }>(QUEUES.reminders, { pollingIntervalSeconds: 5 }, async () => {
      const result = await runDailyReminders(db, new Date());
      await enqueueEmails(result.emailIds);
      logger.info({ created: result.created }, "daily reminders");
    });
    await boss.work(QUEUES.timers, { pollingIntervalSeconds: 5 }, async () => {
      const result = await runTimeEvents(db, new Date());
      if (result.callsClosed || result.instalmentsLapsed) logger.info(result, "time-driven workflow events");
    });
    await boss.work<{ day?: string }>(QUEUES.digest, { pollingIntervalSeconds: 5 }, async ([job]) => {
      const day = (job?.data.day as PlainDate | undefined) ?? addDays(todayInStockholm(), -1);
      await enqueueEmails(await buildDigests(db, day));
    });
    // The outbox is polled every few seconds; signalOutbox asks for a run at once.
    const interval = opts.dispatchIntervalMs ?? Number(process.env.DISPATCH_INTERVAL_MS ?? 3000);
    timer = setInterval(() => {
      signalOutbox().catch((error: unknown) => logger.warn({ err: error }, "could not signal the outbox dispatcher"));
    }, interval);
    timer.unref();
    await signalOutbox();
  }

  return {
    boss,
    signalOutbox,
    enqueueEmails,
    stop: async () => {
      stopping = true;
      if (timer) clearInterval(timer);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}

/** E-mails created but never tried, older than `seconds`: their send job may have been lost. */
async function unsentEmails(db: Db, seconds: number): Promise<string[]> {
  const rows = await db.emailMessage.findMany({
    where: { status: "pending", attempts: 0, createdAt: { lt: new Date(Date.now() - seconds * 1000) } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  return rows.map((r) => r.id);
}

async function ensureQueue(boss: PgBoss, name: string, options: Omit<PgBoss.Queue, "name">): Promise<void> {
  const existing = await boss.getQueue(name);
  if (existing) await boss.updateQueue(name, { name, ...options });
  else await boss.createQueue(name, { name, ...options });
}
