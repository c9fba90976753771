/**
 * 对外通知（Webhook） end to end (issue 14 §3): the real server with the demo
 * shop, its event work running in the process (as `shouhou serve` runs it),
 * and a receiver on this machine (the server allows private addresses as
 * `SHOUHOU_WEBHOOK_ALLOW_PRIVATE=1` does). The admin adds an endpoint (the
 * form's own checks first), copies its secret from the once-only dialog; an
 * agent agrees a demo refund; the delivery, signed with that secret, shows
 * 已送达 in the endpoint's log; a test notice goes out and shows; one the
 * receiver refuses shows why in words and goes through once sent again. Then
 * a new secret, turning the endpoint off and on, one turned off after failing
 * for 3 days, a change, English, and delete. Screenshots:
 * artifacts/screenshots/webhooks-<dialect>/.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventWorkers } from '../../src/app/events/workers.ts';
import { DIALECTS } from '../support/databases.ts';
import { ADMIN_PASSWORD, closeOverlay, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

interface Received {
  id: string;
  type: string;
  raw: string;
  headers: Record<string, string>;
}

/** The receiver: keeps what it gets and answers with the status it is told (a short note as its answer). */
async function startReceiver() {
  const got: Received[] = [];
  let status = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id']);
      got.push({ id, type: String((JSON.parse(raw) as { type?: unknown }).type), raw, headers: req.headers as Record<string, string> });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        status < 300
          ? JSON.stringify({ received: true, id, note: '进销存已收到这条通知，已放进售后同步队列，稍后入库。如有疑问请联系信息部小王（分机 8021）。' })
          : JSON.stringify({ error: '进销存正在维护，请稍后再发', retryAfter: 60 }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/shouhou`,
    got,
    answerWith: (s: number) => (status = s),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The short notices (antd message) gone, for a clean screenshot. */
async function noticesGone(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 8000 }).toBe(0);
}

/** Nothing of the code's own words on the zh-CN page: no event types, statuses or server notes. */
async function noCodes(page: Page): Promise<void> {
  const text = (await page.locator('#main').textContent()) ?? '';
  expect(text).not.toMatch(/\b(refund\.[a-z_]+|record\.[a-z_]+|webhook\.test|pending|sending|delivered|failed|answered|failing since|turned off by|TypeError|fetch failed|whsec_)\b/);
}

/** A drawer or dialog has finished sliding in. */
const settle = (page: Page) => page.waitForTimeout(400);

for (const dialect of DIALECTS) {
  describe(`webhooks (对外通知) [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let workers: ReturnType<typeof startEventWorkers> | null = null;
    let adminContext: BrowserContext | undefined;
    let agentContext: BrowserContext | undefined;
    let admin: Page;
    let secret = '';

    beforeAll(async () => {
      [app, browser, receiver] = await Promise.all([startApp(dialect), launchBrowser(), startReceiver()]);
      // the receiver runs on this machine: allowed as `SHOUHOU_WEBHOOK_ALLOW_PRIVATE=1 shouhou serve` allows it
      app.ctx.allowPrivateWebhooks = true;
      // the event work as `shouhou serve` runs it, with a short tick; the demo's history becomes events before any endpoint exists
      workers = startEventWorkers(app.ctx, { owner: `e2e-${dialect}`, tickMs: 300, keepDays: 30 });
    });
    afterAll(async () => {
      await workers?.stop();
      await adminContext?.close();
      await agentContext?.close();
      await browser?.close();
      await receiver?.close();
      await app?.close();
    });

    it('the admin adds an endpoint and copies its secret; an agreed refund and a test notice show 已送达 in its log', async () => {
      const name = `webhooks-${dialect}`;
      adminContext = await newContext(browser, app.url);
      await adminContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
      admin = await adminContext.newPage();
      await signIn(admin, 'admin', ADMIN_PASSWORD);
      await admin.getByRole('link', { name: '对外通知' }).click();
      await admin.getByRole('heading', { name: '对外通知（Webhook）' }).waitFor();
      await admin.getByTestId('webhooks-empty').waitFor();
      await shot(admin, name, '01-empty');

      // ---- adding one: the form's own checks, in words, before anything is sent
      await admin.getByTestId('endpoint-add').click();
      const form = admin.getByTestId('endpoint-form');
      await form.waitFor();
      await form.getByLabel('接收地址').fill('ftp://erp.example.com/hooks');
      // 全部 ticks every notice, and again none
      await form.getByRole('checkbox', { name: '全部' }).click();
      await expect.poll(() => form.locator('[data-event] input:checked').count()).toBe(13);
      await form.getByRole('checkbox', { name: '全部' }).click();
      await expect.poll(() => form.locator('[data-event] input:checked').count()).toBe(0);
      await admin.getByTestId('endpoint-submit').click();
      await form.getByText('请填写以 http:// 或 https:// 开头的完整地址').waitFor();
      await form.getByText('请至少选一种通知').waitFor();
      await settle(admin);
      await shot(admin, name, '02-form-checks');
      await form.getByLabel('接收地址').fill(receiver.url);
      await form.getByLabel('用途').fill('进销存同步退款');
      await form.locator('[data-event="refund.created"]').click();
      await form.locator('[data-event="refund.status_changed"]').click();
      await form.locator('[data-event="refund.assigned"]').click();
      await expect.poll(() => form.locator('[data-event] input:checked').count()).toBe(3);
      await shot(admin, name, '03-form-filled');
      await admin.getByTestId('endpoint-submit').click();

      // ---- the secret, once: copied with the button, with how to check a signature
      const shown = admin.getByTestId('webhook-secret');
      await shown.or(admin.getByTestId('endpoint-form-error')).waitFor();
      if ((await admin.getByTestId('endpoint-form-error').count()) > 0) throw new Error(`the endpoint was refused: ${await admin.getByTestId('endpoint-form-error').textContent()}`);
      const modal = admin.getByTestId('secret-modal');
      expect(await admin.locator('.ant-modal').last().textContent()).toContain('密钥只显示这一次');
      expect(await admin.getByTestId('secret-howto').textContent()).toContain('webhook-signature');
      await shown.getByRole('button', { name: '复制' }).click();
      secret = await admin.evaluate(() => navigator.clipboard.readText());
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
      expect(await modal.textContent()).toContain(secret);
      await settle(admin);
      await shot(admin, name, '04-secret-once');
      await admin.getByTestId('secret-done').click();
      await modal.waitFor({ state: 'detached' });
      // gone from the page once closed, and kept nowhere in clear (the page sends no Idempotency-Key, whose stored answer would hold it)
      expect(await admin.content()).not.toContain(secret);
      expect(await app.ctx.db.kysely.selectFrom('idempotency_keys').select('key').where('response', 'like', '%whsec_%').execute()).toEqual([]);

      const card = admin.getByTestId('endpoint-card').first();
      await card.waitFor();
      expect(await card.getByTestId('endpoint-url').textContent()).toBe(receiver.url);
      expect(await card.getByTestId('endpoint-status').textContent()).toBe('正常');
      expect(await card.getByTestId('endpoint-events').textContent()).toBe('新退款退款状态变化退款分配');
      expect(await card.textContent()).toContain('进销存同步退款');
      await noCodes(admin);
      await noticesGone(admin);
      await shot(admin, name, '05-endpoint-added');

      // ---- an agent agrees a demo refund (the API, as the refund page does)
      agentContext = await newContext(browser, app.url);
      const agent = await agentContext.newPage();
      await signIn(agent, 'agent');
      const { csrfToken } = (await (await agent.request.get('/api/v1/session')).json()) as { csrfToken: string };
      const list = (await (await agent.request.get('/api/v1/refunds', { params: { status: 'WAIT_SELLER_AGREE', limit: 50 } })).json()) as {
        items: { id: number; version: number; amountFen: number; type: string }[];
      };
      let agreed: number | null = null;
      for (const r of list.items) {
        const answer = await agent.request.post(`/api/v1/refunds/${r.id}/agree`, {
          headers: { 'x-csrf-token': csrfToken },
          data: { version: r.version, confirmedAmountFen: r.amountFen },
        });
        if (answer.status() === 200) {
          agreed = r.id;
          break;
        }
      }
      expect(agreed, 'a demo refund the agent may agree').not.toBeNull();

      // ---- delivered, signed with the secret the admin copied
      await expect.poll(() => receiver.got.filter((g) => g.type === 'refund.status_changed').length, { timeout: 30_000 }).toBeGreaterThan(0);
      const delivered = receiver.got.find((g) => g.type === 'refund.status_changed')!;
      expect(() => new Webhook(secret).verify(delivered.raw, delivered.headers)).not.toThrow();
      expect((JSON.parse(delivered.raw) as { data: { object: { id: string } } }).data.object.id).toBe(String(agreed));

      // ---- the log: 已送达, the receiver's answer, expandable
      await card.getByTestId('endpoint-log').click();
      const drawer = admin.getByTestId('deliveries-drawer');
      await drawer.waitFor();
      const table = drawer.getByTestId('deliveries-table');
      const row = table.locator('tr[data-row-key]', { hasText: '退款状态变化' }).first();
      await row.waitFor();
      await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('已送达');
      expect(await row.textContent()).toContain('200');
      // the answer's first lines, the rest behind 展开
      await row.getByText('展开').click();
      await row.getByText('收起').waitFor();
      expect(await row.textContent()).toContain('如有疑问请联系信息部小王');
      await noCodes(admin);
      await settle(admin);
      await shot(admin, name, '06-log-delivered');

      // ---- a test notice: queued, then 已送达 (the drawer refreshes itself while one is on its way)
      const before = receiver.got.length;
      await drawer.getByTestId('send-test').click();
      const testRow = table.locator('tr[data-row-key]', { hasText: '测试通知' }).first();
      await testRow.waitFor();
      await expect.poll(() => testRow.textContent(), { timeout: 30_000 }).toContain('已送达');
      expect(receiver.got.slice(before).some((g) => g.type === 'webhook.test')).toBe(true);
      const test = receiver.got.find((g) => g.type === 'webhook.test')!;
      expect(() => new Webhook(secret).verify(test.raw, test.headers)).not.toThrow();
      await noticesGone(admin);
      await shot(admin, name, '07-log-test-delivered');

      // ---- one the receiver refuses: why, in words, and the next try; sent again once it is back
      receiver.answerWith(503);
      await drawer.getByTestId('send-test').click();
      const refusedRow = table.locator('tr[data-row-key]').first();
      await expect.poll(() => refusedRow.textContent(), { timeout: 30_000 }).toContain('对方的服务出错了（返回 503）');
      expect(await refusedRow.textContent()).toContain('待发送');
      expect(await refusedRow.textContent()).toContain('测试通知');
      expect(await drawer.textContent()).toContain('每 3 秒自动刷新');
      await noticesGone(admin);
      await noCodes(admin);
      await shot(admin, name, '08-log-refused');
      // the page says so too, with what to do and when it would be turned off
      await closeOverlay(admin);
      await drawer.waitFor({ state: 'detached' });
      const failing = card.getByTestId('endpoint-failing');
      await failing.waitFor();
      expect(await failing.textContent()).toContain('发送一直失败，系统在自动重试');
      expect(await failing.textContent()).toContain('系统会自动停用这个地址');
      await noticesGone(admin);
      await noCodes(admin);
      // the drawer has slid away
      await expect.poll(() => admin.locator('.ant-drawer-content-wrapper:visible').count()).toBe(0);
      await settle(admin);
      await shot(admin, name, '09-endpoint-failing');
      receiver.answerWith(200);
      await card.getByTestId('endpoint-log').click();
      await drawer.waitFor();
      await expect.poll(() => refusedRow.textContent()).toContain('测试通知');
      await refusedRow.getByRole('button', { name: /重新发送/ }).click();
      await expect.poll(() => refusedRow.textContent(), { timeout: 30_000 }).toContain('已送达');
      // the same webhook-id on every try
      const tries = receiver.got.filter((g) => g.type === 'webhook.test');
      expect(tries[tries.length - 1]!.id).toBe(tries[tries.length - 2]!.id);
      await closeOverlay(admin);
      await drawer.waitFor({ state: 'detached' });
      await expect.poll(() => card.getByTestId('endpoint-failing').count()).toBe(0);
    });

    it('the admin gives it a new secret, turns it off and on, sees one turned off after 3 days of failures, changes it, reads it in English, and deletes it', async () => {
      const name = `webhooks-${dialect}`;
      const card = admin.getByTestId('endpoint-card').first();

      // ---- a new secret: confirmed (the old one stops at once), shown once
      await card.getByTestId('endpoint-rotate').click();
      const confirm = admin.locator('.ant-modal-confirm');
      await confirm.waitFor();
      expect(await confirm.textContent()).toContain('旧密钥立即失效');
      await settle(admin);
      await shot(admin, name, '10-rotate-confirm');
      await admin.getByTestId('rotate-confirm').click();
      const shown = admin.getByTestId('webhook-secret');
      await shown.waitFor();
      expect(await admin.locator('.ant-modal').last().textContent()).toContain('请复制新的签名密钥');
      const fresh = (await shown.textContent())!.trim();
      expect(fresh).toMatch(/^whsec_/);
      expect(fresh).not.toBe(secret);
      await admin.getByTestId('secret-done').click();
      await shown.waitFor({ state: 'detached' });

      // ---- off: confirmed, then said so; on again
      await card.getByTestId('endpoint-turn-off').click();
      await admin.getByTestId('turn-off-confirm').click();
      await expect.poll(() => card.getByTestId('endpoint-status').textContent()).toBe('已停用');
      expect(await card.getByTestId('endpoint-disabled').textContent()).toContain('管理员停用了这个地址');
      await noticesGone(admin);
      await shot(admin, name, '11-turned-off');
      await card.getByTestId('endpoint-turn-on').click();
      await expect.poll(() => card.getByTestId('endpoint-status').textContent()).toBe('正常');

      // ---- turned off by the server after failing for 3 days (the state the delivery worker leaves): why, and what to do
      const id = Number(await card.getAttribute('data-id'));
      const since = new Date(Date.now() - 3 * 86_400_000 - 60_000).toISOString();
      await app.ctx.db.kysely
        .updateTable('webhook_endpoints')
        .set({ enabled: 0, failing_since: since, disabled_reason: `failing since ${since}: TypeError: fetch failed` })
        .where('id', '=', id)
        .execute();
      await admin.getByRole('button', { name: /刷\s*新/ }).click();
      const off = card.getByTestId('endpoint-disabled');
      await expect.poll(() => off.count()).toBe(1);
      const offText = (await off.textContent()) ?? '';
      expect(offText).toContain('连续 3 天后系统自动停用了这个地址');
      expect(offText).toContain('连不上对方');
      expect(offText).toContain('请先检查接收方');
      expect(offText).toContain('点“启用”');
      await noCodes(admin);
      await noticesGone(admin);
      await shot(admin, name, '12-disabled-after-failing');
      // the log says nothing goes out while it is off
      await card.getByTestId('endpoint-log').click();
      await admin.getByTestId('deliveries-drawer').waitFor();
      expect(await admin.getByTestId('send-test').isDisabled()).toBe(true);
      expect(await admin.getByTestId('deliveries-drawer').textContent()).toContain('这个地址已停用');
      await settle(admin);
      await shot(admin, name, '13-log-while-off');
      await closeOverlay(admin);
      await card.getByTestId('endpoint-turn-on').click();
      await expect.poll(() => card.getByTestId('endpoint-status').textContent()).toBe('正常');
      expect(await card.getByTestId('endpoint-disabled').count()).toBe(0);

      // ---- a change: what it is for and its notices
      await card.getByTestId('endpoint-edit').click();
      const form = admin.getByTestId('endpoint-form');
      await form.waitFor();
      expect(await form.getByLabel('接收地址').inputValue()).toBe(receiver.url);
      await form.getByLabel('用途').fill('进销存同步退款和三包');
      await form.locator('[data-event="warranty.decided"]').click();
      await form.locator('[data-event="refund.assigned"]').click();
      await admin.getByTestId('endpoint-submit').click();
      await form.waitFor({ state: 'detached' });
      await expect.poll(() => card.getByTestId('endpoint-events').textContent()).toBe('新退款退款状态变化三包判定');
      expect(await card.textContent()).toContain('进销存同步退款和三包');
      await noticesGone(admin);
      await shot(admin, name, '14-changed');

      // ---- the same page in English
      await admin.getByText('EN', { exact: true }).click();
      await admin.getByRole('heading', { name: 'Webhooks' }).waitFor();
      expect(await card.getByTestId('endpoint-events').textContent()).toBe('New refundRefund status changedWarranty decision');
      await shot(admin, name, '15-english');
      await admin.getByText('中文', { exact: true }).click();
      await admin.getByRole('heading', { name: '对外通知（Webhook）' }).waitFor();

      // ---- delete: confirmed, then gone with its log
      await card.getByTestId('endpoint-delete').click();
      await admin.locator('.ant-modal-confirm').waitFor();
      expect(await admin.locator('.ant-modal-confirm').textContent()).toContain('发送记录也一起删除');
      await admin.getByTestId('delete-confirm').click();
      await admin.getByTestId('webhooks-empty').waitFor();
      expect((await (await admin.request.get('/api/v1/webhooks')).json()) as unknown[]).toEqual([]);
    });
  });
}
