import { describe, expect, it } from 'vitest';
import { batchAgreeRefusal } from './batch-agree.ts';

describe('batch agree eligibility (issue 15 §2)', () => {
  it('takes a refund-only refund within the limit, the limit itself included', () => {
    expect(batchAgreeRefusal({ type: 'refund_only', amountFen: 1200 }, 5000)).toBeNull();
    expect(batchAgreeRefusal({ type: 'refund_only', amountFen: 5000 }, 5000)).toBeNull();
  });
  it('leaves out a return, whatever its amount', () => {
    expect(batchAgreeRefusal({ type: 'return_and_refund', amountFen: 100 }, 5000)).toBe('not_refund_only');
  });
  it('leaves out an amount over the limit', () => {
    expect(batchAgreeRefusal({ type: 'refund_only', amountFen: 5001 }, 5000)).toBe('over_limit');
  });
  it('a limit of 0 turns batch agree off', () => {
    expect(batchAgreeRefusal({ type: 'refund_only', amountFen: 1 }, 0)).toBe('off');
  });
});
