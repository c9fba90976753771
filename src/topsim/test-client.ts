/**
 * A minimal signed TOP caller for topsim's own tests (not the product's
 * client, which lives in src/platform/): builds the common parameters, signs
 * with signTop, posts form-urlencoded (or multipart when files are given, or
 * GET), and reads the answer with big integers kept (lossless-json).
 */
import { parse } from 'lossless-json';
import { formatTopTime, signTop, type SignMethod } from '../platform/taobao/top-sign.ts';
import type { TopSim } from './server.ts';

/** safe numbers as numbers, integers beyond 2^53 as bigint */
export function parseNumber(text: string): number | bigint {
  const n = Number(text);
  return /^-?[0-9]+$/.test(text) && !Number.isSafeInteger(n) ? BigInt(text) : n;
}

/** JSON text with big integers kept */
export function parseBig(text: string): unknown {
  return parse(text, null, parseNumber);
}

export interface CallOptions {
  signMethod?: SignMethod;
  /** the session key; null: none (default: the seller's) */
  session?: string | null;
  timestamp?: string;
  /** replaces the computed signature */
  sign?: string;
  format?: string;
  /** sent as multipart file parts (not signed) */
  files?: Record<string, { bytes: Buffer; fileName: string; contentType: string }>;
  get?: boolean;
  /** common parameters to leave out */
  omit?: string[];
  appKey?: string;
  secret?: string;
}

export interface CallResult {
  status: number;
  text: string;
  /** the answer, numbers beyond 2^53 as bigint */
  body: Record<string, unknown>;
}

export async function callTop(sim: TopSim, method: string, params: Record<string, string | number | bigint | boolean> = {}, options: CallOptions = {}): Promise<CallResult> {
  const all: Record<string, string> = {
    method,
    app_key: options.appKey ?? sim.app.appKey,
    sign_method: options.signMethod ?? 'md5',
    timestamp: options.timestamp ?? formatTopTime(sim.sim.now()),
    format: options.format ?? 'json',
    v: '2.0',
  };
  const session = options.session === undefined ? sim.seller.sessionKey : options.session;
  if (session !== null) all.session = session;
  for (const [k, v] of Object.entries(params)) all[k] = String(v);
  for (const k of options.omit ?? []) delete all[k];
  all.sign = options.sign ?? signTop(all, options.secret ?? sim.app.appSecret, (options.signMethod ?? 'md5') as SignMethod);
  let response: Response;
  if (options.get) {
    response = await fetch(`${sim.gatewayUrl}?${new URLSearchParams(all).toString()}`);
  } else if (options.files) {
    const form = new FormData();
    for (const [k, v] of Object.entries(all)) form.append(k, v);
    for (const [k, f] of Object.entries(options.files)) form.append(k, new Blob([new Uint8Array(f.bytes)], { type: f.contentType }), f.fileName);
    response = await fetch(sim.gatewayUrl, { method: 'POST', body: form });
  } else {
    response = await fetch(sim.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams(all).toString(),
    });
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = parse(text, null, parseNumber) as Record<string, unknown>;
  } catch {
    // not JSON (an injected fault): the caller looks at the text
  }
  return { status: response.status, text, body };
}

/** The answer's inner object (`{"x_response": {...}}` → `{...}`); throws on an error_response. */
export function inner(result: CallResult): Record<string, unknown> {
  const keys = Object.keys(result.body);
  if (keys.includes('error_response')) throw new Error(`TOP error: ${result.text}`);
  const key = keys[0];
  if (key === undefined) throw new Error(`empty answer: ${result.text}`);
  return result.body[key] as Record<string, unknown>;
}

export function errorOf(result: CallResult): { code: number; msg: string; sub_code?: string; sub_msg?: string; request_id: string } {
  const e = result.body.error_response as { code: number; msg: string; sub_code?: string; sub_msg?: string; request_id: string } | undefined;
  if (!e) throw new Error(`not an error: ${result.text}`);
  return e;
}

/** POST /sim/... with a JSON body; GET when body is undefined. */
export async function simControl(sim: TopSim, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
  const response = await fetch(`${sim.url}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: parse(text, null, parseNumber), text };
}
