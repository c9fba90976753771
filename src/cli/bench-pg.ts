/**
 * The refund engine on PostgreSQL (issue 16 §2): `npm run bench` with DATABASE_URL.
 *
 * In a database of its own (created for the run, dropped after it), the same
 * shop as the SQLite bench (benchOrders) is bulk-loaded, then at 1 and at 8
 * concurrent clients, in interleaved rounds of a fixed time each:
 * - the engine: actOnRefund 'agree' (its transaction, event, audit row, payout);
 * - raw: BEGIN; UPDATE refunds (version check); INSERT refund_events; COMMIT —
 *   through the same pg pool the engine's Kysely draws from;
 * - raw+audit: the same with the audit trail's writes (lock the chain's head,
 *   INSERT the hashed row, move the head).
 * Both sides' statements inside a transaction go as named prepared statements (src/db/pg-prepared.ts), as
 * every action's do in production.
 * It prints each one's rate and latencies, and the engine's ratio to raw
 * (target ≥ 0.3 at 8 clients). Every refund acted on is checked afterwards to
 * be at version 2 with exactly one agree event.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { SettableClock, type AppContext } from '../app/context.ts';
import { hashAuditRow, headMac, verifyAuditChain } from '../app/audit.ts';
import { actOnRefund } from '../app/refunds.ts';
import { createActorToken, createShop } from '../app/shops.ts';
import { chinaCalendar } from '../core/calendar/china-calendar.ts';
import { platformOnlyRuleSetText } from '../core/playbook/default-rule-set.ts';
import { Rand } from '../core/random.ts';
import { defaultShopSettings } from '../core/shop-settings.ts';
import type { Actor } from '../core/roles.ts';
import type { RefundStatus } from '../core/refund/refund-model.ts';
import { migrateToLatest, openDatabase, type Db } from '../db/connection.ts';
import { NO_DEADLINE } from '../db/schema.ts';
import { benchOrders, int, ms, RETURN_ADDRESS, Series, table, type OpenRefund } from './bench.ts';

export interface PgEngineBenchOptions {
  databaseUrl: string;
  orders: number;
  openRefunds: number;
  /** each side's turn in a round, in milliseconds */
  turnMs: number;
  rounds: number;
  out: (line: string) => void;
}

const HOUR_MS = 3_600_000;
const TARGET_RATIO_AT_8 = 0.3;
const CONCURRENCY = [1, 8] as const;

/** A database of its own on the server DATABASE_URL names; `drop` removes it (forcibly: the bench's pool may linger). */
export async function freshPostgresDatabase(url: string, prefix: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** benchOrders into PostgreSQL with multi-row inserts (not measured). */
export async function populatePg(db: Db, options: { shopId: number; orders: number; openRefunds: number; now: Date }): Promise<OpenRefund[]> {
  const refunds: OpenRefund[] = [];
  const generated = [...benchOrders(options)];
  const CHUNK = 500;
  for (let start = 0; start < generated.length; start += CHUNK) {
    const chunk = generated.slice(start, start + CHUNK);
    await db.kysely.transaction().execute(async (trx) => {
      const ids = await trx
        .insertInto('orders')
        .values(
          chunk.map(({ orderNo, values: v }) => ({
            shop_id: options.shopId,
            order_no: orderNo,
            buyer_nick: v.buyerNick,
            buyer_name: v.buyerName,
            buyer_phone: v.buyerPhone,
            province: v.province,
            city: v.city,
            district: v.district,
            address_detail: v.addressDetail,
            paid_fen: v.paidFen,
            postage_fen: v.postageFen,
            escrow: 1,
            status: v.status,
            courier: v.courier,
            tracking_no: v.trackingNo,
            shipped_at: v.shippedAt,
            signed_at: v.signedAt,
            finished_at: v.finishedAt,
            created_at: v.createdAt,
            updated_at: v.updatedAt,
            version: v.version,
          })),
        )
        .returning(['id', 'order_no'])
        .execute();
      const idOf = new Map(ids.map((r) => [r.order_no, r.id]));
      await trx
        .insertInto('order_lines')
        .values(
          chunk.flatMap((o) =>
            o.lines.map((l) => ({
              order_id: idOf.get(o.orderNo)!,
              line_no: l.lineNo,
              sku: l.sku,
              title: l.title,
              style: l.style,
              size: l.size,
              unit_price_fen: l.unitPriceFen,
              quantity: l.quantity,
            })),
          ),
        )
        .execute();
      const withRefund = chunk.filter((o) => o.refund !== null);
      if (withRefund.length === 0) return;
      const made = await trx
        .insertInto('refunds')
        .values(
          withRefund.map((o) => {
            const r = o.refund!;
            return {
              shop_id: options.shopId,
              order_id: idOf.get(o.orderNo)!,
              order_no: o.orderNo,
              line_no: r.lineNo,
              type: r.type,
              goods_status: 'received',
              phase: r.phase,
              reason: r.reason,
              amount_fen: r.amountFen,
              description: r.description,
              evidence: r.evidence,
              status: 'WAIT_SELLER_AGREE',
              is_open: 1,
              intervention_state: 'none',
              deadline_kind: 'seller_answer',
              deadline_at: r.deadline,
              deadline_effect: 'auto_agree',
              sort_deadline: r.deadline,
              created_at: r.at,
              updated_at: r.at,
              version: 1,
            };
          }),
        )
        .returning(['id', 'order_no', 'type'])
        .execute();
      const byOrder = new Map(withRefund.map((o) => [o.orderNo, o.refund!]));
      await trx
        .insertInto('refund_events')
        .values(
          made.map((m) => ({
            shop_id: options.shopId,
            refund_id: m.id,
            version: 1,
            at: byOrder.get(m.order_no)!.at,
            actor_id: null,
            actor_role: 'buyer',
            action: 'apply',
            from_status: null,
            to_status: 'WAIT_SELLER_AGREE',
            changes: '{}',
            data: byOrder.get(m.order_no)!.applyData,
          })),
        )
        .execute();
      for (const m of made) refunds.push({ id: m.id, type: m.type as OpenRefund['type'] });
    });
  }
  await sql`analyze`.execute(db.kysely);
  return refunds;
}

/** The engine's agree as plain SQL through the pool: the same row changes and event, optionally the audit chain's writes. */
function rawAgree(pool: pg.Pool, shopId: number, actor: Actor, withAudit: boolean) {
  return async (r: OpenRefund, now: Date): Promise<void> => {
    const at = now.toISOString();
    const returns = r.type === 'return_and_refund';
    const status: RefundStatus = returns ? 'WAIT_BUYER_RETURN_GOODS' : 'SUCCESS';
    const deadlineAt = returns ? new Date(now.getTime() + defaultShopSettings.buyerReturnHours * HOUR_MS).toISOString() : null;
    const client = await pool.connect();
    try {
      await client.query('begin');
      const changed = await client.query(
        `update refunds set status = $1, is_open = $2, return_address = $3, deadline_kind = $4, deadline_at = $5, deadline_effect = $6,
           sort_deadline = $7, updated_at = $8, version = version + 1 where id = $9 and version = 1`,
        [status, returns ? 1 : 0, returns ? RETURN_ADDRESS : null, returns ? 'buyer_return' : null, deadlineAt, returns ? 'close' : null, deadlineAt ?? NO_DEADLINE, at, r.id],
      );
      if (changed.rowCount !== 1) throw new Error(`raw baseline: refund ${r.id} is not at version 1`);
      const changes: Record<string, { from: unknown; to: unknown }> = {
        status: { from: 'WAIT_SELLER_AGREE', to: status },
        deadline: { from: { kind: 'seller_answer', effect: 'auto_agree' }, to: returns ? { kind: 'buyer_return', at: deadlineAt, effect: 'close', problem: null } : null },
      };
      if (returns) changes.returnAddress = { from: null, to: RETURN_ADDRESS };
      await client.query(
        `insert into refund_events (shop_id, refund_id, version, at, actor_id, actor_role, action, from_status, to_status, changes, data)
         values ($1, $2, 2, $3, $4, 'agent', 'agree', 'WAIT_SELLER_AGREE', $5, $6, $7)`,
        [shopId, r.id, at, actor.id, status, JSON.stringify(changes), JSON.stringify(returns ? { returnAddress: RETURN_ADDRESS } : {})],
      );
      if (withAudit) {
        // the audit trail's writes as appendAudit makes them: a free chain's head and the row's id, then the row and the head
        const picked = await client.query<{ chain: number; last_hash: string; last_seq: number; next_id: string }>(
          `select id as chain, last_hash, last_seq, nextval('audit_log_ids') as next_id from audit_head order by id for update skip locked limit 1`,
        );
        const h = picked.rows[0] ?? (await client.query(`select id as chain, last_hash, last_seq, nextval('audit_log_ids') as next_id from audit_head where id = 1 for update`)).rows[0];
        const row = {
          id: Number(h.next_id),
          at,
          shop_id: shopId,
          actor_kind: actor.kind,
          actor_id: actor.id,
          actor_name: actor.name,
          role: actor.role,
          action: 'refund.agree',
          target_type: 'refund',
          target_id: String(r.id),
          outcome: 'ok',
          ip: null,
          details: JSON.stringify({ from: 'WAIT_SELLER_AGREE', to: status, version: 2 }),
          prev_hash: h.last_hash as string,
        };
        const hash = hashAuditRow(row);
        const chain = Number(h.chain);
        const seq = Number(h.last_seq) + 1;
        await client.query(
          `with appended as (
             insert into audit_log (id, at, shop_id, actor_kind, actor_id, actor_name, role, action, target_type, target_id, outcome, ip, details, prev_hash, hash, chain, chain_seq)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) returning id)
           update audit_head set last_id = $1, last_hash = $15, last_seq = $17, head_mac = $18 where id = $16`,
          [row.id, row.at, row.shop_id, row.actor_kind, row.actor_id, row.actor_name, row.role, row.action, row.target_type, row.target_id, row.outcome, row.ip, row.details, row.prev_hash, hash, chain, seq, headMac(row.id, hash, chain)],
        );
      }
      await client.query('commit');
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  };
}

interface Side {
  name: string;
  pool: OpenRefund[];
  next: number;
  act: (r: OpenRefund) => Promise<void>;
  /** per concurrency: latencies and the wall time of its turns */
  byClients: Map<number, { latencies: Series; wallMs: number; done: number; cpuMs: number }>;
}

/** One side's turn: `clients` workers act on its next refunds until the turn's time is up; the wall time counts. */
async function turn(side: Side, clients: number, turnMs: number, record: boolean): Promise<void> {
  const start = performance.now();
  const stats = side.byClients.get(clients) ?? { latencies: new Series(), wallMs: 0, done: 0, cpuMs: 0 };
  const cpu = process.cpuUsage();
  side.byClients.set(clients, stats);
  let done = 0;
  const worker = async () => {
    while (performance.now() - start < turnMs && side.next < side.pool.length) {
      const r = side.pool[side.next++]!;
      const t = performance.now();
      await side.act(r);
      if (record) stats.latencies.add(performance.now() - t);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  if (record) {
    stats.wallMs += performance.now() - start;
    stats.done += done;
    const used = process.cpuUsage(cpu);
    stats.cpuMs += (used.user + used.system) / 1000;
  }
}

export async function runPgEngineBench(options: PgEngineBenchOptions): Promise<{ ratioAt8: number }> {
  const { out } = options;
  const fresh = await freshPostgresDatabase(options.databaseUrl, 'shouhou_bench_engine');
  let db: Db | null = null;
  try {
    db = openDatabase(fresh.url);
    await migrateToLatest(db);
    const pool = db.pgPool;
    if (!pool) throw new Error('bench: not a PostgreSQL database');
    const clock = new SettableClock();
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    clock.set(now);
    const ctx: AppContext = { db, clock, calendar: chinaCalendar() };
    const shop = await createShop(ctx, { code: 'bench', name: '小周鞋铺(bench)', settings: { returnAddress: RETURN_ADDRESS } });
    const { actor: agent } = await createActorToken(ctx, { shopId: shop.id, role: 'agent', name: 'bench agent' });
    await db.kysely
      .insertInto('rule_sets')
      .values({ shop_id: shop.id, version: 1, name: 'platform rules only', text: platformOnlyRuleSetText, created_at: now.toISOString(), actor_id: null })
      .execute();
    const version = (await pool.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?';
    out('');
    out(`The refund engine on PostgreSQL ${version}: database ${fresh.name} (created for this run, dropped after it); pool of 10; statements in a transaction prepared once per connection, for both sides`);
    const setupStart = performance.now();
    const refunds = await populatePg(db, { shopId: shop.id, orders: options.orders, openRefunds: options.openRefunds, now });
    out(`  setup    ${int(options.orders)} orders, ${int(refunds.length)} open refunds with their apply events: ${((performance.now() - setupStart) / 1000).toFixed(2)} s (not measured)`);

    const shuffled = new Rand(20_261_207).shuffle([...refunds]);
    const third = Math.floor(shuffled.length / 3);
    const sides: Side[] = [
      {
        name: 'engine',
        pool: shuffled.slice(0, third),
        next: 0,
        act: async (r) => {
          await actOnRefund(ctx, { actor: agent, refundId: r.id, version: 1, command: { action: 'agree' } });
        },
        byClients: new Map(),
      },
      { name: 'raw', pool: shuffled.slice(third, 2 * third), next: 0, act: (r) => rawAgree(pool, shop.id, agent, false)(r, clock.now()), byClients: new Map() },
      { name: 'raw+audit', pool: shuffled.slice(2 * third, 3 * third), next: 0, act: (r) => rawAgree(pool, shop.id, agent, true)(r, clock.now()), byClients: new Map() },
    ];
    for (const clients of CONCURRENCY) {
      // warm-up: connections, plans, caches (not counted)
      for (const side of sides) await turn(side, clients, Math.min(200, options.turnMs), false);
      for (let round = 0; round < options.rounds; round += 1) {
        for (let k = 0; k < sides.length; k += 1) await turn(sides[(round + k) % sides.length]!, clients, options.turnMs, true);
      }
    }

    // every refund acted on is at version 2 with exactly one agree event
    const acted = sides.flatMap((s) => s.pool.slice(0, s.next).map((r) => r.id));
    const check = await pool.query<{ refunds: string; events: string }>(
      `select (select count(*) from refunds where id = any($1) and version = 2) as refunds,
              (select count(*) from refund_events where refund_id = any($1) and version = 2 and action = 'agree') as events`,
      [acted],
    );
    const c = check.rows[0]!;
    if (Number(c.refunds) !== acted.length || Number(c.events) !== acted.length) {
      throw new Error(`bench: ${acted.length} agreements, but ${c.refunds} refunds at version 2 and ${c.events} agree events`);
    }

    // and the audit trail, written by 8 clients at once across its chains, verifies
    const verdict = await verifyAuditChain(db.kysely);
    if (!verdict.ok) throw new Error(`bench: the audit trail does not verify: ${JSON.stringify(verdict.firstBroken)}`);
    const chains = await db.kysely.selectFrom('audit_head').select('id').where('last_seq', '>', 0).execute();

    const rows: string[][] = [['clients', 'side', 'actions', 'wall', 'rate /s', 'p50', 'p95', 'p99', 'node CPU / action']];
    const rateOf = (side: Side, clients: number) => {
      const s = side.byClients.get(clients);
      return s && s.wallMs > 0 ? (s.done / s.wallMs) * 1000 : Number.NaN;
    };
    for (const clients of CONCURRENCY) {
      for (const side of sides) {
        const s = side.byClients.get(clients);
        if (!s) continue;
        rows.push([
          String(clients),
          side.name,
          int(s.done),
          `${(s.wallMs / 1000).toFixed(2)} s`,
          int(rateOf(side, clients)),
          ms(s.latencies.percentile(0.5)),
          ms(s.latencies.percentile(0.95)),
          ms(s.latencies.percentile(0.99)),
          ms(s.cpuMs / Math.max(1, s.done)),
        ]);
      }
    }
    out(`  ${options.rounds} interleaved rounds per concurrency, each side ${options.turnMs} ms a turn; distinct refunds; every one checked at version 2 with one agree event;`);
    out(`  the audit trail verifies: ${int(verdict.rows)} rows in ${chains.length} of its chains`);
    for (const line of table(rows)) out(line);
    const [engine, raw, rawAudit] = sides as [Side, Side, Side];
    const results: string[][] = [['measure', 'value', 'target', '']];
    let ratioAt8 = Number.NaN;
    for (const clients of CONCURRENCY) {
      const ratio = rateOf(engine, clients) / rateOf(raw, clients);
      const auditRatio = rateOf(engine, clients) / rateOf(rawAudit, clients);
      if (clients === 8) ratioAt8 = ratio;
      const target = clients === 8 ? `≥ ${TARGET_RATIO_AT_8}` : '';
      results.push([`ratio engine / raw at ${clients}`, ratio.toFixed(2), target, clients === 8 ? (ratio >= TARGET_RATIO_AT_8 ? 'MET' : 'NOT MET') : '']);
      results.push([`ratio engine / raw+audit at ${clients}`, auditRatio.toFixed(2), '', '']);
    }
    out('Result (PostgreSQL)');
    for (const line of table(results)) out(line);
    return { ratioAt8 };
  } finally {
    await db?.close();
    await fresh.drop();
  }
}
