/**
 * Rule sets as text: an invalid one is refused with the line that is wrong;
 * JSON is accepted; what is serialized parses back to the same rule set.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goodsStatuses, reasonCodes, refundPhases, refundStatuses, refundTypes } from '../refund/refund-model.ts';
import { defaultRuleSetText } from './default-rule-set.ts';
import { doneWhenKinds, guardCodes, playbookActions, templateKeys, type Rule, type RuleSet } from './rule-set.ts';
import { MAX_RULE_SET_BYTES, parseRuleSet, serializeRuleSet, type RuleSetError } from './rule-set-parser.ts';

/** The text of the given lines: line n of the document is argument n. */
function doc(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

function errorsOf(text: string): RuleSetError[] {
  const result = parseRuleSet(text);
  if (result.ok) throw new Error('expected the rule set to be refused');
  return result.errors;
}

function ruleSetOf(text: string): RuleSet {
  const result = parseRuleSet(text);
  if (!result.ok) throw new Error(`expected the rule set to parse: ${JSON.stringify(result.errors)}`);
  return result.ruleSet;
}

const header = ['name: 测试规则', 'rules:'];

describe('parseRuleSet: a valid rule set', () => {
  it('S1/S2: the default rule set parses', () => {
    const ruleSet = ruleSetOf(defaultRuleSetText);
    expect(ruleSet.name).toBe('鞋店默认售后规则');
    expect(ruleSet.rules.length).toBeGreaterThan(20);
  });

  it('reads a minimal YAML rule set, with conditions and lists', () => {
    const ruleSet = ruleSetOf(
      doc(
        ...header,
        '  - id: S1.5',
        '    title: 收到商品不符、商品质量问题不能同意',
        '    when:',
        '      reason: [not_as_described, quality]',
        '      shipped: true',
        '    checklist:',
        '      - id: S1.5.phone',
        '        text: 电话联系客户',
        '        doneWhen: contact.phone',
        '    guards: [GUARD_REASON_NEEDS_CHANGE]',
      ),
    );
    expect(ruleSet.rules).toEqual([
      {
        id: 'S1.5',
        title: '收到商品不符、商品质量问题不能同意',
        when: { reason: ['not_as_described', 'quality'], shipped: true },
        checklist: [{ id: 'S1.5.phone', text: '电话联系客户', doneWhen: 'contact.phone' }],
        guards: ['GUARD_REASON_NEEDS_CHANGE'],
      },
    ]);
  });

  it('accepts JSON (pretty with spaces, with tabs, or on one line)', () => {
    const ruleSet = ruleSetOf(defaultRuleSetText);
    for (const text of [JSON.stringify(ruleSet, null, 2), JSON.stringify(ruleSet, null, '\t'), JSON.stringify(ruleSet)]) {
      expect(ruleSetOf(text)).toEqual(ruleSet);
    }
  });

  it('trims titles and texts', () => {
    const ruleSet = ruleSetOf(doc(...header, '  - id: a', '    title: "  先看备注  "', '    when: {}', '    note: " n "'));
    expect(ruleSet.rules[0]?.title).toBe('先看备注');
    expect(ruleSet.rules[0]?.note).toBe('n');
  });
});

describe('parseRuleSet: an invalid rule set is refused with the line that is wrong', () => {
  it('an unknown reason: the line of the value', () => {
    const errors = errorsOf(
      doc(
        ...header,
        '  - id: S1.6',
        '    title: 仅退款、未收到货',
        '    when:',
        '      type: [refund_only]',
        '      reason:',
        '        - not_received',
        '        - lost_in_space',
        '    note: n',
      ),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 9, column: 11, path: 'rules[0].when.reason[1]' });
    expect(errors[0]?.message).toContain('"lost_in_space" is not allowed');
    expect(errors[0]?.message).toContain('not_received');
  });

  it('an unknown reason in a flow list: the line and column of the value', () => {
    const errors = errorsOf(doc(...header, '  - id: a', '    title: t', '    when: { reason: [quality, bogus] }', '    note: n'));
    expect(errors).toEqual([expect.objectContaining({ line: 5, column: 31, path: 'rules[0].when.reason[1]' })]);
  });

  it('a duplicate rule id: the line of the second id', () => {
    const errors = errorsOf(
      doc(
        ...header,
        '  - id: S1.6',
        '    title: 一',
        '    when: {}',
        '    note: n',
        '  - id: S1.7',
        '    title: 二',
        '    when: {}',
        '    note: n',
        '  - id: S1.6',
        '    title: 三',
        '    when: {}',
        '    note: n',
      ),
    );
    expect(errors).toEqual([{ line: 11, column: 5, path: 'rules[2].id', message: 'rule id "S1.6" is already used by rules[0]', code: 'duplicate_rule_id', params: { id: 'S1.6', rule: 0 } }]);
  });

  it('a duplicate rule id is reported together with the other errors', () => {
    const errors = errorsOf(
      doc(...header, '  - id: a', '    title: 一', '    when: {}', '    note: n', '  - id: a', '    title: 二', '    when: { phase: [never] }', '    note: n'),
    );
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [7, 'rules[1].id'],
      [9, 'rules[1].when.phase[0]'],
    ]);
  });

  it('a checklist item id used twice in the rule set: the line of the second', () => {
    const errors = errorsOf(
      doc(
        ...header,
        '  - id: a',
        '    title: 一',
        '    when: {}',
        '    checklist:',
        '      - id: phone',
        '        text: 电话',
        '  - id: b',
        '    title: 二',
        '    when: {}',
        '    checklist:',
        '      - id: chat',
        '        text: 聊天记录',
        '      - id: phone',
        '        text: 电话',
      ),
    );
    expect(errors).toEqual([expect.objectContaining({ line: 15, column: 9, path: 'rules[1].checklist[1].id' })]);
  });

  it('bad YAML indentation (a key indented less than its siblings): that line', () => {
    const errors = errorsOf(
      doc(...header, '  - id: a', '    title: t', '    when:', '      type: [refund_only]', '     reason: [quality]', '    note: n'),
    );
    expect(errors[0]).toMatchObject({ line: 7, column: 1 });
  });

  it('bad YAML indentation (a key indented deeper than the one above): that line', () => {
    const errors = errorsOf(doc(...header, '  - id: a', '    title: t', '     when: {}', '    note: n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 5, column: 6 });
    expect(errors[0]?.message).toContain('indented deeper');
  });

  it('bad YAML indentation inside a checklist item: that line', () => {
    const errors = errorsOf(
      doc(...header, '  - id: a', '    title: t', '    when: {}', '    checklist:', '      - id: c', '        text: 电话', '         doneWhen: contact.phone'),
    );
    expect(errors).toEqual([expect.objectContaining({ line: 9, column: 10 })]);
  });

  it('a list item indented too deep runs into the item above: the hint names the next line', () => {
    const errors = errorsOf(doc(...header, '  - id: a', '    title: t', '    when: {}', '    actions:', '      - refund.agree', '       - refund.refuse'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 7, path: 'rules[0].actions[0]' });
    expect(errors[0]?.message).toContain('line 8');
  });

  it('a tab used as indentation: that line', () => {
    expect(errorsOf(doc(...header, '  - id: a', '\ttitle: t'))[0]).toMatchObject({ line: 4, column: 1 });
  });

  it('an unterminated quote: reported, not thrown', () => {
    const errors = errorsOf(doc(...header, '  - id: a', '    title: "t', '    when: {}'));
    expect(errors[0]?.message).toMatch(/quote/i);
  });

  it('a missing title: the line where the rule starts', () => {
    const errors = errorsOf(
      doc(...header, '  - id: S1.1', '    title: 未发退', '    when: {}', '    note: n', '  - id: S1.3', '    when:', '      shipped: false', '    note: n'),
    );
    expect(errors).toEqual([{ line: 7, column: 5, path: 'rules[1].title', message: 'title is required', code: 'required', params: { key: 'title', expected: 'string' } }]);
  });

  it('a title with no value: the line of the title', () => {
    const errors = errorsOf(doc(...header, '  - id: a', '    title:', '    when: {}', '    note: n'));
    expect(errors).toEqual([expect.objectContaining({ line: 4, column: 5, path: 'rules[0].title' })]);
    expect(errors[0]?.message).toContain('title has no value');
  });

  it('an empty title: the line of the title', () => {
    const errors = errorsOf(doc(...header, '  - id: a', '    title: "   "', '    when: {}', '    note: n'));
    expect(errors).toEqual([expect.objectContaining({ line: 4, path: 'rules[0].title', message: 'must not be empty' })]);
  });

  it('an unknown action: the line of the action', () => {
    const errors = errorsOf(
      doc(...header, '  - id: a', '    title: t', '    when: {}', '    actions:', '      - refund.agree', '      - refund.explode', '      - order.remark'),
    );
    expect(errors).toEqual([expect.objectContaining({ line: 8, column: 9, path: 'rules[0].actions[1]' })]);
    expect(errors[0]?.message).toContain('"refund.explode" is not allowed');
  });

  it('an unknown guard, template and doneWhen: each on its own line', () => {
    const errors = errorsOf(
      doc(
        ...header,
        '  - id: a',
        '    title: t',
        '    when: {}',
        '    checklist:',
        '      - id: c',
        '        text: x',
        '        doneWhen: contact.pigeon',
        '    guards: [GUARD_NOTHING]',
        '    templates: [say_hello]',
      ),
    );
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [9, 'rules[0].checklist[0].doneWhen'],
      [10, 'rules[0].guards[0]'],
      [11, 'rules[0].templates[0]'],
    ]);
  });

  it('an unknown key (a typo): the line of the key', () => {
    const errors = errorsOf(doc(...header, '  - id: a', '    title: t', '    when:', '      shiped: true', '    note: n'));
    expect(errors).toEqual([{ line: 6, column: 7, path: 'rules[0].when.shiped', message: 'unknown key "shiped"', code: 'unknown_key', params: { key: 'shiped' } }]);
  });

  it('an empty condition list (it would match nothing): the line of the list', () => {
    const errors = errorsOf(doc(...header, '  - id: a', '    title: t', '    when:', '      status: []', '    note: n'));
    expect(errors).toEqual([expect.objectContaining({ line: 6, path: 'rules[0].when.status' })]);
    expect(errors[0]?.message).toContain('leave the condition out');
  });

  it('a value listed twice: the line of the second', () => {
    const errors = errorsOf(doc(...header, '  - id: a', '    title: t', '    when: {}', '    actions:', '      - refund.agree', '      - refund.agree'));
    expect(errors).toEqual([expect.objectContaining({ line: 8, path: 'rules[0].actions[1]', message: '"refund.agree" is listed twice' })]);
  });

  it('a boolean condition written as text: the line of the value', () => {
    const errors = errorsOf(doc(...header, '  - id: a', '    title: t', '    when:', '      shipped: yes', '    note: n'));
    expect(errors).toEqual([expect.objectContaining({ line: 6, path: 'rules[0].when.shipped' })]);
  });

  it('a rule that gives nothing: the line where it starts', () => {
    const errors = errorsOf(doc(...header, '  - id: a', '    title: t', '    when: {}'));
    expect(errors).toEqual([expect.objectContaining({ line: 3, path: 'rules[0]' })]);
  });

  it('a bad rule id: the line of the id', () => {
    const errors = errorsOf(doc(...header, '  - id: "S1 6"', '    title: t', '    when: {}', '    note: n'));
    expect(errors).toEqual([expect.objectContaining({ line: 3, path: 'rules[0].id' })]);
  });

  it('no rules, no name, a document that is not a map: line 1 or the key', () => {
    expect(errorsOf('name: x\nrules: []\n')).toEqual([expect.objectContaining({ line: 2, path: 'rules' })]);
    expect(errorsOf('rules:\n  - id: a\n    title: t\n    when: {}\n    note: n\n')).toEqual([
      { line: 1, column: 1, path: 'name', message: 'name is required', code: 'required', params: { key: 'name', expected: 'string' } },
    ]);
    expect(errorsOf('')[0]).toEqual({ line: 1, column: 1, path: '', message: 'the rule set is empty', code: 'empty', params: { key: '', expected: 'object' } });
    expect(errorsOf('- a\n- b\n')[0]).toMatchObject({ line: 1, path: '' });
  });

  it('several errors come sorted by line', () => {
    const errors = errorsOf(
      doc(...header, '  - id: a', '    title: t', '    when: { type: [x] }', '    note: n', '  - id: b', '    title: ""', '    when: { phase: [y] }', '    note: n'),
    );
    expect(errors.map((e) => e.line)).toEqual([5, 8, 9]);
  });

  it('a duplicate key: the line of the second', () => {
    expect(errorsOf(doc(...header, '  - id: a', '    title: t', '    when: {}', '    title: u', '    note: n'))[0]).toMatchObject({ line: 6 });
  });

  it('JSON with an error: the line of the offending value', () => {
    const text = JSON.stringify({ name: 'x', rules: [{ id: 'a', title: 't', when: { reason: ['quality', 'bogus'] }, note: 'n' }] }, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"bogus"')) + 1;
    expect(errorsOf(text)).toEqual([expect.objectContaining({ line, path: 'rules[0].when.reason[1]' })]);
  });

  it('JSON that is cut short: a syntax error with a line', () => {
    const errors = errorsOf('{\n  "name": "x",\n  "rules": [\n');
    expect(errors[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('a text over 200 KB is refused on line 1 without being parsed', () => {
    const text = '# ' + '鞋'.repeat(Math.ceil(MAX_RULE_SET_BYTES / 3)) + '\n' + defaultRuleSetText;
    expect(errorsOf(text)).toEqual([expect.objectContaining({ line: 1, column: 1, path: '' })]);
    // the size is counted in UTF-8 bytes, not characters
    expect('鞋'.repeat(Math.ceil(MAX_RULE_SET_BYTES / 3)).length).toBeLessThan(MAX_RULE_SET_BYTES);
  });

  it('an alias bomb is refused, not expanded', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
    lines.push('name: x', 'rules: *a11');
    const result = parseRuleSet(lines.join('\n'));
    expect(result.ok).toBe(false);
  });

  it('never throws and always answers lines inside the text, whatever the text', () => {
    const chars = ['a', ' ', '  ', '\n', ':', '-', '#', '[', ']', '{', '}', '"', "'", '&', '*', '!', '|', '>', '\t', '中', 'rules', 'name', 'id', 'when'];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...chars), maxLength: 80 }), (text) => {
        const result = parseRuleSet(text);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) {
            expect(e.line).toBeGreaterThanOrEqual(1);
            expect(e.line).toBeLessThanOrEqual(text.split('\n').length);
            expect(e.column).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the default rule set with any one line removed never throws; an error points inside the text', () => {
    const lines = defaultRuleSetText.split('\n');
    fc.assert(
      fc.property(fc.nat({ max: lines.length - 1 }), (n) => {
        const text = [...lines.slice(0, n), ...lines.slice(n + 1)].join('\n');
        const result = parseRuleSet(text);
        if (!result.ok) for (const e of result.errors) expect(e.line).toBeLessThanOrEqual(lines.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe('serializeRuleSet', () => {
  it('round-trips the default rule set', () => {
    const ruleSet = ruleSetOf(defaultRuleSetText);
    const text = serializeRuleSet(ruleSet);
    expect(ruleSetOf(text)).toEqual(ruleSet);
    expect(text).toContain('reason: [not_as_described, quality]');
    expect(text).toContain('title: 先需要看备注、聊天记录');
  });

  const textChars = ['a', 'Z', '1', ' ', ':', ': ', ' #', '#', '-', '- ', '"', "'", '\\', '\n', '\t', '中', '文', '“', '”', '[', ']', '{', '}', ',', '!', '&', '*', '%', '@', '`', '|', '>', '?', 'yes', 'null', 'true', '0x1', '~'];
  const textArb = fc
    .string({ unit: fc.constantFrom(...textChars), minLength: 1, maxLength: 30 })
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const listArb = <T extends string>(values: readonly T[]) => fc.subarray([...values], { minLength: 1 });
  const whenArb = fc.record(
    {
      type: listArb(refundTypes),
      reason: listArb(reasonCodes),
      phase: listArb(refundPhases),
      status: listArb(refundStatuses),
      goodsStatus: listArb(goodsStatuses),
      shipped: fc.boolean(),
      signed: fc.boolean(),
      warehouseReceived: fc.boolean(),
      remarkIncludes: textArb,
      remarkExcludes: textArb,
    },
    { requiredKeys: [] },
  );
  const ruleArb = (i: number): fc.Arbitrary<Rule> =>
    fc
      .record(
        {
          title: textArb,
          when: whenArb,
          checklist: fc.array(
            fc.record({ text: textArb, doneWhen: fc.constantFrom(...doneWhenKinds), doneWhenRemark: textArb }, { requiredKeys: ['text'] }),
            { maxLength: 4 },
          ),
          actions: fc.subarray([...playbookActions]),
          guards: fc.subarray([...guardCodes]),
          templates: fc.subarray([...templateKeys]),
          note: textArb,
        },
        { requiredKeys: ['title', 'when'] },
      )
      .map(({ checklist, ...rest }) => {
        const rule: Rule = { id: `R${i}`, ...rest };
        if (checklist) rule.checklist = checklist.map((item, j) => ({ id: `R${i}.c${j}`, ...item }));
        if (!rule.checklist && !rule.actions && !rule.guards && !rule.templates && !rule.note) rule.note = '说明';
        return rule;
      });
  const ruleSetArb: fc.Arbitrary<RuleSet> = fc
    .integer({ min: 1, max: 4 })
    .chain((n) => fc.tuple(textArb, fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(i)))))
    .map(([name, rules]) => ({ name, rules }));

  it('parse(serialize(x)) deep-equals x for generated rule sets (quotes, colons, #, newlines, Chinese)', () => {
    fc.assert(
      fc.property(ruleSetArb, (ruleSet) => {
        const result = parseRuleSet(serializeRuleSet(ruleSet));
        expect(result).toEqual({ ok: true, ruleSet });
      }),
      { numRuns: 300 },
    );
  });

  it('serialize is stable: serializing the parsed text again gives the same text', () => {
    fc.assert(
      fc.property(ruleSetArb, (ruleSet) => {
        const text = serializeRuleSet(ruleSet);
        expect(serializeRuleSet(ruleSetOf(text))).toBe(text);
      }),
      { numRuns: 100 },
    );
  });
});
