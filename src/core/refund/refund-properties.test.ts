/**
 * Property-based tests of the refund engine: random command sequences by random
 * roles on one order with up to three refunds; after every step the invariants
 * of the amount cap (S3.2–S3.5), the transition table (S2.5–S2.8) and the
 * payout hold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaCalendar } from '../calendar/china-calendar.ts';
import { isAppError } from '../errors.ts';
import { roles, type Role } from '../roles.ts';
import { defaultShopSettings, type ShopSettings } from '../shop-settings.ts';
import { confirmOrder, shipOrder, tradeStatusAfterRefund, type ShipBasis } from './order-transitions.ts';
import { committedFen, lineCapsFen } from './refund-amounts.ts';
import { applyForRefund, type RefundApplication } from './refund-application.ts';
import {
  isOpenStatus,
  lineTotalFen,
  reasonCodes,
  type DeadlineKind,
  type Order,
  type Refund,
  type RefundStatus,
} from './refund-model.ts';
import {
  applyRefundCommand,
  refundActionRoles,
  refundTransitions,
  type RefundAction,
  type RefundCommand,
  type RefundContext,
} from './refund-transitions.ts';

const HOUR = 3_600_000;
/** Early September 2026: long runs cross Mid-autumn, National Day and run off the calendar into 2027. */
const T0 = new Date('2026-09-01T02:00:00.000Z');
const calendar = chinaCalendar();
const MAX_REFUNDS = 3;

type Stage = 'unshipped' | 'shipped' | 'finished';

function makeOrder(stage: Stage, paidFen: number): Order {
  return {
    id: 1,
    shopId: 1,
    orderNo: 'P1',
    buyer: { nick: 'buyer1', name: '张三', phone: '13800000000', address: { province: '浙江', city: '杭州', district: '西湖', detail: '1号' } },
    lines: [
      { lineNo: 1, sku: 'SHOE-1', title: '单鞋', style: 'A', size: '37', unitPriceFen: 6000, quantity: 1 },
      { lineNo: 2, sku: 'SOCK-2', title: '袜子', style: 'B', size: 'M', unitPriceFen: 2000, quantity: 2 },
    ],
    paidFen,
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

// ---- arbitraries -------------------------------------------------------------

const anyRole = fc.constantFrom(...roles);
/** Mostly the role the action needs, sometimes any role (the FORBIDDEN paths). */
function roleFor(action: RefundAction): fc.Arbitrary<Role> {
  const right: readonly Role[] = refundActionRoles[action];
  return fc.oneof({ arbitrary: fc.constantFrom(...right), weight: 3 }, { arbitrary: anyRole, weight: 1 });
}

const amountArb = fc.option(fc.oneof(fc.integer({ min: 1, max: 10_500 }), fc.constantFrom(0, -1, 4000, 6000, 10_000)), { nil: undefined });

/** Any application at all: most are refused (shape, cap, open refund), which is tested too. */
const randomApplicationArb: fc.Arbitrary<RefundApplication> = fc.record({
  lineNo: fc.constantFrom(null, 1, 2),
  type: fc.constantFrom('refund_only', 'return_and_refund'),
  goodsStatus: fc.constantFrom('received', 'not_received'),
  reason: fc.constantFrom(...reasonCodes),
  amountFen: amountArb,
  description: fc.constantFrom('', ' 说明 '),
  evidence: fc.constantFrom([], ['photo.jpg']),
});

/** An application that fits a shipped order and leaves money for more: a partial refund of received goods. */
const plausibleApplicationArb: fc.Arbitrary<RefundApplication> = fc.record({
  lineNo: fc.constantFrom(null, 1, 2),
  type: fc.constantFrom('refund_only', 'return_and_refund', 'return_and_refund', 'return_and_refund'),
  goodsStatus: fc.constant('received'),
  reason: fc.constantFrom('quality', 'no_reason_7d', 'damaged'),
  amountFen: fc.integer({ min: 1, max: 2500 }),
  description: fc.constant(''),
  evidence: fc.constant([]),
});

const applicationArb = fc.oneof({ arbitrary: randomApplicationArb, weight: 1 }, { arbitrary: plausibleApplicationArb, weight: 2 });

/** One random command of each public kind, with the role that sends it. */
type Intent = { role: Role; cmd: RefundCommand };

type Step =
  | { kind: 'apply'; application: RefundApplication; advanceHours: number }
  /**
   * A command on one refund. `choice` picks the action: with `followTable` from
   * the actions the refund's status allows but withdraw (deep flows), else from all of them.
   */
  | { kind: 'command'; target: Target; followTable: boolean; choice: number; intents: Intent[]; advanceHours: number }
  | { kind: 'expire'; target: Target; role: Role; lateHours: number }
  | { kind: 'ship'; basis: ShipBasis | undefined; advanceHours: number }
  | { kind: 'confirm'; advanceHours: number };

const advanceArb = fc.integer({ min: 0, max: 100 });
/** Which refund a step acts on: mostly one of the open refunds, sometimes any (terminal ones too). */
type Target = { index: number; openOnly: boolean };
const targetArb: fc.Arbitrary<Target> = fc.record({
  index: fc.nat({ max: MAX_REFUNDS - 1 }),
  openOnly: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
});

function intent<C extends RefundCommand>(action: C['action'], cmd: fc.Arbitrary<C>): fc.Arbitrary<Intent> {
  return fc.record({ role: roleFor(action), cmd });
}

const intentsArb: fc.Arbitrary<Intent[]> = fc.tuple(
  intent('agree', fc.record({ action: fc.constant('agree' as const), returnAddress: fc.constantFrom(undefined, null, '  ', '杭州仓', '杭州仓', '宁波仓') })),
  intent(
    'refuse',
    fc.record({
      action: fc.constant('refuse' as const),
      reason: fc.constantFrom('', '否', '已穿过', '尺码不符'),
      evidence: fc.constantFrom([] as string[], [' '], ['chat.png'], ['chat.png', 'sign.png']),
    }),
  ),
  intent(
    'modify',
    fc.record(
      {
        action: fc.constant('modify' as const),
        type: fc.constantFrom('refund_only', 'return_and_refund'),
        reason: fc.constantFrom(...reasonCodes),
        goodsStatus: fc.constantFrom('received', 'not_received'),
        amountFen: amountArb,
        description: fc.constantFrom('改了'),
      },
      { requiredKeys: ['action'] },
    ),
  ),
  intent('withdraw', fc.record({ action: fc.constant('withdraw' as const) })),
  intent(
    'return_shipment',
    fc.record({ action: fc.constant('return_shipment' as const), courier: fc.constantFrom('', '圆通', '中通', '顺丰'), trackingNo: fc.constantFrom(' ', 'YT1', 'YT2', 'YT3') }),
  ),
  intent('confirm_receipt', fc.record({ action: fc.constant('confirm_receipt' as const) })),
  intent('request_intervention', fc.record({ action: fc.constant('request_intervention' as const), note: fc.constantFrom(undefined, '请介入') })),
  intent(
    'platform_decision',
    fc.record({ action: fc.constant('platform_decision' as const), outcome: fc.constantFrom('refund', 'reject'), note: fc.constant('裁决') }),
  ),
).map(([agree, refuse, modify, withdraw, returnShipment, confirmReceipt, intervention, decision]) =>
  // repeats weigh the choice towards the deep flows; withdraw counts only off the table (see runStep)
  [
    ...[agree, agree],
    ...[refuse, refuse, refuse, refuse],
    modify,
    ...[withdraw, withdraw, withdraw, withdraw, withdraw],
    ...[returnShipment, returnShipment, returnShipment],
    ...[confirmReceipt, confirmReceipt, confirmReceipt, confirmReceipt, confirmReceipt],
    ...[intervention, intervention, intervention, intervention],
    ...[decision, decision, decision, decision],
  ],
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('apply' as const), application: applicationArb, advanceHours: advanceArb }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('command' as const),
      target: targetArb,
      followTable: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
      choice: fc.nat(),
      intents: intentsArb,
      advanceHours: advanceArb,
    }),
    weight: 10,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('expire' as const), target: targetArb, role: roleFor('expire'), lateHours: fc.integer({ min: 0, max: 5 }) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('ship' as const), basis: fc.constantFrom(undefined, 'already_shipped', 'buyer_agreed'), advanceHours: advanceArb }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('confirm' as const), advanceHours: advanceArb }), weight: 1 },
);

/** A first application that fits the order's stage, so every run has a refund to work on. */
function firstApplicationArb(stage: Stage): fc.Arbitrary<RefundApplication> {
  const base = { description: '', evidence: [] as string[] };
  if (stage === 'unshipped') {
    return fc.record({
      lineNo: fc.constantFrom(null, 1, 2),
      reason: fc.constantFrom('unwanted' as const, 'wrong_order' as const, 'out_of_stock' as const),
    }).map((a) => ({ ...base, ...a, type: 'refund_only' as const, goodsStatus: 'not_received' as const }));
  }
  return fc.oneof(
    { arbitrary: plausibleApplicationArb, weight: 3 },
    {
      arbitrary: fc.record({ lineNo: fc.constantFrom(null, 1, 2) }).map((a) => ({
        ...base,
        ...a,
        type: 'refund_only' as const,
        goodsStatus: 'not_received' as const,
        reason: 'not_received' as const,
      })),
      weight: 1,
    },
  );
}

const scenarioArb = fc.constantFrom<Stage>('unshipped', 'shipped', 'shipped', 'finished').chain((stage) => fc.record({
  stage: fc.constant(stage),
  /** 100.00 = the lines' total; 90.00 = a discount, shared among the lines (issue 13 §7) */
  paidFen: fc.constantFrom(10_000, 9000),
  settings: fc.record({
    offersNoReasonReturns: fc.boolean(),
    returnAddress: fc.constantFrom(null, '默认退货地址'),
  }),
  first: firstApplicationArb(stage),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 30, size: 'max' }),
}));

// ---- the model run -------------------------------------------------------------

/** Counters over every run, so the property cannot pass by never doing anything. */
const seen = { moves: new Map<string, number>(), appErrors: 0, refundsCreated: 0, payouts: 0 };
function count(key: string): void {
  seen.moves.set(key, (seen.moves.get(key) ?? 0) + 1);
}

function expectedDeadlineKind(refund: Refund): DeadlineKind | null {
  switch (refund.status) {
    case 'WAIT_SELLER_AGREE':
      return 'seller_answer';
    case 'WAIT_BUYER_RETURN_GOODS':
      return 'buyer_return';
    case 'WAIT_SELLER_CONFIRM_GOODS':
      return 'seller_confirm';
    case 'SELLER_REFUSE_BUYER':
      return refund.intervention.state === 'requested' ? 'platform_decision' : 'buyer_after_refusal';
    case 'CLOSED':
    case 'SUCCESS':
      return null;
  }
}

function checkInvariants(order: Order, refunds: readonly Refund[]): void {
  // the amount cap: what was paid out plus what is still open never exceeds what was paid …
  expect(committedFen(refunds)).toBeLessThanOrEqual(order.paidFen);
  // … nor, on a line, that line's share of what was paid (within its price × quantity)
  const caps = lineCapsFen(order);
  for (const line of order.lines) {
    expect(committedFen(refunds, line.lineNo)).toBeLessThanOrEqual(caps.get(line.lineNo)!);
    expect(caps.get(line.lineNo)!).toBeLessThanOrEqual(lineTotalFen(line));
  }
  // one open refund per line, and an open order-level refund is alone
  const open = refunds.filter((r) => isOpenStatus(r.status));
  if (open.some((r) => r.lineNo === null)) expect(open.length).toBe(1);
  const openLines = open.map((r) => r.lineNo);
  expect(new Set(openLines).size).toBe(openLines.length);
  for (const r of refunds) {
    expect(Number.isSafeInteger(r.amountFen) && r.amountFen > 0).toBe(true);
    // the deadline follows the status (S3.7 the buyer sees the time left)
    expect(r.deadline?.kind ?? null).toBe(expectedDeadlineKind(r));
    if (r.deadline && r.deadline.at === null) expect(r.deadline.problem?.code).toBe('CALENDAR_OUT_OF_RANGE');
  }
}

interface RunState {
  order: Order;
  refunds: Refund[];
  now: Date;
  settings: ShopSettings;
  payouts: Map<number, number>;
  nextId: number;
}

function advance(state: RunState, hours: number): void {
  state.now = new Date(state.now.getTime() + hours * HOUR);
}

/** Runs one command on refund `index`, checks the step, and keeps the old object on an AppError. */
function runCommand(state: RunState, index: number, role: Role, cmd: RefundCommand): void {
  const before = state.refunds[index];
  if (!before) return;
  const snapshot = structuredClone(before);
  const ctx: RefundContext = {
    now: state.now,
    role,
    order: state.order,
    siblings: state.refunds.filter((r) => r.id !== before.id),
    settings: state.settings,
    calendar,
  };
  let change;
  try {
    change = applyRefundCommand(before, cmd, ctx);
  } catch (e) {
    if (!isAppError(e)) throw e;
    seen.appErrors += 1;
    // an AppError leaves the refund as it was
    expect(before).toEqual(snapshot);
    return;
  }
  const after = change.refund;
  count(cmd.action);
  // terminal states stay terminal
  expect(isOpenStatus(before.status), `${cmd.action} changed a ${before.status} refund`).toBe(true);
  // the old object is not touched
  expect(before).toEqual(snapshot);
  // version +1 exactly
  expect(after.version).toBe(before.version + 1);
  // every status change is in the table
  const row: Partial<Record<RefundAction, readonly RefundStatus[]>> = refundTransitions[before.status];
  expect(row[cmd.action] ?? [], `${before.status} --${cmd.action}--> ${after.status}`).toContain(after.status);
  // identity does not change
  expect({ id: after.id, orderNo: after.orderNo, lineNo: after.lineNo, createdAt: after.createdAt }).toEqual({
    id: before.id,
    orderNo: before.orderNo,
    lineNo: before.lineNo,
    createdAt: before.createdAt,
  });
  expect(after.updatedAt).toEqual(state.now);
  // a payout only on the move to SUCCESS, of the refund's amount, once per refund
  if (after.status === 'SUCCESS') {
    expect(change.payoutFen).toBe(after.amountFen);
    const paid = (state.payouts.get(after.id) ?? 0) + 1;
    expect(paid).toBe(1);
    state.payouts.set(after.id, paid);
    seen.payouts += 1;
  } else {
    expect(change.payoutFen).toBeNull();
  }
  state.refunds[index] = after;
  if (after.status === 'SUCCESS') {
    state.order = { ...state.order, status: tradeStatusAfterRefund(state.order, state.refunds) };
  }
}

function runApplication(state: RunState, application: RefundApplication): void {
  if (state.refunds.length >= MAX_REFUNDS) return;
  let created: Omit<Refund, 'id'>;
  try {
    created = applyForRefund({
      order: state.order,
      refunds: state.refunds,
      application,
      settings: state.settings,
      calendar,
      now: state.now,
    });
  } catch (e) {
    if (!isAppError(e)) throw e;
    seen.appErrors += 1;
    return;
  }
  expect(created).toMatchObject({ status: 'WAIT_SELLER_AGREE', version: 1, lineNo: application.lineNo });
  expect(created.phase).toBe(state.order.status === 'TRADE_FINISHED' ? 'after_sale' : 'on_sale');
  state.refunds.push({ ...created, id: state.nextId });
  state.nextId += 1;
  seen.refundsCreated += 1;
}

/** The index in state.refunds a step acts on (-1: none). */
function pick(state: RunState, target: Target): number {
  const candidates = state.refunds.map((r, i) => ({ r, i })).filter(({ r }) => !target.openOnly || isOpenStatus(r.status));
  const chosen = candidates.length > 0 ? candidates[target.index % candidates.length] : undefined;
  return chosen?.i ?? state.refunds.length - 1;
}

function runStep(state: RunState, step: Step): void {
  switch (step.kind) {
    case 'apply':
      advance(state, step.advanceHours);
      runApplication(state, step.application);
      return;
    case 'command': {
      advance(state, step.advanceHours);
      const index = pick(state, step.target);
      const refund = state.refunds[index];
      if (!refund) return;
      const inTable = Object.keys(refundTransitions[refund.status]);
      // following the table, skip withdraw (allowed everywhere, it would end most refunds at once)
      const candidates = step.followTable
        ? step.intents.filter((i) => inTable.includes(i.cmd.action) && i.cmd.action !== 'withdraw')
        : step.intents;
      const chosen = candidates[step.choice % Math.max(candidates.length, 1)] ?? step.intents[step.choice % step.intents.length];
      if (chosen) runCommand(state, index, chosen.role, chosen.cmd);
      return;
    }
    case 'expire': {
      const index = pick(state, step.target);
      const due = state.refunds[index]?.deadline?.at;
      // the sweeper runs after the deadline passed
      if (due && due > state.now) state.now = new Date(due.getTime() + step.lateHours * HOUR);
      runCommand(state, index, step.role, { action: 'expire' });
      return;
    }
    case 'ship': {
      advance(state, step.advanceHours);
      let result;
      try {
        result = shipOrder({ order: state.order, refunds: state.refunds, courier: 'SF', trackingNo: 'SF9', basis: step.basis, now: state.now });
      } catch (e) {
        if (!isAppError(e)) throw e;
        return;
      }
      count('ship');
      state.order = result.order;
      const wasOpen = state.refunds.filter((r) => isOpenStatus(r.status)).map((r) => r.id);
      for (const { refundId, note } of result.closesRefunds) {
        const index = state.refunds.findIndex((r) => r.id === refundId);
        runCommand(state, index, 'system', { action: 'close_by_shipment', note });
      }
      // S2.2/S2.3: shipping closes every refund applied for before the shipment
      for (const id of wasOpen) expect(state.refunds.find((r) => r.id === id)?.status).toBe('CLOSED');
      return;
    }
    case 'confirm':
      advance(state, step.advanceHours);
      try {
        state.order = confirmOrder(state.order, state.refunds, state.now);
        count('confirm');
      } catch (e) {
        if (!isAppError(e)) throw e;
      }
      return;
  }
}

describe('refund engine properties (fast-check)', () => {
  it('S2.5–S2.8/S3.2–S3.5 random command sequences keep the cap, the table, the versions and the single payout', () => {
    fc.assert(
      fc.property(scenarioArb, ({ stage, paidFen, settings, first, steps }) => {
        const state: RunState = {
          order: makeOrder(stage, paidFen),
          refunds: [],
          now: T0,
          settings: { ...defaultShopSettings, ...settings },
          payouts: new Map(),
          nextId: 1,
        };
        runApplication(state, first);
        checkInvariants(state.order, state.refunds);
        for (const step of steps) {
          runStep(state, step);
          checkInvariants(state.order, state.refunds);
        }
      }),
      { numRuns: 200 },
    );
    // the runs reached every part of the engine, so the invariants were tested on real moves
    expect(seen.refundsCreated).toBeGreaterThan(50);
    expect(seen.appErrors).toBeGreaterThan(50);
    expect(seen.payouts).toBeGreaterThan(10);
    for (const action of ['agree', 'refuse', 'modify', 'withdraw', 'return_shipment', 'confirm_receipt', 'request_intervention', 'platform_decision', 'expire']) {
      expect(seen.moves.get(action) ?? 0, `no successful ${action} in 200 runs`).toBeGreaterThan(0);
    }
  });

  it('S2.5 a refund applied for with a valid application always starts clean (version 1, open, seller_answer deadline)', () => {
    fc.assert(
      fc.property(fc.constantFrom<Stage>('unshipped', 'shipped', 'finished'), fc.integer({ min: 1, max: 4000 }), (stage, amountFen) => {
        const order = makeOrder(stage, 10_000);
        const application: RefundApplication =
          stage === 'unshipped'
            ? { lineNo: null, type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted', description: '', evidence: [] }
            : { lineNo: 2, type: 'return_and_refund', goodsStatus: 'received', reason: 'quality', amountFen, description: '', evidence: [] };
        const r = applyForRefund({ order, refunds: [], application, settings: defaultShopSettings, calendar, now: T0 });
        expect(r.status).toBe('WAIT_SELLER_AGREE');
        expect(r.version).toBe(1);
        expect(r.deadline?.kind).toBe('seller_answer');
        expect(r.amountFen).toBe(stage === 'unshipped' ? 10_000 : amountFen);
      }),
      { numRuns: 100 },
    );
  });
});
