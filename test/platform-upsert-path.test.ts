/**
 * Issue 12 §3 / issue 14 §1: the one upsert path of platform records. A
 * snapshot applies only when newer; a snapshot without a version (an export)
 * never overrides what the live sync brought; a shop that is not bound (it
 * only imports the platform's exports) records its decisions in shouhou.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlatformOrder, applyPlatformRefund, refundFromSnapshot } from '../src/app/platform/apply.ts';
import { actOnRefund } from '../src/app/refunds.ts';
import type { PlatformOrder, PlatformRefund } from '../src/platform/connector.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { setupShop, type ShopFixture } from './support/fixtures.ts';

const T = (iso: string) => new Date(iso);

function order(overrides: Partial<PlatformOrder> = {}): PlatformOrder {
  return {
    platformOrderId: '3900000000000000001',
    status: 'WAIT_BUYER_CONFIRM_GOODS',
    platformStatus: 'WAIT_BUYER_CONFIRM_GOODS',
    buyer: { nick: 'tb_buyer1', name: '王小二', phone: '13900001111', address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 1 号' } },
    lines: [{ platformLineId: '3900000000000000002', sku: 'XZ-2061', title: '真皮单鞋', style: '', size: '37', properties: '尺码:37', unitPriceFen: 19_900, quantity: 1, paidFen: 17_900, courier: '中通快递', trackingNo: 'ZT1' }],
    paidFen: 17_900,
    postageFen: 0,
    shipment: { courier: '中通快递', trackingNo: 'ZT1', shippedAt: T('2026-10-30T02:00:00Z'), signedAt: null },
    createdAt: T('2026-10-29T02:00:00Z'),
    paidAt: T('2026-10-29T02:01:00Z'),
    modifiedAt: T('2026-10-30T02:00:00Z'),
    finishedAt: null,
    sellerMemo: null,
    ...overrides,
  };
}

function refund(overrides: Partial<PlatformRefund> = {}): PlatformRefund {
  return {
    platformRefundId: '200000000000000123',
    platformOrderId: '3900000000000000001',
    platformLineId: null,
    status: 'WAIT_SELLER_AGREE',
    platformStatus: 'WAIT_SELLER_AGREE',
    type: 'refund_only',
    goodsStatus: 'received',
    phase: 'on_sale',
    reason: 'unwanted',
    reasonText: '不想要了',
    description: '不想要了',
    amountFen: 5000,
    buyerNick: 'tb_buyer1',
    returnShipment: null,
    returnAddress: null,
    platformVersion: '1793500000000',
    createdAt: T('2026-11-01T02:00:00Z'),
    modifiedAt: T('2026-11-01T02:00:00Z'),
    platformTimeout: { at: T('2026-11-03T02:00:00Z'), kind: '1' },
    intervention: { state: 'none', outcome: null },
    ...overrides,
  };
}

for (const dialect of DIALECTS) {
  describe(`issue 12: the upsert path [${dialect}]`, () => {
    let ctx: TestContext;
    let f: ShopFixture;
    beforeAll(async () => {
      ctx = await createTestContext(dialect, T('2026-11-02T02:00:00Z'));
      f = await setupShop(ctx, 'imports-only');
    });
    afterAll(async () => {
      await ctx.close();
    });
    const apply = (o: PlatformOrder | null, r: PlatformRefund | null, source: 'taobao' | 'import' = 'taobao') =>
      ctx.db.kysely.transaction().execute(async (trx) => ({
        order: o ? await applyPlatformOrder(trx, { shopId: f.shop.id, source, order: o, now: ctx.clock.now() }) : null,
        refund: r ? await applyPlatformRefund(trx, { shopId: f.shop.id, source, refund: r, now: ctx.clock.now() }) : null,
      }));

    it('issue 12 §3: an order then its refund are created; the same snapshot again changes nothing; an older one is ignored', async () => {
      expect((await apply(null, refund())).refund?.outcome).toBe('missing_order');
      expect((await apply(order(), refund())).refund?.outcome).toBe('created');
      expect(await apply(order(), refund())).toMatchObject({ order: { outcome: 'unchanged' }, refund: { outcome: 'unchanged' } });
      expect((await apply(order({ modifiedAt: T('2026-10-29T03:00:00Z'), status: 'WAIT_SELLER_SEND_GOODS' }), null)).order?.outcome).toBe('unchanged');
      expect((await apply(null, refund({ platformVersion: '1793400000000', status: 'CLOSED', platformStatus: 'CLOSED' }))).refund?.outcome).toBe('unchanged');
      const line = await ctx.db.kysely.selectFrom('order_lines').selectAll().where('platform_line_id', '=', '3900000000000000002').executeTakeFirstOrThrow();
      expect(Number(line.paid_fen)).toBe(17_900);
    });

    it('issue 14: an order imported without the platform\'s line ids, then synced, keeps one set of lines (adopted by SKU)', async () => {
      const exported = order({ platformOrderId: '3900000000000000021', modifiedAt: T('2026-10-30T01:00:00Z'), lines: [{ ...order().lines[0]!, platformLineId: '3900000000000000021-1' }] });
      expect((await apply(exported, null, 'import')).order?.outcome).toBe('created');
      const synced = order({ platformOrderId: '3900000000000000021', lines: [{ ...order().lines[0]!, platformLineId: '3900000000000000022' }] });
      await apply(synced, null);
      const orderRow = await ctx.db.kysely.selectFrom('orders').select('id').where('order_no', '=', '3900000000000000021').executeTakeFirstOrThrow();
      const lines = await ctx.db.kysely.selectFrom('order_lines').selectAll().where('order_id', '=', orderRow.id).execute();
      expect(lines.map((l) => [l.line_no, l.platform_line_id])).toEqual([[1, '3900000000000000022']]);
    });

    it('issue 14: an export (no version) never overrides what the live sync brought', async () => {
      const out = await apply(null, refund({ platformVersion: null, status: 'CLOSED', platformStatus: 'CLOSED', modifiedAt: T('2026-11-05T00:00:00Z') }), 'import');
      expect(out.refund?.outcome).toBe('unchanged');
      const row = await ctx.db.kysely.selectFrom('refunds').selectAll().where('platform_refund_id', '=', '200000000000000123').executeTakeFirstOrThrow();
      expect(row.status).toBe('WAIT_SELLER_AGREE');
    });

    it('issue 14: in a shop that only imports (not bound), the agent\'s decision on an imported refund is recorded in shouhou', async () => {
      await apply(order({ platformOrderId: '3900000000000000011', lines: [{ ...order().lines[0]!, platformLineId: '3900000000000000012' }] }), null, 'import');
      await apply(null, refund({ platformRefundId: '200000000000000456', platformOrderId: '3900000000000000011', platformVersion: null }), 'import');
      const row = await ctx.db.kysely.selectFrom('refunds').selectAll().where('platform_refund_id', '=', '200000000000000456').executeTakeFirstOrThrow();
      const agreed = await actOnRefund(ctx, { actor: f.actors.agent, refundId: row.id, version: row.version, command: { action: 'agree' } });
      expect(agreed.status).toBe('SUCCESS');
      expect(await ctx.db.kysely.selectFrom('platform_outbox').select('id').execute()).toEqual([]);
    });

    it('issue 12 §5: the platform owns the timeout: shown as the deadline with no effect; shouhou-only facts are kept', () => {
      const snap = refund({ status: 'SELLER_REFUSE_BUYER', platformStatus: 'SELLER_REFUSE_BUYER' });
      const next = refundFromSnapshot({ existing: null, snap, shopId: 1, lineNo: null, now: T('2026-11-02T02:00:00Z') });
      expect(next.deadline).toEqual({ kind: 'buyer_after_refusal', at: T('2026-11-03T02:00:00Z'), effect: 'none', problem: null });
      expect(next.refusal?.reason).toBe('卖家已在平台上拒绝');
      const closed = refundFromSnapshot({ existing: { ...next, id: 9, evidence: ['evidence:4'] }, snap: refund({ status: 'CLOSED', platformStatus: 'CLOSED' }), shopId: 1, lineNo: null, now: T('2026-11-02T03:00:00Z') });
      expect(closed.deadline).toBeNull();
      expect(closed.evidence).toEqual(['evidence:4']);
      expect(closed.version).toBe(next.version + 1);
    });
  });
}
