// Sign-in page. A plain form: works without JavaScript; all checks happen on the server.
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { db } from "~/db.server";
import { assertSameOrigin } from "~/auth/csrf.server";
import { attemptSignIn, clientIp } from "~/auth/login.server";
import { MAX_PASSWORD_LENGTH } from "~/auth/password.server";
import { createSession, getUser } from "~/auth/session.server";

type Field = "email" | "password";
type ActionData = { email: string; fieldErrors: Partial<Record<Field, string>>; formError?: string };

// A function, not a module-level schema, so the browser bundle (which has no .server modules) drops it.
function signInSchema() {
  return z.object({
    email: z
      .string()
      .trim()
      .min(1, "Ange din e-postadress.")
      .max(254, "E-postadressen är för lång.")
      .pipe(z.email("Ange en e-postadress i rätt format, till exempel namn@exempel.se.")),
    password: z.string().min(1, "Ange ditt lösenord.").max(MAX_PASSWORD_LENGTH, "Lösenordet är för långt."),
  });
}

/** Only a path on this site: "/x", never "//evil.example" or "/\evil.example" (both leave the site). */
function safeRedirect(to: FormDataEntryValue | string | null): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return "/";
  return to;
}

function waitText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1 ? "1 minut" : `${minutes} minuter`;
}

export const meta: MetaFunction = () => [{ title: "Logga in – Utvecklingsmedel" }];

// Without this export Remix would drop Retry-After from the page a browser without JavaScript gets.
// no-store: the page may echo the typed e-mail, which has no place in a shared computer's cache.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const result = new Headers({ "Cache-Control": "no-store" });
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) result.set("Retry-After", retryAfter);
  return result;
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (await getUser(request, db())) throw redirect("/");
  return { redirectTo: safeRedirect(new URL(request.url).searchParams.get("redirectTo")) };
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  assertSameOrigin(request); // login CSRF: nobody may sign a visitor in to someone else's account
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  const typedEmail = email.slice(0, 320); // echoed back into the form, never the password
  const parsed = signInSchema().safeParse({ email, password: String(form.get("password") ?? "") });
  if (!parsed.success) {
    const fieldErrors: ActionData["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as Field;
      fieldErrors[field] ??= issue.message;
    }
    return Response.json({ email: typedEmail, fieldErrors } satisfies ActionData, { status: 400 });
  }

  const result = await attemptSignIn(db(), { ...parsed.data, ip: clientIp(request, context) });
  if (!result.ok) {
    if (result.reason === "throttled") {
      const seconds = result.retryAfterSeconds ?? 900;
      const formError = `För många misslyckade inloggningsförsök. Vänta ${waitText(seconds)} och försök sedan igen.`;
      return Response.json({ email: typedEmail, fieldErrors: {}, formError } satisfies ActionData, {
        status: 429,
        headers: { "Retry-After": String(seconds) },
      });
    }
    return Response.json({ email: typedEmail, fieldErrors: {}, formError: "Fel e-postadress eller lösenord." } satisfies ActionData, { status: 401 });
  }

  const cookie = await createSession(db(), result.userId, request);
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": cookie } });
};

const LABELS: Record<Field, string> = { email: "E-postadress", password: "Lösenord" };

export default function SignIn() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const submitting = useNavigation().state === "submitting";
  const fieldErrors = actionData?.fieldErrors ?? {};
  const fieldsWithErrors = (Object.keys(LABELS) as Field[]).filter((f) => fieldErrors[f]);
  const hasErrors = fieldsWithErrors.length > 0 || Boolean(actionData?.formError);

  const inputProps = (field: Field) => ({
    id: field,
    name: field,
    required: true,
    "aria-invalid": fieldErrors[field] ? true : undefined,
    "aria-describedby": fieldErrors[field] ? `${field}-error` : undefined,
  });

  return (
    <main className="page narrow" id="main">
      <h1>Logga in</h1>

      {hasErrors ? (
        <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
          <h2 id="error-summary-title">{fieldsWithErrors.length > 0 ? "Rätta följande fel" : "Inloggningen misslyckades"}</h2>
          {actionData?.formError ? <p>{actionData.formError}</p> : null}
          {fieldsWithErrors.length > 0 ? (
            <ul>
              {fieldsWithErrors.map((f) => (
                <li key={f}>
                  <a href={`#${f}`}>{fieldErrors[f]}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {/* noValidate: the server's Swedish messages, not each browser's own, are the ones shown */}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />

        <label htmlFor="email">{LABELS.email}</label>
        {fieldErrors.email ? (
          <p className="field-error" id="email-error">
            {fieldErrors.email}
          </p>
        ) : null}
        <input {...inputProps("email")} type="email" autoComplete="username" inputMode="email" spellCheck={false} defaultValue={actionData?.email ?? ""} />

        <label htmlFor="password">{LABELS.password}</label>
        {fieldErrors.password ? (
          <p className="field-error" id="password-error">
            {fieldErrors.password}
          </p>
        ) : null}
        <input {...inputProps("password")} type="password" autoComplete="current-password" />

        <button type="submit" disabled={submitting}>
          Logga in
        </button>
      </Form>
      <h2>Ny i tjänsten?</h2>
      <p>
        Vill er kommun, region, förening eller stiftelse söka utvecklingsmedel? <Link to="/registrera">Registrera organisation</Link>. Finns organisationen redan
        här, be en kollega att bjuda in dig.
      </p>
    </main>
  );
}
