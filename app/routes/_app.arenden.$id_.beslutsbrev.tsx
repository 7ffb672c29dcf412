// /arenden/:id/beslutsbrev[?beslut=<id>]: the decision letter, printable. The decision
// in force unless a specific (earlier) decision is asked for.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { db } from "~/db.server";
import { loadDecisionLetter } from "~/decisions/letter.server";
import { DecisionLetter } from "~/components/DecisionLetter";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.letter.heading} ${data.letter.registrationNumber} – Utvecklingsmedel` : "Beslut – Utvecklingsmedel" },
];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const decisionId = new URL(request.url).searchParams.get("beslut");
  const letter = await loadDecisionLetter(db(), user, params.id ?? "", decisionId);
  return { letter, caseId: params.id ?? "" };
};

export default function DecisionLetterPage() {
  const { letter, caseId } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="no-print">
        <Link to={`/arenden/${caseId}`}>Tillbaka till ärendet</Link> ·{" "}
        <button type="button" className="link" onClick={() => window.print()}>
          Skriv ut
        </button>
      </p>
      <DecisionLetter letter={letter} />
    </>
  );
}
