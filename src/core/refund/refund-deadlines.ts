/** The current deadline of a refund: what happens when it passes, and when (S2.6, S2.8). */
import { addWorkingDays, type WorkingCalendar } from '../calendar/working-days.ts';
import { isAppError } from '../errors.ts';
import type { ShopSettings } from '../shop-settings.ts';
import { deadlineEffects, type Deadline, type DeadlineKind, type Order, type Refund } from './refund-model.ts';

const HOUR_MS = 3_600_000;

function after(from: Date, hours: number): Date {
  return new Date(from.getTime() + hours * HOUR_MS);
}

function deadline(kind: DeadlineKind, at: Date | null, problem: Deadline['problem'] = null): Deadline {
  return { kind, at, effect: deadlineEffects[kind], problem };
}

/** True when the seller had not marked the order shipped (S2.1). */
export function isUnshipped(order: Pick<Order, 'status' | 'shipment'>): boolean {
  return order.shipment === null;
}

/** How long the seller has to answer an application, and why. */
export function sellerAnswerHours(refund: Pick<Refund, 'goodsStatus'>, order: Order, settings: ShopSettings): number {
  if (isUnshipped(order)) return settings.sellerAnswerUnshippedHours;
  // S2.6: in a shop with 7-day no-reason returns, whenever the buyer says the goods
  // were received, whatever the reason, the seller answers within 3 days.
  if (refund.goodsStatus !== 'not_received' && settings.offersNoReasonReturns) return settings.sellerAnswerReceivedHours;
  return settings.sellerAnswerShippedHours;
}

/**
 * The deadline that starts at `from` for a refund now in its current status.
 * Terminal refunds have none.
 */
export function computeDeadline(options: {
  refund: Refund;
  order: Order;
  settings: ShopSettings;
  calendar: WorkingCalendar;
  from: Date;
}): Deadline | null {
  const { refund, order, settings, calendar, from } = options;
  switch (refund.status) {
    case 'WAIT_SELLER_AGREE':
      return deadline('seller_answer', after(from, sellerAnswerHours(refund, order, settings)));
    case 'WAIT_BUYER_RETURN_GOODS':
      return deadline('buyer_return', after(from, settings.buyerReturnHours));
    case 'WAIT_SELLER_CONFIRM_GOODS':
      return deadline('seller_confirm', after(from, settings.sellerConfirmHours));
    case 'SELLER_REFUSE_BUYER':
      if (refund.intervention.state === 'requested') {
        try {
          return deadline('platform_decision', addWorkingDays(calendar, from, settings.platformDecisionWorkingDays));
        } catch (e) {
          if (isAppError(e) && e.code === 'CALENDAR_OUT_OF_RANGE') {
            return deadline('platform_decision', null, { code: e.code, message: e.message });
          }
          throw e;
        }
      }
      return deadline('buyer_after_refusal', after(from, settings.buyerAfterRefusalHours));
    case 'CLOSED':
    case 'SUCCESS':
      return null;
  }
}
