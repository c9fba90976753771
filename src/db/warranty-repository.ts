/** Device sales (S4) and the shop's versioned warranty settings: plain functions over a Kysely (or a transaction). */
import type { Selectable } from 'kysely';
import type { DeviceIdKind } from '../core/warranty/device-ids.ts';
import type { DeviceAccessory } from '../core/warranty/device-sale.ts';
import type { Q } from './order-repository.ts';
import type { DeviceRepairTable, DeviceTable } from './schema.ts';

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
  /** 开具发票之日: the 三包 periods count from it when given */
  invoiceDate: string | null;
  /** an exchanged host: the device (row id) it replaced */
  previousDeviceId: number | null;
  /** an exchanged host: the day its 三包 periods start again */
  hostPeriodsFrom: string | null;
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
    invoiceDate: row.invoice_date ?? null,
    previousDeviceId: row.previous_device_id ?? null,
    hostPeriodsFrom: row.host_periods_from ?? null,
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
      invoice_date: d.invoiceDate,
      previous_device_id: d.previousDeviceId,
      host_periods_from: d.hostPeriodsFrom,
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

/** The host that replaced a device in an exchange, if one did. */
export async function findSuccessorDevice(db: Q, options: { shopId: number; id: number }): Promise<Device | null> {
  const row = await db
    .selectFrom('devices')
    .selectAll()
    .where('shop_id', '=', options.shopId)
    .where('previous_device_id', '=', options.id)
    .orderBy('id', 'desc')
    .executeTakeFirst();
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

/** A 三包 repair of a device (S4.2; issue 13). */
export interface DeviceRepair {
  id: number;
  deviceId: number;
  part: string;
  faultCode: string | null;
  fault: string;
  /** send_back: our send-back (sendBackId); service_centre: a manufacturer's centre's repair record */
  source: 'send_back' | 'service_centre';
  sendBackId: number | null;
  centreName: string | null;
  startedOn: string;
  finishedOn: string | null;
  note: string | null;
  createdAt: string;
}

function repairRowToRepair(row: Selectable<DeviceRepairTable>): DeviceRepair {
  return {
    id: row.id,
    deviceId: row.device_id,
    part: row.part,
    faultCode: row.fault_code,
    fault: row.fault,
    source: row.source as DeviceRepair['source'],
    sendBackId: row.send_back_id,
    centreName: row.centre_name,
    startedOn: row.started_on,
    finishedOn: row.finished_on,
    note: row.note,
    createdAt: row.created_at,
  };
}

/** A device's repairs, oldest first. */
export async function listDeviceRepairs(db: Q, options: { shopId: number; deviceId: number }): Promise<DeviceRepair[]> {
  const rows = await db
    .selectFrom('device_repairs')
    .selectAll()
    .where('shop_id', '=', options.shopId)
    .where('device_id', '=', options.deviceId)
    .orderBy('id')
    .execute();
  return rows.map(repairRowToRepair);
}

export async function insertDeviceRepair(db: Q, r: Omit<DeviceRepair, 'id'> & { shopId: number; actorId: number | null }): Promise<DeviceRepair> {
  const row = await db
    .insertInto('device_repairs')
    .values({
      shop_id: r.shopId,
      device_id: r.deviceId,
      part: r.part,
      fault_code: r.faultCode,
      fault: r.fault,
      source: r.source,
      send_back_id: r.sendBackId,
      centre_name: r.centreName,
      started_on: r.startedOn,
      finished_on: r.finishedOn,
      note: r.note,
      created_at: r.createdAt,
      actor_id: r.actorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { shopId: _shopId, actorId: _actorId, ...repair } = r;
  return { ...repair, id: row.id };
}
