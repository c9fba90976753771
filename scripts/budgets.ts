/**
 * The web app's budgets (issue 5), checked in CI by `npm run budgets`:
 * - the staff app's JavaScript at first load ≤ 600 KB gzip (each page is its own chunk, loaded when opened);
 * - the buyer portal's JavaScript at first load ≤ 200 KB gzip;
 * - the queue's first render ≤ 1.5 s on localhost with the demo data (a fresh browser, signed in as the agent:
 *   from navigation to the first refund row on screen; the median of 5 runs counts, all 5 are printed).
 * Prints each figure against its budget and exits 1 when one is over.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBuilt, webDist } from '../src/cli/web-build.ts';
import { launchBrowser, newContext, signIn, startApp } from '../test/e2e/support.ts';

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
  isEntry?: boolean;
}

const KB = 1024;
const budgets = { agentJs: 600 * KB, buyerJs: 200 * KB, queueMs: 1500 };

/** The entries' chunks and every chunk they import statically (dynamic imports load later, per page). */
function firstLoadGzip(manifest: Record<string, ManifestChunk>, entries: string[]): { bytes: number; files: string[] } {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  for (const entry of entries) visit(entry);
  const files = [...seen].map((k) => manifest[k]!.file);
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(webDist, f)), { level: 9 }).length, 0);
  return { bytes, files };
}

async function queueFirstRender(): Promise<number[]> {
  const app = await startApp('sqlite');
  const browser = await launchBrowser();
  try {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      // a new browser context each time: nothing cached
      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'agent');
      await page.goto('about:blank');
      const started = Date.now();
      await page.goto('/queue');
      await page.locator('tr[data-row-key]').first().waitFor({ timeout: 10_000 });
      runs.push(Date.now() - started);
      await context.close();
    }
    return runs;
  } finally {
    await browser.close();
    await app.close();
  }
}

async function main(): Promise<number> {
  await ensureWebBuilt();
  const manifest = JSON.parse(readFileSync(join(webDist, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  // the staff app's first load includes the queue's chunk: it is fetched alongside the session (web/src/agent/nav.tsx)
  const agent = firstLoadGzip(manifest, ['index.html', 'src/agent/pages/Queue.tsx']);
  const buyer = firstLoadGzip(manifest, ['buyer.html']);
  const runs = await queueFirstRender();
  const median = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  const rows = [
    { what: 'staff app JS at first load, with the queue (gzip)', value: agent.bytes, budget: budgets.agentJs, unit: 'KB' },
    { what: 'buyer portal JS at first load (gzip)', value: buyer.bytes, budget: budgets.buyerJs, unit: 'KB' },
    { what: `queue first render, median of ${runs.length} (${runs.join(', ')} ms)`, value: median, budget: budgets.queueMs, unit: 'ms' },
  ];
  let failed = false;
  for (const row of rows) {
    const show = (n: number) => (row.unit === 'KB' ? `${(n / KB).toFixed(1)} KB` : `${n} ms`);
    const ok = row.value <= row.budget;
    failed ||= !ok;
    console.log(`${ok ? 'ok  ' : 'OVER'} ${row.what}: ${show(row.value)} (budget ${show(row.budget)})`);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
