/**
 * Per-shop settings of the refund engine. Durations are in hours. The seed
 * gives two of them (S2.6: 3 days; S2.8: 7 working days); every other default
 * is the project's own assumption, documented in README.md.
 */
export interface ShopSettings {
  /** the shop offers 7-day no-reason returns (七天无理由), so S2.6 applies */
  offersNoReasonReturns: boolean;
  /** S2.6: the seller answers a refund whose buyer received the goods (seed: 3 days) */
  sellerAnswerReceivedHours: number;
  /** the seller answers a refund on an order not yet shipped (assumption: 2 days) */
  sellerAnswerUnshippedHours: number;
  /** the seller answers any other refund: shipped, not received (assumption: 5 days) */
  sellerAnswerShippedHours: number;
  /** the buyer ships the return after the agreement (assumption: 7 days) */
  buyerReturnHours: number;
  /** the seller confirms a shipped-back return (assumption: 10 days) */
  sellerConfirmHours: number;
  /** after a refusal the buyer modifies or asks for intervention, else it closes (assumption: 7 days) */
  buyerAfterRefusalHours: number;
  /** S2.8 "规定时间后": how long after a refusal intervention may be requested (assumption: 24 h) */
  interventionWaitHours: number;
  /** S2.8: the platform decides within this many working days (seed: 7) */
  platformDecisionWorkingDays: number;
  /** the return address offered when the seller agrees a return without naming one */
  returnAddress: string | null;
  /** the consignee and phone of the return address: a platform needs them when the seller agrees a return there (issue 12) */
  returnConsignee: string | null;
  returnPhone: string | null;
  /** S1.1: the warehouse prints labels every morning; the day's unshipped batch freezes at this time (Asia/Shanghai, HH:MM) */
  unshippedCutoff: string;
  /** S1.14: the return postage paid back, by the buyer's province and the shoe's style category */
  postageTable: { rows: { province: string; styleCategory: string; amountFen: number }[]; defaultFen?: number | undefined };
  /**
   * Issue 15: the queue's batch agree takes refund-only refunds up to this amount (fen); 0 turns it off.
   * Each refund still passes its guards as a single agree does (assumption: ¥50).
   */
  batchAgreeLimitFen: number;
}

export const defaultShopSettings: ShopSettings = {
  offersNoReasonReturns: true,
  sellerAnswerReceivedHours: 72,
  sellerAnswerUnshippedHours: 48,
  sellerAnswerShippedHours: 120,
  buyerReturnHours: 168,
  sellerConfirmHours: 240,
  buyerAfterRefusalHours: 168,
  interventionWaitHours: 24,
  platformDecisionWorkingDays: 7,
  returnAddress: null,
  returnConsignee: null,
  returnPhone: null,
  unshippedCutoff: '09:00',
  postageTable: { rows: [], defaultFen: 1000 },
  batchAgreeLimitFen: 5000,
};

/** The most a supervisor may let a batch agree take per refund (¥10,000): larger refunds are looked at one by one. */
export const BATCH_AGREE_LIMIT_MAX_FEN = 1_000_000;
