import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOf, makeTrace, saysDelivered, signedAtOf, summarizeTrace } from './parcel-trace.ts';

const at = (iso: string) => new Date(iso);

describe('parcel trace (issue 15 §3)', () => {
  it('15.3 sorts the steps oldest first, keeps untimed steps after the timed ones and drops empty words', () => {
    const trace = makeTrace({
      courier: ' 圆通速递 ',
      trackingNo: 'YT1 ',
      status: '运输中',
      steps: [
        { at: at('2026-11-02T10:00:00Z'), text: '到达杭州转运中心' },
        { at: null, text: '包裹异常，请联系快递员' },
        { at: at('2026-11-01T08:00:00Z'), text: '已揽收' },
        { at: at('2026-11-03T08:00:00Z'), text: '  ' },
      ],
    });
    expect(trace.courier).toBe('圆通速递');
    expect(trace.trackingNo).toBe('YT1');
    expect(trace.steps.map((s) => s.text)).toEqual(['已揽收', '到达杭州转运中心', '包裹异常，请联系快递员']);
    expect(trace.delivered).toBe(false);
  });

  it('15.3 a parcel is delivered when the words say 签收 and nothing says it was refused; the source may say so itself', () => {
    expect(saysDelivered('已签收', null)).toBe(true);
    expect(saysDelivered('运输中', '【杭州市】已签收，签收人：本人签收')).toBe(true);
    expect(saysDelivered('派送中', '正在为您派件')).toBe(false);
    expect(saysDelivered('已签收', '收件人拒签，快件退回')).toBe(false);
    expect(saysDelivered('', '')).toBe(false);
    expect(makeTrace({ courier: 'x', trackingNo: '1', status: '3', steps: [{ at: null, text: '…' }], delivered: true }).delivered).toBe(true);
  });

  it('15.3 how long ago: whole hours under two days, whole days after, never negative', () => {
    const h = 3_600_000;
    expect(ageOf(0)).toEqual({ unit: 'hours', value: 0 });
    expect(ageOf(59 * 60_000)).toEqual({ unit: 'hours', value: 0 });
    expect(ageOf(5 * h + 59 * 60_000)).toEqual({ unit: 'hours', value: 5 });
    expect(ageOf(47 * h)).toEqual({ unit: 'hours', value: 47 });
    expect(ageOf(48 * h)).toEqual({ unit: 'days', value: 2 });
    expect(ageOf(100 * h)).toEqual({ unit: 'days', value: 4 });
    expect(ageOf(-5 * h)).toEqual({ unit: 'hours', value: 0 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * 24 * h }), (ms) => {
        const a = ageOf(ms);
        expect(Number.isInteger(a.value) && a.value >= 0).toBe(true);
        expect(a.value * (a.unit === 'hours' ? h : 24 * h)).toBeLessThanOrEqual(ms);
      }),
    );
  });

  it('15.3 the last scan is the latest timed step, with its age; none for a trace without steps', () => {
    const trace = makeTrace({
      courier: '中通快递',
      trackingNo: '7800',
      status: '派送中',
      steps: [
        { at: at('2026-11-01T08:00:00Z'), text: '已揽收' },
        { at: at('2026-11-02T06:30:00Z'), text: '正在派件' },
        { at: null, text: '无时间的一条' },
      ],
    });
    expect(summarizeTrace(trace, at('2026-11-02T11:45:00Z'))).toEqual({
      lastScan: { at: at('2026-11-02T06:30:00Z'), text: '正在派件', ago: { unit: 'hours', value: 5 } },
      delivered: false,
    });
    expect(summarizeTrace(trace, at('2026-11-06T07:00:00Z')).lastScan?.ago).toEqual({ unit: 'days', value: 4 });
    const untimed = makeTrace({ courier: 'x', trackingNo: '1', status: '', steps: [{ at: null, text: '只有一条' }] });
    expect(summarizeTrace(untimed, at('2026-11-02T00:00:00Z')).lastScan).toEqual({ at: null, text: '只有一条', ago: null });
    expect(summarizeTrace(makeTrace({ courier: 'x', trackingNo: '1', status: '', steps: [] }), at('2026-11-02T00:00:00Z'))).toEqual({ lastScan: null, delivered: false });
  });

  it('S1.15 the sign time from a trace: the latest scan that says 签收; never a guess from another scan; none while not delivered or without times', () => {
    const steps = [
      { at: at('2026-11-01T08:00:00Z'), text: '【杭州】快递员已取件' },
      { at: at('2026-11-03T02:10:00Z'), text: '【保定】已签收，签收人：本人签收' },
      { at: at('2026-11-03T05:00:00Z'), text: '快件已被驿站转交' },
    ];
    expect(signedAtOf(makeTrace({ courier: '中通快递', trackingNo: '7800', status: '已签收', steps }))).toEqual(at('2026-11-03T02:10:00Z'));
    // delivered by the source's word, no scan says 签收 (已取件 is a pickup's word too): not known from it
    const byState = makeTrace({ courier: '中通快递', trackingNo: '7800', status: '', delivered: true, steps: [steps[0]!, { at: at('2026-11-03T04:00:00Z'), text: '快件已投递' }] });
    expect(signedAtOf(byState)).toBeNull();
    // a refused delivery is not a signing
    expect(signedAtOf(makeTrace({ courier: '中通快递', trackingNo: '7800', status: '', delivered: true, steps: [steps[0]!, { at: at('2026-11-03T04:00:00Z'), text: '买家拒签收，快件退回' }] }))).toBeNull();
    expect(signedAtOf(makeTrace({ courier: '中通快递', trackingNo: '7800', status: '派送中', steps: [steps[0]!] }))).toBeNull();
    expect(signedAtOf(makeTrace({ courier: 'x', trackingNo: '1', status: '已签收', steps: [{ at: null, text: '已签收' }] }))).toBeNull();
  });
});
