/**
 * The equipment service desk in the browser (S5, issue 7).
 *
 * S5.1/S5.3/S5.5/S5.6/S5.7: the clerk opens the archive of a unit whose
 * warranty ended (a government project accepted two years ago, 12 months per
 * the contract) and records a call for it: the answer says at once that it is
 * out of warranty, and why. Leadership decides it is paid work; the clerk
 * hands it to the field lead (the inspection's dispatch is registered); the
 * lead reaches the site, quotes per the fee standard, the customer accepts,
 * the lead repairs, collects the payment, issues the invoice and returns the
 * record; the clerk archives it (the dispatch is marked complete) and prints
 * the paper form; three days later the follow-up call is due and logged.
 * S5.4/S5.8: a second call, in warranty, goes straight to the lead; its visit
 * is not made and the customer is not told, so the register flags it red and
 * the clerk's review lists it with its owner. The reports count it all.
 * Issue 11: the customer's phone and address are masked for everyone; the
 * clerk and the lead reveal them with a reason (audited), leadership cannot;
 * the clerk's printed form carries them in full, and is audited too.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { chooseOption, clickUntil, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

const HOUR = 3_600_000;

/** A Shanghai calendar date `days` from the instant. */
function shanghaiDay(at: Date, days = 0): string {
  return new Date(at.getTime() + 8 * HOUR + days * 86_400_000).toISOString().slice(0, 10);
}

/** The button of the modal that is open now (antd keeps closed ones in the page). */
const modal = (page: Page) => page.locator('.ant-modal:visible');
/** The record's drawer (an archive's may be open beneath it). */
const drawer = (page: Page) => page.locator('.ant-drawer-open .ant-drawer-section').filter({ has: page.getByTestId('record-detail') });
const archiveDrawer = (page: Page) => page.locator('.ant-drawer-open .ant-drawer-section').filter({ has: page.getByTestId('archive-detail') });
/** A screenshot once the drawers and messages have finished moving. */
const settled = async (page: Page, test: string, name: string) => {
  await page.waitForTimeout(600);
  await shot(page, test, name);
};
/** The open dialog once its opening animation is over (a click during it can be lost under load). */
const openedModal = async (page: Page) => {
  const m = modal(page);
  await m.waitFor();
  await page.locator('.ant-modal.ant-zoom-appear, .ant-modal.ant-zoom-enter').first().waitFor({ state: 'detached' }).catch(() => {});
  return m;
};
/** Submits the open dialog, clicking again if a click was lost (the button is disabled while a request runs). */
const submitModal = async (page: Page) => {
  const m = await openedModal(page);
  await clickUntil(m.getByRole('button', { name: /提\s*交|保\s*存/ }), () => m.waitFor({ state: 'hidden', timeout: 15_000 }));
};

for (const dialect of DIALECTS) {
  describe(`service desk [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;
    const contexts: BrowserContext[] = [];

    async function as(username: string): Promise<Page> {
      const context = await newContext(browser, app.url);
      contexts.push(context);
      const page = await context.newPage();
      await signIn(page, username);
      return page;
    }

    beforeAll(async () => {
      app = await startApp(dialect);
      browser = await launchBrowser();
    });
    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => {});
      await browser?.close();
      await app?.close();
    });

    it('S5.1–S5.8: an out-of-warranty call goes through leadership, a paid quote, repair, payment, invoice, archive and the follow-up call', async () => {
      const test = `service-desk-${dialect}`;
      const t0 = new Date();
      app.ctx.clock.set(t0);

      // ── S5.1: the clerk opens the archive (government project, accepted ~2 years ago, 12 months) ──
      const clerk = await as('clerk');
      await clerk.getByRole('link', { name: '售后服务台' }).click();
      await clerk.getByRole('tab', { name: '售后档案' }).click();
      await clerk.getByRole('button', { name: '新建档案' }).click();
      const form = modal(clerk);
      await form.getByLabel('客户单位').fill('大连市甘井子区水务局');
      await form.getByLabel('联系人').fill('王科长');
      await form.getByLabel('联系电话').fill('0411-88886666');
      await form.getByLabel('设备所在地址').fill('辽宁省大连市甘井子区学府路 8 号泵站');
      await form.getByLabel('产品名称/型号').fill('水质在线监测仪 WQ-200');
      await form.getByLabel('出厂编号（序列号）').fill('wq200-2023-0042');
      await form.getByLabel('合同编号').fill('HT-2023-017');
      await form.getByText('政府采购项目').click();
      await form.getByLabel('政府验收合格日期').fill(shanghaiDay(t0, -760));
      await form.getByLabel('保修期数量').fill('12');
      // the form shows the warranty the dates give before it is saved
      await form.getByTestId('warranty-preview').filter({ hasText: '已过保修期' }).waitFor();
      await submitModal(clerk);
      const archiveDetail = clerk.getByTestId('archive-detail');
      await archiveDetail.waitFor();
      expect(await archiveDetail.getByTestId('archive-warranty').textContent()).toContain('已过保修期');
      expect(await archiveDetail.textContent()).toContain('WQ200-2023-0042');
      await settled(clerk, test, '01-archive');

      // ── issue 11: the phone and address come masked; the clerk reveals them, with a reason (audited) ──
      expect(await archiveDetail.getByTestId('archive-phone').textContent()).toBe('041****6666');
      expect(await archiveDetail.getByTestId('archive-site').textContent()).toBe('辽宁省大连市甘井子区****');
      await reveal(clerk, archiveDrawer(clerk), '电话联系客户核对设备地址');
      await archiveDetail.getByTestId('archive-phone').filter({ hasText: '0411-88886666' }).waitFor();
      expect(await archiveDetail.getByTestId('archive-site').textContent()).toBe('辽宁省大连市甘井子区学府路 8 号泵站');
      await settled(clerk, test, '01b-archive-revealed');

      // ── S5.3: the call for it; the answer says at once: out of warranty, and why ──
      await archiveDrawer(clerk).getByRole('button', { name: '为此产品登记来电' }).click();
      const call = clerk.getByTestId('call-form');
      await call.getByTestId('chosen-archive').waitFor();
      await call.getByLabel('来电人', { exact: true }).fill('王科长');
      await call.getByLabel('来电号码').fill('13904115566');
      await call.getByLabel('故障描述').fill('监测仪读数跳变，电导率数值异常。');
      await call.getByRole('button', { name: '登记来电' }).click();
      const answer = clerk.getByTestId('call-answer');
      await answer.waitFor();
      expect(await answer.getByTestId('warranty-tag').textContent()).toContain('已过保修期');
      expect(await answer.getByTestId('warranty-reason').textContent()).toMatch(/政府验收合格之日.*S5\.1\(1\)/);
      expect(await answer.textContent()).toContain('待领导决定');
      const recordId = Number(/#(\d+)/.exec((await clerk.locator('.ant-result-title').textContent()) ?? '')?.[1]);
      expect(recordId).toBeGreaterThan(0);
      await settled(clerk, test, '02-call-out-of-warranty');

      // ── S5.4: a second call, in warranty (consumer market), for the register's clock ──
      await clerk.getByRole('tab', { name: '售后档案' }).click();
      await clerk.getByRole('button', { name: '新建档案' }).click();
      const form2 = modal(clerk);
      await form2.getByLabel('客户单位').fill('金州新区第二中学');
      await form2.getByLabel('联系人').fill('李老师');
      await form2.getByLabel('联系电话').fill('13700001111');
      await form2.getByLabel('设备所在地址').fill('辽宁省大连市金州区友谊街道 12 号');
      await form2.getByLabel('产品名称/型号').fill('净水设备 RO-80');
      await form2.getByLabel('出厂编号（序列号）').fill('RO80-2025-0007');
      await form2.getByLabel('合同编号').fill('HT-2025-102');
      await form2.getByLabel('货物到达指定地点日期').fill(shanghaiDay(t0, -90));
      await form2.getByLabel('对方验收无误日期').fill(shanghaiDay(t0, -88));
      await form2.getByLabel('保修期数量').fill('24');
      await submitModal(clerk);
      await clerk.getByTestId('archive-detail').waitFor();
      await archiveDrawer(clerk).getByRole('button', { name: '为此产品登记来电' }).click();
      const call2 = clerk.getByTestId('call-form');
      await call2.getByTestId('chosen-archive').waitFor();
      await call2.getByLabel('来电人', { exact: true }).fill('李老师');
      await call2.getByLabel('来电号码').fill('13700001111');
      await call2.getByLabel('故障描述').fill('出水量明显变小。');
      await call2.getByRole('button', { name: '登记来电' }).click();
      await clerk.getByTestId('call-answer').waitFor();
      expect(await clerk.getByTestId('call-answer').getByTestId('warranty-tag').textContent()).toContain('在保修期内');
      const record2 = Number(/#(\d+)/.exec((await clerk.locator('.ant-result-title').textContent()) ?? '')?.[1]);
      // S5.4: in warranty, the clerk hands it to the lead; the dispatch is registered
      await clerk.getByRole('button', { name: `打开记录 #${record2}` }).click();
      await assign(clerk);
      expect(await drawer(clerk).getByTestId('section-dispatches').textContent()).toContain('期限内');

      // ── S5.5: leadership decides: paid ──
      const leadership = await as('leadership');
      await leadership.getByRole('link', { name: '售后服务台' }).click();
      const decisions = leadership.getByTestId('decisions');
      await decisions.getByRole('link', { name: `#${recordId}` }).click();
      await drawer(leadership).getByRole('button', { name: '领导决定（无偿/有偿）' }).click();
      await modal(leadership).getByText('有偿', { exact: true }).click();
      await modal(leadership).getByLabel('说明').fill('已过保一年多，按收费标准有偿维修。');
      await submitModal(leadership);
      await drawer(leadership).getByTestId('decision').filter({ hasText: '有偿' }).waitFor();
      expect(await drawer(leadership).getByTestId('billing-tag').textContent()).toContain('有偿');
      await drawer(leadership).getByTestId('section-decision').scrollIntoViewIfNeeded();
      await settled(leadership, test, '03-record-decision');
      // leadership decides without the customer's contact: masked, and no reveal
      expect(await drawer(leadership).getByTestId('caller-phone').textContent()).toBe('139****5566');
      expect(await drawer(leadership).getByTestId('customer-phone').textContent()).toBe('041****6666');
      expect(await drawer(leadership).getByTestId('reveal-contact').count()).toBe(0);

      // ── S5.4/S5.5: the clerk hands it to the lead: the inspection's dispatch is registered ──
      await clerk.goto(`/service?tab=records&record=${recordId}`);
      await assign(clerk);
      await clerk.goto('/service?tab=dispatches');
      const register = clerk.getByTestId('dispatch-register');
      await register.getByText('大连市甘井子区水务局').waitFor();
      expect(await register.textContent()).toContain('现场检查');
      await settled(clerk, test, '04-dispatch-register');

      // ── S5.5: the lead reaches the site three hours later, quotes, repairs, collects, invoices, returns ──
      app.ctx.clock.set(new Date(t0.getTime() + 3 * HOUR));
      const lead = await as('field-lead');
      await lead.getByRole('link', { name: '售后服务台' }).click();
      // a lead opens on his own records and dispatches (and the emergencies' paperwork reminders, S5.8)
      await lead.getByTestId('my-records').getByRole('link', { name: `#${recordId}` }).waitFor();
      await settled(lead, test, '05a-lead-my-work');
      await lead.getByTestId('my-records').getByRole('link', { name: `#${recordId}` }).click();
      const d = drawer(lead);
      // the lead calls the customer before going: he reveals the record's phones and address, with a reason
      expect(await d.getByTestId('caller-phone').textContent()).toBe('139****5566');
      await reveal(lead, d, '上门前电话联系客户');
      await d.getByTestId('caller-phone').filter({ hasText: '13904115566' }).waitFor();
      expect(await d.getByTestId('customer-phone').textContent()).toBe('0411-88886666');
      expect(await d.getByTestId('site-address').textContent()).toBe('辽宁省大连市甘井子区学府路 8 号泵站');
      await d.getByTestId('section-dispatches').getByRole('button', { name: /^登记到场/ }).click();
      await submitModal(lead);
      await d.getByTestId('section-dispatches').getByText('已到场').waitFor();

      await d.getByRole('button', { name: '现场检查并报价' }).click();
      const q = modal(lead);
      await q.getByLabel('排查出的问题').fill('电导率传感器老化，信号板接触不良。');
      await q.getByLabel('收费标准').fill('售后维修收费标准（2025 版）');
      await q.getByLabel('项目 1', { exact: true }).fill('更换电导率传感器');
      await q.getByLabel('单价（元）').first().fill('1200');
      await q.getByRole('button', { name: '添加项目' }).click();
      await q.getByLabel('项目 2', { exact: true }).fill('上门检测费');
      await q.getByLabel('单价（元）').nth(1).fill('300');
      // the total follows the items as they are typed
      await q.getByTestId('quote-form-total').filter({ hasText: '¥1,500.00' }).waitFor();
      await submitModal(lead);
      await d.getByTestId('quote-total').filter({ hasText: '¥1,500.00' }).waitFor();

      await d.getByRole('button', { name: '客户同意维修' }).click();
      await submitModal(lead);
      await d.getByRole('button', { name: '填写完工' }).click();
      const w = modal(lead);
      await w.getByLabel('维修内容').fill('更换电导率传感器，重新焊接信号板接口，现场校准。');
      await w.getByLabel('工时（小时）').fill('3');
      await w.getByRole('button', { name: '添加配件' }).click();
      await w.getByLabel('配件名称 1').fill('电导率传感器');
      await submitModal(lead);
      await d.getByTestId('section-work').waitFor();

      await d.getByRole('button', { name: '登记收款' }).click();
      expect(await modal(lead).getByLabel('收款金额（元）').inputValue()).toBe('1500.00');
      await submitModal(lead);
      await d.getByRole('button', { name: '登记开票' }).click();
      await modal(lead).getByLabel('发票号码').fill('12345678');
      await submitModal(lead);
      await d.getByTestId('section-settle').filter({ hasText: '12345678' }).waitFor();
      await d.getByRole('button', { name: '交回内勤' }).click();
      await submitModal(lead);
      await d.getByTestId('record-status').filter({ hasText: '已交回内勤' }).waitFor();

      // ── S5.6: the clerk archives it (the dispatch is marked complete) and prints the paper form ──
      await clerk.goto(`/service?tab=records&record=${recordId}`);
      const cd = drawer(clerk);
      await cd.getByRole('button', { name: /^存\s*档$/ }).click();
      await submitModal(clerk);
      await cd.getByTestId('record-status').filter({ hasText: '已存档' }).waitFor();
      expect(await cd.getByTestId('section-dispatches').textContent()).toContain('已完成');
      await cd.getByTestId('section-settle').scrollIntoViewIfNeeded();
      await settled(clerk, test, '05b-record-archived');
      const [print] = await Promise.all([clerk.context().waitForEvent('page'), cd.getByTestId('print-record').click()]);
      await print.waitForLoadState();
      const printed = (await print.textContent('body')) ?? '';
      // the paper goes with the lead: the clerk's print carries the contact in full, and is audited as a reveal
      for (const text of ['售后服务及维修记录单', '13904115566', '0411-88886666', '本次打印已记入审计日志']) expect(printed).toContain(text);
      await settled(print, test, '06-printable-record');
      await print.close();
      const reveals = await app.ctx.db.kysely.selectFrom('audit_log').select(['role', 'target_type', 'details']).where('action', '=', 'service.pii.reveal').orderBy('id').execute();
      expect(reveals.map((r) => [r.role, r.target_type])).toEqual([
        ['clerk', 'service_archive'],
        ['field_lead', 'repair_record'],
        ['clerk', 'repair_record'],
      ]);
      expect(JSON.parse(reveals[1]!.details)).toMatchObject({ reason: '上门前电话联系客户' });

      // ── S5.7: three days after the return the follow-up call is due; the clerk logs it ──
      // due from 00:00 three days after the return day (Shanghai); the clerk calls that morning
      const returnDay = shanghaiDay(new Date(t0.getTime() + 3 * HOUR));
      app.ctx.clock.set(new Date(`${shanghaiDay(new Date(`${returnDay}T12:00:00+08:00`), 3)}T10:00:00+08:00`));
      // hours went by on the server's clock: the sessions went idle; sign in again
      const clerk2 = await as('clerk');
      await clerk2.goto('/service?tab=followUps');
      const fu = clerk2.getByTestId('follow-ups');
      await fu.getByRole('link', { name: `#${recordId}` }).waitFor();
      await settled(clerk2, test, '07-follow-ups-due');
      await fu.getByRole('button', { name: `登记记录 #${recordId} 的回访` }).click();
      const f = modal(clerk2);
      // (the satisfaction choices appear once "reached" is picked; on a loaded machine the first click may be lost)
      for (let attempt = 0; attempt < 3 && !(await f.getByText('5 · 非常满意').isVisible()); attempt++) {
        await f.getByText('联系上', { exact: true }).click();
        await f.getByText('5 · 非常满意').waitFor({ timeout: 10_000 }).catch(() => {});
      }
      await f.getByText('5 · 非常满意').click();
      await f.getByLabel('客户意见').fill('维修及时，很满意。');
      await submitModal(clerk2);
      await fu.getByText('已完成').click();
      await fu.getByRole('row').filter({ has: clerk2.getByRole('link', { name: `#${recordId}` }) }).filter({ hasText: '5 / 5' }).waitFor();

      // ── S5.8/S5.6: the second visit was not made and the customer not told: flagged red, and in the review ──
      await clerk2.goto('/service?tab=dispatches');
      await clerk2.getByTestId('dispatch-register').getByTestId('flag-late_without_notice').first().waitFor();
      await settled(clerk2, test, '08-dispatch-late');
      await clerk2.goto('/service?tab=review');
      const review = clerk2.getByTestId('review');
      await review.getByText('晚到未告知').first().waitFor();
      expect(await review.getByTestId('review-owner').allTextContents()).toContain('项目负责人-张工');
      await settled(clerk2, test, '09-review');

      // ── the reports: response time, warranty vs paid, satisfaction by product ──
      await clerk2.getByRole('link', { name: '服务报表' }).click();
      const times = clerk2.getByTestId('response-times');
      await times.waitFor();
      expect(await times.textContent()).toContain('3小时');
      expect(await clerk2.getByTestId('collected').textContent()).toContain('¥1,500.00');
      expect(await clerk2.getByTestId('satisfaction').textContent()).toContain('水质在线监测仪 WQ-200');
      await settled(clerk2, test, '10-reports');
      // the same numbers as a CSV download
      const csv = await clerk2.request.get((await clerk2.getByTestId('service-csv').getAttribute('href')) ?? '');
      expect(csv.status()).toBe(200);
      expect(await csv.text()).toContain('售后服务报表');
      // and as an Excel workbook
      const xlsx = await clerk2.request.get((await clerk2.getByTestId('service-xlsx').getAttribute('href')) ?? '');
      expect(xlsx.status()).toBe(200);
      expect(xlsx.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect((await xlsx.body()).subarray(0, 2).toString('latin1')).toBe('PK');

      // the desk in English too: the record of the call, as the clerk sees it
      await clerk2.getByText('EN', { exact: true }).click();
      await clerk2.goto(`/service?tab=records&record=${recordId}`);
      await drawer(clerk2).getByTestId('record-status').filter({ hasText: 'Archived' }).waitFor();
      await settled(clerk2, test, '11-record-en');
    }, 180_000);

    /** "查看完整信息" in `where` (an archive's or a record's drawer), with the reason asked for (issue 11). */
    async function reveal(page: Page, where: ReturnType<typeof drawer>, reason: string): Promise<void> {
      await clickUntil(where.getByTestId('reveal-contact'), () => modal(page).waitFor({ timeout: 10_000 }));
      const m = await openedModal(page);
      await m.getByLabel('查看的理由').fill(reason);
      await clickUntil(m.getByRole('button', { name: /查\s*看/ }), () => m.waitFor({ state: 'hidden', timeout: 15_000 }));
      await where.getByTestId('reveal-contact-done').waitFor();
    }

    /** The clerk hands the open record to the demo field lead (S5.4). */
    async function assign(page: Page): Promise<void> {
      const d = drawer(page);
      await d.getByRole('button', { name: '交给负责人' }).click();
      const m = modal(page);
      await chooseOption(page, m.getByLabel('负责人（项目/研发生产）'), '项目负责人-张工');
      await submitModal(page);
      await d.getByTestId('assignee').filter({ hasText: '项目负责人-张工' }).waitFor();
    }
  });
}
