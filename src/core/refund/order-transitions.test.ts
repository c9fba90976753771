/** What happens to a trade: shipped, signed for, confirmed, closed (S2.2, S2.3, S3.6). */
import { describe, expect, it } from 'vitest';
import { chinaCalendar } from '../calendar/china-calendar.ts';
import { defaultShopSettings } from '../shop-settings.ts';
import { closeOrder, confirmOrder, shipOrder, signOrder, tradeStatusAfterRefund, type ShipBasis } from './order-transitions.ts';
import type { Order, Refund, RefundStatus } from './refund-model.ts';
import { applyRefundCommand } from './refund-transitions.ts';

const HOUR = 3_600_000;
const T0 = new Date('2026-11-02T02:00:00.000Z');
const NOW = new Date('2026-11-03T02:00:00.000Z');

type Stage = 'unshipped' | 'shipped' | 'signed' | 'finished' | 'closed';

function makeOrder(stage: Stage, overrides: Partial<Order> = {}): Order {
  const status = {
    unshipped: 'WAIT_SELLER_SEND_GOODS',
    shipped: 'WAIT_BUYER_CONFIRM_GOODS',
    signed: 'WAIT_BUYER_CONFIRM_GOODS',
    finished: 'TRADE_FINISHED',
    closed: 'TRADE_CLOSED',
  } as const;
  return {
    id: 1,
    shopId: 1,
    orderNo: 'T400',
    buyer: { nick: 'buyer1', name: '张三', phone: '13800000000', address: { province: '浙江', city: '杭州', district: '西湖', detail: '1号' } },
    lines: [{ lineNo: 1, sku: 'SHOE-1', title: '单鞋', style: 'A', size: '37', unitPriceFen: 10_000, quantity: 1 }],
    paidFen: 10_000,
    postageFen: 0,
    escrow: true,
    status: status[stage],
    shipment:
      stage === 'unshipped' || stage === 'closed'
        ? null
        : { courier: 'SF', trackingNo: 'SF1', shippedAt: T0, signedAt: stage === 'shipped' ? null : new Date(T0.getTime() + 24 * HOUR) },
    createdAt: T0,
    updatedAt: T0,
    finishedAt: stage === 'finished' ? T0 : null,
    version: 3,
    ...overrides,
  };
}

let nextId = 900;
function makeRefund(status: RefundStatus, amountFen = 10_000): Refund {
  nextId += 1;
  return {
    id: nextId,
    shopId: 1,
    orderNo: 'T400',
    lineNo: null,
    type: 'refund_only',
    goodsStatus: 'not_received',
    phase: 'on_sale',
    reason: 'unwanted',
    amountFen,
    description: '',
    evidence: [],
    status,
    intervention: { state: 'none', requestedAt: null, outcome: null, decidedAt: null, note: null },
    returnAddress: null,
    returnShipment: null,
    refusal: null,
    deadline: { kind: 'seller_answer', at: new Date(T0.getTime() + 48 * HOUR), effect: 'auto_agree', problem: null },
    closeReason: null,
    createdAt: T0,
    updatedAt: T0,
    version: 1,
  };
}

function ship(order: Order, refunds: Refund[], basis: ShipBasis | undefined) {
  return shipOrder({ order, refunds, courier: ' YTO ', trackingNo: ' YT123 ', basis, now: NOW });
}

describe('shipOrder', () => {
  it('S2.2 marking shipped moves the trade to WAIT_BUYER_CONFIRM_GOODS with the shipment, version +1', () => {
    const { order } = ship(makeOrder('unshipped'), [], undefined);
    expect(order).toMatchObject({
      status: 'WAIT_BUYER_CONFIRM_GOODS',
      shipment: { courier: 'YTO', trackingNo: 'YT123', shippedAt: NOW, signedAt: null },
      updatedAt: NOW,
      version: 4,
    });
  });

  it('S2.2 goods already left: the pending WAIT_SELLER_AGREE refund closes, with no warning', () => {
    const pending = makeRefund('WAIT_SELLER_AGREE');
    const result = ship(makeOrder('unshipped'), [pending], 'already_shipped');
    expect(result.closesRefunds).toEqual([{ refundId: pending.id, note: expect.stringContaining('S2.2') }]);
    expect(result.warnings).toEqual([]);
  });

  it('S2.3 buyer agreed to shipping: the pending refund closes, with no warning', () => {
    const pending = makeRefund('WAIT_SELLER_AGREE');
    const result = ship(makeOrder('unshipped'), [pending], 'buyer_agreed');
    expect(result.closesRefunds.map((c) => c.refundId)).toEqual([pending.id]);
    expect(result.closesRefunds[0]?.note).toContain('S2.3');
    expect(result.warnings).toEqual([]);
  });

  it('S2.3 shipping over a pending refund without a recorded basis warns SHIPPED_WITHOUT_BUYER_CONSENT and still closes it', () => {
    const pending = makeRefund('WAIT_SELLER_AGREE');
    const result = ship(makeOrder('unshipped'), [pending], undefined);
    expect(result.closesRefunds.map((c) => c.refundId)).toEqual([pending.id]);
    expect(result.warnings.map((w) => w.code)).toEqual(['SHIPPED_WITHOUT_BUYER_CONSENT']);
  });

  it('S2.3 no pending refund: no warning even without a basis', () => {
    const result = ship(makeOrder('unshipped'), [makeRefund('CLOSED'), makeRefund('SUCCESS', 100)], undefined);
    expect(result.closesRefunds).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('S2.2 only WAIT_SELLER_AGREE refunds close; terminal ones are left alone', () => {
    const pending = makeRefund('WAIT_SELLER_AGREE');
    const result = ship(makeOrder('unshipped'), [makeRefund('CLOSED'), pending, makeRefund('SUCCESS', 100)], 'already_shipped');
    expect(result.closesRefunds.map((c) => c.refundId)).toEqual([pending.id]);
  });

  it('S2.2 an order that is not waiting to be shipped cannot be marked shipped (ORDER_STATE)', () => {
    for (const stage of ['shipped', 'finished', 'closed'] as const) {
      expect(() => ship(makeOrder(stage), [], 'already_shipped'), stage).toThrow(expect.objectContaining({ code: 'ORDER_STATE' }));
    }
  });

  it('S2.2 each closed refund takes close_by_shipment (system) to CLOSED with the note as close reason', () => {
    const pending = makeRefund('WAIT_SELLER_AGREE');
    const result = ship(makeOrder('unshipped'), [pending], 'already_shipped');
    const note = result.closesRefunds[0]?.note ?? '';
    const ctx = { now: NOW, role: 'system' as const, order: result.order, siblings: [], settings: defaultShopSettings, calendar: chinaCalendar() };
    const change = applyRefundCommand(pending, { action: 'close_by_shipment', note }, ctx);
    expect(change.refund).toMatchObject({ status: 'CLOSED', closeReason: note, deadline: null, version: 2 });
    expect(change.payoutFen).toBeNull();
  });
});

describe('signOrder', () => {
  it('S1.13 the courier reports the parcel signed: signedAt is set, version +1', () => {
    const signed = signOrder(makeOrder('shipped'), NOW);
    expect(signed.shipment?.signedAt).toEqual(NOW);
    expect(signed.version).toBe(4);
    const earlier = new Date(T0.getTime() + HOUR);
    expect(signOrder(makeOrder('shipped'), NOW, earlier).shipment?.signedAt).toEqual(earlier);
  });

  it('S1.13 an unshipped order cannot be signed for, nor signed twice (ORDER_STATE)', () => {
    expect(() => signOrder(makeOrder('unshipped'), NOW)).toThrow(expect.objectContaining({ code: 'ORDER_STATE' }));
    expect(() => signOrder(makeOrder('signed'), NOW)).toThrow(expect.objectContaining({ code: 'ORDER_STATE' }));
  });

  it('S1.13 the sign time cannot be before shipping (VALIDATION_FAILED)', () => {
    expect(() => signOrder(makeOrder('shipped'), NOW, new Date(T0.getTime() - 1))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});

describe('confirmOrder', () => {
  it('S3.6 the buyer confirms receipt → TRADE_FINISHED with finishedAt', () => {
    const done = confirmOrder(makeOrder('signed'), [makeRefund('CLOSED')], NOW);
    expect(done).toMatchObject({ status: 'TRADE_FINISHED', finishedAt: NOW, version: 4 });
  });

  it('S3.6 a buyer with an open refund must not confirm receipt (ORDER_HAS_OPEN_REFUND)', () => {
    for (const status of ['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER'] as const) {
      expect(() => confirmOrder(makeOrder('signed'), [makeRefund(status)], NOW), status).toThrow(
        expect.objectContaining({ code: 'ORDER_HAS_OPEN_REFUND' }),
      );
    }
  });

  it('S3.6 only a shipped order waiting for the buyer can be confirmed (ORDER_STATE)', () => {
    for (const stage of ['unshipped', 'finished', 'closed'] as const) {
      expect(() => confirmOrder(makeOrder(stage), [], NOW), stage).toThrow(expect.objectContaining({ code: 'ORDER_STATE' }));
    }
  });
});

describe('closeOrder', () => {
  it('S1.1 a trade with no open refund can be closed → TRADE_CLOSED', () => {
    expect(closeOrder(makeOrder('unshipped'), [makeRefund('SUCCESS', 100)], NOW)).toMatchObject({ status: 'TRADE_CLOSED', version: 4 });
  });

  it('S1.1 an open refund must be settled first (ORDER_HAS_OPEN_REFUND)', () => {
    expect(() => closeOrder(makeOrder('unshipped'), [makeRefund('WAIT_SELLER_AGREE')], NOW)).toThrow(
      expect.objectContaining({ code: 'ORDER_HAS_OPEN_REFUND' }),
    );
  });

  it('S1.1 a finished or closed trade cannot be closed (ORDER_STATE)', () => {
    expect(() => closeOrder(makeOrder('finished'), [], NOW)).toThrow(expect.objectContaining({ code: 'ORDER_STATE' }));
    expect(() => closeOrder(makeOrder('closed'), [], NOW)).toThrow(expect.objectContaining({ code: 'ORDER_STATE' }));
  });
});

describe('tradeStatusAfterRefund', () => {
  it('S3.2 a trade not finished whose whole payment went back closes', () => {
    expect(tradeStatusAfterRefund(makeOrder('unshipped'), [makeRefund('SUCCESS', 10_000)])).toBe('TRADE_CLOSED');
    expect(tradeStatusAfterRefund(makeOrder('shipped'), [makeRefund('SUCCESS', 4000), makeRefund('SUCCESS', 6000)])).toBe('TRADE_CLOSED');
  });

  it('S3.3 a partial refund leaves the trade as it was; closed and open refunds do not count', () => {
    expect(tradeStatusAfterRefund(makeOrder('shipped'), [makeRefund('SUCCESS', 4000), makeRefund('CLOSED', 6000)])).toBe(
      'WAIT_BUYER_CONFIRM_GOODS',
    );
    expect(tradeStatusAfterRefund(makeOrder('shipped'), [makeRefund('SUCCESS', 4000), makeRefund('WAIT_SELLER_AGREE', 6000)])).toBe(
      'WAIT_BUYER_CONFIRM_GOODS',
    );
  });

  it('S3.6 a finished trade stays finished after an after-sale refund of everything', () => {
    expect(tradeStatusAfterRefund(makeOrder('finished'), [makeRefund('SUCCESS', 10_000)])).toBe('TRADE_FINISHED');
  });
});
