/**
 * S4.3–S4.5 send-back testing (送检, an RMA) over the pure machine of
 * src/core/warranty/send-back.ts, stored like the workbench's side processes:
 * a record of kind 'send_back' (linked to its device), an event per change and
 * an audit row, in one transaction each. The policy that decides is the
 * version the send-back was opened under.
 */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import type { ItemOrigin } from '../../core/warranty/decide.ts';
import { originOfPart } from '../../core/warranty/device-sale.ts';
import type { ItemPart } from '../../core/warranty/policy.ts';
import {
  applySendBackAction,
  openSendBack,
  sendBackActionsFor,
  sendBackStatuses,
  type SendBack,
  type SendBackAction,
  type SendBackCommand,
  type SendBackStatus,
} from '../../core/warranty/send-back.ts';
import { findOrderById, type Q } from '../../db/order-repository.ts';
import { findDevice, findDevicesByIds, type Device } from '../../db/warranty-repository.ts';
import { assertOrderVisible, requirePermission } from '../access.ts';
import type { AppContext } from '../context.ts';
import { insertRecord, listRecordEvents, recordRowToRecord, updateRecord, type StoredRecord } from '../workbench/record-store.ts';
import { visibleDevice } from './devices.ts';
import { currentPolicy, policyAtVersion } from './settings.ts';

const KIND = 'send_back';
const FINAL: readonly SendBackStatus[] = ['closed', 'cancelled'];

export interface SendBackView {
  id: number;
  status: SendBackStatus;
  device: Device;
  sendBack: SendBack;
  /** what the caller may do now */
  allowedActions: SendBackAction[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

function viewOf(record: StoredRecord, device: Device, actor: Actor): SendBackView {
  const sendBack = record.data as unknown as SendBack;
  return {
    id: record.id,
    status: record.status as SendBackStatus,
    device,
    sendBack,
    allowedActions: sendBackActionsFor(sendBack, actor.role),
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** A send-back the actor may see, with its device: the shop's; for a buyer, one of their own order. */
async function visibleSendBack(db: Q, actor: Actor, id: number): Promise<{ record: StoredRecord; device: Device }> {
  const row = await db.selectFrom('records').selectAll().where('shop_id', '=', actor.shopId).where('kind', '=', KIND).where('id', '=', id).executeTakeFirst();
  const device = row?.device_id != null ? await findDevice(db, { shopId: actor.shopId, id: row.device_id }) : null;
  if (!row || !device) throw new AppError('NOT_FOUND', `Send-back ${id} was not found.`, {});
  const record = recordRowToRecord(row);
  if (actor.role === 'buyer' || actor.orderScopeId != null) {
    const order = record.orderId === null ? null : await findOrderById(db, { orderId: record.orderId });
    assertOrderVisible(actor, order, `Send-back ${id}`);
  }
  return { record, device };
}

export interface OpenSendBackRequest {
  /** the device's row id */
  deviceId: number;
  item: { part: ItemPart; origin?: ItemOrigin | undefined };
  faultDescription: string;
  /** what the caller believes of the device; each one given must be the device's */
  claimed?: { orderNo?: string | undefined; brand?: string | undefined; model?: string | undefined; purchaseDate?: string | undefined; deliveryDate?: string | null | undefined };
}

/** S4.3: the buyer (their own device) or an agent opens a send-back under the policy in force; the terms come with it. */
export async function openDeviceSendBack(ctx: AppContext, options: { actor: Actor; request: OpenSendBackRequest }): Promise<SendBackView> {
  const { actor, request } = options;
  requirePermission(actor, 'send_back.open');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const device = await visibleDevice(trx, actor, request.deviceId);
    const claimed = request.claimed ?? {};
    const facts = { orderNo: device.orderNo, brand: device.brand, model: device.model, purchaseDate: device.purchaseDate, deliveryDate: device.deliveryDate };
    for (const [field, value] of Object.entries(claimed) as [keyof typeof facts, string | null | undefined][]) {
      if (value !== undefined && value !== facts[field]) {
        throw new AppError('VALIDATION_FAILED', `The ${field} sent (${String(value)}) is not the device's (${String(facts[field])}); the send-back takes the device's facts.`, {
          field,
          reason: `${field.replace(/([A-Z])/g, '_$1').toLowerCase()}_not_this_device`,
        });
      }
    }
    if (device.orderNo === null) {
      throw new AppError('VALIDATION_FAILED', 'S4.3: a send-back goes with the order the phone was sold on; register the device with its order number first.', {
        field: 'deviceId',
        reason: 'device_without_order',
      });
    }
    // one open send-back per item of a device: a second parcel for the same fault is the first one's
    const open = await trx
      .selectFrom('records')
      .select(['id', 'data'])
      .where('device_id', '=', device.id)
      .where('kind', '=', KIND)
      .where('status', 'not in', [...FINAL])
      .execute();
    const same = open.find((r) => (JSON.parse(r.data) as SendBack).item?.part === request.item.part);
    if (same) {
      throw new AppError('ACTION_NOT_ALLOWED', `Send-back ${same.id} for the ${request.item.part} of this device is still open; continue with it.`, {
        reason: 'send_back_already_open',
        sendBackId: same.id,
      });
    }
    const { policy } = await currentPolicy(trx, actor.shopId);
    const sendBack = openSendBack(
      {
        orderNo: device.orderNo,
        deviceId: device.deviceId,
        brand: device.brand,
        model: device.model,
        item: { part: request.item.part, origin: request.item.origin ?? originOfPart(device.accessories, request.item.part) },
        purchaseDate: device.purchaseDate,
        deliveryDate: device.deliveryDate,
        faultDescription: request.faultDescription,
      },
      { now, role: actor.role, policy },
    );
    const record = await insertRecord(trx, {
      actor,
      kind: KIND,
      status: sendBack.status,
      orderId: device.orderId,
      refundId: null,
      data: sendBack,
      deviceId: device.id,
      at: now,
    });
    return viewOf(record, device, actor);
  });
}

/** One action of the machine, by a role its table allows, at the version the caller saw. */
export async function actOnSendBack(ctx: AppContext, options: { actor: Actor; id: number; version: number; command: SendBackCommand }): Promise<SendBackView> {
  const { actor, command } = options;
  requirePermission(actor, `send_back.${command.action}`);
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const { record, device } = await visibleSendBack(trx, actor, options.id);
    if (record.version !== options.version) {
      throw new AppError('VERSION_CONFLICT', `This send-back is at version ${record.version}; reload it.`, { currentVersion: record.version });
    }
    const before = record.data as unknown as SendBack;
    const policy = await policyAtVersion(trx, actor.shopId, before.policy.version);
    const change = applySendBackAction(before, command, { now, role: actor.role, policy });
    const saved = await updateRecord(trx, { actor, before: record, action: command.action, status: change.to, data: change.record, eventData: change.data, at: now });
    return viewOf(saved, device, actor);
  });
}

export async function getSendBack(ctx: AppContext, options: { actor: Actor; id: number }) {
  requirePermission(options.actor, 'send_back.read');
  const db = ctx.db.kysely;
  const { record, device } = await visibleSendBack(db, options.actor, options.id);
  return { ...viewOf(record, device, options.actor), events: await listRecordEvents(db, record.id) };
}

/** Send-backs newest first: the RMA board (by status), a device's; a buyer's own only. */
export async function listSendBacks(
  ctx: AppContext,
  options: { actor: Actor; status?: SendBackStatus | undefined; deviceId?: number | undefined; beforeId?: number | undefined; limit: number },
): Promise<SendBackView[]> {
  const { actor } = options;
  requirePermission(actor, 'send_back.read');
  const db = ctx.db.kysely;
  let q = db.selectFrom('records').selectAll('records').where('records.shop_id', '=', actor.shopId).where('records.kind', '=', KIND);
  if (options.status) q = q.where('records.status', '=', options.status);
  if (options.deviceId !== undefined) q = q.where('records.device_id', '=', options.deviceId);
  if (options.beforeId !== undefined) q = q.where('records.id', '<', options.beforeId);
  if (actor.role === 'buyer') {
    const nick = actor.buyerNick ?? '\u0000';
    q = q.where((eb) => eb.exists(eb.selectFrom('orders').select('orders.id').whereRef('orders.id', '=', 'records.order_id').where('orders.buyer_nick', '=', nick)));
  }
  if (actor.orderScopeId != null) q = q.where('records.order_id', '=', actor.orderScopeId);
  const rows = await q.orderBy('records.id', 'desc').limit(options.limit).execute();
  const devices = await findDevicesByIds(db, { shopId: actor.shopId, ids: rows.flatMap((r) => (r.device_id === null ? [] : [r.device_id])) });
  return rows.flatMap((r) => {
    const device = r.device_id === null ? undefined : devices.get(r.device_id);
    return device ? [viewOf(recordRowToRecord(r), device, actor)] : [];
  });
}

export { sendBackStatuses };
