// /uppdrag/:id: one assignment, with every board's figures side by side.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireAssignment, requireAssignmentAccess } from "~/access/permissions.server";
import { loadAssignmentView } from "~/assignments/assignments.server";
import { BoardFiguresTable } from "~/components/BoardFiguresTable";
import { StateBadge, toneOf } from "~/components/StateBadge";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.assignment.title ?? "Uppdrag"} – Utvecklingsmedel` }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  requireAssignmentAccess(user);
  const assignment = await requireAssignment(db(), user, params.id ?? "");
  return { assignment: await loadAssignmentView(db(), assignment.id) };
};

export default function AssignmentPage() {
  const { assignment: a } = useLoaderData<typeof loader>();
  return (
    <article>
      <p className="breadcrumbs">
        <Link to="/uppdrag">Uppdrag</Link>
      </p>
      <h1>{a.title}</h1>
      <p>
        <StateBadge label={a.stateLabel} tone={toneOf(a.state)} /> {a.stateNext}
      </p>
      <section aria-labelledby="facts">
        <h2 id="facts">Uppgifter</h2>
        <dl className="facts">
          <dt>Diarienummer</dt>
          <dd>{a.reference}</dd>
          <dt>Uppdragsgivare</dt>
          <dd>{a.issuer}</dd>
          <dt>Finansiering</dt>
          <dd>
            {a.fundingReference}
            {a.appropriation ? `, anslag ${a.appropriation}` : ""}
          </dd>
          <dt>Period</dt>
          <dd>{a.period}</dd>
          <dt>Ansvarig länsstyrelse</dt>
          <dd>{a.responsible}</dd>
          <dt>Samordnande länsstyrelse</dt>
          <dd>{a.coordinating}</dd>
          <dt>Redovisas senast</dt>
          <dd>{a.reportDueOn}</dd>
          <dt>Belopp</dt>
          <dd className="amount">{a.total}</dd>
          <dt>Fördelat till länsstyrelser</dt>
          <dd className="amount">{a.allocated}</dd>
          <dt>Ej fördelat</dt>
          <dd className="amount">{a.notAllocated}</dd>
        </dl>
        {a.description ? <p className="prose">{a.description}</p> : null}
      </section>
      <section aria-labelledby="boards">
        <h2 id="boards">Länsstyrelsernas siffror</h2>
        <BoardFiguresTable caption={`Medel per länsstyrelse, ${a.title}`} rows={a.boards} totals={a.totals} />
      </section>
    </article>
  );
}
