/**
 * Applying for a refund (S3.2–S3.5), or changing an application after a
 * refusal (S2.7): item, goods status, type, reason, amount, details, photos.
 * Each choice is explained in plain words, and the wrong pairs are named
 * before sending with the switch that fixes them (S1.9: refund-only for
 * damaged goods received; S3.4: no return of goods not received; S3.5).
 */
import { useMemo, useRef, useState } from 'react';
import { goodsStatusLabels, reasonLabels, refundTypeLabels } from '../../../src/contract/labels.ts';
import type { ReasonCode, RefundType } from '../../../src/core/refund/refund-model.ts';
import { ApiError, newIdempotencyKey, post } from '../shared/api.ts';
import { errorText } from '../shared/errors.ts';
import { parseYuan, yuan } from '../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../shared/i18n.tsx';
import type { OrderDetail, Refund, RefundDetail } from '../shared/types.ts';
import { EvidencePicker, itemsFromRefs, type EvidenceItem } from './Evidence.tsx';
import { clashingRefund, emptyDraft, guidesFor, guideStops, partialOnlyReasons, reasonsFor, refundableFen, type Draft, type GoodsChoice } from './guidance.ts';
import { buyerMessages } from './messages.ts';
import { Button, Choice, Notice, PageTitle, TextField, type ChoiceOption } from './ui.tsx';

type FieldKey = 'item' | 'goods' | 'type' | 'reason' | 'amount' | 'description' | 'evidence' | 'guide';

function initialDraft(order: OrderDetail, refund: RefundDetail | undefined): Draft {
  const unshipped = order.shipment === null;
  if (refund) {
    const goods: GoodsChoice = refund.goodsStatus === 'not_received' ? 'not_received' : 'received';
    return {
      lineNo: refund.lineNo,
      goodsStatus: goods,
      type: refund.type,
      reason: refund.reason,
      amountText: goods === 'received' ? (refund.amountFen / 100).toFixed(2) : '',
      description: refund.description,
      keepGoods: false,
    };
  }
  const single = order.lines.length === 1 ? null : undefined;
  // a one-item order has its item chosen: its amount starts as what may still be refunded
  const left = single === null ? refundableFen(order, null, undefined) : 0;
  const amountText = left > 0 ? (left / 100).toFixed(2) : '';
  return unshipped ? { ...emptyDraft, lineNo: single, goodsStatus: 'not_received', type: 'refund_only' } : { ...emptyDraft, lineNo: single, amountText };
}

export function RefundForm({ order, refund, onDone, onCancel }: { order: OrderDetail; refund?: RefundDetail; onDone: (refund: Refund) => void; onCancel: () => void }) {
  const t = useMessages(buyerMessages);
  const { lang } = useLang();
  const unshipped = order.shipment === null;
  const [draft, setDraft] = useState<Draft>(() => initialDraft(order, refund));
  const [evidence, setEvidence] = useState<EvidenceItem[]>(() => itemsFromRefs(refund?.evidence ?? []));
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{ err: unknown; refundId?: number } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const update = (patch: Partial<Draft>) =>
    setDraft((d) => {
      const next = { ...d, ...patch };
      // S3.4: goods not received are refund-only
      if (patch.goodsStatus === 'not_received' && next.type === 'return_and_refund') next.type = 'refund_only';
      if (patch.goodsStatus && next.reason && !reasonsFor(next.goodsStatus, unshipped).includes(next.reason)) next.reason = undefined;
      if (patch.type === 'return_and_refund' || patch.reason) next.keepGoods = patch.keepGoods ?? false;
      return next;
    });

  const itemName = (lineNo: number | null) => {
    if (lineNo === null) return t.wholeOrder;
    const line = order.lines.find((l) => l.lineNo === lineNo);
    return line ? `${line.title} (${line.style} · ${line.size})` : `#${lineNo}`;
  };

  const refundable = draft.lineNo === undefined ? null : refundableFen(order, draft.lineNo, refund?.id);
  const reasons = reasonsFor(draft.goodsStatus, unshipped);
  const guides = useMemo(() => guidesFor(draft, order), [draft, order]);
  const partial = draft.reason !== undefined && partialOnlyReasons.includes(draft.reason);

  const errors = useMemo(() => {
    const e: Partial<Record<FieldKey, string>> = {};
    if (draft.lineNo === undefined) e.item = t.pickItem;
    if (!draft.goodsStatus) e.goods = t.pickGoods;
    if (!draft.type) e.type = t.pickType;
    if (!draft.reason || !reasons.includes(draft.reason)) e.reason = t.pickReason;
    if (draft.goodsStatus === 'received' && refundable !== null) {
      const fen = parseYuan(draft.amountText);
      if (!draft.amountText.trim()) e.amount = t.amountRequired;
      else if (fen === null) e.amount = t.amountInvalid;
      else if (fen <= 0) e.amount = t.amountZero;
      else if (fen > refundable) e.amount = fmt(t.amountOver, { max: yuan(refundable) });
      else if (partial && fen >= order.paidFen) e.amount = fmt(t.amountNotPartial, { paid: yuan(order.paidFen) });
    }
    if (draft.description.trim().length > 500) e.description = t.descriptionTooLong;
    if (evidence.some((i) => i.state === 'uploading')) e.evidence = t.evidenceStillUploading;
    if (guides.some((g) => guideStops(g, draft))) e.guide = t.fixBeforeSubmit;
    return e;
  }, [draft, reasons, refundable, partial, order.paidFen, evidence, guides, t]);

  const shown = (key: FieldKey) => (tried ? errors[key] : undefined);

  const submit = async () => {
    setTried(true);
    setServerError(null);
    if (Object.keys(errors).length > 0) {
      // the first marked field, in the page's order
      requestAnimationFrame(() => {
        const first = formRef.current?.querySelector<HTMLElement>('.has-error input, .has-error textarea, .has-error, .b-notice-block, .b-notice-warn');
        first?.scrollIntoView({ block: 'center' });
        if (first instanceof HTMLInputElement || first instanceof HTMLTextAreaElement) first.focus({ preventScroll: true });
      });
      return;
    }
    const goodsStatus = draft.goodsStatus as GoodsChoice;
    const amountFen = goodsStatus === 'received' ? (parseYuan(draft.amountText) ?? undefined) : undefined;
    const refs = evidence.filter((i) => i.state === 'done' && i.ref).map((i) => i.ref as string);
    setBusy(true);
    try {
      const answer = refund
        ? await post<Refund>(
            `/refunds/${refund.id}/modify`,
            {
              version: refund.version,
              type: draft.type,
              reason: draft.reason,
              goodsStatus,
              amountFen,
              description: draft.description.trim(),
              evidence: refs,
            },
            newIdempotencyKey(),
          )
        : await post<Refund>(
            '/refunds',
            {
              orderNo: order.orderNo,
              lineNo: draft.lineNo,
              type: draft.type,
              goodsStatus,
              reason: draft.reason,
              amountFen,
              description: draft.description.trim(),
              evidence: refs,
            },
            newIdempotencyKey(),
          );
      onDone(answer);
    } catch (err) {
      const refundId = err instanceof ApiError && typeof err.details.refundId === 'number' ? err.details.refundId : undefined;
      setServerError({ err, refundId });
    } finally {
      setBusy(false);
    }
  };

  // 1. the item: the whole order or one line, with what is still refundable
  const scopes: (number | null)[] = [null, ...order.lines.map((l) => l.lineNo)];
  const itemOptions: ChoiceOption<string>[] = scopes.map((lineNo) => {
    const clash = clashingRefund(order, lineNo, refund?.id);
    const left = refundableFen(order, lineNo, refund?.id);
    const line = order.lines.find((l) => l.lineNo === lineNo);
    return {
      value: String(lineNo ?? 'all'),
      label: lineNo === null ? t.itemWhole : (line?.title ?? `#${lineNo}`),
      help: line ? fmt(t.itemLine, { style: line.style, size: line.size, qty: line.quantity }) : undefined,
      aside: clash ? t.itemBusy : left <= 0 ? t.itemNothingLeft : fmt(t.itemRefundable, { amount: yuan(left) }),
      disabled: !!clash || left <= 0,
    };
  });

  const typeOptions: ChoiceOption<RefundType>[] = [
    { value: 'refund_only', label: labelOf(refundTypeLabels.refund_only, lang), help: t.typeRefundOnlyHelp },
    {
      value: 'return_and_refund',
      label: labelOf(refundTypeLabels.return_and_refund, lang),
      help: draft.goodsStatus === 'not_received' ? t.typeReturnNeedsGoods : t.typeReturnHelp,
      disabled: draft.goodsStatus === 'not_received',
    },
  ];
  const goodsOptions: ChoiceOption<GoodsChoice>[] = [
    { value: 'not_received', label: labelOf(goodsStatusLabels.not_received, lang), help: t.goodsNotReceivedHelp },
    { value: 'received', label: labelOf(goodsStatusLabels.received, lang), help: t.goodsReceivedHelp },
  ];
  const reasonOptions: ChoiceOption<ReasonCode>[] = reasons.map((r) => ({ value: r, label: labelOf(reasonLabels[r], lang), help: t[`reason_${r}`] }));

  return (
    <form
      ref={formRef}
      className="b-page"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      aria-labelledby="refund-form-title"
    >
      <PageTitle>
        <span id="refund-form-title">{refund ? t.modifyTitle : t.applyTitle}</span>
      </PageTitle>
      {order.status === 'TRADE_FINISHED' && !refund && <Notice level="info">{t.afterSaleNote}</Notice>}

      <section className="b-card">
        {refund ? (
          <>
            <div className="b-label">{t.step1}</div>
            <p className="b-fixed">{fmt(t.itemFixed, { item: itemName(refund.lineNo) })}</p>
          </>
        ) : (
          <Choice
            legend={t.step1}
            name="item"
            value={draft.lineNo === undefined ? undefined : String(draft.lineNo ?? 'all')}
            options={itemOptions}
            onChange={(v) => {
              // the amount starts as what may still be refunded for that item; the buyer may lower it
              const lineNo = v === 'all' ? null : Number(v);
              const left = refundableFen(order, lineNo);
              update({ lineNo, amountText: left > 0 ? (left / 100).toFixed(2) : '' });
            }}
            error={shown('item')}
            testId="choice-item"
          />
        )}
      </section>

      <section className="b-card">
        {unshipped ? (
          <>
            <div className="b-label">{t.step2}</div>
            <Notice level="info">{t.unshippedFixed}</Notice>
          </>
        ) : (
          <Choice legend={t.step2} name="goods" value={draft.goodsStatus} options={goodsOptions} onChange={(v) => update({ goodsStatus: v })} error={shown('goods')} testId="choice-goods" />
        )}
      </section>

      {!unshipped && (
        <section className="b-card">
          <Choice legend={t.step3} name="type" value={draft.type} options={typeOptions} onChange={(v) => update({ type: v })} error={shown('type')} testId="choice-type" />
        </section>
      )}

      <section className="b-card">
        {draft.goodsStatus ? (
          <Choice legend={t.step4} name="reason" value={draft.reason} options={reasonOptions} onChange={(v) => update({ reason: v })} error={shown('reason')} testId="choice-reason" />
        ) : (
          <>
            <div className="b-label">{t.step4}</div>
            <p className="b-hint">{t.pickGoodsFirst}</p>
          </>
        )}
      </section>

      {guides.length > 0 && (
        <section className="b-guides" aria-live="polite" data-testid="guides">
          {guides.map((g) => (
            <Notice key={g.id} level={g.level} testId={`guide-${g.id}`}>
              <p>{t[g.text]}</p>
              {(g.fix || g.accept) && (
                <div className="b-guide-actions">
                  {g.fix && (
                    <Button kind="primary" onClick={() => update(g.fix!.patch)}>
                      {t[g.fix.label]}
                    </Button>
                  )}
                  {g.accept && (
                    <label className="b-check">
                      <input type="checkbox" checked={draft.keepGoods} onChange={(e) => setDraft((d) => ({ ...d, keepGoods: e.target.checked }))} />
                      <span>
                        {t[g.accept.label]}
                        <span className="b-hint">{t[g.accept.hint]}</span>
                      </span>
                    </label>
                  )}
                </div>
              )}
            </Notice>
          ))}
        </section>
      )}

      <section className="b-card">
        <div className="b-label">{t.step5}</div>
        {refundable === null ? (
          <p className="b-hint">{t.pickItem}</p>
        ) : draft.goodsStatus === 'received' ? (
          <TextField
            label={t.amountLabel}
            hint={
              partial && refundable >= order.paidFen ? fmt(t.amountHintPartial, { paid: yuan(order.paidFen) }) : fmt(t.amountHint, { max: yuan(refundable) })
            }
            error={shown('amount')}
            inputProps={{
              inputMode: 'decimal',
              autoComplete: 'off',
              value: draft.amountText,
              onChange: (e) => setDraft((d) => ({ ...d, amountText: e.target.value })),
            }}
            suffix={
              !partial && (
                <Button kind="link" onClick={() => setDraft((d) => ({ ...d, amountText: (refundable / 100).toFixed(2) }))}>
                  {t.amountFillMax}
                </Button>
              )
            }
          />
        ) : draft.goodsStatus === 'not_received' ? (
          <>
            <p className="b-amount-full" data-testid="amount-full">
              {fmt(t.amountFull, { amount: yuan(refundable) })}
            </p>
            <p className="b-hint">{t.amountFullPartialHint}</p>
          </>
        ) : (
          <p className="b-hint">{t.pickGoodsFirst}</p>
        )}
      </section>

      <section className="b-card">
        <div className="b-label b-step">{t.step6}</div>
        <TextField
          label={t.description}
          hint={t.descriptionHint}
          error={shown('description')}
          multiline
          textareaProps={{ value: draft.description, maxLength: 500, onChange: (e) => setDraft((d) => ({ ...d, description: e.target.value })) }}
        />
        <EvidencePicker items={evidence} onChange={setEvidence} />
        {shown('evidence') && <div className="b-error">{shown('evidence')}</div>}
      </section>

      {tried && errors.guide && <Notice level="error">{errors.guide}</Notice>}
      {serverError && (
        <Notice level="error" testId="server-error">
          <p>{errorText(serverError.err, lang)}</p>
          {serverError.refundId !== undefined && (
            <a className="b-link" href={`#/refund/${serverError.refundId}`}>
              {fmt(t.refundNo, { id: serverError.refundId })} · {t.viewRefund}
            </a>
          )}
        </Notice>
      )}
      <div className="b-actions">
        <Button onClick={onCancel}>{t.cancel}</Button>
        <Button kind="primary" type="submit" busy={busy}>
          {busy ? t.submitting : refund ? t.submitModify : t.submitApply}
        </Button>
      </div>
    </form>
  );
}
