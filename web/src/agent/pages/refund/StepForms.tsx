/**
 * The playbook's steps that used to be labels (issue 15 §1), each a dialog
 * that does the step from the refund page:
 * - 联系快递查件 / 联系快递追件 (S1.6, S1.19): the courier task, opened and
 *   (when the courier answered at once) completed; the checklist items tick
 *   themselves from it;
 * - 立即发货 (S2.2, S2.3): mark the order shipped with its courier and number;
 *   the pending pre-shipment refunds close with it;
 * - 加入未发退清单 (S1.1): collect today's unshipped refunds into the batch.
 */
import { Alert, App as AntApp, AutoComplete, Checkbox, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { newIdempotencyKey, post } from '../../../shared/api.ts';
import { COMMON_COURIERS } from '../../../shared/couriers.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { FormModal, type FormProps } from './Forms.tsx';
import type { WorkRecord } from './types.ts';
import { stepMessages } from './step-messages.ts';

const courierOptions = COMMON_COURIERS.map((c) => ({ value: c }));

// ---------------------------------------------------------------- S1.6 / S1.19 the courier

interface CourierValues {
  courier: string;
  trackingNo: string;
  note?: string;
  answered: boolean;
  outcome?: string;
  buyerToldVia: 'phone' | 'wangwang';
  handoverRemark?: string;
  parcelLost: boolean;
}

/** The refund's courier task of this kind that waits for the courier's answer, if any. */
export function openCourierTask(records: readonly WorkRecord[], kind: 'trace' | 'recall'): WorkRecord | undefined {
  return records.filter((r) => r.kind === 'courier_task' && r.status === 'open' && r.data.kind === kind).at(-1);
}

/**
 * 联系快递查件 / 追件: opens the courier task of this refund (the order's
 * courier and number filled in) and, when the courier answered on the phone,
 * records the answer at once: what they said, how the buyer was told, the
 * remark for the next shift (required for a recall, S1.19), a lost parcel
 * (then a claim form follows, S1.7). A task opened earlier is completed here.
 */
export function CourierForm(props: FormProps & { kind: 'trace' | 'recall' }) {
  const m = useMessages(stepMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<CourierValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { refund, order, records } = props.data;
  const pending = openCourierTask(records, props.kind);
  const answered = Form.useWatch('answered', form) ?? true;
  const lost = Form.useWatch('parcelLost', form);
  const recall = props.kind === 'recall';
  useEffect(() => {
    if (props.open) setError(null);
  }, [props.open]);

  const submit = async (v: CourierValues) => {
    setBusy(true);
    setError(null);
    try {
      let task = pending ? { id: pending.id, version: pending.version } : null;
      if (!task) {
        const created = await post<{ id: number; version: number }>(
          '/records/courier_task',
          {
            kind: props.kind,
            orderNo: refund.orderNo,
            refundId: refund.id,
            courier: v.courier.trim(),
            trackingNo: v.trackingNo.trim(),
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
          },
          newIdempotencyKey(),
        );
        task = { id: created.id, version: created.version };
      }
      if (pending || v.answered) {
        await post(
          `/records/courier_task/${task.id}/complete`,
          {
            version: task.version,
            outcome: (v.outcome ?? '').trim(),
            buyerToldVia: v.buyerToldVia,
            ...(v.handoverRemark?.trim() ? { handoverRemark: v.handoverRemark.trim() } : {}),
            parcelLost: v.parcelLost,
          },
          newIdempotencyKey(),
        );
        message.success(v.parcelLost ? m.courierLostSaved : m.courierDone);
      } else {
        message.success(m.courierOpened);
      }
      props.onClose();
      props.onDone();
    } catch (err) {
      setError(err);
      // a task just opened stays open: the next try completes it
      props.onDone();
    } finally {
      setBusy(false);
    }
  };

  const showAnswer = !!pending || answered;
  return (
    <FormModal open={props.open} title={recall ? m.recallTitle : m.traceTitle} onClose={props.onClose} onSubmit={() => form.submit()} busy={busy} testId="courier-form">
      <Typography.Paragraph type="secondary">{recall ? m.recallHint : m.traceHint}</Typography.Paragraph>
      <Form<CourierValues>
        form={form}
        layout="vertical"
        initialValues={{
          courier: order?.shipment?.courier ?? '',
          trackingNo: order?.shipment?.trackingNo ?? '',
          answered: true,
          buyerToldVia: 'phone',
          parcelLost: false,
        }}
        onFinish={(v) => void submit(v)}
      >
        {pending ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={fmt(m.pendingTask, { courier: String(pending.data.courier ?? ''), trackingNo: String(pending.data.trackingNo ?? ''), at: dateTime(pending.createdAt, lang) })}
          />
        ) : (
          <>
            <Space wrap size={16} align="start">
              <Form.Item label={m.courier} name="courier" rules={[{ required: true, whitespace: true, message: m.courierRequired }, { max: 30, message: m.tooLong30 }]}>
                <AutoComplete style={{ width: 180 }} options={courierOptions} filterOption={(input, option) => String(option?.value ?? "").includes(input.trim())} />
              </Form.Item>
              <Form.Item label={m.trackingNo} name="trackingNo" rules={[{ required: true, whitespace: true, message: m.trackingNoRequired }, { max: 40, message: m.tooLong40 }]}>
                <Input style={{ width: 220 }} autoComplete="off" />
              </Form.Item>
            </Space>
            <Form.Item name="answered" valuePropName="checked" style={{ marginBottom: 8 }}>
              <Checkbox>{m.answeredNow}</Checkbox>
            </Form.Item>
            {!answered && (
              <Form.Item label={m.note} name="note" rules={[{ max: 500, message: m.tooLong500 }]}>
                <Input.TextArea rows={2} maxLength={500} placeholder={m.notePlaceholder} />
              </Form.Item>
            )}
          </>
        )}
        {showAnswer && (
          <>
            <Form.Item
              label={m.courierSaid}
              name="outcome"
              rules={[
                { required: true, whitespace: true, message: m.outcomeRequired },
                { min: 2, message: m.outcomeRequired },
                { max: 500, message: m.tooLong500 },
              ]}
            >
              <Input.TextArea autoFocus rows={2} maxLength={500} placeholder={recall ? m.recallPlaceholder : m.tracePlaceholder} />
            </Form.Item>
            <Form.Item label={m.buyerToldVia} name="buyerToldVia" rules={[{ required: true }]}>
              <Radio.Group
                options={[
                  { value: 'phone', label: m.viaPhone },
                  { value: 'wangwang', label: m.viaWangwang },
                ]}
              />
            </Form.Item>
            <Form.Item
              label={recall ? m.handoverRemarkRequired : m.handoverRemark}
              name="handoverRemark"
              rules={[
                ...(recall ? [{ required: true, whitespace: true, message: m.handoverRemarkMissing }, { min: 2, message: m.handoverRemarkMissing }] : []),
                { max: 200, message: m.tooLong200 },
              ]}
            >
              <Input maxLength={200} placeholder={recall ? m.recallRemarkPlaceholder : m.traceRemarkPlaceholder} />
            </Form.Item>
            {!recall && (
              <Form.Item name="parcelLost" valuePropName="checked" style={{ marginBottom: 8 }}>
                <Checkbox>{m.parcelLost}</Checkbox>
              </Form.Item>
            )}
            {lost && <Alert type="warning" showIcon title={m.lostNext} style={{ marginBottom: 12 }} />}
          </>
        )}
      </Form>
      {error ? <Alert role="alert" type="error" showIcon title={errorText(error, lang)} /> : null}
    </FormModal>
  );
}

// ---------------------------------------------------------------- S2.2 / S2.3 立即发货

interface ShipValues {
  courier: string;
  trackingNo: string;
  basis: 'already_shipped' | 'buyer_agreed';
}

interface ShipAnswer {
  closedRefunds: { refundId: number; note: string }[];
  warnings: { code: string; message: string }[];
}

export function ShipForm(props: FormProps) {
  const m = useMessages(stepMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ShipValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const order = props.data.order;
  useEffect(() => {
    if (props.open) setError(null);
  }, [props.open]);
  const submit = async (v: ShipValues) => {
    if (!order) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await post<ShipAnswer>(
        `/orders/${encodeURIComponent(order.orderNo)}/ship`,
        { courier: v.courier.trim(), trackingNo: v.trackingNo.trim(), basis: v.basis, version: order.version },
        newIdempotencyKey(),
      );
      message.success(answer.closedRefunds.length > 0 ? fmt(m.shippedClosed, { count: answer.closedRefunds.length }) : m.shipped);
      props.onClose();
      props.onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormModal open={props.open} title={m.shipTitle} onClose={props.onClose} onSubmit={() => form.submit()} busy={busy} okText={m.shipOk} testId="ship-form">
      <Alert type="info" showIcon title={m.shipHint} style={{ marginBottom: 12 }} />
      <Form<ShipValues> form={form} layout="vertical" initialValues={{ basis: 'already_shipped', courier: '', trackingNo: '' }} onFinish={(v) => void submit(v)}>
        <Form.Item label={m.shipBasis} name="basis" rules={[{ required: true }]}>
          <Select
            options={[
              { value: 'already_shipped', label: m.basisAlreadyShipped },
              { value: 'buyer_agreed', label: m.basisBuyerAgreed },
            ]}
          />
        </Form.Item>
        <Space wrap size={16} align="start">
          <Form.Item label={m.courier} name="courier" rules={[{ required: true, whitespace: true, message: m.courierRequired }, { max: 40, message: m.tooLong40 }]}>
            <AutoComplete autoFocus style={{ width: 180 }} options={courierOptions} filterOption={(input, option) => String(option?.value ?? "").includes(input.trim())} />
          </Form.Item>
          <Form.Item label={m.trackingNo} name="trackingNo" rules={[{ required: true, whitespace: true, message: m.trackingNoRequired }, { max: 40, message: m.tooLong40 }]}>
            <Input style={{ width: 220 }} autoComplete="off" />
          </Form.Item>
        </Space>
      </Form>
      {error ? <Alert role="alert" type="error" showIcon title={errorText(error, lang)} /> : null}
    </FormModal>
  );
}

// ---------------------------------------------------------------- S1.1 加入未发退清单

interface BatchAnswer {
  id: number;
  businessDate: string;
  status: string;
  lines: { refundId: number }[];
}

/** Collects today's unshipped refunds into the batch (S1.1) and says whether this one is in it. */
export function useAddToBatch(refundId: number, onDone: () => void) {
  const m = useMessages(stepMessages);
  const { lang } = useLang();
  const { modal, message } = AntApp.useApp();
  // the dialog renders outside the router: a plain link that navigates through the page's router
  const navigate = useNavigate();
  return async () => {
    try {
      const batch = await post<BatchAnswer>('/unshipped-batches/collect', {}, newIdempotencyKey());
      const inIt = batch.lines.some((l) => l.refundId === refundId);
      onDone();
      const shown = modal[inIt ? 'success' : 'info']({
        title: inIt ? m.batchAdded : m.batchNotAdded,
        content: (
          <>
            <p>{inIt ? fmt(m.batchAddedText, { date: batch.businessDate, count: batch.lines.length }) : m.batchNotAddedText}</p>
            <a
              href="/warehouse?tab=batch"
              onClick={(e) => {
                e.preventDefault();
                shown.destroy();
                void navigate('/warehouse?tab=batch');
              }}
            >
              {m.openBatch}
            </a>
          </>
        ),
      });
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };
}
