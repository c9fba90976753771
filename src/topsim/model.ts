/**
 * The sim's records (compact: catalogue items are shared, money in fen, times
 * in milliseconds, ids as bigint) and how they are shown as TOP JSON objects
 * (yuan strings, `yyyy-MM-dd HH:mm:ss` GMT+8 dates, Number ids as bigint for
 * the JSON writer, String ids as text). `pick` keeps the requested `fields`.
 */
import { fenToYuan, formatTopTime } from '../platform/taobao/top-sign.ts';
import { outerSkuIdOf, skuIdOf, skuPropertiesOf, type CatalogueItem, type Courier } from './catalogue.ts';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export const tradeStatuses = [
  'WAIT_BUYER_PAY',
  'WAIT_SELLER_SEND_GOODS',
  'WAIT_BUYER_CONFIRM_GOODS',
  'TRADE_FINISHED',
  'TRADE_CLOSED',
  'TRADE_CLOSED_BY_TAOBAO',
] as const;
export type TradeStatus = (typeof tradeStatuses)[number];

export const refundStatuses = [
  'WAIT_SELLER_AGREE',
  'WAIT_BUYER_RETURN_GOODS',
  'WAIT_SELLER_CONFIRM_GOODS',
  'SELLER_REFUSE_BUYER',
  'CLOSED',
  'SUCCESS',
] as const;
export type RefundStatus = (typeof refundStatuses)[number];
/** accepted as a filter (TOP knows them), though the sim makes no exchanges */
export const exchangeStatuses = ['WAIT_BUYER_CONFIRM_EXCHANGE_SELLER_SEND_GOODS', 'EXCHANGE_TRANSFORM_TO_REFUND', 'WAIT_SELLER_CONSIGN_GOODS'] as const;

export type GoodStatus = 'BUYER_NOT_RECEIVED' | 'BUYER_RECEIVED' | 'BUYER_RETURNED_GOODS';
export type RefundPhase = 'onsale' | 'aftersale';
export type ShopType = 'taobao' | 'tmall';

export function isOpenRefund(status: RefundStatus): boolean {
  return status !== 'CLOSED' && status !== 'SUCCESS';
}

export interface SimBuyer {
  nick: string;
  openUid: string;
  userId: number;
}

export interface SimReceiver {
  name: string;
  mobile: string;
  state: string;
  city: string;
  district: string;
  town: string;
  address: string;
  zip: string;
}

export interface SimLine {
  oid: bigint;
  item: CatalogueItem;
  colour: number;
  size: number;
  num: number;
  /** the line's own discount (a single-item promotion) */
  discountFen: number;
  /** the line's share of an order-wide coupon (part_mjz_discount) */
  shareFen: number;
  status: TradeStatus;
  refundId: bigint | null;
  refundStatus: RefundStatus | 'NO_REFUND';
  endMs: number | null;
}

export function lineTotalFen(line: SimLine): number {
  return line.item.priceFen * line.num - line.discountFen;
}

/** divide_order_fee: what the buyer paid for the line after every discount */
export function lineDivideFen(line: SimLine): number {
  return lineTotalFen(line) - line.shareFen;
}

export interface SimParcel {
  courier: Courier;
  sid: string;
}

export interface SimTrade {
  tid: bigint;
  status: TradeStatus;
  buyer: SimBuyer;
  receiver: SimReceiver;
  createdMs: number;
  payMs: number | null;
  consignMs: number | null;
  /** when the buyer signed for the parcel (the courier's last step) */
  signedMs: number | null;
  endMs: number | null;
  modifiedMs: number;
  postFeeFen: number;
  lines: SimLine[];
  sellerMemo: string | null;
  sellerFlag: number;
  buyerMessage: string | null;
  parcel: SimParcel | null;
}

export interface SimRefundMessage {
  id: bigint;
  ownerRole: '1' | '2' | '3';
  content: string;
  createdMs: number;
  messageType: 'NORMAL' | 'RETURN_GOODS_APPROVED';
  picUrls: string[];
}

export interface SimRefund {
  refundId: bigint;
  trade: SimTrade;
  line: SimLine;
  status: RefundStatus;
  goodStatus: GoodStatus;
  hasGoodReturn: boolean;
  refundFeeFen: number;
  reason: string;
  desc: string;
  phase: RefundPhase;
  createdMs: number;
  modifiedMs: number;
  /** refund_version: a millisecond timestamp, raised at every change */
  version: number;
  returnParcel: { company: string; sid: string } | null;
  goodReturnMs: number | null;
  /** the seller's return address, once a return is agreed */
  address: string | null;
  /** 1 none, 2 asked for, 3 intervened, 6 decided */
  csStatus: number;
  /** the deadline of the current step (refund_remind_timeout); null when none runs */
  timeout: { remindType: number; atMs: number } | null;
  /** the message board, made when first read (seeded refunds) */
  messages: SimRefundMessage[] | null;
}

export interface SimTmcMessage {
  id: bigint;
  /** a known topic, or anything publishRaw was given */
  topic: string;
  pubTimeMs: number;
  content: string;
  state: 'waiting' | 'in_flight' | 'confirmed';
  invisibleUntilMs: number;
  deliveries: number;
}

export const shipping = 'express';

// ---------------------------------------------------------------- rendering

type Obj = Record<string, unknown>;

const t = (ms: number | null): string | undefined => (ms === null ? undefined : formatTopTime(new Date(ms)));
const y = (fen: number): string => fenToYuan(fen);

export interface SellerInfo {
  nick: string;
  userId: number;
}

export function renderOrder(trade: SimTrade, line: SimLine, full: boolean): Obj {
  const single = trade.lines.length === 1;
  const divide = lineDivideFen(line);
  return {
    oid: line.oid,
    oid_str: full ? line.oid.toString() : undefined,
    num_iid: line.item.numIid,
    cid: line.item.cid,
    title: line.item.title,
    price: y(line.item.priceFen),
    num: line.num,
    sku_id: skuIdOf(line.item, line.colour, line.size),
    outer_iid: line.item.outerIid,
    outer_sku_id: outerSkuIdOf(line.item, line.colour, line.size),
    sku_properties_name: skuPropertiesOf(line.item, line.colour, line.size),
    pic_path: `https://img.alicdn.com/bao/uploaded/topsim/${line.item.outerIid}.jpg`,
    total_fee: y(lineTotalFen(line)),
    payment: y(divide + (single ? trade.postFeeFen : 0)),
    discount_fee: y(line.discountFen),
    adjust_fee: '0.00',
    divide_order_fee: y(divide),
    part_mjz_discount: y(line.shareFen),
    status: line.status,
    refund_status: line.refundStatus,
    refund_id: line.refundId === null ? undefined : line.refundId.toString(),
    end_time: t(line.endMs),
    consign_time: t(trade.consignMs),
    shipping_type: shipping,
    logistics_company: trade.parcel?.courier.name,
    invoice_no: trade.parcel?.sid,
    seller_type: 'B',
    buyer_rate: false,
    seller_rate: false,
    is_daixiao: false,
    is_service_order: false,
  };
}

export const orderFields = Object.keys(renderOrder(blankTrade(), blankTrade().lines[0] as SimLine, true));

export function tradePaymentFen(trade: SimTrade): number {
  return trade.lines.reduce((s, l) => s + lineDivideFen(l), 0) + trade.postFeeFen;
}

export function renderTrade(trade: SimTrade, seller: SellerInfo, full: boolean, orderFieldSet: Set<string> | null): Obj {
  const single = trade.lines.length === 1;
  const first = trade.lines[0];
  const totalFen = trade.lines.reduce((s, l) => s + l.item.priceFen * l.num, 0);
  const discountFen = trade.lines.reduce((s, l) => s + l.discountFen + l.shareFen, 0);
  const paymentFen = tradePaymentFen(trade);
  return {
    tid: trade.tid,
    tid_str: full ? trade.tid.toString() : undefined,
    status: trade.status,
    type: 'fixed',
    title: first?.item.title,
    num: trade.lines.reduce((s, l) => s + l.num, 0),
    num_iid: single ? first?.item.numIid : undefined,
    price: single && first ? y(first.item.priceFen) : undefined,
    pic_path: single && first ? `https://img.alicdn.com/bao/uploaded/topsim/${first.item.outerIid}.jpg` : undefined,
    buyer_nick: trade.buyer.nick,
    buyer_open_uid: trade.buyer.openUid,
    seller_nick: seller.nick,
    created: t(trade.createdMs),
    pay_time: t(trade.payMs),
    modified: t(trade.modifiedMs),
    consign_time: t(trade.consignMs),
    end_time: t(trade.endMs),
    total_fee: y(totalFen),
    discount_fee: y(discountFen),
    adjust_fee: '0.00',
    post_fee: y(trade.postFeeFen),
    payment: y(paymentFen),
    received_payment: y(trade.status === 'TRADE_FINISHED' ? paymentFen : 0),
    shipping_type: shipping,
    alipay_no: trade.payMs === null ? undefined : alipayNo(trade),
    receiver_name: trade.receiver.name,
    receiver_mobile: trade.receiver.mobile,
    receiver_country: '',
    receiver_state: trade.receiver.state,
    receiver_city: trade.receiver.city,
    receiver_district: trade.receiver.district,
    receiver_town: trade.receiver.town,
    receiver_address: trade.receiver.address,
    receiver_zip: trade.receiver.zip,
    buyer_message: full ? (trade.buyerMessage ?? undefined) : undefined,
    has_buyer_message: trade.buyerMessage !== null,
    seller_memo: trade.sellerMemo ?? undefined,
    seller_flag: trade.sellerFlag,
    seller_rate: false,
    buyer_rate: false,
    timeout_action_time: full ? t(timeoutActionMs(trade)) : undefined,
    orders: orderFieldSet === null ? undefined : { order: trade.lines.map((l) => pick(renderOrder(trade, l, full), orderFieldSet)) },
  };
}

function timeoutActionMs(trade: SimTrade): number | null {
  if (trade.status === 'WAIT_BUYER_PAY') return trade.createdMs + 3 * DAY_MS;
  if (trade.status === 'WAIT_BUYER_CONFIRM_GOODS' && trade.consignMs !== null) return trade.consignMs + 10 * DAY_MS;
  return null;
}

export const tradeFields = Object.keys(renderTrade(blankTrade(), { nick: '', userId: 0 }, true, new Set()));

function alipayNo(trade: SimTrade): string {
  const day = formatTopTime(new Date(trade.payMs ?? trade.createdMs)).slice(0, 10).replace(/-/g, '');
  return `${day}22001${trade.tid.toString().slice(-15)}`;
}

export function refundSku(r: SimRefund): string {
  return `${skuIdOf(r.line.item, r.line.colour, r.line.size)}|${skuPropertiesOf(r.line.item, r.line.colour, r.line.size)}`;
}

/** Every field of a refund; `full` adds the refund.get-only ones (refund_remind_timeout, cs_status, address…). */
export function renderRefund(r: SimRefund, seller: SellerInfo, full: boolean): Obj {
  const line = r.line;
  const base: Obj = {
    refund_id: r.refundId.toString(),
    tid: r.trade.tid,
    oid: line.oid,
    title: line.item.title,
    num: line.num,
    buyer_nick: r.trade.buyer.nick,
    buyer_open_uid: r.trade.buyer.openUid,
    seller_nick: seller.nick,
    total_fee: y(lineTotalFen(line)),
    payment: y(lineDivideFen(line)),
    refund_fee: y(r.refundFeeFen),
    status: r.status,
    order_status: line.status,
    good_status: r.goodStatus,
    has_good_return: r.hasGoodReturn,
    reason: r.reason,
    desc: r.desc,
    created: t(r.createdMs),
    modified: t(r.modifiedMs),
    refund_phase: r.phase,
    refund_version: r.version,
    company_name: r.returnParcel?.company,
    sid: r.returnParcel?.sid,
    sku: refundSku(r),
    outer_id: outerSkuIdOf(line.item, line.colour, line.size),
    attribute: `;disputeType:${r.hasGoodReturn ? 'REFUND_AND_RETURN' : 'REFUND'};refundFrom:1;`,
    dispute_type: r.hasGoodReturn ? 'REFUND_AND_RETURN' : 'REFUND',
    operation_contraint: cannotRefuse(r) && isOpenRefund(r.status) ? 'cannot_refuse' : undefined,
  };
  if (!full) return base;
  return {
    ...base,
    num_iid: line.item.numIid,
    price: y(line.item.priceFen),
    alipay_no: alipayNo(r.trade),
    shipping_type: shipping,
    address: r.address ?? undefined,
    good_return_time: t(r.goodReturnMs),
    cs_status: r.csStatus,
    advance_status: 0,
    split_seller_fee: '0.00',
    split_taobao_fee: '0.00',
    refund_remind_timeout: r.timeout
      ? { exist_timeout: true, remind_type: r.timeout.remindType, timeout: t(r.timeout.atMs) }
      : { exist_timeout: false },
  };
}

/** A seller cannot refuse before shipping: goods not received and the trade still waiting to be sent. */
export function cannotRefuse(r: SimRefund): boolean {
  return r.goodStatus === 'BUYER_NOT_RECEIVED' && r.trade.status === 'WAIT_SELLER_SEND_GOODS';
}

export const refundListFields = Object.keys(renderRefund(blankRefund(), { nick: '', userId: 0 }, false));
export const refundFullFields = Object.keys(renderRefund(blankRefund(), { nick: '', userId: 0 }, true));

export function renderRefundMessage(r: SimRefund, m: SimRefundMessage, seller: SellerInfo): Obj {
  const fromSeller = m.ownerRole === '2';
  const fromStaff = m.ownerRole === '3';
  return {
    id: m.id,
    refund_id: r.refundId.toString(),
    owner_id: fromSeller ? seller.userId : fromStaff ? 2_200_000_000 : r.trade.buyer.userId,
    owner_nick: fromSeller ? seller.nick : fromStaff ? '淘宝小二' : r.trade.buyer.nick,
    owner_open_uid: fromSeller || fromStaff ? undefined : r.trade.buyer.openUid,
    owner_role: m.ownerRole,
    content: m.content,
    created: t(m.createdMs),
    message_type: m.messageType,
    refund_phase: r.phase,
    pic_urls: m.picUrls.length > 0 ? { pic_url: m.picUrls.map((url) => ({ url })) } : undefined,
  };
}

export const refundMessageFields = ['id', 'refund_id', 'owner_id', 'owner_nick', 'owner_open_uid', 'owner_role', 'content', 'created', 'message_type', 'refund_phase', 'pic_urls'];

/** The object with only the named fields (in the object's own order). */
export function pick(full: Obj, fields: Set<string>): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(full)) if (fields.has(k) && v !== undefined) out[k] = v;
  return out;
}

function blankTrade(): SimTrade {
  const item: CatalogueItem = { numIid: 0, outerIid: '', title: '', priceFen: 0, colours: [['', '']], sizes: [0], cid: 0 };
  return {
    tid: 0n,
    status: 'WAIT_BUYER_CONFIRM_GOODS',
    buyer: { nick: '', openUid: '', userId: 0 },
    receiver: { name: '', mobile: '', state: '', city: '', district: '', town: '', address: '', zip: '' },
    createdMs: 0,
    payMs: 0,
    consignMs: 0,
    signedMs: 0,
    endMs: 0,
    modifiedMs: 0,
    postFeeFen: 0,
    lines: [{ oid: 0n, item, colour: 0, size: 0, num: 1, discountFen: 0, shareFen: 0, status: 'WAIT_BUYER_CONFIRM_GOODS', refundId: 0n, refundStatus: 'NO_REFUND', endMs: 0 }],
    sellerMemo: '',
    sellerFlag: 0,
    buyerMessage: '',
    parcel: { courier: { name: '', code: '', prefix: '', digits: 0 }, sid: '' },
  };
}

function blankRefund(): SimRefund {
  const trade = blankTrade();
  return {
    refundId: 0n,
    trade,
    line: trade.lines[0] as SimLine,
    status: 'WAIT_SELLER_AGREE',
    goodStatus: 'BUYER_NOT_RECEIVED',
    hasGoodReturn: true,
    refundFeeFen: 0,
    reason: '',
    desc: '',
    phase: 'onsale',
    createdMs: 0,
    modifiedMs: 0,
    version: 0,
    returnParcel: { company: '', sid: '' },
    goodReturnMs: 0,
    address: '',
    csStatus: 1,
    timeout: { remindType: 1, atMs: 0 },
    messages: null,
  };
}
