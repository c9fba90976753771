/** A shop bound to a running TOP simulator, and the background work run by hand (issue 12). */
import type { TestContext } from './databases.ts';
import { setupShop, type ShopFixture } from './fixtures.ts';
import { saveBinding, type OpenBinding } from '../../src/app/platform/bindings.ts';
import { runDuePlatformWork } from '../../src/app/platform/workers.ts';
import type { AppContext } from '../../src/app/context.ts';
import { createTaobaoConnector } from '../../src/platform/taobao/taobao-connector.ts';
import { startTopSim, type TopSim, type TopSimOptions } from '../../src/topsim/index.ts';
import { yuanToFen } from '../../src/platform/taobao/top-sign.ts';

/** Connectors whose TOP timestamps follow the test's clock (the simulator's clock is the same one). */
export function testConnectors(ctx: AppContext) {
  return (b: OpenBinding) =>
    createTaobaoConnector({
      platform: b.platform,
      appKey: b.appKey,
      appSecret: b.appSecret,
      sessionKey: b.sessionKey,
      gatewayUrl: b.gatewayUrl,
      signMethod: b.signMethod,
      ratePerSecond: b.ratePerSecond,
      timeoutMs: 3000,
      now: () => ctx.clock.now(),
    });
}

export interface ConnectedShop {
  sim: TopSim;
  f: ShopFixture;
  /** runs the due work (outbox, pulls, TMC) until nothing is due */
  work(options?: { owner?: string; rounds?: number; sliceMs?: number }): Promise<void>;
}

export async function connectedShop(
  ctx: TestContext,
  options: { code?: string; sim?: TopSimOptions; backfillDays?: number; ratePerSecond?: number; settings?: Parameters<typeof setupShop>[2]; ruleSet?: Parameters<typeof setupShop>[3] } = {},
): Promise<ConnectedShop> {
  const sim = await startTopSim({ now: () => ctx.clock.now(), tmcInvisibleMs: 0, ...options.sim });
  ctx.connectors = testConnectors(ctx);
  ctx.allowLocalGateway = true;
  const f = await setupShop(ctx, options.code ?? 'tb-shop', {
    returnConsignee: '售后组',
    returnPhone: '0571-88886666',
    ...options.settings,
  }, options.ruleSet);
  await saveBinding(ctx, {
    actor: f.actors.admin,
    ip: '127.0.0.1',
    input: {
      platform: sim.sim.shopType === 'tmall' ? 'tmall' : 'taobao',
      sellerNick: sim.seller.nick,
      appKey: sim.app.appKey,
      appSecret: sim.app.appSecret,
      sessionKey: sim.seller.sessionKey,
      gatewayUrl: sim.gatewayUrl,
      signMethod: 'hmac-sha256',
      ratePerSecond: options.ratePerSecond ?? 200,
      backfillDays: options.backfillDays ?? 90,
    },
  });
  return {
    sim,
    f,
    async work(o = {}) {
      for (let i = 0; i < (o.rounds ?? 50); i++) {
        const r = await runDuePlatformWork(ctx, { owner: o.owner ?? 'test', tmcIdleMs: 1000, pullIntervalMs: 60_000, overlapMs: 60_000, sliceMs: o.sliceMs ?? 60_000 });
        if (r.delivered === 0 && r.streams === 0) return;
      }
    },
  };
}

/** The simulator's refunds and paid trades, and shouhou's, side by side: what must be equal once synced. */
export async function compareWithSim(ctx: AppContext, shopId: number, sim: TopSim) {
  const state = sim.control.state();
  const mismatches: string[] = [];
  const local = await ctx.db.kysely.selectFrom('refunds').selectAll().where('shop_id', '=', shopId).where('platform_refund_id', 'is not', null).execute();
  const byId = new Map(local.map((r) => [r.platform_refund_id!, r]));
  let compared = 0;
  for (const r of state.refunds) {
    const id = String(r.refund_id);
    const status = String(r.status);
    if (!['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER', 'CLOSED', 'SUCCESS'].includes(status)) continue;
    const mine = byId.get(id);
    compared += 1;
    if (!mine) {
      mismatches.push(`refund ${id} (${status}) is missing`);
      continue;
    }
    if (mine.status !== status) mismatches.push(`refund ${id}: ${mine.status} here, ${status} on the platform`);
    if (Number(mine.amount_fen) !== yuanToFen(String(r.refund_fee))) mismatches.push(`refund ${id}: amount ${mine.amount_fen} here, ${String(r.refund_fee)} there`);
    if (mine.platform_version !== String(r.refund_version)) mismatches.push(`refund ${id}: version ${mine.platform_version} here, ${String(r.refund_version)} there`);
  }
  const orders = await ctx.db.kysely.selectFrom('orders').select(['order_no', 'status', 'platform_status']).where('shop_id', '=', shopId).execute();
  const ordersById = new Map(orders.map((o) => [o.order_no, o]));
  for (const t of state.trades) {
    const status = String(t.status);
    if (['WAIT_BUYER_PAY', 'TRADE_NO_CREATE_PAY'].includes(status)) continue;
    const mine = ordersById.get(String(t.tid));
    if (!mine) mismatches.push(`trade ${String(t.tid)} (${status}) is missing`);
    else if (mine.platform_status !== status) mismatches.push(`trade ${String(t.tid)}: ${mine.platform_status} here, ${status} there`);
  }
  return { mismatches, compared, localRefunds: local.length };
}
