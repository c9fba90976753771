import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBench } from './bench.ts';

describe('shouhou bench', () => {
  it('runs end to end with small numbers, prints every measure and removes its temp dir', async () => {
    const lines: string[] = [];
    await runBench({ orders: 600, openRefunds: 150, out: (line) => lines.push(line) });
    const text = lines.join('\n');

    expect(text).toMatch(/setup +600 orders \([\d,]+ lines\), 150 open refunds/);
    expect(text).toMatch(/^ {2}engine +\d+ .* actions\/s/m);
    expect(text).toMatch(/^ {2}raw +\d+ .* txn\/s/m);
    expect(text).toMatch(/ratio engine \/ raw +\d+\.\d\d +≥ 0\.5 +(MET|NOT MET)/);
    expect(text).toMatch(/open-refund list p95 +[\d.]+ ms +≤ 20 ms +(MET|NOT MET)/);
    // the first page is full and comes from the queue index, in index order
    expect(text).toContain('first page by deadline (50 rows)');
    expect(text).toContain('uses the refunds_queue index; no sort step');

    const file = /file +(\S+bench\.sqlite)/.exec(text)?.[1];
    expect(file).toBeDefined();
    expect(existsSync(path.dirname(file as string))).toBe(false);
  });
});
