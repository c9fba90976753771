/**
 * The event feed (issue 14 §4) and the source of webhooks (§3). Every change in
 * shouhou writes its audit row in the change's own transaction, numbered in
 * commit order; the pump turns new audit rows into events (a refund created, a
 * status changed, a record changed …) and queues each event once per webhook
 * endpoint that wants it, all in one transaction, so nothing is lost between a
 * change and its delivery and nothing is queued twice. Events that come from
 * time (a deadline near, a deadline missed) are made by a scan, once per
 * deadline. Several processes may pump: the pump's row is locked while it works.
 */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { canLockRows, type Q } from '../../db/order-repository.ts';
import { dispatchFlags } from '../../core/service/dispatch.ts';
import { listDispatches } from '../../db/service-repository.ts';
import { eventTypeChoices } from '../../contract/event-schemas.ts';
import { requirePermission } from '../access.ts';
import type { AppContext } from '../context.ts';

/** The events a webhook endpoint can ask for, and the feed's types: one list, in the contract the web app reads too. */
export const eventTypes = eventTypeChoices;
export type EventType = (typeof eventTypes)[number];

/** The side records of the workbench (S1) whose changes are record.created / record.changed. */
const recordKinds = new Set(['claim', 'invoice', 'postage', 'courier_task', 'department_task', 'complaint', 'unshipped_batch', 'contact', 'reason_correction', 'retention', 'return_arrival']);

interface AuditRowLike {
  id: number;
  at: string;
  shop_id: number | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  details: string;
}

export interface DerivedEvent {
  type: EventType;
  objectType: string;
  objectId: string;
  objectVersion: number | null;
  data: Record<string, unknown>;
}

/** What an audit row means for the feed (pure): nothing, or one or two events. */
export function eventsOfAudit(row: AuditRowLike): DerivedEvent[] {
  if (row.outcome !== 'ok' || row.shop_id === null || row.target_id === null) return [];
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(row.details) as Record<string, unknown>;
  } catch {
    return [];
  }
  const version = typeof details.version === 'number' ? details.version : null;
  const id = row.target_id;
  const out: DerivedEvent[] = [];
  const changed = details.from !== undefined && details.to !== undefined && details.from !== details.to;
  const [head, tail] = [row.action.slice(0, row.action.indexOf('.')), row.action.slice(row.action.indexOf('.') + 1)];
  if (row.target_type === 'refund') {
    if (row.action === 'refund.apply' || (row.action === 'refund.platform_sync' && details.outcome === 'created')) {
      out.push({ type: 'refund.created', objectType: 'refund', objectId: id, objectVersion: version, data: { status: details.to ?? null, reason: details.reason ?? null, amountFen: details.amountFen ?? null } });
    } else if (row.action === 'refund.assign' || row.action === 'refund.unassign') {
      out.push({ type: 'refund.assigned', objectType: 'refund', objectId: id, objectVersion: null, data: { fromUserId: details.fromUserId ?? null, toUserId: details.toUserId ?? null } });
    } else if (head === 'refund' && changed) {
      out.push({ type: 'refund.status_changed', objectType: 'refund', objectId: id, objectVersion: version, data: { action: tail, from: details.from, to: details.to } });
    }
  } else if (row.action === 'guard.override') {
    out.push({ type: 'guard.overridden', objectType: 'refund', objectId: id, objectVersion: null, data: { guards: details.guards ?? [], reason: details.reason ?? null } });
  } else if (row.target_type && recordKinds.has(row.target_type) && head === row.target_type) {
    out.push({
      type: tail === 'create' ? 'record.created' : 'record.changed',
      objectType: row.target_type,
      objectId: id,
      objectVersion: null,
      data: { action: tail, from: details.from ?? null, to: details.to ?? null, refundId: details.refundId ?? null },
    });
  } else if (row.action === 'warranty.decide') {
    out.push({ type: 'warranty.decided', objectType: row.target_type ?? 'device', objectId: id, objectVersion: null, data: { remedy: details.remedy ?? null, clause: details.clause ?? null } });
  } else if (row.target_type === 'send_back') {
    out.push({ type: 'sendback.changed', objectType: 'send_back', objectId: id, objectVersion: version, data: { action: tail, from: details.from ?? null, to: details.to ?? null } });
  } else if (row.target_type === 'repair_record' || row.target_type === 'dispatch') {
    out.push({ type: 'service.record_changed', objectType: row.target_type, objectId: id, objectVersion: version, data: { action: tail, from: details.from ?? null, to: details.to ?? null } });
  } else if (row.action === 'sync.problem') {
    out.push({ type: 'sync.problem', objectType: 'sync_problem', objectId: id, objectVersion: null, data: { code: details.code ?? null, source: details.source ?? null, message: details.message ?? null } });
  }
  return out;
}

/** Queues an event for every enabled endpoint of its shop that wants its type (inside the caller's transaction). */
async function insertEvent(trx: Q, e: DerivedEvent & { shopId: number; at: string; dedupeKey: string }, now: Date): Promise<void> {
  const inserted = await trx
    .insertInto('events')
    .values({
      shop_id: e.shopId,
      type: e.type,
      object_type: e.objectType,
      object_id: e.objectId,
      object_version: e.objectVersion,
      data: JSON.stringify(e.data),
      at: e.at,
      dedupe_key: e.dedupeKey,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return;
  const endpoints = await trx.selectFrom('webhook_endpoints').select(['id', 'event_types']).where('shop_id', '=', e.shopId).where('enabled', '=', 1).execute();
  for (const ep of endpoints) {
    const wanted = JSON.parse(ep.event_types) as string[];
    if (!wanted.includes(e.type)) continue;
    await trx
      .insertInto('webhook_deliveries')
      .values({
        endpoint_id: ep.id,
        shop_id: e.shopId,
        event_id: inserted.id,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now.toISOString(),
        lease_owner: null,
        lease_until: null,
        response_status: null,
        response_body: null,
        error: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        delivered_at: null,
      })
      .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing())
      .execute();
  }
}

/**
 * Turns the audit rows written since the last pump into events; answers how many audit rows it read. The pump
 * keeps its place per audit chain (a chain's rows commit in their order; ids across chains do not, issue 16 §2):
 * from each chain whose head is past the pump's place, the next rows in order; the events of all of them are
 * written in the order of their time. One pump runs at a time (the pump's places are locked).
 */
export async function pumpEvents(ctx: AppContext, options: { batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? 500;
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('event_pump')
      .innerJoin('audit_head', 'audit_head.id', 'event_pump.id')
      .select(['event_pump.id', 'event_pump.last_audit_id', 'audit_head.last_seq'])
      .orderBy('event_pump.id');
    if (canLockRows(trx)) q = q.forUpdate(['event_pump']);
    const places = await q.execute();
    const read: (AuditRowLike & { id: number; chain: number; chain_seq: number | null })[] = [];
    const moved = new Map<number, number>();
    for (const place of places) {
      if (place.last_seq <= place.last_audit_id) continue;
      const rows = await trx
        .selectFrom('audit_log')
        .select(['id', 'chain', 'chain_seq', 'at', 'shop_id', 'action', 'target_type', 'target_id', 'outcome', 'details'])
        .where('chain', '=', place.id)
        .where('chain_seq', '>', place.last_audit_id)
        .orderBy('chain_seq')
        .limit(batch)
        .execute();
      if (rows.length === 0) continue;
      read.push(...rows);
      moved.set(place.id, rows[rows.length - 1]!.chain_seq!);
    }
    read.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.id - y.id));
    for (const row of read) {
      for (const [i, e] of eventsOfAudit(row).entries()) {
        await insertEvent(trx, { ...e, shopId: row.shop_id!, at: row.at, dedupeKey: `audit:${row.id}:${i}` }, now);
      }
    }
    for (const [chain, seq] of moved) {
      await trx.updateTable('event_pump').set({ last_audit_id: seq, updated_at: now.toISOString() }).where('id', '=', chain).execute();
    }
    return read.length;
  });
}

/**
 * Time-based events: an open refund whose own (seller-side) deadline is within `leadMinutes` (refund.deadline_soon)
 * or has passed (refund.deadline_missed), once per deadline.
 */
export async function scanDeadlineEvents(ctx: AppContext, options: { leadMinutes?: number } = {}): Promise<number> {
  const now = ctx.clock.now();
  const soon = new Date(now.getTime() + (options.leadMinutes ?? 120) * 60_000).toISOString();
  const db = ctx.db.kysely;
  const rows = await db
    .selectFrom('refunds')
    .innerJoin('webhook_endpoints', (j) => j.onRef('webhook_endpoints.shop_id', '=', 'refunds.shop_id').on('webhook_endpoints.enabled', '=', 1))
    .select(['refunds.id', 'refunds.shop_id', 'refunds.deadline_at', 'refunds.deadline_kind', 'refunds.version'])
    .distinct()
    .where('refunds.is_open', '=', 1)
    .where('refunds.deadline_at', 'is not', null)
    .where('refunds.deadline_at', '<=', soon)
    .where('refunds.deadline_at', '>', new Date(now.getTime() - 86_400_000).toISOString())
    .limit(2000)
    .execute();
  let made = 0;
  for (const r of rows) {
    const missed = r.deadline_at! <= now.toISOString();
    const type: EventType = missed ? 'refund.deadline_missed' : 'refund.deadline_soon';
    await db.transaction().execute((trx) =>
      insertEvent(trx, { type, objectType: 'refund', objectId: String(r.id), objectVersion: r.version, data: { deadlineKind: r.deadline_kind, deadlineAt: r.deadline_at }, shopId: r.shop_id, at: now.toISOString(), dedupeKey: `${type}:${r.id}:${r.deadline_at}` }, now),
    );
    made += 1;
  }
  return made;
}

/**
 * S5.8 time-based: a dispatch past its same-or-next-day clock with nobody on site and no notice to the customer
 * (service.dispatch_late), once per dispatch and clock.
 */
export async function scanDispatchEvents(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const db = ctx.db.kysely;
  const shops = await db.selectFrom('webhook_endpoints').select('shop_id').distinct().where('enabled', '=', 1).execute();
  let made = 0;
  for (const { shop_id: shopId } of shops) {
    for (const d of await listDispatches(db, { shopId, statuses: ['registered'], limit: 500 })) {
      const timing = dispatchFlags(d.dispatch, now);
      if (timing.flag !== 'late_without_notice') continue;
      await db.transaction().execute((trx) =>
        insertEvent(
          trx,
          { type: 'service.dispatch_late', objectType: 'dispatch', objectId: String(d.id), objectVersion: d.version, data: { recordId: d.dispatch.recordId, lateByMinutes: timing.lateByMinutes }, shopId, at: now.toISOString(), dedupeKey: `service.dispatch_late:${d.id}:${d.dispatch.clockStartsAt}` },
          now,
        ),
      );
      made += 1;
    }
  }
  return made;
}

export interface FeedEvent {
  id: number;
  type: string;
  at: string;
  object: { type: string; id: string; version: number | null };
  data: Record<string, unknown>;
}

/** The shop's events after a cursor (the last id seen), oldest first. */
export async function listEvents(ctx: AppContext, options: { actor: Actor; after: number; types?: string[] | undefined; limit: number }): Promise<{ events: FeedEvent[]; cursor: number }> {
  requirePermission(options.actor, 'events.read');
  for (const t of options.types ?? []) {
    if (!(eventTypes as readonly string[]).includes(t)) throw new AppError('VALIDATION_FAILED', `Unknown event type ${t}.`, { field: 'types', known: eventTypes });
  }
  let q = ctx.db.kysely.selectFrom('events').selectAll().where('shop_id', '=', options.actor.shopId).where('id', '>', options.after);
  if (options.types?.length) q = q.where('type', 'in', options.types);
  const rows = await q.orderBy('id').limit(options.limit).execute();
  return {
    events: rows.map((r) => ({ id: r.id, type: r.type, at: r.at, object: { type: r.object_type, id: r.object_id, version: r.object_version }, data: JSON.parse(r.data) as Record<string, unknown> })),
    cursor: rows.length ? rows[rows.length - 1]!.id : options.after,
  };
}

/** Events older than the kept days go (with their deliveries); answers how many. */
export async function purgeEvents(ctx: AppContext, options: { keepDays: number }): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - options.keepDays * 86_400_000).toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const old = trx.selectFrom('events').select('id').where('at', '<', before);
    await trx.deleteFrom('webhook_deliveries').where('event_id', 'in', old).execute();
    const r = await trx.deleteFrom('events').where('at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  });
}
