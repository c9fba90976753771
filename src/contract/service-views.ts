/**
 * The equipment service desk's answers (S5), one set of shapes for the server
 * that builds them (src/app/service/views.ts, desk.ts) and the web app that
 * reads them (web/src/agent/pages/service/model.ts): archives with their
 * warranty today, records with what the caller may do next, dispatches
 * against their clock, the review, the follow-up calls, the reminders, the
 * reports. Types only: the records' own shapes are the pure core's.
 */
import type { ServiceArchive, WarrantyStatus } from '../core/service/archive.ts';
import type { Dispatch, DispatchTiming, ReviewItem } from '../core/service/dispatch.ts';
import type { FollowUpTask, FollowUpTaskStatus } from '../core/service/follow-up.ts';
import type { PaperworkGap, RecordOwner, Reminder, RepairAction, RepairRecord, RepairStatus } from '../core/service/repair-record.ts';
import type { ResponseTimeReport, SatisfactionRow, WorkMixReport } from '../core/service/reports.ts';

export type ArchiveView = ServiceArchive & { id: number; warranty: WarrantyStatus; version: number };

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

export interface ArchiveDetail extends ArchiveView {
  records: RepairRecordSummary[];
}

export interface ArchivePage {
  items: (ArchiveView & { matched?: string[] })[];
  nextCursor: string | null;
}

/** A change of the archive, the record or one of its dispatches (subject). */
export interface RecordEvent {
  subject: 'archive' | 'record' | 'dispatch';
  subjectId: number;
  version: number;
  at: string;
  actorRole: string;
  actorName: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  data: Record<string, unknown>;
}

/** What a dispatch or a follow-up names of the product: the record's snapshot of its archive. */
export interface ArchiveSummary {
  archiveId: number;
  organisation: string;
  contact: string;
  phone: string;
  product: string;
  serialNo: string;
  siteAddress: string;
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

export interface DispatchView {
  id: number;
  recordId: number;
  status: Dispatch['status'];
  purpose: Dispatch['purpose'];
  lead: { userId: number; displayName: string };
  /** the record's call: the clock of S5.8 runs from it (or from `clockStartsAt` for a later visit) */
  callAt: string;
  clockStartsAt: string;
  deadlineAt: string;
  flags: DispatchTiming;
  /** the latest notice to the customer, and all of them */
  notice: Dispatch['notices'][number] | null;
  notices: Dispatch['notices'];
  plannedOn: string | null;
  destination: string;
  note: string | null;
  retroactive: boolean;
  registeredAt: string;
  registeredBy: Dispatch['registeredBy'];
  arrivedAt: string | null;
  completedAt: string | null;
  cancelled: Dispatch['cancelled'];
  /** whole hours since its clock started */
  ageHours: number;
  version: number;
  archive: ArchiveSummary | null;
}

export interface RecordDetail extends RecordView {
  events: RecordEvent[];
  dispatches: DispatchView[];
}

/** S5.6: an open item idle too long, a dispatch late without notice, an emergency missing paperwork; with its owner. */
export interface ReviewRow extends ReviewItem {
  /** the record the row is about (a dispatch's record) */
  recordId: number;
  dispatchId: number | null;
  /** the owner's name, or the role that holds it when nobody is named */
  ownerName: string;
  archive: ArchiveSummary | null;
}

/** S5.7: a follow-up call and where it stands. */
export interface FollowUpRow {
  recordId: number;
  status: RepairStatus;
  version: number;
  archive: ArchiveSummary | null;
  returnedAt: string | null;
  /** the next call's due time (null when the task is finished) */
  dueAt: string | null;
  attempts: number;
  state: FollowUpTaskStatus;
  task: FollowUpTask;
}

/** S5.8: a paperwork reminder due now, with its record. */
export interface ReminderRow extends Reminder {
  recordId: number;
  version: number;
  archive: ArchiveSummary | null;
}

export interface ServiceReports {
  from: string | null;
  to: string | null;
  responseTimes: ResponseTimeReport;
  workMix: WorkMixReport;
  satisfactionByProduct: SatisfactionRow[];
}

/** S5.4: a project or R&D/production lead, for the assignee and dispatch pickers. */
export interface Lead {
  userId: number;
  username: string;
  displayName: string;
}
