/**
 * S5.1, S5.2: opening a service archive (the clerk), or completing and
 * correcting one (the clerk and the leads: the acceptance date once it
 * passed, a new contact). Checked as the core checks it (validateArchive);
 * the warranty it gives is previewed with the core's own warrantyStatus.
 */
import { Alert, App as AntApp, Col, Form, Input, InputNumber, Modal, Radio, Row, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { marketLabels, maxWarrantyMonths, warrantyStatus, type ServiceArchiveInput } from '../../../../../src/core/service/archive.ts';
import { newIdempotencyKey, patch, post } from '../../../shared/api.ts';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import { shanghaiToday } from '../supervisor/dates.ts';
import { serviceMessages } from './messages.ts';
import type { ArchiveView } from './model.ts';
import { lengthRule, markServerFields, normalizeCode, normalizePhone, pastDateRule, phoneRule, problemText, requiredText, serialRule } from './parts.tsx';

interface Values {
  organisation: string;
  contact: string;
  phone: string;
  siteAddress: string;
  product: string;
  serialNo: string;
  contractNo: string;
  projectName?: string;
  market: 'government_procurement' | 'consumer';
  deliveredOn?: string;
  acceptedOn?: string;
  count: number;
  unit: 'months' | 'years';
  notes?: string;
}

function toInput(v: Values): ServiceArchiveInput {
  const opt = (s: string | undefined) => (s && s.trim() ? s.trim() : null);
  return {
    customer: { organisation: v.organisation.trim(), contact: v.contact.trim(), phone: normalizePhone(v.phone) ?? v.phone.trim(), siteAddress: v.siteAddress.trim() },
    product: v.product.trim(),
    serialNo: normalizeCode(v.serialNo),
    contractNo: v.contractNo.trim(),
    projectName: opt(v.projectName),
    market: v.market,
    deliveredOn: opt(v.deliveredOn),
    acceptedOn: opt(v.acceptedOn),
    warrantyPeriod: { count: Number(v.count), unit: v.unit },
    notes: opt(v.notes),
  };
}

function fromArchive(a: ArchiveView): Values {
  return {
    organisation: a.customer.organisation,
    contact: a.customer.contact,
    phone: a.customer.phone,
    siteAddress: a.customer.siteAddress,
    product: a.product,
    serialNo: a.serialNo,
    contractNo: a.contractNo,
    projectName: a.projectName ?? '',
    market: a.market,
    deliveredOn: a.deliveredOn ?? '',
    acceptedOn: a.acceptedOn ?? '',
    count: a.warrantyPeriod.count,
    unit: a.warrantyPeriod.unit,
    notes: a.notes ?? '',
  };
}

/** The masked value the form was filled with passes as it is (it is not sent: nothing changed); anything typed is checked by `rule`. */
function keptOr(kept: string, rule: ReturnType<typeof phoneRule>): ReturnType<typeof phoneRule> {
  return {
    validator: async (r, v) => {
      if ((v ?? '').trim() === kept) return;
      await rule.validator(r, v);
    },
  };
}

/** Only what changed (the core refuses an amendment that changes nothing). */
function patchOf(before: ServiceArchiveInput, after: ServiceArchiveInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const customer: Record<string, unknown> = {};
  for (const k of Object.keys(after.customer) as (keyof ServiceArchiveInput['customer'])[]) {
    if (after.customer[k] !== before.customer[k]) customer[k] = after.customer[k];
  }
  if (Object.keys(customer).length) out.customer = customer;
  for (const k of ['product', 'serialNo', 'contractNo', 'projectName', 'market', 'deliveredOn', 'acceptedOn', 'notes'] as const) {
    if ((after[k] ?? null) !== (before[k] ?? null)) out[k] = after[k];
  }
  if (JSON.stringify(after.warrantyPeriod) !== JSON.stringify(before.warrantyPeriod)) out.warrantyPeriod = after.warrantyPeriod;
  return out;
}

export function ArchiveForm({
  open,
  archive,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** amend this archive; a new one when absent */
  archive?: ArchiveView | null;
  onClose: () => void;
  onSaved: (a: ArchiveView) => void;
}) {
  const m = useMessages(serviceMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const today = shanghaiToday();
  const market = Form.useWatch('market', form);
  const deliveredOn = Form.useWatch('deliveredOn', form);
  const acceptedOn = Form.useWatch('acceptedOn', form);
  const count = Form.useWatch('count', form);
  const unit = Form.useWatch('unit', form);
  const editing = !!archive;
  // an archive answered masked (138****1234, the address down to the district): the masked values stay unless retyped in full
  const maskedPhone = archive && archive.customer.phone.includes('*') ? archive.customer.phone : null;
  const masked = !!archive && (maskedPhone !== null || archive.customer.siteAddress.includes('****'));

  useEffect(() => {
    if (!open) return;
    setError(null);
    setKey(newIdempotencyKey());
    form.resetFields();
    if (archive) form.setFieldsValue(fromArchive(archive));
  }, [open, archive, form]);

  /** S5.1: the warranty these dates give, as the core computes it */
  const preview = useMemo(() => {
    const ok = (d: string | undefined) => !!d && /^\d{4}-\d{2}-\d{2}$/.test(d) && d <= today;
    const n = Number(count);
    if (!market || !Number.isInteger(n) || n < 1 || !unit) return null;
    const months = unit === 'years' ? n * 12 : n;
    if (months > maxWarrantyMonths) return null;
    try {
      const status = warrantyStatus(
        { market, deliveredOn: ok(deliveredOn) ? deliveredOn! : null, acceptedOn: ok(acceptedOn) ? acceptedOn! : null, warrantyPeriod: { count: n, unit } },
        today,
      );
      return status;
    } catch {
      return null;
    }
  }, [market, deliveredOn, acceptedOn, count, unit, today]);

  const submit = async (values: Values) => {
    setSending(true);
    setError(null);
    try {
      const input = toInput(values);
      let saved: ArchiveView;
      if (archive) {
        const changes = patchOf(toInput(fromArchive(archive)), input);
        if (Object.keys(changes).length === 0) {
          onClose();
          return;
        }
        saved = await patch<ArchiveView>(`/service/archives/${archive.id}`, { version: archive.version, ...changes });
        message.success(m.archiveSaved);
      } else {
        saved = await post<ArchiveView>('/service/archives', input, key);
        message.success(fmt(m.archiveCreated, { serial: saved.serialNo }));
      }
      onSaved(saved);
    } catch (err) {
      setError(problemText(err, lang, m));
      markServerFields(form, err, m, {
        'customer.organisation': 'organisation',
        'customer.contact': 'contact',
        'customer.phone': 'phone',
        'customer.siteAddress': 'siteAddress',
        warrantyPeriod: 'count',
        'warrantyPeriod.count': 'count',
        'warrantyPeriod.unit': 'unit',
      });
    } finally {
      setSending(false);
    }
  };

  const acceptedLabel = market === 'government_procurement' ? m.acceptedOnGov : market === 'consumer' ? m.acceptedOnConsumer : m.acceptedOn;
  const max = unit === 'years' ? maxWarrantyMonths / 12 : maxWarrantyMonths;

  return (
    <Modal
      open={open}
      title={editing ? m.editArchive : m.newArchive}
      onCancel={onClose}
      okText={m.save}
      cancelText={m.cancel}
      confirmLoading={sending}
      onOk={() => form.submit()}
      width={760}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      {masked && <Alert type="info" showIcon title={m.maskedInForm} style={{ marginBottom: 12 }} data-testid="masked-in-form" />}
      <Form form={form} name="archive" layout="vertical" onFinish={submit} initialValues={{ market: 'consumer', unit: 'months', count: 12 }} data-testid="archive-form">
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="organisation" label={m.organisation} rules={[requiredText(m, m.organisation), lengthRule(m, m.organisation, 1, 100)]}>
              <Input autoComplete="organization" autoFocus />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="contact" label={m.contact} rules={[requiredText(m, m.contact), lengthRule(m, m.contact, 1, 40)]}>
              <Input autoComplete="name" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="phone" label={m.phone} rules={[requiredText(m, m.phone), maskedPhone ? keptOr(maskedPhone, phoneRule(m)) : phoneRule(m)]}>
              <Input autoComplete="tel" inputMode="tel" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="siteAddress" label={m.siteAddress} rules={[requiredText(m, m.siteAddress), lengthRule(m, m.siteAddress, 4, 200)]}>
              <Input autoComplete="street-address" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="product" label={m.product} rules={[requiredText(m, m.product), lengthRule(m, m.product, 1, 100)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="serialNo" label={m.serialNo} rules={[requiredText(m, m.serialNo), serialRule(m)]}>
              <Input autoComplete="off" style={{ textTransform: 'uppercase' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="contractNo" label={m.contractNo} rules={[requiredText(m, m.contractNo), lengthRule(m, m.contractNo, 1, 64)]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="projectName" label={m.projectName} rules={[lengthRule(m, m.projectName, 0, 100)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="market" label={m.market} rules={[{ required: true, message: fmt(m.chooseRequired, { field: m.market }) }]}>
              <Radio.Group
                options={(['government_procurement', 'consumer'] as const).map((k) => ({ value: k, label: labelOf(marketLabels[k], lang) }))}
                optionType="button"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="deliveredOn"
              label={m.deliveredOn}
              rules={[
                pastDateRule(m, today),
                {
                  validator: async (_r, v: string | undefined) => {
                    if (form.getFieldValue('market') === 'consumer' && form.getFieldValue('acceptedOn') && !v) throw new Error(m.consumerNeedsDelivery);
                  },
                },
              ]}
              dependencies={['market', 'acceptedOn']}
            >
              <Input type="date" max={today} min="1990-01-01" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="acceptedOn"
              label={acceptedLabel}
              dependencies={['deliveredOn']}
              rules={[
                pastDateRule(m, today),
                {
                  validator: async (_r, v: string | undefined) => {
                    const d = form.getFieldValue('deliveredOn') as string | undefined;
                    if (v && d && v < d) throw new Error(m.acceptedBeforeDelivery);
                  },
                },
              ]}
            >
              <Input type="date" max={today} min="1990-01-01" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name="count"
              label={m.warrantyCount}
              dependencies={['unit']}
              rules={[
                {
                  validator: async (_r, v: number | null | undefined) => {
                    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
                      throw new Error(fmt(m.periodInvalid, { max, unit: unit === 'years' ? m.years : m.months }));
                    }
                  },
                },
              ]}
            >
              <InputNumber min={1} max={max} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="unit" label={m.warrantyUnit} rules={[{ required: true }]}>
              <Select
                options={[
                  { value: 'months', label: m.months },
                  { value: 'years', label: m.years },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Typography.Paragraph type="secondary" style={{ marginTop: 30 }} data-testid="warranty-preview">
              {preview
                ? fmt(m.warrantyPreview, { text: lang === 'en' ? preview.reason.en : preview.reason['zh-CN'] })
                : m.warrantyPreviewNone}
            </Typography.Paragraph>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={m.notes} rules={[lengthRule(m, m.notes, 0, 1000)]}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
