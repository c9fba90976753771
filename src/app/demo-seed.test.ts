import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DIALECTS, type TestContext } from '../../test/support/databases.ts';
import { reasonCodes, refundPhases, refundStatuses, refundTypes, tradeStatuses } from '../core/refund/refund-model.ts';
const roles = ['buyer', 'agent', 'platform', 'system'] as const;
import { DEMO_BUYER_NICK, DEMO_SHOP_CODE, seedDemo, type DemoSeedResult } from './demo-seed.ts';
import { listShopOrders } from './orders.ts';
import { getRefund, listShopRefunds, sweepDueDeadlines } from './refunds.ts';
import { authenticateToken } from './shops.ts';

const NOW = new Date('2026-11-02T02:00:00.000Z');
const DAY_MS = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`demo seed [${dialect}]`, () => {
    let ctx: TestContext;
    let result: DemoSeedResult;
    let seedMs = 0;

    beforeAll(async () => {
      ctx = await createTestContext(dialect, NOW);
      const started = performance.now();
      result = await seedDemo(ctx);
      seedMs = performance.now() - started;
    });
    afterAll(async () => {
      await ctx?.close();
    });

    const refundValues = async (column: 'status' | 'type' | 'phase' | 'reason') => {
      const rows = await ctx.db.kysely.selectFrom('refunds').select(column).distinct().where('shop_id', '=', result.shop.id).execute();
      return rows.map((r) => r[column]).sort();
    };
    const tradeValues = async () => {
      const rows = await ctx.db.kysely.selectFrom('orders').select('status').distinct().where('shop_id', '=', result.shop.id).execute();
      return rows.map((r) => r.status).sort();
    };

    it('loads the demo shop with about 200 orders and 60 refunds, quickly', async () => {
      expect(result.shop.code).toBe(DEMO_SHOP_CODE);
      expect(result.shop.settings.returnAddress).toBeTruthy();
      const db = ctx.db.kysely;
      const orders = await db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('shop_id', '=', result.shop.id).executeTakeFirstOrThrow();
      const refunds = await db.selectFrom('refunds').select((eb) => eb.fn.countAll<number>().as('n')).where('shop_id', '=', result.shop.id).executeTakeFirstOrThrow();
      expect(Number(orders.n)).toBe(result.orders);
      expect(Number(refunds.n)).toBe(result.refunds);
      expect(result.orders).toBeGreaterThanOrEqual(190);
      expect(result.orders).toBeLessThanOrEqual(210);
      expect(result.refunds).toBeGreaterThanOrEqual(55);
      expect(result.refunds).toBeLessThanOrEqual(65);
      expect(seedMs).toBeLessThan(30_000);
    });

    it('covers every refund status, type, phase and reason, and every trade status', async () => {
      expect(await refundValues('status')).toEqual([...refundStatuses].sort());
      expect(await refundValues('type')).toEqual([...refundTypes].sort());
      expect(await refundValues('phase')).toEqual([...refundPhases].sort());
      expect(await refundValues('reason')).toEqual([...reasonCodes].sort());
      expect(await tradeValues()).toEqual([...tradeStatuses].sort());
      const refused = await ctx.db.kysely
        .selectFrom('refunds')
        .select(['status', 'intervention_state', 'intervention_outcome'])
        .where('shop_id', '=', result.shop.id)
        .where('intervention_state', '!=', 'none')
        .execute();
      expect(refused.some((r) => r.status === 'SELLER_REFUSE_BUYER' && r.intervention_state === 'requested')).toBe(true);
      expect(refused.some((r) => r.intervention_state === 'decided' && r.intervention_outcome === 'refund' && r.status === 'SUCCESS')).toBe(true);
      expect(refused.some((r) => r.intervention_state === 'decided' && r.intervention_outcome === 'reject' && r.status === 'CLOSED')).toBe(true);
      const refusedOnly = await ctx.db.kysely
        .selectFrom('refunds')
        .select('id')
        .where('shop_id', '=', result.shop.id)
        .where('status', '=', 'SELLER_REFUSE_BUYER')
        .where('intervention_state', '=', 'none')
        .execute();
      expect(refusedOnly.length).toBeGreaterThan(0);
    });

    it('keeps the rules: refusals after shipment with evidence, after-sale on finished trades, full not-received refunds', async () => {
      const db = ctx.db.kysely;
      const refunds = await db
        .selectFrom('refunds')
        .innerJoin('orders', 'orders.id', 'refunds.order_id')
        .select([
          'refunds.id',
          'refunds.phase',
          'refunds.goods_status',
          'refunds.type',
          'refunds.reason',
          'refunds.amount_fen',
          'refunds.line_no',
          'refunds.refusal_evidence',
          'refunds.refused_at',
          'orders.paid_fen',
          'orders.shipped_at',
          'orders.finished_at',
          'refunds.created_at',
        ])
        .where('refunds.shop_id', '=', result.shop.id)
        .execute();
      for (const r of refunds) {
        if (r.refused_at !== null) {
          // S2.1: refused only after the order was marked shipped, with evidence (S2.8)
          expect(r.shipped_at).not.toBeNull();
          expect(r.shipped_at! <= r.refused_at).toBe(true);
          expect((JSON.parse(r.refusal_evidence ?? '[]') as string[]).length).toBeGreaterThan(0);
        }
        if (r.phase === 'after_sale') {
          expect(r.finished_at).not.toBeNull();
          expect(r.finished_at! <= r.created_at).toBe(true);
        }
        // S3.2: not received is the full amount; S3.5: postage and price difference are partial refunds only
        if (r.goods_status === 'not_received' && r.line_no === null) expect(Number(r.amount_fen)).toBe(Number(r.paid_fen));
        if (r.reason === 'postage' || r.reason === 'price_difference') {
          expect(r.type).toBe('refund_only');
          expect(Number(r.amount_fen)).toBeLessThan(Number(r.paid_fen));
        }
      }
      const remarks = await db.selectFrom('order_remarks').select('text').where('shop_id', '=', result.shop.id).execute();
      for (const words of ['已经提交未发退', '客户申请了售后退款', '索赔单已开']) {
        expect(remarks.some((r) => r.text.includes(words)), words).toBe(true);
      }
    });

    it('places every action in the last ~30 days, in order per order and per refund', async () => {
      const db = ctx.db.kysely;
      const earliest = new Date(NOW.getTime() - 35 * DAY_MS).toISOString();
      const orderEvents = await db
        .selectFrom('order_events')
        .select(['order_id', 'at', 'id'])
        .where('shop_id', '=', result.shop.id)
        .orderBy('id')
        .execute();
      const refundEvents = await db
        .selectFrom('refund_events')
        .select(['refund_id as order_id', 'at', 'id'])
        .where('shop_id', '=', result.shop.id)
        .orderBy('id')
        .execute();
      for (const events of [orderEvents, refundEvents]) {
        const last = new Map<number, string>();
        for (const e of events) {
          expect(e.at <= NOW.toISOString()).toBe(true);
          expect(e.at >= earliest).toBe(true);
          const before = last.get(e.order_id);
          if (before !== undefined) expect(before <= e.at).toBe(true);
          last.set(e.order_id, e.at);
        }
      }
    });

    it('spreads the open deadlines around now, most still ahead', async () => {
      const open = await ctx.db.kysely
        .selectFrom('refunds')
        .select(['deadline_at'])
        .where('shop_id', '=', result.shop.id)
        .where('is_open', '=', 1)
        .execute();
      expect(open.length).toBeGreaterThanOrEqual(20);
      const ahead = open.filter((r) => r.deadline_at !== null && r.deadline_at > NOW.toISOString());
      expect(ahead.length / open.length).toBeGreaterThanOrEqual(0.85);
      const soon = ahead.filter((r) => r.deadline_at! <= new Date(NOW.getTime() + DAY_MS).toISOString());
      const later = ahead.filter((r) => r.deadline_at! > new Date(NOW.getTime() + 3 * DAY_MS).toISOString());
      expect(soon.length).toBeGreaterThan(0);
      expect(later.length).toBeGreaterThan(0);
    });

    it('uses realistic buyers and shoes', async () => {
      const db = ctx.db.kysely;
      const orders = await db
        .selectFrom('orders')
        .select(['buyer_phone', 'buyer_name', 'province', 'city', 'district', 'address_detail'])
        .where('shop_id', '=', result.shop.id)
        .execute();
      for (const o of orders) {
        expect(o.buyer_phone).toMatch(/^1[3-9]\d{9}$/);
        expect(o.buyer_name).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
        expect(o.province).toMatch(/(省|市|自治区)$/);
        expect(o.district).toMatch(/区$/);
        expect(o.address_detail.length).toBeGreaterThan(5);
      }
      const lines = await db
        .selectFrom('order_lines')
        .innerJoin('orders', 'orders.id', 'order_lines.order_id')
        .select(['order_lines.sku', 'order_lines.size', 'order_lines.style', 'order_lines.unit_price_fen'])
        .where('orders.shop_id', '=', result.shop.id)
        .execute();
      for (const l of lines) {
        expect(l.sku).toMatch(/^XZ-\d{4}$/);
        expect(Number(l.size)).toBeGreaterThanOrEqual(34);
        expect(Number(l.size)).toBeLessThanOrEqual(44);
        expect(Number.isSafeInteger(Number(l.unit_price_fen))).toBe(true);
      }
      expect(new Set(lines.map((l) => l.style)).size).toBeGreaterThanOrEqual(7);
    });

    it('hands out a token per role; the buyer token sees its own orders and refunds', async () => {
      expect(Object.keys(result.tokens).sort()).toEqual([...roles].sort());
      for (const role of roles) {
        const actor = await authenticateToken(ctx, result.tokens[role]);
        expect(actor?.role).toBe(role);
        expect(actor?.shopId).toBe(result.shop.id);
      }
      const buyer = await authenticateToken(ctx, result.tokens.buyer);
      expect(buyer?.buyerNick).toBe(DEMO_BUYER_NICK);
      const orders = await listShopOrders(ctx, { actor: buyer!, limit: 100 });
      expect(orders.length).toBeGreaterThanOrEqual(3);
      expect(orders.every((o) => o.buyer.nick === DEMO_BUYER_NICK)).toBe(true);
      const refunds = await listShopRefunds(ctx, { actor: buyer!, query: { limit: 100 } });
      expect(refunds.items.length).toBeGreaterThanOrEqual(2);
      // the demo buyer has something to do: ship a return back, ask the platform to step in
      const actions = new Set<string>();
      for (const item of refunds.items) {
        for (const a of (await getRefund(ctx, { actor: buyer!, refundId: item.refund.id })).allowedActions) actions.add(a);
      }
      expect(actions).toContain('return_shipment');
      expect(actions).toContain('request_intervention');
    });

    it('is deterministic: the same data for the same now, new tokens', async () => {
      const fingerprint = async (c: TestContext) => {
        const db = c.db.kysely;
        const orders = await db
          .selectFrom('orders')
          .select(['order_no', 'buyer_nick', 'buyer_phone', 'address_detail', 'paid_fen', 'status', 'created_at', 'updated_at'])
          .orderBy('order_no')
          .execute();
        const refunds = await db
          .selectFrom('refunds')
          .select(['order_no', 'type', 'reason', 'status', 'amount_fen', 'created_at', 'deadline_at'])
          .orderBy('order_no')
          .orderBy('created_at')
          .execute();
        const remarks = await db.selectFrom('order_remarks').select(['text', 'created_at']).orderBy('created_at').orderBy('text').execute();
        return JSON.stringify({ orders, refunds, remarks });
      };
      const other = await createTestContext(dialect, NOW);
      try {
        const again = await seedDemo(other);
        expect(await fingerprint(other)).toBe(await fingerprint(ctx));
        for (const role of roles) expect(again.tokens[role]).not.toBe(result.tokens[role]);
      } finally {
        await other.close();
      }
    });

    it('refuses to load twice, and the sweeper applies the deadlines already past', async () => {
      await expect(seedDemo(ctx)).rejects.toThrow(/already exists/);
      const applied = await sweepDueDeadlines(ctx);
      expect(applied).toBeGreaterThanOrEqual(0);
      const overdue = await ctx.db.kysely
        .selectFrom('refunds')
        .select('id')
        .where('shop_id', '=', result.shop.id)
        .where('is_open', '=', 1)
        .where('deadline_at', '<=', NOW.toISOString())
        .where('deadline_effect', '!=', 'none')
        .execute();
      expect(overdue).toEqual([]);
    });
  });
}
