// /arenden: the board staff's work queue. Applicants have their own pages (/ansokningar).
import type { ActionFunctionArgs, LoaderFunctionArgs, LinksFunction, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import officerStyles from "~/styles/officer.css";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { orgIdsWithRole, STAFF_ROLES, type Principal } from "~/access/permissions.server";
import { listCases, parseCaseListQuery } from "~/cases/list.server";
import { caseListHref, caseListSearch, DEADLINE_FILTERS, hasFilters } from "~/cases/list-query";
import { deleteFilter, listSavedFilters, saveFilter } from "~/cases/saved-filters.server";
import { Pagination } from "~/components/Pagination";
import { SavedFilters, type SaveFilterError } from "~/components/SavedFilters";
import { ErrorSummary } from "~/components/ErrorSummary";
import { StateBadge, toneOf } from "~/components/StateBadge";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: officerStyles }];

export const meta: MetaFunction = () => [{ title: "Ärenden – Utvecklingsmedel" }];

/** Applicants without any staff or coordinator role use /ansokningar. */
function isOnlyApplicant(user: Principal): boolean {
  return orgIdsWithRole(user, [...STAFF_ROLES, "coordinator"]).length === 0;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  if (isOnlyApplicant(user)) throw redirect("/ansokningar");
  const query = parseCaseListQuery(new URL(request.url));
  const [list, savedFilters] = await Promise.all([listCases(db(), user, query), listSavedFilters(db(), user, "arenden")]);
  const { page: _page, ...filters } = query;
  return { query: filters, list, savedFilters, currentQuery: caseListSearch(filters), isOfficer: orgIdsWithRole(user, ["officer"]).length > 0 };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  if (isOnlyApplicant(user)) throw redirect("/ansokningar");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "delete-filter") {
    await deleteFilter(db(), user, "arenden", form.get("id"));
    return redirect("/arenden");
  }
  if (intent === "save-filter") {
    // Only the list's own parameters are kept, re-serialised from what the list understands.
    const { page: _page, ...filters } = parseCaseListQuery(new URLSearchParams(String(form.get("query") ?? "")));
    const query = caseListSearch(filters);
    const result = await saveFilter(db(), user, "arenden", form.get("filterName"), query);
    if (!result.ok) return Response.json({ fieldErrors: result.fieldErrors, values: result.values } satisfies SaveFilterError, { status: 400 });
    return redirect(caseListHref(filters, 1));
  }
  return Response.json({ fieldErrors: {}, values: {} }, { status: 400 });
};

export default function CaseList() {
  const { query, list, savedFilters, currentQuery, isOfficer } = useLoaderData<typeof loader>();
  const saveError = useActionData<SaveFilterError>();
  const filtered = hasFilters(query);
  return (
    <>
      <h1>Ärenden</h1>
      {saveError?.fieldErrors.filterName ? <ErrorSummary title="Filtret kunde inte sparas" errors={[{ href: "#filterName", message: saveError.fieldErrors.filterName }]} /> : null}

      {isOfficer ? (
        <nav aria-label="Urval" className="tabs">
          <ul>
            <li>
              <Link to={caseListHref({ ...query, view: "mina", state: null }, 1)} aria-current={query.view === "mina" ? "page" : undefined}>
                Att göra för mig
              </Link>
            </li>
            <li>
              <Link to={caseListHref({ ...query, view: "alla" }, 1)} aria-current={query.view === "alla" ? "page" : undefined}>
                Alla ärenden
              </Link>
            </li>
          </ul>
        </nav>
      ) : null}

      <Form method="get" className="filters" role="search" aria-label="Sök och filtrera ärenden">
        {query.view === "mina" ? <input type="hidden" name="vy" value="mina" /> : null}
        <div className="field">
          <label htmlFor="q">Sök på diarienummer, titel eller organisation</label>
          <input id="q" name="q" type="search" defaultValue={query.q} />
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={query.state ?? ""}>
            <option value="">Alla</option>
            {list.stateCounts.map((s) => (
              <option key={s.state} value={s.state}>
                {s.label} ({s.count})
              </option>
            ))}
          </select>
        </div>
        {list.calls.length > 1 ? (
          <div className="field">
            <label htmlFor="utlysning">Utlysning</label>
            <select id="utlysning" name="utlysning" defaultValue={query.callId ?? ""}>
              <option value="">Alla</option>
              {list.calls.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {list.municipalities.length > 1 ? (
          <div className="field">
            <label htmlFor="kommun">Kommun</label>
            <select id="kommun" name="kommun" defaultValue={query.municipality ?? ""}>
              <option value="">Alla</option>
              {list.municipalities.map((m) => (
                <option key={m.code} value={m.code}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="frist">Frist</label>
          <select id="frist" name="frist" defaultValue={query.deadline ?? ""}>
            <option value="">Alla</option>
            {DEADLINE_FILTERS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Visa</button>
        {filtered ? (
          <p>
            <Link to={caseListHref({ view: query.view, q: "", state: null, callId: null, municipality: null, deadline: null }, 1)}>Rensa filter</Link>
          </p>
        ) : null}
      </Form>

      {list.stateCounts.length ? (
        <section aria-labelledby="counts">
          <h2 id="counts">Antal per status</h2>
          <ul className="state-counts">
            {list.stateCounts.map((s) => (
              <li key={s.state}>
                <Link to={caseListHref({ ...query, state: s.state }, 1)} aria-current={query.state === s.state ? "true" : undefined}>
                  {s.label}: {s.count}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="results">
        <h2 id="results">{query.view === "mina" ? "Att göra för mig" : filtered ? "Sökresultat" : "Alla ärenden"}</h2>
        {list.rows.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Diarienummer</th>
                <th scope="col">Ärende</th>
                <th scope="col">Sökande</th>
                <th scope="col">Utlysning</th>
                <th scope="col">Status</th>
                <th scope="col">Handläggare</th>
                <th scope="col">Frist</th>
                <th scope="col" className="amount">
                  Sökt
                </th>
                <th scope="col" className="amount">
                  Beviljat
                </th>
                <th scope="col">Inlämnad</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.registrationNumber ?? "–"}</td>
                  <th scope="row">
                    <Link to={`/arenden/${r.id}`}>{r.title}</Link>
                  </th>
                  <td>
                    {r.applicant}
                    {r.municipality ? <span className="muted"> ({r.municipality})</span> : null}
                  </td>
                  <td>{r.call}</td>
                  <td>
                    <StateBadge label={r.stateLabel} tone={toneOf(r.state)} />
                  </td>
                  <td>{r.officer ?? <span className="muted">Ingen</span>}</td>
                  <td>{r.deadline ? (r.deadlinePassed ? <strong>{r.deadline} (passerad)</strong> : r.deadline) : "–"}</td>
                  <td className="amount">{r.requested}</td>
                  <td className="amount">{r.granted ?? "–"}</td>
                  <td>{r.submittedAt ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{query.view === "mina" && !filtered ? "Inget väntar på dig just nu." : filtered ? "Inga ärenden matchar sökningen." : "Det finns inga ärenden än."}</p>
        )}
        <Pagination page={list.page} pages={list.pages} total={list.total} noun="ärenden" one="ärende" hrefFor={(p) => caseListHref(query, p)} />
      </section>

      <SavedFilters filters={savedFilters} currentQuery={currentQuery} error={saveError} />
    </>
  );
}
