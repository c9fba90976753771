/**
 * S1.15 over HTTP, on each database, against a running TOP simulator: refusing a refund needs the order's
 * sign time first, and TOP tells it only for TRADE_BUYER_SIGNED, so a Taobao order waiting for the buyer's
 * confirmation had none and every refusal asked for a supervisor's override. The agent now records it from
 * the outgoing parcel's trace (POST /refunds/:id/parcels/outgoing/sign): the time of the scan that says 签收,
 * once, audited; the refusal guard stops asking for it; the platform's sync keeps it; a parcel the trace
 * does not show signed for, or a role that may not sign, is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/core/roles.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { connectedShop, type ConnectedShop } from './support/platform.ts';

const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`S1.15 the sign time from the parcel's trace [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let shop: ConnectedShop;
    let signedRefundId: number;
    let signedTid: string;
    let signedPlatformRefundId: string;
    let unsignedRefundId: number;
    const start = new Date('2026-11-02T02:00:00.000Z');
    const later = (hours: number) => ctx.clock.set(new Date(ctx.clock.now().getTime() + hours * HOUR));

    const call = async (role: Role, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
      const res = await app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${shop.f.tokens[role]}` }, ...(payload ? { payload } : {}) });
      return { status: res.statusCode, body: res.json() };
    };
    const sign = (role: Role, refundId: number) => call(role, 'POST', `/refunds/${refundId}/parcels/outgoing/sign`);
    const orderRow = (orderNo: string) =>
      ctx.db.kysely.selectFrom('orders').select(['id', 'signed_at', 'version', 'platform_status', 'status']).where('order_no', '=', orderNo).executeTakeFirstOrThrow();
    const localRefund = async (platformRefundId: string) =>
      (await ctx.db.kysely.selectFrom('refunds').select('id').where('platform_refund_id', '=', platformRefundId).executeTakeFirstOrThrow()).id;
    const refuseMissing = async (refundId: number) => {
      const detail = await call('agent', 'GET', `/refunds/${refundId}`);
      const refused = await call('agent', 'POST', `/refunds/${refundId}/refuse`, { version: detail.body.version, reason: '商品已穿着，影响二次销售', evidence: ['chat-1.png'] });
      expect(refused.status, JSON.stringify(refused.body)).toBe(409);
      expect(refused.body.error.code).toBe('GUARD_REFUSAL_FACTS_MISSING');
      return refused.body.error.details.guards[0].missing as string[];
    };

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      shop = await connectedShop(ctx, { code: 'sign-trace', sim: { seed: 47, shop: { orders: 2, refunds: 0 } }, backfillDays: 5, ruleSet: 'default' });
      app = await buildServer({ ctx });
      const c = shop.sim.control;
      // shipped, signed for two days later (the trace says 已签收; the trade still waits for the buyer's confirmation)
      const a = c.createOrder({ lines: 1, buyerNick: 'tb_小郑' });
      c.shipOrder(a.tid, { company: '中通快递', sid: '758800445566' });
      later(50);
      c.signOrder(a.tid);
      later(20);
      const refund = c.applyRefund({ tid: a.tid, hasGoodReturn: false, reasonText: '7天无理由退换货', desc: '不想要了' });
      // shipped and out for delivery, never signed for
      const b = c.createOrder({ lines: 1, buyerNick: 'tb_小钱' });
      c.shipOrder(b.tid, { company: '韵达快递', sid: '4318800889900' });
      later(30);
      const unsigned = c.applyRefund({ tid: b.tid, hasGoodReturn: false, reasonText: '未收到货' });
      later(1);
      await shop.work();
      signedTid = a.tid;
      signedPlatformRefundId = refund.refundId;
      signedRefundId = await localRefund(refund.refundId);
      unsignedRefundId = await localRefund(unsigned.refundId);
    });
    afterAll(async () => {
      await app?.close();
      await shop?.sim.close();
      await ctx?.close();
    });

    it('S1.15 a Taobao order waiting for confirmation has no sign time: refusing asks for it', async () => {
      expect((await orderRow(signedTid)).signed_at).toBeNull();
      expect(await refuseMissing(signedRefundId)).toContain('签收时间');
    });

    it('S1.15 the agent records it from the trace: the time of the scan that says 签收, audited; the refusal no longer asks for it; once', async () => {
      const parcels = await call('agent', 'GET', `/refunds/${signedRefundId}/parcels`);
      const signing = (parcels.body.outgoing.trace.steps as { at: string; text: string }[]).filter((s) => s.text.includes('签收')).at(-1)!;
      expect(parcels.body.outgoing.trace.delivered).toBe(true);
      const before = await orderRow(signedTid);

      const first = await sign('agent', signedRefundId);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body).toEqual({ signedAt: signing.at, recorded: true, orderVersion: before.version + 1 });
      const row = await orderRow(signedTid);
      expect(row.signed_at).toBe(signing.at);
      // the trade's own state is the platform's and stays
      expect(row.status).toBe(before.status);
      expect(row.platform_status).toBe('WAIT_BUYER_CONFIRM_GOODS');

      const event = await ctx.db.kysely.selectFrom('order_events').select(['action', 'data']).where('order_id', '=', row.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(event.action).toBe('sign');
      expect(JSON.parse(String(event.data))).toMatchObject({ source: 'parcel_trace', refundId: signedRefundId, traceSource: 'platform', trackingNo: '758800445566', scan: signing.text });
      const audit = await ctx.db.kysely.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'order.sign').where('target_id', '=', signedTid).execute();
      expect(audit).toHaveLength(1);

      expect(await refuseMissing(signedRefundId)).not.toContain('签收时间');
      // again (another agent, a second click): answered as it is, nothing written
      const again = await sign('supervisor', signedRefundId);
      expect(again.body).toEqual({ signedAt: signing.at, recorded: false, orderVersion: before.version + 1 });
      expect(await ctx.db.kysely.selectFrom('audit_log').select('id').where('action', '=', 'order.sign').where('target_id', '=', signedTid).execute()).toHaveLength(1);
    });

    it('S1.15 the platform\'s sync keeps the sign time while TOP tells none (the buyer withdraws, then confirms receipt)', async () => {
      const recorded = (await orderRow(signedTid)).signed_at;
      expect(recorded).not.toBeNull();
      const c = shop.sim.control;
      later(1);
      c.withdrawRefund(signedPlatformRefundId);
      later(1);
      c.finishOrder(signedTid);
      later(1);
      await shop.work();
      const row = await orderRow(signedTid);
      expect(row.platform_status).toBe('TRADE_FINISHED');
      expect(row.signed_at).toBe(recorded);
    });

    it('S1.15 a parcel the trace does not show signed for is refused in words; so is a role that may not sign; with no source to ask, said so', async () => {
      const unsigned = await sign('agent', unsignedRefundId);
      expect(unsigned.status).toBe(409);
      expect(unsigned.body.error).toMatchObject({ code: 'ACTION_NOT_ALLOWED', details: { reason: 'parcel_not_signed' } });
      expect((await sign('finance', signedRefundId)).status).toBe(403);
      expect((await sign('warehouse', unsignedRefundId)).status).toBe(409);
      // no source to ask: said so
      await ctx.db.kysely.updateTable('shop_bindings').set({ status: 'revoked' }).execute();
      try {
        later(1); // past the trace cache
        const none = await sign('agent', unsignedRefundId);
        expect(none.status).toBe(409);
        expect(none.body.error.details).toMatchObject({ reason: 'no_trace', unavailable: 'no_source' });
      } finally {
        await ctx.db.kysely.updateTable('shop_bindings').set({ status: 'active' }).execute();
      }
      expect((await app.inject({ method: 'POST', url: `/api/v1/refunds/${signedRefundId}/parcels/outgoing/sign` })).statusCode).toBe(401);
    });

    it('S1.15 a trace of another number, a signing before the shipping or far ahead of now is refused; a few minutes ahead is now', async () => {
      // the courier-tracking service answers (the platform's binding paused), as the test says
      const order = await ctx.db.kysely
        .selectFrom('orders')
        .innerJoin('refunds', 'refunds.order_id', 'orders.id')
        .select(['orders.order_no', 'orders.shipped_at', 'orders.tracking_no'])
        .where('refunds.id', '=', unsignedRefundId)
        .executeTakeFirstOrThrow();
      const china = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 19).replace('T', ' ');
      let answer = { nu: order.tracking_no!, signedAt: new Date(0) };
      const fake = (async () =>
        new Response(JSON.stringify({ state: '3', com: '韵达快递', nu: answer.nu, data: [{ time: china(answer.signedAt), context: '【保定市】已签收，签收人：本人签收' }, { time: china(new Date(order.shipped_at!)), context: '已揽收' }] }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        })) as typeof fetch;
      await ctx.db.kysely.updateTable('shop_bindings').set({ status: 'revoked' }).execute();
      ctx.parcelTracking = { url: 'http://courier.invalid', timeoutMs: 1000, fetch: fake };
      const attempt = async (nu: string, signedAt: Date) => {
        later(1); // past the trace cache
        answer = { nu, signedAt };
        return sign('agent', unsignedRefundId);
      };
      try {
        const mismatch = await attempt('YD0000000001', new Date(ctx.clock.now().getTime() - HOUR));
        expect(mismatch.body.error).toMatchObject({ code: 'ACTION_NOT_ALLOWED', details: { reason: 'parcel_mismatch', traceTrackingNo: 'YD0000000001' } });
        const early = await attempt(order.tracking_no!, new Date(Date.parse(order.shipped_at!) - 24 * HOUR));
        expect(early.body.error).toMatchObject({ code: 'ACTION_NOT_ALLOWED', details: { reason: 'signed_before_shipped' } });
        const ahead = await attempt(order.tracking_no!, new Date(ctx.clock.now().getTime() + 2 * HOUR));
        expect(ahead.body.error).toMatchObject({ code: 'ACTION_NOT_ALLOWED', details: { reason: 'sign_time_in_future' } });
        expect((await orderRow(order.order_no)).signed_at).toBeNull();
        // a courier's clock a few minutes ahead: recorded as now, the scan's own time kept in the event
        later(1);
        const now = ctx.clock.now();
        answer = { nu: order.tracking_no!, signedAt: new Date(now.getTime() + 5 * 60_000) };
        const fine = await sign('agent', unsignedRefundId);
        expect(fine.status, JSON.stringify(fine.body)).toBe(200);
        expect(fine.body).toMatchObject({ signedAt: now.toISOString(), recorded: true });
        const row = await orderRow(order.order_no);
        const event = await ctx.db.kysely.selectFrom('order_events').select(['data']).where('order_id', '=', row.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
        expect(JSON.parse(String(event.data))).toMatchObject({ source: 'parcel_trace', traceSource: 'courier_service', scanAt: answer.signedAt.toISOString() });
      } finally {
        ctx.parcelTracking = undefined;
        await ctx.db.kysely.updateTable('shop_bindings').set({ status: 'active' }).execute();
      }
      // a buyer's session may not, and a refund that is not there is not found
      const phone = await ctx.db.kysely.selectFrom('orders').select('buyer_phone').where('order_no', '=', signedTid).executeTakeFirstOrThrow();
      const signIn = await app.inject({ method: 'POST', url: '/api/v1/buyer/session', payload: { orderNo: signedTid, phone: phone.buyer_phone } });
      expect(signIn.statusCode, signIn.body).toBe(200);
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      const csrf = (signIn.json() as { csrfToken: string }).csrfToken;
      const buyer = await app.inject({ method: 'POST', url: `/api/v1/refunds/${signedRefundId}/parcels/outgoing/sign`, headers: { cookie, 'x-csrf-token': csrf } });
      expect(buyer.statusCode).toBe(403);
      expect(buyer.json().error.code).toBe('FORBIDDEN');
      expect((await sign('agent', 999_999)).status).toBe(404);
    });

    it('S1.15 the OpenAPI document has the route', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
      const op = doc.paths['/api/v1/refunds/{id}/parcels/outgoing/sign'].post;
      expect(op.summary).toContain('S1.15');
      expect(JSON.stringify(op.responses['200'])).toContain('recorded');
    });
  });
}
