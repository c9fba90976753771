/** The buyer applies for a refund (S3). */
import { describe, expect, it } from 'vitest';
import { chinaCalendar } from '../calendar/china-calendar.ts';
import { defaultShopSettings, type ShopSettings } from '../shop-settings.ts';
import { applyForRefund, type RefundApplication } from './refund-application.ts';
import type { Order, Refund, RefundStatus } from './refund-model.ts';

const HOUR = 3_600_000;
const T0 = new Date('2026-11-02T02:00:00.000Z');
const NOW = new Date('2026-11-04T06:00:00.000Z');
const calendar = chinaCalendar();

type Stage = 'unshipped' | 'shipped' | 'finished' | 'closed';

/** Two lines: line 1 = 60.00 × 1, line 2 = 20.00 × 2; paid 100.00. */
function makeOrder(stage: Stage, overrides: Partial<Order> = {}): Order {
  const status = { unshipped: 'WAIT_SELLER_SEND_GOODS', shipped: 'WAIT_BUYER_CONFIRM_GOODS', finished: 'TRADE_FINISHED', closed: 'TRADE_CLOSED' } as const;
  return {
    id: 1,
    shopId: 7,
    orderNo: 'T300',
    buyer: { nick: 'buyer1', name: '张三', phone: '13800000000', address: { province: '浙江', city: '杭州', district: '西湖', detail: '1号' } },
    lines: [
      { lineNo: 1, sku: 'SHOE-1', title: '单鞋', style: 'A', size: '37', unitPriceFen: 6000, quantity: 1 },
      { lineNo: 2, sku: 'SOCK-2', title: '袜子', style: 'B', size: 'M', unitPriceFen: 2000, quantity: 2 },
    ],
    paidFen: 10_000,
    postageFen: 0,
    escrow: true,
    status: status[stage],
    shipment: stage === 'unshipped' ? null : { courier: 'SF', trackingNo: 'SF1', shippedAt: T0, signedAt: null },
    createdAt: T0,
    updatedAt: T0,
    finishedAt: stage === 'finished' ? T0 : null,
    version: 1,
    ...overrides,
  };
}

let nextId = 500;
function existing(status: RefundStatus, amountFen: number, lineNo: number | null = null): Refund {
  nextId += 1;
  return {
    id: nextId,
    shopId: 7,
    orderNo: 'T300',
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

const notReceived: RefundApplication = {
  lineNo: null,
  type: 'refund_only',
  goodsStatus: 'not_received',
  reason: 'not_received',
  description: '快递一直没到',
  evidence: [],
};
const receivedNoReturn: RefundApplication = {
  lineNo: null,
  type: 'refund_only',
  goodsStatus: 'received',
  reason: 'quality',
  amountFen: 3000,
  description: '鞋跟开胶',
  evidence: ['photo-1.jpg'],
};
const receivedReturn: RefundApplication = { ...receivedNoReturn, type: 'return_and_refund', reason: 'no_reason_7d', amountFen: 6000 };

function apply(
  order: Order,
  application: RefundApplication,
  refunds: Refund[] = [],
  settings: ShopSettings = defaultShopSettings,
): Omit<Refund, 'id'> {
  return applyForRefund({ order, refunds, application, settings, calendar, now: NOW });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('applyForRefund: which trades', () => {
  it('S3.1 only escrow trades can be refunded online (NOT_ESCROW)', () => {
    expect(() => apply(makeOrder('shipped', { escrow: false }), notReceived)).toThrow(expect.objectContaining({ code: 'NOT_ESCROW' }));
  });

  it('S3.1 a TRADE_CLOSED trade takes no refund (ORDER_CLOSED)', () => {
    expect(() => apply(makeOrder('closed'), receivedNoReturn)).toThrow(expect.objectContaining({ code: 'ORDER_CLOSED' }));
  });

  it('S3.1 an order line that does not exist is NOT_FOUND', () => {
    expect(() => apply(makeOrder('shipped'), { ...receivedNoReturn, lineNo: 3 })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('applyForRefund: amounts by goods status', () => {
  it('S3.2 not received: the full remaining amount by default', () => {
    const r = apply(makeOrder('shipped'), notReceived);
    expect(r.amountFen).toBe(10_000);
    const afterPartial = apply(makeOrder('shipped'), notReceived, [existing('SUCCESS', 1500, 2)]);
    expect(afterPartial.amountFen).toBe(8500);
  });

  it('S3.2 not received with a partial amount is PARTIAL_REFUND_NEEDS_RECEIPT', () => {
    expect(() => apply(makeOrder('shipped'), { ...notReceived, amountFen: 5000 })).toThrow(
      expect.objectContaining({ code: 'PARTIAL_REFUND_NEEDS_RECEIPT' }),
    );
  });

  it('S3.3 received, no return: needs an amount (VALIDATION_FAILED without one)', () => {
    expect(codeOf(() => apply(makeOrder('shipped'), { ...receivedNoReturn, amountFen: undefined }))).toBe('VALIDATION_FAILED');
  });

  it('S3.3 received, no return: a partial amount is allowed', () => {
    const r = apply(makeOrder('shipped'), receivedNoReturn);
    expect(r).toMatchObject({ type: 'refund_only', goodsStatus: 'received', amountFen: 3000 });
  });

  it('S3.4 received, return: amount, reason, note; partial allowed', () => {
    const r = apply(makeOrder('shipped'), { ...receivedReturn, amountFen: 4500 });
    expect(r).toMatchObject({ type: 'return_and_refund', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 4500, description: '鞋跟开胶' });
  });

  it('S3.4 a return of goods not received is TYPE_GOODS_MISMATCH', () => {
    expect(() => apply(makeOrder('shipped'), { ...notReceived, type: 'return_and_refund' })).toThrow(
      expect.objectContaining({ code: 'TYPE_GOODS_MISMATCH' }),
    );
  });

  it('S3.5 postage and price difference are partial refund-only refunds', () => {
    const postage = apply(makeOrder('shipped'), { ...receivedNoReturn, reason: 'postage', amountFen: 800 });
    expect(postage).toMatchObject({ type: 'refund_only', reason: 'postage', amountFen: 800 });
    const diff = apply(makeOrder('finished'), { ...receivedNoReturn, reason: 'price_difference', amountFen: 1200 });
    expect(diff.amountFen).toBe(1200);
  });

  it('S3.5 a postage refund as a return is TYPE_GOODS_MISMATCH; for the whole price it is VALIDATION_FAILED', () => {
    expect(codeOf(() => apply(makeOrder('shipped'), { ...receivedReturn, reason: 'postage', amountFen: 800 }))).toBe('TYPE_GOODS_MISMATCH');
    expect(codeOf(() => apply(makeOrder('shipped'), { ...receivedNoReturn, reason: 'postage', amountFen: 10_000 }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('S3.5 a postage refund of goods not received is PARTIAL_REFUND_NEEDS_RECEIPT', () => {
    expect(codeOf(() => apply(makeOrder('shipped'), { ...notReceived, reason: 'postage' }))).toBe('PARTIAL_REFUND_NEEDS_RECEIPT');
  });
});

describe('applyForRefund: unshipped orders', () => {
  it('S2.1 an unshipped order takes a refund-only of goods not received, for the full amount', () => {
    const r = apply(makeOrder('unshipped'), { ...notReceived, reason: 'unwanted' });
    expect(r).toMatchObject({ type: 'refund_only', goodsStatus: 'not_received', amountFen: 10_000, phase: 'on_sale' });
  });

  it('S2.1 an unshipped order refuses received goods or a return (TYPE_GOODS_MISMATCH)', () => {
    expect(codeOf(() => apply(makeOrder('unshipped'), receivedNoReturn))).toBe('TYPE_GOODS_MISMATCH');
    expect(codeOf(() => apply(makeOrder('unshipped'), receivedReturn))).toBe('TYPE_GOODS_MISMATCH');
  });
});

describe('applyForRefund: phase', () => {
  it('S3.6 after TRADE_FINISHED a new refund is after_sale', () => {
    expect(apply(makeOrder('finished'), receivedNoReturn).phase).toBe('after_sale');
  });

  it('S3.6 before the trade finished a refund is on_sale', () => {
    expect(apply(makeOrder('shipped'), receivedNoReturn).phase).toBe('on_sale');
    expect(apply(makeOrder('unshipped'), notReceived).phase).toBe('on_sale');
  });
});

describe('applyForRefund: one open refund per line or order', () => {
  it('S1.16 an open order-level refund blocks another order-level refund (REFUND_ALREADY_OPEN)', () => {
    const open = existing('WAIT_SELLER_AGREE', 1000);
    try {
      apply(makeOrder('shipped'), receivedNoReturn, [open]);
      expect.unreachable('a second open refund on the order');
    } catch (e) {
      expect(e).toMatchObject({ code: 'REFUND_ALREADY_OPEN', details: { refundId: open.id } });
    }
  });

  it('S1.16 every open status blocks, closed and successful ones do not', () => {
    for (const status of ['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER'] as const) {
      expect(codeOf(() => apply(makeOrder('shipped'), receivedNoReturn, [existing(status, 1000)])), status).toBe('REFUND_ALREADY_OPEN');
    }
    expect(apply(makeOrder('shipped'), receivedNoReturn, [existing('CLOSED', 1000), existing('SUCCESS', 1000)]).amountFen).toBe(3000);
  });

  it('S1.16 an open line refund blocks an order-level refund and the same line, not another line', () => {
    const onLine1 = existing('SELLER_REFUSE_BUYER', 1000, 1);
    expect(codeOf(() => apply(makeOrder('shipped'), receivedNoReturn, [onLine1]))).toBe('REFUND_ALREADY_OPEN');
    expect(codeOf(() => apply(makeOrder('shipped'), { ...receivedNoReturn, lineNo: 1 }, [onLine1]))).toBe('REFUND_ALREADY_OPEN');
    expect(apply(makeOrder('shipped'), { ...receivedNoReturn, lineNo: 2 }, [onLine1]).lineNo).toBe(2);
  });

  it('S1.16 an open order-level refund blocks a line refund', () => {
    expect(codeOf(() => apply(makeOrder('shipped'), { ...receivedNoReturn, lineNo: 2 }, [existing('WAIT_SELLER_AGREE', 500)]))).toBe(
      'REFUND_ALREADY_OPEN',
    );
  });
});

describe('applyForRefund: the amount cap across siblings', () => {
  it('S3.3 the amount is capped by what was paid less the successful and open siblings (AMOUNT_OVER_CAP)', () => {
    const refunds = [existing('SUCCESS', 3000, null), existing('WAIT_SELLER_AGREE', 2000, 2)];
    expect(apply(makeOrder('shipped'), { ...receivedNoReturn, lineNo: 1, amountFen: 5000 }, refunds).amountFen).toBe(5000);
    expect(codeOf(() => apply(makeOrder('shipped'), { ...receivedNoReturn, lineNo: 1, amountFen: 5001 }, refunds))).toBe('AMOUNT_OVER_CAP');
  });

  it('S3.3 a line refund is capped by the line total (AMOUNT_OVER_CAP)', () => {
    expect(apply(makeOrder('shipped'), { ...receivedNoReturn, lineNo: 2, amountFen: 4000 }).amountFen).toBe(4000);
    expect(codeOf(() => apply(makeOrder('shipped'), { ...receivedNoReturn, lineNo: 2, amountFen: 4001 }))).toBe('AMOUNT_OVER_CAP');
  });

  it('S3.3 a line refund is capped by what earlier refunds of that line took (AMOUNT_OVER_CAP)', () => {
    const refunds = [existing('SUCCESS', 2500, 2), existing('CLOSED', 4000, 2)];
    expect(apply(makeOrder('shipped'), { ...receivedNoReturn, lineNo: 2, amountFen: 1500 }, refunds).amountFen).toBe(1500);
    expect(codeOf(() => apply(makeOrder('shipped'), { ...receivedNoReturn, lineNo: 2, amountFen: 1501 }, refunds))).toBe('AMOUNT_OVER_CAP');
  });

  it('S3.2 a fully refunded order leaves nothing (AMOUNT_OVER_CAP)', () => {
    expect(codeOf(() => apply(makeOrder('shipped'), notReceived, [existing('SUCCESS', 10_000)]))).toBe('AMOUNT_OVER_CAP');
  });
});

describe('applyForRefund: the new refund', () => {
  it('S3.7 starts in WAIT_SELLER_AGREE, version 1, with the order’s shop and number, a trimmed note and no intervention', () => {
    const r = apply(makeOrder('shipped'), { ...receivedNoReturn, description: '  鞋跟开胶  ' });
    expect(r).toMatchObject({
      shopId: 7,
      orderNo: 'T300',
      lineNo: null,
      status: 'WAIT_SELLER_AGREE',
      version: 1,
      description: '鞋跟开胶',
      evidence: ['photo-1.jpg'],
      intervention: { state: 'none', requestedAt: null, outcome: null, decidedAt: null, note: null },
      returnAddress: null,
      returnShipment: null,
      refusal: null,
      closeReason: null,
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(r).not.toHaveProperty('id');
  });

  it('S2.6 received goods in a 7-day shop: the seller answers within 72 hours', () => {
    expect(apply(makeOrder('shipped'), receivedNoReturn).deadline).toEqual({
      kind: 'seller_answer',
      at: new Date(NOW.getTime() + 72 * HOUR),
      effect: 'auto_agree',
      problem: null,
    });
  });

  it('S2.6 unshipped: 48 hours; shipped not received: 120 hours', () => {
    expect(apply(makeOrder('unshipped'), notReceived).deadline?.at).toEqual(new Date(NOW.getTime() + 48 * HOUR));
    expect(apply(makeOrder('shipped'), notReceived).deadline?.at).toEqual(new Date(NOW.getTime() + 120 * HOUR));
  });

  it('S2.6 received goods in a shop without no-reason returns: 120 hours', () => {
    const settings = { ...defaultShopSettings, offersNoReasonReturns: false };
    expect(apply(makeOrder('shipped'), receivedNoReturn, [], settings).deadline?.at).toEqual(new Date(NOW.getTime() + 120 * HOUR));
  });
});
