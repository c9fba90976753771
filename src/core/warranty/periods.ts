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
 * - The 三包有效期 leaves out the days the item spent in 三包 repair (扣除因修理
 *   占用…的时间): those days are added after the last day (`repairDays`).
 * - No extension when the last day is a holiday, unless the shop's policy
 *   turns on 民法典 第二百零三条 (期间的最后一日是法定休假日的，以法定休假日结束的
 *   次日为期间的最后一日): off by default, since that article speaks of acts to
 *   be done within a period, and a warranty period is how long the goods are
 *   covered; several manufacturers' 三包 cards do extend it. With it on, a last
 *   day that is a day off on the official calendar (a weekend or a holiday; a
 *   调休 workday counts as a working day) moves to the next working day.
 */
import { isAppError } from '../errors.ts';
import type { WorkingCalendar } from '../calendar/working-days.ts';

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

/** How a period's last day was moved on from the nominal one. */
export interface PeriodExtension {
  /** the last day by the count alone */
  nominalLastDay: string;
  /** days of 三包 repair added after it (扣除因修理占用的时间) */
  repairDays: number;
  /** 民法典 第二百零三条: the last day fell on a day off and moved to the next working day */
  holiday: { from: string; to: string } | null;
  /** the official calendar has no data for the year of the last day: no move was made (it could only lengthen the period) */
  holidayUnknown: boolean;
}

export interface PeriodCheck {
  start: string;
  lastDay: string;
  /** days from the start to the date asked about: the start date is day 0 */
  dayNumber: number;
  within: boolean;
  /** present when the last day is not the nominal one, or could not be checked against the calendar */
  extended?: PeriodExtension;
}

export interface PeriodOptions {
  /** days of 三包 repair to add after the nominal last day */
  repairDays?: number | undefined;
  /** with a calendar, a last day that is a day off moves to the next working day (民法典 第二百零三条) */
  holidayCalendar?: WorkingCalendar | null | undefined;
}

/** The first working day on or after `date`; throws CALENDAR_OUT_OF_RANGE when the calendar has no data for a year it must look at. */
export function nextWorkingDayFrom(calendar: WorkingCalendar, date: string): string {
  let day = date;
  // the longest run of days off on the official calendar is 9 (春节 with its weekends); 40 is a safe bound
  for (let i = 0; i < 40; i++) {
    if (calendar.isWorkingDay(day)) return day;
    day = addCalendarDays(day, 1);
  }
  return day;
}

/** Whether `on` falls within the period from `start`, after the extensions asked for. */
export function checkPeriod(start: string, period: Pick<Period, 'count' | 'unit'>, on: string, options: PeriodOptions = {}): PeriodCheck {
  const nominalLastDay = lastDayOfPeriod(start, period);
  const repairDays = Math.max(0, Math.trunc(options.repairDays ?? 0));
  let lastDay = repairDays > 0 ? addCalendarDays(nominalLastDay, repairDays) : nominalLastDay;
  let holiday: PeriodExtension['holiday'] = null;
  let holidayUnknown = false;
  if (options.holidayCalendar) {
    try {
      const moved = nextWorkingDayFrom(options.holidayCalendar, lastDay);
      if (moved !== lastDay) holiday = { from: lastDay, to: moved };
      lastDay = moved;
    } catch (e) {
      // without the year's schedule the move cannot be known; it only ever lengthens the period, so a date on or
      // before the unmoved last day is within either way, and a later one cannot be decided honestly
      if (!(isAppError(e) && e.code === 'CALENDAR_OUT_OF_RANGE') || on > lastDay) throw e;
      holidayUnknown = true;
    }
  }
  const dayNumber = daysBetween(start, on);
  const check: PeriodCheck = { start, lastDay, dayNumber, within: dayNumber >= 0 && on <= lastDay };
  if (lastDay !== nominalLastDay || holidayUnknown) check.extended = { nominalLastDay, repairDays, holiday, holidayUnknown };
  return check;
}
