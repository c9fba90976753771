/**
 * `shouhou bench` part three (issue 14 §1): a 200,000-row order report
 * imported into a fresh SQLite file the way the server does it — the upload
 * stored in chunks and inspected, the preview (every row through the upsert
 * path in transactions rolled back), the commit — once as a GBK CSV and once
 * as an XLSX with shared strings and a merged title row (upload and preview).
 * It prints the files' sizes, the rows per second of each stage and the heap
 * held before, at its highest (read after a full GC every half second) and
 * after: memory stays flat however long the file. It asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { SettableClock, type AppContext } from '../app/context.ts';
import { commitImport, getImport, startPreview, uploadImport } from '../app/import/jobs.ts';
import { importWork } from '../app/import/run-import.ts';
import { createActorToken, createShop } from '../app/shops.ts';
import { chinaCalendar } from '../core/calendar/china-calendar.ts';
import { migrateToLatest, openDatabase } from '../db/connection.ts';
import { orderReportHeaders, sampleOrderRows, toCsvBytes, toXlsxBytes } from './import-samples.ts';

export interface ImportBenchOptions {
  /** data rows per file (the order report has one row per line of an order) */
  rows: number;
  /** also the XLSX (upload and preview) */
  xlsx?: boolean;
  out: (line: string) => void;
}

const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** A full garbage collection before each reading (the benchmark turns V8's gc() on for itself). */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/**
 * The heap while `work` runs: what it holds (after a full GC, every half second: garbage not yet collected
 * is not memory the import needs) at its highest, and the process's resident size at its highest. The
 * runner yields between batches, so the timer gets its turns.
 */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; before: number; peak: number; after: number; rssPeak: number }> {
  const gc = collector();
  // what the previous step left to finish (a writer's last callbacks) is done and collected first
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let rssPeak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 500);
  const start = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - start;
    gc();
    const after = process.memoryUsage().heapUsed;
    return { result, ms, before, peak: Math.max(peak, after), after, rssPeak };
  } finally {
    clearInterval(timer);
  }
}

/** An order report of about `rows` rows (orders of one to three lines). */
function* reportRows(rows: number) {
  let n = 0;
  for (const row of sampleOrderRows({ orders: rows, seed: 2026 })) {
    if (n++ >= rows) return;
    yield row;
  }
}

export async function runImportBench(options: ImportBenchOptions): Promise<void> {
  const { out, rows } = options;
  const setup = performance.now();
  const csv = toCsvBytes(orderReportHeaders, reportRows(rows), 'gbk');
  const xlsx = options.xlsx === false ? null : await toXlsxBytes(orderReportHeaders, reportRows(rows), { title: '淘宝订单报表（导出）' });
  out('');
  out(`Import: an order report of ${int(rows)} rows (files made in ${((performance.now() - setup) / 1000).toFixed(1)} s, not measured): GBK CSV ${MB(csv.length)}${xlsx ? `, XLSX ${MB(xlsx.length)}` : ''}`);
  out('  heap held before the stage → at its highest during it (a full GC every 0.5 s, then read) → after it');
  for (const [label, file, commit] of [
    ['csv (GBK)', csv, true],
    ...(xlsx ? [['xlsx', xlsx, false] as const] : []),
  ] as const) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shouhou-bench-import-'));
    const db = openDatabase(path.join(dir, 'import.sqlite'));
    try {
      await migrateToLatest(db);
      const clock = new SettableClock();
      const ctx: AppContext = { db, clock, calendar: chinaCalendar() };
      const shop = await createShop(ctx, { code: 'bench-import', name: '导入测试店' });
      const { actor } = await createActorToken(ctx, { shopId: shop.id, role: 'supervisor', name: 'bench supervisor' });
      const body = async function* () {
        for (let i = 0; i < file.length; i += 64 * 1024) yield file.subarray(i, i + 64 * 1024);
      };
      const line = (stage: string, r: { ms: number; before: number; peak: number; after: number; rssPeak: number }, n: number) =>
        out(
          `  ${label.padEnd(10)} ${stage.padEnd(8)} ${int(n).padStart(8)} rows ${(r.ms / 1000).toFixed(1).padStart(6)} s ${int(n / (r.ms / 1000)).padStart(7)} rows/s   heap ${MB(r.before)} → ${MB(r.peak)} → ${MB(r.after)}   rss peak ${MB(r.rssPeak)}`,
        );
      const up = await measured(() => uploadImport(ctx, { actor, kind: 'orders', fileName: `bench.${label.startsWith('csv') ? 'csv' : 'xlsx'}`, exportedAt: null, body: body(), declaredBytes: file.length, ip: 'bench' }));
      line('upload', up, up.result.totalRows);
      const jobId = up.result.id;
      const wait = async () => {
        await importWork(ctx, jobId);
        return getImport(ctx, { actor, jobId });
      };
      const preview = await measured(async () => {
        await startPreview(ctx, { actor, jobId, ip: 'bench' });
        return wait();
      });
      line('preview', preview, preview.result.processedRows);
      if (preview.result.status !== 'previewed') out(`  ${label}: the preview ended ${preview.result.status}: ${preview.result.failure?.en ?? ''}`);
      if (commit) {
        const done = await measured(async () => {
          await commitImport(ctx, { actor, jobId, ip: 'bench' });
          return wait();
        });
        line('commit', done, done.result.processedRows);
        out(`  ${label.padEnd(10)} outcome  new ${int(done.result.counts.new)}, error ${int(done.result.counts.error)}`);
      }
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
