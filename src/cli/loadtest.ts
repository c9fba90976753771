/**
 * `shouhou loadtest` (issue 16 §3): a peak day against real processes. It starts the platform simulator and
 * two server processes on one PostgreSQL (one on SQLite), each as `shouhou topsim` and `shouhou serve` run,
 * in a database of its own (created and dropped, like the bench's); binds a Taobao shop to the simulator;
 * then for a fixed time the simulator applies refunds at a set rate with the buyers' follow-ups (through
 * TMC, which the connector consumes), agents, supervisors and the warehouse work the queue over HTTP with
 * sessions (loadtest-staff.ts), and the sweeper and the outbox workers run as in production (a second shop
 * of shouhou's own has deadlines falling due throughout). After the load stops and the queues drain it
 * prints, against our targets: each route's p50/p95/p99, the answers by status (409s by code), the ingest,
 * outbox and sweeper lags, each process's CPU and memory, and the consistency check
 * (loadtest-check.ts). The exit code is 1 when the consistency check fails, a 5xx was answered or a
 * server died; a time that misses its target only prints NOT MET.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { useAuditKey } from '../app/audit.ts';
import { SettableClock, systemClock, type AppContext } from '../app/context.ts';
import { createOrder } from '../app/orders.ts';
import { saveBinding } from '../app/platform/bindings.ts';
import { applyRefund } from '../app/refunds.ts';
import { useSecretKey } from '../app/secrets.ts';
import { createActorToken, createShop } from '../app/shops.ts';
import { createUser, ensureFirstAdmin } from '../app/users.ts';
import { saveProduct } from '../app/workbench/products.ts';
import { chinaCalendar } from '../core/calendar/china-calendar.ts';
import { Rand } from '../core/random.ts';
import { migrateToLatest, openDatabase, type Db } from '../db/connection.ts';
import { catalogue, outerSkuIdOf } from '../topsim/catalogue.ts';
import type { LoadLogEntry, LoadStatus } from '../topsim/load.ts';
import { checkConsistency, measureLags, measureSweeper, type Check, type SimSnapshotRows } from './loadtest-check.ts';
import { busiestOthers, ResourceSampler, sleep, spawnShouhou, stopProcess, waitForOutput, type Spawned } from './loadtest-procs.ts';
import { blockMarkdown, blockText, fileSystemOf, mb, msText, percent, Series, writeResultsFile, type Block } from './loadtest-report.ts';
import { newTeam, RouteStats, StaffSession, work, type FlowCounter, type Team } from './loadtest-staff.ts';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Our targets (the issue names the 5xx and leaves the times to us). */
export const TARGETS = {
  routeP95Ms: 1000,
  ingestP95Ms: 5000,
  outboxP95Ms: 5000,
  sweeperMaxMs: 60_000,
} as const;

export interface LoadTestOptions {
  database: 'sqlite' | 'postgres';
  /** the PostgreSQL server to make the run's database on (any database URL of it) */
  postgresUrl: string;
  durationMs: number;
  /** refunds a second */
  rate: number;
  agents: number;
  supervisors: number;
  warehouse: number;
  servers: number;
  thinkMs: number;
  quick: boolean;
  seed: number;
  /** the section of the results file this run writes */
  label: string;
  outFile?: string | undefined;
  out: (line: string) => void;
}

export interface Target {
  name: string;
  target: string;
  value: string;
  met: boolean;
  /** a miss fails the run (exit 1); the others only print NOT MET */
  hard: boolean;
}

export interface LoadTestResult {
  ok: boolean;
  targets: Target[];
  checks: Check[];
  serverErrors: number;
  text: string[];
}

const STAFF_PASSWORD = `Load-Test-${randomBytes(6).toString('hex')}`;

/** The settings a run's size implies (the quick mode is the CI's: everything, small and fast). */
function plan(o: LoadTestOptions) {
  return {
    followUpMs: o.quick ? ([200, 600] as [number, number]) : ([2000, 8000] as [number, number]),
    arrivalMs: o.quick ? 200 : 5000,
    // the quick mode leans on the longest path (a return: agreed, shipped back, received, confirmed) so that it ends in its few seconds
    mix: o.quick ? { agree: 25, return: 40, damaged: 15, quality: 10, withdraw: 10 } : undefined,
    sweepIntervalMs: o.quick ? 1000 : null,
    sweeperRefunds: o.quick ? 4 : Math.max(10, Math.round(o.durationMs / 5000)),
    // a bound, not a wait: the drain ends as soon as the queues are empty (a second or two when the machine is quiet)
    drainMs: o.quick ? 30_000 : 600_000,
    backfillMs: o.quick ? 20_000 : 900_000,
    orders: Math.ceil((o.rate * o.durationMs) / 1000 * 1.1) + 10,
  };
}

export async function runLoadTest(o: LoadTestOptions): Promise<LoadTestResult> {
  const out = o.out;
  const t0 = Date.now();
  const say = (line: string) => out(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${line}`);
  const p = plan(o);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'shouhou-loadtest-'));
  const auditKey = randomBytes(32).toString('hex');
  const secretKey = randomBytes(32).toString('hex');
  useAuditKey(Buffer.from(auditKey, 'hex'));
  useSecretKey(Buffer.from(secretKey, 'hex'));

  // -- the run's database ----------------------------------------------------------------------------------
  let target: string;
  let where: string;
  let dropDatabase: () => Promise<void> = async () => {};
  if (o.database === 'postgres') {
    const name = `shouhou_loadtest_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: o.postgresUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(o.postgresUrl);
    u.pathname = `/${name}`;
    target = u.toString();
    if (u.password) u.password = '***';
    where = `database ${name} on ${u.host} (created for this run, dropped after it)`;
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: o.postgresUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    target = path.join(tmp, 'shouhou.sqlite');
    where = `file ${target} (${fileSystemOf(tmp)}; WAL, synchronous=FULL)`;
  }

  const processes: Spawned[] = [];
  let db: Db | null = null;
  let team: Team | null = null;
  const httpAgents: http.Agent[] = [];
  try {
    say(`load test: ${o.database === 'postgres' ? `PostgreSQL, ${o.servers} server processes` : 'SQLite, one server process'}; ${o.rate} refunds/s for ${o.durationMs / 1000} s; ${o.agents} agents, ${o.supervisors} supervisor(s), ${o.warehouse} warehouse; think ${o.thinkMs} ms`);
    say(`the database: ${where}`);
    // -- the simulator ---------------------------------------------------------------------------------------
    const sim = spawnShouhou('topsim', ['topsim', '--port', '0', '--orders', '0', '--refunds', '0', '--seed', String(o.seed)], { env: childEnv({}), logFile: path.join(tmp, 'topsim.log') });
    processes.push(sim);
    db = openDatabase(target);
    await migrateToLatest(db);
    // -- the shops, the people, the products (while the simulator starts) -----------------------------------------
    const ctx: AppContext = { db, clock: systemClock, calendar: chinaCalendar(), allowLocalGateway: true };
    const shop = await createShop(ctx, {
      code: 'lt-tb',
      name: '步履鞋业淘宝店（压测）',
      settings: { returnAddress: '浙江省温州市鹿城区双屿街道鞋都大道 88 号 步履售后组', returnConsignee: '步履售后组', returnPhone: '0577-88886666' },
    });
    await ensureFirstAdmin(ctx, { shopId: shop.id, password: STAFF_PASSWORD });
    const own = await createShop(ctx, { code: 'lt-own', name: '步履自营店（压测）', settings: { sellerAnswerUnshippedHours: 1 } });
    const { actor: admin } = await createActorToken(ctx, { shopId: shop.id, role: 'admin', name: 'load test admin' });
    const { actor: merchandiser } = await createActorToken(ctx, { shopId: shop.id, role: 'merchandise', name: 'load test merchandise' });
    const people: { username: string; role: 'agent' | 'supervisor' | 'warehouse' }[] = [
      ...Array.from({ length: o.agents }, (_, i) => ({ username: `lt-agent-${i + 1}`, role: 'agent' as const })),
      ...Array.from({ length: o.supervisors }, (_, i) => ({ username: `lt-supervisor-${i + 1}`, role: 'supervisor' as const })),
      ...Array.from({ length: o.warehouse }, (_, i) => ({ username: `lt-warehouse-${i + 1}`, role: 'warehouse' as const })),
    ];
    for (let i = 0; i < people.length; i += 8) {
      await Promise.all(people.slice(i, i + 8).map((u) => createUser(ctx, { actor: null, username: u.username, displayName: u.username, password: STAFF_PASSWORD, role: u.role, shopId: shop.id })));
    }
    // S1.15: the products' facts (hot-selling, main-promoted, rating) of every SKU the simulator sells
    const skus = catalogue.flatMap((item) => item.colours.flatMap((_, c) => item.sizes.map((size) => ({ sku: outerSkuIdOf(item, c, size), title: item.title }))));
    for (let i = 0; i < skus.length; i += 10) {
      await Promise.all(
        skus.slice(i, i + 10).map((s, j) =>
          saveProduct(ctx, { actor: merchandiser, sku: s.sku, title: s.title, styleCategory: '鞋', hotSelling: (i + j) % 3 === 0, mainPromoted: (i + j) % 5 === 0, rating: '4.8' }),
        ),
      );
    }
    // -- the servers (they start while the simulator does; their workers find the binding when it is made) --------
    const serverEnv = childEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      SHOUHOU_DATA_DIR: tmp,
      SHOUHOU_DEMO: '0',
      SHOUHOU_WEB_BUILD: '0',
      SHOUHOU_AUDIT_KEY: auditKey,
      SHOUHOU_SECRET_KEY: secretKey,
      SHOUHOU_ALLOW_LOCAL_GATEWAY: '1',
      LOG_LEVEL: 'info',
      ...(o.database === 'postgres' ? { DATABASE_URL: target } : {}),
      ...(p.sweepIntervalMs !== null ? { SHOUHOU_SWEEP_INTERVAL_MS: String(p.sweepIntervalMs) } : {}),
    });
    const servers = Array.from({ length: o.servers }, (_, i) => spawnShouhou(`server ${i + 1}`, ['serve'], { env: serverEnv, logFile: path.join(tmp, `server-${i + 1}.log`) }));
    processes.push(...servers);
    // -- the simulator's orders of the days before, and the binding ------------------------------------------------
    const simUrl = new URL(await waitForOutput(sim, /gateway URL:\s+(http:\/\/\S+)\/router\/rest/, 60_000));
    const simCall = simClient(simUrl);
    const credentials = (await simCall('GET', '/sim/credentials')) as { gatewayUrl: string; appKey: string; appSecret: string; sessionKey: string; sellerNick: string };
    say(`the simulator listens on ${simUrl.origin}`);

    const prepared = (await simCall('POST', '/sim/load/prepare', { orders: p.orders, seed: o.seed, ...(p.mix ? { mix: p.mix } : {}) })) as { prepared: number };
    await saveBinding(ctx, {
      actor: admin,
      ip: 'loadtest',
      allowLocalGateway: true,
      input: {
        platform: 'taobao',
        sellerNick: credentials.sellerNick,
        appKey: credentials.appKey,
        appSecret: credentials.appSecret,
        sessionKey: credentials.sessionKey,
        gatewayUrl: credentials.gatewayUrl,
        signMethod: 'hmac-sha256',
        ratePerSecond: 1000,
        backfillDays: 1,
      },
    });
    say(`set up: 2 shops, ${people.length} people, ${skus.length} products; ${prepared.prepared} orders made on the simulator ahead of the day`);

    const urls = await Promise.all(servers.map((s) => waitForOutput(s, /shouhou listens on (http:\/\/[\d.:]+)/, 120_000)));
    say(`servers listen on ${urls.join(', ')}`);

    // the first binding's backfill brings the orders made ahead in (not part of the day)
    const backfillDeadline = Date.now() + p.backfillMs;
    for (let shown = 0; ; ) {
      const streams = await db.kysely.selectFrom('sync_streams').select(['stream', 'backfill_done', 'records']).where('shop_id', '=', shop.id).execute();
      const done = streams.filter((s) => s.stream !== 'tmc').every((s) => s.backfill_done === 1) && streams.length > 0;
      if (done) break;
      if (Date.now() > backfillDeadline) throw new Error(`the backfill did not finish in ${p.backfillMs / 1000} s`);
      if (Date.now() - shown > 15_000) {
        shown = Date.now();
        say(`backfill: ${streams.map((s) => `${s.stream} ${s.records} records`).join(', ')}`);
      }
      await sleep(250);
    }
    say('the backfill is in: the shop holds the orders of the days before');

    // -- the people sign in, spread over the servers (as a load balancer would) ----------------------------------
    const stats = new RouteStats();
    httpAgents.push(...urls.map(() => new http.Agent({ keepAlive: true, maxSockets: 64 })));
    const sessions = people.map((u, i) => new StaffSession(u.username, u.role, new URL(urls[i % urls.length]!), httpAgents[i % urls.length]!, stats));
    for (let i = 0; i < sessions.length; i += 4) await Promise.all(sessions.slice(i, i + 4).map((s) => s.signIn(STAFF_PASSWORD)));
    const crew = newTeam({ thinkMs: o.thinkMs, arrivalMs: p.arrivalMs });
    team = crew;
    crew.supervisors = sessions.filter((s) => s.role === 'supervisor').map((s) => s.userId);
    say(`${sessions.length} people signed in`);

    // -- the sweeper's work: refunds of shouhou's own, applied for an hour before their deadline falls in the run
    const clock = new SettableClock();
    const ownCtx: AppContext = { db, clock, calendar: ctx.calendar };
    const { actor: ownSystem } = await createActorToken(ctx, { shopId: own.id, role: 'system', name: 'load test orders' });
    const { actor: ownBuyer } = await createActorToken(ctx, { shopId: own.id, role: 'buyer', name: 'load test buyer', buyerNick: 'lt_buyer' });
    const loadStart = Date.now() + (o.quick ? 500 : 5000) + p.sweeperRefunds * 40;
    const deadlines = new Map<number, number>();
    for (let i = 0; i < p.sweeperRefunds; i += 1) {
      const due = loadStart + Math.round(((i + 0.5) / p.sweeperRefunds) * o.durationMs * 0.8);
      clock.set(new Date(due - 3_600_000));
      const order = await createOrder(ownCtx, {
        actor: ownSystem,
        order: {
          orderNo: `LT${o.seed}${String(i).padStart(6, '0')}${Date.now().toString(36)}`,
          buyer: { nick: 'lt_buyer', name: '压测买家', phone: '13800001234', address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 1 号' } },
          lines: [{ sku: 'XZ-2061-MB-37', title: '步履 女士真皮小白鞋', style: '板鞋', size: '37', unitPriceFen: 19_900, quantity: 1 }],
          paidFen: 19_900,
          postageFen: 0,
          escrow: true,
        },
      });
      const refund = await applyRefund(ownCtx, {
        actor: ownBuyer,
        orderNo: order.orderNo,
        application: { lineNo: null, type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted', description: '不想要了', evidence: [] },
      });
      if (refund.deadline?.at) deadlines.set(refund.id, refund.deadline.at.getTime());
    }
    while (Date.now() < loadStart) await sleep(20);

    // -- the day --------------------------------------------------------------------------------------------
    const sampler = new ResourceSampler();
    for (const s of servers) sampler.add(s.name, () => [s.pid]);
    sampler.add('topsim', () => [sim.pid]);
    sampler.add('load test (this process: the people)', () => [process.pid]);
    const pgPids = o.database === 'postgres' ? await backendPids(db, target) : null;
    if (pgPids) sampler.add("PostgreSQL (the run's backends)", () => pgPids.current);
    sampler.start();
    const started = Date.now();
    const startStatus = (await simCall('POST', '/sim/load/start', { refundsPerSecond: o.rate, followUpMs: p.followUpMs })) as LoadStatus;
    say(`the day starts: ${o.rate} refunds/s`);
    const rand = new Rand(o.seed);
    const loops = sessions.map((s, i) => work(s, crew, new Rand(rand.int(1, 2 ** 31) ^ i)));
    let others: { pid: number; command: string; pct: number }[] = [];
    const end = started + o.durationMs;
    let lastReport = started;
    while (Date.now() < end) {
      await sleep(Math.min(250, end - Date.now()));
      if (pgPids) await pgPids.refresh();
      if (Date.now() - lastReport >= (o.quick ? 5000 : 30_000)) {
        lastReport = Date.now();
        const st = (await simCall('GET', '/sim/load/status')) as LoadStatus;
        say(`${st.published} refunds published, TMC backlog ${st.tmcBacklog}, ${stats.count(() => true)} calls answered`);
      }
      if (others.length === 0 && Date.now() - started > o.durationMs / 2) {
        others = await busiestOthers(new Set([...processes.map((x) => x.pid), process.pid, ...(pgPids?.current ?? [])]));
      }
    }
    const stopped = (await simCall('POST', '/sim/load/stop')) as LoadStatus;
    const tmcQueued = stopped.tmcQueued - startStatus.tmcQueued;
    const simStoppedAt = Date.now();
    crew.stopping = true;
    // each person finishes the step in hand (a minute at most)
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(loops), new Promise<void>((resolve) => (giveUp = setTimeout(resolve, 60_000)))]);
    clearTimeout(giveUp);
    sampler.stop();
    const loadEnd = Date.now();
    say(`the day ends: ${stopped.published} refunds published in ${((loadEnd - started) / 1000).toFixed(1)} s; draining`);

    // -- the queues drain ----------------------------------------------------------------------------------------
    const drainStart = Date.now();
    let drained = false;
    let backlog = { tmc: 0, outbox: 0, sweeper: 0 };
    for (let calm = 0, shown = Date.now(); Date.now() - drainStart < p.drainMs; ) {
      const st = (await simCall('GET', '/sim/load/status')) as LoadStatus;
      const outbox = await db.kysely.selectFrom('platform_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('shop_id', '=', shop.id).where('status', 'in', ['pending', 'sending']).executeTakeFirstOrThrow();
      const expired = await db.kysely.selectFrom('refund_events').select((eb) => eb.fn.countAll<number>().as('n')).where('shop_id', '=', own.id).where('action', '=', 'expire').executeTakeFirstOrThrow();
      const dueByNow = [...deadlines.values()].filter((d) => d <= loadEnd).length;
      backlog = { tmc: st.tmcBacklog, outbox: Number(outbox.n), sweeper: Math.max(0, dueByNow - Number(expired.n)) };
      calm = backlog.tmc === 0 && backlog.outbox === 0 && backlog.sweeper === 0 ? calm + 1 : 0;
      if (calm >= 3) {
        drained = true;
        break;
      }
      if (Date.now() - shown > 15_000) {
        shown = Date.now();
        say(`draining: TMC ${backlog.tmc}, outbox ${backlog.outbox}, deadlines ${backlog.sweeper}`);
      }
      await sleep(250);
    }
    const drainMs = Date.now() - drainStart;
    say(drained ? `drained in ${(drainMs / 1000).toFixed(1)} s` : `NOT drained after ${(drainMs / 1000).toFixed(0)} s: TMC ${backlog.tmc}, outbox ${backlog.outbox}, deadlines ${backlog.sweeper}`);

    // -- what happened ------------------------------------------------------------------------------------------
    const log = await readLog(simCall);
    const snapshot = (await simCall('GET', '/sim/load/snapshot')) as SimSnapshotRows;
    const lags = await measureLags(db, { shopId: shop.id, log });
    const sweeper = await measureSweeper(db, { shopId: own.id, deadlines, endMs: loadEnd });
    const checks = await checkConsistency(db, { shopId: shop.id, snapshot, log });
    const crashed = servers.filter((s) => s.child.exitCode !== null || s.child.signalCode !== null);
    checks.push({
      name: 'every server ran to the end',
      ok: crashed.length === 0,
      detail: crashed.length === 0 ? `${servers.length} of ${servers.length}` : crashed.map((s) => `${s.name} exited ${s.child.exitCode ?? s.child.signalCode}`).join('; '),
      examples: crashed.map((s) => s.output().slice(-1000)),
    });
    const logErrors = servers.map((s) => ({ name: s.name, errors: s.output().split('\n').filter((l) => /"level":(50|60)/.test(l)) }));
    const usage = sampler.usage();
    const machine = sampler.machine();
    const info = await machineInfo(db, tmp);

    // -- the report -----------------------------------------------------------------------------------------------
    const seconds = (loadEnd - started) / 1000;
    const achieved = stopped.published / ((simStoppedAt - started) / 1000);
    const fiveXx = stats.count((s) => s >= 500);
    const targets: Target[] = [];
    const addTarget = (name: string, targetText: string, value: string, met: boolean, hard = false) => targets.push({ name, target: targetText, value, met, hard });
    addTarget('no 5xx answer', '0', String(fiveXx), fiveXx === 0, true);
    addTarget('every call answered', '0 without an answer', String(stats.transportErrors.length), stats.transportErrors.length === 0);
    addTarget('the simulator kept the rate', `≥ ${(o.rate * 0.95).toFixed(1)} refunds/s`, `${achieved.toFixed(1)} refunds/s`, achieved >= o.rate * 0.95);
    const slowRoutes = [...stats.routes].filter(([, r]) => r.series.percentile(0.95) > TARGETS.routeP95Ms);
    addTarget('every route p95 (ours)', `≤ ${TARGETS.routeP95Ms} ms`, slowRoutes.length === 0 ? 'all' : `${slowRoutes.length} over: ${slowRoutes.map(([k]) => k).join(', ')}`, slowRoutes.length === 0);
    addTarget('ingest lag p95 (ours)', `≤ ${TARGETS.ingestP95Ms / 1000} s`, msText(lags.ingest.percentile(0.95)), lags.ingest.count > 0 && lags.ingest.percentile(0.95) <= TARGETS.ingestP95Ms);
    addTarget('outbox lag p95 (ours)', `≤ ${TARGETS.outboxP95Ms / 1000} s`, msText(lags.outbox.percentile(0.95)), lags.outbox.count > 0 && lags.outbox.percentile(0.95) <= TARGETS.outboxP95Ms);
    addTarget('sweeper lag, the worst (ours)', `≤ ${TARGETS.sweeperMaxMs / 1000} s`, msText(sweeper.lag.max()), sweeper.due > 0 && sweeper.missed === 0 && sweeper.lag.max() <= TARGETS.sweeperMaxMs);
    addTarget('the queues drained after the load', `in ≤ ${p.drainMs / 1000} s`, drained ? `${(drainMs / 1000).toFixed(1)} s` : `not: TMC ${backlog.tmc}, outbox ${backlog.outbox}`, drained);
    const consistent = checks.every((c) => c.ok);
    addTarget('consistency check', 'passes', consistent ? 'passes' : `FAILS (${checks.filter((c) => !c.ok).map((c) => c.name).join('; ')})`, consistent, true);

    const blocks: Block[] = [];
    blocks.push({
      title: 'Run',
      rows: [
        ['', ''],
        ['database', o.database === 'postgres' ? `PostgreSQL ${info.postgres}; ${o.servers} server processes` : `SQLite ${info.sqlite}; one server process`],
        ['duration', `${seconds.toFixed(0)} s of load (then ${(drainMs / 1000).toFixed(1)} s to drain)`],
        ['rate', `${o.rate} refunds/s asked, ${achieved.toFixed(1)} published (${stopped.published} refunds; ${stopped.followUpsDone} buyer follow-ups)`],
        ['TMC', `${tmcQueued} messages queued in the run (${(tmcQueued / ((simStoppedAt - started) / 1000)).toFixed(1)}/s: the refunds, the buyers' follow-ups, the seller's decisions coming back, the trades' changes)`],
        ['people', `${o.agents} agents, ${o.supervisors} supervisor(s), ${o.warehouse} warehouse; think time ${o.thinkMs} ms on average`],
        ['sweeper', `every ${(p.sweepIntervalMs ?? 10_000) / 1000} s${p.sweepIntervalMs === null ? ' (the default)' : ''}; ${sweeper.due} deadlines of a shop of our own fell due in the run`],
        ['workers', 'TMC, pulls (every 5 min) and the outbox in every server process, as in production'],
      ],
    });
    blocks.push({
      title: 'Targets',
      note: 'The times are our targets (the issue leaves them to us); only the 5xx and the consistency check fail the run.',
      rows: [['measure', 'target', 'value', ''], ...targets.map((t) => [t.name, t.target, t.value, t.met ? 'MET' : 'NOT MET'])],
    });
    const routeRows = [...stats.routes].sort(([a], [b]) => a.localeCompare(b));
    blocks.push({
      title: 'Routes (as the people saw them, from the client)',
      rows: [
        ['route', 'calls', 'p50', 'p95', 'p99', 'statuses', 'p95 target', ''],
        ...routeRows.map(([k, r]) => [
          k,
          String(r.series.count),
          msText(r.series.percentile(0.5)),
          msText(r.series.percentile(0.95)),
          msText(r.series.percentile(0.99)),
          [...r.statuses].sort(([a], [b]) => a - b).map(([s, c]) => `${s}×${c}`).join(' '),
          `≤ ${TARGETS.routeP95Ms} ms`,
          r.series.percentile(0.95) <= TARGETS.routeP95Ms ? 'MET' : 'NOT MET',
        ]),
      ],
    });
    const byStatus = new Map<number, number>();
    for (const r of stats.routes.values()) for (const [s, c] of r.statuses) byStatus.set(s, (byStatus.get(s) ?? 0) + c);
    blocks.push({
      title: 'Answers by status',
      note: `5xx: ${fiveXx} (target 0). 409s are counted apart, by code: the refund moved on, a colleague was first, or a guard of the SOP.${stats.transportErrors.length ? `\nNo answer: ${stats.transportErrors.length} (${[...new Set(stats.transportErrors.map((e) => e.error))].slice(0, 3).join('; ')})` : ''}`,
      rows: [
        ['status', 'answers', 'codes'],
        ...[...byStatus].sort(([a], [b]) => a - b).map(([s, c]) => [
          String(s),
          String(c),
          s === 409 ? [...stats.conflicts].map(([k, n]) => `${k}×${n}`).join(', ') : s >= 400 && s < 500 ? [...stats.clientErrors].filter(([k]) => k.startsWith(String(s))).map(([k, n]) => `${k.slice(4) || '–'}×${n}`).join(', ') : s >= 500 ? stats.serverErrors.slice(0, 3).map((e) => `${e.route}: ${e.body.slice(0, 120)}`).join(' | ') : '',
        ]),
      ],
    });
    const lagRow = (name: string, s: Series, targetText: string, met: boolean | null) => [name, String(s.count), msText(s.percentile(0.5)), msText(s.percentile(0.95)), msText(s.percentile(0.99)), msText(s.max()), targetText, met === null ? '' : met ? 'MET' : 'NOT MET'];
    blocks.push({
      title: 'Lags',
      note: [
        'ingest: a buyer\'s change on the simulator → the refund event that shows it in the queue (its transaction);',
        "outbox: an agent's decision (its outbox row, same transaction) → the simulator applying it;",
        "sweeper: a deadline of a refund of our own shop → the sweeper's expire event.",
        lags.ingestMissing > 0 ? `ingest: ${lags.ingestMissing} buyer change(s) never shown.` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      rows: [
        ['lag', 'n', 'p50', 'p95', 'p99', 'max', 'target', ''],
        lagRow('ingest (platform → queue)', lags.ingest, `p95 ≤ ${TARGETS.ingestP95Ms / 1000} s`, lags.ingest.count > 0 && lags.ingest.percentile(0.95) <= TARGETS.ingestP95Ms),
        lagRow('outbox (action → platform)', lags.outbox, `p95 ≤ ${TARGETS.outboxP95Ms / 1000} s`, lags.outbox.count > 0 && lags.outbox.percentile(0.95) <= TARGETS.outboxP95Ms),
        ...[...lags.outboxByKind].map(([k, s]) => lagRow(`  outbox: ${k}`, s, '', null)),
        lagRow(`sweeper (due → applied; ${sweeper.applied}/${sweeper.due} applied)`, sweeper.lag, `max ≤ ${TARGETS.sweeperMaxMs / 1000} s`, sweeper.due > 0 && sweeper.missed === 0 && sweeper.lag.max() <= TARGETS.sweeperMaxMs),
      ],
    });
    blocks.push({
      title: 'Outbox at the end',
      rows: [
        ['status', 'rows'],
        ...[...lags.outboxStatus].map(([k, n]) => [k, String(n)]),
        ...[...lags.outboxRefused].map(([k, n]) => [`refused by the platform: ${k}`, String(n)]),
      ],
    });
    blocks.push({
      title: 'Processes (CPU in % of one core; memory: PSS, resident with shared pages split)',
      note: `The machine: ${percent(machine.busyPct)} of its ${machine.cores} cores busy over the run; load average ${machine.loadAvgMean.toFixed(1)} on average, ${machine.loadAvgMax.toFixed(1)} at most; what is not this run's: ${percent(Math.max(0, (machine.busyPct / 100) * machine.cores * 100 - usage.reduce((sum, u) => sum + u.cpuAvgPct, 0)))} of one core on average (contention).${
        others.length ? `\nOther processes busy halfway through (contention): ${others.map((x) => `${x.command} ${x.pct.toFixed(0)} %`).join(', ')}.` : '\nNo other process used 5 % of a core or more halfway through.'
      }`,
      rows: [
        ['process', 'CPU avg', 'CPU max (5 s)', 'CPU time', 'memory avg', 'memory max'],
        ...usage.map((u) => [u.name, percent(u.cpuAvgPct), percent(u.cpuMaxPct), `${u.cpuSeconds.toFixed(0)} s`, mb(u.rssAvgMb), mb(u.rssMaxMb)]),
      ],
    });
    const flowOrder: FlowCounter[] = [
      'agreed',
      'returns agreed',
      'arrivals recorded',
      'receipts confirmed',
      'sign times recorded from the trace',
      'refusals with the facts gathered',
      'refusals handed to a supervisor',
      'refusals with a supervisor override',
      'S1.5 reason changes asked',
      'claims lost to a colleague',
      'stale versions reloaded',
      'refunds changed before the action (dropped)',
      'S1.15 guard asked for more than the sign time',
    ];
    blocks.push({
      title: 'What the people did',
      ...(crew.surprises.length ? { note: `Unexpected answers (${crew.surprises.length}): ${crew.surprises.slice(0, 5).join(' | ')}` } : {}),
      rows: [['step', 'times'], ...flowOrder.map((k) => [k, String(crew.counters.get(k) ?? 0)])],
    });
    blocks.push({
      title: 'Consistency check',
      note: drained ? undefined : 'The queues had not drained: what was still on its way shows as differences.',
      rows: [['check', '', 'detail'], ...checks.map((c) => [c.name, c.ok ? 'OK' : 'FAILED', [c.detail, ...c.examples.slice(0, 3)].join(' · ')])],
    });
    if (logErrors.some((l) => l.errors.length > 0)) {
      blocks.push({
        title: 'Errors in the servers\' logs',
        rows: [['server', 'lines', 'first'], ...logErrors.map((l) => [l.name, String(l.errors.length), (l.errors[0] ?? '').slice(0, 200)])],
      });
    }
    blocks.push({
      title: 'Machine',
      rows: [
        ['', ''],
        ['CPU', `${info.cpu} × ${os.cpus().length}`],
        ['memory', `${(os.totalmem() / 1024 ** 3).toFixed(1)} GB`],
        ['system', `${os.type()} ${os.release()}`],
        ['Node.js', process.version],
        ['PostgreSQL', info.postgres],
        ['SQLite', info.sqlite],
        ['file system', info.fileSystem],
        ['code', info.code],
        ['when', new Date(started).toISOString()],
      ],
    });
    const ok = fiveXx === 0 && consistent;
    const text = blocks.flatMap(blockText);
    text.push(`${targets.filter((t) => t.met).length} of ${targets.length} targets MET; ${ok ? 'no 5xx and the consistency check passes' : 'FAILED: ' + targets.filter((t) => t.hard && !t.met).map((t) => t.name).join(', ')}`);
    out('');
    for (const line of text) out(line);
    if (o.outFile) {
      const heading = `## ${o.database === 'postgres' ? 'PostgreSQL' : 'SQLite'}: ${o.rate} refunds/s, ${o.agents} agents, ${seconds.toFixed(0)} s${o.quick ? ' (quick mode)' : ''}`;
      const command = `npm run loadtest -- --database ${o.database} --duration ${o.durationMs / 1000}s --rate ${o.rate} --agents ${o.agents}${o.quick ? ' --quick' : ''} --label ${o.label} --out ${o.outFile}`;
      writeResultsFile(o.outFile, o.label, [heading, '', `\`${command}\` on ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC.`, '', ...blocks.flatMap(blockMarkdown), `**${text[text.length - 1]}**`, '']);
      say(`results written to ${o.outFile} (section ${o.label})`);
    }
    return { ok, targets, checks, serverErrors: fiveXx, text };
  } finally {
    if (team) team.stopping = true;
    for (const a of httpAgents) a.destroy();
    for (const proc of processes.slice().reverse()) await stopProcess(proc).catch(() => null);
    if (db) await db.close().catch(() => undefined);
    await dropDatabase().catch((e: unknown) => out(`could not drop the run's database: ${e instanceof Error ? e.message : String(e)}`));
    rmSync(tmp, { recursive: true, force: true });
    useAuditKey(null);
    useSecretKey(null);
  }
}

/** The environment of a spawned process: ours without the database, keys and admin password of the caller. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('SHOUHOU_') || k === 'DATABASE_URL' || k === 'PORT' || k === 'HOST' || k === 'VITEST' || k.startsWith('VITEST_')) delete env[k];
  return { ...env, NODE_ENV: 'production', ...extra };
}

/** The simulator's control API (JSON). */
function simClient(base: URL) {
  return async (method: 'GET' | 'POST', pathname: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(new URL(pathname, base), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`the simulator answered ${method} ${pathname} with ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as unknown;
  };
}

async function readLog(simCall: ReturnType<typeof simClient>): Promise<LoadLogEntry[]> {
  const entries: LoadLogEntry[] = [];
  for (let after = 0; ; ) {
    const page = (await simCall('GET', `/sim/load/log?after=${after}&limit=50000`)) as { entries: LoadLogEntry[]; next: number };
    entries.push(...page.entries);
    if (page.entries.length === 0) return entries;
    after = page.next;
  }
}

/** The PostgreSQL backends serving the run's database, when the server is on this machine (their CPU is the database's). */
async function backendPids(db: Db, target: string): Promise<{ current: number[]; refresh(): Promise<void> } | null> {
  const host = new URL(target).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) return null;
  const name = new URL(target).pathname.slice(1);
  const state = {
    current: [] as number[],
    last: 0,
    async refresh() {
      if (Date.now() - state.last < 2000) return;
      state.last = Date.now();
      const rows = await db.kysely.executeQuery<{ pid: number }>(CompiledQuery.raw('select pid from pg_stat_activity where datname = $1', [name]));
      state.current = rows.rows.map((r) => Number(r.pid));
    },
  };
  await state.refresh();
  return state;
}

/** The commit the run's code is at, and whether the working tree differs from it (read only). */
function codeVersion(): string {
  const cwd = path.resolve(import.meta.dirname, '..', '..');
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean).length;
    return changed > 0 ? `${commit} with ${changed} file(s) changed and not yet committed` : commit;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

async function machineInfo(db: Db, dir: string): Promise<{ cpu: string; postgres: string; sqlite: string; fileSystem: string; code: string }> {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (model?.[1]) cpu = model[1].trim();
  } catch {
    // not Linux
  }
  let postgres = 'not used';
  if (db.dialect === 'postgres') {
    const v = await db.kysely.executeQuery<{ v: string }>(CompiledQuery.raw("select current_setting('server_version') as v"));
    postgres = v.rows[0]?.v ?? 'unknown';
  }
  const { default: Database } = await import('better-sqlite3');
  const mem = new Database(':memory:');
  const sqlite = String((mem.prepare('select sqlite_version() as v').get() as { v: string }).v);
  mem.close();
  return { cpu, postgres, sqlite: `${sqlite} (better-sqlite3)`, fileSystem: `${fileSystemOf(dir)} (${dir.startsWith(os.tmpdir()) ? 'the temporary folder' : dir})`, code: codeVersion() };
}

// ---------------------------------------------------------------------------------------------
// the command

export const loadtestUsage = `shouhou loadtest — a peak day against real processes (issue 16 §3)

  shouhou loadtest [--database postgres|sqlite] [--duration 5m] [--rate 50] [--agents 50] [--out docs/loadtest.md] [--quick]

  --database   postgres (default): two server processes on one PostgreSQL, in a database of its own made on
               DATABASE_URL's server (default ${DEFAULT_PG_URL}) and dropped after;
               sqlite: one server process on a SQLite file
  --duration   how long the load runs: 5m (default), 90s, 2m30s
  --rate       refunds a second the simulator applies, with their follow-ups (default 50; 10 on SQLite)
  --agents     simulated agents (default 50), with one supervisor and one warehouse person per ten agents
  --think-ms   the people's mean think time between steps (default 1500)
  --servers    server processes on PostgreSQL (default 2)
  --seed       the seed of every random choice (default 1)
  --out        write the results (markdown) into this file, in the section of --label (default: the database)
  --label      the section of the results file (default: postgres or sqlite; quick runs: quick-<database>)
  --quick      the CI's short mode: every path (ingest, the people's actions, the outbox, the sweeper, the
               consistency check) in about 20 s, small rate and team; prints the same tables

Exit code 1 when a 5xx was answered or the consistency check fails (a missed time only prints NOT MET).`;

function parseDuration(text: string): number {
  const m = /^(?:(\d+)m)?(?:(\d+)s?)?$/.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined)) throw new Error(`--duration is like 5m, 90s or 2m30s, not "${text}"`);
  return (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 1000;
}

/** `shouhou loadtest …`: the exit code. */
export async function runLoadTestCli(
  argv: string[],
  env: { databaseUrl: string | undefined },
  out: (line: string) => void = (l) => void process.stdout.write(`${l}\n`),
  err: (line: string) => void = (l) => void process.stderr.write(`${l}\n`),
): Promise<number> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--quick') {
      flags.set('quick', 'true');
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      out(loadtestUsage);
      return 0;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) return usageError(err, `unexpected argument "${arg}"`);
    if (!['database', 'duration', 'rate', 'agents', 'think-ms', 'servers', 'seed', 'out', 'label'].includes(m[1]!)) return usageError(err, `unknown flag --${m[1]}`);
    const value = m[2] ?? argv[(i += 1)];
    if (value === undefined) return usageError(err, `--${m[1]} needs a value`);
    flags.set(m[1]!, value);
  }
  const quick = flags.has('quick');
  const database = flags.get('database') ?? 'postgres';
  if (database !== 'postgres' && database !== 'sqlite') return usageError(err, '--database is postgres or sqlite');
  const num = (name: string, fallback: number, min: number, max: number, integer = true): number => {
    const text = flags.get(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) throw new Error(`--${name} is a ${integer ? 'whole ' : ''}number from ${min} to ${max}`);
    return n;
  };
  let options: LoadTestOptions;
  try {
    const agents = num('agents', quick ? 4 : 50, 1, 500);
    const servers = database === 'sqlite' ? 1 : num('servers', 2, 1, 8);
    if (database === 'sqlite' && flags.has('servers') && flags.get('servers') !== '1') throw new Error('SQLite has one writer: one server process (--servers 1)');
    options = {
      database,
      postgresUrl: env.databaseUrl ?? DEFAULT_PG_URL,
      durationMs: flags.has('duration') ? parseDuration(flags.get('duration')!) : quick ? 8000 : 300_000,
      rate: num('rate', quick ? 3 : database === 'sqlite' ? 10 : 50, 0.1, 5000, false),
      agents,
      supervisors: Math.max(1, Math.round(agents / 10)),
      warehouse: Math.max(1, Math.round(agents / 10)),
      servers,
      thinkMs: num('think-ms', quick ? 100 : 1500, 0, 60_000),
      quick,
      seed: num('seed', 1, 0, 2 ** 31),
      label: flags.get('label') ?? (quick ? `quick-${database}` : database),
      outFile: flags.get('out'),
      out,
    };
    if (options.durationMs < 1000 || options.durationMs > 6 * 3_600_000) throw new Error('--duration is from 1 s to 6 h');
    if (!/^[a-z0-9-]{1,40}$/.test(options.label)) throw new Error('--label is 1–40 lowercase letters, digits or "-"');
  } catch (e) {
    return usageError(err, (e as Error).message);
  }
  const result = await runLoadTest(options);
  return result.ok ? 0 : 1;
}

function usageError(out: (line: string) => void, message: string): number {
  out(`shouhou loadtest: ${message}`);
  out(loadtestUsage);
  return 2;
}
