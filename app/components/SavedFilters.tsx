// The user's saved filters of a list: apply (a link), delete (a form), and
// save the current filters under a name. Plain forms: works without JavaScript.
import { Form, Link } from "@remix-run/react";

export type SavedFilterItem = { id: string; name: string; href: string };
export type SaveFilterError = { fieldErrors: { filterName?: string }; values: { filterName?: string } };

export function SavedFilters({ filters, currentQuery, error }: { filters: SavedFilterItem[]; currentQuery: string; error?: SaveFilterError }) {
  const message = error?.fieldErrors.filterName;
  return (
    <section aria-labelledby="saved-filters" className="saved-filters">
      <h2 id="saved-filters">Sparade filter</h2>
      {filters.length ? (
        <ul className="plain">
          {filters.map((f) => (
            <li key={f.id}>
              <Link to={f.href}>{f.name}</Link>{" "}
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="delete-filter" />
                <input type="hidden" name="id" value={f.id} />
                <button type="submit" className="link-button" aria-label={`Ta bort filtret ${f.name}`}>
                  Ta bort
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Du har inga sparade filter.</p>
      )}
      {currentQuery ? (
        <Form method="post" className="save-filter" noValidate>
          <input type="hidden" name="intent" value="save-filter" />
          <input type="hidden" name="query" value={currentQuery} />
          <div className="field">
            <label htmlFor="filterName">Spara nuvarande filter som</label>
            {message ? (
              <p className="field-error" id="filterName-error">
                <span className="sr-only">Fel: </span>
                {message}
              </p>
            ) : null}
            <input id="filterName" name="filterName" type="text" defaultValue={error?.values.filterName ?? ""} aria-invalid={message ? true : undefined} aria-describedby={message ? "filterName-error" : undefined} />
          </div>
          <button type="submit">Spara filter</button>
        </Form>
      ) : null}
    </section>
  );
}
