/** Issue 14: the events' background work: the pump, the deadline scan, webhook deliveries, the 30-day purge. */
import type { AppContext } from '../context.ts';
import { pumpEvents, purgeEvents, scanDeadlineEvents, scanDispatchEvents } from './events.ts';
import { deliverWebhooks } from './webhooks.ts';

export interface EventWorkOptions {
  owner: string;
  /** refund.deadline_soon this many minutes before (default 120) */
  deadlineSoonMinutes?: number;
  fetchImpl?: typeof fetch;
}

/** One round: every new audit row into events, the deadlines near or passed, then what is due to be delivered. */
export async function runDueEventWork(ctx: AppContext, options: EventWorkOptions): Promise<{ events: number; delivered: number }> {
  let read = 0;
  for (;;) {
    const n = await pumpEvents(ctx);
    read += n;
    if (n === 0) break;
  }
  await scanDeadlineEvents(ctx, { leadMinutes: options.deadlineSoonMinutes ?? 120 });
  await scanDispatchEvents(ctx);
  let delivered = 0;
  for (let i = 0; i < 50; i++) {
    const n = await deliverWebhooks(ctx, { owner: options.owner, ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}) });
    delivered += n;
    if (n === 0) break;
  }
  return { events: read, delivered };
}

export function startEventWorkers(
  ctx: AppContext,
  options: EventWorkOptions & { tickMs?: number; keepDays: number; log?: { error(o: object, m: string): void } },
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let lastPurge = 0;
  const round = () => {
    if (stopped) return;
    running = runDueEventWork(ctx, options)
      .then(async () => {
        if (Date.now() - lastPurge > 3_600_000) {
          lastPurge = Date.now();
          await purgeEvents(ctx, { keepDays: options.keepDays });
        }
      })
      .catch((err: unknown) => options.log?.error({ err }, 'event work failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(round, options.tickMs ?? 1000);
      });
  };
  timer = setTimeout(round, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
