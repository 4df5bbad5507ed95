/**
 * 结案归档: before the case is closed and archived, the clerk checks its file (人民调解法 Art 27: the committee
 * files the registration, the records of mediation and the agreement as a case file): every document the case
 * issued, each version with its date, and every material received, with its date. Then 确认归档, confirmed by a
 * tick that the list was checked. The server decides whether the case may be archived now (its `actions`); its
 * refusal (a court or notary not yet concluded, instalments still to be paid) is shown with its reason. Archiving
 * issues the 人民调解卷宗, which lists the file as archived.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Checkbox, Form, Input, Modal, Spin, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, idempotencyKey, ok, type CaseView, type DocumentRow } from '../../../api/client';
import type { paths } from '../../../api/schema';
import { errorText } from '../../../api/problems';
import { ActionError } from '../../actions/ActionError';
import { announce } from '../../a11y';
import { formatDateTime } from '../../format';
import { label, MATERIAL_KIND_LABELS } from '../../labels';
import { isForbidden } from './files';
import { caseKey, deadlinesKey, deliveriesKey, documentsKey, materialsKey } from './keys';

type Material =
  paths['/cases/{caseId}/materials']['get']['responses'][200]['content']['application/json']['materials'][number];

/** A field's error, read out as it appears. */
const alertText = (text: string) => <span role="alert">{text}</span>;

export function ArchiveDialog({ view, onClose }: { view: CaseView; onClose(): void }) {
  const caseId = view.caseId;
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  // One key for this dialog: 确认归档 pressed again after a lost answer archives once.
  const [key] = useState(idempotencyKey);
  const [form] = Form.useForm<{ checked?: boolean; note?: string }>();
  // The same lists (and cache) as the 文书 and 材料 tabs.
  const docs = useQuery({
    queryKey: documentsKey(caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}/documents', { params: { path: { caseId } } })),
  });
  const materials = useQuery({
    queryKey: materialsKey(caseId),
    queryFn: () => ok(api.GET('/cases/{caseId}/materials', { params: { path: { caseId } } })),
  });
  const loaded = Boolean(docs.data && (materials.data || materials.isError));

  const archive = useMutation({
    mutationFn: (note: string) =>
      ok(
        api.POST('/cases/{caseId}/archive', {
          params: { path: { caseId } },
          body: note ? { note } : {},
          headers: { 'Idempotency-Key': key },
        }),
      ),
    onSuccess: async (answer) => {
      // The answer is the case as it is now: shown at once, the rest read again.
      queryClient.setQueryData(caseKey(caseId), answer);
      onClose();
      message.success('已结案归档');
      announce(`已结案归档。案件状态：${answer.statusLabel}`);
      await queryClient.invalidateQueries({ queryKey: ['queue'] });
      await queryClient.invalidateQueries({ queryKey: ['queue-count'] });
      await queryClient.invalidateQueries({ queryKey: deadlinesKey(caseId) });
      await queryClient.invalidateQueries({ queryKey: documentsKey(caseId) });
      await queryClient.invalidateQueries({ queryKey: deliveriesKey(caseId) });
      // The 人民调解卷宗 is issued just after the answer: read again shortly.
      window.setTimeout(() => {
        void queryClient.invalidateQueries({ queryKey: caseKey(caseId) });
        void queryClient.invalidateQueries({ queryKey: documentsKey(caseId) });
      }, 1500);
    },
  });

  const submit = (v: { note?: string }) => {
    if (!archive.isPending) archive.mutate((v.note ?? '').trim());
  };

  return (
    <Modal
      open
      title={`结案归档：${view.caseNumber}`}
      okText="确认归档"
      cancelText="取消"
      okButtonProps={{ disabled: !loaded }}
      confirmLoading={archive.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      maskClosable={false}
      width={880}
    >
      <Typography.Paragraph>
        请核对本案卷宗材料是否齐全（《中华人民共和国人民调解法》第二十七条：调解登记、调解工作记录、调解协议书等材料立卷归档）。归档后案件结案，不能再办理任何操作，系统将生成人民调解卷宗。
      </Typography.Paragraph>
      <section aria-labelledby="archive-documents-heading">
        <h3 id="archive-documents-heading" style={{ fontSize: 15 }}>
          文书{docs.data ? `（${docs.data.documents.length} 份）` : ''}
        </h3>
        {docs.isError ? (
          <Alert type="error" showIcon role="alert" title={errorText(docs.error, '文书清单加载失败，请关闭后重试。')} />
        ) : !docs.data ? (
          <Spin tip="正在加载文书…">
            <div style={{ minHeight: 60 }} />
          </Spin>
        ) : (
          <Table<DocumentRow>
            rowKey="documentId"
            size="small"
            pagination={false}
            dataSource={docs.data.documents}
            locale={{ emptyText: <Typography.Text type="secondary">本案暂无文书</Typography.Text> }}
            columns={[
              { title: '文书', dataIndex: 'title' },
              { title: '版本', key: 'version', render: (_v, d) => `第 ${d.docVersion} 版` },
              { title: '生成时间', key: 'created', render: (_v, d) => formatDateTime(d.createdAt) },
              { title: '核验码', dataIndex: 'verificationCode' },
            ]}
          />
        )}
      </section>
      <section aria-labelledby="archive-materials-heading" style={{ marginTop: 16 }}>
        <h3 id="archive-materials-heading" style={{ fontSize: 15 }}>
          材料{materials.data ? `（${materials.data.materials.length} 件）` : ''}
        </h3>
        {materials.isError ? (
          isForbidden(materials.error) ? (
            <Alert type="info" showIcon title="您的角色不能查看本案的材料。" />
          ) : (
            <Alert
              type="error"
              showIcon
              role="alert"
              title={errorText(materials.error, '材料清单加载失败，请关闭后重试。')}
            />
          )
        ) : !materials.data ? (
          <Spin tip="正在加载材料…">
            <div style={{ minHeight: 60 }} />
          </Spin>
        ) : (
          <Table<Material>
            rowKey="materialId"
            size="small"
            pagination={false}
            dataSource={materials.data.materials}
            locale={{ emptyText: <Typography.Text type="secondary">本案暂无材料</Typography.Text> }}
            columns={[
              { title: '材料名称', dataIndex: 'title' },
              { title: '类别', key: 'kind', render: (_v, m) => label(MATERIAL_KIND_LABELS, m.kind) },
              { title: '收到时间', key: 'at', render: (_v, m) => formatDateTime(m.uploadedAt) },
            ]}
          />
        )}
      </section>
      <Form
        form={form}
        name="archive"
        layout="vertical"
        colon={false}
        requiredMark={false}
        onFinish={submit}
        style={{ marginTop: 16 }}
      >
        <Form.Item
          name="checked"
          valuePropName="checked"
          rules={[
            {
              validator: (_r, v) => (v ? Promise.resolve() : Promise.reject(new Error('unchecked'))),
              message: alertText('请先核对卷宗材料，并勾选确认'),
            },
          ]}
        >
          <Checkbox>我已核对以上文书和材料，卷宗齐全</Checkbox>
        </Form.Item>
        {/* A fixed height: antd's autoSize measures with a hidden textarea styled by a style attribute, which the CSP refuses. */}
        <Form.Item name="note" label="备注（可选）" htmlFor="archive-note">
          <Input.TextArea id="archive-note" maxLength={2000} rows={2} />
        </Form.Item>
      </Form>
      {archive.isError ? <ActionError error={archive.error} /> : null}
    </Modal>
  );
}
