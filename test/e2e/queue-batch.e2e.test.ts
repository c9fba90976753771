/**
 * Issue 15 §2 end to end: the queue is a work grid. The agent ticks three
 * refund-only refunds (checkboxes and the x key), claims them, remarks their
 * orders with a flag, and agrees them in one batch: two go through, the
 * 商品质量问题 one is refused by the S1.5 guard and the summary says which and
 * why, in words. A return in the selection turns the batch agree off with the
 * reason; the view tabs show their counts; the current filter and the rows
 * selected export to XLSX; the supervisor sets the batch agree limit.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUYER_NICK } from '../../src/app/demo-seed.ts';
import { DIALECTS } from '../support/databases.ts';
import { chooseOption, clickUntil, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

interface Made {
  id: number;
  orderNo: string;
  version: number;
}

let seq = 0;

for (const dialect of DIALECTS) {
  describe(`the queue's batch actions [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;
    beforeAll(async () => {
      [app, browser] = await Promise.all([startApp(dialect), launchBrowser()]);
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    async function call(role: 'system' | 'buyer', method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
      const res = await fetch(`${app.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${app.demo.tokens[role]}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await res.json()) as Record<string, unknown>;
      expect(res.ok, `${method} ${path}: ${JSON.stringify(answer)}`).toBe(true);
      return answer;
    }

    /** A signed order of the demo buyer with one refund-only refund of `amountFen` for `reason`. */
    async function refundOnly(reason: string, amountFen: number): Promise<Made> {
      seq += 1;
      const orderNo = `QB${dialect === 'sqlite' ? 'S' : 'P'}${Date.now().toString().slice(-7)}${seq}`;
      await call('system', 'POST', '/orders', {
        orderNo,
        buyer: { nick: DEMO_BUYER_NICK, name: '鹿小姐', phone: '13900001111', address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 1 号' } },
        lines: [{ sku: 'XZ-2061', title: '春季新款真皮单鞋', style: '单鞋', size: '37', unitPriceFen: 19_900, quantity: 1 }],
        paidFen: 19_900,
      });
      await call('system', 'POST', `/orders/${orderNo}/ship`, { courier: '中通快递', trackingNo: `ZT${orderNo}` });
      await call('system', 'POST', `/orders/${orderNo}/sign`, {});
      const r = await call('buyer', 'POST', '/refunds', { orderNo, type: 'refund_only', goodsStatus: 'received', reason, amountFen });
      return { id: r.id as number, orderNo, version: r.version as number };
    }

    const row = (page: Page, id: number) => page.locator(`tr[data-row-key="${id}"]`);
    const tick = (page: Page, r: Made) => row(page, r.id).getByRole('checkbox');

    async function summaryClosed(page: Page): Promise<void> {
      await clickUntil(page.getByTestId('batch-summary-close'), () => page.getByTestId('batch-summary').waitFor({ state: 'detached', timeout: 5000 }));
    }

    it('select, claim, remark, batch agree with one refused by its guard (S1.5), a return turns batch agree off; counts, export, the limit', async () => {
      const name = `queue-batch-${dialect}`;
      const postage = await refundOnly('postage', 1200);
      const quality = await refundOnly('quality', 3000);
      const difference = await refundOnly('price_difference', 2500);
      const ours = [postage, quality, difference];

      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'agent');
      await page.goto('/queue?type=refund_only&reason=postage&reason=quality&reason=price_difference');
      for (const r of ours) await row(page, r.id).waitFor();
      // the view tabs say how many refunds each holds
      await page.getByTestId('view-count-all').waitFor();
      await page.getByTestId('view-count-reasonChange').waitFor();
      const all = Number(await page.getByTestId('view-count-all').textContent());
      const openNow = (await (await page.request.get('/api/v1/refunds/count', { params: { open: 'true' } })).json()) as { count: number };
      expect(all).toBe(openNow.count);
      await shot(page, name, '01-queue-counts');

      // ---- select three rows with their checkboxes; x ticks and unticks the row the keyboard is on
      for (const r of ours) await tick(page, r).check();
      const count = page.getByTestId('batch-count');
      await expect.poll(() => count.textContent()).toBe('已选 3 条');
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('x');
      await expect.poll(() => count.textContent()).not.toBe('已选 3 条');
      await page.keyboard.press('x');
      await expect.poll(() => count.textContent()).toBe('已选 3 条');
      const agreeButton = page.getByTestId('batch-agree');
      await expect.poll(() => agreeButton.textContent()).toBe('批量同意（不超过 ¥50.00）');
      expect(await agreeButton.isEnabled()).toBe(true);
      await shot(page, name, '02-three-selected');

      // ---- claim all three
      await page.getByTestId('batch-claim').click();
      const summary = page.getByTestId('batch-summary');
      await summary.waitFor();
      expect(await page.getByTestId('batch-summary-counts').textContent()).toContain('3 条全部完成');
      await shot(page, name, '03-claimed');
      await summaryClosed(page);
      for (const r of ours) await expect.poll(() => row(page, r.id).textContent()).toContain('售后客服-小周');

      // ---- remark their orders, with a green flag
      await page.getByTestId('batch-remark').click();
      const remarkDialog = page.getByRole('dialog', { name: /给 3 条退款的订单添加备注/ });
      await remarkDialog.getByTestId('batch-remark-text').fill('已批量核对：小额仅退款');
      await chooseOption(page, remarkDialog.getByLabel('旗帜颜色'), '绿旗');
      await shot(page, name, '04-remark-dialog');
      await remarkDialog.getByTestId('batch-remark-ok').click();
      await summary.waitFor();
      expect(await page.getByTestId('batch-summary-counts').textContent()).toContain('3 条全部完成');
      await summaryClosed(page);
      const remarks = (await (await page.request.get(`/api/v1/orders/${quality.orderNo}/remarks`)).json()) as { text: string; flag: number }[];
      expect(remarks).toEqual(expect.arrayContaining([expect.objectContaining({ text: '已批量核对：小额仅退款', flag: 3 })]));

      // ---- agree in one batch: the quality refund is stopped by the S1.5 guard, the other two go through
      await page.getByTestId('batch-agree').click();
      const confirm = page.getByRole('dialog', { name: '同意 3 笔仅退款？' });
      await confirm.waitFor();
      expect(await confirm.textContent()).toContain('合计 ¥67.00');
      await shot(page, name, '05-agree-confirm');
      await confirm.getByRole('button', { name: '同意' }).click();
      await summary.waitFor();
      expect(await page.getByTestId('batch-summary-counts').textContent()).toContain('2 条已完成，1 条未通过');
      const refused = page.getByTestId('batch-summary-refused');
      expect(await refused.locator('li').count()).toBe(1);
      const line = (await refused.locator(`li[data-refund-id="${quality.id}"]`).textContent()) ?? '';
      expect(line).toContain(`订单号 ${quality.orderNo}`);
      expect(line).toContain('修改原因');
      expect(line).toContain('S1.5');
      expect(line).not.toMatch(/GUARD_|[A-Za-z]{5,}/);
      await shot(page, name, '06-agree-summary');
      await summaryClosed(page);
      const status = async (r: Made) => ((await (await page.request.get(`/api/v1/refunds/${r.id}`)).json()) as { status: string }).status;
      expect(await status(postage)).toBe('SUCCESS');
      expect(await status(difference)).toBe('SUCCESS');
      expect(await status(quality)).toBe('WAIT_SELLER_AGREE');
      // the queue reloaded: the agreed ones left the open list, the refused one is still ticked
      await row(page, postage.id).waitFor({ state: 'detached' });
      await expect.poll(() => count.textContent()).toBe('已选 1 条');

      // ---- export what is selected, and the current filter (XLSX)
      const [selectedFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('batch-export').click()]);
      expect(selectedFile.suggestedFilename()).toMatch(/^refunds-\d{8}-\d{4}\.xlsx$/);
      const [filteredFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-filtered').click()]);
      expect(filteredFile.suggestedFilename()).toMatch(/\.xlsx$/);
      await page.getByTestId('batch-clear').click();
      await page.getByTestId('batch-bar').waitFor({ state: 'detached' });

      // ---- a return in the selection: batch agree is off, and says why
      const returns = (await (await page.request.get('/api/v1/refunds', { params: { open: 'true', type: 'return_and_refund', status: 'WAIT_SELLER_AGREE', limit: '5' } })).json()) as { items: Made[] };
      expect(returns.items.length).toBeGreaterThan(0);
      await page.goto('/queue?type=return_and_refund&status=WAIT_SELLER_AGREE');
      await tick(page, returns.items[0]!).check();
      await page.getByTestId('batch-agree-why').waitFor();
      expect(await page.getByTestId('batch-agree').isDisabled()).toBe(true);
      expect(await page.getByTestId('batch-agree-why').textContent()).toContain('退货退款');
      await shot(page, name, '07-return-selected');
      // the same in English
      await page.getByText('EN', { exact: true }).click();
      await expect.poll(() => page.getByTestId('batch-agree-why').textContent()).toContain('Returns in the selection: 1');
      await shot(page, name, '07b-return-selected-en');
      await page.getByText('中文', { exact: true }).click();
      await expect.poll(() => page.getByTestId('batch-agree-why').textContent()).toContain('退货退款');

      // ---- adding to the unshipped batch says it collects every eligible refund
      await page.getByTestId('batch-unshipped').click();
      const collect = page.getByRole('dialog', { name: '收集未发退清单？' });
      expect(await collect.textContent()).toContain('不只是选中的');
      await shot(page, name, '08-unshipped-confirm');
      await collect.getByRole('button', { name: '收集' }).click();
      await page.locator('.ant-message-notice', { hasText: '未发退清单现有' }).waitFor();
      await context.close();

      // ---- the supervisor sets the limit on the settings page, checked before saving
      const supContext = await newContext(browser, app.url);
      const sup = await supContext.newPage();
      await signIn(sup, 'supervisor');
      await sup.goto('/settings');
      const field = sup.getByTestId('field-batchAgreeLimit');
      await expect.poll(() => field.inputValue()).toBe('50.00');
      await field.fill('20000');
      await sup.getByTestId('settings-save').click();
      await sup.getByText('请填写 0 到 10000 元之间的金额，最多两位小数。').waitFor();
      await field.fill('80');
      await sup.getByTestId('settings-save').click();
      await sup.getByTestId('settings-notice').waitFor();
      await shot(sup, name, '09-settings-limit');
      const settings = (await (await sup.request.get('/api/v1/shop/settings')).json()) as { batchAgreeLimitFen: number };
      expect(settings.batchAgreeLimitFen).toBe(8000);
      await supContext.close();
    });
  });
}
