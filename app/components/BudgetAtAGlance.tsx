// Budget at a glance: what there was, what is decided, paid, used according to the
// recipients' reports, reclaimed and left, as figures, as bars, and the same by
// part (boards or calls), by kind of organisation and by municipality.
import { Link, useLocation } from "@remix-run/react";
import type { BudgetGlance } from "~/reports/overview.server";
import type { FigureKey } from "~/reports/view";
import { GLANCE_GROUP_FIGURES, GLANCE_HEADLINE, GLANCE_PART_FIGURES, label } from "~/reports/view";
import { FiguresTable } from "./FiguresTable";
import { HorizontalBars, seriesOf, shortKronor } from "./charts/HorizontalBars";

// The loader sends exactly these figures (app/reports/overview.server.ts).
const HEADLINE = GLANCE_HEADLINE;
const MONEY_COLUMNS = GLANCE_PART_FIGURES;
const GROUP_COLUMNS = GLANCE_GROUP_FIGURES;

/** The same page with every municipality listed (?kommuner=alla), keeping its other parameters. */
function withAllMunicipalities(search: string): string {
  const q = new URLSearchParams(search);
  q.set("kommuner", "alla");
  return `?${q.toString()}#per-kommun`;
}

export function BudgetAtAGlance({
  glance,
  subject,
  allocatedLabel = "Tilldelat",
  parts,
}: {
  glance: BudgetGlance;
  /** "uppdraget", "tilldelningen", "utlysningen": used in captions. */
  subject: string;
  allocatedLabel?: string;
  parts?: { heading: string; rowHeader: string; link?: (key: string) => string | null };
}) {
  const h = glance.headline;
  const m = glance.byMunicipality;
  const location = useLocation();
  const name = (k: FigureKey) => (k === "allocated" ? allocatedLabel : label(k));
  return (
    <section aria-labelledby="budget-glance">
      <h2 id="budget-glance">Budget i korthet</h2>
      <dl className="facts">
        {HEADLINE.map((k) => (
          <div key={k} style={{ display: "contents" }}>
            <dt>{name(k)}</dt>
            <dd className="amount">{h.text[k]}</dd>
          </div>
        ))}
      </dl>
      <HorizontalBars
        title={`Budget i korthet för ${subject}`}
        description={HEADLINE.map((k) => `${name(k)}: ${h.text[k]}`).join(". ")}
        series={seriesOf(["Belopp"])}
        groups={HEADLINE.map((k) => ({ label: name(k), values: [h.chart[k] ?? 0] }))}
        format={shortKronor}
      />
      {parts && glance.parts ? (
        <>
          <h3>{parts.heading}</h3>
          <FiguresTable
            caption={`${parts.heading}, ${subject}`}
            rowHeader={parts.rowHeader}
            figures={MONEY_COLUMNS}
            rows={glance.parts.rows}
            total={glance.parts.total}
            rowLink={parts.link ? (r) => parts.link!(r.key) : undefined}
          />
        </>
      ) : null}
      <h3>Per typ av organisation</h3>
      <FiguresTable caption={`Per typ av organisation, ${subject}`} rowHeader="Typ av organisation" figures={GROUP_COLUMNS} rows={glance.byKind.rows} total={glance.byKind.total} empty="Inga ansökningar än." />
      <h3 id="per-kommun">Per kommun</h3>
      {m.all ? null : (
        <p>
          De {m.rows.length} kommuner där mest har beviljats, av {m.count}. Summaraden gäller alla kommuner.{" "}
          <Link to={withAllMunicipalities(location.search)} preventScrollReset>
            Visa alla {m.count} kommuner
          </Link>
        </p>
      )}
      <FiguresTable
        caption={m.all ? `Per kommun, ${subject}` : `Per kommun, ${subject}: de ${m.rows.length} där mest har beviljats`}
        rowHeader="Kommun"
        figures={GROUP_COLUMNS}
        rows={m.rows}
        total={m.total}
        empty="Inga ansökningar än."
      />
    </section>
  );
}
