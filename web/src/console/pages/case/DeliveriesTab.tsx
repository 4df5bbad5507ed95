/**
 * 通知: every text (SMS) and court or notary notification the case sent, newest first, with where its delivery
 * stands and each attempt (GET /cases/{id}/deliveries). Phones come masked; a text's words never leave the
 * server. The status is a word, not only a colour.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Spin, Table, Tag, Typography } from 'antd';
import { api, ok, type CaseView } from '../../../api/client';
import type { paths } from '../../../api/schema';
import { errorText } from '../../../api/problems';
import { formatDateTime } from '../../format';
import {
  DELIVERY_OUTCOME_LABELS,
  DELIVERY_STATUS_LABELS,
  INSTITUTION_MESSAGE_LABELS,
  label,
  PARTY_ROLE_LABELS,
  SMS_PURPOSE_LABELS,
} from '../../labels';
import { deliveryErrorText } from './delivery-error';
import { isForbidden } from './files';
import { deliveriesKey } from './keys';

type Delivery =
  paths['/cases/{caseId}/deliveries']['get']['responses'][200]['content']['application/json']['deliveries'][number];
type Party = CaseView['parties'][number];

const STATUS_COLORS: Record<Delivery['status'], string> = {
  delivered: 'success',
  awaiting_poll: 'processing',
  pending: 'processing',
  failing: 'error',
  rejected: 'error',
  expired: 'default',
};

const isUndelivered = (d: Delivery) => d.status === 'failing' || d.status === 'rejected';

function recipient(d: Delivery, parties: Map<string, Party>): string {
  if (d.channel === 'institution') return d.institutionName ?? d.institutionId ?? '—';
  const p = d.partyId ? parties.get(d.partyId) : undefined;
  return [p ? `${p.name}（${label(PARTY_ROLE_LABELS, p.role)}）` : null, d.phone].filter(Boolean).join(' ') || '—';
}

function Attempts({ d }: { d: Delivery }) {
  if (!d.attempts.length) return <Typography.Text type="secondary">尚未投递</Typography.Text>;
  return (
    <ol style={{ margin: 0, paddingInlineStart: 20 }}>
      {d.attempts.map((a) => (
        <li key={`${a.attempt}-${a.at}`}>
          <time dateTime={a.at}>{formatDateTime(a.at)}</time> {label(DELIVERY_OUTCOME_LABELS, a.outcome)}
          {a.httpStatus ? `（HTTP ${a.httpStatus}）` : ''}
          {a.error ? `：${deliveryErrorText(a.error)}` : ''}
        </li>
      ))}
    </ol>
  );
}

export function DeliveriesTab({ caseId, parties }: { caseId: string; parties: Party[] }) {
  const deliveries = useQuery({
    queryKey: deliveriesKey(caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}/deliveries', { params: { path: { caseId } } })),
  });
  if (deliveries.isError) {
    if (isForbidden(deliveries.error)) return <Alert type="info" showIcon title="您的角色不能查看本案的通知记录。" />;
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        title={errorText(deliveries.error, '通知记录加载失败，请重试。')}
        action={<Button onClick={() => void deliveries.refetch()}>重试</Button>}
      />
    );
  }
  if (!deliveries.data)
    return (
      <Spin tip="正在加载通知记录…">
        <div style={{ minHeight: 80 }} />
      </Spin>
    );
  const rows = deliveries.data.deliveries;
  const byId = new Map(parties.map((p) => [p.partyId, p]));
  const undelivered = rows.filter(isUndelivered).length;
  return (
    <>
      <Typography.Paragraph>
        共 {rows.length} 条通知{undelivered ? `，其中 ${undelivered} 条未能送达，请核实联系方式或改用其他方式通知` : ''}
        。
        <Button type="link" onClick={() => void deliveries.refetch()} loading={deliveries.isFetching}>
          刷新
        </Button>
      </Typography.Paragraph>
      <Table<Delivery>
        rowKey="deliveryId"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: <Typography.Text type="secondary">本案暂无短信或机构通知</Typography.Text> }}
        columns={[
          { title: '方式', key: 'channel', render: (_v, d) => (d.channel === 'sms' ? '短信' : '机构通知') },
          {
            title: '内容',
            key: 'subject',
            render: (_v, d) =>
              d.channel === 'sms' ? label(SMS_PURPOSE_LABELS, d.subject) : label(INSTITUTION_MESSAGE_LABELS, d.subject),
          },
          { title: '接收方', key: 'to', render: (_v, d) => recipient(d, byId) },
          { title: '发出时间', key: 'created', render: (_v, d) => formatDateTime(d.createdAt) },
          {
            title: '状态',
            key: 'status',
            render: (_v, d) => <Tag color={STATUS_COLORS[d.status]}>{label(DELIVERY_STATUS_LABELS, d.status)}</Tag>,
          },
          { title: '送达时间', key: 'delivered', render: (_v, d) => formatDateTime(d.deliveredAt) },
          { title: '投递记录', key: 'attempts', render: (_v, d) => <Attempts d={d} /> },
        ]}
      />
    </>
  );
}
