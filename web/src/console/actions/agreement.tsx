/**
 * What the agreement's drafting form adds to the generic action form: the last recorded version as the base of
 * a new one (a revision starts from what the parties read, not from blank), the dispute type's clause set (the
 * terms a mediator commonly starts from, and the notices the agreement will print by law), all from the API and
 * the templates' own data (web/src/api/vocabulary.ts), never restated here.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, ok, type CaseView } from '../../api/client';
import { CLAUSE_SETS } from '../../api/vocabulary';

export type AgreementDraft = {
  version: number;
  content: {
    facts: string;
    terms: { text: string; amountFen?: number; dueDate?: string; manner?: string; payeePartyId?: string }[];
    performance?: string;
    notarization?: { debtorPartyIds: string[] };
  };
};

/** Actions whose form drafts an agreement's content. */
export const DRAFTING_ACTIONS = new Set(['agreement/drafts', 'agreement/oral']);

export const draftsKey = (caseId: string) => ['agreement-drafts', caseId] as const;

/** The agreement's recorded versions, for a drafting form (not fetched for any other action). */
export function useDrafts(view: CaseView, path: string) {
  return useQuery({
    queryKey: draftsKey(view.caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}/agreement/drafts', { params: { path: { caseId: view.caseId } } })),
    enabled: DRAFTING_ACTIONS.has(path) && !!view.agreement,
  });
}

/** A recorded content as the form holds it: yuan for fen, a date for a day. The inverse of the form's body. */
export function contentToValues(content: AgreementDraft['content']): Record<string, unknown> {
  return {
    facts: content.facts,
    terms: content.terms.map((t) => ({
      text: t.text,
      ...(t.amountFen !== undefined ? { amountFen: t.amountFen / 100 } : {}),
      ...(t.dueDate ? { dueDate: dayjs(t.dueDate) } : {}),
      ...(t.manner ? { manner: t.manner } : {}),
      ...(t.payeePartyId ? { payeePartyId: t.payeePartyId } : {}),
    })),
    ...(content.performance ? { performance: content.performance } : {}),
    ...(content.notarization ? { notarization: content.notarization } : {}),
  };
}

/** Above the fields: which version this revises, and the notices the agreement will print for this type of dispute. */
export function DraftingNotes({ view, base }: { view: CaseView; base: AgreementDraft | undefined }) {
  const set = CLAUSE_SETS[view.disputeType as keyof typeof CLAUSE_SETS];
  return (
    <>
      {base ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={`已填入第 ${base.version} 版的内容，修改后提交即为第 ${base.version + 1} 版；已签署的须重新签署。`}
        />
      ) : null}
      {set?.notices.length ? (
        <details className="drafting-notices">
          <summary>
            {set.label}协议将依法自动载明的事项（{set.notices.length} 项）
          </summary>
          <ol>
            {set.notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ol>
        </details>
      ) : null}
    </>
  );
}

/** Beside 添加条款: a common term of this dispute type, added as a new term to complete (＿＿ marks what to fill). */
export function ClausePicker({ view, onPick }: { view: CaseView; onPick(text: string): void }) {
  const [value, setValue] = useState<string | null>(null);
  const terms = CLAUSE_SETS[view.disputeType as keyof typeof CLAUSE_SETS]?.terms ?? [];
  if (!terms.length) return null;
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8, marginInlineStart: 12 }}>
      <Typography.Text id="clause-picker-label">常用条款</Typography.Text>
      <Select
        aria-labelledby="clause-picker-label"
        value={value}
        placeholder="选择后添加为新条款（可输入文字筛选）"
        showSearch={{ optionFilterProp: 'label' }}
        style={{ width: 360 }}
        popupMatchSelectWidth={520}
        options={terms.map((t) => ({ value: t, label: t }))}
        onChange={(t: string) => {
          onPick(t);
          // Ready for the next one: the Select shows its placeholder again.
          setValue(null);
        }}
      />
    </span>
  );
}
