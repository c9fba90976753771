/**
 * The workbench (issue 4) over HTTP, signed in as the shop's people: the
 * playbook of each refund, the guards of S1 with and without a supervisor's
 * override, the records of the side processes, the unshipped batch, the rule
 * set as data, the statistics; and the seed's five examples (如1–如5).
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRuleSet, serializeRuleSet } from '../src/core/playbook/rule-set-parser.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { freezeDueBatches } from '../src/app/workbench/unshipped-batch.ts';
import { sweepDueDeadlines } from '../src/app/refunds.ts';
import { formatYuan } from '../src/core/money.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';
import { addUsers, signInAs, type Session } from './support/users.ts';

for (const dialect of DIALECTS) {
  describe(`the workbench [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let api: ReturnType<typeof client>;
    let agent: Session;
    let supervisor: Session;
    let warehouse: Session;
    let finance: Session;
    let design: Session;
    const start = new Date('2026-11-02T00:30:00.000Z'); // Mon 08:30 in Shanghai, before the 09:00 cut-off

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      f = await setupShop(
        ctx,
        'shoes',
        { postageTable: { rows: [{ province: '浙江省', styleCategory: '单鞋', amountFen: 1200 }], defaultFen: 1500 } },
        'default',
      );
      await addUsers(ctx, f.shop.id, 'w', ['agent', 'supervisor', 'warehouse', 'finance', 'design']);
      app = await buildServer({ ctx });
      api = client(app, f);
      await signInAll();
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    /** sessions end after 8 idle hours of the test clock: sign in again after a jump */
    async function signInAll() {
      agent = await signInAs(app, 'agent-w');
      supervisor = await signInAs(app, 'supervisor-w');
      warehouse = await signInAs(app, 'warehouse-w');
      finance = await signInAs(app, 'finance-w');
      design = await signInAs(app, 'design-w');
    }

    async function apply(orderNo: string, body: Record<string, unknown>) {
      const r = await api.post('buyer', '/api/v1/refunds', { orderNo, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body as { id: number; version: number; amountFen: number };
    }
    const detail = async (id: number) => (await agent.call('GET', `/api/v1/refunds/${id}`)).body;
    const act = async (who: Session, id: number, action: string, body: Record<string, unknown> = {}) =>
      who.call('POST', `/api/v1/refunds/${id}/${action}`, { version: (await detail(id)).version, ...body });

    it('S1.6 a refund-only "not received" shows its four-step checklist; a logged call ticks the phone step', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'shipped');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'not_received' });
      const d = await detail(r.id);
      expect(d.playbook.rules.map((x: { id: string }) => x.id)).toContain('S1.6');
      const s16 = d.playbook.checklist.filter((c: { ruleId: string }) => c.ruleId === 'S1.6');
      expect(s16.length).toBe(4);
      expect(d.playbook.actions).toEqual(expect.arrayContaining(['courier.trace', 'claim.open']));
      const call = await agent.call('POST', `/api/v1/refunds/${r.id}/contacts`, { channel: 'phone', content: '电话联系买家，确认未收到', outcome: 'reached' });
      expect(call.status).toBe(201);
      const after = (await detail(r.id)).playbook.checklist.filter((c: { ruleId: string; done: boolean }) => c.ruleId === 'S1.6' && c.done);
      expect(after.length).toBeGreaterThanOrEqual(1);
      // the platform and the buyer do not see the seller's playbook
      expect((await api.get('buyer', `/api/v1/refunds/${r.id}`)).body.playbook).toBeNull();
    });

    it('S1.5 agreeing a quality refund as it stands is refused; an agent cannot override; a supervisor can, with a written reason, audited', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 3000 });
      const refused = await act(agent, r.id, 'agree');
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('GUARD_REASON_NEEDS_CHANGE');
      expect(refused.body.error.details.guards[0].rule).toBe('S1.5');
      const byAgent = await act(agent, r.id, 'agree', { override: { reason: '我觉得可以' } });
      expect(byAgent.body.error.code).toBe('GUARD_OVERRIDE_REFUSED');
      const tooShort = await act(supervisor, r.id, 'agree', { override: { reason: '好' } });
      expect(tooShort.status).toBe(400);
      const ok = await act(supervisor, r.id, 'agree', { override: { reason: '老客户，鞋底开胶照片清楚，直接退' } });
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('SUCCESS');
      const audit = await ctx.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'guard.override').execute();
      expect(audit.at(-1)).toMatchObject({ target_id: String(r.id), role: 'supervisor' });
      expect(JSON.parse(audit.at(-1)!.details)).toMatchObject({ guards: ['GUARD_REASON_NEEDS_CHANGE'] });
    });

    it('S1.5 after the buyer changes the reason (the correction recorded), the agent agrees; an agent\'s API token is guarded too', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'not_as_described', amountFen: 2000 });
      const correction = await agent.call('POST', `/api/v1/refunds/${r.id}/reason-corrections`, { toReason: 'no_reason_7d', askedVia: 'phone', buyerAnswer: 'agreed', note: '买家同意改为7天无理由' });
      expect(correction.status).toBe(201);
      expect(correction.body.data).toMatchObject({ fromReason: 'not_as_described', toReason: 'no_reason_7d' });
      await agent.call('POST', `/api/v1/refunds/${r.id}/contacts`, { channel: 'wangwang', content: '亲，麻烦把退款原因改为7天无理由', outcome: 'pending' });
      await api.act('buyer', r.id, 'modify', { reason: 'no_reason_7d' });
      expect((await act(agent, r.id, 'agree')).body.status).toBe('SUCCESS');
      expect((await detail(r.id)).version).toBe(3);
      const stored = await ctx.db.kysely.selectFrom('refunds').select('rule_set_version').where('id', '=', r.id).executeTakeFirstOrThrow();
      expect(stored.rule_set_version).toBe(0);
      const other = await makeOrder(ctx, f, 'signed');
      const r2 = await apply(other.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 2000 });
      expect((await api.act('agent', r2.id, 'agree')).body.error.code).toBe('GUARD_REASON_NEEDS_CHANGE');
    });

    it('S1.5 after the buyer changed the reason on a phone call, the Wangwang message that asked for it must be on record before agreeing', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 2500 });
      const correction = await agent.call('POST', `/api/v1/refunds/${r.id}/reason-corrections`, { toReason: 'no_reason_7d', askedVia: 'phone', buyerAnswer: 'agreed', note: '电话里买家同意改为7天无理由' });
      expect(correction.status).toBe(201);
      expect((await api.act('buyer', r.id, 'modify', { reason: 'no_reason_7d' })).status).toBe(200);
      // the reason is no longer S1.5's, but the written trace is still missing
      const d = await detail(r.id);
      expect(d.playbook.rules.map((x: { id: string }) => x.id)).toContain('S1.5.changed');
      expect(d.playbook.guards).toContain('GUARD_REASON_NEEDS_CHANGE');
      expect(d.playbook.checklist.find((c: { id: string }) => c.id === 'S1.5.changed.wangwang')).toMatchObject({ done: false });
      const refused = await act(agent, r.id, 'agree');
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('GUARD_REASON_NEEDS_CHANGE');
      expect(refused.body.error.details.guards[0]).toMatchObject({ rule: 'S1.5', missing: ['旺旺留言（修改退款原因的书面记录）'] });
      const message = await agent.call('POST', `/api/v1/refunds/${r.id}/contacts`, { channel: 'wangwang', content: '亲，按电话里说的，退款原因已改为7天无理由，这里留言为证', outcome: 'agreed', templateKey: 'ask_change_reason' });
      expect(message.status).toBe(201);
      expect((await detail(r.id)).playbook.checklist.find((c: { id: string }) => c.id === 'S1.5.changed.wangwang')).toMatchObject({ done: true });
      const ok = await act(agent, r.id, 'agree');
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.status).toBe('SUCCESS');
    });

    it('S1.9 refuses to agree a refund-only for goods received damaged; applied again as a return it is agreed; a supervisor may override', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'damaged', amountFen: 19_900, lineNo: 1 });
      expect((await detail(r.id)).playbook.guards).toContain('GUARD_DAMAGED_REFUND_ONLY');
      const refused = await act(agent, r.id, 'agree');
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('GUARD_DAMAGED_REFUND_ONLY');
      expect(refused.body.error.details.guards[0]).toMatchObject({ rule: 'S1.9', missing: ['电话联系客户（刚收到发现还是穿着后发现）'] });
      expect((await act(agent, r.id, 'agree', { override: { reason: '客服想直接退款' } })).body.error.code).toBe('GUARD_OVERRIDE_REFUSED');
      // the SOP: phone, tell the buyer to apply again as a return (退货退款)
      await agent.call('POST', `/api/v1/refunds/${r.id}/contacts`, { channel: 'phone', content: '刚收到就发现鞋头压痕，已告知改为退货退款', outcome: 'agreed' });
      expect((await api.act('buyer', r.id, 'modify', { type: 'return_and_refund' })).status).toBe(200);
      const agreed = await act(agent, r.id, 'agree');
      expect(agreed.status, JSON.stringify(agreed.body)).toBe(200);
      expect(agreed.body.status).toBe('WAIT_BUYER_RETURN_GOODS');
      // found after wearing, decided on the photos: a supervisor goes ahead with a written reason
      const worn = await makeOrder(ctx, f, 'signed');
      const r2 = await apply(worn.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'damaged', amountFen: 3000 });
      const ok = await act(supervisor, r2.id, 'agree', { override: { reason: '穿着后开线，照片清楚，协商部分退款' } });
      expect(ok.body.status).toBe('SUCCESS');
    });

    it('S1.3 an unshipped refund for 未按约定时间发货 or 缺货 is refunded only after the buyer, phoned, changed the reason and the warehouse voided the order (S1.1)', async () => {
      ctx.clock.set(new Date('2026-11-11T00:10:00.000Z')); // Wed 08:10 Shanghai, before the cut-off
      await signInAll();
      const stock = await makeOrder(ctx, f, 'paid');
      const s = await apply(stock.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'out_of_stock' });
      const outOfStock = await act(agent, s.id, 'agree', { confirmedAmountFen: s.amountFen });
      expect(outOfStock.status).toBe(409);
      expect(outOfStock.body.error.code).toBe('GUARD_UNSHIPPED_REASON_NEEDS_CHANGE');
      expect(outOfStock.body.error.details.guards[0]).toMatchObject({ rule: 'S1.3', missing: ['电话联系客户修改退款原因', '买家修改退款原因'] });
      const o = await makeOrder(ctx, f, 'paid');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'late_shipment' });
      expect((await detail(r.id)).playbook.guards).toEqual(expect.arrayContaining(['GUARD_UNSHIPPED_REASON_NEEDS_CHANGE', 'GUARD_UNSHIPPED_NOT_VOIDED', 'GUARD_AMOUNT_NOT_CONFIRMED']));
      const early = await act(agent, r.id, 'agree', { confirmedAmountFen: r.amountFen });
      expect(early.body.error.code).toBe('GUARD_UNSHIPPED_REASON_NEEDS_CHANGE');
      expect(early.body.error.details.guards.map((g: { code: string }) => g.code)).toEqual(['GUARD_UNSHIPPED_REASON_NEEDS_CHANGE', 'GUARD_UNSHIPPED_NOT_VOIDED']);
      // phoned: the buyer changes 未按约定时间发货 to 不想要了
      await agent.call('POST', `/api/v1/refunds/${r.id}/reason-corrections`, { toReason: 'unwanted', askedVia: 'phone', buyerAnswer: 'agreed', note: '告知质检需要再等两天，买家改为不想要了' });
      expect((await api.act('buyer', r.id, 'modify', { reason: 'unwanted' })).status).toBe(200);
      const notVoided = await act(agent, r.id, 'agree', { confirmedAmountFen: r.amountFen });
      expect(notVoided.body.error.code).toBe('GUARD_UNSHIPPED_NOT_VOIDED');
      const batch = (await agent.call('POST', '/api/v1/unshipped-batches/collect')).body;
      expect(batch.lines.map((l: { refundId: number }) => l.refundId)).toContain(r.id);
      expect((await agent.call('POST', `/api/v1/unshipped-batches/${batch.id}/send`, { version: batch.version })).body.status).toBe('sent');
      expect((await warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/${r.id}`, { status: 'voided' })).status).toBe(200);
      const ok = await act(agent, r.id, 'agree', { confirmedAmountFen: r.amountFen });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.status).toBe('SUCCESS');
    });

    it('S1.8 a refund-only for 发票问题 is not agreed before the invoice title is registered in the invoice book; the register ticks the checklist', async () => {
      ctx.clock.set(start);
      await signInAll();
      const o = await makeOrder(ctx, f, 'signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'invoice', amountFen: 1000 });
      const refused = await act(agent, r.id, 'agree');
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('GUARD_INVOICE_NOT_REGISTERED');
      expect(refused.body.error.details.guards[0]).toMatchObject({ rule: 'S1.8', missing: ['发票本登记（发票抬头）'] });
      expect((await detail(r.id)).playbook.checklist.find((c: { id: string }) => c.id === 'S1.8.title')).toMatchObject({ done: false });
      const inv = await agent.call('POST', '/api/v1/records/invoice', { orderNo: o.orderNo, refundId: r.id, titleType: 'individual', title: '李小美', amountFen: 32_800 });
      expect(inv.status, JSON.stringify(inv.body)).toBe(201);
      expect((await detail(r.id)).playbook.checklist.find((c: { id: string }) => c.id === 'S1.8.title')).toMatchObject({ done: true });
      const ok = await act(agent, r.id, 'agree');
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.status).toBe('SUCCESS');
    });

    it('S1.14/S1.10/S1.5 the return postage follows the real cause: a not-as-described refund the buyer changed to 退货退款 + 七天无理由 on our advice still gets its postage back', async () => {
      ctx.clock.set(start);
      await signInAll();
      const o = await makeOrder(ctx, f, 'signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'not_as_described', amountFen: 19_900, lineNo: 1 });
      // S1.10: design and merchandise verify and fix the page
      const task = await agent.call('POST', '/api/v1/records/department_task', { orderNo: o.orderNo, refundId: r.id, problem: 'heel', description: '鞋跟比页面图片高 1 厘米' });
      expect(task.status, JSON.stringify(task.body)).toBe(201);
      const verify = async () => ((await detail(r.id)).playbook.checklist as { id: string; done: boolean; source: { kind: string; text: string | null } | null }[]).find((c) => c.id === 'S1.10.verify');
      expect((await verify())?.done).toBe(false);
      expect((await design.call('POST', `/api/v1/records/department_task/${task.body.id}/answer`, { version: 1, answer: 'page_fixed', note: '已修改页面' })).status).toBe(200);
      // issue 15 §1: the answer ticks S1.10's verification item by itself, and says where from
      expect(await verify()).toMatchObject({ done: true, source: { kind: 'department_task', text: '已修改页面' } });
      // S1.5: phone the buyer to change the reason (and type), then Wangwang as the written trace
      await agent.call('POST', `/api/v1/refunds/${r.id}/reason-corrections`, { toReason: 'no_reason_7d', toType: 'return_and_refund', askedVia: 'phone', buyerAnswer: 'agreed', note: '邮费我们承担' });
      await agent.call('POST', `/api/v1/refunds/${r.id}/contacts`, { channel: 'wangwang', content: '亲，请改为退货退款、七天无理由，寄回的邮费我们承担', outcome: 'agreed' });
      expect((await api.act('buyer', r.id, 'modify', { type: 'return_and_refund', reason: 'no_reason_7d' })).status).toBe(200);
      expect((await act(agent, r.id, 'agree')).body.status).toBe('WAIT_BUYER_RETURN_GOODS');
      await api.act('buyer', r.id, 'return-shipment', { courier: '顺丰速运', trackingNo: 'SF20261102' });
      expect((await warehouse.call('POST', `/api/v1/refunds/${r.id}/return-arrival`, { condition: 'resellable' })).status).toBe(201);
      for (const item of (await detail(r.id)).playbook.checklist.filter((c: { ruleId: string; done: boolean; tickable: boolean }) => c.ruleId === 'S1.13' && !c.done && c.tickable)) {
        await agent.call('POST', `/api/v1/refunds/${r.id}/checklist`, { ruleId: 'S1.13', itemId: item.id, ticked: true });
      }
      // S1.10: the shop pays the return postage (recorded as a value, S1.13)
      expect((await agent.call('PUT', `/api/v1/refunds/${r.id}/return-postage`, { payer: 'shop', amountFen: 1200 })).status).toBe(200);
      expect((await act(agent, r.id, 'confirm-receipt')).body.status).toBe('SUCCESS');
      expect((await agent.call('POST', `/api/v1/refunds/${r.id}/root-cause`, { cause: 'not_as_pictured', note: '鞋跟高度与页面不符' })).status).toBe(204);
      // the platform reason now says 七天无理由; the shop still owes the postage
      const d = await detail(r.id);
      expect(d).toMatchObject({ reason: 'no_reason_7d', type: 'return_and_refund', status: 'SUCCESS' });
      expect(d.playbook.rules.map((x: { id: string }) => x.id)).toContain('S1.10.corrected');
      expect(d.playbook.actions).toContain('postage.compensate');
      const req = await agent.call('POST', '/api/v1/records/postage', { orderNo: o.orderNo, refundId: r.id, alipayAccount: '13812341234', realName: '李小美' });
      expect(req.status, JSON.stringify(req.body)).toBe(201);
      expect(req.body.amountFen).toBe(1200);
      expect(req.body.data.owedBecause).toBe('reason_correction');
    });

    it('S1.14/S1.2 the recorded root cause decides the postage when no reason was changed: the shop\'s fault is owed, the buyer\'s is not', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 19_900, lineNo: 1 });
      expect((await act(agent, r.id, 'agree')).body.status).toBe('SUCCESS');
      const body = { orderNo: o.orderNo, refundId: r.id, alipayAccount: '13812341234', realName: '李小美' };
      await agent.call('POST', `/api/v1/refunds/${r.id}/root-cause`, { cause: 'size_small' });
      const buyers = await agent.call('POST', '/api/v1/records/postage', body);
      expect(buyers.status).toBe(409);
      expect(buyers.body.error.details).toMatchObject({ reason: 'postage_not_owed', rootCause: 'size_small' });
      await agent.call('POST', `/api/v1/refunds/${r.id}/root-cause`, { cause: 'wrong_item_sent', note: '发错了款式' });
      const shops = await agent.call('POST', '/api/v1/records/postage', body);
      expect(shops.status, JSON.stringify(shops.body)).toBe(201);
      expect(shops.body.data.owedBecause).toBe('root_cause');
    });

    it('S1.13 a return is refunded only after the warehouse recorded its arrival and the three looks are ticked', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'signed');
      const r = await apply(o.orderNo, { type: 'return_and_refund', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 19_900, lineNo: 1 });
      expect((await act(agent, r.id, 'agree')).status).toBe(200);
      await api.act('buyer', r.id, 'return-shipment', { courier: '顺丰速运', trackingNo: 'SF778899' });
      const early = await act(agent, r.id, 'confirm-receipt');
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('GUARD_RETURN_NOT_CHECKED');
      expect(early.body.error.details.guards[0].missing).toContain('仓库已收到客户寄回的鞋');
      expect((await agent.call('POST', `/api/v1/refunds/${r.id}/return-arrival`, { condition: 'resellable' })).status).toBe(403);
      const arrived = await warehouse.call('POST', `/api/v1/refunds/${r.id}/return-arrival`, { condition: 'resellable' });
      expect(arrived.status).toBe(201);
      const remarks = (await api.get('agent', `/api/v1/orders/${o.orderNo}/remarks`)).body.map((x: { text: string }) => x.text);
      expect(remarks).toContain('仓库已收到客户寄回的鞋（不影响二次销售）');
      const stillOpen = await act(agent, r.id, 'confirm-receipt');
      expect(stillOpen.body.error.code).toBe('GUARD_RETURN_NOT_CHECKED');
      const open = (await detail(r.id)).playbook.checklist.filter((c: { ruleId: string; done: boolean; tickable: boolean }) => c.ruleId === 'S1.13' && !c.done && c.tickable);
      expect(open.length).toBeGreaterThanOrEqual(2);
      for (const item of open) {
        expect((await agent.call('POST', `/api/v1/refunds/${r.id}/checklist`, { ruleId: 'S1.13', itemId: item.id, ticked: true })).status).toBe(204);
      }
      expect((await act(agent, r.id, 'confirm-receipt')).body.error.details.guards[0].missing).toEqual(['寄回的邮费是我们承担还是客户承担']);
      expect((await agent.call('PUT', `/api/v1/refunds/${r.id}/return-postage`, { payer: 'buyer', amountFen: 1000 })).status).toBe(200);
      const done = await act(agent, r.id, 'confirm-receipt');
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.status).toBe('SUCCESS');
    });

    it('S1.15 refusing without the facts and a logged call is refused, naming what is missing; with them it goes through', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 5000 });
      const refused = await act(agent, r.id, 'refuse', { reason: '商品已穿着，影响二次销售', evidence: ['chat-1.png'] });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('GUARD_REFUSAL_FACTS_MISSING');
      expect(refused.body.error.details.guards[0].missing).toEqual(['是否热卖款/主推款与单款评分', '客户的问题', '电话联系客户说明拒绝原因']);
      for (const line of o.lines) {
        expect((await agent.call('PUT', `/api/v1/products/${line.sku}`, { title: line.title, styleCategory: line.style, hotSelling: true, mainPromoted: false, rating: '4.8' })).status).toBe(403);
        const saved = await supervisor.call('PUT', `/api/v1/products/${line.sku}`, { title: line.title, styleCategory: line.style, hotSelling: true, mainPromoted: false, rating: '4.8' });
        expect(saved.status).toBe(200);
      }
      expect((await detail(r.id)).playbook.facts.products.every((p: { known: boolean; hotSelling: boolean }) => p.known && p.hotSelling)).toBe(true);
      // a call that did not get through is not the call S1.15 asks for
      await agent.call('POST', `/api/v1/refunds/${r.id}/contacts`, { channel: 'phone', content: '电话未接通', outcome: 'not_reached' });
      const stillMissing = await act(agent, r.id, 'refuse', { reason: '商品已穿着，影响二次销售', evidence: ['chat-1.png'], buyerProblem: '买家觉得颜色不喜欢' });
      expect(stillMissing.body.error.details.guards[0].missing).toEqual(['电话联系客户说明拒绝原因']);
      await agent.call('POST', `/api/v1/refunds/${r.id}/contacts`, { channel: 'phone', content: '电话说明：鞋已穿着，拒绝原因', outcome: 'reached' });
      const ok = await act(agent, r.id, 'refuse', { reason: '商品已穿着，影响二次销售', evidence: ['chat-1.png'], buyerProblem: '买家觉得颜色不喜欢' });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.status).toBe('SELLER_REFUSE_BUYER');
    });

    it('S1.16 an order remarked "客户申请了售后退款" before this refund: agreeing it is refused, even with no other refund on record', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'finished');
      await agent.call('POST', `/api/v1/orders/${o.orderNo}/remarks`, { text: '客户申请了售后退款（线下已退）', flag: 1 });
      ctx.clock.set(new Date(start.getTime() + 60_000));
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1000 });
      const refused = await act(agent, r.id, 'agree');
      expect(refused.body.error.code).toBe('GUARD_ALREADY_REFUNDED');
    });

    it('S1.16 a second refund on an order remarked "客户申请了售后退款" is refused', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'finished');
      const first = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1000, lineNo: 1 });
      expect((await act(agent, first.id, 'agree')).body.status).toBe('SUCCESS');
      await agent.call('POST', `/api/v1/orders/${o.orderNo}/remarks`, { text: '客户申请了售后退款', flag: 1 });
      ctx.clock.set(new Date(start.getTime() + 3_600_000));
      const second = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1000, lineNo: 2 });
      const refused = await act(agent, second.id, 'agree');
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('GUARD_ALREADY_REFUNDED');
    });

    it('S1.1 the unshipped batch: collected before the cut-off, sent (orders remarked "已经提交未发退"), voided by the warehouse, then refunded with the amount confirmed; exports and print', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'paid');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted' });
      const early = await act(agent, r.id, 'agree', { confirmedAmountFen: r.amountFen });
      expect(early.body.error.code).toBe('GUARD_UNSHIPPED_NOT_VOIDED');
      const batch = (await agent.call('POST', '/api/v1/unshipped-batches/collect')).body;
      expect(batch).toMatchObject({ status: 'open', businessDate: '2026-11-02', cutoffAt: '2026-11-02T01:00:00.000Z' });
      expect(batch.lines.map((l: { refundId: number }) => l.refundId)).toContain(r.id);
      expect((await warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/${r.id}`, { status: 'voided' })).status).toBe(409);
      const sent = await agent.call('POST', `/api/v1/unshipped-batches/${batch.id}/send`, { version: batch.version });
      expect(sent.body.status).toBe('sent');
      const remarks = (await api.get('agent', `/api/v1/orders/${o.orderNo}/remarks`)).body.map((x: { text: string }) => x.text);
      expect(remarks).toContain('已经提交未发退');
      const csv = await agent.call('GET', `/api/v1/unshipped-batches/${batch.id}?format=csv`);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      expect(String(csv.headers['content-disposition'])).toContain('filename="unshipped-2026-11-02.csv"');
      const csvRows = parse(csv.raw, { bom: true }) as string[][];
      expect(csvRows[0]).toEqual(['订单编号', '退款编号', '退款金额（元）', '状态', '标记时间']);
      expect(csvRows.find((row) => row[0] === o.orderNo)).toEqual([o.orderNo, String(r.id), formatYuan(r.amountFen), '待仓库作废', '']);
      const xlsx = await agent.call('GET', `/api/v1/unshipped-batches/${batch.id}?format=xlsx`);
      expect(String(xlsx.headers['content-disposition'])).toContain('filename="unshipped-2026-11-02.xlsx"');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.raw as unknown as ExcelJS.Buffer);
      const ws = book.worksheets[0] as ExcelJS.Worksheet;
      expect(ws.name).toBe('未发退 2026-11-02');
      expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['订单编号', '退款编号', '退款金额（元）', '状态', '标记时间']);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      const line = ws.getRows(2, ws.rowCount - 1)?.find((row) => row.getCell(1).value === o.orderNo) as ExcelJS.Row;
      expect(line.getCell(2).value).toBe(r.id);
      expect(line.getCell(3).value).toBe(r.amountFen / 100);
      expect(line.getCell(3).numFmt).toBe('0.00');
      const print = await agent.call('GET', `/api/v1/unshipped-batches/${batch.id}?format=print`);
      expect(String(print.body)).toContain('未发退');
      const voided = await warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/${r.id}`, { status: 'voided' });
      expect(voided.status).toBe(200);
      const noAmount = await act(agent, r.id, 'agree');
      expect(noAmount.body.error.code).toBe('GUARD_AMOUNT_NOT_CONFIRMED');
      const wrongAmount = await act(agent, r.id, 'agree', { confirmedAmountFen: r.amountFen - 1 });
      expect(wrongAmount.body.error.code).toBe('GUARD_AMOUNT_NOT_CONFIRMED');
      const ok = await act(agent, r.id, 'agree', { confirmedAmountFen: r.amountFen });
      expect(ok.body.status).toBe('SUCCESS');
    });

    it('S1.1 a line the warehouse says already left takes the S2.2 path: the order is marked shipped and the refund closes; the batch freezes at the cut-off', async () => {
      ctx.clock.set(new Date('2026-11-03T00:10:00.000Z')); // Tue 08:10 Shanghai
      await signInAll();
      const o = await makeOrder(ctx, f, 'paid');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'wrong_order' });
      const collected = await agent.call('POST', '/api/v1/unshipped-batches/collect');
      expect(collected.status, JSON.stringify(collected.body)).toBe(200);
      const batch = collected.body;
      expect(batch.businessDate).toBe('2026-11-03');
      ctx.clock.set(new Date('2026-11-03T01:05:00.000Z')); // 09:05: past the cut-off
      const next = (await agent.call('POST', '/api/v1/unshipped-batches/collect')).body;
      expect(next.businessDate).toBe('2026-11-04');
      const frozen = (await agent.call('GET', `/api/v1/unshipped-batches/${batch.id}`)).body;
      expect(frozen.status).toBe('frozen');
      const noTracking = await warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/${r.id}`, { status: 'already_shipped' });
      expect(noTracking.status).toBe(400);
      const shipped = await warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/${r.id}`, { status: 'already_shipped', courier: '中通快递', trackingNo: 'ZT445566' });
      expect(shipped.status).toBe(200);
      expect((await detail(r.id)).status).toBe('CLOSED');
      expect((await api.get('agent', `/api/v1/orders/${o.orderNo}`)).body.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
    });

    it('S1.1 at the cut-off the batch freezes by itself with every refund applied before it; a withdrawn refund is dropped; each order is remarked once', async () => {
      ctx.clock.set(new Date('2026-11-09T00:20:00.000Z')); // Mon 08:20 Shanghai
      await signInAll();
      const two = await makeOrder(ctx, f, 'paid');
      const a = await apply(two.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted', lineNo: 1 });
      await apply(two.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted', lineNo: 2 });
      const gone = await makeOrder(ctx, f, 'paid');
      const w = await apply(gone.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'wrong_order' });
      const batch = (await agent.call('POST', '/api/v1/unshipped-batches/collect')).body;
      expect(batch.lines).toHaveLength(3);
      await api.act('buyer', w.id, 'withdraw');
      ctx.clock.set(new Date('2026-11-09T00:50:00.000Z')); // 08:50: applied before the cut-off, after the last collect
      const late = await makeOrder(ctx, f, 'paid');
      const l = await apply(late.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted' });
      ctx.clock.set(new Date('2026-11-09T01:00:30.000Z')); // 09:00:30
      expect(await freezeDueBatches(ctx)).toBe(1);
      const frozen = (await agent.call('GET', `/api/v1/unshipped-batches/${batch.id}`)).body;
      expect(frozen.status).toBe('frozen');
      expect(frozen.lines.map((x: { refundId: number }) => x.refundId).sort()).toEqual([a.id, a.id + 1, l.id].sort());
      const remarksOf = async (orderNo: string) => (await api.get('agent', `/api/v1/orders/${orderNo}/remarks`)).body.map((x: { text: string }) => x.text);
      expect((await remarksOf(two.orderNo)).filter((t: string) => t === '已经提交未发退')).toHaveLength(1);
      expect(await remarksOf(gone.orderNo)).not.toContain('已经提交未发退');
      expect(await remarksOf(late.orderNo)).toContain('已经提交未发退');
      expect((await agent.call('POST', `/api/v1/unshipped-batches/${batch.id}/send`, { version: frozen.version })).status).toBe(409);
      // one warehouse mark per line, even when two arrive together
      const marks = await Promise.all([
        warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/${l.id}`, { status: 'voided' }),
        warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/${l.id}`, { status: 'voided' }),
      ]);
      expect(marks.map((m) => m.status).sort()).toEqual([200, 409]);
    });

    it('S1.7 a lost parcel: the claim form with every field, stamped by finance, filed (order remarked "索赔单已开"), compensated, the buyer\'s choice, closed; printable', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'shipped');
      const missing = await agent.call('POST', '/api/v1/records/claim', { orderNo: o.orderNo, sku: 'XZ-2061' });
      expect(missing.status).toBe(400);
      const claim = await agent.call('POST', '/api/v1/records/claim', {
        orderNo: o.orderNo,
        sku: 'XZ-2061',
        size: '37',
        courier: '中通快递',
        trackingNo: 'ZT1000',
        itemPriceFen: 19_900,
      });
      expect(claim.status).toBe(201);
      const id = claim.body.id as number;
      const step = async (who: Session, action: string, body: Record<string, unknown> = {}) => {
        const current = (await who.call('GET', `/api/v1/records/claim/${id}`)).body;
        return who.call('POST', `/api/v1/records/claim/${id}/${action}`, { version: current.version, ...body });
      };
      expect((await step(agent, 'stamp')).status).toBe(403);
      expect((await step(finance, 'stamp')).body.status).toBe('stamped');
      expect((await step(agent, 'file')).body.status).toBe('filed');
      const remarks = (await api.get('agent', `/api/v1/orders/${o.orderNo}/remarks`)).body.map((x: { text: string }) => x.text);
      expect(remarks).toContain('索赔单已开');
      expect((await step(agent, 'record_buyer_choice', { buyerChoice: { choice: 'reship', trackingNo: 'ZT2000' } })).status).toBe(200);
      expect((await step(agent, 'compensate', { amountFen: 19_900 })).body.status).toBe('compensated');
      expect((await step(agent, 'close')).body.status).toBe('closed');
      const print = await agent.call('GET', `/api/v1/records/claim/${id}?format=print`);
      for (const field of ['订单编号', '货号', '尺码', '物流公司', '物流单号', '宝贝价位']) expect(String(print.body)).toContain(field);
      const list = await agent.call('GET', '/api/v1/records/claim?status=closed');
      expect(list.body.map((r: { id: number }) => r.id)).toContain(id);
    });

    it('S1.8 the invoice book: a company title needs a valid unified social credit code; requested → finance → issued', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'signed');
      const bad = await agent.call('POST', '/api/v1/records/invoice', { orderNo: o.orderNo, titleType: 'company', title: '杭州某某鞋业有限公司', taxId: '91350100M000100Y44', amountFen: 32_800 });
      expect(bad.status).toBe(400);
      const inv = await agent.call('POST', '/api/v1/records/invoice', { orderNo: o.orderNo, titleType: 'company', title: '杭州某某鞋业有限公司', taxId: '91350100M000100Y43', amountFen: 32_800 });
      expect(inv.status).toBe(201);
      const id = inv.body.id as number;
      expect((await agent.call('POST', `/api/v1/records/invoice/${id}/send_to_finance`, { version: 1 })).body.status).toBe('sent_to_finance');
      const issued = await finance.call('POST', `/api/v1/records/invoice/${id}/issue`, { version: 2, number: '25332000000012345678', issueDate: '2026-11-02' });
      expect(issued.status, JSON.stringify(issued.body)).toBe(200);
      expect(issued.body.status).toBe('issued');
    });

    it('S1.14 postage for a quality return: the amount from the shop\'s table, paid by finance, never twice for one refund', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 3000, lineNo: 1 });
      const early = await agent.call('POST', '/api/v1/records/postage', { orderNo: o.orderNo, refundId: r.id, alipayAccount: '13812341234', realName: '李小美' });
      expect(early.body.error.details.reason).toBe('postage_not_owed');
      await act(supervisor, r.id, 'agree', { override: { reason: '质量问题属实，照片为证' } });
      const req = await agent.call('POST', '/api/v1/records/postage', { orderNo: o.orderNo, refundId: r.id, alipayAccount: '13812341234', realName: '李小美' });
      expect(req.status, JSON.stringify(req.body)).toBe(201);
      expect(req.body.amountFen).toBe(1200);
      const twice = await agent.call('POST', '/api/v1/records/postage', { orderNo: o.orderNo, refundId: r.id, alipayAccount: '13812341234', realName: '李小美' });
      expect(twice.body.error.details.reason).toBe('postage_already_requested');
      const paid = await finance.call('POST', `/api/v1/records/postage/${req.body.id}/pay`, { version: 1, paymentRef: 'ALIPAY20261102001' });
      expect(paid.body.status).toBe('paid');
    });

    it('S1.10 a not-as-described case goes to design and merchandise, who answer; S1.17 a complaint reply is kept short', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'not_as_described', amountFen: 19_900, lineNo: 1 });
      const task = await agent.call('POST', '/api/v1/records/department_task', { orderNo: o.orderNo, refundId: r.id, problem: 'heel', description: '鞋跟比页面图片高 1 厘米', photos: ['https://img.example/1.jpg'] });
      expect(task.status, JSON.stringify(task.body)).toBe(201);
      const answered = await design.call('POST', `/api/v1/records/department_task/${task.body.id}/answer`, { version: 1, answer: 'page_fixed', note: '已修改页面鞋跟高度说明' });
      expect(answered.body.status).toBe('answered');
      const complaint = await agent.call('POST', '/api/v1/records/complaint', { source: 'platform', type: '商品质量', content: '买家投诉鞋子开胶', buyerDemands: '全额退款', orderNo: o.orderNo });
      expect(complaint.status).toBe(201);
      const long = await agent.call('POST', `/api/v1/records/complaint/${complaint.body.id}/reply`, { version: 1, text: '亲'.repeat(201) });
      expect(long.status).toBe(400);
      const reply = await agent.call('POST', `/api/v1/records/complaint/${complaint.body.id}/reply`, { version: 1, text: '已核实签收时间与聊天记录，已为买家办理退货退款。' });
      expect(reply.body.status).toBe('replied');
    });

    it('the rule set is data: a supervisor exports, changes and imports it (a new version, recorded on the refunds handled under it); a broken one is refused with its line', async () => {
      const exported = await supervisor.call('GET', '/api/v1/rule-set?format=yaml');
      expect(exported.headers['content-type']).toMatch(/yaml/);
      expect(String(exported.body)).toContain('S1.13');
      expect((await agent.call('PUT', '/api/v1/rule-set', { text: String(exported.body) })).status).toBe(403);
      const broken = `name: 坏的规则\nrules:\n  - id: X1\n    title: 测试\n    when:\n      reason: [not_a_reason]\n    actions: [refund.agree]\n`;
      const refused = await supervisor.call('PUT', '/api/v1/rule-set', { text: broken });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('RULE_SET_INVALID');
      expect(refused.body.error.details.errors[0].line).toBe(6);
      // a shop that drops the S1.5 guard from its rule set
      const parsed = parseRuleSet(String(exported.body));
      if (!parsed.ok) throw new Error('the exported rule set does not parse');
      const relaxedSet = {
        ...parsed.ruleSet,
        name: '放宽 S1.5',
        rules: parsed.ruleSet.rules.map((rule) => {
          const guards = (rule.guards ?? []).filter((g) => g !== 'GUARD_REASON_NEEDS_CHANGE');
          const { guards: _guards, ...rest } = rule;
          return guards.length > 0 ? { ...rest, guards } : rest;
        }),
      };
      const relaxed = serializeRuleSet(relaxedSet as typeof parsed.ruleSet);
      const saved = await supervisor.call('PUT', '/api/v1/rule-set', { text: relaxed });
      expect(saved.status, JSON.stringify(saved.body).slice(0, 500)).toBe(200);
      expect(saved.body.version).toBe(1);
      expect((await agent.call('GET', '/api/v1/rule-set')).body.version).toBe(1);
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'signed');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 1000 });
      expect((await act(agent, r.id, 'agree')).body.status).toBe('SUCCESS');
      const stored = await ctx.db.kysely.selectFrom('refunds').select('rule_set_version').where('id', '=', r.id).executeTakeFirstOrThrow();
      expect(stored.rule_set_version).toBe(1);
      // back to the default
      const again = await supervisor.call('PUT', '/api/v1/rule-set', { text: String(exported.body) });
      expect(again.body.version).toBe(2);
    });

    it('S1.2 the supervisor\'s statistics: by reason and root cause, rates, and CSV/XLSX downloads', async () => {
      const some = (await api.get('agent', '/api/v1/refunds?limit=1')).body.items[0];
      const closedOne = (await api.get('agent', '/api/v1/refunds?status=SUCCESS&limit=1')).body.items[0];
      const prompt = (await detail(closedOne.id)).playbook;
      expect(prompt.checklist.find((c: { id: string }) => c.id === 'S1.2.root_cause')).toMatchObject({ done: false });
      await agent.call('POST', `/api/v1/refunds/${closedOne.id}/root-cause`, { cause: 'quality_defect' });
      expect((await detail(closedOne.id)).playbook.checklist.find((c: { id: string }) => c.id === 'S1.2.root_cause')).toMatchObject({ done: true });
      expect((await agent.call('POST', `/api/v1/refunds/${some.id}/root-cause`, { cause: 'size_small', note: '偏小一码' })).status).toBe(204);
      expect((await detail(some.id)).rootCause).toEqual({ cause: 'size_small', label: '尺码偏小', note: '偏小一码' });
      expect((await api.get('buyer', `/api/v1/refunds/${some.id}`)).body.rootCause ?? null).toBeNull();
      expect((await agent.call('POST', `/api/v1/refunds/${some.id}/root-cause`, { cause: 'not-a-cause' })).status).toBe(400);
      const stats = await supervisor.call('GET', '/api/v1/stats/refunds?from=2026-11-01&to=2026-11-30');
      expect(stats.status).toBe(200);
      expect(stats.body.refunds).toBeGreaterThan(5);
      expect(stats.body.byReason.find((b: { key: string }) => b.key === 'quality').label).toBe('商品质量问题');
      expect(stats.body.byRootCause.find((b: { key: string }) => b.key === 'size_small').refunds).toBe(1);
      expect(stats.body.refusalRate).toBeGreaterThan(0);
      expect(stats.body.bySku.length).toBeGreaterThan(0);
      expect((await agent.call('GET', '/api/v1/stats/refunds?from=2026-11-01&to=2026-11-30')).status).toBe(403);
      const csv = await supervisor.call('GET', '/api/v1/stats/refunds?from=2026-11-01&to=2026-11-30&format=csv');
      expect(String(csv.headers['content-disposition'])).toContain('filename="refund-stats-2026-11-01_2026-11-30.csv"');
      const csvRows = parse(csv.raw, { bom: true, relax_column_count: true }) as string[][];
      expect(csvRows.slice(0, 3)).toEqual([['# 概览'], ['指标', '数值'], ['开始日期', '2026-11-01']]);
      expect(csvRows.find((row) => row[0] === '退款成功金额（元）')).toEqual(['退款成功金额（元）', formatYuan(stats.body.refundedFen)]);
      expect(csvRows.find((row) => row[0] === '退款率')?.[1]).toMatch(/^\d+\.\d\d%$/);
      expect(csvRows.filter((row) => row[0]?.startsWith('# ')).map((row) => row[0])).toEqual(['# 概览', '# 按退款原因', '# 按真实原因', '# 按款式', '# 按货号']);
      const xlsx = await supervisor.call('GET', '/api/v1/stats/refunds?from=2026-11-01&to=2026-11-30&format=xlsx');
      expect(String(xlsx.headers['content-disposition'])).toContain('filename="refund-stats-2026-11-01_2026-11-30.xlsx"');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.raw as unknown as ExcelJS.Buffer);
      expect(book.worksheets.map((w) => w.name)).toEqual(['概览', '按退款原因', '按真实原因', '按款式', '按货号']);
      const overview = book.worksheets[0] as ExcelJS.Worksheet;
      expect(overview.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(overview.getCell('A2').value).toBe('开始日期');
      expect(overview.getCell('B2').value).toEqual(new Date('2026-11-01T00:00:00.000Z'));
      expect(overview.getCell('A6').value).toBe('退款成功金额（元）');
      expect(overview.getCell('B6').value).toBe(stats.body.refundedFen / 100);
      expect(overview.getCell('B6').numFmt).toBe('0.00');
      const byReason = book.worksheets[1] as ExcelJS.Worksheet;
      expect((byReason.getRow(1).values as unknown[]).slice(1)).toEqual(['项目', '代码', '退款笔数', '申请金额（元）']);
      const quality = stats.body.byReason.find((b: { key: string }) => b.key === 'quality');
      const qualityRow = byReason.getRows(2, byReason.rowCount - 1)?.find((row) => row.getCell(2).value === 'quality') as ExcelJS.Row;
      expect(qualityRow.getCell(3).value).toBe(quality.refunds);
      expect(qualityRow.getCell(4).value).toBe(quality.amountFen / 100);
      expect((await supervisor.call('GET', '/api/v1/stats/refunds?from=2026-11-30&to=2026-11-01')).status).toBe(400);
    });

    it('S1.16 agreeing an after-sale refund remarks the order "客户申请了售后退款" by itself, once', async () => {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'finished');
      const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1500 });
      expect((await act(agent, r.id, 'agree')).body.status).toBe('SUCCESS');
      const remarks = (await api.get('agent', `/api/v1/orders/${o.orderNo}/remarks`)).body.map((x: { text: string }) => x.text);
      expect(remarks.filter((t: string) => t === '客户申请了售后退款')).toHaveLength(1);
      expect((await detail(r.id)).playbook.handledUnderVersion).not.toBeNull();
    });

    it('each guard (S1.1, S1.13, S1.15, S1.16) gives way to a supervisor\'s written override, and each override is audited', async () => {
      ctx.clock.set(new Date('2026-11-06T00:00:00.000Z'));
      await signInAll();
      const reason = { override: { reason: '主管核实后特批，理由已记录' } };
      const before = (await ctx.db.kysely.selectFrom('audit_log').select('id').where('action', '=', 'guard.override').execute()).length;
      // S1.1: unshipped, not voided, amount not confirmed
      const paid = await makeOrder(ctx, f, 'paid');
      const r1 = await apply(paid.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted' });
      expect((await act(supervisor, r1.id, 'agree')).body.error.code).toBe('GUARD_UNSHIPPED_NOT_VOIDED');
      expect((await act(supervisor, r1.id, 'agree', reason)).body.status).toBe('SUCCESS');
      // S1.13: a return confirmed before the three looks
      const signed = await makeOrder(ctx, f, 'signed');
      const r2 = await apply(signed.orderNo, { type: 'return_and_refund', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1000 });
      await act(agent, r2.id, 'agree');
      await api.act('buyer', r2.id, 'return-shipment', { courier: '韵达', trackingNo: 'YD9' });
      expect((await act(supervisor, r2.id, 'confirm-receipt')).body.error.code).toBe('GUARD_RETURN_NOT_CHECKED');
      expect((await act(supervisor, r2.id, 'confirm-receipt', reason)).body.status).toBe('SUCCESS');
      // S1.15: a refusal without the facts
      const signed2 = await makeOrder(ctx, f, 'signed', { lines: [{ sku: 'NEW-1', title: '新款', style: '凉鞋', size: '38', unitPriceFen: 9_900, quantity: 1 }], paidFen: 9_900 });
      const r3 = await apply(signed2.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 1000 });
      expect((await act(supervisor, r3.id, 'refuse', { reason: '已穿着', evidence: ['c.png'] })).body.error.code).toBe('GUARD_REFUSAL_FACTS_MISSING');
      expect((await act(supervisor, r3.id, 'refuse', { reason: '已穿着', evidence: ['c.png'], ...reason })).body.status).toBe('SELLER_REFUSE_BUYER');
      // S1.16: a second after-sale refund
      const done = await makeOrder(ctx, f, 'finished');
      const a = await apply(done.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1000, lineNo: 1 });
      await act(agent, a.id, 'agree');
      ctx.clock.set(new Date('2026-11-06T01:00:00.000Z'));
      const b = await apply(done.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1000, lineNo: 2 });
      expect((await act(supervisor, b.id, 'agree')).body.error.code).toBe('GUARD_ALREADY_REFUNDED');
      expect((await act(supervisor, b.id, 'agree', reason)).body.status).toBe('SUCCESS');
      const after = (await ctx.db.kysely.selectFrom('audit_log').select('id').where('action', '=', 'guard.override').execute()).length;
      expect(after - before).toBe(4);
    });

    describe('the seed\'s five examples', () => {
      it('如1 the buyer refused delivery: the courier recalls the parcel, the buyer is told, and it is remarked for the next shift (S1.19)', async () => {
        ctx.clock.set(start);
        const o = await makeOrder(ctx, f, 'shipped');
        const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted' });
        await agent.call('POST', `/api/v1/orders/${o.orderNo}/remarks`, { text: '客户拒签', flag: 2 });
        expect((await detail(r.id)).playbook.rules.map((x: { id: string }) => x.id)).toContain('S1.19');
        const task = await agent.call('POST', '/api/v1/records/courier_task', { kind: 'recall', orderNo: o.orderNo, refundId: r.id, courier: '中通快递', trackingNo: o.shipment!.trackingNo });
        expect(task.status).toBe(201);
        type Item = { id: string; done: boolean; doneBy: string | null; source: { kind: string; text: string | null } | null };
        const item = async (id: string) => ((await detail(r.id)).playbook.checklist as Item[]).find((c) => c.id === id);
        // an open task is not yet the courier's answer
        expect((await item('S1.19.recall'))?.done).toBe(false);
        const done = await agent.call('POST', `/api/v1/records/courier_task/${task.body.id}/complete`, {
          version: 1,
          outcome: '快递已追回，退回仓库',
          buyerToldVia: 'phone',
          handoverRemark: '已追件，买家知悉，请对班留意退款',
        });
        expect(done.body.status).toBe('done');
        const remarks = (await api.get('agent', `/api/v1/orders/${o.orderNo}/remarks`)).body.map((x: { text: string }) => x.text);
        expect(remarks.some((t: string) => t.includes('已追件'))).toBe(true);
        // issue 15 §1: the recall ticks itself from the task, and says so; the handover remark ticks the remark item
        const recall = await item('S1.19.recall');
        expect(recall).toMatchObject({ done: true, doneBy: 'facts', source: { kind: 'courier_task', text: '快递已追回，退回仓库' } });
        expect((await item('S1.19.remark'))?.done).toBe(true);
      });

      it('如2 an after-sale refund: ask whether worn, guide the reason, remark "客户申请了售后退款", agree (S1.16, S1.20)', async () => {
        ctx.clock.set(start);
        const o = await makeOrder(ctx, f, 'finished');
        const r = await apply(o.orderNo, { type: 'return_and_refund', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 19_900, lineNo: 1 });
        const d = await detail(r.id);
        expect(d.phase).toBe('after_sale');
        expect(d.playbook.rules.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['S1.16']));
        await agent.call('POST', `/api/v1/refunds/${r.id}/contacts`, { channel: 'phone', content: '确认未穿着，7天无理由', outcome: 'agreed' });
        await agent.call('POST', `/api/v1/orders/${o.orderNo}/remarks`, { text: '客户申请了售后退款', flag: 1 });
        const agreed = await act(agent, r.id, 'agree');
        expect(agreed.status, JSON.stringify(agreed.body)).toBe(200);
        expect(agreed.body.status).toBe('WAIT_BUYER_RETURN_GOODS');
        // the agent's own remark counts: no second one
        const remarks = (await api.get('agent', `/api/v1/orders/${o.orderNo}/remarks`)).body.map((x: { text: string }) => x.text);
        expect(remarks.filter((t: string) => t === '客户申请了售后退款')).toHaveLength(1);
      });

      it('如3 every morning the unshipped refunds go to the warehouse before it prints labels (S1.1, covered above) and a complaint is answered briefly (S1.17)', async () => {
        ctx.clock.set(new Date('2026-11-05T00:00:00.000Z'));
        await signInAll();
        const o = await makeOrder(ctx, f, 'paid');
        const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted' });
        const batch = (await agent.call('POST', '/api/v1/unshipped-batches/collect')).body;
        expect(batch.lines.some((l: { refundId: number }) => l.refundId === r.id)).toBe(true);
        const sent = (await agent.call('POST', `/api/v1/unshipped-batches/${batch.id}/send`, { version: batch.version })).body;
        expect(sent.status).toBe('sent');
        expect((await warehouse.call('POST', `/api/v1/unshipped-batches/${batch.id}/lines/${r.id}`, { status: 'voided' })).status).toBe(200);
        expect((await act(agent, r.id, 'agree', { confirmedAmountFen: r.amountFen })).body.status).toBe('SUCCESS');
        const complaint = await agent.call('POST', '/api/v1/records/complaint', { source: 'platform', type: '发货问题', content: '买家投诉未发货', buyerDemands: '退款', orderNo: o.orderNo });
        expect(complaint.body.status).toBe('open');
        const replied = await agent.call('POST', `/api/v1/records/complaint/${complaint.body.id}/reply`, { version: 1, text: '订单未发货，已按买家要求全额退款。' });
        expect(replied.body.status).toBe('replied');
        const closed = await agent.call('POST', `/api/v1/records/complaint/${complaint.body.id}/close`, { version: 2, outcome: '买家撤销投诉' });
        expect(closed.body.status).toBe('closed');
      });

      it('如4 the reason decides the handling: 7天无理由 is agreed at once, 收到商品不符 needs the buyer to change it first', async () => {
        ctx.clock.set(start);
        const a = await makeOrder(ctx, f, 'signed');
        const b = await makeOrder(ctx, f, 'signed');
        const seven = await apply(a.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1000 });
        const notAs = await apply(b.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'not_as_described', amountFen: 1000 });
        expect((await act(agent, seven.id, 'agree')).body.status).toBe('SUCCESS');
        expect((await act(agent, notAs.id, 'agree')).body.error.code).toBe('GUARD_REASON_NEEDS_CHANGE');
        expect((await detail(notAs.id)).playbook.templates).toContain('ask_change_reason');
        const text = await agent.call('POST', `/api/v1/refunds/${notAs.id}/templates/ask_change_reason`, { values: {} });
        expect(text.status, JSON.stringify(text.body)).toBe(200);
        expect(text.body.text).toContain(b.orderNo);
      });

      it('如5 when talks fail the buyer applies refund-only for the full amount: read the remarks and chat records first (S1.21)', async () => {
        ctx.clock.set(start);
        const o = await makeOrder(ctx, f, 'signed');
        const r = await apply(o.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: o.paidFen });
        const d = await detail(r.id);
        expect(d.amountFen).toBe(o.paidFen);
        expect(d.playbook.rules.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['S1.21', 'S1.5']));
      });
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`the supervisor's statistics, computed by hand [${dialect}]`, () => {
    it('S1.2 refund, refusal and retention rates, per style with a whole-order refund shared by line value, and only the seller\'s missed deadlines', async () => {
      const t0 = new Date('2026-11-10T02:00:00.000Z');
      const ctx = await createTestContext(dialect, t0);
      try {
        const f = await setupShop(ctx, 'stats');
        const app = await buildServer({ ctx });
        const api = client(app, f);
        const apply = async (orderNo: string, body: Record<string, unknown>) => (await api.post('buyer', '/api/v1/refunds', { orderNo, ...body })).body as { id: number };
        const a = await makeOrder(ctx, f, 'signed');
        const b = await makeOrder(ctx, f, 'signed');
        await makeOrder(ctx, f, 'signed');
        const d = await makeOrder(ctx, f, 'signed');
        const ra = await apply(a.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 32_800 });
        await api.act('agent', ra.id, 'agree');
        const rb = await apply(b.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 5000, lineNo: 1 });
        await api.post('agent', `/api/v1/refunds/${rb.id}/retention`, { offer: 'promotion', detail: '推荐双十一活动款', outcome: 'pending' });
        await api.post('agent', `/api/v1/refunds/${rb.id}/retention`, { offer: 'other_style', detail: '换了一双平底鞋', outcome: 'kept' });
        await api.act('agent', rb.id, 'refuse', { reason: '已穿着', evidence: ['chat.png'] });
        await api.act('buyer', rb.id, 'withdraw');
        await apply(d.orderNo, { type: 'refund_only', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1000 });
        ctx.clock.set(new Date(t0.getTime() + 73 * 3_600_000));
        expect(await sweepDueDeadlines(ctx)).toBe(1); // the seller missed its answer: agreed automatically
        const s = (await api.get('supervisor', '/api/v1/stats/refunds?from=2026-11-10&to=2026-11-14')).body;
        expect(s).toMatchObject({ orders: 4, refunds: 3, refundedFen: 33_800, refundRate: 0.75, refusalRate: 0.3333, interventionRate: 0, missedDeadlines: 1 });
        expect(s.retention).toEqual({ refunds: 1, kept: 1, rate: 1 });
        expect(s.byStyle).toEqual([
          { key: '单鞋', label: '单鞋', refunds: 3, amountFen: 19_900 + 5000 + 607 },
          { key: '板鞋', label: '板鞋', refunds: 2, amountFen: 12_900 + 393 },
        ]);
        const empty = (await api.get('supervisor', '/api/v1/stats/refunds?from=2026-12-01&to=2026-12-02')).body;
        expect(empty).toMatchObject({ orders: 0, refunds: 0, refundRate: null });
        await app.close();
      } finally {
        await ctx.close();
      }
    });
  });
}
