/** Sign-in for staff (username + password); the buyer portal is a link away. */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { post } from '../shared/api.ts';
import { errorText } from '../shared/errors.ts';
import { useLang, useMessages } from '../shared/i18n.tsx';
import { useSession, type Session } from '../shared/session.tsx';
import { LanguageSwitch } from '../shared/LanguageSwitch.tsx';
import { shellMessages } from './messages.ts';

export function SignIn() {
  const m = useMessages(shellMessages);
  const { lang } = useLang();
  const { setSession } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      setSession(await post<Session>('/session', values));
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ display: 'grid', placeItems: 'center', minHeight: '100vh', background: '#f5f5f5', padding: 16 }}>
      <Card style={{ width: 360, maxWidth: '100%' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            {m.signInTitle}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Form layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
          <Form.Item label={m.username} name="username" rules={[{ required: true, whitespace: true, message: m.usernameRequired }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label={m.password} name="password" rules={[{ required: true, message: m.passwordRequired }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert role="alert" type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {m.signIn}
          </Button>
        </Form>
        <div style={{ marginTop: 16, textAlign: 'center' }}>
          <a href="/buyer">{m.buyerLink}</a>
        </div>
      </Card>
    </main>
  );
}
