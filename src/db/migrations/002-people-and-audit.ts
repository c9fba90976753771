/** Users, their roles in shops (as actors), server-side sessions, sign-in attempts and the audit trail. */
import type { Kysely } from 'kysely';
import { idColumn, idConstraint, type DialectName } from '../dialect-name.ts';

export function up002(dialect: DialectName) {
  const id = idConstraint(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('users')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('disabled_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    // a user's role in a shop is an actor of that shop, like a token's
    await db.schema.alterTable('actors').addColumn('user_id', 'integer', (c) => c.references('users.id')).execute();
    await db.schema.createIndex('actors_user_shop').on('actors').columns(['user_id', 'shop_id']).unique().execute();
    await db.schema.alterTable('actors').addColumn('disabled_at', 'text').execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('users.id'))
      .addColumn('actor_id', 'integer', (c) => c.notNull().references('actors.id'))
      .addColumn('order_id', 'integer', (c) => c.references('orders.id'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('idle_expires_at', 'text', (c) => c.notNull())
      .addColumn('absolute_expires_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .addColumn('end_reason', 'text')
      .addColumn('ip', 'text')
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id']).execute();

    await db.schema
      .createTable('sign_in_attempts')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sign_in_attempts_account').on('sign_in_attempts').columns(['kind', 'account', 'at']).execute();
    await db.schema.createIndex('sign_in_attempts_ip').on('sign_in_attempts').columns(['kind', 'ip', 'at']).execute();

    await db.schema
      .createTable('audit_log')
      // ids are given by the chain (head.last_id + 1), never by the database, so a gap is a deletion
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('shop_id', 'integer')
      .addColumn('actor_kind', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text')
      .addColumn('target_id', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_shop').on('audit_log').columns(['shop_id', 'id']).execute();
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('last_id', 'integer', (c) => c.notNull())
      .addColumn('last_hash', 'text', (c) => c.notNull())
      // a MAC over (last_id, last_hash): cutting off the tail and moving the head back needs the key
      .addColumn('head_mac', 'text', (c) => c.notNull())
      .execute();
    await db.insertInto('audit_head' as never).values({ id: 1, last_id: 0, last_hash: 'genesis', head_mac: 'genesis' } as never).execute();
  };
}
