import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { orderReportHeaders, sampleOrderRows, toXlsxBytes } from '../../cli/import-samples.ts';
import { bufferSource, detectEncoding, inspectFile, readSheetRows, UnreadableFile, type SheetRow } from './sheet-reader.ts';

const csv = '订单编号,买家会员名,订单状态,收货地址\r\n="3900000000000000001",tb_小美,"买家已付款，等待卖家发货","浙江省 杭州市 西湖区 文三路 1 号, 3 幢"\r\n\r\n="3900000000000000002",鹏飞,交易成功,"上海市 浦东新区\n世纪大道 2 号"\r\n';

async function all(rows: AsyncIterable<SheetRow>): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

describe('issue 14 §1: reading uploaded spreadsheets', () => {
  it('a CSV in GBK, in UTF-8 with or without BOM, in UTF-16 reads the same: never mojibake, whatever the chunk boundaries', async () => {
    const files = {
      gb18030: iconv.encode(csv, 'gbk'),
      'utf-8': Buffer.from(csv, 'utf8'),
      bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]),
      'utf-16le': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv.replace(/,/g, '\t').replace(/"浙江省 杭州市 西湖区 文三路 1 号\t 3 幢"/, '"浙江省 杭州市 西湖区 文三路 1 号, 3 幢"'), 'utf16le')]),
    };
    for (const [name, bytes] of Object.entries(files)) {
      // chunks of 7 bytes cut characters in half
      const source = bufferSource(bytes, 7);
      const shape = await inspectFile(source, 'orders');
      expect(shape.encoding, name).toBe(name === 'bom' ? 'utf-8' : name);
      expect(shape.headers, name).toEqual(['订单编号', '买家会员名', '订单状态', '收货地址']);
      expect(shape.dataRows, name).toBe(2);
      const rows = await all(readSheetRows(source, shape));
      expect(rows.map((r) => r.rowNo), name).toEqual([1, 2, 3, 4]);
      expect(rows[1]!.cells, name).toEqual(['="3900000000000000001"', 'tb_小美', '买家已付款，等待卖家发货', '浙江省 杭州市 西湖区 文三路 1 号, 3 幢']);
      expect(rows[3]!.cells[3], name).toBe('上海市 浦东新区\n世纪大道 2 号');
    }
  });

  it('a file that is GBK somewhere after a long ASCII start is still GBK', async () => {
    const long = `${'a,b\r\n'.repeat(20_000)}张三,李四\r\n`;
    expect(await detectEncoding(bufferSource(iconv.encode(long, 'gbk'), 4096))).toBe('gb18030');
    expect(await detectEncoding(bufferSource(Buffer.from(long, 'utf8'), 4096))).toBe('utf-8');
  });

  it('XLSX: merged cells read as their value in every cell they cover (a title, header groups, an order\'s cells down its lines)', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('明细');
    sheet.addRow(['宝贝明细（2026-11-20）']);
    sheet.mergeCells('A1:C1');
    sheet.addRow(['订单编号', '宝贝标题', '价格']);
    sheet.addRow(['3900000000000000001', '单鞋', 199]);
    sheet.addRow([null, '板鞋', 129]);
    sheet.mergeCells('A3:A4');
    const source = bufferSource(Buffer.from(await book.xlsx.writeBuffer()), 100);
    const shape = await inspectFile(source, 'orders');
    expect(shape).toMatchObject({ format: 'xlsx', headerRowNo: 2, headers: ['订单编号', '宝贝标题', '价格'], dataRows: 2 });
    const rows = await all(readSheetRows(source, shape));
    expect(rows.map((r) => r.cells)).toEqual([
      ['宝贝明细（2026-11-20）', '宝贝明细（2026-11-20）', '宝贝明细（2026-11-20）'],
      ['订单编号', '宝贝标题', '价格'],
      ['3900000000000000001', '单鞋', 199],
      ['3900000000000000001', '板鞋', 129],
    ]);
  });

  it('XLSX: thousands of Chinese strings (inflated in 16 KB pieces that cut characters) read without a single U+FFFD', async () => {
    const expected = [...sampleOrderRows({ orders: 2000, seed: 2 })];
    const bytes = await toXlsxBytes(orderReportHeaders, expected, { title: '淘宝订单报表' });
    const source = bufferSource(bytes, 1000);
    const shape = await inspectFile(source, 'orders');
    expect(shape.headerRowNo).toBe(2);
    const rows = (await all(readSheetRows(source, shape))).slice(2);
    expect(rows).toHaveLength(expected.length);
    for (const [i, row] of rows.entries()) {
      expect(row.cells[orderReportHeaders.indexOf('收货地址')]).toBe(expected[i]!.收货地址);
      expect(row.cells[orderReportHeaders.indexOf('宝贝标题')]).toBe(expected[i]!.宝贝标题);
      expect(row.cells.some((c) => typeof c === 'string' && c.includes('\ufffd'))).toBe(false);
    }
  });

  it('an old .xls, a binary file, an empty one and a damaged XLSX are refused as such', async () => {
    const reason = async (bytes: Buffer) => {
      try {
        await inspectFile(bufferSource(bytes), 'orders');
        return 'read';
      } catch (e) {
        return e instanceof UnreadableFile ? e.reason : String(e);
      }
    };
    expect(await reason(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]))).toBe('old_excel');
    expect(await reason(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))).toBe('not_a_spreadsheet');
    expect(await reason(Buffer.alloc(0))).toBe('empty');
    expect(await reason(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]))).toBe('broken');
    expect(await reason(Buffer.from('just one line\n'))).toBe('no_header');
  });
});
