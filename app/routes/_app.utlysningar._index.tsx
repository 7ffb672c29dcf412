// /utlysningar: calls the user may read. Applicants see open calls with deadline and amounts;
// board staff and coordinators see their calls in every state with what is left of each budget.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { mayCreateCalls } from "~/calls/admin.server";
import { requireUser } from "~/auth/session.server";
import { isApplicantOnly, listCalls, parseCallListQuery } from "~/calls/calls.server";
import { listCallsForApplicant } from "~/applicant/calls.server";
import { Pagination } from "~/components/Pagination";
import { StateBadge, toneOf } from "~/components/StateBadge";

export const meta: MetaFunction = () => [{ title: "Utlysningar – Utvecklingsmedel" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const url = new URL(request.url);
  // Applicants get the calls they could apply to, with whether they may; staff the boards' bookkeeping.
  if (isApplicantOnly(user)) return { applicant: await listCallsForApplicant(db(), user, url), list: null };
  return { applicant: null, list: await listCalls(db(), user, parseCallListQuery(url)), mayCreate: mayCreateCalls(user) };
};

function href(state: string | null, page: number) {
  const p = new URLSearchParams();
  if (state) p.set("status", state);
  if (page > 1) p.set("sida", String(page));
  const s = p.toString();
  return s ? `/utlysningar?${s}` : "/utlysningar";
}

type ApplicantList = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["applicant"]>;

function ApplicantCalls({ list }: { list: ApplicantList }) {
  const href = (closed: boolean, page: number) => {
    const p = new URLSearchParams();
    if (closed) p.set("visa", "stangda");
    if (page > 1) p.set("sida", String(page));
    const s = p.toString();
    return s ? `/utlysningar?${s}` : "/utlysningar";
  };
  return (
    <>
      <h1>Utlysningar</h1>
      <p>Här ser ni vilka utlysningar som går att söka. Välj en utlysning för att läsa villkoren, vad som bedöms och vad som ska redovisas.</p>
      <nav aria-label="Visa utlysningar">
        <ul className="state-counts">
          <li>
            <Link to={href(false, 1)} aria-current={!list.closed ? "true" : undefined}>
              Öppna: {list.openCount}
            </Link>
          </li>
          <li>
            <Link to={href(true, 1)} aria-current={list.closed ? "true" : undefined}>
              Stängda: {list.closedCount}
            </Link>
          </li>
        </ul>
      </nav>
      {list.rows.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Utlysning</th>
              <th scope="col">Länsstyrelse</th>
              <th scope="col">Sista ansökningsdag</th>
              <th scope="col" className="amount">
                Budget
              </th>
              <th scope="col" className="amount">
                Högsta belopp
              </th>
              <th scope="col">Vem kan söka</th>
              <th scope="col">Kan ni söka?</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={`/utlysningar/${c.id}`}>{c.title}</Link>
                </th>
                <td>{c.board}</td>
                <td>{c.closesAt}</td>
                <td className="amount">{c.budget}</td>
                <td className="amount">{c.maxAmount ?? "Ingen gräns"}</td>
                <td>{c.eligible}</td>
                <td>
                  {c.eligibility.canApply ? (
                    <Link to={`/ansokan/ny?utlysning=${c.id}`} aria-label={`Ansök: ${c.title}`}>
                      Ansök
                    </Link>
                  ) : (
                    c.eligibility.text
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{list.closed ? "Det finns inga stängda utlysningar." : "Det finns inga öppna utlysningar just nu."}</p>
      )}
      <Pagination page={list.page} pages={list.pages} total={list.total} noun="utlysningar" one="utlysning" hrefFor={(p) => href(list.closed, p)} />
    </>
  );
}

export default function Calls() {
  const data = useLoaderData<typeof loader>();
  if (data.applicant) return <ApplicantCalls list={data.applicant} />;
  const list = data.list!;
  return (
    <>
      <h1>Utlysningar</h1>
      {data.mayCreate ? (
        <p>
          <Link className="button" to="/utlysningar/ny">
            Ny utlysning
          </Link>
        </p>
      ) : null}
      {list.applicantOnly ? <p>Här ser du utlysningar som går att söka just nu. Välj en utlysning för att läsa villkoren.</p> : null}

      <nav aria-label="Filtrera på status">
        <ul className="state-counts">
          {!list.applicantOnly ? (
            <li>
              <Link to="/utlysningar" aria-current={list.state === null ? "true" : undefined}>
                Alla
              </Link>
            </li>
          ) : null}
          {list.stateCounts.map((s) => (
            <li key={s.state}>
              <Link to={href(s.state, 1)} aria-current={list.state === s.state ? "true" : undefined}>
                {s.label}: {s.count}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {list.rows.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Utlysning</th>
              <th scope="col">Länsstyrelse</th>
              <th scope="col">Status</th>
              <th scope="col">Sista ansökningsdag</th>
              <th scope="col" className="amount">
                Budget
              </th>
              {list.applicantOnly ? (
                <>
                  <th scope="col" className="amount">
                    Högsta belopp
                  </th>
                  <th scope="col">Vem kan söka</th>
                </>
              ) : (
                <>
                  <th scope="col" className="amount">
                    Beviljat
                  </th>
                  <th scope="col" className="amount">
                    Kvar
                  </th>
                  <th scope="col" className="amount">
                    Ansökningar
                  </th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {list.rows.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={`/utlysningar/${c.id}`}>{c.title}</Link>
                </th>
                <td>{c.board}</td>
                <td>
                  <StateBadge label={c.stateLabel} tone={toneOf(c.state)} />
                </td>
                <td>
                  {c.closesAt}
                  {c.closedEarlyAt ? <span className="hint"> (stängdes i förtid {c.closedEarlyAt})</span> : null}
                </td>
                <td className="amount">{c.budget}</td>
                {list.applicantOnly ? (
                  <>
                    <td className="amount">{c.maxAmount ?? "Ingen gräns"}</td>
                    <td>{c.eligible}</td>
                  </>
                ) : (
                  <>
                    <td className="amount">
                      {c.granted}
                      {c.pending ? <span className="hint"> (+ {c.pending} reserverat för beslut som väntar)</span> : null}
                    </td>
                    <td className="amount">{c.left}</td>
                    <td className="amount">{c.applications}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{list.applicantOnly ? "Det finns inga öppna utlysningar just nu." : "Det finns inga utlysningar med den statusen."}</p>
      )}
      <Pagination page={list.page} pages={list.pages} total={list.total} noun="utlysningar" one="utlysning" hrefFor={(p) => href(list.state, p)} />
    </>
  );
}
