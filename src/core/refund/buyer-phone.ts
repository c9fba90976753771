/**
 * Issue 16 §1: the queue found by the buyer's phone number (the agent types the caller's number).
 *
 * Orders keep the phone as it came (the API, an import's 联系手机 cell, TOP's receiver_mobile): with spaces,
 * dashes, brackets or +86 now and then. The database derives a key from it, orders.buyer_phone_key (migration
 * 016, a generated column: every write path fills it, bulk loads too), and the filter compares the caller's
 * number on the same key. `storedPhoneKey` is that column's expression in TypeScript; the two must agree.
 */

/** What the key drops from a stored number: spaces (and the full-width one), dashes, brackets (both widths), plus. */
export const PHONE_KEY_DROPPED = [' ', '\u3000', '-', '(', ')', '（', '）', '+'] as const;

/**
 * The key of a phone number as stored: without the characters above, and an 11-digit mobile number without
 * its country code (86 or 0086 before it). Anything else (a landline, a masked 138****1234) keeps its digits
 * as they are: it matches only the same digits.
 */
export function storedPhoneKey(stored: string): string {
  let d = stored;
  for (const c of PHONE_KEY_DROPPED) d = d.split(c).join('');
  if (d.length === 13 && d.startsWith('861')) return d.slice(2);
  if (d.length === 15 && d.startsWith('00861')) return d.slice(4);
  return d;
}

/**
 * The key to look a caller's number up by, or null when it is not a phone number: an 11-digit mobile number
 * (1…, with or without +86 / 86 / 0086) or a landline with its area code (0 and 9–11 more digits:
 * 0571-88886666, 010 12345678), written with spaces, dashes or brackets as people write them.
 */
export function phoneSearchKey(input: string): string | null {
  const t = input.replace(/[\s\-()（）]/g, '');
  const mobile = /^(?:\+86|0086|86)?(1\d{10})$/.exec(t);
  if (mobile) return mobile[1] ?? null;
  return /^0\d{9,11}$/.test(t) ? t : null;
}
