/** Orders, their lines, remarks and events: plain functions over a Kysely (or a transaction). */
import { PostgresAdapter, sql, type Kysely, type QueryCreator, type Selectable } from 'kysely';
import type { Order, OrderLine, TradeStatus } from '../core/refund/refund-model.ts';
import type { Database, OrderLineTable, OrderTable } from './schema.ts';
import { precompiled, writeRow } from './precompiled.ts';

export type Q = Kysely<Database>;

/** Row locks exist on PostgreSQL; on SQLite a write transaction already holds the database (BEGIN IMMEDIATE). */
export function canLockRows(db: Q): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

const iso = (d: Date) => d.toISOString();
const date = (s: string | null) => (s === null ? null : new Date(s));

export function orderRowToOrder(row: Selectable<OrderTable>, lines: Selectable<OrderLineTable>[]): Order {
  return {
    id: row.id,
    shopId: row.shop_id,
    orderNo: row.order_no,
    buyer: {
      nick: row.buyer_nick,
      name: row.buyer_name,
      phone: row.buyer_phone,
      address: { province: row.province, city: row.city, district: row.district, detail: row.address_detail },
    },
    lines: lines
      .sort((a, b) => a.line_no - b.line_no)
      .map(
        (l): OrderLine => ({
          lineNo: l.line_no,
          sku: l.sku,
          title: l.title,
          style: l.style,
          size: l.size,
          unitPriceFen: Number(l.unit_price_fen),
          quantity: l.quantity,
          paidFen: l.paid_fen === null || l.paid_fen === undefined ? null : Number(l.paid_fen),
        }),
      ),
    paidFen: Number(row.paid_fen),
    postageFen: Number(row.postage_fen),
    escrow: row.escrow === 1,
    status: row.status as TradeStatus,
    shipment:
      row.shipped_at && row.courier !== null && row.tracking_no !== null
        ? { courier: row.courier, trackingNo: row.tracking_no, shippedAt: new Date(row.shipped_at), signedAt: date(row.signed_at) }
        : null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    finishedAt: date(row.finished_at),
    version: row.version,
  };
}

function orderState(order: Omit<Order, "id">) {
  return {
    status: order.status,
    courier: order.shipment?.courier ?? null,
    tracking_no: order.shipment?.trackingNo ?? null,
    shipped_at: order.shipment ? iso(order.shipment.shippedAt) : null,
    signed_at: order.shipment?.signedAt ? iso(order.shipment.signedAt) : null,
    finished_at: order.finishedAt ? iso(order.finishedAt) : null,
    updated_at: iso(order.updatedAt),
    version: order.version,
  };
}

async function linesOf(db: Q, orderIds: number[]): Promise<Map<number, Selectable<OrderLineTable>[]>> {
  const byOrder = new Map<number, Selectable<OrderLineTable>[]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await db.selectFrom('order_lines').selectAll().where('order_id', 'in', orderIds).execute();
  for (const r of rows) {
    const list = byOrder.get(r.order_id) ?? [];
    list.push(r);
    byOrder.set(r.order_id, list);
  }
  return byOrder;
}

/** One order of a shop by its number; `lock` takes the row lock (PostgreSQL) for the rest of the transaction. */
export async function findOrderByNo(db: Q, options: { shopId: number; orderNo: string; lock?: boolean }): Promise<Order | null> {
  let query = db.selectFrom('orders').selectAll().where('shop_id', '=', options.shopId).where('order_no', '=', options.orderNo);
  if (options.lock && canLockRows(db)) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return null;
  const lines = await linesOf(db, [row.id]);
  return orderRowToOrder(row, lines.get(row.id) ?? []);
}

export async function findOrderById(db: Q, options: { orderId: number; lock?: boolean }): Promise<Order | null> {
  let query = db.selectFrom('orders').selectAll().where('id', '=', options.orderId);
  if (options.lock && canLockRows(db)) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return null;
  const lines = await linesOf(db, [row.id]);
  return orderRowToOrder(row, lines.get(row.id) ?? []);
}

/** The order of a refund with its lines, one join (the write path's first read: built once, see precompiled.ts). */
const orderOfRefundQuery = precompiled(['shopId', 'refundId'] as const, (db: Q, p: { shopId: number; refundId: number }, variant) => {
  const query = db
    .selectFrom('orders')
    .leftJoin('order_lines as l', 'l.order_id', 'orders.id')
    .selectAll('orders')
    .select([
      'l.line_no as l_line_no',
      'l.sku as l_sku',
      'l.title as l_title',
      'l.style as l_style',
      'l.size as l_size',
      'l.unit_price_fen as l_unit_price_fen',
      'l.quantity as l_quantity',
      'l.paid_fen as l_paid_fen',
    ])
    .where('orders.id', '=', (eb) => eb.selectFrom('refunds as r').select('r.order_id').where('r.shop_id', '=', p.shopId).where('r.id', '=', p.refundId));
  return variant === 'lock' ? query.forUpdate(['orders']) : query;
});

/**
 * The order a shop's refund belongs to, with its lines, in one statement (issue 16 §2: fewer round trips on the
 * write path); `lock` takes the order's row lock (PostgreSQL). null when the shop has no such refund.
 */
export async function findOrderOfRefund(db: Q, options: { shopId: number; refundId: number; lock?: boolean }): Promise<Order | null> {
  const rows = await orderOfRefundQuery.execute(db, { shopId: options.shopId, refundId: options.refundId }, options.lock && canLockRows(db) ? 'lock' : '');
  const first = rows[0];
  if (!first) return null;
  const lines: Selectable<OrderLineTable>[] = [];
  for (const r of rows) {
    if (r.l_line_no === null) continue;
    lines.push({
      order_id: first.id,
      line_no: r.l_line_no,
      sku: r.l_sku!,
      title: r.l_title!,
      style: r.l_style!,
      size: r.l_size!,
      unit_price_fen: r.l_unit_price_fen!,
      quantity: r.l_quantity!,
      paid_fen: r.l_paid_fen ?? null,
    } as Selectable<OrderLineTable>);
  }
  return orderRowToOrder(first, lines);
}

export async function insertOrder(db: Q, order: Omit<Order, 'id'>): Promise<Order> {
  const row = await db
    .insertInto('orders')
    .values({
      shop_id: order.shopId,
      order_no: order.orderNo,
      buyer_nick: order.buyer.nick,
      buyer_name: order.buyer.name,
      buyer_phone: order.buyer.phone,
      province: order.buyer.address.province,
      city: order.buyer.address.city,
      district: order.buyer.address.district,
      address_detail: order.buyer.address.detail,
      paid_fen: order.paidFen,
      postage_fen: order.postageFen,
      escrow: order.escrow ? 1 : 0,
      created_at: iso(order.createdAt),
      ...orderState(order),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (order.lines.length > 0) {
    await db
      .insertInto('order_lines')
      .values(
        order.lines.map((l) => ({
          order_id: row.id,
          line_no: l.lineNo,
          sku: l.sku,
          title: l.title,
          style: l.style,
          size: l.size,
          unit_price_fen: l.unitPriceFen,
          quantity: l.quantity,
          paid_fen: l.paidFen ?? null,
        })),
      )
      .execute();
  }
  return { ...order, id: row.id };
}

/** Saves the order's state if nobody changed it since `expectedVersion`; false when someone did. */
export async function updateOrder(db: Q, order: Order, expectedVersion: number): Promise<boolean> {
  // SQLite: without the query builder (the write path, issue 16 §2)
  if (!canLockRows(db)) return (await writeRow(db, { update: 'orders', set: orderState(order), where: { id: order.id, version: expectedVersion } })) === 1;
  const result = await db
    .updateTable('orders')
    .set(orderState(order))
    .where('id', '=', order.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A refund's payout and, when it changes the order's status, the order's move (at its version) with its event. */
export interface PayoutWrite {
  payout: { refundId: number; shopId: number; orderId: number; amountFen: number; at: Date };
  move: { next: Order; expectedVersion: number; event: Parameters<typeof insertOrderEvent>[1] } | null;
}

/**
 * PayoutWrite as data-modifying CTEs for PostgreSQL, each written only when the CTE named `after` (the refund's
 * update) changed a row: `paid`, and with a move `moved` (the order at its version) and `moved_event`. The
 * caller's statement is the refund's (issue 16 §2: a refund-only agree in one statement with its payout).
 */
export function payoutCtes(w: PayoutWrite, after: string) {
  const p = w.payout;
  const paid = (qc: QueryCreator<Database>) =>
    qc
      .insertInto('payouts')
      .columns(['refund_id', 'shop_id', 'order_id', 'amount_fen', 'at'])
      .expression(
        sql`select ${p.refundId}::integer, ${p.shopId}::integer, ${p.orderId}::integer, ${p.amountFen}::integer, ${iso(p.at)}::text from ${sql.table(after)}`,
      )
      .returning('refund_id');
  const m = w.move;
  if (!m) return { paid, moved: null, movedEvent: null };
  const e = m.event;
  const moved = (qc: QueryCreator<Database>) =>
    qc
      .updateTable('orders')
      .set(orderState(m.next))
      .where('id', '=', m.next.id)
      .where('version', '=', m.expectedVersion)
      .where(sql<boolean>`exists (select 1 from ${sql.table(after)})`)
      .returning('id');
  const movedEvent = (qc: QueryCreator<Database>) =>
    qc
      .insertInto('order_events')
      .columns(['shop_id', 'order_id', 'at', 'actor_id', 'actor_role', 'action', 'from_status', 'to_status', 'data'])
      .expression(
        sql`select ${e.shopId}::integer, id, ${iso(e.at)}::text, ${e.actorId}::integer, ${e.actorRole}::text, ${e.action}::text, ${e.fromStatus}::text, ${e.toStatus}::text, ${JSON.stringify(e.data)}::text from moved`,
      )
      .returning('id');
  return { paid, moved, movedEvent };
}

/**
 * PayoutWrite one statement at a time (SQLite; PostgreSQL writes it as payoutCtes inside the refund's statement).
 * False when the order changed meanwhile (nothing of it is kept: the caller's transaction is to roll back).
 */
export async function insertPayoutAndMoveOrder(db: Q, payout: PayoutWrite['payout'], move: PayoutWrite['move']): Promise<boolean> {
  const payoutRow = { refund_id: payout.refundId, shop_id: payout.shopId, order_id: payout.orderId, amount_fen: payout.amountFen, at: iso(payout.at) };
  if (canLockRows(db)) await db.insertInto('payouts').values(payoutRow).execute();
  else await writeRow(db, { insert: 'payouts', values: payoutRow });
  if (!move) return true;
  if (!(await updateOrder(db, move.next, move.expectedVersion))) return false;
  await insertOrderEvent(db, move.event);
  return true;
}

export interface OrderListFilter {
  shopId: number;
  status?: TradeStatus | undefined;
  buyerNick?: string | undefined;
  /** a buyer portal session: this one order only */
  orderId?: number | undefined;
  /** keyset: orders created before this (created_at, id) */
  before?: { createdAt: string; id: number } | undefined;
  limit: number;
}

/** A shop's orders, newest first. */
export async function listOrders(db: Q, f: OrderListFilter): Promise<Order[]> {
  let query = db.selectFrom('orders').selectAll().where('shop_id', '=', f.shopId);
  if (f.status) query = query.where('status', '=', f.status);
  if (f.buyerNick) query = query.where('buyer_nick', '=', f.buyerNick);
  if (f.orderId !== undefined) query = query.where('id', '=', f.orderId);
  if (f.before) {
    const b = f.before;
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', b.createdAt), eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)])]),
    );
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  const lines = await linesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => orderRowToOrder(r, lines.get(r.id) ?? []));
}

export interface OrderRemark {
  id: number;
  author: string;
  flag: number;
  text: string;
  createdAt: Date;
}

export async function insertRemark(
  db: Q,
  r: { shopId: number; orderId: number; actorId: number | null; author: string; flag: number; text: string; at: Date },
): Promise<OrderRemark> {
  const row = await db
    .insertInto('order_remarks')
    .values({
      shop_id: r.shopId,
      order_id: r.orderId,
      actor_id: r.actorId,
      author: r.author,
      flag: r.flag,
      text: r.text,
      created_at: iso(r.at),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, author: r.author, flag: r.flag, text: r.text, createdAt: r.at };
}

/**
 * A milestone remark on the order (with its order event) unless one with this text was written since `since`:
 * on PostgreSQL one statement (issue 16 §2), on SQLite a look and then the two writes. Answers whether it wrote.
 */
export async function insertMilestoneRemarkOnce(
  db: Q,
  r: { shopId: number; orderId: number; actorId: number | null; author: string; flag: number; text: string; at: Date; since: Date; actorRole: string; orderStatus: string },
): Promise<boolean> {
  // the text is the caller's constant (no LIKE wildcards in it)
  const like = `%${r.text}%`;
  if (!canLockRows(db)) {
    const already = await db
      .selectFrom('order_remarks')
      .select('id')
      .where('order_id', '=', r.orderId)
      .where('text', 'like', like)
      .where('created_at', '>=', iso(r.since))
      .executeTakeFirst();
    if (already) return false;
    const remark = await insertRemark(db, r);
    await insertOrderEvent(db, {
      shopId: r.shopId,
      orderId: r.orderId,
      at: r.at,
      actorId: r.actorId,
      actorRole: r.actorRole,
      action: 'remark',
      fromStatus: r.orderStatus,
      toStatus: r.orderStatus,
      data: { remarkId: remark.id, milestone: true },
    });
    return true;
  }
  const result = await db
    .with('remarked', (qc) =>
      qc
        .insertInto('order_remarks')
        .columns(['shop_id', 'order_id', 'actor_id', 'author', 'flag', 'text', 'created_at'])
        .expression(
          sql`select ${r.shopId}::integer, ${r.orderId}::integer, ${r.actorId}::integer, ${r.author}::text, ${r.flag}::integer, ${r.text}::text, ${iso(r.at)}::text
            where not exists (select 1 from order_remarks where order_id = ${r.orderId}::integer and text like ${like}::text and created_at >= ${iso(r.since)}::text)`,
        )
        .returning('id'),
    )
    .insertInto('order_events')
    .columns(['shop_id', 'order_id', 'at', 'actor_id', 'actor_role', 'action', 'from_status', 'to_status', 'data'])
    .expression((eb) =>
      eb
        .selectFrom('remarked')
        .select([
          sql<number>`${r.shopId}::integer`.as('shop_id'),
          sql<number>`${r.orderId}::integer`.as('order_id'),
          sql<string>`${iso(r.at)}::text`.as('at'),
          sql<number | null>`${r.actorId}::integer`.as('actor_id'),
          sql<string>`${r.actorRole}::text`.as('actor_role'),
          sql<string>`'remark'`.as('action'),
          sql<string>`${r.orderStatus}::text`.as('from_status'),
          sql<string>`${r.orderStatus}::text`.as('to_status'),
          // the same JSON as JSON.stringify({ remarkId, milestone: true })
          sql<string>`'{"remarkId":' || remarked.id || ',"milestone":true}'`.as('data'),
        ]),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows) === 1;
}

/** The order's remarks, oldest first (they are append-only). */
export async function listRemarks(db: Q, orderId: number): Promise<OrderRemark[]> {
  const rows = await db.selectFrom('order_remarks').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, author: r.author, flag: r.flag, text: r.text, createdAt: new Date(r.created_at) }));
}

export async function insertOrderEvent(
  db: Q,
  e: {
    shopId: number;
    orderId: number;
    at: Date;
    actorId: number | null;
    actorRole: string;
    action: string;
    fromStatus: string | null;
    toStatus: string | null;
    data: Record<string, unknown>;
  },
): Promise<void> {
  const values = {
    shop_id: e.shopId,
    order_id: e.orderId,
    at: iso(e.at),
    actor_id: e.actorId,
    actor_role: e.actorRole,
    action: e.action,
    from_status: e.fromStatus,
    to_status: e.toStatus,
    data: JSON.stringify(e.data),
  };
  if (!canLockRows(db)) await writeRow(db, { insert: 'order_events', values });
  else await db.insertInto('order_events').values(values).execute();
}

export interface OrderEvent {
  id: number;
  at: Date;
  actorRole: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  data: Record<string, unknown>;
}

export async function listOrderEvents(db: Q, orderId: number): Promise<OrderEvent[]> {
  const rows = await db.selectFrom('order_events').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    at: new Date(r.at),
    actorRole: r.actor_role,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    data: JSON.parse(r.data) as Record<string, unknown>,
  }));
}
