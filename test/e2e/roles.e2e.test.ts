/** Issue 5: a sign-in as each role shows only its pages; a page of another role answers "no such page". */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { ADMIN_PASSWORD, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

/** What each role's menu holds, in zh-CN (the default language). */
const menus: Record<string, string[]> = {
  agent: ['退款队列', '仓库', '财务', '投诉', '三包售后', '处理规范'],
  supervisor: ['退款队列', '仓库', '财务', '部门任务', '投诉', '三包售后', '统计', '处理规范', '店铺设置', '店铺授权', '导入', '审计日志', '售后服务台', '服务报表'],
  presales: ['退款队列'],
  warehouse: ['仓库', '三包售后'],
  finance: ['财务', '售后服务台'],
  design: ['部门任务'],
  merchandise: ['部门任务'],
  clerk: ['售后服务台', '服务报表'],
  'field-lead': ['售后服务台'],
  leadership: ['售后服务台', '服务报表'],
  admin: ['统计', '店铺设置', '店铺授权', '导入', '对外通知', '用户与令牌', '审计日志', '服务报表'],
};

/** A page each role must not reach by typing its address. */
const forbidden: Record<string, string> = {
  agent: '/users',
  presales: '/warehouse',
  warehouse: '/queue',
  finance: '/settings',
  design: '/stats',
  admin: '/queue',
  clerk: '/queue',
  'field-lead': '/service-reports',
};

for (const dialect of DIALECTS) {
  describe(`each role sees only its pages [${dialect}]`, () => {
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

    it('signs in as every role and finds exactly its menu', async () => {
      for (const [username, expected] of Object.entries(menus)) {
        const context = await newContext(browser, app.url);
        const page = await context.newPage();
        await signIn(page, username, username === 'admin' ? ADMIN_PASSWORD : undefined);
        const items = (await page.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem').allTextContents()).map((t) => t.trim());
        expect(items, username).toEqual(expected);
        const away = forbidden[username];
        if (away) {
          await page.goto(away);
          await page.getByText('没有这个页面').waitFor();
        }
        await page.goto('/');
        await page.getByTestId('whoami').waitFor();
        await shot(page, `roles-${dialect}`, username);
        await context.close();
      }
    });

    it('a signed-out visitor gets the sign-in page, and a wrong password is explained in words', async () => {
      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await page.goto('/queue');
      await page.getByLabel('用户名').fill('agent');
      await page.getByLabel('密码').fill('not-the-password');
      await page.getByRole('button', { name: /登\s*录/ }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('用户名或密码不对');
      expect(await alert.textContent()).not.toContain('SIGN_IN_FAILED');
      await shot(page, `roles-${dialect}`, 'sign-in-error');
      await context.close();
    });
  });
}
