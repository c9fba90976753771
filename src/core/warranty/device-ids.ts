/**
 * The identifiers of a phone (串号): the IMEI of GSM/UMTS/LTE phones and the
 * MEID of CDMA phones (the telecom online hall of S4 sells CDMA phones; S4.5
 * explains the box MEID against the new host's after a host exchange).
 *
 * IMEI (3GPP TS 23.003): 15 decimal digits, TAC (8) + serial (6) + a Luhn
 * check digit (the 15th). A 16-digit IMEISV has no check digit and is not an
 * IMEI.
 * MEID (3GPP2 S.R0048): 56 bits written as 14 hexadecimal digits, manufacturer
 * code (8) + serial (6); a 15th check digit (Luhn in base 16) is sometimes
 * printed and is verified when present. The 18-digit decimal form (10 + 8
 * digits, e.g. 270113177609606898 = A10000009296F2) is accepted and converted.
 * A 14-digit all-decimal MEID is the IMEI-derived MEID of a multimode phone:
 * the first 14 digits of its IMEI, so `asImei` completes it.
 */

export type DeviceIdKind = 'imei' | 'meid';

export interface DeviceId {
  kind: DeviceIdKind;
  /** IMEI: 15 digits; MEID: 14 uppercase hexadecimal digits (no check digit) */
  value: string;
}

export type DeviceIdProblem = 'empty' | 'invalid_character' | 'not_digits' | 'wrong_length' | 'bad_check_digit' | 'out_of_range';

export type DeviceIdParse =
  | (DeviceId & {
      ok: true;
      /** the form it was typed in */
      format: 'imei' | 'meid_hex' | 'meid_hex_with_check' | 'meid_decimal';
      /** an IMEI-derived (all-decimal) MEID completed with its IMEI check digit, else null */
      asImei: string | null;
    })
  | {
      ok: false;
      reason: DeviceIdProblem;
      message: string;
      /** the input after normalisation (spaces, dashes, full-width folded) */
      normalized: string;
      /** bad_check_digit: the check digit the first 14 characters call for */
      expected?: string;
      /** wrong_length: the number of characters found */
      length?: number;
    };

/**
 * Folds full-width characters (NFKC: a Chinese IME types １２３), drops spaces,
 * dashes, dots and slashes that labels and copies carry (35-209900-176148-1),
 * uppercases hex letters.
 */
export function normalizeDeviceId(input: string): string {
  return input.normalize('NFKC').replace(/[\s\-./]+/gu, '').toUpperCase();
}

/** Luhn over `body` in `base` (10 or 16): the digit that completes it. Every second digit from the right of the full number is doubled. */
function luhnCheck(body: string, base: 10 | 16): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = parseInt(body.charAt(body.length - 1 - i), base);
    // the check digit will sit at the right, so the body's last digit is doubled
    const value = i % 2 === 0 ? digit * 2 : digit;
    sum += Math.floor(value / base) + (value % base);
  }
  return ((base - (sum % base)) % base).toString(base).toUpperCase();
}

/** The IMEI check digit (the 15th) of its first 14 digits; throws on anything but 14 digits. */
export function imeiCheckDigit(first14: string): string {
  if (!/^\d{14}$/.test(first14)) throw new RangeError('imeiCheckDigit takes exactly 14 decimal digits');
  return luhnCheck(first14, 10);
}

/** The 15-digit IMEI of its first 14 digits (the check digit appended). */
export function completeImei(first14: string): string {
  return `${first14}${imeiCheckDigit(first14)}`;
}

/** The optional MEID check digit (Luhn in base 16, 3GPP2 X.S0008) of its 14 hexadecimal digits. */
export function meidCheckDigit(meid14: string): string {
  if (!/^[0-9A-Fa-f]{14}$/.test(meid14)) throw new RangeError('meidCheckDigit takes exactly 14 hexadecimal digits');
  return luhnCheck(meid14.toUpperCase(), 16);
}

function fail(reason: DeviceIdProblem, normalized: string, message: string, extra: { expected?: string; length?: number } = {}): DeviceIdParse {
  return { ok: false, reason, message, normalized, ...extra };
}

function meid(value: string, format: 'meid_hex' | 'meid_hex_with_check' | 'meid_decimal'): DeviceIdParse {
  return { ok: true, kind: 'meid', value, format, asImei: /^\d{14}$/.test(value) ? completeImei(value) : null };
}

/**
 * Reads an IMEI or MEID as a buyer or agent types it. 15 decimal digits are an
 * IMEI (Luhn-checked); 14 hexadecimal digits an MEID; 15 with a letter an MEID
 * with its check digit; 18 decimal digits the decimal MEID.
 */
export function parseDeviceId(input: string): DeviceIdParse {
  const s = normalizeDeviceId(input);
  if (s.length === 0) return fail('empty', s, 'The IMEI or MEID (串号) is empty.');
  const bad = [...s].find((c) => !/[0-9A-F]/.test(c));
  if (bad !== undefined) {
    return fail('invalid_character', s, `An IMEI has only digits and an MEID only digits and the letters A–F; "${bad}" is neither.`);
  }
  const decimal = /^\d+$/.test(s);
  switch (s.length) {
    case 14:
      return meid(s, 'meid_hex');
    case 15: {
      if (decimal) {
        const expected = imeiCheckDigit(s.slice(0, 14));
        if (s.charAt(14) !== expected) {
          return fail(
            'bad_check_digit',
            s,
            `The IMEI's last digit (校验位) should be ${expected} for ${s.slice(0, 14)}, not ${s.charAt(14)}: the IMEI has a typing error.`,
            { expected },
          );
        }
        return { ok: true, kind: 'imei', value: s, format: 'imei', asImei: null };
      }
      const expected = meidCheckDigit(s.slice(0, 14));
      if (s.charAt(14) !== expected) {
        return fail(
          'bad_check_digit',
          s,
          `The MEID's 15th character (check digit) should be ${expected} for ${s.slice(0, 14)}, not ${s.charAt(14)}: the MEID has a typing error.`,
          { expected },
        );
      }
      return meid(s.slice(0, 14), 'meid_hex_with_check');
    }
    case 18: {
      if (!decimal) {
        return fail('not_digits', s, 'An 18-character MEID is the decimal form and has digits only.', { length: 18 });
      }
      const manufacturer = Number(s.slice(0, 10));
      const serial = Number(s.slice(10));
      if (manufacturer > 0xffffffff || serial > 0xffffff) {
        return fail('out_of_range', s, 'This is no decimal MEID: its first 10 digits must be at most 4294967295 and its last 8 at most 16777215.');
      }
      const hex = `${manufacturer.toString(16).padStart(8, '0')}${serial.toString(16).padStart(6, '0')}`.toUpperCase();
      return meid(hex, 'meid_decimal');
    }
    default: {
      const hint =
        s.length === 16 && decimal
          ? ' 16 digits is an IMEISV (software version), not the IMEI: dial *#06# or read the box for the 15-digit IMEI.'
          : '';
      return fail(
        'wrong_length',
        s,
        `An IMEI has 15 digits and an MEID 14 hexadecimal digits (15 with its check digit); this one has ${s.length}.${hint}`,
        { length: s.length },
      );
    }
  }
}

/** The parsed identifier, or null: for callers that only need yes or no. */
export function readDeviceId(input: string): DeviceId | null {
  const r = parseDeviceId(input);
  return r.ok ? { kind: r.kind, value: r.value } : null;
}

/** Whether two identifiers name the same device identifier (same kind and value). */
export function sameDeviceId(a: DeviceId, b: DeviceId): boolean {
  return a.kind === b.kind && a.value === b.value;
}
