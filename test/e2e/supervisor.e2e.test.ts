/**
 * The supervisor's and the admin's pages, end to end: the refund statistics
 * (S1.2) with their charts, a shop setting changed and kept, a broken rule set
 * refused line by line and a valid one saved (S1); the admin creates a user
 * and an API token (its secret shown once) and the audit chain verifies.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { ADMIN_PASSWORD, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

/** Picks an option of the antd Select labelled `label`, searching for it by keyboard. */
async function choose(page: Page, label: RegExp, option: string): Promise<void> {
  await page.getByLabel(label).click();
  await page.keyboard.type(option);
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
}

for (const dialect of DIALECTS) {
  describe(`supervisor and admin pages [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;
    beforeAll(async () => {
      [app, browser] = await Promise.all([startApp(dialect), launchBrowser()]);
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('S1.2/S1: the supervisor reads the statistics, changes a setting, and imports a broken then a valid rule set', async () => {
      const name = `supervisor-${dialect}`;
      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'supervisor');

      // statistics: the demo shop's last 30 days, rates and charts
      await page.goto('/stats');
      await page.getByTestId('by-reason-chart').locator('canvas').waitFor();
      await page.getByTestId('by-sku-chart').locator('canvas').waitFor();
      expect(await page.getByTestId('rate-refund').textContent()).toMatch(/退款率\s*\d+(\.\d)?%/);
      expect(await page.getByTestId('by-reason-chart').getAttribute('aria-label')).toContain('7天无理由');
      expect(await page.getByTestId('stats-xlsx').getAttribute('href')).toMatch(/^\/api\/v1\/stats\/refunds\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&format=xlsx$/);
      await page.waitForTimeout(400); // the charts' entry animation
      await shot(page, name, '01-stats');
      // the same numbers as a table, for those who cannot see the chart
      await page.getByTestId('by-reason').getByText('表格').click();
      expect(await page.getByTestId('by-reason').locator('table').textContent()).toContain('商品质量问题');

      // a setting: the unshipped cut-off (S1.1), checked before sending, then saved and kept
      await page.goto('/settings');
      const cutoff = page.getByTestId('field-unshippedCutoff');
      await cutoff.waitFor();
      // the form fills in once the settings have arrived
      await expect.poll(() => cutoff.inputValue()).toBe('09:00');
      await cutoff.fill('8:3');
      await page.getByTestId('settings-save').click();
      await page.getByText('请按 HH:MM 填写').first().waitFor();
      await cutoff.fill('08:30');
      await page.getByTestId('settings-save').click();
      expect(await page.getByTestId('settings-notice').textContent()).toContain('已保存 1 项修改');
      await shot(page, name, '02-settings-saved');
      const kept = (await (await page.request.get('/api/v1/shop/settings')).json()) as { unshippedCutoff: string; sellerAnswerReceivedHours: number };
      expect(kept).toMatchObject({ unshippedCutoff: '08:30', sellerAnswerReceivedHours: 72 });

      // the rule set: a file with a wrong status is refused with its line; fixed, it is saved as a new version
      await page.goto('/rule-set');
      // the form opens first (issue 15 §4); the YAML editor is the second tab
      await page.getByRole('tab', { name: 'YAML' }).click();
      const editor = page.getByTestId('rule-set-editor');
      await editor.waitFor();
      await page.waitForFunction(() => ((document.querySelector('[data-testid="rule-set-editor"]') as HTMLTextAreaElement | null)?.value.length ?? 0) > 100);
      const original = await editor.inputValue();
      const lines = original.split('\n');
      const wrong = lines.findIndex((l) => l.includes('status: [WAIT_SELLER_AGREE]'));
      expect(wrong).toBeGreaterThan(0);
      lines[wrong] = lines[wrong]!.replace('WAIT_SELLER_AGREE]', 'WAIT_SELLER_AGREEE]');
      await page.getByTestId('rule-set-file').setInputFiles({ name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from(lines.join('\n'), 'utf8') });
      await page.getByText('已把文件“broken.yaml”载入编辑器').waitFor();
      await page.getByTestId('rule-set-save').click();
      const lineErrors = page.getByTestId('rule-set-line-errors');
      await lineErrors.waitFor();
      expect(await lineErrors.textContent()).toContain(`第 ${wrong + 1} 行`);
      expect(await lineErrors.textContent()).toContain('WAIT_SELLER_AGREEE');
      expect(await page.locator(`[data-error-line="${wrong + 1}"]`).count()).toBe(1);
      expect(await page.getByTestId('rule-set-version').textContent()).toContain('第 2 版');
      await shot(page, name, '03-rule-set-invalid');

      const fixed = original.replace(/^name: .*$/m, 'name: 鞋店售后规则（主管修订）');
      await editor.fill(fixed);
      await page.getByTestId('rule-set-save').click();
      await page.getByTestId('rule-set-version').filter({ hasText: '第 3 版' }).waitFor();
      expect(await page.getByTestId('rule-set-line-errors').count()).toBe(0);
      expect(await page.getByTestId('rule-set-versions').textContent()).toContain('鞋店售后规则（主管修订）');
      await shot(page, name, '04-rule-set-saved');
      await context.close();
    });

    it('the admin creates a user and an API token (shown once), and the audit trail verifies', async () => {
      const name = `admin-${dialect}`;
      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'admin', ADMIN_PASSWORD);

      await page.goto('/users');
      await page.getByTestId('users-table').getByText('supervisor', { exact: true }).waitFor();
      await page.getByTestId('user-new').click();
      const form = page.getByTestId('user-create-form');
      await form.getByLabel('用户名').fill('Xiao.Li');
      await form.getByLabel('显示名').fill('售后-小李');
      await choose(page, /^角色$/, '售后客服');
      await form.getByLabel(/^密码$/).fill('short');
      await page.getByRole('button', { name: /创\s*建/ }).click();
      await form.getByText('密码需要 8–128 个字符').waitFor();
      await form.getByLabel(/^密码$/).fill('Lantern-Harbor-4471');
      await form.getByLabel('再输一次密码').fill('Lantern-Harbor-4471');
      await page.getByRole('button', { name: /创\s*建/ }).click();
      await page.getByTestId('users-table').getByText('xiao.li', { exact: true }).waitFor();
      await shot(page, name, '05-user-created');

      await page.getByRole('tab', { name: 'API 令牌' }).click();
      await page.getByTestId('token-new').click();
      const tokenForm = page.getByTestId('token-form');
      await tokenForm.getByLabel('名称').fill('淘宝平台对接');
      await choose(page, /^角色$/, '平台客服');
      await page.getByRole('button', { name: /创\s*建/ }).click();
      const secretBox = page.getByTestId('token-secret');
      await secretBox.waitFor();
      const secret = (await secretBox.textContent())?.trim() ?? '';
      expect(secret).toMatch(/^shh_[A-Za-z0-9_-]{40,}$/);
      await shot(page, name, '06-token-secret');
      // the token works, as the platform
      const who = await fetch(`${app.url}/api/v1/session`, { headers: { authorization: `Bearer ${secret}` } });
      expect(((await who.json()) as { role: string }).role).toBe('platform');
      await page.getByTestId('token-secret-done').click();
      await page.getByTestId('tokens-table').getByText('淘宝平台对接').waitFor();
      // shown once: nowhere on the page any more
      await secretBox.waitFor({ state: 'detached' });
      expect(await page.content()).not.toContain(secret);

      await page.goto('/audit');
      const ok = page.getByTestId('audit-verify-ok');
      await ok.waitFor();
      expect(await ok.textContent()).toContain('审计链完整');
      const table = page.getByTestId('audit-table');
      await table.getByText('新建 API 令牌').first().waitFor();
      expect(await table.textContent()).toContain('新建用户');
      await shot(page, name, '07-audit-verified');
      await context.close();
    });
  });
}
