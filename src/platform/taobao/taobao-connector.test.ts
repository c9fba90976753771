import { describe, expect, it } from 'vitest';
import { isPlatformError, isUnreadable, type PlatformConnector, type PlatformError } from '../connector.ts';
import { REFUND_FIELDS, TRADE_FIELDS, createTaobaoConnector } from './taobao-connector.ts';
import { responseKey } from './top-client.ts';

interface Call {
  method: string;
  fields: Record<string, string>;
  files: string[];
}

type Reply = string | { error: Record<string, unknown> };

/** A fake TOP gateway: answers by method from a script, records the calls. */
function gateway(script: Record<string, Reply | ((call: Call) => Reply)>) {
  const calls: Call[] = [];
  const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
    const fields: Record<string, string> = {};
    const files: string[] = [];
    const body = init?.body;
    if (body instanceof URLSearchParams) for (const [k, v] of body) fields[k] = v;
    else if (body instanceof FormData)
      body.forEach((v, k) => {
        if (typeof v === 'string') fields[k] = v;
        else files.push(k);
      });
    const call: Call = { method: fields.method as string, fields, files };
    calls.push(call);
    const entry = script[call.method];
    if (entry === undefined) return new Response(JSON.stringify({ error_response: { code: 22, msg: 'Invalid method' } }));
    const reply = typeof entry === 'function' ? entry(call) : entry;
    const text = typeof reply === 'string' ? `{"${responseKey(call.method)}":${reply}}` : JSON.stringify({ error_response: reply.error });
    return new Response(text, { status: 200 });
  }) as typeof fetch;
  return { fetchImpl, calls };
}

let keyCounter = 0;
function connector(script: Parameters<typeof gateway>[0], platform: 'taobao' | 'tmall' = 'taobao'): { c: PlatformConnector; calls: Call[] } {
  const g = gateway(script);
  keyCounter += 1;
  const c = createTaobaoConnector({
    platform,
    appKey: `connector-test-${keyCounter}`,
    appSecret: 'secret',
    sessionKey: 'session',
    gatewayUrl: 'https://gw.example.test/router/rest',
    ratePerSecond: 1000,
    fetchImpl: g.fetchImpl,
    now: () => new Date('2026-03-01T04:30:45Z'),
  });
  return { c, calls: g.calls };
}

async function failure(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (e) {
    if (isPlatformError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

const notExist = { error: { code: 15, msg: 'Remote service error', sub_code: 'isv.trade-not-exist', sub_msg: '交易不存在' } };
const window = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-01T00:30:00Z') };

describe('taobao connector', () => {
  it('testConnection asks for the seller nick', async () => {
    const { c, calls } = connector({ 'taobao.user.seller.get': '{"user":{"nick":"某某旗舰店"}}' });
    await expect(c.testConnection()).resolves.toEqual({ ok: true });
    expect(calls[0]?.fields).toMatchObject({ method: 'taobao.user.seller.get', fields: 'nick', session: 'session' });
  });

  it('listOrdersModified: the minimum fields, GMT+8 window, paging; ids exact', async () => {
    const { c, calls } = connector({
      'taobao.trades.sold.increment.get':
        '{"trades":{"trade":[{"tid":4012345678901234567,"modified":"2026-03-01 08:10:00"},{"tid":4012345678901234570,"modified":"bad"},{"modified":"2026-03-01 08:11:00"}]},"has_next":true}',
    });
    const page = await c.listOrdersModified(window, 2);
    expect(calls[0]?.fields).toMatchObject({
      fields: 'tid,modified',
      start_modified: '2026-03-01 08:00:00',
      end_modified: '2026-03-01 08:30:00',
      page_no: '2',
      page_size: '100',
      use_has_next: 'true',
    });
    expect(page.hasNext).toBe(true);
    expect(page.items[0]).toEqual({ platformOrderId: '4012345678901234567', modifiedAt: new Date('2026-03-01T00:10:00Z') });
    expect(page.items[1]).toMatchObject({ unreadable: true, platformId: '4012345678901234570' });
    expect(page.items[2]).toMatchObject({ unreadable: true, platformId: null });
  });

  it('listOrdersModified: an empty answer has no items', async () => {
    const { c } = connector({ 'taobao.trades.sold.increment.get': '{"has_next":false}' });
    await expect(c.listOrdersModified(window, 1)).resolves.toEqual({ items: [], hasNext: false });
  });

  it('listOrdersModified refuses windows longer than a day, backwards, or page 0', async () => {
    const { c, calls } = connector({});
    await expect(c.listOrdersModified({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:01Z') }, 1)).rejects.toThrow(/one day/);
    await expect(c.listOrdersModified({ from: window.to, to: window.from }, 1)).rejects.toThrow();
    await expect(c.listOrdersModified(window, 0)).rejects.toThrow();
    await expect(c.listOrdersModified({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z') }, 1)).rejects.toThrow(/Invalid method/); // exactly a day is allowed
    expect(calls).toHaveLength(1);
  });

  it('getOrder asks for every mapped field and maps the trade; not found → null', async () => {
    const trade =
      '{"trade":{"tid":4012345678901234567,"tid_str":"4012345678901234567","status":"WAIT_SELLER_SEND_GOODS","payment":"10.00","created":"2026-03-01 08:00:00","modified":"2026-03-01 08:01:00","orders":{"order":[{"oid":4012345678901234567,"price":"10.00","num":1,"title":"T恤"}]}}}';
    const { c, calls } = connector({ 'taobao.trade.fullinfo.get': (call) => (call.fields.tid === '4012345678901234567' ? trade : notExist) });
    const o = await c.getOrder('4012345678901234567');
    expect(isUnreadable(o) || o === null ? null : o.lines[0]?.platformLineId).toBe('4012345678901234567');
    expect(calls[0]?.fields.fields).toBe(TRADE_FIELDS);
    for (const f of ['tid_str', 'receiver_town', 'seller_flag', 'consign_time', 'end_time', 'orders']) expect(TRADE_FIELDS.split(',')).toContain(f);
    await expect(c.getOrder('4012345678901234999')).resolves.toBeNull();
  });

  it('getOrder passes other errors on', async () => {
    const { c } = connector({ 'taobao.trade.fullinfo.get': { error: { code: 27, msg: 'Invalid session', sub_code: 'sessionkey-not-exist' } } });
    expect((await failure(c.getOrder('1'))).kind).toBe('auth');
    await expect(c.getOrder('not-an-id')).rejects.toThrow(/not a platform id/);
  });

  it('listRefundsModified and getRefund', async () => {
    const refund =
      '{"refund":{"refund_id":"9876543210987654321","tid":4012345678901234567,"oid":4012345678901234568,"status":"SUCCESS","refund_phase":"aftersale","refund_version":1772244164123,"refund_fee":"5.00","created":"2026-03-01 08:00:00","modified":"2026-03-01 09:00:00"}}';
    const { c, calls } = connector({
      'taobao.refunds.receive.get': '{"refunds":{"refund":[{"refund_id":"9876543210987654321","modified":"2026-03-01 09:00:00"}]},"has_next":false}',
      'taobao.refund.get': (call) => (call.fields.refund_id === '9876543210987654321' ? refund : { error: { code: 15, msg: 'x', sub_code: 'isv.refund-not-exist' } }),
    });
    const page = await c.listRefundsModified(window, 1);
    expect(page).toEqual({ items: [{ platformRefundId: '9876543210987654321', modifiedAt: new Date('2026-03-01T01:00:00Z') }], hasNext: false });
    expect(calls[0]?.fields).toMatchObject({ fields: 'refund_id,modified', page_size: '100', use_has_next: 'true', start_modified: '2026-03-01 08:00:00' });
    const r = await c.getRefund('9876543210987654321');
    expect(r).toMatchObject({ platformRefundId: '9876543210987654321', platformOrderId: '4012345678901234567', platformLineId: '4012345678901234568', status: 'SUCCESS', platformVersion: '1772244164123' });
    expect(calls[1]?.fields.fields).toBe(REFUND_FIELDS);
    for (const f of ['refund_remind_timeout', 'cs_status', 'refund_version', 'address', 'dispute_type']) expect(REFUND_FIELDS.split(',')).toContain(f);
    await expect(c.getRefund('1')).resolves.toBeNull();
  });

  it('consume clamps the quantity to 10–200, returns at most max, and copes with an empty answer', async () => {
    const msgs = Array.from({ length: 12 }, (_, i) => `{"id":${5432109876543210000n + BigInt(i)},"topic":"taobao_refund_RefundCreated","content":"{\\"refund_id\\":${9876543210987654000n + BigInt(i)}}"}`);
    const answers = [`{"messages":{"tmc_message":[${msgs.join(',')}]}}`, '{}'];
    const { c, calls } = connector({ 'taobao.tmc.messages.consume': () => answers.shift() ?? '{}' });
    const got = await c.consume(5);
    expect(calls[0]?.fields.quantity).toBe('10');
    expect(got).toHaveLength(5);
    expect(got[0]).toMatchObject({ id: '5432109876543210000', kind: 'refund', platformRefundId: '9876543210987654000' });
    await expect(c.consume(1000)).resolves.toEqual([]);
    expect(calls[1]?.fields.quantity).toBe('200');
    await expect(c.consume(0)).resolves.toEqual([]);
    expect(calls).toHaveLength(2);
  });

  it('confirm joins ids, batches by 200, and skips the call when there is nothing', async () => {
    const { c, calls } = connector({ 'taobao.tmc.messages.confirm': '{"is_success":true}' });
    await c.confirm([]);
    expect(calls).toHaveLength(0);
    await c.confirm(['5432109876543210987', '5432109876543210988']);
    expect(calls[0]?.fields.s_message_ids).toBe('5432109876543210987,5432109876543210988');
    await c.confirm(Array.from({ length: 450 }, (_, i) => String(i + 1)));
    expect(calls.slice(1).map((x) => x.fields.s_message_ids?.split(',').length)).toEqual([200, 200, 50]);
  });

  it('push agree_refund: a failed entry or succ=false is a business error with its message', async () => {
    const command = { kind: 'agree_refund', platformRefundId: '9876543210987654321', platformVersion: '1772244164123', phase: 'on_sale', amountFen: 500 } as const;
    const ok = connector({ 'taobao.rp.refunds.agree': '{"succ":true,"msg_code":"OP_SUCC","results":{"refund_mapping_result":[{"refund_id":"9876543210987654321","succ":true,"message":"成功"}]}}' }, 'tmall');
    await ok.c.push(command);
    expect(ok.calls[0]?.fields.refund_infos).toBe('9876543210987654321|500|1772244164123|onsale');

    const entry = connector({
      'taobao.rp.refunds.agree': '{"succ":true,"msg_code":"SOME_OP_SUCC","results":{"refund_mapping_result":[{"refund_id":"9876543210987654321","succ":false,"message":"退款版本已过期"}]}}',
    });
    const e1 = await failure(entry.c.push(command));
    expect(e1).toMatchObject({ kind: 'business', platformMessage: '退款版本已过期' });

    const whole = connector({ 'taobao.rp.refunds.agree': '{"succ":false,"msg_code":"OP_FAILURE_UE","message":"需要短信验证码"}' });
    const e2 = await failure(whole.c.push(command));
    expect(e2).toMatchObject({ kind: 'business', platformMessage: '需要短信验证码', subCode: 'OP_FAILURE_UE' });
  });

  it('push refuse sends the proof as a file; is_success=false is a business error; a rule broken is refused before calling', async () => {
    const proof = { bytes: Buffer.from([1, 2, 3]), contentType: 'image/png', fileName: 'p.png' };
    const { c, calls } = connector({ 'taobao.refund.refuse': '{"is_success":true,"refund":{"refund_id":"1","status":"SELLER_REFUSE_BUYER"}}' }, 'tmall');
    await c.push({ kind: 'refuse', platformRefundId: '1', platformVersion: '2', phase: 'after_sale', message: '已发货', proof, reasonId: null });
    expect(calls[0]?.files).toEqual(['refuse_proof']);
    expect(calls[0]?.fields).toMatchObject({ refund_id: '1', refuse_message: '已发货', refund_phase: 'aftersale', refund_version: '2' });
    const e = await failure(c.push({ kind: 'refuse', platformRefundId: '1', platformVersion: '2', phase: 'after_sale', message: '已', proof, reasonId: null }));
    expect(e.kind).toBe('business');
    expect(calls).toHaveLength(1);

    const refusedByTop = connector({ 'taobao.rp.returngoods.agree': '{"is_success":false}' });
    const e2 = await failure(
      refusedByTop.c.push({ kind: 'agree_return', platformRefundId: '1', platformVersion: '2', phase: 'on_sale', address: { name: 'a', phone: 'b', address: 'c' }, remark: '', postageBy: 'buyer' }),
    );
    expect(e2.kind).toBe('business');
    expect(refusedByTop.calls[0]?.fields).not.toHaveProperty('remark');
  });

  it('refuseReasons', async () => {
    const { c, calls } = connector({
      'taobao.refund.refusereason.get': '{"reasons":{"reason":[{"reason_id":101,"reason_text":"买家未退货"},{"reason_id":102,"reason_text":"商品已影响二次销售"}]},"has_next":false}',
    });
    await expect(c.refuseReasons('9876543210987654321', 'after_sale')).resolves.toEqual([
      { id: '101', text: '买家未退货' },
      { id: '102', text: '商品已影响二次销售' },
    ]);
    expect(calls[0]?.fields).toMatchObject({ fields: 'reason_id,reason_text', refund_id: '9876543210987654321', refund_phase: 'aftersale' });
  });

  it('traceParcel maps the trace; not found → null', async () => {
    const { c } = connector({
      'taobao.logistics.trace.search': (call) =>
        call.fields.tid === '4012345678901234567'
          ? '{"tid":4012345678901234567,"out_sid":"7891","company_name":"中通快递","status":"签收","trace_list":{"transit_step_info":[{"status_time":"2026-03-01 10:00:00","status_desc":"已签收","action":"SIGNED"}]}}'
          : { error: { code: 15, msg: 'x', sub_code: 'isv.logistics-not-exist' } },
    });
    await expect(c.traceParcel('4012345678901234567')).resolves.toEqual({
      courier: '中通快递',
      trackingNo: '7891',
      status: '签收',
      steps: [{ at: new Date('2026-03-01T02:00:00Z'), text: '已签收', action: 'SIGNED' }],
    });
    await expect(c.traceParcel('1')).resolves.toBeNull();
  });
});
