/**
 * The monthly trend of one metric over the last 12 months and, for the supervisor, its forecast
 * (docs/supervision.md#forecast-and-risk-alerts): the next months dashed with their 80% and 95% bands, the
 * method in one Chinese sentence, its backtest error (MAE, MASE) and the data cut-off. A forecast is labelled
 * 趋势参考 when the history is short, as the server labels it; a server without forecasts shows 暂无预测.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Radio, Skeleton } from 'antd';
import { useState } from 'react';
import { errorText } from '../../../api/problems';
import { ChartFigure, type TableRow } from './ChartFigure';
import { Downloads } from './Downloads';
import { backtestText, fetchForecast, formatBand, formatCount, type ForecastAnswer } from './forecast';
import { fetchSeries, formatFigure, TREND_METRICS, type MetricId, type Period, type Series } from './stats';
import { TrendChart } from './TrendChart';

const METRIC_LABELS: Record<string, string> = {
  received: '登记量',
  accepted: '受理量',
  concluded: '结案数',
  agreements: '调解成功数',
};

export function TrendSection({ period, withForecast }: { period: Period; withForecast: boolean }) {
  const [metric, setMetric] = useState<MetricId>('received');
  const series = useQuery({
    queryKey: ['statistics', 'series', metric, 'month', period],
    queryFn: () => fetchSeries(metric, 'month', period),
  });
  const forecast = useQuery({
    queryKey: ['statistics', 'forecast', metric],
    queryFn: () => fetchForecast(metric),
    enabled: withForecast,
    retry: false,
  });
  return (
    <section aria-labelledby="trend-heading" className="panel">
      <div className="panel-heading">
        <h2 id="trend-heading">月度趋势{withForecast ? '与预测' : ''}</h2>
        <Radio.Group
          aria-label="趋势指标"
          optionType="button"
          value={metric}
          onChange={(e) => setMetric(e.target.value as MetricId)}
          options={TREND_METRICS.map((id) => ({ value: id, label: METRIC_LABELS[id] ?? id }))}
        />
      </div>
      {series.isError ? (
        <Alert type="error" showIcon role="alert" title={errorText(series.error, '趋势加载失败，请重试。')} />
      ) : series.data ? (
        <Trend series={series.data} period={period} forecast={withForecast ? forecast : undefined} />
      ) : (
        <Skeleton active />
      )}
    </section>
  );
}

type ForecastState = { data?: ForecastAnswer | null | undefined; isError: boolean; error: unknown; isPending: boolean };

function Trend({ series, period, forecast }: { series: Series; period: Period; forecast?: ForecastState | undefined }) {
  const title = `${series.metric.label}（按月）`;
  const history = series.rows.map((r) => ({ month: r.key, value: r.value ?? 0 }));
  const f = forecast?.data?.forecast ?? null;
  const points = f?.points ?? [];
  const rows: TableRow[] = [
    ...series.rows.map((r) => ({
      month: r.label,
      kind: r.key === period.to.slice(0, 7) ? '实际（本月至今）' : '实际',
      value: formatFigure(series.metric.kind, r.value),
    })),
    ...points.map((p) => ({
      month: p.month,
      kind: f!.label === '预测' ? '预计' : '趋势参考',
      value: formatCount(p.expected),
      band80: formatBand(p.band80),
      band95: formatBand(p.band95),
    })),
  ];
  const columns = [
    { key: 'month', header: '月份' },
    { key: 'kind', header: '类别' },
    { key: 'value', header: series.metric.label, numeric: true },
    ...(points.length
      ? [
          { key: 'band80', header: '80%区间', numeric: true },
          { key: 'band95', header: '95%区间', numeric: true },
        ]
      : []),
  ];
  const description = `${history.map((p) => `${p.month}${p.month === period.to.slice(0, 7) ? '（本月至今）' : ''} ${p.value}`).join('，')}${
    points.length ? `；${f!.label}：${points.map((p) => `${p.month} 约${formatCount(p.expected)}`).join('，')}` : ''
  }`;
  return (
    <ChartFigure
      title={title}
      columns={columns}
      rows={rows}
      actions={
        <Downloads what={{ kind: 'series', metric: series.metric.id, groupBy: 'month' }} period={period} name={title} />
      }
      chart={
        <TrendChart
          title={title}
          description={description}
          history={history}
          forecast={points}
          cutoff={f?.cutoff}
          partialMonth={period.to.slice(0, 7)}
        />
      }
      note={forecast ? <ForecastNote state={forecast} /> : series.metric.note}
    />
  );
}

function ForecastNote({ state }: { state: ForecastState }) {
  if (state.isPending) return <span>正在计算预测…</span>;
  if (state.isError) return <span>预测暂时无法加载：{errorText(state.error, '请稍后重试。')}</span>;
  const f = state.data?.forecast;
  if (!f || f.points.length === 0) return <span data-testid="forecast-state">暂无预测</span>;
  return (
    <span className="forecast-note" data-testid="forecast-state">
      <strong>{f.label}</strong>：{f.description}
      <br />
      {backtestText(f)}；数据截至 {f.cutoff}（共 {f.historyMonths} 个月）。虚线为
      {f.label === '预测' ? '预计值' : '参考值'}
      ，深浅阴影分别为 80%、95% 区间。
      {f.calendar?.note ? (
        <>
          <br />
          {f.calendar.note}
        </>
      ) : null}
    </span>
  );
}
