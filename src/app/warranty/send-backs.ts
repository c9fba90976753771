/**
 * S4.3–S4.5 send-back testing (送检, an RMA) over the pure machine of
 * src/core/warranty/send-back.ts, stored like the workbench's side processes:
 * a record of kind 'send_back' (linked to its device), an event per change and
 * an audit row, in one transaction each. The policy that decides is the
 * version the send-back was opened under.
 *
 * Issue 13: a return decided here opens (or attaches to) the order's refund
 * (refund-link.ts); an exchanged host is registered as a device of its own,
 * linked to the old one, its periods starting again on the exchange day; a
 * repair shipped back is kept in the device's repair history.
 */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { decideWarranty, type ItemOrigin, type WarrantyDecision } from '../../core/warranty/decide.ts';
import { shanghaiDateOf } from '../../core/warranty/periods.ts';
import { originOfPart } from '../../core/warranty/device-sale.ts';
import type { ItemPart } from '../../core/warranty/policy.ts';
import {
  applySendBackAction,
  openSendBack,
  sendBackActionsFor,
  sendBackStatuses,
  sendBackWarrantyInput,
  type ReportChannel,
  type SendBack,
  type SendBackAction,
  type SendBackCommand,
  type SendBackContext,
  type SendBackStatus,
} from '../../core/warranty/send-back.ts';
import type { WarrantyPolicy } from '../../core/warranty/policy.ts';
import { findOrderById, type Q } from '../../db/order-repository.ts';
import { findDevice, findDeviceByIdentifier, findDevicesByIds, insertDevice, insertDeviceRepair, listDeviceRepairs, type Device } from '../../db/warranty-repository.ts';
import { assertOrderVisible, requirePermission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { insertRecord, listRecordEvents, recordRowToRecord, updateRecord, type StoredRecord } from '../workbench/record-store.ts';
import { priorRepairsOf, visibleDevice } from './devices.ts';
import { linkReturnRefund, refundableOfOrder } from './refund-link.ts';
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
  /** issue 13: the day the buyer first reported the fault (the periods count to it), where, and the written trace */
  faultReportedOn?: string | null | undefined;
  faultReportedVia?: ReportChannel | null | undefined;
  faultReportedNote?: string | null | undefined;
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
        invoiceDate: device.invoiceDate,
        hostPeriodsFrom: device.hostPeriodsFrom,
        faultDescription: request.faultDescription,
        faultReportedOn: request.faultReportedOn,
        faultReportedVia: request.faultReportedVia,
        faultReportedNote: request.faultReportedNote,
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
    const extra: Partial<SendBackContext> =
      command.action === 'decide' ? { ...(await decideContext(trx, ctx, device, record)), refundable: await refundableOfOrder(trx, record.orderId) } : {};
    const change = applySendBackAction(before, command, { now, role: actor.role, policy, ...extra });
    let data: SendBack = change.record;
    let eventData: Record<string, unknown> = change.data;
    if (command.action === 'decide' && data.chosenRemedy === 'return' && record.orderId !== null) {
      const refund = await linkReturnRefund(trx, ctx, { actor, sendBackId: record.id, orderId: record.orderId, sendBack: data, policy, now });
      data = { ...data, refund };
      eventData = { ...eventData, refund };
    }
    if (command.action === 'ship_back' && data.shipment?.exchange) {
      const fresh = await registerExchangedHost(trx, { actor, device, sendBackId: record.id, newDeviceId: data.shipment.exchange.new, now });
      data = { ...data, shipment: { ...data.shipment, exchange: { ...data.shipment.exchange, newDeviceRowId: fresh.id } } };
      eventData = { ...eventData, newDeviceRowId: fresh.id };
    }
    if (command.action === 'ship_back' && data.chosenRemedy === 'free_repair') await keepRepair(trx, { actor, device, sendBackId: record.id, sendBack: data, now });
    const saved = await updateRecord(trx, { actor, before: record, action: command.action, status: change.to, data, eventData, at: now });
    return viewOf(saved, device, actor);
  });
}

/** What a send-back's decision reads beyond its own facts: the device's other 三包 repairs and the calendar. */
async function decideContext(db: Q, ctx: AppContext, device: Device, record: StoredRecord): Promise<Pick<SendBackContext, 'repairs' | 'calendar'>> {
  const repairs = await listDeviceRepairs(db, { shopId: device.shopId, deviceId: device.id });
  return { repairs: priorRepairsOf(repairs, record.id), calendar: ctx.calendar };
}

/**
 * S4.5 (issue 13): the new host of an exchange is a device of its own, found by its IMEI/MEID, linked to the host
 * it replaced, with the same sale (order, dates, invoice, the buyer's own accessories); its 三包 periods start again
 * on the exchange day (换货之日起重新计算). An identifier already registered in the shop is refused.
 */
async function registerExchangedHost(
  trx: Q,
  o: { actor: Actor; device: Device; sendBackId: number; newDeviceId: { kind: string; value: string }; now: Date },
): Promise<Device> {
  const { device, now } = o;
  const taken = await findDeviceByIdentifier(trx, { shopId: device.shopId, deviceId: o.newDeviceId.value });
  if (taken) {
    throw new AppError('DEVICE_EXISTS', `The new host's ${o.newDeviceId.kind.toUpperCase()} ${o.newDeviceId.value} is already registered in this shop (device ${taken.id}): check the number on the new host.`, {
      field: 'exchange.newDeviceId',
      deviceId: o.newDeviceId.value,
      existingId: taken.id,
    });
  }
  const at = now.toISOString();
  const fresh = await insertDevice(trx, {
    shopId: device.shopId,
    orderId: device.orderId,
    orderNo: device.orderNo,
    brand: device.brand,
    model: device.model,
    deviceId: o.newDeviceId.value,
    idKind: o.newDeviceId.kind as Device['idKind'],
    purchaseDate: device.purchaseDate,
    deliveryDate: device.deliveryDate,
    invoiceDate: device.invoiceDate,
    previousDeviceId: device.id,
    hostPeriodsFrom: shanghaiDateOf(now),
    region: device.region,
    buyerName: device.buyerName,
    buyerPhone: device.buyerPhone,
    accessories: device.accessories,
    createdAt: at,
    updatedAt: at,
    actorId: o.actor.kind === 'system' ? null : o.actor.id,
  });
  await appendAudit(trx, {
    at: now,
    ...auditActor(o.actor),
    action: 'device.exchange',
    targetType: 'device',
    targetId: fresh.id,
    outcome: 'ok',
    details: { previousDeviceId: device.id, sendBackId: o.sendBackId, idKind: fresh.idKind, hostPeriodsFrom: fresh.hostPeriodsFrom },
  });
  return fresh;
}

/** A free repair shipped back is a 三包 repair of the device: from the day the parcel arrived to the day it went back. */
async function keepRepair(trx: Q, o: { actor: Actor; device: Device; sendBackId: number; sendBack: SendBack; now: Date }): Promise<void> {
  const sb = o.sendBack;
  await insertDeviceRepair(trx, {
    shopId: o.device.shopId,
    deviceId: o.device.id,
    part: sb.item.part,
    faultCode: sb.report?.faultCode ?? null,
    fault: sb.report?.summary ?? sb.faultDescription,
    source: 'send_back',
    sendBackId: o.sendBackId,
    centreName: sb.test?.centreName ?? null,
    startedOn: sb.received ? shanghaiDateOf(new Date(sb.received.at)) : sb.requestDate,
    finishedOn: shanghaiDateOf(o.now),
    note: null,
    createdAt: o.now.toISOString(),
    actorId: o.actor.kind === 'system' ? null : o.actor.id,
  });
}

/**
 * At `reported`, what the decision will be (the same pure function the decide action runs, on the same facts),
 * so the page offers the remedies the policy gives, and a return's amount still refundable on the order.
 */
async function decisionPreview(
  db: Q,
  ctx: AppContext,
  o: { actor: Actor; record: StoredRecord; device: Device },
): Promise<{ decision: WarrantyDecision; refundable: { defaultFen: number; maxFen: number } | null } | null> {
  const sb = o.record.data as unknown as SendBack;
  if (o.record.status !== 'reported' || !sb.test || !sb.report || !sendBackActionsFor(sb, o.actor.role).includes('decide')) return null;
  let policy: WarrantyPolicy;
  try {
    policy = await policyAtVersion(db, o.actor.shopId, sb.policy.version);
    const { repairs, calendar } = await decideContext(db, ctx, o.device, o.record);
    const decision = decideWarranty(sendBackWarrantyInput(sb, sb.test, sb.report, repairs), policy, { today: ctx.clock.now(), calendar });
    return { decision, refundable: await refundableOfOrder(db, o.record.orderId) };
  } catch {
    // the preview is a help; the decide action says what is wrong
    return null;
  }
}

export async function getSendBack(ctx: AppContext, options: { actor: Actor; id: number }) {
  requirePermission(options.actor, 'send_back.read');
  const db = ctx.db.kysely;
  const { record, device } = await visibleSendBack(db, options.actor, options.id);
  const preview = await decisionPreview(db, ctx, { actor: options.actor, record, device });
  return { ...viewOf(record, device, options.actor), events: await listRecordEvents(db, record.id), preview };
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
