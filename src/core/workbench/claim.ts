/**
 * S1.7 the lost-parcel claim form (索赔单): opened when the courier lost the
 * parcel (掉件, S1.6); finance stamps the original; the original goes to the
 * warehouse and a copy to finance (filed, and the order is remarked
 * "索赔单已开"); the courier compensates; closed once the buyer chose reship
 * (补发) or refund (退款重新拍).
 */
import { AppError } from '../errors.ts';
import type { Fen } from '../money.ts';
import type { Role } from '../roles.ts';
import { issue, readChoice, readFen, readText, readTrackingNo, throwIfIssues, type FieldIssue } from './fields.ts';
import { requireTransition, type RecordChange, type TransitionTable, type WorkbenchContext } from './record-machine.ts';
import { milestoneRemarks } from './templates.ts';

export const claimStatuses = [
  /** filled in by the agent */
  'opened',
  /** finance stamped the original (盖章) */
  'stamped',
  /** original to the warehouse, copy to finance; the order remarked 索赔单已开 */
  'filed',
  /** the courier paid the compensation */
  'compensated',
  /** settled with the buyer too (final) */
  'closed',
  /** not claimed after all, before filing (final) */
  'cancelled',
] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

export const claimActions = ['stamp', 'file', 'record_buyer_choice', 'compensate', 'close', 'cancel'] as const;
export type ClaimAction = (typeof claimActions)[number];

export const claimTransitions = {
  opened: { stamp: 'stamped', record_buyer_choice: 'opened', cancel: 'cancelled' },
  stamped: { file: 'filed', record_buyer_choice: 'stamped', cancel: 'cancelled' },
  filed: { record_buyer_choice: 'filed', compensate: 'compensated' },
  compensated: { record_buyer_choice: 'compensated', close: 'closed' },
  closed: {},
  cancelled: {},
} as const satisfies TransitionTable<ClaimStatus, ClaimAction>;

export const claimActionRoles = {
  stamp: ['finance'],
  file: ['agent', 'supervisor'],
  record_buyer_choice: ['agent', 'supervisor'],
  compensate: ['agent', 'supervisor', 'finance'],
  close: ['agent', 'supervisor'],
  cancel: ['agent', 'supervisor'],
} as const satisfies Record<ClaimAction, readonly Role[]>;

export const buyerChoiceKinds = [
  /** 补发: a new parcel, with its own tracking number */
  'reship',
  /** 退款重新拍: refund, the buyer orders again */
  'refund',
] as const;
export type BuyerChoiceKind = (typeof buyerChoiceKinds)[number];

export type BuyerChoice = { choice: 'reship'; trackingNo: string; courier: string | null } | { choice: 'refund' };

export interface BuyerChoiceInput {
  choice: BuyerChoiceKind;
  /** reship: the new parcel's tracking number */
  trackingNo?: string | null | undefined;
  /** reship: the courier of the new parcel when it is not the one that lost it */
  courier?: string | null | undefined;
}

export interface ClaimFormInput {
  orderNo: string;
  /** 货号 */
  sku: string;
  /** 尺码 */
  size: string;
  /** the courier that lost the parcel */
  courier: string;
  trackingNo: string;
  /** 宝贝价位 */
  itemPriceFen: Fen;
  buyerChoice?: BuyerChoiceInput | null | undefined;
}

export interface ClaimForm {
  orderNo: string;
  sku: string;
  size: string;
  courier: string;
  trackingNo: string;
  itemPriceFen: Fen;
  buyerChoice: BuyerChoice | null;
}

export interface Claim extends ClaimForm {
  status: ClaimStatus;
  openedAt: string;
  stampedAt: string | null;
  filed: { at: string; originalTo: 'warehouse'; copyTo: 'finance' } | null;
  compensation: { amountFen: Fen; note: string | null; at: string } | null;
  closed: { at: string; note: string | null } | null;
  cancelled: { reason: string; at: string } | null;
  updatedAt: string;
}

export type ClaimCommand =
  | { action: 'stamp' }
  | { action: 'file' }
  | { action: 'record_buyer_choice'; buyerChoice: BuyerChoiceInput }
  /** what the courier paid: 0 or more fen */
  | { action: 'compensate'; amountFen: Fen; note?: string | null | undefined }
  | { action: 'close'; note?: string | null | undefined }
  | { action: 'cancel'; reason: string };

export interface ClaimChange extends RecordChange<Claim, ClaimStatus, ClaimAction> {
  /** the remark the order takes with this change (S1.7: 索赔单已开 when filed), else null */
  orderRemark: string | null;
}

const labels = {
  orderNo: 'The order number (订单编号)',
  sku: 'The item code (货号)',
  size: 'The size (尺码)',
  courier: 'The courier (物流公司)',
  trackingNo: 'The tracking number (物流单号)',
  itemPriceFen: 'The item price (宝贝价位)',
} as const;

function readBuyerChoice(issues: FieldIssue[], value: BuyerChoiceInput | null | undefined, lostTrackingNo: string | null): BuyerChoice | null {
  if (value === undefined || value === null) return null;
  const choice = readChoice(issues, value.choice, buyerChoiceKinds, { field: 'buyerChoice.choice', label: "The buyer's choice (补发 or 退款)" });
  if (choice !== 'reship') return choice === 'refund' ? { choice } : null;
  const trackingNo = readTrackingNo(issues, value.trackingNo, {
    field: 'buyerChoice.trackingNo',
    label: 'The new tracking number of the reship (补发)',
  });
  if (trackingNo !== null && trackingNo === lostTrackingNo) {
    issues.push(issue('buyerChoice.trackingNo', 'same_as_lost', 'The reship tracking number is the lost parcel\'s; a reship (补发) is a new parcel with its own number.'));
  }
  const courier = readText(issues, value.courier, { field: 'buyerChoice.courier', label: 'The reship courier', min: 0, max: 30 });
  return trackingNo === null ? null : { choice, trackingNo, courier };
}

/** S1.7: every field of the form, with one message per field that is wrong. */
export function validateClaimForm(input: ClaimFormInput): ClaimForm {
  const issues: FieldIssue[] = [];
  const orderNo = readText(issues, input.orderNo, { field: 'orderNo', label: labels.orderNo, min: 1, max: 64 });
  const sku = readText(issues, input.sku, { field: 'sku', label: labels.sku, min: 1, max: 40 });
  const size = readText(issues, input.size, { field: 'size', label: labels.size, min: 1, max: 10 });
  const courier = readText(issues, input.courier, { field: 'courier', label: labels.courier, min: 1, max: 30 });
  const trackingNo = readTrackingNo(issues, input.trackingNo, { field: 'trackingNo', label: labels.trackingNo });
  const itemPriceFen = readFen(issues, input.itemPriceFen, { field: 'itemPriceFen', label: labels.itemPriceFen, min: 1 });
  const buyerChoice = readBuyerChoice(issues, input.buyerChoice, trackingNo);
  throwIfIssues('S1.7 claim form (索赔单)', issues);
  return {
    orderNo: orderNo as string,
    sku: sku as string,
    size: size as string,
    courier: courier as string,
    trackingNo: trackingNo as string,
    itemPriceFen: itemPriceFen as Fen,
    buyerChoice,
  };
}

/** S1.7: opens a validated claim form. */
export function openClaim(input: ClaimFormInput, ctx: WorkbenchContext): Claim {
  const form = validateClaimForm(input);
  const at = ctx.now.toISOString();
  return {
    ...form,
    status: 'opened',
    openedAt: at,
    stampedAt: null,
    filed: null,
    compensation: null,
    closed: null,
    cancelled: null,
    updatedAt: at,
  };
}

/** Moves a claim along S1.7; each action checks its own input. */
export function applyClaimAction(claim: Claim, command: ClaimCommand, ctx: WorkbenchContext): ClaimChange {
  const to = requireTransition('claim', claimTransitions, claim.status, command.action);
  const at = ctx.now.toISOString();
  const moved: Claim = { ...claim, status: to, updatedAt: at };
  const change = (record: Claim, data: Record<string, unknown> = {}, orderRemark: string | null = null): ClaimChange => ({
    record,
    action: command.action,
    from: claim.status,
    to,
    data,
    orderRemark,
  });
  const issues: FieldIssue[] = [];
  switch (command.action) {
    case 'stamp':
      return change({ ...moved, stampedAt: at });
    case 'file':
      return change({ ...moved, filed: { at, originalTo: 'warehouse', copyTo: 'finance' } }, {}, milestoneRemarks.claimOpened);
    case 'record_buyer_choice': {
      if (command.buyerChoice === undefined || command.buyerChoice === null) {
        issues.push(issue('buyerChoice', 'required', "The buyer's choice (补发 or 退款) is required."));
      }
      const buyerChoice = readBuyerChoice(issues, command.buyerChoice, claim.trackingNo);
      throwIfIssues('S1.7 the buyer\'s choice', issues);
      return change({ ...moved, buyerChoice }, { buyerChoice, previous: claim.buyerChoice });
    }
    case 'compensate': {
      const amountFen = readFen(issues, command.amountFen, { field: 'amountFen', label: 'The compensation the courier paid', min: 0 });
      const note = readText(issues, command.note, { field: 'note', label: 'The note', min: 0, max: 500 });
      throwIfIssues('S1.7 the courier\'s compensation', issues);
      return change({ ...moved, compensation: { amountFen: amountFen as Fen, note, at } }, { amountFen, note });
    }
    case 'close': {
      if (claim.buyerChoice === null) {
        throw new AppError('ACTION_NOT_ALLOWED', 'S1.7: phone the buyer first and record the choice, reship (补发) or refund (退款重新拍), before closing the claim.', {
          reason: 'buyer_choice_missing',
          status: claim.status,
        });
      }
      const note = readText(issues, command.note, { field: 'note', label: 'The note', min: 0, max: 500 });
      throwIfIssues('S1.7 closing the claim', issues);
      return change({ ...moved, closed: { at, note } }, { note });
    }
    case 'cancel': {
      const reason = readText(issues, command.reason, { field: 'reason', label: 'The reason for cancelling', min: 2, max: 200 });
      throwIfIssues('S1.7 cancelling the claim', issues);
      return change({ ...moved, cancelled: { reason: reason as string, at } }, { reason });
    }
  }
}
