/** Who may do what (issue 2: four roles; issue 3 extends this table). */
import { AppError } from '../core/errors.ts';
import type { Order } from '../core/refund/refund-model.ts';
import { refundActionRoles } from '../core/refund/refund-transitions.ts';
import { roles, type Actor, type Role } from '../core/roles.ts';

/** Who reads the refund engine's records: everyone who works on after-sales in a shop. */
const readers = ['admin', 'supervisor', 'agent', 'presales', 'warehouse', 'finance', 'design', 'merchandise', 'buyer', 'platform', 'system'] as const;

/**
 * Every API action and the roles that may take it: the one table. Each route
 * names one of these; a test walks every route × every role against it.
 */
export const permissions = {
  'order.create': ['agent', 'supervisor', 'platform', 'system'],
  'order.read': readers,
  'order.ship': ['agent', 'supervisor', 'warehouse', 'system'],
  'order.sign': ['agent', 'supervisor', 'warehouse', 'platform', 'system'],
  'order.confirm': ['buyer', 'system'],
  'order.close': ['agent', 'supervisor', 'system'],
  'order.remark.read': ['admin', 'supervisor', 'agent', 'presales', 'warehouse', 'finance', 'design', 'merchandise', 'platform', 'system'],
  'order.remark.add': ['agent', 'supervisor', 'presales', 'warehouse', 'system'],
  /** the full phone number and address, one order at a time, audited */
  'order.pii.reveal': ['agent', 'supervisor', 'warehouse'],
  'refund.apply': ['buyer', 'system'],
  'refund.read': readers,
  'refund.agree': refundActionRoles.agree,
  'refund.refuse': refundActionRoles.refuse,
  'refund.modify': refundActionRoles.modify,
  'refund.withdraw': refundActionRoles.withdraw,
  'refund.return_shipment': refundActionRoles.return_shipment,
  'refund.confirm_receipt': refundActionRoles.confirm_receipt,
  'refund.request_intervention': refundActionRoles.request_intervention,
  'refund.platform_decision': refundActionRoles.platform_decision,
  'shop.settings.read': ['admin', 'supervisor', 'agent', 'system'],
  'shop.settings.update': ['admin', 'supervisor', 'system'],
  'user.manage': ['admin'],
  'token.manage': ['admin'],
  'audit.read': ['admin', 'supervisor'],
  /** the shop's SOP as data (S1): everyone who handles refunds reads it; a supervisor changes it */
  'ruleset.read': ['admin', 'supervisor', 'agent', 'presales', 'warehouse', 'finance', 'design', 'merchandise', 'system'],
  'ruleset.write': ['supervisor'],
  /** the records of the side processes (S1.1–S1.19) */
  'workbench.refund.work': ['agent', 'supervisor'],
  'workbench.warehouse': ['warehouse', 'supervisor'],
  'workbench.records.read': ['admin', 'supervisor', 'agent', 'presales', 'warehouse', 'finance', 'design', 'merchandise', 'system'],
  /** an action on a side-process record; each kind's table then says which of these roles takes which action */
  'workbench.records.act': ['agent', 'supervisor', 'warehouse', 'finance', 'design', 'merchandise'],
  'workbench.department': ['design', 'merchandise', 'supervisor'],
  'workbench.products': ['supervisor', 'merchandise', 'system'],
  'stats.read': ['admin', 'supervisor'],
  /** the shop's colleagues by name: the queue's assignee picker and filter */
  'staff.read': ['admin', 'supervisor', 'agent', 'presales', 'warehouse', 'finance', 'design', 'merchandise', 'system'],
  /** photos and PDFs for a refund's evidence: staff who refuse refunds or file records, and the buyer for an application */
  'evidence.upload': ['agent', 'supervisor', 'warehouse', 'finance', 'design', 'merchandise', 'buyer'],
  /** one's own session: who am I, sign out, switch shop, change password */
  'session.self': roles,
} as const satisfies Record<string, readonly Role[]>;

/** Roles that see buyers' phone numbers and addresses in full without revealing them (their own, or machines'). */
export const rolesSeeingFullPii: readonly Role[] = ['buyer', 'system'];

export type Permission = keyof typeof permissions;

export function mayDo(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!mayDo(actor.role, permission)) {
    throw new AppError('FORBIDDEN', `The role ${actor.role} may not do ${permission}.`, {
      permission,
      allowedRoles: permissions[permission],
    });
  }
}

/** A buyer sees only their own orders; anything else answers 404, as if it did not exist. */
export function assertOrderVisible(actor: Actor, order: Order | null, what: string): asserts order is Order {
  if (
    !order ||
    order.shopId !== actor.shopId ||
    (actor.role === 'buyer' && order.buyer.nick !== actor.buyerNick) ||
    (actor.orderScopeId != null && order.id !== actor.orderScopeId)
  ) {
    throw new AppError('NOT_FOUND', `${what} was not found.`, {});
  }
}
