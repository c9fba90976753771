/**
 * Issue 15 §2: the warehouse voids many lines of the unshipped batch (S1.1)
 * with one confirmation. Each line is marked as a single mark would be — its
 * own transaction and audit event through markBatchLine — so one line marked
 * meanwhile (or not in the batch) is reported and the others still go
 * through; the answer has one result per line, in the order asked.
 * Marking a line already shipped stays a single action: it needs the line's
 * own courier and tracking number (S2.2).
 */
import { isAppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { requirePermission } from '../access.ts';
import type { AppContext } from '../context.ts';
import { getBatch, markBatchLine, type Batch } from './unshipped-batch.ts';

/** At most this many lines in one request (a day's batch is far smaller). */
export const BATCH_VOID_MAX_LINES = 500;

export interface BatchLineResult {
  refundId: number;
  /** null when the refund is not a line of this batch */
  orderNo: string | null;
  ok: boolean;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}

export async function voidBatchLines(
  ctx: AppContext,
  options: { actor: Actor; batchId: number; refundIds: readonly number[] },
): Promise<{ batch: Batch; succeeded: number; refused: number; results: BatchLineResult[] }> {
  requirePermission(options.actor, 'workbench.warehouse');
  const before = await getBatch(ctx, { actor: options.actor, batchId: options.batchId });
  const orderNoOf = new Map(before.lines.map((l) => [l.refundId, l.orderNo]));
  const results: BatchLineResult[] = [];
  for (const refundId of options.refundIds) {
    const orderNo = orderNoOf.get(refundId) ?? null;
    try {
      await markBatchLine(ctx, { actor: options.actor, batchId: options.batchId, refundId, status: 'voided' });
      results.push({ refundId, orderNo, ok: true });
    } catch (err) {
      if (!isAppError(err)) throw err;
      results.push({ refundId, orderNo, ok: false, code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) });
    }
  }
  const succeeded = results.filter((r) => r.ok).length;
  return {
    batch: await getBatch(ctx, { actor: options.actor, batchId: options.batchId }),
    succeeded,
    refused: results.length - succeeded,
    results,
  };
}
