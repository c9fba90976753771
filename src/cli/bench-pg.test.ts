import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runPgEngineBench } from './bench-pg.ts';

const PG_URL = process.env.SHOUHOU_TEST_PG_URL;

describe.skipIf(!PG_URL)('shouhou bench on PostgreSQL [postgres]', () => {
  it('issue 16 §2: the engine against raw transactions at 1 and 8 clients, every action checked, the audit trail verified, its database dropped', async () => {
    const lines: string[] = [];
    await runPgEngineBench({ databaseUrl: PG_URL!, orders: 1_500, openRefunds: 1_500, turnMs: 60, rounds: 1, out: (line) => lines.push(line) });
    const text = lines.join('\n');
    expect(text).toMatch(/setup +1,500 orders, 1,500 open refunds/);
    for (const clients of [1, 8]) {
      for (const side of ['engine', 'raw', 'raw\\+audit']) expect(text).toMatch(new RegExp(`^ {2}${clients} +${side} +[\\d,]+ `, 'm'));
    }
    expect(text).toMatch(/ratio engine \/ raw at 8 +\d+\.\d\d +≥ 0\.3 +(MET|NOT MET)/);
    expect(text).toMatch(/the audit trail verifies: [\d,]+ rows in \d+ of its chains/);
    const name = /database (shouhou_bench_engine_\w+)/.exec(text)?.[1];
    expect(name).toBeDefined();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const left = await client.query('select 1 from pg_database where datname = $1', [name]);
      expect(left.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });
});
