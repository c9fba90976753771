/** Issue 12: adding a shop, retrying a sync problem, and the list of decisions sent back. */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { findShopByCode } from '../../db/shop-repository.ts';
import { setUserRole } from '../../db/user-repository.ts';
import { isPlatformError } from '../../platform/connector.ts';
import { requirePermission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { createShop } from '../shops.ts';
import { activeBinding, connectorOf } from './bindings.ts';
import { retryOutbox } from './outbox.ts';
import { findOpenProblem, listProblems, type ProblemView } from './problems.ts';
import { syncOrder, syncRefund } from './sync.ts';

/** An admin adds a shop and becomes its admin; with no actor (the CLI), the named user does. */
export async function createShopAsAdmin(
  ctx: AppContext,
  options: { actor: Actor | null; code: string; name: string; platform: 'taobao' | 'tmall' | null; adminUserId?: number; ip?: string },
): Promise<{ code: string; name: string; role: 'admin' }> {
  if (options.actor) requirePermission(options.actor, 'shop.create');
  const userId = options.actor ? options.actor.userId : options.adminUserId;
  if (!userId) throw new AppError('FORBIDDEN', 'A shop is added by a signed-in admin, who becomes its admin.', {});
  if (await findShopByCode(ctx.db.kysely, options.code)) throw new AppError('ACTION_NOT_ALLOWED', `The shop code ${options.code} is taken.`, { field: 'code', reason: 'code_taken' });
  const shop = await createShop(ctx, { code: options.code, name: options.name });
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirstOrThrow();
    await setUserRole(trx, { userId, shopId: shop.id, role: 'admin', name: user.display_name, at: now });
    await appendAudit(trx, {
      at: now,
      ...(options.actor ? auditActor(options.actor) : { actorKind: 'system' as const, actorId: null, actorName: 'shouhou', role: 'system', shopId: shop.id }),
      shopId: shop.id,
      action: 'shop.create',
      targetType: 'shop',
      targetId: shop.code,
      outcome: 'ok',
      ip: options.ip ?? null,
      details: { name: shop.name, platform: options.platform, adminUserId: userId },
    });
  });
  return { code: shop.code, name: shop.name, role: 'admin' };
}

/** Reads the problem's object from the platform again and applies it; a refused decision goes back to the outbox. */
export async function retryProblem(ctx: AppContext, options: { actor: Actor; problemId: number; ip: string }): Promise<ProblemView> {
  requirePermission(options.actor, 'platform.sync.act');
  const shopId = options.actor.shopId;
  const problem = await findOpenProblem(ctx.db.kysely, shopId, options.problemId);
  const now = ctx.clock.now();
  let outcome = 'retried';
  if (problem.object_type === 'outbox' && problem.outbox_id !== null) {
    await retryOutbox(ctx, { actor: options.actor, outboxId: problem.outbox_id });
    await ctx.db.kysely.updateTable('sync_problems').set({ status: 'resolved', resolved_at: now.toISOString(), resolved_by: options.actor.name, updated_at: now.toISOString() }).where('id', '=', problem.id).execute();
    outcome = 'requeued';
  } else if ((problem.object_type === 'refund' || problem.object_type === 'order') && problem.platform_id) {
    const binding = await activeBinding(ctx.db.kysely, shopId);
    if (!binding) throw new AppError('ACTION_NOT_ALLOWED', 'The shop is not bound to its platform (or needs re-authorisation); a retry needs the binding.', { reason: 'binding_not_active' });
    const target = { ctx, shopId, connector: connectorOf(ctx, binding), source: binding.platform };
    try {
      const r = problem.object_type === 'refund' ? await syncRefund(target, problem.platform_id, 'pull') : await syncOrder(target, problem.platform_id, 'pull');
      outcome = r;
    } catch (e) {
      if (!isPlatformError(e)) throw e;
      throw new AppError('ACTION_NOT_ALLOWED', `The platform answered: ${e.platformMessage}`, { reason: 'platform_error', kind: e.kind, code: e.subCode ?? e.code });
    }
  } else {
    throw new AppError('ACTION_NOT_ALLOWED', 'There is nothing to read again for this problem (a notice that could not be used); dismiss it once looked at.', { reason: 'nothing_to_retry' });
  }
  await ctx.db.kysely.transaction().execute((trx) =>
    appendAudit(trx, { at: now, ...auditActor(options.actor), action: 'sync.problem_retry', targetType: 'sync_problem', targetId: problem.id, outcome: 'ok', ip: options.ip, details: { code: problem.code, outcome } }),
  );
  const [after] = (await listProblems(ctx, { actor: options.actor, limit: 1, beforeId: problem.id + 1 })).filter((p) => p.id === problem.id);
  return after!;
}

export async function listOutbox(
  ctx: AppContext,
  options: { actor: Actor; status?: string | undefined; refundId?: number | undefined; beforeId?: number | undefined; limit: number },
) {
  requirePermission(options.actor, 'platform.binding.read');
  let q = ctx.db.kysely
    .selectFrom('platform_outbox')
    .leftJoin('orders', 'orders.id', 'platform_outbox.order_id')
    .select([
      'platform_outbox.id',
      'platform_outbox.refund_id',
      'orders.order_no',
      'platform_outbox.kind',
      'platform_outbox.status',
      'platform_outbox.attempts',
      'platform_outbox.next_attempt_at',
      'platform_outbox.last_error',
      'platform_outbox.created_at',
      'platform_outbox.sent_at',
    ])
    .where('platform_outbox.shop_id', '=', options.actor.shopId);
  if (options.status) q = q.where('platform_outbox.status', '=', options.status);
  if (options.refundId) q = q.where('platform_outbox.refund_id', '=', options.refundId);
  if (options.beforeId) q = q.where('platform_outbox.id', '<', options.beforeId);
  const rows = await q.orderBy('platform_outbox.id', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    refundId: r.refund_id,
    orderNo: r.order_no,
    kind: r.kind,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  }));
}
