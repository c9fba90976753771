/** The buyer applies for a refund (S3): what the new refund looks like, or why it cannot be. */
import type { WorkingCalendar } from '../calendar/working-days.ts';
import { AppError } from '../errors.ts';
import type { Fen } from '../money.ts';
import type { ShopSettings } from '../shop-settings.ts';
import { checkRefundShape, resolveRefundAmount } from './refund-amounts.ts';
import { computeDeadline } from './refund-deadlines.ts';
import { isOpenStatus, type GoodsStatus, type Order, type ReasonCode, type Refund, type RefundType } from './refund-model.ts';

export interface RefundApplication {
  lineNo: number | null;
  type: RefundType;
  goodsStatus: Exclude<GoodsStatus, 'returned'>;
  reason: ReasonCode;
  amountFen?: Fen | undefined;
  description: string;
  evidence: string[];
}

/** The new refund, without its id (the database gives it). */
export function applyForRefund(options: {
  order: Order;
  /** every refund of the order so far */
  refunds: readonly Refund[];
  application: RefundApplication;
  settings: ShopSettings;
  calendar: WorkingCalendar;
  now: Date;
}): Omit<Refund, 'id'> {
  const { order, refunds, application: a, settings, calendar, now } = options;
  if (!order.escrow) {
    throw new AppError('NOT_ESCROW', 'S3.1: only escrow trades (支付宝担保交易) can be refunded online.', { orderNo: order.orderNo });
  }
  if (order.status === 'TRADE_CLOSED') {
    throw new AppError('ORDER_CLOSED', 'The trade is closed; no refund can be applied for.', { orderNo: order.orderNo });
  }
  if (a.lineNo !== null && !order.lines.some((l) => l.lineNo === a.lineNo)) {
    throw new AppError('NOT_FOUND', `Order ${order.orderNo} has no line ${a.lineNo}.`, { lineNo: a.lineNo });
  }
  const clash = refunds.find(
    (r) => isOpenStatus(r.status) && (a.lineNo === null || r.lineNo === null || r.lineNo === a.lineNo),
  );
  if (clash) {
    throw new AppError('REFUND_ALREADY_OPEN', `Refund ${clash.id} is still open on this order${clash.lineNo ? ` (line ${clash.lineNo})` : ''}; modify it instead.`, {
      refundId: clash.id,
    });
  }
  checkRefundShape({ order, type: a.type, goodsStatus: a.goodsStatus, reason: a.reason });
  const amountFen = resolveRefundAmount({
    order,
    siblings: refunds,
    lineNo: a.lineNo,
    goodsStatus: a.goodsStatus,
    reason: a.reason,
    requestedFen: a.amountFen,
  });
  const refund: Omit<Refund, 'id'> = {
    shopId: order.shopId,
    orderNo: order.orderNo,
    lineNo: a.lineNo,
    type: a.type,
    goodsStatus: a.goodsStatus,
    // S3.6: after the trade succeeded, a new refund is an after-sale refund (售后)
    phase: order.status === 'TRADE_FINISHED' ? 'after_sale' : 'on_sale',
    reason: a.reason,
    amountFen,
    description: a.description.trim(),
    evidence: a.evidence,
    status: 'WAIT_SELLER_AGREE',
    intervention: { state: 'none', requestedAt: null, outcome: null, decidedAt: null, note: null },
    returnAddress: null,
    returnShipment: null,
    refusal: null,
    deadline: null,
    closeReason: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  refund.deadline = computeDeadline({ refund: { ...refund, id: 0 }, order, settings, calendar, from: now });
  return refund;
}
