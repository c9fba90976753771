/**
 * Issue 12: a shop bound to its platform (Taobao/Tmall through TOP and TMC): the binding with its
 * encrypted secrets, the sync checkpoints, the outbox of decisions for the platform, the sync
 * problems a person looks at, and the platform's ids and versions on orders, lines and refunds.
 */
import { sql, type Kysely } from 'kysely';
import { idColumn, idConstraint, type DialectName } from '../dialect-name.ts';

export function up008(dialect: DialectName) {
  const id = idConstraint(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('shop_bindings')
      .addColumn('shop_id', 'integer', (c) => c.primaryKey().references('shops.id'))
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('seller_nick', 'text', (c) => c.notNull())
      .addColumn('app_key', 'text', (c) => c.notNull())
      // AES-256-GCM with the key kept outside the database (SHOUHOU_SECRET_KEY or data/secret.key)
      .addColumn('app_secret_enc', 'text', (c) => c.notNull())
      .addColumn('app_secret_last4', 'text', (c) => c.notNull())
      .addColumn('session_key_enc', 'text', (c) => c.notNull())
      .addColumn('session_key_last4', 'text', (c) => c.notNull())
      .addColumn('session_expires_at', 'text')
      .addColumn('gateway_url', 'text', (c) => c.notNull())
      .addColumn('sign_method', 'text', (c) => c.notNull())
      .addColumn('rate_per_second', 'integer', (c) => c.notNull())
      .addColumn('backfill_days', 'integer', (c) => c.notNull())
      /** active | needs_reauth | revoked */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sync_streams')
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      /** orders | refunds | tmc */
      .addColumn('stream', 'text', (c) => c.notNull())
      // everything modified before it has been pulled (the incremental pull's checkpoint)
      .addColumn('watermark', 'text')
      .addColumn('backfill_from', 'text')
      .addColumn('backfill_to', 'text')
      .addColumn('backfill_next', 'text')
      .addColumn('backfill_done', 'integer', (c) => c.notNull())
      .addColumn('windows_done', 'integer', (c) => c.notNull())
      .addColumn('windows_total', 'integer', (c) => c.notNull())
      .addColumn('records', 'integer', (c) => c.notNull())
      .addColumn('backfill_started_at', 'text')
      .addColumn('backfill_finished_at', 'text')
      .addColumn('next_run_at', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('last_ok_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('error_count', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_streams_pk', ['shop_id', 'stream'])
      .execute();

    await db.schema
      .createTable('platform_outbox')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('refund_id', 'integer', (c) => c.references('refunds.id'))
      .addColumn('order_id', 'integer', (c) => c.references('orders.id'))
      /** agree_refund | agree_return | refuse | memo | message */
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      /** pending | sending | sent | failed | cancelled */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('actor_id', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema.createIndex('platform_outbox_due').on('platform_outbox').columns(['status', 'next_attempt_at', 'id']).execute();
    await db.schema.createIndex('platform_outbox_refund').on('platform_outbox').columns(['refund_id', 'id']).execute();
    await db.schema.createIndex('platform_outbox_shop').on('platform_outbox').columns(['shop_id', 'status', 'id']).execute();

    await db.schema
      .createTable('sync_problems')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      /** pull | tmc | outbox | binding */
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      /** refund | order | message | outbox */
      .addColumn('object_type', 'text')
      .addColumn('platform_id', 'text')
      .addColumn('message', 'text', (c) => c.notNull())
      // the payload as received, with secrets and personal data masked
      .addColumn('payload', 'text', (c) => c.notNull())
      // the problem's code, message and payload hashed: the same record seen again is not a new occurrence
      .addColumn('fingerprint', 'text')
      /** open | resolved | dismissed */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('occurrences', 'integer', (c) => c.notNull())
      .addColumn('outbox_id', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .addColumn('resolved_by', 'text')
      .execute();
    await db.schema.createIndex('sync_problems_shop').on('sync_problems').columns(['shop_id', 'status', 'id']).execute();
    await db.schema.createIndex('sync_problems_object').on('sync_problems').columns(['shop_id', 'object_type', 'platform_id', 'status']).execute();

    await db.schema.alterTable('orders').addColumn('source', 'text', (c) => c.notNull().defaultTo('api')).execute();
    await db.schema.alterTable('orders').addColumn('platform_status', 'text').execute();
    await db.schema.alterTable('orders').addColumn('platform_modified', 'text').execute();
    await db.schema.alterTable('order_lines').addColumn('platform_line_id', 'text').execute();
    // the line's share of what was paid after discounts (TOP divide_order_fee)
    await db.schema.alterTable('order_lines').addColumn('paid_fen', 'bigint').execute();
    for (const [name, type] of [
      ['platform_refund_id', 'text'],
      ['platform_status', 'text'],
      ['platform_version', 'text'],
      ['platform_modified', 'text'],
      ['platform_timeout_at', 'text'],
      ['platform_timeout_kind', 'text'],
      ['platform_reason', 'text'],
      /** pending | synced | failed: the last decision sent to the platform */
      ['sync_state', 'text'],
      ['sync_message', 'text'],
    ] as const) {
      await db.schema.alterTable('refunds').addColumn(name, type).execute();
    }
    await db.schema.createIndex('refunds_platform_id').on('refunds').columns(['shop_id', 'platform_refund_id']).unique().execute();
    await db.schema.createIndex('order_lines_platform_id').on('order_lines').columns(['order_id', 'platform_line_id']).execute();
    await sql`select 1`.execute(db);
  };
}
