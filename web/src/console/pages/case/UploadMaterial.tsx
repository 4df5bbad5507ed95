/**
 * 上传材料: a scan or PDF for the case (POST /cases/{id}/materials: the file itself as the body, its kind and
 * title in the query). A native file input with its own label: antd's Upload wraps the button in another
 * focusable element, which screen readers and axe refuse. One Idempotency-Key per upload: a retry after a lost
 * answer is recorded once; a definite refusal frees the key, since the corrected upload is another request.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, idempotencyKey, ok } from '../../../api/client';
import { ApiError, errorText } from '../../../api/problems';
import type { paths } from '../../../api/schema';
import { announce } from '../../a11y';
import { MATERIAL_KIND_LABELS } from '../../labels';
import { caseKey, materialsKey } from './keys';

type Kind = NonNullable<paths['/cases/{caseId}/materials']['post']['parameters']['query']>['kind'];
type Values = { kind?: Kind; title?: string };

const KIND_OPTIONS = Object.entries(MATERIAL_KIND_LABELS).map(([value, text]) => ({
  value: value as Kind,
  label: text,
}));
const ACCEPT = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';
/** As the API bounds a material's title. */
const TITLE_MAX = 200;

const alertText = (text: string) => <span role="alert">{text}</span>;
/** Refusals that the same request would meet again. */
const definite = (e: unknown) => e instanceof ApiError && [400, 403, 404, 413, 415, 422].includes(e.status);

export function UploadMaterial({ caseId, focusSignal }: { caseId: string; focusSignal: number }) {
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const key = useRef(idempotencyKey());
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  // 上传材料 among the case's actions opens this tab and starts here.
  useEffect(() => {
    if (focusSignal > 0) form.focusField('kind');
  }, [focusSignal, form]);

  const upload = useMutation({
    mutationFn: ({ kind, title, file: f }: { kind: Kind; title: string; file: File }) =>
      ok(
        api.POST('/cases/{caseId}/materials', {
          params: { path: { caseId }, query: { kind, title }, header: { 'Idempotency-Key': key.current } },
          // The file as it is, with its own media type (the server checks its first bytes too).
          body: f as unknown as string,
          bodySerializer: (b) => b as unknown as BodyInit,
          headers: { 'Content-Type': f.type || 'application/octet-stream' },
        }),
      ),
    onSuccess: async (_answer, sent) => {
      key.current = idempotencyKey();
      form.resetFields();
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      message.success(`已上传：${sent.title}`);
      announce(`材料已上传：${sent.title}`);
      await queryClient.invalidateQueries({ queryKey: materialsKey(caseId) });
      await queryClient.invalidateQueries({ queryKey: caseKey(caseId) });
      // The timeline's 收到材料 comes with the record, which may follow the answer by a moment.
      window.setTimeout(() => void queryClient.invalidateQueries({ queryKey: caseKey(caseId) }), 1500);
    },
    onError: (e) => {
      if (definite(e)) key.current = idempotencyKey();
      announce(`上传未成功：${errorText(e, '请重试。')}`);
    },
  });

  const submit = (v: Values) => {
    if (!file) {
      setFileError('请选择要上传的文件');
      fileInput.current?.focus();
      return;
    }
    if (upload.isPending) return;
    upload.mutate({ kind: v.kind!, title: (v.title ?? '').trim(), file });
  };

  return (
    <section aria-labelledby="upload-heading">
      <h3 id="upload-heading" style={{ fontSize: 16 }}>
        上传材料
      </h3>
      <Form<Values>
        form={form}
        name="material"
        layout="vertical"
        colon={false}
        requiredMark={false}
        onFinish={submit}
        onFinishFailed={() => {
          if (!file) setFileError('请选择要上传的文件');
        }}
        style={{ maxWidth: 640 }}
      >
        <Form.Item name="kind" label="材料类别" rules={[{ required: true, message: alertText('请选择材料类别') }]}>
          <Select
            options={KIND_OPTIONS}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="输入文字筛选，或按↓选择"
          />
        </Form.Item>
        <Form.Item
          name="title"
          label="材料名称"
          extra="如：借条扫描件、身份证复印件"
          rules={[
            { required: true, whitespace: true, message: alertText('请填写材料名称') },
            { max: TITLE_MAX, message: alertText(`材料名称不能超过 ${TITLE_MAX} 个字`) },
          ]}
        >
          <Input maxLength={TITLE_MAX} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label="文件"
          htmlFor="material-file"
          validateStatus={fileError ? 'error' : undefined}
          help={fileError ? alertText(fileError) : undefined}
          extra="PDF、JPEG 或 PNG 格式的扫描件或照片"
        >
          <input
            id="material-file"
            ref={fileInput}
            type="file"
            accept={ACCEPT}
            aria-invalid={fileError ? true : undefined}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setFileError(null);
            }}
          />
        </Form.Item>
        {upload.isError ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={errorText(upload.error, '上传未成功，请重试。')}
            style={{ marginBottom: 16 }}
          />
        ) : null}
        <Button type="primary" htmlType="submit" loading={upload.isPending}>
          上传
        </Button>
      </Form>
    </section>
  );
}
