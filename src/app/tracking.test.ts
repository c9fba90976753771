/** The trackers asked in order, the cache and the words for a missing trace (issue 15 §3), with fake sources. */
import { describe, expect, it } from 'vitest';
import { makeTrace, type Trace } from '../core/tracking/parcel-trace.ts';
import { PlatformError } from '../platform/connector.ts';
import { CourierServiceError } from '../platform/courier/courier-service.ts';
import { SettableClock, type AppContext } from './context.ts';
import { traceWith, type ParcelQuery, type ParcelTracker } from './tracking.ts';

const trace = (text: string): Trace => makeTrace({ courier: '中通快递', trackingNo: '75', status: '运输中', steps: [{ at: new Date('2026-11-02T00:00:00Z'), text }] });

function fakeContext(): AppContext & { clock: SettableClock } {
  const clock = new SettableClock();
  clock.set(new Date('2026-11-02T02:00:00Z'));
  // the cache is kept per database: any object stands for one here
  return { db: {} as AppContext['db'], clock, calendar: {} as AppContext['calendar'] };
}

function tracker(source: ParcelTracker['source'], answers: (() => Promise<Trace | null>)[], serves = true): ParcelTracker & { calls: number } {
  const t = {
    source,
    cacheKey: source,
    calls: 0,
    serves: () => serves,
    trace: () => {
      const next = answers[Math.min(t.calls, answers.length - 1)]!;
      t.calls += 1;
      return next();
    },
  };
  return t;
}

const outgoing: ParcelQuery = { direction: 'outgoing', courier: '中通快递', trackingNo: '75', platformOrderId: '4012' };

describe('parcel trackers (issue 15 §3)', () => {
  it('15.3 no tracker serves the parcel: no_source', async () => {
    const ctx = fakeContext();
    expect(await traceWith(ctx, [], outgoing)).toEqual({ source: null, trace: null, unavailable: 'no_source' });
    expect(await traceWith(ctx, [tracker('platform', [async () => trace('x')], false)], outgoing)).toMatchObject({ unavailable: 'no_source' });
  });

  it('15.3 the first trace wins; a source that does not know the parcel passes it on; the platform failing falls back to the courier service', async () => {
    const ctx = fakeContext();
    const platform = tracker('platform', [async () => null]);
    const service = tracker('courier_service', [async () => trace('到达杭州')]);
    expect(await traceWith(ctx, [platform, service], outgoing)).toMatchObject({ source: 'courier_service', trace: { steps: [{ text: '到达杭州' }] }, unavailable: null });
    const failing = tracker('platform', [
      async () => {
        throw new PlatformError({ kind: 'retriable', code: 'http_500', message: 'HTTP 500' });
      },
    ]);
    failing.cacheKey = 'other-shop';
    expect(await traceWith(ctx, [failing, service], { ...outgoing, trackingNo: '76' })).toMatchObject({ source: 'courier_service', unavailable: null });
  });

  it('15.3 failures become words, never errors: timeout, the platform authorisation, anything else; not known by anyone: not_found', async () => {
    const ctx = fakeContext();
    const fails = (e: unknown) => tracker('courier_service', [() => Promise.reject(e)]);
    expect((await traceWith(ctx, [fails(new CourierServiceError('timeout', 'no answer'))], { ...outgoing, trackingNo: 'a' })).unavailable).toBe('timeout');
    expect((await traceWith(ctx, [fails(new PlatformError({ kind: 'auth', code: '27', message: 'session expired' }))], { ...outgoing, trackingNo: 'b' })).unavailable).toBe('unauthorized');
    expect((await traceWith(ctx, [fails(new Error('boom'))], { ...outgoing, trackingNo: 'c' })).unavailable).toBe('failed');
    expect((await traceWith(ctx, [tracker('platform', [async () => null])], { ...outgoing, trackingNo: 'd' })).unavailable).toBe('not_found');
    // a failure says more than another source's "not known"
    expect((await traceWith(ctx, [tracker('platform', [async () => null]), fails(new Error('boom'))], { ...outgoing, trackingNo: 'e' })).unavailable).toBe('failed');
  });

  it('15.3 answers are kept five minutes, failures thirty seconds, by the context\'s clock', async () => {
    const ctx = fakeContext();
    const service = tracker('courier_service', [async () => trace('一'), async () => trace('二')]);
    const q = { ...outgoing, trackingNo: 'cache-1' };
    expect((await traceWith(ctx, [service], q)).trace?.steps[0]?.text).toBe('一');
    ctx.clock.set(new Date('2026-11-02T02:04:00Z'));
    expect((await traceWith(ctx, [service], q)).trace?.steps[0]?.text).toBe('一');
    expect(service.calls).toBe(1);
    ctx.clock.set(new Date('2026-11-02T02:05:30Z'));
    expect((await traceWith(ctx, [service], q)).trace?.steps[0]?.text).toBe('二');
    expect(service.calls).toBe(2);

    const flaky = tracker('courier_service', [() => Promise.reject(new Error('down')), async () => trace('好了')]);
    flaky.cacheKey = 'flaky';
    const q2 = { ...outgoing, trackingNo: 'cache-2' };
    expect((await traceWith(ctx, [flaky], q2)).unavailable).toBe('failed');
    ctx.clock.set(new Date('2026-11-02T02:05:50Z'));
    expect((await traceWith(ctx, [flaky], q2)).unavailable).toBe('failed');
    ctx.clock.set(new Date('2026-11-02T02:06:01Z'));
    expect((await traceWith(ctx, [flaky], q2)).trace?.steps[0]?.text).toBe('好了');
    expect(flaky.calls).toBe(2);
  });

  it('15.3 the cache holds at most a thousand answers, the oldest going first', async () => {
    const ctx = fakeContext();
    const service = tracker('courier_service', [async () => trace('x')]);
    for (let i = 0; i < 1001; i++) await traceWith(ctx, [service], { ...outgoing, trackingNo: `n${i}` });
    expect(service.calls).toBe(1001);
    await traceWith(ctx, [service], { ...outgoing, trackingNo: 'n1000' });
    expect(service.calls).toBe(1001);
    await traceWith(ctx, [service], { ...outgoing, trackingNo: 'n0' });
    expect(service.calls).toBe(1002);
  });
});
