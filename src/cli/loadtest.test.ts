/**
 * Issue 16 §3: the load test's short mode, which CI runs so that it cannot rot: real processes (the
 * simulator, the servers), every path (ingest, the people's actions, the outbox, the sweeper, the
 * consistency check), the report's shape and the results file. Never a time: only that no 5xx was
 * answered and the consistency check passed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLoadTestCli } from './loadtest.ts';

const PG_URL = process.env.SHOUHOU_TEST_PG_URL;
const dialects = PG_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

const targetNames = [
  'no 5xx answer',
  'every call answered',
  'the simulator kept the rate',
  'every route p95 (ours)',
  'ingest lag p95 (ours)',
  'outbox lag p95 (ours)',
  'sweeper lag, the worst (ours)',
  'the queues drained after the load',
  'consistency check',
];

const checkNames = [
  'every refund of the simulator equals ours',
  'every trade of the simulator equals ours',
  'one payout per refund paid',
  'every delivered action applied once',
  'no sync problem but the platform refusing a decision',
  'the audit chain verifies',
  'every server ran to the end',
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

for (const dialect of dialects) {
  describe(`shouhou loadtest --quick [${dialect}]`, () => {
    it('runs a short peak day on real processes: every path, no 5xx, consistent, and the report and its file in shape', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'shouhou-loadtest-test-'));
      const file = path.join(dir, 'loadtest.md');
      const lines: string[] = [];
      try {
        const code = await runLoadTestCli(['--quick', '--database', dialect, '--out', file], { databaseUrl: PG_URL }, (line) => lines.push(line));
        const text = lines.join('\n');
        expect(code, text).toBe(0);
        expect(text).toContain(dialect === 'postgres' ? 'PostgreSQL, 2 server processes' : 'SQLite, one server process');

        // each target with its verdict; the two that fail the run are met
        for (const name of targetNames) expect(text).toMatch(new RegExp(`^ {2}${escape(name)} {2,}.+ {2,}(MET|NOT MET)$`, 'm'));
        expect(text).toMatch(/^ {2}no 5xx answer +0 +0 +MET$/m);
        expect(text).toMatch(/^ {2}consistency check +passes +passes +MET$/m);
        for (const name of checkNames) expect(text).toMatch(new RegExp(`^ {2}${escape(name)} +OK +`, 'm'));

        // every path ran: refunds came in, the people acted, the outbox delivered, the sweeper applied deadlines
        const lag = (name: string) => Number(new RegExp(`^ {2}${escape(name)}[^\\n]*? +(\\d+) +[\\d.]+ m?s`, 'm').exec(text)?.[1] ?? 0);
        expect(lag('ingest (platform → queue)')).toBeGreaterThan(0);
        expect(lag('outbox (action → platform)')).toBeGreaterThan(0);
        expect(text).toMatch(/^ {2}sweeper \(due → applied; ([1-9]\d*)\/\1 applied\)/m);
        for (const route of ['POST /api/v1/session', 'GET /api/v1/refunds', 'GET /api/v1/refunds/count', 'GET /api/v1/refunds/:id', 'POST /api/v1/refunds/:id/assign', 'POST /api/v1/refunds/:id/contacts', 'POST /api/v1/refunds/:id/agree']) {
          // calls, p50, p95, p99, the statuses (a 2xx among them), the target and the verdict
          expect(text).toMatch(new RegExp(`^ {2}${escape(route)} +\\d+ +[\\d.]+ m?s +[\\d.]+ m?s +[\\d.]+ m?s +.*2\\d\\d×\\d+.* +≤ 1000 ms +(MET|NOT MET)$`, 'm'));
        }
        for (const title of ['Answers by status', 'Lags', 'Outbox at the end', 'Processes', 'What the people did', 'Machine']) expect(text).toContain(`\n${title}`);
        expect(text).toMatch(/^ {2}server 1 +\d+ % +\d+ % +\d+ s +\d+ MB +\d+ MB$/m);
        expect(text).toMatch(/^ {2}topsim +\d+ %/m);
        expect(text).toMatch(/\d+ of 9 targets MET; no 5xx and the consistency check passes$/m);

        // the results file: its section, with the same tables in markdown
        const md = readFileSync(file, 'utf8');
        expect(md).toMatch(/^# Load test results$/m);
        expect(md).toContain(`<!-- loadtest:quick-${dialect} -->`);
        expect(md).toContain(`<!-- /loadtest:quick-${dialect} -->`);
        expect(md).toMatch(/^\| measure \| target \| value \| {2}\|$/m);
        expect(md).toMatch(/^\| no 5xx answer \| 0 \| 0 \| MET \|$/m);
        expect(md).toMatch(/^### Machine$/m);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });
}
