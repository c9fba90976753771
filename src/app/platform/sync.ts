/**
 * Bringing the platform's orders and refunds in (issue 12 §3–4): the pull by
 * modified-time windows (the safety net, with the first binding's backfill)
 * and the TMC notices (the fast path). Both only name what changed: each
 * record is re-read from the platform and applied through the one upsert path,
 * so duplicated, reordered and dropped notices and overlapping windows all
 * converge on the platform's state. Anything that cannot be applied becomes a
 * sync problem and the rest goes on.
 */
import { isAppError } from '../../core/errors.ts';
import { afterWindow, nextWindow, type PullWindow, type StreamCheckpoint } from '../../core/platform/sync-windows.ts';
import { isPlatformError, isUnreadable, type PlatformConnector, type PlatformMessage, type PlatformOrder, type PlatformRefund, type Unreadable } from '../../platform/connector.ts';
import type { AppContext } from '../context.ts';
import { applyPlatformOrder, applyPlatformRefund, type RecordSource } from './apply.ts';
import type { SyncStream } from './bindings.ts';
import { fileProblem, resolveProblemsOf, type ProblemSource } from './problems.ts';

export interface SyncTarget {
  ctx: AppContext;
  shopId: number;
  connector: PlatformConnector;
  source: RecordSource;
}

export type SyncResult = 'created' | 'updated' | 'unchanged' | 'skipped' | 'gone' | 'problem';

async function inTransaction<T>(ctx: AppContext, work: (trx: AppContext['db']['kysely']) => Promise<T>): Promise<T> {
  // a refund changed by an agent at the same moment: read it again and apply once more
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.db.kysely.transaction().execute(work);
    } catch (e) {
      if (attempt < 2 && isAppError(e) && e.code === 'VERSION_CONFLICT') continue;
      throw e;
    }
  }
}

async function unreadable(t: SyncTarget, via: ProblemSource, objectType: 'order' | 'refund', id: string, u: Unreadable): Promise<SyncResult> {
  await fileProblem(t.ctx.db.kysely, { shopId: t.shopId, source: via, code: 'unreadable', objectType, platformId: u.platformId ?? id, message: u.problem, payload: u.raw }, t.ctx.clock.now());
  return 'problem';
}

/** Re-reads an order from the platform and applies it. */
export async function syncOrder(t: SyncTarget, platformOrderId: string, via: ProblemSource): Promise<SyncResult> {
  const order = await t.connector.getOrder(platformOrderId);
  if (order === null) return 'gone';
  if (isUnreadable(order)) return unreadable(t, via, 'order', platformOrderId, order);
  const now = t.ctx.clock.now();
  const { outcome } = await inTransaction(t.ctx, async (trx) => {
    const applied = await applyPlatformOrder(trx, { shopId: t.shopId, source: t.source, order, now });
    await resolveProblemsOf(trx, { shopId: t.shopId, objectType: 'order', platformId: platformOrderId, now, by: 'sync' });
    return applied;
  });
  return outcome;
}

/** Re-reads a refund from the platform and applies it, fetching its order first when shouhou has not seen it. */
export async function syncRefund(t: SyncTarget, platformRefundId: string, via: ProblemSource): Promise<SyncResult> {
  const refund = await t.connector.getRefund(platformRefundId);
  if (refund === null) return 'gone';
  if (isUnreadable(refund)) return unreadable(t, via, 'refund', platformRefundId, refund);
  const apply = () =>
    inTransaction(t.ctx, async (trx) => {
      const now = t.ctx.clock.now();
      const applied = await applyPlatformRefund(trx, { shopId: t.shopId, source: t.source, refund, now });
      if (applied.outcome !== 'missing_order') await resolveProblemsOf(trx, { shopId: t.shopId, objectType: 'refund', platformId: platformRefundId, now, by: 'sync' });
      return applied;
    });
  let applied = await apply();
  if (applied.outcome === 'missing_order') {
    const order = await syncOrder(t, refund.platformOrderId, via);
    applied = order === 'problem' ? applied : await apply();
    if (applied.outcome === 'missing_order') {
      await fileProblem(
        t.ctx.db.kysely,
        {
          shopId: t.shopId,
          source: via,
          code: 'missing_order',
          objectType: 'refund',
          platformId: platformRefundId,
          message: `The refund's order ${refund.platformOrderId} could not be brought in (${order === 'skipped' ? 'it is not paid' : order === 'gone' ? 'the platform does not know it' : 'it could not be read'}); the refund waits for it.`,
          payload: { refund_id: platformRefundId, tid: refund.platformOrderId },
        },
        t.ctx.clock.now(),
      );
      return 'problem';
    }
  }
  return applied.outcome;
}

interface StreamRow {
  watermark: string | null;
  backfill_from: string | null;
  backfill_to: string | null;
  backfill_next: string | null;
  backfill_done: number;
  windows_done: number;
  records: number;
}

function checkpointOf(row: StreamRow): StreamCheckpoint {
  const d = (s: string | null) => (s ? new Date(s) : null);
  return { watermark: d(row.watermark), backfillFrom: d(row.backfill_from), backfillTo: d(row.backfill_to), backfillNext: d(row.backfill_next), backfillDone: row.backfill_done === 1 };
}

export interface PullOutcome {
  window: PullWindow | null;
  records: number;
}

/**
 * Pulls one window of one stream (orders or refunds) and moves its checkpoint when the whole window is in;
 * a crash in between repeats the window, which applies nothing twice.
 */
export async function pullWindow(t: SyncTarget, stream: Exclude<SyncStream, 'tmc'>, options: { overlapMs: number; maxRecords?: number }): Promise<PullOutcome> {
  const db = t.ctx.db.kysely;
  const row = await db.selectFrom('sync_streams').selectAll().where('shop_id', '=', t.shopId).where('stream', '=', stream).executeTakeFirstOrThrow();
  const cp = checkpointOf(row);
  const window = nextWindow(cp, t.ctx.clock.now(), { overlapMs: options.overlapMs });
  if (!window) return { window: null, records: 0 };
  let records = 0;
  for (let page = 1; ; page++) {
    const answer = stream === 'orders' ? await t.connector.listOrdersModified(window, page) : await t.connector.listRefundsModified(window, page);
    const wanted: string[] = [];
    const listed = answer.items.map((i) => (isUnreadable(i) ? null : 'platformOrderId' in i ? { id: i.platformOrderId, modifiedAt: i.modifiedAt } : { id: i.platformRefundId, modifiedAt: i.modifiedAt }));
    const known = await heldModified(t, stream, listed.filter((i) => i !== null).map((i) => i.id));
    for (const [k, item] of answer.items.entries()) {
      if (isUnreadable(item)) {
        await unreadable(t, 'pull', stream === 'orders' ? 'order' : 'refund', item.platformId ?? `page ${page} item ${k}`, item);
        continue;
      }
      const it = listed[k]!;
      // the list says when it changed: only what is not older than what shouhou holds is read in full
      // (a change within the same second as the one held is read again: TOP's times have whole seconds)
      if ((known.get(it.id) ?? '') > it.modifiedAt.toISOString()) continue;
      wanted.push(it.id);
    }
    records += stream === 'orders' ? await syncOrderBatch(t, wanted) : await syncRefundBatch(t, wanted);
    if (!answer.hasNext) break;
  }
  const next = afterWindow(cp, window);
  const now = t.ctx.clock.now();
  await db
    .updateTable('sync_streams')
    .set({
      watermark: next.watermark?.toISOString() ?? null,
      backfill_next: next.backfillNext?.toISOString() ?? null,
      backfill_done: next.backfillDone ? 1 : 0,
      windows_done: window.phase === 'backfill' ? row.windows_done + 1 : row.windows_done,
      records: row.records + records,
      ...(window.phase === 'backfill' && next.backfillDone ? { backfill_finished_at: now.toISOString() } : {}),
      last_ok_at: now.toISOString(),
      last_error: null,
      error_count: 0,
      updated_at: now.toISOString(),
    })
    .where('shop_id', '=', t.shopId)
    .where('stream', '=', stream)
    .execute();
  return { window, records };
}

/** How many reads a batch makes at once (each still waits for the shop's rate limit). */
const READ_CONCURRENCY = 8;
/**
 * Records applied per transaction: enough to spare a commit per record in a backfill, few enough that a
 * transaction (better-sqlite3 holds the process while it writes) does not hold back calls to the platform.
 */
const APPLY_CHUNK = 25;

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

async function readAll<T>(ids: string[], read: (id: string) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const i = next++;
      out[i] = await read(ids[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, ids.length) }, worker));
  return out;
}

/**
 * A page of orders: read (several at once), then applied in one transaction (one commit for the page, as a
 * backfill of thousands needs); if that transaction fails (an agent changed one meanwhile), each goes alone.
 */
async function syncOrderBatch(t: SyncTarget, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const orders = await readAll(ids, (id) => t.connector.getOrder(id));
  const readable: PlatformOrder[] = [];
  for (const [i, o] of orders.entries()) {
    if (o === null) continue;
    if (isUnreadable(o)) await unreadable(t, 'pull', 'order', ids[i]!, o);
    else readable.push(o);
  }
  let applied = 0;
  for (const chunk of chunks(readable, APPLY_CHUNK)) {
    try {
      applied += await t.ctx.db.kysely.transaction().execute(async (trx) => {
        let n = 0;
        const now = t.ctx.clock.now();
        for (const order of chunk) {
          const { outcome } = await applyPlatformOrder(trx, { shopId: t.shopId, source: t.source, order, now });
          await resolveProblemsOf(trx, { shopId: t.shopId, objectType: 'order', platformId: order.platformOrderId, now, by: 'sync' });
          if (outcome === 'created' || outcome === 'updated') n += 1;
        }
        return n;
      });
    } catch (e) {
      if (!(isAppError(e) && e.code === 'VERSION_CONFLICT')) throw e;
      for (const order of chunk) {
        const r = await syncOrder(t, order.platformOrderId, 'pull');
        if (r === 'created' || r === 'updated') applied += 1;
      }
    }
  }
  return applied;
}

/** A page of refunds: read several at once, their unknown orders brought in first, then applied in one transaction. */
async function syncRefundBatch(t: SyncTarget, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const refunds = await readAll(ids, (id) => t.connector.getRefund(id));
  const readable: PlatformRefund[] = [];
  for (const [i, r] of refunds.entries()) {
    if (r === null) continue;
    if (isUnreadable(r)) await unreadable(t, 'pull', 'refund', ids[i]!, r);
    else readable.push(r);
  }
  const orderIds = [...new Set(readable.map((r) => r.platformOrderId))];
  const held = new Set<string>();
  for (let i = 0; i < orderIds.length; i += 500) {
    const rows = await t.ctx.db.kysely.selectFrom('orders').select('order_no').where('shop_id', '=', t.shopId).where('order_no', 'in', orderIds.slice(i, i + 500)).execute();
    for (const r of rows) held.add(r.order_no);
  }
  await syncOrderBatch(t, orderIds.filter((id) => !held.has(id)));
  const missing: PlatformRefund[] = [];
  let applied = 0;
  for (const chunk of chunks(readable, APPLY_CHUNK)) {
    const missed: PlatformRefund[] = [];
    try {
      applied += await t.ctx.db.kysely.transaction().execute(async (trx) => {
        let n = 0;
        missed.length = 0;
        const now = t.ctx.clock.now();
        for (const refund of chunk) {
          const r = await applyPlatformRefund(trx, { shopId: t.shopId, source: t.source, refund, now });
          if (r.outcome === 'missing_order') {
            missed.push(refund);
            continue;
          }
          await resolveProblemsOf(trx, { shopId: t.shopId, objectType: 'refund', platformId: refund.platformRefundId, now, by: 'sync' });
          if (r.outcome === 'created' || r.outcome === 'updated') n += 1;
        }
        return n;
      });
      missing.push(...missed);
    } catch (e) {
      if (!(isAppError(e) && e.code === 'VERSION_CONFLICT')) throw e;
      for (const refund of chunk) {
        const r = await syncRefund(t, refund.platformRefundId, 'pull');
        if (r === 'created' || r === 'updated') applied += 1;
      }
    }
  }
  // an order that could not be brought in: the refund goes the single way, which files why
  for (const refund of missing) await syncRefund(t, refund.platformRefundId, 'pull');
  return applied;
}

/** What shouhou holds of these platform ids: their modified time. */
async function heldModified(t: SyncTarget, table: 'orders' | 'refunds', ids: string[]): Promise<Map<string, string>> {
  const held = new Map<string, string>();
  if (ids.length === 0) return held;
  const db = t.ctx.db.kysely;
  if (table === 'orders') {
    const rows = await db.selectFrom('orders').select(['order_no', 'platform_modified']).where('shop_id', '=', t.shopId).where('order_no', 'in', ids).execute();
    for (const r of rows) if (r.platform_modified) held.set(r.order_no, r.platform_modified);
  } else {
    const rows = await db.selectFrom('refunds').select(['platform_refund_id', 'platform_modified']).where('shop_id', '=', t.shopId).where('platform_refund_id', 'in', ids).execute();
    for (const r of rows) if (r.platform_refund_id && r.platform_modified) held.set(r.platform_refund_id, r.platform_modified);
  }
  return held;
}

/**
 * One round of TMC: consume, re-read and apply each object once, then confirm what was handled (after its
 * commit). A notice that cannot be used is filed as a sync problem and confirmed; a platform fault stops the
 * round, and what was not confirmed comes again.
 */
/**
 * Lanes a consumed batch is worked in (issue 16 §3): one trade's notices (its refunds' too) in their order in one
 * lane, different trades side by side, so a peak's notices no longer wait one at a time for the platform's answer
 * and their commit. Each notice is still read from the platform and applied through the one upsert path.
 */
const TMC_LANES = 4;

export async function consumeMessages(t: SyncTarget, options: { max: number }): Promise<{ received: number; applied: number }> {
  const messages = await t.connector.consume(options.max);
  const handled: string[] = [];
  const seen = new Map<string, SyncResult>();
  let applied = 0;
  const lanes = new Map<string, PlatformMessage[]>();
  for (const m of messages) {
    const key = m.platformOrderId ?? m.platformRefundId ?? m.id;
    const lane = lanes.get(key);
    if (lane) lane.push(m);
    else lanes.set(key, [m]);
  }
  const waiting = [...lanes.values()];
  let failure: { error: unknown } | null = null;
  const work = async () => {
    for (let lane = waiting.shift(); lane && !failure; lane = waiting.shift()) {
      for (const m of lane) {
        if (failure) return;
        try {
          const result = await handleMessage(t, m, seen);
          if (result === 'created' || result === 'updated') applied += 1;
          handled.push(m.id);
        } catch (e) {
          // the first failure stops the batch; what was handled is confirmed, the rest comes again
          failure ??= { error: e };
          return;
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(TMC_LANES, waiting.length) }, work));
  } finally {
    if (handled.length > 0) await t.connector.confirm(handled);
  }
  if (failure) throw (failure as { error: unknown }).error;
  // a consume that went through is a success, messages or not (an idle queue is written at most once a minute)
  const now = t.ctx.clock.now();
  let q = t.ctx.db.kysely
    .updateTable('sync_streams')
    .set((eb) => ({ records: eb('records', '+', applied), last_ok_at: now.toISOString(), last_error: null, error_count: 0, updated_at: now.toISOString() }))
    .where('shop_id', '=', t.shopId)
    .where('stream', '=', 'tmc');
  if (messages.length === 0) {
    const minuteAgo = new Date(now.getTime() - 60_000).toISOString();
    q = q.where((eb) => eb.or([eb('last_ok_at', 'is', null), eb('last_ok_at', '<', minuteAgo), eb('last_error', 'is not', null)]));
  }
  await q.execute();
  return { received: messages.length, applied };
}

async function handleMessage(t: SyncTarget, m: PlatformMessage, seen: Map<string, SyncResult>): Promise<SyncResult> {
  if (m.problem || m.kind === 'unknown') {
    await fileProblem(
      t.ctx.db.kysely,
      { shopId: t.shopId, source: 'tmc', code: 'unusable_message', objectType: 'message', platformId: m.id, message: `${m.topic}: ${m.problem ?? 'a topic shouhou does not handle'}`, payload: { id: m.id, topic: m.topic, content: m.raw } },
      t.ctx.clock.now(),
    );
    return 'problem';
  }
  const key = m.kind === 'refund' ? `r${m.platformRefundId}` : `o${m.platformOrderId}`;
  const done = seen.get(key);
  // the same object twice in one round (duplicated notices): it was just read as it is now
  if (done) return 'unchanged';
  let result: SyncResult;
  try {
    result = m.kind === 'refund' ? await syncRefund(t, m.platformRefundId!, 'tmc') : await syncOrder(t, m.platformOrderId!, 'tmc');
  } catch (e) {
    // the platform refused to give the object (not a fault of the platform itself): file it, go on
    if (isPlatformError(e) && e.kind === 'business') {
      await fileProblem(
        t.ctx.db.kysely,
        { shopId: t.shopId, source: 'tmc', code: 'read_refused', objectType: m.kind, platformId: (m.kind === 'refund' ? m.platformRefundId : m.platformOrderId) ?? m.id, message: e.platformMessage, payload: { topic: m.topic, content: m.raw } },
        t.ctx.clock.now(),
      );
      result = 'problem';
    } else {
      throw e;
    }
  }
  seen.set(key, result);
  return result;
}
