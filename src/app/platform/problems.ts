/**
 * Sync problems (issue 12 §7): whatever the platform sent that shouhou cannot
 * apply, and every decision the platform refused, becomes a row a person sees
 * with the raw payload (secrets and personal data masked), the error, and
 * retry and dismiss buttons — never a crash, never half a record. The same
 * problem seen again counts up on its open row instead of adding rows.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../core/errors.ts';
import { maskPayload } from '../../core/platform/mask-payload.ts';
import type { Actor } from '../../core/roles.ts';
import type { Q } from '../../db/order-repository.ts';
import { requirePermission } from '../access.ts';
import { appendAudit, auditActor, recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';

export const problemSources = ['pull', 'tmc', 'outbox', 'binding', 'import'] as const;
export type ProblemSource = (typeof problemSources)[number];
export type ProblemObject = 'refund' | 'order' | 'message' | 'outbox';

export interface NewProblem {
  shopId: number;
  source: ProblemSource;
  /** a short code: unreadable, missing_order, unknown_topic, platform_refused, … */
  code: string;
  objectType: ProblemObject | null;
  platformId: string | null;
  message: string;
  payload: unknown;
  outboxId?: number | null;
}

const PAYLOAD_MAX = 20_000;

/**
 * Files the problem. The same object with the same problem again: counted on its open row when the platform
 * sent something new (another payload), left alone when it is the very same record read again (an overlapping
 * pull), and never reopened once a person dismissed that very record.
 */
export async function fileProblem(db: Q, p: NewProblem, now: Date): Promise<number> {
  let payload = JSON.stringify(maskPayload(p.payload) ?? null);
  if (payload.length > PAYLOAD_MAX) payload = JSON.stringify({ truncated: true, start: payload.slice(0, PAYLOAD_MAX) });
  const message = p.message.slice(0, 1000);
  const fingerprint = createHash('sha256').update(`${p.code}\n${message}\n${payload}`).digest('hex');
  if (p.platformId !== null) {
    const known = await db
      .selectFrom('sync_problems')
      .select(['id', 'occurrences', 'status', 'fingerprint'])
      .where('shop_id', '=', p.shopId)
      .where('object_type', '=', p.objectType)
      .where('platform_id', '=', p.platformId)
      .where('code', '=', p.code)
      .where((eb) => eb.or([eb('status', '=', 'open'), eb.and([eb('status', '=', 'dismissed'), eb('fingerprint', '=', fingerprint)])]))
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (known && (known.status === 'dismissed' || known.fingerprint === fingerprint)) return known.id;
    if (known) {
      await db
        .updateTable('sync_problems')
        .set({ occurrences: known.occurrences + 1, message, payload, fingerprint, updated_at: now.toISOString(), outbox_id: p.outboxId ?? null })
        .where('id', '=', known.id)
        .execute();
      return known.id;
    }
  }
  const row = await db
    .insertInto('sync_problems')
    .values({
      shop_id: p.shopId,
      source: p.source,
      code: p.code,
      object_type: p.objectType,
      platform_id: p.platformId,
      message,
      payload,
      fingerprint,
      status: 'open',
      occurrences: 1,
      outbox_id: p.outboxId ?? null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      resolved_at: null,
      resolved_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // on the trail (and so in the event feed and to webhooks: sync.problem), in the caller's transaction when there is one
  const entry = {
    at: now,
    shopId: p.shopId,
    actorKind: 'system' as const,
    actorId: null,
    actorName: 'sync',
    role: 'system',
    action: 'sync.problem',
    targetType: 'sync_problem',
    targetId: row.id,
    outcome: 'ok' as const,
    details: { code: p.code, source: p.source, objectType: p.objectType, platformId: p.platformId, message },
  };
  if (db.isTransaction) await appendAudit(db, entry);
  else await recordAudit(db, entry);
  return row.id;
}

/** The object is fine now (applied, or delivered): its open problems are resolved. */
export async function resolveProblemsOf(db: Q, options: { shopId: number; objectType: ProblemObject; platformId: string; now: Date; by: string }): Promise<void> {
  await db
    .updateTable('sync_problems')
    .set({ status: 'resolved', resolved_at: options.now.toISOString(), resolved_by: options.by, updated_at: options.now.toISOString() })
    .where('shop_id', '=', options.shopId)
    .where('object_type', '=', options.objectType)
    .where('platform_id', '=', options.platformId)
    .where('status', '=', 'open')
    .execute();
}

export interface ProblemView {
  id: number;
  source: string;
  code: string;
  objectType: string | null;
  platformId: string | null;
  message: string;
  payload: unknown;
  status: string;
  occurrences: number;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export async function listProblems(
  ctx: AppContext,
  options: { actor: Actor; status?: 'open' | 'resolved' | 'dismissed' | undefined; beforeId?: number | undefined; limit: number },
): Promise<ProblemView[]> {
  requirePermission(options.actor, 'platform.binding.read');
  let q = ctx.db.kysely.selectFrom('sync_problems').selectAll().where('shop_id', '=', options.actor.shopId);
  if (options.status) q = q.where('status', '=', options.status);
  if (options.beforeId) q = q.where('id', '<', options.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    code: r.code,
    objectType: r.object_type,
    platformId: r.platform_id,
    message: r.message,
    payload: JSON.parse(r.payload) as unknown,
    status: r.status,
    occurrences: r.occurrences,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
  }));
}

export async function findOpenProblem(db: Q, shopId: number, problemId: number) {
  const row = await db.selectFrom('sync_problems').selectAll().where('id', '=', problemId).where('shop_id', '=', shopId).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `Sync problem ${problemId} was not found.`, {});
  if (row.status !== 'open') throw new AppError('ACTION_NOT_ALLOWED', `This sync problem is already ${row.status}.`, { status: row.status });
  return row;
}

/** A person sets the problem aside (it stays on record, dismissed). */
export async function dismissProblem(ctx: AppContext, options: { actor: Actor; problemId: number; ip: string }): Promise<void> {
  requirePermission(options.actor, 'platform.sync.act');
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await findOpenProblem(trx, options.actor.shopId, options.problemId);
    await trx
      .updateTable('sync_problems')
      .set({ status: 'dismissed', resolved_at: now.toISOString(), resolved_by: options.actor.name, updated_at: now.toISOString() })
      .where('id', '=', row.id)
      .execute();
    await appendAudit(trx, { at: now, ...auditActor(options.actor), action: 'sync.problem_dismiss', targetType: 'sync_problem', targetId: row.id, outcome: 'ok', ip: options.ip, details: { code: row.code } });
  });
}
