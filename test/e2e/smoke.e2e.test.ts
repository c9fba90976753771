import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

for (const dialect of DIALECTS) {
  describe(`web app smoke [${dialect}]`, () => {
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

    it('signs in as the agent and lands on the queue', async () => {
      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'agent');
      expect(await page.getByTestId('whoami').textContent()).toContain('售后客服');
      await shot(page, `smoke-${dialect}`, '01-queue');
      await context.close();
    });
  });
}
