/**
 * A courier-tracking service over HTTP (issue 15 §3), modelled on the
 * 快递100-style aggregators: one GET per parcel, the courier's scans newest
 * first in the courier's words. The adapter is the only place that knows the
 * service's field names; it answers shouhou's trace, null when the service
 * knows nothing of the parcel, and throws CourierServiceError otherwise.
 *
 *   GET <base>/trace?company=<courier name>&number=<tracking number>
 *   200 {"com": "圆通速递", "nu": "YT…", "state": "0", "ischeck": "0",
 *        "data": [{"time": "2026-11-02 10:00:00", "context": "…"}]}      (times in China time)
 *   404 {"result": false, "returnCode": "404", "message": "查询无结果"}   (not known, or no scan yet)
 * `state` as 快递100 has it: 0 在途, 1 揽收, 2 疑难, 3 签收, 4 退签, 5 派件, 6 退回.
 */
import { makeTrace, type Trace } from '../../core/tracking/parcel-trace.ts';

export class CourierServiceError extends Error {
  /** timeout: no answer in time; http: an answer that was not 200/404; bad_answer: a 200 that cannot be read; network */
  readonly kind: 'timeout' | 'http' | 'bad_answer' | 'network';
  constructor(kind: CourierServiceError['kind'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CourierServiceError';
    this.kind = kind;
  }
}

export const courierStates: Record<string, string> = {
  '0': '在途',
  '1': '揽收',
  '2': '疑难',
  '3': '签收',
  '4': '退签',
  '5': '派件',
  '6': '退回',
};

export interface CourierServiceOptions {
  /** the service's base URL; /trace is appended */
  baseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** "2026-11-02 10:00:00" (China time, no offset) or an ISO time with one; null when it is neither. */
export function parseChinaTime(text: unknown): Date | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  const d = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}+08:00`) : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? new Date(text) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

/** The service's 200 answer as a trace. */
export function mapCourierAnswer(raw: unknown, asked: { courier: string; trackingNo: string }): Trace {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CourierServiceError('bad_answer', 'the answer is not a JSON object');
  const r = raw as Record<string, unknown>;
  if (!Array.isArray(r.data)) throw new CourierServiceError('bad_answer', 'the answer has no data list');
  const state = typeof r.state === 'string' || typeof r.state === 'number' ? String(r.state) : '';
  const steps = r.data
    .filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null)
    .map((s) => ({ at: parseChinaTime(s.time ?? s.ftime), text: typeof s.context === 'string' ? s.context : '' }))
    // newest first as the service gives them: oldest first for the trace (scans of the same second keep their order)
    .reverse();
  return makeTrace({
    courier: typeof r.com === 'string' && r.com.trim() !== '' ? r.com : asked.courier,
    trackingNo: typeof r.nu === 'string' && r.nu.trim() !== '' ? r.nu : asked.trackingNo,
    status: courierStates[state] ?? '',
    steps,
    // 3 签收; 4 退签 and 6 退回 are not a delivery; otherwise the words decide
    delivered: state === '3' ? true : state === '4' || state === '6' ? false : undefined,
  });
}

/** Asks the service for one parcel: its trace, or null when the service does not know it. */
export async function fetchCourierTrace(options: CourierServiceOptions, parcel: { courier: string; trackingNo: string }): Promise<Trace | null> {
  const url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/trace`);
  url.searchParams.set('company', parcel.courier);
  url.searchParams.set('number', parcel.trackingNo);
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs), redirect: 'error' });
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    throw new CourierServiceError(timedOut ? 'timeout' : 'network', timedOut ? `no answer in ${options.timeoutMs} ms` : `cannot reach the service: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch (e) {
    if (res.status === 404) return null;
    throw new CourierServiceError(res.ok ? 'bad_answer' : 'http', res.ok ? 'the answer is not JSON' : `HTTP ${res.status}`, { cause: e });
  }
  if (res.status === 404) return null;
  if (!res.ok) throw new CourierServiceError('http', `HTTP ${res.status}`);
  return mapCourierAnswer(body, parcel);
}
