/** The side-process records: one table, a kind, a status, validated fields, an event per change. */
import type { Selectable } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import type { Q } from '../../db/order-repository.ts';
import type { RecordTable } from '../../db/schema.ts';
import { appendAudit, auditActor } from '../audit.ts';

export interface StoredRecord {
  id: number;
  kind: string;
  status: string;
  orderId: number | null;
  refundId: number | null;
  data: Record<string, unknown>;
  amountFen: number | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function recordRowToRecord(row: Selectable<RecordTable>): StoredRecord {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    orderId: row.order_id,
    refundId: row.refund_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
    amountFen: row.amount_fen === null ? null : Number(row.amount_fen),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Inserts a record with its first event and its audit row, inside the caller's transaction. */
export async function insertRecord(
  trx: Q,
  r: {
    actor: Actor;
    kind: string;
    status: string;
    orderId: number | null;
    refundId: number | null;
    data: object;
    amountFen?: number | null;
    /** a send-back's device */
    deviceId?: number | null;
    at: Date;
  },
): Promise<StoredRecord> {
  const at = r.at.toISOString();
  const row = await trx
    .insertInto('records')
    .values({
      shop_id: r.actor.shopId,
      kind: r.kind,
      status: r.status,
      order_id: r.orderId,
      refund_id: r.refundId,
      data: JSON.stringify(r.data),
      amount_fen: r.amountFen ?? null,
      created_at: at,
      updated_at: at,
      actor_id: r.actor.kind === 'system' ? null : r.actor.id,
      version: 1,
      device_id: r.deviceId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('record_events')
    .values({
      record_id: row.id,
      version: 1,
      at,
      actor_id: r.actor.kind === 'system' ? null : r.actor.id,
      actor_role: r.actor.role,
      action: 'create',
      from_status: null,
      to_status: r.status,
      data: JSON.stringify(r.data),
    })
    .execute();
  await appendAudit(trx, {
    at: r.at,
    ...auditActor(r.actor),
    action: `${r.kind}.create`,
    targetType: r.kind,
    targetId: row.id,
    outcome: 'ok',
    details: { refundId: r.refundId, orderId: r.orderId },
  });
  return {
    id: row.id,
    kind: r.kind,
    status: r.status,
    orderId: r.orderId,
    refundId: r.refundId,
    data: r.data as Record<string, unknown>,
    amountFen: r.amountFen ?? null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** Saves a change of a record at the version the caller saw, with its event and audit row. */
export async function updateRecord(
  trx: Q,
  r: { actor: Actor; before: StoredRecord; action: string; status: string; data: object; amountFen?: number | null; eventData: object; at: Date },
): Promise<StoredRecord> {
  const at = r.at.toISOString();
  const version = r.before.version + 1;
  const result = await trx
    .updateTable('records')
    .set({ status: r.status, data: JSON.stringify(r.data), amount_fen: r.amountFen ?? r.before.amountFen, updated_at: at, version })
    .where('id', '=', r.before.id)
    .where('version', '=', r.before.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new AppError('VERSION_CONFLICT', `This ${r.before.kind} changed meanwhile; reload it.`, {});
  }
  await trx
    .insertInto('record_events')
    .values({
      record_id: r.before.id,
      version,
      at,
      actor_id: r.actor.kind === 'system' ? null : r.actor.id,
      actor_role: r.actor.role,
      action: r.action,
      from_status: r.before.status,
      to_status: r.status,
      data: JSON.stringify(r.eventData),
    })
    .execute();
  await appendAudit(trx, {
    at: r.at,
    ...auditActor(r.actor),
    action: `${r.before.kind}.${r.action}`,
    targetType: r.before.kind,
    targetId: r.before.id,
    outcome: 'ok',
    details: { from: r.before.status, to: r.status },
  });
  return { ...r.before, status: r.status, data: r.data as Record<string, unknown>, amountFen: r.amountFen ?? r.before.amountFen, updatedAt: at, version };
}

export async function findRecord(db: Q, options: { shopId: number; kind: string; id: number; lock?: boolean }): Promise<StoredRecord | null> {
  const row = await db
    .selectFrom('records')
    .selectAll()
    .where('shop_id', '=', options.shopId)
    .where('kind', '=', options.kind)
    .where('id', '=', options.id)
    .executeTakeFirst();
  return row ? recordRowToRecord(row) : null;
}

export async function listRecordEvents(db: Q, recordId: number) {
  const rows = await db.selectFrom('record_events').selectAll().where('record_id', '=', recordId).orderBy('version').execute();
  return rows.map((r) => ({
    version: r.version,
    at: r.at,
    actorRole: r.actor_role,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    data: JSON.parse(r.data) as Record<string, unknown>,
  }));
}
