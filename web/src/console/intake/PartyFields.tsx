/**
 * One party of the intake form: a fieldset named by its number and role, so every "姓名" is told apart, with
 * the guardians and agents acting for the party in fieldsets of their own inside it.
 */
import { Button, Form, Input, Radio, Select } from 'antd';
import { PARTY_ROLE_LABELS } from '../labels';
import { idNumberProblem } from './messages';
import { RepresentativeFields } from './RepresentativeFields';

const ROLE_OPTIONS = Object.entries(PARTY_ROLE_LABELS)
  .filter(([value]) => ['applicant', 'respondent', 'third_party'].includes(value))
  .map(([value, text]) => ({ value, label: text }));

const KIND_OPTIONS = [
  { value: 'natural', label: '自然人' },
  { value: 'legal', label: '法人或其他组织' },
];

export function PartyFields({ index, onRemove }: { index: number; onRemove?: () => void }) {
  const form = Form.useFormInstance();
  const role = Form.useWatch(['parties', index, 'role'], form) as string | undefined;
  const kind = (Form.useWatch(['parties', index, 'kind'], form) as string | undefined) ?? 'natural';
  const roleText = role ? (PARTY_ROLE_LABELS[role as keyof typeof PARTY_ROLE_LABELS] ?? role) : '';
  const partyName = `当事人 ${index + 1}${roleText ? `（${roleText}）` : ''}`;
  return (
    <fieldset className="intake-party">
      <legend>{partyName}</legend>
      <div className="intake-grid">
        <Form.Item label="身份" name={[index, 'role']} rules={[{ required: true, message: '请选择当事人身份' }]}>
          <Select options={ROLE_OPTIONS} />
        </Form.Item>
        <Form.Item label="类型" name={[index, 'kind']} rules={[{ required: true, message: '请选择类型' }]}>
          <Radio.Group options={KIND_OPTIONS} />
        </Form.Item>
        <Form.Item
          label={kind === 'legal' ? '名称' : '姓名'}
          name={[index, 'name']}
          rules={[
            { required: true, whitespace: true, message: kind === 'legal' ? '请填写组织名称' : '请填写姓名' },
            { max: 200, message: '不能超过 200 个字' },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        {kind === 'legal' ? (
          <Form.Item
            label="统一社会信用代码"
            name={[index, 'creditCode']}
            validateTrigger="onBlur"
            rules={[
              {
                pattern: /^\s*[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{2}\d{6}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{10}\s*$/,
                message: '应为 18 位统一社会信用代码',
              },
            ]}
          >
            <Input autoComplete="off" maxLength={18} />
          </Form.Item>
        ) : (
          <Form.Item
            label="身份证号"
            name={[index, 'idNumber']}
            // Checked when the clerk leaves the field (and on submit), not at every digit.
            validateTrigger="onBlur"
            rules={[
              {
                validator: (_rule, value: string | undefined) => {
                  const problem = value?.trim() ? idNumberProblem(value) : undefined;
                  return problem ? Promise.reject(new Error(`身份证号${problem}`)) : Promise.resolve();
                },
              },
            ]}
          >
            <Input autoComplete="off" maxLength={18} inputMode="text" />
          </Form.Item>
        )}
        <Form.Item
          label="手机号码"
          name={[index, 'phone']}
          validateTrigger="onBlur"
          rules={[{ pattern: /^\s*1[3-9]\d{9}\s*$/, message: '应为 11 位手机号码' }]}
        >
          <Input autoComplete="off" inputMode="tel" maxLength={11} />
        </Form.Item>
        <Form.Item
          label="地址"
          name={[index, 'address']}
          rules={[{ max: 500, message: '不能超过 500 个字' }]}
          className="intake-wide"
        >
          <Input autoComplete="off" />
        </Form.Item>
      </div>
      {/* A guardian or agent acting for this party: its own fieldsets, then 添加代理人. */}
      <RepresentativeFields partyIndex={index} partyName={partyName} partyKind={kind} />
      {onRemove ? (
        <Button onClick={onRemove} aria-label={`删除当事人 ${index + 1}`}>
          删除此当事人
        </Button>
      ) : null}
    </fieldset>
  );
}
