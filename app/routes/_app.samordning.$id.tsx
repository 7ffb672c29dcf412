// /samordning/:id: every board's figures for an assignment side by side (the
// coordinating board) or the user's own board's, filtered by year and call; the
// redovisning workbook, CSV and open-data downloads; big exports in the background.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { requireReportScope } from "~/access/permissions.server";
import { loadOverview, parseReportFilter } from "~/reports/overview.server";
import { startExportJob } from "~/reports/export-jobs.server";
import { sendAssignmentEvent } from "~/assignments/admin.server";
import { formValues } from "~/finance/form-fields";
import { label, percent, type FigureKey } from "~/reports/view";
import { FiguresTable } from "~/components/FiguresTable";
import { ErrorSummary } from "~/components/ErrorSummary";
import { HorizontalBars, seriesOf, shortKronor } from "~/components/charts/HorizontalBars";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Redovisning: ${data?.assignment.title ?? "Uppdrag"} – Utvecklingsmedel` }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  return loadOverview(db(), user, params.id ?? "", new URL(request.url));
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  const { assignment, boardIds } = await requireReportScope(db(), user, params.id ?? "");
  const values = formValues(await request.formData());
  if (values.intent === "SUBMIT_REPORT") {
    // The statechart decides who may: the coordinating board's coordinator, while reporting is open.
    const version = Number(values.version);
    const result = await sendAssignmentEvent(db(), user, assignment.id, "SUBMIT_REPORT", Number.isSafeInteger(version) ? version : -1);
    if (result.ok) return redirect(`/samordning/${assignment.id}?klart=redovisat`, 303);
    return Response.json({ formError: result.message }, { status: result.status });
  }
  const { filter } = await parseReportFilter(db(), new URL(request.url), assignment.id, boardIds);
  const jobId = await startExportJob(db(), user, { ...filter, exportedBy: user.name });
  return redirect(`/samordning/export/${jobId}`, 303);
};

const MONEY: FigureKey[] = ["allocated", "decided", "paid", "used", "unused", "reclaimed", "repaid", "left"];
const COUNTS: FigureKey[] = ["received", "approved", "partlyApproved", "rejected", "withdrawn", "pending"];
const PROGRESS: FigureKey[] = ["grants", "finalSubmitted", "finalApproved", "overdue"];
const CHART: FigureKey[] = ["allocated", "decided", "paid", "used"];

export default function Overview() {
  const o = useLoaderData<typeof loader>();
  const refused = useActionData<{ formError?: string }>();
  const r = o.governmentReport;
  const errorOf = (field: string) => o.errors.find((e) => e.field === field)?.message;
  const filtered = Boolean(o.filter.year || o.filter.callId);
  const q = o.query;
  const joiner = q ? "&" : "?";
  return (
    <article>
      <p className="breadcrumbs">
        <Link to="/samordning">Samordning</Link>
      </p>
      <h1>Redovisning: {o.assignment.title}</h1>
      <p>
        {o.assignment.reference}, {o.assignment.period}. Samordnas av {o.assignment.coordinating}. Redovisas senast {o.assignment.reportDueOn}.{" "}
        {o.allBoards ? "Du ser alla länsstyrelsers siffror." : "Du ser din länsstyrelses siffror."}
      </p>
      <ErrorSummary title="Filtret kunde inte användas" errors={o.errors.map((e) => ({ href: `#${e.field}`, message: e.message }))} />

      <Form method="get" className="filters" role="search" aria-label="Filtrera siffrorna">
        <div className="field">
          <label htmlFor="ar">År (när utlysningen öppnade)</label>
          <select id="ar" name="ar" defaultValue={o.values.ar} aria-invalid={errorOf("ar") ? true : undefined} aria-describedby={errorOf("ar") ? "ar-error" : undefined}>
            <option value="">Alla år</option>
            {o.options.years.map((y) => (
              <option key={y} value={String(y)}>
                {y}
              </option>
            ))}
          </select>
          {errorOf("ar") ? (
            <p id="ar-error" className="field-error">
              {errorOf("ar")}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="utlysning">Utlysning</label>
          <select
            id="utlysning"
            name="utlysning"
            defaultValue={o.values.utlysning}
            aria-invalid={errorOf("utlysning") ? true : undefined}
            aria-describedby={errorOf("utlysning") ? "utlysning-error" : undefined}
          >
            <option value="">Alla utlysningar</option>
            {o.options.calls.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
          {errorOf("utlysning") ? (
            <p id="utlysning-error" className="field-error">
              {errorOf("utlysning")}
            </p>
          ) : null}
        </div>
        <button type="submit">Visa</button>
        {filtered ? (
          <p>
            <Link to={`/samordning/${o.assignment.id}`}>Visa alla år och utlysningar</Link>
          </p>
        ) : null}
      </Form>

      <section aria-labelledby="government-report">
        <h2 id="government-report">Redovisningen till regeringen</h2>
        {refused?.formError ? <ErrorSummary message={refused.formError} errors={[]} /> : null}
        {o.reportSubmitted ? (
          <p className="notice success" role="status">
            Redovisningen är markerad som lämnad till regeringen.
          </p>
        ) : null}
        <p>
          {r.stateLabel}. {r.stateNext}
          {r.submittedAt ? ` Lämnad ${r.submittedAt}.` : ""}
        </p>
        {r.maySubmit ? (
          <Form method="post">
            <input type="hidden" name="intent" value="SUBMIT_REPORT" />
            <input type="hidden" name="version" value={r.version} />
            <p className="hint">Ladda ner redovisningen och granska den först. När den är lämnad kan den ansvariga länsstyrelsen avsluta uppdraget.</p>
            <button type="submit">Lämna redovisningen till regeringen</button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="downloads">
        <h2 id="downloads">Ladda ner</h2>
        <ul>
          <li>
            <a href={`/samordning/${o.assignment.id}/redovisning.xlsx${q}`} download>
              Exportera redovisning (Excel)
            </a>
          </li>
          <li>
            <a href={`/samordning/${o.assignment.id}/bidrag.csv${q}${joiner}format=excel`} download>
              Beviljade bidrag som CSV för svenska Excel (semikolon)
            </a>
          </li>
          <li>
            <a href={`/samordning/${o.assignment.id}/bidrag.csv${q}${joiner}format=standard`} download>
              Beviljade bidrag som CSV (kommatecken)
            </a>
          </li>
          <li>
            <a href={`/samordning/${o.assignment.id}/360giving.json${q}`} download>
              Öppna data enligt 360Giving (JSON)
            </a>
          </li>
        </ul>
        <Form method="post" action={`/samordning/${o.assignment.id}${q}`}>
          <p>Mycket stora uttag kan du låta göras i bakgrunden. Du får en sida som visar hur långt exporten har kommit och en länk till filen när den är klar.</p>
          <button type="submit">Exportera redovisning i bakgrunden</button>
        </Form>
      </section>

      <section aria-labelledby="per-board">
        <h2 id="per-board">Medel per länsstyrelse</h2>
        <HorizontalBars
          title="Medel per länsstyrelse"
          description={`Tilldelat, beviljat, utbetalt och använt enligt mottagarnas redovisningar för ${o.byBoard.rows.length} länsstyrelser. Samma siffror finns i tabellen nedan.`}
          series={seriesOf(CHART.map(label))}
          groups={o.byBoard.rows.map((r) => ({ label: r.label.replace(/^Länsstyrelsen (i )?/, ""), values: CHART.map((k) => r.chart[k] ?? 0) }))}
          format={shortKronor}
        />
        <FiguresTable caption="Medel per länsstyrelse" rowHeader="Länsstyrelse" figures={MONEY} rows={o.byBoard.rows} total={o.allBoards ? o.byBoard.total : null} />
      </section>

      <section aria-labelledby="applications">
        <h2 id="applications">Ansökningar per länsstyrelse</h2>
        <FiguresTable caption="Ansökningar per länsstyrelse" rowHeader="Länsstyrelse" figures={COUNTS} rows={o.byBoard.rows} total={o.allBoards ? o.byBoard.total : null} />
      </section>

      <section aria-labelledby="reporting">
        <h2 id="reporting">Mottagarnas redovisning</h2>
        <FiguresTable
          caption="Mottagarnas slutredovisningar per länsstyrelse"
          rowHeader="Länsstyrelse"
          figures={PROGRESS}
          rows={o.byBoard.rows}
          total={o.allBoards ? o.byBoard.total : null}
          extra={{ header: "Andel slutredovisade", cell: (r) => percent(r.chart.finalSubmitted ?? 0, r.chart.grants ?? 0) }}
        />
      </section>

      <section aria-labelledby="per-kind">
        <h2 id="per-kind">Per typ av mottagare</h2>
        <FiguresTable
          caption="Per typ av mottagare"
          rowHeader="Typ av mottagare"
          figures={["received", "approved", "partlyApproved", "rejected", "withdrawn", "decided", "paid", "used", "reclaimed"]}
          rows={o.byKind.rows}
          total={o.byKind.total}
          empty="Inga ansökningar i urvalet."
        />
      </section>
    </article>
  );
}
