/**
 * The supervisor's (司法局) 工作台 (docs/screens.md#the-supervisor): the counters of every case, the overdue list (every deadline that
 * ran out or is open past its due time: GET /supervision/sla-breaches, docs/periods.md#reminders-and-the-sla-breach-list: "a missed due time appears in
 * the supervisor's SLA-breach list") and the near-due list (the queue's 临期: within 3 working days), and the
 * whole queue with its filters. Read-only: each case opens as the API shows it to a supervisor, who takes no
 * action on it (domain/access-policy.ts).
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { api, ok } from '../../../api/client';
import { errorText } from '../../../api/problems';
import { PageHeading } from '../../a11y';
import { formatDue } from '../../format';
import { CASE_STATUS_LABELS, DEADLINE_STATUS_LABELS, label } from '../../labels';
import { standardColumns } from './columns';
import { COUNTERS, Counters } from './Counters';
import { NEAR_DUE, toQuery, useUrlFilters } from './filters';
import { Queue } from './Queue';
import { QueueList } from './QueueList';
import { SavedFilters } from './SavedFilters';

type Breach = Awaited<ReturnType<typeof readBreaches>>['breaches'][number];
const readBreaches = () => ok(api.GET('/supervision/sla-breaches'));

const breachColumns: ColumnsType<Breach> = [
  { title: '案号', key: 'caseNumber', render: (_v, b) => <Link to={`/cases/${b.caseId}`}>{b.caseNumber}</Link> },
  { title: '案件状态', key: 'caseStatus', render: (_v, b) => <Tag>{label(CASE_STATUS_LABELS, b.caseStatus)}</Tag> },
  { title: '期限', key: 'label', render: (_v, b) => b.label },
  { title: '届满时间', key: 'dueAt', render: (_v, b) => formatDue(b.dueAt) },
  {
    title: '期限状态',
    key: 'status',
    render: (_v, b) =>
      b.deadlineStatus === 'open' ? (
        <Tag color="error">逾期仍在计时</Tag>
      ) : (
        <Tag>{label(DEADLINE_STATUS_LABELS, b.deadlineStatus)}</Tag>
      ),
  },
  { title: '依据', key: 'citation', render: (_v, b) => b.citation ?? '—' },
];

const READ_ONLY = '司法局可查看每件案件（只读，个人信息已遮蔽），不办理案件。';

export function SupervisorWorkbench() {
  const breaches = useQuery({ queryKey: ['sla-breaches'], queryFn: readBreaches });
  return (
    <>
      <PageHeading title="超期与临期" />
      <Typography.Paragraph type="secondary">{READ_ONLY}</Typography.Paragraph>
      <Counters
        counters={[COUNTERS.pendingAcceptance!, COUNTERS.pendingAssignment!, COUNTERS.nearDue!, COUNTERS.overdue!]}
      />
      <section aria-labelledby="overdue-heading" className="panel">
        <h2 id="overdue-heading">超期：已届满或逾期未办结的期限</h2>
        {breaches.isError ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={errorText(breaches.error, '超期清单加载失败，请重试。')}
            style={{ marginBottom: 16 }}
          />
        ) : null}
        <Table<Breach>
          rowKey={(b) => `${b.caseId}-${b.ruleId}`}
          columns={breachColumns}
          dataSource={breaches.data?.breaches ?? []}
          loading={breaches.isLoading}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          size="middle"
          locale={{ emptyText: '没有超期的期限' }}
        />
      </section>
      <section aria-labelledby="near-heading" className="panel">
        <h2 id="near-heading">临期：3 个工作日内到期的案件</h2>
        <QueueList query={toQuery(NEAR_DUE)} columns={standardColumns} emptyText="没有临期的案件" />
      </section>
    </>
  );
}

/** 全部案件: every case, with the filters and saved filters. */
export function SupervisorQueue() {
  const [filters, apply] = useUrlFilters();
  return (
    <>
      <PageHeading title="全部案件" />
      <Typography.Paragraph type="secondary">{READ_ONLY}</Typography.Paragraph>
      <SavedFilters filters={filters} onApply={apply} />
      <Queue
        title="全部案件（按期限先后）"
        headingId="queue-heading"
        filters={filters}
        onApply={apply}
        screening
        columns={standardColumns}
      />
    </>
  );
}
