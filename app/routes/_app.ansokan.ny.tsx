// /ansokan/ny?utlysning=<callId>: a new application to a call. The first save creates the draft.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { forbidden } from "~/access/permissions.server";
import { handleApplicationForm, loadApplicationForm } from "~/applicant/applications.server";
import { ApplicationForm } from "~/applicant/ApplicationForm";
import type { ApplicationFormError } from "~/applicant/application-form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Ny ansökan: ${data?.form.call.title ?? "utlysning"} – Utvecklingsmedel` }];

const callIdOf = (request: Request) => new URL(request.url).searchParams.get("utlysning") ?? "";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  if (!user.memberships.some((m) => m.role === "applicant")) throw forbidden("Bara sökande organisationer kan ansöka.");
  return { form: await loadApplicationForm(db(), user, { callId: callIdOf(request) }) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  if (!user.memberships.some((m) => m.role === "applicant")) throw forbidden("Bara sökande organisationer kan ansöka.");
  const result = await handleApplicationForm(db(), user, request, { callId: callIdOf(request) });
  if (result.ok) return redirect(result.redirectTo);
  return Response.json(result.data, { status: result.status });
};

export default function NewApplication() {
  const { form } = useLoaderData<typeof loader>();
  const failure = useActionData<ApplicationFormError>();
  return (
    <>
      <p className="breadcrumbs">
        <Link to={`/utlysningar/${form.call.id}`}>{form.call.title}</Link>
      </p>
      <h1>Ny ansökan</h1>
      <p>
        Utlysning: {form.call.title} ({form.call.board}). Sista ansökningsdag {form.call.closesAt}. Ni kan spara ansökan som utkast när som helst och fortsätta
        senare under <Link to="/ansokningar">Våra ansökningar</Link>.
      </p>
      {!form.callOpen ? <p className="notice">Utlysningen är stängd och tar inte emot ansökningar.</p> : null}
      <ApplicationForm view={form} failure={failure} />
    </>
  );
}
