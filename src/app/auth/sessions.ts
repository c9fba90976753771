/**
 * Sign-in and server-side sessions (ASVS V2, V3). A session lives in the
 * database, so sign-out, disabling a user or changing their roles ends it on
 * every server process at once. Sign-in is throttled per account and per
 * client address, counted in the database; nothing locks an account for good.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { findShop } from '../../db/shop-repository.ts';
import {
  countFailures,
  endSession,
  findLiveSession,
  findUserByUsername,
  insertSession,
  insertSignInAttempt,
  lastSessionShopId,
  listUserRoles,
  setSessionActor,
  touchSession,
  type StoredSession,
  type User,
  type UserRole,
} from '../../db/user-repository.ts';
import { insertActor } from '../../db/shop-repository.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { dummyHash, verifyPassword } from './passwords.ts';

export interface AuthSettings {
  idleHours: number;
  absoluteHours: number;
  /** failed sign-ins of one account within the window before it is throttled */
  accountFailures: number;
  /** failed sign-ins from one client address within the window */
  ipFailures: number;
  windowMinutes: number;
}

export const defaultAuthSettings: AuthSettings = { idleHours: 8, absoluteHours: 7 * 24, accountFailures: 10, ipFailures: 30, windowMinutes: 15 };

function authSettings(ctx: AppContext): AuthSettings {
  return ctx.auth ?? defaultAuthSettings;
}

const HOUR = 3_600_000;
/** Sliding the idle expiry costs a write; do it at most once a minute per session. */
const TOUCH_EVERY_MS = 60_000;

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

export interface SignedIn {
  /** the session id for the cookie (shown once; only its hash is stored) */
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  actor: Actor;
  user: { id: number; username: string; displayName: string } | null;
  shops: UserRole[];
}

/** An unsuccessful sign-in attempt: counted for the throttle and put on the audit trail, together. */
async function recordUnsuccessful(
  ctx: AppContext,
  a: { kind: string; account: string; ip: string; now: Date; outcome: 'failed' | 'throttled'; reason: string },
): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await insertSignInAttempt(trx, { kind: a.kind, account: a.account, ip: a.ip, outcome: a.outcome, at: a.now });
    await appendAudit(trx, {
      at: a.now,
      ...auditActor(null),
      action: `${a.kind}.sign_in`,
      targetType: a.kind === 'buyer' ? 'order' : 'user',
      targetId: a.account,
      outcome: a.outcome === 'throttled' ? 'denied' : 'failed',
      ip: a.ip,
      details: { reason: a.reason },
    });
  });
}

export async function throttleCheck(ctx: AppContext, kind: string, account: string, ip: string, now: Date): Promise<void> {
  const s = authSettings(ctx);
  const since = new Date(now.getTime() - s.windowMinutes * 60_000);
  const failures = await countFailures(ctx.db.kysely, { kind, account, ip, since, now });
  const over =
    failures.account >= s.accountFailures ? failures.oldestAccount : failures.ip >= s.ipFailures ? failures.oldestIp : null;
  if (over) {
    const retryAt = new Date(over.getTime() + s.windowMinutes * 60_000);
    await recordUnsuccessful(ctx, { kind, account, ip, now, outcome: 'throttled', reason: 'throttled' });
    throw new AppError('SIGN_IN_THROTTLED', 'Too many failed sign-ins; wait a while and try again.', {
      retryAfterSeconds: Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000)),
    });
  }
}

export async function failSignIn(ctx: AppContext, kind: string, account: string, ip: string, now: Date, reason: string): Promise<never> {
  await recordUnsuccessful(ctx, { kind, account, ip, now, outcome: 'failed', reason });
  // one message for every cause, so that it does not tell which usernames exist
  throw new AppError(
    'SIGN_IN_FAILED',
    kind === 'buyer' ? 'The order number and phone number do not match an order.' : 'The username or password is wrong.',
    {},
  );
}

async function openSession(
  ctx: AppContext,
  options: { kind: 'user' | 'buyer'; actor: Actor; user: User | null; orderId: number | null; ip: string; now: Date; auditAction: string },
): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date }> {
  const s = authSettings(ctx);
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const absoluteExpiresAt = new Date(options.now.getTime() + s.absoluteHours * HOUR);
  const idleExpiresAt = new Date(Math.min(options.now.getTime() + s.idleHours * HOUR, absoluteExpiresAt.getTime()));
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await insertSession(trx, {
      idHash: hashSessionId(sessionId),
      kind: options.kind,
      userId: options.user?.id ?? null,
      actorId: options.actor.id,
      orderId: options.orderId,
      csrfToken,
      lastSeenAt: options.now,
      idleExpiresAt,
      absoluteExpiresAt,
      createdAt: options.now,
      ip: options.ip,
    });
    await insertSignInAttempt(trx, {
      kind: options.kind,
      account: options.kind === 'buyer' ? String(options.orderId) : (options.user?.username ?? ''),
      ip: options.ip,
      outcome: 'ok',
      at: options.now,
    });
    await appendAudit(trx, {
      at: options.now,
      ...auditActor(options.actor),
      action: options.auditAction,
      targetType: options.kind === 'buyer' ? 'order' : 'user',
      targetId: options.kind === 'buyer' ? options.orderId : (options.user?.id ?? null),
      outcome: 'ok',
      ip: options.ip,
    });
  });
  return { sessionId, csrfToken, expiresAt: absoluteExpiresAt };
}

/** Username and password → a new session (a new id at every sign-in). */
export async function signIn(
  ctx: AppContext,
  options: { username: string; password: string; shopCode?: string | undefined; ip: string },
): Promise<SignedIn> {
  const now = ctx.clock.now();
  const username = options.username.trim().toLowerCase();
  await throttleCheck(ctx, 'user', username, options.ip, now);
  const user = await findUserByUsername(ctx.db.kysely, username);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), options.password);
  if (!user || !ok) return failSignIn(ctx, 'user', username, options.ip, now, user ? 'wrong password' : 'no such user');
  if (user.disabledAt) return failSignIn(ctx, 'user', username, options.ip, now, 'disabled');
  const shops = await listUserRoles(ctx.db.kysely, user.id);
  // without a shop asked for, the user lands where they last worked (a shop that added them does not take them over)
  const lastShopId = options.shopCode ? null : await lastSessionShopId(ctx.db.kysely, user.id);
  const current = options.shopCode ? shops.find((s) => s.shopCode === options.shopCode) : (shops.find((s) => s.shopId === lastShopId) ?? shops[0]);
  if (!current) return failSignIn(ctx, 'user', username, options.ip, now, options.shopCode ? 'no role in that shop' : 'no role in any shop');
  const actor: Actor = { id: current.actorId, shopId: current.shopId, role: current.role, name: user.displayName, buyerNick: null, kind: 'user', userId: user.id };
  const opened = await openSession(ctx, { kind: 'user', actor, user, orderId: null, ip: options.ip, now, auditAction: 'user.sign_in' });
  return { ...opened, actor, user: { id: user.id, username: user.username, displayName: user.displayName }, shops };
}

/**
 * The buyer portal: the order number and the phone number on the order open a
 * buyer session that reaches this one order's refunds only.
 */
export async function buyerSignIn(ctx: AppContext, options: { orderNo: string; phone: string; ip: string }): Promise<SignedIn> {
  const now = ctx.clock.now();
  const account = options.orderNo.trim();
  await throttleCheck(ctx, 'buyer', account, options.ip, now);
  const digits = (p: string) => p.replace(/\D/g, '');
  const orders = await ctx.db.kysely.selectFrom('orders').select(['id', 'shop_id', 'buyer_nick', 'buyer_phone']).where('order_no', '=', account).execute();
  const match = orders.filter((o) => digits(o.buyer_phone) === digits(options.phone) && digits(options.phone).length >= 6);
  const order = match.length === 1 ? match[0] : undefined;
  if (!order) return failSignIn(ctx, 'buyer', account, options.ip, now, 'no match');
  const existing = await ctx.db.kysely
    .selectFrom('actors')
    .select(['id', 'name'])
    .where('shop_id', '=', order.shop_id)
    .where('role', '=', 'buyer')
    .where('buyer_nick', '=', order.buyer_nick)
    .where('user_id', 'is', null)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  const base =
    existing ??
    (await insertActor(ctx.db.kysely, { shopId: order.shop_id, role: 'buyer', name: order.buyer_nick, buyerNick: order.buyer_nick, at: now }));
  const actor: Actor = { id: base.id, shopId: order.shop_id, role: 'buyer', name: base.name, buyerNick: order.buyer_nick, kind: 'buyer', orderScopeId: order.id };
  const opened = await openSession(ctx, { kind: 'buyer', actor, user: null, orderId: order.id, ip: options.ip, now, auditAction: 'buyer.sign_in' });
  return { ...opened, actor, user: null, shops: [] };
}

export interface Authenticated {
  actor: Actor;
  session: StoredSession;
}

/** The session behind a cookie, sliding its idle expiry; null when ended, expired, or its user or role was disabled. */
export async function authenticateSession(ctx: AppContext, sessionId: string): Promise<Authenticated | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(sessionId)) return null;
  const now = ctx.clock.now();
  const found = await findLiveSession(ctx.db.kysely, hashSessionId(sessionId), now);
  if (!found) return null;
  if (now.getTime() - found.session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    const idle = new Date(Math.min(now.getTime() + authSettings(ctx).idleHours * HOUR, found.session.absoluteExpiresAt.getTime()));
    await touchSession(ctx.db.kysely, found.session.idHash, now, idle);
  }
  return found;
}

export async function signOut(ctx: AppContext, options: { sessionId: string; actor: Actor; ip: string }): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await endSession(trx, hashSessionId(options.sessionId), 'signed out', now);
    await appendAudit(trx, { at: now, ...auditActor(options.actor), action: 'user.sign_out', outcome: 'ok', ip: options.ip });
  });
}

/** Picks the current shop among the user's shops. */
export async function switchShop(ctx: AppContext, options: { sessionId: string; actor: Actor; shopCode: string; ip: string }): Promise<Actor> {
  if (!options.actor.userId) throw new AppError('FORBIDDEN', 'Only a signed-in user picks a shop.', {});
  const shops = await listUserRoles(ctx.db.kysely, options.actor.userId);
  const target = shops.find((s) => s.shopCode === options.shopCode);
  if (!target) throw new AppError('NOT_FOUND', `You have no role in the shop ${options.shopCode}.`, {});
  const now = ctx.clock.now();
  const actor: Actor = { ...options.actor, id: target.actorId, shopId: target.shopId, role: target.role };
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await setSessionActor(trx, hashSessionId(options.sessionId), target.actorId);
    await appendAudit(trx, { at: now, ...auditActor(actor), action: 'user.switch_shop', targetType: 'shop', targetId: target.shopCode, outcome: 'ok', ip: options.ip });
  });
  return actor;
}

export async function shopSummary(ctx: AppContext, shopId: number): Promise<{ code: string; name: string } | null> {
  const shop = await findShop(ctx.db.kysely, shopId);
  return shop ? { code: shop.code, name: shop.name } : null;
}

