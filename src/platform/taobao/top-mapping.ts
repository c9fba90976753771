/**
 * TOP's records in shouhou's words, and shouhou's commands as TOP calls. Pure: no I/O.
 *
 * Input is TOP JSON as read by `parseTopJson` (integers above 2^53 arrive as decimal
 * strings). Anything that cannot be applied faithfully (an unknown status, an amount that
 * is not one, a date that is not one) becomes an Unreadable naming the field, never half a
 * record.
 */
import type { PlatformCommand, PlatformMessage, PlatformOrder, PlatformOrderLine, PlatformRefund, ParcelTrace, Unreadable } from '../connector.ts';
import { PlatformError } from '../connector.ts';
import type { GoodsStatus, ReasonCode, RefundPhase, RefundStatus, TradeStatus } from '../../core/refund/refund-model.ts';
import type { TopFile, TopParams } from './top-client.ts';
import { parseTopJson } from './top-json.ts';
import { parseTopTime, yuanToFen } from './top-sign.ts';

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An id as decimal text: a JSON number that is a safe non-negative integer, a string of
 * digits (how `parseTopJson` gives ids above 2^53, and how TOP writes refund_id), a bigint;
 * null for anything else (a double beyond 2^53 has lost digits already: null too).
 */
export function idText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
  if (typeof value === 'bigint') return value >= 0n ? value.toString() : null;
  if (typeof value === 'string') {
    const t = value.trim();
    return /^[0-9]{1,40}$/.test(t) ? BigInt(t).toString() : null;
  }
  return null;
}

/** A text field: strings as they are, numbers in decimal, anything else ''. */
function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return '';
}

function absent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** The items of a TOP list: `{ wrapper: { item: [...] } }`; an absent list is empty; one bare object is a list of one. */
function listOf(owner: Raw, wrapper: string, item: string): unknown[] | null {
  const outer = owner[wrapper];
  if (absent(outer)) return [];
  if (Array.isArray(outer)) return outer; // the simplified shape, tolerated
  if (!isRecord(outer)) return null;
  const inner = outer[item];
  if (absent(inner)) return [];
  if (Array.isArray(inner)) return inner;
  if (isRecord(inner)) return [inner];
  return null;
}

class Unread extends Error {
  constructor(readonly problem: string) {
    super(problem);
  }
}

function unreadable(platformId: string | null, problem: string, raw: unknown): Unreadable {
  return { unreadable: true, platformId, problem, raw };
}

/** An amount in fen; undefined when absent; Unread when present but not an amount. */
function amountOpt(record: Raw, field: string, label = field): number | undefined {
  const value = record[field];
  if (absent(value)) return undefined;
  const fen = yuanToFen(value);
  if (fen === null) throw new Unread(`${label} is not an amount: ${JSON.stringify(str(value) || typeof value)}`);
  return fen;
}

function amount(record: Raw, field: string, label = field): number {
  const fen = amountOpt(record, field, label);
  if (fen === undefined) throw new Unread(`${label} is missing`);
  return fen;
}

function timeOpt(record: Raw, field: string, label = field): Date | null {
  const value = record[field];
  if (absent(value)) return null;
  const at = parseTopTime(value);
  if (!at) throw new Unread(`${label} is not a time: ${JSON.stringify(str(value) || typeof value)}`);
  return at;
}

function time(record: Raw, field: string, label = field): Date {
  const at = timeOpt(record, field, label);
  if (!at) throw new Unread(`${label} is missing`);
  return at;
}

function nullIfEmpty(value: unknown): string | null {
  const s = str(value);
  return s === '' ? null : s;
}

// ---------------------------------------------------------------------------------------------
// trades

/** TOP trade status → ours; null: not paid (nothing for after-sales). */
const tradeStatusMap: Record<string, TradeStatus | null> = {
  WAIT_BUYER_PAY: null,
  TRADE_NO_CREATE_PAY: null,
  PAY_PENDING: null,
  WAIT_PRE_AUTH_CONFIRM: null,
  WAIT_SELLER_SEND_GOODS: 'WAIT_SELLER_SEND_GOODS',
  SELLER_CONSIGNED_PART: 'WAIT_SELLER_SEND_GOODS',
  PAID_FORBID_CONSIGN: 'WAIT_SELLER_SEND_GOODS',
  WAIT_BUYER_CONFIRM_GOODS: 'WAIT_BUYER_CONFIRM_GOODS',
  TRADE_BUYER_SIGNED: 'WAIT_BUYER_CONFIRM_GOODS',
  TRADE_FINISHED: 'TRADE_FINISHED',
  TRADE_CLOSED: 'TRADE_CLOSED',
  TRADE_CLOSED_BY_TAOBAO: 'TRADE_CLOSED',
};

/** TOP statuses after the seller shipped: the trade carries a shipment. */
const shippedStatuses = new Set(['WAIT_BUYER_CONFIRM_GOODS', 'TRADE_BUYER_SIGNED', 'TRADE_FINISHED', 'TRADE_CLOSED', 'TRADE_CLOSED_BY_TAOBAO']);
/** …of which these cannot be without one */
const mustHaveShipment = new Set(['WAIT_BUYER_CONFIRM_GOODS', 'TRADE_BUYER_SIGNED']);

const sizeNames = ['尺码', '鞋码', '尺寸', '码数', '规格'];

/** The size of a SKU from its properties (`颜色:黑色;尺码:37` → "37"): the first of 尺码, 鞋码, 尺寸, 码数, 规格 present. */
export function sizeFromProperties(properties: string): string {
  const pairs = new Map<string, string>();
  for (const part of properties.split(/[;；]/)) {
    const i = part.search(/[:：]/);
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (!pairs.has(name)) pairs.set(name, part.slice(i + 1).trim());
  }
  for (const name of sizeNames) {
    const value = pairs.get(name);
    if (value !== undefined) return value;
  }
  return '';
}

function quantity(record: Raw, label: string): number {
  const value = record.num;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new Unread(`${label}.num is not a quantity: ${JSON.stringify(str(value) || typeof value)}`);
  return n;
}

function mapLine(raw: unknown, label: string): PlatformOrderLine {
  if (!isRecord(raw)) throw new Unread(`${label} is not an object`);
  const lineId = idText(raw.oid_str) ?? idText(raw.oid);
  if (lineId === null) throw new Unread(`${label}.oid is missing or not an id`);
  const properties = str(raw.sku_properties_name);
  const paid = amountOpt(raw, 'divide_order_fee', `${label}.divide_order_fee`) ?? amountOpt(raw, 'payment', `${label}.payment`) ?? null;
  return {
    platformLineId: lineId,
    sku: str(raw.outer_sku_id) || str(raw.outer_iid) || str(raw.sku_id) || (idText(raw.num_iid) ?? ''),
    title: str(raw.title),
    style: '',
    size: sizeFromProperties(properties),
    properties,
    unitPriceFen: amount(raw, 'price', `${label}.price`),
    quantity: quantity(raw, label),
    paidFen: paid,
    courier: nullIfEmpty(raw.logistics_company),
    trackingNo: nullIfEmpty(raw.invoice_no),
  };
}

function sellerMemo(raw: Raw): PlatformOrder['sellerMemo'] {
  const text = str(raw.seller_memo);
  const flagValue = raw.seller_flag;
  let flag = 0;
  if (!absent(flagValue)) {
    const n = typeof flagValue === 'number' ? flagValue : Number(str(flagValue));
    if (!Number.isInteger(n) || n < 0 || n > 5) throw new Unread(`seller_flag is not a flag 0–5: ${JSON.stringify(str(flagValue) || typeof flagValue)}`);
    flag = n;
  }
  return text === '' && flag === 0 ? null : { text, flag };
}

/** A trade of taobao.trade.fullinfo.get (`trade`) as our order; Unreadable when something cannot be applied. */
export function mapTrade(raw: unknown): PlatformOrder | Unreadable {
  if (!isRecord(raw)) return unreadable(null, 'the trade is not an object', raw);
  const id = idText(raw.tid_str) ?? idText(raw.tid);
  if (id === null) return unreadable(null, 'tid is missing or not an id', raw);
  try {
    const platformStatus = str(raw.status);
    if (!(platformStatus in tradeStatusMap)) throw new Unread(`unknown trade status ${JSON.stringify(platformStatus)}`);
    const status = tradeStatusMap[platformStatus] as TradeStatus | null;

    const orders = listOf(raw, 'orders', 'order');
    if (orders === null) throw new Unread('orders is not a list of orders');
    const lines = orders.map((o, i) => mapLine(o, `orders.order[${i}]`));

    const modifiedAt = time(raw, 'modified');
    const consignedAt = timeOpt(raw, 'consign_time');
    let shipment: PlatformOrder['shipment'] = null;
    if (shippedStatuses.has(platformStatus)) {
      if (consignedAt) {
        const parcel = lines.find((l) => l.trackingNo !== null) ?? lines[0];
        shipment = {
          courier: parcel?.courier ?? '',
          trackingNo: parcel?.trackingNo ?? '',
          shippedAt: consignedAt,
          signedAt: platformStatus === 'TRADE_BUYER_SIGNED' ? modifiedAt : null,
        };
      } else if (mustHaveShipment.has(platformStatus)) {
        throw new Unread(`consign_time is missing for a shipped trade (${platformStatus})`);
      }
    }

    let finishedAt: Date | null = null;
    if (platformStatus === 'TRADE_FINISHED') {
      finishedAt = timeOpt(raw, 'end_time');
      if (!finishedAt) throw new Unread('end_time is missing for a finished trade');
    }

    return {
      platformOrderId: id,
      status,
      platformStatus,
      buyer: {
        nick: str(raw.buyer_nick),
        name: str(raw.receiver_name),
        phone: str(raw.receiver_mobile) || str(raw.receiver_phone),
        address: {
          province: str(raw.receiver_state),
          city: str(raw.receiver_city) || str(raw.receiver_district),
          district: str(raw.receiver_district),
          detail: `${str(raw.receiver_town)}${str(raw.receiver_address)}`,
        },
      },
      lines,
      paidFen: amount(raw, 'payment'),
      postageFen: amountOpt(raw, 'post_fee') ?? 0,
      shipment,
      createdAt: time(raw, 'created'),
      paidAt: timeOpt(raw, 'pay_time'),
      modifiedAt,
      finishedAt,
      sellerMemo: sellerMemo(raw),
    };
  } catch (e) {
    if (e instanceof Unread) return unreadable(id, e.problem, raw);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// refunds

const refundStatusNames: readonly RefundStatus[] = ['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER', 'CLOSED', 'SUCCESS'];
const exchangeStatuses = new Set(['WAIT_BUYER_CONFIRM_EXCHANGE_SELLER_SEND_GOODS', 'EXCHANGE_TRANSFORM_TO_REFUND', 'WAIT_SELLER_CONSIGN_GOODS']);
/** dispute types that are not a refund of money (换货, 维修, 补寄) */
const exchangeDisputes = new Set(['TMALL_EXCHANGE', 'TAOBAO_EXCHANGE']);
const otherDisputes = new Set(['REPAIR', 'RESHIPPING']);

const goodsStatusMap: Record<string, GoodsStatus> = {
  BUYER_NOT_RECEIVED: 'not_received',
  BUYER_RECEIVED: 'received',
  BUYER_RETURNED_GOODS: 'returned',
};

const phaseMap: Record<string, RefundPhase> = { onsale: 'on_sale', aftersale: 'after_sale' };

/** Our phase as TOP writes it. */
export function topPhase(phase: RefundPhase): 'onsale' | 'aftersale' {
  return phase === 'on_sale' ? 'onsale' : 'aftersale';
}

const reasonRules: [RegExp, ReasonCode][] = [
  [/七天无理由|7天无理由/, 'no_reason_7d'],
  [/描述不符|商品不符/, 'not_as_described'],
  [/质量问题/, 'quality'],
  [/破损/, 'damaged'],
  [/运费/, 'postage'],
  [/未收到货|未收到|没收到/, 'not_received'],
  [/发票/, 'invoice'],
  [/拍错|多拍/, 'wrong_order'],
  [/不想要|不喜欢/, 'unwanted'],
  [/未按约定时间发货|延迟发货/, 'late_shipment'],
  [/缺货/, 'out_of_stock'],
  [/协商一致/, 'negotiated'],
  [/差价|价格/, 'price_difference'],
];

/** The reason code of a platform's reason text (the first rule that matches, in order); 'other' when none does. */
export function reasonCode(text: string): ReasonCode {
  const t = text.normalize('NFKC');
  for (const [pattern, code] of reasonRules) if (pattern.test(t)) return code;
  return 'other';
}

const requestedCs = new Set([2, 3, 4, 5, 10, 11]);

/** cs_status (客服介入 stage, 1–11) → our intervention. */
export function interventionOf(csStatus: unknown): PlatformRefund['intervention'] {
  const n = typeof csStatus === 'number' ? csStatus : typeof csStatus === 'string' && /^\d+$/.test(csStatus.trim()) ? Number(csStatus) : NaN;
  if (requestedCs.has(n)) return { state: 'requested', outcome: null };
  if (n === 8) return { state: 'decided', outcome: 'refund' };
  if (n === 9) return { state: 'decided', outcome: 'reject' };
  if (n === 6) return { state: 'decided', outcome: null };
  return { state: 'none', outcome: null };
}

function remindTimeout(raw: Raw): PlatformRefund['platformTimeout'] {
  const value = raw.refund_remind_timeout;
  if (absent(value)) return null;
  if (!isRecord(value)) throw new Unread('refund_remind_timeout is not an object');
  if (value.exist_timeout !== true && value.exist_timeout !== 'true') return null;
  const at = time(value, 'timeout', 'refund_remind_timeout.timeout');
  return { at, kind: str(value.remind_type) };
}

/** A refund of taobao.refund.get (`refund`) as ours; Unreadable when something cannot be applied. */
export function mapRefund(raw: unknown): PlatformRefund | Unreadable {
  if (!isRecord(raw)) return unreadable(null, 'the refund is not an object', raw);
  const id = idText(raw.refund_id);
  if (id === null) return unreadable(null, 'refund_id is missing or not an id', raw);
  try {
    const platformStatus = str(raw.status);
    if (exchangeStatuses.has(platformStatus)) throw new Unread(`换货 is not handled yet (status ${platformStatus})`);
    if (!(refundStatusNames as readonly string[]).includes(platformStatus)) throw new Unread(`unknown status ${JSON.stringify(platformStatus)}`);
    const dispute = str(raw.dispute_type);
    if (exchangeDisputes.has(dispute)) throw new Unread(`换货 is not handled yet (dispute_type ${dispute})`);
    if (otherDisputes.has(dispute)) throw new Unread(`维修/补寄 is not handled yet (dispute_type ${dispute})`);

    const orderId = idText(raw.tid);
    if (orderId === null) throw new Unread('tid is missing or not an id');
    let lineId: string | null = null;
    if (!absent(raw.oid)) {
      lineId = idText(raw.oid);
      if (lineId === null) throw new Unread('oid is not an id');
      if (lineId === orderId) lineId = null;
    }

    const goodsText = str(raw.good_status);
    let goodsStatus: GoodsStatus = 'received';
    if (goodsText !== '') {
      const g = goodsStatusMap[goodsText];
      if (!g) throw new Unread(`unknown good_status ${JSON.stringify(goodsText)}`);
      goodsStatus = g;
    }

    const phaseText = str(raw.refund_phase);
    const phase = phaseMap[phaseText];
    if (!phase) throw new Unread(phaseText === '' ? 'refund_phase is missing' : `unknown refund_phase ${JSON.stringify(phaseText)}`);

    const version = idText(raw.refund_version);
    if (version === null) throw new Unread('refund_version is missing or not a number');

    const trackingNo = str(raw.sid);
    const reasonText = str(raw.reason);
    return {
      platformRefundId: id,
      platformOrderId: orderId,
      platformLineId: lineId,
      status: platformStatus as RefundStatus,
      platformStatus,
      type: raw.has_good_return === true || raw.has_good_return === 'true' ? 'return_and_refund' : 'refund_only',
      goodsStatus,
      phase,
      reason: reasonCode(reasonText),
      reasonText,
      description: str(raw.desc),
      amountFen: amount(raw, 'refund_fee'),
      buyerNick: str(raw.buyer_nick),
      returnShipment: trackingNo === '' ? null : { courier: str(raw.company_name), trackingNo },
      returnAddress: nullIfEmpty(raw.address),
      platformVersion: version,
      createdAt: time(raw, 'created'),
      modifiedAt: time(raw, 'modified'),
      platformTimeout: remindTimeout(raw),
      intervention: interventionOf(raw.cs_status),
    };
  } catch (e) {
    if (e instanceof Unread) return unreadable(id, e.problem, raw);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// TMC messages

/** One `messages.tmc_message[]` item as a change notice. Never throws: what cannot be used says why in `problem`. */
export function mapTmcMessage(raw: unknown): PlatformMessage {
  const record: Raw = isRecord(raw) ? raw : {};
  const topic = str(record.topic);
  const content = record.content;
  const rawText = typeof content === 'string' ? content : content === undefined ? '' : JSON.stringify(content, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  const message: PlatformMessage = {
    id: idText(record.id) ?? '',
    topic,
    kind: 'unknown',
    platformRefundId: null,
    platformOrderId: null,
    publishedAt: parseTopTime(record.pub_time),
    raw: rawText,
    problem: null,
  };
  const fail = (problem: string): PlatformMessage => ({ ...message, problem });

  if (!isRecord(raw)) return fail('the message is not an object');
  if (message.id === '') return fail('the message has no id');
  const isRefund = topic.startsWith('taobao_refund_');
  const isTrade = topic.startsWith('taobao_trade_');
  if (!isRefund && !isTrade) return fail(`unknown topic ${JSON.stringify(topic)}`);

  let body: unknown;
  if (isRecord(content)) body = content;
  else {
    try {
      body = parseTopJson(rawText);
    } catch {
      return fail('the content is not JSON');
    }
  }
  if (!isRecord(body)) return fail('the content is not a JSON object');
  const orderId = idText(body.tid);
  if (isRefund) {
    const refundId = idText(body.refund_id);
    if (refundId === null) return fail('the content has no refund_id');
    return { ...message, kind: 'refund', platformRefundId: refundId, platformOrderId: orderId };
  }
  if (orderId === null) return fail('the content has no tid');
  return { ...message, kind: 'order', platformOrderId: orderId };
}

// ---------------------------------------------------------------------------------------------
// logistics

/** The answer of taobao.logistics.trace.search as a parcel trace. */
export function mapTrace(raw: unknown): ParcelTrace {
  const record: Raw = isRecord(raw) ? raw : {};
  const steps = listOf(record, 'trace_list', 'transit_step_info') ?? [];
  return {
    courier: str(record.company_name),
    trackingNo: str(record.out_sid),
    status: str(record.status),
    steps: steps.filter(isRecord).map((s) => ({ at: parseTopTime(s.status_time), text: str(s.status_desc), action: str(s.action) })),
  };
}

// ---------------------------------------------------------------------------------------------
// commands

export interface TopCall {
  method: string;
  params: TopParams;
  files?: Record<string, TopFile>;
}

function refused(code: string, message: string): PlatformError {
  return new PlatformError({ kind: 'business', code, message });
}

function checkedId(value: string, what: string): string {
  const id = idText(value);
  if (id === null) throw refused('invalid_command', `${what} is not an id`);
  return id;
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The TOP call of a seller's decision. Throws a business PlatformError, before anything is
 * sent, when the command breaks a rule TOP states (message lengths, flags, Tmall's proof).
 */
export function commandToCall(command: PlatformCommand, platform: 'taobao' | 'tmall'): TopCall {
  switch (command.kind) {
    case 'agree_refund': {
      const id = checkedId(command.platformRefundId, 'the refund id');
      const version = checkedId(command.platformVersion, 'the refund version');
      if (!Number.isSafeInteger(command.amountFen) || command.amountFen < 0) throw refused('invalid_command', 'the amount is not a whole number of fen');
      const info = [id, String(command.amountFen), version, ...(platform === 'tmall' ? [topPhase(command.phase)] : [])].join('|');
      return { method: 'taobao.rp.refunds.agree', params: { refund_infos: info } };
    }
    case 'agree_return': {
      return {
        method: 'taobao.rp.returngoods.agree',
        params: {
          refund_id: checkedId(command.platformRefundId, 'the refund id'),
          refund_phase: topPhase(command.phase),
          refund_version: checkedId(command.platformVersion, 'the refund version'),
          remark: command.remark,
          address: command.address.address,
          name: command.address.name,
          mobile: command.address.phone,
          post_fee_bear_role: command.postageBy === 'buyer' ? 1 : 0,
        },
      };
    }
    case 'refuse': {
      const message = command.message.trim();
      const length = Array.from(message).length;
      if (length < 2 || length > 200) throw refused('refuse_message_length', `the refusal message must be 2–200 characters (it has ${length})`);
      if (platform === 'tmall' && !command.proof) throw refused('refuse_proof_missing', 'Tmall requires a proof image to refuse a refund');
      return {
        method: 'taobao.refund.refuse',
        params: {
          refund_id: checkedId(command.platformRefundId, 'the refund id'),
          refuse_message: message,
          refund_phase: topPhase(command.phase),
          refund_version: checkedId(command.platformVersion, 'the refund version'),
          refuse_reason_id: command.reasonId === null ? undefined : checkedId(command.reasonId, 'the refusal reason id'),
        },
        ...(command.proof ? { files: { refuse_proof: command.proof } } : {}),
      };
    }
    case 'memo': {
      const bytes = utf8Bytes(command.text);
      if (bytes > 1000) throw refused('memo_too_long', `the memo must be at most 1000 bytes (it has ${bytes})`);
      if (!Number.isInteger(command.flag) || command.flag < 0 || command.flag > 5) throw refused('memo_flag', 'the memo flag must be 0–5');
      return {
        method: 'taobao.trade.memo.update',
        params: {
          tid: checkedId(command.platformOrderId, 'the order id'),
          memo: command.text,
          flag: command.flag,
          // an empty memo is ignored by TOP unless reset=true, which clears it
          reset: command.text === '' ? true : undefined,
        },
      };
    }
    case 'message': {
      const bytes = utf8Bytes(command.text);
      if (command.text.trim() === '') throw refused('message_empty', 'the message is empty');
      if (bytes > 400) throw refused('message_too_long', `the message must be at most 400 bytes (it has ${bytes})`);
      return {
        method: 'taobao.refund.message.add',
        params: { refund_id: checkedId(command.platformRefundId, 'the refund id'), content: command.text },
        ...(command.image ? { files: { image: command.image } } : {}),
      };
    }
  }
}
