/**
 * S1.13 the three looks (三看) over HTTP, on each database (issue 13 §4, issue 15 §1): what the
 * system knows (the warehouse's arrival record, the warehouse's remark) ticks itself and says where
 * it comes from; who pays the return postage is a value (buyer or shop, the amount in fen), not a
 * tick; and the guard refuses with exactly the list the receipt dialog shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';
import { addUsers, signInAs, type Session } from './support/users.ts';

interface Item {
  id: string;
  ruleId: string;
  text: string;
  done: boolean;
  doneBy: string | null;
  tickable: boolean;
  source: { kind: string; id: number | null; at: string | null; by: string | null; text: string | null } | null;
}

for (const dialect of DIALECTS) {
  describe(`S1.13 the three looks [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let api: ReturnType<typeof client>;
    let agent: Session;
    let supervisor: Session;
    let warehouse: Session;
    const start = new Date('2026-11-02T02:00:00.000Z');

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      f = await setupShop(ctx, 'looks', {}, 'default');
      await addUsers(ctx, f.shop.id, 'l', ['agent', 'supervisor', 'warehouse']);
      app = await buildServer({ ctx });
      api = client(app, f);
      agent = await signInAs(app, 'agent-l');
      supervisor = await signInAs(app, 'supervisor-l');
      warehouse = await signInAs(app, 'warehouse-l');
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    const detail = async (id: number) => (await agent.call('GET', `/api/v1/refunds/${id}`)).body;
    const items = async (id: number): Promise<Record<string, Item>> =>
      Object.fromEntries(((await detail(id)).playbook.checklist as Item[]).filter((c) => c.ruleId === 'S1.13').map((c) => [c.id, c]));
    const confirm = async (who: Session, id: number) => who.call('POST', `/api/v1/refunds/${id}/confirm-receipt`, { version: (await detail(id)).version });

    /** a return the buyer has sent back: waiting for the seller to confirm it */
    async function sentBack(): Promise<number> {
      ctx.clock.set(start);
      const o = await makeOrder(ctx, f, 'signed');
      const r = await api.post('buyer', '/api/v1/refunds', { orderNo: o.orderNo, lineNo: 1, type: 'return_and_refund', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 19_900 });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect((await agent.call('POST', `/api/v1/refunds/${r.body.id}/agree`, { version: r.body.version })).status).toBe(200);
      expect((await api.act('buyer', r.body.id, 'return-shipment', { courier: '圆通速递', trackingNo: 'YT9900112233' })).status).toBe(200);
      return r.body.id as number;
    }

    it("S1.13 the warehouse's arrival record and its remark tick their items by themselves, saying where they come from", async () => {
      const id = await sentBack();
      const before = await items(id);
      expect(before['S1.13.arrived']).toMatchObject({ done: false, tickable: false, source: null });
      expect(before['S1.13.look2']).toMatchObject({ done: false, source: null });
      const arrival = await warehouse.call('POST', `/api/v1/refunds/${id}/return-arrival`, { condition: 'resellable', note: '鞋盒完好' });
      expect(arrival.status).toBe(201);
      const after = await items(id);
      expect(after['S1.13.arrived']).toMatchObject({
        done: true,
        doneBy: 'facts',
        source: { kind: 'return_arrival', id: arrival.body.id, by: expect.stringContaining('warehouse'), text: '不影响二次销售 · 鞋盒完好' },
      });
      expect(after['S1.13.look2']).toMatchObject({
        done: true,
        doneBy: 'facts',
        source: { kind: 'remark', by: expect.stringContaining('warehouse'), text: '仓库已收到客户寄回的鞋（不影响二次销售）' },
      });
      expect(after['S1.13.arrived']!.source!.at).toBe(start.toISOString());
      // the looks only a person takes stay open
      expect(after['S1.13.look1']).toMatchObject({ done: false, tickable: true });
    });

    it("S1.13 a remark the warehouse wrote by hand ticks look 2, naming the remark; the arrival still needs the warehouse's record", async () => {
      const id = await sentBack();
      const orderNo = (await detail(id)).orderNo;
      expect((await warehouse.call('POST', `/api/v1/orders/${orderNo}/remarks`, { text: '仓库已收到退货，鞋盒吊牌完好', flag: 3 })).status).toBe(201);
      const now = await items(id);
      expect(now['S1.13.look2']).toMatchObject({ done: true, doneBy: 'facts', source: { kind: 'remark', text: '仓库已收到退货，鞋盒吊牌完好' } });
      expect(now['S1.13.arrived']).toMatchObject({ done: false });
      // ticking the arrival by hand does not stand for the record
      const tick = await agent.call('POST', `/api/v1/refunds/${id}/checklist`, { ruleId: 'S1.13', itemId: 'S1.13.arrived', ticked: true });
      expect(tick.status).toBe(409);
      expect(tick.body.error.details.reason).toBe('not_a_tick');
    });

    it('S1.13 who pays the return postage is recorded as a value (buyer or shop, the amount in fen), checked, audited, and not a tick', async () => {
      const id = await sentBack();
      const put = (who: Session, body: unknown) => who.call('PUT', `/api/v1/refunds/${id}/return-postage`, body);
      // not a tick
      const tick = await agent.call('POST', `/api/v1/refunds/${id}/checklist`, { ruleId: 'S1.13', itemId: 'S1.13.postage', ticked: true });
      expect(tick.status).toBe(409);
      expect(tick.body.error.details).toMatchObject({ reason: 'not_a_tick', itemId: 'S1.13.postage' });
      expect((await items(id))['S1.13.postage']).toMatchObject({ done: false, tickable: false });
      // checked
      expect((await put(agent, { amountFen: 1000 })).status).toBe(400);
      expect((await put(agent, { payer: 'courier', amountFen: 1000 })).status).toBe(400);
      expect((await put(agent, { payer: 'buyer', amountFen: 12.5 })).status).toBe(400);
      expect((await put(agent, { payer: 'buyer', amountFen: 50_001 })).status).toBe(400);
      const shopsNothing = await put(agent, { payer: 'shop', amountFen: 0 });
      expect(shopsNothing.status).toBe(400);
      expect(shopsNothing.body.error.details.field).toBe('amountFen');
      expect((await put(warehouse, { payer: 'buyer', amountFen: 1000 })).status).toBe(403);
      // recorded
      const buyers = await put(agent, { payer: 'buyer', amountFen: 1000, note: '七天无理由，邮费客户承担' });
      expect(buyers.status, JSON.stringify(buyers.body)).toBe(200);
      expect(buyers.body).toMatchObject({ payer: 'buyer', amountFen: 1000, note: '七天无理由，邮费客户承担', by: expect.stringContaining('agent'), at: start.toISOString() });
      const d = await detail(id);
      expect(d.returnPostage).toMatchObject({ payer: 'buyer', amountFen: 1000 });
      expect(d.playbook.checklist.find((c: Item) => c.id === 'S1.13.postage')).toMatchObject({
        done: true,
        doneBy: 'facts',
        source: { kind: 'return_postage', text: '邮费由客户承担 ¥10.00' },
      });
      // changed: the latest value holds, each change audited
      expect((await put(supervisor, { payer: 'shop', amountFen: 1200 })).status).toBe(200);
      expect((await detail(id)).returnPostage).toMatchObject({ payer: 'shop', amountFen: 1200, note: null });
      const audit = await ctx.db.kysely.selectFrom('audit_log').select(['details']).where('action', '=', 'refund.return_postage').where('target_id', '=', String(id)).orderBy('id').execute();
      expect(audit.map((a) => JSON.parse(a.details))).toEqual([
        { payer: 'buyer', amountFen: 1000, note: '七天无理由，邮费客户承担', previous: null },
        { payer: 'shop', amountFen: 1200, note: null, previous: { payer: 'buyer', amountFen: 1000 } },
      ]);
      // a refund-only has no parcel coming back
      const o = await makeOrder(ctx, f, 'signed');
      const only = await api.post('buyer', '/api/v1/refunds', { orderNo: o.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 1000 });
      const notReturn = await agent.call('PUT', `/api/v1/refunds/${only.body.id}/return-postage`, { payer: 'buyer', amountFen: 0 });
      expect(notReturn.status).toBe(409);
      expect(notReturn.body.error.details.reason).toBe('not_a_return');
    });

    it('S1.13 the guard refuses with exactly the list the receipt dialog shows; a known arrival is never listed missing; with the looks and the postage, refunded', async () => {
      const id = await sentBack();
      const early = await confirm(agent, id);
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('GUARD_RETURN_NOT_CHECKED');
      const check = (await detail(id)).playbook.returnCheck;
      expect(early.body.error.details.guards[0].missing).toEqual(check.missing);
      expect(check.missing).toEqual(check.items.filter((c: Item) => !c.done).map((c: Item) => c.text));
      expect(check.missing).toContain('仓库已收到客户寄回的鞋');

      await warehouse.call('POST', `/api/v1/refunds/${id}/return-arrival`, { condition: 'resellable' });
      const arrived = await confirm(agent, id);
      const known = (await detail(id)).playbook.returnCheck;
      expect(arrived.body.error.details.guards[0].missing).toEqual(known.missing);
      // what the dialog shows as known (the arrival, the warehouse's remark) is never in the guard's list
      const knownTexts = known.items.filter((c: Item) => c.done).map((c: Item) => c.text);
      expect(knownTexts).toEqual(expect.arrayContaining(['仓库已收到客户寄回的鞋', '第二看备注是否有仓库的备注收到客户寄回鞋，鞋是否不影响二次销售']));
      for (const text of knownTexts) expect(arrived.body.error.details.guards[0].missing).not.toContain(text);
      expect(known.missing).toEqual(['第一先看客户签收时间、鞋的款式、鞋是否是质量问题寄回退换和聊天记录', '第三看客户所申请的类型和退款原因及金额', '寄回的邮费是我们承担还是客户承担']);

      for (const itemId of ['S1.13.look1', 'S1.13.look3']) {
        expect((await agent.call('POST', `/api/v1/refunds/${id}/checklist`, { ruleId: 'S1.13', itemId, ticked: true })).status).toBe(204);
      }
      const noPostage = await confirm(agent, id);
      expect(noPostage.body.error.details.guards[0].missing).toEqual(['寄回的邮费是我们承担还是客户承担']);
      expect((await agent.call('PUT', `/api/v1/refunds/${id}/return-postage`, { payer: 'buyer', amountFen: 1000 })).status).toBe(200);
      expect((await detail(id)).playbook.returnCheck.missing).toEqual([]);
      const done = await confirm(agent, id);
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.status).toBe('SUCCESS');
    });
  });
}
