/**
 * S5.4, S5.6, S5.8 the dispatch register (售后派出登记): registered when a
 * record goes to a lead (or by hand for a later visit), the notice to the
 * customer when the site cannot be reached the same or the next day, the
 * arrival, completion when the record is filed. One transaction each.
 */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { parseInstant, shanghaiDate } from '../../core/service/dates.ts';
import {
  applyDispatchAction,
  openDispatchesByAge,
  registerDispatch,
  type DispatchAction,
  type DispatchCommand,
  type DispatchPurpose,
} from '../../core/service/dispatch.ts';
import { isOpenRepairStatus, type RepairRecord } from '../../core/service/repair-record.ts';
import type { ServiceContext } from '../../core/service/service-context.ts';
import type { Q } from '../../db/order-repository.ts';
import {
  findDispatch,
  findServiceRecord,
  findServiceRecordsByIds,
  insertDispatch,
  listDispatches,
  listDispatchesOfRecords,
  updateDispatch,
  type StoredDispatch,
} from '../../db/service-repository.ts';
import { requirePermission, type Permission } from '../access.ts';
import type { AppContext } from '../context.ts';
import { leadInShop, notFound, recordChange, serviceContextOf, staleVersion } from './common.ts';
import { dispatchView, type DispatchView } from './views.ts';

/** Where a record's next visit stands: an inspection first for paid work (S5.5), its clock from the customer's yes for the repair after it. */
function visitOf(record: RepairRecord): { purpose: DispatchPurpose; clockStartsAt: string } {
  if (record.customerDecision?.accepted) return { purpose: 'repair', clockStartsAt: record.customerDecision.at };
  return { purpose: record.billing === 'paid' ? 'inspection' : 'repair', clockStartsAt: record.call.at };
}

/** Where the lead goes: the archive's site, else what the request names; an emergency without its archive yet says so. */
function destinationOf(record: RepairRecord, given: string | null | undefined): string {
  return given?.trim() || record.product?.siteAddress || '地址待补充（紧急维修先行）';
}

/**
 * Registers a dispatch inside the caller's transaction: the record's `next`
 * (register_dispatch) or a registration by hand. `arrivedAt`: an emergency's
 * lead already on site (S5.8).
 */
export async function registerDispatchIn(
  trx: Q,
  options: {
    actor: Actor;
    sctx: ServiceContext;
    recordId: number;
    record: RepairRecord;
    lead: { userId: number; name: string };
    plannedOn?: string | null | undefined;
    destination?: string | null | undefined;
    note?: string | null | undefined;
    arrivedAt?: string | null | undefined;
  },
): Promise<StoredDispatch> {
  const { actor, sctx, record } = options;
  const visit = visitOf(record);
  const dispatch = registerDispatch(
    {
      recordId: options.recordId,
      calledAt: record.call.at,
      clockStartsAt: visit.clockStartsAt,
      lead: options.lead,
      purpose: visit.purpose,
      destination: destinationOf(record, options.destination),
      plannedOn: options.plannedOn,
      arrivedAt: options.arrivedAt,
    },
    sctx,
  );
  const saved = await insertDispatch(trx, { shopId: actor.shopId, dispatch, note: options.note?.trim() || null });
  await recordChange(trx, {
    actor,
    at: sctx.now,
    subject: 'dispatch',
    subjectId: saved.id,
    recordId: options.recordId,
    version: 1,
    action: 'register',
    fromStatus: null,
    toStatus: dispatch.status,
    data: { lead: dispatch.lead, purpose: dispatch.purpose, deadlineAt: dispatch.deadlineAt, plannedOn: dispatch.plannedOn, retroactive: dispatch.retroactive },
  });
  return saved;
}

/** One dispatch action inside the caller's transaction, with its history and audit rows. */
export async function applyDispatchIn(trx: Q, options: { actor: Actor; sctx: ServiceContext; before: StoredDispatch; command: DispatchCommand }): Promise<StoredDispatch> {
  const change = applyDispatchAction(options.before.dispatch, options.command, options.sctx);
  const saved = await updateDispatch(trx, options.before, change.record);
  await recordChange(trx, {
    actor: options.actor,
    at: options.sctx.now,
    subject: 'dispatch',
    subjectId: saved.id,
    recordId: saved.dispatch.recordId,
    version: saved.version,
    action: change.action,
    fromStatus: change.from,
    toStatus: change.to,
    data: change.data,
  });
  return saved;
}

/** The planned day: a date, or an instant read as its Shanghai day. */
function plannedDay(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null || value === '') return value;
  const at = /T/.test(value) ? parseInstant(value) : null;
  return at ? shanghaiDate(at) : value;
}

/**
 * S5.4: registers a dispatch by hand (another visit: the repair after a paid
 * inspection, a second lead). The lead defaults to the record's; a lead
 * registers only their own records' visits; one open dispatch per lead and record.
 */
export async function registerServiceDispatch(
  ctx: AppContext,
  options: {
    actor: Actor;
    recordId: number;
    leadUserId?: number | undefined;
    plannedArrival?: string | null | undefined;
    destination?: string | null | undefined;
    note?: string | null | undefined;
  },
): Promise<DispatchView> {
  const { actor } = options;
  requirePermission(actor, 'service.dispatch.register');
  const sctx = serviceContextOf(ctx, actor);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const stored = await findServiceRecord(trx, { shopId: actor.shopId, id: options.recordId, lock: true });
    if (!stored) throw notFound('repair record', options.recordId);
    const record = stored.record;
    if (!isOpenRepairStatus(record.status)) {
      throw new AppError('ACTION_NOT_ALLOWED', `The record is ${record.status}; no visit is registered for it any more.`, { reason: 'record_final', status: record.status });
    }
    if (record.assignee === null) {
      throw new AppError('ACTION_NOT_ALLOWED', 'S5.4: the record goes to a lead first; assigning it registers the dispatch.', { reason: 'not_assigned', status: record.status });
    }
    if (actor.role === 'field_lead' && record.assignee.userId !== sctx.actor.userId) {
      throw new AppError('FORBIDDEN', `S5.4: only the lead the record is assigned to (${record.assignee.name}) registers its visits.`, {
        reason: 'not_assignee',
        permission: 'service.dispatch.register',
      });
    }
    const leadUserId = options.leadUserId ?? record.assignee.userId;
    const lead = await leadInShop(trx, { shopId: actor.shopId, userId: leadUserId, unit: record.assignee.unit, field: 'leadUserId' });
    if (lead.role !== 'field_lead') {
      throw new AppError('ASSIGNEE_NOT_ELIGIBLE', `S5.4: a dispatch sends a project lead or an R&D/production lead (role field_lead); ${lead.name} has the role ${lead.role}.`, {
        field: 'leadUserId',
        reason: 'lead_not_field_lead',
        userId: lead.userId,
        role: lead.role,
      });
    }
    const open = (await listDispatchesOfRecords(trx, actor.shopId, [stored.id])).find(
      (d) => d.dispatch.lead.userId === lead.userId && (d.dispatch.status === 'registered' || d.dispatch.status === 'on_site'),
    );
    if (open) {
      throw new AppError('ACTION_NOT_ALLOWED', `${lead.name} already has an open dispatch (${open.id}) for this record.`, { reason: 'dispatch_open', dispatchId: open.id });
    }
    const saved = await registerDispatchIn(trx, {
      actor,
      sctx,
      recordId: stored.id,
      record,
      lead: { userId: lead.userId, name: lead.name },
      plannedOn: plannedDay(options.plannedArrival),
      destination: options.destination,
      note: options.note,
    });
    return dispatchView(saved, record, sctx.now);
  });
}

/** S5.6, S5.8: a notice to the customer, the arrival, completion or cancellation, at the version seen. */
export async function actOnServiceDispatch(
  ctx: AppContext,
  options: { actor: Actor; id: number; version: number; action: DispatchAction; input: Record<string, unknown> },
): Promise<DispatchView> {
  const { actor } = options;
  requirePermission(actor, `service.dispatch.${options.action}` as Permission);
  const sctx = serviceContextOf(ctx, actor);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await findDispatch(trx, { shopId: actor.shopId, id: options.id, lock: true });
    if (!before) throw notFound('dispatch', options.id);
    if (before.version !== options.version) throw staleVersion('dispatch', before.version, options.version);
    const saved = await applyDispatchIn(trx, { actor, sctx, before, command: { ...options.input, action: options.action } as DispatchCommand });
    const record = await findServiceRecord(trx, { shopId: actor.shopId, id: saved.dispatch.recordId });
    return dispatchView(saved, record?.record ?? null, sctx.now);
  });
}

/** S5.6: the register; `open`: the dispatches not yet complete, the oldest clock first. */
export async function listServiceDispatches(
  ctx: AppContext,
  options: { actor: Actor; open?: boolean | undefined; recordId?: number | undefined; limit: number },
): Promise<DispatchView[]> {
  requirePermission(options.actor, 'service.read');
  const db = ctx.db.kysely;
  const now = ctx.clock.now();
  const rows = await listDispatches(db, {
    shopId: options.actor.shopId,
    statuses: options.open ? ['registered', 'on_site'] : undefined,
    recordId: options.recordId,
    limit: options.limit,
  });
  const records = await findServiceRecordsByIds(db, options.actor.shopId, rows.map((d) => d.dispatch.recordId));
  const ordered = options.open ? openDispatchesByAge(rows, now).map((r) => r.item) : rows;
  return ordered.map((d) => dispatchView(d, records.get(d.dispatch.recordId)?.record ?? null, now));
}

export type { StoredDispatch };
