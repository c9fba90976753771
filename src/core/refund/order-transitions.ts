/** What happens to a trade: shipped, signed for, confirmed, closed (S2.2, S2.3, S3.6). */
import { AppError } from '../errors.ts';
import { sumFen } from '../money.ts';
import { isOpenStatus, type Order, type Refund, type TradeStatus } from './refund-model.ts';

export type OrderAction = 'ship' | 'sign' | 'confirm' | 'close';

function stateError(order: Order, action: OrderAction, why: string): AppError {
  return new AppError('ORDER_STATE', `Order ${order.orderNo} (${order.status}) cannot be ${why}.`, {
    action,
    status: order.status,
  });
}

/** How the seller came to ship while a refund was pending (S2.2 / S2.3). */
export type ShipBasis = 'already_shipped' | 'buyer_agreed';

export interface ShipResult {
  order: Order;
  /** the pending refunds that shipping closes, and the reason recorded on each */
  closesRefunds: { refundId: number; note: string }[];
  warnings: { code: string; message: string }[];
}

/** S2.2/S2.3: marking the order shipped closes its pending pre-shipment refunds. */
export function shipOrder(options: {
  order: Order;
  refunds: readonly Refund[];
  courier: string;
  trackingNo: string;
  basis: ShipBasis | undefined;
  now: Date;
}): ShipResult {
  const { order, refunds, now, basis } = options;
  if (order.status !== 'WAIT_SELLER_SEND_GOODS') throw stateError(order, 'ship', 'marked shipped: it is not waiting to be shipped');
  const pending = refunds.filter((r) => r.status === 'WAIT_SELLER_AGREE');
  const note =
    basis === 'already_shipped'
      ? 'S2.2: the goods had already left; the seller marked the order shipped (卖家已发货)'
      : basis === 'buyer_agreed'
        ? 'S2.3: the buyer agreed to receive the goods; the seller shipped (卖家已发货)'
        : 'S2.3: the seller shipped without the buyer\'s recorded consent (卖家已发货)';
  const warnings =
    pending.length > 0 && basis === undefined
      ? [
          {
            code: 'SHIPPED_WITHOUT_BUYER_CONSENT',
            message:
              'S2.3: a refund was pending and the buyer\'s consent to shipping is not recorded. If the buyer refuses the parcel and applies again, the consequences are the seller\'s. Keep the chat that shows the buyer agreed.',
          },
        ]
      : [];
  return {
    order: {
      ...order,
      status: 'WAIT_BUYER_CONFIRM_GOODS',
      shipment: { courier: options.courier.trim(), trackingNo: options.trackingNo.trim(), shippedAt: now, signedAt: null },
      updatedAt: now,
      version: order.version + 1,
    },
    closesRefunds: pending.map((r) => ({ refundId: r.id, note })),
    warnings,
  };
}

/** The courier reports the parcel signed for (签收). */
export function signOrder(order: Order, now: Date, signedAt?: Date): Order {
  if (!order.shipment || order.status === 'WAIT_SELLER_SEND_GOODS') throw stateError(order, 'sign', 'signed for: it was not shipped');
  if (order.shipment.signedAt) throw stateError(order, 'sign', 'signed for again: it already was');
  const at = signedAt ?? now;
  if (at < order.shipment.shippedAt) {
    throw new AppError('VALIDATION_FAILED', 'The sign time cannot be before the order was shipped.', { signedAt: at.toISOString() });
  }
  return { ...order, shipment: { ...order.shipment, signedAt: at }, updatedAt: now, version: order.version + 1 };
}

/** The buyer confirms receipt (确认收货) → TRADE_FINISHED. S3.6: not while an on-sale refund is open. */
export function confirmOrder(order: Order, refunds: readonly Refund[], now: Date): Order {
  if (order.status !== 'WAIT_BUYER_CONFIRM_GOODS') throw stateError(order, 'confirm', 'confirmed: it is not waiting for the buyer');
  const open = refunds.find((r) => isOpenStatus(r.status));
  if (open) {
    throw new AppError(
      'ORDER_HAS_OPEN_REFUND',
      'S3.6: a buyer who wants a refund must not confirm receipt. Withdraw the open refund first; after the trade succeeds, refunds go the after-sale route.',
      { refundId: open.id },
    );
  }
  return { ...order, status: 'TRADE_FINISHED', finishedAt: now, updatedAt: now, version: order.version + 1 };
}

/** The seller (or platform) closes a trade that has no open refund. */
export function closeOrder(order: Order, refunds: readonly Refund[], now: Date): Order {
  if (order.status === 'TRADE_CLOSED' || order.status === 'TRADE_FINISHED') throw stateError(order, 'close', 'closed');
  const open = refunds.find((r) => isOpenStatus(r.status));
  if (open) {
    throw new AppError('ORDER_HAS_OPEN_REFUND', 'The order has an open refund; settle it before closing the trade.', { refundId: open.id });
  }
  return { ...order, status: 'TRADE_CLOSED', updatedAt: now, version: order.version + 1 };
}

/**
 * After a refund succeeded: a trade not yet finished whose whole payment went
 * back is closed (TOP closes it); a finished trade stays finished.
 */
export function tradeStatusAfterRefund(order: Order, refunds: readonly Refund[]): TradeStatus {
  if (order.status === 'TRADE_FINISHED' || order.status === 'TRADE_CLOSED') return order.status;
  const refunded = sumFen(refunds.filter((r) => r.status === 'SUCCESS').map((r) => r.amountFen));
  return refunded >= order.paidFen ? 'TRADE_CLOSED' : order.status;
}
