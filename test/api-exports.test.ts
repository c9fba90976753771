/**
 * Issue 15 §2 over HTTP, on each database: the export of finance's lists (claims, invoices, postage)
 * and of the audit trail under the list's filter, as XLSX (parsed back with exceljs) or CSV — text that
 * looks like a formula stays text, amounts in yuan as numbers, times on the Shanghai clock, payment
 * details masked as in the list, the permission of the list, and the row cap in words.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAudit, flattenDetails } from '../src/app/export/audit-export.ts';
import { exportSideRecords } from '../src/app/export/record-export.ts';
import { isAppError } from '../src/core/errors.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';
import { addUsers, signInAs, type Session } from './support/users.ts';

async function workbook(raw: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(raw as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
  const rows = Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2));
  const cell = (row: ExcelJS.Row, name: string) => {
    expect(header, `column ${name}`).toContain(name);
    return row.getCell(header.indexOf(name) + 1);
  };
  return { sheet, header, rows, cell };
}

for (const dialect of DIALECTS) {
  describe(`the exports of the finance lists and the audit trail [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let api: ReturnType<typeof client>;
    let agent: Session;
    let supervisor: Session;
    let finance: Session;
    let warehouse: Session;
    let clerk: Session;
    let admin: Session;
    const start = new Date('2026-11-02T02:00:00.000Z'); // Mon 10:00 in Shanghai

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      f = await setupShop(ctx, 'exports', { postageTable: { rows: [{ province: '浙江省', styleCategory: '单鞋', amountFen: 1200 }], defaultFen: 1500 } }, 'default');
      await addUsers(ctx, f.shop.id, 'x', ['agent', 'supervisor', 'finance', 'warehouse', 'clerk', 'admin']);
      app = await buildServer({ ctx });
      api = client(app, f);
      agent = await signInAs(app, 'agent-x');
      supervisor = await signInAs(app, 'supervisor-x');
      finance = await signInAs(app, 'finance-x');
      warehouse = await signInAs(app, 'warehouse-x');
      clerk = await signInAs(app, 'clerk-x');
      admin = await signInAs(app, 'admin-x');
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    async function openClaim(sku: string, itemPriceFen: number) {
      const o = await makeOrder(ctx, f, 'shipped');
      const res = await agent.call('POST', '/api/v1/records/claim', { orderNo: o.orderNo, sku, size: '37', courier: '中通快递', trackingNo: 'ZT10001', itemPriceFen });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { id: res.body.id as number, orderNo: o.orderNo };
    }

    it('claims: the filter (status, order number) as XLSX with the clerk\'s columns; formula-looking text stays text; CSV defused', async () => {
      const a = await openClaim('=HYPERLINK("http://evil")', 19_900);
      const b = await openClaim('XZ-2061', 12_345);
      // finance stamps b: the status filter then tells them apart
      const current = (await finance.call('GET', `/api/v1/records/claim/${b.id}`)).body;
      expect((await finance.call('POST', `/api/v1/records/claim/${b.id}/stamp`, { version: current.version })).status).toBe(200);

      const all = await finance.call('GET', '/api/v1/records/claim/export');
      expect(all.status).toBe(200);
      expect(String(all.headers['content-type'])).toContain('spreadsheetml');
      expect(String(all.headers['content-disposition'])).toMatch(/attachment; filename="claims-20261102-1000\.xlsx"/);
      const x = await workbook(all.raw);
      expect(x.sheet.name).toBe('索赔单');
      expect(x.header).toEqual(expect.arrayContaining(['订单编号', '状态', '货号', '物流单号', '宝贝价位（元）', '财务盖章时间', '登记人', '登记时间']));
      expect(x.rows.length).toBe(2);
      // newest first, as the list
      const [rowB, rowA] = x.rows as [ExcelJS.Row, ExcelJS.Row];
      expect(x.cell(rowA, '订单编号').value).toBe(a.orderNo);
      expect(x.cell(rowA, '货号').value).toBe('=HYPERLINK("http://evil")');
      expect(x.cell(rowA, '货号').formula).toBeUndefined();
      expect(x.cell(rowA, '状态').value).toBe('已开单，待盖章');
      expect(x.cell(rowB, '状态').value).toBe('财务已盖章');
      expect(x.cell(rowB, '宝贝价位（元）').value).toBe(123.45);
      expect(x.cell(rowB, '宝贝价位（元）').numFmt).toBe('0.00');
      expect(x.cell(rowB, '登记人').value).toBe('agent x');
      // 10:00 in Shanghai, as a date the spreadsheet shows as such
      expect(x.cell(rowB, '登记时间').value).toEqual(new Date('2026-11-02T10:00:00.000Z'));
      expect(x.cell(rowB, '财务盖章时间').value).toEqual(new Date('2026-11-02T10:00:00.000Z'));

      const stamped = await workbook((await finance.call('GET', '/api/v1/records/claim/export?status=stamped')).raw);
      expect(stamped.rows.map((r) => stamped.cell(r, '订单编号').value)).toEqual([b.orderNo]);
      const byOrder = await workbook((await finance.call('GET', `/api/v1/records/claim/export?orderNo=${a.orderNo}`)).raw);
      expect(byOrder.rows.map((r) => byOrder.cell(r, '订单编号').value)).toEqual([a.orderNo]);

      const csv = await finance.call('GET', `/api/v1/records/claim/export?orderNo=${a.orderNo}&format=csv`);
      expect(csv.status).toBe(200);
      expect(String(csv.headers['content-type'])).toContain('text/csv');
      const text = csv.raw.toString('utf8');
      expect(text.startsWith('\uFEFF订单编号,')).toBe(true);
      expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect(text).toContain('199.00');
    });

    it('invoices and postage: each kind\'s own fields; the payee shown to finance and masked for the warehouse, as in the list', async () => {
      const o = await makeOrder(ctx, f, 'signed');
      const inv = await agent.call('POST', '/api/v1/records/invoice', { orderNo: o.orderNo, titleType: 'individual', title: '李小美', amountFen: 32_800 });
      expect(inv.status, JSON.stringify(inv.body)).toBe(201);
      const invoices = await workbook((await finance.call('GET', `/api/v1/records/invoice/export?orderNo=${o.orderNo}`)).raw);
      expect(invoices.sheet.name).toBe('发票登记');
      expect(invoices.rows.length).toBe(1);
      const ir = invoices.rows[0]!;
      expect(invoices.cell(ir, '抬头类型').value).toBe('个人');
      expect(invoices.cell(ir, '发票抬头').value).toBe('李小美');
      expect(invoices.cell(ir, '开票金额（元）').value).toBe(328);
      expect(invoices.cell(ir, '状态').value).toBe('已登记');

      // a refund the shop owes the postage of: agreed, and the real cause is the shop's
      const p = await makeOrder(ctx, f, 'signed');
      const applied = await api.post('buyer', '/api/v1/refunds', { orderNo: p.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 19_900, lineNo: 1 });
      expect(applied.status, JSON.stringify(applied.body)).toBe(201);
      const r = applied.body as { id: number; version: number };
      expect((await agent.call('POST', `/api/v1/refunds/${r.id}/agree`, { version: r.version })).body.status).toBe('SUCCESS');
      expect((await agent.call('POST', `/api/v1/refunds/${r.id}/root-cause`, { cause: 'not_as_pictured' })).status).toBe(204);
      const req = await agent.call('POST', '/api/v1/records/postage', { orderNo: p.orderNo, refundId: r.id, alipayAccount: '13812341234', realName: '李小美' });
      expect(req.status, JSON.stringify(req.body)).toBe(201);

      const forFinance = await workbook((await finance.call('GET', '/api/v1/records/postage/export?status=requested')).raw);
      expect(forFinance.sheet.name).toBe('运费补偿');
      const pr = forFinance.rows.find((row) => forFinance.cell(row, '订单编号').value === p.orderNo)!;
      expect(pr).toBeDefined();
      expect(forFinance.cell(pr, '退款编号').value).toBe(r.id);
      expect(forFinance.cell(pr, '收款人').value).toBe('李小美');
      expect(forFinance.cell(pr, '支付宝账号').value).toBe('13812341234');
      expect(forFinance.cell(pr, '补偿金额（元）').value).toBe(req.body.amountFen / 100);
      expect(forFinance.cell(pr, '状态').value).toBe('待付款');
      expect(forFinance.cell(pr, '应付原因').value).toBe('真实原因属店铺责任');

      const forWarehouse = await workbook((await warehouse.call('GET', '/api/v1/records/postage/export')).raw);
      const wr = forWarehouse.rows.find((row) => forWarehouse.cell(row, '订单编号').value === p.orderNo)!;
      expect(forWarehouse.cell(wr, '收款人').value).toBe('李*');
      expect(forWarehouse.cell(wr, '支付宝账号').value).toBe('138****34');
      expect((await finance.call('GET', '/api/v1/records/postage/export?status=paid')).status).toBe(200);
      expect((await workbook((await finance.call('GET', '/api/v1/records/postage/export?status=paid')).raw)).rows.length).toBe(0);
    });

    it('the permission is the list\'s (403 for a role that does not read records); an unknown kind or format is 400; beyond the cap, refused in words', async () => {
      const refused = await clerk.call('GET', '/api/v1/records/claim/export');
      expect(refused.status).toBe(403);
      expect((await clerk.call('GET', '/api/v1/records/claim')).status).toBe(403);
      expect((await finance.call('GET', '/api/v1/records/complaint/export')).status).toBe(400);
      expect((await finance.call('GET', '/api/v1/records/claim/export?format=pdf')).status).toBe(400);
      const tooMany = await exportSideRecords(ctx, { actor: f.actors.agent, kind: 'claim', maxRows: 1 }).catch((e: unknown) => e);
      expect(isAppError(tooMany) && tooMany.code).toBe('EXPORT_TOO_LARGE');
      expect((tooMany as Error).message).toMatch(/at most 1\b/);
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/records/{kind}/export', '/api/v1/audit/export']));
    });

    it('the audit trail: time (Shanghai), who, role, action, target, outcome, details as key: value lines; the action filter; 403 for an agent', async () => {
      const res = await supervisor.call('GET', '/api/v1/audit/export');
      expect(res.status).toBe(200);
      expect(String(res.headers['content-disposition'])).toMatch(/attachment; filename="audit-\d{8}-\d{4}\.xlsx"/);
      const x = await workbook(res.raw);
      expect(x.sheet.name).toBe('操作日志');
      expect(x.header).toEqual(['编号', '时间', '操作人', '身份', '角色', '操作', '对象', '结果', 'IP', '详情']);
      const count = Number(
        (await ctx.db.kysely.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('shop_id', '=', f.shop.id).executeTakeFirstOrThrow()).n,
      );
      expect(x.rows.length).toBe(count);
      const created = x.rows.find((row) => x.cell(row, '操作').value === 'claim.create');
      expect(created, 'a claim.create row').toBeDefined();
      expect(String(x.cell(created!, '对象').value)).toMatch(/^claim #\d+$/);
      expect(String(x.cell(created!, '详情').value)).toMatch(/^refundId: —\norderId: \d+$/);
      expect(x.cell(created!, '操作人').value).toBe('agent x');
      expect(x.cell(created!, '角色').value).toBe('客服');
      expect(x.cell(created!, '结果').value).toBe('成功');
      expect(x.cell(created!, '时间').value).toEqual(new Date('2026-11-02T10:00:00.000Z'));
      // the export's own request is not in it, and no cell is a formula
      for (const row of x.rows) for (let i = 1; i <= x.header.length; i++) expect(row.getCell(i).formula).toBeUndefined();

      const filtered = await workbook((await supervisor.call('GET', '/api/v1/audit/export?action=claim.create')).raw);
      expect(filtered.rows.length).toBeGreaterThan(0);
      expect(new Set(filtered.rows.map((row) => filtered.cell(row, '操作').value))).toEqual(new Set(['claim.create']));
      const csv = await admin.call('GET', '/api/v1/audit/export?action=claim.create&format=csv');
      expect(csv.status).toBe(200);
      expect(csv.raw.toString('utf8').startsWith('\uFEFF编号,时间,操作人')).toBe(true);

      expect((await agent.call('GET', '/api/v1/audit/export')).status).toBe(403);
      expect((await finance.call('GET', '/api/v1/audit/export')).status).toBe(403);
      const tooMany = await exportAudit(ctx, { actor: f.actors.supervisor, maxRows: 1 }).catch((e: unknown) => e);
      expect(isAppError(tooMany) && tooMany.code).toBe('EXPORT_TOO_LARGE');
    });

    it('details flatten into readable lines: nested keys with dots, lists joined, booleans in words, formula-looking text kept as text', () => {
      expect(flattenDetails({ version: 3, guard: { rule: 'S1.5', missing: ['照片', '视频'] }, override: true, note: '=1+2', items: [{ code: 'A' }, { code: 'B' }], empty: {} })).toBe(
        ['version: 3', 'guard.rule: S1.5', 'guard.missing: 照片、视频', 'override: 是', 'note: =1+2', 'items.1.code: A', 'items.2.code: B', 'empty: —'].join('\n'),
      );
    });
  });
}
