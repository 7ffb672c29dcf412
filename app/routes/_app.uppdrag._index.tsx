// /uppdrag: the government assignments the user's boards run, receive money from, or coordinate.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { requireAssignmentAccess } from "~/access/permissions.server";
import { listAssignments } from "~/assignments/assignments.server";
import { Pagination } from "~/components/Pagination";
import { StateBadge, toneOf } from "~/components/StateBadge";

export const meta: MetaFunction = () => [{ title: "Uppdrag – Utvecklingsmedel" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  requireAssignmentAccess(user);
  const page = Number(new URL(request.url).searchParams.get("sida") ?? "1");
  return { list: await listAssignments(db(), user, Number.isSafeInteger(page) ? page : 1) };
};

export default function Assignments() {
  const { list } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Uppdrag</h1>
      {list.rows.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Diarienummer</th>
              <th scope="col">Uppdrag</th>
              <th scope="col">Ansvarig</th>
              <th scope="col">Samordnande</th>
              <th scope="col">Period</th>
              <th scope="col" className="amount">
                Belopp
              </th>
              <th scope="col" className="amount">
                Fördelat
              </th>
              <th scope="col" className="amount">
                Ej fördelat
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((a) => (
              <tr key={a.id}>
                <td>{a.reference}</td>
                <th scope="row">
                  <Link to={`/uppdrag/${a.id}`}>{a.title}</Link>
                </th>
                <td>{a.responsible}</td>
                <td>{a.coordinating}</td>
                <td>{a.period}</td>
                <td className="amount">{a.total}</td>
                <td className="amount">{a.allocated}</td>
                <td className="amount">{a.notAllocated}</td>
                <td>
                  <StateBadge label={a.stateLabel} tone={toneOf(a.state)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Det finns inga uppdrag för era länsstyrelser.</p>
      )}
      <Pagination page={list.page} pages={list.pages} total={list.total} noun="uppdrag" one="uppdrag" hrefFor={(p) => (p > 1 ? `/uppdrag?sida=${p}` : "/uppdrag")} />
    </>
  );
}
