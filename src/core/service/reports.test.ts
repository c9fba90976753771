/** S5.4–S5.8 reports: response times, warranty vs paid work, satisfaction by product. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import type { Dispatch } from './dispatch.ts';
import type { FollowUpAttempt } from './follow-up.ts';
import type { RepairRecord } from './repair-record.ts';
import { percentile, responseTimes, satisfactionByProduct, workMix } from './reports.ts';

const MIN = 60_000;
// calls on Monday 2026-03-02, 10:00 Shanghai
const CALL = Date.parse('2026-03-02T02:00:00.000Z');

function dispatch(recordId: number, minutesToArrive: number | null, callAt = CALL): Pick<Dispatch, 'recordId' | 'calledAt' | 'arrivedAt'> {
  return {
    recordId,
    calledAt: new Date(callAt).toISOString(),
    arrivedAt: minutesToArrive === null ? null : new Date(callAt + minutesToArrive * MIN).toISOString(),
  };
}

function details(fn: () => unknown): { code: string; reason?: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, ...(e.details as { reason?: string }) };
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('percentile', () => {
  it('interpolates linearly between the closest ranks', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
    expect(percentile([10, 20, 30], 0)).toBe(10);
    expect(percentile([10, 20, 30], 1)).toBe(30);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });
});

describe('responseTimes', () => {
  it('S5.8 call → first arrival per record: median, p90, max and the share on time', () => {
    const report = responseTimes([
      dispatch(1, 120),
      dispatch(1, 3000), // a second visit of record 1 does not count
      dispatch(2, 600),
      dispatch(3, 1500), // next day 11:00: on time
      dispatch(4, 2400), // next day 24:00 exactly: late
      dispatch(5, null), // not arrived: left out
    ]);
    expect(report).toEqual({ count: 4, medianMinutes: 1050, p90Minutes: 2130, maxMinutes: 2400, onTime: 3, late: 1, onTimeShare: 0.75 });
  });

  it('S5.8 none arrived: counts of zero and no statistics', () => {
    expect(responseTimes([dispatch(1, null)])).toEqual({ count: 0, medianMinutes: null, p90Minutes: null, maxMinutes: null, onTime: 0, late: 0, onTimeShare: null });
  });

  it('S5.8 a period filters on the Shanghai day of the call, both ends included', () => {
    const lateNight = Date.parse('2026-03-31T15:30:00.000Z'); // 23:30 Shanghai on 03-31
    const report = responseTimes([dispatch(1, 60), dispatch(2, 60, lateNight), dispatch(3, 60, Date.parse('2026-03-31T16:30:00.000Z'))], {
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(report.count).toBe(2);
    expect(details(() => responseTimes([], { from: '2026-04-01', to: '2026-03-01' })).reason).toBe('period_reversed');
    expect(details(() => responseTimes([], { from: '2026-4-1' })).reason).toBe('from_invalid');
  });
});

type MixRecord = Parameters<typeof workMix>[0][number];

function mixRecord(over: Partial<MixRecord>): MixRecord {
  return {
    status: 'archived',
    call: { at: new Date(CALL).toISOString(), receivedBy: { userId: 1, name: 'c', role: 'clerk' }, callerName: 'x', callerPhone: '13812345678', fault: 'ff' },
    billing: 'free',
    decision: null,
    quote: null,
    customerDecision: null,
    payment: null,
    invoice: null,
    ...over,
  };
}

const by = { userId: 1, name: 'x' };
const quote = (totalFen: number): RepairRecord['quote'] => ({ findings: 'f', feeStandard: 's', items: [], totalFen, note: null, at: '', by });

describe('workMix', () => {
  it('S5.4, S5.5 warranty vs free by decision vs paid, with the paid amounts', () => {
    const report = workMix([
      mixRecord({}),
      mixRecord({ status: 'returned' }),
      mixRecord({ decision: { billing: 'free', note: null, by, at: '' } }),
      mixRecord({ status: 'closed_on_phone', billing: null }),
      mixRecord({ status: 'awaiting_decision', billing: null }),
      mixRecord({ status: 'cancelled' }),
      mixRecord({
        billing: 'paid',
        quote: quote(98000),
        customerDecision: { accepted: true, note: null, at: '', by },
        payment: { amountFen: 90000, method: 'cash', receivedOn: '2026-03-05', note: 'x', at: '', by },
        invoice: { number: '12345678', issueDate: '2026-03-05', amountFen: 90000, at: '', by },
      }),
      mixRecord({ status: 'settling', billing: 'paid', quote: quote(50000), customerDecision: { accepted: true, note: null, at: '', by } }),
      mixRecord({ status: 'work_done', billing: 'paid', quote: quote(250000), customerDecision: { accepted: false, note: null, at: '', by } }),
      mixRecord({ status: 'quoted', billing: 'paid', quote: quote(10000) }),
    ]);
    expect(report).toEqual({
      total: 9,
      phone: 1,
      warranty: 2,
      freeByDecision: 1,
      undecided: 1,
      paid: { count: 4, pendingDecision: 1, accepted: 2, declined: 1, acceptedFen: 148000, collectedFen: 90000, invoicedFen: 90000, outstandingFen: 50000 },
      cancelled: 1,
    });
  });
});

describe('satisfactionByProduct', () => {
  const product = (name: string): RepairRecord['product'] => ({
    archiveId: 1,
    product: name,
    serialNo: 'S1',
    contractNo: 'C',
    market: 'consumer',
    organisation: 'o',
    contact: 'c',
    phone: '13812345678',
    siteAddress: 'addr',
  });
  const reached = (s: 1 | 2 | 3 | 4 | 5): FollowUpAttempt => ({ at: '', by, reached: true, satisfaction: s, comments: null });
  const missed: FollowUpAttempt = { at: '', by, reached: false, satisfaction: null, comments: null };
  const rec = (name: string | null, followUps: FollowUpAttempt[]): Parameters<typeof satisfactionByProduct>[0][number] => ({
    call: { at: new Date(CALL).toISOString(), receivedBy: { userId: 1, name: 'c', role: 'clerk' }, callerName: null, callerPhone: null, fault: null },
    product: name === null ? null : product(name),
    followUps,
  });

  it('S5.7 average and distribution per product, one score per record, the most answered first', () => {
    const rows = satisfactionByProduct([
      rec('分拣机 FJ-2', [reached(4)]),
      rec('一体机 JX-86', [missed, reached(5)]),
      rec('一体机 JX-86', [reached(4)]),
      rec('一体机 JX-86', [reached(2)]),
      rec('一体机 JX-86', [missed, missed, missed]),
      rec('分拣机 FJ-2', []),
      rec(null, [reached(1)]),
    ]);
    expect(rows).toEqual([
      { product: '一体机 JX-86', count: 3, average: 3.67, distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 } },
      { product: '分拣机 FJ-2', count: 1, average: 4, distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 } },
    ]);
    expect(satisfactionByProduct([])).toEqual([]);
  });
});
