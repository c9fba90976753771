/**
 * What the load test reads back after the run (issue 16 §3): the lags, from shouhou's own records and the
 * simulator's change log, and the consistency check.
 *
 * - Ingest lag: a buyer's (or the platform's) change on the simulator, at its time there, to the first
 *   refund event in shouhou that holds that refund_version or a newer one (written in the transaction that
 *   makes it visible in the queue).
 * - Outbox lag: an agent's decision (the outbox row, written in the action's transaction) to the moment the
 *   simulator applied it (its change log: the seller's call that made the change).
 * - Sweeper lag: a deadline of a refund of shouhou's own to the sweeper's `expire` event.
 * - Consistency: every refund of the simulator equals shouhou's (status, amount, refund_version, type,
 *   reason, phase, goods status, the return's tracking number) and every trade's status; no refund of
 *   shouhou's that the simulator does not know; one payout per refund paid; every decision delivered was
 *   applied exactly once and none that failed was applied; nothing left undelivered; no sync problem but
 *   the platform's refusals; the audit chain verifies.
 */
import { verifyAuditChain } from '../app/audit.ts';
import type { Db } from '../db/connection.ts';
import { reasonCode } from '../platform/taobao/top-mapping.ts';
import type { LoadLogEntry } from '../topsim/load.ts';
import { Series } from './loadtest-report.ts';

export interface SimRefundRow {
  refundId: string;
  tid: string;
  scenario: string | null;
  status: string;
  amountFen: number;
  version: string;
  hasGoodReturn: boolean;
  reason: string;
  goodStatus: string;
  phase: string;
  returnSid: string | null;
}

export interface SimTradeRow {
  tid: string;
  status: string;
  memo: string | null;
}

export interface SimSnapshotRows {
  refunds: SimRefundRow[];
  trades: SimTradeRow[];
}

/** The seller's call that carries each kind of decision. */
const methodOf: Record<string, string> = {
  agree_refund: 'taobao.rp.refunds.agree',
  agree_return: 'taobao.rp.returngoods.agree',
  refuse: 'taobao.refund.refuse',
  memo: 'taobao.trade.memo.update',
  message: 'taobao.refund.message.add',
};

export interface Lags {
  ingest: Series;
  /** buyer changes of the run that shouhou never showed */
  ingestMissing: number;
  outbox: Series;
  outboxByKind: Map<string, Series>;
  /** outbox rows by status at the end */
  outboxStatus: Map<string, number>;
  /** the platform's words for decisions it refused, counted */
  outboxRefused: Map<string, number>;
}

const group = <T>(items: T[], key: (t: T) => string): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  }
  return m;
};

interface OutboxRow {
  id: number;
  kind: string;
  status: string;
  created_at: string;
  sent_at: string | null;
  last_error: string | null;
  payload: string;
}

async function outboxRows(db: Db, shopId: number): Promise<(OutboxRow & { p: Record<string, unknown> })[]> {
  const rows = await db.kysely
    .selectFrom('platform_outbox')
    .select(['id', 'kind', 'status', 'created_at', 'sent_at', 'last_error', 'payload'])
    .where('shop_id', '=', shopId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, p: JSON.parse(r.payload) as Record<string, unknown> }));
}

/** The subject of a log entry or an outbox row: the refund or the trade, with the call that applies it. */
const subjectOfRow = (kind: string, p: Record<string, unknown>) => `${methodOf[kind]}:${kind === 'memo' ? String(p.platformOrderId) : String(p.platformRefundId)}`;
const subjectOfEntry = (e: LoadLogEntry) => `${e.cause}:${e.kind === 'memo' ? e.tid : e.refundId}`;

export async function measureLags(db: Db, options: { shopId: number; log: LoadLogEntry[] }): Promise<Lags> {
  const { shopId, log } = options;
  // -- ingest: the buyer's and the platform's changes (the seller's come back through the outbox)
  const events = await db.kysely
    .selectFrom('refund_events')
    .innerJoin('refunds', 'refunds.id', 'refund_events.refund_id')
    .select(['refunds.platform_refund_id as pid', 'refund_events.at', 'refund_events.data'])
    .where('refund_events.shop_id', '=', shopId)
    .where('refund_events.action', 'in', ['apply', 'platform_sync'])
    .execute();
  const seenAt = new Map<string, { at: number; version: number }[]>();
  for (const e of events) {
    const data = JSON.parse(e.data) as { platformVersion?: unknown };
    const version = Number(data.platformVersion);
    if (!e.pid || !Number.isFinite(version)) continue;
    const list = seenAt.get(e.pid) ?? [];
    list.push({ at: Date.parse(e.at), version });
    seenAt.set(e.pid, list);
  }
  const held = new Map<string, number>();
  for (const r of await db.kysely.selectFrom('refunds').select(['platform_refund_id', 'platform_version']).where('shop_id', '=', shopId).execute()) {
    if (r.platform_refund_id) held.set(r.platform_refund_id, Number(r.platform_version ?? 0));
  }
  const ingest = new Series();
  let ingestMissing = 0;
  for (const c of log) {
    if (c.kind !== 'refund' || c.cause !== 'control' || c.refundId === null || c.version === null) continue;
    const first = (seenAt.get(c.refundId) ?? []).filter((s) => s.version >= c.version!).reduce((m, s) => Math.min(m, s.at), Infinity);
    if (Number.isFinite(first)) ingest.add(Math.max(0, first - c.at));
    else if ((held.get(c.refundId) ?? 0) < c.version) ingestMissing += 1;
  }
  // -- outbox: each delivered decision to the change it made on the simulator
  const rows = await outboxRows(db, shopId);
  const applied = group(
    log.filter((e) => e.cause.startsWith('taobao.')),
    subjectOfEntry,
  );
  const outbox = new Series();
  const outboxByKind = new Map<string, Series>();
  const outboxStatus = new Map<string, number>();
  const outboxRefused = new Map<string, number>();
  const bySubject = group(rows, (r) => subjectOfRow(r.kind, r.p));
  for (const [subject, list] of bySubject) {
    const changes = (applied.get(subject) ?? []).slice().sort((a, b) => a.at - b.at);
    for (const row of list) {
      outboxStatus.set(row.status, (outboxStatus.get(row.status) ?? 0) + 1);
      if (row.status === 'failed') {
        const words = (row.last_error ?? '').replace(/[0-9]{6,}/g, '…').slice(0, 80);
        outboxRefused.set(`${row.kind}: ${words}`, (outboxRefused.get(`${row.kind}: ${words}`) ?? 0) + 1);
      }
    }
    const sent = list.filter((r) => r.status === 'sent');
    // a refund decision names the version it was made at; memos and messages pair with the changes in order
    for (const [i, row] of sent.entries()) {
      const change =
        row.kind === 'memo' || row.kind === 'message' ? changes[i] : changes.find((c) => c.prevVersion !== null && String(c.prevVersion) === String(row.p.platformVersion));
      if (!change) continue;
      const lag = Math.max(0, change.at - Date.parse(row.created_at));
      outbox.add(lag);
      let s = outboxByKind.get(row.kind);
      if (!s) outboxByKind.set(row.kind, (s = new Series()));
      s.add(lag);
    }
  }
  return { ingest, ingestMissing, outbox, outboxByKind, outboxStatus, outboxRefused };
}

export interface SweeperLag {
  lag: Series;
  due: number;
  applied: number;
  /** due before the end and never applied */
  missed: number;
}

/** The refunds of shouhou's own whose deadlines fell due in the run, and when the sweeper applied each. */
export async function measureSweeper(db: Db, options: { shopId: number; deadlines: Map<number, number>; endMs: number }): Promise<SweeperLag> {
  const events = await db.kysely.selectFrom('refund_events').select(['refund_id', 'at']).where('shop_id', '=', options.shopId).where('action', '=', 'expire').execute();
  const at = new Map(events.map((e) => [e.refund_id, Date.parse(e.at)]));
  const lag = new Series();
  let due = 0;
  let applied = 0;
  let missed = 0;
  for (const [refundId, deadline] of options.deadlines) {
    if (deadline > options.endMs) continue;
    due += 1;
    const done = at.get(refundId);
    if (done !== undefined) {
      applied += 1;
      lag.add(Math.max(0, done - deadline));
    } else {
      missed += 1;
      lag.add(options.endMs - deadline);
    }
  }
  return { lag, due, applied, missed };
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** the first differences, for the report */
  examples: string[];
}

const phaseOf: Record<string, string> = { onsale: 'on_sale', aftersale: 'after_sale' };
const goodsOf: Record<string, string> = { BUYER_NOT_RECEIVED: 'not_received', BUYER_RECEIVED: 'received', BUYER_RETURNED_GOODS: 'returned' };

export async function checkConsistency(db: Db, options: { shopId: number; snapshot: SimSnapshotRows; log: LoadLogEntry[] }): Promise<Check[]> {
  const { shopId, snapshot, log } = options;
  const checks: Check[] = [];
  const add = (name: string, problems: string[], detail: string) => checks.push({ name, ok: problems.length === 0, detail: problems.length === 0 ? detail : `${problems.length} difference(s); ${detail}`, examples: problems.slice(0, 8) });

  // -- refunds
  const ours = await db.kysely
    .selectFrom('refunds')
    .select(['id', 'platform_refund_id', 'status', 'amount_fen', 'platform_version', 'type', 'reason', 'platform_reason', 'phase', 'goods_status', 'return_tracking_no', 'sync_state'])
    .where('shop_id', '=', shopId)
    .execute();
  const byPid = new Map(ours.filter((r) => r.platform_refund_id).map((r) => [r.platform_refund_id!, r]));
  const refundProblems: string[] = [];
  for (const s of snapshot.refunds) {
    const m = byPid.get(s.refundId);
    if (!m) {
      refundProblems.push(`refund ${s.refundId} (${s.status}) is missing`);
      continue;
    }
    const diff = (field: string, here: unknown, there: unknown) => {
      if (String(here ?? '') !== String(there ?? '')) refundProblems.push(`refund ${s.refundId}: ${field} ${String(here)} here, ${String(there)} on the platform`);
    };
    diff('status', m.status, s.status);
    diff('amount (fen)', Number(m.amount_fen), s.amountFen);
    diff('refund_version', m.platform_version, s.version);
    diff('type', m.type, s.hasGoodReturn ? 'return_and_refund' : 'refund_only');
    diff('reason text', m.platform_reason, s.reason);
    diff('reason', m.reason, reasonCode(s.reason));
    diff('phase', m.phase, phaseOf[s.phase] ?? s.phase);
    diff('goods status', m.goods_status, goodsOf[s.goodStatus] ?? s.goodStatus);
    if (s.returnSid) diff('return tracking number', m.return_tracking_no, s.returnSid);
  }
  const known = new Set(snapshot.refunds.map((r) => r.refundId));
  for (const r of ours) if (r.platform_refund_id && !known.has(r.platform_refund_id)) refundProblems.push(`refund ${r.platform_refund_id} is here but not on the platform`);
  add('every refund of the simulator equals ours', refundProblems, `${snapshot.refunds.length} refunds compared (status, amount, refund_version, type, reason, phase, goods status, return tracking number)`);

  // -- trades
  const orders = await db.kysely.selectFrom('orders').select(['order_no', 'platform_status']).where('shop_id', '=', shopId).execute();
  const orderByNo = new Map(orders.map((o) => [o.order_no, o]));
  const tradeProblems: string[] = [];
  for (const t of snapshot.trades) {
    if (t.status === 'WAIT_BUYER_PAY' || t.status === 'TRADE_CLOSED_BY_TAOBAO') continue;
    const o = orderByNo.get(t.tid);
    if (!o) tradeProblems.push(`trade ${t.tid} (${t.status}) is missing`);
    else if (o.platform_status !== t.status) tradeProblems.push(`trade ${t.tid}: ${o.platform_status} here, ${t.status} on the platform`);
  }
  add('every trade of the simulator equals ours', tradeProblems, `${snapshot.trades.length} trades compared (status)`);

  // -- payouts: one per refund paid, of its amount
  const payouts = await db.kysely.selectFrom('payouts').select(['refund_id', 'amount_fen']).where('shop_id', '=', shopId).execute();
  const paid = group(payouts, (p) => String(p.refund_id));
  const payoutProblems: string[] = [];
  for (const r of ours) {
    const p = paid.get(String(r.id)) ?? [];
    if (r.status === 'SUCCESS' && p.length !== 1) payoutProblems.push(`refund ${r.platform_refund_id}: ${p.length} payouts`);
    if (r.status === 'SUCCESS' && p.length === 1 && Number(p[0]!.amount_fen) !== Number(r.amount_fen)) payoutProblems.push(`refund ${r.platform_refund_id}: paid ${p[0]!.amount_fen}, refunded ${r.amount_fen}`);
    if (r.status !== 'SUCCESS' && p.length > 0) payoutProblems.push(`refund ${r.platform_refund_id} (${r.status}) has a payout`);
  }
  add('one payout per refund paid', payoutProblems, `${payouts.length} payouts`);

  // -- decisions: each delivered one applied exactly once, none that failed applied, none left behind
  const rows = await outboxRows(db, shopId);
  const applied = group(
    log.filter((e) => e.cause.startsWith('taobao.')),
    subjectOfEntry,
  );
  const deliveryProblems: string[] = [];
  const bySubject = group(rows, (r) => subjectOfRow(r.kind, r.p));
  for (const [subject, list] of bySubject) {
    const changes = applied.get(subject) ?? [];
    const sent = list.filter((r) => r.status === 'sent');
    for (const row of list) {
      if (row.status === 'pending' || row.status === 'sending') deliveryProblems.push(`outbox ${row.id} (${row.kind}) was not delivered (${row.status}${row.last_error ? `: ${row.last_error}` : ''})`);
      if (row.kind === 'memo' || row.kind === 'message') continue;
      const matching = changes.filter((c) => c.prevVersion !== null && String(c.prevVersion) === String(row.p.platformVersion));
      if (row.status === 'sent' && matching.length !== 1) deliveryProblems.push(`outbox ${row.id} (${row.kind}) delivered, applied ${matching.length} times at its version`);
      if (row.status === 'failed' && matching.length > 0) deliveryProblems.push(`outbox ${row.id} (${row.kind}) failed, yet applied`);
    }
    if (changes.length !== sent.length) deliveryProblems.push(`${subject}: ${sent.length} delivered, ${changes.length} applied on the platform`);
  }
  // a seller's change on the platform that no decision of ours asked for
  const asked = new Set(bySubject.keys());
  for (const [subject, changes] of applied) if (!asked.has(subject)) deliveryProblems.push(`${subject}: applied ${changes.length} times, never sent`);
  const sentCount = rows.filter((r) => r.status === 'sent').length;
  add('every delivered action applied once', deliveryProblems, `${sentCount} delivered, ${rows.filter((r) => r.status === 'failed').length} refused by the platform, ${rows.length} in all`);

  // -- sync problems: only the platform's refusals of a decision are expected
  const problems = await db.kysely.selectFrom('sync_problems').select(['code', 'message']).where('shop_id', '=', shopId).where('status', '=', 'open').execute();
  const unexpected = problems.filter((p) => p.code !== 'platform_refused');
  add('no sync problem but the platform refusing a decision', unexpected.map((p) => `${p.code}: ${p.message}`), `${problems.length} open, ${problems.length - unexpected.length} of them the platform refusing a decision`);

  // -- the audit chain
  const verdict = await verifyAuditChain(db.kysely);
  checks.push({
    name: 'the audit chain verifies',
    ok: verdict.ok,
    detail: verdict.ok ? `${verdict.rows.toLocaleString('en-US')} rows intact` : `BROKEN at row ${verdict.firstBroken?.id}: ${verdict.firstBroken?.problem}`,
    examples: [],
  });
  return checks;
}
