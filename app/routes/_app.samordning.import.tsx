// /samordning/import: import earlier years' grants from the documented template.
// Officers and admins of a board, into their own board's calls. All rows or none;
// a file with errors comes back with a "Fel" column.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireUserForAction } from "~/auth/csrf.server";
import { forbidden, importBoardIds } from "~/access/permissions.server";
import { importGrants } from "~/reports/import.server";
import { ErrorSummary } from "~/components/ErrorSummary";

export const meta: MetaFunction = () => [{ title: "Importera bidrag från tidigare år – Utvecklingsmedel" }];

const MAX_BYTES = 10 * 1024 * 1024;
const NOT_ALLOWED = "Bara handläggare och administratörer vid en länsstyrelse kan importera bidrag.";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  if (importBoardIds(user).length === 0) throw forbidden(NOT_ALLOWED);
  const q = new URL(request.url).searchParams;
  const done = q.has("skapade") ? { created: Number(q.get("skapade")) || 0, skipped: Number(q.get("fanns")) || 0, again: q.get("redan") === "1" } : null;
  return { done };
};

type ActionData = { message: string; fieldError?: string; errors: { line: number; messages: string[] }[]; more: number; errorFile: string | null };

export const action = async ({ request }: ActionFunctionArgs) => {
  const user = await requireUserForAction(request);
  if (importBoardIds(user).length === 0) throw forbidden(NOT_ALLOWED);
  const bad = (fieldError: string) => Response.json({ message: "Filen kunde inte importeras.", fieldError, errors: [], more: 0, errorFile: null } satisfies ActionData, { status: 400 });
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BYTES + 64 * 1024) return bad("Filen är för stor. Största storlek är 10 MB.");
  const form = await request.formData();
  const file = form.get("fil");
  if (!(file instanceof File) || file.size === 0) return bad("Välj en Excel-fil (.xlsx) att importera.");
  if (!/\.xlsx$/i.test(file.name)) return bad("Filen ska vara en Excel-fil (.xlsx). Använd mallen.");
  if (file.size > MAX_BYTES) return bad("Filen är för stor. Största storlek är 10 MB.");
  const result = await importGrants(db(), user, { name: file.name, bytes: Buffer.from(await file.arrayBuffer()) });
  if (result.ok) return redirect(`/samordning/import?skapade=${result.created}&fanns=${result.skipped}${result.alreadyImported ? "&redan=1" : ""}`, 303);
  return Response.json(
    {
      message: result.message,
      errors: result.errors.slice(0, 50),
      more: Math.max(0, result.errors.length - 50),
      // The same workbook with the Fel column, handed back in the page itself (no file is kept on the server).
      errorFile: result.errorWorkbook.length ? `data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,${result.errorWorkbook.toString("base64")}` : null,
    } satisfies ActionData,
    { status: 422 },
  );
};

export default function ImportPage() {
  const { done } = useLoaderData<typeof loader>();
  const failed = useActionData<ActionData>();
  return (
    <article>
      <p className="breadcrumbs">
        <Link to="/samordning">Samordning</Link>
      </p>
      <h1>Importera bidrag från tidigare år</h1>
      {failed ? (
        <ErrorSummary
          title="Ingenting har importerats"
          message={failed.message}
          errors={failed.fieldError ? [{ href: "#fil", message: failed.fieldError }] : failed.errors.map((e) => ({ href: "#fel", message: `Rad ${e.line}: ${e.messages.join(" ")}` }))}
        />
      ) : null}
      {done && !failed ? (
        <p role="status" className="notice success">
          {done.again
            ? "Filen är redan importerad. Inget nytt skapades."
            : `Importen är klar: ${done.created} ${done.created === 1 ? "ärende" : "ärenden"} skapades${done.skipped ? `, ${done.skipped} fanns redan och hoppades över` : ""}.`}
        </p>
      ) : null}
      <p>
        Fyll i <a href="/samordning/import/mall.xlsx">mallen för import (Excel)</a>. Bladet Instruktioner i mallen beskriver varje kolumn. Alla rader kontrolleras först. Är någon rad fel
        importeras ingenting, och du får tillbaka filen med en kolumn Fel. Samma fil eller samma diarienummer två gånger skapar inget nytt.
      </p>
      <Form method="post" encType="multipart/form-data">
        <div className="field">
          <label htmlFor="fil">Excel-fil (.xlsx)</label>
          <input
            id="fil"
            name="fil"
            type="file"
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-invalid={failed?.fieldError ? true : undefined}
            aria-describedby={failed?.fieldError ? "fil-error" : undefined}
          />
          {failed?.fieldError ? (
            <p id="fil-error" className="field-error">
              {failed.fieldError}
            </p>
          ) : null}
        </div>
        <button type="submit">Importera</button>
      </Form>
      {failed && failed.errors.length ? (
        <section aria-labelledby="fel">
          <h2 id="fel">Fel i filen</h2>
          {failed.errorFile ? (
            <p>
              <a href={failed.errorFile} download="import-med-fel.xlsx">
                Ladda ner filen med kolumnen Fel
              </a>
            </p>
          ) : null}
          <ul>
            {failed.errors.map((e) => (
              <li key={e.line}>
                Rad {e.line}: {e.messages.join(" ")}
              </li>
            ))}
          </ul>
          {failed.more ? <p>… och {failed.more} rader till. Alla står i filen ovan.</p> : null}
        </section>
      ) : null}
    </article>
  );
}
