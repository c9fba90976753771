/**
 * Who acts. Staff roles come from MISSION.md; buyer, platform and system are
 * the machine-side roles (the buyer through the portal, the marketplace's
 * customer service 客服介入, connectors and the deadline sweeper).
 */
export const staffRoles = [
  /** runs shouhou itself: users, roles, API tokens, the audit trail */
  'admin',
  /** 主管: reads statistics, sets the SOP and the shop's settings, reviews agents; may act as an agent */
  'supervisor',
  /** 售后客服: works the refund queue, calls and messages buyers, remarks orders */
  'agent',
  /** 售前客服: reads remarks, hands over shifts */
  'presales',
  /** 仓库: ships and voids orders, receives returns */
  'warehouse',
  /** 财务: stamps claim forms, issues invoices, pays compensations */
  'finance',
  /** 设计部: verifies "not as described" cases and fixes product pages */
  'design',
  /** 货品部门: verifies "not as described" cases */
  'merchandise',
  /** 市场部内勤: service archives, the hotline, follow-up calls (S5) */
  'clerk',
  /** 项目负责人 / 研发生产部负责人: on-site repairs (S5) */
  'field_lead',
  /** 领导: approves free repairs out of warranty (S5) */
  'leadership',
] as const;
export const machineRoles = ['buyer', 'platform', 'system'] as const;
export const roles = [...staffRoles, ...machineRoles] as const;
export type Role = (typeof roles)[number];
export type StaffRole = (typeof staffRoles)[number];

export function isStaffRole(role: string): role is StaffRole {
  return (staffRoles as readonly string[]).includes(role);
}

/** How an actor authenticated. */
export type ActorKind = 'token' | 'user' | 'buyer' | 'system';

export interface Actor {
  id: number;
  shopId: number;
  role: Role;
  name: string;
  kind: ActorKind;
  /** for a buyer: the buyer nick whose orders this actor may act on */
  buyerNick: string | null;
  /** for a buyer portal session: the one order it reaches */
  orderScopeId?: number | null;
  userId?: number | null;
}
