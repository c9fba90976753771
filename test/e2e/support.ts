/**
 * End-to-end tests: the real server (with the built web app and the demo shop)
 * on a random port over a fresh database, driven by playwright-core in
 * Debian's chromium. Each test saves screenshots of the pages it passes
 * through into artifacts/screenshots/ (README).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { SettableClock, type AppContext } from '../../src/app/context.ts';
import { DEMO_PASSWORD, seedDemo, seedDemoDevices, seedDemoProducts, seedDemoUsers, type DemoSeedResult } from '../../src/app/demo-seed.ts';
import { seedDemoServiceDesk } from '../../src/app/service/demo.ts';
import { ensureFirstAdmin } from '../../src/app/users.ts';
import { webDist } from '../../src/cli/web-build.ts';
import { chinaCalendar } from '../../src/core/calendar/china-calendar.ts';
import { migrateToLatest, openDatabase } from '../../src/db/connection.ts';
import type { DialectName } from '../../src/db/dialect-name.ts';
import { buildServer, type Api } from '../../src/http/server.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

export const CHROMIUM = process.env.SHOUHOU_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('artifacts/screenshots');
export const ADMIN_PASSWORD = 'Quiet-Harbor-7219-Ledger';

export interface E2eApp {
  url: string;
  ctx: AppContext & { clock: SettableClock };
  demo: DemoSeedResult;
  app: Api;
  testDb: TestDatabase;
  close(): Promise<void>;
}

/** The server as `npm start` runs it (demo shop, admin, web app), on a fresh database of the dialect. */
export async function startApp(dialect: DialectName): Promise<E2eApp> {
  const testDb = await createTestDatabase(dialect);
  const db = openDatabase(testDb.target);
  await migrateToLatest(db);
  const clock = new SettableClock();
  const ctx = { db, clock, calendar: chinaCalendar() };
  const demo = await seedDemo(ctx);
  await seedDemoUsers(ctx, demo.shop.id);
  await seedDemoProducts(ctx, demo.shop.id);
  await seedDemoDevices(ctx, demo.shop.id);
  await seedDemoServiceDesk(ctx, demo.shop.id);
  await ensureFirstAdmin(ctx, { shopId: demo.shop.id, password: ADMIN_PASSWORD });
  const app = await buildServer({ ctx, logger: false, testClock: clock, webDist });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    ctx,
    demo,
    app,
    testDb,
    close: async () => {
      await app.close();
      await db.close();
      await testDb.drop();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A browser context like a person's: zh-CN, Shanghai time, a desktop or a phone screen; asking for less motion
 * (the app then shows dialogs, drawers, lists and pickers at once, without antd's animations: a click or a
 * picker's placement never lands on something still moving).
 */
export async function newContext(
  browser: Browser,
  baseURL: string,
  device: 'desktop' | 'phone' = 'desktop',
  /** a desktop screen of another size (a 1080-pixel monitor, a wide one) */
  viewport?: { width: number; height: number },
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: viewport ?? (device === 'phone' ? { width: 390, height: 844 } : { width: 1366, height: 900 }),
    deviceScaleFactor: 1,
    isMobile: device === 'phone',
    hasTouch: device === 'phone',
    reducedMotion: 'reduce',
  });
  // CI runs several browsers on two cores: a step may wait longer than on a quiet machine
  context.setDefaultTimeout(60_000);
  return context;
}

/** Signs in through the sign-in page as a demo user (username = role, `field_lead` → `field-lead`). */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
  // on a desk the header says who is signed in; on a phone the header has the menu button (who is in the menu)
  await page.getByTestId('whoami').or(page.getByTestId('menu-button')).first().waitFor();
}

/**
 * Closes the open drawer or dialog as a person would: Esc, and if the key went elsewhere (focus outside
 * the overlay, a busy machine), its close button.
 */
export async function closeOverlay(page: Page): Promise<void> {
  const open = page.locator('.ant-drawer-open .ant-drawer-close:visible, .ant-modal-wrap:visible .ant-modal-close:visible').last();
  await page.keyboard.press('Escape');
  try {
    await open.waitFor({ state: 'detached', timeout: 3000 });
  } catch {
    if (await open.count()) await open.click();
  }
}

/**
 * Types `date` (YYYY-MM-DD) into an antd DatePicker as a person at the keyboard does: the date, then Tab; the
 * picker takes the date and its panel closes (a panel left open can cover the text around it), and the field
 * shows the date.
 */
export async function typeDate(page: Page, field: Locator, date: string): Promise<void> {
  await field.fill(date);
  await field.press('Tab');
  await expect.poll(() => page.locator('.ant-picker-dropdown:visible').count()).toBe(0);
  expect(await field.inputValue()).toBe(date);
}

/**
 * Picks the option `text` of an antd Select (`select`: the Select itself, or its labelled input) and waits
 * until it shows. On a loaded machine the list's opening animation can swallow a click, and a dialog still
 * opening or re-rendering can keep the Select from standing still: up to three tries.
 */
export async function chooseOption(page: Page, select: Locator, text: string): Promise<void> {
  const list = page.locator('.ant-select-dropdown:visible');
  for (let attempt = 1; ; attempt++) {
    const option = list.locator('.ant-select-item-option', { hasText: text }).first();
    try {
      // a dialog still opening, or re-rendered as its data arrives, can keep the Select moving: try again after a while
      // (the later tries click without waiting for it to stand still)
      if ((await list.count()) === 0) await select.click({ timeout: 15_000, force: attempt > 1 });
      await option.waitFor({ timeout: 10_000 });
      await option.click({ timeout: 10_000 });
      const shown = select.locator('xpath=ancestor-or-self::*[contains(@class, "ant-select ")][1]');
      const target = (await shown.count()) > 0 ? shown : select;
      await expect.poll(async () => (await target.textContent()) ?? '', { timeout: 10_000 }).toContain(text);
      await expect.poll(() => list.count(), { timeout: 10_000 }).toBe(0);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      // close a list left open, never the dialog around the Select
      if ((await list.count()) > 0) await page.keyboard.press('Escape');
    }
  }
}

/**
 * Clicks `target` until `done` holds (up to three tries, 15 s each): on a loaded machine a click during a
 * dialog's opening animation or a page's first paint can be lost. Only for clicks that are safe to repeat
 * (a submit button is disabled while its request runs, and a lost one sent nothing).
 */
export async function clickUntil(target: Locator, done: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await target.click({ timeout: 15_000 });
    } catch {
      // gone or disabled: the first click may have done it after all; `done` says
    }
    try {
      await done();
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/** Saves a full-page screenshot as artifacts/screenshots/<test>/<NN>-<name>.png. */
export async function shot(page: Page, test: string, name: string): Promise<string> {
  const dir = path.join(SCREENSHOTS, test);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  // the page's lazily loaded chunk and its data have arrived, the loading spinners are gone
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
  // a loaded machine's chromium now and then never finishes a full-page capture (CI: one in ~1,500 shots hung for
  // 60 s after "fonts loaded"); a second try takes the viewport only, which needs no re-layout of the whole page
  try {
    await page.screenshot({ path: file, fullPage: true, timeout: 25_000 });
  } catch (err) {
    if (!(err instanceof Error) || err.name !== 'TimeoutError') throw err;
    await page.screenshot({ path: file, timeout: 25_000 });
  }
  return file;
}
