// /utlysningar/ny: start a call (draft) under one of the board's allocations.
// Officers and admins of a board with an allocation (ADR 0006); the budget is
// committed on the allocation in the same transaction, never beyond it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { forbidden } from "~/access/permissions.server";
import { allocationOptions, createCallFromForm, mayCreateCalls, newCallDefaults } from "~/calls/admin.server";
import { formValues, type FormFailure } from "~/finance/form-fields";
import { SelectField, summaryOf } from "~/finance/FormField";
import { CallFormFields } from "~/finance/CallFormFields";
import { ErrorSummary } from "~/components/ErrorSummary";

export const meta: MetaFunction = () => [{ title: "Ny utlysning – Utvecklingsmedel" }];

const NOT_ALLOWED = "Bara handläggare och administratörer vid en länsstyrelse kan skapa utlysningar.";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  if (!mayCreateCalls(user)) throw forbidden(NOT_ALLOWED);
  return { allocations: await allocationOptions(db(), user), defaults: newCallDefaults() };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  if (!mayCreateCalls(user)) throw forbidden(NOT_ALLOWED);
  const result = await createCallFromForm(db(), user, formValues(await request.formData()));
  if (result.ok) return redirect(`/utlysningar/${result.id}/redigera?klart=skapad`);
  return Response.json(result.failure, { status: result.status });
};

export default function NewCallPage() {
  const { allocations, defaults } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  return (
    <article className="settings">
      <p className="breadcrumbs">
        <Link to="/utlysningar">Utlysningar</Link>
      </p>
      <h1>Ny utlysning</h1>
      {failure ? <ErrorSummary message={failure.formError} errors={summaryOf(failure)} /> : null}
      {allocations.length === 0 ? (
        <p className="notice">Din länsstyrelse har ingen tilldelning under ett pågående uppdrag. En utlysning finansieras alltid av en tilldelning.</p>
      ) : (
        <Form method="post" noValidate>
          <SelectField failure={failure} name="allocationId" label="Finansieras av" required options={allocations} value={allocations.length === 1 ? allocations[0].value : undefined} />
          <CallFormFields values={defaults} failure={failure} />
          <button type="submit">Spara som utkast</button>
          <p className="hint">Utlysningen sparas som utkast. Du kan ändra den och sedan publicera den.</p>
        </Form>
      )}
    </article>
  );
}
