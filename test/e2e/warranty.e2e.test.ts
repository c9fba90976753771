/**
 * Issue 6 end to end: a phone bought 10 days ago with a confirmed fault is
 * exchanged, the host only (S4.2 15日内换主机, S4.5). The buyer walks the
 * guided path in the portal on a phone (S4.6: the fault → the card's
 * self-fix → still faulty → send back) and accepts the testing terms (S4.3);
 * the warehouse receives the parcel on the send-back board; the agent
 * records the test and the report (fault confirmed, with a photo) and
 * decides — an exchange of the host under the 15-day clause; the warehouse
 * ships back with the old and the new IMEI (a typing slip in the new one is
 * named with its check digit first); the agent's decision page and the
 * printable card show the clauses; the buyer reads why the box's number
 * differs from the new host's.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUYER_NICK } from '../../src/app/demo-seed.ts';
import { completeImei, imeiCheckDigit } from '../../src/core/warranty/device-ids.ts';
import { addCalendarDays, shanghaiDateOf } from '../../src/core/warranty/periods.ts';
import { DIALECTS } from '../support/databases.ts';
import { launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

/** A 1×1 PNG: a report photo whose signature the server checks. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

interface DeviceRow {
  id: number;
  orderNo: string | null;
  deviceId: string;
  idKind: 'imei' | 'meid';
  purchaseDate: string;
  brand: string;
  model: string;
}

/** A wrong check digit for the first 14 digits of an IMEI. */
function wrongCheckDigit(first14: string): string {
  return `${first14}${(Number(imeiCheckDigit(first14)) + 1) % 10}`;
}

for (const dialect of DIALECTS) {
  describe(`warranty: a host exchange under 三包 [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;

    /** The seller's side through the API, as the demo agent's token. */
    async function agentApi<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
      const res = await fetch(`${app.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${app.demo.tokens.agent}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    }

    beforeAll(async () => {
      [app, browser] = await Promise.all([startApp(dialect), launchBrowser()]);
      // "today" stays put for the whole test: the 10 days are counted to it
      app.ctx.clock.set(new Date());
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    /** The phone bought 10 days ago: the demo's, when it has one without a send-back; else registered here on the demo buyer's order. */
    async function phoneBoughtTenDaysAgo(): Promise<{ device: DeviceRow; orderNo: string; phone: string }> {
      const today = shanghaiDateOf(app.ctx.clock.now());
      const purchaseDate = addCalendarDays(today, -10);
      const listed = await agentApi<{ items: DeviceRow[] }>('GET', '/devices?limit=200');
      expect(listed.status).toBe(200);
      for (const d of listed.body.items.filter((x) => x.purchaseDate === purchaseDate && x.orderNo && x.idKind === 'imei')) {
        const detail = await agentApi<{ sendBacks: unknown[] }>('GET', `/devices/${d.id}`);
        const order = await app.ctx.db.kysely.selectFrom('orders').select(['order_no', 'buyer_phone']).where('order_no', '=', d.orderNo!).executeTakeFirst();
        if (detail.body.sendBacks.length === 0 && order) return { device: d, orderNo: order.order_no, phone: order.buyer_phone };
      }
      const order = await app.ctx.db.kysely
        .selectFrom('orders')
        .select(['order_no', 'buyer_phone'])
        .where('buyer_nick', '=', DEMO_BUYER_NICK)
        .where('signed_at', 'is not', null)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const created = await agentApi<DeviceRow>('POST', '/devices', {
        orderNo: order.order_no,
        brand: '华为',
        model: 'nova 12',
        deviceId: completeImei('86891203472615'),
        purchaseDate,
        deliveryDate: addCalendarDays(purchaseDate, 2),
        region: '河北省石家庄市长安区中山东路100号',
        accessories: [
          { kind: 'battery', origin: 'original' },
          { kind: 'charger', origin: 'original' },
          { kind: 'wired_earphones', origin: 'original' },
          { kind: 'memory_card', name: '8GB', origin: 'gift' },
        ],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return { device: created.body, orderNo: order.order_no, phone: order.buyer_phone };
    }

    /** Opens the send-back's drawer on the board and takes one action through its dialog. */
    async function act(page: Page, action: string, fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void>, expectStatus: string): Promise<void> {
      const drawer = page.getByTestId('send-back-detail');
      const dialog = page.getByRole('dialog').filter({ has: page.locator(`form[id$="-${action}"]`) });
      // on a loaded machine a click can be lost: the action's button again, up to three times
      for (let attempt = 1; ; attempt++) {
        await drawer.getByTestId(`action-${action}`).click();
        try {
          await dialog.waitFor({ timeout: 15_000 });
          break;
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
      await fill(dialog);
      // a click during the dialog's opening animation can be lost too: submit again while it stays open
      for (let attempt = 1; ; attempt++) {
        await dialog.getByTestId(`submit-${action}`).click();
        try {
          await dialog.waitFor({ state: 'detached', timeout: 15_000 });
          break;
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
      await expect.poll(async () => drawer.getByTestId('send-back-status').textContent(), { timeout: 10_000 }).toBe(expectStatus);
    }

    it('S4.2/S4.3/S4.5/S4.6: bought 10 days ago, fault confirmed by our test → exchange of the host (15-day clause); the old and new IMEI recorded, the card and the decision show the clauses', async () => {
      const name = `warranty-${dialect}`;
      const { device, orderNo, phone } = await phoneBoughtTenDaysAgo();

      // ---- the buyer, on a phone: the guided path of S4.6 and the testing terms of S4.3 ----
      const buyerContext = await newContext(browser, app.url, 'phone');
      const buyer = await buyerContext.newPage();
      await buyer.goto('/buyer');
      await buyer.getByLabel('订单号').fill(orderNo);
      await buyer.getByLabel('手机号').fill(phone);
      await buyer.getByRole('button', { name: '查找订单' }).click();
      await buyer.getByTestId('order-status').waitFor();
      const entry = buyer.getByTestId('warranty-open').first();
      await entry.waitFor();
      expect(await entry.textContent()).toContain('手机售后 / 三包');
      await entry.click();

      // ask the fault; a freeze gets the card's self-fix first (S4.1: factory reset)
      await buyer.getByTestId('guide-symptoms').waitFor();
      // a click: the next step replaces the question at once
      await buyer.getByRole('radio', { name: '手机卡机严重、死机' }).click();
      const selfFix = buyer.locator('[data-step="offer_self_fix"]');
      await selfFix.waitFor();
      expect(await selfFix.textContent()).toContain('恢复出厂设置');
      await shot(buyer, name, '01-buyer-self-fix');
      await buyer.getByRole('button', { name: '还是不行' }).click();

      // no usable service point in the city (the default list is placeholders): send back, on our terms
      const sendBack = buyer.locator('[data-step="send_back"]');
      await sendBack.waitFor();
      expect(await buyer.getByTestId('testing-terms').textContent()).toContain('认可我司出具的检测报告');
      expect(await buyer.getByTestId('return-address').textContent()).toContain('河北省石家庄开发区黄河大道祁连街润都盛和广场');
      // the terms must be accepted before anything is sent
      await buyer.getByLabel('手机出了什么问题').fill('用了几天就频繁死机，恢复出厂设置后还是死机，无法正常通话');
      await buyer.getByRole('button', { name: '同意细则，申请寄回检测' }).click();
      await buyer.getByText('寄回检测前必须同意检测细则').waitFor();
      await buyer.getByTestId('accept-terms').check();
      await shot(buyer, name, '02-buyer-terms');
      await buyer.getByRole('button', { name: '同意细则，申请寄回检测' }).click();
      await buyer.getByTestId('send-back-status').waitFor();
      expect(await buyer.getByTestId('send-back-status-title').textContent()).toBe('请把手机寄给我们');
      await buyer.getByTestId('terms-accepted').waitFor();

      const opened = await agentApi<{ items: { id: number; status: string; sendBack: { terms: { accepted: { via: string; by: string } | null } } }[] }>(
        'GET',
        `/send-backs?deviceId=${device.id}`,
      );
      expect(opened.status).toBe(200);
      const sb = opened.body.items[0]!;
      expect(sb.status).toBe('terms_accepted');
      expect(sb.sendBack.terms.accepted).toMatchObject({ via: 'portal', by: 'buyer' });
      await shot(buyer, name, '03-buyer-requested');

      // ---- the warehouse receives the parcel, on the board ----
      const warehouseContext = await newContext(browser, app.url);
      const warehouse = await warehouseContext.newPage();
      await signIn(warehouse, 'warehouse');
      await warehouse.goto('/warranty?tab=rma');
      const card = warehouse.getByTestId('rma-column-terms_accepted').getByTestId('rma-card').filter({ hasText: `#${sb.id}` });
      await card.waitFor();
      await shot(warehouse, name, '04-rma-board');
      await card.click();
      await warehouse.getByTestId('send-back-detail').waitFor();
      await act(warehouse, 'receive', async (d) => d.getByLabel('买家寄来的快递单号').fill('SF1402236637281'), '已收货');

      // ---- the agent: the test, the report with a photo, the decision ----
      const agentContext = await newContext(browser, app.url);
      const agent = await agentContext.newPage();
      await signIn(agent, 'agent');
      await agent.goto(`/warranty?tab=rma&sb=${sb.id}`);
      await agent.getByTestId('send-back-detail').waitFor();
      await act(agent, 'record_test', async () => {}, '已检测');
      await act(
        agent,
        'report',
        async (d) => {
          await d.getByTestId('evidence-file-input').setInputFiles({ name: 'freeze.png', mimeType: 'image/png', buffer: PNG });
          await d.getByRole('img', { name: 'freeze.png' }).waitFor();
          await d.getByLabel('报告摘要').fill('开机30分钟内死机3次，主板故障，属非人为性能故障');
        },
        '已出报告',
      );
      await act(
        agent,
        'decide',
        async (d) => {
          // the preview is the same pure decision the server takes: day 10 is past 7 days, within 15
          expect(await d.getByTestId('decide-preview').textContent()).toBe('更换同型号主机');
        },
        '已判定',
      );
      const decision = agent.getByTestId('send-back-detail').getByTestId('decision');
      expect(await decision.getByTestId('decision-remedy').textContent()).toContain('更换同型号主机');
      expect(await decision.getByTestId('decision-clause-id').textContent()).toBe('sanbao.host.exchange_15d');
      expect(await decision.getByTestId('decision-clause').textContent()).toContain('可以更换同种型号的主机（其他附件不作更换）');
      expect(await decision.getByTestId('decision-period').textContent()).toContain('第 10 天');
      expect(await decision.getByTestId('decision-host-only').textContent()).toContain('售后换新只更换机头');
      expect(await decision.getByTestId('decision-postage').textContent()).toContain('往返运费由您和我司各承担一半');
      // the decision in the drawer, once the action notes have gone
      await agent.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 8000 }).catch(() => {});
      await decision.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await shot(agent, name, '05-send-back-decided');

      // ---- the warehouse ships back: old and new IMEI, the new one checked before it is sent (S4.5) ----
      await warehouse.reload();
      await warehouse.getByTestId('send-back-detail').waitFor();
      const newImei = completeImei('86891203990017');
      await act(
        warehouse,
        'ship_back',
        async (d) => {
          await d.getByLabel('快递公司').fill('顺丰速运');
          await d.getByLabel('寄回的快递单号').fill('SF1402236699001');
          expect(await d.getByLabel('原主机串号').inputValue()).toBe(device.deviceId);
          const field = d.getByLabel('新主机串号');
          await field.fill(wrongCheckDigit('86891203990017'));
          await field.blur();
          await d.getByText(`校验位（第15位）应为 ${imeiCheckDigit('86891203990017')}`).waitFor();
          await field.fill(device.deviceId);
          await field.blur();
          await d.getByText('新主机串号不能和原主机一样').waitFor();
          await shot(warehouse, name, '06-ship-back-check-digit');
          await field.fill(newImei);
        },
        '已寄回',
      );
      expect(await warehouse.getByTestId('exchange-new-id').textContent()).toBe(newImei);

      const after = await agentApi<{
        status: string;
        sendBack: {
          chosenRemedy: string;
          decision: { remedy: string; clause: { id: string }; hostOnly: unknown };
          shipment: { exchange: { old: { value: string }; new: { value: string }; boxNoticeZh: string } };
        };
      }>('GET', `/send-backs/${sb.id}`);
      expect(after.body.status).toBe('shipped_back');
      expect(after.body.sendBack.chosenRemedy).toBe('exchange_host');
      expect(after.body.sendBack.decision.clause.id).toBe('sanbao.host.exchange_15d');
      expect(after.body.sendBack.decision.hostOnly).not.toBeNull();
      expect(after.body.sendBack.shipment.exchange).toMatchObject({ old: { value: device.deviceId }, new: { value: newImei } });

      // ---- the agent's device lookup (check digit named) and the decision page ----
      await agent.goto('/warranty?tab=devices');
      const lookup = agent.getByTestId('device-lookup');
      await lookup.fill(wrongCheckDigit(device.deviceId.slice(0, 14)));
      await agent.getByRole('button', { name: /查\s*询/ }).click();
      await agent.getByText(`应为 ${imeiCheckDigit(device.deviceId.slice(0, 14))}`).waitFor();
      await lookup.fill(device.deviceId);
      await agent.getByRole('button', { name: /查\s*询/ }).click();
      await agent.getByRole('button', { name: `查看设备 ${device.deviceId}` }).click();
      const facts = agent.getByTestId('device-facts');
      await facts.waitFor();
      expect(await facts.getByTestId('device-purchase').textContent()).toBe(device.purchaseDate);
      expect(await facts.getByTestId('card-link').getAttribute('href')).toBe(`/api/v1/devices/${device.id}/card`);
      await facts.getByRole('button', { name: /三包判定/ }).click();
      await agent.getByRole('button', { name: /^判\s*定$/ }).click();
      const page2 = agent.getByTestId('decision');
      await page2.waitFor();
      expect(await page2.getByTestId('decision-remedy').textContent()).toContain('更换同型号主机');
      expect(await page2.getByTestId('decision-clause-id').textContent()).toBe('sanbao.host.exchange_15d');
      expect(await page2.getByTestId('decision-host-only').textContent()).toContain('MEID');
      // the considered rules: the 7-day rule is past (day 10), the 15-day one holds
      await page2.getByTestId('decision-considered').getByText('参考的规则').click();
      await page2.getByTestId('decision-considered').getByText('已超过7日').waitFor();
      await shot(agent, name, '07-decision');
      // the same answer in English: the explanation comes from the server in both languages
      await agent.getByText('EN', { exact: true }).click();
      expect(await page2.getByTestId('decision-remedy').textContent()).toContain('Exchange of the host');
      expect(await page2.getByTestId('decision-explanation').textContent()).toContain('Host exchange within 15 days applies');
      await shot(agent, name, '07b-decision-en');
      await agent.getByText('中文', { exact: true }).click();

      // ---- the card (S4.1): a printable page with the policy, the self-fixes and the return address ----
      const cardPage = await agentContext.newPage();
      const response = await cardPage.goto(`/api/v1/devices/${device.id}/card`);
      expect(response?.status()).toBe(200);
      const cardText = (await cardPage.locator('body').textContent()) ?? '';
      expect(cardText).toContain('自购买之日起15日内');
      expect(cardText).toContain('可以更换同种型号的主机');
      expect(cardText).toContain('售后换新只更换机头');
      expect(cardText).toContain('恢复出厂设置');
      expect(cardText).toContain('河北省石家庄开发区黄河大道祁连街润都盛和广场');
      await shot(cardPage, name, '08-card');

      // ---- the buyer: the outcome and why the box's MEID/IMEI differs (S4.5) ----
      await buyer.reload();
      await buyer.getByTestId('send-back-status').waitFor();
      expect(await buyer.getByTestId('send-back-status-title').textContent()).toBe('已寄回给您');
      expect(await buyer.getByTestId('buyer-decision').textContent()).toContain('15日内换主机');
      const notice = buyer.getByTestId('meid-notice');
      expect(await notice.textContent()).toContain(newImei);
      expect(await notice.textContent()).toContain('盒子');
      await notice.scrollIntoViewIfNeeded();
      await shot(buyer, name, '09-buyer-meid-notice');
      await buyer.getByRole('button', { name: 'EN' }).click();
      expect(await notice.textContent()).toContain("Why does the box's number differ from the new phone's?");
      await shot(buyer, name, '10-buyer-meid-notice-en');

      await Promise.all([buyerContext.close(), warehouseContext.close(), agentContext.close()]);
    }, 240_000);

    it('S4 device sale: the form names the IMEI check digit before sending, registers the sale with its accessories, and refuses the same IMEI twice', async () => {
      const name = `warranty-register-${dialect}`;
      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'agent');
      await page.goto('/warranty');
      await page.getByRole('button', { name: '登记手机销售' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      const first14 = '35209900176148';
      await dialog.getByLabel('品牌').fill('小米');
      await dialog.getByLabel('型号').fill('Redmi Note 13');
      await dialog.getByLabel('串号（IMEI/MEID）').fill(wrongCheckDigit(first14));
      await dialog.getByLabel('串号（IMEI/MEID）').blur();
      await dialog.getByText(`应为 ${imeiCheckDigit(first14)}`).waitFor();
      await shot(page, name, '01-register-check-digit');
      await dialog.getByLabel('串号（IMEI/MEID）').fill(completeImei(first14));
      const purchase = addCalendarDays(shanghaiDateOf(app.ctx.clock.now()), -3);
      await dialog.getByLabel('买家所在地区').fill('河北省保定市竞秀区');
      await dialog.getByLabel('购买日期').fill(purchase);
      // a click elsewhere commits the typed date (Enter would submit the form)
      await dialog.getByText('登记手机销售').click();
      await dialog.getByRole('button', { name: /登\s*记/ }).click();
      const facts = page.getByTestId('device-facts');
      await facts.waitFor();
      expect(await facts.getByTestId('device-id').textContent()).toBe(completeImei(first14));
      expect(await facts.getByTestId('device-purchase').textContent()).toBe(purchase);
      expect(await facts.getByTestId('device-accessories').textContent()).toContain('电池');
      await shot(page, name, '02-device');

      // the same IMEI again: refused in words, on the field
      await page.getByRole('button', { name: '登记手机销售' }).click();
      await dialog.waitFor();
      await dialog.getByLabel('品牌').fill('小米');
      await dialog.getByLabel('型号').fill('Redmi Note 13');
      await dialog.getByLabel('串号（IMEI/MEID）').fill(completeImei(first14));
      await dialog.getByLabel('买家所在地区').fill('河北省保定市竞秀区');
      await dialog.getByLabel('购买日期').fill(purchase);
      // a click elsewhere commits the typed date (Enter would submit the form)
      await dialog.getByText('登记手机销售').click();
      await dialog.getByRole('button', { name: /登\s*记/ }).click();
      await dialog.getByText('本店已经登记过这个串号', { exact: false }).first().waitFor();
      await context.close();
    }, 120_000);
  });
}
