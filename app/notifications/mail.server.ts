// E-mail: Swedish plain text and HTML, sent through SMTP (nodemailer).
// Sending is idempotent: the EmailMessage row is locked while it is sent, a
// row already marked "sent" is never sent again, and the Message-ID is derived
// from the row id so that a receiving system can also recognise a resend.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "~/db.server";
import { logger } from "~/logger.server";
import { addDays, formatDate, stockholmDateTimeToUtc, type PlainDate } from "~/lib/dates";
import { TOPICS, type NotificationTopic } from "./topics";

export const DEFAULT_MAIL_FROM = "Utvecklingsmedel <noreply@lansstyrelsen.se>";

/** Base of the links in e-mails: APP_URL, or the local server on PORT (as `npm start` serves it). */
export function appUrl(): string {
  return (process.env.APP_URL ?? `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, "");
}

export function mailFrom(): string {
  return process.env.MAIL_FROM ?? DEFAULT_MAIL_FROM;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function absolute(link: string): string {
  return link.startsWith("http://") || link.startsWith("https://") ? link : `${appUrl()}${link.startsWith("/") ? "" : "/"}${link}`;
}

const SIGNATURE = "Det här meddelandet skickades automatiskt från Länsstyrelsens system för utvecklingsmedel. Svara inte på det.\nDu kan välja vilka e-postmeddelanden du får under Inställningar i systemet.";

function page(inner: string): string {
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Utvecklingsmedel</title></head><body style="font-family:Arial,sans-serif;line-height:1.5;color:#1a1a1a">${inner}<hr><p style="font-size:0.9em;color:#555">${escapeHtml(SIGNATURE).replace(/\n/g, "<br>")}</p></body></html>`;
}

export type RenderedMail = { subject: string; text: string; html: string };

/** One notice as an e-mail: the notice's title as subject, its text and a link to the case. */
export function renderNoticeEmail(n: { title: string; body: string; link: string }): RenderedMail {
  const url = absolute(n.link);
  const text = `${n.body}\n\nÖppna ärendet: ${url}\n\n-- \n${SIGNATURE}\n`;
  const html = page(`<h1 style="font-size:1.3em">${escapeHtml(n.title)}</h1><p>${escapeHtml(n.body).replace(/\n/g, "<br>")}</p><p><a href="${escapeHtml(url)}">Öppna ärendet</a></p>`);
  return { subject: n.title, text, html };
}

/** The daily digest: one e-mail listing a day's notices. */
export function renderDigestEmail(day: PlainDate, notices: { topic: string; title: string; body: string; link: string }[]): RenderedMail {
  const subject = `Sammanfattning ${formatDate(day)}: ${notices.length} ${notices.length === 1 ? "nytt meddelande" : "nya meddelanden"}`;
  const label = (t: string) => TOPICS[t as NotificationTopic]?.label ?? t;
  const text =
    `Meddelanden från ${formatDate(day)}:\n\n` +
    notices.map((n) => `* ${n.title} (${label(n.topic)})\n  ${n.body.replace(/\n/g, "\n  ")}\n  ${absolute(n.link)}`).join("\n\n") +
    `\n\n-- \n${SIGNATURE}\n`;
  const html = page(
    `<h1 style="font-size:1.3em">${escapeHtml(subject)}</h1><ul>` +
      notices
        .map((n) => `<li><p><strong>${escapeHtml(n.title)}</strong> <small>(${escapeHtml(label(n.topic))})</small><br>${escapeHtml(n.body).replace(/\n/g, "<br>")}<br><a href="${escapeHtml(absolute(n.link))}">Öppna ärendet</a></p></li>`)
        .join("") +
      `</ul>`,
  );
  return { subject, text, html };
}

// ---------------------------------------------------------------------------
// Transport

let cached: { url: string; transporter: Transporter } | undefined;

/** The SMTP transport for SMTP_URL (default smtp://localhost:<SMTP_PORT or 2525>). */
export function smtpTransport(url = process.env.SMTP_URL ?? `smtp://localhost:${process.env.SMTP_PORT ?? 2525}`): Transporter {
  if (cached?.url !== url) {
    cached?.transporter.close();
    // Timeouts as URL options (nodemailer reads them from the query) unless SMTP_URL sets its own.
    const u = new URL(url);
    for (const [k, v] of [["connectionTimeout", "10000"], ["greetingTimeout", "10000"], ["socketTimeout", "60000"]]) if (!u.searchParams.has(k)) u.searchParams.set(k, v);
    cached = { url, transporter: nodemailer.createTransport(u.toString()) };
  }
  return cached.transporter;
}

export function closeSmtpTransport(): void {
  cached?.transporter.close();
  cached = undefined;
}

function messageIdFor(emailId: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(mailFrom())?.[1] ?? "utvecklingsmedel.local";
  return `<${emailId}@${domain}>`;
}

export class EmailSendError extends Error {}

export type SendOutcome = "sent" | "already-sent" | "missing";

/**
 * Sends one EmailMessage at most once: locks the row, skips it if already sent,
 * sends, marks it sent, all in one transaction. On a failure the attempt and
 * error are recorded and EmailSendError is thrown, for the queue to retry.
 */
export async function sendEmail(db: Db, emailId: string, opts: { transport?: Transporter; finalAttempt?: boolean } = {}): Promise<SendOutcome> {
  const transport = opts.transport ?? smtpTransport();
  const outcome = await db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; status: string; toAddress: string; subject: string; text: string; html: string }[]>`
        select id::text, status, "toAddress", subject, text, html from "EmailMessage" where id = ${emailId}::uuid for update`;
      const row = rows[0];
      if (!row) return { result: "missing" as const };
      if (row.status === "sent") return { result: "already-sent" as const };
      try {
        await transport.sendMail({
          from: mailFrom(),
          to: row.toAddress,
          subject: row.subject,
          text: row.text,
          html: row.html,
          messageId: messageIdFor(row.id),
          headers: { "X-Idempotency-Key": row.id },
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await tx.emailMessage.update({
          where: { id: emailId },
          data: { attempts: { increment: 1 }, lastError: message.slice(0, 1000), status: opts.finalAttempt ? "failed" : "pending" },
        });
        return { result: "failed" as const, message };
      }
      await tx.emailMessage.update({ where: { id: emailId }, data: { status: "sent", sentAt: new Date(), attempts: { increment: 1 }, lastError: null } });
      return { result: "sent" as const };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  if (outcome.result === "failed") {
    logger.warn({ emailId, error: outcome.message }, "e-mail not sent; will retry");
    throw new EmailSendError(`e-mail ${emailId} not sent: ${outcome.message}`);
  }
  return outcome.result;
}

// ---------------------------------------------------------------------------
// Daily digest

/**
 * One digest e-mail per user (dedupe key `digest:<userId>:<day>`) listing the
 * notices created on `day` (Stockholm) whose topic the user gets as a digest.
 * Returns the ids of the pending digest e-mails to send.
 */
export async function buildDigests(db: Db, day: PlainDate): Promise<string[]> {
  const from = stockholmDateTimeToUtc(day, "00:00");
  const to = stockholmDateTimeToUtc(addDays(day, 1), "00:00");
  const prefs = await db.notificationPreference.findMany({ where: { email: "digest", user: { active: true } }, select: { userId: true, topic: true } });
  const byUser = new Map<string, string[]>();
  for (const p of prefs) byUser.set(p.userId, [...(byUser.get(p.userId) ?? []), p.topic]);
  const ids: string[] = [];
  for (const [userId, topics] of byUser) {
    const notices = await db.notification.findMany({
      where: { userId, topic: { in: topics }, createdAt: { gte: from, lt: to } },
      orderBy: { createdAt: "asc" },
      select: { topic: true, title: true, body: true, link: true },
    });
    if (notices.length === 0) continue;
    const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
    const mail = renderDigestEmail(day, notices);
    const dedupeKey = `digest:${userId}:${day}`;
    const row = await db.emailMessage.upsert({
      where: { dedupeKey },
      create: { userId, toAddress: user.email, ...mail, dedupeKey },
      update: {},
      select: { id: true, status: true },
    });
    if (row.status === "pending") ids.push(row.id);
  }
  return ids;
}

// ---------------------------------------------------------------------------
// Development mail capture (npm start without SMTP_URL)

export type CapturedMail = { from: string; to: string; subject: string; text: string; date: Date };

const CAPTURE_LIMIT = 200;
const captured: CapturedMail[] = [];

/**
 * Mail received by the local capture server, newest first (at most 200). When the
 * capture keeps a file (MAIL_CAPTURE_FILE), from the file, so every web process of
 * the cluster sees the mail the primary's capture received.
 */
export function capturedMail(): CapturedMail[] {
  const file = process.env.MAIL_CAPTURE_FILE;
  if (!file || !existsSync(file)) return [...captured];
  try {
    const rows = JSON.parse(readFileSync(file, "utf8")) as (Omit<CapturedMail, "date"> & { date: string })[];
    return rows.map((m) => ({ ...m, date: new Date(m.date) }));
  } catch (error) {
    logger.warn({ err: error, file }, "could not read the captured mail file");
    return [...captured];
  }
}

/**
 * Starts the in-process capture SMTP server on SMTP_PORT (default 2525) and
 * points this process's SMTP_URL at it; with `file`, also keeps the captured
 * mail there for other processes (MAIL_CAPTURE_FILE). Returns its close function.
 */
export async function startDevMailCapture(port = Number(process.env.SMTP_PORT ?? 2525), file?: string): Promise<{ url: string; close: () => Promise<void> }> {
  const { startCaptureSmtp } = await import("./smtp-capture.server");
  if (file) {
    process.env.MAIL_CAPTURE_FILE = file;
    // A new capture starts empty, as the in-memory list does.
    writeFileSync(file, "[]");
  }
  const onMessage = (m: { from: string; envelopeFrom: string; to: string; envelopeTo: string[]; subject: string; text: string }) => {
    captured.unshift({ from: m.from || m.envelopeFrom, to: m.to || m.envelopeTo.join(", "), subject: m.subject, text: m.text, date: new Date() });
    captured.length = Math.min(captured.length, CAPTURE_LIMIT);
    if (file) {
      // Written whole and renamed into place, so a reader never sees half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(captured));
      renameSync(`${file}.tmp`, file);
    }
  };
  // Another app on this machine may hold the port: then any free port will do.
  const server = await startCaptureSmtp({ port, onMessage }).catch((error: unknown) => {
    if ((error as { code?: string }).code !== "EADDRINUSE") throw error;
    return startCaptureSmtp({ port: 0, onMessage });
  });
  process.env.SMTP_URL = server.url;
  // Nothing real is sent: the admin page that lists captured mail may be shown (see _app.utveckling.e-post.tsx).
  process.env.MAIL_CAPTURE_ACTIVE = "1";
  logger.info({ url: server.url }, "capturing e-mail locally (SMTP_URL not set); see /utveckling/e-post");
  return { url: server.url, close: server.close };
}
