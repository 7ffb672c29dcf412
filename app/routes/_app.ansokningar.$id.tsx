// /ansokningar/:id: one of the organization's applications as the applicant sees it:
// the state and what happens next, the officer's completion question, the decision with
// a link to the printable letter, payments and payment requests, reports, withdrawal.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { applicantConfirmation, handleApplicantAction, loadApplicantCase, type ApplicantActionResult } from "~/applicant/case.server";
import { ErrorSummary } from "~/components/ErrorSummary";
import { StateBadge, toneOf } from "~/components/StateBadge";
import { Confirmation, FieldMessages, TextArea, TextField } from "~/applicant/ui";
import { PAYMENT_ACCOUNT_LABELS } from "~/lib/bank-account";

const ACCOUNT_KINDS = Object.entries(PAYMENT_ACCOUNT_LABELS);

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.case.registrationNumber ? `${data.case.registrationNumber} ` : ""}${data.case.title} – Utvecklingsmedel` : "Ansökan – Utvecklingsmedel" },
];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const view = await loadApplicantCase(db(), user, params.id ?? "");
  return { case: view, confirmation: applicantConfirmation(new URL(request.url).searchParams.get("klart")) };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  const result = await handleApplicantAction(db(), user, params.id ?? "", await request.formData());
  if (result.ok) return redirect(result.redirectTo);
  return Response.json(result.data, { status: result.status });
};

type Failure = Extract<ApplicantActionResult, { ok: false }>["data"];

export default function ApplicantCase() {
  const { case: c, confirmation } = useLoaderData<typeof loader>();
  const failure = useActionData<Failure>();
  const summary = failure ? Object.entries(failure.fieldErrors).map(([id, message]) => ({ href: `#${id}`, message })) : [];
  const mine = (disbursementId: string) => (failure?.intent === "requestPayment" && failure.values.disbursementId === disbursementId ? failure.values : undefined);
  return (
    <article>
      <p className="breadcrumbs">
        <Link to="/ansokningar">Våra ansökningar</Link>
      </p>
      <h1>
        {c.title}
        {c.registrationNumber ? <span className="muted"> ({c.registrationNumber})</span> : null}
      </h1>
      {failure ? <ErrorSummary title="Det gick inte att genomföra" message={failure.formError} errors={summary} /> : null}
      {!failure ? <Confirmation text={confirmation} /> : null}

      <section aria-labelledby="now">
        <h2 id="now">Så här går det</h2>
        <p>
          <StateBadge label={c.stateLabel} tone={toneOf(c.state)} />
        </p>
        <p>
          <strong>Vad händer nu?</strong> {c.next}
        </p>
        <dl className="facts">
          <dt>Diarienummer</dt>
          <dd>{c.registrationNumber ?? "Tilldelas när ansökan skickas in"}</dd>
          <dt>Utlysning</dt>
          <dd>
            <Link to={`/utlysningar/${c.call.id}`}>{c.call.title}</Link> ({c.call.board})
          </dd>
          <dt>Sökande</dt>
          <dd>{c.organization}</dd>
          <dt>Sökt belopp</dt>
          <dd className="amount">{c.requested}</dd>
          <dt>Inskickad</dt>
          <dd>{c.submittedAt ?? (c.call.open ? `Inte inskickad. Utlysningen stänger ${c.call.closesAt}.` : `Inte inskickad. Utlysningen stängde ${c.call.closesAt}.`)}</dd>
        </dl>
        {c.canEditDraft ? (
          <p>
            <Link className="button" to={`/ansokan/${c.id}`}>
              Fortsätt med ansökan
            </Link>
          </p>
        ) : null}
        {c.submittedAt ? (
          <p>
            <Link to={`/ansokan/${c.id}/kvitto`}>Visa kvittot för ansökan</Link>
          </p>
        ) : null}
      </section>

      {c.openCompletion ? (
        <section aria-labelledby="completion" className="notice">
          <h2 id="completion">Handläggaren behöver en komplettering</h2>
          <p className="prose">{c.openCompletion.message}</p>
          <p>
            Komplettera senast {c.openCompletion.dueOn} ({c.openCompletion.left}).
          </p>
          {c.canComplete ? (
            <p>
              <Link className="button" to={`/ansokan/${c.id}`}>
                Komplettera ansökan
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}

      {c.decision ? (
        <section aria-labelledby="decision">
          <h2 id="decision">Beslut</h2>
          <dl className="facts">
            <dt>Beslut</dt>
            <dd>
              {c.decision.outcome}
              {c.decision.kind !== "Beslut" ? ` (${c.decision.kind.toLowerCase()})` : ""}, {c.decision.decidedOn}
            </dd>
            <dt>Sökt belopp</dt>
            <dd className="amount">{c.decision.requested}</dd>
            <dt>Beviljat belopp</dt>
            <dd className="amount">{c.decision.granted}</dd>
          </dl>
          <h3>Skäl för beslutet</h3>
          <p className="prose">{c.decision.reasons}</p>
          {c.decision.conditions ? (
            <>
              <h3>Villkor</h3>
              <p className="prose">{c.decision.conditions}</p>
            </>
          ) : null}
          <h3>Hur man överklagar</h3>
          <p className="prose">{c.decision.appealNotice}</p>
          <p>
            <a href={c.decision.letterHref}>Visa och skriv ut beslutet</a>
          </p>
          {c.earlierDecisions.length ? (
            <>
              <h3>Tidigare beslut i ärendet</h3>
              <ul>
                {c.earlierDecisions.map((d) => (
                  <li key={d.id}>
                    {d.kind} {d.decidedOn}: {d.outcome}, {d.granted} (ersatt)
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      {c.grant ? (
        <section aria-labelledby="payments">
          <h2 id="payments">Utbetalningar</h2>
          <dl className="facts">
            <dt>Beviljat</dt>
            <dd className="amount">{c.grant.amount}</dd>
            <dt>Utbetalt hittills</dt>
            <dd className="amount">{c.grant.paid}</dd>
            <dt>Kvar att betala ut</dt>
            <dd className="amount">{c.grant.leftToPay}</dd>
          </dl>
          {c.grant.paymentRequestRequired ? (
            <p>
              Pengarna betalas inte ut automatiskt: ni behöver rekvirera (begära) varje utbetalning
              {c.grant.paymentRequestDays ? ` inom ${c.grant.paymentRequestDays} dagar från planerat datum` : ""}. Pengar som inte rekvireras i tid betalas inte ut.
            </p>
          ) : null}
          <table>
            <caption>Planerade och gjorda utbetalningar</caption>
            <thead>
              <tr>
                <th scope="col">Nr</th>
                <th scope="col" className="amount">
                  Belopp
                </th>
                <th scope="col">När</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {c.disbursements.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.number}</th>
                  <td className="amount">{d.amount}</td>
                  <td>
                    {d.trigger}, planerad {d.plannedOn}
                  </td>
                  <td>
                    <StateBadge label={d.stateLabel} tone={toneOf(d.state)} />
                    {d.paidOn ? ` ${d.paidOn}` : ""}
                    {d.requestedAt ? <span className="muted"> Rekvirerad {d.requestedAt}.</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {c.disbursements
            .filter((d) => d.deadlineText || d.canRequest)
            .map((d) => (
              <div key={d.id} className="record">
                <h3>Utbetalning {d.number}</h3>
                {d.deadlineText ? <p>{d.deadlineText}</p> : null}
                {d.canRequest ? (
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="requestPayment" />
                    <input type="hidden" name="disbursementId" value={d.id} />
                    <input type="hidden" name="version" value={d.version} />
                    <fieldset className="radios" aria-describedby={failure?.fieldErrors[`accountKind-${d.id}`] ? `accountKind-${d.id}-error` : undefined}>
                      <legend>Vart ska pengarna betalas?</legend>
                      <FieldMessages id={`accountKind-${d.id}`} error={failure?.fieldErrors[`accountKind-${d.id}`]} />
                      {ACCOUNT_KINDS.map(([value, label], i) => (
                        <div className="radio" key={value}>
                          <input
                            type="radio"
                            id={i === 0 ? `accountKind-${d.id}` : `accountKind-${d.id}-${value}`}
                            name="accountKind"
                            value={value}
                            defaultChecked={(mine(d.id)?.accountKind ?? "bankgiro") === value}
                          />
                          <label htmlFor={i === 0 ? `accountKind-${d.id}` : `accountKind-${d.id}-${value}`}>{label}</label>
                        </div>
                      ))}
                    </fieldset>
                    <TextField
                      id={`accountNumber-${d.id}`}
                      name="accountNumber"
                      label="Nummer"
                      required
                      hint="Till exempel bankgiro 5050-1055, plusgiro 28 65 43-4 eller clearing- och kontonummer 6000 123 456 789."
                      defaultValue={mine(d.id)?.accountNumber ?? ""}
                      error={failure?.fieldErrors[`accountNumber-${d.id}`]}
                    />
                    <button type="submit">Rekvirera {d.amount}</button>
                  </Form>
                ) : null}
              </div>
            ))}
        </section>
      ) : null}

      {c.reports.length ? (
        <section aria-labelledby="reports">
          <h2 id="reports">Redovisningar</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Redovisning</th>
                <th scope="col">Senast</th>
                <th scope="col">Status</th>
                <th scope="col" className="amount">
                  Använt
                </th>
                <th scope="col" className="amount">
                  Outnyttjat
                </th>
              </tr>
            </thead>
            <tbody>
              {c.reports.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.kindLabel}</th>
                  <td>
                    {r.dueOn}
                    {r.dueText ? (
                      <>
                        {" "}
                        {r.overdue ? <strong>({r.dueText})</strong> : <span className="muted">({r.dueText})</span>}
                      </>
                    ) : null}
                  </td>
                  <td>{r.state}</td>
                  <td className="amount">{r.used ?? "–"}</td>
                  <td className="amount">{r.unused ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {c.canReport && c.reportKind ? (
            <p>
              <Link className="button" to={`/ansokningar/${c.id}/redovisning`}>
                Lämna {c.reportKind === "interim" ? "delredovisning" : "slutredovisning"}
              </Link>
            </p>
          ) : null}
        </section>
      ) : null}

      {c.reclaims.length ? (
        <section aria-labelledby="reclaims">
          <h2 id="reclaims">Återbetalning</h2>
          <ul>
            {c.reclaims.map((r) => (
              <li key={r.id}>
                {r.state}: {r.amount}. Kvar att betala {r.outstanding}
                {r.dueOn ? ` senast ${r.dueOn}` : ""}. Ange {r.paymentReference} som referens.
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {c.revisions.length ? (
        <section aria-labelledby="history">
          <h2 id="history">Ansökans versioner</h2>
          {c.revisions.map((r) => (
            <details key={r.id} className="event-details">
              <summary>
                {r.label}, {r.createdAt}
              </summary>
              {r.changesOnly ? (
                r.fields.length ? (
                  <table>
                    <caption>Ändrat jämfört med version {r.number - 1}</caption>
                    <thead>
                      <tr>
                        <th scope="col">Uppgift</th>
                        <th scope="col">Tidigare</th>
                        <th scope="col">Nu</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.fields.map((f) => (
                        <tr key={f.field}>
                          <th scope="row">{f.field}</th>
                          <td className="prose">{f.before}</td>
                          <td className="prose">{f.after}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <p>Inga uppgifter ändrades.</p>
                )
              ) : (
                <dl className="facts">
                  {r.fields.map((f) => (
                    <div key={f.field} style={{ display: "contents" }}>
                      <dt>{f.field}</dt>
                      <dd className="prose">{f.after}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </details>
          ))}
          {c.completions.map((x) => (
            <div key={x.id} className="record">
              <h3>Komplettering begärd {x.requestedAt}</h3>
              <p className="prose">{x.message}</p>
              <p>
                Kompletterad {x.completedAt}
                {x.response ? `: ${x.response}` : "."}
              </p>
            </div>
          ))}
        </section>
      ) : null}

      {c.attachments.length ? (
        <section aria-labelledby="files">
          <h2 id="files">Bilagor</h2>
          <ul>
            {c.attachments.map((f) => (
              <li key={f.id}>
                <a href={`/filer/${f.id}`}>{f.fileName}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {c.canWithdraw ? (
        <section aria-labelledby="withdraw">
          <h2 id="withdraw">Återta ansökan</h2>
          <p>Ni kan återta ansökan fram till att beslut fattas. Ärendet avslutas då och kan inte öppnas igen.</p>
          <details className="event-details" open={failure?.intent === "withdraw" ? true : undefined}>
            <summary>Återta ansökan</summary>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="withdraw" />
              <input type="hidden" name="version" value={c.version} />
              <TextArea id="reasons" label="Varför återtar ni ansökan?" rows={3} defaultValue={failure?.intent === "withdraw" ? failure.values.reasons : ""} />
              <button type="submit" className="secondary">
                Återta ansökan
              </button>
            </Form>
          </details>
        </section>
      ) : null}
    </article>
  );
}
