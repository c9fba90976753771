/** The simulator's courier-tracking service (issue 15 §3): every parcel it knows, outgoing and return, over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCourierTrace } from '../platform/courier/courier-service.ts';
import { parseTopTime } from '../platform/taobao/top-sign.ts';
import { startTopSim, type TopSim } from './server.ts';

const HOUR = 3_600_000;
let sim: TopSim;
beforeAll(async () => {
  sim = await startTopSim({ seed: 77, shop: { orders: 12, refunds: 6 } });
});
afterAll(async () => {
  await sim.close();
});

const get = async (query: string) => {
  const res = await fetch(`${sim.url}/courier/trace?${query}`);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
type Data = { time: string; ftime: string; context: string }[];

describe('topsim /courier/trace', () => {
  it('15.3 an outgoing parcel: the same scans as logistics.trace.search, newest first, state 1 → 0 → 5 → 3', async () => {
    const { tid } = sim.control.createOrder();
    sim.control.shipOrder(tid, { company: '中通快递', sid: '759900112233' });
    const first = await get('company=%E4%B8%AD%E9%80%9A&number=759900112233');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ com: '中通快递', nu: '759900112233', state: '1', ischeck: '0' });
    expect((first.json.data as Data)[0]?.context).toContain('已揽收');
    sim.control.advanceTime(12 * HOUR);
    expect((await get('number=759900112233')).json.state).toBe('0');
    sim.control.advanceTime(48 * HOUR);
    expect((await get('number=759900112233')).json.state).toBe('5');
    sim.control.signOrder(tid);
    const signed = await get('number=759900112233');
    expect(signed.json).toMatchObject({ state: '3', ischeck: '1' });
    const data = signed.json.data as Data;
    expect(data[0]?.context).toContain('已签收');
    expect(data.at(-1)?.context).toContain('已揽收');
    const times = data.map((s) => parseTopTime(s.time)!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('15.3 a return parcel: from the buyer\'s city to the warehouse in 温州, from when it was sent; signed once the seller confirmed the goods', async () => {
    const { tid } = sim.control.createOrder();
    sim.control.shipOrder(tid);
    sim.control.signOrder(tid);
    const r = sim.control.applyRefund({ tid, hasGoodReturn: true, reasonText: '7天无理由退换货' });
    // the seller does not answer: the platform agrees the return
    sim.control.timeoutRefund(r.refundId);
    expect((await get('number=YT7700001')).status).toBe(404);
    sim.control.shipReturn(r.refundId, { company: '圆通速递', sid: 'YT7700001' });
    const sent = sim.sim.now().getTime();
    const city = sim.sim.refund(r.refundId).trade.receiver.city;
    const first = await get('company=%E5%9C%86%E9%80%9A%E9%80%9F%E9%80%92&number=YT7700001');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ com: '圆通速递', nu: 'YT7700001', state: '1' });
    const only = first.json.data as Data;
    expect(only).toHaveLength(1);
    expect(only[0]?.context).toContain(`【${city}】圆通速递`);
    expect(Math.abs(parseTopTime(only[0]!.time)!.getTime() - sent)).toBeLessThan(1000);
    sim.control.advanceTime(40 * HOUR);
    const moving = await get('number=YT7700001');
    expect(moving.json.state).toBe('0');
    expect((moving.json.data as Data)[0]?.context).toContain('温州');
    // the seller confirms the goods (the deadline passes: paid)
    sim.control.timeoutRefund(r.refundId);
    const signed = await get('number=YT7700001');
    expect(signed.json).toMatchObject({ state: '3', ischeck: '1' });
    const data = signed.json.data as Data;
    expect(data[0]?.context).toMatch(/已签收，签收人：周晓/);
    // every scan between sending and the confirmation, newest first
    const times = data.map((s) => parseTopTime(s.time)!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(sent - 1000);
    expect(Math.max(...times)).toBeLessThanOrEqual(sim.sim.now().getTime());
  });

  it('15.3 a return parcel nobody confirms is signed for once it would have arrived (about three days)', async () => {
    const { tid } = sim.control.createOrder();
    sim.control.shipOrder(tid);
    sim.control.signOrder(tid);
    const r = sim.control.applyRefund({ tid, hasGoodReturn: true });
    sim.control.timeoutRefund(r.refundId);
    sim.control.shipReturn(r.refundId, { company: '韵达快递', sid: '4312000999' });
    sim.control.advanceTime(53 * HOUR);
    expect((await get('number=4312000999')).json.state).not.toBe('3');
    sim.control.advanceTime(20 * HOUR);
    expect((await get('number=4312000999')).json.state).toBe('3');
  });

  it('15.3 an unknown number is 404 in words; a missing number 400; the adapter reads both', async () => {
    const unknown = await get('company=x&number=NOPE123');
    expect(unknown).toEqual({ status: 404, json: { result: false, returnCode: '404', message: '查询无结果，请隔段时间再查' } });
    expect((await get('company=x')).status).toBe(400);
    const options = { baseUrl: `${sim.url}/courier`, timeoutMs: 3000 };
    await expect(fetchCourierTrace(options, { courier: 'x', trackingNo: 'NOPE123' })).resolves.toBeNull();
    const { tid } = sim.control.createOrder();
    sim.control.shipOrder(tid, { company: '申通快递', sid: '7711223344' });
    sim.control.advanceTime(60 * HOUR);
    sim.control.signOrder(tid);
    const trace = await fetchCourierTrace(options, { courier: '申通', trackingNo: '7711223344' });
    expect(trace).toMatchObject({ courier: '申通快递', trackingNo: '7711223344', status: '签收', delivered: true });
    expect(trace!.steps[0]!.text).toContain('已揽收');
    expect(trace!.steps.at(-1)!.text).toContain('已签收');
  });
});
