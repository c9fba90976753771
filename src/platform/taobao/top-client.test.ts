import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PlatformError, isPlatformError } from '../connector.ts';
import { classifyTopError, createTopClient, responseKey, topParamText, type TopCallEvent, type TopClientOptions } from './top-client.ts';
import { signTop } from './top-sign.ts';

const SECRET = 'S3CRET-app-secret-0001';
const SESSION = '6100SESSIONKEY0000aaaabbbbccccdddd';
const GATEWAY = 'https://gw.example.test/router/rest';
const FIXED_NOW = new Date('2026-03-01T04:30:45Z'); // 12:30:45 in GMT+8

interface Sent {
  url: string;
  headers: Record<string, string>;
  fields: Record<string, string>;
  files: Record<string, { name: string; type: string; bytes: Buffer }>;
  multipart: boolean;
}

type Answer = { status?: number; body: string } | Error | 'hang';

/** A fetch that records what it was sent and answers from a script. */
function fakeFetch(answer: Answer | ((sent: Sent) => Answer)) {
  const sent: Sent[] = [];
  const impl = (async (url: string | URL | Request, init?: RequestInit) => {
    const fields: Record<string, string> = {};
    const files: Sent['files'] = {};
    const body = init?.body;
    let multipart = false;
    if (body instanceof URLSearchParams) {
      for (const [k, v] of body) fields[k] = v;
    } else if (body instanceof FormData) {
      multipart = true;
      const entries: [string, FormDataEntryValue][] = [];
      body.forEach((v, k) => entries.push([k, v]));
      for (const [k, v] of entries) {
        if (typeof v === 'string') fields[k] = v;
        else files[k] = { name: v.name, type: v.type, bytes: Buffer.from(await v.arrayBuffer()) };
      }
    }
    const s: Sent = { url: String(url), headers: { ...(init?.headers as Record<string, string>) }, fields, files, multipart };
    sent.push(s);
    const a = typeof answer === 'function' ? answer(s) : answer;
    if (a === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError')));
      });
    }
    if (a instanceof Error) throw a;
    return new Response(a.body, { status: a.status ?? 200, headers: { 'content-type': 'application/json;charset=UTF-8' } });
  }) as typeof fetch;
  return { impl, sent };
}

function client(answer: Answer | ((sent: Sent) => Answer), overrides: Partial<TopClientOptions> = {}) {
  const fetch = fakeFetch(answer);
  const events: TopCallEvent[] = [];
  let acquired = 0;
  const c = createTopClient({
    gatewayUrl: GATEWAY,
    appKey: '12345678',
    appSecret: SECRET,
    sessionKey: SESSION,
    signMethod: 'hmac',
    timeoutMs: 5_000,
    limiter: {
      acquire: async () => {
        acquired += 1;
      },
    },
    fetchImpl: fetch.impl,
    onCall: (e) => events.push(e),
    now: () => FIXED_NOW,
    ...overrides,
  });
  return { c, sent: fetch.sent, events, acquired: () => acquired };
}

const ok = (method: string, inner: string) => ({ body: `{"${responseKey(method)}":${inner}}` });
const errorBody = (e: Record<string, unknown>) => ({ body: JSON.stringify({ error_response: { request_id: 'r1', ...e } }) });

async function failure(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (e) {
    if (isPlatformError(e)) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('responseKey and parameter text', () => {
  it('drops the leading taobao. and turns dots into underscores', () => {
    expect(responseKey('taobao.refunds.receive.get')).toBe('refunds_receive_get_response');
    expect(responseKey('taobao.tmc.messages.consume')).toBe('tmc_messages_consume_response');
  });

  it('writes values as TOP reads them and leaves empty ones out', () => {
    expect(topParamText({ a: 'x', b: '', c: undefined, d: 0, e: 12, f: true, g: false, h: ['1', '2', ''], i: [], j: '中文 & =' })).toEqual({
      a: 'x',
      d: '0',
      e: '12',
      f: 'true',
      g: 'false',
      h: '1,2',
      j: '中文 & =',
    });
    expect(() => topParamText({ tid: 2 ** 60 })).toThrow(/as text/);
    expect(() => topParamText({ n: NaN })).toThrow();
    expect(() => topParamText({ sign: 'x' })).toThrow(/set by the client/);
  });
});

describe('a successful call', () => {
  it('posts a signed form with the common parameters, and returns the inner object with big ids as text', async () => {
    const { c, sent, events, acquired } = client(
      ok('taobao.refund.get', '{"refund":{"refund_id":"9876543210987654321","tid":4012345678901234567,"refund_version":1700000000123},"request_id":"abc"}'),
    );
    const answer = await c.call('taobao.refund.get', {
      fields: ['refund_id', 'tid', 'refund_version'],
      refund_id: '9876543210987654321',
      buyer_nick: '',
      page_no: 1,
      use_has_next: true,
      status: undefined,
    });
    expect(answer).toEqual({ refund: { refund_id: '9876543210987654321', tid: '4012345678901234567', refund_version: 1700000000123 }, request_id: 'abc' });
    expect(acquired()).toBe(1);
    expect(sent).toHaveLength(1);
    const s = sent[0] as Sent;
    expect(s.url).toBe(GATEWAY);
    expect(s.multipart).toBe(false);
    expect(s.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=utf-8');
    const { sign, ...unsigned } = s.fields;
    expect(unsigned).toEqual({
      method: 'taobao.refund.get',
      app_key: '12345678',
      session: SESSION,
      timestamp: '2026-03-01 12:30:45',
      format: 'json',
      v: '2.0',
      sign_method: 'hmac',
      fields: 'refund_id,tid,refund_version',
      refund_id: '9876543210987654321',
      page_no: '1',
      use_has_next: 'true',
    });
    expect(sign).toBe(signTop(unsigned, SECRET, 'hmac'));
    expect(Object.values(s.fields)).not.toContain('');
    expect(events).toEqual([{ method: 'taobao.refund.get', ms: expect.any(Number), outcome: 'ok' }]);
  });

  it('sends no session parameter when there is none', async () => {
    const { c, sent } = client(ok('taobao.time.get', '{"time":"2026-03-01 12:30:45"}'), { sessionKey: null, signMethod: 'md5' });
    await c.call('taobao.time.get', {});
    const { sign, ...unsigned } = (sent[0] as Sent).fields;
    expect(unsigned).not.toHaveProperty('session');
    expect(sign).toBe(signTop(unsigned, SECRET, 'md5'));
  });

  it('sends files as multipart parts that are not signed', async () => {
    const { c, sent } = client(ok('taobao.refund.refuse', '{"is_success":true}'));
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    await c.call('taobao.refund.refuse', { refund_id: '9876543210987654321', refuse_message: '已发货，请查看物流' }, { refuse_proof: { bytes, contentType: 'image/png', fileName: 'proof.png' } });
    const s = sent[0] as Sent;
    expect(s.multipart).toBe(true);
    expect(s.headers['content-type']).toBeUndefined(); // fetch writes the boundary
    expect(s.files.refuse_proof).toEqual({ name: 'proof.png', type: 'image/png', bytes });
    const { sign, ...unsigned } = s.fields;
    expect(unsigned).not.toHaveProperty('refuse_proof');
    expect(unsigned.refuse_message).toBe('已发货，请查看物流');
    expect(sign).toBe(signTop(unsigned, SECRET, 'hmac'));
  });

  it('awaits the limiter before every call', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const { c, sent } = client(
      (s) => {
        order.push(`fetch ${s.fields.method}`);
        return ok(s.fields.method as string, '{}');
      },
      {
        limiter: {
          acquire: async () => {
            order.push('acquire');
            await gate;
          },
        },
      },
    );
    const p = c.call('taobao.user.seller.get', { fields: 'nick' });
    await new Promise((r) => setTimeout(r, 5));
    expect(sent).toHaveLength(0);
    release();
    await p;
    expect(order).toEqual(['acquire', 'fetch taobao.user.seller.get']);
  });
});

describe('errors', () => {
  const method = 'taobao.refund.get';
  const params = { fields: 'refund_id,reason', refund_id: '9876543210987654321', buyer_nick: '张三丰', receiver_mobile: '13800138000' };
  const privateWords = [SECRET, SESSION, '9876543210987654321', '张三丰', '13800138000'];

  const families: [string, Answer, { kind: string; code: string; subCode?: string | null; retryAfterMs?: number | null; words?: string }][] = [
    [
      'code 7 App Call Limited with its ban',
      errorBody({ code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-app-access-count', sub_msg: 'This ban will last for 12 more seconds' }),
      { kind: 'retriable', code: '7', subCode: 'accesscontrol.limited-by-app-access-count', retryAfterMs: 12_000, words: 'This ban will last for 12 more seconds' },
    ],
    ['code 7 without a ban length', errorBody({ code: 7, msg: 'App Call Limited' }), { kind: 'retriable', code: '7', retryAfterMs: null, words: 'App Call Limited' }],
    ['code 15 with an isp sub-code', errorBody({ code: 15, msg: 'Remote service error', sub_code: 'isp.top-remote-connection-timeout', sub_msg: '远程服务超时' }), { kind: 'retriable', code: '15', subCode: 'isp.top-remote-connection-timeout', words: '远程服务超时' }],
    ['any isp sub-code', errorBody({ code: 50, msg: 'x', sub_code: 'isp.unknown-error' }), { kind: 'retriable', code: '50', subCode: 'isp.unknown-error', words: 'x' }],
    ['code 15 with an isv sub-code', errorBody({ code: 15, msg: 'Remote service error', sub_code: 'isv.refund-status-not-support', sub_msg: '退款状态不支持此操作' }), { kind: 'business', code: '15', subCode: 'isv.refund-status-not-support', words: '退款状态不支持此操作' }],
    ['code 26 missing session', errorBody({ code: 26, msg: 'Missing session' }), { kind: 'auth', code: '26' }],
    ['code 27 invalid session', errorBody({ code: 27, msg: 'Invalid session', sub_code: 'invalid-sessionkey' }), { kind: 'auth', code: '27', subCode: 'invalid-sessionkey' }],
    ['a session-expired sub-code', errorBody({ code: 15, msg: 'x', sub_code: 'session-expired' }), { kind: 'auth', code: '15' }],
    ['a sessionkey-not-exist sub-code', errorBody({ code: 15, msg: 'x', sub_code: 'isv.sessionkey-not-exist' }), { kind: 'auth', code: '15' }],
    ['code 25 invalid signature', errorBody({ code: 25, msg: 'Invalid signature' }), { kind: 'business', code: '25', words: 'Invalid signature' }],
    ['code 31 invalid timestamp', errorBody({ code: 31, msg: 'Invalid timestamp' }), { kind: 'business', code: '31' }],
    ['code 40 missing argument', errorBody({ code: 40, msg: 'Missing required arguments:refund_id' }), { kind: 'business', code: '40' }],
    ['code 41 invalid argument', errorBody({ code: 41, msg: 'Invalid arguments:refund_id' }), { kind: 'business', code: '41' }],
    ['HTTP 500', { status: 500, body: '<html>Internal Server Error</html>' }, { kind: 'retriable', code: 'http_500' }],
    ['HTTP 503', { status: 503, body: '' }, { kind: 'retriable', code: 'http_503' }],
    ['HTTP 429', { status: 429, body: 'slow down' }, { kind: 'retriable', code: 'http_429' }],
    ['HTTP 403', { status: 403, body: 'forbidden' }, { kind: 'business', code: 'http_403' }],
    ['HTTP 404', { status: 404, body: 'not found' }, { kind: 'business', code: 'http_404' }],
    ['a network failure', new TypeError('fetch failed'), { kind: 'retriable', code: 'network' }],
    ['an answer that is not JSON', { body: '<?xml version="1.0"?><refund_get_response/>' }, { kind: 'bad_response', code: 'not_json' }],
    ['JSON that is not an object', { body: '[1,2]' }, { kind: 'bad_response', code: 'not_json' }],
    ['an answer without the expected key', { body: '{"trade_fullinfo_get_response":{}}' }, { kind: 'bad_response', code: 'no_response_key' }],
    ['the simplified shape (no wrapper key)', { body: '{"refund":{"refund_id":"1"}}' }, { kind: 'bad_response', code: 'no_response_key' }],
  ];

  it.each(families)('%s', async (_name, answer, expected) => {
    const { c, events } = client(answer);
    const e = await failure(c.call(method, params));
    expect(e.kind).toBe(expected.kind);
    expect(e.code).toBe(expected.code);
    if (expected.subCode !== undefined) expect(e.subCode).toBe(expected.subCode);
    if (expected.retryAfterMs !== undefined) expect(e.retryAfterMs).toBe(expected.retryAfterMs);
    if (expected.words !== undefined) expect(e.platformMessage).toBe(expected.words);
    for (const word of privateWords) {
      expect(e.message).not.toContain(word);
      expect(e.platformMessage).not.toContain(word);
      expect(JSON.stringify(events)).not.toContain(word);
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ method, outcome: expected.kind });
  });

  it('puts no sign into a message', async () => {
    const { c, sent } = client(errorBody({ code: 25, msg: 'Invalid signature' }));
    const e = await failure(c.call(method, params));
    expect(e.message).not.toContain((sent[0] as Sent).fields.sign);
  });

  it('an error_response on a 4xx is classified by its code', async () => {
    const { c } = client({ status: 400, body: JSON.stringify({ error_response: { code: 27, msg: 'Invalid session', sub_code: 'session-expired' } }) });
    expect((await failure(c.call(method, params))).kind).toBe('auth');
  });

  it('a 5xx stays retriable whatever its body says', async () => {
    const { c } = client({ status: 502, body: JSON.stringify({ error_response: { code: 41, msg: 'Invalid arguments' } }) });
    expect((await failure(c.call(method, params))).kind).toBe('retriable');
  });

  it('times out with a retriable error', async () => {
    const { c, events } = client('hang', { timeoutMs: 20 });
    const e = await failure(c.call(method, params));
    expect(e.kind).toBe('retriable');
    expect(e.code).toBe('timeout');
    expect(e.message).toContain(method);
    expect(events[0]).toMatchObject({ outcome: 'retriable', code: 'timeout' });
  });

  it('an observer that throws does not change the outcome', async () => {
    const { c } = client(ok(method, '{"refund":{}}'), {
      onCall: () => {
        throw new Error('observer broke');
      },
    });
    await expect(c.call(method, params)).resolves.toEqual({ refund: {} });
  });

  it('classifies codes directly', () => {
    expect(classifyTopError('7', null, 'This ban will last for 3 more seconds')).toEqual({ kind: 'retriable', retryAfterMs: 3_000 });
    expect(classifyTopError('15', 'isv.invalid-parameter', null).kind).toBe('business');
    expect(classifyTopError('15', null, null).kind).toBe('business');
    expect(classifyTopError('27', 'isv.whatever', null).kind).toBe('auth');
    expect(classifyTopError('10', null, null).kind).toBe('retriable');
    expect(classifyTopError('22', null, null).kind).toBe('business');
  });
});

describe('over real HTTP (a local server, the real fetch)', () => {
  it('the form and the multipart body arrive intact, Chinese text included, and the sign verifies', async () => {
    const received: { fields: Record<string, string>; fileBytes: number[] | null; contentType: string }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const contentType = req.headers['content-type'] ?? '';
        void new Request('http://local/', { method: 'POST', headers: { 'content-type': contentType }, body: Buffer.concat(chunks) })
          .formData()
          .then(async (form) => {
            const fields: Record<string, string> = {};
            let fileBytes: number[] | null = null;
            const entries: [string, FormDataEntryValue][] = [];
            form.forEach((v, k) => entries.push([k, v]));
            for (const [k, v] of entries) {
              if (typeof v === 'string') fields[k] = v;
              else fileBytes = [...new Uint8Array(await v.arrayBuffer())];
            }
            received.push({ fields, fileBytes, contentType });
            res.setHeader('content-type', 'application/json;charset=UTF-8');
            res.end(`{"${responseKey(fields.method as string)}":{"is_success":true}}`);
          });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = server.address() as AddressInfo;
      const c = createTopClient({
        gatewayUrl: `http://127.0.0.1:${port}/router/rest`,
        appKey: '12345678',
        appSecret: SECRET,
        sessionKey: SESSION,
        signMethod: 'hmac-sha256',
        timeoutMs: 5_000,
        limiter: { acquire: async () => undefined },
      });
      const message = '您好 & 商品=已签收，+100% 无质量问题';
      await c.call('taobao.refund.refuse', { refund_id: '9876543210987654321', refuse_message: message });
      await c.call('taobao.refund.refuse', { refund_id: '9876543210987654321', refuse_message: message }, { refuse_proof: { bytes: Buffer.from([0, 1, 254, 255]), contentType: 'image/png', fileName: '凭证.png' } });
      expect(received).toHaveLength(2);
      expect(received[0]?.contentType).toBe('application/x-www-form-urlencoded;charset=utf-8');
      expect(received[1]?.contentType).toMatch(/^multipart\/form-data; boundary=/);
      expect(received[1]?.fileBytes).toEqual([0, 1, 254, 255]);
      for (const r of received) {
        const { sign, ...unsigned } = r.fields;
        expect(unsigned.refuse_message).toBe(message);
        expect(sign).toBe(signTop(unsigned, SECRET, 'hmac-sha256'));
      }
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
