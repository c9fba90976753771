/**
 * The audit trail: an append-only table where each row carries the hash of
 * the previous one, so an edit or a deletion breaks the chain. Appends happen
 * inside the transaction of the action they record, after taking the chain's
 * head (a row lock on PostgreSQL; SQLite already holds the write lock).
 */
import { createHash, createHmac } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Actor } from '../core/roles.ts';
import { canLockRows, type Q } from '../db/order-repository.ts';
import type { AuditLogTable } from '../db/schema.ts';

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

type ChainedFields = Omit<Selectable<AuditLogTable>, 'hash'>;

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

export function headMac(lastId: number, lastHash: string): string {
  return lastId === 0 ? 'genesis' : mac(`audit-head|${lastId}|${lastHash}`);
}

/** Appends one entry to the chain, inside the caller's transaction. */
export async function appendAudit(trx: Q, entry: AuditEntry): Promise<number> {
  let head = trx.selectFrom('audit_head').select(['last_id', 'last_hash']).where('id', '=', 1);
  if (canLockRows(trx)) head = head.forUpdate();
  const { last_id, last_hash } = await head.executeTakeFirstOrThrow();
  // every text in the form the database keeps (see storableText): what is hashed is what is stored
  const row: ChainedFields = {
    id: last_id + 1,
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
    prev_hash: last_hash,
  };
  const hash = hashAuditRow(row);
  await trx.insertInto('audit_log').values({ ...row, hash }).execute();
  await trx.updateTable('audit_head').set({ last_id: row.id, last_hash: hash, head_mac: headMac(row.id, hash) }).where('id', '=', 1).execute();
  return row.id;
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

/** Walks the chain from the first row: every hash recomputed, every link and every id in sequence, and the head. */
export async function verifyAuditChain(db: Q, options: { batch?: number } = {}): Promise<AuditVerdict> {
  const batch = options.batch ?? 5000;
  let expectedId = 1;
  let prevHash = 'genesis';
  let rows = 0;
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('id', '>=', expectedId).orderBy('id').limit(batch).execute();
    for (const row of page) {
      const broken = (problem: string): AuditVerdict => ({ ok: false, rows, firstBroken: { id: row.id, problem } });
      if (row.id !== expectedId) return { ok: false, rows, firstBroken: { id: expectedId, problem: `row ${expectedId} is missing (deleted)` } };
      if (row.prev_hash !== prevHash) return broken('its link to the previous row does not match');
      const { hash, ...fields } = row;
      if (hashAuditRow(fields) !== hash) return broken('its content does not match its hash (edited)');
      prevHash = hash;
      expectedId += 1;
      rows += 1;
    }
    if (page.length < batch) break;
  }
  const head = await db.selectFrom('audit_head').select(['last_id', 'last_hash', 'head_mac']).where('id', '=', 1).executeTakeFirst();
  if (!head || head.last_id !== expectedId - 1 || head.last_hash !== prevHash || head.head_mac !== headMac(head.last_id, head.last_hash)) {
    return { ok: false, rows, firstBroken: { id: expectedId, problem: `rows after ${expectedId - 1} are missing (the chain's head is at ${head?.last_id ?? 'nothing'})` } };
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
