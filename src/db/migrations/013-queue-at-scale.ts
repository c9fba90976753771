/**
 * Issue 16 §1: indexes the queue and the pages around it need at a million refunds, each found by the
 * scale bench (`shouhou bench --refunds <n>`), whose plans read a whole shop's refunds or a whole table without them.
 * - The order-number search (the queue's orderNo filter): the shop's refunds of one order, in the queue's
 *   order, so no sort step.
 * - A status (the status filter, the SOP views by status, the unshipped batch's candidates): the shop's
 *   refunds in one status, in the queue's order; a closed status over years of history no longer walks
 *   every refund of the shop.
 * - The supervisor's statistics: refusals and missed deadlines are events of one action, in a shop, in a
 *   date range (with the refund's id, so the refusal count reads the index alone).
 * - The assignee filter: the list joins assignments on the refund and filters by the user alone, which
 *   refund_assignments_user (shop_id first) cannot serve; PostgreSQL read every assignment for it.
 */
import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect-name.ts';

export function up013(_dialect: DialectName) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.createIndex('refunds_order_no').on('refunds').columns(['shop_id', 'order_no', 'sort_deadline', 'id']).execute();
    await db.schema.createIndex('refunds_status').on('refunds').columns(['shop_id', 'status', 'sort_deadline', 'id']).execute();
    await db.schema.createIndex('refund_assignments_by_user').on('refund_assignments').columns(['user_id', 'refund_id']).execute();
    await db.schema.createIndex('refund_events_action').on('refund_events').columns(['shop_id', 'action', 'at', 'refund_id']).execute();
  };
}
