/**
 * The shop's settings (GET/PATCH /shop/settings): the refund deadlines in
 * hours (shown as days and hours too; S2.6, S2.8), 7-day no-reason returns,
 * the default return address (S2.5) with its consignee and phone (Taobao
 * needs them to agree a return), the unshipped cut-off (S1.1), the return
 * postage table (S1.14), the queue's batch agree limit (issue 15) and, read-only, the message templates. The form checks
 * every field before sending and sends only the fields that changed.
 */
import { Alert, App as AntApp, Button, Card, Col, Form, Input, InputNumber, Row, Space, Switch, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { patch, get } from '../../shared/api.ts';
import { errorText } from '../../shared/errors.ts';
import { parseYuan } from '../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import { useLoad } from '../../shared/use-api.ts';
import { amountRule, PostageTableEditor } from './supervisor/PostageTableEditor.tsx';
import { settingsMessages } from './supervisor/settings-messages.ts';
import {
  BATCH_AGREE_LIMIT_MAX_FEN,
  changedFields,
  hourFields,
  HOURS_MAX,
  hoursAsDays,
  hoursMin,
  RETURN_CONSIGNEE_MAX,
  RETURN_PHONE,
  toForm,
  type HourField,
  type SettingsForm,
  type ShopSettings,
} from './supervisor/settings-model.ts';
import { TemplatesCard } from './supervisor/TemplatesCard.tsx';

const CUTOFF = /^([01]\d|2[0-3]):[0-5]\d$/;

const hourHelp: Partial<Record<HourField, 'sellerAnswerReceivedHelp'>> = { sellerAnswerReceivedHours: 'sellerAnswerReceivedHelp' };

export default function Settings() {
  const m = useMessages(settingsMessages);
  const { lang } = useLang();
  const session = useSignedIn();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<SettingsForm>();
  const loaded = useLoad((signal) => get<ShopSettings>('/shop/settings', undefined, signal), []);
  const [base, setBase] = useState<ShopSettings | null>(null);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const values = Form.useWatch([], form) as SettingsForm | undefined;

  /** Shows these settings in the form (the list of postage rows replaced, not merged). */
  const fill = useCallback(
    (settings: ShopSettings) => {
      setBase(settings);
      form.resetFields();
      form.setFieldsValue(toForm(settings));
      setDirty(false);
    },
    [form],
  );

  useEffect(() => {
    if (loaded.data) fill(loaded.data);
  }, [loaded.data, fill]);

  const submit = async (formValues: SettingsForm) => {
    if (!base) return;
    setSaveError(null);
    setNotice(null);
    const changes = changedFields({ ...toForm(base), ...formValues }, base);
    const n = Object.keys(changes).length;
    if (n === 0) {
      setNotice(m.nothingChanged);
      setDirty(false);
      return;
    }
    setSaving(true);
    try {
      const next = await patch<ShopSettings>('/shop/settings', changes);
      fill(next);
      message.success(fmt(m.saved, { n }));
      setNotice(fmt(m.saved, { n }));
    } catch (err) {
      setSaveError(errorText(err, lang));
    } finally {
      setSaving(false);
    }
  };

  const hoursItem = (field: HourField) => {
    const min = hoursMin(field);
    const current = values?.[field];
    const helpKey = hourHelp[field];
    return (
      <Col xs={24} md={12} xl={8} key={field}>
        <Form.Item
          name={field}
          label={m[field]}
          rules={[{ required: true, type: 'integer', min, max: HOURS_MAX, message: fmt(m.hoursRange, { min, max: HOURS_MAX }) }]}
          extra={
            <span>
              {typeof current === 'number' && Number.isInteger(current) ? fmt(m.asDays, { text: hoursAsDays(current, m) }) : ''}
              {helpKey ? ` ${m[helpKey]}` : ''}
            </span>
          }
        >
          <InputNumber min={min} max={HOURS_MAX} precision={0} suffix={m.hours} style={{ width: '100%' }} data-testid={`field-${field}`} />
        </Form.Item>
      </Col>
    );
  };

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{m.intro}</Typography.Paragraph>
      {loaded.error !== undefined && <Alert type="error" showIcon title={m.loadFailed} description={errorText(loaded.error, lang)} style={{ marginBottom: 12 }} />}

      <Form<SettingsForm>
        form={form}
        layout="vertical"
        disabled={!base}
        onFinish={(v) => void submit(v)}
        onFinishFailed={() => setSaveError(m.formInvalid)}
        onValuesChange={() => {
          setDirty(true);
          setNotice(null);
          setSaveError((e) => (e === m.formInvalid ? null : e));
        }}
        scrollToFirstError
      >
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Card title={m.deadlines} size="small">
            <Typography.Paragraph type="secondary">{m.deadlinesIntro}</Typography.Paragraph>
            <Row gutter={16}>
              {hourFields.map(hoursItem)}
              <Col xs={24} md={12} xl={8}>
                <Form.Item
                  name="platformDecisionWorkingDays"
                  label={m.platformDecisionWorkingDays}
                  rules={[{ required: true, type: 'integer', min: 1, max: 60, message: m.daysRange }]}
                  extra={m.platformDecisionHelp}
                >
                  <InputNumber min={1} max={60} precision={0} suffix={m.workingDays} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
          </Card>

          <Card title={m.shop} size="small">
            <Form.Item name="offersNoReasonReturns" label={m.offersNoReasonReturns} valuePropName="checked" extra={m.offersNoReasonReturnsHelp}>
              <Switch />
            </Form.Item>
            <Form.Item name="returnAddress" label={m.returnAddress} extra={m.returnAddressHelp} rules={[{ max: 300, message: m.returnAddressTooLong }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={300} showCount />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={12} xl={8}>
                <Form.Item
                  name="returnConsignee"
                  label={m.returnConsignee}
                  rules={[{ validator: (_, v: string | undefined) => ((v ?? '').trim().length <= RETURN_CONSIGNEE_MAX ? Promise.resolve() : Promise.reject(new Error(m.returnConsigneeTooLong))) }]}
                >
                  <Input maxLength={RETURN_CONSIGNEE_MAX} data-testid="field-returnConsignee" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12} xl={8}>
                <Form.Item
                  name="returnPhone"
                  label={m.returnPhone}
                  rules={[{ validator: (_, v: string | undefined) => (!(v ?? '').trim() || RETURN_PHONE.test((v ?? '').trim()) ? Promise.resolve() : Promise.reject(new Error(m.returnPhoneInvalid))) }]}
                >
                  <Input maxLength={20} inputMode="tel" data-testid="field-returnPhone" />
                </Form.Item>
              </Col>
            </Row>
            <Typography.Paragraph type="secondary" style={{ marginTop: -16 }}>
              {m.returnContactHelp}
            </Typography.Paragraph>
            <Form.Item
              name="unshippedCutoff"
              label={m.unshippedCutoff}
              extra={m.unshippedCutoffHelp}
              rules={[{ required: true, pattern: CUTOFF, message: m.unshippedCutoffInvalid }]}
            >
              <Input placeholder="09:00" maxLength={5} style={{ width: 120 }} data-testid="field-unshippedCutoff" />
            </Form.Item>
            <Form.Item
              name="batchAgreeLimit"
              label={m.batchAgreeLimit}
              extra={m.batchAgreeLimitHelp}
              rules={[
                {
                  required: true,
                  validator: (_, value: string | undefined) => {
                    const fen = parseYuan((value ?? '').trim());
                    return fen !== null && fen >= 0 && fen <= BATCH_AGREE_LIMIT_MAX_FEN ? Promise.resolve() : Promise.reject(new Error(m.batchAgreeLimitInvalid));
                  },
                },
              ]}
            >
              <Input prefix="¥" inputMode="decimal" style={{ width: 160 }} data-testid="field-batchAgreeLimit" />
            </Form.Item>
          </Card>

          <Card title={m.postage} size="small">
            <Typography.Paragraph type="secondary">{m.postageIntro}</Typography.Paragraph>
            <PostageTableEditor form={form} />
            <Form.Item
              name="postageDefault"
              label={m.defaultFen}
              extra={m.defaultFenHelp}
              style={{ marginTop: 16 }}
              rules={[
                {
                  validator: (_, value: string | undefined) =>
                    !value?.trim() ? Promise.resolve() : amountRule(m.amountInvalid).validator(_, value),
                },
              ]}
            >
              <Input prefix="¥" inputMode="decimal" style={{ width: 160 }} />
            </Form.Item>
          </Card>

          <div className="no-print" style={{ position: 'sticky', bottom: 0, background: '#f5f5f5', padding: '8px 0', zIndex: 2 }}>
            {saveError && <Alert type="error" showIcon title={saveError} style={{ marginBottom: 8 }} role="alert" data-testid="settings-error" />}
            {notice && <Alert type="success" showIcon title={notice} style={{ marginBottom: 8 }} data-testid="settings-notice" />}
            <Space wrap>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="settings-save">
                {m.save}
              </Button>
              <Button
                disabled={!dirty}
                onClick={() => {
                  if (base) fill(base);
                  setSaveError(null);
                }}
              >
                {m.reset}
              </Button>
              {dirty && <Tag color="orange">{m.unsaved}</Tag>}
            </Space>
          </div>
        </Space>
      </Form>

      <div style={{ marginTop: 12 }}>
        <TemplatesCard canEditRuleSet={session.role === 'supervisor'} />
      </div>
    </div>
  );
}
