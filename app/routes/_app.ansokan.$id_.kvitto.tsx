// /ansokan/:id/kvitto: the receipt after submission: registration number, time, what was sent, what happens next.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { loadReceipt } from "~/applicant/applications.server";
import { applicantNext } from "~/applicant/guidance";
import { stateLabel } from "~/lib/state-labels";
import { Confirmation } from "~/applicant/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Kvitto ${data?.receipt.registrationNumber ?? ""} – Utvecklingsmedel` }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const receipt = await loadReceipt(db(), user, params.id ?? "");
  if (!receipt) throw redirect(`/ansokan/${params.id}`);
  return { receipt, again: new URL(request.url).searchParams.get("redan") === "1", stateLabel: stateLabel("application", receipt.state), next: applicantNext(receipt.state) };
};

export default function Receipt() {
  const { receipt: r, again, stateLabel: label, next } = useLoaderData<typeof loader>();
  return (
    <article>
      <p className="breadcrumbs">
        <Link to="/ansokningar">Våra ansökningar</Link>
      </p>
      <h1>Kvitto: ansökan inskickad</h1>
      <Confirmation text={again ? "Ansökan var redan inskickad. Den har inte skickats en gång till." : `Tack! Ansökan är inskickad och registrerad med diarienummer ${r.registrationNumber}.`} />
      {r.completedAt ? (
        <p className="notice">
          Ansökan kompletterades {r.completedAt}. Kvittot visar ansökan som den skickades in; den senaste versionen finns i <Link to={`/ansokningar/${r.id}`}>ärendet</Link>.
        </p>
      ) : null}
      <dl className="facts">
        <dt>Diarienummer</dt>
        <dd>{r.registrationNumber}</dd>
        <dt>Inskickad</dt>
        <dd>{r.submittedAt}</dd>
        <dt>Projekt</dt>
        <dd>{r.title}</dd>
        <dt>Sökande</dt>
        <dd>{r.applicant}</dd>
        <dt>Utlysning</dt>
        <dd>
          {r.call} ({r.board})
        </dd>
        <dt>Sökt belopp</dt>
        <dd className="amount">{r.requested}</dd>
        <dt>Medfinansiering</dt>
        <dd className="amount">{r.cofunding}</dd>
        <dt>Budget</dt>
        <dd>{r.budgetLines.map((l) => `${l.category}: ${l.amount}`).join("; ")}</dd>
        <dt>Bilagor</dt>
        <dd>{r.attachments.length ? r.attachments.map((f) => f.fileName).join(", ") : "Inga"}</dd>
        <dt>Status</dt>
        <dd>{label}</dd>
      </dl>
      <h2>Vad händer nu?</h2>
      <p>{next}</p>
      <p>Ange diarienumret när ni kontaktar länsstyrelsen om ansökan. Spara eller skriv ut den här sidan som kvitto.</p>
      <p>
        <Link to={`/ansokningar/${r.id}`}>Följ ärendet</Link>
      </p>
    </article>
  );
}
