/**
 * Issue 15 §2: the queue's export — the refunds the current filter shows (or
 * the rows selected) as XLSX or CSV through the one spreadsheet module, so a
 * buyer's text is never a formula. At most REFUND_EXPORT_MAX_ROWS rows: a
 * larger filter is refused in words before anything is read.
 */
import { refundStatusLabels, reasonLabels, refundTypeLabels, goodsStatusLabels, phaseLabels, deadlineLabels } from '../../contract/labels.ts';
import { REFUND_EXPORT_MAX_ROWS } from '../../contract/schemas.ts';
import { AppError } from '../../core/errors.ts';
import { refundRowToRefund, countRefunds, listRefunds } from '../../db/refund-repository.ts';
import { requirePermission } from '../access.ts';
import type { AppContext } from '../context.ts';
import type { Actor } from '../../core/roles.ts';
import { shopRefundFilter, type RefundListQuery } from '../refunds.ts';
import { sheet, type Sheet } from './spreadsheet.ts';

/** The sheet of the refunds the filter holds, soonest deadline first as in the queue. */
export async function exportShopRefunds(
  ctx: AppContext,
  options: { actor: Actor; query: Omit<RefundListQuery, 'cursor' | 'limit'>; ids?: readonly number[] | undefined; maxRows?: number },
): Promise<Sheet> {
  const { actor } = options;
  requirePermission(actor, 'workbench.refund.work');
  const max = options.maxRows ?? REFUND_EXPORT_MAX_ROWS;
  const filter = { ...shopRefundFilter(actor, options.query), ids: options.ids };
  const count = await countRefunds(ctx.db.kysely, filter);
  if (count > max) {
    throw new AppError('EXPORT_TOO_LARGE', `The filter holds ${count} refunds; an export takes at most ${max}. Narrow the filter (a status, a reason, an application date) and export again.`, {
      count,
      maxRows: max,
    });
  }
  const rows = await listRefunds(ctx.db.kysely, { ...filter, limit: max });
  const zh = 'zh-CN' as const;
  return sheet({
    name: '退款列表',
    columns: [
      { header: '订单编号', key: 'orderNo', type: 'text', width: 24 },
      { header: '子订单', key: 'lineNo', type: 'integer' },
      { header: '退款编号', key: 'refundId', type: 'integer' },
      { header: '平台退款号', key: 'platformRefundId', type: 'text', width: 22 },
      { header: '状态', key: 'status', type: 'text' },
      { header: '类型', key: 'type', type: 'text' },
      { header: '原因', key: 'reason', type: 'text' },
      { header: '货物状态', key: 'goodsStatus', type: 'text' },
      { header: '阶段', key: 'phase', type: 'text' },
      { header: '退款金额（元）', key: 'amount', type: 'money_fen' },
      { header: '处理人', key: 'assignee', type: 'text' },
      { header: '期限', key: 'deadlineKind', type: 'text' },
      { header: '期限截止', key: 'deadlineAt', type: 'datetime', width: 20 },
      { header: '申请时间', key: 'createdAt', type: 'datetime', width: 20 },
      { header: '更新时间', key: 'updatedAt', type: 'datetime', width: 20 },
      { header: '退款说明', key: 'description', type: 'text', width: 40 },
    ],
    rows: rows.map((row) => {
      const r = refundRowToRefund(row);
      return {
        orderNo: r.orderNo,
        lineNo: r.lineNo,
        refundId: r.id,
        platformRefundId: r.platform?.refundId ?? null,
        status: refundStatusLabels[r.status][zh],
        type: refundTypeLabels[r.type][zh],
        reason: reasonLabels[r.reason][zh],
        goodsStatus: goodsStatusLabels[r.goodsStatus][zh],
        phase: phaseLabels[r.phase][zh],
        amount: r.amountFen,
        assignee: row.assignee_display_name,
        deadlineKind: r.deadline ? deadlineLabels[r.deadline.kind][zh] : null,
        deadlineAt: r.deadline?.at ?? null,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        description: r.description || null,
      };
    }),
  });
}
