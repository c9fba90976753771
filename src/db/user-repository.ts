/** Users, their roles in shops (actors with a user), sessions and sign-in attempts. */
import type { Actor, Role } from '../core/roles.ts';
import type { Q } from './order-repository.ts';

const iso = (d: Date) => d.toISOString();

export interface User {
  id: number;
  username: string;
  displayName: string;
  passwordHash: string;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface UserRole {
  actorId: number;
  shopId: number;
  shopCode: string;
  shopName: string;
  role: Role;
}

function toUser(r: { id: number; username: string; display_name: string; password_hash: string; disabled_at: string | null; created_at: string }): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    disabledAt: r.disabled_at ? new Date(r.disabled_at) : null,
    createdAt: new Date(r.created_at),
  };
}

export async function insertUser(db: Q, u: { username: string; displayName: string; passwordHash: string; at: Date }): Promise<User> {
  const row = await db
    .insertInto('users')
    .values({ username: u.username, display_name: u.displayName, password_hash: u.passwordHash, created_at: iso(u.at), updated_at: iso(u.at) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, username: u.username, displayName: u.displayName, passwordHash: u.passwordHash, disabledAt: null, createdAt: u.at };
}

export async function findUserByUsername(db: Q, username: string): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function findUserById(db: Q, userId: number): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function updateUser(db: Q, userId: number, changes: { displayName?: string; passwordHash?: string; disabledAt?: Date | null; at: Date }): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
      ...(changes.disabledAt !== undefined ? { disabled_at: changes.disabledAt ? iso(changes.disabledAt) : null } : {}),
      updated_at: iso(changes.at),
    })
    .where('id', '=', userId)
    .execute();
}

/** The shops where the user has a (live) role. */
export async function listUserRoles(db: Q, userId: number): Promise<UserRole[]> {
  const rows = await db
    .selectFrom('actors')
    .innerJoin('shops', 'shops.id', 'actors.shop_id')
    .select(['actors.id', 'actors.shop_id', 'actors.role', 'shops.code', 'shops.name'])
    .where('actors.user_id', '=', userId)
    .where('actors.disabled_at', 'is', null)
    .orderBy('shops.code')
    .execute();
  return rows.map((r) => ({ actorId: r.id, shopId: r.shop_id, shopCode: r.code, shopName: r.name, role: r.role as Role }));
}

/** Gives the user this role in the shop (one role per shop), reusing the shop's actor of that user. */
export async function setUserRole(db: Q, options: { userId: number; shopId: number; role: Role; name: string; at: Date }): Promise<number> {
  const existing = await db
    .selectFrom('actors')
    .select('id')
    .where('user_id', '=', options.userId)
    .where('shop_id', '=', options.shopId)
    .executeTakeFirst();
  if (existing) {
    await db.updateTable('actors').set({ role: options.role, name: options.name, disabled_at: null }).where('id', '=', existing.id).execute();
    return existing.id;
  }
  const row = await db
    .insertInto('actors')
    .values({ shop_id: options.shopId, role: options.role, name: options.name, buyer_nick: null, created_at: iso(options.at), user_id: options.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function removeUserRole(db: Q, options: { userId: number; shopId: number; at: Date }): Promise<void> {
  await db
    .updateTable('actors')
    .set({ disabled_at: iso(options.at) })
    .where('user_id', '=', options.userId)
    .where('shop_id', '=', options.shopId)
    .execute();
}

export interface ShopUser {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
}

export async function listShopUsers(db: Q, shopId: number): Promise<ShopUser[]> {
  const rows = await db
    .selectFrom('actors')
    .innerJoin('users', 'users.id', 'actors.user_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.disabled_at', 'actors.role'])
    .where('actors.shop_id', '=', shopId)
    .where('actors.disabled_at', 'is', null)
    .orderBy('users.username')
    .execute();
  return rows.map((r) => ({ userId: r.id, username: r.username, displayName: r.display_name, role: r.role as Role, disabled: r.disabled_at !== null }));
}

/** One user's active role in a shop; null when they have none there. */
export async function findShopUser(db: Q, options: { shopId: number; userId: number }): Promise<ShopUser | null> {
  const row = await db
    .selectFrom('actors')
    .innerJoin('users', 'users.id', 'actors.user_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.disabled_at', 'actors.role'])
    .where('actors.shop_id', '=', options.shopId)
    .where('actors.user_id', '=', options.userId)
    .where('actors.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { userId: row.id, username: row.username, displayName: row.display_name, role: row.role as Role, disabled: row.disabled_at !== null } : null;
}

export interface StoredSession {
  idHash: string;
  kind: 'user' | 'buyer';
  userId: number | null;
  actorId: number;
  orderId: number | null;
  csrfToken: string;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

export async function insertSession(
  db: Q,
  s: StoredSession & { createdAt: Date; ip: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: s.idHash,
      kind: s.kind,
      user_id: s.userId,
      actor_id: s.actorId,
      order_id: s.orderId,
      csrf_token: s.csrfToken,
      created_at: iso(s.createdAt),
      last_seen_at: iso(s.lastSeenAt),
      idle_expires_at: iso(s.idleExpiresAt),
      absolute_expires_at: iso(s.absoluteExpiresAt),
      ended_at: null,
      end_reason: null,
      ip: s.ip,
    })
    .execute();
}

/** A live session (not ended, not expired) with the actor it acts as. */
export async function findLiveSession(db: Q, idHash: string, now: Date): Promise<{ session: StoredSession; actor: Actor } | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('actors', 'actors.id', 'sessions.actor_id')
    .leftJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id_hash',
      'sessions.kind',
      'sessions.user_id',
      'sessions.actor_id',
      'sessions.order_id',
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'sessions.idle_expires_at',
      'sessions.absolute_expires_at',
      'sessions.ended_at',
      'actors.shop_id',
      'actors.role',
      'actors.name',
      'actors.buyer_nick',
      'actors.disabled_at as actor_disabled_at',
      'users.disabled_at as user_disabled_at',
    ])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  const t = iso(now);
  if (!row || row.ended_at !== null || row.idle_expires_at <= t || row.absolute_expires_at <= t) return null;
  if (row.actor_disabled_at !== null || row.user_disabled_at !== null) return null;
  return {
    session: {
      idHash: row.id_hash,
      kind: row.kind as 'user' | 'buyer',
      userId: row.user_id,
      actorId: row.actor_id,
      orderId: row.order_id,
      csrfToken: row.csrf_token,
      lastSeenAt: new Date(row.last_seen_at),
      idleExpiresAt: new Date(row.idle_expires_at),
      absoluteExpiresAt: new Date(row.absolute_expires_at),
    },
    actor: {
      id: row.actor_id,
      shopId: row.shop_id,
      role: row.role as Role,
      name: row.name,
      buyerNick: row.buyer_nick,
      kind: row.kind === 'buyer' ? 'buyer' : 'user',
      orderScopeId: row.order_id,
      userId: row.user_id,
    },
  };
}

export async function touchSession(db: Q, idHash: string, lastSeenAt: Date, idleExpiresAt: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: iso(lastSeenAt), idle_expires_at: iso(idleExpiresAt) })
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .execute();
}

export async function setSessionActor(db: Q, idHash: string, actorId: number): Promise<void> {
  await db.updateTable('sessions').set({ actor_id: actorId }).where('id_hash', '=', idHash).execute();
}

export async function endSession(db: Q, idHash: string, reason: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ ended_at: iso(at), end_reason: reason }).where('id_hash', '=', idHash).where('ended_at', 'is', null).execute();
}

/** Ends every session of a user (sign-out everywhere, disabled, roles changed). Returns how many. */
export async function endUserSessions(db: Q, userId: number, reason: string, at: Date): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ ended_at: iso(at), end_reason: reason })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Ends the user's sessions whose current shop is this one (a change in one shop leaves their work in another alone). */
export async function endUserSessionsInShop(db: Q, userId: number, shopId: number, reason: string, at: Date): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ ended_at: iso(at), end_reason: reason })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .where('actor_id', 'in', db.selectFrom('actors').select('id').where('shop_id', '=', shopId).where('user_id', '=', userId))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The shop of the user's latest session, to land in at the next sign-in. */
export async function lastSessionShopId(db: Q, userId: number): Promise<number | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('actors', 'actors.id', 'sessions.actor_id')
    .select('actors.shop_id')
    .where('sessions.user_id', '=', userId)
    .orderBy('sessions.last_seen_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.shop_id ?? null;
}

export async function insertSignInAttempt(db: Q, a: { kind: string; account: string; ip: string; outcome: 'ok' | 'failed' | 'throttled'; at: Date }): Promise<void> {
  await db.insertInto('sign_in_attempts').values({ kind: a.kind, account: a.account, ip: a.ip, outcome: a.outcome, at: iso(a.at) }).execute();
}

/** Failed attempts since a time, by account and by client address. */
export async function countFailures(
  db: Q,
  options: { kind: string; account: string; ip: string; since: Date; now: Date },
): Promise<{ account: number; ip: number; oldestAccount: Date | null; oldestIp: Date | null }> {
  const count = async (column: 'account' | 'ip', value: string) => {
    const row = await db
      .selectFrom('sign_in_attempts')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
      .where('kind', '=', options.kind)
      .where(column, '=', value)
      .where('outcome', '=', 'failed')
      .where('at', '>', iso(options.since))
      .where('at', '<=', iso(options.now))
      .executeTakeFirstOrThrow();
    return { n: Number(row.n), oldest: row.oldest ? new Date(row.oldest) : null };
  };
  const [byAccount, byIp] = await Promise.all([count('account', options.account), count('ip', options.ip)]);
  return { account: byAccount.n, ip: byIp.n, oldestAccount: byAccount.oldest, oldestIp: byIp.oldest };
}
