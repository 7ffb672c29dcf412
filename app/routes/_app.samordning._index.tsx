// /samordning: the assignments whose figures the user may see: all boards' for the
// coordinating board, the user's own board's for boards that have money from it.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { listReportAssignments } from "~/reports/overview.server";
import { importBoardIds, requireReportAccess } from "~/access/permissions.server";

export const meta: MetaFunction = () => [{ title: "Samordning – Utvecklingsmedel" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  requireReportAccess(user);
  return { assignments: await listReportAssignments(db(), user), canImport: importBoardIds(user).length > 0 };
};

export default function Coordination() {
  const { assignments, canImport } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Samordning och redovisning</h1>
      <p>Länsstyrelsernas siffror per uppdrag, redovisningen till regeringen som Excel-fil och bidragen som öppna data.</p>
      {assignments.length ? (
        <div className="table-scroll" role="region" aria-label="Uppdrag" tabIndex={0}>
          <table>
            <caption>Uppdrag</caption>
            <thead>
              <tr>
                <th scope="col">Uppdrag</th>
                <th scope="col">Diarienummer</th>
                <th scope="col">Period</th>
                <th scope="col">Samordnande länsstyrelse</th>
                <th scope="col" className="amount">
                  Belopp
                </th>
                <th scope="col">Redovisas senast</th>
                <th scope="col">Ni ser</th>
              </tr>
            </thead>
            <tbody>
              {assignments.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    <Link to={`/samordning/${a.id}`}>{a.title}</Link>
                  </th>
                  <td>{a.reference}</td>
                  <td>{a.period}</td>
                  <td>{a.coordinating}</td>
                  <td className="amount">{a.total}</td>
                  <td>{a.reportDueOn}</td>
                  <td>{a.allBoards ? "Alla länsstyrelser" : "Er länsstyrelse"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>Det finns inga uppdrag med siffror för er länsstyrelse.</p>
      )}
      {canImport ? (
        <p>
          <Link to="/samordning/import">Importera bidrag från tidigare år</Link>
        </p>
      ) : null}
    </>
  );
}
