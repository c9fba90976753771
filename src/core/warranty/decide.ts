/**
 * What the 三包 policy gives a buyer for one item and one problem (S4.2–S4.5),
 * with the clause that decides it, the postage split, what to send and an
 * explanation in zh-CN and en. Pure: the policy is data (policy.ts), the
 * dates are calendar dates counted as periods.ts states (民法典 第二百零一、二百零二条:
 * the start date is day 0, so "7日内" from a purchase on 03-01 covers a
 * request up to 03-08).
 *
 * The date that counts is the day the buyer raised the problem with us or a
 * centre (`requestDate`), not the day a test finished: the seed's periods say
 * when the fault must appear (7日内，主机出现…故障), and a send-back takes days;
 * S4.4 asks the buyer to contact us first, which fixes that date.
 */
import { AppError } from '../errors.ts';
import type { Fen } from '../money.ts';
import { issue, throwIfIssues, type FieldIssue } from '../workbench/fields.ts';
import { checkPeriod, daysBetween, toCalendarDate, type PeriodCheck } from './periods.ts';
import {
  accessoryKinds,
  clauseOf,
  faultConfirmers,
  resaleMarks,
  type Clause,
  type FaultConfirmer,
  type ItemPart,
  type PeriodStart,
  type PostageSplit,
  type Remedy,
  type RemedyRung,
  type ResaleMark,
  type SendItem,
  type WarrantyPolicy,
} from './policy.ts';

export const itemOrigins = [
  /** sold as part of the purchase (原装) */
  'original',
  /** 赠送: never covered (S4.2 赠送附件不作保修) */
  'gift',
] as const;
export type ItemOrigin = (typeof itemOrigins)[number];

export interface WarrantyItem {
  part: ItemPart;
  origin: ItemOrigin;
}

export const faultKinds = [
  /** 非人为损坏的性能故障 (the national list: policy.performanceFaults) */
  'performance',
  /** no quality problem found */
  'none',
  /** 人为损坏 */
  'human_damage',
] as const;
export type FaultKind = (typeof faultKinds)[number];

export const warrantyRequests = [
  /** a fault under 三包 (S4.2, S4.3) */
  'warranty',
  /** a return for the buyer's own reasons, no quality problem (S4.4) */
  'personal_return',
] as const;
export type WarrantyRequest = (typeof warrantyRequests)[number];

export interface ItemCondition {
  /** 外观有划伤 */
  scratches: boolean;
  /** 附件无损坏: every accessory present and undamaged */
  accessoriesIntact: boolean;
  /** S4.4 影响二次销售 */
  resaleMarks: readonly ResaleMark[];
}

export interface WarrantyInput {
  item: WarrantyItem;
  request: WarrantyRequest;
  /** 'YYYY-MM-DD' (Asia/Shanghai) or an instant */
  purchaseDate: string | Date;
  /** 签收: needed when a period of the policy starts at delivery (the default: personal-reason returns) */
  deliveryDate?: string | Date | null | undefined;
  /** the day the buyer raised the problem with us or a service centre */
  requestDate: string | Date;
  fault: FaultKind;
  /** a code of policy.performanceFaults, when known */
  faultCode?: string | null | undefined;
  confirmedBy: FaultConfirmer | 'none';
  condition: ItemCondition;
  /** S4.4: did the buyer contact us before sending anything */
  contactedFirst?: boolean | undefined;
}

export type PostageLegName =
  /** the parcel from the buyer to the shop */
  | 'buyer_to_shop'
  /** the parcel back to the buyer; for a return, the original delivery */
  | 'shop_to_buyer';

export interface PostageLeg {
  leg: PostageLegName;
  buyerPercent: number;
  shopPercent: number;
  payer: 'buyer' | 'shop' | 'shared';
}

export interface PostageDecision {
  clauseId: string;
  legs: readonly [PostageLeg, PostageLeg];
  zh: string;
  en: string;
}

export interface SendListItem {
  item: SendItem;
  zh: string;
  en: string;
}

/** One rung of the ladder (or the personal-return rule) and whether it held. */
export interface ConsideredRule {
  ruleId: string;
  clauseId: string;
  holds: boolean;
  /** why it does not hold, empty when it does */
  reasons: { code: string; zh: string; en: string }[];
  period: PeriodCheck | null;
}

export interface WarrantyDecision {
  policy: { id: string; version: number };
  /** the best remedy the facts give now */
  remedy: Remedy;
  /** the remedies the buyer may choose, best first; `remedy` is the first (退换: return or exchange) */
  options: Remedy[];
  /** needs_confirmation: a confirmed fault would give `ifConfirmed` */
  status: 'decided' | 'needs_confirmation';
  /** the clause that decides it */
  clause: Clause;
  /** the period that decides it, when one does */
  period: (PeriodCheck & { labelZh: string; labelEn: string; from: PeriodStart }) | null;
  ifConfirmed: { remedy: Remedy; options: Remedy[]; clause: Clause; acceptedBy: readonly FaultConfirmer[] } | null;
  postage: PostageDecision;
  mustSend: { clause: Clause; items: SendListItem[] };
  /** S4.5: when an exchange is among the options, the host only; the box's MEID differs from the new host's */
  hostOnly: { clause: Clause; boxNotice: Clause } | null;
  explanation: { zh: string; en: string };
  considered: ConsideredRule[];
  warnings: { code: 'not_contacted_first'; clause: Clause; zh: string; en: string }[];
}

const confirmerLabels: Record<FaultConfirmer, { zh: string; en: string }> = {
  authorised_centre: { zh: '厂家授权客服中心', en: 'an authorised service centre' },
  our_test: { zh: '我司检测', en: 'our test' },
};

const startLabels: Record<PeriodStart, { zh: string; en: string }> = {
  purchase: { zh: '购买', en: 'purchase' },
  delivery: { zh: '签收', en: 'delivery' },
};

interface Dates {
  purchase: string;
  delivery: string | null;
  request: string;
}

function readDates(input: WarrantyInput): Dates {
  const issues: FieldIssue[] = [];
  const purchase = toCalendarDate(input.purchaseDate);
  if (!purchase) issues.push(issue('purchaseDate', 'invalid', 'The purchase date must be a calendar date (YYYY-MM-DD).'));
  const request = toCalendarDate(input.requestDate);
  if (!request) issues.push(issue('requestDate', 'invalid', 'The request date must be a calendar date (YYYY-MM-DD).'));
  let delivery: string | null = null;
  if (input.deliveryDate !== undefined && input.deliveryDate !== null) {
    delivery = toCalendarDate(input.deliveryDate);
    if (!delivery) issues.push(issue('deliveryDate', 'invalid', 'The delivery date must be a calendar date (YYYY-MM-DD).'));
  }
  if (purchase && request && request < purchase) {
    issues.push(issue('requestDate', 'before_purchase', `The request (${request}) cannot come before the purchase (${purchase}).`));
  }
  if (purchase && delivery && delivery < purchase) {
    issues.push(issue('deliveryDate', 'before_purchase', `The delivery (${delivery}) cannot come before the purchase (${purchase}).`));
  }
  if (delivery && request && request < delivery) {
    issues.push(issue('requestDate', 'before_delivery', `The request (${request}) cannot come before the delivery (${delivery}).`));
  }
  throwIfIssues('S4.2 the warranty dates', issues);
  return { purchase: purchase as string, delivery, request: request as string };
}

function checkInput(input: WarrantyInput, policy: WarrantyPolicy): void {
  const issues: FieldIssue[] = [];
  const part = input.item?.part;
  if (part !== 'host' && !(accessoryKinds as readonly string[]).includes(part)) {
    issues.push(issue('item.part', 'unknown_value', `The item must be the host or one of ${accessoryKinds.join(', ')}.`));
  }
  if (!(itemOrigins as readonly string[]).includes(input.item?.origin)) {
    issues.push(issue('item.origin', 'unknown_value', 'The item is either original (原装) or a gift (赠品).'));
  }
  if (!(warrantyRequests as readonly string[]).includes(input.request)) {
    issues.push(issue('request', 'unknown_value', `The request is one of ${warrantyRequests.join(', ')}.`));
  }
  if (!(faultKinds as readonly string[]).includes(input.fault)) {
    issues.push(issue('fault', 'unknown_value', `The fault is one of ${faultKinds.join(', ')}.`));
  }
  if (input.confirmedBy !== 'none' && !(faultConfirmers as readonly string[]).includes(input.confirmedBy)) {
    issues.push(issue('confirmedBy', 'unknown_value', `The fault is confirmed by one of ${faultConfirmers.join(', ')}, or none.`));
  }
  if (typeof input.condition?.scratches !== 'boolean') {
    issues.push(issue('condition.scratches', 'required', 'Whether the casing is scratched (外观划伤) is required.'));
  }
  if (typeof input.condition?.accessoriesIntact !== 'boolean') {
    issues.push(issue('condition.accessoriesIntact', 'required', 'Whether the accessories are intact (附件无损坏) is required.'));
  }
  if (!Array.isArray(input.condition?.resaleMarks)) {
    issues.push(issue('condition.resaleMarks', 'required', 'The resale-affecting marks (S4.4) are required; an empty list when there are none.'));
  }
  for (const mark of Array.isArray(input.condition?.resaleMarks) ? input.condition.resaleMarks : []) {
    if (!(resaleMarks as readonly string[]).includes(mark)) {
      issues.push(issue('condition.resaleMarks', 'unknown_value', `${String(mark)} is none of the marks of S4.4 (${resaleMarks.join(', ')}).`));
    }
  }
  if (input.faultCode !== undefined && input.faultCode !== null) {
    const known = policy.performanceFaults.find((f) => f.code === input.faultCode);
    if (!known) {
      issues.push(issue('faultCode', 'unknown_value', `${input.faultCode} is not on the performance-fault list of the policy.`));
    } else if (!known.parts.includes(part)) {
      issues.push(issue('faultCode', 'wrong_part', `${input.faultCode} (${known.textZh}) is a fault of ${known.parts.join(', ')}, not of ${part}.`));
    }
    if (input.fault !== 'performance') {
      issues.push(issue('faultCode', 'not_a_performance_fault', 'A fault code goes with a performance fault only.'));
    }
  }
  if (input.request === 'personal_return' && input.fault === 'performance') {
    issues.push(
      issue('request', 'fault_mismatch', 'A performance fault is handled under 三包 (S4.2), not as a personal-reason return (S4.4): send it as a warranty request.'),
    );
  }
  throwIfIssues('S4.2 the warranty request', issues);
}

function startOf(from: PeriodStart, dates: Dates, ruleId: string): string {
  if (from === 'purchase') return dates.purchase;
  if (dates.delivery === null) {
    throw new AppError('VALIDATION_FAILED', `The rule ${ruleId} counts from the delivery (签收), so the delivery date is required.`, {
      reason: 'delivery_date_required',
      field: 'deliveryDate',
    });
  }
  return dates.delivery;
}

function periodReason(rung: { period: { labelZh: string; labelEn: string }; from: PeriodStart }, check: PeriodCheck) {
  const s = startLabels[rung.from];
  return {
    code: 'period_over',
    zh: `自${s.zh}之日起第${check.dayNumber}天，已超过${rung.period.labelZh}（最后一天为${check.lastDay}）`,
    en: `day ${check.dayNumber} after the ${s.en}, past the ${rung.period.labelEn} (the last day was ${check.lastDay})`,
  };
}

function considerRung(rung: RemedyRung, input: WarrantyInput, dates: Dates): ConsideredRule {
  const check = checkPeriod(startOf(rung.from, dates, rung.id), rung.period, dates.request);
  const reasons: ConsideredRule['reasons'] = [];
  if (!check.within) reasons.push(periodReason(rung, check));
  if (rung.confirmation.required && !(input.confirmedBy !== 'none' && rung.confirmation.acceptedBy.includes(input.confirmedBy))) {
    const by = rung.confirmation.acceptedBy.map((c) => confirmerLabels[c]);
    reasons.push({
      code: 'not_confirmed',
      zh: `故障尚未经${by.map((b) => b.zh).join('或')}确认`,
      en: `the fault is not confirmed by ${by.map((b) => b.en).join(' or ')}`,
    });
  }
  if (rung.requireNoScratches && input.condition.scratches) reasons.push({ code: 'scratched', zh: '外观有划伤', en: 'the casing is scratched' });
  if (rung.requireAccessoriesIntact && !input.condition.accessoriesIntact) {
    reasons.push({ code: 'accessories_damaged', zh: '附件有损坏或缺失', en: 'an accessory is damaged or missing' });
  }
  return { ruleId: rung.id, clauseId: rung.clauseId, holds: reasons.length === 0, reasons, period: check };
}

function payer(buyerPercent: number): PostageLeg['payer'] {
  return buyerPercent === 100 ? 'buyer' : buyerPercent === 0 ? 'shop' : 'shared';
}

/** The postage legs of a split, with a sentence for each language. */
export function describePostage(split: PostageSplit, remedy: Remedy): PostageDecision {
  const legs = [
    { leg: 'buyer_to_shop', buyerPercent: split.buyerToShopBuyerPercent },
    { leg: 'shop_to_buyer', buyerPercent: split.shopToBuyerBuyerPercent },
  ].map((l) => ({ ...l, shopPercent: 100 - l.buyerPercent, payer: payer(l.buyerPercent) })) as [PostageLeg, PostageLeg];
  const [out, back] = legs;
  const backZh = remedy === 'return' ? '原发货运费' : '寄回给您的运费';
  const backEn = remedy === 'return' ? 'the original delivery' : 'the parcel back to you';
  let zh: string;
  let en: string;
  if (out.buyerPercent === back.buyerPercent) {
    const p = out.buyerPercent;
    zh = p === 100 ? '往返运费由您承担。' : p === 0 ? '往返运费由我司承担。' : p === 50 ? '往返运费由您和我司各承担一半。' : `往返运费您承担${p}%，我司承担${100 - p}%。`;
    en =
      p === 100
        ? 'You pay the postage both ways.'
        : p === 0
          ? 'We pay the postage both ways.'
          : p === 50
            ? 'You and we each pay half of the round-trip postage.'
            : `You pay ${p}% of the round-trip postage, we pay ${100 - p}%.`;
  } else {
    zh = `寄往我司的运费您承担${out.buyerPercent}%，${backZh}您承担${back.buyerPercent}%，其余由我司承担。`;
    en = `You pay ${out.buyerPercent}% of the parcel to us and ${back.buyerPercent}% of ${backEn}; we pay the rest.`;
  }
  return { clauseId: split.clauseId, legs, zh, en };
}

/** A leg's postage divided: the buyer's share rounded down to the fen, the shop pays the rest. */
export function splitPostageFen(totalFen: Fen, buyerPercent: number): { buyerFen: Fen; shopFen: Fen } {
  if (!Number.isSafeInteger(totalFen) || totalFen < 0) throw new RangeError('totalFen must be a whole number of fen, 0 or more');
  if (!Number.isInteger(buyerPercent) || buyerPercent < 0 || buyerPercent > 100) throw new RangeError('buyerPercent must be a whole percent 0–100');
  const buyerFen = Math.floor((totalFen * buyerPercent) / 100);
  return { buyerFen, shopFen: totalFen - buyerFen };
}

function uniqueRemedies(list: readonly Remedy[]): Remedy[] {
  return [...new Set(list)];
}

interface Outcome {
  remedy: Remedy;
  options: Remedy[];
  clauseId: string;
  period: WarrantyDecision['period'];
  ifConfirmed: { rung: RemedyRung; options: Remedy[] } | null;
  postage: PostageSplit;
  sendKey: Remedy | 'personal_return';
  considered: ConsideredRule[];
  /** the sentence of the facts, before the outcome */
  facts: { zh: string; en: string };
}

function periodOf(rule: { period: { labelZh: string; labelEn: string }; from: PeriodStart }, check: PeriodCheck | null): WarrantyDecision['period'] {
  return check ? { ...check, labelZh: rule.period.labelZh, labelEn: rule.period.labelEn, from: rule.from } : null;
}

function dayFacts(dates: Dates): { zh: string; en: string } {
  const n = daysBetween(dates.purchase, dates.request);
  return {
    zh: `提出日期${dates.request}为自购买之日（${dates.purchase}）起第${n}天。`,
    en: `The request on ${dates.request} is day ${n} after the purchase on ${dates.purchase}.`,
  };
}

function decideLadder(rungs: readonly RemedyRung[], after: { remedy: Remedy; clauseId: string }, input: WarrantyInput, dates: Dates, policy: WarrantyPolicy): Outcome {
  const considered = rungs.map((r) => considerRung(r, input, dates));
  const firstHolding = considered.findIndex((c) => c.holds);
  // a better rung that only lacks the confirmation: confirming the fault would give it
  const pendingIndex = considered.findIndex(
    (c, i) => (firstHolding < 0 || i < firstHolding) && !c.holds && c.reasons.every((r) => r.code === 'not_confirmed'),
  );
  const pending = pendingIndex >= 0 ? (rungs[pendingIndex] as RemedyRung) : null;
  const ifConfirmed = pending
    ? {
        rung: pending,
        // once confirmed, every later rung that lacked only the confirmation holds too
        options: uniqueRemedies(
          rungs.flatMap((r, i) => (i >= pendingIndex && considered[i]?.reasons.every((x) => x.code === 'not_confirmed') ? r.grants : [])),
        ),
      }
    : null;
  const facts = dayFacts(dates);
  if (firstHolding >= 0) {
    const rung = rungs[firstHolding] as RemedyRung;
    const options = uniqueRemedies(rungs.flatMap((r, i) => (considered[i]?.holds ? r.grants : [])));
    return {
      remedy: rung.grants[0],
      options,
      clauseId: rung.clauseId,
      period: periodOf(rung, considered[firstHolding]?.period ?? null),
      ifConfirmed,
      postage: policy.postage.qualityFault,
      sendKey: rung.grants[0],
      considered,
      facts,
    };
  }
  if (pending) {
    return {
      remedy: 'no_remedy',
      options: ['no_remedy'],
      clauseId: pending.clauseId,
      period: periodOf(pending, considered[pendingIndex]?.period ?? null),
      ifConfirmed,
      postage: policy.postage.notCovered,
      sendKey: 'no_remedy',
      considered,
      facts,
    };
  }
  const last = rungs[rungs.length - 1];
  return {
    remedy: after.remedy,
    options: [after.remedy],
    clauseId: after.clauseId,
    period: last ? periodOf(last, considered[considered.length - 1]?.period ?? null) : null,
    ifConfirmed: null,
    postage: policy.postage.notCovered,
    sendKey: after.remedy,
    considered,
    facts,
  };
}

function notCovered(clauseId: string, remedy: Remedy, policy: WarrantyPolicy, facts: { zh: string; en: string }): Outcome {
  return {
    remedy,
    options: [remedy],
    clauseId,
    period: null,
    ifConfirmed: null,
    postage: policy.postage.notCovered,
    sendKey: remedy,
    considered: [],
    facts,
  };
}

function decidePersonalReturn(input: WarrantyInput, dates: Dates, policy: WarrantyPolicy): Outcome {
  const rule = policy.personalReturn;
  const check = checkPeriod(startOf(rule.from, dates, 'personal_return'), rule.period, dates.request);
  const reasons: ConsideredRule['reasons'] = [];
  if (!check.within) reasons.push(periodReason(rule, check));
  const marks = new Set<ResaleMark>(input.condition.resaleMarks);
  if (input.fault === 'human_damage') marks.add('human_damage');
  const disqualifying = rule.disqualifyingMarks.filter((m) => marks.has(m));
  if (disqualifying.length > 0) {
    reasons.push({
      code: 'resale_affected',
      zh: `影响二次销售：${disqualifying.map((m) => policy.resaleMarkLabels[m].zh).join('、')}`,
      en: `resale is affected: ${disqualifying.map((m) => policy.resaleMarkLabels[m].en).join(', ')}`,
    });
  }
  const considered: ConsideredRule[] = [{ ruleId: 'personal_return', clauseId: rule.clauseId, holds: reasons.length === 0, reasons, period: check }];
  const s = startLabels[rule.from];
  const facts = {
    zh: `提出日期${dates.request}为自${s.zh}之日（${check.start}）起第${check.dayNumber}天。`,
    en: `The request on ${dates.request} is day ${check.dayNumber} after the ${s.en} on ${check.start}.`,
  };
  const holds = reasons.length === 0;
  return {
    remedy: holds ? 'return' : 'no_remedy',
    options: [holds ? 'return' : 'no_remedy'],
    clauseId: !check.within ? rule.periodClauseId : rule.clauseId,
    period: periodOf(rule, check),
    ifConfirmed: null,
    postage: holds ? policy.postage.personalReason : policy.postage.notCovered,
    sendKey: holds ? 'personal_return' : 'no_remedy',
    considered,
    facts,
  };
}

function explain(outcome: Outcome, input: WarrantyInput, policy: WarrantyPolicy, clause: Clause, postage: PostageDecision): { zh: string; en: string } {
  const label = policy.remedyLabels[outcome.remedy];
  const zh: string[] = [outcome.facts.zh];
  const en: string[] = [outcome.facts.en];
  const failed = outcome.considered.filter((c) => !c.holds);
  const decidedBy = outcome.considered.find((c) => c.holds);
  if (decidedBy) {
    zh.push(`适用「${clause.titleZh}」：${label.zh}。`);
    en.push(`${clause.titleEn} applies: ${label.en}.`);
    const others = outcome.options.slice(1).map((r) => policy.remedyLabels[r]);
    if (others.length > 0) {
      zh.push(`您也可以选择：${others.map((o) => o.zh).join('、')}。`);
      en.push(`You may choose instead: ${others.map((o) => o.en).join(', ')}.`);
    }
  } else {
    zh.push(`依据「${clause.titleZh}」：${label.zh}。`);
    en.push(`Under "${clause.titleEn}": ${label.en}.`);
  }
  const index = decidedBy ? outcome.considered.indexOf(decidedBy) : outcome.considered.length;
  for (const c of failed.filter((f) => outcome.considered.indexOf(f) < index)) {
    const title = clauseOf(policy, c.clauseId);
    zh.push(`不适用「${title.titleZh}」：${c.reasons.map((r) => r.zh).join('；')}。`);
    en.push(`${title.titleEn} does not apply: ${c.reasons.map((r) => r.en).join('; ')}.`);
  }
  if (outcome.ifConfirmed) {
    const better = policy.remedyLabels[outcome.ifConfirmed.rung.grants[0]];
    const by = outcome.ifConfirmed.rung.confirmation.acceptedBy.map((b) => confirmerLabels[b]);
    zh.push(`如故障经${by.map((b) => b.zh).join('或')}确认属实，可享受：${better.zh}。`);
    en.push(`If ${by.map((b) => b.en).join(' or ')} confirms the fault, the buyer gets: ${better.en}.`);
  }
  if (input.item.origin === 'gift') {
    zh.push('该物品为赠品。');
    en.push('The item was a gift.');
  }
  zh.push(postage.zh);
  en.push(postage.en);
  return { zh: zh.join(''), en: en.join(' ') };
}

/**
 * S4.2–S4.5: the remedy the policy gives for an item and its problem, the
 * clause that decides it, the other remedies the buyer may choose, the
 * postage split (S4.3), what to send (S4.4) and why, in zh-CN and en.
 * Throws VALIDATION_FAILED on impossible input (dates out of order, unknown
 * values, a fault code of another part).
 */
export function decideWarranty(input: WarrantyInput, policy: WarrantyPolicy): WarrantyDecision {
  checkInput(input, policy);
  const dates = readDates(input);
  const facts = dayFacts(dates);
  let outcome: Outcome;
  if (input.item.origin === 'gift' && !policy.gifts.covered) {
    outcome = notCovered(policy.gifts.clauseId, 'no_remedy', policy, facts);
  } else if (input.request === 'personal_return') {
    outcome = decidePersonalReturn(input, dates, policy);
  } else if (input.fault === 'none') {
    outcome = notCovered(policy.noFault.clauseId, policy.noFault.remedy, policy, facts);
  } else if (input.fault === 'human_damage') {
    outcome = notCovered(policy.humanDamage.clauseId, policy.humanDamage.remedy, policy, facts);
  } else if (input.item.part === 'host') {
    outcome = decideLadder(policy.host.rungs, policy.host.afterWarranty, input, dates, policy);
  } else {
    outcome = decideLadder([policy.accessories[input.item.part].rung], policy.accessoryAfterWarranty, input, dates, policy);
  }
  const clause = clauseOf(policy, outcome.clauseId);
  const postage = describePostage(outcome.postage, outcome.remedy);
  const send = policy.mustSend[outcome.sendKey];
  const hostOnly = outcome.options.includes('exchange_host')
    ? { clause: clauseOf(policy, policy.exchangeHostOnlyClauseId), boxNotice: clauseOf(policy, policy.boxIdNoticeClauseId) }
    : null;
  const warnings: WarrantyDecision['warnings'] = [];
  if (input.contactedFirst === false) {
    warnings.push({
      code: 'not_contacted_first',
      clause: clauseOf(policy, policy.contactFirstClauseId),
      zh: '买家未事先联系客服确认是否属于退换货范围，我司有权拒绝退换货（S4.4）。',
      en: 'The buyer did not contact us first to confirm the return or exchange is covered; we may refuse it (S4.4).',
    });
  }
  return {
    policy: { id: policy.id, version: policy.version },
    remedy: outcome.remedy,
    options: outcome.options,
    status: outcome.ifConfirmed ? 'needs_confirmation' : 'decided',
    clause,
    period: outcome.period,
    ifConfirmed: outcome.ifConfirmed
      ? {
          remedy: outcome.ifConfirmed.rung.grants[0],
          options: outcome.ifConfirmed.options,
          clause: clauseOf(policy, outcome.ifConfirmed.rung.clauseId),
          acceptedBy: outcome.ifConfirmed.rung.confirmation.acceptedBy,
        }
      : null,
    postage,
    mustSend: {
      clause: clauseOf(policy, send.clauseId),
      items: send.items.map((item) => ({ item, ...policy.sendItemLabels[item] })),
    },
    hostOnly,
    explanation: explain(outcome, input, policy, clause, postage),
    considered: outcome.considered,
    warnings,
  };
}
