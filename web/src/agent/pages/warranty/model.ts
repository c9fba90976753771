/**
 * The warranty page's helpers: the IMEI/MEID check as a form rule (the core's
 * parseDeviceId, so the page says which check digit the IMEI calls for before
 * anything is sent), the shop's policy (GET /warranty-policy, loaded once per
 * visit), and the record's action call at the version shown.
 */
import { useEffect, useState } from 'react';
import { parseDeviceId, type DeviceIdParse } from '../../../../../src/core/warranty/device-ids.ts';
import { defaultWarrantyPolicy } from '../../../../../src/core/warranty/policy.ts';
import { get, post } from '../../../shared/api.ts';
import { fmt } from '../../../shared/i18n.tsx';
import type { PolicyAnswer, SendBackAction, SendBackView, WarrantyPolicy } from '../../../shared/warranty-types.ts';

/** The words the device-id check needs (from the page's messages). */
export interface IdWords {
  idRequired: string;
  idBadCharacter: string;
  idWrongLength: string;
  idImeisv: string;
  idBadCheckDigit: string;
  idMeidBadCheckDigit: string;
  idOutOfRange: string;
}

/** Why a typed IMEI/MEID is wrong, in the reader's words; null when it is a valid one. */
export function deviceIdProblem(text: string, w: IdWords): string | null {
  const parsed: DeviceIdParse = parseDeviceId(text);
  if (parsed.ok) return null;
  switch (parsed.reason) {
    case 'empty':
      return w.idRequired;
    case 'invalid_character':
      return w.idBadCharacter;
    case 'bad_check_digit': {
      const s = parsed.normalized;
      const vars = { body: s.slice(0, 14), expected: parsed.expected ?? '?', got: s.charAt(14) };
      return fmt(/^\d+$/.test(s) ? w.idBadCheckDigit : w.idMeidBadCheckDigit, vars);
    }
    case 'wrong_length':
      return fmt(parsed.length === 16 && /^\d+$/.test(parsed.normalized) ? w.idImeisv : w.idWrongLength, { n: parsed.length ?? parsed.normalized.length });
    case 'not_digits':
    case 'out_of_range':
      return w.idOutOfRange;
  }
}

/** The identifier as stored: IMEI 15 digits, MEID 14 hex (a decimal MEID converted); null when invalid. */
export function normalizedDeviceId(text: string): { kind: 'imei' | 'meid'; value: string } | null {
  const parsed = parseDeviceId(text);
  return parsed.ok ? { kind: parsed.kind, value: parsed.value } : null;
}

/** An antd rule validator for an IMEI/MEID field. */
export function deviceIdRule(w: IdWords) {
  return {
    required: true,
    validator: (_: unknown, value: string | undefined) => {
      const problem = deviceIdProblem(value ?? '', w);
      return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
    },
  };
}

/**
 * What the lookup box holds: an IMEI/MEID (checked here: a 15-digit number
 * is an IMEI and must pass its Luhn check; hex letters make it an MEID) or an
 * order number (anything else, sent as it is).
 */
export function lookupProblem(text: string, w: IdWords): string | null {
  const s = text.normalize('NFKC').replace(/[\s\-./]+/gu, '').toUpperCase();
  if (s.length === 0) return w.idRequired;
  const looksLikeImei = /^\d{15}$/.test(s);
  const looksLikeMeid = /^[0-9A-F]{14,15}$/.test(s) && /[A-F]/.test(s);
  return looksLikeImei || looksLikeMeid ? deviceIdProblem(s, w) : null;
}

let policyCache: Promise<PolicyAnswer> | null = null;
/** After a new version is saved: the decision tab's preview reads it afresh. */
export function forgetPolicy(): void {
  policyCache = null;
}

/** The shop's 三包 policy; the built-in default while it loads (or when it cannot be read). */
export function usePolicy(): { policy: WarrantyPolicy; version: number | null } {
  const [answer, setAnswer] = useState<PolicyAnswer | null>(null);
  useEffect(() => {
    let live = true;
    policyCache ??= get<PolicyAnswer>('/warranty-policy');
    policyCache.then(
      (a) => live && setAnswer(a),
      () => {
        policyCache = null;
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return { policy: answer?.policy ?? defaultWarrantyPolicy, version: answer?.version ?? null };
}

/** An action on a send-back at the version the page saw (409 VERSION_CONFLICT when it moved on). */
export function actOnSendBack(sendBack: { id: number; version: number }, action: SendBackAction, input: Record<string, unknown>, idempotencyKey: string) {
  return post<SendBackView>(`/send-backs/${sendBack.id}/${action}`, { ...input, version: sendBack.version }, idempotencyKey);
}

/** Today's date in Shanghai, 'YYYY-MM-DD'. */
export function shanghaiToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
