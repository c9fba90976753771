/**
 * Issue 12 §8: whatever order TMC notices come in — duplicated, reordered,
 * dropped — and however they interleave with pulls and the seller's decisions,
 * shouhou ends equal to the platform: every refund and trade in the same
 * status, amount and version.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnRefund } from '../src/app/refunds.ts';
import type { TopSim } from '../src/topsim/index.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { compareWithSim, connectedShop } from './support/platform.ts';

type Step =
  | { do: 'order' }
  | { do: 'apply'; pick: number; returnGoods: boolean; reason: number }
  | { do: 'modify'; pick: number; amount: number }
  | { do: 'shipReturn'; pick: number }
  | { do: 'withdraw'; pick: number }
  | { do: 'agree'; pick: number }
  | { do: 'tmc' }
  | { do: 'pull'; minutes: number };

const reasons = ['七天无理由退换货', '商品质量问题', '不想要了', '未收到货', '收到商品破损'];

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ do: 'order' }),
  fc.record({ do: fc.constant('apply' as const), pick: fc.nat(), returnGoods: fc.boolean(), reason: fc.nat({ max: reasons.length - 1 }) }),
  fc.record({ do: fc.constant('modify' as const), pick: fc.nat(), amount: fc.integer({ min: 100, max: 9000 }) }),
  fc.record({ do: fc.constant('shipReturn' as const), pick: fc.nat() }),
  fc.record({ do: fc.constant('withdraw' as const), pick: fc.nat() }),
  fc.record({ do: fc.constant('agree' as const), pick: fc.nat() }),
  fc.constant<Step>({ do: 'tmc' }),
  fc.record({ do: fc.constant('pull' as const), minutes: fc.integer({ min: 1, max: 30 }) }),
);

/** Runs one buyer or platform step on the simulator, ignoring steps the platform would refuse (a closed refund …). */
function onPlatform(sim: TopSim, s: Step, trades: string[], refunds: string[]): void {
  const pickOf = (list: string[], n: number) => (list.length ? list[n % list.length]! : null);
  try {
    if (s.do === 'order') {
      const { tid } = sim.control.createOrder({ lines: 2 });
      sim.control.shipOrder(tid);
      trades.push(String(tid));
    } else if (s.do === 'apply') {
      const tid = pickOf(trades, s.pick);
      if (tid) refunds.push(String(sim.control.applyRefund({ tid, hasGoodReturn: s.returnGoods, reasonText: reasons[s.reason]! }).refundId));
    } else if (s.do === 'modify') {
      const id = pickOf(refunds, s.pick);
      if (id) sim.control.modifyRefund(id, { amountFen: s.amount });
    } else if (s.do === 'shipReturn') {
      const id = pickOf(refunds, s.pick);
      if (id) sim.control.shipReturn(id, { company: '中通快递', sid: `ZT${id.slice(-8)}` });
    } else if (s.do === 'withdraw') {
      const id = pickOf(refunds, s.pick);
      if (id) sim.control.withdrawRefund(id);
    }
  } catch {
    // a buyer action the platform does not allow in the refund's state: nothing happens, as on Taobao
  }
}

for (const dialect of DIALECTS) {
  describe(`issue 12 §8: TMC and pulls converge to the platform's state [${dialect}]`, () => {
    let ctx: TestContext;
    let n = 0;
    beforeAll(async () => {
      ctx = await createTestContext(dialect, new Date('2026-11-02T02:00:00.000Z'));
    });
    afterAll(async () => {
      await ctx.close();
    });

    it('issue 12 §8: duplicated, reordered and dropped notices, pulls and the seller\'s decisions in any interleaving end equal to the platform', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(step, { minLength: 5, maxLength: 28 }),
          fc.record({ duplicate: fc.constantFrom(0, 0.3, 0.8), drop: fc.constantFrom(0, 0.3), reorder: fc.boolean() }),
          async (steps, faults) => {
            n += 1;
            const shop = await connectedShop(ctx, { code: `conv-${n}`, backfillDays: 0, sim: { shop: false, seed: n } });
            try {
              shop.sim.control.faults({ duplicateMessages: faults.duplicate, dropMessages: faults.drop, reorderMessages: faults.reorder });
              const trades: string[] = [];
              const refunds: string[] = [];
              // a shop with business going on: three shipped orders with a refund each, known to shouhou or not yet
              for (let i = 0; i < 3; i++) {
                onPlatform(shop.sim, { do: 'order' }, trades, refunds);
                onPlatform(shop.sim, { do: 'apply', pick: i, returnGoods: i === 1, reason: i }, trades, refunds);
              }
              for (const s of steps) {
                if (s.do === 'tmc') await shop.work();
                else if (s.do === 'pull') {
                  ctx.clock.set(new Date(ctx.clock.now().getTime() + s.minutes * 60_000));
                  await shop.work();
                } else if (s.do === 'agree') {
                  const pick = refunds.length ? refunds[s.pick % refunds.length]! : null;
                  const mine = pick ? await ctx.db.kysely.selectFrom('refunds').selectAll().where('platform_refund_id', '=', pick).executeTakeFirst() : undefined;
                  if (mine && mine.status === 'WAIT_SELLER_AGREE' && mine.sync_state !== 'pending') {
                    try {
                      await actOnRefund(ctx, { actor: shop.f.actors.agent, refundId: mine.id, version: mine.version, command: { action: 'agree' } });
                    } catch {
                      // a guard or a rule of the engine said no: the agent would see why
                    }
                  }
                } else onPlatform(shop.sim, s, trades, refunds);
              }
              // notices stop being lost; a pull window later everything must be in
              shop.sim.control.faults({ duplicateMessages: 0, dropMessages: 0, reorderMessages: false });
              ctx.clock.set(new Date(ctx.clock.now().getTime() + 2 * 60_000));
              await shop.work();
              ctx.clock.set(new Date(ctx.clock.now().getTime() + 2 * 60_000));
              await shop.work();
              const { mismatches } = await compareWithSim(ctx, shop.f.shop.id, shop.sim);
              expect(mismatches).toEqual([]);
              const pending = await ctx.db.kysely.selectFrom('platform_outbox').select('id').where('shop_id', '=', shop.f.shop.id).where('status', 'in', ['pending', 'sending']).execute();
              expect(pending).toEqual([]);
            } finally {
              await shop.sim.close();
            }
          },
        ),
        { numRuns: dialect === 'sqlite' ? 25 : 10 },
      );
    });
  });
}
