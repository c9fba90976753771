/**
 * Issue 15 §2: what a seller scans a queue row for besides the refund itself —
 * the product (title, SKU, size), the buyer's nick, the order's remark flag,
 * and what the warehouse and finance did (到货, 已作废, 索赔中 …) — for one
 * page of refunds at a time: five indexed queries for the whole page, never
 * one per row.
 */
import { rowMarks, type RowMark } from '../contract/queue-row.ts';
import type { Q } from '../db/order-repository.ts';

export { rowMarks, type RowMark };

export interface QueueRow {
  /** the refund's line's title; for a refund of the whole order, its first line's (lineCount says how many) */
  title: string | null;
  lineCount: number;
  sku: string | null;
  size: string | null;
  buyerNick: string | null;
  /** the flag of the order's latest remark (0 none … 5), null without remarks */
  remarkFlag: number | null;
  marks: RowMark[];
}

export async function queueRows(db: Q, shopId: number, refunds: readonly { id: number; orderNo: string; lineNo: number | null }[]): Promise<Map<number, QueueRow>> {
  const out = new Map<number, QueueRow>();
  if (refunds.length === 0) return out;
  const orderNos = [...new Set(refunds.map((r) => r.orderNo))];
  const refundIds = refunds.map((r) => r.id);
  const orders = await db.selectFrom('orders').select(['id', 'order_no', 'buyer_nick']).where('shop_id', '=', shopId).where('order_no', 'in', orderNos).execute();
  const orderIds = orders.map((o) => o.id);
  const byNo = new Map(orders.map((o) => [o.order_no, o]));
  const [lines, remarks, records, batch] = await Promise.all([
    orderIds.length ? db.selectFrom('order_lines').select(['order_id', 'line_no', 'title', 'sku', 'size']).where('order_id', 'in', orderIds).orderBy('line_no').execute() : [],
    orderIds.length ? db.selectFrom('order_remarks').select(['order_id', 'id', 'flag']).where('order_id', 'in', orderIds).orderBy('id').execute() : [],
    db
      .selectFrom('records')
      .select(['refund_id', 'order_id', 'kind', 'status'])
      .where('shop_id', '=', shopId)
      .where((eb) => eb.or([eb('refund_id', 'in', refundIds), ...(orderIds.length ? [eb('order_id', 'in', orderIds)] : [])]))
      .where('kind', 'in', ['return_arrival', 'claim', 'invoice', 'postage', 'courier_task', 'department_task'])
      .execute(),
    db.selectFrom('batch_lines').select(['refund_id', 'status']).where('refund_id', 'in', refundIds).execute(),
  ]);
  const latestFlag = new Map<number, number>();
  for (const r of remarks) latestFlag.set(r.order_id, r.flag);
  for (const refund of refunds) {
    const order = byNo.get(refund.orderNo);
    const ofOrder = order ? lines.filter((l) => l.order_id === order.id) : [];
    const line = refund.lineNo !== null ? ofOrder.find((l) => l.line_no === refund.lineNo) : ofOrder.length === 1 ? ofOrder[0] : undefined;
    const marks = new Set<RowMark>();
    for (const r of records) {
      const mine = r.refund_id === refund.id;
      const sameOrder = order !== undefined && r.order_id === order.id;
      if (r.status === 'cancelled') continue;
      if (r.kind === 'return_arrival' && mine) marks.add('arrived');
      // a claim and an invoice are the order's; postage is one refund's
      if (r.kind === 'claim' && sameOrder && r.status !== 'closed') marks.add('claim');
      if (r.kind === 'invoice' && sameOrder) marks.add('invoice');
      if (r.kind === 'postage' && mine) marks.add('postage');
      if (r.kind === 'courier_task' && (mine || sameOrder) && r.status === 'open') marks.add('courier');
      if (r.kind === 'department_task' && (mine || sameOrder) && r.status === 'open') marks.add('department');
    }
    const b = batch.find((x) => x.refund_id === refund.id);
    if (b?.status === 'pending') marks.add('batched');
    if (b?.status === 'voided') marks.add('voided');
    if (b?.status === 'already_shipped') marks.add('already_shipped');
    out.set(refund.id, {
      title: line?.title ?? ofOrder[0]?.title ?? null,
      lineCount: line ? 1 : ofOrder.length,
      sku: line?.sku ?? null,
      size: line?.size ?? null,
      buyerNick: order?.buyer_nick ?? null,
      remarkFlag: order ? (latestFlag.get(order.id) ?? null) : null,
      marks: rowMarks.filter((m) => marks.has(m)),
    });
  }
  return out;
}
