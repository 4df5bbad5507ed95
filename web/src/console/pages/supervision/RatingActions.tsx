/**
 * The follow-up actions the server offers on a 差评 (its `actions`: domain/ratings.ts followUpActionsFor), each a
 * button that opens its small form (ProcessActions, from the table below): the call-back (回访核实), the fix or
 * explanation, the answer to the party, the mediator's 申诉复核 and the supervisor's decision on it. Nothing here
 * decides who may do what or when; a 400 shows at the field it names. One Idempotency-Key per intent, kept while the
 * same form is sent again.
 */
import { api, ok } from '../../../api/client';
import { ActionDialog, asked, optionsOf, ProcessActions, type ActionFormSpec } from './ProcessActions';
import { FIX_KIND_LABELS, RATING_ACTIONS, REVIEW_OUTCOME_LABELS, type RatingView } from './rating-labels';

/** Each action's form; its fields are the body's (api/routes/rating-view.ts RATING_ACTION_ROUTES). */
const RATING_FORMS: Record<string, ActionFormSpec> = {
  call_back: {
    fields: [
      {
        name: 'reached',
        label: '是否联系上当事人',
        input: 'radio',
        options: [
          { value: true, label: '已联系上' },
          { value: false, label: '未能联系上' },
        ],
      },
      {
        name: 'note',
        label: '回访情况（当事人反映的问题）',
        input: 'textarea',
        rows: 4,
        maxLength: 2000,
        ...asked('回访情况'),
      },
    ],
  },
  record_fix: {
    fields: [
      { name: 'kind', label: '处理方式', input: 'radio', options: optionsOf(FIX_KIND_LABELS) },
      {
        name: 'text',
        label: '整改措施或解释说明',
        input: 'textarea',
        rows: 5,
        maxLength: 5000,
        ...asked('整改措施或解释说明'),
      },
    ],
  },
  answer: {
    fields: [
      {
        name: 'text',
        label: '反馈当事人的内容',
        extra: '反馈后当事人可在门户追评一次',
        input: 'textarea',
        rows: 5,
        maxLength: 5000,
        ...asked('反馈内容'),
      },
    ],
  },
  request_review: {
    fields: [
      {
        name: 'reason',
        label: '申请复核的理由（误评或恶意差评）',
        input: 'textarea',
        rows: 5,
        maxLength: 2000,
        ...asked('申请理由'),
      },
    ],
  },
  decide_review: {
    fields: [
      {
        name: 'outcome',
        label: '复核结论',
        input: 'select',
        options: optionsOf(REVIEW_OUTCOME_LABELS),
        required: '请选择复核结论',
      },
      { name: 'reasons', label: '复核理由', input: 'textarea', rows: 4, maxLength: 2000, ...asked('复核理由') },
    ],
  },
};

export function RatingActions({ r }: { r: RatingView }) {
  return (
    <ProcessActions
      offered={r.actions}
      specs={RATING_ACTIONS}
      primary={(_a, i) => i === 0}
      dialog={(action, onClose) => <RatingDialog r={r} action={action} onClose={onClose} />}
    />
  );
}

function RatingDialog({ r, action, onClose }: { r: RatingView; action: string; onClose: () => void }) {
  const form = RATING_FORMS[action] ?? { fields: [] };
  return (
    <ActionDialog
      spec={RATING_ACTIONS[action]!}
      form={form}
      initialValues={{ reached: true, kind: 'fixed' }}
      post={(path, body, key) =>
        ok(
          api.POST(`/ratings/{ratingId}/${path}` as '/ratings/{ratingId}/answer', {
            params: { path: { ratingId: r.ratingId } },
            body: body as never,
            headers: { 'Idempotency-Key': key },
          }),
        )
      }
      queryKey={['rating', r.ratingId]}
      listKey={['rating-follow-ups']}
      announced={(after) => `办理阶段：${after.followUp?.statusLabel ?? ''}`}
      fieldNames={form.fields.map((f) => f.name)}
      onClose={onClose}
    />
  );
}
