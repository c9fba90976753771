import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WINDOW_MS, backoffMs, createRateLimiter, rateLimiterFor } from './rate-limit.ts';

describe('createRateLimiter (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-03-01T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** acquires `n` times and records, for each, the fake clock when it was granted (ms since start) */
  function track(limiter: { acquire(): Promise<void> }, n: number): number[] {
    const start = Date.now();
    const granted: number[] = [];
    for (let i = 0; i < n; i++) void limiter.acquire().then(() => granted.push(Date.now() - start));
    return granted;
  }

  it('3/s: three at once, the fourth a window (a second and a fifth, for the way to TOP) after the first', async () => {
    const limiter = createRateLimiter(3);
    const granted = track(limiter, 4);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(WINDOW_MS - 1);
    expect(granted).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toEqual([0, 0, 0, WINDOW_MS]);
    expect(WINDOW_MS).toBeGreaterThan(1000);
  });

  it('never more than N in any rolling second, whatever the arrival pattern', async () => {
    const limiter = createRateLimiter(3);
    const granted: number[] = [];
    const start = Date.now();
    const ask = () => void limiter.acquire().then(() => granted.push(Date.now() - start));
    ask();
    await vi.advanceTimersByTimeAsync(300);
    ask();
    ask();
    await vi.advanceTimersByTimeAsync(300);
    for (let i = 0; i < 7; i++) ask();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(granted).toHaveLength(10);
    expect(granted.slice(0, 4)).toEqual([0, 300, 300, WINDOW_MS]);
    for (let i = 3; i < granted.length; i++) expect((granted[i] as number) - (granted[i - 3] as number)).toBeGreaterThanOrEqual(1000);
  });

  it('serves callers in the order they asked', async () => {
    const limiter = createRateLimiter(1);
    const order: number[] = [];
    for (let i = 0; i < 4; i++) void limiter.acquire().then(() => order.push(i));
    await vi.advanceTimersByTimeAsync(3 * WINDOW_MS);
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('a lower rate applies to those still waiting', async () => {
    const limiter = createRateLimiter(5);
    const granted = track(limiter, 7);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(5);
    limiter.setRate(2);
    await vi.advanceTimersByTimeAsync(WINDOW_MS - 1);
    expect(granted).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(1);
    // the five of t=0 leave the window; two may go in the window that follows
    expect(granted).toEqual([0, 0, 0, 0, 0, WINDOW_MS, WINDOW_MS]);
  });

  it('refuses a rate that is not a whole positive number', () => {
    for (const bad of [0, -1, 1.5, NaN]) expect(() => createRateLimiter(bad)).toThrow();
  });
});

describe('rateLimiterFor', () => {
  it('gives one instance per app key, and a new rate updates it', () => {
    const a = rateLimiterFor('app-key-rl-test-1', 3);
    const again = rateLimiterFor('app-key-rl-test-1', 3);
    const other = rateLimiterFor('app-key-rl-test-2', 3);
    expect(again).toBe(a);
    expect(other).not.toBe(a);
    const changed = rateLimiterFor('app-key-rl-test-1', 7);
    expect(changed).toBe(a);
    expect(a.perSecond).toBe(7);
  });
});

describe('backoffMs', () => {
  it('full jitter between 0 and base·2^attempt, capped', () => {
    expect(backoffMs(0, { baseMs: 500, random: () => 0.999999 })).toBe(499);
    expect(backoffMs(3, { baseMs: 500, random: () => 0.5 })).toBe(2000);
    expect(backoffMs(3, { baseMs: 500, random: () => 0 })).toBe(0);
    expect(backoffMs(20, { baseMs: 500, maxMs: 30_000, random: () => 0.999999 })).toBe(29_999);
    expect(backoffMs(10_000, { baseMs: 500, maxMs: 30_000, random: () => 0.5 })).toBe(15_000);
  });

  it('never below what the platform said the ban lasts, even above the cap', () => {
    expect(backoffMs(0, { retryAfterMs: 7_000, random: () => 0.5 })).toBe(7_000);
    expect(backoffMs(20, { maxMs: 30_000, retryAfterMs: 1_000, random: () => 0.5 })).toBe(15_000);
    expect(backoffMs(0, { maxMs: 30_000, retryAfterMs: 120_000, random: () => 1 })).toBe(120_000);
    expect(backoffMs(2, { retryAfterMs: null, random: () => 0 })).toBe(0);
  });

  it('treats odd attempts as the first retry and stays within bounds for any random()', () => {
    for (const attempt of [-1, NaN, Infinity]) {
      const ms = backoffMs(attempt, { baseMs: 100, maxMs: 1000, random: () => 0.5 });
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(1000);
    }
    expect(backoffMs(1, { baseMs: 100, random: () => 5 })).toBe(200);
    expect(backoffMs(1, { baseMs: 100, random: () => -5 })).toBe(0);
  });
});
