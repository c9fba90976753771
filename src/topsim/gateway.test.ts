/** The gateway's common parameters over real HTTP: signing, timestamps, sessions, formats, errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTopTime } from '../platform/taobao/top-sign.ts';
import { startTopSim, type TopSim } from './server.ts';
import { callTop, errorOf, inner } from './test-client.ts';

let sim: TopSim;
beforeAll(async () => {
  sim = await startTopSim({ seed: 11 });
});
afterAll(async () => {
  await sim.close();
});

const sellerGet = { fields: 'nick,user_id' };

describe('signature', () => {
  it.each(['md5', 'hmac', 'hmac-sha256'] as const)('accepts %s', async (signMethod) => {
    const r = await callTop(sim, 'taobao.user.seller.get', sellerGet, { signMethod });
    expect(r.status).toBe(200);
    expect(inner(r).user).toEqual({ user_id: Number(sim.seller.userId), nick: sim.seller.nick });
    expect(r.text).toMatch(/^\{"user_seller_get_response":\{"user":\{.*\},"request_id":"[0-9a-z]+"\}\}$/);
  });

  it('refuses a wrong signature (25), one made with another method, and another secret', async () => {
    for (const options of [{ sign: '0123456789ABCDEF0123456789ABCDEF' }, { secret: 'not-the-secret' }]) {
      const e = errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, options));
      expect(e.code).toBe(25);
      expect(e.msg).toBe('Invalid signature');
      expect(e.request_id).toBeTruthy();
    }
    // signed with md5 but claims hmac
    const md5 = await callTop(sim, 'taobao.user.seller.get', sellerGet);
    expect(md5.status).toBe(200);
    const e = errorOf(await callTop(sim, 'taobao.user.seller.get', { ...sellerGet, sign_method: 'hmac' }, { signMethod: 'md5' }));
    expect(e.code).toBe(25);
  });

  it('signs every parameter but files; empty ones are not signed', async () => {
    const r = await callTop(sim, 'taobao.user.seller.get', { ...sellerGet, buyer_nick: '' });
    expect(inner(r).user).toBeDefined();
    const missing = errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { omit: ['sign'], sign: '' }));
    expect(missing.code).toBe(24);
    const bad = errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { signMethod: 'sha1' as never }));
    expect(bad.code).toBe(41);
    expect(bad.sub_code).toBe('isv.invalid-parameter:sign_method');
  });

  it('answers GET with a query string too', async () => {
    const r = await callTop(sim, 'taobao.user.seller.get', sellerGet, { get: true });
    expect(inner(r).user).toBeDefined();
  });
});

describe('common parameters', () => {
  it('refuses a timestamp more than 10 minutes off, or not one (31), or none (30)', async () => {
    const old = formatTopTime(new Date(sim.sim.nowMs() - 11 * 60_000));
    const e = errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { timestamp: old }));
    expect(e.code).toBe(31);
    expect(e.msg).toBe('Invalid timestamp');
    const ahead = formatTopTime(new Date(sim.sim.nowMs() + 11 * 60_000));
    expect(errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { timestamp: ahead })).code).toBe(31);
    const nine = formatTopTime(new Date(sim.sim.nowMs() - 9 * 60_000));
    expect(inner(await callTop(sim, 'taobao.user.seller.get', sellerGet, { timestamp: nine })).user).toBeDefined();
    expect(errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { timestamp: String(Date.now()) })).code).toBe(31);
    expect(errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { omit: ['timestamp'] })).code).toBe(30);
  });

  it('serves format=json only', async () => {
    expect(errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { format: 'xml' })).code).toBe(23);
    expect(errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { omit: ['format'] })).code).toBe(23);
    const simplified = errorOf(await callTop(sim, 'taobao.user.seller.get', { ...sellerGet, simplify: 'true' }));
    expect(simplified.code).toBe(41);
  });

  it('checks method, app key and version', async () => {
    expect(errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { appKey: '1' })).code).toBe(29);
    expect(errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { omit: ['app_key'] })).code).toBe(28);
    expect(errorOf(await callTop(sim, 'taobao.no.such.method', {})).code).toBe(22);
    expect(errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { omit: ['method'] })).code).toBe(21);
    expect(errorOf(await callTop(sim, 'taobao.user.seller.get', { ...sellerGet, v: '1.0' })).code).toBe(34);
  });

  it('sessions: missing 26, unknown 27 invalid-sessionkey, expired 27 session-expired', async () => {
    expect(errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { session: null })).code).toBe(26);
    const unknown = errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet, { session: '6100deadbeef' }));
    expect(unknown).toMatchObject({ code: 27, msg: 'Invalid session', sub_code: 'invalid-sessionkey' });
    sim.control.faults({ expireSession: true });
    try {
      const expired = errorOf(await callTop(sim, 'taobao.user.seller.get', sellerGet));
      expect(expired).toMatchObject({ code: 27, sub_code: 'session-expired' });
    } finally {
      sim.control.faults({ expireSession: false });
    }
    expect(inner(await callTop(sim, 'taobao.user.seller.get', sellerGet)).user).toBeDefined();
    // TMC consume is an app call: no session needed
    expect(inner(await callTop(sim, 'taobao.tmc.messages.consume', { quantity: 10 }, { session: null }))).toBeDefined();
  });

  it('missing argument 40, invalid argument 41 with the parameter named', async () => {
    const m = errorOf(await callTop(sim, 'taobao.user.seller.get', {}));
    expect(m).toMatchObject({ code: 40, msg: 'Missing required arguments:fields', sub_code: 'isv.missing-parameter:fields' });
    const i = errorOf(await callTop(sim, 'taobao.refunds.receive.get', { fields: 'refund_id', page_size: 101 }));
    expect(i).toMatchObject({ code: 41, sub_code: 'isv.invalid-parameter:page_size' });
    const t = errorOf(await callTop(sim, 'taobao.trade.fullinfo.get', { fields: 'tid', tid: 'abc' }));
    expect(t).toMatchObject({ code: 41, sub_code: 'isv.invalid-parameter:tid' });
    const d = errorOf(await callTop(sim, 'taobao.refunds.receive.get', { fields: 'refund_id', start_modified: '2026-13-01 00:00:00' }));
    expect(d.sub_code).toBe('isv.invalid-parameter:start_modified');
  });

  it('other paths and HTTP methods', async () => {
    const r = await fetch(`${sim.url}/nothing`);
    expect(r.status).toBe(404);
    const put = await fetch(sim.gatewayUrl, { method: 'PUT' });
    expect(await put.text()).toContain('"code":9');
  });
});
