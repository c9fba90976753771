/**
 * A peak day on the simulator (issue 16 §3, `shouhou loadtest`): orders made ahead of the day, then refunds
 * applied on them at a set rate with the buyers' follow-ups, and a log of every refund change and every
 * seller write with what caused it, from which the load test measures its lags and checks that every
 * decision was applied once. Tests and load tests only.
 *
 * The orders are made before the app is bound (no TMC notice is queued for them: the first binding's
 * backfill brings them in), as a shop's orders of the days before; the refunds and what follows them reach
 * the app through TMC, as on the day. Each order is drawn one of five scenarios, each a path through the
 * shop's SOP:
 *   agree     仅退款 of goods received (不想要了, 协商一致退款 for part of the payment): agreed
 *   return    退货退款 七天无理由退换货: agreed, the buyer ships it back (a follow-up), received, confirmed
 *   damaged   仅退款 收到商品破损: refused with evidence (S1.9); the buyer applies again as a return (a follow-up)
 *   quality   仅退款 商品质量问题: the buyer is asked to change the reason (S1.5) and does (a follow-up)
 *   withdraw  仅退款 不想要了, withdrawn by the buyer after a while (a follow-up) unless the seller was first
 *
 * Control API (see server.ts):
 *   POST /sim/load/prepare   {"orders", "seed"?, "afterSaleShare"?, "mix"?: {"agree": 35, …}} → {"prepared", "pool"}
 *   POST /sim/load/start     {"refundsPerSecond", "followUpMs"?: [min, max]}
 *   POST /sim/load/stop      stops the refunds and cancels the follow-ups not yet made → the status
 *   GET  /sim/load/status    refunds published, orders left, follow-ups waiting, TMC messages not yet confirmed
 *   GET  /sim/load/log?after=N&limit=M   the change log from entry N: {"entries", "next"}
 *   GET  /sim/load/snapshot  every refund and trade, compact (the fields the connector maps)
 */
import { Rand } from '../core/random.ts';
import { couriers } from './catalogue.ts';
import { isOpenRefund, lineDivideFen, type SimRefund } from './model.ts';
import { makeWaybill } from './seed.ts';
import { SimError, type Sim, type SimChange } from './state.ts';

export const loadScenarios = ['agree', 'return', 'damaged', 'quality', 'withdraw'] as const;
export type LoadScenario = (typeof loadScenarios)[number];

/** The default share of each scenario (weights). */
export const defaultLoadMix: Record<LoadScenario, number> = { agree: 35, return: 30, damaged: 15, quality: 10, withdraw: 10 };

export interface LoadPrepareOptions {
  orders: number;
  seed?: number;
  /** the share of orders already finished (交易成功): their refunds are after-sale (default 0.2) */
  afterSaleShare?: number;
  mix?: Partial<Record<LoadScenario, number>>;
}

export interface LoadStartOptions {
  refundsPerSecond: number;
  /** how long a buyer takes for a follow-up, uniformly between the two (default 2–8 s) */
  followUpMs?: [number, number];
}

/** One entry of the change log (ids as decimal text). */
export interface LoadLogEntry {
  kind: SimChange['kind'];
  /** when it happened on the sim's clock (ms since the epoch) */
  at: number;
  refundId: string | null;
  tid: string | null;
  version: number | null;
  prevVersion: number | null;
  status: string | null;
  cause: string;
}

export interface LoadStatus {
  running: boolean;
  published: number;
  /** prepared orders not yet used */
  poolLeft: number;
  /** orders made during the run because the prepared ones ran out */
  madeOnTheFly: number;
  followUpsWaiting: number;
  followUpsDone: number;
  /** follow-ups that no longer fitted when their time came (the seller moved first) */
  followUpsSkipped: number;
  tmcBacklog: number;
  /** TMC messages queued since the sim started (duplicates included) */
  tmcQueued: number;
  logEntries: number;
}

interface Prepared {
  tid: bigint;
  scenario: LoadScenario;
}

const ms = (n: unknown, name: string): number => {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new SimError(`${name} must be a number ≥ 0`, 400);
  return n;
};

export class SimLoad {
  private rand = new Rand(1);
  private pool: Prepared[] = [];
  private mix: Record<LoadScenario, number> = { ...defaultLoadMix };
  private afterSaleShare = 0.2;
  private readonly scenarioOf = new Map<bigint, LoadScenario>();
  private readonly log: LoadLogEntry[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private ticker: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private rate = 0;
  private followUpMs: [number, number] = [2000, 8000];
  private published = 0;
  private madeOnTheFly = 0;
  private followUpsDone = 0;
  private followUpsSkipped = 0;

  constructor(private readonly sim: Sim) {
    sim.changeListener = (change) => this.onChange(change);
  }

  /** Orders made ahead, each shipped and signed for (some finished), for the refunds of the run. */
  prepare(options: LoadPrepareOptions): { prepared: number; pool: number } {
    const orders = options.orders;
    if (!Number.isSafeInteger(orders) || orders < 0 || orders > 2_000_000) throw new SimError('orders must be a whole number 0–2,000,000', 400);
    if (options.seed !== undefined) this.rand = new Rand((ms(options.seed, 'seed') ^ 0x10ad) >>> 0);
    if (options.afterSaleShare !== undefined) {
      const share = ms(options.afterSaleShare, 'afterSaleShare');
      if (share > 1) throw new SimError('afterSaleShare must be 0–1', 400);
      this.afterSaleShare = share;
    }
    if (options.mix) {
      for (const [k, w] of Object.entries(options.mix)) {
        if (!(loadScenarios as readonly string[]).includes(k)) throw new SimError(`unknown scenario ${k}`, 400);
        this.mix[k as LoadScenario] = ms(w, `mix.${k}`);
      }
      if (loadScenarios.every((k) => this.mix[k] === 0)) throw new SimError('mix: at least one scenario needs a weight', 400);
    }
    // made before the app was bound: TMC queues nothing for them (the backfill reads them)
    const permitted = this.sim.permittedTopics;
    this.sim.permittedTopics = new Set();
    try {
      for (let i = 0; i < orders; i += 1) this.pool.push(this.makeOrder());
    } finally {
      this.sim.permittedTopics = permitted;
    }
    return { prepared: orders, pool: this.pool.length };
  }

  private pickScenario(): LoadScenario {
    return this.rand.weighted(loadScenarios.map((k) => [k, this.mix[k]] as const));
  }

  private makeOrder(): Prepared {
    const scenario = this.pickScenario();
    const { tid } = this.sim.control.createOrder({ lines: 1 });
    this.sim.control.shipOrder(tid);
    this.sim.control.signOrder(tid);
    if (this.rand.chance(this.afterSaleShare)) this.sim.control.finishOrder(tid);
    return { tid: BigInt(tid), scenario };
  }

  start(options: LoadStartOptions): LoadStatus {
    const rate = ms(options.refundsPerSecond, 'refundsPerSecond');
    if (rate <= 0 || rate > 10_000) throw new SimError('refundsPerSecond must be more than 0 and at most 10,000', 400);
    if (options.followUpMs !== undefined) {
      const f = options.followUpMs;
      if (!Array.isArray(f) || f.length !== 2) throw new SimError('followUpMs is [min, max]', 400);
      const lo = ms(f[0], 'followUpMs[0]');
      const hi = ms(f[1], 'followUpMs[1]');
      if (hi < lo) throw new SimError('followUpMs: max < min', 400);
      this.followUpMs = [lo, hi];
    }
    this.stopTicker();
    this.rate = rate;
    this.startedAt = Date.now();
    this.published = 0;
    const tick = () => {
      const due = Math.floor((this.rate * (Date.now() - this.startedAt)) / 1000);
      while (this.published < due) this.publishOne();
    };
    this.ticker = setInterval(tick, 20);
    return this.status();
  }

  /** Stops the refunds and cancels the follow-ups not yet made: from now on only the seller changes anything. */
  stop(): LoadStatus {
    this.stopTicker();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    return this.status();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  dispose(): void {
    this.stop();
    if (this.sim.changeListener) this.sim.changeListener = null;
  }

  status(): LoadStatus {
    return {
      running: this.ticker !== null,
      published: this.published,
      poolLeft: this.pool.length,
      madeOnTheFly: this.madeOnTheFly,
      followUpsWaiting: this.timers.size,
      followUpsDone: this.followUpsDone,
      followUpsSkipped: this.followUpsSkipped,
      tmcBacklog: this.sim.tmcBacklog(),
      tmcQueued: this.sim.stats().messages.queued,
      logEntries: this.log.length,
    };
  }

  private publishOne(): void {
    this.published += 1;
    let order = this.pool.shift();
    if (!order) {
      // the prepared orders ran out: one made now (its notices go through TMC too)
      order = this.makeOrder();
      this.madeOnTheFly += 1;
    }
    const trade = this.sim.trade(order.tid);
    const line = trade.lines[0]!;
    const divide = lineDivideFen(line);
    const r = this.rand;
    let result;
    try {
      switch (order.scenario) {
        case 'agree': {
          const negotiated = r.chance(0.3);
          result = this.sim.control.applyRefund({
            tid: order.tid,
            reasonText: negotiated ? '协商一致退款' : '不想要了',
            amountFen: negotiated ? Math.max(1, Math.round(divide * r.range(0.3, 0.9))) : divide,
          });
          break;
        }
        case 'return':
          result = this.sim.control.applyRefund({ tid: order.tid, hasGoodReturn: true, reasonText: '七天无理由退换货' });
          break;
        case 'damaged':
          result = this.sim.control.applyRefund({ tid: order.tid, reasonText: '收到商品破损' });
          break;
        case 'quality':
          result = this.sim.control.applyRefund({ tid: order.tid, reasonText: '商品质量问题' });
          break;
        case 'withdraw':
          result = this.sim.control.applyRefund({ tid: order.tid, reasonText: '不想要了' });
          break;
      }
    } catch (e) {
      if (e instanceof SimError) return; // the order no longer takes a refund (it cannot happen to a prepared one)
      throw e;
    }
    const refundId = BigInt(result.refundId);
    this.scenarioOf.set(refundId, order.scenario);
    // the buyer's own follow-ups, whatever the seller does
    if (order.scenario === 'quality') {
      // S1.5: asked by phone to change the reason, the buyer does, a while later
      this.later(3, refundId, (x) => x.status === 'WAIT_SELLER_AGREE' && x.reason === '商品质量问题', (id) => this.sim.control.modifyRefund(id, { reasonText: '七天无理由退换货', desc: '客服来电说明后改为七天无理由' }));
    }
    if (order.scenario === 'withdraw') {
      this.later(2, refundId, (x) => x.status === 'WAIT_SELLER_AGREE', (id) => this.sim.control.withdrawRefund(id));
    }
  }

  /** A follow-up `factor` × the follow-up time from now, made only when the refund still fits it then. */
  private later(factor: number, refundId: bigint, fits: (r: SimRefund) => boolean, act: (refundId: bigint) => unknown): void {
    const [lo, hi] = this.followUpMs;
    const delay = Math.round(this.rand.range(lo, hi) * factor);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const refund = this.sim.refunds.get(refundId);
      if (!refund || !fits(refund)) {
        this.followUpsSkipped += 1;
        return;
      }
      try {
        act(refundId);
        this.followUpsDone += 1;
      } catch (e) {
        if (!(e instanceof SimError)) throw e;
        this.followUpsSkipped += 1;
      }
    }, delay);
    this.timers.add(timer);
  }

  private onChange(change: SimChange): void {
    this.log.push({
      kind: change.kind,
      at: change.atMs,
      refundId: change.kind === 'memo' ? null : change.refundId.toString(),
      tid: change.kind === 'message' ? null : change.tid.toString(),
      version: change.kind === 'refund' ? change.version : null,
      prevVersion: change.kind === 'refund' ? change.prevVersion : null,
      status: change.kind === 'refund' ? change.status : null,
      cause: change.cause,
    });
    // once stopped, only the seller changes anything (the load test drains what is on its way)
    if (change.kind !== 'refund' || !this.scenarioOf.has(change.refundId) || this.ticker === null) return;
    // the buyer answers the seller's decisions (timers: never inside the seller's call)
    if (change.status === 'WAIT_BUYER_RETURN_GOODS') {
      this.later(1, change.refundId, (x) => x.status === 'WAIT_BUYER_RETURN_GOODS', (id) => {
        const courier = this.rand.pick(couriers);
        return this.sim.control.shipReturn(id, { company: courier.name, sid: makeWaybill(this.rand, courier) });
      });
    } else if (change.status === 'SELLER_REFUSE_BUYER') {
      // S1.9: told that a refund-only of damaged goods is refused, the buyer applies again as a return
      this.later(1, change.refundId, (x) => x.status === 'SELLER_REFUSE_BUYER' && x.csStatus === 1, (id) =>
        this.sim.control.modifyRefund(id, { hasGoodReturn: true, desc: '按客服说明改为退货退款' }),
      );
    }
  }

  logFrom(after: number, limit: number): { entries: LoadLogEntry[]; next: number } {
    const entries = this.log.slice(after, after + limit);
    return { entries, next: after + entries.length };
  }

  /** Every refund and trade of the sim, with the fields the connector maps (money in fen, ids as text). */
  snapshot(): { refunds: Record<string, unknown>[]; trades: Record<string, unknown>[] } {
    const refunds = [...this.sim.refunds.values()].map((r) => ({
      refundId: r.refundId.toString(),
      tid: r.trade.tid.toString(),
      oid: r.line.oid.toString(),
      scenario: this.scenarioOf.get(r.refundId) ?? null,
      status: r.status,
      open: isOpenRefund(r.status),
      amountFen: r.refundFeeFen,
      version: String(r.version),
      hasGoodReturn: r.hasGoodReturn,
      reason: r.reason,
      goodStatus: r.goodStatus,
      phase: r.phase,
      modifiedMs: r.modifiedMs,
      returnSid: r.returnParcel?.sid ?? null,
      returnCompany: r.returnParcel?.company ?? null,
      csStatus: r.csStatus,
    }));
    const trades = [...this.sim.trades.values()].map((t) => ({
      tid: t.tid.toString(),
      status: t.status,
      modifiedMs: t.modifiedMs,
      memo: t.sellerMemo,
    }));
    return { refunds, trades };
  }
}

/** The /sim/load routes; undefined when the path is not one of them. */
export function loadRoute(load: SimLoad, method: string, path: string, body: Record<string, unknown>, query: URLSearchParams): unknown {
  const get = method === 'GET';
  const post = method === 'POST';
  if (post && path === '/sim/load/prepare') {
    return load.prepare({
      orders: ms(body.orders, 'orders'),
      ...(body.seed !== undefined ? { seed: ms(body.seed, 'seed') } : {}),
      ...(body.afterSaleShare !== undefined ? { afterSaleShare: ms(body.afterSaleShare, 'afterSaleShare') } : {}),
      ...(body.mix !== undefined ? { mix: body.mix as Partial<Record<LoadScenario, number>> } : {}),
    });
  }
  if (post && path === '/sim/load/start') {
    return load.start({
      refundsPerSecond: ms(body.refundsPerSecond, 'refundsPerSecond'),
      ...(body.followUpMs !== undefined ? { followUpMs: body.followUpMs as [number, number] } : {}),
    });
  }
  if (post && path === '/sim/load/stop') return load.stop();
  if (get && path === '/sim/load/status') return load.status();
  if (get && path === '/sim/load/log') {
    const after = Number(query.get('after') ?? '0');
    const limit = Number(query.get('limit') ?? '100000');
    if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(limit) || limit < 1) throw new SimError('after and limit are whole numbers', 400);
    return load.logFrom(after, limit);
  }
  if (get && path === '/sim/load/snapshot') return load.snapshot();
  return undefined;
}
