// /installningar/notiser: which e-mails the user gets, per topic that can reach their roles:
// at once, in a daily digest, or none. Notices in the app always appear. Parsing and saving
// live in app/notices/notices.server.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { loadPreferences, savePreferences, type PreferencesError } from "~/notices/notices.server";
import { EMAIL_MODES, EMAIL_MODE_LABELS, FIELD_PREFIX } from "~/notices/email-modes";
import { ErrorSummary } from "~/components/ErrorSummary";

export const meta: MetaFunction = () => [{ title: "Inställningar för notiser – Utvecklingsmedel" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const groups = await loadPreferences(db(), user);
  // The choices travel with the data: a .server module's exports do not exist in the browser,
  // and the page crashed there as soon as it hydrated.
  const modes = EMAIL_MODES.map((m) => ({ value: m, label: EMAIL_MODE_LABELS[m] }));
  return { groups, modes, fieldPrefix: FIELD_PREFIX, saved: new URL(request.url).searchParams.get("sparat") === "1" };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  const result = await savePreferences(db(), user, await request.formData());
  if (result.ok) return redirect("/installningar/notiser?sparat=1");
  return Response.json(result.data, { status: result.status });
};

const fieldId = (topic: string, mode: string) => `email-${topic}-${mode}`;

export default function NoticeSettingsPage() {
  const { groups, modes, fieldPrefix, saved } = useLoaderData<typeof loader>();
  const error = useActionData<PreferencesError>();
  const busy = useNavigation().state === "submitting";
  const summary = error ? Object.entries(error.fieldErrors).map(([topic, message]) => ({ href: `#${fieldId(topic, modes[0].value)}`, message })) : [];

  return (
    <div className="settings">
      <p className="breadcrumbs">
        <Link to="/notiser">Notiser</Link>
      </p>
      <h1>Inställningar för notiser</h1>
      {error ? <ErrorSummary title="Inställningarna kunde inte sparas" message={error.formError} errors={summary} /> : null}
      {saved && !error ? (
        <p className="notice success" role="status">
          Dina val för e-post är sparade.
        </p>
      ) : null}
      <p>
        Notiser i tjänsten visas alltid under <Link to="/notiser">Notiser</Link>. Här väljer du för varje slags händelse om du också vill få e-post: direkt, samlat i en daglig
        sammanfattning eller inte alls.
      </p>

      {groups.length === 0 ? (
        <p className="muted">Det finns inga e-postutskick för dina roller.</p>
      ) : (
        <Form method="post" noValidate>
          {groups.map((group) => (
            <section key={group.audience} aria-labelledby={`group-${group.audience}`}>
              <h2 id={`group-${group.audience}`}>{group.heading}</h2>
              {group.topics.map(({ topic, label, mode }) => {
                const fieldError = error?.fieldErrors[topic];
                const chosen = error ? error.values[topic] : mode;
                const errorId = `email-${topic}-error`;
                return (
                  <fieldset key={topic} className="radios" aria-describedby={fieldError ? errorId : undefined}>
                    <legend>{label}</legend>
                    {fieldError ? (
                      <p className="field-error" id={errorId}>
                        {fieldError}
                      </p>
                    ) : null}
                    {modes.map(({ value: m, label: modeLabel }) => (
                      <div className="radio" key={m}>
                        <input
                          type="radio"
                          id={fieldId(topic, m)}
                          name={`${fieldPrefix}${topic}`}
                          value={m}
                          // The key makes React apply the choice again after a failed save.
                          key={`${m}-${chosen ?? ""}`}
                          defaultChecked={chosen === m}
                          aria-invalid={fieldError ? true : undefined}
                        />
                        <label htmlFor={fieldId(topic, m)}>{modeLabel}</label>
                      </div>
                    ))}
                  </fieldset>
                );
              })}
            </section>
          ))}
          <button type="submit" disabled={busy}>
            {busy ? "Sparar…" : "Spara"}
          </button>
        </Form>
      )}
    </div>
  );
}
