/**
 * A role's main list: the filter form over the list, both following the filters in the URL. A page may fix
 * query fields of its own (a court's scope) and leave out statuses another list of the page shows.
 */
import type { ColumnsType } from 'antd/es/table';
import type { QueueQuery, QueueRow } from '../../../api/client';
import { CASE_STATUS_LABELS } from '../../labels';
import { toQuery, type Filters, type Status } from './filters';
import { QueueFilters } from './QueueFilters';
import { QueueList } from './QueueList';

export function Queue({
  title,
  headingId,
  filters,
  onApply,
  screening,
  columns,
  fixed,
  excludeStatus = [],
  emptyText,
}: {
  title: string;
  headingId: string;
  filters: Filters;
  onApply(next: Filters): void;
  /** Whether this person may filter by priority group and legal aid (staff who see screening). */
  screening: boolean;
  columns: (asOf: number) => ColumnsType<QueueRow>;
  fixed?: QueueQuery;
  excludeStatus?: readonly Status[];
  emptyText?: string;
}) {
  const query = toQuery(filters, excludeStatus);
  const statuses = (Object.keys(CASE_STATUS_LABELS) as Status[]).filter((s) => !excludeStatus.includes(s));
  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{title}</h2>
      <QueueFilters filters={filters} onApply={onApply} screening={screening} statuses={statuses} />
      <QueueList
        query={query ? { ...query, ...fixed } : null}
        columns={columns}
        announceAs="队列"
        {...(emptyText ? { emptyText } : {})}
      />
    </section>
  );
}
