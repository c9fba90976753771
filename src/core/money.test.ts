/** Fen arithmetic: sharing an amount by weight, to the fen (issue 13 §7). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shareByWeight } from './money.ts';

describe('shareByWeight', () => {
  it('S3.3 shares by the largest remainder: the odd fen go to the biggest fractions, ties to the earlier part', () => {
    expect(shareByWeight(30_800, [19_900, 12_900])).toEqual([18_687, 12_113]);
    expect(shareByWeight(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(shareByWeight(0, [5, 7])).toEqual([0, 0]);
    // all weights zero: shared equally
    expect(shareByWeight(5, [0, 0])).toEqual([3, 2]);
    expect(shareByWeight(7, [])).toEqual([]);
  });

  it('S3.3 the shares add up to the total exactly and stay within each weight when the total does, even past 2^53 in products', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000_000 }), { minLength: 1, maxLength: 30 }), fc.double({ min: 0, max: 1, noNaN: true }), (weights, part) => {
        const sum = weights.reduce((s, w) => s + w, 0);
        const total = Math.floor(sum * part);
        const shares = shareByWeight(total, weights);
        expect(shares.reduce((s, x) => s + x, 0)).toBe(total);
        shares.forEach((x, i) => {
          expect(Number.isSafeInteger(x) && x >= 0).toBe(true);
          if (sum > 0) expect(x).toBeLessThanOrEqual(weights[i]!);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('refuses what is not an amount or not a weight', () => {
    expect(() => shareByWeight(-1, [1])).toThrow(RangeError);
    expect(() => shareByWeight(1.5, [1])).toThrow(RangeError);
    expect(() => shareByWeight(1, [-1])).toThrow(RangeError);
  });
});
