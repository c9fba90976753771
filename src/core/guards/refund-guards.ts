/**
 * The mistakes that cost money, refused (S1.1, S1.5, S1.13, S1.15, S1.16).
 * Which guards apply to a refund comes from the shop's rule set (the rules
 * that match it list them); this decides whether an action breaks one.
 */
import type { Order, Refund } from '../refund/refund-model.ts';

export const guardCodes = [
  'GUARD_REASON_NEEDS_CHANGE',
  'GUARD_RETURN_NOT_CHECKED',
  'GUARD_UNSHIPPED_NOT_VOIDED',
  'GUARD_AMOUNT_NOT_CONFIRMED',
  'GUARD_ALREADY_REFUNDED',
  'GUARD_REFUSAL_FACTS_MISSING',
] as const;
export type GuardCode = (typeof guardCodes)[number];

/** The rule each guard enforces. */
export const guardRules = {
  GUARD_REASON_NEEDS_CHANGE: 'S1.5',
  GUARD_RETURN_NOT_CHECKED: 'S1.13',
  GUARD_UNSHIPPED_NOT_VOIDED: 'S1.1',
  GUARD_AMOUNT_NOT_CONFIRMED: 'S1.1',
  GUARD_ALREADY_REFUNDED: 'S1.16',
  GUARD_REFUSAL_FACTS_MISSING: 'S1.15',
} as const satisfies Record<GuardCode, string>;

export type GuardedAction = 'agree' | 'refuse' | 'confirm_receipt';

export interface GuardFacts {
  action: GuardedAction;
  refund: Refund;
  order: Order;
  /** the guards the matching rules of the shop's rule set list */
  applicable: readonly GuardCode[];
  /** S1.1: the unshipped batch line of this refund, if any */
  batchLine: 'pending' | 'voided' | 'already_shipped' | null;
  /** S1.1: the amount the agent confirmed against the order, from the request */
  confirmedAmountFen: number | undefined;
  /** S1.13: the warehouse recorded the return's arrival */
  warehouseReceived: boolean;
  /** S1.13: the checklist items of the rules that list GUARD_RETURN_NOT_CHECKED, not yet done */
  openChecks: string[];
  /** S1.16: when the order was remarked "客户申请了售后退款", if it was */
  afterSaleRemarkAt: Date | null;
  /** S1.16: the order's other refunds */
  siblings: readonly Refund[];
  /** S1.15: what is known before refusing */
  refusal: {
    productFactsKnown: boolean;
    buyerProblem: boolean;
    chatEvidence: boolean;
    phoneCallLogged: boolean;
  };
}

export interface GuardViolation {
  code: GuardCode;
  rule: string;
  message: string;
  missing?: string[];
}

function violation(code: GuardCode, message: string, missing?: string[]): GuardViolation {
  return { code, rule: guardRules[code], message, ...(missing ? { missing } : {}) };
}

/** The guards the action breaks, in a fixed order; empty when it may go ahead. */
export function checkGuards(f: GuardFacts): GuardViolation[] {
  const out: GuardViolation[] = [];
  const applies = (code: GuardCode) => f.applicable.includes(code);
  const unshipped = f.order.shipment === null;
  if (f.action === 'agree') {
    if (applies('GUARD_REASON_NEEDS_CHANGE') && (f.refund.reason === 'not_as_described' || f.refund.reason === 'quality')) {
      out.push(
        violation(
          'GUARD_REASON_NEEDS_CHANGE',
          'S1.5: a refund for 收到商品不符 or 商品质量问题 is not agreed as it stands: phone the buyer to change the reason, then leave a Wangwang message as the written trace.',
        ),
      );
    }
    if (unshipped && applies('GUARD_UNSHIPPED_NOT_VOIDED') && f.batchLine !== 'voided') {
      out.push(
        violation(
          'GUARD_UNSHIPPED_NOT_VOIDED',
          f.batchLine === null
            ? 'S1.1: submit the order to the warehouse in the day\'s unshipped batch (未发退) and wait until it is voided; a warehouse remark alone never authorises a refund.'
            : f.batchLine === 'already_shipped'
              ? 'S1.1: the warehouse says the order already left; mark it shipped (S2.2) instead of refunding.'
              : 'S1.1: the warehouse has not confirmed the void of this order yet.',
        ),
      );
    }
    if (unshipped && applies('GUARD_AMOUNT_NOT_CONFIRMED') && f.confirmedAmountFen !== f.refund.amountFen) {
      out.push(
        violation(
          'GUARD_AMOUNT_NOT_CONFIRMED',
          `S1.1: confirm the amount against the order yourself (confirmedAmountFen = ${f.refund.amountFen}) before refunding.`,
        ),
      );
    }
    if (applies('GUARD_ALREADY_REFUNDED')) {
      const earlierRemark = f.afterSaleRemarkAt !== null && f.afterSaleRemarkAt < f.refund.createdAt;
      const otherAfterSale = f.siblings.some((r) => r.status === 'SUCCESS' && r.phase === 'after_sale');
      const refunded = f.siblings.filter((r) => r.status === 'SUCCESS').reduce((s, r) => s + r.amountFen, 0);
      if (earlierRemark || otherAfterSale || refunded >= f.order.paidFen) {
        out.push(
          violation(
            'GUARD_ALREADY_REFUNDED',
            'S1.16: this order was already refunded after sale (remarked "客户申请了售后退款"); check before refunding it twice.',
          ),
        );
      }
    }
  }
  if (f.action === 'confirm_receipt' && applies('GUARD_RETURN_NOT_CHECKED')) {
    const missing = [...(f.warehouseReceived ? [] : ['仓库备注收到退货']), ...f.openChecks];
    if (missing.length > 0) {
      out.push(
        violation(
          'GUARD_RETURN_NOT_CHECKED',
          'S1.13: a return is refunded only after the warehouse recorded its arrival and the three looks (三看) are ticked.',
          missing,
        ),
      );
    }
  }
  if (f.action === 'refuse' && applies('GUARD_REFUSAL_FACTS_MISSING')) {
    const r = f.refusal;
    const missing = [
      ...(f.order.shipment?.signedAt ? [] : ['签收时间']),
      ...(r.productFactsKnown ? [] : ['是否热卖款/主推款与单款评分']),
      ...(r.buyerProblem ? [] : ['客户的问题']),
      ...(r.chatEvidence ? [] : ['聊天记录']),
      ...(r.phoneCallLogged ? [] : ['电话联系客户说明拒绝原因']),
    ];
    if (missing.length > 0) {
      out.push(
        violation(
          'GUARD_REFUSAL_FACTS_MISSING',
          'S1.15: before refusing, gather the sign time, whether the style is hot-selling or main-promoted, its rating, the buyer\'s problem and the chat records, and phone the buyer with the clear reason.',
          missing,
        ),
      );
    }
  }
  return out;
}
