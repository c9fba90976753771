/**
 * Issue 15 §2 over HTTP, on each database: a queue row says what the product
 * is (title, SKU, size), who the buyer is, the order's remark flag, and what
 * the warehouse and finance did (到货, 未发退清单, 索赔 …), for the staff; a
 * buyer's list carries none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';
import { addUsers, signInAs, type Session } from './support/users.ts';

interface Row {
  title: string | null;
  lineCount: number;
  sku: string | null;
  size: string | null;
  buyerNick: string | null;
  remarkFlag: number | null;
  marks: string[];
}

for (const dialect of DIALECTS) {
  describe(`the queue's rows [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let api: ReturnType<typeof client>;
    let agent: Session;
    let warehouse: Session;

    beforeAll(async () => {
      ctx = await createTestContext(dialect, new Date('2026-11-02T02:00:00.000Z'));
      f = await setupShop(ctx, 'rows', {}, 'default');
      await addUsers(ctx, f.shop.id, 'r', ['agent', 'warehouse']);
      app = await buildServer({ ctx });
      api = client(app, f);
      agent = await signInAs(app, 'agent-r');
      warehouse = await signInAs(app, 'warehouse-r');
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    const rowOf = async (who: Session, id: number): Promise<Row | undefined> =>
      ((await who.call('GET', '/api/v1/refunds?limit=200')).body.items as { id: number; row?: Row }[]).find((r) => r.id === id)?.row;

    it('the product, the buyer, the remark flag, and the chips of what others did', async () => {
      const o = await makeOrder(ctx, f, 'signed');
      const line = o.lines[0]!;
      const r = (await api.post('buyer', '/api/v1/refunds', { orderNo: o.orderNo, type: 'return_and_refund', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1000, lineNo: line.lineNo })).body as { id: number };
      expect(await rowOf(agent, r.id)).toMatchObject({ title: line.title, sku: line.sku, size: line.size, buyerNick: o.buyer.nick, remarkFlag: null, marks: [] });
      // the order's latest remark flag
      await agent.call('POST', `/api/v1/orders/${o.orderNo}/remarks`, { text: '客户急用', flag: 1 });
      await agent.call('POST', `/api/v1/orders/${o.orderNo}/remarks`, { text: '已电话联系', flag: 3 });
      expect((await rowOf(agent, r.id))?.remarkFlag).toBe(3);
      // the warehouse's arrival and finance's claim show as chips
      await api.act('agent', r.id, 'agree');
      await api.act('buyer', r.id, 'return-shipment', { courier: '中通快递', trackingNo: 'ZT20261102001' });
      expect((await warehouse.call('POST', `/api/v1/refunds/${r.id}/return-arrival`, { condition: 'resellable' })).status).toBe(201);
      const claim = await agent.call('POST', '/api/v1/records/claim', { orderNo: o.orderNo, sku: line.sku, size: line.size, courier: '中通快递', trackingNo: 'ZT1234567890', itemPriceFen: 19_900 });
      expect(claim.status, JSON.stringify(claim.body)).toBe(201);
      expect((await rowOf(agent, r.id))?.marks).toEqual(['arrived', 'claim']);
      // an unshipped refund in today's batch
      const paid = await makeOrder(ctx, f, 'paid');
      const u = (await api.post('buyer', '/api/v1/refunds', { orderNo: paid.orderNo, type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted', amountFen: paid.paidFen })).body as { id: number };
      expect((await agent.call('POST', '/api/v1/unshipped-batches/collect', {})).status).toBe(200);
      expect((await rowOf(agent, u.id))?.marks).toContain('batched');
    });

    it("a buyer's list has no staff row", async () => {
      const items = (await api.get('buyer', '/api/v1/refunds?limit=50')).body.items as { row?: Row }[];
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((i) => i.row === undefined)).toBe(true);
    });
  });
}
