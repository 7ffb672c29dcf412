// Admin: run the reconciliation and the audit-chain check now.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { forbidden, hasRole } from "~/access/permissions.server";
import { checkIntegrity } from "~/admin/integrity.server";
import { formatDateTime } from "~/lib/dates";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  if (!hasRole(user, "admin")) throw forbidden();
  return checkIntegrity(db());
};

export default function IntegrityPage() {
  const report = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Kontroll av budget och granskningslogg</h1>
      <p className="muted">Kontrollerad {formatDateTime(new Date(report.checkedAt))}.</p>
      <p className="notice" role="status">
        {report.ok ? "Allt stämmer: inga avvikelser i budgetkedjan och granskningsloggen är obruten." : "Avvikelser hittades. Se nedan."}
      </p>
      <h2>Granskningslogg</h2>
      <p>
        {report.audit.events} händelser i {report.audit.cases} ärenden.{" "}
        {report.audit.firstBreak ? `Första brott i kedjan: händelse ${report.audit.firstBreak.eventId} (${report.audit.firstBreak.problem}).` : "Kedjan är obruten."}
      </p>
      <h2>Budgetkedjan</h2>
      {report.violations.length === 0 ? (
        <p>Uppdrag ≥ tilldelningar ≥ utlysningar ≥ beviljat, och utbetalt ≤ beviljat, stämmer för alla rader.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Regel</th>
              <th scope="col">Post</th>
              <th scope="col">Detaljer</th>
            </tr>
          </thead>
          <tbody>
            {report.violations.map((v) => (
              <tr key={v.invariant + v.id}>
                <td>{v.invariant}</td>
                <td>{v.id}</td>
                <td>{v.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
