/**
 * Working days on the official Chinese calendar (holidays and 调休 make-up days).
 * The data comes from chinese-days; a year the data does not cover is reported,
 * never silently counted Monday to Friday.
 */
import { AppError } from '../errors.ts';

export interface CalendarData {
  /** 'YYYY-MM-DD' → name: official days off, weekends of a holiday included */
  holidays: Readonly<Record<string, string>>;
  /** 'YYYY-MM-DD' → name: weekend days that are working days (调休) */
  workdays: Readonly<Record<string, string>>;
}

export interface WorkingCalendar {
  /** The years this calendar has official data for. */
  readonly years: ReadonlySet<number>;
  isWorkingDay(date: string): boolean;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The Asia/Shanghai calendar date ('YYYY-MM-DD') of an instant. China has no DST. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The UTC instant of 00:00 Asia/Shanghai on a calendar date. */
export function shanghaiMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - SHANGHAI_OFFSET_MS);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function makeWorkingCalendar(...sources: CalendarData[]): WorkingCalendar {
  const holidays = new Map<string, string>();
  const workdays = new Map<string, string>();
  const years = new Set<number>();
  for (const source of sources) {
    for (const [d, name] of Object.entries(source.holidays)) {
      holidays.set(d, name);
      years.add(Number(d.slice(0, 4)));
    }
    for (const [d, name] of Object.entries(source.workdays)) {
      workdays.set(d, name);
      years.add(Number(d.slice(0, 4)));
    }
  }
  return {
    years,
    isWorkingDay(date: string): boolean {
      const year = Number(date.slice(0, 4));
      if (!years.has(year)) {
        throw new AppError(
          'CALENDAR_OUT_OF_RANGE',
          `The official calendar has no data for ${year} (known: ${describeYears(years)}); working days cannot be counted.`,
          { date, year },
        );
      }
      if (holidays.has(date)) return false;
      if (workdays.has(date)) return true;
      const weekday = new Date(`${date}T00:00:00.000Z`).getUTCDay();
      return weekday !== 0 && weekday !== 6;
    },
  };
}

function describeYears(years: ReadonlySet<number>): string {
  if (years.size === 0) return 'none';
  const sorted = [...years].sort((a, b) => a - b);
  return `${sorted[0]}–${sorted[sorted.length - 1]}`;
}

/**
 * The instant by which something due "within n working days" of `from` must
 * happen: the end (24:00 Asia/Shanghai) of the n-th working day after the day
 * of `from`. The day of `from` itself does not count (S2.8: 7 working days).
 */
export function addWorkingDays(calendar: WorkingCalendar, from: Date, n: number): Date {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a positive integer');
  let date = shanghaiDate(from);
  let counted = 0;
  while (counted < n) {
    date = addDays(date, 1);
    if (calendar.isWorkingDay(date)) counted += 1;
  }
  return shanghaiMidnight(addDays(date, 1));
}
