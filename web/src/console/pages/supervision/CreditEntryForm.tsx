/**
 * What the supervisor (司法行政部门) adds to a credit file (seed Art 57; api/routes/credit.ts): an entry (资质, 培训,
 * 表扬奖励, 处罚惩戒) with the authority that decided it, its date, its decision document and its disclosure window
 * (by default the one the rule gives its kind), and an evaluation of a period computed by the level rule in force.
 * The server checks every field (a date in the future, a text too long): its 400 shows at the field it names,
 * keeping what was typed. Nothing is changed or removed: a correction is a new entry.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, ok } from '../../../api/client';
import { useKeyPerBody } from '../../../shared/idempotency';
import { OUTCOMES } from '../../../shared/complaint-labels';
import { announce } from '../../a11y';
import { formErrorText, showFieldErrors } from './field-errors';
import { DISCLOSURE_LABELS, RECORDED_ENTRY_KIND_LABELS, type CreditEntryBody } from './rating-labels';
import type { SubjectPath } from './CreditFile';

type EntryValues = Omit<CreditEntryBody, 'decidedOn' | 'disclosure'> & {
  decidedOn?: Dayjs | null;
  disclosure?: CreditEntryBody['disclosure'] | 'default';
};

const ENTRY_FIELDS = ['kind', 'title', 'authority', 'decidedOn', 'document', 'disclosure', 'outcome'];
/** A sanction's outcome (人民调解法 Art 15, 特邀调解规定 Art 28): every measure the outcome tables name, once. */
const SANCTION_OUTCOMES = [
  ...new Map(Object.values(OUTCOMES).flatMap((t) => Object.entries(t.outcomes))).entries(),
].map(([value, l]) => ({ value, label: l }));

const required = (what: string) => [{ required: true, whitespace: true, message: `请填写${what}` }];
const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : '');

function entryBody(v: EntryValues): CreditEntryBody {
  return {
    kind: v.kind,
    title: v.title,
    authority: v.authority,
    decidedOn: day(v.decidedOn),
    document: v.document,
    ...(v.disclosure && v.disclosure !== 'default' ? { disclosure: v.disclosure } : {}),
    ...(v.kind === 'sanction' && v.outcome ? { outcome: v.outcome } : {}),
  };
}

/** Appends the entry to the file the page shows: a mediator's or an organization's. */
function postEntry(kind: SubjectPath, id: string, body: CreditEntryBody, key: string) {
  const headers = { 'Idempotency-Key': key };
  return kind === 'mediators'
    ? ok(api.POST('/credit/mediators/{mediatorId}/entries', { params: { path: { mediatorId: id } }, body, headers }))
    : ok(api.POST('/credit/organizations/{orgId}/entries', { params: { path: { orgId: id } }, body, headers }));
}

export function CreditEntryForm({ kind, id, subject }: { kind: SubjectPath; id: string; subject: string }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EntryValues>();
  const entryKind = Form.useWatch('kind', form);
  const keys = useKeyPerBody();
  const send = useMutation({
    mutationFn: (body: CreditEntryBody) => {
      const key = keys.keyFor(body);
      return postEntry(kind, id, body, key);
    },
    onSuccess: async (entry) => {
      form.resetFields();
      keys.reset();
      void message.success(`已记入档案：${entry.kindLabel}`);
      announce(`已记入档案：${entry.kindLabel}，${entry.title}`);
      await queryClient.invalidateQueries({ queryKey: ['credit', kind, id] });
    },
    onError: (error) => {
      keys.afterError(error);
      showFieldErrors(form, error, ENTRY_FIELDS);
    },
  });
  return (
    <section aria-labelledby="credit-add" className="panel">
      <h2 id="credit-add">记入档案</h2>
      <Form
        form={form}
        layout="vertical"
        className="credit-form"
        initialValues={{ kind: 'commendation', authority: '揭阳市司法局', disclosure: 'default' }}
        onFinish={(v) => send.mutate(entryBody(v))}
      >
        <Form.Item name="kind" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
          <Select options={Object.entries(RECORDED_ENTRY_KIND_LABELS).map(([value, l]) => ({ value, label: l }))} />
        </Form.Item>
        <Form.Item name="title" label="事项（一句话写明决定或取得的内容）" rules={required('事项')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="authority" label="决定机关" rules={required('决定机关')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="decidedOn" label="决定日期" rules={[{ required: true, message: '请选择决定日期' }]}>
          <DatePicker format="YYYY-MM-DD" placeholder="年-月-日" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="document" label="决定文书文号或证书编号" rules={required('决定文书文号或证书编号')}>
          <Input maxLength={100} />
        </Form.Item>
        {entryKind === 'sanction' ? (
          <Form.Item name="outcome" label="处罚措施（可不填）">
            <Select allowClear options={SANCTION_OUTCOMES} />
          </Form.Item>
        ) : null}
        <Form.Item
          name="disclosure"
          label="公示期限"
          extra={`默认：处罚惩戒按${subject === 'organization' ? '机构不良记录公示期（3 年）' : '个人不良记录查询期（5 年）'}，表扬奖励 3 年，其余不对外公开`}
        >
          <Select
            options={[
              { value: 'default', label: '按类别默认' },
              ...Object.entries(DISCLOSURE_LABELS).map(([value, l]) => ({ value, label: l })),
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={send.isPending}>
          记入档案
        </Button>
      </Form>
      {send.isError ? (
        <p role="alert" className="form-error">
          {formErrorText(send.error, '未能记入档案，请重试。')}
        </p>
      ) : null}
    </section>
  );
}

type PeriodValues = { from?: Dayjs | null; to?: Dayjs | null };

function postEvaluation(kind: SubjectPath, id: string, body: { from: string; to: string }, key: string) {
  const headers = { 'Idempotency-Key': key };
  return kind === 'mediators'
    ? ok(
        api.POST('/credit/mediators/{mediatorId}/evaluations', { params: { path: { mediatorId: id } }, body, headers }),
      )
    : ok(api.POST('/credit/organizations/{orgId}/evaluations', { params: { path: { orgId: id } }, body, headers }));
}

/** 综合评价 over a period of at most a year, levelled by the rule in force; the same period twice a day answers once. */
export function EvaluationForm({ kind, id }: { kind: SubjectPath; id: string }) {
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PeriodValues>();
  const keys = useKeyPerBody();
  const send = useMutation({
    mutationFn: (body: { from: string; to: string }) => postEvaluation(kind, id, body, keys.keyFor(body)),
    onSuccess: async (entry) => {
      // A new evaluation next time (a page left open is not answered with this one).
      keys.reset();
      announce(`已计算综合评价：${entry.title}`);
      await queryClient.invalidateQueries({ queryKey: ['credit', kind, id] });
    },
    onError: (error) => {
      keys.afterError(error);
      showFieldErrors(form, error, ['from', 'to']);
    },
  });
  return (
    <section aria-labelledby="credit-evaluate" className="panel">
      <h2 id="credit-evaluate">计算综合评价</h2>
      <Form form={form} layout="inline" onFinish={(v) => send.mutate({ from: day(v.from), to: day(v.to) })}>
        <Form.Item name="from" label="起始日期" rules={[{ required: true, message: '请选择起始日期' }]}>
          <DatePicker format="YYYY-MM-DD" placeholder="年-月-日" />
        </Form.Item>
        <Form.Item name="to" label="截止日期" rules={[{ required: true, message: '请选择截止日期' }]}>
          <DatePicker format="YYYY-MM-DD" placeholder="年-月-日" />
        </Form.Item>
        <Button htmlType="submit" loading={send.isPending}>
          计算并记入档案
        </Button>
      </Form>
      {send.isError ? (
        <p role="alert" className="form-error">
          {formErrorText(send.error, '未能计算，请重试。')}
        </p>
      ) : null}
    </section>
  );
}
