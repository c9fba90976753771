/**
 * Webhooks (issue 14 §3) in the Standard Webhooks format: each delivery carries
 * webhook-id (the same on every retry of it), webhook-timestamp and
 * webhook-signature `v1,<base64 HMAC-SHA256 over "id.timestamp.body">` with the
 * endpoint's secret (`whsec_…`, shown once, sealed at rest). Deliveries are
 * claimed with FOR UPDATE SKIP LOCKED (several processes deliver each event once
 * per endpoint), retried with growing waits for 3 days; an endpoint failing for
 * 3 days is disabled and the admin told. No endpoint on a private, loopback or
 * link-local address unless the operator allows it (checked again at every
 * delivery, after DNS); no redirects followed; 10 s at most.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { canLockRows } from '../../db/order-repository.ts';
import { findRefund } from '../../db/refund-repository.ts';
import { refundDto } from '../../http/dto.ts';
import { deadlineView } from '../refunds.ts';
import { requirePermission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { openSecret, sealSecret } from '../secrets.ts';
import { eventTypes, type EventType } from './events.ts';

export const DELIVERY_TIMEOUT_MS = 10_000;
export const GIVE_UP_MS = 3 * 86_400_000;
/** Waits between tries: a minute, then growing to 6 hours; the last try is 3 days after the first. */
const RETRY_WAITS_MS = [5_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];

export interface EndpointView {
  id: number;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const SECRET_PURPOSE = (id: number) => `webhook.secret:${id}`;

/** Private, loopback, link-local, unique-local or unspecified addresses (IPv4 and IPv6). */
export function isPrivateAddress(ip: string): boolean {
  const v = isIP(ip);
  if (v === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  if (v === 6) {
    const x = ip.toLowerCase();
    if (x === '::1' || x === '::') return true;
    if (x.startsWith('::ffff:')) return isPrivateAddress(x.slice(7));
    return /^(fc|fd|fe8|fe9|fea|feb|ff)/.test(x);
  }
  return true;
}

function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The endpoint is a URL such as https://erp.example.com/hooks/shouhou.', { field: 'url' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('VALIDATION_FAILED', 'The endpoint is an http(s) URL.', { field: 'url' });
  if (url.username || url.password) throw new AppError('VALIDATION_FAILED', 'The endpoint URL carries no user name or password.', { field: 'url' });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host)))) {
    throw new AppError('VALIDATION_FAILED', 'The endpoint is on a private, loopback or link-local address; the operator allows such endpoints with SHOUHOU_WEBHOOK_ALLOW_PRIVATE=1.', { field: 'url', reason: 'private_address' });
  }
  return url;
}

function checkTypes(types: string[]): EventType[] {
  const unknown = types.filter((t) => !(eventTypes as readonly string[]).includes(t));
  if (unknown.length || types.length === 0) throw new AppError('VALIDATION_FAILED', `Choose the events among: ${eventTypes.join(', ')}.`, { field: 'eventTypes', unknown });
  return [...new Set(types)] as EventType[];
}

function view(r: { id: number; url: string; description: string; event_types: string; enabled: number; disabled_reason: string | null; failing_since: string | null; created_at: string; updated_at: string; version: number }): EndpointView {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    eventTypes: JSON.parse(r.event_types) as string[],
    enabled: r.enabled === 1,
    disabledReason: r.disabled_reason,
    failingSince: r.failing_since,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export async function listEndpoints(ctx: AppContext, options: { actor: Actor }): Promise<EndpointView[]> {
  requirePermission(options.actor, 'webhook.manage');
  const rows = await ctx.db.kysely.selectFrom('webhook_endpoints').selectAll().where('shop_id', '=', options.actor.shopId).orderBy('id').execute();
  return rows.map(view);
}

/** A new endpoint; its secret is answered this once. */
export async function createEndpoint(
  ctx: AppContext,
  options: { actor: Actor; url: string; description: string; eventTypes: string[]; ip: string },
): Promise<{ endpoint: EndpointView; secret: string }> {
  requirePermission(options.actor, 'webhook.manage');
  const url = checkUrl(options.url, ctx.allowPrivateWebhooks === true);
  const types = checkTypes(options.eventTypes);
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const now = ctx.clock.now().toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('webhook_endpoints')
      .values({ shop_id: options.actor.shopId, url: url.toString(), description: options.description, event_types: JSON.stringify(types), secret_enc: 'pending', enabled: 1, disabled_reason: null, failing_since: null, created_at: now, updated_at: now, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('webhook_endpoints').set({ secret_enc: sealSecret(secret, SECRET_PURPOSE(row.id)) }).where('id', '=', row.id).execute();
    await appendAudit(trx, { at: new Date(now), ...auditActor(options.actor), action: 'webhook.create', targetType: 'webhook', targetId: row.id, outcome: 'ok', ip: options.ip, details: { url: url.origin, eventTypes: types } });
    const created = await trx.selectFrom('webhook_endpoints').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    return { endpoint: view(created), secret };
  });
}

async function ownEndpoint(ctx: AppContext, actor: Actor, id: number) {
  const row = await ctx.db.kysely.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('shop_id', '=', actor.shopId).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `Webhook endpoint ${id} was not found.`, {});
  return row;
}

/** Changes an endpoint (enabling it again clears its failure); a new secret is answered once when asked for. */
export async function changeEndpoint(
  ctx: AppContext,
  options: { actor: Actor; id: number; url?: string | undefined; description?: string | undefined; eventTypes?: string[] | undefined; enabled?: boolean | undefined; rotateSecret?: boolean | undefined; ip: string },
): Promise<{ endpoint: EndpointView; secret: string | null }> {
  requirePermission(options.actor, 'webhook.manage');
  const row = await ownEndpoint(ctx, options.actor, options.id);
  const url = options.url !== undefined ? checkUrl(options.url, ctx.allowPrivateWebhooks === true).toString() : row.url;
  const types = options.eventTypes !== undefined ? checkTypes(options.eventTypes) : (JSON.parse(row.event_types) as string[]);
  const secret = options.rotateSecret ? `whsec_${randomBytes(24).toString('base64')}` : null;
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable('webhook_endpoints')
      .set({
        url,
        description: options.description ?? row.description,
        event_types: JSON.stringify(types),
        ...(options.enabled !== undefined ? { enabled: options.enabled ? 1 : 0, disabled_reason: options.enabled ? null : 'turned off by an admin', failing_since: options.enabled ? null : row.failing_since } : {}),
        ...(secret ? { secret_enc: sealSecret(secret, SECRET_PURPOSE(row.id)) } : {}),
        updated_at: now.toISOString(),
        version: row.version + 1,
      })
      .where('id', '=', row.id)
      .execute();
    await appendAudit(trx, { at: now, ...auditActor(options.actor), action: 'webhook.change', targetType: 'webhook', targetId: row.id, outcome: 'ok', ip: options.ip, details: { enabled: options.enabled, eventTypes: options.eventTypes, newSecret: secret !== null } });
  });
  return { endpoint: view(await ownEndpoint(ctx, options.actor, options.id)), secret };
}

export async function deleteEndpoint(ctx: AppContext, options: { actor: Actor; id: number; ip: string }): Promise<void> {
  requirePermission(options.actor, 'webhook.manage');
  const row = await ownEndpoint(ctx, options.actor, options.id);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', row.id).execute();
    await trx.deleteFrom('webhook_endpoints').where('id', '=', row.id).execute();
    await appendAudit(trx, { at: ctx.clock.now(), ...auditActor(options.actor), action: 'webhook.delete', targetType: 'webhook', targetId: row.id, outcome: 'ok', ip: options.ip });
  });
}

export interface DeliveryView {
  id: number;
  webhookId: string;
  eventId: number;
  eventType: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export async function listDeliveries(ctx: AppContext, options: { actor: Actor; endpointId: number; beforeId?: number | undefined; limit: number }): Promise<DeliveryView[]> {
  requirePermission(options.actor, 'webhook.manage');
  await ownEndpoint(ctx, options.actor, options.endpointId);
  let q = ctx.db.kysely
    .selectFrom('webhook_deliveries')
    .innerJoin('events', 'events.id', 'webhook_deliveries.event_id')
    .select(['webhook_deliveries.id', 'webhook_deliveries.event_id', 'events.type', 'webhook_deliveries.status', 'webhook_deliveries.attempts', 'webhook_deliveries.next_attempt_at', 'webhook_deliveries.response_status', 'webhook_deliveries.response_body', 'webhook_deliveries.error', 'webhook_deliveries.created_at', 'webhook_deliveries.delivered_at'])
    .where('webhook_deliveries.endpoint_id', '=', options.endpointId);
  if (options.beforeId) q = q.where('webhook_deliveries.id', '<', options.beforeId);
  const rows = await q.orderBy('webhook_deliveries.id', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    webhookId: webhookIdOf(r.event_id),
    eventId: r.event_id,
    eventType: r.type,
    status: r.status as DeliveryView['status'],
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    responseStatus: r.response_status,
    responseBody: r.response_body,
    error: r.error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  }));
}

/** The same message id for every try of one event to one endpoint (receivers deduplicate on it). */
export function webhookIdOf(eventId: number): string {
  return `msg_${eventId}`;
}

/** Sends a delivery again now (a failed or a delivered one: the same webhook-id). */
function assertOn(ep: { enabled: number }): void {
  if (ep.enabled !== 1) throw new AppError('ACTION_NOT_ALLOWED', 'This endpoint is turned off: turn it on first, then send.', { reason: 'endpoint_disabled' });
}

export async function redeliver(ctx: AppContext, options: { actor: Actor; endpointId: number; deliveryId: number }): Promise<void> {
  requirePermission(options.actor, 'webhook.manage');
  assertOn(await ownEndpoint(ctx, options.actor, options.endpointId));
  const r = await ctx.db.kysely
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: ctx.clock.now().toISOString(), lease_owner: null, lease_until: null, updated_at: ctx.clock.now().toISOString() })
    .where('id', '=', options.deliveryId)
    .where('endpoint_id', '=', options.endpointId)
    .where('status', '!=', 'sending')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('NOT_FOUND', `Delivery ${options.deliveryId} was not found (or is being sent right now).`, {});
}

/** A test event for this endpoint only (webhook.test), delivered like any other. */
export async function sendTestEvent(ctx: AppContext, options: { actor: Actor; endpointId: number }): Promise<{ eventId: number }> {
  requirePermission(options.actor, 'webhook.manage');
  const ep = await ownEndpoint(ctx, options.actor, options.endpointId);
  assertOn(ep);
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const ev = await trx
      .insertInto('events')
      .values({ shop_id: ep.shop_id, type: 'webhook.test', object_type: 'webhook', object_id: String(ep.id), object_version: ep.version, data: JSON.stringify({ note: 'a test event, sent from the webhook page' }), at: now.toISOString(), dedupe_key: `test:${ep.id}:${now.getTime()}:${randomBytes(4).toString('hex')}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('webhook_deliveries')
      .values({ endpoint_id: ep.id, shop_id: ep.shop_id, event_id: ev.id, status: 'pending', attempts: 0, next_attempt_at: now.toISOString(), lease_owner: null, lease_until: null, response_status: null, response_body: null, error: null, created_at: now.toISOString(), updated_at: now.toISOString(), delivered_at: null })
      .execute();
    return { eventId: ev.id };
  });
}

/** Standard Webhooks' signature over `id.timestamp.body` with the secret's key (the base64 after whsec_). */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`;
}

interface Claimed {
  id: number;
  endpointId: number;
  eventId: number;
  attempts: number;
  createdAt: string;
}

async function claimDue(ctx: AppContext, owner: string, limit: number): Promise<Claimed[]> {
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('webhook_deliveries')
      .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
      .select(['webhook_deliveries.id', 'webhook_deliveries.endpoint_id', 'webhook_deliveries.event_id', 'webhook_deliveries.attempts', 'webhook_deliveries.created_at'])
      .where('webhook_endpoints.enabled', '=', 1)
      .where((eb) =>
        eb.or([
          eb.and([eb('webhook_deliveries.status', '=', 'pending'), eb('webhook_deliveries.next_attempt_at', '<=', now.toISOString())]),
          eb.and([eb('webhook_deliveries.status', '=', 'sending'), eb('webhook_deliveries.lease_until', '<', now.toISOString())]),
        ]),
      )
      .orderBy('webhook_deliveries.id')
      .limit(limit);
    if (canLockRows(trx)) q = q.forUpdate('webhook_deliveries').skipLocked();
    const rows = await q.execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable('webhook_deliveries')
      .set((eb) => ({ status: 'sending', lease_owner: owner, lease_until: new Date(now.getTime() + 60_000).toISOString(), attempts: eb('attempts', '+', 1), updated_at: now.toISOString() }))
      .where('id', 'in', rows.map((r) => r.id))
      .execute();
    return rows.map((r) => ({ id: r.id, endpointId: r.endpoint_id, eventId: r.event_id, attempts: r.attempts + 1, createdAt: r.created_at }));
  });
}

/**
 * The body of a delivery: the event, its shop, the object's id and version, what changed, and for a
 * refund the refund as GET /refunds/{id} shows it now (labels in Chinese; no assignee, as for a
 * machine). A refund holds no buyer's phone or address: those stay on the order, masked.
 */
async function bodyOf(ctx: AppContext, eventId: number): Promise<string | null> {
  const e = await ctx.db.kysely.selectFrom('events').innerJoin('shops', 'shops.id', 'events.shop_id').select(['events.id', 'events.shop_id', 'events.type', 'events.at', 'events.object_type', 'events.object_id', 'events.object_version', 'events.data', 'shops.code']).where('events.id', '=', eventId).executeTakeFirst();
  if (!e) return null;
  let current: Record<string, unknown> | null = null;
  if (e.object_type === 'refund' && /^[1-9][0-9]{0,15}$/.test(e.object_id)) {
    const found = await findRefund(ctx.db.kysely, { shopId: e.shop_id, refundId: Number(e.object_id) });
    if (found) {
      const { orderId: _orderId, ...refund } = found;
      current = refundDto(refund, deadlineView(refund, ctx.clock.now()), 'zh-CN', null);
    }
  }
  return JSON.stringify({
    type: e.type,
    timestamp: e.at,
    data: { shop: e.code, eventId: e.id, object: { type: e.object_type, id: e.object_id, version: e.object_version, ...(current ? { current } : {}) }, change: JSON.parse(e.data) as unknown },
  });
}

/** Resolves the endpoint's host and refuses private addresses at send time too (no DNS rebinding around the check). */
async function assertPublicHost(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) throw new Error(`the endpoint's host resolves to a private address (${addresses.join(', ')})`);
}

/** Delivers what is due; answers how many deliveries it settled (delivered or given up). */
export async function deliverWebhooks(ctx: AppContext, options: { owner: string; limit?: number; fetchImpl?: typeof fetch }): Promise<number> {
  const claimed = await claimDue(ctx, options.owner, options.limit ?? 20);
  let settled = 0;
  for (const d of claimed) {
    const ep = await ctx.db.kysely.selectFrom('webhook_endpoints').selectAll().where('id', '=', d.endpointId).executeTakeFirstOrThrow();
    const body = await bodyOf(ctx, d.eventId);
    const now = ctx.clock.now();
    let status: number | null = null;
    let responseBody: string | null = null;
    let error: string | null = null;
    if (body !== null) {
      try {
        const url = new URL(ep.url);
        await assertPublicHost(url, ctx.allowPrivateWebhooks === true);
        const id = webhookIdOf(d.eventId);
        // the receiver checks the timestamp against its own clock (replay window): the wall clock's, always
        const ts = Math.floor(Date.now() / 1000);
        const secret = openSecret(ep.secret_enc, SECRET_PURPOSE(ep.id));
        const res = await (options.fetchImpl ?? fetch)(url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
          headers: { 'content-type': 'application/json', 'user-agent': 'shouhou-webhooks/1', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signWebhook(secret, id, ts, body) },
          body,
        });
        status = res.status;
        responseBody = (await res.text().catch(() => '')).slice(0, 1024);
      } catch (e) {
        error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 500) : String(e);
      }
    }
    const ok = body === null || (status !== null && status >= 200 && status < 300);
    const giveUp = !ok && now.getTime() - new Date(d.createdAt).getTime() >= GIVE_UP_MS;
    const wait = RETRY_WAITS_MS[Math.min(d.attempts - 1, RETRY_WAITS_MS.length - 1)]!;
    await ctx.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('webhook_deliveries')
        .set({
          status: ok ? 'delivered' : giveUp ? 'failed' : 'pending',
          next_attempt_at: new Date(now.getTime() + wait).toISOString(),
          lease_owner: null,
          lease_until: null,
          response_status: status,
          response_body: responseBody,
          error: status !== null && !ok ? (status >= 300 && status < 400 ? `answered ${status} (redirects are not followed)` : `answered ${status}`) : error,
          updated_at: now.toISOString(),
          ...(ok ? { delivered_at: now.toISOString() } : {}),
        })
        .where('id', '=', d.id)
        .where('lease_owner', '=', options.owner)
        .execute();
      if (ok) {
        await trx.updateTable('webhook_endpoints').set({ failing_since: null }).where('id', '=', ep.id).execute();
        return;
      }
      const since = ep.failing_since ?? now.toISOString();
      if (!ep.failing_since) await trx.updateTable('webhook_endpoints').set({ failing_since: since }).where('id', '=', ep.id).execute();
      // failing for 3 days: off, with a notice on the admin's page and in the trail
      if (now.getTime() - new Date(since).getTime() >= GIVE_UP_MS && ep.enabled === 1) {
        await trx.updateTable('webhook_endpoints').set({ enabled: 0, disabled_reason: `failing since ${since}: ${error ?? `answered ${status}`}`.slice(0, 500), updated_at: now.toISOString() }).where('id', '=', ep.id).execute();
        await appendAudit(trx, { at: now, shopId: ep.shop_id, actorKind: 'system', actorId: null, actorName: 'webhooks', role: 'system', action: 'webhook.disabled', targetType: 'webhook', targetId: ep.id, outcome: 'ok', details: { failingSince: since } });
      }
    });
    if (ok || giveUp) settled += 1;
  }
  return settled;
}
