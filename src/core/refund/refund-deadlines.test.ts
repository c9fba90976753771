/** The current deadline of a refund (S2.6 answer time, S2.8 7 working days). */
import { describe, expect, it } from 'vitest';
import { chinaCalendar } from '../calendar/china-calendar.ts';
import { defaultShopSettings, type ShopSettings } from '../shop-settings.ts';
import { computeDeadline, isUnshipped, sellerAnswerHours } from './refund-deadlines.ts';
import { deadlineEffects, deadlineKinds, type GoodsStatus, type Order, type Refund, type RefundStatus } from './refund-model.ts';

const HOUR = 3_600_000;
const T0 = new Date('2026-11-02T02:00:00.000Z'); // Mon 10:00 Shanghai
const calendar = chinaCalendar();

function hoursAfter(from: Date, hours: number): Date {
  return new Date(from.getTime() + hours * HOUR);
}

function makeOrder(stage: 'unshipped' | 'shipped' | 'finished'): Order {
  return {
    id: 1,
    shopId: 1,
    orderNo: 'T200',
    buyer: { nick: 'buyer1', name: '张三', phone: '13800000000', address: { province: '浙江', city: '杭州', district: '西湖', detail: '1号' } },
    lines: [{ lineNo: 1, sku: 'SHOE-1', title: '单鞋', style: 'A', size: '37', unitPriceFen: 10_000, quantity: 1 }],
    paidFen: 10_000,
    postageFen: 0,
    escrow: true,
    status: stage === 'unshipped' ? 'WAIT_SELLER_SEND_GOODS' : stage === 'shipped' ? 'WAIT_BUYER_CONFIRM_GOODS' : 'TRADE_FINISHED',
    shipment: stage === 'unshipped' ? null : { courier: 'SF', trackingNo: 'SF1', shippedAt: T0, signedAt: null },
    createdAt: T0,
    updatedAt: T0,
    finishedAt: stage === 'finished' ? T0 : null,
    version: 1,
  };
}

function makeRefund(status: RefundStatus, goodsStatus: GoodsStatus = 'received', overrides: Partial<Refund> = {}): Refund {
  return {
    id: 1,
    shopId: 1,
    orderNo: 'T200',
    lineNo: null,
    type: 'refund_only',
    goodsStatus,
    phase: 'on_sale',
    reason: 'quality',
    amountFen: 5000,
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
    ...overrides,
  };
}

function deadlineOf(refund: Refund, order: Order, settings: ShopSettings = defaultShopSettings, from: Date = T0) {
  return computeDeadline({ refund, order, settings, calendar, from });
}

describe('deadline effects', () => {
  it('S2.8 each deadline kind has its effect: auto_agree, close, auto_refund, close, none', () => {
    expect(deadlineEffects).toEqual({
      seller_answer: 'auto_agree',
      buyer_return: 'close',
      seller_confirm: 'auto_refund',
      buyer_after_refusal: 'close',
      platform_decision: 'none',
    });
    expect(Object.keys(deadlineEffects).sort()).toEqual([...deadlineKinds].sort());
  });
});

describe('isUnshipped', () => {
  it('S2.1 an order is unshipped until the seller marks it shipped', () => {
    expect(isUnshipped(makeOrder('unshipped'))).toBe(true);
    expect(isUnshipped(makeOrder('shipped'))).toBe(false);
    expect(isUnshipped(makeOrder('finished'))).toBe(false);
  });
});

describe('sellerAnswerHours', () => {
  it('S2.6 goods received in a 7-day no-reason shop: 72 hours, whatever the reason', () => {
    for (const reason of ['quality', 'no_reason_7d', 'damaged', 'postage'] as const) {
      expect(sellerAnswerHours({ goodsStatus: 'received' }, makeOrder('shipped'), defaultShopSettings), reason).toBe(72);
    }
    expect(sellerAnswerHours({ goodsStatus: 'received' }, makeOrder('finished'), defaultShopSettings)).toBe(72);
  });

  it('S2.6 unshipped order: 48 hours (project default)', () => {
    expect(sellerAnswerHours({ goodsStatus: 'not_received' }, makeOrder('unshipped'), defaultShopSettings)).toBe(48);
  });

  it('S2.6 shipped, not received: 120 hours (project default)', () => {
    expect(sellerAnswerHours({ goodsStatus: 'not_received' }, makeOrder('shipped'), defaultShopSettings)).toBe(120);
  });

  it('S2.6 a shop without 7-day no-reason returns answers received goods on the shipped time (120 hours)', () => {
    const settings = { ...defaultShopSettings, offersNoReasonReturns: false };
    expect(sellerAnswerHours({ goodsStatus: 'received' }, makeOrder('shipped'), settings)).toBe(120);
  });

  it('S2.6 the hours come from the shop settings', () => {
    const settings = { ...defaultShopSettings, sellerAnswerReceivedHours: 10, sellerAnswerUnshippedHours: 11, sellerAnswerShippedHours: 12 };
    expect(sellerAnswerHours({ goodsStatus: 'received' }, makeOrder('shipped'), settings)).toBe(10);
    expect(sellerAnswerHours({ goodsStatus: 'not_received' }, makeOrder('unshipped'), settings)).toBe(11);
    expect(sellerAnswerHours({ goodsStatus: 'not_received' }, makeOrder('shipped'), settings)).toBe(12);
  });
});

describe('computeDeadline per status', () => {
  it('S2.6 WAIT_SELLER_AGREE on received goods: seller_answer 72 h later, effect auto_agree', () => {
    expect(deadlineOf(makeRefund('WAIT_SELLER_AGREE'), makeOrder('shipped'))).toEqual({
      kind: 'seller_answer',
      at: hoursAfter(T0, 72),
      effect: 'auto_agree',
      problem: null,
    });
  });

  it('S2.6 WAIT_SELLER_AGREE unshipped: 48 h; shipped not received: 120 h', () => {
    expect(deadlineOf(makeRefund('WAIT_SELLER_AGREE', 'not_received'), makeOrder('unshipped'))?.at).toEqual(hoursAfter(T0, 48));
    expect(deadlineOf(makeRefund('WAIT_SELLER_AGREE', 'not_received'), makeOrder('shipped'))?.at).toEqual(hoursAfter(T0, 120));
  });

  it('S2.6 WAIT_SELLER_AGREE received in a shop without no-reason returns: 120 h', () => {
    const settings = { ...defaultShopSettings, offersNoReasonReturns: false };
    expect(deadlineOf(makeRefund('WAIT_SELLER_AGREE'), makeOrder('shipped'), settings)?.at).toEqual(hoursAfter(T0, 120));
  });

  it('S2.5 WAIT_BUYER_RETURN_GOODS: buyer_return after buyerReturnHours, effect close', () => {
    const d = deadlineOf(makeRefund('WAIT_BUYER_RETURN_GOODS'), makeOrder('shipped'));
    expect(d).toMatchObject({ kind: 'buyer_return', at: hoursAfter(T0, 168), effect: 'close' });
  });

  it('S2.5 WAIT_SELLER_CONFIRM_GOODS: seller_confirm after sellerConfirmHours, effect auto_refund', () => {
    const d = deadlineOf(makeRefund('WAIT_SELLER_CONFIRM_GOODS', 'returned'), makeOrder('shipped'));
    expect(d).toMatchObject({ kind: 'seller_confirm', at: hoursAfter(T0, 240), effect: 'auto_refund' });
  });

  it('S2.8 SELLER_REFUSE_BUYER without intervention: buyer_after_refusal, effect close', () => {
    const d = deadlineOf(makeRefund('SELLER_REFUSE_BUYER'), makeOrder('shipped'));
    expect(d).toMatchObject({ kind: 'buyer_after_refusal', at: hoursAfter(T0, 168), effect: 'close' });
  });

  it('S2.8 intervention requested: platform_decision at 24:00 Shanghai of the 7th working day, effect none', () => {
    const refund = makeRefund('SELLER_REFUSE_BUYER', 'received', {
      intervention: { state: 'requested', requestedAt: T0, outcome: null, decidedAt: null, note: null },
    });
    // Mon 2026-11-02 → Tue 03 .. Wed 11 is the 7th working day
    expect(deadlineOf(refund, makeOrder('shipped'))).toEqual({
      kind: 'platform_decision',
      at: new Date('2026-11-11T16:00:00.000Z'),
      effect: 'none',
      problem: null,
    });
  });

  it('S2.8 platform_decision across National Day 2026 skips the holidays', () => {
    const refund = makeRefund('SELLER_REFUSE_BUYER', 'received', {
      intervention: { state: 'requested', requestedAt: T0, outcome: null, decidedAt: null, note: null },
    });
    const d = deadlineOf(refund, makeOrder('shipped'), defaultShopSettings, new Date('2026-09-30T02:00:00.000Z'));
    expect(d?.at).toEqual(new Date('2026-10-15T16:00:00.000Z'));
  });

  it('S2.8 platform_decision past the calendar data: at=null with problem CALENDAR_OUT_OF_RANGE', () => {
    const refund = makeRefund('SELLER_REFUSE_BUYER', 'received', {
      intervention: { state: 'requested', requestedAt: T0, outcome: null, decidedAt: null, note: null },
    });
    const d = deadlineOf(refund, makeOrder('shipped'), defaultShopSettings, new Date('2026-12-28T02:00:00.000Z'));
    expect(d).toMatchObject({ kind: 'platform_decision', at: null, effect: 'none', problem: { code: 'CALENDAR_OUT_OF_RANGE' } });
    expect(d?.problem?.message).toContain('2027');
  });

  it('S2.8 platformDecisionWorkingDays comes from the settings', () => {
    const refund = makeRefund('SELLER_REFUSE_BUYER', 'received', {
      intervention: { state: 'requested', requestedAt: T0, outcome: null, decidedAt: null, note: null },
    });
    const d = deadlineOf(refund, makeOrder('shipped'), { ...defaultShopSettings, platformDecisionWorkingDays: 1 });
    expect(d?.at).toEqual(new Date('2026-11-03T16:00:00.000Z'));
  });

  it('S3.7 terminal refunds (CLOSED, SUCCESS) have no deadline', () => {
    expect(deadlineOf(makeRefund('CLOSED'), makeOrder('shipped'))).toBeNull();
    expect(deadlineOf(makeRefund('SUCCESS'), makeOrder('shipped'))).toBeNull();
  });
});
