// In-app notices for the signed-in user: the unread count for the bell, the list
// (/notiser), marking read, and which e-mails the user wants per topic
// (/installningar/notiser). Every query is scoped to the user's own id: a notice of
// someone else does not exist for them (404), so its id leaks nothing.
// The notices themselves are written by the dispatcher (app/notifications/*).
import { z } from "zod";
import type { Db } from "~/db.server";
import { sqlOf } from "~/sql.server";
import type { Role } from "~/generated/prisma/enums";
import { isUuid, notFound } from "~/access/permissions.server";
import { formatDateTime } from "~/lib/dates";
import { NOTIFICATION_TOPICS, TOPICS, type NotificationTopic, type TopicInfo } from "~/notifications/topics";
import { EMAIL_MODES, FIELD_PREFIX, type EmailModeValue } from "./email-modes";
export { EMAIL_MODES, EMAIL_MODE_LABELS, FIELD_PREFIX, type EmailModeValue } from "./email-modes";

export const NOTICES_PER_PAGE = 25;

// ---------------------------------------------------------------------------
// The bell and the list

/** Unread notices of a user: one count on the (userId, readAt, createdAt) index. */
export async function unreadCount(db: Db, userId: string): Promise<number> {
  // Every signed-in page shows the bell: plain SQL (decision 0008).
  const [row] = await sqlOf(db).query<{ n: number }>(`select count(*)::int as n from "Notification" where "userId" = $1::uuid and "readAt" is null`, [userId]);
  return row.n;
}

export type NoticeItem = { id: string; title: string; body: string; at: string; unread: boolean; hasLink: boolean };

export function parsePage(url: URL): number {
  const page = Number(url.searchParams.get("sida") ?? "1");
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}

/** The user's own notices, newest first, 25 a page. */
export async function listNotices(db: Db, userId: string, page: number) {
  const [total, unread] = await Promise.all([db.notification.count({ where: { userId } }), unreadCount(db, userId)]);
  const pages = Math.max(1, Math.ceil(total / NOTICES_PER_PAGE));
  const current = Math.min(page, pages);
  const rows = await db.notification.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (current - 1) * NOTICES_PER_PAGE,
    take: NOTICES_PER_PAGE,
    select: { id: true, title: true, body: true, link: true, createdAt: true, readAt: true },
  });
  const items: NoticeItem[] = rows.map((n) => ({
    id: n.id,
    title: n.title,
    body: n.body,
    at: formatDateTime(n.createdAt),
    unread: n.readAt === null,
    hasLink: safeLink(n.link) !== null,
  }));
  return { items, total, unread, page: current, pages };
}

/** A link inside this site ("/arenden/…"), never to another host: the notice's link is data. */
export function safeLink(link: string): string | null {
  if (!link.startsWith("/") || link.startsWith("//") || link.includes("\\")) return null;
  try {
    const url = new URL(link, "http://localhost");
    return url.host === "localhost" ? url.pathname + url.search + url.hash : null;
  } catch {
    return null;
  }
}

export type NoticeActionResult = { ok: true; redirectTo: string } | { ok: false; status: number; message: string };

const noticeAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("read"), id: z.string() }),
  z.object({ intent: z.literal("open"), id: z.string() }),
  z.object({ intent: z.literal("read-all") }),
]);

/**
 * The list's forms: mark one read ("read"), mark one read and follow its link ("open"),
 * or mark all read ("read-all"). Only the user's own notices: another id throws 404.
 */
export async function handleNoticeAction(db: Db, userId: string, form: FormData, now = new Date()): Promise<NoticeActionResult> {
  const parsed = noticeAction.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")));
  if (!parsed.success) return { ok: false, status: 400, message: "Okänd åtgärd. Ladda om sidan och försök igen." };
  const page = Number(form.get("sida"));
  const back = Number.isSafeInteger(page) && page > 1 ? `/notiser?sida=${page}&klart=` : "/notiser?klart=";

  const action = parsed.data;
  if (action.intent === "read-all") {
    await db.notification.updateMany({ where: { userId, readAt: null }, data: { readAt: now } });
    return { ok: true, redirectTo: `${back}alla` };
  }
  const notice = await markRead(db, userId, action.id, now);
  if (action.intent === "open") return { ok: true, redirectTo: safeLink(notice.link) ?? `${back}last` };
  return { ok: true, redirectTo: `${back}last` };
}

/** Marks one of the user's own notices read (once: the first reading time stays). Throws 404 for anyone else's. */
export async function markRead(db: Db, userId: string, id: string, now = new Date()) {
  if (!isUuid(id)) throw notFound();
  const notice = await db.notification.findFirst({ where: { id, userId }, select: { id: true, link: true, readAt: true } });
  if (!notice) throw notFound();
  if (notice.readAt === null) await db.notification.updateMany({ where: { id, userId, readAt: null }, data: { readAt: now } });
  return notice;
}

export function noticeConfirmation(value: string | null): string | null {
  if (value === "alla") return "Alla notiser är markerade som lästa.";
  if (value === "last") return "Notisen är markerad som läst.";
  return null;
}

// ---------------------------------------------------------------------------
// E-mail preferences


export const AUDIENCE_LABELS: Record<TopicInfo["audience"], string> = {
  applicant: "Som sökande",
  officer: "Som handläggare",
  finance: "Som ekonomi",
};

const AUDIENCE_OF_ROLE: Record<Role, TopicInfo["audience"] | null> = {
  applicant: "applicant",
  officer: "officer",
  decision_maker: "officer",
  admin: "officer",
  finance: "finance",
  coordinator: null,
};

/** The topics that can reach a user with these roles, in the order of TOPICS. */
export function topicsForRoles(roles: Role[]): NotificationTopic[] {
  const audiences = new Set(roles.map((r) => AUDIENCE_OF_ROLE[r]).filter((a) => a !== null));
  return NOTIFICATION_TOPICS.filter((t) => audiences.has(TOPICS[t].audience));
}

type PreferenceUser = { id: string; memberships: { role: Role }[] };

export type PreferenceGroup = { audience: TopicInfo["audience"]; heading: string; topics: { topic: NotificationTopic; label: string; mode: EmailModeValue }[] };

/** The user's topics grouped by audience, each with the stored choice (default: Direkt). */
export async function loadPreferences(db: Db, user: PreferenceUser): Promise<PreferenceGroup[]> {
  const topics = topicsForRoles(user.memberships.map((m) => m.role));
  const stored = await db.notificationPreference.findMany({ where: { userId: user.id, topic: { in: topics } } });
  const modeOf = new Map(stored.map((p) => [p.topic, p.email as EmailModeValue]));
  const groups: PreferenceGroup[] = [];
  for (const topic of topics) {
    const { audience, label } = TOPICS[topic];
    let group = groups.find((g) => g.audience === audience);
    if (!group) groups.push((group = { audience, heading: AUDIENCE_LABELS[audience], topics: [] }));
    group.topics.push({ topic, label, mode: modeOf.get(topic) ?? "immediate" });
  }
  return groups;
}

export type PreferencesError = {
  /** What the user chose, to put back into the form. */
  values: Record<string, string>;
  /** Per topic. */
  fieldErrors: Record<string, string>;
  formError?: string;
};

export type PreferencesResult = { ok: true; saved: number } | { ok: false; status: number; data: PreferencesError };

const MODE_MESSAGE = "Välj Direkt, Daglig sammanfattning eller Ingen e-post.";

function preferencesSchema(topics: NotificationTopic[]) {
  const mode = z.enum(EMAIL_MODES, { error: () => MODE_MESSAGE });
  return z.strictObject(Object.fromEntries(topics.map((t) => [t, mode])) as Record<NotificationTopic, typeof mode>, {
    error: (issue) => (issue.code === "unrecognized_keys" ? "Formuläret innehöll ett okänt ämne. Ladda om sidan och försök igen." : undefined),
  });
}

/** Reads the preferences form ("email.<topic>" = mode), checks it, and saves every choice in one transaction. */
export async function savePreferences(db: Db, user: PreferenceUser, form: FormData): Promise<PreferencesResult> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith(FIELD_PREFIX) && typeof value === "string") values[key.slice(FIELD_PREFIX.length)] = value;
  }
  const topics = topicsForRoles(user.memberships.map((m) => m.role));
  const parsed = preferencesSchema(topics).safeParse(values);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    let formError: string | undefined;
    for (const issue of parsed.error.issues) {
      const topic = issue.path[0];
      if (issue.code !== "unrecognized_keys" && typeof topic === "string") fieldErrors[topic] ??= issue.message;
      else formError ??= issue.message;
    }
    return { ok: false, status: 400, data: { values, fieldErrors, formError } };
  }
  const chosen = Object.entries(parsed.data) as [NotificationTopic, EmailModeValue][];
  await db.$transaction(
    chosen.map(([topic, email]) =>
      db.notificationPreference.upsert({
        where: { userId_topic: { userId: user.id, topic } },
        create: { userId: user.id, topic, email },
        update: { email },
      }),
    ),
  );
  return { ok: true, saved: chosen.length };
}
