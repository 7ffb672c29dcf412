// /ekonomi/aterkrav: reclaims (återkrav) of the finance function's boards:
// decide, waive in whole or part, follow up due dates and overdue ones, and
// register repayments against the case's registration number.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { requireFinanceAccess } from "~/access/permissions.server";
import { handleReclaimAction, listReclaims, parseReclaimQuery } from "~/finance/reclaims.server";
import type { CaseActionError } from "~/cases/case-actions.server";
import { EventForm, summaryErrorsOf } from "~/components/EventForm";
import { ErrorSummary } from "~/components/ErrorSummary";
import { Pagination } from "~/components/Pagination";
import { eventDoneLabel } from "~/lib/state-labels";

export const meta: MetaFunction = () => [{ title: "Återkrav – Utvecklingsmedel" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  requireFinanceAccess(user);
  const url = new URL(request.url);
  const done = url.searchParams.get("klart");
  return { list: await listReclaims(db(), user, parseReclaimQuery(url)), confirmation: done ? `Klart: ${eventDoneLabel("application", done)}.` : null };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  requireFinanceAccess(user);
  const result = await handleReclaimAction(db(), user, await request.formData());
  if (result.ok) {
    const url = new URL(request.url);
    url.searchParams.set("klart", result.type);
    return redirect(`${url.pathname}?${url.searchParams.toString()}`);
  }
  return Response.json(result.data, { status: result.status });
};

export default function ReclaimsPage() {
  const { list, confirmation } = useLoaderData<typeof loader>();
  const error = useActionData<CaseActionError>();
  const href = (view: string, page = 1) => `?visa=${view}${page > 1 ? `&sida=${page}` : ""}`;
  return (
    <article>
      <h1>Återkrav</h1>
      {error ? <ErrorSummary title="Åtgärden kunde inte genomföras" message={error.formError} errors={summaryErrorsOf(error)} /> : null}
      {confirmation && !error ? (
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
      <p className="hint">Återbetalningar ska vara märkta med ärendets diarienummer. Den som föreslog ett återkrav får inte själv besluta om det.</p>
      {list.rows.length === 0 ? (
        <p className="muted">Inga återkrav i det här urvalet.</p>
      ) : (
        list.rows.map((r) => (
          <section key={r.id} className="record" aria-labelledby={`reclaim-${r.id}`}>
            <h2 id={`reclaim-${r.id}`}>
              <Link to={`/arenden/${r.applicationId}`}>{r.registrationNumber ?? r.title}</Link>: {r.recipient}
            </h2>
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                {r.stateLabel}
                {r.overdue ? (
                  <>
                    {" "}
                    <strong className="flag">Förfallet: betalningen har inte kommit in i tid</strong>
                  </>
                ) : null}
              </dd>
              <dt>Grund</dt>
              <dd>{r.ground}</dd>
              <dt>Motivering</dt>
              <dd className="prose">{r.reasons}</dd>
              <dt>Utbetalt bidrag</dt>
              <dd className="amount">{r.paid}</dd>
              <dt>{r.state === "proposed" ? "Föreslaget belopp" : "Återkrävt belopp"}</dt>
              <dd className="amount">{r.amount}</dd>
              <dt>Eftergivet</dt>
              <dd className="amount">{r.waived}</dd>
              {r.waiverReasons ? (
                <>
                  <dt>Skäl för eftergift</dt>
                  <dd className="prose">{r.waiverReasons}</dd>
                </>
              ) : null}
              <dt>Återbetalt</dt>
              <dd className="amount">
                {r.repaid}
                {r.repaidOn ? ` (${r.repaidOn})` : ""}
              </dd>
              <dt>Kvar att betala</dt>
              <dd className="amount">{r.outstanding}</dd>
              <dt>Förfallodag</dt>
              <dd>{r.dueOn ?? "Inte beslutad"}</dd>
              <dt>Betalningsreferens</dt>
              <dd>{r.paymentReference}</dd>
            </dl>
            {r.actions.length ? <div className="actions">{r.actions.map((s) => <EventForm key={s.type} spec={s} error={error} destructive={s.type === "REJECT_RECLAIM"} />)}</div> : null}
          </section>
        ))
      )}
      <Pagination page={list.page} pages={list.pages} total={list.total} hrefFor={(p) => href(list.view, p)} noun="återkrav" one="återkrav" />
    </article>
  );
}
