/**
 * 法院委派/委托信息: the delegating court's letter (a court channel only): its code, case number, letter number,
 * procedure (委托: it sets the period) and the deadline the letter names. The patterns are the API's own.
 */
import { DatePicker, Form, Input, Select } from 'antd';
import type { Channel } from './form';

const PROCEDURE_OPTIONS = [
  { value: 'ordinary', label: '普通程序' },
  { value: 'summary', label: '简易程序' },
];

export function CourtFields({ channel }: { channel: Channel }) {
  const preFiling = channel === 'court_pre_filing';
  return (
    <section className="intake-section" aria-labelledby="intake-court">
      <h2 id="intake-court">法院{preFiling ? '委派' : '委托'}信息</h2>
      <div className="intake-grid">
        <Form.Item
          label="法院代码"
          name={['court', 'courtCode']}
          rules={[
            { required: true, message: '请填写法院代码' },
            { pattern: /^\s*[\u4e00-\u9fff]\d{2,6}\s*$/, message: '应为法院代码，如 粤5202' },
          ]}
        >
          <Input autoComplete="off" placeholder="如 粤5202" />
        </Form.Item>
        <Form.Item label="法院名称" name={['court', 'courtName']} rules={[{ max: 100, message: '不能超过 100 个字' }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          label="法院案号"
          name={['court', 'courtCaseNumber']}
          rules={[
            { required: channel === 'court_post_filing', message: '法院委托调解须填写法院案号' },
            {
              pattern: /^\s*[(（]\d{4}[)）][\u4e00-\u9fff]\d{0,6}[\u4e00-\u9fff]{1,4}\d+号\s*$/,
              message: '应为法院案号，如 (2026)粤5202民初123号',
            },
          ]}
        >
          <Input autoComplete="off" placeholder="如 (2026)粤5202民初123号" />
        </Form.Item>
        <Form.Item
          label={preFiling ? '委派函号' : '委托函号'}
          name={['court', 'letterNumber']}
          rules={[{ max: 100, message: '不能超过 100 个字' }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        {channel === 'court_post_filing' ? (
          <Form.Item
            label="审理程序"
            name={['court', 'procedure']}
            rules={[{ required: true, message: '法院委托调解须选择审理程序' }]}
          >
            <Select options={PROCEDURE_OPTIONS} placeholder="按↓选择" />
          </Form.Item>
        ) : null}
        <Form.Item label="法院函定期限" name={['court', 'deadline']} extra="函中写明的调解期限，没有可不填">
          <DatePicker format="YYYY-MM-DD" placeholder="年-月-日" style={{ width: '100%' }} />
        </Form.Item>
      </div>
    </section>
  );
}
