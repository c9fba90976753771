/**
 * The demo shop's side records, so that finance, design, merchandise and the
 * complaints page open on work to do (the demo's first start only; the
 * end-to-end tests start from the refunds alone).
 */
import type { Actor } from '../../core/roles.ts';
import type { AppContext } from '../context.ts';
import { createSideRecord, type SideRecordKind } from './side-records.ts';

export async function seedDemoRecords(ctx: AppContext, shopId: number): Promise<number> {
  const db = ctx.db.kysely;
  const agentRow = await db.selectFrom('actors').select(['id', 'name']).where('shop_id', '=', shopId).where('role', '=', 'agent').orderBy('id').limit(1).executeTakeFirstOrThrow();
  const agent: Actor = { id: agentRow.id, shopId, role: 'agent', name: agentRow.name, buyerNick: null, kind: 'token' };
  const shipped = await db
    .selectFrom('orders')
    .innerJoin('order_lines', 'order_lines.order_id', 'orders.id')
    .select(['orders.order_no', 'order_lines.sku', 'order_lines.size', 'order_lines.unit_price_fen', 'orders.paid_fen'])
    .where('orders.shop_id', '=', shopId)
    .where('orders.status', 'in', ['WAIT_BUYER_CONFIRM_GOODS', 'TRADE_FINISHED'])
    .orderBy('orders.id')
    .limit(4)
    .execute();
  // a 收到商品不符 refund for design and merchandise to check
  const described = await db
    .selectFrom('refunds')
    .select(['id', 'order_no'])
    .where('shop_id', '=', shopId)
    .where('reason', '=', 'not_as_described')
    .where('is_open', '=', 1)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  const [a, b, c, d] = shipped;
  const records: { kind: SideRecordKind; input: Record<string, unknown> }[] = [];
  if (a) {
    records.push({
      kind: 'claim',
      input: { orderNo: a.order_no, sku: a.sku, size: a.size, courier: '中通快递', trackingNo: 'ZT7300010001', itemPriceFen: Number(a.unit_price_fen) },
    });
  }
  if (b) {
    records.push({
      kind: 'invoice',
      input: { orderNo: b.order_no, titleType: 'company', title: '杭州某某鞋业有限公司', taxId: '91350100M000100Y43', amountFen: Number(b.paid_fen) },
    });
  }
  if (c) records.push({ kind: 'complaint', input: { source: 'platform', type: '商品质量', content: '买家投诉鞋子开胶', buyerDemands: '全额退款', orderNo: c.order_no } });
  if (d) records.push({ kind: 'complaint', input: { source: 'wangwang', type: '物流问题', content: '买家说快递三天没有更新', buyerDemands: '尽快送达', orderNo: d.order_no } });
  if (described) {
    records.push({
      kind: 'department_task',
      input: { orderNo: described.order_no, refundId: described.id, problem: 'upper_pattern', description: '买家说鞋面花纹和详情页图片不一样' },
    });
  }
  for (const r of records) await createSideRecord(ctx, { actor: agent, kind: r.kind, input: r.input });
  return records.length;
}
