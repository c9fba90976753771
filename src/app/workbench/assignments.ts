/**
 * The queue's claim and assign: who works a refund now. An agent claims a
 * refund (assigns it to themselves) or hands it to a colleague of the shop
 * who works refunds; null gives it back to the queue. An assignment is the
 * shop's bookkeeping, not the platform's: it never changes the refund or its
 * version. Each change is one transaction with its audit row.
 */
import { AppError } from '../../core/errors.ts';
import type { Refund } from '../../core/refund/refund-model.ts';
import { isStaffRole, type Actor, type Role } from '../../core/roles.ts';
import { deleteAssignment, findAssignee, findAssignees, saveAssignment, type Assignee } from '../../db/assignment-repository.ts';
import type { Q } from '../../db/order-repository.ts';
import { findShopUser, listShopUsers } from '../../db/user-repository.ts';
import { mayDo, permissions, requirePermission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { refundAndOrder } from './refund-work.ts';

export type { Assignee } from '../../db/assignment-repository.ts';

/** The roles a refund may be assigned to: those that work refunds. */
const WORKS_REFUNDS = 'workbench.refund.work' as const;

/** Who works a refund is the seller's business: the buyer and the platform never see it. */
export function seesAssignees(actor: Actor): boolean {
  return actor.role !== 'buyer' && actor.role !== 'platform';
}

/** The assignees of the refunds the actor sees (empty for the buyer and the platform), inside a use case. */
export async function assigneesIn(db: Q, actor: Actor, refundIds: readonly number[]): Promise<Map<number, Assignee>> {
  return seesAssignees(actor) ? findAssignees(db, refundIds) : new Map();
}

/** Who works each of these refunds, as the actor may see it: for answers that carry refunds. */
export async function refundAssignees(ctx: AppContext, options: { actor: Actor; refundIds: readonly number[] }): Promise<Map<number, Assignee>> {
  return assigneesIn(ctx.db.kysely, options.actor, options.refundIds);
}

/**
 * Assigns a refund to a user of the shop who works refunds (to oneself: a
 * claim), or to nobody (null). A claim never silently takes a refund from a
 * colleague — two agents clicking at once — unless a supervisor makes it:
 * give it back first, or have it handed over. Assigning it to whoever already
 * has it changes nothing and writes nothing.
 */
export async function assignRefund(
  ctx: AppContext,
  options: { actor: Actor; refundId: number; userId: number | null },
): Promise<{ refund: Refund; assignee: Assignee | null }> {
  const { actor, userId } = options;
  requirePermission(actor, WORKS_REFUNDS);
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    // the order's lock (PostgreSQL) queues two assignments of one refund
    const { refund } = await refundAndOrder(trx, actor, options.refundId);
    const current = await findAssignee(trx, refund.id);
    if ((current?.userId ?? null) === userId) return { refund, assignee: current };
    let next: Assignee | null = null;
    if (userId === null) {
      await deleteAssignment(trx, refund.id);
    } else {
      const member = await findShopUser(trx, { shopId: actor.shopId, userId });
      const roles: readonly Role[] = permissions[WORKS_REFUNDS];
      if (!member || member.disabled || !isStaffRole(member.role)) {
        throw new AppError('ASSIGNEE_NOT_ELIGIBLE', `User ${userId} is not an active member of this shop's staff; assign the refund to one (GET /api/v1/staff).`, {
          userId,
          reason: 'not_active_staff_of_shop',
        });
      }
      if (!mayDo(member.role, WORKS_REFUNDS)) {
        throw new AppError('ASSIGNEE_NOT_ELIGIBLE', `${member.displayName} is ${member.role} in this shop and does not work refunds; assign it to an ${roles.join(' or ')}.`, {
          userId,
          reason: 'role_does_not_work_refunds',
          role: member.role,
          allowedRoles: roles,
        });
      }
      const claim = actor.userId === userId;
      if (claim && current && actor.role !== 'supervisor') {
        throw new AppError('REFUND_ALREADY_ASSIGNED', `${current.displayName} already works refund ${refund.id}: have it handed over to you, or given back to the queue (userId null) first; a supervisor may take it over.`, {
          assignee: current,
        });
      }
      await saveAssignment(trx, { refundId: refund.id, shopId: actor.shopId, userId, assignedBy: actor.id, at: now });
      next = { userId: member.userId, displayName: member.displayName };
    }
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: next ? 'refund.assign' : 'refund.unassign',
      targetType: 'refund',
      targetId: refund.id,
      outcome: 'ok',
      details: { fromUserId: current?.userId ?? null, toUserId: next?.userId ?? null, claim: next !== null && actor.userId === next.userId },
    });
    return { refund, assignee: next };
  });
}

export interface StaffMember {
  userId: number;
  username: string;
  displayName: string;
  /** their role in this shop (one per shop today; a list so that more may come) */
  roles: Role[];
  /** a refund may be assigned to them */
  assignable: boolean;
}

/** The shop's active staff, for the assignee picker and the queue's filter. */
export async function listStaff(ctx: AppContext, options: { actor: Actor }): Promise<StaffMember[]> {
  const { actor } = options;
  requirePermission(actor, 'staff.read');
  const users = await listShopUsers(ctx.db.kysely, actor.shopId);
  return users
    .filter((u) => !u.disabled && isStaffRole(u.role))
    .map((u) => ({ userId: u.userId, username: u.username, displayName: u.displayName, roles: [u.role], assignable: mayDo(u.role, WORKS_REFUNDS) }));
}
