/**
 * Calendar-date arithmetic for the equipment service desk (S5). Dates are
 * Asia/Shanghai calendar dates written 'YYYY-MM-DD'; instants are UTC `Date`s.
 * China keeps UTC+8 all year (no daylight saving), so a Shanghai day is always
 * exactly 24 hours long.
 */
import { shanghaiDate, shanghaiMidnight } from '../calendar/working-days.ts';
import { isCalendarDate } from '../workbench/fields.ts';

export { isCalendarDate, shanghaiDate, shanghaiMidnight };

/** A Shanghai calendar date, 'YYYY-MM-DD'. */
export type CalendarDate = string;

const DAY_MS = 86_400_000;

/** The earliest and latest dates the desk accepts as facts (acceptance, payment, invoice dates). */
export const earliestServiceDate = '1990-01-01';
export const latestServiceDate = '2199-12-31';

function parts(date: CalendarDate): [number, number, number] {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function format(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 28–31: the number of days of a month (1–12) in a year of the Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `date` moved by `days` whole calendar days (negative: back). */
export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  parts(date);
  if (!Number.isSafeInteger(days)) throw new RangeError('days must be a whole number');
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: CalendarDate, to: CalendarDate): number {
  parts(from);
  parts(to);
  return Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY_MS);
}

/**
 * The last day covered by a period of `months` whole months that starts on
 * (and includes) `start`: the day before the start's corresponding day
 * `months` later; when that month has no corresponding day (a start on the
 * 29th–31st), the period runs to the end of that month.
 *
 *   2025-03-15 + 12 → 2026-03-14;  2025-01-31 + 1 → 2025-02-28;
 *   2024-01-30 + 1 → 2024-02-29;   2024-02-29 + 12 → 2025-02-28;
 *   2023-03-01 + 12 → 2024-02-29.
 */
export function lastDayOfPeriod(start: CalendarDate, months: number): CalendarDate {
  const [y, m, d] = parts(start);
  if (!Number.isSafeInteger(months) || months < 1) throw new RangeError('months must be a positive whole number');
  const index = m - 1 + months;
  const year = y + Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = daysInMonth(year, month);
  return d <= last ? addCalendarDays(format(year, month, d), -1) : format(year, month, last);
}

/** The instant a Shanghai calendar day ends (24:00, i.e. the next day's 00:00), exclusive. */
export function shanghaiEndOfDay(date: CalendarDate): Date {
  return shanghaiMidnight(addCalendarDays(date, 1));
}

/** An ISO instant string (as `Date#toISOString` writes it) or null. */
export function parseInstant(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}
