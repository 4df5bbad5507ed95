/**
 * The actions the server offers on a complaint (its `actions`: domain/complaints.ts complaintActionsFor), each a
 * button that opens its small form; nothing here decides who may do what or when. One Idempotency-Key per
 * intent, kept while the same form is sent again.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../../api/client';
import { useKeyPerBody } from '../../../shared/idempotency';
import { errorText } from '../../../api/problems';
import { outcomesFor, REPLY_CHANNEL_LABELS, type ComplaintView } from '../../../shared/complaint-labels';
import { announce } from '../../a11y';
import { useSession } from '../../session';

/** Each command's path under /complaints/{id} and its name on the button (api/routes/complaint-view.ts). */
export const COMPLAINT_ACTIONS: Record<string, { path: string; name: string }> = {
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

type Values = Record<string, unknown>;

export function ComplaintActions({ c }: { c: ComplaintView }) {
  const [open, setOpen] = useState<string | null>(null);
  const offered = c.actions.filter((a) => COMPLAINT_ACTIONS[a]);
  if (offered.length === 0) return <p>当前没有需要您办理的操作。</p>;
  return (
    <>
      <div className="chart-actions">
        {offered.map((a) => (
          <Button key={a} type={a === 'accept' ? 'primary' : 'default'} onClick={() => setOpen(a)}>
            {COMPLAINT_ACTIONS[a]!.name}
          </Button>
        ))}
      </div>
      {open ? <ActionDialog c={c} action={open} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

function ActionDialog({ c, action, onClose }: { c: ComplaintView; action: string; onClose: () => void }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const keys = useKeyPerBody();
  const spec = COMPLAINT_ACTIONS[action]!;
  const send = useMutation({
    mutationFn: (body: Values) => {
      const key = keys.keyFor(body);
      return ok(
        api.POST(`/complaints/{complaintId}/${spec.path}` as '/complaints/{complaintId}/acceptance', {
          params: { path: { complaintId: c.complaintId } },
          body: body as never,
          headers: { 'Idempotency-Key': key },
        }),
      );
    },
    onSuccess: async (after) => {
      queryClient.setQueryData(['complaint', c.complaintId], after);
      onClose();
      void message.success(`已办理：${spec.name}`);
      announce(`已办理：${spec.name}。投诉状态：${after.statusLabel}`);
      await queryClient.invalidateQueries({ queryKey: ['complaints'] });
    },
  });
  return (
    <Modal
      open
      title={spec.name}
      okText="确认办理"
      cancelText="取消"
      confirmLoading={send.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => send.mutate(bodyOf(action, v)))}
    >
      <Form form={form} layout="vertical" initialValues={{ channel: c.replyChannel, upheld: true }}>
        <ActionFields c={c} action={action} />
      </Form>
      {send.isError ? (
        <p role="alert" className="form-error">
          {errorText(send.error, '未能办理，请重试。')}
        </p>
      ) : null}
    </Modal>
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

const required = (what: string) => [{ required: true, whitespace: true, message: `请填写${what}` }];

function ActionFields({ c, action }: { c: ComplaintView; action: string }) {
  const { principal } = useSession();
  const upheld = Form.useWatch('upheld') as boolean | undefined;
  switch (action) {
    case 'accept':
      return <p>受理后开始计算处理决定期限（45 日），被投诉方可以查看投诉内容（不含投诉人信息）。</p>;
    case 'issue_notice':
      return (
        <Form.Item name="missing" label="需补正的材料或事项（每行一项）" rules={required('需补正的事项')}>
          <Input.TextArea rows={4} />
        </Form.Item>
      );
    case 'decline':
      return (
        <Form.Item name="reason" label="不予受理的理由" rules={required('理由')}>
          <Input.TextArea rows={4} />
        </Form.Item>
      );
    case 'assign_investigator':
      return (
        <Form.Item name="accountId" label="调查人" rules={[{ required: true, message: '请选择调查人' }]}>
          <Select options={principal ? [{ value: principal.id, label: `${principal.name}（本人）` }] : []} />
        </Form.Item>
      );
    case 'record_findings':
      return (
        <Form.Item name="findings" label="调查结论（仅处理人员可见）" rules={required('调查结论')}>
          <Input.TextArea rows={5} />
        </Form.Item>
      );
    case 'extend_decision':
      return (
        <>
          <Form.Item name="days" label="延长天数" rules={[{ required: true, message: '请填写延长天数' }]}>
            <InputNumber min={1} max={365} />
          </Form.Item>
          <Form.Item name="approvedBy" label="批准人" rules={required('批准人')}>
            <Input />
          </Form.Item>
          <Form.Item name="reason" label="延长理由" rules={required('延长理由')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </>
      );
    case 'decide':
      return (
        <>
          <Form.Item name="upheld" label="处理结果">
            <Radio.Group
              options={[
                { value: true, label: '投诉成立' },
                { value: false, label: '投诉不成立' },
              ]}
            />
          </Form.Item>
          {upheld ? (
            <Form.Item
              name="outcome"
              label={`处理措施（依据${outcomesFor(c.target).citation}）`}
              rules={[{ required: true, message: '请选择处理措施' }]}
            >
              <Select
                options={Object.entries(outcomesFor(c.target).outcomes).map(([value, l]) => ({ value, label: l }))}
              />
            </Form.Item>
          ) : null}
          <Form.Item name="reasons" label="决定理由" rules={required('决定理由')}>
            <Input.TextArea rows={4} />
          </Form.Item>
        </>
      );
    case 'answer':
      return (
        <>
          <Form.Item name="channel" label="答复方式" rules={[{ required: true, message: '请选择答复方式' }]}>
            <Select options={Object.entries(REPLY_CHANNEL_LABELS).map(([value, l]) => ({ value, label: l }))} />
          </Form.Item>
          <Form.Item name="text" label="答复内容" rules={required('答复内容')}>
            <Input.TextArea rows={5} />
          </Form.Item>
        </>
      );
    case 'supplement':
      return (
        <Form.Item name="text" label="补正内容" rules={required('补正内容')}>
          <Input.TextArea rows={5} />
        </Form.Item>
      );
    case 'give_feedback':
      return (
        <>
          <Form.Item name="satisfied" label="投诉人对答复" rules={[{ required: true, message: '请选择' }]}>
            <Radio.Group
              options={[
                { value: true, label: '满意' },
                { value: false, label: '不满意' },
              ]}
            />
          </Form.Item>
          <Form.Item name="comment" label="投诉人意见（可不填）">
            <Input.TextArea rows={3} />
          </Form.Item>
        </>
      );
    default:
      return null;
  }
}
