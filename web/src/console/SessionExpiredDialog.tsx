/** 登录已过期: the password again, over the current screen (its forms keep what was typed). */
import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { errorText } from '../api/problems';
import { useSession } from './session';

export function SessionExpiredDialog() {
  const { principal, expired, renew, logout } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!principal || !expired) return null;
  return (
    <Modal
      open
      title="登录已过期，请重新登录"
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      footer={null}
      destroyOnHidden
    >
      <Typography.Paragraph>
        为保护案件信息，登录一段时间后需要重新输入密码。您正在填写的内容会保留。
      </Typography.Paragraph>
      <Form
        layout="vertical"
        colon={false}
        requiredMark={false}
        onFinish={async (values: { password: string }) => {
          setBusy(true);
          setError(null);
          try {
            await renew(values.password);
          } catch (e) {
            setError(errorText(e, '重新登录失败，请重试。'));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item label="用户">
          <Typography.Text strong>{principal.name}</Typography.Text>
        </Form.Item>
        <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
          {/* No autoFocus: the dialog takes focus itself, and its text is read first. */}
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {error ? <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} /> : null}
        <Button type="primary" htmlType="submit" loading={busy} block>
          重新登录
        </Button>
        <Button type="link" block onClick={() => void logout()} style={{ marginTop: 8 }}>
          退出，换一个账号登录
        </Button>
      </Form>
    </Modal>
  );
}
