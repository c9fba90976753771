/**
 * Issue 5's end-to-end flows across roles, each through the pages people use:
 * - a return: the buyer applies in the portal (S3) → the agent agrees (S2.5) → the buyer enters the
 *   return parcel (S3.4) → the warehouse scans it and records the arrival (S1.13) → the agent ticks
 *   the three looks and confirms receipt → refunded;
 * - the unshipped batch (S1.1): collected → frozen at the cut-off → the warehouse voids the order →
 *   the agent refunds with the checked amount;
 * - a refusal with uploaded evidence (S2.8, S1.15) → the buyer asks for the platform's intervention.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUYER_NICK } from '../../src/app/demo-seed.ts';
import { freezeDueBatches } from '../../src/app/workbench/unshipped-batch.ts';
import { DIALECTS } from '../support/databases.ts';
import { chooseOption, clickUntil, closeOverlay, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

/** A small real PNG (the server checks the file's signature). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** Opens a refund's detail page and waits for its playbook. */
async function openRefund(page: Page, id: number): Promise<void> {
  await page.goto(`/refunds/${id}`);
  await page.getByTestId('playbook').waitFor();
}

async function statusOf(page: Page): Promise<string> {
  return (await page.getByTestId('refund-status').textContent()) ?? '';
}

for (const dialect of DIALECTS) {
  describe(`flows across roles [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;
    beforeAll(async () => {
      [app, browser] = await Promise.all([startApp(dialect), launchBrowser()]);
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    /** The buyer portal on a phone, opened for one order. */
    async function buyerPortal(orderNo: string, phone: string): Promise<Page> {
      const context = await newContext(browser, app.url, 'phone');
      const page = await context.newPage();
      await page.goto('/buyer');
      await page.getByLabel('订单号').fill(orderNo);
      await page.getByLabel('手机号').fill(phone);
      await page.getByRole('button', { name: '查找订单' }).click();
      await page.getByTestId('order-status').waitFor();
      return page;
    }

    async function staff(username: string): Promise<Page> {
      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, username);
      return page;
    }

    it('a return: applied in the portal, agreed, shipped back, received by the warehouse, confirmed and refunded', async () => {
      const name = `flow-return-${dialect}`;
      const order = await app.ctx.db.kysely
        .selectFrom('orders')
        .select(['order_no', 'buyer_phone'])
        .where('buyer_nick', '=', DEMO_BUYER_NICK)
        .where('status', '=', 'WAIT_BUYER_CONFIRM_GOODS')
        .where('signed_at', 'is not', null)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('refunds').select('refunds.id').whereRef('refunds.order_id', '=', 'orders.id'))))
        .executeTakeFirstOrThrow();

      // the buyer applies for a 7-day no-reason return
      const buyer = await buyerPortal(order.order_no, order.buyer_phone);
      await buyer.getByRole('button', { name: '申请退款 / 退货' }).click();
      await buyer.getByTestId('choice-item').getByRole('radio').nth(1).check();
      await buyer.getByRole('radio', { name: /^已收到货/ }).check();
      await buyer.getByRole('radio', { name: /^退货退款/ }).check();
      await buyer.getByRole('radio', { name: /^7天无理由/ }).check();
      await buyer.getByRole('button', { name: '填入最多可退金额' }).click();
      await buyer.getByRole('button', { name: '提交申请' }).click();
      await buyer.getByTestId('refund-status').waitFor();
      expect(await buyer.getByTestId('refund-status').textContent()).toBe('买家已申请退款，等待卖家同意');
      const refundId = Number(/#\/refund\/(\d+)/.exec(buyer.url())?.[1]);
      expect(refundId).toBeGreaterThan(0);
      await shot(buyer, name, '01-buyer-applied');

      // the agent finds it in the queue and agrees, with the shop's return address
      const agent = await staff('agent');
      await agent.getByPlaceholder('按订单号查找').fill(order.order_no);
      await agent.getByPlaceholder('按订单号查找').press('Enter');
      await agent.locator(`tr[data-row-key="${refundId}"]`).waitFor();
      await shot(agent, name, '02-agent-queue');
      await agent.locator(`tr[data-row-key="${refundId}"]`).getByRole('link').click();
      await agent.getByTestId('playbook').waitFor();
      await agent.getByTestId('action-agree').click();
      const agree = agent.getByTestId('agree-form');
      await expect.poll(() => agree.getByLabel('退货地址', { exact: true }).inputValue()).not.toBe('');
      await agent.getByTestId('agree-form-submit').click();
      await agree.waitFor({ state: 'detached' });
      await expect.poll(() => statusOf(agent)).toContain('等待买家退货');
      await shot(agent, name, '03-agent-agreed');

      // the buyer sends the shoes back and enters the parcel
      await buyer.reload();
      await buyer.getByTestId('return-address').waitFor();
      await buyer.getByLabel('快递公司').selectOption('圆通速递');
      await buyer.getByLabel('快递单号').fill('YT9900112233');
      await buyer.getByRole('button', { name: '提交快递单号' }).click();
      await buyer.getByText('买家已退货，等待卖家确认收货').first().waitFor();
      await shot(buyer, name, '04-buyer-shipped-back');

      // the warehouse scans the parcel and records that the shoes can be sold again
      const warehouse = await staff('warehouse');
      await warehouse.getByLabel('退货快递单号').fill('yt9900112233');
      await warehouse.getByLabel('退货快递单号').press('Enter');
      await warehouse.getByTestId('arrival-card').waitFor();
      expect(await warehouse.getByTestId('arrival-card').textContent()).toContain(order.order_no);
      await warehouse.getByText('不影响二次销售（可以再卖）').click();
      await warehouse.getByLabel('仓库备注').fill('鞋盒完好，未穿着');
      await warehouse.getByRole('button', { name: '登记到货', exact: true }).click();
      await warehouse.getByTestId('arrival-done').waitFor();
      await shot(warehouse, name, '05-warehouse-arrival');

      // S1.13: what the system knows ticks itself and says where from: the warehouse's arrival record and its remark
      await openRefund(agent, refundId);
      const card = agent.getByTestId('playbook');
      await expect.poll(() => card.locator('[data-item="S1.13.arrived"]').getAttribute('data-done')).toBe('true');
      expect(await agent.getByRole('checkbox', { name: /^S1\.13\s*第二看/ }).isChecked()).toBe(true);
      expect(await card.getByTestId('fact-source').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining('仓库到货登记'), expect.stringContaining('订单备注')]),
      );
      await shot(agent, name, '06-agent-checklist-known');
      // confirming before the looks and the postage is refused in words, naming exactly what the dialog shows open
      await agent.getByTestId('action-confirm').click();
      const dialog = agent.getByTestId('confirm-form');
      const check = dialog.getByTestId('return-check');
      await check.waitFor();
      expect(await check.locator('[data-item="S1.13.arrived"]').getAttribute('data-done')).toBe('true');
      expect(await check.locator('[data-item="S1.13.look2"]').getAttribute('data-done')).toBe('true');
      expect(await check.textContent()).toContain('不影响二次销售');
      await agent.getByTestId('confirm-form-submit').click();
      const guard = agent.getByTestId('guard-error');
      await guard.waitFor();
      const refusal = (await guard.textContent()) ?? '';
      expect(refusal).not.toMatch(/GUARD_/);
      expect(refusal).toContain('寄回的邮费');
      expect(refusal).not.toContain('仓库已收到客户寄回的鞋');
      expect(refusal).not.toContain('第二看');
      await shot(agent, name, '07-agent-confirm-refused');
      // who pays the return postage: a value, recorded in the dialog (the buyer, 10.00)
      await dialog.getByText('客户承担', { exact: true }).click();
      await dialog.getByLabel('邮费（元）').fill('10');
      await dialog.getByTestId('return-postage-save').click();
      await expect.poll(() => check.locator('[data-item="S1.13.postage"]').getAttribute('data-done')).toBe('true');
      await guard.waitFor({ state: 'detached' });
      await closeOverlay(agent);
      await dialog.waitFor({ state: 'detached' });
      expect(await agent.getByTestId('return-postage').textContent()).toContain('客户承担 ¥10.00');
      for (const look of [/^S1\.13\s*第一先看/, /^S1\.13\s*第三看/]) {
        const box = agent.getByRole('checkbox', { name: look });
        if (!(await box.isChecked())) {
          // the tick is saved first (POST /checklist), then shown
          await box.click();
          await expect.poll(() => box.isChecked()).toBe(true);
        }
      }
      await agent.getByTestId('action-confirm').click();
      await dialog.getByTestId('return-check-done').waitFor();
      expect(await dialog.textContent()).toContain('不影响二次销售');
      await shot(agent, name, '08-agent-confirm-ready');
      await agent.getByTestId('confirm-form-submit').click();
      await agent.getByTestId('confirm-form').waitFor({ state: 'detached' });
      await expect.poll(() => statusOf(agent)).toContain('退款成功');
      await shot(agent, name, '09-agent-refunded');

      await buyer.reload();
      await buyer.getByText('退款成功').first().waitFor();
      await shot(buyer, name, '10-buyer-refunded');
    });

    it('the unshipped batch: collected, frozen at the cut-off, voided by the warehouse, refunded with the checked amount (S1.1)', async () => {
      const name = `flow-unshipped-${dialect}`;
      let agent = await staff('agent');
      // the SOP's view of the day's unshipped refunds
      await agent.getByRole('button', { name: '今日未发退' }).click();
      await agent.waitForURL(/view=unshippedToday/);
      const firstRow = agent.locator('tr[data-row-key]').first();
      // every row of the view waits for the seller (the table has reloaded)
      await expect.poll(async () => (await agent.locator('tr[data-row-key]').allTextContents()).every((t) => t.includes('等待卖家同意'))).toBe(true);
      const refundId = Number(await firstRow.getAttribute('data-row-key'));
      const orderNo = (await firstRow.getByRole('link').textContent())?.split('·')[0]?.trim() ?? '';
      await shot(agent, name, '01-queue-unshipped-today');

      await agent.getByRole('link', { name: '仓库' }).click();
      await agent.getByRole('button', { name: '收集未发退' }).click();
      await agent.getByTestId('batch-state').filter({ hasText: '收集中' }).waitFor();
      expect(await agent.locator(`tr[data-row-key="${refundId}"]`).textContent()).toContain(orderNo);

      // the cut-off passes: the sweeper freezes the batch by itself
      const batches = (await (await agent.request.get('/api/v1/unshipped-batches')).json()) as { id: number; cutoffAt: string; status: string }[];
      const batch = batches[0]!;
      app.ctx.clock.set(new Date(new Date(batch.cutoffAt).getTime() + 60_000));
      expect(await freezeDueBatches(app.ctx)).toBeGreaterThanOrEqual(1);
      // (hours have passed on the server's clock: the agent's session has gone idle; sign in again)
      agent = await staff('agent');
      await agent.getByRole('link', { name: '仓库' }).click();
      await agent.getByTestId('batch-state').filter({ hasText: '已截单' }).waitFor();
      await shot(agent, name, '02-batch-frozen');

      // S1.1: the amount is checked against the order in the form; refunding before the warehouse voided the order is refused
      const refund = (await (await agent.request.get(`/api/v1/refunds/${refundId}`)).json()) as { amountFen: number };
      await openRefund(agent, refundId);
      await agent.getByTestId('action-agree').click();
      await agent.getByLabel('核对后的退款金额（元）').fill('1');
      await agent.getByTestId('agree-form-submit').click();
      await agent.getByText(/不一致，请再核对订单/).waitFor();
      await agent.getByLabel('核对后的退款金额（元）').fill((refund.amountFen / 100).toFixed(2));
      await agent.getByTestId('agree-form-submit').click();
      const guard = agent.getByTestId('guard-error');
      await guard.waitFor();
      expect(await guard.textContent()).toContain('作废');
      await shot(agent, name, '03-refused-before-voided');
      await closeOverlay(agent);

      const warehouse = await staff('warehouse');
      await warehouse.getByRole('tab', { name: '未发退批次' }).click();
      await warehouse.getByRole('button', { name: `把订单 ${orderNo} 标为已作废` }).click();
      await warehouse.locator('.ant-popover:visible').getByRole('button', { name: /确\s*定|OK/ }).click();
      await warehouse.getByRole('button', { name: `把订单 ${orderNo} 标为已作废` }).waitFor({ state: 'detached' });
      await shot(warehouse, name, '04-warehouse-voided');

      // the agent checks the amount against the order and refunds
      await openRefund(agent, refundId);
      await agent.getByTestId('action-agree').click();
      await agent.getByLabel('核对后的退款金额（元）').fill((refund.amountFen / 100).toFixed(2));
      await agent.getByTestId('agree-form-submit').click();
      await agent.getByTestId('agree-form').waitFor({ state: 'detached' });
      await expect.poll(() => statusOf(agent)).toContain('退款成功');
      await shot(agent, name, '05-agent-refunded');
    });

    it('a refusal with uploaded evidence, then the buyer asks for the platform\'s intervention (S2.8, S1.15)', async () => {
      const name = `flow-refusal-${dialect}`;
      app.ctx.clock.set(new Date());
      // the demo buyer's refund-only on a signed order, waiting for the seller (S1.5's reasons aside)
      const target = await app.ctx.db.kysely
        .selectFrom('refunds')
        .innerJoin('orders', 'orders.id', 'refunds.order_id')
        .select(['refunds.id', 'orders.order_no', 'orders.buyer_phone'])
        .where('orders.buyer_nick', '=', DEMO_BUYER_NICK)
        .where('refunds.status', '=', 'WAIT_SELLER_AGREE')
        .where('orders.signed_at', 'is not', null)
        .where('refunds.reason', 'not in', ['not_as_described', 'quality'])
        .orderBy('refunds.id')
        .executeTakeFirstOrThrow();

      const agent = await staff('agent');
      await openRefund(agent, target.id);
      // S1.15: a call that reached the buyer first
      const contact = agent.getByTestId('contact-form');
      // a key press or a click on a loaded machine can be lost: again until the dialog is there
      for (let attempt = 1; ; attempt++) {
        await agent.keyboard.press('c');
        try {
          await contact.waitFor({ timeout: 15_000 });
          break;
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
      await contact.getByLabel('内容', { exact: true }).fill('电话说明：鞋子已穿着，不符合退款条件');
      await chooseOption(agent, contact.getByTestId('outcome-select'), '已联系上');
      await clickUntil(agent.getByTestId('contact-form-submit'), () => contact.waitFor({ state: 'detached', timeout: 15_000 }));

      const refuse = agent.getByTestId('refuse-form');
      await clickUntil(agent.getByTestId('action-refuse'), () => refuse.waitFor({ timeout: 15_000 }));
      // the form asks for evidence before sending (S2.8)
      await agent.getByTestId('refuse-form-submit').click();
      await refuse.getByText(/凭证/).first().waitFor();
      await refuse.getByLabel('拒绝理由（买家会看到）').fill('鞋底有明显穿着痕迹，影响二次销售');
      await refuse.getByTestId('evidence-file-input').setInputFiles({ name: 'sole.png', mimeType: 'image/png', buffer: PNG });
      await expect.poll(() => refuse.locator('img').count()).toBeGreaterThan(0);
      await refuse.getByLabel('买家的问题（S1.15）').fill('买家说不合脚，但鞋底已磨损');
      await shot(agent, name, '01-refuse-form');
      await clickUntil(agent.getByTestId('refuse-form-submit'), () => refuse.waitFor({ state: 'detached', timeout: 15_000 }));
      await expect.poll(() => statusOf(agent)).toContain('卖家拒绝退款');
      await shot(agent, name, '02-refused');

      // the buyer sees the refusal; after the wait, asks the platform to step in
      app.ctx.clock.set(new Date(Date.now() + 25 * 3_600_000));
      const buyer = await buyerPortal(target.order_no, target.buyer_phone);
      await buyer.goto(`/buyer#/refund/${target.id}`);
      await buyer.getByText('鞋底有明显穿着痕迹，影响二次销售').first().waitFor();
      await buyer.getByLabel(/想对平台客服说的话/).fill('鞋底的磨损是快递途中造成的，请平台查看照片');
      await buyer.getByRole('button', { name: '提交介入申请' }).click();
      await buyer.getByText('已申请客服介入').first().waitFor();
      await shot(buyer, name, '03-buyer-intervention');

      // (the agent's session has ended with the 25 hours; the API token still reads)
      const after = (await (await fetch(`${app.url}/api/v1/refunds/${target.id}`, { headers: { authorization: `Bearer ${app.demo.tokens.agent}` } })).json()) as { intervention: { state: string }; refusal: { evidence: string[] } };
      expect(after.intervention.state).toBe('requested');
      expect(after.refusal.evidence.some((e) => /^evidence:\d+$/.test(e))).toBe(true);
      app.ctx.clock.set(new Date());
    });
  });
}
