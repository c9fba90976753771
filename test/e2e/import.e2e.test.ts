/**
 * 导入 end to end (issue 14 §1): the real server with the demo shop. The
 * supervisor drops a GBK CSV order report exported from the back office onto
 * the page; the preview lists every row's outcome (the bad rows first, each
 * reason in words with its column); after the confirmation the good orders go
 * in and the result downloads as XLSX with its error column. Then the refund
 * report (a UTF-8 CSV with a BOM): its refunds reach the queue. A file of
 * another layout goes through the mapping step, kept for the next file.
 * Screenshots: artifacts/screenshots/import-<dialect>/.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderReportHeaders, refundReportHeaders, sampleOrderRows, sampleRefundRows, toCsvBytes, type OrderReportRow } from '../../src/cli/import-samples.ts';
import { DIALECTS } from '../support/databases.ts';
import { chooseOption, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

/** Nothing of the code's words on a zh-CN page: no outcome or error codes, no field keys. */
async function noCodes(page: Page): Promise<void> {
  const text = (await page.locator('#main').textContent()) ?? '';
  expect(text).not.toMatch(/\b(new|updated|unchanged|skipped|error|bad_amount|unknown_status|phone_in_address|orderNo|previewed|committed|undefined|null)\b/);
}

async function noticesGone(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 8000 }).toBe(0);
}

/** Drops a file onto the page's drop zone, as a person drags it from the desktop. */
async function dropFile(page: Page, target: string, name: string, bytes: Buffer, type: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ([base64, fileName, fileType]) => {
      const binary = atob(base64);
      const data = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([data], fileName, { type: fileType }));
      return dt;
    },
    [bytes.toString('base64'), name, type] as const,
  );
  const zone = page.getByTestId(target);
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

for (const dialect of DIALECTS) {
  describe(`import (导入) [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;
    beforeAll(async () => {
      [app, browser] = await Promise.all([startApp(dialect), launchBrowser()]);
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('a supervisor imports the order report and the refund report in the browser: preview, confirmation, result; another layout is mapped once', async () => {
      const name = `import-${dialect}`;
      const before = new Date(Date.now() - 3_600_000);
      const good = [...sampleOrderRows({ orders: 24, seed: 21, first: 500_000, before })];
      const base = good[0]!;
      const bad: OrderReportRow[] = [
        { ...base, 订单编号: '3900000000000900001', 买家实际支付金额: '12.3.4' },
        { ...base, 订单编号: '3900000000000900002', 订单状态: '已完成' },
        { ...base, 订单编号: '3900000000000900003', 收货地址: '13812345678' },
      ];
      const orderFile = toCsvBytes(orderReportHeaders, [...good, ...bad], 'gbk');

      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'supervisor');
      await page.getByRole('link', { name: '导入' }).click();
      await page.getByTestId('upload-card').waitFor();
      expect(await page.getByTestId('upload-card').textContent()).toContain('请先导入订单报表，再导入退款报表');
      await shot(page, name, '01-upload');

      // ---- the order report, dragged onto the page
      await dropFile(page, 'import-drop', '订单报表-千牛导出.csv', orderFile, 'text/csv');
      const preview = page.getByTestId('preview-card');
      await preview.waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('count-new').textContent()).toContain(String(good.length));
      expect(await page.getByTestId('count-error').textContent()).toContain('3');
      // the rows in error first, each reason in words with its column
      const errorsText = (await page.getByTestId('preview-table').textContent()) ?? '';
      expect(errorsText).toContain('买家实际支付金额：“12.3.4”不是金额。请写成 12.30 这样的数字，最多两位小数。');
      expect(errorsText).toContain('订单状态：不认识的状态“已完成”');
      expect(errorsText).toContain('收货地址：收货地址里是一个电话号码（13812345678）。请检查这一列是不是对应错了。');
      await noCodes(page);
      await shot(page, name, '02-preview-errors');
      await page.getByTestId('preview-table').locator('.ant-segmented-item', { hasText: '全部' }).click();
      await expect.poll(() => page.getByTestId('row-outcome').first().textContent()).toBe('新增');
      await shot(page, name, '03-preview-all');

      // the confirmation says what goes in and what does not
      await page.getByTestId('commit').click();
      const confirmText = page.getByTestId('commit-confirm-text');
      await confirmText.waitFor();
      expect(await confirmText.textContent()).toContain(`将导入 ${good.length} 行：新增 ${good.length} 行，更新 0 行。`);
      expect(await confirmText.textContent()).toContain('有错误的 3 行不会导入。');
      await page.waitForTimeout(400); // the dialog's opening
      await shot(page, name, '04-confirm');
      await page.getByTestId('commit-confirm').click();
      const result = page.getByTestId('result-card');
      await result.waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('result-alert').textContent()).toContain(`新增 ${good.length} 行`);
      expect(await page.getByTestId('result-alert').textContent()).toContain('有 3 行有错误，没有导入');
      await noticesGone(page);
      await noCodes(page);
      await shot(page, name, '05-result');
      // the orders are in shouhou
      const order = await page.request.get(`/api/v1/orders/${good[0]!.订单编号}`);
      expect(order.status()).toBe(200);
      expect(((await order.json()) as { status: string }).status).toBeTruthy();

      // the result report, with the error column
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-result').click()]);
      expect(download.suggestedFilename()).toMatch(/^导入结果-\d+-\d{4}-\d\d-\d\d\.xlsx$/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      expect(sheet.getRow(1).getCell(3).value).toBe('错误说明');
      const errorRow = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(2).value === '错误')!;
      expect(String(errorRow.getCell(3).value)).toContain('买家实际支付金额：');

      // ---- the refund report, chosen with the file picker
      const refunds = [...sampleRefundRows(good, { every: 2, seed: 22, first: 500_000 })];
      const refundFile = toCsvBytes(refundReportHeaders, refunds, 'utf-8-bom');
      await page.getByTestId('import-another').click();
      await page.getByTestId('import-kind').getByText('退款报表').click();
      await page.getByTestId('upload-card').locator('input[type=file]').setInputFiles({ name: '退款报表.csv', mimeType: 'text/csv', buffer: refundFile });
      await preview.waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('count-new').textContent()).toContain(String(refunds.length));
      await shot(page, name, '06-refunds-preview');
      await page.getByTestId('commit').click();
      await page.getByTestId('commit-confirm').click();
      await result.waitFor({ timeout: 60_000 });
      await noticesGone(page);
      // an imported refund is in the queue like any other
      const open = refunds.find((r) => r.退款状态 === '买家已经申请退款，等待卖家同意');
      if (open) {
        await page.getByRole('link', { name: '退款队列' }).click();
        const search = page.getByLabel('按订单号查找');
        await search.fill(open.订单编号);
        await search.press('Enter');
        await expect.poll(() => page.locator('tr[data-row-key]').count(), { timeout: 30_000 }).toBe(1);
        await shot(page, name, '07-queue-imported-refund');
        await page.getByRole('link', { name: '导入' }).click();
        await page.getByTestId('recent-imports').waitFor();
      }
      expect(await page.getByTestId('recent-imports').textContent()).toContain('退款报表.csv');
      await shot(page, name, '08-recent');

      // ---- another layout: the mapping step, remembered for the next file
      const odd = ['单号,实付,交易状态,收件人,备注', ...good.slice(0, 3).map((r) => `${r.订单编号},${r.买家实际支付金额},${r.订单状态},${r.收货人姓名},`)].join('\r\n');
      await page.getByTestId('upload-card').or(page.getByTestId('import-another')).first().waitFor();
      if (await page.getByTestId('import-another').count()) await page.getByTestId('import-another').click();
      await page.getByTestId('import-kind').getByText('订单报表').click();
      await page.getByTestId('upload-card').locator('input[type=file]').setInputFiles({ name: '旧系统导出.csv', mimeType: 'text/csv', buffer: Buffer.from(odd, 'utf8') });
      const mapping = page.getByTestId('mapping-card');
      await mapping.waitFor();
      expect(await mapping.textContent()).toContain('这个文件的表头和常见格式对不上');
      await page.getByTestId('start-preview').click();
      // 交易状态 and 收件人 are known names: already matched; the other two are the person's to map
      await mapping.getByText('还有必选项没有对应：订单编号、买家实际支付金额。').waitFor();
      await shot(page, name, '09-mapping-missing');
      await chooseOption(page, page.getByLabel('订单编号 · 文件里的列', { exact: true }), '单号');
      await chooseOption(page, page.getByLabel('买家实际支付金额 · 文件里的列', { exact: true }), '实付');
      await page.getByTestId('save-mapping').click();
      await page.getByTestId('mapping-name').fill('旧系统导出');
      await shot(page, name, '10-mapping-filled');
      await page.getByTestId('start-preview').click();
      await preview.waitFor({ timeout: 60_000 });
      // the same orders with other columns: present already, the same state
      expect(await page.getByTestId('count-unchanged').textContent()).toContain('3');
      await shot(page, name, '11-mapped-preview');

      // the page in English
      await page.getByText('EN', { exact: true }).click();
      await page.getByRole('heading', { name: 'Import' }).waitFor();
      expect(await preview.textContent()).toContain('Check the preview, then import');
      await shot(page, name, '12-preview-en');
      await page.getByText('中文', { exact: true }).click();
      await context.close();
    });
  });
}
