/**
 * The binding's form (admin, PUT /platform/binding), checked before it is sent
 * with ZBindingRequest's rules: bind (every field, both secrets), change it
 * (the secrets left empty keep the stored ones), re-authorise (a new session
 * key), or bind again after a revoke (both secrets again).
 */
import { Alert, Button, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, put } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { platformMessages } from './messages.ts';
import {
  APP_KEY,
  isGatewayUrl,
  isLocalGateway,
  platformNames,
  signMethodLabels,
  signMethodNames,
  TAOBAO_GATEWAY,
  trimmedLength,
  type BindingRequest,
  type BindingView,
  type PlatformName,
  type SignMethod,
} from './model.ts';

export type BindingFormMode = 'create' | 'edit' | 'reauth' | 'rebind';

interface Values {
  platform: PlatformName;
  sellerNick: string;
  appKey: string;
  appSecret?: string;
  sessionKey?: string;
  sessionExpiresAt?: Dayjs | null;
  gatewayUrl: string;
  signMethod: SignMethod;
  ratePerSecond: number;
  backfillDays: number;
}

function initialValues(view: BindingView | null): Partial<Values> {
  if (!view) return { platform: 'taobao', gatewayUrl: TAOBAO_GATEWAY, signMethod: 'hmac-sha256', ratePerSecond: 10, backfillDays: 90 };
  return {
    platform: view.platform,
    sellerNick: view.sellerNick,
    appKey: view.appKey,
    sessionExpiresAt: view.sessionExpiresAt ? dayjs(view.sessionExpiresAt) : null,
    gatewayUrl: view.gatewayUrl,
    signMethod: view.signMethod,
    ratePerSecond: view.ratePerSecond,
    backfillDays: view.backfillDays,
  };
}

/** What is sent: the secrets only when typed (absent keeps the stored ones). */
function requestOf(mode: BindingFormMode, v: Values, view: BindingView | null): BindingRequest {
  const secret = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
  const expires = v.sessionExpiresAt ? v.sessionExpiresAt.toDate().toISOString() : null;
  if (mode === 'reauth' && view) {
    return { platform: view.platform, sellerNick: view.sellerNick, appKey: view.appKey, sessionKey: secret(v.sessionKey), sessionExpiresAt: expires };
  }
  const body: BindingRequest = {
    platform: v.platform,
    sellerNick: v.sellerNick.trim(),
    appKey: v.appKey.trim(),
    gatewayUrl: v.gatewayUrl.trim(),
    signMethod: v.signMethod,
    ratePerSecond: v.ratePerSecond,
    backfillDays: v.backfillDays,
  };
  const appSecret = secret(v.appSecret);
  const sessionKey = secret(v.sessionKey);
  if (appSecret) body.appSecret = appSecret;
  if (sessionKey) body.sessionKey = sessionKey;
  if (expires || mode !== 'create') body.sessionExpiresAt = expires;
  return body;
}

export function BindingForm({
  mode,
  view,
  onSaved,
  onCancel,
}: {
  mode: BindingFormMode;
  /** the binding as it is (null: not bound yet) */
  view: BindingView | null;
  onSaved: (view: BindingView) => void;
  onCancel?: () => void;
}) {
  const m = useMessages(platformMessages);
  const { lang } = useLang();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [initial] = useState(() => initialValues(view));
  const secretsRequired = mode === 'create' || mode === 'rebind';
  const full = mode !== 'reauth';

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await put<BindingView>('/platform/binding', requestOf(mode, v, view)));
    } catch (err) {
      // the gateway the server refuses (this machine's, when it does not allow the simulator): said at the field
      if (err instanceof ApiError && err.code === 'VALIDATION_FAILED' && err.details.field === 'gatewayUrl') {
        form.setFields([{ name: 'gatewayUrl', errors: [isLocalGateway(v.gatewayUrl ?? '') ? m.gatewayLocalRefused : m.gatewayUrlInvalid] }]);
      }
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const secretRule = (required: boolean, requiredMessage: string) => ({
    validator: (_: unknown, v: string | undefined) => {
      const n = trimmedLength(v);
      if (n === 0) return required ? Promise.reject(new Error(requiredMessage)) : Promise.resolve();
      return n >= 4 && n <= 512 ? Promise.resolve() : Promise.reject(new Error(m.secretInvalid));
    },
  });
  const keepHelp = (last4: string | undefined) => (!secretsRequired && last4 ? fmt(m.keepSecret, { last4: fmt(m.masked, { last4 }) }) : undefined);

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={(v) => void submit(v)}
      onFinishFailed={() => setError(m.formInvalid)}
      onValuesChange={() => setError((e) => (e === m.formInvalid ? null : e))}
      scrollToFirstError
      data-testid="binding-form"
      aria-label={m.bindTitle}
    >
      {mode === 'reauth' && <Typography.Paragraph type="secondary">{m.reauthIntro}</Typography.Paragraph>}
      {mode === 'rebind' && <Typography.Paragraph type="secondary">{m.rebindIntro}</Typography.Paragraph>}
      <Row gutter={16}>
        {full && (
          <>
            <Col xs={24} md={12}>
              <Form.Item name="platform" label={m.platform} rules={[{ required: true, message: m.platformRequired }]}>
                <Radio.Group optionType="button" options={platformNames.map((p) => ({ value: p, label: m[p] }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="sellerNick"
                label={m.sellerNick}
                required
                extra={m.sellerNickHelp}
                rules={[{ validator: (_, v: string | undefined) => (trimmedLength(v) >= 1 && trimmedLength(v) <= 64 ? Promise.resolve() : Promise.reject(new Error(m.sellerNickInvalid))) }]}
              >
                <Input maxLength={64} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="appKey"
                label={m.appKey}
                required
                extra={m.appKeyHelp}
                rules={[{ validator: (_, v: string | undefined) => (APP_KEY.test(String(v ?? '').trim()) ? Promise.resolve() : Promise.reject(new Error(m.appKeyInvalid))) }]}
              >
                <Input maxLength={64} autoComplete="off" spellCheck={false} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="appSecret" label={m.appSecret} required={secretsRequired} extra={keepHelp(view?.appSecretLast4)} rules={[secretRule(secretsRequired, m.appSecretRequired)]}>
                <Input.Password maxLength={512} autoComplete="new-password" spellCheck={false} />
              </Form.Item>
            </Col>
          </>
        )}
        <Col xs={24} md={12}>
          <Form.Item
            name="sessionKey"
            label={m.sessionKey}
            required={secretsRequired || mode === 'reauth'}
            extra={keepHelp(view?.sessionKeyLast4) ?? m.sessionKeyHelp}
            rules={[secretRule(secretsRequired || mode === 'reauth', m.sessionKeyRequired)]}
          >
            <Input.Password maxLength={512} autoComplete="new-password" spellCheck={false} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="sessionExpiresAt"
            label={m.sessionExpiresAt}
            extra={m.sessionExpiresAtHelp}
            rules={[
              {
                validator: (_, v: Dayjs | null | undefined) => {
                  // a date already stored may have passed; a new one must be ahead
                  const unchanged = mode === 'edit' && v && initial.sessionExpiresAt && v.isSame(initial.sessionExpiresAt);
                  return !v || unchanged || v.isAfter(dayjs()) ? Promise.resolve() : Promise.reject(new Error(m.expiresInPast));
                },
              },
            ]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
          </Form.Item>
        </Col>
        {full && (
          <>
            <Col xs={24}>
              <Form.Item
                label={m.gatewayUrl}
                extra={m.gatewayUrlHelp}
                required
              >
                <Space.Compact style={{ width: '100%' }}>
                  <Form.Item name="gatewayUrl" noStyle rules={[{ validator: (_, v: string | undefined) => (isGatewayUrl(String(v ?? '')) ? Promise.resolve() : Promise.reject(new Error(m.gatewayUrlInvalid))) }]}>
                    <Input maxLength={300} spellCheck={false} aria-label={m.gatewayUrl} />
                  </Form.Item>
                  <Button onClick={() => form.setFieldValue('gatewayUrl', TAOBAO_GATEWAY)}>{m.useDefaultGateway}</Button>
                </Space.Compact>
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="signMethod" label={m.signMethod} rules={[{ required: true }]}>
                <Select
                  aria-label={m.signMethod}
                  options={signMethodNames.map((s) => ({ value: s, label: `${signMethodLabels[s]}${s === 'hmac-sha256' ? m.signRecommended : ''}` }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="ratePerSecond"
                label={m.ratePerSecond}
                extra={m.ratePerSecondHelp}
                rules={[{ required: true, type: 'integer', min: 1, max: 1000, message: m.ratePerSecondInvalid }]}
              >
                <InputNumber min={1} max={1000} precision={0} suffix={m.perSecond} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="backfillDays"
                label={m.backfillDays}
                extra={mode === 'create' ? m.backfillDaysHelp : m.backfillDaysFixed}
                rules={[{ required: true, type: 'integer', min: 0, max: 90, message: m.backfillDaysInvalid }]}
              >
                <InputNumber min={0} max={90} precision={0} suffix={m.days} style={{ width: '100%' }} disabled={mode !== 'create'} />
              </Form.Item>
            </Col>
          </>
        )}
      </Row>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} data-testid="binding-form-error" />}
      <Space>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="binding-submit">
          {mode === 'create' || mode === 'rebind' ? m.bindSubmit : mode === 'reauth' ? m.reauthorize : m.save}
        </Button>
        {onCancel && <Button onClick={onCancel}>{m.cancel}</Button>}
      </Space>
    </Form>
  );
}
