/**
 * The staff app's pages and the roles that see each (the server's permission
 * table decides what they may do; this only keeps the menu to what a role uses).
 * Each page is its own chunk, loaded when first opened.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export type PageKey =
  | 'queue'
  | 'warehouse'
  | 'finance'
  | 'tasks'
  | 'complaints'
  | 'warranty'
  | 'stats'
  | 'ruleSet'
  | 'settings'
  | 'users'
  | 'audit'
  | 'service'
  | 'serviceReports'
  | 'platform'
  | 'imports'
  | 'webhooks'
  | 'home';

export interface PageDef {
  key: PageKey;
  path: string;
  roles: readonly string[];
  /** shown in the menu */
  menu: boolean;
  component: LazyExoticComponent<ComponentType>;
}

const loadQueue = () => import('./pages/Queue.tsx');
// the page most people land on: its chunk loads alongside the session instead of after it
if (typeof location !== 'undefined' && (location.pathname === '/' || location.pathname.startsWith('/queue'))) void loadQueue();

export const pages: readonly PageDef[] = [
  { key: 'queue', path: '/queue', roles: ['agent', 'supervisor', 'presales'], menu: true, component: lazy(loadQueue) },
  { key: 'warehouse', path: '/warehouse', roles: ['warehouse', 'supervisor', 'agent'], menu: true, component: lazy(() => import('./pages/Warehouse.tsx')) },
  { key: 'finance', path: '/finance', roles: ['finance', 'supervisor', 'agent'], menu: true, component: lazy(() => import('./pages/Finance.tsx')) },
  { key: 'tasks', path: '/tasks', roles: ['design', 'merchandise', 'supervisor'], menu: true, component: lazy(() => import('./pages/Tasks.tsx')) },
  { key: 'complaints', path: '/complaints', roles: ['agent', 'supervisor'], menu: true, component: lazy(() => import('./pages/Complaints.tsx')) },
  { key: 'warranty', path: '/warranty', roles: ['agent', 'supervisor', 'warehouse'], menu: true, component: lazy(() => import('./pages/Warranty.tsx')) },
  { key: 'stats', path: '/stats', roles: ['supervisor', 'admin'], menu: true, component: lazy(() => import('./pages/Stats.tsx')) },
  { key: 'ruleSet', path: '/rule-set', roles: ['supervisor', 'agent'], menu: true, component: lazy(() => import('./pages/RuleSet.tsx')) },
  { key: 'settings', path: '/settings', roles: ['supervisor', 'admin'], menu: true, component: lazy(() => import('./pages/Settings.tsx')) },
  { key: 'platform', path: '/platform', roles: ['admin', 'supervisor'], menu: true, component: lazy(() => import('./pages/Platform.tsx')) },
  { key: 'imports', path: '/imports', roles: ['supervisor', 'admin'], menu: true, component: lazy(() => import('./pages/Imports.tsx')) },
  { key: 'webhooks', path: '/webhooks', roles: ['admin'], menu: true, component: lazy(() => import('./pages/Webhooks.tsx')) },
  { key: 'users', path: '/users', roles: ['admin'], menu: true, component: lazy(() => import('./pages/Users.tsx')) },
  { key: 'audit', path: '/audit', roles: ['admin', 'supervisor'], menu: true, component: lazy(() => import('./pages/Audit.tsx')) },
  { key: 'service', path: '/service', roles: ['clerk', 'field_lead', 'leadership', 'supervisor', 'finance'], menu: true, component: lazy(() => import('./pages/ServiceDesk.tsx')) },
  { key: 'serviceReports', path: '/service-reports', roles: ['clerk', 'leadership', 'supervisor', 'admin'], menu: true, component: lazy(() => import('./pages/ServiceReports.tsx')) },
];

/** The refund detail: reached from the queue, the warehouse's scan, finance's records. */
export const RefundDetailPage = lazy(() => import('./pages/RefundDetail.tsx'));
export const refundDetailRoles: readonly string[] = ['agent', 'supervisor', 'presales', 'warehouse', 'finance', 'design', 'merchandise'];

export function pagesFor(role: string): PageDef[] {
  return pages.filter((p) => p.roles.includes(role));
}

/** Where a role lands after sign-in. */
export function homeFor(role: string): string {
  return pagesFor(role)[0]?.path ?? '/home';
}
