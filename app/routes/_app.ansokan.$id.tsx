// /ansokan/:id: the applicant's draft, or the application while a completion is requested.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { handleApplicationForm, loadApplicationForm } from "~/applicant/applications.server";
import { ApplicationForm } from "~/applicant/ApplicationForm";
import type { ApplicationFormError } from "~/applicant/application-form";
import { Confirmation } from "~/applicant/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.form.values.title || "Ansökan"} – Utvecklingsmedel` }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const form = await loadApplicationForm(db(), user, { applicationId: params.id ?? "" });
  // Once submitted (and not sent back for completion) the application is read on its case page.
  if (form.mode === "locked") throw redirect(`/ansokningar/${form.applicationId}`);
  return { form, saved: new URL(request.url).searchParams.get("sparad") === "1" };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  const result = await handleApplicationForm(db(), user, request, { applicationId: params.id ?? "" });
  if (result.ok) return redirect(result.redirectTo);
  return Response.json(result.data, { status: result.status });
};

export default function EditApplication() {
  const { form, saved } = useLoaderData<typeof loader>();
  const failure = useActionData<ApplicationFormError>();
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/ansokningar">Våra ansökningar</Link>
        {form.applicationId ? (
          <>
            {" / "}
            <Link to={`/ansokningar/${form.applicationId}`}>Ärendet</Link>
          </>
        ) : null}
      </p>
      <h1>{form.mode === "completion" ? `Komplettera ansökan ${form.registrationNumber ?? ""}` : "Ansökan (utkast)"}</h1>
      <p>
        Utlysning: {form.call.title} ({form.call.board}). Sista ansökningsdag {form.call.closesAt}.
      </p>
      {form.mode === "draft" && !form.callOpen ? <p className="notice">Utlysningen har stängt och tar inte emot ansökningar. Utkastet kan inte längre skickas in.</p> : null}
      {!failure ? <Confirmation text={saved ? "Utkastet är sparat. Ni kan fortsätta nu eller senare." : null} /> : null}
      <ApplicationForm view={form} failure={failure} />
    </>
  );
}
