/**
 * Issue 16 §3: a process's background platform work runs in two loops, the outbox and TMC apart from the
 * pulls, so a pull that takes long (the five-minute catch-up at a peak reads thousands of records) holds back
 * neither a buyer's change on its way to the queue nor a decision on its way to the platform.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actOnRefund } from '../src/app/refunds.ts';
import { startPlatformWorkers } from '../src/app/platform/workers.ts';
import type { PlatformConnector } from '../src/platform/connector.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { connectedShop, testConnectors, type ConnectedShop } from './support/platform.ts';

/** Polls `done` while moving the shared clock (the workers' schedule and the simulator follow it). */
async function until(ctx: TestContext, done: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    ctx.clock.set(new Date(ctx.clock.now().getTime() + 500));
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const dialect of DIALECTS) {
  describe(`the platform workers' loops [${dialect}]`, () => {
    let ctx: TestContext;
    let shop: ConnectedShop | undefined;

    beforeEach(async () => {
      ctx = await createTestContext(dialect, new Date('2026-11-02T02:00:00.000Z'));
    });
    afterEach(async () => {
      await shop?.sim.close();
      shop = undefined;
      await ctx.close();
    });

    it('issue 16 §3: while a pull hangs on the platform, a buyer\'s refund arrives through TMC and an agent\'s agreement is delivered', async () => {
      shop = await connectedShop(ctx, { backfillDays: 0, sim: { shop: false } });
      const sim = shop.sim;
      // every list call of the pulls waits until the test lets it go
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const held = { orders: 0, refunds: 0 };
      const base = testConnectors(ctx);
      ctx.connectors = (binding) => {
        const c = base(binding);
        const gated: PlatformConnector = {
          ...c,
          listOrdersModified: async (window, page) => {
            held.orders += 1;
            await gate;
            return c.listOrdersModified(window, page);
          },
          listRefundsModified: async (window, page) => {
            held.refunds += 1;
            await gate;
            return c.listRefundsModified(window, page);
          },
        };
        return gated;
      };
      const workers = startPlatformWorkers(ctx, { owner: 'loops', tmcIdleMs: 200, pullIntervalMs: 60_000, tickMs: 20 });
      try {
        await until(ctx, () => held.orders + held.refunds > 0, 'a pull to start');
        const { tid } = sim.control.createOrder();
        sim.control.shipOrder(tid);
        const { refundId } = sim.control.applyRefund({ tid, reasonText: '不想要了', amountFen: 3000 });
        const local = () => ctx.db.kysely.selectFrom('refunds').selectAll().where('platform_refund_id', '=', String(refundId)).executeTakeFirst();
        await until(ctx, async () => (await local()) !== undefined, 'the refund to arrive through TMC');
        const mine = (await local())!;
        expect(mine.status).toBe('WAIT_SELLER_AGREE');
        await actOnRefund(ctx, { actor: shop.f.actors.agent, refundId: mine.id, version: mine.version, command: { action: 'agree' } });
        await until(ctx, () => sim.control.state().refunds.find((r) => String(r.refund_id) === String(refundId))?.status === 'SUCCESS', 'the agreement to reach the platform');
        await until(ctx, async () => (await local())?.status === 'SUCCESS', 'the platform\'s answer to come back through TMC');
        // all that while the pull was still waiting on its first page
        expect(held.orders + held.refunds).toBe(1);
      } finally {
        release();
        await workers.stop();
      }
    });
  });
}
