/**
 * Court and notary staff (docs/screens.md#legal-aid-officer-court-and-notary-staff): a court's cases it delegated (委派/委托, with its case number, letter and
 * date, and the mediation period that runs on them: 特邀调解规定 Art 27) and the judicial confirmations asked
 * of it (with its own periods: 3 days to accept, 15 days to rule: the 2011 规定 Arts 4-5, within the 30-day ceiling of 民事诉讼法 Art 187);
 * a notary office's notarizations (15 working days, 公证法 Art 30). Each list is the institution's own queue
 * as the server scopes it; the actions are on the case, as its API key has them.
 */
import type { ColumnsType } from 'antd/es/table';
import type { QueueRow } from '../../../api/client';
import { PageHeading } from '../../a11y';
import { useSession } from '../../session';
import { columns } from './columns';
import { useUrlFilters } from './filters';
import { Queue } from './Queue';
import { SavedFilters } from './SavedFilters';

const MEDIATION_PERIODS = ['court_pre_filing_mediation', 'court_post_filing_ordinary', 'court_post_filing_summary'];
const CONFIRMATION_PERIODS = [
  'court_confirmation_acceptance',
  'court_confirmation_correction',
  'court_confirmation_decision',
  'court_confirmation_ceiling',
];

function useInstitutionId(): string | undefined {
  const { principal } = useSession();
  return principal?.kind === 'institution' ? principal.institutionId : undefined;
}

const delegatedColumns = (asOf: number): ColumnsType<QueueRow> => [
  columns.caseNumber(),
  columns.parties(),
  columns.status(),
  columns.clock('调解期限', MEDIATION_PERIODS, asOf),
  columns.clock('委派/委托函定期限', ['court_letter_deadline'], asOf),
  columns.receivedAt(),
];

export function CourtDelegated() {
  const [filters, apply] = useUrlFilters();
  return (
    <>
      <PageHeading title="委派/委托案件" />
      <SavedFilters filters={filters} onApply={apply} />
      <Queue
        title="本院委派、委托调解的案件（按期限先后）"
        headingId="queue-heading"
        filters={filters}
        onApply={apply}
        screening={false}
        columns={delegatedColumns}
        fixed={{ courtScope: 'delegated' }}
        emptyText="本院暂无委派或委托的案件"
      />
    </>
  );
}

export function CourtConfirmations() {
  const [filters, apply] = useUrlFilters();
  const institutionId = useInstitutionId();
  const confirmationColumns = (asOf: number): ColumnsType<QueueRow> => [
    columns.caseNumber(),
    columns.parties(),
    columns.process('司法确认', 'judicial_confirmation', institutionId),
    columns.clock('本院审查期限', CONFIRMATION_PERIODS, asOf),
    columns.status(),
  ];
  return (
    <>
      <PageHeading title="司法确认申请" />
      <SavedFilters filters={filters} onApply={apply} />
      <Queue
        title="向本院申请司法确认的案件（按期限先后）"
        headingId="queue-heading"
        filters={filters}
        onApply={apply}
        screening={false}
        columns={confirmationColumns}
        fixed={{ courtScope: 'confirmation' }}
        emptyText="暂无向本院申请的司法确认"
      />
    </>
  );
}

export function NotaryWorkbench() {
  const [filters, apply] = useUrlFilters();
  const institutionId = useInstitutionId();
  const notarizationColumns = (asOf: number): ColumnsType<QueueRow> => [
    columns.caseNumber(),
    columns.parties(),
    columns.process('公证', 'notarization', institutionId),
    columns.clock('公证办理期限（15 个工作日）', ['notarization'], asOf),
    columns.status(),
  ];
  return (
    <>
      <PageHeading title="公证申请" />
      <SavedFilters filters={filters} onApply={apply} />
      <Queue
        title="向本处申请赋强公证的案件（按期限先后）"
        headingId="queue-heading"
        filters={filters}
        onApply={apply}
        screening={false}
        columns={notarizationColumns}
        emptyText="暂无向本处申请的公证"
      />
    </>
  );
}
