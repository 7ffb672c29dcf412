// /uppdrag/:id: one assignment, with budget at a glance for the whole assignment
// or (?lansstyrelse=<board>) for one board's allocation.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { isUuid, notFound, reportBoardIds, requireAssignment, requireAssignmentAccess } from "~/access/permissions.server";
import { loadAssignmentView } from "~/assignments/assignments.server";
import { loadBudgetGlance, wantsAllMunicipalities } from "~/reports/overview.server";
import { BudgetAtAGlance } from "~/components/BudgetAtAGlance";
import { StateBadge, toneOf } from "~/components/StateBadge";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.assignment.title ?? "Uppdrag"} – Utvecklingsmedel` }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  requireAssignmentAccess(user);
  const assignment = await requireAssignment(db(), user, params.id ?? "");
  const view = await loadAssignmentView(db(), assignment.id);
  // One board's allocation, when asked for and the board has one; otherwise the whole assignment.
  const url = new URL(request.url);
  const wanted = url.searchParams.get("lansstyrelse") ?? "";
  const board = isUuid(wanted) ? (view.boards.find((b) => b.boardId === wanted) ?? null) : null;
  // Another board's allocation in detail is that board's (and the coordinators') to see.
  const detail = reportBoardIds(user, assignment.coordinatingBoardId, view.boards.map((b) => b.boardId));
  if (board && detail && !detail.includes(board.boardId)) throw notFound();
  const glance = await loadBudgetGlance(db(), { assignmentId: assignment.id, boardIds: board ? [board.boardId] : null, year: null, callId: null }, board ? "allocation" : "assignment", { allMunicipalities: wantsAllMunicipalities(url) });
  return { assignment: view, board: board ? { id: board.boardId, name: board.board } : null, glance, detailBoards: detail ?? view.boards.map((b) => b.boardId) };
};

export default function AssignmentPage() {
  const { assignment: a, board, glance, detailBoards } = useLoaderData<typeof loader>();
  const choosable = a.boards.filter((b) => detailBoards.includes(b.boardId));
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

      {choosable.length ? (
        <Form method="get" className="filters" aria-label="Välj del av uppdraget">
          <div className="field">
            <label htmlFor="lansstyrelse">Visa budget för</label>
            <select id="lansstyrelse" name="lansstyrelse" defaultValue={board?.id ?? ""}>
              <option value="">Hela uppdraget</option>
              {choosable.map((b) => (
                <option key={b.boardId} value={b.boardId}>
                  {b.board}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Visa</button>
        </Form>
      ) : a.boards.length === 0 ? (
        <p>Inga medel är fördelade till länsstyrelser än.</p>
      ) : null}

      {board ? (
        <BudgetAtAGlance
          glance={glance}
          subject={`tilldelningen till ${board.name}`}
          parts={{ heading: "Per utlysning", rowHeader: "Utlysning", link: (id) => `/utlysningar/${id}/budget` }}
        />
      ) : (
        <BudgetAtAGlance
          glance={glance}
          subject="uppdraget"
          allocatedLabel="Fördelat"
          parts={{ heading: "Per länsstyrelse", rowHeader: "Länsstyrelse", link: (id) => (detailBoards.includes(id) ? `/uppdrag/${a.id}?lansstyrelse=${id}` : null) }}
        />
      )}
    </article>
  );
}
