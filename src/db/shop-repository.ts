/** Shops, actors, API tokens and idempotency keys. */
import { defaultShopSettings, type ShopSettings } from '../core/shop-settings.ts';
import type { Actor, Role } from '../core/roles.ts';
import type { Q } from './order-repository.ts';

export interface Shop {
  id: number;
  code: string;
  name: string;
  settings: ShopSettings;
}

export async function findShopByCode(db: Q, code: string): Promise<Shop | null> {
  const row = await db.selectFrom('shops').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? { id: row.id, code: row.code, name: row.name, settings: parseSettings(row.settings) } : null;
}

export async function findShop(db: Q, shopId: number): Promise<Shop | null> {
  const row = await db.selectFrom('shops').selectAll().where('id', '=', shopId).executeTakeFirst();
  return row ? { id: row.id, code: row.code, name: row.name, settings: parseSettings(row.settings) } : null;
}

/** Stored settings over the defaults, so a setting added later has its default in old shops. */
function parseSettings(text: string): ShopSettings {
  return { ...defaultShopSettings, ...(JSON.parse(text) as Partial<ShopSettings>) };
}

export async function insertShop(db: Q, s: { code: string; name: string; settings: ShopSettings; at: Date }): Promise<Shop> {
  const row = await db
    .insertInto('shops')
    .values({ code: s.code, name: s.name, settings: JSON.stringify(s.settings), created_at: s.at.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, code: s.code, name: s.name, settings: s.settings };
}

export async function updateShopSettings(db: Q, shopId: number, settings: ShopSettings): Promise<void> {
  await db.updateTable('shops').set({ settings: JSON.stringify(settings) }).where('id', '=', shopId).execute();
}

export async function insertActor(
  db: Q,
  a: { shopId: number; role: Role; name: string; buyerNick: string | null; at: Date; userId?: number | null },
): Promise<Actor> {
  const row = await db
    .insertInto('actors')
    .values({
      shop_id: a.shopId,
      role: a.role,
      name: a.name,
      buyer_nick: a.buyerNick,
      created_at: a.at.toISOString(),
      user_id: a.userId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, shopId: a.shopId, role: a.role, name: a.name, buyerNick: a.buyerNick, kind: a.userId ? 'user' : 'token', userId: a.userId ?? null };
}

export async function insertApiToken(
  db: Q,
  t: { actorId: number; tokenHash: string; label: string; at: Date; expiresAt: Date | null },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      actor_id: t.actorId,
      token_hash: t.tokenHash,
      label: t.label,
      created_at: t.at.toISOString(),
      expires_at: t.expiresAt?.toISOString() ?? null,
      revoked_at: null,
    })
    .execute();
}

/** The actor of a live (not revoked, not expired) token. */
export async function findActorByTokenHash(db: Q, tokenHash: string, now: Date): Promise<Actor | null> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('actors', 'actors.id', 'api_tokens.actor_id')
    .select([
      'actors.id',
      'actors.shop_id',
      'actors.role',
      'actors.name',
      'actors.buyer_nick',
      'actors.disabled_at',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.disabled_at !== null) return null;
  if (row.expires_at !== null && row.expires_at <= now.toISOString()) return null;
  return { id: row.id, shopId: row.shop_id, role: row.role as Role, name: row.name, buyerNick: row.buyer_nick, kind: 'token' };
}

export interface StoredAnswer {
  requestHash: string;
  statusCode: number;
  response: string;
}

export async function findIdempotentAnswer(db: Q, actorId: number, key: string): Promise<StoredAnswer | null> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'response'])
    .where('actor_id', '=', actorId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? { requestHash: row.request_hash, statusCode: row.status_code, response: row.response } : null;
}

/** A claim whose request has not answered within this time was left by a process that died: the key is free again (issue 11). */
export const IDEMPOTENCY_CLAIM_LEASE_MS = 60_000;
/** Finished keys (and their stored answers, which may hold personal data) are kept this long, then deleted (Stripe's rule). */
export const IDEMPOTENCY_KEEP_MS = 24 * 3_600_000;

/**
 * Claims a key before the request is handled (status 0 = in progress): the
 * claim's time when this request got it, null when another request holds it
 * or answered it. A claim older than the lease, or a key older than a day, is
 * taken over (one taker wins: the update re-checks the row it locks).
 */
export async function claimIdempotencyKey(db: Q, a: { actorId: number; key: string; requestHash: string; at: Date }): Promise<string | null> {
  const claimedAt = a.at.toISOString();
  const result = await db
    .insertInto('idempotency_keys')
    .values({ actor_id: a.actorId, key: a.key, request_hash: a.requestHash, status_code: 0, response: '', created_at: claimedAt })
    .onConflict((oc) => oc.columns(['actor_id', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1) return claimedAt;
  const abandoned = new Date(a.at.getTime() - IDEMPOTENCY_CLAIM_LEASE_MS).toISOString();
  const expired = new Date(a.at.getTime() - IDEMPOTENCY_KEEP_MS).toISOString();
  const taken = await db
    .updateTable('idempotency_keys')
    .set({ request_hash: a.requestHash, status_code: 0, response: '', created_at: claimedAt })
    .where('actor_id', '=', a.actorId)
    .where('key', '=', a.key)
    .where((eb) => eb.or([eb.and([eb('status_code', '=', 0), eb('created_at', '<', abandoned)]), eb('created_at', '<', expired)]))
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1 ? claimedAt : null;
}

/** Keeps the answer of a claimed key; a failed request (5xx) gives the key back. Only the claim this request holds is touched. */
export async function settleIdempotencyKey(db: Q, a: { actorId: number; key: string; claimedAt: string; statusCode: number; response: string }): Promise<void> {
  if (a.statusCode >= 500) {
    await db
      .deleteFrom('idempotency_keys')
      .where('actor_id', '=', a.actorId)
      .where('key', '=', a.key)
      .where('status_code', '=', 0)
      .where('created_at', '=', a.claimedAt)
      .execute();
    return;
  }
  await db
    .updateTable('idempotency_keys')
    .set({ status_code: a.statusCode, response: a.response })
    .where('actor_id', '=', a.actorId)
    .where('key', '=', a.key)
    .where('created_at', '=', a.claimedAt)
    .execute();
}

/** Deletes keys older than a day, with their stored answers. */
export async function purgeIdempotencyKeys(db: Q, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', new Date(now.getTime() - IDEMPOTENCY_KEEP_MS).toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
