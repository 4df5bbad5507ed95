/**
 * 投递失败 (/console/deliveries/failed): the texts and court or notary notifications that could not be delivered,
 * across the cases this person follows up (GET /queues/failed-deliveries: a clerk's organization, every case for
 * the supervisor; the server decides, and anyone else gets the not-found page from its 403), the oldest first, so
 * the one waiting longest is followed up first. Each links to its case's 通知 tab, where every attempt is listed.
 * Names and phones come masked; a text's words never leave the server (they may hold an access code).
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import type { paths } from '../../api/schema';
import { errorText } from '../../api/problems';
import { PageHeading } from '../a11y';
import { formatDateTime } from '../format';
import {
  DELIVERY_STATUS_LABELS,
  INSTITUTION_MESSAGE_LABELS,
  label,
  PARTY_ROLE_LABELS,
  SMS_PURPOSE_LABELS,
} from '../labels';
import { deliveryErrorText } from './case/delivery-error';
import { isForbidden } from './case/files';
import { NotFoundPage } from './NotFoundPage';

type Answer = paths['/queues/failed-deliveries']['get']['responses'][200]['content']['application/json'];
type Failed = Answer['deliveries'][number];

function recipient(d: Failed): string {
  if (d.channel === 'institution') return d.institutionName ?? d.institutionId ?? '—';
  const who = d.partyName ? `${d.partyName}${d.partyRole ? `（${label(PARTY_ROLE_LABELS, d.partyRole)}）` : ''}` : null;
  return [who, d.phone].filter(Boolean).join(' ') || '—';
}

const kind = (d: Failed) =>
  d.channel === 'sms'
    ? `短信：${label(SMS_PURPOSE_LABELS, d.subject)}`
    : `机构通知：${label(INSTITUTION_MESSAGE_LABELS, d.subject)}`;

function LastAttempt({ d }: { d: Failed }) {
  const a = d.lastAttempt;
  const why = [a.httpStatus ? `对方系统返回 HTTP ${a.httpStatus}` : null, deliveryErrorText(a.error)]
    .filter(Boolean)
    .join('；');
  return (
    <>
      <time dateTime={a.at}>{formatDateTime(a.at)}</time>
      <Typography.Text type="secondary">
        （第 {a.attempt} 次，共 {d.attemptCount} 次）
      </Typography.Text>
      {why ? <div>{why}</div> : null}
    </>
  );
}

const columns: ColumnsType<Failed> = [
  {
    title: '案号',
    key: 'case',
    render: (_v, d) => (
      <Link to={`/cases/${d.caseId}?tab=deliveries`}>
        {d.caseNumber}
        <span className="sr-only">（查看本案通知记录）</span>
      </Link>
    ),
  },
  { title: '接收方', key: 'to', render: (_v, d) => recipient(d) },
  { title: '通知', key: 'kind', render: (_v, d) => kind(d) },
  {
    title: '发出时间',
    key: 'created',
    render: (_v, d) => <time dateTime={d.createdAt}>{formatDateTime(d.createdAt)}</time>,
  },
  {
    title: '状态',
    key: 'status',
    render: (_v, d) => <Tag color="error">{label(DELIVERY_STATUS_LABELS, d.status)}</Tag>,
  },
  { title: '最后一次投递', key: 'last', render: (_v, d) => <LastAttempt d={d} /> },
];

export default function FailedDeliveries() {
  const list = useQuery({ queryKey: ['failed-deliveries'], queryFn: () => ok(api.GET('/queues/failed-deliveries')) });
  if (list.isError && isForbidden(list.error)) return <NotFoundPage />;
  const rows = list.data?.deliveries ?? [];
  return (
    <>
      <PageHeading title="投递失败" />
      <Typography.Paragraph>
        未能送达当事人的短信，以及未能送达法院、公证处的通知，按发出时间排列，最早的在前。请核实联系方式，或改用电话、邮寄、当面等方式通知；点案号可查看该案全部通知及每次投递记录。短信内容不在此显示。
      </Typography.Paragraph>
      {list.isError ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={errorText(list.error, '投递失败清单加载失败，请重试。')}
          action={<Button onClick={() => void list.refetch()}>重试</Button>}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {list.data?.more ? (
        <Alert
          type="warning"
          showIcon
          title={`仅显示最早的 ${list.data.limit} 条；处理后刷新可看到其余的。`}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <section aria-labelledby="failed-heading" className="panel">
        <div className="panel-heading">
          <h2 id="failed-heading">{list.data ? `未能送达的通知（${rows.length} 条）` : '未能送达的通知'}</h2>
          <Button onClick={() => void list.refetch()} loading={list.isFetching}>
            刷新
          </Button>
        </div>
        <Table<Failed>
          rowKey="deliveryId"
          columns={columns}
          dataSource={rows}
          loading={list.isLoading}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          size="middle"
          locale={{ emptyText: '没有未能送达的通知' }}
        />
      </section>
    </>
  );
}
