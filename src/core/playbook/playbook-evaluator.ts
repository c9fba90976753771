/**
 * The playbook of one refund: the rules of the shop's SOP that match it, most
 * specific first, with their checklist, the actions they offer, the guards
 * that apply and the message templates that fit.
 */
import {
  whenKeys,
  type Action,
  type ChecklistItem,
  type DoneWhen,
  type GuardCode,
  type RefundFacts,
  type Rule,
  type RuleSet,
  type RuleWhen,
  type TemplateKey,
} from './rule-set.ts';

export interface PlaybookChecklistItem {
  ruleId: string;
  id: string;
  text: string;
  done: boolean;
  /** how it is done: ticked by someone, or the facts show it (doneWhen, doneWhenRemark); null while open */
  doneBy: 'tick' | 'facts' | null;
}

export interface Playbook {
  /** the matching rules, most specific first (ties in document order) */
  rules: { id: string; title: string; note: string | null }[];
  checklist: PlaybookChecklistItem[];
  actions: Action[];
  /** the guards the matching rules list: they apply to this refund */
  guards: GuardCode[];
  templates: TemplateKey[];
}

function anyRemarkIncludes(remarks: readonly string[], text: string): boolean {
  return remarks.some((r) => r.includes(text));
}

/** Whether a rule's `when` matches the facts; a condition left out matches anything. */
export function whenMatches(when: RuleWhen, facts: RefundFacts): boolean {
  if (when.type && !when.type.includes(facts.type)) return false;
  if (when.reason && !when.reason.includes(facts.reason)) return false;
  if (when.phase && !when.phase.includes(facts.phase)) return false;
  if (when.status && !when.status.includes(facts.status)) return false;
  if (when.goodsStatus && !when.goodsStatus.includes(facts.goodsStatus)) return false;
  if (when.shipped !== undefined && when.shipped !== facts.shipped) return false;
  if (when.signed !== undefined && when.signed !== facts.signed) return false;
  if (when.warehouseReceived !== undefined && when.warehouseReceived !== facts.warehouseReceived) return false;
  if (when.remarkIncludes !== undefined && !anyRemarkIncludes(facts.remarks, when.remarkIncludes)) return false;
  if (when.remarkExcludes !== undefined && anyRemarkIncludes(facts.remarks, when.remarkExcludes)) return false;
  return true;
}

/** How specific a rule is: the number of conditions in its `when`. */
export function ruleSpecificity(rule: Pick<Rule, 'when'>): number {
  return whenKeys.filter((k) => rule.when[k] !== undefined).length;
}

/** The matching rules, most specific first; ties keep the document's order. */
export function matchingRules(ruleSet: RuleSet, facts: RefundFacts): Rule[] {
  return ruleSet.rules
    .map((rule, index) => ({ rule, index, specificity: ruleSpecificity(rule) }))
    .filter(({ rule }) => whenMatches(rule.when, facts))
    .sort((a, b) => b.specificity - a.specificity || a.index - b.index)
    .map(({ rule }) => rule);
}

function doneByFacts(kind: DoneWhen, facts: RefundFacts): boolean {
  switch (kind) {
    case 'contact.phone':
      return facts.contacts.some((c) => c.channel === 'phone');
    case 'contact.wangwang':
      return facts.contacts.some((c) => c.channel === 'wangwang');
    case 'warehouse.received':
      return facts.warehouseReceived;
    case 'void.confirmed':
      return facts.voidConfirmed;
  }
}

function checklistItem(ruleId: string, item: ChecklistItem, facts: RefundFacts): PlaybookChecklistItem {
  const byFacts =
    (item.doneWhen !== undefined && doneByFacts(item.doneWhen, facts)) ||
    (item.doneWhenRemark !== undefined && anyRemarkIncludes(facts.remarks, item.doneWhenRemark));
  const doneBy = facts.ticked.includes(item.id) ? 'tick' : byFacts ? 'facts' : null;
  return { ruleId, id: item.id, text: item.text, done: doneBy !== null, doneBy };
}

function pushNew<T>(into: T[], values: readonly T[] | undefined): void {
  for (const v of values ?? []) if (!into.includes(v)) into.push(v);
}

/** The playbook of a refund under a rule set. */
export function evaluatePlaybook(ruleSet: RuleSet, facts: RefundFacts): Playbook {
  const rules = matchingRules(ruleSet, facts);
  const playbook: Playbook = { rules: [], checklist: [], actions: [], guards: [], templates: [] };
  for (const rule of rules) {
    playbook.rules.push({ id: rule.id, title: rule.title, note: rule.note ?? null });
    for (const item of rule.checklist ?? []) playbook.checklist.push(checklistItem(rule.id, item, facts));
    pushNew(playbook.actions, rule.actions);
    pushNew(playbook.guards, rule.guards);
    pushNew(playbook.templates, rule.templates);
  }
  return playbook;
}
