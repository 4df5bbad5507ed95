/**
 * 协议: the agreement's signature tracker (whose signatures the law asks of this agreement, and which are in),
 * and its versions compared: what changed from one version to another, character by character, as the parties
 * will ask before signing a revision. Whose signatures count comes from the domain (EFFECT_RULES, generated into
 * the vocabulary), what is signed from the case view; nothing is decided here.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Empty, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { diffChars } from 'diff';
import { useMemo, useState } from 'react';
import { api, ok, type CaseView } from '../../../api/client';
import { errorText } from '../../../api/problems';
import { EFFECT_RULES } from '../../../api/vocabulary';
import type { AgreementDraft } from '../../actions/agreement';
import { draftsKey } from '../../actions/agreement';
import { formatDateTime, formatFen } from '../../format';
import { label, PARTY_ROLE_LABELS } from '../../labels';
import './agreement.css';

type Signer = { key: string; who: string; signed: boolean };

/** The signatures this agreement needs, in the order the signature block prints them. */
function signers(view: CaseView): Signer[] {
  const a = view.agreement;
  if (!a) return [];
  const needs: readonly string[] = EFFECT_RULES[a.path as keyof typeof EFFECT_RULES]?.needs ?? ['parties'];
  const out: Signer[] = [];
  if (needs.includes('parties')) {
    for (const p of view.parties.filter(
      (x) => x.role === 'applicant' || x.role === 'respondent' || x.role === 'third_party',
    )) {
      out.push({
        key: p.partyId,
        who: `${label(PARTY_ROLE_LABELS, p.role)} ${p.name}`,
        signed: a.signatures.includes(p.partyId),
      });
    }
  }
  if (needs.includes('mediator'))
    out.push({ key: 'mediator', who: '调解员', signed: a.signatures.includes('mediator') });
  if (needs.includes('organization_seal'))
    out.push({ key: 'organization_seal', who: '调解组织（盖章）', signed: a.signatures.includes('organization_seal') });
  return out;
}

/** A version as the parties read it, one line per part. */
function asText(d: AgreementDraft, view: CaseView): string {
  const name = (id?: string) => view.parties.find((p) => p.partyId === id)?.name;
  const lines = [`纠纷事实：${d.content.facts}`];
  d.content.terms.forEach((t, i) => {
    const details = [
      t.amountFen !== undefined ? `金额 ${formatFen(t.amountFen)}` : '',
      t.dueDate ? `履行期限 ${t.dueDate}` : '',
      t.manner ? `方式 ${t.manner}` : '',
      t.payeePartyId ? `收款人 ${name(t.payeePartyId) ?? ''}` : '',
    ].filter(Boolean);
    lines.push(`第 ${i + 1} 条：${t.text}${details.length ? `（${details.join('；')}）` : ''}`);
  });
  if (d.content.performance) lines.push(`履行方式和期限：${d.content.performance}`);
  if (d.content.notarization)
    lines.push(
      `赋予强制执行效力公证：承诺接受强制执行的债务人 ${d.content.notarization.debtorPartyIds.map((id) => name(id) ?? '').join('、')}`,
    );
  return lines.join('\n');
}

function Comparison({ from, to, view }: { from: AgreementDraft; to: AgreementDraft; view: CaseView }) {
  const parts = useMemo(() => diffChars(asText(from, view), asText(to, view)), [from, to, view]);
  const changed = parts.some((p) => p.added || p.removed);
  return (
    <>
      <Typography.Paragraph type="secondary">
        {changed ? '删去的文字以删除线标出，新增的文字以下划线标出。' : '两个版本的内容相同。'}
      </Typography.Paragraph>
      <pre className="agreement-diff" aria-label={`第 ${from.version} 版与第 ${to.version} 版的比较`}>
        {parts.map((p, i) =>
          p.added ? (
            <ins key={i}>
              <span className="sr-only">［新增：</span>
              {p.value}
              <span className="sr-only">］</span>
            </ins>
          ) : p.removed ? (
            <del key={i}>
              <span className="sr-only">［删去：</span>
              {p.value}
              <span className="sr-only">］</span>
            </del>
          ) : (
            <span key={i}>{p.value}</span>
          ),
        )}
      </pre>
    </>
  );
}

export function AgreementTab({ view }: { view: CaseView }) {
  const drafts = useQuery({
    queryKey: draftsKey(view.caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}/agreement/drafts', { params: { path: { caseId: view.caseId } } })),
    enabled: !!view.agreement,
  });
  const versions = drafts.data?.drafts ?? [];
  const [pick, setPick] = useState<{ from?: number; to?: number }>({});
  if (!view.agreement) return <Empty description="本案尚未起草调解协议" />;
  if (drafts.isError)
    return <Alert type="error" showIcon role="alert" title={errorText(drafts.error, '协议加载失败，请重试。')} />;
  if (!drafts.data)
    return (
      <Spin description="正在加载协议…">
        <div style={{ minHeight: 80 }} />
      </Spin>
    );
  const to = versions.find((d) => d.version === (pick.to ?? view.agreement!.version)) ?? versions.at(-1);
  const from = versions.find((d) => d.version === (pick.from ?? (to ? to.version - 1 : 0)));
  const list = signers(view);
  const options = versions.map((d) => ({
    value: d.version,
    label: `第 ${d.version} 版（${formatDateTime(d.createdAt)}）`,
  }));
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <section aria-labelledby="signatures-heading">
        <h3 id="signatures-heading" style={{ fontSize: 15 }}>
          签署情况（第 {view.agreement.version} 版）
        </h3>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'form', label: '协议形式', children: view.agreement.form === 'oral' ? '口头协议' : '书面协议' },
            {
              key: 'basis',
              label: '生效依据',
              children: EFFECT_RULES[view.agreement.path as keyof typeof EFFECT_RULES]?.basis ?? '—',
            },
            {
              key: 'effective',
              label: '生效时间',
              children: view.agreement.effectiveAt
                ? formatDateTime(view.agreement.effectiveAt)
                : `尚未生效（已签 ${list.filter((s) => s.signed).length}/${list.length}）`,
            },
          ]}
        />
        {view.agreement.form === 'written' ? (
          <Table<Signer>
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={list}
            columns={[
              { title: '签署人', dataIndex: 'who' },
              // Words, not only a colour: 已签署 / 未签署.
              {
                title: '状态',
                key: 'signed',
                render: (_v, s) => (s.signed ? <Tag color="success">已签署</Tag> : <Tag color="warning">未签署</Tag>),
              },
            ]}
          />
        ) : null}
      </section>
      <section aria-labelledby="versions-heading">
        <h3 id="versions-heading" style={{ fontSize: 15 }}>
          版本比较
        </h3>
        {versions.length < 2 || !to ? (
          <Typography.Paragraph type="secondary">只有一个版本，暂无可比较的修改。</Typography.Paragraph>
        ) : (
          <>
            <Space wrap style={{ marginBottom: 12 }}>
              <label htmlFor="diff-from">比较</label>
              <Select
                id="diff-from"
                style={{ width: 260 }}
                value={from?.version}
                options={options}
                onChange={(v: number) => setPick((p) => ({ ...p, from: v }))}
              />
              <label htmlFor="diff-to">与</label>
              <Select
                id="diff-to"
                style={{ width: 260 }}
                value={to.version}
                options={options}
                onChange={(v: number) => setPick((p) => ({ ...p, to: v }))}
              />
            </Space>
            {from ? <Comparison from={from} to={to} view={view} /> : null}
          </>
        )}
      </section>
    </Space>
  );
}
