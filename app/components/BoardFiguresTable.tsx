// Each board's figures under one assignment, side by side, with a totals row.
export type BoardFigureRow = { allocationId: string; board: string; allocated: string; committed: string; granted: string; paid: string; notInCalls: string; leftToGrant: string };
export type BoardFigureTotals = Omit<BoardFigureRow, "allocationId" | "board">;

export function BoardFiguresTable({ caption, rows, totals }: { caption: string; rows: BoardFigureRow[]; totals: BoardFigureTotals | null }) {
  if (rows.length === 0) return <p>Inga medel är fördelade till länsstyrelser än.</p>;
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Länsstyrelse</th>
            <th scope="col" className="amount">
              Tilldelat
            </th>
            <th scope="col" className="amount">
              I utlysningar
            </th>
            <th scope="col" className="amount">
              Beviljat
            </th>
            <th scope="col" className="amount">
              Utbetalt
            </th>
            <th scope="col" className="amount">
              Kvar att utlysa
            </th>
            <th scope="col" className="amount">
              Kvar att bevilja
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.allocationId}>
              <th scope="row">{r.board}</th>
              <td className="amount">{r.allocated}</td>
              <td className="amount">{r.committed}</td>
              <td className="amount">{r.granted}</td>
              <td className="amount">{r.paid}</td>
              <td className="amount">{r.notInCalls}</td>
              <td className="amount">{r.leftToGrant}</td>
            </tr>
          ))}
        </tbody>
        {totals ? (
          <tfoot>
            <tr>
              <th scope="row">Summa</th>
              <td className="amount">{totals.allocated}</td>
              <td className="amount">{totals.committed}</td>
              <td className="amount">{totals.granted}</td>
              <td className="amount">{totals.paid}</td>
              <td className="amount">{totals.notInCalls}</td>
              <td className="amount">{totals.leftToGrant}</td>
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
