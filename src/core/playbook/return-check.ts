/**
 * S1.13 the three looks (三看) before a return is confirmed, as one list: the
 * checklist items of the matching rules that list GUARD_RETURN_NOT_CHECKED,
 * with the warehouse's arrival record and the return postage value always
 * among them (a rule set that names neither gets them from the guard itself).
 * The guard names exactly the items still open, and the receipt dialog shows
 * this same list: one source, so the dialog can never call something missing
 * that it shows as known.
 */
import { recordOnlyDoneWhen, type DoneWhen, type RefundFacts, type RuleSet } from './rule-set.ts';
import type { Playbook, PlaybookChecklistItem } from './playbook-evaluator.ts';

export const RETURN_GUARD = 'GUARD_RETURN_NOT_CHECKED';

/** What the guard asks for when the rule set has no item for it. */
const guardItems: Record<'warehouse.received' | 'return_postage.recorded', { id: string; text: string }> = {
  'warehouse.received': { id: `${RETURN_GUARD}.arrived`, text: '仓库已收到客户寄回的鞋（仓库登记到货）' },
  'return_postage.recorded': { id: `${RETURN_GUARD}.postage`, text: '寄回的邮费是我们承担还是客户承担（记录承担方和金额）' },
};

export interface ReturnCheck {
  /** the rules whose items these are */
  ruleIds: string[];
  items: PlaybookChecklistItem[];
  /** the texts of the items still open, in order: what the guard refuses with */
  missing: string[];
}

function done(kind: DoneWhen, facts: RefundFacts): boolean {
  return kind === 'warehouse.received' ? facts.warehouseReceived : facts.returnPostage != null;
}

/** The S1.13 list of a refund's playbook, or null when no matching rule lists the guard. */
export function returnCheck(ruleSet: RuleSet, playbook: Pick<Playbook, 'rules' | 'checklist'>, facts: RefundFacts): ReturnCheck | null {
  const matched = new Set(playbook.rules.map((r) => r.id));
  const ruleIds = ruleSet.rules.filter((r) => matched.has(r.id) && (r.guards ?? []).includes(RETURN_GUARD)).map((r) => r.id);
  if (ruleIds.length === 0) return null;
  const items = playbook.checklist.filter((c) => ruleIds.includes(c.ruleId));
  for (const kind of recordOnlyDoneWhen) {
    if (kind !== 'warehouse.received' && kind !== 'return_postage.recorded') continue;
    if (items.some((c) => c.doneWhen === kind)) continue;
    const known = done(kind, facts);
    items.push({
      ruleId: ruleIds[0]!,
      ...guardItems[kind],
      done: known,
      doneBy: known ? 'facts' : null,
      doneWhen: kind,
      tickable: false,
      source: known ? (facts.sources?.[kind] ?? null) : null,
    });
  }
  return { ruleIds, items, missing: items.filter((c) => !c.done).map((c) => c.text) };
}
