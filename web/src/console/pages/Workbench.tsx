/**
 * 工作台: the counters a clerk starts the day with, and the queue ordered by the next deadline (GET
 * /queues/cases, which decides whose cases these are and in what order), filtered and searched. The filters
 * live in the URL, so the back button and a shared link keep them.
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ok, type QueueQuery, type QueueRow } from '../../api/client';
import { errorText } from '../../api/problems';
import { announce, PageHeading } from '../a11y';
import { daysUntil, formatDate, formatDue } from '../format';
import { useSession } from '../session';
import { CASE_STATUS_LABELS, DEADLINE_RULES, DISPUTE_TYPE_LABELS, label } from '../labels';

type Status = NonNullable<QueueQuery['status']>[number];
type DisputeType = NonNullable<QueueQuery['disputeType']>;
type Filters = { status: Status[]; disputeType?: DisputeType; dueWithinDays?: number; q?: string };

const PAGE_SIZE = 50;
/** Counters count one page of this size: past it they say "200+" (the API has no count of its own). */
const COUNT_LIMIT = 200;

const DUE_OPTIONS = [
  { value: 0, label: '已超期' },
  { value: 3, label: '3 日内到期（含已超期）' },
  { value: 7, label: '7 日内到期（含已超期）' },
  { value: 30, label: '30 日内到期（含已超期）' },
];

function readFilters(params: URLSearchParams): Filters {
  const status = (params.get('status') ?? '').split(',').filter((s): s is Status => s in CASE_STATUS_LABELS);
  const disputeType = params.get('disputeType');
  const due = params.get('dueWithinDays');
  const q = params.get('q')?.trim();
  return {
    status,
    ...(disputeType && disputeType in DISPUTE_TYPE_LABELS ? { disputeType: disputeType as DisputeType } : {}),
    ...(due !== null && /^\d+$/.test(due) ? { dueWithinDays: Number(due) } : {}),
    ...(q ? { q } : {}),
  };
}

function writeFilters(f: Filters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.status.length) params.set('status', f.status.join(','));
  if (f.disputeType) params.set('disputeType', f.disputeType);
  if (f.dueWithinDays !== undefined) params.set('dueWithinDays', String(f.dueWithinDays));
  if (f.q) params.set('q', f.q);
  return params;
}

const toQuery = (f: Filters): QueueQuery => ({
  ...(f.status.length ? { status: f.status } : {}),
  ...(f.disputeType ? { disputeType: f.disputeType } : {}),
  ...(f.dueWithinDays !== undefined ? { dueWithinDays: f.dueWithinDays } : {}),
  ...(f.q ? { q: f.q } : {}),
});

type Counter = { name: string; filters: Filters; tone?: 'warn' | 'danger'; count?: (rows: QueueRow[], asOf: number) => number };
const COUNTERS: Counter[] = [
  { name: '待受理', filters: { status: ['REGISTERED'] } },
  { name: '待分派', filters: { status: ['PENDING_ASSIGNMENT'] } },
  // 临期: due within three days and not yet passed (those are 超期).
  { name: '临期', filters: { status: [], dueWithinDays: 3 }, tone: 'warn', count: (rows, asOf) => rows.filter((r) => r.nextDue && Date.parse(r.nextDue.dueAt) > asOf).length },
  { name: '超期', filters: { status: [], dueWithinDays: 0 }, tone: 'danger' },
];

const sameFilters = (a: Filters, b: Filters) => writeFilters(a).toString() === writeFilters(b).toString();

function CounterButton({ counter, active, onSelect }: { counter: Counter; active: boolean; onSelect(): void }) {
  const query = toQuery(counter.filters);
  const counted = useQuery({
    queryKey: ['queue-count', query],
    queryFn: () => ok(api.GET('/queues/cases', { params: { query: { ...query, limit: COUNT_LIMIT } } })),
  });
  // Counted as of the answer (dataUpdatedAt), so a re-render never changes the figure.
  const value = counted.data ? `${(counter.count ?? ((rows) => rows.length))(counted.data.cases, counted.dataUpdatedAt)}${counted.data.nextCursor ? '+' : ''}` : counted.isError ? '—' : '…';
  return (
    <button type="button" className="counter" aria-pressed={active} onClick={onSelect}>
      <span className="counter-name">{counter.name}</span>
      <span className={`counter-value${counter.tone ? ` ${counter.tone}` : ''}`}>{value}</span>
      <span className="sr-only">件，按此筛选队列</span>
    </button>
  );
}

/** The next deadline of a row, judged as of when the queue was read (`asOf`). */
function NextDue({ row, asOf }: { row: QueueRow; asOf: number }) {
  if (!row.nextDue) return <Typography.Text type="secondary">无计时中的期限</Typography.Text>;
  const days = daysUntil(row.nextDue.dueAt, new Date(asOf));
  const passed = Date.parse(row.nextDue.dueAt) <= asOf;
  const rule = DEADLINE_RULES[row.nextDue.ruleId];
  return (
    <Space orientation="vertical" size={0}>
      <span>{rule?.label ?? row.nextDue.ruleId}</span>
      <span>
        {formatDue(row.nextDue.dueAt)}{' '}
        {passed ? <Tag color="error">已超期</Tag> : days <= 3 ? <Tag color="warning">{days <= 0 ? '今日到期' : `还剩 ${days} 天`}</Tag> : null}
        {row.nextDue.provisional ? <Tag>暂按法定节假日计算</Tag> : null}
      </span>
    </Space>
  );
}

const queueColumns = (asOf: number): ColumnsType<QueueRow> => [
  {
    title: '案号',
    dataIndex: 'caseNumber',
    render: (_v, row) => <Link to={`/cases/${row.caseId}`}>{row.caseNumber}</Link>,
  },
  { title: '当事人', dataIndex: 'parties', render: (_v, row) => row.parties.join('、') || '—' },
  { title: '纠纷类型', dataIndex: 'disputeType', render: (_v, row) => label(DISPUTE_TYPE_LABELS, row.disputeType) },
  { title: '状态', dataIndex: 'status', render: (_v, row) => <Tag>{label(CASE_STATUS_LABELS, row.status)}</Tag> },
  { title: '下一期限', key: 'nextDue', render: (_v, row) => <NextDue row={row} asOf={asOf} /> },
  { title: '收案日期', dataIndex: 'receivedAt', render: (_v, row) => formatDate(row.receivedAt) },
];

export function Workbench() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const query = useMemo(() => toQuery(filters), [filters]);
  const [form] = Form.useForm<{ status: Status[]; disputeType?: DisputeType; dueWithinDays?: number; q?: string }>();
  useEffect(() => form.setFieldsValue({ status: filters.status, disputeType: filters.disputeType, dueWithinDays: filters.dueWithinDays, q: filters.q ?? '' }), [form, filters]);

  const queue = useInfiniteQuery({
    queryKey: ['queue', query],
    queryFn: ({ pageParam }) => ok(api.GET('/queues/cases', { params: { query: { ...query, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => queue.data?.pages.flatMap((p) => p.cases) ?? [], [queue.data]);
  const columns = useMemo(() => queueColumns(queue.dataUpdatedAt), [queue.dataUpdatedAt]);
  useEffect(() => {
    if (queue.isSuccess) announce(`队列已更新，显示 ${rows.length} 件${queue.hasNextPage ? '，还有更多' : ''}`);
  }, [queue.isSuccess, rows.length, queue.hasNextPage]);

  const apply = (next: Filters) => setParams(writeFilters(next));
  const { principal } = useSession();
  const navigate = useNavigate();

  return (
    <>
      <div style={{ display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: 16 }}>
        <PageHeading title="工作台" />
        {principal?.role === 'clerk' ? (
          <Button type="primary" size="large" onClick={() => void navigate('/cases/new')}>
            登记案件
          </Button>
        ) : null}
      </div>
      <section aria-label="统计">
        <div className="counters">
          {COUNTERS.map((c) => (
            <CounterButton key={c.name} counter={c} active={sameFilters(c.filters, filters)} onSelect={() => apply(c.filters)} />
          ))}
        </div>
      </section>

      <section aria-labelledby="queue-heading" style={{ background: '#fff', padding: 16, borderRadius: 8 }}>
        <h2 id="queue-heading" style={{ marginTop: 0 }}>
          案件队列（按期限先后）
        </h2>
        <Form
          form={form}
          layout="inline"
          colon={false}
          style={{ marginBottom: 16, rowGap: 8 }}
          onValuesChange={(changed: Partial<Filters>, all: Filters) => {
            // The search box applies on Enter or its button, not on every keystroke; what it holds goes with any other filter.
            if ('q' in changed) return;
            apply({ ...all, status: all.status ?? [], ...(all.q?.trim() ? { q: all.q.trim() } : { q: undefined }) });
          }}
        >
          <Form.Item label="状态" name="status">
            <Select
              mode="multiple"
              allowClear
              placeholder="全部状态"
              style={{ minWidth: 200 }}
              options={Object.entries(CASE_STATUS_LABELS).map(([value, text]) => ({ value, label: text }))}
            />
          </Form.Item>
          <Form.Item label="纠纷类型" name="disputeType">
            <Select allowClear placeholder="全部类型" style={{ minWidth: 180 }} options={Object.entries(DISPUTE_TYPE_LABELS).map(([value, text]) => ({ value, label: text }))} />
          </Form.Item>
          <Form.Item label="期限" name="dueWithinDays">
            <Select allowClear placeholder="不限" style={{ minWidth: 200 }} options={DUE_OPTIONS} />
          </Form.Item>
          <Form.Item label="搜索" name="q">
            <Input.Search
              placeholder="案号或当事人姓名（开头几个字）"
              enterButton="搜索"
              allowClear
              style={{ width: 320 }}
              onSearch={(value) => apply({ ...filters, ...(value.trim() ? { q: value.trim() } : { q: undefined }) })}
            />
          </Form.Item>
          <Form.Item>
            <Button onClick={() => apply({ status: [] })}>清除筛选</Button>
          </Form.Item>
        </Form>

        {queue.isError ? <Alert type="error" showIcon role="alert" title={errorText(queue.error, '队列加载失败，请重试。')} style={{ marginBottom: 16 }} /> : null}
        <Table<QueueRow> rowKey="caseId" columns={columns} dataSource={rows} loading={queue.isLoading} pagination={false} size="middle" />
        <Space style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">已显示 {rows.length} 件</Typography.Text>
          {queue.hasNextPage ? (
            <Button onClick={() => void queue.fetchNextPage()} loading={queue.isFetchingNextPage}>
              加载更多
            </Button>
          ) : null}
        </Space>
      </section>
    </>
  );
}
