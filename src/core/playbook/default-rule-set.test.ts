/**
 * The default rule set, written from S1 and S2: it parses, cites its rules,
 * keeps the seed's words and uses the whole vocabulary.
 */
import { describe, expect, it } from 'vitest';
import { defaultRuleSetText } from './default-rule-set.ts';
import { guardCodes, playbookActions, templateKeys, type RuleSet } from './rule-set.ts';
import { parseRuleSet } from './rule-set-parser.ts';

function parsedDefault(): RuleSet {
  const result = parseRuleSet(defaultRuleSetText);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.ruleSet;
}

describe('the default rule set (S1, S2)', () => {
  const ruleSet = parsedDefault();

  it('parses, with the rules of S1 and S2 in order', () => {
    expect(ruleSet.rules.map((r) => r.id)).toEqual([
      'S1.21',
      'S1.4',
      'S1.1',
      'S1.2',
      'S1.3',
      'S2.4',
      'S2.1',
      'S2.2',
      'S2.3',
      'S1.5',
      'S1.5.changed',
      'S1.6',
      'S1.7',
      'S1.8',
      'S1.9',
      'S1.10',
      'S1.10.corrected',
      'S1.11',
      'S1.12',
      'S1.13',
      'S1.14',
      'S1.15',
      'S1.16',
      'S1.16.7d',
      'S1.17',
      'S1.18',
      'S1.19',
      'S2.8',
    ]);
  });

  it('cites each rule in a comment above it', () => {
    for (const rule of ruleSet.rules) {
      // a rule's id is the rule it cites, or the rule and a suffix of its own (S1.16.7d, S1.5.changed)
      const cited = /^S\d+\.\d+/.exec(rule.id)?.[0] ?? rule.id;
      const at = defaultRuleSetText.indexOf(`- id: ${rule.id}\n`);
      const above = defaultRuleSetText.slice(0, at).trimEnd().split('\n').pop() ?? '';
      expect(above, rule.id).toMatch(new RegExp(`^\\s*# ${cited.replace('.', '\\.')} `));
    }
  });

  it('every title and checklist text is Chinese (zh-CN)', () => {
    for (const rule of ruleSet.rules) {
      expect(rule.title, rule.id).toMatch(/[\u4e00-\u9fff]/);
      for (const item of rule.checklist ?? []) expect(item.text, item.id).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('keeps the seed\'s words for the remarks (S1.1, S1.7, S1.16) and the three looks (S1.13)', () => {
    for (const words of ['已经提交未发退', '索赔单已开', '客户申请了售后退款', '第一先看', '第二看', '第三看', '与卖家协商一致', '立即发货']) {
      expect(defaultRuleSetText).toContain(words);
    }
  });

  it('every action, guard and template of the vocabulary is used by some rule', () => {
    const used = (pick: (r: RuleSet['rules'][number]) => readonly string[] | undefined) => new Set(ruleSet.rules.flatMap((r) => pick(r) ?? []));
    expect([...playbookActions].filter((a) => !used((r) => r.actions).has(a))).toEqual([]);
    expect([...guardCodes].filter((g) => !used((r) => r.guards).has(g))).toEqual([]);
    expect([...templateKeys].filter((t) => !used((r) => r.templates).has(t))).toEqual([]);
  });

  it('each guard is listed by the rule it enforces', () => {
    const listing = (code: string) => ruleSet.rules.filter((r) => (r.guards ?? []).includes(code as never)).map((r) => r.id);
    expect(listing('GUARD_UNSHIPPED_NOT_VOIDED')).toEqual(['S1.1', 'S1.3']);
    expect(listing('GUARD_AMOUNT_NOT_CONFIRMED')).toEqual(['S1.1', 'S1.3']);
    expect(listing('GUARD_REASON_NEEDS_CHANGE')).toEqual(['S1.5', 'S1.5.changed']);
    expect(listing('GUARD_DAMAGED_REFUND_ONLY')).toEqual(['S1.9']);
    expect(listing('GUARD_UNSHIPPED_REASON_NEEDS_CHANGE')).toEqual(['S1.3']);
    expect(listing('GUARD_INVOICE_NOT_REGISTERED')).toEqual(['S1.8']);
    expect(listing('GUARD_RETURN_NOT_CHECKED')).toEqual(['S1.13']);
    expect(listing('GUARD_REFUSAL_FACTS_MISSING')).toEqual(['S1.15']);
    expect(listing('GUARD_ALREADY_REFUNDED')).toEqual(['S1.16']);
  });

  it('is written in simplified Chinese (no traditional characters from the seed)', () => {
    expect(defaultRuleSetText).not.toMatch(/[僅發貨聯繫說確認備註單買賣後給寶問題郵費們為這還處歷錄]/);
  });
});
