/**
 * S1.2: the statistics computed in the database (one pass over the range's refunds grouped by reason and root
 * cause; the shares by style and SKU from refund_line_shares, which the database's triggers keep; issue 16 §1)
 * give what the first implementation gave: every figure read once per query and the order lines shared out in the
 * process. That implementation is kept here as the reference, and random shops (lines of no value, repeated styles
 * and SKUs, line numbers with gaps, refunds of a line that is not there, several refunds of one order, amounts that
 * round either way, refusals, retention offers, missed deadlines of every kind, rows on the range's edges and in
 * another shop), then changed at random (a refund's amount, line or time; an order's lines rewritten as the
 * platform's upsert does, a line's price changed, a line deleted), must give equal results.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DIALECTS, type TestContext } from '../../../test/support/databases.ts';
import { shanghaiMidnight } from '../../core/calendar/working-days.ts';
import { reasonCodes, type RefundStatus } from '../../core/refund/refund-model.ts';
import { rootCauses } from '../../core/refund/root-causes.ts';
import type { Actor } from '../../core/roles.ts';
import { reasonLabels } from '../../contract/labels.ts';
import { rootCauseLabels, type RootCause } from '../../core/refund/root-causes.ts';
import { createShop } from '../shops.ts';
import type { AppContext } from '../context.ts';
import { refundStatistics, type Breakdown, type RefundStatistics } from './statistics.ts';

const DAY = 86_400_000;
/** the days the data and the ranges fall in (Asia/Shanghai dates) */
const FIRST_DAY = '2026-10-01';
const DAYS = 40;

const line = fc.record({
  lineNo: fc.integer({ min: 0, max: 9 }),
  style: fc.constantFrom('单鞋', '板鞋', '凉鞋'),
  sku: fc.constantFrom('XZ-1', 'XZ-2', 'XZ-3', 'XZ-4'),
  unitPriceFen: fc.constantFrom<number>(0, 1, 999, 12_900, 33_333),
  quantity: fc.integer({ min: 1, max: 3 }),
});
const moment = fc.record({ day: fc.integer({ min: -1, max: DAYS }), ms: fc.constantFrom(0, 1, DAY - 1, 43_200_000) });
const refund = fc.record({
  /** an index into the order's lines, a line number no line has (99), or the whole order (null) */
  line: fc.option(fc.integer({ min: 0, max: 99 }), { nil: null }),
  amountFen: fc.integer({ min: 0, max: 200_000 }),
  status: fc.constantFrom<RefundStatus>('SUCCESS', 'CLOSED', 'WAIT_SELLER_AGREE', 'SELLER_REFUSE_BUYER'),
  reason: fc.constantFrom(...reasonCodes.slice(0, 5)),
  rootCause: fc.option(fc.constantFrom(...rootCauses.slice(0, 4)), { nil: null }),
  intervention: fc.constantFrom('none', 'none', 'requested', 'decided'),
  created: moment,
  events: fc.array(
    fc.record({
      action: fc.constantFrom('refuse', 'expire', 'expire_blocked', 'agree'),
      deadline: fc.constantFrom('seller_answer', 'seller_confirm', 'buyer_after_refusal', 'buyer_return', null),
      at: moment,
    }),
    { maxLength: 3 },
  ),
  retention: fc.array(fc.record({ outcome: fc.constantFrom('kept', 'exchanged', 'refunded', 'pending'), at: moment }), { maxLength: 2 }),
});
const order = fc.record({
  created: moment,
  lines: fc.uniqueArray(line, { minLength: 0, maxLength: 4, selector: (l) => l.lineNo }),
  refunds: fc.array(refund, { maxLength: 3 }),
});
const shopData = fc.array(order, { maxLength: 12 });
/** a change after the load: which refund or order is an index into the shop's, taken modulo their number */
const change = fc.oneof(
  fc.record({ kind: fc.constant('amount' as const), refund: fc.nat(), amountFen: fc.integer({ min: 0, max: 200_000 }) }),
  fc.record({ kind: fc.constant('line' as const), refund: fc.nat(), line: fc.option(fc.nat(), { nil: null }) }),
  fc.record({ kind: fc.constant('created' as const), refund: fc.nat(), created: moment }),
  fc.record({ kind: fc.constant('rewrite' as const), order: fc.nat(), lines: fc.uniqueArray(line, { maxLength: 4, selector: (l) => l.lineNo }) }),
  fc.record({ kind: fc.constant('price' as const), order: fc.nat(), line: fc.nat(), unitPriceFen: fc.constantFrom(0, 7, 12_900) }),
  fc.record({ kind: fc.constant('dropLine' as const), order: fc.nat(), line: fc.nat() }),
);
const changes = fc.array(change, { maxLength: 6 });
const range = fc.tuple(fc.integer({ min: 0, max: DAYS - 1 }), fc.integer({ min: 0, max: DAYS - 1 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

type ShopData = typeof shopData extends fc.Arbitrary<infer T> ? T : never;
type Changes = typeof changes extends fc.Arbitrary<infer T> ? T : never;

const dayOf = (n: number) => new Date(Date.parse(`${FIRST_DAY}T00:00:00.000Z`) + n * DAY).toISOString().slice(0, 10);
const at = (m: { day: number; ms: number }) => new Date(shanghaiMidnight(dayOf(0)).getTime() + m.day * DAY + m.ms).toISOString();

let shops = 0;
interface Loaded {
  shopId: number;
  orders: { id: number; lines: number[] }[];
  refunds: { id: number; orderId: number }[];
}

async function loadShop(ctx: AppContext, data: ShopData): Promise<Loaded> {
  shops += 1;
  const shop = await createShop(ctx, { code: `stats-${shops}`, name: `统计 ${shops}`, settings: {} });
  const db = ctx.db.kysely;
  const loaded: Loaded = { shopId: shop.id, orders: [], refunds: [] };
  for (const [i, o] of data.entries()) {
    const created = at(o.created);
    const orderNo = `${shops}-${i}`;
    const { id: orderId } = await db
      .insertInto('orders')
      .values({
        shop_id: shop.id, order_no: orderNo, buyer_nick: 'tb_stats', buyer_name: '统计', buyer_phone: '13800000000', province: '浙江省', city: '杭州市',
        district: '西湖区', address_detail: '文三路 1 号', paid_fen: 0, postage_fen: 0, escrow: 1, status: 'TRADE_FINISHED', courier: null, tracking_no: null,
        shipped_at: null, signed_at: null, finished_at: null, created_at: created, updated_at: created, version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    loaded.orders.push({ id: orderId, lines: o.lines.map((l) => l.lineNo) });
    if (o.lines.length > 0) {
      await db
        .insertInto('order_lines')
        .values(o.lines.map((l) => ({ order_id: orderId, line_no: l.lineNo, sku: l.sku, title: l.sku, style: l.style, size: '37', unit_price_fen: l.unitPriceFen, quantity: l.quantity })))
        .execute();
    }
    for (const r of o.refunds) {
      const createdAt = at(r.created);
      const lineNo = r.line === null ? null : (o.lines[r.line]?.lineNo ?? 99);
      const { id: refundId } = await db
        .insertInto('refunds')
        .values({
          shop_id: shop.id, order_id: orderId, order_no: orderNo, line_no: lineNo, type: 'refund_only', goods_status: 'received', phase: 'after_sale',
          reason: r.reason, amount_fen: r.amountFen, description: '', evidence: '[]', status: r.status, is_open: r.status === 'SUCCESS' || r.status === 'CLOSED' ? 0 : 1,
          intervention_state: r.intervention, intervention_requested_at: null, intervention_outcome: null, intervention_decided_at: null, intervention_note: null,
          return_address: null, return_courier: null, return_tracking_no: null, return_shipped_at: null, refusal_reason: null, refusal_evidence: null,
          refused_at: null, deadline_kind: null, deadline_at: null, deadline_effect: null, deadline_problem: null, sort_deadline: '9999-12-31T23:59:59.999Z',
          close_reason: null, root_cause: r.rootCause, root_cause_note: null, rule_set_version: null, created_at: createdAt, updated_at: createdAt, version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      loaded.refunds.push({ id: refundId, orderId });
      for (const [v, e] of r.events.entries()) {
        await db
          .insertInto('refund_events')
          .values({
            shop_id: shop.id, refund_id: refundId, version: v + 2, at: at(e.at), actor_id: null, actor_role: 'system', action: e.action, from_status: null,
            to_status: r.status, changes: '{}', data: JSON.stringify(e.deadline === null ? {} : { deadline: e.deadline }),
          })
          .execute();
      }
      for (const x of r.retention) {
        const when = at(x.at);
        await db
          .insertInto('records')
          .values({
            shop_id: shop.id, kind: 'retention', status: 'done', order_id: orderId, refund_id: refundId, amount_fen: null, actor_id: null, version: 1, device_id: null,
            data: JSON.stringify({ offer: 'other_style', detail: '推荐同款', outcome: x.outcome }), created_at: when, updated_at: when,
          })
          .execute();
      }
    }
  }
  return loaded;
}

/** The changes, through plain statements: the triggers keep refund_line_shares whichever path writes. */
async function applyChanges(ctx: AppContext, shop: Loaded, list: Changes): Promise<void> {
  const db = ctx.db.kysely;
  const pick = <T>(items: T[], n: number) => items[n % items.length];
  for (const c of list) {
    if (c.kind === 'amount' || c.kind === 'line' || c.kind === 'created') {
      const r = pick(shop.refunds, c.refund);
      if (!r) continue;
      const lines = shop.orders.find((o) => o.id === r.orderId)?.lines ?? [];
      const set =
        c.kind === 'amount'
          ? { amount_fen: c.amountFen }
          : c.kind === 'line'
            ? { line_no: c.line === null ? null : (pick(lines, c.line) ?? 99) }
            : { created_at: at(c.created) };
      await db.updateTable('refunds').set(set).where('id', '=', r.id).execute();
      continue;
    }
    const o = pick(shop.orders, c.order);
    if (!o) continue;
    if (c.kind === 'rewrite') {
      // as the platform's upsert does: the order's lines deleted, then inserted in one statement
      await db.deleteFrom('order_lines').where('order_id', '=', o.id).execute();
      if (c.lines.length > 0) {
        await db
          .insertInto('order_lines')
          .values(c.lines.map((l) => ({ order_id: o.id, line_no: l.lineNo, sku: l.sku, title: l.sku, style: l.style, size: '38', unit_price_fen: l.unitPriceFen, quantity: l.quantity })))
          .execute();
      }
      o.lines = c.lines.map((l) => l.lineNo);
      continue;
    }
    const lineNo = pick(o.lines, c.line);
    if (lineNo === undefined) continue;
    if (c.kind === 'price') {
      await db.updateTable('order_lines').set({ unit_price_fen: c.unitPriceFen }).where('order_id', '=', o.id).where('line_no', '=', lineNo).execute();
    } else {
      await db.deleteFrom('order_lines').where('order_id', '=', o.id).where('line_no', '=', lineNo).execute();
      o.lines = o.lines.filter((l) => l !== lineNo);
    }
  }
}

const supervisorOf = (shopId: number): Actor => ({ id: 1, shopId, role: 'supervisor', name: '主管', kind: 'user', buyerNick: null, userId: 1 });

for (const dialect of DIALECTS) {
  describe(`S1.2 the statistics computed in the database [${dialect}]`, () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext(dialect);
    });
    afterAll(async () => {
      await ctx.close();
    });

    it('S1.2 gives the reference implementation\'s figures for random shops, changes and ranges, another shop\'s rows left out', async () => {
      await fc.assert(
        fc.asyncProperty(shopData, shopData, changes, range, async (measured, other, list, [from, to]) => {
          const shop = await loadShop(ctx, measured);
          await loadShop(ctx, other);
          await applyChanges(ctx, shop, list);
          const query = { actor: supervisorOf(shop.shopId), from: dayOf(from), to: dayOf(to) };
          expect(await refundStatistics(ctx, query)).toEqual(await referenceStatistics(ctx, query));
        }),
        { numRuns: 60, seed: 161 },
      );
    }, 180_000);

    it('S1.2 shares a whole-order refund by the lines\' value, rounding half up, and counts a refund once per style and SKU', async () => {
      const { shopId } = await loadShop(ctx, [
        {
          created: { day: 2, ms: 0 },
          lines: [
            { lineNo: 1, style: '单鞋', sku: 'XZ-1', unitPriceFen: 1, quantity: 1 },
            { lineNo: 3, style: '单鞋', sku: 'XZ-2', unitPriceFen: 1, quantity: 1 },
            { lineNo: 4, style: '板鞋', sku: 'XZ-1', unitPriceFen: 2, quantity: 1 },
          ],
          refunds: [
            // 5 fen over values 1, 1, 2 (of 4): 1.25 → 1, 1.25 → 1, 2.5 → 3
            { line: null, amountFen: 5, status: 'SUCCESS', reason: 'quality', rootCause: null, intervention: 'none', created: { day: 2, ms: 1 }, events: [], retention: [] },
            // a line refund counts its whole amount on its line
            { line: 2, amountFen: 700, status: 'CLOSED', reason: 'quality', rootCause: null, intervention: 'none', created: { day: 2, ms: 2 }, events: [], retention: [] },
            // a refund of a line the order does not have counts in no style
            { line: 99, amountFen: 300, status: 'CLOSED', reason: 'quality', rootCause: null, intervention: 'none', created: { day: 2, ms: 3 }, events: [], retention: [] },
          ],
        },
      ]);
      const s = await refundStatistics(ctx, { actor: supervisorOf(shopId), from: dayOf(0), to: dayOf(5) });
      expect(s.refunds).toBe(3);
      expect(s.byStyle).toEqual<Breakdown[]>([
        { key: '板鞋', label: '板鞋', refunds: 2, amountFen: 3 + 700 },
        { key: '单鞋', label: '单鞋', refunds: 1, amountFen: 1 + 1 },
      ]);
      expect(s.bySku).toEqual<Breakdown[]>([
        { key: 'XZ-1', label: 'XZ-1', refunds: 2, amountFen: 1 + 3 + 700 },
        { key: 'XZ-2', label: 'XZ-2', refunds: 1, amountFen: 1 },
      ]);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The reference: the first implementation, each figure read on its own and the lines shared out in the process

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

function breakdown(rows: { key: string | null; n: number | string; fen: number | string | null }[], label: (k: string) => string): Breakdown[] {
  return rows
    .map((r) => ({ key: r.key ?? 'unknown', label: r.key ? label(r.key) : '未填写', refunds: Number(r.n), amountFen: Number(r.fen ?? 0) }))
    .sort((a, b) => b.refunds - a.refunds || a.key.localeCompare(b.key));
}

async function referenceStatistics(ctx: AppContext, options: { actor: Actor; from: string; to: string }): Promise<RefundStatistics> {
  const start = shanghaiMidnight(options.from).toISOString();
  const end = new Date(shanghaiMidnight(options.to).getTime() + DAY).toISOString();
  const db = ctx.db.kysely;
  const shopId = options.actor.shopId;
  const inRange = db.selectFrom('refunds').where('refunds.shop_id', '=', shopId).where('refunds.created_at', '>=', start).where('refunds.created_at', '<', end);

  const orders = await db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('shop_id', '=', shopId).where('created_at', '>=', start).where('created_at', '<', end).executeTakeFirstOrThrow();
  const totals = await inRange
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(eb.case().when('refunds.status', '=', 'SUCCESS').then(eb.ref('refunds.amount_fen')).else(0).end()).as('fen')])
    .executeTakeFirstOrThrow();
  const refused = await inRange
    .select((eb) => eb.fn.count<number>('refunds.id').distinct().as('n'))
    .where('refunds.id', 'in', (eb) => eb.selectFrom('refund_events').select('refund_events.refund_id').where('refund_events.shop_id', '=', shopId).where('refund_events.action', '=', 'refuse'))
    .executeTakeFirstOrThrow();
  const intervened = await inRange.select((eb) => eb.fn.countAll<number>().as('n')).where('refunds.intervention_state', '!=', 'none').executeTakeFirstOrThrow();
  const byReason = await inRange.select((eb) => ['refunds.reason as key', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('refunds.amount_fen').as('fen')]).groupBy('refunds.reason').execute();
  const byRoot = await inRange.select((eb) => ['refunds.root_cause as key', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('refunds.amount_fen').as('fen')]).groupBy('refunds.root_cause').execute();
  const retention = await db.selectFrom('records').select(['refund_id', 'data', 'id']).where('shop_id', '=', shopId).where('kind', '=', 'retention').where('created_at', '>=', start).where('created_at', '<', end).orderBy('id').execute();
  const missed = await db.selectFrom('refund_events').select(['data']).where('shop_id', '=', shopId).where('action', 'in', ['expire', 'expire_blocked']).where('at', '>=', start).where('at', '<', end).execute();

  const lines = await inRange
    .innerJoin('order_lines', 'order_lines.order_id', 'refunds.order_id')
    .select(['refunds.id', 'refunds.line_no', 'refunds.amount_fen', 'order_lines.line_no as ol', 'order_lines.sku', 'order_lines.style', 'order_lines.unit_price_fen', 'order_lines.quantity'])
    .execute();
  const orderValue = new Map<number, number>();
  for (const l of lines) if (l.line_no === null) orderValue.set(l.id, (orderValue.get(l.id) ?? 0) + Number(l.unit_price_fen) * l.quantity);
  const perStyle = new Map<string, { ids: Set<number>; fen: number }>();
  const perSku = new Map<string, { ids: Set<number>; fen: number }>();
  for (const l of lines) {
    if (l.line_no !== null && l.line_no !== l.ol) continue;
    const total = orderValue.get(l.id) ?? 0;
    const share = l.line_no !== null ? Number(l.amount_fen) : total > 0 ? Math.round((Number(l.amount_fen) * Number(l.unit_price_fen) * l.quantity) / total) : 0;
    for (const [map, key] of [
      [perStyle, l.style],
      [perSku, l.sku],
    ] as const) {
      const entry = map.get(key) ?? { ids: new Set<number>(), fen: 0 };
      entry.ids.add(l.id);
      entry.fen += share;
      map.set(key, entry);
    }
  }
  const fromMap = (m: Map<string, { ids: Set<number>; fen: number }>) =>
    [...m.entries()].map(([key, v]) => ({ key, label: key, refunds: v.ids.size, amountFen: v.fen })).sort((a, b) => b.refunds - a.refunds || a.key.localeCompare(b.key));

  const latest = new Map<number, string>();
  for (const r of retention) if (r.refund_id !== null) latest.set(r.refund_id, (JSON.parse(r.data) as { outcome: string }).outcome);
  const kept = [...latest.values()].filter((o) => o === 'kept' || o === 'exchanged').length;
  const sellerMissed = missed.filter((e) => {
    const kind = (JSON.parse(e.data) as { deadline?: string }).deadline;
    return kind === 'seller_answer' || kind === 'seller_confirm';
  }).length;

  const refunds = Number(totals.n);
  return {
    from: options.from,
    to: options.to,
    orders: Number(orders.n),
    refunds,
    refundedFen: Number(totals.fen ?? 0),
    refundRate: Number(orders.n) === 0 ? null : ratio(refunds, Number(orders.n)),
    refusalRate: ratio(Number(refused.n), refunds),
    interventionRate: ratio(Number(intervened.n), refunds),
    retention: { refunds: latest.size, kept, rate: ratio(kept, latest.size) },
    missedDeadlines: sellerMissed,
    byReason: breakdown(byReason, (k) => reasonLabels[k as keyof typeof reasonLabels]?.['zh-CN'] ?? k),
    byRootCause: breakdown(byRoot, (k) => rootCauseLabels[k as RootCause]?.['zh-CN'] ?? k),
    byStyle: fromMap(perStyle),
    bySku: fromMap(perSku),
  };
}
