/**
 * 公开名录 (/portal/directory, no login; 揭阳市公共法律服务促进办法（征求意见稿）第二十一条): the mediators with their
 * organization, qualification, specialties, languages, whether they take new cases, their level and the bad
 * records still inside their disclosure window; the mediation organizations likewise, with address and hours; the
 * legal-aid offices, notary offices and courts with their addresses, hours and public service lines. What a party
 * browses when choosing a mediator (人民法院在线调解规则第五条). One list at a time, so a phone shows it short.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeading } from '../../../shared/a11y';
import { DISPUTE_TYPE_LABELS, MEDIATOR_LANGUAGE_LABELS, label } from '../../../shared/labels';
import { useSession } from '../../session';
import { LoadFailed, Loading } from '../Loading';
import { CreditFacts } from './CreditFacts';
import {
  useDirectoryMediators,
  useDirectoryOffices,
  useDirectoryOrganizations,
  type DirectoryMediator,
  type DirectoryOffice,
  type DirectoryOrganization,
  type DisputeType,
} from './useDirectory';

const VIEWS = { mediators: '调解员', organizations: '调解组织', offices: '法律援助、公证和法院' } as const;
type View = keyof typeof VIEWS;

const OFFICE_KINDS: { kind: DirectoryOffice['kind']; title: string }[] = [
  { kind: 'legal_aid_office', title: '法律援助机构' },
  { kind: 'notary_office', title: '公证机构' },
  { kind: 'court', title: '人民法院' },
];

const specialtiesText = (types: readonly string[]) =>
  types.length ? types.map((t) => label(DISPUTE_TYPE_LABELS, t)).join('、') : '各类纠纷';

export default function DirectoryPage() {
  const [view, setView] = useState<View>('mediators');
  const { principal } = useSession();
  return (
    <>
      <PageHeading title="公开名录" />
      <p>
        调解组织、调解员、法律援助机构、公证机构和法院的公开信息，任何人无需登录即可查询。等级依司法行政部门的评定规则评定；处分和查实的投诉在公示期内公开，期满后不再显示。
      </p>
      <div className="directory-views" role="group" aria-label="选择要查看的名录">
        {(Object.entries(VIEWS) as [View, string][]).map(([v, text]) => (
          <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)}>
            {text}
          </button>
        ))}
      </div>
      {view === 'mediators' ? <Mediators /> : view === 'organizations' ? <Organizations /> : <Offices />}
      <p>{principal ? <Link to="/">返回我的案件</Link> : <Link to="/">当事人登录</Link>}</p>
    </>
  );
}

function Mediators() {
  const [disputeType, setDisputeType] = useState<DisputeType | ''>('');
  const list = useDirectoryMediators(disputeType || undefined);
  return (
    <section aria-labelledby="directory-mediators">
      <h2 id="directory-mediators">调解员</h2>
      <div className="directory-filter">
        <label htmlFor="directory-dispute-type">按擅长的纠纷类型查看</label>
        <select
          id="directory-dispute-type"
          value={disputeType}
          onChange={(e) => setDisputeType(e.target.value as DisputeType | '')}
        >
          <option value="">全部类型</option>
          {Object.entries(DISPUTE_TYPE_LABELS).map(([code, text]) => (
            <option key={code} value={code}>
              {text}
            </option>
          ))}
        </select>
      </div>
      {list.isPending ? (
        <Loading what="调解员名录" />
      ) : list.isError ? (
        <LoadFailed error={list.error} retry={() => void list.refetch()} />
      ) : list.data.mediators.length === 0 ? (
        <p>没有符合条件的调解员。</p>
      ) : (
        <>
          <p role="status">共 {list.data.mediators.length} 位调解员。</p>
          <ul className="directory-list">
            {list.data.mediators.map((m) => (
              <MediatorEntry key={m.mediatorId} m={m} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function MediatorEntry({ m }: { m: DirectoryMediator }) {
  return (
    <li data-testid="directory-mediator">
      <h3>{m.displayName}</h3>
      <dl className="facts">
        <dt>所在组织</dt>
        <dd>{m.organization.name}</dd>
        {m.qualification ? (
          <>
            <dt>资格</dt>
            <dd>{m.qualification.label}</dd>
          </>
        ) : null}
        <dt>擅长</dt>
        <dd>{specialtiesText(m.specialties)}</dd>
        <dt>语言</dt>
        <dd>{m.languages.map((l) => label(MEDIATOR_LANGUAGE_LABELS, l)).join('、') || '普通话'}</dd>
        <dt>接受新案件</dt>
        <dd>{m.accepting ? '是' : '暂不接受'}</dd>
        <CreditFacts level={m.level} sanctions={m.sanctions} />
      </dl>
    </li>
  );
}

function Organizations() {
  const list = useDirectoryOrganizations();
  if (list.isPending) return <Loading what="调解组织名录" />;
  if (list.isError) return <LoadFailed error={list.error} retry={() => void list.refetch()} />;
  return (
    <section aria-labelledby="directory-organizations">
      <h2 id="directory-organizations">调解组织</h2>
      <ul className="directory-list">
        {list.data.organizations.map((o) => (
          <OrganizationEntry key={o.orgId} o={o} />
        ))}
      </ul>
    </section>
  );
}

function OrganizationEntry({ o }: { o: DirectoryOrganization }) {
  return (
    <li data-testid="directory-organization">
      <h3>{o.name}</h3>
      <dl className="facts">
        <dt>类型</dt>
        <dd>{o.kindLabel}</dd>
        {o.county ? (
          <>
            <dt>所在区县</dt>
            <dd>{o.county}</dd>
          </>
        ) : null}
        <dt>受理纠纷</dt>
        <dd>{specialtiesText(o.disputeTypes)}</dd>
        <ListingFacts l={o} />
        <CreditFacts level={o.level} sanctions={o.sanctions} />
      </dl>
    </li>
  );
}

/** Address, hours and the office's public line (a person's number is never listed). */
function ListingFacts({ l }: { l: { address: string | null; hours: string | null; officePhone: string | null } }) {
  return (
    <>
      <dt>地址</dt>
      <dd>{l.address ?? '请致电 12348 查询'}</dd>
      <dt>办公时间</dt>
      <dd>{l.hours ?? '请致电 12348 查询'}</dd>
      {l.officePhone ? (
        <>
          <dt>服务电话</dt>
          <dd>
            <a href={`tel:${l.officePhone.replace(/[^\d+]/g, '')}`}>{l.officePhone}</a>
          </dd>
        </>
      ) : null}
    </>
  );
}

function Offices() {
  const list = useDirectoryOffices();
  if (list.isPending) return <Loading what="机构名录" />;
  if (list.isError) return <LoadFailed error={list.error} retry={() => void list.refetch()} />;
  return (
    <>
      {OFFICE_KINDS.map(({ kind, title }) => {
        const offices = list.data.offices.filter((o) => o.kind === kind);
        return (
          <section key={kind} aria-labelledby={`directory-${kind}`}>
            <h2 id={`directory-${kind}`}>{title}</h2>
            {offices.length === 0 ? (
              <p>暂无。</p>
            ) : (
              <ul className="directory-list">
                {offices.map((o) => (
                  <li key={o.officeId} data-testid="directory-office">
                    <h3>{o.name}</h3>
                    <dl className="facts">
                      <ListingFacts l={o} />
                    </dl>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </>
  );
}
