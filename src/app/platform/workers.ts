/**
 * The background work of connected shops (issue 12): per shop, the pull of
 * orders and of refunds (backfill, then every few minutes), the TMC consumer,
 * and the outbox. Any number of server processes run it: a stream is worked
 * by the process holding its lease (a conditional update on its row), outbox
 * rows are claimed with FOR UPDATE SKIP LOCKED on PostgreSQL. A revoked or
 * unauthorised binding stops its shop's work; a platform fault backs off.
 */
import { isPlatformError } from '../../platform/connector.ts';
import { backoffMs } from '../../platform/taobao/rate-limit.ts';
import type { AppContext } from '../context.ts';
import { activeBinding, connectorOf, markNeedsReauth, type SyncStream } from './bindings.ts';
import { deliverOutbox } from './outbox.ts';
import { fileProblem } from './problems.ts';
import { consumeMessages, pullWindow, type SyncTarget } from './sync.ts';

export interface PlatformWorkOptions {
  /** this process's name in leases */
  owner: string;
  /** the incremental pull's period (default 5 minutes) */
  pullIntervalMs?: number;
  /** how long TMC waits after an empty consume (default 2 s) */
  tmcIdleMs?: number;
  /** how far an incremental window reaches back before the watermark (default 5 minutes) */
  overlapMs?: number;
  /** how long a stream's lease holds (default 2 minutes; renewed at every window) */
  leaseMs?: number;
  /** how long one stream keeps its turn while backfilling (default 10 s) */
  sliceMs?: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

const defaults = { pullIntervalMs: 5 * 60_000, tmcIdleMs: 2000, overlapMs: 5 * 60_000, leaseMs: 2 * 60_000, sliceMs: 10_000 };

/**
 * Which work a round does: 'messages' is the outbox and TMC (what a person waits for: a decision reaching the
 * platform, a buyer's change reaching the queue), 'pulls' the orders' and refunds' pulls (backfill and the
 * periodic catch-up, which can read thousands of records), 'all' both in turn.
 */
export type PlatformWorkKind = 'all' | 'messages' | 'pulls';

/** One round of everything that is due, on every connected shop: outbox deliveries, then due streams. */
export async function runDuePlatformWork(ctx: AppContext, options: PlatformWorkOptions & { kind?: PlatformWorkKind }): Promise<{ delivered: number; streams: number }> {
  const o = { ...defaults, ...options };
  const kind = options.kind ?? 'all';
  let delivered = 0;
  while (kind !== 'pulls') {
    const n = await deliverOutbox(ctx, { owner: o.owner, leaseMs: o.leaseMs });
    delivered += n;
    if (n === 0) break;
  }
  const now = ctx.clock.now().toISOString();
  let dueQuery = ctx.db.kysely
    .selectFrom('sync_streams')
    .innerJoin('shop_bindings', 'shop_bindings.shop_id', 'sync_streams.shop_id')
    .select(['sync_streams.shop_id', 'sync_streams.stream'])
    .where('shop_bindings.status', '=', 'active')
    .where('sync_streams.next_run_at', '<=', now)
    .where((eb) => eb.or([eb('sync_streams.lease_until', 'is', null), eb('sync_streams.lease_until', '<', now)]));
  if (kind === 'messages') dueQuery = dueQuery.where('sync_streams.stream', '=', 'tmc');
  if (kind === 'pulls') dueQuery = dueQuery.where('sync_streams.stream', '!=', 'tmc');
  const due = await dueQuery.orderBy('sync_streams.next_run_at').limit(20).execute();
  let streams = 0;
  for (const d of due) {
    if (await runStream(ctx, d.shop_id, d.stream as SyncStream, o)) streams += 1;
  }
  return { delivered, streams };
}

async function takeLease(ctx: AppContext, shopId: number, stream: SyncStream, owner: string, leaseMs: number): Promise<boolean> {
  const now = ctx.clock.now();
  const result = await ctx.db.kysely
    .updateTable('sync_streams')
    .set({ lease_owner: owner, lease_until: new Date(now.getTime() + leaseMs).toISOString() })
    .where('shop_id', '=', shopId)
    .where('stream', '=', stream)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString()), eb('lease_owner', '=', owner)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function releaseLease(ctx: AppContext, shopId: number, stream: SyncStream, owner: string, set: { next_run_at: string; last_error?: string | null; error_count?: number }): Promise<void> {
  await ctx.db.kysely
    .updateTable('sync_streams')
    .set({ ...set, lease_owner: null, lease_until: null, updated_at: ctx.clock.now().toISOString() })
    .where('shop_id', '=', shopId)
    .where('stream', '=', stream)
    .where('lease_owner', '=', owner)
    .execute();
}

/** Works one stream of one shop for a slice of time; false when another process holds it. */
async function runStream(ctx: AppContext, shopId: number, stream: SyncStream, o: typeof defaults & PlatformWorkOptions): Promise<boolean> {
  if (!(await takeLease(ctx, shopId, stream, o.owner, o.leaseMs))) return false;
  const started = Date.now();
  let nextRunMs = o.pullIntervalMs;
  try {
    const binding = await activeBinding(ctx.db.kysely, shopId);
    if (!binding) {
      await releaseLease(ctx, shopId, stream, o.owner, { next_run_at: new Date(ctx.clock.now().getTime() + 60_000).toISOString() });
      return true;
    }
    const target: SyncTarget = { ctx, shopId, connector: connectorOf(ctx, binding), source: binding.platform };
    if (stream === 'tmc') {
      const { received } = await consumeMessages(target, { max: 100 });
      nextRunMs = received > 0 ? 0 : o.tmcIdleMs;
    } else {
      for (;;) {
        const { window } = await pullWindow(target, stream, { overlapMs: o.overlapMs });
        if (!window) break;
        if (window.phase === 'incremental') break;
        // still backfilling: keep the turn for a slice, renewing the lease, then let other shops have theirs
        if (Date.now() - started > o.sliceMs) {
          nextRunMs = 0;
          break;
        }
        await takeLease(ctx, shopId, stream, o.owner, o.leaseMs);
      }
    }
    await releaseLease(ctx, shopId, stream, o.owner, { next_run_at: new Date(ctx.clock.now().getTime() + nextRunMs).toISOString() });
  } catch (e) {
    await failStream(ctx, shopId, stream, o, e);
  }
  return true;
}

async function failStream(ctx: AppContext, shopId: number, stream: SyncStream, o: typeof defaults & PlatformWorkOptions, e: unknown): Promise<void> {
  const row = await ctx.db.kysely.selectFrom('sync_streams').select('error_count').where('shop_id', '=', shopId).where('stream', '=', stream).executeTakeFirst();
  const errors = (row?.error_count ?? 0) + 1;
  const now = ctx.clock.now();
  const message = isPlatformError(e) ? e.platformMessage || e.message : e instanceof Error ? e.message : String(e);
  let waitMs = backoffMs(errors - 1, { baseMs: 2000, maxMs: 10 * 60_000, retryAfterMs: isPlatformError(e) ? e.retryAfterMs : null });
  if (isPlatformError(e) && e.kind === 'auth') {
    // the seller's authorisation ended: every worker of the shop pauses until an admin re-authorises
    await markNeedsReauth(ctx, shopId, message);
    await fileProblem(ctx.db.kysely, { shopId, source: 'binding', code: 'needs_reauth', objectType: null, platformId: null, message: `The platform refused the session key: ${message}`, payload: { code: e.code, sub_code: e.subCode } }, now);
  } else if (isPlatformError(e) && e.kind === 'business') {
    // the platform refuses the call itself (a person must look): not retried in a tight loop
    await fileProblem(ctx.db.kysely, { shopId, source: stream === 'tmc' ? 'tmc' : 'pull', code: 'call_refused', objectType: null, platformId: `${stream}:${e.subCode ?? e.code}`, message, payload: { code: e.code, sub_code: e.subCode } }, now);
    waitMs = Math.max(waitMs, o.pullIntervalMs);
  } else if (!isPlatformError(e)) {
    o.log?.error({ err: e, shopId, stream }, 'platform sync failed');
  }
  await releaseLease(ctx, shopId, stream, o.owner, { next_run_at: new Date(now.getTime() + waitMs).toISOString(), last_error: message.slice(0, 500), error_count: errors });
}

/**
 * Runs the work in this process until stopped, in two loops side by side, each a short round every `tickMs`:
 * the outbox and TMC in one, the pulls in the other, so that a pull reading thousands of records (the
 * five-minute catch-up at a peak, a backfill's slice) never holds back a decision on its way to the platform
 * or a buyer's change on its way to the queue (issue 16 §3: at 50 refunds/s a pull's turn held a process's
 * TMC and outbox for most of a minute). On SQLite the two loops still write one at a time.
 */
export function startPlatformWorkers(ctx: AppContext, options: PlatformWorkOptions & { tickMs?: number }): { stop(): Promise<void> } {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  const loop = (kind: PlatformWorkKind) => {
    const round = () => {
      if (stopped) return;
      let again = false;
      const work: Promise<unknown> = runDuePlatformWork(ctx, { ...options, kind })
        // a TMC round that found its stream due goes again at once: a busy queue is consumed batch after
        // batch (an empty consume makes the stream due only after tmcIdleMs, so an idle queue is not polled hot)
        .then((r) => (again = kind === 'messages' && r.streams > 0))
        .catch((err: unknown) => options.log?.error({ err, kind }, 'platform work failed'))
        .finally(() => {
          running.delete(work);
          if (!stopped) {
            const timer = setTimeout(
              () => {
                timers.delete(timer);
                round();
              },
              again ? 0 : (options.tickMs ?? 1000),
            );
            timers.add(timer);
          }
        });
      running.add(work);
    };
    const first = setTimeout(() => {
      timers.delete(first);
      round();
    }, 0);
    timers.add(first);
  };
  loop('messages');
  loop('pulls');
  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all([...running]);
    },
  };
}
