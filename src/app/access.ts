/** Who may do what (issue 2: four roles; issue 3 extends this table). */
import { AppError } from '../core/errors.ts';
import type { Order } from '../core/refund/refund-model.ts';
import { refundActionRoles } from '../core/refund/refund-transitions.ts';
import { roles, type Actor, type Role } from '../core/roles.ts';
import { sendBackActionRoles, sendBackOpenRoles } from '../core/warranty/send-back.ts';
import { archiveActionRoles } from '../core/service/archive.ts';
import { dispatchActionRoles, dispatchActions, dispatchRegisterRoles, type DispatchAction } from '../core/service/dispatch.ts';
import { repairActionRoles, repairActions, repairOpenRoles, type RepairAction } from '../core/service/repair-record.ts';

/** Who reads the refund engine's records: everyone who works on after-sales in a shop. */
const readers = ['admin', 'supervisor', 'agent', 'presales', 'warehouse', 'finance', 'design', 'merchandise', 'buyer', 'platform', 'system'] as const;

/** Who reads device sales, the warranty settings and send-backs (S4); a buyer only their own order's. */
const warrantyReaders = ['supervisor', 'agent', 'presales', 'warehouse', 'finance', 'buyer', 'system'] as const;

/** S5: who reads the equipment service desk (finance too: it may record a repair's payment and invoice). */
const serviceReaders = ['admin', 'supervisor', 'clerk', 'field_lead', 'leadership', 'finance'] as const;

/** S5: one permission per action of the repair record and of the dispatch, with the roles of the core's tables. */
const serviceRecordPermissions = Object.fromEntries(repairActions.map((a) => [`service.record.${a}`, repairActionRoles[a]])) as {
  readonly [A in RepairAction as `service.record.${A}`]: (typeof repairActionRoles)[A];
};
const serviceDispatchPermissions = Object.fromEntries(dispatchActions.map((a) => [`service.dispatch.${a}`, dispatchActionRoles[a]])) as {
  readonly [A in DispatchAction as `service.dispatch.${A}`]: (typeof dispatchActionRoles)[A];
};

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
  /** issue 12: a new shop (its creator becomes its admin) and the shop's platform binding (店铺授权) */
  'shop.create': ['admin'],
  'platform.binding.read': ['admin', 'supervisor'],
  'platform.binding.write': ['admin'],
  /** test the connection, retry or dismiss a sync problem, retry a failed decision */
  'platform.sync.act': ['admin', 'supervisor'],
  /** issue 14 §1: import the platform's order and refund reports (XLSX, CSV): upload, preview, commit; the jobs and the shop's mappings */
  'import.read': ['admin', 'supervisor'],
  'import.run': ['admin', 'supervisor'],
  /** issue 14: the event feed (other systems poll it with a machine token) and the webhook endpoints */
  'events.read': ['admin', 'supervisor', 'system'],
  'webhook.manage': ['admin'],
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
  'evidence.upload': ['agent', 'supervisor', 'warehouse', 'finance', 'design', 'merchandise', 'buyer', 'clerk', 'field_lead'],
  /** an evidence file's bytes: the refund readers; the service desk only the files its own people uploaded (the work's photos, issue 15 §7) */
  'evidence.read': [...readers, 'clerk', 'field_lead', 'leadership'],
  /** S4: device sales (the buyer: their own order's), the 三包 decision, the guided path of S4.6, the policy and the service points */
  'device.read': warrantyReaders,
  'device.create': ['agent', 'supervisor', 'system'],
  'warranty.decide': ['agent', 'supervisor', 'system'],
  /** issue 13: a 三包 repair at a manufacturer's centre, from its repair record */
  'device.repair': ['agent', 'supervisor', 'system'],
  'warranty.guide': ['buyer', 'agent', 'supervisor'],
  'warranty.settings.read': warrantyReaders,
  'warranty.settings.write': ['supervisor'],
  /** S4.3 send-back testing (送检): each action by the roles of the core's table */
  'send_back.read': warrantyReaders,
  'send_back.open': sendBackOpenRoles,
  'send_back.accept_terms': sendBackActionRoles.accept_terms,
  'send_back.receive': sendBackActionRoles.receive,
  'send_back.record_test': sendBackActionRoles.record_test,
  'send_back.report': sendBackActionRoles.report,
  'send_back.decide': sendBackActionRoles.decide,
  'send_back.ship_back': sendBackActionRoles.ship_back,
  'send_back.close': sendBackActionRoles.close,
  'send_back.cancel': sendBackActionRoles.cancel,
  /** issue 13: the postage as money (S4.3) */
  'send_back.record_postage': sendBackActionRoles.record_postage,
  'send_back.settle_postage': sendBackActionRoles.settle_postage,
  /** S5 the equipment service desk: archives, repair records, dispatches (each action by the roles of the core's tables), the review, follow-ups, reports */
  'service.read': serviceReaders,
  'service.archive.create': archiveActionRoles.create,
  'service.archive.amend': archiveActionRoles.amend,
  /** the union of the core's repairOpenRoles: the clerk takes the call, a lead may open an emergency's record himself (S5.8) */
  'service.record.open': [...new Set([...repairOpenRoles.call, ...repairOpenRoles.emergency])] as ('clerk' | 'field_lead' | 'supervisor')[],
  ...serviceRecordPermissions,
  'service.dispatch.register': dispatchRegisterRoles,
  ...serviceDispatchPermissions,
  /** S5: a customer's full phone number and site address, one archive or record at a time, audited: the clerk who calls customers (and the supervisor standing in for the clerk), the field lead who goes on site */
  'service.pii.reveal': ['clerk', 'field_lead', 'supervisor'],
  'service.review': ['admin', 'supervisor', 'clerk', 'leadership'],
  'service.reports': ['admin', 'supervisor', 'clerk', 'leadership'],
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
