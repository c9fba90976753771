/**
 * The playbook's rule set: a shop's SOP as data (S1, S2). A rule says when it
 * applies to a refund (type × reason × phase × status × what is known), what
 * the agent is to do (a checklist), which actions it offers, which guards hold
 * and which message templates fit. The default rule set is written from S1 and
 * S2 (default-rule-set.ts); a supervisor may export, change and import it.
 *
 * Pure: types, the fixed vocabularies and the zod schema of the document.
 * The version number is not part of the document; the database gives it.
 */
import { z } from 'zod';
import { guardCodes, type GuardCode } from '../guards/refund-guards.ts';
import {
  goodsStatuses,
  reasonCodes,
  refundPhases,
  refundStatuses,
  refundTypes,
  type GoodsStatus,
  type ReasonCode,
  type RefundPhase,
  type RefundStatus,
  type RefundType,
} from '../refund/refund-model.ts';

// ---------------------------------------------------------------- vocabularies

/** What a rule may offer the agent. Each is a use case of the workbench. */
export const playbookActions = [
  'contact.phone',
  'contact.wangwang',
  /** ask the buyer to change the reason (and type) of the refund (S1.3, S1.5, S2.4) */
  'reason.correction',
  /** recommend other styles or the current promotion (S1.2, S1.18) */
  'retention.offer',
  /** put the unshipped refund on the day's list for the warehouse to void (S1.1) */
  'batch.add',
  /** open a claim form (索赔单) for a lost parcel (S1.6, S1.7) */
  'claim.open',
  /** take the invoice title and pass it to finance (S1.8) */
  'invoice.request',
  /** send "not as described" to design and merchandise (S1.10) */
  'department.task',
  /** pay the return postage back by Alipay (S1.10, S1.14) */
  'postage.compensate',
  /** ask the courier for the parcel's trace (S1.6) */
  'courier.trace',
  /** ask the courier to recall a refused parcel (追件, S1.19) */
  'courier.recall',
  /** handle a complaint (投诉, S1.17) */
  'complaint.open',
  'refund.agree',
  'refund.refuse',
  'refund.confirm_receipt',
  'order.remark',
  /** mark the order shipped (立即发货, S2.2, S2.3) */
  'order.ship',
] as const;
export type Action = (typeof playbookActions)[number];

/**
 * What a rule may forbid. The rules that match a refund list the guards that
 * apply to it; whether an action breaks one is decided with more facts than
 * the playbook has, in src/core/guards/refund-guards.ts (one vocabulary).
 */
export { guardCodes, type GuardCode };

/** The message templates a rule can point to: the workbench's own (src/core/workbench/templates.ts). */
export { templateKeys, type TemplateKey } from '../workbench/templates.ts';
import { templateKeys } from '../workbench/templates.ts';

/** Facts that complete a checklist item without a tick. */
export const doneWhenKinds = [
  /** a phone contact is logged on the refund */
  'contact.phone',
  /** a Wangwang contact is logged on the refund */
  'contact.wangwang',
  /** the warehouse recorded the return's arrival (S1.13); only the record does it, never a tick */
  'warehouse.received',
  /** the warehouse's remark that the return arrived is on the order (S1.13 look 2): the arrival record's, or one the warehouse wrote */
  'warehouse.remarked',
  /** who pays the return postage is recorded, buyer or shop with the amount (S1.13); only the value does it, never a tick */
  'return_postage.recorded',
  /** the warehouse voided the unshipped order (S1.1) */
  'void.confirmed',
  /** the order is in the invoice book: an invoice record not cancelled (S1.8) */
  'invoice.registered',
  /** the courier was asked for the parcel's trace and answered, and the buyer was told how: a trace task (查件) of this refund is done (S1.6) */
  'courier.traced',
  /** the courier was asked to recall the parcel the buyer refused and answered: a recall task (追件) of this refund is done (S1.19) */
  'courier.recalled',
  /** design and merchandise answered the verification task of this refund (S1.10) */
  'department.answered',
] as const;
export type DoneWhen = (typeof doneWhenKinds)[number];

/** Items done only by what is recorded: a tick does not stand for the warehouse's record or for the postage value (S1.13). */
export const recordOnlyDoneWhen: readonly DoneWhen[] = ['warehouse.received', 'return_postage.recorded'];

/** Where the system knows a fact from, shown beside an item it ticked by itself. */
export interface FactSource {
  /** a record of the refund (return_arrival, contact, reason_correction, invoice), an order remark, the batch line, the refund's own postage value */
  kind: 'return_arrival' | 'contact' | 'courier_task' | 'department_task' | 'reason_correction' | 'invoice' | 'remark' | 'batch_line' | 'return_postage';
  /** the record's or remark's id; null when it has none */
  id: number | null;
  /** when it was recorded (ISO 8601) */
  at: string | null;
  /** who recorded it (a name, as remarks keep their author) */
  by: string | null;
  /** what it says, in short: the remark's text, the arrival's condition, the postage decision */
  text: string | null;
}

// ---------------------------------------------------------------- facts

/** What is known about one refund when its playbook is evaluated. */
export interface RefundFacts {
  type: RefundType;
  reason: ReasonCode;
  phase: RefundPhase;
  status: RefundStatus;
  goodsStatus: GoodsStatus;
  /** the order is marked shipped (it has a shipment) */
  shipped: boolean;
  /** the buyer signed for the parcel */
  signed: boolean;
  /** the warehouse recorded the return's arrival (S1.13) */
  warehouseReceived: boolean;
  /** S1.1: the warehouse voided the unshipped order */
  voidConfirmed: boolean;
  /** the order's remark texts, oldest first */
  remarks: string[];
  /** logged contacts on this refund */
  contacts: { channel: 'phone' | 'wangwang' }[];
  /** S1.6, S1.19: the courier tasks of this refund that are done: the courier traced or recalled the parcel (none when left out) */
  courierTasksDone?: { kind: 'trace' | 'recall' }[] | undefined;
  /** S1.10: design and merchandise answered a verification task of this refund (false when left out) */
  departmentAnswered?: boolean | undefined;
  /** checklist item ids already ticked on this refund (ids are unique in a rule set) */
  ticked: string[];
  /** S1.8: the order is in the invoice book (false when left out) */
  invoiceRegistered?: boolean | undefined;
  /** S1.5, S1.10: the reason corrections recorded on this refund, oldest first (none when left out) */
  corrections?: { fromReason: ReasonCode }[] | undefined;
  /** S1.13 look 2: the warehouse's remark that the return arrived is on the order (false when left out) */
  warehouseRemarked?: boolean | undefined;
  /** S1.13: who pays the return postage, once decided (undecided when left out) */
  returnPostage?: { payer: 'buyer' | 'shop'; amountFen: number } | null | undefined;
  /** where each fact that completes items comes from (none when left out) */
  sources?: Partial<Record<DoneWhen, FactSource>> | undefined;
  /** where each remark comes from, in the order of `remarks` (none when left out) */
  remarkSources?: readonly FactSource[] | undefined;
}

// ---------------------------------------------------------------- schema

/** Rule and checklist item ids: `S1.6`, `S1.6.phone`, `my-rule_2`. */
export const RULE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MAX_RULES = 500;
export const MAX_CHECKLIST_ITEMS = 50;

function zId(max: number) {
  return z
    .string()
    .max(max, `at most ${max} characters`)
    .regex(RULE_ID_PATTERN, 'letters, digits, ".", "_" and "-" only, starting with a letter or digit');
}
/** the tick route takes a rule id of at most 40 and an item id of at most 80 characters */
export const MAX_RULE_ID_LENGTH = 40;
export const MAX_ITEM_ID_LENGTH = 80;

function zText(max: number) {
  return z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
}

/** A list of vocabulary values, each once. */
function zList<const T extends readonly [string, ...string[]]>(values: T) {
  return z.array(z.enum(values)).superRefine((list, ctx) => {
    list.forEach((v, i) => {
      if (list.indexOf(v) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `"${v}" is listed twice` });
    });
  });
}

/** A `when` list: left out it matches anything; empty it would match nothing, so it is refused. */
function zWhenList<const T extends readonly [string, ...string[]]>(values: T) {
  return zList(values).min(1, 'an empty list matches no refund; leave the condition out to match any').optional();
}

export const ZRuleWhen = z.strictObject({
  type: zWhenList(refundTypes),
  reason: zWhenList(reasonCodes),
  phase: zWhenList(refundPhases),
  status: zWhenList(refundStatuses),
  goodsStatus: zWhenList(goodsStatuses),
  shipped: z.boolean().optional(),
  signed: z.boolean().optional(),
  warehouseReceived: z.boolean().optional(),
  /** matches when a reason correction recorded on the refund asked the buyer to change one of these reasons (S1.5, S1.10) */
  reasonCorrectedFrom: zWhenList(reasonCodes),
  /** matches when any remark of the order contains the text */
  remarkIncludes: zText(200).optional(),
  /** matches when no remark of the order contains the text */
  remarkExcludes: zText(200).optional(),
});
export type RuleWhen = z.infer<typeof ZRuleWhen>;
/** The conditions a `when` may hold; the more a rule has, the more specific it is. */
export const whenKeys = Object.keys(ZRuleWhen.shape) as (keyof RuleWhen)[];

export const ZChecklistItem = z.strictObject({
  /** unique in the whole rule set: a tick is stored by item id */
  id: zId(MAX_ITEM_ID_LENGTH),
  text: zText(500),
  /** done by the facts, without a tick */
  doneWhen: z.enum(doneWhenKinds).optional(),
  /** done when any remark of the order contains the text */
  doneWhenRemark: zText(200).optional(),
});
export type ChecklistItem = z.infer<typeof ZChecklistItem>;

export const ZRule = z.strictObject({
  id: zId(MAX_RULE_ID_LENGTH),
  title: zText(200),
  when: ZRuleWhen,
  checklist: z.array(ZChecklistItem).max(MAX_CHECKLIST_ITEMS, `at most ${MAX_CHECKLIST_ITEMS} items`).optional(),
  actions: zList(playbookActions).optional(),
  guards: zList(guardCodes).optional(),
  templates: zList(templateKeys).optional(),
  note: zText(2000).optional(),
});
export type Rule = z.infer<typeof ZRule>;

export interface RuleSetIssue {
  path: (string | number)[];
  message: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The checks across rules, on any input (also one the schema refuses, so the
 * parser can report them together): rule ids unique, checklist item ids
 * unique in the whole set, every rule giving the agent something.
 */
export function crossCheckRuleSet(input: unknown): RuleSetIssue[] {
  const issues: RuleSetIssue[] = [];
  if (!isRecord(input) || !Array.isArray(input.rules)) return issues;
  const ruleIds = new Map<string, number>();
  const itemIds = new Map<string, string>();
  input.rules.forEach((rule: unknown, r) => {
    if (!isRecord(rule)) return;
    const ruleId = typeof rule.id === 'string' ? rule.id : undefined;
    if (ruleId !== undefined) {
      const first = ruleIds.get(ruleId);
      if (first === undefined) ruleIds.set(ruleId, r);
      else issues.push({ path: ['rules', r, 'id'], message: `rule id "${ruleId}" is already used by rules[${first}]` });
    }
    const checklist = Array.isArray(rule.checklist) ? rule.checklist : [];
    checklist.forEach((item: unknown, i) => {
      if (!isRecord(item)) return;
      if (typeof item.id === 'string') {
        const owner = itemIds.get(item.id);
        if (owner === undefined) itemIds.set(item.id, ruleId ?? `rules[${r}]`);
        else
          issues.push({
            path: ['rules', r, 'checklist', i, 'id'],
            message: `checklist item id "${item.id}" is already used in rule "${owner}"; item ids are unique in the whole rule set`,
          });
      }
    });
    const gives = ['checklist', 'actions', 'guards', 'templates', 'note'].some((k) => rule[k] !== undefined);
    if (!gives) {
      issues.push({ path: ['rules', r], message: 'a rule gives nothing: add a checklist, actions, guards, templates or a note' });
    }
  });
  return issues;
}

/** The rule set document: a name and its rules, in order. */
export const ZRuleSet = z
  .strictObject({
    name: zText(100),
    rules: z
      .array(ZRule)
      .min(1, 'a rule set needs at least one rule')
      .max(MAX_RULES, `at most ${MAX_RULES} rules`),
  })
  .superRefine((ruleSet, ctx) => {
    for (const issue of crossCheckRuleSet(ruleSet)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
export type RuleSet = z.infer<typeof ZRuleSet>;
