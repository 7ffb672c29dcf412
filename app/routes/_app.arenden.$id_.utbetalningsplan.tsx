// /arenden/:id/utbetalningsplan: the grant's payment plan. The board's staff
// read it; the board's officers set it (instalments, days, triggers) so that it
// adds up to the grant. Thin: app/payment-plan/plan.server.ts does the work.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { forbidden, isCaseStaff, requireApplication, type Principal } from "~/access/permissions.server";
import { loadPaymentPlan, mayPlanPayments, savePaymentPlan } from "~/payment-plan/plan.server";
import { PLAN_ROWS } from "~/payment-plan/plan-form";
import { formValues, type FormFailure } from "~/finance/form-fields";
import { SelectField, TextField, summaryOf } from "~/finance/FormField";
import { triggerOptions } from "~/finance/call-form";
import { ErrorSummary } from "~/components/ErrorSummary";
import { StateBadge, toneOf } from "~/components/StateBadge";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Utbetalningsplan: ${data?.plan.registrationNumber ?? ""} ${data?.plan.title ?? ""} – Utvecklingsmedel` }];

async function requireStaffCase(user: Principal, id: string) {
  const application = await requireApplication(db(), user, id);
  if (!isCaseStaff(user, application)) throw forbidden("Utbetalningsplanen visas bara för länsstyrelsens personal.");
  return application;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const application = await requireStaffCase(user, params.id ?? "");
  const klart = new URL(request.url).searchParams.get("klart");
  return { plan: await loadPaymentPlan(db(), user, application.id), confirmation: klart === "sparad" ? "Utbetalningsplanen är sparad." : klart === "oforandrad" ? "Planen var redan så; inget ändrades." : null };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  const application = await requireStaffCase(user, params.id ?? "");
  if (!mayPlanPayments(user, application)) throw forbidden("Bara handläggare vid länsstyrelsen kan ändra utbetalningsplanen.");
  const result = await savePaymentPlan(db(), user, application.id, formValues(await request.formData()));
  if (result.ok) return redirect(`/arenden/${application.id}/utbetalningsplan?klart=${result.changed ? "sparad" : "oforandrad"}`);
  return Response.json(result.failure, { status: result.status });
};

export default function PaymentPlanPage() {
  const { plan: p, confirmation } = useLoaderData<typeof loader>();
  const failed = useActionData<FormFailure>();
  const f = { failure: failed };
  const v = (name: string) => p.values[name] ?? "";
  return (
    <article>
      <p className="breadcrumbs">
        <Link to="/arenden">Ärenden</Link> / <Link to={`/arenden/${p.id}`}>{p.registrationNumber ?? p.title}</Link>
      </p>
      <h1>Utbetalningsplan: {p.title}</h1>
      {failed ? <ErrorSummary message={failed.formError} errors={summaryOf(failed)} /> : null}
      {confirmation && !failed ? (
        <p className="notice success" role="status">
          {confirmation}
        </p>
      ) : null}
      <dl className="facts">
        <dt>Diarienummer</dt>
        <dd>{p.registrationNumber}</dd>
        <dt>Mottagare</dt>
        <dd>{p.recipient}</dd>
        <dt>Utlysning</dt>
        <dd>{p.callTitle}</dd>
        {p.grant ? (
          <>
            <dt>Beviljat belopp</dt>
            <dd className="amount" id="grant-amount">
              {p.grant.amount}
            </dd>
            <dt>Planerat</dt>
            <dd className="amount">{p.grant.planned}</dd>
            <dt>Utbetalt</dt>
            <dd className="amount">{p.grant.paid}</dd>
            {p.grant.forfeited ? (
              <>
                <dt>Förverkat</dt>
                <dd className="amount">{p.grant.forfeited}</dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>
      {p.paymentRequest ? <p className="notice">{p.paymentRequest}</p> : null}

      <div className="table-scroll">
        <table>
          <caption>Utbetalningar</caption>
          <thead>
            <tr>
              <th scope="col">Nr</th>
              <th scope="col" className="amount">
                Belopp
              </th>
              <th scope="col">Villkor</th>
              <th scope="col">Planerad</th>
              <th scope="col">Rekvireras senast</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {p.disbursements.map((d) => (
              <tr key={d.id}>
                <th scope="row">{d.number}</th>
                <td className="amount">{d.amount}</td>
                <td>{d.trigger}</td>
                <td className="nowrap">{d.plannedOn}</td>
                <td className="nowrap">{d.requestDeadline ?? "–"}</td>
                <td>
                  <StateBadge label={d.stateLabel} tone={toneOf(d.state)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {p.mayEdit && p.grant ? (
        <section aria-labelledby="new-plan">
          <h2 id="new-plan">Ändra planen</h2>
          <p>
            Planerade utbetalningar som ingen har rekvirerat, attesterat eller betalat ut ersätts av raderna nedan. Raderna ska tillsammans bli <strong>{p.grant.toPlan}</strong>
            {p.grant.toPlanNote ? ` ${p.grant.toPlanNote}` : ""}. Tomma rader sparas inte.
          </p>
          <Form method="post" noValidate>
            {Array.from({ length: PLAN_ROWS }, (_, i) => (
              <fieldset key={i} className="section">
                <legend>Utbetalning {i + 1}</legend>
                <TextField {...f} name={`rows.${i}.amount`} label="Belopp" type="kronor" value={v(`rows.${i}.amount`)} />
                <TextField {...f} name={`rows.${i}.plannedOn`} label="Planerad utbetalningsdag" type="date" value={v(`rows.${i}.plannedOn`)} />
                <SelectField {...f} name={`rows.${i}.trigger`} label="Får betalas ut" options={p.interimReportRequired ? triggerOptions : triggerOptions.filter((t) => t.value !== "after_interim_report")} value={v(`rows.${i}.trigger`)} />
              </fieldset>
            ))}
            <button type="submit">Spara utbetalningsplanen</button>
          </Form>
        </section>
      ) : p.whyNot ? (
        <p className="muted">{p.whyNot}</p>
      ) : null}
    </article>
  );
}
