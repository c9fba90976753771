/**
 * Spreadsheet imports (issue 14 §1), the use cases: upload a report (XLSX or
 * CSV), map its headers (a preset, a mapping the shop saved, or the person's),
 * preview every row's outcome (a dry run: nothing is written), commit, cancel;
 * the jobs, their rows and the shop's mappings. The rows go in through the one
 * upsert path of the live sync (src/app/platform/apply.ts): an imported row
 * and a synced row are the same record. The work itself runs in the
 * background of the server process (run-import.ts).
 */
import { AppError } from '../../core/errors.ts';
import { applySavedMapping, checkMapping, matchPreset, missingRequired, type ImportMapping } from '../../core/import/header-match.ts';
import { importFieldsOf, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, type ImportField, type ImportKind } from '../../core/import/import-fields.ts';
import type { ImportMessage, RowError } from '../../core/import/import-errors.ts';
import type { Actor } from '../../core/roles.ts';
import type { Q } from '../../db/order-repository.ts';
import type { ImportJobTable } from '../../db/schema.ts';
import { requirePermission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { deleteFile, storedFile, storeFile } from './file-store.ts';
import { kickImport } from './run-import.ts';
import { inspectFile, UnreadableFile } from './sheet-reader.ts';
import type { Selectable } from 'kysely';

export const importStatuses = ['uploading', 'uploaded', 'previewing', 'previewed', 'committing', 'committed', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof importStatuses)[number];
export const rowOutcomes = ['new', 'updated', 'unchanged', 'skipped', 'error'] as const;
export type RowOutcome = (typeof rowOutcomes)[number];

export interface ImportJobView {
  id: number;
  kind: ImportKind;
  fileName: string;
  fileSize: number;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  headerRow: number;
  headers: string[];
  mapping: ImportMapping;
  mappingSource: string;
  /** required fields no header is mapped to: the mapping step is needed */
  missing: string[];
  exportedAt: string;
  status: ImportStatus;
  stage: 'preview' | 'commit';
  totalRows: number;
  processedRows: number;
  counts: Record<RowOutcome, number>;
  failure: ImportMessage | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  previewedAt: string | null;
  committedAt: string | null;
}

export interface ImportRowView {
  rowNo: number;
  outcome: RowOutcome;
  platformId: string | null;
  errors: RowError[];
  note: ImportMessage | null;
  committed: boolean;
}

export interface SavedMappingView {
  id: number;
  kind: ImportKind;
  name: string;
  mapping: ImportMapping;
  updatedAt: string;
}

export function jobRowToView(row: Selectable<ImportJobTable>): ImportJobView {
  const mapping = JSON.parse(row.mapping) as ImportMapping;
  const kind = row.kind as ImportKind;
  return {
    id: row.id,
    kind,
    fileName: row.file_name,
    fileSize: row.file_size,
    format: row.format as 'csv' | 'xlsx',
    encoding: row.encoding,
    headerRow: row.header_row,
    headers: JSON.parse(row.headers) as string[],
    mapping,
    mappingSource: row.mapping_source,
    missing: missingRequired(kind, mapping),
    exportedAt: row.exported_at,
    status: row.status as ImportStatus,
    stage: row.stage as 'preview' | 'commit',
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    counts: { new: row.count_new, updated: row.count_updated, unchanged: row.count_unchanged, skipped: row.count_skipped, error: row.count_error },
    failure: row.failure ? (JSON.parse(row.failure) as ImportMessage) : null,
    createdBy: row.actor_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    previewedAt: row.previewed_at,
    committedAt: row.committed_at,
  };
}

/**
 * The shop's job, or 404. An id of another shop's job is an attempt across the boundary: audited in the
 * actor's shop (without where it lives) and in the owner's, as the server does for every other record.
 */
export async function findJob(ctx: AppContext, actor: Actor, jobId: number, ip?: string): Promise<Selectable<ImportJobTable>> {
  const row = await ctx.db.kysely.selectFrom('import_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
  if (row && row.shop_id === actor.shopId) return row;
  if (row) {
    const at = ctx.clock.now();
    await ctx.db.kysely.transaction().execute(async (trx) => {
      await appendAudit(trx, { at, ...auditActor(actor), action: 'access.cross_shop', targetType: 'import_job', targetId: jobId, outcome: 'denied', ip: ip ?? null, details: { route: 'imports' } });
      await appendAudit(trx, {
        at,
        ...auditActor(actor),
        shopId: row.shop_id,
        action: 'access.cross_shop_target',
        targetType: 'import_job',
        targetId: jobId,
        outcome: 'denied',
        ip: ip ?? null,
        details: { route: 'imports', fromShopId: actor.shopId },
      });
    });
  }
  throw new AppError('NOT_FOUND', `Import ${jobId} was not found.`, {});
}

/** The mapping a new file starts with: a saved mapping of the shop that fits it and is complete, else the preset. */
async function initialMapping(db: Q, shopId: number, kind: ImportKind, headers: string[]): Promise<{ mapping: ImportMapping; source: string }> {
  const saved = await db.selectFrom('import_mappings').selectAll().where('shop_id', '=', shopId).where('kind', '=', kind).orderBy('updated_at', 'desc').execute();
  for (const s of saved) {
    const applied = applySavedMapping(kind, JSON.parse(s.mapping) as ImportMapping, headers);
    if (applied.fits && applied.missing.length === 0) return { mapping: applied.mapping, source: `saved:${s.id}` };
  }
  return { mapping: matchPreset(kind, headers).mapping, source: 'preset' };
}

/**
 * Uploads a report: the bytes are stored as they arrive (at most MAX_IMPORT_BYTES), the file is read once
 * for its format, encoding, header row and size, and its headers are matched. Nothing is imported yet.
 */
export async function uploadImport(
  ctx: AppContext,
  options: { actor: Actor; kind: ImportKind; fileName: string; exportedAt: Date | null; body: AsyncIterable<Uint8Array>; declaredBytes: number | null; ip: string },
): Promise<ImportJobView> {
  const { actor } = options;
  requirePermission(actor, 'import.run');
  if (options.declaredBytes !== null && options.declaredBytes > MAX_IMPORT_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', `An import file is at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split the export into smaller files.`, { maxBytes: MAX_IMPORT_BYTES, sizeBytes: options.declaredBytes });
  }
  const db = ctx.db.kysely;
  const now = ctx.clock.now();
  const exportedAt = options.exportedAt ?? now;
  const fileName = options.fileName.trim().slice(0, 200) || 'upload';
  const job = await db
    .insertInto('import_jobs')
    .values({
      shop_id: actor.shopId,
      kind: options.kind,
      file_name: fileName,
      file_size: 0,
      file_sha256: '',
      format: 'csv',
      encoding: null,
      header_row: 0,
      headers: '[]',
      mapping: '{}',
      mapping_source: 'preset',
      exported_at: exportedAt.toISOString(),
      status: 'uploading',
      stage: 'preview',
      total_rows: 0,
      processed_rows: 0,
      count_new: 0,
      count_updated: 0,
      count_unchanged: 0,
      count_skipped: 0,
      count_error: 0,
      failure: null,
      actor_id: actor.id,
      actor_name: actor.name,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      previewed_at: null,
      committed_at: null,
      lease_owner: null,
      lease_until: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const discard = async () => {
    await deleteFile(db, job.id);
    await db.deleteFrom('import_jobs').where('id', '=', job.id).execute();
  };
  try {
    const stored = await storeFile(db, { jobId: job.id, body: options.body, maxBytes: MAX_IMPORT_BYTES });
    const inspection = await inspectFile(storedFile(db, { jobId: job.id, size: stored.size }), options.kind);
    if (inspection.dataRows > MAX_IMPORT_ROWS) {
      throw new AppError('VALIDATION_FAILED', `The file has ${inspection.dataRows} rows; an import takes at most ${MAX_IMPORT_ROWS}. Split the export.`, { reason: 'too_many_rows', rows: inspection.dataRows, maxRows: MAX_IMPORT_ROWS });
    }
    const { mapping, source } = await initialMapping(db, actor.shopId, options.kind, inspection.headers);
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('import_jobs')
        .set({
          file_size: stored.size,
          file_sha256: stored.sha256,
          format: inspection.format,
          encoding: inspection.encoding,
          header_row: inspection.headerRowNo,
          headers: JSON.stringify(inspection.headers),
          mapping: JSON.stringify(mapping),
          mapping_source: source,
          status: 'uploaded',
          total_rows: inspection.dataRows,
          updated_at: ctx.clock.now().toISOString(),
        })
        .where('id', '=', job.id)
        .execute();
      await appendAudit(trx, {
        at: now,
        ...auditActor(actor),
        action: 'import.upload',
        targetType: 'import_job',
        targetId: job.id,
        outcome: 'ok',
        ip: options.ip,
        details: { kind: options.kind, fileName, sizeBytes: stored.size, sha256: stored.sha256, rows: inspection.dataRows, exportedAt: exportedAt.toISOString() },
      });
    });
  } catch (e) {
    await discard();
    if (e instanceof UnreadableFile) throw new AppError('VALIDATION_FAILED', e.message, { reason: e.reason });
    throw e;
  }
  return jobRowToView(await findJob(ctx, actor, job.id));
}

/**
 * Starts the dry run with the job's mapping or the person's (checked against the file's headers first),
 * saving it under a name for the shop's next files when asked. A job already previewed may be previewed
 * again (with another mapping); its previous outcomes go.
 */
export async function startPreview(
  ctx: AppContext,
  options: { actor: Actor; jobId: number; mapping?: ImportMapping | undefined; saveAs?: string | undefined; ip: string },
): Promise<ImportJobView> {
  const { actor } = options;
  requirePermission(actor, 'import.run');
  const db = ctx.db.kysely;
  const now = ctx.clock.now();
  const row = await findJob(ctx, actor, options.jobId, options.ip);
  const kind = row.kind as ImportKind;
  const headers = JSON.parse(row.headers) as string[];
  const mapping = options.mapping ?? (JSON.parse(row.mapping) as ImportMapping);
  const problems = checkMapping(kind, mapping, headers);
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', `The mapping does not fit the file: ${problems.map((p) => `${p.field} (${p.problem})`).join(', ')}.`, { reason: 'mapping', problems });
  }
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('import_jobs')
      .set({
        mapping: JSON.stringify(mapping),
        mapping_source: options.mapping === undefined ? row.mapping_source : 'manual',
        status: 'previewing',
        stage: 'preview',
        processed_rows: 0,
        count_new: 0,
        count_updated: 0,
        count_unchanged: 0,
        count_skipped: 0,
        count_error: 0,
        failure: null,
        updated_at: now.toISOString(),
        lease_owner: null,
        lease_until: null,
      })
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('status', 'in', ['uploaded', 'previewed']), eb.and([eb('status', '=', 'failed'), eb('stage', '=', 'preview')])]))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new AppError('ACTION_NOT_ALLOWED', `This import is ${row.status}; it cannot be previewed now.`, { status: row.status });
    }
    await trx.deleteFrom('import_rows').where('job_id', '=', row.id).execute();
    if (options.saveAs) await saveMappingIn(trx, { actor, kind, name: options.saveAs, mapping, now });
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: 'import.preview',
      targetType: 'import_job',
      targetId: row.id,
      outcome: 'ok',
      ip: options.ip,
      details: { mapping, savedAs: options.saveAs ?? null },
    });
  });
  kickImport(ctx, row.id);
  return jobRowToView(await findJob(ctx, actor, row.id));
}

/**
 * Commits a previewed import: the rows without errors go in, in batches (a transaction each, every record
 * whole), in the background. A commit that failed or was cut short by a crash is taken up again where it
 * stopped; the upsert path makes a row applied twice change nothing.
 */
export async function commitImport(ctx: AppContext, options: { actor: Actor; jobId: number; ip: string }): Promise<ImportJobView> {
  const { actor } = options;
  requirePermission(actor, 'import.run');
  const db = ctx.db.kysely;
  const now = ctx.clock.now();
  const row = await findJob(ctx, actor, options.jobId, options.ip);
  await db.transaction().execute(async (trx) => {
    const fresh = row.status === 'previewed';
    const updated = await trx
      .updateTable('import_jobs')
      .set({
        status: 'committing',
        stage: 'commit',
        failure: null,
        updated_at: now.toISOString(),
        ...(fresh ? { processed_rows: 0, count_new: 0, count_updated: 0, count_unchanged: 0, count_skipped: 0 } : {}),
      })
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('status', '=', 'previewed'), eb.and([eb('status', '=', 'failed'), eb('stage', '=', 'commit')])]))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new AppError('ACTION_NOT_ALLOWED', row.status === 'committed' ? 'This import is committed already.' : `This import is ${row.status}; preview it first.`, { status: row.status });
    }
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: 'import.commit',
      targetType: 'import_job',
      targetId: row.id,
      outcome: 'ok',
      ip: options.ip,
      details: { kind: row.kind, fileName: row.file_name, exportedAt: row.exported_at, resumed: !fresh, preview: { new: row.count_new, updated: row.count_updated, unchanged: row.count_unchanged, skipped: row.count_skipped, error: row.count_error } },
    });
  });
  kickImport(ctx, row.id);
  return jobRowToView(await findJob(ctx, actor, row.id));
}

/** Cancels an import not committed (nor committing): its file and outcomes go; a running preview stops at its next batch. */
export async function cancelImport(ctx: AppContext, options: { actor: Actor; jobId: number; ip: string }): Promise<ImportJobView> {
  const { actor } = options;
  requirePermission(actor, 'import.run');
  const db = ctx.db.kysely;
  const now = ctx.clock.now();
  const row = await findJob(ctx, actor, options.jobId, options.ip);
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('import_jobs')
      .set({ status: 'cancelled', updated_at: now.toISOString() })
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('status', 'in', ['uploaded', 'previewing', 'previewed']), eb.and([eb('status', '=', 'failed'), eb('stage', '=', 'preview')])]))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new AppError('ACTION_NOT_ALLOWED', row.status === 'committing' || row.stage === 'commit' ? 'A commit cannot be cancelled; let it finish.' : `This import is ${row.status} already.`, { status: row.status });
    }
    await trx.deleteFrom('import_rows').where('job_id', '=', row.id).execute();
    await deleteFile(trx, row.id);
    await appendAudit(trx, { at: now, ...auditActor(actor), action: 'import.cancel', targetType: 'import_job', targetId: row.id, outcome: 'ok', ip: options.ip, details: { fileName: row.file_name } });
  });
  return jobRowToView(await findJob(ctx, actor, row.id));
}

/** The job with its progress; a job whose process stopped (a crash) is taken up again by this process. */
export async function getImport(ctx: AppContext, options: { actor: Actor; jobId: number; ip?: string }): Promise<ImportJobView> {
  requirePermission(options.actor, 'import.read');
  const row = await findJob(ctx, options.actor, options.jobId, options.ip);
  if ((row.status === 'previewing' || row.status === 'committing') && (row.lease_until === null || row.lease_until < ctx.clock.now().toISOString())) kickImport(ctx, row.id);
  return jobRowToView(row);
}

/** The shop's imports, newest first. */
export async function listImports(ctx: AppContext, options: { actor: Actor; limit: number; beforeId?: number | undefined }): Promise<ImportJobView[]> {
  requirePermission(options.actor, 'import.read');
  let q = ctx.db.kysely.selectFrom('import_jobs').selectAll().where('shop_id', '=', options.actor.shopId).where('status', '!=', 'uploading');
  if (options.beforeId) q = q.where('id', '<', options.beforeId);
  return (await q.orderBy('id', 'desc').limit(options.limit).execute()).map(jobRowToView);
}

/** The rows of a job's preview (or of what the commit did), in file order, by outcome, a page at a time. */
export async function listImportRows(
  ctx: AppContext,
  options: { actor: Actor; jobId: number; outcome?: RowOutcome | undefined; offset: number; limit: number; ip?: string },
): Promise<{ total: number; items: ImportRowView[] }> {
  requirePermission(options.actor, 'import.read');
  const job = await findJob(ctx, options.actor, options.jobId, options.ip);
  const db = ctx.db.kysely;
  let q = db.selectFrom('import_rows').where('job_id', '=', job.id);
  if (options.outcome) q = q.where('outcome', '=', options.outcome);
  const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('row_no').offset(options.offset).limit(options.limit).execute();
  return { total: Number(n), items: rows.map(importRowToView) };
}

export function importRowToView(r: { row_no: number; outcome: string; platform_id: string | null; errors: string | null; note: string | null; committed: number }): ImportRowView {
  return {
    rowNo: r.row_no,
    outcome: r.outcome as RowOutcome,
    platformId: r.platform_id,
    errors: r.errors ? (JSON.parse(r.errors) as RowError[]) : [],
    note: r.note ? (JSON.parse(r.note) as ImportMessage) : null,
    committed: r.committed === 1,
  };
}

export interface PresetView {
  kind: ImportKind;
  fields: (Omit<ImportField, 'aliases'> & { aliases: string[] })[];
}

/** The fields of each kind of report with their header names: the presets. */
export function listPresets(options: { actor: Actor }): PresetView[] {
  requirePermission(options.actor, 'import.read');
  return (['orders', 'refunds'] as const).map((kind) => ({ kind, fields: importFieldsOf[kind].map((f) => ({ ...f, aliases: [...f.aliases] })) }));
}

export async function listSavedMappings(ctx: AppContext, options: { actor: Actor; kind?: ImportKind | undefined }): Promise<SavedMappingView[]> {
  requirePermission(options.actor, 'import.read');
  let q = ctx.db.kysely.selectFrom('import_mappings').selectAll().where('shop_id', '=', options.actor.shopId);
  if (options.kind) q = q.where('kind', '=', options.kind);
  const rows = await q.orderBy('updated_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind as ImportKind, name: r.name, mapping: JSON.parse(r.mapping) as ImportMapping, updatedAt: r.updated_at }));
}

async function saveMappingIn(trx: Q, options: { actor: Actor; kind: ImportKind; name: string; mapping: ImportMapping; now: Date }): Promise<number> {
  const { actor, kind, mapping, now } = options;
  const name = options.name.trim().slice(0, 60);
  const existing = await trx.selectFrom('import_mappings').select('id').where('shop_id', '=', actor.shopId).where('kind', '=', kind).where('name', '=', name).executeTakeFirst();
  if (existing) {
    await trx.updateTable('import_mappings').set({ mapping: JSON.stringify(mapping), actor_id: actor.id, updated_at: now.toISOString() }).where('id', '=', existing.id).execute();
    return existing.id;
  }
  const row = await trx
    .insertInto('import_mappings')
    .values({ shop_id: actor.shopId, kind, name, mapping: JSON.stringify(mapping), actor_id: actor.id, created_at: now.toISOString(), updated_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Saves a mapping of another layout for the shop (the same name replaces it). */
export async function saveMapping(ctx: AppContext, options: { actor: Actor; kind: ImportKind; name: string; mapping: ImportMapping; ip: string }): Promise<SavedMappingView> {
  requirePermission(options.actor, 'import.run');
  const known = new Set(importFieldsOf[options.kind].map((f) => f.key));
  const unknown = Object.keys(options.mapping).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', `Unknown fields: ${unknown.join(', ')}.`, { reason: 'mapping', problems: unknown.map((field) => ({ field, problem: 'unknown_field' })) });
  const now = ctx.clock.now();
  const id = await ctx.db.kysely.transaction().execute(async (trx) => {
    const saved = await saveMappingIn(trx, { ...options, now });
    await appendAudit(trx, { at: now, ...auditActor(options.actor), action: 'import.mapping_save', targetType: 'import_mapping', targetId: saved, outcome: 'ok', ip: options.ip, details: { kind: options.kind, name: options.name } });
    return saved;
  });
  const all = await listSavedMappings(ctx, { actor: options.actor, kind: options.kind });
  return all.find((m) => m.id === id)!;
}
