/**
 * Issue 6, the supervisor's 三包设置 tab: the policy (S4.2–S4.5) and the
 * service points with the return contact (S4.1) are data the shop edits,
 * each save a new version. The supervisor lengthens the host exchange from
 * 15 to 20 days and rewrites its clause, saves (version 1); fills in the
 * 石家庄 华为 placeholder as an active point (a wrong phone is named before
 * anything is sent), saves (version 1); the demo 石家庄 华为 phone's warranty
 * card then prints the new point and the new clause. A policy with a
 * negative accessory period, sent through the JSON editor, is refused by the
 * server (422 WARRANTY_POLICY_INVALID) and its problems are shown in words.
 * An agent never sees the tab.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { chooseOption, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

/** The demo's 华为 Mate 60, sold to 河北省石家庄市长安区 (src/app/demo-seed.ts). */
const SHIJIAZHUANG_HUAWEI_ORDER = '5017283940561728301';
const NEW_CLAUSE = '自购买之日起20日内，主机出现非人为损坏的性能故障，须经厂家授权客服中心作出故障属实的鉴定后，且外观无划伤，可以更换同种型号的主机（其他附件不作更换）。本店三包换货期延长至20日。';
const POINT = { name: '华为授权服务中心（石家庄万达店）', address: '石家庄市裕华区槐安东路136号万达广场3层', phone: '0311-86881234', hours: '周一至周日 9:00–18:00' };

for (const dialect of DIALECTS) {
  describe(`warranty settings: the supervisor edits the policy and the service points [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;

    beforeAll(async () => {
      [app, browser] = await Promise.all([startApp(dialect), launchBrowser()]);
      app.ctx.clock.set(new Date());
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('S4.1/S4.2/S4.3: exchange days and a clause saved as version 1, an active 石家庄 华为 point saved, the card prints both; a negative period via JSON shows the server’s problems', async () => {
      const name = `warranty-settings-${dialect}`;
      const context = await newContext(browser, app.url, 'desktop');
      const page = await context.newPage();
      await signIn(page, 'supervisor');
      await page.goto('/warranty?tab=settings');
      const settings = page.getByTestId('warranty-settings');
      await settings.waitFor();
      await expect.poll(() => page.getByTestId('policy-version').textContent()).toContain('内置默认');
      expect(await page.getByTestId('policy-versions-note').textContent()).toContain('判定引用作出时的版本');

      // ---- the policy: 15 → 20 days for the host exchange, and its clause (S4.2) ----
      const exchangeDays = page.getByLabel('主机换货期限：数量');
      expect(await exchangeDays.inputValue()).toBe('15');
      await exchangeDays.fill('20');
      // the clause still says 15: the page warns before anything is saved, and names the terms that repeat 15日 (S4.3)
      const warnings = page.getByTestId('clause-text-warnings');
      await warnings.waitFor();
      expect(await warnings.textContent()).toContain('主机换货期限改为 20日，但条款“15日内换主机”的文字里没有出现 20');
      expect(await warnings.textContent()).toContain('条款“售后寄回检测细则”里还写着“15日”');
      await page.getByTestId('clause-sanbao.host.exchange_15d').click();
      const clauseText = page.getByLabel('条款文字：15日内换主机');
      await clauseText.waitFor();
      await clauseText.fill(NEW_CLAUSE);
      await expect.poll(() => warnings.textContent()).not.toContain('没有出现 20');
      expect(await warnings.textContent()).toContain('售后寄回检测细则');
      await shot(page, name, '01-policy-edited');
      await page.getByTestId('policy-save').click();
      await expect.poll(() => page.getByTestId('policy-version').textContent(), { timeout: 10_000 }).toContain('第 1 版');
      expect(await page.getByTestId('policy-notice').textContent()).toContain('已保存为第 1 版');
      // the form now shows the saved version
      expect(await page.getByLabel('主机换货期限：数量').inputValue()).toBe('20');
      // the version decisions made before were made under stays readable (read only)
      await chooseOption(page, page.locator('.ant-select').filter({ has: page.locator('#policy-view-version') }), '内置默认（第 0 版）');
      await page.getByText('正在查看 内置默认（第 0 版）（只读）').waitFor();
      await expect.poll(() => page.getByLabel('主机换货期限：数量').inputValue(), { timeout: 5000 }).toBe('15');
      expect(await page.getByLabel('主机换货期限：数量').isDisabled()).toBe(true);
      await page.getByRole('button', { name: '回到当前版本' }).click();
      await expect.poll(() => page.getByLabel('主机换货期限：数量').inputValue(), { timeout: 5000 }).toBe('20');

      // ---- the service points: the 石家庄 华为 placeholder filled in and made active (S4.1) ----
      await page.getByRole('tab', { name: '售后网点与退换货地址' }).click();
      const editor = page.getByTestId('service-points-editor');
      await editor.waitFor();
      expect(await page.getByTestId('points-counts').textContent()).toContain('启用 0');
      await chooseOption(page, page.getByTestId('filter-city'), '石家庄');
      await chooseOption(page, page.getByTestId('filter-brand'), '华为');
      const row = editor.locator('tr[data-point="hebei.石家庄.huawei"]');
      await row.waitFor();
      expect(await editor.locator('tbody tr[data-point]').count()).toBe(1);
      await row.getByRole('button', { name: /编辑/ }).click();
      await row.getByLabel('网点名称').fill(POINT.name);
      await row.getByLabel('地址').fill(POINT.address);
      await row.getByLabel('电话').fill('0311-123');
      await row.getByLabel('营业时间').fill(POINT.hours);
      await chooseOption(page, row.getByTestId('point-status'), '启用');
      await row.getByTestId('point-apply').click();
      // a phone no one can call is named in the row, before anything is sent
      await row.getByText('电话格式不对').waitFor();
      await shot(page, name, '02-point-bad-phone');
      await row.getByLabel('电话').fill(POINT.phone);
      await row.getByTestId('point-apply').click();
      await row.getByLabel('网点名称').waitFor({ state: 'detached' });
      expect(await row.textContent()).toContain(POINT.address);
      await page.getByLabel('售后客服热线').fill('400-600-8888');
      await page.getByTestId('points-save').click();
      await expect.poll(() => page.getByTestId('points-version').textContent(), { timeout: 10_000 }).toContain('第 1 版');
      expect(await page.getByTestId('points-counts').textContent()).toContain('启用 1');
      await shot(page, name, '03-points-saved');

      // ---- the demo 石家庄 华为 phone's card prints the new point and the new clause ----
      const found = await page.request.get('/api/v1/devices', { params: { q: SHIJIAZHUANG_HUAWEI_ORDER } });
      expect(found.status()).toBe(200);
      const device = ((await found.json()) as { items: { id: number; brand: string }[] }).items[0]!;
      expect(device.brand).toBe('华为');
      const card = await context.newPage();
      await card.goto(`/api/v1/devices/${device.id}/card`);
      const cardText = (await card.locator('main').textContent()) ?? '';
      expect(cardText).toContain(POINT.name);
      expect(cardText).toContain(POINT.address);
      expect(cardText).toContain(POINT.phone);
      expect(cardText).toContain(NEW_CLAUSE);
      expect(cardText).toContain('第 1 版');
      expect(cardText).toContain('400-600-8888');
      expect(await card.locator('tr[data-point="hebei.石家庄.huawei"]').textContent()).not.toContain('待补充');
      await shot(card, name, '04-card');
      await card.close();

      // ---- an invalid policy through the JSON editor: the server's problems, in words ----
      await page.getByRole('tab', { name: '三包政策' }).click();
      await page.getByText('高级：以 JSON 编辑整个政策').click();
      const json = page.getByTestId('policy-json');
      await expect.poll(async () => (await json.inputValue()).length).toBeGreaterThan(100);
      const policy = JSON.parse(await json.inputValue()) as { accessories: { battery: { rung: { period: { count: number } } } } };
      // not JSON at all: caught here, nothing is sent
      await json.fill('{"id": ');
      await page.getByTestId('policy-json-save').click();
      await page.getByText('这不是合法的 JSON').waitFor();
      policy.accessories.battery.rung.period.count = -6;
      await json.fill(JSON.stringify(policy, null, 2));
      await page.getByTestId('policy-json-save').click();
      const errors = page.getByTestId('policy-errors');
      await errors.waitFor();
      const errorWords = (await errors.textContent()) ?? '';
      expect(errorWords).toContain('三包政策有错误');
      expect(errorWords).toContain('电池三包期(accessory.battery)：期限必须是从 1 起的整数');
      expect(errorWords).not.toContain('WARRANTY_POLICY_INVALID');
      // nothing was saved
      expect(await page.getByTestId('policy-version').textContent()).toContain('第 1 版');
      await errors.scrollIntoViewIfNeeded();
      await shot(page, name, '05-json-invalid');
      // the same problems in English, after switching the language
      await page.getByLabel('语言').getByText('EN', { exact: true }).click();
      await expect.poll(() => errors.textContent()).toContain('The warranty policy has errors');
      expect(await errors.textContent()).toContain('The rung accessory.battery: the period must be a whole number of months from 1.');
      await page.getByRole('tab', { name: 'Warranty settings' }).waitFor();
      await shot(page, name, '06-json-invalid-en');

      // ---- an agent never sees the tab ----
      const agentContext = await newContext(browser, app.url, 'desktop');
      const agent = await agentContext.newPage();
      await signIn(agent, 'agent');
      await agent.goto('/warranty?tab=settings');
      await agent.getByRole('tab', { name: '设备查询 / 登记' }).waitFor();
      expect(await agent.getByRole('tab', { name: '三包设置' }).count()).toBe(0);
      expect(await agent.getByTestId('warranty-settings').count()).toBe(0);
      await agentContext.close();
      await context.close();
    }, 60_000);
  });
}
