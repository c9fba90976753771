/** The control API under /sim/* over real HTTP, and the CLI. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTopSimCli } from '../cli/topsim.ts';
import { startTopSim, type TopSim } from './server.ts';
import { callTop, inner, simControl } from './test-client.ts';

type Obj = Record<string, unknown>;
let sim: TopSim;
beforeAll(async () => {
  sim = await startTopSim({ seed: 51, shop: { orders: 30, refunds: 10 } });
});
afterAll(async () => {
  await sim.close();
});

describe('/sim/*', () => {
  it('info, state with raw ids, stats, messages', async () => {
    const info = (await simControl(sim, '/sim/info')).json as Obj;
    expect(info).toMatchObject({ url: sim.url, gatewayUrl: sim.gatewayUrl, app: sim.app, seller: sim.seller, shopType: 'taobao' });
    const state = await simControl(sim, '/sim/state');
    expect(state.status).toBe(200);
    expect(state.text).toMatch(/"tid":[0-9]{19},"tid_str":"[0-9]{19}"/);
    const json = state.json as { trades: Obj[]; refunds: Obj[] };
    expect(json.trades).toHaveLength(30);
    expect(json.refunds).toHaveLength(10);
    expect(typeof json.trades[0]?.tid).toBe('bigint');
    await callTop(sim, 'taobao.user.seller.get', { fields: 'nick' });
    const stats = (await simControl(sim, '/sim/stats')).json as Obj;
    expect((stats.calls as Obj)['taobao.user.seller.get']).toBe(1);
    expect((stats.peakPerSecond as Obj)[sim.app.appKey]).toBe(1);
    expect((await simControl(sim, '/sim/stats/reset', {})).status).toBe(200);
    expect(((await simControl(sim, '/sim/stats')).json as Obj).totalCalls).toBe(0);
    expect((await simControl(sim, '/sim/messages')).json).toEqual([]);
  });

  it('orders and refunds move through the buyer and platform actions', async () => {
    const created = (await simControl(sim, '/sim/orders', { lines: 2 })).json as { tid: string; oids: string[] };
    expect(created.tid).toMatch(/^[0-9]{19}$/);
    expect(created.oids).toHaveLength(2);
    for (const step of ['ship', 'sign']) expect((await simControl(sim, `/sim/orders/${created.tid}/${step}`, {})).status).toBe(200);
    const applied = await simControl(sim, '/sim/refunds', { tid: created.tid, oid: created.oids[1], hasGoodReturn: true, reasonText: '七天无理由退换货', desc: '码数偏大' });
    expect(applied.status).toBe(200);
    const { refundId, status, version } = applied.json as { refundId: string; status: string; version: string };
    expect(status).toBe('WAIT_SELLER_AGREE');
    expect(version).toMatch(/^[0-9]{13}$/);
    const r = inner(await callTop(sim, 'taobao.refund.get', { refund_id: refundId, fields: 'status,oid,reason,desc,has_good_return' })).refund as Obj;
    expect(r).toMatchObject({ status: 'WAIT_SELLER_AGREE', reason: '七天无理由退换货', desc: '码数偏大', has_good_return: true });
    expect(String(r.oid)).toBe(created.oids[1]);
    // a return cannot be shipped before the seller agrees
    const early = await simControl(sim, `/sim/refunds/${refundId}/ship-return`, { company: '中通快递', sid: '75000000000001' });
    expect(early.status).toBe(409);
    expect((early.json as Obj).error).toContain('WAIT_BUYER_RETURN_GOODS');
    expect((await simControl(sim, `/sim/refunds/${refundId}/timeout`, {})).json).toMatchObject({ status: 'WAIT_BUYER_RETURN_GOODS' });
    expect((await simControl(sim, `/sim/refunds/${refundId}/ship-return`, { company: '中通快递', sid: '75000000000001' })).json).toMatchObject({ status: 'WAIT_SELLER_CONFIRM_GOODS' });
    expect((await simControl(sim, `/sim/refunds/${refundId}/intervention`, {})).status).toBe(200);
    expect((await simControl(sim, `/sim/refunds/${refundId}/decide`, { outcome: 'maybe' })).status).toBe(400);
    expect((await simControl(sim, `/sim/refunds/${refundId}/decide`, { outcome: 'reject' })).json).toMatchObject({ status: 'CLOSED' });
    const topics = ((await simControl(sim, '/sim/messages')).json as Obj[]).map((m) => m.topic);
    expect(topics).toEqual([
      'taobao_trade_TradeCreate',
      'taobao_trade_TradeBuyerPay',
      'taobao_trade_TradeSellerShip',
      'taobao_refund_RefundCreated',
      'taobao_refund_RefundSellerAgreeAgreement',
      'taobao_refund_RefundBuyerReturnGoods',
      'taobao_refund_TaobaoInterApplied',
      'taobao_refund_TaobaoIntervened',
      'taobao_refund_RefundClosed',
    ]);
    expect((await simControl(sim, `/sim/orders/${created.tid}/finish`, {})).status).toBe(200);
    const second = (await simControl(sim, '/sim/refunds', { tid: created.tid, oid: created.oids[0], reasonText: '商品质量问题', amountFen: 1000 })).json as { refundId: string };
    expect((await simControl(sim, `/sim/refunds/${second.refundId}/modify`, { amountFen: 800 })).json).toMatchObject({ status: 'WAIT_SELLER_AGREE' });
    expect((await simControl(sim, `/sim/refunds/${second.refundId}/withdraw`, {})).json).toMatchObject({ status: 'CLOSED' });
    const unpaid = (await simControl(sim, '/sim/orders', { paid: false })).json as { tid: string };
    expect((await simControl(sim, `/sim/orders/${unpaid.tid}/pay`, {})).status).toBe(200);
    const toClose = (await simControl(sim, '/sim/orders', { paid: false })).json as { tid: string };
    expect((await simControl(sim, `/sim/orders/${toClose.tid}/close`, {})).status).toBe(200);
  });

  it('faults, the clock, activity; errors for bad input and unknown routes', async () => {
    const faults = await simControl(sim, '/sim/faults', { reorderMessages: true, duplicateMessages: 0.25, failNext: { count: 2, kind: 'isp' } });
    expect(faults.json).toMatchObject({ reorderMessages: true, duplicateMessages: 0.25, failNext: { count: 2, kind: 'isp', applied: false }, rateLimitPerSecond: null });
    expect((await simControl(sim, '/sim/faults', { reorderMessages: false, duplicateMessages: 0, failNext: null })).json).toMatchObject({ failNext: null });
    expect((await simControl(sim, '/sim/faults', { dropMessages: 2 })).status).toBe(400);
    const before = (await simControl(sim, '/sim/info')).json as { now: string };
    const moved = (await simControl(sim, '/sim/time/advance', { ms: 3_600_000 })).json as { now: string };
    expect(moved.now > before.now).toBe(true);
    // signed timestamps follow the sim's clock
    expect(inner(await callTop(sim, 'taobao.user.seller.get', { fields: 'nick' })).user).toBeDefined();
    const count = sim.control.messages().length;
    expect((await simControl(sim, '/sim/activity', { perMinute: 6_000 })).status).toBe(200);
    for (let i = 0; i < 100 && sim.control.messages().length === count; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect((await simControl(sim, '/sim/activity', { perMinute: 0 })).status).toBe(200);
    expect(sim.control.messages().length).toBeGreaterThan(count);
    expect((await simControl(sim, '/sim/orders/123/ship', {})).status).toBe(404);
    expect((await simControl(sim, '/sim/nothing')).status).toBe(404);
    expect((await simControl(sim, '/sim/refunds', { tid: 12.5 })).status).toBe(400);
    const bad = await fetch(`${sim.url}/sim/orders`, { method: 'POST', body: 'not json' });
    expect(bad.status).toBe(400);
  });
});

describe('test hooks', () => {
  it('corruptRefund: the gateway answers replaced fields until cleared; state() keeps the truth', async () => {
    const { tid } = sim.control.createOrder();
    const { refundId } = sim.control.applyRefund({ tid, amountFen: 1_000 });
    sim.sim.corruptRefund(refundId, { refund_fee: '12.3.4' });
    expect((await simControl(sim, `/sim/refunds/${refundId}/corrupt`, { overrides: { status: 'WAIT_SOMETHING_NEW' } })).status).toBe(200);
    const get = inner(await callTop(sim, 'taobao.refund.get', { refund_id: refundId, fields: 'refund_id,status,refund_fee' })).refund;
    expect(get).toEqual({ refund_id: refundId, status: 'WAIT_SOMETHING_NEW', refund_fee: '10.00' });
    const list = inner(await callTop(sim, 'taobao.refunds.receive.get', { fields: 'refund_id,status', page_size: 100 }));
    expect((list.refunds as { refund: Obj[] }).refund.find((r) => r.refund_id === refundId)?.status).toBe('WAIT_SOMETHING_NEW');
    expect(sim.control.state().refunds.find((r) => r.refund_id === refundId)?.status).toBe('WAIT_SELLER_AGREE');
    expect((await simControl(sim, `/sim/refunds/${refundId}/corrupt`, { overrides: null })).status).toBe(200);
    expect(inner(await callTop(sim, 'taobao.refund.get', { refund_id: refundId, fields: 'status' })).refund).toEqual({ status: 'WAIT_SELLER_AGREE' });
  });

  it('publishRaw: any topic, any content', async () => {
    const before = sim.control.messages().length;
    sim.sim.publishRaw('taobao_item_ItemAdd', '{"num_iid": 1}');
    expect((await simControl(sim, '/sim/messages/raw', { topic: 'taobao_refund_RefundCreated', content: 'not json' })).status).toBe(200);
    expect(sim.control.messages().slice(before).map((m) => [m.topic, m.content])).toEqual([
      ['taobao_item_ItemAdd', '{"num_iid": 1}'],
      ['taobao_refund_RefundCreated', 'not json'],
    ]);
  });
});

describe('shouhou topsim', () => {
  it('exits 2 with the usage on bad flags', async () => {
    for (const argv of [['--port', 'x'], ['--bogus'], ['--refunds'], ['--port', '70000'], ['extra']]) {
      const err: string[] = [];
      expect(await runTopSimCli(argv, { out: () => undefined, err: (l) => err.push(l) })).toBe(2);
      expect(err.join('\n')).toContain('shouhou topsim [--port 8090]');
    }
  });

  it('prints what to bind a demo shop with, serves, and stops', async () => {
    const out: string[] = [];
    const stop = new AbortController();
    const done = runTopSimCli(['topsim', '--port=0', '--seed', '3', '--orders', '20', '--refunds', '5', '--activity', '6', '--tmall'], { out: (l) => out.push(l), signal: stop.signal });
    for (let i = 0; i < 200 && !out.some((l) => l.startsWith('Ctrl-C')); i += 1) await new Promise((r) => setTimeout(r, 10));
    const text = out.join('\n');
    const gateway = /gateway URL: +(\S+)/.exec(text)?.[1] as string;
    expect(gateway).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+\/router\/rest$/);
    for (const label of ['app key:', 'app secret:', 'session key:', 'seller nick:']) expect(text).toContain(label);
    const info = (await (await fetch(gateway.replace('/router/rest', '/sim/info'))).json()) as Obj;
    expect(info.shopType).toBe('tmall');
    expect(text).toContain(`app key:      ${(info.app as Obj).appKey as string}`);
    stop.abort();
    expect(await done).toBe(0);
    expect(out.at(-1)).toBe('topsim stopped');
  });
});
