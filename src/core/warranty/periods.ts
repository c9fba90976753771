/**
 * How the 三包 periods are counted. The seed gives them as "自购买之日起7日内 /
 * 15日内 / 一年内" and the accessories' "电池六个月；外接有线耳机、多媒体卡三个月；
 * 原装充电器、原装蓝牙耳机一年" (S4.2) without saying how to count, so the
 * general rule of Chinese law applies (民法典 第二百零一条、第二百零二条):
 *
 * - Dates are calendar dates in Asia/Shanghai ('YYYY-MM-DD'); an instant is
 *   first turned into its Shanghai date.
 * - The start day itself is not counted (开始的当日不计入，自下一日开始计算): the
 *   start date is day 0, the next date day 1. "7日内" ends at the end of day 7:
 *   bought on 03-01, a request on 03-08 (day 7) is within, 03-09 (day 8) not.
 * - A period of months or years ends on the corresponding date of the last
 *   month (到期月的对应日为期间的最后一日); without one, on that month's last day
 *   (没有对应日的，月末日为期间的最后一日): 6 months from 08-31 ends on 02-28
 *   (02-29 in a leap year); a year from 2024-02-29 ends on 2025-02-28.
 * - No extension when the last day is a holiday (民法典 第二百零三条 speaks of
 *   acts to be done within a period; a warranty period is how long the goods
 *   are covered, not a deadline to act, and shops count it this way).
 */

export type PeriodUnit = 'day' | 'month' | 'year';

export interface Period {
  count: number;
  unit: PeriodUnit;
  /** as a card prints it, e.g. 7日, 六个月, 一年 */
  labelZh: string;
  /** e.g. 7 days, 6 months, 1 year */
  labelEn: string;
}

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** A 'YYYY-MM-DD' that exists on the calendar. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The Asia/Shanghai calendar date of an instant (UTC+8 all year, no daylight saving). */
export function shanghaiDateOf(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** A calendar date from a 'YYYY-MM-DD' (kept) or an instant (its Shanghai date); null for anything else. */
export function toCalendarDate(value: string | Date): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : shanghaiDateOf(value);
  return isCalendarDate(value) ? value : null;
}

function utcMs(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`);
}

export function addCalendarDays(date: string, days: number): string {
  return new Date(utcMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (both calendar dates): 0 on the same date, negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMs(to) - utcMs(from)) / DAY_MS);
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/** The corresponding date `months` later, or that month's last day when it has none. */
export function addCalendarMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The last day still inside a period that starts on `start` (the start date being day 0). */
export function lastDayOfPeriod(start: string, period: Pick<Period, 'count' | 'unit'>): string {
  switch (period.unit) {
    case 'day':
      return addCalendarDays(start, period.count);
    case 'month':
      return addCalendarMonths(start, period.count);
    case 'year':
      return addCalendarMonths(start, period.count * 12);
  }
}

export interface PeriodCheck {
  start: string;
  lastDay: string;
  /** days from the start to the date asked about: the start date is day 0 */
  dayNumber: number;
  within: boolean;
}

/** Whether `on` falls within the period from `start`. */
export function checkPeriod(start: string, period: Pick<Period, 'count' | 'unit'>, on: string): PeriodCheck {
  const lastDay = lastDayOfPeriod(start, period);
  const dayNumber = daysBetween(start, on);
  return { start, lastDay, dayNumber, within: dayNumber >= 0 && on <= lastDay };
}
