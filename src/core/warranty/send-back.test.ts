/** S4.3–S4.5 send-back testing: requested → terms_accepted → received → tested → reported → decided → shipped_back → closed. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import type { Role } from '../roles.ts';
import { completeImei } from './device-ids.ts';
import { defaultWarrantyPolicy as policy, type WarrantyPolicy } from './policy.ts';
import {
  applySendBackAction,
  openSendBack,
  sendBackActionRoles,
  sendBackActions,
  sendBackActionsFor,
  sendBackStatuses,
  sendBackTransitions,
  type SendBack,
  type SendBackCommand,
  type SendBackInput,
} from './send-back.ts';

const oldMeid = 'A10000009296F2';
const newMeid = 'A10000009296F3';
const at = (iso: string, role: Role, p: WarrantyPolicy = policy) => ({ now: new Date(iso), role, policy: p });
/** 2025-03-10 10:00 in Shanghai: day 9 after a purchase on 03-01 */
const day9 = '2025-03-10T02:00:00Z';

const input: SendBackInput = {
  orderNo: '3021458796541236587',
  deviceId: 'a1 000000 9296f2',
  brand: '华为',
  model: 'Mate 60',
  item: { part: 'host', origin: 'original' },
  purchaseDate: '2025-03-01',
  faultDescription: '屏幕无显示，重启无效',
};

function details(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message, ...e.details };
    throw e;
  }
  throw new Error('expected an AppError');
}

function step(sb: SendBack, role: Role, command: SendBackCommand, p: WarrantyPolicy = policy): SendBack {
  return applySendBackAction(sb, command, at(day9, role, p)).record;
}

const photos = ['ev_101', 'ev_102'];

/** Opened on day 9, accepted, received complete, tested by us. */
function tested(over: Partial<SendBackInput> = {}): SendBack {
  let sb = openSendBack({ ...input, ...over }, at(day9, 'buyer'));
  sb = step(sb, 'buyer', { action: 'accept_terms', policyVersion: 1 });
  sb = step(sb, 'warehouse', { action: 'receive', trackingNo: 'SF1234567890', itemsReceived: [...policy.mustSend.testing.items] });
  return step(sb, 'agent', { action: 'record_test', testedBy: 'our_test' });
}

function reported(result: 'fault_confirmed' | 'no_fault' | 'human_damage', over: Partial<SendBackInput> = {}): SendBack {
  return step(tested(over), 'agent', {
    action: 'report',
    result,
    photos,
    summary: '开机无显示，拆机检测为屏幕排线故障',
    condition: { scratches: false, accessoriesIntact: true },
  });
}

describe('send-back table', () => {
  it('S4.3 every status has a row and every action names its roles', () => {
    expect(Object.keys(sendBackTransitions)).toEqual([...sendBackStatuses]);
    expect(Object.keys(sendBackActionRoles).sort()).toEqual([...sendBackActions].sort());
    expect(sendBackActionRoles.receive).toEqual(['warehouse']);
    expect(sendBackActionRoles.accept_terms).toContain('buyer');
  });
});

describe('openSendBack', () => {
  it('S4.3 opens with the device id normalised and the S4.3 terms to accept, dated in Shanghai', () => {
    const sb = openSendBack(input, at('2025-03-09T17:00:00Z', 'buyer'));
    expect(sb).toMatchObject({
      status: 'requested',
      device: { kind: 'meid', value: oldMeid },
      requestDate: '2025-03-10',
      policy: { id: 'sanbao-mobile-default', version: 1 },
      terms: { clauseId: 'sendback.terms', accepted: null },
    });
    expect(sb.terms.textZh).toContain('认可我司出具的检测报告');
  });

  it('S4.3 refuses a bad IMEI with the expected check digit, and a missing fault description', () => {
    const d = details(() => openSendBack({ ...input, deviceId: '490154203237519', faultDescription: '' }, at(day9, 'agent')));
    expect(d.code).toBe('VALIDATION_FAILED');
    const issues = d.issues as { reason: string; message: string }[];
    expect(issues.map((i) => i.reason)).toEqual(['device_id_bad_check_digit', 'fault_description_required']);
    expect(issues[0]?.message).toContain('should be 8');
  });

  it('S4.3 only the buyer or the after-sales team opens one', () => {
    expect(details(() => openSendBack(input, at(day9, 'warehouse')))).toMatchObject({ code: 'FORBIDDEN', reason: 'role_not_allowed' });
  });
});

describe('applySendBackAction', () => {
  it('S4.3 the buyer accepts the terms in the portal, recorded with the time', () => {
    const sb = openSendBack(input, at(day9, 'buyer'));
    const change = applySendBackAction(sb, { action: 'accept_terms', policyVersion: 1 }, at('2025-03-10T03:00:00Z', 'buyer'));
    expect(change.to).toBe('terms_accepted');
    expect(change.record.terms.accepted).toEqual({ at: '2025-03-10T03:00:00.000Z', via: 'portal', by: 'buyer', evidence: null });
  });

  it('S4.3 an agent records consent only with the channel and the buyer’s words', () => {
    const sb = openSendBack(input, at(day9, 'agent'));
    expect(details(() => step(sb, 'agent', { action: 'accept_terms', policyVersion: 1 }))).toMatchObject({ reason: 'via_required' });
    const ok = step(sb, 'agent', { action: 'accept_terms', policyVersion: 1, via: 'wangwang', evidence: '买家：同意检测细则' });
    expect(ok.terms.accepted).toMatchObject({ via: 'wangwang', by: 'agent', evidence: '买家：同意检测细则' });
  });

  it('S4.3 terms shown from another policy version are refused', () => {
    const sb = openSendBack(input, at(day9, 'buyer'));
    expect(details(() => step(sb, 'buyer', { action: 'accept_terms', policyVersion: 2 }))).toMatchObject({ reason: 'policy_version_stale' });
  });

  it('S4.3 the parcel cannot be received before the terms are accepted', () => {
    const sb = openSendBack(input, at(day9, 'buyer'));
    expect(details(() => step(sb, 'warehouse', { action: 'receive', trackingNo: 'SF1234567890', itemsReceived: ['host'] }))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      reason: 'transition_not_allowed',
    });
  });

  it('S4.4 receiving records what is missing from the set', () => {
    let sb = openSendBack(input, at(day9, 'buyer'));
    sb = step(sb, 'buyer', { action: 'accept_terms', policyVersion: 1 });
    const r = step(sb, 'warehouse', { action: 'receive', trackingNo: 'sf 1234 5678 90', itemsReceived: ['host', 'accessories', 'fault_note'] });
    expect(r.received).toMatchObject({ trackingNo: 'SF1234567890', missing: ['manual', 'warranty_card', 'invoice', 'labels', 'packaging', 'reason_note'] });
  });

  it('S4.3 only the warehouse receives; a buyer cannot', () => {
    let sb = openSendBack(input, at(day9, 'buyer'));
    sb = step(sb, 'buyer', { action: 'accept_terms', policyVersion: 1 });
    expect(details(() => step(sb, 'buyer', { action: 'receive', trackingNo: 'SF1234567890', itemsReceived: ['host'] }))).toMatchObject({
      code: 'FORBIDDEN',
      allowedRoles: ['warehouse'],
    });
  });

  it('S4.3 a test at the authorised centre names the centre', () => {
    let sb = openSendBack(input, at(day9, 'buyer'));
    sb = step(sb, 'buyer', { action: 'accept_terms', policyVersion: 1 });
    sb = step(sb, 'warehouse', { action: 'receive', trackingNo: 'SF1234567890', itemsReceived: ['host'] });
    expect(details(() => step(sb, 'agent', { action: 'record_test', testedBy: 'authorised_centre' }))).toMatchObject({ reason: 'centre_name_required' });
    expect(step(sb, 'agent', { action: 'record_test', testedBy: 'authorised_centre', centreName: '华为客户服务中心（石家庄）' }).test).toMatchObject({
      testedBy: 'authorised_centre',
      centreName: '华为客户服务中心（石家庄）',
    });
  });

  it('S4.3 a report needs a result, photos and the condition', () => {
    const d = details(() => step(tested(), 'agent', { action: 'report', result: 'fault_confirmed', photos: [], summary: '', condition: {} as never }));
    expect((d.issues as { reason: string }[]).map((i) => i.reason)).toEqual([
      'photos_required',
      'summary_required',
      'scratches_required',
      'accessories_intact_required',
    ]);
  });

  it('S4.2 day 9 with a confirmed fault: the outcome is a host exchange under the 15-day clause', () => {
    const change = applySendBackAction(reported('fault_confirmed'), { action: 'decide' }, at(day9, 'agent'));
    expect(change.to).toBe('decided');
    expect(change.record.decision).toMatchObject({ remedy: 'exchange_host', clause: { id: 'sanbao.host.exchange_15d' } });
    expect(change.record.chosenRemedy).toBe('exchange_host');
    expect(change.data).toMatchObject({ remedy: 'exchange_host', options: ['exchange_host', 'free_repair'] });
  });

  it('S4.2 the buyer may choose a lesser option, not one the policy does not give', () => {
    expect(step(reported('fault_confirmed'), 'agent', { action: 'decide', chosenRemedy: 'free_repair' }).chosenRemedy).toBe('free_repair');
    expect(details(() => step(reported('fault_confirmed'), 'agent', { action: 'decide', chosenRemedy: 'return' }))).toMatchObject({
      reason: 'chosen_remedy_not_an_option',
    });
  });

  it('S4.5 a host exchange ships back with the old and the new MEID, different, and the box notice', () => {
    const decided = step(reported('fault_confirmed'), 'agent', { action: 'decide' });
    const shipped = step(decided, 'warehouse', {
      action: 'ship_back',
      trackingNo: 'SF9999999999',
      courier: '顺丰速运',
      exchange: { oldDeviceId: oldMeid, newDeviceId: newMeid.toLowerCase() },
    });
    expect(shipped.status).toBe('shipped_back');
    expect(shipped.shipment?.exchange).toMatchObject({ old: { kind: 'meid', value: oldMeid }, new: { kind: 'meid', value: newMeid } });
    expect(shipped.shipment?.exchange?.boxNoticeZh).toContain('手机盒子上的串码MEID');
    expect(step(shipped, 'agent', { action: 'close' }).status).toBe('closed');
  });

  it('S4.5 an exchange refuses a missing, invalid, foreign or unchanged identifier', () => {
    const decided = step(reported('fault_confirmed'), 'agent', { action: 'decide' });
    const ship = (exchange: { oldDeviceId: string; newDeviceId: string } | null) => () =>
      step(decided, 'warehouse', { action: 'ship_back', trackingNo: 'SF9999999999', courier: '顺丰速运', exchange });
    expect(details(ship(null))).toMatchObject({ reason: 'exchange_required' });
    expect(details(ship({ oldDeviceId: oldMeid, newDeviceId: 'A1000000929' }))).toMatchObject({ reason: 'new_device_id_wrong_length' });
    expect(details(ship({ oldDeviceId: 'A10000009296FF', newDeviceId: newMeid }))).toMatchObject({ reason: 'old_device_id_not_this_device' });
    expect(details(ship({ oldDeviceId: oldMeid, newDeviceId: oldMeid }))).toMatchObject({ reason: 'new_device_id_same_as_old' });
    expect(details(ship({ oldDeviceId: oldMeid, newDeviceId: completeImei('35209900176148') }))).toMatchObject({ reason: 'new_device_id_kind_mismatch' });
  });

  it('S4.5 an IMEI exchange: old and new IMEI, both with valid check digits', () => {
    const decided = step(reported('fault_confirmed', { deviceId: '490154203237518' }), 'agent', { action: 'decide' });
    const shipped = step(decided, 'warehouse', {
      action: 'ship_back',
      trackingNo: 'SF9999999999',
      courier: '顺丰速运',
      exchange: { oldDeviceId: '49-015420-323751-8', newDeviceId: '352099001761481' },
    });
    expect(shipped.shipment?.exchange).toMatchObject({ old: { kind: 'imei' }, new: { kind: 'imei', value: '352099001761481' } });
  });

  it('S4.3 no fault found: no remedy; the set goes back as it came, no new identifier, then closed', () => {
    const decided = step(reported('no_fault'), 'agent', { action: 'decide' });
    expect(decided.decision).toMatchObject({ remedy: 'no_remedy', clause: { id: 'sendback.no_fault' } });
    expect(decided.decision?.postage.legs.map((l) => l.payer)).toEqual(['buyer', 'buyer']);
    expect(details(() => step(decided, 'agent', { action: 'close' }))).toMatchObject({ reason: 'ship_back_first' });
    expect(
      details(() =>
        step(decided, 'warehouse', { action: 'ship_back', trackingNo: 'SF9999999999', courier: '顺丰速运', exchange: { oldDeviceId: oldMeid, newDeviceId: newMeid } }),
      ),
    ).toMatchObject({ reason: 'exchange_not_expected' });
    const shipped = step(decided, 'warehouse', { action: 'ship_back', trackingNo: 'SF9999999999', courier: '顺丰速运' });
    expect(shipped.shipment?.exchange).toBeNull();
  });

  it('S4.3 human damage: no remedy', () => {
    expect(step(reported('human_damage'), 'supervisor', { action: 'decide' }).decision?.remedy).toBe('no_remedy');
  });

  it('S4.2 a return within 7 days is closed without shipping back', () => {
    let sb = openSendBack(input, at('2025-03-05T02:00:00Z', 'buyer'));
    sb = applySendBackAction(sb, { action: 'accept_terms', policyVersion: 1 }, at('2025-03-05T02:00:00Z', 'buyer')).record;
    sb = step(sb, 'warehouse', { action: 'receive', trackingNo: 'SF1234567890', itemsReceived: [...policy.mustSend.testing.items] });
    sb = step(sb, 'agent', { action: 'record_test', testedBy: 'our_test' });
    sb = step(sb, 'agent', { action: 'report', result: 'fault_confirmed', photos, summary: '无法开机', condition: { scratches: false, accessoriesIntact: true } });
    // tested on day 9, but the request on day 4 is what counts
    const decided = step(sb, 'agent', { action: 'decide', refundFen: 329_900 });
    expect(decided.decision?.remedy).toBe('return');
    expect(decided.refundAmountFen).toBe(329_900);
    expect(sendBackActionsFor(decided, 'agent')).toEqual(['close', 'record_postage']);
    expect(sendBackActionsFor(decided, 'warehouse')).toEqual(['record_postage']);
    expect(details(() => step(decided, 'warehouse', { action: 'ship_back', trackingNo: 'SF9999999999', courier: '顺丰速运' }))).toMatchObject({
      reason: 'return_not_shipped_back',
    });
    expect(step(decided, 'agent', { action: 'close', note: '已退款' }).status).toBe('closed');
  });

  it('S4.3 decides with the policy version the buyer accepted', () => {
    const next: WarrantyPolicy = { ...policy, version: 2 };
    expect(details(() => step(reported('fault_confirmed'), 'agent', { action: 'decide' }, next))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      reason: 'policy_version_mismatch',
    });
  });

  it('S4.3 the buyer may cancel before the parcel arrives, not after', () => {
    const sb = openSendBack(input, at(day9, 'buyer'));
    const cancelled = step(sb, 'buyer', { action: 'cancel', reason: '已在本地网点修好' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelled: { reason: '已在本地网点修好', by: 'buyer' } });
    // once we hold the phone it goes back through the test, whoever asks
    expect(details(() => step(tested(), 'buyer', { action: 'cancel', reason: '不修了' }))).toMatchObject({ code: 'ACTION_NOT_ALLOWED' });
    expect(details(() => step(tested(), 'agent', { action: 'cancel', reason: '不修了' }))).toMatchObject({ code: 'ACTION_NOT_ALLOWED' });
    expect(details(() => step(sb, 'warehouse', { action: 'cancel', reason: '不修了' }))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('S4.3 lists the actions open to a role now', () => {
    const sb = openSendBack(input, at(day9, 'buyer'));
    expect(sendBackActionsFor(sb, 'buyer')).toEqual(['accept_terms', 'cancel']);
    expect(sendBackActionsFor(sb, 'warehouse')).toEqual([]);
    expect(sendBackActionsFor(tested(), 'agent')).toEqual(['report']);
  });
});

describe('send-backs: the seams of issue 13', () => {
  it('S4.3 the periods count to the day the buyer first reported the fault (recorded with where), not the day it was opened', () => {
    // opened on day 9 from a Wangwang chat of day 6: a return, not an exchange
    const early = openSendBack(
      { ...input, faultReportedOn: '2025-03-07', faultReportedVia: 'wangwang', faultReportedNote: '旺旺 3月7日 10:02 买家：开机黑屏' },
      at(day9, 'agent'),
    );
    expect(early).toMatchObject({ requestDate: '2025-03-07', reported: { on: '2025-03-07', via: 'wangwang', note: '旺旺 3月7日 10:02 买家：开机黑屏', recordedBy: 'agent' } });
    let sb = step(early, 'agent', { action: 'accept_terms', policyVersion: 1, via: 'wangwang', evidence: '旺旺：同意检测细则' });
    sb = step(sb, 'warehouse', { action: 'receive', trackingNo: 'SF1234567890', itemsReceived: [...policy.mustSend.testing.items] });
    sb = step(sb, 'agent', { action: 'record_test', testedBy: 'our_test' });
    sb = step(sb, 'agent', { action: 'report', result: 'fault_confirmed', photos, summary: '黑屏', condition: { scratches: false, accessoriesIntact: true } });
    expect(step(sb, 'agent', { action: 'decide', refundFen: 100 }).decision).toMatchObject({ remedy: 'return', period: { dayNumber: 6 } });
    // opened without a date: today; the buyer reports today only; an earlier day needs where and the trace; never after today
    expect(openSendBack(input, at(day9, 'agent'))).toMatchObject({ requestDate: '2025-03-10', reported: { on: '2025-03-10', via: null } });
    expect(details(() => openSendBack({ ...input, faultReportedOn: '2025-03-07' }, at(day9, 'buyer')))).toMatchObject({ reason: 'fault_reported_on_buyer_reports_today' });
    expect(details(() => openSendBack({ ...input, faultReportedOn: '2025-03-07' }, at(day9, 'agent')))).toMatchObject({ field: 'faultReportedNote' });
    expect(details(() => openSendBack({ ...input, faultReportedOn: '2025-03-07', faultReportedNote: '电话里说过' }, at(day9, 'agent')))).toMatchObject({
      field: 'faultReportedVia',
      reason: 'fault_reported_via_required',
    });
    expect(details(() => openSendBack({ ...input, faultReportedOn: '2025-03-11', faultReportedVia: 'phone' }, at(day9, 'agent')))).toMatchObject({ reason: 'fault_reported_on_in_future' });
    expect(details(() => openSendBack({ ...input, faultReportedOn: '2025-02-27', faultReportedVia: 'phone', faultReportedNote: '电话' }, at(day9, 'agent')))).toMatchObject({
      reason: 'fault_reported_on_before_sale',
    });
  });

  it('S4.3 a report cannot call the accessories intact when the warehouse received the phone without them', () => {
    let sb = openSendBack(input, at(day9, 'buyer'));
    sb = step(sb, 'buyer', { action: 'accept_terms', policyVersion: 1 });
    sb = step(sb, 'warehouse', { action: 'receive', trackingNo: 'SF1234567890', itemsReceived: ['host', 'fault_note'] });
    sb = step(sb, 'agent', { action: 'record_test', testedBy: 'our_test' });
    expect(sb.received?.missing).toContain('accessories');
    const intact = { action: 'report' as const, result: 'fault_confirmed' as const, photos, summary: '黑屏', condition: { scratches: false, accessoriesIntact: true } };
    expect(details(() => step(sb, 'agent', intact))).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'condition.accessoriesIntact',
      reason: 'accessories_intact_contradicts_receipt',
    });
    const honest = step(sb, 'agent', { ...intact, condition: { scratches: false, accessoriesIntact: false } });
    // without the accessories, the 7-day return does not hold (附件无损坏): the host exchange does
    expect(step(honest, 'agent', { action: 'decide' }).decision).toMatchObject({ remedy: 'exchange_host' });
    // a parcel that came whole may be reported either way
    expect(step(reported('fault_confirmed'), 'agent', { action: 'decide' }).decision?.remedy).toBe('exchange_host');
  });

  it('S4.2 a return carries the amount to refund: what is still refundable by default, never more; other outcomes none', () => {
    let sb = openSendBack(input, at('2025-03-05T02:00:00Z', 'buyer'));
    sb = applySendBackAction(sb, { action: 'accept_terms', policyVersion: 1 }, at('2025-03-05T02:00:00Z', 'buyer')).record;
    sb = step(sb, 'warehouse', { action: 'receive', trackingNo: 'SF1234567890', itemsReceived: [...policy.mustSend.testing.items] });
    sb = step(sb, 'agent', { action: 'record_test', testedBy: 'our_test' });
    sb = step(sb, 'agent', { action: 'report', result: 'fault_confirmed', photos, summary: '无法开机', condition: { scratches: false, accessoriesIntact: true } });
    const refundable = { defaultFen: 399_900, maxFen: 399_900 };
    const decide = (command: SendBackCommand) => applySendBackAction(sb, command, { ...at(day9, 'agent'), refundable }).record;
    expect(decide({ action: 'decide', chosenRemedy: 'return' }).refundAmountFen).toBe(399_900);
    expect(decide({ action: 'decide', chosenRemedy: 'return', refundFen: 350_000 }).refundAmountFen).toBe(350_000);
    expect(details(() => decide({ action: 'decide', chosenRemedy: 'return', refundFen: 400_000 }))).toMatchObject({ field: 'refundFen', reason: 'refund_fen_over_cap' });
    expect(details(() => decide({ action: 'decide', chosenRemedy: 'exchange_host', refundFen: 100 }))).toMatchObject({ field: 'refundFen', reason: 'refund_fen_not_expected' });
    expect(decide({ action: 'decide', chosenRemedy: 'exchange_host' }).refundAmountFen).toBeNull();
    expect(details(() => step(sb, 'agent', { action: 'decide', chosenRemedy: 'return' }))).toMatchObject({ field: 'refundFen', reason: 'refund_fen_required' });
  });

  it("S4.3 postage as money: the courier's charges, each side's share by the decision's split, the balance, and its settlement", () => {
    // day 9, confirmed: a host exchange, the round trip split 50/50
    const decided = step(reported('fault_confirmed'), 'agent', { action: 'decide' });
    expect(details(() => step(decided, 'warehouse', { action: 'record_postage', legs: [{ leg: 'shop_to_buyer', chargedFen: 1500, paidBy: 'shop' }] }))).toMatchObject({
      reason: 'leg_not_shipped',
    });
    // the buyer paid 13.00 to send it (寄付): the shop owes 6.50 back
    const recorded = step(decided, 'warehouse', { action: 'record_postage', legs: [{ leg: 'buyer_to_shop', chargedFen: 1300, paidBy: 'buyer', trackingNo: 'SF1234567890' }] });
    expect(recorded.status).toBe('decided');
    expect(recorded.postage).toMatchObject({
      clauseId: 'sendback.quality_postage',
      legs: [{ leg: 'buyer_to_shop', chargedFen: 1300, paidBy: 'buyer', buyerPercent: 50, buyerShareFen: 650, shopShareFen: 650 }],
      shopOwesBuyerFen: 650,
      settled: null,
    });
    const shipped = step(recorded, 'warehouse', { action: 'ship_back', trackingNo: 'SF9999999999', courier: '顺丰速运', exchange: { oldDeviceId: oldMeid, newDeviceId: newMeid } });
    // the parcel back cost the shop 15.01: the buyer's half rounds down to 7.50, so the shop owes 6.50 − 7.50 = −1.00
    const both = step(shipped, 'warehouse', {
      action: 'record_postage',
      legs: [
        { leg: 'buyer_to_shop', chargedFen: 1300, paidBy: 'buyer' },
        { leg: 'shop_to_buyer', chargedFen: 1501, paidBy: 'shop' },
      ],
    });
    expect(both.postage).toMatchObject({ shopOwesBuyerFen: -100, legs: [{ shopShareFen: 650 }, { buyerShareFen: 750, shopShareFen: 751 }] });
    expect(sendBackActionsFor(both, 'finance')).toEqual(['record_postage', 'settle_postage']);
    const closed = step(both, 'agent', { action: 'close' });
    // settled after closing: the buyer owes 1.00, the shop lets it go (with why)
    expect(sendBackActionsFor(closed, 'finance')).toEqual(['settle_postage']);
    expect(details(() => step(closed, 'finance', { action: 'settle_postage', method: 'waived' }))).toMatchObject({ field: 'note' });
    const settled = step(closed, 'finance', { action: 'settle_postage', method: 'waived', note: '一元差额免收' });
    expect(settled).toMatchObject({ status: 'closed', postage: { settled: { method: 'waived', amountFen: 0, direction: 'buyer_to_shop', by: 'finance' } } });
    expect(sendBackActionsFor(settled, 'finance')).toEqual([]);
    expect(details(() => step(settled, 'finance', { action: 'settle_postage', method: 'alipay' }))).toMatchObject({ reason: 'postage_settled' });
    // nothing owed (each paid exactly its share, or a leg charged nothing): nothing to settle
    const even = step(decided, 'agent', { action: 'record_postage', legs: [{ leg: 'buyer_to_shop', chargedFen: 0, paidBy: 'buyer' }] });
    expect(details(() => step(even, 'finance', { action: 'settle_postage', method: 'alipay' }))).toMatchObject({ reason: 'nothing_owed' });
    expect(details(() => step(reported('fault_confirmed'), 'agent', { action: 'record_postage', legs: [{ leg: 'buyer_to_shop', chargedFen: 100, paidBy: 'buyer' }] }))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
    });
  });
});
