/** Exports: one module writes every XLSX (exceljs) and CSV (csv-stringify); each test reads the file back. */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.ts';
import { formatYuan } from '../../core/money.ts';
import { columnName, displayRows, sanitizeSheetName, sheet, toCsv, toXlsx, typed, type WorkbookInput } from './spreadsheet.ts';

async function readXlsx(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return wb;
}

function readCsv(bytes: Buffer): string[][] {
  return parse(bytes, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
}

async function reasonOf(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AppError) return e.details?.reason;
    throw e;
  }
  throw new Error('expected an AppError');
}

/** What a spreadsheet would run as a formula, were it written as one (OWASP CSV injection). */
const hostile = ['=HYPERLINK("http://x","y")', '+1', '-1', '@SUM(A1)', '\t=1+1', '\r=1+1', '=1+1'];

const batch: WorkbookInput = {
  sheets: [
    sheet({
      name: '未发退 2026-03-02',
      columns: [
        { header: '订单编号', key: 'orderNo', type: 'text', width: 24 },
        { header: '退款编号', key: 'refundId', type: 'integer' },
        { header: '退款金额(元)', key: 'amount', type: 'money_fen' },
        { header: '状态', key: 'status', type: 'text' },
        { header: '申请日期', key: 'day', type: 'date' },
        { header: '标记时间', key: 'at', type: 'datetime' },
        { header: '退款率', key: 'rate', type: 'percent' },
      ],
      rows: [
        { orderNo: '3021458796541236587', refundId: 7, amount: 1234, status: '已作废', day: '2026-03-02', at: '2026-03-02T01:02:03.456Z', rate: 0.1234 },
        { orderNo: 'T<&>"\'', refundId: 8, amount: -1, status: null, day: new Date('2026-03-02T17:00:00Z'), at: new Date('2026-03-02T16:30:00Z'), rate: 1 },
        ...hostile.map((text, i) => ({ orderNo: text, refundId: 100 + i, amount: 0, status: text })),
      ],
    }),
  ],
};

describe('toXlsx', () => {
  it('S1.1 writes a sheet with a bold, filled, frozen header row, an auto-filter and column widths', async () => {
    const wb = await readXlsx(await toXlsx(batch));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['未发退 2026-03-02']);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['订单编号', '退款编号', '退款金额(元)', '状态', '申请日期', '标记时间', '退款率']);
    const head = ws.getCell('A1');
    expect(head.font?.bold).toBe(true);
    expect(head.fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } });
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.getColumn(1).width).toBe(24);
    // fitted: "退款金额(元)" is 4 Han characters and 4 narrow ones, 12 places, plus 2
    expect(ws.getColumn(3).width).toBe(14);
    expect(ws.rowCount).toBe(3 + hostile.length);
  });

  it('S1.1 money in fen is a number of yuan with two decimals; text stays text; dates are dates on the Shanghai clock', async () => {
    const ws = (await readXlsx(await toXlsx(batch))).worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getCell('C2').value).toBe(12.34);
    expect(ws.getCell('C2').numFmt).toBe('0.00');
    expect(ws.getCell('C3').value).toBe(-0.01);
    // a long order number stays text, never a rounded number
    expect(ws.getCell('A2').value).toBe('3021458796541236587');
    expect(ws.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('A3').value).toBe('T<&>"\'');
    expect(ws.getCell('B2').value).toBe(7);
    expect(ws.getCell('B2').numFmt).toBe('0');
    expect(ws.getCell('D3').value).toBeNull();
    const day = ws.getCell('E2').value;
    expect(day).toBeInstanceOf(Date);
    expect((day as Date).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(ws.getCell('E2').numFmt).toBe('yyyy-mm-dd');
    // an instant's date is its Shanghai date: 17:00 UTC is 01:00 the next day in Shanghai
    expect((ws.getCell('E3').value as Date).toISOString()).toBe('2026-03-03T00:00:00.000Z');
    // a spreadsheet has no time zones: the cell holds the Shanghai wall clock
    const at = ws.getCell('F2').value;
    expect(at).toBeInstanceOf(Date);
    expect((at as Date).toISOString()).toBe('2026-03-02T09:02:03.000Z');
    expect(ws.getCell('F2').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect((ws.getCell('F3').value as Date).toISOString()).toBe('2026-03-03T00:30:00.000Z');
    expect(ws.getCell('G2').value).toBe(0.1234);
    expect(ws.getCell('G2').numFmt).toBe('0.00%');
  });

  it('S1.1 never writes text as a formula (=HYPERLINK, +1, -1, @SUM, tab, CR)', async () => {
    const ws = (await readXlsx(await toXlsx(batch))).worksheets[0] as ExcelJS.Worksheet;
    hostile.forEach((text, i) => {
      for (const ref of [`A${4 + i}`, `D${4 + i}`]) {
        const cell = ws.getCell(ref);
        expect(cell.type, `${ref} ${JSON.stringify(text)}`).toBe(ExcelJS.ValueType.String);
        expect(cell.formula).toBeUndefined();
        // XML turns a carriage return into a line feed when read (XML 1.0 §2.11); still text
        expect(cell.value).toBe(text.replace(/\r/g, '\n'));
      }
    });
  });

  it('S1.2 money is exact for any amount in fen: the cell is the decimal yuan, never a float error', async () => {
    const amounts = fc.sample(fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }), { numRuns: 500, seed: 14 });
    amounts.push(1234, 1, 10, 99, 100, 110_000, 33_800, 19_900 + 5000 + 607, Number.MAX_SAFE_INTEGER);
    const bytes = await toXlsx({ sheets: [sheet({ name: 'm', columns: [{ header: '金额', key: 'fen', type: 'money_fen' }], rows: amounts.map((fen) => ({ fen })) })] });
    const ws = (await readXlsx(bytes)).worksheets[0] as ExcelJS.Worksheet;
    amounts.forEach((fen, i) => {
      const value = ws.getCell(`A${i + 2}`).value as number;
      expect(value).toBe(Number(formatYuan(fen)));
      expect(String(value)).toBe(String(Number(formatYuan(fen))));
    });
  });

  it('S1.2 several sheets, each under its own header; a cell typed on its own in an 指标/数值 sheet', async () => {
    const wb = await readXlsx(
      await toXlsx({
        sheets: [
          sheet({
            name: '概览',
            columns: [
              { header: '指标', key: 'item', type: 'text' },
              { header: '数值', key: 'value', type: 'text' },
            ],
            rows: [
              { item: '开始日期', value: typed('date', '2026-11-01') },
              { item: '退款成功金额(元)', value: typed('money_fen', 1234) },
              { item: '退款率', value: '—' },
            ],
          }),
          sheet({ name: '按货号', columns: [{ header: '项目', key: 'label', type: 'text' }], rows: [{ label: 'XZ-2061' }] }),
        ],
      }),
    );
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概览', '按货号']);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.getCell('B2').value).toBeInstanceOf(Date);
    expect(ws.getCell('B3').value).toBe(12.34);
    expect(ws.getCell('B3').numFmt).toBe('0.00');
    expect(ws.getCell('B4').value).toBe('—');
    expect((wb.worksheets[1] as ExcelJS.Worksheet).views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('S1.1 sanitizes sheet names: no []:*?/\\, at most 31 characters, unique, not blank', async () => {
    const taken = new Set<string>();
    expect(sanitizeSheetName('批次[1]: 2026/03/02 *?\\', 0, taken)).toBe('批次_1__ 2026_03_02 ___');
    expect(sanitizeSheetName('  ', 1, taken)).toBe('Sheet2');
    expect(sanitizeSheetName("'quoted'", 2, taken)).toBe('quoted');
    expect(sanitizeSheetName('History', 3, taken)).toBe('History_');
    const long = '售后'.repeat(20);
    const first = sanitizeSheetName(long, 4, taken);
    const second = sanitizeSheetName(long, 5, taken);
    expect(first).toHaveLength(31);
    expect(second).toHaveLength(31);
    expect(second.endsWith(' (2)')).toBe(true);
    expect(sanitizeSheetName('SHEET2', 6, taken)).toBe('SHEET2 (2)');
    const one = [{ header: 'a', key: 'a', type: 'text' as const }];
    const wb = await readXlsx(await toXlsx({ sheets: [sheet({ name: 'a/b', columns: one, rows: [] }), sheet({ name: 'A_B', columns: one, rows: [] })] }));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['a_b', 'A_B (2)']);
  });

  it('S1.1 names columns past Z', () => {
    expect([0, 25, 26, 27, 701, 702, 16383].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA', 'XFD']);
  });

  it('S1.1 refuses what Excel cannot hold and cells of the wrong type', async () => {
    const one = (type: 'text' | 'money_fen' | 'date' | 'datetime' | 'integer' | 'percent', value: unknown) =>
      toXlsx({ sheets: [sheet({ name: 'x', columns: [{ header: 'h', key: 'v', type }], rows: [{ v: value as string }] })] });
    expect(await reasonOf(() => toXlsx({ sheets: [] }))).toBe('no_sheets');
    expect(await reasonOf(() => toXlsx({ sheets: [sheet({ name: 'x', columns: [], rows: [] })] }))).toBe('no_columns');
    expect(await reasonOf(() => one('text', 'a'.repeat(32_768)))).toBe('cell_too_long');
    expect(await reasonOf(() => one('money_fen', 12.5))).toBe('cell_type');
    expect(await reasonOf(() => one('money_fen', '12.34'))).toBe('cell_type');
    expect(await reasonOf(() => one('integer', Number.NaN))).toBe('cell_type');
    expect(await reasonOf(() => one('percent', Number.POSITIVE_INFINITY))).toBe('cell_type');
    expect(await reasonOf(() => one('date', '2026-02-30'))).toBe('cell_type');
    expect(await reasonOf(() => one('date', '2026/03/02'))).toBe('cell_type');
    expect(await reasonOf(() => one('datetime', 'yesterday'))).toBe('cell_type');
    expect(await reasonOf(() => toCsv({ sheets: [] }))).toBe('no_sheets');
  });
});

describe('toCsv', () => {
  it('S1.1 UTF-8 with a BOM, CRLF after every record; the same columns, money as 12.34, dates on the Shanghai clock', () => {
    const bytes = toCsv(batch);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFF订单编号,退款编号,退款金额(元),状态,申请日期,标记时间,退款率\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = readCsv(bytes);
    expect(rows[0]).toEqual(['订单编号', '退款编号', '退款金额(元)', '状态', '申请日期', '标记时间', '退款率']);
    expect(rows[1]).toEqual(['3021458796541236587', '7', '12.34', '已作废', '2026-03-02', '2026-03-02 09:02:03', '12.34%']);
    expect(rows[2]).toEqual(['T<&>"\'', '8', '-0.01', '', '2026-03-03', '2026-03-03 00:30:00', '100.00%']);
  });

  it('S1.1 quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    const bytes = toCsv({
      sheets: [sheet({ name: 'q', columns: ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => ({ header: key, key, type: 'text' as const })), rows: [{ a: 'a,b', b: 'say "hi"', c: 'line1\nline2', d: 'cr\rx', e: ' plain ', f: null }] })],
    });
    expect(bytes.toString('utf8')).toBe('\uFEFFa,b,c,d,e,f\r\n"a,b","say ""hi""","line1\nline2","cr\rx", plain ,\r\n');
    expect(readCsv(bytes)[1]).toEqual(['a,b', 'say "hi"', 'line1\nline2', 'cr\rx', ' plain ', '']);
  });

  it('S1.1 text a spreadsheet would run as a formula begins with an apostrophe; numbers are numbers', () => {
    const rows = readCsv(toCsv(batch)).slice(3);
    hostile.forEach((text, i) => {
      expect(rows[i]?.[0]).toBe(`'${text}`);
      expect(rows[i]?.[3]).toBe(`'${text}`);
      // a negative amount is a number, not text to defuse
      expect(rows[i]?.[2]).toBe('0.00');
    });
    expect(readCsv(toCsv(batch))[2]?.[2]).toBe('-0.01');
    const plain = readCsv(toCsv({ sheets: [sheet({ name: 'p', columns: [{ header: 'h', key: 'v', type: 'text' }], rows: [{ v: 'a=b' }, { v: '售后-1' }] })] }));
    expect(plain.slice(1)).toEqual([['a=b'], ['售后-1']]);
  });

  it('S1.2 several sheets follow each other, each under a "# name" line and followed by a blank line', () => {
    const two = toCsv({
      sheets: [
        sheet({ name: '概览', columns: [{ header: '指标', key: 'k', type: 'text' }, { header: '数值', key: 'v', type: 'text' }], rows: [{ k: '退款率', v: typed('percent', 0.5) }] }),
        sheet({ name: '按货号', columns: [{ header: '项目', key: 'k', type: 'text' }], rows: [{ k: '=1' }] }),
      ],
    });
    expect(two.toString('utf8')).toBe("\uFEFF# 概览\r\n指标,数值\r\n退款率,50.00%\r\n\r\n# 按货号\r\n项目\r\n'=1\r\n\r\n");
  });
});

describe('displayRows', () => {
  it('S1.1 the print view shows the cells as the CSV does, without the apostrophe (HTML escapes them)', () => {
    const rows = displayRows(batch.sheets[0]!);
    expect(rows[1]).toEqual(['3021458796541236587', '7', '12.34', '已作废', '2026-03-02', '2026-03-02 09:02:03', '12.34%']);
    expect(rows[3]?.[0]).toBe('=HYPERLINK("http://x","y")');
  });
});
