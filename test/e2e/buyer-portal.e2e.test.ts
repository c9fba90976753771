/**
 * The buyer portal on a phone (S3): find the order with its number and phone,
 * try refund-only for damaged goods received and be steered to a return
 * (S1.9), apply, watch the countdown (S3.7); the seller agrees (through the
 * API as the agent); enter the return parcel (S3.4).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUYER_NICK } from '../../src/app/demo-seed.ts';
import { DIALECTS } from '../support/databases.ts';
import { launchBrowser, newContext, shot, startApp, type E2eApp } from './support.ts';

/** A 1×1 PNG: evidence bytes whose signature the server checks. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

for (const dialect of DIALECTS) {
  describe(`buyer portal [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;
    beforeAll(async () => {
      [app, browser] = await Promise.all([startApp(dialect), launchBrowser()]);
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    /** The seller's side, as the demo agent's API token. */
    const asAgent = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${app.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${app.demo.tokens.agent}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = (await response.json()) as T;
      expect(response.status, JSON.stringify(answer)).toBeLessThan(300);
      return answer;
    };

    it('S1.9/S3.4: refund-only for damaged goods is steered to a return; applied, agreed, the return parcel entered', async () => {
      const name = `buyer-portal-${dialect}`;
      // the demo buyer's shipped-and-signed order without any refund
      const order = await app.ctx.db.kysely
        .selectFrom('orders')
        .select(['order_no', 'buyer_phone'])
        .where('buyer_nick', '=', DEMO_BUYER_NICK)
        .where('status', '=', 'WAIT_BUYER_CONFIRM_GOODS')
        .where('signed_at', 'is not', null)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('refunds').select('refunds.id').whereRef('refunds.order_id', '=', 'orders.id'))))
        .executeTakeFirstOrThrow();

      const context = await newContext(browser, app.url, 'phone');
      const page = await context.newPage();
      await page.goto('/buyer');

      // a wrong phone number is refused in the buyer's words, not as a raw code
      await page.getByLabel('订单号').fill(order.order_no);
      await page.getByLabel('手机号').fill('13900000000');
      await page.getByRole('button', { name: '查找订单' }).click();
      expect(await page.getByTestId('find-error').textContent()).toContain('订单号和手机号对不上');

      await page.getByLabel('手机号').fill(order.buyer_phone);
      await page.getByRole('button', { name: '查找订单' }).click();
      await page.getByTestId('order-status').waitFor();
      expect(await page.getByTestId('order-status').textContent()).toBe('卖家已发货');
      await shot(page, name, '01-order');

      await page.getByRole('button', { name: '申请退款 / 退货' }).click();
      await page.getByTestId('choice-item').getByRole('radio').nth(1).check();
      await page.getByRole('radio', { name: /^已收到货/ }).check();
      await page.getByRole('radio', { name: /^仅退款/ }).check();
      await page.getByRole('radio', { name: /^收到商品破损/ }).check();

      // S1.9: refund-only for goods that arrived damaged is explained, and sending it as it is is stopped
      const guide = page.getByTestId('guide-s1.9');
      await guide.waitFor();
      expect(await guide.textContent()).toContain('需要把商品退回');
      await page.getByRole('button', { name: '提交申请' }).click();
      await page.getByText('还有几处需要处理').waitFor();
      await guide.scrollIntoViewIfNeeded();
      await shot(page, name, '02-refund-only-damaged-explained');

      await guide.getByRole('button', { name: '改为“退货退款”' }).click();
      expect(await page.getByRole('radio', { name: /^退货退款/ }).isChecked()).toBe(true);
      expect(await page.getByTestId('guide-s1.9').count()).toBe(0);

      // issue 15 §6: the amount starts as what may be refunded
      await expect.poll(() => page.getByLabel(/^退款金额/).inputValue()).toMatch(/^\d+\.\d\d$/);
      await page.getByRole('button', { name: '填入最多可退金额' }).click();
      await page.getByLabel('补充说明（选填）').fill('拆开发现左脚鞋面有划痕');
      await page.getByLabel('添加照片').setInputFiles({ name: 'damage.png', mimeType: 'image/png', buffer: PNG });
      await page.locator('.b-thumb-done').waitFor();
      await page.getByRole('button', { name: '提交申请' }).click();

      const status = page.getByTestId('refund-status');
      await status.waitFor();
      expect(await status.textContent()).toBe('买家已申请退款，等待卖家同意');
      expect(await page.getByTestId('deadline').textContent()).toContain('卖家处理退款申请，超时自动同意');
      expect(await page.getByTestId('countdown').textContent()).toMatch(/天|小时/);
      // issue 15 §6: "submitted" is said once (the status card says it), and nothing to change before the seller answers
      expect(await page.getByText(/已提交/).count()).toBe(1);
      expect(await page.getByRole('button', { name: '修改申请' }).count()).toBe(0);
      await shot(page, name, '03-applied-countdown');

      // the seller agrees the return (S2.5), with the shop's return address
      const refundId = Number(/#\/refund\/(\d+)/.exec(page.url())?.[1]);
      expect(refundId).toBeGreaterThan(0);
      const refund = await asAgent<{ version: number; type: string; evidence: string[] }>('GET', `/refunds/${refundId}`);
      expect(refund.type).toBe('return_and_refund');
      expect(refund.evidence[0]).toMatch(/^evidence:\d+$/);
      await asAgent('POST', `/refunds/${refundId}/agree`, { version: refund.version });

      await page.reload();
      await page.getByTestId('return-address').waitFor();
      expect(await status.textContent()).toBe('退款协议达成，等待买家退货');
      expect(await page.getByTestId('return-address').textContent()).toContain('小周鞋铺售后组');

      // issue 15 §6: the return address is copied with one tap
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.getByTestId('copy-return-address').click();
      await page.getByText('已复制，可以粘贴到快递单上').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('小周鞋铺售后组');

      // S3.4: the tracking number is checked before sending; the courier is picked from the common ones
      await page.getByRole('button', { name: '提交快递单号' }).click();
      await page.getByText('请选择或填写快递公司').waitFor();
      await page.getByLabel('快递公司').selectOption('中通快递');
      await page.getByLabel('快递单号').fill('ZT7788990011');
      await page.getByRole('button', { name: '提交快递单号' }).click();
      await page.getByText('快递单号已提交').waitFor();
      await page.getByText('买家已退货，等待卖家确认收货').first().waitFor();
      expect(await page.getByTestId('deadline').textContent()).toContain('卖家确认收货，超时自动退款');
      await shot(page, name, '04-return-shipped');

      // the same page in English
      await page.getByRole('button', { name: 'EN' }).click();
      await page.getByText('Returned; waiting for the seller to confirm receipt').first().waitFor();
      await shot(page, name, '05-return-shipped-en');
      await context.close();
    });
  });
}
