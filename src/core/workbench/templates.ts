/**
 * zh-CN messages the agent sends the buyer over Wangwang (旺旺), in the polite
 * Taobao customer-service voice ("亲，…"), and the exact order remarks the SOP
 * prescribes. The wording follows the seed (第一篇): change the reason after
 * the phone call (S1.5/S1.13), enter the return tracking number (S1.12), leave
 * the Alipay account and name for the postage (S1.14), the clear reason of a
 * refusal (S1.15), the courier's latest trace (S1.6), the invoice title (S1.8).
 */
import { AppError } from '../errors.ts';

export const templatePlaceholders = ['buyerName', 'orderNo', 'reason', 'trackingNo', 'courier', 'trace', 'shopName', 'amount'] as const;
export type TemplatePlaceholder = (typeof templatePlaceholders)[number];

export const templateKeys = [
  'ask_change_reason',
  'ask_return_tracking',
  'ask_alipay_account',
  'explain_refusal',
  'tell_courier_trace',
  'ask_invoice_title',
] as const;
export type TemplateKey = (typeof templateKeys)[number];

export const templateTexts = {
  // S1.3/S1.5/S1.13: phone first, then the Wangwang message as the written trace
  ask_change_reason:
    '亲爱的{buyerName}，您好！我是{shopName}的售后客服。刚刚电话和您沟通过了，您的订单{orderNo}申请退款时选择的退款原因是“{reason}”，麻烦亲帮忙修改一下退款原因哦，修改后我们会尽快为您处理。给您添麻烦了，感谢亲的理解与支持！',
  // S1.12
  ask_return_tracking:
    '亲，您好！我是{shopName}的售后客服。您的订单{orderNo}的退货退款申请我们已经同意了，麻烦亲寄回鞋子后在退款里填写寄回的快递公司和单号，以便我们收到鞋子后尽快为您退款。谢谢亲！',
  // S1.14
  ask_alipay_account:
    '亲，您好！我是{shopName}的售后客服。您的订单{orderNo}已经为您退款了，因为是鞋子的质量问题，寄回的邮费由我们承担。麻烦亲留一下您的支付宝账号和对应的姓名，我们会从支付宝把邮费{amount}元退给您。谢谢亲！',
  // S1.15: the clear reason, so that no dispute follows
  explain_refusal:
    '亲爱的{buyerName}，您好！我是{shopName}的售后客服。关于您的订单{orderNo}的退款申请，我们核对了订单信息和聊天记录：{reason}。所以这次只能拒绝您的退款申请，给您带来不便非常抱歉。亲如果还有疑问，可以随时旺旺联系我们哦。',
  // S1.6
  tell_courier_trace:
    '亲，您好！我是{shopName}的售后客服。我们已经联系{courier}查询了您的订单{orderNo}的物流（运单号{trackingNo}），最新的物流信息是：{trace}。我们会继续跟进，有新的消息会第一时间告诉亲，请亲耐心等待一下哦！',
  // S1.8
  ask_invoice_title:
    '亲，您好！我是{shopName}的售后客服。您的订单{orderNo}申请退款的原因是“发票问题”，请问亲是需要开具发票吗？如果需要，麻烦告诉我们发票抬头是个人还是公司；公司抬头请提供公司名称和统一社会信用代码（税号），我们登记后提交财务为您开具。如果亲只是不想要了，麻烦修改一下退款原因和退款类型哦。谢谢亲！',
} as const satisfies Record<TemplateKey, string>;

/** What each template is for, for the picker in the workbench. */
export const templateLabels = {
  ask_change_reason: { 'zh-CN': '请买家修改退款原因', en: 'Ask the buyer to change the refund reason' },
  ask_return_tracking: { 'zh-CN': '请买家填写退货单号', en: 'Ask for the return tracking number' },
  ask_alipay_account: { 'zh-CN': '索要支付宝账号退邮费', en: 'Ask for the Alipay account to pay back postage' },
  explain_refusal: { 'zh-CN': '说明拒绝退款原因', en: 'Explain the refusal' },
  tell_courier_trace: { 'zh-CN': '告知最新物流信息', en: "Tell the courier's latest trace" },
  ask_invoice_title: { 'zh-CN': '询问发票抬头', en: 'Ask for the invoice title' },
} as const satisfies Record<TemplateKey, { 'zh-CN': string; en: string }>;

/** The order remarks (订单备注) the SOP prescribes, word for word. */
export const milestoneRemarks = {
  /** S1.1: the order numbers went to the warehouse to void */
  unshippedSubmitted: '已经提交未发退',
  /** S1.7: the claim form was stamped and filed */
  claimOpened: '索赔单已开',
  /** S1.16/S1.20: an after-sale refund was agreed, so it is never refunded twice */
  afterSaleApplied: '客户申请了售后退款',
} as const;

export type TemplateValues = Partial<Record<TemplatePlaceholder, string>>;

const placeholderPattern = /\{(\w+)\}/g;

/** The placeholders a template uses, in order of first use. */
export function placeholdersOf(key: TemplateKey): TemplatePlaceholder[] {
  const found: TemplatePlaceholder[] = [];
  for (const m of templateTexts[key].matchAll(placeholderPattern)) {
    const name = m[1] as TemplatePlaceholder;
    if (!found.includes(name)) found.push(name);
  }
  return found;
}

/**
 * Fills a template. Refuses, listing them, placeholders without a value (or
 * a blank one); `amount` must be a yuan string like formatYuan's "12.00".
 * Values are inserted as they are, in one pass: a value that contains
 * "{orderNo}" is not expanded again.
 */
export function renderTemplate(key: TemplateKey, values: TemplateValues): string {
  if (!(templateKeys as readonly string[]).includes(key)) {
    throw new AppError('VALIDATION_FAILED', `There is no message template ${String(key)}.`, { reason: 'unknown_template', template: key, templates: templateKeys });
  }
  const needed = placeholdersOf(key);
  const filled: Partial<Record<TemplatePlaceholder, string>> = {};
  const missing: TemplatePlaceholder[] = [];
  for (const name of needed) {
    const value = values[name];
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) missing.push(name);
    else filled[name] = text;
  }
  if (missing.length) {
    throw new AppError('VALIDATION_FAILED', `The message ${key} needs a value for: ${missing.join(', ')}.`, {
      reason: 'template_values_missing',
      template: key,
      missing,
    });
  }
  if (filled.amount !== undefined && !/^\d+\.\d{2}$/.test(filled.amount)) {
    throw new AppError('VALIDATION_FAILED', `The amount is written in yuan with two decimals, e.g. 12.00; got "${filled.amount}".`, {
      reason: 'amount_not_yuan',
      template: key,
    });
  }
  return templateTexts[key].replace(placeholderPattern, (_, name: string) => filled[name as TemplatePlaceholder] ?? '');
}
