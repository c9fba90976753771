/**
 * Every export of shouhou (the warehouse's unshipped batch, the supervisor's
 * statistics, the service reports) goes through here: one description of the
 * sheets (columns with a type, rows keyed by column) written as XLSX with
 * exceljs's streaming writer or as CSV with csv-stringify.
 *
 * - XLSX: a bold header row with a fill, frozen, with an auto-filter; column
 *   widths that fit Chinese text; money (integer fen) as a number of yuan with
 *   two decimals (format 0.00); dates and times as real dates showing the
 *   Asia/Shanghai wall clock (a spreadsheet has no time zones); percentages
 *   as numbers (format 0.00%); text as text (format @), so a long order
 *   number never becomes a rounded number.
 * - CSV: RFC 4180 with CRLF, UTF-8 with a BOM so that Excel in China opens it
 *   right; money as 12.34, dates as 2026-03-02, times as 2026-03-02 09:00:00
 *   (Shanghai), percentages as 12.34%. Several sheets follow each other, each
 *   under a "# name" line and followed by a blank line.
 * - Neither ever writes text as a formula (OWASP CSV injection): text
 *   beginning with = + - @ tab or CR is written in CSV with a leading
 *   apostrophe, and in XLSX as a plain string (exceljs writes a formula only
 *   when given one explicitly, which this module never does).
 */
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../core/errors.ts';
import { formatYuan } from '../../core/money.ts';

/**
 * What a column holds: text; money in integer fen; a calendar date
 * ('YYYY-MM-DD', taken as a Shanghai date, or an instant); an instant
 * (a Date or an ISO string); a whole number; a ratio (0.1234 → 12.34%);
 * a decimal number (such as an average score), shown with two decimals.
 */
export type ColumnType = 'text' | 'money_fen' | 'date' | 'datetime' | 'integer' | 'percent' | 'decimal';

export interface Column<K extends string = string> {
  header: string;
  key: K;
  /** in characters (a Han character counts two); fitted to the content when left out */
  width?: number;
  type: ColumnType;
}

export type CellValue = string | number | Date | null | undefined;
/** A cell whose type differs from its column's (the value column of an 指标/数值 sheet). */
export interface TypedCell {
  type: ColumnType;
  value: CellValue;
}
export type Cell = CellValue | TypedCell;
export type Row<K extends string = string> = { [key in K]?: Cell };

export interface Sheet<K extends string = string> {
  name: string;
  columns: readonly Column<K>[];
  rows: readonly Row<K>[];
}

export interface WorkbookInput {
  sheets: readonly Sheet[];
}

/** A sheet whose rows are checked against its columns' keys. */
export function sheet<K extends string>(input: { name: string; columns: readonly Column<K>[]; rows: readonly Row<NoInfer<K>>[] }): Sheet {
  return input as Sheet;
}

/** A cell typed on its own. */
export function typed(type: ColumnType, value: CellValue): TypedCell {
  return { type, value };
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** Excel's limits (specifications and limits of Excel 2007+). */
export const excelLimits = { rows: 1_048_576, columns: 16_384, cellChars: 32_767, sheetNameChars: 31 } as const;

const numberFormats: Record<ColumnType, string> = {
  text: '@',
  money_fen: '0.00',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm:ss',
  integer: '0',
  percent: '0.00%',
  decimal: '0.00',
};

/** Asia/Shanghai has kept UTC+8 without daylight saving since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

function refuse(reason: string, message: string, details: Record<string, unknown> = {}): never {
  throw new AppError('VALIDATION_FAILED', message, { reason, ...details });
}

/** Text a spreadsheet would run as a formula (OWASP: = + - @ tab CR at the start). */
const formulaStart = /^[=+\-@\t\r]/;

/** The text as CSV writes it: with a leading apostrophe when a spreadsheet would take it for a formula. */
export function defuseFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

// characters XML 1.0 cannot carry at all, and lone surrogates
// eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point
const invalidXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/**
 * A name Excel accepts: none of []:*?/\ (each becomes _), no apostrophe at
 * either end, not blank, not the reserved "History", at most 31 characters,
 * unique among `taken` (case-insensitive; a later twin gets " (2)").
 */
export function sanitizeSheetName(name: string, index: number, taken: Set<string>): string {
  let base = name.replace(invalidXml, '').replace(/[[\]:*?/\\]/g, '_').trim().replace(/^'+|'+$/g, '').trim();
  if (!base) base = `Sheet${index + 1}`;
  if (base.toLowerCase() === 'history') base = `${base}_`;
  base = cut(base, excelLimits.sheetNameChars);
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = `${cut(base, excelLimits.sheetNameChars - suffix.length)}${suffix}`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An instant as a Date whose UTC fields are the Shanghai wall clock (what a spreadsheet shows). */
function shanghaiWallClock(instant: Date): Date {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
}

function isoDay(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A resolved cell: what XLSX stores and what CSV and the print view show. */
type Resolved = { kind: 'empty' } | { kind: 'text'; text: string } | { kind: 'number'; value: number; shown: string; format: string } | { kind: 'date'; value: Date; shown: string; format: string };

const EMPTY: Resolved = { kind: 'empty' };

/** `where` names the cell (Sheet!B7) for an error; called only then. */
function resolve(cell: Cell, columnType: ColumnType, where: () => string): Resolved {
  const typedCell = cell !== null && typeof cell === 'object' && !(cell instanceof Date);
  const type = typedCell ? cell.type : columnType;
  const value = typedCell ? cell.value : cell;
  if (value === null || value === undefined || value === '') return EMPTY;
  const wrong = (expected: string): never =>
    refuse('cell_type', `Cell ${where()} should hold ${expected}; it holds ${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value)}.`, { cell: where(), type });
  switch (type) {
    case 'text': {
      const text = value instanceof Date ? value.toISOString() : String(value);
      if (typeof value === 'number' && !Number.isFinite(value)) wrong('a finite number');
      if (text.length > excelLimits.cellChars) {
        refuse('cell_too_long', `Cell ${where()} has ${text.length} characters; Excel holds at most ${excelLimits.cellChars}.`, { cell: where(), limit: excelLimits.cellChars });
      }
      return { kind: 'text', text };
    }
    case 'money_fen': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return wrong('money in whole fen');
      // an integer divided by 100 is the double nearest to the decimal yuan: 1234 → 12.34, never 12.340000000000002
      return { kind: 'number', value: Object.is(value, -0) ? 0 : value / 100, shown: formatYuan(value), format: numberFormats.money_fen };
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return wrong('a whole number');
      return { kind: 'number', value: Object.is(value, -0) ? 0 : value, shown: String(Object.is(value, -0) ? 0 : value), format: numberFormats.integer };
    }
    case 'decimal': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrong('a finite number');
      return { kind: 'number', value: Object.is(value, -0) ? 0 : value, shown: String(Object.is(value, -0) ? 0 : value), format: numberFormats.decimal };
    }
    case 'percent': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrong('a finite ratio');
      return { kind: 'number', value, shown: `${(value * 100).toFixed(2)}%`, format: numberFormats.percent };
    }
    case 'date': {
      let day: Date;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) return wrong('a date');
        const wall = shanghaiWallClock(value);
        day = new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()));
      } else {
        const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
        if (!m) return wrong('a date (YYYY-MM-DD)');
        day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
        if (isoDay(day) !== value) return wrong('a date (YYYY-MM-DD)');
      }
      return { kind: 'date', value: day, shown: isoDay(day), format: numberFormats.date };
    }
    case 'datetime': {
      const instant = value instanceof Date ? value : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : null;
      if (!instant || Number.isNaN(instant.getTime())) return wrong('an instant');
      const wall = shanghaiWallClock(instant);
      // whole seconds: what the format shows is what the cell holds
      const shown = new Date(Math.floor(wall.getTime() / 1000) * 1000);
      return {
        kind: 'date',
        value: shown,
        shown: `${isoDay(shown)} ${pad(shown.getUTCHours())}:${pad(shown.getUTCMinutes())}:${pad(shown.getUTCSeconds())}`,
        format: numberFormats.datetime,
      };
    }
  }
}

function shownText(r: Resolved): string {
  return r.kind === 'empty' ? '' : r.kind === 'text' ? r.text : r.shown;
}

function checkShape(book: WorkbookInput): void {
  if (book.sheets.length === 0) refuse('no_sheets', 'A workbook needs at least one sheet.');
  for (const s of book.sheets) {
    if (s.columns.length === 0) refuse('no_columns', `Sheet ${s.name} has no columns.`, { sheet: s.name });
    if (s.columns.length > excelLimits.columns) {
      refuse('too_many_columns', `Sheet ${s.name} has ${s.columns.length} columns; Excel holds at most ${excelLimits.columns}.`, { sheet: s.name, limit: excelLimits.columns });
    }
    if (s.rows.length + 1 > excelLimits.rows) {
      refuse('too_many_rows', `Sheet ${s.name} has ${s.rows.length} rows; Excel holds at most ${excelLimits.rows - 1} under its header.`, { sheet: s.name, limit: excelLimits.rows - 1 });
    }
  }
}

/** The cells of a sheet resolved: row 0 is the header. */
function resolveSheet(s: Sheet): Resolved[][] {
  const header: Resolved[] = s.columns.map((c) => ({ kind: 'text', text: c.header }));
  const body = s.rows.map((row, r) => s.columns.map((c, i) => resolve(row[c.key], c.type, () => `${s.name}!${columnName(i)}${r + 2}`)));
  return [header, ...body];
}

/** A column width that fits Chinese text: a Han or full-width character takes two places. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{20000}-\u{3FFFD}]/u.test(ch) ? 2 : 1;
  return w;
}

const headerFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const headerBorder: Partial<ExcelJS.Borders> = { bottom: { style: 'thin', color: { argb: 'FF8EA9DB' } } };

/**
 * The sheets as an XLSX workbook: a styled, frozen header row with an
 * auto-filter, fitted column widths, typed cells (see the module comment).
 */
export async function toXlsx(book: WorkbookInput): Promise<Buffer> {
  checkShape(book);
  // every cell checked before a byte is written
  const resolved = book.sheets.map(resolveSheet);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  // the streaming writer: rows go out as they are committed; strings in the shared table (t="s", as Excel writes them), never a formula
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  workbook.creator = 'shouhou';
  const taken = new Set<string>();
  for (const [index, s] of book.sheets.entries()) {
    const cells = resolved[index] as Resolved[][];
    const ws = workbook.addWorksheet(sanitizeSheetName(s.name, index, taken), {
      views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    });
    const widest = s.columns.map(() => 8);
    for (const row of cells) row.forEach((r, i) => (widest[i] = Math.max(widest[i] as number, displayWidth(shownText(r)))));
    ws.columns = s.columns.map((c, i) => ({ key: c.key, width: c.width ?? Math.min(60, widest[i] as number) + 2, style: { numFmt: numberFormats[c.type] } }));
    // a filter on every column, over the rows below the header
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: cells.length, column: s.columns.length } };
    cells.forEach((row, r) => {
      const xlRow = ws.getRow(r + 1);
      row.forEach((value, i) => {
        const cell = xlRow.getCell(i + 1);
        switch (value.kind) {
          case 'empty':
            break;
          case 'text':
            // a plain string: exceljs writes a formula only for a { formula } value
            cell.value = value.text;
            cell.numFmt = numberFormats.text;
            break;
          case 'number':
          case 'date':
            cell.value = value.value;
            cell.numFmt = value.format;
            break;
        }
        if (r === 0) {
          cell.font = { bold: true };
          cell.fill = headerFill;
          cell.border = headerBorder;
          cell.alignment = { vertical: 'middle', horizontal: 'center' };
        }
      });
      if (r === 0) xlRow.height = 20;
      xlRow.commit();
    });
    ws.commit();
  }
  await Promise.all([workbook.commit(), finished(out)]);
  return Buffer.concat(chunks);
}

/**
 * The sheets as CSV (see the module comment): UTF-8 bytes with a BOM. One
 * sheet is a header and its rows; several follow each other, each under a
 * "# name" line and followed by a blank line.
 */
export function toCsv(book: WorkbookInput): Buffer {
  checkShape(book);
  const records: string[][] = [];
  const several = book.sheets.length > 1;
  for (const s of book.sheets) {
    if (several) records.push([defuseFormula(`# ${s.name}`)]);
    for (const row of resolveSheet(s)) records.push(row.map((r) => (r.kind === 'text' ? defuseFormula(r.text) : shownText(r))));
    if (several) records.push([]);
  }
  // CR or LF inside a field is quoted too (csv-stringify quotes only the record delimiter itself)
  const text = stringify(records, { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
  return Buffer.from(text, 'utf8');
}

/** An instant as 20260302-0900 on the Shanghai clock: the stamp in an export's file name. */
export function fileStamp(now: Date): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
}

/** A sheet as text rows (header first), shown as in the CSV but not defused: for an HTML print view, which escapes it. */
export function displayRows(s: Sheet): string[][] {
  return resolveSheet(s).map((row) => row.map(shownText));
}
