// Checking a sign-in, with throttling from the LoginAttempt table (shared by all app servers).
import type { Db, Prisma } from "~/db.server";
import { logger } from "~/logger.server";
import { verifyPassword } from "./password.server";

export type SignInResult = { ok: true; userId: string } | { ok: false; reason: "invalid" | "throttled"; retryAfterSeconds?: number };

const WINDOW_MS = 15 * 60_000;
/** Failed attempts allowed per e-mail within the window; the next attempt is refused. */
export const MAX_FAILURES_PER_EMAIL = 5;
/** Failed attempts allowed per IP address within the window (many e-mails from one source). */
export const MAX_FAILURES_PER_IP = 50;

/** E-mail addresses are stored and compared trimmed and in lower case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The client's address, or null when unknown. A Remix Request does not carry the socket's address,
 * so it comes from `context.clientIp` when the server passes it (express's `req.ip`), else, behind
 * a trusted proxy (TRUST_PROXY=1), from X-Forwarded-For: the last entry, the one our proxy added;
 * earlier entries are whatever the client chose to send.
 */
export function clientIp(request: Request, context?: unknown): string | null {
  const fromContext = (context as { clientIp?: unknown } | undefined)?.clientIp;
  if (typeof fromContext === "string" && fromContext) return fromContext;
  if (process.env.TRUST_PROXY === "1") {
    const last = request.headers.get("X-Forwarded-For")?.split(",").at(-1)?.trim();
    if (last) return last;
  }
  return null;
}

/**
 * Verifies e-mail and password. Every attempt is recorded. An unknown e-mail, a wrong password and
 * a deactivated account give the same answer in about the same time. While throttled, even the right
 * password is refused, and the answer says when to try again.
 *
 * `ip` null means unknown: then only the per-e-mail limit applies (one shared "unknown" bucket
 * would let 50 failures lock everybody out).
 */
export async function attemptSignIn(database: Db, input: { email: string; password: string; ip: string | null }): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const ip = input.ip ?? "unknown";

  // Recorded as a failure before anything is checked, so that concurrent attempts count against
  // each other and a burst of parallel guesses cannot slip past the limit. Marked a success below.
  const attempt = await database.loginAttempt.create({ data: { email, ip, success: false }, select: { id: true } });

  const retryAfterSeconds = await throttledFor(database, { email, ip: input.ip, excludeId: attempt.id });
  if (retryAfterSeconds !== null) {
    logger.warn({ ip, retryAfterSeconds }, "sign-in throttled");
    return { ok: false, reason: "throttled", retryAfterSeconds };
  }

  const user = await database.user.findUnique({ where: { email }, select: { id: true, passwordHash: true, active: true } });
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !user.active || !passwordOk) return { ok: false, reason: "invalid" };

  await database.loginAttempt.update({ where: { id: attempt.id }, data: { success: true } });
  return { ok: true, userId: user.id };
}

/** Seconds until the next attempt may be tried, or null when not throttled. */
async function throttledFor(database: Db, q: { email: string; ip: string | null; excludeId: bigint }): Promise<number | null> {
  const now = Date.now();
  const windowStart = new Date(now - WINDOW_MS);
  // A successful sign-in forgives the e-mail's earlier failures.
  const lastSuccess = await database.loginAttempt.findFirst({
    where: { email: q.email, success: true, createdAt: { gt: windowStart } },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  const waits = await Promise.all([
    waitFor(database, { email: q.email, id: { not: q.excludeId }, success: false, createdAt: { gt: lastSuccess?.createdAt ?? windowStart } }, MAX_FAILURES_PER_EMAIL, now),
    q.ip === null ? null : waitFor(database, { ip: q.ip, id: { not: q.excludeId }, success: false, createdAt: { gt: windowStart } }, MAX_FAILURES_PER_IP, now),
  ]);
  const longest = Math.max(...waits.map((w) => w ?? 0));
  return longest > 0 ? longest : null;
}

// With `limit` or more failures in the window, the attempt may be tried again once the
// limit-th most recent failure has left the window.
async function waitFor(database: Db, where: Prisma.LoginAttemptWhereInput, limit: number, now: number): Promise<number | null> {
  const recent = await database.loginAttempt.findMany({ where, orderBy: { createdAt: "desc" }, take: limit, select: { createdAt: true } });
  if (recent.length < limit) return null;
  return Math.max(1, Math.ceil((recent[limit - 1].createdAt.getTime() + WINDOW_MS - now) / 1000));
}
