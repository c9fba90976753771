/**
 * S5.3–S5.8 the service and repair record (售后服务及维修记录单): the clerk
 * records the call and learns at once whether the product is in warranty;
 * each action after that moves the record by the core's machine, at the
 * version seen, and the core's `next` (register, cancel or complete the
 * dispatches, schedule the follow-up call) happens in the same transaction.
 */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { followUpTask } from '../../core/service/follow-up.ts';
import {
  applyRepairAction,
  isIncomplete,
  openRepairRecord,
  type AssigneeInput,
  type LinkedArchive,
  type RepairAction,
  type RepairChange,
  type RepairCommand,
  type RepairNext,
  type RepairRecord,
  type RepairStatus,
} from '../../core/service/repair-record.ts';
import type { ServiceContext } from '../../core/service/service-context.ts';
import type { Q } from '../../db/order-repository.ts';
import {
  findArchive,
  findArchivesByIds,
  findServiceRecord,
  insertServiceRecord,
  listDispatchesOfRecords,
  listRecordHistory,
  listServiceRecords,
  updateServiceRecord,
  type FollowUpColumn,
  type RecordColumns,
  type ServiceEvent,
  type StoredServiceRecord,
} from '../../db/service-repository.ts';
import { requirePermission, type Permission } from '../access.ts';
import { assertEvidenceRefs } from '../evidence.ts';
import type { AppContext } from '../context.ts';
import { leadInShop, notFound, recordChange, serviceContextOf, staleVersion } from './common.ts';
import { applyDispatchIn, registerDispatchIn } from './dispatches.ts';
import { dispatchView, recordView, type DispatchView, type RecordView } from './views.ts';

/** The call as the API takes it (S5.3; S5.8 for the phone and the emergency). */
export interface OpenRecordInput {
  archiveId?: number | null | undefined;
  caller?: { name?: string | null | undefined; phone?: string | null | undefined; organisation?: string | null | undefined } | null | undefined;
  fault?: string | null | undefined;
  /** S5.8: solved during the call: true with `solution`, or { solution } */
  solvedOnPhone?: boolean | { solution?: string | null | undefined } | null | undefined;
  solution?: string | null | undefined;
  /** S5.8: the work starts before the paperwork: true (a lead opening it for himself), or the details */
  emergency?:
    | boolean
    | {
        startedAt?: string | null | undefined;
        note?: string | null | undefined;
        assignee?: { userId?: number | undefined; unit?: string | undefined } | null | undefined;
        siteAddress?: string | null | undefined;
      }
    | null
    | undefined;
  calledAt?: string | null | undefined;
}

/** The indexed columns of a record, from the record itself. */
function columnsOf(record: RepairRecord, archiveId: number | null, now: Date): RecordColumns {
  let followUpStatus: FollowUpColumn | null = null;
  let followUpDueAt: string | null = null;
  const task = followUpTask(record, now);
  if (task) {
    followUpStatus = task.status === 'done' ? 'done' : task.status === 'unreached' ? 'unreached' : 'pending';
    followUpDueAt = task.dueAt;
  }
  return {
    archiveId,
    status: record.status,
    assigneeUserId: record.assignee?.userId ?? null,
    incomplete: isIncomplete(record),
    calledAt: record.call.at,
    followUpStatus,
    followUpDueAt,
  };
}

async function linkedArchive(trx: Q, shopId: number, archiveId: number | null | undefined, field: string): Promise<LinkedArchive | null> {
  if (archiveId === undefined || archiveId === null) return null;
  const found = await findArchive(trx, { shopId, id: archiveId });
  if (!found) throw new AppError('NOT_FOUND', `The service archive ${archiveId} was not found.`, { field });
  return { id: found.id, archive: found.archive };
}

const textOrNull = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/**
 * Carries out the core's `next` in the transaction of the change: registers
 * the dispatch of a lead the record went to, cancels the visits that will not
 * happen, marks the visits complete when the record is filed (S5.6).
 */
async function carryOut(
  trx: Q,
  options: { actor: Actor; sctx: ServiceContext; recordId: number; record: RepairRecord; next: readonly RepairNext[]; action: string; siteAddress?: string | null | undefined },
): Promise<void> {
  const { actor, sctx, recordId, record } = options;
  for (const step of options.next) {
    if (step === 'register_dispatch') {
      if (!record.assignee) continue;
      await registerDispatchIn(trx, {
        actor,
        sctx,
        recordId,
        record,
        lead: { userId: record.assignee.userId, name: record.assignee.name },
        destination: options.siteAddress,
        // S5.8: an emergency's lead is already at work on site
        arrivedAt: record.emergency && options.action === 'open' ? record.emergency.startedAt : null,
      });
      continue;
    }
    if (step === 'schedule_follow_up') continue; // the follow-up's columns come from the record (columnsOf)
    const dispatches = await listDispatchesOfRecords(trx, actor.shopId, [recordId]);
    if (step === 'cancel_open_dispatches') {
      for (const d of dispatches.filter((x) => x.dispatch.status === 'registered')) {
        // a lead cancels only his own visit; another lead's stays open for the clerk's review (S5.6)
        if (actor.role === 'field_lead' && d.dispatch.lead.userId !== sctx.actor.userId) continue;
        const reason = { cancel: '记录单已取消', decline_quote: '客户不维修', finish_work: '已电话解决' }[options.action] ?? '无需到场';
        await applyDispatchIn(trx, { actor, sctx, before: d, command: { action: 'cancel', reason } });
      }
    }
    if (step === 'complete_dispatches') {
      const notArrived = dispatches.filter((x) => x.dispatch.status === 'registered');
      if (notArrived.length > 0) {
        throw new AppError(
          'ACTION_NOT_ALLOWED',
          `S5.6: the dispatch register is marked complete when the record is filed, but dispatch ${notArrived.map((d) => d.id).join(', ')} has no arrival on record: record the arrival (or cancel the visit) first.`,
          { reason: 'dispatch_not_arrived', dispatchIds: notArrived.map((d) => d.id) },
        );
      }
      for (const d of dispatches.filter((x) => x.dispatch.status === 'on_site')) {
        await applyDispatchIn(trx, { actor, sctx, before: d, command: { action: 'complete' } });
      }
    }
  }
}

async function viewOf(db: Q, stored: StoredServiceRecord, ctx: ServiceContext): Promise<RecordView> {
  const archive = stored.archiveId === null ? null : await findArchive(db, { shopId: stored.shopId, id: stored.archiveId });
  return recordView(stored, archive, ctx.actor, ctx.now);
}

/** S5.3: records a hotline call; the answer says at once whether the product is in warranty and why (record.warranty). */
export async function openServiceRecord(ctx: AppContext, options: { actor: Actor; input: OpenRecordInput }): Promise<RecordView> {
  const { actor, input } = options;
  requirePermission(actor, 'service.record.open');
  const sctx = serviceContextOf(ctx, actor);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const archive = await linkedArchive(trx, actor.shopId, input.archiveId, 'archiveId');
    const e = input.emergency;
    let emergency: { startedAt?: string | null; note?: string | null; assignee: AssigneeInput } | null = null;
    let siteAddress: string | null = null;
    if (e === true || (typeof e === 'object' && e !== null)) {
      const details = typeof e === 'object' ? e : {};
      // a lead opening the record of his own emergency work (S5.8) is its assignee
      const chosen = details.assignee ?? (actor.role === 'field_lead' ? { userId: sctx.actor.userId, unit: 'project' } : null);
      if (!chosen) {
        throw new AppError('VALIDATION_FAILED', 'S5.8: an emergency record names the lead already at work (emergency.assignee {userId, unit}).', {
          field: 'emergency.assignee',
          reason: 'required',
        });
      }
      const assignee = await leadInShop(trx, { shopId: actor.shopId, userId: chosen.userId, unit: chosen.unit ?? 'project', field: 'emergency.assignee' });
      emergency = { startedAt: details.startedAt ?? null, note: details.note ?? null, assignee };
      siteAddress = textOrNull(details.siteAddress);
    }
    const solved = input.solvedOnPhone;
    const solvedOnPhone =
      solved === true ? { solution: input.solution ?? '' } : typeof solved === 'object' && solved !== null ? { solution: solved.solution ?? input.solution ?? '' } : null;
    const opened = openRepairRecord(
      {
        calledAt: input.calledAt,
        callerName: input.caller?.name,
        callerPhone: input.caller?.phone,
        fault: input.fault,
        archive,
        solvedOnPhone,
        emergency,
      },
      sctx,
    );
    const callerOrganisation = textOrNull(input.caller?.organisation)?.trim().slice(0, 100) ?? null;
    const stored = await insertServiceRecord(trx, {
      shopId: actor.shopId,
      record: opened.record,
      columns: columnsOf(opened.record, archive?.id ?? null, sctx.now),
      callerOrganisation,
      actorId: actor.kind === 'system' ? null : actor.id,
    });
    await recordChange(trx, {
      actor,
      at: sctx.now,
      subject: 'record',
      subjectId: stored.id,
      recordId: stored.id,
      version: 1,
      action: 'open',
      fromStatus: null,
      toStatus: opened.record.status,
      data: { archiveId: archive?.id ?? null, coverage: opened.record.coverage, emergency: opened.record.emergency !== null, solvedOnPhone: opened.record.phoneSolution !== null },
    });
    await carryOut(trx, { actor, sctx, recordId: stored.id, record: opened.record, next: opened.next, action: 'open', siteAddress });
    return viewOf(trx, stored, sctx);
  });
}

/** The core's command from the API's fields: leads and archives looked up in the shop, never taken from the request. */
async function commandOf(trx: Q, actor: Actor, action: RepairAction, input: Record<string, unknown>): Promise<RepairCommand> {
  const fields: Record<string, unknown> = { ...input };
  if (action === 'assign' || action === 'reassign') {
    const a = input.assignee as { userId?: unknown; unit?: unknown } | undefined | null;
    if (a && typeof a === 'object') fields.assignee = await leadInShop(trx, { shopId: actor.shopId, userId: a.userId, unit: a.unit, field: 'assignee' });
  }
  if (action === 'log_follow_up') {
    const { reached, satisfaction, comments, at } = input;
    return { action, outcome: { reached: reached as boolean, satisfaction: satisfaction as number | null | undefined, comments: comments as string | null | undefined, at: at as string | null | undefined } };
  }
  if (action === 'complete_paperwork') {
    const caller = (input.caller ?? {}) as { name?: string; phone?: string };
    const archive = await linkedArchive(trx, actor.shopId, input.archiveId as number | null | undefined, 'archiveId');
    return {
      action,
      callerName: (input.callerName as string | undefined) ?? caller.name,
      callerPhone: (input.callerPhone as string | undefined) ?? caller.phone,
      fault: input.fault as string | undefined,
      archive,
    };
  }
  return { ...fields, action } as RepairCommand;
}

/** One action on a record at the version seen, by the roles of the core's table; its `next` in the same transaction. */
export async function actOnServiceRecord(
  ctx: AppContext,
  options: { actor: Actor; id: number; version: number; action: RepairAction; input: Record<string, unknown> },
): Promise<RecordView> {
  const { actor, action } = options;
  requirePermission(actor, `service.record.${action}` as Permission);
  const sctx = serviceContextOf(ctx, actor);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await findServiceRecord(trx, { shopId: actor.shopId, id: options.id, lock: true });
    if (!before) throw notFound('repair record', options.id);
    if (before.version !== options.version) throw staleVersion('repair record', before.version, options.version);
    const command = await commandOf(trx, actor, action, options.input);
    const change: RepairChange = applyRepairAction(before.record, command, sctx);
    // issue 15 §7: the work's photos are this shop's uploaded files, not another refund's or record's
    const photos = change.record.work?.photos ?? [];
    if ((action === 'finish_work' || action === 'decline_quote') && photos.length > 0) {
      await assertEvidenceRefs(trx, { shopId: actor.shopId, refs: photos, usedBy: { refundId: null, recordId: null }, field: 'work.photos' });
    }
    const archiveId = change.record.product?.archiveId ?? before.archiveId;
    const saved = await updateServiceRecord(trx, before, change.record, columnsOf(change.record, archiveId, sctx.now));
    await recordChange(trx, {
      actor,
      at: sctx.now,
      subject: 'record',
      subjectId: saved.id,
      recordId: saved.id,
      version: saved.version,
      action,
      fromStatus: change.from,
      toStatus: change.to,
      data: change.data,
      auditDetails: change.next.length > 0 ? { next: change.next } : {},
    });
    if (action === 'reassign') await moveOpenVisit(trx, { actor, sctx, recordId: saved.id, record: change.record });
    await carryOut(trx, { actor, sctx, recordId: saved.id, record: change.record, next: change.next, action });
    return viewOf(trx, saved, sctx);
  });
}

/**
 * S5.4: the visit follows the record to its new lead: the old lead's dispatch
 * not yet on its way to the site is cancelled and one is registered for the
 * new lead on the same clock. (A visit already on site stays as it is.)
 */
async function moveOpenVisit(trx: Q, options: { actor: Actor; sctx: ServiceContext; recordId: number; record: RepairRecord }): Promise<void> {
  const { actor, sctx, recordId, record } = options;
  if (!record.assignee) return;
  const waiting = (await listDispatchesOfRecords(trx, actor.shopId, [recordId])).filter(
    (d) => d.dispatch.status === 'registered' && d.dispatch.lead.userId !== record.assignee!.userId,
  );
  for (const d of waiting) {
    await applyDispatchIn(trx, { actor, sctx, before: d, command: { action: 'cancel', reason: `改派给${record.assignee.name}` } });
  }
  if (waiting.length > 0) {
    await registerDispatchIn(trx, {
      actor,
      sctx,
      recordId,
      record,
      lead: { userId: record.assignee.userId, name: record.assignee.name },
      plannedOn: waiting[0]!.dispatch.plannedOn,
      destination: waiting[0]!.dispatch.destination,
      note: waiting[0]!.note,
    });
  }
}

/** A record with its history (its dispatches' too) and its dispatches. */
export type RecordDetail = RecordView & { events: ServiceEvent[]; dispatches: DispatchView[] };

/** A record with its history and its dispatches, read with `db`: the database, or the caller's transaction. */
export async function recordDetailIn(db: Q, options: { actor: Actor; id: number; sctx: ServiceContext }): Promise<RecordDetail> {
  const { actor, sctx } = options;
  const stored = await findServiceRecord(db, { shopId: actor.shopId, id: options.id });
  if (!stored) throw notFound('repair record', options.id);
  const [view, events, dispatches] = await Promise.all([
    viewOf(db, stored, sctx),
    listRecordHistory(db, actor.shopId, stored.id),
    listDispatchesOfRecords(db, actor.shopId, [stored.id]),
  ]);
  return { ...view, events, dispatches: dispatches.map((d) => dispatchView(d, stored.record, sctx.now)) };
}

/** A record with its history (its dispatches' too) and its dispatches. */
export async function getServiceRecord(ctx: AppContext, options: { actor: Actor; id: number }): Promise<RecordDetail> {
  requirePermission(options.actor, 'service.read');
  return recordDetailIn(ctx.db.kysely, { actor: options.actor, id: options.id, sctx: serviceContextOf(ctx, options.actor) });
}

export const openStatuses: readonly RepairStatus[] = ['awaiting_assignment', 'awaiting_decision', 'assigned', 'quoted', 'repairing', 'settling', 'work_done', 'returned'];

/** The records by status ('open': every status not final), owner (me, none, a user id), archive, incompleteness; newest first. */
export async function listServiceRecordsFor(
  ctx: AppContext,
  options: {
    actor: Actor;
    status?: RepairStatus | 'open' | undefined;
    owner?: 'me' | 'none' | number | undefined;
    archiveId?: number | undefined;
    incomplete?: boolean | undefined;
    limit: number;
    beforeId?: number | undefined;
  },
): Promise<RecordView[]> {
  requirePermission(options.actor, 'service.read');
  const db = ctx.db.kysely;
  const sctx = serviceContextOf(ctx, options.actor);
  const owner = options.owner;
  const rows = await listServiceRecords(db, {
    shopId: options.actor.shopId,
    statuses: options.status === undefined ? undefined : options.status === 'open' ? openStatuses : [options.status],
    assigneeUserId: owner === undefined ? undefined : owner === 'me' ? sctx.actor.userId : owner === 'none' ? null : owner,
    archiveId: options.archiveId,
    incomplete: options.incomplete,
    beforeId: options.beforeId,
    limit: options.limit,
  });
  const archives = await findArchivesByIds(db, options.actor.shopId, rows.flatMap((r) => (r.archiveId === null ? [] : [r.archiveId])));
  return rows.map((r) => recordView(r, r.archiveId === null ? null : (archives.get(r.archiveId) ?? null), sctx.actor, sctx.now));
}
