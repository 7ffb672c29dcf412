// /utlysningar/:id/budget: budget at a glance for one call, for the board's staff and the assignment's coordinators.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireCallFigures } from "~/access/permissions.server";
import { loadBudgetGlance, wantsAllMunicipalities } from "~/reports/overview.server";
import { BudgetAtAGlance } from "~/components/BudgetAtAGlance";
import { pendingDecisionOre } from "~/calls/calls.server";
import { formatKronor } from "~/lib/money";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Budget: ${data?.call.title ?? "Utlysning"} – Utvecklingsmedel` }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const call = await requireCallFigures(db(), user, params.id ?? "");
  const glance = await loadBudgetGlance(db(), { assignmentId: call.allocation.assignmentId, boardIds: null, year: null, callId: call.id }, "call", { allMunicipalities: wantsAllMunicipalities(new URL(request.url)) });
  // A decision waiting for its second decision maker holds money on the call that is not granted yet.
  const pending = (await pendingDecisionOre(db(), [call.id])).get(call.id) ?? 0n;
  return { call: { id: call.id, title: call.title, assignmentId: call.allocation.assignmentId }, glance, pending: pending > 0n ? formatKronor(pending) : null };
};

export default function CallBudget() {
  const { call, glance, pending } = useLoaderData<typeof loader>();
  return (
    <article>
      <p className="breadcrumbs">
        <Link to="/utlysningar">Utlysningar</Link> / <Link to={`/utlysningar/${call.id}`}>{call.title}</Link>
      </p>
      <h1>Budget: {call.title}</h1>
      {pending ? (
        <p className="notice">
          {pending} av det som är kvar att bevilja är reserverat för beslut som väntar på en andra beslutsfattare. Det kan inte beviljas i andra ärenden så länge besluten väntar.
        </p>
      ) : null}
      <BudgetAtAGlance glance={glance} subject="utlysningen" allocatedLabel="Budget" />
    </article>
  );
}
