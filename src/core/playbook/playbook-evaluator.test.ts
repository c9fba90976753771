/**
 * The playbook of a refund under the default rule set (S1, S2): which rules
 * match which refunds, in which order, the checklist and what marks it done,
 * the actions, the guards and the templates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goodsStatuses, reasonCodes, refundPhases, refundStatuses, refundTypes } from '../refund/refund-model.ts';
import { defaultRuleSetText } from './default-rule-set.ts';
import { evaluatePlaybook, matchingRules, ruleSpecificity, whenMatches } from './playbook-evaluator.ts';
import { returnCheck } from './return-check.ts';
import type { RefundFacts, RuleSet } from './rule-set.ts';
import { parseRuleSet } from './rule-set-parser.ts';

function parse(text: string): RuleSet {
  const result = parseRuleSet(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.ruleSet;
}
const defaults = parse(defaultRuleSetText);

// --- refunds as the playbook sees them

/** 未发退: paid, not shipped, the buyer applied for a refund-only (S1.1). */
const unshipped: RefundFacts = {
  type: 'refund_only',
  reason: 'unwanted',
  phase: 'on_sale',
  status: 'WAIT_SELLER_AGREE',
  goodsStatus: 'not_received',
  shipped: false,
  signed: false,
  warehouseReceived: false,
  voidConfirmed: false,
  remarks: [],
  contacts: [],
  ticked: [],
};

/** Shipped, not signed, refund-only because it never arrived (S1.6). */
const notReceived: RefundFacts = {
  type: 'refund_only',
  reason: 'not_received',
  phase: 'on_sale',
  status: 'WAIT_SELLER_AGREE',
  goodsStatus: 'not_received',
  shipped: true,
  signed: false,
  warehouseReceived: false,
  voidConfirmed: false,
  remarks: [],
  contacts: [],
  ticked: [],
};

/** Signed for and received, the buyer applied (S1.5, S1.8–S1.11, S1.18). */
const received: RefundFacts = {
  type: 'return_and_refund',
  reason: 'no_reason_7d',
  phase: 'on_sale',
  status: 'WAIT_SELLER_AGREE',
  goodsStatus: 'received',
  shipped: true,
  signed: true,
  warehouseReceived: false,
  voidConfirmed: false,
  remarks: [],
  contacts: [],
  ticked: [],
};

/** The buyer sent the return back; the seller is to confirm it (S1.13). */
const returned: RefundFacts = { ...received, status: 'WAIT_SELLER_CONFIRM_GOODS', goodsStatus: 'returned' };

/** After the trade succeeded (S1.16). */
const afterSale: RefundFacts = { ...received, phase: 'after_sale', type: 'refund_only', reason: 'quality' };

function ruleIds(facts: RefundFacts): string[] {
  return evaluatePlaybook(defaults, facts).rules.map((r) => r.id);
}

describe('the default rule set: which rules match', () => {
  it('S1.1 an unshipped refund: submit to the warehouse, remark, wait for the void, check the amount', () => {
    const playbook = evaluatePlaybook(defaults, unshipped);
    expect(playbook.rules[0]?.id).toBe('S1.1');
    expect(playbook.checklist.filter((c) => c.ruleId === 'S1.1').map((c) => c.id)).toEqual([
      'S1.1.submit',
      'S1.1.remark',
      'S1.1.void',
      'S1.1.amount',
    ]);
    expect(playbook.actions).toContain('batch.add');
    expect(playbook.guards).toEqual(['GUARD_UNSHIPPED_NOT_VOIDED', 'GUARD_AMOUNT_NOT_CONFIRMED']);
  });

  it('S1.1 the remark "已经提交未发退" and the warehouse\'s void complete their items', () => {
    const before = evaluatePlaybook(defaults, unshipped).checklist;
    expect(before.find((c) => c.id === 'S1.1.remark')?.done).toBe(false);
    expect(before.find((c) => c.id === 'S1.1.void')?.done).toBe(false);
    const after = evaluatePlaybook(defaults, { ...unshipped, remarks: ['已经提交未发退'], voidConfirmed: true }).checklist;
    expect(after.find((c) => c.id === 'S1.1.remark')).toMatchObject({ done: true, doneBy: 'facts' });
    expect(after.find((c) => c.id === 'S1.1.void')).toMatchObject({ done: true, doneBy: 'facts' });
    // a warehouse remark alone never checks the amount
    expect(after.find((c) => c.id === 'S1.1.amount')?.done).toBe(false);
  });

  it('S1.1 does not apply once the order is shipped, nor after sale, nor to an answered refund', () => {
    expect(ruleIds({ ...unshipped, shipped: true })).not.toContain('S1.1');
    expect(ruleIds({ ...unshipped, status: 'SUCCESS' })).not.toContain('S1.1');
    expect(ruleIds(afterSale)).not.toContain('S1.1');
  });

  it('S1.2 an unshipped refund: listen, record the reason, recommend other styles', () => {
    const playbook = evaluatePlaybook(defaults, unshipped);
    expect(playbook.rules.map((r) => r.id)).toContain('S1.2');
    expect(playbook.actions).toContain('retention.offer');
  });

  it('S1.3 late shipment or out of stock before shipment: phone the buyer to change the reason', () => {
    for (const reason of ['late_shipment', 'out_of_stock'] as const) {
      const playbook = evaluatePlaybook(defaults, { ...unshipped, reason });
      expect(playbook.rules.map((r) => r.id)).toContain('S1.3');
      expect(playbook.actions).toContain('reason.correction');
      expect(playbook.templates).toContain('ask_change_reason');
    }
    expect(ruleIds(unshipped)).not.toContain('S1.3');
    expect(ruleIds({ ...notReceived, reason: 'late_shipment' })).not.toContain('S1.3');
  });

  it('S2.4 out of stock: ask for 与卖家协商一致; only for that reason', () => {
    const playbook = evaluatePlaybook(defaults, { ...unshipped, reason: 'out_of_stock' });
    expect(playbook.checklist.find((c) => c.id === 'S2.4.negotiated')?.text).toContain('与卖家协商一致');
    expect(ruleIds({ ...unshipped, reason: 'late_shipment' })).not.toContain('S2.4');
  });

  it('S2.1–S2.3 unshipped: no refusal offered, shipping offered', () => {
    const playbook = evaluatePlaybook(defaults, unshipped);
    expect(playbook.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['S2.1', 'S2.2', 'S2.3']));
    expect(playbook.actions).toContain('order.ship');
    expect(playbook.actions).not.toContain('refund.refuse');
    expect(playbook.guards).not.toContain('GUARD_REFUSAL_FACTS_MISSING');
    expect(playbook.rules.find((r) => r.id === 'S2.3')?.note).toContain('后果需要您自行承担');
  });

  it('S1.5 quality or not as described: phone, then Wangwang, guard the agreement', () => {
    for (const reason of ['quality', 'not_as_described'] as const) {
      const playbook = evaluatePlaybook(defaults, { ...received, reason });
      expect(playbook.rules.map((r) => r.id)).toContain('S1.5');
      expect(playbook.guards).toContain('GUARD_REASON_NEEDS_CHANGE');
      expect(playbook.checklist.filter((c) => c.ruleId === 'S1.5').map((c) => c.id)).toEqual(['S1.5.phone', 'S1.5.wangwang']);
    }
  });

  it('S1.5 the logged phone call and Wangwang message complete the two steps', () => {
    const items = (contacts: RefundFacts['contacts']) =>
      evaluatePlaybook(defaults, { ...received, reason: 'quality', contacts }).checklist.filter((c) => c.ruleId === 'S1.5').map((c) => c.done);
    expect(items([])).toEqual([false, false]);
    expect(items([{ channel: 'phone' }])).toEqual([true, false]);
    expect(items([{ channel: 'phone' }, { channel: 'wangwang' }])).toEqual([true, true]);
  });

  it('S1.5 once the reason is changed, the rule and its guard no longer apply', () => {
    const playbook = evaluatePlaybook(defaults, { ...received, reason: 'no_reason_7d' });
    expect(playbook.rules.map((r) => r.id)).not.toContain('S1.5');
    expect(playbook.guards).not.toContain('GUARD_REASON_NEEDS_CHANGE');
    expect(ruleIds({ ...returned, reason: 'quality' })).not.toContain('S1.5');
  });

  it('S1.5 a reason changed on our advice keeps the guard until the Wangwang message is on record', () => {
    const changed: RefundFacts = { ...received, reason: 'no_reason_7d', corrections: [{ fromReason: 'quality' }] };
    const playbook = evaluatePlaybook(defaults, changed);
    expect(playbook.rules.map((r) => r.id)).toContain('S1.5.changed');
    expect(playbook.rules.map((r) => r.id)).not.toContain('S1.5');
    expect(playbook.guards).toContain('GUARD_REASON_NEEDS_CHANGE');
    expect(playbook.checklist.find((c) => c.id === 'S1.5.changed.wangwang')?.done).toBe(false);
    expect(evaluatePlaybook(defaults, { ...changed, contacts: [{ channel: 'wangwang' }] }).checklist.find((c) => c.id === 'S1.5.changed.wangwang')?.done).toBe(true);
    // not while the reason is still S1.5's (S1.5 itself applies), nor for a correction from another reason
    expect(ruleIds({ ...changed, reason: 'quality' })).not.toContain('S1.5.changed');
    expect(ruleIds({ ...changed, corrections: [{ fromReason: 'late_shipment' }] })).not.toContain('S1.5.changed');
  });

  it('S1.6 refund-only not received gets the four-step checklist', () => {
    const playbook = evaluatePlaybook(defaults, notReceived);
    expect(playbook.rules[0]?.id).toBe('S1.6');
    expect(playbook.checklist.filter((c) => c.ruleId === 'S1.6')).toEqual([
      { ruleId: 'S1.6', id: 'S1.6.phone', text: '电话联系客户，看客户是否收到宝贝', done: false, doneBy: null, doneWhen: 'contact.phone', tickable: true, source: null },
      { ruleId: 'S1.6', id: 'S1.6.chat', text: '查看聊天记录，看客户是否收到宝贝', done: false, doneBy: null, doneWhen: null, tickable: true, source: null },
      { ruleId: 'S1.6', id: 'S1.6.trace', text: '快递问题：电话联系快递，要快递查询宝贝的物流信息', done: false, doneBy: null, doneWhen: 'courier.traced', tickable: true, source: null },
      { ruleId: 'S1.6', id: 'S1.6.tell', text: '得知最新的物流信息后，电话告知客户或者旺旺留言客户', done: false, doneBy: null, doneWhen: 'courier.traced', tickable: true, source: null },
    ]);
    expect(playbook.actions).toEqual(expect.arrayContaining(['courier.trace', 'claim.open', 'contact.phone']));
    expect(playbook.templates).toContain('tell_courier_trace');
    // issue 15 §1: the courier's recorded answer (a trace task done) ticks the trace item by itself
    const traced = evaluatePlaybook(defaults, { ...notReceived, courierTasksDone: [{ kind: 'trace' }] });
    expect(traced.checklist.find((c) => c.id === 'S1.6.trace')).toMatchObject({ done: true, doneBy: 'facts' });
    const recalledOnly = evaluatePlaybook(defaults, { ...notReceived, courierTasksDone: [{ kind: 'recall' }] });
    expect(recalledOnly.checklist.find((c) => c.id === 'S1.6.trace')?.done).toBe(false);
  });

  it('S1.6 does not apply to a return, to another reason, or before shipment', () => {
    expect(ruleIds({ ...notReceived, type: 'return_and_refund' })).not.toContain('S1.6');
    expect(ruleIds({ ...notReceived, reason: 'unwanted' })).not.toContain('S1.6');
    expect(ruleIds({ ...notReceived, shipped: false })).not.toContain('S1.6');
  });

  it('S1.7 once the order is remarked 索赔单已开: stamp and copy, ask reship or refund', () => {
    expect(ruleIds(notReceived)).not.toContain('S1.7');
    const playbook = evaluatePlaybook(defaults, { ...notReceived, remarks: ['快递掉件', '索赔单已开'] });
    expect(playbook.checklist.filter((c) => c.ruleId === 'S1.7').map((c) => c.id)).toEqual(['S1.7.stamp', 'S1.7.ask']);
  });

  it('S1.8 refund-only for an invoice: phone, change the reason or take the title', () => {
    const playbook = evaluatePlaybook(defaults, { ...received, type: 'refund_only', reason: 'invoice' });
    expect(playbook.rules[0]?.id).toBe('S1.8');
    expect(playbook.actions).toContain('invoice.request');
    expect(playbook.templates).toEqual(expect.arrayContaining(['ask_invoice_title', 'ask_change_reason']));
    expect(ruleIds({ ...received, reason: 'invoice' })).not.toContain('S1.8');
  });

  it('S1.8 the invoice book guards the agreement; a registered title completes its item', () => {
    const invoice: RefundFacts = { ...received, type: 'refund_only', reason: 'invoice' };
    expect(evaluatePlaybook(defaults, invoice).guards).toContain('GUARD_INVOICE_NOT_REGISTERED');
    expect(evaluatePlaybook(defaults, invoice).checklist.find((c) => c.id === 'S1.8.title')?.done).toBe(false);
    expect(evaluatePlaybook(defaults, { ...invoice, invoiceRegistered: true }).checklist.find((c) => c.id === 'S1.8.title')).toMatchObject({ done: true, doneBy: 'facts' });
  });

  it('S1.9 refund-only for damage is guarded; as a return it is not', () => {
    expect(evaluatePlaybook(defaults, { ...received, type: 'refund_only', reason: 'damaged' }).guards).toContain('GUARD_DAMAGED_REFUND_ONLY');
    expect(evaluatePlaybook(defaults, { ...received, reason: 'damaged' }).guards).not.toContain('GUARD_DAMAGED_REFUND_ONLY');
  });

  it('S1.3 late shipment or out of stock before shipment: the reason guard and the unshipped path of S1.1', () => {
    for (const reason of ['late_shipment', 'out_of_stock'] as const) {
      expect(evaluatePlaybook(defaults, { ...unshipped, reason }).guards).toEqual(
        expect.arrayContaining(['GUARD_UNSHIPPED_REASON_NEEDS_CHANGE', 'GUARD_UNSHIPPED_NOT_VOIDED', 'GUARD_AMOUNT_NOT_CONFIRMED']),
      );
    }
    expect(evaluatePlaybook(defaults, unshipped).guards).not.toContain('GUARD_UNSHIPPED_REASON_NEEDS_CHANGE');
  });

  it('S1.9 refund-only for damage: on arrival or after wearing, the refusal explained, photos', () => {
    const playbook = evaluatePlaybook(defaults, { ...received, type: 'refund_only', reason: 'damaged' });
    expect(playbook.rules[0]?.id).toBe('S1.9');
    expect(playbook.checklist.filter((c) => c.ruleId === 'S1.9').map((c) => c.id)).toEqual(['S1.9.phone', 'S1.9.tell', 'S1.9.photos']);
    expect(playbook.templates[0]).toBe('explain_refusal');
    expect(playbook.actions).toContain('refund.refuse');
  });

  it('S1.10 refund-only not as described: design and merchandise, the shop pays the return postage; S1.5 applies too', () => {
    const playbook = evaluatePlaybook(defaults, { ...received, type: 'refund_only', reason: 'not_as_described' });
    expect(playbook.rules.slice(0, 2).map((r) => r.id)).toEqual(['S1.10', 'S1.5']);
    expect(playbook.actions).toEqual(expect.arrayContaining(['department.task', 'postage.compensate', 'order.remark']));
    expect(playbook.guards).toContain('GUARD_REASON_NEEDS_CHANGE');
  });

  it('S1.11 refund-only for postage: the chat records decide; change type and reason', () => {
    const playbook = evaluatePlaybook(defaults, { ...received, type: 'refund_only', reason: 'postage' });
    expect(playbook.rules[0]?.id).toBe('S1.11');
    expect(playbook.checklist.filter((c) => c.ruleId === 'S1.11').map((c) => c.id)).toEqual(['S1.11.chat', 'S1.11.change']);
  });

  it('S1.12 a return agreed: ask for the tracking number', () => {
    const playbook = evaluatePlaybook(defaults, { ...received, status: 'WAIT_BUYER_RETURN_GOODS' });
    expect(playbook.rules[0]?.id).toBe('S1.12');
    expect(playbook.templates).toEqual(['ask_return_tracking']);
    expect(ruleIds({ ...received, status: 'WAIT_BUYER_RETURN_GOODS', type: 'refund_only' })).not.toContain('S1.12');
  });

  it('S1.13 a return to confirm: the three looks and the warehouse arrival, guarded', () => {
    const playbook = evaluatePlaybook(defaults, returned);
    expect(playbook.rules[0]?.id).toBe('S1.13');
    expect(playbook.checklist.filter((c) => c.ruleId === 'S1.13').map((c) => c.id)).toEqual([
      'S1.13.look1',
      'S1.13.look2',
      'S1.13.look3',
      'S1.13.arrived',
      'S1.13.postage',
    ]);
    expect(playbook.guards).toContain('GUARD_RETURN_NOT_CHECKED');
    expect(playbook.actions[0]).toBe('refund.confirm_receipt');
  });

  it('S1.13 the warehouse\'s arrival record completes its item; the looks are ticked', () => {
    const facts: RefundFacts = { ...returned, warehouseReceived: true, ticked: ['S1.13.look1', 'S1.13.look3'] };
    const done = Object.fromEntries(
      evaluatePlaybook(defaults, facts)
        .checklist.filter((c) => c.ruleId === 'S1.13')
        .map((c) => [c.id, c.doneBy]),
    );
    expect(done).toEqual({ 'S1.13.look1': 'tick', 'S1.13.look2': null, 'S1.13.look3': 'tick', 'S1.13.arrived': 'facts', 'S1.13.postage': null });
  });

  it('S1.13 the system ticks what it knows (the arrival record, the warehouse\'s remark) and says where it knows it from', () => {
    const arrival = { kind: 'return_arrival' as const, id: 41, at: '2026-11-03T02:00:00.000Z', by: '仓库-老陈', text: '不影响二次销售' };
    const remark = { kind: 'remark' as const, id: 9, at: '2026-11-03T02:00:00.000Z', by: '仓库-老陈', text: '仓库已收到客户寄回的鞋（不影响二次销售）' };
    const facts: RefundFacts = {
      ...returned,
      warehouseReceived: true,
      warehouseRemarked: true,
      sources: { 'warehouse.received': arrival, 'warehouse.remarked': remark },
    };
    const items = Object.fromEntries(evaluatePlaybook(defaults, facts).checklist.filter((c) => c.ruleId === 'S1.13').map((c) => [c.id, c]));
    expect(items['S1.13.arrived']).toMatchObject({ done: true, doneBy: 'facts', tickable: false, source: arrival });
    expect(items['S1.13.look2']).toMatchObject({ done: true, doneBy: 'facts', tickable: true, source: remark });
    // the looks only a person can take stay open
    expect(items['S1.13.look1']).toMatchObject({ done: false, source: null });
    expect(items['S1.13.look3']).toMatchObject({ done: false, source: null });
  });

  it('S1.13 who pays the return postage is a value, not a tick: a tick does not complete it, the recorded value does', () => {
    const ticked: RefundFacts = { ...returned, ticked: ['S1.13.postage', 'S1.13.arrived'] };
    const item = (facts: RefundFacts, id: string) => evaluatePlaybook(defaults, facts).checklist.find((c) => c.id === id);
    expect(item(ticked, 'S1.13.postage')).toMatchObject({ done: false, doneBy: null, tickable: false, doneWhen: 'return_postage.recorded' });
    // nor does a tick stand for the warehouse's arrival record
    expect(item(ticked, 'S1.13.arrived')).toMatchObject({ done: false, tickable: false });
    const source = { kind: 'return_postage' as const, id: null, at: '2026-11-03T03:00:00.000Z', by: '售后客服-小周', text: '邮费由店铺承担 ¥12.00' };
    const decided: RefundFacts = { ...returned, returnPostage: { payer: 'shop', amountFen: 1200 }, sources: { 'return_postage.recorded': source } };
    expect(item(decided, 'S1.13.postage')).toMatchObject({ done: true, doneBy: 'facts', source });
  });

  it('S1.13 the receipt check is one list: what the guard names as missing is exactly what the list shows open', () => {
    const check = (facts: RefundFacts) => returnCheck(defaults, evaluatePlaybook(defaults, facts), facts)!;
    const open = check(returned);
    expect(open.ruleIds).toEqual(['S1.13']);
    expect(open.missing).toEqual(open.items.filter((c) => !c.done).map((c) => c.text));
    expect(open.missing).toHaveLength(5);
    // the arrival recorded: its remark is known too; neither is ever listed missing beside a known arrival
    const arrived: RefundFacts = { ...returned, warehouseReceived: true, warehouseRemarked: true };
    expect(check(arrived).missing).toEqual(['第一先看客户签收时间、鞋的款式、鞋是否是质量问题寄回退换和聊天记录', '第三看客户所申请的类型和退款原因及金额', '寄回的邮费是我们承担还是客户承担']);
    const all: RefundFacts = { ...arrived, ticked: ['S1.13.look1', 'S1.13.look3'], returnPostage: { payer: 'buyer', amountFen: 1000 } };
    expect(check(all).missing).toEqual([]);
    // not where the guard does not apply
    expect(returnCheck(defaults, evaluatePlaybook(defaults, received), received)).toBeNull();
  });

  it('S1.13 a rule set that names neither the arrival nor the postage still gets both from the guard', () => {
    const own = parse(`
name: 自己的
rules:
  - id: look
    title: 三看
    when: { type: [return_and_refund], status: [WAIT_SELLER_CONFIRM_GOODS] }
    checklist:
      - id: look.all
        text: 三看
    guards: [GUARD_RETURN_NOT_CHECKED]
`);
    const facts: RefundFacts = { ...returned, ticked: ['look.all'] };
    const check = returnCheck(own, evaluatePlaybook(own, facts), facts)!;
    expect(check.items.map((c) => [c.id, c.done])).toEqual([
      ['look.all', true],
      ['GUARD_RETURN_NOT_CHECKED.arrived', false],
      ['GUARD_RETURN_NOT_CHECKED.postage', false],
    ]);
    const done: RefundFacts = { ...facts, warehouseReceived: true, returnPostage: { payer: 'shop', amountFen: 800 } };
    expect(returnCheck(own, evaluatePlaybook(own, done), done)!.missing).toEqual([]);
  });

  it('S1.13 does not apply before the buyer sent the return, nor to refund-only', () => {
    expect(ruleIds(received)).not.toContain('S1.13');
    expect(ruleIds({ ...returned, type: 'refund_only' })).not.toContain('S1.13');
  });

  it('S1.14 a quality return refunded: ask the Alipay account, pay the postage back', () => {
    const playbook = evaluatePlaybook(defaults, { ...returned, reason: 'quality', status: 'SUCCESS' });
    expect(playbook.rules[0]?.id).toBe('S1.14');
    expect(playbook.actions).toEqual(expect.arrayContaining(['postage.compensate']));
    expect(playbook.templates).toEqual(['ask_alipay_account']);
    expect(ruleIds({ ...returned, status: 'SUCCESS' })).not.toContain('S1.14');
    expect(ruleIds({ ...returned, reason: 'quality' })).not.toContain('S1.14');
  });

  it('S1.10/S1.14 a return refunded after the buyer changed a not-as-described reason on our advice: the shop still pays the postage', () => {
    const refunded: RefundFacts = { ...returned, status: 'SUCCESS', corrections: [{ fromReason: 'not_as_described' }] };
    const playbook = evaluatePlaybook(defaults, refunded);
    expect(playbook.rules[0]?.id).toBe('S1.10.corrected');
    expect(playbook.actions).toContain('postage.compensate');
    expect(ruleIds({ ...returned, status: 'SUCCESS' })).not.toContain('S1.10.corrected');
  });

  it('S1.15 a shipped refund may be refused: the facts first, guarded', () => {
    for (const facts of [received, notReceived, returned]) {
      const playbook = evaluatePlaybook(defaults, facts);
      expect(playbook.rules.map((r) => r.id)).toContain('S1.15');
      expect(playbook.guards).toContain('GUARD_REFUSAL_FACTS_MISSING');
    }
    expect(ruleIds({ ...received, status: 'WAIT_BUYER_RETURN_GOODS' })).not.toContain('S1.15');
  });

  it('S1.16 an after-sale refund: amount and type, sign time, main-promoted, worn or not; guarded against twice', () => {
    const playbook = evaluatePlaybook(defaults, afterSale);
    expect(playbook.rules.map((r) => r.id)).toContain('S1.16');
    expect(playbook.guards).toContain('GUARD_ALREADY_REFUNDED');
    expect(playbook.checklist.filter((c) => c.ruleId === 'S1.16').map((c) => c.id)).toEqual(['S1.16.amount', 'S1.16.facts', 'S1.16.problem']);
    expect(ruleIds(received)).not.toContain('S1.16');
  });

  it('S1.16/S1.20 an after-sale 7-day no-reason refund: agree and remark "客户申请了售后退款"', () => {
    const facts: RefundFacts = { ...afterSale, reason: 'no_reason_7d' };
    const playbook = evaluatePlaybook(defaults, facts);
    expect(playbook.rules[0]?.id).toBe('S1.16.7d');
    expect(playbook.checklist.find((c) => c.id === 'S1.16.remark')?.done).toBe(false);
    const remarked = evaluatePlaybook(defaults, { ...facts, status: 'SUCCESS', remarks: ['客户申请了售后退款'] });
    expect(remarked.checklist.find((c) => c.id === 'S1.16.remark')).toMatchObject({ done: true, doneBy: 'facts' });
    expect(ruleIds({ ...received, reason: 'no_reason_7d' })).not.toContain('S1.16.7d');
  });

  it('S1.17 a refused, closed or refunded refund can become a complaint', () => {
    for (const status of ['SELLER_REFUSE_BUYER', 'CLOSED', 'SUCCESS'] as const) {
      expect(evaluatePlaybook(defaults, { ...received, status }).actions).toContain('complaint.open');
    }
    expect(evaluatePlaybook(defaults, received).actions).not.toContain('complaint.open');
  });

  it('S1.18 the goods received and not wanted: ask why, recommend an exchange', () => {
    const playbook = evaluatePlaybook(defaults, { ...received, reason: 'unwanted' });
    expect(playbook.rules.map((r) => r.id)).toContain('S1.18');
    expect(playbook.actions).toContain('retention.offer');
    expect(ruleIds({ ...received, reason: 'quality' })).not.toContain('S1.18');
  });

  it('S1.19 a remark says the buyer refused the parcel: recall it, tell the buyer, remark for the next shift', () => {
    expect(ruleIds(notReceived)).not.toContain('S1.19');
    const playbook = evaluatePlaybook(defaults, { ...notReceived, remarks: ['买家拒签'] });
    expect(playbook.actions).toContain('courier.recall');
    expect(playbook.checklist.find((c) => c.id === 'S1.19.remark')?.done).toBe(false);
    const recalled = evaluatePlaybook(defaults, { ...notReceived, remarks: ['买家拒签，已联系快递追件；已告知买家，请对班和售前留意'] });
    expect(recalled.checklist.find((c) => c.id === 'S1.19.remark')?.done).toBe(true);
  });

  it('S1.21 every open refund: read the remarks and chat records first; closed ones not', () => {
    for (const facts of [unshipped, notReceived, received, returned, afterSale, { ...received, status: 'SELLER_REFUSE_BUYER' as const }]) {
      expect(ruleIds(facts)).toContain('S1.21');
    }
    expect(ruleIds({ ...received, status: 'CLOSED' })).not.toContain('S1.21');
    expect(ruleIds({ ...received, status: 'SUCCESS' })).not.toContain('S1.21');
  });

  it('S1.21 is the least specific rule: it comes after the specific ones', () => {
    const ids = ruleIds(notReceived);
    expect(ids.indexOf('S1.6')).toBeLessThan(ids.indexOf('S1.15'));
    expect(ids.indexOf('S1.15')).toBeLessThan(ids.indexOf('S1.21'));
  });

  it('S2.8 after a refusal: negotiate; the platform steps in within 7 working days', () => {
    const playbook = evaluatePlaybook(defaults, { ...received, status: 'SELLER_REFUSE_BUYER' });
    expect(playbook.rules[0]?.id).toBe('S2.8');
    expect(playbook.rules[0]?.note).toContain('7个工作日');
  });

  it('every refund the engine can hold gets a playbook without throwing; every listed rule matches', () => {
    const factsArb: fc.Arbitrary<RefundFacts> = fc.record({
      type: fc.constantFrom(...refundTypes),
      reason: fc.constantFrom(...reasonCodes),
      phase: fc.constantFrom(...refundPhases),
      status: fc.constantFrom(...refundStatuses),
      goodsStatus: fc.constantFrom(...goodsStatuses),
      shipped: fc.boolean(),
      signed: fc.boolean(),
      warehouseReceived: fc.boolean(),
      voidConfirmed: fc.boolean(),
      remarks: fc.array(fc.constantFrom('已经提交未发退', '索赔单已开', '客户申请了售后退款', '买家拒签', '已联系快递追件', '普通备注')),
      contacts: fc.array(fc.record({ channel: fc.constantFrom('phone' as const, 'wangwang' as const) })),
      ticked: fc.array(fc.constantFrom('S1.6.chat', 'S1.13.look1', 'S1.1.amount', 'nonexistent')),
      corrections: fc.array(fc.record({ fromReason: fc.constantFrom(...reasonCodes) }), { maxLength: 2 }),
      invoiceRegistered: fc.boolean(),
    });
    fc.assert(
      fc.property(factsArb, (facts) => {
        const playbook = evaluatePlaybook(defaults, facts);
        const byId = new Map(defaults.rules.map((r) => [r.id, r]));
        for (const { id } of playbook.rules) expect(whenMatches(byId.get(id)!.when, facts)).toBe(true);
        const specificities = playbook.rules.map(({ id }) => ruleSpecificity(byId.get(id)!));
        expect(specificities).toEqual([...specificities].sort((a, b) => b - a));
        expect(new Set(playbook.actions).size).toBe(playbook.actions.length);
        expect(new Set(playbook.guards).size).toBe(playbook.guards.length);
        expect(new Set(playbook.templates).size).toBe(playbook.templates.length);
        for (const item of playbook.checklist) {
          expect(playbook.rules.some((r) => r.id === item.ruleId)).toBe(true);
          // a tick counts where a tick may; what the facts show comes first, with its source
          if (facts.ticked.includes(item.id) && item.tickable) expect(item).toMatchObject({ done: true, doneBy: item.doneBy === 'facts' ? 'facts' : 'tick' });
          if (!item.tickable) expect(item.doneBy).not.toBe('tick');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the evaluator on a rule set of its own', () => {
  const ruleSet = parse(`
name: 顺序
rules:
  - id: any
    title: 任何退款
    when: {}
    actions: [order.remark, contact.phone]
  - id: two-a
    title: 两个条件 A
    when: { type: [refund_only], shipped: true }
    actions: [contact.phone, refund.agree]
    guards: [GUARD_REASON_NEEDS_CHANGE]
  - id: three
    title: 三个条件
    when: { type: [refund_only], shipped: true, reason: [quality] }
    checklist:
      - id: three.a
        text: 一
        doneWhen: contact.wangwang
      - id: three.b
        text: 二
        doneWhenRemark: 已处理
    actions: [refund.refuse]
    guards: [GUARD_REASON_NEEDS_CHANGE, GUARD_REFUSAL_FACTS_MISSING]
    templates: [explain_refusal]
  - id: two-b
    title: 两个条件 B
    when: { phase: [on_sale], remarkExcludes: 已处理 }
    templates: [explain_refusal, ask_change_reason]
`);

  it('orders the matching rules by specificity, ties in document order, and de-duplicates in that order', () => {
    const playbook = evaluatePlaybook(ruleSet, { ...notReceived, reason: 'quality' });
    expect(playbook.rules.map((r) => r.id)).toEqual(['three', 'two-a', 'two-b', 'any']);
    expect(playbook.actions).toEqual(['refund.refuse', 'contact.phone', 'refund.agree', 'order.remark']);
    expect(playbook.guards).toEqual(['GUARD_REASON_NEEDS_CHANGE', 'GUARD_REFUSAL_FACTS_MISSING']);
    expect(playbook.templates).toEqual(['explain_refusal', 'ask_change_reason']);
    expect(matchingRules(ruleSet, { ...notReceived, reason: 'quality' }).map((r) => r.id)).toEqual(['three', 'two-a', 'two-b', 'any']);
  });

  it('a condition left out matches anything; an empty when matches every refund', () => {
    expect(evaluatePlaybook(ruleSet, unshipped).rules.map((r) => r.id)).toEqual(['two-b', 'any']);
    expect(evaluatePlaybook(ruleSet, { ...afterSale, reason: 'no_reason_7d', remarks: ['已处理'] }).rules.map((r) => r.id)).toEqual(['two-a', 'any']);
  });

  it('remarkExcludes: any remark containing the text rules the rule out', () => {
    expect(whenMatches({ remarkExcludes: '已处理' }, { ...unshipped, remarks: ['a', '客服已处理完毕'] })).toBe(false);
    expect(whenMatches({ remarkExcludes: '已处理' }, { ...unshipped, remarks: ['a'] })).toBe(true);
    expect(whenMatches({ remarkIncludes: '拒签' }, { ...unshipped, remarks: [] })).toBe(false);
    expect(whenMatches({ remarkIncludes: '拒签' }, { ...unshipped, remarks: ['x', '买家拒签了'] })).toBe(true);
  });

  it('boolean conditions match only the same value', () => {
    expect(whenMatches({ signed: true }, received)).toBe(true);
    expect(whenMatches({ signed: false }, received)).toBe(false);
    expect(whenMatches({ warehouseReceived: true }, returned)).toBe(false);
    expect(whenMatches({ warehouseReceived: true }, { ...returned, warehouseReceived: true })).toBe(true);
    expect(whenMatches({ goodsStatus: ['returned'] }, returned)).toBe(true);
  });

  it('checklist items are done when ticked, or by doneWhen / doneWhenRemark facts', () => {
    const base: RefundFacts = { ...notReceived, reason: 'quality' };
    const items = (facts: RefundFacts) => evaluatePlaybook(ruleSet, facts).checklist.map((c) => [c.id, c.done, c.doneBy]);
    expect(items(base)).toEqual([
      ['three.a', false, null],
      ['three.b', false, null],
    ]);
    expect(items({ ...base, contacts: [{ channel: 'phone' }] })[0]).toEqual(['three.a', false, null]);
    expect(items({ ...base, contacts: [{ channel: 'wangwang' }], remarks: ['已处理'] })).toEqual([
      ['three.a', true, 'facts'],
      ['three.b', true, 'facts'],
    ]);
    expect(items({ ...base, ticked: ['three.b', 'other'] })).toEqual([
      ['three.a', false, null],
      ['three.b', true, 'tick'],
    ]);
  });

  it('specificity counts the conditions of the when', () => {
    expect(ruleSet.rules.map(ruleSpecificity)).toEqual([0, 2, 3, 2]);
  });
});
