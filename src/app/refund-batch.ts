/**
 * Issue 15 §2: the queue's batch actions — claim, assign, remark, agree — on
 * up to 100 refunds. Each refund goes through the single action's own use case
 * (its transaction, its audit event, its permission and, for agree, its guards),
 * one after the other: one refused never undoes another, and each answers its
 * own result in words the web app can show. Nothing is retried silently: a
 * refund changed since the agent saw it answers VERSION_CONFLICT.
 */
import { AppError, isAppError } from '../core/errors.ts';
import { batchAgreeRefusal } from '../core/refund/batch-agree.ts';
import type { Actor } from '../core/roles.ts';
import { findRefund } from '../db/refund-repository.ts';
import { requirePermission, type Permission } from './access.ts';
import type { AppContext } from './context.ts';
import { addRemark } from './orders.ts';
import { actOnRefund } from './refunds.ts';
import { cachedShopSettings } from './shops.ts';
import { assignRefund } from './workbench/assignments.ts';
import { formatYuan } from '../core/money.ts';

export type BatchCommand =
  | { action: 'claim' }
  | { action: 'assign'; assigneeId: number | null }
  | { action: 'remark'; text: string; flag: number }
  | { action: 'agree'; versions: readonly number[] };

export interface BatchResult {
  refundId: number;
  orderNo: string | null;
  ok: boolean;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  /** a platform refund's decision went to the outbox (同步中) */
  syncPending?: boolean;
}

export interface BatchAnswer {
  action: BatchCommand['action'];
  succeeded: number;
  refused: number;
  results: BatchResult[];
}

/** The permission each batch action needs: the single action's. */
const batchPermission = {
  claim: 'workbench.refund.work',
  assign: 'workbench.refund.work',
  remark: 'order.remark.add',
  agree: 'refund.agree',
} as const satisfies Record<BatchCommand['action'], Permission>;

function refusedWith(refundId: number, orderNo: string | null, e: unknown): BatchResult {
  if (isAppError(e)) {
    return { refundId, orderNo, ok: false, code: e.code, message: e.message, ...(e.details && Object.keys(e.details).length > 0 ? { details: e.details } : {}) };
  }
  // its transaction rolled back: this refund is as it was; the others keep their results
  return { refundId, orderNo, ok: false, code: 'INTERNAL', message: 'Something went wrong on the server with this refund; it was not changed.' };
}

/** One action on several refunds, each in its own transaction; one result per refund, in the order asked. */
export async function actOnRefunds(
  ctx: AppContext,
  options: { actor: Actor; refundIds: readonly number[]; command: BatchCommand },
): Promise<BatchAnswer> {
  const { actor, refundIds, command } = options;
  requirePermission(actor, 'workbench.refund.work');
  requirePermission(actor, batchPermission[command.action]);
  if (command.action === 'claim' && actor.userId == null) {
    throw new AppError('VALIDATION_FAILED', 'A claim needs a person signed in; an API token is nobody\'s: use action assign with an assigneeId.', { field: 'action' });
  }
  if (command.action === 'agree' && command.versions.length !== refundIds.length) {
    throw new AppError('VALIDATION_FAILED', 'One version per refund, in the order of refundIds.', { field: 'versions' });
  }
  const settings = command.action === 'agree' ? await cachedShopSettings(ctx, ctx.db.kysely, actor.shopId) : null;
  /** remark: once per order; the order's other refunds share its result */
  const remarked = new Map<string, Omit<BatchResult, 'refundId'>>();
  const results: BatchResult[] = [];
  for (const [index, refundId] of refundIds.entries()) {
    const found = await findRefund(ctx.db.kysely, { shopId: actor.shopId, refundId });
    if (!found) {
      results.push({ refundId, orderNo: null, ok: false, code: 'NOT_FOUND', message: `Refund ${refundId} was not found.` });
      continue;
    }
    const orderNo = found.orderNo;
    try {
      switch (command.action) {
        case 'claim':
        case 'assign': {
          await assignRefund(ctx, { actor, refundId, userId: command.action === 'claim' ? actor.userId! : command.assigneeId });
          results.push({ refundId, orderNo, ok: true });
          break;
        }
        case 'remark': {
          let outcome = remarked.get(orderNo);
          if (!outcome) {
            try {
              await addRemark(ctx, { actor, orderNo, text: command.text, flag: command.flag });
              outcome = { orderNo, ok: true };
            } catch (e) {
              const { refundId: _id, ...rest } = refusedWith(refundId, orderNo, e);
              outcome = rest;
            }
            remarked.set(orderNo, outcome);
          }
          results.push({ refundId, ...outcome });
          break;
        }
        case 'agree': {
          const version = command.versions[index]!;
          // checked at the version the agent saw; the agree below applies only at that version, so the refund
          // cannot have become a return or grown past the limit in between
          if (found.version !== version) {
            throw new AppError('VERSION_CONFLICT', `Refund ${refundId} is at version ${found.version}, not ${version}: somebody changed it; reload it.`, {
              currentVersion: found.version,
            });
          }
          const limitFen = settings!.batchAgreeLimitFen;
          const why = batchAgreeRefusal(found, limitFen);
          if (why) {
            const messages = {
              off: 'Batch agree is off in this shop (batchAgreeLimitFen = 0): agree each refund on its own page.',
              not_refund_only: 'Batch agree takes refund-only refunds; a return is agreed on its own page (the return address, the three looks).',
              over_limit: `The amount ¥${formatYuan(found.amountFen)} is over the batch agree limit of ¥${formatYuan(limitFen)}: agree it on its own page.`,
            } as const;
            throw new AppError('BATCH_AGREE_NOT_ALLOWED', messages[why], { reason: why, limitFen, amountFen: found.amountFen, type: found.type });
          }
          const refund = await actOnRefund(ctx, { actor, refundId, version, command: { action: 'agree' }, guardInput: {} });
          results.push({ refundId, orderNo, ok: true, ...(refund.platform?.sync?.state === 'pending' ? { syncPending: true } : {}) });
          break;
        }
      }
    } catch (e) {
      results.push(refusedWith(refundId, orderNo, e));
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  return { action: command.action, succeeded, refused: results.length - succeeded, results };
}
