/**
 * Exports for the warehouse, finance and the supervisor: a minimal XLSX
 * (Office Open XML, inline strings, no shared strings or styles) and a CSV
 * that Excel opens correctly in Chinese. Both take rows of plain cells.
 */
import { strToU8, zipSync } from 'fflate';
import { AppError } from '../../core/errors.ts';

export type Cell = string | number | null;
export interface SheetInput {
  name: string;
  rows: Cell[][];
}

/** Excel's limits (specifications and limits of Excel 2007+). */
export const excelLimits = { rows: 1_048_576, columns: 16_384, cellChars: 32_767, sheetNameChars: 31 } as const;

// characters XML 1.0 cannot carry at all, and lone surrogates
// eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point
const invalidXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe inside an XML element or attribute: invalid characters dropped, markup escaped. */
export function escapeXml(text: string): string {
  return text
    .replace(invalidXml, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
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

function refuse(reason: string, message: string, details: Record<string, unknown> = {}): never {
  throw new AppError('VALIDATION_FAILED', message, { reason, ...details });
}

function cellXml(value: Cell, ref: string, sheet: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) refuse('number_not_finite', `Cell ${sheet}!${ref} is not a finite number.`, { sheet, cell: ref });
    return `<c r="${ref}"><v>${Object.is(value, -0) ? 0 : value}</v></c>`;
  }
  const text = String(value);
  if (text.length > excelLimits.cellChars) {
    refuse('cell_too_long', `Cell ${sheet}!${ref} has ${text.length} characters; Excel holds at most ${excelLimits.cellChars}.`, {
      sheet,
      cell: ref,
      limit: excelLimits.cellChars,
    });
  }
  // an inline string is never evaluated as a formula, so "=…" needs no defusing here
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`;
}

/** A column width that fits Chinese text: a Han or full-width character takes two places. */
function displayWidth(value: Cell): number {
  if (value === null) return 0;
  let w = 0;
  for (const ch of String(value)) w += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{20000}-\u{3FFFD}]/u.test(ch) ? 2 : 1;
  return w;
}

function sheetXml(sheet: SheetInput, name: string): string {
  if (sheet.rows.length > excelLimits.rows) {
    refuse('too_many_rows', `Sheet ${name} has ${sheet.rows.length} rows; Excel holds at most ${excelLimits.rows}.`, { sheet: name, limit: excelLimits.rows });
  }
  const widths: number[] = [];
  const rows: string[] = [];
  sheet.rows.forEach((row, r) => {
    if (row.length > excelLimits.columns) {
      refuse('too_many_columns', `Row ${r + 1} of ${name} has ${row.length} cells; Excel holds at most ${excelLimits.columns}.`, {
        sheet: name,
        limit: excelLimits.columns,
      });
    }
    const cells: string[] = [];
    row.forEach((value, c) => {
      const xml = cellXml(value, `${columnName(c)}${r + 1}`, name);
      if (xml === null) return;
      cells.push(xml);
      widths[c] = Math.max(widths[c] ?? 0, Math.min(displayWidth(value), 60));
    });
    if (cells.length) rows.push(`<row r="${r + 1}">${cells.join('')}</row>`);
  });
  const cols = widths.length
    ? `<cols>${Array.from(widths, (w, i) => `<col min="${i + 1}" max="${i + 1}" width="${Math.max(8, (w ?? 0) + 2)}" customWidth="1"/>`).join('')}</cols>`
    : '';
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${cols}<sheetData>${rows.join('')}</sheetData></worksheet>`
  );
}

const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** One workbook, one worksheet per sheet, zipped. Deterministic: the same sheets give the same bytes. */
export function toXlsx(sheets: SheetInput[]): Uint8Array {
  if (sheets.length === 0) refuse('no_sheets', 'A workbook needs at least one sheet.');
  const taken = new Set<string>();
  const names = sheets.map((s, i) => sanitizeSheetName(s.name, i, taken));
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      xmlHead +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        names
          .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
          .join('') +
        '</Types>',
    ),
    '_rels/.rels': strToU8(
      xmlHead +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        '</Relationships>',
    ),
    'xl/workbook.xml': strToU8(
      xmlHead +
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
        names.map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
        '</sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      xmlHead +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        names
          .map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
          .join('') +
        '</Relationships>',
    ),
  };
  sheets.forEach((sheet, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(sheetXml(sheet, names[i] as string));
  });
  return zipSync(files, { level: 6, mtime: new Date(2000, 0, 1) });
}

/** Characters that make Excel (or LibreOffice) read a cell as a formula: defused with a leading '. */
const formulaStart = /^[=+\-@\t\r]/;

function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) refuse('number_not_finite', 'A CSV cell is not a finite number.');
    return String(Object.is(value, -0) ? 0 : value);
  }
  let text = String(value);
  if (formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 CSV: CRLF line ends, fields with " , CR or LF quoted, quotes
 * doubled; a UTF-8 BOM so Excel reads Chinese as UTF-8; text starting with
 * = + - @ (or tab, CR) prefixed with ' against formula injection.
 */
export function toCsv(rows: Cell[][]): string {
  return `\uFEFF${rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('')}`;
}
