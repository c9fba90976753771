/**
 * Reports of the equipment service desk (S5): response times from the call to
 * the site (S5.8), warranty versus paid work (S5.4, S5.5), satisfaction by
 * product from the follow-up calls (S5.7). Pure aggregations over records the
 * app has loaded.
 *
 * Conventions: a period filters on the call's Shanghai date, both ends
 * included; percentiles interpolate linearly between the closest ranks (the
 * common "type 7" of R and NumPy, Excel's PERCENTILE.INC), so the median of an
 * even count is the mean of the middle two; minutes are rounded to whole
 * minutes; a record's response time is from its call to its first arrival.
 */
import { AppError } from '../errors.ts';
import type { Fen } from '../money.ts';
import { isCalendarDate, shanghaiDate, type CalendarDate } from './dates.ts';
import { dispatchDeadline, type Dispatch } from './dispatch.ts';
import { satisfactionScores, type Satisfaction } from './follow-up.ts';
import type { RepairRecord } from './repair-record.ts';

export interface ReportPeriod {
  /** first call date included (Shanghai) */
  from?: CalendarDate | null | undefined;
  /** last call date included (Shanghai) */
  to?: CalendarDate | null | undefined;
}

function checkPeriod(period: ReportPeriod): void {
  for (const key of ['from', 'to'] as const) {
    const d = period[key];
    if (d !== undefined && d !== null && !isCalendarDate(d)) {
      throw new AppError('VALIDATION_FAILED', `The report's ${key} must be a date like 2026-03-01.`, { reason: `${key}_invalid`, field: key });
    }
  }
  if (period.from && period.to && period.from > period.to) {
    throw new AppError('VALIDATION_FAILED', 'The report period ends before it starts.', { reason: 'period_reversed', field: 'to' });
  }
}

function inPeriod(callAt: string, period: ReportPeriod): boolean {
  const day = shanghaiDate(new Date(callAt));
  return (!period.from || day >= period.from) && (!period.to || day <= period.to);
}

/** The p-quantile (0–1) of ascending values, linear between the closest ranks; null for none. */
export function percentile(sortedAscending: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError('p must be between 0 and 1');
  const n = sortedAscending.length;
  if (n === 0) return null;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = sortedAscending[lo] as number;
  const b = sortedAscending[Math.min(lo + 1, n - 1)] as number;
  return a + (h - lo) * (b - a);
}

// ───────────────────────── response times (S5.8) ─────────────────────────

export interface ResponseTimeReport {
  /** records with an arrival on site */
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  maxMinutes: number | null;
  /** first arrival before the end of the day after the call (S5.8) */
  onTime: number;
  late: number;
  /** onTime / count, null for none */
  onTimeShare: number | null;
}

type ResponseFacts = Pick<Dispatch, 'recordId' | 'calledAt' | 'arrivedAt'>;

/** S5.8: call → first arrival on site, per record, over the dispatches given (cancelled or not-yet-arrived ones count nothing). */
export function responseTimes(dispatches: readonly ResponseFacts[], period: ReportPeriod = {}): ResponseTimeReport {
  checkPeriod(period);
  const first = new Map<number, { calledAt: number; arrivedAt: number }>();
  for (const d of dispatches) {
    if (d.arrivedAt === null || !inPeriod(d.calledAt, period)) continue;
    const arrivedAt = new Date(d.arrivedAt).getTime();
    const seen = first.get(d.recordId);
    if (!seen || arrivedAt < seen.arrivedAt) first.set(d.recordId, { calledAt: new Date(d.calledAt).getTime(), arrivedAt });
  }
  const minutes: number[] = [];
  let onTime = 0;
  for (const { calledAt, arrivedAt } of first.values()) {
    minutes.push((arrivedAt - calledAt) / 60_000);
    if (arrivedAt < dispatchDeadline(new Date(calledAt)).getTime()) onTime += 1;
  }
  minutes.sort((a, b) => a - b);
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v));
  const count = minutes.length;
  return {
    count,
    medianMinutes: round(percentile(minutes, 0.5)),
    p90Minutes: round(percentile(minutes, 0.9)),
    maxMinutes: round(count ? (minutes[count - 1] as number) : null),
    onTime,
    late: count - onTime,
    onTimeShare: count ? onTime / count : null,
  };
}

// ───────────────────────── warranty vs paid work (S5.4, S5.5) ─────────────────────────

export interface WorkMixReport {
  /** records in the period, cancelled ones excluded */
  total: number;
  /** S5.8: solved during the call */
  phone: number;
  /** S5.4: in warranty, free */
  warranty: number;
  /** S5.5: out of warranty, free by leadership's decision */
  freeByDecision: number;
  /** S5.5: out of warranty, leadership not asked or not yet decided */
  undecided: number;
  paid: {
    count: number;
    /** quoted, customer not yet decided */
    pendingDecision: number;
    accepted: number;
    declined: number;
    /** sum of the quotes the customers accepted */
    acceptedFen: Fen;
    collectedFen: Fen;
    invoicedFen: Fen;
    /** accepted quotes not yet collected */
    outstandingFen: Fen;
  };
  cancelled: number;
}

type MixFacts = Pick<RepairRecord, 'status' | 'call' | 'billing' | 'decision' | 'quote' | 'customerDecision' | 'payment' | 'invoice'>;

/** S5.4, S5.5: how much work was warranty, free by decision, or paid, with the paid amounts. */
export function workMix(records: readonly MixFacts[], period: ReportPeriod = {}): WorkMixReport {
  checkPeriod(period);
  const report: WorkMixReport = {
    total: 0,
    phone: 0,
    warranty: 0,
    freeByDecision: 0,
    undecided: 0,
    paid: { count: 0, pendingDecision: 0, accepted: 0, declined: 0, acceptedFen: 0, collectedFen: 0, invoicedFen: 0, outstandingFen: 0 },
    cancelled: 0,
  };
  for (const r of records) {
    if (!inPeriod(r.call.at, period)) continue;
    if (r.status === 'cancelled') {
      report.cancelled += 1;
      continue;
    }
    report.total += 1;
    if (r.status === 'closed_on_phone') report.phone += 1;
    else if (r.billing === 'free') {
      if (r.decision === null) report.warranty += 1;
      else report.freeByDecision += 1;
    } else if (r.billing === null) report.undecided += 1;
    else {
      const p = report.paid;
      p.count += 1;
      if (r.customerDecision === null) {
        if (r.quote !== null) p.pendingDecision += 1;
      } else if (r.customerDecision.accepted) {
        p.accepted += 1;
        p.acceptedFen += r.quote?.totalFen ?? 0;
        if (r.payment === null) p.outstandingFen += r.quote?.totalFen ?? 0;
      } else p.declined += 1;
      p.collectedFen += r.payment?.amountFen ?? 0;
      p.invoicedFen += r.invoice?.amountFen ?? 0;
    }
  }
  return report;
}

// ───────────────────────── satisfaction by product (S5.7) ─────────────────────────

export interface SatisfactionRow {
  product: string;
  /** records whose follow-up reached the customer */
  count: number;
  /** mean of the scores, to two decimals */
  average: number;
  distribution: Record<Satisfaction, number>;
}

type SatisfactionFacts = Pick<RepairRecord, 'call' | 'product' | 'followUps'>;

/**
 * S5.7: the satisfaction the follow-up calls logged, by product (the archive's
 * product and model), the most answered first. One score per record: the call
 * that reached the customer. Records not linked to a product are left out.
 */
export function satisfactionByProduct(records: readonly SatisfactionFacts[], period: ReportPeriod = {}): SatisfactionRow[] {
  checkPeriod(period);
  const rows = new Map<string, { count: number; sum: number; distribution: Record<Satisfaction, number> }>();
  for (const r of records) {
    if (r.product === null || !inPeriod(r.call.at, period)) continue;
    const reached = r.followUps.find((f) => f.reached && f.satisfaction !== null);
    if (!reached || reached.satisfaction === null) continue;
    let row = rows.get(r.product.product);
    if (!row) {
      row = { count: 0, sum: 0, distribution: Object.fromEntries(satisfactionScores.map((s) => [s, 0])) as Record<Satisfaction, number> };
      rows.set(r.product.product, row);
    }
    row.count += 1;
    row.sum += reached.satisfaction;
    row.distribution[reached.satisfaction] += 1;
  }
  return [...rows.entries()]
    .map(([product, row]) => ({ product, count: row.count, average: Math.round((row.sum / row.count) * 100) / 100, distribution: row.distribution }))
    .sort((a, b) => b.count - a.count || (a.product < b.product ? -1 : a.product > b.product ? 1 : 0));
}
