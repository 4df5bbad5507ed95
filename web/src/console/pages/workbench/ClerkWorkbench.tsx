/**
 * The clerk's 工作台 (docs/screens.md#the-clerks-workbench): the counters (待受理, 待分派, 临期 within 3 working days, 超期; each filters the
 * queue to what it counts), the saved filters, and the organization's queue by next deadline with its filters.
 */
import { Button } from 'antd';
import { useNavigate } from 'react-router';
import { PageHeading } from '../../a11y';
import { standardColumns } from './columns';
import { COUNTERS, Counters } from './Counters';
import { useUrlFilters } from './filters';
import { Queue } from './Queue';
import { SavedFilters } from './SavedFilters';

export function ClerkWorkbench() {
  const [filters, apply] = useUrlFilters();
  const navigate = useNavigate();
  return (
    <>
      <div className="page-heading-row">
        <PageHeading title="工作台" />
        <Button type="primary" size="large" onClick={() => void navigate('/cases/new')}>
          登记案件
        </Button>
      </div>
      <Counters
        counters={[COUNTERS.pendingAcceptance!, COUNTERS.pendingAssignment!, COUNTERS.nearDue!, COUNTERS.overdue!]}
        filters={filters}
        onSelect={apply}
      />
      <SavedFilters filters={filters} onApply={apply} />
      <Queue
        title="案件队列（按期限先后）"
        headingId="queue-heading"
        filters={filters}
        onApply={apply}
        screening
        columns={standardColumns}
      />
    </>
  );
}
