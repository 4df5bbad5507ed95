/**
 * The cards: each metric of the period with its change on the period just before (in words and with an arrow
 * character, never a colour alone) and what it counts (the metric's own note from the API, e.g. that 不予受理 is
 * not in the success rate's denominator).
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Skeleton } from 'antd';
import { errorText } from '../../../api/problems';
import { CARD_METRICS, fetchSummary, formatChange, formatFigure, type Period, type SummaryMetric } from './stats';

export function KpiCards({ current, previous }: { current: Period; previous: Period }) {
  const now = useQuery({ queryKey: ['statistics', 'summary', current], queryFn: () => fetchSummary(current) });
  const before = useQuery({ queryKey: ['statistics', 'summary', previous], queryFn: () => fetchSummary(previous) });
  if (now.isError)
    return <Alert type="error" showIcon role="alert" title={errorText(now.error, '统计加载失败，请重试。')} />;
  if (!now.data) return <Skeleton active />;
  const byId = (list: SummaryMetric[] | undefined, id: string) => list?.find((m) => m.id === id);
  return (
    <ul className="kpi-cards" aria-label="主要指标">
      {CARD_METRICS.map(({ id, asOfNow }) => {
        const m = byId(now.data.metrics, id);
        if (!m) return null;
        const prior = byId(before.data?.metrics, id);
        return (
          <li key={id} className="kpi-card" data-metric={id}>
            <span className="kpi-label">{m.label}</span>
            <span className="kpi-value">{formatFigure(m.kind, m.value)}</span>
            <span className="kpi-change">
              {asOfNow
                ? '截至当前'
                : before.data
                  ? formatChange(m.kind, m.value, prior?.value ?? null)
                  : before.isError
                    ? '上期数据未能加载'
                    : '正在对比上期…'}
            </span>
            <span className="kpi-note">口径：{m.note}</span>
          </li>
        );
      })}
    </ul>
  );
}
