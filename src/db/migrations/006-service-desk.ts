/**
 * The equipment service desk (S5): service archives, service and repair
 * records (售后服务及维修记录单), the dispatch register (售后派出登记) and one
 * history table for the three. Each row keeps the pure core's object as JSON
 * (`data`); the columns beside it are what the lists filter and sort on.
 */
import type { Kysely } from 'kysely';
import { idColumn, idConstraint, type DialectName } from '../dialect-name.ts';

export function up006(dialect: DialectName) {
  const id = idConstraint(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    // S5.1, S5.2: one archive per delivered unit; its serial number is unique in the shop
    await db.schema
      .createTable('service_archives')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('serial_no', 'text', (c) => c.notNull())
      // folded (NFKC, lower case, no spaces) customer, contact, site, contract, product, serial and phone digits: the search (S5.3)
      .addColumn('search_text', 'text', (c) => c.notNull())
      .addColumn('product', 'text', (c) => c.notNull())
      .addColumn('market', 'text', (c) => c.notNull())
      .addColumn('warranty_end', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addUniqueConstraint('service_archives_shop_serial', ['shop_id', 'serial_no'])
      .execute();
    await db.schema.createIndex('service_archives_shop_id').on('service_archives').columns(['shop_id', 'id']).execute();

    // S5.3–S5.8: the record of a call; an emergency's may have no archive yet
    await db.schema
      .createTable('service_records')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('archive_id', 'integer', (c) => c.references('service_archives.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('assignee_user_id', 'integer')
      // S5.8: 1 while an emergency's paperwork is missing
      .addColumn('incomplete', 'integer', (c) => c.notNull())
      .addColumn('called_at', 'text', (c) => c.notNull())
      .addColumn('caller_organisation', 'text')
      // S5.7: the follow-up call: pending (with its next due time), done or unreached; null before the record returned
      .addColumn('follow_up_status', 'text')
      .addColumn('follow_up_due_at', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('service_records_shop_status').on('service_records').columns(['shop_id', 'status', 'id']).execute();
    await db.schema.createIndex('service_records_shop_assignee').on('service_records').columns(['shop_id', 'assignee_user_id', 'id']).execute();
    await db.schema.createIndex('service_records_archive').on('service_records').columns(['archive_id', 'id']).execute();
    await db.schema.createIndex('service_records_shop_incomplete').on('service_records').columns(['shop_id', 'incomplete', 'id']).execute();
    await db.schema.createIndex('service_records_shop_follow_up').on('service_records').columns(['shop_id', 'follow_up_status', 'follow_up_due_at']).execute();
    await db.schema.createIndex('service_records_shop_called').on('service_records').columns(['shop_id', 'called_at']).execute();

    // S5.4, S5.6, S5.8: the dispatch register; the register view sorts the open ones by their clock
    await db.schema
      .createTable('service_dispatches')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('record_id', 'integer', (c) => c.notNull().references('service_records.id'))
      .addColumn('lead_user_id', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('clock_starts_at', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('service_dispatches_shop_status').on('service_dispatches').columns(['shop_id', 'status', 'clock_starts_at']).execute();
    await db.schema.createIndex('service_dispatches_record').on('service_dispatches').columns(['record_id', 'id']).execute();

    // the history of archives, records and dispatches: one row per change, with the record it belongs to
    await db.schema
      .createTable('service_events')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'integer', (c) => c.notNull())
      .addColumn('record_id', 'integer')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addColumn('actor_role', 'text', (c) => c.notNull())
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('service_events_subject').on('service_events').columns(['subject', 'subject_id', 'id']).execute();
    await db.schema.createIndex('service_events_record').on('service_events').columns(['record_id', 'id']).execute();
  };
}
