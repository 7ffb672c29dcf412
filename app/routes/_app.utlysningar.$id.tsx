// /utlysningar/:id: one call's terms, budget and (for staff) its applications per state.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { orgIdsWithRole, requireCall, STAFF_ROLES } from "~/access/permissions.server";
import { loadCallView } from "~/calls/calls.server";
import { applicantCallStatus } from "~/applicant/calls.server";
import { StateBadge, toneOf } from "~/components/StateBadge";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.call.title ?? "Utlysning"} – Utvecklingsmedel` }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const call = await requireCall(db(), user, params.id ?? "");
  const view = await loadCallView(db(), user, call.id);
  const boardStaff = orgIdsWithRole(user, STAFF_ROLES).includes(call.boardId);
  return {
    call: view,
    applicant: view.applicantOnly ? await applicantCallStatus(db(), user, call.id) : null,
    // The edit page itself enforces who may change what (ADR 0006); this only decides which links to show.
    mayAdminister: orgIdsWithRole(user, ["officer", "admin"]).includes(call.boardId) && (call.state === "draft" || call.state === "published"),
    showBudget: boardStaff || !view.applicantOnly,
  };
};

export default function CallPage() {
  const { call: c, applicant, mayAdminister, showBudget } = useLoaderData<typeof loader>();
  return (
    <article>
      <p className="breadcrumbs">
        <Link to="/utlysningar">Utlysningar</Link>
      </p>
      <h1>{c.title}</h1>
      <p>
        <StateBadge label={c.stateLabel} tone={toneOf(c.state)} /> {applicant ? null : c.stateNext}
      </p>
      {mayAdminister || (showBudget && !applicant) ? (
        <p className="actions">
          {mayAdminister ? (
            <Link className="button" to={`/utlysningar/${c.id}/redigera`}>
              {c.state === "draft" ? "Ändra eller publicera" : "Stäng utlysningen"}
            </Link>
          ) : null}{" "}
          {showBudget && !applicant ? <Link to={`/utlysningar/${c.id}/budget`}>Budget i korthet</Link> : null}
        </p>
      ) : null}
      {applicant ? (
        <section aria-labelledby="apply" className="notice">
          <h2 id="apply">Ansök</h2>
          <p>
            Sista ansökningsdag: <strong>{c.closesAt}</strong> (svensk tid). {applicant.text}
          </p>
          {applicant.canApply ? (
            <p>
              <Link className="button" to={`/ansokan/ny?utlysning=${c.id}`}>
                Ansök
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="terms">
        <h2 id="terms">Villkor</h2>
        <dl className="facts">
          <dt>Länsstyrelse</dt>
          <dd>{c.board}</dd>
          {c.assignment ? (
            <>
              <dt>Uppdrag</dt>
              <dd>
                <Link to={`/uppdrag/${c.assignment.id}`}>{c.assignment.title}</Link> ({c.assignment.reference})
              </dd>
            </>
          ) : null}
          <dt>Öppnar</dt>
          <dd>{c.opensAt}</dd>
          <dt>Sista ansökningsdag</dt>
          <dd>{c.closesAt}</dd>
          {c.closedEarlyAt ? (
            <>
              <dt>Stängdes i förtid</dt>
              <dd>{c.closedEarlyAt}</dd>
            </>
          ) : null}
          <dt>Budget</dt>
          <dd className="amount">{c.budget}</dd>
          {!c.applicantOnly ? (
            <>
              <dt>Beviljat</dt>
              <dd className="amount">{c.granted}</dd>
              {c.pending ? (
                <>
                  <dt>Reserverat för beslut som väntar på andra beslutsfattare</dt>
                  <dd className="amount">{c.pending}</dd>
                </>
              ) : null}
              <dt>Kvar att bevilja</dt>
              <dd className="amount">{c.left}</dd>
            </>
          ) : null}
          <dt>Högsta belopp per ansökan</dt>
          <dd className="amount">{c.maxAmount ?? "Ingen gräns"}</dd>
          <dt>Längsta projekttid</dt>
          <dd>{c.maxProjectMonths ? `${c.maxProjectMonths} månader` : "Ingen gräns"}</dd>
          <dt>Vem kan söka</dt>
          <dd>{c.eligible.join(", ") || "Inte angivet"}</dd>
          {c.requiresMultipleCounties ? (
            <>
              <dt>Geografi</dt>
              <dd>Projektet måste omfatta flera län.</dd>
            </>
          ) : null}
          {c.interimReportDueOn ? (
            <>
              <dt>Delredovisning senast</dt>
              <dd>{c.interimReportDueOn}</dd>
            </>
          ) : null}
          <dt>Slutredovisning senast</dt>
          <dd>{c.finalReportDueOn}</dd>
          <dt>Rekvisition</dt>
          <dd>{c.paymentRequestRequired ? `Pengarna ska rekvireras${c.paymentRequestDays ? ` inom ${c.paymentRequestDays} dagar` : ""}.` : "Pengarna betalas ut utan rekvisition."}</dd>
          {c.secondDecisionMakerAbove ? (
            <>
              <dt>Två beslutsfattare</dt>
              <dd>Över {c.secondDecisionMakerAbove}</dd>
            </>
          ) : null}
        </dl>
        {c.cofunding.length ? (
          <>
            <h3>Största andel av projektets kostnad som bidraget får täcka</h3>
            <ul>
              {c.cofunding.map((x) => (
                <li key={x.kind}>
                  {x.kind}: {x.percent} %
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {c.paymentTerms.length ? (
          <>
            <h3>Utbetalning</h3>
            <ul>
              {c.paymentTerms.map((t, i) => (
                <li key={i}>
                  {t.share}: {t.trigger.toLowerCase()}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      {c.description ? (
        <section aria-labelledby="about">
          <h2 id="about">Om utlysningen</h2>
          <p className="prose">{c.description}</p>
          {c.priorities ? (
            <>
              <h3>Prioriteringar</h3>
              <p className="prose">{c.priorities}</p>
            </>
          ) : null}
        </section>
      ) : null}

      {c.criteria.length ? (
        <section aria-labelledby="criteria">
          <h2 id="criteria">Bedömningsgrunder</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Grund</th>
                <th scope="col">Beskrivning</th>
                <th scope="col" className="amount">
                  Vikt
                </th>
              </tr>
            </thead>
            <tbody>
              {c.criteria.map((x) => (
                <tr key={x.id}>
                  <th scope="row">{x.name}</th>
                  <td>{x.description}</td>
                  <td className="amount">{x.weight}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {c.indicators.length ? (
        <section aria-labelledby="indicators">
          <h2 id="indicators">Det här ska redovisas</h2>
          <ul>
            {c.indicators.map((x) => (
              <li key={x.id}>
                {x.name} ({x.unit})
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="appeal">
        <h2 id="appeal">Överklagande</h2>
        <p className="prose">{c.appealNotice}</p>
      </section>

      {applicant ? (
        <section aria-labelledby="own">
          <h2 id="own">Era ansökningar i utlysningen</h2>
          {applicant.applications.length ? (
            <ul>
              {applicant.applications.map((a) => (
                <li key={a.id}>
                  <Link to={`/ansokningar/${a.id}`}>{a.title}</Link> {a.registrationNumber ? `(${a.registrationNumber})` : ""}: {a.stateLabel}
                </li>
              ))}
            </ul>
          ) : (
            <p>Ni har inte ansökt i den här utlysningen.</p>
          )}
        </section>
      ) : (
        <section aria-labelledby="applications">
          <h2 id="applications">Ansökningar per status</h2>
          {c.applicationCounts.length ? (
            <ul className="state-counts">
              {c.applicationCounts.map((s) => (
                <li key={s.state}>
                  <Link to={`/arenden?utlysning=${c.id}&status=${encodeURIComponent(s.state)}`}>
                    {s.label}: {s.count}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p>Inga ansökningar än.</p>
          )}
        </section>
      )}
    </article>
  );
}
