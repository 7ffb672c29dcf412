// /beslut/:id: the decision screen. Thin: the data comes from app/decisions/decision.server.ts;
// the decision itself goes through the same form parsing and workflow engine as the case page,
// with the rejection category required when the outcome is not a full approval.
import type { ActionFunctionArgs, LoaderFunctionArgs, LinksFunction, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "~/db.server";
import officerStyles from "~/styles/officer.css";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { notFound, orgIdsWithRole, requireApplication } from "~/access/permissions.server";
import { loadDecisionScreen, previewFrom } from "~/decisions/decision.server";
import { handleCaseAction, type CaseActionError } from "~/cases/case-actions.server";
import { formKeyOf } from "~/cases/event-fields";
import { DecisionLetter } from "~/components/DecisionLetter";
import { ErrorSummary } from "~/components/ErrorSummary";
import { summaryErrorsOf } from "~/components/EventForm";
import { OUTCOME_LABELS } from "~/lib/state-labels";
import { REJECTION_CATEGORY_LABELS } from "~/decisions/labels";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: officerStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Beslut: ${data.screen.title} – Utvecklingsmedel` : "Beslut – Utvecklingsmedel" }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const screen = await loadDecisionScreen(db(), user, params.id ?? "", previewFrom(new URL(request.url).searchParams));
  return { screen };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  const application = await requireApplication(db(), user, params.id ?? "");
  if (!orgIdsWithRole(user, ["decision_maker"]).includes(application.boardId)) throw notFound();
  const form = await request.formData();
  if (form.get("eventType") !== "DECIDE") throw new Response("Begäran är ofullständig. Ladda om sidan och försök igen.", { status: 400 });
  const result = await handleCaseAction(db(), user, application, form, { requireRejectionCategory: true });
  if (result.ok) return redirect(`/arenden/${application.id}?klart=application.DECIDE`);
  return Response.json(result.data, { status: result.status });
};

export default function DecisionScreenPage() {
  const { screen: s } = useLoaderData<typeof loader>();
  const error = useActionData<CaseActionError>();
  return (
    <article className="decision-screen">
      <p className="breadcrumbs">
        <Link to="/beslut">Att besluta</Link>
      </p>
      <h1>
        Beslut: {s.title}
        {s.registrationNumber ? <span className="muted"> ({s.registrationNumber})</span> : null}
      </h1>
      {error ? <ErrorSummary title="Beslutet kunde inte fattas" message={error.formError} errors={summaryErrorsOf(error)} /> : null}

      <section aria-labelledby="facts">
        <h2 id="facts">Ärendet</h2>
        <dl className="facts">
          <dt>Sökande</dt>
          <dd>{s.applicant}</dd>
          <dt>Utlysning</dt>
          <dd>{s.call.title}</dd>
          <dt>Projektperiod</dt>
          <dd>{s.projectPeriod ?? "Inte angiven"}</dd>
          <dt>Sökt belopp</dt>
          <dd className="amount">{s.requested}</dd>
          <dt>Status</dt>
          <dd>{s.stateLabel}</dd>
        </dl>
        <p>
          <Link to={`/arenden/${s.id}`}>Hela ärendet med ansökan, bilagor och händelser</Link>
        </p>
      </section>

      <section aria-labelledby="recommendation">
        <h2 id="recommendation">Föredragandens förslag</h2>
        {s.recommendation ? (
          <>
            <p>
              <strong>
                Förslag: {s.recommendation.outcome}
                {s.recommendation.amount ? `, ${s.recommendation.amount}` : ""}
              </strong>
            </p>
            <p>
              Föredragande: {s.recommendation.presenter}, {s.recommendation.presentedAt}
            </p>
            {s.recommendation.summary ? <p className="prose">{s.recommendation.summary}</p> : null}
            {s.recommendation.scores.length ? (
              <table>
                <caption>Poäng mot utlysningens bedömningsgrunder (0–5). Viktad summa: {s.recommendation.total}</caption>
                <thead>
                  <tr>
                    <th scope="col">Bedömningsgrund</th>
                    <th scope="col">Vikt</th>
                    <th scope="col">Poäng</th>
                    <th scope="col">Kommentar</th>
                  </tr>
                </thead>
                <tbody>
                  {s.recommendation.scores.map((sc) => (
                    <tr key={sc.name}>
                      <th scope="row">{sc.name}</th>
                      <td>{sc.weight} %</td>
                      <td>{sc.score ?? "–"}</td>
                      <td>{sc.comment || "–"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </>
        ) : (
          <p className="muted">Ärendet har inget förslag till beslut.</p>
        )}
      </section>

      <section aria-labelledby="budget">
        <h2 id="budget">Utlysningens budget</h2>
        <dl className="facts">
          <dt>Budget</dt>
          <dd className="amount">{s.budget.total}</dd>
          <dt>Beviljat hittills</dt>
          <dd className="amount">{s.budget.granted}</dd>
          <dt>Kvar nu</dt>
          <dd className="amount">{s.budget.left}</dd>
          <dt>Kvar efter detta beslut ({s.budget.afterBasis})</dt>
          <dd className="amount">{s.budget.after === null ? "–" : s.budget.afterIsNegative ? <strong>{s.budget.after} (räcker inte)</strong> : s.budget.after}</dd>
        </dl>
      </section>

      <section aria-labelledby="decide">
        <h2 id="decide">Beslut</h2>
        {s.mayDecide ? <DecisionForm id={s.id} version={s.version} draft={s.draft} error={error} /> : <p className="notice warning">{s.cannotDecide}</p>}
      </section>

      {s.letter ? (
        <section aria-labelledby="preview" className="letter-preview">
          <h2 id="preview">Förhandsgranskning av beslutsbrevet</h2>
          <DecisionLetter letter={s.letter} />
        </section>
      ) : null}
    </article>
  );
}

function DecisionForm({ id, version, draft, error }: { id: string; version: number; draft: Record<string, string>; error?: CaseActionError }) {
  const formKey = formKeyOf({ kind: "application", caseId: id, type: "DECIDE" });
  const values = { ...draft, ...(error?.values ?? {}) };
  const errors = error?.fieldErrors ?? {};
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formMethod === "POST";
  const fid = (name: string) => `${formKey}-${name}`;
  const describedBy = (name: string, hint?: boolean) => [hint ? `${fid(name)}-hint` : "", errors[name] ? `${fid(name)}-error` : ""].filter(Boolean).join(" ") || undefined;
  const fieldError = (name: string) =>
    errors[name] ? (
      <p className="field-error" id={`${fid(name)}-error`}>
        <span className="sr-only">Fel: </span>
        {errors[name]}
      </p>
    ) : null;
  return (
    <Form method="post" id={formKey} className="event-form decision-form" noValidate>
      <input type="hidden" name="intent" value="event" />
      <input type="hidden" name="kind" value="application" />
      <input type="hidden" name="caseId" value={id} />
      <input type="hidden" name="eventType" value="DECIDE" />
      <input type="hidden" name="version" value={String(version)} />
      <fieldset className="radios" aria-invalid={errors.outcome ? true : undefined} aria-describedby={describedBy("outcome")}>
        <legend>Beslut</legend>
        {fieldError("outcome")}
        {Object.entries(OUTCOME_LABELS).map(([value, label], i) => (
          <div className="radio" key={value}>
            <input type="radio" id={i === 0 ? fid("outcome") : `${fid("outcome")}-${value}`} name="outcome" value={value} defaultChecked={values.outcome === value} />
            <label htmlFor={i === 0 ? fid("outcome") : `${fid("outcome")}-${value}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={fid("granted")}>Beviljat belopp (kronor)</label>
        <p className="hint" id={`${fid("granted")}-hint`}>
          Bifall avser hela det sökta beloppet. Vid avslag beviljas 0 kronor.
        </p>
        {fieldError("granted")}
        <span className="with-unit">
          <input id={fid("granted")} name="granted" type="text" inputMode="decimal" autoComplete="off" className="amount-input" defaultValue={values.granted ?? ""} aria-invalid={errors.granted ? true : undefined} aria-describedby={describedBy("granted", true)} />
          <span aria-hidden="true">kr</span>
        </span>
      </div>
      <div className="field">
        <label htmlFor={fid("reasons")}>Motivering (skäl för beslutet)</label>
        {fieldError("reasons")}
        <textarea id={fid("reasons")} name="reasons" rows={5} defaultValue={values.reasons ?? ""} aria-required aria-invalid={errors.reasons ? true : undefined} aria-describedby={describedBy("reasons")} />
      </div>
      <div className="field">
        <label htmlFor={fid("conditions")}>Villkor för bidraget (frivilligt)</label>
        {fieldError("conditions")}
        <textarea id={fid("conditions")} name="conditions" rows={3} defaultValue={values.conditions ?? ""} aria-describedby={describedBy("conditions")} />
      </div>
      <div className="field">
        <label htmlFor={fid("rejectionCategory")}>Skäl till avslag eller delvis bifall</label>
        <p className="hint" id={`${fid("rejectionCategory")}-hint`}>
          Krävs vid avslag och delvis bifall. Används i redovisningen till regeringen.
        </p>
        {fieldError("rejectionCategory")}
        <select id={fid("rejectionCategory")} name="rejectionCategory" defaultValue={values.rejectionCategory ?? ""} aria-invalid={errors.rejectionCategory ? true : undefined} aria-describedby={describedBy("rejectionCategory", true)}>
          <option value="">Välj … (inte vid bifall)</option>
          {Object.entries(REJECTION_CATEGORY_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="buttons">
        <button type="submit" formMethod="get" name="forhandsgranska" value="1" className="secondary">
          Förhandsgranska beslutsbrevet
        </button>
        <button type="submit" disabled={busy}>
          {busy ? "Sparar…" : "Fatta beslut"}
        </button>
      </div>
    </Form>
  );
}
