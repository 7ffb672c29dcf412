// The work queue's filters as a query string: shared by the loader (app/cases/list.server.ts)
// and the page, which builds pagination, filter and saved-filter links in the browser too.

/** "mina": what needs me today (my cases and unassigned ones needing action); "alla": everything I may read. */
export type CaseListView = "alla" | "mina";
/** Deadline filter: passed, or falling within the next 7 or 30 days. */
export type DeadlineFilter = "passerad" | "7" | "30";

export type CaseListQuery = {
  view: CaseListView;
  state: string | null;
  callId: string | null;
  municipality: string | null;
  deadline: DeadlineFilter | null;
  q: string;
  page: number;
};

export type CaseListFilters = Omit<CaseListQuery, "page">;

export const DEADLINE_FILTERS: { value: DeadlineFilter; label: string }[] = [
  { value: "passerad", label: "Frist passerad" },
  { value: "7", label: "Inom 7 dagar" },
  { value: "30", label: "Inom 30 dagar" },
];

/** The query string of these filters (no leading "?"), in a fixed order so saved filters compare equal. */
export function caseListSearch(query: CaseListFilters, page = 1): string {
  const p = new URLSearchParams();
  if (query.view === "mina") p.set("vy", "mina");
  if (query.q) p.set("q", query.q);
  if (query.state) p.set("status", query.state);
  if (query.callId) p.set("utlysning", query.callId);
  if (query.municipality) p.set("kommun", query.municipality);
  if (query.deadline) p.set("frist", query.deadline);
  if (page > 1) p.set("sida", String(page));
  return p.toString();
}

/** Link to a page of the work queue with these filters. */
export function caseListHref(query: CaseListFilters, page: number): string {
  const s = caseListSearch(query, page);
  return s ? `/arenden?${s}` : "/arenden";
}

export function hasFilters(query: CaseListFilters): boolean {
  return Boolean(query.q || query.state || query.callId || query.municipality || query.deadline);
}
