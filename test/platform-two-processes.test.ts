/**
 * Issue 12 §8: two server processes on one PostgreSQL share a shop's TMC and
 * outbox (each with its own connection pool here, working at the same time):
 * every decision reaches the platform once, every notice is applied, and
 * both end equal to the platform. PostgreSQL only: SQLite has one writer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.ts';
import { runDuePlatformWork } from '../src/app/platform/workers.ts';
import { actOnRefund } from '../src/app/refunds.ts';
import { openDatabase } from '../src/db/connection.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { compareWithSim, connectedShop, testConnectors, type ConnectedShop } from './support/platform.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(dialect !== 'postgres')(`issue 12 §8: two processes on one database [${dialect}]`, () => {
    let ctx: TestContext;
    let other: AppContext;
    let shop: ConnectedShop;

    beforeAll(async () => {
      ctx = await createTestContext(dialect, new Date('2026-11-02T02:00:00.000Z'));
      shop = await connectedShop(ctx, { backfillDays: 0, sim: { shop: false, seed: 11 } });
      // the second process: its own pool on the same database, the same clock
      other = { db: openDatabase(ctx.testDb.target), clock: ctx.clock, calendar: ctx.calendar };
      other.connectors = testConnectors(other);
    });
    afterAll(async () => {
      await shop.sim.close();
      await other.db.close();
      await ctx.close();
    });

    it('issue 12 §8: TMC and the outbox worked by two processes at once apply nothing twice', async () => {
      const { control } = shop.sim;
      const refunds: string[] = [];
      for (let i = 0; i < 24; i++) {
        const { tid } = control.createOrder();
        control.shipOrder(tid);
        refunds.push(String(control.applyRefund({ tid, reasonText: '不想要了', amountFen: 1000 + i }).refundId));
      }
      control.faults({ duplicateMessages: 0.5, reorderMessages: true });
      const both = () =>
        Promise.all([
          runDuePlatformWork(ctx, { owner: 'process-a', tmcIdleMs: 0, pullIntervalMs: 60_000 }),
          runDuePlatformWork(other, { owner: 'process-b', tmcIdleMs: 0, pullIntervalMs: 60_000 }),
        ]);
      for (let i = 0; i < 10; i++) await both();
      const mine = await ctx.db.kysely.selectFrom('refunds').selectAll().where('shop_id', '=', shop.f.shop.id).execute();
      expect(mine).toHaveLength(24);
      // agents agree every refund; both processes deliver at once
      for (const r of mine) await actOnRefund(ctx, { actor: shop.f.actors.agent, refundId: r.id, version: r.version, command: { action: 'agree' } });
      for (let i = 0; i < 10; i++) await both();
      expect(control.stats().calls['taobao.rp.refunds.agree']).toBe(24);
      const rows = await ctx.db.kysely.selectFrom('platform_outbox').select(['status']).where('shop_id', '=', shop.f.shop.id).execute();
      expect(rows.map((r) => r.status)).toEqual(Array(24).fill('sent'));
      const payouts = await ctx.db.kysely.selectFrom('payouts').select('refund_id').where('shop_id', '=', shop.f.shop.id).execute();
      expect(payouts).toHaveLength(24);
      expect(new Set(payouts.map((p) => p.refund_id)).size).toBe(24);
      const { mismatches } = await compareWithSim(ctx, shop.f.shop.id, shop.sim);
      expect(mismatches).toEqual([]);
      // each refund's events: apply, agree (queued), the platform's SUCCESS once
      const events = await ctx.db.kysely.selectFrom('refund_events').select(['refund_id', 'action', 'to_status']).where('shop_id', '=', shop.f.shop.id).execute();
      const success = events.filter((e) => e.to_status === 'SUCCESS');
      expect(success).toHaveLength(24);
    });
  });
}
