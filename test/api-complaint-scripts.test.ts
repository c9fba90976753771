/**
 * S4.7/S4.8 over the API, on each database: a phone complaint recorded with
 * its case (dead on arrival), its script in the answer, the escalation to
 * malicious with what, why and the demands, the coordination with the
 * telecom operator (malicious only), and closing, after which nothing moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';

for (const dialect of DIALECTS) {
  describe(`S4.7/S4.8 complaint scripts, escalation and the telecom operator [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let api: ReturnType<typeof client>;
    const start = new Date('2026-11-02T02:00:00.000Z');
    const established = { what: '买家称手机到货即坏，开机黑屏', why: '不认可我方出具的检测报告，认为拖延换新', demands: '全额退款并赔偿 300 元' };
    const coordination = { operator: '中国电信石家庄裕华营业厅', contact: '李经理', agreed: '营业厅代为检测，属实即换新机头，买家撤诉' };

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      f = await setupShop(ctx, 'shop-a');
      app = await buildServer({ ctx });
      api = client(app, f);
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    const url = (id: number, action = '') => `/api/v1/records/complaint/${id}${action ? `/${action}` : ''}`;

    it('S4.7 records a dead-on-arrival phone complaint and answers its script; an unknown case is refused', async () => {
      const order = await makeOrder(ctx, f, 'signed');
      const bad = await api.post('agent', '/api/v1/records/complaint', {
        source: 'phone',
        type: '质量问题',
        content: '手机刚收到就开不了机',
        buyerDemands: '换新',
        phoneCase: 'broken',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toMatchObject({ reason: 'phone_case_unknown_value', field: 'phoneCase' });

      const created = await api.post('agent', '/api/v1/records/complaint', {
        source: 'phone',
        type: '质量问题',
        content: '手机刚收到，未经使用便出现故障',
        buyerDemands: '退货退款',
        orderNo: order.orderNo,
        phoneCase: 'dead_on_arrival',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.data).toMatchObject({ phoneCase: 'dead_on_arrival', severity: 'ordinary', operatorCoordinations: [] });

      const got = await api.get('agent', url(created.body.id));
      expect(got.status).toBe(200);
      expect(got.body.scripts.map((s: { key: string }) => s.key)).toEqual(['dead_on_arrival']);
      expect(got.body.scripts[0]).toMatchObject({ rule: 'S4.7', steps: [{ key: 'soothe', 'zh-CN': '先予安抚用户' }, { key: 'ask' }, { key: 'card' }, { key: 'rules' }] });
      // coordination is for malicious complaints only: not offered yet
      expect(got.body.allowedActions).toEqual(['reply', 'escalate']);
    });

    it('S4.8 coordination before escalation is 409; escalation needs what, why and demands (400 without); then the operator; close is final', async () => {
      const created = await api.post('agent', '/api/v1/records/complaint', {
        source: 'platform',
        type: '质量问题',
        content: '到货即坏，买家不认可检测报告',
        buyerDemands: '退款',
        phoneCase: 'report_rejected',
      });
      expect(created.status).toBe(201);
      const id = created.body.id as number;

      const early = await api.post('agent', url(id, 'coordinate_operator'), { version: 1, ...coordination });
      expect(early.status).toBe(409);
      expect(early.body.error).toMatchObject({ code: 'ACTION_NOT_ALLOWED', details: { reason: 'not_malicious' } });

      const bare = await api.post('agent', url(id, 'escalate'), { version: 1 });
      expect(bare.status).toBe(400);
      expect(bare.body.error.details.issues.map((i: { reason: string }) => i.reason)).toEqual(['what_required', 'why_required', 'demands_required']);
      const oldStyle = await api.post('agent', url(id, 'escalate'), { version: 1, note: '买家要求额外赔偿，否则持续投诉' });
      expect(oldStyle.status).toBe(400);
      const tooLong = await api.post('agent', url(id, 'escalate'), { version: 1, ...established, why: '拖'.repeat(501) });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.details).toMatchObject({ reason: 'why_too_long', limit: 500 });

      const escalated = await api.post('supervisor', url(id, 'escalate'), { version: 1, ...established });
      expect(escalated.status, JSON.stringify(escalated.body)).toBe(200);
      expect(escalated.body.data).toMatchObject({ severity: 'malicious', escalation: established });

      const after = await api.get('agent', url(id));
      expect(after.body.scripts.map((s: { key: string }) => s.key)).toEqual(['report_rejected', 'malicious', 'operator_coordination']);
      expect(after.body.allowedActions).toEqual(['reply', 'coordinate_operator']);

      const forbidden = await api.post('warehouse', url(id, 'coordinate_operator'), { version: 2, ...coordination });
      expect(forbidden.status).toBe(403);
      const incomplete = await api.post('agent', url(id, 'coordinate_operator'), { version: 2, operator: '中国电信营业厅' });
      expect(incomplete.status).toBe(400);
      expect(incomplete.body.error.details.issues.map((i: { reason: string }) => i.reason)).toEqual(['contact_required', 'agreed_required']);

      const coordinated = await api.post('agent', url(id, 'coordinate_operator'), { version: 2, ...coordination });
      expect(coordinated.status, JSON.stringify(coordinated.body)).toBe(200);
      expect(coordinated.body).toMatchObject({ status: 'open', version: 3 });
      expect(coordinated.body.data.operatorCoordinations).toEqual([{ ...coordination, at: start.toISOString() }]);

      const replied = await api.post('agent', url(id, 'reply'), { version: 3, text: '已与电信营业厅协调，营业厅代为检测，属实即换新。' });
      expect(replied.status).toBe(200);
      const closed = await api.post('agent', url(id, 'close'), { version: 4, outcome: '营业厅检测属实，已换新机头，买家撤诉' });
      expect(closed.status).toBe(200);
      expect(closed.body.status).toBe('closed');

      const again = await api.post('agent', url(id, 'coordinate_operator'), { version: 5, ...coordination });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'ACTION_NOT_ALLOWED', details: { reason: 'transition_not_allowed' } });

      const history = await api.get('agent', url(id));
      expect(history.body.allowedActions).toEqual([]);
      expect(history.body.events.map((e: { action: string }) => e.action)).toEqual(['create', 'escalate', 'coordinate_operator', 'reply', 'close']);
      const event = history.body.events.find((e: { action: string }) => e.action === 'coordinate_operator');
      expect(JSON.stringify(event)).toContain('李经理');
    });
  });
}
