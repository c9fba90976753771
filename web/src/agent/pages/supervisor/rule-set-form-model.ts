/**
 * The rule set as the form holds it, and back to the document the server takes
 * (PUT /rule-set {text}: YAML, written by the parser's own serializer so the
 * paths of the server's errors point at the form's fields). Pure.
 */
import type { ReasonCode, RefundType } from '../../../../../src/core/refund/refund-model.ts';
import type { ChecklistItem, Rule, RuleSet, RuleWhen } from '../../../../../src/core/playbook/rule-set.ts';
import { serializeRuleSet } from '../../../../../src/core/playbook/rule-set-parser.ts';

/** Drops what the form leaves empty (an empty list, text or choice means "not set"); required fields stay, empty, for the server to name. */
export function cleanRule(rule: Rule): Rule {
  const when: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rule.when)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'string' && value.trim() === '') continue;
    when[key] = value;
  }
  const out: Rule = { id: rule.id.trim(), title: rule.title, when: when as RuleWhen };
  const checklist = (rule.checklist ?? []).map((item) => {
    const clean: ChecklistItem = { id: item.id.trim(), text: item.text };
    if (item.doneWhen) clean.doneWhen = item.doneWhen;
    if (item.doneWhenRemark && item.doneWhenRemark.trim() !== '') clean.doneWhenRemark = item.doneWhenRemark;
    return clean;
  });
  if (checklist.length) out.checklist = checklist;
  if (rule.actions?.length) out.actions = rule.actions;
  if (rule.guards?.length) out.guards = rule.guards;
  if (rule.templates?.length) out.templates = rule.templates;
  if (rule.note && rule.note.trim() !== '') out.note = rule.note;
  return out;
}

/** The text PUT /rule-set takes, from the form. */
export function ruleSetText(ruleSet: RuleSet): string {
  return serializeRuleSet({ name: ruleSet.name, rules: ruleSet.rules.map(cleanRule) });
}

/** Moves the element at `from` by `by` places (-1 up, 1 down); out of range, the same list. */
export function move<T>(list: readonly T[], from: number, by: number): T[] {
  const to = from + by;
  if (to < 0 || to >= list.length || from < 0 || from >= list.length) return [...list];
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item as T);
  return copy;
}

/** An id not yet used, from a stem: `rule-3`, `S1.1.4`. */
export function freshId(stem: string, used: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${stem}${n}`;
    if (!used.has(id)) return id;
  }
}

export function ruleIds(ruleSet: RuleSet): Set<string> {
  return new Set(ruleSet.rules.map((r) => r.id));
}

export function itemIds(ruleSet: RuleSet): Set<string> {
  return new Set(ruleSet.rules.flatMap((r) => (r.checklist ?? []).map((i) => i.id)));
}

/**
 * Does the rule apply to refunds of this type and reason? A rule without the
 * condition applies to any; `undefined` filters nothing.
 */
export function ruleMatches(rule: Rule, filter: { type?: RefundType | undefined; reason?: ReasonCode | undefined; text?: string | undefined }): boolean {
  if (filter.type && rule.when.type && !rule.when.type.includes(filter.type)) return false;
  if (filter.reason && rule.when.reason && !rule.when.reason.includes(filter.reason)) return false;
  const text = filter.text?.trim().toLowerCase();
  if (text && !`${rule.id} ${rule.title}`.toLowerCase().includes(text)) return false;
  return true;
}

/** The number of conditions a rule has (the more, the more specific). */
export function conditionCount(when: RuleWhen): number {
  return Object.values(when).filter((v) => v !== undefined && !(Array.isArray(v) && v.length === 0) && v !== '').length;
}
