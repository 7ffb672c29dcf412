// Killing the worker process in the middle of sending loses nothing and sends
// nothing twice: the first worker (`tsx app/cli/worker.ts`, a real child
// process) is SIGKILLed while the SMTP server holds its RCPT command; a second
// worker picks the job up after it expires and the mail arrives exactly once.
import { describe, it, expect, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { useTestDatabase } from "../support/db";
import { makeWorld, mailSink, sleep, waitFor } from "./world";

const t = useTestDatabase();
const root = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];

function startWorker(smtpUrl: string): ChildProcess {
  // `node --import tsx` rather than the tsx CLI: the CLI runs the script in a grandchild, which a SIGKILL of the CLI would leave running.
  const child = spawn(process.execPath, ["--import", "tsx", "app/cli/worker.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: t.url, SMTP_URL: smtpUrl, EMAIL_JOB_EXPIRE_SECONDS: "3", QUEUE_MAINTENANCE_SECONDS: "1", EMAIL_RETRY_DELAY_SECONDS: "1", DISPATCH_INTERVAL_MS: "500", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d}`));
  child.on("exit", (code, signal) => process.stderr.write(`[worker ${child.pid}] exit ${code} ${signal}\n`));
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", () => r()));
}

afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill("SIGTERM");
      await Promise.race([exited(c), sleep(8000)]);
      if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    }
  }
});

describe("worker crash", () => {
  it("loses nothing and sends once when the worker is killed mid-send", async () => {
    let rcpts = 0;
    let release: (() => void) | undefined;
    const sink = await mailSink({
      // The first delivery attempt hangs at RCPT TO until released: the worker is killed meanwhile.
      onRcptTo: async () => {
        rcpts++;
        if (rcpts === 1) await new Promise<void>((r) => (release = r));
      },
    });
    try {
      const world = await makeWorld(t.db);
      await t.db.user.update({ where: { id: world.applicant2.id }, data: { active: false } });
      const id = await world.submit("Fritidsgård i Motala");

      const first = startWorker(sink.url);
      await waitFor("the first worker to start sending", () => rcpts >= 1, 30_000);
      first.kill("SIGKILL");
      await exited(first);
      release?.();
      const email = await t.db.emailMessage.findFirstOrThrow({ where: { notification: { caseId: id } } });
      expect(email.status).toBe("pending");
      expect(sink.received).toHaveLength(0);

      const second = startWorker(sink.url);
      await waitFor("the mail after the crash", () => sink.received.length >= 1, 40_000);
      await sleep(1500);
      expect(sink.received).toHaveLength(1);
      expect(sink.received[0].subject).toContain("Fritidsgård i Motala");
      expect(sink.received[0].envelopeTo).toEqual([world.applicant.email]);
      const after = await t.db.emailMessage.findUniqueOrThrow({ where: { id: email.id } });
      expect(after.status).toBe("sent");
      expect(await t.db.notification.count({ where: { caseId: id } })).toBe(1);

      second.kill("SIGTERM");
      await exited(second);
      expect(second.exitCode).toBe(0);
    } finally {
      await sink.close();
    }
  }, 90_000);
});
