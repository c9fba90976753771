/**
 * Registering a device sale (POST /devices; agent, supervisor): the order,
 * brand and model, the IMEI/MEID (checked here first: an IMEI's Luhn check
 * digit, an MEID's 14 hex digits), the purchase and delivery dates, the
 * buyer's region, and each accessory marked original or gift (S4.2: gifts
 * are not covered).
 */
import { Alert, App as AntApp, AutoComplete, Button, DatePicker, Form, Input, Modal, Radio, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { defaultBrands } from '../../../../../src/core/warranty/service-points.ts';
import { ApiError, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { deviceAccessoryKinds, type Device, type DeviceAccessoryKind } from '../../../shared/warranty-types.ts';
import { markServerIssues, useSubmitKey } from '../tasks/records.ts';
import { warrantyMessages } from './messages.ts';
import { deviceIdProblem, deviceIdRule } from './model.ts';

interface Values {
  orderNo?: string;
  brand: string;
  model: string;
  deviceId: string;
  purchaseDate: Dayjs;
  deliveryDate?: Dayjs | null;
  invoiceDate?: Dayjs | null;
  region: string;
  buyerName?: string;
  buyerPhone?: string;
  accessories?: { kind: DeviceAccessoryKind; name?: string; origin: 'original' | 'gift' }[];
}

export function RegisterDevice({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (device: Device) => void }) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitKey = useSubmitKey();

  const submit = async (v: Values) => {
    setSending(true);
    setError(null);
    try {
      const body = {
        ...(v.orderNo?.trim() ? { orderNo: v.orderNo.trim() } : {}),
        brand: v.brand.trim(),
        model: v.model.trim(),
        deviceId: v.deviceId.trim(),
        purchaseDate: v.purchaseDate.format('YYYY-MM-DD'),
        ...(v.deliveryDate ? { deliveryDate: v.deliveryDate.format('YYYY-MM-DD') } : {}),
        ...(v.invoiceDate ? { invoiceDate: v.invoiceDate.format('YYYY-MM-DD') } : {}),
        region: v.region.trim(),
        ...(v.buyerName?.trim() ? { buyerName: v.buyerName.trim() } : {}),
        ...(v.buyerPhone?.trim() ? { buyerPhone: v.buyerPhone.trim() } : {}),
        accessories: (v.accessories ?? []).map((a) => ({ kind: a.kind, ...(a.name?.trim() ? { name: a.name.trim() } : {}), origin: a.origin })),
      };
      const device = await post<Device>('/devices', body, submitKey.key());
      submitKey.settle();
      message.success(fmt(m.registered, { id: device.deviceId }));
      form.resetFields();
      onCreated(device);
    } catch (err) {
      submitKey.settle(err);
      setError(errorText(err, lang));
      if (err instanceof ApiError && err.code === 'VALIDATION_FAILED' && err.details.field === 'deviceId') {
        form.setFields([{ name: 'deviceId', errors: [deviceIdProblem(v.deviceId, m) ?? m.idRejected] }]);
      }
      markServerIssues(form, err, lang, m.fieldHint, ['orderNo', 'brand', 'model', 'purchaseDate', 'deliveryDate', 'invoiceDate', 'region', 'buyerName', 'buyerPhone']);
      if (err instanceof ApiError && err.code === 'DEVICE_EXISTS') form.setFields([{ name: 'deviceId', errors: [m.deviceExists] }]);
    } finally {
      setSending(false);
    }
  };

  const brandOptions = defaultBrands.map((b) => ({ value: lang === 'en' ? b.en : b.zh }));

  return (
    <Modal
      open={open}
      title={m.registerTitle}
      onCancel={onClose}
      width={720}
      okText={m.register}
      cancelText={m.cancel}
      okButtonProps={{ loading: sending, htmlType: 'submit', form: 'warranty-register' }}
      destroyOnHidden
    >
      <Form<Values>
        id="warranty-register"
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ accessories: [{ kind: 'battery', origin: 'original' }, { kind: 'charger', origin: 'original' }] }}
      >
        <Space wrap align="start" style={{ width: '100%' }}>
          <Form.Item name="brand" label={m.brand} rules={[{ required: true, whitespace: true, message: m.brandRequired }, { max: 40 }]} style={{ minWidth: 200 }}>
            <AutoComplete options={brandOptions} placeholder={m.brandPlaceholder} />
          </Form.Item>
          <Form.Item name="model" label={m.model} rules={[{ required: true, whitespace: true, message: m.modelRequired }, { max: 60 }]} style={{ minWidth: 240 }}>
            <Input placeholder={m.modelPlaceholder} />
          </Form.Item>
        </Space>
        <Form.Item name="deviceId" label={m.deviceIdLabel} extra={m.deviceIdHint} rules={[deviceIdRule(m)]} validateFirst>
          <Input inputMode="text" autoComplete="off" style={{ maxWidth: 320 }} />
        </Form.Item>
        <Form.Item name="orderNo" label={m.orderNo} rules={[{ max: 64 }]}>
          <Input style={{ maxWidth: 320 }} autoComplete="off" />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item
            name="purchaseDate"
            label={m.purchaseDate}
            rules={[
              { required: true, message: m.purchaseDateRequired },
              { validator: (_, d: Dayjs | undefined) => (d && d.isAfter(new Date(), 'day') ? Promise.reject(new Error(m.dateInFuture)) : Promise.resolve()) },
            ]}
          >
            <DatePicker format="YYYY-MM-DD" />
          </Form.Item>
          <Form.Item
            name="deliveryDate"
            label={m.deliveryDate}
            dependencies={['purchaseDate']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, d: Dayjs | null | undefined) => {
                  const p = getFieldValue('purchaseDate') as Dayjs | undefined;
                  return d && p && d.isBefore(p, 'day') ? Promise.reject(new Error(m.deliveryBeforePurchase)) : Promise.resolve();
                },
              }),
            ]}
          >
            <DatePicker format="YYYY-MM-DD" />
          </Form.Item>
          <Form.Item
            name="invoiceDate"
            label={m.invoiceDate}
            extra={m.invoiceDateHint}
            dependencies={['purchaseDate']}
            style={{ maxWidth: 300 }}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, d: Dayjs | null | undefined) => {
                  const p = getFieldValue('purchaseDate') as Dayjs | undefined;
                  if (d && d.isAfter(new Date(), 'day')) return Promise.reject(new Error(m.dateInFuture));
                  return d && p && d.isBefore(p, 'day') ? Promise.reject(new Error(m.invoiceBeforePurchase)) : Promise.resolve();
                },
              }),
            ]}
          >
            <DatePicker format="YYYY-MM-DD" />
          </Form.Item>
        </Space>
        <Form.Item name="region" label={m.region} extra={m.regionHint} rules={[{ required: true, whitespace: true, message: m.regionRequired }, { max: 200 }]}>
          <Input placeholder="河北省石家庄市长安区…" />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="buyerName" label={m.buyerName} rules={[{ max: 40 }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="buyerPhone" label={m.buyerPhone} rules={[{ pattern: /^1\d{10}$/, message: m.buyerPhoneInvalid }]}>
            <Input inputMode="tel" autoComplete="off" />
          </Form.Item>
        </Space>
        <Form.List name="accessories">
          {(fields, { add, remove }) => (
            <fieldset style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px', marginBottom: 12 }}>
              <legend style={{ fontSize: 14, width: 'auto', padding: '0 4px', margin: 0, border: 0 }}>{m.accessories}</legend>
              {fields.map((field, index) => (
                <Space key={field.key} wrap align="baseline" style={{ display: 'flex' }}>
                  <Form.Item name={[field.name, 'kind']} label={fmt(m.accessoryN, { n: index + 1 })} rules={[{ required: true, message: m.accessoryKindRequired }]}>
                    <Select style={{ width: 170 }} options={deviceAccessoryKinds.map((k) => ({ value: k, label: m[`acc_${k}`] }))} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'name']} label={m.accessoryName} rules={[{ max: 60 }]}>
                    <Input style={{ width: 160 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'origin']} label={m.accessoryOrigin} rules={[{ required: true, message: m.accessoryOriginRequired }]}>
                    <Radio.Group
                      optionType="button"
                      options={[
                        { value: 'original', label: m.origin_original },
                        { value: 'gift', label: m.origin_gift },
                      ]}
                    />
                  </Form.Item>
                  <Button onClick={() => remove(field.name)} aria-label={fmt(m.removeAccessory, { n: index + 1 })}>
                    {m.remove}
                  </Button>
                </Space>
              ))}
              <Button onClick={() => add({ kind: 'wired_earphones', origin: 'original' })}>{m.addAccessory}</Button>
            </fieldset>
          )}
        </Form.List>
      </Form>
      {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
    </Modal>
  );
}
