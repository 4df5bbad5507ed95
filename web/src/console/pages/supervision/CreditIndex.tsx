/**
 * 诚信档案 (/console/credit; docs/supervision.md#credit-files-and-the-public-directory, seed Arts 56–57): the files a
 * person may open, from the roster (GET /roster/organizations, /roster/mediators): the supervisor every mediation
 * organization and mediator, with each mediator's current level; a clerk their own organization and its mediators
 * (domain/access-policy.ts canReadCreditFile); a mediator goes straight to their own file.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, Navigate } from 'react-router';
import { api, ok } from '../../../api/client';
import { errorText } from '../../../api/problems';
import { PageHeading } from '../../a11y';
import { label, ORGANIZATION_KIND_LABELS } from '../../labels';
import { useSession } from '../../session';
import './supervision.css';
import './ratings.css';

type Organization = Awaited<ReturnType<typeof readOrganizations>>['organizations'][number];
type Mediator = Awaited<ReturnType<typeof readMediators>>['mediators'][number];
const readOrganizations = () => ok(api.GET('/roster/organizations'));
const readMediators = () => ok(api.GET('/roster/mediators'));

const organizationColumns: ColumnsType<Organization> = [
  {
    title: '调解组织',
    key: 'name',
    render: (_v, o) => <Link to={`/credit/organizations/${o.orgId}`}>{o.name}</Link>,
  },
  { title: '类型', key: 'kind', render: (_v, o) => o.kindLabel || label(ORGANIZATION_KIND_LABELS, o.kind) },
  { title: '所在县区', key: 'county', render: (_v, o) => o.county ?? '—' },
  { title: '状态', key: 'active', render: (_v, o) => (o.active ? '在册' : <Tag>已停用</Tag>) },
];

const mediatorColumns: ColumnsType<Mediator> = [
  {
    title: '调解员',
    key: 'name',
    render: (_v, m) => <Link to={`/credit/mediators/${m.mediatorId}`}>{m.displayName}</Link>,
  },
  { title: '所属调解组织', key: 'org', render: (_v, m) => m.organization.name },
  { title: '资质', key: 'qualification', render: (_v, m) => m.qualification?.label ?? '—' },
  {
    title: '当前等级',
    key: 'level',
    render: (_v, m) => (m.level ? `${m.level.label}（${m.level.ruleVersion}）` : '暂无评价'),
  },
];

export default function CreditIndex() {
  const { principal } = useSession();
  const own = principal?.kind === 'staff' && principal.role !== 'supervisor' ? principal.orgId : null;
  const organizations = useQuery({ queryKey: ['roster', 'organizations'], queryFn: readOrganizations });
  const mediators = useQuery({ queryKey: ['roster', 'mediators'], queryFn: readMediators });
  if (principal?.role === 'mediator') return <Navigate to={`/credit/mediators/${principal.id}`} replace />;
  // A clerk opens only their own organization's files (the server answers 404 for any other).
  const orgRows = (organizations.data?.organizations ?? []).filter((o) => !own || o.orgId === own);
  const mediatorRows = (mediators.data?.mediators ?? []).filter((m) => !own || m.organization.orgId === own);
  const failed = organizations.error ?? mediators.error;
  return (
    <>
      <PageHeading title="诚信档案" />
      <Typography.Paragraph>
        每个调解组织和调解员一份档案，只增不改：资质、培训、综合评价（等级及所依据的评级规则版本）、表扬奖励、处罚惩戒、属实投诉和经核实的差评，各载明决定机关、日期、决定文书和公示期限。
      </Typography.Paragraph>
      {failed ? <Alert type="error" showIcon role="alert" title={errorText(failed, '名册加载失败，请重试。')} /> : null}
      <section aria-labelledby="credit-orgs" className="panel">
        <h2 id="credit-orgs">调解组织（{orgRows.length}）</h2>
        <Table<Organization>
          rowKey="orgId"
          columns={organizationColumns}
          dataSource={orgRows}
          loading={organizations.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '暂无调解组织' }}
        />
      </section>
      <section aria-labelledby="credit-mediators" className="panel">
        <h2 id="credit-mediators">调解员（{mediatorRows.length}）</h2>
        <Table<Mediator>
          rowKey="mediatorId"
          columns={mediatorColumns}
          dataSource={mediatorRows}
          loading={mediators.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '暂无调解员' }}
        />
      </section>
    </>
  );
}
