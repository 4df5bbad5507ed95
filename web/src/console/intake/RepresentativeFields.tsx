/**
 * The guardians and agents of one party (`parties[i].representatives`, at most three, as the API bounds them):
 * 法定代理人 for a minor or an adult without full capacity (民法典 Arts 19-23: the guardian is the legal
 * representative), 委托代理人 for anyone who appoints one. Each is a fieldset named by its party and number,
 * its ID number checked as a party's is. An organization acts through agents only.
 */
import { Button, Form, Input, Radio } from 'antd';
import { idNumberProblem } from './messages';

/** As the API bounds a party's representatives. */
const MAX_REPRESENTATIVES = 3;

const KIND_OPTIONS = [
  { value: 'guardian', label: '法定代理人（监护人）' },
  { value: 'agent', label: '委托代理人' },
];

export function RepresentativeFields({
  partyIndex,
  partyName,
  partyKind,
}: {
  partyIndex: number;
  partyName: string;
  partyKind: string;
}) {
  const options = partyKind === 'legal' ? KIND_OPTIONS.filter((o) => o.value === 'agent') : KIND_OPTIONS;
  return (
    <Form.List name={[partyIndex, 'representatives']}>
      {(fields, { add, remove }) => (
        <div className="intake-representatives">
          {fields.map((field) => {
            const legend = `${partyName}的代理人 ${field.name + 1}`;
            return (
              <fieldset key={field.key} className="intake-representative">
                <legend>{legend}</legend>
                <div className="intake-grid">
                  <Form.Item
                    label="代理人类型"
                    name={[field.name, 'kind']}
                    rules={[{ required: true, message: '请选择代理人类型' }]}
                    className="intake-wide"
                  >
                    <Radio.Group options={options} />
                  </Form.Item>
                  <Form.Item
                    label="姓名"
                    name={[field.name, 'name']}
                    rules={[
                      { required: true, whitespace: true, message: '请填写代理人姓名' },
                      { max: 200, message: '不能超过 200 个字' },
                    ]}
                  >
                    <Input autoComplete="off" />
                  </Form.Item>
                  <Form.Item
                    label="身份证号"
                    name={[field.name, 'idNumber']}
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
                    <Input autoComplete="off" maxLength={18} />
                  </Form.Item>
                  <Form.Item
                    label="手机号码"
                    name={[field.name, 'phone']}
                    validateTrigger="onBlur"
                    rules={[{ pattern: /^\s*1[3-9]\d{9}\s*$/, message: '应为 11 位手机号码' }]}
                    extra="查询码和登录验证码发送到此号码"
                  >
                    <Input autoComplete="off" inputMode="tel" maxLength={11} />
                  </Form.Item>
                  <Form.Item
                    label="地址"
                    name={[field.name, 'address']}
                    rules={[{ max: 500, message: '不能超过 500 个字' }]}
                    className="intake-wide"
                  >
                    <Input autoComplete="off" />
                  </Form.Item>
                </div>
                <Button onClick={() => remove(field.name)}>
                  {/* One child: antd spaces out several. */}
                  <span>
                    删除<span className="sr-only">{partyName}的</span>代理人 {field.name + 1}
                  </span>
                </Button>
              </fieldset>
            );
          })}
          {fields.length < MAX_REPRESENTATIVES ? (
            <Button onClick={() => add({ kind: partyKind === 'legal' ? 'agent' : 'guardian' })}>
              <span>
                <span className="sr-only">为{partyName}</span>添加代理人
              </span>
            </Button>
          ) : null}
        </div>
      )}
    </Form.List>
  );
}
