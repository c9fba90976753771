/**
 * Issue 15 §7: on a phone (390 × 844) the field lead works on site and the
 * warehouse clerk at the shelves. The header never covers the page's title;
 * lists are cards (what, where, by when, what to do); the S5.8 notice says
 * once what is missing, without rule codes.
 * - the field lead sees his records and today's dispatches as cards, records
 *   his arrival, the work done with a photo from the camera, and hands the
 *   record back to the clerk;
 * - the warehouse scans a return and registers its arrival.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { clickUntil, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

/** a 2 × 2 PNG: a photo as the camera hands it over */
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

/** A box's size on screen; widths are compared with a pixel to spare (sub-pixel layout: 390.00003 on a 390-px screen). */
async function box(l: Locator) {
  const b = await l.boundingBox();
  expect(b).not.toBeNull();
  return b!;
}

/** The open dialog, once its opening animation is over; submits it, retrying a click lost under load. */
async function submitDialog(page: Page, name: RegExp) {
  const m = page.locator('.ant-modal:visible');
  await m.waitFor();
  await page.locator('.ant-modal.ant-zoom-appear, .ant-modal.ant-zoom-enter').first().waitFor({ state: 'detached' }).catch(() => {});
  await clickUntil(m.getByRole('button', { name }), () => m.waitFor({ state: 'hidden', timeout: 15_000 }));
}

for (const dialect of DIALECTS) {
  describe(`on a phone [${dialect}]`, () => {
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

    it('the field lead: records and dispatches as cards, arrival, work with a photo, back to the clerk', async () => {
      const name = `phone-field-lead-${dialect}`;
      const context = await newContext(browser, app.url, 'phone');
      const page = await context.newPage();
      await signIn(page, 'field-lead');
      const title = page.getByRole('heading', { level: 3 }).first();
      await title.waitFor();
      // the header's menu button is above the title, never over it
      const menu = page.getByTestId('menu-button');
      expect((await box(menu)).y + (await box(menu)).height).toBeLessThanOrEqual((await box(title)).y);
      // S5.8: what is missing, once per record, in words
      const reminders = page.getByTestId('reminders');
      await reminders.waitFor();
      expect(await reminders.textContent()).not.toContain('S5.8');
      expect(await reminders.getByTestId('reminder-missing').first().textContent()).toMatch(/^还缺：/);
      // his records as cards, not a squeezed table
      const card = page.locator('[data-testid^="record-card-"]').filter({ hasText: '负责人处理中' }).filter({ hasNotText: '紧急' }).first();
      await card.waitFor();
      expect(await page.getByTestId('my-records').locator('table').count()).toBe(0);
      expect((await box(card)).width).toBeLessThanOrEqual(391);
      await shot(page, name, '01-my-work');

      // the menu opens as a drawer and closes on a choice
      await menu.click();
      await page.locator('.ant-drawer-open').getByText('售后服务台').first().waitFor();
      await shot(page, name, '02-menu');
      await page.keyboard.press('Escape');
      await page.locator('.ant-drawer-open').waitFor({ state: 'detached' }).catch(() => {});

      // on site: the record, the arrival
      const recordNo = ((await card.getAttribute('data-testid')) ?? '').replace('record-card-', '');
      await clickUntil(card.getByRole('button', { name: `打开记录 #${recordNo}` }), () => page.getByTestId('record-detail').waitFor({ timeout: 10_000 }));
      const d = page.locator('.ant-drawer-open .ant-drawer-section').filter({ has: page.getByTestId('record-detail') });
      expect((await box(d)).width).toBeLessThanOrEqual(391);
      await clickUntil(d.getByTestId('section-dispatches').getByRole('button', { name: /^登记到场/ }).first(), () => page.locator('.ant-modal:visible').waitFor({ timeout: 10_000 }));
      await submitDialog(page, /提\s*交|保\s*存/);
      await d.getByTestId('section-dispatches').getByText('已到场').first().waitFor();

      // the work done, with a photo from the camera
      await clickUntil(d.getByRole('button', { name: '填写完工' }), () => page.locator('.ant-modal:visible').waitFor({ timeout: 10_000 }));
      const w = page.locator('.ant-modal:visible');
      await w.getByLabel('维修内容').fill('更换主板排线，现场开机测试正常。');
      await w.getByLabel('工时（小时）').fill('1.5');
      const input = w.locator('input[type="file"]');
      expect(await input.getAttribute('capture')).toBe('environment');
      await input.setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: PHOTO });
      await w.locator('.ant-upload-list-item-done').waitFor();
      await shot(page, name, '03-work-with-photo');
      await submitDialog(page, /提\s*交|保\s*存/);
      const work = d.getByTestId('section-work');
      await work.waitFor();
      expect(await work.textContent()).toContain('现场照片（1 张）');
      // the photo shows for the lead (the service desk reads its own people's files)
      await expect.poll(() => work.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(2);

      // back to the clerk
      await clickUntil(d.getByRole('button', { name: '交回内勤' }), () => page.locator('.ant-modal:visible').waitFor({ timeout: 10_000 }));
      await submitDialog(page, /提\s*交|确\s*定|交回/);
      await d.getByTestId('record-status').filter({ hasText: '已交回内勤' }).waitFor();
      await shot(page, name, '04-handed-back');
      await context.close();
    }, 240_000);

    it('finance and complaints lists are cards too, their drawers fit the screen (issue 15 §8: one list, one drawer)', async () => {
      const name = `phone-lists-${dialect}`;
      const context = await newContext(browser, app.url, 'phone');
      const page = await context.newPage();
      await signIn(page, 'finance');
      // an agent registers an invoice for finance (the page's records)
      const agentSide = await newContext(browser, app.url);
      const agentPage = await agentSide.newPage();
      await signIn(agentPage, 'agent');
      const csrf = ((await (await agentPage.request.get('/api/v1/session')).json()) as { csrfToken: string }).csrfToken;
      const orderNo = ((await (await agentPage.request.get('/api/v1/refunds', { params: { limit: 1 } })).json()) as { items: { orderNo: string }[] }).items[0]!.orderNo;
      const made = await agentPage.request.post('/api/v1/records/invoice', { data: { orderNo, titleType: 'individual', title: '王小明', amountFen: 19_900 }, headers: { 'x-csrf-token': csrf } });
      expect(made.status(), await made.text()).toBe(201);
      await agentSide.close();
      // a new invoice waits for the agent to hand it over: finance sees it under 待客服转交的发票
      await page.goto('/finance?tab=handover');
      const card = page.locator('[data-testid^="record-card-"]').first();
      await card.waitFor();
      expect(await page.locator('[data-testid^="records-"] table').count()).toBe(0);
      await shot(page, name, '01-finance-cards');
      await clickUntil(card.getByRole('button').first(), () => page.getByTestId('record-detail').waitFor({ timeout: 10_000 }));
      expect((await box(page.locator('.ant-drawer-open .ant-drawer-section').first())).width).toBeLessThanOrEqual(391);
      await shot(page, name, '02-finance-drawer');
      await context.close();

      const agentContext = await newContext(browser, app.url, 'phone');
      const agent = await agentContext.newPage();
      await signIn(agent, 'agent');
      await agent.goto('/complaints');
      // the list of complaints is a card list (the demo has none yet: its empty state), never a squeezed table
      await agent.getByTestId('complaints-table').waitFor();
      expect(await agent.getByTestId('complaints-table').locator('table').count()).toBe(0);
      await shot(agent, name, '03-complaint-cards');
      await agentContext.close();
    }, 180_000);

    it('the warehouse: scans a return and registers its arrival', async () => {
      const name = `phone-warehouse-${dialect}`;
      const context = await newContext(browser, app.url, 'phone');
      const page = await context.newPage();
      await signIn(page, 'warehouse');
      await page.goto('/warehouse?tab=arrivals');
      const expected = page.locator('[data-testid^="expected-"]').first();
      await expected.waitFor();
      expect(await page.getByTestId('expected-returns').locator('table').count()).toBe(0);
      const trackingNo = (await expected.locator('.ant-typography strong, strong').first().textContent())?.trim() ?? '';
      expect(trackingNo.length).toBeGreaterThan(5);
      const title = page.getByRole('heading', { level: 3 }).first();
      expect((await box(page.getByTestId('menu-button'))).y + (await box(page.getByTestId('menu-button'))).height).toBeLessThanOrEqual((await box(title)).y);
      await shot(page, name, '01-expected');
      await page.getByLabel('退货快递单号').fill(trackingNo);
      await page.keyboard.press('Enter');
      const arrival = page.getByTestId('arrival-card');
      await arrival.waitFor();
      await page.getByText('不影响二次销售（可以再卖）').click();
      await page.getByLabel('仓库备注').fill('鞋盒完好');
      await shot(page, name, '02-arrival-form');
      await arrival.getByRole('button', { name: '登记到货', exact: true }).click();
      await page.getByTestId('arrival-done').waitFor();
      // issue 15 §2: the expected list marks the registered arrival at once
      await page.locator('[data-testid^="expected-"]').filter({ hasText: trackingNo }).getByTestId('arrived-mark').waitFor();
      await shot(page, name, '03-arrival-done');
      await context.close();
    }, 180_000);
  });
}
