// /notiser: the user's own notices, newest first, 25 a page. Reading is a POST (no GET
// changes state): "Markera som läst", "Markera alla som lästa", and "Öppna", which marks
// the notice read and then goes to its case. The query and the rules live in
// app/notices/notices.server.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { handleNoticeAction, listNotices, noticeConfirmation, parsePage } from "~/notices/notices.server";
import { ErrorSummary } from "~/components/ErrorSummary";
import { Pagination } from "~/components/Pagination";
import { unreadLabel } from "~/components/NoticeBell";

export const meta: MetaFunction = () => [{ title: "Notiser – Utvecklingsmedel" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const list = await listNotices(db(), user.id, parsePage(url));
  return { list, confirmation: noticeConfirmation(url.searchParams.get("klart")) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  const result = await handleNoticeAction(db(), user.id, await request.formData());
  if (result.ok) return redirect(result.redirectTo);
  return Response.json({ message: result.message }, { status: result.status });
};

export default function NoticesPage() {
  const { list, confirmation } = useLoaderData<typeof loader>();
  const error = useActionData<{ message: string }>();
  const sida = list.page > 1 ? <input type="hidden" name="sida" value={list.page} /> : null;

  return (
    <>
      <h1>Notiser</h1>
      {error ? <ErrorSummary title="Åtgärden kunde inte genomföras" message={error.message} errors={[]} /> : null}
      {confirmation && !error ? (
        <p className="notice success" role="status">
          {confirmation}
        </p>
      ) : null}

      <div className="notices-head">
        <p>{list.unread > 0 ? `Du har ${unreadLabel(list.unread)}.` : "Du har inga olästa notiser."}</p>
        {list.unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="read-all" />
            {sida}
            <button type="submit" className="secondary">
              Markera alla som lästa
            </button>
          </Form>
        ) : null}
        <p>
          <Link to="/installningar/notiser">Välj vilka e-postmeddelanden du får</Link>
        </p>
      </div>

      {list.items.length === 0 ? (
        <p className="muted">Du har inga notiser.</p>
      ) : (
        <ol className="notices" aria-label="Notiser, nyaste först">
          {list.items.map((n) => (
            <li key={n.id} className={n.unread ? "notice-item unread" : "notice-item"}>
              <h2>
                {n.unread ? <span className="unread-tag">Oläst: </span> : null}
                {n.title}
              </h2>
              <p className="muted">
                <time>{n.at}</time>
              </p>
              <p className="prose">{n.body}</p>
              <div className="notice-actions">
                {n.hasLink ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="open" />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" aria-label={`Öppna ärendet: ${n.title}`}>
                      Öppna
                    </button>
                  </Form>
                ) : null}
                {n.unread ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="read" />
                    <input type="hidden" name="id" value={n.id} />
                    {sida}
                    <button type="submit" className="secondary" aria-label={`Markera som läst: ${n.title}`}>
                      Markera som läst
                    </button>
                  </Form>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
      <Pagination page={list.page} pages={list.pages} total={list.total} noun="notiser" one="notis" hrefFor={(p) => (p > 1 ? `/notiser?sida=${p}` : "/notiser")} />
    </>
  );
}
