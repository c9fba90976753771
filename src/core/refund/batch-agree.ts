/**
 * Issue 15 §2: which refunds the queue's batch agree may take. Only refund-only
 * refunds (nothing comes back to check) up to the amount the supervisor set in
 * the shop settings (`batchAgreeLimitFen`, 0 = off); every one of them then
 * still passes its guards and the engine's rules as a single agree does.
 * The web app asks the same question to explain a disabled button.
 */
import type { Refund } from './refund-model.ts';

/** Why a refund is left out of a batch agree: batch agree is off, it is a return, or its amount is over the limit. */
export type BatchAgreeRefusal = 'off' | 'not_refund_only' | 'over_limit';

/** Null when the batch agree may take the refund (its guards still decide); otherwise why not. */
export function batchAgreeRefusal(refund: Pick<Refund, 'type' | 'amountFen'>, limitFen: number): BatchAgreeRefusal | null {
  if (limitFen <= 0) return 'off';
  if (refund.type !== 'refund_only') return 'not_refund_only';
  if (refund.amountFen > limitFen) return 'over_limit';
  return null;
}
