/**
 * One TOP call over HTTP: common parameters, signing, the body (form or multipart), a
 * timeout, the shared rate limit, and the answer turned into either its inner object or a
 * classified PlatformError.
 *
 * Nothing here logs. Errors and `onCall` carry only the method name and codes (and TOP's own
 * words in PlatformError.platformMessage): never the secret, the session key, the sign or a
 * parameter value, which may hold a buyer's personal data.
 */
import { PlatformError, type PlatformErrorKind } from '../connector.ts';
import type { RateLimiter } from './rate-limit.ts';
import { parseTopJson } from './top-json.ts';
import { formatTopTime, signTop, type SignMethod } from './top-sign.ts';

export type TopParamValue = string | number | boolean | string[] | undefined;
export type TopParams = Record<string, TopParamValue>;
export interface TopFile {
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

export interface TopCallEvent {
  method: string;
  /** the HTTP exchange, without the wait for the rate limiter */
  ms: number;
  outcome: 'ok' | PlatformErrorKind;
  /** TOP's code (and sub-code, `code/sub_code`), or ours: timeout, network, http_503, not_json, … */
  code?: string;
}

export interface TopClientOptions {
  gatewayUrl: string;
  appKey: string;
  appSecret: string;
  sessionKey: string | null;
  signMethod: SignMethod;
  timeoutMs: number;
  limiter: RateLimiter;
  fetchImpl?: typeof fetch;
  onCall?: (e: TopCallEvent) => void;
  now?: () => Date;
}

export interface TopClient {
  call(method: string, params: TopParams, files?: Record<string, TopFile>): Promise<Record<string, unknown>>;
}

/** Names the client sets itself; a caller passing one is a bug. */
const commonNames = new Set(['method', 'app_key', 'session', 'timestamp', 'format', 'v', 'sign_method', 'sign', 'simplify', 'target_app_key', 'partner_id']);

/** `taobao.refunds.receive.get` → `refunds_receive_get_response` */
export function responseKey(method: string): string {
  return `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`;
}

/** Parameter values as TOP reads them; empty and undefined values are left out (neither sent nor signed). */
export function topParamText(params: TopParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (commonNames.has(name)) throw new Error(`TOP parameter ${name} is set by the client`);
    let text: string;
    if (value === undefined) continue;
    else if (typeof value === 'string') text = value;
    else if (typeof value === 'boolean') text = value ? 'true' : 'false';
    else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`TOP parameter ${name} is not a finite number`);
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) throw new Error(`TOP parameter ${name} is an integer beyond 2^53: pass it as text`);
      text = String(value);
    } else text = value.filter((v) => v !== '').join(',');
    if (text !== '') out[name] = text;
  }
  return out;
}

const sessionSubCodes = /(^|\.)(invalid-sessionkey|session-expired|sessionkey-not-exist|session-not-exist|invalid-session|missing-session)$/i;
const banSeconds = /ban will last for (\d+) more seconds?/i;

/** TOP codes under 100 that mean "too many calls" or "the service is down for now". */
const retriableCodes = new Set(['4', '5', '6', '7', '8', '10']);
const authCodes = new Set(['26', '27']);

/** The kind of an `error_response` (HTTP 200). */
export function classifyTopError(code: string, subCode: string | null, subMsg: string | null): { kind: PlatformErrorKind; retryAfterMs: number | null } {
  const sub = subCode ?? '';
  if (authCodes.has(code) || sessionSubCodes.test(sub)) return { kind: 'auth', retryAfterMs: null };
  if (retriableCodes.has(code) || sub.startsWith('isp.') || sub.startsWith('accesscontrol.')) {
    const m = subMsg ? banSeconds.exec(subMsg) : null;
    return { kind: 'retriable', retryAfterMs: m ? Number(m[1]) * 1_000 : null };
  }
  // isv.* (the request itself), 21–25, 28–34, 40, 41, 11–13 (permissions) and anything unknown: a person decides
  return { kind: 'business', retryAfterMs: null };
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The PlatformError of an `error_response` object. */
export function topErrorFrom(body: Record<string, unknown>): PlatformError {
  const code = text(body.code) ?? 'unknown';
  const subCode = text(body.sub_code);
  const subMsg = text(body.sub_msg);
  const msg = text(body.msg);
  const { kind, retryAfterMs } = classifyTopError(code, subCode, subMsg ?? msg);
  return new PlatformError({ kind, code, subCode, message: subMsg ?? msg ?? 'TOP gave no message', retryAfterMs });
}

export function createTopClient(options: TopClientOptions): TopClient {
  const fetchImpl = options.fetchImpl ?? fetch;
  const now = options.now ?? (() => new Date());
  if (!(options.timeoutMs > 0)) throw new Error('a TOP client needs a positive timeout');

  function report(method: string, started: number, outcome: 'ok' | PlatformErrorKind, code?: string): void {
    if (!options.onCall) return;
    try {
      options.onCall({ method, ms: Math.round(performance.now() - started), outcome, ...(code === undefined ? {} : { code }) });
    } catch {
      // an observer's failure is not the call's
    }
  }

  function codeOf(e: PlatformError): string {
    return e.subCode ? `${e.code}/${e.subCode}` : e.code;
  }

  async function call(method: string, params: TopParams, files: Record<string, TopFile> = {}): Promise<Record<string, unknown>> {
    if (!/^[a-z0-9]+(\.[a-z0-9_]+)+$/i.test(method)) throw new Error(`not a TOP method name: ${method}`);
    const all: Record<string, string> = {
      ...topParamText(params),
      method,
      app_key: options.appKey,
      timestamp: formatTopTime(now()),
      format: 'json',
      v: '2.0',
      sign_method: options.signMethod,
    };
    if (options.sessionKey) all.session = options.sessionKey;
    for (const name of Object.keys(files)) {
      if (name in all || commonNames.has(name)) throw new Error(`TOP file part ${name} clashes with a parameter`);
    }
    all.sign = signTop(all, options.appSecret, options.signMethod);

    const fileEntries = Object.entries(files);
    let body: URLSearchParams | FormData;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (fileEntries.length === 0) {
      body = new URLSearchParams(all);
      headers['content-type'] = 'application/x-www-form-urlencoded;charset=utf-8';
    } else {
      const form = new FormData();
      for (const [name, value] of Object.entries(all)) form.append(name, value);
      for (const [name, file] of fileEntries) form.append(name, new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.fileName);
      body = form; // fetch writes the multipart content type with its boundary
    }

    await options.limiter.acquire();
    const started = performance.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);

    let status: number;
    let raw: string;
    try {
      const response = await fetchImpl(options.gatewayUrl, { method: 'POST', headers, body, signal: controller.signal });
      status = response.status;
      raw = await response.text();
    } catch (cause) {
      const error = timedOut
        ? new PlatformError({ kind: 'retriable', code: 'timeout', message: `${method}: no answer within ${options.timeoutMs} ms` })
        : new PlatformError({ kind: 'retriable', code: 'network', message: `${method}: the gateway could not be reached`, cause });
      report(method, started, error.kind, error.code);
      throw error;
    } finally {
      clearTimeout(timer);
    }

    let parsed: unknown;
    let parsedOk = true;
    try {
      parsed = parseTopJson(raw);
    } catch {
      parsedOk = false;
    }
    const errorBody = parsedOk && isRecord(parsed) && isRecord(parsed.error_response) ? parsed.error_response : null;

    let error: PlatformError | null = null;
    if (status < 200 || status >= 300) {
      const fromBody = errorBody ? topErrorFrom(errorBody) : null;
      if (status === 429 || status >= 500) {
        error = new PlatformError({
          kind: 'retriable',
          code: fromBody?.code ?? `http_${status}`,
          subCode: fromBody?.subCode ?? null,
          message: fromBody?.platformMessage ?? `${method}: HTTP ${status} from the gateway`,
          retryAfterMs: fromBody?.retryAfterMs ?? null,
        });
      } else if (fromBody) {
        error = fromBody;
      } else if (status >= 400) {
        error = new PlatformError({ kind: 'business', code: `http_${status}`, message: `${method}: HTTP ${status} from the gateway` });
      } else {
        error = new PlatformError({ kind: 'bad_response', code: `http_${status}`, message: `${method}: unexpected HTTP ${status} from the gateway` });
      }
    } else if (!parsedOk || !isRecord(parsed)) {
      error = new PlatformError({ kind: 'bad_response', code: 'not_json', message: `${method}: the answer is not a JSON object` });
    } else if (errorBody) {
      error = topErrorFrom(errorBody);
    } else {
      const inner = parsed[responseKey(method)];
      if (isRecord(inner)) {
        report(method, started, 'ok');
        return inner;
      }
      error = new PlatformError({ kind: 'bad_response', code: 'no_response_key', message: `${method}: the answer has no ${responseKey(method)}` });
    }
    report(method, started, error.kind, codeOf(error));
    throw error;
  }

  return { call };
}
