/** Order use cases: one function per action, one transaction each, with its event. */
import { AppError } from '../core/errors.ts';
import { sumFen } from '../core/money.ts';
import { goodsPaidFen, lineCapsFen } from '../core/refund/refund-amounts.ts';
import { closeOrder, confirmOrder, shipOrder, signOrder, type ShipBasis } from '../core/refund/order-transitions.ts';
import { enqueue } from './platform/outbox.ts';
import type { Address, Order, OrderLine, Refund, TradeStatus } from '../core/refund/refund-model.ts';
import { applyRefundCommand } from '../core/refund/refund-transitions.ts';
import type { Actor } from '../core/roles.ts';
import {
  findOrderByNo,
  insertOrder,
  insertOrderEvent,
  insertRemark,
  listOrderEvents,
  listOrders,
  listRemarks,
  updateOrder,
  type OrderEvent,
  type OrderRemark,
  type Q,
} from '../db/order-repository.ts';
import { insertRefundEvent, listRefundsOfOrder, updateRefund } from '../db/refund-repository.ts';
import { findShop } from '../db/shop-repository.ts';
import { assertOrderVisible, requirePermission } from './access.ts';
import type { AppContext } from './context.ts';
import { appendAudit, auditActor } from './audit.ts';
import { diffFields } from './diff.ts';

export interface NewOrder {
  orderNo: string;
  buyer: { nick: string; name: string; phone: string; address: Address };
  lines: Omit<OrderLine, 'lineNo'>[];
  paidFen: number;
  postageFen: number;
  escrow: boolean;
}

export async function createOrder(ctx: AppContext, options: { actor: Actor; order: NewOrder }): Promise<Order> {
  const { actor, order: o } = options;
  requirePermission(actor, 'order.create');
  const goodsFen = sumFen(o.lines.map((l) => l.unitPriceFen * l.quantity));
  if (o.paidFen > goodsFen + o.postageFen) {
    throw new AppError('VALIDATION_FAILED', 'The paid amount is more than the lines plus postage.', {
      paidFen: o.paidFen,
      linesFen: goodsFen,
      postageFen: o.postageFen,
    });
  }
  // issue 13 §7: every line stores its share of what was paid, the cap of a refund of that line
  const numbered = o.lines.map((l, i) => ({ ...l, lineNo: i + 1 }));
  checkLineShares({ lines: numbered, paidFen: o.paidFen, postageFen: o.postageFen });
  const caps = lineCapsFen({ lines: numbered, paidFen: o.paidFen, postageFen: o.postageFen });
  const lines = numbered.map((l) => ({ ...l, paidFen: caps.get(l.lineNo) ?? 0 }));
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const existing = await findOrderByNo(trx, { shopId: actor.shopId, orderNo: o.orderNo });
    if (existing) throw new AppError('ORDER_EXISTS', `Order ${o.orderNo} already exists in this shop.`, { orderNo: o.orderNo });
    const order = await insertOrder(trx, {
      shopId: actor.shopId,
      orderNo: o.orderNo,
      buyer: o.buyer,
      lines,
      paidFen: o.paidFen,
      postageFen: o.postageFen,
      escrow: o.escrow,
      status: 'WAIT_SELLER_SEND_GOODS',
      shipment: null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
      version: 1,
    });
    await insertOrderEvent(trx, {
      shopId: actor.shopId,
      orderId: order.id,
      at: now,
      actorId: actor.id,
      actorRole: actor.role,
      action: 'create',
      fromStatus: null,
      toStatus: order.status,
      data: { paidFen: order.paidFen, lines: order.lines.length },
    });
    await appendAudit(trx, { at: now, ...auditActor(actor), action: 'order.create', targetType: 'order', targetId: order.orderNo, outcome: 'ok' });
    return order;
  });
}

/**
 * The lines' paid shares given with a new order: each within its line's list price, together
 * no more than the goods' payment (paidFen − postageFen), and exactly that when every line has one.
 */
function checkLineShares(o: { lines: OrderLine[]; paidFen: number; postageFen: number }): void {
  const given = o.lines.filter((l) => l.paidFen !== undefined && l.paidFen !== null);
  for (const l of given) {
    if (l.paidFen! > l.unitPriceFen * l.quantity) {
      throw new AppError('VALIDATION_FAILED', `Line ${l.lineNo}: its paid share is more than its price × quantity.`, {
        field: `lines[${l.lineNo - 1}].paidFen`,
        paidFen: l.paidFen,
        lineTotalFen: l.unitPriceFen * l.quantity,
      });
    }
  }
  const goods = goodsPaidFen(o);
  const sum = sumFen(given.map((l) => l.paidFen!));
  if (given.length > 0 && (sum > goods || (given.length === o.lines.length && sum !== goods))) {
    throw new AppError(
      'VALIDATION_FAILED',
      given.length === o.lines.length
        ? "The lines' paid shares must add up to what was paid for the goods (paidFen − postageFen)."
        : "The lines' paid shares are more than what was paid for the goods (paidFen − postageFen).",
      { field: 'lines', sharesFen: sum, goodsPaidFen: goods },
    );
  }
}

export interface OrderDetail {
  order: Order;
  refunds: Refund[];
  remarks: OrderRemark[] | null;
  events: OrderEvent[];
}

export async function getOrder(ctx: AppContext, options: { actor: Actor; orderNo: string }): Promise<OrderDetail> {
  const { actor } = options;
  requirePermission(actor, 'order.read');
  const db = ctx.db.kysely;
  const order = await findOrderByNo(db, { shopId: actor.shopId, orderNo: options.orderNo });
  assertOrderVisible(actor, order, `Order ${options.orderNo}`);
  const [refunds, remarks, events] = await Promise.all([
    listRefundsOfOrder(db, order.id),
    actor.role === 'buyer' ? Promise.resolve(null) : listRemarks(db, order.id),
    listOrderEvents(db, order.id),
  ]);
  // a buyer sees how the trade moved, not the seller's notes on it
  const visible = actor.role === 'buyer' ? events.filter((e) => e.action !== 'remark').map((e) => ({ ...e, data: {} })) : events;
  return { order, refunds, remarks, events: visible };
}

export async function listShopOrders(
  ctx: AppContext,
  options: { actor: Actor; status?: TradeStatus | undefined; before?: { createdAt: string; id: number } | undefined; limit: number },
): Promise<Order[]> {
  const { actor } = options;
  requirePermission(actor, 'order.read');
  return listOrders(ctx.db.kysely, {
    shopId: actor.shopId,
    status: options.status,
    buyerNick: actor.role === 'buyer' ? (actor.buyerNick ?? '\u0000') : undefined,
    orderId: actor.orderScopeId ?? undefined,
    before: options.before,
    limit: options.limit,
  });
}

/** Loads the order under lock, checks visibility and the optional expected version. */
/** Where an order came from: 'api' (shouhou's own), or a platform ('taobao', 'tmall') or a spreadsheet import of one. */
export async function orderSource(trx: Q, orderId: number): Promise<string> {
  const row = await trx.selectFrom('orders').select('source').where('id', '=', orderId).executeTakeFirst();
  return row?.source ?? 'api';
}

/** A platform's order ships, is signed for, confirmed and closed on the platform; shouhou follows it (issue 12). */
async function assertShouhouOrder(trx: Q, order: Order): Promise<void> {
  const source = await orderSource(trx, order.id);
  if (source === 'taobao' || source === 'tmall') {
    throw new AppError('PLATFORM_OWNS_IT', `Order ${order.orderNo} is on ${source === 'tmall' ? 'Tmall' : 'Taobao'}: it ships and closes there, and shouhou follows it.`, { source });
  }
}

async function lockOrder(trx: Q, actor: Actor, orderNo: string, version: number | undefined): Promise<Order> {
  const order = await findOrderByNo(trx, { shopId: actor.shopId, orderNo, lock: true });
  assertOrderVisible(actor, order, `Order ${orderNo}`);
  if (version !== undefined && version !== order.version) {
    throw new AppError('VERSION_CONFLICT', `Order ${orderNo} changed since version ${version}; reload it.`, {
      currentVersion: order.version,
    });
  }
  return order;
}

async function saveOrder(
  trx: Q,
  actor: Actor,
  before: Order,
  after: Order,
  action: string,
  data: Record<string, unknown>,
  at: Date,
): Promise<void> {
  if (!(await updateOrder(trx, after, before.version))) {
    throw new AppError('VERSION_CONFLICT', `Order ${before.orderNo} changed meanwhile; reload it.`, {});
  }
  await insertOrderEvent(trx, {
    shopId: before.shopId,
    orderId: before.id,
    at,
    actorId: actor.id,
    actorRole: actor.role,
    action,
    fromStatus: before.status,
    toStatus: after.status,
    data: { ...data, changes: diffFields(before, after) },
  });
  await appendAudit(trx, {
    at,
    ...auditActor(actor),
    action: `order.${action}`,
    targetType: 'order',
    targetId: before.orderNo,
    outcome: 'ok',
    details: { from: before.status, to: after.status, ...data },
  });
}

export interface ShipAnswer {
  order: Order;
  closedRefunds: { refundId: number; note: string }[];
  warnings: { code: string; message: string }[];
}

/** S2.2/S2.3: mark the order shipped; pending pre-shipment refunds close in the same transaction. */
export async function shipOrderAction(
  ctx: AppContext,
  options: { actor: Actor; orderNo: string; courier: string; trackingNo: string; basis?: ShipBasis | undefined; version?: number | undefined },
): Promise<ShipAnswer> {
  requirePermission(options.actor, 'order.ship');
  return ctx.db.kysely.transaction().execute(async (trx) => {
    await assertShouhouOrder(trx, await lockOrder(trx, options.actor, options.orderNo, options.version));
    return shipInTransaction(trx, ctx, options);
  });
}

/** Marks an order shipped inside the caller's transaction (the warehouse's S1.1 batch uses it too). */
export async function shipInTransaction(
  trx: Q,
  ctx: AppContext,
  options: { actor: Actor; orderNo: string; courier: string; trackingNo: string; basis?: ShipBasis | undefined; version?: number | undefined },
): Promise<ShipAnswer> {
  const { actor } = options;
  const now = ctx.clock.now();
  {
    const order = await lockOrder(trx, actor, options.orderNo, options.version);
    const source = await orderSource(trx, order.id);
    if (source === 'taobao' || source === 'tmall') {
      // the warehouse's batch (S1.1) says it already left: the platform reports the shipment and closes the refund itself
      return { order, closedRefunds: [], warnings: [{ code: 'PLATFORM_OWNS_IT', message: 'The platform marks this order shipped; shouhou follows at the next sync.' }] };
    }
    const refunds = await listRefundsOfOrder(trx, order.id);
    const result = shipOrder({ order, refunds, courier: options.courier, trackingNo: options.trackingNo, basis: options.basis, now });
    await saveOrder(
      trx,
      actor,
      order,
      result.order,
      'ship',
      { basis: options.basis ?? null, warnings: result.warnings, closedRefunds: result.closesRefunds.map((c) => c.refundId) },
      now,
    );
    const shop = await findShop(trx, actor.shopId);
    for (const close of result.closesRefunds) {
      const refund = refunds.find((r) => r.id === close.refundId);
      if (!refund || !shop) continue;
      const change = applyRefundCommand(
        refund,
        { action: 'close_by_shipment', note: close.note },
        { now, role: 'system', order: result.order, siblings: [], settings: shop.settings, calendar: ctx.calendar },
      );
      if (!(await updateRefund(trx, change.refund, refund.version))) {
        throw new AppError('VERSION_CONFLICT', `Refund ${refund.id} changed meanwhile; try again.`, {});
      }
      await insertRefundEvent(trx, {
        shopId: refund.shopId,
        refundId: refund.id,
        version: change.refund.version,
        at: now,
        actorId: actor.id,
        actorRole: actor.role,
        action: 'close_by_shipment',
        fromStatus: refund.status,
        toStatus: change.refund.status,
        changes: diffFields(refund, change.refund),
        data: { note: close.note, orderNo: order.orderNo },
      });
      await appendAudit(trx, {
        at: now,
        ...auditActor(actor),
        action: 'refund.close_by_shipment',
        targetType: 'refund',
        targetId: refund.id,
        outcome: 'ok',
        details: { from: refund.status, to: change.refund.status, note: close.note },
      });
    }
    return { order: result.order, closedRefunds: result.closesRefunds, warnings: result.warnings };
  }
}

export async function signOrderAction(
  ctx: AppContext,
  options: { actor: Actor; orderNo: string; signedAt?: Date | undefined; version?: number | undefined },
): Promise<Order> {
  const { actor } = options;
  requirePermission(actor, 'order.sign');
  const now = ctx.clock.now();
  if (options.signedAt && options.signedAt > now) {
    throw new AppError('VALIDATION_FAILED', 'The sign time cannot be in the future.', { signedAt: options.signedAt.toISOString() });
  }
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const order = await lockOrder(trx, actor, options.orderNo, options.version);
    await assertShouhouOrder(trx, order);
    const next = signOrder(order, now, options.signedAt);
    await saveOrder(trx, actor, order, next, 'sign', {}, now);
    return next;
  });
}

/**
 * S1.15: the sign time read from the parcel's trace (src/app/tracking.ts) is written on the order, also
 * on a platform's order: it is a fact about the parcel, not a step of the trade, and the platform's sync
 * keeps it while the platform tells none. Once: an order already signed for is returned as it is.
 */
export async function recordSignedAtFromTrace(
  ctx: AppContext,
  options: { actor: Actor; orderNo: string; parcel: { courier: string; trackingNo: string }; signedAt: Date; evidence: Record<string, unknown> },
): Promise<{ order: Order; recorded: boolean }> {
  const { actor } = options;
  requirePermission(actor, 'order.sign');
  const now = ctx.clock.now();
  // the courier's clock may run ahead of ours by a few minutes (the caller refuses more)
  const at = options.signedAt > now ? now : options.signedAt;
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const order = await lockOrder(trx, actor, options.orderNo, undefined);
    if (order.shipment?.signedAt) return { order, recorded: false };
    // the trace was read outside the transaction: the order's parcel must still be the one it traced
    if (order.shipment?.trackingNo !== options.parcel.trackingNo || order.shipment.courier !== options.parcel.courier) {
      throw new AppError('VERSION_CONFLICT', `Order ${order.orderNo}'s parcel changed meanwhile; reload it.`, { currentVersion: order.version });
    }
    const next = signOrder(order, now, at);
    await saveOrder(trx, actor, order, next, 'sign', { source: 'parcel_trace', ...options.evidence }, now);
    return { order: next, recorded: true };
  });
}

export async function confirmOrderAction(
  ctx: AppContext,
  options: { actor: Actor; orderNo: string; version?: number | undefined },
): Promise<Order> {
  const { actor } = options;
  requirePermission(actor, 'order.confirm');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const order = await lockOrder(trx, actor, options.orderNo, options.version);
    await assertShouhouOrder(trx, order);
    const next = confirmOrder(order, await listRefundsOfOrder(trx, order.id), now);
    await saveOrder(trx, actor, order, next, 'confirm', {}, now);
    return next;
  });
}

export async function closeOrderAction(
  ctx: AppContext,
  options: { actor: Actor; orderNo: string; reason: string; version?: number | undefined },
): Promise<Order> {
  const { actor } = options;
  requirePermission(actor, 'order.close');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const order = await lockOrder(trx, actor, options.orderNo, options.version);
    await assertShouhouOrder(trx, order);
    const next = closeOrder(order, await listRefundsOfOrder(trx, order.id), now);
    await saveOrder(trx, actor, order, next, 'close', { reason: options.reason }, now);
    return next;
  });
}

/** TOP's memo limit: 1,000 bytes. */
export const REMARK_MAX_BYTES = 1000;

export async function addRemark(
  ctx: AppContext,
  options: { actor: Actor; orderNo: string; text: string; flag: number },
): Promise<OrderRemark> {
  const { actor } = options;
  requirePermission(actor, 'order.remark.add');
  const text = options.text.trim();
  if (!text) throw new AppError('VALIDATION_FAILED', 'A remark needs text.', { field: 'text' });
  if (Buffer.byteLength(text, 'utf8') > REMARK_MAX_BYTES) {
    throw new AppError('VALIDATION_FAILED', `A remark holds at most ${REMARK_MAX_BYTES} bytes (about 333 Chinese characters).`, {
      field: 'text',
      bytes: Buffer.byteLength(text, 'utf8'),
    });
  }
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const order = await lockOrder(trx, actor, options.orderNo, undefined);
    const remark = await insertRemark(trx, {
      shopId: actor.shopId,
      orderId: order.id,
      actorId: actor.id,
      author: actor.name,
      flag: options.flag,
      text,
      at: now,
    });
    await insertOrderEvent(trx, {
      shopId: actor.shopId,
      orderId: order.id,
      at: now,
      actorId: actor.id,
      actorRole: actor.role,
      action: 'remark',
      fromStatus: order.status,
      toStatus: order.status,
      data: { remarkId: remark.id, flag: remark.flag },
    });
    // a platform's order keeps one memo there: the latest remark goes to it (issue 12 §5)
    const source = await orderSource(trx, order.id);
    const outboxId =
      source === 'taobao' || source === 'tmall'
        ? await enqueue(trx, { shopId: actor.shopId, refundId: null, orderId: order.id, payload: { kind: 'memo', platformOrderId: order.orderNo, text, flag: options.flag }, actorId: actor.id, now })
        : null;
    await appendAudit(trx, { at: now, ...auditActor(actor), action: 'order.remark', targetType: 'order', targetId: order.orderNo, outcome: 'ok', details: { remarkId: remark.id, ...(outboxId ? { outboxId } : {}) } });
    return remark;
  });
}

export async function getRemarks(ctx: AppContext, options: { actor: Actor; orderNo: string }): Promise<OrderRemark[]> {
  const { actor } = options;
  requirePermission(actor, 'order.remark.read');
  const order = await findOrderByNo(ctx.db.kysely, { shopId: actor.shopId, orderNo: options.orderNo });
  assertOrderVisible(actor, order, `Order ${options.orderNo}`);
  return listRemarks(ctx.db.kysely, order.id);
}


export type PiiField = 'phone' | 'address';

/** The buyer's full phone number or address, one order at a time: permission-checked and audited. */
export async function revealBuyer(
  ctx: AppContext,
  options: { actor: Actor; orderNo: string; fields: PiiField[]; reason: string; ip: string | null },
): Promise<{ phone?: string; address?: Address }> {
  const { actor } = options;
  requirePermission(actor, 'order.pii.reveal');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const order = await findOrderByNo(trx, { shopId: actor.shopId, orderNo: options.orderNo });
    assertOrderVisible(actor, order, `Order ${options.orderNo}`);
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: 'order.pii.reveal',
      targetType: 'order',
      targetId: order.orderNo,
      outcome: 'ok',
      ip: options.ip,
      details: { fields: options.fields, reason: options.reason },
    });
    return {
      ...(options.fields.includes('phone') ? { phone: order.buyer.phone } : {}),
      ...(options.fields.includes('address') ? { address: order.buyer.address } : {}),
    };
  });
}
