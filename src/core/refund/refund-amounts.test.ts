/** What a refund may ask for: shape rules (S1.4, S3.2–S3.5) and the amount cap. */
import { describe, expect, it } from 'vitest';
import { checkRefundShape, committedFen, resolveRefundAmount } from './refund-amounts.ts';
import type { GoodsStatus, Order, ReasonCode, Refund, RefundStatus, RefundType } from './refund-model.ts';

const T0 = new Date('2026-11-02T02:00:00.000Z');

/** Two lines: line 1 = 60.00 × 1, line 2 = 20.00 × 2; paid 100.00. */
function makeOrder(stage: 'unshipped' | 'shipped' | 'finished', overrides: Partial<Order> = {}): Order {
  return {
    id: 1,
    shopId: 1,
    orderNo: 'T100',
    buyer: { nick: 'buyer1', name: '张三', phone: '13800000000', address: { province: '浙江', city: '杭州', district: '西湖', detail: '1号' } },
    lines: [
      { lineNo: 1, sku: 'SHOE-1', title: '单鞋', style: 'A', size: '37', unitPriceFen: 6000, quantity: 1 },
      { lineNo: 2, sku: 'SOCK-2', title: '袜子', style: 'B', size: 'M', unitPriceFen: 2000, quantity: 2 },
    ],
    paidFen: 10_000,
    postageFen: 0,
    escrow: true,
    status: stage === 'unshipped' ? 'WAIT_SELLER_SEND_GOODS' : stage === 'shipped' ? 'WAIT_BUYER_CONFIRM_GOODS' : 'TRADE_FINISHED',
    shipment: stage === 'unshipped' ? null : { courier: 'SF', trackingNo: 'SF1', shippedAt: T0, signedAt: null },
    createdAt: T0,
    updatedAt: T0,
    finishedAt: stage === 'finished' ? T0 : null,
    version: 1,
    ...overrides,
  };
}

let nextId = 100;
function sibling(status: RefundStatus, amountFen: number, lineNo: number | null = null): Refund {
  nextId += 1;
  return {
    id: nextId,
    shopId: 1,
    orderNo: 'T100',
    lineNo,
    type: 'refund_only',
    goodsStatus: 'received',
    phase: 'on_sale',
    reason: 'quality',
    amountFen,
    description: '',
    evidence: [],
    status,
    intervention: { state: 'none', requestedAt: null, outcome: null, decidedAt: null, note: null },
    returnAddress: null,
    returnShipment: null,
    refusal: null,
    deadline: null,
    closeReason: null,
    createdAt: T0,
    updatedAt: T0,
    version: 1,
  };
}

function resolve(options: {
  order?: Order;
  siblings?: Refund[];
  lineNo?: number | null;
  goodsStatus?: GoodsStatus;
  reason?: ReasonCode;
  requestedFen?: number | undefined;
}): number {
  return resolveRefundAmount({
    order: options.order ?? makeOrder('shipped'),
    siblings: options.siblings ?? [],
    lineNo: options.lineNo ?? null,
    goodsStatus: options.goodsStatus ?? 'received',
    reason: options.reason ?? 'quality',
    requestedFen: options.requestedFen,
  });
}

function shape(order: Order, type: RefundType, goodsStatus: GoodsStatus, reason: ReasonCode = 'quality'): void {
  checkRefundShape({ order, type, goodsStatus, reason });
}

describe('committedFen', () => {
  it('S3.2 counts SUCCESS and open refunds, never CLOSED ones', () => {
    const refunds = [
      sibling('SUCCESS', 1000),
      sibling('WAIT_SELLER_AGREE', 200),
      sibling('WAIT_BUYER_RETURN_GOODS', 30),
      sibling('WAIT_SELLER_CONFIRM_GOODS', 4),
      sibling('SELLER_REFUSE_BUYER', 5000),
      sibling('CLOSED', 70_000),
    ];
    expect(committedFen(refunds)).toBe(6234);
  });

  it('S3.2 with a line number counts only that line', () => {
    const refunds = [sibling('SUCCESS', 1000, 1), sibling('WAIT_SELLER_AGREE', 200, 2), sibling('SUCCESS', 30, null)];
    expect(committedFen(refunds, 1)).toBe(1000);
    expect(committedFen(refunds, 2)).toBe(200);
    expect(committedFen(refunds)).toBe(1230);
  });
});

describe('checkRefundShape', () => {
  it('S2.1 an unshipped order takes only a refund-only of goods not received (TYPE_GOODS_MISMATCH)', () => {
    const order = makeOrder('unshipped');
    expect(() => shape(order, 'refund_only', 'not_received', 'unwanted')).not.toThrow();
    expect(() => shape(order, 'refund_only', 'received')).toThrow(expect.objectContaining({ code: 'TYPE_GOODS_MISMATCH' }));
    expect(() => shape(order, 'return_and_refund', 'received')).toThrow(expect.objectContaining({ code: 'TYPE_GOODS_MISMATCH' }));
    expect(() => shape(order, 'return_and_refund', 'not_received')).toThrow(expect.objectContaining({ code: 'TYPE_GOODS_MISMATCH' }));
  });

  it('S3.4 a return (退货退款) of goods not received is TYPE_GOODS_MISMATCH on a shipped order', () => {
    expect(() => shape(makeOrder('shipped'), 'return_and_refund', 'not_received')).toThrow(
      expect.objectContaining({ code: 'TYPE_GOODS_MISMATCH' }),
    );
    expect(() => shape(makeOrder('shipped'), 'return_and_refund', 'received')).not.toThrow();
    expect(() => shape(makeOrder('shipped'), 'refund_only', 'not_received', 'not_received')).not.toThrow();
  });

  it('S3.5 postage and price-difference refunds are refund-only, never a return', () => {
    for (const reason of ['postage', 'price_difference'] as const) {
      expect(() => shape(makeOrder('shipped'), 'return_and_refund', 'received', reason)).toThrow(
        expect.objectContaining({ code: 'TYPE_GOODS_MISMATCH' }),
      );
      expect(() => shape(makeOrder('shipped'), 'refund_only', 'received', reason)).not.toThrow();
    }
  });
});

describe('resolveRefundAmount: not received (S3.2)', () => {
  it('S3.2 goods not received default to the full remaining amount', () => {
    expect(resolve({ goodsStatus: 'not_received', reason: 'not_received' })).toBe(10_000);
    expect(resolve({ goodsStatus: 'not_received', reason: 'not_received', siblings: [sibling('SUCCESS', 2500, 2)] })).toBe(7500);
  });

  it('S3.2 asking exactly the full remaining amount is accepted', () => {
    expect(resolve({ goodsStatus: 'not_received', reason: 'not_received', requestedFen: 10_000 })).toBe(10_000);
  });

  it('S3.2 a partial amount of goods not received is PARTIAL_REFUND_NEEDS_RECEIPT', () => {
    expect(() => resolve({ goodsStatus: 'not_received', reason: 'not_received', requestedFen: 100 })).toThrow(
      expect.objectContaining({ code: 'PARTIAL_REFUND_NEEDS_RECEIPT' }),
    );
  });

  it('S3.5 a postage refund of goods not received is PARTIAL_REFUND_NEEDS_RECEIPT (apply after receiving)', () => {
    expect(() => resolve({ goodsStatus: 'not_received', reason: 'postage' })).toThrow(
      expect.objectContaining({ code: 'PARTIAL_REFUND_NEEDS_RECEIPT' }),
    );
    expect(() => resolve({ goodsStatus: 'not_received', reason: 'price_difference', requestedFen: 10_000 })).toThrow(
      expect.objectContaining({ code: 'PARTIAL_REFUND_NEEDS_RECEIPT' }),
    );
  });

  it('S3.2 a not-received line refund is the whole line, less what the line already holds', () => {
    expect(resolve({ goodsStatus: 'not_received', reason: 'not_received', lineNo: 1 })).toBe(6000);
    expect(
      resolve({ goodsStatus: 'not_received', reason: 'not_received', lineNo: 2, siblings: [sibling('SUCCESS', 1500, 2)] }),
    ).toBe(2500);
  });
});

describe('resolveRefundAmount: received (S3.3/S3.4/S3.5)', () => {
  it('S3.3 received goods need the amount asked (VALIDATION_FAILED without it)', () => {
    expect(() => resolve({ requestedFen: undefined })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('S3.3 a partial amount of received goods is allowed and kept as asked', () => {
    expect(resolve({ requestedFen: 1234 })).toBe(1234);
    expect(resolve({ requestedFen: 10_000 })).toBe(10_000);
  });

  it('S3.3 the amount must be a positive whole number of fen', () => {
    for (const bad of [0, -5, 12.5, Number.NaN]) {
      expect(() => resolve({ requestedFen: bad }), String(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });

  it('S3.5 a postage refund is partial: the whole paid amount is refused (VALIDATION_FAILED)', () => {
    expect(resolve({ reason: 'postage', requestedFen: 800 })).toBe(800);
    expect(() => resolve({ reason: 'postage', requestedFen: 10_000 })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => resolve({ reason: 'price_difference', requestedFen: 10_000 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});

describe('resolveRefundAmount: the amount cap', () => {
  it('S3.3 more than paid is AMOUNT_OVER_CAP', () => {
    expect(() => resolve({ requestedFen: 10_001 })).toThrow(expect.objectContaining({ code: 'AMOUNT_OVER_CAP' }));
  });

  it('S3.3 the cap subtracts successful and open siblings but not closed ones', () => {
    const siblings = [sibling('SUCCESS', 3000, 1), sibling('SELLER_REFUSE_BUYER', 1000, 2), sibling('CLOSED', 9000, 2)];
    expect(resolve({ siblings, requestedFen: 6000 })).toBe(6000);
    try {
      resolve({ siblings, requestedFen: 6001 });
      expect.unreachable('6001 is over the 6000 left');
    } catch (e) {
      expect(e).toMatchObject({ code: 'AMOUNT_OVER_CAP', details: { paidFen: 10_000, committedFen: 4000, availableFen: 6000, requestedFen: 6001 } });
    }
  });

  it('S3.3 a line refund is capped by the line total (price × quantity)', () => {
    expect(resolve({ lineNo: 2, requestedFen: 4000 })).toBe(4000);
    expect(() => resolve({ lineNo: 2, requestedFen: 4001 })).toThrow(expect.objectContaining({ code: 'AMOUNT_OVER_CAP' }));
  });

  it('S3.3 a line refund is capped by what the line already holds', () => {
    const siblings = [sibling('SUCCESS', 2500, 2)];
    expect(resolve({ lineNo: 2, siblings, requestedFen: 1500 })).toBe(1500);
    expect(() => resolve({ lineNo: 2, siblings, requestedFen: 1501 })).toThrow(expect.objectContaining({ code: 'AMOUNT_OVER_CAP' }));
  });

  it('S3.3 a line refund is capped by the order as well when the order was paid less than its lines (discount)', () => {
    const order = makeOrder('shipped', { paidFen: 9000 });
    const siblings = [sibling('WAIT_SELLER_AGREE', 4000, 2)];
    expect(resolve({ order, lineNo: 1, siblings, requestedFen: 5000 })).toBe(5000);
    expect(() => resolve({ order, lineNo: 1, siblings, requestedFen: 5001 })).toThrow(expect.objectContaining({ code: 'AMOUNT_OVER_CAP' }));
  });

  it('S3.3 nothing left to refund is AMOUNT_OVER_CAP even without an amount', () => {
    const siblings = [sibling('SUCCESS', 10_000)];
    expect(() => resolve({ siblings, goodsStatus: 'not_received', reason: 'not_received' })).toThrow(
      expect.objectContaining({ code: 'AMOUNT_OVER_CAP' }),
    );
    expect(() => resolve({ lineNo: 2, siblings: [sibling('SUCCESS', 4000, 2)], requestedFen: 1 })).toThrow(
      expect.objectContaining({ code: 'AMOUNT_OVER_CAP' }),
    );
  });

  it('S3.3 an unknown line is NOT_FOUND', () => {
    expect(() => resolve({ lineNo: 9, requestedFen: 100 })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
