/** S1.7 the lost-parcel claim form (索赔单): opened → stamped → filed → compensated → closed | cancelled. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import {
  applyClaimAction,
  claimActionRoles,
  claimActions,
  claimStatuses,
  claimTransitions,
  openClaim,
  validateClaimForm,
  type Claim,
  type ClaimCommand,
  type ClaimFormInput,
} from './claim.ts';

const ctx = { now: new Date('2026-03-02T02:00:00.000Z') };
const form: ClaimFormInput = {
  orderNo: '3021458796541236587',
  sku: 'XB-2026-018',
  size: '37',
  courier: '圆通速递',
  trackingNo: 'YT7512345678901',
  itemPriceFen: 15900,
};

function details(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message, ...e.details };
    throw e;
  }
  throw new Error('expected an AppError');
}

function run(claim: Claim, ...commands: ClaimCommand[]): Claim {
  return commands.reduce((c, cmd) => applyClaimAction(c, cmd, ctx).record, claim);
}

describe('validateClaimForm', () => {
  it('S1.7 accepts the full form and normalizes the tracking number', () => {
    expect(validateClaimForm({ ...form, trackingNo: ' yt 7512 3456 78901 ' })).toEqual({ ...form, buyerChoice: null });
    expect(validateClaimForm({ ...form, trackingNo: 'ＹＴ７５１２３４５６７８９０１' }).trackingNo).toBe('YT7512345678901');
  });

  it('S1.7 requires every field of the form, one message per field', () => {
    const d = details(() =>
      validateClaimForm({ orderNo: '', sku: ' ', size: '', courier: '', trackingNo: '', itemPriceFen: undefined as unknown as number }),
    ) as { code: string; reason: string; issues: { field: string; reason: string; message: string }[]; message: string };
    expect(d.code).toBe('VALIDATION_FAILED');
    expect(d.reason).toBe('order_no_required');
    expect(d.issues.map((i) => i.reason)).toEqual([
      'order_no_required',
      'sku_required',
      'size_required',
      'courier_required',
      'tracking_no_required',
      'item_price_fen_required',
    ]);
    expect(d.issues.find((i) => i.field === 'sku')?.message).toContain('货号');
    expect(d.message).toContain('尺码');
  });

  it('S1.7 the item price is a positive whole number of fen; the tracking number looks like one', () => {
    expect(details(() => validateClaimForm({ ...form, itemPriceFen: 0 }))).toMatchObject({ reason: 'item_price_fen_not_positive' });
    expect(details(() => validateClaimForm({ ...form, itemPriceFen: 159.9 }))).toMatchObject({ reason: 'item_price_fen_not_integer_fen' });
    expect(details(() => validateClaimForm({ ...form, trackingNo: '圆通12' }))).toMatchObject({ reason: 'tracking_no_invalid_format' });
    expect(details(() => validateClaimForm({ ...form, size: '37码特别宽松版本号' + 'x'.repeat(5) }))).toMatchObject({ reason: 'size_too_long', limit: 10 });
  });

  it('S1.7 a reship needs its own new tracking number; a refund needs none', () => {
    expect(validateClaimForm({ ...form, buyerChoice: { choice: 'refund' } }).buyerChoice).toEqual({ choice: 'refund' });
    expect(validateClaimForm({ ...form, buyerChoice: { choice: 'reship', trackingNo: 'SF1234567890123' } }).buyerChoice).toEqual({
      choice: 'reship',
      trackingNo: 'SF1234567890123',
      courier: null,
    });
    expect(details(() => validateClaimForm({ ...form, buyerChoice: { choice: 'reship' } }))).toMatchObject({
      field: 'buyerChoice.trackingNo',
      reason: 'tracking_no_required',
    });
    expect(details(() => validateClaimForm({ ...form, buyerChoice: { choice: 'reship', trackingNo: form.trackingNo } }))).toMatchObject({
      reason: 'tracking_no_same_as_lost',
    });
    expect(details(() => validateClaimForm({ ...form, buyerChoice: { choice: 'exchange' as 'refund' } }))).toMatchObject({
      reason: 'choice_unknown_value',
    });
  });
});

describe('the claim form lifecycle', () => {
  const opened = openClaim(form, ctx);

  it('S1.7 stamp by finance, file (original to the warehouse, copy to finance), remark 索赔单已开', () => {
    expect(opened.status).toBe('opened');
    const stamped = applyClaimAction(opened, { action: 'stamp' }, ctx);
    expect(stamped).toMatchObject({ from: 'opened', to: 'stamped', orderRemark: null });
    expect(claimActionRoles.stamp).toEqual(['finance']);
    const filed = applyClaimAction(stamped.record, { action: 'file' }, ctx);
    expect(filed.to).toBe('filed');
    expect(filed.record.filed).toEqual({ at: ctx.now.toISOString(), originalTo: 'warehouse', copyTo: 'finance' });
    expect(filed.orderRemark).toBe('索赔单已开');
  });

  it('S1.7 cannot file before finance stamped the original', () => {
    expect(details(() => applyClaimAction(opened, { action: 'file' }, ctx))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      reason: 'transition_not_allowed',
      allowedActions: ['stamp', 'record_buyer_choice', 'cancel'],
    });
  });

  it('S1.7 the courier compensates 0 or more fen, then the claim closes once the buyer chose', () => {
    const filed = run(opened, { action: 'stamp' }, { action: 'file' });
    expect(details(() => applyClaimAction(filed, { action: 'compensate', amountFen: -1 }, ctx))).toMatchObject({ reason: 'amount_fen_negative' });
    const compensated = run(filed, { action: 'compensate', amountFen: 0, note: '快递只赔运费' });
    expect(compensated.compensation).toMatchObject({ amountFen: 0, note: '快递只赔运费' });
    expect(details(() => applyClaimAction(compensated, { action: 'close' }, ctx))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      reason: 'buyer_choice_missing',
    });
    const chose = applyClaimAction(compensated, { action: 'record_buyer_choice', buyerChoice: { choice: 'reship', trackingNo: 'SF1234567890123', courier: '顺丰' } }, ctx);
    expect(chose).toMatchObject({ from: 'compensated', to: 'compensated', data: { previous: null } });
    expect(run(chose.record, { action: 'close' })).toMatchObject({ status: 'closed', closed: { note: null } });
  });

  it('S1.7 the buyer\'s choice can be recorded from the start and changed until closing', () => {
    const withChoice = run(opened, { action: 'record_buyer_choice', buyerChoice: { choice: 'refund' } });
    expect(withChoice).toMatchObject({ status: 'opened', buyerChoice: { choice: 'refund' } });
    expect(details(() => applyClaimAction(withChoice, { action: 'record_buyer_choice', buyerChoice: null as never }, ctx))).toMatchObject({
      reason: 'buyer_choice_required',
    });
  });

  it('S1.7 cancels from opened or stamped with a reason, not once filed', () => {
    expect(run(opened, { action: 'cancel', reason: '快递找到了' })).toMatchObject({ status: 'cancelled', cancelled: { reason: '快递找到了' } });
    expect(run(opened, { action: 'stamp' }, { action: 'cancel', reason: '快递找到了' }).status).toBe('cancelled');
    const filed = run(opened, { action: 'stamp' }, { action: 'file' });
    expect(details(() => applyClaimAction(filed, { action: 'cancel', reason: '快递找到了' }, ctx))).toMatchObject({ code: 'ACTION_NOT_ALLOWED' });
    expect(details(() => applyClaimAction(opened, { action: 'cancel', reason: '' }, ctx))).toMatchObject({ reason: 'reason_required' });
  });

  it('S1.7 the table: closed and cancelled are final; every status is reachable; every action has roles', () => {
    expect(Object.keys(claimTransitions.closed)).toEqual([]);
    expect(Object.keys(claimTransitions.cancelled)).toEqual([]);
    const reached = new Set<string>(['opened']);
    for (const row of Object.values(claimTransitions)) for (const to of Object.values(row)) reached.add(to);
    expect([...reached].sort()).toEqual([...claimStatuses].sort());
    for (const action of claimActions) expect(claimActionRoles[action].length).toBeGreaterThan(0);
  });
});
