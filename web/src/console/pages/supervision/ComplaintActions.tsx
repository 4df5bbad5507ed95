/**
 * The actions the server offers on a complaint (its `actions`: domain/complaints.ts complaintActionsFor), each a
 * button that opens its small form (ProcessActions, from the table below); nothing here decides who may do what or
 * when. One Idempotency-Key per intent, kept while the same form is sent again.
 */
import { api, ok, type Principal } from '../../../api/client';
import { outcomesFor, REPLY_CHANNEL_LABELS, type ComplaintView } from '../../../shared/complaint-labels';
import { useSession } from '../../session';
import {
  ActionDialog,
  asked,
  optionsOf,
  ProcessActions,
  type ActionFormSpec,
  type ActionSpec,
  type Values,
} from './ProcessActions';

/** Each command's path under /complaints/{id} and its name on the button (api/routes/complaint-view.ts). */
export const COMPLAINT_ACTIONS: Record<string, ActionSpec> = {
  accept: { path: 'acceptance', name: '受理' },
  issue_notice: { path: 'notice', name: '一次性告知补正' },
  decline: { path: 'rejection', name: '不予受理' },
  assign_investigator: { path: 'investigator', name: '指派调查人' },
  record_findings: { path: 'findings', name: '记录调查结论' },
  extend_decision: { path: 'extension', name: '延长处理期限' },
  decide: { path: 'decision', name: '作出处理决定' },
  answer: { path: 'answer', name: '答复投诉人' },
  supplement: { path: 'supplement', name: '补正材料' },
  give_feedback: { path: 'feedback', name: '记录投诉人评价' },
};

/** Each command's form: the sanctions open against this target, the investigator chosen from who is signed in. */
function complaintForms(c: ComplaintView, principal: Principal | null): Record<string, ActionFormSpec> {
  const { citation, outcomes } = outcomesFor(c.target);
  return {
    accept: {
      note: '受理后开始计算处理决定期限（45 日），被投诉方可以查看投诉内容（不含投诉人信息）。',
      fields: [],
    },
    issue_notice: {
      fields: [
        {
          name: 'missing',
          label: '需补正的材料或事项（每行一项）',
          input: 'textarea',
          rows: 4,
          ...asked('需补正的事项'),
        },
      ],
    },
    decline: { fields: [{ name: 'reason', label: '不予受理的理由', input: 'textarea', rows: 4, ...asked('理由') }] },
    assign_investigator: {
      fields: [
        {
          name: 'accountId',
          label: '调查人',
          input: 'select',
          options: principal ? [{ value: principal.id, label: `${principal.name}（本人）` }] : [],
          required: '请选择调查人',
        },
      ],
    },
    record_findings: {
      fields: [
        { name: 'findings', label: '调查结论（仅处理人员可见）', input: 'textarea', rows: 5, ...asked('调查结论') },
      ],
    },
    extend_decision: {
      fields: [
        { name: 'days', label: '延长天数', input: 'number', min: 1, max: 365, required: '请填写延长天数' },
        { name: 'approvedBy', label: '批准人', input: 'text', ...asked('批准人') },
        { name: 'reason', label: '延长理由', input: 'textarea', rows: 3, ...asked('延长理由') },
      ],
    },
    decide: {
      fields: [
        {
          name: 'upheld',
          label: '处理结果',
          input: 'radio',
          options: [
            { value: true, label: '投诉成立' },
            { value: false, label: '投诉不成立' },
          ],
        },
        {
          name: 'outcome',
          label: `处理措施（依据${citation}）`,
          input: 'select',
          options: optionsOf(outcomes),
          required: '请选择处理措施',
          shownWith: 'upheld',
        },
        { name: 'reasons', label: '决定理由', input: 'textarea', rows: 4, ...asked('决定理由') },
      ],
    },
    answer: {
      fields: [
        {
          name: 'channel',
          label: '答复方式',
          input: 'select',
          options: optionsOf(REPLY_CHANNEL_LABELS),
          required: '请选择答复方式',
        },
        { name: 'text', label: '答复内容', input: 'textarea', rows: 5, ...asked('答复内容') },
      ],
    },
    supplement: { fields: [{ name: 'text', label: '补正内容', input: 'textarea', rows: 5, ...asked('补正内容') }] },
    give_feedback: {
      fields: [
        {
          name: 'satisfied',
          label: '投诉人对答复',
          input: 'radio',
          options: [
            { value: true, label: '满意' },
            { value: false, label: '不满意' },
          ],
          required: '请选择',
        },
        { name: 'comment', label: '投诉人意见（可不填）', input: 'textarea', rows: 3 },
      ],
    },
  };
}

export function ComplaintActions({ c }: { c: ComplaintView }) {
  return (
    <ProcessActions
      offered={c.actions}
      specs={COMPLAINT_ACTIONS}
      primary={(a) => a === 'accept'}
      dialog={(action, onClose) => <ComplaintDialog c={c} action={action} onClose={onClose} />}
    />
  );
}

function ComplaintDialog({ c, action, onClose }: { c: ComplaintView; action: string; onClose: () => void }) {
  const { principal } = useSession();
  return (
    <ActionDialog
      spec={COMPLAINT_ACTIONS[action]!}
      form={complaintForms(c, principal)[action] ?? { fields: [] }}
      initialValues={{ channel: c.replyChannel, upheld: true }}
      toBody={(v) => bodyOf(action, v)}
      post={(path, body, key) =>
        ok(
          api.POST(`/complaints/{complaintId}/${path}` as '/complaints/{complaintId}/acceptance', {
            params: { path: { complaintId: c.complaintId } },
            body: body as never,
            headers: { 'Idempotency-Key': key },
          }),
        )
      }
      queryKey={['complaint', c.complaintId]}
      listKey={['complaints']}
      announced={(after) => `投诉状态：${after.statusLabel}`}
      onClose={onClose}
    />
  );
}

/** The form's values as the API's body (a notice's list is one item a line). */
function bodyOf(action: string, v: Values): Values {
  if (action === 'issue_notice')
    return {
      missing: String(v.missing ?? '')
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
    };
  if (action === 'decide') return { upheld: v.upheld, reasons: v.reasons, ...(v.upheld ? { outcome: v.outcome } : {}) };
  return v;
}
