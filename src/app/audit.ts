/**
 * The audit trail: an append-only table where each row carries the hash of
 * the previous row of its chain, so an edit or a deletion breaks the chain.
 * Appends happen inside the transaction of the action they record, after
 * taking a chain's head (a row lock on PostgreSQL, where there are
 * AUDIT_CHAINS chains so that actions commit side by side; SQLite has one
 * writer and one chain). Each chain's head carries a MAC under the audit key.
 */
import { createHash, createHmac, randomInt } from 'node:crypto';
import { sql, type QueryCreator, type Selectable } from 'kysely';
import type { Actor } from '../core/roles.ts';
import { canLockRows, type Q } from '../db/order-repository.ts';
import { writeAuditRow, type PreparedAuditRow } from '../db/audit-repository.ts';
import type { AuditLogTable, Database } from '../db/schema.ts';
import { AUDIT_CHAINS } from '../db/migrations/015-audit-chains.ts';

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditEntry {
  at: Date;
  shopId: number | null;
  actorKind: 'user' | 'token' | 'buyer' | 'system' | 'anonymous';
  actorId: number | null;
  actorName: string;
  role: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | number | null;
  outcome: AuditOutcome;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** Who an actor is, for the trail. */
export function auditActor(actor: Actor | null): Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorName' | 'role' | 'shopId'> {
  if (!actor) return { actorKind: 'anonymous', actorId: null, actorName: 'anonymous', role: null, shopId: null };
  return { actorKind: actor.kind, actorId: actor.id, actorName: actor.name, role: actor.role, shopId: actor.shopId };
}

/** The fields a row's hash covers (its chain and place are checked by the links and the heads). */
type ChainedFields = Omit<Selectable<AuditLogTable>, 'hash' | 'chain' | 'chain_seq'>;

/**
 * Text exactly as both databases store and give it back. A JavaScript string
 * may hold what UTF-8 cannot (a lone surrogate: the driver writes U+FFFD) and
 * PostgreSQL refuses NUL; the row is written in this form and hashed over it,
 * so no input can make a stored row disagree with its hash.
 */
export function storableText(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is the point
  return text.replace(/\p{Cs}|\u0000/gu, '\uFFFD');
}

function storable<T extends string | null>(text: T): T {
  return (text === null ? null : storableText(text)) as T;
}

/** The fields a row's hash covers, in a fixed order, each in its stored form. */
function canonical(row: ChainedFields): string {
  return JSON.stringify([
    row.id,
    storable(row.at),
    row.shop_id,
    storable(row.actor_kind),
    row.actor_id,
    storable(row.actor_name),
    storable(row.role),
    storable(row.action),
    storable(row.target_type),
    storable(row.target_id),
    storable(row.outcome),
    storable(row.ip),
    storable(row.details),
    storable(row.prev_hash),
  ]);
}

/**
 * The chain's key. With it, each row's hash is an HMAC: someone who can write
 * to the database but does not hold the key (kept outside it: SHOUHOU_AUDIT_KEY
 * or data/audit.key) cannot rewrite a row and recompute the chain after it.
 * Without a key the chain is plain SHA-256 (it still finds naive edits).
 */
let auditKey: Buffer | null = null;

export function useAuditKey(key: Buffer | null): void {
  if (key && key.length < 32) throw new Error('the audit key needs at least 32 bytes');
  auditKey = key;
}

export function hashAuditRow(row: ChainedFields): string {
  return mac(canonical(row));
}

function mac(text: string): string {
  return auditKey ? createHmac('sha256', auditKey).update(text, 'utf8').digest('hex') : createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A MAC over a chain's head: cutting off a chain's tail and moving its head back needs the key. Chain 1 keeps its old form. */
export function headMac(lastId: number, lastHash: string, chain = 1): string {
  if (lastId === 0) return 'genesis';
  return mac(chain === 1 ? `audit-head|${lastId}|${lastHash}` : `audit-head|${chain}|${lastId}|${lastHash}`);
}

export interface ChainHead {
  chain: number;
  last_hash: string;
  last_seq: number;
  /** the new row's id */
  next_id: number;
}

/**
 * The chain head an open transaction holds, as its last append left it (keyed by the transaction's Kysely
 * instance): a second append in the same transaction needs no read of the head (issue 16 §2), and a head the
 * caller locked in a statement of its own (holdChainHead) none at all.
 */
const heldHeads = new WeakMap<Q, { chain: number; last_hash: string; last_seq: number; last_id: number; next_id: number | null }>();

/** A chain head the caller's own statement locked (PostgreSQL: FOR UPDATE in this transaction), with an id for the next row. */
export function holdChainHead(trx: Q, head: ChainHead): void {
  heldHeads.set(trx, { ...head, last_id: 0 });
}

/** The statement that locks a free chain's head and takes the next row's id (PostgreSQL), for a caller to join into its own read. */
export function freeChainHeadQuery(qc: QueryCreator<Database>) {
  return qc
    .selectFrom('audit_head')
    .select(['id as h_chain', 'last_hash as h_last_hash', 'last_seq as h_last_seq', sql<string>`nextval('audit_log_ids')`.as('h_next_id')])
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked();
}

/**
 * The head of a chain to append to, locked for the rest of the transaction, and the new row's id.
 * PostgreSQL: the first chain whose head no other transaction holds (SKIP LOCKED; a transaction that already
 * holds one gets it again or another free one), the id from the audit_log_ids sequence, in one statement;
 * only when every chain is held does it wait, for one of them. SQLite: its one chain (the transaction already
 * holds the database), the id after the head's.
 */
async function lockChainHead(trx: Q): Promise<ChainHead> {
  const held = heldHeads.get(trx);
  if (held) {
    if (held.next_id !== null) return { chain: held.chain, last_hash: held.last_hash, last_seq: held.last_seq, next_id: held.next_id };
    // the transaction holds this chain already: only the row's id is new
    const next_id = canLockRows(trx) ? Number((await sql<{ id: string }>`select nextval('audit_log_ids') as id`.execute(trx)).rows[0]!.id) : held.last_id + 1;
    return { chain: held.chain, last_hash: held.last_hash, last_seq: held.last_seq, next_id };
  }
  if (canLockRows(trx)) {
    const free = await sql<ChainHead>`select id as chain, last_hash, last_seq, nextval('audit_log_ids') as next_id
      from audit_head order by id for update skip locked limit 1`.execute(trx);
    const head = free.rows[0] ?? (await sql<ChainHead>`select id as chain, last_hash, last_seq, nextval('audit_log_ids') as next_id
      from audit_head where id = ${1 + randomInt(AUDIT_CHAINS)} for update`.execute(trx)).rows[0];
    if (!head) throw new Error('the audit trail has no chain heads');
    return { chain: Number(head.chain), last_hash: head.last_hash, last_seq: Number(head.last_seq), next_id: Number(head.next_id) };
  }
  const head = await trx.selectFrom('audit_head').select(['last_id', 'last_hash', 'last_seq']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { chain: 1, last_hash: head.last_hash, last_seq: head.last_seq, next_id: head.last_id + 1 };
}

/**
 * The entry as the chain's next row, hashed, with its chain head's move; the head is locked (or was already held)
 * by the caller's transaction, which is to write the row before it ends (writeAuditRow, or along with its change).
 */
export async function prepareAudit(trx: Q, entry: AuditEntry): Promise<PreparedAuditRow> {
  const head = await lockChainHead(trx);
  // every text in the form the database keeps (see storableText): what is hashed is what is stored
  const row: ChainedFields = {
    id: head.next_id,
    at: entry.at.toISOString(),
    shop_id: entry.shopId,
    actor_kind: entry.actorKind,
    actor_id: entry.actorId,
    actor_name: storableText(entry.actorName),
    role: storable(entry.role),
    action: storableText(entry.action),
    target_type: storable(entry.targetType ?? null),
    target_id: entry.targetId === undefined || entry.targetId === null ? null : storableText(String(entry.targetId)),
    outcome: entry.outcome,
    ip: storable(entry.ip ?? null),
    details: storableText(JSON.stringify(entry.details ?? {})),
    prev_hash: head.last_hash,
  };
  const hash = hashAuditRow(row);
  const seq = head.last_seq + 1;
  heldHeads.set(trx, { chain: head.chain, last_hash: hash, last_seq: seq, last_id: row.id, next_id: null });
  return {
    values: { ...row, hash, chain: head.chain, chain_seq: seq },
    chain: head.chain,
    move: { last_id: row.id, last_hash: hash, last_seq: seq, head_mac: headMac(row.id, hash, head.chain) },
  };
}

/** Appends one entry to the chain, inside the caller's transaction. */
export async function appendAudit(trx: Q, entry: AuditEntry): Promise<number> {
  const prepared = await prepareAudit(trx, entry);
  await writeAuditRow(trx, prepared);
  return prepared.values.id as number;
}

/** Appends an entry in a transaction of its own (sign-in attempts, denials: no business change to join). */
export async function recordAudit(db: Q, entry: AuditEntry): Promise<void> {
  await db.transaction().execute((trx) => appendAudit(trx, entry));
}

export interface AuditVerdict {
  ok: boolean;
  rows: number;
  /** the first row that does not fit the chain, and why */
  firstBroken: { id: number; problem: string } | null;
}

/**
 * Walks every chain from its first row: every hash recomputed, every link and every place in sequence, each
 * chain's head (its last row, place and MAC), and no row outside a chain.
 */
export async function verifyAuditChain(db: Q, options: { batch?: number } = {}): Promise<AuditVerdict> {
  const batch = options.batch ?? 5000;
  let rows = 0;
  const heads = await db.selectFrom('audit_head').select(['id', 'last_id', 'last_hash', 'last_seq', 'head_mac']).orderBy('id').execute();
  for (const head of heads) {
    const chain = head.id;
    let expectedSeq = 1;
    let prevHash = 'genesis';
    let lastId = 0;
    for (;;) {
      const page = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('chain', '=', chain)
        .where('chain_seq', '>=', expectedSeq)
        .orderBy('chain_seq')
        .limit(batch)
        .execute();
      for (const row of page) {
        const broken = (problem: string): AuditVerdict => ({ ok: false, rows, firstBroken: { id: row.id, problem } });
        if (row.chain_seq !== expectedSeq) {
          // in one chain of consecutive ids (SQLite's), the missing row's id is known
          const missing = row.chain_seq !== null && row.id === row.chain_seq ? expectedSeq : null;
          if (missing !== null) return { ok: false, rows, firstBroken: { id: missing, problem: `row ${missing} is missing (deleted)` } };
          return broken(`the row before it in its chain (chain ${chain}, place ${expectedSeq}) is missing (deleted)`);
        }
        if (row.prev_hash !== prevHash) return broken('its link to the previous row does not match');
        const { hash, chain: _chain, chain_seq: _seq, ...fields } = row;
        if (hashAuditRow(fields) !== hash) return broken('its content does not match its hash (edited)');
        prevHash = hash;
        lastId = row.id;
        expectedSeq += 1;
        rows += 1;
      }
      if (page.length < batch) break;
    }
    if (head.last_seq !== expectedSeq - 1 || head.last_id !== lastId || head.last_hash !== prevHash || head.head_mac !== headMac(head.last_id, head.last_hash, chain)) {
      const where = chain === 1 ? `rows after ${lastId}` : `rows of chain ${chain} after ${lastId}`;
      return { ok: false, rows, firstBroken: { id: lastId + 1, problem: `${where} are missing (the chain's head is at ${head.last_id})` } };
    }
  }
  // a row in no chain (a chain without a head, or no place): a row added beside the chains
  const counted = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(counted.n) !== rows) {
    const stray = await db
      .selectFrom('audit_log')
      .select('id')
      .where((eb) => eb.or([eb('chain_seq', 'is', null), eb('chain', 'not in', heads.length > 0 ? heads.map((h) => h.id) : [0])]))
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return { ok: false, rows, firstBroken: { id: stray?.id ?? 0, problem: 'it is in no chain (added beside the trail)' } };
  }
  return { ok: true, rows, firstBroken: null };
}

export interface AuditRecord {
  id: number;
  at: string;
  actorKind: string;
  actorName: string;
  role: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

/** A shop's trail, newest first. */
export async function listAudit(db: Q, options: { shopId: number; beforeId?: number | undefined; limit: number; action?: string | undefined }): Promise<AuditRecord[]> {
  let q = db.selectFrom('audit_log').selectAll().where('shop_id', '=', options.shopId);
  if (options.beforeId) q = q.where('id', '<', options.beforeId);
  if (options.action) q = q.where('action', '=', options.action);
  const rows = await q.orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorKind: r.actor_kind,
    actorName: r.actor_name,
    role: r.role,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    outcome: r.outcome,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));
}
