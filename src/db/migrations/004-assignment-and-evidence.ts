/** Who works which refund (the queue's claim and assign), and uploaded evidence files (photos, PDFs). */
import type { Kysely } from 'kysely';
import { idColumn, idConstraint, type DialectName } from '../dialect-name.ts';

export function up004(dialect: DialectName) {
  const id = idConstraint(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    // at most one person works a refund at a time: no row is "unassigned"
    await db.schema
      .createTable('refund_assignments')
      .addColumn('refund_id', 'integer', (c) => c.primaryKey().references('refunds.id'))
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      // the actor (a user's role in the shop, or a token) who assigned it
      .addColumn('assigned_by', 'integer', (c) => c.notNull().references('actors.id'))
      .addColumn('assigned_at', 'text', (c) => c.notNull())
      .execute();
    // the queue filtered to "mine" or to a colleague's
    await db.schema.createIndex('refund_assignments_user').on('refund_assignments').columns(['shop_id', 'user_id', 'refund_id']).execute();

    // the warehouse scans a returned parcel's tracking number (in the queue's order, so no sort step either)
    await db.schema.createIndex('refunds_return_tracking').on('refunds').columns(['shop_id', 'return_tracking_no', 'sort_deadline', 'id']).execute();

    await db.schema
      .createTable('evidence_files')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('actors.id'))
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('size_bytes', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('data', dialect === 'sqlite' ? 'blob' : 'bytea', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('evidence_files_shop').on('evidence_files').columns(['shop_id', 'id']).execute();
  };
}
