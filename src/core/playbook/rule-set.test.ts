/** The rule set schema on plain objects: the vocabularies and the checks across rules. */
import { describe, expect, it } from 'vitest';
import { guardCodes as engineGuardCodes } from '../guards/refund-guards.ts';
import { crossCheckRuleSet, guardCodes, whenKeys, ZRuleSet, type RuleSet } from './rule-set.ts';

const minimal: RuleSet = { name: '规则', rules: [{ id: 'a', title: '先看备注', when: {}, note: '说明' }] };

describe('ZRuleSet', () => {
  it('accepts a minimal rule set', () => {
    expect(ZRuleSet.parse(minimal)).toEqual(minimal);
  });

  it('shares the guard vocabulary of the guards (one list)', () => {
    expect(guardCodes).toBe(engineGuardCodes);
  });

  it('knows the when conditions', () => {
    expect(whenKeys).toEqual([
      'type',
      'reason',
      'phase',
      'status',
      'goodsStatus',
      'shipped',
      'signed',
      'warehouseReceived',
      'reasonCorrectedFrom',
      'remarkIncludes',
      'remarkExcludes',
    ]);
  });

  it('refuses an unknown reason, an unknown key, no rules', () => {
    expect(ZRuleSet.safeParse({ ...minimal, rules: [{ ...minimal.rules[0], when: { reason: ['lost'] } }] }).success).toBe(false);
    expect(ZRuleSet.safeParse({ ...minimal, version: 3 }).success).toBe(false);
    expect(ZRuleSet.safeParse({ ...minimal, rules: [] }).success).toBe(false);
  });

  it('refuses duplicate rule ids and duplicate checklist item ids across rules', () => {
    const result = ZRuleSet.safeParse({
      name: 'x',
      rules: [
        { id: 'a', title: 't', when: {}, checklist: [{ id: 'c', text: '一' }] },
        { id: 'a', title: 't', when: {}, checklist: [{ id: 'c', text: '二' }] },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([
      ['rules', 1, 'id'],
      ['rules', 1, 'checklist', 0, 'id'],
    ]);
  });

  it('the checks across rules tolerate any input', () => {
    for (const input of [null, 1, 'x', [], {}, { rules: 'x' }, { rules: [null, 1, { id: 3, checklist: 'x' }] }]) {
      expect(() => crossCheckRuleSet(input)).not.toThrow();
    }
  });
});
