// Free-text search over applications: registration number, title (and
// description) and the applicant organization's name. PostgreSQL full-text
// search with the 'swedish' configuration ("kvinnojourer" finds
// "Kvinnojourerna"). The application part reads the words kept in
// "ApplicationText" (GIN index "ApplicationText_search", decision 0014);
// test/officer/queue.test.ts checks that with EXPLAIN. Parts of registration
// numbers ("05-2020-00") are matched as substrings, since the text parser
// keeps such a number as one token.
import { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/db.server";
import { sqlOf, type Sql } from "~/sql.server";
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

/** The ids of applications whose own words match a search (GIN index on the kept words); TEXT_MATCH is the statement up to the search text. */
const TEXT_MATCH = `select t."applicationId" from "ApplicationText" t where t.document @@ websearch_to_tsquery('swedish', `;
const textMatchIds = (param: string) => `${TEXT_MATCH}${param})`;

/** The full-text condition on "Application" (alias a). */
export function applicationTextMatch(q: string): Prisma.Sql {
  return Prisma.sql`a.id in (${Prisma.raw(TEXT_MATCH)}${q}))`;
}

/**
 * A search with the organizations whose name it matches already found: by words (GIN on the
 * name's text) or by part of the name (trigram GIN). Found in a statement of their own, so that
 * it is planned once as a prepared statement: planning the part-of-name pattern for each search
 * reads it against the column's statistics, which cost more than the lookup itself.
 */
export type ResolvedSearch = {
  text: string;
  /**
   * The organizations' ids as PostgreSQL's text of a uuid[] ("{…,…}"), handed back as it came:
   * a common word matches hundreds of organizations, and parsing and re-serialising each id in
   * Node cost more than the rest of the search's Node work.
   */
  organizationIds: string;
  organizationCount: number;
};

export async function resolveSearch(sql: Sql, q: string): Promise<ResolvedSearch | null> {
  const text = q.trim();
  if (!text) return null;
  const [row] = await sql.query<{ ids: string; n: number }>(
    `select ids::text as ids, cardinality(ids) as n
       from (select array(select o.id from "Organization" o where to_tsvector('swedish', o.name) @@ websearch_to_tsquery('swedish', $1)
                          union
                          select o.id from "Organization" o where o.name ilike $2) as ids) found`,
    [text, `%${escapeLike(text)}%`],
  );
  return { text, organizationIds: row?.ids ?? "{}", organizationCount: row?.n ?? 0 };
}

/**
 * The search as conditions on "Application" (alias a), each one indexed, whose OR is the search:
 * cases of the matching organizations (the applicant index), cases whose own text matches (GIN on
 * the case's text) and, only when the search looks like one, parts of registration numbers (no
 * index). A list may OR the arms or read each arm on its own index and union them
 * (app/cases/list.server.ts). Uncapped.
 */
export function searchArmsSql(search: ResolvedSearch, p: SqlParams): string[] {
  const arms = [`a.id = any(array(${textMatchIds(p.add(search.text))}))`];
  if (search.organizationCount) arms.unshift(`a."applicantOrgId" = any(${p.add(search.organizationIds)}::uuid[])`);
  if (looksLikeRegistrationNumber(search.text)) arms.push(`a."registrationNumber" like ${p.add(`%${escapeLike(search.text)}%`)}`);
  return arms;
}

/**
 * Ids of applications in these states that match `q`, narrowed to these boards and applicant
 * organizations (null: not narrowed, e.g. for coordinators), at most SEARCH_LIMIT. The states
 * narrow before the limit, so the cases the caller lists are never among those cut off (the
 * decision maker's list, whose batch decision covers every case matching its filter). The caller
 * still applies the permission scope.
 */
export async function searchApplicationIds(db: Db, q: string, within: { boardIds: string[]; applicantOrgIds: string[] } | null, states: string[]): Promise<string[]> {
  const sql = sqlOf(db);
  const search = await resolveSearch(sql, q);
  if (!search) return [];
  const p = new SqlParams();
  const scope = within ? `(a."boardId" = any(${p.add(within.boardIds)}::uuid[]) or a."applicantOrgId" = any(${p.add(within.applicantOrgIds)}::uuid[]))` : "true";
  const rows = await sql.query<{ id: string }>(
    `select a.id from "Application" a where ${scope} and a.state = any(${p.add(states)}::text[]) and (${searchArmsSql(search, p).join(" or ")}) limit ${SEARCH_LIMIT}`,
    p.values,
    // Planned for each search: with a limit, its best plan depends on how many cases match.
    { prepare: false },
  );
  return rows.map((r) => r.id);
}
