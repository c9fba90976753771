/** shouhou serve | migrate | seed-demo | bench */
import { readFileSync } from 'node:fs';
import { mkdirSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { SettableClock, systemClock, type AppContext } from '../app/context.ts';
import { seedDemo, seedDemoDevices, seedDemoProducts, seedDemoUsers } from '../app/demo-seed.ts';
import { seedDemoServiceDesk } from '../app/service/demo.ts';
import { randomBytes } from 'node:crypto';
import { useAuditKey, verifyAuditChain } from '../app/audit.ts';
import { createShop } from '../app/shops.ts';
import { ensureFirstAdmin } from '../app/users.ts';
import { retryDeadlineProblems, sweepDueDeadlines } from '../app/refunds.ts';
import { freezeDueBatches } from '../app/workbench/unshipped-batch.ts';
import { chinaCalendar } from '../core/calendar/china-calendar.ts';
import type { CalendarData } from '../core/calendar/working-days.ts';
import { migrateToLatest, openDatabase, type Db } from '../db/connection.ts';
import { buildServer } from '../http/server.ts';
import { ensureWebBuilt, webDist } from './web-build.ts';
import { seedDemoRecords } from '../app/workbench/demo-records.ts';
import { runBench } from './bench.ts';
import { readConfig, type Config } from './config.ts';

const usage = `shouhou — the after-sales system (售后)

  shouhou serve       migrate, load the demo shop on the first start, and serve on HOST:PORT
  shouhou migrate     bring the database schema up to date
  shouhou seed-demo   load the demo shoe shop (only into a database without shops)
  shouhou audit verify  walk the audit trail's hash chain; exit 1 at the first broken row
  shouhou bench       measure the refund engine on a fresh SQLite file

Configuration is read from the environment; see README.md.`;

function loadCalendar(config: Config) {
  if (!config.calendarFile) return chinaCalendar();
  const extra = JSON.parse(readFileSync(config.calendarFile, 'utf8')) as CalendarData;
  return chinaCalendar(extra);
}

/**
 * The audit chain's key: SHOUHOU_AUDIT_KEY (hex, 64+ characters), else
 * data/audit.key, made on the first start (mode 600). Keep it, and a copy,
 * away from the database: whoever holds both could rewrite the trail.
 */
function loadAuditKey(config: Config): void {
  const fromEnv = process.env.SHOUHOU_AUDIT_KEY;
  if (fromEnv) {
    if (!/^[0-9a-fA-F]{64,}$/.test(fromEnv)) throw new Error('SHOUHOU_AUDIT_KEY must be at least 64 hexadecimal characters');
    useAuditKey(Buffer.from(fromEnv, 'hex'));
    return;
  }
  const file = path.join(config.dataDir, 'audit.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  useAuditKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
}

function openConfigured(config: Config): Db {
  loadAuditKey(config);
  return openDatabase(config.databaseUrl ?? config.sqliteFile);
}

async function hasShops(db: Db): Promise<boolean> {
  const row = await db.kysely.selectFrom('shops').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

const demoTokensFile = (config: Config) => path.join(config.dataDir, 'demo-tokens.json');

/**
 * The first start: a shop to work in (when there is no demo) and the admin,
 * whose password comes from SHOUHOU_ADMIN_PASSWORD or is generated and printed once.
 */
async function ensureAdmin(ctx: AppContext, log: pino.Logger): Promise<void> {
  let shop = await ctx.db.kysely.selectFrom('shops').select('id').orderBy('id').limit(1).executeTakeFirst();
  if (!shop) {
    const created = await createShop(ctx, { code: 'main', name: '我的店铺' });
    log.info({ shop: created.code }, 'created the first shop');
    shop = { id: created.id };
  }
  const admin = await ensureFirstAdmin(ctx, { shopId: shop.id, password: process.env.SHOUHOU_ADMIN_PASSWORD });
  if (!admin) return;
  log.info({ username: admin.username }, 'created the admin user');
  if (admin.generated) {
    // shown once, to the terminal only (never into the structured log)
    process.stdout.write(`\nThe admin's password (shown this once; change it after signing in): ${admin.username} / ${admin.password}\n\n`);
  }
}

/** Loads the demo shop and keeps its tokens in data/demo-tokens.json (mode 600) so later starts can show them. */
async function loadDemo(ctx: AppContext, config: Config, log: pino.Logger): Promise<void> {
  const result = await seedDemo(ctx);
  const users = await seedDemoUsers(ctx, result.shop.id);
  await seedDemoProducts(ctx, result.shop.id);
  await seedDemoRecords(ctx, result.shop.id);
  await seedDemoDevices(ctx, result.shop.id);
  await seedDemoServiceDesk(ctx, result.shop.id);
  log.info({ users, password: 'see README.md' }, 'added one demo user per role');
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(demoTokensFile(config), JSON.stringify({ shop: result.shop.code, tokens: result.tokens }, null, 2), { mode: 0o600 });
  chmodSync(demoTokensFile(config), 0o600);
  log.info({ shop: result.shop.code, orders: result.orders, refunds: result.refunds }, 'loaded the demo shoe shop');
}

function printDemoTokens(config: Config): void {
  if (!existsSync(demoTokensFile(config))) return;
  const { shop, tokens } = JSON.parse(readFileSync(demoTokensFile(config), 'utf8')) as { shop: string; tokens: Record<string, string> };
  const lines = Object.entries(tokens).map(([role, token]) => `  ${role.padEnd(9)} ${token}`);
  // printed to the terminal on purpose (demo data only), never into the structured log
  process.stdout.write(`\nDemo API tokens for shop "${shop}" (demo data only; kept in ${demoTokensFile(config)}):\n${lines.join('\n')}\n\n`);
}

/** JSON lines for machines; readable lines when a person watches the terminal. */
function makeLogger(config: Config): pino.Logger {
  // requests are logged without headers or bodies; these paths are a second line of defence
  const redact = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.phone', '*.token'];
  if (process.stdout.isTTY) {
    return pino({ level: config.logLevel, redact, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard', ignore: 'pid,hostname' } } });
  }
  return pino({ level: config.logLevel, redact });
}

async function serve(config: Config): Promise<number> {
  const log = makeLogger(config);
  if (config.buildWeb) await ensureWebBuilt({ info: (msg) => log.info(msg) });
  const db = openConfigured(config);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) log.info({ migrations: applied }, 'migrated the database');
  const clock = config.testClock ? new SettableClock() : systemClock;
  const ctx: AppContext = { db, clock, calendar: loadCalendar(config) };
  if (config.demo && !(await hasShops(db))) await loadDemo(ctx, config, log);
  await ensureAdmin(ctx, log);

  const app = await buildServer({
    ctx,
    logger: log,
    testClock: config.testClock ? (clock as SettableClock) : undefined,
    trustProxy: config.trustProxy,
    webDist,
  });
  const sweep = () =>
    retryDeadlineProblems(ctx)
      .then(() => freezeDueBatches(ctx))
      .then(() => sweepDueDeadlines(ctx))
      .then(
      (n) => n > 0 && log.info({ applied: n }, 'applied passed deadlines'),
      (err: unknown) => log.error({ err }, 'deadline sweep failed'),
    );
  await sweep(); // whatever fell due while the server was down
  const sweeper = setInterval(() => void sweep(), config.sweepIntervalMs);
  sweeper.unref();

  const address = await app.listen({ host: config.host, port: config.port });
  log.info({ address, api: `${address}/api/docs`, data: db.location, dialect: db.dialect }, `shouhou listens on ${address}`);
  printDemoTokens(config);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearInterval(sweeper);
  await app.close();
  await db.close();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  let config: Config;
  try {
    config = readConfig();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      const db = openConfigured(config);
      const applied = await migrateToLatest(db);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the schema is up to date\n');
      await db.close();
      return 0;
    }
    case 'seed-demo': {
      const db = openConfigured(config);
      await migrateToLatest(db);
      if (await hasShops(db)) {
        process.stderr.write('the database already has shops; the demo loads only into an empty one\n');
        await db.close();
        return 1;
      }
      const seedCtx = { db, clock: systemClock, calendar: loadCalendar(config) };
      const seedLog = pino({ level: config.logLevel });
      await loadDemo(seedCtx, config, seedLog);
      await ensureAdmin(seedCtx, seedLog);
      printDemoTokens(config);
      await db.close();
      return 0;
    }
    case 'audit': {
      if (argv[1] !== 'verify') {
        process.stderr.write('usage: shouhou audit verify\n');
        return 2;
      }
      const db = openConfigured(config);
      await migrateToLatest(db);
      const verdict = await verifyAuditChain(db.kysely);
      await db.close();
      if (verdict.ok) {
        process.stdout.write(`audit trail intact: ${verdict.rows} rows\n`);
        return 0;
      }
      process.stdout.write(`audit trail BROKEN at row ${verdict.firstBroken!.id}: ${verdict.firstBroken!.problem} (${verdict.rows} rows before it are intact)\n`);
      return 1;
    }
    case 'bench':
      await runBench({ orders: 100_000, openRefunds: 20_000, out: (line) => process.stdout.write(`${line}\n`) });
      return 0;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${usage}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${usage}\n`);
      return 2;
  }
}
