/** topsim's logic without HTTP: the seeded shop, the JSON writer, the index, buyer actions. */
import { describe, expect, it } from 'vitest';
import { fenToYuan, parseTopTime, yuanToFen } from '../platform/taobao/top-sign.ts';
import { refundReasons } from './catalogue.ts';
import { writeTopJson } from './json.ts';
import { refundStatuses, tradeStatuses } from './model.ts';
import { createSimState, SimError } from './state.ts';
import { TimeIndex } from './time-index.ts';

const NOW = Date.UTC(2026, 3, 20, 4, 0, 0); // 2026-04-20 12:00:00 GMT+8
const fixed = () => new Date(NOW);
type Obj = Record<string, unknown>;

describe('writeTopJson', () => {
  it('writes bigint as digits, leaves undefined out, escapes strings', () => {
    const text = writeTopJson({ tid: 3_900_565_120_249_960_667n, s: '米白"\n', u: undefined, a: [1, true, null, undefined], o: { x: 1.5 } });
    expect(text).toBe('{"tid":3900565120249960667,"s":"米白\\"\\n","a":[1,true,null,null],"o":{"x":1.5}}');
  });
});

describe('TimeIndex', () => {
  it('answers windows (inclusive) and keeps order when items move', () => {
    const idx = new TimeIndex<{ id: bigint; t: number }>();
    const items = [5, 1, 3, 3, 9].map((t, i) => ({ id: BigInt(i), t }));
    idx.addAll(items, (x) => x.t, (x) => x.id);
    expect(idx.range(3, 5).map((x) => x.t)).toEqual([3, 3, 5]);
    const first = items[1] as { id: bigint; t: number };
    idx.move(first, first.id, first.t, 10);
    first.t = 10;
    expect(idx.range(null, null).map((x) => x.t)).toEqual([3, 3, 5, 9, 10]);
    idx.add({ id: 99n, t: 4 }, 4, 99n);
    expect(idx.range(4, 4).map((x) => x.id)).toEqual([99n]);
    expect([...idx.newestFirst()].map((x) => x.t)).toEqual([10, 9, 5, 4, 3, 3]);
  });
});

describe('the seeded shop', () => {
  it('is deterministic from the seed', () => {
    const a = writeTopJson(createSimState({ seed: 7, now: fixed }).control.state());
    const b = writeTopJson(createSimState({ seed: 7, now: fixed }).control.state());
    const c = writeTopJson(createSimState({ seed: 8, now: fixed }).control.state());
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(createSimState({ seed: 7 }).app).toEqual(createSimState({ seed: 7 }).app);
  });

  it('has trades in every status and refunds in every status and reason', () => {
    const sim = createSimState({ seed: 1, now: fixed });
    const { trades, refunds } = sim.control.state();
    expect(trades).toHaveLength(200);
    expect(refunds).toHaveLength(60);
    expect(new Set(trades.map((t) => t.status))).toEqual(new Set(tradeStatuses));
    expect(new Set(refunds.map((r) => r.status))).toEqual(new Set(refundStatuses));
    const reasons = new Set(refunds.map((r) => r.reason));
    for (const text of ['七天无理由退换货', '商品质量问题', '收到商品破损', '商品与描述不符', '未收到货', '退运费', '发票问题', '不想要了', '拍错了', '缺货', '未按约定时间发货']) {
      expect(reasons.has(text), text).toBe(true);
    }
    expect(refunds.every((r) => refundReasons.some((x) => x.text === r.reason))).toBe(true);
    expect(new Set(refunds.map((r) => r.good_status))).toEqual(new Set(['BUYER_NOT_RECEIVED', 'BUYER_RECEIVED', 'BUYER_RETURNED_GOODS']));
    expect(new Set(refunds.map((r) => r.refund_phase))).toEqual(new Set(['onsale', 'aftersale']));
    expect(refunds.some((r) => r.cs_status === 2)).toBe(true);
    expect(refunds.some((r) => typeof r.company_name === 'string' && typeof r.sid === 'string')).toBe(true);
  });

  it('is consistent: lines, amounts, times, timeouts, ids', () => {
    const sim = createSimState({ seed: 3, now: fixed, shop: { orders: 400, refunds: 150 } });
    const { trades, refunds } = sim.control.state();
    const byTid = new Map(trades.map((t) => [t.tid_str as string, t]));
    let discounted = 0;
    for (const t of trades) {
      expect(typeof t.tid).toBe('bigint');
      expect((t.tid as bigint) > 2n ** 53n).toBe(true);
      expect(String(t.tid)).toMatch(/^[0-9]{18,19}$/);
      expect(t.tid_str).toBe(String(t.tid));
      const modified = parseTopTime(t.modified)?.getTime() as number;
      expect(modified).toBeLessThanOrEqual(NOW);
      expect(modified).toBeGreaterThan(NOW - 91 * 86_400_000);
      expect(parseTopTime(t.created)?.getTime()).toBeLessThanOrEqual(modified);
      expect(t.receiver_state).toMatch(/省|北京|上海/);
      expect(t.receiver_name).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
      expect(t.receiver_mobile).toMatch(/^1[0-9]{10}$/);
      const orders = (t.orders as { order: Obj[] }).order;
      let paid = 0;
      for (const o of orders) {
        expect(o.oid_str).toBe(String(o.oid));
        expect(o.outer_iid).toMatch(/^XZ-[0-9]{4}$/);
        expect(o.outer_sku_id).toMatch(/^XZ-[0-9]{4}-[A-Z]{2}-[0-9]{2}$/);
        expect(o.sku_properties_name).toMatch(/^颜色:[\u4e00-\u9fa5]+;尺码:[0-9]{2}$/);
        const gross = (yuanToFen(o.price) as number) * (o.num as number);
        if (yuanToFen(o.divide_order_fee) !== gross) discounted += 1;
        paid += yuanToFen(o.divide_order_fee) as number;
      }
      expect(yuanToFen(t.payment)).toBe(paid + (yuanToFen(t.post_fee) as number));
      if (orders.length === 1) expect((orders[0] as Obj).oid).toBe(t.tid);
    }
    expect(discounted).toBeGreaterThan(0);
    for (const r of refunds) {
      const t = byTid.get(String(r.tid)) as Obj;
      expect(t).toBeDefined();
      const line = (t.orders as { order: Obj[] }).order.find((o) => o.oid === r.oid) as Obj;
      expect(line.refund_id).toBe(r.refund_id);
      expect(line.refund_status).toBe(r.status);
      expect(typeof r.refund_id).toBe('string');
      expect(yuanToFen(r.refund_fee)).toBeLessThanOrEqual(yuanToFen(line.divide_order_fee) as number);
      expect(parseTopTime(t.modified)?.getTime()).toBeGreaterThanOrEqual(parseTopTime(r.modified)?.getTime() as number);
      const open = r.status !== 'CLOSED' && r.status !== 'SUCCESS';
      const timeout = r.refund_remind_timeout as Obj;
      if (open && r.cs_status !== 2 && r.cs_status !== 3) expect(timeout.exist_timeout).toBe(true);
      if (!open) expect(timeout.exist_timeout).toBe(false);
      if (r.status === 'WAIT_SELLER_CONFIRM_GOODS') {
        expect(r.good_status).toBe('BUYER_RETURNED_GOODS');
        expect(r.sid).toBeTruthy();
      }
      if (r.status === 'WAIT_BUYER_RETURN_GOODS' || r.status === 'WAIT_SELLER_CONFIRM_GOODS') expect(r.has_good_return).toBe(true);
      if (r.status === 'SELLER_REFUSE_BUYER') expect(r.good_status === 'BUYER_NOT_RECEIVED' && t.status === 'WAIT_SELLER_SEND_GOODS').toBe(false);
      if (open) expect(['WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS', 'TRADE_FINISHED']).toContain(t.status);
      expect(r.refund_phase === 'aftersale').toBe(t.status === 'TRADE_FINISHED' && r.refund_phase === 'aftersale');
    }
  });

  it('an empty shop, and orders and refunds made by hand', () => {
    const sim = createSimState({ seed: 1, now: fixed, shop: false });
    expect(sim.control.state().trades).toEqual([]);
    const { tid, oids } = sim.control.createOrder({ lines: 2 });
    expect(oids).toHaveLength(2);
    expect(() => sim.control.applyRefund({ tid, hasGoodReturn: true })).toThrow(SimError);
    const a = sim.control.applyRefund({ tid, oid: oids[1], reasonText: '缺货' });
    expect(a.status).toBe('WAIT_SELLER_AGREE');
    expect(() => sim.control.applyRefund({ tid, oid: oids[1] })).toThrow(/open refund/);
    // the clock stands still: versions still rise, by at least 1 ms
    const b = sim.control.modifyRefund(a.refundId, { amountFen: 100 });
    expect(BigInt(b.version)).toBeGreaterThan(BigInt(a.version));
    // shipping closes an application made before shipping
    sim.control.shipOrder(tid, { company: '中通快递', sid: '75123456789012' });
    const refund = sim.control.state().refunds[0] as Obj;
    expect(refund.status).toBe('CLOSED');
    expect(sim.control.messages().map((m) => m.topic)).toEqual([
      'taobao_trade_TradeCreate',
      'taobao_trade_TradeBuyerPay',
      'taobao_refund_RefundCreated',
      'taobao_refund_RefundBuyerModifyAgreement',
      'taobao_trade_TradeSellerShip',
      'taobao_refund_RefundClosed',
    ]);
    expect(() => sim.control.payOrder('123')).toThrow(/no trade/);
    expect(fenToYuan(100)).toBe('1.00');
  });

  it('a full refund before the trade finishes closes the line, and the trade with its last line', () => {
    const sim = createSimState({ seed: 1, now: fixed, shop: false });
    const { tid } = sim.control.createOrder({ lines: 1 });
    sim.control.shipOrder(tid);
    sim.control.signOrder(tid);
    const r = sim.control.applyRefund({ tid, reasonText: '商品质量问题', hasGoodReturn: true });
    sim.refund(r.refundId).status = 'WAIT_BUYER_RETURN_GOODS';
    sim.control.shipReturn(r.refundId, { company: '圆通速递', sid: 'YT1234567890123' });
    sim.control.timeoutRefund(r.refundId); // the seller did not confirm in time: paid
    const state = sim.control.state();
    expect(state.refunds[0]?.status).toBe('SUCCESS');
    expect(state.trades[0]?.status).toBe('TRADE_CLOSED');
    expect(sim.control.messages().slice(-2).map((m) => m.topic)).toEqual(['taobao_refund_RefundSuccess', 'taobao_trade_TradeClose']);
  });

  it('activity makes buyer actions happen', () => {
    const sim = createSimState({ seed: 4, now: fixed });
    const done = Array.from({ length: 40 }, () => sim.activityStep());
    expect(done.filter((x) => x !== 'nothing').length).toBe(40);
    expect(new Set(done.map((x) => x.split(' ')[0])).size).toBeGreaterThan(4);
    expect(sim.control.messages().length).toBeGreaterThan(20);
  });
});
