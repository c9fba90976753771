/**
 * Opening records, for the roles that may (agent, supervisor): a claim form
 * (S1.7), an invoice in the book (S1.8), a postage compensation (S1.14).
 * Each form checks every field as the server does and can fill itself from
 * the order; the server's refusal names the fields it did not accept.
 */
import { looksLikeOrganisation } from '../../../shared/invoice-title.ts';
import { Alert, App as AntApp, Button, Form, Input, Modal, Radio, Select, Space, Typography, type FormInstance } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { reasonLabels } from '../../../../../src/contract/labels.ts';
import { get, newIdempotencyKey, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { parseYuan, yuan } from '../../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { OrderDetail } from '../../../shared/types.ts';
import { kindText } from './describe.tsx';
import { financeMessages } from './messages.ts';
import { alipayProblem, markServerFields, problemText, realNameProblem, usccProblem, usccValid, yuanRule } from './problems.ts';
import { charCount, normalizeCode, TRACKING_NO, type Kind, type SideRecord } from './records.ts';

type M = (typeof financeMessages)['zh-CN'];
type Values = Record<string, string | number | undefined>;

/** The refund reasons whose return postage the shop pays back (S1.14, S1.10). */
const POSTAGE_REASONS = ['quality', 'damaged', 'not_as_described'];

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

function requiredText(m: M, field: string, max: number) {
  return [
    { required: true, whitespace: true, message: fmt(m.required, { field }) },
    { validator: async (_r: unknown, v: string | undefined) => { if (charCount((v ?? '').trim()) > max) throw new Error(fmt(m.tooLong, { field, max })); } },
  ];
}

/** The modal every create form shares: submit, the server's refusal, the fields it names. */
function CreateModal({
  kind,
  open,
  title,
  form,
  toBody,
  fieldNames,
  onClose,
  onCreated,
  children,
}: {
  kind: Kind;
  open: boolean;
  title: string;
  form: FormInstance<Values>;
  toBody: (v: Values) => Record<string, unknown>;
  fieldNames?: Record<string, string>;
  onClose: () => void;
  onCreated: (record: SideRecord) => void;
  children: ReactNode;
}) {
  const m = useMessages(financeMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (open) {
      setError(null);
      form.resetFields();
    }
  }, [open, form]);

  const submit = async (values: Values) => {
    setSending(true);
    setError(null);
    try {
      const record = await post<SideRecord>(`/records/${kind}`, toBody(values), newIdempotencyKey());
      message.success(fmt(m.openedFor, { kind: kindText(kind, m), id: record.id, orderNo: text(values.orderNo) }));
      onCreated(record);
    } catch (err) {
      setError(problemText(err, m, lang));
      markServerFields(form, err, m, fieldNames);
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal open={open} title={title} okText={m.submit} cancelText={m.cancel} onCancel={onClose} onOk={() => form.submit()} confirmLoading={sending} destroyOnHidden width={600}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} name={`create-${kind}`}>
        {children}
        <button type="submit" tabIndex={-1} aria-hidden style={{ position: 'absolute', left: -9999, width: 1, height: 1, opacity: 0 }} />
      </Form>
    </Modal>
  );
}

/** The order number with a "fill from the order" button: loads the order and hands it to the form. */
function OrderNoField({ form, onOrder, prefill }: { form: FormInstance<Values>; onOrder: (order: OrderDetail) => void; prefill?: string | undefined }) {
  const m = useMessages(financeMessages);
  const { lang } = useLang();
  const [loading, setLoading] = useState(false);
  const [note, setNote] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  // opened from a refund's next step (issue 15 §1): its order, looked up at once so the rest fills in
  useEffect(() => {
    if (!prefill) return;
    form.setFieldsValue({ orderNo: prefill });
    void lookup(prefill);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, for the order it was opened with
  }, [prefill]);
  const lookup = async (given?: string) => {
    const orderNo = given ?? text(form.getFieldValue('orderNo'));
    if (!orderNo) {
      await form.validateFields(['orderNo']).catch(() => undefined);
      return;
    }
    setLoading(true);
    setNote(null);
    try {
      const order = await get<OrderDetail>(`/orders/${encodeURIComponent(orderNo)}`);
      onOrder(order);
      setNote({ type: 'success', text: m.orderLoaded });
    } catch (err) {
      setNote({ type: 'error', text: errorText(err, lang) });
      // the dialog clears its fields as it opens: the number it was opened with stays to correct
      if (given) form.setFieldsValue({ orderNo: given });
    } finally {
      setLoading(false);
    }
  };
  return (
    <Form.Item label={m.orderNo} required extra={note && <Typography.Text type={note.type === 'error' ? 'danger' : 'success'}>{note.text}</Typography.Text>}>
      <Space.Compact style={{ width: '100%' }}>
        <Form.Item name="orderNo" noStyle rules={requiredText(m, m.orderNo, 64)}>
          <Input aria-label={m.orderNo} autoComplete="off" autoFocus onPressEnter={(e) => { e.preventDefault(); void lookup(); }} />
        </Form.Item>
        <Button onClick={() => void lookup()} loading={loading}>
          {m.fillFromOrder}
        </Button>
      </Space.Compact>
    </Form.Item>
  );
}

/** S1.7 the claim form: order, item code, size, courier and tracking number, item price. */
export function CreateClaim({ open, onClose, onCreated, prefillOrderNo }: { open: boolean; onClose: () => void; onCreated: (r: SideRecord) => void; prefillOrderNo?: string | undefined }) {
  const m = useMessages(financeMessages);
  const [form] = Form.useForm<Values>();
  const [order, setOrder] = useState<OrderDetail | null>(null);
  useEffect(() => {
    if (open) setOrder(null);
  }, [open]);

  const fillLine = (o: OrderDetail, lineNo: number) => {
    const line = o.lines.find((l) => l.lineNo === lineNo) ?? o.lines[0];
    if (line) form.setFieldsValue({ lineNo: line.lineNo, sku: line.sku, size: line.size, itemPrice: (line.unitPriceFen / 100).toFixed(2) });
  };
  const onOrder = (o: OrderDetail) => {
    setOrder(o);
    form.setFieldsValue({ orderNo: o.orderNo, ...(o.shipment ? { courier: o.shipment.courier, trackingNo: o.shipment.trackingNo } : {}) });
    if (o.lines[0]) fillLine(o, o.lines[0].lineNo);
  };

  return (
    <CreateModal
      kind="claim"
      open={open}
      title={m.newClaim}
      form={form}
      onClose={onClose}
      onCreated={onCreated}
      fieldNames={{ itemPriceFen: 'itemPrice' }}
      toBody={(v) => ({
        orderNo: text(v.orderNo),
        sku: text(v.sku),
        size: text(v.size),
        courier: text(v.courier),
        trackingNo: normalizeCode(text(v.trackingNo)),
        itemPriceFen: parseYuan(text(v.itemPrice)),
      })}
    >
      <Typography.Paragraph type="secondary">{m.introClaims}</Typography.Paragraph>
      <OrderNoField form={form} prefill={open ? prefillOrderNo : undefined} onOrder={onOrder} />
      {order && order.lines.length > 1 && (
        <Form.Item name="lineNo" label={m.orderLine}>
          <Select
            onChange={(v: number) => fillLine(order, v)}
            options={order.lines.map((l) => ({ value: l.lineNo, label: fmt(m.orderLineOption, { sku: l.sku, title: l.title, size: l.size, price: yuan(l.unitPriceFen) }) }))}
          />
        </Form.Item>
      )}
      {order && !order.shipment && <Alert type="warning" showIcon title={m.orderNoShipment} style={{ marginBottom: 12 }} />}
      <Space wrap align="start">
        <Form.Item name="sku" label={m.sku} rules={requiredText(m, m.sku, 40)}>
          <Input autoComplete="off" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="size" label={m.size} rules={requiredText(m, m.size, 10)}>
          <Input autoComplete="off" style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="itemPrice" label={m.itemPrice} rules={[{ required: true, whitespace: true, message: fmt(m.required, { field: m.itemPrice }) }, yuanRule(m, { min: 1, required: true })]}>
          <Input suffix="元" inputMode="decimal" autoComplete="off" style={{ width: 160 }} />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="courier" label={m.courier} rules={requiredText(m, m.courier, 30)}>
          <Input autoComplete="off" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="trackingNo"
          label={m.trackingNo}
          rules={[
            { required: true, whitespace: true, message: fmt(m.required, { field: m.trackingNo }) },
            { validator: async (_r, v: string | undefined) => { const code = normalizeCode(v ?? ''); if (code && !TRACKING_NO.test(code)) throw new Error(m.trackingFormat); } },
          ]}
        >
          <Input autoComplete="off" style={{ width: 280 }} />
        </Form.Item>
      </Space>
    </CreateModal>
  );
}

/** S1.8 the invoice book: title type, title, the company's tax id (checked here as the server checks it), amount. */
export function CreateInvoice({ open, onClose, onCreated, prefillOrderNo }: { open: boolean; onClose: () => void; onCreated: (r: SideRecord) => void; prefillOrderNo?: string | undefined }) {
  const m = useMessages(financeMessages);
  const [form] = Form.useForm<Values>();
  const titleType = Form.useWatch('titleType', form);
  const taxId = Form.useWatch('taxId', form);
  const title = Form.useWatch('title', form);
  const looksLikeCompany = titleType === 'individual' && typeof title === 'string' && looksLikeOrganisation(title);
  const valid = typeof taxId === 'string' && taxId.trim() ? usccValid(taxId, m) : null;

  return (
    <CreateModal
      kind="invoice"
      open={open}
      title={m.newInvoice}
      form={form}
      onClose={onClose}
      onCreated={onCreated}
      fieldNames={{ amountFen: 'amount' }}
      toBody={(v) => ({
        orderNo: text(v.orderNo),
        titleType: v.titleType,
        title: text(v.title),
        ...(v.titleType === 'company' ? { taxId: text(v.taxId) } : {}),
        amountFen: parseYuan(text(v.amount)),
      })}
    >
      <Typography.Paragraph type="secondary">{m.introInvoices}</Typography.Paragraph>
      <OrderNoField form={form} prefill={open ? prefillOrderNo : undefined} onOrder={(o) => form.setFieldsValue({ orderNo: o.orderNo, amount: (o.paidFen / 100).toFixed(2) })} />
      <Form.Item name="titleType" label={m.titleType} initialValue="individual" rules={[{ required: true, message: fmt(m.chooseRequired, { field: m.titleType }) }]}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'individual', label: m.individual },
            { value: 'company', label: m.company },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="title"
        label={m.invoiceTitle}
        rules={requiredText(m, m.invoiceTitle, 100)}
        extra={looksLikeCompany ? <Typography.Text type="warning" data-testid="invoice-title-company-warning">{m.individualLooksLikeCompany}</Typography.Text> : undefined}
      >
        <Input autoComplete="off" />
      </Form.Item>
      {titleType === 'company' && (
        <Form.Item
          name="taxId"
          label={m.taxId}
          required
          extra={valid ? <Typography.Text type="success">{valid}</Typography.Text> : undefined}
          rules={[
            {
              validator: async (_r, v: string | undefined) => {
                const problem = usccProblem(v ?? '', m);
                if (problem) throw new Error(problem);
              },
            },
          ]}
        >
          <Input autoComplete="off" maxLength={24} style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace', width: 280 }} />
        </Form.Item>
      )}
      <Form.Item name="amount" label={m.invoiceAmount} rules={[{ required: true, whitespace: true, message: fmt(m.required, { field: m.invoiceAmount }) }, yuanRule(m, { min: 1, required: true })]}>
        <Input suffix="元" inputMode="decimal" autoComplete="off" style={{ width: 200 }} />
      </Form.Item>
    </CreateModal>
  );
}

/** S1.14: the postage of a refunded quality return, to the buyer's Alipay; the amount comes from the shop's table unless entered with a reason. */
export function CreatePostage({ open, onClose, onCreated, prefillOrderNo }: { open: boolean; onClose: () => void; onCreated: (r: SideRecord) => void; prefillOrderNo?: string | undefined }) {
  const m = useMessages(financeMessages);
  const { lang } = useLang();
  const [form] = Form.useForm<Values>();
  const [refunds, setRefunds] = useState<OrderDetail['refunds'] | null>(null);
  const override = Form.useWatch('override', form);
  useEffect(() => {
    if (open) setRefunds(null);
  }, [open]);

  const onOrder = (o: OrderDetail) => {
    const owed = o.refunds.filter((r) => r.status === 'SUCCESS' && POSTAGE_REASONS.includes(r.reason));
    setRefunds(owed);
    form.setFieldsValue({ orderNo: o.orderNo, refundId: owed[0]?.id });
  };

  return (
    <CreateModal
      kind="postage"
      open={open}
      title={m.newPostage}
      form={form}
      onClose={onClose}
      onCreated={onCreated}
      fieldNames={{ overrideFen: 'override' }}
      toBody={(v) => {
        const overrideFen = text(v.override) ? parseYuan(text(v.override)) : null;
        return {
          orderNo: text(v.orderNo),
          refundId: v.refundId,
          alipayAccount: text(v.alipayAccount),
          realName: text(v.realName),
          ...(overrideFen !== null ? { overrideFen, overrideReason: text(v.overrideReason) } : {}),
        };
      }}
    >
      <Typography.Paragraph type="secondary">{m.introPostage}</Typography.Paragraph>
      <OrderNoField form={form} prefill={open ? prefillOrderNo : undefined} onOrder={onOrder} />
      {refunds && refunds.length === 0 && <Alert type="warning" showIcon title={m.noEligibleRefund} style={{ marginBottom: 12 }} />}
      <Form.Item name="refundId" label={m.refund} rules={[{ required: true, message: refunds ? fmt(m.chooseRequired, { field: m.refund }) : m.loadRefundsFirst }]}>
        <Select
          disabled={!refunds || refunds.length === 0}
          options={(refunds ?? []).map((r) => ({ value: r.id, label: fmt(m.refundOption, { id: r.id, reason: labelOf(reasonLabels[r.reason], lang), amount: yuan(r.amountFen) }) }))}
        />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item
          name="alipayAccount"
          label={m.alipayAccount}
          required
          rules={[{ validator: async (_r, v: string | undefined) => { const p = alipayProblem(v ?? '', m); if (p) throw new Error(p); } }]}
        >
          <Input autoComplete="off" style={{ width: 260 }} />
        </Form.Item>
        <Form.Item
          name="realName"
          label={m.realName}
          required
          rules={[{ validator: async (_r, v: string | undefined) => { const p = realNameProblem(v ?? '', m); if (p) throw new Error(p); } }]}
        >
          <Input autoComplete="off" style={{ width: 180 }} />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="override" label={m.overrideFen} rules={[yuanRule(m, { min: 1, required: false })]}>
          <Input suffix="元" inputMode="decimal" autoComplete="off" style={{ width: 200 }} />
        </Form.Item>
        {typeof override === 'string' && override.trim() !== '' && (
          <Form.Item
            name="overrideReason"
            label={m.overrideReason}
            required
            rules={[{ validator: async (_r, v: string | undefined) => { const n = charCount((v ?? '').trim()); if (n < 2 || n > 200) throw new Error(m.overrideReasonRequired); } }]}
          >
            <Input autoComplete="off" style={{ width: 300 }} />
          </Form.Item>
        )}
      </Space>
    </CreateModal>
  );
}
