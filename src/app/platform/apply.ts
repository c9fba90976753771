/**
 * The one upsert path of platform records (issue 12 §3–4, shared with the
 * spreadsheet import): an order or a refund as the platform has it now,
 * applied only when it is newer than what shouhou holds (the platform's
 * modified time, and for a refund its refund_version), so duplicated and
 * reordered notices and overlapping pulls converge on the same state. Each
 * call runs inside the caller's transaction, with its event and audit row.
 */
import { AppError } from '../../core/errors.ts';
import type { Order, OrderLine, Refund, RefundStatus } from '../../core/refund/refund-model.ts';
import { isOpenStatus, type Deadline, type DeadlineKind } from '../../core/refund/refund-model.ts';
import type { Actor } from '../../core/roles.ts';
import { canLockRows, insertOrder, insertOrderEvent, type Q } from '../../db/order-repository.ts';
import { insertPayout, insertRefund, insertRefundEvent, refundRowToRefund, updateRefund } from '../../db/refund-repository.ts';
import type { PlatformOrder, PlatformRefund } from '../../platform/connector.ts';
import { appendAudit, auditActor } from '../audit.ts';
import { diffFields } from '../diff.ts';

export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'skipped';

/** Where a record came from: the platform itself, or a spreadsheet the shop exported from it. */
export type RecordSource = 'taobao' | 'tmall' | 'import';

/** The connector acting in a shop: the platform's changes are its changes. */
export function platformActor(shopId: number, source: RecordSource): Actor {
  const name = source === 'import' ? '表格导入' : source === 'tmall' ? '天猫同步' : '淘宝同步';
  return { id: 0, shopId, role: 'system', name, buyerNick: null, kind: 'system' };
}

/** Refund versions are millisecond counters above 2^53 at times: compared as big integers. */
export function isNewerVersion(candidate: string | null, held: string | null): boolean {
  if (held === null || !/^\d+$/.test(held)) return true;
  if (candidate === null || !/^\d+$/.test(candidate)) return false;
  return BigInt(candidate) > BigInt(held);
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Applies an order snapshot: created, updated, unchanged (not newer, or the same), or skipped (not paid yet). */
export async function applyPlatformOrder(
  trx: Q,
  options: { shopId: number; source: RecordSource; order: PlatformOrder; now: Date },
): Promise<{ outcome: ApplyOutcome; orderId: number | null }> {
  const { shopId, order: snap, now } = options;
  const actor = platformActor(shopId, options.source);
  let query = trx.selectFrom('orders').selectAll().where('shop_id', '=', shopId).where('order_no', '=', snap.platformOrderId);
  if (canLockRows(trx)) query = query.forUpdate();
  const existing = await query.executeTakeFirst();
  if (snap.status === null) return { outcome: existing ? 'unchanged' : 'skipped', orderId: existing?.id ?? null };
  // TOP's modified time has whole seconds: a snapshot of the same second is applied again (it was read after
  // the one held, and applying the same state twice changes nothing); only an older one is ignored
  if (existing?.platform_modified && existing.platform_modified > snap.modifiedAt.toISOString()) return { outcome: 'unchanged', orderId: existing.id };

  const styles = await stylesOf(trx, shopId, snap.lines.map((l) => l.sku));
  const oldLines = existing ? await trx.selectFrom('order_lines').selectAll().where('order_id', '=', existing.id).execute() : [];
  let nextLineNo = oldLines.reduce((m, l) => Math.max(m, l.line_no), 0) + 1;
  // a held line without the platform's own line id (an export without 子订单编号 gives `<order>-<n>`) is the
  // same line as the platform's of the same SKU (else the same place): adopted, never added beside it
  const matched = new Set<number>();
  const byId = (l: PlatformOrder['lines'][number]) => oldLines.find((o) => o.platform_line_id === l.platformLineId);
  for (const l of snap.lines) {
    const o = byId(l);
    if (o) matched.add(o.line_no);
  }
  const provisional = (o: (typeof oldLines)[number]) => !matched.has(o.line_no) && (o.platform_line_id === null || o.platform_line_id === undefined || !/^\d+$/.test(o.platform_line_id));
  const adopt = (l: PlatformOrder['lines'][number], position: number) => {
    const o = oldLines.find((x) => provisional(x) && x.sku === l.sku) ?? oldLines.filter(provisional).sort((a, b) => a.line_no - b.line_no)[0];
    if (o && (o.sku === l.sku || position < oldLines.length)) {
      matched.add(o.line_no);
      return o;
    }
    return undefined;
  };
  const lines = snap.lines.map((l, position) => {
    const kept = byId(l) ?? adopt(l, position);
    const lineNo = kept ? kept.line_no : nextLineNo++;
    return { lineNo, platformLineId: l.platformLineId, paidFen: l.paidFen, line: { lineNo, sku: l.sku, title: l.title, style: l.style || styles.get(l.sku) || '', size: l.size, unitPriceFen: l.unitPriceFen, quantity: l.quantity } satisfies OrderLine };
  });
  // lines the platform no longer lists (rare) stay, so that a refund's line number keeps its meaning
  const referenced = new Set(existing ? (await trx.selectFrom('refunds').select('line_no').where('order_id', '=', existing.id).execute()).map((r) => r.line_no) : []);
  for (const old of oldLines) {
    if (!lines.some((l) => l.lineNo === old.line_no)) {
      // a provisional line (from an export) the platform's lines replaced is not kept beside them
      if (old.platform_line_id && !/^\d+$/.test(old.platform_line_id) && snap.lines.every((l) => /^\d+$/.test(l.platformLineId)) && !referenced.has(old.line_no)) continue;
      lines.push({
        lineNo: old.line_no,
        platformLineId: old.platform_line_id ?? '',
        paidFen: old.paid_fen === null || old.paid_fen === undefined ? null : Number(old.paid_fen),
        line: { lineNo: old.line_no, sku: old.sku, title: old.title, style: old.style, size: old.size, unitPriceFen: Number(old.unit_price_fen), quantity: old.quantity },
      });
    }
  }
  // S1.15: a sign time held for the same parcel (recorded from its trace, or told before) stays while the platform
  // tells none (TOP tells one only for TRADE_BUYER_SIGNED; a trade waiting for the buyer's confirmation was often signed for)
  const keptSignedAt = existing?.signed_at && snap.shipment && existing.tracking_no === snap.shipment.trackingNo ? existing.signed_at : null;
  const state = {
    buyer_nick: snap.buyer.nick,
    buyer_name: snap.buyer.name,
    buyer_phone: snap.buyer.phone,
    province: snap.buyer.address.province,
    city: snap.buyer.address.city,
    district: snap.buyer.address.district,
    address_detail: snap.buyer.address.detail,
    paid_fen: snap.paidFen,
    postage_fen: snap.postageFen,
    status: snap.status,
    courier: snap.shipment?.courier ?? null,
    tracking_no: snap.shipment?.trackingNo ?? null,
    shipped_at: iso(snap.shipment?.shippedAt),
    signed_at: iso(snap.shipment?.signedAt) ?? keptSignedAt,
    finished_at: iso(snap.finishedAt),
  };

  let orderId: number;
  let outcome: ApplyOutcome;
  if (!existing) {
    const order: Omit<Order, 'id'> = {
      shopId,
      orderNo: snap.platformOrderId,
      buyer: snap.buyer,
      lines: lines.map((l) => l.line).sort((a, b) => a.lineNo - b.lineNo),
      paidFen: snap.paidFen,
      postageFen: snap.postageFen,
      escrow: true,
      status: snap.status,
      shipment: snap.shipment,
      createdAt: snap.paidAt ?? snap.createdAt,
      updatedAt: now,
      finishedAt: snap.finishedAt,
      version: 1,
    };
    orderId = (await insertOrder(trx, order)).id;
    outcome = 'created';
  } else {
    orderId = existing.id;
    const changed =
      (Object.keys(state) as (keyof typeof state)[]).some((k) => String(existing[k] ?? '') !== String(state[k] ?? '')) ||
      lines.length !== oldLines.length ||
      lines.some((l) => {
        const o = oldLines.find((x) => x.line_no === l.lineNo);
        return !o || o.sku !== l.line.sku || o.size !== l.line.size || Number(o.unit_price_fen) !== l.line.unitPriceFen || o.quantity !== l.line.quantity || (o.paid_fen === null ? null : Number(o.paid_fen)) !== l.paidFen;
      });
    if (changed) {
      await trx.updateTable('orders').set({ ...state, updated_at: now.toISOString(), version: existing.version + 1 }).where('id', '=', orderId).execute();
      await trx.deleteFrom('order_lines').where('order_id', '=', orderId).execute();
      await trx
        .insertInto('order_lines')
        .values(lines.map((l) => ({ order_id: orderId, line_no: l.lineNo, sku: l.line.sku, title: l.line.title, style: l.line.style, size: l.line.size, unit_price_fen: l.line.unitPriceFen, quantity: l.line.quantity })))
        .execute();
    }
    outcome = changed ? 'updated' : 'unchanged';
  }
  await trx
    .updateTable('orders')
    .set({ source: options.source, platform_status: snap.platformStatus, platform_modified: snap.modifiedAt.toISOString() })
    .where('id', '=', orderId)
    .execute();
  for (const l of lines) {
    await trx.updateTable('order_lines').set({ platform_line_id: l.platformLineId || null, paid_fen: l.paidFen }).where('order_id', '=', orderId).where('line_no', '=', l.lineNo).execute();
  }
  if (outcome === 'unchanged') return { outcome, orderId };

  await insertOrderEvent(trx, {
    shopId,
    orderId,
    at: now,
    actorId: null,
    actorRole: 'system',
    action: 'platform_sync',
    fromStatus: existing?.status ?? null,
    toStatus: snap.status,
    data: { source: options.source, platformStatus: snap.platformStatus, modifiedAt: snap.modifiedAt.toISOString() },
  });
  // the seller's remark on the platform, when it says something new (our own remarks sent there come back the same)
  if (snap.sellerMemo && snap.sellerMemo.text.trim()) {
    const last = await trx.selectFrom('order_remarks').select('text').where('order_id', '=', orderId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    if (last?.text !== snap.sellerMemo.text) {
      await trx
        .insertInto('order_remarks')
        .values({ shop_id: shopId, order_id: orderId, actor_id: null, author: actor.name, flag: snap.sellerMemo.flag, text: snap.sellerMemo.text.slice(0, 1000), created_at: now.toISOString() })
        .execute();
    }
  }
  await appendAudit(trx, {
    at: now,
    ...auditActor(actor),
    action: 'order.platform_sync',
    targetType: 'order',
    targetId: snap.platformOrderId,
    outcome: 'ok',
    details: { outcome, from: existing?.status ?? null, to: snap.status, modifiedAt: snap.modifiedAt.toISOString() },
  });
  return { outcome, orderId };
}

async function stylesOf(trx: Q, shopId: number, skus: string[]): Promise<Map<string, string>> {
  if (skus.length === 0) return new Map();
  const rows = await trx.selectFrom('products').select(['sku', 'style_category']).where('shop_id', '=', shopId).where('sku', 'in', skus).execute();
  return new Map(rows.map((r) => [r.sku, r.style_category]));
}

/** The step whose deadline a platform timeout is, by the refund's status. */
const deadlineKindOf: Partial<Record<RefundStatus, DeadlineKind>> = {
  WAIT_SELLER_AGREE: 'seller_answer',
  WAIT_BUYER_RETURN_GOODS: 'buyer_return',
  WAIT_SELLER_CONFIRM_GOODS: 'seller_confirm',
  SELLER_REFUSE_BUYER: 'buyer_after_refusal',
};

/**
 * The refund as shouhou keeps it, from the platform's snapshot (pure): the platform owns the status and
 * the timeout (shown as the deadline, with no effect: shouhou's sweeper never acts on it); what only
 * shouhou knows (evidence, the refusal's evidence, intervention notes) is kept from what it held.
 */
export function refundFromSnapshot(options: { existing: Refund | null; snap: PlatformRefund; shopId: number; lineNo: number | null; now: Date }): Omit<Refund, 'id'> {
  const { existing, snap, now } = options;
  const open = isOpenStatus(snap.status);
  const kind = deadlineKindOf[snap.status];
  const deadline: Deadline | null = open && kind ? { kind, at: snap.platformTimeout?.at ?? null, effect: 'none', problem: null } : null;
  const refused = snap.status === 'SELLER_REFUSE_BUYER';
  return {
    shopId: options.shopId,
    orderNo: snap.platformOrderId,
    lineNo: options.lineNo,
    type: snap.type,
    goodsStatus: snap.goodsStatus,
    phase: snap.phase,
    reason: snap.reason,
    amountFen: snap.amountFen,
    description: snap.description,
    evidence: existing?.evidence ?? [],
    status: snap.status,
    intervention: {
      state: snap.intervention.state,
      requestedAt: snap.intervention.state === 'none' ? null : (existing?.intervention.requestedAt ?? snap.modifiedAt),
      outcome: snap.intervention.outcome,
      decidedAt: snap.intervention.state === 'decided' ? (existing?.intervention.decidedAt ?? snap.modifiedAt) : null,
      note: existing?.intervention.note ?? null,
    },
    returnAddress: snap.returnAddress ?? existing?.returnAddress ?? null,
    returnShipment: snap.returnShipment
      ? {
          courier: snap.returnShipment.courier,
          trackingNo: snap.returnShipment.trackingNo,
          shippedAt:
            existing?.returnShipment && existing.returnShipment.trackingNo === snap.returnShipment.trackingNo ? existing.returnShipment.shippedAt : snap.modifiedAt,
        }
      : null,
    refusal: refused ? (existing?.refusal ?? { reason: '卖家已在平台上拒绝', evidence: [], at: snap.modifiedAt }) : (existing?.refusal ?? null),
    deadline,
    closeReason: snap.status === 'CLOSED' ? (existing?.closeReason ?? '平台上已关闭') : null,
    createdAt: existing?.createdAt ?? snap.createdAt,
    updatedAt: now,
    version: (existing?.version ?? 0) + 1,
  };
}

/**
 * Applies a refund snapshot; the order must be known ('missing_order' otherwise: fetch it first).
 * Reaching SUCCESS records the payout the platform made (once).
 */
export async function applyPlatformRefund(
  trx: Q,
  options: { shopId: number; source: RecordSource; refund: PlatformRefund; now: Date },
): Promise<{ outcome: ApplyOutcome | 'missing_order'; refundId: number | null }> {
  const { shopId, refund: snap, now } = options;
  const actor = platformActor(shopId, options.source);
  let orderQuery = trx.selectFrom('orders').select(['id', 'status']).where('shop_id', '=', shopId).where('order_no', '=', snap.platformOrderId);
  if (canLockRows(trx)) orderQuery = orderQuery.forUpdate();
  const order = await orderQuery.executeTakeFirst();
  if (!order) return { outcome: 'missing_order', refundId: null };
  const row = await trx.selectFrom('refunds').selectAll().where('shop_id', '=', shopId).where('platform_refund_id', '=', snap.platformRefundId).executeTakeFirst();
  if (row && !isNewer(snap, row.platform_version ?? null, row.platform_modified ?? null)) return { outcome: 'unchanged', refundId: row.id };
  const existing = row ? refundRowToRefund(row) : null;
  let lineNo: number | null = null;
  if (snap.platformLineId) {
    const line = await trx.selectFrom('order_lines').select('line_no').where('order_id', '=', order.id).where('platform_line_id', '=', snap.platformLineId).executeTakeFirst();
    lineNo = line?.line_no ?? null;
  }
  const next = refundFromSnapshot({ existing, snap, shopId, lineNo, now });
  // what changed in shouhou's own fields (the platform's id, version and status word are written apart)
  const changes = existing ? diffFields(existing, { ...next, id: existing.id }, ['updatedAt', 'version', 'platform']) : {};
  const outcome: ApplyOutcome = !existing ? 'created' : Object.keys(changes).length > 0 ? 'updated' : 'unchanged';
  let refundId: number;
  if (!existing) {
    refundId = (await insertRefund(trx, next, order.id)).id;
  } else {
    refundId = existing.id;
    if (outcome === 'updated' && !(await updateRefund(trx, { ...next, id: existing.id }, existing.version, existing))) {
      throw new AppError('VERSION_CONFLICT', `Refund ${existing.id} changed meanwhile; the sync tries again.`, {});
    }
  }
  await trx
    .updateTable('refunds')
    .set({
      platform_refund_id: snap.platformRefundId,
      platform_status: snap.platformStatus,
      ...(snap.platformVersion !== null ? { platform_version: snap.platformVersion } : {}),
      platform_modified: snap.modifiedAt.toISOString(),
      platform_timeout_at: iso(snap.platformTimeout?.at),
      platform_timeout_kind: snap.platformTimeout?.kind ?? null,
      platform_reason: snap.reasonText,
    })
    .where('id', '=', refundId)
    .execute();
  if (outcome === 'unchanged') return { outcome, refundId };
  await insertRefundEvent(trx, {
    shopId,
    refundId,
    version: next.version,
    at: now,
    actorId: null,
    actorRole: 'system',
    action: existing ? 'platform_sync' : 'apply',
    fromStatus: existing?.status ?? null,
    toStatus: next.status,
    changes,
    data: { source: options.source, platformStatus: snap.platformStatus, platformVersion: snap.platformVersion, modifiedAt: snap.modifiedAt.toISOString() },
  });
  if (snap.status === 'SUCCESS' && existing?.status !== 'SUCCESS') {
    const paid = await trx.selectFrom('payouts').select('refund_id').where('refund_id', '=', refundId).executeTakeFirst();
    if (!paid) await insertPayout(trx, { refundId, shopId, orderId: order.id, amountFen: snap.amountFen, at: snap.modifiedAt });
  }
  await appendAudit(trx, {
    at: now,
    ...auditActor(actor),
    action: 'refund.platform_sync',
    targetType: 'refund',
    targetId: refundId,
    outcome: 'ok',
    details: { outcome, platformRefundId: snap.platformRefundId, from: existing?.status ?? null, to: next.status, platformVersion: snap.platformVersion },
  });
  return { outcome, refundId };
}

/**
 * Newer than what is held: by refund_version when both have one (the platform's own order of changes); a
 * snapshot without a version (a spreadsheet export) never overrides one the live sync brought; otherwise by
 * modified time (the same second counts: it was read later, and applying the same state twice changes nothing).
 */
function isNewer(snap: PlatformRefund, heldVersion: string | null, heldModified: string | null): boolean {
  if (heldVersion !== null && /^\d+$/.test(heldVersion)) return isNewerVersion(snap.platformVersion, heldVersion);
  return heldModified === null || snap.modifiedAt.toISOString() >= heldModified;
}
