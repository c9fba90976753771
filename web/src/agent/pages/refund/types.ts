/** The shapes this page reads besides the refund detail (src/http/routes/workbench.ts). */
import type { OrderDetail, RefundDetail } from '../../../shared/types.ts';

/** A record of the work on a refund: a contact, a reason correction, a retention offer, the warehouse's arrival… */
export interface WorkRecord {
  id: number;
  kind: string;
  status: string;
  refundId: number | null;
  data: Record<string, unknown>;
  amountFen: number | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** GET /api/v1/staff */
export interface StaffMember {
  userId: number;
  username: string;
  displayName: string;
  roles: string[];
  assignable: boolean;
}

/** GET /api/v1/templates */
export interface TemplateInfo {
  key: string;
  label: { 'zh-CN': string; en: string };
  placeholders: string[];
}

/** What the page's parts share: the refund as last loaded, the order, the records, who is signed in. */
export interface DetailData {
  refund: RefundDetail;
  /** Date.now() when the refund was answered: the countdown counts from it */
  fetchedAt: number;
  order: OrderDetail | undefined;
  records: WorkRecord[];
  role: string;
  userId: number | null;
}

/** Who may do what on this page (the server's table, src/app/access.ts, decides; this only hides what would be refused). */
export const roleMay = {
  /** workbench.refund.work: checklist, contacts, corrections, retention, root cause, claim/assign, templates */
  work: (role: string) => role === 'agent' || role === 'supervisor',
  /** order.pii.reveal */
  reveal: (role: string) => role === 'agent' || role === 'supervisor' || role === 'warehouse',
  /** order.remark.add */
  remark: (role: string) => ['agent', 'supervisor', 'presales', 'warehouse'].includes(role),
  /** evidence.upload */
  upload: (role: string) => ['agent', 'supervisor', 'warehouse', 'finance', 'design', 'merchandise'].includes(role),
};

export const EVIDENCE_PREFIX = 'evidence:';
/** "evidence:12" → 12; anything else → null (a line of text) */
export function evidenceId(ref: string): number | null {
  if (!ref.startsWith(EVIDENCE_PREFIX)) return null;
  const id = Number(ref.slice(EVIDENCE_PREFIX.length));
  return Number.isInteger(id) && id > 0 ? id : null;
}
