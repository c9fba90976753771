/**
 * The background work of an import (issue 14 §1), in the server process: the
 * stored file is read row by row (flat memory), the rows of one order grouped,
 * and each batch of about 200 rows
 *
 * - previewed: applied through the one upsert path inside a transaction that
 *   is rolled back (so each row's outcome is exactly what the commit would do
 *   at that moment, and nothing is written), then the outcomes are stored;
 * - committed: applied in one transaction with the rows' outcomes and the
 *   job's progress, every record whole; rows in error are passed over.
 *
 * A job is worked by the process holding its lease (a conditional update on
 * its row, renewed at every batch). A process that dies leaves the lease to
 * expire; the job is then taken up again where its last batch ended (on the
 * next start of a server, or when anyone opens the job), and since the upsert
 * path applies a record twice without a change, nothing is done twice.
 */
import { hostname } from 'node:os';
import type { Selectable } from 'kysely';
import { isAppError } from '../../core/errors.ts';
import { findHeader, type ImportMapping } from '../../core/import/header-match.ts';
import { rowError, type ImportMessage, type RowError } from '../../core/import/import-errors.ts';
import type { ImportKind } from '../../core/import/import-fields.ts';
import { orderNoOf, readOrderGroup, type ImportRow } from '../../core/import/order-report.ts';
import { readRefundRow } from '../../core/import/refund-report.ts';
import type { Db } from '../../db/connection.ts';
import type { Q } from '../../db/order-repository.ts';
import type { ImportJobTable } from '../../db/schema.ts';
import type { PlatformOrder, PlatformRefund } from '../../platform/connector.ts';
import type { AppContext } from '../context.ts';
import { applyPlatformOrder, applyPlatformRefund } from '../platform/apply.ts';
import { keepHeldOrderFields, keepHeldRefundFields, type HeldOrder, type HeldRefund } from '../../core/import/keep-held.ts';
import { refundRowToRefund } from '../../db/refund-repository.ts';
import { recordAudit } from '../audit.ts';
import type { RowOutcome } from './jobs.ts';
import { storedFile } from './file-store.ts';
import { isEmptyRow, readSheetRows, UnreadableFile, type TextEncoding } from './sheet-reader.ts';

/** Rows per batch: a transaction's worth (the write lock of SQLite is held for about a tenth of a second). */
export const BATCH_ROWS = 200;
const LEASE_MS = 60_000;
const OWNER = `${hostname()}:${process.pid}`;

/** A record of the file: the rows of one order (or one refund row), what they read as, and what became of them. */
interface Group {
  rows: ImportRow[];
  platformId: string | null;
  record: { kind: 'order'; order: PlatformOrder; withoutPrice: string[] } | { kind: 'refund'; refund: PlatformRefund } | null;
  errors: Map<number, RowError[]>;
  outcome: RowOutcome;
  note: ImportMessage | null;
}

const notes = {
  unpaid: { 'zh-CN': '买家还没有付款，这个订单不导入。', en: 'Not paid yet: the order is not imported.' },
  synced: { 'zh-CN': '这条记录由店铺的实时同步维护，表格不会覆盖它。', en: "The shop's live sync keeps this record; an export does not override it." },
  local: { 'zh-CN': '这个订单是在 shouhou 里建的，表格不会覆盖它。', en: 'This order was created in shouhou; an export does not override it.' },
  newer: { 'zh-CN': '系统里的记录比这份导出更新，没有改动。', en: 'shouhou holds a newer state than this export; nothing changed.' },
} satisfies Record<string, ImportMessage>;

// ---------------------------------------------------------------------------------------------
// who works which job

const running = new WeakMap<Db, Map<number, Promise<void>>>();

/** Works the job in the background of this process, unless this process already does. */
export function kickImport(ctx: AppContext, jobId: number): Promise<void> {
  if (stopping.has(ctx.db)) return Promise.resolve();
  let mine = running.get(ctx.db);
  if (!mine) running.set(ctx.db, (mine = new Map()));
  const current = mine.get(jobId);
  if (current) return current;
  const work = runImportJob(ctx, jobId)
    .catch(() => {
      // a failure is written into the job (failJob); a database gone away (the server stopping) leaves the lease to expire
    })
    .finally(() => mine.delete(jobId));
  mine.set(jobId, work);
  return work;
}

const stopping = new WeakSet<Db>();

/**
 * The server stops: each running job stops after its current batch and gives its lease back, so the next
 * server to start goes on with it at once.
 */
export async function stopImports(ctx: AppContext): Promise<void> {
  stopping.add(ctx.db);
  await Promise.all([...(running.get(ctx.db)?.values() ?? [])]);
}

/** The job's work in this process, when there is any (tests wait for it). */
export function importWork(ctx: AppContext, jobId: number): Promise<void> | undefined {
  return running.get(ctx.db)?.get(jobId);
}

/**
 * At a server's start: takes up the jobs whose process stopped (their lease expired), and drops the uploads
 * a process never finished receiving (an hour old, still uploading).
 */
export async function resumeImports(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now().toISOString();
  const abandoned = await ctx.db.kysely
    .selectFrom('import_jobs')
    .select('id')
    .where('status', '=', 'uploading')
    .where('created_at', '<', new Date(ctx.clock.now().getTime() - 3_600_000).toISOString())
    .execute();
  for (const j of abandoned) {
    await ctx.db.kysely.deleteFrom('import_files').where('job_id', '=', j.id).execute();
    await ctx.db.kysely.deleteFrom('import_jobs').where('id', '=', j.id).execute();
  }
  const stale = await ctx.db.kysely
    .selectFrom('import_jobs')
    .select('id')
    .where('status', 'in', ['previewing', 'committing'])
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .execute();
  for (const j of stale) void kickImport(ctx, j.id);
  return stale.length;
}

async function takeLease(ctx: AppContext, jobId: number): Promise<Selectable<ImportJobTable> | null> {
  const now = ctx.clock.now();
  const result = await ctx.db.kysely
    .updateTable('import_jobs')
    .set({ lease_owner: OWNER, lease_until: new Date(now.getTime() + LEASE_MS).toISOString() })
    .where('id', '=', jobId)
    .where('status', 'in', ['previewing', 'committing'])
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString()), eb('lease_owner', '=', OWNER)]))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return null;
  return ctx.db.kysely.selectFrom('import_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
}

/** The job is no longer in this stage (cancelled, or taken over): stop. */
class Stopped extends Error {}
/** The server is stopping: the job waits for the next one. */
class Paused extends Error {}

/** Works one job's current stage to its end (or for `maxBatches` batches, then gives the lease back). */
export async function runImportJob(ctx: AppContext, jobId: number, options: { maxBatches?: number } = {}): Promise<void> {
  const job = await takeLease(ctx, jobId);
  if (!job) return;
  const stage = job.status === 'committing' ? 'commit' : 'preview';
  try {
    await runStage(ctx, job, stage, options.maxBatches ?? Infinity);
    const now = ctx.clock.now().toISOString();
    const done = await ctx.db.kysely
      .updateTable('import_jobs')
      .set((eb) => ({
        status: stage === 'commit' ? 'committed' : 'previewed',
        ...(stage === 'commit' ? { committed_at: now } : { previewed_at: now, total_rows: eb.ref('processed_rows') }),
        updated_at: now,
        lease_owner: null,
        lease_until: null,
      }))
      .where('id', '=', jobId)
      .where('status', '=', job.status)
      .where('lease_owner', '=', OWNER)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 1) await auditStageDone(ctx, await reread(ctx, jobId), stage === 'commit' ? 'import.committed' : 'import.previewed');
  } catch (e) {
    if (e instanceof Stopped) return;
    if (e instanceof Paused) {
      await ctx.db.kysely.updateTable('import_jobs').set({ lease_owner: null, lease_until: null }).where('id', '=', jobId).where('lease_owner', '=', OWNER).execute();
      return;
    }
    await failJob(ctx, job, e);
    throw e;
  }
}

const reread = (ctx: AppContext, jobId: number) => ctx.db.kysely.selectFrom('import_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();

async function failJob(ctx: AppContext, job: Selectable<ImportJobTable>, e: unknown): Promise<void> {
  const detail = e instanceof Error ? e.message.slice(0, 300) : String(e).slice(0, 300);
  const failure: ImportMessage =
    e instanceof UnreadableFile
      ? { 'zh-CN': '文件读不出来了，请重新导出后再上传。', en: `The file cannot be read: ${detail}` }
      : job.status === 'committing'
        ? { 'zh-CN': '导入中途出错了。已导入的记录都是完整的；点“继续导入”会从断开的地方接着做。', en: `The import stopped with an error (${detail}). What went in is whole; "Continue" goes on from where it stopped.` }
        : { 'zh-CN': '预览中途出错了，什么都没有写入。请重新预览。', en: `The preview stopped with an error (${detail}); nothing was written. Preview it again.` };
  try {
    await ctx.db.kysely
      .updateTable('import_jobs')
      .set({ status: 'failed', failure: JSON.stringify(failure), updated_at: ctx.clock.now().toISOString(), lease_owner: null, lease_until: null })
      .where('id', '=', job.id)
      .where('status', '=', job.status)
      .execute();
    await auditStageDone(ctx, await reread(ctx, job.id), 'import.failed');
  } catch {
    // the database itself is gone: the lease expires and the job is taken up again
  }
}

// ---------------------------------------------------------------------------------------------
// reading the file into records

/** The file's data rows as the kind's fields, from after `afterRowNo`. */
async function* dataRows(ctx: AppContext, job: Selectable<ImportJobTable>, afterRowNo: number): AsyncGenerator<ImportRow> {
  const headers = JSON.parse(job.headers) as string[];
  const mapping = JSON.parse(job.mapping) as ImportMapping;
  const columns = Object.entries(mapping).map(([key, header]) => [key, findHeader(headers, header)] as const);
  const source = storedFile(ctx.db.kysely, { jobId: job.id, size: job.file_size });
  for await (const row of readSheetRows(source, { format: job.format as 'csv' | 'xlsx', encoding: job.encoding as TextEncoding | null })) {
    if (row.rowNo <= job.header_row || row.rowNo <= afterRowNo || isEmptyRow(row)) continue;
    const cells: Record<string, ImportRow['cells'][string]> = {};
    for (const [key, index] of columns) cells[key] = index >= 0 ? (row.cells[index] ?? null) : null;
    yield { rowNo: row.rowNo, cells };
  }
}

/** Batches of whole records: consecutive rows of one 订单编号 are one order; a refund row is one refund. */
async function* batches(rows: AsyncGenerator<ImportRow>, kind: ImportKind, mapping: ImportMapping, exportedAt: Date): AsyncGenerator<Group[]> {
  let batch: Group[] = [];
  let batchRows = 0;
  let pending: ImportRow[] = [];
  let pendingKey: string | null = null;
  const close = (): Group | null => {
    if (pending.length === 0) return null;
    const group = toGroup(kind, pending, mapping, exportedAt);
    pending = [];
    pendingKey = null;
    return group;
  };
  const add = (group: Group | null) => {
    if (!group) return;
    batch.push(group);
    batchRows += group.rows.length;
  };
  for await (const row of rows) {
    if (kind === 'orders') {
      const id = orderNoOf(row, mapping);
      const key = 'ok' in id && id.ok !== null ? id.ok : null;
      // a row without a readable order number is a record (an error) of its own
      if (key === null || key !== pendingKey) add(close());
      pending.push(row);
      pendingKey = key;
      if (key === null) add(close());
    } else {
      add(toGroup(kind, [row], mapping, exportedAt));
    }
    if (batchRows >= BATCH_ROWS) {
      yield batch;
      batch = [];
      batchRows = 0;
    }
  }
  add(close());
  if (batch.length > 0) yield batch;
}

function toGroup(kind: ImportKind, rows: ImportRow[], mapping: ImportMapping, exportedAt: Date): Group {
  if (kind === 'orders') {
    const id = orderNoOf(rows[0]!, mapping);
    const platformId = 'ok' in id ? id.ok : null;
    const r = readOrderGroup({ rows, columns: mapping, exportedAt });
    return r.ok
      ? { rows, platformId, record: { kind: 'order', order: r.order, withoutPrice: r.withoutPrice }, errors: new Map(), outcome: 'new', note: null }
      : { rows, platformId, record: null, errors: r.errors, outcome: 'error', note: null };
  }
  const row = rows[0]!;
  const r = readRefundRow({ row, columns: mapping, exportedAt });
  const id = r.ok ? r.refund.platformRefundId : null;
  return r.ok
    ? { rows, platformId: id, record: { kind: 'refund', refund: r.refund }, errors: new Map(), outcome: 'new', note: null }
    : { rows, platformId: platformIdOf(row, mapping), record: null, errors: new Map([[row.rowNo, r.errors]]), outcome: 'error', note: null };
}

function platformIdOf(row: ImportRow, mapping: ImportMapping): string | null {
  const cell = row.cells.refundId;
  const text = typeof cell === 'string' ? cell.replace(/^\s*="?|"\s*$/g, '').trim() : typeof cell === 'number' && Number.isSafeInteger(cell) ? String(cell) : '';
  return mapping.refundId && /^\d{1,40}$/.test(text) ? text : null;
}

/** The record refused: `error` on its row `at` (its first by default), the others pointing to it. */
function fail(group: Group, error: (rowNo: number) => RowError, at = group.rows[0]!.rowNo): void {
  group.record = null;
  group.outcome = 'error';
  for (const r of group.rows) group.errors.set(r.rowNo, r.rowNo === at ? [error(r.rowNo)] : [rowError('same_order_error', { column: '', row: at })]);
}

/** The same order or refund earlier in the file: the later one is refused, naming the row. */
async function markRepeats(db: Q, jobId: number, kind: ImportKind, groups: Group[], mapping: ImportMapping): Promise<void> {
  const ids = [...new Set(groups.map((g) => g.platformId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return;
  const earlier = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('import_rows')
      .select(['platform_id', (eb) => eb.fn.min('row_no').as('row_no')])
      .where('job_id', '=', jobId)
      .where('platform_id', 'in', ids.slice(i, i + 500))
      .groupBy('platform_id')
      .execute();
    for (const r of rows) if (r.platform_id) earlier.set(r.platform_id, Number(r.row_no));
  }
  const column = kind === 'orders' ? (mapping.orderNo ?? '') : (mapping.refundId ?? '');
  for (const g of groups) {
    if (g.platformId === null) continue;
    const before = earlier.get(g.platformId);
    if (before !== undefined && before < g.rows[0]!.rowNo) fail(g, () => rowError(kind === 'orders' ? 'order_rows_apart' : 'duplicate', { column, row: before }));
    else if (before === undefined) earlier.set(g.platformId, g.rows[0]!.rowNo);
  }
}

// ---------------------------------------------------------------------------------------------
// applying

const outcomeOf = { created: 'new', updated: 'updated', unchanged: 'unchanged', skipped: 'skipped' } as const;

/** The orders held of these numbers, as the import may keep their fields (source, modified time, buyer, lines). */
async function heldOrders(trx: Q, shopId: number, orderNos: string[]): Promise<Map<string, HeldOrder & { source: string; modified: string | null }>> {
  const held = new Map<string, HeldOrder & { source: string; modified: string | null }>();
  for (let i = 0; i < orderNos.length; i += 500) {
    const rows = await trx.selectFrom('orders').selectAll().where('shop_id', '=', shopId).where('order_no', 'in', orderNos.slice(i, i + 500)).execute();
    if (rows.length === 0) continue;
    const lines = await trx.selectFrom('order_lines').selectAll().where('order_id', 'in', rows.map((r) => r.id)).orderBy('line_no').execute();
    for (const r of rows) {
      held.set(r.order_no, {
        source: r.source,
        modified: r.platform_modified ?? null,
        buyer: { nick: r.buyer_nick, name: r.buyer_name, phone: r.buyer_phone, address: { province: r.province, city: r.city, district: r.district, detail: r.address_detail } },
        postageFen: Number(r.postage_fen),
        shipment: r.courier !== null && r.tracking_no !== null && r.shipped_at !== null ? { courier: r.courier, trackingNo: r.tracking_no, shippedAt: new Date(r.shipped_at) } : null,
        finishedAt: r.finished_at ? new Date(r.finished_at) : null,
        lines: lines
          .filter((l) => l.order_id === r.id)
          .map((l) => ({ platformLineId: l.platform_line_id ?? null, sku: l.sku, title: l.title, size: l.size, unitPriceFen: Number(l.unit_price_fen), quantity: l.quantity, paidFen: l.paid_fen === null || l.paid_fen === undefined ? null : Number(l.paid_fen) })),
      });
    }
  }
  return held;
}

/** The refunds held of these numbers, as the import may keep their fields. */
async function heldRefunds(trx: Q, shopId: number, refundIds: string[]): Promise<Map<string, HeldRefund & { version: string | null; modified: string | null }>> {
  const held = new Map<string, HeldRefund & { version: string | null; modified: string | null }>();
  for (let i = 0; i < refundIds.length; i += 500) {
    const rows = await trx.selectFrom('refunds').selectAll().where('shop_id', '=', shopId).where('platform_refund_id', 'in', refundIds.slice(i, i + 500)).execute();
    for (const row of rows) {
      const r = refundRowToRefund(row);
      const line = r.lineNo === null ? undefined : await trx.selectFrom('order_lines').select('platform_line_id').where('order_id', '=', row.order_id).where('line_no', '=', r.lineNo).executeTakeFirst();
      held.set(row.platform_refund_id!, {
        version: row.platform_version ?? null,
        modified: row.platform_modified ?? null,
        platformLineId: line?.platform_line_id ?? null,
        type: r.type,
        goodsStatus: r.goodsStatus,
        phase: r.phase,
        reason: r.reason,
        reasonText: row.platform_reason ?? '',
        description: r.description,
        returnShipment: r.returnShipment ? { courier: r.returnShipment.courier, trackingNo: r.returnShipment.trackingNo } : null,
        platformTimeout: row.platform_timeout_at ? { at: new Date(row.platform_timeout_at), kind: row.platform_timeout_kind ?? '' } : null,
        intervention: { state: r.intervention.state, outcome: r.intervention.outcome },
      });
    }
  }
  return held;
}

/**
 * Applies the batch's records through the upsert path in `trx`, setting each group's outcome. What the
 * file has no column for is kept as held (keep-held.ts).
 */
async function applyGroups(trx: Q, shopId: number, groups: Group[], mapping: ImportMapping, now: Date): Promise<void> {
  const orders = groups.filter((g) => g.record?.kind === 'order');
  const refunds = groups.filter((g) => g.record?.kind === 'refund');
  if (orders.length > 0) {
    const held = await heldOrders(trx, shopId, orders.map((g) => g.platformId!));
    for (const g of orders) {
      const record = g.record as { order: PlatformOrder; withoutPrice: string[] };
      const h = held.get(record.order.platformOrderId);
      // the live sync's orders and shouhou's own are not the export's to change
      if (h && (h.source === 'taobao' || h.source === 'tmall')) {
        [g.outcome, g.note] = ['unchanged', notes.synced];
        continue;
      }
      if (h && h.source !== 'import') {
        [g.outcome, g.note] = ['skipped', notes.local];
        continue;
      }
      const kept = keepHeldOrderFields(record.order, h ?? null, mapping, new Set(record.withoutPrice));
      if (kept.withoutPrice.length > 0) {
        const row = g.rows[record.order.lines.findIndex((l) => l.platformLineId === kept.withoutPrice[0])] ?? g.rows[0]!;
        fail(g, () => rowError('unit_price_missing', { column: '' }), row.rowNo);
        continue;
      }
      const { outcome } = await applyPlatformOrder(trx, { shopId, source: 'import', order: kept.order, now });
      g.outcome = outcomeOf[outcome];
      g.note = outcome === 'skipped' ? notes.unpaid : outcome === 'unchanged' && h?.modified && h.modified > record.order.modifiedAt.toISOString() ? notes.newer : null;
    }
  }
  if (refunds.length > 0) {
    const held = await heldRefunds(trx, shopId, refunds.map((g) => g.platformId!));
    for (const g of refunds) {
      const read = (g.record as { refund: PlatformRefund }).refund;
      const h = held.get(read.platformRefundId);
      const refund = keepHeldRefundFields(read, h ?? null, mapping);
      const r = await applyPlatformRefund(trx, { shopId, source: 'import', refund, now });
      if (r.outcome === 'missing_order') {
        g.outcome = 'error';
        g.record = null;
        g.errors.set(g.rows[0]!.rowNo, [rowError('order_missing', { column: '', value: refund.platformOrderId })]);
        continue;
      }
      g.outcome = outcomeOf[r.outcome];
      g.note = r.outcome !== 'unchanged' || !h ? null : h.version !== null ? notes.synced : h.modified && h.modified > refund.modifiedAt.toISOString() ? notes.newer : null;
    }
  }
}

class DryRun extends Error {}

function countsOf(groups: Group[]): Record<RowOutcome, number> {
  const counts: Record<RowOutcome, number> = { new: 0, updated: 0, unchanged: 0, skipped: 0, error: 0 };
  for (const g of groups) counts[g.outcome] += g.rows.length;
  return counts;
}

function rowValues(jobId: number, groups: Group[], committed: 0 | 1) {
  return groups.flatMap((g) =>
    g.rows.map((r) => {
      const errors = g.errors.get(r.rowNo);
      return {
        job_id: jobId,
        row_no: r.rowNo,
        outcome: g.outcome,
        platform_id: g.platformId,
        errors: errors && errors.length > 0 ? JSON.stringify(errors) : null,
        note: g.note ? JSON.stringify(g.note) : null,
        committed,
      };
    }),
  );
}

/** The job's progress and counts after a batch, in the batch's transaction; the job left this stage: Stopped. */
async function advance(trx: Q, job: Selectable<ImportJobTable>, rows: number, counts: Record<RowOutcome, number>, now: Date): Promise<void> {
  const updated = await trx
    .updateTable('import_jobs')
    .set((eb) => ({
      processed_rows: eb('processed_rows', '+', rows),
      count_new: eb('count_new', '+', counts.new),
      count_updated: eb('count_updated', '+', counts.updated),
      count_unchanged: eb('count_unchanged', '+', counts.unchanged),
      count_skipped: eb('count_skipped', '+', counts.skipped),
      count_error: eb('count_error', '+', counts.error),
      updated_at: now.toISOString(),
      lease_until: new Date(now.getTime() + LEASE_MS).toISOString(),
    }))
    .where('id', '=', job.id)
    .where('status', '=', job.status)
    .where('lease_owner', '=', OWNER)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new Stopped();
}

async function runStage(ctx: AppContext, job: Selectable<ImportJobTable>, stage: 'preview' | 'commit', maxBatches: number): Promise<void> {
  const db = ctx.db.kysely;
  const kind = job.kind as ImportKind;
  const mapping = JSON.parse(job.mapping) as ImportMapping;
  const exportedAt = new Date(job.exported_at);
  // where the last batch ended (a job taken up again after a crash goes on from there)
  const last = await db
    .selectFrom('import_rows')
    .select((eb) => eb.fn.max('row_no').as('row_no'))
    .where('job_id', '=', job.id)
    .$if(stage === 'commit', (q) => q.where('committed', '=', 1))
    .executeTakeFirst();
  const after = Number(last?.row_no ?? 0);
  if (stage === 'commit' && after > 0) await recount(db, job);
  let done = 0;
  for await (const groups of batches(dataRows(ctx, job, after), kind, mapping, exportedAt)) {
    if (stopping.has(ctx.db) || done++ >= maxBatches) throw new Paused();
    if (stage === 'preview') await previewBatch(ctx, job, kind, mapping, groups);
    else await commitBatch(ctx, job, groups);
    // SQLite answers synchronously: without this the process would serve no request until the whole file is done
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A commit taken up again: its counts from the rows done so far. */
async function recount(db: Q, job: Selectable<ImportJobTable>): Promise<void> {
  const rows = await db.selectFrom('import_rows').select(['outcome', (eb) => eb.fn.countAll<number>().as('n')]).where('job_id', '=', job.id).where('committed', '=', 1).groupBy('outcome').execute();
  const errors = await db.selectFrom('import_rows').select((eb) => eb.fn.countAll<number>().as('n')).where('job_id', '=', job.id).where('outcome', '=', 'error').executeTakeFirstOrThrow();
  const n = (o: string) => Number(rows.find((r) => r.outcome === o)?.n ?? 0);
  await db
    .updateTable('import_jobs')
    .set({ processed_rows: rows.reduce((s, r) => s + Number(r.n), 0), count_new: n('new'), count_updated: n('updated'), count_unchanged: n('unchanged'), count_skipped: n('skipped'), count_error: Number(errors.n) })
    .where('id', '=', job.id)
    .execute();
}

async function previewBatch(ctx: AppContext, job: Selectable<ImportJobTable>, kind: ImportKind, mapping: ImportMapping, groups: Group[]): Promise<void> {
  const db = ctx.db.kysely;
  await markRepeats(db, job.id, kind, groups, mapping);
  const now = ctx.clock.now();
  // the dry run: the upsert path's own answer, in a transaction that never commits
  try {
    await db.transaction().execute(async (trx) => {
      await applyGroups(trx, job.shop_id, groups, mapping, now);
      throw new DryRun();
    });
  } catch (e) {
    if (!(e instanceof DryRun)) throw e;
  }
  await db.transaction().execute(async (trx) => {
    await advance(trx, job, groups.reduce((s, g) => s + g.rows.length, 0), countsOf(groups), ctx.clock.now());
    const values = rowValues(job.id, groups, 0);
    for (let i = 0; i < values.length; i += 100) await trx.insertInto('import_rows').values(values.slice(i, i + 100)).execute();
  });
}

async function commitBatch(ctx: AppContext, job: Selectable<ImportJobTable>, groups: Group[]): Promise<void> {
  const db = ctx.db.kysely;
  const first = groups[0]!.rows[0]!.rowNo;
  const lastGroup = groups[groups.length - 1]!;
  const last = lastGroup.rows[lastGroup.rows.length - 1]!.rowNo;
  const previewed = new Map(
    (await db.selectFrom('import_rows').select(['row_no', 'outcome', 'errors', 'committed']).where('job_id', '=', job.id).where('row_no', '>=', first).where('row_no', '<=', last).execute()).map((r) => [r.row_no, r]),
  );
  // what the preview refused stays refused (with its reasons); what it did not see is not applied blindly
  const toApply = groups.filter((g) => g.record !== null && g.rows.every((r) => previewed.get(r.rowNo)?.outcome !== 'error' && previewed.has(r.rowNo)));
  const passed = groups.filter((g) => !toApply.includes(g));
  for (const g of passed) {
    g.record = null;
    g.outcome = 'error';
    for (const r of g.rows) {
      const p = previewed.get(r.rowNo);
      if (p?.errors) g.errors.set(r.rowNo, JSON.parse(p.errors) as RowError[]);
    }
  }
  const write = async (trx: Q, batch: Group[], now: Date) => {
    await applyGroups(trx, job.shop_id, batch.filter((g) => g.record !== null), JSON.parse(job.mapping) as ImportMapping, now);
    const counts = countsOf(batch);
    // the errors were counted by the preview
    const rows = batch.reduce((s, g) => s + g.rows.length, 0);
    await advance(trx, job, rows, { ...counts, error: batch.filter((g) => toApply.includes(g)).reduce((s, g) => s + (g.outcome === 'error' ? g.rows.length : 0), 0) }, now);
    for (const g of batch) {
      for (const r of g.rows) {
        const errors = g.errors.get(r.rowNo);
        await trx
          .updateTable('import_rows')
          .set({ outcome: g.outcome, note: g.note ? JSON.stringify(g.note) : null, errors: errors && errors.length > 0 ? JSON.stringify(errors) : null, committed: 1 })
          .where('job_id', '=', job.id)
          .where('row_no', '=', r.rowNo)
          .execute();
      }
    }
  };
  // the batch in one transaction; if an agent changed one of its records meanwhile, again, then record by record
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await db.transaction().execute((trx) => write(trx, groups, ctx.clock.now()));
      return;
    } catch (e) {
      if (!(isAppError(e) && e.code === 'VERSION_CONFLICT')) throw e;
      for (const g of toApply) g.outcome = 'new';
    }
  }
  for (const g of groups) {
    try {
      await db.transaction().execute((trx) => write(trx, [g], ctx.clock.now()));
    } catch (e) {
      if (!(isAppError(e) && e.code === 'VERSION_CONFLICT')) throw e;
      fail(g, () => rowError('conflict', { column: '' }));
      await db.transaction().execute((trx) => write(trx, [g], ctx.clock.now()));
    }
  }
}

/** Audits a finished stage (the runner calls it). */
async function auditStageDone(ctx: AppContext, row: Selectable<ImportJobTable>, action: 'import.previewed' | 'import.committed' | 'import.failed'): Promise<void> {
  await recordAudit(ctx.db.kysely, {
    at: ctx.clock.now(),
    shopId: row.shop_id,
    actorKind: 'system',
    actorId: null,
    actorName: '表格导入',
    role: 'system',
    action,
    targetType: 'import_job',
    targetId: row.id,
    outcome: action === 'import.failed' ? 'failed' : 'ok',
    details: { kind: row.kind, fileName: row.file_name, rows: row.processed_rows, counts: { new: row.count_new, updated: row.count_updated, unchanged: row.count_unchanged, skipped: row.count_skipped, error: row.count_error } },
  });
}
