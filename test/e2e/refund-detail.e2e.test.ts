/**
 * The refund detail page end to end: the agent opens a demo refund waiting for
 * the seller, sees the deadline banner and the playbook, logs a call from a
 * template, tries to agree a 收到商品不符 refund and is stopped by the SOP's
 * guard in words (S1.5); the supervisor overrides it with a written reason.
 * Screenshots: the page in zh-CN and in English.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { chooseOption, clickUntil, closeOverlay, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

interface RefundItem {
  id: number;
  reason: string;
  status: string;
  version: number;
}

/** A 收到商品不符 refund of the demo shop that waits for the seller (the API, as the signed-in page). */
async function notAsDescribedRefund(page: Page): Promise<RefundItem> {
  const answer = await page.request.get('/api/v1/refunds', { params: { status: 'WAIT_SELLER_AGREE', reason: 'not_as_described', limit: 10 } });
  expect(answer.status()).toBe(200);
  const { items } = (await answer.json()) as { items: RefundItem[] };
  expect(items.length).toBeGreaterThan(0);
  return items[0]!;
}

/** The short notices (antd message) gone, for a clean screenshot. */
async function noticesGone(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 8000 }).toBe(0);
}

for (const dialect of DIALECTS) {
  describe(`refund detail page [${dialect}]`, () => {
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

    it('agent: banner, playbook, a call from a template, the S1.5 guard in words; supervisor overrides; zh and en', async () => {
      const name = `refund-detail-${dialect}`;
      const agentContext = await newContext(browser, app.url);
      const page = await agentContext.newPage();
      await signIn(page, 'agent');
      const refund = await notAsDescribedRefund(page);

      await page.goto(`/refunds/${refund.id}`);
      await page.getByTestId('playbook').waitFor();
      // the deadline banner: what runs out, and a live countdown
      const banner = page.getByTestId('deadline-banner');
      expect(await banner.textContent()).toContain('卖家处理退款申请');
      const countdown = page.getByTestId('countdown');
      const before = await countdown.textContent();
      expect(before).toMatch(/天|小时|分|秒/);
      // the playbook: the rule that applies, the guard explained in words
      const playbook = page.getByTestId('playbook');
      expect(await playbook.textContent()).toContain('S1.5');
      expect(await playbook.locator('[data-guard="GUARD_REASON_NEEDS_CHANGE"]').textContent()).toContain('修改退款原因');
      // the order's facts: SKU, sign time, the product flags
      const facts = await page.getByTestId('order-facts').textContent();
      expect(facts).toContain('签收时间');
      expect(facts).toContain('热卖款');

      // S1.5: phone the buyer, from the template (keyboard: c)
      await page.keyboard.press('c');
      const contact = page.getByTestId('contact-form');
      await contact.waitFor();
      await chooseOption(page, contact.getByTestId('template-select'), '请买家修改退款原因');
      await contact.getByRole('button', { name: '填入模板' }).click();
      const content = contact.getByLabel('内容', { exact: true });
      await expect.poll(() => content.inputValue()).toContain('修改一下退款原因');
      await chooseOption(page, contact.getByTestId('outcome-select'), '已联系上');
      await page.getByTestId('contact-form-submit').click();
      await contact.waitFor({ state: 'detached' });
      await page.getByTestId('contacts').getByText('已联系上').waitFor();
      expect(await page.getByTestId('timeline').textContent()).toContain('电话联系买家');

      // agreeing as it stands is stopped by the guard, in words (keyboard: a)
      await page.keyboard.press('a');
      const agree = page.getByTestId('agree-form');
      await agree.waitFor();
      await expect.poll(() => agree.getByLabel('退货地址', { exact: true }).inputValue()).not.toBe('');
      await page.getByTestId('agree-form-submit').click();
      const guard = page.getByTestId('guard-error');
      await guard.waitFor();
      const guardText = (await guard.textContent()) ?? '';
      expect(guardText).toContain('修改退款原因');
      expect(guardText).not.toMatch(/GUARD_|409/);
      expect(guardText).toContain('请主管'); // an agent cannot override
      await shot(page, name, '01-agent-guard-zh');
      await closeOverlay(page);
      await agree.waitFor({ state: 'detached' });
      expect(await page.getByTestId('refund-status').textContent()).toContain('等待卖家同意');
      await noticesGone(page);
      await shot(page, name, '02-detail-zh');

      // the same page in English
      await page.getByText('EN', { exact: true }).click();
      await page.getByRole('heading', { name: 'Playbook' }).waitFor();
      expect(await banner.textContent()).toContain('Seller to answer');
      expect(await playbook.locator('[data-guard="GUARD_REASON_NEEDS_CHANGE"]').textContent()).toContain('phone the buyer to change the reason');
      await shot(page, name, '03-detail-en');
      // the countdown moved on meanwhile
      expect(await countdown.textContent()).not.toBe(before);
      await agentContext.close();

      // the supervisor goes past the guard with a written reason (audited)
      const supervisorContext = await newContext(browser, app.url);
      const sup = await supervisorContext.newPage();
      await signIn(sup, 'supervisor');
      await sup.goto(`/refunds/${refund.id}`);
      await sup.getByTestId('playbook').waitFor();
      await sup.getByTestId('action-agree').click();
      const supAgree = sup.getByTestId('agree-form');
      await supAgree.waitFor();
      await expect.poll(() => supAgree.getByLabel('退货地址', { exact: true }).inputValue()).not.toBe('');
      await sup.getByTestId('agree-form-submit').click();
      await sup.getByTestId('guard-error').waitFor();
      // too short a reason is refused before sending
      const overrideReason = sup.getByLabel(/放行理由/);
      await overrideReason.fill('太短');
      await sup.getByRole('button', { name: '放行并提交' }).click();
      await sup.getByText('请写明理由，至少 5 个字').waitFor();
      await overrideReason.fill('买家已电话确认鞋码偏小，同意按退货处理');
      await sup.getByRole('button', { name: '放行并提交' }).click();
      await supAgree.waitFor({ state: 'detached' });
      await expect.poll(() => sup.getByTestId('refund-status').textContent()).toContain('等待买家退货');
      expect(await sup.getByTestId('timeline').textContent()).toContain('卖家同意');
      await shot(sup, name, '04-supervisor-overrode');
      await supervisorContext.close();
    });

    it('issue 15 §1 / S1.18: a 7-day no-reason return waiting for the seller leads with the retention offer, not the refusal; once offered, agreeing is the primary step', async () => {
      const name = `refund-detail-next-step-${dialect}`;
      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'agent');
      const answer = await page.request.get('/api/v1/refunds', { params: { status: 'WAIT_SELLER_AGREE', reason: 'no_reason_7d', type: 'return_and_refund', limit: 50 } });
      const { items } = (await answer.json()) as { items: RefundItem[] };
      const target = items[0];
      expect(target, 'a demo 7-day no-reason return waiting for the seller').toBeDefined();
      await page.goto(`/refunds/${target!.id}`);
      await page.getByTestId('playbook').waitFor();
      const primaries = page.locator('[data-testid^="action-"].ant-btn-primary');
      await expect.poll(() => primaries.count()).toBe(1);
      expect(await page.getByTestId('action-retention').getAttribute('data-next-step')).toBe('true');
      expect(await page.getByTestId('action-refuse').getAttribute('class')).not.toContain('ant-btn-primary');
      await noticesGone(page);
      await shot(page, name, '01-retention-first');
      // the retention offer recorded (the buyer still wants the return): agreeing the return is next
      const recorded = await page.request.post(`/api/v1/refunds/${target!.id}/retention`, {
        data: { offer: 'exchange', outcome: 'refunded', detail: '客户不想换款，坚持退货' },
        headers: { 'idempotency-key': `retention-${dialect}-${target!.id}`, 'x-csrf-token': ((await (await page.request.get('/api/v1/session')).json()) as { csrfToken: string }).csrfToken },
      });
      expect(recorded.status(), await recorded.text()).toBe(201);
      await page.reload();
      await page.getByTestId('playbook').waitFor();
      await expect.poll(() => page.getByTestId('action-agree').getAttribute('data-next-step')).toBe('true');
      expect(await primaries.count()).toBe(1);
      await shot(page, name, '02-agree-next');

      // S1.8: an invoice refund's next step "登记发票" opens the invoice form on the finance page, its order filled in
      const invoiceAnswer = await page.request.get('/api/v1/refunds', { params: { status: 'WAIT_SELLER_AGREE', reason: 'invoice', limit: 5 } });
      const invoiceRefund = ((await invoiceAnswer.json()) as { items: (RefundItem & { orderNo: string })[] }).items[0];
      expect(invoiceRefund, 'a demo refund for 发票问题 waiting for the seller').toBeDefined();
      await page.goto(`/refunds/${invoiceRefund!.id}`);
      await clickUntil(page.getByTestId('playbook-action-invoice.request'), () => page.locator('.ant-modal:visible form[id="create-invoice"]').waitFor({ timeout: 15_000 }));
      const invoiceForm = page.locator('.ant-modal:visible');
      await expect.poll(() => invoiceForm.getByLabel('订单编号').inputValue()).toBe(invoiceRefund!.orderNo);
      // the order was looked up: the amount is filled from what was paid
      await expect.poll(() => invoiceForm.getByLabel('开票金额').inputValue()).toMatch(/^\d+\.\d\d$/);
      await shot(page, name, '03-invoice-from-next-step');
      await context.close();
    });

    it('S2.8 an end-of-day deadline (the platform decides by the end of the 7th working day) reads "3月2日 24:00 前", not the next day\'s 00:00; in English "by end of 2 Mar"', async () => {
      const name = `refund-detail-deadline-${dialect}`;
      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'agent');
      const answer = await page.request.get('/api/v1/refunds', { params: { status: 'SELLER_REFUSE_BUYER', limit: 50 } });
      const { items } = (await answer.json()) as { items: (RefundItem & { deadline: { kind: string; at: string | null } | null })[] };
      const waiting = items.find((r) => r.deadline?.kind === 'platform_decision' && r.deadline.at);
      expect(waiting, 'a demo refund waiting for the platform\'s decision').toBeDefined();
      const at = new Date(waiting!.deadline!.at!);
      // stored as the next day's 00:00 in Shanghai: the end of the day before
      expect(new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(11, 19)).toBe('00:00:00');
      const lastDay = new Date(at.getTime() + 8 * 3_600_000 - 1);
      await page.goto(`/refunds/${waiting!.id}`);
      const shown = page.getByTestId('deadline-at');
      await shown.waitFor();
      expect(await shown.textContent()).toBe(`${lastDay.getUTCMonth() + 1}月${lastDay.getUTCDate()}日 24:00 前`);
      expect(await page.getByTestId('deadline-banner').textContent()).not.toContain('00:00');
      await noticesGone(page);
      await shot(page, name, '01-deadline-zh');
      await page.getByText('EN', { exact: true }).click();
      const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][lastDay.getUTCMonth()];
      await expect.poll(() => shown.textContent()).toBe(`by end of ${lastDay.getUTCDate()} ${month}`);
      await shot(page, name, '02-deadline-en');
      // the queue says the same in the row's title
      await page.getByText('中文', { exact: true }).click();
      await page.goto(`/queue?orderNo=${encodeURIComponent((waiting as unknown as { orderNo: string }).orderNo)}`);
      const row = page.locator(`tr[data-row-key="${waiting!.id}"]`);
      await row.waitFor();
      expect(await row.locator(`span[title$="${lastDay.getUTCMonth() + 1}月${lastDay.getUTCDate()}日 24:00 前"]`).count()).toBe(1);
      await context.close();
    });
  });
}
