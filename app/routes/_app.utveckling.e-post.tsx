// /utveckling/e-post: the mail the local SMTP capture has received, so that e-mails can be
// read without a real mailbox. Only for administrators, and only in development or while
// the capture replaces real mail (no SMTP_URL given): once real mail goes out, 404.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { hasRole, notFound } from "~/access/permissions.server";
import { loadCapturedMail } from "~/notices/captured-mail.server";

export const meta: MetaFunction = () => [{ title: "Fångad e-post (utveckling) – Utvecklingsmedel" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const capturing = process.env.MAIL_CAPTURE_ACTIVE === "1";
  if ((process.env.NODE_ENV === "production" && !capturing) || !hasRole(user, "admin")) throw notFound();
  return { mail: await loadCapturedMail() };
};

export default function CapturedMailPage() {
  const { mail } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Fångad e-post</h1>
      <p className="muted">Utvecklingssida: e-post som den lokala e-postservern har tagit emot. Visas inte i produktion.</p>
      {mail === null ? (
        <p className="notice">Ingen e-postfångst är igång.</p>
      ) : mail.length === 0 ? (
        <p className="notice">Ingen e-post har fångats än.</p>
      ) : (
        <>
          <p>{mail.length === 1 ? "1 meddelande" : `${mail.length} meddelanden`}, nyaste först.</p>
          <ol className="plain captured-mail">
            {mail.map((m, i) => (
              <li key={i} className="record">
                <h2>{m.subject || "(inget ämne)"}</h2>
                <dl className="facts">
                  <dt>Tid</dt>
                  <dd>{m.date || "–"}</dd>
                  <dt>Från</dt>
                  <dd>{m.from}</dd>
                  <dt>Till</dt>
                  <dd>{m.to}</dd>
                </dl>
                <details>
                  <summary>Visa texten</summary>
                  <pre className="mail-text">{m.text}</pre>
                </details>
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
