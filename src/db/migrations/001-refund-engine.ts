/** The refund engine's tables (issue: the refund engine). One file for SQLite and PostgreSQL. */
import type { Kysely } from 'kysely';
import { idColumn, idConstraint, type DialectName } from '../dialect-name.ts';

export function up001(dialect: DialectName) {
  const id = idConstraint(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('shops')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('actors')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('buyer_nick', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('actor_id', 'integer', (c) => c.notNull().references('actors.id'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();

    await db.schema
      .createTable('orders')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('order_no', 'text', (c) => c.notNull())
      .addColumn('buyer_nick', 'text', (c) => c.notNull())
      .addColumn('buyer_name', 'text', (c) => c.notNull())
      .addColumn('buyer_phone', 'text', (c) => c.notNull())
      .addColumn('province', 'text', (c) => c.notNull())
      .addColumn('city', 'text', (c) => c.notNull())
      .addColumn('district', 'text', (c) => c.notNull())
      .addColumn('address_detail', 'text', (c) => c.notNull())
      .addColumn('paid_fen', 'bigint', (c) => c.notNull())
      .addColumn('postage_fen', 'bigint', (c) => c.notNull())
      .addColumn('escrow', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('courier', 'text')
      .addColumn('tracking_no', 'text')
      .addColumn('shipped_at', 'text')
      .addColumn('signed_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addUniqueConstraint('orders_shop_order_no', ['shop_id', 'order_no'])
      .execute();
    await db.schema.createIndex('orders_shop_created').on('orders').columns(['shop_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('orders_shop_buyer').on('orders').columns(['shop_id', 'buyer_nick']).execute();

    await db.schema
      .createTable('order_lines')
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('style', 'text', (c) => c.notNull())
      .addColumn('size', 'text', (c) => c.notNull())
      .addColumn('unit_price_fen', 'bigint', (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('order_lines_pk', ['order_id', 'line_no'])
      .execute();

    await db.schema
      .createTable('order_remarks')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
      .addColumn('actor_id', 'integer')
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('flag', 'integer', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('order_remarks_order').on('order_remarks').columns(['order_id', 'id']).execute();

    await db.schema
      .createTable('order_events')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addColumn('actor_role', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('order_events_order').on('order_events').columns(['order_id', 'id']).execute();

    await db.schema
      .createTable('refunds')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
      .addColumn('order_no', 'text', (c) => c.notNull())
      .addColumn('line_no', 'integer')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('goods_status', 'text', (c) => c.notNull())
      .addColumn('phase', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('amount_fen', 'bigint', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('is_open', 'integer', (c) => c.notNull())
      .addColumn('intervention_state', 'text', (c) => c.notNull())
      .addColumn('intervention_requested_at', 'text')
      .addColumn('intervention_outcome', 'text')
      .addColumn('intervention_decided_at', 'text')
      .addColumn('intervention_note', 'text')
      .addColumn('return_address', 'text')
      .addColumn('return_courier', 'text')
      .addColumn('return_tracking_no', 'text')
      .addColumn('return_shipped_at', 'text')
      .addColumn('refusal_reason', 'text')
      .addColumn('refusal_evidence', 'text')
      .addColumn('refused_at', 'text')
      .addColumn('deadline_kind', 'text')
      .addColumn('deadline_at', 'text')
      .addColumn('deadline_effect', 'text')
      .addColumn('deadline_problem', 'text')
      .addColumn('sort_deadline', 'text', (c) => c.notNull())
      .addColumn('close_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    // the queue: open refunds of a shop by time left; the full list by deadline; the sweeper's due refunds
    await db.schema.createIndex('refunds_queue').on('refunds').columns(['shop_id', 'is_open', 'sort_deadline', 'id']).execute();
    await db.schema.createIndex('refunds_by_deadline').on('refunds').columns(['shop_id', 'sort_deadline', 'id']).execute();
    await db.schema.createIndex('refunds_due').on('refunds').columns(['is_open', 'deadline_at']).execute();
    await db.schema.createIndex('refunds_order').on('refunds').columns(['order_id']).execute();

    await db.schema
      .createTable('refund_events')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('refund_id', 'integer', (c) => c.notNull().references('refunds.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addColumn('actor_role', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('changes', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      // one event per version: a change applied twice cannot commit
      .addUniqueConstraint('refund_events_refund_version', ['refund_id', 'version'])
      .execute();

    await db.schema
      .createTable('payouts')
      // a refund pays out at most once
      .addColumn('refund_id', 'integer', (c) => c.primaryKey().references('refunds.id'))
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
      .addColumn('amount_fen', 'bigint', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('actor_id', 'integer', (c) => c.notNull().references('actors.id'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['actor_id', 'key'])
      .execute();
  };
}
