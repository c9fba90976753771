/**
 * 新建店铺 (admin, shop.create: POST /shops): a small form; the admin becomes
 * the new shop's admin and may switch to it at once (POST /session/shop, then
 * the session is read again so the shop list knows it).
 */
import { Alert, Button, Form, Input, Modal, Radio, Result, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { newIdempotencyKey, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useSession, type Session } from '../../../shared/session.tsx';
import { newShopMessages } from './messages.ts';

/** ZNewShopRequest's rule for a shop code */
const SHOP_CODE = /^[a-z0-9][a-z0-9-]{1,31}$/;

interface Values {
  code: string;
  name: string;
  platform: 'taobao' | 'tmall' | 'none';
}

export function NewShopButton() {
  const m = useMessages(newShopMessages);
  const { lang } = useLang();
  const navigate = useNavigate();
  const { setSession, reload } = useSession();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ code: string; name: string; platform: Values['platform'] } | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);

  const close = () => {
    setOpen(false);
    setError(null);
    setCreated(null);
  };

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const shop = await post<{ code: string; name: string }>('/shops', { code: v.code.trim(), name: v.name.trim(), platform: v.platform === 'none' ? null : v.platform }, key);
      setCreated({ code: shop.code, name: shop.name, platform: v.platform });
      setKey(newIdempotencyKey());
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const switchNow = async () => {
    if (!created) return;
    setBusy(true);
    setError(null);
    try {
      setSession(await post<Session>('/session/shop', { shopCode: created.code }));
      await reload();
      const platform = created.platform;
      close();
      navigate(platform !== 'none' ? '/platform' : '/');
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const later = () => {
    // the shop list at the top right learns the new shop
    void reload().catch(() => {});
    close();
  };

  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="shop-new">
        {m.newShop}
      </Button>
      <Modal
        open={open}
        title={m.newShop}
        onCancel={created ? later : close}
        destroyOnHidden
        footer={
          created
            ? [
                <Button key="later" onClick={later}>
                  {m.later}
                </Button>,
                <Button key="switch" type="primary" loading={busy} onClick={() => void switchNow()} data-testid="shop-switch-now">
                  {m.switchNow}
                </Button>,
              ]
            : [
                <Button key="cancel" onClick={close}>
                  {m.cancel}
                </Button>,
                <Button key="create" type="primary" loading={busy} onClick={() => form.submit()} data-testid="shop-create-submit">
                  {m.create}
                </Button>,
              ]
        }
      >
        {created ? (
          <Result
            status="success"
            title={fmt(m.createdTitle, { name: created.name })}
            subTitle={
              <>
                <div>{m.createdText}</div>
                {created.platform !== 'none' && <div>{fmt(m.createdPlatformText, { platform: m[created.platform] })}</div>}
                <Typography.Text type="secondary">{m.laterHint}</Typography.Text>
              </>
            }
            style={{ padding: '8px 0' }}
            data-testid="shop-created"
          />
        ) : (
          <Form<Values> form={form} layout="vertical" initialValues={{ platform: 'taobao' }} onFinish={(v) => void submit(v)} data-testid="shop-form" preserve={false}>
            <Typography.Paragraph type="secondary">{m.intro}</Typography.Paragraph>
            <Form.Item
              name="name"
              label={m.name}
              rules={[{ validator: (_, v: string | undefined) => (String(v ?? '').trim().length >= 1 && String(v ?? '').trim().length <= 64 ? Promise.resolve() : Promise.reject(new Error(m.nameInvalid))) }]}
            >
              <Input maxLength={64} autoFocus />
            </Form.Item>
            <Form.Item
              name="code"
              label={m.code}
              extra={m.codeHelp}
              normalize={(v: string) => v.toLowerCase()}
              rules={[{ validator: (_, v: string | undefined) => (SHOP_CODE.test(String(v ?? '').trim()) ? Promise.resolve() : Promise.reject(new Error(m.codeInvalid))) }]}
            >
              <Input maxLength={32} autoComplete="off" spellCheck={false} />
            </Form.Item>
            <Form.Item name="platform" label={m.platform} extra={m.platformHelp}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'taobao', label: m.taobao },
                  { value: 'tmall', label: m.tmall },
                  { value: 'none', label: m.none },
                ]}
              />
            </Form.Item>
            <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
          </Form>
        )}
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginTop: 8 }} />}
      </Modal>
    </>
  );
}
