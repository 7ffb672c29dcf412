// What each figure of an assignment means, in words and as types: shared by the
// server (figures.server.ts, the exports) and the pages (no server imports here).

export type Money = {
  requested: bigint;
  decided: bigint;
  paid: bigint;
  used: bigint;
  unused: bigint;
  reclaimed: bigint;
  repaid: bigint;
};
export type Counts = { received: number; approved: number; partlyApproved: number; rejected: number; withdrawn: number; pending: number };
export type Progress = { grants: number; finalSubmitted: number; finalApproved: number; overdue: number };

export type FigureRow = Money &
  Counts &
  Progress & {
    key: string;
    label: string;
    /** County code (per board), municipality code, kind, or call id. */
    code: string | null;
    /** What the group had to give: the allocation (or the calls' budgets under a filter). Only per board, per call and in totals. */
    allocated: bigint | null;
    /** allocated − decided */
    left: bigint | null;
    /** Σ call budgets under the allocation (per board only). */
    committed: bigint | null;
  };

export const MONEY_KEYS = ["requested", "decided", "paid", "used", "unused", "reclaimed", "repaid"] as const satisfies readonly (keyof Money)[];
export const COUNT_KEYS = ["received", "approved", "partlyApproved", "rejected", "withdrawn", "pending"] as const satisfies readonly (keyof Counts)[];
export const PROGRESS_KEYS = ["grants", "finalSubmitted", "finalApproved", "overdue"] as const satisfies readonly (keyof Progress)[];

/** The words for each figure: shown on the pages and written into the workbook's "Om rapporten". */
export const FIGURE_DEFINITIONS: Record<keyof Money | keyof Counts | keyof Progress | "allocated" | "left" | "committed", { label: string; definition: string }> = {
  allocated: {
    label: "Tilldelat",
    definition: "Länsstyrelsens tilldelning ur uppdraget. Med filter på år eller utlysning: budgeten för utlysningarna i urvalet.",
  },
  requested: { label: "Sökt", definition: "Belopp som de registrerade ansökningarna söker." },
  decided: { label: "Beviljat", definition: "Beviljade belopp enligt gällande beslut (bidrag som upphävts av ett ändrat beslut räknas inte)." },
  paid: { label: "Utbetalt", definition: "Utbetalda belopp (utbetalningar markerade som betalda)." },
  used: { label: "Använt enligt redovisning", definition: "Använt belopp enligt mottagarens senast inlämnade redovisning (slutredovisningen om den finns, annars delredovisningen)." },
  unused: { label: "Outnyttjat", definition: "Outnyttjat belopp enligt inlämnade slutredovisningar." },
  reclaimed: { label: "Återkrävt", definition: "Beslutade återkrav minus eftergivna belopp." },
  repaid: { label: "Återbetalt", definition: "Återbetalda belopp av beslutade återkrav." },
  left: { label: "Kvar att bevilja", definition: "Tilldelat minus beviljat." },
  committed: { label: "I utlysningar", definition: "Summan av utlysningarnas budgetar under tilldelningen." },
  received: { label: "Inkomna", definition: "Registrerade (inlämnade) ansökningar. Utkast räknas inte." },
  approved: { label: "Bifall", definition: "Ansökningar med bifall i gällande beslut." },
  partlyApproved: { label: "Delvis bifall", definition: "Ansökningar med delvis bifall i gällande beslut." },
  rejected: { label: "Avslag", definition: "Ansökningar med avslag i gällande beslut." },
  withdrawn: { label: "Återtagna", definition: "Ansökningar som den sökande har återtagit." },
  pending: { label: "Ej beslutade", definition: "Registrerade ansökningar utan beslut som inte är återtagna." },
  grants: { label: "Bidrag", definition: "Bidrag i kraft (beviljade och inte upphävda)." },
  finalSubmitted: { label: "Slutredovisade", definition: "Bidrag vars slutredovisning har lämnats in." },
  finalApproved: { label: "Godkända slutredovisningar", definition: "Bidrag vars slutredovisning har godkänts av handläggaren." },
  overdue: { label: "Försenade slutredovisningar", definition: "Bidrag vars slutredovisning inte har lämnats in fast sista dag har passerat." },
};

export const KIND_LABELS: Record<string, string> = {
  county_board: "Länsstyrelse",
  government_agency: "Statlig myndighet",
  municipality: "Kommun",
  region: "Region",
  municipal_federation: "Kommunalförbund",
  nonprofit_association: "Ideell förening",
  foundation: "Stiftelse",
  other: "Övrig",
};

export const REJECTION_CATEGORY_LABELS: Record<string, string> = {
  not_eligible: "Sökanden är inte behörig",
  outside_priorities: "Utanför utlysningens prioriteringar",
  low_ranking: "Lägre prioriterad än beviljade ansökningar",
  budget_exhausted: "Medlen räckte inte",
  incomplete: "Ofullständig ansökan",
  other: "Annat skäl",
};
export const NO_REJECTION_CATEGORY = "Ej angiven";

