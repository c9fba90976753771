/**
 * S1.13 who pays the return postage (寄回的邮费是我们承担还是客户承担): settled
 * before a return is confirmed, as a value — the buyer or the shop, and the
 * amount in fen — not a tick. The S1.13 guard (GUARD_RETURN_NOT_CHECKED)
 * waits for it; a shop that pays it back does so after the refund (S1.14).
 */
import { AppError } from '../errors.ts';
import type { Fen } from '../money.ts';
import type { RefundType } from '../refund/refund-model.ts';
import { readChoice, readFen, readText, throwIfIssues, type FieldIssue } from './fields.ts';

export const returnPostagePayers = [
  /** the buyer bears it (e.g. 7天无理由 in a shop that does not give postage back) */
  'buyer',
  /** the shop bears it (the shop's fault: S1.10 not as described, S1.14 a quality issue) */
  'shop',
] as const;
export type ReturnPostagePayer = (typeof returnPostagePayers)[number];

/** A return parcel of shoes costs a few yuan to a few tens; more than this is a typing slip (yuan typed as fen…). */
export const MAX_RETURN_POSTAGE_FEN: Fen = 50_000;
export const MAX_RETURN_POSTAGE_NOTE = 200;

export interface ReturnPostage {
  payer: ReturnPostagePayer;
  amountFen: Fen;
  note: string | null;
}

/** The decision as given, checked: a known payer, whole fen from 0 (the buyer's, not yet known) to 500.00 yuan, the shop's more than 0. */
export function validateReturnPostage(input: { payer: unknown; amountFen: unknown; note?: unknown }, refund: { type: RefundType }): ReturnPostage {
  if (refund.type !== 'return_and_refund') {
    throw new AppError('ACTION_NOT_ALLOWED', 'S1.13: only a return (退货退款) has a parcel coming back, and postage to settle.', { reason: 'not_a_return' });
  }
  const issues: FieldIssue[] = [];
  const payer = readChoice(issues, input.payer, returnPostagePayers, { field: 'payer', label: 'Who pays the return postage' });
  const amountFen = readFen(issues, input.amountFen, { field: 'amountFen', label: 'The return postage', min: payer === 'shop' ? 1 : 0 });
  if (amountFen !== null && amountFen > MAX_RETURN_POSTAGE_FEN) {
    issues.push({
      field: 'amountFen',
      reason: 'amount_fen_too_large',
      message: `The return postage may be at most ${MAX_RETURN_POSTAGE_FEN / 100} yuan (${MAX_RETURN_POSTAGE_FEN} fen); was it typed in yuan?`,
      limit: MAX_RETURN_POSTAGE_FEN,
    });
  }
  const note = readText(issues, input.note, { field: 'note', label: 'The note', min: 0, max: MAX_RETURN_POSTAGE_NOTE });
  throwIfIssues('S1.13 return postage', issues);
  return { payer: payer!, amountFen: amountFen!, note };
}

/** The decision in the seed's words, for the checklist and the remark: "邮费由店铺承担 ¥12.00". */
export function returnPostageText(p: Pick<ReturnPostage, 'payer' | 'amountFen'>): string {
  const yuan = `${Math.floor(p.amountFen / 100)}.${String(p.amountFen % 100).padStart(2, '0')}`;
  return `${p.payer === 'shop' ? '邮费由店铺承担' : '邮费由客户承担'} ¥${yuan}`;
}
