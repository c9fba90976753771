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
 *   record_postage — the courier's actual charges of each leg and who paid them (S4.3, issue 13)
 *   settle_postage — how the balance between the buyer and us was settled
 * The decide dialog shows the decision the server will make (its preview, on
 * the same facts: the device's repairs, the calendar) and, for a return, the
 * amount to refund (the order's refund is opened or attached when deciding).
 * Every action carries the version shown; on 409 the drawer reloads.
 */
import { Alert, App as AntApp, AutoComplete, Button, Checkbox, Form, Input, Modal, Radio, Select, Space, Tag, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { resaleMarks, sendItems, type Remedy } from '../../../../../src/core/warranty/policy.ts';
import { postageSettleMethods } from '../../../../../src/core/warranty/postage.ts';
import { expectedItems, type SendBackAction } from '../../../../../src/core/warranty/send-back.ts';
import { errorText } from '../../../shared/errors.ts';
import { parseYuan, yuan } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { SendBackDetail, WarrantyPolicy } from '../../../shared/warranty-types.ts';
import { EvidenceUpload } from '../refund/Evidence.tsx';
import { isVersionConflict, markServerIssues, textBetween, useSubmitKey } from '../tasks/records.ts';
import { ClauseBlock, remedyColours } from './DecisionView.tsx';
import { warrantyMessages } from './messages.ts';
import { actOnSendBack, deviceIdRule, normalizedDeviceId, usePolicy } from './model.ts';

type Values = Record<string, unknown>;

const order: SendBackAction[] = ['accept_terms', 'receive', 'record_test', 'report', 'decide', 'ship_back', 'record_postage', 'settle_postage', 'close', 'cancel'];

/** Whether the warehouse received the parcel without the accessories (a report cannot call them intact). */
function accessoriesMissing(detail: SendBackDetail): boolean {
  return detail.sendBack.received?.missing.includes('accessories') ?? false;
}

/** The leg back can be charged once the parcel went (or, for a return, it is the original delivery). */
function legBackOpen(detail: SendBackDetail): boolean {
  return !!detail.sendBack.shipment || detail.sendBack.chosenRemedy === 'return';
}
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
    case 'decide': {
      const chosen = (v.chosenRemedy as string | undefined) ?? detail.preview?.decision.remedy;
      const refundFen = chosen === 'return' && typeof v.refundYuan === 'string' ? parseYuan(v.refundYuan) : null;
      return { ...(v.chosenRemedy ? { chosenRemedy: v.chosenRemedy } : {}), ...(refundFen !== null ? { refundFen } : {}) };
    }
    case 'record_postage': {
      const legs = [
        { leg: 'buyer_to_shop', charged: text('outYuan'), paidBy: v.outPaidBy },
        ...(legBackOpen(detail) ? [{ leg: 'shop_to_buyer', charged: text('backYuan'), paidBy: v.backPaidBy }] : []),
      ].filter((l) => l.charged !== '');
      return { legs: legs.map((l) => ({ leg: l.leg, chargedFen: parseYuan(l.charged), paidBy: l.paidBy })) };
    }
    case 'settle_postage':
      return { method: v.method, ...(text('reference') ? { reference: text('reference') } : {}), ...(text('note') ? { note: text('note') } : {}) };
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
      return { result: 'fault_confirmed', photos: [], scratches: false, accessoriesIntact: !accessoriesMissing(detail), resaleMarks: [] };
    case 'decide': {
      const preview = detail.preview;
      return preview ? { chosenRemedy: preview.decision.remedy, ...(preview.refundable ? { refundYuan: (preview.refundable.defaultFen / 100).toFixed(2) } : {}) } : {};
    }
    case 'record_postage': {
      const legs = detail.sendBack.postage?.legs ?? [];
      const out = legs.find((l) => l.leg === 'buyer_to_shop');
      const back = legs.find((l) => l.leg === 'shop_to_buyer');
      return {
        outYuan: out ? (out.chargedFen / 100).toFixed(2) : '',
        outPaidBy: out?.paidBy ?? 'buyer',
        backYuan: back ? (back.chargedFen / 100).toFixed(2) : '',
        backPaidBy: back?.paidBy ?? 'shop',
      };
    }
    case 'settle_postage':
      return { method: 'alipay' };
    case 'ship_back':
      return detail.sendBack.chosenRemedy === 'exchange_host' ? { oldDeviceId: detail.sendBack.device.value } : {};
    default:
      return {};
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
        'refundFen',
        'courier',
        'note',
        'reason',
        'method',
        'reference',
        'condition.accessoriesIntact',
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
        width={action === 'report' || action === 'decide' || action === 'record_postage' ? 720 : 560}
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
  const chosen = Form.useWatch('chosenRemedy', form) as Remedy | undefined;
  const method = Form.useWatch('method', form) as string | undefined;
  // the decision the server will make on the same facts (the send-back's, the device's repairs, the calendar)
  const preview = useMemo(() => (action === 'decide' ? (detail.preview ?? null) : null), [action, detail]);
  const missingAccessories = accessoriesMissing(detail);

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
            <Form.Item
              name="accessoriesIntact"
              valuePropName="checked"
              style={{ marginBottom: 4 }}
              extra={missingAccessories ? m.accessoriesMissingAtReceipt : undefined}
              rules={[{ validator: (_, v: boolean | undefined) => (v && missingAccessories ? Promise.reject(new Error(m.accessoriesMissingAtReceipt)) : Promise.resolve()) }]}
            >
              <Checkbox disabled={missingAccessories} data-testid="report-accessories-intact">
                {m.accessoriesIntact}
              </Checkbox>
            </Form.Item>
            <Form.Item name="resaleMarks" label={m.resaleMarks}>
              <Checkbox.Group options={resaleMarks.map((r) => ({ value: r, label: en ? policy.resaleMarkLabels[r].en : policy.resaleMarkLabels[r].zh }))} />
            </Form.Item>
          </fieldset>
        </>
      );
    }
    case 'decide': {
      const decision = preview?.decision;
      const max = preview?.refundable?.maxFen ?? null;
      const returning = (chosen ?? decision?.remedy) === 'return';
      return (
        <>
          <Hint>{m.decideActionHint}</Hint>
          {decision ? (
            <>
              <Typography.Paragraph>
                {m.decisionRemedy}:{' '}
                <Tag color={remedyColours[decision.remedy]} data-testid="decide-preview">
                  {m[`remedy_${decision.remedy}`]}
                </Tag>
              </Typography.Paragraph>
              <ClauseBlock clause={decision.clause} compact />
              <Typography.Paragraph>{en ? decision.explanation.en : decision.explanation.zh}</Typography.Paragraph>
              {decision.options.length > 1 ? (
                <Form.Item name="chosenRemedy" label={m.chosenRemedy} rules={[{ required: true }]}>
                  <Radio.Group options={decision.options.map((o: Remedy) => ({ value: o, label: m[`remedy_${o}`] }))} />
                </Form.Item>
              ) : null}
              {returning ? (
                <Form.Item
                  name="refundYuan"
                  label={m.refundFen}
                  extra={max !== null ? fmt(m.refundFenHint, { max: yuan(max) }) : undefined}
                  rules={[
                    { required: true, whitespace: true, message: m.refundFenRequired },
                    {
                      validator: (_, v: string | undefined) => {
                        if (!v?.trim()) return Promise.resolve();
                        const fen = parseYuan(v);
                        return fen !== null && fen > 0 && (max === null || fen <= max) ? Promise.resolve() : Promise.reject(new Error(fmt(m.refundFenRange, { max: max === null ? '—' : yuan(max) })));
                      },
                    },
                  ]}
                >
                  <Input inputMode="decimal" prefix="¥" style={{ maxWidth: 220 }} data-testid="decide-refund-yuan" />
                </Form.Item>
              ) : null}
            </>
          ) : (
            <Hint>{m.decidePreviewUnavailable}</Hint>
          )}
        </>
      );
    }
    case 'record_postage': {
      const split = detail.sendBack.decision?.postage;
      const legRow = (key: 'out' | 'back', leg: 'buyer_to_shop' | 'shop_to_buyer') => (
        <Space wrap align="start" key={key}>
          <Form.Item
            name={`${key}Yuan`}
            label={fmt(m.legCharged, { leg: m[`leg_${leg}`] })}
            rules={[{ validator: (_, v: string | undefined) => (!v?.trim() || parseYuan(v) !== null ? Promise.resolve() : Promise.reject(new Error(m.legChargedInvalid))) }]}
          >
            <Input inputMode="decimal" prefix="¥" style={{ width: 160 }} data-testid={`postage-${key}-yuan`} />
          </Form.Item>
          <Form.Item name={`${key}PaidBy`} label={fmt(m.legPaidBy, { leg: m[`leg_${leg}`] })}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'buyer', label: m.paidBy_buyer },
                { value: 'shop', label: m.paidBy_shop },
              ]}
            />
          </Form.Item>
        </Space>
      );
      return (
        <>
          <Hint>
            {fmt(m.postageSplitHint, {
              split: split ? split.legs.map((l) => `${m[`leg_${l.leg}`]} ${m.postageBuyerShare} ${l.buyerPercent}%`).join(m.listSep) : '—',
            })}
          </Hint>
          {legRow('out', 'buyer_to_shop')}
          {legBackOpen(detail) ? legRow('back', 'shop_to_buyer') : <Hint>{m.legNotShippedYet}</Hint>}
        </>
      );
    }
    case 'settle_postage': {
      const owed = detail.sendBack.postage?.shopOwesBuyerFen ?? 0;
      return (
        <>
          <Hint>{fmt(m.settleOwed, { what: fmt(owed > 0 ? m.postageShopOwes : m.postageBuyerOwes, { amount: yuan(Math.abs(owed)) }) })}</Hint>
          <Form.Item name="method" label={m.settleMethod} rules={[{ required: true }]}>
            <Radio.Group options={postageSettleMethods.map((x) => ({ value: x, label: m[`method_${x}`] }))} />
          </Form.Item>
          {method !== 'waived' ? (
            <Form.Item name="reference" label={m.settleReference} rules={[{ max: 64 }]}>
              <Input autoComplete="off" style={{ maxWidth: 360 }} />
            </Form.Item>
          ) : null}
          <Form.Item
            name="note"
            label={m.settleNote}
            rules={[{ validator: (_, v: string | undefined) => (method === 'waived' ? textBetween(v, 2, 500, m.settleNoteWaivedRequired) : Promise.resolve()) }]}
          >
            <Input.TextArea rows={2} maxLength={500} showCount />
          </Form.Item>
        </>
      );
    }
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
