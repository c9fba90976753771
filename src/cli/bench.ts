/**
 * `shouhou bench` (`npm run bench`): the refund engine on a fresh SQLite file.
 *
 * One run prints:
 * - refund actions per second through the engine (actOnRefund 'agree', each a
 *   full transaction with its event, and the payout when it pays);
 * - the raw better-sqlite3 rate of the equivalent transaction on the same file
 *   (BEGIN IMMEDIATE; UPDATE the refund; INSERT its event; COMMIT) with the
 *   same pragmas (WAL, synchronous=FULL), measured in the same run, the two
 *   interleaved in rounds so that a change of the machine's speed hits both;
 * - their ratio (target ≥ 0.5);
 * - p50/p95 of the first page of the open-refund queue sorted by deadline
 *   (listShopRefunds, target p95 ≤ 20 ms), with SQLite's query plan for it.
 *
 * The data (orders, their lines, open refunds with their apply events) is
 * bulk-inserted by a separate better-sqlite3 handle and is not measured. It is
 * a benchmark, not a test: it prints numbers and whether the targets are met.
 */
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryExecutor,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { SettableClock, type AppContext } from '../app/context.ts';
import { hashAuditRow, headMac } from '../app/audit.ts';
import { actOnRefund, getRefund, listShopRefunds } from '../app/refunds.ts';
import { createActorToken, createShop } from '../app/shops.ts';
import { chinaCalendar } from '../core/calendar/china-calendar.ts';
import { platformOnlyRuleSetText } from '../core/playbook/default-rule-set.ts';
import { Rand } from '../core/random.ts';
import { defaultShopSettings } from '../core/shop-settings.ts';
import type { RefundStatus, RefundType } from '../core/refund/refund-model.ts';
import { migrateToLatest, openDatabase } from '../db/connection.ts';
import { NO_DEADLINE } from '../db/schema.ts';

export interface BenchOptions {
  orders: number;
  openRefunds: number;
  out: (line: string) => void;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/**
 * Interleaved rounds of engine actions and raw transactions: the cost of a
 * commit (an fsync) drifts on a shared machine, and short alternating blocks
 * let the drift hit both sides alike.
 */
const ROUNDS = 20;
/** A round of one side stops after this long even if it has refunds left (a slow machine): ≤ 30 s a side. */
const ROUND_CAP_MS = 1_500;
/** Not counted: JIT, statement caches, page cache. */
const WARMUP_ACTIONS = 50;
const LIST_WARMUP = 20;
const LIST_CALLS = 200;
const LIST_LIMIT = 50;
const TARGET_RATIO = 0.5;
const TARGET_LIST_P95_MS = 20;
export const RETURN_ADDRESS = '浙江省杭州市余杭区文一西路 998 号 小周鞋铺售后部 收 0571-88886666';
const SEED = 20_261_127;

// ---------------------------------------------------------------------------
// Deterministic data


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
  ['湖北省', '武汉市', '洪山区'],
] as const;
const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const givenNames = ['芳', '敏', '静', '丽', '婷', '磊', '伟', '洋', '浩', '雪', '佳怡', '晓梅'];
const couriers = ['中通快递', '圆通速递', '顺丰速运', '韵达快递', '申通快递'];
const returnReasons = ['no_reason_7d', 'quality', 'not_as_described', 'damaged', 'wrong_order'] as const;
const refundOnlyReasons = ['quality', 'not_as_described', 'damaged', 'price_difference'] as const;

/** An open refund the bench acts on: its id and type (what the agreement does to it). */
export interface OpenRefund {
  id: number;
  type: RefundType;
}

interface Populated {
  lines: number;
  refunds: OpenRefund[];
}

/** One generated order: its row values (in the SQLite insert's order), its lines and, every stride-th, its open refund. */
export interface BenchOrder {
  orderNo: string;
  values: {
    buyerNick: string;
    buyerName: string;
    buyerPhone: string;
    province: string;
    city: string;
    district: string;
    addressDetail: string;
    paidFen: number;
    postageFen: number;
    status: string;
    courier: string | null;
    trackingNo: string | null;
    shippedAt: string | null;
    signedAt: string | null;
    finishedAt: string | null;
    createdAt: string;
    updatedAt: string;
    version: number;
  };
  lines: { lineNo: number; sku: string; title: string; style: string; size: string; unitPriceFen: number; quantity: number }[];
  refund: {
    type: RefundType;
    phase: 'on_sale' | 'after_sale';
    reason: string;
    lineNo: number | null;
    amountFen: number;
    description: string;
    evidence: string;
    deadline: string;
    at: string;
    applyData: string;
  } | null;
}

/**
 * The bench's shop, deterministic: orders with 1–3 lines over the last 90 days; every `stride`-th order
 * carries one open refund, WAIT_SELLER_AGREE on a shipped and signed order whose buyer received the goods,
 * so its deadline is the seller's answer (72 h, auto-agree), spread over the next three days.
 */
export function* benchOrders(options: { orders: number; openRefunds: number; now: Date }): Generator<BenchOrder> {
  const { orders, openRefunds, now } = options;
  const rand = new Rand(SEED);
  const nowMs = now.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const stride = Math.max(1, Math.floor(orders / openRefunds));
  let refundsMade = 0;
  for (let i = 0; i < orders; i += 1) {
    const carriesRefund = i % stride === 0 && refundsMade < openRefunds;
    const buyer = rand.int(1, Math.max(1, Math.floor(orders / 4)));
    const place = rand.pick(places);
    const nLines = rand.chance(0.7) ? 1 : rand.chance(0.75) ? 2 : 3;
    const lines = Array.from({ length: nLines }, (_, k) => {
      const shoe = rand.pick(catalog);
      return { lineNo: k + 1, shoe, size: rand.pick(shoe.sizes), quantity: rand.chance(0.9) ? 1 : 2 };
    });
    const goodsFen = lines.reduce((s, l) => s + l.shoe.priceFen * l.quantity, 0);
    const postageFen = rand.chance(0.7) ? 0 : 1_000;
    const paidFen = goodsFen + postageFen;

    // the order's timeline; a refund's order was shipped and signed before the application
    let status: string;
    let created: number;
    let shipped: number | null = null;
    let signed: number | null = null;
    let finished: number | null = null;
    const refundAt = nowMs - rand.range(0.5, 70) * HOUR_MS;
    if (carriesRefund) {
      created = refundAt - rand.range(4, 12) * DAY_MS;
      shipped = created + rand.range(2, 30) * HOUR_MS;
      signed = shipped + rand.range(24, 60) * HOUR_MS;
      if (rand.chance(0.2)) {
        finished = signed + rand.range(1, 5) * HOUR_MS;
        status = 'TRADE_FINISHED';
      } else {
        status = 'WAIT_BUYER_CONFIRM_GOODS';
      }
    } else {
      const x = rand.float();
      if (x < 0.08) {
        status = 'WAIT_SELLER_SEND_GOODS';
        created = nowMs - rand.range(0, 3) * DAY_MS;
      } else {
        created = nowMs - rand.range(4, 90) * DAY_MS;
        if (x < 0.18) {
          status = 'TRADE_CLOSED';
        } else {
          shipped = created + rand.range(2, 30) * HOUR_MS;
          if (x < 0.35) {
            status = 'WAIT_BUYER_CONFIRM_GOODS';
            if (rand.chance(0.5)) signed = shipped + rand.range(24, 60) * HOUR_MS;
          } else {
            status = 'TRADE_FINISHED';
            signed = shipped + rand.range(24, 60) * HOUR_MS;
            finished = signed + rand.range(1, 7 * 24) * HOUR_MS;
          }
        }
      }
    }
    const updated = finished ?? signed ?? shipped ?? created;
    const version = 1 + (shipped !== null ? 1 : 0) + (signed !== null ? 1 : 0) + (finished !== null ? 1 : 0) + (status === 'TRADE_CLOSED' ? 1 : 0);
    const orderNo = `41${String(i + 1).padStart(16, '0')}`;
    const values: BenchOrder['values'] = {
      buyerNick: `buyer_${buyer}`,
      buyerName: `${rand.pick(surnames)}${rand.pick(givenNames)}`,
      buyerPhone: `13${String(rand.int(0, 999_999_999)).padStart(9, '0')}`,
      province: place[0],
      city: place[1],
      district: place[2],
      addressDetail: `幸福路 ${rand.int(1, 999)} 号 ${rand.int(1, 30)} 栋 ${rand.int(101, 2_808)} 室`,
      paidFen,
      postageFen,
      status,
      courier: shipped !== null ? rand.pick(couriers) : null,
      trackingNo: shipped !== null ? `YT${String(rand.int(0, 999_999_999)).padStart(12, '0')}` : null,
      shippedAt: shipped !== null ? iso(shipped) : null,
      signedAt: signed !== null ? iso(signed) : null,
      finishedAt: finished !== null ? iso(finished) : null,
      createdAt: iso(created),
      updatedAt: iso(updated),
      version,
    };
    const orderLines = lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.shoe.sku,
      title: l.shoe.title,
      style: l.shoe.style,
      size: l.size,
      unitPriceFen: l.shoe.priceFen,
      quantity: l.quantity,
    }));
    if (!carriesRefund) {
      yield { orderNo, values, lines: orderLines, refund: null };
      continue;
    }
    refundsMade += 1;
    const type: RefundType = rand.chance(0.5) ? 'refund_only' : 'return_and_refund';
    const reason = type === 'refund_only' ? rand.pick(refundOnlyReasons) : rand.pick(returnReasons);
    const line = nLines > 1 && rand.chance(0.5) ? rand.pick(lines) : null;
    const available = line ? line.shoe.priceFen * line.quantity : paidFen;
    const amountFen =
      reason === 'price_difference'
        ? Math.round(available * rand.range(0.05, 0.3))
        : line || rand.chance(0.5)
          ? available
          : goodsFen;
    const phase = status === 'TRADE_FINISHED' ? 'after_sale' : 'on_sale';
    yield {
      orderNo,
      values,
      lines: orderLines,
      refund: {
        type,
        phase,
        reason,
        lineNo: line?.lineNo ?? null,
        amountFen,
        description: '鞋子收到后发现与描述不符，申请售后处理',
        evidence: JSON.stringify([`evidence/${orderNo}-1.jpg`]),
        deadline: iso(refundAt + defaultShopSettings.sellerAnswerReceivedHours * HOUR_MS),
        at: iso(refundAt),
        applyData: JSON.stringify({ type, goodsStatus: 'received', reason, amountFen, phase, lineNo: line?.lineNo ?? null }),
      },
    };
  }
}

/** Bulk-inserts benchOrders through a separate better-sqlite3 handle, in a few big transactions (not measured). */
function populate(file: string, options: { shopId: number; orders: number; openRefunds: number; now: Date }): Populated {
  const { shopId } = options;
  const db = new SQLite(file);
  try {
    db.pragma('journal_mode = WAL');
    // the setup is not measured and need not survive a power cut
    db.pragma('synchronous = OFF');
    db.pragma('foreign_keys = ON');
    const insertOrder = db.prepare(
      `insert into orders (shop_id, order_no, buyer_nick, buyer_name, buyer_phone, province, city, district, address_detail,
         paid_fen, postage_fen, escrow, status, courier, tracking_no, shipped_at, signed_at, finished_at, created_at, updated_at, version)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertLine = db.prepare(
      `insert into order_lines (order_id, line_no, sku, title, style, size, unit_price_fen, quantity) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertRefund = db.prepare(
      `insert into refunds (shop_id, order_id, order_no, line_no, type, goods_status, phase, reason, amount_fen, description, evidence,
         status, is_open, intervention_state, deadline_kind, deadline_at, deadline_effect, sort_deadline, created_at, updated_at, version)
       values (?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, 'WAIT_SELLER_AGREE', 1, 'none', 'seller_answer', ?, 'auto_agree', ?, ?, ?, 1)`,
    );
    const insertEvent = db.prepare(
      `insert into refund_events (shop_id, refund_id, version, at, actor_id, actor_role, action, from_status, to_status, changes, data)
       values (?, ?, 1, ?, null, 'buyer', 'apply', null, 'WAIT_SELLER_AGREE', '{}', ?)`,
    );
    const refunds: OpenRefund[] = [];
    let lineCount = 0;
    const generated = benchOrders(options);
    const CHUNK = 25_000;
    for (let start = 0; start < options.orders; start += CHUNK) {
      const end = Math.min(options.orders, start + CHUNK);
      db.transaction(() => {
        for (let i = start; i < end; i += 1) {
          const next = generated.next();
          if (next.done) return;
          const { orderNo, values: v, lines, refund } = next.value;
          const result = insertOrder.run(
            shopId, orderNo, v.buyerNick, v.buyerName, v.buyerPhone, v.province, v.city, v.district, v.addressDetail,
            v.paidFen, v.postageFen, v.status, v.courier, v.trackingNo, v.shippedAt, v.signedAt, v.finishedAt, v.createdAt, v.updatedAt, v.version,
          );
          const orderId = Number(result.lastInsertRowid);
          for (const l of lines) insertLine.run(orderId, l.lineNo, l.sku, l.title, l.style, l.size, l.unitPriceFen, l.quantity);
          lineCount += lines.length;
          if (!refund) continue;
          const refundResult = insertRefund.run(
            shopId, orderId, orderNo, refund.lineNo, refund.type, refund.phase, refund.reason, refund.amountFen, refund.description,
            refund.evidence, refund.deadline, refund.deadline, refund.at, refund.at,
          );
          const refundId = Number(refundResult.lastInsertRowid);
          insertEvent.run(shopId, refundId, refund.at, refund.applyData);
          refunds.push({ id: refundId, type: refund.type });
        }
      }).immediate();
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { lines: lineCount, refunds };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------
// The raw baseline

/**
 * The engine's agree as plain better-sqlite3: the same row changes (status,
 * is_open, the new deadline and its sort key, the return address, updated_at,
 * version) under the same version check, and the event with a diff and data
 * like the engine's, in one BEGIN IMMEDIATE transaction; synchronous=FULL.
 */
function rawBaseline(file: string, shopId: number, actorId: number, withAudit: boolean) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 15000');
  db.pragma('foreign_keys = ON');
  const update = db.prepare(
    `update refunds set status = ?, is_open = ?, return_address = ?, deadline_kind = ?, deadline_at = ?, deadline_effect = ?,
       sort_deadline = ?, updated_at = ?, version = version + 1
     where id = ? and version = ?`,
  );
  const insertEvent = db.prepare(
    `insert into refund_events (shop_id, refund_id, version, at, actor_id, actor_role, action, from_status, to_status, changes, data)
     values (?, ?, ?, ?, ?, 'agent', 'agree', ?, ?, ?, ?)`,
  );
  // the audit trail's writes (issue 3): read the chain's head, insert the hashed row, move the head
  const head = db.prepare('select last_id, last_hash, last_seq from audit_head where id = 1');
  const insertAudit = db.prepare(
    `insert into audit_log (id, at, shop_id, actor_kind, actor_id, actor_name, role, action, target_type, target_id, outcome, ip, details, prev_hash, hash,
       chain, chain_seq)
     values (@id, @at, @shop_id, @actor_kind, @actor_id, @actor_name, @role, @action, @target_type, @target_id, @outcome, @ip, @details, @prev_hash, @hash,
       1, @chain_seq)`,
  );
  const moveHead = db.prepare('update audit_head set last_id = ?, last_hash = ?, last_seq = ?, head_mac = ? where id = 1');
  const audit = (r: OpenRefund, at: string, status: string) => {
    const h = head.get() as { last_id: number; last_hash: string; last_seq: number };
    const row = {
      id: h.last_id + 1,
      at,
      shop_id: shopId,
      actor_kind: 'token',
      actor_id: actorId,
      actor_name: 'bench agent',
      role: 'agent',
      action: 'refund.agree',
      target_type: 'refund',
      target_id: String(r.id),
      outcome: 'ok',
      ip: null,
      details: JSON.stringify({ from: 'WAIT_SELLER_AGREE', to: status, version: 2 }),
      prev_hash: h.last_hash,
    };
    const hash = hashAuditRow(row);
    insertAudit.run({ ...row, hash, chain_seq: h.last_seq + 1 });
    moveHead.run(row.id, hash, h.last_seq + 1, headMac(row.id, hash));
  };
  const agree = db.transaction((r: OpenRefund, version: number, now: Date) => {
    const at = now.toISOString();
    const returns = r.type === 'return_and_refund';
    const status: RefundStatus = returns ? 'WAIT_BUYER_RETURN_GOODS' : 'SUCCESS';
    const deadlineAt = returns ? new Date(now.getTime() + defaultShopSettings.buyerReturnHours * HOUR_MS).toISOString() : null;
    const changed = update.run(
      status,
      returns ? 1 : 0,
      returns ? RETURN_ADDRESS : null,
      returns ? 'buyer_return' : null,
      deadlineAt,
      returns ? 'close' : null,
      deadlineAt ?? NO_DEADLINE,
      at,
      r.id,
      version,
    );
    if (changed.changes !== 1) throw new Error(`raw baseline: refund ${r.id} is not at version ${version}`);
    const changes: Record<string, { from: unknown; to: unknown }> = {
      status: { from: 'WAIT_SELLER_AGREE', to: status },
      deadline: {
        from: { kind: 'seller_answer', effect: 'auto_agree' },
        to: returns ? { kind: 'buyer_return', at: deadlineAt, effect: 'close', problem: null } : null,
      },
    };
    if (returns) changes.returnAddress = { from: null, to: RETURN_ADDRESS };
    insertEvent.run(
      shopId,
      r.id,
      version + 1,
      at,
      actorId,
      'WAIT_SELLER_AGREE',
      status,
      JSON.stringify(changes),
      JSON.stringify(returns ? { returnAddress: RETURN_ADDRESS } : {}),
    );
    if (withAudit) audit(r, at, status);
  });
  return {
    run: (r: OpenRefund, now: Date) => agree.immediate(r, 1, now),
    close: () => db.close(),
  };
}

// ---------------------------------------------------------------------------
// Helpers

/** Captures the SQL a use case runs (compiled as the executor would), to EXPLAIN it. */
export class CaptureQueries implements KyselyPlugin {
  readonly queries: CompiledQuery[] = [];
  constructor(private readonly executor: QueryExecutor) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.queries.push(this.executor.compileQuery(args.node, args.queryId));
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** Latencies of one kind of operation, in milliseconds. */
export class Series {
  private readonly values: number[] = [];
  private sorted = true;
  totalMs = 0;
  get count(): number {
    return this.values.length;
  }
  add(valueMs: number): void {
    this.values.push(valueMs);
    this.totalMs += valueMs;
    this.sorted = false;
  }
  /** operations per second, back to back */
  rate(): number {
    return this.totalMs > 0 ? (this.values.length / this.totalMs) * 1000 : Number.NaN;
  }
  /** nearest rank */
  percentile(p: number): number {
    if (this.values.length === 0) return Number.NaN;
    if (!this.sorted) {
      this.values.sort((a, b) => a - b);
      this.sorted = true;
    }
    const i = Math.min(this.values.length - 1, Math.max(0, Math.ceil(p * this.values.length) - 1));
    return this.values[i] as number;
  }
}

function seriesOf(map: Map<string, Series>, key: string): Series {
  let series = map.get(key);
  if (!series) {
    series = new Series();
    map.set(key, series);
  }
  return series;
}

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`;
export const secs = (n: number) => `${(n / 1000).toFixed(2)} s`;

export function fileSystemOf(dir: string): string {
  try {
    const type = statfsSync(dir).type;
    const known: Record<number, string> = {
      0xef53: 'ext4',
      0x01021994: 'tmpfs: fsync costs nothing here',
      0x794c7630: 'overlayfs',
      0x58465342: 'xfs',
      0x9123683e: 'btrfs',
      0x6969: 'nfs',
    };
    return known[type] ?? `type 0x${type.toString(16)}`;
  } catch {
    return 'unknown';
  }
}

export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('   ')}`.trimEnd());
}

// ---------------------------------------------------------------------------
// The bench

export async function runBench(options: BenchOptions): Promise<void> {
  const { out } = options;
  if (!Number.isInteger(options.orders) || !Number.isInteger(options.openRefunds) || options.openRefunds < 10) {
    throw new Error('bench: orders and openRefunds must be integers, openRefunds at least 10');
  }
  if (options.openRefunds > options.orders) throw new Error('bench: at most one open refund per order');

  const dir = mkdtempSync(path.join(os.tmpdir(), 'shouhou-bench-'));
  const file = path.join(dir, 'bench.sqlite');
  const db = openDatabase(file);
  try {
    await migrateToLatest(db);
    const clock = new SettableClock();
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    clock.set(now);
    const ctx: AppContext = { db, clock, calendar: chinaCalendar() };
    const shop = await createShop(ctx, { code: 'bench', name: '小周鞋铺(bench)', settings: { returnAddress: RETURN_ADDRESS } });
    const { actor: agent } = await createActorToken(ctx, { shopId: shop.id, role: 'agent', name: 'bench agent' });
    // the engine alone: a rule set that names no guards (the workbench's SOP guards are not what this measures)
    await db.kysely
      .insertInto('rule_sets')
      .values({
        shop_id: shop.id,
        version: 1,
        name: 'platform rules only',
        text: platformOnlyRuleSetText,
        created_at: now.toISOString(),
        actor_id: null,
      })
      .execute();

    const versionRow = await db.kysely.executeQuery<{ v: string }>(CompiledQuery.raw('select sqlite_version() as v'));
    out(`shouhou bench: the refund engine on a fresh SQLite file`);
    out(`  file     ${file} (${fileSystemOf(dir)}); WAL, synchronous=FULL, BEGIN IMMEDIATE`);
    out(
      `  runtime  Node ${process.versions.node}, SQLite ${versionRow.rows[0]?.v ?? '?'}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}`,
    );

    // -- setup (not measured) ------------------------------------------------
    const setupStart = performance.now();
    const data = populate(file, { shopId: shop.id, orders: options.orders, openRefunds: options.openRefunds, now });
    out(
      `  setup    ${int(options.orders)} orders (${int(data.lines)} lines), ${int(data.refunds.length)} open refunds with their apply events: ` +
        `${secs(performance.now() - setupStart)} (not measured)`,
    );

    // the bulk rows are what the engine itself would have written: it reads one back and offers the seller's actions
    const sample = data.refunds[0];
    if (!sample) throw new Error('bench: no refunds were created');
    const detail = await getRefund(ctx, { actor: agent, refundId: sample.id });
    if (!detail.allowedActions.includes('agree') || !detail.allowedActions.includes('refuse') || detail.deadline?.kind !== 'seller_answer') {
      throw new Error(`bench: refund ${sample.id} does not look open to the engine: ${JSON.stringify(detail.allowedActions)}`);
    }

    // -- the queue's query plan ----------------------------------------------
    const listQuery = { open: true, limit: LIST_LIMIT } as const;
    const capture = new CaptureQueries(db.kysely.getExecutor());
    await listShopRefunds({ ...ctx, db: { ...db, kysely: db.kysely.withPlugin(capture) } }, { actor: agent, query: listQuery });
    const listSql = capture.queries[0];
    if (!listSql || capture.queries.length !== 1) throw new Error(`bench: expected one query from listShopRefunds, saw ${capture.queries.length}`);
    const plan = await db.kysely.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${listSql.sql}`, [...listSql.parameters]));
    const planLines = plan.rows.map((r) => r.detail);

    // -- engine vs raw, interleaved ------------------------------------------
    // distinct open refunds, drawn at random: 30% for the engine, 30% for each baseline, the rest stay as they are
    const pool = new Rand(SEED + 1).shuffle([...data.refunds]);
    const share = Math.floor(pool.length * 0.3);
    const enginePool = pool.slice(0, share);
    const rawPool = pool.slice(share, 2 * share);
    const auditPool = pool.slice(2 * share, 3 * share);
    const warm = Math.min(WARMUP_ACTIONS, Math.floor(share / 10));
    const perRound = Math.max(1, Math.floor((share - warm) / ROUNDS));

    const raw = rawBaseline(file, shop.id, agent.id, false);
    const rawAudit = rawBaseline(file, shop.id, agent.id, true);
    const engine = { all: new Series(), byOutcome: new Map<string, Series>() };
    const baseline = { all: new Series(), byType: new Map<string, Series>() };
    const audited = new Series();
    let nextEngine = 0;
    let nextRaw = 0;
    let nextAudit = 0;

    const engineRound = async (count: number, record: boolean) => {
      const start = performance.now();
      for (let k = 0; k < count && nextEngine < enginePool.length; k += 1) {
        const r = enginePool[nextEngine++] as OpenRefund;
        const t = performance.now();
        const refund = await actOnRefund(ctx, { actor: agent, refundId: r.id, version: 1, command: { action: 'agree' } });
        const done = performance.now();
        if (record) {
          engine.all.add(done - t);
          seriesOf(engine.byOutcome, refund.status).add(done - t);
        }
        if (done - start > ROUND_CAP_MS) break;
      }
    };
    const rawRound = (count: number, record: boolean) => {
      const start = performance.now();
      for (let k = 0; k < count && nextRaw < rawPool.length; k += 1) {
        const r = rawPool[nextRaw++] as OpenRefund;
        const t = performance.now();
        raw.run(r, clock.now());
        const done = performance.now();
        if (record) {
          baseline.all.add(done - t);
          seriesOf(baseline.byType, r.type).add(done - t);
        }
        if (done - start > ROUND_CAP_MS) break;
      }
    };

    const auditRound = (count: number, record: boolean) => {
      const start = performance.now();
      for (let k = 0; k < count && nextAudit < auditPool.length; k += 1) {
        const r = auditPool[nextAudit++] as OpenRefund;
        const t = performance.now();
        rawAudit.run(r, clock.now());
        const done = performance.now();
        if (record) audited.add(done - t);
        if (done - start > ROUND_CAP_MS) break;
      }
    };

    // the engine's connection is idle between calls (each action awaits its commit), so the raw handles can write in turn
    try {
      await engineRound(warm, false);
      rawRound(warm, false);
      auditRound(warm, false);
      for (let round = 0; round < ROUNDS; round += 1) {
        // rotate who goes first, so none always runs right after another's writes
        const order = [round % 3, (round + 1) % 3, (round + 2) % 3];
        for (const who of order) {
          if (who === 0) await engineRound(perRound, true);
          else if (who === 1) rawRound(perRound, true);
          else auditRound(perRound, true);
        }
      }
    } finally {
      raw.close();
      rawAudit.close();
    }

    // every action, engine and raw, committed its change and exactly one new event
    const acted = [...enginePool.slice(0, nextEngine), ...rawPool.slice(0, nextRaw), ...auditPool.slice(0, nextAudit)].map((r) => r.id);
    let events = 0;
    for (let i = 0; i < acted.length; i += 500) {
      const row = await db.kysely
        .selectFrom('refund_events')
        .innerJoin('refunds', 'refunds.id', 'refund_events.refund_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('refund_events.refund_id', 'in', acted.slice(i, i + 500))
        .where('refund_events.version', '=', 2)
        .where('refund_events.action', '=', 'agree')
        .where('refunds.version', '=', 2)
        .executeTakeFirstOrThrow();
      events += Number(row.n);
    }
    if (events !== acted.length) throw new Error(`bench: ${acted.length} agreements but ${events} refunds at version 2 with their agree event`);
    const closedRow = await db.kysely
      .selectFrom('order_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'close_by_refund')
      .executeTakeFirstOrThrow();
    const ordersClosed = Number(closedRow.n);

    const engineRate = engine.all.rate();
    const rawRate = baseline.all.rate();
    const ratio = engineRate / rawRate;
    const auditRate = audited.rate();
    const auditRatio = engineRate / auditRate;

    // -- the open-refund queue's first page ------------------------------------
    const listOnce = () => listShopRefunds(ctx, { actor: agent, query: listQuery });
    let pageSize = 0;
    for (let i = 0; i < LIST_WARMUP; i += 1) pageSize = (await listOnce()).items.length;
    const list = new Series();
    for (let i = 0; i < LIST_CALLS; i += 1) {
      const t = performance.now();
      await listOnce();
      list.add(performance.now() - t);
    }
    const listP50 = list.percentile(0.5);
    const listP95 = list.percentile(0.95);

    // -- report ------------------------------------------------------------------
    const met = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
    const row = (label: string, series: Series, unit: string) => [
      label,
      int(series.count),
      secs(series.totalMs),
      `${int(series.rate())} ${unit}`,
      ms(series.percentile(0.5)),
      ms(series.percentile(0.95)),
      ms(series.percentile(0.99)),
    ];
    const engineReturns = engine.byOutcome.get('WAIT_BUYER_RETURN_GOODS');
    const rawReturns = baseline.byType.get('return_and_refund');
    out('');
    out(`Refund actions: ${ROUNDS} interleaved rounds of up to ${int(perRound)} each, after ${warm} warm-ups each (not counted); distinct refunds`);
    out(`  engine  actOnRefund agree, one transaction each: reads the refund, order + lines, the order's refunds, shop settings;`);
    out(`          updates the refund and inserts its event; a refund-only also inserts its payout, and when it refunds`);
    out(`          the whole payment, updates the order (TRADE_CLOSED) and inserts the order's event (${int(ordersClosed)} times here)`);
    out(`  raw     better-sqlite3, prepared statements: BEGIN IMMEDIATE; UPDATE refunds (the columns agree changes, version check);`);
    out(`          INSERT refund_events; COMMIT`);
    out(`  raw+audit  the same, plus the audit trail's writes every engine action makes (issue 3): read the chain's head,`);
    out(`          INSERT the hashed audit_log row, UPDATE the head`);
    out('');
    const rows = [['', 'count', 'time', 'rate', 'p50', 'p95', 'p99'], row('engine', engine.all, 'actions/s')];
    for (const [status, series] of engine.byOutcome) rows.push(row(`  → ${status}`, series, 'actions/s'));
    rows.push(row('raw', baseline.all, 'txn/s'));
    for (const [type, series] of baseline.byType) rows.push(row(`  ${type}`, series, 'txn/s'));
    rows.push(row('raw+audit', audited, 'txn/s'));
    for (const line of table(rows)) out(line);
    if (engineReturns && rawReturns) {
      out(
        `  like for like (agreed returns: update + event on both sides): ${int(engineReturns.rate())} / ${int(rawReturns.rate())} = ` +
          `${(engineReturns.rate() / rawReturns.rate()).toFixed(2)}`,
      );
    }
    out('');
    out(`Open-refund queue: listShopRefunds {open: true, limit: ${LIST_LIMIT}} as the agent, first page by deadline (${pageSize} rows)`);
    out(`  ${LIST_CALLS} calls after ${LIST_WARMUP} warm-ups: p50 ${ms(listP50)}, p95 ${ms(listP95)}, max ${ms(list.percentile(1))}`);
    out(`  SQL: ${listSql.sql}`);
    out(`  EXPLAIN QUERY PLAN:`);
    for (const line of planLines) out(`    ${line}`);
    const usesIndex = planLines.some((l) => /USING (COVERING )?INDEX refunds_queue\b/.test(l));
    const sorts = planLines.some((l) => /TEMP B-TREE/.test(l));
    out(`  ${usesIndex ? 'uses the refunds_queue index' : 'does NOT use the refunds_queue index'}; ${sorts ? 'SORTS in a temp b-tree' : 'no sort step (index order)'}`);
    out('');
    out('Result');
    const results = [
      ['measure', 'value', 'target', ''],
      ['engine refund actions/s', int(engineRate), '', ''],
      ['raw update+insert txn/s', int(rawRate), '', ''],
      ['ratio engine / raw', ratio.toFixed(2), `≥ ${TARGET_RATIO}`, met(ratio >= TARGET_RATIO)],
      ['raw+audit txn/s', int(auditRate), '', ''],
      ['ratio engine / raw+audit', auditRatio.toFixed(2), `(≥ ${TARGET_RATIO})`, met(auditRatio >= TARGET_RATIO)],
      ['open-refund list p50', ms(listP50), '', ''],
      ['open-refund list p95', ms(listP95), `≤ ${TARGET_LIST_P95_MS} ms`, met(listP95 <= TARGET_LIST_P95_MS)],
    ];
    for (const line of table(results)) out(line);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
