/**
 * Call-rate limiting and retry spacing for TOP. TOP counts calls per app key (code 7,
 * App Call Limited, bans the key for a while), so every worker of a process that uses one
 * app key shares one limiter: `rateLimiterFor(appKey, perSecond)`.
 */

export interface RateLimiter {
  /** Resolves when one more call may start; callers are served in the order they asked. */
  acquire(): Promise<void>;
}

export interface SlidingWindowLimiter extends RateLimiter {
  readonly perSecond: number;
  /** Changes the rate; waiting callers see it the next time they look. */
  setRate(perSecond: number): void;
}

/**
 * The window the limiter keeps: a fifth longer than TOP's second, because TOP counts calls as they arrive, and a
 * call granted now may leave a little later (the network, or the process busy with a database write); so the
 * platform never sees more than the rate in any second of its own.
 */
export const WINDOW_MS = 1_200;

function checkRate(perSecond: number): number {
  if (!Number.isSafeInteger(perSecond) || perSecond < 1) throw new Error(`a call rate is a whole number of calls per second (at least 1), not ${perSecond}`);
  return perSecond;
}

/**
 * At most `perSecond` acquisitions in any rolling one-second window (a sliding log of the
 * last starts): the (N+1)th waits until a second has passed since the first of the last N.
 */
export function createRateLimiter(perSecond: number, options: { now?: () => number } = {}): SlidingWindowLimiter {
  const now = options.now ?? (() => Date.now());
  let rate = checkRate(perSecond);
  /** start times of the most recent acquisitions, oldest first (at most `rate` kept) */
  const starts: number[] = [];
  /** callers queue behind one another so that the order of asking is the order of serving */
  let tail: Promise<void> = Promise.resolve();

  async function take(): Promise<void> {
    for (;;) {
      const t = now();
      while (starts.length > 0 && (starts[0] as number) <= t - WINDOW_MS) starts.shift();
      if (starts.length < rate) {
        starts.push(t);
        return;
      }
      // the oldest start within the window leaves it at starts[length - rate] + 1s
      const leaves = (starts[starts.length - rate] as number) + WINDOW_MS;
      await new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, leaves - t)));
    }
  }

  return {
    get perSecond() {
      return rate;
    },
    setRate(perSecond: number) {
      rate = checkRate(perSecond);
    },
    acquire() {
      const turn = tail.then(take);
      tail = turn.catch(() => undefined);
      return turn;
    },
  };
}

const shared = new Map<string, SlidingWindowLimiter>();

/**
 * The one limiter of an app key in this process (created on first use). Asking again with
 * another rate changes the shared limiter's rate.
 */
export function rateLimiterFor(appKey: string, perSecond: number): SlidingWindowLimiter {
  const existing = shared.get(appKey);
  if (existing) {
    if (existing.perSecond !== perSecond) existing.setRate(perSecond);
    return existing;
  }
  const created = createRateLimiter(perSecond);
  shared.set(appKey, created);
  return created;
}

/**
 * How long to wait before retry number `attempt` (0 for the first retry): exponential backoff
 * with full jitter, a random time between 0 and min(maxMs, baseMs·2^attempt); never less than
 * `retryAfterMs` when the platform said how long its ban lasts (that wins over the cap:
 * calling sooner only fails again).
 */
export function backoffMs(
  attempt: number,
  options: { baseMs?: number; maxMs?: number; retryAfterMs?: number | null; random?: () => number } = {},
): number {
  const baseMs = options.baseMs ?? 500;
  const maxMs = options.maxMs ?? 60_000;
  const random = options.random ?? Math.random;
  const n = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(n, 1_000));
  const r = Math.min(Math.max(random(), 0), 1);
  const jittered = Math.floor(r * ceiling);
  const floor = options.retryAfterMs != null && options.retryAfterMs > 0 ? Math.ceil(options.retryAfterMs) : 0;
  return Math.max(jittered, floor);
}
