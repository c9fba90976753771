/**
 * S5.7 the follow-up call (回访): "市场部内勤在收到'售后服务及维修记录单'三日后
 * 需要拨打回访电话,确认客户的满意程度" — three days after the record comes back,
 * the clerk calls the customer about satisfaction and logs it in the record.
 *
 * Conventions (the seed gives only "三日后"):
 * - three days are calendar days in Asia/Shanghai: a record returned on day D
 *   makes the call due from 00:00 on D+3; it is overdue once D+3 has ended.
 *   With a working calendar, a due day that is not a working day (weekend,
 *   holiday) moves to the next working day.
 * - a call that does not reach the customer is retried the next day (00:00
 *   Shanghai of the day after the attempt; with a calendar, the next working
 *   day), up to `maxAttempts` calls in all (3 by default: the first and two
 *   retries); after the last unreached call the task ends as unreached.
 * The task is derived from the record's log of attempts; it keeps no state of
 * its own.
 */
import { AppError } from '../errors.ts';
import type { WorkingCalendar } from '../calendar/working-days.ts';
import { issue, readText, throwIfIssues, type FieldIssue } from '../workbench/fields.ts';
import { addCalendarDays, shanghaiDate, shanghaiEndOfDay, shanghaiMidnight, type CalendarDate } from './dates.ts';
import { readPastInstant, type Bilingual, type StaffRef } from './service-context.ts';

/** Days after the record returns to the clerk (S5.7: 三日后). */
export const followUpDelayDays = 3;

export interface FollowUpPolicy {
  /** calls in all, the first included */
  maxAttempts: number;
  /** when given, due days roll forward to the next working day */
  calendar?: WorkingCalendar | undefined;
}

export const defaultFollowUpPolicy: FollowUpPolicy = { maxAttempts: 3 };

export const satisfactionScores = [1, 2, 3, 4, 5] as const;
export type Satisfaction = (typeof satisfactionScores)[number];

export const satisfactionLabels = {
  1: { 'zh-CN': '非常不满意', en: 'Very dissatisfied' },
  2: { 'zh-CN': '不满意', en: 'Dissatisfied' },
  3: { 'zh-CN': '一般', en: 'Neutral' },
  4: { 'zh-CN': '满意', en: 'Satisfied' },
  5: { 'zh-CN': '非常满意', en: 'Very satisfied' },
} as const satisfies Record<Satisfaction, Bilingual>;

/** One call, as logged in the record. */
export interface FollowUpAttempt {
  at: string;
  by: StaffRef;
  reached: boolean;
  /** 1–5 when reached; null when not */
  satisfaction: Satisfaction | null;
  comments: string | null;
}

export interface FollowUpOutcomeInput {
  reached: boolean;
  satisfaction?: number | null | undefined;
  comments?: string | null | undefined;
  /** when the call was made; defaults to now */
  at?: string | null | undefined;
}

function rollToWorkingDay(date: CalendarDate, calendar: WorkingCalendar | undefined): CalendarDate {
  if (!calendar) return date;
  let d = date;
  // the longest run of days off in China is 9 (Spring Festival); 30 is a safe bound
  for (let i = 0; i < 30 && !calendar.isWorkingDay(d); i += 1) d = addCalendarDays(d, 1);
  return d;
}

/** S5.7: the day (Shanghai) the follow-up call is due for a record returned at `returnedAt`. */
export function followUpDueOn(returnedAt: Date, options: { calendar?: WorkingCalendar | undefined } = {}): CalendarDate {
  return rollToWorkingDay(addCalendarDays(shanghaiDate(returnedAt), followUpDelayDays), options.calendar);
}

/** S5.7: the instant the follow-up call becomes due: 00:00 Asia/Shanghai, three calendar days after the return day. */
export function followUpDueAt(returnedAt: Date, options: { calendar?: WorkingCalendar | undefined } = {}): Date {
  return shanghaiMidnight(followUpDueOn(returnedAt, options));
}

/** S5.7: after an unreached call at `attemptAt`, the next call is due 00:00 Shanghai the next (working) day. */
export function retryDueAt(attemptAt: Date, options: { calendar?: WorkingCalendar | undefined } = {}): Date {
  return shanghaiMidnight(rollToWorkingDay(addCalendarDays(shanghaiDate(attemptAt), 1), options.calendar));
}

export const followUpTaskStatuses = [
  /** not yet due */
  'scheduled',
  /** due now (the first call or a retry) */
  'due',
  /** reached: satisfaction logged (final) */
  'done',
  /** the last allowed call did not reach the customer (final) */
  'unreached',
] as const;
export type FollowUpTaskStatus = (typeof followUpTaskStatuses)[number];

export interface FollowUpTask {
  status: FollowUpTaskStatus;
  /** the number of the next call (1 = the first), null when final */
  nextAttempt: number | null;
  /** when the next call is due, null when final */
  dueAt: string | null;
  /** the due day has ended without the call */
  overdue: boolean;
  attempts: number;
  /** the satisfaction the customer gave, once reached */
  satisfaction: Satisfaction | null;
}

export interface FollowUpLog {
  /** when the record came back to the clerk; null: not yet, no task */
  returnedAt: string | null;
  followUps: readonly FollowUpAttempt[];
}

function checkPolicy(policy: FollowUpPolicy): void {
  if (!Number.isSafeInteger(policy.maxAttempts) || policy.maxAttempts < 1 || policy.maxAttempts > 10) {
    throw new AppError('VALIDATION_FAILED', 'S5.7: the follow-up policy allows 1 to 10 calls.', { reason: 'max_attempts_invalid', field: 'maxAttempts' });
  }
}

/** S5.7: the follow-up task of a record, derived from when it returned and the calls logged so far; null before it returned. */
export function followUpTask(log: FollowUpLog, now: Date, policy: FollowUpPolicy = defaultFollowUpPolicy): FollowUpTask | null {
  checkPolicy(policy);
  if (log.returnedAt === null) return null;
  const attempts = log.followUps.length;
  const reached = log.followUps.find((a) => a.reached);
  if (reached) return { status: 'done', nextAttempt: null, dueAt: null, overdue: false, attempts, satisfaction: reached.satisfaction };
  if (attempts >= policy.maxAttempts) return { status: 'unreached', nextAttempt: null, dueAt: null, overdue: false, attempts, satisfaction: null };
  const last = log.followUps[attempts - 1];
  const options = { calendar: policy.calendar };
  const due = last ? retryDueAt(new Date(last.at), options) : followUpDueAt(new Date(log.returnedAt), options);
  const overdue = now.getTime() >= shanghaiEndOfDay(shanghaiDate(due)).getTime();
  return {
    status: now.getTime() >= due.getTime() ? 'due' : 'scheduled',
    nextAttempt: attempts + 1,
    dueAt: due.toISOString(),
    overdue,
    attempts,
    satisfaction: null,
  };
}

/**
 * S5.7: checks one call's outcome before it is logged: reached → a
 * satisfaction of 1 to 5; not reached → no satisfaction. The call cannot be
 * earlier than the record's return or later than now, and a finished task
 * takes no more calls.
 */
export function validateFollowUpOutcome(
  log: FollowUpLog,
  input: FollowUpOutcomeInput,
  ctx: { now: Date; by: StaffRef },
  policy: FollowUpPolicy = defaultFollowUpPolicy,
): FollowUpAttempt {
  const task = followUpTask(log, ctx.now, policy);
  if (task === null) {
    throw new AppError('ACTION_NOT_ALLOWED', 'S5.7: the follow-up call comes after the record has returned to the clerk.', { reason: 'not_returned' });
  }
  if (task.status === 'done' || task.status === 'unreached') {
    throw new AppError('ACTION_NOT_ALLOWED', `S5.7: the follow-up is finished (${task.status}); no more calls are logged.`, {
      reason: `follow_up_${task.status}`,
      attempts: task.attempts,
    });
  }
  const issues: FieldIssue[] = [];
  if (typeof input.reached !== 'boolean') issues.push(issue('reached', 'required', 'Whether the customer was reached is required (true or false).'));
  const last = log.followUps[log.followUps.length - 1];
  const notBefore = new Date(last ? last.at : (log.returnedAt as string));
  const at = readPastInstant(issues, input.at, { field: 'at', label: 'The time of the call', now: ctx.now, notBefore, fallback: ctx.now });
  let satisfaction: Satisfaction | null = null;
  const s = input.satisfaction;
  if (input.reached === true) {
    if (s === undefined || s === null) issues.push(issue('satisfaction', 'required', 'S5.7: a reached customer gives a satisfaction from 1 to 5.'));
    else if (typeof s !== 'number' || !(satisfactionScores as readonly number[]).includes(s)) {
      issues.push(issue('satisfaction', 'out_of_range', 'The satisfaction is a whole number from 1 (very dissatisfied) to 5 (very satisfied).'));
    } else satisfaction = s as Satisfaction;
  } else if (input.reached === false && s !== undefined && s !== null) {
    issues.push(issue('satisfaction', 'not_reached', 'A customer who was not reached gave no satisfaction.'));
  }
  const comments = readText(issues, input.comments, { field: 'comments', label: 'The comments', min: 0, max: 1000 });
  throwIfIssues('S5.7 follow-up call (回访)', issues);
  return { at: (at as Date).toISOString(), by: ctx.by, reached: input.reached, satisfaction, comments };
}

/** S5.7: the clerk's follow-up list: records whose call is due (or overdue) at `now`, the longest-waiting first. */
export function followUpsDue<T extends { record: FollowUpLog }>(
  items: readonly T[],
  now: Date,
  policy: FollowUpPolicy = defaultFollowUpPolicy,
): { item: T; task: FollowUpTask }[] {
  const due: { item: T; task: FollowUpTask }[] = [];
  for (const item of items) {
    const task = followUpTask(item.record, now, policy);
    if (task !== null && task.status === 'due') due.push({ item, task });
  }
  return due.sort((a, b) => (a.task.dueAt as string).localeCompare(b.task.dueAt as string));
}
