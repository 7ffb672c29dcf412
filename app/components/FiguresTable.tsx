// A table of figures (app/reports/definitions.ts): one row per board, kind of
// recipient, municipality or call, the chosen figures as columns, and a totals
// row. The same figures the charts draw and the exports write.
import type { ReactNode } from "react";
import { label, type FigureKey, type FigureView } from "~/reports/view";

const COUNT_FIGURES = new Set<FigureKey>(["received", "approved", "partlyApproved", "rejected", "withdrawn", "pending", "grants", "finalSubmitted", "finalApproved", "overdue"]);

export function FiguresTable({
  caption,
  rowHeader,
  figures,
  rows,
  total,
  empty = "Det finns inga siffror att visa.",
  rowLink,
  extra,
}: {
  caption: string;
  rowHeader: string;
  figures: FigureKey[];
  rows: FigureView[];
  total: FigureView | null;
  empty?: string;
  /** A link for the row's label (e.g. a call's budget page). */
  rowLink?: (row: FigureView) => string | null;
  /** One more column computed from a row (e.g. a share in percent). */
  extra?: { header: string; cell: (row: FigureView) => ReactNode };
}) {
  if (rows.length === 0) return <p>{empty}</p>;
  const cell = (r: FigureView, k: FigureKey) => (
    <td key={k} className="amount">
      {r.text[k]}
    </td>
  );
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            {figures.map((k) => (
              <th key={k} scope="col" className="amount">
                {label(k)}
              </th>
            ))}
            {extra ? (
              <th scope="col" className="amount">
                {extra.header}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const href = rowLink?.(r) ?? null;
            return (
              <tr key={r.key}>
                <th scope="row">{href ? <a href={href}>{r.label}</a> : r.label}</th>
                {figures.map((k) => cell(r, k))}
                {extra ? <td className="amount">{extra.cell(r)}</td> : null}
              </tr>
            );
          })}
        </tbody>
        {total ? (
          <tfoot>
            <tr>
              <th scope="row">Summa</th>
              {figures.map((k) => cell(total, k))}
              {extra ? <td className="amount">{extra.cell(total)}</td> : null}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

export const isCountFigure = (k: FigureKey) => COUNT_FIGURES.has(k);
