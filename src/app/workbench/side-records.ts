/**
 * The records of S1's side processes, one generic store over the pure state
 * machines of src/core/workbench: lost-parcel claims (S1.7), the invoice book
 * (S1.8), postage compensation (S1.14), courier tasks (S1.6, S1.19),
 * department tasks (S1.10) and complaints (S1.17; S4.7 phone case, S4.8
 * escalation and the telecom operator).
 */
import { AppError } from '../../core/errors.ts';
import type { Actor, Role } from '../../core/roles.ts';
import { applyClaimAction, claimActionRoles, openClaim, type Claim, type ClaimCommand } from '../../core/workbench/claim.ts';
import { applyInvoiceAction, createInvoice, invoiceActionRoles, type Invoice, type InvoiceCommand } from '../../core/workbench/invoice.ts';
import {
  applyPostageAction,
  createPostageRequest,
  postageActionRoles,
  postageOwedBecause,
  type PostageCommand,
  type PostageOwedFacts,
  type PostageRequest,
} from '../../core/workbench/postage.ts';
import {
  applyComplaintAction,
  applyCourierTaskAction,
  applyDepartmentTaskAction,
  complaintActionRoles,
  courierTaskActionRoles,
  departmentTaskActionRoles,
  departmentTaskRemark,
  openComplaint,
  openCourierTask,
  openDepartmentTask,
  type Complaint,
  type ComplaintCommand,
  type CourierTask,
  type CourierTaskCommand,
  type DepartmentTask,
  type DepartmentTaskCommand,
} from '../../core/workbench/tasks.ts';
import { findOrderById, findOrderByNo, type Q } from '../../db/order-repository.ts';
import { findRefund } from '../../db/refund-repository.ts';
import { assertOrderVisible, requirePermission } from '../access.ts';
import type { AppContext } from '../context.ts';
import { cachedShopSettings } from '../shops.ts';
import { findRecord, insertRecord, listRecordEvents, recordRowToRecord, updateRecord, type StoredRecord } from './record-store.ts';
import { writeMilestoneRemark } from './refund-work.ts';
import { assertEvidenceRefs } from '../evidence.ts';

export const sideRecordKinds = ['claim', 'invoice', 'postage', 'courier_task', 'department_task', 'complaint'] as const;
export type SideRecordKind = (typeof sideRecordKinds)[number];

interface Created {
  record: object;
  status: string;
  amountFen: number | null;
  remark: string | null;
}

interface Changed {
  record: object;
  to: string;
  data: Record<string, unknown>;
  amountFen: number | null;
  remark: string | null;
}

interface KindSpec {
  /** does the record need an order of the shop; a refund */
  order: 'required' | 'optional';
  actionRoles: Readonly<Record<string, readonly Role[]>>;
  create(input: Record<string, unknown>, ctx: { now: Date; extra: Record<string, unknown> }): Created;
  apply(record: object, command: { action: string } & Record<string, unknown>, ctx: { now: Date }): Changed;
}

const specs: Record<SideRecordKind, KindSpec> = {
  claim: {
    order: 'required',
    actionRoles: claimActionRoles,
    create: (input, c) => {
      const claim = openClaim(input as never, c);
      return { record: claim, status: claim.status, amountFen: claim.itemPriceFen, remark: null };
    },
    apply: (record, command, c) => {
      const change = applyClaimAction(record as Claim, command as ClaimCommand, c);
      return { record: change.record, to: change.to, data: change.data, amountFen: change.record.itemPriceFen, remark: change.orderRemark };
    },
  },
  invoice: {
    order: 'required',
    actionRoles: invoiceActionRoles,
    create: (input, c) => {
      const invoice = createInvoice(input as never, c);
      return { record: invoice, status: invoice.status, amountFen: invoice.amountFen, remark: null };
    },
    apply: (record, command, c) => {
      const change = applyInvoiceAction(record as Invoice, command as InvoiceCommand, c);
      return { record: change.record, to: change.to, data: change.data, amountFen: change.record.amountFen, remark: null };
    },
  },
  postage: {
    order: 'required',
    actionRoles: postageActionRoles,
    create: (input, c) => {
      const request = createPostageRequest({ ...input, ...c.extra } as never, c);
      return { record: request, status: request.status, amountFen: request.amountFen, remark: null };
    },
    apply: (record, command, c) => {
      const change = applyPostageAction(record as PostageRequest, command as PostageCommand, c);
      return { record: change.record, to: change.to, data: change.data, amountFen: change.record.amountFen, remark: null };
    },
  },
  courier_task: {
    order: 'required',
    actionRoles: courierTaskActionRoles,
    create: (input, c) => {
      const task = openCourierTask(input as never, c);
      return { record: task, status: task.status, amountFen: null, remark: null };
    },
    apply: (record, command, c) => {
      const change = applyCourierTaskAction(record as CourierTask, command as CourierTaskCommand, c);
      return { record: change.record, to: change.to, data: { ...change.data, next: change.next }, amountFen: null, remark: change.orderRemark };
    },
  },
  department_task: {
    order: 'required',
    actionRoles: departmentTaskActionRoles,
    create: (input, c) => {
      const task = openDepartmentTask(input as never, c);
      // S1.10: remark the shoe's exact problem on the order, for later handling
      return { record: task, status: task.status, amountFen: null, remark: departmentTaskRemark(task) };
    },
    apply: (record, command, c) => {
      const change = applyDepartmentTaskAction(record as DepartmentTask, command as DepartmentTaskCommand, c);
      return { record: change.record, to: change.to, data: change.data, amountFen: null, remark: null };
    },
  },
  complaint: {
    order: 'optional',
    actionRoles: complaintActionRoles,
    create: (input, c) => {
      const complaint = openComplaint(input as never, c);
      return { record: complaint, status: complaint.status, amountFen: null, remark: null };
    },
    apply: (record, command, c) => {
      const change = applyComplaintAction(record as Complaint, command as ComplaintCommand, c);
      return { record: change.record, to: change.to, data: change.data, amountFen: null, remark: null };
    },
  },
};

/** The evidence references a record carries: a department task's photos (S1.10). */
function evidenceOf(record: object): string[] {
  const photos = (record as { photos?: unknown }).photos;
  return Array.isArray(photos) ? photos.filter((p): p is string => typeof p === 'string') : [];
}

export function isSideRecordKind(kind: string): kind is SideRecordKind {
  return (sideRecordKinds as readonly string[]).includes(kind);
}

async function orderAndRefund(trx: Q, actor: Actor, input: Record<string, unknown>, need: 'required' | 'optional') {
  const orderNo = typeof input.orderNo === 'string' ? input.orderNo.trim() : '';
  if (!orderNo && need === 'required') {
    throw new AppError('VALIDATION_FAILED', 'The order number (orderNo) is required.', { field: 'orderNo', reason: 'order_no_required' });
  }
  const order = orderNo ? await findOrderByNo(trx, { shopId: actor.shopId, orderNo, lock: true }) : null;
  if (orderNo) assertOrderVisible(actor, order, `Order ${orderNo}`);
  let refundId: number | null = null;
  if (input.refundId !== undefined && input.refundId !== null) {
    const id = input.refundId;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 2_147_483_647) {
      throw new AppError('VALIDATION_FAILED', 'The refund id (refundId) is a whole number.', { field: 'refundId', reason: 'refund_id_invalid' });
    }
    const found = await findRefund(trx, { shopId: actor.shopId, refundId: id });
    if (!found || (order && found.orderId !== order.id)) throw new AppError('NOT_FOUND', `Refund ${String(input.refundId)} was not found on this order.`, {});
    refundId = found.id;
  }
  return { order, refundId };
}

/** Opens a record of a side process; its milestone remark (if any) goes on the order in the same transaction. */
export async function createSideRecord(ctx: AppContext, options: { actor: Actor; kind: SideRecordKind; input: Record<string, unknown> }): Promise<StoredRecord> {
  const { actor, kind, input } = options;
  requirePermission(actor, 'workbench.refund.work');
  const spec = specs[kind];
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const { order, refundId } = await orderAndRefund(trx, actor, input, spec.order);
    const extra: Record<string, unknown> = {};
    if (kind === 'postage') {
      if (refundId === null) throw new AppError('VALIDATION_FAILED', 'S1.14: postage is paid back for one refund (refundId).', { field: 'refundId', reason: 'refund_id_required' });
      const refund = (await findRefund(trx, { shopId: actor.shopId, refundId }))!;
      // S1.14/S1.10: the postage follows the real cause, not the platform reason the buyer was guided to pick
      const [cause, corrections] = await Promise.all([
        trx.selectFrom('refunds').select('root_cause').where('id', '=', refundId).executeTakeFirst(),
        trx.selectFrom('records').select('data').where('refund_id', '=', refundId).where('kind', '=', 'reason_correction').orderBy('id').execute(),
      ]);
      const owedBecause = postageOwedBecause({
        status: refund.status,
        reason: refund.reason,
        rootCause: cause?.root_cause ?? null,
        corrections: corrections.map((c) => JSON.parse(c.data) as PostageOwedFacts['corrections'][number]),
      });
      if (owedBecause === null) {
        throw new AppError(
          'ACTION_NOT_ALLOWED',
          'S1.14/S1.10: the shop pays the return postage back once the refund succeeded, when it was the shop\'s fault: a quality, damaged or not-as-described reason, such a reason the buyer changed on our advice (a recorded reason correction), or a root cause that is the shop\'s (quality defect, not as pictured, wrong item sent, damaged in transit).',
          { reason: 'postage_not_owed', refundStatus: refund.status, refundReason: refund.reason, rootCause: cause?.root_cause ?? null },
        );
      }
      extra.owedBecause = owedBecause;
      const earlier = await trx
        .selectFrom('records')
        .select('id')
        .where('kind', '=', 'postage')
        .where('refund_id', '=', refundId)
        .where('status', '!=', 'cancelled')
        .executeTakeFirst();
      if (earlier) {
        throw new AppError('ACTION_NOT_ALLOWED', 'S1.14: this refund\'s return postage was already requested or paid; one refund never pays postage twice.', {
          reason: 'postage_already_requested',
          recordId: earlier.id,
        });
      }
      const settings = await cachedShopSettings(ctx, trx, actor.shopId);
      const sku = order?.lines.find((l) => refund.lineNo === null || l.lineNo === refund.lineNo)?.sku;
      const product = sku ? await trx.selectFrom('products').select('style_category').where('shop_id', '=', actor.shopId).where('sku', '=', sku).executeTakeFirst() : undefined;
      extra.table = settings.postageTable;
      // the table's row comes from the order and the product, never from the request: another amount needs an override with a reason
      extra.province = order!.buyer.address.province;
      extra.styleCategory = product?.style_category ?? order!.lines.find((l) => refund.lineNo === null || l.lineNo === refund.lineNo)?.style ?? '';
    }
    const created = spec.create({ ...input, ...(order ? { orderNo: order.orderNo } : {}), ...(refundId !== null ? { refundId } : {}) }, { now, extra });
    // the files a record cites are the shop's and belong to its refund (or to this new record alone)
    const refs = evidenceOf(created.record);
    if (refs.length > 0) await assertEvidenceRefs(trx, { shopId: actor.shopId, refs, usedBy: { refundId }, field: 'photos' });
    const record = await insertRecord(trx, {
      actor,
      kind,
      status: created.status,
      orderId: order?.id ?? null,
      refundId,
      data: created.record,
      amountFen: created.amountFen,
      at: now,
    });
    if (created.remark && order) await writeMilestoneRemark(trx, { actor, order, text: created.remark, at: now });
    return record;
  });
}

/** One action on a record, by a role the kind's table allows, at the version the caller saw. */
export async function actOnSideRecord(
  ctx: AppContext,
  options: { actor: Actor; kind: SideRecordKind; id: number; version: number; action: string; input: Record<string, unknown> },
): Promise<StoredRecord> {
  const { actor, kind } = options;
  requirePermission(actor, 'workbench.records.act');
  const spec = specs[kind];
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await findRecord(trx, { shopId: actor.shopId, kind, id: options.id });
    if (!before) throw new AppError('NOT_FOUND', `The ${kind.replace('_', ' ')} ${options.id} was not found.`, {});
    const roles = Object.prototype.hasOwnProperty.call(spec.actionRoles, options.action) ? spec.actionRoles[options.action] : undefined;
    if (!roles) {
      throw new AppError('ACTION_NOT_ALLOWED', `A ${kind.replace('_', ' ')} has no action ${options.action}.`, { allowedActions: Object.keys(spec.actionRoles) });
    }
    if (!roles.includes(actor.role)) {
      throw new AppError('FORBIDDEN', `The role ${actor.role} may not ${options.action} a ${kind.replace('_', ' ')}.`, { allowedRoles: roles, permission: `${kind}.${options.action}` });
    }
    if (before.version !== options.version) {
      throw new AppError('VERSION_CONFLICT', `This ${kind.replace('_', ' ')} is at version ${before.version}; reload it.`, { currentVersion: before.version });
    }
    const change = spec.apply(before.data, { ...options.input, action: options.action }, { now });
    const saved = await updateRecord(trx, {
      actor,
      before,
      action: options.action,
      status: change.to,
      data: change.record,
      amountFen: change.amountFen,
      eventData: change.data,
      at: now,
    });
    if (change.remark && before.orderId !== null) {
      const order = await trx.selectFrom('orders').select('id').where('id', '=', before.orderId).executeTakeFirst();
      if (order) {
        const full = await findOrderById(trx, { orderId: order.id });
        if (full) await writeMilestoneRemark(trx, { actor, order: full, text: change.remark, at: now });
      }
    }
    return saved;
  });
}

export async function getSideRecord(ctx: AppContext, options: { actor: Actor; kind: SideRecordKind; id: number }) {
  requirePermission(options.actor, 'workbench.records.read');
  const record = await findRecord(ctx.db.kysely, { shopId: options.actor.shopId, kind: options.kind, id: options.id });
  if (!record) throw new AppError('NOT_FOUND', `The ${options.kind.replace('_', ' ')} ${options.id} was not found.`, {});
  const order = record.orderId ? await ctx.db.kysely.selectFrom('orders').select('order_no').where('id', '=', record.orderId).executeTakeFirst() : undefined;
  return { record, orderNo: order?.order_no ?? null, events: await listRecordEvents(ctx.db.kysely, record.id), allowedActions: allowedFor(options.kind, record, options.actor.role) };
}

function allowedFor(kind: SideRecordKind, record: StoredRecord, role: Role): string[] {
  const spec = specs[kind];
  return Object.keys(spec.actionRoles).filter((action) => {
    if (!spec.actionRoles[action]!.includes(role)) return false;
    try {
      spec.apply(record.data, { action, __probe: true }, { now: new Date() });
      return true;
    } catch (e) {
      // a refusal for the missing input still means the action is open from this status
      return (e as { code?: string }).code === 'VALIDATION_FAILED';
    }
  });
}

export async function listSideRecords(
  ctx: AppContext,
  options: { actor: Actor; kind: SideRecordKind; status?: string | undefined; orderNo?: string | undefined; beforeId?: number | undefined; limit: number },
): Promise<(StoredRecord & { orderNo: string | null })[]> {
  requirePermission(options.actor, 'workbench.records.read');
  let q = ctx.db.kysely
    .selectFrom('records')
    .leftJoin('orders', 'orders.id', 'records.order_id')
    .selectAll('records')
    .select('orders.order_no')
    .where('records.shop_id', '=', options.actor.shopId)
    .where('records.kind', '=', options.kind);
  if (options.status) q = q.where('records.status', '=', options.status);
  if (options.orderNo) q = q.where('orders.order_no', '=', options.orderNo);
  if (options.beforeId) q = q.where('records.id', '<', options.beforeId);
  const rows = await q.orderBy('records.id', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({ ...recordRowToRecord(r), orderNo: r.order_no }));
}

