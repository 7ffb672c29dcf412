// /uppdrag/:id/fordela: allocate an assignment's money to the county boards.
// Each board's share, what is committed to its calls and what is left; one
// board's allocation set at a time, through the budget chain's conditional
// UPDATEs. Officers and admins of the responsible board change it; other staff
// in scope read it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { forbidden, requireAssignment, requireAssignmentAccess } from "~/access/permissions.server";
import { loadAllocationView, mayAdministerAssignment, sendAssignmentEvent, setAllocationFromForm } from "~/assignments/admin.server";
import { RESPONSIBLE_BOARD_EVENTS } from "~/assignments/assignment-events";
import { failure, formValues, type FormFailure } from "~/finance/form-fields";
import { SelectField, TextField, summaryOf } from "~/finance/FormField";
import { ErrorSummary } from "~/components/ErrorSummary";
import { StateBadge, toneOf } from "~/components/StateBadge";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Fördela medel: ${data?.view.title ?? "uppdrag"} – Utvecklingsmedel` }];

const CONFIRMATIONS: Record<string, string> = {
  skapat: "Uppdraget är registrerat. Fördela nu medlen till länsstyrelserna.",
  fordelat: "Tilldelningen är sparad.",
  aktiverat: "Uppdraget är aktiverat.",
  redovisning: "Redovisningen har startat. Samordnaren lämnar den till regeringen under Samordning.",
  avslutat: "Uppdraget är avslutat.",
};
const DONE: Record<(typeof RESPONSIBLE_BOARD_EVENTS)[number], string> = { ACTIVATE: "aktiverat", START_REPORTING: "redovisning", CLOSE: "avslutat" };

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  requireAssignmentAccess(user);
  const assignment = await requireAssignment(db(), user, params.id ?? "");
  const view = await loadAllocationView(db(), user, assignment.id);
  const url = new URL(request.url);
  return { view, mayEdit: mayAdministerAssignment(user, assignment), selectedBoard: url.searchParams.get("lan") ?? "", confirmation: CONFIRMATIONS[url.searchParams.get("klart") ?? ""] ?? null };
};

// "activate" is the older form of { intent: "event", type: "ACTIVATE" }.
const intentSchema = z.object({ intent: z.enum(["allocate", "activate", "event"]) });
const eventSchema = z.object({ type: z.enum(RESPONSIBLE_BOARD_EVENTS) });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  requireAssignmentAccess(user);
  const assignment = await requireAssignment(db(), user, params.id ?? "");
  if (!mayAdministerAssignment(user, assignment)) throw forbidden("Bara handläggare och administratörer vid den ansvariga länsstyrelsen kan fördela uppdragets medel.");
  const values = formValues(await request.formData());
  const intent = intentSchema.safeParse(values);
  if (!intent.success) return Response.json(failure(values, {}, "Begäran är ofullständig. Ladda om sidan och försök igen."), { status: 400 });
  if (intent.data.intent === "activate" || intent.data.intent === "event") {
    const event = intent.data.intent === "activate" ? { success: true as const, data: { type: "ACTIVATE" as const } } : eventSchema.safeParse(values);
    if (!event.success) return Response.json(failure(values, {}, "Begäran är ofullständig. Ladda om sidan och försök igen."), { status: 400 });
    const version = Number(values.version);
    const result = await sendAssignmentEvent(db(), user, assignment.id, event.data.type, Number.isSafeInteger(version) ? version : -1);
    if (result.ok) return redirect(`/uppdrag/${assignment.id}/fordela?klart=${DONE[event.data.type]}`);
    return Response.json(failure(values, {}, result.message), { status: result.status });
  }
  const result = await setAllocationFromForm(db(), user, assignment.id, values);
  if (result.ok) return redirect(`/uppdrag/${assignment.id}/fordela?klart=fordelat`);
  return Response.json(result.failure, { status: result.status });
};

export default function AllocatePage() {
  const { view: v, mayEdit, selectedBoard, confirmation } = useLoaderData<typeof loader>();
  const failed = useActionData<FormFailure>();
  const selected = v.boards.find((b) => b.boardId === selectedBoard);
  return (
    <article>
      <p className="breadcrumbs">
        <Link to="/uppdrag">Uppdrag</Link> / <Link to={`/uppdrag/${v.id}`}>{v.title}</Link>
      </p>
      <h1>Fördela medel: {v.title}</h1>
      {failed ? <ErrorSummary message={failed.formError} errors={summaryOf(failed)} /> : null}
      {confirmation && !failed ? (
        <p className="notice success" role="status">
          {confirmation}
        </p>
      ) : null}
      <p>
        <StateBadge label={v.stateLabel} tone={toneOf(v.state)} /> {v.stateNext}
      </p>
      <dl className="facts">
        <dt>Beteckning</dt>
        <dd>{v.reference}</dd>
        <dt>Period</dt>
        <dd>{v.period}</dd>
        <dt>Ansvarig länsstyrelse</dt>
        <dd>{v.responsible}</dd>
        <dt>Samordnande länsstyrelse</dt>
        <dd>{v.coordinating}</dd>
        <dt>Uppdragets belopp</dt>
        <dd className="amount">{v.total}</dd>
        <dt>Fördelat</dt>
        <dd className="amount">{v.allocated}</dd>
        <dt>Kvar att fördela</dt>
        <dd className="amount" id="left">
          {v.left}
        </dd>
      </dl>

      {mayEdit
        ? v.stateEvents.map((e) => (
            <Form method="post" key={e.type}>
              <input type="hidden" name="intent" value="event" />
              <input type="hidden" name="type" value={e.type} />
              <input type="hidden" name="version" value={v.version} />
              {e.type === "START_REPORTING" ? <p className="hint">Fördelningen kan inte ändras när redovisningen har startat.</p> : null}
              <button type="submit" className={e.type === "ACTIVATE" ? undefined : "secondary"}>
                {e.label}
              </button>
            </Form>
          ))
        : null}

      <div className="table-scroll">
        <table>
          <caption>Länsstyrelsernas andelar</caption>
          <thead>
            <tr>
              <th scope="col">Länsstyrelse</th>
              <th scope="col" className="amount">
                Tilldelat
              </th>
              <th scope="col" className="amount">
                I utlysningar
              </th>
              <th scope="col" className="amount">
                Kvar att utlysa
              </th>
              {mayEdit && v.editable ? <th scope="col">Ändra</th> : null}
            </tr>
          </thead>
          <tbody>
            {v.boards
              .filter((b) => b.amount !== null)
              .map((b) => (
                <tr key={b.boardId}>
                  <th scope="row">{b.board}</th>
                  <td className="amount">{b.amount}</td>
                  <td className="amount">{b.committed}</td>
                  <td className="amount">{b.notInCalls}</td>
                  {mayEdit && v.editable ? (
                    <td>
                      <Link to={`?lan=${b.boardId}#f-amount`} aria-label={`Ändra tilldelningen till ${b.board}`}>
                        Ändra
                      </Link>
                    </td>
                  ) : null}
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      {v.boards.every((b) => b.amount === null) ? <p className="muted">Inga medel är fördelade än.</p> : null}

      {mayEdit && v.editable ? (
        <section aria-labelledby="allocate">
          <h2 id="allocate">Tilldela eller ändra</h2>
          <Form method="post" noValidate className="narrow" key={selectedBoard}>
            <input type="hidden" name="intent" value="allocate" />
            <SelectField failure={failed} name="boardId" label="Länsstyrelse" required options={v.boards.map((b) => ({ value: b.boardId, label: b.board }))} value={selected?.boardId} />
            <TextField failure={failed} name="amount" label="Belopp till länsstyrelsen" type="kronor" required value={selected?.amountInput} hint={`Länsstyrelsens hela andel, inte ett tillägg. Skriv 0 för att ta bort en tilldelning utan utlysningar. Kvar att fördela: ${v.left}.`} />
            <button type="submit">Spara tilldelningen</button>
          </Form>
        </section>
      ) : !v.editable ? (
        <p className="muted">Fördelningen kan inte ändras när uppdraget redovisas eller är avslutat.</p>
      ) : null}
    </article>
  );
}
