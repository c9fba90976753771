import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';

for (const dialect of DIALECTS) {
  describe(`smoke [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    beforeAll(async () => {
      ctx = await createTestContext(dialect);
      f = await setupShop(ctx);
      app = await buildServer({ ctx });
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    it('applies and agrees a refund over HTTP', async () => {
      const order = await makeOrder(ctx, f, 'signed');
      const applied = await app.inject({
        method: 'POST',
        url: '/api/v1/refunds',
        headers: { authorization: `Bearer ${f.tokens.buyer}` },
        payload: { orderNo: order.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1000 },
      });
      expect(applied.statusCode, applied.body).toBe(201);
      const refund = applied.json();
      const agreed = await app.inject({
        method: 'POST',
        url: `/api/v1/refunds/${refund.id}/agree`,
        headers: { authorization: `Bearer ${f.tokens.agent}` },
        payload: { version: refund.version },
      });
      expect(agreed.statusCode, agreed.body).toBe(200);
      expect(agreed.json().status).toBe('SUCCESS');
      const detail = await app.inject({ method: 'GET', url: `/api/v1/refunds/${refund.id}`, headers: { authorization: `Bearer ${f.tokens.agent}` } });
      expect(detail.statusCode, detail.body).toBe(200);
      expect(detail.json().events.map((e: { action: string }) => e.action)).toEqual(['apply', 'agree']);
      const doc = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(doc.statusCode).toBe(200);
    });
  });
}
