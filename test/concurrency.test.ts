/** Races: 50 simultaneous agrees over HTTP; two processes sweeping the same due deadlines. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRefund } from '../src/app/refunds.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';

const run = promisify(execFile);
const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`concurrency [${dialect}]`, () => {
    let ctx: TestContext;
    let f: ShopFixture;
    let app: Api;
    let base: string;
    const start = new Date('2026-11-02T02:00:00.000Z');

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      f = await setupShop(ctx);
      app = await buildServer({ ctx });
      base = await app.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    it('50 simultaneous agree requests at one refund over HTTP give exactly one success', async () => {
      const order = await makeOrder(ctx, f, 'signed');
      const refund = await applyRefund(ctx, {
        actor: f.actors.buyer,
        orderNo: order.orderNo,
        application: { lineNo: null, type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 1000, description: '', evidence: [] },
      });
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(`${base}/api/v1/refunds/${refund.id}/agree`, {
            method: 'POST',
            headers: { authorization: `Bearer ${f.tokens.agent}`, 'content-type': 'application/json' },
            body: JSON.stringify({ version: refund.version }),
          }).then(async (res) => ({ status: res.status, body: (await res.json()) as { error?: { code: string } } })),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(49);
      expect(new Set(answers.filter((a) => a.status === 409).map((a) => a.body.error?.code))).toEqual(new Set(['VERSION_CONFLICT']));
      const payouts = await ctx.db.kysely.selectFrom('payouts').selectAll().where('refund_id', '=', refund.id).execute();
      expect(payouts).toHaveLength(1);
      const events = await ctx.db.kysely.selectFrom('refund_events').select('action').where('refund_id', '=', refund.id).execute();
      expect(events.map((e) => e.action)).toEqual(['apply', 'agree']);
    });

    it('one Idempotency-Key sent by 10 simultaneous requests runs once; the others replay it or are told it is in use', async () => {
      const order = await makeOrder(ctx, f, 'signed');
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(`${base}/api/v1/orders/${order.orderNo}/remarks`, {
            method: 'POST',
            headers: { authorization: `Bearer ${f.tokens.agent}`, 'content-type': 'application/json', 'idempotency-key': `remark-${order.orderNo}` },
            body: JSON.stringify({ text: '客户来电催发货', flag: 2 }),
          }).then((res) => res.status),
        ),
      );
      expect(answers.every((s) => s === 201 || s === 409)).toBe(true);
      const remarks = await ctx.db.kysely.selectFrom('order_remarks').select('id').where('order_id', '=', order.id).execute();
      expect(remarks).toHaveLength(1);
      // once settled, the key replays the first answer
      const again = await fetch(`${base}/api/v1/orders/${order.orderNo}/remarks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${f.tokens.agent}`, 'content-type': 'application/json', 'idempotency-key': `remark-${order.orderNo}` },
        body: JSON.stringify({ text: '客户来电催发货', flag: 2 }),
      });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    });

    it('two processes sweeping the same due deadlines apply each one exactly once', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 60; i += 1) {
        ctx.clock.set(start);
        const order = await makeOrder(ctx, f, 'signed');
        const refund = await applyRefund(ctx, {
          actor: f.actors.buyer,
          orderNo: order.orderNo,
          application: { lineNo: null, type: i % 2 ? 'refund_only' : 'return_and_refund', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 500, description: '', evidence: [] },
        });
        ids.push(refund.id);
      }
      const due = new Date(start.getTime() + 73 * HOUR).toISOString();
      const worker = path.join(import.meta.dirname, 'support', 'sweep-worker.ts');
      const goAt = String(Date.now() + 1500);
      const outputs = await Promise.all(
        [1, 2].map(() => run(process.execPath, ['--import', 'tsx', worker, ctx.testDb.target, due, goAt], { cwd: path.join(import.meta.dirname, '..') })),
      );
      const applied = outputs.map((o) => (JSON.parse(o.stdout) as { applied: number }).applied);
      const expires = await ctx.db.kysely
        .selectFrom('refund_events')
        .select(['refund_id'])
        .where('action', '=', 'expire')
        .where('refund_id', 'in', ids)
        .execute();
      expect(expires).toHaveLength(ids.length);
      expect(new Set(expires.map((e) => e.refund_id)).size).toBe(ids.length);
      expect(applied[0]! + applied[1]!).toBe(ids.length);
      console.info(`[${dialect}] the two sweepers applied ${applied.join(' + ')}`);
      const payouts = await ctx.db.kysely.selectFrom('payouts').select('refund_id').where('refund_id', 'in', ids).execute();
      expect(payouts).toHaveLength(ids.length / 2);
    });
  });
}
