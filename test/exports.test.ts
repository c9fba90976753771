/**
 * Every export read back (issue 14 §2): the warehouse's unshipped batch, the
 * supervisor's statistics and the service reports, as XLSX (exceljs) and CSV
 * (csv-parse), on each database: the header row styled and frozen, money a
 * number of yuan with two decimals, dates real dates, and text a spreadsheet
 * would run as a formula (=HYPERLINK, +1, -1, @SUM) kept as text (§1: never
 * written back as a formula).
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceReportSheets, type ServiceReports } from '../src/app/service/desk.ts';
import { toCsv, toXlsx } from '../src/app/export/spreadsheet.ts';
import type { Role } from '../src/core/roles.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';

const HYPERLINK = '=HYPERLINK("http://x","y")';

async function readXlsx(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return wb;
}

const readCsv = (bytes: Buffer) => parse(bytes, { bom: true, relax_column_count: true }) as string[][];

const headerOf = (ws: ExcelJS.Worksheet) => (ws.getRow(1).values as unknown[]).slice(1);

function rowWith(ws: ExcelJS.Worksheet, column: number, value: unknown): ExcelJS.Row {
  const row = ws.getRows(2, Math.max(ws.rowCount - 1, 1))?.find((r) => r.getCell(column).value === value);
  if (!row) throw new Error(`no row of ${ws.name} has ${JSON.stringify(value)} in column ${column}`);
  return row;
}

/** The header row is bold on a fill, and frozen. */
function expectStyledHeader(ws: ExcelJS.Worksheet): void {
  expect(ws.views[0], ws.name).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(ws.getCell('A1').font?.bold, ws.name).toBe(true);
  expect(ws.getCell('A1').fill, ws.name).toMatchObject({ type: 'pattern', pattern: 'solid' });
}

/** A text cell that is text, not a formula. */
function expectText(cell: ExcelJS.Cell, text: string): void {
  expect(cell.value).toBe(text);
  expect(cell.type).toBe(ExcelJS.ValueType.String);
  expect(cell.formula).toBeUndefined();
}

for (const dialect of DIALECTS) {
  describe(`exports, read back [${dialect}]`, () => {
    const t0 = new Date('2026-11-10T00:30:00.000Z'); // 08:30 in Shanghai, before the batch's 09:00 cut-off
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let api: ReturnType<typeof client>;
    let refundId = 0;

    async function download(role: Role, url: string): Promise<{ status: number; type: string; disposition: string; raw: Buffer }> {
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${f.tokens[role]}` } });
      return { status: res.statusCode, type: String(res.headers['content-type']), disposition: String(res.headers['content-disposition']), raw: res.rawPayload };
    }

    beforeAll(async () => {
      ctx = await createTestContext(dialect, t0);
      f = await setupShop(ctx, 'exports');
      app = await buildServer({ ctx });
      api = client(app, f);
      // an order number and product codes a spreadsheet would take for formulas
      const hostile = await makeOrder(ctx, f, 'paid', {
        orderNo: '-1',
        lines: [
          { sku: HYPERLINK, title: '春季新款真皮单鞋', style: '@SUM(A1)', size: '37', unitPriceFen: 1234, quantity: 1 },
          { sku: '+1', title: '休闲平底小白鞋', style: '-1', size: '37', unitPriceFen: 1000, quantity: 1 },
        ],
        paidFen: 2234,
      });
      const refund = await api.post('buyer', '/api/v1/refunds', { orderNo: hostile.orderNo, type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted', amountFen: 1234, lineNo: 1 });
      expect(refund.status, JSON.stringify(refund.body)).toBe(201);
      refundId = refund.body.id;
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    it('S1.1 the unshipped batch as XLSX and CSV: its columns, money as 12.34, the marking time a date, "-1" text', async () => {
      const batch = (await api.post('agent', '/api/v1/unshipped-batches/collect')).body;
      expect(batch.lines.map((l: { refundId: number }) => l.refundId)).toEqual([refundId]);
      expect((await api.post('agent', `/api/v1/unshipped-batches/${batch.id}/send`, { version: batch.version })).status).toBe(200);
      ctx.clock.set(new Date('2026-11-10T01:15:30.000Z'));
      expect((await api.post('warehouse', `/api/v1/unshipped-batches/${batch.id}/lines/${refundId}`, { status: 'voided' })).status).toBe(200);

      const xlsx = await download('warehouse', `/api/v1/unshipped-batches/${batch.id}?format=xlsx`);
      expect(xlsx.status).toBe(200);
      expect(xlsx.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(xlsx.disposition).toBe('attachment; filename="unshipped-2026-11-10.xlsx"');
      const ws = (await readXlsx(xlsx.raw)).worksheets[0] as ExcelJS.Worksheet;
      expect(ws.name).toBe('未发退 2026-11-10');
      expect(headerOf(ws)).toEqual(['订单编号', '退款编号', '退款金额（元）', '状态', '标记时间']);
      expectStyledHeader(ws);
      expectText(ws.getCell('A2'), '-1');
      expect(ws.getCell('B2').value).toBe(refundId);
      expect(ws.getCell('C2').value).toBe(12.34);
      expect(ws.getCell('C2').numFmt).toBe('0.00');
      expect(ws.getCell('D2').value).toBe('已作废');
      // marked at 09:15:30 in Shanghai: the cell shows the Shanghai clock
      expect(ws.getCell('E2').value).toEqual(new Date('2026-11-10T09:15:30.000Z'));
      expect(ws.getCell('E2').numFmt).toBe('yyyy-mm-dd hh:mm:ss');

      const csv = await download('warehouse', `/api/v1/unshipped-batches/${batch.id}?format=csv`);
      expect(csv.type).toBe('text/csv; charset=utf-8');
      expect(csv.disposition).toBe('attachment; filename="unshipped-2026-11-10.csv"');
      expect([...csv.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(readCsv(csv.raw)).toEqual([
        ['订单编号', '退款编号', '退款金额（元）', '状态', '标记时间'],
        ["'-1", String(refundId), '12.34', '已作废', '2026-11-10 09:15:30'],
      ]);

      const print = await download('warehouse', `/api/v1/unshipped-batches/${batch.id}?format=print`);
      expect(print.raw.toString('utf8')).toContain('<td>-1</td><td>' + refundId + '</td><td>12.34</td><td>已作废</td><td>2026-11-10 09:15:30</td>');
    });

    it('S1.2 the statistics as XLSX and CSV: five sheets, the period as dates, money as numbers, product codes as text', async () => {
      const url = '/api/v1/stats/refunds?from=2026-11-01&to=2026-11-30';
      const stats = (await api.get('supervisor', url)).body;
      expect(stats.bySku.map((b: { key: string }) => b.key)).toEqual([HYPERLINK]);

      const xlsx = await download('supervisor', `${url}&format=xlsx`);
      expect(xlsx.status).toBe(200);
      expect(xlsx.disposition).toBe('attachment; filename="refund-stats-2026-11-01_2026-11-30.xlsx"');
      const wb = await readXlsx(xlsx.raw);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['概览', '按退款原因', '按真实原因', '按款式', '按货号']);
      for (const ws of wb.worksheets) expectStyledHeader(ws);
      const overview = wb.worksheets[0] as ExcelJS.Worksheet;
      expect(headerOf(overview)).toEqual(['指标', '数值']);
      expect(rowWith(overview, 1, '开始日期').getCell(2).value).toEqual(new Date('2026-11-01T00:00:00.000Z'));
      expect(rowWith(overview, 1, '结束日期').getCell(2).value).toEqual(new Date('2026-11-30T00:00:00.000Z'));
      expect(rowWith(overview, 1, '订单数').getCell(2).value).toBe(1);
      expect(rowWith(overview, 1, '退款数').getCell(2).value).toBe(1);
      const rate = rowWith(overview, 1, '退款率').getCell(2);
      expect(rate.value).toBe(1);
      expect(rate.numFmt).toBe('0.00%');
      const bySku = wb.getWorksheet('按货号') as ExcelJS.Worksheet;
      expect(headerOf(bySku)).toEqual(['项目', '代码', '退款笔数', '申请金额（元）']);
      expectText(bySku.getCell('A2'), HYPERLINK);
      expectText(bySku.getCell('B2'), HYPERLINK);
      expect(bySku.getCell('C2').value).toBe(1);
      expect(bySku.getCell('D2').value).toBe(12.34);
      expect(bySku.getCell('D2').numFmt).toBe('0.00');
      expectText((wb.getWorksheet('按款式') as ExcelJS.Worksheet).getCell('A2'), '@SUM(A1)');

      const csv = await download('supervisor', `${url}&format=csv`);
      expect(csv.disposition).toBe('attachment; filename="refund-stats-2026-11-01_2026-11-30.csv"');
      const rows = readCsv(csv.raw);
      expect(rows.slice(0, 4)).toEqual([['# 概览'], ['指标', '数值'], ['开始日期', '2026-11-01'], ['结束日期', '2026-11-30']]);
      expect(rows).toContainEqual(['退款成功金额（元）', '0.00']);
      expect(rows).toContainEqual(['退款率', '100.00%']);
      const skuAt = rows.findIndex((r) => r[0] === '# 按货号');
      expect(rows.slice(skuAt, skuAt + 3)).toEqual([['# 按货号'], ['项目', '代码', '退款笔数', '申请金额（元）'], [`'${HYPERLINK}`, `'${HYPERLINK}`, '1', '12.34']]);
      const styleAt = rows.findIndex((r) => r[0] === '# 按款式');
      expect(rows[styleAt + 2]).toEqual(["'@SUM(A1)", "'@SUM(A1)", '1', '12.34']);
    });

    it('S1.2 a refund over the whole order shares its amount by line value; "+1" and "-1" stay text', async () => {
      const other = await makeOrder(ctx, f, 'paid', {
        lines: [
          { sku: '+1', title: '休闲平底小白鞋', style: '-1', size: '37', unitPriceFen: 1000, quantity: 1 },
          { sku: 'XZ-2061', title: '春季新款真皮单鞋', style: '单鞋', size: '37', unitPriceFen: 3000, quantity: 1 },
        ],
        paidFen: 4000,
      });
      expect((await api.post('buyer', '/api/v1/refunds', { orderNo: other.orderNo, type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted', amountFen: 4000 })).status).toBe(201);
      const wb = await readXlsx((await download('supervisor', '/api/v1/stats/refunds?from=2026-11-01&to=2026-11-30&format=xlsx')).raw);
      const sku = rowWith(wb.getWorksheet('按货号') as ExcelJS.Worksheet, 2, '+1');
      expectText(sku.getCell(1), '+1');
      expect(sku.getCell(4).value).toBe(10);
      expect(sku.getCell(4).numFmt).toBe('0.00');
      const style = rowWith(wb.getWorksheet('按款式') as ExcelJS.Worksheet, 2, '-1');
      expectText(style.getCell(1), '-1');
      const rows = readCsv((await download('supervisor', '/api/v1/stats/refunds?from=2026-11-01&to=2026-11-30&format=csv')).raw);
      expect(rows).toContainEqual(["'+1", "'+1", '1', '10.00']);
      expect(rows).toContainEqual(["'-1", "'-1", '1', '10.00']);
    });
  });
}

describe('the service reports, read back', () => {
  const report: ServiceReports = {
    from: '2026-03-01',
    to: '2026-04-30',
    responseTimes: { count: 3, medianMinutes: 1410, p90Minutes: 2000, maxMinutes: 2100, onTime: 2, late: 1, onTimeShare: 2 / 3 },
    workMix: {
      total: 4,
      phone: 1,
      warranty: 1,
      freeByDecision: 0,
      undecided: 0,
      paid: { count: 2, pendingDecision: 0, accepted: 1, declined: 1, acceptedFen: 1234, collectedFen: 1234, invoicedFen: 0, outstandingFen: 0 },
      cancelled: 0,
    },
    satisfactionByProduct: [
      { product: '商用净水设备 RO-500', count: 3, average: 4.33, distribution: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 2 } },
      { product: HYPERLINK, count: 1, average: 1, distribution: { 1: 1, 2: 0, 3: 0, 4: 0, 5: 0 } },
    ],
  } as ServiceReports;

  it('as XLSX: the period as dates, money as numbers, the satisfaction table typed, a product that looks like a formula as text', async () => {
    const wb = await readXlsx(await toXlsx(serviceReportSheets(report)));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['售后服务报表', '响应时间（来电→到达现场，S5.8）', '保修与有偿维修（S5.4、S5.5）', '满意度（按产品，S5.7）']);
    for (const ws of wb.worksheets) expectStyledHeader(ws);
    const head = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(rowWith(head, 1, '开始日期').getCell(2).value).toEqual(new Date('2026-03-01T00:00:00.000Z'));
    const times = wb.worksheets[1] as ExcelJS.Worksheet;
    expect(rowWith(times, 1, '中位数（分钟）').getCell(2).value).toBe(1410);
    expect(rowWith(times, 1, '按时率').getCell(2).numFmt).toBe('0.00%');
    const money = rowWith(wb.worksheets[2] as ExcelJS.Worksheet, 1, '同意报价金额（元）').getCell(2);
    expect(money.value).toBe(12.34);
    expect(money.numFmt).toBe('0.00');
    const satisfaction = wb.worksheets[3] as ExcelJS.Worksheet;
    expect(headerOf(satisfaction)).toEqual(['产品', '回访接通数', '平均满意度', '1 非常不满意', '2 不满意', '3 一般', '4 满意', '5 非常满意']);
    expect((satisfaction.getRow(2).values as unknown[]).slice(1)).toEqual(['商用净水设备 RO-500', 3, 4.33, 0, 0, 1, 0, 2]);
    expectText(satisfaction.getCell('A3'), HYPERLINK);
  });

  it('as CSV: the sections of before under "# " lines, money as 12.34, the product defused', () => {
    const rows = readCsv(toCsv(serviceReportSheets(report)));
    expect(rows.slice(0, 4)).toEqual([['# 售后服务报表'], ['指标', '数值'], ['开始日期', '2026-03-01'], ['结束日期', '2026-04-30']]);
    expect(rows).toContainEqual(['# 满意度（按产品，S5.7）']);
    expect(rows).toContainEqual(['按时率', '66.67%']);
    expect(rows).toContainEqual(['同意报价金额（元）', '12.34']);
    expect(rows).toContainEqual([`'${HYPERLINK}`, '1', '1', '1', '0', '0', '0', '0']);
    const open = readCsv(toCsv(serviceReportSheets({ ...report, from: null, to: null })));
    expect(open.slice(2, 4)).toEqual([['开始日期', '—'], ['结束日期', '—']]);
  });
});
