/**
 * One action on a record, at the version the caller saw: the action's own
 * form (checked as the server checks it), then POST
 * /records/{kind}/{id}/{action}. A 409 (changed meanwhile, or no longer
 * allowed) closes the form and reloads the record.
 */
import { Alert, App as AntApp, Form, Input, Modal, Radio, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { ApiError, newIdempotencyKey, post } from '../../../shared/api.ts';
import { parseYuan, yuan } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { actionText, kindText } from './describe.tsx';
import { financeMessages } from './messages.ts';
import { markServerFields, problemText, yuanRule } from './problems.ts';
import { charCount, INVOICE_NO, normalizeCode, PAYMENT_REF, shanghaiToday, TRACKING_NO, type Claim, type Invoice, type PostageRequest, type SideRecordDetail } from './records.ts';

type Values = Record<string, string | undefined>;

/** Actions that only need a yes: the question they ask. */
const confirmOnly: Record<string, keyof (typeof financeMessages)['zh-CN']> = {
  'claim.stamp': 'confirm_claim_stamp',
  'claim.file': 'confirm_claim_file',
  'invoice.send_to_finance': 'confirm_invoice_send_to_finance',
};

function bodyOf(kind: string, action: string, v: Values): Record<string, unknown> {
  const text = (s: string | undefined) => (s ?? '').trim();
  switch (`${kind}.${action}`) {
    case 'claim.record_buyer_choice':
      return v.choice === 'reship'
        ? { buyerChoice: { choice: 'reship', trackingNo: normalizeCode(text(v.trackingNo)), ...(text(v.courier) ? { courier: text(v.courier) } : {}) } }
        : { buyerChoice: { choice: 'refund' } };
    case 'claim.compensate':
      return { amountFen: parseYuan(text(v.amount)), ...(text(v.note) ? { note: text(v.note) } : {}) };
    case 'claim.close':
      return text(v.note) ? { note: text(v.note) } : {};
    case 'invoice.issue':
      return { number: normalizeCode(text(v.number)), issueDate: text(v.issueDate) };
    case 'postage.pay':
      return { paymentRef: normalizeCode(text(v.paymentRef)) };
    default:
      return action === 'cancel' ? { reason: text(v.reason) } : {};
  }
}

export function ActionModal({
  record,
  action,
  onClose,
  onDone,
  onConflict,
}: {
  record: SideRecordDetail;
  action: string | null;
  onClose: () => void;
  onDone: () => void;
  onConflict: () => void;
}) {
  const m = useMessages(financeMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const choice = Form.useWatch('choice', form);
  const key = action ? `${record.kind}.${action}` : '';

  useEffect(() => {
    setError(null);
    if (action) form.resetFields();
  }, [action, form]);

  const submit = async (values: Values) => {
    if (!action) return;
    setSending(true);
    setError(null);
    try {
      await post(`/records/${record.kind}/${record.id}/${action}`, { version: record.version, ...bodyOf(record.kind, action, values) }, newIdempotencyKey());
      message.success(fmt(m.done, { action: actionText(record.kind, action, m) }));
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        message.warning(problemText(err, m, lang));
        onConflict();
      } else {
        setError(problemText(err, m, lang));
        markServerFields(form, err, m, { 'buyerChoice.trackingNo': 'trackingNo', 'buyerChoice.courier': 'courier', 'buyerChoice.choice': 'choice', amountFen: 'amount' });
      }
    } finally {
      setSending(false);
    }
  };

  const reasonItem = (
    <Form.Item
      name="reason"
      label={m.reason}
      rules={[
        { required: true, whitespace: true, message: fmt(m.required, { field: m.reason }) },
        { validator: async (_r, v: string | undefined) => { const n = charCount((v ?? '').trim()); if (n > 0 && (n < 2 || n > 200)) throw new Error(m.reasonLength); } },
      ]}
    >
      <Input.TextArea rows={2} maxLength={200} showCount autoFocus />
    </Form.Item>
  );
  const noteItem = (
    <Form.Item name="note" label={m.note} rules={[{ max: 500, message: fmt(m.tooLong, { field: m.note, max: 500 }) }]}>
      <Input.TextArea rows={2} maxLength={500} showCount />
    </Form.Item>
  );

  let body: ReactNode = null;
  if (key in confirmOnly) {
    body = <Typography.Paragraph>{m[confirmOnly[key]!]}</Typography.Paragraph>;
  } else if (action === 'cancel') {
    body = reasonItem;
  } else if (key === 'claim.record_buyer_choice') {
    const claim = record.data as Claim;
    body = (
      <>
        <Form.Item name="choice" label={m.buyerChoice} rules={[{ required: true, message: fmt(m.chooseRequired, { field: m.buyerChoice }) }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'reship', label: m.choiceReship },
              { value: 'refund', label: m.choiceRefund },
            ]}
          />
        </Form.Item>
        {choice === 'reship' && (
          <>
            <Form.Item
              name="trackingNo"
              label={m.reshipTrackingNo}
              rules={[
                { required: true, whitespace: true, message: fmt(m.required, { field: m.reshipTrackingNo }) },
                {
                  validator: async (_r, v: string | undefined) => {
                    const code = normalizeCode(v ?? '');
                    if (!code) return;
                    if (!TRACKING_NO.test(code)) throw new Error(m.trackingFormat);
                    if (code === claim.trackingNo) throw new Error(m.sameAsLost);
                  },
                },
              ]}
            >
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="courier" label={m.reshipCourier} rules={[{ max: 30, message: fmt(m.tooLong, { field: m.courier, max: 30 }) }]}>
              <Input autoComplete="off" />
            </Form.Item>
          </>
        )}
      </>
    );
  } else if (key === 'claim.compensate') {
    body = (
      <>
        <Form.Item name="amount" label={m.compensationAmount} rules={[{ required: true, whitespace: true, message: fmt(m.required, { field: m.compensationAmount }) }, yuanRule(m, { min: 0, required: true })]}>
          <Input suffix="元" inputMode="decimal" autoComplete="off" autoFocus />
        </Form.Item>
        {noteItem}
      </>
    );
  } else if (key === 'claim.close') {
    body = noteItem;
  } else if (key === 'invoice.issue') {
    const invoice = record.data as Invoice;
    const today = shanghaiToday();
    const earliest = shanghaiToday(new Date(invoice.requestedAt));
    body = (
      <>
        <Typography.Paragraph>
          {invoice.title} {invoice.taxId ? `· ${invoice.taxId}` : ''} · {yuan(invoice.amountFen)}
        </Typography.Paragraph>
        <Form.Item
          name="number"
          label={m.invoiceNumber}
          rules={[
            { required: true, whitespace: true, message: fmt(m.required, { field: m.invoiceNumber }) },
            { validator: async (_r, v: string | undefined) => { const code = normalizeCode(v ?? ''); if (code && !INVOICE_NO.test(code)) throw new Error(m.invoiceNoFormat); } },
          ]}
        >
          <Input autoComplete="off" autoFocus />
        </Form.Item>
        <Form.Item
          name="issueDate"
          label={m.issueDate}
          initialValue={today}
          rules={[
            { required: true, message: m.dateInvalid },
            {
              validator: async (_r, v: string | undefined) => {
                if (!v) return;
                if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new Error(m.dateInvalid);
                if (v > today) throw new Error(m.dateFuture);
                if (v < earliest) throw new Error(fmt(m.dateBeforeRequest, { date: earliest }));
              },
            },
          ]}
        >
          <Input type="date" min={earliest} max={today} style={{ maxWidth: 200 }} />
        </Form.Item>
      </>
    );
  } else if (key === 'postage.pay') {
    const p = record.data as PostageRequest;
    body = (
      <>
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={fmt(m.payTo, { name: p.realName, account: p.alipayAccount, amount: yuan(p.amountFen) })} />
        <Form.Item
          name="paymentRef"
          label={m.paymentRef}
          rules={[
            { required: true, whitespace: true, message: fmt(m.required, { field: m.paymentRef }) },
            { validator: async (_r, v: string | undefined) => { const code = normalizeCode(v ?? ''); if (code && !PAYMENT_REF.test(code)) throw new Error(m.paymentRefFormat); } },
          ]}
        >
          <Input autoComplete="off" autoFocus />
        </Form.Item>
      </>
    );
  }

  return (
    <Modal
      open={action !== null}
      title={action ? `${actionText(record.kind, action, m)} · ${kindText(record.kind, m)} #${record.id}` : ''}
      okText={m.confirm}
      cancelText={m.cancel}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={sending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} name={`action-${record.kind}-${action ?? ''}`}>
        {body}
        {/* Enter in any field submits, as the OK button does */}
        <button type="submit" tabIndex={-1} aria-hidden style={{ position: 'absolute', left: -9999, width: 1, height: 1, opacity: 0 }} />
      </Form>
    </Modal>
  );
}
