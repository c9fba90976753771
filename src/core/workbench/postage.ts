/**
 * S1.14 return-postage compensation (退邮费): after refunding a quality-issue
 * return, the agent asks the buyer by Wangwang for the Alipay account and the
 * name on it, and finance pays the return postage back. The amount depends on
 * the buyer's address and the shoe's style: a per-shop table of province ×
 * style category, which the agent may override with a reason.
 */
import { AppError } from '../errors.ts';
import type { Fen } from '../money.ts';
import type { ReasonCode, RefundStatus } from '../refund/refund-model.ts';
import type { RootCause } from '../refund/root-causes.ts';
import type { Role } from '../roles.ts';
import { charCount, issue, normalizeCode, readFen, readText, throwIfIssues, type FieldIssue } from './fields.ts';
import { requireTransition, type RecordChange, type TransitionTable, type WorkbenchContext } from './record-machine.ts';

/** The 34 provincial-level divisions, full names, with the short form buyers' addresses use and the GB/T 2260 code. */
export const provincialDivisions = [
  { name: '北京市', short: '北京', code: '11' },
  { name: '天津市', short: '天津', code: '12' },
  { name: '河北省', short: '河北', code: '13' },
  { name: '山西省', short: '山西', code: '14' },
  { name: '内蒙古自治区', short: '内蒙古', code: '15' },
  { name: '辽宁省', short: '辽宁', code: '21' },
  { name: '吉林省', short: '吉林', code: '22' },
  { name: '黑龙江省', short: '黑龙江', code: '23' },
  { name: '上海市', short: '上海', code: '31' },
  { name: '江苏省', short: '江苏', code: '32' },
  { name: '浙江省', short: '浙江', code: '33' },
  { name: '安徽省', short: '安徽', code: '34' },
  { name: '福建省', short: '福建', code: '35' },
  { name: '江西省', short: '江西', code: '36' },
  { name: '山东省', short: '山东', code: '37' },
  { name: '河南省', short: '河南', code: '41' },
  { name: '湖北省', short: '湖北', code: '42' },
  { name: '湖南省', short: '湖南', code: '43' },
  { name: '广东省', short: '广东', code: '44' },
  { name: '广西壮族自治区', short: '广西', code: '45' },
  { name: '海南省', short: '海南', code: '46' },
  { name: '重庆市', short: '重庆', code: '50' },
  { name: '四川省', short: '四川', code: '51' },
  { name: '贵州省', short: '贵州', code: '52' },
  { name: '云南省', short: '云南', code: '53' },
  { name: '西藏自治区', short: '西藏', code: '54' },
  { name: '陕西省', short: '陕西', code: '61' },
  { name: '甘肃省', short: '甘肃', code: '62' },
  { name: '青海省', short: '青海', code: '63' },
  { name: '宁夏回族自治区', short: '宁夏', code: '64' },
  { name: '新疆维吾尔自治区', short: '新疆', code: '65' },
  { name: '台湾省', short: '台湾', code: '71' },
  { name: '香港特别行政区', short: '香港', code: '81' },
  { name: '澳门特别行政区', short: '澳门', code: '82' },
] as const;
export type ProvinceName = (typeof provincialDivisions)[number]['name'];
export const provinceNames: readonly ProvinceName[] = provincialDivisions.map((d) => d.name);

const byName = new Map<string, ProvinceName>();
for (const d of provincialDivisions) {
  byName.set(d.name, d.name);
  byName.set(d.short, d.name);
}

/** The full name of a province given in full ('浙江省') or short ('浙江', as order addresses have it), or null. */
export function normalizeProvince(value: string): ProvinceName | null {
  return byName.get(value.normalize('NFKC').trim()) ?? null;
}

export interface PostageRow {
  province: string;
  styleCategory: string;
  amountFen: Fen;
}

export interface PostageTable {
  rows: PostageRow[];
  /** paid where no row matches a known province; absent: no default */
  defaultFen?: Fen | undefined;
}

/** The table's amount for a province and style category: the matching row, else the default, else null (and null for an unknown province). */
export function lookupPostage(table: PostageTable, province: string, styleCategory: string): Fen | null {
  const p = normalizeProvince(province);
  if (!p) return null;
  const category = styleCategory.trim();
  const row = table.rows.find((r) => normalizeProvince(r.province) === p && r.styleCategory.trim() === category);
  if (row) return row.amountFen;
  return table.defaultFen ?? null;
}

/** S1.14: a table the shop can save: known provinces, no duplicate province × style, whole non-negative fen. Returns it with full province names. */
export function validatePostageTable(table: PostageTable): PostageTable {
  const issues: FieldIssue[] = [];
  const rows: PostageRow[] = [];
  if (!Array.isArray(table.rows)) {
    issues.push(issue('rows', 'required', 'The postage table needs a list of rows.'));
  } else {
    const seen = new Map<string, number>();
    table.rows.forEach((row, i) => {
      const at = `rows[${i}]`;
      const province = typeof row.province === 'string' ? normalizeProvince(row.province) : null;
      if (!province) {
        issues.push(issue(`${at}.province`, 'unknown', `Row ${i + 1}: "${String(row.province)}" is not one of the 34 provincial-level divisions (e.g. 浙江省, 北京市, 广西壮族自治区).`));
      }
      const styleCategory = readText(issues, row.styleCategory, { field: `${at}.styleCategory`, label: `Row ${i + 1}: the style category (款式类别)`, min: 1, max: 30 });
      const amountFen = readFen(issues, row.amountFen, { field: `${at}.amountFen`, label: `Row ${i + 1}: the postage`, min: 0 });
      if (province && styleCategory !== null) {
        const key = `${province}\u0000${styleCategory}`;
        const first = seen.get(key);
        if (first !== undefined) {
          issues.push(issue(`${at}`, 'duplicate', `Row ${i + 1} repeats row ${first + 1}: ${province} × ${styleCategory} may have one postage only.`));
        } else seen.set(key, i);
      }
      if (province && styleCategory !== null && amountFen !== null) rows.push({ province, styleCategory, amountFen });
    });
  }
  let defaultFen: Fen | undefined;
  if (table.defaultFen !== undefined && table.defaultFen !== null) {
    defaultFen = readFen(issues, table.defaultFen, { field: 'defaultFen', label: 'The default postage', min: 0 }) ?? undefined;
  }
  throwIfIssues('S1.14 postage table', issues);
  return defaultFen === undefined ? { rows } : { rows, defaultFen };
}

export interface PostageDecisionInput {
  table: PostageTable;
  /** the buyer's province (full or short name) */
  province: string;
  /** the shoe's style category, as the table names it */
  styleCategory: string;
  /** an amount other than the table's */
  overrideFen?: Fen | null | undefined;
  /** why (at least 2 characters); required with an override */
  overrideReason?: string | null | undefined;
}

export interface PostageDecision {
  amountFen: Fen;
  /** where the amount came from */
  source: 'table' | 'default' | 'override';
  /** what the table says (row or default), null if nothing */
  tableFen: Fen | null;
  overrideReason: string | null;
  province: ProvinceName;
  styleCategory: string;
}

/**
 * S1.14: how much postage to pay back. The table decides; an override needs a
 * reason; with neither a table amount nor an override it refuses. An override
 * equal to the table's amount is no override and needs no reason.
 */
export function decidePostageAmount(input: PostageDecisionInput): PostageDecision {
  const issues: FieldIssue[] = [];
  const province = normalizeProvince(String(input.province ?? ''));
  if (!province) {
    issues.push(issue('province', 'unknown', `"${String(input.province)}" is not one of the 34 provincial-level divisions.`));
  }
  const styleCategory = readText(issues, input.styleCategory, { field: 'styleCategory', label: 'The style category (款式类别)', min: 1, max: 30 });
  const overriding = input.overrideFen !== undefined && input.overrideFen !== null;
  const overrideFen = overriding ? readFen(issues, input.overrideFen, { field: 'overrideFen', label: 'The postage entered by hand', min: 1 }) : null;
  throwIfIssues('S1.14 postage', issues);
  const p = province as ProvinceName;
  const category = styleCategory as string;
  const row = input.table.rows.find((r) => normalizeProvince(r.province) === p && r.styleCategory.trim() === category);
  const tableFen = row ? row.amountFen : (input.table.defaultFen ?? null);
  const tableSource = row ? 'table' : 'default';
  if (overrideFen !== null && overrideFen !== tableFen) {
    const reason = readText(issues, input.overrideReason, { field: 'overrideReason', label: 'The reason for a postage other than the table\'s', min: 2, max: 200 });
    throwIfIssues('S1.14 postage', issues);
    return { amountFen: overrideFen, source: 'override', tableFen, overrideReason: reason, province: p, styleCategory: category };
  }
  if (tableFen === null) {
    throw new AppError(
      'VALIDATION_FAILED',
      `S1.14: the postage table has no amount for ${p} × ${category} and no default; enter the amount by hand with a reason, or add the row to the table.`,
      { reason: 'no_postage_rate', field: 'overrideFen', province: p, styleCategory: category },
    );
  }
  return { amountFen: tableFen, source: tableSource, tableFen, overrideReason: null, province: p, styleCategory: category };
}

export type AlipayAccountCheck =
  | { ok: true; kind: 'mobile' | 'email'; normalized: string }
  | { ok: false; reason: 'empty' | 'invalid_mobile' | 'invalid_email' | 'invalid'; message: string };

/** The buyer's Alipay account: a mainland mobile number (11 digits, 1[3-9]…, an optional +86) or an e-mail address. */
export function checkAlipayAccount(value: string): AlipayAccountCheck {
  const text = value.normalize('NFKC').trim();
  if (!text) return { ok: false, reason: 'empty', message: 'The Alipay account (支付宝账号) is required.' };
  if (text.includes('@')) {
    const m = /^([^\s@]{1,64})@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})$/.exec(text);
    if (!m || text.length > 254 || /^\.|\.\.|\.$/.test(m[1] ?? '')) {
      return { ok: false, reason: 'invalid_email', message: `"${text}" is not an e-mail address an Alipay account can have.` };
    }
    return { ok: true, kind: 'email', normalized: `${m[1]}@${(m[2] ?? '').toLowerCase()}` };
  }
  const digits = text.replace(/[\s-]/g, '').replace(/^(?:\+86|0086|86)(?=1\d{10}$)/, '');
  if (/^\d+$/.test(digits) || /^\+\d+$/.test(digits)) {
    if (/^1[3-9]\d{9}$/.test(digits)) return { ok: true, kind: 'mobile', normalized: digits };
    return { ok: false, reason: 'invalid_mobile', message: `"${text}" is not a mainland mobile number (11 digits starting 13–19).` };
  }
  return { ok: false, reason: 'invalid', message: 'The Alipay account is a mobile number or an e-mail address.' };
}

export type RealNameCheck = { ok: true; normalized: string } | { ok: false; reason: 'empty' | 'length' | 'invalid_characters'; message: string };

const han = /^\p{Script=Han}+(?:·\p{Script=Han}+)*$/u;
const latin = /^\p{Script=Latin}+\.?(?:[ '-]\p{Script=Latin}+\.?)*$/u;

/** The real name on the Alipay account (支付宝实名): Chinese (with · between parts, 阿卜杜拉·艾尼) or Latin, 2–30 characters. */
export function checkRealName(value: string): RealNameCheck {
  const text = value
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[•‧・･]/g, '·')
    .replace(/\s*·\s*/g, '·');
  if (!text) return { ok: false, reason: 'empty', message: 'The real name on the Alipay account (真实姓名) is required.' };
  const n = charCount(text);
  if (n < 2 || n > 30) return { ok: false, reason: 'length', message: `The real name has 2 to 30 characters; "${text}" has ${n}.` };
  if (!han.test(text) && !latin.test(text)) {
    return { ok: false, reason: 'invalid_characters', message: 'The real name is written in Chinese or in Latin letters, not mixed, without digits or symbols.' };
  }
  return { ok: true, normalized: text };
}

/** The platform reasons that put the fault on the shop: it pays the return postage back (S1.10, S1.14). */
export const shopFaultReasons: readonly ReasonCode[] = ['quality', 'not_as_described', 'damaged'];
/** The root causes (S1.2, what really happened) that are the shop's fault. */
export const shopFaultRootCauses: readonly RootCause[] = ['quality_defect', 'not_as_pictured', 'wrong_item_sent', 'damaged_in_transit'];

/**
 * Why the shop owes the return postage: the platform reason says it is the
 * shop's fault; or the buyer changed such a reason on our advice (S1.5, S1.10:
 * 引导客户修改退款原因，客户所寄回的邮费我们承担); or the root cause recorded is
 * the shop's fault, whatever the platform reason says now.
 */
export type PostageOwedBecause = 'reason' | 'reason_correction' | 'root_cause';

export interface PostageOwedFacts {
  status: RefundStatus;
  /** the platform reason now */
  reason: ReasonCode;
  /** S1.2: the root cause recorded, if any */
  rootCause: string | null;
  /** the reason corrections recorded on the refund */
  corrections: readonly { fromReason: ReasonCode; toReason: ReasonCode; buyerAnswer: string }[];
}

/** S1.14/S1.10: whether (and why) the shop pays the return postage back; null when it does not (or not yet: the refund has not succeeded). */
export function postageOwedBecause(f: PostageOwedFacts): PostageOwedBecause | null {
  if (f.status !== 'SUCCESS') return null;
  if (shopFaultReasons.includes(f.reason)) return 'reason';
  // the buyer followed our advice: agreed when asked, or the reason is now the one we asked for
  const followed = f.corrections.some((c) => shopFaultReasons.includes(c.fromReason) && (c.buyerAnswer === 'agreed' || c.toReason === f.reason));
  if (followed) return 'reason_correction';
  if (f.rootCause !== null && (shopFaultRootCauses as readonly string[]).includes(f.rootCause)) return 'root_cause';
  return null;
}

export const postageStatuses = [
  /** the buyer's account is known, waiting for finance */
  'requested',
  /** finance paid it through Alipay (final) */
  'paid',
  /** not paid after all (final) */
  'cancelled',
] as const;
export type PostageStatus = (typeof postageStatuses)[number];

export const postageActions = ['pay', 'cancel'] as const;
export type PostageAction = (typeof postageActions)[number];

export const postageTransitions = {
  requested: { pay: 'paid', cancel: 'cancelled' },
  paid: {},
  cancelled: {},
} as const satisfies TransitionTable<PostageStatus, PostageAction>;

export const postageActionRoles = {
  pay: ['finance'],
  cancel: ['agent', 'supervisor', 'finance'],
} as const satisfies Record<PostageAction, readonly Role[]>;

export interface PostageRequestInput extends PostageDecisionInput {
  orderNo: string;
  alipayAccount: string;
  realName: string;
  /** why the shop owes it (postageOwedBecause); kept on the record */
  owedBecause?: PostageOwedBecause | null | undefined;
}

export interface PostageRequest {
  orderNo: string;
  alipayAccount: string;
  alipayAccountKind: 'mobile' | 'email';
  realName: string;
  decision: PostageDecision;
  amountFen: Fen;
  status: PostageStatus;
  requestedAt: string;
  paid: { paymentRef: string; at: string } | null;
  cancelled: { reason: string; at: string } | null;
  updatedAt: string;
  /** why the shop owes it (absent on records made before it was kept) */
  owedBecause?: PostageOwedBecause;
}

export type PostageCommand = { action: 'pay'; paymentRef: string } | { action: 'cancel'; reason: string };
export type PostageChange = RecordChange<PostageRequest, PostageStatus, PostageAction>;

/** S1.14: the payee, checked: the Alipay account and the real name on it. */
export function validatePostagePayee(input: { alipayAccount: string; realName: string }): { alipayAccount: string; alipayAccountKind: 'mobile' | 'email'; realName: string } {
  const issues: FieldIssue[] = [];
  const account = checkAlipayAccount(typeof input.alipayAccount === 'string' ? input.alipayAccount : '');
  if (!account.ok) issues.push(issue('alipayAccount', account.reason === 'empty' ? 'required' : account.reason, account.message));
  const name = checkRealName(typeof input.realName === 'string' ? input.realName : '');
  if (!name.ok) issues.push(issue('realName', name.reason === 'empty' ? 'required' : name.reason, name.message));
  throwIfIssues('S1.14 Alipay payee', issues);
  if (!account.ok || !name.ok) throw new Error('unreachable');
  return { alipayAccount: account.normalized, alipayAccountKind: account.kind, realName: name.normalized };
}

/** S1.14: a postage payment for finance: payee checked, amount decided, more than 0. */
export function createPostageRequest(input: PostageRequestInput, ctx: WorkbenchContext): PostageRequest {
  const issues: FieldIssue[] = [];
  const orderNo = readText(issues, input.orderNo, { field: 'orderNo', label: 'The order number (订单编号)', min: 1, max: 64 });
  throwIfIssues('S1.14 postage', issues);
  const payee = validatePostagePayee(input);
  const decision = decidePostageAmount(input);
  if (decision.amountFen <= 0) {
    throw new AppError('VALIDATION_FAILED', `S1.14: the postage for ${decision.province} × ${decision.styleCategory} is 0; there is nothing to pay back.`, {
      reason: 'nothing_to_pay',
      field: 'overrideFen',
    });
  }
  const at = ctx.now.toISOString();
  return {
    orderNo: orderNo as string,
    ...payee,
    decision,
    amountFen: decision.amountFen,
    status: 'requested',
    requestedAt: at,
    paid: null,
    cancelled: null,
    updatedAt: at,
    ...(input.owedBecause ? { owedBecause: input.owedBecause } : {}),
  };
}

/** Finance pays (with the Alipay payment reference) or someone cancels. */
export function applyPostageAction(request: PostageRequest, command: PostageCommand, ctx: WorkbenchContext): PostageChange {
  const to = requireTransition('postage payment', postageTransitions, request.status, command.action);
  const at = ctx.now.toISOString();
  const moved: PostageRequest = { ...request, status: to, updatedAt: at };
  const issues: FieldIssue[] = [];
  switch (command.action) {
    case 'pay': {
      const ref = typeof command.paymentRef === 'string' ? normalizeCode(command.paymentRef) : '';
      if (!ref) issues.push(issue('paymentRef', 'required', 'The Alipay payment reference (支付宝交易号) is required.'));
      else if (!/^[0-9A-Z-]{6,64}$/.test(ref)) {
        issues.push(issue('paymentRef', 'invalid_format', 'The payment reference has 6 to 64 letters or digits.'));
      }
      throwIfIssues('S1.14 paying the postage', issues);
      return { record: { ...moved, paid: { paymentRef: ref, at } }, action: command.action, from: request.status, to, data: { paymentRef: ref, amountFen: request.amountFen } };
    }
    case 'cancel': {
      const reason = readText(issues, command.reason, { field: 'reason', label: 'The reason for cancelling', min: 2, max: 200 });
      throwIfIssues('S1.14 cancelling the postage', issues);
      return { record: { ...moved, cancelled: { reason: reason as string, at } }, action: command.action, from: request.status, to, data: { reason } };
    }
  }
}
