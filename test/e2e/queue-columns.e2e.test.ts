/**
 * Issue 15 §2: the queue's columns a seller scans for (the product, the buyer,
 * the progress chips, the remark flag), chosen and ordered per person and kept
 * after a reload; about 25 rows on a 1080-pixel screen at the compact density.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { clickUntil, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

for (const dialect of DIALECTS) {
  describe(`the queue's columns [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;
    beforeAll(async () => {
      app = await startApp(dialect);
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('product, buyer and chips; columns hidden and moved, kept after a reload; ~25 rows on 1080 px', async () => {
      const name = `queue-columns-${dialect}`;
      const context = await newContext(browser, app.url, 'desktop', { width: 1920, height: 1080 });
      const page = await context.newPage();
      await signIn(page, 'agent');
      const table = page.getByRole('table');
      await page.getByTestId('row-product').first().waitFor();
      const header = async () => (await page.locator('.ant-table-thead th').allTextContents()).map((t) => t.trim()).filter(Boolean);
      expect(await header()).toEqual(expect.arrayContaining(['商品', '买家', '进展', '类型']));
      // the rows at the compact density: the 25th row's top is on a 1080-pixel screen
      const rows = table.locator('.ant-table-tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(25);
      const box = await rows.nth(24).boundingBox();
      expect(box!.y).toBeLessThan(1080);
      await shot(page, name, '01-queue-1080');

      // hide 类型 and move 买家 up; a reload keeps both
      await page.getByTestId('columns-button').click();
      const chooser = page.getByTestId('column-chooser');
      await chooser.waitFor();
      await chooser.getByRole('checkbox', { name: '类型' }).uncheck();
      await clickUntil(chooser.getByRole('button', { name: '上移 买家' }), async () => {
        const h = await header();
        if (h.indexOf('买家') > h.indexOf('商品')) throw new Error('not moved yet');
      });
      await shot(page, name, '02-chooser');
      expect(await header()).not.toContain('类型');
      await page.reload();
      await page.getByTestId('row-product').first().waitFor();
      const after = await header();
      expect(after).not.toContain('类型');
      expect(after.indexOf('买家')).toBeLessThan(after.indexOf('商品'));
      // the progress chips: the warehouse records a return's arrival (the supervisor may), and its row says 已到货
      const sup = await newContext(browser, app.url);
      const supPage = await sup.newPage();
      await signIn(supPage, 'supervisor');
      const csrf = ((await (await supPage.request.get('/api/v1/session')).json()) as { csrfToken: string }).csrfToken;
      const waiting = ((await (await supPage.request.get('/api/v1/refunds', { params: { status: 'WAIT_SELLER_CONFIRM_GOODS', limit: 5 } })).json()) as { items: { id: number; orderNo: string }[] }).items[0]!;
      const arrived = await supPage.request.post(`/api/v1/refunds/${waiting.id}/return-arrival`, { data: { condition: 'resellable' }, headers: { 'x-csrf-token': csrf } });
      expect(arrived.status(), await arrived.text()).toBe(201);
      await sup.close();
      await page.goto(`/?orderNo=${encodeURIComponent(waiting.orderNo)}`);
      await page.locator('[data-mark="arrived"]').first().waitFor();
      await shot(page, name, '03-arrived-chip');
      await context.close();
    }, 180_000);
  });
}
