/**
 * The 三包 decision for one device (POST /devices/{id}/decide, S4.2–S4.5): the
 * item (the host or an accessory, original or gift), the request (under 三包
 * or a personal-reason return), the fault and who confirmed it, the
 * condition (scratches, accessories intact, the resale-affecting marks of
 * S4.4) and the request date. The answer is the proof shown to the buyer; the
 * server records it in the audit trail.
 */
import { Alert, Button, Card, Checkbox, Col, DatePicker, Form, Radio, Row, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { accessoryKinds, resaleMarks, type ItemPart, type ResaleMark } from '../../../../../src/core/warranty/policy.ts';
import { post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { DecisionAnswer, DeviceDetail } from '../../../shared/warranty-types.ts';
import { useSubmitKey } from '../tasks/records.ts';
import { DecisionView } from './DecisionView.tsx';
import { warrantyMessages } from './messages.ts';
import { usePolicy } from './model.ts';

interface Values {
  part: ItemPart;
  origin: 'original' | 'gift';
  request: 'warranty' | 'personal_return';
  fault: 'performance' | 'none' | 'human_damage';
  faultCode?: string | null;
  confirmedBy: 'authorised_centre' | 'our_test' | 'none';
  scratches: boolean;
  accessoriesIntact: boolean;
  resaleMarks: ResaleMark[];
  requestDate?: Dayjs | null;
  contactedFirst: boolean;
}

export function DecideForm({ device }: { device: DeviceDetail }) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const { policy } = usePolicy();
  const [form] = Form.useForm<Values>();
  const part = Form.useWatch('part', form) ?? 'host';
  const fault = Form.useWatch('fault', form);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<DecisionAnswer | null>(null);
  const submitKey = useSubmitKey();

  const originOf = (p: ItemPart): 'original' | 'gift' => device.accessories.find((a) => a.kind === p)?.origin ?? 'original';
  const faultCodes = policy.performanceFaults.filter((f) => f.parts.includes(part));

  const submit = async (v: Values) => {
    setSending(true);
    setError(null);
    try {
      const body = {
        item: { part: v.part, origin: v.origin },
        request: v.request,
        ...(v.requestDate ? { requestDate: v.requestDate.format('YYYY-MM-DD') } : {}),
        fault: v.fault,
        ...(v.fault === 'performance' && v.faultCode ? { faultCode: v.faultCode } : {}),
        confirmedBy: v.fault === 'performance' ? v.confirmedBy : 'none',
        condition: { scratches: v.scratches, accessoriesIntact: v.accessoriesIntact, resaleMarks: v.resaleMarks },
        contactedFirst: v.contactedFirst,
      };
      const decided = await post<DecisionAnswer>(`/devices/${device.id}/decide`, body, submitKey.key());
      submitKey.settle();
      setAnswer(decided);
    } catch (err) {
      submitKey.settle(err);
      setAnswer(null);
      setError(errorText(err, lang));
    } finally {
      setSending(false);
    }
  };

  const partOptions = [
    { value: 'host', label: m.part_host },
    ...accessoryKinds.map((k) => {
      const sold = device.accessories.find((a) => a.kind === k);
      return { value: k, label: sold ? `${m[`acc_${k}`]} (${m[`origin_${sold.origin}`]})` : m[`acc_${k}`] };
    }),
  ];

  return (
    <Row gutter={[24, 16]}>
      <Col xs={24} lg={10}>
        <Card size="small" title={fmt(m.decideFor, { model: `${device.brand} ${device.model}`, id: device.deviceId })}>
          <Form<Values>
            form={form}
            layout="vertical"
            onFinish={submit}
            aria-label={m.decideTitle}
            initialValues={{
              part: 'host',
              origin: 'original',
              request: 'warranty',
              fault: 'performance',
              confirmedBy: 'our_test',
              scratches: false,
              accessoriesIntact: true,
              resaleMarks: [],
              contactedFirst: true,
            }}
            onValuesChange={(changed: Partial<Values>) => {
              if (changed.part) form.setFieldsValue({ origin: originOf(changed.part), faultCode: null });
              if (changed.fault && changed.fault !== 'performance') form.setFieldsValue({ faultCode: null });
            }}
          >
            <Form.Item name="part" label={m.item} rules={[{ required: true }]}>
              <Select options={partOptions} data-testid="decide-part" />
            </Form.Item>
            <Form.Item name="origin" label={m.itemOrigin} rules={[{ required: true }]} extra={m.giftHint}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'original', label: m.origin_original },
                  { value: 'gift', label: m.origin_gift },
                ]}
              />
            </Form.Item>
            <Form.Item name="request" label={m.request} rules={[{ required: true }]}>
              <Radio.Group
                options={[
                  { value: 'warranty', label: m.request_warranty },
                  { value: 'personal_return', label: m.request_personal_return },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="fault"
              label={m.fault}
              dependencies={['request']}
              rules={[
                { required: true },
                ({ getFieldValue }) => ({
                  validator: (_, v: string) =>
                    v === 'performance' && getFieldValue('request') === 'personal_return' ? Promise.reject(new Error(m.faultNotPersonal)) : Promise.resolve(),
                }),
              ]}
            >
              <Radio.Group
                options={[
                  { value: 'performance', label: m.fault_performance },
                  { value: 'none', label: m.fault_none },
                  { value: 'human_damage', label: m.fault_human_damage },
                ]}
              />
            </Form.Item>
            {fault === 'performance' ? (
              <>
                <Form.Item name="faultCode" label={m.faultCode} extra={m.faultCodeHint}>
                  <Select allowClear placeholder={m.faultCodeNone} options={faultCodes.map((f) => ({ value: f.code, label: f.textZh }))} />
                </Form.Item>
                <Form.Item name="confirmedBy" label={m.confirmedBy} rules={[{ required: true }]}>
                  <Radio.Group
                    options={[
                      { value: 'authorised_centre', label: m.confirmer_authorised_centre },
                      { value: 'our_test', label: m.confirmer_our_test },
                      { value: 'none', label: m.confirmer_none },
                    ]}
                  />
                </Form.Item>
              </>
            ) : null}
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend style={{ fontSize: 14, marginBottom: 4, border: 0 }}>{m.condition}</legend>
              <Form.Item name="scratches" valuePropName="checked" style={{ marginBottom: 4 }}>
                <Checkbox>{m.scratches}</Checkbox>
              </Form.Item>
              <Form.Item name="accessoriesIntact" valuePropName="checked" style={{ marginBottom: 4 }}>
                <Checkbox>{m.accessoriesIntact}</Checkbox>
              </Form.Item>
              <Form.Item name="resaleMarks" label={m.resaleMarks}>
                <Checkbox.Group options={resaleMarks.map((r) => ({ value: r, label: lang === 'en' ? policy.resaleMarkLabels[r].en : policy.resaleMarkLabels[r].zh }))} />
              </Form.Item>
            </fieldset>
            <Form.Item
              name="requestDate"
              label={m.requestDate}
              extra={m.requestDateHint}
              rules={[
                {
                  validator: (_, d: Dayjs | null | undefined) => {
                    if (!d) return Promise.resolve();
                    const day = d.format('YYYY-MM-DD');
                    if (day < device.purchaseDate) return Promise.reject(new Error(fmt(m.requestBeforePurchase, { date: device.purchaseDate })));
                    if (device.deliveryDate && day < device.deliveryDate) return Promise.reject(new Error(fmt(m.requestBeforeDelivery, { date: device.deliveryDate })));
                    // the server refuses a request date after today (issue 13)
                    if (d.isAfter(dayjs(), 'day')) return Promise.reject(new Error(m.dateInFuture));
                    return Promise.resolve();
                  },
                },
              ]}
            >
              <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.isBefore(dayjs(device.purchaseDate), 'day') || d.isAfter(dayjs(), 'day')} />
            </Form.Item>
            <Form.Item name="contactedFirst" valuePropName="checked">
              <Checkbox>{m.contactedFirst}</Checkbox>
            </Form.Item>
            {error ? <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} /> : null}
            <Space>
              <Button type="primary" htmlType="submit" loading={sending}>
                {m.decideSubmit}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setAnswer(null);
                  setError(null);
                }}
              >
                {m.reset}
              </Button>
            </Space>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        {answer ? (
          <>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {fmt((answer.policyVersion ?? answer.policy.version) === 0 ? m.decidedUnderDefault : m.decidedUnder, { id: answer.policy.id, version: answer.policyVersion ?? answer.policy.version })}
            </Typography.Paragraph>
            <DecisionView decision={answer} />
          </>
        ) : (
          <Typography.Paragraph type="secondary">{m.decideEmpty}</Typography.Paragraph>
        )}
      </Col>
    </Row>
  );
}
