/**
 * The warehouse's and finance's pages in the browser.
 * S1.1/S2.2: a supervisor collects the day's unshipped refunds and sends the
 * batch (agents and supervisors send it; the warehouse may not), the warehouse
 * marks one order voided and one already shipped (the order is marked
 * shipped) and prints the batch. S1.13: the warehouse types the tracking
 * number of a returned demo refund as a scanner would (Enter) and records the
 * arrival. S1.7/S1.8/S1.14: finance stamps a claim (and prints its paper
 * form), issues an invoice and pays a postage compensation opened through the
 * API by the agent.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { closeOverlay, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

interface Rec {
  id: number;
  status: string;
  version: number;
  kind: string;
  data: Record<string, unknown>;
}
interface BatchAnswer {
  id: number;
  status: string;
  lines: { refundId: number; orderNo: string; status: string }[];
}
interface RefundItem {
  id: number;
  orderNo: string;
  type: string;
  returnShipment: { trackingNo: string } | null;
}

/** A button in the popover or modal that is open now (antd keeps closed ones in the page). */
const okIn = (page: Page, container: '.ant-popover' | '.ant-modal') => page.locator(`${container}:visible`).getByRole('button', { name: /确\s*定|OK/ });
/**
 * Clicks the OK of the open modal or popover once it has finished coming in: on a machine starved by a whole test
 * run, a click while antd still animates it in (its zoom/move classes) was seen to go nowhere.
 */
async function clickOk(page: Page, container: '.ant-popover' | '.ant-modal'): Promise<void> {
  const box = page.locator(`${container}:visible`);
  await expect.poll(() => box.evaluate((el) => /\bant-[\w-]+-(appear|enter)(-active)?\b/.test(el.className)), { timeout: 30_000 }).toBe(false);
  await okIn(page, container).click();
}
/** OK on a form that is to refuse it on the page (no request is made): clicked again if the refusal did not show. */
async function okRefusedWith(page: Page, text: string | RegExp): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await clickOk(page, '.ant-modal');
    try {
      await page.getByText(text).first().waitFor({ timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt === 6) throw e;
    }
  }
}

for (const dialect of DIALECTS) {
  describe(`warehouse and finance pages [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;

    /** The API as the demo agent's token (a machine: no session, no CSRF). */
    async function agentApi<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
      const res = await fetch(`${app.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${app.demo.tokens.agent}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    }

    beforeAll(async () => {
      app = await startApp(dialect);
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('S1.1/S2.2/S1.13: the batch is sent, the warehouse voids one order and marks one shipped, prints the batch, then scans a return and records its arrival', async () => {
      const test = `warehouse-${dialect}`;

      // S1.1: agents and supervisors collect and send the batch (the warehouse marks it)
      const supervisorContext = await newContext(browser, app.url);
      const sup = await supervisorContext.newPage();
      await signIn(sup, 'supervisor');
      await sup.getByRole('link', { name: '仓库' }).click();
      await sup.getByRole('tab', { name: '未发退批次' }).click();
      await sup.getByRole('button', { name: '收集未发退' }).click();
      await sup.getByTestId('batch-state').filter({ hasText: '收集中' }).waitFor();
      expect(await sup.getByTestId('batch-cutoff').textContent()).toMatch(/\d{2}:\d{2}/);
      await sup.getByRole('button', { name: '提交仓库' }).click();
      await clickOk(sup, '.ant-popover');
      await sup.getByTestId('batch-state').filter({ hasText: '已提交仓库' }).waitFor();
      await supervisorContext.close();

      const batches = await agentApi<BatchAnswer[]>('GET', '/unshipped-batches');
      const batch = batches.body[0]!;
      expect(batch.status).toBe('sent');
      expect(batch.lines.length).toBeGreaterThanOrEqual(2);
      const [voidLine, shipLine] = batch.lines as [BatchAnswer['lines'][0], BatchAnswer['lines'][0]];

      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'warehouse');
      await page.getByRole('tab', { name: '未发退批次' }).click();
      await page.getByTestId('batch-state').waitFor();
      expect(await page.getByTestId('batch-state').textContent()).toContain('已提交仓库');
      // the warehouse may not collect or send
      expect(await page.getByRole('button', { name: '收集未发退' }).count()).toBe(0);

      await page.getByRole('button', { name: `把订单 ${voidLine.orderNo} 标为已作废` }).click();
      await clickOk(page, '.ant-popover');
      await page.getByRole('button', { name: `把订单 ${voidLine.orderNo} 标为已作废` }).waitFor({ state: 'detached' });

      // S2.2: already shipped needs the courier and tracking number; the form says so before sending
      await page.getByRole('button', { name: `把订单 ${shipLine.orderNo} 标为已发出` }).click();
      await clickOk(page, '.ant-modal');
      await page.getByText('请填写快递公司').waitFor();
      await page.getByLabel('快递公司').fill('中通快递');
      await page.getByLabel('快递单号').fill('73100012345678');
      await clickOk(page, '.ant-modal');
      await page.getByRole('button', { name: `把订单 ${shipLine.orderNo} 标为已发出` }).waitFor({ state: 'detached' });
      await page.locator('.ant-modal:visible').waitFor({ state: 'hidden' });
      await shot(page, test, '01-batch-marked');

      const marked = (await agentApi<BatchAnswer>('GET', `/unshipped-batches/${batch.id}`)).body;
      expect(marked.lines.find((l) => l.refundId === voidLine.refundId)?.status).toBe('voided');
      expect(marked.lines.find((l) => l.refundId === shipLine.refundId)?.status).toBe('already_shipped');
      const shippedOrder = await agentApi<{ status: string; shipment: { trackingNo: string } | null }>('GET', `/orders/${shipLine.orderNo}`);
      expect(shippedOrder.body.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
      expect(shippedOrder.body.shipment?.trackingNo).toBe('73100012345678');

      // the print view: a clean table, as it prints
      await page.getByRole('button', { name: '打印视图' }).click();
      await page.getByTestId('batch-print').waitFor();
      expect(await page.getByTestId('batch-print').textContent()).toContain(voidLine.orderNo);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
      await shot(page, test, '02-batch-print');
      await page.emulateMedia({ media: 'screen' });

      // S1.13: a returned parcel's tracking number, typed as a scanner types it (then Enter)
      const returns = await agentApi<{ items: RefundItem[] }>('GET', '/refunds?status=WAIT_SELLER_CONFIRM_GOODS&type=return_and_refund&limit=5');
      const returned = returns.body.items.find((r) => r.returnShipment)!;
      expect(returned).toBeDefined();
      await page.getByRole('link', { name: '返回仓库' }).click();
      await page.getByRole('tab', { name: '退货到货登记' }).click();
      await page.getByLabel('退货快递单号').waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('warehouse-scan');
      await page.keyboard.type('NOSUCHPARCEL01');
      await page.keyboard.press('Enter');
      await page.getByTestId('scan-none').waitFor();
      await page.getByLabel('退货快递单号').fill('');
      await page.keyboard.type(returned.returnShipment!.trackingNo.toLowerCase());
      await page.keyboard.press('Enter');
      await page.getByTestId('arrival-card').waitFor();
      expect(await page.getByTestId('arrival-card').textContent()).toContain(returned.orderNo);
      // the form checks before sending
      await page.getByRole('button', { name: '登记到货', exact: true }).click();
      await page.getByText('请选择验货结果').waitFor();
      await page.getByText('不影响二次销售（可以再卖）').click();
      await page.getByLabel('仓库备注').fill('鞋盒完好，鞋面干净');
      await page.getByRole('button', { name: '登记到货', exact: true }).click();
      await page.getByTestId('arrival-done').waitFor();
      expect(await page.getByTestId('arrival-done').textContent()).toContain('不影响二次销售');
      await shot(page, test, '03-arrival-recorded');

      const records = await agentApi<Rec[]>('GET', `/refunds/${returned.id}/records`);
      const arrival = records.body.find((r) => r.kind === 'return_arrival');
      expect(arrival?.data.condition).toBe('resellable');
      expect(arrival?.data.note).toBe('鞋盒完好，鞋面干净');
      await context.close();
    });

    it('S1.7/S1.8/S1.14: finance stamps a claim (one cancelled meanwhile answers 409 and reloads) and prints it, issues an invoice and pays a postage compensation', async () => {
      const test = `finance-${dialect}`;
      // the agent opens the records (finance acts on them, it does not open them)
      const quality = await agentApi<{ items: { id: number; orderNo: string }[] }>('GET', '/refunds?status=SUCCESS&reason=quality&limit=1');
      const owed = quality.body.items[0]!;
      const claim = await agentApi<Rec>('POST', '/records/claim', {
        orderNo: owed.orderNo,
        sku: 'XZ-2026-01',
        size: '38',
        courier: '中通快递',
        trackingNo: '73123456789012',
        itemPriceFen: 12900,
      });
      expect(claim.status).toBe(201);
      const invoice = await agentApi<Rec>('POST', '/records/invoice', {
        orderNo: owed.orderNo,
        titleType: 'company',
        title: '杭州小周鞋业有限公司',
        taxId: '91330100MA27XL0J87',
        amountFen: 23900,
      });
      expect(invoice.status).toBe(201);
      expect((await agentApi<Rec>('POST', `/records/invoice/${invoice.body.id}/send_to_finance`, { version: invoice.body.version })).status).toBe(200);
      const postage = await agentApi<Rec>('POST', '/records/postage', { orderNo: owed.orderNo, refundId: owed.id, alipayAccount: '13812345678', realName: '张小鹿' });
      expect(postage.status).toBe(201);
      const cancelledMeanwhile = await agentApi<Rec>('POST', '/records/claim', {
        orderNo: owed.orderNo,
        sku: 'XZ-2026-02',
        size: '39',
        courier: '圆通速递',
        trackingNo: 'YT1234567890123',
        itemPriceFen: 15900,
      });
      expect(cancelledMeanwhile.status).toBe(201);

      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'finance');
      const detail = page.getByTestId('record-detail');

      // claims: finance opens on the claims to stamp
      await page.getByRole('button', { name: `处理 #${claim.body.id}` }).waitFor();
      expect(await page.getByTestId('records-claim').textContent()).toContain('XZ-2026-02');
      await shot(page, test, '01-claims');

      // a claim cancelled by the agent while finance looks at it: the stamp answers 409 and the record reloads
      await page.getByRole('button', { name: `处理 #${cancelledMeanwhile.body.id}` }).click();
      await detail.getByRole('button', { name: '财务盖章' }).waitFor();
      expect((await agentApi<Rec>('POST', `/records/claim/${cancelledMeanwhile.body.id}/cancel`, { version: 1, reason: '买家找到包裹了' })).status).toBe(200);
      await detail.getByRole('button', { name: '财务盖章' }).click();
      await clickOk(page, '.ant-modal');
      await page.getByText(/刚被别人改过/).waitFor();
      await detail.locator('.ant-tag', { hasText: '已取消' }).waitFor();
      expect(await detail.getByRole('button').count()).toBe(0);
      await page.locator('.ant-modal:visible').waitFor({ state: 'hidden' });
      await closeOverlay(page);
      await detail.waitFor({ state: 'detached' });

      // the actions are the server's: finance stamps
      await page.getByRole('button', { name: `处理 #${claim.body.id}` }).click();
      await detail.waitFor();
      expect(await detail.getByRole('button').allTextContents()).toEqual(['财务盖章']);
      await detail.getByRole('button', { name: '财务盖章' }).click();
      await clickOk(page, '.ant-modal');
      await detail.locator('.ant-tag', { hasText: '财务已盖章' }).waitFor();
      await page.locator('.ant-modal:visible').waitFor({ state: 'hidden' });
      await shot(page, test, '02-claim-stamped');
      await page.locator('.ant-drawer').getByRole('button', { name: `打印索赔单 #${claim.body.id}` }).click();
      await page.getByTestId('claim-print').waitFor();
      const form = (await page.getByTestId('claim-print').textContent()) ?? '';
      for (const expected of [owed.orderNo, 'XZ-2026-01', '38', '73123456789012', '中通快递', '¥129.00', '财务盖章', '已盖章']) expect(form).toContain(expected);
      await page.emulateMedia({ media: 'print' });
      await shot(page, test, '03-claim-print');
      await page.emulateMedia({ media: 'screen' });

      // invoices: the one sent to finance, issued with its number and date
      await page.getByRole('link', { name: '返回财务' }).click();
      await page.getByRole('tab', { name: '发票', exact: true }).click();
      await page.getByRole('button', { name: `处理 #${invoice.body.id}` }).waitFor();
      expect(await page.getByTestId('records-invoice').textContent()).toContain('91330100MA27XL0J87');
      await shot(page, test, '04-invoices');
      await page.getByRole('button', { name: `处理 #${invoice.body.id}` }).click();
      await detail.getByRole('button', { name: /^开\s*票$/ }).click();
      await page.getByLabel('发票号码').fill('1234567');
      await okRefusedWith(page, /发票号码是 8–20 位/);
      await page.getByLabel('发票号码').fill('12345678');
      await clickOk(page, '.ant-modal');
      await detail.locator('.ant-tag', { hasText: '已开票' }).waitFor();
      await page.locator('.ant-modal:visible').waitFor({ state: 'hidden' });
      await shot(page, test, '05-invoice-issued');
      await closeOverlay(page);
      await detail.waitFor({ state: 'detached' });

      // postage: paid with the Alipay payment reference
      await page.getByRole('tab', { name: '运费补偿' }).click();
      await page.getByRole('button', { name: `处理 #${postage.body.id}` }).waitFor();
      expect(await page.getByTestId('records-postage').textContent()).toContain('¥15.00');
      await shot(page, test, '06-postage');
      await page.getByRole('button', { name: `处理 #${postage.body.id}` }).click();
      await detail.getByRole('button', { name: '登记付款' }).click();
      await okRefusedWith(page, '请填写支付宝交易号');
      await page.getByLabel('支付宝交易号').fill('2026112722001456');
      await clickOk(page, '.ant-modal');
      await detail.locator('.ant-tag', { hasText: '已付款' }).waitFor();
      await page.locator('.ant-modal:visible').waitFor({ state: 'hidden' });
      await shot(page, test, '07-postage-paid');

      const claimAfter = await agentApi<Rec>('GET', `/records/claim/${claim.body.id}`);
      expect(claimAfter.body.status).toBe('stamped');
      const invoiceAfter = await agentApi<Rec>('GET', `/records/invoice/${invoice.body.id}`);
      expect(invoiceAfter.body.status).toBe('issued');
      expect((invoiceAfter.body.data.issued as { number: string }).number).toBe('12345678');
      const postageAfter = await agentApi<Rec>('GET', `/records/postage/${postage.body.id}`);
      expect(postageAfter.body.status).toBe('paid');

      // issue 15 §6: an invoice the agent registered but has not handed over shows in its own tab for finance
      const notHanded = await agentApi<Rec>('POST', '/records/invoice', { orderNo: owed.orderNo, titleType: 'individual', title: '张小鹿', amountFen: 10000 });
      expect(notHanded.status).toBe(201);
      await closeOverlay(page);
      await detail.waitFor({ state: 'detached' });
      await page.getByRole('tab', { name: '待客服转交的发票' }).click();
      await page.getByRole('button', { name: `处理 #${notHanded.body.id}` }).waitFor();
      expect(await page.getByRole('button', { name: `处理 #${invoice.body.id}` }).count()).toBe(0);
      await shot(page, test, '08-invoices-not-handed-over');
      await context.close();

      // issue 15 §6: a 个人 invoice whose title reads like a company gets a warning (the agent registers it)
      const agentContext = await newContext(browser, app.url);
      const agentPage = await agentContext.newPage();
      await signIn(agentPage, 'agent');
      await agentPage.goto('/finance?tab=invoices');
      await agentPage.getByRole('button', { name: '登记发票' }).click();
      const invoiceForm = agentPage.locator('.ant-modal:visible');
      await invoiceForm.getByLabel('发票抬头').fill('杭州小周鞋业有限公司');
      await agentPage.getByTestId('invoice-title-company-warning').waitFor();
      await shot(agentPage, test, '09-individual-title-like-company');
      await invoiceForm.getByLabel('发票抬头').fill('张小鹿');
      await agentPage.getByTestId('invoice-title-company-warning').waitFor({ state: 'detached' });
      await agentContext.close();
    });
  });
}
