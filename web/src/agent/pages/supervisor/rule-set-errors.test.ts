import { describe, expect, it } from 'vitest';
import { parseRuleSet } from '../../../../../src/core/playbook/rule-set-parser.ts';
import { fieldErrorText, lineErrorText, parsePath, pathInWords, problemInWords, type RuleSetProblem } from './rule-set-errors.ts';

function errorsOf(text: string): RuleSetProblem[] {
  const parsed = parseRuleSet(text);
  if (parsed.ok) throw new Error('expected errors');
  return parsed.errors;
}
const doc = (...lines: string[]) => lines.join('\n') + '\n';
const header = ['name: 测试', 'rules:'];

describe('issue 15 §4: the rule set errors in words', () => {
  it('reads a path and says it in words, counting from 1', () => {
    expect(parsePath('rules[2].checklist[1].text')).toEqual(['rules', 2, 'checklist', 1, 'text']);
    expect(pathInWords(['rules', 2, 'checklist', 1, 'text'], 'zh-CN')).toBe('第 3 条规则的检查项 2 的“内容”');
    expect(pathInWords(['rules', 0, 'when', 'reason', 1], 'zh-CN', ['S1.5'])).toBe('第 1 条规则（S1.5）的“退款原因”的第 2 项');
    expect(pathInWords(['rules', 0, 'when', 'reason', 1], 'en')).toBe('rule 1, "Reason", item 2');
    expect(pathInWords([], 'zh-CN')).toBe('整个规则集');
  });

  it('a bad indentation: "第 5 行：缩进不对齐……"', () => {
    const [e] = errorsOf(doc(...header, '  - id: a', '    title: t', '     when: {}', '    note: n'));
    expect(lineErrorText(e!, 'zh-CN')).toMatch(/^第 5 行：缩进不对齐/);
    expect(lineErrorText(e!, 'en')).toMatch(/^Line 5: This line is indented deeper/);
  });

  it('a tab as indentation and an unclosed quote are worded from their yaml codes', () => {
    const [tab] = errorsOf(doc(...header, '  - id: a', '\ttitle: t'));
    expect(lineErrorText(tab!, 'zh-CN')).toMatch(/^第 4 行：/);
    expect(lineErrorText(tab!, 'zh-CN')).not.toMatch(/[A-Za-z]{4,}/);
    const [quote] = errorsOf(doc(...header, '  - id: a', '    title: "t', '    when: {}'));
    expect(problemInWords(quote!, 'zh-CN')).toMatch(/引号|符号|缩进|冒号/);
  });

  it('an unknown status names the value given and the allowed ones with their names', () => {
    const [e] = errorsOf(doc(...header, '  - id: a', '    title: t', '    when:', '      status: [WAIT_SELLER_AGREEE]', '    note: n'));
    const text = lineErrorText(e!, 'zh-CN', ['a']);
    expect(text).toMatch(/^第 6 行：第 1 条规则（a）的“退款状态”的第 1 项：“WAIT_SELLER_AGREEE”不是可选的退款状态。/);
    expect(text).toContain('WAIT_SELLER_AGREE（买家已申请退款，等待卖家同意）');
  });

  it('an empty checklist text in the form: "第 1 条规则的检查项 1 的“内容”：不能为空。"', () => {
    const [e] = errorsOf(doc(...header, '  - id: a', '    title: t', '    when: {}', '    checklist:', '      - id: c', '        text: "  "'));
    expect(fieldErrorText(e!, 'zh-CN')).toBe('第 1 条规则的检查项 1 的“内容”：不能为空。');
    expect(fieldErrorText(e!, 'en')).toBe('rule 1, checklist item 1, "Text": Must not be empty.');
  });

  it('the checks across rules: a duplicate id, a rule that gives nothing, a value listed twice, an unknown key', () => {
    const dup = errorsOf(doc(...header, '  - id: a', '    title: 一', '    when: {}', '    note: n', '  - id: a', '    title: 二', '    when: {}', '    note: n'));
    expect(problemInWords(dup[0]!, 'zh-CN')).toBe('编号“a”已经被第 1 条规则用了，规则编号不能重复。');
    const nothing = errorsOf(doc(...header, '  - id: a', '    title: t', '    when: {}'));
    expect(problemInWords(nothing[0]!, 'zh-CN')).toMatch(/^这条规则什么都没给/);
    const twice = errorsOf(doc(...header, '  - id: a', '    title: t', '    when: {}', '    guards: [GUARD_ALREADY_REFUNDED, GUARD_ALREADY_REFUNDED]'));
    expect(problemInWords(twice[0]!, 'zh-CN')).toBe('“这笔订单已经退过款，先核实”重复了，只能选一次。');
    const typo = errorsOf(doc(...header, '  - id: a', '    title: t', '    when:', '      shiped: true', '    note: n'));
    expect(lineErrorText(typo[0]!, 'zh-CN')).toBe('第 6 行：第 1 条规则的“shiped”：没有“shiped”这一项，是不是写错了？');
  });

  it('a required field, a boolean written as text, an empty condition list, a bad id, a value running on', () => {
    const missing = errorsOf(doc(...header, '  - id: a', '    when: {}', '    note: n'));
    expect(fieldErrorText(missing[0]!, 'zh-CN')).toBe('第 1 条规则的“标题”：必须填写。');
    const yes = errorsOf(doc(...header, '  - id: a', '    title: t', '    when:', '      shipped: yes', '    note: n'));
    expect(problemInWords(yes[0]!, 'zh-CN')).toBe('只能填 true（是）或 false（否）。');
    const empty = errorsOf(doc(...header, '  - id: a', '    title: t', '    when:', '      status: []', '    note: n'));
    expect(problemInWords(empty[0]!, 'zh-CN')).toMatch(/^这个条件一个值都没选/);
    const badId = errorsOf(doc(...header, '  - id: "S1 6"', '    title: t', '    when: {}', '    note: n'));
    expect(problemInWords(badId[0]!, 'zh-CN')).toMatch(/^只能用字母、数字/);
    const runsOn = errorsOf(doc(...header, '  - id: a', '    title: t', '    when: {}', '    actions:', '      - refund.agree', '       - refund.refuse'));
    expect(problemInWords(runsOn[0]!, 'zh-CN')).toContain('第 8 行');
  });

  it('an error of a server this page does not know: a plain sentence, the English words in English', () => {
    const e: RuleSetProblem = { line: 3, message: 'something new', code: 'brand_new' };
    expect(lineErrorText(e, 'zh-CN')).toBe('第 3 行：这里有错误，请检查。');
    expect(lineErrorText(e, 'en')).toBe('Line 3: something new');
  });
});
