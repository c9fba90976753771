/**
 * `shouhou bench --refunds <n>` (issue 16 §1, "a million refunds"): the queue and the pages around it at a
 * large shop's size, on a fresh SQLite file, or on PostgreSQL when DATABASE_URL is set (a database made for
 * the run and dropped after it).
 *
 * The data is bulk-inserted and not measured (its load time is printed apart): n refunds spread over a year
 * (a 双十一 peak in it) across four shops, each with its order and lines, its events, some assigned to an
 * agent, some with a return tracking number, some retention records, and an audit chain of n/2 rows.
 * Then each read goes through the app's own functions, as the agent or the supervisor of the largest shop:
 * - the queue's first page by deadline (listShopRefunds {open}), target p95 ≤ 20 ms;
 * - each SOP view of the queue and each filter it offers, target p95 ≤ 50 ms each;
 * - the refund page's detail read (getRefund), target p95 ≤ 20 ms;
 * - the supervisor's statistics over a year (refundStatistics), target ≤ 2 s;
 * - the unshipped batch's collection (collectBatch): the first, which adds the waiting refunds, and a repeat;
 * - an audit verify over the chain (verifyAuditChain), in rows per second.
 * The SQL each one runs is captured by a Kysely plugin and its plan printed (SQLite EXPLAIN QUERY PLAN,
 * PostgreSQL EXPLAIN), flagged when it reads a whole large table. A benchmark, not a test: it prints numbers
 * and whether each target is met.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { hashAuditRow, headMac, verifyAuditChain } from '../app/audit.ts';
import { SettableClock, type AppContext } from '../app/context.ts';
import { getRefund, listShopRefunds, type RefundListQuery } from '../app/refunds.ts';
import { createShop } from '../app/shops.ts';
import { collectBatch } from '../app/workbench/unshipped-batch.ts';
import { refundStatistics } from '../app/workbench/statistics.ts';
import { chinaCalendar } from '../core/calendar/china-calendar.ts';
import { shanghaiDate } from '../core/calendar/working-days.ts';
import { Rand } from '../core/random.ts';
import { rootCauses } from '../core/refund/root-causes.ts';
import type { ReasonCode, RefundStatus } from '../core/refund/refund-model.ts';
import type { Actor, Role } from '../core/roles.ts';
import { isPostgresUrl, migrateToLatest, openDatabase, type Db } from '../db/connection.ts';
import { NO_DEADLINE } from '../db/schema.ts';
import { insertUser, setUserRole } from '../db/user-repository.ts';
import { CaptureQueries, fileSystemOf, int, ms, secs, Series } from './bench.ts';

export interface ScaleBenchOptions {
  /** how many refunds to load */
  refunds: number;
  /** a postgres:// URL to run on PostgreSQL (a database is created beside it and dropped after), else SQLite */
  databaseUrl?: string | undefined;
  /** timed calls per list and detail read (default 200); the short mode passes a few */
  calls?: number;
  /** leave the database behind for a look at its plans (SHOUHOU_BENCH_KEEP=1 from the command line) */
  keep?: boolean;
  out: (line: string) => void;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const YEAR_DAYS = 365;
/** the shops' shares of the refunds: the largest is the one measured, the others make shop scoping count */
const SHOP_SHARES = [0.55, 0.2, 0.15, 0.1] as const;
const AGENTS_PER_SHOP = 6;
/** refunds generated and inserted at a time */
const CHUNK = 5_000;
const LIST_LIMIT = 50;
const TARGET_QUEUE_P95_MS = 20;
const TARGET_VIEW_P95_MS = 50;
const TARGET_DETAIL_P95_MS = 20;
const TARGET_STATS_MS = 2_000;
const SEED = 20_261_111;
/** a whole-table read of a table with fewer rows than this is not flagged (the planner reads a small table whole) */
const LARGE_TABLE_ROWS = 10_000;
/** tables a whole-table read of is fine: a handful of rows whatever the shop's size */
const SMALL_TABLES = new Set(['shops', 'users', 'actors', 'api_tokens', 'rule_sets', 'audit_head', 'products', 'shop_bindings', 'kysely_migration']);

// ---------------------------------------------------------------------------
// Bulk loading: SQLite through its own better-sqlite3 handle, PostgreSQL through one client with INSERT … SELECT unnest(…)

type ColumnType = 'int' | 'bigint' | 'text';
type Cell = string | number | null;
interface TableSpec {
  name: string;
  columns: readonly (readonly [string, ColumnType])[];
  /** its id is a serial whose sequence must follow the ids given here (PostgreSQL) */
  serial?: boolean;
}

const ordersTable: TableSpec = {
  name: 'orders',
  serial: true,
  columns: [
    ['id', 'int'], ['shop_id', 'int'], ['order_no', 'text'], ['buyer_nick', 'text'], ['buyer_name', 'text'], ['buyer_phone', 'text'],
    ['province', 'text'], ['city', 'text'], ['district', 'text'], ['address_detail', 'text'], ['paid_fen', 'bigint'], ['postage_fen', 'bigint'],
    ['escrow', 'int'], ['status', 'text'], ['courier', 'text'], ['tracking_no', 'text'], ['shipped_at', 'text'], ['signed_at', 'text'],
    ['finished_at', 'text'], ['created_at', 'text'], ['updated_at', 'text'], ['version', 'int'],
  ],
};
const linesTable: TableSpec = {
  name: 'order_lines',
  columns: [['order_id', 'int'], ['line_no', 'int'], ['sku', 'text'], ['title', 'text'], ['style', 'text'], ['size', 'text'], ['unit_price_fen', 'bigint'], ['quantity', 'int']],
};
const refundsTable: TableSpec = {
  name: 'refunds',
  serial: true,
  columns: [
    ['id', 'int'], ['shop_id', 'int'], ['order_id', 'int'], ['order_no', 'text'], ['line_no', 'int'], ['type', 'text'], ['goods_status', 'text'],
    ['phase', 'text'], ['reason', 'text'], ['amount_fen', 'bigint'], ['description', 'text'], ['evidence', 'text'], ['status', 'text'],
    ['is_open', 'int'], ['intervention_state', 'text'], ['intervention_requested_at', 'text'], ['return_address', 'text'], ['return_courier', 'text'],
    ['return_tracking_no', 'text'], ['return_shipped_at', 'text'], ['refusal_reason', 'text'], ['refusal_evidence', 'text'], ['refused_at', 'text'],
    ['deadline_kind', 'text'], ['deadline_at', 'text'], ['deadline_effect', 'text'], ['sort_deadline', 'text'], ['close_reason', 'text'],
    ['root_cause', 'text'], ['created_at', 'text'], ['updated_at', 'text'], ['version', 'int'],
  ],
};
const eventsTable: TableSpec = {
  name: 'refund_events',
  serial: true,
  columns: [
    ['id', 'int'], ['shop_id', 'int'], ['refund_id', 'int'], ['version', 'int'], ['at', 'text'], ['actor_id', 'int'], ['actor_role', 'text'],
    ['action', 'text'], ['from_status', 'text'], ['to_status', 'text'], ['changes', 'text'], ['data', 'text'],
  ],
};
const assignmentsTable: TableSpec = {
  name: 'refund_assignments',
  columns: [['refund_id', 'int'], ['shop_id', 'int'], ['user_id', 'int'], ['assigned_by', 'int'], ['assigned_at', 'text']],
};
const recordsTable: TableSpec = {
  name: 'records',
  serial: true,
  columns: [
    ['id', 'int'], ['shop_id', 'int'], ['kind', 'text'], ['status', 'text'], ['order_id', 'int'], ['refund_id', 'int'], ['data', 'text'],
    ['created_at', 'text'], ['updated_at', 'text'], ['actor_id', 'int'], ['version', 'int'],
  ],
};
const auditTable: TableSpec = {
  name: 'audit_log',
  columns: [
    ['id', 'int'], ['at', 'text'], ['shop_id', 'int'], ['actor_kind', 'text'], ['actor_id', 'int'], ['actor_name', 'text'], ['role', 'text'],
    ['action', 'text'], ['target_type', 'text'], ['target_id', 'text'], ['outcome', 'text'], ['ip', 'text'], ['details', 'text'],
    ['prev_hash', 'text'], ['hash', 'text'], ['chain', 'int'], ['chain_seq', 'int'],
  ],
};

interface BulkWriter {
  insert(spec: TableSpec, rows: Cell[][]): Promise<void>;
  /** after the last insert: sequences moved past the ids given, statistics gathered where the database keeps them */
  finish(specs: readonly TableSpec[]): Promise<void>;
  close(): Promise<void>;
}

function sqliteWriter(file: string): BulkWriter {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  // the load is not measured and need not survive a power cut
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = ON');
  const statements = new Map<string, SQLite.Statement>();
  const statementOf = (spec: TableSpec) => {
    let stmt = statements.get(spec.name);
    if (!stmt) {
      stmt = db.prepare(`insert into ${spec.name} (${spec.columns.map(([c]) => c).join(', ')}) values (${spec.columns.map(() => '?').join(', ')})`);
      statements.set(spec.name, stmt);
    }
    return stmt;
  };
  const insertAll = db.transaction((stmt: SQLite.Statement, rows: Cell[][]) => {
    for (const row of rows) stmt.run(row);
  });
  return {
    insert: async (spec, rows) => {
      if (rows.length > 0) insertAll(statementOf(spec), rows);
    },
    // SQLite keeps no statistics unless ANALYZE is run, and shouhou does not run it: the plans are those a real file gets
    finish: async () => {},
    close: async () => {
      db.close();
    },
  };
}

async function postgresWriter(url: string): Promise<BulkWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('set synchronous_commit = off');
  const cast: Record<ColumnType, string> = { int: 'int[]', bigint: 'bigint[]', text: 'text[]' };
  return {
    insert: async (spec, rows) => {
      if (rows.length === 0) return;
      const columns = spec.columns.map((_, i) => rows.map((r) => r[i] ?? null));
      const names = spec.columns.map(([c]) => c).join(', ');
      const unnest = spec.columns.map(([, type], i) => `$${i + 1}::${cast[type]}`).join(', ');
      await client.query(`insert into ${spec.name} (${names}) select * from unnest(${unnest})`, columns);
    },
    finish: async (specs) => {
      for (const spec of specs) {
        if (spec.serial) {
          await client.query(`select setval(pg_get_serial_sequence('${spec.name}', 'id'), coalesce((select max(id) from ${spec.name}), 0) + 1, false)`);
        }
      }
      // what autovacuum does on a live database after so many inserts (PostgreSQL 13 and later vacuum a table after
      // inserts too): statistics for the planner, and the visibility map that lets an index-only scan skip the table
      await client.query('vacuum analyze');
    },
    close: () => client.end(),
  };
}

// ---------------------------------------------------------------------------
// The data

const catalog = [
  { sku: 'XZ-2061', title: '春季新款真皮单鞋女 尖头细跟浅口', style: '单鞋', priceFen: 19_900, sizes: ['35', '36', '37', '38'] },
  { sku: 'XZ-1032', title: '一字带细跟高跟鞋 8cm 婚鞋伴娘鞋', style: '高跟鞋', priceFen: 25_900, sizes: ['35', '36', '37'] },
  { sku: 'XZ-3110', title: '百搭小白鞋女 真皮休闲板鞋', style: '板鞋', priceFen: 12_900, sizes: ['36', '37', '38', '39'] },
  { sku: 'XZ-4201', title: '切尔西短靴女 粗跟弹力靴', style: '靴子', priceFen: 32_900, sizes: ['36', '37', '38'] },
  { sku: 'XZ-5012', title: '仙女风平底罗马凉鞋', style: '凉鞋', priceFen: 11_900, sizes: ['35', '36', '37'] },
  { sku: 'XZ-7120', title: '男款减震跑步鞋 透气网面运动鞋', style: '运动鞋', priceFen: 26_900, sizes: ['40', '41', '42', '43'] },
  { sku: 'XZ-3150', title: '男士百搭帆布板鞋 低帮', style: '板鞋', priceFen: 9_900, sizes: ['39', '40', '41', '42'] },
  { sku: 'XZ-8010', title: '男士雕花布洛克皮鞋 商务正装', style: '皮鞋', priceFen: 39_900, sizes: ['40', '41', '42'] },
] as const;
const places = [
  ['浙江省', '杭州市', '西湖区'],
  ['广东省', '深圳市', '南山区'],
  ['北京市', '北京市', '朝阳区'],
  ['上海市', '上海市', '浦东新区'],
  ['四川省', '成都市', '武侯区'],
  ['江苏省', '南京市', '鼓楼区'],
] as const;
const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const givenNames = ['芳', '敏', '静', '丽', '婷', '磊', '伟', '洋', '浩', '雪', '佳怡', '晓梅'];
const couriers = ['中通快递', '圆通速递', '顺丰速运', '韵达快递', '申通快递'];
const reasons: readonly (readonly [ReasonCode, number])[] = [
  ['no_reason_7d', 30], ['quality', 14], ['not_as_described', 14], ['damaged', 8], ['wrong_order', 6], ['unwanted', 10], ['postage', 3],
  ['price_difference', 4], ['late_shipment', 3], ['not_received', 4], ['invoice', 1], ['negotiated', 1], ['other', 2],
];
const openMix: readonly (readonly [RefundStatus, number])[] = [
  ['WAIT_SELLER_AGREE', 45], ['WAIT_BUYER_RETURN_GOODS', 20], ['WAIT_SELLER_CONFIRM_GOODS', 20], ['SELLER_REFUSE_BUYER', 15],
];
const RETURN_ADDRESS = '浙江省杭州市余杭区文一西路 998 号 小周鞋铺售后部 收 0571-88886666';

interface ShopStaff {
  shopId: number;
  code: string;
  /** the agents' user ids with their actor ids in this shop */
  agents: { userId: number; actorId: number }[];
}

/** What the measures look for: values of the largest shop that the filters then ask for. */
interface Samples {
  shop0RefundIds: number[];
  trackingNos: string[];
  orderNos: string[];
  phones: string[];
  counts: { orders: number; lines: number; refunds: number; open: number; events: number; assignments: number; withTracking: number; records: number; audit: number; unshipped: number };
}

/** The day weights of a year ending now: a 双十一 week at eight times the rest, the days after it at three. */
function dayWeights(now: Date): number[] {
  const weights: number[] = [];
  for (let d = 0; d < YEAR_DAYS; d += 1) {
    const day = new Date(now.getTime() - (YEAR_DAYS - 1 - d) * DAY_MS);
    const m = day.getUTCMonth() + 1;
    const dd = day.getUTCDate();
    weights.push(m === 11 && dd >= 11 && dd <= 17 ? 8 : m === 11 && dd > 17 ? 3 : 1);
  }
  return weights;
}

async function populate(writer: BulkWriter, options: { refunds: number; shops: ShopStaff[]; now: Date; auditHead: { lastId: number; lastHash: string; lastSeq: number } }): Promise<Samples & { auditHead: { lastId: number; lastHash: string; lastSeq: number } }> {
  const { shops, now } = options;
  const nowMs = now.getTime();
  const iso = (t: number) => new Date(t).toISOString();
  const rand = new Rand(SEED);
  const weights = dayWeights(now);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const startMs = nowMs - YEAR_DAYS * DAY_MS;
  const samples: Samples = {
    shop0RefundIds: [],
    trackingNos: [],
    orderNos: [],
    phones: [],
    counts: { orders: 0, lines: 0, refunds: 0, open: 0, events: 0, assignments: 0, withTracking: 0, records: 0, audit: 0, unshipped: 0 },
  };
  const c = samples.counts;
  let orderId = 0;
  let refundId = 0;
  let eventId = 0;
  let recordId = 0;
  const shopPick = shops.map((s, i) => [s, SHOP_SHARES[i] ?? 0.1] as const);
  // about 20,000 of the measured shop's refunds, drawn over the whole year, for the detail reads
  const sampleShare = Math.min(1, 20_000 / (options.refunds * (SHOP_SHARES[0] ?? 1)));

  // refunds per day, in time order: ids grow with time as they do in a live shop
  const perDay = weights.map((w) => Math.floor((options.refunds * w) / totalWeight));
  perDay[YEAR_DAYS - 1] = (perDay[YEAR_DAYS - 1] ?? 0) + options.refunds - perDay.reduce((a, b) => a + b, 0);

  let orders: Cell[][] = [];
  let lines: Cell[][] = [];
  let refunds: Cell[][] = [];
  let events: Cell[][] = [];
  let assignments: Cell[][] = [];
  let records: Cell[][] = [];
  const flush = async () => {
    await writer.insert(ordersTable, orders);
    await writer.insert(linesTable, lines);
    await writer.insert(refundsTable, refunds);
    await writer.insert(eventsTable, events);
    await writer.insert(assignmentsTable, assignments);
    await writer.insert(recordsTable, records);
    c.orders += orders.length;
    c.lines += lines.length;
    c.refunds += refunds.length;
    c.events += events.length;
    c.assignments += assignments.length;
    c.records += records.length;
    orders = [];
    lines = [];
    refunds = [];
    events = [];
    assignments = [];
    records = [];
  };

  const addOrder = (shop: ShopStaff, created: number, kind: 'unshipped' | 'shipped' | 'finished' | 'closed') => {
    orderId += 1;
    const nLines = rand.chance(0.7) ? 1 : rand.chance(0.75) ? 2 : 3;
    const items = Array.from({ length: nLines }, (_, k) => {
      const shoe = rand.pick(catalog);
      return { lineNo: k + 1, shoe, quantity: rand.chance(0.9) ? 1 : 2 };
    });
    const goodsFen = items.reduce((s, l) => s + l.shoe.priceFen * l.quantity, 0);
    const postageFen = rand.chance(0.7) ? 0 : 1_000;
    const shipped = kind === 'unshipped' ? null : created + rand.range(2, 30) * HOUR_MS;
    const signed = shipped !== null && kind !== 'shipped' ? shipped + rand.range(24, 60) * HOUR_MS : null;
    const finished = signed !== null && kind === 'finished' ? signed + rand.range(1, 72) * HOUR_MS : null;
    const status = { unshipped: 'WAIT_SELLER_SEND_GOODS', shipped: 'WAIT_BUYER_CONFIRM_GOODS', finished: 'TRADE_FINISHED', closed: 'TRADE_CLOSED' }[kind];
    const orderNo = `${shop.shopId}${String(4_100_000_000_000_000 + orderId)}`;
    const phone = `1${rand.int(3, 9)}${String(rand.int(0, 999_999_999)).padStart(9, '0')}`;
    // one order in ten keeps the number as TOP sometimes gives it: the phone filter finds it on the key (migration 016)
    const storedPhone = orderId % 10 === 0 ? `+86-${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}` : phone;
    const place = rand.pick(places);
    const updated = Math.min(nowMs, finished ?? signed ?? shipped ?? created);
    orders.push([
      orderId, shop.shopId, orderNo, `buyer_${rand.int(1, 400_000)}`, `${rand.pick(surnames)}${rand.pick(givenNames)}`, storedPhone,
      place[0], place[1], place[2], `幸福路 ${rand.int(1, 999)} 号 ${rand.int(1, 30)} 栋 ${rand.int(101, 2_808)} 室`,
      goodsFen + postageFen, postageFen, 1, status, shipped !== null ? rand.pick(couriers) : null,
      shipped !== null ? `YT${String(orderId).padStart(13, '0')}` : null, shipped !== null ? iso(Math.min(shipped, nowMs)) : null,
      signed !== null ? iso(Math.min(signed, nowMs)) : null, finished !== null ? iso(Math.min(finished, nowMs)) : null,
      iso(created), iso(updated), 1 + (shipped !== null ? 1 : 0) + (signed !== null ? 1 : 0) + (finished !== null ? 1 : 0),
    ]);
    for (const l of items) lines.push([orderId, l.lineNo, l.shoe.sku, l.shoe.title, l.shoe.style, rand.pick(l.shoe.sizes), l.shoe.priceFen, l.quantity]);
    return { id: orderId, orderNo, phone, paidFen: goodsFen + postageFen, goodsFen, items };
  };

  let refundsDone = 0;
  for (let day = 0; day < YEAR_DAYS; day += 1) {
    const count = perDay[day] ?? 0;
    for (let k = 0; k < count; k += 1) {
      const created = Math.min(nowMs - 60_000, startMs + (day + (k + rand.float()) / count) * DAY_MS);
      const ageDays = (nowMs - created) / DAY_MS;
      const shop = rand.weighted(shopPick);
      const isOpen = ageDays < 3 || (ageDays < 15 && rand.chance(0.25));
      const status: RefundStatus = isOpen ? rand.weighted(openMix) : rand.chance(0.75) ? 'SUCCESS' : 'CLOSED';
      // S1.1: a refund asked for before shipment, still waiting: the unshipped batch's work
      const unshipped = status === 'WAIT_SELLER_AGREE' && ageDays < 2 && rand.chance(0.3);
      const returns = status === 'WAIT_BUYER_RETURN_GOODS' || status === 'WAIT_SELLER_CONFIRM_GOODS' || (!unshipped && rand.chance(0.55));
      const type = returns ? 'return_and_refund' : 'refund_only';
      const closedBeforeShipment = !isOpen && !returns && rand.chance(0.15);
      const orderKind = unshipped ? 'unshipped' : closedBeforeShipment ? 'closed' : status === 'SUCCESS' && !returns ? 'closed' : ageDays < 15 ? 'shipped' : 'finished';
      const orderCreated = created - (unshipped || closedBeforeShipment ? rand.range(0.2, 20) * HOUR_MS : rand.range(3, 12) * DAY_MS);
      const order = addOrder(shop, orderCreated, orderKind);
      // some orders with no refund, for the statistics' refund rate
      if (rand.chance(0.3)) addOrder(shop, created - rand.range(0, 3) * DAY_MS, rand.chance(0.5) ? 'finished' : 'shipped');

      refundId += 1;
      const id = refundId;
      const reason = unshipped || closedBeforeShipment ? rand.pick(['unwanted', 'wrong_order', 'late_shipment', 'out_of_stock'] as const) : rand.weighted(reasons);
      const line = order.items.length > 1 && rand.chance(0.4) ? rand.pick(order.items) : null;
      const amountFen = line ? line.shoe.priceFen * line.quantity : rand.chance(0.5) ? order.paidFen : order.goodsFen;
      const goodsStatus = unshipped || closedBeforeShipment ? 'not_received' : 'received';
      const phase = orderKind === 'finished' ? 'after_sale' : 'on_sale';

      // the refund's life: its events, in order
      const agent = rand.pick(shop.agents);
      const ev: { at: number; actorId: number | null; role: string; action: string; from: RefundStatus | null; to: RefundStatus; data: string }[] = [];
      let t = created;
      const step = (hours: [number, number]) => {
        t = Math.min(nowMs - 1_000, t + rand.range(hours[0], hours[1]) * HOUR_MS);
        return t;
      };
      ev.push({ at: created, actorId: null, role: 'buyer', action: 'apply', from: null, to: 'WAIT_SELLER_AGREE', data: JSON.stringify({ type, reason, amountFen, goodsStatus, phase }) });
      let trackingNo: string | null = null;
      let returnShippedAt: number | null = null;
      let refusedAt: number | null = null;
      let closeReason: string | null = null;
      const refuse = () => {
        refusedAt = step([2, 40]);
        ev.push({ at: refusedAt, actorId: agent.actorId, role: 'agent', action: 'refuse', from: 'WAIT_SELLER_AGREE', to: 'SELLER_REFUSE_BUYER', data: '{}' });
      };
      const agree = (to: RefundStatus) => {
        // now and then the seller missed the answer and the platform agreed (a missed deadline in the statistics)
        const missed = rand.chance(0.03);
        ev.push({
          at: step(missed ? [48, 49] : [0.5, 30]),
          actorId: missed ? null : agent.actorId,
          role: missed ? 'system' : 'agent',
          action: missed ? 'expire' : 'agree',
          from: 'WAIT_SELLER_AGREE',
          to,
          data: missed ? JSON.stringify({ deadline: 'seller_answer' }) : '{}',
        });
      };
      const shipBack = () => {
        returnShippedAt = step([4, 72]);
        trackingNo = `SF${String(1_400_000_000_000 + id)}`;
        ev.push({ at: returnShippedAt, actorId: null, role: 'buyer', action: 'return_shipment', from: 'WAIT_BUYER_RETURN_GOODS', to: 'WAIT_SELLER_CONFIRM_GOODS', data: '{}' });
      };
      let deadline: { kind: string; at: number; effect: string } | null = null;
      switch (status) {
        case 'WAIT_SELLER_AGREE':
          deadline = { kind: 'seller_answer', at: created + (goodsStatus === 'received' ? 72 : 48) * HOUR_MS, effect: 'auto_agree' };
          break;
        case 'WAIT_BUYER_RETURN_GOODS':
          agree('WAIT_BUYER_RETURN_GOODS');
          deadline = { kind: 'buyer_return', at: t + 7 * DAY_MS, effect: 'close' };
          break;
        case 'WAIT_SELLER_CONFIRM_GOODS':
          agree('WAIT_BUYER_RETURN_GOODS');
          shipBack();
          deadline = { kind: 'seller_confirm', at: t + 10 * DAY_MS, effect: 'auto_refund' };
          break;
        case 'SELLER_REFUSE_BUYER':
          refuse();
          deadline = { kind: 'buyer_after_refusal', at: t + 7 * DAY_MS, effect: 'close' };
          break;
        case 'SUCCESS':
          if (returns) {
            agree('WAIT_BUYER_RETURN_GOODS');
            shipBack();
            ev.push({ at: step([24, 120]), actorId: agent.actorId, role: 'agent', action: 'confirm_receipt', from: 'WAIT_SELLER_CONFIRM_GOODS', to: 'SUCCESS', data: '{}' });
          } else {
            agree('SUCCESS');
          }
          break;
        case 'CLOSED':
          if (rand.chance(0.5)) {
            ev.push({ at: step([1, 48]), actorId: null, role: 'buyer', action: 'withdraw', from: 'WAIT_SELLER_AGREE', to: 'CLOSED', data: '{}' });
            closeReason = 'withdrawn';
          } else {
            refuse();
            ev.push({ at: step([168, 170]), actorId: null, role: 'system', action: 'expire', from: 'SELLER_REFUSE_BUYER', to: 'CLOSED', data: JSON.stringify({ deadline: 'buyer_after_refusal' }) });
            closeReason = 'timeout';
          }
          break;
      }
      // a deadline that passed while the refund stayed open is one the sweeper would have applied: move it ahead
      if (deadline && deadline.at <= nowMs + HOUR_MS) deadline.at = nowMs + rand.range(1, 72) * HOUR_MS;
      const intervention = status === 'SELLER_REFUSE_BUYER' && rand.chance(0.1) ? 'requested' : 'none';
      const updated = ev[ev.length - 1]?.at ?? created;
      refunds.push([
        id, shop.shopId, order.id, order.orderNo, line?.lineNo ?? null, type, goodsStatus, phase, reason, amountFen,
        '鞋子收到后发现与描述不符，申请售后处理', JSON.stringify([`evidence/${order.orderNo}-1.jpg`]), status, isOpen ? 1 : 0, intervention,
        intervention === 'requested' ? iso(updated) : null,
        returns && ev.length > 1 ? RETURN_ADDRESS : null, trackingNo ? rand.pick(couriers) : null, trackingNo,
        returnShippedAt !== null ? iso(returnShippedAt) : null,
        refusedAt !== null ? '买家已签收，商品无质量问题' : null, refusedAt !== null ? JSON.stringify([`evidence/refuse-${id}.jpg`]) : null,
        refusedAt !== null ? iso(refusedAt) : null,
        deadline?.kind ?? null, deadline ? iso(deadline.at) : null, deadline?.effect ?? null, deadline ? iso(deadline.at) : NO_DEADLINE, closeReason,
        !isOpen && rand.chance(0.6) ? rand.pick(rootCauses) : null, iso(created), iso(updated), ev.length,
      ]);
      ev.forEach((e, v) => {
        eventId += 1;
        events.push([eventId, shop.shopId, id, v + 1, iso(e.at), e.actorId, e.role, e.action, e.from, e.to, '{}', e.data]);
      });
      if (rand.chance(isOpen ? 0.6 : 0.3)) assignments.push([id, shop.shopId, agent.userId, agent.actorId, iso(created + HOUR_MS)]);
      if (!isOpen && rand.chance(0.03)) {
        recordId += 1;
        const outcome = rand.pick(['kept', 'exchanged', 'refunded', 'refunded'] as const);
        records.push([recordId, shop.shopId, 'retention', 'done', order.id, id, JSON.stringify({ offer: 'other_style', detail: '推荐同款其他尺码', outcome }), iso(created + HOUR_MS), iso(created + HOUR_MS), agent.actorId, 1]);
      }
      if (isOpen) c.open += 1;
      if (trackingNo) c.withTracking += 1;
      if (unshipped) c.unshipped += 1;
      if (shop === shops[0]) {
        if (rand.chance(sampleShare)) samples.shop0RefundIds.push(id);
        if (trackingNo && rand.chance(0.2)) samples.trackingNos.push(trackingNo);
        if (rand.chance(0.05)) {
          samples.orderNos.push(order.orderNo);
          samples.phones.push(order.phone);
        }
      }
      refundsDone += 1;
      if (refundsDone % CHUNK === 0) await flush();
    }
  }
  await flush();

  // the audit chain: n/2 rows over the year, in time order, each hashed over the one before
  const auditRows = Math.floor(options.refunds / 2);
  // in chain 1, after its head (issue 16 §2: the trail's chains)
  let { lastId, lastHash, lastSeq } = options.auditHead;
  let batch: Cell[][] = [];
  const actions = ['refund.agree', 'refund.refuse', 'refund.confirm_receipt', 'refund.claim', 'refund.remark'];
  for (let k = 0; k < auditRows; k += 1) {
    const shop = rand.weighted(shopPick);
    const agent = rand.pick(shop.agents);
    const row = {
      id: lastId + 1,
      at: iso(startMs + ((k + 0.5) / auditRows) * YEAR_DAYS * DAY_MS),
      shop_id: shop.shopId,
      actor_kind: 'user',
      actor_id: agent.actorId,
      actor_name: `客服${agent.userId}`,
      role: 'agent',
      action: rand.pick(actions),
      target_type: 'refund',
      target_id: String(rand.int(1, Math.max(1, refundId))),
      outcome: 'ok',
      ip: '10.0.0.8',
      details: '{"version":2}',
      prev_hash: lastHash,
    };
    const hash = hashAuditRow(row);
    batch.push([row.id, row.at, row.shop_id, row.actor_kind, row.actor_id, row.actor_name, row.role, row.action, row.target_type, row.target_id, row.outcome, row.ip, row.details, row.prev_hash, hash, 1, lastSeq + 1]);
    lastId = row.id;
    lastSeq += 1;
    lastHash = hash;
    if (batch.length === CHUNK * 2) {
      await writer.insert(auditTable, batch);
      batch = [];
    }
  }
  await writer.insert(auditTable, batch);
  c.audit = auditRows;
  await writer.finish([ordersTable, linesTable, refundsTable, eventsTable, assignmentsTable, recordsTable, auditTable]);
  return { ...samples, auditHead: { lastId, lastHash, lastSeq } };
}

// ---------------------------------------------------------------------------
// Plans

interface Plan {
  sql: string;
  lines: string[];
  /** large tables read whole (SQLite SCAN without an index, PostgreSQL Seq Scan) */
  scans: string[];
}

const sqliteTableNames = new WeakMap<Db, Set<string>>();
async function sqliteTables(db: Db): Promise<Set<string>> {
  let names = sqliteTableNames.get(db);
  if (!names) {
    const rows = await db.kysely.executeQuery<{ name: string }>(CompiledQuery.raw("select name from sqlite_master where type = 'table'"));
    names = new Set(rows.rows.map((r) => r.name));
    sqliteTableNames.set(db, names);
  }
  return names;
}

/** The table a name in SQLite's plan stands for: itself, the table it aliases in the query, or none (a subquery's name). */
function tableOfName(sqlText: string, name: string, tables: Set<string>): string | null {
  if (tables.has(name)) return name;
  const aliased = new RegExp(`(?:from|join)\\s+"?(\\w+)"?\\s+(?:as\\s+)?"?${name}"?(?![\\w"])`, 'i').exec(sqlText)?.[1];
  return aliased && tables.has(aliased) ? aliased : null;
}

async function explain(db: Db, query: CompiledQuery): Promise<Plan> {
  if (db.dialect === 'sqlite') {
    const result = await db.kysely.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    const lines = result.rows.map((r) => r.detail);
    const tables = await sqliteTables(db);
    const scans = lines
      .map((l) => /^SCAN (\w+)(?: AS \w+)?(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && !/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(m[2] ?? ''))
      // SQLite names a table by its alias, and a subquery read in full (a co-routine's rows) by its own: only tables count
      .map((m) => tableOfName(query.sql, m[1] as string, tables))
      .filter((t): t is string => t !== null && !SMALL_TABLES.has(t));
    return { sql: query.sql, lines, scans };
  }
  const result = await db.kysely.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
  const lines = result.rows.map((r) => r['QUERY PLAN']);
  const scans = lines
    .map((l) => /Seq Scan on (\w+)/.exec(l)?.[1])
    .filter((t): t is string => t !== undefined && !SMALL_TABLES.has(t));
  return { sql: query.sql, lines, scans };
}

/** The distinct reads a use case runs (writes and transaction statements left out), with their plans. */
async function plansOf(db: Db, run: (ctx: AppContext) => Promise<unknown>, ctx: AppContext): Promise<Plan[]> {
  const capture = new CaptureQueries(db.kysely.getExecutor());
  await run({ ...ctx, db: { ...db, kysely: db.kysely.withPlugin(capture) } });
  const seen = new Set<string>();
  const plans: Plan[] = [];
  for (const q of capture.queries) {
    if (!/^\s*(select|with)\b/i.test(q.sql) || seen.has(q.sql)) continue;
    seen.add(q.sql);
    plans.push(await explain(db, q));
  }
  return plans;
}

/** Columns padded by their width on a terminal: a Chinese character takes two. */
function wideTable(rows: readonly (readonly string[])[]): string[] {
  const width = (text: string) => [...text].reduce((w, ch) => w + ((ch.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1), 0);
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  return rows.map((row) => `  ${row.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - width(cell))).join('   ')}`.trimEnd());
}

// ---------------------------------------------------------------------------
// The bench

interface Measured {
  label: string;
  series: Series;
  /** the p95 (or each call, for a single-shot measure) must stay under this */
  targetMs: number | null;
  plans: Plan[];
  note: string;
}

export async function runScaleBench(options: ScaleBenchOptions): Promise<void> {
  const { out } = options;
  if (!Number.isInteger(options.refunds) || options.refunds < 200) throw new Error('bench --refunds: a whole number, at least 200');
  const calls = options.calls ?? 200;
  const warmups = Math.max(2, Math.floor(calls / 10));
  const postgres = isPostgresUrl(options.databaseUrl);
  const keep = options.keep ?? process.env.SHOUHOU_BENCH_KEEP === '1';

  // -- a fresh database ---------------------------------------------------------
  let target: string;
  let dropDatabase: () => Promise<void>;
  let where: string;
  if (postgres) {
    const url = options.databaseUrl as string;
    const name = `shouhou_bench_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    target = u.toString();
    if (u.password) u.password = '***';
    where = `database ${name} on ${u.host} (created for this run, dropped after it)`;
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shouhou-bench-scale-'));
    target = path.join(dir, 'scale.sqlite');
    where = `file ${target} (${fileSystemOf(dir)}); WAL, synchronous=FULL; no ANALYZE (shouhou runs none)`;
    dropDatabase = async () => rmSync(dir, { recursive: true, force: true });
  }

  let db: Db | null = null;
  try {
    db = openDatabase(target);
    await migrateToLatest(db);
    const clock = new SettableClock();
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    clock.set(now);
    const ctx: AppContext = { db, clock, calendar: chinaCalendar() };
    const version = postgres
      ? (await db.kysely.executeQuery<{ v: string }>(CompiledQuery.raw("select current_setting('server_version') as v"))).rows[0]?.v
      : (await db.kysely.executeQuery<{ v: string }>(CompiledQuery.raw('select sqlite_version() as v'))).rows[0]?.v;
    out('');
    out(`shouhou bench --refunds ${options.refunds}: the queue and its pages at scale on ${postgres ? 'PostgreSQL' : 'SQLite'} ${version ?? '?'}`);
    out(`  ${where}`);

    // -- shops and their people (through the repositories: no password hashing for a bench) --------------
    const shops: ShopStaff[] = [];
    const actors: { agent: Actor; supervisor: Actor }[] = [];
    const person = async (shopId: number, username: string, displayName: string, role: Role) => {
      const user = await insertUser(db!.kysely, { username, displayName, passwordHash: '!bench: cannot sign in', at: now });
      const actorId = await setUserRole(db!.kysely, { userId: user.id, shopId, role, name: displayName, at: now });
      const actor: Actor = { id: actorId, shopId, role, name: displayName, kind: 'user', buyerNick: null, userId: user.id };
      return actor;
    };
    for (let s = 0; s < SHOP_SHARES.length; s += 1) {
      const shop = await createShop(ctx, { code: `bench-${s + 1}`, name: `bench 鞋铺 ${s + 1}`, settings: { returnAddress: RETURN_ADDRESS } });
      const agents: ShopStaff['agents'] = [];
      let first: Actor | null = null;
      for (let a = 0; a < AGENTS_PER_SHOP; a += 1) {
        const actor = await person(shop.id, `bench${s + 1}.agent${a + 1}`, `客服${s + 1}-${a + 1}`, 'agent');
        agents.push({ userId: actor.userId as number, actorId: actor.id });
        first ??= actor;
      }
      const supervisor = await person(shop.id, `bench${s + 1}.lead`, `主管${s + 1}`, 'supervisor');
      shops.push({ shopId: shop.id, code: shop.code, agents });
      actors.push({ agent: first as Actor, supervisor });
    }
    const { agent, supervisor } = actors[0] as { agent: Actor; supervisor: Actor };

    // -- bulk load (not measured) -------------------------------------------------------------------
    const head = await db.kysely.selectFrom('audit_head').select(['last_id', 'last_hash', 'last_seq']).where('id', '=', 1).executeTakeFirstOrThrow();
    const loadStart = performance.now();
    const writer = postgres ? await postgresWriter(target) : sqliteWriter(target);
    let data: Awaited<ReturnType<typeof populate>>;
    try {
      data = await populate(writer, { refunds: options.refunds, shops, now, auditHead: { lastId: head.last_id, lastHash: head.last_hash, lastSeq: head.last_seq } });
    } finally {
      await writer.close();
    }
    await db.kysely
      .updateTable('audit_head')
      .set({ last_id: data.auditHead.lastId, last_hash: data.auditHead.lastHash, last_seq: data.auditHead.lastSeq, head_mac: headMac(data.auditHead.lastId, data.auditHead.lastHash) })
      .where('id', '=', 1)
      .execute();
    // the rows' ids were given here: the trail's id sequence (PostgreSQL) continues after them
    if (postgres) await sql`select setval('audit_log_ids', ${data.auditHead.lastId})`.execute(db.kysely);
    const loadMs = performance.now() - loadStart;
    const k = data.counts;
    out(
      `  load     ${int(k.refunds)} refunds (${int(k.open)} open, ${int(k.withTracking)} with a return tracking number, ${int(k.unshipped)} unshipped) in ${shops.length} shops ` +
        `(the measured one holds ${Math.round((SHOP_SHARES[0] ?? 0) * 100)}%), ${int(k.orders)} orders, ${int(k.lines)} lines, ${int(k.events)} events, ` +
        `${int(k.assignments)} assignments, ${int(k.records)} retention records, ${int(k.audit)} audit rows`,
    );
    out(
      `           ${secs(loadMs)} (${int((k.orders + k.lines + k.refunds + k.events + k.assignments + k.records + k.audit) / (loadMs / 1000))} rows/s; bulk insert, not measured)`,
    );
    out(`  reads as ${agent.name} (agent) and ${supervisor.name} (supervisor) of shop ${shops[0]?.code}; ${calls} timed calls each after ${warmups} warm-ups`);

    const measures: Measured[] = [];
    const rand = new Rand(SEED + 7);
    const timeCalls = async (n: number, run: () => Promise<unknown>) => {
      const series = new Series();
      for (let i = 0; i < warmups; i += 1) await run();
      for (let i = 0; i < n; i += 1) {
        const t = performance.now();
        await run();
        series.add(performance.now() - t);
      }
      return series;
    };

    // -- the queue: first page, views, filters ----------------------------------------------------------
    const listCases: { label: string; query: Omit<RefundListQuery, 'limit'>; targetMs: number }[] = [
      { label: 'queue: first page by deadline (open)', query: { open: true }, targetMs: TARGET_QUEUE_P95_MS },
      { label: 'view 今日未发退 (unshipped, S1.1)', query: { open: true, statuses: ['WAIT_SELLER_AGREE'], orderStatus: 'WAIT_SELLER_SEND_GOODS' }, targetMs: TARGET_VIEW_P95_MS },
      { label: 'view 待确认收货 (S1.13)', query: { statuses: ['WAIT_SELLER_CONFIRM_GOODS'] }, targetMs: TARGET_VIEW_P95_MS },
      { label: 'view 需改原因 (S1.5)', query: { statuses: ['WAIT_SELLER_AGREE'], reasons: ['not_as_described', 'quality'] }, targetMs: TARGET_VIEW_P95_MS },
      { label: 'view 即将超时 (deadline < 24 h)', query: { open: true, deadlineBefore: new Date(now.getTime() + 24 * HOUR_MS) }, targetMs: TARGET_VIEW_P95_MS },
      { label: 'filter status = SELLER_REFUSE_BUYER', query: { statuses: ['SELLER_REFUSE_BUYER'] }, targetMs: TARGET_VIEW_P95_MS },
      { label: 'filter status = CLOSED (history)', query: { statuses: ['CLOSED'] }, targetMs: TARGET_VIEW_P95_MS },
      { label: 'filter reason = invoice (rare, history)', query: { reasons: ['invoice'] }, targetMs: TARGET_VIEW_P95_MS },
      { label: 'filter reason = damaged + open', query: { open: true, reasons: ['damaged'] }, targetMs: TARGET_VIEW_P95_MS },
      { label: 'filter assignee = me', query: { assignee: 'me' }, targetMs: TARGET_VIEW_P95_MS },
      { label: 'filter assignee = me + open', query: { open: true, assignee: 'me' }, targetMs: TARGET_VIEW_P95_MS },
      { label: 'filter assignee = none + open', query: { open: true, assignee: 'none' }, targetMs: TARGET_VIEW_P95_MS },
      { label: 'filter created from 7 days ago', query: { createdFrom: new Date(now.getTime() - 7 * DAY_MS) }, targetMs: TARGET_VIEW_P95_MS },
    ];
    for (const c of listCases) {
      const query = { ...c.query, limit: LIST_LIMIT };
      let rows = 0;
      const plans = await plansOf(db, (x) => listShopRefunds(x, { actor: agent, query }), ctx);
      const series = await timeCalls(calls, async () => {
        rows = (await listShopRefunds(ctx, { actor: agent, query })).items.length;
      });
      measures.push({ label: c.label, series, targetMs: c.targetMs, plans, note: `${rows} rows` });
    }
    // the look-ups by a value: a different one each call
    const lookups: { label: string; values: string[]; query: (v: string) => Omit<RefundListQuery, 'limit'> }[] = [
      { label: 'filter tracking number (return parcel)', values: data.trackingNos, query: (v) => ({ trackingNo: v }) },
      { label: 'filter order number', values: data.orderNos, query: (v) => ({ orderNo: v }) },
      // issue 16 §1: the caller's number as an agent types it (plain, spaced, with +86), found on orders_buyer_phone
      { label: 'filter buyer phone', values: data.phones.map((p, i) => [p, `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`, `+86 ${p}`][i % 3] as string), query: (v) => ({ phone: v }) },
    ];
    for (const l of lookups) {
      if (l.values.length === 0) continue;
      const pick = () => l.values[rand.int(0, l.values.length - 1)] as string;
      let found = 0;
      const plans = await plansOf(db, (x) => listShopRefunds(x, { actor: agent, query: { ...l.query(pick()), limit: LIST_LIMIT } }), ctx);
      const series = await timeCalls(calls, async () => {
        found += (await listShopRefunds(ctx, { actor: agent, query: { ...l.query(pick()), limit: LIST_LIMIT } })).items.length;
      });
      measures.push({ label: l.label, series, targetMs: TARGET_VIEW_P95_MS, plans, note: `${(found / (calls + warmups)).toFixed(1)} rows a call` });
    }

    // -- the refund page ---------------------------------------------------------------------------------
    const ids = data.shop0RefundIds;
    const pickId = () => ids[rand.int(0, ids.length - 1)] as number;
    const detailPlans = await plansOf(db, (x) => getRefund(x, { actor: agent, refundId: pickId() }), ctx);
    const detail = await timeCalls(calls, () => getRefund(ctx, { actor: agent, refundId: pickId() }));
    measures.push({ label: 'refund page: detail (getRefund)', series: detail, targetMs: TARGET_DETAIL_P95_MS, plans: detailPlans, note: 'a random refund of the shop each call' });

    // -- the supervisor's statistics over a year ----------------------------------------------------------
    const statsRange = { from: shanghaiDate(new Date(now.getTime() - (YEAR_DAYS - 1) * DAY_MS)), to: shanghaiDate(now) };
    const statsPlans = await plansOf(db, (x) => refundStatistics(x, { actor: supervisor, ...statsRange }), ctx);
    const statsSeries = new Series();
    let statsRefunds = 0;
    const statsCalls = Math.max(2, Math.min(5, Math.floor(calls / 40)));
    for (let i = 0; i < statsCalls; i += 1) {
      const t = performance.now();
      statsRefunds = (await refundStatistics(ctx, { actor: supervisor, ...statsRange })).refunds;
      statsSeries.add(performance.now() - t);
    }
    measures.push({
      label: 'statistics over a year (refundStatistics)',
      series: statsSeries,
      targetMs: TARGET_STATS_MS,
      plans: statsPlans,
      note: `${statsRange.from}…${statsRange.to}, ${int(statsRefunds)} refunds; ${statsCalls} calls (the first one cold)`,
    });

    // -- the unshipped batch (a write: after the reads) ------------------------------------------------------
    const batchPlans: Plan[] = [];
    const firstBatch = new Series();
    let batchLines = 0;
    {
      const capture = new CaptureQueries(db.kysely.getExecutor());
      const t = performance.now();
      batchLines = (await collectBatch({ ...ctx, db: { ...db, kysely: db.kysely.withPlugin(capture) } }, { actor: agent })).lines.length;
      firstBatch.add(performance.now() - t);
      const seen = new Set<string>();
      for (const q of capture.queries) {
        if (!/^\s*(select|with)\b/i.test(q.sql) || seen.has(q.sql)) continue;
        seen.add(q.sql);
        batchPlans.push(await explain(db, q));
      }
    }
    measures.push({ label: 'unshipped batch: first collection (collectBatch)', series: firstBatch, targetMs: null, plans: batchPlans, note: `${int(batchLines)} refunds added to the batch` });
    const againCalls = Math.max(3, Math.floor(calls / 10));
    const again = await timeCalls(againCalls, () => collectBatch(ctx, { actor: agent }));
    measures.push({ label: 'unshipped batch: collection again (nothing new)', series: again, targetMs: null, plans: [], note: `${againCalls} calls; plans as above` });

    // -- the audit chain ---------------------------------------------------------------------------------
    // measured through the capturing handle: one compile per page of 5,000 rows costs nothing against the hashing
    const auditCapture = new CaptureQueries(db.kysely.getExecutor());
    const verifyStart = performance.now();
    const verdict = await verifyAuditChain(db.kysely.withPlugin(auditCapture));
    const verifyMs = performance.now() - verifyStart;
    const auditPlans = auditCapture.queries[0] ? [await explain(db, auditCapture.queries[0])] : [];
    const verifySeries = new Series();
    verifySeries.add(verifyMs);
    measures.push({
      label: 'audit verify over the chain (verifyAuditChain)',
      series: verifySeries,
      targetMs: null,
      plans: auditPlans,
      note: `${int(verdict.rows)} rows, ${verdict.ok ? 'intact' : `BROKEN at ${verdict.firstBroken?.id}: ${verdict.firstBroken?.problem}`}, ${int(verdict.rows / (verifyMs / 1000))} rows/s`,
    });

    // -- report ---------------------------------------------------------------------------------------------
    // a whole-table read of a table that holds a few rows is the planner's right choice; of a large one, the problem
    const tableRows = new Map<string, number>();
    for (const t of new Set(measures.flatMap((m) => m.plans.flatMap((p) => p.scans)))) {
      const row = await db.kysely.executeQuery<{ n: number | string }>(CompiledQuery.raw(`select count(*) as n from ${t}`));
      tableRows.set(t, Number(row.rows[0]?.n ?? 0));
    }
    const large = (p: Plan) => p.scans.filter((t) => (tableRows.get(t) ?? 0) >= LARGE_TABLE_ROWS);
    const met = (m: Measured) => (m.targetMs === null ? '' : m.series.percentile(0.95) <= m.targetMs ? 'MET' : 'NOT MET');
    const scanFlag = (m: Measured) => {
      const tables = [...new Set(m.plans.flatMap(large))];
      return tables.length > 0 ? `SCANS ${tables.join(', ')}` : m.plans.length > 0 ? 'no table scan' : '';
    };
    const scanNote = (p: Plan) => {
      const big = large(p);
      const small = p.scans.filter((t) => !big.includes(t));
      const parts = [
        ...big.map((t) => `SCANS THE TABLE ${t} (${int(tableRows.get(t) ?? 0)} rows)`),
        ...small.map((t) => `reads all of ${t} (${int(tableRows.get(t) ?? 0)} rows: small here, the planner's choice)`),
      ];
      return parts.length > 0 ? parts.join('; ') : 'no table scan';
    };
    out('');
    out('Plans (each read the measure ran, captured from the app through a Kysely plugin)');
    for (const m of measures) {
      if (m.plans.length === 0) continue;
      out(`  ${m.label}: ${scanFlag(m)}`);
      m.plans.forEach((p, i) => {
        out(`    query ${i + 1}: ${p.sql.length > 240 ? `${p.sql.slice(0, 240)}…` : p.sql}`);
        for (const line of p.lines) out(`      ${line}`);
        out(`      → ${scanNote(p)}`);
      });
    }
    out('');
    out(`Result (${postgres ? 'PostgreSQL' : 'SQLite'}, ${int(k.refunds)} refunds)`);
    const rows: string[][] = [['measure', 'calls', 'p50', 'p95', 'target', '', 'plan', 'note']];
    for (const m of measures) {
      const target = m.targetMs === null ? '(none)' : m.targetMs === TARGET_STATS_MS ? `≤ ${int(m.targetMs)} ms` : `p95 ≤ ${m.targetMs} ms`;
      rows.push([m.label, String(m.series.count), ms(m.series.percentile(0.5)), ms(m.series.percentile(0.95)), target, met(m), scanFlag(m), m.note]);
    }
    for (const line of wideTable(rows)) out(line);
    const failing = measures.filter((m) => met(m) === 'NOT MET').length;
    const scanning = measures.filter((m) => m.plans.some((p) => large(p).length > 0)).length;
    out(`  ${failing === 0 ? 'every target MET' : `${failing} target(s) NOT MET`}; ${scanning === 0 ? 'no plan scans a whole table' : `${scanning} measure(s) with a plan that SCANS a whole table`}`);
  } finally {
    if (db) await db.close();
    if (keep) out(`  kept: ${target.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}`);
    else await dropDatabase();
  }
}
