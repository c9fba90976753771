/** Calendar dates (YYYY-MM-DD) in the shop's time zone, Asia/Shanghai (UTC+8 all year). */
import { SHOP_TIME_ZONE } from '../../../shared/format.ts';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: SHOP_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Shanghai. */
export function shanghaiToday(now: Date = new Date()): string {
  return dayFormat.format(now);
}

/** The date `days` after (or before, when negative) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both counted. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The instant a Shanghai date starts. */
export function shanghaiStart(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`);
}

export function isDate(text: string | null): text is string {
  return !!text && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}
