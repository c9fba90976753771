/**
 * Issue 14 §1: importing the shop's exports (order report, refund report) as
 * XLSX and CSV, on both databases, with files made here the way the back
 * office writes them: a GBK CSV order report, a UTF-8-BOM CSV refund report, an
 * XLSX with a merged title row and merged header cells. Bad rows of every kind
 * are refused with their reason while the others go in; the preview writes
 * nothing; re-importing changes nothing; a newer export updates; an imported
 * refund later seen by the live sync is the same record.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.ts';
import { importWork, runImportJob, stopImports } from '../src/app/import/run-import.ts';
import type { AppContext } from '../src/app/context.ts';
import { orderReportHeaders, refundReportHeaders, sampleOrderRows, sampleRefundRows, shanghaiText, toCsvBytes, type OrderReportRow, type RefundReportRow } from '../src/cli/import-samples.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import type { PlatformOrder, PlatformRefund } from '../src/platform/connector.ts';
import { createTaobaoConnector } from '../src/platform/taobao/taobao-connector.ts';
import { fenToYuan } from '../src/platform/taobao/top-sign.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { setupShop, type ShopFixture } from './support/fixtures.ts';
import { importClient } from './support/imports.ts';
import { connectedShop, type ConnectedShop } from './support/platform.ts';

const NOW = new Date('2026-11-20T02:00:00.000Z');
const EXPORTED = '2026-11-20T01:00:00.000Z';

/** One order report row, from a plausible base. */
function orderRow(orderNo: string, overrides: Partial<OrderReportRow> = {}): OrderReportRow {
  return {
    订单编号: orderNo,
    买家会员名: 'tb_李小美88',
    买家实际支付金额: '199.00',
    买家应付邮费: '0.00',
    订单状态: '卖家已发货，等待买家确认',
    收货人姓名: '李小美',
    联系手机: '13812341234',
    收货地址: '浙江省 杭州市 西湖区 文三路 100 号 3 幢 502(310000)',
    宝贝标题: '春季新款真皮单鞋女 尖头细跟浅口',
    商家编码: 'XZ-2061',
    销售属性: '颜色分类:黑色;尺码:37',
    购买数量: '1',
    价格: '199.00',
    物流公司: '中通快递',
    物流单号: 'ZT7700001',
    订单创建时间: '2026-11-10 10:29:00',
    订单付款时间: '2026-11-10 10:30:00',
    订单备注: '',
    ...overrides,
  };
}

/** The order report of the first test: real-looking orders, then one bad row of every kind. */
function orderReport() {
  const good = [...sampleOrderRows({ orders: 12, seed: 7, before: NOW })];
  const bad = {
    date: '3900000000000000901',
    amount: '3900000000000000902',
    status: '3900000000000000903',
    phoneInAddress: '3900000000000000904',
    formula: '3900000000000000905',
    twoLines: '3900000000000000906',
    unpaid: '3900000000000000907',
  };
  const rows = [
    ...good,
    orderRow(bad.date, { 订单付款时间: '2026-13-45 10:00:00' }),
    orderRow(bad.amount, { 买家实际支付金额: '12.3.4' }),
    orderRow(bad.status, { 订单状态: '已完成' }),
    orderRow(bad.phoneInAddress, { 收货地址: '13812345678' }),
    orderRow(bad.formula, { 宝贝标题: '=HYPERLINK("http://evil.example","点我领券")' }),
    orderRow(''),
    orderRow(bad.twoLines, { 买家实际支付金额: '328.00', 价格: '199.00' }),
    orderRow(bad.twoLines, { 买家实际支付金额: '328.00', 宝贝标题: '百搭小白鞋女 真皮休闲板鞋', 商家编码: 'XZ-3110', 价格: '12.3.4' }),
    orderRow(bad.unpaid, { 订单状态: '等待买家付款', 物流公司: '', 物流单号: '' }),
  ];
  return { rows, bad };
}

async function countRows(ctx: AppContext, table: 'orders' | 'order_lines' | 'order_events' | 'refunds' | 'refund_events'): Promise<number> {
  const r = await ctx.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

for (const dialect of DIALECTS) {
  describe(`issue 14 §1: importing the platform's exports [${dialect}]`, () => {
    let ctx: TestContext;
    let f: ShopFixture;
    let app: Api;
    let api: ReturnType<typeof importClient>;

    beforeEach(async () => {
      ctx = await createTestContext(dialect, NOW);
      f = await setupShop(ctx, 'import-shop');
      app = await buildServer({ ctx });
      api = importClient(app, ctx, f);
    });
    afterEach(async () => {
      await app.close();
      await ctx.close();
    });

    it('a GBK CSV order report: the preview gives every row\'s outcome and each error in words, writing nothing; the commit imports the good orders whole', async () => {
      const { rows, bad } = orderReport();
      const file = toCsvBytes(orderReportHeaders, rows, 'gbk');
      const up = await api.upload({ kind: 'orders', file, fileName: '订单报表-20261120.csv', exportedAt: EXPORTED, contentType: 'text/csv' });
      expect(up.status, JSON.stringify(up.body)).toBe(201);
      expect(up.body).toMatchObject({ status: 'uploaded', format: 'csv', encoding: 'gb18030', headerRow: 1, missing: [], mappingSource: 'preset', totalRows: rows.length });
      expect(up.body.headers).toEqual([...orderReportHeaders]);
      expect(up.body.mapping).toMatchObject({ orderNo: '订单编号', paid: '买家实际支付金额', status: '订单状态', address: '收货地址' });

      const orders0 = await countRows(ctx, 'orders');
      const events0 = await countRows(ctx, 'order_events');
      const previewed = await api.preview(up.body.id);
      expect(previewed.body.status).toBe('previewed');
      const goodRows = rows.length - 9;
      expect(previewed.body.counts).toEqual({ new: goodRows, updated: 0, unchanged: 0, skipped: 1, error: 8 });
      expect(previewed.body.processedRows).toBe(rows.length);
      // the dry run wrote no order, no line, no event
      expect(await countRows(ctx, 'orders')).toBe(orders0);
      expect(await countRows(ctx, 'order_events')).toBe(events0);

      const errors = (await api.rows(up.body.id, 'outcome=error')).body;
      expect(errors.total).toBe(8);
      const byId = (id: string) => errors.items.filter((r: { platformId: string | null }) => r.platformId === id);
      const reasons = (id: string) => byId(id).flatMap((r: { errors: { code: string; column: string }[] }) => r.errors.map((e) => `${e.code}@${e.column}`));
      expect(reasons(bad.date)).toEqual(['bad_date@订单付款时间']);
      expect(reasons(bad.amount)).toEqual(['bad_amount@买家实际支付金额']);
      expect(reasons(bad.status)).toEqual(['unknown_status@订单状态']);
      expect(reasons(bad.phoneInAddress)).toEqual(['phone_in_address@收货地址']);
      expect(reasons(bad.formula)).toEqual(['formula@宝贝标题']);
      // the order's first line is fine, its second is not: the whole order waits
      expect(reasons(bad.twoLines)).toEqual(['same_order_error@', 'bad_amount@价格']);
      const missing = errors.items.find((r: { platformId: string | null }) => r.platformId === null);
      expect(missing.errors.map((e: { code: string; column: string }) => `${e.code}@${e.column}`)).toEqual(['required@订单编号']);
      // in words, in both languages, naming the column as the file writes it
      const amountError = byId(bad.amount)[0].errors[0];
      expect(amountError.message['zh-CN']).toBe('“12.3.4”不是金额。请写成 12.30 这样的数字，最多两位小数。');
      expect(amountError.message.en).toContain('"12.3.4" is not an amount');
      const skipped = (await api.rows(up.body.id, 'outcome=skipped')).body.items;
      expect(skipped).toMatchObject([{ platformId: bad.unpaid, note: { 'zh-CN': '买家还没有付款，这个订单不导入。' } }]);

      const committed = await api.commit(up.body.id);
      expect(committed.body).toMatchObject({ status: 'committed', counts: { new: goodRows, updated: 0, unchanged: 0, skipped: 1, error: 8 } });
      const imported = await ctx.db.kysely.selectFrom('orders').selectAll().where('shop_id', '=', f.shop.id).execute();
      const goodIds = [...new Set(rows.slice(0, goodRows).map((r) => r.订单编号))];
      expect(imported.map((o) => o.order_no).sort()).toEqual(goodIds.sort());
      expect(imported.every((o) => o.source === 'import')).toBe(true);
      // an order's lines are its rows; sizes from the SKU's properties
      const multi = goodIds.find((id) => rows.filter((r) => r.订单编号 === id).length > 1)!;
      const order = imported.find((o) => o.order_no === multi)!;
      const lines = await ctx.db.kysely.selectFrom('order_lines').selectAll().where('order_id', '=', order.id).orderBy('line_no').execute();
      expect(lines.map((l) => [l.sku, l.size])).toEqual(rows.filter((r) => r.订单编号 === multi).map((r) => [r.商家编码, r.销售属性.split('尺码:')[1]]));
      expect(order).toMatchObject({ province: expect.any(String), district: expect.stringMatching(/区$/) });
      // the export's phone and address are kept in full (the buyer portal opens an order by its phone)
      expect(order.buyer_phone).toMatch(/^1\d{10}$/);
      const audit = await ctx.db.kysely.selectFrom('audit_log').select('action').where('action', 'like', 'import.%').execute();
      expect(audit.map((a) => a.action)).toEqual(['import.upload', 'import.preview', 'import.previewed', 'import.commit', 'import.committed']);

      // ---- the same file again: nothing changes
      const events1 = await countRows(ctx, 'order_events');
      const again = await api.importAll({ kind: 'orders', file, fileName: '订单报表-20261120.csv', exportedAt: EXPORTED });
      expect(again.previewed.counts).toEqual({ new: 0, updated: 0, unchanged: goodRows, skipped: 1, error: 8 });
      expect(again.committed.counts).toEqual({ new: 0, updated: 0, unchanged: goodRows, skipped: 1, error: 8 });
      expect(await countRows(ctx, 'order_events')).toBe(events1);
      expect(await countRows(ctx, 'order_lines')).toBe(goodRows);

      // ---- a newer export: what changed is updated, the rest is not
      const shipped = rows.find((r) => r.订单状态 === '卖家已发货，等待买家确认' && goodIds.includes(r.订单编号))!;
      const newer = rows.map((r) => (r.订单编号 === shipped.订单编号 ? { ...r, 订单状态: '交易成功' } : r));
      const later = await api.importAll({ kind: 'orders', file: toCsvBytes(orderReportHeaders, newer, 'gbk'), fileName: '订单报表-20261121.csv', exportedAt: '2026-11-21T01:00:00.000Z' });
      const shippedRows = rows.filter((r) => r.订单编号 === shipped.订单编号).length;
      expect(later.committed.counts).toEqual({ new: 0, updated: shippedRows, unchanged: goodRows - shippedRows, skipped: 1, error: 8 });
      const finished = await ctx.db.kysely.selectFrom('orders').selectAll().where('order_no', '=', shipped.订单编号).executeTakeFirstOrThrow();
      expect(finished.status).toBe('TRADE_FINISHED');
      expect(finished.platform_status).toBe('交易成功');

      // ---- an older export changes nothing, and says why
      const older = rows.map((r) => (r.订单编号 === shipped.订单编号 ? { ...r, 订单状态: '交易关闭' } : r));
      const stale = await api.importAll({ kind: 'orders', file: toCsvBytes(orderReportHeaders, older, 'gbk'), fileName: '订单报表-旧.csv', exportedAt: '2026-11-19T01:00:00.000Z' });
      expect(stale.committed.counts.updated).toBe(0);
      const note = (await api.rows(stale.id, 'outcome=unchanged')).body.items.find((r: { platformId: string }) => r.platformId === shipped.订单编号);
      expect(note.note['zh-CN']).toBe('系统里的记录比这份导出更新，没有改动。');
      expect((await ctx.db.kysely.selectFrom('orders').select('status').where('order_no', '=', shipped.订单编号).executeTakeFirstOrThrow()).status).toBe('TRADE_FINISHED');
    });

    it('a UTF-8-BOM CSV refund report: refunds of imported orders go in; an unknown status, an exchange, a bad amount, a missing order and a repeated refund are refused', async () => {
      const orders = [...sampleOrderRows({ orders: 10, seed: 3, before: NOW })];
      await api.importAll({ kind: 'orders', file: toCsvBytes(orderReportHeaders, orders, 'gbk'), fileName: 'orders.csv', exportedAt: EXPORTED });
      const refunds = [...sampleRefundRows(orders, { every: 1, seed: 5 })];
      const base = refunds[0]!;
      const bad: RefundReportRow[] = [
        { ...base, 退款编号: '2000000000000000901', 退款状态: '处理中' },
        { ...base, 退款编号: '2000000000000000902', 退款类型: '换货' },
        { ...base, 退款编号: '2000000000000000903', 买家申请退款金额: '-5' },
        { ...base, 退款编号: '2000000000000000904', 订单编号: '3900000000000009999' },
        { ...base },
      ];
      const file = toCsvBytes(refundReportHeaders, [...refunds, ...bad], 'utf-8-bom');
      expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const up = await api.upload({ kind: 'refunds', file, fileName: '退款报表.csv', exportedAt: EXPORTED, contentType: 'text/csv' });
      expect(up.body).toMatchObject({ encoding: 'utf-8', missing: [], mapping: { refundId: '退款编号', refundType: '退款类型', amount: '买家申请退款金额', phase: '售中或售后' } });
      const previewed = await api.preview(up.body.id);
      expect(previewed.body.counts).toEqual({ new: refunds.length, updated: 0, unchanged: 0, skipped: 0, error: 5 });
      expect(await countRows(ctx, 'refunds')).toBe(0);
      const errors = (await api.rows(up.body.id, 'outcome=error')).body.items as { rowNo: number; errors: { code: string; column: string }[] }[];
      expect(errors.map((r) => r.errors.map((e) => `${e.code}@${e.column}`).join())).toEqual([
        'unknown_status@退款状态',
        'exchange_not_supported@退款类型',
        'bad_amount@买家申请退款金额',
        'order_missing@',
        'duplicate@退款编号',
      ]);
      expect(errors[4]!.errors[0]).toMatchObject({ message: { 'zh-CN': '和第 2 行是同一个编号，这一行没有导入。' } });

      const committed = await api.commit(up.body.id);
      expect(committed.body.counts).toEqual({ new: refunds.length, updated: 0, unchanged: 0, skipped: 0, error: 5 });
      const stored = await ctx.db.kysely.selectFrom('refunds').selectAll().where('shop_id', '=', f.shop.id).orderBy('platform_refund_id').execute();
      expect(stored.map((r) => r.platform_refund_id)).toEqual(refunds.map((r) => r.退款编号).sort());
      const returned = refunds.find((r) => r.退款状态 === '买家已经退货，等待卖家确认收货');
      if (returned) {
        const row = stored.find((r) => r.platform_refund_id === returned.退款编号)!;
        expect(row).toMatchObject({ status: 'WAIT_SELLER_CONFIRM_GOODS', type: 'return_and_refund', platform_status: returned.退款状态, platform_version: null });
        // the platform's timeout is shown as the deadline, with no effect: the platform owns the refund
        expect(row.deadline_effect === null || row.deadline_effect === 'none').toBe(true);
      }
      // the same refund report again: nothing changes
      const events = await countRows(ctx, 'refund_events');
      const again = await api.importAll({ kind: 'refunds', file, fileName: '退款报表.csv', exportedAt: EXPORTED });
      expect(again.committed.counts).toEqual({ new: 0, updated: 0, unchanged: refunds.length, skipped: 0, error: 5 });
      expect(await countRows(ctx, 'refund_events')).toBe(events);
    });

    it('an XLSX with a merged title row and merged header cells: the header is found, merged cells read as their value; a formula cell and a rounded order number are refused', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('订单报表');
      const columns = ['订单编号', '订单状态', '买家实际支付金额', '收货人姓名', '联系手机', '收货地址', '宝贝标题', '商家编码', '订单付款时间'];
      sheet.addRow(['淘宝订单报表（导出时间 2026-11-20 09:00）']);
      sheet.mergeCells(1, 1, 1, columns.length);
      // a two-row header: 收货信息 over three columns, the others merged down over both rows
      sheet.addRow(['订单编号', '订单状态', '买家实际支付金额', '收货信息', null, null, '宝贝标题', '商家编码', '订单付款时间']);
      sheet.addRow([null, null, null, '收货人姓名', '联系手机', '收货地址', null, null, null]);
      sheet.mergeCells('D2:F2');
      for (const c of ['A', 'B', 'C', 'G', 'H', 'I']) sheet.mergeCells(`${c}2:${c}3`);
      sheet.addRow(['3900000000000000011', '卖家已发货，等待买家确认', 199, '王小二', '13900001111', '江苏省 南京市 鼓楼区 中山北路 1 号', '春季新款真皮单鞋女', 'XZ-2061', '2026-11-10 10:30:00']);
      // a date cell, as Excel keeps it (a serial day number with a date format)
      sheet.addRow(['3900000000000000012', '交易成功', 129.9, '赵小三', '13900002222', '四川省 成都市 武侯区 人民南路 2 号', '百搭小白鞋女', 'XZ-3110', new Date(Date.UTC(2026, 10, 11, 9, 15, 0))]);
      sheet.getCell('I5').numFmt = 'yyyy-mm-dd hh:mm:ss';
      sheet.addRow(['3900000000000000013', '交易成功', 99, '钱小四', '13900003333', '上海市 浦东新区 世纪大道 3 号', { formula: 'HYPERLINK("http://evil.example","点我")', result: '点我' }, 'XZ-1032', '2026-11-12 08:00:00']);
      // a long order number Excel turned into a number: its last digits are gone
      sheet.addRow([Number('3900000000000000014'), '交易成功', 99, '孙小五', '13900004444', '上海市 浦东新区 世纪大道 4 号', '切尔西短靴女', 'XZ-4201', '2026-11-12 08:00:00']);
      const file = Buffer.from(await workbook.xlsx.writeBuffer());

      const up = await api.upload({ kind: 'orders', file, fileName: '订单报表.xlsx', exportedAt: EXPORTED });
      expect(up.status, JSON.stringify(up.body)).toBe(201);
      expect(up.body).toMatchObject({ format: 'xlsx', encoding: null, headerRow: 3, missing: [] });
      expect(up.body.headers).toEqual(columns);
      const previewed = await api.preview(up.body.id);
      expect(previewed.body.counts).toEqual({ new: 2, updated: 0, unchanged: 0, skipped: 0, error: 2 });
      const errors = (await api.rows(up.body.id, 'outcome=error')).body.items as { rowNo: number; errors: { code: string; column: string }[] }[];
      expect(errors.map((r) => [r.rowNo, r.errors.map((e) => `${e.code}@${e.column}`).join()])).toEqual([
        [6, 'formula@宝贝标题'],
        [7, 'id_rounded@订单编号'],
      ]);
      await api.commit(up.body.id);
      const second = await ctx.db.kysely.selectFrom('orders').selectAll().where('order_no', '=', '3900000000000000012').executeTakeFirstOrThrow();
      expect(second).toMatchObject({ buyer_name: '赵小三', province: '四川省', city: '成都市', district: '武侯区', status: 'TRADE_FINISHED' });
      expect(Number(second.paid_fen)).toBe(12_990);
      // 2026-11-11 09:15 in Shanghai
      expect(second.created_at).toBe('2026-11-11T01:15:00.000Z');
    });

    it('the result report is an XLSX with the outcome and the errors beside each row; a formula from the file is text there', async () => {
      const { rows } = orderReport();
      const { id } = await api.importAll({ kind: 'orders', file: toCsvBytes(orderReportHeaders, rows, 'gbk'), fileName: 'orders.csv', exportedAt: EXPORTED });
      const res = await app.inject({ method: 'GET', url: `/api/v1/imports/${id}/report`, headers: { authorization: `Bearer ${f.tokens.supervisor}` } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''");
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      expect(sheet.name).toBe('导入结果');
      expect((sheet.getRow(1).values as unknown[]).slice(1, 6)).toEqual(['行号', '结果', '错误说明', '备注', '订单编号']);
      expect(sheet.rowCount).toBe(rows.length + 1);
      const titleColumn = 5 + orderReportHeaders.indexOf('宝贝标题');
      const formulaRow = sheet.getRows(2, rows.length)!.find((r) => String(r.getCell(titleColumn).value ?? '').startsWith('=HYPERLINK'))!;
      expect(formulaRow.getCell(2).value).toBe('错误');
      expect(String(formulaRow.getCell(3).value)).toBe('宝贝标题：这一格是公式（=HYPERLINK("http://evil.example","点我领券")），公式不导入。请把表格里的公式改成数值后再导入。');
      // the file's formula comes back as text, never as a formula
      expect(typeof formulaRow.getCell(titleColumn).value).toBe('string');
      expect(formulaRow.getCell(titleColumn).formula).toBeUndefined();
      expect(book.worksheets[1]!.name).toBe('汇总');
      // only the rows to fix, in English
      const en = await app.inject({ method: 'GET', url: `/api/v1/imports/${id}/report?lang=en&outcome=error`, headers: { authorization: `Bearer ${f.tokens.supervisor}` } });
      const enBook = new ExcelJS.Workbook();
      await enBook.xlsx.load(en.rawPayload as unknown as ArrayBuffer);
      expect(enBook.worksheets[0]!.rowCount).toBe(9);
      expect(enBook.worksheets[0]!.getRow(2).getCell(2).value).toBe('Error');
    });

    it('an imported order and refund, later seen by the live sync, are the same records; an export never overrides what the sync brought', async () => {
      await app.close();
      await ctx.close();
      ctx = await createTestContext(dialect, NOW);
      const shop: ConnectedShop = await connectedShop(ctx, { code: 'tb-import', backfillDays: 0, sim: { shop: false } });
      try {
        f = shop.f;
        app = await buildServer({ ctx });
        api = importClient(app, ctx, f);
        const c = shop.sim.control;
        const { tid } = c.createOrder({ lines: 1 });
        c.shipOrder(tid);
        const { refundId } = c.applyRefund({ tid, hasGoodReturn: false, reasonText: '不想要了', amountFen: 3000 });
        // the seller exports both reports from the back office a minute later (before any sync)
        ctx.clock.set(new Date(NOW.getTime() + 60_000));
        const top = createTaobaoConnector({ platform: 'taobao', appKey: shop.sim.app.appKey, appSecret: shop.sim.app.appSecret, sessionKey: shop.sim.seller.sessionKey, gatewayUrl: shop.sim.gatewayUrl, signMethod: 'hmac-sha256', now: () => ctx.clock.now() });
        const order = (await top.getOrder(tid)) as PlatformOrder;
        const refund = (await top.getRefund(refundId)) as PlatformRefund;
        const exportedAt = ctx.clock.now().toISOString();
        const orderFile = toCsvBytes([...orderReportHeaders, '子订单编号'], [orderRowOf(order)], 'gbk');
        const refundFile = toCsvBytes(refundReportHeaders, [refundRowOf(refund)], 'utf-8-bom');
        const o = await api.importAll({ kind: 'orders', file: orderFile, fileName: 'orders.csv', exportedAt });
        expect(o.committed.counts.new).toBe(1);
        const r = await api.importAll({ kind: 'refunds', file: refundFile, fileName: 'refunds.csv', exportedAt });
        expect(r.committed.counts.new).toBe(1);
        const imported = await ctx.db.kysely.selectFrom('refunds').selectAll().where('platform_refund_id', '=', refundId).executeTakeFirstOrThrow();
        expect(imported).toMatchObject({ status: 'WAIT_SELLER_AGREE', platform_version: null });

        // the buyer changes the refund on Taobao; the live sync brings it
        ctx.clock.set(new Date(NOW.getTime() + 120_000));
        c.modifyRefund(refundId, { amountFen: 2000, desc: '只退一部分' });
        await shop.work();
        const refunds = await ctx.db.kysely.selectFrom('refunds').selectAll().where('shop_id', '=', f.shop.id).execute();
        expect(refunds).toHaveLength(1);
        expect(refunds[0]).toMatchObject({ id: imported.id, platform_refund_id: refundId });
        expect(Number(refunds[0]!.amount_fen)).toBe(2000);
        expect(refunds[0]!.platform_version).not.toBeNull();
        const orders = await ctx.db.kysely.selectFrom('orders').selectAll().where('shop_id', '=', f.shop.id).execute();
        expect(orders).toHaveLength(1);
        expect(await ctx.db.kysely.selectFrom('order_lines').select('line_no').where('order_id', '=', orders[0]!.id).execute()).toHaveLength(1);

        // the old export again, or even one made later: the synced refund stays as the sync brought it
        const again = await api.importAll({ kind: 'refunds', file: refundFile, fileName: 'refunds.csv', exportedAt: new Date(NOW.getTime() + 180_000).toISOString() });
        expect(again.committed.counts).toMatchObject({ new: 0, updated: 0, unchanged: 1 });
        const row = (await api.rows(again.id)).body.items[0];
        expect(row.note['zh-CN']).toBe('这条记录由店铺的实时同步维护，表格不会覆盖它。');
        const after = await ctx.db.kysely.selectFrom('refunds').selectAll().where('id', '=', imported.id).executeTakeFirstOrThrow();
        expect(Number(after.amount_fen)).toBe(2000);
      } finally {
        await shop.sim.close();
      }
    });

    it('a commit cut short (its process gone after one batch) is taken up again by another process where it stopped: every order once, nothing twice', async () => {
      const rows = [...sampleOrderRows({ orders: 400, seed: 11, before: NOW })];
      const file = toCsvBytes(orderReportHeaders, rows, 'gbk');
      const up = await api.upload({ kind: 'orders', file, fileName: 'big.csv', exportedAt: EXPORTED });
      const previewed = await api.preview(up.body.id);
      expect(previewed.body.counts.new).toBe(rows.length);
      // this server will not work it: the commit is left to the process that crashes
      await stopImports(ctx);
      const start = await api.call('supervisor', 'POST', `/api/v1/imports/${up.body.id}/commit`, '{}', { 'content-type': 'application/json' });
      expect(start.body.status).toBe('committing');
      const doomed: AppContext = { db: openDatabase(ctx.testDb.target), clock: ctx.clock, calendar: ctx.calendar };
      try {
        await runImportJob(doomed, up.body.id, { maxBatches: 1 });
      } finally {
        await doomed.db.close();
      }
      // it died holding its lease, after its first batch
      await ctx.db.kysely.updateTable('import_jobs').set({ lease_owner: 'gone-host:1', lease_until: new Date(NOW.getTime() + 60_000).toISOString() }).where('id', '=', up.body.id).execute();
      const cut = await ctx.db.kysely.selectFrom('import_jobs').selectAll().where('id', '=', up.body.id).executeTakeFirstOrThrow();
      expect(cut.status).toBe('committing');
      expect(cut.processed_rows).toBeGreaterThanOrEqual(200);
      expect(cut.processed_rows).toBeLessThan(rows.length);
      const ordersAtCut = await countRows(ctx, 'orders');
      expect(ordersAtCut).toBeGreaterThan(0);
      expect(ordersAtCut).toBeLessThan(new Set(rows.map((r) => r.订单编号)).size);

      // another process on the same database
      const second: AppContext = { db: openDatabase(ctx.testDb.target), clock: ctx.clock, calendar: ctx.calendar };
      const otherApp = await buildServer({ ctx: second });
      try {
        const other = importClient(otherApp, second, f);
        // the dead process's lease still holds: nobody takes the job over yet
        expect((await other.call('supervisor', 'GET', `/api/v1/imports/${up.body.id}`)).body.status).toBe('committing');
        expect(importWork(second, up.body.id)).toBeUndefined();
        // once it has expired, opening the job takes it up again, where the first batch ended
        ctx.clock.set(new Date(NOW.getTime() + 5 * 60_000));
        await other.call('supervisor', 'GET', `/api/v1/imports/${up.body.id}`);
        await importWork(second, up.body.id);
        const done = (await other.call('supervisor', 'GET', `/api/v1/imports/${up.body.id}`)).body;
        expect(done.status).toBe('committed');
        expect(done.counts).toEqual({ new: rows.length, updated: 0, unchanged: 0, skipped: 0, error: 0 });
        const orderNos = new Set(rows.map((r) => r.订单编号));
        expect(await countRows(ctx, 'orders')).toBe(orderNos.size);
        expect(await countRows(ctx, 'order_lines')).toBe(rows.length);
        // each order created once: one event each
        expect(await countRows(ctx, 'order_events')).toBe(orderNos.size);
      } finally {
        await otherApp.close();
        await second.db.close();
      }
    });

    it('a newer file of another layout with fewer columns updates what it carries and keeps the rest (address, parcel, lines and their prices)', async () => {
      const rows = [...sampleOrderRows({ orders: 8, seed: 9, before: NOW })];
      await api.importAll({ kind: 'orders', file: toCsvBytes(orderReportHeaders, rows, 'gbk'), fileName: 'full.csv', exportedAt: EXPORTED });
      const lines0 = await ctx.db.kysely.selectFrom('order_lines').select(['order_id', 'line_no', 'sku', 'title', 'size', 'unit_price_fen']).orderBy('order_id').orderBy('line_no').execute();
      const orders0 = await ctx.db.kysely.selectFrom('orders').select(['order_no', 'buyer_phone', 'address_detail', 'tracking_no', 'status']).orderBy('order_no').execute();
      // the old system's export: three columns, one line per row, no price; every order is finished now
      const odd = ['单号,实付,交易状态', ...rows.map((r) => `${r.订单编号},${r.买家实际支付金额},交易成功`)].join('\r\n');
      const up = await api.upload({ kind: 'orders', file: Buffer.from(odd, 'utf8'), fileName: 'odd.csv', exportedAt: '2026-11-21T01:00:00.000Z' });
      const done = await api.preview(up.body.id, { mapping: { orderNo: '单号', paid: '实付', status: '交易状态' } });
      expect(done.body.counts.error).toBe(0);
      await api.commit(up.body.id);
      const orders1 = await ctx.db.kysely.selectFrom('orders').select(['order_no', 'buyer_phone', 'address_detail', 'tracking_no', 'status']).orderBy('order_no').execute();
      // (an order not shipped before is shipped now, its parcel unknown to this file)
      const kept = (o: (typeof orders0)[number], was: (typeof orders0)[number]) => ({ ...o, status: 'x', tracking_no: was.tracking_no ? o.tracking_no : null });
      expect(orders1.map((o, i) => kept(o, orders0[i]!))).toEqual(orders0.map((o) => ({ ...o, status: 'x' })));
      expect(orders1.every((o) => o.status === 'TRADE_FINISHED')).toBe(true);
      const lines1 = await ctx.db.kysely.selectFrom('order_lines').select(['order_id', 'line_no', 'sku', 'title', 'size', 'unit_price_fen']).orderBy('order_id').orderBy('line_no').execute();
      expect(lines1).toEqual(lines0);
      // a new order in such a file, with several lines and no price, cannot go in
      const fresh = ['单号,实付,交易状态', '3900000000000000777,100.00,交易成功', '3900000000000000777,100.00,交易成功'].join('\r\n');
      const up2 = await api.upload({ kind: 'orders', file: Buffer.from(fresh, 'utf8'), fileName: 'fresh.csv', exportedAt: EXPORTED });
      const refused = await api.preview(up2.body.id, { mapping: { orderNo: '单号', paid: '实付', status: '交易状态' } });
      expect(refused.body.counts).toMatchObject({ new: 0, error: 2 });
      const why = (await api.rows(up2.body.id)).body.items;
      expect(why[0].errors[0].code).toBe('unit_price_missing');
      expect(why[1].errors[0].code).toBe('same_order_error');
    });

    it('refuses what is not an import: JSON, an old .xls, an empty file, a file over the limit (413), other roles; another shop\'s job is not found and the attempt is audited', async () => {
      const json = await app.inject({ method: 'POST', url: '/api/v1/imports?kind=orders&fileName=a.csv', headers: { authorization: `Bearer ${f.tokens.supervisor}`, 'content-type': 'application/json' }, payload: '{"rows": []}' });
      expect(json.statusCode).toBe(415);
      const xls = await api.upload({ kind: 'orders', file: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]), fileName: 'old.xls' });
      expect(xls.status).toBe(400);
      expect(xls.body.error.details.reason).toBe('old_excel');
      const empty = await api.upload({ kind: 'orders', file: Buffer.alloc(0), fileName: 'empty.csv' });
      expect(empty.body.error.details.reason).toBe('empty');
      const big = await app.inject({
        method: 'POST',
        url: '/api/v1/imports?kind=orders&fileName=big.csv',
        headers: { authorization: `Bearer ${f.tokens.supervisor}`, 'content-type': 'text/csv', 'content-length': String(200 * 1024 * 1024) },
        payload: 'x',
      });
      expect(big.statusCode).toBe(413);
      expect(big.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { maxBytes: 100 * 1024 * 1024 } });
      expect(await ctx.db.kysely.selectFrom('import_jobs').select('id').execute()).toEqual([]);
      // a broken XLSX (a zip header, then garbage) and a file of random bytes are refused in words, never a 500
      const brokenZip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 37) % 256))]);
      for (const [file, fileName] of [
        [brokenZip, 'broken.xlsx'],
        [Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 101 + 7) % 256)), 'noise.csv'],
      ] as const) {
        const res = await api.upload({ kind: 'orders', file, fileName });
        expect(res.status, `${fileName}: ${JSON.stringify(res.body).slice(0, 200)}`).toBeGreaterThanOrEqual(200);
        expect(res.status, `${fileName}: ${JSON.stringify(res.body).slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) expect(typeof res.body.error.message).toBe('string');
        else {
          // read as a file, it has no usable header: the mapping step asks for every column
          const shown = await api.call('supervisor', 'GET', `/api/v1/imports/${res.body.id}`);
          expect(shown.status).toBe(200);
        }
      }

      const agent = await api.upload({ kind: 'orders', file: Buffer.from('订单编号\n1\n'), fileName: 'a.csv', role: 'agent' });
      expect(agent.status).toBe(403);
      const ok = await api.upload({ kind: 'orders', file: toCsvBytes(orderReportHeaders, [orderRow('3900000000000000001')], 'gbk'), fileName: 'a.csv' });
      // the mapping step: a file whose headers name no known column
      const odd = await api.upload({ kind: 'orders', file: Buffer.from('单号,金额,状态\n3900000000000000002,10.00,交易成功\n'), fileName: 'odd.csv' });
      expect(odd.body.missing).toEqual(['orderNo', 'paid', 'status']);
      const wrong = await api.preview(odd.body.id, { mapping: { orderNo: '单号', paid: '价格', status: '状态' } });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details.problems).toEqual([{ field: 'paid', problem: 'no_such_header', header: '价格' }]);
      const mapped = await api.preview(odd.body.id, { mapping: { orderNo: '单号', paid: '金额', status: '状态' }, saveAs: '旧系统导出' });
      expect(mapped.body).toMatchObject({ status: 'previewed', mappingSource: 'manual', counts: { new: 1 } });
      // the shop's next file of that layout is mapped by the saved mapping
      const next = await api.upload({ kind: 'orders', file: Buffer.from('单 号,金额,状态\n3900000000000000003,10.00,交易成功\n'), fileName: 'odd2.csv' });
      expect(next.body).toMatchObject({ missing: [], mapping: { orderNo: '单 号', paid: '金额' } });
      expect(next.body.mappingSource).toMatch(/^saved:\d+$/);

      // cancel: before the commit only
      const cancelled = await api.call('supervisor', 'POST', `/api/v1/imports/${ok.body.id}/cancel`, '{}', { 'content-type': 'application/json' });
      expect(cancelled.body.status).toBe('cancelled');
      expect((await api.call('supervisor', 'POST', `/api/v1/imports/${ok.body.id}/commit`, '{}', { 'content-type': 'application/json' })).status).toBe(409);
      await api.commit(odd.body.id);
      expect((await api.call('supervisor', 'POST', `/api/v1/imports/${odd.body.id}/cancel`, '{}', { 'content-type': 'application/json' })).status).toBe(409);

      // another shop's job
      const other = await setupShop(ctx, 'other-shop');
      const theirs = importClient(app, ctx, other);
      const before = await ctx.db.kysely.selectFrom('audit_log').select('id').where('action', '=', 'access.cross_shop').execute();
      expect((await theirs.call('supervisor', 'GET', `/api/v1/imports/${odd.body.id}`)).status).toBe(404);
      expect((await theirs.call('supervisor', 'GET', `/api/v1/imports/${odd.body.id}/rows`)).status).toBe(404);
      expect((await theirs.call('supervisor', 'GET', `/api/v1/imports/${odd.body.id}/report`)).status).toBe(404);
      const after = await ctx.db.kysely.selectFrom('audit_log').select(['id', 'target_type']).where('action', '=', 'access.cross_shop').execute();
      expect(after.length - before.length).toBe(3);
      expect((await theirs.call('supervisor', 'GET', '/api/v1/imports')).body).toEqual([]);
    });
  });
}

const tradeWords = { WAIT_SELLER_SEND_GOODS: '买家已付款，等待卖家发货', WAIT_BUYER_CONFIRM_GOODS: '卖家已发货，等待买家确认', TRADE_FINISHED: '交易成功', TRADE_CLOSED: '交易关闭' } as const;
const refundWords = {
  WAIT_SELLER_AGREE: '买家已经申请退款，等待卖家同意',
  WAIT_BUYER_RETURN_GOODS: '卖家已经同意退款，等待买家退货',
  WAIT_SELLER_CONFIRM_GOODS: '买家已经退货，等待卖家确认收货',
  SELLER_REFUSE_BUYER: '卖家拒绝退款',
  CLOSED: '退款关闭',
  SUCCESS: '退款成功',
} as const;

/** The order report's row of an order as the platform has it (one line), with its 子订单编号. */
function orderRowOf(o: PlatformOrder): Record<string, string> {
  const line = o.lines[0]!;
  const a = o.buyer.address;
  return {
    ...orderRow(o.platformOrderId, {
      买家会员名: o.buyer.nick,
      买家实际支付金额: fenToYuan(o.paidFen),
      买家应付邮费: fenToYuan(o.postageFen),
      订单状态: tradeWords[o.status!],
      收货人姓名: o.buyer.name,
      联系手机: o.buyer.phone,
      收货地址: `${a.province} ${a.city} ${a.district} ${a.detail}`,
      宝贝标题: line.title,
      商家编码: line.sku,
      销售属性: line.properties,
      购买数量: String(line.quantity),
      价格: fenToYuan(line.unitPriceFen),
      物流公司: o.shipment?.courier ?? '',
      物流单号: o.shipment?.trackingNo ?? '',
      订单创建时间: shanghaiText(o.createdAt),
      订单付款时间: o.paidAt ? shanghaiText(o.paidAt) : '',
    }),
    子订单编号: line.platformLineId,
  };
}

function refundRowOf(r: PlatformRefund): RefundReportRow {
  return {
    退款编号: r.platformRefundId,
    订单编号: r.platformOrderId,
    买家会员名: r.buyerNick,
    退款状态: refundWords[r.status],
    退款类型: r.type === 'return_and_refund' ? '退货退款' : '仅退款',
    买家申请退款金额: fenToYuan(r.amountFen),
    退款原因: r.reasonText,
    退款说明: r.description,
    申请时间: shanghaiText(r.createdAt),
    超时时间: r.platformTimeout ? shanghaiText(r.platformTimeout.at) : '',
    物流公司: r.returnShipment?.courier ?? '',
    物流单号: r.returnShipment?.trackingNo ?? '',
    售中或售后: r.phase === 'on_sale' ? '售中' : '售后',
  };
}
