/**
 * An import's result report (issue 14 §1): the file's rows as they were, each
 * with its row number, its outcome and its errors in words, as an XLSX the
 * person fixes and imports again; a second sheet sums it up.
 *
 * It is written with exceljs's streaming WorkbookWriter, row by row from the
 * stored file and the rows' outcomes, so a 200,000-row report never sits in
 * memory (src/app/export/spreadsheet.ts builds its workbooks in memory, which
 * suits the exports' few thousand rows, not this). Its header row is styled
 * and frozen as the exports' are. Text is written as text: a cell beginning
 * with = + - @ (a formula in the file) is never a formula in the report.
 */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { SheetCell } from '../../core/import/cell-values.ts';
import type { ImportMessage, RowError } from '../../core/import/import-errors.ts';
import type { Actor } from '../../core/roles.ts';
import { XLSX_CONTENT_TYPE } from '../export/spreadsheet.ts';
import { requirePermission } from '../access.ts';
import type { AppContext } from '../context.ts';
import { storedFile } from './file-store.ts';
import { findJob, type RowOutcome } from './jobs.ts';
import { isEmptyRow, readSheetRows, type TextEncoding } from './sheet-reader.ts';
import { AppError } from '../../core/errors.ts';

type Lang = 'zh-CN' | 'en';

const outcomeWords: Record<RowOutcome, Record<Lang, string>> = {
  new: { 'zh-CN': '新增', en: 'New' },
  updated: { 'zh-CN': '更新', en: 'Updated' },
  unchanged: { 'zh-CN': '不变', en: 'Unchanged' },
  skipped: { 'zh-CN': '跳过', en: 'Skipped' },
  error: { 'zh-CN': '错误', en: 'Error' },
};

const words = {
  sheet: { 'zh-CN': '导入结果', en: 'Import result' },
  summary: { 'zh-CN': '汇总', en: 'Summary' },
  row: { 'zh-CN': '行号', en: 'Row' },
  outcome: { 'zh-CN': '结果', en: 'Outcome' },
  errors: { 'zh-CN': '错误说明', en: 'Errors' },
  note: { 'zh-CN': '备注', en: 'Note' },
  file: { 'zh-CN': '文件', en: 'File' },
  kind: { 'zh-CN': '类型', en: 'Kind' },
  orders: { 'zh-CN': '订单报表', en: 'Order report' },
  refunds: { 'zh-CN': '退款报表', en: 'Refund report' },
  exportedAt: { 'zh-CN': '导出时间', en: 'Exported at' },
  status: { 'zh-CN': '状态', en: 'Status' },
  committed: { 'zh-CN': '已导入', en: 'Committed' },
  previewed: { 'zh-CN': '仅预览，未导入', en: 'Previewed only, not committed' },
  by: { 'zh-CN': '导入人', en: 'By' },
  rows: { 'zh-CN': '行数', en: 'Rows' },
} satisfies Record<string, Record<Lang, string>>;

const headerFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const errorFont: Partial<ExcelJS.Font> = { color: { argb: 'FFC00000' } };

/** Asia/Shanghai wall clock as a spreadsheet shows it. */
const shanghai = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3_600_000);

/** A cell of the file as the report writes it: never a formula. */
function reportCell(cell: SheetCell | undefined): string | number | boolean | Date | null {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof Date || typeof cell !== 'object') return cell;
  return 'formula' in cell ? `=${cell.formula.replace(/^=/, '')}` : cell.error;
}

function errorText(errors: RowError[], lang: Lang): string {
  return errors.map((e) => (e.column ? `${e.column}${lang === 'en' ? ': ' : '：'}${e.message[lang]}` : e.message[lang])).join('\n');
}

export interface ReportStream {
  fileName: string;
  contentType: string;
  stream: Readable;
}

/** The report as a stream of XLSX bytes (`outcome`: only the rows of that outcome, such as the errors to fix). */
export async function importReport(ctx: AppContext, options: { actor: Actor; jobId: number; lang: Lang; outcome?: RowOutcome | undefined; ip?: string }): Promise<ReportStream> {
  const { actor, lang } = options;
  requirePermission(actor, 'import.read');
  const job = await findJob(ctx, actor, options.jobId, options.ip);
  if (!['previewed', 'committing', 'committed', 'failed'].includes(job.status) || job.status === 'failed' && job.stage === 'preview') {
    throw new AppError('ACTION_NOT_ALLOWED', 'The report is ready once the preview is done.', { status: job.status });
  }
  const db = ctx.db.kysely;
  const headers = JSON.parse(job.headers) as string[];
  const out = new PassThrough();
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const write = async () => {
    const sheet = writer.addWorksheet(words.sheet[lang], { views: [{ state: 'frozen', ySplit: 1, xSplit: 0, topLeftCell: 'A2', activeCell: 'A2' }] });
    sheet.columns = [
      { header: words.row[lang], key: 'row', width: 8 },
      { header: words.outcome[lang], key: 'outcome', width: 10 },
      { header: words.errors[lang], key: 'errors', width: 60 },
      { header: words.note[lang], key: 'note', width: 30 },
      ...headers.map((h, i) => ({ header: h || `#${i + 1}`, key: `c${i}`, width: Math.min(40, Math.max(10, Array.from(h).length * 2 + 2)) })),
    ];
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.fill = headerFill;
    header.alignment = { vertical: 'middle' };
    header.commit();

    // the rows' outcomes a page at a time, beside the file's rows (both in row order)
    let page: Map<number, { outcome: string; errors: string | null; note: string | null }> = new Map();
    let pageEnd = 0;
    const outcomeOf = async (rowNo: number) => {
      if (rowNo > pageEnd) {
        let q = db.selectFrom('import_rows').select(['row_no', 'outcome', 'errors', 'note']).where('job_id', '=', job.id).where('row_no', '>=', rowNo);
        if (options.outcome) q = q.where('outcome', '=', options.outcome);
        const rows = await q.orderBy('row_no').limit(1000).execute();
        page = new Map(rows.map((r) => [r.row_no, r]));
        pageEnd = rows.length === 1000 ? rows[rows.length - 1]!.row_no : Number.MAX_SAFE_INTEGER;
      }
      return page.get(rowNo);
    };
    const source = storedFile(db, { jobId: job.id, size: job.file_size });
    for await (const row of readSheetRows(source, { format: job.format as 'csv' | 'xlsx', encoding: job.encoding as TextEncoding | null })) {
      if (row.rowNo <= job.header_row || isEmptyRow(row)) continue;
      const result = await outcomeOf(row.rowNo);
      if (!result) continue;
      const errors = result.errors ? (JSON.parse(result.errors) as RowError[]) : [];
      const note = result.note ? (JSON.parse(result.note) as ImportMessage) : null;
      const values: Record<string, unknown> = {
        row: row.rowNo,
        outcome: outcomeWords[result.outcome as RowOutcome]?.[lang] ?? result.outcome,
        errors: errorText(errors, lang) || null,
        note: note ? note[lang] : null,
      };
      headers.forEach((_, i) => (values[`c${i}`] = reportCell(row.cells[i])));
      const added = sheet.addRow(values);
      if (errors.length > 0) {
        added.getCell('outcome').font = errorFont;
        added.getCell('errors').font = errorFont;
        added.getCell('errors').alignment = { wrapText: true, vertical: 'top' };
      }
      headers.forEach((_, i) => {
        const cell = added.getCell(`c${i}`);
        if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd hh:mm:ss';
        else if (typeof cell.value === 'string') cell.numFmt = '@';
      });
      added.commit();
      if (row.rowNo % 2000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    sheet.commit();

    const summary = writer.addWorksheet(words.summary[lang]);
    summary.columns = [
      { key: 'k', width: 16 },
      { key: 'v', width: 40 },
    ];
    const line = (k: string, v: string | number | Date) => {
      const r = summary.addRow({ k, v });
      r.getCell('k').font = { bold: true };
      if (v instanceof Date) r.getCell('v').numFmt = 'yyyy-mm-dd hh:mm:ss';
      r.commit();
    };
    line(words.file[lang], job.file_name);
    line(words.kind[lang], job.kind === 'orders' ? words.orders[lang] : words.refunds[lang]);
    line(words.exportedAt[lang], shanghai(job.exported_at));
    line(words.status[lang], job.status === 'committed' ? words.committed[lang] : words.previewed[lang]);
    line(words.by[lang], job.actor_name);
    line(words.rows[lang], job.processed_rows);
    for (const o of ['new', 'updated', 'unchanged', 'skipped', 'error'] as const) {
      line(outcomeWords[o][lang], { new: job.count_new, updated: job.count_updated, unchanged: job.count_unchanged, skipped: job.count_skipped, error: job.count_error }[o]);
    }
    summary.commit();
    await writer.commit();
  };
  write().catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  const stamp = shanghai(job.exported_at).toISOString().slice(0, 10);
  return { fileName: `${lang === 'en' ? 'import-result' : '导入结果'}-${job.id}-${stamp}.xlsx`, contentType: XLSX_CONTENT_TYPE, stream: out };
}
