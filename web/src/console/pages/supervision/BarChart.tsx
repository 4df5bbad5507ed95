/**
 * A breakdown drawn as plain SVG: one horizontal bar per group, largest first, each with its name and its figure
 * written beside it (the length is never the only way to read the number). One image for a screen reader, with
 * the figures in the table beside it (ChartFigure).
 */
import { useId } from 'react';

export type Bar = { label: string; value: number; shown: string };

const W = 520;
const ROW = 28;
const LABEL_W = 180;
const VALUE_W = 64;

export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const titleId = useId();
  const max = Math.max(1, ...bars.map((b) => b.value));
  const H = bars.length * ROW + 8;
  const width = (v: number) => ((W - LABEL_W - VALUE_W) * v) / max;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId} className="chart-svg bar-chart">
      <title id={titleId}>
        {title}：{bars.map((b) => `${b.label} ${b.shown}`).join('，')}
      </title>
      {bars.map((b, i) => (
        <g key={b.label} transform={`translate(0, ${i * ROW + 4})`}>
          <text x={LABEL_W - 8} y={ROW / 2 + 4} textAnchor="end" className="axis">
            {b.label.length > 12 ? `${b.label.slice(0, 11)}…` : b.label}
          </text>
          <rect x={LABEL_W} y={4} width={Math.max(width(b.value), 1)} height={ROW - 10} className="bar" rx={2} />
          <text x={LABEL_W + width(b.value) + 6} y={ROW / 2 + 4} className="value">
            {b.shown}
          </text>
        </g>
      ))}
    </svg>
  );
}
