/** TMC consume/confirm/redelivery and the injected faults, over real HTTP. */
import { afterEach, describe, expect, it } from 'vitest';
import { startTopSim, type TopSim, type TopSimOptions } from './server.ts';
import { callTop, errorOf, inner, parseBig } from './test-client.ts';

type Obj = Record<string, unknown>;
let sims: TopSim[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

/** a sim on a clock the test moves (advanceTime) */
async function start(options: TopSimOptions = {}): Promise<TopSim> {
  const base = Date.now();
  const sim = await startTopSim({ seed: 41, shop: { orders: 40, refunds: 20 }, now: () => new Date(base), ...options });
  sims.push(sim);
  return sim;
}

async function consume(sim: TopSim, quantity = 100): Promise<Obj[]> {
  const body = inner(await callTop(sim, 'taobao.tmc.messages.consume', { quantity }, { session: null }));
  return (body.messages as { tmc_message: Obj[] } | undefined)?.tmc_message ?? [];
}

async function confirm(sim: TopSim, ids: unknown[]): Promise<void> {
  const body = inner(await callTop(sim, 'taobao.tmc.messages.confirm', { s_message_ids: ids.map(String).join(',') }, { session: null }));
  expect(body.is_success).toBe(true);
}

function openRefundIds(sim: TopSim, n: number): string[] {
  return sim.control
    .state()
    .refunds.filter((r) => r.status === 'WAIT_SELLER_AGREE' || r.status === 'SELLER_REFUSE_BUYER')
    .slice(0, n)
    .map((r) => r.refund_id as string);
}

describe('TMC', () => {
  it('consume hands out waiting messages once; unconfirmed ones come back after the invisible time; confirmed ones never', async () => {
    const sim = await start({ tmcInvisibleMs: 5_000 });
    expect(await consume(sim)).toEqual([]);
    const [a, b] = openRefundIds(sim, 2) as [string, string];
    sim.control.withdrawRefund(a);
    sim.control.withdrawRefund(b);
    const r = await callTop(sim, 'taobao.tmc.messages.consume', { quantity: 10 }, { session: null });
    expect(r.text).toMatch(/"tmc_message":\[\{"content":"\{\\"refund_id\\":[0-9]{18},\\"tid\\":[0-9]{19},\\"oid\\":[0-9]{19},/);
    expect(r.text).toMatch(/"id":[0-9]{19},"pub_app_key":"12497914"/);
    const first = ((inner(r).messages as { tmc_message: Obj[] }).tmc_message);
    expect(first).toHaveLength(2);
    for (const m of first) {
      expect(typeof m.id).toBe('bigint');
      expect(m).toMatchObject({ topic: 'taobao_refund_RefundClosed', user_id: Number(sim.seller.userId), user_nick: sim.seller.nick });
      const content = parseBig(m.content as string) as Obj;
      expect(typeof content.refund_id).toBe('bigint');
      expect(typeof content.tid).toBe('bigint');
      expect(Object.keys(content)).toEqual(['refund_id', 'tid', 'oid', 'refund_fee', 'refund_phase', 'bill_type', 'buyer_nick', 'buyer_open_uid', 'seller_nick', 'modified']);
    }
    expect(first.map((m) => String((parseBig(m.content as string) as Obj).refund_id))).toEqual([a, b]);
    // in flight: not handed out again
    expect(await consume(sim)).toEqual([]);
    await confirm(sim, [first[0]?.id]);
    sim.control.advanceTime(4_000);
    expect(await consume(sim)).toEqual([]);
    sim.control.advanceTime(1_500);
    const again = await consume(sim);
    expect(again.map((m) => m.id)).toEqual([first[1]?.id]);
    await confirm(sim, [first[1]?.id]);
    sim.control.advanceTime(60_000);
    expect(await consume(sim)).toEqual([]);
    const states = sim.control.messages().map((m) => [m.state, m.deliveries]);
    expect(states).toEqual([
      ['confirmed', 1],
      ['confirmed', 2],
    ]);
  });

  it('quantity 10–200, at most quantity; group_name must exist; confirm checks ids', async () => {
    const sim = await start();
    for (let i = 0; i < 6; i += 1) sim.control.createOrder(); // TradeCreate and TradeBuyerPay each
    expect(sim.control.messages()).toHaveLength(12);
    expect(await consume(sim, 10)).toHaveLength(10);
    expect(errorOf(await callTop(sim, 'taobao.tmc.messages.consume', { quantity: 9 }, { session: null })).sub_code).toBe('isv.invalid-parameter:quantity');
    expect(errorOf(await callTop(sim, 'taobao.tmc.messages.consume', { quantity: 201 }, { session: null })).sub_code).toBe('isv.invalid-parameter:quantity');
    expect(errorOf(await callTop(sim, 'taobao.tmc.messages.consume', { group_name: 'vip' }, { session: null })).sub_code).toBe('isv.group-not-exist');
    expect(errorOf(await callTop(sim, 'taobao.tmc.messages.confirm', {}, { session: null })).code).toBe(40);
    expect(errorOf(await callTop(sim, 'taobao.tmc.messages.confirm', { s_message_ids: '1,x' }, { session: null })).code).toBe(41);
  });

  it('tmc.user.permit: topics narrow what is queued; none restores all', async () => {
    const sim = await start();
    const [a, b] = openRefundIds(sim, 2) as [string, string];
    expect(inner(await callTop(sim, 'taobao.tmc.user.permit', { topics: 'taobao_refund_RefundSuccess,taobao_trade_TradeMemoModified' })).is_success).toBe(true);
    sim.control.withdrawRefund(a);
    expect(sim.control.messages()).toHaveLength(0);
    expect(errorOf(await callTop(sim, 'taobao.tmc.user.permit', { topics: 'taobao_nope_Nothing' })).sub_code).toBe('isv.invalid-parameter:topics');
    expect(errorOf(await callTop(sim, 'taobao.tmc.user.permit', {}, { session: null })).code).toBe(26);
    await callTop(sim, 'taobao.tmc.user.permit', {});
    sim.control.withdrawRefund(b);
    expect(sim.control.messages().map((m) => m.topic)).toEqual(['taobao_refund_RefundClosed']);
  });
});

describe('message faults', () => {
  it('duplicateMessages: every message queued twice (two ids, one content)', async () => {
    const sim = await start();
    sim.control.faults({ duplicateMessages: 1 });
    const [a] = openRefundIds(sim, 1) as [string];
    sim.control.withdrawRefund(a);
    const got = await consume(sim);
    expect(got).toHaveLength(2);
    expect(got[0]?.id).not.toBe(got[1]?.id);
    expect(got[0]?.content).toBe(got[1]?.content);
    expect(sim.control.stats().messages).toMatchObject({ published: 1, queued: 2, duplicated: 1 });
  });

  it('dropMessages: messages never queued', async () => {
    const sim = await start();
    sim.control.faults({ dropMessages: 1 });
    for (const id of openRefundIds(sim, 3)) sim.control.withdrawRefund(id);
    expect(await consume(sim)).toEqual([]);
    expect(sim.control.stats().messages).toMatchObject({ published: 3, queued: 0, dropped: 3 });
    sim.control.faults({ dropMessages: 0.5 });
    for (let i = 0; i < 40; i += 1) sim.control.createOrder();
    const queued = sim.control.stats().messages.queued;
    expect(queued).toBeGreaterThan(10); // 80 published, about half kept
    expect(queued).toBeLessThan(70);
  });

  it('reorderMessages: consume hands them out shuffled', async () => {
    const sim = await start();
    for (let i = 0; i < 30; i += 1) sim.control.createOrder({ paid: false });
    const published = sim.control.messages().map((m) => m.id);
    sim.control.faults({ reorderMessages: true });
    const got = (await consume(sim)).map((m) => String(m.id));
    expect(got).toHaveLength(30);
    expect(new Set(got)).toEqual(new Set(published));
    expect(got).not.toEqual(published);
  });
});

describe('call faults', () => {
  it('rate limit: code 7 over the limit with the ban time; stats report the peak a second', async () => {
    const sim = await start({ now: undefined });
    sim.control.resetStats();
    sim.control.faults({ rateLimitPerSecond: 5 });
    const results = await Promise.all(Array.from({ length: 15 }, () => callTop(sim, 'taobao.user.seller.get', { fields: 'nick' })));
    const limited = results.filter((r) => 'error_response' in r.body).map(errorOf);
    // 15 calls at once: 5 pass in the second, the rest are refused (a very slow machine may spread them over two seconds)
    expect(results.length - limited.length).toBeGreaterThanOrEqual(5);
    expect(limited.length).toBeGreaterThanOrEqual(5);
    for (const e of limited) {
      expect(e).toMatchObject({ code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-app-access-count' });
      expect(e.sub_msg).toMatch(/^This ban will last for [0-9]+ more seconds$/);
    }
    const stats = sim.control.stats();
    expect(stats.calls['taobao.user.seller.get']).toBe(15);
    expect(stats.peakPerSecond[sim.app.appKey]).toBeGreaterThan(5);
    expect(stats.rateLimited).toBe(limited.length);
    expect(stats.errors['7']).toBe(limited.length);
    sim.control.faults({ rateLimitPerSecond: null });
    expect(inner(await callTop(sim, 'taobao.user.seller.get', { fields: 'nick' })).user).toBeDefined();
  });

  it('failNext: http500, isp, malformed, then normal answers again', async () => {
    const sim = await start({ now: undefined });
    sim.control.faults({ failNext: { count: 1, kind: 'http500' } });
    const r500 = await callTop(sim, 'taobao.user.seller.get', { fields: 'nick' });
    expect(r500.status).toBe(500);
    expect(() => JSON.parse(r500.text) as unknown).toThrow();
    sim.control.faults({ failNext: { count: 2, kind: 'isp' } });
    for (let i = 0; i < 2; i += 1) {
      const e = errorOf(await callTop(sim, 'taobao.user.seller.get', { fields: 'nick' }));
      expect(e.code).toBe(15);
      expect(e.sub_code).toMatch(/^isp\./);
    }
    sim.control.faults({ failNext: { count: 1, kind: 'malformed' } });
    const bad = await callTop(sim, 'taobao.user.seller.get', { fields: 'nick' });
    expect(bad.status).toBe(200);
    expect(() => JSON.parse(bad.text) as unknown).toThrow();
    expect(inner(await callTop(sim, 'taobao.user.seller.get', { fields: 'nick' })).user).toBeDefined();
  });

  it('failNext timeout holds the answer; applied: the action happens though the answer is lost', async () => {
    const sim = await start({ now: undefined });
    sim.control.faults({ failNext: { count: 1, kind: 'timeout' } });
    const started = Date.now();
    await expect(fetch(`${sim.gatewayUrl}?method=taobao.user.seller.get`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);

    const [id] = openRefundIds(sim, 1) as [string];
    const before = sim.control.state().refunds.find((r) => r.refund_id === id) as Obj;
    sim.control.faults({ failNext: { count: 1, kind: 'malformed', applied: true } });
    const lost = await callTop(sim, 'taobao.trade.memo.update', { tid: String(before.tid), memo: '答复丢了但已生效' });
    expect(() => JSON.parse(lost.text) as unknown).toThrow();
    const trade = inner(await callTop(sim, 'taobao.trade.fullinfo.get', { tid: String(before.tid), fields: 'seller_memo' })).trade;
    expect(trade).toEqual({ seller_memo: '答复丢了但已生效' });
  });

  it('close() ends a held answer at once', async () => {
    const sim = await startTopSim({ seed: 1, shop: false });
    sim.control.faults({ failNext: { count: 1, kind: 'timeout' } });
    const pending = fetch(`${sim.gatewayUrl}?method=x`).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((r) => setTimeout(r, 50));
    await sim.close();
    expect(await pending).toBe('cut');
  });
});
