// /beslut: the decision maker's list of presented cases, with saved filters and
// batch decisions (checkboxes, or every case matching the filter).
import type { ActionFunctionArgs, LoaderFunctionArgs, LinksFunction, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import officerStyles from "~/styles/officer.css";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { forbidden, orgIdsWithRole, type Principal } from "~/access/permissions.server";
import { listPresented } from "~/decisions/queue.server";
import { decisionQueueHref, decisionQueueSearch, parseDecisionQueueQuery } from "~/decisions/queue-query";
import { handleBatchDecision, type BatchResult } from "~/decisions/batch.server";
import { deleteFilter, listSavedFilters, saveFilter } from "~/cases/saved-filters.server";
import { REJECTION_CATEGORY_LABELS } from "~/decisions/labels";
import { OUTCOME_LABELS } from "~/lib/state-labels";
import { Pagination } from "~/components/Pagination";
import { SavedFilters, type SaveFilterError } from "~/components/SavedFilters";
import { ErrorSummary } from "~/components/ErrorSummary";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: officerStyles }];

export const meta: MetaFunction = () => [{ title: "Att besluta – Utvecklingsmedel" }];

function requireDecisionMaker(user: Principal): void {
  if (orgIdsWithRole(user, ["decision_maker"]).length === 0) throw forbidden("Listan visas bara för beslutsfattare.");
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  requireDecisionMaker(user);
  const url = new URL(request.url);
  const query = parseDecisionQueueQuery(url.searchParams);
  const [list, savedFilters] = await Promise.all([listPresented(db(), user, query), listSavedFilters(db(), user, "beslut")]);
  const decided = Number(url.searchParams.get("beslutade") ?? "");
  return {
    query: { callId: query.callId, q: query.q },
    list,
    savedFilters,
    currentQuery: decisionQueueSearch({ callId: query.callId, q: query.q }),
    confirmation: Number.isSafeInteger(decided) && decided > 0 ? `Klart: ${decided} ${decided === 1 ? "ärende har" : "ärenden har"} beslutats.` : null,
  };
};

type ActionData = ({ form: "batch" } & Extract<BatchResult, { ok: false }>) | ({ form: "filter" } & SaveFilterError);

export const action = async ({ request }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  requireDecisionMaker(user);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "delete-filter") {
    await deleteFilter(db(), user, "beslut", form.get("id"));
    return redirect("/beslut");
  }
  if (intent === "save-filter") {
    const filters = parseDecisionQueueQuery(new URLSearchParams(String(form.get("query") ?? "")));
    const query = decisionQueueSearch({ callId: filters.callId, q: filters.q });
    const result = await saveFilter(db(), user, "beslut", form.get("filterName"), query);
    if (!result.ok) return Response.json({ form: "filter", fieldErrors: result.fieldErrors, values: result.values } satisfies ActionData, { status: 400 });
    return redirect(decisionQueueHref({ callId: filters.callId, q: filters.q }));
  }
  if (intent === "batch-decide") {
    const result = await handleBatchDecision(db(), user, form);
    if (result.ok) return redirect(`/beslut?beslutade=${result.decided}`);
    return Response.json({ form: "batch", ...result } satisfies ActionData, { status: result.status });
  }
  return Response.json({ form: "filter", fieldErrors: {}, values: {} } satisfies ActionData, { status: 400 });
};

export default function DecisionList() {
  const { query, list, savedFilters, currentQuery, confirmation } = useLoaderData<typeof loader>();
  const data = useActionData<ActionData>();
  const batchError = data?.form === "batch" ? data : undefined;
  const filterError = data?.form === "filter" ? data : undefined;
  const values = batchError?.values ?? {};
  const errors = batchError?.fieldErrors ?? {};
  const selected = new Set(batchError?.selected ?? []);
  const fieldError = (name: string) =>
    errors[name] ? (
      <p className="field-error" id={`batch-${name}-error`}>
        <span className="sr-only">Fel: </span>
        {errors[name]}
      </p>
    ) : null;
  return (
    <>
      <h1>Att besluta</h1>
      {batchError ? (
        <ErrorSummary title="Inget ärende har beslutats" message={batchError.formError} errors={Object.entries(errors).map(([name, message]) => ({ href: `#batch-${name}`, message }))} />
      ) : null}
      {filterError?.fieldErrors.filterName ? <ErrorSummary title="Filtret kunde inte sparas" errors={[{ href: "#filterName", message: filterError.fieldErrors.filterName }]} /> : null}
      {confirmation && !data ? (
        <p className="notice success" role="status">
          {confirmation}
        </p>
      ) : null}

      <Form method="get" className="filters" role="search" aria-label="Sök och filtrera föredragna ärenden">
        <div className="field">
          <label htmlFor="q">Sök på diarienummer, titel eller organisation</label>
          <input id="q" name="q" type="search" defaultValue={query.q} />
        </div>
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
        <button type="submit">Visa</button>
        {query.q || query.callId ? (
          <p>
            <Link to="/beslut">Rensa filter</Link>
          </p>
        ) : null}
      </Form>

      {list.callBudget ? (
        <p>
          {list.callBudget.title}: budget {list.callBudget.budget}, kvar att besluta om {list.callBudget.left}.
        </p>
      ) : null}

      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="batch-decide" />
        <input type="hidden" name="query" value={currentQuery} />
        <section aria-labelledby="presented">
          <h2 id="presented">Föredragna ärenden</h2>
          {list.rows.length ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="sr-only">Markera</span>
                  </th>
                  <th scope="col">Diarienummer</th>
                  <th scope="col">Ärende</th>
                  <th scope="col">Sökande</th>
                  <th scope="col">Utlysning</th>
                  <th scope="col" className="amount">
                    Sökt
                  </th>
                  <th scope="col">Förslag</th>
                  <th scope="col">Föredragande</th>
                </tr>
              </thead>
              <tbody>
                {list.rows.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <input type="checkbox" name="ids" value={r.id} id={`ids-${r.id}`} defaultChecked={selected.has(r.id)} aria-label={`Markera ${r.registrationNumber ?? ""} ${r.title}`.trim()} />
                    </td>
                    <td>{r.registrationNumber ?? "–"}</td>
                    <th scope="row">
                      <Link to={`/beslut/${r.id}`}>{r.title}</Link>
                      {r.cannotDecide ? <span className="muted"> {r.cannotDecide}</span> : null}
                    </th>
                    <td>{r.applicant}</td>
                    <td>{r.call}</td>
                    <td className="amount">{r.requested}</td>
                    <td>
                      {r.recommendation}
                      {r.proposed ? `, ${r.proposed}` : ""}
                    </td>
                    <td>{r.presenter}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>{query.q || query.callId ? "Inga föredragna ärenden matchar filtret." : "Inga ärenden väntar på beslut."}</p>
          )}
          <Pagination page={list.page} pages={list.pages} total={list.total} noun="ärenden" one="ärende" hrefFor={(p) => decisionQueueHref(query, p)} />
        </section>

        {list.rows.length ? (
          <section aria-labelledby="batch">
            <h2 id="batch">Gemensamt beslut</h2>
            <p className="hint">
              Samma beslut, motivering och villkor gäller varje ärende. Varje ärende prövas för sig mot reglerna (fyra ögon, jäv, budget). Om något ärende inte kan beslutas fattas inget av besluten. Vid delvis bifall beviljas det belopp som föredraganden har föreslagit.
            </p>
            <fieldset className="radios" aria-describedby={errors.scope ? "batch-scope-error" : undefined}>
              <legend>Vilka ärenden gäller beslutet?</legend>
              {fieldError("scope")}
              <div className="radio">
                <input type="radio" id="batch-scope" name="scope" value="selected" defaultChecked={(values.scope ?? "selected") === "selected"} />
                <label htmlFor="batch-scope">De markerade ärendena</label>
              </div>
              <div className="radio">
                <input type="radio" id="batch-scope-filter" name="scope" value="filter" defaultChecked={values.scope === "filter"} />
                <label htmlFor="batch-scope-filter">Alla {list.total} ärenden som matchar filtret (även på andra sidor)</label>
              </div>
            </fieldset>
            <fieldset className="radios" aria-describedby={errors.outcome ? "batch-outcome-error" : undefined}>
              <legend>Beslut</legend>
              {fieldError("outcome")}
              {Object.entries(OUTCOME_LABELS).map(([value, label], i) => (
                <div className="radio" key={value}>
                  <input type="radio" id={i === 0 ? "batch-outcome" : `batch-outcome-${value}`} name="outcome" value={value} defaultChecked={values.outcome === value} />
                  <label htmlFor={i === 0 ? "batch-outcome" : `batch-outcome-${value}`}>{label}</label>
                </div>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="batch-reasons">Motivering (skäl för besluten)</label>
              {fieldError("reasons")}
              <textarea id="batch-reasons" name="reasons" rows={4} defaultValue={values.reasons ?? ""} aria-required aria-invalid={errors.reasons ? true : undefined} aria-describedby={errors.reasons ? "batch-reasons-error" : undefined} />
            </div>
            <div className="field">
              <label htmlFor="batch-conditions">Villkor för bidragen (frivilligt)</label>
              <textarea id="batch-conditions" name="conditions" rows={3} defaultValue={values.conditions ?? ""} />
            </div>
            <div className="field">
              <label htmlFor="batch-rejectionCategory">Skäl till avslag eller delvis bifall</label>
              {fieldError("rejectionCategory")}
              <select id="batch-rejectionCategory" name="rejectionCategory" defaultValue={values.rejectionCategory ?? ""} aria-invalid={errors.rejectionCategory ? true : undefined} aria-describedby={errors.rejectionCategory ? "batch-rejectionCategory-error" : undefined}>
                <option value="">Välj … (inte vid bifall)</option>
                {Object.entries(REJECTION_CATEGORY_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">Fatta beslut</button>
          </section>
        ) : null}
      </Form>

      <SavedFilters filters={savedFilters} currentQuery={currentQuery} error={filterError} />
    </>
  );
}
