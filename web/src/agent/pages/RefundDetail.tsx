/**
 * One refund, everything the agent needs to decide it (S1): the deadline
 * banner with a live countdown, who works it, the order's facts and the
 * buyer, one history of refund events, order events, records and remarks,
 * the playbook card (rules, checklist, suggested actions, guards in words),
 * and the action forms the caller may use now (allowedActions) and the
 * workbench's records (contacts from templates, reason corrections, retention,
 * root cause). Every refund action carries the refund's version; a guard of
 * the SOP is explained, and a supervisor may override it with a reason.
 * A refund of Taobao/Tmall shows its platform, its refund number there and
 * the platform's timeout; the seller's decisions go to the platform, and
 * while one is on its way (同步中) the page refreshes itself and the actions
 * wait; buyer-side actions are never offered (the buyer acts on the platform).
 * Keyboard: a agree · r refuse · f confirm receipt · c call · w Wangwang ·
 * m ask to change the reason · n remark · g claim · . reload · Esc queue · ? help.
 */
import { Alert, App as AntApp, Button, Card, Col, Descriptions, Result, Row, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { goodsStatusLabels, phaseLabels, reasonLabels, refundStatusLabels, refundTypeLabels } from '../../../../src/contract/labels.ts';
import { rootCauseLabels } from '../../../../src/core/refund/root-causes.ts';
import { get } from '../../shared/api.ts';
import { errorText } from '../../shared/errors.ts';
import { dateTime, yuan } from '../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import type { OrderDetail, RefundDetail as TRefundDetail } from '../../shared/types.ts';
import { useLoad } from '../../shared/use-api.ts';
import { Assignment, useAssign } from './refund/Assignment.tsx';
import { DeadlineBanner } from './refund/DeadlineBanner.tsx';
import { postageText } from './refund/CheckItems.tsx';
import { AgreeForm, ConfirmForm, ContactForm, CorrectionForm, RefuseForm, RetentionForm, ReturnPostageForm, RootCauseForm, type FormKey } from './refund/Forms.tsx';
import { CourierForm, ShipForm, useAddToBatch } from './refund/StepForms.tsx';
import { stepMessages } from './refund/step-messages.ts';
import { NewTaskForm } from './tasks/NewTaskForm.tsx';
import { detailMessages, platformRefundMessages } from './refund/messages.ts';
import { OrderFacts } from './refund/OrderFacts.tsx';
import { ParcelTrace } from './refund/ParcelTrace.tsx';
import { PlatformTag, SyncBanner } from './refund/PlatformSync.tsx';
import { PlaybookCard } from './refund/PlaybookCard.tsx';
import { Contacts, EvidenceCard, Remarks, type RemarksHandle } from './refund/Remarks.tsx';
import { ShortcutHelp, useShortcuts, type Shortcut } from './refund/Shortcuts.tsx';
import { Timeline } from './refund/Timeline.tsx';
import { roleMay, type DetailData, type WorkRecord } from './refund/types.ts';
import { OPENERS as FINANCE_OPENERS } from './finance/records.ts';
import { recommendedStep, type StepKey } from '../../shared/next-step.ts';
import { usePolling } from '../../shared/use-polling.ts';
import { RefundSendBacks } from './warranty/RefundSendBacks.tsx';

/** The seller's actions on a platform refund (the rest are the buyer's or the platform's, done there). */
const platformSellerActions = new Set(['agree', 'refuse', 'confirm_receipt']);
/** How often a refund whose decision is on its way to the platform is read again. */
const SYNC_POLL_MS = 3000;

const statusColours: Record<string, string> = {
  WAIT_SELLER_AGREE: 'orange',
  WAIT_BUYER_RETURN_GOODS: 'blue',
  WAIT_SELLER_CONFIRM_GOODS: 'gold',
  SELLER_REFUSE_BUYER: 'red',
  CLOSED: 'default',
  SUCCESS: 'green',
};

export default function RefundDetail() {
  const { id } = useParams();
  const refundId = Number(id);
  if (!Number.isInteger(refundId) || refundId < 1) return <NotFound />;
  return <Detail key={refundId} refundId={refundId} />;
}

function NotFound() {
  const m = useMessages(detailMessages);
  return <Result status="404" title={m.loadFailed} extra={<Link to="/queue">{m.back}</Link>} />;
}

function Detail({ refundId }: { refundId: number }) {
  const m = useMessages(detailMessages);
  const pm = useMessages(platformRefundMessages);
  const { lang } = useLang();
  const session = useSignedIn();
  const navigate = useNavigate();
  const { message, modal } = AntApp.useApp();
  const st = useMessages(stepMessages);
  const role = session.role;
  const userId = session.user?.id ?? null;

  const refundLoad = useLoad(
    (signal) => get<TRefundDetail>(`/refunds/${refundId}`, undefined, signal).then((refund) => ({ refund, fetchedAt: Date.now() })),
    [refundId],
  );
  const orderNo = refundLoad.data?.refund.orderNo;
  const orderLoad = useLoad(
    (signal) => (orderNo ? get<OrderDetail>(`/orders/${encodeURIComponent(orderNo)}`, undefined, signal) : Promise.resolve(undefined)),
    [orderNo],
  );
  const recordsLoad = useLoad((signal) => get<WorkRecord[]>(`/refunds/${refundId}/records`, undefined, signal), [refundId]);

  const [form, setForm] = useState<FormKey | 'trace' | 'recall' | 'ship' | 'task' | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [channel, setChannel] = useState<'phone' | 'wangwang'>('phone');
  const remarksRef = useRef<RemarksHandle>(null);

  const reloadRefund = refundLoad.reload;
  const reloadOrder = orderLoad.reload;
  const reloadRecords = recordsLoad.reload;
  const reloadAll = useCallback(() => {
    reloadRefund();
    reloadOrder();
    reloadRecords();
  }, [reloadRefund, reloadOrder, reloadRecords]);

  const { assign } = useAssign(refundId, () => reloadRefund());

  const data: DetailData | null = useMemo(
    () =>
      refundLoad.data
        ? { refund: refundLoad.data.refund, fetchedAt: refundLoad.data.fetchedAt, order: orderLoad.data, records: recordsLoad.data ?? [], role, userId }
        : null,
    [refundLoad.data, orderLoad.data, recordsLoad.data, role, userId],
  );

  const refund = data?.refund;
  const onPlatform = !!refund?.platform;
  /** a decision is on its way to the platform: the refund's actions wait for its answer */
  const syncPending = refund?.platform?.sync?.state === 'pending';
  const allowed = new Set((refund?.allowedActions ?? []).filter((a) => !onPlatform || platformSellerActions.has(a)));
  const mayDecide = (a: 'agree' | 'refuse' | 'confirm_receipt') => allowed.has(a) && !syncPending;

  // 同步中: read the refund again until the platform has answered; then the rest of the page follows
  usePolling(syncPending, reloadRefund, SYNC_POLL_MS);
  const wasPending = useRef(false);
  useEffect(() => {
    if (wasPending.current && !syncPending) {
      reloadOrder();
      reloadRecords();
    }
    wasPending.current = syncPending;
  }, [syncPending, reloadOrder, reloadRecords]);
  const offered = new Set<string>(refund?.playbook?.actions ?? []);
  // S1.2: a finished refund's playbook asks for its root cause until it is recorded
  if (refund?.playbook?.checklist.some((c) => c.id === 'S1.2.root_cause' && !c.done)) offered.add('root.cause');
  const mayWork = roleMay.work(role);
  const mayShip = mayWork || role === 'warehouse';
  const addToBatch = useAddToBatch(refundId, reloadAll);
  const isOpen = refund ? refund.status !== 'SUCCESS' && refund.status !== 'CLOSED' : false;
  /** the workbench's forms: those the playbook suggests, and the ones that always make sense while the refund is open */
  const shows = {
    call: mayWork && (offered.has('contact.phone') || isOpen),
    message: mayWork && (offered.has('contact.wangwang') || isOpen),
    correction: mayWork && (offered.has('reason.correction') || refund?.status === 'WAIT_SELLER_AGREE' || refund?.status === 'SELLER_REFUSE_BUYER'),
    retention: mayWork && offered.has('retention.offer'),
    rootCause: mayWork,
  };
  const open = (key: FormKey | 'trace' | 'recall' | 'ship' | 'task') => () => {
    if (key === 'call' || key === 'message') setChannel(key === 'call' ? 'phone' : 'wangwang');
    setForm(key);
  };

  /** What a suggested action of the playbook does on this page (null: done elsewhere, or not by this role). */
  const actionHandler = (action: string): (() => void) | null => {
    switch (action) {
      case 'refund.agree':
        return mayDecide('agree') ? open('agree') : null;
      case 'refund.refuse':
        return mayDecide('refuse') ? open('refuse') : null;
      case 'refund.confirm_receipt':
        return mayDecide('confirm_receipt') ? open('confirm') : null;
      case 'contact.phone':
        return shows.call ? open('call') : null;
      case 'contact.wangwang':
        return shows.message ? open('message') : null;
      case 'reason.correction':
        return shows.correction ? open('correction') : null;
      case 'retention.offer':
        return shows.retention ? open('retention') : null;
      case 'root.cause':
        return shows.rootCause ? open('rootCause') : null;
      case 'return.postage':
        return mayWork && refund?.type === 'return_and_refund' ? open('postage') : null;
      case 'order.remark':
        return roleMay.remark(role) ? () => remarksRef.current?.focus() : null;
      // finance's records open on the finance page, filled in from this refund's order (issue 15 §1)
      case 'claim.open':
      case 'invoice.request':
      case 'postage.compensate': {
        if (!refund || !FINANCE_OPENERS.includes(role)) return null;
        const kind = action === 'claim.open' ? 'claim' : action === 'invoice.request' ? 'invoice' : 'postage';
        const tab = kind === 'claim' ? 'claims' : kind === 'invoice' ? 'invoices' : 'postage';
        return () => navigate(`/finance?tab=${tab}&new=${kind}&orderNo=${encodeURIComponent(refund.orderNo)}`);
      }
      // S1.6 / S1.19: the courier task, opened and answered from here
      case 'courier.trace':
      case 'courier.recall':
        return mayWork && refund ? open(action === 'courier.trace' ? 'trace' : 'recall') : null;
      // S2.2 / S2.3 立即发货: an order of shouhou's own is marked shipped here; a platform's ships on the platform
      case 'order.ship':
        if (!mayShip || data?.order?.status !== 'WAIT_SELLER_SEND_GOODS') return null;
        return onPlatform ? () => modal.info({ title: st.shipOnPlatformTitle, content: st.shipOnPlatformText }) : open('ship');
      // S1.1: today's unshipped refunds into the batch for the warehouse
      case 'batch.add':
        return mayWork ? () => void addToBatch() : null;
      // S1.10: the task for design and merchandise, with this order and refund
      case 'department.task':
        return mayWork && refund ? open('task') : null;
      // S1.17: the complaint form on the complaints page, with this order and refund
      case 'complaint.open':
        return refund && (role === 'agent' || role === 'supervisor') ? () => navigate(`/complaints?new=1&orderNo=${encodeURIComponent(refund.orderNo)}&refundId=${refund.id}`) : null;
      default:
        return null;
    }
  };

  const shortcuts: Shortcut[] = [
    ...(mayDecide('agree') ? [{ key: 'a', label: m.keyAgree, run: open('agree') }] : []),
    ...(mayDecide('refuse') ? [{ key: 'r', label: m.keyRefuse, run: open('refuse') }] : []),
    ...(mayDecide('confirm_receipt') ? [{ key: 'f', label: m.keyConfirm, run: open('confirm') }] : []),
    ...(shows.call ? [{ key: 'c', label: m.keyCall, run: open('call') }] : []),
    ...(shows.message ? [{ key: 'w', label: m.keyMessage, run: open('message') }] : []),
    ...(shows.correction ? [{ key: 'm', label: m.keyCorrection, run: open('correction') }] : []),
    ...(roleMay.remark(role) ? [{ key: 'n', label: m.keyRemark, run: () => remarksRef.current?.focus() }] : []),
    ...(mayWork && userId !== null && refund?.assignee?.userId !== userId ? [{ key: 'g', label: m.keyClaim, run: () => void assign(userId) }] : []),
    { key: '.', label: m.keyReload, run: reloadAll },
    { key: 'Escape', label: m.keyBack, run: () => navigate('/queue') },
    { key: '?', label: m.keyHelp, run: () => setHelpOpen(true) },
  ];
  useShortcuts(shortcuts, form === null && !helpOpen);

  if (!data || !refund) {
    if (refundLoad.error) {
      return (
        <Result
          status={(refundLoad.error as { status?: number }).status === 404 ? '404' : 'error'}
          title={m.loadFailed}
          subTitle={errorText(refundLoad.error, lang)}
          extra={
            <Space>
              <Button onClick={reloadRefund}>{m.reload}</Button>
              <Link to="/queue">{m.back}</Link>
            </Space>
          }
        />
      );
    }
    return <Spin style={{ margin: 48 }} aria-label={m.reload} />;
  }

  // issue 15 §1: one primary button, the step the SOP wants next (never the refusal)
  const waitingNow = syncPending;
  const shownSteps = new Set<StepKey>(
    [
      mayDecide('agree') && 'agree',
      mayDecide('refuse') && 'refuse',
      mayDecide('confirm_receipt') && 'confirm',
      shows.call && 'call',
      shows.message && 'message',
      shows.correction && 'correction',
      shows.retention && 'retention',
      shows.rootCause && 'rootCause',
    ].filter((k): k is StepKey => typeof k === 'string'),
  );
  const nextStep = recommendedStep({ status: refund.status, shown: shownSteps, offered, guards: refund.playbook?.guards ?? [], records: data.records, checklist: refund.playbook?.checklist ?? [] });
  const actionButton = (key: FormKey, label: string, suggestedBy: string, extra: { danger?: boolean; hotkey?: string; waiting?: boolean } = {}) => {
    const suggested = offered.has(suggestedBy);
    const button = (
      <Button
        key={key}
        type={key === nextStep && !extra.waiting ? 'primary' : 'default'}
        data-next-step={key === nextStep ? 'true' : undefined}
        danger={extra.danger}
        disabled={extra.waiting}
        onClick={open(key)}
        aria-keyshortcuts={extra.hotkey}
        data-testid={`action-${key}`}
      >
        {label}
        {extra.hotkey && (
          <kbd aria-hidden="true" style={{ marginInlineStart: 6, fontSize: 11, opacity: 0.7 }}>
            {extra.hotkey}
          </kbd>
        )}
      </Button>
    );
    if (extra.waiting) {
      // a disabled button gets no hover: the tooltip sits on its wrapper
      return (
        <Tooltip key={key} title={pm.waitPlatform}>
          <span data-testid={`action-${key}-waiting`}>{button}</span>
        </Tooltip>
      );
    }
    return suggested || !refund.playbook ? (
      button
    ) : (
      <Tooltip key={key} title={m.notSuggested}>
        {button}
      </Tooltip>
    );
  };

  const waiting = waitingNow;
  const refundActions = [
    allowed.has('agree') &&
      actionButton('agree', refund.type === 'return_and_refund' ? m.agreeReturn : m.agree, 'refund.agree', { hotkey: 'A', waiting }),
    allowed.has('refuse') && actionButton('refuse', m.refuse, 'refund.refuse', { danger: true, hotkey: 'R', waiting }),
    allowed.has('confirm_receipt') && actionButton('confirm', m.confirmReceipt, 'refund.confirm_receipt', { hotkey: 'F', waiting }),
  ].filter(Boolean);
  const workActions = [
    shows.call && actionButton('call', m.logCall, 'contact.phone', { hotkey: 'C' }),
    shows.message && actionButton('message', m.logMessage, 'contact.wangwang', { hotkey: 'W' }),
    shows.correction && actionButton('correction', m.correction, 'reason.correction', { hotkey: 'M' }),
    shows.retention && actionButton('retention', m.retention, 'retention.offer'),
    shows.rootCause && actionButton('rootCause', m.rootCause, 'root.cause'),
  ].filter(Boolean);

  const onStale = () => {
    // 409 VERSION_CONFLICT: somebody changed the refund; show it as it is now, and say so
    message.warning(m.versionReloaded);
    reloadAll();
  };
  const formProps = { data, onClose: () => setForm(null), onDone: reloadAll, onStale };
  const r = refund;
  const rootCause = r.rootCause ? labelOf(rootCauseLabels[r.rootCause.cause as keyof typeof rootCauseLabels], lang, r.rootCause.label) : null;

  return (
    <section aria-labelledby="refund-title" data-testid="refund-detail" data-refund-id={r.id} data-version={r.version}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap className="no-print">
        <Link to="/queue">← {m.back}</Link>
        <Space>
          <Button onClick={reloadAll} loading={refundLoad.loading} aria-keyshortcuts=".">
            {m.reload}
          </Button>
          <Button onClick={() => setHelpOpen(true)} aria-label={m.shortcuts} aria-keyshortcuts="?">
            ? {m.shortcutsButton}
          </Button>
        </Space>
      </Space>

      <Space align="baseline" wrap style={{ marginBottom: 8 }}>
        <Typography.Title id="refund-title" level={1} style={{ fontSize: 22, margin: 0 }}>
          {fmt(m.title, { id: r.id })}
        </Typography.Title>
        <Typography.Text>
          {m.orderNo} <Typography.Text copyable strong>{r.orderNo}</Typography.Text>
          {r.lineNo ? ` · ${r.lineNo}` : ''}
        </Typography.Text>
        <Tag color={statusColours[r.status]} data-testid="refund-status">
          {labelOf(refundStatusLabels[r.status], lang, r.statusLabel)}
        </Tag>
        <Tag>{labelOf(refundTypeLabels[r.type], lang)}</Tag>
        <Tag color={r.reason === 'not_as_described' || r.reason === 'quality' ? 'red' : 'default'}>{labelOf(reasonLabels[r.reason], lang, r.reasonLabel)}</Tag>
        <Tag>{labelOf(phaseLabels[r.phase], lang)}</Tag>
        <Typography.Text strong style={{ fontSize: 18 }}>
          {yuan(r.amountFen)}
        </Typography.Text>
        <PlatformTag refund={r} />
      </Space>

      <div style={{ marginBottom: 8 }}>
        <Assignment refundId={r.id} assignee={r.assignee ?? null} userId={userId} mayAssign={mayWork} onAssigned={reloadRefund} />
      </div>

      <DeadlineBanner deadline={r.deadline} fetchedAt={data.fetchedAt} platform={!!r.platform} />
      <SyncBanner refund={r} onReload={reloadAll} reloading={refundLoad.loading} />

      {(refundActions.length > 0 || workActions.length > 0) && (
        <Card size="small" style={{ marginBottom: 12 }} className="no-print" aria-label={m.actions} role="region">
          <Space wrap>
            {refundActions}
            {refundActions.length > 0 && workActions.length > 0 && <span aria-hidden="true" style={{ borderInlineStart: '1px solid #f0f0f0', height: 24 }} />}
            {workActions}
          </Space>
          {onPlatform && (
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
              {waiting ? pm.actionsWait : pm.platformActsHere}
            </Typography.Paragraph>
          )}
        </Card>
      )}

      {(orderLoad.error !== undefined || recordsLoad.error !== undefined) && (
        <Alert type="warning" showIcon title={errorText(orderLoad.error ?? recordsLoad.error, lang)} style={{ marginBottom: 12 }} closable />
      )}

      <Row gutter={12}>
        <Col xs={24} xl={15}>
          <Card size="small" style={{ marginBottom: 12 }} data-testid="refund-summary">
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={[
                { key: 'goods', label: m.goodsStatus, children: labelOf(goodsStatusLabels[r.goodsStatus], lang) },
                { key: 'applied', label: m.appliedAt, children: dateTime(r.createdAt, lang) },
                { key: 'description', label: m.description, span: 2, children: r.description || '—' },
                ...(r.platform?.reasonText ? [{ key: 'platformReason', label: pm.platformReason, span: 2, children: r.platform.reasonText }] : []),
                ...(r.returnAddress ? [{ key: 'returnAddress', label: m.returnAddress, span: 2, children: r.returnAddress }] : []),
                ...(r.returnShipment
                  ? [
                      {
                        key: 'returnShipment',
                        label: m.returnShipment,
                        span: 2,
                        children: `${r.returnShipment.courier} ${r.returnShipment.trackingNo} · ${dateTime(r.returnShipment.shippedAt, lang)}`,
                      },
                    ]
                  : []),
                ...(r.refusal ? [{ key: 'refusal', label: m.refusal, span: 2, children: `${r.refusal.reason} · ${dateTime(r.refusal.at, lang)}` }] : []),
                ...(r.intervention.state !== 'none'
                  ? [
                      {
                        key: 'intervention',
                        label: m.intervention,
                        span: 2,
                        children:
                          r.intervention.state === 'decided'
                            ? `${fmt(m.interventionDecided, { outcome: r.intervention.outcome === 'refund' ? m.outcomeRefund : m.outcomeReject })}${r.intervention.note ? ` · ${r.intervention.note}` : ''}`
                            : fmt(m.interventionRequested, { time: dateTime(r.intervention.requestedAt, lang) }),
                      },
                    ]
                  : []),
                ...(r.closeReason ? [{ key: 'close', label: m.closeReason, span: 2, children: r.closeReason }] : []),
                ...(rootCause ? [{ key: 'rootCause', label: m.rootCause, span: 2, children: `${rootCause}${r.rootCause?.note ? ` · ${r.rootCause.note}` : ''}` }] : []),
                // S1.13: who pays the return postage, a value (buyer or shop, the amount)
                ...(r.type === 'return_and_refund' && r.playbook
                  ? [
                      {
                        key: 'returnPostage',
                        label: m.returnPostage,
                        span: 2,
                        children: (
                          <Space size={8} wrap data-testid="return-postage">
                            <span>
                              {r.returnPostage
                                ? [postageText(r.returnPostage, m), r.returnPostage.note, r.returnPostage.by, r.returnPostage.at ? dateTime(r.returnPostage.at, lang) : null].filter(Boolean).join(' · ')
                                : m.postageNone}
                            </span>
                            {mayWork && (
                              <Button size="small" onClick={open('postage')} className="no-print">
                                {r.returnPostage ? m.postageEdit : m.postageSet}
                              </Button>
                            )}
                          </Space>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
          <OrderFacts order={r.order} lineNo={r.lineNo} facts={r.playbook?.facts} role={role} />
          <ParcelTrace refundId={r.id} version={r.version} signedAt={r.order.shipment?.signedAt ?? null} maySign={mayShip} onSigned={reloadAll} />
          <RefundSendBacks records={data.records} />
          <Timeline refund={r} order={data.order} records={data.records} />
        </Col>
        <Col xs={24} xl={9}>
          <PlaybookCard refundId={r.id} playbook={r.playbook} mayTick={mayWork} onChanged={reloadRefund} actionHandler={actionHandler} />
          {data.order && <Remarks ref={remarksRef} order={data.order} mayAdd={roleMay.remark(role)} onAdded={reloadAll} />}
          <Contacts records={data.records} />
          <EvidenceCard refund={r} />
        </Col>
      </Row>

      {mayDecide('agree') && <AgreeForm open={form === 'agree'} {...formProps} />}
      {mayDecide('refuse') && <RefuseForm open={form === 'refuse'} {...formProps} />}
      {mayDecide('confirm_receipt') && <ConfirmForm open={form === 'confirm'} {...formProps} />}
      {mayWork && (
        <>
          <ContactForm key={channel} channel={channel} open={form === 'call' || form === 'message'} {...formProps} />
          <CorrectionForm open={form === 'correction'} {...formProps} />
          <RetentionForm open={form === 'retention'} {...formProps} />
          <RootCauseForm open={form === 'rootCause'} {...formProps} />
          <ReturnPostageForm open={form === 'postage'} {...formProps} />
          <CourierForm key={form === 'recall' ? 'recall' : 'trace'} kind={form === 'recall' ? 'recall' : 'trace'} open={form === 'trace' || form === 'recall'} {...formProps} />
          <NewTaskForm
            open={form === 'task'}
            onClose={() => setForm(null)}
            onCreated={() => {
              setForm(null);
              reloadAll();
            }}
            initial={{ orderNo: r.orderNo, refundId: r.id, description: r.description }}
          />
        </>
      )}
      {mayShip && <ShipForm open={form === 'ship'} {...formProps} />}
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} shortcuts={shortcuts} />
    </section>
  );
}
