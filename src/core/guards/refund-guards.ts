/**
 * The mistakes that cost money, refused (S1.1, S1.3, S1.5, S1.8, S1.9, S1.13,
 * S1.15, S1.16).
 * Which guards apply to a refund comes from the shop's rule set (the rules
 * that match it list them); this decides whether an action breaks one.
 */
import type { Order, ReasonCode, Refund } from '../refund/refund-model.ts';

/** S1.5: the reasons a refund is not agreed with (the buyer is asked to change them). */
export const reasonsToChange: readonly ReasonCode[] = ['not_as_described', 'quality'];
/** S1.3: the unshipped-refund reasons that count against the shop (the buyer is phoned to change them). */
export const unshippedReasonsAgainstShop: readonly ReasonCode[] = ['late_shipment', 'out_of_stock'];

export const guardCodes = [
  'GUARD_REASON_NEEDS_CHANGE',
  'GUARD_RETURN_NOT_CHECKED',
  'GUARD_UNSHIPPED_NOT_VOIDED',
  'GUARD_AMOUNT_NOT_CONFIRMED',
  'GUARD_ALREADY_REFUNDED',
  'GUARD_REFUSAL_FACTS_MISSING',
  'GUARD_DAMAGED_REFUND_ONLY',
  'GUARD_UNSHIPPED_REASON_NEEDS_CHANGE',
  'GUARD_INVOICE_NOT_REGISTERED',
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
  GUARD_DAMAGED_REFUND_ONLY: 'S1.9',
  GUARD_UNSHIPPED_REASON_NEEDS_CHANGE: 'S1.3',
  GUARD_INVOICE_NOT_REGISTERED: 'S1.8',
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
  /**
   * S1.13: what is still open of the three looks (core/playbook/return-check.ts): the checklist items of
   * the rules that list GUARD_RETURN_NOT_CHECKED, the warehouse's arrival record and the postage value among them
   */
  openChecks: string[];
  /** S1.16: when the order was remarked "客户申请了售后退款", if it was */
  afterSaleRemarkAt: Date | null;
  /** S1.16: the order's other refunds */
  siblings: readonly Refund[];
  /** the contacts logged on the refund (calls, Wangwang messages) */
  contacts: readonly { channel: 'phone' | 'wangwang'; outcome: string }[];
  /** S1.3, S1.5: the reason corrections recorded on the refund (the buyer asked to change the reason) */
  corrections: readonly { fromReason: ReasonCode; askedVia: 'phone' | 'wangwang' }[];
  /** S1.8: the order has an entry in the invoice book (an invoice record not cancelled) */
  invoiceRegistered: boolean;
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
  // a reason correction asked by phone was a call to the buyer too
  const phoned = f.contacts.some((c) => c.channel === 'phone') || f.corrections.some((c) => c.askedVia === 'phone');
  if (f.action === 'agree') {
    if (applies('GUARD_REASON_NEEDS_CHANGE')) {
      // S1.5: phone first, then a Wangwang message as the written trace; a correction asked by Wangwang is its own trace
      const trace = f.contacts.some((c) => c.channel === 'wangwang') || f.corrections.some((c) => c.askedVia === 'wangwang');
      if (reasonsToChange.includes(f.refund.reason)) {
        out.push(
          violation(
            'GUARD_REASON_NEEDS_CHANGE',
            'S1.5: a refund for 收到商品不符 or 商品质量问题 is not agreed as it stands: phone the buyer to change the reason, then leave a Wangwang message as the written trace.',
          ),
        );
      } else if (f.corrections.some((c) => reasonsToChange.includes(c.fromReason)) && !trace) {
        out.push(
          violation(
            'GUARD_REASON_NEEDS_CHANGE',
            'S1.5: the buyer changed a 收到商品不符/商品质量问题 reason after a phone call; leave (and log) the Wangwang message that asked for it, as the written trace, before agreeing.',
            ['旺旺留言（修改退款原因的书面记录）'],
          ),
        );
      }
    }
    if (applies('GUARD_DAMAGED_REFUND_ONLY') && f.refund.type === 'refund_only' && f.refund.reason === 'damaged') {
      out.push(
        violation(
          'GUARD_DAMAGED_REFUND_ONLY',
          'S1.9: refund-only (仅退款) is the wrong type for goods received damaged (收到商品破损): phone the buyer (found on arrival, or after wearing?), tell them it will be refused and how to apply again as a return (退货退款); found after wearing, decide on the photos.',
          phoned ? undefined : ['电话联系客户（刚收到发现还是穿着后发现）'],
        ),
      );
    }
    if (unshipped && applies('GUARD_UNSHIPPED_REASON_NEEDS_CHANGE') && unshippedReasonsAgainstShop.includes(f.refund.reason)) {
      out.push(
        violation(
          'GUARD_UNSHIPPED_REASON_NEEDS_CHANGE',
          'S1.3: 未按约定时间发货 and 缺货 count against the shop: phone the buyer to change the reason (really out of stock: to 与卖家协商一致, S2.4) before refunding; tell a buyer whose order waits on quality checks the exact wait.',
          phoned ? ['买家修改退款原因'] : ['电话联系客户修改退款原因', '买家修改退款原因'],
        ),
      );
    }
    if (applies('GUARD_INVOICE_NOT_REGISTERED') && f.refund.reason === 'invoice' && !f.invoiceRegistered) {
      out.push(
        violation(
          'GUARD_INVOICE_NOT_REGISTERED',
          'S1.8: phone the buyer: one who needs an invoice gives the title (individual or company), which is registered in the invoice book (POST /api/v1/records/invoice) and passed to finance; one who does not is asked to change the reason and type.',
          ['发票本登记（发票抬头）'],
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
    if (f.openChecks.length > 0) {
      out.push(
        violation(
          'GUARD_RETURN_NOT_CHECKED',
          'S1.13: a return is refunded only after the warehouse recorded its arrival, the three looks (三看) are done and who pays the return postage is recorded.',
          [...f.openChecks],
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
