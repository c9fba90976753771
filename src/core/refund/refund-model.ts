/** The refund and order model, with the TOP (Taobao Open Platform) names. */
import type { Fen } from '../money.ts';

export const tradeStatuses = [
  /** paid, the seller has not marked it shipped */
  'WAIT_SELLER_SEND_GOODS',
  /** shipped, the buyer has not confirmed receipt */
  'WAIT_BUYER_CONFIRM_GOODS',
  /** the buyer confirmed receipt (交易成功); new refunds are after-sale (S3.6) */
  'TRADE_FINISHED',
  /** closed: refunded in full before finishing, or closed by the seller */
  'TRADE_CLOSED',
] as const;
export type TradeStatus = (typeof tradeStatuses)[number];

export const refundStatuses = [
  /** the buyer applied; the seller is to answer */
  'WAIT_SELLER_AGREE',
  /** the seller agreed a return; the buyer is to send the goods back */
  'WAIT_BUYER_RETURN_GOODS',
  /** the buyer sent the goods back; the seller is to confirm receipt */
  'WAIT_SELLER_CONFIRM_GOODS',
  /** the seller refused; the buyer may modify, withdraw or ask for intervention */
  'SELLER_REFUSE_BUYER',
  /** closed without paying out (withdrawn, timed out, closed by shipment, rejected) */
  'CLOSED',
  /** paid out to the buyer */
  'SUCCESS',
] as const;
export type RefundStatus = (typeof refundStatuses)[number];

export const terminalRefundStatuses: readonly RefundStatus[] = ['CLOSED', 'SUCCESS'];
export const openRefundStatuses: readonly RefundStatus[] = refundStatuses.filter(
  (s) => !terminalRefundStatuses.includes(s),
);
export function isOpenStatus(status: RefundStatus): boolean {
  return !terminalRefundStatuses.includes(status);
}

export const refundTypes = [
  /** 仅退款: money back, nothing returned */
  'refund_only',
  /** 退货退款: the goods go back, then the money */
  'return_and_refund',
] as const;
export type RefundType = (typeof refundTypes)[number];

export const goodsStatuses = ['not_received', 'received', 'returned'] as const;
export type GoodsStatus = (typeof goodsStatuses)[number];

export const refundPhases = ['on_sale', 'after_sale'] as const;
export type RefundPhase = (typeof refundPhases)[number];

export const reasonCodes = [
  'no_reason_7d',
  'not_as_described',
  'quality',
  'damaged',
  'postage',
  'not_received',
  'invoice',
  'unwanted',
  'wrong_order',
  'late_shipment',
  'out_of_stock',
  'negotiated',
  'price_difference',
  /** a platform reason shouhou has no code for (its text is kept as written) */
  'other',
] as const;
export type ReasonCode = (typeof reasonCodes)[number];

export const interventionStates = ['none', 'requested', 'decided'] as const;
export type InterventionState = (typeof interventionStates)[number];
export type InterventionOutcome = 'refund' | 'reject';

export const deadlineKinds = [
  /** the seller is to answer the application; on expiry it is agreed automatically */
  'seller_answer',
  /** the buyer is to ship the return; on expiry the refund closes */
  'buyer_return',
  /** the seller is to confirm the returned goods; on expiry the refund is paid */
  'seller_confirm',
  /** after a refusal the buyer is to modify or ask for intervention; on expiry the refund closes */
  'buyer_after_refusal',
  /** the platform is to decide an intervention (S2.8); passing it changes nothing, it is overdue */
  'platform_decision',
] as const;
export type DeadlineKind = (typeof deadlineKinds)[number];

export type DeadlineEffect = 'auto_agree' | 'close' | 'auto_refund' | 'none';
export const deadlineEffects = {
  seller_answer: 'auto_agree',
  buyer_return: 'close',
  seller_confirm: 'auto_refund',
  buyer_after_refusal: 'close',
  platform_decision: 'none',
} as const satisfies Record<DeadlineKind, DeadlineEffect>;

export interface Deadline {
  kind: DeadlineKind;
  /** UTC instant; null when it could not be computed (see `problem`) */
  at: Date | null;
  effect: DeadlineEffect;
  /** why `at` is unknown, e.g. CALENDAR_OUT_OF_RANGE */
  problem: { code: string; message: string } | null;
}

export interface Address {
  province: string;
  city: string;
  district: string;
  detail: string;
}

export interface OrderLine {
  lineNo: number;
  sku: string;
  title: string;
  style: string;
  size: string;
  unitPriceFen: Fen;
  quantity: number;
  /**
   * The line's share of what was paid, after discounts (TOP divide_order_fee, a report's line
   * payment, or shared from the order by value when the order was created): the most a refund of
   * this line may take. Absent or null: not known, shared at need (refund-amounts.ts, lineCapsFen).
   */
  paidFen?: Fen | null | undefined;
}

export interface Shipment {
  courier: string;
  trackingNo: string;
  shippedAt: Date;
  signedAt: Date | null;
}

export interface Order {
  id: number;
  shopId: number;
  orderNo: string;
  buyer: { nick: string; name: string; phone: string; address: Address };
  lines: OrderLine[];
  paidFen: Fen;
  postageFen: Fen;
  escrow: boolean;
  status: TradeStatus;
  shipment: Shipment | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  version: number;
}

export interface Refund {
  id: number;
  shopId: number;
  orderNo: string;
  lineNo: number | null;
  type: RefundType;
  goodsStatus: GoodsStatus;
  phase: RefundPhase;
  reason: ReasonCode;
  amountFen: Fen;
  description: string;
  evidence: string[];
  status: RefundStatus;
  intervention: {
    state: InterventionState;
    requestedAt: Date | null;
    outcome: InterventionOutcome | null;
    decidedAt: Date | null;
    note: string | null;
  };
  returnAddress: string | null;
  returnShipment: { courier: string; trackingNo: string; shippedAt: Date } | null;
  refusal: { reason: string; evidence: string[]; at: Date } | null;
  deadline: Deadline | null;
  closeReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  /**
   * A refund of a platform (Taobao/Tmall): the platform owns its status and its timeouts; shouhou
   * runs the shop's SOP on it and sends the seller's decisions back (absent or null: shouhou's own).
   */
  platform?: PlatformRefundState | null;
}

export const syncStates = [
  /** a decision is on its way to the platform */
  'pending',
  /** the platform took the last decision */
  'synced',
  /** the platform refused the last decision (its words in `message`) */
  'failed',
] as const;
export type SyncState = (typeof syncStates)[number];

export interface PlatformRefundState {
  refundId: string;
  /** the platform's own status word */
  status: string | null;
  /** the platform's version of the refund (TOP refund_version), decimal text */
  version: string | null;
  modifiedAt: Date | null;
  /** the platform's deadline of the current step (TOP refund_remind_timeout) */
  timeout: { at: Date; kind: string | null } | null;
  /** the reason as the platform wrote it */
  reasonText: string | null;
  sync: { state: SyncState; message: string | null } | null;
}

/** A line's list price: its price × quantity (its cap in refunds is its paid share, lineCapsFen). */
export function lineTotalFen(line: OrderLine): Fen {
  return line.unitPriceFen * line.quantity;
}
