// The case list's filters as a query string: shared by the loader (app/cases/list.server.ts)
// and the page, which builds pagination and filter links in the browser too.
export type CaseListQuery = { state: string | null; callId: string | null; q: string; page: number };

/** Link to a page of the case list with these filters. */
export function caseListHref(query: Omit<CaseListQuery, "page">, page: number): string {
  const p = new URLSearchParams();
  if (query.q) p.set("q", query.q);
  if (query.state) p.set("status", query.state);
  if (query.callId) p.set("utlysning", query.callId);
  if (page > 1) p.set("sida", String(page));
  const s = p.toString();
  return s ? `/arenden?${s}` : "/arenden";
}
