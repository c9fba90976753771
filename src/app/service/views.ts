/**
 * The service desk's answers (S5): an archive with its warranty today, a
 * record with what the caller may do next, its reminders and its follow-up
 * task, a dispatch against its clock. Built from the stored core objects and
 * the clock; the http layer masks the customers' phones and addresses for
 * every role (as buyers' are), and ./reveal.ts shows them, audited, to the
 * roles that need them.
 */
import { warrantyStatus } from '../../core/service/archive.ts';
import { shanghaiDate } from '../../core/service/dates.ts';
import { dispatchFlags } from '../../core/service/dispatch.ts';
import { followUpTask } from '../../core/service/follow-up.ts';
import {
  availableRepairActions,
  isIncomplete,
  paperworkGaps,
  recordOwner,
  remindersDue,
  type RepairRecord,
} from '../../core/service/repair-record.ts';
import type { ServiceActor } from '../../core/service/service-context.ts';
import type { ArchiveSummary, ArchiveView, DispatchView, RecordView, RepairRecordSummary } from '../../contract/service-views.ts';
import type { ServiceEvent, StoredArchive, StoredDispatch, StoredServiceRecord } from '../../db/service-repository.ts';


export function archiveView(a: StoredArchive, now: Date): ArchiveView {
  return { id: a.id, ...a.archive, warranty: warrantyStatus(a.archive, shanghaiDate(now)), version: a.version };
}


export function recordSummary(r: StoredServiceRecord): RepairRecordSummary {
  const rec = r.record;
  return {
    id: r.id,
    status: rec.status,
    calledAt: rec.call.at,
    callerName: rec.call.callerName,
    fault: rec.call.fault,
    coverage: rec.coverage,
    billing: rec.billing,
    assignee: rec.assignee,
    incomplete: isIncomplete(rec),
    version: r.version,
    updatedAt: rec.updatedAt,
  };
}


export function archiveSummaryOf(record: RepairRecord): ArchiveSummary | null {
  const p = record.product;
  return p
    ? { archiveId: p.archiveId, organisation: p.organisation, contact: p.contact, phone: p.phone, product: p.product, serialNo: p.serialNo, siteAddress: p.siteAddress }
    : null;
}


export function recordView(r: StoredServiceRecord, archive: StoredArchive | null, actor: ServiceActor, now: Date): RecordView {
  const rec = r.record;
  return {
    id: r.id,
    status: rec.status,
    archive: archive ? archiveView(archive, now) : null,
    record: rec,
    callerOrganisation: r.callerOrganisation,
    allowedActions: availableRepairActions(rec, actor),
    incomplete: isIncomplete(rec),
    gaps: paperworkGaps(rec),
    reminders: remindersDue(rec, now),
    followUp: followUpTask(rec, now),
    owner: recordOwner(rec),
    version: r.version,
    createdAt: rec.createdAt,
    updatedAt: rec.updatedAt,
  };
}


export function dispatchView(d: StoredDispatch, record: RepairRecord | null, now: Date): DispatchView {
  const x = d.dispatch;
  return {
    id: d.id,
    recordId: x.recordId,
    status: x.status,
    purpose: x.purpose,
    lead: { userId: x.lead.userId, displayName: x.lead.name },
    callAt: x.calledAt,
    clockStartsAt: x.clockStartsAt,
    deadlineAt: x.deadlineAt,
    flags: dispatchFlags(x, now),
    notice: x.notices[x.notices.length - 1] ?? null,
    notices: x.notices,
    plannedOn: x.plannedOn,
    destination: x.destination,
    note: d.note,
    retroactive: x.retroactive,
    registeredAt: x.registeredAt,
    registeredBy: x.registeredBy,
    arrivedAt: x.arrivedAt,
    completedAt: x.completed?.at ?? null,
    cancelled: x.cancelled,
    ageHours: Math.floor((now.getTime() - new Date(x.clockStartsAt).getTime()) / 3_600_000),
    version: d.version,
    archive: record ? archiveSummaryOf(record) : null,
  };
}

export type { ServiceEvent };
export type { ArchiveSummary, ArchiveView, DispatchView, RecordView, RepairRecordSummary };
