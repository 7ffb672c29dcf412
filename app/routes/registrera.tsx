// /registrera: a new organization registers itself and its first user, then is signed in.
// Public, a plain form (works without JavaScript); the rules live in app/applicant/organization.server.ts.
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { assertSameOrigin } from "~/auth/csrf.server";
import { createSession, getUser } from "~/auth/session.server";
import { registerOrganization, registrationOptions, type FormFailure } from "~/applicant/organization.server";
import { ErrorSummary } from "~/components/ErrorSummary";
import { SelectField, TextField } from "~/applicant/ui";

export const meta: MetaFunction = () => [{ title: "Registrera organisation – Utvecklingsmedel" }];
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (await getUser(request, db())) throw redirect("/organisation");
  return registrationOptions(db());
};

export const action = async ({ request }: ActionFunctionArgs) => {
  assertSameOrigin(request);
  const result = await registerOrganization(db(), await request.formData());
  if (!result.ok) return Response.json(result.data, { status: result.status });
  const cookie = await createSession(db(), result.value.userId, request);
  return redirect("/organisation?klart=registrerad", { headers: { "Set-Cookie": cookie } });
};

const ORDER = ["orgNumber", "orgName", "kind", "municipalityCode", "name", "email", "password", "passwordConfirm"];

export default function Register() {
  const options = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const v = failure?.values ?? {};
  const e = failure?.fieldErrors ?? {};
  const summary = ORDER.filter((f) => e[f]).map((f) => ({ href: `#${f}`, message: e[f] }));
  return (
    <main className="page narrow" id="main">
      <h1>Registrera organisation</h1>
      <p>
        Kommuner, regioner, kommunalförbund, föreningar och stiftelser som vill söka utvecklingsmedel från länsstyrelsen registrerar sig här. Den som registrerar
        organisationen kan sedan bjuda in kollegor.
      </p>
      <p>
        Finns organisationen redan i tjänsten? Be en kollega att bjuda in dig. Har du redan ett konto? <Link to="/logga-in">Logga in</Link>.
      </p>
      {failure ? <ErrorSummary title="Registreringen kunde inte genomföras" message={failure.formError} errors={summary} /> : null}
      <Form method="post" noValidate>
        <fieldset>
          <legend>Organisationen</legend>
          <TextField id="orgNumber" label="Organisationsnummer" required hint="Tio siffror, till exempel 212000-0142." defaultValue={v.orgNumber} error={e.orgNumber} inputMode="numeric" />
          <TextField id="orgName" label="Organisationens namn" required defaultValue={v.orgName} error={e.orgName} autoComplete="organization" />
          <SelectField id="kind" label="Typ av organisation" required defaultValue={v.kind} error={e.kind} options={options.kinds} />
          <SelectField
            id="municipalityCode"
            label="Kommun där organisationen finns"
            required
            hint="Länet följer av kommunen."
            defaultValue={v.municipalityCode}
            error={e.municipalityCode}
            options={options.municipalities.map((m) => ({ value: m.code, label: m.label }))}
          />
        </fieldset>
        <fieldset>
          <legend>Du som registrerar</legend>
          <TextField id="name" label="Ditt namn" required defaultValue={v.name} error={e.name} autoComplete="name" />
          <TextField id="email" label="Din e-postadress" required type="email" defaultValue={v.email} error={e.email} autoComplete="email" inputMode="email" />
          <TextField id="password" label="Välj lösenord" required type="password" hint={`Minst ${options.minPasswordLength} tecken.`} error={e.password} autoComplete="new-password" />
          <TextField id="passwordConfirm" label="Skriv lösenordet igen" required type="password" error={e.passwordConfirm} autoComplete="new-password" />
        </fieldset>
        <button type="submit">Registrera organisationen</button>
      </Form>
    </main>
  );
}
