/**
 * The shape every side-process record of the workbench shares: a status, a
 * transition table `from → action → to` checked by tsc, and one change type
 * that the app layer saves as the record plus one record_events row.
 */
import { AppError } from '../errors.ts';

/** from → action → to; a missing action is not allowed from that status. */
export type TransitionTable<S extends string, A extends string> = Readonly<Record<S, Readonly<Partial<Record<A, S>>>>>;

export interface RecordChange<R, S extends string, A extends string> {
  record: R;
  action: A;
  from: S;
  to: S;
  /** what the event records beyond from → to (the action's validated input) */
  data: Record<string, unknown>;
}

export interface WorkbenchContext {
  now: Date;
}

/** The actions a table allows from a status, in the table's order. */
export function allowedActionsFrom<S extends string, A extends string>(table: TransitionTable<S, A>, status: S): A[] {
  return Object.keys(table[status]) as A[];
}

/** The status `action` leads to from `status`, or ACTION_NOT_ALLOWED naming the actions that are. */
export function requireTransition<S extends string, A extends string>(
  kind: string,
  table: TransitionTable<S, A>,
  status: S,
  action: NoInfer<A>,
): S {
  const row: Readonly<Partial<Record<A, S>>> = table[status];
  const to = Object.prototype.hasOwnProperty.call(row, action) ? row[action] : undefined;
  if (to === undefined) {
    const allowed = allowedActionsFrom(table, status);
    throw new AppError(
      'ACTION_NOT_ALLOWED',
      `A ${kind} in status ${status} cannot take the action ${action}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (it is final)'}.`,
      { reason: 'transition_not_allowed', kind, status, action, allowedActions: allowed },
    );
  }
  return to;
}
