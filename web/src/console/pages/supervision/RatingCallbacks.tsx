/**
 * 随机回访 (/console/rating-callbacks; docs/supervision.md#ratings: "Clerks also make random call-backs (回访) by
 * sample"): a clerk draws a random sample of their organization's concluded cases not drawn before (the supervisor
 * of all: POST /rating-callbacks/samples), calls each party and records what they found: reached or not, and the
 * satisfaction the party gave on the phone (only when reached; the server refuses it otherwise).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Radio, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useRef, useState } from 'react';
import { api, idempotencyKey, ok } from '../../../api/client';
import { announce, PageHeading } from '../../a11y';
import { formatDateTime } from '../../format';
import { label } from '../../labels';
import { isForbidden } from '../case/files';
import { NotFoundPage } from '../NotFoundPage';
import { CaseNumberLink } from './CaseNumberLink';
import { formErrorText, showFieldErrors } from './field-errors';
import { CALLBACK_OUTCOME_LABELS, RATING_LEVEL_LABELS, type CallbackView } from './rating-labels';
import './supervision.css';
import './ratings.css';

function columns(onRecord: (c: CallbackView) => void): ColumnsType<CallbackView> {
  return [
    {
      title: '抽取时间',
      key: 'drawnAt',
      render: (_v, c) => <time dateTime={c.drawnAt}>{formatDateTime(c.drawnAt)}</time>,
    },
    {
      title: '案号',
      key: 'case',
      render: (_v, c) => (
        <CaseNumberLink
          caseId={c.caseId}
          caseNumber={c.caseNumber}
          about={`查看案件及当事人，${formatDateTime(c.drawnAt)} 抽取`}
        />
      ),
    },
    {
      title: '回访结果',
      key: 'outcome',
      render: (_v, c) =>
        c.outcome ? (
          <span className="clock-cell">
            <Tag>{c.outcomeLabel ?? label(CALLBACK_OUTCOME_LABELS, c.outcome)}</Tag>
            {c.level ? label(RATING_LEVEL_LABELS, c.level) : null}
          </span>
        ) : (
          <Tag color="warning">待回访</Tag>
        ),
    },
    { title: '回访记录', key: 'note', render: (_v, c) => c.note ?? '—' },
    {
      title: '记录时间',
      key: 'recordedAt',
      render: (_v, c) =>
        c.recordedAt ? (
          formatDateTime(c.recordedAt)
        ) : (
          <Button onClick={() => onRecord(c)}>
            记录回访<span className="sr-only">（{formatDateTime(c.drawnAt)} 抽取的案件）</span>
          </Button>
        ),
    },
  ];
}

export default function RatingCallbacks() {
  const list = useQuery({ queryKey: ['rating-callbacks'], queryFn: () => ok(api.GET('/rating-callbacks')) });
  const [recording, setRecording] = useState<CallbackView | null>(null);
  if (list.isError && isForbidden(list.error)) return <NotFoundPage />;
  const rows = list.data?.callbacks ?? [];
  const waiting = rows.filter((c) => !c.recordedAt).length;
  return (
    <>
      <PageHeading title="随机回访" />
      <Typography.Paragraph>
        从已结案（含不予受理、终止）且未抽取过的案件中随机抽取，电话回访当事人并记录结果；联系上当事人时可记录其满意度。
      </Typography.Paragraph>
      <DrawSample />
      {list.isError ? (
        <Alert type="error" showIcon role="alert" title={formErrorText(list.error, '回访清单加载失败，请重试。')} />
      ) : null}
      <section aria-labelledby="callbacks-heading" className="panel">
        <div className="panel-heading">
          <h2 id="callbacks-heading">{list.data ? `回访（${rows.length} 件，待回访 ${waiting} 件）` : '回访'}</h2>
        </div>
        <Table<CallbackView>
          rowKey="callbackId"
          columns={columns(setRecording)}
          dataSource={rows}
          loading={list.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: '暂无回访，请先抽取样本' }}
        />
      </section>
      {recording ? <RecordDialog c={recording} onClose={() => setRecording(null)} /> : null}
    </>
  );
}

function DrawSample() {
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ size: number }>();
  const draw = useMutation({
    mutationFn: (size: number) => ok(api.POST('/rating-callbacks/samples', { body: { size } })),
    onSuccess: async (drawn) => {
      announce(`已抽取 ${drawn.callbacks.length} 件案件待回访`);
      await queryClient.invalidateQueries({ queryKey: ['rating-callbacks'] });
    },
    onError: (error) => showFieldErrors(form, error, ['size']),
  });
  return (
    <section aria-labelledby="draw-heading" className="panel">
      <h2 id="draw-heading">抽取回访样本</h2>
      <Form form={form} layout="inline" initialValues={{ size: 5 }} onFinish={(v) => draw.mutate(v.size)}>
        <Form.Item name="size" label="抽取件数" rules={[{ required: true, message: '请填写抽取件数' }]}>
          <InputNumber min={1} max={50} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={draw.isPending}>
          随机抽取
        </Button>
      </Form>
      {draw.data ? (
        <p role="status">
          {draw.data.callbacks.length ? `已抽取 ${draw.data.callbacks.length} 件。` : '没有可抽取的已结案案件。'}
        </p>
      ) : null}
      {draw.isError ? (
        <p role="alert" className="form-error">
          {formErrorText(draw.error, '抽取失败，请重试。')}
        </p>
      ) : null}
    </section>
  );
}

type RecordValues = { outcome: 'reached' | 'unreachable' | 'declined'; level?: string; note?: string };

function RecordDialog({ c, onClose }: { c: CallbackView; onClose: () => void }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RecordValues>();
  const outcome = Form.useWatch('outcome', form);
  const key = useRef(idempotencyKey());
  const send = useMutation({
    mutationFn: (v: RecordValues) =>
      ok(
        api.POST('/rating-callbacks/{callbackId}', {
          params: { path: { callbackId: c.callbackId } },
          body: {
            outcome: v.outcome,
            ...(v.outcome === 'reached' && v.level ? { level: v.level as never } : {}),
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
          },
          headers: { 'Idempotency-Key': key.current },
        }),
      ),
    onSuccess: async () => {
      onClose();
      void message.success('已记录回访结果');
      announce('已记录回访结果');
      await queryClient.invalidateQueries({ queryKey: ['rating-callbacks'] });
    },
    onError: (error) => showFieldErrors(form, error, ['outcome', 'level', 'note']),
  });
  return (
    <Modal
      open
      title="记录回访"
      okText="保存"
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
      <Form form={form} layout="vertical" initialValues={{ outcome: 'reached' }}>
        <Form.Item name="outcome" label="回访结果">
          <Radio.Group options={Object.entries(CALLBACK_OUTCOME_LABELS).map(([value, l]) => ({ value, label: l }))} />
        </Form.Item>
        {outcome === 'reached' ? (
          <Form.Item name="level" label="当事人的满意度（可不填）">
            <Select
              allowClear
              options={Object.entries(RATING_LEVEL_LABELS).map(([value, l]) => ({ value, label: l }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item name="note" label="回访记录（可不填）">
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
      {send.isError ? (
        <p role="alert" className="form-error">
          {formErrorText(send.error, '未能保存，请重试。')}
        </p>
      ) : null}
    </Modal>
  );
}
