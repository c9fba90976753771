/** shouhou serve | migrate | seed-demo | bench | loadtest */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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
import { purgeIdempotencyKeys } from '../db/shop-repository.ts';
import { freezeDueBatches } from '../app/workbench/unshipped-batch.ts';
import { chinaCalendar } from '../core/calendar/china-calendar.ts';
import type { CalendarData } from '../core/calendar/working-days.ts';
import { keepPrivate, migrateToLatest, openDatabase, type Db, isPostgresUrl } from '../db/connection.ts';
import { findUserByUsername } from '../db/user-repository.ts';
import { buildServer } from '../http/server.ts';
import { ensureWebBuilt, webDist } from './web-build.ts';
import { seedDemoRecords } from '../app/workbench/demo-records.ts';
import { runBench } from './bench.ts';
import { runSyncBench } from './bench-sync.ts';
import { runImportBench } from './bench-import.ts';
import { runScaleBench } from './bench-scale.ts';
import { runPgEngineBench } from './bench-pg.ts';
import { readConfig, type Config } from './config.ts';
import { hostname } from 'node:os';
import { useSecretKey } from '../app/secrets.ts';
import { startPlatformWorkers } from '../app/platform/workers.ts';
import { startEventWorkers } from '../app/events/workers.ts';
import { createShopAsAdmin } from '../app/platform/admin.ts';
import { saveBinding } from '../app/platform/bindings.ts';
import { runTopSimCli } from './topsim.ts';
import { runLoadTestCli } from './loadtest.ts';

const usage = `shouhou — the after-sales system (售后)

  shouhou serve       migrate, load the demo shop on the first start, and serve on HOST:PORT
  shouhou migrate     bring the database schema up to date
  shouhou seed-demo   load the demo shoe shop (only into a database without shops)
  shouhou audit verify  walk the audit trail's hash chain; exit 1 at the first broken row
  shouhou bench       measure the refund engine on a fresh SQLite file, then the queue at scale
                      (--refunds <n>, default 100,000; on PostgreSQL when DATABASE_URL is set)
  shouhou shop add --code <code> --name <name> --admin <username> [--platform taobao|tmall] [--bind-topsim <url>]
                      add a shop (the user becomes its admin); --bind-topsim binds it to a running simulator
  shouhou topsim      start the Taobao Open Platform simulator (tests and demos only; --help for its flags)
  shouhou loadtest    a peak day: the simulator, two servers on PostgreSQL (or one on SQLite), 50 agents (--help)

Configuration is read from the environment; see README.md.`;

function loadCalendar(config: Config) {
  if (!config.calendarFile) return chinaCalendar();
  const extra = JSON.parse(readFileSync(config.calendarFile, 'utf8')) as CalendarData;
  return chinaCalendar(extra);
}

/** A failure to report in one line (no stack trace), with the command's exit code. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

// what shouhou keeps in the data folder (besides the SQLite file, see connection.ts)
const auditKeyFile = (config: Config) => path.join(config.dataDir, 'audit.key');
const secretKeyFile = (config: Config) => path.join(config.dataDir, 'secret.key');
const demoTokensFile = (config: Config) => path.join(config.dataDir, 'demo-tokens.json');
const adminPasswordFile = (config: Config) => path.join(config.dataDir, 'admin-password.txt');
const sqliteNames = (config: Config) => {
  const base = path.basename(config.sqliteFile);
  return [base, `${base}-wal`, `${base}-shm`, `${base}-journal`];
};

/**
 * Files made from here on are for this user only (600, folders 700): the
 * database, its -wal/-shm files (SQLite makes them later), the audit key, the
 * demo tokens, the admin's password. Set before the data folder is touched.
 */
function restrictUmask(): void {
  const previous = process.umask(0o077);
  process.umask(previous | 0o077);
}

/**
 * The data folder, for this user only: made with mode 700, and an existing one
 * that holds nothing but shouhou's own files (so shouhou made it) brought to
 * 700; its files to 600. Returns a warning when the folder stays open to others.
 */
function prepareDataDir(config: Config): string | null {
  const dir = config.dataDir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const file of [auditKeyFile(config), secretKeyFile(config), demoTokensFile(config), adminPasswordFile(config)]) keepPrivate(file);
  if (process.platform === 'win32') return null; // no POSIX modes there
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  const ours = new Set([...sqliteNames(config), 'audit.key', 'secret.key', 'demo-tokens.json', 'admin-password.txt']);
  const uid = process.getuid?.();
  if (statSync(dir).uid === uid && readdirSync(dir).every((name) => ours.has(name))) {
    chmodSync(dir, 0o700);
    return null;
  }
  return `the data folder ${dir} is open to other users (mode ${mode.toString(8)}) and holds other files than shouhou's; make it private: chmod 700 ${dir}`;
}

/**
 * The audit chain's key: SHOUHOU_AUDIT_KEY (hex, 64+ characters), else
 * data/audit.key. Returns false when there is neither (nothing is made here).
 * Keep it, and a copy, away from the database: whoever holds both could
 * rewrite the trail.
 */
function loadAuditKey(config: Config): boolean {
  const fromEnv = process.env.SHOUHOU_AUDIT_KEY;
  if (fromEnv) {
    if (!/^[0-9a-fA-F]{64,}$/.test(fromEnv)) throw new CliError('SHOUHOU_AUDIT_KEY must be at least 64 hexadecimal characters', 2);
    useAuditKey(Buffer.from(fromEnv, 'hex'));
    return true;
  }
  const file = auditKeyFile(config);
  if (!existsSync(file)) return false;
  useAuditKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
  return true;
}

/** A new key in data/audit.key (mode 600, never over an existing file). Only on a first start. */
function createAuditKey(config: Config): void {
  const file = auditKeyFile(config);
  writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  useAuditKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
}

const missingAuditKey = (config: Config) =>
  new CliError(
    `the audit key is missing: SHOUHOU_AUDIT_KEY is not set and ${auditKeyFile(config)} does not exist. ` +
      'Set SHOUHOU_AUDIT_KEY, or put back the key file the trail was written with; nothing was created.',
    2,
  );

/**
 * The key that seals the platform bindings' secrets (issue 12): SHOUHOU_SECRET_KEY (64 hex characters), else
 * data/secret.key, made when missing while no binding holds a secret sealed with another key. Keep it away
 * from the database, like the audit key.
 */
async function loadSecretKey(config: Config, db: Db, log: { info(o: object, m: string): void }): Promise<void> {
  const fromEnv = process.env.SHOUHOU_SECRET_KEY;
  if (fromEnv) {
    if (!/^[0-9a-fA-F]{64}$/.test(fromEnv)) throw new CliError('SHOUHOU_SECRET_KEY must be 64 hexadecimal characters', 2);
    useSecretKey(Buffer.from(fromEnv, 'hex'));
    return;
  }
  const file = secretKeyFile(config);
  if (!existsSync(file)) {
    const bound = await db.kysely.selectFrom('shop_bindings').select('shop_id').limit(1).executeTakeFirst();
    if (bound) {
      throw new CliError(
        `the secret key is missing: SHOUHOU_SECRET_KEY is not set and ${file} does not exist, but shops are bound to their platform with secrets sealed under it. ` +
          'Put the key back (or bind the shops again after deleting their bindings); nothing was created.',
        2,
      );
    }
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    log.info({ file }, 'created the secret key of the platform bindings: keep it, and a copy, away from the database');
  }
  useSecretKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
}

/** No row signed yet: a key made now cannot break the chain. */
async function auditTrailEmpty(db: Db): Promise<boolean> {
  const row = await db.kysely.selectFrom('audit_log').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

const openConfigured = (config: Config): Db => openDatabase(config.databaseUrl ?? config.sqliteFile);

async function hasShops(db: Db): Promise<boolean> {
  const row = await db.kysely.selectFrom('shops').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Whether the first admin is still to be made (the conditions of ensureFirstAdmin). */
async function adminNeeded(db: Db): Promise<boolean> {
  const admin = await db.kysely.selectFrom('actors').select('id').where('role', '=', 'admin').where('user_id', 'is not', null).limit(1).executeTakeFirst();
  return !admin && !(await findUserByUsername(db.kysely, 'admin'));
}

const envAdminPassword = () => process.env.SHOUHOU_ADMIN_PASSWORD || undefined;

/**
 * Refuses to start when the admin is to be made with a generated password and
 * data/admin-password.txt is already there (from an earlier database): it is
 * never overwritten. Checked before anything is loaded.
 */
async function checkAdminPasswordFile(db: Db, config: Config): Promise<void> {
  const file = adminPasswordFile(config);
  if (envAdminPassword() === undefined && existsSync(file) && (await adminNeeded(db))) {
    throw new CliError(
      `${file} already exists (from an earlier database?) and this database has no admin yet. ` +
        'Delete the file (or set SHOUHOU_ADMIN_PASSWORD) and start again; it is never overwritten.',
      1,
    );
  }
}

/**
 * The first start: a shop to work in (when there is no demo) and the admin,
 * whose password is SHOUHOU_ADMIN_PASSWORD or a generated one written to
 * data/admin-password.txt (mode 600, only this user can read it). The password
 * is never printed or logged: the log says where the file is.
 */
async function ensureAdmin(ctx: AppContext, config: Config, log: pino.Logger): Promise<void> {
  if (!(await adminNeeded(ctx.db))) return;
  let shop = await ctx.db.kysely.selectFrom('shops').select('id').orderBy('id').limit(1).executeTakeFirst();
  if (!shop) {
    const created = await createShop(ctx, { code: 'main', name: '我的店铺' });
    log.info({ shop: created.code }, 'created the first shop');
    shop = { id: created.id };
  }
  const given = envAdminPassword();
  if (given !== undefined) {
    const admin = await ensureFirstAdmin(ctx, { shopId: shop.id, password: given });
    if (admin) log.info({ username: admin.username }, 'created the admin user with the password in SHOUHOU_ADMIN_PASSWORD');
    return;
  }
  // the file first (never over an existing one), then the user: the password cannot be lost
  const file = adminPasswordFile(config);
  const password = randomBytes(15).toString('base64url');
  try {
    writeFileSync(
      file,
      [
        `shouhou: the first admin user, created ${new Date().toISOString()}`,
        '',
        'username: admin',
        `password: ${password}`,
        '',
        'Sign in, change the password, then DELETE THIS FILE.',
        '',
      ].join('\n'),
      { mode: 0o600, flag: 'wx' },
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') await checkAdminPasswordFile(ctx.db, config);
    throw e;
  }
  let admin: Awaited<ReturnType<typeof ensureFirstAdmin>> = null;
  try {
    admin = await ensureFirstAdmin(ctx, { shopId: shop.id, password });
  } finally {
    if (!admin) unlinkSync(file); // not made (an error, or another process made it first)
  }
  if (!admin) return;
  log.info(
    { username: admin.username, passwordFile: file },
    `created the admin user; its password is in ${file} (readable by this user only): sign in, change it, and delete the file`,
  );
}

/** Loads the demo shop and keeps its tokens in data/demo-tokens.json (mode 600); starts say where the file is. */
async function loadDemo(ctx: AppContext, config: Config, log: pino.Logger): Promise<void> {
  const result = await seedDemo(ctx);
  const users = await seedDemoUsers(ctx, result.shop.id);
  await seedDemoProducts(ctx, result.shop.id);
  await seedDemoRecords(ctx, result.shop.id);
  await seedDemoDevices(ctx, result.shop.id);
  await seedDemoServiceDesk(ctx, result.shop.id);
  log.info({ users, password: 'see README.md' }, 'added one demo user per role');
  writeFileSync(demoTokensFile(config), JSON.stringify({ shop: result.shop.code, tokens: result.tokens }, null, 2), { mode: 0o600 });
  chmodSync(demoTokensFile(config), 0o600);
  log.info({ shop: result.shop.code, orders: result.orders, refunds: result.refunds }, 'loaded the demo shoe shop');
}

/** Says where the demo tokens are; the tokens themselves are never printed or logged. */
function printDemoTokens(config: Config, log: pino.Logger): void {
  const file = demoTokensFile(config);
  if (!existsSync(file)) return;
  log.info({ tokensFile: file }, `the demo API tokens (one per role, demo data only) are in ${file}`);
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
  // the web app is built with the usual mode (it lives in the project, not in the data folder)
  if (config.buildWeb) await ensureWebBuilt({ info: (msg) => log.info(msg) });
  restrictUmask();
  const dirWarning = prepareDataDir(config);
  if (dirWarning) log.warn(dirWarning);
  if (!loadAuditKey(config)) {
    createAuditKey(config);
    log.info({ file: auditKeyFile(config) }, 'created the audit key: keep it, and a copy, away from the database');
  }
  const db = openConfigured(config);
  const applied = await migrateToLatest(db);
  if (applied.length > 0) log.info({ migrations: applied }, 'migrated the database');
  const clock = config.testClock ? new SettableClock() : systemClock;
  const ctx: AppContext = {
    db,
    clock,
    calendar: loadCalendar(config),
    allowLocalGateway: config.allowLocalGateway,
    allowPrivateWebhooks: config.allowPrivateWebhooks,
    parcelTracking: config.parcelTrackingUrl ? { url: config.parcelTrackingUrl, timeoutMs: config.parcelTrackingTimeoutMs } : undefined,
  };
  try {
    await checkAdminPasswordFile(db, config);
    await loadSecretKey(config, db, log);
  } catch (e) {
    await db.close();
    throw e;
  }
  if (config.demo && !(await hasShops(db))) await loadDemo(ctx, config, log);
  await ensureAdmin(ctx, config, log);

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
      .then(() => purgeIdempotencyKeys(ctx.db.kysely, ctx.clock.now()))
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
  printDemoTokens(config, log);
  // issue 12: the connected shops' pulls, TMC and outbox; every process may run them (leases and SKIP LOCKED share the work)
  const platformWork = config.platformWorkers
    ? startPlatformWorkers(ctx, { owner: `${hostname()}:${process.pid}`, pullIntervalMs: config.pullIntervalMs, log })
    : null;
  // issue 14: events from the audit trail, webhook deliveries (any number of processes: row locks share the work)
  const eventWork = startEventWorkers(ctx, { owner: `${hostname()}:${process.pid}`, keepDays: config.eventsKeepDays, deadlineSoonMinutes: config.deadlineSoonMinutes, log });

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearInterval(sweeper);
  await platformWork?.stop();
  await eventWork.stop();
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
  try {
    return await run(command, argv, config);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return e.exitCode;
  }
}

async function run(command: string | undefined, argv: string[], config: Config): Promise<number> {
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      restrictUmask();
      const dirWarning = prepareDataDir(config);
      if (dirWarning) process.stderr.write(`${dirWarning}\n`);
      const hasKey = loadAuditKey(config);
      const db = openConfigured(config);
      try {
        const applied = await migrateToLatest(db);
        // a new key only while no row is signed yet (a fresh data folder or database)
        if (!hasKey && (await auditTrailEmpty(db))) createAuditKey(config);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the schema is up to date\n');
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'seed-demo': {
      restrictUmask();
      const dirWarning = prepareDataDir(config);
      if (dirWarning) process.stderr.write(`${dirWarning}\n`);
      const hasKey = loadAuditKey(config);
      const db = openConfigured(config);
      try {
        await migrateToLatest(db);
        if (await hasShops(db)) {
          process.stderr.write('the database already has shops; the demo loads only into an empty one\n');
          return 1;
        }
        if (!hasKey) {
          if (!(await auditTrailEmpty(db))) throw missingAuditKey(config);
          createAuditKey(config);
        }
        await checkAdminPasswordFile(db, config);
        const seedCtx = { db, clock: systemClock, calendar: loadCalendar(config) };
        const seedLog = pino({ level: config.logLevel });
        await loadDemo(seedCtx, config, seedLog);
        await ensureAdmin(seedCtx, config, seedLog);
        printDemoTokens(config, seedLog);
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'audit': {
      if (argv[1] !== 'verify') {
        process.stderr.write('usage: shouhou audit verify\n');
        return 2;
      }
      // verifying needs the key the trail was written with: a new one would only report a break at row 1
      if (!loadAuditKey(config)) throw missingAuditKey(config);
      if (!config.databaseUrl && !existsSync(config.sqliteFile)) throw new CliError(`there is no database at ${config.sqliteFile}; nothing was created`, 2);
      restrictUmask();
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
    case 'shop':
      return shopCommand(argv.slice(1), config);
    case 'topsim':
      return runTopSimCli(argv.slice(1));
    case 'bench': {
      const flags = parseFlags(argv.slice(1).filter((a) => a !== '--quick'));
      const quick = argv.includes('--quick');
      for (const name of flags.keys()) {
        if (name !== 'sync-refunds' && name !== 'import-rows' && name !== 'refunds') {
          throw new CliError(`unknown flag --${name} (bench takes --quick, --refunds <n>, --sync-refunds <n> and --import-rows <n>, 0 to skip any)`, 2);
        }
      }
      const scaleRefunds = Number(flags.get('refunds') ?? (quick ? 2_000 : 100_000));
      if (!Number.isInteger(scaleRefunds) || (scaleRefunds !== 0 && scaleRefunds < 200) || scaleRefunds > 5_000_000) {
        throw new CliError('--refunds is 0 (skip) or a whole number from 200 to 5,000,000', 2);
      }
      const syncRefunds = Number(flags.get('sync-refunds') ?? (quick ? 500 : 20_000));
      if (!Number.isInteger(syncRefunds) || syncRefunds < 0 || syncRefunds > 1_000_000) throw new CliError('--sync-refunds is a whole number from 0 to 1,000,000', 2);
      const importRows = Number(flags.get('import-rows') ?? (quick ? 2_000 : 200_000));
      if (!Number.isInteger(importRows) || importRows < 0 || importRows > 200_000) throw new CliError('--import-rows is a whole number from 0 to 200,000', 2);
      const out = (line: string) => process.stdout.write(`${line}\n`);
      if (quick) out('bench --quick: every part at a small size, so that it cannot rot; its figures are not the machine\'s capacity');
      await runBench(quick ? { orders: 5_000, openRefunds: 2_000, out } : { orders: 100_000, openRefunds: 20_000, out });
      // the engine on PostgreSQL at 1 and 8 clients against a raw transaction through the same pool (issue 16 §2)
      if (isPostgresUrl(config.databaseUrl)) {
        await runPgEngineBench(
          quick
            ? { databaseUrl: config.databaseUrl, orders: 6_000, openRefunds: 6_000, turnMs: 100, rounds: 2, out }
            : { databaseUrl: config.databaseUrl, orders: 100_000, openRefunds: 75_000, turnMs: 500, rounds: 6, out },
        );
      }
      if (syncRefunds > 0) await runSyncBench({ refunds: syncRefunds, out });
      if (importRows > 0) await runImportBench({ rows: importRows, out });
      // the queue at a large shop's size: on PostgreSQL when DATABASE_URL is set (a database of its own, dropped after)
      if (scaleRefunds > 0) await runScaleBench({ refunds: scaleRefunds, databaseUrl: config.databaseUrl, out });
      return 0;
    }
    case 'loadtest':
      // issue 16 §3: a peak day against real processes (its own database on DATABASE_URL's server, or SQLite)
      return runLoadTestCli(argv.slice(1), { databaseUrl: config.databaseUrl });
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

/** Flags `--name value` (or `--name=value`) into a map; unknown flags are the caller's to refuse. */
function parseFlags(args: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new CliError(`unexpected argument "${arg}"`, 2);
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new CliError(`${arg} needs a value`, 2);
      flags.set(arg.slice(2), value);
      i++;
    }
  }
  return flags;
}

const shopUsage = 'usage: shouhou shop add --code <code> --name <name> --admin <username> [--platform taobao|tmall] [--bind-topsim <simulator url>]';

/**
 * `shouhou shop add`: a new shop whose admin is the named user (issue 12 §1); with --bind-topsim, bound to a
 * running simulator (its credentials read from the simulator's /sim/credentials) for a demo.
 */
async function shopCommand(args: string[], config: Config): Promise<number> {
  if (args[0] !== 'add') {
    process.stderr.write(`${shopUsage}\n`);
    return 2;
  }
  const flags = parseFlags(args.slice(1));
  for (const name of flags.keys()) if (!['code', 'name', 'admin', 'platform', 'bind-topsim'].includes(name)) throw new CliError(`unknown flag --${name}\n${shopUsage}`, 2);
  const code = flags.get('code');
  const name = flags.get('name');
  const adminName = flags.get('admin');
  const platform = flags.get('platform') ?? (flags.has('bind-topsim') ? 'taobao' : null);
  if (!code || !name || !adminName) throw new CliError(shopUsage, 2);
  if (platform !== null && platform !== 'taobao' && platform !== 'tmall') throw new CliError('--platform is taobao or tmall', 2);
  restrictUmask();
  prepareDataDir(config);
  if (!loadAuditKey(config)) throw missingAuditKey(config);
  const db = openConfigured(config);
  try {
    await migrateToLatest(db);
    const log = { info: (_o: object, m: string) => process.stdout.write(`${m}\n`) };
    await loadSecretKey(config, db, log);
    const ctx: AppContext = { db, clock: systemClock, calendar: loadCalendar(config) };
    const user = await findUserByUsername(db.kysely, adminName.trim().toLowerCase());
    if (!user) throw new CliError(`there is no user ${adminName}`, 1);
    const shop = await createShopAsAdmin(ctx, { actor: null, code, name, platform, adminUserId: user.id });
    process.stdout.write(`added the shop ${shop.code} (${shop.name}); ${user.username} is its admin\n`);
    const sim = flags.get('bind-topsim');
    if (sim) {
      const res = await fetch(new URL('/sim/credentials', sim));
      if (!res.ok) throw new CliError(`the simulator at ${sim} did not answer its credentials (${res.status})`, 1);
      const c = (await res.json()) as { gatewayUrl: string; appKey: string; appSecret: string; sessionKey: string; sellerNick: string };
      const actorRow = await db.kysely
        .selectFrom('actors')
        .innerJoin('shops', 'shops.id', 'actors.shop_id')
        .select(['actors.id', 'actors.shop_id'])
        .where('shops.code', '=', shop.code)
        .where('actors.user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      // the operator binds on this machine: the simulator's loopback gateway is theirs to allow
      await saveBinding(ctx, {
        allowLocalGateway: true,
        actor: { id: actorRow.id, shopId: actorRow.shop_id, role: 'admin', name: user.displayName, buyerNick: null, kind: 'user', userId: user.id },
        ip: 'cli',
        input: { platform: platform === 'tmall' ? 'tmall' : 'taobao', sellerNick: c.sellerNick, appKey: c.appKey, appSecret: c.appSecret, sessionKey: c.sessionKey, gatewayUrl: c.gatewayUrl, ratePerSecond: 50 },
      });
      process.stdout.write(`bound ${shop.code} to the simulator at ${c.gatewayUrl} (seller ${c.sellerNick}); the backfill starts with the server\n`);
    }
    return 0;
  } finally {
    await db.close();
  }
}
