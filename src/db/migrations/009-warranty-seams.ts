/**
 * Issue 13, phones under 三包: the invoice date a device's periods count from,
 * an exchanged host as a device of its own (linked to the host it replaced,
 * its periods starting again on the exchange day), and each 三包 repair of a
 * device (its days extend the period; two of the same fault give an exchange).
 */
import type { Kysely } from 'kysely';
import { idColumn, idConstraint, type DialectName } from '../dialect-name.ts';

export function up009(dialect: DialectName) {
  const id = idConstraint(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    // 开具发票之日, 'YYYY-MM-DD' (Asia/Shanghai); null: no invoice recorded, the purchase date counts
    await db.schema.alterTable('devices').addColumn('invoice_date', 'text').execute();
    // an exchanged host: the host it replaced (S4.5), and the day its 三包 periods start again
    await db.schema.alterTable('devices').addColumn('previous_device_id', 'integer', (c) => c.references('devices.id')).execute();
    await db.schema.alterTable('devices').addColumn('host_periods_from', 'text').execute();
    // the old host's page finds the host that replaced it
    await db.schema.createIndex('devices_previous').on('devices').columns(['previous_device_id']).execute();

    await db.schema
      .createTable('device_repairs')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id'))
      // 'host' or a 三包 accessory
      .addColumn('part', 'text', (c) => c.notNull())
      // a code of the policy's performance-fault list, when known
      .addColumn('fault_code', 'text')
      .addColumn('fault', 'text', (c) => c.notNull())
      // send_back: repaired through our send-back (its record id); service_centre: at a manufacturer's centre, from its repair record
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('send_back_id', 'integer', (c) => c.references('records.id'))
      .addColumn('centre_name', 'text')
      // 'YYYY-MM-DD': the day it went in, and the day it came back (null while in repair)
      .addColumn('started_on', 'text', (c) => c.notNull())
      .addColumn('finished_on', 'text')
      .addColumn('note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .execute();
    // a device's repair history, oldest first; one repair per send-back
    await db.schema.createIndex('device_repairs_device').on('device_repairs').columns(['device_id', 'id']).execute();
    await db.schema.createIndex('device_repairs_send_back').on('device_repairs').columns(['send_back_id']).unique().execute();
  };
}
