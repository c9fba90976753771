/**
 * Issue 15 §3 parcel tracking over HTTP, on each database, against a running TOP simulator: the
 * outgoing parcel of a Taobao order from the platform's logistics call, the return parcel from the
 * courier-tracking service (the simulator's /courier/trace), the last scan and its age for a 未收到货
 * refund; the buyer portal's session reads its own refund's parcels only; without a source, or with
 * sources that fail, the answer says so in words and is never an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { connectedShop, type ConnectedShop } from './support/platform.ts';

const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`issue 15 §3 parcel tracking [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let shop: ConnectedShop;
    let notReceivedId: number;
    let returnId: number;
    let returnOrderNo: string;
    const start = new Date('2026-11-02T02:00:00.000Z');
    const later = (hours: number) => ctx.clock.set(new Date(ctx.clock.now().getTime() + hours * HOUR));

    const localRefund = async (platformRefundId: string) => {
      const row = await ctx.db.kysely.selectFrom('refunds').select('id').where('platform_refund_id', '=', platformRefundId).executeTakeFirstOrThrow();
      return row.id;
    };
    const parcels = (id: number, lang = 'zh-CN') => callAs('agent', id, lang);
    const callAs = async (role: 'agent' | 'warehouse', id: number, lang: string) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/refunds/${id}/parcels`, headers: { authorization: `Bearer ${shop.f.tokens[role]}`, 'accept-language': lang } });
      return { status: res.statusCode, body: res.json() };
    };

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      shop = await connectedShop(ctx, { code: 'parcels', sim: { seed: 31, shop: { orders: 4, refunds: 0 } }, backfillDays: 5 });
      ctx.parcelTracking = { url: `${shop.sim.url}/courier`, timeoutMs: 3000 };
      app = await buildServer({ ctx });
      const c = shop.sim.control;
      // 未收到货: shipped four days ago, out for delivery and never signed for
      const a = c.createOrder({ lines: 1, buyerNick: 'tb_小周' });
      c.shipOrder(a.tid, { company: '中通快递', sid: '758800112233' });
      later(30);
      const nr = c.applyRefund({ tid: a.tid, hasGoodReturn: false, reasonText: '未收到货', desc: '物流好几天没更新了' });
      // a return: signed for, the return agreed by the platform, the buyer sends it back
      const b = c.createOrder({ lines: 1, buyerNick: 'tb_小吴' });
      c.shipOrder(b.tid, { company: '韵达快递', sid: '4318800556677' });
      later(60);
      c.signOrder(b.tid);
      const back = c.applyRefund({ tid: b.tid, hasGoodReturn: true, reasonText: '7天无理由退换货' });
      c.timeoutRefund(back.refundId);
      c.shipReturn(back.refundId, { company: '圆通速递', sid: 'YT5500998877' });
      later(2);
      await shop.work();
      notReceivedId = await localRefund(nr.refundId);
      returnId = await localRefund(back.refundId);
      returnOrderNo = b.tid;
    });
    afterAll(async () => {
      await app?.close();
      await shop?.sim.close();
      await ctx?.close();
    });

    it('15.3 a 未收到货 refund: the outgoing trace from the platform, its last scan and how long ago; no return parcel', async () => {
      const res = await parcels(notReceivedId);
      expect(res.status).toBe(200);
      const body = res.body;
      expect(body.notReceived).toBe(true);
      expect(body.return).toBeNull();
      expect(body.outgoing).toMatchObject({ direction: 'outgoing', courier: '中通快递', trackingNo: '758800112233', source: 'platform', unavailable: null });
      const trace = body.outgoing.trace;
      expect(trace).toMatchObject({ courier: '中通快递', trackingNo: '758800112233', status: '派送中', delivered: false });
      expect(trace.steps.length).toBeGreaterThanOrEqual(2);
      expect(trace.steps[0].text).toContain('已揽收');
      const times = trace.steps.map((s: { at: string }) => Date.parse(s.at));
      expect(times).toEqual([...times].sort((x: number, y: number) => x - y));
      const last = trace.steps.at(-1);
      expect(trace.lastScan).toEqual({ at: last.at, text: last.text, ago: { unit: 'hours', value: Math.floor((ctx.clock.now().getTime() - Date.parse(last.at)) / HOUR) } });
    });

    it('15.3 a return: the outgoing parcel from the platform (signed for), the return parcel from the courier-tracking service', async () => {
      const { status, body } = await parcels(returnId);
      expect(status).toBe(200);
      expect(body.notReceived).toBe(false);
      expect(body.outgoing).toMatchObject({ source: 'platform', trace: { delivered: true, status: '已签收' } });
      expect(body.return).toMatchObject({ direction: 'return', courier: '圆通速递', trackingNo: 'YT5500998877', source: 'courier_service', unavailable: null });
      expect(body.return.trace.steps[0].text).toContain('圆通速递');
      expect(body.return.trace.delivered).toBe(false);
      expect(body.return.shippedAt).not.toBeNull();
    });

    it('15.3 the buyer portal\'s session reads its own refund\'s parcels, and no other (404)', async () => {
      const order = await ctx.db.kysely.selectFrom('orders').select(['buyer_phone']).where('order_no', '=', returnOrderNo).executeTakeFirstOrThrow();
      const signIn = await app.inject({ method: 'POST', url: '/api/v1/buyer/session', payload: { orderNo: returnOrderNo, phone: order.buyer_phone } });
      expect(signIn.statusCode, signIn.body).toBe(200);
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      const own = await app.inject({ method: 'GET', url: `/api/v1/refunds/${returnId}/parcels`, headers: { cookie } });
      expect(own.statusCode).toBe(200);
      expect(own.json().return).toMatchObject({ source: 'courier_service', trackingNo: 'YT5500998877' });
      const other = await app.inject({ method: 'GET', url: `/api/v1/refunds/${notReceivedId}/parcels`, headers: { cookie } });
      expect(other.statusCode).toBe(404);
      // staff of the shop who read refunds do too; nobody without a session
      expect((await callAs('warehouse', returnId, 'zh-CN')).status).toBe(200);
      expect((await app.inject({ method: 'GET', url: `/api/v1/refunds/${returnId}/parcels` })).statusCode).toBe(401);
    });

    it('15.3 the OpenAPI document has the route and its answer', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
      const op = doc.paths['/api/v1/refunds/{id}/parcels'].get;
      const schema = JSON.stringify(op.responses['200']);
      for (const field of ['notReceived', 'outgoing', 'lastScan', 'unavailable', 'courier_service', 'no_source']) expect(schema).toContain(field);
    });

    it('15.3 answers are kept a few minutes; then the trace moves on with the parcel', async () => {
      const before = (await parcels(returnId)).body.return.trace.steps.length;
      later(40);
      // the platform's sim and the courier service follow the same clock; the cached answer expired long ago
      const after = (await parcels(returnId)).body.return.trace;
      expect(after.steps.length).toBeGreaterThan(before);
      expect(after.steps.at(-1).text).toContain('温州');
    });

    it('15.3 without a courier-tracking service the return parcel says so, in the caller\'s language', async () => {
      const saved = ctx.parcelTracking;
      ctx.parcelTracking = undefined;
      try {
        const zh = (await parcels(returnId)).body;
        expect(zh.outgoing.source).toBe('platform');
        expect(zh.return).toMatchObject({ source: null, trace: null, unavailable: { code: 'no_source', message: '暂未接入物流查询，可复制单号到快递公司官网查询。' } });
        const en = (await parcels(returnId, 'en')).body;
        expect(en.return.unavailable.message).toMatch(/^No parcel tracking is set up/);
      } finally {
        ctx.parcelTracking = saved;
      }
    });

    it('15.3 the platform failing falls back to the courier service; every source failing is words, never a 500', async () => {
      later(1); // past the cache
      await shop.sim.control.faults({ failNext: { count: 20, kind: 'http500' } });
      try {
        const fallback = await parcels(notReceivedId);
        expect(fallback.status).toBe(200);
        expect(fallback.body.outgoing).toMatchObject({ source: 'courier_service', trackingNo: '758800112233', unavailable: null });
        expect(fallback.body.outgoing.trace.steps[0].text).toContain('已揽收');
        const saved = ctx.parcelTracking;
        // a service that is not there
        ctx.parcelTracking = { url: 'http://127.0.0.1:9/courier', timeoutMs: 1000 };
        try {
          const down = await parcels(returnId);
          expect(down.status).toBe(200);
          expect(down.body.return).toMatchObject({ source: null, trace: null, unavailable: { code: 'failed', message: '物流查询暂时出错，请稍后再试。' } });
          expect(down.body.outgoing).toMatchObject({ source: null, unavailable: { code: 'failed' } });
        } finally {
          ctx.parcelTracking = saved;
        }
      } finally {
        await shop.sim.control.faults({ failNext: null });
      }
    });
  });
}
