/**
 * An audit entry's details as labelled fields (issue 15 §4), never raw JSON: a
 * key → label table, values in words (fen as ¥, ISO times in Asia/Shanghai,
 * booleans 是/否, codes by their names: statuses, reasons, roles, guards,
 * actions, 三包 clauses); unknown keys keep their key, humanised. Pure.
 */
import type { Label } from '../../../../../src/contract/labels.ts';
import { reasonLabels, refundStatusLabels, refundTypeLabels, tradeStatusLabels } from '../../../../../src/contract/labels.ts';
import { defaultWarrantyPolicy } from '../../../../../src/core/warranty/policy.ts';
import { dateTime, yuan } from '../../../shared/format.ts';
import type { Lang } from '../../../shared/i18n.tsx';
import { roleNames } from '../../messages.ts';
import { serviceMessages } from '../service/messages.ts';
import { actionLabels, guardLabels } from './rule-set-labels.ts';

/** The keys the server writes into audit details. */
export const auditDetailLabels: Record<string, Label> = {
  from: { 'zh-CN': '原状态', en: 'From' },
  to: { 'zh-CN': '新状态', en: 'To' },
  version: { 'zh-CN': '版本', en: 'Version' },
  payoutFen: { 'zh-CN': '退款金额', en: 'Paid out' },
  amountFen: { 'zh-CN': '金额', en: 'Amount' },
  defaultFen: { 'zh-CN': '默认金额', en: 'Default amount' },
  orderNo: { 'zh-CN': '订单号', en: 'Order no.' },
  orderId: { 'zh-CN': '订单', en: 'Order' },
  refundId: { 'zh-CN': '退款', en: 'Refund' },
  remarkId: { 'zh-CN': '备注编号', en: 'Remark no.' },
  recordId: { 'zh-CN': '记录编号', en: 'Record no.' },
  type: { 'zh-CN': '退款类型', en: 'Refund type' },
  reason: { 'zh-CN': '原因', en: 'Reason' },
  note: { 'zh-CN': '说明', en: 'Note' },
  basis: { 'zh-CN': '依据', en: 'Basis' },
  warnings: { 'zh-CN': '提醒', en: 'Warnings' },
  closedRefunds: { 'zh-CN': '关闭的退款', en: 'Refunds closed' },
  username: { 'zh-CN': '用户名', en: 'Username' },
  role: { 'zh-CN': '角色', en: 'Role' },
  changes: { 'zh-CN': '修改', en: 'Changes' },
  name: { 'zh-CN': '名称', en: 'Name' },
  rules: { 'zh-CN': '规则条数', en: 'Rules' },
  guards: { 'zh-CN': '保留的拦截', en: 'Blocks kept' },
  actions: { 'zh-CN': '操作', en: 'Actions' },
  action: { 'zh-CN': '操作', en: 'Action' },
  guard: { 'zh-CN': '拦截', en: 'Block' },
  code: { 'zh-CN': '拦截', en: 'Block' },
  clauseId: { 'zh-CN': '三包条款', en: '三包 clause' },
  policyVersion: { 'zh-CN': '三包政策版本', en: 'Policy version' },
  remedy: { 'zh-CN': '处理方式', en: 'Remedy' },
  options: { 'zh-CN': '可选方式', en: 'Options' },
  request: { 'zh-CN': '客户要求', en: 'Request' },
  requestDate: { 'zh-CN': '提出日期', en: 'Requested on' },
  fault: { 'zh-CN': '故障', en: 'Fault' },
  faultCode: { 'zh-CN': '故障代码', en: 'Fault code' },
  confirmedBy: { 'zh-CN': '确认方', en: 'Confirmed by' },
  condition: { 'zh-CN': '外观状况', en: 'Condition' },
  item: { 'zh-CN': '部件', en: 'Item' },
  part: { 'zh-CN': '部件', en: 'Part' },
  origin: { 'zh-CN': '来源', en: 'Origin' },
  periodBasis: { 'zh-CN': '期限起算依据', en: 'Period basis' },
  repairId: { 'zh-CN': '维修编号', en: 'Repair no.' },
  startedOn: { 'zh-CN': '开始日期', en: 'Started on' },
  finishedOn: { 'zh-CN': '完成日期', en: 'Finished on' },
  centreName: { 'zh-CN': '维修点', en: 'Service centre' },
  brand: { 'zh-CN': '品牌', en: 'Brand' },
  model: { 'zh-CN': '型号', en: 'Model' },
  idKind: { 'zh-CN': '识别码类型', en: 'Id kind' },
  purchaseDate: { 'zh-CN': '购买日期', en: 'Purchased on' },
  invoiceDate: { 'zh-CN': '发票日期', en: 'Invoice date' },
  serialNo: { 'zh-CN': '出厂编号', en: 'Serial no.' },
  next: { 'zh-CN': '下一步', en: 'Next' },
  previousDeviceId: { 'zh-CN': '原设备', en: 'Previous device' },
  sendBackId: { 'zh-CN': '送检单', en: 'Send-back' },
  hostPeriodsFrom: { 'zh-CN': '主机期限起算', en: 'Host periods from' },
  rows: { 'zh-CN': '行', en: 'Rows' },
  province: { 'zh-CN': '省份', en: 'Province' },
  styleCategory: { 'zh-CN': '款式类别', en: 'Style category' },
  postageTable: { 'zh-CN': '邮费表', en: 'Postage table' },
  ip: { 'zh-CN': 'IP 地址', en: 'IP address' },
  shopId: { 'zh-CN': '店铺', en: 'Shop' },
  targetShopId: { 'zh-CN': '目标店铺', en: 'Target shop' },
  permission: { 'zh-CN': '权限', en: 'Permission' },
  at: { 'zh-CN': '时间', en: 'At' },
  status: { 'zh-CN': '状态', en: 'Status' },
  count: { 'zh-CN': '数量', en: 'Count' },
  url: { 'zh-CN': '地址', en: 'URL' },
  file: { 'zh-CN': '文件', en: 'File' },
  fileName: { 'zh-CN': '文件名', en: 'File name' },
  message: { 'zh-CN': '说明', en: 'Message' },
};

/** Values the server writes in English, in words. */
const knownNotes: Record<string, Label> = {
  'S2.2: the goods had already left; the seller marked the order shipped (卖家已发货)': { 'zh-CN': 'S2.2：货已经发出，卖家点了“立即发货”（卖家已发货）。', en: 'S2.2: the goods had already left; the seller marked the order shipped.' },
  'S2.3: the buyer agreed to receive the goods; the seller shipped (卖家已发货)': { 'zh-CN': 'S2.3：买家同意收货，卖家已发货。', en: 'S2.3: the buyer agreed to receive the goods; the seller shipped.' },
  "S2.3: the seller shipped without the buyer's recorded consent (卖家已发货)": { 'zh-CN': 'S2.3：卖家发货时没有记录买家的同意（卖家已发货）。', en: "S2.3: the seller shipped without the buyer's recorded consent." },
};

/** A note the server wrote in English (the S2.2/S2.3 shipping notes) in the page's language; any other note as it is. */
export function noteInWords(note: string, lang: 'zh-CN' | 'en'): string {
  const known = knownNotes[note];
  return known ? known[lang] : note;
}

const basisLabels: Record<string, Label> = {
  already_shipped: { 'zh-CN': '货已发出', en: 'Already shipped' },
  buyer_agreed: { 'zh-CN': '买家同意收货', en: 'The buyer agreed' },
};

const clauseLabels: Record<string, Label> = Object.fromEntries(
  Object.values(defaultWarrantyPolicy.clauses).map((c) => [c.id, { 'zh-CN': c.titleZh, en: c.titleEn }]),
);

/** The codes a value may be, tried in order when the key does not say which. */
const anyCode: Record<string, Label>[] = [refundStatusLabels, tradeStatusLabels, clauseLabels, guardLabels, actionLabels, basisLabels];

function byKey(key: string): Record<string, Label> | undefined {
  if (key === 'type') return refundTypeLabels;
  if (key === 'reason') return reasonLabels;
  if (key === 'clauseId') return clauseLabels;
  if (key === 'guards' || key === 'guard' || key === 'code') return guardLabels;
  if (key === 'actions') return actionLabels;
  if (key === 'basis') return basisLabels;
  return undefined;
}

/** "payoutFen" → "Payout fen"; "closed_refunds" → "Closed refunds". */
export function humanise(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function detailLabel(key: string, lang: Lang): string {
  return auditDetailLabels[key]?.[lang] ?? humanise(key);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** One value in words. */
export function detailValue(key: string, value: unknown, lang: Lang): string {
  const zh = lang === 'zh-CN';
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? (zh ? '是' : 'yes') : zh ? '否' : 'no';
  if (typeof value === 'number') return /Fen$/.test(key) ? yuan(value) : String(value);
  if (typeof value === 'string') {
    if (ISO_TIME.test(value)) return dateTime(value, lang, true);
    const vocabulary = byKey(key);
    const named = vocabulary?.[value] ?? (key === 'role' ? undefined : anyCode.find((v) => v[value])?.[value]) ?? knownNotes[value];
    if (named) return named[lang];
    if (key === 'role') return (roleNames[lang] as Record<string, string>)[value] ?? value;
    // the service desk's repair records and dispatches
    const service = serviceMessages[lang] as Record<string, string>;
    if (key === 'from' || key === 'to') return service[`st_${value}`] ?? service[`dst_${value}`] ?? value;
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return zh ? '无' : 'none';
    return value.map((v) => detailValue(key, v, lang)).join(zh ? '、' : ', ');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    // a change: from → to
    if (entries.length === 2 && 'from' in value && 'to' in value) {
      const v = value as { from: unknown; to: unknown };
      return `${detailValue(key, v.from, lang)} → ${detailValue(key, v.to, lang)}`;
    }
    return entries.map(([k, v]) => `${detailLabel(k, lang)}${zh ? '：' : ': '}${detailValue(k, v, lang)}`).join(zh ? '；' : '; ');
  }
  return String(value);
}

/** The details as [label, value] pairs, in the order written. */
export function detailFields(details: Record<string, unknown>, lang: Lang): { key: string; label: string; value: string }[] {
  return Object.entries(details).map(([key, value]) => ({ key, label: detailLabel(key, lang), value: detailValue(key, value, lang) }));
}

/** A short line for the table: "原状态：… · 新状态：…". */
export function detailSummary(details: Record<string, unknown>, lang: Lang): string {
  const sep = lang === 'zh-CN' ? '：' : ': ';
  return detailFields(details, lang)
    .map((f) => `${f.label}${sep}${f.value}`)
    .join(' · ');
}

/**
 * An action code in words: its own label, or its record and verb
 * (`invoice.issue` → 发票开具); a code with neither stays as it is.
 */
export function actionName(
  code: string,
  lang: Lang,
  words: { actions: Record<string, string>; targets: Record<string, string>; verbs: Record<string, string> },
): string {
  const own = words.actions[code];
  if (own) return own;
  const dot = code.lastIndexOf('.');
  const target = words.targets[code.slice(0, dot)];
  const verb = words.verbs[code.slice(dot + 1)];
  if (dot > 0 && target && verb) return lang === 'zh-CN' ? `${target}${verb}` : `${target} ${verb}`;
  return code;
}
