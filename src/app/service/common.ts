/**
 * What the service desk's use cases share (S5): the acting user as the core
 * sees them, a lead looked up in the shop, and one history row plus one audit
 * row per change, written in the caller's transaction.
 */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import type { AssigneeInput, LeadUnit } from '../../core/service/repair-record.ts';
import type { ServiceActor, ServiceContext } from '../../core/service/service-context.ts';
import type { Q } from '../../db/order-repository.ts';
import { insertServiceEvent, type ServiceEventInput } from '../../db/service-repository.ts';
import { findShopUser } from '../../db/user-repository.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';

/**
 * The core names people by user id. A signed-in person is their user; a
 * machine's token has no user, so it acts under its actor id negated: never a
 * user's id, so it is never taken for the lead a record is assigned to.
 */
export function serviceActorOf(actor: Actor): ServiceActor {
  return { userId: actor.userId ?? -actor.id, role: actor.role, name: actor.name.slice(0, 40) };
}

export function serviceContextOf(ctx: AppContext, actor: Actor): ServiceContext {
  return { now: ctx.clock.now(), actor: serviceActorOf(actor) };
}

/** S5.4: a colleague of the shop a record or a dispatch goes to; the core then checks the role (field_lead). */
export async function leadInShop(db: Q, options: { shopId: number; userId: unknown; unit?: unknown; field: string }): Promise<AssigneeInput> {
  const { userId, field } = options;
  if (typeof userId !== 'number' || !Number.isSafeInteger(userId) || userId <= 0 || userId > 2_147_483_647) {
    throw new AppError('VALIDATION_FAILED', `${field}: the lead is a user id of the shop (GET /api/v1/service/leads lists them).`, {
      field,
      reason: userId === undefined || userId === null ? 'required' : 'invalid',
    });
  }
  const member = await findShopUser(db, { shopId: options.shopId, userId });
  if (!member || member.disabled) {
    throw new AppError('ASSIGNEE_NOT_ELIGIBLE', `User ${userId} is not an active member of this shop's staff (GET /api/v1/service/leads lists the leads).`, {
      field,
      userId,
      reason: 'not_active_staff_of_shop',
    });
  }
  return { userId: member.userId, name: member.displayName.slice(0, 40), role: member.role, unit: options.unit as LeadUnit };
}

export type EventSubject = ServiceEventInput['subject'];

/** One history row and one audit row for a change, in the transaction of the change. */
export async function recordChange(
  trx: Q,
  e: {
    actor: Actor;
    at: Date;
    subject: EventSubject;
    subjectId: number;
    recordId: number | null;
    version: number;
    action: string;
    fromStatus: string | null;
    toStatus: string | null;
    data: object;
    auditDetails?: Record<string, unknown>;
  },
): Promise<void> {
  await insertServiceEvent(trx, {
    shopId: e.actor.shopId,
    subject: e.subject,
    subjectId: e.subjectId,
    recordId: e.recordId,
    version: e.version,
    at: e.at.toISOString(),
    actorId: e.actor.kind === 'system' ? null : e.actor.id,
    actorRole: e.actor.role,
    actorName: e.actor.name,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    data: e.data,
  });
  const targetType = { archive: 'service_archive', record: 'repair_record', dispatch: 'dispatch' }[e.subject];
  await appendAudit(trx, {
    at: e.at,
    ...auditActor(e.actor),
    action: `${targetType}.${e.action}`,
    targetType,
    targetId: e.subjectId,
    outcome: 'ok',
    details: { from: e.fromStatus, to: e.toStatus, ...(e.recordId !== null && e.subject !== 'record' ? { recordId: e.recordId } : {}), ...(e.auditDetails ?? {}) },
  });
}

/** 404 for an id that is not in the actor's shop (another shop's answers the same; the http layer audits the attempt). */
export function notFound(what: string, id: number): AppError {
  return new AppError('NOT_FOUND', `The ${what} ${id} was not found.`, {});
}

export function staleVersion(what: string, current: number, seen: number): AppError {
  return new AppError('VERSION_CONFLICT', `This ${what} is at version ${current}, not ${seen}; reload it.`, { currentVersion: current });
}
