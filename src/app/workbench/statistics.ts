/**
 * S1.2: the supervisor's statistics for a date range (Asia/Shanghai dates):
 * refunds by platform reason and by root cause, per style and per SKU; the
 * refund, refusal, intervention (dispute) and retention rates; missed deadlines.
 */
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

export async function refundStatistics(ctx: AppContext, options: { actor: Actor; from: string; to: string }): Promise<RefundStatistics> {
  requirePermission(options.actor, 'stats.read');
  if (options.to < options.from) throw new AppError('VALIDATION_FAILED', 'The range ends before it starts.', { field: 'to' });
  const start = shanghaiMidnight(options.from).toISOString();
  const end = new Date(shanghaiMidnight(options.to).getTime() + DAY).toISOString();
  if (Date.parse(end) - Date.parse(start) > 400 * DAY) throw new AppError('VALIDATION_FAILED', 'A range covers at most 400 days.', { field: 'to' });
  const db = ctx.db.kysely;
  const shopId = options.actor.shopId;
  const inRange = db.selectFrom('refunds').where('refunds.shop_id', '=', shopId).where('refunds.created_at', '>=', start).where('refunds.created_at', '<', end);

  const [orders, totals, refused, intervened, byReason, byRoot, retention, missed] = await Promise.all([
    db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('shop_id', '=', shopId).where('created_at', '>=', start).where('created_at', '<', end).executeTakeFirstOrThrow(),
    inRange
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>(eb.case().when('refunds.status', '=', 'SUCCESS').then(eb.ref('refunds.amount_fen')).else(0).end()).as('fen')])
      .executeTakeFirstOrThrow(),
    inRange
      .select((eb) => eb.fn.count<number>('refunds.id').distinct().as('n'))
      // the shop's refusals only (an event carries its refund's shop): one range of the refund_events_action index
      .where('refunds.id', 'in', (eb) =>
        eb.selectFrom('refund_events').select('refund_events.refund_id').where('refund_events.shop_id', '=', shopId).where('refund_events.action', '=', 'refuse'),
      )
      .executeTakeFirstOrThrow(),
    inRange.select((eb) => eb.fn.countAll<number>().as('n')).where('refunds.intervention_state', '!=', 'none').executeTakeFirstOrThrow(),
    inRange.select((eb) => ['refunds.reason as key', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('refunds.amount_fen').as('fen')]).groupBy('refunds.reason').execute(),
    inRange.select((eb) => ['refunds.root_cause as key', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('refunds.amount_fen').as('fen')]).groupBy('refunds.root_cause').execute(),
    db
      .selectFrom('records')
      .select(['refund_id', 'data', 'id'])
      .where('shop_id', '=', shopId)
      .where('kind', '=', 'retention')
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('refund_events')
      .select(['data'])
      .where('shop_id', '=', shopId)
      .where('action', 'in', ['expire', 'expire_blocked'])
      .where('at', '>=', start)
      .where('at', '<', end)
      .execute(),
  ]);

  // per style and per SKU: a line refund counts on its line; a whole-order refund on each line, its amount shared by the lines' value
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
    const share =
      l.line_no !== null ? Number(l.amount_fen) : total > 0 ? Math.round((Number(l.amount_fen) * Number(l.unit_price_fen) * l.quantity) / total) : 0;
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

  // retention per refund: the latest outcome of its offers
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
