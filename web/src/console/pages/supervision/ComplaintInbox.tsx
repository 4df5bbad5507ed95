/**
 * 投诉处理 (/console/complaints; docs/supervision.md#complaints, seed Art 59): the complaints this person may read
 * (GET /complaints: every complaint for the supervisor, newest first; anyone else their own), each with its next
 * due time and its clock in words: 已超期 for a clock the server says has run out, 即将到期 within 3 days, else
 * the days left. The tracking number opens the complaint with the actions the server offers on it.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { api, ok } from '../../../api/client';
import { errorText } from '../../../api/problems';
import {
  COMPLAINT_CLOCK_LABELS,
  COMPLAINT_GROUND_LABELS,
  TARGET_KIND_LABELS,
  type ComplaintSummary,
} from '../../../shared/complaint-labels';
import { PageHeading } from '../../a11y';
import { daysUntil, formatDateTime, formatDue } from '../../format';
import { label } from '../../labels';
import { isForbidden } from '../case/files';
import { NotFoundPage } from '../NotFoundPage';
import { CaseNumberLink } from './CaseNumberLink';
import './supervision.css';

/** Days left at which a clock is shown as 即将到期 (calendar days: a cue to look, not a rule). */
const NEAR_DAYS = 3;

/** A clock in words, never in colour alone. */
export function ClockCell({ nextDueAt, overdue }: { nextDueAt: string | null; overdue: readonly string[] }) {
  const late = overdue.map((id) => label(COMPLAINT_CLOCK_LABELS, id));
  if (!nextDueAt && late.length === 0) return <span>无计时期限</span>;
  const days = nextDueAt ? daysUntil(nextDueAt) : null;
  return (
    <span className="clock-cell">
      {late.length ? <Tag color="error">已超期：{late.join('、')}</Tag> : null}
      {nextDueAt ? (
        <>
          <time dateTime={nextDueAt}>{formatDue(nextDueAt)}</time>{' '}
          {days !== null && days < 0 ? (
            <Tag color="error">已过期限</Tag>
          ) : days !== null && days <= NEAR_DAYS ? (
            <Tag color="warning">即将到期（剩 {days} 天）</Tag>
          ) : (
            <Typography.Text type="secondary">（剩 {days} 天）</Typography.Text>
          )}
        </>
      ) : null}
    </span>
  );
}

const columns: ColumnsType<ComplaintSummary> = [
  {
    title: '投诉编号',
    key: 'trackingNumber',
    render: (_v, c) => <Link to={`/complaints/${c.complaintId}`}>{c.trackingNumber}</Link>,
  },
  { title: '投诉事由', key: 'ground', render: (_v, c) => label(COMPLAINT_GROUND_LABELS, c.ground) },
  { title: '投诉对象', key: 'target', render: (_v, c) => label(TARGET_KIND_LABELS, c.targetKind) },
  {
    title: '收到时间',
    key: 'receivedAt',
    render: (_v, c) => <time dateTime={c.receivedAt}>{formatDateTime(c.receivedAt)}</time>,
  },
  { title: '状态', key: 'status', render: (_v, c) => <Tag>{c.statusLabel}</Tag> },
  { title: '下一期限', key: 'clock', render: (_v, c) => <ClockCell nextDueAt={c.nextDueAt} overdue={c.overdue} /> },
  {
    // 案号 only for a reader the server lets see the case (not a target or investigator outside it).
    title: '案号',
    key: 'case',
    render: (_v, c) =>
      c.caseNumber ? (
        <CaseNumberLink caseId={c.caseId} caseNumber={c.caseNumber} about={`投诉 ${c.trackingNumber} 所涉案件`} />
      ) : (
        '—'
      ),
  },
];

export default function ComplaintInbox() {
  const list = useQuery({ queryKey: ['complaints'], queryFn: () => ok(api.GET('/complaints')) });
  if (list.isError && isForbidden(list.error)) return <NotFoundPage />;
  const rows = list.data?.complaints ?? [];
  const late = rows.filter((c) => c.overdue.length > 0).length;
  return (
    <>
      <PageHeading title="投诉处理" />
      <Typography.Paragraph>
        当事人通过网上、电话、信函或来访提出的投诉，最新的在前。受理审查 5 个工作日、处理决定 45
        日（经批准可延长）、作出决定后 5 个工作日内答复投诉人；每件投诉的下一期限及已超期的期限列在表中。
      </Typography.Paragraph>
      {list.isError ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={errorText(list.error, '投诉清单加载失败，请重试。')}
          action={<Button onClick={() => void list.refetch()}>重试</Button>}
        />
      ) : null}
      <section aria-labelledby="complaints-heading" className="panel">
        <div className="panel-heading">
          <h2 id="complaints-heading">
            {list.data ? `投诉（${rows.length} 件${late ? `，其中 ${late} 件有期限已超期` : ''}）` : '投诉'}
          </h2>
          <Button onClick={() => void list.refetch()} loading={list.isFetching}>
            刷新
          </Button>
        </div>
        <Table<ComplaintSummary>
          rowKey="complaintId"
          columns={columns}
          dataSource={rows}
          loading={list.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '暂无投诉' }}
        />
      </section>
    </>
  );
}
