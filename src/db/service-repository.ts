/**
 * The equipment service desk's rows (S5): archives, repair records, dispatches
 * and their history. Plain functions over a Kysely or a transaction; each row
 * maps to the pure core's object in one function. Every read is scoped to a
 * shop; every update is at the version the caller saw.
 */
import type { RecordEvent } from '../contract/service-views.ts';
import { sql, type Selectable } from 'kysely';
import { AppError } from '../core/errors.ts';
import type { ServiceArchive } from '../core/service/archive.ts';
import type { Dispatch } from '../core/service/dispatch.ts';
import type { RepairRecord } from '../core/service/repair-record.ts';
import { canLockRows, type Q } from './order-repository.ts';
import type { ServiceArchiveTable, ServiceDispatchTable, ServiceRecordTable } from './schema.ts';

export interface StoredArchive {
  id: number;
  shopId: number;
  archive: ServiceArchive;
  version: number;
}

export interface StoredServiceRecord {
  id: number;
  shopId: number;
  archiveId: number | null;
  record: RepairRecord;
  callerOrganisation: string | null;
  version: number;
}

/** A dispatch with what the register keeps beside the core's object: the clerk's note. */
export interface StoredDispatch {
  id: number;
  shopId: number;
  dispatch: Dispatch;
  note: string | null;
  version: number;
}

export type FollowUpColumn = 'pending' | 'done' | 'unreached';

export function archiveRowToStored(row: Selectable<ServiceArchiveTable>): StoredArchive {
  return { id: row.id, shopId: row.shop_id, archive: JSON.parse(row.data) as ServiceArchive, version: row.version };
}

export function recordRowToStored(row: Selectable<ServiceRecordTable>): StoredServiceRecord {
  return {
    id: row.id,
    shopId: row.shop_id,
    archiveId: row.archive_id,
    record: JSON.parse(row.data) as RepairRecord,
    callerOrganisation: row.caller_organisation,
    version: row.version,
  };
}

export function dispatchRowToStored(row: Selectable<ServiceDispatchTable>): StoredDispatch {
  const data = JSON.parse(row.data) as { dispatch: Dispatch; note: string | null };
  return { id: row.id, shopId: row.shop_id, dispatch: data.dispatch, note: data.note, version: row.version };
}

/** Folded as the core's search folds: NFKC, lower case, no white space. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** The text an archive is found by (S5.3): customer, contact, site, contract, product, the serial without separators, the phone's digits. */
export function archiveSearchText(a: ServiceArchive): string {
  return [
    a.customer.organisation,
    a.customer.contact,
    a.customer.siteAddress,
    a.contractNo,
    a.product,
    a.serialNo,
    a.serialNo.replace(/[-/._]/g, ''),
    a.customer.phone.replace(/\D/g, ''),
  ]
    .map(foldForSearch)
    .join('|');
}

const conflict = (what: string) => new AppError('VERSION_CONFLICT', `This ${what} changed meanwhile; reload it.`, {});

// ───────────────────────── archives ─────────────────────────

export async function insertArchive(db: Q, a: { shopId: number; archive: ServiceArchive; actorId: number | null }): Promise<StoredArchive> {
  const row = await db
    .insertInto('service_archives')
    .values({
      shop_id: a.shopId,
      serial_no: a.archive.serialNo,
      search_text: archiveSearchText(a.archive),
      product: a.archive.product,
      market: a.archive.market,
      warranty_end: a.archive.warrantyEnd,
      data: JSON.stringify(a.archive),
      created_at: a.archive.createdAt,
      updated_at: a.archive.updatedAt,
      actor_id: a.actorId,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, shopId: a.shopId, archive: a.archive, version: 1 };
}

export async function updateArchive(db: Q, before: StoredArchive, archive: ServiceArchive): Promise<StoredArchive> {
  const version = before.version + 1;
  const result = await db
    .updateTable('service_archives')
    .set({
      serial_no: archive.serialNo,
      search_text: archiveSearchText(archive),
      product: archive.product,
      market: archive.market,
      warranty_end: archive.warrantyEnd,
      data: JSON.stringify(archive),
      updated_at: archive.updatedAt,
      version,
    })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict('archive');
  return { ...before, archive, version };
}

export async function findArchive(db: Q, options: { shopId: number; id: number; lock?: boolean }): Promise<StoredArchive | null> {
  let q = db.selectFrom('service_archives').selectAll().where('shop_id', '=', options.shopId).where('id', '=', options.id);
  if (options.lock && canLockRows(db)) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? archiveRowToStored(row) : null;
}

export async function findArchiveBySerial(db: Q, options: { shopId: number; serialNo: string }): Promise<StoredArchive | null> {
  const row = await db.selectFrom('service_archives').selectAll().where('shop_id', '=', options.shopId).where('serial_no', '=', options.serialNo).executeTakeFirst();
  return row ? archiveRowToStored(row) : null;
}

export async function findArchivesByIds(db: Q, shopId: number, ids: readonly number[]): Promise<Map<number, StoredArchive>> {
  const out = new Map<number, StoredArchive>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('service_archives').selectAll().where('shop_id', '=', shopId).where('id', 'in', [...new Set(ids)]).execute();
  for (const r of rows) out.set(r.id, archiveRowToStored(r));
  return out;
}

/** Newest first, before an id (the cursor). */
export async function listArchives(db: Q, options: { shopId: number; beforeId?: number | undefined; limit: number }): Promise<StoredArchive[]> {
  let q = db.selectFrom('service_archives').selectAll().where('shop_id', '=', options.shopId);
  if (options.beforeId !== undefined) q = q.where('id', '<', options.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map(archiveRowToStored);
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Archives whose search text holds any of the fragments (already folded); at most `cap`, newest first. */
export async function findArchiveCandidates(db: Q, options: { shopId: number; fragments: readonly string[]; cap: number }): Promise<StoredArchive[]> {
  const fragments = options.fragments.filter((f) => f.length > 0);
  if (fragments.length === 0) return [];
  const rows = await db
    .selectFrom('service_archives')
    .selectAll()
    .where('shop_id', '=', options.shopId)
    .where((eb) => eb.or(fragments.map((f) => sql<boolean>`${eb.ref('search_text')} like ${`%${likeEscape(f)}%`} escape '\\'`)))
    .orderBy('id', 'desc')
    .limit(options.cap)
    .execute();
  return rows.map(archiveRowToStored);
}

// ───────────────────────── repair records ─────────────────────────

export interface RecordColumns {
  archiveId: number | null;
  status: string;
  assigneeUserId: number | null;
  incomplete: boolean;
  calledAt: string;
  followUpStatus: FollowUpColumn | null;
  followUpDueAt: string | null;
}

export async function insertServiceRecord(
  db: Q,
  r: { shopId: number; record: RepairRecord; columns: RecordColumns; callerOrganisation: string | null; actorId: number | null },
): Promise<StoredServiceRecord> {
  const c = r.columns;
  const row = await db
    .insertInto('service_records')
    .values({
      shop_id: r.shopId,
      archive_id: c.archiveId,
      status: c.status,
      assignee_user_id: c.assigneeUserId,
      incomplete: c.incomplete ? 1 : 0,
      called_at: c.calledAt,
      caller_organisation: r.callerOrganisation,
      follow_up_status: c.followUpStatus,
      follow_up_due_at: c.followUpDueAt,
      data: JSON.stringify(r.record),
      created_at: r.record.createdAt,
      updated_at: r.record.updatedAt,
      actor_id: r.actorId,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, shopId: r.shopId, archiveId: c.archiveId, record: r.record, callerOrganisation: r.callerOrganisation, version: 1 };
}

export async function updateServiceRecord(db: Q, before: StoredServiceRecord, record: RepairRecord, columns: RecordColumns): Promise<StoredServiceRecord> {
  const version = before.version + 1;
  const result = await db
    .updateTable('service_records')
    .set({
      archive_id: columns.archiveId,
      status: columns.status,
      assignee_user_id: columns.assigneeUserId,
      incomplete: columns.incomplete ? 1 : 0,
      called_at: columns.calledAt,
      follow_up_status: columns.followUpStatus,
      follow_up_due_at: columns.followUpDueAt,
      data: JSON.stringify(record),
      updated_at: record.updatedAt,
      version,
    })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict('repair record');
  return { ...before, archiveId: columns.archiveId, record, version };
}

export async function findServiceRecord(db: Q, options: { shopId: number; id: number; lock?: boolean }): Promise<StoredServiceRecord | null> {
  let q = db.selectFrom('service_records').selectAll().where('shop_id', '=', options.shopId).where('id', '=', options.id);
  if (options.lock && canLockRows(db)) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? recordRowToStored(row) : null;
}

export interface RecordFilter {
  shopId: number;
  statuses?: readonly string[] | undefined;
  assigneeUserId?: number | null | undefined;
  archiveId?: number | undefined;
  incomplete?: boolean | undefined;
  followUpStatus?: FollowUpColumn | 'any' | undefined;
  followUpDueBefore?: string | undefined;
  followUpDueFrom?: string | undefined;
  calledFrom?: string | undefined;
  calledBefore?: string | undefined;
  beforeId?: number | undefined;
  limit?: number | undefined;
}

/** Records by the list's filters, newest first. */
export async function listServiceRecords(db: Q, f: RecordFilter): Promise<StoredServiceRecord[]> {
  let q = db.selectFrom('service_records').selectAll().where('shop_id', '=', f.shopId);
  if (f.statuses) q = f.statuses.length === 0 ? q.where(sql<boolean>`1 = 0`) : q.where('status', 'in', [...f.statuses]);
  if (f.assigneeUserId !== undefined) q = f.assigneeUserId === null ? q.where('assignee_user_id', 'is', null) : q.where('assignee_user_id', '=', f.assigneeUserId);
  if (f.archiveId !== undefined) q = q.where('archive_id', '=', f.archiveId);
  if (f.incomplete !== undefined) q = q.where('incomplete', '=', f.incomplete ? 1 : 0);
  if (f.followUpStatus === 'any') q = q.where('follow_up_status', 'is not', null);
  else if (f.followUpStatus !== undefined) q = q.where('follow_up_status', '=', f.followUpStatus);
  if (f.followUpDueBefore !== undefined) q = q.where('follow_up_due_at', '<=', f.followUpDueBefore);
  if (f.followUpDueFrom !== undefined) q = q.where('follow_up_due_at', '>', f.followUpDueFrom);
  if (f.calledFrom !== undefined) q = q.where('called_at', '>=', f.calledFrom);
  if (f.calledBefore !== undefined) q = q.where('called_at', '<', f.calledBefore);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  q = q.orderBy('id', 'desc');
  if (f.limit !== undefined) q = q.limit(f.limit);
  return (await q.execute()).map(recordRowToStored);
}

export async function findServiceRecordsByIds(db: Q, shopId: number, ids: readonly number[]): Promise<Map<number, StoredServiceRecord>> {
  const out = new Map<number, StoredServiceRecord>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('service_records').selectAll().where('shop_id', '=', shopId).where('id', 'in', [...new Set(ids)]).execute();
  for (const r of rows) out.set(r.id, recordRowToStored(r));
  return out;
}

// ───────────────────────── dispatches ─────────────────────────

export async function insertDispatch(db: Q, d: { shopId: number; dispatch: Dispatch; note: string | null }): Promise<StoredDispatch> {
  const row = await db
    .insertInto('service_dispatches')
    .values({
      shop_id: d.shopId,
      record_id: d.dispatch.recordId,
      lead_user_id: d.dispatch.lead.userId,
      status: d.dispatch.status,
      clock_starts_at: d.dispatch.clockStartsAt,
      data: JSON.stringify({ dispatch: d.dispatch, note: d.note }),
      created_at: d.dispatch.registeredAt,
      updated_at: d.dispatch.updatedAt,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, shopId: d.shopId, dispatch: d.dispatch, note: d.note, version: 1 };
}

export async function updateDispatch(db: Q, before: StoredDispatch, dispatch: Dispatch): Promise<StoredDispatch> {
  const version = before.version + 1;
  const result = await db
    .updateTable('service_dispatches')
    .set({ status: dispatch.status, data: JSON.stringify({ dispatch, note: before.note }), updated_at: dispatch.updatedAt, version })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw conflict('dispatch');
  return { ...before, dispatch, version };
}

export async function findDispatch(db: Q, options: { shopId: number; id: number; lock?: boolean }): Promise<StoredDispatch | null> {
  let q = db.selectFrom('service_dispatches').selectAll().where('shop_id', '=', options.shopId).where('id', '=', options.id);
  if (options.lock && canLockRows(db)) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? dispatchRowToStored(row) : null;
}

export async function listDispatchesOfRecords(db: Q, shopId: number, recordIds: readonly number[]): Promise<StoredDispatch[]> {
  if (recordIds.length === 0) return [];
  const rows = await db
    .selectFrom('service_dispatches')
    .selectAll()
    .where('shop_id', '=', shopId)
    .where('record_id', 'in', [...new Set(recordIds)])
    .orderBy('id')
    .execute();
  return rows.map(dispatchRowToStored);
}

/** The register: by status (all when none given), the oldest clock first. */
export async function listDispatches(db: Q, options: { shopId: number; statuses?: readonly string[] | undefined; recordId?: number | undefined; limit: number }): Promise<StoredDispatch[]> {
  let q = db.selectFrom('service_dispatches').selectAll().where('shop_id', '=', options.shopId);
  if (options.statuses) q = q.where('status', 'in', [...options.statuses]);
  if (options.recordId !== undefined) q = q.where('record_id', '=', options.recordId);
  const rows = await q.orderBy('clock_starts_at').orderBy('id').limit(options.limit).execute();
  return rows.map(dispatchRowToStored);
}

// ───────────────────────── history ─────────────────────────

export interface ServiceEventInput {
  shopId: number;
  subject: 'archive' | 'record' | 'dispatch';
  subjectId: number;
  recordId: number | null;
  version: number;
  at: string;
  actorId: number | null;
  actorRole: string;
  actorName: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  data: object;
}

export async function insertServiceEvent(db: Q, e: ServiceEventInput): Promise<void> {
  await db
    .insertInto('service_events')
    .values({
      shop_id: e.shopId,
      subject: e.subject,
      subject_id: e.subjectId,
      record_id: e.recordId,
      version: e.version,
      at: e.at,
      actor_id: e.actorId,
      actor_role: e.actorRole,
      actor_name: e.actorName,
      action: e.action,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      data: JSON.stringify(e.data),
    })
    .execute();
}

/** A change of an archive, a record or a dispatch: the shape the API answers (src/contract/service-views.ts). */
export type ServiceEvent = RecordEvent;

/** A record's history and its dispatches', in order. */
export async function listRecordHistory(db: Q, shopId: number, recordId: number): Promise<ServiceEvent[]> {
  const rows = await db.selectFrom('service_events').selectAll().where('record_id', '=', recordId).where('shop_id', '=', shopId).orderBy('id').execute();
  return rows.map((r) => ({
    subject: r.subject as ServiceEvent['subject'],
    subjectId: r.subject_id,
    version: r.version,
    at: r.at,
    actorRole: r.actor_role,
    actorName: r.actor_name,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    data: JSON.parse(r.data) as Record<string, unknown>,
  }));
}

/** The active users of a shop with a role, by display name. */
export async function listShopUsersWithRole(db: Q, options: { shopId: number; role: string }): Promise<{ userId: number; username: string; displayName: string }[]> {
  const rows = await db
    .selectFrom('actors')
    .innerJoin('users', 'users.id', 'actors.user_id')
    .select(['users.id', 'users.username', 'users.display_name'])
    .where('actors.shop_id', '=', options.shopId)
    .where('actors.role', '=', options.role)
    .where('actors.disabled_at', 'is', null)
    .where('users.disabled_at', 'is', null)
    .orderBy('users.display_name')
    .execute();
  return rows.map((r) => ({ userId: r.id, username: r.username, displayName: r.display_name }));
}
