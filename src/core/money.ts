/** Money is integer fen (分) everywhere: never a float, never a decimal string. */
export type Fen = number;

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function sumFen(values: readonly Fen[]): Fen {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** 12345 → "123.45" (for messages and exports; never parsed back). */
export function formatYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * `total` fen shared among parts in proportion to their weights, by the
 * largest remainder: every share is whole fen and the shares add up to
 * `total` exactly (the biggest fractions get the odd fen; ties go to the
 * earlier part). All weights zero: shared equally. Exact in BigInt.
 */
export function shareByWeight(total: Fen, weights: readonly number[]): Fen[] {
  if (weights.length === 0) return [];
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`shareByWeight: ${total} is not an amount of fen`);
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError('shareByWeight: weights are whole numbers of at least 0');
  const ws = weights.every((w) => w === 0) ? weights.map(() => 1n) : weights.map((w) => BigInt(w));
  const sum = ws.reduce((s, w) => s + w, 0n);
  const t = BigInt(total);
  const floors = ws.map((w) => (t * w) / sum);
  const remainders = ws.map((w, i) => ({ i, r: t * w - floors[i]! * sum }));
  let left = t - floors.reduce((s, f) => s + f, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    floors[i]! += 1n;
    left -= 1n;
  }
  return floors.map(Number);
}
