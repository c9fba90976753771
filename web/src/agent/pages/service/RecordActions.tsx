/**
 * One action on a repair record, at the version the caller saw: the action's
 * own form (checked as the core checks it: src/core/service/repair-record.ts
 * applyRepairAction), then POST /service/records/{id}/{action}. A 409
 * (changed meanwhile, or no longer allowed) closes the form and reloads.
 *
 * S5.4 assign, S5.5 decide / quote / the customer's choice / payment /
 * invoice, S5.6 finish the work, return to the clerk, archive, S5.7 the
 * follow-up call, S5.8 the emergency's paperwork.
 */
import { Alert, App as AntApp, Button, Col, Form, Input, Modal, Radio, Row, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { satisfactionLabels, satisfactionScores } from '../../../../../src/core/service/follow-up.ts';
import { paperworkGaps, paymentMethods } from '../../../../../src/core/service/repair-record.ts';
import { ApiError, newIdempotencyKey, post } from '../../../shared/api.ts';
import { parseYuan, yuan } from '../../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import { shanghaiToday } from '../supervisor/dates.ts';
import { ArchivePicker } from './ArchivePicker.tsx';
import { photoRefs, WorkPhotos, type PhotoFile } from './WorkPhotos.tsx';
import { useLeads } from './CallForm.tsx';
import { serviceMessages, type ServiceM } from './messages.ts';
import type { RecordView } from './model.ts';
import {
  lengthRule,
  markServerFields,
  normalizeCode,
  normalizePhone,
  pastDateRule,
  phoneRule,
  problemText,
  quantityRule,
  requiredText,
  yuanRule,
} from './parts.tsx';

type Values = Record<string, unknown> & {
  items?: { description?: string; standardCode?: string; quantity?: string; price?: string }[];
  work?: { method?: string; workDone?: string; hours?: string; parts?: { name?: string; model?: string; quantity?: string }[]; photos?: PhotoFile[] };
};

const confirmOnly: Record<string, keyof ServiceM> = {
  return_to_clerk: 'confirm_return_to_clerk',
  archive: 'confirm_archive',
};

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const opt = (v: unknown) => (text(v) ? text(v) : undefined);

function workOf(v: Values) {
  const w = v.work ?? {};
  return {
    method: w.method,
    workDone: text(w.workDone),
    parts: (w.parts ?? [])
      .filter((p) => text(p?.name))
      .map((p) => ({ name: text(p.name), ...(opt(p.model) ? { model: text(p.model) } : {}), quantity: Number(text(p.quantity) || '1') })),
    labourMinutes: Math.round(Number(text(w.hours)) * 60),
    ...(photoRefs(w.photos).length > 0 ? { photos: photoRefs(w.photos) } : {}),
  };
}

/** The request body of each action, as the core's RepairCommand names its fields. */
export function bodyOf(action: string, v: Values): Record<string, unknown> {
  switch (action) {
    case 'assign':
    case 'reassign':
      return { assignee: { userId: v.leadUserId, unit: v.unit }, ...(action === 'reassign' ? { reason: text(v.reason) } : {}) };
    case 'decide':
      return { billing: v.billing, ...(opt(v.note) ? { note: text(v.note) } : {}) };
    case 'quote':
      return {
        findings: text(v.findings),
        feeStandard: text(v.feeStandard),
        items: (v.items ?? []).map((it) => ({
          description: text(it.description),
          ...(opt(it.standardCode) ? { standardCode: normalizeCode(text(it.standardCode)) } : {}),
          quantity: Number(text(it.quantity)),
          unitPriceFen: parseYuan(text(it.price)),
        })),
        ...(opt(v.note) ? { note: text(v.note) } : {}),
      };
    case 'accept_quote':
      return opt(v.note) ? { note: text(v.note) } : {};
    case 'decline_quote':
      return { ...(opt(v.note) ? { note: text(v.note) } : {}), work: workOf(v) };
    case 'finish_work':
      return { work: workOf(v) };
    case 'collect_payment':
      return { amountFen: parseYuan(text(v.amount)), method: v.method, receivedOn: v.receivedOn, ...(opt(v.note) ? { note: text(v.note) } : {}) };
    case 'issue_invoice':
      return { number: normalizeCode(text(v.number)), issueDate: v.issueDate, ...(opt(v.amount) ? { amountFen: parseYuan(text(v.amount)) } : {}) };
    case 'log_follow_up':
      return { reached: v.reached === 'yes', ...(v.reached === 'yes' ? { satisfaction: v.satisfaction } : {}), ...(opt(v.comments) ? { comments: text(v.comments) } : {}) };
    case 'complete_paperwork':
      return {
        ...(opt(v.callerName) ? { callerName: text(v.callerName) } : {}),
        ...(opt(v.callerPhone) ? { callerPhone: normalizePhone(text(v.callerPhone)) ?? text(v.callerPhone) } : {}),
        ...(opt(v.fault) ? { fault: text(v.fault) } : {}),
        ...(v.archiveId ? { archiveId: v.archiveId } : {}),
      };
    case 'cancel':
      return { reason: text(v.reason) };
    default:
      return {};
  }
}

/** The server's field names → this form's. */
const fieldMap: Record<string, string | (string | number)[]> = {
  amountFen: 'amount',
  'assignee.userId': 'leadUserId',
  assignee: 'leadUserId',
  'work.labourMinutes': ['work', 'hours'],
  'work.workDone': ['work', 'workDone'],
  'work.method': ['work', 'method'],
  'outcome.satisfaction': 'satisfaction',
  'outcome.reached': 'reached',
  'outcome.comments': 'comments',
  archive: 'archiveId',
};

export function RecordActionModal({
  view,
  action,
  onClose,
  onDone,
  onConflict,
}: {
  view: RecordView;
  action: string | null;
  onClose: () => void;
  onDone: () => void;
  onConflict: () => void;
}) {
  const m = useMessages(serviceMessages);
  const mm = m as Record<string, string>;
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const needsLeads = action === 'assign' || action === 'reassign';
  const leads = useLeads(needsLeads);
  const r = view.record;
  const today = shanghaiToday();
  const callDay = shanghaiToday(new Date(r.call.at));
  const reached = Form.useWatch('reached', form);
  const items = Form.useWatch('items', form) as Values['items'];
  const amount = Form.useWatch('amount', form) as string | undefined;

  useEffect(() => {
    setError(null);
    setKey(newIdempotencyKey());
    if (action) form.resetFields();
  }, [action, form]);

  const quoteTotal = useMemo(
    () =>
      (items ?? []).reduce((sum, it) => {
        const p = parseYuan(text(it?.price));
        const q = Number(text(it?.quantity));
        return p !== null && Number.isInteger(q) && q > 0 ? sum + p * q : sum;
      }, 0),
    [items],
  );

  const submit = async (values: Values) => {
    if (!action) return;
    setSending(true);
    setError(null);
    try {
      await post(`/service/records/${view.id}/${action}`, { version: view.version, ...bodyOf(action, values) }, key);
      message.success(fmt(m.done, { action: mm[`act_${action}`] ?? action }));
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        message.warning(problemText(err, lang, m));
        onConflict();
      } else {
        setError(problemText(err, lang, m));
        markServerFields(form, err, m, fieldMap);
      }
    } finally {
      setSending(false);
    }
  };

  const noteItem = (name = 'note', label = m.note) => (
    <Form.Item name={name} label={label} rules={[lengthRule(m, label, 0, 500)]}>
      <Input.TextArea rows={2} maxLength={500} />
    </Form.Item>
  );

  const workFields = (
    <>
      <Form.Item name={['work', 'method']} label={m.workMethod} initialValue="on_site" rules={[{ required: true, message: fmt(m.chooseRequired, { field: m.workMethod }) }]}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'on_site', label: m.method_on_site },
            { value: 'phone', label: m.method_phone },
          ]}
        />
      </Form.Item>
      <Form.Item name={['work', 'workDone']} label={m.workDone} rules={[requiredText(m, m.workDone), lengthRule(m, m.workDone, 2, 2000)]}>
        <Input.TextArea rows={3} maxLength={2000} showCount />
      </Form.Item>
      <Form.Item
        name={['work', 'hours']}
        label={m.labourHours}
        rules={[
          {
            validator: async (_r, v: string | undefined) => {
              const h = Number(text(v));
              if (!text(v) || !Number.isFinite(h) || Math.round(h * 60) < 1 || h > 720) throw new Error(m.labourInvalid);
            },
          },
        ]}
      >
        <Input inputMode="decimal" suffix={lang === 'en' ? 'h' : '小时'} style={{ maxWidth: 200 }} />
      </Form.Item>
      <Typography.Text strong>{m.parts}</Typography.Text>
      <Form.List name={['work', 'parts']}>
        {(fields, { add, remove }) => (
          <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
            {fields.map((f, i) => (
              <Row gutter={8} key={f.key} align="top">
                <Col flex="auto">
                  <Form.Item name={[f.name, 'name']} label={`${m.partName} ${i + 1}`} rules={[requiredText(m, m.partName), lengthRule(m, m.partName, 1, 100)]}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col flex="160px">
                  <Form.Item name={[f.name, 'model']} label={m.partModel} rules={[lengthRule(m, m.partModel, 0, 100)]}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col flex="100px">
                  <Form.Item name={[f.name, 'quantity']} label={m.quantity} initialValue="1" rules={[quantityRule(m)]}>
                    <Input inputMode="numeric" />
                  </Form.Item>
                </Col>
                <Col flex="40px" style={{ paddingTop: 30 }}>
                  <Button type="text" danger aria-label={fmt(m.removePart, { n: i + 1 })} onClick={() => remove(f.name)}>
                    ✕
                  </Button>
                </Col>
              </Row>
            ))}
            <Button type="dashed" onClick={() => add({ quantity: '1' })} disabled={fields.length >= 50}>
              {m.addPart}
            </Button>
          </Space>
        )}
      </Form.List>
      <Form.Item
        name={['work', 'photos']}
        label={m.workPhotos}
        extra={m.workPhotosHelp}
        valuePropName="fileList"
        style={{ marginTop: 12 }}
        rules={[{ validator: async (_r, v: PhotoFile[] | undefined) => { if ((v ?? []).some((f) => f.status === 'uploading')) throw new Error(m.photosUploading); } }]}
      >
        <WorkPhotos />
      </Form.Item>
    </>
  );

  let body: ReactNode = null;
  if (action && action in confirmOnly) {
    body = <Typography.Paragraph>{m[confirmOnly[action]!]}</Typography.Paragraph>;
  } else if (action === 'accept_quote') {
    body = (
      <>
        <Typography.Paragraph>
          {m.confirm_accept_quote} {r.quote ? <strong>{yuan(r.quote.totalFen)}</strong> : null}
        </Typography.Paragraph>
        {noteItem()}
      </>
    );
  } else if (action === 'cancel') {
    body = (
      <Form.Item name="reason" label={m.reason} rules={[requiredText(m, m.reason), lengthRule(m, m.reason, 2, 200)]}>
        <Input.TextArea rows={2} maxLength={200} showCount autoFocus />
      </Form.Item>
    );
  } else if (action === 'assign' || action === 'reassign') {
    const options = (leads.data ?? []).filter((l) => l.userId !== r.assignee?.userId).map((l) => ({ value: l.userId, label: l.displayName }));
    body = (
      <>
        <Form.Item name="leadUserId" label={m.assignLead} rules={[{ required: true, message: fmt(m.chooseRequired, { field: m.assignLead }) }]}>
          <Select options={options} loading={leads.loading} notFoundContent={m.noLeads} autoFocus data-testid="lead-select" />
        </Form.Item>
        <Form.Item name="unit" label={m.leadUnit} initialValue="project" rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'project', label: m.unit_project },
              { value: 'rnd_production', label: m.unit_rnd_production },
            ]}
          />
        </Form.Item>
        {action === 'reassign' && (
          <Form.Item name="reason" label={m.reason} rules={[requiredText(m, m.reason), lengthRule(m, m.reason, 2, 200)]}>
            <Input.TextArea rows={2} maxLength={200} />
          </Form.Item>
        )}
      </>
    );
  } else if (action === 'decide') {
    body = (
      <>
        <Alert type="warning" showIcon title={m.decisionHelp} description={r.warranty ? labelOf(r.warranty.reason, lang) : undefined} style={{ marginBottom: 12 }} />
        <Form.Item name="billing" label={m.decision} rules={[{ required: true, message: fmt(m.chooseRequired, { field: m.decision }) }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'free', label: m.billing_free },
              { value: 'paid', label: m.billing_paid },
            ]}
          />
        </Form.Item>
        {noteItem('note', m.decisionNote)}
      </>
    );
  } else if (action === 'quote') {
    body = (
      <>
        <Form.Item name="findings" label={m.findings} rules={[requiredText(m, m.findings), lengthRule(m, m.findings, 2, 2000)]}>
          <Input.TextArea rows={3} maxLength={2000} showCount autoFocus />
        </Form.Item>
        <Form.Item name="feeStandard" label={m.feeStandard} rules={[requiredText(m, m.feeStandard), lengthRule(m, m.feeStandard, 2, 200)]}>
          <Input />
        </Form.Item>
        <Typography.Text strong>{m.feeItems}</Typography.Text>
        <Form.List
          name="items"
          initialValue={[{ quantity: '1' }]}
          rules={[
            {
              validator: async (_r, list: unknown[] | undefined) => {
                if (!list || list.length === 0) throw new Error(m.quoteNeedsItem);
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
              {fields.map((f, i) => (
                <Row gutter={8} key={f.key} align="top">
                  <Col flex="auto">
                    <Form.Item name={[f.name, 'description']} label={`${m.feeDescription} ${i + 1}`} rules={[requiredText(m, m.feeDescription), lengthRule(m, m.feeDescription, 1, 200)]}>
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col flex="110px">
                    <Form.Item name={[f.name, 'standardCode']} label={m.feeCode} rules={[lengthRule(m, m.feeCode, 0, 32)]}>
                      <Input />
                    </Form.Item>
                  </Col>
                  <Col flex="80px">
                    <Form.Item name={[f.name, 'quantity']} label={m.quantity} rules={[quantityRule(m)]}>
                      <Input inputMode="numeric" />
                    </Form.Item>
                  </Col>
                  <Col flex="120px">
                    <Form.Item name={[f.name, 'price']} label={m.unitPrice} rules={[requiredText(m, m.unitPrice), yuanRule(m, { positive: false, required: true })]}>
                      <Input inputMode="decimal" />
                    </Form.Item>
                  </Col>
                  <Col flex="40px" style={{ paddingTop: 30 }}>
                    <Button type="text" danger aria-label={fmt(m.removeItem, { n: i + 1 })} onClick={() => remove(f.name)} disabled={fields.length <= 1}>
                      ✕
                    </Button>
                  </Col>
                </Row>
              ))}
              <Form.ErrorList errors={errors} />
              <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                <Button type="dashed" onClick={() => add({ quantity: '1' })} disabled={fields.length >= 30}>
                  {m.addItem}
                </Button>
                <Typography.Text strong data-testid="quote-form-total">
                  {m.total}: {yuan(quoteTotal)}
                </Typography.Text>
              </Space>
            </Space>
          )}
        </Form.List>
        <div style={{ height: 12 }} />
        {noteItem()}
      </>
    );
  } else if (action === 'decline_quote') {
    body = (
      <>
        <Typography.Paragraph>{m.declineWorkIntro}</Typography.Paragraph>
        {noteItem()}
        {workFields}
      </>
    );
  } else if (action === 'finish_work') {
    body = workFields;
  } else if (action === 'collect_payment') {
    const quoteFen = r.quote?.totalFen ?? null;
    const fen = parseYuan(text(amount));
    const differs = quoteFen !== null && fen !== null && fen !== quoteFen;
    body = (
      <>
        <Form.Item name="amount" label={m.paymentAmount} initialValue={quoteFen !== null ? (quoteFen / 100).toFixed(2) : undefined} rules={[requiredText(m, m.paymentAmount), yuanRule(m, { positive: true, required: true })]}>
          <Input inputMode="decimal" suffix="元" autoFocus style={{ maxWidth: 240 }} />
        </Form.Item>
        <Form.Item name="method" label={m.paymentMethod} initialValue="bank_transfer" rules={[{ required: true, message: fmt(m.chooseRequired, { field: m.paymentMethod }) }]}>
          <Select options={paymentMethods.map((p) => ({ value: p, label: mm[`pay_${p}`] ?? p }))} style={{ maxWidth: 240 }} />
        </Form.Item>
        <Form.Item
          name="receivedOn"
          label={m.receivedOn}
          initialValue={today}
          rules={[{ required: true, message: m.dateInvalid }, pastDateRule(m, today, callDay, fmt(m.dateBeforeCall, { date: callDay }))]}
        >
          <Input type="date" min={callDay} max={today} style={{ maxWidth: 200 }} />
        </Form.Item>
        {differs ? (
          <Form.Item name="note" label={fmt(m.differsNote, { quote: yuan(quoteFen) })} rules={[requiredText(m, m.note), lengthRule(m, m.note, 2, 500)]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        ) : (
          noteItem()
        )}
      </>
    );
  } else if (action === 'issue_invoice') {
    body = (
      <>
        <Form.Item
          name="number"
          label={m.invoiceNumber}
          rules={[
            requiredText(m, m.invoiceNumber),
            {
              validator: async (_r, v: string | undefined) => {
                const code = normalizeCode(v ?? '');
                if (code && !/^[0-9A-Z]{8,20}$/.test(code)) throw new Error(m.invoiceNoFormat);
              },
            },
          ]}
        >
          <Input autoComplete="off" autoFocus style={{ maxWidth: 320 }} />
        </Form.Item>
        <Form.Item
          name="issueDate"
          label={m.issueDate}
          initialValue={today}
          rules={[{ required: true, message: m.dateInvalid }, pastDateRule(m, today, callDay, fmt(m.dateBeforeCall, { date: callDay }))]}
        >
          <Input type="date" min={callDay} max={today} style={{ maxWidth: 200 }} />
        </Form.Item>
        <Form.Item name="amount" label={m.invoiceAmount} rules={[yuanRule(m, { positive: true, required: false })]}>
          <Input inputMode="decimal" suffix="元" placeholder={r.payment ? (r.payment.amountFen / 100).toFixed(2) : r.quote ? (r.quote.totalFen / 100).toFixed(2) : ''} style={{ maxWidth: 240 }} />
        </Form.Item>
      </>
    );
  } else if (action === 'log_follow_up') {
    body = (
      <>
        <Form.Item name="reached" label={m.reachedQuestion} rules={[{ required: true, message: fmt(m.chooseRequired, { field: m.reachedQuestion }) }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'yes', label: m.reached },
              { value: 'no', label: m.notReached },
            ]}
          />
        </Form.Item>
        {reached === 'yes' && (
          <Form.Item name="satisfaction" label={m.satisfaction} rules={[{ required: true, message: m.satisfactionRequired }]}>
            <Radio.Group
              options={satisfactionScores.map((s) => ({ value: s, label: `${s} · ${labelOf(satisfactionLabels[s], lang)}` }))}
              data-testid="satisfaction"
            />
          </Form.Item>
        )}
        <Form.Item name="comments" label={m.comments} rules={[lengthRule(m, m.comments, 0, 1000)]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </>
    );
  } else if (action === 'complete_paperwork') {
    const gaps = paperworkGaps(r).map((g) => g.item);
    body = (
      <>
        <Typography.Paragraph>
          {m.paperworkIntro} {paperworkGaps(r).map((g) => labelOf(g.label, lang)).join(lang === 'en' ? '; ' : '、')}
        </Typography.Paragraph>
        {gaps.includes('caller') && (
          <>
            <Form.Item name="callerName" label={m.callerName} rules={[lengthRule(m, m.callerName, 1, 40)]}>
              <Input />
            </Form.Item>
            <Form.Item name="callerPhone" label={m.callerPhone} rules={[phoneRule(m)]}>
              <Input inputMode="tel" />
            </Form.Item>
          </>
        )}
        {gaps.includes('fault') && (
          <Form.Item name="fault" label={m.fault} rules={[lengthRule(m, m.fault, 2, 1000)]}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        )}
        {gaps.includes('product') && (
          <Form.Item name="archiveId" label={m.linkArchive}>
            <ArchivePicker />
          </Form.Item>
        )}
      </>
    );
  }

  const check = async () => {
    if (action === 'complete_paperwork') {
      const v = form.getFieldsValue(true) as Values;
      if (!opt(v.callerName) && !opt(v.callerPhone) && !opt(v.fault) && !v.archiveId) {
        setError(m.nothingGiven);
        return;
      }
    }
    form.submit();
  };

  return (
    <Modal
      open={action !== null}
      title={action ? (mm[`act_${action}`] ?? action) : ''}
      onCancel={onClose}
      onOk={() => void check()}
      okText={m.send}
      cancelText={m.cancel}
      confirmLoading={sending}
      width={action === 'quote' || action === 'finish_work' || action === 'decline_quote' ? 760 : 520}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="action-error" />}
      <Form form={form} name={`record-${action ?? 'none'}`} layout="vertical" onFinish={submit} data-testid="action-form">
        {body}
      </Form>
    </Modal>
  );
}
