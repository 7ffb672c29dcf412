// The work queue's search is a filter on the list's own rows: however many cases match
// (here more than the 5 000 a standalone search returns), the count and the pages are those
// of every match, in the list's order, not of an arbitrary capped subset.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/db";
import { generateDataset, type Dataset } from "../bench/dataset";
import { listCases, parseCaseListQuery, PAGE_SIZE } from "../../app/cases/list.server";
import { SEARCH_LIMIT } from "../../app/cases/search.server";
import type { Principal } from "../../app/access/permissions.server";
import { sqlOf } from "../../app/sql.server";

const t = useTestDatabase();
let ds: Dataset;
let officer: Principal;

beforeAll(async () => {
  ds = await generateDataset(t.url, { applications: 30_000, seed: 11 });
  const user = await t.db.user.findUniqueOrThrow({ where: { email: ds.emails.officer }, include: { memberships: true } });
  officer = { id: user.id, memberships: user.memberships };
}, 240_000);

describe("work queue search over many matches", () => {
  it("counts every match and shows the newest first, beyond the standalone search's limit", async () => {
    // The data set names many organisations "Trygg…": a broad word, as users type.
    const [live] = await sqlOf(t.db).query<{ n: number; newest: string }>(
      `select count(*)::int as n from "Application" a join "Organization" o on o.id = a."applicantOrgId"
        where a.state <> 'draft' and (o.name ilike '%trygg%' or to_tsvector('swedish', o.name) @@ websearch_to_tsquery('swedish', 'trygg')
              or to_tsvector('swedish', coalesce(a."registrationNumber", '') || ' ' || a.title || ' ' || a.description) @@ websearch_to_tsquery('swedish', 'trygg'))`,
    );
    expect(live.n, "the data set has more matches than a standalone search returns").toBeGreaterThan(SEARCH_LIMIT);

    const list = await listCases(t.db, officer, parseCaseListQuery(new URL("http://localhost/arenden?vy=alla&q=trygg")));
    expect(list.total).toBe(live.n);
    expect(list.pages).toBe(Math.ceil(live.n / PAGE_SIZE));
    expect(list.stateCounts.reduce((n, s) => n + s.count, 0)).toBe(live.n);

    // The first page is the newest submissions among all matches.
    const newest = await sqlOf(t.db).query<{ id: string }>(
      `select a.id from "Application" a join "Organization" o on o.id = a."applicantOrgId"
        where a.state <> 'draft' and (o.name ilike '%trygg%' or to_tsvector('swedish', o.name) @@ websearch_to_tsquery('swedish', 'trygg')
              or to_tsvector('swedish', coalesce(a."registrationNumber", '') || ' ' || a.title || ' ' || a.description) @@ websearch_to_tsquery('swedish', 'trygg'))
        order by a."submittedAt" desc nulls last, a."createdAt" desc, a.id asc limit ${PAGE_SIZE}`,
    );
    expect(list.rows.map((r) => r.id)).toEqual(newest.map((r) => r.id));
  });
  it("counts and lists a case found both through its organization and its own words once", async () => {
    const before = await listCases(t.db, officer, parseCaseListQuery(new URL("http://localhost/arenden?vy=alla&q=trygg")));
    // A case whose organization already matches gets the word in its own title too.
    const [both] = await sqlOf(t.db).query<{ id: string }>(
      `select a.id from "Application" a join "Organization" o on o.id = a."applicantOrgId"
        where a.state <> 'draft' and o.name ilike '%trygg%' order by a."submittedAt" desc nulls last, a."createdAt" desc, a.id asc limit 1`,
    );
    await sqlOf(t.db).query(`update "Application" set title = 'Trygga mötesplatser' where id = $1::uuid`, [both.id]);
    const after = await listCases(t.db, officer, parseCaseListQuery(new URL("http://localhost/arenden?vy=alla&q=trygg")));
    expect(after.total).toBe(before.total);
    expect(after.stateCounts).toEqual(before.stateCounts);
    expect(after.rows.filter((r) => r.id === both.id)).toHaveLength(1);
  });

  it("pages a search within a state in the list's order, and shows the last page for one past the end", async () => {
    const all = await sqlOf(t.db).query<{ id: string }>(
      `select a.id from "Application" a join "Organization" o on o.id = a."applicantOrgId"
        where a.state = 'submitted' and (o.name ilike '%trygg%' or to_tsvector('swedish', o.name) @@ websearch_to_tsquery('swedish', 'trygg')
              or to_tsvector('swedish', coalesce(a."registrationNumber", '') || ' ' || a.title || ' ' || a.description) @@ websearch_to_tsquery('swedish', 'trygg'))
        order by a."submittedAt" desc nulls last, a."createdAt" desc, a.id asc`,
    );
    expect(all.length, "the data set has several pages of submitted matches").toBeGreaterThan(2 * PAGE_SIZE);
    const page2 = await listCases(t.db, officer, parseCaseListQuery(new URL("http://localhost/arenden?vy=alla&q=trygg&status=submitted&sida=2")));
    expect(page2.total).toBe(all.length);
    expect(page2.rows.map((r) => r.id)).toEqual(all.slice(PAGE_SIZE, 2 * PAGE_SIZE).map((r) => r.id));
    expect(page2.rows.every((r) => r.state === "submitted")).toBe(true);

    const past = await listCases(t.db, officer, parseCaseListQuery(new URL("http://localhost/arenden?vy=alla&q=trygg&status=submitted&sida=9999")));
    const lastPage = Math.ceil(all.length / PAGE_SIZE);
    expect(past.page).toBe(lastPage);
    expect(past.rows.map((r) => r.id)).toEqual(all.slice((lastPage - 1) * PAGE_SIZE).map((r) => r.id));
  });
});
