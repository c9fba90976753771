/**
 * A platform payload kept for a person to look at (a sync problem) holds no
 * secret and no personal data: names, phones, addresses, nicks and account
 * numbers are masked by field name, and anything that looks like a mobile
 * number is masked wherever it stands. Ids, statuses, amounts and times stay,
 * so that the problem can still be understood.
 */

const SECRET = /(^|_)(sign|session|secret|app_secret|access_token|refresh_token|password|token)$/i;
const PERSONAL = /(receiver_|buyer_nick|buyer_open_uid|user_nick|seller_nick|owner_nick|mobile|phone|tel$|address|alipay|(^|_)name$|buyer_name|real_name|id_card|email)/i;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

/** 李小美 → 李**; 13812341234 → 138****1234; other text keeps its first character. */
export function maskText(text: string): string {
  const chars = [...text];
  if (chars.length === 0) return text;
  const digits = text.replace(/\D/g, '');
  if (digits.length >= 7 && digits.length === text.replace(/[\s+\-()]/g, '').length) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return `${chars[0]}${'*'.repeat(Math.min(chars.length - 1, 6) || 1)}`;
}

export function maskPayload(value: unknown, key = '', depth = 0): unknown {
  if (depth > 30) return '…';
  if (typeof value === 'string') {
    if (SECRET.test(key)) return '(hidden)';
    if (PERSONAL.test(key)) return maskText(value);
    // a content field may itself be JSON (TMC content): mask inside it
    if ((key === 'content' || key === 'raw') && /^\s*[{[]/.test(value)) {
      try {
        return JSON.stringify(maskPayload(JSON.parse(value), '', depth + 1));
      } catch {
        // not JSON after all: fall through to the text rules
      }
    }
    return value.replace(MOBILE, (m) => `${m.slice(0, 3)}****${m.slice(-4)}`);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return SECRET.test(key) || (PERSONAL.test(key) && typeof value === 'number') ? '(hidden)' : value;
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => maskPayload(v, key, depth + 1));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskPayload(v, k, depth + 1)]));
  }
  return String(value);
}
