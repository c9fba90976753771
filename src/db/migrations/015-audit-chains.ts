/**
 * Issue 16 §2: the audit trail in several chains on PostgreSQL. One chain meant one head row that every
 * action locked until it committed, so no two actions of the whole system committed side by side. Now:
 * - each row names its chain and its place in it (`chain`, `chain_seq`); the rows so far are chain 1, in
 *   the order of their ids;
 * - each chain has its head (`audit_head`, by chain; `last_seq` the place of its last row);
 * - on PostgreSQL there are AUDIT_CHAINS chains, an action takes the first whose head no other transaction
 *   holds, and row ids come from a sequence (`audit_log_ids`); SQLite has one writer and keeps one chain;
 * - the event pump keeps its place per chain (event_pump row = chain; `last_audit_id` is the chain's place).
 * A row's hash covers the same fields as before; its chain and place are checked by the links (each row
 * hashes the one before it in its chain) and by each chain's head.
 */
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect-name.ts';

/** Chains on PostgreSQL: more than the connections that write at once in a usual deployment (two processes × 10). */
export const AUDIT_CHAINS = 32;

export function up015(dialect: DialectName) {
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema.alterTable('audit_log').addColumn('chain', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    await db.schema.alterTable('audit_log').addColumn('chain_seq', 'integer').execute();
    await sql`update audit_log set chain_seq = id`.execute(db);
    await db.schema.createIndex('audit_log_chain').on('audit_log').columns(['chain', 'chain_seq']).unique().execute();
    await db.schema.alterTable('audit_head').addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await sql`update audit_head set last_seq = last_id`.execute(db);
    if (dialect !== 'postgres') return;
    const max = await sql<{ m: number | null }>`select max(id) as m from audit_log`.execute(db);
    await sql`create sequence audit_log_ids`.execute(db);
    const last = Number(max.rows[0]?.m ?? 0);
    if (last > 0) await sql`select setval('audit_log_ids', ${last})`.execute(db);
    for (let chain = 2; chain <= AUDIT_CHAINS; chain += 1) {
      await sql`insert into audit_head (id, last_id, last_hash, head_mac, last_seq) values (${chain}, 0, 'genesis', 'genesis', 0)`.execute(db);
      await sql`insert into event_pump (id, last_audit_id, updated_at) values (${chain}, 0, ${new Date(0).toISOString()})`.execute(db);
    }
  };
}
