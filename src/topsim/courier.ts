/**
 * The simulator's courier-tracking service (issue 15 §3), in the shape of the
 * 快递100-style aggregators shouhou's courier adapter reads
 * (src/platform/courier/courier-service.ts):
 *
 *   GET /courier/trace?company=<name>&number=<tracking number>
 *   200 {"com", "nu", "state", "ischeck", "data": [{"time", "ftime", "context"}]}   newest scan first
 *   404 {"result": false, "returnCode": "404", "message": "查询无结果，请隔段时间再查"}
 *   400 when number is missing
 *
 * It knows every parcel of the simulated shop: the trades' outgoing parcels
 * (the same trace as taobao.logistics.trace.search) and the refunds' return
 * parcels (from the buyer's city to the shop's warehouse in 温州, from the time
 * the buyer sent it; signed for once the seller confirmed the goods, or after
 * the two or three days a parcel takes). The company is not checked: the
 * number decides.
 */
import { Rand } from '../core/random.ts';
import { formatTopTime } from '../platform/taobao/top-sign.ts';
import { shopAddress } from './catalogue.ts';
import { traceOf } from './gateway.ts';
import { HOUR_MS, type SimRefund } from './model.ts';
import type { Sim } from './state.ts';

export interface CourierStep {
  time: string;
  ftime: string;
  context: string;
}

export interface CourierAnswer {
  com: string;
  nu: string;
  /** 快递100's state: 0 在途, 1 揽收, 3 签收, 5 派件 */
  state: string;
  /** 1 once signed for */
  ischeck: '0' | '1';
  /** newest first */
  data: CourierStep[];
}

const stateOfStatus: Record<string, string> = { 揽收: '1', 运输中: '0', 派送中: '5', 已签收: '3' };

function answer(com: string, nu: string, status: string, steps: { at: string; text: string }[]): CourierAnswer {
  const state = stateOfStatus[status] ?? '0';
  return {
    com,
    nu,
    state,
    ischeck: state === '3' ? '1' : '0',
    data: steps
      .slice()
      .reverse()
      .map((s) => ({ time: s.at, ftime: s.at, context: s.text })),
  };
}

/**
 * A plausible trace of a return parcel, the same on every call: picked up in the buyer's
 * city when the buyer sent it, then on its way to 温州 as time passes, signed for at the
 * warehouse when the seller confirmed the goods (the refund was paid) or once it would have
 * arrived anyway.
 */
export function returnTraceOf(r: SimRefund, nowMs: number): { status: string; steps: { at: string; text: string }[] } {
  const rand = new Rand(Number(r.refundId % 2_147_483_647n) ^ 0x5eed);
  const courier = r.returnParcel?.company ?? '快递';
  const sent = r.goodReturnMs ?? nowMs;
  const city = r.trade.receiver.city;
  const district = r.trade.receiver.district;
  const home = shopAddress.city;
  const phone = () => `1${rand.pick(['3', '5', '8'])}${rand.digits(9)}`;
  const plan: { offset: number; text: string; status: string }[] = [
    { offset: 0, text: `【${city}】${courier} ${district}营业部 已揽收，揽投员：李师傅，电话：${phone()}`, status: '揽收' },
    { offset: rand.range(4, 8) * HOUR_MS, text: `【${city}】快件离开【${city}转运中心】，已发往【${home}转运中心】`, status: '运输中' },
    { offset: rand.range(20, 36) * HOUR_MS, text: `【${home}】快件已到达【${home}转运中心】`, status: '运输中' },
    { offset: rand.range(38, 44) * HOUR_MS, text: `【${home}】快件离开【${home}转运中心】，已发往【${shopAddress.district}双屿营业部】`, status: '运输中' },
    { offset: rand.range(46, 52) * HOUR_MS, text: `【${home}】${shopAddress.district}双屿营业部 派件员：王师傅，电话：${phone()}，正在为您派件`, status: '派送中' },
  ];
  const arrives = sent + rand.range(54, 70) * HOUR_MS;
  // the seller confirmed the goods: the refund was paid after the return was sent
  const confirmed = r.status === 'SUCCESS' && r.hasGoodReturn ? Math.max(r.modifiedMs, sent + plan.length * 1000) : null;
  const signed = confirmed !== null ? Math.min(confirmed, arrives) : arrives <= nowMs ? arrives : null;
  const steps: { at: number; text: string; status: string }[] = [];
  if (signed !== null) {
    const last = (plan[plan.length - 1] as { offset: number }).offset;
    const scale = Math.min(1, ((signed - sent) * 0.95) / last);
    for (const s of plan) steps.push({ at: sent + s.offset * scale, text: s.text, status: s.status });
    steps.push({ at: signed, text: `【${home}】已签收，签收人：${shopAddress.name}（仓库）。感谢使用${courier}，期待再次为您服务`, status: '已签收' });
  } else {
    for (const s of plan) if (s.offset === 0 || sent + s.offset <= nowMs) steps.push({ at: sent + s.offset, text: s.text, status: s.status });
  }
  return {
    status: steps[steps.length - 1]?.status ?? '揽收',
    steps: steps.map((s) => ({ at: formatTopTime(new Date(Math.floor(s.at / 1000) * 1000)), text: s.text })),
  };
}

/** The trace of the parcel with this number, outgoing or return; null when the simulator has no such parcel. */
export function courierTrace(sim: Sim, number: string): CourierAnswer | null {
  const nu = number.trim();
  if (nu === '') return null;
  const now = sim.nowMs();
  for (const r of sim.refunds.values()) {
    if (r.returnParcel?.sid !== nu || r.goodReturnMs === null) continue;
    const trace = returnTraceOf(r, now);
    return answer(r.returnParcel.company, nu, trace.status, trace.steps);
  }
  for (const t of sim.trades.values()) {
    if (t.parcel?.sid !== nu || t.consignMs === null) continue;
    const trace = traceOf(t, now);
    return answer(
      t.parcel.courier.name,
      nu,
      trace.status,
      trace.steps.map((s) => ({ at: s.status_time, text: s.status_desc })),
    );
  }
  return null;
}
