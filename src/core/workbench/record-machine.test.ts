/** The transition helper every workbench record uses (S1.7, S1.8, S1.14, S1.17). */
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { allowedActionsFrom, requireTransition, type TransitionTable } from './record-machine.ts';

type S = 'a' | 'b' | 'end';
type A = 'go' | 'stop';
const table = { a: { go: 'b', stop: 'end' }, b: { stop: 'end' }, end: {} } as const satisfies TransitionTable<S, A>;

describe('requireTransition', () => {
  it('S1.7 follows the table', () => {
    expect(requireTransition('thing', table, 'a', 'go')).toBe('b');
    expect(allowedActionsFrom(table, 'a')).toEqual(['go', 'stop']);
    expect(allowedActionsFrom(table, 'end')).toEqual([]);
  });

  it('S1.7 refuses an action the status does not allow, naming the allowed ones', () => {
    try {
      requireTransition('thing', table, 'b', 'go');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('ACTION_NOT_ALLOWED');
      expect((e as AppError).details).toEqual({ reason: 'transition_not_allowed', kind: 'thing', status: 'b', action: 'go', allowedActions: ['stop'] });
    }
  });

  it('S1.7 an inherited property name is no action', () => {
    expect(() => requireTransition('thing', table, 'a', 'toString' as A)).toThrow(AppError);
  });
});
