/**
 * The follow-up actions the server offers on a 差评 (its `actions`: domain/ratings.ts followUpActionsFor), each a
 * button that opens its small form: the call-back (回访核实), the fix or explanation, the answer to the party, the
 * mediator's 申诉复核 and the supervisor's decision on it. Nothing here decides who may do what or when; a 400
 * shows at the field it names. One Idempotency-Key per intent, kept while the same form is sent again.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../../api/client';
import { useKeyPerBody } from '../../../shared/idempotency';
import { announce } from '../../a11y';
import { formErrorText, showFieldErrors } from './field-errors';
import { FIX_KIND_LABELS, RATING_ACTIONS, REVIEW_OUTCOME_LABELS, type RatingView } from './rating-labels';

type Values = Record<string, unknown>;

export function RatingActions({ r }: { r: RatingView }) {
  const [open, setOpen] = useState<string | null>(null);
  const offered = r.actions.filter((a) => RATING_ACTIONS[a]);
  if (offered.length === 0) return <p>当前没有需要您办理的操作。</p>;
  return (
    <>
      <div className="chart-actions">
        {offered.map((a, i) => (
          <Button key={a} type={i === 0 ? 'primary' : 'default'} onClick={() => setOpen(a)}>
            {RATING_ACTIONS[a]!.name}
          </Button>
        ))}
      </div>
      {open ? <ActionDialog r={r} action={open} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

/** The fields each action's body has (api/routes/rating-view.ts RATING_ACTION_ROUTES). */
const FIELDS: Record<string, string[]> = {
  call_back: ['reached', 'note'],
  record_fix: ['kind', 'text'],
  answer: ['text'],
  request_review: ['reason'],
  decide_review: ['outcome', 'reasons'],
};

function ActionDialog({ r, action, onClose }: { r: RatingView; action: string; onClose: () => void }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const keys = useKeyPerBody();
  const spec = RATING_ACTIONS[action]!;
  const send = useMutation({
    mutationFn: (body: Values) => {
      const key = keys.keyFor(body);
      return ok(
        api.POST(`/ratings/{ratingId}/${spec.path}` as '/ratings/{ratingId}/answer', {
          params: { path: { ratingId: r.ratingId } },
          body: body as never,
          headers: { 'Idempotency-Key': key },
        }),
      );
    },
    onSuccess: async (after) => {
      queryClient.setQueryData(['rating', r.ratingId], after);
      onClose();
      void message.success(`已办理：${spec.name}`);
      announce(`已办理：${spec.name}。办理阶段：${after.followUp?.statusLabel ?? ''}`);
      await queryClient.invalidateQueries({ queryKey: ['rating-follow-ups'] });
    },
    onError: (error) => showFieldErrors(form, error, FIELDS[action] ?? []),
  });
  return (
    <Modal
      open
      title={spec.name}
      okText="确认办理"
      cancelText="取消"
      confirmLoading={send.isPending}
      onCancel={onClose}
      onOk={() =>
        void form
          .validateFields()
          .then((v) => send.mutate(v))
          // antd shows what is missing at its field.
          .catch(() => undefined)
      }
    >
      <Form form={form} layout="vertical" initialValues={{ reached: true, kind: 'fixed' }}>
        <ActionFields action={action} />
      </Form>
      {send.isError ? (
        <p role="alert" className="form-error">
          {formErrorText(send.error, '未能办理，请重试。')}
        </p>
      ) : null}
    </Modal>
  );
}

const required = (what: string) => [{ required: true, whitespace: true, message: `请填写${what}` }];

function ActionFields({ action }: { action: string }) {
  switch (action) {
    case 'call_back':
      return (
        <>
          <Form.Item name="reached" label="是否联系上当事人">
            <Radio.Group
              options={[
                { value: true, label: '已联系上' },
                { value: false, label: '未能联系上' },
              ]}
            />
          </Form.Item>
          <Form.Item name="note" label="回访情况（当事人反映的问题）" rules={required('回访情况')}>
            <Input.TextArea rows={4} maxLength={2000} />
          </Form.Item>
        </>
      );
    case 'record_fix':
      return (
        <>
          <Form.Item name="kind" label="处理方式">
            <Radio.Group options={Object.entries(FIX_KIND_LABELS).map(([value, l]) => ({ value, label: l }))} />
          </Form.Item>
          <Form.Item name="text" label="整改措施或解释说明" rules={required('整改措施或解释说明')}>
            <Input.TextArea rows={5} maxLength={5000} />
          </Form.Item>
        </>
      );
    case 'answer':
      return (
        <Form.Item
          name="text"
          label="反馈当事人的内容"
          extra="反馈后当事人可在门户追评一次"
          rules={required('反馈内容')}
        >
          <Input.TextArea rows={5} maxLength={5000} />
        </Form.Item>
      );
    case 'request_review':
      return (
        <Form.Item name="reason" label="申请复核的理由（误评或恶意差评）" rules={required('申请理由')}>
          <Input.TextArea rows={5} maxLength={2000} />
        </Form.Item>
      );
    case 'decide_review':
      return (
        <>
          <Form.Item name="outcome" label="复核结论" rules={[{ required: true, message: '请选择复核结论' }]}>
            <Select options={Object.entries(REVIEW_OUTCOME_LABELS).map(([value, l]) => ({ value, label: l }))} />
          </Form.Item>
          <Form.Item name="reasons" label="复核理由" rules={required('复核理由')}>
            <Input.TextArea rows={4} maxLength={2000} />
          </Form.Item>
        </>
      );
    default:
      return null;
  }
}
