// Start page: a section for each role the user holds, with what needs them today.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { loadStart } from "~/start/start.server";
import { StateBadge, toneOf } from "~/components/StateBadge";
import { BoardFiguresTable } from "~/components/BoardFiguresTable";

export const meta: MetaFunction = () => [{ title: "Start – Utvecklingsmedel" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  return { name: user.name, start: await loadStart(db(), user) };
};

/** A case as the board sees it (/arenden) or, with `asApplicant`, as the applicant does (/ansokningar). */
function CaseLink({ id, title, registrationNumber, asApplicant = false }: { id: string; title: string; registrationNumber: string | null; asApplicant?: boolean }) {
  return (
    <>
      <Link to={`${asApplicant ? "/ansokningar" : "/arenden"}/${id}`}>{title}</Link>
      {registrationNumber ? <span className="muted"> {registrationNumber}</span> : null}
    </>
  );
}

export default function Start() {
  const { name, start } = useLoaderData<typeof loader>();
  const { applicant, officer, decisionMaker, finance, coordinator, admin } = start;
  const nothing = !applicant && !officer && !decisionMaker && !finance && !coordinator && !admin;
  return (
    <>
      <h1>Start</h1>
      <p>Välkommen, {name}.</p>
      {nothing ? <p>Ditt konto har ingen roll ännu. Kontakta din administratör för att få tillgång.</p> : null}

      {decisionMaker ? (
        <section aria-labelledby="att-besluta">
          <h2 id="att-besluta">Att besluta</h2>
          {decisionMaker.toDecide.length ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Ärende</th>
                  <th scope="col">Sökande</th>
                  <th scope="col" className="amount">
                    Sökt
                  </th>
                  <th scope="col" className="amount">
                    Föreslaget
                  </th>
                  <th scope="col">Att göra</th>
                </tr>
              </thead>
              <tbody>
                {decisionMaker.toDecide.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <CaseLink {...c} />
                    </th>
                    <td>{c.applicant}</td>
                    <td className="amount">{c.requested}</td>
                    <td className="amount">{c.proposed ?? "–"}</td>
                    <td>{c.action}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>Inga ärenden väntar på ditt beslut.</p>
          )}
          {decisionMaker.limited ? <p className="muted">Listan visar de äldsta föredragna ärendena. Se alla under Ärenden.</p> : null}
        </section>
      ) : null}

      {officer ? (
        <section aria-labelledby="arbetsko">
          <h2 id="arbetsko">Min arbetskö</h2>
          {officer.counts.length ? (
            <ul className="state-counts" aria-label="Ärenden per status">
              {officer.counts.map((s) => (
                <li key={s.state}>
                  <Link to={`/arenden?status=${encodeURIComponent(s.state)}`}>
                    {s.label}: {s.count}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
          <h3>Ansökningar att handlägga ({officer.queueCount})</h3>
          {officer.queue.length ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Ärende</th>
                  <th scope="col">Sökande</th>
                  <th scope="col">Status</th>
                  <th scope="col">Inlämnad</th>
                </tr>
              </thead>
              <tbody>
                {officer.queue.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <CaseLink {...c} />
                    </th>
                    <td>{c.applicant}</td>
                    <td>
                      <StateBadge label={c.stateLabel} tone={toneOf(c.state)} />
                    </td>
                    <td>{c.submittedAt ?? "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>Inga ansökningar väntar på handläggning.</p>
          )}
          <h3>Redovisningar att granska</h3>
          {officer.reports.length ? (
            <ul>
              {officer.reports.map((r) => (
                <li key={r.id}>
                  <CaseLink id={r.applicationId} title={r.title} registrationNumber={r.registrationNumber} />: {r.kind.toLowerCase()} från {r.applicant}, inlämnad {r.submittedAt}
                </li>
              ))}
            </ul>
          ) : (
            <p>Inga redovisningar väntar på granskning.</p>
          )}
        </section>
      ) : null}

      {finance ? (
        <section aria-labelledby="utbetalningar">
          <h2 id="utbetalningar">Utbetalningar</h2>
          <h3>Att attestera</h3>
          <DisbursementTable rows={finance.toAttest} empty="Inga utbetalningar väntar på attest." />
          <h3>Att betala ut</h3>
          <DisbursementTable rows={finance.toPay} empty="Inga attesterade utbetalningar väntar." />
          <h3>Återkrav att bevaka</h3>
          {finance.reclaims.length ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Ärende</th>
                  <th scope="col">Mottagare</th>
                  <th scope="col" className="amount">
                    Kvar att betala
                  </th>
                  <th scope="col">Förfaller</th>
                </tr>
              </thead>
              <tbody>
                {finance.reclaims.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <CaseLink id={r.applicationId} title={r.title} registrationNumber={r.registrationNumber} />
                    </th>
                    <td>{r.applicant}</td>
                    <td className="amount">{r.outstanding}</td>
                    <td>{r.dueOn ?? "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>Inga beslutade återkrav är obetalda.</p>
          )}
        </section>
      ) : null}

      {coordinator ? (
        <section aria-labelledby="samordnade">
          <h2 id="samordnade">Samordnade uppdrag</h2>
          {coordinator.assignments.length ? (
            coordinator.assignments.map((a) => (
              <div key={a.id} className="record">
                <h3>
                  <Link to={`/uppdrag/${a.id}`}>{a.title}</Link>
                </h3>
                <p>
                  {a.reference}. {a.stateLabel}. Belopp {a.total}. Redovisas senast {a.reportDueOn}.
                </p>
                <BoardFiguresTable caption={`Medel per länsstyrelse, ${a.title}`} rows={a.boards} totals={a.totals} />
              </div>
            ))
          ) : (
            <p>Din länsstyrelse samordnar inga uppdrag.</p>
          )}
        </section>
      ) : null}

      {applicant ? (
        <section aria-labelledby="vara-ansokningar">
          <h2 id="vara-ansokningar">Våra ansökningar</h2>
          {applicant.cases.length ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Ansökan</th>
                  <th scope="col">Status</th>
                  <th scope="col">Vad händer nu</th>
                </tr>
              </thead>
              <tbody>
                {applicant.cases.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <CaseLink {...c} asApplicant />
                    </th>
                    <td>
                      <StateBadge label={c.stateLabel} tone={toneOf(c.state)} />
                    </td>
                    <td>{c.next}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>Ni har inga ansökningar än.</p>
          )}
          <h3>Öppna utlysningar</h3>
          {applicant.openCalls.length ? (
            <ul>
              {applicant.openCalls.map((c) => (
                <li key={c.id}>
                  <Link to={`/utlysningar/${c.id}`}>{c.title}</Link> ({c.board}). Sista ansökningsdag {c.closesAt}.{c.maxAmount ? ` Högst ${c.maxAmount} per ansökan.` : ""}
                </li>
              ))}
            </ul>
          ) : (
            <p>Det finns inga öppna utlysningar just nu.</p>
          )}
        </section>
      ) : null}

      {admin ? (
        <section aria-labelledby="administration">
          <h2 id="administration">Administration</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Länsstyrelse</th>
                <th scope="col" className="amount">
                  Användare
                </th>
                <th scope="col" className="amount">
                  Sökande organisationer
                </th>
                <th scope="col" className="amount">
                  Utlysningar
                </th>
                <th scope="col" className="amount">
                  Ärenden
                </th>
              </tr>
            </thead>
            <tbody>
              {admin.boards.map((b) => (
                <tr key={b.boardId}>
                  <th scope="row">{b.board}</th>
                  <td className="amount">{b.users}</td>
                  <td className="amount">{b.organizations}</td>
                  <td className="amount">{b.calls}</td>
                  <td className="amount">{b.cases}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}

function DisbursementTable({ rows, empty }: { rows: { id: string; applicationId: string; title: string; registrationNumber: string | null; applicant: string; number: number; amount: string; plannedOn: string | null; stateLabel: string }[]; empty: string }) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Ärende</th>
          <th scope="col">Mottagare</th>
          <th scope="col">Utbetalning</th>
          <th scope="col" className="amount">
            Belopp
          </th>
          <th scope="col">Planerad</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id}>
            <th scope="row">
              <CaseLink id={d.applicationId} title={d.title} registrationNumber={d.registrationNumber} />
            </th>
            <td>{d.applicant}</td>
            <td>Nr {d.number}</td>
            <td className="amount">{d.amount}</td>
            <td>{d.plannedOn ?? "–"}</td>
            <td>{d.stateLabel}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
