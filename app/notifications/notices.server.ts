// Creating in-app notices, and the e-mails they lead to, inside a caller's
// transaction. Every notice has a dedupe key, so creating the same notice twice
// (a retried dispatch, a reminder job run twice) changes nothing.
import type { Prisma } from "~/generated/prisma/client";
import type { EmailMode } from "~/generated/prisma/enums";
import type { NotificationTopic } from "./topics";
import { renderNoticeEmail } from "./mail.server";

export type Tx = Prisma.TransactionClient;

export type NoticeInput = {
  userId: string;
  topic: NotificationTopic;
  caseType?: string | null;
  caseId?: string | null;
  title: string;
  body: string;
  /** A path in the app, e.g. /arenden/<applicationId>. */
  link: string;
  dedupeKey: string;
  now?: Date;
};

export type NoticeResult = { notificationId: string; created: boolean; emailId: string | null };

/** The user's e-mail choice for a topic: immediate unless they chose otherwise. */
export async function emailModeFor(tx: Tx, userId: string, topic: NotificationTopic): Promise<EmailMode> {
  const pref = await tx.notificationPreference.findUnique({ where: { userId_topic: { userId, topic } } });
  return pref?.email ?? "immediate";
}

/**
 * Creates the notice unless its dedupe key exists, and, when the user wants
 * this topic by e-mail at once, the e-mail (dedupe key `notice:<id>`). Returns
 * the id of a pending e-mail to enqueue, or null.
 */
export async function createNotice(tx: Tx, input: NoticeInput): Promise<NoticeResult> {
  const now = input.now ?? new Date();
  // ON CONFLICT DO NOTHING: a concurrent run inserting the same key neither fails nor duplicates.
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    insert into "Notification" (id, "userId", topic, "caseType", "caseId", title, body, link, "dedupeKey", "createdAt")
    values (gen_random_uuid(), ${input.userId}::uuid, ${input.topic}, ${input.caseType ?? null}, ${input.caseId ?? null}::uuid,
            ${input.title}, ${input.body}, ${input.link}, ${input.dedupeKey}, ${now})
    on conflict ("dedupeKey") do nothing
    returning id::text`;
  if (inserted.length === 0) {
    const existing = await tx.notification.findUniqueOrThrow({ where: { dedupeKey: input.dedupeKey }, select: { id: true } });
    return { notificationId: existing.id, created: false, emailId: null };
  }
  const notificationId = inserted[0].id;
  const mode = await emailModeFor(tx, input.userId, input.topic);
  if (mode !== "immediate") return { notificationId, created: true, emailId: null };
  const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true, active: true } });
  if (!user.active) return { notificationId, created: true, emailId: null };
  const mail = renderNoticeEmail({ title: input.title, body: input.body, link: input.link });
  const email = await tx.emailMessage.upsert({
    where: { dedupeKey: `notice:${notificationId}` },
    create: { notificationId, userId: input.userId, toAddress: user.email, subject: mail.subject, text: mail.text, html: mail.html, dedupeKey: `notice:${notificationId}`, createdAt: now },
    update: {},
    select: { id: true, status: true },
  });
  return { notificationId, created: true, emailId: email.status === "pending" ? email.id : null };
}

/** Active users holding `role` in an organization. */
export async function usersWithRole(tx: Tx, organizationId: string, role: "applicant" | "officer" | "finance"): Promise<{ id: string }[]> {
  return tx.user.findMany({
    where: { active: true, memberships: { some: { organizationId, role } } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
}

export function caseLink(applicationId: string): string {
  return `/arenden/${applicationId}`;
}
