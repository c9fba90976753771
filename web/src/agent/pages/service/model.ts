/**
 * The equipment service desk (S5) as the API answers it (src/http/routes/service.ts):
 * archives (S5.1, S5.2), repair records (S5.3–S5.5, S5.8), the dispatch
 * register (S5.6, S5.8), the review and the follow-up calls (S5.6, S5.7).
 * The records' own shapes are the pure core's types (src/core/service/*).
 */
import type { ServiceArchive, WarrantyStatus } from '../../../../../src/core/service/archive.ts';
import type { Dispatch, DispatchTiming, ReviewItem } from '../../../../../src/core/service/dispatch.ts';
import type { FollowUpTask } from '../../../../../src/core/service/follow-up.ts';
import type { Reminder, RepairAction, RepairRecord, RepairStatus } from '../../../../../src/core/service/repair-record.ts';

export type { Dispatch, DispatchTiming, FollowUpTask, Reminder, RepairAction, RepairRecord, RepairStatus, ReviewItem, ServiceArchive, WarrantyStatus };

/** The API's answers: one set of shapes with the server (src/contract/service-views.ts). */
export type {
  ArchiveDetail,
  ArchivePage,
  ArchiveSummary,
  ArchiveView,
  DispatchView,
  FollowUpRow,
  Lead,
  RecordDetail,
  RecordEvent,
  RecordView,
  ReminderRow,
  RepairRecordSummary as RecordSummary,
  ReviewRow,
  ServiceReports as ServiceReport,
} from '../../../../../src/contract/service-views.ts';

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
