/**
 * The rule set's vocabulary in words (src/core/playbook/rule-set.ts): the
 * fields of a rule, the facts that complete a checklist item, and the names of
 * the actions, guards and templates a rule lists. One table for the form, the
 * catalogue and the error messages, so a code never shows on its own.
 */
import type { Label } from '../../../../../src/contract/labels.ts';
import { goodsStatusLabels, phaseLabels, reasonLabels, refundStatusLabels, refundTypeLabels } from '../../../../../src/contract/labels.ts';
import type { Action, DoneWhen, GuardCode, Rule, RuleWhen, ChecklistItem } from '../../../../../src/core/playbook/rule-set.ts';
import { templateLabels } from '../../../../../src/core/workbench/templates.ts';
import type { Lang } from '../../../shared/i18n.tsx';
import { guardMessages, guardShortMessages, playbookActionMessages } from '../refund/messages.ts';

/** What each fact that completes a checklist item by itself is called. */
export const doneWhenLabels = {
  'contact.phone': { 'zh-CN': '已登记电话联系', en: 'A phone contact is logged' },
  'contact.wangwang': { 'zh-CN': '已登记旺旺联系', en: 'A Wangwang contact is logged' },
  'warehouse.received': { 'zh-CN': '仓库已登记收到退货（只能由记录完成）', en: 'The warehouse recorded the arrival (only the record does it)' },
  'warehouse.remarked': { 'zh-CN': '订单上有仓库到货备注', en: "The warehouse's arrival remark is on the order" },
  'return_postage.recorded': { 'zh-CN': '已记录寄回邮费由谁承担（只能由记录完成）', en: 'Who pays the return postage is recorded (only the record does it)' },
  'void.confirmed': { 'zh-CN': '仓库已确认作废订单', en: 'The warehouse voided the order' },
  'invoice.registered': { 'zh-CN': '订单已登记发票本', en: 'The order is in the invoice book' },
  'courier.traced': { 'zh-CN': '快递已回复查件结果', en: 'The courier answered the trace' },
  'courier.recalled': { 'zh-CN': '快递已回复追件结果', en: 'The courier answered the recall' },
  'department.answered': { 'zh-CN': '设计部/货品部已回复核实结果', en: 'Design and merchandise answered' },
} as const satisfies Record<DoneWhen, Label>;

type FieldKey = keyof Rule | keyof RuleWhen | keyof ChecklistItem | 'name' | 'rules';

/** The fields of the document, the rule, its conditions and its checklist items. */
export const fieldLabels = {
  name: { 'zh-CN': '规则集名称', en: 'Rule set name' },
  rules: { 'zh-CN': '规则', en: 'Rules' },
  id: { 'zh-CN': '编号', en: 'Id' },
  title: { 'zh-CN': '标题', en: 'Title' },
  when: { 'zh-CN': '适用条件', en: 'Applies when' },
  type: { 'zh-CN': '退款类型', en: 'Refund type' },
  reason: { 'zh-CN': '退款原因', en: 'Reason' },
  phase: { 'zh-CN': '售中/售后', en: 'Phase' },
  status: { 'zh-CN': '退款状态', en: 'Refund status' },
  goodsStatus: { 'zh-CN': '货物状态', en: 'Goods status' },
  shipped: { 'zh-CN': '已发货', en: 'Shipped' },
  signed: { 'zh-CN': '买家已签收', en: 'Signed for' },
  warehouseReceived: { 'zh-CN': '仓库已收到退货', en: 'Return received' },
  reasonCorrectedFrom: { 'zh-CN': '已请买家改掉的原因', en: 'Reason the buyer was asked to change' },
  remarkIncludes: { 'zh-CN': '订单备注包含', en: 'A remark contains' },
  remarkExcludes: { 'zh-CN': '订单备注不含', en: 'No remark contains' },
  checklist: { 'zh-CN': '检查项', en: 'Checklist item' },
  text: { 'zh-CN': '内容', en: 'Text' },
  doneWhen: { 'zh-CN': '自动完成条件', en: 'Done by itself when' },
  doneWhenRemark: { 'zh-CN': '备注含此文字时完成', en: 'Done when a remark contains' },
  actions: { 'zh-CN': '可用操作', en: 'Actions' },
  guards: { 'zh-CN': '拦截', en: 'Blocks' },
  templates: { 'zh-CN': '旺旺话术', en: 'Message templates' },
  note: { 'zh-CN': '说明', en: 'Note' },
} as const satisfies Record<FieldKey, Label>;

/** The three-valued conditions (shipped, signed, received): left out, yes or no. */
export const yesNoLabels = {
  any: { 'zh-CN': '不限', en: 'Any' },
  yes: { 'zh-CN': '是', en: 'Yes' },
  no: { 'zh-CN': '否', en: 'No' },
} as const satisfies Record<string, Label>;

function fromMessages<K extends string>(messages: { 'zh-CN': Record<K, string>; en: Record<K, string> }): Record<K, Label> {
  const out = {} as Record<K, Label>;
  for (const key of Object.keys(messages['zh-CN']) as K[]) out[key] = { 'zh-CN': messages['zh-CN'][key], en: messages.en[key] };
  return out;
}

/** The playbook's actions by name (the refund page's words). */
export const actionLabels: Record<Action, Label> = fromMessages(playbookActionMessages);
/** Each guard in a few words (the refund page's heading). */
export const guardLabels: Record<GuardCode, Label> = fromMessages(guardShortMessages);
/** Each guard's rule, in a sentence or two. */
export const guardExplanations: Record<GuardCode, Label> = fromMessages(guardMessages);

/** The labels of the values a field takes, for the fields that take a vocabulary. */
export const valueLabels: Partial<Record<string, Record<string, Label>>> = {
  type: refundTypeLabels,
  reason: reasonLabels,
  reasonCorrectedFrom: reasonLabels,
  phase: phaseLabels,
  status: refundStatusLabels,
  goodsStatus: goodsStatusLabels,
  doneWhen: doneWhenLabels,
  actions: actionLabels,
  guards: guardLabels,
  templates: templateLabels,
};

export function say(label: Label | undefined, lang: Lang, fallback: string): string {
  return label ? label[lang] : fallback;
}

/** A value of a field in words (its code when it has no name). */
export function valueName(field: string, value: string, lang: Lang): string {
  return say(valueLabels[field]?.[value], lang, value);
}

/** A field's name in words; an unknown key as it is. */
export function fieldName(key: string, lang: Lang): string {
  return say((fieldLabels as Record<string, Label>)[key], lang, key);
}
