import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterWindow, backfillWindowCount, DAY_MS, nextWindow, type StreamCheckpoint } from './sync-windows.ts';

const t = (iso: string) => new Date(iso);

describe('issue 12 §3: pull windows', () => {
  it('a backfill walks from the oldest day forward, a day at a time, then pulls incrementally from before the watermark', () => {
    let cp: StreamCheckpoint = { watermark: null, backfillFrom: t('2026-09-01T00:00:00Z'), backfillTo: t('2026-09-03T12:00:00Z'), backfillNext: null, backfillDone: false };
    const now = t('2026-09-03T12:00:00Z');
    const seen = [];
    for (let i = 0; i < 10; i++) {
      const w = nextWindow(cp, now, { overlapMs: 300_000 });
      if (!w || w.phase === 'incremental') break;
      seen.push([w.from.toISOString(), w.to.toISOString()]);
      cp = afterWindow(cp, w);
    }
    expect(seen).toEqual([
      ['2026-09-01T00:00:00.000Z', '2026-09-02T00:00:00.000Z'],
      ['2026-09-02T00:00:00.000Z', '2026-09-03T00:00:00.000Z'],
      ['2026-09-03T00:00:00.000Z', '2026-09-03T12:00:00.000Z'],
    ]);
    expect(backfillWindowCount(t('2026-09-01T00:00:00Z'), t('2026-09-03T12:00:00Z'))).toBe(3);
    expect(cp.backfillDone).toBe(true);
    expect(cp.watermark).toEqual(t('2026-09-03T12:00:00Z'));
    // nothing new yet: no call
    expect(nextWindow(cp, now, { overlapMs: 300_000 })).toBeNull();
    const later = t('2026-09-03T12:10:00Z');
    expect(nextWindow(cp, later, { overlapMs: 300_000 })).toEqual({ from: t('2026-09-03T11:55:00Z'), to: later, phase: 'incremental' });
  });

  it('every window is at most a day, windows cover the time without gaps, and the watermark never moves back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 * DAY_MS }), fc.array(fc.integer({ min: 1, max: 3 * DAY_MS }), { maxLength: 20 }), (span, steps) => {
        const from = t('2026-06-01T00:00:00Z');
        let now = new Date(from.getTime() + span);
        let cp: StreamCheckpoint = { watermark: null, backfillFrom: from, backfillTo: now, backfillNext: null, backfillDone: span === 0 };
        let covered = from.getTime();
        for (let i = 0; i < 100; i++) {
          const w = nextWindow(cp, now, { overlapMs: 60_000 });
          if (!w) {
            const step = steps.shift();
            if (step === undefined) break;
            now = new Date(now.getTime() + step);
            continue;
          }
          expect(w.to.getTime() - w.from.getTime()).toBeLessThanOrEqual(DAY_MS);
          expect(w.from.getTime()).toBeLessThanOrEqual(covered);
          covered = Math.max(covered, w.to.getTime());
          const before = cp.watermark;
          cp = afterWindow(cp, w);
          if (before && cp.watermark) expect(cp.watermark.getTime()).toBeGreaterThanOrEqual(before.getTime());
        }
      }),
    );
  });
});
