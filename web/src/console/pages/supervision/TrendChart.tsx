/**
 * A monthly trend drawn as plain SVG (no chart library: the console loads nothing more for it): the months'
 * figures as a solid line with points, the forecast as a dashed line with its 80% and 95% bands as shaded areas
 * (two shades and a legend in words, so no meaning rests on colour alone). The SVG is one image with a title and
 * a description for screen readers; its figures are in the table beside it (ChartFigure).
 */
import { useId } from 'react';
import type { ForecastPoint } from './forecast';

export type TrendPoint = { month: string; value: number };

const W = 720;
const H = 260;
const PAD = { left: 48, right: 16, top: 16, bottom: 36 };

/** A round step for the axis: 1, 2 or 5 times a power of ten, about four lines over the largest value. */
export function axisStep(max: number): number {
  if (max <= 4) return 1;
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power) as number;
}

const monthLabel = (m: string) => `${Number(m.slice(5, 7))}月`;

function scales(months: string[], top: number) {
  const span = Math.max(months.length - 1, 1);
  const x = (i: number) => PAD.left + ((W - PAD.left - PAD.right) * i) / span;
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / top);
  return { x, y };
}

const path = (pts: [number, number][]) =>
  pts.map(([a, b], i) => `${i ? 'L' : 'M'}${a.toFixed(1)},${b.toFixed(1)}`).join('');

/** The area between a band's lower and upper edges, month by month. */
function bandPath(
  points: { i: number; lower: number; upper: number }[],
  x: (i: number) => number,
  y: (v: number) => number,
) {
  if (points.length === 0) return '';
  const upper = points.map((p) => [x(p.i), y(p.upper)] as [number, number]);
  const lower = [...points].reverse().map((p) => [x(p.i), y(p.lower)] as [number, number]);
  return `${path([...upper, ...lower])}Z`;
}

export function TrendChart({
  title,
  description,
  history,
  forecast = [],
  cutoff,
  partialMonth,
}: {
  title: string;
  description: string;
  history: TrendPoint[];
  forecast?: ForecastPoint[];
  /** The forecast's last month of data: its dashed line starts there, from that month's figure. */
  cutoff?: string | undefined;
  /** This month, still under way: its point is hollow, its figure only so far. */
  partialMonth?: string | undefined;
}) {
  const titleId = useId();
  const descId = useId();
  // One axis for both: the forecast may begin inside the months shown (this month, still under way).
  const months = [...new Set([...history.map((p) => p.month), ...forecast.map((p) => p.month)])].sort();
  const at = new Map(months.map((m, i) => [m, i]));
  const ix = (m: string) => at.get(m) ?? 0;
  const max = Math.max(
    1,
    ...history.map((p) => p.value),
    ...forecast.map((p) => p.band95?.upper ?? p.band80?.upper ?? p.expected),
  );
  const step = axisStep(max);
  const top = Math.ceil(max / step) * step;
  const { x, y } = scales(months, top);
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const start = history.find((p) => p.month === cutoff);
  const forecastLine: [number, number][] = [
    ...(start ? [[x(ix(start.month)), y(start.value)] as [number, number]] : []),
    ...forecast.map((p) => [x(ix(p.month)), y(p.expected)] as [number, number]),
  ];
  const band = (which: 'band80' | 'band95') =>
    bandPath(
      forecast.flatMap((p) => (p[which] ? [{ i: ix(p.month), ...p[which] }] : [])),
      x,
      y,
    );
  return (
    <div className="trend-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${titleId} ${descId}`} className="chart-svg">
        <title id={titleId}>{title}</title>
        <desc id={descId}>{description}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end" className="axis">
              {t}
            </text>
          </g>
        ))}
        {months.map((m, i) => (
          <text key={m} x={x(i)} y={H - PAD.bottom + 18} textAnchor="middle" className="axis">
            {i === 0 || m.endsWith('-01') ? `${m.slice(0, 4)}年${monthLabel(m)}` : monthLabel(m)}
          </text>
        ))}
        <path d={band('band95')} className="band95" />
        <path d={band('band80')} className="band80" />
        <path d={path(history.map((p) => [x(ix(p.month)), y(p.value)]))} className="line-actual" />
        {history.map((p) => (
          <circle
            key={p.month}
            cx={x(ix(p.month))}
            cy={y(p.value)}
            r={p.month === partialMonth ? 5 : 3.5}
            className={p.month === partialMonth ? 'dot-partial' : 'dot-actual'}
          />
        ))}
        {forecast.map((p) => (
          <rect
            key={p.month}
            x={x(ix(p.month)) - 3.5}
            y={y(p.expected) - 3.5}
            width={7}
            height={7}
            className="dot-forecast"
          />
        ))}
        {forecast.length ? <path d={path(forecastLine)} className="line-forecast" /> : null}
      </svg>
      <ul className="chart-legend" aria-hidden="true">
        <li>
          <span className="key key-actual" />
          实际（实线）
        </li>
        {partialMonth && history.some((p) => p.month === partialMonth) ? (
          <li>
            <span className="key key-partial" />
            本月至今（空心圆，未满月）
          </li>
        ) : null}
        {forecast.length ? (
          <>
            <li>
              <span className="key key-forecast" />
              预计（虚线）
            </li>
            <li>
              <span className="key key-band80" />
              80%区间（深色）
            </li>
            <li>
              <span className="key key-band95" />
              95%区间（浅色）
            </li>
          </>
        ) : null}
      </ul>
    </div>
  );
}
