// The error summary at the top of a page after a failed form: a heading, the
// message, and a link to each field that needs fixing. It takes focus so that
// screen reader and keyboard users land on it (without JavaScript the page
// reloads and role="alert" announces it).
import { useEffect, useRef } from "react";

export type SummaryError = { href: string; message: string };

export function ErrorSummary({ title = "Det gick inte att spara", message, errors }: { title?: string; message?: string; errors: SummaryError[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [message, errors]);
  if (!message && errors.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={ref}>
      <h2 id="error-summary-title">{title}</h2>
      {message ? <p>{message}</p> : null}
      {errors.length > 0 ? (
        <ul>
          {errors.map((e) => (
            <li key={e.href}>
              <a href={e.href}>{e.message}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
