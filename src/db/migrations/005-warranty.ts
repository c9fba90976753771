/** Phones under 三包 (S4): device sales, the shop's versioned warranty settings, and send-backs linked to their device. */
import type { Kysely } from 'kysely';
import { idColumn, idConstraint, type DialectName } from '../dialect-name.ts';

export function up005(dialect: DialectName) {
  const id = idConstraint(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    // a device sale: the phone (its IMEI or MEID), what came with it, when and where it was bought
    await db.schema
      .createTable('devices')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('order_id', 'integer', (c) => c.references('orders.id'))
      .addColumn('order_no', 'text')
      .addColumn('brand', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      // IMEI: 15 digits; MEID: 14 uppercase hex digits (normalised, no check digit)
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('id_kind', 'text', (c) => c.notNull())
      // calendar dates in Asia/Shanghai, 'YYYY-MM-DD'
      .addColumn('purchase_date', 'text', (c) => c.notNull())
      .addColumn('delivery_date', 'text')
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('buyer_name', 'text')
      .addColumn('buyer_phone', 'text')
      .addColumn('accessories', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addColumn('version', 'integer', (c) => c.notNull())
      // one sale per phone in a shop: the lookup by IMEI/MEID is this index
      .addUniqueConstraint('devices_shop_device_id', ['shop_id', 'device_id'])
      .execute();
    // the lookup by order number, and the newest-first list
    await db.schema.createIndex('devices_order_no').on('devices').columns(['shop_id', 'order_no', 'id']).execute();
    await db.schema.createIndex('devices_shop_id').on('devices').columns(['shop_id', 'id']).execute();
    await db.schema.createIndex('devices_order_id').on('devices').columns(['order_id']).execute();

    // the 三包 policy ('policy') and the service-point directory ('service_points') as data, versioned per shop
    await db.schema
      .createTable('warranty_settings')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addUniqueConstraint('warranty_settings_shop_kind_version', ['shop_id', 'kind', 'version'])
      .execute();

    // a send-back (records of kind 'send_back') names the device it is about: the device's page lists them
    await db.schema.alterTable('records').addColumn('device_id', 'integer', (c) => c.references('devices.id')).execute();
    await db.schema.createIndex('records_device').on('records').columns(['device_id', 'kind']).execute();
  };
}
