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
 * S4.4 asks the buyer to contact us first, which fixes that date. It cannot be
 * after today.
 *
 * Beyond the count (issue 13, the national rules for mobile phones, with the
 * policy's `periodRules`): periods "from the purchase" start on the invoice
 * date when there is one (开具发票之日); an exchanged host's start again on the
 * exchange day (换货之日起重新计算); the 三包有效期 leaves out the days spent
 * in 三包 repair; a fault two 三包 repairs did not fix gives an exchange of
 * the host (第十三条); and, when the shop turns it on, a last day that is a
 * day off moves to the next working day (民法典 第二百零三条).
 */
import type { WorkingCalendar } from '../calendar/working-days.ts';
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

/** A 三包 repair the item had before (the device's repair history). */
export interface PriorRepair {
  part: ItemPart;
  /** a code of policy.performanceFaults, when known */
  faultCode: string | null;
  /** the day it went in for repair ('YYYY-MM-DD') */
  startedOn: string;
  /** the day it came back; null while still in repair */
  finishedOn: string | null;
}

export interface WarrantyInput {
  item: WarrantyItem;
  request: WarrantyRequest;
  /** 'YYYY-MM-DD' (Asia/Shanghai) or an instant */
  purchaseDate: string | Date;
  /** 开具发票之日: the periods from the purchase count from it when given (policy.periodRules.fromInvoice) */
  invoiceDate?: string | Date | null | undefined;
  /** an exchanged host: the exchange day, from which the host's periods start again (policy.periodRules.exchangeRestarts) */
  hostPeriodsFrom?: string | null | undefined;
  /** the item's 三包 repairs before this request: their days extend the 三包有效期, two of the same fault give an exchange */
  repairs?: readonly PriorRepair[] | undefined;
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

/** What a decision needs beyond the facts: today, and the official calendar when the policy moves a last day off a holiday. */
export interface DecideContext {
  /** today in Asia/Shanghai ('YYYY-MM-DD') or now: a request date after it is refused */
  today: string | Date;
  /** needed when policy.periodRules.holidayEndsNextWorkingDay is on */
  calendar?: WorkingCalendar | null | undefined;
}

/** The date a period counts from. */
export type StartKind =
  /** the purchase date (no invoice date given) */
  | 'purchase'
  /** 开具发票之日 */
  | 'invoice'
  /** an exchanged host: 换货之日 */
  | 'exchange'
  /** 签收 */
  | 'delivery';

/** A rule of the national rules or the law that shaped the counting of the deciding period, with its clause. */
export interface PeriodBasis {
  code: 'invoice_start' | 'exchange_restart' | 'repair_days' | 'holiday';
  clause: Clause;
  zh: string;
  en: string;
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
  period: (PeriodCheck & { labelZh: string; labelEn: string; from: PeriodStart; startsAt: StartKind }) | null;
  /** how that period was counted beyond its length: the invoice start, an exchange, repair days, a holiday (each with its clause) */
  periodBasis: PeriodBasis[];
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

const startLabels: Record<StartKind, { zh: string; en: string }> = {
  purchase: { zh: '购买', en: 'purchase' },
  invoice: { zh: '开具发票', en: 'invoice' },
  exchange: { zh: '换货', en: 'exchange' },
  delivery: { zh: '签收', en: 'delivery' },
};

interface Dates {
  purchase: string;
  delivery: string | null;
  request: string;
  invoice: string | null;
  hostFrom: string | null;
}

function readDates(input: WarrantyInput, today: string | null): Dates {
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
  if (today === null) issues.push(issue('today', 'invalid', 'Today must be a calendar date (YYYY-MM-DD).'));
  else if (request && request > today) {
    issues.push(issue('requestDate', 'in_future', `The request date ${request} is after today (${today}): a fault is decided on the day it was raised, which has come.`));
  }
  let invoice: string | null = null;
  if (input.invoiceDate !== undefined && input.invoiceDate !== null) {
    invoice = toCalendarDate(input.invoiceDate);
    if (!invoice) issues.push(issue('invoiceDate', 'invalid', 'The invoice date must be a calendar date (YYYY-MM-DD).'));
    else if (purchase && invoice < purchase) issues.push(issue('invoiceDate', 'before_purchase', `The invoice (${invoice}) cannot come before the purchase (${purchase}).`));
  }
  let hostFrom: string | null = null;
  if (input.hostPeriodsFrom !== undefined && input.hostPeriodsFrom !== null) {
    hostFrom = toCalendarDate(input.hostPeriodsFrom);
    if (!hostFrom) issues.push(issue('hostPeriodsFrom', 'invalid', 'The exchange date must be a calendar date (YYYY-MM-DD).'));
    else if (purchase && hostFrom < purchase) issues.push(issue('hostPeriodsFrom', 'before_purchase', `The exchange (${hostFrom}) cannot come before the purchase (${purchase}).`));
    else if (request && input.item?.part === 'host' && request < hostFrom) {
      issues.push(issue('requestDate', 'before_exchange', `The request (${request}) comes before this host was exchanged in (${hostFrom}): it was about the old host.`));
    }
  }
  for (const [i, r] of (input.repairs ?? []).entries()) {
    const ok = typeof r?.startedOn === 'string' && toCalendarDate(r.startedOn) && (r.finishedOn === null || (typeof r.finishedOn === 'string' && toCalendarDate(r.finishedOn)));
    if (!ok || (r.finishedOn !== null && r.finishedOn < r.startedOn)) {
      issues.push(issue(`repairs[${i}]`, 'invalid', 'A repair has a start date and an end date (or none while in repair) no earlier than its start.'));
    }
  }
  throwIfIssues('S4.2 the warranty dates', issues);
  return { purchase: purchase as string, delivery, request: request as string, invoice, hostFrom };
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

interface Start {
  date: string;
  kind: StartKind;
}

/** The sale's start: the invoice date when the policy counts from it and it is not after the request, else the purchase. */
function saleStart(dates: Dates, policy: WarrantyPolicy): Start {
  // an invoice issued after the problem was raised cannot push the start past it: the purchase counts then
  return policy.periodRules.fromInvoice && dates.invoice !== null && dates.invoice <= dates.request
    ? { date: dates.invoice, kind: 'invoice' }
    : { date: dates.purchase, kind: 'purchase' };
}

function startOf(from: PeriodStart, dates: Dates, ruleId: string, part: ItemPart, policy: WarrantyPolicy): Start {
  if (from === 'purchase') {
    // the accessories are not exchanged with the host (S4.5): only the host's periods start again
    if (part === 'host' && dates.hostFrom !== null && policy.periodRules.exchangeRestarts) return { date: dates.hostFrom, kind: 'exchange' };
    return saleStart(dates, policy);
  }
  if (dates.delivery === null) {
    throw new AppError('VALIDATION_FAILED', `The rule ${ruleId} counts from the delivery (签收), so the delivery date is required.`, {
      reason: 'delivery_date_required',
      field: 'deliveryDate',
    });
  }
  return { date: dates.delivery, kind: 'delivery' };
}

interface Counting {
  dates: Dates;
  policy: WarrantyPolicy;
  part: ItemPart;
  repairs: readonly PriorRepair[];
  calendar: WorkingCalendar | null;
}

/** Days the part spent in 三包 repair from `start` up to the request (the start day of a repair not counted, as periods.ts counts). */
function repairDaysSince(c: Counting, start: string): number {
  let total = 0;
  for (const r of c.repairs) {
    if (r.part !== c.part || r.startedOn < start || r.startedOn > c.dates.request) continue;
    const end = r.finishedOn === null || r.finishedOn > c.dates.request ? c.dates.request : r.finishedOn;
    total += Math.max(0, daysBetween(r.startedOn, end));
  }
  return total;
}

/** A period of the policy checked on the request date, with the repair days and the holiday rule the policy asks for. */
function countPeriod(rule: { period: RemedyRung['period']; from: PeriodStart; extendedByRepairDays?: boolean }, ruleId: string, c: Counting): { check: PeriodCheck; start: Start } {
  const start = startOf(rule.from, c.dates, ruleId, c.part, c.policy);
  const holiday = c.policy.periodRules.holidayEndsNextWorkingDay;
  if (holiday && !c.calendar) throw new Error('The policy moves a last day off a holiday (民法典 第二百零三条): decideWarranty needs the calendar.');
  const check = checkPeriod(start.date, rule.period, c.dates.request, {
    repairDays: rule.extendedByRepairDays ? repairDaysSince(c, start.date) : 0,
    holidayCalendar: holiday ? c.calendar : null,
  });
  return { check, start };
}

function periodReason(rung: { period: { labelZh: string; labelEn: string } }, check: PeriodCheck, start: Start) {
  const s = startLabels[start.kind];
  return {
    code: 'period_over',
    zh: `自${s.zh}之日起第${check.dayNumber}天，已超过${rung.period.labelZh}（最后一天为${check.lastDay}）`,
    en: `day ${check.dayNumber} after the ${s.en}, past the ${rung.period.labelEn} (the last day was ${check.lastDay})`,
  };
}

/** The 三包 repairs of the same fault, finished before the request, within the period from `start` (第十三条). */
function repeatedRepairs(c: Counting, start: string, faultCode: string | null): PriorRepair[] {
  return c.repairs.filter(
    (r) =>
      r.part === c.part &&
      r.finishedOn !== null &&
      r.finishedOn <= c.dates.request &&
      r.startedOn >= start &&
      // the same fault: when both are coded, the codes agree; an uncoded one counts (the repair record names the fault in words)
      (faultCode === null || r.faultCode === null || r.faultCode === faultCode),
  );
}

const REPEAT_RUNG_ID = 'host.repeat_repair';

/** The repeated-repair rule as a rung of the ladder: the longest rung's period and confirmation, its own grants. */
function repeatRungOf(policy: WarrantyPolicy): RemedyRung | null {
  const longest = policy.host.rungs[policy.host.rungs.length - 1];
  if (!longest) return null;
  const rule = policy.host.repeatedRepair;
  return {
    ...longest,
    id: REPEAT_RUNG_ID,
    clauseId: rule.clauseId,
    grants: rule.grants,
    // 仍不能正常使用: the fault is there again, confirmed like any exchange
    confirmation: { required: true, acceptedBy: longest.confirmation.acceptedBy.length > 0 ? longest.confirmation.acceptedBy : ['authorised_centre', 'our_test'] },
  };
}

function considerRung(rung: RemedyRung, input: WarrantyInput, c: Counting): ConsideredRule & { start: Start } {
  const { check, start } = countPeriod(rung, rung.id, c);
  const reasons: ConsideredRule['reasons'] = [];
  if (!check.within) reasons.push(periodReason(rung, check, start));
  if (rung.id === REPEAT_RUNG_ID) {
    const need = c.policy.host.repeatedRepair.repairs;
    const done = repeatedRepairs(c, start.date, input.faultCode ?? null).length;
    if (done < need) {
      reasons.push({
        code: 'repairs_short',
        zh: `此前同一故障的三包修理${done}次，未满${need}次`,
        en: `${done} earlier 三包 repair${done === 1 ? '' : 's'} of this fault, not ${need}`,
      });
    }
  }
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
  return { ruleId: rung.id, clauseId: rung.clauseId, holds: reasons.length === 0, reasons, period: check, start };
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
  /** the start of the deciding period (or the sale's, when no period decides) */
  start: Start;
  ifConfirmed: { rung: RemedyRung; options: Remedy[] } | null;
  postage: PostageSplit;
  sendKey: Remedy | 'personal_return';
  considered: ConsideredRule[];
  /** the sentence of the facts, before the outcome */
  facts: { zh: string; en: string };
}

function periodOf(rule: { period: { labelZh: string; labelEn: string }; from: PeriodStart }, check: PeriodCheck | null, start: Start): WarrantyDecision['period'] {
  return check ? { ...check, labelZh: rule.period.labelZh, labelEn: rule.period.labelEn, from: rule.from, startsAt: start.kind } : null;
}

function dayFacts(request: string, start: Start): { zh: string; en: string } {
  const n = daysBetween(start.date, request);
  const s = startLabels[start.kind];
  return {
    zh: `提出日期${request}为自${s.zh}之日（${start.date}）起第${n}天。`,
    en: `The request on ${request} is day ${n} after the ${s.en} on ${start.date}.`,
  };
}

function decideLadder(rungs: readonly RemedyRung[], after: { remedy: Remedy; clauseId: string }, input: WarrantyInput, c: Counting): Outcome {
  const { policy } = c;
  const considered = rungs.map((r) => considerRung(r, input, c));
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
  const first = considered[0];
  const facts = first ? dayFacts(c.dates.request, first.start) : dayFacts(c.dates.request, saleStart(c.dates, policy));
  if (firstHolding >= 0) {
    const rung = rungs[firstHolding] as RemedyRung;
    const options = uniqueRemedies(rungs.flatMap((r, i) => (considered[i]?.holds ? r.grants : [])));
    const decided = considered[firstHolding]!;
    return {
      remedy: rung.grants[0],
      options,
      clauseId: rung.clauseId,
      period: periodOf(rung, decided.period, decided.start),
      start: decided.start,
      ifConfirmed,
      postage: policy.postage.qualityFault,
      sendKey: rung.grants[0],
      considered: considered.map(withoutStart),
      facts,
    };
  }
  if (pending) {
    const waiting = considered[pendingIndex]!;
    return {
      remedy: 'no_remedy',
      options: ['no_remedy'],
      clauseId: pending.clauseId,
      period: periodOf(pending, waiting.period, waiting.start),
      start: waiting.start,
      ifConfirmed,
      postage: policy.postage.notCovered,
      sendKey: 'no_remedy',
      considered: considered.map(withoutStart),
      facts,
    };
  }
  const last = rungs[rungs.length - 1];
  const lastConsidered = considered[considered.length - 1];
  return {
    remedy: after.remedy,
    options: [after.remedy],
    clauseId: after.clauseId,
    period: last && lastConsidered ? periodOf(last, lastConsidered.period, lastConsidered.start) : null,
    start: lastConsidered?.start ?? saleStart(c.dates, policy),
    ifConfirmed: null,
    postage: policy.postage.notCovered,
    sendKey: after.remedy,
    considered: considered.map(withoutStart),
    facts,
  };
}

function withoutStart(c: ConsideredRule & { start: Start }): ConsideredRule {
  const { start: _start, ...rest } = c;
  return rest;
}

function notCovered(clauseId: string, remedy: Remedy, policy: WarrantyPolicy, facts: { zh: string; en: string }, start: Start): Outcome {
  return {
    remedy,
    options: [remedy],
    clauseId,
    period: null,
    start,
    ifConfirmed: null,
    postage: policy.postage.notCovered,
    sendKey: remedy,
    considered: [],
    facts,
  };
}

function decidePersonalReturn(input: WarrantyInput, c: Counting): Outcome {
  const { policy, dates } = c;
  const rule = policy.personalReturn;
  const { check, start } = countPeriod({ period: rule.period, from: rule.from, extendedByRepairDays: false }, 'personal_return', c);
  const reasons: ConsideredRule['reasons'] = [];
  if (!check.within) reasons.push(periodReason(rule, check, start));
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
  const facts = dayFacts(dates.request, start);
  const holds = reasons.length === 0;
  return {
    remedy: holds ? 'return' : 'no_remedy',
    options: [holds ? 'return' : 'no_remedy'],
    clauseId: !check.within ? rule.periodClauseId : rule.clauseId,
    period: periodOf(rule, check, start),
    start,
    ifConfirmed: null,
    postage: holds ? policy.postage.personalReason : policy.postage.notCovered,
    sendKey: holds ? 'personal_return' : 'no_remedy',
    considered,
    facts,
  };
}

/** The rules of the national rules and the law that shaped the deciding period, each with its clause and a sentence. */
function basisOf(outcome: Outcome, policy: WarrantyPolicy): PeriodBasis[] {
  const out: PeriodBasis[] = [];
  const rules = policy.periodRules;
  if (outcome.start.kind === 'invoice') {
    out.push({
      code: 'invoice_start',
      clause: clauseOf(policy, rules.validityClauseId),
      zh: `三包期限自开具发票之日（${outcome.start.date}）起计算。`,
      en: `The periods count from the invoice date (${outcome.start.date}).`,
    });
  }
  if (outcome.start.kind === 'exchange') {
    out.push({
      code: 'exchange_restart',
      clause: clauseOf(policy, rules.exchangeRestartClauseId),
      zh: `这台主机是换货换来的，三包期限自换货之日（${outcome.start.date}）起重新计算。`,
      en: `This host came in an exchange: its periods start again on the exchange day (${outcome.start.date}).`,
    });
  }
  const ext = outcome.period?.extended;
  if (ext && ext.repairDays > 0) {
    out.push({
      code: 'repair_days',
      clause: clauseOf(policy, rules.validityClauseId),
      zh: `扣除三包修理占用的${ext.repairDays}天，期限最后一天由${ext.nominalLastDay}顺延。`,
      en: `The ${ext.repairDays} days in 三包 repair are left out: the last day moves on from ${ext.nominalLastDay}.`,
    });
  }
  if (ext?.holiday) {
    out.push({
      code: 'holiday',
      clause: clauseOf(policy, rules.holidayClauseId),
      zh: `期限最后一天${ext.holiday.from}为法定休假日，顺延至${ext.holiday.to}。`,
      en: `The last day, ${ext.holiday.from}, is a day off: the period ends on the next working day, ${ext.holiday.to}.`,
    });
  }
  return out;
}

function explain(outcome: Outcome, input: WarrantyInput, policy: WarrantyPolicy, clause: Clause, postage: PostageDecision, basis: readonly PeriodBasis[]): { zh: string; en: string } {
  const label = policy.remedyLabels[outcome.remedy];
  const zh: string[] = [outcome.facts.zh, ...basis.map((b) => b.zh)];
  const en: string[] = [outcome.facts.en, ...basis.map((b) => b.en)];
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
export function decideWarranty(input: WarrantyInput, policy: WarrantyPolicy, context: DecideContext): WarrantyDecision {
  checkInput(input, policy);
  const dates = readDates(input, toCalendarDate(context.today));
  const c: Counting = { dates, policy, part: input.item.part, repairs: input.repairs ?? [], calendar: context.calendar ?? null };
  const start = startOf('purchase', dates, 'sale', input.item.part, policy);
  const facts = dayFacts(dates.request, start);
  let outcome: Outcome;
  if (input.item.origin === 'gift' && !policy.gifts.covered) {
    outcome = notCovered(policy.gifts.clauseId, 'no_remedy', policy, facts, start);
  } else if (input.request === 'personal_return') {
    outcome = decidePersonalReturn(input, c);
  } else if (input.fault === 'none') {
    outcome = notCovered(policy.noFault.clauseId, policy.noFault.remedy, policy, facts, start);
  } else if (input.fault === 'human_damage') {
    outcome = notCovered(policy.humanDamage.clauseId, policy.humanDamage.remedy, policy, facts, start);
  } else if (input.item.part === 'host') {
    // 第十三条 is weighed only for a host with 三包 repairs on record, just before the longest rung (the free repair)
    const repeat = c.repairs.some((r) => r.part === 'host') ? repeatRungOf(policy) : null;
    const rungs = repeat ? [...policy.host.rungs.slice(0, -1), repeat, ...policy.host.rungs.slice(-1)] : policy.host.rungs;
    outcome = decideLadder(rungs, policy.host.afterWarranty, input, c);
  } else {
    outcome = decideLadder([policy.accessories[input.item.part].rung], policy.accessoryAfterWarranty, input, c);
  }
  const clause = clauseOf(policy, outcome.clauseId);
  const postage = describePostage(outcome.postage, outcome.remedy);
  const periodBasis = basisOf(outcome, policy);
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
    periodBasis,
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
    explanation: explain(outcome, input, policy, clause, postage, periodBasis),
    considered: outcome.considered,
    warnings,
  };
}
