/** S5.4, S5.6, S5.8 the dispatch register (售后派出登记), its clock and the clerk's review. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { createArchive } from './archive.ts';
import { shanghaiDate } from './dates.ts';
import {
  applyDispatchAction,
  dispatchDeadline,
  dispatchFlags,
  openDispatchesByAge,
  registerDispatch,
  unattended,
  type Dispatch,
  type DispatchInput,
} from './dispatch.ts';
import { applyRepairAction, openRepairRecord, type RepairRecord } from './repair-record.ts';
import type { ServiceActor, ServiceContext } from './service-context.ts';

const HOUR = 3_600_000;
const clerk: ServiceActor = { userId: 11, role: 'clerk', name: '王内勤' };
const lead: ServiceActor = { userId: 21, role: 'field_lead', name: '李工' };
const otherLead: ServiceActor = { userId: 22, role: 'field_lead', name: '周工' };
const ctx = (actor: ServiceActor, now: Date): ServiceContext => ({ now, actor });

// a call on Monday 2026-03-02 at 16:30 Shanghai
const CALL = new Date('2026-03-02T08:30:00.000Z');
const at = (hours: number): Date => new Date(CALL.getTime() + hours * HOUR);
const input: DispatchInput = {
  recordId: 5,
  calledAt: CALL.toISOString(),
  lead: { userId: 21, name: '李工' },
  purpose: 'repair',
  destination: '辽宁省大连市某区学府路 8 号',
};

function details(fn: () => unknown): { code: string; reason?: string; issues?: { field: string; reason: string }[]; [k: string]: unknown } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message, ...e.details };
    throw e;
  }
  throw new Error('expected an AppError');
}

function registered(now: Date = at(0.5)): Dispatch {
  return registerDispatch(input, ctx(clerk, now));
}

describe('dispatchDeadline', () => {
  it('S5.8 the end of the day after the call, Shanghai time', () => {
    // 16:30 Monday → Tuesday 24:00 = Wednesday 00:00 Shanghai = Tuesday 16:00Z
    expect(dispatchDeadline(CALL).toISOString()).toBe('2026-03-03T16:00:00.000Z');
    // 23:59 Shanghai is still Monday
    expect(dispatchDeadline(new Date('2026-03-02T15:59:00.000Z')).toISOString()).toBe('2026-03-03T16:00:00.000Z');
    // 00:00 Shanghai Tuesday starts a new day
    expect(dispatchDeadline(new Date('2026-03-02T16:00:00.000Z')).toISOString()).toBe('2026-03-04T16:00:00.000Z');
    // across a month end and a leap day
    expect(dispatchDeadline(new Date('2028-02-28T03:00:00.000Z')).toISOString()).toBe('2028-02-29T16:00:00.000Z');
  });

  it('S5.8 property: the deadline is 00:00 Shanghai two calendar days after the call day, 24 to 48 hours away', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (callAt) => {
        const d = dispatchDeadline(callAt);
        const left = d.getTime() - callAt.getTime();
        expect(left).toBeGreaterThan(24 * HOUR);
        expect(left).toBeLessThanOrEqual(48 * HOUR);
        expect(new Date(d.getTime() + 8 * HOUR).toISOString().slice(11)).toBe('00:00:00.000Z');
        expect(shanghaiDate(new Date(d.getTime() - 1))).toBe(shanghaiDate(new Date(callAt.getTime() + 24 * HOUR)));
      }),
    );
  });
});

describe('registerDispatch', () => {
  it('S5.4 registers the dispatch with its deadline', () => {
    const d = registered();
    expect(d).toMatchObject({
      status: 'registered',
      deadlineAt: '2026-03-03T16:00:00.000Z',
      clockStartsAt: CALL.toISOString(),
      retroactive: false,
      registeredBy: { userId: 11 },
    });
  });

  it('S5.8 an emergency dispatch may be registered after the lead reached the site', () => {
    const d = registerDispatch({ ...input, arrivedAt: at(2).toISOString() }, ctx(lead, at(5)));
    expect(d).toMatchObject({ status: 'on_site', retroactive: true, arrivedAt: at(2).toISOString() });
    expect(dispatchFlags(d, at(5)).flag).toBe('on_time');
  });

  it('S5.4 the register entry is checked', () => {
    const d = details(() =>
      registerDispatch(
        { recordId: 0, calledAt: 'yesterday', lead: { userId: 21, name: '' }, purpose: 'visit' as never, destination: '', plannedOn: '2026-02-30' },
        ctx(clerk, at(1)),
      ),
    ) as { issues: { reason: string }[] };
    expect(d.issues.map((i) => i.reason)).toEqual([
      'record_id_invalid',
      'called_at_invalid_instant',
      'name_required',
      'purpose_unknown_value',
      'destination_required',
      'planned_on_invalid_date',
    ]);
    expect(details(() => registerDispatch({ ...input, arrivedAt: at(-1).toISOString() }, ctx(clerk, at(1)))).reason).toBe('arrived_at_too_early');
    expect(details(() => registerDispatch(input, ctx({ userId: 31, role: 'leadership', name: '赵总' }, at(1)))).code).toBe('FORBIDDEN');
  });

  it('S5.5 a later visit (the repair after a paid inspection) starts its own clock', () => {
    const d = registerDispatch({ ...input, clockStartsAt: at(50).toISOString() }, ctx(clerk, at(51)));
    expect(d.deadlineAt).toBe(dispatchDeadline(at(50)).toISOString());
    expect(details(() => registerDispatch({ ...input, clockStartsAt: at(-5).toISOString() }, ctx(clerk, at(1)))).reason).toBe('clock_starts_at_too_early');
  });
});

describe('dispatchFlags', () => {
  it('S5.8 on the site by the end of the next day: on time', () => {
    const arrived = applyDispatchAction(registered(), { action: 'arrive', arrivedAt: '2026-03-03T23:59:00+08:00' }, ctx(lead, at(40))).record;
    expect(dispatchFlags(arrived, at(100))).toMatchObject({ flag: 'on_time', lateByMinutes: null, noticeInAdvance: false });
  });

  it('S5.8 not there yet and the deadline ahead: pending; past it without notice: flagged', () => {
    const d = registered();
    expect(dispatchFlags(d, at(31.49)).flag).toBe('pending');
    expect(dispatchFlags(d, new Date('2026-03-03T16:00:00.000Z'))).toMatchObject({ flag: 'late_without_notice', lateByMinutes: 0 });
    const late = applyDispatchAction(d, { action: 'arrive' }, ctx(lead, new Date('2026-03-04T01:30:00.000Z'))).record;
    expect(dispatchFlags(late, at(100))).toMatchObject({ flag: 'late_without_notice', lateByMinutes: 570 });
  });

  it('S5.8 told in advance: late with notice; a notice after the deadline does not count', () => {
    const told = applyDispatchAction(registered(), { action: 'record_notice', promisedOn: '2026-03-05', channel: 'phone', note: '配件在途' }, ctx(lead, at(3))).record;
    expect(told.notices[0]).toMatchObject({ inAdvance: true, promisedOn: '2026-03-05', by: { userId: 21 } });
    expect(dispatchFlags(told, at(40))).toMatchObject({ flag: 'late_with_notice', promisedOn: '2026-03-05', missedPromise: false });
    // the promised day passes too
    expect(dispatchFlags(told, new Date('2026-03-05T16:00:00.000Z')).missedPromise).toBe(true);

    const tooLate = applyDispatchAction(registered(), { action: 'record_notice', promisedOn: '2026-03-05', channel: 'wechat' }, ctx(clerk, at(40))).record;
    expect(tooLate.notices[0]?.inAdvance).toBe(false);
    expect(dispatchFlags(tooLate, at(41))).toMatchObject({ flag: 'late_without_notice', noticeInAdvance: false });
  });

  it('S5.8 the notice is checked: a promised day not before the notice, a known channel, not in the future', () => {
    const d = registered();
    const bad = details(() => applyDispatchAction(d, { action: 'record_notice', promisedOn: '2026-03-01', channel: 'fax' as never }, ctx(lead, at(3)))) as {
      issues: { reason: string }[];
    };
    expect(bad.issues.map((i) => i.reason)).toEqual(['promised_on_too_early', 'channel_unknown_value']);
    expect(
      details(() => applyDispatchAction(d, { action: 'record_notice', promisedOn: '2026-03-04', channel: 'phone', toldAt: at(4).toISOString() }, ctx(lead, at(3))))
        .reason,
    ).toBe('told_at_in_future');
  });

  it('S5.8 a cancelled dispatch is neither late nor pending', () => {
    const d = applyDispatchAction(registered(), { action: 'cancel', reason: '电话已解决' }, ctx(lead, at(2))).record;
    expect(dispatchFlags(d, at(100))).toMatchObject({ flag: 'cancelled', lateByMinutes: null });
  });
});

describe('applyDispatchAction', () => {
  it('S5.6 arrive → the clerk marks it complete when the record is filed', () => {
    const onSite = applyDispatchAction(registered(), { action: 'arrive' }, ctx(lead, at(18))).record;
    expect(details(() => applyDispatchAction(onSite, { action: 'complete' }, ctx(lead, at(30))))).toMatchObject({ code: 'FORBIDDEN', reason: 'role_not_allowed' });
    const done = applyDispatchAction(onSite, { action: 'complete' }, ctx(clerk, at(30)));
    expect(done).toMatchObject({ from: 'on_site', to: 'completed', record: { completed: { by: { userId: 11 } } } });
    expect(details(() => applyDispatchAction(done.record, { action: 'cancel', reason: 'x' }, ctx(clerk, at(31)))).reason).toBe('transition_not_allowed');
  });

  it('S5.8 only the lead sent reports on his dispatch; an arrival cannot precede the clock or follow now', () => {
    expect(details(() => applyDispatchAction(registered(), { action: 'arrive' }, ctx(otherLead, at(3)))).reason).toBe('not_dispatched_lead');
    expect(details(() => applyDispatchAction(registered(), { action: 'arrive', arrivedAt: at(-1).toISOString() }, ctx(lead, at(3)))).reason).toBe(
      'arrived_at_too_early',
    );
    expect(details(() => applyDispatchAction(registered(), { action: 'cancel', reason: '' }, ctx(clerk, at(3)))).reason).toBe('reason_required');
  });
});

describe('openDispatchesByAge and unattended', () => {
  const archive = createArchive(
    {
      customer: { organisation: '某局', contact: '张科长', phone: '13812345678', siteAddress: '辽宁省大连市某区学府路 8 号' },
      product: 'JX-86',
      serialNo: 'JX86-1',
      contractNo: 'HT-1',
      market: 'government_procurement',
      deliveredOn: '2025-03-01',
      acceptedOn: '2025-03-15',
      warrantyPeriod: { count: 1, unit: 'years' },
    },
    ctx(clerk, at(-1000)),
  );
  const call = { callerName: '张科长', callerPhone: '13812345678', fault: '黑屏无显示' };
  const waiting: RepairRecord = openRepairRecord({ ...call, archive: { id: 1, archive } }, ctx(clerk, CALL)).record;
  const assigned = applyRepairAction(
    waiting,
    { action: 'assign', assignee: { userId: 21, name: '李工', role: 'field_lead', unit: 'project' } },
    ctx(clerk, at(1)),
  ).record;
  const emergency = openRepairRecord(
    { emergency: { assignee: { userId: 22, name: '周工', role: 'field_lead', unit: 'rnd_production' } } },
    ctx(otherLead, at(70)),
  ).record;

  it('S5.6 the register lists open dispatches, the oldest first, with their clock', () => {
    const young = registerDispatch({ ...input, recordId: 6, calledAt: at(20).toISOString() }, ctx(clerk, at(21)));
    const old = registered();
    const done = applyDispatchAction(applyDispatchAction(registered(), { action: 'arrive' }, ctx(lead, at(3))).record, { action: 'complete' }, ctx(clerk, at(4))).record;
    const rows = openDispatchesByAge(
      [
        { id: 2, dispatch: young },
        { id: 1, dispatch: old },
        { id: 3, dispatch: done },
      ],
      at(40),
    );
    expect(rows.map((r) => [r.item.id, r.ageHours, r.timing.flag])).toEqual([
      [1, 40, 'late_without_notice'],
      [2, 20, 'pending'],
    ]);
  });

  it('S5.6 the review lists what is unattended beyond the threshold, with who owns it; S5.8 late dispatches and missing paperwork whatever their age', () => {
    const d = registered(at(1));
    const items = unattended(
      [
        { kind: 'repair_record', id: 1, record: waiting },
        { kind: 'repair_record', id: 2, record: assigned },
        { kind: 'dispatch', id: 3, dispatch: d },
        { kind: 'repair_record', id: 4, record: emergency },
      ],
      at(72),
      48,
    );
    expect(items.map((i) => [i.kind, i.id, i.idleHours, i.owner.role, i.owner.userId, i.reasons])).toEqual([
      ['repair_record', 1, 72, 'clerk', 11, ['idle']],
      ['repair_record', 2, 71, 'field_lead', 21, ['idle']],
      ['dispatch', 3, 71, 'field_lead', 21, ['idle', 'late_without_notice']],
      ['repair_record', 4, 2, 'field_lead', 22, ['paperwork_incomplete']],
    ]);
    expect(items[0]?.waitingFor['zh-CN']).toBe('交给项目负责人或研发生产部负责人');
    expect(items[2]?.timing?.flag).toBe('late_without_notice');
  });

  it('S5.6 nothing idle under the threshold, nothing final; the threshold is checked', () => {
    expect(unattended([{ kind: 'repair_record', id: 1, record: waiting }], at(5), 6)).toEqual([]);
    const cancelled = applyRepairAction(waiting, { action: 'cancel', reason: '重复来电' }, ctx(clerk, at(1))).record;
    expect(unattended([{ kind: 'repair_record', id: 1, record: cancelled }], at(500), 1)).toEqual([]);
    for (const bad of [0, -1, Number.NaN, 24 * 366]) {
      expect(details(() => unattended([], at(1), bad)).reason).toBe('threshold_hours_invalid');
    }
  });
});
