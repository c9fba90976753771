/**
 * Reading an uploaded spreadsheet row by row (issue 14 §1), with flat memory:
 *
 * - XLSX through exceljs's streaming parsers (the workbook's first sheet),
 *   without its styles (reading them makes it three times slower): a date
 *   cell comes as Excel's serial day number, which the date fields read.
 *   The ZIP itself is read here (see xlsxRows: exceljs would cut characters).
 *   Shared strings go to a temporary file and are read back by index, so a
 *   200,000-row workbook never holds its strings in memory. Merged cells read
 *   as their value in every cell they cover: the merges are listed after the
 *   rows in the sheet's XML (and exceljs's streaming reader skips them), so a
 *   first quick pass over the sheet's XML collects them, and counts the rows
 *   for the progress bar.
 * - CSV through csv-parse, decoded from UTF-8 (with or without BOM), UTF-16
 *   (with its BOM) or else GB18030 (a superset of GBK): a first pass checks
 *   whether the whole file is valid UTF-8, so a GBK file is never shown as
 *   mojibake. Bytes the encoding cannot read become U+FFFD, which the row's
 *   validation refuses.
 *
 * The bytes come from a source that can be read more than once and at any
 * offset (the stored file's chunks).
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { SheetCell } from '../../core/import/cell-values.ts';
import { headerScore } from '../../core/import/header-match.ts';
import type { ImportKind } from '../../core/import/import-fields.ts';

/** The stored file: its bytes from the start (as often as needed) and any range of them. */
export interface ByteSource {
  size: number;
  chunks(): AsyncIterable<Uint8Array>;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export type FileFormat = 'csv' | 'xlsx';
export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface SheetRow {
  /** the row's number as the spreadsheet shows it (1-based) */
  rowNo: number;
  /** by column, 0-based */
  cells: SheetCell[];
}

/** Why a file cannot be read at all (the whole upload is refused, with words for the person). */
export class UnreadableFile extends Error {
  constructor(
    readonly reason: 'not_a_spreadsheet' | 'old_excel' | 'empty' | 'no_header' | 'broken',
    message: string,
  ) {
    super(message);
    this.name = 'UnreadableFile';
  }
}

export function bufferSource(bytes: Uint8Array, chunk = 64 * 1024): ByteSource {
  return {
    size: bytes.length,
    async *chunks() {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, Math.min(bytes.length, i + chunk));
    },
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

/** XLSX (a ZIP), the old binary Excel (refused: save it as XLSX or CSV), else text. */
export function formatOf(first: Uint8Array): FileFormat | 'xls' | 'binary' {
  if (first[0] === 0x50 && first[1] === 0x4b && first[2] === 0x03 && first[3] === 0x04) return 'xlsx';
  if (first[0] === 0xd0 && first[1] === 0xcf && first[2] === 0x11 && first[3] === 0xe0) return 'xls';
  // text has no NUL bytes (UTF-16 has them, but starts with its BOM)
  const utf16 = (first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff);
  if (!utf16 && first.subarray(0, 4096).includes(0)) return 'binary';
  return 'csv';
}

async function firstBytes(source: ByteSource, n: number): Promise<Uint8Array> {
  return source.read(0, Math.min(n, source.size));
}

/** The text encoding of a CSV: its BOM, else UTF-8 when every byte of the file is valid UTF-8, else GB18030. */
export async function detectEncoding(source: ByteSource): Promise<TextEncoding> {
  const head = await firstBytes(source, 3);
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of source.chunks()) decoder.decode(chunk, { stream: true });
    decoder.decode();
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

async function* decoded(source: ByteSource, encoding: TextEncoding): AsyncGenerator<string> {
  if (encoding === 'gb18030') {
    const decoder = iconv.getDecoder('gb18030');
    for await (const chunk of source.chunks()) {
      const text = decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (text) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
    return;
  }
  const decoder = new TextDecoder(encoding);
  for await (const chunk of source.chunks()) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The delimiter of a CSV: comma, tab or semicolon, whichever its first line has most of outside quotes. */
function delimiterOf(firstLine: string): string {
  const outside = firstLine.replace(/"[^"]*"/g, '');
  const counts = [',', '\t', ';'].map((d) => [d, outside.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

async function* csvRows(source: ByteSource, encoding: TextEncoding): AsyncGenerator<SheetRow> {
  // the first line decides the delimiter: read the text until it ends
  const texts = decoded(source, encoding);
  const buffered: string[] = [];
  let seen = '';
  // (next() by hand: leaving a for-await loop would close the generator)
  while (!/[\r\n]/.test(seen) && seen.length <= 65_536) {
    const step = await texts.next();
    if (step.done) break;
    buffered.push(step.value);
    seen += step.value;
  }
  const delimiter = delimiterOf(seen.replace(/^\ufeff/, '').split(/\r?\n|\r/)[0] ?? '');
  async function* all(): AsyncGenerator<string> {
    yield* buffered;
    yield* texts;
  }
  const parser = Readable.from(all(), { objectMode: false }).pipe(
    parseCsv({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }),
  );
  let rowNo = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    rowNo += 1;
    yield { rowNo, cells: record };
  }
}

// ---------------------------------------------------------------------------------------------
// XLSX

interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  headerOffset: number;
}

/** The entries of a ZIP from its central directory (at the end of the file). */
async function zipEntries(source: ByteSource): Promise<ZipEntry[]> {
  const broken = (why: string) => new UnreadableFile('broken', `The XLSX file cannot be read (${why}).`);
  const tailLength = Math.min(source.size, 22 + 65_535);
  const tail = Buffer.from(await source.read(source.size - tailLength, tailLength));
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken('no central directory');
  const count = tail.readUInt16LE(eocd + 10);
  const size = tail.readUInt32LE(eocd + 12);
  const offset = tail.readUInt32LE(eocd + 16);
  if (offset + size > source.size) throw broken('a central directory beyond the end');
  const dir = Buffer.from(await source.read(offset, size));
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let k = 0; k < count && p + 46 <= dir.length; k++) {
    if (dir.readUInt32LE(p) !== 0x02014b50) throw broken('a damaged central directory');
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    entries.push({
      name: dir.toString('utf8', p + 46, p + 46 + nameLength),
      method: dir.readUInt16LE(p + 10),
      compressedSize: dir.readUInt32LE(p + 20),
      headerOffset: dir.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** An entry's bytes, decompressed, in pieces. */
async function* entryBytes(source: ByteSource, entry: ZipEntry): AsyncGenerator<Uint8Array> {
  const header = Buffer.from(await source.read(entry.headerOffset, 30));
  if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50) throw new UnreadableFile('broken', 'The XLSX file cannot be read (a damaged entry).');
  const start = entry.headerOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  async function* compressed(): AsyncGenerator<Uint8Array> {
    for (let at = start; at < start + entry.compressedSize; at += 256 * 1024) yield await source.read(at, Math.min(256 * 1024, start + entry.compressedSize - at));
  }
  if (entry.method === 0) {
    yield* compressed();
    return;
  }
  if (entry.method !== 8) throw new UnreadableFile('broken', `The XLSX file cannot be read (compression method ${entry.method}).`);
  yield* Readable.from(compressed()).pipe(createInflateRaw()) as AsyncIterable<Uint8Array>;
}

/** Text of an entry, cut only between characters (exceljs would decode each piece on its own). */
async function* entryText(source: ByteSource, entry: ZipEntry): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const piece of entryBytes(source, entry)) {
    const text = decoder.decode(piece, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

async function entryWholeText(source: ByteSource, entry: ZipEntry | undefined): Promise<string> {
  if (!entry) return '';
  let text = '';
  for await (const piece of entryText(source, entry)) text += piece;
  return text;
}

interface Workbook {
  entries: Map<string, ZipEntry>;
  /** the first worksheet in the workbook's order (the tab a person sees first) */
  sheet: ZipEntry;
  sharedStrings: ZipEntry | undefined;
}

/** The workbook's parts: its first worksheet (workbook.xml's first sheet, through its relationship) and its shared strings. */
async function openWorkbook(source: ByteSource): Promise<Workbook> {
  const entries = new Map((await zipEntries(source)).map((e) => [e.name, e]));
  const book = await entryWholeText(source, entries.get('xl/workbook.xml'));
  const rels = await entryWholeText(source, entries.get('xl/_rels/workbook.xml.rels'));
  const firstId = /<sheet\b[^>]*?\br:id="([^"]+)"/.exec(book)?.[1];
  const target = firstId ? new RegExp(`<Relationship\\b[^>]*?\\bId="${firstId.replace(/[^\w-]/g, '')}"[^>]*?\\bTarget="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`<Relationship\\b[^>]*?\\bTarget="([^"]+)"[^>]*?\\bId="${firstId.replace(/[^\w-]/g, '')}"`).exec(rels)?.[1] : undefined;
  const named = target ? entries.get(target.startsWith('/') ? target.slice(1) : `xl/${target}`) : undefined;
  const sheet = named ?? [...entries.values()].filter((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name)).sort((a, b) => a.headerOffset - b.headerOffset)[0];
  if (!sheet) throw new UnreadableFile('broken', 'The XLSX file has no worksheet.');
  return { entries, sheet, sharedStrings: entries.get('xl/sharedStrings.xml') };
}

/** The merges and the row count of the first worksheet, read from its XML without parsing the cells. */
async function scanFirstSheet(source: ByteSource): Promise<{ book: Workbook; merges: Merge[]; rows: number }> {
  const book = await openWorkbook(source);
  const merges: Merge[] = [];
  let rows = 0;
  let carry = '';
  const scan = (text: string, final: boolean) => {
    const buffer = carry + text;
    // a tag cut at the end of this piece is found whole in the next one
    const cut = final ? buffer.length : Math.max(0, buffer.length - 64);
    for (const m of buffer.matchAll(/<row[\s>]/g)) if (m.index < cut) rows += 1;
    for (const m of buffer.matchAll(/<mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"/g)) {
      if (m.index >= cut) continue;
      merges.push({ left: columnIndex(m[1]!), top: Number(m[2]), right: columnIndex(m[3]!), bottom: Number(m[4]) });
    }
    carry = buffer.slice(cut);
  };
  try {
    for await (const text of entryText(source, book.sheet)) scan(text, false);
    scan('', true);
  } catch (e) {
    if (e instanceof UnreadableFile) throw e;
    throw new UnreadableFile('broken', `The XLSX file cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  merges.sort((a, b) => a.top - b.top || a.left - b.left);
  return { book, merges, rows };
}

/**
 * The workbook's shared strings, on disk: appended in order, read back by index (a 200,000-row workbook
 * has millions; in memory they would be hundreds of megabytes).
 */
class SharedStringFile {
  private readonly file = path.join(os.tmpdir(), `shouhou-import-${randomBytes(8).toString('hex')}.strings`);
  private readonly fd = openSync(this.file, 'w+', 0o600);
  private offsets = new Float64Array(1024);
  private count = 0;
  private end = 0;
  private pending: Buffer[] = [];
  private pendingSize = 0;

  append(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    if (this.count + 1 >= this.offsets.length) {
      const grown = new Float64Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.count] = this.end;
    this.count += 1;
    this.end += bytes.length;
    this.offsets[this.count] = this.end;
    this.pending.push(bytes);
    this.pendingSize += bytes.length;
    if (this.pendingSize > 256 * 1024) this.flush();
  }

  private flush(): void {
    if (this.pendingSize === 0) return;
    const all = Buffer.concat(this.pending);
    writeSync(this.fd, all, 0, all.length, this.end - this.pendingSize);
    this.pending = [];
    this.pendingSize = 0;
  }

  get(index: number): string {
    if (index < 0 || index >= this.count) return '';
    this.flush();
    const start = this.offsets[index]!;
    const length = this.offsets[index + 1]! - start;
    if (length === 0) return '';
    const buffer = Buffer.allocUnsafe(length);
    readSync(this.fd, buffer, 0, length, start);
    return buffer.toString('utf8');
  }

  close(): void {
    try {
      closeSync(this.fd);
    } finally {
      try {
        unlinkSync(this.file);
      } catch {
        // already gone
      }
    }
  }
}

type RichText = { richText: { text?: string }[] };
const textOfRich = (v: RichText) => v.richText.map((r) => r.text ?? '').join('');

/** An exceljs cell value as a sheet cell. */
function cellOf(value: unknown, strings: SharedStringFile): SheetCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.sharedString === 'number') return strings.get(v.sharedString);
    if (Array.isArray(v.richText)) return textOfRich(v as RichText);
    if (typeof v.formula === 'string' || typeof v.sharedFormula === 'string') return { formula: String(v.formula ?? v.sharedFormula) };
    if (typeof v.error === 'string') return { error: v.error };
    if (typeof v.text === 'string') return v.text;
  }
  return String(value);
}

/** exceljs's streaming reader, as far as this module uses it: its shared-string and worksheet parsers. */
interface ExcelStreamParsers {
  _parseSharedStrings(entry: Readable): AsyncIterable<{ index: number; text: unknown }>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Iterable<{ eventType: string; value: AsyncIterable<{ number: number; values: unknown[] }> }>;
}

/**
 * The rows of the first worksheet. The ZIP is read here (its central directory, each part inflated with
 * node:zlib) and exceljs's streaming parsers are given each part as text: exceljs decodes every piece of
 * bytes on its own, which turns a Chinese character cut between two pieces into U+FFFD; text cut
 * between characters never is.
 */
async function* xlsxRows(source: ByteSource, scanned?: { book: Workbook; merges: Merge[] }): AsyncGenerator<SheetRow> {
  const { book, merges } = scanned ?? (await scanFirstSheet(source));
  const strings = new SharedStringFile();
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
      sharedStrings: 'emit',
      styles: 'ignore',
      worksheets: 'emit',
      hyperlinks: 'ignore',
      entries: 'ignore',
    } as never) as unknown as ExcelStreamParsers;
    if (book.sharedStrings) {
      for await (const s of reader._parseSharedStrings(Readable.from(entryText(source, book.sharedStrings)))) {
        const t = s.text;
        strings.append(typeof t === 'string' ? t : t && typeof t === 'object' && Array.isArray((t as RichText).richText) ? textOfRich(t as RichText) : '');
      }
    }
    const [event] = [...reader._parseWorksheet(entryText(source, book.sheet), '1')];
    if (!event) throw new UnreadableFile('broken', 'The XLSX file cannot be read (no worksheet).');
    let next = 0;
    const active: (Merge & { value: SheetCell })[] = [];
    for await (const row of event.value) {
      const values = Array.isArray(row.values) ? row.values : [];
      const cells: SheetCell[] = [];
      for (let c = 1; c < values.length; c++) cells[c - 1] = cellOf(values[c], strings);
      for (let c = 0; c < cells.length; c++) if (cells[c] === undefined) cells[c] = null;
      // merged cells: the top-left cell's value in every cell of the merge
      while (next < merges.length && merges[next]!.top <= row.number) {
        const m = merges[next++]!;
        active.push({ ...m, value: m.top === row.number ? (cells[m.left] ?? null) : null });
      }
      for (let i = active.length - 1; i >= 0; i--) {
        const m = active[i]!;
        if (m.bottom < row.number) {
          active.splice(i, 1);
          continue;
        }
        if (m.value === null) continue;
        for (let c = m.left; c <= m.right; c++) {
          if (row.number === m.top && c === m.left) continue;
          cells[c] = m.value;
        }
      }
      for (let c = 0; c < cells.length; c++) if (cells[c] === undefined) cells[c] = null;
      yield { rowNo: row.number, cells };
    }
  } catch (e) {
    if (e instanceof UnreadableFile) throw e;
    throw new UnreadableFile('broken', `The XLSX file cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    strings.close();
  }
}

// ---------------------------------------------------------------------------------------------
// both

export interface FileShape {
  format: FileFormat;
  /** CSV only */
  encoding: TextEncoding | null;
}

/** Every row of the file, empty ones included, in order. */
export function readSheetRows(source: ByteSource, shape: FileShape, scanned?: { book: Workbook; merges: Merge[] }): AsyncGenerator<SheetRow> {
  return shape.format === 'xlsx' ? xlsxRows(source, scanned) : csvRows(source, shape.encoding ?? 'utf-8');
}

/** A cell as header text (a formula or an error value is no header). */
export function headerText(cell: SheetCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'object' && !(cell instanceof Date)) return '';
  return String(cell instanceof Date ? cell.toISOString() : cell).trim();
}

export function isEmptyRow(row: SheetRow): boolean {
  return row.cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));
}

/** How many rows at the top may come before the header (a title, an export note). */
const HEADER_SEARCH_ROWS = 30;

export interface Inspection extends FileShape {
  headerRowNo: number;
  /** by column, as written (trimmed); '' for a column without a header */
  headers: string[];
  /** rows after the header that hold something */
  dataRows: number;
}

/**
 * Reads the file once: its format and encoding, its header row (the row among the first 30 that names most
 * of the kind's fields; without any, the first with two different values — a merged title row has one), and
 * how many data rows follow it.
 */
export async function inspectFile(source: ByteSource, kind: ImportKind): Promise<Inspection> {
  const head = await firstBytes(source, 8);
  if (head.length === 0) throw new UnreadableFile('empty', 'The file is empty.');
  const format = formatOf(head);
  if (format === 'xls') throw new UnreadableFile('old_excel', 'This is an old Excel file (.xls); save it as .xlsx or .csv and upload it again.');
  if (format === 'binary') throw new UnreadableFile('not_a_spreadsheet', 'This is not a spreadsheet: upload an .xlsx or .csv file.');
  const encoding = format === 'csv' ? await detectEncoding(source) : null;
  const shape: FileShape = { format, encoding };
  // an XLSX says how many rows it has in the quick pass; a CSV is read to its end (csv-parse is fast)
  const scanned = format === 'xlsx' ? await scanFirstSheet(source) : undefined;
  const candidates: { rowNo: number; texts: string[]; seen: number }[] = [];
  let chosen: { rowNo: number; texts: string[]; seen: number } | null = null;
  let seen = 0;
  let dataRows = 0;
  for await (const row of readSheetRows(source, shape, scanned)) {
    seen += 1;
    // a long file: let the server answer other requests meanwhile
    if (seen % 2000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (chosen === null) {
      if (isEmptyRow(row)) continue;
      candidates.push({ rowNo: row.rowNo, texts: row.cells.map(headerText), seen });
      if (candidates.length < HEADER_SEARCH_ROWS) continue;
      chosen = pickHeader(candidates, kind);
      dataRows = candidates.filter((c) => c.rowNo > chosen!.rowNo).length;
      if (scanned) break;
      continue;
    }
    if (!isEmptyRow(row)) dataRows += 1;
  }
  if (chosen === null) {
    if (candidates.length === 0) throw new UnreadableFile('empty', 'The file has no rows.');
    chosen = pickHeader(candidates, kind);
    dataRows = candidates.filter((c) => c.rowNo > chosen!.rowNo).length;
  } else if (scanned) {
    dataRows = Math.max(dataRows, scanned.rows - chosen.seen);
  }
  const headers = chosen.texts;
  while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop();
  return { ...shape, headerRowNo: chosen.rowNo, headers, dataRows };
}

function pickHeader<C extends { rowNo: number; texts: string[] }>(candidates: C[], kind: ImportKind): C {
  let best: C | null = null;
  let bestScore = 0;
  for (const c of candidates) {
    const score = headerScore(kind, c.texts);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  if (best) return best;
  const plain = candidates.find((c) => new Set(c.texts.filter((t) => t !== '')).size >= 2);
  if (!plain) throw new UnreadableFile('no_header', 'No header row was found: the file needs a row of column names above its data.');
  return plain;
}
