/**
 * The refund state machine: which action moves a refund from which status to
 * which, who may take it, and what it checks. Pure: plain objects in, plain
 * objects out; the app layer loads, saves and records the event.
 */
import type { WorkingCalendar } from '../calendar/working-days.ts';
import { AppError } from '../errors.ts';
import type { Fen } from '../money.ts';
import type { Role } from '../roles.ts';
import type { ShopSettings } from '../shop-settings.ts';
import { checkRefundShape, resolveRefundAmount } from './refund-amounts.ts';
import { computeDeadline, isUnshipped } from './refund-deadlines.ts';
import type {
  GoodsStatus,
  InterventionOutcome,
  Order,
  ReasonCode,
  Refund,
  RefundStatus,
  RefundType,
} from './refund-model.ts';

export type RefundCommand =
  | { action: 'agree'; returnAddress?: string | null | undefined }
  | { action: 'refuse'; reason: string; evidence: string[] }
  | {
      action: 'modify';
      type?: RefundType | undefined;
      reason?: ReasonCode | undefined;
      goodsStatus?: Exclude<GoodsStatus, 'returned'> | undefined;
      amountFen?: Fen | undefined;
      description?: string | undefined;
      evidence?: string[] | undefined;
    }
  | { action: 'withdraw' }
  | { action: 'return_shipment'; courier: string; trackingNo: string }
  | { action: 'confirm_receipt' }
  | { action: 'request_intervention'; note?: string | undefined }
  | { action: 'platform_decision'; outcome: InterventionOutcome; note: string }
  /** the sweeper applies a passed deadline */
  | { action: 'expire' }
  /** S2.2/S2.3: the seller marked the order shipped, which closes a pending pre-shipment refund */
  | { action: 'close_by_shipment'; note: string };

export type RefundAction = RefundCommand['action'];

export const refundActions = [
  'agree',
  'refuse',
  'modify',
  'withdraw',
  'return_shipment',
  'confirm_receipt',
  'request_intervention',
  'platform_decision',
  'expire',
  'close_by_shipment',
] as const satisfies readonly RefundAction[];

/** from → action → the statuses it may lead to. Checked by tsc; enforced by applyRefundCommand. */
export const refundTransitions = {
  WAIT_SELLER_AGREE: {
    agree: ['SUCCESS', 'WAIT_BUYER_RETURN_GOODS'],
    refuse: ['SELLER_REFUSE_BUYER'],
    modify: ['WAIT_SELLER_AGREE'],
    withdraw: ['CLOSED'],
    expire: ['SUCCESS', 'WAIT_BUYER_RETURN_GOODS'],
    close_by_shipment: ['CLOSED'],
  },
  WAIT_BUYER_RETURN_GOODS: {
    modify: ['WAIT_SELLER_AGREE'],
    withdraw: ['CLOSED'],
    return_shipment: ['WAIT_SELLER_CONFIRM_GOODS'],
    expire: ['CLOSED'],
  },
  WAIT_SELLER_CONFIRM_GOODS: {
    confirm_receipt: ['SUCCESS'],
    refuse: ['SELLER_REFUSE_BUYER'],
    withdraw: ['CLOSED'],
    expire: ['SUCCESS'],
  },
  SELLER_REFUSE_BUYER: {
    modify: ['WAIT_SELLER_AGREE'],
    withdraw: ['CLOSED'],
    request_intervention: ['SELLER_REFUSE_BUYER'],
    platform_decision: ['SUCCESS', 'CLOSED'],
    expire: ['CLOSED'],
  },
  CLOSED: {},
  SUCCESS: {},
} as const satisfies Record<RefundStatus, Partial<Record<RefundAction, readonly RefundStatus[]>>>;

/** Who may take each action (a buyer cannot agree; an agent cannot ask for intervention for the buyer). */
export const refundActionRoles = {
  agree: ['agent', 'supervisor'],
  refuse: ['agent', 'supervisor'],
  confirm_receipt: ['agent', 'supervisor'],
  modify: ['buyer'],
  withdraw: ['buyer'],
  return_shipment: ['buyer'],
  request_intervention: ['buyer'],
  platform_decision: ['platform'],
  expire: ['system'],
  close_by_shipment: ['system'],
} as const satisfies Record<RefundAction, readonly Role[]>;

/** The actions a person or connector takes through the API (the others are the engine's own). */
export const publicRefundActions = [
  'agree',
  'refuse',
  'modify',
  'withdraw',
  'return_shipment',
  'confirm_receipt',
  'request_intervention',
  'platform_decision',
] as const satisfies readonly RefundAction[];

export interface RefundContext {
  now: Date;
  role: Role;
  order: Order;
  /** the other refunds of the same order (amount cap) */
  siblings: readonly Refund[];
  settings: ShopSettings;
  calendar: WorkingCalendar;
}

export interface RefundChange {
  refund: Refund;
  /** the amount paid out to the buyer by this change, if it made the refund SUCCESS */
  payoutFen: Fen | null;
  /** what the event records beyond before → after */
  data: Record<string, unknown>;
}

function allowedTargets(status: RefundStatus, action: RefundAction): readonly RefundStatus[] | undefined {
  const row: Partial<Record<RefundAction, readonly RefundStatus[]>> = refundTransitions[status];
  return row[action];
}

/**
 * Checks that do not depend on the request body: the status allows the action,
 * the role may take it, and the state-dependent rules hold. Returns the error
 * that would refuse it, or null.
 */
export function checkRefundAction(refund: Refund, action: RefundAction, ctx: RefundContext): AppError | null {
  const roles: readonly Role[] = refundActionRoles[action];
  if (!roles.includes(ctx.role)) {
    return new AppError('FORBIDDEN', `A ${ctx.role} may not ${action.replace(/_/g, ' ')} a refund.`, {
      action,
      allowedRoles: roles,
    });
  }
  if (!allowedTargets(refund.status, action)) {
    return new AppError('ACTION_NOT_ALLOWED', `A refund in status ${refund.status} cannot take the action ${action}.`, {
      action,
      status: refund.status,
    });
  }
  switch (action) {
    case 'refuse':
      if (isUnshipped(ctx.order)) {
        return new AppError(
          'REFUSE_BEFORE_SHIPMENT',
          'S2.1: a refund on an order not yet marked shipped cannot be refused. Either agree it, or ship the order and mark it shipped (S2.2/S2.3), which closes this refund.',
          { orderNo: ctx.order.orderNo, instead: ['agree', 'ship'] },
        );
      }
      return null;
    case 'modify':
      if (refund.goodsStatus === 'returned') {
        // the goods are back with the seller: the application can no longer change; the buyer
        // asks for intervention or withdraws, and the return's record stays
        return new AppError('ACTION_NOT_ALLOWED', 'The goods were already sent back; the application can no longer be modified.', {
          action,
          goodsStatus: refund.goodsStatus,
        });
      }
      if (refund.intervention.state === 'requested') {
        return new AppError('ACTION_NOT_ALLOWED', 'The platform is deciding this refund (客服介入); it cannot be modified now.', {
          action,
        });
      }
      return null;
    case 'request_intervention': {
      if (refund.intervention.state !== 'none') {
        return new AppError('ACTION_NOT_ALLOWED', 'Intervention was already requested for this refund.', {
          action,
          intervention: refund.intervention.state,
        });
      }
      const refusedAt = refund.refusal?.at ?? refund.updatedAt;
      const availableAt = new Date(refusedAt.getTime() + ctx.settings.interventionWaitHours * 3_600_000);
      if (ctx.now < availableAt) {
        return new AppError(
          'INTERVENTION_TOO_EARLY',
          `S2.8: intervention can be requested from ${availableAt.toISOString()}, after trying to agree with the seller.`,
          { availableAt: availableAt.toISOString() },
        );
      }
      return null;
    }
    case 'platform_decision':
      if (refund.intervention.state !== 'requested') {
        return new AppError('INTERVENTION_NOT_REQUESTED', 'The platform decides only a refund whose buyer asked for intervention.', {
          intervention: refund.intervention.state,
        });
      }
      return null;
    case 'expire':
      if (
        !refund.deadline ||
        refund.deadline.at === null ||
        refund.deadline.at > ctx.now ||
        refund.deadline.effect === 'none' ||
        refund.deadline.problem !== null
      ) {
        return new AppError('ACTION_NOT_ALLOWED', 'No deadline of this refund has passed.', { action });
      }
      return null;
    case 'close_by_shipment':
      if (refund.status !== 'WAIT_SELLER_AGREE') {
        return new AppError('ACTION_NOT_ALLOWED', 'Only a pending application closes when the order ships.', { action });
      }
      return null;
    default:
      return null;
  }
}

/** The public actions `role` could take on this refund now (for the refund's detail). */
export function allowedRefundActions(refund: Refund, ctx: RefundContext): RefundAction[] {
  return publicRefundActions.filter((action) => checkRefundAction(refund, action, ctx) === null);
}

function moveTo(refund: Refund, status: RefundStatus, ctx: RefundContext): Refund {
  return { ...refund, status, updatedAt: ctx.now };
}

function agree(refund: Refund, returnAddress: string | null | undefined, ctx: RefundContext): RefundChange {
  if (refund.type === 'refund_only') {
    // S2.5: an agreed refund-only pays out at once.
    return { refund: moveTo(refund, 'SUCCESS', ctx), payoutFen: refund.amountFen, data: {} };
  }
  const address = returnAddress?.trim() || ctx.settings.returnAddress;
  if (!address) {
    throw new AppError('RETURN_ADDRESS_REQUIRED', 'S2.5: agreeing a return needs the return address (退货地址); give one, or set the shop\'s default.', {});
  }
  // S2.5: 退款协议达成,等待买家退货
  return {
    refund: { ...moveTo(refund, 'WAIT_BUYER_RETURN_GOODS', ctx), returnAddress: address },
    payoutFen: null,
    data: { returnAddress: address },
  };
}

function applyAction(refund: Refund, cmd: RefundCommand, ctx: RefundContext): RefundChange {
  switch (cmd.action) {
    case 'agree':
      return agree(refund, cmd.returnAddress, ctx);
    case 'refuse': {
      const reason = cmd.reason.trim();
      const evidence = cmd.evidence.map((e) => e.trim()).filter((e) => e.length > 0);
      if (reason.length < 2 || evidence.length === 0) {
        throw new AppError(
          'REFUSAL_NEEDS_EVIDENCE',
          'S2.8: refusing needs a reason (at least 2 characters) and at least one piece of valid evidence (有效凭证).',
          { reasonLength: reason.length, evidenceCount: evidence.length },
        );
      }
      const refusal = { reason, evidence, at: ctx.now };
      return { refund: { ...moveTo(refund, 'SELLER_REFUSE_BUYER', ctx), refusal }, payoutFen: null, data: { reason, evidence } };
    }
    case 'modify': {
      const next: Refund = {
        ...refund,
        type: cmd.type ?? refund.type,
        reason: cmd.reason ?? refund.reason,
        goodsStatus: cmd.goodsStatus ?? refund.goodsStatus,
        description: cmd.description ?? refund.description,
        evidence: cmd.evidence ?? refund.evidence,
      };
      checkRefundShape({ order: ctx.order, type: next.type, goodsStatus: next.goodsStatus, reason: next.reason });
      const amountFen = resolveRefundAmount({
        order: ctx.order,
        siblings: ctx.siblings,
        lineNo: refund.lineNo,
        goodsStatus: next.goodsStatus,
        reason: next.reason,
        // goods not received are refunded in full (S3.2): the amount follows what is still refundable
        requestedFen: cmd.amountFen ?? (next.goodsStatus === 'not_received' ? undefined : refund.amountFen),
      });
      // S2.7: a modification goes back to the seller and restarts the answer time.
      const modified: Refund = {
        ...moveTo(next, 'WAIT_SELLER_AGREE', ctx),
        amountFen,
        refusal: null,
        returnAddress: null,
        returnShipment: null,
        intervention: { state: 'none', requestedAt: null, outcome: null, decidedAt: null, note: null },
      };
      return { refund: modified, payoutFen: null, data: {} };
    }
    case 'withdraw':
      return { refund: { ...moveTo(refund, 'CLOSED', ctx), closeReason: 'withdrawn by the buyer' }, payoutFen: null, data: {} };
    case 'return_shipment': {
      const courier = cmd.courier.trim();
      const trackingNo = cmd.trackingNo.trim();
      if (!courier || !trackingNo) {
        throw new AppError('VALIDATION_FAILED', 'S3.4: the return needs the courier and the tracking number.', {});
      }
      return {
        refund: {
          ...moveTo(refund, 'WAIT_SELLER_CONFIRM_GOODS', ctx),
          goodsStatus: 'returned',
          returnShipment: { courier, trackingNo, shippedAt: ctx.now },
        },
        payoutFen: null,
        data: { courier, trackingNo },
      };
    }
    case 'confirm_receipt':
      return { refund: moveTo(refund, 'SUCCESS', ctx), payoutFen: refund.amountFen, data: {} };
    case 'request_intervention':
      return {
        refund: {
          ...moveTo(refund, 'SELLER_REFUSE_BUYER', ctx),
          intervention: { state: 'requested', requestedAt: ctx.now, outcome: null, decidedAt: null, note: cmd.note?.trim() || null },
        },
        payoutFen: null,
        data: cmd.note ? { note: cmd.note } : {},
      };
    case 'platform_decision': {
      const intervention = {
        ...refund.intervention,
        state: 'decided' as const,
        outcome: cmd.outcome,
        decidedAt: ctx.now,
        note: cmd.note.trim(),
      };
      if (cmd.outcome === 'refund') {
        return { refund: { ...moveTo(refund, 'SUCCESS', ctx), intervention }, payoutFen: refund.amountFen, data: { outcome: cmd.outcome } };
      }
      return {
        refund: { ...moveTo(refund, 'CLOSED', ctx), intervention, closeReason: 'the platform decided not to refund' },
        payoutFen: null,
        data: { outcome: cmd.outcome },
      };
    }
    case 'expire':
      return expire(refund, ctx);
    case 'close_by_shipment':
      return { refund: { ...moveTo(refund, 'CLOSED', ctx), closeReason: cmd.note }, payoutFen: null, data: {} };
  }
}

function expire(refund: Refund, ctx: RefundContext): RefundChange {
  const kind = refund.deadline?.kind;
  const data = { deadline: kind, due: refund.deadline?.at?.toISOString() ?? null };
  switch (refund.deadline?.effect) {
    case 'auto_agree': {
      const change = agree(refund, null, ctx);
      return { ...change, data: { ...data, ...change.data } };
    }
    case 'close':
      return {
        refund: { ...moveTo(refund, 'CLOSED', ctx), closeReason: `timed out: ${kind}` },
        payoutFen: null,
        data,
      };
    case 'auto_refund':
      return { refund: moveTo(refund, 'SUCCESS', ctx), payoutFen: refund.amountFen, data };
    default:
      throw new AppError('ACTION_NOT_ALLOWED', 'No deadline of this refund has passed.', {});
  }
}

/**
 * Applies one command: checks who and when, applies the change, checks the
 * result against the transition table, and sets the new deadline. The version
 * goes up by one; the caller records the event.
 */
export function applyRefundCommand(refund: Refund, cmd: RefundCommand, ctx: RefundContext): RefundChange {
  const refused = checkRefundAction(refund, cmd.action, ctx);
  if (refused) throw refused;
  const change = applyAction(refund, cmd, ctx);
  const targets = allowedTargets(refund.status, cmd.action) ?? [];
  if (!targets.includes(change.refund.status)) {
    throw new Error(`transition table violated: ${refund.status} --${cmd.action}--> ${change.refund.status}`);
  }
  const restartsClock =
    change.refund.status !== refund.status || cmd.action === 'modify' || cmd.action === 'request_intervention';
  const next: Refund = { ...change.refund, version: refund.version + 1 };
  if (restartsClock) {
    next.deadline = computeDeadline({ refund: next, order: ctx.order, settings: ctx.settings, calendar: ctx.calendar, from: ctx.now });
  }
  return { ...change, refund: next };
}
