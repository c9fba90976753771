/**
 * Decisions flowing back to the platform (issue 12 §5): the seller's action on
 * a platform refund is written as an outbox row in the same transaction as
 * the action (the refund shows 同步中); a worker sends it, retries what may be
 * retried, and marks it. The platform owns the refund's status: it changes in
 * shouhou when the refund is read back from the platform, never before. A row
 * whose sending may have reached the platform before a crash is never sent
 * blindly again: the refund is re-read first, and its version tells whether
 * the decision was applied. An agent's decision is never dropped silently:
 * refused ones show on the refund with the platform's words and as a sync
 * problem.
 */
import { AppError } from '../../core/errors.ts';
import type { Refund, RefundStatus } from '../../core/refund/refund-model.ts';
import type { Actor } from '../../core/roles.ts';
import type { ShopSettings } from '../../core/shop-settings.ts';
import { findEvidenceFile } from '../../db/evidence-repository.ts';
import { canLockRows, type Q } from '../../db/order-repository.ts';
import { isPlatformError, isUnreadable, type PlatformCommand, type PlatformError } from '../../platform/connector.ts';
import { backoffMs } from '../../platform/taobao/rate-limit.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { platformActor, isNewerVersion, type RecordSource } from './apply.ts';
import { activeBinding, connectorOf, markNeedsReauth } from './bindings.ts';
import { fileProblem, resolveProblemsOf } from './problems.ts';
import { syncRefund } from './sync.ts';

/** What an outbox row holds: the decision in shouhou's words, and what the refund should become. */
export type OutboxPayload =
  | {
      kind: 'agree_refund' | 'agree_return' | 'refuse';
      platformRefundId: string;
      platformVersion: string;
      phase: Refund['phase'];
      expectStatus: RefundStatus;
      amountFen?: number;
      address?: { name: string; phone: string; address: string };
      remark?: string;
      postageBy?: 'buyer' | 'seller';
      message?: string;
      /** the refusal's proof: an evidence file of the shop, read when sent */
      proofEvidenceId?: number | null;
    }
  | { kind: 'memo'; platformOrderId: string; text: string; flag: number }
  | { kind: 'message'; platformRefundId: string; text: string };

/** After this long without success a retriable decision is given up as failed (and shown as such). */
export const OUTBOX_GIVE_UP_MS = 3 * 86_400_000;

export async function enqueue(trx: Q, row: { shopId: number; refundId: number | null; orderId: number | null; payload: OutboxPayload; actorId: number | null; now: Date }): Promise<number> {
  const at = row.now.toISOString();
  const inserted = await trx
    .insertInto('platform_outbox')
    .values({
      shop_id: row.shopId,
      refund_id: row.refundId,
      order_id: row.orderId,
      kind: row.payload.kind,
      payload: JSON.stringify(row.payload),
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      lease_owner: null,
      lease_until: null,
      last_error: null,
      actor_id: row.actorId,
      created_at: at,
      updated_at: at,
      sent_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/**
 * The seller's decision on a platform refund, as a payload for the platform. The engine's own rules
 * have already said the action is allowed and what the refund becomes (`expectStatus`).
 */
export function decisionPayload(options: {
  refund: Refund;
  action: 'agree' | 'refuse' | 'confirm_receipt';
  expectStatus: RefundStatus;
  settings: ShopSettings;
  returnAddress?: string | null | undefined;
  refusal?: { reason: string; evidence: string[] } | undefined;
}): OutboxPayload {
  const { refund } = options;
  const platform = refund.platform;
  if (!platform) throw new Error('not a platform refund');
  if (!platform.version) {
    throw new AppError('ACTION_NOT_ALLOWED', "The platform's version of this refund is not known yet; wait for the next sync and try again.", { reason: 'platform_version_unknown' });
  }
  const base = { platformRefundId: platform.refundId, platformVersion: platform.version, phase: refund.phase, expectStatus: options.expectStatus };
  if (options.action === 'refuse') {
    const message = (options.refusal?.reason ?? '').trim();
    if ([...message].length < 2 || [...message].length > 200) {
      throw new AppError('VALIDATION_FAILED', 'The platform takes a refusal message of 2 to 200 characters.', { field: 'reason', min: 2, max: 200 });
    }
    const proof = options.refusal?.evidence.map((ref) => /^evidence:(\d+)$/.exec(ref)?.[1]).find((id) => id !== undefined);
    return { kind: 'refuse', ...base, message, proofEvidenceId: proof ? Number(proof) : null };
  }
  if (options.expectStatus === 'WAIT_BUYER_RETURN_GOODS') {
    const address = (options.returnAddress ?? options.settings.returnAddress ?? '').trim();
    const name = options.settings.returnConsignee?.trim() ?? '';
    const phone = options.settings.returnPhone?.trim() ?? '';
    if (!address || !name || !phone) {
      throw new AppError('RETURN_ADDRESS_REQUIRED', "The platform needs the return address with its consignee and phone: set them in the shop's settings (return address, consignee, phone).", {
        missing: [!address && 'returnAddress', !name && 'returnConsignee', !phone && 'returnPhone'].filter(Boolean),
      });
    }
    return { kind: 'agree_return', ...base, address: { name, phone, address }, remark: '同意退货，请按地址寄回并填写运单号。', postageBy: 'buyer' };
  }
  return { kind: 'agree_refund', ...base, amountFen: refund.amountFen };
}

async function commandOf(ctx: AppContext, shopId: number, payload: OutboxPayload): Promise<PlatformCommand> {
  switch (payload.kind) {
    case 'agree_refund':
      return { kind: 'agree_refund', platformRefundId: payload.platformRefundId, platformVersion: payload.platformVersion, phase: payload.phase, amountFen: payload.amountFen ?? 0 };
    case 'agree_return':
      return {
        kind: 'agree_return',
        platformRefundId: payload.platformRefundId,
        platformVersion: payload.platformVersion,
        phase: payload.phase,
        address: payload.address!,
        remark: payload.remark ?? '',
        postageBy: payload.postageBy ?? 'buyer',
      };
    case 'refuse': {
      const file = payload.proofEvidenceId ? await findEvidenceFile(ctx.db.kysely, { shopId, id: payload.proofEvidenceId }) : null;
      const image = file && file.contentType.startsWith('image/') ? { bytes: Buffer.from(file.data), contentType: file.contentType, fileName: `proof-${file.id}.${file.contentType.split('/')[1]}` } : null;
      return { kind: 'refuse', platformRefundId: payload.platformRefundId, platformVersion: payload.platformVersion, phase: payload.phase, message: payload.message ?? '', proof: image, reasonId: null };
    }
    case 'memo':
      return { kind: 'memo', platformOrderId: payload.platformOrderId, text: payload.text, flag: payload.flag };
    case 'message':
      return { kind: 'message', platformRefundId: payload.platformRefundId, text: payload.text, image: null };
  }
}

interface Claimed {
  id: number;
  shopId: number;
  refundId: number | null;
  attempts: number;
  createdAt: string;
  payload: OutboxPayload;
}

/**
 * Claims due rows of shops whose binding is active: FOR UPDATE SKIP LOCKED on PostgreSQL, so that several
 * processes share the work and never send one row at the same time; a row left `sending` by a process that
 * died comes back once its lease has passed.
 */
async function claimDue(ctx: AppContext, options: { owner: string; limit: number; leaseMs: number; shopId?: number }): Promise<Claimed[]> {
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('platform_outbox')
      .innerJoin('shop_bindings', 'shop_bindings.shop_id', 'platform_outbox.shop_id')
      .select(['platform_outbox.id', 'platform_outbox.shop_id', 'platform_outbox.refund_id', 'platform_outbox.attempts', 'platform_outbox.created_at', 'platform_outbox.payload'])
      .where('shop_bindings.status', '=', 'active')
      .where((eb) =>
        eb.or([
          eb.and([eb('platform_outbox.status', '=', 'pending'), eb('platform_outbox.next_attempt_at', '<=', now.toISOString())]),
          eb.and([eb('platform_outbox.status', '=', 'sending'), eb('platform_outbox.lease_until', '<', now.toISOString())]),
        ]),
      )
      .orderBy('platform_outbox.id')
      .limit(options.limit);
    if (options.shopId !== undefined) q = q.where('platform_outbox.shop_id', '=', options.shopId);
    if (canLockRows(trx)) q = q.forUpdate('platform_outbox').skipLocked();
    const rows = await q.execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable('platform_outbox')
      .set((eb) => ({ status: 'sending', lease_owner: options.owner, lease_until: new Date(now.getTime() + options.leaseMs).toISOString(), attempts: eb('attempts', '+', 1), updated_at: now.toISOString() }))
      .where('id', 'in', rows.map((r) => r.id))
      .execute();
    return rows.map((r) => ({ id: r.id, shopId: r.shop_id, refundId: r.refund_id, attempts: r.attempts + 1, createdAt: r.created_at, payload: JSON.parse(r.payload) as OutboxPayload }));
  });
}

/** Sends what is due; answers how many rows it settled (sent or failed). */
export async function deliverOutbox(ctx: AppContext, options: { owner: string; limit?: number; leaseMs?: number; shopId?: number }): Promise<number> {
  const claimed = await claimDue(ctx, { owner: options.owner, limit: options.limit ?? 20, leaseMs: options.leaseMs ?? 60_000, ...(options.shopId !== undefined ? { shopId: options.shopId } : {}) });
  let settled = 0;
  for (const row of claimed) {
    if (await deliverOne(ctx, row, options.owner)) settled += 1;
  }
  return settled;
}

async function deliverOne(ctx: AppContext, row: Claimed, owner: string): Promise<boolean> {
  const binding = await activeBinding(ctx.db.kysely, row.shopId);
  if (!binding) {
    await release(ctx, row, owner, { status: 'pending', nextAttemptAt: new Date(ctx.clock.now().getTime() + 60_000), error: 'binding_not_active', countAttempt: false });
    return false;
  }
  const connector = connectorOf(ctx, binding);
  const source: RecordSource = binding.platform;
  const target = { ctx, shopId: row.shopId, connector, source };
  const p = row.payload;
  try {
    if (p.kind === 'agree_refund' || p.kind === 'agree_return' || p.kind === 'refuse') {
      // a second try may follow a crash after the platform took the first: the refund's version tells
      if (row.attempts > 1) {
        const now = await connector.getRefund(p.platformRefundId);
        if (now && !isUnreadable(now) && isNewerVersion(now.platformVersion, p.platformVersion)) {
          if (now.status === p.expectStatus) {
            await markSent(ctx, row, owner);
            await syncRefund(target, p.platformRefundId, 'outbox');
            return true;
          }
          await refuse(ctx, row, owner, `平台上的退款已变化（现为 ${now.platformStatus}），这次操作没有执行；请刷新后重新处理。`, 'refund_changed');
          await syncRefund(target, p.platformRefundId, 'outbox');
          return true;
        }
      }
      await connector.push(await commandOf(ctx, row.shopId, p));
      await markSent(ctx, row, owner);
      await syncRefund(target, p.platformRefundId, 'outbox');
      return true;
    }
    await connector.push(await commandOf(ctx, row.shopId, p));
    await markSent(ctx, row, owner);
    return true;
  } catch (e) {
    if (!isPlatformError(e)) throw e;
    return handleFailure(ctx, row, owner, e, target);
  }
}

async function handleFailure(ctx: AppContext, row: Claimed, owner: string, e: PlatformError, target: Parameters<typeof syncRefund>[0]): Promise<boolean> {
  const now = ctx.clock.now();
  const words = e.platformMessage || e.message;
  if (e.kind === 'auth') {
    await markNeedsReauth(ctx, row.shopId, words);
    await release(ctx, row, owner, { status: 'pending', nextAttemptAt: new Date(now.getTime() + 60_000), error: words, countAttempt: false });
    return false;
  }
  if (e.kind === 'business') {
    await refuse(ctx, row, owner, words, e.subCode ?? e.code);
    // tell the agent what changed: the refund as the platform has it now
    const p = row.payload;
    if ((p.kind === 'agree_refund' || p.kind === 'agree_return' || p.kind === 'refuse') && 'platformRefundId' in p) {
      try {
        await syncRefund(target, p.platformRefundId, 'outbox');
      } catch {
        // the re-read comes with the next pull or notice
      }
    }
    return true;
  }
  // retriable (or an answer that could not be read: maybe it went through, so the next try re-reads first)
  if (now.getTime() - new Date(row.createdAt).getTime() > OUTBOX_GIVE_UP_MS) {
    await refuse(ctx, row, owner, `三天内都没能送达平台：${words}`, 'gave_up');
    return true;
  }
  await release(ctx, row, owner, { status: 'pending', nextAttemptAt: new Date(now.getTime() + backoffMs(Math.max(row.attempts - 1, 0), { retryAfterMs: e.retryAfterMs })), error: words, countAttempt: true });
  return false;
}

async function release(ctx: AppContext, row: Claimed, owner: string, r: { status: 'pending'; nextAttemptAt: Date; error: string; countAttempt: boolean }): Promise<void> {
  await ctx.db.kysely
    .updateTable('platform_outbox')
    .set((eb) => ({
      status: r.status,
      next_attempt_at: r.nextAttemptAt.toISOString(),
      last_error: r.error.slice(0, 1000),
      lease_owner: null,
      lease_until: null,
      updated_at: ctx.clock.now().toISOString(),
      ...(r.countAttempt ? {} : { attempts: eb('attempts', '-', 1) }),
    }))
    .where('id', '=', row.id)
    .where('lease_owner', '=', owner)
    .execute();
}

async function markSent(ctx: AppContext, row: Claimed, owner: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('platform_outbox')
      .set({ status: 'sent', sent_at: now.toISOString(), lease_owner: null, lease_until: null, last_error: null, updated_at: now.toISOString() })
      .where('id', '=', row.id)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return;
    if (row.refundId !== null) {
      await setSyncState(trx, row.refundId, row.id, 'synced', null);
      await resolveProblemsOf(trx, { shopId: row.shopId, objectType: 'outbox', platformId: String(row.id), now, by: 'sync' });
    }
    await appendAudit(trx, {
      at: now,
      ...auditActor(platformActor(row.shopId, 'taobao')),
      action: 'refund.push',
      targetType: row.refundId !== null ? 'refund' : 'order',
      targetId: row.refundId ?? null,
      outcome: 'ok',
      details: { outbox: row.id, kind: row.payload.kind, attempts: row.attempts, owner },
    });
  });
}

/** The platform refused the decision (or it could not be delivered): failed, with the platform's words, shown on the refund and as a sync problem. */
async function refuse(ctx: AppContext, row: Claimed, owner: string, words: string, code: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable('platform_outbox')
      .set({ status: 'failed', last_error: words.slice(0, 1000), lease_owner: null, lease_until: null, updated_at: now.toISOString() })
      .where('id', '=', row.id)
      .execute();
    if (row.refundId !== null) await setSyncState(trx, row.refundId, row.id, 'failed', words);
    await fileProblem(
      trx,
      {
        shopId: row.shopId,
        source: 'outbox',
        code: 'platform_refused',
        objectType: 'outbox',
        platformId: String(row.id),
        message: `${row.payload.kind}: ${words} (${code})`,
        payload: row.payload.kind === 'refuse' ? { ...row.payload, message: '(the refusal message)' } : row.payload,
        outboxId: row.id,
      },
      now,
    );
    await appendAudit(trx, {
      at: now,
      ...auditActor(platformActor(row.shopId, 'taobao')),
      action: 'refund.push',
      targetType: row.refundId !== null ? 'refund' : 'order',
      targetId: row.refundId ?? null,
      outcome: 'failed',
      details: { outbox: row.id, kind: row.payload.kind, code, owner },
    });
  });
}

/** The refund's sync state follows its latest decision only (an older row settling late does not overwrite it). */
async function setSyncState(trx: Q, refundId: number, outboxId: number, state: 'synced' | 'failed', message: string | null): Promise<void> {
  const latest = await trx.selectFrom('platform_outbox').select('id').where('refund_id', '=', refundId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (latest && latest.id !== outboxId) return;
  await trx
    .updateTable('refunds')
    .set((eb) => ({ sync_state: state, sync_message: message?.slice(0, 500) ?? null, version: eb('version', '+', 1) }))
    .where('id', '=', refundId)
    .execute();
}

/** A supervisor sends a failed decision again (after fixing what the platform said). */
export async function retryOutbox(ctx: AppContext, options: { actor: Actor; outboxId: number }): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('platform_outbox').select(['id', 'status', 'refund_id']).where('id', '=', options.outboxId).where('shop_id', '=', options.actor.shopId).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', `Outbox row ${options.outboxId} was not found.`, {});
    if (row.status !== 'failed') throw new AppError('ACTION_NOT_ALLOWED', `Only a failed decision is sent again; this one is ${row.status}.`, { status: row.status });
    await trx.updateTable('platform_outbox').set({ status: 'pending', attempts: 0, next_attempt_at: now.toISOString(), updated_at: now.toISOString() }).where('id', '=', row.id).execute();
    if (row.refund_id !== null) await trx.updateTable('refunds').set((eb) => ({ sync_state: 'pending', sync_message: null, version: eb('version', '+', 1) })).where('id', '=', row.refund_id!).execute();
  });
}
