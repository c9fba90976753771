/**
 * S5.1, S5.2 the service archives (售后档案): the clerk opens one per
 * delivered unit, the leads help complete it, the hotline finds it by
 * customer, serial number, phone or site (S5.3). One transaction each, with
 * its history and audit rows.
 */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { amendArchive, createArchive, searchArchives, type ServiceArchiveInput, type ServiceArchivePatch } from '../../core/service/archive.ts';
import { normalizeCode } from '../../core/workbench/fields.ts';
import {
  findArchive,
  findArchiveBySerial,
  findArchiveCandidates,
  foldForSearch,
  insertArchive,
  listArchives,
  listServiceRecords,
  updateArchive,
  type StoredArchive,
} from '../../db/service-repository.ts';
import { requirePermission } from '../access.ts';
import type { AppContext } from '../context.ts';
import { notFound, recordChange, serviceContextOf, staleVersion } from './common.ts';
import { archiveView, recordSummary, type ArchiveView, type RepairRecordSummary } from './views.ts';

function archiveExists(serialNo: string, existing: StoredArchive): AppError {
  return new AppError('ARCHIVE_EXISTS', `S5.1: the shop already has an archive for serial number ${serialNo} (archive ${existing.id}); one archive per delivered unit.`, {
    serialNo,
    archiveId: existing.id,
  });
}

/**
 * A masked value sent back (138****1234, 辽宁省大连市甘井子区****) is never a
 * customer's: refused, so that a form filled from a masked answer cannot
 * overwrite the real phone or address.
 */
function refuseMaskedContact(customer: { phone?: unknown; siteAddress?: unknown } | undefined): void {
  for (const [key, field] of [['phone', 'customer.phone'], ['siteAddress', 'customer.siteAddress']] as const) {
    const value = customer?.[key];
    if (typeof value === 'string' && value.includes('****')) {
      throw new AppError('VALIDATION_FAILED', `${field}: this is the masked form shown to those who do not see it in full; give the whole value (or leave it out).`, {
        field,
        reason: 'masked_value',
      });
    }
  }
}

/** S5.1: opens the archive of a delivered unit; the same serial number twice in a shop is 409 ARCHIVE_EXISTS. */
export async function createServiceArchive(ctx: AppContext, options: { actor: Actor; input: ServiceArchiveInput }): Promise<ArchiveView> {
  const { actor } = options;
  requirePermission(actor, 'service.archive.create');
  refuseMaskedContact(options.input.customer);
  const sctx = serviceContextOf(ctx, actor);
  const archive = createArchive(options.input, sctx);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const existing = await findArchiveBySerial(trx, { shopId: actor.shopId, serialNo: archive.serialNo });
    if (existing) throw archiveExists(archive.serialNo, existing);
    const saved = await insertArchive(trx, { shopId: actor.shopId, archive, actorId: actor.kind === 'system' ? null : actor.id });
    await recordChange(trx, {
      actor,
      at: sctx.now,
      subject: 'archive',
      subjectId: saved.id,
      recordId: null,
      version: 1,
      action: 'create',
      fromStatus: null,
      toStatus: null,
      data: { serialNo: archive.serialNo, market: archive.market, warrantyStart: archive.warrantyStart, warrantyEnd: archive.warrantyEnd },
      auditDetails: { serialNo: archive.serialNo },
    });
    return archiveView(saved, sctx.now);
  });
}

/** S5.2: adds to or corrects an archive at the version seen (the acceptance date once it passed, a new contact…). */
export async function amendServiceArchive(
  ctx: AppContext,
  options: { actor: Actor; id: number; version: number; patch: ServiceArchivePatch },
): Promise<ArchiveView> {
  const { actor } = options;
  requirePermission(actor, 'service.archive.amend');
  refuseMaskedContact(options.patch.customer);
  const sctx = serviceContextOf(ctx, actor);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await findArchive(trx, { shopId: actor.shopId, id: options.id, lock: true });
    if (!before) throw notFound('service archive', options.id);
    if (before.version !== options.version) throw staleVersion('service archive', before.version, options.version);
    const change = amendArchive(before.archive, options.patch, sctx);
    if (change.archive.serialNo !== before.archive.serialNo) {
      const existing = await findArchiveBySerial(trx, { shopId: actor.shopId, serialNo: change.archive.serialNo });
      if (existing && existing.id !== before.id) throw archiveExists(change.archive.serialNo, existing);
    }
    const saved = await updateArchive(trx, before, change.archive);
    await recordChange(trx, {
      actor,
      at: sctx.now,
      subject: 'archive',
      subjectId: saved.id,
      recordId: null,
      version: saved.version,
      action: 'amend',
      fromStatus: null,
      toStatus: null,
      data: { changed: change.changed, before: change.before, after: change.after },
      // the trail names what changed, not the customer's phone or address
      auditDetails: { changed: change.changed },
    });
    return archiveView(saved, sctx.now);
  });
}

/** An archive, its warranty today and the records of its calls, newest first. */
export async function getServiceArchive(ctx: AppContext, options: { actor: Actor; id: number }): Promise<ArchiveView & { records: RepairRecordSummary[] }> {
  requirePermission(options.actor, 'service.read');
  const db = ctx.db.kysely;
  const found = await findArchive(db, { shopId: options.actor.shopId, id: options.id });
  if (!found) throw notFound('service archive', options.id);
  const records = await listServiceRecords(db, { shopId: options.actor.shopId, archiveId: found.id, limit: 200 });
  return { ...archiveView(found, ctx.clock.now()), records: records.map(recordSummary) };
}

const SEARCH_CAP = 500;

function encodeCursor(kind: 'id' | 'at', n: number): string {
  return Buffer.from(`${kind}|${n}`).toString('base64url');
}

function decodeCursor(cursor: string, kind: 'id' | 'at'): number {
  const match = /^(id|at)\|(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const n = match ? Number(match[2]) : NaN;
  if (!match || match[1] !== kind || !Number.isSafeInteger(n) || n > 2_147_483_647) {
    throw new AppError('VALIDATION_FAILED', 'The cursor is not one this API gave out for this search.', { field: 'cursor', reason: 'cursor_invalid' });
  }
  return n;
}

/**
 * S5.3: the archives, newest first; with q, those matching the caller's
 * words (customer, contact, serial number, phone, site, contract, product),
 * best matches first, each with what matched.
 */
export async function searchServiceArchives(
  ctx: AppContext,
  options: { actor: Actor; q?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: (ArchiveView & { matched: string[] })[]; nextCursor: string | null }> {
  const { actor } = options;
  requirePermission(actor, 'service.read');
  const db = ctx.db.kysely;
  const now = ctx.clock.now();
  const q = options.q?.trim() ?? '';
  if (q === '') {
    const beforeId = options.cursor ? decodeCursor(options.cursor, 'id') : undefined;
    const rows = await listArchives(db, { shopId: actor.shopId, beforeId, limit: options.limit + 1 });
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return { items: page.map((a) => ({ ...archiveView(a, now), matched: [] })), nextCursor: rows.length > options.limit && last ? encodeCursor('id', last.id) : null };
  }
  // the database narrows by the folded fragments the core matches on; the core scores and orders
  const folded = foldForSearch(q);
  const serial = normalizeCode(q).replace(/[-/._]/g, '').toLowerCase();
  const digits = q.replace(/\D/g, '');
  const fragments = [folded, ...(serial.length >= 3 ? [serial] : []), ...(digits.length >= 4 ? [digits] : [])];
  const candidates = await findArchiveCandidates(db, { shopId: actor.shopId, fragments, cap: SEARCH_CAP });
  const hits = searchArchives(candidates.map((c) => ({ archive: c.archive, stored: c })), q);
  hits.sort((a, b) => b.score - a.score || b.item.stored.id - a.item.stored.id);
  const offset = options.cursor ? decodeCursor(options.cursor, 'at') : 0;
  const page = hits.slice(offset, offset + options.limit);
  return {
    items: page.map((h) => ({ ...archiveView(h.item.stored, now), matched: h.matched })),
    nextCursor: hits.length > offset + options.limit ? encodeCursor('at', offset + options.limit) : null,
  };
}
