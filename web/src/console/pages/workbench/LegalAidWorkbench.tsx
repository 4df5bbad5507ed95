/**
 * The legal-aid officer's applications (docs/screens.md#legal-aid-officer-court-and-notary-staff): each with where it stands and its two clocks, 7 days to decide
 * and 3 days to assign the lawyer after granting (法律援助法 Art 43), by next deadline; the counters 临期 and
 * 超期 filter the list to what they count. The server lists the cases with a legal-aid application only.
 */
import { Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { QueueRow } from '../../../api/client';
import { PageHeading } from '../../a11y';
import { label, LEGAL_AID_STATUS_LABELS } from '../../labels';
import { columns, type Column } from './columns';
import { COUNTERS, Counters } from './Counters';
import { useUrlFilters } from './filters';
import { Queue } from './Queue';
import { SavedFilters } from './SavedFilters';

const standing: Column = {
  title: '援助状态',
  key: 'legalAid',
  render: (_v, row: QueueRow) => {
    if (!row.legalAid) return '—';
    const staffed =
      row.legalAid.status === 'granted' ? (row.legalAid.staffAssigned ? '，已指派人员' : '，待指派人员') : '';
    return <Tag>{`${label(LEGAL_AID_STATUS_LABELS, row.legalAid.status)}${staffed}`}</Tag>;
  },
};

const applicationColumns = (asOf: number): ColumnsType<QueueRow> => [
  columns.caseNumber(),
  columns.parties(),
  standing,
  columns.clock('审查决定（7 日）', ['legal_aid_decision'], asOf),
  columns.clock('指派人员（3 日）', ['legal_aid_assignment'], asOf),
  columns.status(),
];

export function LegalAidWorkbench() {
  const [filters, apply] = useUrlFilters();
  return (
    <>
      <PageHeading title="法律援助申请" />
      <Counters counters={[COUNTERS.nearDue!, COUNTERS.overdue!]} filters={filters} onSelect={apply} />
      <SavedFilters filters={filters} onApply={apply} />
      <Queue
        title="法律援助申请（按期限先后）"
        headingId="queue-heading"
        filters={filters}
        onApply={apply}
        screening
        columns={applicationColumns}
        emptyText="暂无法律援助申请"
      />
    </>
  );
}
