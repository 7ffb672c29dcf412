// /samordning/export/:jobId: a background export's progress, then the link to the file.
// With JavaScript the page asks for news every two seconds while the job runs (no
// meta refresh: a page that reloads itself by time fails WCAG 2.2.1); without it,
// the "Uppdatera" link does the same.
import { useEffect } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireOwnExportJob } from "~/reports/export-jobs.server";
import { formatDateTime } from "~/lib/dates";

export const meta: MetaFunction = () => [{ title: "Export i bakgrunden – Utvecklingsmedel" }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const job = await requireOwnExportJob(db(), user, params.jobId ?? "");
  const params_ = job.params as { assignmentId?: string };
  return {
    id: job.id,
    status: job.status,
    rowsDone: job.rowsDone,
    rowsTotal: job.rowsTotal,
    error: job.error,
    createdAt: formatDateTime(job.createdAt),
    finishedAt: job.finishedAt ? formatDateTime(job.finishedAt) : null,
    assignmentId: params_.assignmentId ?? null,
  };
};

const STATUS: Record<string, string> = { queued: "Väntar på att starta", running: "Pågår", done: "Klar", failed: "Misslyckades" };

export default function ExportJobPage() {
  const j = useLoaderData<typeof loader>();
  const total = j.rowsTotal ?? 0;
  const running = j.status === "running" || j.status === "queued";
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  return (
    <article>
      <p className="breadcrumbs">
        <Link to="/samordning">Samordning</Link>
        {j.assignmentId ? (
          <>
            {" / "}
            <Link to={`/samordning/${j.assignmentId}`}>Uppdraget</Link>
          </>
        ) : null}
      </p>
      <h1>Export av redovisning</h1>
      <p role="status">
        {STATUS[j.status] ?? j.status}. Beställd {j.createdAt}
        {j.finishedAt ? `, klar ${j.finishedAt}` : ""}.
      </p>
      {running ? (
        <>
          <label htmlFor="export-progress">Skrivna rader</label>{" "}
          <progress id="export-progress" max={total || 1} value={j.rowsDone}>
            {j.rowsDone} av {total}
          </progress>{" "}
          <span>
            {j.rowsDone.toLocaleString("sv-SE")} av {total ? total.toLocaleString("sv-SE") : "?"} rader
          </span>
          <p>
            Sidan uppdateras medan exporten pågår. <a href={`/samordning/export/${j.id}`}>Uppdatera</a>. Du kan också lämna sidan och komma tillbaka senare.
          </p>
        </>
      ) : null}
      {j.status === "done" ? (
        <p>
          <a href={`/samordning/export/${j.id}/fil`} download>
            Ladda ner redovisningen (Excel, {j.rowsDone.toLocaleString("sv-SE")} rader)
          </a>
        </p>
      ) : null}
      {j.status === "failed" ? <p className="field-error">{j.error}</p> : null}
    </article>
  );
}
