/** Exports: the S1.1 unshipped batch for the warehouse, and the workbench lists, as XLSX and CSV. */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.ts';
import { columnName, escapeXml, sanitizeSheetName, toCsv, toXlsx } from './xlsx.ts';

function parts(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([k, v]) => [k, strFromU8(v)]));
}

function reasonOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.details?.reason;
    throw e;
  }
  throw new Error('expected an AppError');
}

const batch = [
  ['订单编号', '金额', '备注'],
  ['3021458796541236587', 129.5, '已经提交未发退'],
  ['T<&>"\'', null, '=HYPERLINK("http://x")'],
];

describe('toXlsx', () => {
  it('S1.1 writes the Office Open XML parts a spreadsheet needs', () => {
    const files = parts(toXlsx([{ name: '未发退 2026-03-02', rows: batch }, { name: '统计', rows: [[1]] }]));
    expect(Object.keys(files).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
    ]);
    expect(files['[Content_Types].xml']).toContain('PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"');
    expect(files['[Content_Types].xml']).toContain('PartName="/xl/worksheets/sheet2.xml"');
    expect(files['_rels/.rels']).toContain('Target="xl/workbook.xml"');
    expect(files['xl/workbook.xml']).toContain('<sheet name="未发退 2026-03-02" sheetId="1" r:id="rId1"/>');
    expect(files['xl/workbook.xml']).toContain('<sheet name="统计" sheetId="2" r:id="rId2"/>');
    expect(files['xl/_rels/workbook.xml.rels']).toContain('Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"');
  });

  it('S1.1 strings are inline, numbers are numbers, empty cells are left out, text is XML-escaped', () => {
    const sheet = parts(toXlsx([{ name: 'x', rows: batch }]))['xl/worksheets/sheet1.xml'] as string;
    expect(sheet).toContain('<c r="A1" t="inlineStr"><is><t xml:space="preserve">订单编号</t></is></c>');
    // a long order number stays text, never a rounded number
    expect(sheet).toContain('<c r="A2" t="inlineStr"><is><t xml:space="preserve">3021458796541236587</t></is></c>');
    expect(sheet).toContain('<c r="B2"><v>129.5</v></c>');
    expect(sheet).toContain('<t xml:space="preserve">T&lt;&amp;&gt;&quot;&apos;</t>');
    expect(sheet).not.toContain('r="B3"');
    // an inline string is never a formula
    expect(sheet).toContain('<c r="C3" t="inlineStr"><is><t xml:space="preserve">=HYPERLINK(&quot;http://x&quot;)</t></is></c>');
    expect(sheet).not.toContain('<f>');
  });

  it('S1.1 drops characters XML cannot carry', () => {
    expect(escapeXml('a\u0000b\u0007c\u000Bd\te\nf\uD800g😀')).toBe('abcd\te\nfg😀');
  });

  it('S1.1 sanitizes sheet names: no []:*?/\\, at most 31 characters, unique, not blank', () => {
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
    const names = parts(toXlsx([{ name: 'a/b', rows: [] }, { name: 'A_B', rows: [] }]))['xl/workbook.xml'];
    expect(names).toContain('name="a_b"');
    expect(names).toContain('name="A_B (2)"');
  });

  it('S1.1 names columns past Z', () => {
    expect([0, 25, 26, 27, 701, 702, 16383].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA', 'XFD']);
    const sheet = parts(toXlsx([{ name: 'w', rows: [Array.from({ length: 28 }, (_, i) => i)] }]))['xl/worksheets/sheet1.xml'];
    expect(sheet).toContain('<c r="AB1"><v>27</v></c>');
  });

  it('S1.1 refuses what Excel cannot hold', () => {
    expect(reasonOf(() => toXlsx([]))).toBe('no_sheets');
    expect(reasonOf(() => toXlsx([{ name: 'x', rows: [[Number.NaN]] }]))).toBe('number_not_finite');
    expect(reasonOf(() => toXlsx([{ name: 'x', rows: [['a'.repeat(32_768)]] }]))).toBe('cell_too_long');
  });

  it('S1.1 the same sheets give the same bytes', () => {
    expect(toXlsx([{ name: 'x', rows: batch }])).toEqual(toXlsx([{ name: 'x', rows: batch }]));
  });
});

describe('toCsv', () => {
  it('S1.1 starts with a UTF-8 BOM and ends every record with CRLF', () => {
    expect(toCsv([['订单编号', '金额'], ['T1', 12]])).toBe('\uFEFF订单编号,金额\r\nT1,12\r\n');
    expect(toCsv([])).toBe('\uFEFF');
  });

  it('S1.1 quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    expect(toCsv([['a,b', 'say "hi"', 'line1\nline2', 'cr\r', ' plain ', null, '']])).toBe(
      '\uFEFF"a,b","say ""hi""","line1\nline2","cr\r", plain ,,\r\n',
    );
  });

  it('S1.1 defuses text that a spreadsheet would run as a formula', () => {
    expect(toCsv([['=1+1', '+86 138', '-5', '@SUM(A1)', '\tx', 'a=b']])).toBe("\uFEFF'=1+1,'+86 138,'-5,'@SUM(A1),'\tx,a=b\r\n");
    expect(toCsv([['=HYPERLINK("http://evil","点我")']])).toBe('\uFEFF"\'=HYPERLINK(""http://evil"",""点我"")"\r\n');
    // numbers are numbers: a negative amount is not text to defuse
    expect(toCsv([[-5, 0, 1.5]])).toBe('\uFEFF-5,0,1.5\r\n');
  });
});
