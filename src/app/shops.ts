/** Shops, their settings, and the API tokens that act in them. */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../core/errors.ts';
import { validatePostageTable } from '../core/workbench/postage.ts';
import type { Actor, Role } from '../core/roles.ts';
import { defaultShopSettings, type ShopSettings } from '../core/shop-settings.ts';
import {
  findActorByTokenHash,
  findShop,
  findShopByCode,
  insertActor,
  insertApiToken,
  insertShop,
  updateShopSettings,
  type Shop,
} from '../db/shop-repository.ts';
import type { Q } from '../db/order-repository.ts';
import { requirePermission } from './access.ts';
import { appendAudit, auditActor } from './audit.ts';
import type { AppContext } from './context.ts';
import { diffFields } from './diff.ts';

/**
 * Shop settings are read by every refund action; they change rarely. Each
 * process keeps them for a second (per database), and forgets them at once when
 * it changes them itself; another process's change is seen within that second.
 */
const SETTINGS_TTL_MS = 1000;
const settingsCache = new WeakMap<object, Map<number, { settings: ShopSettings; until: number }>>();

export async function cachedShopSettings(ctx: AppContext, db: Q, shopId: number): Promise<ShopSettings> {
  let perDb = settingsCache.get(ctx.db);
  if (!perDb) settingsCache.set(ctx.db, (perDb = new Map()));
  const hit = perDb.get(shopId);
  const now = Date.now();
  if (hit && hit.until > now) return hit.settings;
  const shop = await findShop(db, shopId);
  if (!shop) throw new AppError('NOT_FOUND', 'The shop was not found.', {});
  perDb.set(shopId, { settings: shop.settings, until: now + SETTINGS_TTL_MS });
  return shop.settings;
}

function forgetShopSettings(ctx: AppContext, shopId: number): void {
  settingsCache.get(ctx.db)?.delete(shopId);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new API token: 32 random bytes. Only its hash is stored; the token is shown once. */
export function newToken(): string {
  return `shh_${randomBytes(32).toString('base64url')}`;
}

export async function createShop(ctx: AppContext, options: { code: string; name: string; settings?: Partial<ShopSettings> }): Promise<Shop> {
  return insertShop(ctx.db.kysely, {
    code: options.code,
    name: options.name,
    settings: { ...defaultShopSettings, ...options.settings },
    at: ctx.clock.now(),
  });
}

export async function shopByCode(ctx: AppContext, code: string): Promise<Shop | null> {
  return findShopByCode(ctx.db.kysely, code);
}

/** Creates an actor with a role in a shop and one token for it; answers the token (shown once). */
export async function createActorToken(
  ctx: AppContext,
  options: { shopId: number; role: Role; name: string; buyerNick?: string | null; label?: string; expiresAt?: Date | null },
): Promise<{ actor: Actor; token: string }> {
  if (options.role === 'buyer' && !options.buyerNick) {
    throw new AppError('VALIDATION_FAILED', 'A buyer token needs the buyer nick it acts for.', { field: 'buyerNick' });
  }
  const token = newToken();
  const now = ctx.clock.now();
  const actor = await ctx.db.kysely.transaction().execute(async (trx) => {
    const a = await insertActor(trx, {
      shopId: options.shopId,
      role: options.role,
      name: options.name,
      buyerNick: options.role === 'buyer' ? (options.buyerNick ?? null) : null,
      at: now,
    });
    await insertApiToken(trx, { actorId: a.id, tokenHash: hashToken(token), label: options.label ?? options.name, at: now, expiresAt: options.expiresAt ?? null });
    return a;
  });
  return { actor, token };
}

export async function authenticateToken(ctx: AppContext, token: string): Promise<Actor | null> {
  if (!/^[A-Za-z0-9_-]{16,200}$/.test(token)) return null;
  return findActorByTokenHash(ctx.db.kysely, hashToken(token), ctx.clock.now());
}

export async function getShopSettings(ctx: AppContext, options: { actor: Actor }): Promise<ShopSettings> {
  requirePermission(options.actor, 'shop.settings.read');
  const shop = await findShop(ctx.db.kysely, options.actor.shopId);
  if (!shop) throw new AppError('NOT_FOUND', 'The shop was not found.', {});
  return shop.settings;
}

export async function changeShopSettings(
  ctx: AppContext,
  options: { actor: Actor; changes: Partial<ShopSettings> },
): Promise<ShopSettings> {
  requirePermission(options.actor, 'shop.settings.update');
  const next = await ctx.db.kysely.transaction().execute(async (trx) => {
    const shop = await findShop(trx, options.actor.shopId);
    if (!shop) throw new AppError('NOT_FOUND', 'The shop was not found.', {});
    const next = { ...shop.settings, ...options.changes };
    if (options.changes.postageTable) next.postageTable = validatePostageTable(options.changes.postageTable);
    await updateShopSettings(trx, shop.id, next);
    await appendAudit(trx, {
      at: ctx.clock.now(),
      ...auditActor(options.actor),
      action: 'shop.settings.update',
      targetType: 'shop',
      targetId: shop.code,
      outcome: 'ok',
      details: { changes: diffFields(shop.settings, next, []) },
    });
    return next;
  });
  // after the commit, so that no read in between caches the old settings again
  forgetShopSettings(ctx, options.actor.shopId);
  return next;
}
