/** Who works which refund: one row per assigned refund, plain functions over a Kysely (or a transaction). */
import type { Q } from './order-repository.ts';

/** The person working a refund. */
export interface Assignee {
  userId: number;
  displayName: string;
}

/** The assignees of some refunds (one read); a refund nobody works is absent from the map. */
export async function findAssignees(db: Q, refundIds: readonly number[]): Promise<Map<number, Assignee>> {
  if (refundIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('refund_assignments as ra')
    .innerJoin('users', 'users.id', 'ra.user_id')
    .select(['ra.refund_id', 'ra.user_id', 'users.display_name'])
    .where('ra.refund_id', 'in', [...new Set(refundIds)])
    .execute();
  return new Map(rows.map((r) => [r.refund_id, { userId: r.user_id, displayName: r.display_name }]));
}

export async function findAssignee(db: Q, refundId: number): Promise<Assignee | null> {
  return (await findAssignees(db, [refundId])).get(refundId) ?? null;
}

/** Assigns a refund to a user, replacing whoever had it. */
export async function saveAssignment(db: Q, a: { refundId: number; shopId: number; userId: number; assignedBy: number; at: Date }): Promise<void> {
  const at = a.at.toISOString();
  await db
    .insertInto('refund_assignments')
    .values({ refund_id: a.refundId, shop_id: a.shopId, user_id: a.userId, assigned_by: a.assignedBy, assigned_at: at })
    .onConflict((oc) => oc.column('refund_id').doUpdateSet({ user_id: a.userId, assigned_by: a.assignedBy, assigned_at: at }))
    .execute();
}

export async function deleteAssignment(db: Q, refundId: number): Promise<void> {
  await db.deleteFrom('refund_assignments').where('refund_id', '=', refundId).execute();
}
