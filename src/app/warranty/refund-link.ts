/**
 * Issue 13 (S4.2–S4.4): a return decided under 三包 reaches the refund engine,
 * in the transaction that records the decision.
 *
 * The honest path through the engine's rules: the phone is already back with
 * us (the warehouse received it in the send-back, and the test report is on
 * record), so nothing more is to be returned through the refund. On an order
 * of shouhou's own, the refund is applied by the system on the buyer's behalf
 * as 仅退款 of goods received (refund_only, received) with the reason 商品质量问题
 * (quality) and the amount of the decision: the same application a buyer
 * would make (applyForRefund checks escrow, the trade's status, the shape and
 * the amount cap). It waits for an agent's agreement like any other: the money
 * goes out only when a person agrees. When the order already has an open
 * refund (the engine allows one at a time), the send-back is attached to it
 * instead, and a differing amount is shown to the agent, who settles it with
 * the buyer. An order of Taobao or Tmall cannot get a refund from here: the
 * platform owns it (S3), so the send-back records that the refund is handled
 * on the platform, linked to the platform's refund of the order when there is
 * one. When the engine refuses (a closed trade, not escrow, nothing left to
 * refund), the refusal is recorded on the send-back for a person to see; the
 * decision itself stands.
 */
import { isAppError } from '../../core/errors.ts';
import { applyForRefund } from '../../core/refund/refund-application.ts';
import { committedFen } from '../../core/refund/refund-amounts.ts';
import { isOpenStatus, type Order, type Refund } from '../../core/refund/refund-model.ts';
import type { Actor } from '../../core/roles.ts';
import type { SendBack, SendBackRefundLink } from '../../core/warranty/send-back.ts';
import type { WarrantyPolicy } from '../../core/warranty/policy.ts';
import { findOrderById, type Q } from '../../db/order-repository.ts';
import { insertRefund, insertRefundEvent, listRefundsOfOrder } from '../../db/refund-repository.ts';
import { findShop } from '../../db/shop-repository.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { orderSource } from '../orders.ts';

/**
 * What a return may refund on a send-back's order: what was paid less what was paid out. An open refund of the
 * order is the one the return attaches to (the same claim, not a second one): its amount is the default then.
 */
export async function refundableOfOrder(db: Q, orderId: number | null): Promise<{ defaultFen: number; maxFen: number } | null> {
  if (orderId === null) return null;
  const order = await findOrderById(db, { orderId });
  if (!order) return null;
  const refunds = await listRefundsOfOrder(db, order.id);
  const left = Math.max(0, order.paidFen - committedFen(refunds.filter((r) => r.status === 'SUCCESS')));
  const open = refunds.filter((r) => isOpenStatus(r.status)).at(-1);
  return { defaultFen: open ? Math.min(open.amountFen, left) : left, maxFen: left };
}

function platformOf(source: string): 'taobao' | 'tmall' | null {
  return source === 'taobao' || source === 'tmall' ? source : null;
}

/** The order's refund a platform order's send-back links: an open one first, else the newest. */
function platformRefundOf(refunds: readonly Refund[]): Refund | null {
  const platform = refunds.filter((r) => r.platform);
  return platform.filter((r) => isOpenStatus(r.status)).at(-1) ?? platform.at(-1) ?? null;
}

function descriptionOf(sendBackId: number, sendBack: SendBack, policy: WarrantyPolicy): string {
  const clause = sendBack.decision?.clause;
  const basis = clause ? `「${clause.titleZh}」${clause.citation ? `（${clause.citation}）` : ''}` : '';
  const received = sendBack.received ? `手机已于${sendBack.received.at.slice(0, 10)}寄回我司，` : '';
  const report = sendBack.report ? `检测报告：${sendBack.report.summary}` : '';
  const text = `三包送检单 #${sendBackId} 判定退货${basis}。${received}无需再退货。${report}`;
  // the refund's description holds 500 characters
  return [...text].slice(0, 480).join('') || policy.remedyLabels.return.zh;
}

/**
 * Opens or attaches the order's refund for a send-back decided "return" and links the send-back's record to it
 * (records.refund_id), inside the caller's transaction. Returns the link the send-back keeps.
 */
export async function linkReturnRefund(
  trx: Q,
  ctx: AppContext,
  o: { actor: Actor; sendBackId: number; orderId: number; sendBack: SendBack; policy: WarrantyPolicy; now: Date },
): Promise<SendBackRefundLink> {
  const { sendBack, now } = o;
  const amountFen = sendBack.refundAmountFen ?? 0;
  const at = now.toISOString();
  const order = (await findOrderById(trx, { orderId: o.orderId, lock: true })) as Order;
  const refunds = await listRefundsOfOrder(trx, order.id);
  const platform = platformOf(await orderSource(trx, order.id));
  let link: SendBackRefundLink;
  if (platform) {
    const theirs = platformRefundOf(refunds);
    link = {
      state: 'platform',
      refundId: theirs?.id ?? null,
      amountFen,
      refundAmountFen: theirs?.amountFen ?? null,
      refundStatus: theirs?.status ?? null,
      platform,
      problem: null,
      at,
    };
  } else {
    const open = refunds.filter((r) => isOpenStatus(r.status)).at(-1);
    if (open) {
      link = { state: 'attached', refundId: open.id, amountFen, refundAmountFen: open.amountFen, refundStatus: open.status, platform: null, problem: null, at };
    } else {
      link = await openRefund(trx, ctx, { ...o, order, refunds, amountFen, at });
    }
  }
  if (link.refundId !== null) await trx.updateTable('records').set({ refund_id: link.refundId }).where('id', '=', o.sendBackId).execute();
  await appendAudit(trx, {
    at: now,
    ...auditActor(o.actor),
    action: 'send_back.refund_link',
    targetType: 'send_back',
    targetId: o.sendBackId,
    outcome: link.state === 'blocked' ? 'failed' : 'ok',
    details: { state: link.state, refundId: link.refundId, amountFen, orderNo: order.orderNo, ...(link.problem ? { problem: link.problem.code } : {}) },
  });
  return link;
}

async function openRefund(
  trx: Q,
  ctx: AppContext,
  o: { actor: Actor; sendBackId: number; sendBack: SendBack; policy: WarrantyPolicy; now: Date; order: Order; refunds: Refund[]; amountFen: number; at: string },
): Promise<SendBackRefundLink> {
  const { order, now } = o;
  const shop = await findShop(trx, order.shopId);
  // the system applies on the buyer's behalf: the buyer asked for the return in the send-back, the agent decided it
  const system: Actor = { id: 0, shopId: order.shopId, role: 'system', name: `三包送检单 #${o.sendBackId}`, buyerNick: null, kind: 'system' };
  try {
    if (!shop) throw new Error(`shop ${order.shopId} is missing`);
    const draft = applyForRefund({
      order,
      refunds: o.refunds,
      application: {
        lineNo: null,
        type: 'refund_only',
        goodsStatus: 'received',
        reason: 'quality',
        amountFen: o.amountFen,
        description: descriptionOf(o.sendBackId, o.sendBack, o.policy),
        evidence: [],
      },
      settings: shop.settings,
      calendar: ctx.calendar,
      now,
    });
    const refund = await insertRefund(trx, draft, order.id);
    await insertRefundEvent(trx, {
      shopId: refund.shopId,
      refundId: refund.id,
      version: refund.version,
      at: now,
      actorId: null,
      actorRole: 'system',
      action: 'apply',
      fromStatus: null,
      toStatus: refund.status,
      changes: {},
      data: {
        type: refund.type,
        goodsStatus: refund.goodsStatus,
        reason: refund.reason,
        amountFen: refund.amountFen,
        phase: refund.phase,
        lineNo: refund.lineNo,
        sendBackId: o.sendBackId,
        note: `三包送检单 #${o.sendBackId} 判定退货`,
      },
    });
    await appendAudit(trx, {
      at: now,
      ...auditActor(system),
      action: 'refund.apply',
      targetType: 'refund',
      targetId: refund.id,
      outcome: 'ok',
      details: { orderNo: order.orderNo, type: refund.type, reason: refund.reason, amountFen: refund.amountFen, sendBackId: o.sendBackId, decidedBy: o.actor.id },
    });
    return { state: 'opened', refundId: refund.id, amountFen: o.amountFen, refundAmountFen: refund.amountFen, refundStatus: refund.status, platform: null, problem: null, at: o.at };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { state: 'blocked', refundId: null, amountFen: o.amountFen, refundAmountFen: null, refundStatus: null, platform: null, problem: { code: e.code, message: e.message }, at: o.at };
  }
}
