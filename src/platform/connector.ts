/**
 * A sales platform as shouhou sees it: orders and refunds in shouhou's own
 * vocabulary, the messages that say one changed, and the seller's decisions
 * to send back. One adapter per platform implements it (Taobao/Tmall today,
 * through TOP and TMC); nothing above an adapter sees a platform's field names.
 */
import type { Address, GoodsStatus, ReasonCode, RefundPhase, RefundStatus, RefundType, TradeStatus } from '../core/refund/refund-model.ts';

export const platformNames = ['taobao', 'tmall'] as const;
export type PlatformName = (typeof platformNames)[number];

export interface PlatformOrderLine {
  /** the platform's id of the line (TOP oid), decimal text: ids exceed 2^53 */
  platformLineId: string;
  /** the merchant's SKU code (outer_sku_id, else outer_iid, else the platform's sku id) */
  sku: string;
  title: string;
  /** the product's style, when the platform says it (else ''; shouhou's product table knows it by SKU) */
  style: string;
  /** the size or variant read from the SKU's properties (尺码:37 → "37"), else '' */
  size: string;
  /** the SKU's properties as written (`颜色:黑色;尺码:37`) */
  properties: string;
  unitPriceFen: number;
  quantity: number;
  /** the line's share of what the buyer paid, after discounts (divide_order_fee / payment); null when unknown */
  paidFen: number | null;
  /** the outgoing parcel of this line, when shipped separately */
  courier: string | null;
  trackingNo: string | null;
}

export interface PlatformOrder {
  /** the platform's order id (TOP tid), decimal text; it is shouhou's order number too */
  platformOrderId: string;
  /** null: not paid yet (nothing for after-sales; not stored) */
  status: TradeStatus | null;
  /** the platform's own status word, for the record */
  platformStatus: string;
  buyer: { nick: string; name: string; phone: string; address: Address };
  lines: PlatformOrderLine[];
  paidFen: number;
  postageFen: number;
  shipment: { courier: string; trackingNo: string; shippedAt: Date; signedAt: Date | null } | null;
  createdAt: Date;
  paidAt: Date | null;
  /** when the platform last changed it: a snapshot applies only if newer than what shouhou holds */
  modifiedAt: Date;
  finishedAt: Date | null;
  /** the seller's remark on the platform (旗帜 0–5) */
  sellerMemo: { text: string; flag: number } | null;
}

export interface PlatformRefund {
  /** the platform's refund id (TOP refund_id), decimal text */
  platformRefundId: string;
  platformOrderId: string;
  /** the line it is for; null for the whole order */
  platformLineId: string | null;
  status: RefundStatus;
  platformStatus: string;
  type: RefundType;
  goodsStatus: GoodsStatus;
  phase: RefundPhase;
  reason: ReasonCode;
  /** the reason as the platform wrote it (七天无理由退换货 …) */
  reasonText: string;
  description: string;
  amountFen: number;
  buyerNick: string;
  /** the buyer's return parcel, once entered */
  returnShipment: { courier: string; trackingNo: string } | null;
  /** the return address the seller gave, as text */
  returnAddress: string | null;
  /** TOP refund_version: raised at every change, sent back with the seller's actions (decimal text); null when the
   * source does not give it (a spreadsheet exported from the platform) */
  platformVersion: string | null;
  createdAt: Date;
  modifiedAt: Date;
  /** the platform's own deadline of the current step (refund_remind_timeout), when there is one */
  platformTimeout: { at: Date; kind: string } | null;
  /** customer-service intervention (客服介入) as far as the platform tells */
  intervention: { state: 'none' | 'requested' | 'decided'; outcome: 'refund' | 'reject' | null };
}

/** A change notice from the platform's message service (TMC): it names what changed, re-read it. */
export interface PlatformMessage {
  /** the message id to confirm (decimal text) */
  id: string;
  topic: string;
  kind: 'refund' | 'order' | 'unknown';
  platformRefundId: string | null;
  platformOrderId: string | null;
  /** when the platform published it */
  publishedAt: Date | null;
  /** the raw content, for a sync problem when it cannot be used */
  raw: string;
  /** why it cannot be used (unknown topic, content that does not parse); null when it can */
  problem: string | null;
}

/** A seller's decision for the platform, in shouhou's words. */
export type PlatformCommand =
  | { kind: 'agree_refund'; platformRefundId: string; platformVersion: string; phase: RefundPhase; amountFen: number }
  | {
      kind: 'agree_return';
      platformRefundId: string;
      platformVersion: string;
      phase: RefundPhase;
      /** the return address: consignee, phone and address text */
      address: { name: string; phone: string; address: string };
      remark: string;
      /** who pays the return postage */
      postageBy: 'buyer' | 'seller';
    }
  | {
      kind: 'refuse';
      platformRefundId: string;
      platformVersion: string;
      phase: RefundPhase;
      /** 2–200 characters */
      message: string;
      /** the proof image (required on Tmall) */
      proof: { bytes: Buffer; contentType: string; fileName: string } | null;
      /** a reason id from the platform's list, when chosen */
      reasonId: string | null;
    }
  | { kind: 'memo'; platformOrderId: string; text: string; flag: number }
  | { kind: 'message'; platformRefundId: string; text: string; image: { bytes: Buffer; contentType: string; fileName: string } | null };

export interface ParcelTrace {
  courier: string;
  trackingNo: string;
  status: string;
  steps: { at: Date | null; text: string; action: string }[];
}

export interface ModifiedWindow {
  from: Date;
  to: Date;
}

/**
 * A record the platform sent that shouhou cannot apply (an unknown status, an amount that is
 * not one): the adapter names the problem; the caller files it as a sync problem and goes on.
 */
export interface Unreadable {
  unreadable: true;
  /** the platform's id of the record, when it could be read */
  platformId: string | null;
  problem: string;
  /** the record as received, for the sync problem (the caller masks personal data) */
  raw: unknown;
}

export function isUnreadable(x: unknown): x is Unreadable {
  return typeof x === 'object' && x !== null && (x as { unreadable?: unknown }).unreadable === true;
}

export interface Page<T> {
  items: (T | Unreadable)[];
  hasNext: boolean;
}

/** One adapter per platform and binding (app key, secret, session key of one shop). */
export interface PlatformConnector {
  readonly platform: PlatformName;
  /** a cheap authenticated call: the seller's nick when the binding works */
  testConnection(): Promise<{ ok: true }>;
  /** orders changed within the window, one page (1-based); partial: getOrder fills them in */
  listOrdersModified(window: ModifiedWindow, page: number): Promise<Page<{ platformOrderId: string; modifiedAt: Date }>>;
  getOrder(platformOrderId: string): Promise<PlatformOrder | Unreadable | null>;
  /** refunds changed within the window, one page (1-based) */
  listRefundsModified(window: ModifiedWindow, page: number): Promise<Page<{ platformRefundId: string; modifiedAt: Date }>>;
  getRefund(platformRefundId: string): Promise<PlatformRefund | Unreadable | null>;
  /** change notices waiting (at most `max`); unconfirmed ones come again */
  consume(max: number): Promise<PlatformMessage[]>;
  confirm(messageIds: string[]): Promise<void>;
  /** sends one decision; throws PlatformError when the platform refuses or cannot be reached */
  push(command: PlatformCommand): Promise<void>;
  refuseReasons(platformRefundId: string, phase: RefundPhase): Promise<{ id: string; text: string }[]>;
  traceParcel(platformOrderId: string): Promise<ParcelTrace | null>;
}

/**
 * How a failed platform call is handled:
 * - retriable: a platform fault, a call-frequency limit, a timeout, a 5xx, the network: back off and try again
 *   (`retryAfterMs` when the platform said how long the ban lasts);
 * - auth: the session key is invalid or expired: the binding needs re-authorisation and its workers pause;
 * - business: the platform refused the request itself (already closed, stale version, bad argument): a person decides;
 * - bad_response: the answer could not be read.
 */
export type PlatformErrorKind = 'retriable' | 'auth' | 'business' | 'bad_response';

export class PlatformError extends Error {
  readonly kind: PlatformErrorKind;
  /** the platform's code and sub-code (TOP code / sub_code), for the record */
  readonly code: string;
  readonly subCode: string | null;
  /** the platform's own words (sub_msg, else msg), shown to the agent */
  readonly platformMessage: string;
  readonly retryAfterMs: number | null;

  constructor(options: { kind: PlatformErrorKind; code: string; subCode?: string | null; message: string; retryAfterMs?: number | null; cause?: unknown }) {
    super(`${options.kind}: ${options.code}${options.subCode ? `/${options.subCode}` : ''} ${options.message}`, { cause: options.cause });
    this.name = 'PlatformError';
    this.kind = options.kind;
    this.code = options.code;
    this.subCode = options.subCode ?? null;
    this.platformMessage = options.message;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

export function isPlatformError(e: unknown): e is PlatformError {
  return e instanceof PlatformError;
}
