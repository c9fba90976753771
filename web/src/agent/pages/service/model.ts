/**
 * The equipment service desk (S5) as the API answers it (src/http/routes/service.ts):
 * archives (S5.1, S5.2), repair records (S5.3–S5.5, S5.8), the dispatch
 * register (S5.6, S5.8), the review and the follow-up calls (S5.6, S5.7).
 * The records' own shapes are the pure core's types (src/core/service/*).
 */
import type { ServiceArchive, WarrantyStatus } from '../../../../../src/core/service/archive.ts';
import type { Dispatch, DispatchTiming, ReviewItem } from '../../../../../src/core/service/dispatch.ts';
import type { FollowUpTask, FollowUpTaskStatus } from '../../../../../src/core/service/follow-up.ts';
import type { PaperworkGap, RecordOwner, Reminder, RepairAction, RepairRecord, RepairStatus } from '../../../../../src/core/service/repair-record.ts';
import type { ResponseTimeReport, SatisfactionRow, WorkMixReport } from '../../../../../src/core/service/reports.ts';

export type { Dispatch, DispatchTiming, FollowUpTask, Reminder, RepairAction, RepairRecord, RepairStatus, ReviewItem, ServiceArchive, WarrantyStatus };

export interface ArchiveView extends ServiceArchive {
  id: number;
  /** the core's warrantyStatus(archive, today) */
  warranty: WarrantyStatus;
  version: number;
}

/** A record in an archive's list. */
export interface RecordSummary {
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
  records: RecordSummary[];
}

export interface ArchivePage {
  items: (ArchiveView & { matched?: string[] })[];
  nextCursor: string | null;
}

/** A change of the record or of one of its dispatches (subject). */
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
  /** the archive as it is today (null: an emergency's record not linked yet) */
  archive: ArchiveView | null;
  record: RepairRecord;
  callerOrganisation: string | null;
  allowedActions: RepairAction[];
  incomplete: boolean;
  gaps: PaperworkGap[];
  reminders: Reminder[];
  followUp: FollowUpTask | null;
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
  callAt: string;
  clockStartsAt: string;
  deadlineAt: string;
  flags: DispatchTiming;
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
  ageHours: number;
  version: number;
  archive: ArchiveSummary | null;
}

export interface RecordDetail extends RecordView {
  events: RecordEvent[];
  dispatches: DispatchView[];
}

export interface ReviewRow extends ReviewItem {
  recordId: number;
  dispatchId: number | null;
  /** the owner's name, or the role that holds it when nobody is named */
  ownerName: string;
  archive: ArchiveSummary | null;
}

export interface FollowUpRow {
  recordId: number;
  status: RepairStatus;
  version: number;
  archive: ArchiveSummary | null;
  returnedAt: string | null;
  dueAt: string | null;
  attempts: number;
  state: FollowUpTaskStatus;
  task: FollowUpTask;
}

export interface ReminderRow extends Reminder {
  recordId: number;
  version: number;
  archive: ArchiveSummary | null;
}

export interface ServiceReport {
  from: string | null;
  to: string | null;
  responseTimes: ResponseTimeReport;
  workMix: WorkMixReport;
  satisfactionByProduct: SatisfactionRow[];
}

export interface Lead {
  userId: number;
  username: string;
  displayName: string;
}

// ───────── helpers ─────────

/** The statuses of a record, in the order of its process (S5.3–S5.6). */
export const statusOrder: readonly RepairStatus[] = [
  'awaiting_decision',
  'awaiting_assignment',
  'assigned',
  'quoted',
  'repairing',
  'settling',
  'work_done',
  'returned',
  'archived',
  'closed_on_phone',
  'cancelled',
];

export const statusColour: Record<RepairStatus, string> = {
  closed_on_phone: 'default',
  awaiting_assignment: 'gold',
  awaiting_decision: 'volcano',
  assigned: 'processing',
  quoted: 'cyan',
  repairing: 'blue',
  settling: 'purple',
  work_done: 'geekblue',
  returned: 'lime',
  archived: 'success',
  cancelled: 'default',
};

export const flagColour: Record<string, string> = {
  on_time: 'success',
  late_with_notice: 'warning',
  late_without_notice: 'error',
  pending: 'processing',
  cancelled: 'default',
};

/** The roles of the desk, per the core's tables (repairActionRoles, archiveActionRoles, dispatchActionRoles). */
export const ARCHIVE_CREATORS = ['clerk', 'supervisor'];
export const ARCHIVE_AMENDERS = ['clerk', 'field_lead', 'supervisor'];
export const CALL_TAKERS = ['clerk', 'supervisor'];
export const EMERGENCY_OPENERS = ['clerk', 'field_lead', 'supervisor'];
export const DISPATCH_REGISTRARS = ['clerk', 'field_lead', 'supervisor'];
export const REVIEWERS = ['clerk', 'supervisor'];
/** service.pii.reveal: who may see a customer's phone and site address in full (with a reason, audited); everyone else sees them masked */
export const CONTACT_REVEALERS = ['clerk', 'field_lead', 'supervisor'];

/** POST /service/archives/{id}/reveal: the archive's customer phone and site address in full (the fields asked for). */
export interface ArchiveContact {
  phone?: string;
  address?: string;
}

/** POST /service/records/{id}/reveal: the record's phones (the customer's, the caller's) and addresses (the site, each dispatch's destination). */
export interface RecordContacts {
  phone?: string | null;
  callerPhone?: string | null;
  address?: string | null;
  dispatches?: { id: number; destination: string }[];
}

/** 'YYYY-MM-DDTHH:mm' in Shanghai (a datetime-local input's value) for an instant. */
export function localInputValue(at: Date = new Date()): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** A datetime-local value typed in Shanghai time → an ISO instant; null when it is none. */
export function instantFromLocal(value: string | undefined | null): string | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const t = Date.parse(`${value}:00+08:00`);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Minutes as "2小时5分" / "2 h 5 min". */
export function minutesText(minutes: number | null | undefined, lang: string): string {
  if (minutes === null || minutes === undefined) return '—';
  const days = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const min = Math.round(minutes % 60);
  const zh = lang !== 'en';
  const parts: string[] = [];
  if (days) parts.push(zh ? `${days}天` : `${days} d`);
  if (h) parts.push(zh ? `${h}小时` : `${h} h`);
  if (min || parts.length === 0) parts.push(zh ? `${min}分` : `${min} min`);
  return parts.join(zh ? '' : ' ');
}
