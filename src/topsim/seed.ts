/**
 * The seeded shoe shop: trades in every status and refunds in every status
 * and reason, deterministic from the seed, built in one pass (100,000 refunds
 * take well under a few seconds: records are compact and nothing is rendered
 * until asked for). Times run backwards from each record's last change, which
 * is spread over the last 90 days (open refunds and undelivered trades are
 * recent, as on a real shop), so nothing happens after `now`.
 */
import type { Rand } from '../core/random.ts';
import {
  catalogue,
  couriers,
  estateNames,
  givenNames,
  nickWords,
  places,
  reasonByText,
  refundReasons,
  refuseMessages,
  shopAddressText,
  surnames,
  type Courier,
  type GoodsSituation,
  type RefundReason,
} from './catalogue.ts';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  lineDivideFen,
  type GoodStatus,
  type RefundStatus,
  type SimBuyer,
  type SimLine,
  type SimReceiver,
  type SimRefund,
  type SimTrade,
  type TradeStatus,
} from './model.ts';

export interface SeedIds {
  nextTradeId(): bigint;
  nextRefundId(): bigint;
}

// ------------------------------------------------------------ people and goods

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function makeBuyer(rand: Rand, index: number): SimBuyer {
  const nick = rand.chance(0.55) ? `tb${rand.int(100_000_000, 9_999_999_999)}` : `${rand.pick(nickWords)}${rand.int(1, 9999)}`;
  const chars: string[] = ['AAH'];
  for (let i = 0; i < 21; i += 1) chars.push(base62[rand.int(0, 61)] as string);
  return { nick, openUid: chars.join(''), userId: 2_200_000_000_000 + index * 7_919 + rand.int(0, 7_000) };
}

/** n random decimal digits (leading zeros allowed), as one flat string */
export function digits(rand: Rand, n: number): string {
  let out = '';
  while (n > 0) {
    const k = Math.min(n, 9);
    out += String(rand.int(0, 10 ** k - 1)).padStart(k, '0');
    n -= k;
  }
  return out;
}

export function makeReceiver(rand: Rand): SimReceiver {
  const place = rand.pick(places);
  const [district, town] = rand.pick(place.districts);
  const name = `${rand.pick(surnames)}${rand.pick(givenNames)}`;
  const mobile = `1${rand.pick(['3', '5', '7', '8', '9'])}${digits(rand, 9)}`;
  const address = `${rand.pick(place.streets)}${rand.int(1, 999)}号 ${rand.pick(estateNames)}${rand.int(1, 30)}幢${rand.int(1, 4)}单元${rand.int(1, 32)}0${rand.int(1, 6)}室`;
  return { name, mobile, state: place.state, city: place.city, district, town, address, zip: place.zip };
}

export function makeWaybill(rand: Rand, courier: Courier): string {
  return `${courier.prefix}${digits(rand, courier.digits)}`;
}

/** One to three lines, with shop promotions and an order-wide coupon on some. */
export function makeLines(rand: Rand, ids: SeedIds, tid: bigint, lineCount: number, status: TradeStatus): SimLine[] {
  const lines: SimLine[] = [];
  for (let i = 0; i < lineCount; i += 1) {
    const item = rand.pick(catalogue);
    const num = rand.chance(0.85) ? 1 : 2;
    const gross = item.priceFen * num;
    const discountFen = rand.chance(0.3) ? Math.min(gross - 100, rand.pick([1_000, 2_000, 3_000])) : 0;
    lines.push({
      oid: lineCount === 1 ? tid : ids.nextTradeId(),
      item,
      colour: rand.int(0, item.colours.length - 1),
      size: rand.pick(item.sizes),
      num,
      discountFen: Math.max(0, discountFen),
      shareFen: 0,
      status,
      refundId: null,
      refundStatus: 'NO_REFUND',
      endMs: null,
    });
  }
  if (rand.chance(0.25)) {
    // a 满减 coupon shared out over the lines in proportion, the rest on the last line
    const totals = lines.map((l) => l.item.priceFen * l.num - l.discountFen);
    const sum = totals.reduce((a, b) => a + b, 0);
    const coupon = Math.min(rand.pick([500, 1_000, 2_000]), sum - lines.length * 100);
    if (coupon > 0) {
      let left = coupon;
      lines.forEach((l, i) => {
        const share = i === lines.length - 1 ? left : Math.floor((coupon * (totals[i] as number)) / sum);
        l.shareFen = share;
        left -= share;
      });
    }
  }
  return lines;
}

const memos = ['已联系买家，改发37码', '加急发货', '赠送鞋垫一双', '买家要求顺丰，补了运费', '老客户，注意包装'] as const;
const buyerMessages = ['请尽快发货，谢谢', '请发顺丰', '鞋盒不要压坏，送人的', '麻烦检查一下再发'] as const;

export interface TradeDraft {
  status: TradeStatus;
  createdMs: number;
  payMs: number | null;
  consignMs: number | null;
  signedMs: number | null;
  endMs: number | null;
  modifiedMs: number;
}

export function makeTrade(rand: Rand, ids: SeedIds, buyer: SimBuyer, receiver: SimReceiver, draft: TradeDraft, lineCount: number): SimTrade {
  const tid = ids.nextTradeId();
  const lines = makeLines(rand, ids, tid, lineCount, draft.status);
  const ended = draft.status === 'TRADE_FINISHED' || draft.status === 'TRADE_CLOSED' || draft.status === 'TRADE_CLOSED_BY_TAOBAO';
  for (const l of lines) l.endMs = ended ? draft.endMs : null;
  const courier = rand.pick(couriers);
  const memo = rand.chance(0.1);
  return {
    tid,
    status: draft.status,
    buyer,
    receiver,
    createdMs: draft.createdMs,
    payMs: draft.payMs,
    consignMs: draft.consignMs,
    signedMs: draft.signedMs,
    endMs: draft.endMs,
    modifiedMs: draft.modifiedMs,
    postFeeFen: rand.chance(0.15) ? 1_000 : 0,
    lines,
    sellerMemo: memo ? rand.pick(memos) : null,
    sellerFlag: memo ? rand.int(1, 5) : 0,
    buyerMessage: rand.chance(0.15) ? rand.pick(buyerMessages) : null,
    parcel: draft.consignMs === null ? null : { courier, sid: makeWaybill(rand, courier) },
  };
}

const sec = (ms: number): number => Math.floor(ms / 1000) * 1000;

// ------------------------------------------------------------ trades without refunds

/** Times for a trade in the given status, its last change at most `now`. */
function draftTrade(rand: Rand, now: number, status: TradeStatus): TradeDraft {
  const u = (a: number, b: number) => Math.round(rand.range(a, b));
  switch (status) {
    case 'WAIT_BUYER_PAY': {
      const created = now - u(5 * MINUTE_MS, 20 * HOUR_MS);
      return { status, createdMs: sec(created), payMs: null, consignMs: null, signedMs: null, endMs: null, modifiedMs: sec(created) };
    }
    case 'TRADE_CLOSED_BY_TAOBAO':
    case 'TRADE_CLOSED': {
      const end = now - u(DAY_MS, 88 * DAY_MS);
      const created = end - u(HOUR_MS, 3 * DAY_MS);
      return { status, createdMs: sec(created), payMs: null, consignMs: null, signedMs: null, endMs: sec(end), modifiedMs: sec(end) };
    }
    case 'WAIT_SELLER_SEND_GOODS': {
      const pay = now - u(10 * MINUTE_MS, 3 * DAY_MS);
      const created = pay - u(MINUTE_MS, 30 * MINUTE_MS);
      return { status, createdMs: sec(created), payMs: sec(pay), consignMs: null, signedMs: null, endMs: null, modifiedMs: sec(pay) };
    }
    case 'WAIT_BUYER_CONFIRM_GOODS': {
      const consign = now - u(2 * HOUR_MS, 9 * DAY_MS);
      const pay = consign - u(2 * HOUR_MS, 2 * DAY_MS);
      const created = pay - u(MINUTE_MS, 30 * MINUTE_MS);
      const signed = consign + u(DAY_MS, 4 * DAY_MS);
      return { status, createdMs: sec(created), payMs: sec(pay), consignMs: sec(consign), signedMs: signed < now - HOUR_MS ? sec(signed) : null, endMs: null, modifiedMs: sec(consign) };
    }
    case 'TRADE_FINISHED': {
      const end = now - u(0, 88 * DAY_MS);
      const signed = end - u(30 * MINUTE_MS, 6 * DAY_MS);
      const consign = signed - u(DAY_MS, 4 * DAY_MS);
      const pay = consign - u(2 * HOUR_MS, 2 * DAY_MS);
      const created = pay - u(MINUTE_MS, 30 * MINUTE_MS);
      return { status, createdMs: sec(created), payMs: sec(pay), consignMs: sec(consign), signedMs: sec(signed), endMs: sec(end), modifiedMs: sec(end) };
    }
  }
}

const tradeStatusWeights: readonly (readonly [TradeStatus, number])[] = [
  ['WAIT_BUYER_PAY', 5],
  ['WAIT_SELLER_SEND_GOODS', 14],
  ['WAIT_BUYER_CONFIRM_GOODS', 22],
  ['TRADE_FINISHED', 48],
  ['TRADE_CLOSED', 3],
  ['TRADE_CLOSED_BY_TAOBAO', 8],
];

// ------------------------------------------------------------ refunds

interface RefundPlan {
  status: RefundStatus;
  reason: string;
  situation: GoodsSituation;
  hasGoodReturn: boolean;
  /** cs_status: 1 none, 2 asked, 3 intervened, 6 decided */
  cs?: number;
}

/** The first refunds of every shop: every status, every reason, returns and interventions. */
const coveragePlan: readonly RefundPlan[] = [
  { status: 'WAIT_SELLER_AGREE', reason: '七天无理由退换货', situation: 'received', hasGoodReturn: true },
  { status: 'WAIT_SELLER_AGREE', reason: '缺货', situation: 'unshipped', hasGoodReturn: false },
  { status: 'WAIT_BUYER_RETURN_GOODS', reason: '商品质量问题', situation: 'received', hasGoodReturn: true },
  { status: 'WAIT_SELLER_CONFIRM_GOODS', reason: '收到商品破损', situation: 'received', hasGoodReturn: true },
  { status: 'SELLER_REFUSE_BUYER', reason: '商品与描述不符', situation: 'received', hasGoodReturn: true },
  { status: 'CLOSED', reason: '未收到货', situation: 'in_transit', hasGoodReturn: false },
  { status: 'SUCCESS', reason: '退运费', situation: 'finished', hasGoodReturn: false },
  { status: 'SUCCESS', reason: '发票问题', situation: 'received', hasGoodReturn: false },
  { status: 'WAIT_SELLER_AGREE', reason: '不想要了', situation: 'in_transit', hasGoodReturn: false },
  { status: 'CLOSED', reason: '拍错了', situation: 'unshipped', hasGoodReturn: false },
  { status: 'SUCCESS', reason: '未按约定时间发货', situation: 'unshipped', hasGoodReturn: false },
  { status: 'WAIT_SELLER_AGREE', reason: '商品质量问题', situation: 'finished', hasGoodReturn: true },
  { status: 'SELLER_REFUSE_BUYER', reason: '七天无理由退换货', situation: 'received', hasGoodReturn: true, cs: 2 },
  { status: 'SUCCESS', reason: '商品与描述不符', situation: 'received', hasGoodReturn: true, cs: 6 },
  { status: 'WAIT_SELLER_AGREE', reason: '协商一致退款', situation: 'received', hasGoodReturn: false },
  { status: 'CLOSED', reason: '其他', situation: 'received', hasGoodReturn: false },
  { status: 'SELLER_REFUSE_BUYER', reason: '未收到货', situation: 'in_transit', hasGoodReturn: false, cs: 3 },
  { status: 'WAIT_SELLER_AGREE', reason: '未按约定时间发货', situation: 'unshipped', hasGoodReturn: false },
];

const refundStatusWeights: readonly (readonly [RefundStatus, number])[] = [
  ['WAIT_SELLER_AGREE', 14],
  ['WAIT_BUYER_RETURN_GOODS', 7],
  ['WAIT_SELLER_CONFIRM_GOODS', 7],
  ['SELLER_REFUSE_BUYER', 5],
  ['CLOSED', 22],
  ['SUCCESS', 45],
];

const reasonWeights = refundReasons.map((r) => [r, r.weight] as const);
const lineCountWeights: readonly (readonly [number, number])[] = [[1, 70], [2, 22], [3, 8]];

function randomPlan(rand: Rand): RefundPlan {
  const status = rand.weighted(refundStatusWeights);
  const needsReturn = status === 'WAIT_BUYER_RETURN_GOODS' || status === 'WAIT_SELLER_CONFIRM_GOODS';
  for (;;) {
    const reason = rand.weighted(reasonWeights);
    let situations = reason.situations;
    if (needsReturn) situations = situations.filter((s) => s === 'received' || s === 'finished');
    if (status === 'SELLER_REFUSE_BUYER') situations = situations.filter((s) => s !== 'unshipped');
    if (situations.length === 0) continue;
    const situation = rand.pick(situations);
    const canReturn = situation === 'received' || situation === 'finished';
    const hasGoodReturn = needsReturn || (canReturn && rand.chance(reason.returnRate));
    if (needsReturn && reason.returnRate === 0) continue;
    let cs = 1;
    if (status === 'SELLER_REFUSE_BUYER') cs = rand.weighted([[1, 65], [2, 25], [3, 10]]);
    else if (status === 'CLOSED' || status === 'SUCCESS') cs = rand.chance(0.06) ? 6 : 1;
    return { status, reason: reason.text, situation, hasGoodReturn, cs };
  }
}

export function refundAmountFen(rand: Rand, reason: RefundReason | undefined, hasGoodReturn: boolean, situation: GoodsSituation, divideFen: number): number {
  const text = reason?.text ?? '';
  let fen = divideFen;
  if (!hasGoodReturn && (situation === 'received' || situation === 'finished')) {
    if (text === '退运费') fen = rand.int(8, 15) * 100;
    else if (text === '发票问题') fen = rand.int(5, 20) * 100;
    else if (text === '商品质量问题' || text === '收到商品破损' || text === '商品与描述不符') fen = Math.round((divideFen * rand.range(0.2, 0.5)) / 100) * 100;
    else if (text === '协商一致退款') fen = Math.round((divideFen * rand.range(0.3, 1)) / 100) * 100;
  }
  return Math.max(1, Math.min(divideFen, fen));
}

/** The deadline of a refund's current step (refund_remind_timeout), from its last change. */
export function stepTimeout(r: Pick<SimRefund, 'status' | 'csStatus' | 'goodStatus' | 'modifiedMs'>): SimRefund['timeout'] {
  if (r.csStatus === 2 || r.csStatus === 3) return null; // the platform decides; no party's clock runs
  switch (r.status) {
    case 'WAIT_SELLER_AGREE':
      return { remindType: 1, atMs: r.modifiedMs + (r.goodStatus === 'BUYER_NOT_RECEIVED' ? 2 : 3) * DAY_MS };
    case 'WAIT_BUYER_RETURN_GOODS':
      return { remindType: 2, atMs: r.modifiedMs + 7 * DAY_MS };
    case 'WAIT_SELLER_CONFIRM_GOODS':
      return { remindType: 3, atMs: r.modifiedMs + 10 * DAY_MS };
    case 'SELLER_REFUSE_BUYER':
      return { remindType: 4, atMs: r.modifiedMs + 7 * DAY_MS };
    default:
      return null;
  }
}

function goodStatusOf(plan: RefundPlan, returned: boolean): GoodStatus {
  if (returned) return 'BUYER_RETURNED_GOODS';
  return plan.situation === 'received' || plan.situation === 'finished' ? 'BUYER_RECEIVED' : 'BUYER_NOT_RECEIVED';
}

// ------------------------------------------------------------ the shop

export interface SeededShop {
  trades: SimTrade[];
  refunds: SimRefund[];
}

/**
 * `orders` trades, `refunds` of them with a refund (a refund needs its own
 * trade: when refunds > orders, the shop has `refunds` trades).
 */
export function seedShop(rand: Rand, ids: SeedIds, now: number, orders: number, refunds: number): SeededShop {
  const tradeCount = Math.max(orders, refunds);
  // which trades carry a refund: spread over the shop, deterministic
  const withRefund: boolean[] = Array.from({ length: tradeCount }, (_, i) => i < refunds);
  rand.shuffle(withRefund);
  const buyerPool = Math.max(40, Math.ceil(tradeCount / 3));
  const buyers = new Map<number, { buyer: SimBuyer; receiver: SimReceiver }>();
  const person = () => {
    const index = rand.int(0, buyerPool - 1);
    let p = buyers.get(index);
    if (!p) {
      p = { buyer: makeBuyer(rand, index), receiver: makeReceiver(rand) };
      buyers.set(index, p);
    }
    return p;
  };

  const trades: SimTrade[] = [];
  const out: SimRefund[] = [];
  let plain = 0;
  let refunded = 0;
  for (let i = 0; i < tradeCount; i += 1) {
    const p = person();
    const lineCount = rand.weighted(lineCountWeights);
    if (!withRefund[i]) {
      const status = plain < tradeStatusWeights.length ? (tradeStatusWeights[plain] as readonly [TradeStatus, number])[0] : rand.weighted(tradeStatusWeights);
      plain += 1;
      trades.push(makeTrade(rand, ids, p.buyer, p.receiver, draftTrade(rand, now, status), lineCount));
      continue;
    }
    const plan = refunded < coveragePlan.length ? (coveragePlan[refunded] as RefundPlan) : randomPlan(rand);
    refunded += 1;
    const { trade, refund } = seedRefund(rand, ids, now, plan, p.buyer, p.receiver, lineCount);
    trades.push(trade);
    out.push(refund);
  }
  return { trades, refunds: out };
}

function seedRefund(
  rand: Rand,
  ids: SeedIds,
  now: number,
  plan: RefundPlan,
  buyer: SimBuyer,
  receiver: SimReceiver,
  lineCount: number,
): { trade: SimTrade; refund: SimRefund } {
  const u = (a: number, b: number) => Math.round(rand.range(a, b));
  const open = plan.status !== 'CLOSED' && plan.status !== 'SUCCESS';
  // the refund's last change: open ones are recent (a few overdue), closed ones spread over 90 days
  const modified = sec(open ? now - (rand.chance(0.08) ? u(3 * DAY_MS, 8 * DAY_MS) : u(0, 2.5 * DAY_MS)) : now - u(HOUR_MS, 88 * DAY_MS));
  let created: number;
  let agreedAt: number | null = null;
  let returnedAt: number | null = null;
  switch (plan.status) {
    case 'WAIT_SELLER_AGREE':
      created = rand.chance(0.15) ? modified - u(HOUR_MS, DAY_MS) : modified;
      break;
    case 'WAIT_BUYER_RETURN_GOODS':
      agreedAt = modified;
      created = agreedAt - u(HOUR_MS, 2 * DAY_MS);
      break;
    case 'WAIT_SELLER_CONFIRM_GOODS':
      returnedAt = modified;
      agreedAt = returnedAt - u(DAY_MS, 3 * DAY_MS);
      created = agreedAt - u(HOUR_MS, 2 * DAY_MS);
      break;
    case 'SELLER_REFUSE_BUYER':
      created = modified - u(HOUR_MS, 3 * DAY_MS);
      break;
    default:
      created = modified - u(HOUR_MS, 10 * DAY_MS);
      if (plan.hasGoodReturn) {
        agreedAt = created + Math.round((modified - created) * 0.3);
        if (plan.status === 'SUCCESS' || rand.chance(0.5)) returnedAt = created + Math.round((modified - created) * 0.6);
      }
  }
  created = sec(created);

  // the trade's history before the refund was asked for
  let pay: number;
  let consign: number | null = null;
  let signed: number | null = null;
  let end: number | null = null;
  switch (plan.situation) {
    case 'unshipped':
      pay = created - u(10 * MINUTE_MS, 2 * DAY_MS);
      break;
    case 'in_transit':
      consign = created - u(DAY_MS, 4 * DAY_MS);
      pay = consign - u(2 * HOUR_MS, 2 * DAY_MS);
      break;
    case 'received':
      signed = created - u(HOUR_MS, 5 * DAY_MS);
      consign = signed - u(DAY_MS, 3 * DAY_MS);
      pay = consign - u(2 * HOUR_MS, 2 * DAY_MS);
      break;
    case 'finished':
      end = created - u(HOUR_MS, 14 * DAY_MS);
      signed = end - u(30 * MINUTE_MS, 5 * DAY_MS);
      consign = signed - u(DAY_MS, 3 * DAY_MS);
      pay = consign - u(2 * HOUR_MS, 2 * DAY_MS);
      break;
  }
  const tradeCreated = pay - u(MINUTE_MS, 30 * MINUTE_MS);
  const draft: TradeDraft = {
    status: 'WAIT_SELLER_SEND_GOODS',
    createdMs: sec(tradeCreated),
    payMs: sec(pay),
    consignMs: consign === null ? null : sec(consign),
    signedMs: signed === null ? null : sec(signed),
    endMs: end === null ? null : sec(end),
    modifiedMs: modified,
  };
  const trade = makeTrade(rand, ids, buyer, receiver, draft, lineCount);
  const line = rand.pick(trade.lines);
  const reason = reasonByText(plan.reason);
  const divide = lineDivideFen(line);
  const amount = refundAmountFen(rand, reason, plan.hasGoodReturn, plan.situation, divide);
  const returned = returnedAt !== null;
  const returnCourier = rand.pick(couriers);
  const refund: SimRefund = {
    refundId: ids.nextRefundId(),
    trade,
    line,
    status: plan.status,
    goodStatus: goodStatusOf(plan, returned),
    hasGoodReturn: plan.hasGoodReturn,
    refundFeeFen: amount,
    reason: plan.reason,
    desc: reason ? rand.pick(reason.descriptions) : '',
    phase: plan.situation === 'finished' ? 'aftersale' : 'onsale',
    createdMs: created,
    modifiedMs: modified,
    version: modified + rand.int(0, 999),
    returnParcel: returned ? { company: returnCourier.name, sid: makeWaybill(rand, returnCourier) } : null,
    goodReturnMs: returnedAt === null ? null : sec(returnedAt),
    address: agreedAt !== null ? shopAddressText() : null,
    csStatus: plan.cs ?? 1,
    timeout: null,
    messages: null,
  };
  refund.timeout = open ? stepTimeout(refund) : null;
  line.refundId = refund.refundId;
  line.refundStatus = refund.status;

  // what became of the trade: open refunds hold it where it was; after a closed one it goes on
  let status: TradeStatus =
    plan.situation === 'unshipped' ? 'WAIT_SELLER_SEND_GOODS' : plan.situation === 'finished' ? 'TRADE_FINISHED' : 'WAIT_BUYER_CONFIRM_GOODS';
  let lastEvent = modified;
  const fullRefund = plan.status === 'SUCCESS' && amount === divide && plan.situation !== 'finished';
  if (fullRefund) {
    line.status = 'TRADE_CLOSED';
    line.endMs = modified;
    if (trade.lines.length === 1) {
      status = 'TRADE_CLOSED';
      trade.endMs = modified;
    }
  }
  if (!open && status !== 'TRADE_CLOSED' && status !== 'TRADE_FINISHED') {
    // the rest of the trade went on after the refund ended
    let at = modified;
    if (trade.consignMs === null) {
      at += u(2 * HOUR_MS, DAY_MS);
      if (at < now) {
        trade.consignMs = sec(at);
        const courier = rand.pick(couriers);
        trade.parcel = { courier, sid: makeWaybill(rand, courier) };
        status = 'WAIT_BUYER_CONFIRM_GOODS';
        lastEvent = trade.consignMs;
      }
    }
    if (trade.consignMs !== null && trade.signedMs === null) {
      at = Math.max(at, trade.consignMs) + u(DAY_MS, 3 * DAY_MS);
      if (at < now - HOUR_MS) trade.signedMs = sec(at);
    }
    if (trade.signedMs !== null) {
      at = Math.max(at, trade.signedMs) + u(HOUR_MS, 5 * DAY_MS);
      if (at < now) {
        status = 'TRADE_FINISHED';
        trade.endMs = sec(at);
        lastEvent = trade.endMs;
      }
    }
  }
  trade.status = status;
  trade.modifiedMs = Math.max(lastEvent, modified);
  for (const l of trade.lines) {
    if (l.status === 'TRADE_CLOSED' && l !== line) continue;
    if (l === line && fullRefund) continue;
    l.status = status;
    l.endMs = status === 'TRADE_FINISHED' || status === 'TRADE_CLOSED' ? trade.endMs : null;
  }
  return { trade, refund };
}

/** The refund's message board, made up from its history the first time it is read. */
export function seedRefundMessages(rand: Rand, r: SimRefund, nextId: () => bigint): NonNullable<SimRefund['messages']> {
  const msgs: NonNullable<SimRefund['messages']> = [];
  const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  const span = Math.max(r.modifiedMs - r.createdMs, 60_000);
  const at = (f: number) => sec(r.createdMs + span * f);
  msgs.push({
    id: nextId(),
    ownerRole: '1',
    content: `买家发起了${r.hasGoodReturn ? '退货退款' : '仅退款'}申请，退款原因：${r.reason}，退款金额：${yuan(r.refundFeeFen)}元，退款说明：${r.desc}`,
    createdMs: r.createdMs,
    messageType: 'NORMAL',
    picUrls: r.goodStatus === 'BUYER_NOT_RECEIVED' ? [] : [`https://img.alicdn.com/imgextra/topsim/evidence-${r.refundId}.jpg`],
  });
  if (r.address !== null) {
    msgs.push({ id: nextId(), ownerRole: '2', content: `卖家同意了退货申请，退货地址：${r.address}`, createdMs: at(0.3), messageType: 'RETURN_GOODS_APPROVED', picUrls: [] });
  }
  if (r.returnParcel !== null) {
    msgs.push({ id: nextId(), ownerRole: '1', content: `买家已退货，物流公司：${r.returnParcel.company}，运单号：${r.returnParcel.sid}`, createdMs: r.goodReturnMs ?? at(0.6), messageType: 'NORMAL', picUrls: [] });
  }
  if (r.status === 'SELLER_REFUSE_BUYER') {
    msgs.push({ id: nextId(), ownerRole: '2', content: `卖家拒绝了退款申请，拒绝原因：${rand.pick(refuseMessages)}`, createdMs: r.modifiedMs, messageType: 'NORMAL', picUrls: [] });
  }
  if (r.csStatus >= 2) msgs.push({ id: nextId(), ownerRole: '1', content: '买家申请淘宝客服介入', createdMs: at(0.8), messageType: 'NORMAL', picUrls: [] });
  if (r.csStatus === 6) {
    msgs.push({ id: nextId(), ownerRole: '3', content: r.status === 'SUCCESS' ? '淘宝客服判定：支持买家退款' : '淘宝客服判定：不支持买家退款', createdMs: r.modifiedMs, messageType: 'NORMAL', picUrls: [] });
  }
  if (r.status === 'CLOSED' && r.csStatus !== 6) msgs.push({ id: nextId(), ownerRole: '1', content: '买家撤销了退款申请', createdMs: r.modifiedMs, messageType: 'NORMAL', picUrls: [] });
  if (r.status === 'SUCCESS' && r.csStatus !== 6) msgs.push({ id: nextId(), ownerRole: '2', content: `卖家同意退款，退款金额：${yuan(r.refundFeeFen)}元`, createdMs: r.modifiedMs, messageType: 'NORMAL', picUrls: [] });
  return msgs.sort((a, b) => a.createdMs - b.createdMs);
}
