/**
 * Issue 14 §1: spreadsheet imports of the platform's order and refund reports. A job holds the uploaded
 * file (its bytes in chunks, so that no process ever holds a whole file), the mapping of its headers, the
 * export's time, its progress and counts; each data row's outcome (new / updated / unchanged / skipped /
 * error, with the errors in words) is kept for the preview and the result report; the shop's own mappings
 * of other layouts are saved by name.
 */
import type { Kysely } from 'kysely';
import { idColumn, idConstraint, type DialectName } from '../dialect-name.ts';

export function up010(dialect: DialectName) {
  const id = idConstraint(dialect);
  return async (db: Kysely<unknown>): Promise<void> => {
    await db.schema
      .createTable('import_jobs')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      /** orders | refunds */
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('file_size', 'integer', (c) => c.notNull())
      .addColumn('file_sha256', 'text', (c) => c.notNull())
      /** csv | xlsx */
      .addColumn('format', 'text', (c) => c.notNull())
      /** a CSV's text encoding (utf-8 | gb18030 | utf-16le | utf-16be); null for XLSX */
      .addColumn('encoding', 'text')
      .addColumn('header_row', 'integer', (c) => c.notNull())
      // JSON: the headers as written, by column
      .addColumn('headers', 'text', (c) => c.notNull())
      // JSON: field → header as written
      .addColumn('mapping', 'text', (c) => c.notNull())
      /** preset | saved:<id> | manual */
      .addColumn('mapping_source', 'text', (c) => c.notNull())
      // when the platform made the export: the records' modified time
      .addColumn('exported_at', 'text', (c) => c.notNull())
      /** uploaded | previewing | previewed | committing | committed | failed | cancelled */
      .addColumn('status', 'text', (c) => c.notNull())
      /** preview | commit: what runs (or ran last) */
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('total_rows', 'integer', (c) => c.notNull())
      .addColumn('processed_rows', 'integer', (c) => c.notNull())
      .addColumn('count_new', 'integer', (c) => c.notNull())
      .addColumn('count_updated', 'integer', (c) => c.notNull())
      .addColumn('count_unchanged', 'integer', (c) => c.notNull())
      .addColumn('count_skipped', 'integer', (c) => c.notNull())
      .addColumn('count_error', 'integer', (c) => c.notNull())
      // JSON {zh-CN, en}: why the job failed as a whole (an unreadable file)
      .addColumn('failure', 'text')
      .addColumn('actor_id', 'integer', (c) => c.notNull())
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('previewed_at', 'text')
      .addColumn('committed_at', 'text')
      // the process working the job, and until when (a crashed process's job is taken up again after it)
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .execute();
    await db.schema.createIndex('import_jobs_shop').on('import_jobs').columns(['shop_id', 'id']).execute();
    await db.schema.createIndex('import_jobs_running').on('import_jobs').columns(['status', 'lease_until']).execute();

    await db.schema
      .createTable('import_files')
      .addColumn('job_id', 'integer', (c) => c.notNull().references('import_jobs.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('bytes', dialect === 'sqlite' ? 'blob' : 'bytea', (c) => c.notNull())
      .addPrimaryKeyConstraint('import_files_pk', ['job_id', 'seq'])
      .execute();

    await db.schema
      .createTable('import_rows')
      .addColumn('job_id', 'integer', (c) => c.notNull().references('import_jobs.id'))
      .addColumn('row_no', 'integer', (c) => c.notNull())
      /** new | updated | unchanged | skipped | error */
      .addColumn('outcome', 'text', (c) => c.notNull())
      // the order number or refund number the row is about, when it could be read
      .addColumn('platform_id', 'text')
      // JSON: [{code, column, message: {zh-CN, en}}]
      .addColumn('errors', 'text')
      // JSON {zh-CN, en}: why a row is skipped or left unchanged, when it is not plain
      .addColumn('note', 'text')
      /** 1 once the commit applied (or passed) it */
      .addColumn('committed', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('import_rows_pk', ['job_id', 'row_no'])
      .execute();
    // the preview filtered by outcome, in row order; the same id earlier in the file
    await db.schema.createIndex('import_rows_outcome').on('import_rows').columns(['job_id', 'outcome', 'row_no']).execute();
    await db.schema.createIndex('import_rows_platform_id').on('import_rows').columns(['job_id', 'platform_id']).execute();

    await db.schema
      .createTable('import_mappings')
      .addColumn('id', idColumn(dialect), id)
      .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      // JSON: field → header as written
      .addColumn('mapping', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('import_mappings_name').on('import_mappings').columns(['shop_id', 'kind', 'name']).unique().execute();
  };
}
