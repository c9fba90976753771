/**
 * `shouhou bench` part two (issue 12 §8): a shop's refunds backfilled from the
 * TOP simulator into a fresh SQLite file, through the connector as in
 * production (list windows, refund.get and trade.fullinfo.get over HTTP, a
 * page per transaction with an event and audit row per record), against a bare bulk
 * insert of the same rows into another fresh file, measured in the same run.
 * It prints records per second and the ratio (target ≥ 0.3); it asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { SettableClock, type AppContext } from '../app/context.ts';
import { saveBinding } from '../app/platform/bindings.ts';
import { runDuePlatformWork } from '../app/platform/workers.ts';
import { hasSecretKey, useSecretKey } from '../app/secrets.ts';
import { createActorToken, createShop } from '../app/shops.ts';
import { chinaCalendar } from '../core/calendar/china-calendar.ts';
import { migrateToLatest, openDatabase } from '../db/connection.ts';
import { createTaobaoConnector } from '../platform/taobao/taobao-connector.ts';
import { startTopSim } from '../topsim/index.ts';

export interface SyncBenchOptions {
  refunds: number;
  out: (line: string) => void;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

export async function runSyncBench(options: SyncBenchOptions): Promise<{ ratio: number; recordsPerSecond: number }> {
  const { out } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shouhou-bench-sync-'));
  if (!hasSecretKey()) useSecretKey(Buffer.alloc(32, 1));
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = new SettableClock();
  clock.set(now);
  const orders = Math.max(options.refunds, 10);
  const setupStart = performance.now();
  const sim = await startTopSim({ seed: 42, shop: { orders, refunds: options.refunds }, now: () => clock.now() });
  const db = openDatabase(path.join(dir, 'sync.sqlite'));
  try {
    await migrateToLatest(db);
    const ctx: AppContext = {
      db,
      clock,
      calendar: chinaCalendar(),
      connectors: (b) => createTaobaoConnector({ platform: b.platform, appKey: b.appKey, appSecret: b.appSecret, sessionKey: b.sessionKey, gatewayUrl: b.gatewayUrl, signMethod: b.signMethod, ratePerSecond: b.ratePerSecond, now: () => clock.now() }),
    };
    const shop = await createShop(ctx, { code: 'bench-sync', name: '同步测试店' });
    const { actor: admin } = await createActorToken(ctx, { shopId: shop.id, role: 'admin', name: 'bench admin' });
    await saveBinding(ctx, {
      allowLocalGateway: true,
      actor: admin,
      ip: 'bench',
      input: { platform: 'taobao', sellerNick: sim.seller.nick, appKey: sim.app.appKey, appSecret: sim.app.appSecret, sessionKey: sim.seller.sessionKey, gatewayUrl: sim.gatewayUrl, ratePerSecond: 1000, backfillDays: 90 },
    });
    out('');
    out(`Sync: ${int(options.refunds)} refunds (and their ${int(orders)} orders) backfilled from the TOP simulator (setup ${((performance.now() - setupStart) / 1000).toFixed(1)} s, not measured)`);
    out('  connector  the first binding\'s 90-day backfill over HTTP: list windows, then refund.get / trade.fullinfo.get per record');
    out('             (8 at a time), each page applied in one transaction with an event and an audit row per record;');
    out('             the simulator runs in this process, on the same cores (SQLite, WAL, synchronous=FULL)');

    const t0 = performance.now();
    for (;;) {
      await runDuePlatformWork(ctx, { owner: 'bench', sliceMs: 3_600_000, pullIntervalMs: 3_600_000, tmcIdleMs: 3_600_000 });
      const left = await db.kysely.selectFrom('sync_streams').select('stream').where('shop_id', '=', shop.id).where('backfill_done', '=', 0).execute();
      if (left.length === 0) break;
    }
    const syncMs = performance.now() - t0;
    const counted = await db.kysely.selectFrom('refunds').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const ordersIn = await db.kysely.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const records = Number(counted.n) + Number(ordersIn.n);
    const stats = sim.control.stats();
    const recordsPerSecond = records / (syncMs / 1000);
    out(`  connector  ${int(Number(counted.n))} refunds + ${int(Number(ordersIn.n))} orders in ${(syncMs / 1000).toFixed(1)} s: ${int(recordsPerSecond)} records/s (${int(stats.totalCalls)} TOP calls)`);

    // the same rows, bare: one transaction, prepared inserts, no reads, no events, no audit
    const rows = await db.kysely.selectFrom('refunds').selectAll().execute();
    const orderRows = await db.kysely.selectFrom('orders').selectAll().execute();
    const lineRows = await db.kysely.selectFrom('order_lines').selectAll().execute();
    const bare = openDatabase(path.join(dir, 'bare.sqlite'));
    await migrateToLatest(bare);
    await bare.close();
    const raw = new SQLite(path.join(dir, 'bare.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.prepare("insert into shops (id, code, name, settings, created_at) values (?, 'bench-sync', '同步测试店', '{}', ?)").run(shop.id, now.toISOString());
    const insertOf = (table: string, sample: Record<string, unknown>) => {
      const cols = Object.keys(sample);
      return raw.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
    };
    const asParams = (r: Record<string, unknown>) => Object.values(r).map((v) => (typeof v === 'bigint' ? v : v === undefined ? null : v)) as unknown[];
    const insOrder = orderRows[0] ? insertOf('orders', orderRows[0]) : null;
    const insLine = lineRows[0] ? insertOf('order_lines', lineRows[0]) : null;
    const insRefund = rows[0] ? insertOf('refunds', rows[0]) : null;
    const t1 = performance.now();
    raw.transaction(() => {
      for (const o of orderRows) insOrder!.run(...asParams(o));
      for (const l of lineRows) insLine!.run(...asParams(l));
      for (const r of rows) insRefund!.run(...asParams(r));
    })();
    const bareMs = performance.now() - t1;
    raw.close();
    const bareRate = records / (bareMs / 1000);
    const ratio = recordsPerSecond / bareRate;
    out(`  bare       the same ${int(records)} rows (+ ${int(lineRows.length)} lines) bulk-inserted in one transaction: ${(bareMs / 1000).toFixed(2)} s, ${int(bareRate)} records/s`);
    out(`  ratio      ${ratio.toFixed(3)} (target ≥ 0.3: ${ratio >= 0.3 ? 'met' : 'NOT met'})`);
    return { ratio, recordsPerSecond };
  } finally {
    await db.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
