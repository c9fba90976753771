/**
 * Issue 15 §2: finance's lists as files — the claims (S1.7), invoices (S1.8)
 * and postage compensations (S1.14) the list's filter holds, as XLSX or CSV
 * through the one spreadsheet module, with the columns a finance clerk
 * reconciles by: order number, amounts in yuan, status in words, times on the
 * Shanghai clock, who registered it, and each kind's own fields. Payment
 * details are masked for the roles the list masks them for. At most
 * RECORD_EXPORT_MAX_ROWS rows: a larger filter is refused before a row is read.
 */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import type { Claim, ClaimStatus } from '../../core/workbench/claim.ts';
import type { Invoice, InvoiceStatus } from '../../core/workbench/invoice.ts';
import type { PostageOwedBecause, PostageRequest, PostageStatus } from '../../core/workbench/postage.ts';
import { formatYuan } from '../../core/money.ts';
import { requirePermission } from '../access.ts';
import type { AppContext } from '../context.ts';
import { recordRowToRecord, type StoredRecord } from '../workbench/record-store.ts';
import { paymentDetailsFor } from '../workbench/payment-mask.ts';
import { sheet, type Sheet } from './spreadsheet.ts';

/** Issue 15 §2: at most this many rows in one export of a finance list (as the queue's). */
export const RECORD_EXPORT_MAX_ROWS = 50_000;

export const financeRecordKinds = ['claim', 'invoice', 'postage'] as const;
export type FinanceRecordKind = (typeof financeRecordKinds)[number];

/** The statuses in the words of the finance page (web/src/agent/pages/finance/messages.ts). */
const claimStatusText = {
  opened: '已开单，待盖章',
  stamped: '财务已盖章',
  filed: '已存档',
  compensated: '快递已赔付',
  closed: '已完结',
  cancelled: '已取消',
} as const satisfies Record<ClaimStatus, string>;
const invoiceStatusText = {
  requested: '已登记',
  sent_to_finance: '待财务开票',
  issued: '已开票',
  cancelled: '已取消',
} as const satisfies Record<InvoiceStatus, string>;
const postageStatusText = {
  requested: '待付款',
  paid: '已付款',
  cancelled: '已取消',
} as const satisfies Record<PostageStatus, string>;
const owedBecauseText = {
  reason: '退款原因属店铺责任',
  reason_correction: '按我方建议改了退款原因',
  root_cause: '真实原因属店铺责任',
} as const satisfies Record<PostageOwedBecause, string>;

const statusText = (table: Record<string, string>, status: string) => table[status] ?? status;

type Listed = StoredRecord & { orderNo: string | null; registeredBy: string | null };

async function readRecords(
  ctx: AppContext,
  options: { actor: Actor; kind: FinanceRecordKind; status?: string | undefined; orderNo?: string | undefined; maxRows: number },
): Promise<Listed[]> {
  const { actor, kind } = options;
  let q = ctx.db.kysely
    .selectFrom('records')
    .leftJoin('orders', 'orders.id', 'records.order_id')
    .where('records.shop_id', '=', actor.shopId)
    .where('records.kind', '=', kind);
  if (options.status) q = q.where('records.status', '=', options.status);
  if (options.orderNo) q = q.where('orders.order_no', '=', options.orderNo);
  const counted = await q.select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  const count = Number(counted.n);
  if (count > options.maxRows) {
    throw new AppError(
      'EXPORT_TOO_LARGE',
      `The filter holds ${count} records; an export takes at most ${options.maxRows}. Narrow the filter (a status, an order number) and export again.`,
      { count, maxRows: options.maxRows },
    );
  }
  const rows = await q
    // records.actor_id is the actor (a user's role in the shop, or a machine): the user's name when there is one
    .leftJoin('actors', 'actors.id', 'records.actor_id')
    .leftJoin('users', 'users.id', 'actors.user_id')
    .selectAll('records')
    .select(['orders.order_no', 'users.display_name', 'actors.name as actor_name'])
    .orderBy('records.id', 'desc')
    .limit(options.maxRows)
    .execute();
  return rows.map((r) => ({ ...recordRowToRecord(r), orderNo: r.order_no, registeredBy: r.display_name ?? r.actor_name }));
}

/** The sheet of a finance list (claims, invoices or postage) under the list's filters, newest first as on the page. */
export async function exportSideRecords(
  ctx: AppContext,
  options: { actor: Actor; kind: FinanceRecordKind; status?: string | undefined; orderNo?: string | undefined; maxRows?: number },
): Promise<Sheet> {
  const { actor, kind } = options;
  requirePermission(actor, 'workbench.records.read');
  const records = await readRecords(ctx, { ...options, maxRows: options.maxRows ?? RECORD_EXPORT_MAX_ROWS });
  const common = (r: Listed) => ({ id: r.id, orderNo: r.orderNo, registeredBy: r.registeredBy, createdAt: r.createdAt, updatedAt: r.updatedAt });
  const commonHead = [
    { header: '订单编号', key: 'orderNo', type: 'text', width: 24 },
    { header: '登记号', key: 'id', type: 'integer' },
  ] as const;
  const commonTail = [
    { header: '登记人', key: 'registeredBy', type: 'text' },
    { header: '登记时间', key: 'createdAt', type: 'datetime', width: 20 },
    { header: '更新时间', key: 'updatedAt', type: 'datetime', width: 20 },
  ] as const;

  if (kind === 'claim') {
    return sheet({
      name: '索赔单',
      columns: [
        ...commonHead,
        { header: '状态', key: 'status', type: 'text' },
        { header: '货号', key: 'sku', type: 'text' },
        { header: '尺码', key: 'size', type: 'text' },
        { header: '物流公司', key: 'courier', type: 'text' },
        { header: '物流单号', key: 'trackingNo', type: 'text', width: 20 },
        { header: '宝贝价位（元）', key: 'itemPrice', type: 'money_fen' },
        { header: '快递赔付（元）', key: 'compensation', type: 'money_fen' },
        { header: '买家选择', key: 'buyerChoice', type: 'text', width: 28 },
        { header: '财务盖章时间', key: 'stampedAt', type: 'datetime', width: 20 },
        { header: '存档时间', key: 'filedAt', type: 'datetime', width: 20 },
        { header: '完结时间', key: 'closedAt', type: 'datetime', width: 20 },
        { header: '取消原因', key: 'cancelReason', type: 'text', width: 30 },
        ...commonTail,
      ],
      rows: records.map((r) => {
        const c = r.data as unknown as Claim;
        const choice = c.buyerChoice;
        return {
          ...common(r),
          status: statusText(claimStatusText, r.status),
          sku: c.sku,
          size: c.size,
          courier: c.courier,
          trackingNo: c.trackingNo,
          itemPrice: c.itemPriceFen,
          compensation: c.compensation?.amountFen ?? null,
          buyerChoice: !choice ? null : choice.choice === 'refund' ? '退款重新拍' : `补发 ${choice.courier ? `${choice.courier} ` : ''}${choice.trackingNo}`,
          stampedAt: c.stampedAt,
          filedAt: c.filed?.at ?? null,
          closedAt: c.closed?.at ?? null,
          cancelReason: c.cancelled?.reason ?? null,
        };
      }),
    });
  }

  if (kind === 'invoice') {
    return sheet({
      name: '发票登记',
      columns: [
        ...commonHead,
        { header: '状态', key: 'status', type: 'text' },
        { header: '抬头类型', key: 'titleType', type: 'text' },
        { header: '发票抬头', key: 'title', type: 'text', width: 30 },
        { header: '税号', key: 'taxId', type: 'text', width: 22 },
        { header: '开票金额（元）', key: 'amount', type: 'money_fen' },
        { header: '发票号码', key: 'invoiceNo', type: 'text', width: 22 },
        { header: '开票日期', key: 'issueDate', type: 'date' },
        { header: '转交财务时间', key: 'sentAt', type: 'datetime', width: 20 },
        { header: '取消原因', key: 'cancelReason', type: 'text', width: 30 },
        ...commonTail,
      ],
      rows: records.map((r) => {
        const i = paymentDetailsFor(r.data, actor.role) as unknown as Invoice;
        return {
          ...common(r),
          status: statusText(invoiceStatusText, r.status),
          titleType: i.titleType === 'company' ? '单位' : '个人',
          title: i.title,
          taxId: i.taxId,
          amount: i.amountFen,
          invoiceNo: i.issued?.number ?? null,
          issueDate: i.issued?.issueDate ?? null,
          sentAt: i.sentToFinanceAt,
          cancelReason: i.cancelled?.reason ?? null,
        };
      }),
    });
  }

  return sheet({
    name: '运费补偿',
    columns: [
      ...commonHead,
      { header: '退款编号', key: 'refundId', type: 'integer' },
      { header: '状态', key: 'status', type: 'text' },
      { header: '收款人', key: 'realName', type: 'text' },
      { header: '支付宝账号', key: 'alipayAccount', type: 'text', width: 24 },
      { header: '补偿金额（元）', key: 'amount', type: 'money_fen' },
      { header: '金额依据', key: 'basis', type: 'text', width: 30 },
      { header: '省份', key: 'province', type: 'text' },
      { header: '款式', key: 'style', type: 'text' },
      { header: '应付原因', key: 'owedBecause', type: 'text', width: 24 },
      { header: '付款流水号', key: 'paymentRef', type: 'text', width: 24 },
      { header: '付款时间', key: 'paidAt', type: 'datetime', width: 20 },
      { header: '取消原因', key: 'cancelReason', type: 'text', width: 30 },
      ...commonTail,
    ],
    rows: records.map((r) => {
      const p = paymentDetailsFor(r.data, actor.role) as unknown as PostageRequest;
      const d = p.decision;
      const basis =
        d.source === 'table'
          ? '运费表'
          : d.source === 'default'
            ? '运费表默认金额'
            : `手填：${d.overrideReason ?? ''}${d.tableFen !== null ? `（运费表 ${formatYuan(d.tableFen)} 元）` : ''}`;
      return {
        ...common(r),
        refundId: r.refundId,
        status: statusText(postageStatusText, r.status),
        realName: p.realName,
        alipayAccount: p.alipayAccount,
        amount: p.amountFen,
        basis,
        province: d.province,
        style: d.styleCategory,
        owedBecause: p.owedBecause ? owedBecauseText[p.owedBecause] : null,
        paymentRef: p.paid?.paymentRef ?? null,
        paidAt: p.paid?.at ?? null,
        cancelReason: p.cancelled?.reason ?? null,
      };
    }),
  });
}
