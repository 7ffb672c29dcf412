// Figures as the pages show them: formatted amounts (sv-SE) and plain numbers for
// the charts. Loaders turn FigureRows (bigint öre) into this before they leave the server.
import { formatKronor } from "~/lib/money";
import { COUNT_KEYS, FIGURE_DEFINITIONS, MONEY_KEYS, PROGRESS_KEYS, type FigureRow } from "./definitions";

export type FigureKey = keyof typeof FIGURE_DEFINITIONS;
export type FigureView = {
  key: string;
  label: string;
  code: string | null;
  /** Formatted: "1 500 000 kr" for amounts, "12" for counts, "" where the figure does not apply. Only the figures the page shows. */
  text: Partial<Record<FigureKey, string>>;
  /** Kronor (amounts) or counts, for the charts only: never for sums. Only where the page draws them. */
  chart: Partial<Record<FigureKey, number>>;
};

const AMOUNTS = [...MONEY_KEYS, "allocated", "left", "committed"] as const;

const ALL: readonly FigureKey[] = [...AMOUNTS, ...COUNT_KEYS, ...PROGRESS_KEYS];
const AMOUNT_SET = new Set<FigureKey>(AMOUNTS);

/**
 * A row as the page shows it: `text` for the figures in `shown`, `chart` for those in `charted`
 * (every figure by default). A page that lists 290 municipalities sends only the columns it has.
 */
export function figureView(r: FigureRow, shown: readonly FigureKey[] = ALL, charted: readonly FigureKey[] = ALL): FigureView {
  const text: Partial<Record<FigureKey, string>> = {};
  const chart: Partial<Record<FigureKey, number>> = {};
  for (const k of shown) {
    const v = r[k];
    text[k] = v === null ? "" : AMOUNT_SET.has(k) ? formatKronor(v as bigint) : String(v);
  }
  for (const k of charted) {
    const v = r[k];
    chart[k] = v === null ? 0 : AMOUNT_SET.has(k) ? Number((v as bigint) / 100n) : (v as number);
  }
  return { key: r.key, label: r.label, code: r.code, text, chart };
}

/** Budget at a glance (components/BudgetAtAGlance.tsx): the headline, the parts' columns and the groups' columns. */
export const GLANCE_HEADLINE: FigureKey[] = ["allocated", "decided", "paid", "used", "reclaimed", "left"];
export const GLANCE_PART_FIGURES: FigureKey[] = ["allocated", "decided", "paid", "used", "unused", "reclaimed", "left"];
export const GLANCE_GROUP_FIGURES: FigureKey[] = ["received", "approved", "partlyApproved", "rejected", "decided", "paid", "used", "reclaimed"];

export const label = (k: FigureKey) => FIGURE_DEFINITIONS[k].label;

/** Share in whole percent, or "–" when there is nothing to share. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part * 100) / whole)} %` : "–";
}
