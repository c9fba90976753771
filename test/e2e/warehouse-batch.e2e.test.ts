/**
 * Issue 15 §2 in the browser: the warehouse ticks lines of the unshipped
 * batch and voids them with ONE confirmation that lists the orders; a line a
 * colleague marked meanwhile is reported in the summary with why, the others
 * go through. Finance exports the current filter of a list ("导出 Excel") and
 * the file holds what the filter shows.
 */
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActorToken } from '../../src/app/shops.ts';
import { DIALECTS } from '../support/databases.ts';
import { launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

interface BatchAnswer {
  id: number;
  status: string;
  version: number;
  lines: { refundId: number; orderNo: string; status: string }[];
}

for (const dialect of DIALECTS) {
  describe(`the warehouse's batch void and finance's export [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;
    /** a colleague in the warehouse, through the API (the demo has no warehouse token) */
    let warehouseToken: string;

    async function call<T>(role: 'agent' | 'warehouse', method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
      const res = await fetch(`${app.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${role === 'warehouse' ? warehouseToken : app.demo.tokens[role]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    }

    beforeAll(async () => {
      app = await startApp(dialect);
      warehouseToken = (await createActorToken(app.ctx, { shopId: app.demo.shop.id, role: 'warehouse', name: '仓库-小李', label: 'e2e warehouse' })).token;
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('S1.1 the warehouse voids the ticked lines with one confirmation listing the orders; one marked meanwhile is reported with why', async () => {
      const test = `warehouse-batch-${dialect}`;
      const collected = await call<BatchAnswer>('agent', 'POST', '/unshipped-batches/collect');
      expect(collected.status).toBe(200);
      expect(collected.body.lines.length).toBeGreaterThanOrEqual(2);
      const sent = await call<BatchAnswer>('agent', 'POST', `/unshipped-batches/${collected.body.id}/send`, { version: collected.body.version });
      expect(sent.body.status).toBe('sent');
      const lines = sent.body.lines.filter((l) => l.status === 'pending');

      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'warehouse');
      await page.getByRole('tab', { name: '未发退批次' }).click();
      await page.getByTestId('batch-state').filter({ hasText: '已提交仓库' }).waitFor();
      const voidButton = page.getByTestId('batch-void-selected');
      expect(await voidButton.isDisabled()).toBe(true);
      for (const l of lines) await page.getByRole('checkbox', { name: `选择订单 ${l.orderNo}` }).check();
      expect(await voidButton.textContent()).toContain(`作废所选（${lines.length} 单）`);

      // a colleague marks the first one meanwhile, through the single mark
      const [first] = lines as [BatchAnswer['lines'][0]];
      expect((await call('warehouse', 'POST', `/unshipped-batches/${sent.body.id}/lines/${first.refundId}`, { status: 'voided' })).status).toBe(200);

      await voidButton.click();
      const dialog = page.locator('.ant-modal-confirm:visible');
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain(`确认这 ${lines.length} 单已在仓库作废`);
      for (const l of lines) expect(await page.getByTestId('batch-void-orders').textContent()).toContain(l.orderNo);
      await shot(page, test, '01-void-confirm');
      await dialog.getByRole('button', { name: /确\s*定/ }).click();

      const summary = page.getByTestId('batch-void-summary');
      await summary.waitFor();
      const text = (await summary.textContent()) ?? '';
      expect(text).toContain(`已作废 ${lines.length - 1} 单，1 单未能作废`);
      expect(text).toContain(`订单 ${first.orderNo}：已经标记过了`);
      expect(text).not.toMatch(/ACTION_NOT_ALLOWED|voided/);
      expect(await voidButton.isDisabled()).toBe(true);
      await shot(page, test, '02-void-summary');

      const after = (await call<BatchAnswer>('agent', 'GET', `/unshipped-batches/${sent.body.id}`)).body;
      for (const l of lines) expect(after.lines.find((x) => x.refundId === l.refundId)?.status).toBe('voided');
      await context.close();
    });

    it('finance exports the current filter of the claims as Excel: the file holds what the filter shows', async () => {
      const test = `finance-export-${dialect}`;
      const refunds = await call<{ items: { orderNo: string }[] }>('agent', 'GET', '/refunds?status=SUCCESS&limit=2');
      const [a, b] = refunds.body.items as [{ orderNo: string }, { orderNo: string }];
      for (const [o, sku] of [
        [a, '=HYPERLINK("http://evil")'],
        [b, 'XZ-2026-02'],
      ] as const) {
        const claim = await call('agent', 'POST', '/records/claim', { orderNo: o.orderNo, sku, size: '38', courier: '中通快递', trackingNo: '73123456789012', itemPriceFen: 12_900 });
        expect(claim.status).toBe(201);
      }
      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'finance');
      await page.getByRole('link', { name: '财务' }).click();
      await page.getByTestId('records-claim').waitFor();
      // finance opens on what it has to do (待盖章); narrow to one order too
      await page.locator('#records-claim-order').fill(a.orderNo);
      await page.locator('#records-claim-order').press('Enter');
      await page.getByTestId('records-claim').getByText(a.orderNo).first().waitFor();
      await shot(page, test, '01-claims-filtered');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('records-claim-export').click()]);
      expect(download.suggestedFilename()).toMatch(/^claims-\d{8}-\d{4}\.xlsx$/);
      const file = await download.path();
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(file);
      const sheet = book.worksheets[0]!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
      expect(sheet.rowCount).toBe(2);
      const cell = (name: string) => sheet.getRow(2).getCell(header.indexOf(name) + 1);
      expect(cell('订单编号').value).toBe(a.orderNo);
      expect(cell('状态').value).toBe('已开单，待盖章');
      expect(cell('货号').value).toBe('=HYPERLINK("http://evil")');
      expect(cell('货号').formula).toBeUndefined();
      expect(cell('宝贝价位（元）').value).toBe(129);
      await context.close();
    });
  });
}
