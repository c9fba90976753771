/** S4.2 how the 三包 periods are counted: Shanghai calendar dates, the start date is day 0 (民法典 201–202). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeWorkingCalendar } from '../calendar/working-days.ts';
import { addCalendarDays, addCalendarMonths, checkPeriod, daysBetween, lastDayOfPeriod, nextWorkingDayFrom, shanghaiDateOf, toCalendarDate } from './periods.ts';

const days = (count: number) => ({ count, unit: 'day' as const });
const months = (count: number) => ({ count, unit: 'month' as const });
const years = (count: number) => ({ count, unit: 'year' as const });

describe('periods', () => {
  it('S4.2 7日内: bought on 03-01, day 7 (03-08) is within, day 8 (03-09) is not', () => {
    expect(checkPeriod('2025-03-01', days(7), '2025-03-08')).toEqual({ start: '2025-03-01', lastDay: '2025-03-08', dayNumber: 7, within: true });
    expect(checkPeriod('2025-03-01', days(7), '2025-03-09')).toMatchObject({ dayNumber: 8, within: false });
    expect(checkPeriod('2025-03-01', days(7), '2025-03-01')).toMatchObject({ dayNumber: 0, within: true });
  });

  it('S4.2 15日内 across a month end: day 15 within, day 16 not', () => {
    expect(lastDayOfPeriod('2025-01-20', days(15))).toBe('2025-02-04');
    expect(checkPeriod('2025-01-20', days(15), '2025-02-04').within).toBe(true);
    expect(checkPeriod('2025-01-20', days(15), '2025-02-05')).toMatchObject({ dayNumber: 16, within: false });
  });

  it('S4.2 a month period ends on the corresponding date, or the month end when there is none', () => {
    expect(addCalendarMonths('2025-01-15', 6)).toBe('2025-07-15');
    expect(addCalendarMonths('2024-08-31', 6)).toBe('2025-02-28');
    expect(addCalendarMonths('2023-08-31', 6)).toBe('2024-02-29');
    expect(addCalendarMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addCalendarMonths('2025-12-31', 1)).toBe('2026-01-31');
  });

  it('S4.2 one year over a leap day: bought 2023-03-01, covered through 2024-03-01 (366 days)', () => {
    expect(lastDayOfPeriod('2023-03-01', years(1))).toBe('2024-03-01');
    expect(checkPeriod('2023-03-01', years(1), '2024-03-01')).toMatchObject({ dayNumber: 366, within: true });
    expect(checkPeriod('2023-03-01', years(1), '2024-03-02').within).toBe(false);
  });

  it('S4.2 one year from a leap day ends on 02-28 of the next year', () => {
    expect(lastDayOfPeriod('2024-02-29', years(1))).toBe('2025-02-28');
    expect(checkPeriod('2024-02-29', years(1), '2025-03-01').within).toBe(false);
    expect(lastDayOfPeriod('2023-02-28', years(1))).toBe('2024-02-28');
  });

  it('S4.2 a date before the start is not within', () => {
    expect(checkPeriod('2025-03-01', days(7), '2025-02-28')).toMatchObject({ dayNumber: -1, within: false });
  });

  it('S4.2 an instant counts by its Asia/Shanghai date', () => {
    // 2025-03-08 23:30 in Shanghai is 15:30 UTC; 2025-03-09 00:30 in Shanghai is still 03-08 in UTC
    expect(shanghaiDateOf(new Date('2025-03-08T15:30:00Z'))).toBe('2025-03-08');
    expect(shanghaiDateOf(new Date('2025-03-08T16:30:00Z'))).toBe('2025-03-09');
    expect(toCalendarDate(new Date('2025-03-08T16:30:00Z'))).toBe('2025-03-09');
    expect(toCalendarDate('2025-02-29')).toBeNull();
    expect(toCalendarDate(new Date('nope'))).toBeNull();
  });

  it('S4.2 property: a day period of n covers exactly days 0..n from the start', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: -3, max: 420 }), (d, n, k) => {
        const start = d.toISOString().slice(0, 10);
        const probe = addCalendarDays(start, k);
        expect(daysBetween(start, probe)).toBe(k);
        expect(checkPeriod(start, days(n), probe).within).toBe(k >= 0 && k <= n);
      }),
    );
  });

  it('S4.2 property: a month period ends no earlier than 28·n and no later than 31·n days on', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }), fc.integer({ min: 1, max: 24 }), (d, n) => {
        const start = d.toISOString().slice(0, 10);
        const span = daysBetween(start, lastDayOfPeriod(start, months(n)));
        expect(span).toBeGreaterThanOrEqual(28 * n - 3);
        expect(span).toBeLessThanOrEqual(31 * n);
      }),
    );
  });
});

describe('periods: extensions (issue 13)', () => {
  it('S4.2 days in 三包 repair are added after the nominal last day', () => {
    expect(checkPeriod('2025-03-01', years(1), '2026-03-05', { repairDays: 10 })).toEqual({
      start: '2025-03-01',
      lastDay: '2026-03-11',
      dayNumber: 369,
      within: true,
      extended: { nominalLastDay: '2026-03-01', repairDays: 10, holiday: null, holidayUnknown: false },
    });
    expect(checkPeriod('2025-03-01', years(1), '2026-03-12', { repairDays: 10 }).within).toBe(false);
  });

  it('S4.2 with a calendar (民法典 第二百零三条), a last day off moves to the next working day; a working last day stays', () => {
    const calendar = makeWorkingCalendar({ holidays: { '2025-10-01': '国庆节', '2025-10-02': '国庆节' }, workdays: {} });
    expect(checkPeriod('2025-09-24', days(7), '2025-10-03', { holidayCalendar: calendar })).toMatchObject({ lastDay: '2025-10-03', within: true, extended: { holiday: { from: '2025-10-01', to: '2025-10-03' } } });
    expect(checkPeriod('2025-09-23', days(7), '2025-09-30', { holidayCalendar: calendar })).toEqual({ start: '2025-09-23', lastDay: '2025-09-30', dayNumber: 7, within: true });
    expect(nextWorkingDayFrom(calendar, '2025-10-04')).toBe('2025-10-06');
  });
});
