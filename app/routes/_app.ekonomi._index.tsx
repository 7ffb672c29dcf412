// /ekonomi: the finance function's payments. Instalments to attest and to pay,
// with late payment requests flagged and the account to pay to; attest and mark
// paid through the disbursement statechart (never by the one who planned it).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { requireDisbursement, requireFinanceAccess } from "~/access/permissions.server";
import { handlePaymentAction, listPayments, parsePaymentQuery, type PaymentActionResult } from "~/finance/payments.server";
import { formValues } from "~/finance/form-fields";
import { SelectField, TextField, rowIdPrefix, summaryOf } from "~/finance/FormField";
import { ErrorSummary } from "~/components/ErrorSummary";
import { PAYMENT_ACCOUNT_LABELS } from "~/lib/bank-account";
import { Pagination } from "~/components/Pagination";
import { StateBadge, toneOf } from "~/components/StateBadge";

export const meta: MetaFunction = () => [{ title: "Utbetalningar – Utvecklingsmedel" }];

const DONE: Record<string, string> = { ATTEST: "Utbetalningen är attesterad.", MARK_PAID: "Utbetalningen är markerad som utbetald." };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  requireFinanceAccess(user);
  const url = new URL(request.url);
  return { list: await listPayments(db(), user, parsePaymentQuery(url)), confirmation: DONE[url.searchParams.get("klart") ?? ""] ?? null };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  requireFinanceAccess(user);
  const values = formValues(await request.formData());
  const d = await requireDisbursement(db(), user, values.disbursementId ?? "");
  const result = await handlePaymentAction(db(), user, d.id, values);
  if (result.ok) {
    const url = new URL(request.url);
    url.searchParams.set("klart", result.intent);
    return redirect(`${url.pathname}?${url.searchParams.toString()}`);
  }
  return Response.json(result.failure, { status: result.status });
};

const accountKindOptions = Object.entries(PAYMENT_ACCOUNT_LABELS).map(([value, label]) => ({ value, label }));

type Failure = Extract<PaymentActionResult, { ok: false }>["failure"];

export default function PaymentsPage() {
  const { list, confirmation } = useLoaderData<typeof loader>();
  const failed = useActionData<Failure>();
  const href = (view: string, page = 1) => `?visa=${view}${page > 1 ? `&sida=${page}` : ""}`;
  return (
    <article>
      <h1>Utbetalningar</h1>
      {failed ? <ErrorSummary title="Åtgärden kunde inte genomföras" message={failed.formError} errors={summaryOf(failed, failed.disbursementId ? rowIdPrefix(failed.disbursementId) : undefined)} /> : null}
      {confirmation && !failed ? (
        <p className="notice success" role="status">
          {confirmation}
        </p>
      ) : null}
      <nav aria-label="Urval">
        <ul className="state-counts">
          {list.views.map((v) => (
            <li key={v.key}>
              <Link to={href(v.key)} aria-current={v.key === list.view ? "true" : undefined}>
                {v.label}: {v.count}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p className="hint">Den som har planerat en utbetalning får inte attestera den. Rekvisitioner som kom in efter sista dag är markerade.</p>
      {list.rows.length === 0 ? (
        <p className="muted">Inga utbetalningar i det här urvalet.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="sr-only">Utbetalningar, {list.views.find((v) => v.key === list.view)?.label}</caption>
            <thead>
              <tr>
                <th scope="col">Ärende</th>
                <th scope="col" className="amount">
                  Belopp
                </th>
                <th scope="col">Villkor och datum</th>
                <th scope="col">Rekvisition</th>
                <th scope="col">Konto</th>
                <th scope="col">Status</th>
                <th scope="col">Åtgärd</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((d) => {
                const mine = failed?.disbursementId === d.id ? failed : undefined;
                return (
                  <tr key={d.id} id={`utbetalning-${d.id}`}>
                    <th scope="row">
                      <Link to={`/arenden/${d.applicationId}`}>{d.registrationNumber ?? d.title}</Link>
                      <br />
                      {d.recipient}
                      <br />
                      <span className="muted">
                        Utbetalning {d.number} av bidrag på {d.grantAmount}
                      </span>
                    </th>
                    <td className="amount">{d.amount}</td>
                    <td>
                      {d.trigger}
                      <br />
                      Planerad {d.plannedOn}
                      {d.due ? (
                        <>
                          {" "}
                          <strong>(dags att betala ut)</strong>
                        </>
                      ) : null}
                      <br />
                      <span className="muted">Planerad av {d.plannedBy}</span>
                    </td>
                    <td>
                      {d.requestDeadline ? <>Senast {d.requestDeadline}</> : "Krävs inte"}
                      {d.requestedAt ? (
                        <>
                          <br />
                          Rekvirerad {d.requestedAt}
                        </>
                      ) : null}
                      {d.timing === "late" ? (
                        <>
                          <br />
                          <strong className="flag">Rekvisitionen kom in efter sista dag</strong>
                        </>
                      ) : d.timing === "expired" ? (
                        <>
                          <br />
                          <strong className="flag">Sista dag för rekvisition har passerat</strong>
                        </>
                      ) : null}
                    </td>
                    <td>{d.bankAccount ?? <span className="muted">Inte angivet</span>}</td>
                    <td>
                      <StateBadge label={d.stateLabel} tone={toneOf(d.state)} />
                      {d.attestedBy ? (
                        <>
                          <br />
                          <span className="muted">
                            Attesterad av {d.attestedBy}, {d.attestedAt}
                          </span>
                        </>
                      ) : null}
                      {d.paidOn ? (
                        <>
                          <br />
                          <span className="muted">
                            Utbetald {d.paidOn} ({d.paymentReference})
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {mine?.formError ? <p className="field-error">{mine.formError}</p> : null}
                      {d.mayAttest ? (
                        <Form method="post" className="event-form">
                          <input type="hidden" name="intent" value="ATTEST" />
                          <input type="hidden" name="disbursementId" value={d.id} />
                          <input type="hidden" name="version" value={d.version} />
                          <button type="submit" aria-label={`Attestera utbetalning ${d.number}, ${d.registrationNumber ?? d.title}`}>
                            Attestera
                          </button>
                        </Form>
                      ) : d.whyNot ? (
                        <p className="muted">{d.whyNot}</p>
                      ) : null}
                      {d.mayPay ? (
                        <details className="event-details" open={mine ? true : undefined}>
                          <summary>Markera som utbetald</summary>
                          <Form method="post" className="event-form" noValidate>
                            <input type="hidden" name="intent" value="MARK_PAID" />
                            <input type="hidden" name="disbursementId" value={d.id} />
                            <input type="hidden" name="version" value={d.version} />
                            <TextField failure={mine} idPrefix={rowIdPrefix(d.id)} name="paymentReference" label="Betalningsreferens" required value={d.defaultReference} />
                            <TextField failure={mine} idPrefix={rowIdPrefix(d.id)} name="paidOn" label="Utbetalningsdag" type="date" required value={list.today} />
                            <SelectField failure={mine} idPrefix={rowIdPrefix(d.id)} name="accountKind" label="Betalas till" required options={accountKindOptions} value={d.accountKind} />
                            <TextField failure={mine} idPrefix={rowIdPrefix(d.id)} name="accountNumber" label="Nummer" required value={d.accountNumber} hint="Bankgiro, plusgiro eller clearingnummer och kontonummer." />
                            <button type="submit">Markera som utbetald</button>
                          </Form>
                        </details>
                      ) : null}
                      {!d.mayAttest && !d.mayPay && !d.whyNot ? <span className="muted">–</span> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={list.page} pages={list.pages} total={list.total} hrefFor={(p) => href(list.view, p)} noun="utbetalningar" one="utbetalning" />
    </article>
  );
}
