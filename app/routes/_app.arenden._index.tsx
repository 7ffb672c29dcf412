// /arenden: the applications the user may read, filtered, searched and paginated.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { orgIdsWithRole, STAFF_ROLES } from "~/access/permissions.server";
import { listCases, parseCaseListQuery } from "~/cases/list.server";
import { caseListHref } from "~/cases/list-query";
import { Pagination } from "~/components/Pagination";
import { StateBadge, toneOf } from "~/components/StateBadge";

export const meta: MetaFunction = () => [{ title: "Ärenden – Utvecklingsmedel" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const query = parseCaseListQuery(new URL(request.url));
  const list = await listCases(db(), user, query);
  const onlyApplicant = orgIdsWithRole(user, [...STAFF_ROLES, "coordinator"]).length === 0;
  return { query: { state: query.state, callId: query.callId, q: query.q }, list, heading: onlyApplicant ? "Våra ansökningar" : "Ärenden" };
};

export default function CaseList() {
  const { query, list, heading } = useLoaderData<typeof loader>();
  const filtered = Boolean(query.q || query.state || query.callId);
  return (
    <>
      <h1>{heading}</h1>

        <Form method="get" className="filters" role="search" aria-label="Sök och filtrera ärenden">
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
          <button type="submit">Visa</button>
          {filtered ? (
            <p>
              <Link to="/arenden">Rensa filter</Link>
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
        <h2 id="results">{filtered ? "Sökresultat" : "Alla ärenden"}</h2>
        {list.rows.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Diarienummer</th>
                <th scope="col">Ärende</th>
                <th scope="col">Sökande</th>
                <th scope="col">Utlysning</th>
                <th scope="col">Status</th>
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
                  <td>{r.applicant}</td>
                  <td>{r.call}</td>
                  <td>
                    <StateBadge label={r.stateLabel} tone={toneOf(r.state)} />
                  </td>
                  <td className="amount">{r.requested}</td>
                  <td className="amount">{r.granted ?? "–"}</td>
                  <td>{r.submittedAt ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{filtered ? "Inga ärenden matchar sökningen." : "Det finns inga ärenden än."}</p>
        )}
        <Pagination page={list.page} pages={list.pages} total={list.total} noun="ärenden" hrefFor={(p) => caseListHref(query, p)} />
      </section>
    </>
  );
}
