/**
 * Issue 13 §7 over HTTP, on each database: a line of a discounted order gives back at most its
 * share of what was paid (the platform's divide_order_fee, or the order's payment shared among the
 * lines by value), not its list price; the whole order stays capped at what was paid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { orderInput, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';

for (const dialect of DIALECTS) {
  describe(`line caps are paid shares [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let api: ReturnType<typeof client>;
    const start = new Date('2026-11-02T02:00:00.000Z');

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      f = await setupShop(ctx, 'shares');
      app = await buildServer({ ctx });
      api = client(app, f);
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    /** lines of 199.00 and 129.00 (328.00 listed) */
    async function create(over: Record<string, unknown> = {}) {
      const body = { ...orderInput(), ...over };
      return { body, answer: await api.post('system', '/api/v1/orders', body) };
    }
    async function storedShares(orderNo: string) {
      const rows = await ctx.db.kysely
        .selectFrom('order_lines')
        .innerJoin('orders', 'orders.id', 'order_lines.order_id')
        .select(['order_lines.line_no', 'order_lines.paid_fen'])
        .where('orders.order_no', '=', orderNo)
        .orderBy('order_lines.line_no')
        .execute();
      return rows.map((r) => (r.paid_fen === null || r.paid_fen === undefined ? null : Number(r.paid_fen)));
    }

    it('S3.3 a refund on one line of a discounted order is capped at the line\'s paid share (largest remainder), not its list price', async () => {
      // a 20.00 coupon: 308.00 paid for 328.00 of goods, shared by value: 186.87 + 121.13 (the odd fen to the larger remainder)
      const { body, answer } = await create({ paidFen: 30_800 });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body.lines.map((l: { paidFen: number }) => l.paidFen)).toEqual([18_687, 12_113]);
      expect(await storedShares(body.orderNo)).toEqual([18_687, 12_113]);
      const over = await api.post('buyer', '/api/v1/refunds', { orderNo: body.orderNo, lineNo: 1, type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted', amountFen: 19_900 });
      expect(over.status).toBe(422);
      expect(over.body.error).toMatchObject({ code: 'AMOUNT_OVER_CAP', details: { lineCapFen: 18_687, availableFen: 18_687 } });
      // not received: the whole line is its share
      const line = await api.post('buyer', '/api/v1/refunds', { orderNo: body.orderNo, lineNo: 1, type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted' });
      expect(line.status, JSON.stringify(line.body)).toBe(201);
      expect(line.body.amountFen).toBe(18_687);
    });

    it('S3.3 the API takes each line\'s paid share as given; the postage is not the lines\', and the shares must add up', async () => {
      const lines = orderInput().lines;
      const given = await create({ paidFen: 31_800, postageFen: 1000, lines: [{ ...lines[0], paidFen: 17_900 }, { ...lines[1], paidFen: 12_900 }] });
      expect(given.answer.status, JSON.stringify(given.answer.body)).toBe(201);
      expect(await storedShares(given.body.orderNo)).toEqual([17_900, 12_900]);
      // one line given: the other takes the rest of the goods' payment (318.00 − 10.00 − 179.00)
      const one = await create({ paidFen: 31_800, postageFen: 1000, lines: [{ ...lines[0], paidFen: 17_900 }, lines[1]] });
      expect(one.answer.body.lines.map((l: { paidFen: number }) => l.paidFen)).toEqual([17_900, 12_900]);
      const notAddingUp = await create({ paidFen: 31_800, postageFen: 1000, lines: [{ ...lines[0], paidFen: 17_900 }, { ...lines[1], paidFen: 12_000 }] });
      expect(notAddingUp.answer.status).toBe(400);
      expect(notAddingUp.answer.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { sharesFen: 29_900, goodsPaidFen: 30_800 } });
      const overList = await create({ lines: [{ ...lines[0], paidFen: 20_000 }, lines[1]] });
      expect(overList.answer.status).toBe(400);
      expect(overList.answer.body.error.details.field).toBe('lines[0].paidFen');
    });
  });
}
