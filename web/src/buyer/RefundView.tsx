/**
 * One refund as the buyer sees it (S3.7): its status in words, the time left
 * on the current deadline and what happens when it passes, the seller's
 * refusal, the return address; and the buyer's actions the server allows now
 * (allowedActions): enter the return parcel (S3.4), change the application
 * (S2.7), withdraw, ask for the platform's intervention (S2.8).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { deadlineLabels, goodsStatusLabels, reasonLabels, refundStatusLabels, refundTypeLabels } from '../../../src/contract/labels.ts';
import { ApiError, newIdempotencyKey, post } from '../shared/api.ts';
import { Countdown } from '../shared/Countdown.tsx';
import { errorText } from '../shared/errors.ts';
import { dateTime, deadlineText, yuan } from '../shared/format.ts';
import { fmt, labelOf, useLang, useMessages, type Lang } from '../shared/i18n.tsx';
import type { Refund, RefundDetail } from '../shared/types.ts';
import { EvidenceList } from './Evidence.tsx';
import { buyerMessages, type BuyerMessages } from './messages.ts';
import { ParcelTrace } from './ParcelTrace.tsx';
import { Button, ConfirmDialog, Notice, PageTitle, TextField } from './ui.tsx';

const buyerActions = ['return_shipment', 'modify', 'withdraw', 'request_intervention'] as const;
/** the couriers buyers send returns with; any other is typed in */
const COURIERS = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递', '极兔速递', '京东快递', '邮政EMS', '德邦快递'];
const OTHER_COURIER = '__other__';

function closeReasonText(reason: string | null, t: BuyerMessages): string | null {
  if (!reason) return null;
  if (reason === 'withdrawn by the buyer') return t.closeReason_withdrawn;
  if (reason === 'the platform decided not to refund') return t.closeReason_platform;
  if (reason === 'timed out: buyer_return') return t.closeReason_buyer_return;
  if (reason === 'timed out: buyer_after_refusal') return t.closeReason_buyer_after_refusal;
  return reason;
}

export function itemLabel(refund: Pick<Refund, 'lineNo'>, order: RefundDetail['order'], t: BuyerMessages): string {
  if (refund.lineNo === null) return t.wholeOrder;
  const line = order.lines.find((l) => l.lineNo === refund.lineNo);
  return line ? `${line.title} (${line.style} · ${line.size})` : `#${refund.lineNo}`;
}

/** The current deadline: live countdown, the date, and what happens when it passes (deadlineLabels). */
export function DeadlineBox({ deadline, fetchedAt, lang, t }: { deadline: NonNullable<Refund['deadline']>; fetchedAt: number; lang: Lang; t: BuyerMessages }) {
  return (
    <div className="b-deadline" data-testid="deadline">
      <div className="b-deadline-head">
        <span>{t.timeLeft}</span>
        {deadline.timeLeftMs !== null ? (
          <strong className="b-countdown" data-testid="countdown">
            <Countdown timeLeftMs={deadline.timeLeftMs} fetchedAt={fetchedAt} strong />
          </strong>
        ) : (
          <span>—</span>
        )}
      </div>
      {deadline.at && <div className="b-hint" data-testid="deadline-at">{deadlineText(deadline.at, lang)}</div>}
      <div className="b-deadline-what">{labelOf(deadlineLabels[deadline.kind], lang)}</div>
      {deadline.problem && <Notice level="warn">{fmt(t.deadlineUnknown, { why: errorText(new ApiError(0, deadline.problem.code, deadline.problem.message), lang) })}</Notice>}
      {deadline.overdue && deadline.effect !== 'none' && <div className="b-hint">{t.deadlineOverdue}</div>}
    </div>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="b-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export type Done = 'returnSent' | 'interveneSent' | 'withdrawn' | 'applied' | 'modified';

export function RefundView({
  detail,
  fetchedAt,
  reload,
  onModify,
  flash,
}: {
  detail: RefundDetail;
  fetchedAt: number;
  reload: () => void;
  onModify: () => void;
  /** what the page before did (the application or its change was sent) */
  flash?: Done | null;
}) {
  const t = useMessages(buyerMessages);
  const { lang } = useLang();
  const r = detail;
  const allowed = new Set(r.allowedActions);
  // kept as what happened, worded at render: the language may change meanwhile
  const [done, setDone] = useState<Done | null>(flash ?? null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const [courier, setCourier] = useState('');
  const [courierChoice, setCourierChoice] = useState('');
  const [copied, setCopied] = useState(false);
  const [trackingNo, setTrackingNo] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);

  // a new answer (after an action or a reload) clears the action's state
  useEffect(() => {
    setTried(false);
    setConfirmWithdraw(false);
  }, [r.version]);

  const act = async (action: string, body: Record<string, unknown>, doneKey: Done) => {
    setBusy(action);
    setActionError(null);
    setDone(null);
    try {
      await post<Refund>(`/refunds/${r.id}/${action}`, { version: r.version, ...body }, newIdempotencyKey());
      setDone(doneKey);
      reload();
    } catch (err) {
      setActionError(err);
      // somebody else moved it: show what it is now
      if (err instanceof ApiError && (err.code === 'VERSION_CONFLICT' || err.code === 'ACTION_NOT_ALLOWED')) reload();
    } finally {
      setBusy(null);
      setConfirmWithdraw(false);
    }
  };

  const courierError = !courier.trim() ? t.courierRequired : undefined;
  const trackingError = !trackingNo.trim() ? t.trackingNoRequired : !/^[A-Za-z0-9-]{1,40}$/.test(trackingNo.trim()) ? t.trackingNoInvalid : undefined;

  const closeText = r.status === 'CLOSED' ? closeReasonText(r.closeReason, t) : null;
  const waitForIntervention = r.status === 'SELLER_REFUSE_BUYER' && r.intervention.state === 'none' && !allowed.has('request_intervention');
  // right after the application (or its change) was sent there is nothing to change yet: the seller has not answered
  const justSent = done === 'applied' || done === 'modified';
  const mayModify = allowed.has('modify') && !(justSent && r.status === 'WAIT_SELLER_AGREE');
  const anyAction = buyerActions.some((a) => (a === 'modify' ? mayModify : allowed.has(a)));

  return (
    <div className="b-page">
      <PageTitle>{t.refundTitle}</PageTitle>
      <section className={`b-card b-status b-status-${r.status}`} aria-labelledby="refund-status">
        <div className="b-kicker">
          {fmt(t.refundNo, { id: r.id })} · {itemLabel(r, r.order, t)}
        </div>
        <h2 id="refund-status" data-testid="refund-status">
          {labelOf(refundStatusLabels[r.status], lang)}
        </h2>
        <p>{r.status === 'SELLER_REFUSE_BUYER' && r.intervention.state === 'requested' ? t.next_INTERVENTION : t[`next_${r.status}`]}</p>
        {r.deadline && <DeadlineBox deadline={r.deadline} fetchedAt={fetchedAt} lang={lang} t={t} />}
      </section>

      {done && !(justSent && r.status === 'WAIT_SELLER_AGREE') && <Notice level="success">{t[done]}</Notice>}
      {actionError !== null && (
        <Notice level="error" testId="action-error">
          {errorText(actionError, lang)}
          {actionError instanceof ApiError && actionError.code === 'INTERVENTION_TOO_EARLY' && typeof actionError.details.availableAt === 'string' && (
            <p>{fmt(t.interveneTooEarly, { at: dateTime(actionError.details.availableAt, lang) })}</p>
          )}
        </Notice>
      )}

      {r.refusal && r.status === 'SELLER_REFUSE_BUYER' && (
        <section className="b-card" aria-labelledby="refusal-title" data-testid="refusal">
          <h2 id="refusal-title">{t.refusalTitle}</h2>
          <p className="b-quote">{r.refusal.reason}</p>
          <p className="b-hint">{fmt(t.refusalAt, { at: dateTime(r.refusal.at, lang) })}</p>
        </section>
      )}

      {r.returnAddress && (r.status === 'WAIT_BUYER_RETURN_GOODS' || r.status === 'WAIT_SELLER_CONFIRM_GOODS') && (
        <section className="b-card" aria-labelledby="address-title" data-testid="return-address">
          <h2 id="address-title">{t.returnAddressTitle}</h2>
          <p className="b-address">{r.returnAddress}</p>
          <Button
            kind="default"
            className="b-wide"
            data-testid="copy-return-address"
            onClick={() => {
              void navigator.clipboard?.writeText(r.returnAddress ?? '').then(
                () => setCopied(true),
                () => setCopied(false),
              );
            }}
          >
            {copied ? t.addressCopied : t.copyAddress}
          </Button>
          <p className="b-hint">{t.returnAddressHelp}</p>
        </section>
      )}

      {r.intervention.state !== 'none' && (
        <Notice level="info">
          {r.intervention.state === 'requested'
            ? fmt(t.interventionRequested, { at: dateTime(r.intervention.requestedAt, lang) })
            : r.intervention.outcome === 'refund'
              ? t.interventionDecidedRefund
              : t.interventionDecidedReject}
          {r.intervention.state === 'decided' && r.intervention.note && <p>{fmt(t.interventionNote, { note: r.intervention.note })}</p>}
        </Notice>
      )}

      {(anyAction || waitForIntervention) && (
        <section className="b-card" aria-labelledby="actions-title">
          <h2 id="actions-title">{t.actionsTitle}</h2>

          {allowed.has('return_shipment') && (
            <form
              className="b-subform"
              noValidate
              aria-labelledby="return-form-title"
              onSubmit={(e) => {
                e.preventDefault();
                setTried(true);
                if (courierError || trackingError) return;
                void act('return-shipment', { courier: courier.trim(), trackingNo: trackingNo.trim() }, 'returnSent');
              }}
            >
              <h3 id="return-form-title">{t.returnFormTitle}</h3>
              <div className={`b-field${tried && courierError ? ' has-error' : ''}`}>
                <label htmlFor="b-courier" className="b-label">
                  {t.courier}
                </label>
                <select
                  id="b-courier"
                  className="b-select"
                  value={courierChoice}
                  aria-invalid={(tried && !!courierError) || undefined}
                  onChange={(e) => {
                    setCourierChoice(e.target.value);
                    setCourier(e.target.value === OTHER_COURIER ? '' : e.target.value);
                  }}
                >
                  <option value="">{t.courierPick}</option>
                  {COURIERS.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                  <option value={OTHER_COURIER}>{t.courierOther}</option>
                </select>
                {tried && courierError && courierChoice !== OTHER_COURIER && <div className="b-error">{courierError}</div>}
              </div>
              {courierChoice === OTHER_COURIER && (
                <TextField
                  label={t.courierOtherName}
                  hint={t.courierHint}
                  error={tried ? courierError : undefined}
                  inputProps={{ value: courier, maxLength: 40, autoComplete: 'off', onChange: (e) => setCourier(e.target.value) }}
                />
              )}
              <TextField
                label={t.trackingNo}
                hint={t.trackingNoHint}
                error={tried ? trackingError : undefined}
                inputProps={{ value: trackingNo, maxLength: 40, autoComplete: 'off', autoCapitalize: 'characters', spellCheck: false, onChange: (e) => setTrackingNo(e.target.value) }}
              />
              <Button kind="primary" type="submit" busy={busy === 'return-shipment'} className="b-wide">
                {t.submitReturn}
              </Button>
            </form>
          )}

          {mayModify && (
            <div className="b-action">
              <p className="b-hint">{t.modifyHelp}</p>
              <Button kind={r.status === 'SELLER_REFUSE_BUYER' ? 'primary' : 'default'} className="b-wide" onClick={onModify}>
                {t.modify}
              </Button>
            </div>
          )}

          {allowed.has('request_intervention') && (
            <form
              className="b-subform"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void act('request-intervention', note.trim() ? { note: note.trim() } : {}, 'interveneSent');
              }}
            >
              <h3>{t.intervene}</h3>
              <p className="b-hint">{t.interveneHelp}</p>
              <TextField label={t.interveneNote} hint={t.interveneNoteHint} multiline textareaProps={{ value: note, maxLength: 500, rows: 3, onChange: (e) => setNote(e.target.value) }} />
              <Button type="submit" busy={busy === 'request-intervention'} className="b-wide">
                {t.interveneSubmit}
              </Button>
            </form>
          )}
          {waitForIntervention && (
            <Notice level="info" testId="intervention-wait">
              {t.interveneWait}
            </Notice>
          )}

          {allowed.has('withdraw') && (
            <div className="b-action">
              <p className="b-hint">{t.withdrawHelp}</p>
              <Button kind="danger" className="b-wide" onClick={() => setConfirmWithdraw(true)}>
                {t.withdraw}
              </Button>
            </div>
          )}
        </section>
      )}
      {!anyAction && !waitForIntervention && (r.status === 'WAIT_SELLER_AGREE' || r.status === 'WAIT_SELLER_CONFIRM_GOODS') && <p className="b-hint">{t.noActions}</p>}
      {r.status === 'CLOSED' && (
        <div className="b-actions">
          <a className="b-btn b-btn-default b-wide" href="#/apply">
            {t.applyAgain}
          </a>
        </div>
      )}

      <ParcelTrace refundId={r.id} version={r.version} />

      <section className="b-card" aria-labelledby="facts-title">
        <h2 id="facts-title" className="b-visually-hidden">
          {t.refundTitle}
        </h2>
        <dl className="b-facts">
          <Row label={t.amount}>
            <strong>{yuan(r.amountFen)}</strong>
          </Row>
          <Row label={t.type}>{labelOf(refundTypeLabels[r.type], lang)}</Row>
          <Row label={t.goodsStatus}>{labelOf(goodsStatusLabels[r.goodsStatus], lang)}</Row>
          <Row label={t.reason}>{labelOf(reasonLabels[r.reason], lang)}</Row>
          <Row label={t.item}>{itemLabel(r, r.order, t)}</Row>
          <Row label={t.appliedAt}>{dateTime(r.createdAt, lang)}</Row>
          {r.returnShipment && (
            <Row label={t.returnShipmentTitle}>
              {fmt(t.returnShipmentLine, { courier: r.returnShipment.courier, trackingNo: r.returnShipment.trackingNo, at: dateTime(r.returnShipment.shippedAt, lang) })}
            </Row>
          )}
          {closeText && <Row label={t.closeReasonTitle}>{closeText}</Row>}
          {r.description && <Row label={t.yourDescription}>{r.description}</Row>}
        </dl>
        {r.evidence.length > 0 && (
          <>
            <div className="b-label">{t.yourEvidence}</div>
            <EvidenceList refs={r.evidence} />
          </>
        )}
      </section>

      <ConfirmDialog
        open={confirmWithdraw}
        title={t.withdrawConfirmTitle}
        text={t.withdrawConfirmText}
        confirmLabel={t.withdrawConfirm}
        cancelLabel={t.cancel}
        busy={busy === 'withdraw'}
        onConfirm={() => void act('withdraw', {}, 'withdrawn')}
        onCancel={() => setConfirmWithdraw(false)}
      />
    </div>
  );
}
