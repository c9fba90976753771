/** Device sales (S4) and the shop's versioned warranty settings: plain functions over a Kysely (or a transaction). */
import type { Selectable } from 'kysely';
import type { DeviceIdKind } from '../core/warranty/device-ids.ts';
import type { DeviceAccessory } from '../core/warranty/device-sale.ts';
import type { Q } from './order-repository.ts';
import type { DeviceTable } from './schema.ts';

export interface Device {
  id: number;
  shopId: number;
  orderId: number | null;
  orderNo: string | null;
  brand: string;
  model: string;
  /** IMEI: 15 digits; MEID: 14 uppercase hex digits */
  deviceId: string;
  idKind: DeviceIdKind;
  purchaseDate: string;
  deliveryDate: string | null;
  region: string;
  buyerName: string | null;
  buyerPhone: string | null;
  accessories: DeviceAccessory[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function deviceRowToDevice(row: Selectable<DeviceTable>): Device {
  return {
    id: row.id,
    shopId: row.shop_id,
    orderId: row.order_id,
    orderNo: row.order_no,
    brand: row.brand,
    model: row.model,
    deviceId: row.device_id,
    idKind: row.id_kind as DeviceIdKind,
    purchaseDate: row.purchase_date,
    deliveryDate: row.delivery_date,
    region: row.region,
    buyerName: row.buyer_name,
    buyerPhone: row.buyer_phone,
    accessories: JSON.parse(row.accessories) as DeviceAccessory[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export async function insertDevice(db: Q, d: Omit<Device, 'id' | 'version'> & { actorId: number | null }): Promise<Device> {
  const row = await db
    .insertInto('devices')
    .values({
      shop_id: d.shopId,
      order_id: d.orderId,
      order_no: d.orderNo,
      brand: d.brand,
      model: d.model,
      device_id: d.deviceId,
      id_kind: d.idKind,
      purchase_date: d.purchaseDate,
      delivery_date: d.deliveryDate,
      region: d.region,
      buyer_name: d.buyerName,
      buyer_phone: d.buyerPhone,
      accessories: JSON.stringify(d.accessories),
      created_at: d.createdAt,
      updated_at: d.updatedAt,
      actor_id: d.actorId,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { actorId: _actorId, ...device } = d;
  return { ...device, id: row.id, version: 1 };
}

/** A shop's device by its row id; null when the shop has none such. */
export async function findDevice(db: Q, options: { shopId: number; id: number }): Promise<Device | null> {
  const row = await db.selectFrom('devices').selectAll().where('shop_id', '=', options.shopId).where('id', '=', options.id).executeTakeFirst();
  return row ? deviceRowToDevice(row) : null;
}

/** A shop's device by its IMEI/MEID (normalised). */
export async function findDeviceByIdentifier(db: Q, options: { shopId: number; deviceId: string }): Promise<Device | null> {
  const row = await db.selectFrom('devices').selectAll().where('shop_id', '=', options.shopId).where('device_id', '=', options.deviceId).executeTakeFirst();
  return row ? deviceRowToDevice(row) : null;
}

export async function findDevicesByIds(db: Q, options: { shopId: number; ids: readonly number[] }): Promise<Map<number, Device>> {
  const out = new Map<number, Device>();
  if (options.ids.length === 0) return out;
  const rows = await db.selectFrom('devices').selectAll().where('shop_id', '=', options.shopId).where('id', 'in', [...new Set(options.ids)]).execute();
  for (const r of rows) out.set(r.id, deviceRowToDevice(r));
  return out;
}

export interface DeviceListFilter {
  shopId: number;
  /** IMEI/MEID values to match exactly (the normalised forms of what was typed) */
  identifiers?: readonly string[] | undefined;
  /** an order number to match exactly (or'ed with the identifiers) */
  orderNo?: string | undefined;
  /** a buyer: only devices of their orders; a portal session: of that one order */
  buyerNick?: string | undefined;
  orderId?: number | undefined;
  /** rows with an id below this one (the page after) */
  beforeId?: number | undefined;
  limit: number;
}

/** Devices newest first. */
export async function listDevices(db: Q, f: DeviceListFilter): Promise<Device[]> {
  let q = db.selectFrom('devices').selectAll('devices').where('devices.shop_id', '=', f.shopId);
  const identifiers = f.identifiers ?? [];
  if (identifiers.length > 0 || f.orderNo !== undefined) {
    q = q.where((eb) =>
      eb.or([
        ...(identifiers.length > 0 ? [eb('devices.device_id', 'in', [...identifiers])] : []),
        ...(f.orderNo !== undefined ? [eb('devices.order_no', '=', f.orderNo)] : []),
      ]),
    );
  }
  if (f.buyerNick !== undefined) {
    const nick = f.buyerNick;
    q = q.where((eb) => eb.exists(eb.selectFrom('orders').select('orders.id').whereRef('orders.id', '=', 'devices.order_id').where('orders.buyer_nick', '=', nick)));
  }
  if (f.orderId !== undefined) q = q.where('devices.order_id', '=', f.orderId);
  if (f.beforeId !== undefined) q = q.where('devices.id', '<', f.beforeId);
  const rows = await q.orderBy('devices.id', 'desc').limit(f.limit).execute();
  return rows.map(deviceRowToDevice);
}

export type WarrantySettingKind = 'policy' | 'service_points';

export interface StoredSetting {
  version: number;
  data: unknown;
  createdAt: string;
}

/** The newest saved version of a setting, or null when the shop uses the built-in default. */
export async function latestWarrantySetting(db: Q, options: { shopId: number; kind: WarrantySettingKind }): Promise<StoredSetting | null> {
  const row = await db
    .selectFrom('warranty_settings')
    .select(['version', 'data', 'created_at'])
    .where('shop_id', '=', options.shopId)
    .where('kind', '=', options.kind)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { version: row.version, data: JSON.parse(row.data) as unknown, createdAt: row.created_at } : null;
}

export async function warrantySettingAt(db: Q, options: { shopId: number; kind: WarrantySettingKind; version: number }): Promise<StoredSetting | null> {
  const row = await db
    .selectFrom('warranty_settings')
    .select(['version', 'data', 'created_at'])
    .where('shop_id', '=', options.shopId)
    .where('kind', '=', options.kind)
    .where('version', '=', options.version)
    .executeTakeFirst();
  return row ? { version: row.version, data: JSON.parse(row.data) as unknown, createdAt: row.created_at } : null;
}

export async function insertWarrantySetting(
  db: Q,
  s: { shopId: number; kind: WarrantySettingKind; version: number; data: unknown; createdAt: string; actorId: number | null },
): Promise<void> {
  await db
    .insertInto('warranty_settings')
    .values({ shop_id: s.shopId, kind: s.kind, version: s.version, data: JSON.stringify(s.data), created_at: s.createdAt, actor_id: s.actorId })
    .execute();
}
