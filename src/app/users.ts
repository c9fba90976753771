/** Users and API tokens, managed by a shop's admin; every change is audited. */
import { randomBytes } from 'node:crypto';
import { AppError } from '../core/errors.ts';
import { isStaffRole, type Actor, type Role, type StaffRole } from '../core/roles.ts';
import { insertActor, insertApiToken } from '../db/shop-repository.ts';
import {
  endUserSessions,
  endUserSessionsInShop,
  findUserById,
  findUserByUsername,
  insertUser,
  listShopUsers,
  listUserRoles,
  removeUserRole,
  setUserRole,
  updateUser,
  type ShopUser,
} from '../db/user-repository.ts';
import type { Q } from '../db/order-repository.ts';
import { requirePermission } from './access.ts';
import { appendAudit, auditActor } from './audit.ts';
import { assertPasswordAllowed, hashPassword, verifyPassword } from './auth/passwords.ts';
import { failSignIn, throttleCheck } from './auth/sessions.ts';
import type { AppContext } from './context.ts';
import { hashToken, newToken } from './shops.ts';

const USERNAME = /^[a-z0-9][a-z0-9_.-]{2,31}$/;

function checkUsername(username: string): string {
  const u = username.trim().toLowerCase();
  if (!USERNAME.test(u)) {
    throw new AppError('VALIDATION_FAILED', 'A username is 3–32 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit.', {
      field: 'username',
    });
  }
  return u;
}

/** Creates a user with a role in the admin's current shop (or in `shopId`, for the first start and the demo). */
export async function createUser(
  ctx: AppContext,
  options: { actor: Actor | null; username: string; displayName: string; password: string; role: StaffRole; shopId?: number; ip?: string | null },
): Promise<ShopUser> {
  if (options.actor) requirePermission(options.actor, 'user.manage');
  const shopId = options.shopId ?? options.actor?.shopId;
  if (shopId === undefined) throw new Error('createUser needs a shop');
  const username = checkUsername(options.username);
  const displayName = options.displayName.trim() || username;
  assertPasswordAllowed(options.password, username);
  const passwordHash = await hashPassword(options.password);
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    if (await findUserByUsername(trx, username)) throw new AppError('USERNAME_TAKEN', `The username ${username} is taken.`, { username });
    const user = await insertUser(trx, { username, displayName, passwordHash, at: now });
    await setUserRole(trx, { userId: user.id, shopId, role: options.role, name: displayName, at: now });
    await appendAudit(trx, {
      at: now,
      ...(options.actor ? auditActor(options.actor) : { actorKind: 'system' as const, actorId: null, actorName: 'shouhou', role: 'system', shopId }),
      shopId,
      action: 'user.create',
      targetType: 'user',
      targetId: user.id,
      outcome: 'ok',
      ip: options.ip ?? null,
      details: { username, role: options.role },
    });
    return { userId: user.id, username, displayName, role: options.role, disabled: false };
  });
}

/**
 * A shop's admin changes what is global to a user (password, disabled) only
 * for users who work in that shop alone; for a user of several shops they may
 * only change or remove the role in their own shop.
 */
async function assertOnlyInShop(db: Q, userId: number, shopId: number, what: string): Promise<void> {
  const roles = await listUserRoles(db, userId);
  if (roles.some((r) => r.shopId !== shopId)) {
    throw new AppError('ACTION_NOT_ALLOWED', `This user also works in other shops; an admin of one shop cannot ${what}. Remove their role in this shop instead.`, {
      reason: 'user_of_other_shops',
    });
  }
}

export interface Invitation {
  id: number;
  username: string;
  role: StaffRole;
  status: 'pending' | 'accepted' | 'declined' | 'revoked' | 'expired';
  createdAt: string;
  expiresAt: string;
}

export type GrantOutcome = { status: 'granted'; user: ShopUser } | { status: 'invited'; invitation: Invitation };

/** How long an invitation waits for the user's answer. */
const INVITATION_DAYS = 7;

/**
 * Gives a user of another shop a role in the admin's current shop (issue 11).
 * The user's other shops must consent: when the admin is also an admin of
 * every shop the user works in, the role is given at once; otherwise the user
 * gets an invitation to accept or decline, and the answer is the same whether
 * or not the name exists (so that it does not tell another shop's usernames).
 * No session of the user ends: the new shop shows in their shop switcher.
 */
export async function grantRole(
  ctx: AppContext,
  options: { actor: Actor; username: string; role: StaffRole; ip: string },
): Promise<GrantOutcome> {
  const { actor } = options;
  requirePermission(actor, 'user.manage');
  const username = checkUsername(options.username);
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx): Promise<GrantOutcome> => {
    const user = await findUserByUsername(trx, username);
    const userRoles = user ? await listUserRoles(trx, user.id) : [];
    if (user && userRoles.some((r) => r.shopId === actor.shopId)) {
      throw new AppError('ACTION_NOT_ALLOWED', `${username} already has a role in this shop; change it instead.`, { userId: user.id });
    }
    const adminOf = actor.userId ? (await listUserRoles(trx, actor.userId)).filter((r) => r.role === 'admin').map((r) => r.shopId) : [];
    if (user && userRoles.length > 0 && userRoles.every((r) => adminOf.includes(r.shopId))) {
      await setUserRole(trx, { userId: user.id, shopId: actor.shopId, role: options.role, name: user.displayName, at: now });
      await appendAudit(trx, {
        at: now,
        ...auditActor(actor),
        action: 'user.grant_role',
        targetType: 'user',
        targetId: user.id,
        outcome: 'ok',
        ip: options.ip,
        details: { username, role: options.role, consent: 'admin_of_every_shop' },
      });
      return { status: 'granted', user: { userId: user.id, username, displayName: user.displayName, role: options.role, disabled: user.disabledAt !== null } };
    }
    // one pending invitation per name and shop: a new one replaces it
    await trx
      .updateTable('shop_invitations')
      .set({ status: 'revoked', decided_at: now.toISOString() })
      .where('shop_id', '=', actor.shopId)
      .where('username', '=', username)
      .where('status', '=', 'pending')
      .execute();
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
    const row = await trx
      .insertInto('shop_invitations')
      .values({
        shop_id: actor.shopId,
        username,
        user_id: user?.id ?? null,
        role: options.role,
        invited_by: actor.id,
        status: 'pending',
        created_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        decided_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // the shop's own trail says whom it invited, never whether that name exists
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: 'user.invite',
      targetType: 'invitation',
      targetId: row.id,
      outcome: 'ok',
      ip: options.ip,
      details: { username, role: options.role },
    });
    return {
      status: 'invited',
      invitation: { id: row.id, username, role: options.role, status: 'pending', createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() },
    };
  });
}

function invitationStatus(row: { status: string; expires_at: string }, now: Date): Invitation['status'] {
  if (row.status === 'pending' && row.expires_at <= now.toISOString()) return 'expired';
  return row.status as Invitation['status'];
}

/** The shop's invitations not yet answered (and those that expired in the last week), newest first. */
export async function listInvitations(ctx: AppContext, options: { actor: Actor }): Promise<Invitation[]> {
  requirePermission(options.actor, 'user.manage');
  const now = ctx.clock.now();
  const rows = await ctx.db.kysely
    .selectFrom('shop_invitations')
    .selectAll()
    .where('shop_id', '=', options.actor.shopId)
    .where('status', '=', 'pending')
    .where('expires_at', '>', new Date(now.getTime() - INVITATION_DAYS * 86_400_000).toISOString())
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, username: r.username, role: r.role as StaffRole, status: invitationStatus(r, now), createdAt: r.created_at, expiresAt: r.expires_at }));
}

/** The admin takes back an invitation not yet answered. */
export async function revokeInvitation(ctx: AppContext, options: { actor: Actor; invitationId: number; ip: string }): Promise<void> {
  requirePermission(options.actor, 'user.manage');
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('shop_invitations')
      .select(['id', 'status'])
      .where('id', '=', options.invitationId)
      .where('shop_id', '=', options.actor.shopId)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `Invitation ${options.invitationId} was not found.`, {});
    if (row.status !== 'pending') throw new AppError('ACTION_NOT_ALLOWED', `This invitation was already ${row.status}.`, { status: row.status });
    await trx.updateTable('shop_invitations').set({ status: 'revoked', decided_at: now.toISOString() }).where('id', '=', row.id).execute();
    await appendAudit(trx, { at: now, ...auditActor(options.actor), action: 'user.invitation_revoke', targetType: 'invitation', targetId: row.id, outcome: 'ok', ip: options.ip });
  });
}

export interface MyInvitation {
  id: number;
  shopCode: string;
  shopName: string;
  role: StaffRole;
  invitedBy: string;
  expiresAt: string;
}

/** The invitations waiting for the signed-in user's answer. */
export async function myInvitations(ctx: AppContext, options: { actor: Actor }): Promise<MyInvitation[]> {
  if (!options.actor.userId) return [];
  const rows = await ctx.db.kysely
    .selectFrom('shop_invitations')
    .innerJoin('shops', 'shops.id', 'shop_invitations.shop_id')
    .innerJoin('actors', 'actors.id', 'shop_invitations.invited_by')
    .select(['shop_invitations.id', 'shops.code', 'shops.name', 'shop_invitations.role', 'actors.name as invited_by', 'shop_invitations.expires_at'])
    .where('shop_invitations.user_id', '=', options.actor.userId)
    .where('shop_invitations.status', '=', 'pending')
    .where('shop_invitations.expires_at', '>', ctx.clock.now().toISOString())
    .orderBy('shop_invitations.id')
    .execute();
  return rows.map((r) => ({ id: r.id, shopCode: r.code, shopName: r.name, role: r.role as StaffRole, invitedBy: r.invited_by, expiresAt: r.expires_at }));
}

/** The invited user accepts (the role is theirs in that shop; no session ends) or declines. */
export async function answerInvitation(ctx: AppContext, options: { actor: Actor; invitationId: number; accept: boolean; ip: string }): Promise<void> {
  const { actor } = options;
  if (!actor.userId) throw new AppError('FORBIDDEN', 'Only a signed-in user answers an invitation.', {});
  const userId = actor.userId;
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('shop_invitations')
      .selectAll()
      .where('id', '=', options.invitationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `Invitation ${options.invitationId} was not found.`, {});
    const status = invitationStatus(row, now);
    if (status !== 'pending') throw new AppError('ACTION_NOT_ALLOWED', `This invitation was already ${status}.`, { status });
    const user = await findUserById(trx, userId);
    if (!user) throw new AppError('NOT_FOUND', `Invitation ${options.invitationId} was not found.`, {});
    if (options.accept) {
      await setUserRole(trx, { userId, shopId: row.shop_id, role: row.role as StaffRole, name: user.displayName, at: now });
    }
    await trx
      .updateTable('shop_invitations')
      .set({ status: options.accept ? 'accepted' : 'declined', decided_at: now.toISOString() })
      .where('id', '=', row.id)
      .execute();
    // recorded in the inviting shop's trail, where the admin looks for the answer
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      shopId: row.shop_id,
      action: options.accept ? 'user.invitation_accept' : 'user.invitation_decline',
      targetType: 'invitation',
      targetId: row.id,
      outcome: 'ok',
      ip: options.ip,
      details: { role: row.role },
    });
  });
}

export async function listUsers(ctx: AppContext, options: { actor: Actor }): Promise<ShopUser[]> {
  requirePermission(options.actor, 'user.manage');
  return listShopUsers(ctx.db.kysely, options.actor.shopId);
}

/**
 * Changes a user of the admin's shop: display name, role in this shop (or
 * removal from it), disabled. A change of role or a disable ends the user's
 * sessions at once, on every process.
 */
export async function changeUser(
  ctx: AppContext,
  options: { actor: Actor; userId: number; displayName?: string | undefined; role?: StaffRole | null | undefined; disabled?: boolean | undefined; ip: string },
): Promise<ShopUser> {
  const { actor } = options;
  requirePermission(actor, 'user.manage');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const user = await findUserById(trx, options.userId);
    const inShop = user ? (await listUserRoles(trx, user.id)).find((r) => r.shopId === actor.shopId) : undefined;
    if (!user || !inShop) throw new AppError('NOT_FOUND', `User ${options.userId} was not found in this shop.`, {});
    if (user.id === actor.userId && (options.disabled === true || (options.role !== undefined && options.role !== 'admin'))) {
      throw new AppError('ACTION_NOT_ALLOWED', 'An admin cannot disable themselves or give up their own admin role; ask another admin.', {});
    }
    if (options.disabled !== undefined || options.displayName !== undefined) {
      await assertOnlyInShop(trx, user.id, actor.shopId, options.disabled !== undefined ? 'disable them' : 'rename them');
    }
    const displayName = options.displayName?.trim() || user.displayName;
    let endedSessions = 0;
    if (options.displayName !== undefined || options.disabled !== undefined) {
      await updateUser(trx, user.id, {
        displayName,
        ...(options.disabled !== undefined ? { disabledAt: options.disabled ? (user.disabledAt ?? now) : null } : {}),
        at: now,
      });
    }
    if (options.disabled === true) endedSessions += await endUserSessions(trx, user.id, 'user disabled', now);
    let role: Role = inShop.role;
    // a role changed in this shop ends the sessions working in this shop only (issue 11)
    if (options.role === null) {
      await removeUserRole(trx, { userId: user.id, shopId: actor.shopId, at: now });
      endedSessions += await endUserSessionsInShop(trx, user.id, actor.shopId, 'roles changed', now);
    } else if (options.role !== undefined && options.role !== inShop.role) {
      await setUserRole(trx, { userId: user.id, shopId: actor.shopId, role: options.role, name: displayName, at: now });
      role = options.role;
      endedSessions += await endUserSessionsInShop(trx, user.id, actor.shopId, 'roles changed', now);
    }
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: 'user.change',
      targetType: 'user',
      targetId: user.id,
      outcome: 'ok',
      ip: options.ip,
      details: { role: options.role, disabled: options.disabled, displayName: options.displayName, endedSessions },
    });
    const disabled = options.disabled ?? user.disabledAt !== null;
    return { userId: user.id, username: user.username, displayName, role, disabled };
  });
}

/** An admin sets a new password for a user of the shop; the user's sessions end. */
export async function resetPassword(ctx: AppContext, options: { actor: Actor; userId: number; password: string; ip: string }): Promise<void> {
  requirePermission(options.actor, 'user.manage');
  const user = await findUserById(ctx.db.kysely, options.userId);
  const inShop = user ? (await listUserRoles(ctx.db.kysely, user.id)).some((r) => r.shopId === options.actor.shopId) : false;
  if (!user || !inShop) throw new AppError('NOT_FOUND', `User ${options.userId} was not found in this shop.`, {});
  await assertOnlyInShop(ctx.db.kysely, user.id, options.actor.shopId, 'set their password');
  assertPasswordAllowed(options.password, user.username);
  const passwordHash = await hashPassword(options.password);
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { passwordHash, at: now });
    const ended = await endUserSessions(trx, user.id, 'password reset', now);
    await appendAudit(trx, { at: now, ...auditActor(options.actor), action: 'user.reset_password', targetType: 'user', targetId: user.id, outcome: 'ok', ip: options.ip, details: { endedSessions: ended } });
  });
}

/** A user changes their own password, proving the current one; every session of theirs ends. */
export async function changeOwnPassword(ctx: AppContext, options: { actor: Actor; currentPassword: string; newPassword: string; ip: string }): Promise<void> {
  const user = options.actor.userId ? await findUserById(ctx.db.kysely, options.actor.userId) : null;
  if (!user) throw new AppError('FORBIDDEN', 'Only a signed-in user has a password.', {});
  // guessing the current password with a stolen session is throttled and audited like a sign-in
  await throttleCheck(ctx, 'user', user.username, options.ip, ctx.clock.now());
  if (!(await verifyPassword(user.passwordHash, options.currentPassword))) {
    await failSignIn(ctx, 'user', user.username, options.ip, ctx.clock.now(), 'wrong current password (password change)');
  }
  assertPasswordAllowed(options.newPassword, user.username);
  const passwordHash = await hashPassword(options.newPassword);
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { passwordHash, at: now });
    await endUserSessions(trx, user.id, 'password changed', now);
    await appendAudit(trx, { at: now, ...auditActor(options.actor), action: 'user.change_password', targetType: 'user', targetId: user.id, outcome: 'ok', ip: options.ip });
  });
}

/** The first start: an admin in the given shop, with SHOUHOU_ADMIN_PASSWORD or a generated password (the CLI writes it to a 0600 file). */
export async function ensureFirstAdmin(
  ctx: AppContext,
  options: { shopId: number; password: string | undefined },
): Promise<{ username: string; password: string | null; generated: boolean } | null> {
  const admin = await ctx.db.kysely
    .selectFrom('actors')
    .select('id')
    .where('role', '=', 'admin')
    .where('user_id', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  if (admin) return null;
  if (await findUserByUsername(ctx.db.kysely, 'admin')) return null;
  const generated = options.password === undefined || options.password === '';
  const password = generated ? randomBytes(15).toString('base64url') : options.password!;
  await createUser(ctx, { actor: null, username: 'admin', displayName: '管理员', password, role: 'admin', shopId: options.shopId });
  return { username: 'admin', password: generated ? password : null, generated };
}

export interface TokenInfo {
  id: number;
  actorId: number;
  name: string;
  role: Role;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export async function listTokens(ctx: AppContext, options: { actor: Actor }): Promise<TokenInfo[]> {
  requirePermission(options.actor, 'token.manage');
  const rows = await ctx.db.kysely
    .selectFrom('api_tokens')
    .innerJoin('actors', 'actors.id', 'api_tokens.actor_id')
    .select(['api_tokens.id', 'actors.id as actor_id', 'actors.name', 'actors.role', 'api_tokens.label', 'api_tokens.created_at', 'api_tokens.expires_at', 'api_tokens.revoked_at'])
    .where('actors.shop_id', '=', options.actor.shopId)
    .orderBy('api_tokens.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    actorId: r.actor_id,
    name: r.name,
    role: r.role as Role,
    label: r.label,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  }));
}

/** A new machine token in the admin's shop: shown once, stored hashed. */
export async function issueToken(
  ctx: AppContext,
  options: { actor: Actor; role: Role; name: string; buyerNick?: string | null | undefined; expiresAt?: Date | null | undefined; ip: string },
): Promise<{ info: TokenInfo; token: string }> {
  requirePermission(options.actor, 'token.manage');
  if (options.role === 'buyer' && !options.buyerNick) {
    throw new AppError('VALIDATION_FAILED', 'A buyer token needs the buyer nick it acts for.', { field: 'buyerNick' });
  }
  const now = ctx.clock.now();
  if (options.expiresAt && options.expiresAt <= now) throw new AppError('VALIDATION_FAILED', 'The expiry must be in the future.', { field: 'expiresAt' });
  if (options.expiresAt && options.expiresAt.getTime() > now.getTime() + 10 * 366 * 86_400_000) {
    throw new AppError('VALIDATION_FAILED', 'The expiry is at most 10 years ahead; leave it out for a token that does not expire.', { field: 'expiresAt' });
  }
  const token = newToken();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const a = await insertActor(trx, { shopId: options.actor.shopId, role: options.role, name: options.name, buyerNick: options.role === 'buyer' ? (options.buyerNick ?? null) : null, at: now });
    await insertApiToken(trx, { actorId: a.id, tokenHash: hashToken(token), label: options.name, at: now, expiresAt: options.expiresAt ?? null });
    const row = await trx.selectFrom('api_tokens').select('id').where('actor_id', '=', a.id).executeTakeFirstOrThrow();
    await appendAudit(trx, {
      at: now,
      ...auditActor(options.actor),
      action: 'token.create',
      targetType: 'token',
      targetId: row.id,
      outcome: 'ok',
      ip: options.ip,
      details: { role: options.role, name: options.name, expiresAt: options.expiresAt?.toISOString() ?? null },
    });
    return {
      token,
      info: { id: row.id, actorId: a.id, name: options.name, role: options.role, label: options.name, createdAt: now.toISOString(), expiresAt: options.expiresAt?.toISOString() ?? null, revokedAt: null },
    };
  });
}

export async function revokeToken(ctx: AppContext, options: { actor: Actor; tokenId: number; ip: string }): Promise<void> {
  requirePermission(options.actor, 'token.manage');
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('api_tokens')
      .innerJoin('actors', 'actors.id', 'api_tokens.actor_id')
      .select(['api_tokens.id', 'api_tokens.revoked_at'])
      .where('api_tokens.id', '=', options.tokenId)
      .where('actors.shop_id', '=', options.actor.shopId)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `Token ${options.tokenId} was not found.`, {});
    if (row.revoked_at === null) {
      await trx.updateTable('api_tokens').set({ revoked_at: now.toISOString() }).where('id', '=', row.id).execute();
    }
    await appendAudit(trx, { at: now, ...auditActor(options.actor), action: 'token.revoke', targetType: 'token', targetId: row.id, outcome: 'ok', ip: options.ip });
  });
}

export function isAssignableRole(role: string): role is StaffRole {
  return isStaffRole(role);
}
