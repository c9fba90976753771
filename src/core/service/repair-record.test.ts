/** S5.3–S5.8 the service and repair record (售后服务及维修记录单). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import type { Role } from '../roles.ts';
import { createArchive, type ServiceArchiveInput } from './archive.ts';
import {
  applyRepairAction,
  availableRepairActions,
  isIncomplete,
  openRepairRecord,
  paperworkGaps,
  recordOwner,
  remindersDue,
  repairActionRoles,
  repairActions,
  repairStatuses,
  repairTransitions,
  type AssigneeInput,
  type LinkedArchive,
  type RepairCommand,
  type RepairRecord,
} from './repair-record.ts';
import type { ServiceActor, ServiceContext } from './service-context.ts';

const HOUR = 3_600_000;
const T0 = new Date('2026-03-02T02:00:00.000Z'); // Monday 2026-03-02 10:00 Shanghai
const after = (hours: number): Date => new Date(T0.getTime() + hours * HOUR);

const clerk: ServiceActor = { userId: 11, role: 'clerk', name: '王内勤' };
const lead: ServiceActor = { userId: 21, role: 'field_lead', name: '李工' };
const otherLead: ServiceActor = { userId: 22, role: 'field_lead', name: '周工' };
const boss: ServiceActor = { userId: 31, role: 'leadership', name: '赵总' };
const finance: ServiceActor = { userId: 41, role: 'finance', name: '钱会计' };
const ctx = (actor: ServiceActor, now: Date = T0): ServiceContext => ({ now, actor });

const leadInput: AssigneeInput = { userId: 21, name: '李工', role: 'field_lead', unit: 'project' };
const otherLeadInput: AssigneeInput = { userId: 22, name: '周工', role: 'field_lead', unit: 'rnd_production' };

const archiveInput: ServiceArchiveInput = {
  customer: { organisation: '大连市某区教育局', contact: '张科长', phone: '0411-87654321', siteAddress: '辽宁省大连市某区学府路 8 号' },
  product: '多媒体教学一体机 JX-86',
  serialNo: 'JX86-2025-00017',
  contractNo: '大政采 2025-118',
  market: 'government_procurement',
  deliveredOn: '2025-03-01',
  acceptedOn: '2025-03-15',
  warrantyPeriod: { count: 1, unit: 'years' },
};
const archiveCtx = ctx(clerk, new Date('2025-12-01T02:00:00.000Z'));
const inWarranty: LinkedArchive = { id: 7, archive: createArchive(archiveInput, archiveCtx) };
const outOfWarranty: LinkedArchive = {
  id: 8,
  archive: createArchive({ ...archiveInput, serialNo: 'JX86-2023-00002', deliveredOn: '2023-01-05', acceptedOn: '2023-01-10' }, archiveCtx),
};

const call = { callerName: '张科长', callerPhone: '0411-87654321', fault: '开机无显示，指示灯红色常亮' };

function details(fn: () => unknown): { code: string; reason?: string; issues?: { field: string; reason: string }[]; [k: string]: unknown } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message, ...e.details };
    throw e;
  }
  throw new Error('expected an AppError');
}

function act(record: RepairRecord, command: RepairCommand, actor: ServiceActor, now: Date = after(1)): RepairRecord {
  return applyRepairAction(record, command, ctx(actor, now)).record;
}

const work = { method: 'on_site' as const, workDone: '更换电源板，通电测试正常', parts: [{ name: '电源板', model: 'PW-86', quantity: 1 }], labourMinutes: 90 };

function open(archive: LinkedArchive = inWarranty): RepairRecord {
  return openRepairRecord({ ...call, archive }, ctx(clerk)).record;
}

describe('openRepairRecord', () => {
  it('S5.3 records the call and answers at once whether the product is in warranty, and why', () => {
    const { record, next } = openRepairRecord({ ...call, archive: inWarranty }, ctx(clerk));
    expect(next).toEqual([]);
    expect(record).toMatchObject({
      status: 'awaiting_assignment',
      coverage: 'in_warranty',
      billing: 'free',
      call: { at: T0.toISOString(), receivedBy: { userId: 11, role: 'clerk' }, callerName: '张科长', callerPhone: '0411-87654321' },
      product: { archiveId: 7, serialNo: 'JX86-2025-00017', siteAddress: '辽宁省大连市某区学府路 8 号' },
    });
    expect(record.warranty?.reason.clause).toBe('S5.1(1)');
    expect(record.warranty?.reason['zh-CN']).toContain('在保修期内');
    expect(recordOwner(record)).toMatchObject({ role: 'clerk', userId: 11 });
  });

  it('S5.3 the warranty is judged on the Shanghai date of the call, not of the recording', () => {
    // the warranty's last day is 2026-03-14; a call at 23:30 that day, recorded the next morning
    const { record } = openRepairRecord(
      { ...call, archive: inWarranty, calledAt: '2026-03-14T23:30:00+08:00' },
      ctx(clerk, new Date('2026-03-15T01:00:00.000Z')),
    );
    expect(record.coverage).toBe('in_warranty');
    expect(record.warranty?.onDate).toBe('2026-03-14');
  });

  it('S5.5 out of warranty: the record waits for leadership, and says why', () => {
    const record = open(outOfWarranty);
    expect(record).toMatchObject({ status: 'awaiting_decision', coverage: 'expired', billing: null });
    expect(record.warranty?.reason['zh-CN']).toContain('已过保修期');
    expect(recordOwner(record)).toMatchObject({ role: 'leadership', userId: null });
  });

  it('S5.3 the form requires who called, the phone, the fault and the product', () => {
    const d = details(() => openRepairRecord({ callerPhone: '12' }, ctx(clerk))) as { issues: { reason: string }[] };
    expect(d.issues.map((i) => i.reason)).toEqual(['caller_name_required', 'caller_phone_invalid_format', 'fault_required', 'archive_required']);
    expect(details(() => openRepairRecord({ ...call, archive: inWarranty, calledAt: after(1).toISOString() }, ctx(clerk))).reason).toBe(
      'called_at_in_future',
    );
  });

  it('S5.8 a problem solved on the phone closes the record at once', () => {
    const { record } = openRepairRecord({ ...call, archive: outOfWarranty, solvedOnPhone: { solution: '指导客户重新插拔信号线后恢复' } }, ctx(clerk));
    expect(record).toMatchObject({ status: 'closed_on_phone', billing: null, phoneSolution: { solution: '指导客户重新插拔信号线后恢复' } });
    expect(recordOwner(record)).toBeNull();
    expect(details(() => act(record, { action: 'assign', assignee: leadInput }, clerk))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      reason: 'transition_not_allowed',
      allowedActions: [],
    });
  });

  it('S5.3 only the clerk (or a supervisor) records hotline calls', () => {
    expect(details(() => openRepairRecord({ ...call, archive: inWarranty }, ctx(lead)))).toMatchObject({ code: 'FORBIDDEN', reason: 'role_not_allowed' });
  });
});

describe('S5.4 in warranty', () => {
  it('S5.4 assign → the lead repairs and fills the record → back to the clerk → archived; S5.7 follow-up logged', () => {
    const r0 = open();
    const assigned = applyRepairAction(r0, { action: 'assign', assignee: leadInput }, ctx(clerk, after(0.1)));
    expect(assigned.next).toEqual(['register_dispatch']);
    expect(assigned.record).toMatchObject({ status: 'assigned', assignee: { userId: 21, unit: 'project' } });
    expect(recordOwner(assigned.record)).toMatchObject({ role: 'field_lead', userId: 21 });

    const done = act(assigned.record, { action: 'finish_work', work: { ...work, finishedAt: after(20).toISOString() } }, lead, after(21));
    expect(done).toMatchObject({ status: 'work_done', work: { method: 'on_site', labourMinutes: 90, parts: [{ name: '电源板', model: 'PW-86', quantity: 1 }] } });

    const returned = applyRepairAction(done, { action: 'return_to_clerk' }, ctx(lead, after(22)));
    expect(returned.next).toEqual(['schedule_follow_up']);
    // returned 2026-03-03 08:00 Shanghai → due 2026-03-06 00:00 Shanghai
    expect(returned.data).toEqual({ followUpDueAt: '2026-03-05T16:00:00.000Z' });
    expect(returned.record).toMatchObject({ status: 'returned', returnedAt: after(22).toISOString() });

    const archived = applyRepairAction(returned.record, { action: 'archive' }, ctx(clerk, after(23)));
    expect(archived.next).toEqual(['complete_dispatches']);
    expect(archived.record.status).toBe('archived');

    const called = act(archived.record, { action: 'log_follow_up', outcome: { reached: true, satisfaction: 5, comments: '响应很快' } }, clerk, after(90));
    expect(called.status).toBe('archived');
    expect(called.followUps).toEqual([{ at: after(90).toISOString(), by: { userId: 11, name: '王内勤' }, reached: true, satisfaction: 5, comments: '响应很快' }]);
    // S5.7: the customer reached, the follow-up is over: it is no longer offered
    expect(availableRepairActions(archived.record, clerk)).toContain('log_follow_up');
    expect(availableRepairActions(called, clerk)).not.toContain('log_follow_up');
  });

  it('S5.4 a repair goes only to a project or R&D/production lead', () => {
    const d = details(() => act(open(), { action: 'assign', assignee: { ...leadInput, role: 'agent' as Role } }, clerk));
    expect(d).toMatchObject({ code: 'ASSIGNEE_NOT_ELIGIBLE', reason: 'assignee_not_field_lead' });
    expect(details(() => act(open(), { action: 'assign', assignee: { ...leadInput, unit: 'sales' as never } }, clerk)).reason).toBe('unit_unknown_value');
  });

  it('S5.4 only the lead the record is assigned to works it; a reassignment hands it over', () => {
    const assigned = act(open(), { action: 'assign', assignee: leadInput }, clerk);
    expect(details(() => act(assigned, { action: 'finish_work', work }, otherLead))).toMatchObject({ code: 'FORBIDDEN', reason: 'not_assignee' });
    expect(availableRepairActions(assigned, otherLead)).toEqual([]);
    expect(availableRepairActions(assigned, lead)).toEqual(['quote', 'finish_work', 'complete_paperwork']);
    expect(details(() => act(assigned, { action: 'reassign', assignee: leadInput, reason: '换人' }, clerk)).reason).toBe('assignee_same_lead');
    expect(details(() => act(assigned, { action: 'reassign', assignee: otherLeadInput, reason: '' }, clerk)).reason).toBe('reason_required');
    const moved = act(assigned, { action: 'reassign', assignee: otherLeadInput, reason: '李工出差' }, clerk);
    expect(moved.assignments.map((a) => a.to.userId)).toEqual([21, 22]);
    expect(act(moved, { action: 'finish_work', work }, otherLead).status).toBe('work_done');
  });

  it('S5.4 free work is not quoted; S5.6 the work report is checked', () => {
    const assigned = act(open(), { action: 'assign', assignee: leadInput }, clerk);
    expect(details(() => act(assigned, { action: 'quote', findings: '电源板损坏', feeStandard: '2025版', items: [] }, lead)).reason).toBe('not_paid_work');
    const d = details(() =>
      act(
        assigned,
        { action: 'finish_work', work: { method: 'by_mail' as never, workDone: '', parts: [{ name: '', quantity: 0 }], labourMinutes: 0, finishedAt: '2026-03-01T00:00:00Z' } },
        lead,
      ),
    ) as { issues: { reason: string }[] };
    expect(d.issues.map((i) => i.reason)).toEqual([
      'method_unknown_value',
      'work_done_required',
      'name_required',
      'quantity_invalid',
      'labour_minutes_invalid',
      'finished_at_too_early',
    ]);
  });

  it('S5.8 a lead who solves it by phone reports it so, and any open dispatch is cancelled', () => {
    const assigned = act(open(), { action: 'assign', assignee: leadInput }, clerk);
    const change = applyRepairAction(assigned, { action: 'finish_work', work: { method: 'phone', workDone: '电话指导复位', labourMinutes: 15 } }, ctx(lead, after(2)));
    expect(change.next).toEqual(['cancel_open_dispatches']);
    expect(change.record.work?.parts).toEqual([]);
  });

  it('cancelling before any work, with a reason', () => {
    const c = applyRepairAction(open(), { action: 'cancel', reason: '重复来电' }, ctx(clerk));
    expect(c.record).toMatchObject({ status: 'cancelled', cancelled: { reason: '重复来电' } });
    expect(c.next).toEqual(['cancel_open_dispatches']);
  });
});

describe('S5.5 out of warranty', () => {
  it('S5.5 leadership, and only leadership, decides; free goes on as in warranty', () => {
    const r = open(outOfWarranty);
    expect(details(() => act(r, { action: 'decide', billing: 'free' }, clerk))).toMatchObject({ code: 'FORBIDDEN', allowedRoles: ['leadership'] });
    expect(details(() => act(r, { action: 'assign', assignee: leadInput }, clerk)).reason).toBe('transition_not_allowed');
    expect(details(() => act(r, { action: 'decide', billing: 'maybe' as never }, boss)).reason).toBe('billing_unknown_value');
    const free = act(r, { action: 'decide', billing: 'free', note: '老客户，续签中' }, boss);
    expect(free).toMatchObject({ status: 'awaiting_assignment', billing: 'free', decision: { billing: 'free', note: '老客户，续签中', by: { userId: 31 } } });
    const assigned = act(free, { action: 'assign', assignee: leadInput }, clerk);
    expect(act(assigned, { action: 'finish_work', work }, lead).status).toBe('work_done');
  });

  it('S5.5 paid: inspect and quote first, the customer accepts, repair, then payment and invoice in either order before it can close', () => {
    const paid = act(open(outOfWarranty), { action: 'decide', billing: 'paid' }, boss);
    const assigned = act(paid, { action: 'assign', assignee: leadInput }, clerk);
    expect(recordOwner(assigned)?.waitingFor.en).toBe('the on-site inspection and the quote');
    expect(details(() => act(assigned, { action: 'finish_work', work }, lead)).reason).toBe('quote_first');

    const bad = details(() =>
      act(assigned, { action: 'quote', findings: '', feeStandard: '', items: [{ description: '上门检测', quantity: 1, unitPriceFen: 0 }] }, lead),
    ) as { issues: { reason: string }[] };
    expect(bad.issues.map((i) => i.reason)).toEqual(['findings_required', 'fee_standard_required', 'items_zero_total']);
    expect(details(() => act(assigned, { action: 'quote', findings: '电源板烧毁', feeStandard: '2025版收费标准', items: [] }, lead)).reason).toBe(
      'items_required',
    );
    expect(
      details(() => act(assigned, { action: 'quote', findings: '电源板烧毁', feeStandard: '2025版', items: [{ description: '电源板', quantity: 1, unitPriceFen: 12.5 }] }, lead))
        .reason,
    ).toBe('unit_price_fen_not_integer_fen');

    const quoted = act(
      assigned,
      {
        action: 'quote',
        findings: '电源板烧毁，需更换',
        feeStandard: '2025版售后收费标准',
        items: [
          { description: '电源板 PW-86', standardCode: 'p-01', quantity: 1, unitPriceFen: 68000 },
          { description: '上门服务费', standardCode: 'S-02', quantity: 2, unitPriceFen: 15000 },
        ],
      },
      lead,
    );
    expect(quoted.quote).toMatchObject({ totalFen: 98000, items: [{ standardCode: 'P-01', amountFen: 68000 }, { amountFen: 30000 }] });
    expect(quoted.status).toBe('quoted');

    const repairing = act(quoted, { action: 'accept_quote', note: '客户同意维修' }, lead);
    expect(repairing).toMatchObject({ status: 'repairing', customerDecision: { accepted: true } });
    const settling = act(repairing, { action: 'finish_work', work }, lead, after(30));
    expect(settling.status).toBe('settling');
    expect(recordOwner(settling)?.waitingFor['zh-CN']).toBe('收款及开具发票');
    expect(details(() => act(settling, { action: 'return_to_clerk' }, lead, after(31)))).toMatchObject({ reason: 'payment_missing', missing: ['payment', 'invoice'] });

    // the invoice first: government customers often pay against it
    const invoiced = act(settling, { action: 'issue_invoice', number: '2621 0000 0000 1234 5678', issueDate: '2026-03-04' }, finance, after(50));
    expect(invoiced.invoice).toMatchObject({ number: '26210000000012345678', amountFen: 98000, by: { userId: 41 } });
    expect(details(() => act(invoiced, { action: 'issue_invoice', number: '12345678', issueDate: '2026-03-04' }, lead, after(51))).reason).toBe(
      'already_invoiced',
    );
    expect(details(() => act(invoiced, { action: 'return_to_clerk' }, lead, after(51)))).toMatchObject({ reason: 'payment_missing', missing: ['payment'] });

    expect(
      details(() => act(invoiced, { action: 'collect_payment', amountFen: 90000, method: 'bank_transfer', receivedOn: '2026-03-05' }, lead, after(80))).reason,
    ).toBe('note_required');
    expect(
      details(() => act(invoiced, { action: 'collect_payment', amountFen: 98000, method: 'bank_transfer', receivedOn: '2026-03-01' }, lead, after(80))).reason,
    ).toBe('received_on_before_call');
    expect(
      details(() => act(invoiced, { action: 'collect_payment', amountFen: 98000, method: 'bank_transfer', receivedOn: '2026-03-09' }, lead, after(80))).reason,
    ).toBe('received_on_in_future');
    const collected = act(invoiced, { action: 'collect_payment', amountFen: 90000, method: 'bank_transfer', receivedOn: '2026-03-05', note: '上门费减免一次' }, lead, after(80));
    expect(collected.payment).toMatchObject({ amountFen: 90000, note: '上门费减免一次' });

    const returned = act(collected, { action: 'return_to_clerk' }, lead, after(81));
    expect(returned.status).toBe('returned');
    expect(act(returned, { action: 'archive' }, clerk, after(82)).status).toBe('archived');
  });

  it('S5.5 the customer declines the quote: the inspection is the work reported, and no visit remains', () => {
    const paid = act(open(outOfWarranty), { action: 'decide', billing: 'paid' }, boss);
    const quoted = act(
      act(paid, { action: 'assign', assignee: leadInput }, clerk),
      { action: 'quote', findings: '主板故障', feeStandard: '2025版', items: [{ description: '主板', quantity: 1, unitPriceFen: 250000 }] },
      lead,
    );
    expect(details(() => act(quoted, { action: 'decline_quote' } as never, lead)).reason).toBe('work_required');
    const declined = applyRepairAction(
      quoted,
      { action: 'decline_quote', note: '客户考虑更换新机', work: { method: 'on_site', workDone: '现场检测，确认主板故障', labourMinutes: 60 } },
      ctx(lead, after(5)),
    );
    expect(declined.next).toEqual(['cancel_open_dispatches']);
    expect(declined.record).toMatchObject({ status: 'work_done', customerDecision: { accepted: false }, payment: null });
    expect(act(declined.record, { action: 'return_to_clerk' }, lead, after(6)).status).toBe('returned');
  });
});

describe('S5.8 emergencies', () => {
  function emergency(): RepairRecord {
    return openRepairRecord(
      { emergency: { startedAt: '2026-03-02T09:40:00+08:00', assignee: leadInput, note: '学校考试用机，先去现场' }, calledAt: '2026-03-02T09:30:00+08:00' },
      ctx(lead),
    ).record;
  }

  it('S5.8 a lead starts the work before the paperwork; the record is flagged incomplete with who must complete what', () => {
    const r = emergency();
    expect(r).toMatchObject({ status: 'assigned', coverage: 'unknown', billing: null, assignee: { userId: 21 }, emergency: { declaredBy: { userId: 21 } } });
    expect(isIncomplete(r)).toBe(true);
    expect(paperworkGaps(r).map((g) => [g.item, g.remind.role, g.remind.userId])).toEqual([
      ['caller', 'field_lead', 21],
      ['fault', 'field_lead', 21],
      ['product', 'field_lead', 21],
    ]);
    expect(openRepairRecord({ emergency: { assignee: leadInput } }, ctx(lead)).next).toEqual(['register_dispatch']);
  });

  it('S5.8 an emergency needs a lead, and the work cannot start before the call', () => {
    expect(details(() => openRepairRecord({ emergency: { assignee: undefined as never } }, ctx(clerk))).reason).toBe('assignee_required');
    expect(
      details(() => openRepairRecord({ calledAt: '2026-03-02T09:30:00+08:00', emergency: { startedAt: '2026-03-02T09:00:00+08:00', assignee: leadInput } }, ctx(clerk)))
        .reason,
    ).toBe('started_at_before_call');
    expect(details(() => openRepairRecord({ emergency: { assignee: leadInput } }, ctx(boss))).code).toBe('FORBIDDEN');
  });

  it('S5.8 reminders: first 4 hours after the work started, then every 24 hours, one key per slot, until complete', () => {
    const r = emergency(); // started 01:40Z
    expect(remindersDue(r, new Date('2026-03-02T05:39:59.000Z'))).toEqual([]);
    const first = remindersDue(r, new Date('2026-03-02T05:40:00.000Z'));
    expect(first.map((x) => x.key)).toEqual(['caller@2026-03-02T05:40:00.000Z', 'fault@2026-03-02T05:40:00.000Z', 'product@2026-03-02T05:40:00.000Z']);
    expect(first[0]?.message['zh-CN']).toContain('请补充手续：来电人及电话');
    expect(remindersDue(r, new Date('2026-03-03T05:39:00.000Z'))[0]?.slotAt).toBe('2026-03-02T05:40:00.000Z');
    expect(remindersDue(r, new Date('2026-03-03T05:40:00.000Z'))[0]?.slotAt).toBe('2026-03-03T05:40:00.000Z');
    expect(remindersDue(r, after(5), { firstAfterHours: 0, everyHours: 1 })[0]?.slotAt).toBe('2026-03-02T06:40:00.000Z');
    expect(details(() => remindersDue(r, after(5), { firstAfterHours: 1, everyHours: 0 })).reason).toBe('reminder_policy_invalid');
    expect(remindersDue(open(), after(100))).toEqual([]);
  });

  it('S5.8 out of warranty found afterwards: leadership is reminded to decide, and the work cannot be reported done before', () => {
    const linked = act(emergency(), { action: 'complete_paperwork', archive: outOfWarranty, ...call }, lead);
    expect(linked).toMatchObject({ coverage: 'expired', billing: null, product: { archiveId: 8 } });
    expect(paperworkGaps(linked).map((g) => [g.item, g.remind.role])).toEqual([['decision', 'leadership']]);
    expect(remindersDue(linked, after(10)).map((x) => x.remind)).toEqual([{ role: 'leadership', userId: null, name: null }]);
    expect(details(() => act(linked, { action: 'finish_work', work }, lead)).reason).toBe('decision_missing');
    const decided = act(linked, { action: 'decide', billing: 'free', note: '紧急情况，免费' }, boss);
    expect(decided).toMatchObject({ status: 'assigned', billing: 'free' });
    expect(isIncomplete(decided)).toBe(false);
    expect(remindersDue(decided, after(10))).toEqual([]);
    expect(act(act(decided, { action: 'finish_work', work }, lead), { action: 'return_to_clerk' }, lead).status).toBe('returned');
  });

  it('S5.8 decided paid afterwards: the quote and the customer decision follow the work', () => {
    const linked = act(emergency(), { action: 'complete_paperwork', archive: outOfWarranty, ...call }, lead);
    const paid = act(linked, { action: 'decide', billing: 'paid' }, boss);
    expect(details(() => act(paid, { action: 'finish_work', work }, lead)).reason).toBe('quote_first');
    expect(act(paid, { action: 'quote', findings: '电源故障', feeStandard: '2025版', items: [{ description: '电源', quantity: 1, unitPriceFen: 50000 }] }, lead).status).toBe(
      'quoted',
    );
  });

  it('S5.8 the record returns to the clerk only once the paperwork is complete', () => {
    const linked = act(emergency(), { action: 'complete_paperwork', archive: inWarranty }, lead);
    expect(linked).toMatchObject({ coverage: 'in_warranty', billing: 'free' });
    const done = act(linked, { action: 'finish_work', work }, lead);
    expect(details(() => act(done, { action: 'return_to_clerk' }, lead))).toMatchObject({ reason: 'paperwork_incomplete', missing: ['caller', 'fault'] });
    const change = applyRepairAction(done, { action: 'complete_paperwork', ...call }, ctx(clerk, after(2)));
    expect(change.data).toMatchObject({ filled: ['caller', 'fault'] });
    expect(act(change.record, { action: 'return_to_clerk' }, lead, after(3)).status).toBe('returned');
  });

  it('S5.8 completing paperwork: only emergencies, something missing must be given, the product is linked once', () => {
    expect(details(() => act(act(open(), { action: 'assign', assignee: leadInput }, clerk), { action: 'complete_paperwork', fault: '黑屏' }, lead)).reason).toBe(
      'not_emergency',
    );
    const r = emergency();
    expect(details(() => act(r, { action: 'complete_paperwork' }, lead)).reason).toBe('caller_name_nothing_given');
    expect(details(() => act(r, { action: 'complete_paperwork', fault: '黑' }, lead)).reason).toBe('fault_too_short');
    const linked = act(r, { action: 'complete_paperwork', archive: inWarranty }, lead);
    expect(details(() => act(linked, { action: 'complete_paperwork', archive: outOfWarranty }, lead)).reason).toBe('archive_already_linked');
    expect(details(() => act(r, { action: 'complete_paperwork', fault: '黑屏' }, otherLead)).reason).toBe('not_assignee');
    expect(details(() => act(r, { action: 'cancel', reason: '客户取消' }, clerk)).reason).toBe('work_started');
  });
});

describe('the table', () => {
  it('S5.3–S5.8 every status has a row and every action names the roles allowed', () => {
    expect(Object.keys(repairTransitions).sort()).toEqual([...repairStatuses].sort());
    expect(Object.keys(repairActionRoles).sort()).toEqual([...repairActions].sort());
    expect(repairActionRoles.decide).toEqual(['leadership']);
    expect(repairActionRoles.archive).toEqual(['clerk', 'supervisor']);
    expect(repairActionRoles.log_follow_up).toEqual(['clerk', 'supervisor']);
  });

  it('S5.3–S5.8 property: any walk of commands by any role keeps the record consistent', () => {
    const actors: ServiceActor[] = [clerk, lead, otherLead, boss, finance, { userId: 1, role: 'admin', name: 'admin' }];
    const commands: RepairCommand[] = [
      { action: 'assign', assignee: leadInput },
      { action: 'reassign', assignee: otherLeadInput, reason: '轮换' },
      { action: 'decide', billing: 'free' },
      { action: 'decide', billing: 'paid' },
      { action: 'quote', findings: '电源故障', feeStandard: '2025版', items: [{ description: '电源', quantity: 1, unitPriceFen: 50000 }] },
      { action: 'accept_quote' },
      { action: 'decline_quote', work },
      { action: 'finish_work', work },
      { action: 'collect_payment', amountFen: 50000, method: 'cash', receivedOn: '2026-03-02' },
      { action: 'issue_invoice', number: '12345678', issueDate: '2026-03-02' },
      { action: 'return_to_clerk' },
      { action: 'archive' },
      { action: 'log_follow_up', outcome: { reached: false } },
      { action: 'complete_paperwork', ...call, archive: outOfWarranty },
      { action: 'cancel', reason: '重复来电' },
    ];
    const start = fc.constantFrom<() => RepairRecord>(
      () => open(inWarranty),
      () => open(outOfWarranty),
      () => openRepairRecord({ emergency: { assignee: leadInput } }, ctx(lead)).record,
    );
    // mostly the right person for the action (the assignee for a lead's action), sometimes anyone
    const rightActor = (action: RepairCommand['action'], r: RepairRecord): ServiceActor => {
      const roles = repairActionRoles[action] as readonly Role[];
      if (roles.includes('field_lead')) return r.assignee?.userId === otherLead.userId ? otherLead : lead;
      if (roles.includes('leadership')) return boss;
      return clerk;
    };
    // mostly a command the status allows, sometimes any
    const mostly = <T,>(usual: T, other: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ arbitrary: fc.constant(usual), weight: 9 }, { arbitrary: other, weight: 1 });
    const step = fc.tuple(fc.nat(), mostly(true, fc.constant(false)), mostly<ServiceActor | null>(null, fc.constantFrom(...actors)));
    const reached = new Set<string>();
    fc.assert(
      fc.property(start, fc.array(step, { minLength: 20, maxLength: 60 }), (make, steps) => {
        let r = make();
        let hour = 1;
        for (const [n, fromTable, anyone] of steps) {
          // the table's forward moves; cancel and reassign come from the "any" pool
          const allowed = commands.filter(
            (c) =>
              c.action in repairTransitions[r.status] &&
              c.action !== 'cancel' &&
              c.action !== 'reassign' &&
              (c.action !== 'complete_paperwork' || isIncomplete(r)),
          );
          const pool = fromTable && allowed.length > 0 ? allowed : commands;
          const command = pool[n % pool.length] as RepairCommand;
          const actor = anyone ?? rightActor(command.action, r);
          hour += 1;
          try {
            const c = applyRepairAction(r, command, ctx(actor, after(hour)));
            expect((repairActionRoles[command.action] as readonly Role[]).includes(actor.role)).toBe(true);
            expect(c.to).toBe((repairTransitions[r.status] as Record<string, string>)[command.action]);
            r = c.record;
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
          }
          if (r.status === 'returned' || r.status === 'archived') {
            expect(r.work).not.toBeNull();
            expect(isIncomplete(r)).toBe(false);
            expect(r.billing).not.toBeNull();
            if (r.customerDecision?.accepted) expect(r.payment !== null && r.invoice !== null).toBe(true);
          }
          if (r.billing === 'paid') expect(r.coverage === 'expired' || r.coverage === 'not_started').toBe(true);
          if (r.coverage === 'in_warranty' && r.status !== 'closed_on_phone') expect(r.billing).toBe('free');
          expect(r.followUps.length).toBeLessThanOrEqual(3);
          reached.add(r.status);
        }
      }),
      { numRuns: 200 },
    );
    // the walks do get through the whole table
    expect([...reached].sort()).toEqual(repairStatuses.filter((s) => s !== 'closed_on_phone').sort());
  });
});
