/**
 * S1.2: the supervisor's statistics for a date range (Asia/Shanghai dates):
 * refunds by platform reason and by root cause, per style and per SKU; the
 * refund, refusal, intervention (dispute) and retention rates; missed deadlines.
 */
import { sql } from 'kysely';
import { shanghaiMidnight } from '../../core/calendar/working-days.ts';
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { reasonLabels } from '../../contract/labels.ts';
import { rootCauseLabels, type RootCause } from '../../core/refund/root-causes.ts';
import { requirePermission } from '../access.ts';
import { sheet, typed, type Cell, type WorkbookInput } from '../export/spreadsheet.ts';
import type { AppContext } from '../context.ts';

export interface Breakdown {
  key: string;
  label: string;
  refunds: number;
  /** the amounts asked (a whole-order refund shared among its lines by their value) */
  amountFen: number;
}

export interface RefundStatistics {
  from: string;
  to: string;
  orders: number;
  refunds: number;
  refundedFen: number;
  /** refunds applied ÷ orders placed in the range; null when no order was placed in it */
  refundRate: number | null;
  refusalRate: number;
  interventionRate: number;
  /** per refund: offered something (S1.2/S1.18), and kept the sale (kept or exchanged, the latest outcome) */
  retention: { refunds: number; kept: number; rate: number };
  /** the seller's deadlines that passed unanswered: auto-agreed applications, auto-refunded returns, blocked ones */
  missedDeadlines: number;
  byReason: Breakdown[];
  byRootCause: Breakdown[];
  byStyle: Breakdown[];
  bySku: Breakdown[];
}

const DAY = 86_400_000;
const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

function breakdown(rows: { key: string | null; n: number | string; fen: number | string | null }[], label: (k: string) => string): Breakdown[] {
  return rows
    .map((r) => ({ key: r.key ?? 'unknown', label: r.key ? label(r.key) : '未填写', refunds: Number(r.n), amountFen: Number(r.fen ?? 0) }))
    .sort((a, b) => b.refunds - a.refunds || a.key.localeCompare(b.key));
}

/** The range's refunds of one reason and one root cause: how many, what they asked, what was refunded, how many went to the platform and were refused. */
interface RefundGroup {
  reason: string;
  root_cause: string | null;
  n: number | string;
  fen: number | string | null;
  refunded_fen: number | string | null;
  intervened: number | string | null;
  refused: number | string | null;
}

/** The range's refunds on the lines of one style and SKU: how many (each refund once per style, once per SKU) and their shares. */
interface LineGroup {
  style: string;
  sku: string;
  style_refunds: number | string;
  sku_refunds: number | string;
  fen: number | string | null;
}

/**
 * One pass over the range's refunds, grouped in the database (issue 16 §1: the first version read them once per
 * figure). SQLite groups by sorting and would pick refunds_created for the range: it reads refunds_stats (shop_id,
 * reason, root_cause, created_at, …) in its order instead, so the groups come out without a sort (all of the
 * shop's entries, a few bytes each). PostgreSQL groups by hashing, reading the range from refunds_created, which
 * covers the pass (or the table, when the range is most of it).
 */
function refundGroups(ctx: AppContext, shopId: number, start: string, end: string) {
  const refunds = ctx.db.dialect === 'sqlite' ? sql`refunds indexed by refunds_stats` : sql`refunds`;
  return sql<RefundGroup>`
    select reason, root_cause, count(*) as n, sum(amount_fen) as fen,
      sum(case when status = 'SUCCESS' then amount_fen else 0 end) as refunded_fen,
      sum(case when intervention_state <> 'none' then 1 else 0 end) as intervened,
      sum(case when id in (select refund_id from refund_events where shop_id = ${shopId} and action = 'refuse') then 1 else 0 end) as refused
    from ${refunds}
    where shop_id = ${shopId} and created_at >= ${start} and created_at < ${end}
    group by reason, root_cause`.execute(ctx.db.kysely);
}

/**
 * The range's refunds per style and SKU of their order lines, from refund_line_shares, which the database keeps for
 * every refund (migration 014): a line refund counts its amount on its line (nowhere when the order has no such
 * line); a whole-order refund counts on each line its amount shared by the lines' value, rounded half up (nothing
 * when the order has no value); each refund counts once per style and once per SKU. SQLite reads the shop's rows in
 * the grouping's order, PostgreSQL the range.
 */
function lineGroups(ctx: AppContext, shopId: number, start: string, end: string) {
  const shares = ctx.db.dialect === 'sqlite' ? sql`refund_line_shares indexed by refund_line_shares_stats` : sql`refund_line_shares`;
  return sql<LineGroup>`
    select style, sku, sum(style_first) as style_refunds, sum(sku_first) as sku_refunds, sum(share_fen) as fen
    from ${shares}
    where shop_id = ${shopId} and created_at >= ${start} and created_at < ${end}
    group by style, sku`.execute(ctx.db.kysely);
}

/**
 * The data of the range's expire events (a missed deadline's kind is in it). SQLite reads it from the partial index
 * refund_events_missed (migration 014), which needs the actions written out, not bound.
 */
function expireEvents(ctx: AppContext, shopId: number, start: string, end: string) {
  const events = ctx.db.dialect === 'sqlite' ? sql`refund_events indexed by refund_events_missed` : sql`refund_events`;
  return sql<{ data: string }>`
    select data from ${events}
    where shop_id = ${shopId} and action in ('expire', 'expire_blocked') and at >= ${start} and at < ${end}`.execute(ctx.db.kysely);
}

export async function refundStatistics(ctx: AppContext, options: { actor: Actor; from: string; to: string }): Promise<RefundStatistics> {
  requirePermission(options.actor, 'stats.read');
  if (options.to < options.from) throw new AppError('VALIDATION_FAILED', 'The range ends before it starts.', { field: 'to' });
  const start = shanghaiMidnight(options.from).toISOString();
  const end = new Date(shanghaiMidnight(options.to).getTime() + DAY).toISOString();
  if (Date.parse(end) - Date.parse(start) > 400 * DAY) throw new AppError('VALIDATION_FAILED', 'A range covers at most 400 days.', { field: 'to' });
  const db = ctx.db.kysely;
  const shopId = options.actor.shopId;

  // PostgreSQL runs these side by side on the pool's connections; SQLite one after another
  const [orders, groups, lines, retention, missed] = await Promise.all([
    db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('shop_id', '=', shopId).where('created_at', '>=', start).where('created_at', '<', end).executeTakeFirstOrThrow(),
    refundGroups(ctx, shopId, start, end),
    lineGroups(ctx, shopId, start, end),
    db
      .selectFrom('records')
      .select(['refund_id', 'data', 'id'])
      .where('shop_id', '=', shopId)
      .where('kind', '=', 'retention')
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .orderBy('id')
      .execute(),
    expireEvents(ctx, shopId, start, end),
  ]);

  // the groups by reason and by root cause (a null root cause apart from any value), and the totals
  let refunds = 0;
  let refundedFen = 0;
  let intervened = 0;
  let refused = 0;
  const byReason = new Map<string, { key: string; n: number; fen: number }>();
  const byRoot = new Map<string | null, { key: string | null; n: number; fen: number }>();
  for (const g of groups.rows) {
    const n = Number(g.n);
    const fen = Number(g.fen ?? 0);
    refunds += n;
    refundedFen += Number(g.refunded_fen ?? 0);
    intervened += Number(g.intervened ?? 0);
    refused += Number(g.refused ?? 0);
    const reason = byReason.get(g.reason) ?? { key: g.reason, n: 0, fen: 0 };
    byReason.set(g.reason, { key: g.reason, n: reason.n + n, fen: reason.fen + fen });
    const root = byRoot.get(g.root_cause) ?? { key: g.root_cause, n: 0, fen: 0 };
    byRoot.set(g.root_cause, { key: g.root_cause, n: root.n + n, fen: root.fen + fen });
  }

  // per style and per SKU
  const perStyle = new Map<string, { refunds: number; fen: number }>();
  const perSku = new Map<string, { refunds: number; fen: number }>();
  for (const l of lines.rows) {
    const fen = Number(l.fen ?? 0);
    for (const [map, key, n] of [
      [perStyle, l.style, Number(l.style_refunds)],
      [perSku, l.sku, Number(l.sku_refunds)],
    ] as const) {
      const entry = map.get(key) ?? { refunds: 0, fen: 0 };
      entry.refunds += n;
      entry.fen += fen;
      map.set(key, entry);
    }
  }
  const fromMap = (m: Map<string, { refunds: number; fen: number }>) =>
    [...m.entries()].map(([key, v]) => ({ key, label: key, refunds: v.refunds, amountFen: v.fen })).sort((a, b) => b.refunds - a.refunds || a.key.localeCompare(b.key));

  // retention per refund: the latest outcome of its offers
  const latest = new Map<number, string>();
  for (const r of retention) if (r.refund_id !== null) latest.set(r.refund_id, (JSON.parse(r.data) as { outcome: string }).outcome);
  const kept = [...latest.values()].filter((o) => o === 'kept' || o === 'exchanged').length;
  const sellerMissed = missed.rows.filter((e) => {
    const kind = (JSON.parse(e.data) as { deadline?: string }).deadline;
    return kind === 'seller_answer' || kind === 'seller_confirm';
  }).length;

  return {
    from: options.from,
    to: options.to,
    orders: Number(orders.n),
    refunds,
    refundedFen,
    refundRate: Number(orders.n) === 0 ? null : ratio(refunds, Number(orders.n)),
    refusalRate: ratio(refused, refunds),
    interventionRate: ratio(intervened, refunds),
    retention: { refunds: latest.size, kept, rate: ratio(kept, latest.size) },
    missedDeadlines: sellerMissed,
    byReason: breakdown([...byReason.values()], (k) => reasonLabels[k as keyof typeof reasonLabels]?.['zh-CN'] ?? k),
    byRootCause: breakdown([...byRoot.values()], (k) => rootCauseLabels[k as RootCause]?.['zh-CN'] ?? k),
    byStyle: fromMap(perStyle),
    bySku: fromMap(perSku),
  };
}

/** The statistics as sheets (zh-CN headers), for CSV and XLSX. */
export function statisticsSheets(s: RefundStatistics): WorkbookInput {
  const table = (title: string, rows: Breakdown[]) =>
    sheet({
      name: title,
      columns: [
        { header: '项目', key: 'label', type: 'text', width: 24 },
        { header: '代码', key: 'key', type: 'text' },
        { header: '退款笔数', key: 'refunds', type: 'integer' },
        { header: '申请金额（元）', key: 'amount', type: 'money_fen' },
      ],
      rows: rows.map((r) => ({ label: r.label, key: r.key, refunds: r.refunds, amount: r.amountFen })),
    });
  const overview: [string, Cell][] = [
    ['开始日期', typed('date', s.from)],
    ['结束日期', typed('date', s.to)],
    ['订单数', typed('integer', s.orders)],
    ['退款数', typed('integer', s.refunds)],
    ['退款成功金额（元）', typed('money_fen', s.refundedFen)],
    ['退款率', s.refundRate === null ? '—' : typed('percent', s.refundRate)],
    ['拒绝率', typed('percent', s.refusalRate)],
    ['纠纷（客服介入）率', typed('percent', s.interventionRate)],
    ['挽留的退款', typed('integer', s.retention.refunds)],
    ['挽留成功率', typed('percent', s.retention.rate)],
    ['卖家超时（错过处理时限）', typed('integer', s.missedDeadlines)],
  ];
  return {
    sheets: [
      sheet({
        name: '概览',
        columns: [
          { header: '指标', key: 'item', type: 'text' },
          { header: '数值', key: 'value', type: 'text', width: 14 },
        ],
        rows: overview.map(([item, value]) => ({ item, value })),
      }),
      table('按退款原因', s.byReason),
      table('按真实原因', s.byRootCause),
      table('按款式', s.byStyle),
      table('按货号', s.bySku),
    ],
  };
}
