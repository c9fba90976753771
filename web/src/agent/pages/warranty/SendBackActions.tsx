/**
 * The actions a send-back allows the caller now (allowedActions, S4.3–S4.5),
 * each a button and a form in a dialog, checked before sending:
 *   accept_terms — the buyer's consent given in a chat or call (the words as evidence)
 *   receive      — the tracking number and what arrived (S4.4: the whole set)
 *   record_test  — our test or the authorised centre (named)
 *   report       — fault confirmed / no fault / human damage, photos, the condition
 *   decide       — the outcome from the policy, the remedy the buyer chose among its options
 *   ship_back    — the parcel back; an exchange records the old and the new
 *                  IMEI/MEID: valid, different, of the same kind (S4.5)
 *   close, cancel
 * Every action carries the version shown; on 409 the drawer reloads.
 */
import { Alert, App as AntApp, AutoComplete, Button, Checkbox, Form, Input, Modal, Radio, Select, Space, Tag, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { decideWarranty } from '../../../../../src/core/warranty/decide.ts';
import { resaleMarks, sendItems, type Remedy } from '../../../../../src/core/warranty/policy.ts';
import { expectedItems, type SendBackAction } from '../../../../../src/core/warranty/send-back.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { SendBackDetail, WarrantyPolicy } from '../../../shared/warranty-types.ts';
import { EvidenceUpload } from '../refund/Evidence.tsx';
import { isVersionConflict, markServerIssues, textBetween, useSubmitKey } from '../tasks/records.ts';
import { ClauseBlock, remedyColours } from './DecisionView.tsx';
import { warrantyMessages } from './messages.ts';
import { actOnSendBack, deviceIdRule, normalizedDeviceId, usePolicy } from './model.ts';

type Values = Record<string, unknown>;

const order: SendBackAction[] = ['accept_terms', 'receive', 'record_test', 'report', 'decide', 'ship_back', 'close', 'cancel'];
const couriers = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递', 'EMS', '京东物流'];

export function SendBackActions({ detail, onChanged }: { detail: SendBackDetail; onChanged: () => void }) {
  const m = useMessages(warrantyMessages);
  const actions = order.filter((a) => detail.allowedActions.includes(a));
  if (actions.length === 0) return <Typography.Text type="secondary">{m.noActions}</Typography.Text>;
  return (
    <Space wrap className="no-print" data-testid="send-back-actions">
      {actions.map((a) => (
        <ActionDialog key={a} detail={detail} action={a} onChanged={onChanged} />
      ))}
    </Space>
  );
}

/** The body the server wants for an action, from the form's values. */
function bodyOf(action: SendBackAction, v: Values, detail: SendBackDetail): Record<string, unknown> {
  const text = (k: string) => (typeof v[k] === 'string' ? (v[k] as string).trim() : '');
  switch (action) {
    case 'accept_terms':
      return { policyVersion: detail.sendBack.policy.version, via: v.via, evidence: text('evidence') };
    case 'receive':
      return { trackingNo: text('trackingNo').toUpperCase(), itemsReceived: v.itemsReceived ?? [] };
    case 'record_test':
      return { testedBy: v.testedBy, ...(v.testedBy === 'authorised_centre' ? { centreName: text('centreName') } : {}), ...(text('notes') ? { notes: text('notes') } : {}) };
    case 'report':
      return {
        result: v.result,
        photos: v.photos ?? [],
        summary: text('summary'),
        condition: { scratches: !!v.scratches, accessoriesIntact: !!v.accessoriesIntact, resaleMarks: v.resaleMarks ?? [] },
        ...(v.result === 'fault_confirmed' && v.faultCode ? { faultCode: v.faultCode } : {}),
      };
    case 'decide':
      return v.chosenRemedy ? { chosenRemedy: v.chosenRemedy } : {};
    case 'ship_back':
      return {
        trackingNo: text('trackingNo').toUpperCase(),
        courier: text('courier'),
        ...(detail.sendBack.chosenRemedy === 'exchange_host' ? { exchange: { oldDeviceId: text('oldDeviceId'), newDeviceId: text('newDeviceId') } } : {}),
      };
    case 'close':
      return text('note') ? { note: text('note') } : {};
    case 'cancel':
      return { reason: text('reason') };
  }
}

function initialValues(action: SendBackAction, detail: SendBackDetail, policy: WarrantyPolicy): Values {
  switch (action) {
    case 'accept_terms':
      return { via: 'wangwang' };
    case 'receive':
      return { itemsReceived: [...expectedItems(detail.sendBack, policy)] };
    case 'record_test':
      return { testedBy: 'our_test' };
    case 'report':
      return { result: 'fault_confirmed', photos: [], scratches: false, accessoriesIntact: true, resaleMarks: [] };
    case 'ship_back':
      return detail.sendBack.chosenRemedy === 'exchange_host' ? { oldDeviceId: detail.sendBack.device.value } : {};
    default:
      return {};
  }
}

/** The outcome the policy gives on the report, computed here as the server will (the same pure function), to choose among its options. */
function previewDecision(detail: SendBackDetail, policy: WarrantyPolicy) {
  const sb = detail.sendBack;
  if (!sb.report || !sb.test || policy.id !== sb.policy.id || policy.version !== sb.policy.version) return null;
  try {
    return decideWarranty(
      {
        item: sb.item,
        request: 'warranty',
        purchaseDate: sb.purchaseDate,
        deliveryDate: sb.deliveryDate,
        requestDate: sb.requestDate,
        fault: sb.report.result === 'fault_confirmed' ? 'performance' : sb.report.result === 'no_fault' ? 'none' : 'human_damage',
        faultCode: sb.report.faultCode,
        confirmedBy: sb.report.result === 'fault_confirmed' ? sb.test.testedBy : 'none',
        condition: sb.report.condition,
        contactedFirst: true,
      },
      policy,
    );
  } catch {
    return null;
  }
}

function ActionDialog({ detail, action, onChanged }: { detail: SendBackDetail; action: SendBackAction; onChanged: () => void }) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const { policy } = usePolicy();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitKey = useSubmitKey();
  const formId = `send-back-${detail.id}-${action}`;

  const submit = async (values: Values) => {
    setSending(true);
    setError(null);
    try {
      await actOnSendBack(detail, action, bodyOf(action, values, detail), submitKey.key());
      submitKey.settle();
      message.success(fmt(m.actionDone, { action: m[`action_${action}`], id: detail.id }));
      setOpen(false);
      onChanged();
    } catch (err) {
      submitKey.settle(err);
      setError(errorText(err, lang));
      markServerIssues(form, err, lang, m.fieldHint, [
        'via',
        'evidence',
        'trackingNo',
        'itemsReceived',
        'testedBy',
        'centreName',
        'notes',
        'result',
        'photos',
        'summary',
        'faultCode',
        'chosenRemedy',
        'courier',
        'note',
        'reason',
      ]);
      if (isVersionConflict(err)) {
        message.warning(errorText(err, lang));
        setOpen(false);
        onChanged();
      }
    } finally {
      setSending(false);
    }
  };

  const danger = action === 'cancel';
  return (
    <>
      <Button type={action === 'cancel' || action === 'close' ? 'default' : 'primary'} danger={danger} onClick={() => setOpen(true)} data-testid={`action-${action}`}>
        {m[`action_${action}`]}
      </Button>
      <Modal
        open={open}
        title={fmt(m.actionTitle, { action: m[`action_${action}`], id: detail.id })}
        onCancel={() => setOpen(false)}
        okText={m[`action_${action}`]}
        cancelText={m.cancel}
        okButtonProps={{ loading: sending, htmlType: 'submit', form: formId, danger, ...{ 'data-testid': `submit-${action}` } }}
        width={action === 'report' || action === 'decide' ? 720 : 560}
        destroyOnHidden
      >
        <Form<Values> id={formId} form={form} layout="vertical" onFinish={submit} initialValues={initialValues(action, detail, policy)} onFinishFailed={() => setError(null)}>
          <ActionFields action={action} detail={detail} policy={policy} />
        </Form>
        {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
      </Modal>
    </>
  );
}

function Hint({ children }: { children: ReactNode }) {
  return <Typography.Paragraph type="secondary">{children}</Typography.Paragraph>;
}

function ActionFields({ action, detail, policy }: { action: SendBackAction; detail: SendBackDetail; policy: WarrantyPolicy }) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const en = lang === 'en';
  const form = Form.useFormInstance<Values>();
  const sb = detail.sendBack;
  const label = (i: string) => {
    const l = policy.sendItemLabels[i as keyof typeof policy.sendItemLabels];
    return l ? (en ? l.en : l.zh) : i;
  };
  const testedBy = Form.useWatch('testedBy', form);
  const result = Form.useWatch('result', form);
  const received = (Form.useWatch('itemsReceived', form) as string[] | undefined) ?? [];
  const preview = useMemo(() => (action === 'decide' ? previewDecision(detail, policy) : null), [action, detail, policy]);

  switch (action) {
    case 'accept_terms':
      return (
        <>
          <Hint>{m.acceptTermsHint}</Hint>
          <Typography.Paragraph lang="zh-CN" style={{ background: '#fafafa', padding: 8, borderRadius: 4 }}>
            {sb.terms.textZh}
          </Typography.Paragraph>
          <Form.Item name="via" label={m.via} rules={[{ required: true, message: m.viaRequired }]}>
            <Radio.Group
              options={[
                { value: 'wangwang', label: m.via_wangwang },
                { value: 'phone', label: m.via_phone },
              ]}
            />
          </Form.Item>
          <Form.Item name="evidence" label={m.consentEvidence} rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, 2, 500, m.consentEvidenceRequired) }]}>
            <Input.TextArea rows={3} showCount maxLength={500} />
          </Form.Item>
        </>
      );
    case 'receive': {
      const expected = expectedItems(sb, policy);
      const missing = expected.filter((i) => !received.includes(i));
      return (
        <>
          <Form.Item
            name="trackingNo"
            label={m.buyerTrackingNo}
            rules={[
              { required: true, whitespace: true, message: m.trackingNoRequired },
              { pattern: /^\s*[A-Za-z0-9-]{6,32}\s*$/, message: m.trackingNoInvalid },
            ]}
          >
            <Input autoComplete="off" autoFocus />
          </Form.Item>
          <Form.Item name="itemsReceived" label={m.itemsReceived} extra={m.itemsReceivedHint}>
            <Checkbox.Group options={sendItems.map((i) => ({ value: i, label: label(i) }))} />
          </Form.Item>
          {missing.length ? <Alert type="warning" showIcon title={fmt(m.missingPreview, { items: missing.map(label).join(m.listSep) })} style={{ marginBottom: 12 }} /> : null}
        </>
      );
    }
    case 'record_test':
      return (
        <>
          <Form.Item name="testedBy" label={m.testedBy} rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: 'our_test', label: m.confirmer_our_test },
                { value: 'authorised_centre', label: m.confirmer_authorised_centre },
              ]}
            />
          </Form.Item>
          {testedBy === 'authorised_centre' ? (
            <Form.Item name="centreName" label={m.centreName} rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, 2, 100, m.centreNameRequired) }]}>
              <Input />
            </Form.Item>
          ) : null}
          <Form.Item name="notes" label={m.testNotes} rules={[{ max: 1000 }]}>
            <Input.TextArea rows={3} showCount maxLength={1000} />
          </Form.Item>
        </>
      );
    case 'report': {
      const codes = policy.performanceFaults.filter((f) => f.parts.includes(sb.item.part));
      return (
        <>
          <Form.Item name="result" label={m.testResult} rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: 'fault_confirmed', label: m.result_fault_confirmed },
                { value: 'no_fault', label: m.result_no_fault },
                { value: 'human_damage', label: m.result_human_damage },
              ]}
            />
          </Form.Item>
          {result === 'fault_confirmed' ? (
            <Form.Item name="faultCode" label={m.faultCode} extra={m.faultCodeHint}>
              <Select allowClear placeholder={m.faultCodeNone} options={codes.map((f) => ({ value: f.code, label: f.textZh }))} />
            </Form.Item>
          ) : null}
          <Form.Item
            name="photos"
            label={m.reportPhotos}
            extra={m.reportPhotosHint}
            rules={[{ validator: (_, v: string[] | undefined) => ((v?.length ?? 0) > 0 ? ((v?.length ?? 0) <= 20 ? Promise.resolve() : Promise.reject(new Error(m.photosTooMany))) : Promise.reject(new Error(m.photosRequired))) }]}
          >
            <EvidenceUpload />
          </Form.Item>
          <Form.Item name="summary" label={m.reportSummary} rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, 2, 1000, m.reportSummaryRequired) }]}>
            <Input.TextArea rows={3} showCount maxLength={1000} />
          </Form.Item>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 14, marginBottom: 4, border: 0 }}>{m.condition}</legend>
            <Form.Item name="scratches" valuePropName="checked" style={{ marginBottom: 4 }}>
              <Checkbox>{m.scratches}</Checkbox>
            </Form.Item>
            <Form.Item name="accessoriesIntact" valuePropName="checked" style={{ marginBottom: 4 }}>
              <Checkbox>{m.accessoriesIntact}</Checkbox>
            </Form.Item>
            <Form.Item name="resaleMarks" label={m.resaleMarks}>
              <Checkbox.Group options={resaleMarks.map((r) => ({ value: r, label: en ? policy.resaleMarkLabels[r].en : policy.resaleMarkLabels[r].zh }))} />
            </Form.Item>
          </fieldset>
        </>
      );
    }
    case 'decide':
      return (
        <>
          <Hint>{m.decideActionHint}</Hint>
          {preview ? (
            <>
              <Typography.Paragraph>
                {m.decisionRemedy}:{' '}
                <Tag color={remedyColours[preview.remedy]} data-testid="decide-preview">
                  {m[`remedy_${preview.remedy}`]}
                </Tag>
              </Typography.Paragraph>
              <ClauseBlock clause={preview.clause} compact />
              <Typography.Paragraph>{en ? preview.explanation.en : preview.explanation.zh}</Typography.Paragraph>
              {preview.options.length > 1 ? (
                <Form.Item name="chosenRemedy" label={m.chosenRemedy} initialValue={preview.remedy} rules={[{ required: true }]}>
                  <Radio.Group options={preview.options.map((o: Remedy) => ({ value: o, label: m[`remedy_${o}`] }))} />
                </Form.Item>
              ) : null}
            </>
          ) : (
            <Hint>{m.decidePreviewUnavailable}</Hint>
          )}
        </>
      );
    case 'ship_back': {
      const exchange = sb.chosenRemedy === 'exchange_host';
      const old = normalizedDeviceId(sb.device.value);
      return (
        <>
          {sb.chosenRemedy ? (
            <Typography.Paragraph>
              {m.chosenRemedy}: <Tag color={remedyColours[sb.chosenRemedy]}>{m[`remedy_${sb.chosenRemedy}`]}</Tag>
            </Typography.Paragraph>
          ) : null}
          <Space wrap align="start">
            <Form.Item name="courier" label={m.courier} rules={[{ required: true, whitespace: true, message: m.courierRequired }, { max: 30 }]}>
              <AutoComplete style={{ width: 180 }} options={couriers.map((c) => ({ value: c }))} />
            </Form.Item>
            <Form.Item
              name="trackingNo"
              label={m.backTrackingNo}
              rules={[
                { required: true, whitespace: true, message: m.trackingNoRequired },
                { pattern: /^\s*[A-Za-z0-9-]{6,32}\s*$/, message: m.trackingNoInvalid },
              ]}
            >
              <Input autoComplete="off" style={{ width: 240 }} />
            </Form.Item>
          </Space>
          {exchange ? (
            <>
              <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={m.hostOnlyTitle} description={m.exchangeHint} />
              <Form.Item
                name="oldDeviceId"
                label={m.oldDeviceId}
                validateFirst
                rules={[
                  deviceIdRule(m),
                  {
                    validator: (_, v: string | undefined) => {
                      const id = normalizedDeviceId(v ?? '');
                      return id && old && (id.kind !== old.kind || id.value !== old.value) ? Promise.reject(new Error(fmt(m.oldIdNotThis, { id: sb.device.value }))) : Promise.resolve();
                    },
                  },
                ]}
              >
                <Input autoComplete="off" style={{ maxWidth: 320 }} />
              </Form.Item>
              <Form.Item
                name="newDeviceId"
                label={m.newDeviceId}
                dependencies={['oldDeviceId']}
                validateFirst
                rules={[
                  deviceIdRule(m),
                  ({ getFieldValue }) => ({
                    validator: (_, v: string | undefined) => {
                      const fresh = normalizedDeviceId(v ?? '');
                      const before = normalizedDeviceId((getFieldValue('oldDeviceId') as string | undefined) ?? '');
                      if (!fresh || !before) return Promise.resolve();
                      if (fresh.kind !== before.kind) return Promise.reject(new Error(fmt(m.newIdKindMismatch, { kind: before.kind.toUpperCase() })));
                      if (fresh.value === before.value) return Promise.reject(new Error(m.newIdSameAsOld));
                      return Promise.resolve();
                    },
                  }),
                ]}
              >
                <Input autoComplete="off" style={{ maxWidth: 320 }} data-testid="new-device-id" />
              </Form.Item>
              {policy.clauses[policy.boxIdNoticeClauseId] ? <ClauseBlock clause={policy.clauses[policy.boxIdNoticeClauseId]!} compact /> : null}
            </>
          ) : null}
        </>
      );
    }
    case 'close':
      return (
        <Form.Item name="note" label={m.closeNote} rules={[{ max: 500 }]}>
          <Input.TextArea rows={3} showCount maxLength={500} />
        </Form.Item>
      );
    case 'cancel':
      return (
        <Form.Item name="reason" label={m.cancelReason} rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, 2, 200, m.cancelReasonRequired) }]}>
          <Input.TextArea rows={3} showCount maxLength={200} />
        </Form.Item>
      );
  }
}
