// Free-text search over applications: registration number, title (and
// description) and the applicant organization's name. PostgreSQL full-text
// search with the 'swedish' configuration ("kvinnojourer" finds
// "Kvinnojourerna"). The application part uses exactly the expression of the
// GIN index "Application_search" (init migration), so the planner can use it;
// test/officer/queue.test.ts checks that with EXPLAIN. Parts of registration
// numbers ("05-2020-00") are matched as substrings, since the text parser
// keeps such a number as one token.
import { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import { sqlOf } from "~/sql.server";
import { SqlParams } from "~/lib/sql-params";

/** At most this many matches are used; a search that finds more should be narrowed. */
export const SEARCH_LIMIT = 5_000;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Does the search look like (part of) a registration number, e.g. "05-2020-0012" or "0012"? */
export function looksLikeRegistrationNumber(q: string): boolean {
  return /^[0-9][0-9-]*$/.test(q.trim());
}

/** The indexed expression of "Application_search" (alias a): the condition must repeat it exactly. */
const APPLICATION_TEXT = `to_tsvector('swedish', coalesce(a."registrationNumber", '') || ' ' || a."title" || ' ' || a."description")`;

/** The full-text condition on "Application" (alias a), written as the index is. */
export function applicationTextMatch(q: string): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(APPLICATION_TEXT)} @@ websearch_to_tsquery('swedish', ${q})`;
}

/**
 * The search as a subquery of application ids for plain SQL (decision 0008): matches of `q`,
 * narrowed to these boards and applicant organizations (null: not narrowed, e.g. for
 * coordinators), at most SEARCH_LIMIT. The caller still applies the permission scope.
 */
export function searchApplicationIdsSql(q: string, within: { boardIds: string[]; applicantOrgIds: string[] } | null, p: SqlParams): string {
  const text = q.trim();
  if (!text) return "select null::uuid as id where false";
  const scope = within ? `(a."boardId" = any(${p.add(within.boardIds)}::uuid[]) or a."applicantOrgId" = any(${p.add(within.applicantOrgIds)}::uuid[]))` : "true";
  return `select a.id from "Application" a where ${scope} and ${searchConditionSql(text, p)} limit ${SEARCH_LIMIT}`;
}

/**
 * The search as a condition on "Application" (alias a), for a list that filters, counts and
 * orders the matches itself: no limit, so its counts are exact however many cases match.
 * Each arm has an index (the GIN index on the text, the applicant index for the organizations
 * whose name matches by words or by part of the name), so PostgreSQL ORs the index bitmaps
 * instead of reading every case. Parts of registration numbers have no index: that arm is
 * added only when the search looks like one.
 */
export function searchConditionSql(q: string, p: SqlParams): string {
  const text = q.trim();
  if (!text) return "false";
  const query = p.add(text);
  const like = p.add(`%${escapeLike(text)}%`);
  // The text arm as a list of ids: matched through the GIN index, and the other cases never
  // have their text parsed again (a plain OR made PostgreSQL recheck the text of every case
  // the organization arm found: 93 of the 95 ms on 10 000 matches).
  const arms = [
    `a.id = any(array(select t.id from "Application" t where ${APPLICATION_TEXT.replaceAll("a.", "t.")} @@ websearch_to_tsquery('swedish', ${query})))`,
    `a."applicantOrgId" = any(array(
        select o.id from "Organization" o where to_tsvector('swedish', o.name) @@ websearch_to_tsquery('swedish', ${query})
        union
        select o.id from "Organization" o where o.name ilike ${like}))`,
  ];
  if (looksLikeRegistrationNumber(text)) arms.push(`a."registrationNumber" like ${like}`);
  return `(${arms.join(" or ")})`;
}

/**
 * Ids of applications that match `q`, narrowed to these boards and applicant organizations
 * (null: not narrowed, e.g. for coordinators). The caller still applies the permission scope.
 */
export async function searchApplicationIds(db: Db, q: string, within: { boardIds: string[]; applicantOrgIds: string[] } | null): Promise<string[]> {
  if (!q.trim()) return [];
  const p = new SqlParams();
  // Planned for each search: its best plan depends on the words (see SqlPool.query).
  const rows = await sqlOf(db).query<{ id: string }>(searchApplicationIdsSql(q, within, p), p.values, { prepare: false });
  return rows.map((r) => r.id);
}
