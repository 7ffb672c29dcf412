// The decision maker's list (/beslut) as a query string: shared by the loader,
// the page's links and saved filters, and the batch decision "all matching".
export type DecisionQueueQuery = { callId: string | null; q: string; page: number };
export type DecisionQueueFilters = Omit<DecisionQueueQuery, "page">;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseDecisionQueueQuery(p: URLSearchParams): DecisionQueueQuery {
  const callId = p.get("utlysning");
  const page = Number(p.get("sida") ?? "1");
  return {
    callId: callId && UUID.test(callId) ? callId : null,
    q: (p.get("q") ?? "").trim().slice(0, 200),
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

/** The canonical query string (no leading "?"). */
export function decisionQueueSearch(query: DecisionQueueFilters, page = 1): string {
  const p = new URLSearchParams();
  if (query.q) p.set("q", query.q);
  if (query.callId) p.set("utlysning", query.callId);
  if (page > 1) p.set("sida", String(page));
  return p.toString();
}

export function decisionQueueHref(query: DecisionQueueFilters, page = 1): string {
  const s = decisionQueueSearch(query, page);
  return s ? `/beslut?${s}` : "/beslut";
}
