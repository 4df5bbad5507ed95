/**
 * The period's breakdowns (docs/supervision.md#statistics): cases received by dispute type, organization and
 * county, and the open cases by age (积压账龄), each a bar chart with its table and its download.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Skeleton } from 'antd';
import { errorText } from '../../../api/problems';
import { BarChart } from './BarChart';
import { ChartFigure } from './ChartFigure';
import { Downloads } from './Downloads';
import { BREAKDOWNS, fetchSeries, formatFigure, type Grouping, type MetricId, type Period } from './stats';

export function Breakdowns({ period }: { period: Period }) {
  return (
    <section aria-labelledby="breakdown-heading" className="panel">
      <div className="panel-heading">
        <h2 id="breakdown-heading">分类统计</h2>
      </div>
      <div className="breakdowns">
        {BREAKDOWNS.map((b) => (
          <Breakdown key={`${b.metric}-${b.groupBy}`} {...b} period={period} />
        ))}
      </div>
    </section>
  );
}

function Breakdown({
  metric,
  groupBy,
  title,
  period,
}: {
  metric: MetricId;
  groupBy: Grouping;
  title: string;
  period: Period;
}) {
  const series = useQuery({
    queryKey: ['statistics', 'series', metric, groupBy, period],
    queryFn: () => fetchSeries(metric, groupBy, period),
  });
  if (series.isError)
    return <Alert type="error" showIcon role="alert" title={errorText(series.error, `${title}加载失败，请重试。`)} />;
  if (!series.data) return <Skeleton active />;
  const s = series.data;
  // The age buckets keep their order (youngest first); every other grouping shows the largest first.
  const sorted = groupBy === 'ageBucket' ? s.rows : [...s.rows].sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  const bars = sorted.map((r) => ({
    label: r.label,
    value: r.value ?? 0,
    shown: formatFigure(s.metric.kind, r.value),
  }));
  return (
    <ChartFigure
      title={title}
      columns={[
        { key: 'group', header: s.groupLabel },
        { key: 'value', header: s.metric.label, numeric: true },
      ]}
      rows={bars.map((b) => ({ group: b.label, value: b.shown }))}
      actions={<Downloads what={{ kind: 'series', metric, groupBy }} period={period} name={title} />}
      chart={<BarChart title={title} bars={bars} />}
    />
  );
}
