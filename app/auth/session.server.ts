// Server-side sessions. The cookie carries only a random id; the Session row is keyed by the
// id's SHA-256, so a copy of the database does not hand out live sessions. Sessions end on
// sign-out (revokedAt), after SESSION_IDLE_MINUTES without requests, or SESSION_MAX_HOURS after sign-in.
import { createHash, randomBytes } from "node:crypto";
import { redirect } from "@remix-run/node";
import { db as processDb, type Db } from "~/db.server";
import { sqlOf, type SqlPool } from "~/sql.server";
import type { OrganizationKind, Role } from "~/generated/prisma/client";

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  /** The Session row's id (the hash of the cookie value), never the cookie value itself. */
  sessionId: string;
  /** Unread in-app notices (the bell on every signed-in page), read with the session. */
  unreadNotices: number;
  memberships: {
    organizationId: string;
    organizationName: string;
    kind: OrganizationKind;
    countyCode: string | null;
    municipalityCode: string | null;
    role: Role;
  }[];
};

export const SESSION_COOKIE = "__session";

// Writing lastSeenAt on every request would turn each page view into a write; a minute's
// precision is plenty for a 30-minute idle timeout.
const TOUCH_INTERVAL_MS = 60_000;

// Read at call time, so a changed environment (or a test) takes effect without a restart.
function idleMs(): number {
  return positiveNumber(process.env.SESSION_IDLE_MINUTES, 30) * 60_000;
}
function maxAgeMs(): number {
  return positiveNumber(process.env.SESSION_MAX_HOURS, 12) * 3_600_000;
}
function positiveNumber(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : fallback;
}

function secureCookies(): boolean {
  return process.env.NODE_ENV === "production" && process.env.COOKIE_SECURE !== "0";
}

// No Max-Age: the cookie lasts until the browser closes, the server decides expiry.
function serializeCookie(value: string, clear = false): string {
  const parts = [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (clear) parts.push("Max-Age=0", "Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  if (secureCookies()) parts.push("Secure");
  return parts.join("; ");
}

function hashId(rawId: string): string {
  return createHash("sha256").update(rawId).digest("hex");
}

/** The raw session id from the request's cookie, if it looks like one of ours (32 bytes, base64url). */
function readSessionCookie(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
  }
  return null;
}

type SessionRow = {
  revokedAt: Date | null;
  lastSeenAt: Date;
  expiresAt: Date;
  createdAt: Date;
  userId: string;
  email: string;
  name: string;
  active: boolean;
  memberships: SessionUser["memberships"];
  unreadNotices: number;
};

// Every signed-in request runs this, so it is one plain-SQL statement (decision 0008):
// the session, its user and the memberships with their organizations, ordered as the
// navigation lists them (organization name, then role in the enum's order), and the
// unread count every signed-in page's bell shows (on the (userId, readAt, createdAt) index).
const SESSION_SQL = `
  select s."revokedAt", s."lastSeenAt", s."expiresAt", s."createdAt", u.id as "userId", u.email, u.name, u.active,
         coalesce((select json_agg(json_build_object(
                            'organizationId', m."organizationId", 'organizationName', o.name, 'kind', o.kind,
                            'countyCode', o."countyCode", 'municipalityCode', o."municipalityCode", 'role', m.role)
                          order by o.name, m.role)
                     from "Membership" m join "Organization" o on o.id = m."organizationId"
                    where m."userId" = u.id), '[]'::json) as memberships,
         (select count(*)::int from "Notification" n where n."userId" = u.id and n."readAt" is null) as "unreadNotices"
    from "Session" s join "User" u on u.id = s."userId"
   where s.id = $1`;

// A page's loaders (layout and route) ask for the user at the same moment, each with its own
// copy of the request: concurrent asks for one session share one lookup (the read, the checks
// and the once-a-minute touch). Nothing is kept once it is answered, so every request still
// reads the session fresh, and a revoked or expired session stops working at once.
const lookups = new WeakMap<SqlPool, Map<string, Promise<SessionUser | null>>>();

/** The signed-in user, or null when there is no live session (none, revoked, idle, too old, or user deactivated). */
export async function getUser(request: Request, database: Db = processDb()): Promise<SessionUser | null> {
  const rawId = readSessionCookie(request);
  if (!rawId) return null;
  const id = hashId(rawId);
  const sql = sqlOf(database);
  let pending = lookups.get(sql);
  if (!pending) lookups.set(sql, (pending = new Map()));
  const inFlight = pending.get(id);
  if (inFlight) return inFlight;
  const lookup = liveSession(sql, id);
  const settled = () => {
    if (pending.get(id) === lookup) pending.delete(id);
  };
  lookup.then(settled, settled);
  pending.set(id, lookup);
  return lookup;
}

async function liveSession(sql: SqlPool, id: string): Promise<SessionUser | null> {
  const [session] = await sql.query<SessionRow>(SESSION_SQL, [id]);
  if (!session || session.revokedAt || !session.active) return null;

  const now = Date.now();
  const lastSeen = session.lastSeenAt.getTime();
  // Both the stored expiry and the current setting apply, so lowering SESSION_MAX_HOURS takes effect at once.
  if (session.expiresAt.getTime() <= now || session.createdAt.getTime() + maxAgeMs() <= now) return null;
  if (lastSeen + idleMs() <= now) return null;

  if (now - lastSeen >= TOUCH_INTERVAL_MS) {
    await sql.query(`update "Session" set "lastSeenAt" = $2 where id = $1 and "revokedAt" is null`, [id, new Date(now)]);
  }

  return { id: session.userId, email: session.email, name: session.name, sessionId: id, memberships: session.memberships, unreadNotices: session.unreadNotices };
}

/** The signed-in user; when signed out, throws a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser(request: Request, database: Db = processDb()): Promise<SessionUser> {
  const user = await getUser(request, database);
  if (user) return user;
  const url = new URL(request.url);
  const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
  // A dead session cookie is cleared on the way, so it is not looked up again on every request.
  const headers = readSessionCookie(request) ? { "Set-Cookie": serializeCookie("", true) } : undefined;
  throw redirect(`/logga-in?${params}`, { headers });
}

/**
 * Starts a session for `userId` with a fresh random id and returns the Set-Cookie header value.
 * A session the request already carried is revoked: a sign-in never keeps a pre-login id.
 */
export async function createSession(database: Db, userId: string, request: Request): Promise<string> {
  const previous = readSessionCookie(request);
  if (previous) await database.session.updateMany({ where: { id: hashId(previous), revokedAt: null }, data: { revokedAt: new Date() } });

  const rawId = randomBytes(32).toString("base64url");
  const now = new Date();
  await database.session.create({
    data: {
      id: hashId(rawId),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + maxAgeMs()),
      userAgent: request.headers.get("User-Agent")?.slice(0, 500) ?? null,
    },
  });
  return serializeCookie(rawId);
}

/** Revokes the request's session (if any) and returns a Set-Cookie header value that clears the cookie. */
export async function destroySession(database: Db, request: Request): Promise<string> {
  const rawId = readSessionCookie(request);
  if (rawId) await database.session.updateMany({ where: { id: hashId(rawId), revokedAt: null }, data: { revokedAt: new Date() } });
  return serializeCookie("", true);
}

/** Signs the user out everywhere (password change, deactivation). Returns how many sessions were revoked. */
export async function revokeAllSessions(database: Db, userId: string): Promise<number> {
  const { count } = await database.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count;
}
