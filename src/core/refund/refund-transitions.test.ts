/** The refund state machine (S2.1, S2.5–S2.8, S3.4), on plain objects. */
import { describe, expect, it } from 'vitest';
import { chinaCalendar } from '../calendar/china-calendar.ts';
import type { Role } from '../roles.ts';
import { defaultShopSettings, type ShopSettings } from '../shop-settings.ts';
import { applyForRefund, type RefundApplication } from './refund-application.ts';
import { refundStatuses, type Deadline, type Order, type Refund, type RefundStatus } from './refund-model.ts';
import {
  allowedRefundActions,
  applyRefundCommand,
  checkRefundAction,
  refundActionRoles,
  refundActions,
  refundTransitions,
  type RefundAction,
  type RefundCommand,
  type RefundContext,
} from './refund-transitions.ts';

const HOUR = 3_600_000;
const T0 = new Date('2026-11-02T02:00:00.000Z'); // Mon 10:00 Shanghai
const calendar = chinaCalendar();

function at(hours: number): Date {
  return new Date(T0.getTime() + hours * HOUR);
}

type Stage = 'unshipped' | 'shipped' | 'finished';

/** Two lines: line 1 = 60.00 × 1, line 2 = 20.00 × 2; paid 100.00. */
function makeOrder(stage: Stage, overrides: Partial<Order> = {}): Order {
  return {
    id: 1,
    shopId: 1,
    orderNo: 'T500',
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

function deadlineAt(kind: Deadline['kind'], when: Date | null): Deadline {
  const effect = { seller_answer: 'auto_agree', buyer_return: 'close', seller_confirm: 'auto_refund', buyer_after_refusal: 'close', platform_decision: 'none' } as const;
  return { kind, at: when, effect: effect[kind], problem: null };
}

/** A refund in any status, received goods, refund-only, 30.00 on the whole order. */
function makeRefund(overrides: Partial<Refund> = {}): Refund {
  return {
    id: 1,
    shopId: 1,
    orderNo: 'T500',
    lineNo: null,
    type: 'refund_only',
    goodsStatus: 'received',
    phase: 'on_sale',
    reason: 'quality',
    amountFen: 3000,
    description: '鞋跟开胶',
    evidence: ['photo-1.jpg'],
    status: 'WAIT_SELLER_AGREE',
    intervention: { state: 'none', requestedAt: null, outcome: null, decidedAt: null, note: null },
    returnAddress: null,
    returnShipment: null,
    refusal: null,
    deadline: deadlineAt('seller_answer', at(72)),
    closeReason: null,
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...overrides,
  };
}

/** A refund the seller refused at `refusedAt`. */
function refusedRefund(refusedAt: Date = T0, overrides: Partial<Refund> = {}): Refund {
  return makeRefund({
    status: 'SELLER_REFUSE_BUYER',
    refusal: { reason: '已穿过', evidence: ['chat.png'], at: refusedAt },
    deadline: deadlineAt('buyer_after_refusal', new Date(refusedAt.getTime() + 168 * HOUR)),
    updatedAt: refusedAt,
    ...overrides,
  });
}

/** A refund the platform is deciding (客服介入). */
function intervenedRefund(requestedAt: Date = at(30)): Refund {
  return refusedRefund(T0, {
    intervention: { state: 'requested', requestedAt, outcome: null, decidedAt: null, note: null },
    deadline: deadlineAt('platform_decision', new Date('2026-11-11T16:00:00.000Z')),
    updatedAt: requestedAt,
  });
}

function ctxFor(
  role: Role,
  options: { now?: Date; order?: Order; siblings?: Refund[]; settings?: Partial<ShopSettings> } = {},
): RefundContext {
  return {
    now: options.now ?? at(1),
    role,
    order: options.order ?? makeOrder('shipped'),
    siblings: options.siblings ?? [],
    settings: { ...defaultShopSettings, ...options.settings },
    calendar,
  };
}

function run(refund: Refund, cmd: RefundCommand, ctx: RefundContext) {
  return applyRefundCommand(refund, cmd, ctx);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

const refuseCmd: RefundCommand = { action: 'refuse', reason: '买家已穿着', evidence: ['chat-2026-11-02.png'] };

describe('the transition table', () => {
  it('S2.5 terminal statuses CLOSED and SUCCESS take no action', () => {
    expect(refundTransitions.CLOSED).toEqual({});
    expect(refundTransitions.SUCCESS).toEqual({});
  });

  it('S2.5 every status has a row and every target is a known status', () => {
    expect(Object.keys(refundTransitions).sort()).toEqual([...refundStatuses].sort());
    for (const row of Object.values(refundTransitions)) {
      for (const targets of Object.values(row) as (readonly RefundStatus[])[]) {
        for (const t of targets) expect(refundStatuses).toContain(t);
      }
    }
  });

  it('S2.8 every action has at least one role, and no action is open to every role', () => {
    for (const action of refundActions) {
      const roles: readonly Role[] = refundActionRoles[action];
      expect(roles.length, action).toBeGreaterThan(0);
      expect(roles.length, action).toBeLessThan(4);
    }
  });
});

describe('roles (who may act)', () => {
  it('S2.5 a buyer cannot agree a refund (FORBIDDEN)', () => {
    expect(() => run(makeRefund(), { action: 'agree' }, ctxFor('buyer'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  it('S2.8 an agent cannot request intervention for the buyer (FORBIDDEN)', () => {
    expect(() => run(refusedRefund(), { action: 'request_intervention' }, ctxFor('agent', { now: at(48) }))).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });

  it('S2.8 only the platform decides an intervention (FORBIDDEN for agent and buyer)', () => {
    for (const role of ['agent', 'buyer', 'system'] as const) {
      expect(codeOf(() => run(intervenedRefund(), { action: 'platform_decision', outcome: 'refund', note: 'x' }, ctxFor(role))), role).toBe(
        'FORBIDDEN',
      );
    }
  });

  it('S2.8 a buyer cannot refuse and the platform cannot agree (FORBIDDEN)', () => {
    expect(codeOf(() => run(makeRefund(), refuseCmd, ctxFor('buyer')))).toBe('FORBIDDEN');
    expect(codeOf(() => run(makeRefund(), { action: 'agree' }, ctxFor('platform')))).toBe('FORBIDDEN');
  });

  it('S2.6 only the system expires a deadline or closes a refund by shipment (FORBIDDEN)', () => {
    const due = makeRefund({ deadline: deadlineAt('seller_answer', at(1)) });
    for (const role of ['buyer', 'agent', 'platform'] as const) {
      expect(codeOf(() => run(due, { action: 'expire' }, ctxFor(role, { now: at(2) }))), role).toBe('FORBIDDEN');
      expect(codeOf(() => run(due, { action: 'close_by_shipment', note: 'n' }, ctxFor(role))), role).toBe('FORBIDDEN');
    }
  });

  it('S2.5 the role is checked before the status (FORBIDDEN before ACTION_NOT_ALLOWED)', () => {
    expect(codeOf(() => run(makeRefund({ status: 'SUCCESS', deadline: null }), { action: 'agree' }, ctxFor('buyer')))).toBe('FORBIDDEN');
  });
});

describe('allowedRefundActions', () => {
  const shipped = makeOrder('shipped');

  it('S3.7 WAIT_SELLER_AGREE on a shipped order: agent agrees or refuses; buyer modifies or withdraws', () => {
    const r = makeRefund();
    expect(allowedRefundActions(r, ctxFor('agent', { order: shipped }))).toEqual(['agree', 'refuse']);
    expect(allowedRefundActions(r, ctxFor('buyer', { order: shipped }))).toEqual(['modify', 'withdraw']);
    expect(allowedRefundActions(r, ctxFor('platform', { order: shipped }))).toEqual([]);
    expect(allowedRefundActions(r, ctxFor('system', { order: shipped }))).toEqual([]);
  });

  it('S2.1 WAIT_SELLER_AGREE on an unshipped order: the agent may agree but not refuse', () => {
    const r = makeRefund({ goodsStatus: 'not_received', amountFen: 10_000 });
    expect(allowedRefundActions(r, ctxFor('agent', { order: makeOrder('unshipped') }))).toEqual(['agree']);
  });

  it('S2.5 WAIT_BUYER_RETURN_GOODS: buyer modifies, withdraws or ships the return; agent nothing', () => {
    const r = makeRefund({ type: 'return_and_refund', status: 'WAIT_BUYER_RETURN_GOODS', returnAddress: '杭州仓' });
    expect(allowedRefundActions(r, ctxFor('buyer'))).toEqual(['modify', 'withdraw', 'return_shipment']);
    expect(allowedRefundActions(r, ctxFor('agent'))).toEqual([]);
  });

  it('S2.5 WAIT_SELLER_CONFIRM_GOODS: agent refuses or confirms; buyer withdraws', () => {
    const r = makeRefund({ type: 'return_and_refund', status: 'WAIT_SELLER_CONFIRM_GOODS', goodsStatus: 'returned' });
    expect(allowedRefundActions(r, ctxFor('agent'))).toEqual(['refuse', 'confirm_receipt']);
    expect(allowedRefundActions(r, ctxFor('buyer'))).toEqual(['withdraw']);
  });

  it('S2.8 SELLER_REFUSE_BUYER: intervention appears for the buyer only after interventionWaitHours', () => {
    const r = refusedRefund(T0);
    expect(allowedRefundActions(r, ctxFor('buyer', { now: at(23) }))).toEqual(['modify', 'withdraw']);
    expect(allowedRefundActions(r, ctxFor('buyer', { now: at(24) }))).toEqual(['modify', 'withdraw', 'request_intervention']);
    expect(allowedRefundActions(r, ctxFor('agent', { now: at(24) }))).toEqual([]);
    expect(allowedRefundActions(r, ctxFor('platform', { now: at(24) }))).toEqual([]);
  });

  it('S2.8 intervention requested: the platform decides; the buyer may only withdraw', () => {
    const r = intervenedRefund();
    expect(allowedRefundActions(r, ctxFor('platform', { now: at(40) }))).toEqual(['platform_decision']);
    expect(allowedRefundActions(r, ctxFor('buyer', { now: at(40) }))).toEqual(['withdraw']);
  });

  it('S2.5 terminal refunds allow nothing to anyone', () => {
    for (const status of ['CLOSED', 'SUCCESS'] as const) {
      for (const role of ['buyer', 'agent', 'platform', 'system'] as const) {
        expect(allowedRefundActions(makeRefund({ status, deadline: null }), ctxFor(role)), `${status}/${role}`).toEqual([]);
      }
    }
  });
});

describe('status checks', () => {
  it('S2.5 an action the status does not allow is ACTION_NOT_ALLOWED', () => {
    expect(codeOf(() => run(makeRefund(), { action: 'confirm_receipt' }, ctxFor('agent')))).toBe('ACTION_NOT_ALLOWED');
    expect(codeOf(() => run(makeRefund(), { action: 'return_shipment', courier: 'SF', trackingNo: '1' }, ctxFor('buyer')))).toBe(
      'ACTION_NOT_ALLOWED',
    );
    const awaiting = makeRefund({ type: 'return_and_refund', status: 'WAIT_SELLER_CONFIRM_GOODS', goodsStatus: 'returned' });
    expect(codeOf(() => run(awaiting, { action: 'modify', amountFen: 100 }, ctxFor('buyer')))).toBe('ACTION_NOT_ALLOWED');
  });

  it('S2.5 CLOSED and SUCCESS refunds take no command at all', () => {
    const commands: [Role, RefundCommand][] = [
      ['agent', { action: 'agree', returnAddress: '杭州仓' }],
      ['agent', refuseCmd],
      ['agent', { action: 'confirm_receipt' }],
      ['buyer', { action: 'modify', amountFen: 100 }],
      ['buyer', { action: 'withdraw' }],
      ['buyer', { action: 'return_shipment', courier: 'SF', trackingNo: '1' }],
      ['buyer', { action: 'request_intervention' }],
      ['platform', { action: 'platform_decision', outcome: 'refund', note: 'x' }],
      ['system', { action: 'expire' }],
      ['system', { action: 'close_by_shipment', note: 'x' }],
    ];
    for (const status of ['CLOSED', 'SUCCESS'] as const) {
      const r = makeRefund({ status, deadline: null });
      for (const [role, cmd] of commands) {
        expect(codeOf(() => run(r, cmd, ctxFor(role, { now: at(1000) }))), `${status} ${cmd.action}`).toBe('ACTION_NOT_ALLOWED');
      }
    }
  });

  it('S2.2 close_by_shipment closes only a pending application (ACTION_NOT_ALLOWED otherwise)', () => {
    expect(codeOf(() => run(refusedRefund(), { action: 'close_by_shipment', note: 'x' }, ctxFor('system')))).toBe('ACTION_NOT_ALLOWED');
    const change = run(makeRefund(), { action: 'close_by_shipment', note: 'S2.2 shipped' }, ctxFor('system'));
    expect(change.refund).toMatchObject({ status: 'CLOSED', closeReason: 'S2.2 shipped', deadline: null });
  });
});

describe('agree (S2.5)', () => {
  it('S2.5 an agreed refund-only becomes SUCCESS and pays out the amount', () => {
    const change = run(makeRefund(), { action: 'agree' }, ctxFor('agent', { now: at(5) }));
    expect(change.refund).toMatchObject({ status: 'SUCCESS', deadline: null, version: 2, updatedAt: at(5) });
    expect(change.payoutFen).toBe(3000);
  });

  it('S2.5 agreeing a return needs a return address (RETURN_ADDRESS_REQUIRED)', () => {
    const r = makeRefund({ type: 'return_and_refund' });
    expect(() => run(r, { action: 'agree' }, ctxFor('agent'))).toThrow(expect.objectContaining({ code: 'RETURN_ADDRESS_REQUIRED' }));
    expect(() => run(r, { action: 'agree', returnAddress: '   ' }, ctxFor('agent'))).toThrow(
      expect.objectContaining({ code: 'RETURN_ADDRESS_REQUIRED' }),
    );
  });

  it('S2.5 agreeing a return with an address → WAIT_BUYER_RETURN_GOODS, buyer_return deadline, no payout', () => {
    const r = makeRefund({ type: 'return_and_refund' });
    const change = run(r, { action: 'agree', returnAddress: ' 杭州市余杭区仓库 ' }, ctxFor('agent', { now: at(5) }));
    expect(change.refund).toMatchObject({ status: 'WAIT_BUYER_RETURN_GOODS', returnAddress: '杭州市余杭区仓库' });
    expect(change.refund.deadline).toEqual(deadlineAt('buyer_return', at(5 + 168)));
    expect(change.payoutFen).toBeNull();
    expect(change.data).toEqual({ returnAddress: '杭州市余杭区仓库' });
  });

  it('S2.5 agreeing a return without an address falls back to the shop default', () => {
    const r = makeRefund({ type: 'return_and_refund' });
    const change = run(r, { action: 'agree', returnAddress: '' }, ctxFor('agent', { settings: { returnAddress: '默认退货地址' } }));
    expect(change.refund.returnAddress).toBe('默认退货地址');
  });
});

describe('the full return flow (S2.5, S3.4)', () => {
  it('S2.5 apply → agree → return_shipment → confirm_receipt ends SUCCESS with one payout', () => {
    const order = makeOrder('shipped');
    const application: RefundApplication = {
      lineNo: 1,
      type: 'return_and_refund',
      goodsStatus: 'received',
      reason: 'no_reason_7d',
      amountFen: 6000,
      description: '不喜欢',
      evidence: [],
    };
    const applied: Refund = { ...applyForRefund({ order, refunds: [], application, settings: defaultShopSettings, calendar, now: T0 }), id: 9 };
    expect(applied).toMatchObject({ status: 'WAIT_SELLER_AGREE', version: 1 });
    expect(applied.deadline).toEqual(deadlineAt('seller_answer', at(72)));

    const agreed = run(applied, { action: 'agree', returnAddress: '杭州仓' }, ctxFor('agent', { order, now: at(10) }));
    expect(agreed.refund).toMatchObject({ status: 'WAIT_BUYER_RETURN_GOODS', returnAddress: '杭州仓', version: 2 });

    expect(codeOf(() => run(agreed.refund, { action: 'return_shipment', courier: ' ', trackingNo: 'YT1' }, ctxFor('buyer', { order })))).toBe(
      'VALIDATION_FAILED',
    );
    const shipped = run(agreed.refund, { action: 'return_shipment', courier: ' 圆通 ', trackingNo: ' YT1 ' }, ctxFor('buyer', { order, now: at(20) }));
    expect(shipped.refund).toMatchObject({
      status: 'WAIT_SELLER_CONFIRM_GOODS',
      goodsStatus: 'returned',
      returnShipment: { courier: '圆通', trackingNo: 'YT1', shippedAt: at(20) },
      version: 3,
    });
    expect(shipped.refund.deadline).toEqual(deadlineAt('seller_confirm', at(20 + 240)));
    expect(shipped.payoutFen).toBeNull();

    const done = run(shipped.refund, { action: 'confirm_receipt' }, ctxFor('agent', { order, now: at(30) }));
    expect(done.refund).toMatchObject({ status: 'SUCCESS', deadline: null, version: 4, updatedAt: at(30) });
    expect(done.payoutFen).toBe(6000);
  });

  it('S2.5 the input refund is never mutated and the version goes up by exactly one', () => {
    const r = makeRefund({ type: 'return_and_refund', version: 41 });
    const before = structuredClone(r);
    const change = run(r, { action: 'agree', returnAddress: '杭州仓' }, ctxFor('agent'));
    expect(r).toEqual(before);
    expect(change.refund.version).toBe(42);
  });
});

describe('refuse (S2.1, S2.8)', () => {
  it('S2.1 refuses to refuse a refund before shipment (REFUSE_BEFORE_SHIPMENT, with what to do instead)', () => {
    const r = makeRefund({ goodsStatus: 'not_received', amountFen: 10_000 });
    try {
      run(r, refuseCmd, ctxFor('agent', { order: makeOrder('unshipped') }));
      expect.unreachable('refusing before shipment');
    } catch (e) {
      expect(e).toMatchObject({ code: 'REFUSE_BEFORE_SHIPMENT', details: { orderNo: 'T500', instead: ['agree', 'ship'] } });
    }
  });

  it('S2.8 refusing needs a reason of at least 2 characters (REFUSAL_NEEDS_EVIDENCE)', () => {
    expect(codeOf(() => run(makeRefund(), { action: 'refuse', reason: ' 否 ', evidence: ['a.png'] }, ctxFor('agent')))).toBe(
      'REFUSAL_NEEDS_EVIDENCE',
    );
  });

  it('S2.8 refusing needs at least one piece of evidence; blanks do not count (REFUSAL_NEEDS_EVIDENCE)', () => {
    expect(codeOf(() => run(makeRefund(), { action: 'refuse', reason: '已穿过', evidence: [] }, ctxFor('agent')))).toBe(
      'REFUSAL_NEEDS_EVIDENCE',
    );
    expect(codeOf(() => run(makeRefund(), { action: 'refuse', reason: '已穿过', evidence: ['  ', ''] }, ctxFor('agent')))).toBe(
      'REFUSAL_NEEDS_EVIDENCE',
    );
  });

  it('S2.8 a refusal with reason and evidence → SELLER_REFUSE_BUYER, refusal recorded, buyer_after_refusal deadline', () => {
    const change = run(makeRefund(), { action: 'refuse', reason: ' 已穿过 ', evidence: [' chat.png ', ' '] }, ctxFor('agent', { now: at(3) }));
    expect(change.refund).toMatchObject({
      status: 'SELLER_REFUSE_BUYER',
      refusal: { reason: '已穿过', evidence: ['chat.png'], at: at(3) },
      version: 2,
    });
    expect(change.refund.deadline).toEqual(deadlineAt('buyer_after_refusal', at(3 + 168)));
    expect(change.payoutFen).toBeNull();
  });

  it('S1.13 the seller may refuse a returned parcel it has inspected (WAIT_SELLER_CONFIRM_GOODS → SELLER_REFUSE_BUYER)', () => {
    const r = makeRefund({ type: 'return_and_refund', status: 'WAIT_SELLER_CONFIRM_GOODS', goodsStatus: 'returned' });
    expect(run(r, refuseCmd, ctxFor('agent')).refund.status).toBe('SELLER_REFUSE_BUYER');
  });
});

describe('modify (S2.7)', () => {
  it('S2.7 modifying after a refusal goes back to WAIT_SELLER_AGREE and clears the refusal', () => {
    const change = run(refusedRefund(T0), { action: 'modify', reason: 'no_reason_7d', description: '改为七天无理由' }, ctxFor('buyer', { now: at(10) }));
    expect(change.refund).toMatchObject({
      status: 'WAIT_SELLER_AGREE',
      reason: 'no_reason_7d',
      description: '改为七天无理由',
      refusal: null,
      amountFen: 3000,
      version: 2,
    });
    expect(change.payoutFen).toBeNull();
  });

  it('S2.7 a modification restarts the seller answer deadline from the modification time', () => {
    // applied at T0 with a deadline at T0+72h; modified at T0+50h → T0+122h
    const change = run(makeRefund(), { action: 'modify', description: '补充说明' }, ctxFor('buyer', { now: at(50) }));
    expect(change.refund.status).toBe('WAIT_SELLER_AGREE');
    expect(change.refund.deadline).toEqual(deadlineAt('seller_answer', at(50 + 72)));
    expect(change.refund.updatedAt).toEqual(at(50));
  });

  it('S2.7 the restarted answer time follows S2.6: 120 h when the buyer changes to not received on a shipped order', () => {
    const change = run(refusedRefund(T0), { action: 'modify', goodsStatus: 'not_received', reason: 'not_received' }, ctxFor('buyer', { now: at(10) }));
    expect(change.refund.deadline).toEqual(deadlineAt('seller_answer', at(10 + 120)));
  });

  it('S3.2 changing to not received asks the full remaining amount again', () => {
    const sibling = makeRefund({ id: 2, lineNo: 2, status: 'SUCCESS', amountFen: 1000, deadline: null });
    const r = makeRefund({ lineNo: 1, amountFen: 500 });
    const change = run(r, { action: 'modify', goodsStatus: 'not_received', reason: 'not_received' }, ctxFor('buyer', { siblings: [sibling] }));
    expect(change.refund).toMatchObject({ goodsStatus: 'not_received', amountFen: 6000 });
  });

  it('S3.3 a modified amount is capped by the siblings (AMOUNT_OVER_CAP)', () => {
    const siblings = [makeRefund({ id: 2, lineNo: 2, status: 'SUCCESS', amountFen: 4000, deadline: null })];
    const r = makeRefund({ lineNo: 1, amountFen: 3000 });
    expect(run(r, { action: 'modify', amountFen: 6000 }, ctxFor('buyer', { siblings })).refund.amountFen).toBe(6000);
    expect(codeOf(() => run(r, { action: 'modify', amountFen: 6001 }, ctxFor('buyer', { siblings })))).toBe('AMOUNT_OVER_CAP');
    const order = makeOrder('shipped', { paidFen: 9000 });
    expect(codeOf(() => run(r, { action: 'modify', amountFen: 5001 }, ctxFor('buyer', { siblings, order })))).toBe('AMOUNT_OVER_CAP');
  });

  it('S3.2 a modification to a partial amount of goods not received is PARTIAL_REFUND_NEEDS_RECEIPT', () => {
    const r = makeRefund({ goodsStatus: 'not_received', reason: 'not_received', amountFen: 10_000 });
    expect(codeOf(() => run(r, { action: 'modify', amountFen: 4000 }, ctxFor('buyer')))).toBe('PARTIAL_REFUND_NEEDS_RECEIPT');
  });

  it('S3.4 a modification to a return of goods not received is TYPE_GOODS_MISMATCH', () => {
    const r = makeRefund({ goodsStatus: 'not_received', reason: 'not_received', amountFen: 10_000 });
    expect(codeOf(() => run(r, { action: 'modify', type: 'return_and_refund' }, ctxFor('buyer')))).toBe('TYPE_GOODS_MISMATCH');
  });

  it('S2.7 modifying an agreed return goes back to WAIT_SELLER_AGREE and drops the return address', () => {
    const r = makeRefund({ type: 'return_and_refund', status: 'WAIT_BUYER_RETURN_GOODS', returnAddress: '杭州仓', deadline: deadlineAt('buyer_return', at(168)) });
    const change = run(r, { action: 'modify', type: 'refund_only', amountFen: 2000 }, ctxFor('buyer', { now: at(4) }));
    expect(change.refund).toMatchObject({ status: 'WAIT_SELLER_AGREE', type: 'refund_only', amountFen: 2000, returnAddress: null, returnShipment: null });
    expect(change.refund.deadline).toEqual(deadlineAt('seller_answer', at(4 + 72)));
  });

  it('S2.8 a refund under intervention cannot be modified (ACTION_NOT_ALLOWED)', () => {
    expect(codeOf(() => run(intervenedRefund(), { action: 'modify', amountFen: 100 }, ctxFor('buyer', { now: at(40) })))).toBe(
      'ACTION_NOT_ALLOWED',
    );
  });

  it(
    'S3.2 modifying only the note of a not-received refund re-resolves the full remaining amount after a sibling was withdrawn',
    () => {
      // paid 90.00 for lines of 60.00 + 40.00, whose shares (as a platform gave them) say 60.00 + 40.00: the order's
      // own cap binds. Line 2 holds 40.00, so line 1 not received gets 50.00.
      const order = makeOrder('shipped', {
        paidFen: 9000,
        lines: [
          { lineNo: 1, sku: 'SHOE-1', title: '单鞋', style: 'A', size: '37', unitPriceFen: 6000, quantity: 1, paidFen: 6000 },
          { lineNo: 2, sku: 'BAG-2', title: '包', style: 'B', size: '-', unitPriceFen: 4000, quantity: 1, paidFen: 4000 },
        ],
      });
      const app = (a: Partial<RefundApplication>, refunds: Refund[], id: number): Refund => ({
        ...applyForRefund({
          order,
          refunds,
          application: { lineNo: 1, type: 'refund_only', goodsStatus: 'received', reason: 'quality', description: '', evidence: [], ...a },
          settings: defaultShopSettings,
          calendar,
          now: T0,
        }),
        id,
      });
      const line2 = app({ lineNo: 2, amountFen: 4000 }, [], 2);
      const line1 = app({ lineNo: 1, goodsStatus: 'not_received', reason: 'not_received' }, [line2], 1);
      expect(line1.amountFen).toBe(5000);
      const withdrawn = run(line2, { action: 'withdraw' }, ctxFor('buyer', { order, siblings: [line1] })).refund;
      // The buyer only adds a note. Expected: success (S3.2: not received = the full remaining amount, now 60.00).
      // Actual: PARTIAL_REFUND_NEEDS_RECEIPT, because modify re-submits the stored 50.00 as if the buyer had asked a partial amount.
      const change = run(line1, { action: 'modify', description: '快递丢件' }, ctxFor('buyer', { order, siblings: [withdrawn], now: at(2) }));
      expect(change.refund.status).toBe('WAIT_SELLER_AGREE');
      expect(change.refund.amountFen).toBe(6000);
    },
  );
});

describe('withdraw', () => {
  it('S2.7 the buyer withdraws from any open status → CLOSED, no payout, no deadline', () => {
    const open: Refund[] = [
      makeRefund(),
      makeRefund({ type: 'return_and_refund', status: 'WAIT_BUYER_RETURN_GOODS', returnAddress: 'x' }),
      makeRefund({ type: 'return_and_refund', status: 'WAIT_SELLER_CONFIRM_GOODS', goodsStatus: 'returned' }),
      refusedRefund(),
      intervenedRefund(),
    ];
    for (const r of open) {
      const change = run(r, { action: 'withdraw' }, ctxFor('buyer', { now: at(40) }));
      expect(change.refund, r.status).toMatchObject({ status: 'CLOSED', closeReason: 'withdrawn by the buyer', deadline: null });
      expect(change.payoutFen).toBeNull();
    }
  });
});

describe('intervention (S2.8)', () => {
  it('S2.8 intervention requested before interventionWaitHours after the refusal is INTERVENTION_TOO_EARLY', () => {
    const r = refusedRefund(T0);
    try {
      run(r, { action: 'request_intervention' }, ctxFor('buyer', { now: new Date(at(24).getTime() - 1) }));
      expect.unreachable('too early');
    } catch (e) {
      expect(e).toMatchObject({ code: 'INTERVENTION_TOO_EARLY', details: { availableAt: at(24).toISOString() } });
    }
  });

  it('S2.8 the wait comes from the shop settings', () => {
    const r = refusedRefund(T0);
    expect(codeOf(() => run(r, { action: 'request_intervention' }, ctxFor('buyer', { now: at(30), settings: { interventionWaitHours: 48 } })))).toBe(
      'INTERVENTION_TOO_EARLY',
    );
    expect(run(r, { action: 'request_intervention' }, ctxFor('buyer', { now: at(48), settings: { interventionWaitHours: 48 } })).refund.intervention.state).toBe(
      'requested',
    );
  });

  it('S2.8 after the wait the buyer asks for intervention: requested, platform_decision deadline of 7 working days', () => {
    const change = run(refusedRefund(T0), { action: 'request_intervention', note: ' 卖家不讲理 ' }, ctxFor('buyer', { now: at(24) }));
    expect(change.refund).toMatchObject({
      status: 'SELLER_REFUSE_BUYER',
      intervention: { state: 'requested', requestedAt: at(24), outcome: null, decidedAt: null, note: '卖家不讲理' },
      version: 2,
    });
    // requested Tue 2026-11-03 10:00 Shanghai → 7th working day Thu 2026-11-12, due 24:00 Shanghai
    expect(change.refund.deadline).toEqual({ kind: 'platform_decision', at: new Date('2026-11-12T16:00:00.000Z'), effect: 'none', problem: null });
  });

  it('S2.8 the platform decision deadline skips National Day 2026', () => {
    const refusedAt = new Date('2026-09-29T02:00:00.000Z');
    const change = run(refusedRefund(refusedAt), { action: 'request_intervention' }, ctxFor('buyer', { now: new Date('2026-09-30T02:00:00.000Z') }));
    expect(change.refund.deadline?.at).toEqual(new Date('2026-10-15T16:00:00.000Z'));
  });

  it('S2.8 a platform decision deadline past the calendar data is at=null with CALENDAR_OUT_OF_RANGE', () => {
    const refusedAt = new Date('2026-12-27T02:00:00.000Z');
    const change = run(refusedRefund(refusedAt), { action: 'request_intervention' }, ctxFor('buyer', { now: new Date('2026-12-28T02:00:00.000Z') }));
    expect(change.refund.deadline).toMatchObject({ kind: 'platform_decision', at: null, effect: 'none', problem: { code: 'CALENDAR_OUT_OF_RANGE' } });
  });

  it('S2.8 intervention is requested once only (ACTION_NOT_ALLOWED the second time)', () => {
    expect(codeOf(() => run(intervenedRefund(), { action: 'request_intervention' }, ctxFor('buyer', { now: at(100) })))).toBe('ACTION_NOT_ALLOWED');
  });

  it('S2.8 intervention is only for a refused refund (ACTION_NOT_ALLOWED in WAIT_SELLER_AGREE)', () => {
    expect(codeOf(() => run(makeRefund(), { action: 'request_intervention' }, ctxFor('buyer', { now: at(100) })))).toBe('ACTION_NOT_ALLOWED');
  });

  it('S2.8 the platform decides only when intervention was requested (INTERVENTION_NOT_REQUESTED)', () => {
    expect(() => run(refusedRefund(), { action: 'platform_decision', outcome: 'refund', note: '支持买家' }, ctxFor('platform', { now: at(100) }))).toThrow(
      expect.objectContaining({ code: 'INTERVENTION_NOT_REQUESTED' }),
    );
  });

  it('S2.8 platform decides refund → SUCCESS with the payout, intervention decided', () => {
    const change = run(intervenedRefund(), { action: 'platform_decision', outcome: 'refund', note: ' 支持买家 ' }, ctxFor('platform', { now: at(60) }));
    expect(change.refund).toMatchObject({
      status: 'SUCCESS',
      deadline: null,
      intervention: { state: 'decided', requestedAt: at(30), outcome: 'refund', decidedAt: at(60), note: '支持买家' },
    });
    expect(change.payoutFen).toBe(3000);
  });

  it('S2.8 platform decides reject → CLOSED without payout', () => {
    const change = run(intervenedRefund(), { action: 'platform_decision', outcome: 'reject', note: '证据不足' }, ctxFor('platform', { now: at(60) }));
    expect(change.refund).toMatchObject({ status: 'CLOSED', closeReason: 'the platform decided not to refund', intervention: { state: 'decided', outcome: 'reject' } });
    expect(change.payoutFen).toBeNull();
  });
});

describe('expire (deadlines passing)', () => {
  const system = (now: Date, settings: Partial<ShopSettings> = {}) => ctxFor('system', { now, settings });

  it('S2.6 seller_answer passed on a refund-only: auto_agree → SUCCESS with payout', () => {
    const change = run(makeRefund(), { action: 'expire' }, system(at(72)));
    expect(change.refund).toMatchObject({ status: 'SUCCESS', deadline: null });
    expect(change.payoutFen).toBe(3000);
    expect(change.data).toMatchObject({ deadline: 'seller_answer', due: at(72).toISOString() });
  });

  it('S2.6 seller_answer passed on a return: auto_agree to the shop address → WAIT_BUYER_RETURN_GOODS', () => {
    const r = makeRefund({ type: 'return_and_refund' });
    const change = run(r, { action: 'expire' }, system(at(80), { returnAddress: '默认退货地址' }));
    expect(change.refund).toMatchObject({ status: 'WAIT_BUYER_RETURN_GOODS', returnAddress: '默认退货地址' });
    expect(change.refund.deadline).toEqual(deadlineAt('buyer_return', at(80 + 168)));
    expect(change.payoutFen).toBeNull();
  });

  it('S2.6 seller_answer passed on a return with no shop address cannot auto-agree (RETURN_ADDRESS_REQUIRED)', () => {
    expect(codeOf(() => run(makeRefund({ type: 'return_and_refund' }), { action: 'expire' }, system(at(80))))).toBe('RETURN_ADDRESS_REQUIRED');
  });

  it('S2.6 a passed deadline marked blocked (problem set) is not expired again, and the agent can still agree with an address', () => {
    const blocked = makeRefund({
      type: 'return_and_refund',
      deadline: { ...deadlineAt('seller_answer', at(72)), problem: { code: 'RETURN_ADDRESS_REQUIRED', message: 'm' } },
    });
    expect(codeOf(() => run(blocked, { action: 'expire' }, system(at(100), { returnAddress: '默认退货地址' })))).toBe('ACTION_NOT_ALLOWED');
    const change = run(blocked, { action: 'agree', returnAddress: '杭州仓' }, ctxFor('agent', { now: at(100) }));
    expect(change.refund.status).toBe('WAIT_BUYER_RETURN_GOODS');
    expect(change.refund.deadline).toEqual(deadlineAt('buyer_return', at(100 + 168)));
  });

  it('S2.5 buyer_return passed: close → CLOSED "timed out: buyer_return"', () => {
    const r = makeRefund({ type: 'return_and_refund', status: 'WAIT_BUYER_RETURN_GOODS', returnAddress: 'x', deadline: deadlineAt('buyer_return', at(168)) });
    const change = run(r, { action: 'expire' }, system(at(169)));
    expect(change.refund).toMatchObject({ status: 'CLOSED', closeReason: 'timed out: buyer_return', deadline: null });
    expect(change.payoutFen).toBeNull();
  });

  it('S2.5 seller_confirm passed: auto_refund → SUCCESS with payout', () => {
    const r = makeRefund({ type: 'return_and_refund', status: 'WAIT_SELLER_CONFIRM_GOODS', goodsStatus: 'returned', deadline: deadlineAt('seller_confirm', at(240)) });
    const change = run(r, { action: 'expire' }, system(at(240)));
    expect(change.refund.status).toBe('SUCCESS');
    expect(change.payoutFen).toBe(3000);
  });

  it('S2.8 buyer_after_refusal passed: close → CLOSED', () => {
    const change = run(refusedRefund(T0), { action: 'expire' }, system(at(168)));
    expect(change.refund).toMatchObject({ status: 'CLOSED', closeReason: 'timed out: buyer_after_refusal' });
  });

  it('S2.6 nothing expires before its deadline (ACTION_NOT_ALLOWED one millisecond early)', () => {
    const early = new Date(at(72).getTime() - 1);
    expect(codeOf(() => run(makeRefund(), { action: 'expire' }, system(early)))).toBe('ACTION_NOT_ALLOWED');
    expect(codeOf(() => run(refusedRefund(T0), { action: 'expire' }, system(at(167))))).toBe('ACTION_NOT_ALLOWED');
  });

  it('S2.8 a passed platform_decision deadline has effect none: expire is ACTION_NOT_ALLOWED', () => {
    expect(codeOf(() => run(intervenedRefund(), { action: 'expire' }, system(at(10_000))))).toBe('ACTION_NOT_ALLOWED');
  });

  it('S2.8 a deadline that could not be computed (at=null) never expires', () => {
    const r = refusedRefund(T0, {
      intervention: { state: 'requested', requestedAt: T0, outcome: null, decidedAt: null, note: null },
      deadline: { kind: 'platform_decision', at: null, effect: 'none', problem: { code: 'CALENDAR_OUT_OF_RANGE', message: 'm' } },
    });
    expect(codeOf(() => run(r, { action: 'expire' }, system(at(10_000))))).toBe('ACTION_NOT_ALLOWED');
    expect(codeOf(() => run(makeRefund({ deadline: null }), { action: 'expire' }, system(at(10_000))))).toBe('ACTION_NOT_ALLOWED');
  });
});

describe('checkRefundAction', () => {
  it('S2.1 returns the refusing error instead of throwing, or null when allowed', () => {
    const r = makeRefund({ goodsStatus: 'not_received', amountFen: 10_000 });
    expect(checkRefundAction(r, 'refuse', ctxFor('agent', { order: makeOrder('unshipped') }))?.code).toBe('REFUSE_BEFORE_SHIPMENT');
    expect(checkRefundAction(r, 'agree', ctxFor('agent', { order: makeOrder('unshipped') }))).toBeNull();
    const actions: RefundAction[] = ['agree', 'refuse'];
    for (const a of actions) expect(checkRefundAction(r, a, ctxFor('agent'))).toBeNull();
  });
});

describe('a refused return whose goods are already back', () => {
  it('S2.7 the application of goods already sent back cannot be modified, so the return record stays (ACTION_NOT_ALLOWED)', () => {
    const refund = refusedRefund(T0, {
      type: 'return_and_refund',
      goodsStatus: 'returned',
      returnShipment: { courier: '顺丰速运', trackingNo: 'SF1', shippedAt: at(-5) },
    });
    expect(codeOf(() => run(refund, { action: 'modify', amountFen: 100 }, ctxFor('buyer', { now: at(30) })))).toBe('ACTION_NOT_ALLOWED');
    expect(codeOf(() => run(refund, { action: 'withdraw' }, ctxFor('buyer', { now: at(30) })))).toBeUndefined();
  });
});
