/**
 * Issue 15 §3 parcel tracking end to end: the real server with the demo shop,
 * bound to a running TOP simulator that also serves the courier-tracking
 * service (SHOUHOU_PARCEL_TRACKING_URL = <sim>/courier). The agent opens a
 * 未收到货 refund of a Taobao order and sees the last scan and how long ago it
 * was, above the courier's scans; a return's page shows the outgoing parcel
 * (from the platform, signed for) and the return parcel (from the courier
 * service). Without a tracking source a parcel says so, with its number to
 * copy. The buyer sees the same parcels in the portal on a phone.
 * Screenshots: artifacts/screenshots/parcels-<dialect>/.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveBinding } from '../../src/app/platform/bindings.ts';
import { runDuePlatformWork } from '../../src/app/platform/workers.ts';
import { startTopSim, type TopSim } from '../../src/topsim/index.ts';
import { DIALECTS } from '../support/databases.ts';
import { testConnectors } from '../support/platform.ts';
import { launchBrowser, newContext, SCREENSHOTS, shot, signIn, startApp, type E2eApp } from './support.ts';

const HOUR = 3_600_000;

/** Nothing of the code's words in the parcel card of a zh-CN page. */
async function noCodes(page: Page): Promise<void> {
  const text = (await page.getByTestId('parcel-trace').textContent()) ?? '';
  expect(text).not.toMatch(/\b(platform|courier_service|no_source|not_found|outgoing|return|unavailable|hours|days)\b/);
}

/** The page (full) and the parcel card alone at its own size, once the short notices are gone. */
async function shots(page: Page, test: string, name: string): Promise<void> {
  await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 8000 }).toBe(0);
  await shot(page, test, name);
  await page.getByTestId('parcel-trace').screenshot({ path: path.join(SCREENSHOTS, test, `${name}-card.png`) });
}

for (const dialect of DIALECTS) {
  describe(`parcel tracking (物流跟踪) [${dialect}]`, () => {
    const name = `parcels-${dialect}`;
    let app: E2eApp;
    let browser: Browser;
    let sim: TopSim;
    const contexts: BrowserContext[] = [];
    let notReceived: { id: number; tid: string };
    let returned: { id: number; tid: string };

    const later = (hours: number) => app.ctx.clock.set(new Date(app.ctx.clock.now().getTime() + hours * HOUR));
    const localRefund = async (platformRefundId: string) =>
      (await app.ctx.db.kysely.selectFrom('refunds').select('id').where('platform_refund_id', '=', platformRefundId).executeTakeFirstOrThrow()).id;

    beforeAll(async () => {
      [app, browser] = await Promise.all([startApp(dialect), launchBrowser()]);
      app.ctx.clock.set(new Date());
      // the simulator follows the server's clock, so the parcels can be days on their way
      sim = await startTopSim({ seed: 23, shop: { orders: 3, refunds: 0 }, tmcInvisibleMs: 0, now: () => app.ctx.clock.now() });
      app.ctx.allowLocalGateway = true;
      app.ctx.connectors = testConnectors(app.ctx);
      // as `SHOUHOU_PARCEL_TRACKING_URL=<sim>/courier shouhou serve` runs
      app.ctx.parcelTracking = { url: `${sim.url}/courier`, timeoutMs: 5000 };
      const admin = await app.ctx.db.kysely
        .selectFrom('actors')
        .select(['id', 'shop_id', 'name', 'user_id'])
        .where('shop_id', '=', app.demo.shop.id)
        .where('role', '=', 'admin')
        .where('user_id', 'is not', null)
        .executeTakeFirstOrThrow();
      await saveBinding(app.ctx, {
        actor: { id: admin.id, shopId: admin.shop_id, role: 'admin', name: admin.name, buyerNick: null, kind: 'user', userId: admin.user_id },
        ip: '127.0.0.1',
        input: {
          platform: 'taobao',
          sellerNick: sim.seller.nick,
          appKey: sim.app.appKey,
          appSecret: sim.app.appSecret,
          sessionKey: sim.seller.sessionKey,
          gatewayUrl: sim.gatewayUrl,
          signMethod: 'hmac-sha256',
          ratePerSecond: 100,
          backfillDays: 10,
        },
      });

      const c = sim.control;
      // a return: shipped, signed for, the platform agrees the return, the buyer sends it back
      const b = c.createOrder({ lines: 1, buyerNick: 'tb_小吴' });
      c.shipOrder(b.tid, { company: '韵达快递', sid: '4318800556677' });
      later(58);
      c.signOrder(b.tid);
      const back = c.applyRefund({ tid: b.tid, hasGoodReturn: true, reasonText: '7天无理由退换货', desc: '尺码偏小' });
      c.timeoutRefund(back.refundId);
      // 未收到货: shipped, three days on its way, never signed for
      const a = c.createOrder({ lines: 1, buyerNick: 'tb_小周' });
      c.shipOrder(a.tid, { company: '中通快递', sid: '758800112233' });
      later(26);
      c.shipReturn(back.refundId, { company: '圆通速递', sid: 'YT5500998877' });
      later(30);
      const nr = c.applyRefund({ tid: a.tid, hasGoodReturn: false, reasonText: '未收到货', desc: '物流好几天没更新了' });
      later(5);
      for (let i = 0; i < 60; i++) {
        const r = await runDuePlatformWork(app.ctx, { owner: `e2e-${dialect}`, tmcIdleMs: 1000, pullIntervalMs: 60_000, overlapMs: 60_000, sliceMs: 24 * HOUR });
        if (r.delivered === 0 && r.streams === 0) break;
      }
      notReceived = { id: await localRefund(nr.refundId), tid: a.tid };
      returned = { id: await localRefund(back.refundId), tid: b.tid };
    });
    afterAll(async () => {
      for (const c of contexts) await c.close();
      await browser?.close();
      await sim?.close();
      await app?.close();
    });

    it('15.3 the agent: a 未收到货 refund leads with the last scan and how long ago; a return shows both parcels; without a source, words and the number', async () => {
      const context = await newContext(browser, app.url);
      contexts.push(context);
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const page = await context.newPage();
      await signIn(page, 'agent');

      // 未收到货: the last scan, prominent, with its age in hours
      await page.goto(`/refunds/${notReceived.id}`);
      const card = page.getByTestId('parcel-trace');
      const lastScan = card.getByTestId('last-scan');
      await lastScan.waitFor();
      expect(await lastScan.textContent()).toMatch(/^最后一条物流：【.+】.+（\d+ 小时前）/);
      const outgoing = card.getByTestId('parcel-outgoing');
      expect(await outgoing.textContent()).toContain('中通快递');
      expect(await outgoing.textContent()).toContain('758800112233');
      expect(await outgoing.textContent()).toContain('来源：平台物流');
      const steps = outgoing.getByTestId('trace-step');
      expect(await steps.count()).toBeGreaterThanOrEqual(3);
      // newest first; the first scan (揽收) last, with its time in Shanghai time
      expect(await steps.last().textContent()).toMatch(/已揽收.*\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
      expect(await steps.first().textContent()).toContain((await lastScan.textContent())!.replace(/^最后一条物流：/, '').replace(/（\d+ 小时前）.*$/, ''));
      expect(await card.getByTestId('parcel-return').count()).toBe(0);
      await noCodes(page);
      await shots(page, name, '01-agent-not-received-last-scan');

      // a return: the outgoing parcel signed for (the platform), the return parcel on its way (the courier service)
      await page.goto(`/refunds/${returned.id}`);
      await card.getByTestId('parcel-return').waitFor();
      expect(await card.getByTestId('last-scan').count()).toBe(0);
      expect(await card.getByTestId('parcel-outgoing').getByTestId('parcel-status').textContent()).toBe('已签收');
      const back = card.getByTestId('parcel-return');
      expect(await back.textContent()).toContain('圆通速递');
      expect(await back.textContent()).toContain('来源：快递查询服务');
      expect(await back.getByTestId('trace-step').first().textContent()).toContain('温州');
      await noCodes(page);
      await shots(page, name, '02-agent-return-both-parcels');

      // no tracking source: said plainly, with the number to copy
      app.ctx.parcelTracking = undefined;
      try {
        await page.getByRole('button', { name: '刷新物流' }).click();
        const unavailable = back.getByTestId('parcel-unavailable');
        await unavailable.waitFor();
        expect(await unavailable.textContent()).toBe('暂未接入物流查询，可复制单号到快递公司官网查询。');
        await back.getByTestId('copy-return-number').click();
        await page.getByText('已复制单号').waitFor();
        await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('YT5500998877');
        // the outgoing parcel still comes from the platform
        expect(await card.getByTestId('parcel-outgoing').textContent()).toContain('来源：平台物流');
        await noCodes(page);
        await shots(page, name, '03-agent-no-tracking-source');
      } finally {
        app.ctx.parcelTracking = { url: `${sim.url}/courier`, timeoutMs: 5000 };
      }
    });

    it('15.3 the buyer on a phone: both parcels of the return in the portal; the 未收到货 refund with its last scan', async () => {
      const open = async (tid: string, refundId: number): Promise<Page> => {
        const context = await newContext(browser, app.url, 'phone');
        contexts.push(context);
        const page = await context.newPage();
        const order = await app.ctx.db.kysely.selectFrom('orders').select('buyer_phone').where('order_no', '=', tid).executeTakeFirstOrThrow();
        await page.goto('/buyer');
        await page.getByLabel('订单号').fill(tid);
        await page.getByLabel('手机号').fill(order.buyer_phone);
        await page.getByRole('button', { name: '查找订单' }).click();
        await page.getByTestId('order-status').waitFor();
        await page.goto(`/buyer#/refund/${refundId}`);
        await page.getByTestId('parcel-trace').waitFor();
        return page;
      };

      const page = await open(returned.tid, returned.id);
      const card = page.getByTestId('parcel-trace');
      await card.getByTestId('parcel-return').waitFor();
      expect(await card.getByTestId('parcel-outgoing').textContent()).toContain('已签收');
      const back = card.getByTestId('parcel-return');
      expect(await back.textContent()).toContain('您退回的包裹');
      expect(await back.textContent()).toContain('YT5500998877');
      expect(await back.getByTestId('trace-step').first().textContent()).toMatch(/温州.*\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
      await noCodes(page);
      await shots(page, name, '04-buyer-return-parcels');

      const other = await open(notReceived.tid, notReceived.id);
      const last = other.getByTestId('last-scan');
      await last.waitFor();
      expect(await last.textContent()).toMatch(/^最后一条物流：.+（\d+ 小时前）$/);
      await noCodes(other);
      await shots(other, name, '05-buyer-not-received-last-scan');

      // no tracking source for the return parcel: said plainly, and its number to copy
      app.ctx.parcelTracking = undefined;
      try {
        await page.reload();
        const back2 = page.getByTestId('parcel-trace').getByTestId('parcel-return');
        const unavailable = back2.getByTestId('parcel-unavailable');
        await unavailable.waitFor();
        expect(await unavailable.textContent()).toBe('暂未接入物流查询，可复制单号到快递公司官网查询。');
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
        await back2.getByTestId('copy-return-number').click();
        await expect.poll(() => back2.getByTestId('copy-return-number').textContent()).toBe('已复制');
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('YT5500998877');
        await noCodes(page);
        await shots(page, name, '06-buyer-no-tracking-source');
      } finally {
        app.ctx.parcelTracking = { url: `${sim.url}/courier`, timeoutMs: 5000 };
      }
    });
  });
}
