// The columns of a grant row, one list for the workbook's "Beviljade ansökningar"
// sheet and both CSV files, so the files cannot disagree on what a column holds.
// `value` reads a fact (the CSV and 360Giving stream facts); the workbook reads the
// same `facts` row as plain text through `sql` (over `facts f`, board `b`, recipient
// `o`, municipality `m`) and words it with `label`, which `value` uses too.
import { stateLabel } from "~/lib/state-labels";
import { KIND_LABELS, type ApplicationFact } from "./figures.server";

type Sql = { sql: string; label?: (raw: string) => string };
export type GrantColumn = Sql &
  (
    | { header: string; width: number; kind: "text"; value: (f: ApplicationFact) => string | null }
    | { header: string; width: number; kind: "date"; value: (f: ApplicationFact) => Date | null }
    | { header: string; width: number; kind: "money"; value: (f: ApplicationFact) => bigint }
  );

const kindLabel = (kind: string) => KIND_LABELS[kind] ?? kind;
const applicationState = (state: string) => stateLabel("application", state);

export const GRANT_COLUMNS: GrantColumn[] = [
  { header: "Län", width: 6, kind: "text", value: (f) => f.countyCode, sql: `b."countyCode"` },
  { header: "Länsstyrelse", width: 28, kind: "text", value: (f) => f.board, sql: "b.name" },
  { header: "Diarienummer", width: 14, kind: "text", value: (f) => f.registrationNumber, sql: `f."registrationNumber"` },
  { header: "Mottagare", width: 32, kind: "text", value: (f) => f.recipient, sql: "o.name" },
  { header: "Organisationsnummer", width: 14, kind: "text", value: (f) => f.orgNumber, sql: `o."orgNumber"` },
  { header: "Kommun", width: 16, kind: "text", value: (f) => f.municipality, sql: "m.name" },
  { header: "Mottagartyp", width: 16, kind: "text", value: (f) => kindLabel(f.kind), sql: "o.kind", label: kindLabel },
  { header: "Titel", width: 40, kind: "text", value: (f) => f.title, sql: "f.title" },
  { header: "Projektstart", width: 12, kind: "date", value: (f) => f.projectStart, sql: `f."projectStart"` },
  { header: "Projektslut", width: 12, kind: "date", value: (f) => f.projectEnd, sql: `f."projectEnd"` },
  { header: "Beslutsdatum", width: 12, kind: "date", value: (f) => f.decidedOn, sql: "f.decided_on" },
  { header: "Sökt", width: 16, kind: "money", value: (f) => f.requested, sql: `f."requestedOre"` },
  { header: "Beviljat", width: 16, kind: "money", value: (f) => f.decided, sql: "f.decided" },
  { header: "Utbetalt", width: 16, kind: "money", value: (f) => f.paid, sql: "f.paid" },
  { header: "Använt", width: 16, kind: "money", value: (f) => f.used, sql: "f.used" },
  { header: "Outnyttjat", width: 16, kind: "money", value: (f) => f.unused, sql: "f.unused" },
  { header: "Återkrävt", width: 16, kind: "money", value: (f) => f.reclaimed, sql: "f.reclaimed" },
  { header: "Återbetalt", width: 16, kind: "money", value: (f) => f.repaid, sql: "f.repaid" },
  { header: "Status", width: 28, kind: "text", value: (f) => applicationState(f.state), sql: "f.state", label: applicationState },
];
