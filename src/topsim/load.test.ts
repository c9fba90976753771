/**
 * Issue 16 §3: the simulator's peak day (the load test's publisher): orders made ahead queue no TMC notice,
 * refunds come at the rate asked, the buyers follow up on the seller's decisions, and every change is
 * logged with its cause (a seller's TOP call or the buyer's side).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadLogEntry, LoadStatus } from './load.ts';
import { startTopSim, type TopSim } from './server.ts';
import { callTop, inner } from './test-client.ts';

async function control(sim: TopSim, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL(path, sim.url), { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const waitFor = async (what: () => boolean | Promise<boolean>, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('not in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the load test on the simulator (/sim/load)', () => {
  let sim: TopSim;
  beforeAll(async () => {
    sim = await startTopSim({ seed: 5, shop: false });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('makes the orders ahead quietly, then refunds at the rate with their follow-ups, each change logged with its cause', async () => {
    const prepared = await control(sim, 'POST', '/sim/load/prepare', { orders: 40, seed: 3, mix: { return: 1, agree: 0, damaged: 0, quality: 0, withdraw: 0 } });
    expect(prepared.body).toEqual({ prepared: 40, pool: 40 });
    // made before the app was bound: shipped and signed for, and no notice queued for them
    expect(sim.control.messages()).toHaveLength(0);
    expect(sim.control.state().trades.every((t) => t.status === 'WAIT_BUYER_CONFIRM_GOODS' || t.status === 'TRADE_FINISHED')).toBe(true);

    await control(sim, 'POST', '/sim/load/start', { refundsPerSecond: 200, followUpMs: [0, 0] });
    await waitFor(async () => ((await control(sim, 'GET', '/sim/load/status')).body as unknown as LoadStatus).published >= 5);
    const stopped = (await control(sim, 'POST', '/sim/load/stop')).body as unknown as LoadStatus;
    expect(stopped.running).toBe(false);
    expect(stopped.published).toBeGreaterThanOrEqual(5);
    expect(stopped.poolLeft).toBe(40 - stopped.published);
    expect(stopped.tmcQueued).toBeGreaterThanOrEqual(stopped.published);
    expect(sim.control.messages().filter((m) => m.topic === 'taobao_refund_RefundCreated')).toHaveLength(stopped.published);

    const log = (await control(sim, 'GET', '/sim/load/log?after=0')).body as { entries: LoadLogEntry[]; next: number };
    expect(log.entries).toHaveLength(stopped.published);
    expect(log.entries.every((e) => e.kind === 'refund' && e.cause === 'control' && e.status === 'WAIT_SELLER_AGREE')).toBe(true);

    // the seller agrees a return through TOP: logged with the call's method; the buyer then ships it back (a follow-up)
    const first = log.entries[0]!;
    await control(sim, 'POST', '/sim/load/start', { refundsPerSecond: 0.001, followUpMs: [0, 0] });
    const agreed = await callTop(sim, 'taobao.rp.returngoods.agree', { refund_id: first.refundId!, refund_version: first.version!, address: '浙江省温州市鹿城区 1 号', name: '售后组', mobile: '13800000000' });
    expect(inner(agreed).is_success).toBe(true);
    await waitFor(() => sim.sim.refunds.get(BigInt(first.refundId!))?.status === 'WAIT_SELLER_CONFIRM_GOODS');
    const after = ((await control(sim, 'GET', `/sim/load/log?after=${log.next}`)).body as { entries: LoadLogEntry[] }).entries;
    expect(after.map((e) => [e.refundId, e.status, e.cause])).toEqual([
      [first.refundId, 'WAIT_BUYER_RETURN_GOODS', 'taobao.rp.returngoods.agree'],
      [first.refundId, 'WAIT_SELLER_CONFIRM_GOODS', 'control'],
    ]);
    expect(after[0]!.prevVersion).toBe(first.version);

    // a message on the refund's board is a seller's write of its own
    await callTop(sim, 'taobao.refund.message.add', { refund_id: first.refundId!, content: '已收到，谢谢' });
    const last = ((await control(sim, 'GET', `/sim/load/log?after=${log.next + 2}`)).body as { entries: LoadLogEntry[] }).entries;
    expect(last).toEqual([expect.objectContaining({ kind: 'message', refundId: first.refundId, cause: 'taobao.refund.message.add' })]);

    const snapshot = (await control(sim, 'GET', '/sim/load/snapshot')).body as { refunds: { refundId: string; scenario: string; returnSid: string | null }[] };
    const mine = snapshot.refunds.find((r) => r.refundId === first.refundId)!;
    expect(mine.scenario).toBe('return');
    expect(mine.returnSid).toMatch(/^[0-9A-Z]{8,}$/);
    await control(sim, 'POST', '/sim/load/stop');
  });

  it('refuses what it cannot do, with the reason', async () => {
    expect((await control(sim, 'POST', '/sim/load/start', { refundsPerSecond: -1 })).status).toBe(400);
    expect((await control(sim, 'POST', '/sim/load/prepare', { orders: 5, mix: { nope: 1 } })).body).toEqual({ error: 'unknown scenario nope' });
    expect((await control(sim, 'GET', '/sim/load/nothing')).status).toBe(404);
  });
});
