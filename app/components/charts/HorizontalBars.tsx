// A horizontal bar chart drawn as SVG on the server (no chart library, no
// JavaScript). Accessible: role="img" with a title and a description, and every
// page that shows a chart shows the same figures in a table beside it.
import { useId } from "react";

export type BarSeries = { label: string; color: string };
export type BarGroup = { label: string; values: number[] };

const PALETTE = ["#1f4e79", "#2e7d32", "#b35900", "#6a1b9a", "#8b0000", "#00695c"];

export function seriesOf(labels: string[]): BarSeries[] {
  return labels.map((label, i) => ({ label, color: PALETTE[i % PALETTE.length] }));
}

export function HorizontalBars({
  title,
  description,
  series,
  groups,
  format,
}: {
  title: string;
  description: string;
  series: BarSeries[];
  groups: BarGroup[];
  /** How a value is written beside its bar (e.g. "1,5 mnkr"). */
  format: (value: number) => string;
}) {
  const id = useId();
  const labelWidth = 210;
  const valueWidth = 90;
  const width = 760;
  const barArea = width - labelWidth - valueWidth;
  const bar = 12;
  const gap = 2;
  const groupGap = 10;
  const legend = 24;
  const groupHeight = series.length * (bar + gap) + groupGap;
  const height = legend + groups.length * groupHeight + 4;
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby={`${id}-t ${id}-d`} style={{ maxWidth: `${width}px`, fontFamily: "inherit" }}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        <g aria-hidden="true">
          {series.map((s, i) => (
            <g key={s.label} transform={`translate(${labelWidth + i * 140}, 4)`}>
              <rect width="12" height="12" fill={s.color} />
              <text x="16" y="11" fontSize="12" fill="#1b1b1b">
                {s.label}
              </text>
            </g>
          ))}
          {groups.map((g, gi) => {
            const y0 = legend + gi * groupHeight;
            return (
              <g key={`${g.label}-${gi}`} transform={`translate(0, ${y0})`}>
                <text x={labelWidth - 8} y={(series.length * (bar + gap)) / 2 + 4} fontSize="12" textAnchor="end" fill="#1b1b1b">
                  {g.label.length > 32 ? `${g.label.slice(0, 31)}…` : g.label}
                </text>
                {g.values.map((v, si) => {
                  const w = Math.max(v > 0 ? 1 : 0, (v / max) * barArea);
                  const y = si * (bar + gap);
                  return (
                    <g key={si}>
                      <rect x={labelWidth} y={y} width={w} height={bar} fill={series[si]?.color ?? "#555"} />
                      <text x={labelWidth + w + 4} y={y + bar - 2} fontSize="11" fill="#1b1b1b">
                        {format(v)}
                      </text>
                    </g>
                  );
                })}
              </g>
            );
          })}
        </g>
      </svg>
    </figure>
  );
}

/** Kronor as a short label for a bar: "20 mnkr", "350 tkr", "800 kr". */
export function shortKronor(kronor: number): string {
  const fmt = (n: number, d: number) => n.toLocaleString("sv-SE", { maximumFractionDigits: d });
  if (Math.abs(kronor) >= 1_000_000) return `${fmt(kronor / 1_000_000, 1)} mnkr`;
  if (Math.abs(kronor) >= 10_000) return `${fmt(kronor / 1000, 0)} tkr`;
  return `${fmt(kronor, 0)} kr`;
}
