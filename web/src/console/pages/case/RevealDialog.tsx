/**
 * 查看完整信息: a party's full personal data, read only for a stated reason (个人信息保护法 Art 6: a clear purpose,
 * no more than needed), which the server records with the read. The reason is one of the usual purposes or the
 * reader's own words. The data lives in this dialog only: one request per press of 查看 (a mutation, never a
 * query that could refetch and record reads nobody asked for), kept out of the query cache (gcTime 0) and gone
 * when the dialog closes and unmounts; the answer is `no-store` for the browser too.
 */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Form, Input, Modal, Select, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { api, ok, type CaseView } from '../../../api/client';
import { errorText } from '../../../api/problems';
import { announce } from '../../a11y';

type Party = CaseView['parties'][number];

const OTHER = 'other';
/** The purposes staff read full data for most; anything else is written out (其他). */
const PURPOSES = ['送达文书', '联系当事人', '制作文书', '核实身份'] as const;
const PURPOSE_OPTIONS = [
  ...PURPOSES.map((p) => ({ value: p, label: p })),
  { value: OTHER, label: '其他（请填写事由）' },
];
/** As the API bounds `reason`. */
const REASON_MAX = 200;

type Values = { purpose?: string; otherReason?: string };

/** A field's error, read out as it appears. */
const alertText = (text: string) => <span role="alert">{text}</span>;

export function RevealDialog({
  caseId,
  party,
  open,
  onClose,
  afterClose,
}: {
  caseId: string;
  party: Party;
  open: boolean;
  onClose(): void;
  afterClose(): void;
}) {
  const [form] = Form.useForm<Values>();
  const purpose = Form.useWatch('purpose', form);
  const shownRef = useRef<HTMLHeadingElement>(null);
  const read = useMutation({
    gcTime: 0,
    mutationFn: (reason: string) =>
      ok(
        api.GET('/cases/{caseId}/parties/{partyId}/personal-data', {
          params: { path: { caseId, partyId: party.partyId }, query: { reason } },
        }),
      ),
    onSuccess: () => announce(`已显示 ${party.name} 的完整信息，本次查阅已记录。`),
  });
  const data = read.data;

  // Once shown, reading starts at the data (the 查看 button it replaces is gone).
  useEffect(() => {
    if (data) shownRef.current?.focus();
  }, [data]);

  const close = () => {
    read.reset();
    onClose();
  };
  const submit = (v: Values) => {
    if (read.isPending) return;
    const reason = v.purpose === OTHER ? (v.otherReason ?? '').trim() : (v.purpose ?? '');
    read.mutate(reason);
  };

  return (
    <Modal
      open={open}
      title={`查看完整信息：${party.name}`}
      onCancel={close}
      afterClose={afterClose}
      destroyOnHidden
      footer={
        data
          ? [
              <Button key="close" type="primary" onClick={close}>
                完成
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={close}>
                取消
              </Button>,
              <Button key="reveal" type="primary" loading={read.isPending} onClick={() => form.submit()}>
                查看
              </Button>,
            ]
      }
    >
      {data ? (
        <>
          <h3 ref={shownRef} tabIndex={-1} style={{ fontSize: 16, marginTop: 0 }}>
            完整信息
          </h3>
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'name', label: '姓名或名称', children: data.name },
              { key: 'id', label: '证件号码', children: data.idNumber ?? party.creditCode ?? '未登记' },
              { key: 'phone', label: '联系电话', children: data.phone ?? '未登记' },
              { key: 'address', label: '地址', children: data.address ?? '未登记' },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            本次查阅已连同事由记录。请仅为所述事由使用，勿复制、转发或留存。
          </Typography.Paragraph>
        </>
      ) : (
        <>
          <Typography.Paragraph>
            证件号码、联系电话和地址属于个人信息，仅在办案确有需要时查阅。请选择查阅事由，查阅记录将连同事由一并保存。
          </Typography.Paragraph>
          <Form<Values>
            form={form}
            name="reveal"
            layout="vertical"
            colon={false}
            onFinish={submit}
            requiredMark={false}
          >
            <Form.Item
              name="purpose"
              label="查阅事由"
              rules={[{ required: true, message: alertText('请选择查阅事由') }]}
            >
              <Select
                options={PURPOSE_OPTIONS}
                showSearch={{ optionFilterProp: 'label' }}
                placeholder="输入文字筛选，或按↓选择"
              />
            </Form.Item>
            {/* The form has no submit button of its own (查看 is in the dialog's footer): Enter in 具体事由 submits. */}
            {purpose === OTHER ? (
              <Form.Item
                name="otherReason"
                label="具体事由"
                rules={[
                  { required: true, whitespace: true, message: alertText('请填写具体事由') },
                  { max: REASON_MAX, message: alertText(`事由不能超过 ${REASON_MAX} 个字`) },
                ]}
              >
                <Input maxLength={REASON_MAX} showCount autoComplete="off" onPressEnter={() => form.submit()} />
              </Form.Item>
            ) : null}
          </Form>
          {read.isError ? (
            <Alert type="error" showIcon role="alert" title={errorText(read.error, '未能查看完整信息，请重试。')} />
          ) : null}
        </>
      )}
    </Modal>
  );
}
