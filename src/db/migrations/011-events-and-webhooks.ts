/**
 * Issue 14 §3–4: the event feed and webhooks. Events are derived from the audit trail (every change writes its
 * audit row in its own transaction, in commit order), by one pump at a time; each event is queued once per
 * endpoint that wants it, and delivered from there (Standard Webhooks).
 */
import type { Kysely } from 'kysely';
import { idColumn, idConstraint, type DialectName } from '../dialect-name.ts';

export function up011(dialect: DialectName) {
  const id = idConstraint(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('events')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('object_type', 'text', (c) => c.notNull())
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('object_version', 'integer')
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      // an event is made once: from one audit row, or once per deadline for a time-based one
      .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
      .execute();
    await db.schema.createIndex('events_shop').on('events').columns(['shop_id', 'id']).execute();
    await db.schema.createIndex('events_at').on('events').columns(['at']).execute();

    await db.schema
      .createTable('event_pump')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('last_audit_id', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.insertInto('event_pump' as never).values({ id: 1, last_audit_id: 0, updated_at: new Date(0).toISOString() } as never).execute();

    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('event_types', 'text', (c) => c.notNull())
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('disabled_reason', 'text')
      .addColumn('failing_since', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhook_endpoints_shop').on('webhook_endpoints').columns(['shop_id', 'enabled']).execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('endpoint_id', 'integer', (c) => c.notNull().references('webhook_endpoints.id'))
      .addColumn('shop_id', 'integer', (c) => c.notNull())
      .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id'))
      /** pending | sending | delivered | failed */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('response_status', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .addUniqueConstraint('webhook_deliveries_once', ['endpoint_id', 'event_id'])
      .execute();
    await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at', 'id']).execute();
    await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'id']).execute();
  };
}
