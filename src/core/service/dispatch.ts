/**
 * S5.4, S5.6, S5.8 the dispatch register (售后派出登记) and its clock.
 *
 * "公司接到售后电话原则上应于当天或第二天到达客户指定地点进行维修,如果不能第一时间
 * 到达现场,一定要提前与客户沟通联系" — after a call, someone reaches the site the
 * same day or the next (Asia/Shanghai calendar days); if that cannot be done,
 * the customer is told in advance, and that notice is recorded.
 *
 * Conventions:
 * - the deadline is the end of the day after the call's day in Shanghai
 *   (24:00, i.e. 00:00 two days after the call's day, as a UTC instant),
 *   exclusive: arriving at or after it is late;
 * - a notice counts as "in advance" only if it was given before the deadline;
 * - a later visit of the same record (the repair after a paid inspection) may
 *   start its clock at another instant (`clockStartsAt`, e.g. the customer's
 *   acceptance of the quote); by default the clock starts at the call.
 *
 * S5.6: the clerk marks a dispatch complete when the record is archived, and
 * regularly reviews the register for anything left unattended (`unattended`).
 */
import { AppError } from '../errors.ts';
import type { Role } from '../roles.ts';
import { issue, readChoice, readText, throwIfIssues, type FieldIssue } from '../workbench/fields.ts';
import { requireTransition, type RecordChange, type TransitionTable } from '../workbench/record-machine.ts';
import { addCalendarDays, isCalendarDate, latestServiceDate, shanghaiDate, shanghaiEndOfDay, type CalendarDate } from './dates.ts';
import { isOpenRepairStatus, paperworkGaps, recordOwner, type Remindee, type RepairRecord, type RepairStatus } from './repair-record.ts';
import {
  readPastInstant,
  readStaffRef,
  readUserId,
  requireServiceRole,
  type Bilingual,
  type ServiceContext,
  type StaffRef,
} from './service-context.ts';

const HOUR_MS = 3_600_000;

/** S5.8: the end of the day after the call's Shanghai day (exclusive), as a UTC instant. */
export function dispatchDeadline(callAt: Date): Date {
  return shanghaiEndOfDay(addCalendarDays(shanghaiDate(callAt), 1));
}

export const dispatchStatuses = [
  /** registered; on the way or planned */
  'registered',
  /** the lead reached the site */
  'on_site',
  /** S5.6: marked complete by the clerk when the record was filed (final) */
  'completed',
  /** no visit after all: solved by phone, the customer declined or withdrew (final) */
  'cancelled',
] as const;
export type DispatchStatus = (typeof dispatchStatuses)[number];

export const dispatchActions = ['record_notice', 'arrive', 'complete', 'cancel'] as const;
export type DispatchAction = (typeof dispatchActions)[number];

export const dispatchTransitions = {
  registered: { record_notice: 'registered', arrive: 'on_site', cancel: 'cancelled' },
  on_site: { complete: 'completed' },
  completed: {},
  cancelled: {},
} as const satisfies TransitionTable<DispatchStatus, DispatchAction>;

/** The clerk keeps the register (S5.6); the lead reports the notice and the arrival; registering is either's (S5.4, S5.8). */
export const dispatchActionRoles = {
  record_notice: ['clerk', 'field_lead', 'supervisor'],
  arrive: ['field_lead', 'clerk', 'supervisor'],
  complete: ['clerk', 'supervisor'],
  cancel: ['clerk', 'field_lead', 'supervisor'],
} as const satisfies Record<DispatchAction, readonly Role[]>;

export const dispatchRegisterRoles = ['clerk', 'field_lead', 'supervisor'] as const satisfies readonly Role[];

export const dispatchPurposes = [
  /** free work, or the paid repair once accepted */
  'repair',
  /** S5.5: paid work is inspected on site first */
  'inspection',
] as const;
export type DispatchPurpose = (typeof dispatchPurposes)[number];

export const noticeChannels = ['phone', 'sms', 'wechat', 'in_person'] as const;
export type NoticeChannel = (typeof noticeChannels)[number];

export interface DispatchNotice {
  toldAt: string;
  /** the day the customer was told to expect the visit */
  promisedOn: CalendarDate;
  channel: NoticeChannel;
  note: string | null;
  by: StaffRef;
  /** told before the deadline (S5.8: 提前与客户沟通) */
  inAdvance: boolean;
}

export interface Dispatch {
  recordId: number;
  /** the record's call: response times are measured from it */
  calledAt: string;
  /** when this visit's clock started (the call, unless a later visit) */
  clockStartsAt: string;
  deadlineAt: string;
  lead: StaffRef;
  purpose: DispatchPurpose;
  destination: string;
  plannedOn: CalendarDate | null;
  registeredAt: string;
  registeredBy: StaffRef;
  /** S5.8: registered after the lead had already reached the site (an emergency's paperwork) */
  retroactive: boolean;
  notices: DispatchNotice[];
  arrivedAt: string | null;
  completed: { at: string; by: StaffRef } | null;
  cancelled: { reason: string; at: string; by: StaffRef } | null;
  status: DispatchStatus;
  updatedAt: string;
}

export interface DispatchInput {
  recordId: number;
  /** the record's `call.at` */
  calledAt: string;
  /** defaults to `calledAt` */
  clockStartsAt?: string | null | undefined;
  lead: StaffRef;
  purpose: DispatchPurpose;
  /** the site address (the archive's) */
  destination: string;
  plannedOn?: string | null | undefined;
  /** S5.8: set when the dispatch is registered after the lead reached the site */
  arrivedAt?: string | null | undefined;
}

export type DispatchCommand =
  | { action: 'record_notice'; promisedOn: string; channel: NoticeChannel; toldAt?: string | null | undefined; note?: string | null | undefined }
  | { action: 'arrive'; arrivedAt?: string | null | undefined }
  | { action: 'complete' }
  | { action: 'cancel'; reason: string };

export type DispatchChange = RecordChange<Dispatch, DispatchStatus, DispatchAction>;

function readFutureOrPastDate(issues: FieldIssue[], value: unknown, spec: { field: string; label: string; notBefore: CalendarDate }): CalendarDate | null {
  const d = typeof value === 'string' ? value.trim() : '';
  if (!isCalendarDate(d)) {
    issues.push(issue(spec.field, 'invalid_date', `${spec.label} must be a date like 2026-03-01.`));
    return null;
  }
  if (d < spec.notBefore) {
    issues.push(issue(spec.field, 'too_early', `${spec.label} cannot be before ${spec.notBefore}.`));
    return null;
  }
  if (d > latestServiceDate) {
    issues.push(issue(spec.field, 'too_late', `${spec.label} cannot be after ${latestServiceDate}.`));
    return null;
  }
  return d;
}

/** S5.4: registers a dispatch (售后派出登记); S5.8: an emergency's may be registered after the arrival. */
export function registerDispatch(input: DispatchInput, ctx: ServiceContext): Dispatch {
  requireServiceRole('dispatch', { register: dispatchRegisterRoles }, 'register', ctx.actor);
  const issues: FieldIssue[] = [];
  readUserId(issues, input.recordId, { field: 'recordId', label: 'The repair record' });
  const calledAt = readPastInstant(issues, input.calledAt, { field: 'calledAt', label: 'When the call came in', now: ctx.now });
  const clockStartsAt =
    input.clockStartsAt === undefined || input.clockStartsAt === null
      ? calledAt
      : readPastInstant(issues, input.clockStartsAt, { field: 'clockStartsAt', label: "When this visit's clock starts", now: ctx.now, notBefore: calledAt });
  const lead = readStaffRef(issues, input.lead, { field: 'lead', label: 'The lead sent (派出人员)' });
  const purpose = readChoice(issues, input.purpose, dispatchPurposes, { field: 'purpose', label: 'The purpose (repair or inspection)' });
  const destination = readText(issues, input.destination, { field: 'destination', label: 'The site address (到达地点)', min: 4, max: 200 });
  const plannedOn =
    input.plannedOn === undefined || input.plannedOn === null || input.plannedOn === ''
      ? null
      : readFutureOrPastDate(issues, input.plannedOn, { field: 'plannedOn', label: 'The planned day', notBefore: calledAt ? shanghaiDate(calledAt) : '1990-01-01' });
  const arrivedAt =
    input.arrivedAt === undefined || input.arrivedAt === null
      ? null
      : readPastInstant(issues, input.arrivedAt, { field: 'arrivedAt', label: 'When the lead reached the site', now: ctx.now, notBefore: clockStartsAt });
  throwIfIssues('S5.4 dispatch register (售后派出登记)', issues);
  const at = ctx.now.toISOString();
  const start = clockStartsAt as Date;
  return {
    recordId: input.recordId,
    calledAt: (calledAt as Date).toISOString(),
    clockStartsAt: start.toISOString(),
    deadlineAt: dispatchDeadline(start).toISOString(),
    lead: lead as StaffRef,
    purpose: purpose as DispatchPurpose,
    destination: destination as string,
    plannedOn,
    registeredAt: at,
    registeredBy: { userId: ctx.actor.userId, name: ctx.actor.name },
    retroactive: arrivedAt !== null,
    notices: [],
    arrivedAt: arrivedAt ? arrivedAt.toISOString() : null,
    completed: null,
    cancelled: null,
    status: arrivedAt ? 'on_site' : 'registered',
    updatedAt: at,
  };
}

/** Moves a dispatch along the register: a notice to the customer, the arrival, completion, cancellation. */
export function applyDispatchAction(dispatch: Dispatch, command: DispatchCommand, ctx: ServiceContext): DispatchChange {
  requireServiceRole('dispatch', dispatchActionRoles, command.action, ctx.actor);
  const to = requireTransition('dispatch', dispatchTransitions, dispatch.status, command.action);
  if (ctx.actor.role === 'field_lead' && ctx.actor.userId !== dispatch.lead.userId) {
    throw new AppError('FORBIDDEN', `Only the lead sent (${dispatch.lead.name}) reports on this dispatch.`, { reason: 'not_dispatched_lead' });
  }
  const at = ctx.now.toISOString();
  const by: StaffRef = { userId: ctx.actor.userId, name: ctx.actor.name };
  const moved: Dispatch = { ...dispatch, status: to, updatedAt: at };
  const issues: FieldIssue[] = [];
  const change = (record: Dispatch, data: Record<string, unknown> = {}): DispatchChange => ({ record, action: command.action, from: dispatch.status, to, data });
  const clockStart = new Date(dispatch.clockStartsAt);
  switch (command.action) {
    case 'record_notice': {
      const toldAt = readPastInstant(issues, command.toldAt, { field: 'toldAt', label: 'When the customer was told', now: ctx.now, notBefore: clockStart, fallback: ctx.now });
      const promisedOn = readFutureOrPastDate(issues, command.promisedOn, {
        field: 'promisedOn',
        label: 'The day promised to the customer',
        notBefore: shanghaiDate(toldAt ?? ctx.now),
      });
      const channel = readChoice(issues, command.channel, noticeChannels, { field: 'channel', label: 'How the customer was told' });
      const note = readText(issues, command.note, { field: 'note', label: 'What the customer was told', min: 0, max: 500 });
      throwIfIssues('S5.8 notice to the customer (提前与客户沟通)', issues);
      const notice: DispatchNotice = {
        toldAt: (toldAt as Date).toISOString(),
        promisedOn: promisedOn as string,
        channel: channel as NoticeChannel,
        note,
        by,
        inAdvance: (toldAt as Date).getTime() < new Date(dispatch.deadlineAt).getTime(),
      };
      return change({ ...moved, notices: [...dispatch.notices, notice] }, { ...notice });
    }
    case 'arrive': {
      const arrivedAt = readPastInstant(issues, command.arrivedAt, { field: 'arrivedAt', label: 'When the lead reached the site', now: ctx.now, notBefore: clockStart, fallback: ctx.now });
      throwIfIssues('S5.8 arrival on site', issues);
      const iso = (arrivedAt as Date).toISOString();
      return change({ ...moved, arrivedAt: iso }, { arrivedAt: iso });
    }
    case 'complete':
      return change({ ...moved, completed: { at, by } });
    case 'cancel': {
      const reason = readText(issues, command.reason, { field: 'reason', label: 'The reason for cancelling', min: 2, max: 200 });
      throwIfIssues('Cancelling the dispatch', issues);
      return change({ ...moved, cancelled: { reason: reason as string, at, by } }, { reason });
    }
  }
}

// ───────────────────────── the clock ─────────────────────────

export const dispatchFlagValues = [
  /** reached the site before the deadline */
  'on_time',
  /** late (arrived late, or not there at the deadline) but the customer was told in advance */
  'late_with_notice',
  /** late and the customer was not told in advance: flagged (S5.8) */
  'late_without_notice',
  /** not there yet and the deadline has not passed */
  'pending',
  /** cancelled without a visit */
  'cancelled',
] as const;
export type DispatchFlag = (typeof dispatchFlagValues)[number];

export interface DispatchTiming {
  flag: DispatchFlag;
  deadlineAt: string;
  noticeInAdvance: boolean;
  /** the day promised by the latest notice */
  promisedOn: CalendarDate | null;
  /** the promised day ended without an arrival (or the arrival came after it) */
  missedPromise: boolean;
  /** minutes past the deadline (arrived late, or still not there); null when not late */
  lateByMinutes: number | null;
}

type ClockFacts = Pick<Dispatch, 'deadlineAt' | 'notices' | 'arrivedAt' | 'status'>;

/** S5.8: where a dispatch stands against its clock at `now`. */
export function dispatchFlags(dispatch: ClockFacts, now: Date): DispatchTiming {
  const deadline = new Date(dispatch.deadlineAt).getTime();
  const noticeInAdvance = dispatch.notices.some((n) => new Date(n.toldAt).getTime() < deadline);
  const latest = dispatch.notices[dispatch.notices.length - 1];
  const promisedOn = latest ? latest.promisedOn : null;
  const arrived = dispatch.arrivedAt === null ? null : new Date(dispatch.arrivedAt).getTime();
  const reference = arrived ?? now.getTime();
  const missedPromise =
    promisedOn !== null && (arrived !== null || dispatch.status !== 'cancelled') && reference >= shanghaiEndOfDay(promisedOn).getTime();
  const base = { deadlineAt: dispatch.deadlineAt, noticeInAdvance, promisedOn, missedPromise };
  if (dispatch.status === 'cancelled' && arrived === null) return { ...base, missedPromise: false, flag: 'cancelled', lateByMinutes: null };
  if (reference < deadline) return { ...base, flag: arrived === null ? 'pending' : 'on_time', lateByMinutes: null };
  return {
    ...base,
    flag: noticeInAdvance ? 'late_with_notice' : 'late_without_notice',
    lateByMinutes: Math.floor((reference - deadline) / 60_000),
  };
}

export interface OpenDispatchRow<T> {
  item: T;
  ageHours: number;
  timing: DispatchTiming;
}

/** S5.6: the register view: open dispatches (registered or on site), the oldest first. */
export function openDispatchesByAge<T extends { dispatch: Dispatch }>(items: readonly T[], now: Date): OpenDispatchRow<T>[] {
  return items
    .filter((i) => i.dispatch.status === 'registered' || i.dispatch.status === 'on_site')
    .map((item) => ({
      item,
      ageHours: Math.floor((now.getTime() - new Date(item.dispatch.clockStartsAt).getTime()) / HOUR_MS),
      timing: dispatchFlags(item.dispatch, now),
    }))
    .sort((a, b) => a.item.dispatch.clockStartsAt.localeCompare(b.item.dispatch.clockStartsAt));
}

// ───────────────────────── the clerk's review (S5.6) ─────────────────────────

export type ReviewSubject = { kind: 'repair_record'; id: number; record: RepairRecord } | { kind: 'dispatch'; id: number; dispatch: Dispatch };

export const reviewReasons = [
  /** nothing happened for longer than the threshold */
  'idle',
  /** S5.8: late and the customer was not told */
  'late_without_notice',
  /** S5.8: an emergency record still lacks paperwork */
  'paperwork_incomplete',
] as const;
export type ReviewReason = (typeof reviewReasons)[number];

export interface ReviewItem {
  kind: ReviewSubject['kind'];
  id: number;
  status: RepairStatus | DispatchStatus;
  idleSince: string;
  /** whole hours since the last change */
  idleHours: number;
  owner: Remindee;
  waitingFor: Bilingual;
  reasons: ReviewReason[];
  /** dispatches: the clock */
  timing: DispatchTiming | null;
}

/** The longest threshold the review accepts: one year. */
export const maxReviewThresholdHours = 24 * 365;

/**
 * S5.6: the clerk's periodic review of the register: every open record or
 * dispatch with no change for more than `thresholdHours`, plus, whatever their
 * age, dispatches late without notice and emergency records with missing
 * paperwork; each with who owns it. The longest idle first.
 */
export function unattended(items: readonly ReviewSubject[], now: Date, thresholdHours: number): ReviewItem[] {
  if (typeof thresholdHours !== 'number' || !Number.isFinite(thresholdHours) || thresholdHours <= 0 || thresholdHours > maxReviewThresholdHours) {
    throw new AppError('VALIDATION_FAILED', `S5.6: the review threshold is more than 0 and at most ${maxReviewThresholdHours} hours.`, {
      reason: 'threshold_hours_invalid',
      field: 'thresholdHours',
      limit: maxReviewThresholdHours,
    });
  }
  const out: ReviewItem[] = [];
  const threshold = thresholdHours * HOUR_MS;
  for (const subject of items) {
    if (subject.kind === 'repair_record') {
      const r = subject.record;
      if (!isOpenRepairStatus(r.status)) continue;
      const owner = recordOwner(r);
      if (owner === null) continue;
      const idle = now.getTime() - new Date(r.updatedAt).getTime();
      const reasons: ReviewReason[] = [];
      if (idle > threshold) reasons.push('idle');
      if (paperworkGaps(r).length > 0) reasons.push('paperwork_incomplete');
      if (reasons.length === 0) continue;
      const { waitingFor, ...who } = owner;
      out.push({ kind: subject.kind, id: subject.id, status: r.status, idleSince: r.updatedAt, idleHours: Math.floor(idle / HOUR_MS), owner: who, waitingFor, reasons, timing: null });
    } else {
      const d = subject.dispatch;
      if (d.status !== 'registered' && d.status !== 'on_site') continue;
      const idle = now.getTime() - new Date(d.updatedAt).getTime();
      const timing = dispatchFlags(d, now);
      const reasons: ReviewReason[] = [];
      if (idle > threshold) reasons.push('idle');
      if (timing.flag === 'late_without_notice') reasons.push('late_without_notice');
      if (reasons.length === 0) continue;
      out.push({
        kind: subject.kind,
        id: subject.id,
        status: d.status,
        idleSince: d.updatedAt,
        idleHours: Math.floor(idle / HOUR_MS),
        owner: { role: 'field_lead', userId: d.lead.userId, name: d.lead.name },
        waitingFor:
          d.status === 'registered'
            ? { 'zh-CN': '到达现场（或提前告知客户）', en: 'reaching the site (or telling the customer in advance)' }
            : { 'zh-CN': '完成维修并交回记录单', en: 'finishing the work and returning the record' },
        reasons,
        timing,
      });
    }
  }
  return out.sort((a, b) => b.idleHours - a.idleHours || a.idleSince.localeCompare(b.idleSince));
}
