// /inbjudan/:token: a colleague accepts an invitation to an organization. A new user
// chooses a name and password; someone who already has an account signs in first.
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { assertSameOrigin } from "~/auth/csrf.server";
import { createSession, getUser } from "~/auth/session.server";
import { acceptInvitation, loadInvitation, MIN_PASSWORD_LENGTH, type FormFailure } from "~/applicant/organization.server";
import { ErrorSummary } from "~/components/ErrorSummary";
import { TextField } from "~/applicant/ui";

export const meta: MetaFunction = () => [{ title: "Inbjudan – Utvecklingsmedel" }];
// The token is in the URL: keep the page out of caches and referrers.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const invitation = await loadInvitation(db(), params.token ?? "");
  const user = await getUser(request, db());
  const data = { invitation, signedInAs: user?.email ?? null, minPasswordLength: MIN_PASSWORD_LENGTH, path: new URL(request.url).pathname };
  return Response.json(data, { status: invitation ? 200 : 410 });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  assertSameOrigin(request);
  const user = await getUser(request, db());
  const result = await acceptInvitation(db(), params.token ?? "", await request.formData(), user);
  if (result.ok) {
    // A new account made while someone else was signed in (a shared computer, a colleague trying the
    // link) signs in as the new account: the page that follows is about the one who joined.
    const headers = user?.id === result.value.userId ? undefined : { "Set-Cookie": await createSession(db(), result.value.userId, request) };
    return redirect("/organisation?klart=inbjudan", { headers });
  }
  if (!("data" in result)) return Response.json({ values: {}, fieldErrors: {}, formError: "Inbjudan gäller inte längre." } satisfies FormFailure, { status: 410 });
  return Response.json(result.data, { status: result.status });
};

type LoaderData = { invitation: Awaited<ReturnType<typeof loadInvitation>>; signedInAs: string | null; minPasswordLength: number; path: string };

export default function Invitation() {
  const { invitation, signedInAs, minPasswordLength, path } = useLoaderData<LoaderData>();
  const failure = useActionData<FormFailure>();
  const e = failure?.fieldErrors ?? {};
  if (!invitation) {
    return (
      <main className="page narrow" id="main">
        <h1>Inbjudan gäller inte längre</h1>
        <p>Länken är redan använd, har gått ut eller har ersatts av en ny inbjudan. Be kollegan som bjöd in dig att skicka en ny.</p>
        <p>
          <Link to="/logga-in">Till inloggningen</Link>
        </p>
      </main>
    );
  }
  const summary = ["name", "password", "passwordConfirm"].filter((f) => e[f]).map((f) => ({ href: `#${f}`, message: e[f] }));
  return (
    <main className="page narrow" id="main">
      <h1>Inbjudan till {invitation.organization}</h1>
      <p>
        Du har bjudits in att söka och följa utvecklingsmedel för {invitation.organization}. Inbjudan gäller {invitation.email} till {invitation.expiresAt}.
      </p>
      {failure ? <ErrorSummary title="Inbjudan kunde inte tas emot" message={failure.formError} errors={summary} /> : null}
      {invitation.hasAccount ? (
        signedInAs === invitation.email ? (
          <Form method="post">
            <p>Du är inloggad som {signedInAs}.</p>
            <button type="submit">Gå med i {invitation.organization}</button>
          </Form>
        ) : (
          <p>
            Det finns redan ett konto för {invitation.email}.{" "}
            <Link to={`/logga-in?redirectTo=${encodeURIComponent(path)}`}>Logga in som {invitation.email}</Link> för att ta emot inbjudan.
          </p>
        )
      ) : (
        <Form method="post" noValidate>
          {signedInAs ? (
            <p>
              Du är inloggad som {signedInAs}. När kontot för {invitation.email} skapas loggas du ut och in på det nya kontot.
            </p>
          ) : null}
          <TextField id="name" label="Ditt namn" required defaultValue={failure?.values.name} error={e.name} autoComplete="name" />
          <TextField id="password" label="Välj lösenord" required type="password" hint={`Minst ${minPasswordLength} tecken.`} error={e.password} autoComplete="new-password" />
          <TextField id="passwordConfirm" label="Skriv lösenordet igen" required type="password" error={e.passwordConfirm} autoComplete="new-password" />
          <button type="submit">Skapa konto och gå med</button>
        </Form>
      )}
    </main>
  );
}
