/**
 * One credit file (/console/credit/mediators/:id, /console/credit/organizations/:id; seed Art 57,
 * docs/supervision.md#credit-files-and-the-public-directory): the current level with the rule version it was
 * computed by, the file's hash chain as checked now, every entry (kind, what, authority, date, decision document,
 * disclosure window and where it stands today, where it came from: an upheld complaint, a confirmed 差评, the
 * supervisor's hand, an evaluation) and the evaluations' figures. The supervisor adds entries and evaluations
 * (CreditEntryForm); a file not this person's is a 404.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Skeleton, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useParams } from 'react-router';
import { api, ok } from '../../../api/client';
import { ApiError, errorText } from '../../../api/problems';
import { PageHeading } from '../../a11y';
import { formatDateTime, formatDay } from '../../format';
import { label } from '../../labels';
import { useSession } from '../../session';
import { NotFoundPage } from '../NotFoundPage';
import { CreditEntryForm, EvaluationForm } from './CreditEntryForm';
import {
  CREDIT_LEVEL_LABELS,
  CREDIT_SOURCE_LABELS,
  CREDIT_SUBJECT_LABELS,
  DISCLOSURE_STATUS_LABELS,
  formatRate,
  type CreditEntry,
  type CreditFile as File,
} from './rating-labels';
import './supervision.css';
import './ratings.css';

export type SubjectPath = 'mediators' | 'organizations';

/** The file the URL names, as the server lets this person read it. */
export function readCreditFile(kind: SubjectPath, id: string): Promise<File> {
  return kind === 'mediators'
    ? ok(api.GET('/credit/mediators/{mediatorId}', { params: { path: { mediatorId: id } } }))
    : ok(api.GET('/credit/organizations/{orgId}', { params: { path: { orgId: id } } }));
}

export default function CreditFilePage() {
  const { kind = '', subjectId = '' } = useParams();
  const { principal } = useSession();
  const path: SubjectPath | null = kind === 'mediators' || kind === 'organizations' ? kind : null;
  const file = useQuery({
    queryKey: ['credit', kind, subjectId],
    queryFn: () => readCreditFile(path!, subjectId),
    enabled: path !== null,
  });
  if (!path || (file.isError && file.error instanceof ApiError && [403, 404].includes(file.error.status)))
    return <NotFoundPage what="档案" />;
  if (file.isError) return <Alert type="error" showIcon role="alert" title={errorText(file.error, '档案加载失败。')} />;
  if (!file.data) return <Skeleton active />;
  const f = file.data;
  const supervisor = principal?.role === 'supervisor';
  return (
    <>
      <PageHeading title={`诚信档案：${f.subject.name}`} />
      <p>{principal?.role === 'mediator' ? null : <Link to="/credit">返回诚信档案名录</Link>}</p>
      <Summary f={f} />
      <Entries entries={f.entries} />
      <Evaluations entries={f.entries} />
      {supervisor ? <CreditEntryForm kind={path} id={subjectId} subject={f.subject.kind} /> : null}
      {supervisor ? <EvaluationForm kind={path} id={subjectId} /> : null}
    </>
  );
}

function Summary({ f }: { f: File }) {
  return (
    <section aria-labelledby="credit-summary" className="panel">
      <h2 id="credit-summary">档案概况</h2>
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label="档案对象">
          {label(CREDIT_SUBJECT_LABELS, f.subject.kind)}：{f.subject.name}
        </Descriptions.Item>
        <Descriptions.Item label="当前等级">
          {f.level ? (
            <>
              <strong>{f.level.label}</strong>（评级规则 {f.level.ruleVersion}，{formatDay(f.level.evaluatedOn)} 评定）
            </>
          ) : (
            '尚未评价'
          )}
        </Descriptions.Item>
        <Descriptions.Item label="档案记录">{f.entries.length} 条（只增不改，更正以新记录载明）</Descriptions.Item>
        <Descriptions.Item label="防篡改校验">
          {f.chain.ok ? (
            `完整（共 ${f.chain.events} 条记录的哈希链校验一致）`
          ) : (
            <Tag color="error">校验不一致，请联系系统管理员</Tag>
          )}
        </Descriptions.Item>
      </Descriptions>
    </section>
  );
}

function Disclosure({ e }: { e: CreditEntry }) {
  const d = e.disclosure;
  return (
    <span>
      {d.label}
      {d.until ? (
        <>
          <br />
          {formatDay(d.from)} 至 {formatDay(d.lastDayShown)}
          <br />
          <Tag color={d.status === 'inside' ? 'warning' : undefined}>{label(DISCLOSURE_STATUS_LABELS, d.status)}</Tag>
        </>
      ) : null}
    </span>
  );
}

function Source({ e }: { e: CreditEntry }) {
  const text = label(CREDIT_SOURCE_LABELS, e.source.kind);
  if (e.source.kind === 'complaint' && e.source.ref) return <Link to={`/complaints/${e.source.ref}`}>{text}</Link>;
  if (e.source.kind === 'rating' && e.source.ref) return <Link to={`/ratings/${e.source.ref}`}>{text}</Link>;
  return <span>{text}</span>;
}

const entryColumns: ColumnsType<CreditEntry> = [
  { title: '类别', key: 'kind', render: (_v, e) => <Tag>{e.kindLabel}</Tag> },
  {
    title: '事项',
    key: 'title',
    render: (_v, e) => (
      <span>
        {e.title}
        {e.outcomeLabel ? `（${e.outcomeLabel}）` : ''}
        {e.basis ? <div className="kpi-note">依据：{e.basis}</div> : null}
      </span>
    ),
  },
  { title: '决定机关', key: 'authority', render: (_v, e) => e.authority },
  { title: '决定日期', key: 'decidedOn', render: (_v, e) => formatDay(e.decidedOn) },
  { title: '决定文书', key: 'document', render: (_v, e) => e.document ?? '—' },
  { title: '公示期限', key: 'disclosure', render: (_v, e) => <Disclosure e={e} /> },
  { title: '来源', key: 'source', render: (_v, e) => <Source e={e} /> },
  { title: '记录时间', key: 'recordedAt', render: (_v, e) => formatDateTime(e.recordedAt) },
];

function Entries({ entries }: { entries: CreditEntry[] }) {
  return (
    <section aria-labelledby="credit-entries" className="panel">
      <h2 id="credit-entries">档案记录</h2>
      {/* An empty table with a horizontal scroll draws its placeholder below the contrast AA asks: a sentence instead. */}
      {entries.length === 0 ? (
        <p>暂无记录。</p>
      ) : (
        <Table<CreditEntry>
          rowKey="seq"
          columns={entryColumns}
          dataSource={[...entries].reverse()}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
        />
      )}
    </section>
  );
}

type Evaluated = CreditEntry & { evaluation: NonNullable<CreditEntry['evaluation']> };

const evaluationColumns: ColumnsType<Evaluated> = [
  {
    title: '评价期间',
    key: 'period',
    render: (_v, e) => `${formatDay(e.evaluation.period.from)} 至 ${formatDay(e.evaluation.period.to)}`,
  },
  { title: '结案数', key: 'concluded', render: (_v, e) => e.evaluation.concluded },
  { title: '调解成功率', key: 'agreementRate', render: (_v, e) => formatRate(e.evaluation.agreementRate) },
  {
    title: '办理天数中位数',
    key: 'medianDays',
    render: (_v, e) => (e.evaluation.medianDays === null ? '—' : `${e.evaluation.medianDays} 天`),
  },
  { title: '按期办结率', key: 'onTimeRate', render: (_v, e) => formatRate(e.evaluation.onTimeRate) },
  { title: '满意率', key: 'satisfactionRate', render: (_v, e) => formatRate(e.evaluation.satisfactionRate) },
  { title: '投诉属实', key: 'complaintsUpheld', render: (_v, e) => e.evaluation.complaintsUpheld },
  { title: '公示期内不良记录', key: 'adverse', render: (_v, e) => e.evaluation.adverseInWindow },
  { title: '等级', key: 'level', render: (_v, e) => label(CREDIT_LEVEL_LABELS, e.evaluation.level) },
  { title: '评级规则版本', key: 'rule', render: (_v, e) => e.evaluation.ruleVersion },
];

function Evaluations({ entries }: { entries: CreditEntry[] }) {
  const rows = entries.filter((e): e is Evaluated => e.kind === 'evaluation' && e.evaluation !== null).reverse();
  return (
    <section aria-labelledby="credit-evaluations" className="panel">
      <h2 id="credit-evaluations">综合评价</h2>
      {rows.length === 0 ? (
        <p>尚未评价。</p>
      ) : (
        <Table<Evaluated>
          rowKey="seq"
          columns={evaluationColumns}
          dataSource={rows}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
        />
      )}
    </section>
  );
}
