import { describe, expect, it } from 'vitest';
import { runScaleBench } from './bench-scale.ts';

/** The short mode CI runs so the bench cannot rot: tiny numbers, every measure and plan printed, no time asserted. */
const targets = [['sqlite', undefined] as const, ...(process.env.SHOUHOU_TEST_PG_URL ? [['postgres', process.env.SHOUHOU_TEST_PG_URL] as const] : [])];

const measures = [
  'queue: first page by deadline (open)',
  'view 今日未发退 (unshipped, S1.1)',
  'view 待确认收货 (S1.13)',
  'view 需改原因 (S1.5)',
  'view 即将超时 (deadline < 24 h)',
  'filter status = SELLER_REFUSE_BUYER',
  'filter status = CLOSED (history)',
  'filter reason = invoice (rare, history)',
  'filter reason = damaged + open',
  'filter assignee = me',
  'filter assignee = me + open',
  'filter assignee = none + open',
  'filter created from 7 days ago',
  'filter tracking number (return parcel)',
  'filter order number',
  'filter buyer phone',
  'refund page: detail (getRefund)',
  'statistics over a year (refundStatistics)',
  'unshipped batch: first collection (collectBatch)',
];

describe.each(targets)('shouhou bench --refunds (%s)', (dialect, url) => {
  it('loads a small year of refunds, prints every measure with its target and verdict, and every plan', async () => {
    const lines: string[] = [];
    await runScaleBench({ refunds: 2_000, databaseUrl: url, calls: 3, out: (line) => lines.push(line) });
    const text = lines.join('\n');

    expect(text).toMatch(/load +2,000 refunds \([\d,]+ open, [\d,]+ with a return tracking number, [\d,]+ unshipped\) in 4 shops/);
    expect(text).toContain(dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL');
    const result = text.slice(text.indexOf('\nResult ('));
    for (const label of measures) {
      // in the result table with p50, p95, its target and the verdict, and in the plans with at least one query's plan
      expect(result).toMatch(new RegExp(`^ {2}${escape(label)} +\\d+ +[\\d.]+ ms +[\\d.]+ ms +(p95 ≤ [\\d,]+ ms +(MET|NOT MET)|≤ [\\d,]+ ms +(MET|NOT MET)|\\(none\\))`, 'm'));
      const plans = text.slice(text.indexOf(`\n  ${label}: `));
      expect(plans).toMatch(/^ {4}query 1: select /m);
      expect(plans).toMatch(/^ {6}→ (no table scan|SCANS THE TABLE|reads all of)/m);
    }
    expect(result).toMatch(/unshipped batch: collection again \(nothing new\) +\d+ +[\d.]+ ms/);
    expect(result).toMatch(/audit verify over the chain \(verifyAuditChain\) +1 +[\d.]+ ms .* [\d,]+ rows, intact, [\d,]+ rows\/s/);
    // issue 16 §1: the phone filter is offered and measured (above), each look-up finding the caller's refunds
    expect(result).not.toContain('NOT OFFERED');
    expect(result).toMatch(/filter buyer phone .* [1-9][\d.]* rows a call$/m);
    expect(result).toMatch(/(every target MET|\d+ target\(s\) NOT MET); (no plan scans a whole table|\d+ measure\(s\) with a plan that SCANS a whole table)/);
    expect(result).toMatch(/queue: first page by deadline \(open\) .* \d+ rows$/m);
  }, 120_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
