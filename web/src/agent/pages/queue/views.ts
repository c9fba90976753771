/**
 * The queue's views: the four the SOP works by (S1.1 今日未发退, S1.13 待确认收货,
 * S1.5 需改原因, and the deadlines at risk) and the agent's own, kept in the browser.
 */
import type { Query } from '../../../shared/api.ts';

export const builtinViews = ['all', 'unshippedToday', 'confirmGoods', 'reasonChange', 'atRisk'] as const;
export type ViewKey = (typeof builtinViews)[number];

/** A deadline inside this many hours counts as at risk. */
export const AT_RISK_HOURS = 24;

/** The API query of a view, at `now` (the at-risk view's horizon moves with the clock). */
export function viewQuery(key: ViewKey, now: Date): Query {
  switch (key) {
    case 'unshippedToday':
      // S1.1: refunds asked before shipment, still waiting: they go into today's batch for the warehouse to void
      return { open: 'true', status: 'WAIT_SELLER_AGREE', orderStatus: 'WAIT_SELLER_SEND_GOODS' };
    case 'confirmGoods':
      // S1.13: returns on their way or arrived, to check and confirm
      return { status: 'WAIT_SELLER_CONFIRM_GOODS' };
    case 'reasonChange':
      // S1.5: 收到商品不符 / 商品质量问题 are first asked to change their reason
      return { status: 'WAIT_SELLER_AGREE', reason: ['not_as_described', 'quality'] };
    case 'atRisk':
      return { open: 'true', deadlineBefore: new Date(now.getTime() + AT_RISK_HOURS * 3_600_000).toISOString() };
    case 'all':
    default:
      return { open: 'true' };
  }
}

export interface SavedView {
  id: string;
  name: string;
  /** the view it was made from, whose query is worked out afresh each time */
  baseView: ViewKey;
  /** the filters added on top, as in the page's URL */
  filters: Record<string, string | string[]>;
}

const key = (userId: number) => `shouhou.queue.views.${userId}`;

export function loadSavedViews(userId: number): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(userId)) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter((v): v is SavedView => typeof v?.id === 'string' && typeof v?.name === 'string' && builtinViews.includes(v?.baseView) && typeof v?.filters === 'object')
      : [];
  } catch {
    return [];
  }
}

export function storeSavedViews(userId: number, views: SavedView[]): void {
  try {
    localStorage.setItem(key(userId), JSON.stringify(views));
  } catch {
    // storage off: the views last until the page closes
  }
}
