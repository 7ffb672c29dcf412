// /organisation: the applicant organization's details, its members, open invitations,
// and a form to invite a colleague by e-mail.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { applicantOrgIds, forbidden } from "~/access/permissions.server";
import { inviteColleague, loadOrganization, type FormFailure } from "~/applicant/organization.server";
import { ErrorSummary } from "~/components/ErrorSummary";
import { Confirmation, TextField } from "~/applicant/ui";

export const meta: MetaFunction = () => [{ title: "Vår organisation – Utvecklingsmedel" }];

const CONFIRM: Record<string, string> = {
  registrerad: "Organisationen är registrerad och du är inloggad. Nu kan du söka utvecklingsmedel under Utlysningar.",
  inbjudan: "Välkommen! Du är nu med i organisationen.",
  inbjuden: "Inbjudan är skickad. Kollegan får ett e-postmeddelande med en länk som gäller i 14 dagar.",
};

function chosenOrg(url: URL, orgIds: string[]): string {
  const wanted = url.searchParams.get("org");
  if (orgIds.length === 0) throw forbidden("Sidan är till för sökande organisationer.");
  return wanted && orgIds.includes(wanted) ? wanted : orgIds[0];
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const ids = applicantOrgIds(user);
  const orgId = chosenOrg(url, ids);
  const others = user.memberships.filter((m) => m.role === "applicant" && m.organizationId !== orgId).map((m) => ({ id: m.organizationId, name: m.organizationName }));
  return { org: await loadOrganization(db(), user, orgId), others, confirmation: CONFIRM[url.searchParams.get("klart") ?? ""] ?? null };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  const form = await request.formData();
  const orgId = String(form.get("organizationId") ?? "");
  const result = await inviteColleague(db(), user, orgId, form);
  if (!result.ok) return Response.json(result.data, { status: result.status });
  return redirect(`/organisation?org=${orgId}&klart=inbjuden`);
};

export default function Organization() {
  const { org, others, confirmation } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  return (
    <>
      <h1>{org.name}</h1>
      <Confirmation text={confirmation} />
      {others.length ? (
        <p>
          Du är också med i:{" "}
          {others.map((o, i) => (
            <span key={o.id}>
              {i > 0 ? ", " : ""}
              <Link to={`/organisation?org=${o.id}`}>{o.name}</Link>
            </span>
          ))}
        </p>
      ) : null}
      <section aria-labelledby="details">
        <h2 id="details">Uppgifter</h2>
        <dl className="facts">
          <dt>Organisationsnummer</dt>
          <dd>{org.orgNumber}</dd>
          <dt>Typ av organisation</dt>
          <dd>{org.kind}</dd>
          <dt>Kommun</dt>
          <dd>{org.municipality ?? "–"}</dd>
          <dt>Län</dt>
          <dd>{org.county ?? "–"}</dd>
        </dl>
      </section>
      <section aria-labelledby="members">
        <h2 id="members">Personer i organisationen</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Namn</th>
              <th scope="col">E-post</th>
              <th scope="col">Roll</th>
            </tr>
          </thead>
          <tbody>
            {org.members.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  {m.name}
                  {m.isMe ? " (du)" : ""}
                </th>
                <td>{m.email}</td>
                <td>{m.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="invite">
        <h2 id="invite">Bjud in en kollega</h2>
        <p>Kollegan får ett e-postmeddelande med en länk. Med den skapar hen ett konto, eller lägger till organisationen i ett konto hen redan har.</p>
        {failure ? <ErrorSummary title="Inbjudan kunde inte skickas" errors={failure.fieldErrors.email ? [{ href: "#email", message: failure.fieldErrors.email }] : []} /> : null}
        <Form method="post" noValidate>
          <input type="hidden" name="organizationId" value={org.id} />
          <TextField id="email" label="Kollegans e-postadress" required type="email" defaultValue={failure?.values.email} error={failure?.fieldErrors.email} inputMode="email" />
          <button type="submit">Skicka inbjudan</button>
        </Form>
        {org.invitations.length ? (
          <>
            <h3>Skickade inbjudningar som inte har besvarats</h3>
            <ul>
              {org.invitations.map((i) => (
                <li key={i.id}>
                  {i.email}, skickad {i.createdAt}, gäller till {i.expiresAt}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </>
  );
}
