/**
 * 店铺授权 end to end (issue 12): the real server with the demo shop, bound to
 * a running TOP simulator, with the platform workers running in the process
 * (as `shouhou serve` runs them). The admin binds the demo shop on the page
 * (the form's own checks first); the supervisor watches the backfill reach
 * 增量同步, finds the sync problem of a refund whose status the platform
 * invented, sets the return's consignee and phone, opens a platform refund
 * from the queue and agrees it: 同步中 while the decision waits for the
 * platform, then 已同步; a decision the platform refuses shows its words. The
 * admin re-authorises, sees the expiry warning, revokes, and adds a shop and
 * switches to it. Screenshots: artifacts/screenshots/platform-<dialect>/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformWorkers } from '../../src/app/platform/workers.ts';
import { startTopSim, type RefundResult, type TopSim } from '../../src/topsim/index.ts';
import { DIALECTS } from '../support/databases.ts';
import { ADMIN_PASSWORD, chooseOption, clickUntil, closeOverlay, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

type Workers = ReturnType<typeof startPlatformWorkers>;

/** The short notices (antd message) gone, for a clean screenshot. */
async function noticesGone(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 8000 }).toBe(0);
}

/** Nothing of the code's own words on a zh-CN page: no status codes, no stream or phase names. */
async function noCodes(page: Page): Promise<void> {
  const text = (await page.locator('#main').textContent()) ?? '';
  expect(text).not.toMatch(/\b(backfill|incremental|paused|needs_reauth|unreadable|agree_refund|platform_refused|WAIT_[A-Z_]+|PLATFORM_[A-Z_]+)\b/);
}

for (const dialect of DIALECTS) {
  describe(`platform binding (店铺授权) [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;
    let sim: TopSim;
    let workers: Workers | null = null;
    let adminContext: BrowserContext | undefined;
    let supContext: BrowserContext | undefined;
    let admin: Page;
    let sup: Page;
    // the platform's side, made before the binding: a refund to agree, one whose status shouhou has never heard of,
    // and one the buyer withdraws while shouhou's decision is on its way
    let order: { tid: string };
    let agreeable: RefundResult;
    let odd: RefundResult;
    let third: { tid: string };
    let withdrawn: RefundResult;
    const stopWorkers = async () => {
      const running = workers;
      workers = null;
      await running?.stop();
    };
    const startWorkers = () => {
      // as `shouhou serve` runs them, with short intervals (SHOUHOU_PULL_INTERVAL_MS small)
      workers = startPlatformWorkers(app.ctx, { owner: `e2e-${dialect}`, pullIntervalMs: 2000, tmcIdleMs: 500, sliceMs: 3000, tickMs: 300 });
    };

    beforeAll(async () => {
      [app, browser, sim] = await Promise.all([startApp(dialect), launchBrowser(), startTopSim({ seed: 12, shop: { orders: 80, refunds: 24 }, tmcInvisibleMs: 0 })]);
      // the simulator runs on this machine: the server allows it as `SHOUHOU_ALLOW_LOCAL_GATEWAY=1 shouhou serve` does
      app.ctx.allowLocalGateway = true;
      startWorkers();
      const c = sim.control;
      order = c.createOrder({ lines: 1, buyerNick: 'tb_小林' });
      c.shipOrder(order.tid);
      c.signOrder(order.tid);
      agreeable = c.applyRefund({ tid: order.tid, hasGoodReturn: false, reasonText: '协商一致退款', desc: '和客服说好了退 20 元', amountFen: 2000 });
      const other = c.createOrder({ lines: 1 });
      c.shipOrder(other.tid);
      c.signOrder(other.tid);
      odd = c.applyRefund({ tid: other.tid, hasGoodReturn: false, reasonText: '不想要了' });
      third = c.createOrder({ lines: 1 });
      c.shipOrder(third.tid);
      c.signOrder(third.tid);
      withdrawn = c.applyRefund({ tid: third.tid, hasGoodReturn: false, reasonText: '协商一致退款', amountFen: 1000 });
      // the simulator has no control for it: its refund is given a status TOP does not have
      (sim.sim.refund(odd.refundId) as { status: string }).status = 'WAIT_SELLER_THINKING';
    });
    afterAll(async () => {
      await stopWorkers();
      await adminContext?.close();
      await supContext?.close();
      await browser?.close();
      await sim?.close();
      await app?.close();
    });

    it('the admin binds the shop on the page; the supervisor sees the backfill reach 增量同步 and a sync problem', async () => {
      const name = `platform-${dialect}`;
      // ---- the admin binds the demo shop on the page
      adminContext = await newContext(browser, app.url);
      admin = await adminContext.newPage();
      await signIn(admin, 'admin', ADMIN_PASSWORD);
      await admin.getByRole('link', { name: '店铺授权' }).click();
      await admin.getByTestId('not-bound').waitFor();
      expect(await admin.getByTestId('not-bound').textContent()).toContain('本店还没有连接淘宝/天猫');
      const form = admin.getByTestId('binding-form');
      // the real gateway by default
      expect(await form.getByLabel('网关地址').inputValue()).toBe('https://eco.taobao.com/router/rest');
      await shot(admin, name, '01-admin-not-bound');
      // the form's own checks, in words, before anything is sent
      await form.getByLabel('网关地址').fill('ftp://example.com/router');
      await admin.getByTestId('binding-submit').click();
      await form.getByText('请填写卖家昵称（最多 64 个字）').waitFor();
      await form.getByText('App Key 是 4–64 位字母、数字、下划线或短横线').waitFor();
      await form.getByText('请填写 App Secret').waitFor();
      await form.getByText('请填写授权码').waitFor();
      await form.getByText('请填写以 https:// 开头的地址').waitFor();
      await shot(admin, name, '02-admin-form-checks');
      await form.getByLabel('卖家昵称').fill(sim.seller.nick);
      await form.getByLabel('App Key').fill(sim.app.appKey);
      await form.getByLabel('App Secret').fill(sim.app.appSecret);
      await form.getByLabel('授权码（Session Key）').fill(sim.seller.sessionKey);
      await form.getByLabel('网关地址').fill(sim.gatewayUrl);
      await form.getByLabel('每秒调用上限').fill('5');
      await form.getByLabel('首次同步天数').fill('10');
      await admin.getByTestId('binding-submit').click();
      const card = admin.getByTestId('binding-card');
      // the binding, or the server's answer in words
      await card.or(admin.getByTestId('binding-form-error')).waitFor();
      const formError = admin.getByTestId('binding-form-error');
      if ((await formError.count()) > 0) throw new Error(`the binding was refused: ${await formError.textContent()}`);
      expect(await admin.getByTestId('binding-status').textContent()).toBe('正常');
      // the secrets only by their last four characters
      const cardText = (await card.textContent()) ?? '';
      expect(cardText).toContain(`••••${sim.app.appSecret.slice(-4)}`);
      expect(cardText).toContain(`••••${sim.seller.sessionKey.slice(-4)}`);
      expect(cardText).not.toContain(sim.app.appSecret);
      expect(cardText).not.toContain(sim.seller.sessionKey);
      await admin.getByTestId('binding-reauth').waitFor();

      // ---- the supervisor: the binding read-only, the backfill's progress, then 增量同步
      supContext = await newContext(browser, app.url);
      sup = await supContext.newPage();
      await signIn(sup, 'supervisor');
      await sup.getByRole('link', { name: '店铺授权' }).click();
      await sup.getByTestId('binding-card').waitFor();
      expect(await sup.getByTestId('binding-reauth').count()).toBe(0);
      expect(await sup.getByTestId('binding-revoke').count()).toBe(0);
      const refundsPhase = sup.getByTestId('phase-refunds');
      const ordersPhase = sup.getByTestId('phase-orders');
      if ((await refundsPhase.textContent()) === '首次同步') {
        await sup.getByTestId('stream-refunds').locator('.ant-progress').waitFor();
        await shot(sup, name, '03-supervisor-backfill');
      }
      // the page refreshes itself every 5 seconds while the backfill runs
      await expect.poll(() => refundsPhase.textContent(), { timeout: 120_000, interval: 1000 }).toBe('增量同步');
      await expect.poll(() => ordersPhase.textContent(), { timeout: 60_000, interval: 1000 }).toBe('增量同步');
      expect(await sup.getByTestId('phase-tmc').textContent()).toBe('增量同步');
      expect(await sup.getByTestId('stream-refunds').textContent()).toMatch(/已同步 \d+ 条/);
      // the connection test, in the platform's words
      await sup.getByTestId('binding-test').click();
      await expect.poll(() => sup.getByTestId('binding-test-result').textContent()).toContain('连接正常');

      // the refund with the unknown status is a sync problem, not a crash and not half a refund
      const problems = sup.getByTestId('problems-table');
      const problemRow = problems.locator('tr', { hasText: odd.refundId });
      await expect
        .poll(
          async () => {
            if ((await problemRow.count()) > 0) return true;
            await sup.getByRole('button', { name: '刷新' }).first().click();
            return false;
          },
          { timeout: 60_000, interval: 2000 },
        )
        .toBe(true);
      expect(await problemRow.textContent()).toContain('平台发来的内容无法识别');
      await noticesGone(sup);
      await noCodes(sup);
      await shot(sup, name, '04-supervisor-incremental-problem');
      await problemRow.getByRole('button', { name: '查看' }).click();
      const drawer = sup.getByTestId('problem-drawer');
      await drawer.waitFor();
      await sup.waitForTimeout(500); // the drawer's sliding in
      const payload = (await sup.getByTestId('problem-payload').textContent()) ?? '';
      expect(payload).toContain('WAIT_SELLER_THINKING');
      expect(payload).toContain('\n  '); // formatted, not one long line
      await shot(sup, name, '05-problem-drawer');
      await closeOverlay(sup);
      // set aside once looked at
      await problemRow.getByRole('button', { name: '忽略' }).click();
      await sup.getByText('已忽略这个问题。').waitFor();
      await chooseOption(sup, sup.getByLabel('同步问题 · 状态'), '已忽略');
      await expect.poll(() => problemRow.textContent()).toContain('已忽略');

      // Taobao needs the return's consignee and phone: the shop settings take them, checked before sending
      await sup.getByRole('link', { name: '店铺设置' }).click();
      const consignee = sup.getByTestId('field-returnConsignee');
      await consignee.waitFor();
      await expect.poll(() => sup.getByTestId('field-unshippedCutoff').inputValue()).not.toBe('');
      await consignee.fill('售后组 王师傅');
      await sup.getByTestId('field-returnPhone').fill('电话');
      await sup.getByTestId('settings-save').click();
      await sup.getByText('请填写 7–20 位的电话号码').waitFor();
      await sup.getByTestId('field-returnPhone').fill('0571-8888 6666');
      await sup.getByTestId('settings-save').click();
      expect(await sup.getByTestId('settings-notice').textContent()).toContain('已保存 2 项修改');
      const settings = (await (await sup.request.get('/api/v1/shop/settings')).json()) as { returnConsignee: string; returnPhone: string };
      expect(settings).toMatchObject({ returnConsignee: '售后组 王师傅', returnPhone: '0571-8888 6666' });
      await noticesGone(sup);
      await sup.getByTestId('field-returnConsignee').scrollIntoViewIfNeeded();
      await shot(sup, name, '06-settings-return-contact');

    });

    it('the supervisor agrees a platform refund from the queue: 同步中, then 已同步; a refused decision shows the platform\'s words', async () => {
      const name = `platform-${dialect}`;
      const c = sim.control;
      // ---- the platform refund, from the queue
      await sup.getByRole('link', { name: '退款队列' }).click();
      const search = sup.getByLabel('按订单号查找');
      await search.fill(order.tid);
      await search.press('Enter');
      const row = sup.locator('tr[data-row-key]', { hasText: order.tid });
      await expect.poll(() => sup.locator('tr[data-row-key]').count()).toBe(1);
      expect(await row.getByTestId('queue-platform-tag').textContent()).toBe('平台');
      await shot(sup, name, '07-queue-platform-refund');
      await row.getByRole('link').first().click();
      const detail = sup.getByTestId('refund-detail');
      await detail.waitFor();
      expect(await sup.getByTestId('platform-tag').textContent()).toBe('淘宝');
      expect(await sup.getByTestId('platform-refund-id').textContent()).toBe(agreeable.refundId);
      const banner = sup.getByTestId('deadline-banner');
      expect(await banner.textContent()).toContain('平台超时');
      expect(await banner.textContent()).toContain('由平台');
      await noCodes(sup);
      await shot(sup, name, '08-platform-refund');

      // S1.15: the trace says signed for, TOP told no sign time: recorded from the trace in one click
      const facts = sup.getByTestId('order-facts');
      expect(await facts.textContent()).toContain('还没有签收');
      const signFromTrace = sup.getByTestId('sign-from-trace');
      await signFromTrace.waitFor();
      expect(await signFromTrace.textContent()).toContain('物流显示已签收，订单上还没有签收时间。');
      await sup.getByTestId('parcel-trace').scrollIntoViewIfNeeded();
      await shot(sup, name, '08a-sign-from-trace');
      await sup.getByTestId('sign-from-trace-button').click();
      await signFromTrace.waitFor({ state: 'detached' });
      await expect.poll(() => facts.textContent()).not.toContain('还没有签收');
      expect(await facts.textContent()).toMatch(/签收时间\s*\d{4}[-/]\d{1,2}[-/]\d{1,2}/);
      // the history says where the time came from, with the courier's words of the signing scan
      await expect.poll(() => sup.getByTestId('timeline').textContent()).toContain('按物流记下签收时间');
      expect(await sup.getByTestId('timeline').textContent()).toContain('已签收');
      await noCodes(sup);
      await shot(sup, name, '08b-sign-recorded');

      // agree it while the workers are stopped: 同步中, the actions wait for the platform
      await stopWorkers();
      await clickUntil(sup.getByTestId('action-agree'), () => sup.getByTestId('agree-form').waitFor({ timeout: 15_000 }));
      await clickUntil(sup.getByTestId('agree-form-submit'), () => sup.getByTestId('agree-form').waitFor({ state: 'detached', timeout: 15_000 }));
      const sync = sup.getByTestId('sync-state');
      await expect.poll(() => sync.getAttribute('data-state')).toBe('pending');
      expect(await sync.textContent()).toContain('同步中');
      expect(await sup.getByTestId('action-agree').isDisabled()).toBe(true);
      await noticesGone(sup);
      await shot(sup, name, '09-refund-syncing');
      // the queue says so too, from its own list (no request per row)
      await sup.getByRole('link', { name: '← 返回队列' }).click();
      await sup.getByLabel('按订单号查找').fill(order.tid);
      await sup.getByLabel('按订单号查找').press('Enter');
      await expect.poll(() => sup.locator('tr[data-row-key]').count()).toBe(1);
      expect(await row.textContent()).toContain('同步中');
      await shot(sup, name, '10-queue-syncing');
      await row.getByRole('link').first().click();
      await sync.waitFor();

      // the platform takes it: the page reads the refund again by itself
      startWorkers();
      await expect.poll(() => sync.getAttribute('data-state'), { timeout: 60_000, interval: 1000 }).toBe('synced');
      expect(await sync.textContent()).toContain('已同步');
      await expect.poll(() => sup.getByTestId('refund-status').textContent(), { timeout: 30_000 }).toContain('退款成功');
      await shot(sup, name, '11-refund-synced');

      // a decision the platform refuses: the buyer withdrew on the platform before it arrived
      const [second] = ((await (await sup.request.get('/api/v1/refunds', { params: { orderNo: third.tid } })).json()) as { items: { id: number }[] }).items;
      expect(second).toBeDefined();
      await sup.goto(`/refunds/${second!.id}`);
      await sup.getByTestId('refund-detail').waitFor();
      await stopWorkers();
      await clickUntil(sup.getByTestId('action-agree'), () => sup.getByTestId('agree-form').waitFor({ timeout: 15_000 }));
      await clickUntil(sup.getByTestId('agree-form-submit'), () => sup.getByTestId('agree-form').waitFor({ state: 'detached', timeout: 15_000 }));
      await expect.poll(() => sync.getAttribute('data-state')).toBe('pending');
      c.withdrawRefund(withdrawn.refundId);
      startWorkers();
      await expect.poll(() => sync.getAttribute('data-state'), { timeout: 60_000, interval: 1000 }).toBe('failed');
      const failedText = (await sync.textContent()) ?? '';
      expect(failedText).toContain('同步失败');
      expect(failedText).toContain('平台说：');
      expect(failedText).toContain('请刷新页面');
      await noticesGone(sup);
      await shot(sup, name, '12-refund-sync-failed');

      // the decisions on record: one sent, one refused with the platform's words and a way to send it again
      await sup.getByRole('link', { name: '店铺授权' }).click();
      const outbox = sup.getByTestId('outbox-table');
      const sent = outbox.locator('tr', { hasText: order.tid }).first();
      await sent.waitFor();
      await expect.poll(() => sent.textContent()).toContain('已发送');
      const refused = outbox.locator('tr', { hasText: third.tid }).first();
      await expect.poll(() => refused.textContent()).toContain('失败');
      await refused.getByRole('button', { name: /重新发送/ }).waitFor();
      await expect.poll(() => sup.getByTestId('problems-table').textContent()).toContain('平台没有接受回传的处理');
      await sup.getByTestId('outbox-card').scrollIntoViewIfNeeded();
      await shot(sup, name, '13-outbox-sent-and-failed');

      // the same page in English
      await sup.getByText('EN', { exact: true }).click();
      await sup.getByRole('heading', { name: 'Platform binding' }).waitFor();
      expect(await sup.getByTestId('phase-orders').textContent()).toBe('Incremental');
      await shot(sup, name, '14-platform-en');
    });

    it('the admin re-authorises (a warning from 7 days before expiry), sees what a change keeps, revokes, and adds a shop', async () => {
      const name = `platform-${dialect}`;
      // ---- the admin re-authorises with a session key that expires in 3 days: the page warns
      await admin.getByTestId('binding-reauth').click();
      const reauth = admin.getByTestId('binding-form');
      await reauth.waitFor();
      await reauth.getByLabel('授权码（Session Key）').fill(sim.seller.sessionKey);
      await admin.waitForTimeout(400); // the dialog's opening
      await shot(admin, name, '15-admin-reauth-form');
      await admin.getByTestId('binding-submit').click();
      await reauth.waitFor({ state: 'detached' });
      await expect.poll(() => admin.getByTestId('binding-status').textContent()).toBe('正常');
      // a session key that expires in 3 days (set through the API: PUT /platform/binding, as the page does)
      const session = (await (await admin.request.get('/api/v1/session')).json()) as { csrfToken: string };
      const expires = new Date(Date.now() + 3 * 86_400_000 + 3_600_000).toISOString();
      const put = await admin.request.put('/api/v1/platform/binding', {
        headers: { 'x-csrf-token': session.csrfToken },
        data: { platform: 'taobao', sellerNick: sim.seller.nick, appKey: sim.app.appKey, sessionExpiresAt: expires },
      });
      expect(put.status()).toBe(200);
      await admin.getByRole('button', { name: /刷\s*新/ }).click();
      const expiry = admin.getByTestId('expiry-alert');
      await expect.poll(() => expiry.textContent(), { timeout: 10_000 }).toMatch(/授权将于 .* 到期，还剩约 3 天/);
      await noticesGone(admin);
      await shot(admin, name, '16-admin-expiry-warning');

      // changing the binding: the secrets left empty keep the stored ones, and the form says so
      await admin.getByRole('button', { name: '修改授权信息' }).click();
      const edit = admin.getByTestId('binding-form');
      await edit.waitFor();
      expect(await edit.textContent()).toContain(`留空则沿用已保存的（••••${sim.app.appSecret.slice(-4)}）`);
      await admin.waitForTimeout(400); // the dialog's opening
      await shot(admin, name, '17-admin-edit-form');
      await edit.getByRole('button', { name: /取\s*消/ }).click();
      await edit.waitFor({ state: 'detached' });

      // revoking: the confirmation says what stops and what waits; then the sync is paused
      await admin.getByTestId('binding-revoke').click();
      const confirm = admin.locator('.ant-modal-confirm');
      await confirm.waitFor();
      expect(await confirm.textContent()).toContain('同步会停止');
      expect(await confirm.textContent()).toContain('重新授权后再发送');
      await admin.waitForTimeout(400);
      await shot(admin, name, '18-admin-revoke-confirm');
      await admin.getByTestId('revoke-confirm').click();
      await expect.poll(() => admin.getByTestId('binding-status').textContent()).toBe('已解除');
      expect(await admin.getByTestId('phase-refunds').textContent()).toBe('已暂停');
      await noticesGone(admin);
      await shot(admin, name, '19-admin-revoked');

      // ---- the admin adds a shop and switches to it
      await clickUntil(admin.getByRole('link', { name: '用户与令牌' }), () => admin.getByTestId('shop-new').waitFor({ timeout: 15_000 }));
      await admin.getByTestId('shop-new').click();
      const shopForm = admin.getByTestId('shop-form');
      await shopForm.waitFor();
      await shopForm.getByLabel('店铺名称').fill('步履天猫旗舰店');
      await shopForm.getByLabel('店铺代码').fill('Buluo_Tmall');
      await admin.getByTestId('shop-create-submit').click();
      await shopForm.getByText('店铺代码是 2–32 个小写字母、数字或短横线').waitFor();
      await shopForm.getByLabel('店铺代码').fill('buluo-tmall');
      await shopForm.getByText('天猫', { exact: true }).click();
      await admin.getByTestId('shop-create-submit').click();
      const created = admin.getByTestId('shop-created');
      await created.waitFor();
      expect(await created.textContent()).toContain('您是这个店铺的管理员');
      await shot(admin, name, '20-shop-created');
      await admin.getByTestId('shop-switch-now').click();
      await admin.getByTestId('not-bound').waitFor();
      await expect.poll(() => admin.locator('header').textContent()).toContain('步履天猫旗舰店');
      await shot(admin, name, '21-new-shop-not-bound');
    });
  });
}
