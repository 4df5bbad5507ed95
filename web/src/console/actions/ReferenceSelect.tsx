/**
 * Fields of an action that name something on record by its id (a mediator, a material of the case): chosen from
 * the list the API gives this person, never typed as a UUID. The lists are the roster's and the case's own, so
 * what may be chosen is what the server shows; it still checks the choice when the action is sent.
 */
import { useQuery } from '@tanstack/react-query';
import { Select, Typography } from 'antd';
import { api, ok, type CaseView } from '../../api/client';
import { errorText } from '../../api/problems';
import { DISPUTE_TYPE_LABELS, label } from '../labels';

/** Which reference a field holds, by its name; undefined for any other field. */
export function referenceOf(fieldName: string): 'mediator' | 'material' | 'court' | undefined {
  if (fieldName === 'mediatorId') return 'mediator';
  if (fieldName === 'courtCode') return 'court';
  if (fieldName === 'materialId' || fieldName === 'scanMaterialId') return 'material';
  return undefined;
}

type SelectProps = {
  id?: string;
  value?: string;
  onChange?: (v: string | undefined) => void;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  allowClear?: boolean;
};

type RosterMediator = {
  mediatorId: string;
  displayName: string;
  organization: { name: string };
  specialties: string[];
  accepting: boolean;
  openCases?: number;
  maxOpenCases?: number | null;
};

/**
 * The mediators for this case: those whose specialty is the case's dispute type first, then by fewest open
 * cases (the load the roster rule weighs too); one not taking new cases is shown but cannot be chosen. The line
 * under each says why it is where it is, so the choice recorded with the assignment can be explained.
 */
export function MediatorSelect({ view, ...props }: SelectProps & { view: CaseView }) {
  const roster = useQuery({
    queryKey: ['roster-mediators'],
    queryFn: () => ok(api.GET('/roster/mediators')),
    staleTime: 60_000,
  });
  if (roster.isError)
    return (
      <Typography.Text type="danger" role="alert">
        {errorText(roster.error, '调解员名册加载失败，请关闭后重试。')}
      </Typography.Text>
    );
  const fits = (m: RosterMediator) => m.specialties.includes(view.disputeType);
  const mediators = [...((roster.data?.mediators ?? []) as RosterMediator[])].sort(
    (a, b) =>
      Number(b.accepting) - Number(a.accepting) ||
      Number(fits(b)) - Number(fits(a)) ||
      (a.openCases ?? 0) - (b.openCases ?? 0) ||
      a.displayName.localeCompare(b.displayName, 'zh-CN'),
  );
  const load = (m: RosterMediator) =>
    m.openCases === undefined ? '' : `在办 ${m.openCases}${m.maxOpenCases ? `/${m.maxOpenCases}` : ''} 件`;
  // While the parties choose (在线调解规则 Art 10), whom each named: the clerk sees it before designating.
  const chosenBy = (m: RosterMediator) =>
    Object.entries(view.assignment?.choices ?? {})
      .filter(([, mediatorId]) => mediatorId === m.mediatorId)
      .map(([partyId]) => view.parties.find((p) => p.partyId === partyId)?.name ?? '当事人');
  return (
    <Select
      {...props}
      loading={roster.isLoading}
      placeholder="请选择调解员（可输入姓名筛选）"
      showSearch={{ optionFilterProp: 'label' }}
      options={mediators.map((m) => ({
        value: m.mediatorId,
        // The label is what the filter searches and what the closed Select shows.
        label: `${m.displayName}（${m.organization.name}）`,
        disabled: !m.accepting,
        title: m.specialties.map((s) => label(DISPUTE_TYPE_LABELS, s)).join('、'),
      }))}
      optionRender={(option) => {
        const m = mediators.find((x) => x.mediatorId === option.value)!;
        return (
          <div>
            <div>
              {m.displayName}
              <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                {m.organization.name}
              </Typography.Text>
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {fits(m)
                ? `专长：${label(DISPUTE_TYPE_LABELS, view.disputeType)}`
                : `专长：${m.specialties.map((s) => label(DISPUTE_TYPE_LABELS, s)).join('、') || '未登记'}`}
              {load(m) ? ` · ${load(m)}` : ''}
              {m.accepting ? '' : ' · 暂不接收新案件'}
              {chosenBy(m).length ? ` · ${chosenBy(m).join('、')}已选择` : ''}
            </Typography.Text>
          </div>
        );
      }}
    />
  );
}

/** A material of this case (a scan of a signed page, a proof of hardship), by its title and when it came in. */
export function MaterialSelect({ view, ...props }: SelectProps & { view: CaseView }) {
  const materials = useQuery({
    queryKey: ['materials', view.caseId],
    queryFn: () => ok(api.GET('/cases/{caseId}/materials', { params: { path: { caseId: view.caseId } } })),
  });
  if (materials.isError)
    return (
      <Typography.Text type="danger" role="alert">
        {errorText(materials.error, '材料加载失败，请关闭后重试。')}
      </Typography.Text>
    );
  const rows = materials.data?.materials ?? [];
  return (
    <Select
      {...props}
      loading={materials.isLoading}
      placeholder={rows.length || materials.isLoading ? '请选择材料' : '本案暂无材料，请先在“材料”中上传'}
      showSearch={{ optionFilterProp: 'label' }}
      options={rows.map((m) => ({ value: m.materialId, label: `${m.title}（${m.uploadedAt.slice(0, 10)}）` }))}
    />
  );
}

/** A court by its code (粤5202), from the roster's courts: the name is what a clerk knows it by. */
export function CourtSelect(props: SelectProps) {
  const courts = useQuery({
    queryKey: ['roster-courts'],
    queryFn: () => ok(api.GET('/roster/institutions', { params: { query: { kind: 'court' } } })),
    staleTime: 60_000,
  });
  if (courts.isError)
    return (
      <Typography.Text type="danger" role="alert">
        {errorText(courts.error, '法院名录加载失败，请关闭后重试。')}
      </Typography.Text>
    );
  return (
    <Select
      {...props}
      loading={courts.isLoading}
      placeholder="请选择法院（可输入名称筛选）"
      showSearch={{ optionFilterProp: 'label' }}
      options={(courts.data?.institutions ?? [])
        .filter((c) => c.code)
        .map((c) => ({ value: c.code!, label: `${c.name}（${c.code}）` }))}
    />
  );
}
