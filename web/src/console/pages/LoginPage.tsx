/** 登录: staff sign in with username and password (POST /auth/login). */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, explainedText } from '../../api/problems';
import { PageHeading } from '../a11y';
import { useSession } from '../session';

type Values = { username: string; password: string };

export function LoginPage() {
  const { login } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main className="login-page">
      <Card className="login-card">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
          一站式非诉讼纠纷化解中心
        </Typography.Paragraph>
        <PageHeading title="工作人员登录" />
        <Form<Values>
          layout="vertical"
          colon={false}
          requiredMark={false}
          onFinish={async (values) => {
            setBusy(true);
            setError(null);
            try {
              await login(values.username.trim(), values.password);
            } catch (e) {
              setError(e instanceof ApiError ? explainedText(e.explained) : '登录失败，请重试。');
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item
            label="用户名"
            name="username"
            rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}
          >
            {/* No autoFocus: a screen reader starts at the page's heading; the first Tab lands here. */}
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {/* role=alert: read out as soon as it appears. */}
          {error ? <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} /> : null}
          <Button type="primary" htmlType="submit" loading={busy} block>
            登录
          </Button>
        </Form>
      </Card>
    </main>
  );
}
