/**
 * Field checks shared by the workbench's side-process records (S1.6–S1.19).
 * Each check appends to a list of issues instead of throwing, so a form gets
 * every problem at once; `throwIfIssues` turns the list into one
 * VALIDATION_FAILED whose `details.reason` is the first issue's.
 */
import { AppError } from '../errors.ts';
import type { Fen } from '../money.ts';

export interface FieldIssue {
  /** the input's path, e.g. `title` or `rows[3].province` */
  field: string;
  /** machine-readable: `<field>_<problem>` in snake case, e.g. `title_too_long` */
  reason: string;
  message: string;
  /** the bound that was broken, when there is one (a length or a count) */
  limit?: number;
}

/** Characters as a person counts them: code points, so an emoji or a rare Han character counts once. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/**
 * Codes typed through a Chinese IME often arrive full-width (ＡＢ１２) or with
 * spaces from copying: fold to ASCII (NFKC), drop whitespace, uppercase.
 * Only for codes (tracking numbers, references), never for free text, whose
 * full-width punctuation is meaningful.
 */
export function normalizeCode(value: string): string {
  return value.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

function snake(field: string): string {
  const last = field.replace(/\[\d+\]/g, '').split('.').pop() ?? field;
  return last.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function issue(field: string, problem: string, message: string, limit?: number): FieldIssue {
  const base = { field, reason: `${snake(field)}_${problem}`, message };
  return limit === undefined ? base : { ...base, limit };
}

export interface TextSpec {
  field: string;
  /** how the message names the field, e.g. 'the invoice title (发票抬头)' */
  label: string;
  /** minimum characters after trimming; 0 makes the field optional */
  min: number;
  max: number;
}

/**
 * A trimmed free-text field. Returns the text, or null when it is absent (or
 * blank) or broken; an absent field is an issue only when `min` > 0.
 */
export function readText(issues: FieldIssue[], value: unknown, spec: TextSpec): string | null {
  if (value === undefined || value === null) {
    if (spec.min > 0) issues.push(issue(spec.field, 'required', `${spec.label} is required.`));
    return null;
  }
  if (typeof value !== 'string') {
    issues.push(issue(spec.field, 'not_text', `${spec.label} must be text.`));
    return null;
  }
  const text = value.trim();
  const n = charCount(text);
  if (n === 0) {
    if (spec.min > 0) issues.push(issue(spec.field, 'required', `${spec.label} is required.`));
    return null;
  }
  if (n > spec.max) {
    issues.push(issue(spec.field, 'too_long', `${spec.label} has ${n} characters; at most ${spec.max} are allowed.`, spec.max));
    return null;
  }
  if (n < spec.min) {
    issues.push(issue(spec.field, 'too_short', `${spec.label} needs at least ${spec.min} characters.`, spec.min));
    return null;
  }
  return text;
}

export interface FenSpec {
  field: string;
  label: string;
  /** 1: a positive amount; 0: zero allowed */
  min: 0 | 1;
}

/** An amount in integer fen (分); never a float, never a yuan string. */
export function readFen(issues: FieldIssue[], value: unknown, spec: FenSpec): Fen | null {
  if (value === undefined || value === null) {
    issues.push(issue(spec.field, 'required', `${spec.label} is required.`));
    return null;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    issues.push(issue(spec.field, 'not_integer_fen', `${spec.label} must be a whole number of fen (分), e.g. 12900 for 129.00 yuan.`));
    return null;
  }
  if (value < spec.min) {
    const problem = spec.min === 1 ? 'not_positive' : 'negative';
    issues.push(issue(spec.field, problem, `${spec.label} must be ${spec.min === 1 ? 'more than 0' : '0 or more'} fen.`));
    return null;
  }
  return value;
}

/** One of a closed set of values. */
export function readChoice<T extends string>(
  issues: FieldIssue[],
  value: unknown,
  allowed: readonly T[],
  spec: { field: string; label: string },
): T | null {
  if (value === undefined || value === null || value === '') {
    issues.push(issue(spec.field, 'required', `${spec.label} is required (one of ${allowed.join(', ')}).`));
    return null;
  }
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    issues.push(issue(spec.field, 'unknown_value', `${spec.label} must be one of ${allowed.join(', ')}.`));
    return null;
  }
  return value as T;
}

/** Throws one VALIDATION_FAILED listing every issue; `details.reason` and `details.field` are the first issue's. */
export function throwIfIssues(subject: string, issues: readonly FieldIssue[]): void {
  const first = issues[0];
  if (!first) return;
  throw new AppError('VALIDATION_FAILED', `${subject}: ${issues.map((i) => i.message).join(' ')}`, {
    reason: first.reason,
    field: first.field,
    ...(first.limit === undefined ? {} : { limit: first.limit }),
    issues,
  });
}

/** A YYYY-MM-DD that exists on the calendar (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The calendar date in China (UTC+8 all year, no daylight saving) of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * A courier tracking number (运单号): 6 to 32 letters, digits or hyphens once
 * spaces are dropped and full-width folded (SF1234567890123, 773012345678901).
 */
export function readTrackingNo(issues: FieldIssue[], value: unknown, spec: { field: string; label: string }): string | null {
  const code = typeof value === 'string' ? normalizeCode(value) : '';
  if (!code) {
    issues.push(issue(spec.field, 'required', `${spec.label} is required.`));
    return null;
  }
  if (!/^[A-Z0-9-]{6,32}$/.test(code)) {
    issues.push(issue(spec.field, 'invalid_format', `${spec.label} has 6 to 32 letters or digits; "${value as string}" is not one.`));
    return null;
  }
  return code;
}
