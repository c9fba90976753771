/** Every read method's shape over real HTTP: wrappers, fields, raw big ids, paging, windows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTopTime, parseTopTime, yuanToFen } from '../platform/taobao/top-sign.ts';
import { startTopSim, type TopSim } from './server.ts';
import { callTop, errorOf, inner, parseBig } from './test-client.ts';

type Obj = Record<string, unknown>;
let sim: TopSim;
const DAY = 86_400_000;
beforeAll(async () => {
  sim = await startTopSim({ seed: 21, shop: { orders: 600, refunds: 300 } });
});
afterAll(async () => {
  await sim.close();
});

const at = (ms: number) => formatTopTime(new Date(ms));
const now = () => sim.sim.nowMs();
const bigIdsIn = (text: string, name: string) => [...text.matchAll(new RegExp(`"${name}":([0-9]+)[,}]`, 'g'))].map((m) => m[1] as string);

function refundWhere(test: (r: Obj) => boolean): Obj {
  const r = sim.control.state().refunds.find(test);
  if (!r) throw new Error('no such refund in the seeded shop');
  return r;
}

describe('trades', () => {
  it('trades.sold.increment.get: wrapped list, requested fields only, newest first, raw tids', async () => {
    const r = await callTop(sim, 'taobao.trades.sold.increment.get', {
      fields: 'tid,status,modified,payment,orders.oid,orders.divide_order_fee,orders.outer_sku_id,no_such_field',
      start_modified: at(now() - DAY),
      end_modified: at(now()),
      page_size: 100,
    });
    const body = inner(r);
    expect(Object.keys(r.body)).toEqual(['trades_sold_increment_get_response']);
    const trades = (body.trades as { trade: Obj[] }).trade;
    expect(trades.length).toBeGreaterThan(0);
    expect(body.total_results).toBe(trades.length);
    expect(body.has_next).toBeUndefined();
    expect(typeof body.request_id).toBe('string');
    for (const t of trades) {
      expect(Object.keys(t).sort()).toEqual(['modified', 'orders', 'payment', 'status', 'tid']);
      expect(typeof t.tid).toBe('bigint');
      expect(t.tid_str).toBeUndefined();
      for (const o of (t.orders as { order: Obj[] }).order) expect(Object.keys(o).sort()).toEqual(['divide_order_fee', 'oid', 'outer_sku_id']);
      expect(t.payment).toMatch(/^[0-9]+\.[0-9]{2}$/);
    }
    const times = trades.map((t) => parseTopTime(t.modified)?.getTime() as number);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // the raw text carries the ids as number literals, beyond what a double holds
    const raw = bigIdsIn(r.text, 'tid');
    expect(raw).toHaveLength(trades.length);
    expect(raw.every((d) => BigInt(d) > 2n ** 53n)).toBe(true);
    expect(raw.some((d) => String(JSON.parse(d)) !== d)).toBe(true);
    expect(trades.map((t) => String(t.tid))).toEqual(raw);
  });

  it('trades.sold.increment.get: window over one day refused; paging with has_next covers the window once', async () => {
    const e = errorOf(
      await callTop(sim, 'taobao.trades.sold.increment.get', { fields: 'tid', start_modified: at(now() - DAY - 1000), end_modified: at(now()) }),
    );
    expect(e).toMatchObject({ code: 41, sub_code: 'isv.invalid-parameter:end_modified' });
    expect(errorOf(await callTop(sim, 'taobao.trades.sold.increment.get', { fields: 'tid', end_modified: at(now()) })).code).toBe(40);
    const reversed = errorOf(await callTop(sim, 'taobao.trades.sold.increment.get', { fields: 'tid', start_modified: at(now()), end_modified: at(now() - 1000) }));
    expect(reversed.code).toBe(41);

    const window = { fields: 'tid', start_modified: at(now() - DAY), end_modified: at(now()) };
    const all = inner(await callTop(sim, 'taobao.trades.sold.increment.get', { ...window, page_size: 100 }));
    const seen: string[] = [];
    for (let page = 1; ; page += 1) {
      const body = inner(await callTop(sim, 'taobao.trades.sold.increment.get', { ...window, page_no: page, page_size: 7, use_has_next: true }));
      expect(body.total_results).toBeUndefined();
      seen.push(...((body.trades as { trade: Obj[] } | undefined)?.trade ?? []).map((t) => String(t.tid)));
      if (body.has_next !== true) break;
    }
    expect(seen).toHaveLength(all.total_results as number);
    expect(new Set(seen).size).toBe(seen.length);
    // an empty page leaves the list out
    const empty = inner(await callTop(sim, 'taobao.trades.sold.increment.get', { ...window, page_no: 999 }));
    expect(empty.trades).toBeUndefined();
    expect(empty.total_results).toBe(all.total_results);
  });

  it('trades.sold.get: newest created first, status filter', async () => {
    const body = inner(await callTop(sim, 'taobao.trades.sold.get', { fields: 'tid,created,status', status: 'TRADE_FINISHED', page_size: 50 }));
    const trades = (body.trades as { trade: Obj[] }).trade;
    expect(trades.every((t) => t.status === 'TRADE_FINISHED')).toBe(true);
    const created = trades.map((t) => parseTopTime(t.created)?.getTime() as number);
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(errorOf(await callTop(sim, 'taobao.trades.sold.get', { fields: 'tid', status: 'NOPE' })).sub_code).toBe('isv.invalid-parameter:status');
  });

  it('trade.fullinfo.get: tid and tid_str, orders with oid_str and divide_order_fee; unknown tid', async () => {
    const multi = sim.control.state().trades.find((t) => (t.orders as { order: Obj[] }).order.length > 1) as Obj;
    const r = await callTop(sim, 'taobao.trade.fullinfo.get', {
      tid: String(multi.tid),
      fields: 'tid,tid_str,status,payment,post_fee,receiver_name,receiver_state,receiver_city,receiver_district,receiver_address,receiver_mobile,seller_memo,orders',
    });
    const trade = inner(r).trade as Obj;
    expect(trade.tid).toBe(multi.tid);
    expect(trade.tid_str).toBe(String(multi.tid));
    expect(r.text).toContain(`"tid":${String(multi.tid)},"tid_str":"${String(multi.tid)}"`);
    const orders = (trade.orders as { order: Obj[] }).order;
    expect(orders.length).toBeGreaterThan(1);
    for (const o of orders) {
      expect(o.oid_str).toBe(String(o.oid));
      expect(r.text).toContain(`"oid":${String(o.oid)},"oid_str":"${String(o.oid)}"`);
      for (const k of ['title', 'price', 'num', 'sku_id', 'outer_iid', 'outer_sku_id', 'sku_properties_name', 'payment', 'divide_order_fee', 'refund_status', 'status']) expect(o[k], k).toBeDefined();
    }
    const paid = orders.reduce((s, o) => s + (yuanToFen(o.divide_order_fee) as number), 0);
    expect(yuanToFen(trade.payment)).toBe(paid + (yuanToFen(trade.post_fee) as number));
    const e = errorOf(await callTop(sim, 'taobao.trade.fullinfo.get', { fields: 'tid', tid: '3900000000000000001' }));
    expect(e).toMatchObject({ code: 15, sub_code: 'isv.trade-not-exist' });
  });
});

describe('refunds', () => {
  it('refunds.receive.get: refund_id a string, tid and oid raw numbers, no refund_remind_timeout, status filter', async () => {
    const r = await callTop(sim, 'taobao.refunds.receive.get', {
      fields: 'refund_id,tid,oid,status,modified,refund_fee,refund_version,refund_remind_timeout,good_status,has_good_return,refund_phase,reason',
      page_size: 100,
    });
    const body = inner(r);
    const refunds = (body.refunds as { refund: Obj[] }).refund;
    expect(refunds).toHaveLength(100);
    expect(body.total_results).toBe(300);
    for (const x of refunds) {
      expect(typeof x.refund_id).toBe('string');
      expect(x.refund_id).toMatch(/^[0-9]{18}$/);
      expect(typeof x.tid).toBe('bigint');
      expect(typeof x.oid).toBe('bigint');
      expect(x.refund_remind_timeout).toBeUndefined();
      expect(x.refund_fee).toMatch(/^[0-9]+\.[0-9]{2}$/);
      expect(typeof x.refund_version).toBe('number');
    }
    expect(bigIdsIn(r.text, 'oid')).toHaveLength(100);
    expect(r.text).toMatch(/"refund_id":"[0-9]{18}","tid":[0-9]{19},"oid":[0-9]{19}/);
    const waiting = inner(await callTop(sim, 'taobao.refunds.receive.get', { fields: 'refund_id,status', status: 'WAIT_SELLER_AGREE', page_size: 100 }));
    expect((waiting.refunds as { refund: Obj[] }).refund.every((x) => x.status === 'WAIT_SELLER_AGREE')).toBe(true);
    // a window
    const recent = inner(await callTop(sim, 'taobao.refunds.receive.get', { fields: 'refund_id,modified', start_modified: at(now() - 2 * DAY), end_modified: at(now()), page_size: 100 }));
    for (const x of (recent.refunds as { refund: Obj[] }).refund) expect(parseTopTime(x.modified)?.getTime()).toBeGreaterThanOrEqual(now() - 2 * DAY - 1000);
  });

  it('refund.get: every field asked for, refund_remind_timeout on open ones; unknown id', async () => {
    const open = refundWhere((x) => x.status === 'WAIT_SELLER_AGREE');
    const fields =
      'refund_id,tid,oid,status,created,modified,refund_fee,payment,total_fee,good_status,has_good_return,reason,desc,refund_phase,refund_version,refund_remind_timeout,cs_status,title,num,sku,outer_id,buyer_nick,seller_nick,order_status,address,company_name,sid,dispute_type';
    const r = await callTop(sim, 'taobao.refund.get', { refund_id: open.refund_id as string, fields });
    const refund = inner(r).refund as Obj;
    expect(refund.refund_id).toBe(open.refund_id);
    expect(refund.refund_remind_timeout).toMatchObject({ exist_timeout: true, remind_type: 1 });
    expect(parseTopTime((refund.refund_remind_timeout as Obj).timeout)).not.toBeNull();
    expect(refund.cs_status).toBe(1);
    expect(refund.company_name).toBeUndefined();
    const only = inner(await callTop(sim, 'taobao.refund.get', { refund_id: open.refund_id as string, fields: 'status' })).refund;
    expect(only).toEqual({ status: 'WAIT_SELLER_AGREE' });
    const returned = refundWhere((x) => x.status === 'WAIT_SELLER_CONFIRM_GOODS');
    const withParcel = inner(await callTop(sim, 'taobao.refund.get', { refund_id: returned.refund_id as string, fields })).refund as Obj;
    expect(withParcel.company_name).toBeTruthy();
    expect(withParcel.sid).toBeTruthy();
    expect(withParcel.address).toContain('温州');
    const e = errorOf(await callTop(sim, 'taobao.refund.get', { refund_id: '200000000000000001', fields: 'status' }));
    expect(e).toMatchObject({ code: 15, msg: 'Remote service error', sub_code: 'isv.refund-not-exist' });
  });

  it('refund.refusereason.get: a fixed list with ids', async () => {
    const some = refundWhere(() => true);
    const body = inner(await callTop(sim, 'taobao.refund.refusereason.get', { refund_id: some.refund_id as string, refund_phase: 'onsale', fields: 'reason_id,reason_text,reason_tips' }));
    const reasons = (body.reasons as { reason: Obj[] }).reason;
    expect(reasons.length).toBeGreaterThan(3);
    expect(reasons.every((x) => typeof x.reason_id === 'number' && typeof x.reason_text === 'string' && typeof x.reason_tips === 'string')).toBe(true);
    expect(errorOf(await callTop(sim, 'taobao.refund.refusereason.get', { refund_id: some.refund_id as string, fields: 'reason_id' })).code).toBe(40);
  });

  it('refund.messages.get and refund.message.add (multipart, with an image) publishing RefundCreateMessage', async () => {
    const target = refundWhere((x) => x.status === 'SELLER_REFUSE_BUYER');
    const fields = 'id,refund_id,owner_id,owner_nick,owner_role,content,created,message_type,pic_urls';
    const before = inner(await callTop(sim, 'taobao.refund.messages.get', { refund_id: target.refund_id as string, fields }));
    const list = (before.refund_messages as { refund_message: Obj[] }).refund_message;
    expect(list.length).toBeGreaterThan(0);
    expect(list[0]?.owner_role).toBe('1');
    expect(typeof list[0]?.id).toBe('bigint');
    expect(list[0]?.refund_id).toBe(target.refund_id);

    const queued = sim.control.messages().length;
    const add = await callTop(
      sim,
      'taobao.refund.message.add',
      { refund_id: target.refund_id as string, content: '您好，鞋子已检查，请看图片' },
      { files: { image: { bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]), fileName: 'proof.png', contentType: 'image/png' } } },
    );
    const message = inner(add).refund_message as Obj;
    expect(typeof message.id).toBe('bigint');
    expect(add.text).toMatch(/"refund_message":\{"id":[0-9]{18},"created":"/);
    const after = inner(await callTop(sim, 'taobao.refund.messages.get', { refund_id: target.refund_id as string, fields }));
    const last = (after.refund_messages as { refund_message: Obj[] }).refund_message.at(-1) as Obj;
    expect(last).toMatchObject({ content: '您好，鞋子已检查，请看图片', owner_role: '2', owner_nick: sim.seller.nick });
    expect((last.pic_urls as { pic_url: Obj[] }).pic_url).toHaveLength(1);
    const published = sim.control.messages().slice(queued);
    expect(published.map((m) => m.topic)).toEqual(['taobao_refund_RefundCreateMessage']);
    const long = errorOf(await callTop(sim, 'taobao.refund.message.add', { refund_id: target.refund_id as string, content: '长'.repeat(150) }));
    expect(long.sub_code).toBe('isv.invalid-parameter:content');
  });
});

describe('memo, trace, seller', () => {
  it('trade.memo.update: sets memo and flag, publishes TradeMemoModified; limits', async () => {
    const t = sim.control.state().trades[0] as Obj;
    const tid = String(t.tid);
    const r = await callTop(sim, 'taobao.trade.memo.update', { tid, memo: '已联系买家，换38码', flag: 2 });
    const trade = inner(r).trade as Obj;
    expect(trade.tid).toBe(t.tid);
    expect(r.text).toContain(`"tid":${tid}`);
    const full = inner(await callTop(sim, 'taobao.trade.fullinfo.get', { tid, fields: 'seller_memo,seller_flag,modified' })).trade as Obj;
    expect(full).toMatchObject({ seller_memo: '已联系买家，换38码', seller_flag: 2 });
    const msg = sim.control.messages().at(-1);
    expect(msg?.topic).toBe('taobao_trade_TradeMemoModified');
    expect(msg?.content).toContain(`"tid":${tid}`);
    expect(msg?.content).toContain('"seller_memo":"已联系买家，换38码"');
    expect(errorOf(await callTop(sim, 'taobao.trade.memo.update', { tid, memo: '备'.repeat(334) })).sub_code).toBe('isv.invalid-parameter:memo');
    expect(errorOf(await callTop(sim, 'taobao.trade.memo.update', { tid, flag: 6 })).sub_code).toBe('isv.invalid-parameter:flag');
    await callTop(sim, 'taobao.trade.memo.update', { tid, reset: true });
    const cleared = inner(await callTop(sim, 'taobao.trade.fullinfo.get', { tid, fields: 'seller_memo,seller_flag' })).trade as Obj;
    expect(cleared.seller_memo).toBeUndefined();
  });

  it('logistics.trace.search: 揽收, 运输中, 派送中, 已签收 as the parcel goes', async () => {
    const { tid } = sim.control.createOrder();
    const none = errorOf(await callTop(sim, 'taobao.logistics.trace.search', { tid }));
    expect(none.sub_code).toBe('isv.logistics-trace-not-exist');
    sim.control.shipOrder(tid, { company: '中通快递', sid: '751234567890' });
    const trace = async () => inner(await callTop(sim, 'taobao.logistics.trace.search', { tid }));
    const first = await trace();
    expect(first).toMatchObject({ out_sid: '751234567890', company_name: '中通快递', status: '揽收' });
    expect(String(first.tid)).toBe(tid);
    sim.control.advanceTime(12 * 3_600_000);
    expect((await trace()).status).toBe('运输中');
    sim.control.advanceTime(48 * 3_600_000);
    expect((await trace()).status).toBe('派送中');
    sim.control.signOrder(tid);
    const signed = await trace();
    expect(signed.status).toBe('已签收');
    const steps = (signed.trace_list as { transit_step_info: Obj[] }).transit_step_info;
    expect(steps.map((s) => s.action)).toEqual(['GOT', 'DEPARTURE', 'ARRIVAL', 'DEPARTURE', 'SENT_SCAN', 'SIGNED']);
    expect(steps.every((s) => parseTopTime(s.status_time) !== null && /[\u4e00-\u9fa5]/.test(s.status_desc as string))).toBe(true);
  });

  it('parses answers losslessly', () => {
    expect(parseBig('{"a":3900565120249960667,"b":1}')).toEqual({ a: 3900565120249960667n, b: 1 });
  });
});
