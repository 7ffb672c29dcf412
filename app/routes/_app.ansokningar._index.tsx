// /ansokningar: the organization's own applications, with what each needs from the applicant now.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";
import { requireUser } from "~/auth/session.server";
import { listOwnApplications } from "~/applicant/case.server";
import { Pagination } from "~/components/Pagination";
import { StateBadge, toneOf } from "~/components/StateBadge";

export const meta: MetaFunction = () => [{ title: "Våra ansökningar – Utvecklingsmedel" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  return { list: await listOwnApplications(db(), user, new URL(request.url)) };
};

export default function OwnApplications() {
  const { list } = useLoaderData<typeof loader>();
  const href = (page: number) => `/ansokningar?${new URLSearchParams({ ...(list.state ? { status: list.state } : {}), ...(page > 1 ? { sida: String(page) } : {}) })}`;
  return (
    <>
      <h1>Våra ansökningar</h1>
      <p>
        Här ser ni era ansökningar och vad som händer i dem. Vill ni söka nya medel? Se <Link to="/utlysningar">öppna utlysningar</Link>.
      </p>
      {list.rows.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Ansökan</th>
              {list.severalOrganizations ? <th scope="col">Organisation</th> : null}
              <th scope="col">Diarienummer</th>
              <th scope="col">Status</th>
              <th scope="col" className="amount">
                Sökt
              </th>
              <th scope="col" className="amount">
                Beviljat
              </th>
              <th scope="col">Att göra</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <Link to={`/ansokningar/${a.id}`}>{a.title}</Link>
                  <br />
                  <span className="muted">{a.call}</span>
                </th>
                {list.severalOrganizations ? <td>{a.organization}</td> : null}
                <td>{a.registrationNumber ?? "–"}</td>
                <td>
                  <StateBadge label={a.stateLabel} tone={toneOf(a.state)} />
                </td>
                <td className="amount">{a.requested}</td>
                <td className="amount">{a.granted ?? "–"}</td>
                <td>{a.todo || "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="notice">
          Ni har inga ansökningar än. <Link to="/utlysningar">Se vilka utlysningar ni kan söka</Link>.
        </p>
      )}
      <Pagination page={list.page} pages={list.pages} total={list.total} noun="ansökningar" one="ansökan" hrefFor={href} />
    </>
  );
}
