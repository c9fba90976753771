/**
 * The service desk's answers (S5): an archive with its warranty today, a
 * record with what the caller may do next, its reminders and its follow-up
 * task, a dispatch against its clock. Built from the stored core objects and
 * the clock; the http layer masks the customers' phones and addresses for
 * every role (as buyers' are), and ./reveal.ts shows them, audited, to the
 * roles that need them.
 */
import { warrantyStatus, type ServiceArchive, type WarrantyStatus } from '../../core/service/archive.ts';
import { shanghaiDate } from '../../core/service/dates.ts';
import { dispatchFlags, type DispatchTiming } from '../../core/service/dispatch.ts';
import { followUpTask, type FollowUpTask } from '../../core/service/follow-up.ts';
import {
  availableRepairActions,
  isIncomplete,
  paperworkGaps,
  recordOwner,
  remindersDue,
  type PaperworkGap,
  type RecordOwner,
  type Reminder,
  type RepairAction,
  type RepairRecord,
  type RepairStatus,
} from '../../core/service/repair-record.ts';
import type { ServiceActor } from '../../core/service/service-context.ts';
import type { ServiceEvent, StoredArchive, StoredDispatch, StoredServiceRecord } from '../../db/service-repository.ts';

export type ArchiveView = ServiceArchive & { id: number; warranty: WarrantyStatus; version: number };

export function archiveView(a: StoredArchive, now: Date): ArchiveView {
  return { id: a.id, ...a.archive, warranty: warrantyStatus(a.archive, shanghaiDate(now)), version: a.version };
}

/** A record in an archive's list. */
export interface RepairRecordSummary {
  id: number;
  status: RepairStatus;
  calledAt: string;
  callerName: string | null;
  fault: string | null;
  coverage: RepairRecord['coverage'];
  billing: RepairRecord['billing'];
  assignee: RepairRecord['assignee'];
  incomplete: boolean;
  version: number;
  updatedAt: string;
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

/** What a dispatch or a follow-up names of the product: from the record's snapshot of its archive. */
export interface ArchiveSummary {
  archiveId: number;
  organisation: string;
  contact: string;
  phone: string;
  product: string;
  serialNo: string;
  siteAddress: string;
}

export function archiveSummaryOf(record: RepairRecord): ArchiveSummary | null {
  const p = record.product;
  return p
    ? { archiveId: p.archiveId, organisation: p.organisation, contact: p.contact, phone: p.phone, product: p.product, serialNo: p.serialNo, siteAddress: p.siteAddress }
    : null;
}

export interface RecordView {
  id: number;
  status: RepairStatus;
  /** the archive as it is today (null: an emergency's record not linked yet); the record keeps its own snapshot in record.product */
  archive: ArchiveView | null;
  record: RepairRecord;
  /** who called for the organisation, when the caller named one */
  callerOrganisation: string | null;
  allowedActions: RepairAction[];
  /** S5.8: an emergency's paperwork is missing */
  incomplete: boolean;
  gaps: PaperworkGap[];
  reminders: Reminder[];
  /** S5.7 */
  followUp: FollowUpTask | null;
  /** who the record waits on (S5.6) */
  owner: RecordOwner | null;
  version: number;
  createdAt: string;
  updatedAt: string;
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

export interface DispatchView {
  id: number;
  recordId: number;
  status: StoredDispatch['dispatch']['status'];
  purpose: StoredDispatch['dispatch']['purpose'];
  lead: { userId: number; displayName: string };
  /** the record's call: the clock of S5.8 runs from it (or from `clockStartsAt` for a later visit) */
  callAt: string;
  clockStartsAt: string;
  deadlineAt: string;
  flags: DispatchTiming;
  /** the latest notice to the customer, and all of them */
  notice: StoredDispatch['dispatch']['notices'][number] | null;
  notices: StoredDispatch['dispatch']['notices'];
  plannedOn: string | null;
  destination: string;
  note: string | null;
  retroactive: boolean;
  registeredAt: string;
  registeredBy: StoredDispatch['dispatch']['registeredBy'];
  arrivedAt: string | null;
  completedAt: string | null;
  cancelled: StoredDispatch['dispatch']['cancelled'];
  /** whole hours since its clock started */
  ageHours: number;
  version: number;
  archive: ArchiveSummary | null;
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
