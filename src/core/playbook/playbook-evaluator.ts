/**
 * The playbook of one refund: the rules of the shop's SOP that match it, most
 * specific first, with their checklist, the actions they offer, the guards
 * that apply and the message templates that fit.
 */
import {
  recordOnlyDoneWhen,
  whenKeys,
  type Action,
  type ChecklistItem,
  type DoneWhen,
  type FactSource,
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
  /** how it is done: the facts show it (doneWhen, doneWhenRemark), or ticked by someone; null while open */
  doneBy: 'tick' | 'facts' | null;
  /** the fact that completes it by itself, if any (null: ticked by hand only) */
  doneWhen: DoneWhen | null;
  /** false when only a record does it (the warehouse's arrival, the postage value): a tick does not count */
  tickable: boolean;
  /** where the system knows it from, when the facts did it */
  source: FactSource | null;
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
  if (when.reasonCorrectedFrom && !(facts.corrections ?? []).some((c) => when.reasonCorrectedFrom!.includes(c.fromReason))) return false;
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
    case 'warehouse.remarked':
      return facts.warehouseRemarked === true;
    case 'return_postage.recorded':
      return facts.returnPostage != null;
    case 'void.confirmed':
      return facts.voidConfirmed;
    case 'invoice.registered':
      return facts.invoiceRegistered === true;
    case 'courier.traced':
      return (facts.courierTasksDone ?? []).some((c) => c.kind === 'trace');
    case 'department.answered':
      return facts.departmentAnswered === true;
    case 'courier.recalled':
      return (facts.courierTasksDone ?? []).some((c) => c.kind === 'recall');
  }
}

/** The fact that completes the item and where it comes from, or null when the facts do not. */
function factOf(item: ChecklistItem, facts: RefundFacts): { source: FactSource | null } | null {
  if (item.doneWhen !== undefined && doneByFacts(item.doneWhen, facts)) return { source: facts.sources?.[item.doneWhen] ?? null };
  if (item.doneWhenRemark !== undefined) {
    const i = facts.remarks.findIndex((r) => r.includes(item.doneWhenRemark!));
    if (i >= 0) return { source: facts.remarkSources?.[i] ?? { kind: 'remark', id: null, at: null, by: null, text: facts.remarks[i] ?? null } };
  }
  return null;
}

function checklistItem(ruleId: string, item: ChecklistItem, facts: RefundFacts): PlaybookChecklistItem {
  const fact = factOf(item, facts);
  const tickable = item.doneWhen === undefined || !recordOnlyDoneWhen.includes(item.doneWhen);
  // what the system knows comes first, with where it knows it from; a tick stands only where a tick may
  const doneBy = fact ? 'facts' : tickable && facts.ticked.includes(item.id) ? 'tick' : null;
  return {
    ruleId,
    id: item.id,
    text: item.text,
    done: doneBy !== null,
    doneBy,
    doneWhen: item.doneWhen ?? null,
    tickable,
    source: fact?.source ?? null,
  };
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
