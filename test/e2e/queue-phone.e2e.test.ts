/**
 * Issue 16 §1: a buyer phones the shop; the agent types the caller's number as it is said (spaces, +86) in the
 * queue's 按买家电话查找 and sees that buyer's refunds; what is no phone number is said on the page.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

for (const dialect of DIALECTS) {
  describe(`the queue found by the buyer's phone [${dialect}]`, () => {
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

    it("issue 16 §1: the caller's number with spaces and +86 finds that buyer's refunds; letters are refused on the page", async () => {
      const name = `queue-phone-${dialect}`;
      const context = await newContext(browser, app.url, 'desktop', { width: 1600, height: 900 });
      const page = await context.newPage();
      await signIn(page, 'agent');
      await page.getByRole('table').locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
      // a refund of the queue, and its buyer's number as the order keeps it
      const first = ((await (await page.request.get('/api/v1/refunds', { params: { open: 'true', limit: 1 } })).json()) as { items: { orderNo: string }[] }).items[0]!;
      const order = await app.ctx.db.kysely.selectFrom('orders').select(['buyer_phone']).where('order_no', '=', first.orderNo).executeTakeFirstOrThrow();
      const digits = order.buyer_phone.replace(/\D/g, '').slice(-11);
      const spoken = `+86 ${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`;
      const expected = ((await (await page.request.get('/api/v1/refunds/count', { params: { open: 'true', phone: digits } })).json()) as { count: number }).count;
      expect(expected).toBeGreaterThanOrEqual(1);

      const search = page.getByLabel('按买家电话查找');
      await search.fill(spoken);
      await search.press('Enter');
      await expect.poll(() => page.url()).toContain('phone=');
      const rows = page.getByRole('table').locator('.ant-table-tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBe(expected);
      await page.getByRole('link', { name: new RegExp(first.orderNo) }).first().waitFor();
      await shot(page, name, '01-found-by-phone');

      await search.fill('abc');
      await search.press('Enter');
      await page.getByText('请输入 11 位手机号，或带区号的固定电话').waitFor();
      expect(page.url()).toContain(`phone=${encodeURIComponent(spoken).replace(/%20/g, '+')}`);
      await context.close();
    }, 180_000);
  });
}
