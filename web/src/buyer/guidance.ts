/**
 * The application form's rules, mirrored from the engine (src/core/refund/refund-amounts.ts,
 * refund-application.ts) so that the buyer is steered before sending, not refused after:
 * which reasons fit the goods status, which type a reason needs (S1.9, S1.10, S1.8, S3.4, S3.5),
 * and how much is still refundable (S3.2–S3.5). The server checks again; this only explains.
 */
import type { ReasonCode, RefundType } from '../../../src/core/refund/refund-model.ts';
import type { OrderDetail, Refund } from '../shared/types.ts';
import type { BuyerMessages } from './messages.ts';

export type GoodsChoice = 'not_received' | 'received';

export interface Draft {
  /** undefined: not chosen yet; null: the whole order */
  lineNo: number | null | undefined;
  goodsStatus: GoodsChoice | undefined;
  type: RefundType | undefined;
  reason: ReasonCode | undefined;
  amountText: string;
  description: string;
  /** the buyer keeps damaged/faulty/not-as-described goods with a part compensation agreed with the seller */
  keepGoods: boolean;
}

export const emptyDraft: Draft = {
  lineNo: undefined,
  goodsStatus: undefined,
  type: undefined,
  reason: undefined,
  amountText: '',
  description: '',
  keepGoods: false,
};

/** The reasons a buyer may pick, by goods status (S1.3 before shipment, S1.5 after). */
export function reasonsFor(goods: GoodsChoice | undefined, unshipped: boolean): readonly ReasonCode[] {
  if (goods === 'received') {
    return ['damaged', 'quality', 'not_as_described', 'no_reason_7d', 'unwanted', 'wrong_order', 'invoice', 'postage', 'price_difference', 'negotiated'];
  }
  if (unshipped) return ['unwanted', 'wrong_order', 'late_shipment', 'out_of_stock', 'negotiated'];
  return ['not_received', 'unwanted', 'wrong_order', 'late_shipment', 'out_of_stock', 'negotiated'];
}

/** Reasons that settle part of the price, never the whole, nothing returned (S3.5). */
export const partialOnlyReasons: readonly ReasonCode[] = ['postage', 'price_difference'];
/** Goods that arrived wrong: they go back (S1.9 damaged, S1.10 not as described, quality). */
const goodsWrongReasons: readonly ReasonCode[] = ['damaged', 'quality', 'not_as_described'];
/** Reasons that only make sense with the goods going back. */
const returnOnlyReasons: readonly ReasonCode[] = ['no_reason_7d', 'unwanted', 'wrong_order'];

type MessageKey = keyof BuyerMessages;

export interface Guide {
  /** block: cannot be sent as it is; warn: likely refused, may be confirmed; info: explanation */
  level: 'block' | 'warn' | 'info';
  text: MessageKey;
  /** the switch that fixes it */
  fix?: { label: MessageKey; patch: Partial<Draft> };
  /** a warning the buyer may accept by ticking this */
  accept?: { label: MessageKey; hint: MessageKey };
  id: string;
}

/** What the form says about the current choices: explanations, and the wrong pairs to steer away from. */
export function guidesFor(draft: Draft, order: Pick<OrderDetail, 'shipment' | 'status'>): Guide[] {
  const guides: Guide[] = [];
  const { goodsStatus: goods, type, reason } = draft;
  if (goods === 'not_received' && type === 'return_and_refund') {
    // TYPE_GOODS_MISMATCH (S3.4)
    guides.push({ id: 'type-goods', level: 'block', text: 'typeReturnNeedsGoods', fix: { label: 'guideSwitchToRefundOnly', patch: { type: 'refund_only' } } });
  }
  if (goods === 'received' && type === 'refund_only' && reason && goodsWrongReasons.includes(reason)) {
    const text: MessageKey =
      reason === 'damaged' ? 'guideNeedsReturnDamaged' : reason === 'quality' ? 'guideNeedsReturnQuality' : 'guideNeedsReturnNotAsDescribed';
    guides.push({
      id: 's1.9',
      level: 'warn',
      text,
      fix: { label: 'guideSwitchToReturn', patch: { type: 'return_and_refund', keepGoods: false } },
      accept: { label: 'guideKeepGoods', hint: 'guideKeepGoodsHint' },
    });
  }
  if (goods === 'received' && type === 'refund_only' && reason && returnOnlyReasons.includes(reason)) {
    guides.push({
      id: 'needs-return',
      level: 'block',
      text: reason === 'no_reason_7d' ? 'guideNoReasonNeedsReturn' : 'guideUnwantedNeedsReturn',
      fix: { label: 'guideSwitchToReturn', patch: { type: 'return_and_refund' } },
    });
  }
  if (type === 'return_and_refund' && reason && partialOnlyReasons.includes(reason)) {
    // TYPE_GOODS_MISMATCH (S3.5)
    guides.push({ id: 'partial-no-return', level: 'block', text: 'guidePartialNoReturn', fix: { label: 'guideSwitchToRefundOnly', patch: { type: 'refund_only' } } });
  }
  if (reason === 'invoice') guides.push({ id: 's1.8', level: 'info', text: 'guideInvoice' });
  if (reason === 'no_reason_7d' && type !== 'refund_only') guides.push({ id: '7d', level: 'info', text: 'guideNoReason7d' });
  if (goods === 'not_received' && reason === 'not_received' && order.shipment) guides.push({ id: 's1.6', level: 'info', text: 'guideNotReceivedShipped' });
  if (type === 'return_and_refund' && goods === 'received' && !guides.some((g) => g.level === 'block')) {
    guides.push({ id: 's3.4', level: 'info', text: 'guideReturnNext' });
  }
  return guides;
}

/** Whether a guide stops the form from being sent. */
export function guideStops(guide: Guide, draft: Draft): boolean {
  if (guide.level === 'block') return true;
  if (guide.level === 'warn') return !(guide.accept && draft.keepGoods);
  return false;
}

const openStatuses: readonly Refund['status'][] = ['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER'];
export const isOpen = (r: Pick<Refund, 'status'>) => openStatuses.includes(r.status);

/** Refunds that hold money: paid out, or still open (the engine's committedFen). */
function committedFen(refunds: readonly Refund[], lineNo?: number): number {
  let total = 0;
  for (const r of refunds) {
    if (r.status !== 'SUCCESS' && !isOpen(r)) continue;
    if (lineNo !== undefined && r.lineNo !== lineNo) continue;
    total += r.amountFen;
  }
  return total;
}

/** What is still refundable on the order, or on one of its lines; `except` is the refund being modified. */
export function refundableFen(order: Pick<OrderDetail, 'paidFen' | 'lines' | 'refunds'>, lineNo: number | null, except?: number): number {
  const siblings = order.refunds.filter((r) => r.id !== except);
  let available = order.paidFen - committedFen(siblings);
  if (lineNo !== null) {
    const line = order.lines.find((l) => l.lineNo === lineNo);
    if (!line) return 0;
    // issue 13 §7: a line gives back at most its share of what was paid (after discounts), as the server caps it
    available = Math.min(available, line.paidFen - committedFen(siblings, lineNo));
  }
  return Math.max(available, 0);
}

/** An open refund that a new application on this scope would clash with (REFUND_ALREADY_OPEN). */
export function clashingRefund(order: Pick<OrderDetail, 'refunds'>, lineNo: number | null, except?: number): Refund | undefined {
  return order.refunds.find((r) => r.id !== except && isOpen(r) && (lineNo === null || r.lineNo === null || r.lineNo === lineNo));
}

/** Whether the buyer can apply for anything on this order now, and if not, why. */
export function applyBlocker(order: OrderDetail): MessageKey | null {
  if (!order.escrow) return 'cannotApplyEscrow';
  if (order.status === 'TRADE_CLOSED') return 'cannotApplyClosed';
  const scopes: (number | null)[] = [null, ...order.lines.map((l) => l.lineNo)];
  const possible = scopes.filter((s) => !clashingRefund(order, s));
  if (possible.length === 0) return 'openRefundExists';
  if (possible.every((s) => refundableFen(order, s) <= 0)) return 'cannotApplyNothingLeft';
  return null;
}
