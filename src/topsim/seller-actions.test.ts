/** Seller actions over real HTTP: statuses move, refund_version rises, TMC messages follow; stale versions and Tmall rules. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fenToYuan } from '../platform/taobao/top-sign.ts';
import { startTopSim, type TopSim } from './server.ts';
import { callTop, errorOf, inner, parseBig, type CallResult } from './test-client.ts';
import type { ApplyRefundInput } from './state.ts';

type Obj = Record<string, unknown>;
const png = { bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), fileName: 'proof.png', contentType: 'image/png' };
const refundFields = 'refund_id,tid,oid,status,refund_version,modified,refund_fee,good_status,has_good_return,address,cs_status,refund_remind_timeout,refund_phase,company_name,sid';

async function getRefund(sim: TopSim, id: string): Promise<Obj> {
  return inner(await callTop(sim, 'taobao.refund.get', { refund_id: id, fields: refundFields })).refund as Obj;
}

/** A trade brought to the given point, with a refund asked for on it. */
function refundOn(sim: TopSim, point: 'paid' | 'shipped' | 'signed' | 'finished', input: Omit<ApplyRefundInput, 'tid'> = {}): { tid: string; refundId: string } {
  const { tid } = sim.control.createOrder();
  if (point !== 'paid') sim.control.shipOrder(tid);
  if (point === 'signed') sim.control.signOrder(tid);
  if (point === 'finished') sim.control.finishOrder(tid);
  const { refundId } = sim.control.applyRefund({ tid, ...input });
  return { tid, refundId };
}

function topicsSince(sim: TopSim, from: number): string[] {
  return sim.control.messages().slice(from).map((m) => m.topic);
}

describe('a Taobao shop', () => {
  let sim: TopSim;
  beforeAll(async () => {
    sim = await startTopSim({ seed: 31, shop: false });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('rp.refunds.agree: SUCCESS, a higher refund_version, RefundSuccess with raw ids, the trade closes', async () => {
    const { tid, refundId } = refundOn(sim, 'signed', { reasonText: '商品质量问题' });
    const before = await getRefund(sim, refundId);
    expect(before.status).toBe('WAIT_SELLER_AGREE');
    const from = sim.control.messages().length;
    const fen = Number(String(before.refund_fee).replace('.', ''));
    const r = await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: `${refundId}|${fen}|${String(before.refund_version)}` });
    const body = inner(r);
    expect(body).toMatchObject({ msg_code: 'OP_SUCC', succ: true });
    expect((body.results as { refund_mapping_result: Obj[] }).refund_mapping_result).toEqual([{ refund_id: refundId, succ: true, message: '退款成功' }]);
    const after = await getRefund(sim, refundId);
    expect(after.status).toBe('SUCCESS');
    expect(after.refund_version as number).toBeGreaterThan(before.refund_version as number);
    expect(after.refund_remind_timeout).toEqual({ exist_timeout: false });
    expect(topicsSince(sim, from)).toEqual(['taobao_refund_RefundSuccess', 'taobao_trade_TradeClose']);
    const content = sim.control.messages()[from]?.content as string;
    expect(content).toContain(`"refund_id":${refundId},"tid":${tid},"oid":${tid}`);
    expect(parseBig(content)).toMatchObject({ refund_id: BigInt(refundId), refund_fee: before.refund_fee, refund_phase: 'onsale', bill_type: 'refund_bill', seller_nick: sim.seller.nick });
    const trade = inner(await callTop(sim, 'taobao.trade.fullinfo.get', { tid, fields: 'status,orders.refund_status,orders.status' })).trade as Obj;
    expect(trade).toEqual({ status: 'TRADE_CLOSED', orders: { order: [{ status: 'TRADE_CLOSED', refund_status: 'SUCCESS' }] } });
  });

  it('rp.refunds.agree: per-item results (stale version, closed, unknown, over the amount, return first)', async () => {
    const ok = refundOn(sim, 'signed', { amountFen: 1_000, reasonText: '退运费' });
    const stale = refundOn(sim, 'signed');
    const closed = refundOn(sim, 'signed');
    const over = refundOn(sim, 'signed', { amountFen: 500 });
    const withReturn = refundOn(sim, 'signed', { hasGoodReturn: true });
    const v = async (id: string) => String((await getRefund(sim, id)).refund_version);
    const staleVersion = await v(stale.refundId);
    sim.control.modifyRefund(stale.refundId, { desc: '补充说明' });
    sim.control.withdrawRefund(closed.refundId);
    const infos = [
      `${ok.refundId}|1000|${await v(ok.refundId)}`,
      `${stale.refundId}|100|${staleVersion}`,
      `${closed.refundId}|100|${await v(closed.refundId)}`,
      `200000000000000009|100|1`,
      `${over.refundId}|501|${await v(over.refundId)}`,
      `${withReturn.refundId}|100|${await v(withReturn.refundId)}`,
    ].join(',');
    const body = inner(await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: infos }));
    expect(body).toMatchObject({ msg_code: 'SOME_OP_SUCC', succ: false });
    const results = (body.results as { refund_mapping_result: Obj[] }).refund_mapping_result;
    expect(results.map((x) => [x.succ, x.message])).toEqual([
      [true, '退款成功'],
      [false, '退款版本已过期'],
      [false, '退款已关闭'],
      [false, '退款单不存在'],
      [false, '退款金额超过买家申请的退款金额'],
      [false, '买家要求退货，请先同意退货'],
    ]);
    expect(results.every((x) => typeof x.refund_id === 'string')).toBe(true);
    const none = inner(await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: `${closed.refundId}|100|1` }));
    expect(none).toMatchObject({ msg_code: 'OP_FAILURE_UE', succ: false, message: '退款已关闭' });
  });

  it('rp.refunds.agree: at most 20 refunds and 6,000 yuan a call; the format is checked', async () => {
    const many = Array.from({ length: 21 }, (_, i) => `2000000000000000${10 + i}|100|1`).join(',');
    expect(errorOf(await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: many }))).toMatchObject({ code: 15, sub_code: 'isv.refunds-agree-over-limit' });
    const twenty = Array.from({ length: 20 }, (_, i) => `2000000000000000${10 + i}|100|1`).join(',');
    expect(inner(await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: twenty })).msg_code).toBe('OP_FAILURE_UE');
    const rich = `200000000000000010|400000|1,200000000000000011|200001|1`;
    expect(errorOf(await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: rich })).sub_code).toBe('isv.refunds-agree-over-limit');
    for (const bad of ['abc', '1|2', '1|1.5|3', '1|2|3|later']) {
      expect(errorOf(await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: bad })).sub_code).toBe('isv.invalid-parameter:refund_infos');
    }
  });

  it('rp.returngoods.agree, the buyer ships the return, the seller agrees the refund', async () => {
    const { refundId } = refundOn(sim, 'finished', { hasGoodReturn: true, reasonText: '七天无理由退换货' });
    const r0 = await getRefund(sim, refundId);
    expect(r0.refund_phase).toBe('aftersale');
    expect(errorOf(await callTop(sim, 'taobao.rp.returngoods.agree', { refund_id: refundId })).sub_code).toBe('isv.missing-parameter:address');
    const stale = errorOf(await callTop(sim, 'taobao.rp.returngoods.agree', { refund_id: refundId, address: '温州', refund_version: (r0.refund_version as number) - 1 }));
    expect(stale).toMatchObject({ code: 15, sub_code: 'isv.refund-version-expired' });
    const phase = errorOf(await callTop(sim, 'taobao.rp.returngoods.agree', { refund_id: refundId, address: '温州', refund_phase: 'onsale' }));
    expect(phase.sub_code).toBe('isv.refund-phase-mismatch');
    const from = sim.control.messages().length;
    const ok = inner(
      await callTop(sim, 'taobao.rp.returngoods.agree', {
        refund_id: refundId,
        refund_version: String(r0.refund_version),
        name: '周晓',
        mobile: '13957712061',
        address: '浙江省温州市鹿城区鞋都大道88号',
        post_fee_bear_role: 0,
        remark: '请附上订单号',
      }),
    );
    expect(ok.is_success).toBe(true);
    const r1 = await getRefund(sim, refundId);
    expect(r1).toMatchObject({ status: 'WAIT_BUYER_RETURN_GOODS', address: '周晓，13957712061，浙江省温州市鹿城区鞋都大道88号' });
    expect(r1.refund_version as number).toBeGreaterThan(r0.refund_version as number);
    expect(r1.refund_remind_timeout).toMatchObject({ exist_timeout: true, remind_type: 2 });
    expect(topicsSince(sim, from)).toEqual(['taobao_refund_RefundSellerAgreeAgreement']);
    const again = errorOf(await callTop(sim, 'taobao.rp.returngoods.agree', { refund_id: refundId, address: '温州' }));
    expect(again.sub_code).toBe('isv.refund-status-not-allowed');

    sim.control.shipReturn(refundId, { company: '圆通速递', sid: 'YT8888888888888' });
    const r2 = await getRefund(sim, refundId);
    expect(r2).toMatchObject({ status: 'WAIT_SELLER_CONFIRM_GOODS', good_status: 'BUYER_RETURNED_GOODS', company_name: '圆通速递', sid: 'YT8888888888888' });
    const agree = inner(
      await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: `${refundId}|${String(r2.refund_fee).replace('.', '')}|${String(r2.refund_version)}|aftersale` }),
    );
    expect(agree.msg_code).toBe('OP_SUCC');
    expect((await getRefund(sim, refundId)).status).toBe('SUCCESS');
    expect(topicsSince(sim, from)).toEqual([
      'taobao_refund_RefundSellerAgreeAgreement',
      'taobao_refund_RefundBuyerReturnGoods',
      'taobao_refund_RefundSuccess',
      'taobao_trade_TradePartlyRefund',
    ]);
  });

  it('refund.refuse: not before shipping; 2–200 characters; then modify, intervention and a decision', async () => {
    const unshipped = refundOn(sim, 'paid', { reasonText: '拍错了' });
    const cannot = errorOf(await callTop(sim, 'taobao.refund.refuse', { refund_id: unshipped.refundId, refuse_message: '已经打包好了' }));
    expect(cannot).toMatchObject({ code: 15, sub_code: 'isv.refund-cannot-refuse' });

    const { refundId } = refundOn(sim, 'signed', { hasGoodReturn: true, reasonText: '商品与描述不符' });
    const versions: number[] = [(await getRefund(sim, refundId)).refund_version as number];
    expect(errorOf(await callTop(sim, 'taobao.refund.refuse', { refund_id: refundId, refuse_message: '不' })).sub_code).toBe('isv.invalid-parameter:refuse_message');
    expect(errorOf(await callTop(sim, 'taobao.refund.refuse', { refund_id: refundId, refuse_message: '不'.repeat(201) })).sub_code).toBe('isv.invalid-parameter:refuse_message');
    expect(errorOf(await callTop(sim, 'taobao.refund.refuse', { refund_id: refundId, refuse_message: '不同意', refuse_reason_id: 1 })).sub_code).toBe('isv.invalid-parameter:refuse_reason_id');
    const from = sim.control.messages().length;
    const res: CallResult = await callTop(sim, 'taobao.refund.refuse', { refund_id: refundId, refuse_message: '商品与描述一致，不同意退款', refuse_reason_id: 10_005 }, { files: { refuse_proof: png } });
    const body = inner(res);
    expect(body.is_success).toBe(true);
    expect(body.refund).toMatchObject({ refund_id: refundId, status: 'SELLER_REFUSE_BUYER' });
    const refused = await getRefund(sim, refundId);
    versions.push(refused.refund_version as number);
    expect(refused.refund_remind_timeout).toMatchObject({ exist_timeout: true, remind_type: 4 });
    expect(errorOf(await callTop(sim, 'taobao.refund.refuse', { refund_id: refundId, refuse_message: '再次拒绝' })).sub_code).toBe('isv.refund-status-not-allowed');

    const half = Math.floor(Number(String(refused.refund_fee).replace('.', '')) / 2);
    sim.control.modifyRefund(refundId, { amountFen: half, desc: '只退一半可以吗' });
    const modified = await getRefund(sim, refundId);
    expect(modified).toMatchObject({ status: 'WAIT_SELLER_AGREE', refund_fee: fenToYuan(half) });
    versions.push(modified.refund_version as number);
    await callTop(sim, 'taobao.refund.refuse', { refund_id: refundId, refuse_message: '仍然不同意' });
    versions.push((await getRefund(sim, refundId)).refund_version as number);
    sim.control.requestIntervention(refundId);
    const intervened = await getRefund(sim, refundId);
    expect(intervened).toMatchObject({ cs_status: 2, refund_remind_timeout: { exist_timeout: false } });
    versions.push(intervened.refund_version as number);
    sim.control.modifyRefund(refundId, {}); // back to WAIT_SELLER_AGREE, still under intervention
    const under = errorOf(await callTop(sim, 'taobao.refund.refuse', { refund_id: refundId, refuse_message: '不同意退款' }));
    expect(under.sub_code).toBe('isv.refund-under-intervention');
    sim.control.decideIntervention(refundId, 'refund');
    const decided = await getRefund(sim, refundId);
    expect(decided).toMatchObject({ status: 'SUCCESS', cs_status: 6 });
    versions.push(decided.refund_version as number);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(topicsSince(sim, from)).toEqual([
      'taobao_refund_RefundSellerRefuseAgreement',
      'taobao_refund_RefundBuyerModifyAgreement',
      'taobao_refund_RefundSellerRefuseAgreement',
      'taobao_refund_TaobaoInterApplied',
      'taobao_refund_RefundBuyerModifyAgreement',
      'taobao_refund_TaobaoIntervened',
      'taobao_refund_RefundSuccess',
      'taobao_trade_TradePartlyRefund',
    ]);
    const closedRefuse = errorOf(await callTop(sim, 'taobao.refund.refuse', { refund_id: refundId, refuse_message: '不同意退款' }));
    expect(closedRefuse.sub_code).toBe('isv.refund-success');
  });

  it('a withdrawn refund is closed; the seller cannot act on it', async () => {
    const { refundId } = refundOn(sim, 'signed', { hasGoodReturn: true });
    sim.control.withdrawRefund(refundId);
    expect((await getRefund(sim, refundId)).status).toBe('CLOSED');
    expect(errorOf(await callTop(sim, 'taobao.rp.returngoods.agree', { refund_id: refundId, address: '温州' })).sub_code).toBe('isv.refund-closed');
    expect(sim.control.messages().at(-1)?.topic).toBe('taobao_refund_RefundClosed');
  });
});

describe('a Tmall shop', () => {
  let sim: TopSim;
  beforeAll(async () => {
    sim = await startTopSim({ seed: 32, shop: false, shopType: 'tmall' });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('says it is a B seller', async () => {
    expect(inner(await callTop(sim, 'taobao.user.seller.get', { fields: 'nick,type' })).user).toEqual({ nick: sim.seller.nick, type: 'B' });
  });

  it('rp.returngoods.agree needs refund_version and refund_phase', async () => {
    const { refundId } = refundOn(sim, 'signed', { hasGoodReturn: true });
    const r = await getRefund(sim, refundId);
    expect(errorOf(await callTop(sim, 'taobao.rp.returngoods.agree', { refund_id: refundId, seller_address_id: 1, refund_phase: 'onsale' })).sub_code).toBe(
      'isv.missing-parameter:refund_version',
    );
    expect(
      errorOf(await callTop(sim, 'taobao.rp.returngoods.agree', { refund_id: refundId, seller_address_id: 1, refund_version: String(r.refund_version) })).sub_code,
    ).toBe('isv.missing-parameter:refund_phase');
    const ok = inner(
      await callTop(sim, 'taobao.rp.returngoods.agree', { refund_id: refundId, seller_address_id: 1, refund_version: String(r.refund_version), refund_phase: 'onsale', remark: '请勿到付' }),
    );
    expect(ok.is_success).toBe(true);
    expect((await getRefund(sim, refundId)).address).toContain('鞋都大道');
  });

  it('refund.refuse needs a proof image, refund_version and refund_phase', async () => {
    const { refundId } = refundOn(sim, 'signed', { hasGoodReturn: true });
    const r = await getRefund(sim, refundId);
    const base = { refund_id: refundId, refuse_message: '商品无质量问题' };
    const full = { ...base, refund_version: String(r.refund_version), refund_phase: 'onsale' };
    expect(errorOf(await callTop(sim, 'taobao.refund.refuse', full)).sub_code).toBe('isv.missing-parameter:refuse_proof');
    expect(errorOf(await callTop(sim, 'taobao.refund.refuse', { ...full, refuse_proof: 'not-a-file' })).sub_code).toBe('isv.invalid-parameter:refuse_proof');
    expect(errorOf(await callTop(sim, 'taobao.refund.refuse', base, { files: { refuse_proof: png } })).sub_code).toBe('isv.missing-parameter:refund_version');
    const big = { ...png, bytes: Buffer.alloc(130_001) };
    expect(errorOf(await callTop(sim, 'taobao.refund.refuse', full, { files: { refuse_proof: big } })).sub_code).toBe('isv.invalid-parameter:refuse_proof');
    const stale = errorOf(await callTop(sim, 'taobao.refund.refuse', { ...full, refund_version: String((r.refund_version as number) - 5) }, { files: { refuse_proof: png } }));
    expect(stale.sub_code).toBe('isv.refund-version-expired');
    const ok = inner(await callTop(sim, 'taobao.refund.refuse', full, { files: { refuse_proof: png } }));
    expect(ok.refund).toMatchObject({ status: 'SELLER_REFUSE_BUYER' });
  });

  it('rp.refunds.agree needs the phase on every item, and allows 30 refunds and 10,000 yuan', async () => {
    const { refundId } = refundOn(sim, 'signed');
    const r = await getRefund(sim, refundId);
    const fen = String(r.refund_fee).replace('.', '');
    expect(errorOf(await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: `${refundId}|${fen}|${String(r.refund_version)}` })).sub_code).toBe(
      'isv.invalid-parameter:refund_infos',
    );
    const thirty = Array.from({ length: 30 }, (_, i) => `2000000000000000${10 + i}|100|1|onsale`).join(',');
    expect(inner(await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: thirty })).msg_code).toBe('OP_FAILURE_UE');
    const thirtyOne = `${thirty},200000000000000099|100|1|onsale`;
    expect(errorOf(await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: thirtyOne })).sub_code).toBe('isv.refunds-agree-over-limit');
    expect(inner(await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: `200000000000000010|900000|1|onsale` })).msg_code).toBe('OP_FAILURE_UE');
    expect(errorOf(await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: `200000000000000010|1000001|1|onsale` })).sub_code).toBe('isv.refunds-agree-over-limit');
    const ok = inner(await callTop(sim, 'taobao.rp.refunds.agree', { refund_infos: `${refundId}|${fen}|${String(r.refund_version)}|onsale` }));
    expect(ok.msg_code).toBe('OP_SUCC');
  });

  it('refund.messages.get needs refund_phase', async () => {
    const { refundId } = refundOn(sim, 'signed');
    expect(errorOf(await callTop(sim, 'taobao.refund.messages.get', { refund_id: refundId, fields: 'id,content' })).sub_code).toBe('isv.missing-parameter:refund_phase');
    const body = inner(await callTop(sim, 'taobao.refund.messages.get', { refund_id: refundId, fields: 'id,content', refund_phase: 'onsale' }));
    expect(body.total_results).toBe(1);
  });
});
