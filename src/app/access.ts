/** Who may do what (issue 2: four roles; issue 3 extends this table). */
import { AppError } from '../core/errors.ts';
import type { Order } from '../core/refund/refund-model.ts';
import { refundActionRoles } from '../core/refund/refund-transitions.ts';
import type { Actor, Role } from '../core/roles.ts';

/** Every API action and the roles that may take it. Each route names one of these. */
export const permissions = {
  'order.create': ['agent', 'platform', 'system'],
  'order.read': ['buyer', 'agent', 'platform', 'system'],
  'order.ship': ['agent', 'system'],
  'order.sign': ['agent', 'platform', 'system'],
  'order.confirm': ['buyer', 'system'],
  'order.close': ['agent', 'system'],
  'order.remark.read': ['agent', 'platform', 'system'],
  'order.remark.add': ['agent', 'system'],
  'refund.apply': ['buyer', 'system'],
  'refund.read': ['buyer', 'agent', 'platform', 'system'],
  'refund.agree': refundActionRoles.agree,
  'refund.refuse': refundActionRoles.refuse,
  'refund.modify': refundActionRoles.modify,
  'refund.withdraw': refundActionRoles.withdraw,
  'refund.return_shipment': refundActionRoles.return_shipment,
  'refund.confirm_receipt': refundActionRoles.confirm_receipt,
  'refund.request_intervention': refundActionRoles.request_intervention,
  'refund.platform_decision': refundActionRoles.platform_decision,
  'shop.settings.read': ['agent', 'system'],
  'shop.settings.update': ['agent', 'system'],
} as const satisfies Record<string, readonly Role[]>;

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
  if (!order || order.shopId !== actor.shopId || (actor.role === 'buyer' && order.buyer.nick !== actor.buyerNick)) {
    throw new AppError('NOT_FOUND', `${what} was not found.`, {});
  }
}
