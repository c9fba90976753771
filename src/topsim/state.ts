/**
 * topsim's state and logic, without HTTP: the seeded shop, the seller's and
 * the buyers' actions, the TMC queue, fault injection and call statistics.
 * `createSimState()` gives one; `sim.gateway(request)` answers a TOP call the
 * way /router/rest does (see gateway.ts), so the logic is testable in-process.
 *
 * Randomness: separate seeded streams for the shop data, ids, faults and the
 * background activity, so turning on a fault does not change the shop.
 */
import { performance } from 'node:perf_hooks';
import { Rand } from '../core/random.ts';
import { formatTopTime } from '../platform/taobao/top-sign.ts';
import { couriers, reasonByText, shopAddressText, type Courier } from './catalogue.ts';
import { handleGateway, type GatewayOutcome, type GatewayRequest } from './gateway.ts';
import {
  isOpenRefund,
  lineDivideFen,
  renderRefund,
  renderTrade,
  orderFields,
  refundFullFields,
  pick,
  tradeFields,
  tradePaymentFen,
  type RefundStatus,
  type ShopType,
  type SimRefund,
  type SimRefundMessage,
  type SimTmcMessage,
  type SimTrade,
  type TradeStatus,
} from './model.ts';
import { makeBuyer, makeLines, makeReceiver, makeWaybill, refundAmountFen, seedRefundMessages, seedShop, stepTimeout, type SeedIds } from './seed.ts';
import { TimeIndex } from './time-index.ts';
import { writeTopJson } from './json.ts';
import type { Topic } from './topics.ts';

export interface SimOptions {
  seed?: number;
  /** the seeded shop's size (default 200 orders, 60 refunds); false: an empty shop */
  shop?: { orders: number; refunds: number } | false;
  /** the sim's clock (default the system's); `control.advanceTime` moves it on */
  now?: () => Date;
  /** how long a consumed, unconfirmed TMC message stays invisible (default 5000 ms) */
  tmcInvisibleMs?: number;
  /** a Taobao (C) shop or a Tmall (B) shop: Tmall's stricter rules on seller actions (default taobao) */
  shopType?: ShopType;
}

export type FailKind = 'http500' | 'isp' | 'timeout' | 'malformed';

export interface FaultOptions {
  /** calls per second and app key above which TOP answers code 7; null: no limit */
  rateLimitPerSecond?: number | null;
  /** the next `count` gateway calls fail so; `applied`: the call still takes effect, only its answer is lost */
  failNext?: { count: number; kind: FailKind; applied?: boolean } | null;
  /** probability (0–1) that a published TMC message is queued twice (the copy has its own id) */
  duplicateMessages?: number;
  /** consume hands out waiting messages in a random order */
  reorderMessages?: boolean;
  /** probability (0–1) that a published TMC message is never queued */
  dropMessages?: number;
  /** the seller's session key is expired (27 session-expired) until set back to false */
  expireSession?: boolean;
}

export interface FaultState {
  rateLimitPerSecond: number | null;
  failNext: { count: number; kind: FailKind; applied: boolean } | null;
  duplicateMessages: number;
  reorderMessages: boolean;
  dropMessages: number;
  expireSession: boolean;
}

export interface SimStats {
  /** gateway calls per TOP method name (every call received, refused ones too) */
  calls: Record<string, number>;
  totalCalls: number;
  /** per app key: the most calls seen within any rolling one-second window */
  peakPerSecond: Record<string, number>;
  /** calls answered with code 7 (over the rate limit) */
  rateLimited: number;
  /** error answers by TOP code */
  errors: Record<string, number>;
  messages: { published: number; queued: number; dropped: number; duplicated: number };
}

export interface SimMessageView {
  id: string;
  topic: string;
  pub_time: string;
  /** the content as TMC sends it: a JSON string with ids as raw numbers */
  content: string;
  state: 'waiting' | 'in_flight' | 'confirmed';
  deliveries: number;
}

export interface SimSnapshot {
  now: string;
  /** every trade as trade.fullinfo.get gives it (all fields; Number ids as bigint) */
  trades: Record<string, unknown>[];
  /** every refund as refund.get gives it (all fields) */
  refunds: Record<string, unknown>[];
}

export type Id = string | bigint;

export interface CreateOrderInput {
  /** 1–3 lines (default 1) */
  lines?: number;
  /** false: WAIT_BUYER_PAY (default true: paid) */
  paid?: boolean;
  buyerNick?: string;
}

export interface ApplyRefundInput {
  tid: Id;
  /** the line; default the trade's first line */
  oid?: Id;
  /** a return of the goods (退货退款); default false (仅退款) */
  hasGoodReturn?: boolean;
  /** Taobao's reason text (七天无理由退换货 …); default 不想要了 */
  reasonText?: string;
  /** default: what the buyer paid for the line */
  amountFen?: number;
  desc?: string;
}

export interface ModifyRefundInput {
  amountFen?: number;
  reasonText?: string;
  desc?: string;
  hasGoodReturn?: boolean;
}

export interface RefundResult {
  refundId: string;
  status: RefundStatus;
  /** refund_version after the change (decimal text) */
  version: string;
}

/** The buyer's and the platform's side, for tests and demos (also served under /sim/*). */
export interface SimControl {
  createOrder(input?: CreateOrderInput): { tid: string; oids: string[] };
  payOrder(tid: Id): void;
  shipOrder(tid: Id, input?: { company?: string; sid?: string }): void;
  signOrder(tid: Id): void;
  finishOrder(tid: Id): void;
  closeOrder(tid: Id): void;
  applyRefund(input: ApplyRefundInput): RefundResult;
  modifyRefund(refundId: Id, input: ModifyRefundInput): RefundResult;
  shipReturn(refundId: Id, input: { company: string; sid: string }): RefundResult;
  withdrawRefund(refundId: Id): RefundResult;
  requestIntervention(refundId: Id): RefundResult;
  decideIntervention(refundId: Id, outcome: 'refund' | 'reject'): RefundResult;
  timeoutRefund(refundId: Id): RefundResult;
  state(): SimSnapshot;
  stats(): SimStats;
  resetStats(): void;
  messages(): SimMessageView[];
  faults(options: FaultOptions): FaultState;
  /** buyer actions on their own, about `perMinute` a minute (0 stops) */
  activity(perMinute: number): void;
  /** moves the sim's clock on (timestamps, TMC visibility, deadlines) */
  advanceTime(ms: number): Date;
}

/**
 * A refund's change, or a seller's write that changes no refund (a remark on the trade, a message on the
 * refund's board), as the load test's change log sees it (issue 16 §3). `cause` is the TOP method of the
 * seller's call that made it, or `control` for the buyer's and the platform's actions (the control API,
 * the activity, the load).
 */
export type SimChange =
  | { kind: 'refund'; atMs: number; refundId: bigint; tid: bigint; version: number; prevVersion: number; status: RefundStatus; cause: string }
  | { kind: 'memo'; atMs: number; tid: bigint; cause: string }
  | { kind: 'message'; atMs: number; refundId: bigint; cause: string };

/** A control action that cannot be done (unknown id, wrong state). */
export class SimError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 409,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

export { PLATFORM_APP_KEY, knownTopics, type Topic } from './topics.ts';

const hex = (rand: Rand, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[rand.int(0, 15)]).join('');

export class Sim {
  readonly seed: number;
  readonly shopType: ShopType;
  readonly app: { appKey: string; appSecret: string };
  readonly seller: { nick: string; sessionKey: string; userId: string };
  readonly sellerUserId: number;
  readonly tmcInvisibleMs: number;
  readonly control: SimControl;

  readonly trades = new Map<bigint, SimTrade>();
  readonly refunds = new Map<bigint, SimRefund>();
  readonly tradesByModified = new TimeIndex<SimTrade>();
  readonly tradesByCreated = new TimeIndex<SimTrade>();
  readonly refundsByModified = new TimeIndex<SimRefund>();
  /** open refunds (for the activity) */
  readonly openRefunds = new Set<SimRefund>();

  /** TMC: the app's queue (every message ever queued, in order) and what is still to confirm */
  readonly tmcAll: SimTmcMessage[] = [];
  private tmcPending: SimTmcMessage[] = [];
  readonly tmcById = new Map<bigint, SimTmcMessage>();
  private readonly refundOverrides = new Map<bigint, Record<string, unknown>>();
  /** taobao.tmc.user.permit: null = every topic */
  permittedTopics: Set<string> | null = null;
  /** told of every refund change and every seller write (the load test's change log, issue 16 §3); null: nobody listens */
  changeListener: ((change: SimChange) => void) | null = null;
  /** the TOP method being answered while a gateway call runs: what caused a change */
  private answering: string | null = null;

  readonly faultState: FaultState = {
    rateLimitPerSecond: null,
    failNext: null,
    duplicateMessages: 0,
    reorderMessages: false,
    dropMessages: 0,
    expireSession: false,
  };

  private readonly baseNow: () => Date;
  private offsetMs = 0;
  private readonly dataRand: Rand;
  private readonly idRand: Rand;
  readonly faultRand: Rand;
  private readonly activityRand: Rand;
  private tidCursor: bigint;
  private refundCursor: bigint;
  private tmcCursor: bigint;
  private messageCursor: bigint;
  private lastVersion = 0;
  private requestCounter = 0;
  private activityTimer: NodeJS.Timeout | null = null;
  private activityPerMinute = 0;

  // statistics
  private calls = new Map<string, number>();
  private totalCalls = 0;
  private recentCalls = new Map<string, number[]>();
  private acceptedCalls = new Map<string, number[]>();
  private peaks = new Map<string, number>();
  private rateLimitedCount = 0;
  private errorCounts = new Map<string, number>();
  private messageCounts = { published: 0, queued: 0, dropped: 0, duplicated: 0 };

  constructor(options: SimOptions = {}) {
    this.seed = options.seed ?? 1;
    this.shopType = options.shopType ?? 'taobao';
    this.baseNow = options.now ?? (() => new Date());
    this.tmcInvisibleMs = options.tmcInvisibleMs ?? 5_000;
    const s = this.seed >>> 0;
    this.dataRand = new Rand(s ^ 0x5eed);
    this.idRand = new Rand((s * 31 + 7) ^ 0x1d5);
    this.faultRand = new Rand((s * 131 + 11) ^ 0xfa17);
    this.activityRand = new Rand((s * 977 + 13) ^ 0xac7);
    const keyRand = new Rand((s * 7 + 3) ^ 0x4e7);
    this.app = { appKey: String(keyRand.int(21_000_000, 34_999_999)), appSecret: hex(keyRand, 32) };
    const nick = this.shopType === 'tmall' ? '步履鞋业旗舰店' : '步履小白鞋工厂店';
    this.sellerUserId = 2_206_000_000_000 + keyRand.int(0, 99_999_999);
    this.seller = { nick, sessionKey: `6100${hex(keyRand, 36)}`, userId: String(this.sellerUserId) };
    this.tidCursor = 3_900_000_000_000_000_000n + BigInt(this.idRand.int(0, 999_999)) * 1_000_000_000n;
    this.refundCursor = 200_000_000_000_000_000n + BigInt(this.idRand.int(0, 999_999)) * 1_000_000_000n;
    this.tmcCursor = 5_100_000_000_000_000_000n + BigInt(this.idRand.int(0, 999_999)) * 1_000_000_000n;
    this.messageCursor = 120_000_000_000_000_000n + BigInt(this.idRand.int(0, 999_999)) * 1_000_000_000n;
    this.control = this.makeControl();

    const shop = options.shop === undefined ? { orders: 200, refunds: 60 } : options.shop;
    if (shop) this.load(shop.orders, shop.refunds);
  }

  // ------------------------------------------------------------------ clock and ids

  nowMs(): number {
    return this.baseNow().getTime() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  readonly ids: SeedIds = {
    nextTradeId: () => (this.tidCursor += BigInt(this.idRand.int(100_000_000, 999_999_999))),
    nextRefundId: () => (this.refundCursor += BigInt(this.idRand.int(1_000_000, 99_999_999))),
  };

  nextMessageId(): bigint {
    return (this.messageCursor += BigInt(this.idRand.int(1_000, 999_999)));
  }

  nextRequestId(): string {
    this.requestCounter += 1;
    const mixed = (BigInt(this.requestCounter) * 0x9e3779b97f4a7c15n + BigInt(this.seed >>> 0)) % 36n ** 13n;
    return mixed.toString(36).padStart(13, '0');
  }

  /** the user id of the seller as TOP gives it (a Number) */
  get sellerInfo(): { nick: string; userId: number } {
    return { nick: this.seller.nick, userId: this.sellerUserId };
  }

  private load(orders: number, refunds: number): void {
    if (!Number.isSafeInteger(orders) || orders < 0 || !Number.isSafeInteger(refunds) || refunds < 0) throw new Error('shop sizes must be whole numbers ≥ 0');
    const shop = seedShop(this.dataRand, this.ids, this.nowMs(), orders, refunds);
    for (const t of shop.trades) this.trades.set(t.tid, t);
    for (const r of shop.refunds) {
      this.refunds.set(r.refundId, r);
      if (isOpenRefund(r.status)) this.openRefunds.add(r);
      this.lastVersion = Math.max(this.lastVersion, r.version);
    }
    this.tradesByModified.addAll(shop.trades, (t) => t.modifiedMs, (t) => t.tid);
    this.tradesByCreated.addAll(shop.trades, (t) => t.createdMs, (t) => t.tid);
    this.refundsByModified.addAll(shop.refunds, (r) => r.modifiedMs, (r) => r.refundId);
  }

  // ------------------------------------------------------------------ lookups

  trade(tid: Id): SimTrade {
    const t = this.trades.get(toBigId(tid));
    if (!t) throw new SimError(`no trade ${String(tid)}`, 404);
    return t;
  }

  refund(refundId: Id): SimRefund {
    const r = this.refunds.get(toBigId(refundId));
    if (!r) throw new SimError(`no refund ${String(refundId)}`, 404);
    return r;
  }

  refundMessages(r: SimRefund): SimRefundMessage[] {
    if (r.messages === null) {
      const rand = new Rand(Number(r.refundId % 2_147_483_647n));
      r.messages = seedRefundMessages(rand, r, () => this.nextMessageId());
    }
    return r.messages;
  }

  addRefundMessage(r: SimRefund, m: Omit<SimRefundMessage, 'id' | 'createdMs'>): SimRefundMessage {
    const msg: SimRefundMessage = { ...m, id: this.nextMessageId(), createdMs: sec(this.nowMs()) };
    this.refundMessages(r).push(msg);
    return msg;
  }

  // ------------------------------------------------------------------ changes

  /** A trade changed: its modified time moves on (whole seconds, never backwards). */
  touchTrade(t: SimTrade): void {
    const m = Math.max(t.modifiedMs, sec(this.nowMs()));
    if (m !== t.modifiedMs) {
      this.tradesByModified.move(t, t.tid, t.modifiedMs, m);
      t.modifiedMs = m;
    }
  }

  /**
   * A refund changed: a new refund_version (milliseconds, strictly increasing),
   * its modified time, its step deadline, its line's refund status, its trade's
   * modified time; then the TMC messages.
   */
  changeRefund(r: SimRefund, topics: Topic[]): void {
    const now = this.nowMs();
    const prevVersion = r.version;
    this.lastVersion = Math.max(now, this.lastVersion + 1, r.version + 1);
    r.version = this.lastVersion;
    const m = Math.max(r.modifiedMs, sec(now));
    if (m !== r.modifiedMs) {
      this.refundsByModified.move(r, r.refundId, r.modifiedMs, m);
      r.modifiedMs = m;
    }
    r.timeout = isOpenRefund(r.status) ? stepTimeout(r) : null;
    if (isOpenRefund(r.status)) this.openRefunds.add(r);
    else this.openRefunds.delete(r);
    if (r.line.refundId === r.refundId) r.line.refundStatus = r.status;
    this.touchTrade(r.trade);
    this.changeListener?.({ kind: 'refund', atMs: now, refundId: r.refundId, tid: r.trade.tid, version: r.version, prevVersion, status: r.status, cause: this.answering ?? 'control' });
    for (const topic of topics) this.publishRefund(topic, r);
    if (r.status === 'SUCCESS' && topics.includes('taobao_refund_RefundSuccess')) this.afterRefundSuccess(r);
  }

  /** A line paid back in full before the trade finished closes; the last such line closes the trade. */
  private afterRefundSuccess(r: SimRefund): void {
    const t = r.trade;
    const beforeFinish = t.status === 'WAIT_SELLER_SEND_GOODS' || t.status === 'WAIT_BUYER_CONFIRM_GOODS';
    if (beforeFinish && r.refundFeeFen === lineDivideFen(r.line)) {
      r.line.status = 'TRADE_CLOSED';
      r.line.endMs = sec(this.nowMs());
      if (t.lines.every((l) => l.status === 'TRADE_CLOSED')) {
        t.status = 'TRADE_CLOSED';
        t.endMs = sec(this.nowMs());
        this.touchTrade(t);
        this.publishTrade('taobao_trade_TradeClose', t);
        return;
      }
    }
    this.touchTrade(t);
    this.publishTrade('taobao_trade_TradePartlyRefund', t, r.line.oid);
  }

  private refundContent(r: SimRefund): Record<string, unknown> {
    return {
      refund_id: r.refundId,
      tid: r.trade.tid,
      oid: r.line.oid,
      refund_fee: fenText(r.refundFeeFen),
      refund_phase: r.phase,
      bill_type: r.hasGoodReturn ? 'return_bill' : 'refund_bill',
      buyer_nick: r.trade.buyer.nick,
      buyer_open_uid: r.trade.buyer.openUid,
      seller_nick: this.seller.nick,
      modified: formatTopTime(new Date(r.modifiedMs)),
    };
  }

  publishRefund(topic: Topic, r: SimRefund): void {
    this.publish(topic, this.refundContent(r));
  }

  publishTrade(topic: Topic, t: SimTrade, oid?: bigint): void {
    const content: Record<string, unknown> = {
      tid: t.tid,
      oid: oid ?? t.lines[0]?.oid,
      buyer_nick: t.buyer.nick,
      buyer_open_uid: t.buyer.openUid,
      seller_nick: this.seller.nick,
      payment: fenText(tradePaymentFen(t)),
      status: t.status,
      type: 'fixed',
    };
    if (topic === 'taobao_trade_TradeMemoModified') {
      content.seller_memo = t.sellerMemo ?? '';
      content.seller_flag = t.sellerFlag;
    }
    this.publish(topic, content);
  }

  /** Queues a message for the app (unless dropped by a fault or not permitted). */
  private publish(topic: Topic, content: Record<string, unknown>): void {
    this.messageCounts.published += 1;
    if (this.permittedTopics !== null && !this.permittedTopics.has(topic)) return;
    this.enqueue(topic, writeTopJson(content));
  }

  /**
   * Test hook: queues a message as given, whatever its topic and content (an
   * unknown topic, content that is not JSON), past tmc.user.permit; the
   * message faults (drop, duplicate) still apply.
   */
  publishRaw(topic: string, content: string): void {
    this.messageCounts.published += 1;
    this.enqueue(topic, content);
  }

  /**
   * Test hook: from now on the gateway answers this refund (refund.get,
   * refunds.receive.get) with these fields replaced, e.g. `{ refund_fee: '12.3.4' }`
   * or `{ status: 'WAIT_SOMETHING_NEW' }`; null answers it truly again.
   * state() and TMC contents keep the truth.
   */
  corruptRefund(refundId: Id, overrides: Record<string, unknown> | null): void {
    const r = this.refund(refundId);
    if (overrides === null) this.refundOverrides.delete(r.refundId);
    else this.refundOverrides.set(r.refundId, { ...overrides });
  }

  /** a rendered refund as the gateway answers it (with corruptRefund's replacements) */
  answerRefund(r: SimRefund, rendered: Record<string, unknown>): Record<string, unknown> {
    const o = this.refundOverrides.get(r.refundId);
    return o ? { ...rendered, ...o } : rendered;
  }

  private enqueue(topic: string, text: string): void {
    const f = this.faultState;
    if (f.dropMessages > 0 && this.faultRand.chance(f.dropMessages)) {
      this.messageCounts.dropped += 1;
      return;
    }
    const copies = f.duplicateMessages > 0 && this.faultRand.chance(f.duplicateMessages) ? 2 : 1;
    if (copies === 2) this.messageCounts.duplicated += 1;
    for (let i = 0; i < copies; i += 1) {
      this.tmcCursor += BigInt(this.idRand.int(1, 99_999));
      const m: SimTmcMessage = { id: this.tmcCursor, topic, pubTimeMs: this.nowMs(), content: text, state: 'waiting', invisibleUntilMs: 0, deliveries: 0 };
      this.tmcAll.push(m);
      this.tmcPending.push(m);
      this.tmcById.set(m.id, m);
      this.messageCounts.queued += 1;
    }
  }

  /** taobao.tmc.messages.consume: waiting messages, and unconfirmed ones whose invisible time has passed. */
  consumeMessages(quantity: number): SimTmcMessage[] {
    const now = this.nowMs();
    this.tmcPending = this.tmcPending.filter((m) => m.state !== 'confirmed');
    let ready = this.tmcPending.filter((m) => m.state === 'waiting' || m.invisibleUntilMs <= now);
    if (this.faultState.reorderMessages) ready = this.faultRand.shuffle(ready.slice());
    const out = ready.slice(0, quantity);
    for (const m of out) {
      m.state = 'in_flight';
      m.deliveries += 1;
      m.invisibleUntilMs = now + this.tmcInvisibleMs;
    }
    return out;
  }

  confirmMessages(ids: bigint[]): void {
    for (const id of ids) {
      const m = this.tmcById.get(id);
      if (m) m.state = 'confirmed';
    }
  }

  // ------------------------------------------------------------------ gateway and statistics

  gateway(request: GatewayRequest): GatewayOutcome {
    const method = request.params.method ?? '';
    this.answering = method;
    try {
      const outcome = handleGateway(this, request);
      // the seller's writes that change no refund: told apart, for the load test's "applied once"
      if (this.changeListener && outcome.kind === 'answer' && !outcome.text.startsWith('{"error_response"')) {
        const at = this.nowMs();
        if (method === 'taobao.trade.memo.update' && request.params.tid) this.changeListener({ kind: 'memo', atMs: at, tid: toBigId(request.params.tid), cause: method });
        if (method === 'taobao.refund.message.add' && request.params.refund_id) this.changeListener({ kind: 'message', atMs: at, refundId: toBigId(request.params.refund_id), cause: method });
      }
      return outcome;
    } finally {
      this.answering = null;
    }
  }

  /** TMC messages queued and not yet confirmed (waiting or in flight) */
  tmcBacklog(): number {
    let n = 0;
    for (const m of this.tmcPending) if (m.state !== 'confirmed') n += 1;
    return n;
  }

  /**
   * Counts a call (by its arrival time) and says whether it is within the rate
   * limit: at most `rateLimitPerSecond` accepted calls in any 1,000 ms (a strict
   * rolling window; the peak in stats() is measured the same way).
   */
  countCall(appKey: string, method: string, arrivedAt?: number): { allowed: true } | { allowed: false; banSeconds: number } {
    const t = arrivedAt ?? performance.now();
    this.totalCalls += 1;
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    const recent = prune(this.recentCalls, appKey, t);
    insertSorted(recent, t);
    this.peaks.set(appKey, Math.max(this.peaks.get(appKey) ?? 0, recent.length));
    const limit = this.faultState.rateLimitPerSecond;
    const accepted = prune(this.acceptedCalls, appKey, t);
    if (limit !== null && accepted.length >= limit) {
      this.rateLimitedCount += 1;
      const oldest = accepted[0] ?? t;
      return { allowed: false, banSeconds: Math.max(1, Math.ceil((oldest + 1000 - t) / 1000)) };
    }
    insertSorted(accepted, t);
    return { allowed: true };
  }

  countError(code: number): void {
    this.errorCounts.set(String(code), (this.errorCounts.get(String(code)) ?? 0) + 1);
  }

  /** The failure to inject into this call, if one is armed. */
  takeFailure(): { kind: FailKind; applied: boolean } | null {
    const f = this.faultState.failNext;
    if (!f || f.count <= 0) return null;
    f.count -= 1;
    if (f.count <= 0) this.faultState.failNext = null;
    return { kind: f.kind, applied: f.applied };
  }

  // ------------------------------------------------------------------ buyer and platform actions

  createOrder(input: CreateOrderInput = {}): { tid: string; oids: string[] } {
    const rand = this.dataRand;
    const lines = input.lines ?? 1;
    if (!Number.isInteger(lines) || lines < 1 || lines > 3) throw new SimError('lines must be 1–3', 400);
    const now = sec(this.nowMs());
    const buyer = makeBuyer(rand, rand.int(0, 1_000_000));
    if (input.buyerNick) buyer.nick = input.buyerNick;
    const tid = this.ids.nextTradeId();
    const paid = input.paid ?? true;
    const status: TradeStatus = paid ? 'WAIT_SELLER_SEND_GOODS' : 'WAIT_BUYER_PAY';
    const t: SimTrade = {
      tid,
      status,
      buyer,
      receiver: makeReceiver(rand),
      createdMs: now,
      payMs: paid ? now : null,
      consignMs: null,
      signedMs: null,
      endMs: null,
      modifiedMs: now,
      postFeeFen: 0,
      lines: makeLines(rand, this.ids, tid, lines, status),
      sellerMemo: null,
      sellerFlag: 0,
      buyerMessage: rand.chance(0.2) ? '请尽快发货，谢谢' : null,
      parcel: null,
    };
    this.trades.set(tid, t);
    this.tradesByModified.add(t, t.modifiedMs, tid);
    this.tradesByCreated.add(t, t.createdMs, tid);
    this.publishTrade('taobao_trade_TradeCreate', t);
    if (paid) this.publishTrade('taobao_trade_TradeBuyerPay', t);
    return { tid: tid.toString(), oids: t.lines.map((l) => l.oid.toString()) };
  }

  private setTradeStatus(t: SimTrade, status: TradeStatus): void {
    t.status = status;
    for (const l of t.lines) {
      if (l.status === 'TRADE_CLOSED') continue;
      l.status = status;
      if (status === 'TRADE_FINISHED' || status === 'TRADE_CLOSED' || status === 'TRADE_CLOSED_BY_TAOBAO') l.endMs = t.endMs;
    }
    this.touchTrade(t);
  }

  payOrder(tid: Id): void {
    const t = this.trade(tid);
    if (t.status !== 'WAIT_BUYER_PAY') throw new SimError(`trade ${t.tid} is ${t.status}, not WAIT_BUYER_PAY`);
    t.payMs = sec(this.nowMs());
    this.setTradeStatus(t, 'WAIT_SELLER_SEND_GOODS');
    this.publishTrade('taobao_trade_TradeBuyerPay', t);
  }

  /** The seller ships (outside the API, e.g. from an ERP); an application for a refund before shipping closes. */
  shipOrder(tid: Id, input: { company?: string; sid?: string } = {}): void {
    const t = this.trade(tid);
    if (t.status !== 'WAIT_SELLER_SEND_GOODS') throw new SimError(`trade ${t.tid} is ${t.status}, not WAIT_SELLER_SEND_GOODS`);
    const courier: Courier = couriers.find((c) => c.name === input.company || c.code === input.company) ?? (input.company ? { name: input.company, code: 'OTHER', prefix: '', digits: 12 } : this.dataRand.pick(couriers));
    t.parcel = { courier, sid: input.sid ?? makeWaybill(this.dataRand, courier) };
    t.consignMs = sec(this.nowMs());
    this.setTradeStatus(t, 'WAIT_BUYER_CONFIRM_GOODS');
    this.publishTrade('taobao_trade_TradeSellerShip', t);
    for (const r of this.refundsOf(t)) {
      if (r.status === 'WAIT_SELLER_AGREE' && r.goodStatus === 'BUYER_NOT_RECEIVED' && !r.hasGoodReturn) {
        r.status = 'CLOSED';
        this.addRefundMessage(r, { ownerRole: '3', content: '卖家已发货，退款关闭', messageType: 'NORMAL', picUrls: [] });
        this.changeRefund(r, ['taobao_refund_RefundClosed']);
      }
    }
  }

  /** The buyer signs for the parcel (the trace shows 已签收; the trade's status does not change). */
  signOrder(tid: Id): void {
    const t = this.trade(tid);
    if (t.consignMs === null) throw new SimError(`trade ${t.tid} has not been shipped`);
    if (t.signedMs === null) t.signedMs = Math.max(sec(this.nowMs()), t.consignMs);
  }

  finishOrder(tid: Id): void {
    const t = this.trade(tid);
    if (t.status !== 'WAIT_BUYER_CONFIRM_GOODS') throw new SimError(`trade ${t.tid} is ${t.status}, not WAIT_BUYER_CONFIRM_GOODS`);
    const now = sec(this.nowMs());
    if (t.signedMs === null) t.signedMs = Math.max(now, t.consignMs ?? now);
    t.endMs = now;
    this.setTradeStatus(t, 'TRADE_FINISHED');
    this.publishTrade('taobao_trade_TradeSuccess', t);
  }

  /** An unpaid trade times out (TRADE_CLOSED_BY_TAOBAO). */
  closeOrder(tid: Id): void {
    const t = this.trade(tid);
    if (t.status !== 'WAIT_BUYER_PAY') throw new SimError(`trade ${t.tid} is ${t.status}: only an unpaid trade closes so`);
    t.endMs = sec(this.nowMs());
    this.setTradeStatus(t, 'TRADE_CLOSED_BY_TAOBAO');
    this.publishTrade('taobao_trade_TradeClose', t);
  }

  refundsOf(t: SimTrade): SimRefund[] {
    const out: SimRefund[] = [];
    for (const l of t.lines) {
      if (l.refundId === null) continue;
      const r = this.refunds.get(l.refundId);
      if (r) out.push(r);
    }
    return out;
  }

  applyRefund(input: ApplyRefundInput): RefundResult {
    const t = this.trade(input.tid);
    const line = input.oid === undefined ? t.lines[0] : t.lines.find((l) => l.oid === toBigId(input.oid as Id));
    if (!line) throw new SimError(`trade ${t.tid} has no line ${String(input.oid)}`, 404);
    if (t.status === 'WAIT_BUYER_PAY' || t.status === 'TRADE_CLOSED' || t.status === 'TRADE_CLOSED_BY_TAOBAO' || line.status === 'TRADE_CLOSED') {
      throw new SimError(`trade ${t.tid} is ${line.status}: no refund can be asked for`);
    }
    if (line.refundId !== null) {
      const previous = this.refunds.get(line.refundId);
      if (previous && isOpenRefund(previous.status)) throw new SimError(`line ${line.oid} already has an open refund ${previous.refundId}`);
    }
    const shipped = t.consignMs !== null;
    const received = t.signedMs !== null || t.status === 'TRADE_FINISHED';
    const hasGoodReturn = input.hasGoodReturn ?? false;
    if (hasGoodReturn && !shipped) throw new SimError('goods that were not shipped cannot be returned', 400);
    const divide = lineDivideFen(line);
    const amount = input.amountFen ?? divide;
    if (!Number.isSafeInteger(amount) || amount <= 0 || amount > divide) throw new SimError(`amountFen must be 1–${divide}`, 400);
    const reasonText = input.reasonText ?? '不想要了';
    const now = sec(this.nowMs());
    const r: SimRefund = {
      refundId: this.ids.nextRefundId(),
      trade: t,
      line,
      status: 'WAIT_SELLER_AGREE',
      goodStatus: received ? 'BUYER_RECEIVED' : 'BUYER_NOT_RECEIVED',
      hasGoodReturn,
      refundFeeFen: amount,
      reason: reasonText,
      desc: input.desc ?? reasonByText(reasonText)?.descriptions[0] ?? '',
      phase: t.status === 'TRADE_FINISHED' ? 'aftersale' : 'onsale',
      createdMs: now,
      modifiedMs: now,
      version: 0,
      returnParcel: null,
      goodReturnMs: null,
      address: null,
      csStatus: 1,
      timeout: null,
      messages: [],
    };
    this.refunds.set(r.refundId, r);
    this.refundsByModified.add(r, r.modifiedMs, r.refundId);
    line.refundId = r.refundId;
    this.addRefundMessage(r, {
      ownerRole: '1',
      content: `买家发起了${hasGoodReturn ? '退货退款' : '仅退款'}申请，退款原因：${reasonText}，退款金额：${fenText(amount)}元，退款说明：${r.desc}`,
      messageType: 'NORMAL',
      picUrls: [],
    });
    this.changeRefund(r, ['taobao_refund_RefundCreated']);
    return result(r);
  }

  modifyRefund(refundId: Id, input: ModifyRefundInput): RefundResult {
    const r = this.refund(refundId);
    if (r.status !== 'WAIT_SELLER_AGREE' && r.status !== 'SELLER_REFUSE_BUYER') throw new SimError(`refund ${r.refundId} is ${r.status}: it cannot be modified`);
    const divide = lineDivideFen(r.line);
    if (input.amountFen !== undefined) {
      if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0 || input.amountFen > divide) throw new SimError(`amountFen must be 1–${divide}`, 400);
      r.refundFeeFen = input.amountFen;
    }
    if (input.hasGoodReturn !== undefined) {
      if (input.hasGoodReturn && r.trade.consignMs === null) throw new SimError('goods that were not shipped cannot be returned', 400);
      r.hasGoodReturn = input.hasGoodReturn;
    }
    if (input.reasonText !== undefined) r.reason = input.reasonText;
    if (input.desc !== undefined) r.desc = input.desc;
    r.status = 'WAIT_SELLER_AGREE';
    this.addRefundMessage(r, { ownerRole: '1', content: `买家修改了退款申请，退款金额：${fenText(r.refundFeeFen)}元，原因：${r.reason}`, messageType: 'NORMAL', picUrls: [] });
    this.changeRefund(r, ['taobao_refund_RefundBuyerModifyAgreement']);
    return result(r);
  }

  shipReturn(refundId: Id, input: { company: string; sid: string }): RefundResult {
    const r = this.refund(refundId);
    if (r.status !== 'WAIT_BUYER_RETURN_GOODS') throw new SimError(`refund ${r.refundId} is ${r.status}, not WAIT_BUYER_RETURN_GOODS`);
    if (!input.company || !input.sid) throw new SimError('company and sid are required', 400);
    r.status = 'WAIT_SELLER_CONFIRM_GOODS';
    r.goodStatus = 'BUYER_RETURNED_GOODS';
    r.returnParcel = { company: input.company, sid: input.sid };
    r.goodReturnMs = sec(this.nowMs());
    this.addRefundMessage(r, { ownerRole: '1', content: `买家已退货，物流公司：${input.company}，运单号：${input.sid}`, messageType: 'NORMAL', picUrls: [] });
    this.changeRefund(r, ['taobao_refund_RefundBuyerReturnGoods']);
    return result(r);
  }

  withdrawRefund(refundId: Id): RefundResult {
    const r = this.refund(refundId);
    if (!isOpenRefund(r.status)) throw new SimError(`refund ${r.refundId} is ${r.status} already`);
    r.status = 'CLOSED';
    this.addRefundMessage(r, { ownerRole: '1', content: '买家撤销了退款申请', messageType: 'NORMAL', picUrls: [] });
    this.changeRefund(r, ['taobao_refund_RefundClosed']);
    return result(r);
  }

  requestIntervention(refundId: Id): RefundResult {
    const r = this.refund(refundId);
    if (!isOpenRefund(r.status)) throw new SimError(`refund ${r.refundId} is ${r.status}: nothing to intervene in`);
    if (r.csStatus === 2 || r.csStatus === 3) throw new SimError(`refund ${r.refundId} is under intervention already`);
    r.csStatus = 2;
    this.addRefundMessage(r, { ownerRole: '1', content: '买家申请淘宝客服介入', messageType: 'NORMAL', picUrls: [] });
    this.changeRefund(r, ['taobao_refund_TaobaoInterApplied']);
    return result(r);
  }

  decideIntervention(refundId: Id, outcome: 'refund' | 'reject'): RefundResult {
    const r = this.refund(refundId);
    if (r.csStatus !== 2 && r.csStatus !== 3) throw new SimError(`refund ${r.refundId} is not under intervention`);
    if (outcome !== 'refund' && outcome !== 'reject') throw new SimError('outcome must be refund or reject', 400);
    r.csStatus = 6;
    r.status = outcome === 'refund' ? 'SUCCESS' : 'CLOSED';
    this.addRefundMessage(r, { ownerRole: '3', content: outcome === 'refund' ? '淘宝客服判定：支持买家退款' : '淘宝客服判定：不支持买家退款', messageType: 'NORMAL', picUrls: [] });
    this.changeRefund(r, ['taobao_refund_TaobaoIntervened', outcome === 'refund' ? 'taobao_refund_RefundSuccess' : 'taobao_refund_RefundClosed']);
    return result(r);
  }

  /**
   * The current step's deadline passes: an unanswered application is agreed
   * (refund only: paid; with a return: the buyer is to send it back), an
   * unsent return or an unanswered refusal closes, unconfirmed returned goods
   * are paid.
   */
  timeoutRefund(refundId: Id): RefundResult {
    const r = this.refund(refundId);
    if (r.csStatus === 2 || r.csStatus === 3) throw new SimError(`refund ${r.refundId} is under intervention: no deadline runs`);
    switch (r.status) {
      case 'WAIT_SELLER_AGREE':
        if (r.hasGoodReturn) {
          r.status = 'WAIT_BUYER_RETURN_GOODS';
          r.address = shopAddressText();
          this.addRefundMessage(r, { ownerRole: '3', content: `卖家超时未处理，系统自动同意退货，退货地址：${r.address}`, messageType: 'RETURN_GOODS_APPROVED', picUrls: [] });
          this.changeRefund(r, ['taobao_refund_RefundSellerAgreeAgreement']);
        } else {
          r.status = 'SUCCESS';
          this.addRefundMessage(r, { ownerRole: '3', content: '卖家超时未处理，系统自动退款', messageType: 'NORMAL', picUrls: [] });
          this.changeRefund(r, ['taobao_refund_RefundSuccess']);
        }
        break;
      case 'WAIT_SELLER_CONFIRM_GOODS':
        r.status = 'SUCCESS';
        this.addRefundMessage(r, { ownerRole: '3', content: '卖家超时未确认收货，系统自动退款', messageType: 'NORMAL', picUrls: [] });
        this.changeRefund(r, ['taobao_refund_RefundSuccess']);
        break;
      case 'WAIT_BUYER_RETURN_GOODS':
      case 'SELLER_REFUSE_BUYER':
        r.status = 'CLOSED';
        this.addRefundMessage(r, { ownerRole: '3', content: '买家超时未处理，退款关闭', messageType: 'NORMAL', picUrls: [] });
        this.changeRefund(r, ['taobao_refund_RefundClosed']);
        break;
      default:
        throw new SimError(`refund ${r.refundId} is ${r.status}: no deadline runs`);
    }
    return result(r);
  }

  // ------------------------------------------------------------------ views

  snapshot(): SimSnapshot {
    const seller = this.sellerInfo;
    const all = new Set(tradeFields);
    const orders = new Set(orderFields);
    const refundFields = new Set(refundFullFields);
    return {
      now: formatTopTime(this.now()),
      trades: this.tradesByCreated.range(null, null).map((t) => pick(renderTrade(t, seller, true, orders), all)),
      refunds: [...this.refunds.values()].map((r) => pick(renderRefund(r, seller, true), refundFields)),
    };
  }

  stats(): SimStats {
    return {
      calls: Object.fromEntries(this.calls),
      totalCalls: this.totalCalls,
      peakPerSecond: Object.fromEntries(this.peaks),
      rateLimited: this.rateLimitedCount,
      errors: Object.fromEntries(this.errorCounts),
      messages: { ...this.messageCounts },
    };
  }

  resetStats(): void {
    this.calls = new Map();
    this.totalCalls = 0;
    this.recentCalls = new Map();
    this.peaks = new Map();
    this.rateLimitedCount = 0;
    this.errorCounts = new Map();
    this.messageCounts = { published: 0, queued: 0, dropped: 0, duplicated: 0 };
  }

  messages(): SimMessageView[] {
    const now = this.nowMs();
    return this.tmcAll.map((m) => ({
      id: m.id.toString(),
      topic: m.topic,
      pub_time: formatTopTime(new Date(m.pubTimeMs)),
      content: m.content,
      state: m.state === 'in_flight' && m.invisibleUntilMs <= now ? 'waiting' : m.state,
      deliveries: m.deliveries,
    }));
  }

  faults(options: FaultOptions): FaultState {
    const f = this.faultState;
    const prob = (p: number, name: string) => {
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new SimError(`${name} must be a probability 0–1`, 400);
      return p;
    };
    if (options.rateLimitPerSecond !== undefined) {
      const n = options.rateLimitPerSecond;
      if (n !== null && !(Number.isInteger(n) && n > 0)) throw new SimError('rateLimitPerSecond must be a whole number > 0, or null', 400);
      f.rateLimitPerSecond = n;
      this.acceptedCalls = new Map();
    }
    if (options.failNext !== undefined) {
      const x = options.failNext;
      if (x !== null) {
        if (!Number.isInteger(x.count) || x.count < 0) throw new SimError('failNext.count must be a whole number ≥ 0', 400);
        if (!['http500', 'isp', 'timeout', 'malformed'].includes(x.kind)) throw new SimError('failNext.kind must be http500, isp, timeout or malformed', 400);
      }
      f.failNext = x && x.count > 0 ? { count: x.count, kind: x.kind, applied: x.applied ?? false } : null;
    }
    if (options.duplicateMessages !== undefined) f.duplicateMessages = prob(options.duplicateMessages, 'duplicateMessages');
    if (options.dropMessages !== undefined) f.dropMessages = prob(options.dropMessages, 'dropMessages');
    if (options.reorderMessages !== undefined) f.reorderMessages = Boolean(options.reorderMessages);
    if (options.expireSession !== undefined) f.expireSession = Boolean(options.expireSession);
    return { ...f, failNext: f.failNext ? { ...f.failNext } : null };
  }

  advanceTime(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new SimError('ms must be ≥ 0', 400);
    this.offsetMs += ms;
    return this.now();
  }

  // ------------------------------------------------------------------ activity

  activity(perMinute: number): void {
    if (!Number.isFinite(perMinute) || perMinute < 0) throw new SimError('perMinute must be ≥ 0', 400);
    this.activityPerMinute = perMinute;
    if (this.activityTimer) clearTimeout(this.activityTimer);
    this.activityTimer = null;
    if (perMinute > 0) this.scheduleActivity();
  }

  private scheduleActivity(): void {
    const mean = 60_000 / this.activityPerMinute;
    const delay = Math.max(5, Math.round(mean * this.activityRand.range(0.3, 1.7)));
    this.activityTimer = setTimeout(() => {
      try {
        this.activityStep();
      } catch {
        // an action that no longer fits (the seller moved first): skip it
      }
      if (this.activityPerMinute > 0) this.scheduleActivity();
    }, delay);
    this.activityTimer.unref();
  }

  /** One buyer (or courier, or warehouse) action, picked at random among those possible now. */
  activityStep(): string {
    const rand = this.activityRand;
    const recentTrades = (want: (t: SimTrade) => boolean) => {
      const out: SimTrade[] = [];
      let seen = 0;
      for (const t of this.tradesByCreated.newestFirst()) {
        if (want(t)) out.push(t);
        if ((seen += 1) > 400 || out.length >= 20) break;
      }
      return out;
    };
    const open = (status: RefundStatus) => [...this.openRefunds].filter((r) => r.status === status).slice(0, 50);
    const kinds = rand.shuffle(['order', 'order', 'refund', 'refund', 'ship', 'finish', 'return', 'withdraw', 'modify', 'intervene']);
    for (const kind of kinds) {
      switch (kind) {
        case 'order': {
          const { tid } = this.createOrder({ lines: rand.weighted([[1, 75], [2, 20], [3, 5]]) });
          return `createOrder ${tid}`;
        }
        case 'ship': {
          const t = recentTrades((x) => x.status === 'WAIT_SELLER_SEND_GOODS');
          if (t.length === 0) continue;
          const pickT = rand.pick(t);
          this.shipOrder(pickT.tid);
          return `shipOrder ${pickT.tid}`;
        }
        case 'finish': {
          const t = recentTrades((x) => x.status === 'WAIT_BUYER_CONFIRM_GOODS' && this.refundsOf(x).every((r) => !isOpenRefund(r.status)));
          if (t.length === 0) continue;
          const pickT = rand.pick(t);
          this.finishOrder(pickT.tid);
          return `finishOrder ${pickT.tid}`;
        }
        case 'refund': {
          const t = recentTrades(
            (x) =>
              (x.status === 'WAIT_SELLER_SEND_GOODS' || x.status === 'WAIT_BUYER_CONFIRM_GOODS' || x.status === 'TRADE_FINISHED') &&
              x.lines.some((l) => l.status !== 'TRADE_CLOSED' && (l.refundId === null || !isOpenRefund(this.refunds.get(l.refundId)?.status ?? 'CLOSED'))),
          );
          if (t.length === 0) continue;
          const pickT = rand.pick(t);
          const line = pickT.lines.find((l) => l.status !== 'TRADE_CLOSED' && (l.refundId === null || !isOpenRefund(this.refunds.get(l.refundId)?.status ?? 'CLOSED')));
          if (!line) continue;
          const situation = pickT.status === 'TRADE_FINISHED' ? 'finished' : pickT.consignMs === null ? 'unshipped' : pickT.signedMs === null ? 'in_transit' : 'received';
          const reasons = catalogueReasons(situation);
          const reason = rand.pick(reasons);
          const hasGoodReturn = (situation === 'received' || situation === 'finished') && rand.chance(reasonByText(reason)?.returnRate ?? 0);
          const amountFen = refundAmountFen(rand, reasonByText(reason), hasGoodReturn, situation, lineDivideFen(line));
          const res = this.applyRefund({ tid: pickT.tid, oid: line.oid, hasGoodReturn, reasonText: reason, amountFen });
          return `applyRefund ${res.refundId}`;
        }
        case 'return': {
          const rs = open('WAIT_BUYER_RETURN_GOODS');
          if (rs.length === 0) continue;
          const r = rand.pick(rs);
          const courier = rand.pick(couriers);
          this.shipReturn(r.refundId, { company: courier.name, sid: makeWaybill(rand, courier) });
          return `shipReturn ${r.refundId}`;
        }
        case 'withdraw': {
          const rs = [...open('WAIT_SELLER_AGREE'), ...open('SELLER_REFUSE_BUYER')];
          if (rs.length === 0) continue;
          const r = rand.pick(rs);
          this.withdrawRefund(r.refundId);
          return `withdrawRefund ${r.refundId}`;
        }
        case 'modify': {
          const rs = open('SELLER_REFUSE_BUYER').filter((r) => r.csStatus === 1);
          if (rs.length === 0) continue;
          const r = rand.pick(rs);
          this.modifyRefund(r.refundId, { amountFen: Math.max(1, Math.round(r.refundFeeFen * 0.8)), desc: '降低了退款金额，请再看看' });
          return `modifyRefund ${r.refundId}`;
        }
        case 'intervene': {
          const rs = open('SELLER_REFUSE_BUYER').filter((r) => r.csStatus === 1);
          if (rs.length === 0) continue;
          const r = rand.pick(rs);
          this.requestIntervention(r.refundId);
          return `requestIntervention ${r.refundId}`;
        }
      }
    }
    return 'nothing';
  }

  dispose(): void {
    this.activity(0);
  }

  private makeControl(): SimControl {
    return {
      createOrder: (input) => this.createOrder(input),
      payOrder: (tid) => this.payOrder(tid),
      shipOrder: (tid, input) => this.shipOrder(tid, input),
      signOrder: (tid) => this.signOrder(tid),
      finishOrder: (tid) => this.finishOrder(tid),
      closeOrder: (tid) => this.closeOrder(tid),
      applyRefund: (input) => this.applyRefund(input),
      modifyRefund: (id, input) => this.modifyRefund(id, input),
      shipReturn: (id, input) => this.shipReturn(id, input),
      withdrawRefund: (id) => this.withdrawRefund(id),
      requestIntervention: (id) => this.requestIntervention(id),
      decideIntervention: (id, outcome) => this.decideIntervention(id, outcome),
      timeoutRefund: (id) => this.timeoutRefund(id),
      state: () => this.snapshot(),
      stats: () => this.stats(),
      resetStats: () => this.resetStats(),
      messages: () => this.messages(),
      faults: (options) => this.faults(options),
      activity: (perMinute) => this.activity(perMinute),
      advanceTime: (ms) => this.advanceTime(ms),
    };
  }
}

export function createSimState(options: SimOptions = {}): Sim {
  return new Sim(options);
}

// ------------------------------------------------------------------ helpers

function catalogueReasons(situation: 'unshipped' | 'in_transit' | 'received' | 'finished'): string[] {
  return ['七天无理由退换货', '商品质量问题', '收到商品破损', '商品与描述不符', '未收到货', '退运费', '发票问题', '不想要了', '拍错了', '缺货', '未按约定时间发货', '协商一致退款'].filter((text) =>
    (reasonByText(text)?.situations ?? []).includes(situation),
  );
}

function result(r: SimRefund): RefundResult {
  return { refundId: r.refundId.toString(), status: r.status, version: String(r.version) };
}

export function toBigId(id: Id): bigint {
  if (typeof id === 'bigint') return id;
  if (typeof id !== 'string' || !/^[0-9]{1,20}$/.test(id)) throw new SimError(`not an id: ${String(id)}`, 400);
  return BigInt(id);
}

const sec = (ms: number): number => Math.floor(ms / 1000) * 1000;

function fenText(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** calls are processed a little out of their arrival order (bodies are read asynchronously) */
function insertSorted(list: number[], t: number): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] as number) > t) i -= 1;
  list.splice(i, 0, t);
}

function prune(map: Map<string, number[]>, key: string, t: number): number[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  let drop = 0;
  while (drop < list.length && (list[drop] as number) <= t - 1000) drop += 1;
  if (drop > 0) list.splice(0, drop);
  return list;
}

