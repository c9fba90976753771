/** What a refund may ask for: the shape rules of S3 and the amount cap. */
import { AppError } from '../errors.ts';
import { formatYuan, shareByWeight, sumFen, type Fen } from '../money.ts';
import { isUnshipped } from './refund-deadlines.ts';
import {
  isOpenStatus,
  lineTotalFen,
  type GoodsStatus,
  type Order,
  type OrderLine,
  type ReasonCode,
  type Refund,
  type RefundType,
} from './refund-model.ts';

/** Reasons that settle part of the price, never the whole order (S3.5). */
const partialOnlyReasons: readonly ReasonCode[] = ['postage', 'price_difference'];

/** Refunds that hold money: paid out, or still open. */
export function committedFen(refunds: readonly Pick<Refund, 'status' | 'amountFen' | 'lineNo'>[], lineNo?: number): Fen {
  let total = 0;
  for (const r of refunds) {
    if (r.status !== 'SUCCESS' && !isOpenStatus(r.status)) continue;
    if (lineNo !== undefined && r.lineNo !== lineNo) continue;
    total += r.amountFen;
  }
  return total;
}

/**
 * What was paid for the goods: the order's payment less its postage (the platform's lines'
 * divide_order_fee add up to it), never more than the lines' list prices.
 */
export function goodsPaidFen(order: Pick<Order, 'lines' | 'paidFen' | 'postageFen'>): Fen {
  const listed = sumFen(order.lines.map(lineTotalFen));
  return Math.min(Math.max(order.paidFen - order.postageFen, 0), listed);
}

/**
 * Issue 13 §7: what each line may give back at most, by line number: its share of what was paid,
 * not its list price (a discount or coupon lowers every line). A line whose paid share is known
 * (TOP divide_order_fee, the report's line payment, the API's paidFen) keeps it, within its list
 * price; the lines that have none share the rest of goodsPaidFen by list value, largest remainder.
 * The caps never exceed a line's list price; with no share known they add up to goodsPaidFen
 * exactly. The order's own cap (paidFen, the postage included) still applies on top.
 */
export function lineCapsFen(order: Pick<Order, 'lines' | 'paidFen' | 'postageFen'>): Map<number, Fen> {
  const caps = new Map<number, Fen>();
  const known = (l: OrderLine) => l.paidFen !== null && l.paidFen !== undefined;
  for (const l of order.lines) if (known(l)) caps.set(l.lineNo, Math.min(Math.max(l.paidFen!, 0), lineTotalFen(l)));
  const unknown = order.lines.filter((l) => !known(l));
  if (unknown.length > 0) {
    const rest = goodsPaidFen(order) - sumFen([...caps.values()]);
    const room = sumFen(unknown.map(lineTotalFen));
    const shares = shareByWeight(Math.min(Math.max(rest, 0), room), unknown.map(lineTotalFen));
    unknown.forEach((l, i) => caps.set(l.lineNo, shares[i] ?? 0));
  }
  return caps;
}

/** Checks that type, goods status and reason fit the order (S1.4, S3.2–S3.5). */
export function checkRefundShape(options: {
  order: Order;
  type: RefundType;
  goodsStatus: GoodsStatus;
  reason: ReasonCode;
}): void {
  const { order, type, goodsStatus, reason } = options;
  if (isUnshipped(order) && (goodsStatus !== 'not_received' || type !== 'refund_only')) {
    throw new AppError(
      'TYPE_GOODS_MISMATCH',
      'The order has not been shipped: only a refund-only (仅退款) of goods not received can be applied for.',
      { type, goodsStatus },
    );
  }
  if (type === 'return_and_refund' && goodsStatus === 'not_received') {
    throw new AppError('TYPE_GOODS_MISMATCH', 'S3.4: a return (退货退款) is for goods the buyer received; choose refund-only (仅退款) for goods not received.', {
      type,
      goodsStatus,
    });
  }
  if (partialOnlyReasons.includes(reason) && type !== 'refund_only') {
    throw new AppError('TYPE_GOODS_MISMATCH', 'S3.5: a postage or price-difference refund is a partial refund-only (仅退款); nothing is returned.', {
      type,
      reason,
    });
  }
}

/**
 * The amount of a refund: S3.2 not received → the full amount still
 * refundable; S3.3/S3.4 received → the amount asked, partial allowed; S3.5 a
 * postage or price-difference refund is partial. Never more than what is still
 * refundable: paid minus what other refunds paid out or hold open (and, for an
 * order line, that line's paid share, lineCapsFen, minus the same for the line).
 */
export function resolveRefundAmount(options: {
  order: Order;
  /** the other refunds of the order (not the one being changed) */
  siblings: readonly Refund[];
  lineNo: number | null;
  goodsStatus: GoodsStatus;
  reason: ReasonCode;
  requestedFen: Fen | undefined;
}): Fen {
  const { order, siblings, lineNo, goodsStatus, reason, requestedFen } = options;
  const orderLeft = order.paidFen - committedFen(siblings);
  let available = orderLeft;
  let lineCap: Fen | null = null;
  if (lineNo !== null) {
    const line = order.lines.find((l) => l.lineNo === lineNo);
    if (!line) throw new AppError('NOT_FOUND', `Order ${order.orderNo} has no line ${lineNo}.`, { lineNo });
    lineCap = lineCapsFen(order).get(lineNo) ?? 0;
    available = Math.min(available, lineCap - committedFen(siblings, lineNo));
  }
  const capDetails = {
    paidFen: order.paidFen,
    committedFen: order.paidFen - orderLeft,
    availableFen: Math.max(available, 0),
    ...(lineCap !== null ? { lineCapFen: lineCap } : {}),
  };
  if (available <= 0) {
    throw new AppError('AMOUNT_OVER_CAP', 'Nothing is left to refund on this order: its refunds already hold what was paid.', capDetails);
  }
  if (requestedFen !== undefined && (!Number.isSafeInteger(requestedFen) || requestedFen <= 0)) {
    throw new AppError('VALIDATION_FAILED', 'The amount must be a positive whole number of fen (分).', { amountFen: requestedFen });
  }
  if (requestedFen !== undefined && requestedFen > available) {
    throw new AppError(
      'AMOUNT_OVER_CAP',
      `The amount ${formatYuan(requestedFen)} yuan is more than the ${formatYuan(available)} yuan still refundable on this order.`,
      { ...capDetails, requestedFen },
    );
  }
  if (goodsStatus === 'not_received') {
    if (partialOnlyReasons.includes(reason) || (requestedFen !== undefined && requestedFen !== available)) {
      throw new AppError(
        'PARTIAL_REFUND_NEEDS_RECEIPT',
        'S3.2: goods not received are refunded in full; for an agreed partial refund (postage, price difference) apply after receiving the goods.',
        { ...capDetails, requestedFen: requestedFen ?? null },
      );
    }
    return available;
  }
  if (requestedFen === undefined) {
    throw new AppError('VALIDATION_FAILED', 'S3.3/S3.4: a refund of received goods needs the amount asked (amountFen).', {
      field: 'amountFen',
    });
  }
  if (partialOnlyReasons.includes(reason) && requestedFen >= order.paidFen) {
    throw new AppError('VALIDATION_FAILED', 'S3.5: a postage or price-difference refund is a partial refund: less than what was paid.', {
      requestedFen,
      paidFen: order.paidFen,
    });
  }
  return requestedFen;
}
