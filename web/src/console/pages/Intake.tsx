/**
 * 登记: a clerk registers a dispute (POST /cases) by keyboard alone. The form follows the request's schema:
 * the channel (窗口, 电话, or a court's 委派/委托 with its letter), the dispute, the amount in yuan (sent in
 * fen), the parties with their guardians and agents (intake/PartyFields), each ID number checked in the
 * browser with the server's own GB 11643 function, and the scans handed in (intake/MaterialsField). Once the
 * case is registered the scans go up and the clerk lands on the receipt (IntakeReceipt), which follows them.
 * One Idempotency-Key per form: a double click or a retry after a lost answer registers the case once; a
 * definite refusal (400, 403, 422) frees the key, since the corrected form is another request. The server's
 * field errors are shown at their fields and read out; nothing typed is lost on an error or an expired
 * session (the expired-session dialog opens over this screen and the form stays as it was).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import type { NamePath } from 'antd/es/form/interface';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, idempotencyKey, ok } from '../../api/client';
import { ApiError, errorText } from '../../api/problems';
import { announce, PageHeading } from '../a11y';
import { startRegistration, type Attachment } from '../intake/after-registration';
import { CourtFields } from '../intake/CourtFields';
import {
  INITIAL,
  isCourtChannel,
  toBody,
  type Channel,
  type IntakeBody,
  type MaterialValues,
  type PartyValues,
  type Values,
} from '../intake/form';
import { MaterialsField, useAttachments } from '../intake/MaterialsField';
import { placeFieldError, type FieldProblem } from '../intake/messages';
import { PartyFields } from '../intake/PartyFields';
import { DISPUTE_TYPE_LABELS } from '../labels';
import '../intake/intake.css';

dayjs.locale('zh-cn');

const CHANNEL_OPTIONS: { value: Channel; label: string }[] = [
  { value: 'walk_in', label: '窗口登记' },
  { value: 'phone', label: '电话登记' },
  { value: 'court_pre_filing', label: '法院委派（诉前）' },
  { value: 'court_post_filing', label: '法院委托（诉中）' },
];
const DISPUTE_OPTIONS = Object.entries(DISPUTE_TYPE_LABELS).map(([value, text]) => ({ value, label: text }));

/** A refusal that will not change by sending the same request again: the corrected form needs a new key. */
const definite = (e: unknown) => e instanceof ApiError && [400, 403, 404, 413, 422].includes(e.status);

export default function Intake() {
  const [form] = Form.useForm<Values>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // One key per form (per intent): kept across a retry, renewed only after a definite refusal.
  const key = useRef(idempotencyKey());
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const attachments = useAttachments();
  const channel = Form.useWatch('channel', form) ?? 'walk_in';
  const today = dayjs();

  const register = useMutation({
    mutationFn: ({ body }: { body: IntakeBody; files: Attachment[] }) =>
      ok(api.POST('/cases', { body, params: { header: { 'Idempotency-Key': key.current } } })),
    onSuccess: async (created, { files }) => {
      const number = 'caseNumber' in created ? created.caseNumber : undefined;
      announce(number ? `案件已登记，案号 ${number}` : '案件已登记');
      // The scans go up now, whatever screen is shown; the receipt follows them and offers a retry.
      startRegistration(created.caseId, files);
      await queryClient.invalidateQueries({ queryKey: ['queue'] });
      await queryClient.invalidateQueries({ queryKey: ['queue-count'] });
      void navigate(`/cases/${created.caseId}/receipt`);
    },
    onError: (e) => {
      if (definite(e)) key.current = idempotencyKey();
      const fields = e instanceof ApiError ? (e.explained.fields ?? []) : [];
      if (fields.length) {
        const parties = form.getFieldValue('parties') as PartyValues[] | undefined;
        const placed = fields.map((f) => placeFieldError(f, (i) => parties?.[i]?.role));
        const byName = new Map<string, { name: NamePath; errors: string[] }>();
        for (const p of placed) {
          if (!p.name) continue;
          const k = JSON.stringify(p.name);
          byName.set(k, { name: p.name, errors: [...(byName.get(k)?.errors ?? []), p.message] });
        }
        form.setFields([...byName.values()]);
        setProblems(placed);
        setFailure(e instanceof ApiError ? e.explained.message : '填写的内容有误');
        announce(`登记未成功：${placed.map((p) => `${p.label}${p.message}`).join('；')}`);
        const first = placed.find((p) => p.name);
        if (first?.name) form.scrollToField(first.name, { focus: true, block: 'center' });
      } else {
        setProblems([]);
        const text =
          e instanceof ApiError && e.status === 401
            ? '登录已过期。重新登录后，请再按“提交登记”；已填写的内容都已保留。'
            : errorText(e, '登记未能完成，请重试。');
        setFailure(text);
        announce(`登记未成功：${text}`);
      }
    },
  });

  const submit = (values: Values) => {
    if (register.isPending) return;
    setProblems([]);
    setFailure(null);
    register.mutate({
      body: toBody(values),
      files: attachments.collect(form.getFieldValue('materials') as MaterialValues[] | undefined),
    });
  };

  return (
    <>
      <PageHeading title="登记案件" />
      <Form<Values>
        form={form}
        layout="vertical"
        colon={false}
        initialValues={INITIAL}
        onFinish={submit}
        onFinishFailed={({ errorFields }) => {
          const count = errorFields.length;
          setProblems([]);
          const parties = form.getFieldValue('parties') as PartyValues[] | undefined;
          // Named as the server's errors are (当事人 2（被申请人） · 身份证号), so two parties' fields are told apart.
          const field = (name: (string | number)[]) =>
            name
              .map((n) => (typeof n === 'number' ? `[${n}]` : `.${n}`))
              .join('')
              .replace(/^\./, '');
          const named = errorFields.map((f) => {
            const placed = placeFieldError({ field: field(f.name), message: '' }, (i) => parties?.[i]?.role);
            return `${placed.label}：${f.errors[0] ?? ''}`;
          });
          setFailure(`有 ${count} 处需要修改：${named.join('；')}`);
          announce(`有 ${count} 处需要修改`);
        }}
        scrollToFirstError={{ focus: true, block: 'center' }}
        className="intake-form"
      >
        <section className="intake-section" aria-labelledby="intake-case">
          <h2 id="intake-case">纠纷情况</h2>
          <div className="intake-grid">
            <Form.Item
              label="登记渠道"
              name="channel"
              rules={[{ required: true, message: '请选择登记渠道' }]}
              className="intake-wide"
            >
              <Radio.Group options={CHANNEL_OPTIONS} />
            </Form.Item>
            <Form.Item label="纠纷类型" name="disputeType" rules={[{ required: true, message: '请选择纠纷类型' }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                placeholder="输入文字筛选，或按↓选择"
                options={DISPUTE_OPTIONS}
              />
            </Form.Item>
            <Form.Item
              label="知道权利受到侵害的日期"
              name="learnedOn"
              rules={[{ required: true, message: '请填写日期，格式如 2026-03-01' }]}
              extra="格式如 2026-03-01，可直接输入"
            >
              <DatePicker
                format="YYYY-MM-DD"
                placeholder="年-月-日"
                disabledDate={(d) => d.isAfter(today, 'day')}
                style={{ width: '100%' }}
              />
            </Form.Item>
            <Form.Item label="标的金额（元）" name="claimAmountYuan" extra="没有金额的纠纷可不填">
              <InputNumber min={0} max={1e12} precision={2} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item
              label="纠纷简要情况"
              name="summary"
              rules={[
                { required: true, whitespace: true, message: '请填写纠纷简要情况' },
                { max: 5000, message: '不能超过 5000 个字' },
              ]}
              className="intake-wide"
            >
              <Input.TextArea rows={4} showCount maxLength={5000} />
            </Form.Item>
          </div>
        </section>

        {isCourtChannel(channel) ? <CourtFields channel={channel} /> : null}

        <section className="intake-section" aria-labelledby="intake-parties">
          <h2 id="intake-parties">当事人</h2>
          <Form.List name="parties">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <PartyFields
                    key={field.key}
                    index={field.name}
                    {...(field.name >= 2 ? { onRemove: () => remove(field.name) } : {})}
                  />
                ))}
                <Button onClick={() => add({ role: 'third_party', kind: 'natural' })}>添加当事人</Button>
              </>
            )}
          </Form.List>
        </section>

        <MaterialsField attachments={attachments} />

        <div className="intake-alert">
          {failure ? (
            <Alert
              type="error"
              showIcon
              title={failure}
              description={
                problems.length ? (
                  <ul className="explanation">
                    {problems.map((p) => (
                      <li key={p.field}>
                        {p.label}：{p.message}
                      </li>
                    ))}
                  </ul>
                ) : undefined
              }
            />
          ) : null}
        </div>

        <Space className="intake-actions">
          <Button type="primary" htmlType="submit" loading={register.isPending}>
            提交登记
          </Button>
          <Link to="/">返回工作台</Link>
        </Space>
      </Form>
    </>
  );
}
