/**
 * The agent's and the warehouse's work on one refund: contacts (calls and
 * Wangwang messages), reason corrections, the root cause, retention offers,
 * checklist ticks, and the warehouse's record of a return's arrival.
 */
import { AppError } from '../../core/errors.ts';
import type { Order, ReasonCode, Refund, RefundType } from '../../core/refund/refund-model.ts';
import type { Actor } from '../../core/roles.ts';
import { findOrderById, insertOrderEvent, insertRemark, type Q } from '../../db/order-repository.ts';
import { findRefund } from '../../db/refund-repository.ts';
import { assertOrderVisible, requirePermission, type Permission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { insertRecord, recordRowToRecord, type StoredRecord } from './record-store.ts';
import { enqueue } from '../platform/outbox.ts';
import { RETURN_GUARD } from '../../core/playbook/return-check.ts';
import { recordOnlyDoneWhen } from '../../core/playbook/rule-set.ts';
import { validateReturnPostage } from '../../core/workbench/return-postage.ts';
import { loadReturnPostage, type ReturnPostageView } from './facts.ts';
import { currentRuleSet } from './rule-sets.ts';

/** Loads a refund of the actor's shop with its order, inside the transaction. */
export async function refundAndOrder(trx: Q, actor: Actor, refundId: number): Promise<{ refund: Refund; order: Order }> {
  const found = await findRefund(trx, { shopId: actor.shopId, refundId });
  if (!found) throw new AppError('NOT_FOUND', `Refund ${refundId} was not found.`, {});
  const order = await findOrderById(trx, { orderId: found.orderId, lock: true });
  assertOrderVisible(actor, order, `Refund ${refundId}`);
  const { orderId: _orderId, ...refund } = found;
  return { refund, order };
}

/** A milestone remark in the seed's words, written with its order event (inside the caller's transaction). */
export async function writeMilestoneRemark(trx: Q, options: { actor: Actor; order: Order; text: string; at: Date; flag?: number }): Promise<void> {
  const remark = await insertRemark(trx, {
    shopId: options.order.shopId,
    orderId: options.order.id,
    actorId: options.actor.kind === 'system' ? null : options.actor.id,
    author: options.actor.name,
    flag: options.flag ?? 1,
    text: options.text,
    at: options.at,
  });
  await insertOrderEvent(trx, {
    shopId: options.order.shopId,
    orderId: options.order.id,
    at: options.at,
    actorId: options.actor.kind === 'system' ? null : options.actor.id,
    actorRole: options.actor.role,
    action: 'remark',
    fromStatus: options.order.status,
    toStatus: options.order.status,
    data: { remarkId: remark.id, milestone: true },
  });
}

async function recordOnRefund(
  ctx: AppContext,
  options: {
    actor: Actor;
    permission: Permission;
    refundId: number;
    kind: string;
    build: (r: Refund, o: Order) => object;
    remark?: (r: Refund, o: Order) => string | null;
    /** more to write in the same transaction (a message for the platform) */
    also?: (trx: Q, r: Refund, o: Order, now: Date) => Promise<void>;
  },
): Promise<StoredRecord> {
  requirePermission(options.actor, options.permission);
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const { refund, order } = await refundAndOrder(trx, options.actor, options.refundId);
    const record = await insertRecord(trx, {
      actor: options.actor,
      kind: options.kind,
      status: 'logged',
      orderId: order.id,
      refundId: refund.id,
      data: options.build(refund, order),
      at: now,
    });
    const text = options.remark?.(refund, order);
    if (text) await writeMilestoneRemark(trx, { actor: options.actor, order, text, at: now });
    await options.also?.(trx, refund, order, now);
    return record;
  });
}

export type ContactChannel = 'phone' | 'wangwang';
export type ContactOutcome = 'reached' | 'not_reached' | 'agreed' | 'refused' | 'pending';

/** A phone call or Wangwang message to the buyer, with its outcome (S1.5, S1.6, S1.12, S1.15). */
export function logContact(
  ctx: AppContext,
  options: { actor: Actor; refundId: number; channel: ContactChannel; content: string; outcome: ContactOutcome; templateKey?: string | undefined },
): Promise<StoredRecord> {
  return recordOnRefund(ctx, {
    actor: options.actor,
    permission: 'workbench.refund.work',
    refundId: options.refundId,
    kind: 'contact',
    build: () => ({ channel: options.channel, content: options.content, outcome: options.outcome, templateKey: options.templateKey ?? null }),
    // issue 12: on a platform refund a Wangwang message is also left on the refund's message board there, the written trace the SOP wants
    also: async (trx, refund, order, now) => {
      if (options.channel !== 'wangwang' || !refund.platform) return;
      await enqueue(trx, { shopId: refund.shopId, refundId: refund.id, orderId: order.id, payload: { kind: 'message', platformRefundId: refund.platform.refundId, text: fitBytes(options.content, 400) }, actorId: options.actor.id, now });
    },
  });
}

/** Text cut to at most `max` UTF-8 bytes, never inside a character. */
function fitBytes(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch, 'utf8') > max) break;
    out += ch;
  }
  return out;
}

/** The buyer was asked to change the reason (and type): from → to, how, and the answer (S1.3, S1.5, S1.8–S1.11, S2.4, S2.7). */
export function recordReasonCorrection(
  ctx: AppContext,
  options: {
    actor: Actor;
    refundId: number;
    toReason: ReasonCode;
    toType?: RefundType | undefined;
    askedVia: ContactChannel;
    buyerAnswer: 'agreed' | 'refused' | 'pending';
    note?: string | undefined;
  },
): Promise<StoredRecord> {
  return recordOnRefund(ctx, {
    actor: options.actor,
    permission: 'workbench.refund.work',
    refundId: options.refundId,
    kind: 'reason_correction',
    build: (r) => ({
      fromReason: r.reason,
      toReason: options.toReason,
      fromType: r.type,
      toType: options.toType ?? r.type,
      askedVia: options.askedVia,
      buyerAnswer: options.buyerAnswer,
      note: options.note ?? '',
    }),
  });
}

/** S1.2/S1.18: what was offered to keep the sale, and what came of it. */
export function recordRetention(
  ctx: AppContext,
  options: {
    actor: Actor;
    refundId: number;
    offer: 'other_style' | 'promotion' | 'exchange';
    detail: string;
    outcome: 'kept' | 'exchanged' | 'refunded' | 'pending';
  },
): Promise<StoredRecord> {
  return recordOnRefund(ctx, {
    actor: options.actor,
    permission: 'workbench.refund.work',
    refundId: options.refundId,
    kind: 'retention',
    build: () => ({ offer: options.offer, detail: options.detail, outcome: options.outcome }),
  });
}

export const RETURN_ARRIVED_REMARK = { resellable: '仓库已收到客户寄回的鞋（不影响二次销售）', not_resellable: '仓库已收到客户寄回的鞋（影响二次销售）' } as const;

/** S1.13 look (2): the warehouse records that the return arrived, and whether it can be resold; the order is remarked. */
export function recordReturnArrival(
  ctx: AppContext,
  options: { actor: Actor; refundId: number; condition: 'resellable' | 'not_resellable'; trackingNo?: string | undefined; note?: string | undefined },
): Promise<StoredRecord> {
  return recordOnRefund(ctx, {
    actor: options.actor,
    permission: 'workbench.warehouse',
    refundId: options.refundId,
    kind: 'return_arrival',
    build: (r) => {
      if (r.type !== 'return_and_refund') {
        throw new AppError('ACTION_NOT_ALLOWED', 'Only a return (退货退款) has goods coming back.', { reason: 'not_a_return' });
      }
      return { condition: options.condition, trackingNo: options.trackingNo ?? r.returnShipment?.trackingNo ?? null, note: options.note ?? '' };
    },
    remark: () => RETURN_ARRIVED_REMARK[options.condition],
  });
}

/** S1.2: what really happened, recorded apart from the platform reason. */
export async function setRootCause(ctx: AppContext, options: { actor: Actor; refundId: number; cause: string; note?: string | undefined }): Promise<void> {
  requirePermission(options.actor, 'workbench.refund.work');
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const { refund } = await refundAndOrder(trx, options.actor, options.refundId);
    await trx.updateTable('refunds').set({ root_cause: options.cause, root_cause_note: options.note ?? null }).where('id', '=', refund.id).execute();
    await appendAudit(trx, {
      at: now,
      ...auditActor(options.actor),
      action: 'refund.root_cause',
      targetType: 'refund',
      targetId: refund.id,
      outcome: 'ok',
      details: { cause: options.cause },
    });
  });
}

/**
 * S1.13: who pays the return postage — the buyer or the shop, and the amount in fen — recorded on the
 * refund as a value (not a tick), with who decided it and when; audited. GUARD_RETURN_NOT_CHECKED waits for it.
 */
export async function setReturnPostage(
  ctx: AppContext,
  options: { actor: Actor; refundId: number; payer: unknown; amountFen: unknown; note?: unknown },
): Promise<ReturnPostageView> {
  requirePermission(options.actor, 'workbench.refund.work');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const { refund } = await refundAndOrder(trx, options.actor, options.refundId);
    const value = validateReturnPostage(options, refund);
    const previous = await loadReturnPostage(trx, refund.id);
    await trx
      .updateTable('refunds')
      .set({
        return_postage_payer: value.payer,
        return_postage_fen: value.amountFen,
        return_postage_note: value.note,
        return_postage_by: options.actor.name,
        return_postage_at: now.toISOString(),
      })
      .where('id', '=', refund.id)
      .execute();
    await appendAudit(trx, {
      at: now,
      ...auditActor(options.actor),
      action: 'refund.return_postage',
      targetType: 'refund',
      targetId: refund.id,
      outcome: 'ok',
      details: { payer: value.payer, amountFen: value.amountFen, note: value.note, previous: previous ? { payer: previous.payer, amountFen: previous.amountFen } : null },
    });
    return { ...value, by: options.actor.name, at: now.toISOString() };
  });
}

/** Ticks (or unticks) a checklist item of the refund's playbook; an item only a record completes (S1.13's arrival and postage) is not ticked. */
export async function tickChecklist(
  ctx: AppContext,
  options: { actor: Actor; refundId: number; itemId: string; ruleId: string; ticked: boolean },
): Promise<void> {
  requirePermission(options.actor, 'workbench.refund.work');
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const { refund } = await refundAndOrder(trx, options.actor, options.refundId);
    const { ruleSet } = await currentRuleSet(trx, refund.shopId);
    const item = ruleSet.rules.flatMap((r) => r.checklist ?? []).find((c) => c.id === options.itemId);
    if (options.ticked && ((item?.doneWhen !== undefined && recordOnlyDoneWhen.includes(item.doneWhen)) || options.itemId.startsWith(`${RETURN_GUARD}.`))) {
      throw new AppError(
        'ACTION_NOT_ALLOWED',
        item?.doneWhen === 'return_postage.recorded' || options.itemId.endsWith('.postage')
          ? 'S1.13: who pays the return postage is recorded as a value (PUT /refunds/{id}/return-postage), not ticked.'
          : "S1.13: the return's arrival is the warehouse's record (POST /refunds/{id}/return-arrival), not a tick.",
        { reason: 'not_a_tick', itemId: options.itemId },
      );
    }
    await trx.deleteFrom('checklist_ticks').where('refund_id', '=', refund.id).where('item_id', '=', options.itemId).execute();
    if (options.ticked) {
      await trx
        .insertInto('checklist_ticks')
        .values({ refund_id: refund.id, item_id: options.itemId, rule_id: options.ruleId, actor_id: options.actor.id, at: now.toISOString() })
        .execute();
    }
    await appendAudit(trx, {
      at: now,
      ...auditActor(options.actor),
      action: options.ticked ? 'checklist.tick' : 'checklist.untick',
      targetType: 'refund',
      targetId: refund.id,
      outcome: 'ok',
      details: { itemId: options.itemId, ruleId: options.ruleId },
    });
  });
}

/** The records of a refund, oldest first. */
export async function refundRecords(db: Q, refundId: number): Promise<StoredRecord[]> {
  const rows = await db.selectFrom('records').selectAll().where('refund_id', '=', refundId).orderBy('id').execute();
  return rows.map(recordRowToRecord);
}
