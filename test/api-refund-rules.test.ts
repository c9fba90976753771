/** The engine's rules over HTTP, on each database: one test per rule, named by its ID. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryDeadlineProblems, sweepDueDeadlines } from '../src/app/refunds.ts';
import { chinaCalendar } from '../src/core/calendar/china-calendar.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type OrderStage, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';

const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`refund rules over HTTP [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let api: ReturnType<typeof client>;
    const start = new Date('2026-11-02T02:00:00.000Z');

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      f = await setupShop(ctx);
      app = await buildServer({ ctx, testClock: ctx.clock });
      api = client(app, f);
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    async function order(stage: OrderStage, overrides = {}) {
      ctx.clock.set(start);
      return makeOrder(ctx, f, stage, overrides);
    }

    async function apply(orderNo: string, body: Record<string, unknown>) {
      return api.post('buyer', '/api/v1/refunds', { orderNo, ...body });
    }

    it('S3.1 refuses a refund on a trade that is not escrow (担保交易)', async () => {
      const o = await order('signed', { escrow: false });
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 1000 });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('NOT_ESCROW');
    });

    it('S3.2 a not-received refund defaults to the full paid amount; a partial one is refused', async () => {
      const o = await order('shipped');
      const partial = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'not_received', amountFen: 100 });
      expect(partial.status).toBe(422);
      expect(partial.body.error.code).toBe('PARTIAL_REFUND_NEEDS_RECEIPT');
      const full = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'not_received' });
      expect(full.status).toBe(201);
      expect(full.body.amountFen).toBe(o.paidFen);
    });

    it('S3.3 a received refund without return takes an amount; partial is allowed', async () => {
      const o = await order('signed');
      const none = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality' });
      expect(none.status).toBe(400);
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 5000 });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ amountFen: 5000, phase: 'on_sale', status: 'WAIT_SELLER_AGREE', version: 1 });
    });

    it('S3.4 a return needs received goods', async () => {
      const o = await order('signed');
      const wrong = await apply(o.orderNo, { type: 'return_and_refund', goodsStatus: 'not_received', reason: 'quality', amountFen: 1000 });
      expect(wrong.status).toBe(422);
      expect(wrong.body.error.code).toBe('TYPE_GOODS_MISMATCH');
    });

    it('S3.5 a postage refund is a partial refund-only', async () => {
      const o = await order('signed');
      const whole = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'postage', amountFen: o.paidFen });
      expect(whole.status).toBe(400);
      const asReturn = await apply(o.orderNo, { type: 'return_and_refund', goodsStatus: 'received', reason: 'postage', amountFen: 800 });
      expect(asReturn.body.error.code).toBe('TYPE_GOODS_MISMATCH');
      const ok = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'postage', amountFen: 800 });
      expect(ok.status).toBe(201);
    });

    it('S3.6 after TRADE_FINISHED a new refund is an after-sale refund, and receipt cannot be confirmed while a refund is open', async () => {
      const signed = await order('signed');
      const r = await apply(signed.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 1000 });
      expect(r.status).toBe(201);
      const confirm = await api.post('buyer', `/api/v1/orders/${signed.orderNo}/confirm`, {});
      expect(confirm.status).toBe(409);
      expect(confirm.body.error.code).toBe('ORDER_HAS_OPEN_REFUND');

      const finished = await order('finished');
      const after = await apply(finished.orderNo, { type: 'return_and_refund', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 19_900, lineNo: 1 });
      expect(after.status).toBe(201);
      expect(after.body.phase).toBe('after_sale');
    });

    it('amount cap: succeeded plus open refunds never exceed what was paid; beyond it has its own code', async () => {
      const o = await order('signed');
      const a = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 19_000, lineNo: 1 });
      expect(a.status).toBe(201);
      const overLine = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 13_000, lineNo: 2 });
      expect(overLine.status).toBe(422);
      expect(overLine.body.error.code).toBe('AMOUNT_OVER_CAP');
      const again = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 100, lineNo: 1 });
      expect(again.body.error.code).toBe('REFUND_ALREADY_OPEN');
      expect((await api.act('agent', a.body.id, 'agree')).body.status).toBe('SUCCESS');
      const rest = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: o.paidFen - 19_000 + 1, lineNo: null });
      expect(rest.body.error.code).toBe('AMOUNT_OVER_CAP');
      expect(rest.body.error.details.availableFen).toBe(o.paidFen - 19_000);
    });

    it('S2.1 a refund on an unshipped order cannot be refused; the error says what to do instead', async () => {
      const o = await order('paid');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted' });
      const refused = await api.act('agent', r.body.id, 'refuse', { reason: '已发货', evidence: ['chat.png'] });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('REFUSE_BEFORE_SHIPMENT');
      expect(refused.body.error.message).toMatch(/agree/);
      expect(refused.body.error.message).toMatch(/ship/);
      const detail = await api.get('agent', `/api/v1/refunds/${r.body.id}`);
      expect(detail.body.allowedActions).toEqual(['agree']);
    });

    it('S2.2 marking the order shipped closes its pending pre-shipment refund, with the reason recorded', async () => {
      const o = await order('paid');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'late_shipment' });
      const shipped = await api.post('agent', `/api/v1/orders/${o.orderNo}/ship`, { courier: '圆通速递', trackingNo: 'YT123', basis: 'already_shipped' });
      expect(shipped.status).toBe(200);
      expect(shipped.body.order.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
      expect(shipped.body.closedRefunds).toHaveLength(1);
      expect(shipped.body.warnings).toEqual([]);
      const detail = await api.get('agent', `/api/v1/refunds/${r.body.id}`);
      expect(detail.body.status).toBe('CLOSED');
      expect(detail.body.closeReason).toMatch(/S2\.2/);
      expect(detail.body.events.at(-1)).toMatchObject({ action: 'close_by_shipment', fromStatus: 'WAIT_SELLER_AGREE', toStatus: 'CLOSED' });
    });

    it('S2.3 shipping over a pending refund without the buyer\'s consent warns', async () => {
      const o = await order('paid');
      await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted' });
      const shipped = await api.post('agent', `/api/v1/orders/${o.orderNo}/ship`, { courier: '圆通速递', trackingNo: 'YT124' });
      expect(shipped.status).toBe(200);
      expect(shipped.body.warnings.map((w: { code: string }) => w.code)).toEqual(['SHIPPED_WITHOUT_BUYER_CONSENT']);
    });

    it('S2.5 return flow: agree with an address → buyer ships back → seller confirms → SUCCESS, and the trade closes when all was refunded', async () => {
      const o = await order('signed', { lines: [{ sku: 'XZ-1', title: '短靴', style: '靴子', size: '38', unitPriceFen: 25_900, quantity: 1 }], paidFen: 25_900 });
      const r = await apply(o.orderNo, { type: 'return_and_refund', goodsStatus: 'received', reason: 'quality', amountFen: 25_900 });
      const agreed = await api.act('agent', r.body.id, 'agree', { returnAddress: '杭州市余杭区 售后组' });
      expect(agreed.body).toMatchObject({ status: 'WAIT_BUYER_RETURN_GOODS', returnAddress: '杭州市余杭区 售后组', version: 2 });
      expect(agreed.body.deadline.kind).toBe('buyer_return');
      const back = await api.act('buyer', r.body.id, 'return-shipment', { courier: '顺丰速运', trackingNo: 'SF100200300' });
      expect(back.body).toMatchObject({ status: 'WAIT_SELLER_CONFIRM_GOODS', goodsStatus: 'returned' });
      expect(back.body.returnShipment.trackingNo).toBe('SF100200300');
      const done = await api.act('agent', r.body.id, 'confirm-receipt');
      expect(done.body.status).toBe('SUCCESS');
      expect(done.body.deadline).toBeNull();
      const orderAfter = await api.get('agent', `/api/v1/orders/${o.orderNo}`);
      expect(orderAfter.body.status).toBe('TRADE_CLOSED');
    });

    it('S2.5 an agreed refund-only goes straight to SUCCESS', async () => {
      const o = await order('signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'damaged', amountFen: 3000 });
      const agreed = await api.act('agent', r.body.id, 'agree');
      expect(agreed.body.status).toBe('SUCCESS');
    });

    it('S2.7 the buyer modifies type, reason and amount; each modification is an event and restarts the answer time', async () => {
      const o = await order('signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'not_as_described', amountFen: 5000 });
      const firstDue = Date.parse(r.body.deadline.at);
      ctx.clock.set(new Date(start.getTime() + 20 * HOUR));
      const m = await api.act('buyer', r.body.id, 'modify', { type: 'return_and_refund', reason: 'no_reason_7d', amountFen: 19_900 });
      expect(m.status).toBe(200);
      expect(m.body).toMatchObject({ type: 'return_and_refund', reason: 'no_reason_7d', amountFen: 19_900, status: 'WAIT_SELLER_AGREE' });
      expect(Date.parse(m.body.deadline.at)).toBe(firstDue + 20 * HOUR);
      const detail = await api.get('agent', `/api/v1/refunds/${r.body.id}`);
      const event = detail.body.events.at(-1);
      expect(event.action).toBe('modify');
      expect(event.changes.reason).toEqual({ from: 'not_as_described', to: 'no_reason_7d' });
      const empty = await api.act('buyer', r.body.id, 'modify', {});
      expect(empty.status).toBe(400);
    });

    it('S2.8 refusing needs a reason and evidence; intervention after the wait; the platform decides within 7 working days', async () => {
      const o = await order('signed');
      ctx.clock.set(new Date('2026-09-28T02:00:00.000Z')); // Monday before National Day
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 5000 });
      const noEvidence = await api.act('agent', r.body.id, 'refuse', { reason: '商品无质量问题', evidence: [] });
      expect(noEvidence.status).toBe(400);
      const refused = await api.act('agent', r.body.id, 'refuse', { reason: '商品无质量问题，聊天记录为证', evidence: ['chat-2026-09-28.png'] });
      expect(refused.body.status).toBe('SELLER_REFUSE_BUYER');
      expect(refused.body.deadline.kind).toBe('buyer_after_refusal');
      const early = await api.act('buyer', r.body.id, 'request-intervention');
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('INTERVENTION_TOO_EARLY');
      const byAgent = await api.act('agent', r.body.id, 'request-intervention');
      expect(byAgent.status).toBe(403);
      ctx.clock.set(new Date('2026-09-29T03:00:00.000Z'));
      const asked = await api.act('buyer', r.body.id, 'request-intervention', { note: '鞋底开胶' });
      expect(asked.body.intervention.state).toBe('requested');
      // from Tue 2026-09-29 the working days are 09-30, (10-01…07 National Day), 10-08, 10-09, 10-10 (a Saturday, 调休),
      // 10-12, 10-13, 10-14 → due at the end of 10-14 in Shanghai
      expect(asked.body.deadline).toMatchObject({ kind: 'platform_decision', effect: 'none', at: '2026-10-14T16:00:00.000Z' });
      const decided = await api.act('platform', r.body.id, 'platform-decision', { outcome: 'refund', note: '卖家举证不足' });
      expect(decided.body.status).toBe('SUCCESS');
      expect(decided.body.intervention).toMatchObject({ state: 'decided', outcome: 'refund' });
    });

    it('S2.8 past the calendar\'s data the decision date is reported unknown, never counted Monday to Friday', async () => {
      const o = await order('signed');
      ctx.clock.set(new Date('2026-12-24T02:00:00.000Z'));
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 5000 });
      await api.act('agent', r.body.id, 'refuse', { reason: '无质量问题', evidence: ['chat.png'] });
      ctx.clock.set(new Date('2026-12-26T02:00:00.000Z'));
      const asked = await api.act('buyer', r.body.id, 'request-intervention');
      expect(asked.status).toBe(200);
      expect(asked.body.deadline.at).toBeNull();
      expect(asked.body.deadline.problem.code).toBe('CALENDAR_OUT_OF_RANGE');
      expect(await retryDeadlineProblems(ctx)).toBe(0);
      // once the next year's official schedule is loaded (SHOUHOU_CALENDAR_FILE), the decision date is counted
      const before = ctx.calendar;
      ctx.calendar = chinaCalendar({ holidays: { '2027-01-01': '元旦' }, workdays: {} });
      try {
        expect(await retryDeadlineProblems(ctx)).toBe(1);
        // from Sat 2026-12-26: 12-28, 12-29, 12-30, 12-31, (01-01 元旦), 01-04, 01-05, 01-06 → end of 2027-01-06 in Shanghai
        expect((await api.get('agent', `/api/v1/refunds/${r.body.id}`)).body.deadline).toMatchObject({ at: '2027-01-06T16:00:00.000Z', problem: null });
      } finally {
        ctx.calendar = before;
      }
    });

    it('the buyer\'s withdrawal closes the refund', async () => {
      const o = await order('signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 1000 });
      const w = await api.act('buyer', r.body.id, 'withdraw');
      expect(w.body).toMatchObject({ status: 'CLOSED', closeReason: 'withdrawn by the buyer', deadline: null });
      const again = await api.act('buyer', r.body.id, 'withdraw');
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('ACTION_NOT_ALLOWED');
    });

    it('a stale version answers 409 and changes nothing', async () => {
      const o = await order('signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 1000 });
      await api.act('buyer', r.body.id, 'modify', { amountFen: 900 });
      const stale = await api.post('agent', `/api/v1/refunds/${r.body.id}/agree`, { version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
      expect((await api.get('agent', `/api/v1/refunds/${r.body.id}`)).body.status).toBe('WAIT_SELLER_AGREE');
    });

    it('roles: a buyer cannot agree; the detail lists the actions allowed to the caller', async () => {
      const o = await order('signed');
      const r = await apply(o.orderNo, { type: 'return_and_refund', goodsStatus: 'received', reason: 'quality', amountFen: 1000 });
      const byBuyer = await api.act('buyer', r.body.id, 'agree');
      expect(byBuyer.status).toBe(403);
      expect((await api.get('agent', `/api/v1/refunds/${r.body.id}`)).body.allowedActions).toEqual(['agree', 'refuse']);
      expect((await api.get('buyer', `/api/v1/refunds/${r.body.id}`)).body.allowedActions).toEqual(['modify', 'withdraw']);
      expect((await api.get('platform', `/api/v1/refunds/${r.body.id}`)).body.allowedActions).toEqual([]);
      expect((await api.get(null, `/api/v1/refunds/${r.body.id}`)).status).toBe(401);
    });

    it('deadlines: each passed deadline is applied once by the sweeper (S2.6 auto-agree, return closes, confirm refunds, pre-shipment 2 days)', async () => {
      // the sweeper covers every shop: this test has a database of its own
      const t0 = new Date('2026-11-10T02:00:00.000Z');
      const ctx = await createTestContext(dialect, t0);
      const f = await setupShop(ctx);
      const app = await buildServer({ ctx, testClock: ctx.clock });
      const api = client(app, f);
      const apply = (orderNo: string, body: Record<string, unknown>) => api.post('buyer', '/api/v1/refunds', { orderNo, ...body });
      const signed = await makeOrder(ctx, f, 'signed');
      const a = await apply(signed.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1000 });
      expect(a.body.deadline).toMatchObject({ kind: 'seller_answer', effect: 'auto_agree', at: new Date(t0.getTime() + 72 * HOUR).toISOString() });
      const paid = await makeOrder(ctx, f, 'paid');
      const b = await apply(paid.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted' });
      expect(b.body.deadline.at).toBe(new Date(t0.getTime() + 48 * HOUR).toISOString());
      const signed2 = await makeOrder(ctx, f, 'signed');
      const c = await apply(signed2.orderNo, { type: 'return_and_refund', goodsStatus: 'received', reason: 'quality', amountFen: 1000 });
      await api.act('agent', c.body.id, 'agree');
      const signed3 = await makeOrder(ctx, f, 'signed');
      const d = await apply(signed3.orderNo, { type: 'return_and_refund', goodsStatus: 'received', reason: 'quality', amountFen: 1000 });
      await api.act('agent', d.body.id, 'agree');
      await api.act('buyer', d.body.id, 'return-shipment', { courier: '韵达', trackingNo: 'YD1' });

      ctx.clock.set(new Date(t0.getTime() + 47 * HOUR));
      expect(await sweepDueDeadlines(ctx)).toBe(0);
      ctx.clock.set(new Date(t0.getTime() + 48 * HOUR));
      expect((await api.post('system', '/api/v1/test/sweep')).body.applied).toBe(1);
      expect((await api.get('agent', `/api/v1/refunds/${b.body.id}`)).body.status).toBe('SUCCESS');
      ctx.clock.set(new Date(t0.getTime() + 72 * HOUR));
      expect(await sweepDueDeadlines(ctx)).toBe(1);
      const aDetail = (await api.get('agent', `/api/v1/refunds/${a.body.id}`)).body;
      expect(aDetail.status).toBe('SUCCESS');
      expect(aDetail.events.at(-1)).toMatchObject({ action: 'expire', actorRole: 'system' });
      ctx.clock.set(new Date(t0.getTime() + 240 * HOUR));
      expect(await sweepDueDeadlines(ctx)).toBe(2);
      expect((await api.get('agent', `/api/v1/refunds/${c.body.id}`)).body.status).toBe('CLOSED');
      expect((await api.get('agent', `/api/v1/refunds/${d.body.id}`)).body.status).toBe('SUCCESS');
      expect(await sweepDueDeadlines(ctx)).toBe(0);
      await app.close();
      await ctx.close();
    });

    it('deadlines are configurable per shop', async () => {
      expect((await api.patch('agent', '/api/v1/shop/settings', { sellerAnswerReceivedHours: 24 })).status).toBe(403);
      const s = await api.patch('supervisor', '/api/v1/shop/settings', { sellerAnswerReceivedHours: 24 });
      expect(s.status).toBe(200);
      expect(s.body.sellerAnswerReceivedHours).toBe(24);
      const bad = await api.patch('supervisor', '/api/v1/shop/settings', { sellerAnswerReceivedHours: -1 });
      expect(bad.status).toBe(400);
      const o = await order('signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 1000 });
      expect(Date.parse(r.body.deadline.at) - start.getTime()).toBe(24 * HOUR);
      await api.patch('supervisor', '/api/v1/shop/settings', { sellerAnswerReceivedHours: 72 });
    });

    it('a buyer sees only their own orders; another shop\'s ids answer 404', async () => {
      const other = await setupShop(ctx, `shop-b-${dialect}`);
      ctx.clock.set(start);
      const theirs = await makeOrder(ctx, other, 'signed');
      const otherApi = client(app, other);
      const r = await otherApi.post('buyer', '/api/v1/refunds', { orderNo: theirs.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 100 });
      expect(r.status).toBe(201);
      expect((await api.get('agent', `/api/v1/refunds/${r.body.id}`)).status).toBe(404);
      expect((await api.get('agent', `/api/v1/orders/${theirs.orderNo}`)).status).toBe(404);
      expect((await api.post('agent', `/api/v1/refunds/${r.body.id}/agree`, { version: 1 })).status).toBe(404);
      const stranger = await makeOrder(ctx, f, 'signed', { buyer: { nick: 'someone_else', name: '王五', phone: '13900001111', address: { province: '广东省', city: '广州市', district: '天河区', detail: '体育西路 1 号' } } });
      expect((await api.get('buyer', `/api/v1/orders/${stranger.orderNo}`)).status).toBe(404);
      const list = await api.get('buyer', '/api/v1/orders?limit=200');
      expect(list.body.items.every((o: { buyer: { nick: string } }) => o.buyer.nick === 'tb_xiaomei88')).toBe(true);
    });

    it('the refund list sorts by deadline with cursor pagination and filters', async () => {
      const all: number[] = [];
      let cursor: string | null = null;
      let previous = '';
      do {
        const page: { status: number; body: { items: { id: number; deadline: { at: string | null } | null }[]; nextCursor: string | null } } =
          await api.get('agent', `/api/v1/refunds?limit=3&open=true${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        for (const item of page.body.items) {
          const key = item.deadline?.at ?? '9999';
          expect(key >= previous).toBe(true);
          previous = key;
          all.push(item.id);
        }
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(all).size).toBe(all.length);
      const filtered = await api.get('agent', '/api/v1/refunds?status=SUCCESS&status=CLOSED&reason=quality');
      expect(filtered.body.items.length).toBeGreaterThan(0);
      expect(filtered.body.items.every((r: { status: string; reason: string }) => ['SUCCESS', 'CLOSED'].includes(r.status) && r.reason === 'quality')).toBe(true);
      const badCursor = await api.get('agent', '/api/v1/refunds?cursor=nonsense');
      expect(badCursor.status).toBe(400);
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`the deadline sweeper when a deadline cannot be applied [${dialect}]`, () => {
    it('S2.5 an auto-agreed return in a shop without a return address is marked blocked and recorded, and the other deadlines still pass', async () => {
      const t0 = new Date('2026-11-10T02:00:00.000Z');
      const ctx = await createTestContext(dialect, t0);
      try {
        const f = await setupShop(ctx, 'no-address', { returnAddress: null });
        const app = await buildServer({ ctx });
        const api = client(app, f);
        const o1 = await makeOrder(ctx, f, 'signed');
        const ret = await api.post('buyer', '/api/v1/refunds', { orderNo: o1.orderNo, type: 'return_and_refund', goodsStatus: 'received', reason: 'quality', amountFen: 1000 });
        ctx.clock.set(new Date(t0.getTime() + HOUR));
        const o2 = await makeOrder(ctx, f, 'signed');
        const only = await api.post('buyer', '/api/v1/refunds', { orderNo: o2.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 1000 });
        ctx.clock.set(new Date(t0.getTime() + 80 * HOUR));
        expect(await sweepDueDeadlines(ctx)).toBe(1);
        expect((await api.get('agent', `/api/v1/refunds/${only.body.id}`)).body.status).toBe('SUCCESS');
        const blocked = (await api.get('agent', `/api/v1/refunds/${ret.body.id}`)).body;
        expect(blocked.status).toBe('WAIT_SELLER_AGREE');
        expect(blocked.deadline.problem.code).toBe('RETURN_ADDRESS_REQUIRED');
        expect(blocked.deadline.overdue).toBe(true);
        expect(blocked.events.at(-1)).toMatchObject({ action: 'expire_blocked', actorRole: 'system' });
        expect(await sweepDueDeadlines(ctx)).toBe(0);
        // once the shop has a return address, the deadline gets another chance and passes as it should
        expect((await api.patch('supervisor', '/api/v1/shop/settings', { returnAddress: '杭州市余杭区 售后组' })).status).toBe(200);
        expect(await retryDeadlineProblems(ctx)).toBe(1);
        expect(await sweepDueDeadlines(ctx)).toBe(1);
        const agreed = (await api.get('agent', `/api/v1/refunds/${ret.body.id}`)).body;
        expect(agreed.status).toBe('WAIT_BUYER_RETURN_GOODS');
        expect(agreed.returnAddress).toBe('杭州市余杭区 售后组');
        expect(agreed.events.map((e: { action: string }) => e.action)).toEqual(['apply', 'expire_blocked', 'deadline_retry', 'expire']);
        await app.close();
      } finally {
        await ctx.close();
      }
    });
  });
}
