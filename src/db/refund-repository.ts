/** Refunds, their events and payouts: plain functions over a Kysely (or a transaction). */
import { sql, type Insertable, type QueryCreator, type Selectable, type SelectQueryBuilder } from 'kysely';
import {
  isOpenStatus,
  type DeadlineEffect,
  type DeadlineKind,
  type GoodsStatus,
  type InterventionOutcome,
  type InterventionState,
  type ReasonCode,
  type Refund,
  type RefundPhase,
  type TradeStatus,
  type RefundStatus,
  type RefundType,
  type SyncState,
} from '../core/refund/refund-model.ts';
import { canLockRows, insertPayoutAndMoveOrder, payoutCtes, type PayoutWrite, type Q } from './order-repository.ts';
import { auditRowCtes, writeAuditRow, type PreparedAuditRow } from './audit-repository.ts';
import { NO_DEADLINE, type Database, type RefundEventTable, type RefundTable } from './schema.ts';
import { precompiled, writeRow } from './precompiled.ts';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s === null ? null : new Date(s));

export function refundRowToRefund(row: Selectable<RefundTable>): Refund {
  return {
    id: row.id,
    shopId: row.shop_id,
    orderNo: row.order_no,
    lineNo: row.line_no,
    type: row.type as RefundType,
    goodsStatus: row.goods_status as GoodsStatus,
    phase: row.phase as RefundPhase,
    reason: row.reason as ReasonCode,
    amountFen: Number(row.amount_fen),
    description: row.description,
    evidence: JSON.parse(row.evidence) as string[],
    status: row.status as RefundStatus,
    intervention: {
      state: row.intervention_state as InterventionState,
      requestedAt: date(row.intervention_requested_at),
      outcome: row.intervention_outcome as InterventionOutcome | null,
      decidedAt: date(row.intervention_decided_at),
      note: row.intervention_note,
    },
    returnAddress: row.return_address,
    returnShipment:
      row.return_courier !== null && row.return_tracking_no !== null && row.return_shipped_at !== null
        ? { courier: row.return_courier, trackingNo: row.return_tracking_no, shippedAt: new Date(row.return_shipped_at) }
        : null,
    refusal:
      row.refusal_reason !== null && row.refused_at !== null
        ? { reason: row.refusal_reason, evidence: JSON.parse(row.refusal_evidence ?? '[]') as string[], at: new Date(row.refused_at) }
        : null,
    deadline:
      row.deadline_kind !== null
        ? {
            kind: row.deadline_kind as DeadlineKind,
            at: date(row.deadline_at),
            effect: row.deadline_effect as DeadlineEffect,
            problem: row.deadline_problem ? (JSON.parse(row.deadline_problem) as { code: string; message: string }) : null,
          }
        : null,
    closeReason: row.close_reason,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    version: row.version,
    platform: row.platform_refund_id
      ? {
          refundId: row.platform_refund_id,
          status: row.platform_status ?? null,
          version: row.platform_version ?? null,
          modifiedAt: date(row.platform_modified ?? null),
          timeout: row.platform_timeout_at ? { at: new Date(row.platform_timeout_at), kind: row.platform_timeout_kind ?? null } : null,
          reasonText: row.platform_reason ?? null,
          sync: row.sync_state ? { state: row.sync_state as SyncState, message: row.sync_message ?? null } : null,
        }
      : null,
  };
}

/** The columns that change over a refund's life. */
function refundState(r: Omit<Refund, 'id'>) {
  return {
    line_no: r.lineNo,
    type: r.type,
    goods_status: r.goodsStatus,
    phase: r.phase,
    reason: r.reason,
    amount_fen: r.amountFen,
    description: r.description,
    evidence: JSON.stringify(r.evidence),
    status: r.status,
    is_open: isOpenStatus(r.status) ? 1 : 0,
    intervention_state: r.intervention.state,
    intervention_requested_at: isoOrNull(r.intervention.requestedAt),
    intervention_outcome: r.intervention.outcome,
    intervention_decided_at: isoOrNull(r.intervention.decidedAt),
    intervention_note: r.intervention.note,
    return_address: r.returnAddress,
    return_courier: r.returnShipment?.courier ?? null,
    return_tracking_no: r.returnShipment?.trackingNo ?? null,
    return_shipped_at: isoOrNull(r.returnShipment?.shippedAt),
    refusal_reason: r.refusal?.reason ?? null,
    refusal_evidence: r.refusal ? JSON.stringify(r.refusal.evidence) : null,
    refused_at: isoOrNull(r.refusal?.at),
    deadline_kind: r.deadline?.kind ?? null,
    deadline_at: isoOrNull(r.deadline?.at),
    deadline_effect: r.deadline?.effect ?? null,
    deadline_problem: r.deadline?.problem ? JSON.stringify(r.deadline.problem) : null,
    sort_deadline: isoOrNull(r.deadline?.at) ?? NO_DEADLINE,
    close_reason: r.closeReason,
    updated_at: iso(r.updatedAt),
    version: r.version,
  };
}

export async function insertRefund(db: Q, r: Omit<Refund, 'id'>, orderId: number): Promise<Refund> {
  const row = await db
    .insertInto('refunds')
    .values({ shop_id: r.shopId, order_id: orderId, order_no: r.orderNo, created_at: iso(r.createdAt), ...refundState(r) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...r, id: row.id };
}

/**
 * Saves the refund if its version is still `expectedVersion`; false when somebody changed it first.
 * Given the refund as it was read, only the columns that changed are written.
 */
export async function updateRefund(db: Q, r: Refund, expectedVersion: number, before?: Refund, ruleSetVersion?: number): Promise<boolean> {
  if (!canLockRows(db)) {
    // SQLite: the same statement without the query builder (the write path, issue 16 §2)
    const set = changedColumns(r, before, ruleSetVersion);
    return (await writeRow(db, { update: 'refunds', set, where: { id: r.id, version: expectedVersion } })) === 1;
  }
  const result = await db
    .updateTable('refunds')
    .set(changedColumns(r, before, ruleSetVersion))
    .where('id', '=', r.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The refund's columns to write: all of them, or given the refund as it was read, those that changed. */
function changedColumns(r: Refund, before: Refund | undefined, ruleSetVersion: number | undefined) {
  const next = refundState(r);
  let set: Partial<typeof next> = next;
  if (before) {
    const old = refundState(before);
    set = {};
    for (const key of Object.keys(next) as (keyof typeof next)[]) {
      if (next[key] !== old[key]) (set as Record<string, unknown>)[key] = next[key];
    }
  }
  return ruleSetVersion === undefined ? set : { ...set, rule_set_version: ruleSetVersion };
}

/**
 * updateRefund and insertRefundEvent in one statement on PostgreSQL (a data-modifying CTE: the event is inserted
 * only when the update matched the version), one round trip fewer on every action (issue 16 §2), with the
 * action's audit row and, for a refund that pays, its payout and the order's move in the same statement.
 * `refund` is false when somebody changed the refund first, `order` false when the order moved meanwhile (the
 * caller rolls back either way). SQLite (no DML in a CTE, and no round trips to save) runs them one by one.
 */
export async function updateRefundWithEvent(
  db: Q,
  change: { refund: Refund; expectedVersion: number; before: Refund; ruleSetVersion?: number | undefined },
  e: Omit<RefundEvent, 'id'> & { shopId: number; refundId: number },
  /** the action's audit row, written in the same statement (PostgreSQL; on a stale version the caller rolls back) */
  audit?: PreparedAuditRow,
  payout?: PayoutWrite,
): Promise<{ refund: boolean; order: boolean }> {
  if (!canLockRows(db)) {
    if (!(await updateRefund(db, change.refund, change.expectedVersion, change.before, change.ruleSetVersion))) return { refund: false, order: true };
    await insertRefundEvent(db, e);
    if (audit) await writeAuditRow(db, audit);
    const order = payout ? await insertPayoutAndMoveOrder(db, payout.payout, payout.move) : true;
    return { refund: true, order };
  }
  const ctes = audit ? auditRowCtes(audit) : null;
  // the audit CTEs are not referenced by the rest of the statement (PostgreSQL runs every data-modifying CTE)
  const withAudit: QueryCreator<Database> = ctes
    ? (db.with('audit_row', ctes.row).with('audit_moved', (qc) => ctes.head(qc as unknown as QueryCreator<Database>)) as unknown as QueryCreator<Database>)
    : db;
  let withChange = withAudit.with('changed', (qb) =>
    qb
      .updateTable('refunds')
      .set(changedColumns(change.refund, change.before, change.ruleSetVersion))
      .where('id', '=', change.refund.id)
      .where('version', '=', change.expectedVersion)
      .returning('id'),
  ) as unknown as QueryCreator<Database>;
  const pay = payout ? payoutCtes(payout, 'changed') : null;
  if (pay) {
    withChange = withChange.with('paid', pay.paid) as unknown as QueryCreator<Database>;
    if (pay.moved && pay.movedEvent) {
      const movedEvent = pay.movedEvent;
      withChange = withChange.with('moved', pay.moved) as unknown as QueryCreator<Database>;
      withChange = withChange.with('moved_event', (qc) => movedEvent(qc as unknown as QueryCreator<Database>)) as unknown as QueryCreator<Database>;
    }
  }
  const result = await withChange
    .insertInto('refund_events')
    .columns(['shop_id', 'refund_id', 'version', 'at', 'actor_id', 'actor_role', 'action', 'from_status', 'to_status', 'changes', 'data'])
    .expression(
      sql`select ${e.shopId}::integer, id, ${e.version}::integer, ${iso(e.at)}::text, ${e.actorId}::integer, ${e.actorRole}::text, ${e.action}::text,
        ${e.fromStatus}::text, ${e.toStatus}::text, ${JSON.stringify(e.changes)}::text, ${JSON.stringify(e.data)}::text from changed`,
    )
    .returning(pay?.moved ? sql<number>`(select count(*) from moved)::integer`.as('moved') : sql<number>`1`.as('moved'))
    .executeTakeFirst();
  if (!result) return { refund: false, order: true };
  return { refund: true, order: Number(result.moved) === 1 };
}

export async function findRefund(db: Q, options: { shopId: number; refundId: number }): Promise<(Refund & { orderId: number }) | null> {
  const row = await db
    .selectFrom('refunds')
    .selectAll()
    .where('shop_id', '=', options.shopId)
    .where('id', '=', options.refundId)
    .executeTakeFirst();
  return row ? { ...refundRowToRefund(row), orderId: row.order_id } : null;
}

/**
 * Every refund of an order and, in the same statement, the head of the shop's rule set (its id and version,
 * null before the shop saved one): what a refund action reads after locking the order (issue 16 §2). With
 * `chainHead`, the same statement also takes the head of an audit chain for the action's audit row (PostgreSQL: a
 * free chain's, locked; SQLite: its one chain's).
 */
type RefundsWithHeadsRow = Selectable<RefundTable> & {
  rs_id: number | null;
  rs_version: number | null;
  h_chain?: number | null;
  h_last_hash?: string | null;
  h_last_seq?: number | null;
  h_next_id?: string | null;
};
type ChainHeadBuilder = (qc: QueryCreator<Database>) => ChainHeadQuery;
/** each chain-head builder its own template (there is one in practice: audit.ts's freeChainHeadQuery) */
const chainHeadBuilders: ChainHeadBuilder[] = [];

/** The order's refunds with the rule set's head (and an audit chain's head): built once per shape, see precompiled.ts. */
const refundsWithHeadsQuery = precompiled(['orderId', 'shopId'] as const, (db: Q, p: { orderId: number; shopId: number }, variant) => {
  const head = (column: 'id' | 'version') => db.selectFrom('rule_sets').select(column).where('shop_id', '=', p.shopId).orderBy('version', 'desc').limit(1);
  const ruleSet = [head('id').as('rs_id'), head('version').as('rs_version')] as const;
  const [kind, index] = variant.split(':');
  const chainHead = chainHeadBuilders[Number(index)];
  if (kind === 'chain' && chainHead && canLockRows(db)) {
    return db
      .with('h', chainHead)
      .selectFrom('refunds')
      .leftJoin('h', (j) => j.onTrue())
      .selectAll('refunds')
      .select([...ruleSet, 'h.h_chain', 'h.h_last_hash', 'h.h_last_seq', 'h.h_next_id'])
      .where('order_id', '=', p.orderId)
      .orderBy('id')
      .$castTo<RefundsWithHeadsRow>();
  }
  if (kind === 'chain') {
    // SQLite: its one chain's head (the transaction holds the database, so it cannot move meanwhile)
    return db
      .selectFrom('refunds')
      .selectAll('refunds')
      .select([
        ...ruleSet,
        sql<number>`1`.as('h_chain'),
        sql<string>`(select last_hash from audit_head where id = 1)`.as('h_last_hash'),
        sql<number>`(select last_seq from audit_head where id = 1)`.as('h_last_seq'),
        sql<string>`(select last_id + 1 from audit_head where id = 1)`.as('h_next_id'),
      ])
      .where('order_id', '=', p.orderId)
      .orderBy('id')
      .$castTo<RefundsWithHeadsRow>();
  }
  return db.selectFrom('refunds').selectAll('refunds').select(ruleSet).where('order_id', '=', p.orderId).orderBy('id').$castTo<RefundsWithHeadsRow>();
});

export async function listRefundsOfOrderWithRuleSet(
  db: Q,
  options: { orderId: number; shopId: number; chainHead?: ChainHeadBuilder },
): Promise<{
  refunds: Refund[];
  ruleSetHead: { id: number; version: number } | null;
  chainHead: { chain: number; last_hash: string; last_seq: number; next_id: number } | null;
}> {
  let variant = 'plain';
  if (options.chainHead) {
    let index = chainHeadBuilders.indexOf(options.chainHead);
    if (index < 0) index = chainHeadBuilders.push(options.chainHead) - 1;
    variant = `chain:${index}`;
  }
  const rows = await refundsWithHeadsQuery.execute(db, { orderId: options.orderId, shopId: options.shopId }, variant);
  const first = rows[0];
  const ruleSetHead = first && first.rs_id !== null && first.rs_version !== null ? { id: Number(first.rs_id), version: Number(first.rs_version) } : null;
  const chainHead =
    first && first.h_chain !== undefined && first.h_chain !== null
      ? { chain: Number(first.h_chain), last_hash: first.h_last_hash!, last_seq: Number(first.h_last_seq), next_id: Number(first.h_next_id) }
      : null;
  return { refunds: rows.map(refundRowToRefund), ruleSetHead, chainHead };
}

/** The shape of audit.ts's freeChainHeadQuery (the repository does not import the app layer). */
type ChainHeadQuery = SelectQueryBuilder<Database, 'audit_head', { h_chain: number; h_last_hash: string; h_last_seq: number; h_next_id: string }>;

export async function listRefundsOfOrder(db: Q, orderId: number): Promise<Refund[]> {
  const rows = await db.selectFrom('refunds').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
  return rows.map(refundRowToRefund);
}

export interface RefundListFilter {
  shopId: number;
  statuses?: RefundStatus[] | undefined;
  open?: boolean | undefined;
  type?: RefundType | undefined;
  reasons?: ReasonCode[] | undefined;
  phase?: RefundPhase | undefined;
  goodsStatus?: GoodsStatus | undefined;
  orderNo?: string | undefined;
  /** the return shipment's tracking number, exactly */
  trackingNo?: string | undefined;
  /** the order's buyer phone, by its key (orders.buyer_phone_key; phoneSearchKey makes the caller's) */
  buyerPhoneKey?: string | undefined;
  /** refunds assigned to this user, or (null) to nobody */
  assigneeUserId?: number | null | undefined;
  buyerNick?: string | undefined;
  /** a buyer portal session: this one order only */
  orderId?: number | undefined;
  deadlineBefore?: Date | undefined;
  createdFrom?: Date | undefined;
  /** the order's trade status (S1.1: WAIT_SELLER_SEND_GOODS, the unshipped refunds) */
  orderStatus?: TradeStatus | undefined;
  after?: { sortDeadline: string; id: number } | undefined;
  /** these refunds only (an export of the rows selected) */
  ids?: readonly number[] | undefined;
  limit: number;
}

/** A refund row of the queue, with who works it (the assignment's user, if any). */
export type RefundListRow = Selectable<RefundTable> & { assignee_user_id: number | null; assignee_display_name: string | null };

/**
 * The refunds a filter starts from: all of them, or (the phone filter, issue 16 §1) those of the shop's orders of
 * that number, read first: orders_buyer_phone gives the orders, refunds_order their refunds' ids, and each refund is
 * read by its id. CROSS JOIN keeps SQLite to that order: asked as `order_id in (…)`, SQLite (no statistics) walked
 * the shop's refunds by deadline (or by status, or open) and probed each, 36 ms at 200,000 refunds and growing with
 * the shop. PostgreSQL plans it as an inner join, on its statistics. The builder is typed as the refunds alone: the
 * filter and the list name no other table.
 */
function refundsToFilter(db: Q, f: Pick<RefundListFilter, 'shopId' | 'buyerPhoneKey'>): SelectQueryBuilder<Database, 'refunds', object> {
  if (!f.buyerPhoneKey) return db.selectFrom('refunds');
  const ofPhone = db
    .selectFrom('orders as po')
    .innerJoin('refunds as pr', 'pr.order_id', 'po.id')
    .select('pr.id')
    .where('po.shop_id', '=', f.shopId)
    .where('po.buyer_phone_key', '=', f.buyerPhoneKey)
    .as('phone_refunds');
  return db.selectFrom(ofPhone).crossJoin('refunds').whereRef('refunds.id', '=', 'phone_refunds.id') as unknown as SelectQueryBuilder<Database, 'refunds', object>;
}

/**
 * A shop's refunds (joined with who works them, `ra`) narrowed by the filter: for the list and for its count.
 * One status reads refunds_status in the queue's order; a filter of several open statuses also says
 * is_open = 1 (the same rows): the queue's index (shop_id, is_open, sort_deadline, id) then bounds the
 * scan to the shop's open refunds.
 */
function filteredRefunds(db: Q, f: Omit<RefundListFilter, 'limit' | 'after'>) {
  let q = refundsToFilter(db, f).leftJoin('refund_assignments as ra', 'ra.refund_id', 'refunds.id').where('refunds.shop_id', '=', f.shopId);
  // the status decides is_open (the write path sets one from the other): open or closed only narrows the statuses asked
  const statuses = f.statuses && f.statuses.length > 0 && f.open !== undefined ? f.statuses.filter((s) => isOpenStatus(s) === f.open) : f.statuses;
  const only = statuses?.length === 1 ? statuses[0] : undefined;
  if (only) {
    // one status: refunds_status (shop_id, status, sort_deadline, id) reads it in the queue's order. Saying is_open too
    // made PostgreSQL, which cannot know that the two agree, AND that index with is_open's and sort (issue 16 §1)
    q = q.where('refunds.status', '=', only);
  } else {
    const open = f.open ?? (statuses && statuses.length > 0 && statuses.every(isOpenStatus) ? true : undefined);
    if (open !== undefined) q = q.where('refunds.is_open', '=', open ? 1 : 0);
    if (f.statuses && f.statuses.length > 0) q = q.where('refunds.status', 'in', f.statuses);
  }
  if (f.ids && f.ids.length > 0) q = q.where('refunds.id', 'in', f.ids);
  if (f.type) q = q.where('refunds.type', '=', f.type);
  if (f.reasons && f.reasons.length > 0) q = q.where('refunds.reason', 'in', f.reasons);
  if (f.phase) q = q.where('refunds.phase', '=', f.phase);
  if (f.goodsStatus) q = q.where('refunds.goods_status', '=', f.goodsStatus);
  if (f.orderNo) q = q.where('refunds.order_no', '=', f.orderNo);
  if (f.trackingNo) q = q.where('refunds.return_tracking_no', '=', f.trackingNo);
  if (f.assigneeUserId === null) q = q.where('ra.refund_id', 'is', null);
  else if (f.assigneeUserId !== undefined) q = q.where('ra.user_id', '=', f.assigneeUserId);
  if (f.orderId !== undefined) q = q.where('refunds.order_id', '=', f.orderId);
  if (f.deadlineBefore) q = q.where('refunds.sort_deadline', '<', iso(f.deadlineBefore));
  if (f.createdFrom) q = q.where('refunds.created_at', '>=', iso(f.createdFrom));
  if (f.orderStatus) {
    const status = f.orderStatus;
    // the shop's orders in that status (orders_status: shop_id, status, id): the planner starts from them when they are
    // fewer than the refunds already narrowed, else looks each refund's order up (PostgreSQL, estimating the two apart,
    // looked up every waiting refund's order for 今日未发退 when it could not start from the orders; issue 16 §1)
    q = q.where('refunds.order_id', 'in', (eb) => eb.selectFrom('orders').select('orders.id').where('orders.shop_id', '=', f.shopId).where('orders.status', '=', status));
  }
  if (f.buyerNick) {
    const nick = f.buyerNick;
    q = q.where('refunds.order_id', 'in', (eb) =>
      eb.selectFrom('orders').select('orders.id').where('orders.shop_id', '=', f.shopId).where('orders.buyer_nick', '=', nick),
    );
  }
  return q;
}

/** A shop's refunds sorted by deadline (soonest first, none last), then id; keyset pagination. One query. */
export async function listRefunds(db: Q, f: RefundListFilter): Promise<RefundListRow[]> {
  let query = filteredRefunds(db, f);
  if (f.after) {
    const a = f.after;
    query = query.where((eb) =>
      eb.or([
        eb('refunds.sort_deadline', '>', a.sortDeadline),
        eb.and([eb('refunds.sort_deadline', '=', a.sortDeadline), eb('refunds.id', '>', a.id)]),
      ]),
    );
  }
  return query
    .leftJoin('users as assignee', 'assignee.id', 'ra.user_id')
    .selectAll('refunds')
    .select(['ra.user_id as assignee_user_id', 'assignee.display_name as assignee_display_name'])
    .orderBy('refunds.sort_deadline')
    .orderBy('refunds.id')
    .limit(f.limit)
    .execute();
}

/** How many refunds the filter holds (the queue's view tabs, the export's cap). One query on the same indexes as the list. */
export async function countRefunds(db: Q, f: Omit<RefundListFilter, 'limit' | 'after'>): Promise<number> {
  const row = await filteredRefunds(db, f).select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Refunds whose deadline has passed and does something, oldest first (the sweeper's work). */
export async function listDueRefunds(db: Q, options: { now: Date; limit: number }): Promise<{ id: number; shopId: number }[]> {
  const rows = await db
    .selectFrom('refunds')
    .select(['id', 'shop_id'])
    .where('is_open', '=', 1)
    .where('deadline_at', '<=', iso(options.now))
    .where('deadline_effect', '!=', 'none')
    // a deadline marked with a problem waits for a person (see sweepDueDeadlines)
    .where('deadline_problem', 'is', null)
    .orderBy('deadline_at')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({ id: r.id, shopId: r.shop_id }));
}

/** Locks a refund row for the rest of the transaction (PostgreSQL) and reads it. */
export async function lockRefund(db: Q, refundId: number): Promise<(Refund & { orderId: number }) | null> {
  let query = db.selectFrom('refunds').selectAll().where('id', '=', refundId);
  if (canLockRows(db)) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? { ...refundRowToRefund(row), orderId: row.order_id } : null;
}

export interface RefundEvent {
  id: number;
  version: number;
  at: Date;
  actorId: number | null;
  actorRole: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  data: Record<string, unknown>;
}

export async function insertRefundEvent(db: Q, e: Omit<RefundEvent, 'id'> & { shopId: number; refundId: number }): Promise<void> {
  const values = {
    shop_id: e.shopId,
    refund_id: e.refundId,
    version: e.version,
    at: iso(e.at),
    actor_id: e.actorId,
    actor_role: e.actorRole,
    action: e.action,
    from_status: e.fromStatus,
    to_status: e.toStatus,
    changes: JSON.stringify(e.changes),
    data: JSON.stringify(e.data),
  } satisfies Insertable<RefundEventTable>;
  if (!canLockRows(db)) await writeRow(db, { insert: 'refund_events', values });
  else await db.insertInto('refund_events').values(values).execute();
}

export async function listRefundEvents(db: Q, refundId: number): Promise<RefundEvent[]> {
  const rows = await db.selectFrom('refund_events').selectAll().where('refund_id', '=', refundId).orderBy('version').execute();
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    at: new Date(r.at),
    actorId: r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    changes: JSON.parse(r.changes) as RefundEvent['changes'],
    data: JSON.parse(r.data) as Record<string, unknown>,
  }));
}

export async function insertPayout(db: Q, p: { refundId: number; shopId: number; orderId: number; amountFen: number; at: Date }): Promise<void> {
  await db
    .insertInto('payouts')
    .values({ refund_id: p.refundId, shop_id: p.shopId, order_id: p.orderId, amount_fen: p.amountFen, at: iso(p.at) })
    .execute();
}
