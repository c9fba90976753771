/**
 * The load test's people (issue 16 §3): agents, supervisors and warehouse staff, each signed in with a
 * session (cookie and CSRF token) on one of the servers, working the queue over HTTP as people do, with
 * think time between steps: list a view (and its count), open a refund, claim it, log a contact, act with
 * the SOP's guards satisfied. Every call is timed per route and its status counted (409s by their code).
 *
 * The flows, by what the refund is (the simulator's scenarios, see src/topsim/load.ts):
 * - 仅退款 (不想要了, 协商一致退款): a Wangwang message, then agree.
 * - 退货退款: a Wangwang message, agree the return (the shop's return address goes with it); once the
 *   buyer shipped it and the warehouse recorded its arrival, the three looks (S1.13: the ticks, who pays
 *   the return postage) and confirm the receipt.
 * - 仅退款 收到商品破损 (S1.9): a phone call that reached the buyer, a photo uploaded as evidence, and the
 *   refusal with the buyer's problem (S1.15). TOP gives a Taobao order no sign time while the trade waits for
 *   the buyer's confirmation, so first the sign time is recorded from the parcel's trace (POST
 *   /refunds/:id/parcels/outgoing/sign); when the trace cannot give it and the S1.15 guard still asks for it,
 *   the agent hands the refund to a supervisor, who refuses with an override stating why (audited).
 * - 商品质量问题 (S1.5): a phone call, the reason correction the buyer agreed to, the Wangwang message as
 *   the written trace; once the buyer changed the reason on Taobao, agree.
 * The warehouse scans the returns that came back (the tracking-number look-up) and records each arrival.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Rand } from '../core/random.ts';
import { Series } from './loadtest-report.ts';
import { sleep } from './loadtest-procs.ts';

// ---------------------------------------------------------------------------------------------
// timing and counting every call

export interface RouteRecord {
  series: Series;
  statuses: Map<number, number>;
}

export class RouteStats {
  readonly routes = new Map<string, RouteRecord>();
  /** 409 answers by error code */
  readonly conflicts = new Map<string, number>();
  /** other 4xx by status and code */
  readonly clientErrors = new Map<string, number>();
  /** 5xx answers: the route, the status and the first bytes of the body */
  readonly serverErrors: { route: string; status: number; body: string }[] = [];
  /** calls that got no answer (reset, refused, timed out) */
  readonly transportErrors: { route: string; error: string }[] = [];

  record(route: string, status: number, elapsedMs: number, code: string | null, body: string): void {
    let r = this.routes.get(route);
    if (!r) this.routes.set(route, (r = { series: new Series(), statuses: new Map() }));
    r.series.add(elapsedMs);
    r.statuses.set(status, (r.statuses.get(status) ?? 0) + 1);
    if (status === 409) this.conflicts.set(code ?? '(no code)', (this.conflicts.get(code ?? '(no code)') ?? 0) + 1);
    else if (status >= 400 && status < 500) {
      const key = `${status} ${code ?? ''}`.trim();
      this.clientErrors.set(key, (this.clientErrors.get(key) ?? 0) + 1);
    } else if (status >= 500) this.serverErrors.push({ route, status, body: body.slice(0, 500) });
  }

  transport(route: string, error: string): void {
    this.transportErrors.push({ route, error });
  }

  count(predicate: (status: number) => boolean): number {
    let n = 0;
    for (const r of this.routes.values()) for (const [s, c] of r.statuses) if (predicate(s)) n += c;
    return n;
  }
}

/** A call that got no answer (reset, refused, timed out): the person tries again after a pause. */
export class NoAnswer extends Error {}

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field, as the web app does
  body: any;
}

/** One person signed in on one server: the cookie and the CSRF token, every POST with an Idempotency-Key. */
export class StaffSession {
  private cookie = '';
  private csrf = '';
  userId = 0;

  constructor(
    readonly username: string,
    readonly role: 'agent' | 'supervisor' | 'warehouse',
    readonly base: URL,
    private readonly agent: http.Agent,
    private readonly stats: RouteStats,
  ) {}

  async signIn(password: string): Promise<void> {
    const res = await this.request('POST', 'POST /api/v1/session', '/api/v1/session', JSON.stringify({ username: this.username, password }), 'application/json', true);
    if (res.status !== 200) throw new Error(`${this.username} could not sign in: ${res.status} ${JSON.stringify(res.body)}`);
    this.csrf = String(res.body.csrfToken);
    this.userId = Number(res.body.user.id);
  }

  get(route: string, path: string): Promise<Answer> {
    return this.request('GET', route, path, null, null, false);
  }

  post(route: string, path: string, body: unknown): Promise<Answer> {
    return this.request('POST', route, path, JSON.stringify(body), 'application/json', false);
  }

  put(route: string, path: string, body: unknown): Promise<Answer> {
    return this.request('PUT', route, path, JSON.stringify(body), 'application/json', false);
  }

  upload(route: string, path: string, bytes: Buffer, contentType: string): Promise<Answer> {
    return this.request('POST', route, path, bytes, contentType, false);
  }

  private request(method: string, route: string, path: string, body: string | Buffer | null, contentType: string | null, signIn: boolean): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET' && !signIn) {
      headers['x-csrf-token'] = this.csrf;
      if (method === 'POST') headers['idempotency-key'] = randomUUID();
    }
    if (contentType) headers['content-type'] = contentType;
    if (body !== null) headers['content-length'] = String(Buffer.byteLength(body));
    const started = performance.now();
    return new Promise<Answer>((resolve, reject) => {
      const req = http.request({ host: this.base.hostname, port: this.base.port, method, path, headers, agent: this.agent, timeout: 60_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const elapsed = performance.now() - started;
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            // not JSON
          }
          const status = res.statusCode ?? 0;
          const code = (parsed as { error?: { code?: unknown } } | null)?.error?.code;
          this.stats.record(route, status, elapsed, typeof code === 'string' ? code : null, text);
          if (signIn) {
            const set = res.headers['set-cookie'];
            const first = Array.isArray(set) ? set[0] : set;
            if (first) this.cookie = first.split(';')[0]!;
          }
          resolve({ status, body: parsed });
        });
        res.on('error', (e) => {
          this.stats.transport(route, e.message);
          reject(new NoAnswer(e.message));
        });
      });
      req.on('timeout', () => req.destroy(new Error('timed out after 60 s')));
      req.on('error', (e) => {
        this.stats.transport(route, e.message);
        reject(new NoAnswer(e.message));
      });
      if (body !== null) req.write(body);
      req.end();
    });
  }
}

// ---------------------------------------------------------------------------------------------
// the team and its flows

/** What the people did, counted by flow step (the load test prints them). */
export type FlowCounter =
  | 'agreed'
  | 'returns agreed'
  | 'receipts confirmed'
  | 'refusals handed to a supervisor'
  | 'sign times recorded from the trace'
  | 'refusals with the facts gathered'
  | 'refusals with a supervisor override'
  | 'S1.5 reason changes asked'
  | 'arrivals recorded'
  | 'claims lost to a colleague'
  | 'stale versions reloaded'
  | 'refunds changed before the action (dropped)'
  | 'S1.15 guard asked for more than the sign time';

export interface Team {
  stopping: boolean;
  /** user ids of the supervisors (agents hand refusals to them) */
  supervisors: number[];
  /** think time between steps: the mean (ms); each pause is drawn uniformly from a third to five thirds of it */
  thinkMs: number;
  /** how long after the buyer shipped a return it arrives at the warehouse (ms) */
  arrivalMs: number;
  counters: Map<FlowCounter, number>;
  /** refunds whose buyer was asked to change the reason (S1.5): waiting for the buyer */
  askedToChange: Set<number>;
  /** returns whose arrival the warehouse recorded (its people share the bench) */
  arrivals: Set<number>;
  /** flows that failed in a way the app should not have answered (unexpected status): kept for the report */
  surprises: string[];
}

export function newTeam(options: { thinkMs: number; arrivalMs: number }): Team {
  return { stopping: false, supervisors: [], thinkMs: options.thinkMs, arrivalMs: options.arrivalMs, counters: new Map(), askedToChange: new Set(), arrivals: new Set(), surprises: [] };
}

const count = (team: Team, c: FlowCounter) => team.counters.set(c, (team.counters.get(c) ?? 0) + 1);

/** A photo as the agent takes it: a small PNG (a few bytes of its own after the image, so no two are alike). */
export function photo(rand: Rand): Buffer {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  return Buffer.concat([png, Buffer.from(rand.digits(16))]);
}

export const OVERRIDE_REASON = '物流里查不到签收时间（平台不提供）；已电话联系买家说明拒绝原因，破损照片已上传。';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a refund as the API answers it
type RefundJson = any;

/** The queue views an agent works from (the web app's, with "nobody has it yet"), by weight. */
const views: readonly (readonly [string, number])[] = [
  ['open=true&assignee=none', 50],
  ['status=WAIT_SELLER_CONFIRM_GOODS&assignee=none', 25],
  ['status=WAIT_SELLER_AGREE&reason=not_as_described&reason=quality&assignee=none', 15],
  [`open=true&assignee=none&deadlineBefore=__AT_RISK__`, 10],
];

const actionable = (r: RefundJson) => r.platform?.sync?.state !== 'pending' && (r.status === 'WAIT_SELLER_AGREE' || r.status === 'WAIT_SELLER_CONFIRM_GOODS');

/** One person's work until the team stops. */
export async function work(s: StaffSession, team: Team, rand: Rand): Promise<void> {
  const think = () => sleep(rand.range(team.thinkMs / 3, (team.thinkMs * 5) / 3));
  while (!team.stopping) {
    await think();
    if (team.stopping) break;
    try {
      if (s.role === 'warehouse') await warehouseStep(s, team, rand, think);
      else if (!(await mineStep(s, team, rand, think))) await pickStep(s, team, rand, think);
    } catch (e) {
      // a call that got no answer (counted as such); the person tries again after a pause
      if (!(e instanceof NoAnswer)) throw e;
    }
  }
}

/** The refunds I hold first: one that can move on now. */
async function mineStep(s: StaffSession, team: Team, rand: Rand, think: () => Promise<void>): Promise<boolean> {
  const mine = await s.get('GET /api/v1/refunds', '/api/v1/refunds?open=true&assignee=me&limit=20');
  if (mine.status !== 200) return false;
  for (const r of mine.body.items as RefundJson[]) {
    if (!actionable(r)) continue;
    if (r.status === 'WAIT_SELLER_AGREE' && team.askedToChange.has(r.id) && (r.reason === 'quality' || r.reason === 'not_as_described')) continue; // the buyer has not changed it yet
    const detail = await s.get('GET /api/v1/refunds/:id', `/api/v1/refunds/${r.id}`);
    if (detail.status !== 200 || !actionable(detail.body)) continue;
    if (detail.body.status === 'WAIT_SELLER_CONFIRM_GOODS' && !arrived(detail.body)) continue;
    await think();
    await act(s, team, rand, detail.body, think);
    return true;
  }
  return false;
}

/** A view of the queue, its count, one refund nobody holds: open it, claim it, work it. */
async function pickStep(s: StaffSession, team: Team, rand: Rand, think: () => Promise<void>): Promise<void> {
  const query = rand.weighted(views).replace('__AT_RISK__', encodeURIComponent(new Date(Date.now() + 24 * 3_600_000).toISOString()));
  const list = await s.get('GET /api/v1/refunds', `/api/v1/refunds?${query}&limit=50`);
  await s.get('GET /api/v1/refunds/count', `/api/v1/refunds/count?${query}`);
  if (list.status !== 200) return;
  const candidates = (list.body.items as RefundJson[]).filter(actionable);
  if (candidates.length === 0) return;
  // a page of the queue (50 rows, by deadline): each person takes one of them, not all the first
  const pick = candidates[rand.int(0, candidates.length - 1)];
  await think();
  const detail = await s.get('GET /api/v1/refunds/:id', `/api/v1/refunds/${pick.id}`);
  if (detail.status !== 200 || !actionable(detail.body) || detail.body.assignee) return;
  if (detail.body.status === 'WAIT_SELLER_CONFIRM_GOODS' && !arrived(detail.body)) return; // not back at the warehouse yet
  await think();
  const claim = await s.post('POST /api/v1/refunds/:id/assign', `/api/v1/refunds/${pick.id}/assign`, { userId: s.userId });
  if (claim.status === 409) {
    count(team, 'claims lost to a colleague');
    return;
  }
  if (claim.status !== 200) return surprise(team, `claim of ${pick.id}`, claim);
  await think();
  await act(s, team, rand, detail.body, think);
}

/** The warehouse's arrival record exists (S1.13), as the return check shows it. */
function arrived(r: RefundJson): boolean {
  const items = (r.playbook?.returnCheck?.items ?? []) as { doneWhen: string | null; done: boolean }[];
  return items.some((i) => i.doneWhen === 'warehouse.received' && i.done);
}

function surprise(team: Team, what: string, a: Answer): void {
  if (team.surprises.length < 50) team.surprises.push(`${what}: ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
}

/** Works one refund as far as it goes now. */
async function act(s: StaffSession, team: Team, rand: Rand, r: RefundJson, think: () => Promise<void>): Promise<void> {
  const id = r.id as number;
  const path = (action: string) => `/api/v1/refunds/${id}/${action}`;
  const route = (action: string) => `POST /api/v1/refunds/:id/${action}`;
  const contact = (channel: 'phone' | 'wangwang', content: string) => s.post(route('contacts'), path('contacts'), { channel, content, outcome: 'reached' });
  if (r.status === 'WAIT_SELLER_CONFIRM_GOODS') {
    // S1.13 the three looks: the ticks, who pays the return postage; the arrival is the warehouse's record
    for (const item of (r.playbook?.returnCheck?.items ?? []) as { ruleId: string; id: string; done: boolean; tickable: boolean; doneWhen: string | null }[]) {
      if (item.done) continue;
      if (item.tickable) {
        await s.post(route('checklist'), path('checklist'), { ruleId: item.ruleId, itemId: item.id, ticked: true });
      } else if (item.doneWhen === 'return_postage.recorded') {
        await s.put('PUT /api/v1/refunds/:id/return-postage', path('return-postage'), { payer: 'buyer', amountFen: 1200, note: '七天无理由，运费客户承担' });
      }
    }
    await think();
    await decide(s, team, id, 'confirm-receipt', {}, 'receipts confirmed');
    return;
  }
  if (r.status !== 'WAIT_SELLER_AGREE') return;
  if (r.type === 'refund_only' && r.reason === 'damaged') {
    // S1.9: refund-only is the wrong type for damaged goods: phone, evidence, refuse (S1.15)
    const phoned = ((r.playbook?.checklist ?? []) as { doneWhen: string | null; done: boolean }[]).some((c) => c.doneWhen === 'contact.phone' && c.done);
    if (!phoned) {
      await contact('phone', '已电话联系买家：收到时鞋有破损，仅退款会被拒绝，请改为退货退款重新申请。');
      await think();
    }
    const up = await s.upload('POST /api/v1/evidence', '/api/v1/evidence', photo(rand), 'image/png');
    if (up.status !== 201) return surprise(team, `evidence for ${id}`, up);
    await think();
    const body = { reason: '商品破损请选择退货退款，仅退款不予同意', evidence: [up.body.ref as string], buyerProblem: '收到的鞋有破损，申请了仅退款' };
    // S1.15: the sign time from the parcel's trace (TOP tells none while the trade waits for the buyer's confirmation)
    let signed = r.order?.shipment?.signedAt != null;
    if (!signed) {
      const answer = await s.post(route('parcels/outgoing/sign'), path('parcels/outgoing/sign'), {});
      if (answer.status === 200) {
        signed = true;
        if (answer.body.recorded) count(team, 'sign times recorded from the trace');
      } else if (!(answer.status === 409 && answer.body?.error?.code === 'ACTION_NOT_ALLOWED')) {
        surprise(team, `sign time of ${id}`, answer);
      }
      await think();
    }
    if (s.role === 'supervisor') {
      await decide(s, team, id, 'refuse', signed ? body : { ...body, override: { reason: OVERRIDE_REASON } }, signed ? 'refusals with the facts gathered' : 'refusals with a supervisor override');
      return;
    }
    const tried = await decide(s, team, id, 'refuse', body, 'refusals with the facts gathered');
    if (tried?.status === 409 && tried.body?.error?.code === 'GUARD_REFUSAL_FACTS_MISSING') {
      const missing = (tried.body.error.details?.guards ?? []).flatMap((g: { missing?: string[] }) => g.missing ?? []) as string[];
      if (missing.length !== 1 || missing[0] !== '签收时间') {
        count(team, 'S1.15 guard asked for more than the sign time');
        surprise(team, `refusal of ${id} asked for`, tried);
      }
      const to = team.supervisors[rand.int(0, team.supervisors.length - 1)];
      if (to !== undefined) {
        const handed = await s.post(route('assign'), path('assign'), { userId: to });
        if (handed.status === 200) count(team, 'refusals handed to a supervisor');
        else surprise(team, `hand-over of ${id}`, handed);
      }
    }
    return;
  }
  if (r.reason === 'quality' || r.reason === 'not_as_described') {
    // S1.5: not agreed as it stands: phone the buyer to change the reason, then the Wangwang message as the trace
    if (team.askedToChange.has(id)) return;
    await contact('phone', '已电话联系买家，说明可改为七天无理由退换货，买家同意修改退款原因。');
    await think();
    await s.post(route('reason-corrections'), path('reason-corrections'), { toReason: 'no_reason_7d', askedVia: 'phone', buyerAnswer: 'agreed' });
    await think();
    await contact('wangwang', '亲，按电话里说的，麻烦把退款原因改为“七天无理由退换货”，我们这边马上处理，谢谢！');
    team.askedToChange.add(id);
    count(team, 'S1.5 reason changes asked');
    return;
  }
  await contact('wangwang', r.type === 'return_and_refund' ? '亲，退货申请已同意，请按退货地址寄回并填写运单号。' : '亲，已为您处理退款，请留意退款到账。');
  await think();
  await decide(s, team, id, 'agree', {}, r.type === 'return_and_refund' ? 'returns agreed' : 'agreed');
}

/**
 * The action at the version the page shows when it is sent (the page reloads the refund after each record),
 * once more after a 409 VERSION_CONFLICT; nothing when the refund moved on meanwhile.
 */
async function decide(s: StaffSession, team: Team, id: number, action: 'agree' | 'refuse' | 'confirm-receipt', body: Record<string, unknown>, done: FlowCounter | null): Promise<Answer | null> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const now = await s.get('GET /api/v1/refunds/:id', `/api/v1/refunds/${id}`);
    if (now.status !== 200) return null;
    const wanted = action === 'confirm-receipt' ? 'WAIT_SELLER_CONFIRM_GOODS' : 'WAIT_SELLER_AGREE';
    if (now.body.status !== wanted || now.body.platform?.sync?.state === 'pending') {
      count(team, 'refunds changed before the action (dropped)');
      return null;
    }
    const a = await s.post(`POST /api/v1/refunds/:id/${action}`, `/api/v1/refunds/${id}/${action}`, { version: now.body.version, ...body });
    if (a.status === 200) {
      if (done) count(team, done);
      return a;
    }
    if (a.status === 409 && a.body?.error?.code === 'VERSION_CONFLICT') {
      count(team, 'stale versions reloaded');
      continue;
    }
    if (a.status === 409 && a.body?.error?.code === 'PLATFORM_SYNC_PENDING') {
      count(team, 'refunds changed before the action (dropped)');
      return a;
    }
    if (!(action === 'refuse' && a.status === 409 && a.body?.error?.code === 'GUARD_REFUSAL_FACTS_MISSING' && s.role === 'agent')) surprise(team, `${action} of ${id}`, a);
    return a;
  }
  return null;
}

/** The warehouse: the returns on their way back, one scanned and recorded once it has arrived. */
async function warehouseStep(s: StaffSession, team: Team, rand: Rand, think: () => Promise<void>): Promise<void> {
  const list = await s.get('GET /api/v1/refunds', '/api/v1/refunds?status=WAIT_SELLER_CONFIRM_GOODS&limit=50');
  if (list.status !== 200) return;
  const due = (list.body.items as RefundJson[]).filter(
    (r) => r.returnShipment && Date.parse(r.returnShipment.shippedAt) + team.arrivalMs <= Date.now() && !team.arrivals.has(r.id),
  );
  if (due.length === 0) return;
  const r = due[rand.int(0, due.length - 1)];
  await think();
  const scan = await s.get('GET /api/v1/refunds?trackingNo=', `/api/v1/refunds?trackingNo=${encodeURIComponent(r.returnShipment.trackingNo)}`);
  if (scan.status !== 200 || !(scan.body.items as RefundJson[]).some((x) => x.id === r.id)) return surprise(team, `scan of ${r.returnShipment.trackingNo}`, scan);
  const detail = await s.get('GET /api/v1/refunds/:id', `/api/v1/refunds/${r.id}`);
  if (detail.status !== 200) return;
  if (arrived(detail.body)) {
    team.arrivals.add(r.id);
    return;
  }
  await think();
  const rec = await s.post('POST /api/v1/refunds/:id/return-arrival', `/api/v1/refunds/${r.id}/return-arrival`, { condition: 'resellable', trackingNo: r.returnShipment.trackingNo, note: '鞋盒完好，不影响二次销售' });
  if (rec.status === 201) {
    team.arrivals.add(r.id);
    count(team, 'arrivals recorded');
  } else surprise(team, `arrival of ${r.id}`, rec);
}
