/**
 * The cells of an imported spreadsheet read as shouhou's values (pure): text,
 * ids, amounts in fen, Shanghai times, quantities, phones and addresses. Each
 * reader gives `{ ok: value }` or the error that refuses the row.
 *
 * A cell is what the readers give: text (CSV, and XLSX strings), a number, a
 * boolean, a date (XLSX date cells: its UTC fields are the wall clock the
 * sheet shows), a formula or an error value of the sheet, or nothing.
 */
import type { Address } from '../refund/refund-model.ts';
import { yuanToFen } from '../../platform/taobao/top-sign.ts';
import { rowError, type RowError } from './import-errors.ts';

export type SheetCell = string | number | boolean | Date | { formula: string } | { error: string } | null;

export type Read<T> = { ok: T } | { error: RowError };

const ok = <T>(value: T): Read<T> => ({ ok: value });
const fail = (error: RowError): Read<never> => ({ error });

/** Asia/Shanghai has kept UTC+8 without daylight saving since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

// eslint-disable-next-line no-control-regex -- control characters (but tab and line breaks) are what a database would not keep
const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A formula a spreadsheet would run: = at the start (=HYPERLINK(…), =1+2), or + - @ before a function
 * name or a DDE call (+SUM(…), @cmd|…). `="3900…"` is not one: it is how platform CSVs keep long ids as text.
 */
export function isFormulaText(text: string): boolean {
  const t = text.trimStart();
  if (t.startsWith('=')) return !/^="[^"]*"$/.test(t);
  return /^[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*[(|!]/.test(t);
}

/** `="3900…"` → 3900…; a leading apostrophe before digits ('13800…, Excel's text marker) dropped. */
function unwrapText(text: string): string {
  const wrapped = /^\s*="([^"]*)"\s*$/.exec(text);
  const t = wrapped ? wrapped[1]! : text;
  return /^'[\d+-]/.test(t) ? t.slice(1) : t;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A sheet's date cell (wall clock in its UTC fields) as the text it shows. */
function wallClockText(d: Date): string {
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds();
  return time === 0 ? base : `${base} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The cell as text (trimmed): a formula, a sheet error or unreadable characters refuse the row. */
export function readText(cell: SheetCell, column: string, options: { maxLength?: number } = {}): Read<string> {
  if (cell === null || cell === undefined) return ok('');
  if (typeof cell === 'object' && !(cell instanceof Date)) {
    if ('formula' in cell) return fail(rowError('formula', { column, value: `=${cell.formula.replace(/^=/, '')}` }));
    return fail(rowError('bad_cell', { column, value: cell.error }));
  }
  let text: string;
  if (typeof cell === 'string') {
    if (isFormulaText(cell)) return fail(rowError('formula', { column, value: cell.trim() }));
    text = unwrapText(cell);
  } else if (typeof cell === 'number') text = Number.isFinite(cell) ? String(cell) : '';
  else if (typeof cell === 'boolean') text = cell ? 'TRUE' : 'FALSE';
  else text = Number.isNaN(cell.getTime()) ? '' : wallClockText(cell);
  // U+FFFD: bytes the file's encoding could not read (never shown as mojibake)
  if (text.includes('\ufffd') || controls.test(text) || loneSurrogate.test(text)) return fail(rowError('bad_chars', { column }));
  text = text.trim();
  const max = options.maxLength ?? 2000;
  if (Array.from(text).length > max) return fail(rowError('too_long', { column, expected: String(max) }));
  return ok(text);
}

/** Required text: empty refuses the row. */
export function readRequiredText(cell: SheetCell, column: string): Read<string> {
  const t = readText(cell, column);
  if ('error' in t) return t;
  return t.ok === '' ? fail(rowError('required', { column })) : t;
}

/**
 * A platform id (订单编号, 退款编号, 子订单编号) as decimal text. A number cell is taken only when it is an
 * exact integer; a long id the spreadsheet turned into a rounded number (3.9E+18) is refused as such.
 */
export function readId(cell: SheetCell, column: string, required: boolean): Read<string | null> {
  if (typeof cell === 'number') {
    if (Number.isSafeInteger(cell) && cell >= 0) return ok(String(cell));
    return fail(rowError(Number.isInteger(cell) ? 'id_rounded' : 'bad_id', { column, value: String(cell) }));
  }
  const t = readText(cell, column);
  if ('error' in t) return t;
  const text = t.ok.replace(/\s+/g, '');
  if (text === '') return required ? fail(rowError('required', { column })) : ok(null);
  if (/^[0-9]{1,40}$/.test(text)) return ok(BigInt(text).toString());
  if (/^[0-9](\.[0-9]+)?e\+?[0-9]+$/i.test(text)) return fail(rowError('id_rounded', { column, value: t.ok }));
  return fail(rowError('bad_id', { column, value: t.ok }));
}

/**
 * An amount in yuan as integer fen: 12, 12.3, 12.30, ¥1,234.50, 12.30元; a number cell with at most two
 * decimals. Anything else (12.3.4, -5, 1.234, 1,23) refuses the row. Empty gives null.
 */
export function readAmount(cell: SheetCell, column: string): Read<number | null> {
  if (typeof cell === 'number') {
    const fen = Math.round(cell * 100);
    if (!Number.isFinite(cell) || cell < 0 || !Number.isSafeInteger(fen) || Math.abs(cell * 100 - fen) > 1e-6) {
      return fail(rowError('bad_amount', { column, value: String(cell) }));
    }
    return ok(fen);
  }
  const t = readText(cell, column);
  if ('error' in t) return t;
  if (t.ok === '') return ok(null);
  let text = t.ok.replace(/^[¥￥]\s*/, '').replace(/\s*元$/, '').trim();
  // thousands separators only where they group three digits
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/,/g, '');
  const fen = yuanToFen(text);
  return fen === null ? fail(rowError('bad_amount', { column, value: t.ok })) : ok(fen);
}

/** A whole number of items, 1 or more. Empty gives null. */
export function readQuantity(cell: SheetCell, column: string): Read<number | null> {
  if (typeof cell === 'number') return Number.isSafeInteger(cell) && cell >= 1 && cell <= 1_000_000 ? ok(cell) : fail(rowError('bad_quantity', { column, value: String(cell) }));
  const t = readText(cell, column);
  if ('error' in t) return t;
  if (t.ok === '') return ok(null);
  const n = /^\d{1,7}$/.test(t.ok) ? Number(t.ok) : NaN;
  return n >= 1 ? ok(n) : fail(rowError('bad_quantity', { column, value: t.ok }));
}

/** The instant of a Shanghai wall-clock time. */
function fromShanghai(y: number, mo: number, d: number, h: number, mi: number, s: number): Date | null {
  if (y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  // 2026-02-30 rolls over: not a date
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return new Date(utc - SHANGHAI_OFFSET_MS);
}

/** Excel's serial day number (1900 system) as a wall clock: 46000.5 → 2025-12-09 12:00. */
function fromSerial(serial: number): Date | null {
  if (!Number.isFinite(serial) || serial < 36526 || serial > 73051) return null; // 2000-01-01 … 2100-01-01
  const ms = Math.round((serial - 25569) * 86_400_000 / 1000) * 1000;
  const wall = new Date(ms);
  return fromShanghai(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds());
}

const dateText =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?$/;

/**
 * A time of the export, in Asia/Shanghai: 2026-11-01 10:30:00, 2026/11/1 10:30, 2026-11-01, 2026年11月1日
 * 10时30分, an ISO time with its offset, a date cell, or Excel's serial number. Empty gives null.
 */
export function readTime(cell: SheetCell, column: string): Read<Date | null> {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return fail(rowError('bad_date', { column, value: '' }));
    // a serial day number carries float noise: 10:00 may read 09:59:59.999
    const d = new Date(Math.round(cell.getTime() / 1000) * 1000);
    const at = fromShanghai(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
    return at ? ok(at) : fail(rowError('bad_date', { column, value: wallClockText(d) }));
  }
  if (typeof cell === 'number') {
    const at = fromSerial(cell);
    return at ? ok(at) : fail(rowError('bad_date', { column, value: String(cell) }));
  }
  const t = readText(cell, column);
  if ('error' in t) return t;
  if (t.ok === '') return ok(null);
  const m = dateText.exec(t.ok);
  if (m) {
    const at = fromShanghai(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
    return at ? ok(at) : fail(rowError('bad_date', { column, value: t.ok }));
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(t.ok)) {
    const at = new Date(t.ok);
    if (!Number.isNaN(at.getTime())) return ok(at);
  }
  return fail(rowError('bad_date', { column, value: t.ok }));
}

/** Digits of a phone number (or a masked one, 138****1234), with +86, spaces, dashes and brackets. */
const phoneShape = /^\+?[\d*][\d*\s\-()（）]{3,24}$/;

/** A mobile or landline number as written in an address column: it is not an address. */
export function looksLikePhone(text: string): boolean {
  const t = text.replace(/[\s\-()（）]/g, '');
  return /^(\+?86)?1[3-9]\d{9}$/.test(t) || /^0\d{9,11}$/.test(t) || /^(\+?86)?1[3-9]\d\*{4}\d{4}$/.test(t) || /^\d{7,8}$/.test(t);
}

/** A phone number (联系手机): digits, maybe masked; anything else (words, an address) refuses the row. */
export function readPhone(cell: SheetCell, column: string): Read<string> {
  const t = typeof cell === 'number' && Number.isSafeInteger(cell) ? ok(String(cell)) : readText(cell, column);
  if ('error' in t) return t;
  if (t.ok === '') return t;
  const digits = t.ok.replace(/\D/g, '').length;
  return phoneShape.test(t.ok) && (digits >= 5 || t.ok.includes('*')) ? ok(t.ok) : fail(rowError('bad_phone', { column, value: t.ok }));
}

const provinceEnd = /(省|自治区|特别行政区|市)$/;
const cityEnd = /(市|自治州|地区|盟|州)$/;
const districtEnd = /(区|县|市|旗|镇)$/;
const compactAddress = /^(.{2,12}?(?:省|自治区|特别行政区))?(.{2,12}?(?:市|自治州|地区|盟))?(.{1,12}?(?:区|县|市|旗))?(.*)$/;

/**
 * A shipping address as exports write it (浙江省 杭州市 西湖区 文三路 100 号(310000), or without spaces)
 * split into province, city, district and the rest; a postcode at its end is dropped. A phone number in the
 * address column refuses the row (the columns are matched wrong).
 */
export function readAddress(cell: SheetCell, column: string): Read<Address> {
  const t = readText(cell, column);
  if ('error' in t) return t;
  if (t.ok === '') return ok({ province: '', city: '', district: '', detail: '' });
  if (looksLikePhone(t.ok)) return fail(rowError('phone_in_address', { column, value: t.ok }));
  const text = t.ok.replace(/[（(]\s*\d{6}\s*[)）]\s*$/, '').replace(/(?<=\D)[,，]?\s*\d{6}\s*$/, '').trim();
  const parts = text.split(/\s+/);
  // 北京 北京市 朝阳区 …: the province's short name first
  if (parts.length >= 3 && !provinceEnd.test(parts[0]!) && parts[1]!.startsWith(parts[0]!) && provinceEnd.test(parts[1]!)) parts.shift();
  if (parts.length >= 3 && provinceEnd.test(parts[0]!)) {
    const [province, second, third, ...rest] = parts as [string, string, string, ...string[]];
    // a municipality writes its name twice (北京 北京市 朝阳区) or once (上海市 浦东新区 …)
    if (cityEnd.test(second) && districtEnd.test(third)) return ok({ province, city: second, district: third, detail: rest.join(' ') });
    if (districtEnd.test(second)) return ok({ province, city: province, district: second, detail: [third, ...rest].join(' ') });
    if (cityEnd.test(second)) return ok({ province, city: second, district: '', detail: [third, ...rest].join(' ') });
  }
  const m = compactAddress.exec(text.replace(/\s+/g, ' '));
  if (m && (m[1] || m[2])) {
    const province = (m[1] ?? m[2] ?? '').trim();
    return ok({ province, city: (m[2] ?? province).trim(), district: (m[3] ?? '').trim(), detail: (m[4] ?? '').trim() });
  }
  return ok({ province: '', city: '', district: '', detail: text });
}
