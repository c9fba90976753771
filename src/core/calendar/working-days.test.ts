/** Working days on the official Chinese calendar (S2.8: the platform decides within 7 working days). */
import { describe, expect, it } from 'vitest';
import { chinaCalendar, chinaCalendarData } from './china-calendar.ts';
import { addWorkingDays, makeWorkingCalendar, shanghaiDate, shanghaiMidnight } from './working-days.ts';

const calendar = chinaCalendar();

/** 24:00 Asia/Shanghai at the end of `date` = 16:00 UTC of that date. */
function endOfShanghaiDay(date: string): Date {
  return new Date(`${date}T16:00:00.000Z`);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('shanghaiDate and shanghaiMidnight', () => {
  it('S2.8 an instant at 23:30 Shanghai (15:30 UTC) belongs to that Shanghai date', () => {
    expect(shanghaiDate(new Date('2026-09-30T15:30:00.000Z'))).toBe('2026-09-30');
  });

  it('S2.8 an instant at 00:00 Shanghai (16:00 UTC the day before) belongs to the next Shanghai date', () => {
    expect(shanghaiDate(new Date('2026-09-30T16:00:00.000Z'))).toBe('2026-10-01');
    expect(shanghaiDate(new Date('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
  });

  it('S2.8 midnight of a Shanghai date is 16:00 UTC of the day before', () => {
    expect(shanghaiMidnight('2026-10-01').toISOString()).toBe('2026-09-30T16:00:00.000Z');
  });
});

describe('isWorkingDay on the chinese-days data for 2026', () => {
  it('S2.8 National Day 2026-10-01..07 are holidays, weekdays included', () => {
    for (const d of ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']) {
      expect(calendar.isWorkingDay(d), d).toBe(false);
    }
  });

  it('S2.8 a 调休 Sunday (2026-09-20) and Saturday (2026-10-10) count as working days', () => {
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true);
    // the same weekday a week later is an ordinary weekend
    expect(calendar.isWorkingDay('2026-09-27')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-17')).toBe(false);
  });

  it('S2.8 Mid-autumn Friday 2026-09-25 is a weekday holiday, not a working day', () => {
    expect(calendar.isWorkingDay('2026-09-25')).toBe(false);
    expect(calendar.isWorkingDay('2026-09-24')).toBe(true);
  });

  it('S2.8 Spring Festival 2026-02-15..23 are holidays; Saturdays 02-14 and 02-28 are 调休 working days', () => {
    for (let day = 15; day <= 23; day += 1) expect(calendar.isWorkingDay(`2026-02-${day}`)).toBe(false);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
  });

  it('S2.8 an ordinary weekend is off and an ordinary weekday is on', () => {
    expect(calendar.isWorkingDay('2026-11-07')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-11-08')).toBe(false); // Sunday
    expect(calendar.isWorkingDay('2026-11-09')).toBe(true); // Monday
  });

  it('S2.8 the shipped data really names these days (the test reads the same source)', () => {
    expect(chinaCalendarData.holidays['2026-10-01']).toContain('National Day');
    expect(chinaCalendarData.workdays['2026-10-10']).toContain('National Day');
    expect(chinaCalendarData.workdays['2026-02-14']).toContain('Spring Festival');
  });
});

describe('a year without official data', () => {
  it('S2.8 a date in 2027 throws CALENDAR_OUT_OF_RANGE, even a plain Wednesday', () => {
    expect(() => calendar.isWorkingDay('2027-03-03')).toThrow(expect.objectContaining({ code: 'CALENDAR_OUT_OF_RANGE' }));
    expect(codeOf(() => calendar.isWorkingDay('2027-01-01'))).toBe('CALENDAR_OUT_OF_RANGE');
  });

  it('S2.8 the calendar knows 2026 but not 2027', () => {
    expect(calendar.years.has(2026)).toBe(true);
    expect(calendar.years.has(2027)).toBe(false);
  });

  it('S2.8 addWorkingDays running into 2027 throws CALENDAR_OUT_OF_RANGE instead of counting Mon–Fri', () => {
    // from Wed 2026-12-23: 24, 25, 28, 29, 30, 31 are six; the seventh would be in 2027
    expect(() => addWorkingDays(calendar, new Date('2026-12-23T04:00:00.000Z'), 7)).toThrow(
      expect.objectContaining({ code: 'CALENDAR_OUT_OF_RANGE' }),
    );
  });

  it('S2.8 addWorkingDays ending on the last working day of 2026 does not need 2027 data', () => {
    // from Tue 2026-12-22: 23, 24, 25, 28, 29, 30, 31
    expect(addWorkingDays(calendar, new Date('2026-12-22T04:00:00.000Z'), 7)).toEqual(endOfShanghaiDay('2026-12-31'));
  });

  it('S2.8 an extra year of official data (same JSON shape) extends the calendar', () => {
    const extended = chinaCalendar({ holidays: { '2027-01-01': "New Year's Day" }, workdays: {} });
    expect(extended.years.has(2027)).toBe(true);
    expect(extended.isWorkingDay('2027-01-01')).toBe(false);
    expect(extended.isWorkingDay('2027-01-04')).toBe(true);
  });

  it('S2.8 an empty calendar knows no year at all', () => {
    const empty = makeWorkingCalendar({ holidays: {}, workdays: {} });
    expect(codeOf(() => empty.isWorkingDay('2026-11-02'))).toBe('CALENDAR_OUT_OF_RANGE');
  });
});

describe('addWorkingDays', () => {
  it('S2.8 the result is 24:00 Shanghai (16:00 UTC) of the n-th working day; the start day does not count', () => {
    // Mon 2026-11-02 10:00 Shanghai → Tue..Fri, Mon, Tue, Wed = 2026-11-11
    expect(addWorkingDays(calendar, new Date('2026-11-02T02:00:00.000Z'), 7)).toEqual(endOfShanghaiDay('2026-11-11'));
    expect(addWorkingDays(calendar, new Date('2026-11-02T02:00:00.000Z'), 1)).toEqual(endOfShanghaiDay('2026-11-03'));
  });

  it('S2.8 7 working days across National Day 2026 skip 10-01..07 and count the 调休 Saturday 10-10', () => {
    // from Wed 2026-09-30: 10-08, 10-09, 10-10 (Sat, 调休), 10-12, 10-13, 10-14, 10-15
    expect(addWorkingDays(calendar, new Date('2026-09-30T02:00:00.000Z'), 7)).toEqual(endOfShanghaiDay('2026-10-15'));
    expect(addWorkingDays(calendar, new Date('2026-09-30T02:00:00.000Z'), 1)).toEqual(endOfShanghaiDay('2026-10-08'));
  });

  it('S2.8 the 调休 Sunday 2026-09-20 counts as a working day', () => {
    // from Sat 2026-09-19: 09-20 (Sun, 调休) is the first working day
    expect(addWorkingDays(calendar, new Date('2026-09-19T02:00:00.000Z'), 1)).toEqual(endOfShanghaiDay('2026-09-20'));
  });

  it('S2.8 7 working days across the Spring Festival 2026 (02-15..23)', () => {
    // from Fri 2026-02-13: 02-14 (Sat, 调休), 24, 25, 26, 27, 28 (Sat, 调休), 03-02
    const from = new Date('2026-02-13T02:00:00.000Z');
    expect(addWorkingDays(calendar, from, 1)).toEqual(endOfShanghaiDay('2026-02-14'));
    expect(addWorkingDays(calendar, from, 2)).toEqual(endOfShanghaiDay('2026-02-24'));
    expect(addWorkingDays(calendar, from, 7)).toEqual(endOfShanghaiDay('2026-03-02'));
  });

  it('S2.8 an instant at 23:30 Shanghai (15:30 UTC) counts from that Shanghai date, 00:30 from the next', () => {
    // 2026-09-30 23:30 Shanghai: the start day is 09-30 → first working day 10-08
    expect(addWorkingDays(calendar, new Date('2026-09-30T15:30:00.000Z'), 1)).toEqual(endOfShanghaiDay('2026-10-08'));
    // 2026-11-02 23:30 Shanghai (Mon) → Tue 11-03; 2026-11-03 00:30 Shanghai (Tue) → Wed 11-04
    expect(addWorkingDays(calendar, new Date('2026-11-02T15:30:00.000Z'), 1)).toEqual(endOfShanghaiDay('2026-11-03'));
    expect(addWorkingDays(calendar, new Date('2026-11-02T16:30:00.000Z'), 1)).toEqual(endOfShanghaiDay('2026-11-04'));
  });

  it('S2.8 starting on a holiday counts from the next working day', () => {
    // from 2026-10-03 (holiday): 10-08 is the first working day
    expect(addWorkingDays(calendar, new Date('2026-10-03T02:00:00.000Z'), 1)).toEqual(endOfShanghaiDay('2026-10-08'));
  });

  it('S2.8 n must be a positive integer', () => {
    const from = new Date('2026-11-02T02:00:00.000Z');
    expect(() => addWorkingDays(calendar, from, 0)).toThrow(RangeError);
    expect(() => addWorkingDays(calendar, from, 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(calendar, from, -1)).toThrow(RangeError);
  });
});
