/** The guards of S1 on plain objects: which facts break which guard (the new ones of issue 13 first of all). */
import { describe, expect, it } from 'vitest';
import type { Order, Refund } from '../refund/refund-model.ts';
import { checkGuards, guardCodes, type GuardFacts } from './refund-guards.ts';

const order = { id: 1, shipment: { signedAt: new Date('2026-11-01T00:00:00Z') }, paidFen: 32_800 } as unknown as Order;
const unshippedOrder = { ...order, shipment: null } as unknown as Order;
const refund = {
  id: 7,
  type: 'refund_only',
  reason: 'no_reason_7d',
  phase: 'on_sale',
  status: 'WAIT_SELLER_AGREE',
  amountFen: 1000,
  createdAt: new Date('2026-11-02T00:00:00Z'),
} as unknown as Refund;

function facts(over: Omit<Partial<GuardFacts>, 'refund'> & { refund?: Partial<Refund> } = {}): GuardFacts {
  const { refund: r, ...rest } = over;
  return {
    action: 'agree',
    refund: { ...refund, ...r } as Refund,
    order,
    applicable: guardCodes,
    batchLine: null,
    confirmedAmountFen: undefined,
    openChecks: [],
    afterSaleRemarkAt: null,
    siblings: [],
    contacts: [],
    corrections: [],
    invoiceRegistered: false,
    refusal: { productFactsKnown: true, buyerProblem: true, chatEvidence: true, phoneCallLogged: true },
    ...rest,
  };
}
const codes = (f: GuardFacts) => checkGuards(f).map((v) => v.code);

describe('the guards of S1', () => {
  it('S1.5 a reason corrected by phone needs the Wangwang message as its written trace; by Wangwang it is its own', () => {
    expect(codes(facts())).toEqual([]);
    expect(codes(facts({ refund: { reason: 'quality' } }))).toEqual(['GUARD_REASON_NEEDS_CHANGE']);
    const byPhone = facts({ corrections: [{ fromReason: 'quality', askedVia: 'phone' }] });
    expect(checkGuards(byPhone)).toEqual([expect.objectContaining({ code: 'GUARD_REASON_NEEDS_CHANGE', rule: 'S1.5', missing: ['旺旺留言（修改退款原因的书面记录）'] })]);
    expect(codes({ ...byPhone, contacts: [{ channel: 'wangwang', outcome: 'pending' }] })).toEqual([]);
    expect(codes(facts({ corrections: [{ fromReason: 'quality', askedVia: 'wangwang' }] }))).toEqual([]);
    // only where the rule set lists it
    expect(codes({ ...byPhone, applicable: [] })).toEqual([]);
  });

  it('S1.9 refuses to agree a refund-only for goods received damaged; a return for it passes', () => {
    expect(checkGuards(facts({ refund: { reason: 'damaged' } }))).toEqual([
      expect.objectContaining({ code: 'GUARD_DAMAGED_REFUND_ONLY', rule: 'S1.9', missing: ['电话联系客户（刚收到发现还是穿着后发现）'] }),
    ]);
    expect(checkGuards(facts({ refund: { reason: 'damaged' }, contacts: [{ channel: 'phone', outcome: 'reached' }] }))[0]?.missing).toBeUndefined();
    expect(codes(facts({ refund: { reason: 'damaged', type: 'return_and_refund' } }))).toEqual([]);
    expect(codes(facts({ refund: { reason: 'damaged' }, action: 'refuse' }))).toEqual([]);
  });

  it('S1.3 refuses to refund an unshipped order for 未按约定时间发货 or 缺货 until the reason is changed; shipped orders are not its business', () => {
    for (const reason of ['late_shipment', 'out_of_stock'] as const) {
      const v = checkGuards(facts({ order: unshippedOrder, refund: { reason }, batchLine: 'voided', confirmedAmountFen: 1000 }));
      expect(v).toEqual([expect.objectContaining({ code: 'GUARD_UNSHIPPED_REASON_NEEDS_CHANGE', rule: 'S1.3', missing: ['电话联系客户修改退款原因', '买家修改退款原因'] })]);
    }
    const phoned = facts({ order: unshippedOrder, refund: { reason: 'late_shipment' }, corrections: [{ fromReason: 'late_shipment', askedVia: 'phone' }], batchLine: 'voided', confirmedAmountFen: 1000 });
    expect(checkGuards(phoned)[0]?.missing).toEqual(['买家修改退款原因']);
    expect(codes(facts({ order: unshippedOrder, refund: { reason: 'unwanted' }, batchLine: 'voided', confirmedAmountFen: 1000 }))).toEqual([]);
    expect(codes(facts({ refund: { reason: 'late_shipment' } }))).toEqual([]);
  });

  it('S1.8 refuses to agree an invoice refund before the title is in the invoice book', () => {
    expect(codes(facts({ refund: { reason: 'invoice' } }))).toEqual(['GUARD_INVOICE_NOT_REGISTERED']);
    expect(codes(facts({ refund: { reason: 'invoice' }, invoiceRegistered: true }))).toEqual([]);
  });
});
