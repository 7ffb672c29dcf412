// The case page: everything about one application, its timeline, and one form
// per event the statecharts allow this user now. Thin: the query lives in
// app/cases/case.server.ts, the parsing in app/cases/case-actions.server.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs, LinksFunction, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import officerStyles from "~/styles/officer.css";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { hasRole, isCaseStaff, requireApplication, type Principal } from "~/access/permissions.server";
import { confirmationFor, loadCaseView } from "~/cases/case.server";
import { handleCaseAction, type CaseActionError } from "~/cases/case-actions.server";
import { handleAssignOfficer } from "~/cases/officer.server";
import { EventForm, summaryErrorsOf } from "~/components/EventForm";
import { ErrorSummary } from "~/components/ErrorSummary";
import { StateBadge, toneOf } from "~/components/StateBadge";
import { formKeyOf, type EventFormSpec } from "~/cases/event-fields";
import { LiveScoreTotal } from "~/components/LiveScoreTotal";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: officerStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.case.registrationNumber ? `${data.case.registrationNumber} ` : ""}${data.case.title} – Utvecklingsmedel` : "Ärende – Utvecklingsmedel" },
];

/** The applicant's own case is shown on /ansokningar/:id; /arenden is the authorities' view. */
function isApplicantView(user: Principal, application: { boardId: string; applicantOrgId: string }): boolean {
  return !isCaseStaff(user, application) && !hasRole(user, "coordinator") && hasRole(user, "applicant", application.applicantOrgId);
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const application = await requireApplication(db(), user, params.id ?? "");
  if (isApplicantView(user, application)) throw redirect(`/ansokningar/${application.id}`);
  const view = await loadCaseView(db(), user, application.id);
  const done = new URL(request.url).searchParams.get("klart");
  return { case: view, confirmation: done === "handlaggare" ? "Klart: Handläggaren är ändrad." : confirmationFor(done) };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  const application = await requireApplication(db(), user, params.id ?? "");
  if (isApplicantView(user, application)) throw redirect(`/ansokningar/${application.id}`);
  const form = await request.formData();
  if (form.get("intent") === "assign-officer") {
    const assigned = await handleAssignOfficer(db(), user, application, form);
    if (assigned.ok) return redirect(`/arenden/${application.id}?klart=handlaggare`);
    const error: CaseActionError = { formKey: ASSIGN_FORM_KEY, values: assigned.values, fieldErrors: assigned.fieldErrors, formError: assigned.formError };
    return Response.json(error, { status: assigned.status });
  }
  // A decision, correction or reconsideration that is not a full approval states why, wherever it is made (/beslut/:id too).
  const result = await handleCaseAction(db(), user, application, form, { requireRejectionCategory: true });
  if (result.ok) return redirect(`/arenden/${application.id}?klart=${result.kind}.${result.type}`);
  return Response.json(result.data, { status: result.status });
};

const ASSIGN_FORM_KEY = "assign-officer";

const DESTRUCTIVE = new Set(["WITHDRAW", "CANCEL", "DECLARE_CONFLICT_OF_INTEREST", "RETURN_DECISION", "REJECT_RECLAIM"]);

export default function CasePage() {
  const { case: c, confirmation } = useLoaderData<typeof loader>();
  const error = useActionData<CaseActionError>();
  const forms = (specs: EventFormSpec[]) =>
    specs.map((s) => (
      <EventForm key={`${s.caseId}-${s.type}`} spec={s} error={error} destructive={DESTRUCTIVE.has(s.type)}>
        {s.type === "PRESENT" && c.criteria.length ? <LiveScoreTotal formId={formKeyOf(s)} criteria={c.criteria} /> : null}
        {s.type === "APPROVE_REPORT" && c.reportApproval ? <p className="hint">{c.reportApproval}</p> : null}
      </EventForm>
    ));
  const staffView = c.audience !== "applicant";

  return (
    <article className="case">
      <p className="breadcrumbs">
        <Link to="/arenden">{staffView ? "Ärenden" : "Våra ansökningar"}</Link>
      </p>
      <h1>
        {c.title}
        {c.registrationNumber ? <span className="muted"> ({c.registrationNumber})</span> : null}
      </h1>

      {error ? <ErrorSummary title="Åtgärden kunde inte genomföras" message={error.formError} errors={summaryErrorsOf(error)} /> : null}
      {confirmation && !error ? (
        <p className="notice success" role="status">
          {confirmation}
        </p>
      ) : null}

      <section aria-labelledby="now">
        <h2 id="now">Läge</h2>
        <p>
          <StateBadge label={c.stateLabel} tone={toneOf(c.state)} />
        </p>
        <p>
          <strong>Vad händer nu?</strong> {c.stateNext}
        </p>
      </section>

      {staffView ? (
        <section aria-labelledby="officer">
          <h2 id="officer">Handläggare</h2>
          {c.needsReassignment ? (
            <p className="notice warning" role="status">
              Ärendet saknar handläggare efter en jävsanmälan. Det behöver fördelas till en annan handläggare.
            </p>
          ) : null}
          <p>{c.officer ? `Handläggare: ${c.officer.name}` : "Ärendet har ingen handläggare."}</p>
          {c.assign ? <AssignOfficerForm version={c.version} officers={c.assign.officers} isMine={c.assign.isMine} current={c.officer?.id ?? null} error={error?.formKey === ASSIGN_FORM_KEY ? error : undefined} /> : null}
        </section>
      ) : null}

      {c.links.decisionLetter || c.links.paymentPlan || c.links.decisionScreen ? (
        <nav aria-label="Ärendets sidor" className="case-links">
          <ul>
            {c.links.decisionScreen ? (
              <li>
                <Link to={c.links.decisionScreen}>Beslutsunderlag och beslut</Link>
              </li>
            ) : null}
            {c.links.decisionLetter ? (
              <li>
                <Link to={c.links.decisionLetter}>Beslutsbrev</Link>
              </li>
            ) : null}
            {c.links.paymentPlan ? (
              <li>
                <Link to={c.links.paymentPlan}>Utbetalningsplan</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}

      {c.doubleFunding.length ? (
        <section aria-labelledby="double-funding" className="notice warning">
          <h2 id="double-funding">Varning: möjlig dubbelfinansiering</h2>
          <p>Samma organisation (org.nr {c.applicant.orgNumber}) har andra ansökningar eller bidrag för en projektperiod som överlappar den här.</p>
          <table>
            <thead>
              <tr>
                <th scope="col">Diarienummer</th>
                <th scope="col">Ärende</th>
                <th scope="col">Länsstyrelse och utlysning</th>
                <th scope="col">Projektperiod</th>
                <th scope="col">Status</th>
                <th scope="col" className="amount">
                  Sökt
                </th>
                <th scope="col" className="amount">
                  Beviljat
                </th>
              </tr>
            </thead>
            <tbody>
              {c.doubleFunding.map((w) => (
                <tr key={w.id}>
                  <td>{w.registrationNumber ?? "–"}</td>
                  <th scope="row">{w.title}</th>
                  <td>
                    {w.board}: {w.call}
                  </td>
                  <td>{w.period}</td>
                  <td>{w.state}</td>
                  <td className="amount">{w.requested}</td>
                  <td className="amount">{w.granted ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {c.pendingDecision ? (
        <section aria-labelledby="pending-decision" className="record decision">
          <h2 id="pending-decision">Beslut som väntar på bekräftelse</h2>
          <p>
            {c.pendingDecision.decidedBy} fattade beslutet {c.pendingDecision.decidedAt}. Beloppet är så stort att en andra beslutsfattare ska bekräfta det innan det gäller.
          </p>
          <dl className="facts">
            <dt>Beslut</dt>
            <dd>{c.pendingDecision.kind === "Beslut" ? c.pendingDecision.outcome : `${c.pendingDecision.kind}: ${c.pendingDecision.outcome}`}</dd>
            <dt>Sökt belopp</dt>
            <dd className="amount">{c.requested}</dd>
            <dt>Beviljat belopp</dt>
            <dd className="amount">{c.pendingDecision.granted}</dd>
            {c.pendingDecision.rejectionCategory ? (
              <>
                <dt>Skäl till avslag eller delvis bifall</dt>
                <dd>{c.pendingDecision.rejectionCategory}</dd>
              </>
            ) : null}
          </dl>
          <h3>Motivering</h3>
          <p className="prose">{c.pendingDecision.reasons}</p>
          {c.pendingDecision.conditions ? (
            <>
              <h3>Villkor</h3>
              <p className="prose">{c.pendingDecision.conditions}</p>
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="actions">
        <h2 id="actions">Åtgärder</h2>
        {c.actions.length > 0 ? <div className="actions">{forms(c.actions)}</div> : <p className="muted">Det finns inget du kan göra i ärendet just nu.</p>}
      </section>

      <section aria-labelledby="overview">
        <h2 id="overview">Uppgifter</h2>
        <dl className="facts">
          <dt>Diarienummer</dt>
          <dd>{c.registrationNumber ?? "Tilldelas när ansökan skickas in"}</dd>
          <dt>Sökande</dt>
          <dd>
            {c.applicant.name} ({c.applicant.kind}, org.nr {c.applicant.orgNumber})
          </dd>
          <dt>Utlysning</dt>
          <dd>
            <Link to={`/utlysningar/${c.call.id}`}>{c.call.title}</Link> ({c.board})
          </dd>
          <dt>Sökt belopp</dt>
          <dd className="amount">{c.requested}</dd>
          <dt>Beviljat belopp</dt>
          <dd className="amount">{c.granted ?? "Inget beslut än"}</dd>
          <dt>Medfinansiering</dt>
          <dd className="amount">{c.cofunding}</dd>
          <dt>Projektperiod</dt>
          <dd>{c.projectPeriod ?? "Inte angiven"}</dd>
          <dt>Län som omfattas</dt>
          <dd>{c.counties.length ? c.counties.join(", ") : "Inte angivet"}</dd>
          <dt>Kontaktperson</dt>
          <dd>{[c.contact.name, c.contact.email, c.contact.phone].filter(Boolean).join(", ") || "Inte angiven"}</dd>
          <dt>Firmatecknare</dt>
          <dd>{[c.signatory.name, c.signatory.title].filter(Boolean).join(", ") || "Inte angiven"}</dd>
          <dt>Inlämnad</dt>
          <dd>{c.submittedAt ?? "Inte inlämnad"}</dd>
          <dt>Annan offentlig finansiering</dt>
          <dd>{c.otherPublicFunding || "Ingen angiven"}</dd>
          <dt>Försäkran</dt>
          <dd>
            {c.declarations.noTaxDebts ? "Inga skulder för skatter eller avgifter." : "Ingen försäkran om skatteskulder."}{" "}
            {c.declarations.notInLiquidation ? "Inte i likvidation eller konkurs." : "Ingen försäkran om likvidation eller konkurs."}
          </dd>
        </dl>
        {c.description ? (
          <>
            <h3>Beskrivning</h3>
            <p className="prose">{c.description}</p>
          </>
        ) : null}
        {c.aims ? (
          <>
            <h3>Mål</h3>
            <p className="prose">{c.aims}</p>
          </>
        ) : null}
        {c.targetGroup ? (
          <>
            <h3>Målgrupp</h3>
            <p className="prose">{c.targetGroup}</p>
          </>
        ) : null}
      </section>

      <section aria-labelledby="budget">
        <h2 id="budget">Budget</h2>
        {c.budgetLines.length ? (
          <table>
            <caption className="sr-only">Budgetposter</caption>
            <thead>
              <tr>
                <th scope="col">Kostnadsslag</th>
                <th scope="col">Beskrivning</th>
                <th scope="col" className="amount">
                  Belopp
                </th>
              </tr>
            </thead>
            <tbody>
              {c.budgetLines.map((l) => (
                <tr key={l.id}>
                  <th scope="row">{l.category}</th>
                  <td>{l.description}</td>
                  <td className="amount">{l.amount}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Summa
                </th>
                <td className="amount">{c.budgetTotal}</td>
              </tr>
            </tfoot>
          </table>
        ) : (
          <p className="muted">Inga budgetposter.</p>
        )}
      </section>

      <section aria-labelledby="attachments">
        <h2 id="attachments">Bilagor</h2>
        {c.attachments.length ? (
          <ul className="plain">
            {c.attachments.map((f) => (
              <li key={f.id}>
                <a href={f.href}>{f.fileName}</a> <span className="muted">({f.purpose}, {f.size}, {f.uploadedAt})</span>
                {f.secret ? <span className="secret"> Sekretessmarkerad</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Inga bilagor.</p>
        )}
      </section>

      {c.revisions.length ? (
        <section aria-labelledby="versions">
          <h2 id="versions">Versioner av ansökan</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Sparad</th>
                <th scope="col">Av</th>
                <th scope="col" className="amount">
                  Sökt belopp
                </th>
              </tr>
            </thead>
            <tbody>
              {c.revisions.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.number === 1 ? "1 (inlämnad)" : `${r.number} (komplettering)`}</th>
                  <td>{r.createdAt}</td>
                  <td>{r.createdBy}</td>
                  <td className="amount">{r.requested ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {c.revisions
            .filter((r) => r.number > 1)
            .map((r) => (
              <div key={r.id} className="record">
                <h3>
                  Ändringar i version {r.number} jämfört med version {r.number - 1}
                </h3>
                {r.changes.length ? (
                  <table className="diff">
                    <thead>
                      <tr>
                        <th scope="col">Uppgift</th>
                        <th scope="col">Före</th>
                        <th scope="col">Efter</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.changes.map((ch) => (
                        <tr key={ch.field}>
                          <th scope="row">{ch.field}</th>
                          <td className="prose">
                            <del>{ch.before}</del>
                          </td>
                          <td className="prose">
                            <ins>{ch.after}</ins>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <p className="muted">Inga uppgifter ändrades.</p>
                )}
              </div>
            ))}
        </section>
      ) : null}

      {c.completionRequests.length ? (
        <section aria-labelledby="completions">
          <h2 id="completions">Kompletteringar</h2>
          <ul className="plain">
            {c.completionRequests.map((r) => (
              <li key={r.id}>
                <p>
                  Begärd {r.requestedAt}, sista dag {r.dueOn}. {r.completedAt ? `Avslutad ${r.completedAt}.` : "Inte kompletterad än."}
                </p>
                <p className="prose">{r.message}</p>
                {r.response ? (
                  <>
                    <p>Svar från den sökande:</p>
                    <p className="prose">{r.response}</p>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {staffView && (c.assessments.length || c.conflicts.length) ? (
        <section aria-labelledby="assessment">
          <h2 id="assessment">Bedömning och jäv</h2>
          {c.assessments.map((x) => (
            <div key={x.id} className="record">
              <h3>
                Föredragning {x.createdAt}: förslag {x.recommendation}
                {x.recommended ? `, ${x.recommended}` : ""}
              </h3>
              <p>Föredragande: {x.officer}</p>
              {x.summary ? <p className="prose">{x.summary}</p> : null}
              {x.scores.length ? (
                <table>
                  <caption>Poäng mot utlysningens bedömningsgrunder (0–5). Viktad summa: {x.total}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Bedömningsgrund</th>
                      <th scope="col">Vikt</th>
                      <th scope="col">Poäng</th>
                      <th scope="col">Kommentar</th>
                    </tr>
                  </thead>
                  <tbody>
                    {x.scores.map((sc) => (
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
            </div>
          ))}
          {c.conflicts.length ? (
            <>
              <h3>Anmält jäv</h3>
              <ul>
                {c.conflicts.map((j) => (
                  <li key={j.id}>{j.line}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      {c.decisions.length ? (
        <section aria-labelledby="decisions">
          <h2 id="decisions">Beslut</h2>
          {c.decisions.map((d) => (
            <div key={d.id} className="record decision">
              <h3>
                {d.kind} {d.decidedOn}: {d.outcome}
                {d.superseded ? " (ersatt av ett senare beslut)" : ""}
              </h3>
              <dl className="facts">
                <dt>Sökt belopp</dt>
                <dd className="amount">{d.requested}</dd>
                <dt>Beviljat belopp</dt>
                <dd className="amount">{d.granted}</dd>
                {d.rejectionCategory ? (
                  <>
                    <dt>Skäl till avslag eller delvis bifall</dt>
                    <dd>{d.rejectionCategory}</dd>
                  </>
                ) : null}
              </dl>
              <h4>Motivering</h4>
              <p className="prose">{d.reasons}</p>
              {d.conditions ? (
                <>
                  <h4>Villkor</h4>
                  <p className="prose">{d.conditions}</p>
                </>
              ) : null}
              <p>
                {d.decisionMaker} har beslutat i detta ärende. {d.presenter} har varit föredragande.
                {d.others.length ? ` I den slutliga handläggningen har även ${d.others.join(", ")} deltagit.` : ""}
              </p>
              <h4>Hur man överklagar</h4>
              <p className="prose">{d.appealNotice}</p>
            </div>
          ))}
        </section>
      ) : null}

      {c.grant ? (
        <section aria-labelledby="grant">
          <h2 id="grant">Bidrag och utbetalningar</h2>
          <dl className="facts">
            <dt>Beviljat</dt>
            <dd className="amount">{c.grant.amount}</dd>
            <dt>Planerat i utbetalningar</dt>
            <dd className="amount">{c.grant.planned}</dd>
            <dt>Utbetalt</dt>
            <dd className="amount">{c.grant.paid}</dd>
            <dt>Kvar att betala ut</dt>
            <dd className="amount">{c.grant.leftToPay}</dd>
            <dt>Bidragets status</dt>
            <dd>{c.grant.state}</dd>
            {c.grant.interimReportDueOn ? (
              <>
                <dt>Delredovisning senast</dt>
                <dd>{c.grant.interimReportDueOn}</dd>
              </>
            ) : null}
            <dt>Slutredovisning senast</dt>
            <dd>{c.grant.finalReportDueOn}</dd>
          </dl>
          {c.disbursements.length ? (
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
                  <th scope="col">Status</th>
                  <th scope="col">Attesterad</th>
                  <th scope="col">Utbetald</th>
                  <th scope="col">Åtgärder</th>
                </tr>
              </thead>
              <tbody>
                {c.disbursements.map((d) => (
                  <tr key={d.id}>
                    <th scope="row">{d.number}</th>
                    <td className="amount">{d.amount}</td>
                    <td>
                      {d.trigger}
                      {d.requestDeadline ? `. Rekvireras senast ${d.requestDeadline}.` : ""}
                    </td>
                    <td className="nowrap">{d.plannedOn}</td>
                    <td>
                      <StateBadge label={d.stateLabel} tone={toneOf(d.state)} />
                      <span className="sr-only">. {d.stateNext}</span>
                    </td>
                    <td>{d.attestedBy ? `${d.attestedBy}, ${d.attestedAt}` : "–"}</td>
                    <td>{d.paidOn ? `${d.paidOn} (${d.paymentReference})` : "–"}</td>
                    <td>{d.actions.length ? forms(d.actions) : <span className="muted">–</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
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
                <th scope="col">Inlämnad</th>
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
                  <th scope="row">{r.kind}</th>
                  <td>{r.dueOn}</td>
                  <td>{r.state}</td>
                  <td>{r.submittedAt ?? "–"}</td>
                  <td className="amount">{r.used ?? "–"}</td>
                  <td className="amount">{r.unused ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {c.reports
            .filter((r) => r.activitySummary)
            .map((r) => (
              <div key={r.id} className="record">
                <h3>{r.kind}: vad som har gjorts</h3>
                <p className="prose">{r.activitySummary}</p>
              </div>
            ))}
        </section>
      ) : null}

      {c.reclaims.length ? (
        <section aria-labelledby="reclaims">
          <h2 id="reclaims">Återkrav</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Grund</th>
                <th scope="col">Status</th>
                <th scope="col" className="amount">
                  Belopp
                </th>
                <th scope="col" className="amount">
                  Eftergivet
                </th>
                <th scope="col" className="amount">
                  Återbetalt
                </th>
                <th scope="col" className="amount">
                  Kvar att betala
                </th>
                <th scope="col">Förfaller</th>
                <th scope="col">Referens</th>
              </tr>
            </thead>
            <tbody>
              {c.reclaims.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.ground}</th>
                  <td>{r.state}</td>
                  <td className="amount">{r.amount}</td>
                  <td className="amount">{r.waived}</td>
                  <td className="amount">{r.repaid}</td>
                  <td className="amount">{r.outstanding}</td>
                  <td>{r.dueOn ?? "–"}</td>
                  <td>{r.paymentReference}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      <section aria-labelledby="documents">
        <h2 id="documents">Diarieförda handlingar</h2>
        {c.documents.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Datum</th>
                <th scope="col">Diarienummer</th>
                <th scope="col">Riktning</th>
                <th scope="col">Avsändare eller mottagare</th>
                <th scope="col">Handling</th>
              </tr>
            </thead>
            <tbody>
              {c.documents.map((d) => (
                <tr key={d.id}>
                  <td>{d.registeredOn}</td>
                  <td>{d.registrationNumber}</td>
                  <td>{d.direction}</td>
                  <td>{d.counterpart}</td>
                  <th scope="row">
                    {d.description}
                    {d.secret ? <span className="secret"> Sekretessmarkerad{d.secrecyReason ? `: ${d.secrecyReason}` : ""}</span> : null}
                  </th>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">Inga handlingar är diarieförda än.</p>
        )}
      </section>

      <section aria-labelledby="timeline">
        <h2 id="timeline">Händelser</h2>
        {c.timeline.length ? (
          <table className="timeline">
            <thead>
              <tr>
                <th scope="col">Tid</th>
                <th scope="col">Händelse</th>
                <th scope="col">Av</th>
                <th scope="col">Från</th>
                <th scope="col">Till</th>
              </tr>
            </thead>
            <tbody>
              {c.timeline.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{e.at}</td>
                  <th scope="row">
                    {e.subject !== "Ansökan" ? `${e.subject}: ` : ""}
                    {e.what}
                  </th>
                  <td>{e.who}</td>
                  <td>{e.from ?? "–"}</td>
                  <td>{e.to ?? "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">Inga händelser.</p>
        )}
      </section>
    </article>
  );
}

function AssignOfficerForm({ version, officers, isMine, current, error }: { version: number; officers: { id: string; name: string }[]; isMine: boolean; current: string | null; error?: CaseActionError }) {
  const selectId = `${ASSIGN_FORM_KEY}-officerId`;
  const message = error?.fieldErrors.officerId;
  return (
    <div className="actions">
      {!isMine ? (
        <Form method="post" className="event-form" aria-label="Ta ärendet">
          <input type="hidden" name="intent" value="assign-officer" />
          <input type="hidden" name="version" value={String(version)} />
          <input type="hidden" name="officerId" value="me" />
          <button type="submit">Ta ärendet</button>
        </Form>
      ) : null}
      {officers.length ? (
        <details className="event-details" open={error ? true : undefined}>
          <summary>Fördela till en handläggare</summary>
          <Form method="post" className="event-form" noValidate>
            <input type="hidden" name="intent" value="assign-officer" />
            <input type="hidden" name="version" value={String(version)} />
            {error?.formError ? <p className="field-error">{error.formError}</p> : null}
            <div className="field">
              <label htmlFor={selectId}>Handläggare</label>
              {message ? (
                <p className="field-error" id={`${selectId}-error`}>
                  <span className="sr-only">Fel: </span>
                  {message}
                </p>
              ) : null}
              <select id={selectId} name="officerId" defaultValue={error?.values.officerId ?? current ?? ""} aria-invalid={message ? true : undefined} aria-describedby={message ? `${selectId}-error` : undefined}>
                <option value="">Välj …</option>
                {officers.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit">Fördela ärendet</button>
          </Form>
        </details>
      ) : null}
    </div>
  );
}
