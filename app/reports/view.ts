// Figures as the pages show them: formatted amounts (sv-SE) and plain numbers for
// the charts. Loaders turn FigureRows (bigint öre) into this before they leave the server.
import { formatKronor } from "~/lib/money";
import { COUNT_KEYS, FIGURE_DEFINITIONS, MONEY_KEYS, PROGRESS_KEYS, type FigureRow } from "./definitions";

export type FigureKey = keyof typeof FIGURE_DEFINITIONS;
export type FigureView = {
  key: string;
  label: string;
  code: string | null;
  /** Formatted: "1 500 000 kr" for amounts, "12" for counts, "" where the figure does not apply. */
  text: Record<FigureKey, string>;
  /** Kronor (amounts) or counts, for the charts only: never for sums. */
  chart: Record<FigureKey, number>;
};

const AMOUNTS = [...MONEY_KEYS, "allocated", "left", "committed"] as const;

export function figureView(r: FigureRow): FigureView {
  const text = {} as Record<FigureKey, string>;
  const chart = {} as Record<FigureKey, number>;
  for (const k of AMOUNTS) {
    const v = r[k];
    text[k] = v === null ? "" : formatKronor(v);
    chart[k] = v === null ? 0 : Number(v / 100n);
  }
  for (const k of [...COUNT_KEYS, ...PROGRESS_KEYS]) {
    text[k] = String(r[k]);
    chart[k] = r[k];
  }
  return { key: r.key, label: r.label, code: r.code, text, chart };
}

export const label = (k: FigureKey) => FIGURE_DEFINITIONS[k].label;

/** Share in whole percent, or "–" when there is nothing to share. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part * 100) / whole)} %` : "–";
}
