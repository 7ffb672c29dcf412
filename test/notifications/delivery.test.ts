// Outbox → notices → e-mail through the real pg-boss queue to a real SMTP
// server: the mail arrives once with the right content, also when the
// dispatcher runs twice, and a failing SMTP server leads to retries and then
// exactly one delivered mail.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { useTestDatabase } from "../support/db";
import { dispatchOutbox } from "../../app/notifications/dispatcher.server";
import { startQueue, type Queue } from "../../app/notifications/queue.server";
import { closeSmtpTransport } from "../../app/notifications/mail.server";
import { makeWorld, mailSink, smtpError, sleep, waitFor, type World } from "./world";

const t = useTestDatabase();

describe("notification delivery", () => {
  let world: World;
  let sink: Awaited<ReturnType<typeof mailSink>>;
  let queue: Queue;
  let rejectNext = 0;
  let rejected = 0;

  beforeAll(async () => {
    sink = await mailSink({
      beforeAccept: () => {
        if (rejectNext > 0) {
          rejectNext--;
          rejected++;
          return smtpError(451, "Temporary local problem, try again later");
        }
      },
    });
    process.env.SMTP_URL = sink.url;
    delete process.env.APP_URL;
    delete process.env.PORT;
    world = await makeWorld(t.db);
    queue = await startQueue({ connectionString: t.url, db: t.db, schedule: false, dispatchIntervalMs: 500, emailRetryDelaySeconds: 1, maintenanceIntervalSeconds: 1, emailExpireSeconds: 10, emailSweepAfterSeconds: 1 });
  });

  afterAll(async () => {
    await queue?.stop();
    closeSmtpTransport();
    await sink?.close();
  });

  it("sends one receipt for an applied SUBMIT, in Swedish, with a link to the case, once", async () => {
    const id = await world.submit("Kompetens & <lyft> i skolan");
    const app = await t.db.application.findUniqueOrThrow({ where: { id } });

    // The dispatcher run twice by hand as well as by the queue: still one notice per user and one e-mail each.
    // The e-mails these runs create are not enqueued here: the queue's sweep finds them.
    await dispatchOutbox(t.db);
    const again = await dispatchOutbox(t.db);
    expect(again.processed).toBe(0);
    await queue.signalOutbox();

    const mails = await waitFor("the receipt", () => {
      const m = sink.received.filter((r) => r.subject.includes(app.title));
      return m.length >= 2 && m;
    });
    await sleep(1500);
    const forCase = sink.received.filter((r) => r.subject.includes(app.title));
    expect(forCase).toHaveLength(2); // the organization's two applicant users
    expect(forCase.flatMap((m) => m.envelopeTo).sort()).toEqual([world.applicant.email, world.applicant2.email].sort());

    const mail = mails[0];
    expect(mail.subject).toBe(`Ansökan registrerad: ${app.registrationNumber} Kompetens & <lyft> i skolan`);
    expect(mail.from).toBe("Utvecklingsmedel <noreply@lansstyrelsen.se>");
    expect(mail.text).toContain(`diarienummer ${app.registrationNumber}`);
    expect(mail.text).toContain(`Öppna ärendet: http://localhost:3000/arenden/${id}`);
    expect(mail.html).toContain(`href="http://localhost:3000/arenden/${id}"`);
    expect(mail.html).toContain("Kompetens &amp; &lt;lyft&gt;");
    expect(mail.html).not.toContain("<lyft>");

    const emails = await t.db.emailMessage.findMany({ where: { notification: { caseId: id } } });
    expect(emails).toHaveLength(2);
    expect(emails.every((e) => e.status === "sent" && e.attempts === 1)).toBe(true);
    expect(mail.messageId).toMatch(new RegExp(`^<(${emails.map((e) => e.id).join("|")})@lansstyrelsen\\.se>$`));
    const notices = await t.db.notification.findMany({ where: { caseId: id } });
    expect(notices.map((n) => n.link)).toEqual([`/arenden/${id}`, `/arenden/${id}`]);
    expect(notices.every((n) => n.topic === "application_registered")).toBe(true);
    const outbox = await t.db.outboxMessage.findFirstOrThrow({ where: { caseId: id, topic: "application.SUBMIT" } });
    expect(outbox.processedAt).not.toBeNull();
  });

  it("retries when the SMTP server refuses, then delivers exactly once", async () => {
    rejectNext = 2;
    rejected = 0;
    await t.db.user.update({ where: { id: world.applicant2.id }, data: { active: false } });
    const id = await world.submit("Mötesplats för unga");
    await queue.signalOutbox();

    await waitFor("delivery after retries", () => sink.received.some((r) => r.subject.includes("Mötesplats för unga")), 30_000);
    await sleep(2000);
    expect(rejected).toBe(2);
    expect(sink.received.filter((r) => r.subject.includes("Mötesplats för unga"))).toHaveLength(1);
    const email = await t.db.emailMessage.findFirstOrThrow({ where: { notification: { caseId: id } } });
    expect(email.status).toBe("sent");
    expect(email.attempts).toBe(3);
    expect(email.lastError).toBeNull();
  });

  it("tells the applicant about a decision", async () => {
    await t.db.user.update({ where: { id: world.applicant2.id }, data: { active: true } });
    const id = await world.submit("Trygg i föreningslivet", 8_000_000n);
    await world.approve(id, 8_000_000);
    await queue.signalOutbox();
    const decision = await waitFor("the decision e-mail", () => sink.received.find((r) => r.subject.startsWith("Beslut i ärende") && r.subject.includes("Trygg i föreningslivet")));
    expect(decision.text).toContain("ansökan beviljas. Beviljat belopp: 80\u00a0000\u00a0kr.");
    const notices = await t.db.notification.findMany({ where: { caseId: id }, orderBy: { createdAt: "asc" } });
    expect(new Set(notices.map((n) => n.topic))).toEqual(new Set(["application_registered", "decision_made"]));
  });
});
