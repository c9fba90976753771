/** Issue 11: invitations across shops (a grant needs the user's consent), and idempotency keys that expire. */
import type { Kysely } from 'kysely';
import { idColumn, idConstraint, type DialectName } from '../dialect-name.ts';

export function up007(dialect: DialectName) {
  const id = idConstraint(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('shop_invitations')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      // the name the admin typed; user_id is set only when such a user existed (an unknown name is answered the same)
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('users.id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('invited_by', 'integer', (c) => c.notNull().references('actors.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text')
      .execute();
    await db.schema.createIndex('shop_invitations_shop').on('shop_invitations').columns(['shop_id', 'status']).execute();
    await db.schema.createIndex('shop_invitations_user').on('shop_invitations').columns(['user_id', 'status']).execute();
    // finished keys are deleted after 24 hours (and their stored answers with them)
    await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').columns(['created_at']).execute();
  };
}
