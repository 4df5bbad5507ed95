/**
 * The queue's columns, shared by every role's list: the case (with the court's case number and date when a
 * court delegated it, and its priority groups), the parties, the next deadline, any one clock with its
 * countdown, a judicial confirmation's or notarization's status. Each judged as of when the list was read
 * (`asOf`); whether a deadline is 临期 and how many days are left is the server's count (working days on the
 * holiday calendar), never recounted here.
 */
import { Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import type { QueueRow } from '../../../api/client';
import { CONFIRMATION_STATUS_LABELS, NOTARIZATION_STATUS_LABELS } from '../../../api/vocabulary';
import { formatDate, formatDay, formatDue } from '../../format';
import { CASE_STATUS_LABELS, DEADLINE_RULES, DISPUTE_TYPE_LABELS, label, PRIORITY_GROUP_LABELS } from '../../labels';

export type Clock = QueueRow['clocks'][number];
export type Column = ColumnsType<QueueRow>[number];

/** The case number as a link to the case, with what a court's letter says and the priority groups (seed Art 30). */
export function CaseNumber({ row }: { row: QueueRow }) {
  const court = row.court;
  return (
    <Space orientation="vertical" size={0}>
      <Link to={`/cases/${row.caseId}`}>{row.caseNumber}</Link>
      {court?.courtCaseNumber ? (
        <Typography.Text type="secondary">法院案号 {court.courtCaseNumber}</Typography.Text>
      ) : null}
      {court?.letterNumber ? <Typography.Text type="secondary">函号 {court.letterNumber}</Typography.Text> : null}
      {court?.deadline ? (
        <Typography.Text type="secondary">法院函定期限 {formatDay(court.deadline)}</Typography.Text>
      ) : null}
      {row.priorityGroups?.length ? (
        <Tag>优先服务：{row.priorityGroups.map((g) => label(PRIORITY_GROUP_LABELS, g)).join('、')}</Tag>
      ) : null}
    </Space>
  );
}

/** How long is left: 已超期, 今日到期, or the days left in the period's own unit (working days for a working-day period). */
export function Countdown({
  dueAt,
  near,
  daysLeft,
  asOf,
}: {
  dueAt: string | null;
  near: boolean;
  daysLeft: Clock['daysLeft'];
  asOf: number;
}) {
  if (dueAt && Date.parse(dueAt) <= asOf) return <Tag color="error">已超期</Tag>;
  if (!daysLeft) return null;
  const text =
    daysLeft.n === 0 ? '今日到期' : `还剩 ${daysLeft.n} ${daysLeft.unit === 'working_days' ? '个工作日' : '天'}`;
  return near ? <Tag color="warning">{text}</Tag> : <span>{text}</span>;
}

/** One clock: its period, when it ends, and the countdown (paused clocks say so). */
export function ClockCell({ clock, asOf }: { clock: Clock | undefined; asOf: number }) {
  if (!clock) return <Typography.Text type="secondary">未在计时</Typography.Text>;
  return (
    <Space orientation="vertical" size={0}>
      <span>{DEADLINE_RULES[clock.ruleId]?.label ?? clock.ruleId}</span>
      <span>
        {formatDue(clock.dueAt)}{' '}
        {clock.status === 'paused' ? (
          <Tag>期限暂停中</Tag>
        ) : (
          <Countdown dueAt={clock.dueAt} near={clock.near} daysLeft={clock.daysLeft} asOf={asOf} />
        )}
        {clock.provisional ? <Tag>暂按法定节假日计算</Tag> : null}
      </span>
    </Space>
  );
}

/** The next deadline of a row, with the countdown of its clock. */
export function NextDue({ row, asOf }: { row: QueueRow; asOf: number }) {
  if (!row.nextDue) return <Typography.Text type="secondary">无计时中的期限</Typography.Text>;
  const clock = row.clocks.find((c) => c.ruleId === row.nextDue!.ruleId);
  return (
    <Space orientation="vertical" size={0}>
      <span>{DEADLINE_RULES[row.nextDue.ruleId]?.label ?? row.nextDue.ruleId}</span>
      <span>
        {formatDue(row.nextDue.dueAt)}{' '}
        <Countdown dueAt={row.nextDue.dueAt} near={row.nextDue.near} daysLeft={clock?.daysLeft ?? null} asOf={asOf} />
        {row.nextDue.provisional ? <Tag>暂按法定节假日计算</Tag> : null}
      </span>
    </Space>
  );
}

/** The latest process of a kind (sent to this institution, when one is named). */
export function latestProcess(row: QueueRow, kind: 'judicial_confirmation' | 'notarization', institutionId?: string) {
  return row.processes.filter((p) => p.kind === kind && (!institutionId || p.institutionId === institutionId)).at(-1);
}

export const columns = {
  caseNumber: (): Column => ({ title: '案号', key: 'caseNumber', render: (_v, row) => <CaseNumber row={row} /> }),
  parties: (): Column => ({ title: '当事人', key: 'parties', render: (_v, row) => row.parties.join('、') || '—' }),
  disputeType: (): Column => ({
    title: '纠纷类型',
    key: 'disputeType',
    render: (_v, row) => label(DISPUTE_TYPE_LABELS, row.disputeType),
  }),
  status: (): Column => ({
    title: '状态',
    key: 'status',
    render: (_v, row) => <Tag>{label(CASE_STATUS_LABELS, row.status)}</Tag>,
  }),
  nextDue: (asOf: number): Column => ({
    title: '下一期限',
    key: 'nextDue',
    render: (_v, row) => <NextDue row={row} asOf={asOf} />,
  }),
  receivedAt: (): Column => ({ title: '收案日期', key: 'receivedAt', render: (_v, row) => formatDate(row.receivedAt) }),
  /** The first running clock of these periods. */
  clock: (title: string, ruleIds: readonly string[], asOf: number): Column => ({
    title,
    key: `clock-${ruleIds.join('-')}`,
    render: (_v, row) => <ClockCell clock={row.clocks.find((c) => ruleIds.includes(c.ruleId))} asOf={asOf} />,
  }),
  process: (title: string, kind: 'judicial_confirmation' | 'notarization', institutionId?: string): Column => ({
    title,
    key: `process-${kind}`,
    render: (_v, row) => {
      const p = latestProcess(row, kind, institutionId);
      if (!p) return '—';
      const labels: Record<string, string> =
        kind === 'judicial_confirmation' ? CONFIRMATION_STATUS_LABELS : NOTARIZATION_STATUS_LABELS;
      return (
        <Space orientation="vertical" size={0}>
          <Tag>{label(labels, p.status)}</Tag>
          {p.courtCaseNumber ? <Typography.Text type="secondary">立案案号 {p.courtCaseNumber}</Typography.Text> : null}
          {p.certificateNumber ? (
            <Typography.Text type="secondary">公证书 {p.certificateNumber}</Typography.Text>
          ) : null}
        </Space>
      );
    },
  }),
};

/** The clerk's queue (and the supervisor's): the case, parties, type, status, next deadline, received. */
export const standardColumns = (asOf: number): ColumnsType<QueueRow> => [
  columns.caseNumber(),
  columns.parties(),
  columns.disputeType(),
  columns.status(),
  columns.nextDue(asOf),
  columns.receivedAt(),
];
