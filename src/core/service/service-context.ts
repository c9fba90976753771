/**
 * What every action of the equipment service desk (S5) is given: the clock
 * and the acting user. Roles per action are data (`...ActionRoles` tables);
 * `requireServiceRole` applies one, so the pure core refuses a wrong role
 * itself instead of trusting every edge to check.
 */
import { AppError } from '../errors.ts';
import type { Role } from '../roles.ts';
import { issue, readText, type FieldIssue } from '../workbench/fields.ts';
import { parseInstant } from './dates.ts';

/** A text in both languages the app speaks. */
export interface Bilingual {
  'zh-CN': string;
  en: string;
}

export interface ServiceActor {
  userId: number;
  role: Role;
  name: string;
}

export interface ServiceContext {
  now: Date;
  actor: ServiceActor;
}

/** A colleague named on a record: the lead it is assigned to, who answered the call. */
export interface StaffRef {
  userId: number;
  name: string;
}

/** FORBIDDEN unless the table lets the actor's role take the action. */
export function requireServiceRole<A extends string>(
  kind: string,
  table: Readonly<Record<A, readonly Role[]>>,
  action: A,
  actor: ServiceActor,
): void {
  const allowed = Object.prototype.hasOwnProperty.call(table, action) ? table[action] : [];
  if (!allowed.includes(actor.role)) {
    throw new AppError('FORBIDDEN', `The role ${actor.role} may not ${action.replace(/_/g, ' ')} on a ${kind}.`, {
      reason: 'role_not_allowed',
      kind,
      action,
      allowedRoles: allowed,
      permission: `${kind.replace(/ /g, '_')}.${action}`,
    });
  }
}

/** A user id: a positive whole number. */
export function readUserId(issues: FieldIssue[], value: unknown, spec: { field: string; label: string }): number | null {
  if (value === undefined || value === null) {
    issues.push(issue(spec.field, 'required', `${spec.label} is required.`));
    return null;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    issues.push(issue(spec.field, 'invalid', `${spec.label} must be a user id (a positive whole number).`));
    return null;
  }
  return value;
}

/** A staff reference { userId, name }. */
export function readStaffRef(issues: FieldIssue[], value: unknown, spec: { field: string; label: string }): StaffRef | null {
  if (value === undefined || value === null || typeof value !== 'object') {
    issues.push(issue(spec.field, 'required', `${spec.label} is required.`));
    return null;
  }
  const v = value as { userId?: unknown; name?: unknown };
  const userId = readUserId(issues, v.userId, { field: `${spec.field}.userId`, label: `${spec.label}: the user id` });
  const name = readText(issues, v.name, { field: `${spec.field}.name`, label: `${spec.label}: the name`, min: 1, max: 40 });
  return userId === null || name === null ? null : { userId, name };
}

/**
 * An instant that already happened: not after `now`, not before `notBefore`
 * (when given). `undefined`/null falls back to `fallback` when one is given.
 */
export function readPastInstant(
  issues: FieldIssue[],
  value: unknown,
  spec: { field: string; label: string; now: Date; notBefore?: Date | null; fallback?: Date },
): Date | null {
  if ((value === undefined || value === null) && spec.fallback) return spec.fallback;
  if (value === undefined || value === null) {
    issues.push(issue(spec.field, 'required', `${spec.label} is required.`));
    return null;
  }
  const at = parseInstant(value);
  if (at === null) {
    issues.push(issue(spec.field, 'invalid_instant', `${spec.label} must be a time like 2026-03-02T09:30:00+08:00.`));
    return null;
  }
  if (at.getTime() > spec.now.getTime()) {
    issues.push(issue(spec.field, 'in_future', `${spec.label} cannot be later than now.`));
    return null;
  }
  if (spec.notBefore && at.getTime() < spec.notBefore.getTime()) {
    issues.push(issue(spec.field, 'too_early', `${spec.label} cannot be earlier than ${spec.notBefore.toISOString()}.`));
    return null;
  }
  return at;
}
