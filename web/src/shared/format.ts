/** Money in fen shown as yuan; times stored UTC, shown in Asia/Shanghai. */
import type { Lang } from './i18n.tsx';

export const SHOP_TIME_ZONE = 'Asia/Shanghai';

export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12.34" (yuan, as typed) → 1234 fen; null when it is not an amount with at most two decimals. */
export function parseYuan(text: string): number | null {
  const t = text.trim().replace(/^¥/, '').replace(/,/g, '');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(t)) return null;
  const [whole, frac = ''] = t.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: Lang, withSeconds: boolean): Intl.DateTimeFormat {
  const key = `${lang}|${withSeconds}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone: SHOP_TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: withSeconds ? '2-digit' : undefined,
      hour12: false,
    });
    formatters.set(key, f);
  }
  return f;
}

export function dateTime(iso: string | null | undefined, lang: Lang, withSeconds = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : formatter(lang, withSeconds).format(d);
}

/** Time left as "2天3小时" / "2d 3h"; "已超时 5小时" / "overdue 5h" once it passed. */
export function timeLeft(ms: number, lang: Lang): string {
  const overdue = ms < 0;
  let rest = Math.abs(ms);
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  const seconds = Math.floor((rest - minutes * 60_000) / 1000);
  const zh = lang !== 'en';
  const parts: string[] = [];
  if (days) parts.push(zh ? `${days}天` : `${days}d`);
  if (days || hours) parts.push(zh ? `${hours}小时` : `${hours}h`);
  if (!days) parts.push(zh ? `${minutes}分` : `${minutes}m`);
  if (!days && !hours) parts.push(zh ? `${seconds}秒` : `${seconds}s`);
  const text = parts.join(zh ? '' : ' ');
  return overdue ? (zh ? `已超时 ${text}` : `overdue ${text}`) : text;
}

/** The countdown's colour: calm, then warning inside a day, then danger inside 4 hours or once overdue. */
export function urgency(ms: number | null): 'none' | 'ok' | 'warning' | 'danger' {
  if (ms === null) return 'none';
  if (ms < 4 * 3_600_000) return 'danger';
  if (ms < 24 * 3_600_000) return 'warning';
  return 'ok';
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // China keeps no summer time
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A deadline in words, on the Shanghai clock. One that ends a day (stored as the next day's
 * 00:00, e.g. the S2.8 platform decision on the 7th working day, 2026-03-02 → 2026-03-02T16:00Z)
 * is "3月2日 24:00 前" / "by end of 2 Mar", never "3月3日 00:00"; any other is "3月2日 18:30 前" /
 * "by 18:30, 2 Mar". The year is said only when it is not this year. Every deadline shown in
 * the web app (queue, refund page, buyer portal, service desk) goes through here.
 */
export function deadlineText(iso: string | null | undefined, lang: Lang, now: number = Date.now()): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '—';
  const local = new Date(ms + SHANGHAI_OFFSET_MS);
  const endOfDay = local.getUTCHours() === 0 && local.getUTCMinutes() === 0 && local.getUTCSeconds() === 0 && local.getUTCMilliseconds() === 0;
  // the end of a day is the last moment of the day before
  const day = endOfDay ? new Date(ms + SHANGHAI_OFFSET_MS - 1) : local;
  const year = day.getUTCFullYear();
  const showYear = year !== new Date(now + SHANGHAI_OFFSET_MS).getUTCFullYear();
  const month = day.getUTCMonth();
  const date = day.getUTCDate();
  const time = endOfDay ? '24:00' : `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
  if (lang === 'en') {
    const dayText = `${date} ${MONTHS_EN[month]}${showYear ? ` ${year}` : ''}`;
    return endOfDay ? `by end of ${dayText}` : `by ${time}, ${dayText}`;
  }
  return `${showYear ? `${year}年` : ''}${month + 1}月${date}日 ${time} 前`;
}
