/**
 * The queue's filter form (docs/screens.md#the-clerks-workbench: status, dispute type, priority group, legal aid, due within; search by
 * case number or party name). It shows the filters in the URL and writes every change back there; the
 * priority-group and legal-aid filters only for staff who may see screening (the API refuses them to others).
 */
import { Button, Form, Input, Select } from 'antd';
import { useEffect } from 'react';
import { CASE_STATUS_LABELS, DISPUTE_TYPE_LABELS, PRIORITY_GROUP_LABELS } from '../../labels';
import { dueChoice, DUE_CHOICES, withDueChoice, type Filters, type Status } from './filters';

type Values = {
  status: Status[];
  disputeType?: Filters['disputeType'];
  priorityGroup?: Filters['priorityGroup'];
  legalAid?: 'true' | 'false';
  due?: string;
  q?: string;
};

const LEGAL_AID_OPTIONS = [
  { value: 'true', label: '已申请法律援助' },
  { value: 'false', label: '未申请法律援助' },
];

export function QueueFilters({
  filters,
  onApply,
  screening,
  statuses,
}: {
  filters: Filters;
  onApply(next: Filters): void;
  screening: boolean;
  statuses?: readonly Status[];
}) {
  const [form] = Form.useForm<Values>();
  useEffect(
    () =>
      form.setFieldsValue({
        status: filters.status,
        disputeType: filters.disputeType,
        priorityGroup: filters.priorityGroup,
        legalAid: filters.legalAid === undefined ? undefined : filters.legalAid ? 'true' : 'false',
        due: dueChoice(filters),
        q: filters.q ?? '',
      }),
    [form, filters],
  );
  const due = dueChoice(filters);
  const dueOptions = [
    ...DUE_CHOICES.map(({ value, label }) => ({ value, label })),
    ...(due === 'custom' ? [{ value: 'custom', label: '已保存筛选中的期限条件', disabled: true }] : []),
  ];
  const statusOptions = (statuses ?? (Object.keys(CASE_STATUS_LABELS) as Status[])).map((value) => ({
    value,
    label: CASE_STATUS_LABELS[value],
  }));

  const fromValues = (v: Values): Filters => {
    // What the search box holds goes with any other filter.
    const next: Filters = withDueChoice({ ...filters, status: v.status ?? [], q: v.q?.trim() || undefined }, v.due);
    next.disputeType = v.disputeType;
    if (screening) {
      next.priorityGroup = v.priorityGroup;
      next.legalAid = v.legalAid === undefined ? undefined : v.legalAid === 'true';
    }
    return next;
  };

  return (
    <Form
      form={form}
      layout="inline"
      colon={false}
      style={{ marginBottom: 16, rowGap: 8 }}
      onValuesChange={(changed: Partial<Values>, all: Values) => {
        // The search box applies on Enter or its button, not on every keystroke.
        if ('q' in changed) return;
        onApply(fromValues(all));
      }}
    >
      <Form.Item label="状态" name="status">
        <Select mode="multiple" allowClear placeholder="全部状态" style={{ minWidth: 200 }} options={statusOptions} />
      </Form.Item>
      <Form.Item label="纠纷类型" name="disputeType">
        <Select
          allowClear
          placeholder="全部类型"
          style={{ minWidth: 180 }}
          options={Object.entries(DISPUTE_TYPE_LABELS).map(([value, text]) => ({ value, label: text }))}
        />
      </Form.Item>
      {screening ? (
        <>
          <Form.Item label="优先服务" name="priorityGroup">
            <Select
              allowClear
              placeholder="不限"
              style={{ minWidth: 160 }}
              options={Object.entries(PRIORITY_GROUP_LABELS).map(([value, text]) => ({ value, label: text }))}
            />
          </Form.Item>
          <Form.Item label="法律援助" name="legalAid">
            <Select allowClear placeholder="不限" style={{ minWidth: 160 }} options={LEGAL_AID_OPTIONS} />
          </Form.Item>
        </>
      ) : null}
      <Form.Item label="期限" name="due">
        <Select allowClear placeholder="不限" style={{ minWidth: 260 }} options={dueOptions} />
      </Form.Item>
      <Form.Item label="搜索" name="q">
        <Input.Search
          placeholder="案号或当事人姓名（开头几个字）"
          enterButton="搜索"
          allowClear
          style={{ width: 320 }}
          onSearch={(value) => onApply({ ...filters, q: value.trim() || undefined })}
        />
      </Form.Item>
      <Form.Item>
        <Button onClick={() => onApply({ status: [] })}>清除筛选</Button>
      </Form.Item>
    </Form>
  );
}
