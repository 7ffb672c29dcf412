// /utlysningar/:id/redigera: edit a draft call's terms, publish it, close it.
// Everything goes through the call's statechart (EDIT_TERMS, PUBLISH, CLOSE):
// the page offers what allowedEvents offers this user, and the engine refuses
// the rest with the rule's own message.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { forbidden, orgIdsWithRole, requireCall } from "~/access/permissions.server";
import { editCallFromForm, loadCallEdit, sendCallEvent } from "~/calls/admin.server";
import { failure, formValues, type FormFailure } from "~/finance/form-fields";
import { summaryOf } from "~/finance/FormField";
import { CallFormFields } from "~/finance/CallFormFields";
import { ErrorSummary } from "~/components/ErrorSummary";
import { StateBadge, toneOf } from "~/components/StateBadge";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Ändra utlysning: ${data?.call.title ?? ""} – Utvecklingsmedel` }];

const CONFIRMATIONS: Record<string, string> = {
  skapad: "Utlysningen är sparad som utkast.",
  sparad: "Ändringarna är sparade.",
  publicerad: "Utlysningen är publicerad.",
  stangd: "Utlysningen är stängd.",
};

/** The board's own staff only: the board administers its calls (others, even readers of the call, get 403). */
async function requireBoardCall(user: Parameters<typeof orgIdsWithRole>[0], id: string) {
  const call = await requireCall(db(), user, id);
  if (!orgIdsWithRole(user, ["officer", "admin"]).includes(call.boardId)) throw forbidden("Bara handläggare vid länsstyrelsen kan ändra utlysningen.");
  return call;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const call = await requireBoardCall(user, params.id ?? "");
  return { call: await loadCallEdit(db(), user, call.id), confirmation: CONFIRMATIONS[new URL(request.url).searchParams.get("klart") ?? ""] ?? null };
};

const intentSchema = z.object({ intent: z.enum(["edit", "PUBLISH", "CLOSE"]) });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  const call = await requireBoardCall(user, params.id ?? "");
  const values = formValues(await request.formData());
  const intent = intentSchema.safeParse(values);
  if (!intent.success) return Response.json(failure(values, {}, "Begäran är ofullständig. Ladda om sidan och försök igen."), { status: 400 });
  if (intent.data.intent === "edit") {
    const result = await editCallFromForm(db(), user, call.id, values);
    if (result.ok) return redirect(`/utlysningar/${call.id}/redigera?klart=sparad`);
    return Response.json(result.failure, { status: result.status });
  }
  const version = Number(values.version);
  const result = await sendCallEvent(db(), user, call.id, intent.data.intent, Number.isSafeInteger(version) ? version : -1);
  if (result.ok) return redirect(`/utlysningar/${call.id}/redigera?klart=${intent.data.intent === "PUBLISH" ? "publicerad" : "stangd"}`);
  return Response.json(failure(values, {}, result.message), { status: result.status });
};

export default function EditCallPage() {
  const { call: c, confirmation } = useLoaderData<typeof loader>();
  const failed = useActionData<FormFailure>();
  return (
    <article className="settings">
      <p className="breadcrumbs">
        <Link to="/utlysningar">Utlysningar</Link> / <Link to={`/utlysningar/${c.id}`}>{c.title}</Link>
      </p>
      <h1>Ändra utlysning: {c.title}</h1>
      {failed ? <ErrorSummary message={failed.formError} errors={summaryOf(failed)} /> : null}
      {confirmation && !failed ? (
        <p className="notice success" role="status">
          {confirmation}
        </p>
      ) : null}
      <p>
        <StateBadge label={c.stateLabel} tone={toneOf(c.state)} /> {c.stateNext}
      </p>
      <dl className="facts">
        <dt>Länsstyrelse</dt>
        <dd>{c.board}</dd>
        <dt>Uppdrag</dt>
        <dd>{c.assignment}</dd>
        <dt>Budget</dt>
        <dd className="amount">{c.budget}</dd>
        <dt>Kvar att utlysa i tilldelningen</dt>
        <dd className="amount">{c.allocationLeft}</dd>
        <dt>Ansökningstid</dt>
        <dd>
          {c.opensAt} – {c.closesAt}
        </dd>
        {c.closedEarlyAt ? (
          <>
            <dt>Stängdes i förtid</dt>
            <dd>{c.closedEarlyAt}</dd>
          </>
        ) : null}
      </dl>
      {c.closingDayNote ? <p className="notice">{c.closingDayNote}</p> : null}

      {c.mayPublish || c.mayClose ? (
        <section aria-labelledby="state-actions">
          <h2 id="state-actions">Publicera eller stäng</h2>
          {c.mayPublish ? (
            <Form method="post">
              <input type="hidden" name="intent" value="PUBLISH" />
              <input type="hidden" name="version" value={c.version} />
              <p className="hint">När utlysningen är publicerad kan villkoren inte längre ändras.</p>
              <button type="submit">Publicera utlysningen</button>
            </Form>
          ) : null}
          {c.mayClose ? (
            <Form method="post">
              <input type="hidden" name="intent" value="CLOSE" />
              <input type="hidden" name="version" value={c.version} />
              <p className="hint">Stänger utlysningen före sista ansökningsdag. Inga fler ansökningar kan lämnas in.</p>
              <button type="submit" className="secondary">
                Stäng utlysningen
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {c.mayEdit ? (
        <section aria-labelledby="terms">
          <h2 id="terms">Villkor</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="edit" />
            <input type="hidden" name="version" value={c.version} />
            <CallFormFields values={c.values} failure={failed?.values.intent === "edit" ? failed : undefined} />
            <button type="submit">Spara ändringarna</button>
          </Form>
        </section>
      ) : (
        <p className="muted">{c.state === "draft" ? "Bara handläggare vid länsstyrelsen kan ändra villkoren." : c.state === "published" ? "Utlysningen är publicerad. Villkoren kan inte längre ändras." : "Utlysningen är stängd. Villkoren kan inte längre ändras."}</p>
      )}
    </article>
  );
}
