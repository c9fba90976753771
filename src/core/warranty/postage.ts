/**
 * S4.3 postage as money (issue 13): the decision splits each leg of a
 * send-back's round trip in percents (往返运费由您和我司各承担一半); this turns
 * the courier's actual charges (in fen) into each side's share, what one side
 * owes the other once who paid the courier is known, and whether that was
 * settled. Shares are rounded down to the fen for the buyer (splitPostageFen);
 * the shop pays the rest.
 */
import type { Fen } from '../money.ts';
import type { Role } from '../roles.ts';
import { splitPostageFen, type PostageLegName } from './decide.ts';

export const postageLegs = ['buyer_to_shop', 'shop_to_buyer'] as const satisfies readonly PostageLegName[];

/** Who handed the courier the money for a leg. */
export const postagePayers = [
  /** 寄付 by the buyer, or 到付 paid by the buyer on arrival */
  'buyer',
  /** paid by the shop (寄付 from the warehouse, or 到付 on arrival at the shop) */
  'shop',
] as const;
export type PostagePayer = (typeof postagePayers)[number];

/** How the balance between the two sides was settled. */
export const postageSettleMethods = [
  /** 支付宝 transfer (S1.14: the buyer's Alipay account and name) */
  'alipay',
  /** 微信支付 */
  'wechat_pay',
  'bank_transfer',
  'cash',
  /** the side owed let it go (recorded with the reason) */
  'waived',
] as const;
export type PostageSettleMethod = (typeof postageSettleMethods)[number];

export interface PostageCharge {
  leg: PostageLegName;
  /** what the courier charged for the leg */
  chargedFen: Fen;
  paidBy: PostagePayer;
  trackingNo: string | null;
}

export interface PostageLegAccount extends PostageCharge {
  /** the decision's share of this leg for the buyer, in percent */
  buyerPercent: number;
  buyerShareFen: Fen;
  shopShareFen: Fen;
}

export interface PostageSettlement {
  at: string;
  by: Role;
  method: PostageSettleMethod;
  /** what changed hands (0 when waived) */
  amountFen: Fen;
  direction: 'shop_to_buyer' | 'buyer_to_shop';
  /** the transfer's number, when there is one */
  reference: string | null;
  note: string | null;
}

export interface PostageAccount {
  /** the clause of the split (the decision's postage clause) */
  clauseId: string;
  legs: PostageLegAccount[];
  /** positive: the shop owes the buyer (its share of a leg the buyer paid); negative: the buyer owes the shop */
  shopOwesBuyerFen: Fen;
  recordedAt: string;
  recordedBy: Role;
  settled: PostageSettlement | null;
}

/** Each side's share of the charges under the decision's split, and the balance between them. */
export function accountPostage(options: {
  clauseId: string;
  /** the decision's buyer percent of each leg */
  split: readonly { leg: PostageLegName; buyerPercent: number }[];
  charges: readonly PostageCharge[];
}): Pick<PostageAccount, 'clauseId' | 'legs' | 'shopOwesBuyerFen'> {
  let balance = 0;
  const legs = options.charges.map((charge): PostageLegAccount => {
    const buyerPercent = options.split.find((s) => s.leg === charge.leg)?.buyerPercent ?? 100;
    const { buyerFen, shopFen } = splitPostageFen(charge.chargedFen, buyerPercent);
    // who paid the courier carries the other side's share until it is settled
    balance += charge.paidBy === 'buyer' ? shopFen : -buyerFen;
    return { ...charge, buyerPercent, buyerShareFen: buyerFen, shopShareFen: shopFen };
  });
  return { clauseId: options.clauseId, legs, shopOwesBuyerFen: balance };
}

/** Whether something is still owed between the two sides. */
export function postageOutstanding(account: PostageAccount | null | undefined): boolean {
  return !!account && account.shopOwesBuyerFen !== 0 && account.settled === null;
}
