// Links to the pages of a list. Plain links: works without JavaScript and keeps the filters.
import { Link } from "@remix-run/react";

/** `noun` is the plural ("ärenden"), `one` the singular for a total of exactly 1 ("ärende"); required, so no list forgets it. */
export function Pagination({ page, pages, total, hrefFor, noun, one }: { page: number; pages: number; total: number; hrefFor: (page: number) => string; noun: string; one: string }) {
  if (total === 1) noun = one;
  if (pages <= 1) return <p className="muted">{total} {noun}</p>;
  const shown = pageNumbers(page, pages);
  return (
    <nav className="pagination" aria-label="Sidor">
      <p className="muted">
        {total} {noun}, sida {page} av {pages}
      </p>
      <ul>
        {page > 1 ? (
          <li>
            <Link to={hrefFor(page - 1)} rel="prev">
              Föregående
            </Link>
          </li>
        ) : null}
        {shown.map((p, i) =>
          p === null ? (
            <li key={`gap-${i}`} aria-hidden="true">
              …
            </li>
          ) : (
            <li key={p}>
              {p === page ? (
                <span aria-current="page">{p}</span>
              ) : (
                <Link to={hrefFor(p)} aria-label={`Sida ${p}`}>
                  {p}
                </Link>
              )}
            </li>
          ),
        )}
        {page < pages ? (
          <li>
            <Link to={hrefFor(page + 1)} rel="next">
              Nästa
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** 1 … 4 5 [6] 7 8 … 20 */
export function pageNumbers(page: number, pages: number): (number | null)[] {
  const wanted = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((p) => p >= 1 && p <= pages));
  const sorted = [...wanted].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const [i, p] of sorted.entries()) {
    if (i > 0 && p - sorted[i - 1] > 1) out.push(null);
    out.push(p);
  }
  return out;
}
