/** The benchmark's shop: 100,000 refunds build quickly and a modified-time window answers from the index. */
import { afterAll, describe, expect, it } from 'vitest';
import { formatTopTime } from '../platform/taobao/top-sign.ts';
import { startTopSim, type TopSim } from './server.ts';
import { callTop, inner } from './test-client.ts';

let sim: TopSim | undefined;
afterAll(async () => {
  await sim?.close();
});

describe('a shop of 100,000 refunds', () => {
  it('builds, and answers a one-day window of refunds and of trades', async () => {
    sim = await startTopSim({ seed: 5, shop: { orders: 200, refunds: 100_000 } });
    expect(sim.sim.refunds.size).toBe(100_000);
    const now = sim.sim.nowMs();
    const window = { start_modified: formatTopTime(new Date(now - 86_400_000)), end_modified: formatTopTime(new Date(now)) };
    const r = await callTop(sim, 'taobao.refunds.receive.get', { ...window, fields: 'refund_id,tid,modified', page_size: 100 });
    const body = inner(r);
    expect(body.total_results).toBeGreaterThan(100);
    expect(body.total_results).toBeLessThan(100_000);
    expect(r.text.match(/"refund_id":"[0-9]{18}","tid":[0-9]{19}/g)).toHaveLength(100);
    const t = inner(await callTop(sim, 'taobao.trades.sold.increment.get', { ...window, fields: 'tid', page_size: 100, use_has_next: true }));
    expect(t.has_next).toBe(true);
  });
});
