/** The workbench (S1): rule sets, products, checklist ticks, the side-process records, the unshipped batch. */
import { sql, type Kysely } from 'kysely';
import { idColumn, idConstraint, type DialectName } from '../dialect-name.ts';

export function up003(dialect: DialectName) {
  const id = idConstraint(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('rule_sets')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addUniqueConstraint('rule_sets_shop_version', ['shop_id', 'version'])
      .execute();

    // what S1.15 asks before a refusal: is the style hot-selling or main-promoted, how is it rated
    await db.schema
      .createTable('products')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('sku', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('style_category', 'text', (c) => c.notNull())
      .addColumn('hot_selling', 'integer', (c) => c.notNull())
      .addColumn('main_promoted', 'integer', (c) => c.notNull())
      .addColumn('rating', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('products_shop_sku', ['shop_id', 'sku'])
      .execute();

    await db.schema
      .createTable('checklist_ticks')
      .addColumn('refund_id', 'integer', (c) => c.notNull().references('refunds.id'))
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('checklist_ticks_pk', ['refund_id', 'item_id'])
      .execute();

    // every side process of S1 is a record: a kind, a state, its order and refund, its validated fields
    await db.schema
      .createTable('records')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('order_id', 'integer', (c) => c.references('orders.id'))
      .addColumn('refund_id', 'integer', (c) => c.references('refunds.id'))
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('amount_fen', 'bigint')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('records_shop_kind').on('records').columns(['shop_id', 'kind', 'status', 'id']).execute();
    await db.schema.createIndex('records_refund').on('records').columns(['refund_id', 'kind']).execute();
    await db.schema.createIndex('records_order').on('records').columns(['order_id', 'kind']).execute();
    await db.schema.createIndex('records_created').on('records').columns(['shop_id', 'kind', 'created_at']).execute();
    // S1.14: one refund never pays postage twice
    await db.schema
      .createIndex('records_one_postage_per_refund')
      .on('records')
      .column('refund_id')
      .unique()
      .where(sql.ref('kind'), '=', 'postage')
      .where(sql.ref('status'), '!=', 'cancelled')
      .execute();

    await db.schema
      .createTable('record_events')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('record_id', 'integer', (c) => c.notNull().references('records.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addColumn('actor_role', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addUniqueConstraint('record_events_version', ['record_id', 'version'])
      .execute();

    // S1.1: the day's unshipped refunds, each line voided or already shipped by the warehouse
    await db.schema
      .createTable('batch_lines')
      .addColumn('batch_id', 'integer', (c) => c.notNull().references('records.id'))
      .addColumn('refund_id', 'integer', (c) => c.notNull().references('refunds.id'))
      .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
      .addColumn('order_no', 'text', (c) => c.notNull())
      .addColumn('amount_fen', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('marked_at', 'text')
      .addColumn('actor_id', 'integer')
      .addPrimaryKeyConstraint('batch_lines_pk', ['batch_id', 'refund_id'])
      .execute();
    await db.schema.createIndex('batch_lines_refund').on('batch_lines').columns(['refund_id']).execute();

    await db.schema.alterTable('refunds').addColumn('root_cause', 'text').execute();
    await db.schema.alterTable('refunds').addColumn('root_cause_note', 'text').execute();
    await db.schema.alterTable('refunds').addColumn('rule_set_version', 'integer').execute();
    await db.schema.createIndex('refunds_created').on('refunds').columns(['shop_id', 'created_at']).execute();
  };
}
