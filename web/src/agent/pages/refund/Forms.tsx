/**
 * The action forms, each in a dialog: agree (return address; the checked
 * amount of an unshipped refund, S1.1), refuse (reason, evidence files and
 * lines, the buyer's problem, S1.15/S2.8), confirm receipt (after the
 * warehouse's arrival, S1.13), log a call or a Wangwang message (from a
 * template), ask to change the reason, a retention offer, the root cause.
 * Each validates before sending and shows the server's answer in words.
 */
import { Alert, App as AntApp, Button, Descriptions, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { reasonLabels, refundTypeLabels } from '../../../../../src/contract/labels.ts';
import { rootCauseLabels, rootCauses } from '../../../../../src/core/refund/root-causes.ts';
import { ApiError, get, newIdempotencyKey, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime, parseYuan, yuan } from '../../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import { ActionError, useRefundAction } from './action.tsx';
import { EvidenceUpload } from './Evidence.tsx';
import { detailMessages, platformRefundMessages } from './messages.ts';
import { ReturnCheckList, ReturnPostageEditor } from './CheckItems.tsx';
import { arrivalOf, conditionText } from './records.ts';
import { optionalTextRule, textRule } from './rules.ts';
import { roleMay, type DetailData, type TemplateInfo } from './types.ts';

export type FormKey = 'agree' | 'refuse' | 'confirm' | 'call' | 'message' | 'correction' | 'retention' | 'rootCause' | 'postage';

export interface FormProps {
  open: boolean;
  onClose: () => void;
  data: DetailData;
  /** after a success: reload the refund, the order and the records */
  onDone: () => void;
  /** after 409 VERSION_CONFLICT: reload the refund */
  onStale: () => void;
}

/** A dialog with a form: Cancel and Submit, the error under the fields. */
export function FormModal({
  open,
  title,
  onClose,
  onSubmit,
  busy,
  okText,
  danger,
  children,
  testId,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  busy: boolean;
  okText?: string;
  danger?: boolean;
  children: ReactNode;
  testId: string;
}) {
  const m = useMessages(detailMessages);
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      destroyOnHidden
      width={640}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {m.cancel}
        </Button>,
        <Button key="ok" type="primary" danger={danger} loading={busy} onClick={onSubmit} data-testid={`${testId}-submit`}>
          {okText ?? m.submit}
        </Button>,
      ]}
    >
      <div data-testid={testId}>{children}</div>
    </Modal>
  );
}

function useRefundForm(path: string, props: FormProps, success: string) {
  const { message } = AntApp.useApp();
  const versionRef = useRef(props.data.refund.version);
  versionRef.current = props.data.refund.version;
  const action = useRefundAction(path, {
    refundId: props.data.refund.id,
    version: () => versionRef.current,
    onDone: () => {
      message.success(success);
      props.onClose();
      props.onDone();
    },
    onStale: props.onStale,
  });
  const { reset } = action;
  useEffect(() => {
    if (props.open) reset();
  }, [props.open, reset]);
  return action;
}

// ---------------------------------------------------------------- agree

export function AgreeForm(props: FormProps) {
  const m = useMessages(detailMessages);
  const pm = useMessages(platformRefundMessages);
  const { lang } = useLang();
  const { refund } = props.data;
  const [form] = Form.useForm<{ returnAddress?: string; confirmedAmount?: string }>();
  const action = useRefundForm('agree', props, m.agreed);
  const isReturn = refund.type === 'return_and_refund' && refund.status === 'WAIT_SELLER_AGREE';
  const unshipped = refund.order.shipment === null;

  const onPlatform = !!refund.platform;
  /** Taobao/Tmall take a return's address with its consignee and phone, from the shop settings: what is missing */
  const [contactMissing, setContactMissing] = useState<string[]>([]);

  // the shop's return address is the default (GET /shop/settings)
  useEffect(() => {
    if (!props.open || !isReturn) return;
    const controller = new AbortController();
    get<{ returnAddress: string | null; returnConsignee?: string | null; returnPhone?: string | null }>('/shop/settings', undefined, controller.signal)
      .then((s) => {
        if (s.returnAddress && !form.getFieldValue('returnAddress')) form.setFieldValue('returnAddress', s.returnAddress);
        if (onPlatform) setContactMissing([!s.returnConsignee?.trim() && pm.consignee, !s.returnPhone?.trim() && pm.phone].filter((x): x is string => !!x));
      })
      .catch(() => {});
    return () => controller.abort();
  }, [props.open, isReturn, form, onPlatform, pm]);

  const submit = (v: { returnAddress?: string; confirmedAmount?: string }) => {
    const body: Record<string, unknown> = {};
    if (isReturn) body.returnAddress = v.returnAddress?.trim();
    if (unshipped && v.confirmedAmount) body.confirmedAmountFen = parseYuan(v.confirmedAmount);
    void action.send(body);
  };

  return (
    <FormModal
      open={props.open}
      title={isReturn ? m.agreeReturn : m.agreeTitle}
      onClose={props.onClose}
      onSubmit={() => form.submit()}
      busy={action.busy}
      okText={isReturn ? m.agreeReturn : m.agree}
      testId="agree-form"
    >
      <Typography.Paragraph>{isReturn ? m.agreeReturnHint : fmt(m.agreeRefundHint, { amount: yuan(refund.amountFen) })}</Typography.Paragraph>
      {contactMissing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="return-contact-missing"
          title={fmt(pm.returnContactMissing, { missing: contactMissing.join(lang === 'en' ? ', ' : '、') })}
          description={pm.returnContactFix}
        />
      )}
      <Form form={form} layout="vertical" onFinish={submit}>
        {isReturn && (
          <Form.Item label={m.returnAddress} name="returnAddress" required rules={[textRule(1, 300, m.returnAddressRequired)]}>
            <Input.TextArea rows={2} maxLength={300} autoFocus />
          </Form.Item>
        )}
        {unshipped && (
          <Form.Item
            label={m.confirmedAmount}
            name="confirmedAmount"
            extra={m.confirmedAmountHelp}
            required
            rules={[
              {
                validator: (_, v: string | undefined) => {
                  if (!v?.trim()) return Promise.reject(new Error(m.confirmedAmountRequired));
                  const fen = parseYuan(v);
                  if (fen === null) return Promise.reject(new Error(m.confirmedAmountInvalid));
                  if (fen !== refund.amountFen) return Promise.reject(new Error(fmt(m.confirmedAmountMismatch, { amount: yuan(refund.amountFen) })));
                  return Promise.resolve();
                },
              },
            ]}
          >
            <Input inputMode="decimal" prefix="¥" style={{ maxWidth: 200 }} autoFocus={!isReturn} />
          </Form.Item>
        )}
      </Form>
      <ActionError error={action.error} supervisor={props.data.role === 'supervisor'} busy={action.busy} onOverride={(reason) => void action.override(reason)} />
    </FormModal>
  );
}

// ---------------------------------------------------------------- refuse

interface RefuseValues {
  reason: string;
  files?: string[];
  evidenceText?: string;
  buyerProblem?: string;
}

function evidenceLines(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export function RefuseForm(props: FormProps) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const { refund, records } = props.data;
  const [form] = Form.useForm<RefuseValues>();
  const action = useRefundForm('refuse', props, m.refused);
  const facts = refund.playbook?.facts;
  const called = records.some((r) => r.kind === 'contact' && r.data.channel === 'phone' && ['reached', 'agreed', 'refused'].includes(String(r.data.outcome)));

  const submit = (v: RefuseValues) => {
    const body: Record<string, unknown> = {
      reason: v.reason.trim(),
      evidence: [...(v.files ?? []), ...evidenceLines(v.evidenceText)],
    };
    if (v.buyerProblem?.trim()) body.buyerProblem = v.buyerProblem.trim();
    void action.send(body);
  };

  const evidenceRule = {
    validator: () => {
      const files = (form.getFieldValue('files') as string[] | undefined) ?? [];
      const lines = evidenceLines(form.getFieldValue('evidenceText') as string | undefined);
      if (files.length + lines.length === 0) return Promise.reject(new Error(m.evidenceRequired));
      if (files.length + lines.length > 20) return Promise.reject(new Error(m.evidenceTooMany));
      if (lines.some((l) => [...l].length > 500)) return Promise.reject(new Error(m.evidenceLineTooLong));
      return Promise.resolve();
    },
  };

  return (
    <FormModal open={props.open} title={m.refuseTitle} onClose={props.onClose} onSubmit={() => form.submit()} busy={action.busy} okText={m.refuse} danger testId="refuse-form">
      <Descriptions
        size="small"
        bordered
        column={1}
        title={<span style={{ fontSize: 14 }}>{m.refuseFactsTitle}</span>}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'signed', label: m.signedAt, children: facts?.signedAt ? dateTime(facts.signedAt, lang) : <Typography.Text type="warning">{m.notSigned}</Typography.Text> },
          {
            key: 'products',
            label: `${m.hotSelling} / ${m.mainPromoted} / ${m.rating}`,
            children: (facts?.products ?? []).map((p) =>
              p.known ? (
                <div key={p.sku}>
                  {p.sku}: {p.hotSelling ? m.hotSelling : '—'} · {p.mainPromoted ? m.mainPromoted : '—'} · {p.rating ?? '—'}
                </div>
              ) : (
                <Typography.Text key={p.sku} type="warning">
                  {p.sku}: {m.productUnknown}
                </Typography.Text>
              ),
            ),
          },
          { key: 'call', label: m.phoneCalled, children: called ? <Tag color="green">{m.yes}</Tag> : <Tag color="red">{m.no}</Tag> },
        ]}
      />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item label={m.refuseReason} name="reason" required rules={[textRule(2, 200, m.refuseReasonRequired)]}>
          <Input.TextArea rows={2} maxLength={200} showCount autoFocus />
        </Form.Item>
        <Form.Item label={m.evidenceUpload} name="files" dependencies={['evidenceText']} rules={[evidenceRule]}>
          <EvidenceUpload />
        </Form.Item>
        <Form.Item label={m.evidenceTextLines} name="evidenceText">
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item label={m.buyerProblem} name="buyerProblem" extra={m.buyerProblemHelp} rules={[optionalTextRule(2, 500, m.buyerProblemInvalid)]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
      <ActionError error={action.error} supervisor={props.data.role === 'supervisor'} busy={action.busy} onOverride={(reason) => void action.override(reason)} />
    </FormModal>
  );
}

// ---------------------------------------------------------------- confirm receipt

export function ConfirmForm(props: FormProps) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const { refund, records } = props.data;
  const action = useRefundForm('confirm-receipt', props, m.confirmed);
  const arrival = arrivalOf(records);
  // S1.13: the one list the guard refuses with; where the rule set has no such guard, the warehouse's record alone
  const check = refund.playbook?.returnCheck;
  // a refusal names what was open then: once the list changes (the postage saved here), it no longer speaks for it
  const openNow = check?.missing.join('\n');
  const { reset } = action;
  useEffect(() => reset(), [openNow, reset]);
  return (
    <FormModal open={props.open} title={m.confirmTitle} onClose={props.onClose} onSubmit={() => void action.send({})} busy={action.busy} okText={m.confirmReceipt} testId="confirm-form">
      <Typography.Paragraph>{fmt(m.confirmHint, { amount: yuan(refund.amountFen) })}</Typography.Paragraph>
      {check ? (
        <ReturnCheckList check={check} refundId={refund.id} postage={refund.returnPostage} mayEdit={roleMay.work(props.data.role)} onChanged={props.onDone} />
      ) : arrival ? (
        <Alert type="success" showIcon title={fmt(m.arrivalRecorded, { condition: conditionText(arrival, lang), time: dateTime(arrival.createdAt, lang) })} style={{ marginBottom: 12 }} />
      ) : (
        <Alert type="warning" showIcon title={m.arrivalMissing} style={{ marginBottom: 12 }} />
      )}
      {refund.returnShipment && (
        <Typography.Paragraph>
          {m.returnShipment}: {refund.returnShipment.courier} {refund.returnShipment.trackingNo} · {dateTime(refund.returnShipment.shippedAt, lang)}
        </Typography.Paragraph>
      )}
      <ActionError error={action.error} supervisor={props.data.role === 'supervisor'} busy={action.busy} onOverride={(reason) => void action.override(reason)} />
    </FormModal>
  );
}

// ---------------------------------------------------------------- contacts (a call or a Wangwang message)

interface ContactValues {
  channel: 'phone' | 'wangwang';
  templateKey?: string;
  content: string;
  outcome: string;
  values?: Record<string, string>;
}

let templatesCache: TemplateInfo[] | null = null;

export function ContactForm(props: FormProps & { channel: 'phone' | 'wangwang' }) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const { refund } = props.data;
  const [form] = Form.useForm<ContactValues>();
  const [templates, setTemplates] = useState<TemplateInfo[]>(templatesCache ?? []);
  const [needs, setNeeds] = useState<string[]>([]);
  const [filling, setFilling] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fillError, setFillError] = useState<string | null>(null);
  const templateKey = Form.useWatch('templateKey', form);
  const suggested = new Set(refund.playbook?.templates ?? []);

  useEffect(() => {
    if (!props.open || templatesCache) return;
    const controller = new AbortController();
    get<TemplateInfo[]>('/templates', undefined, controller.signal)
      .then((list) => {
        templatesCache = list;
        setTemplates(list);
      })
      .catch(() => {});
    return () => controller.abort();
  }, [props.open]);

  useEffect(() => {
    if (props.open) {
      setError(null);
      setNeeds([]);
      setFillError(null);
    }
  }, [props.open]);

  const fill = async () => {
    const key = form.getFieldValue('templateKey') as string | undefined;
    if (!key) return;
    setFilling(true);
    setFillError(null);
    try {
      const values = Object.fromEntries(
        Object.entries((form.getFieldValue('values') as Record<string, string> | undefined) ?? {})
          .map(([k, v]) => [k, (v ?? '').trim()])
          .filter(([, v]) => v),
      );
      const answer = await post<{ text: string }>(`/refunds/${refund.id}/templates/${key}`, { values });
      form.setFieldValue('content', answer.text);
      setNeeds([]);
      void form.validateFields(['content']).catch(() => {});
      message.success(m.templateFilled);
    } catch (err) {
      const missing = err instanceof ApiError ? (err.details.missing as string[] | undefined) : undefined;
      if (missing && missing.length > 0) setNeeds(missing);
      else setFillError(errorText(err, lang));
    } finally {
      setFilling(false);
    }
  };

  const submit = async (v: ContactValues) => {
    setBusy(true);
    setError(null);
    try {
      await post(
        `/refunds/${refund.id}/contacts`,
        { channel: v.channel, content: v.content.trim(), outcome: v.outcome, ...(v.templateKey ? { templateKey: v.templateKey } : {}) },
        newIdempotencyKey(),
      );
      message.success(m.contactLogged);
      props.onClose();
      props.onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const ordered = [...templates].sort((a, b) => Number(suggested.has(b.key)) - Number(suggested.has(a.key)));
  const ph = m as unknown as Record<string, string>;
  return (
    <FormModal
      open={props.open}
      title={props.channel === 'phone' ? m.contactTitlePhone : m.contactTitleWangwang}
      onClose={props.onClose}
      onSubmit={() => form.submit()}
      busy={busy}
      testId="contact-form"
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ channel: props.channel }}>
        <Form.Item label={m.channel} name="channel" rules={[{ required: true }]}>
          <Select
            options={[
              { value: 'phone', label: m.channelPhone },
              { value: 'wangwang', label: m.channelWangwang },
            ]}
          />
        </Form.Item>
        <Form.Item label={m.template}>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="templateKey" noStyle>
              <Select
                allowClear
                autoFocus
                aria-label={m.template}
                placeholder={m.templateNone}
                data-testid="template-select"
                onChange={() => setNeeds([])}
                options={ordered.map((t) => ({
                  value: t.key,
                  label: `${lang === 'en' ? t.label.en : t.label['zh-CN']}${suggested.has(t.key) ? ` · ${m.templateSuggested}` : ''}`,
                }))}
              />
            </Form.Item>
            <Button onClick={() => void fill()} disabled={!templateKey} loading={filling}>
              {m.fillTemplate}
            </Button>
          </Space.Compact>
        </Form.Item>
        {needs.length > 0 && (
          <div role="group" aria-label={m.templateNeeds} style={{ marginBottom: 12 }}>
            <Typography.Text type="warning">{m.templateNeeds}</Typography.Text>
            {needs.map((name) => (
              <Form.Item key={name} label={ph[`ph_${name}`] ?? name} name={['values', name]} style={{ marginBottom: 8 }} rules={[{ max: 500 }]}>
                <Input />
              </Form.Item>
            ))}
          </div>
        )}
        {fillError && (
          <div role="alert" style={{ marginBottom: 12 }}>
            <Typography.Text type="danger">{fillError}</Typography.Text>
          </div>
        )}
        <Form.Item label={m.content} name="content" required rules={[textRule(1, 2000, m.contentRequired)]}>
          <Input.TextArea rows={5} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item label={m.outcome} name="outcome" rules={[{ required: true, message: m.outcomeRequired }]}>
          <Select
            data-testid="outcome-select"
            options={[
              { value: 'reached', label: m.outcomeReached },
              { value: 'not_reached', label: m.outcomeNotReached },
              { value: 'agreed', label: m.outcomeAgreed },
              { value: 'refused', label: m.outcomeRefused },
              { value: 'pending', label: m.outcomePending },
            ]}
          />
        </Form.Item>
      </Form>
      {error !== null && <Alert role="alert" type="error" showIcon title={errorText(error, lang)} />}
    </FormModal>
  );
}

// ---------------------------------------------------------------- records: reason correction, retention, root cause

/** A workbench record: POST, then close and reload; errors in words. */
export function useRecordSubmit(props: FormProps, path: string, success: string) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (props.open) setError(null);
  }, [props.open]);
  const submit = async (body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await post(`/refunds/${props.data.refund.id}/${path}`, body, newIdempotencyKey());
      message.success(success);
      props.onClose();
      props.onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { submit, busy, error };
}

export function RecordError({ error }: { error: unknown }) {
  const { lang } = useLang();
  return error ? <Alert role="alert" type="error" showIcon title={errorText(error, lang)} /> : null;
}

export function CorrectionForm(props: FormProps) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const { refund } = props.data;
  const [form] = Form.useForm<{ toReason: string; toType?: string; askedVia: string; buyerAnswer: string; note?: string }>();
  const { submit, busy, error } = useRecordSubmit(props, 'reason-corrections', m.correctionSaved);
  return (
    <FormModal open={props.open} title={m.correctionTitle} onClose={props.onClose} onSubmit={() => form.submit()} busy={busy} testId="correction-form">
      <Typography.Paragraph type="secondary">{m.correctionHint}</Typography.Paragraph>
      <Typography.Paragraph>
        {m.reason}: <Tag>{labelOf(reasonLabels[refund.reason], lang)}</Tag> {m.type}: <Tag>{labelOf(refundTypeLabels[refund.type], lang)}</Tag>
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ askedVia: 'phone', buyerAnswer: 'pending' }}
        onFinish={(v) =>
          void submit({
            toReason: v.toReason,
            ...(v.toType ? { toType: v.toType } : {}),
            askedVia: v.askedVia,
            buyerAnswer: v.buyerAnswer,
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
          })
        }
      >
        <Form.Item label={m.toReason} name="toReason" rules={[{ required: true, message: m.toReasonRequired }]}>
          <Select
            autoFocus
            showSearch={{ optionFilterProp: 'label' }}
            options={Object.entries(reasonLabels)
              .filter(([code]) => code !== refund.reason)
              .map(([value, l]) => ({ value, label: labelOf(l, lang) }))}
          />
        </Form.Item>
        <Form.Item label={m.toType} name="toType">
          <Select
            allowClear
            placeholder={m.toTypeSame}
            options={Object.entries(refundTypeLabels)
              .filter(([code]) => code !== refund.type)
              .map(([value, l]) => ({ value, label: labelOf(l, lang) }))}
          />
        </Form.Item>
        <Space wrap size={16}>
          <Form.Item label={m.askedVia} name="askedVia" rules={[{ required: true }]}>
            <Select
              style={{ width: 140 }}
              options={[
                { value: 'phone', label: m.channelPhone },
                { value: 'wangwang', label: m.channelWangwang },
              ]}
            />
          </Form.Item>
          <Form.Item label={m.buyerAnswer} name="buyerAnswer" rules={[{ required: true }]}>
            <Select
              style={{ width: 160 }}
              options={[
                { value: 'agreed', label: m.outcomeAgreed },
                { value: 'refused', label: m.outcomeRefused },
                { value: 'pending', label: m.outcomePending },
              ]}
            />
          </Form.Item>
        </Space>
        <Form.Item label={m.note} name="note" rules={[{ max: 1000, message: m.noteTooLong }]}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
      <RecordError error={error} />
    </FormModal>
  );
}

export function RetentionForm(props: FormProps) {
  const m = useMessages(detailMessages);
  const [form] = Form.useForm<{ offer: string; detail: string; outcome: string }>();
  const { submit, busy, error } = useRecordSubmit(props, 'retention', m.retentionSaved);
  return (
    <FormModal open={props.open} title={m.retentionTitle} onClose={props.onClose} onSubmit={() => form.submit()} busy={busy} testId="retention-form">
      <Form form={form} layout="vertical" initialValues={{ outcome: 'pending' }} onFinish={(v) => void submit({ offer: v.offer, detail: v.detail.trim(), outcome: v.outcome })}>
        <Form.Item label={m.offer} name="offer" rules={[{ required: true, message: m.offer }]}>
          <Select
            autoFocus
            options={[
              { value: 'other_style', label: m.offerOtherStyle },
              { value: 'promotion', label: m.offerPromotion },
              { value: 'exchange', label: m.offerExchange },
            ]}
          />
        </Form.Item>
        <Form.Item label={m.detail} name="detail" required rules={[textRule(1, 1000, m.detailRequired)]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
        <Form.Item label={m.outcome} name="outcome" rules={[{ required: true, message: m.outcomeRequired }]}>
          <Select
            options={[
              { value: 'kept', label: m.retentionKept },
              { value: 'exchanged', label: m.retentionExchanged },
              { value: 'refunded', label: m.retentionRefunded },
              { value: 'pending', label: m.retentionPending },
            ]}
          />
        </Form.Item>
      </Form>
      <RecordError error={error} />
    </FormModal>
  );
}

export function RootCauseForm(props: FormProps) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const current = props.data.refund.rootCause;
  const [form] = Form.useForm<{ cause: string; note?: string }>();
  const { submit, busy, error } = useRecordSubmit(props, 'root-cause', m.rootCauseSaved);
  return (
    <FormModal open={props.open} title={m.rootCauseTitle} onClose={props.onClose} onSubmit={() => form.submit()} busy={busy} testId="root-cause-form">
      <Typography.Paragraph>{current ? fmt(m.rootCauseCurrent, { label: labelOf(rootCauseLabels[current.cause as keyof typeof rootCauseLabels], lang, current.label) }) : m.rootCauseNone}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ cause: current?.cause, note: current?.note ?? '' }}
        onFinish={(v) => void submit({ cause: v.cause, ...(v.note?.trim() ? { note: v.note.trim() } : {}) })}
      >
        <Form.Item label={m.cause} name="cause" rules={[{ required: true, message: m.causeRequired }]}>
          <Select autoFocus options={rootCauses.map((c) => ({ value: c, label: labelOf(rootCauseLabels[c], lang) }))} />
        </Form.Item>
        <Form.Item label={m.note} name="note" rules={[{ max: 1000, message: m.noteTooLong }]}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
      <RecordError error={error} />
    </FormModal>
  );
}

// ---------------------------------------------------------------- S1.13 who pays the return postage

export function ReturnPostageForm(props: FormProps) {
  const m = useMessages(detailMessages);
  const { refund } = props.data;
  return (
    <Modal open={props.open} title={m.postageTitle} onCancel={props.onClose} destroyOnHidden width={560} footer={null}>
      <div data-testid="postage-dialog">
        <Typography.Paragraph type="secondary">{m.postageHint}</Typography.Paragraph>
        <ReturnPostageEditor
          refundId={refund.id}
          current={refund.returnPostage}
          autoFocus
          onSaved={() => {
            props.onClose();
            props.onDone();
          }}
        />
      </div>
    </Modal>
  );
}

