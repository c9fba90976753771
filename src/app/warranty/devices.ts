/**
 * Device sales (S4): registered with a checked IMEI/MEID, looked up by it or
 * by the order, decided under the shop's 三包 policy (S4.2–S4.5, the decision
 * audited as the proof shown to the buyer), walked through the ordinary path
 * of S4.6, and printed as the warranty card of S4.1.
 */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { decideWarranty, type FaultKind, type ItemCondition, type PriorRepair, type WarrantyDecision, type WarrantyRequest } from '../../core/warranty/decide.ts';
import { parseDeviceId } from '../../core/warranty/device-ids.ts';
import { originOfPart, readDeviceSale, splitRegion, type DeviceSaleInput } from '../../core/warranty/device-sale.ts';
import { nextGuidedStep, selfFixes, symptoms, type GuidedAnswers, type GuidedStep, type SelfFixId } from '../../core/warranty/guided-flow.ts';
import { isCalendarDate, shanghaiDateOf } from '../../core/warranty/periods.ts';
import type { SendBackStatus } from '../../core/warranty/send-back.ts';
import { accessoryKinds, type Clause, type FaultConfirmer, type ItemPart } from '../../core/warranty/policy.ts';
import { issue, readText, throwIfIssues, type FieldIssue } from '../../core/workbench/fields.ts';
import { findCity, findServicePoints, type ReturnContact, type ServicePoint } from '../../core/warranty/service-points.ts';
import { findOrderById, findOrderByNo, type Q } from '../../db/order-repository.ts';
import {
  findDevice,
  findDeviceByIdentifier,
  findSuccessorDevice,
  insertDevice,
  insertDeviceRepair,
  listDeviceRepairs,
  listDevices,
  type Device,
  type DeviceRepair,
} from '../../db/warranty-repository.ts';
import { assertOrderVisible, requirePermission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { currentDirectory, currentPolicy, pointsOfLookup } from './settings.ts';

export type { Device, DeviceRepair };

/** A device the actor may see: the shop's; for a buyer, one of their own order (a portal session: that order). */
export async function visibleDevice(db: Q, actor: Actor, id: number): Promise<Device> {
  const device = await findDevice(db, { shopId: actor.shopId, id });
  if (!device) throw new AppError('NOT_FOUND', `Device ${id} was not found.`, {});
  if (actor.role === 'buyer' || actor.orderScopeId != null) {
    const order = device.orderId === null ? null : await findOrderById(db, { orderId: device.orderId });
    assertOrderVisible(actor, order, `Device ${id}`);
  }
  return device;
}

function uniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Registers a device sale; the same IMEI/MEID twice in a shop is 409 DEVICE_EXISTS. */
export async function createDevice(ctx: AppContext, options: { actor: Actor; input: DeviceSaleInput }): Promise<Device> {
  const { actor } = options;
  requirePermission(actor, 'device.create');
  const now = ctx.clock.now();
  const sale = readDeviceSale(options.input, now);
  const exists = (existingId: number | null) =>
    new AppError('DEVICE_EXISTS', `The ${sale.device.kind.toUpperCase()} ${sale.device.value} is already registered in this shop.`, {
      field: 'deviceId',
      deviceId: sale.device.value,
      existingId,
    });
  try {
    return await ctx.db.kysely.transaction().execute(async (trx) => {
      const order = sale.orderNo === null ? null : await findOrderByNo(trx, { shopId: actor.shopId, orderNo: sale.orderNo });
      if (sale.orderNo !== null) assertOrderVisible(actor, order, `Order ${sale.orderNo}`);
      const earlier = await findDeviceByIdentifier(trx, { shopId: actor.shopId, deviceId: sale.device.value });
      if (earlier) throw exists(earlier.id);
      const at = now.toISOString();
      const device = await insertDevice(trx, {
        shopId: actor.shopId,
        orderId: order?.id ?? null,
        orderNo: order?.orderNo ?? null,
        brand: sale.brand,
        model: sale.model,
        deviceId: sale.device.value,
        idKind: sale.device.kind,
        purchaseDate: sale.purchaseDate,
        deliveryDate: sale.deliveryDate,
        invoiceDate: sale.invoiceDate,
        previousDeviceId: null,
        hostPeriodsFrom: null,
        region: sale.region,
        buyerName: sale.buyerName,
        buyerPhone: sale.buyerPhone,
        accessories: sale.accessories,
        createdAt: at,
        updatedAt: at,
        actorId: actor.kind === 'system' ? null : actor.id,
      });
      await appendAudit(trx, {
        at: now,
        ...auditActor(actor),
        action: 'device.create',
        targetType: 'device',
        targetId: device.id,
        outcome: 'ok',
        details: { orderNo: device.orderNo, idKind: device.idKind, brand: device.brand, model: device.model, purchaseDate: device.purchaseDate, invoiceDate: device.invoiceDate },
      });
      return device;
    });
  } catch (e) {
    // two registrations of one phone at the same moment: the unique key decides
    if (uniqueViolation(e)) throw exists(null);
    throw e;
  }
}

function encodeCursor(id: number): string {
  return Buffer.from(`d|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^d\|(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const id = match?.[1] ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw new AppError('VALIDATION_FAILED', 'The cursor is not one this API gave out.', { field: 'cursor' });
  return id;
}

/**
 * Devices newest first. `q` is an IMEI, an MEID (any of its written forms) or
 * an order number, matched exactly after normalising: spaces and dashes go,
 * full-width digits fold, a decimal MEID becomes hex, a 14-digit MEID also
 * finds the IMEI it was derived from.
 */
export async function findDevices(
  ctx: AppContext,
  options: { actor: Actor; q?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: Device[]; nextCursor: string | null }> {
  const { actor } = options;
  requirePermission(actor, 'device.read');
  let identifiers: string[] | undefined;
  let orderNo: string | undefined;
  if (options.q !== undefined) {
    const parsed = parseDeviceId(options.q);
    identifiers = parsed.ok ? [parsed.value, ...(parsed.asImei ? [parsed.asImei] : [])] : [];
    orderNo = options.q.normalize('NFKC').replace(/\s+/gu, '');
  }
  const buyer = actor.role === 'buyer';
  const rows = await listDevices(ctx.db.kysely, {
    shopId: actor.shopId,
    identifiers,
    orderNo,
    buyerNick: buyer ? (actor.buyerNick ?? '\u0000') : undefined,
    orderId: actor.orderScopeId ?? undefined,
    beforeId: options.cursor ? decodeCursor(options.cursor) : undefined,
    limit: options.limit + 1,
  });
  const items = rows.slice(0, options.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > options.limit && last ? encodeCursor(last.id) : null };
}

export interface SendBackSummary {
  id: number;
  status: SendBackStatus;
  part: string | null;
  chosenRemedy: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export async function sendBacksOfDevice(db: Q, deviceId: number): Promise<SendBackSummary[]> {
  const rows = await db
    .selectFrom('records')
    .select(['id', 'status', 'data', 'version', 'created_at', 'updated_at'])
    .where('device_id', '=', deviceId)
    .where('kind', '=', 'send_back')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => {
    const data = JSON.parse(r.data) as { item?: { part?: string }; chosenRemedy?: string | null };
    return { id: r.id, status: r.status as SendBackStatus, part: data.item?.part ?? null, chosenRemedy: data.chosenRemedy ?? null, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at };
  });
}

/** Another device of the chain of exchanges, as a device's page links it. */
export interface LinkedDevice {
  id: number;
  deviceId: string;
  idKind: string;
  /** the day the later host came in the exchange */
  exchangedOn: string | null;
}

export interface DeviceDetail {
  device: Device;
  sendBacks: SendBackSummary[];
  /** issue 13: its 三包 repairs, oldest first */
  repairs: DeviceRepair[];
  /** S4.5: the host this one replaced in an exchange, and the host that replaced it */
  exchangedFrom: LinkedDevice | null;
  exchangedTo: LinkedDevice | null;
}

export async function getDevice(ctx: AppContext, options: { actor: Actor; id: number }): Promise<DeviceDetail> {
  requirePermission(options.actor, 'device.read');
  const db = ctx.db.kysely;
  const device = await visibleDevice(db, options.actor, options.id);
  const [sendBacks, repairs, before, after] = await Promise.all([
    sendBacksOfDevice(db, device.id),
    listDeviceRepairs(db, { shopId: device.shopId, deviceId: device.id }),
    device.previousDeviceId === null ? Promise.resolve(null) : findDevice(db, { shopId: device.shopId, id: device.previousDeviceId }),
    findSuccessorDevice(db, { shopId: device.shopId, id: device.id }),
  ]);
  const link = (d: Device | null): LinkedDevice | null => (d ? { id: d.id, deviceId: d.deviceId, idKind: d.idKind, exchangedOn: d.hostPeriodsFrom } : null);
  return { device, sendBacks, repairs, exchangedFrom: before ? { ...link(before)!, exchangedOn: device.hostPeriodsFrom } : null, exchangedTo: link(after) };
}

/** The device's repairs as the decision reads them (issue 13): the host's and the accessories' 三包 repairs, minus one send-back's own. */
export function priorRepairsOf(repairs: readonly DeviceRepair[], exceptSendBackId?: number): PriorRepair[] {
  return repairs
    .filter((r) => exceptSendBackId === undefined || r.sendBackId !== exceptSendBackId)
    .map((r) => ({ part: r.part as ItemPart, faultCode: r.faultCode, startedOn: r.startedOn, finishedOn: r.finishedOn }));
}

export interface RecordRepairRequest {
  part: ItemPart;
  faultCode?: string | null | undefined;
  fault: string;
  /** the manufacturer's centre or authorised repair point that repaired it (its 修理记录) */
  centreName: string;
  startedOn: string;
  finishedOn?: string | null | undefined;
  note?: string | null | undefined;
}

/**
 * S4.2/S4.6 (issue 13): a 三包 repair done at a manufacturer's service centre, from its repair record (凭修理者提供的
 * 修理记录): its days extend the period and two of the same fault give an exchange. Repairs through our own
 * send-backs are recorded by themselves when the repaired phone is shipped back.
 */
export async function recordDeviceRepair(ctx: AppContext, options: { actor: Actor; id: number; request: RecordRepairRequest }): Promise<DeviceRepair> {
  const { actor, request } = options;
  requirePermission(actor, 'device.repair');
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const device = await visibleDevice(trx, actor, options.id);
    const { policy } = await currentPolicy(trx, actor.shopId);
    const issues: FieldIssue[] = [];
    if (request.part !== 'host' && !(accessoryKinds as readonly string[]).includes(request.part)) {
      issues.push(issue('part', 'unknown_value', `The part is the host or one of ${accessoryKinds.join(', ')}.`));
    }
    const faultCode = request.faultCode ?? null;
    if (faultCode !== null) {
      const known = policy.performanceFaults.find((f) => f.code === faultCode);
      if (!known || !known.parts.includes(request.part)) issues.push(issue('faultCode', 'unknown_value', `${faultCode} is no performance fault of the ${request.part} on the policy's list.`));
    }
    const fault = readText(issues, request.fault, { field: 'fault', label: 'The fault repaired', min: 2, max: 500 });
    const centreName = readText(issues, request.centreName, { field: 'centreName', label: 'The service centre (厂家维修中心或特约维修点)', min: 2, max: 100 });
    const note = readText(issues, request.note, { field: 'note', label: 'The note', min: 0, max: 500 });
    const startedOn = request.startedOn;
    const finishedOn = request.finishedOn ?? null;
    const firstDay = device.hostPeriodsFrom && request.part === 'host' ? device.hostPeriodsFrom : device.purchaseDate;
    if (!isCalendarDate(startedOn)) issues.push(issue('startedOn', 'invalid', 'The day it went in for repair must be a calendar date (YYYY-MM-DD).'));
    else {
      if (startedOn > today) issues.push(issue('startedOn', 'in_future', `The repair cannot start after today (${today}).`));
      if (startedOn < firstDay) issues.push(issue('startedOn', 'before_purchase', `The repair cannot start before ${firstDay}, when this ${request.part === 'host' ? 'host' : 'item'} was sold or exchanged in.`));
    }
    if (finishedOn !== null) {
      if (!isCalendarDate(finishedOn)) issues.push(issue('finishedOn', 'invalid', 'The day it came back must be a calendar date (YYYY-MM-DD).'));
      else {
        if (finishedOn > today) issues.push(issue('finishedOn', 'in_future', `The repair cannot end after today (${today}).`));
        if (isCalendarDate(startedOn) && finishedOn < startedOn) issues.push(issue('finishedOn', 'before_start', 'The repair cannot end before it started.'));
      }
    }
    throwIfIssues('S4.2 the repair record', issues);
    const repair = await insertDeviceRepair(trx, {
      shopId: actor.shopId,
      deviceId: device.id,
      part: request.part,
      faultCode,
      fault: fault as string,
      source: 'service_centre',
      sendBackId: null,
      centreName,
      startedOn,
      finishedOn,
      note,
      createdAt: now.toISOString(),
      actorId: actor.kind === 'system' ? null : actor.id,
    });
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: 'device.repair',
      targetType: 'device',
      targetId: device.id,
      outcome: 'ok',
      details: { repairId: repair.id, part: repair.part, faultCode, startedOn, finishedOn, centreName },
    });
    return repair;
  });
}

export interface DecideRequest {
  item: { part: ItemPart; origin?: 'original' | 'gift' | undefined };
  request: WarrantyRequest;
  /** 'YYYY-MM-DD', not after today; today in Shanghai when absent */
  requestDate?: string | undefined;
  fault: FaultKind;
  faultCode?: string | null | undefined;
  confirmedBy: FaultConfirmer | 'none';
  condition: ItemCondition;
  contactedFirst?: boolean | undefined;
}

/**
 * S4.2–S4.5 for one item of a device under the shop's policy in force: a pure
 * evaluation, recorded in the audit trail (it is the proof shown to the buyer).
 */
export async function decideForDevice(ctx: AppContext, options: { actor: Actor; id: number; request: DecideRequest }): Promise<WarrantyDecision & { policyVersion: number }> {
  const { actor, request } = options;
  requirePermission(actor, 'warranty.decide');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const device = await visibleDevice(trx, actor, options.id);
    const { version, policy } = await currentPolicy(trx, actor.shopId);
    const repairs = await listDeviceRepairs(trx, { shopId: device.shopId, deviceId: device.id });
    const item = { part: request.item.part, origin: request.item.origin ?? originOfPart(device.accessories, request.item.part) };
    const requestDate = request.requestDate ?? shanghaiDateOf(now);
    const decision = decideWarranty(
      {
        item,
        request: request.request,
        purchaseDate: device.purchaseDate,
        deliveryDate: device.deliveryDate,
        invoiceDate: device.invoiceDate,
        hostPeriodsFrom: device.hostPeriodsFrom,
        repairs: priorRepairsOf(repairs),
        requestDate,
        fault: request.fault,
        faultCode: request.faultCode ?? null,
        confirmedBy: request.confirmedBy,
        condition: request.condition,
        contactedFirst: request.contactedFirst,
      },
      policy,
      { today: now, calendar: ctx.calendar },
    );
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: 'warranty.decide',
      targetType: 'device',
      targetId: device.id,
      outcome: 'ok',
      details: {
        policyVersion: version,
        item,
        request: request.request,
        requestDate,
        fault: request.fault,
        faultCode: request.faultCode ?? null,
        confirmedBy: request.confirmedBy,
        condition: request.condition,
        remedy: decision.remedy,
        options: decision.options,
        clauseId: decision.clause.id,
        periodBasis: decision.periodBasis.map((b) => b.code),
      },
    });
    return { ...decision, policyVersion: version };
  });
}

/** S4.6: the next step of the ordinary case; with a device, its region and brand pick the service points. */
export async function guideStep(ctx: AppContext, options: { actor: Actor; deviceId?: number | undefined; answers: GuidedAnswers }): Promise<GuidedStep> {
  const { actor } = options;
  requirePermission(actor, 'warranty.guide');
  const db = ctx.db.kysely;
  const device = options.deviceId === undefined ? null : await visibleDevice(db, actor, options.deviceId);
  const [{ policy }, { directory, returnContact }] = await Promise.all([currentPolicy(db, actor.shopId), currentDirectory(db, actor.shopId)]);
  const answers: GuidedAnswers = {
    ...options.answers,
    region: options.answers.region ?? device?.region ?? null,
    brand: options.answers.brand ?? device?.brand ?? null,
  };
  return nextGuidedStep(answers, { policy, directory, returnContact });
}

export interface WarrantyCard {
  shopName: string;
  policy: { id: string; version: number; nameZh: string };
  /** the policy text (S4.1), clause by clause */
  policyClauses: Clause[];
  /** the points for the buyer's city and the device's brand; placeholders (status to_be_filled) until the shop fills them */
  servicePoints: ServicePoint[];
  /** place: the county-level city or new area the address named, served by the city's points */
  servicePointLookup: { status: string; province: string | null; city: string | null; place: string | null; brand: { id: string; zh: string; en: string } | null };
  /** the directory's brands, to name each point's */
  brands: { id: string; zh: string; en: string }[];
  selfFixes: { id: SelfFixId; zh: string; en: string; problemZh: string; problemEn: string }[];
  hotline: string | null;
  returnContact: ReturnContact;
  /** the region as the card prints it: down to the district, never the street */
  region: string;
  device: Device;
}

/** S4.1: the warranty card of a device, as data (the http layer prints it). */
export async function warrantyCard(ctx: AppContext, options: { actor: Actor; id: number }): Promise<WarrantyCard> {
  const { actor } = options;
  requirePermission(actor, 'device.read');
  const db = ctx.db.kysely;
  const device = await visibleDevice(db, actor, options.id);
  const [{ policy }, { directory, returnContact }, shop] = await Promise.all([
    currentPolicy(db, actor.shopId),
    currentDirectory(db, actor.shopId),
    db.selectFrom('shops').select('name').where('id', '=', actor.shopId).executeTakeFirstOrThrow(),
  ]);
  const lookup = findServicePoints(directory, { region: device.region, brand: device.brand });
  let servicePoints = pointsOfLookup(lookup);
  if (lookup.status === 'unknown_brand') {
    // a brand the directory does not list: every point of the buyer's city
    const place = findCity(directory, device.region);
    servicePoints = place ? directory.points.filter((p) => p.province === place.province && p.city === place.city) : [];
  }
  const place = 'province' in lookup ? { province: lookup.province, city: lookup.city, place: lookup.place } : findCity(directory, device.region);
  return {
    shopName: shop.name,
    policy: { id: policy.id, version: policy.version, nameZh: policy.nameZh },
    policyClauses: Object.values(policy.clauses),
    servicePoints,
    servicePointLookup: {
      status: lookup.status,
      province: place?.province ?? null,
      city: place?.city ?? null,
      place: place?.place ?? null,
      brand: 'brand' in lookup && typeof lookup.brand === 'object' ? { id: lookup.brand.id, zh: lookup.brand.zh, en: lookup.brand.en } : null,
    },
    brands: directory.brands.map((b) => ({ id: b.id, zh: b.zh, en: b.en })),
    selfFixes: (Object.keys(selfFixes) as SelfFixId[]).map((id) => {
      const symptom = symptoms.find((s) => (s.selfFixes as readonly string[]).includes(id));
      return { id, zh: selfFixes[id].zh, en: selfFixes[id].en, problemZh: symptom?.zh ?? '', problemEn: symptom?.en ?? '' };
    }),
    hotline: returnContact.hotline,
    returnContact,
    region: splitRegion(device.region).district,
    device,
  };
}
