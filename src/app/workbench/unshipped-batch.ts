/**
 * S1.1 未发退: every morning, before the warehouse prints labels, the day's
 * unshipped refunds go to the warehouse to void the orders. The batch of a
 * business day collects them until the shop's cut-off (default 09:00
 * Asia/Shanghai), when it freezes (or the agent sends it earlier); each order
 * is remarked "已经提交未发退"; the warehouse marks each line voided or already
 * shipped (then the S2.2 path: the order is marked shipped, which closes the
 * refund); the refund is allowed only after "voided" (the guard).
 */
import { shanghaiDate, shanghaiMidnight } from '../../core/calendar/working-days.ts';
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { canLockRows, findOrderById, type Q } from '../../db/order-repository.ts';
import { requirePermission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { shipInTransaction } from '../orders.ts';
import { cachedShopSettings } from '../shops.ts';
import { sheet, type Sheet } from '../export/spreadsheet.ts';
import { insertRecord, recordRowToRecord, updateRecord, type StoredRecord } from './record-store.ts';
import { writeMilestoneRemark } from './refund-work.ts';

export const UNSHIPPED_SUBMITTED_REMARK = '已经提交未发退';

export interface BatchLine {
  refundId: number;
  orderNo: string;
  amountFen: number;
  status: 'pending' | 'voided' | 'already_shipped';
  markedAt: string | null;
}

export interface Batch {
  id: number;
  businessDate: string;
  cutoffAt: string;
  status: 'open' | 'sent' | 'frozen';
  version: number;
  lines: BatchLine[];
}

/** The cut-off instant of a business date (a Shanghai date) at HH:MM Shanghai time. */
export function cutoffOf(businessDate: string, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(shanghaiMidnight(businessDate).getTime() + ((h ?? 9) * 60 + (m ?? 0)) * 60_000);
}

/** The business day whose batch an unshipped refund goes to now: today before the cut-off, else tomorrow. */
export function businessDateFor(now: Date, hhmm: string): string {
  const today = shanghaiDate(now);
  if (now < cutoffOf(today, hhmm)) return today;
  return shanghaiDate(new Date(shanghaiMidnight(today).getTime() + 36 * 3_600_000));
}

async function linesOf(db: Q, batchId: number): Promise<BatchLine[]> {
  const rows = await db.selectFrom('batch_lines').selectAll().where('batch_id', '=', batchId).orderBy('order_no').execute();
  return rows.map((r) => ({
    refundId: r.refund_id,
    orderNo: r.order_no,
    amountFen: Number(r.amount_fen),
    status: r.status as BatchLine['status'],
    markedAt: r.marked_at,
  }));
}

function toBatch(record: StoredRecord, lines: BatchLine[]): Batch {
  const data = record.data as { businessDate: string; cutoffAt: string };
  return { id: record.id, businessDate: data.businessDate, cutoffAt: data.cutoffAt, status: record.status as Batch['status'], version: record.version, lines };
}

/** The refunds that belong in a batch: pending refunds of orders not yet shipped, in no batch yet, applied before `until`. */
async function addCandidates(trx: Q, actor: Actor, batchId: number, until: Date | null): Promise<number> {
  let q = trx
    .selectFrom('refunds')
    .innerJoin('orders', 'orders.id', 'refunds.order_id')
    .select(['refunds.id', 'refunds.order_id', 'refunds.amount_fen', 'orders.order_no'])
    .where('refunds.shop_id', '=', actor.shopId)
    .where('refunds.status', '=', 'WAIT_SELLER_AGREE')
    .where('orders.status', '=', 'WAIT_SELLER_SEND_GOODS')
    // correlated (one look-up in batch_lines_refund per candidate), never a read of every batch line ever written
    .where((eb) => eb.not(eb.exists(eb.selectFrom('batch_lines').select('batch_lines.refund_id').whereRef('batch_lines.refund_id', '=', 'refunds.id'))));
  if (until) q = q.where('refunds.created_at', '<', until.toISOString());
  const candidates = await q.execute();
  for (const c of candidates) {
    await trx
      .insertInto('batch_lines')
      .values({ batch_id: batchId, refund_id: c.id, order_id: c.order_id, order_no: c.order_no, amount_fen: Number(c.amount_fen), status: 'pending', marked_at: null, actor_id: null })
      .execute();
  }
  return candidates.length;
}

/**
 * Submits a batch to the warehouse: it stops collecting; lines whose refund
 * was meanwhile withdrawn, closed or shipped are dropped; each order left is
 * remarked "已经提交未发退" once.
 */
async function submit(trx: Q, actor: Actor, record: StoredRecord, to: 'sent' | 'frozen', now: Date): Promise<StoredRecord> {
  const stale = await trx
    .selectFrom('batch_lines')
    .innerJoin('refunds', 'refunds.id', 'batch_lines.refund_id')
    .innerJoin('orders', 'orders.id', 'batch_lines.order_id')
    .select('batch_lines.refund_id')
    .where('batch_lines.batch_id', '=', record.id)
    .where((eb) => eb.or([eb('refunds.status', '!=', 'WAIT_SELLER_AGREE'), eb('orders.status', '!=', 'WAIT_SELLER_SEND_GOODS')]))
    .execute();
  if (stale.length > 0) {
    await trx.deleteFrom('batch_lines').where('batch_id', '=', record.id).where('refund_id', 'in', stale.map((r) => r.refund_id)).execute();
  }
  const lines = await linesOf(trx, record.id);
  const orderIds = [...new Set((await trx.selectFrom('batch_lines').select('order_id').where('batch_id', '=', record.id).execute()).map((r) => r.order_id))];
  for (const orderId of orderIds) {
    const order = await findOrderById(trx, { orderId });
    if (order) await writeMilestoneRemark(trx, { actor, order, text: UNSHIPPED_SUBMITTED_REMARK, at: now });
  }
  return updateRecord(trx, {
    actor,
    before: record,
    action: to === 'sent' ? 'send' : 'freeze',
    status: to,
    data: record.data,
    eventData: { lines: lines.length, dropped: stale.map((r) => r.refund_id) },
    at: now,
  });
}

/** Freezes the shop's open batches whose cut-off has passed, with every refund applied before the cut-off in them. */
async function freezePassed(trx: Q, actor: Actor, now: Date): Promise<number> {
  const open = await trx.selectFrom('records').selectAll().where('shop_id', '=', actor.shopId).where('kind', '=', 'unshipped_batch').where('status', '=', 'open').execute();
  let frozen = 0;
  for (const row of open) {
    const record = recordRowToRecord(row);
    const cutoff = new Date((record.data as { cutoffAt: string }).cutoffAt);
    if (cutoff <= now) {
      await addCandidates(trx, actor, record.id, cutoff);
      await submit(trx, actor, record, 'frozen', now);
      frozen += 1;
    }
  }
  return frozen;
}

/** The sweeper's part: every shop's batches freeze at their cut-off, whether or not anyone opens the workbench. */
export async function freezeDueBatches(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const due = await ctx.db.kysely
    .selectFrom('records')
    .select(['shop_id', 'data'])
    .where('kind', '=', 'unshipped_batch')
    .where('status', '=', 'open')
    .execute();
  const shops = [...new Set(due.filter((r) => new Date((JSON.parse(r.data) as { cutoffAt: string }).cutoffAt) <= now).map((r) => r.shop_id))];
  let frozen = 0;
  for (const shopId of shops) {
    const system: Actor = { id: 0, shopId, role: 'system', name: '未发退截单', buyerNick: null, kind: 'system' };
    frozen += await ctx.db.kysely.transaction().execute(async (trx) => {
      await lockShop(trx, shopId);
      return freezePassed(trx, system, now);
    });
  }
  return frozen;
}

/** One batch writer per shop at a time (PostgreSQL; SQLite's write lock already is one). */
async function lockShop(trx: Q, shopId: number): Promise<void> {
  if (canLockRows(trx)) await trx.selectFrom('shops').select('id').where('id', '=', shopId).forUpdate().execute();
}

/**
 * The batch that collects now, with every unshipped refund not yet in a batch
 * added to it (pending refunds of orders not yet shipped, S1.1).
 */
export async function collectBatch(ctx: AppContext, options: { actor: Actor }): Promise<Batch> {
  requirePermission(options.actor, 'workbench.refund.work');
  const { actor } = options;
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    await lockShop(trx, actor.shopId);
    await freezePassed(trx, actor, now);
    const settings = await cachedShopSettings(ctx, trx, actor.shopId);
    const businessDate = businessDateFor(now, settings.unshippedCutoff);
    const row = await trx
      .selectFrom('records')
      .selectAll()
      .where('shop_id', '=', actor.shopId)
      .where('kind', '=', 'unshipped_batch')
      .where('status', '=', 'open')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    let record = row ? recordRowToRecord(row) : null;
    if (!record) {
      record = await insertRecord(trx, {
        actor,
        kind: 'unshipped_batch',
        status: 'open',
        orderId: null,
        refundId: null,
        data: { businessDate, cutoffAt: cutoffOf(businessDate, settings.unshippedCutoff).toISOString() },
        at: now,
      });
    }
    const added = await addCandidates(trx, actor, record.id, null);
    if (added > 0) {
      await appendAudit(trx, { at: now, ...auditActor(actor), action: 'unshipped_batch.collect', targetType: 'unshipped_batch', targetId: record.id, outcome: 'ok', details: { added } });
    }
    return toBatch(record, await linesOf(trx, record.id));
  });
}

export async function getBatch(ctx: AppContext, options: { actor: Actor; batchId: number }): Promise<Batch> {
  requirePermission(options.actor, 'workbench.records.read');
  const row = await ctx.db.kysely
    .selectFrom('records')
    .selectAll()
    .where('shop_id', '=', options.actor.shopId)
    .where('kind', '=', 'unshipped_batch')
    .where('id', '=', options.batchId)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `Batch ${options.batchId} was not found.`, {});
  return toBatch(recordRowToRecord(row), await linesOf(ctx.db.kysely, row.id));
}

export async function listBatches(ctx: AppContext, options: { actor: Actor; limit: number }): Promise<Batch[]> {
  requirePermission(options.actor, 'workbench.records.read');
  const rows = await ctx.db.kysely
    .selectFrom('records')
    .selectAll()
    .where('shop_id', '=', options.actor.shopId)
    .where('kind', '=', 'unshipped_batch')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
  const out: Batch[] = [];
  for (const row of rows) out.push(toBatch(recordRowToRecord(row), await linesOf(ctx.db.kysely, row.id)));
  return out;
}

/** The agent sends the batch before the cut-off. */
export async function sendBatch(ctx: AppContext, options: { actor: Actor; batchId: number; version: number }): Promise<Batch> {
  requirePermission(options.actor, 'workbench.refund.work');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('records').selectAll().where('shop_id', '=', options.actor.shopId).where('kind', '=', 'unshipped_batch').where('id', '=', options.batchId).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `Batch ${options.batchId} was not found.`, {});
    const record = recordRowToRecord(row);
    if (record.version !== options.version) throw new AppError('VERSION_CONFLICT', 'The batch changed meanwhile; reload it.', { currentVersion: record.version });
    if (record.status !== 'open') throw new AppError('ACTION_NOT_ALLOWED', `The batch was already ${record.status}.`, { status: record.status });
    if (new Date((record.data as { cutoffAt: string }).cutoffAt) <= now) {
      await lockShop(trx, options.actor.shopId);
      await freezePassed(trx, options.actor, now);
      throw new AppError('ACTION_NOT_ALLOWED', 'The cut-off has passed: the batch went to the warehouse frozen; reload it.', { reason: 'past_cutoff' });
    }
    if ((await linesOf(trx, record.id)).length === 0) throw new AppError('ACTION_NOT_ALLOWED', 'The batch is empty.', {});
    const sent = await submit(trx, options.actor, record, 'sent', now);
    return toBatch(sent, await linesOf(trx, record.id));
  });
}

/**
 * The warehouse marks a line: voided (the refund may go ahead), or already
 * shipped (the order is marked shipped with its tracking number, S2.2, which
 * closes the pending refund).
 */
export async function markBatchLine(
  ctx: AppContext,
  options: { actor: Actor; batchId: number; refundId: number; status: 'voided' | 'already_shipped'; courier?: string | undefined; trackingNo?: string | undefined },
): Promise<Batch> {
  requirePermission(options.actor, 'workbench.warehouse');
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const batch = await trx.selectFrom('records').select(['id', 'status']).where('shop_id', '=', options.actor.shopId).where('kind', '=', 'unshipped_batch').where('id', '=', options.batchId).executeTakeFirst();
    if (!batch) throw new AppError('NOT_FOUND', `Batch ${options.batchId} was not found.`, {});
    if (batch.status === 'open') throw new AppError('ACTION_NOT_ALLOWED', 'The batch has not been submitted to the warehouse yet.', { status: batch.status });
    const line = await trx.selectFrom('batch_lines').selectAll().where('batch_id', '=', batch.id).where('refund_id', '=', options.refundId).executeTakeFirst();
    if (!line) throw new AppError('NOT_FOUND', `Refund ${options.refundId} is not in this batch.`, {});
    if (line.status !== 'pending') throw new AppError('ACTION_NOT_ALLOWED', `This line was already marked ${line.status}.`, { status: line.status });
    if (options.status === 'already_shipped' && (!options.courier?.trim() || !options.trackingNo?.trim())) {
      throw new AppError('VALIDATION_FAILED', 'S2.2: an order that already left needs its courier and tracking number, to mark it shipped.', { field: 'trackingNo' });
    }
    const marked = await trx
      .updateTable('batch_lines')
      .set({ status: options.status, marked_at: now.toISOString(), actor_id: options.actor.id })
      .where('batch_id', '=', batch.id)
      .where('refund_id', '=', options.refundId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', 'This line was marked meanwhile; reload the batch.', {});
    await appendAudit(trx, {
      at: now,
      ...auditActor(options.actor),
      action: `unshipped_batch.${options.status}`,
      targetType: 'refund',
      targetId: options.refundId,
      outcome: 'ok',
      details: { batchId: batch.id, orderNo: line.order_no },
    });
    if (options.status === 'already_shipped') {
      // S2.2: the goods had already left; marking the order shipped closes the pending refund, in this same transaction
      await shipInTransaction(trx, ctx, { actor: options.actor, orderNo: line.order_no, courier: options.courier!, trackingNo: options.trackingNo!, basis: 'already_shipped' });
    }
  });
  return getBatch(ctx, { actor: options.actor, batchId: options.batchId });
}

/** The batch as a sheet for CSV/XLSX and the print view (zh-CN headers). */
export function batchSheet(batch: Batch): Sheet {
  const statusLabel = { pending: '待仓库作废', voided: '已作废', already_shipped: '已发出' } as const;
  return sheet({
    name: `未发退 ${batch.businessDate}`,
    columns: [
      { header: '订单编号', key: 'orderNo', type: 'text', width: 24 },
      { header: '退款编号', key: 'refundId', type: 'integer' },
      { header: '退款金额（元）', key: 'amount', type: 'money_fen' },
      { header: '状态', key: 'status', type: 'text' },
      { header: '标记时间', key: 'markedAt', type: 'datetime', width: 20 },
    ],
    rows: batch.lines.map((l) => ({ orderNo: l.orderNo, refundId: l.refundId, amount: l.amountFen, status: statusLabel[l.status], markedAt: l.markedAt })),
  });
}
