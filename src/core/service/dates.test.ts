/** S5.1 the calendar arithmetic the warranty and the clocks rest on. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, calendarDaysBetween, daysInMonth, lastDayOfPeriod, parseInstant, shanghaiDate, shanghaiEndOfDay } from './dates.ts';

const dateArb = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2150-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('lastDayOfPeriod', () => {
  it('S5.1 a period of whole months ends the day before the corresponding day', () => {
    expect(lastDayOfPeriod('2025-03-15', 12)).toBe('2026-03-14');
    expect(lastDayOfPeriod('2025-03-15', 1)).toBe('2025-04-14');
    expect(lastDayOfPeriod('2025-01-01', 12)).toBe('2025-12-31');
    expect(lastDayOfPeriod('2025-12-01', 1)).toBe('2025-12-31');
    expect(lastDayOfPeriod('2025-12-15', 1)).toBe('2026-01-14');
    expect(lastDayOfPeriod('2025-06-30', 36)).toBe('2028-06-29');
  });

  it('S5.1 a start with no corresponding day runs to the end of that month (Jan 31 + 1 month)', () => {
    expect(lastDayOfPeriod('2025-01-31', 1)).toBe('2025-02-28');
    expect(lastDayOfPeriod('2025-01-30', 1)).toBe('2025-02-28');
    expect(lastDayOfPeriod('2025-01-29', 1)).toBe('2025-02-28');
    expect(lastDayOfPeriod('2025-01-28', 1)).toBe('2025-02-27');
    expect(lastDayOfPeriod('2025-03-31', 1)).toBe('2025-04-30');
    expect(lastDayOfPeriod('2025-08-31', 1)).toBe('2025-09-30');
  });

  it('S5.1 leap years: Feb 29 starts, periods crossing Feb 29', () => {
    expect(lastDayOfPeriod('2024-01-31', 1)).toBe('2024-02-29');
    expect(lastDayOfPeriod('2024-01-29', 1)).toBe('2024-02-28');
    expect(lastDayOfPeriod('2024-02-29', 12)).toBe('2025-02-28');
    expect(lastDayOfPeriod('2024-02-29', 48)).toBe('2028-02-28');
    expect(lastDayOfPeriod('2023-03-01', 12)).toBe('2024-02-29');
    expect(lastDayOfPeriod('2024-03-01', 12)).toBe('2025-02-28');
    expect(lastDayOfPeriod('2100-01-31', 1)).toBe('2100-02-28'); // 2100 is no leap year
    expect(lastDayOfPeriod('2000-01-31', 1)).toBe('2000-02-29'); // 2000 is
  });

  it('S5.1 refuses a non-date or a period under one month', () => {
    expect(() => lastDayOfPeriod('2025-02-30', 12)).toThrow(RangeError);
    expect(() => lastDayOfPeriod('2025-03-15', 0)).toThrow(RangeError);
    expect(() => lastDayOfPeriod('2025-03-15', 1.5)).toThrow(RangeError);
  });

  it('S5.1 property: the day after the end is the corresponding day, or the 1st of the month after when there is none', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 360 }), (start, months) => {
        const end = lastDayOfPeriod(start, months);
        const after = addCalendarDays(end, 1);
        const [y, m, d] = start.split('-').map(Number) as [number, number, number];
        const index = m - 1 + months;
        const ty = y + Math.floor(index / 12);
        const tm = (index % 12) + 1;
        if (d <= daysInMonth(ty, tm)) {
          expect(after).toBe(`${ty}-${String(tm).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
        } else {
          expect(after.slice(8)).toBe('01');
          expect(end).toBe(`${ty}-${String(tm).padStart(2, '0')}-${daysInMonth(ty, tm)}`);
        }
        // a month is 28 to 31 days
        const days = calendarDaysBetween(start, end) + 1;
        expect(days).toBeGreaterThanOrEqual(months * 28 - 3);
        expect(days).toBeLessThanOrEqual(months * 31);
      }),
    );
  });

  it('S5.1 property: a later start never ends earlier; a longer period never ends earlier', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 400 }), (start, months, shift) => {
        const later = addCalendarDays(start, shift);
        expect(lastDayOfPeriod(later, months) >= lastDayOfPeriod(start, months)).toBe(true);
        expect(lastDayOfPeriod(start, months + 1) > lastDayOfPeriod(start, months)).toBe(true);
      }),
    );
  });
});

describe('calendar days and Shanghai days', () => {
  it('S5.8 the Shanghai day of an instant and its end', () => {
    expect(shanghaiDate(new Date('2026-03-01T15:59:59.999Z'))).toBe('2026-03-01');
    expect(shanghaiDate(new Date('2026-03-01T16:00:00.000Z'))).toBe('2026-03-02');
    expect(shanghaiEndOfDay('2026-03-01').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(shanghaiEndOfDay('2024-02-28').toISOString()).toBe('2024-02-28T16:00:00.000Z');
  });

  it('S5.1 adds and counts calendar days across months and leap days', () => {
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addCalendarDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(calendarDaysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(calendarDaysBetween('2025-01-02', '2025-01-01')).toBe(-1);
  });

  it('S5.8 reads ISO instants with an offset; refuses anything else', () => {
    expect(parseInstant('2026-03-02T09:30:00+08:00')?.toISOString()).toBe('2026-03-02T01:30:00.000Z');
    expect(parseInstant('2026-03-02T01:30:00.000Z')?.toISOString()).toBe('2026-03-02T01:30:00.000Z');
    expect(parseInstant('2026-03-02 09:30')).toBeNull();
    expect(parseInstant('2026-03-02')).toBeNull();
    expect(parseInstant(1_700_000_000_000)).toBeNull();
  });
});
