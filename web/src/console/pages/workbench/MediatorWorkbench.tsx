/**
 * The mediator's 我的案件 (docs/screens.md#the-mediators-cases): first the cases assigned to them and waiting for their acceptance, each with
 * the countdown of the 3 working days to accept or decline (人民法院在线调解规则 Art 12: after it, the case is
 * assigned again), then the rest of their cases by next deadline, with filters and saved filters. The queue is
 * the mediator's own (the server scopes it to the cases assigned to them).
 */
import type { ColumnsType } from 'antd/es/table';
import type { QueueRow } from '../../../api/client';
import { PageHeading } from '../../a11y';
import { columns, standardColumns } from './columns';
import { COUNTERS, Counters } from './Counters';
import { useUrlFilters, type Status } from './filters';
import { Queue } from './Queue';
import { QueueList } from './QueueList';
import { SavedFilters } from './SavedFilters';

const PENDING: Status[] = ['PENDING_MEDIATOR_ACCEPT'];

const pendingColumns = (asOf: number): ColumnsType<QueueRow> => [
  columns.caseNumber(),
  columns.parties(),
  columns.disputeType(),
  columns.clock('确认接受期限（3 个工作日）', ['mediator_acceptance'], asOf),
  columns.receivedAt(),
];

export function MediatorWorkbench() {
  const [filters, apply] = useUrlFilters();
  return (
    <>
      <PageHeading title="我的案件" />
      <Counters
        counters={[
          { ...COUNTERS.pendingMediatorAcceptance!, name: '待我确认接受' },
          COUNTERS.nearDue!,
          COUNTERS.overdue!,
        ]}
      />
      <section aria-labelledby="pending-heading" className="panel">
        <h2 id="pending-heading">待我确认接受的分派</h2>
        <QueueList query={{ status: PENDING }} columns={pendingColumns} emptyText="没有待确认的分派" />
      </section>
      <SavedFilters filters={filters} onApply={apply} />
      <Queue
        title="其他案件（按期限先后）"
        headingId="queue-heading"
        filters={filters}
        onApply={apply}
        screening
        columns={standardColumns}
        excludeStatus={PENDING}
        emptyText="没有符合条件的其他案件"
      />
    </>
  );
}
