/**
 * TOP request signing (pure): every parameter but the sign and file parts,
 * sorted by name (byte order), concatenated name+value with no separators;
 * md5 = MD5(secret + text + secret), hmac = HMAC-MD5(secret, text),
 * hmac-sha256 = HMAC-SHA256(secret, text); uppercase hex. Parameters with an
 * empty value are never sent, so they are never signed either.
 */
import { createHash, createHmac } from 'node:crypto';

export const signMethods = ['md5', 'hmac', 'hmac-sha256'] as const;
export type SignMethod = (typeof signMethods)[number];

/** The text that is signed: sorted names, each followed by its value. */
export function signText(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((name) => name !== 'sign' && params[name] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${name}${params[name]}`)
    .join('');
}

export function signTop(params: Record<string, string>, secret: string, method: SignMethod): string {
  const text = signText(params);
  switch (method) {
    case 'md5':
      return createHash('md5').update(`${secret}${text}${secret}`, 'utf8').digest('hex').toUpperCase();
    case 'hmac':
      return createHmac('md5', secret).update(text, 'utf8').digest('hex').toUpperCase();
    case 'hmac-sha256':
      return createHmac('sha256', secret).update(text, 'utf8').digest('hex').toUpperCase();
  }
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** `yyyy-MM-dd HH:mm:ss` in GMT+8 (China has no daylight saving time): TOP's timestamps and dates. */
export function formatTopTime(at: Date): string {
  const t = new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 19)}`;
}

/** A TOP date (`yyyy-MM-dd HH:mm:ss`, GMT+8) as a UTC instant; null when it is not one. */
export function parseTopTime(text: unknown): Date | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s) - SHANGHAI_OFFSET_MS;
  const back = new Date(utc + SHANGHAI_OFFSET_MS);
  // 2026-02-30 would roll over into March: not a date
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return new Date(utc);
}

/**
 * A yuan amount as TOP writes it ("200.07", "0.5", "12") in integer fen,
 * exactly (no floating point); null for anything else ("12.3.4", "-1", "1.234", "", 12.5).
 */
export function yuanToFen(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = /^(0|[1-9][0-9]{0,11})(?:\.([0-9]{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** Integer fen as a yuan string with two decimals ("200.07"). */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new Error(`not an amount in fen: ${fen}`);
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
