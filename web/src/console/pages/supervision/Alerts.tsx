/**
 * 风险预警 (docs/supervision.md#forecast-and-risk-alerts): a dispute type or county whose latest month is above
 * its 95% band, or up on the same month last year by more than the configured share, with the reasons in the
 * server's own words and links to the cases behind it. A server without alerts shows 暂无预测 quietly.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Skeleton } from 'antd';
import { Link } from 'react-router';
import { errorText } from '../../../api/problems';
import { DISPUTE_TYPE_LABELS, label } from '../../labels';
import { fetchAlerts, formatBand, formatCount, type RiskAlert } from './forecast';

/** The cases listed with an alert before the rest are left to the case list. */
const CASES_SHOWN = 10;

const nameOf = (a: RiskAlert) =>
  `${a.dimension === 'county' ? '县（市、区）' : '纠纷类型'}“${a.label ?? label(DISPUTE_TYPE_LABELS, a.key)}”`;

export function Alerts() {
  const alerts = useQuery({ queryKey: ['statistics', 'alerts'], queryFn: fetchAlerts, retry: false });
  return (
    <section aria-labelledby="alerts-heading" className="panel">
      <div className="panel-heading">
        <h2 id="alerts-heading">风险预警</h2>
      </div>
      {alerts.isPending ? (
        <Skeleton active />
      ) : alerts.isError ? (
        <Alert type="warning" showIcon title={errorText(alerts.error, '风险预警暂时无法加载，请稍后重试。')} />
      ) : alerts.data === null ? (
        <p data-testid="alerts-state">暂无预测，风险预警随预测一并提供。</p>
      ) : alerts.data.length === 0 ? (
        <p data-testid="alerts-state">最近一个月没有超出预测区间或较去年同月明显上升的纠纷类型或县（市、区）。</p>
      ) : (
        <ul className="alert-list">
          {alerts.data.map((a) => (
            <AlertItem key={`${a.key}-${a.month}`} a={a} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AlertItem({ a }: { a: RiskAlert }) {
  return (
    <li className="alert-item">
      <h3>
        {nameOf(a)}：{a.month} 实际 {a.actual} 件，预计 {formatCount(a.expected)} 件（95%区间 {formatBand(a.band95)}）
      </h3>
      <ul>
        {a.reasons.map((r) => (
          <li key={r.code}>{r.text}</li>
        ))}
      </ul>
      <p>
        涉及案件（{a.caseIds.length} 件）：
        {a.caseIds.slice(0, CASES_SHOWN).map((id, i) => (
          <Link key={id} to={`/cases/${id}`} className="alert-case">
            案件 {i + 1}
            <span className="sr-only">（{nameOf(a)}）</span>
          </Link>
        ))}
        {a.caseIds.length > CASES_SHOWN ? `等 ${a.caseIds.length} 件` : null}
      </p>
    </li>
  );
}
