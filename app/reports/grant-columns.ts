// The columns of a grant row, one list for the workbook's "Beviljade ansökningar"
// sheet and both CSV files, so the files cannot disagree on what a column holds.
import { stateLabel } from "~/lib/state-labels";
import { KIND_LABELS, type ApplicationFact } from "./figures.server";

export type GrantColumn =
  | { header: string; width: number; kind: "text"; value: (f: ApplicationFact) => string | null }
  | { header: string; width: number; kind: "date"; value: (f: ApplicationFact) => Date | null }
  | { header: string; width: number; kind: "money"; value: (f: ApplicationFact) => bigint };

export const GRANT_COLUMNS: GrantColumn[] = [
  { header: "Län", width: 6, kind: "text", value: (f) => f.countyCode },
  { header: "Länsstyrelse", width: 28, kind: "text", value: (f) => f.board },
  { header: "Diarienummer", width: 14, kind: "text", value: (f) => f.registrationNumber },
  { header: "Mottagare", width: 32, kind: "text", value: (f) => f.recipient },
  { header: "Organisationsnummer", width: 14, kind: "text", value: (f) => f.orgNumber },
  { header: "Kommun", width: 16, kind: "text", value: (f) => f.municipality },
  { header: "Mottagartyp", width: 16, kind: "text", value: (f) => KIND_LABELS[f.kind] ?? f.kind },
  { header: "Titel", width: 40, kind: "text", value: (f) => f.title },
  { header: "Projektstart", width: 12, kind: "date", value: (f) => f.projectStart },
  { header: "Projektslut", width: 12, kind: "date", value: (f) => f.projectEnd },
  { header: "Beslutsdatum", width: 12, kind: "date", value: (f) => f.decidedOn },
  { header: "Sökt", width: 16, kind: "money", value: (f) => f.requested },
  { header: "Beviljat", width: 16, kind: "money", value: (f) => f.decided },
  { header: "Utbetalt", width: 16, kind: "money", value: (f) => f.paid },
  { header: "Använt", width: 16, kind: "money", value: (f) => f.used },
  { header: "Outnyttjat", width: 16, kind: "money", value: (f) => f.unused },
  { header: "Återkrävt", width: 16, kind: "money", value: (f) => f.reclaimed },
  { header: "Återbetalt", width: 16, kind: "money", value: (f) => f.repaid },
  { header: "Status", width: 28, kind: "text", value: (f) => stateLabel("application", f.state) },
];
