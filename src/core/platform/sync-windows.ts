/**
 * Which window of modified times a pull asks the platform for next (issue 12 §3).
 * The first binding backfills [from, to) in windows of at most a day, oldest
 * first, resumable from `backfillNext` after a crash; then each incremental
 * pull asks from a little before the watermark (windows overlap, so a change
 * written late on the platform is not missed) up to now, at most a day at a time.
 */

export const DAY_MS = 86_400_000;

export interface StreamCheckpoint {
  /** everything modified before it has been pulled */
  watermark: Date | null;
  backfillFrom: Date | null;
  backfillTo: Date | null;
  /** the start of the next backfill window; null before the first */
  backfillNext: Date | null;
  backfillDone: boolean;
}

export interface PullWindow {
  from: Date;
  to: Date;
  phase: 'backfill' | 'incremental';
}

export interface WindowOptions {
  /** how far before the watermark an incremental window starts */
  overlapMs: number;
  /** the platform's longest window (TOP: one day) */
  maxWindowMs?: number;
}

/** The next window to pull, or null when there is nothing to ask yet (the watermark is at now). */
export function nextWindow(cp: StreamCheckpoint, now: Date, options: WindowOptions): PullWindow | null {
  const max = options.maxWindowMs ?? DAY_MS;
  if (!cp.backfillDone && cp.backfillFrom && cp.backfillTo) {
    const from = cp.backfillNext ?? cp.backfillFrom;
    if (from < cp.backfillTo) return { from, to: new Date(Math.min(from.getTime() + max, cp.backfillTo.getTime())), phase: 'backfill' };
  }
  const watermark = cp.watermark ?? cp.backfillTo ?? now;
  const from = new Date(Math.max(watermark.getTime() - options.overlapMs, 0));
  const to = new Date(Math.min(now.getTime(), from.getTime() + max));
  if (to <= from || to <= watermark) return null;
  return { from, to, phase: 'incremental' };
}

/** The checkpoint once a window has been pulled in full. */
export function afterWindow(cp: StreamCheckpoint, window: PullWindow): StreamCheckpoint {
  if (window.phase === 'backfill') {
    const done = cp.backfillTo !== null && window.to >= cp.backfillTo;
    return { ...cp, backfillNext: window.to, backfillDone: done, watermark: done ? (cp.backfillTo ?? window.to) : cp.watermark };
  }
  return { ...cp, watermark: cp.watermark && cp.watermark > window.to ? cp.watermark : window.to };
}

/** How many windows a backfill takes. */
export function backfillWindowCount(from: Date, to: Date, maxWindowMs = DAY_MS): number {
  return Math.max(0, Math.ceil((to.getTime() - from.getTime()) / maxWindowMs));
}
