/**
 * A shop's binding to its platform (店铺授权, issue 12 §1): the app key and
 * secret, the seller's session key and its expiry, the gateway. The secret and
 * the session key are sealed at rest and never answered (only their last four
 * characters). Saving a binding starts the backfill; revoking it stops every
 * worker of the shop (decisions not yet sent wait, they are never dropped).
 */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { backfillWindowCount } from '../../core/platform/sync-windows.ts';
import type { Q } from '../../db/order-repository.ts';
import type { ShopBindingTable } from '../../db/schema.ts';
import { isPlatformError, type PlatformConnector, type PlatformName } from '../../platform/connector.ts';
import { createTaobaoConnector } from '../../platform/taobao/taobao-connector.ts';
import type { SignMethod } from '../../platform/taobao/top-sign.ts';
import { requirePermission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { lastFour, openSecret, sealSecret } from '../secrets.ts';
import type { Selectable } from 'kysely';

/** TOP's production gateway; the simulator's is given instead in tests and demos. */
export const TAOBAO_GATEWAY = 'https://eco.taobao.com/router/rest';
export const syncStreams = ['orders', 'refunds', 'tmc'] as const;
export type SyncStream = (typeof syncStreams)[number];
export const bindingStatuses = ['active', 'needs_reauth', 'revoked'] as const;
export type BindingStatus = (typeof bindingStatuses)[number];

/** A binding with its secrets opened: only for making a connector, never answered. */
export interface OpenBinding {
  shopId: number;
  platform: PlatformName;
  sellerNick: string;
  appKey: string;
  appSecret: string;
  sessionKey: string;
  gatewayUrl: string;
  signMethod: SignMethod;
  ratePerSecond: number;
  status: BindingStatus;
  version: number;
}

export type ConnectorFactory = (binding: OpenBinding) => PlatformConnector;

export const defaultConnectorFactory: ConnectorFactory = (b) =>
  createTaobaoConnector({ platform: b.platform, appKey: b.appKey, appSecret: b.appSecret, sessionKey: b.sessionKey, gatewayUrl: b.gatewayUrl, signMethod: b.signMethod, ratePerSecond: b.ratePerSecond });

/** Connectors are kept per shop while the binding's version stays the same (the rate limiter is per app key anyway). */
const connectorCache = new WeakMap<object, Map<number, { version: number; connector: PlatformConnector }>>();

export function connectorOf(ctx: AppContext, binding: OpenBinding): PlatformConnector {
  let perCtx = connectorCache.get(ctx.db);
  if (!perCtx) connectorCache.set(ctx.db, (perCtx = new Map()));
  const hit = perCtx.get(binding.shopId);
  if (hit && hit.version === binding.version) return hit.connector;
  const connector = (ctx.connectors ?? defaultConnectorFactory)(binding);
  perCtx.set(binding.shopId, { version: binding.version, connector });
  return connector;
}

const SECRET = 'binding.app_secret';
const SESSION = 'binding.session_key';

export function openBinding(row: Selectable<ShopBindingTable>): OpenBinding {
  return {
    shopId: row.shop_id,
    platform: row.platform as PlatformName,
    sellerNick: row.seller_nick,
    appKey: row.app_key,
    appSecret: openSecret(row.app_secret_enc, `${SECRET}:${row.shop_id}`),
    sessionKey: openSecret(row.session_key_enc, `${SESSION}:${row.shop_id}`),
    gatewayUrl: row.gateway_url,
    signMethod: row.sign_method as SignMethod,
    ratePerSecond: row.rate_per_second,
    status: row.status as BindingStatus,
    version: row.version,
  };
}

export async function findBindingRow(db: Q, shopId: number): Promise<Selectable<ShopBindingTable> | undefined> {
  return db.selectFrom('shop_bindings').selectAll().where('shop_id', '=', shopId).executeTakeFirst();
}

/** The shop's binding when it is active (workers and the outbox use it), else null. */
export async function activeBinding(db: Q, shopId: number): Promise<OpenBinding | null> {
  const row = await findBindingRow(db, shopId);
  return row && row.status === 'active' ? openBinding(row) : null;
}

export interface BindingInput {
  platform: PlatformName;
  sellerNick: string;
  appKey: string;
  /** required when binding; on a change, absent keeps the stored one */
  appSecret?: string | undefined;
  sessionKey?: string | undefined;
  sessionExpiresAt?: Date | null | undefined;
  gatewayUrl?: string | undefined;
  signMethod?: SignMethod | undefined;
  ratePerSecond?: number | undefined;
  backfillDays?: number | undefined;
}

export interface StreamView {
  stream: SyncStream;
  phase: 'backfill' | 'incremental' | 'paused';
  windowsDone: number;
  windowsTotal: number;
  records: number;
  /** records a minute over the backfill so far */
  ratePerMinute: number | null;
  /** seconds left for the backfill, estimated from the windows done so far */
  etaSeconds: number | null;
  watermark: string | null;
  lastOkAt: string | null;
  lastError: string | null;
  nextRunAt: string;
}

export interface BindingView {
  platform: PlatformName;
  sellerNick: string;
  appKey: string;
  appSecretLast4: string;
  sessionKeyLast4: string;
  sessionExpiresAt: string | null;
  /** the session key expires within 7 days (re-authorise before it does) */
  sessionExpiresSoon: boolean;
  sessionExpired: boolean;
  gatewayUrl: string;
  signMethod: SignMethod;
  ratePerSecond: number;
  backfillDays: number;
  status: BindingStatus;
  statusReason: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  streams: StreamView[];
  problemsOpen: number;
  outbox: { pending: number; failed: number };
}

const WEEK_MS = 7 * 86_400_000;

/** Loopback hosts: the simulator's, on this machine. */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function checkInput(input: BindingInput, creating: boolean, allowLocalGateway: boolean): void {
  const bad = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, { field });
  if (creating && !input.appSecret) throw bad('appSecret', 'Binding a shop needs the app secret.');
  if (creating && !input.sessionKey) throw bad('sessionKey', "Binding a shop needs the seller's session key (access token).");
  if (input.gatewayUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(input.gatewayUrl);
    } catch {
      throw bad('gatewayUrl', 'The gateway is a URL such as https://eco.taobao.com/router/rest.');
    }
    if (url.username || url.password) throw bad('gatewayUrl', 'The gateway URL carries no user name or password.');
    // the server calls whatever is bound here: https only, and a simulator on this machine when the operator allows it
    // (SHOUHOU_ALLOW_LOCAL_GATEWAY=1); never another host over plain http, nor a private address (no probing from inside)
    const local = isLoopback(url.hostname);
    if (local ? !allowLocalGateway || (url.protocol !== 'http:' && url.protocol !== 'https:') : url.protocol !== 'https:') {
      throw bad('gatewayUrl', local ? 'A gateway on this machine (the simulator) is allowed only when the server runs with SHOUHOU_ALLOW_LOCAL_GATEWAY=1.' : 'The gateway is an https URL.');
    }
    if (!local && /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|0\.|\[?(fc|fd|fe80))/i.test(url.hostname)) {
      throw bad('gatewayUrl', 'The gateway is on the internet, not on a private network address.');
    }
  }
}

/** Binds the shop (first time: the backfill starts) or changes its binding (a new session key re-authorises it). */
export async function saveBinding(ctx: AppContext, options: { actor: Actor; input: BindingInput; ip: string; allowLocalGateway?: boolean }): Promise<BindingView> {
  const { actor, input } = options;
  requirePermission(actor, 'platform.binding.write');
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await findBindingRow(trx, actor.shopId);
    checkInput(input, !row || row.status === 'revoked', options.allowLocalGateway ?? ctx.allowLocalGateway === true);
    const shopId = actor.shopId;
    const sealed = {
      ...(input.appSecret ? { app_secret_enc: sealSecret(input.appSecret, `${SECRET}:${shopId}`), app_secret_last4: lastFour(input.appSecret) } : {}),
      ...(input.sessionKey ? { session_key_enc: sealSecret(input.sessionKey, `${SESSION}:${shopId}`), session_key_last4: lastFour(input.sessionKey) } : {}),
    };
    const common = {
      platform: input.platform,
      seller_nick: input.sellerNick,
      app_key: input.appKey,
      ...(input.sessionExpiresAt !== undefined ? { session_expires_at: input.sessionExpiresAt?.toISOString() ?? null } : {}),
      ...(input.gatewayUrl !== undefined ? { gateway_url: input.gatewayUrl } : {}),
      ...(input.signMethod !== undefined ? { sign_method: input.signMethod } : {}),
      ...(input.ratePerSecond !== undefined ? { rate_per_second: input.ratePerSecond } : {}),
      ...(input.backfillDays !== undefined ? { backfill_days: input.backfillDays } : {}),
      updated_at: now.toISOString(),
    };
    const fresh = !row;
    if (!row) {
      await trx
        .insertInto('shop_bindings')
        .values({
          shop_id: shopId,
          ...common,
          app_secret_enc: sealed.app_secret_enc!,
          app_secret_last4: sealed.app_secret_last4!,
          session_key_enc: sealed.session_key_enc!,
          session_key_last4: sealed.session_key_last4!,
          session_expires_at: input.sessionExpiresAt?.toISOString() ?? null,
          gateway_url: input.gatewayUrl ?? TAOBAO_GATEWAY,
          sign_method: input.signMethod ?? 'hmac-sha256',
          rate_per_second: input.ratePerSecond ?? 10,
          backfill_days: input.backfillDays ?? 90,
          status: 'active',
          status_reason: null,
          created_at: now.toISOString(),
          version: 1,
        })
        .execute();
    } else {
      // a new session key (or a binding taken up again after a revoke) makes it active again
      const reactivate = input.sessionKey !== undefined || row.status === 'revoked';
      await trx
        .updateTable('shop_bindings')
        .set({ ...common, ...sealed, ...(reactivate ? { status: 'active', status_reason: null } : {}), version: row.version + 1 })
        .where('shop_id', '=', shopId)
        .execute();
    }
    if (fresh) await startStreams(trx, { shopId, now, backfillDays: input.backfillDays ?? 90 });
    else await trx.updateTable('sync_streams').set({ next_run_at: now.toISOString(), error_count: 0 }).where('shop_id', '=', shopId).execute();
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: 'binding.save',
      targetType: 'shop',
      targetId: shopId,
      outcome: 'ok',
      ip: options.ip,
      details: {
        platform: input.platform,
        sellerNick: input.sellerNick,
        appKey: input.appKey,
        newSecret: input.appSecret !== undefined,
        newSessionKey: input.sessionKey !== undefined,
        gatewayUrl: input.gatewayUrl ?? null,
      },
    });
  });
  return (await getBindingView(ctx, { actor }))!;
}

/** The three streams of a new binding: orders and refunds backfill the last days, TMC starts now. */
async function startStreams(trx: Q, options: { shopId: number; now: Date; backfillDays: number }): Promise<void> {
  const to = options.now;
  const from = new Date(to.getTime() - options.backfillDays * 86_400_000);
  for (const stream of syncStreams) {
    const backfill = stream !== 'tmc' && options.backfillDays > 0;
    await trx
      .insertInto('sync_streams')
      .values({
        shop_id: options.shopId,
        stream,
        watermark: backfill ? null : to.toISOString(),
        backfill_from: backfill ? from.toISOString() : null,
        backfill_to: backfill ? to.toISOString() : null,
        backfill_next: null,
        backfill_done: backfill ? 0 : 1,
        windows_done: 0,
        windows_total: backfill ? backfillWindowCount(from, to) : 0,
        records: 0,
        backfill_started_at: backfill ? to.toISOString() : null,
        backfill_finished_at: null,
        next_run_at: to.toISOString(),
        lease_owner: null,
        lease_until: null,
        last_ok_at: null,
        last_error: null,
        error_count: 0,
        updated_at: to.toISOString(),
      })
      .onConflict((oc) => oc.columns(['shop_id', 'stream']).doNothing())
      .execute();
  }
}

export async function getBindingView(ctx: AppContext, options: { actor: Actor }): Promise<BindingView | null> {
  requirePermission(options.actor, 'platform.binding.read');
  const db = ctx.db.kysely;
  const shopId = options.actor.shopId;
  const row = await findBindingRow(db, shopId);
  if (!row) return null;
  const now = ctx.clock.now();
  const streams = await db.selectFrom('sync_streams').selectAll().where('shop_id', '=', shopId).orderBy('stream').execute();
  const problems = await db.selectFrom('sync_problems').select((eb) => eb.fn.countAll<number>().as('n')).where('shop_id', '=', shopId).where('status', '=', 'open').executeTakeFirst();
  const outbox = await db
    .selectFrom('platform_outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('shop_id', '=', shopId)
    .where('status', 'in', ['pending', 'sending', 'failed'])
    .groupBy('status')
    .execute();
  const count = (...statuses: string[]) => outbox.filter((o) => statuses.includes(o.status)).reduce((n, o) => n + Number(o.n), 0);
  const expires = row.session_expires_at ? new Date(row.session_expires_at) : null;
  return {
    platform: row.platform as PlatformName,
    sellerNick: row.seller_nick,
    appKey: row.app_key,
    appSecretLast4: row.app_secret_last4,
    sessionKeyLast4: row.session_key_last4,
    sessionExpiresAt: row.session_expires_at,
    sessionExpiresSoon: expires !== null && expires.getTime() - now.getTime() <= WEEK_MS && expires > now,
    sessionExpired: expires !== null && expires <= now,
    gatewayUrl: row.gateway_url,
    signMethod: row.sign_method as SignMethod,
    ratePerSecond: row.rate_per_second,
    backfillDays: row.backfill_days,
    status: row.status as BindingStatus,
    statusReason: row.status_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    streams: streams.map((s) => {
      const started = s.backfill_started_at ? new Date(s.backfill_started_at).getTime() : null;
      const until = s.backfill_finished_at ? new Date(s.backfill_finished_at).getTime() : now.getTime();
      const elapsedMs = started !== null ? Math.max(until - started, 1) : null;
      const backfilling = s.backfill_done === 0;
      return {
        stream: s.stream as SyncStream,
        phase: row.status !== 'active' ? 'paused' : backfilling ? 'backfill' : 'incremental',
        windowsDone: s.windows_done,
        windowsTotal: s.windows_total,
        records: s.records,
        ratePerMinute: elapsedMs !== null && s.records > 0 ? Math.round((s.records / elapsedMs) * 60_000) : null,
        etaSeconds:
          backfilling && elapsedMs !== null && s.windows_done > 0 ? Math.round(((s.windows_total - s.windows_done) * elapsedMs) / s.windows_done / 1000) : null,
        watermark: s.watermark,
        lastOkAt: s.last_ok_at,
        lastError: s.last_error,
        nextRunAt: s.next_run_at,
      };
    }),
    problemsOpen: Number(problems?.n ?? 0),
    outbox: { pending: count('pending', 'sending'), failed: count('failed') },
  };
}

/** A cheap authenticated call with the stored binding: what the platform said, in its words. */
export async function testBinding(ctx: AppContext, options: { actor: Actor; ip: string }): Promise<{ ok: boolean; message: string | null; code: string | null }> {
  requirePermission(options.actor, 'platform.sync.act');
  const row = await findBindingRow(ctx.db.kysely, options.actor.shopId);
  if (!row) throw new AppError('NOT_FOUND', 'This shop is not bound to a platform yet.', {});
  let result: { ok: boolean; message: string | null; code: string | null };
  try {
    await connectorOf(ctx, openBinding(row)).testConnection();
    result = { ok: true, message: null, code: null };
  } catch (e) {
    if (!isPlatformError(e)) throw e;
    result = { ok: false, message: e.platformMessage, code: e.subCode ?? e.code };
    if (e.kind === 'auth') await markNeedsReauth(ctx, options.actor.shopId, e.platformMessage);
  }
  await ctx.db.kysely.transaction().execute((trx) =>
    appendAudit(trx, { at: ctx.clock.now(), ...auditActor(options.actor), action: 'binding.test', targetType: 'shop', targetId: options.actor.shopId, outcome: result.ok ? 'ok' : 'failed', ip: options.ip, details: { code: result.code } }),
  );
  return result;
}

/** Stops every worker of the shop; decisions not yet sent wait in the outbox until the shop is bound again. */
export async function revokeBinding(ctx: AppContext, options: { actor: Actor; ip: string }): Promise<void> {
  requirePermission(options.actor, 'platform.binding.write');
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await findBindingRow(trx, options.actor.shopId);
    if (!row) throw new AppError('NOT_FOUND', 'This shop is not bound to a platform.', {});
    await trx
      .updateTable('shop_bindings')
      .set({ status: 'revoked', status_reason: null, updated_at: now.toISOString(), version: row.version + 1 })
      .where('shop_id', '=', row.shop_id)
      .execute();
    await appendAudit(trx, { at: now, ...auditActor(options.actor), action: 'binding.revoke', targetType: 'shop', targetId: row.shop_id, outcome: 'ok', ip: options.ip });
  });
}

/** The session key was refused: the shop's workers pause until an admin gives a new one. */
export async function markNeedsReauth(ctx: AppContext, shopId: number, reason: string): Promise<void> {
  await ctx.db.kysely
    .updateTable('shop_bindings')
    .set({ status: 'needs_reauth', status_reason: reason.slice(0, 500), updated_at: ctx.clock.now().toISOString() })
    .where('shop_id', '=', shopId)
    .where('status', '=', 'active')
    .execute();
}
