/**
 * topsim over HTTP: the TOP gateway at /router/rest and the control API under
 * /sim/*. A look-alike of the Taobao Open Platform for tests and demos, never
 * for production.
 *
 * Gateway: POST /router/rest with application/x-www-form-urlencoded or
 * multipart/form-data (file parts are not signed), or GET with a query
 * string; query parameters and body parameters are merged (the body wins).
 * Answers are HTTP 200 JSON, TOP's wrapped shape, except injected faults
 * (http500: HTTP 500 with an HTML body; malformed: a body that is not JSON;
 * timeout: no answer for 30 s or until close, then the connection is cut).
 *
 * Control API (JSON in and out, no signature; served to loopback clients only;
 * ids as decimal strings; errors `{"error": "..."}` with 400/404/409):
 *   GET  /sim/info                      gateway URL, app key and secret, seller, shop type, now
 *   GET  /sim/state                     every trade (fullinfo shape) and refund (refund.get shape), ids as raw numbers
 *   GET  /sim/stats                     calls per method, peak calls in a rolling second per app key, errors
 *   POST /sim/stats/reset
 *   GET  /sim/messages                  the TMC queue: id, topic, pub_time, content, state, deliveries
 *   POST /sim/faults                    FaultOptions → the faults now armed
 *   POST /sim/activity                  {"perMinute": 6}: buyer actions on their own (0 stops)
 *   POST /sim/time/advance              {"ms": 60000}: moves the sim's clock on → {"now": "..."}
 *   POST /sim/orders                    {"lines"?, "paid"?, "buyerNick"?} → {"tid", "oids"}
 *   POST /sim/orders/:tid/pay | ship | sign | finish | close      ship: {"company"?, "sid"?}
 *   POST /sim/refunds                   {"tid", "oid"?, "hasGoodReturn"?, "reasonText"?, "amountFen"?, "desc"?}
 *                                       → {"refundId", "status", "version"}
 *   POST /sim/refunds/:id/modify        {"amountFen"?, "reasonText"?, "desc"?, "hasGoodReturn"?}
 *   POST /sim/refunds/:id/ship-return   {"company", "sid"}
 *   POST /sim/refunds/:id/withdraw | intervention | timeout
 *   POST /sim/refunds/:id/decide        {"outcome": "refund" | "reject"}
 * Courier tracking (issue 15 §3; see courier.ts), a 快递100-style service for every parcel the sim knows:
 *   GET  /courier/trace?company=…&number=…   200 the trace, newest scan first; 404 not known
 * The load test's peak day (issue 16 §3; see load.ts):
 *   POST /sim/load/prepare | start | stop, GET /sim/load/status | log | snapshot
 * Test hooks:
 *   POST /sim/refunds/:id/corrupt       {"overrides": {"refund_fee": "12.3.4"}} (null: answer truly again):
 *                                       refund.get / refunds.receive.get answer these fields instead
 *   POST /sim/messages/raw              {"topic", "content"}: queues a TMC message as given
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { formatTopTime } from '../platform/taobao/top-sign.ts';
import { courierTrace } from './courier.ts';
import type { SimFile } from './gateway.ts';
import { writeTopJson } from './json.ts';
import { loadRoute, SimLoad } from './load.ts';
import { Sim, SimError, type FaultOptions, type SimControl, type SimOptions } from './state.ts';

export interface TopSimOptions extends SimOptions {
  /** 0 (default): any free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
}

export interface TopSim {
  /** http://host:port */
  url: string;
  /** url + '/router/rest' */
  gatewayUrl: string;
  app: { appKey: string; appSecret: string };
  seller: { nick: string; sessionKey: string; userId: string };
  control: SimControl;
  /** the state behind it (for tests that need more than the control API) */
  sim: Sim;
  close(): Promise<void>;
}

/** How long an injected timeout holds the answer (longer than any client's timeout). */
const HOLD_MS = 30_000;
const MAX_BODY = 20 * 1024 * 1024;

export async function startTopSim(options: TopSimOptions = {}): Promise<TopSim> {
  const sim = new Sim(options);
  const held = new Set<{ res: http.ServerResponse; timer: NodeJS.Timeout }>();
  const host = options.host ?? '127.0.0.1';
  let base = '';
  // the load test's peak day, made when first asked for (it keeps a log of every change from then on)
  let load: SimLoad | null = null;

  const server = http.createServer((req, res) => {
    serve(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: e instanceof Error ? e.message : String(e) });
      else res.destroy();
    });
  });

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://topsim.local');
    if (url.pathname === '/router/rest') return gateway(req, res, url);
    if (url.pathname === '/courier/trace') return courier(req, res, url);
    if (url.pathname === '/sim' || url.pathname.startsWith('/sim/')) {
      if (!isLoopback(req.socket.remoteAddress)) return sendJson(res, 403, { error: 'the control API answers local clients only' });
      return control(req, res, url);
    }
    sendJson(res, 404, { error: `nothing at ${url.pathname}: the gateway is /router/rest, the courier service /courier/trace, the control API /sim/*` });
  }

  async function gateway(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const arrivedAt = performance.now();
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      res.end(writeTopJson({ error_response: { code: 9, msg: 'Http Action Not Allowed', request_id: sim.nextRequestId() } }));
      return;
    }
    const params: Record<string, string> = {};
    const files: Record<string, SimFile> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    if (req.method === 'POST') {
      const body = await readBody(req);
      const type = req.headers['content-type'] ?? '';
      if (/^multipart\/form-data/i.test(type)) {
        let form: FormData;
        try {
          form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
        } catch {
          res.writeHead(400, { 'content-type': 'text/plain;charset=UTF-8' });
          res.end('a multipart body that cannot be read');
          return;
        }
        const entries: [string, FormDataEntryValue][] = [];
        form.forEach((v, k) => entries.push([k, v]));
        for (const [k, v] of entries) {
          if (typeof v === 'string') params[k] = v;
          else files[k] = { fileName: v.name, contentType: v.type, bytes: Buffer.from(await v.arrayBuffer()) };
        }
      } else if (body.length > 0) {
        for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
      }
    }
    const outcome = sim.gateway({ params, files, arrivedAt });
    switch (outcome.kind) {
      case 'answer':
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
        res.end(outcome.text);
        return;
      case 'http500':
        res.writeHead(500, { 'content-type': 'text/html;charset=UTF-8' });
        res.end(outcome.text);
        return;
      case 'timeout': {
        const entry = {
          res,
          timer: setTimeout(() => {
            held.delete(entry);
            res.destroy();
          }, HOLD_MS),
        };
        entry.timer.unref();
        held.add(entry);
        res.on('close', () => {
          clearTimeout(entry.timer);
          held.delete(entry);
        });
        return;
      }
    }
  }

  function courier(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    if (req.method !== 'GET') return sendJson(res, 405, { result: false, returnCode: '405', message: '只支持 GET' });
    const number = url.searchParams.get('number') ?? '';
    if (number.trim() === '') return sendJson(res, 400, { result: false, returnCode: '400', message: '缺少快递单号 number' });
    const trace = courierTrace(sim, number);
    if (!trace) return sendJson(res, 404, { result: false, returnCode: '404', message: '查询无结果，请隔段时间再查' });
    sendJson(res, 200, trace);
  }

  async function control(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    let body: Record<string, unknown> = {};
    if (method === 'POST') {
      const raw = (await readBody(req)).toString('utf8').trim();
      if (raw !== '') {
        try {
          const parsed: unknown = JSON.parse(raw);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
          body = parsed as Record<string, unknown>;
        } catch {
          return sendJson(res, 400, { error: 'the body must be a JSON object' });
        }
      }
    }
    try {
      const out = path.startsWith('/sim/load/') ? loadRoute((load ??= new SimLoad(sim)), method, path, body, url.searchParams) : route(method, path, body);
      if (out === undefined) return sendJson(res, 404, { error: `no control route ${method} ${path}` });
      sendJson(res, 200, out);
    } catch (e) {
      if (e instanceof SimError) return sendJson(res, e.status, { error: e.message });
      throw e;
    }
  }

  /** the control routes; undefined: no such route */
  function route(method: string, path: string, body: Record<string, unknown>): unknown {
    const c = sim.control;
    const get = method === 'GET';
    const post = method === 'POST';
    if (get && path === '/sim/info') {
      return { url: base, gatewayUrl: `${base}/router/rest`, app: sim.app, seller: sim.seller, shopType: sim.shopType, now: formatTopTime(sim.now()) };
    }
    // what `shouhou shop add --bind-topsim` reads to bind a demo shop to this simulator
    if (get && path === '/sim/credentials') {
      return { gatewayUrl: `${base}/router/rest`, appKey: sim.app.appKey, appSecret: sim.app.appSecret, sessionKey: sim.seller.sessionKey, sellerNick: sim.seller.nick };
    }
    if (get && path === '/sim/state') return c.state();
    if (get && path === '/sim/stats') return c.stats();
    if (post && path === '/sim/stats/reset') return (c.resetStats(), { ok: true });
    if (get && path === '/sim/messages') return c.messages();
    if (post && path === '/sim/messages/raw') {
      const topic = optStr(body.topic, 'topic');
      const content = optStr(body.content, 'content');
      if (!topic || content === undefined) throw new SimError('topic and content are required', 400);
      sim.publishRaw(topic, content);
      return { ok: true };
    }
    const corrupt = /^\/sim\/refunds\/([0-9]+)\/corrupt$/.exec(path);
    if (post && corrupt) {
      const overrides = body.overrides;
      if (overrides !== null && (typeof overrides !== 'object' || Array.isArray(overrides))) throw new SimError('overrides must be an object or null', 400);
      sim.corruptRefund(corrupt[1] as string, overrides as Record<string, unknown> | null);
      return { ok: true };
    }
    if (post && path === '/sim/faults') return c.faults(body as FaultOptions);
    if (post && path === '/sim/activity') return (c.activity(num(body.perMinute, 'perMinute')), { ok: true });
    if (post && path === '/sim/time/advance') return { now: formatTopTime(c.advanceTime(num(body.ms, 'ms'))) };
    if (post && path === '/sim/orders') {
      return c.createOrder({ lines: optNum(body.lines, 'lines'), paid: optBool(body.paid, 'paid'), buyerNick: optStr(body.buyerNick, 'buyerNick') });
    }
    if (post && path === '/sim/refunds') {
      return c.applyRefund({
        tid: id(body.tid, 'tid'),
        oid: body.oid === undefined ? undefined : id(body.oid, 'oid'),
        hasGoodReturn: optBool(body.hasGoodReturn, 'hasGoodReturn'),
        reasonText: optStr(body.reasonText, 'reasonText'),
        amountFen: optNum(body.amountFen, 'amountFen'),
        desc: optStr(body.desc, 'desc'),
      });
    }
    const order = /^\/sim\/orders\/([0-9]+)\/(pay|ship|sign|finish|close)$/.exec(path);
    if (post && order) {
      const [, tid, action] = order as unknown as [string, string, string];
      if (action === 'pay') c.payOrder(tid);
      else if (action === 'ship') c.shipOrder(tid, { company: optStr(body.company, 'company'), sid: optStr(body.sid, 'sid') });
      else if (action === 'sign') c.signOrder(tid);
      else if (action === 'finish') c.finishOrder(tid);
      else c.closeOrder(tid);
      return { ok: true };
    }
    const refund = /^\/sim\/refunds\/([0-9]+)\/(modify|ship-return|withdraw|intervention|decide|timeout)$/.exec(path);
    if (post && refund) {
      const [, rid, action] = refund as unknown as [string, string, string];
      switch (action) {
        case 'modify':
          return c.modifyRefund(rid, {
            amountFen: optNum(body.amountFen, 'amountFen'),
            reasonText: optStr(body.reasonText, 'reasonText'),
            desc: optStr(body.desc, 'desc'),
            hasGoodReturn: optBool(body.hasGoodReturn, 'hasGoodReturn'),
          });
        case 'ship-return':
          return c.shipReturn(rid, { company: optStr(body.company, 'company') ?? '', sid: optStr(body.sid, 'sid') ?? '' });
        case 'withdraw':
          return c.withdrawRefund(rid);
        case 'intervention':
          return c.requestIntervention(rid);
        case 'decide': {
          const outcome = body.outcome;
          if (outcome !== 'refund' && outcome !== 'reject') throw new SimError('outcome must be "refund" or "reject"', 400);
          return c.decideIntervention(rid, outcome);
        }
        case 'timeout':
          return c.timeoutRefund(rid);
      }
    }
    return undefined;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  base = `http://${shownHost}:${address.port}`;

  let closed: Promise<void> | null = null;
  return {
    url: base,
    gatewayUrl: `${base}/router/rest`,
    app: sim.app,
    seller: sim.seller,
    control: sim.control,
    sim,
    close() {
      closed ??= new Promise<void>((resolve) => {
        load?.dispose();
        sim.dispose();
        for (const h of held) {
          clearTimeout(h.timer);
          h.res.destroy();
        }
        held.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(writeTopJson(value));
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw new SimError('the body is too large', 400);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function id(v: unknown, name: string): string {
  if (typeof v === 'string' && /^[0-9]{1,20}$/.test(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  throw new SimError(`${name} must be an id as a decimal string`, 400);
}

function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new SimError(`${name} must be a number`, 400);
  return v;
}

function optNum(v: unknown, name: string): number | undefined {
  return v === undefined || v === null ? undefined : num(v, name);
}

function optBool(v: unknown, name: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new SimError(`${name} must be true or false`, 400);
  return v;
}

function optStr(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new SimError(`${name} must be a string`, 400);
  return v;
}
