/**
 * Parcel tracking (issue 15 §3): the trace of a refund's outgoing parcel (the
 * order's shipment) and of its return parcel, from whichever source can tell.
 * A source is a ParcelTracker: the shop's platform (Taobao/Tmall's logistics
 * call, for the outgoing parcel of its own orders) and a courier-tracking
 * service over HTTP (SHOUHOU_PARCEL_TRACKING_URL, any parcel), asked in that
 * order. Answers are kept in memory for a few minutes; a source that fails
 * never makes the page fail: the answer says the trace is unavailable, and why.
 */
import { AppError } from '../core/errors.ts';
import type { Order } from '../core/refund/refund-model.ts';
import type { Actor } from '../core/roles.ts';
import { signedAtOf, summarizeTrace, makeTrace, type ParcelDirection, type Trace, type TraceSummary } from '../core/tracking/parcel-trace.ts';
import { findOrderById } from '../db/order-repository.ts';
import { findRefund } from '../db/refund-repository.ts';
import { isPlatformError } from '../platform/connector.ts';
import { CourierServiceError, fetchCourierTrace } from '../platform/courier/courier-service.ts';
import { assertOrderVisible, requirePermission } from './access.ts';
import type { AppContext } from './context.ts';
import { orderSource, recordSignedAtFromTrace } from './orders.ts';
import { activeBinding, connectorOf } from './platform/bindings.ts';

export type ParcelSource = 'platform' | 'courier_service';

export interface ParcelQuery {
  direction: ParcelDirection;
  courier: string;
  trackingNo: string;
  /** the platform's order id (TOP tid) when the order is a platform's; null for shouhou's own orders */
  platformOrderId: string | null;
}

/** A source of parcel traces: the platform, or a courier-tracking service. */
export interface ParcelTracker {
  source: ParcelSource;
  /** tells this source's answers apart in the cache (the shop and its binding's version, the service's URL) */
  cacheKey: string;
  /** whether it can be asked about this parcel at all */
  serves(query: ParcelQuery): boolean;
  /** the trace; null when the source knows nothing of the parcel (yet); throws when it cannot answer */
  trace(query: ParcelQuery): Promise<Trace | null>;
}

/**
 * Why there is no trace: no source can be asked about this parcel (none configured), the sources
 * know nothing of it yet, a source did not answer in time, the shop's platform authorisation
 * lapsed, or a source failed otherwise.
 */
export const parcelUnavailableCodes = ['no_source', 'not_found', 'timeout', 'unauthorized', 'failed'] as const;
export type ParcelUnavailableCode = (typeof parcelUnavailableCodes)[number];

export interface ParcelAnswer {
  source: ParcelSource | null;
  trace: Trace | null;
  unavailable: ParcelUnavailableCode | null;
}

/** How long the platform is waited for (its connector's own timeout is longer: it serves the sync too). */
const PLATFORM_TIMEOUT_MS = 8000;
/** Traces and "not known" are kept this long; failures a shorter while, so a source that is down is not asked on every view. */
const CACHE_MS = 5 * 60_000;
const FAILURE_CACHE_MS = 30_000;
const CACHE_SIZE = 1000;

type Outcome = { kind: 'trace'; trace: Trace } | { kind: 'none' } | { kind: 'failed'; code: Exclude<ParcelUnavailableCode, 'no_source' | 'not_found'> };

const caches = new WeakMap<object, Map<string, { until: number; outcome: Outcome }>>();

function cacheOf(ctx: AppContext): Map<string, { until: number; outcome: Outcome }> {
  let cache = caches.get(ctx.db);
  if (!cache) caches.set(ctx.db, (cache = new Map()));
  return cache;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CourierServiceError('timeout', `no answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function failureCode(e: unknown): Exclude<ParcelUnavailableCode, 'no_source' | 'not_found'> {
  if (e instanceof CourierServiceError) return e.kind === 'timeout' ? 'timeout' : 'failed';
  if (isPlatformError(e)) return e.kind === 'auth' ? 'unauthorized' : /timeout|timed out/i.test(e.message) ? 'timeout' : 'failed';
  return 'failed';
}

async function ask(ctx: AppContext, tracker: ParcelTracker, query: ParcelQuery): Promise<Outcome> {
  const cache = cacheOf(ctx);
  const key = [tracker.source, tracker.cacheKey, query.direction, query.courier, query.trackingNo, query.platformOrderId ?? ''].join('\u0000');
  const now = ctx.clock.now().getTime();
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.outcome;
  let outcome: Outcome;
  try {
    const trace = await tracker.trace(query);
    outcome = trace ? { kind: 'trace', trace } : { kind: 'none' };
  } catch (e) {
    outcome = { kind: 'failed', code: failureCode(e) };
  }
  cache.delete(key);
  cache.set(key, { until: now + (outcome.kind === 'failed' ? FAILURE_CACHE_MS : CACHE_MS), outcome });
  // the oldest entries go first (a Map keeps insertion order)
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return outcome;
}

/** Asks the trackers that serve the parcel, in order; the first trace wins. */
export async function traceWith(ctx: AppContext, trackers: readonly ParcelTracker[], query: ParcelQuery): Promise<ParcelAnswer> {
  let failure: ParcelUnavailableCode | null = null;
  let asked = false;
  for (const tracker of trackers) {
    if (!tracker.serves(query)) continue;
    asked = true;
    const outcome = await ask(ctx, tracker, query);
    if (outcome.kind === 'trace') return { source: tracker.source, trace: outcome.trace, unavailable: null };
    if (outcome.kind === 'failed') failure ??= outcome.code;
  }
  return { source: null, trace: null, unavailable: !asked ? 'no_source' : (failure ?? 'not_found') };
}

/** The shop's platform: the outgoing parcel of its own orders (taobao.logistics.trace.search); it does not track returns. */
export async function platformTracker(ctx: AppContext, shopId: number): Promise<ParcelTracker | null> {
  const binding = await activeBinding(ctx.db.kysely, shopId);
  if (!binding || binding.status !== 'active') return null;
  return {
    source: 'platform',
    cacheKey: `${binding.shopId}:${binding.version}`,
    serves: (q) => q.direction === 'outgoing' && q.platformOrderId !== null,
    async trace(q) {
      const found = await withTimeout(connectorOf(ctx, binding).traceParcel(q.platformOrderId as string), PLATFORM_TIMEOUT_MS);
      if (!found) return null;
      return makeTrace({
        courier: found.courier || q.courier,
        trackingNo: found.trackingNo || q.trackingNo,
        status: found.status,
        steps: found.steps.map((s) => ({ at: s.at, text: s.text })),
      });
    },
  };
}

/** A courier-tracking service (SHOUHOU_PARCEL_TRACKING_URL): any parcel with a courier and a number. */
export function courierServiceTracker(options: { url: string; timeoutMs: number; fetch?: typeof fetch }): ParcelTracker {
  return {
    source: 'courier_service',
    cacheKey: options.url,
    serves: (q) => q.courier.trim() !== '' && q.trackingNo.trim() !== '',
    trace: (q) => fetchCourierTrace({ baseUrl: options.url, timeoutMs: options.timeoutMs, fetch: options.fetch }, { courier: q.courier, trackingNo: q.trackingNo }),
  };
}

/** The shop's trackers, in the order they are asked: the platform first (its own words), then the courier service. */
export async function trackersFor(ctx: AppContext, shopId: number): Promise<ParcelTracker[]> {
  const out: ParcelTracker[] = [];
  const platform = await platformTracker(ctx, shopId);
  if (platform) out.push(platform);
  if (ctx.parcelTracking) out.push(courierServiceTracker(ctx.parcelTracking));
  return out;
}

export interface ParcelView extends ParcelAnswer {
  direction: ParcelDirection;
  courier: string;
  trackingNo: string;
  shippedAt: Date | null;
  summary: TraceSummary | null;
  checkedAt: Date;
}

export interface RefundParcels {
  /** the refund's reason is 未收到货: the last scan is what the agent looks at first */
  notReceived: boolean;
  /** the order's parcel to the buyer; null when it has not shipped */
  outgoing: ParcelView | null;
  /** the buyer's return parcel; null until the buyer enters it */
  return: ParcelView | null;
}

/** The refund and its order, as the actor may see them; the platform's order id when the order is a Taobao/Tmall one. */
async function refundWithOrder(ctx: AppContext, actor: Actor, refundId: number) {
  const db = ctx.db.kysely;
  const refund = await findRefund(db, { shopId: actor.shopId, refundId });
  if (!refund) throw new AppError('NOT_FOUND', `Refund ${refundId} was not found.`, {});
  const order = await findOrderById(db, { orderId: refund.orderId });
  assertOrderVisible(actor, order, `Refund ${refundId}`);
  const source = await orderSource(db, order.id);
  return { refund, order, platformOrderId: source === 'taobao' || source === 'tmall' ? order.orderNo : null };
}

/** The traces of a refund's outgoing and return parcels, for whoever may read the refund (staff of the shop, the buyer of the order). */
export async function refundParcels(ctx: AppContext, options: { actor: Actor; refundId: number }): Promise<RefundParcels> {
  const { actor } = options;
  requirePermission(actor, 'refund.read');
  const { refund, order, platformOrderId } = await refundWithOrder(ctx, actor, options.refundId);
  const trackers = await trackersFor(ctx, actor.shopId);

  const view = async (direction: ParcelDirection, parcel: { courier: string; trackingNo: string; shippedAt: Date | null } | null): Promise<ParcelView | null> => {
    if (!parcel || parcel.trackingNo.trim() === '') return null;
    const query: ParcelQuery = { direction, courier: parcel.courier, trackingNo: parcel.trackingNo, platformOrderId: direction === 'outgoing' ? platformOrderId : null };
    const answer = await traceWith(ctx, trackers, query);
    const now = ctx.clock.now();
    return {
      direction,
      courier: parcel.courier,
      trackingNo: parcel.trackingNo,
      shippedAt: parcel.shippedAt,
      ...answer,
      summary: answer.trace ? summarizeTrace(answer.trace, now) : null,
      checkedAt: now,
    };
  };
  const [outgoing, back] = await Promise.all([view('outgoing', order.shipment), view('return', refund.returnShipment)]);
  return { notReceived: refund.reason === 'not_received', outgoing, return: back };
}

/** a courier's clock may run ahead of ours by this much; a scan later than that is not believed */
const CLOCK_SKEW_MS = 10 * 60_000;
const sameNumber = (trackingNo: string) => trackingNo.trim().toUpperCase();

export interface SignFromTraceAnswer {
  order: Order;
  signedAt: Date;
  /** false: the order already had its sign time (nothing written) */
  recorded: boolean;
}

/**
 * S1.15 (refusing needs the sign time first): the order's sign time from the trace of the refund's
 * outgoing parcel, when the trace says it was signed for. TOP tells a sign time only for
 * TRADE_BUYER_SIGNED, so for a Taobao order waiting for the buyer's confirmation the trace is where
 * the agent finds it. Refused in words when there is no parcel, no trace, or the parcel was not signed for.
 */
export async function recordSignFromTrace(ctx: AppContext, options: { actor: Actor; refundId: number }): Promise<SignFromTraceAnswer> {
  const { actor } = options;
  requirePermission(actor, 'order.sign');
  const { refund, order, platformOrderId } = await refundWithOrder(ctx, actor, options.refundId);
  const parcel = order.shipment;
  if (!parcel || parcel.trackingNo.trim() === '') {
    throw new AppError('ACTION_NOT_ALLOWED', `Order ${order.orderNo} has no parcel to the buyer with a tracking number.`, { reason: 'no_outgoing_parcel' });
  }
  if (parcel.signedAt) return { order, signedAt: parcel.signedAt, recorded: false };
  const query: ParcelQuery = { direction: 'outgoing', courier: parcel.courier, trackingNo: parcel.trackingNo, platformOrderId };
  const answer = await traceWith(ctx, await trackersFor(ctx, actor.shopId), query);
  if (!answer.trace) {
    throw new AppError('ACTION_NOT_ALLOWED', `The parcel ${parcel.trackingNo} has no trace to read the sign time from (${answer.unavailable}).`, {
      reason: 'no_trace',
      unavailable: answer.unavailable,
    });
  }
  // the platform's trace is asked by the order: it must be this parcel's
  if (answer.trace.trackingNo !== '' && sameNumber(answer.trace.trackingNo) !== sameNumber(parcel.trackingNo)) {
    throw new AppError('ACTION_NOT_ALLOWED', `The trace is of parcel ${answer.trace.trackingNo}, not of the order's ${parcel.trackingNo}.`, {
      reason: 'parcel_mismatch',
      traceTrackingNo: answer.trace.trackingNo,
    });
  }
  const signedAt = signedAtOf(answer.trace);
  if (!answer.trace.delivered || !signedAt) {
    throw new AppError('ACTION_NOT_ALLOWED', `The trace of parcel ${parcel.trackingNo} does not say when it was signed for.`, {
      reason: answer.trace.delivered ? 'sign_time_unknown' : 'parcel_not_signed',
    });
  }
  if (signedAt < parcel.shippedAt) {
    throw new AppError('ACTION_NOT_ALLOWED', `The trace says signed for at ${signedAt.toISOString()}, before the order was shipped (${parcel.shippedAt.toISOString()}).`, {
      reason: 'signed_before_shipped',
    });
  }
  if (signedAt.getTime() > ctx.clock.now().getTime() + CLOCK_SKEW_MS) {
    throw new AppError('ACTION_NOT_ALLOWED', `The trace says signed for at ${signedAt.toISOString()}, in the future.`, { reason: 'sign_time_in_future' });
  }
  const signing = [...answer.trace.steps].reverse().find((s) => s.at?.getTime() === signedAt.getTime());
  const result = await recordSignedAtFromTrace(ctx, {
    actor,
    orderNo: order.orderNo,
    parcel: { courier: parcel.courier, trackingNo: parcel.trackingNo },
    signedAt,
    evidence: {
      refundId: refund.id,
      traceSource: answer.source,
      courier: answer.trace.courier,
      trackingNo: answer.trace.trackingNo,
      scan: signing?.text ?? '',
      scanAt: signedAt.toISOString(),
    },
  });
  return { order: result.order, signedAt: result.order.shipment?.signedAt ?? signedAt, recorded: result.recorded };
}

