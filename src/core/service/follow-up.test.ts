/** S5.7 the follow-up call (回访) three days after the record returns to the clerk. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaCalendar } from '../calendar/china-calendar.ts';
import { AppError } from '../errors.ts';
import { addCalendarDays, shanghaiDate } from './dates.ts';
import {
  followUpDueAt,
  followUpDueOn,
  followUpsDue,
  followUpTask,
  retryDueAt,
  validateFollowUpOutcome,
  type FollowUpAttempt,
  type FollowUpLog,
} from './follow-up.ts';

const calendar = chinaCalendar();
const by = { userId: 11, name: '王内勤' };
// returned Tuesday 2026-03-03 at 17:30 Shanghai
const RETURNED = '2026-03-03T09:30:00.000Z';

function details(fn: () => unknown): { code: string; reason?: string; issues?: { field: string; reason: string }[]; [k: string]: unknown } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message, ...e.details };
    throw e;
  }
  throw new Error('expected an AppError');
}

function attempt(atIso: string, reached: boolean, satisfaction: FollowUpAttempt['satisfaction'] = null): FollowUpAttempt {
  return { at: atIso, by, reached, satisfaction, comments: null };
}

describe('followUpDueAt', () => {
  it('S5.7 three calendar days after the return day, from 00:00 Shanghai', () => {
    expect(followUpDueOn(new Date(RETURNED))).toBe('2026-03-06');
    expect(followUpDueAt(new Date(RETURNED)).toISOString()).toBe('2026-03-05T16:00:00.000Z');
    // 23:59 Shanghai is still the same day; 00:00 is the next
    expect(followUpDueOn(new Date('2026-03-03T15:59:00.000Z'))).toBe('2026-03-06');
    expect(followUpDueOn(new Date('2026-03-03T16:00:00.000Z'))).toBe('2026-03-07');
    // across a month end in a leap year
    expect(followUpDueOn(new Date('2028-02-27T04:00:00.000Z'))).toBe('2028-03-01');
  });

  it('S5.7 with the working calendar, a weekend or holiday due day moves to the next working day', () => {
    // returned Wed 2026-03-04 → Sat 03-07 → Mon 03-09
    expect(followUpDueOn(new Date('2026-03-04T02:00:00.000Z'), { calendar })).toBe('2026-03-09');
    expect(followUpDueOn(new Date('2026-03-04T02:00:00.000Z'))).toBe('2026-03-07');
    // returned Mon 2025-09-29 → Thu 10-02, inside the National Day holiday (10-01 to 10-08) → Thu 10-09
    expect(followUpDueOn(new Date('2025-09-29T02:00:00.000Z'), { calendar })).toBe('2025-10-09');
  });

  it('S5.7 property: without a calendar the call is due exactly three Shanghai days later', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (returnedAt) => {
        const due = followUpDueAt(returnedAt);
        expect(shanghaiDate(due)).toBe(addCalendarDays(shanghaiDate(returnedAt), 3));
        expect(due.getTime() - returnedAt.getTime()).toBeGreaterThan(48 * 3_600_000);
        expect(due.getTime() - returnedAt.getTime()).toBeLessThanOrEqual(72 * 3_600_000);
      }),
    );
  });

  it('S5.7 an unreached customer is called again the next (working) day', () => {
    expect(retryDueAt(new Date('2026-03-06T03:00:00.000Z')).toISOString()).toBe('2026-03-06T16:00:00.000Z');
    // Friday → Monday with the calendar
    expect(retryDueAt(new Date('2026-03-06T03:00:00.000Z'), { calendar }).toISOString()).toBe('2026-03-08T16:00:00.000Z');
  });
});

describe('followUpTask', () => {
  const log = (followUps: FollowUpAttempt[] = []): FollowUpLog => ({ returnedAt: RETURNED, followUps });

  it('S5.7 no task before the record returns; scheduled, then due, then overdue once the due day ends', () => {
    expect(followUpTask({ returnedAt: null, followUps: [] }, new Date(RETURNED))).toBeNull();
    expect(followUpTask(log(), new Date('2026-03-05T15:59:59.000Z'))).toMatchObject({ status: 'scheduled', nextAttempt: 1, overdue: false });
    expect(followUpTask(log(), new Date('2026-03-05T16:00:00.000Z'))).toMatchObject({ status: 'due', dueAt: '2026-03-05T16:00:00.000Z', overdue: false });
    expect(followUpTask(log(), new Date('2026-03-06T16:00:00.000Z'))).toMatchObject({ status: 'due', overdue: true });
  });

  it('S5.7 reached: done, with the satisfaction', () => {
    expect(followUpTask(log([attempt('2026-03-06T02:00:00.000Z', true, 4)]), new Date('2026-03-07T00:00:00.000Z'))).toEqual({
      status: 'done',
      nextAttempt: null,
      dueAt: null,
      overdue: false,
      attempts: 1,
      satisfaction: 4,
    });
  });

  it('S5.7 unreached: retried the next day, three calls in all, then the task ends unreached', () => {
    const one = log([attempt('2026-03-06T02:00:00.000Z', false)]);
    expect(followUpTask(one, new Date('2026-03-06T10:00:00.000Z'))).toMatchObject({ status: 'scheduled', nextAttempt: 2, dueAt: '2026-03-06T16:00:00.000Z' });
    const two = log([attempt('2026-03-06T02:00:00.000Z', false), attempt('2026-03-07T02:00:00.000Z', false)]);
    expect(followUpTask(two, new Date('2026-03-08T01:00:00.000Z'))).toMatchObject({ status: 'due', nextAttempt: 3 });
    const three = log([...two.followUps, attempt('2026-03-08T02:00:00.000Z', false)]);
    expect(followUpTask(three, new Date('2026-03-09T01:00:00.000Z'))).toMatchObject({ status: 'unreached', nextAttempt: null, attempts: 3 });
    expect(followUpTask(three, new Date('2026-03-09T01:00:00.000Z'), { maxAttempts: 5 })).toMatchObject({ status: 'due', nextAttempt: 4 });
    expect(details(() => followUpTask(three, new Date(), { maxAttempts: 0 })).reason).toBe('max_attempts_invalid');
  });

  it('S5.7 the clerk\'s list: due calls, the longest waiting first', () => {
    const items = [
      { id: 1, record: log() },
      { id: 2, record: { returnedAt: '2026-03-01T09:30:00.000Z', followUps: [] } },
      { id: 3, record: log([attempt('2026-03-06T02:00:00.000Z', true, 5)]) },
      { id: 4, record: { returnedAt: null, followUps: [] } },
    ];
    expect(followUpsDue(items, new Date('2026-03-06T03:00:00.000Z')).map((d) => [d.item.id, d.task.overdue])).toEqual([
      [2, true],
      [1, false],
    ]);
  });
});

describe('validateFollowUpOutcome', () => {
  const now = new Date('2026-03-06T03:00:00.000Z');
  const log: FollowUpLog = { returnedAt: RETURNED, followUps: [] };

  it('S5.7 reached: satisfaction 1–5 and comments are logged', () => {
    expect(validateFollowUpOutcome(log, { reached: true, satisfaction: 3, comments: ' 维修及时，但等待较久 ' }, { now, by })).toEqual({
      at: now.toISOString(),
      by,
      reached: true,
      satisfaction: 3,
      comments: '维修及时，但等待较久',
    });
    expect(validateFollowUpOutcome(log, { reached: false, comments: '无人接听' }, { now, by })).toMatchObject({ reached: false, satisfaction: null });
  });

  it('S5.7 a reached customer gives a score of 1 to 5; an unreached one none', () => {
    expect(details(() => validateFollowUpOutcome(log, { reached: true }, { now, by })).reason).toBe('satisfaction_required');
    for (const bad of [0, 6, 4.5]) {
      expect(details(() => validateFollowUpOutcome(log, { reached: true, satisfaction: bad }, { now, by })).reason).toBe('satisfaction_out_of_range');
    }
    expect(details(() => validateFollowUpOutcome(log, { reached: false, satisfaction: 5 }, { now, by })).reason).toBe('satisfaction_not_reached');
    expect(details(() => validateFollowUpOutcome(log, { reached: 'yes' as never }, { now, by })).reason).toBe('reached_required');
  });

  it('S5.7 the call happens after the return and not in the future; a finished task takes no more calls', () => {
    expect(details(() => validateFollowUpOutcome(log, { reached: false, at: '2026-03-03T09:00:00.000Z' }, { now, by })).reason).toBe('at_too_early');
    expect(details(() => validateFollowUpOutcome(log, { reached: false, at: '2026-03-07T00:00:00.000Z' }, { now, by })).reason).toBe('at_in_future');
    expect(details(() => validateFollowUpOutcome({ returnedAt: null, followUps: [] }, { reached: false }, { now, by })).reason).toBe('not_returned');
    const done: FollowUpLog = { returnedAt: RETURNED, followUps: [attempt('2026-03-06T02:00:00.000Z', true, 5)] };
    expect(details(() => validateFollowUpOutcome(done, { reached: true, satisfaction: 4 }, { now, by }))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      reason: 'follow_up_done',
    });
  });
});
