/**
 * Issue 15 §2 over HTTP, on each database: the warehouse voids many lines of the unshipped batch
 * (S1.1) with one request — each line its own transaction and audit event, one result per line; a line
 * already marked, one not in the batch, an open batch and a role without the permission are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';
import { addUsers, signInAs, type Session } from './support/users.ts';

interface Line {
  refundId: number;
  orderNo: string;
  status: string;
}

for (const dialect of DIALECTS) {
  describe(`the unshipped batch: voiding many lines at once [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let api: ReturnType<typeof client>;
    let agent: Session;
    let warehouse: Session;
    let finance: Session;
    const start = new Date('2026-11-02T00:30:00.000Z'); // Mon 08:30 in Shanghai, before the 09:00 cut-off

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      f = await setupShop(ctx, 'void', {}, 'default');
      await addUsers(ctx, f.shop.id, 'v', ['agent', 'warehouse', 'finance']);
      app = await buildServer({ ctx });
      api = client(app, f);
      agent = await signInAs(app, 'agent-v');
      warehouse = await signInAs(app, 'warehouse-v');
      finance = await signInAs(app, 'finance-v');
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    it('S1.1 voids the lines chosen, each audited; one already marked and one not in the batch are reported, the others go through', async () => {
      const refunds: number[] = [];
      for (let i = 0; i < 4; i++) {
        const o = await makeOrder(ctx, f, 'paid');
        const r = await api.post('buyer', '/api/v1/refunds', { orderNo: o.orderNo, type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted' });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        refunds.push(r.body.id as number);
      }
      const batch = (await agent.call('POST', '/api/v1/unshipped-batches/collect')).body as { id: number; version: number; lines: Line[] };
      expect(batch.lines.map((l) => l.refundId)).toEqual(expect.arrayContaining(refunds));
      const [a, b, c, d] = refunds as [number, number, number, number];

      // not yet sent to the warehouse: every line refused, nothing marked
      const early = await warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/void`, { refundIds: [a, b] });
      expect(early.status).toBe(200);
      expect(early.body).toMatchObject({ succeeded: 0, refused: 2 });
      expect(early.body.results[0]).toMatchObject({ refundId: a, ok: false, code: 'ACTION_NOT_ALLOWED' });

      expect((await agent.call('POST', `/api/v1/unshipped-batches/${batch.id}/send`, { version: batch.version })).body.status).toBe('sent');
      expect((await warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/${c}`, { status: 'voided' })).status).toBe(200);

      const res = await warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/void`, { refundIds: [a, c, 999_999, b] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ succeeded: 2, refused: 2 });
      const results = res.body.results as { refundId: number; orderNo: string | null; ok: boolean; code?: string }[];
      expect(results.map((r) => r.refundId)).toEqual([a, c, 999_999, b]);
      const lineOf = (id: number) => (res.body.batch.lines as Line[]).find((l) => l.refundId === id)!;
      expect(results[0]).toMatchObject({ ok: true, orderNo: lineOf(a).orderNo });
      expect(results[1]).toMatchObject({ ok: false, code: 'ACTION_NOT_ALLOWED', orderNo: lineOf(c).orderNo });
      expect(results[2]).toMatchObject({ ok: false, code: 'NOT_FOUND', orderNo: null });
      expect(results[3]).toMatchObject({ ok: true });
      expect([a, b, c, d].map((id) => lineOf(id).status)).toEqual(['voided', 'voided', 'voided', 'pending']);
      // one audit event per line marked, as a single mark writes
      const audited = await ctx.db.kysely.selectFrom('audit_log').select('target_id').where('action', '=', 'unshipped_batch.voided').execute();
      expect(audited.map((x) => Number(x.target_id)).sort((x, y) => x - y)).toEqual([a, b, c].sort((x, y) => x - y));
    });

    it('the request is checked (1–500 distinct ids) and a role that does not mark lines is refused (403), nothing marked', async () => {
      const batch = ((await agent.call('GET', '/api/v1/unshipped-batches')).body as { id: number; lines: Line[] }[])[0]!;
      const pending = batch.lines.filter((l) => l.status === 'pending').map((l) => l.refundId);
      expect(pending.length).toBeGreaterThan(0);
      expect((await warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/void`, { refundIds: [] })).status).toBe(400);
      expect((await warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/void`, { refundIds: [pending[0], pending[0]] })).status).toBe(400);
      expect((await finance.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/void`, { refundIds: pending })).status).toBe(403);
      expect((await agent.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/void`, { refundIds: pending })).status).toBe(403);
      const after = (await agent.call('GET', `/api/v1/unshipped-batches/${batch.id}`)).body as { lines: Line[] };
      expect(after.lines.filter((l) => pending.includes(l.refundId)).every((l) => l.status === 'pending')).toBe(true);
      expect((await warehouse.call('POST', '/api/v1/unshipped-batches/999999/lines/void', { refundIds: pending })).status).toBe(404);
    });
  });
}
