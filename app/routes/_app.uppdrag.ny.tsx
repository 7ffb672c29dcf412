// /uppdrag/ny: register a government assignment (regeringsuppdrag). Officers and
// admins of the board that becomes responsible for it (ADR 0006).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { forbidden } from "~/access/permissions.server";
import { createAssignmentFromForm, newAssignmentOptions, responsibleBoardIds } from "~/assignments/admin.server";
import { formValues, type FormFailure } from "~/finance/form-fields";
import { SelectField, TextField, summaryOf } from "~/finance/FormField";
import { ErrorSummary } from "~/components/ErrorSummary";

export const meta: MetaFunction = () => [{ title: "Nytt uppdrag – Utvecklingsmedel" }];

const NOT_ALLOWED = "Bara handläggare och administratörer vid en länsstyrelse kan registrera uppdrag.";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  if (responsibleBoardIds(user).length === 0) throw forbidden(NOT_ALLOWED);
  return { options: await newAssignmentOptions(db(), user) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  if (responsibleBoardIds(user).length === 0) throw forbidden(NOT_ALLOWED);
  const result = await createAssignmentFromForm(db(), user, formValues(await request.formData()));
  if (result.ok) return redirect(`/uppdrag/${result.id}/fordela?klart=skapat`);
  return Response.json(result.failure, { status: result.status });
};

export default function NewAssignmentPage() {
  const { options } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const f = { failure };
  const only = options.responsible.length === 1 ? options.responsible[0].value : undefined;
  return (
    <article className="settings">
      <p className="breadcrumbs">
        <Link to="/uppdrag">Uppdrag</Link>
      </p>
      <h1>Nytt uppdrag</h1>
      {failure ? <ErrorSummary message={failure.formError} errors={summaryOf(failure)} /> : null}
      <Form method="post" noValidate>
        <TextField {...f} name="title" label="Uppdragets namn" required />
        <TextField {...f} name="reference" label="Diarienummer eller beteckning" required hint="Till exempel HRV-2026 eller regeringens diarienummer." />
        <TextField {...f} name="issuer" label="Uppdraget kommer från" required value="Regeringen" />
        <TextField {...f} name="fundingReference" label="Regleringsbrev eller regeringsbeslut" required />
        <TextField {...f} name="appropriation" label="Anslag" required hint="Till exempel 3:1." />
        <TextField {...f} name="appropriationItem" label="Anslagspost" />
        <TextField {...f} name="appropriationName" label="Anslagets namn" hint="Till exempel Särskilda jämställdhetsåtgärder." />
        <TextField {...f} name="total" label="Belopp" type="kronor" required hint="Hela uppdragets belopp, till exempel 20 000 000." />
        <TextField {...f} name="periodStart" label="Perioden börjar" type="date" required />
        <TextField {...f} name="periodEnd" label="Perioden slutar" type="date" required />
        <TextField {...f} name="reportDueOn" label="Redovisas senast" type="date" required />
        <SelectField {...f} name="responsibleBoardId" label="Ansvarig länsstyrelse" required options={options.responsible} value={only} />
        <SelectField {...f} name="coordinatingBoardId" label="Samordnande länsstyrelse" required options={options.coordinating} value={only} hint="Den länsstyrelse som sammanställer redovisningen till regeringen." />
        <TextField {...f} name="description" label="Beskrivning" multiline />
        <button type="submit">Registrera uppdraget</button>
      </Form>
    </article>
  );
}
