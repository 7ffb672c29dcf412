// /ansokningar/:id/redovisning: the interim or final report the grant requires now.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { handleReportForm, loadReportForm, type ReportFormError } from "~/applicant/reports.server";
import { ErrorSummary } from "~/components/ErrorSummary";
import { FieldMessages, TextArea, TextField } from "~/applicant/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.report.kindLabel ?? "Redovisning"}: ${data?.report.title ?? ""} – Utvecklingsmedel` }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  return { report: await loadReportForm(db(), user, params.id ?? "") };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  const result = await handleReportForm(db(), user, params.id ?? "", request);
  if (result.ok) return redirect(result.redirectTo);
  return Response.json(result.data, { status: result.status });
};

export default function ReportPage() {
  const { report: r } = useLoaderData<typeof loader>();
  const failure = useActionData<ReportFormError>();
  const v = failure?.values ?? r.values;
  const e = failure?.fieldErrors ?? {};
  const summary = Object.entries(e).map(([id, message]) => ({ href: `#${id}`, message }));
  return (
    <article>
      <p className="breadcrumbs">
        <Link to={`/ansokningar/${r.applicationId}`}>{r.title}</Link>
      </p>
      <h1>
        {r.kindLabel}: {r.title}
      </h1>
      <p>
        Diarienummer {r.registrationNumber}. Lämna redovisningen senast {r.dueOn} ({r.dueText}).
        {r.overdue ? " Redovisningen är försenad: lämna den så snart som möjligt. Pengar kan krävas tillbaka om ingen redovisning lämnas." : ""}
      </p>
      {r.completionRequested ? (
        <section aria-labelledby="report-question" className="notice">
          <h2 id="report-question">Handläggaren vill att ni kompletterar redovisningen</h2>
          {r.completionMessage ? <p className="prose">{r.completionMessage}</p> : null}
          <p>Ändra det som behövs och skicka redovisningen igen.</p>
        </section>
      ) : null}
      {failure && (failure.formError || summary.length) ? <ErrorSummary title="Redovisningen är inte inskickad" message={failure.formError} errors={summary} /> : null}
      <Form method="post" encType="multipart/form-data" noValidate>
        <input type="hidden" name="version" value={r.version} />
        <fieldset>
          <legend>
            <h2>Ekonomisk redovisning</h2>
          </legend>
          <p>
            Beviljat bidrag: {r.granted}. Utbetalt hittills: {r.paid}. Skriv hur mycket av bidraget som har använts för varje budgetpost. Det som inte har använts
            räknas ut och kan komma att krävas tillbaka.
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Budgetpost</th>
                <th scope="col" className="amount">
                  Budgeterat
                </th>
                <th scope="col" className="amount">
                  Använt (kronor)
                </th>
              </tr>
            </thead>
            <tbody>
              {r.lines.map((l) => (
                <tr key={l.id}>
                  <th scope="row">
                    {l.category}
                    {l.description ? <span className="muted"> – {l.description}</span> : null}
                  </th>
                  <td className="amount">{l.budgeted}</td>
                  <td>
                    <label htmlFor={`used-${l.id}`} className="sr-only">
                      Använt för {l.category}, kronor
                    </label>
                    <FieldMessages id={`used-${l.id}`} error={e[`used-${l.id}`]} />
                    <input
                      id={`used-${l.id}`}
                      name={`used-${l.id}`}
                      className="amount-input"
                      inputMode="decimal"
                      defaultValue={v.used[l.id] ?? ""}
                      aria-invalid={e[`used-${l.id}`] ? true : undefined}
                      aria-describedby={e[`used-${l.id}`] ? `used-${l.id}-error` : undefined}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {failure?.preview ? (
            <p role="status">
              <strong>Använt totalt: {failure.preview.used}. Outnyttjat belopp: {failure.preview.unused}.</strong>
            </p>
          ) : null}
          <button type="submit" name="intent" value="calculate" className="secondary">
            Räkna ut outnyttjat belopp
          </button>
          <TextField
            id="ledger"
            label="Utdrag ur bokföringen"
            required
            type="file"
            accept={r.accept}
            hint="Ett utdrag ur bokföringen som visar projektets kostnader. PDF, Excel eller OpenDocument, högst 10 MB."
            error={e.ledger}
          />
        </fieldset>
        <fieldset>
          <legend>
            <h2>Verksamhetsredovisning</h2>
          </legend>
          <TextArea id="activitySummary" label="Vad har ni gjort och vad har det lett till?" required defaultValue={v.activitySummary} error={e.activitySummary} rows={8} />
          {r.indicators.map((x) => (
            <div key={x.id} className="record">
              <TextField id={`result-${x.id}`} label={`${x.name} (${x.unit})`} required inputMode="decimal" className="amount-input" defaultValue={v.results[x.id] ?? ""} error={e[`result-${x.id}`]} />
              <TextField id={`comment-${x.id}`} label={`Kommentar till ${x.name.toLowerCase()}`} defaultValue={v.comments[x.id] ?? ""} />
            </div>
          ))}
        </fieldset>
        <button type="submit" name="intent" value="submit">
          Skicka in {r.kindLabel.toLowerCase()}en
        </button>
      </Form>
    </article>
  );
}
