/** What a refund may ask for: shape rules (S1.4, S3.2–S3.5) and the amount cap. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRefundShape, committedFen, goodsPaidFen, lineCapsFen, resolveRefundAmount } from './refund-amounts.ts';
import { lineTotalFen, type GoodsStatus, type Order, type OrderLine, type ReasonCode, type Refund, type RefundStatus, type RefundType } from './refund-model.ts';

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

describe('lineCapsFen: a line is capped at its share of what was paid (issue 13 §7)', () => {
  it('S3.3 a refund on one line of a discounted order is capped at the line\'s paid share, not its list price', () => {
    // 100.00 of goods paid 80.00 (a coupon): line 1 (60.00) paid 48.00, line 2 (2 × 20.00) paid 32.00
    const order = makeOrder('shipped', { paidFen: 8000 });
    expect([...lineCapsFen(order)]).toEqual([
      [1, 4800],
      [2, 3200],
    ]);
    expect(resolve({ order, lineNo: 1, requestedFen: 4800 })).toBe(4800);
    expect(() => resolve({ order, lineNo: 1, requestedFen: 4801 })).toThrow(
      expect.objectContaining({ code: 'AMOUNT_OVER_CAP', details: expect.objectContaining({ lineCapFen: 4800, availableFen: 4800 }) }),
    );
    // goods not received: the whole line is its paid share
    expect(resolve({ order, lineNo: 2, goodsStatus: 'not_received', reason: 'not_received' })).toBe(3200);
    // the whole order is still capped at what was paid
    expect(resolve({ order, goodsStatus: 'not_received', reason: 'not_received' })).toBe(8000);
  });

  it("S3.3 the platform's share of a line (divide_order_fee) is its cap; the postage is not the lines'", () => {
    const lines = makeOrder('shipped').lines.map((l) => (l.lineNo === 1 ? { ...l, paidFen: 5500 } : l));
    // paid 95.00 = 5.00 postage + 90.00 of goods: line 1 paid 55.00 on the platform, line 2 gets the other 35.00
    const order = makeOrder('shipped', { lines, paidFen: 9500, postageFen: 500 });
    expect(goodsPaidFen(order)).toBe(9000);
    expect(lineCapsFen(order).get(1)).toBe(5500);
    expect(lineCapsFen(order).get(2)).toBe(3500);
    expect(() => resolve({ order, lineNo: 1, requestedFen: 5501 })).toThrow(expect.objectContaining({ code: 'AMOUNT_OVER_CAP' }));
    // the whole order gives back the postage too
    expect(resolve({ order, goodsStatus: 'not_received', reason: 'not_received' })).toBe(9500);
  });

  it('S3.3 without a discount a line keeps its list price as its cap', () => {
    expect([...lineCapsFen(makeOrder('shipped'))]).toEqual([
      [1, 6000],
      [2, 4000],
    ]);
  });

  const lineArb = fc.record({ unitPriceFen: fc.integer({ min: 0, max: 2_000_000 }), quantity: fc.integer({ min: 1, max: 20 }) });
  const orderArb = fc
    .record({
      lines: fc.array(lineArb, { minLength: 1, maxLength: 12 }),
      postageFen: fc.integer({ min: 0, max: 5000 }),
      /** how much of the goods' list price was paid: 0 … all of it */
      paidPart: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ lines, postageFen, paidPart }) => {
      const numbered: OrderLine[] = lines.map((l, i) => ({ lineNo: i + 1, sku: `S${i}`, title: 't', style: 's', size: '37', ...l }));
      const listed = numbered.reduce((s, l) => s + lineTotalFen(l), 0);
      return makeOrder('shipped', { lines: numbered, postageFen, paidFen: Math.floor(listed * paidPart) + postageFen });
    });

  it('S3.3 property: the line caps add up to what was paid for the goods, and no line\'s cap exceeds its list price', () => {
    fc.assert(
      fc.property(orderArb, (order) => {
        const caps = lineCapsFen(order);
        const total = [...caps.values()].reduce((s, c) => s + c, 0);
        expect(total).toBe(order.paidFen - order.postageFen);
        for (const line of order.lines) {
          const cap = caps.get(line.lineNo)!;
          expect(Number.isSafeInteger(cap) && cap >= 0).toBe(true);
          expect(cap).toBeLessThanOrEqual(lineTotalFen(line));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('S3.3 property: shares the platform gave are kept; the other lines share the rest within their list prices', () => {
    fc.assert(
      fc.property(orderArb, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (base, given) => {
        // the platform gave some lines their share (here: the share they would get anyway, or less)
        const shares = lineCapsFen(base);
        const order = { ...base, lines: base.lines.map((l, i) => (given[i] ? { ...l, paidFen: Math.floor(shares.get(l.lineNo)! / 2) } : l)) };
        const caps = lineCapsFen(order);
        for (const line of order.lines) {
          if (line.paidFen != null) expect(caps.get(line.lineNo)).toBe(line.paidFen);
          expect(caps.get(line.lineNo)!).toBeLessThanOrEqual(lineTotalFen(line));
        }
        expect([...caps.values()].reduce((s, c) => s + c, 0)).toBeLessThanOrEqual(goodsPaidFen(order));
      }),
      { numRuns: 300 },
    );
  });
});

