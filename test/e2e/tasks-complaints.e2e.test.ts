/**
 * The department-task inbox (S1.10) and the complaints page (S1.17, S4.8) in
 * the browser: an agent sends a "not as described" shoe to design and
 * merchandise through the API (agents open tasks from the refund; the inbox is
 * design's, merchandise's and the supervisor's), design answers it in the
 * inbox, and a task cancelled meanwhile answers 409 and reloads; an agent
 * records a complaint through the page, replies within 200 characters,
 * escalates it and closes it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { chooseOption, launchBrowser, newContext, shot, signIn, startApp, type E2eApp } from './support.ts';

interface Rec {
  id: number;
  status: string;
  version: number;
  data: Record<string, unknown>;
}

for (const dialect of DIALECTS) {
  describe(`department tasks and complaints pages [${dialect}]`, () => {
    let app: E2eApp;
    let browser: Browser;

    /** The API as the demo agent's token (a machine: no session, no CSRF). */
    async function agentApi<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: T }> {
      const res = await fetch(`${app.url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${app.demo.tokens.agent}`,
          ...(body === undefined ? {} : { 'content-type': contentType }),
        },
        body: body === undefined ? undefined : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    }

    beforeAll(async () => {
      app = await startApp(dialect);
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    it('S1.10: design sees the task sent by the agent (oldest first, its order, refund and photo), answers it; a task cancelled meanwhile answers 409 and leaves the inbox', async () => {
      const test = `tasks-${dialect}`;
      const refunds = await agentApi<{ items: { id: number; orderNo: string }[] }>('GET', '/refunds?reason=not_as_described&limit=5');
      expect(refunds.status).toBe(200);
      const refund = refunds.body.items[0]!;

      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      // an uploaded photo (POST /evidence) is shown as a thumbnail; an outside URL as a link (the CSP shows only our own images)
      await page.setContent('<div style="width:80px;height:80px;background:#c41d7f"></div>');
      const uploaded = await agentApi<{ ref: string }>('POST', '/evidence', await page.locator('div').screenshot({ type: 'png' }), 'image/png');
      expect(uploaded.status).toBe(201);
      const outsidePhoto = 'https://img.example.com/shoes/heel-1.jpg';

      const open = async (input: Record<string, unknown>) => {
        const res = await agentApi<Rec>('POST', '/records/department_task', { orderNo: refund.orderNo, ...input });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body;
      };
      const first = await open({ refundId: refund.id, problem: 'heel', description: '鞋跟比详情页图片高约 2 厘米', photos: [uploaded.body.ref, outsidePhoto] });
      const second = await open({ problem: 'toe', description: '鞋头形状和详情页不一样' });
      const merchandiseOnly = await open({ departments: ['merchandise'], problem: 'other', description: '尺码标签与页面不一致' });

      await signIn(page, 'design');
      expect(new URL(page.url()).pathname).toBe('/tasks');
      const card = page.getByTestId(`task-${first.id}`);
      await card.waitFor();
      await page.getByTestId(`task-${second.id}`).waitFor();
      // oldest first; only what was sent to design
      const order = await page.locator('[data-testid^="task-"][role="article"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
      expect(order.indexOf(`task-${first.id}`)).toBeLessThan(order.indexOf(`task-${second.id}`));
      expect(order).not.toContain(`task-${merchandiseOnly.id}`);
      const text = (await card.textContent()) ?? '';
      expect(text).toContain(refund.orderNo);
      expect(text).toContain('鞋跟比详情页图片高约 2 厘米');
      expect(text).toContain('鞋跟');
      expect(await card.getByRole('link', { name: new RegExp(`#${refund.id}`) }).getAttribute('href')).toBe(`/refunds/${refund.id}`);
      // an outside photo is a link (the app's CSP shows only its own images)
      expect(await card.getByRole('link', { name: /附件 2/ }).getAttribute('href')).toBe(outsidePhoto);
      const thumbnail = card.getByRole('img', { name: /第 1 张照片/ });
      await thumbnail.waitFor();
      await expect.poll(() => thumbnail.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);

      // the form validates before sending
      await card.getByRole('button', { name: /提交答复/ }).click();
      await card.getByText('请选择核实结果').waitFor();
      await card.getByText('请填写核实说明（至少 2 个字）').waitFor();
      await card.getByText('与页面不符，已修改页面').click();
      await card.getByLabel('核实说明').fill('详情页鞋跟高度标注为 5 厘米，实物 7 厘米；已改详情页图片和尺寸说明。');
      await card.getByText('请填写核实说明（至少 2 个字）').waitFor({ state: 'detached' });
      await shot(page, test, '01-design-inbox-answer');
      await card.getByRole('button', { name: /提交答复/ }).click();
      await card.waitFor({ state: 'detached' });

      // the agent cancels the second task while design has it open: design's answer meets 409 and the inbox reloads
      const cancelled = await agentApi<Rec>('POST', `/records/department_task/${second.id}/cancel`, { version: second.version, reason: '买家已撤销退款' });
      expect(cancelled.status).toBe(200);
      const stale = page.getByTestId(`task-${second.id}`);
      await stale.getByText('已核实，与页面一致').click();
      await stale.getByLabel('核实说明').fill('对照详情页，鞋头一致。');
      await stale.getByRole('button', { name: /提交答复/ }).click();
      await page.getByText(/这条记录刚被别人改过/).first().waitFor();
      await stale.waitFor({ state: 'detached' });
      await page.getByText('没有待核实的任务').waitFor();

      await page.getByRole('radio', { name: '已答复' }).locator('xpath=..').click();
      const answered = page.getByTestId(`task-${first.id}`);
      await answered.waitFor();
      expect(await page.getByRole('radio', { name: '已答复' }).isChecked()).toBe(true);
      await page.locator('.ant-segmented-item-selected', { hasText: '已答复' }).waitFor();
      expect(await answered.textContent()).toContain('与页面不符，已修改页面');
      await shot(page, test, '02-answered');

      const saved = await agentApi<Rec>('GET', `/records/department_task/${first.id}`);
      expect(saved.body.status).toBe('answered');
      expect(saved.body.data.answer).toMatchObject({ answer: 'page_fixed', note: '详情页鞋跟高度标注为 5 厘米，实物 7 厘米；已改详情页图片和尺寸说明。' });
      await context.close();
    });

    it('S1.17: an agent records a complaint on the page (validated first), replies within 200 characters counted live, escalates (S4.8) and closes it', async () => {
      const test = `complaints-${dialect}`;
      const refunds = await agentApi<{ items: { id: number; orderNo: string }[] }>('GET', '/refunds?reason=quality&limit=1');
      const refund = refunds.body.items[0]!;
      const context = await newContext(browser, app.url);
      const page = await context.newPage();
      await signIn(page, 'agent');
      await page.goto('/complaints');
      await page.getByRole('button', { name: '登记投诉' }).click();
      const dialog = page.getByRole('dialog', { name: /登记投诉/ });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: /登\s*记/ }).click();
      await dialog.getByText('请填写投诉类型（最多 50 字）').waitFor();
      await dialog.getByText('请填写投诉内容（最多 2000 字）').waitFor();
      // S4.7: the phone case brings its script to the drawer (chosen before the type, whose suggestions open a list of their own)
      await chooseOption(page, dialog.getByLabel('手机投诉情形（可选，S4.7）'), '手机寄回不认可我方出具检测报告');
      await dialog.getByLabel('投诉类型').fill('质量问题');
      await dialog.getByLabel('投诉内容').fill('买家称鞋子穿了两天鞋底开胶，要求全额退款，认为卖家拒绝退款不合理。');
      await dialog.getByLabel('买家诉求').fill('全额退款并承担退货运费');
      await dialog.getByLabel('订单号（可选）').fill(refund.orderNo);
      await dialog.getByLabel('退款编号（可选）').fill(String(refund.id));
      await dialog.getByRole('button', { name: /登\s*记/ }).click();

      const drawer = page.getByRole('dialog', { name: /投诉 #\d+/ });
      await drawer.waitFor();
      // the passing "done" notices would cover the drawer's title in the pictures
      await page.addStyleTag({ content: '.ant-message { display: none !important; }' });
      const id = Number(/#(\d+)/.exec((await drawer.getByText(/投诉 #\d+/).first().textContent()) ?? '')?.[1]);
      expect(id).toBeGreaterThan(0);
      expect(await drawer.textContent()).toContain(refund.orderNo);
      await drawer.getByTestId('script-report_rejected').getByText('先予安抚用户').waitFor();
      expect(await drawer.getByTestId('script-malicious').count()).toBe(0);

      // the count follows the typing; over 200 is refused before sending
      const reply = drawer.getByLabel('回复内容（最多 200 字）');
      await reply.fill('鞋'.repeat(201));
      await expect.poll(() => drawer.getByTestId('reply-count').textContent()).toContain('超出 1 字');
      await drawer.getByRole('button', { name: '发送回复' }).click();
      await drawer.getByText('回复最多 200 字，现在 201 字').waitFor();
      const text = '您好，订单签收于 3 天前，主推款，评分 4.8。买家反映鞋底开胶，已请买家上传照片，核实属质量问题后支持退货退款并承担运费。';
      await reply.fill(text);
      await drawer.getByText('回复最多 200 字，现在 201 字').waitFor({ state: 'detached' });
      await expect.poll(() => drawer.getByTestId('reply-count').textContent()).toContain(`还可输入 ${200 - [...text].length} 字`);
      await shot(page, test, '01-reply');
      await drawer.getByRole('button', { name: '发送回复' }).click();
      await drawer.getByTestId('complaint-replies').getByText(text).waitFor();
      await drawer.getByText('已回复', { exact: true }).waitFor();

      await drawer.getByRole('button', { name: '升级为恶意投诉' }).click();
      const escalate = page.getByRole('dialog', { name: /升级为恶意投诉（S4.8）/ });
      // S4.8: what, why and the demands are each required
      await escalate.getByLabel('用户投诉内容（什么）').fill('');
      await escalate.getByRole('button', { name: '确认升级' }).click();
      await escalate.getByText('请写明用户投诉的内容（2–500 字）').waitFor();
      await escalate.getByText('请写明用户为何投诉（2–500 字）').waitFor();
      await escalate.getByLabel('用户投诉内容（什么）').fill('买家称鞋底开胶，要求额外赔偿');
      await escalate.getByLabel('用户为何投诉（为什么）').fill('不认可我方检测结论；鞋底照片显示人为破坏。');
      await escalate.getByLabel('投诉要求如何（要求）').fill('额外赔偿 200 元，否则持续投诉');
      await escalate.getByRole('button', { name: '确认升级' }).click();
      await drawer.getByText('恶意投诉', { exact: true }).waitFor();
      await drawer.getByTestId('script-malicious').getByText('最后沟通电信协调解决').waitFor();

      // S4.8: then the telecom operator
      await drawer.getByRole('button', { name: '协调运营商' }).click();
      const coordinate = page.getByRole('dialog', { name: /沟通电信协调解决（S4.8）/ });
      await coordinate.getByLabel('运营商营业厅').fill('中国电信石家庄裕华营业厅');
      await coordinate.getByLabel('对接人').fill('李经理');
      await coordinate.getByLabel('协调结果').fill('营业厅协助核实，买家同意按检测结论处理。');
      await coordinate.getByRole('button', { name: '记录协调' }).click();
      await drawer.getByTestId('operator-coordinations').getByText(/李经理/).waitFor();

      await drawer.getByRole('button', { name: /^结\s*案$/ }).click();
      const close = page.getByRole('dialog', { name: '结案' });
      await close.getByLabel('处理结果').fill('平台判定支持卖家，退货退款已完成，不作额外赔偿。');
      await close.getByRole('button', { name: '确认结案' }).click();
      await drawer.getByText('已结案', { exact: true }).waitFor();
      expect(await drawer.getByRole('button', { name: '发送回复' }).count()).toBe(0);
      await shot(page, test, '02-closed');

      const saved = await agentApi<Rec>('GET', `/records/complaint/${id}`);
      expect(saved.body).toMatchObject({ status: 'closed', data: { severity: 'malicious', source: 'platform', type: '质量问题', phoneCase: 'report_rejected' } });
      expect(saved.body.data.escalation).toMatchObject({ what: '买家称鞋底开胶，要求额外赔偿', demands: '额外赔偿 200 元，否则持续投诉' });
      expect(saved.body.data.operatorCoordinations).toEqual([{ operator: '中国电信石家庄裕华营业厅', contact: '李经理', agreed: '营业厅协助核实，买家同意按检测结论处理。', at: expect.any(String) }]);
      expect(saved.body.data.replies).toEqual([{ text, at: expect.any(String) }]);

      // the list: by state on the server, by source here
      await page.goto('/complaints?status=closed');
      await page.getByRole('button', { name: `处理投诉 #${id}` }).waitFor();
      await page.goto('/complaints?source=phone');
      await page.getByText('没有符合条件的投诉').waitFor();
      await context.close();
    });
  });
}
