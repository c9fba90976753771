/** The API's answers, typed from the server's own zod schemas (types only: nothing of the server is bundled). */
import type { z } from 'zod';
import type {
  ZDeadline,
  ZOrder,
  ZOrderDetail,
  ZPlaybook,
  ZRefund,
  ZRefundDetail,
  ZRefundEvent,
  ZRefundPage,
  ZRemark,
} from '../../../src/contract/schemas.ts';

export type Order = z.infer<typeof ZOrder>;
export type OrderDetail = z.infer<typeof ZOrderDetail>;
export type Refund = z.infer<typeof ZRefund> & { assignee?: { userId: number; displayName: string } | null };
export type RefundDetail = z.infer<typeof ZRefundDetail> & { assignee?: { userId: number; displayName: string } | null };
export type RefundEvent = z.infer<typeof ZRefundEvent>;
export type RefundPage = Omit<z.infer<typeof ZRefundPage>, 'items'> & { items: Refund[] };
export type Playbook = z.infer<typeof ZPlaybook>;
export type Deadline = z.infer<typeof ZDeadline>;
export type Remark = z.infer<typeof ZRemark>;

export interface ApiList<T> {
  items: T[];
  nextCursor?: string | null;
}
