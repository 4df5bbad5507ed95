/**
 * 统计分析 (/console/statistics; docs/supervision.md#statistics, seed Art 15): the cards of the period with the
 * change on the period before, the monthly trend (with the forecast and the risk alerts for the supervisor), the
 * breakdowns, each chart with 以表格查看 and its download. The server scopes every figure to whoever asks
 * (statisticsScope: the supervisor every case, a clerk the organization's, a mediator their own), so the same
 * screen is the supervisor's dashboard and the mediator's 我的统计; anyone else gets the not-found page (403).
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Radio, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { PageHeading } from '../../a11y';
import { useSession } from '../../session';
import { isForbidden } from '../case/files';
import { NotFoundPage } from '../NotFoundPage';
import { Alerts } from './Alerts';
import { Breakdowns } from './Breakdowns';
import { Downloads } from './Downloads';
import { KpiCards } from './KpiCards';
import { chinaToday, fetchSummary, PERIOD_CHOICES, periodsOf } from './stats';
import { TrendSection } from './TrendSection';
import './supervision.css';

const TITLES: Record<string, { title: string; scope: string }> = {
  supervisor: { title: '统计分析', scope: '全市各调解组织的全部案件' },
  mediator: { title: '我的统计', scope: '仅您本人承办的案件' },
  clerk: { title: '本组织统计', scope: '本调解组织的案件' },
};

export default function Dashboard() {
  const { principal } = useSession();
  const role = principal?.role ?? '';
  const [months, setMonths] = useState<number>(12);
  const today = chinaToday();
  const { current, previous } = useMemo(() => periodsOf(months, today), [months, today]);
  const year = useMemo(() => periodsOf(12, today).current, [today]);
  // One read decides whether this person reads statistics at all (a 403 is the not-found page).
  const probe = useQuery({ queryKey: ['statistics', 'summary', current], queryFn: () => fetchSummary(current) });
  if (probe.isError && isForbidden(probe.error)) return <NotFoundPage />;
  const t = TITLES[role] ?? { title: '统计分析', scope: '您有权查看的案件' };
  const supervisor = role === 'supervisor';
  return (
    <>
      <PageHeading title={t.title} />
      <Typography.Paragraph>
        统计范围：{t.scope}。统计期间 {current.from} 至 {current.to}（北京时间），与上期 {previous.from} 至{' '}
        {previous.to} 相比。数据来自逐案统计表
        {probe.data ? `，截至 ${new Date(probe.data.asOf).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}` : ''}
        。
      </Typography.Paragraph>
      <div className="dashboard-toolbar">
        <Radio.Group
          aria-label="统计期间"
          optionType="button"
          value={months}
          onChange={(e) => setMonths(Number(e.target.value))}
          options={PERIOD_CHOICES.map((c) => ({ value: c.months, label: c.label }))}
        />
        <span className="toolbar-downloads">
          <Downloads what={{ kind: 'summary' }} period={current} name="统计汇总" />
        </span>
      </div>
      {probe.isError ? null : <KpiCards current={current} previous={previous} />}
      {role === 'mediator' ? (
        <Alert
          type="info"
          showIcon
          style={{ margin: '16px 0' }}
          title="这里只统计您本人承办的案件；其他调解员和调解组织的数字不向您显示。"
        />
      ) : null}
      <TrendSection period={year} withForecast={supervisor} />
      {supervisor ? <Alerts /> : null}
      <Breakdowns period={current} />
    </>
  );
}
