/**
 * Issue 15 §2 over HTTP, on each database: the queue's batch actions (claim, assign, remark, agree — each
 * refund its own transaction and audit event, one result per refund), the batch agree limit in the shop
 * settings, the view counts and the export of the current filter.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportShopRefunds } from '../src/app/export/refund-export.ts';
import { actOnRefunds } from '../src/app/refund-batch.ts';
import { isAppError } from '../src/core/errors.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';
import { connectedShop } from './support/platform.ts';
import { addUsers, signInAs, type Session } from './support/users.ts';

interface Result {
  refundId: number;
  orderNo: string | null;
  ok: boolean;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}

for (const dialect of DIALECTS) {
  describe(`the queue's batch actions [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let api: ReturnType<typeof client>;
    let agent: Session;
    let agent2: Session;
    let supervisor: Session;
    let warehouse: Session;
    let presales: Session;
    const start = new Date('2026-11-02T02:00:00.000Z');

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      // the shop's SOP as shipped: the S1.5 guard stops agreeing a quality refund as it stands
      f = await setupShop(ctx, 'batch', {}, 'default');
      await addUsers(ctx, f.shop.id, 'q', ['agent', 'supervisor', 'warehouse', 'presales']);
      await addUsers(ctx, f.shop.id, 'q2', ['agent']);
      app = await buildServer({ ctx });
      api = client(app, f);
      agent = await signInAs(app, 'agent-q');
      agent2 = await signInAs(app, 'agent-q2');
      supervisor = await signInAs(app, 'supervisor-q');
      warehouse = await signInAs(app, 'warehouse-q');
      presales = await signInAs(app, 'presales-q');
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    async function refund(body: Record<string, unknown>, stage: 'signed' | 'paid' = 'signed') {
      const o = await makeOrder(ctx, f, stage);
      const r = await api.post('buyer', '/api/v1/refunds', { orderNo: o.orderNo, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body as { id: number; version: number; orderNo: string; amountFen: number };
    }
    const refundOnly = (reason: string, amountFen: number) => refund({ type: 'refund_only', goodsStatus: 'received', reason, amountFen });
    const batch = (who: Session, body: Record<string, unknown>) => who.call('POST', '/api/v1/refunds/batch', body);
    const audits = async (action: string) => (await ctx.db.kysely.selectFrom('audit_log').select(['target_id', 'details']).where('action', '=', action).execute()).map((a) => a.target_id);
    const whoAmI = async (s: Session) => (await s.call('GET', '/api/v1/session')).body.user.id as number;

    it('claim: each refund claimed in its own transaction and audited; a colleague\'s refund is refused, the others still go through', async () => {
      const [a, b, c] = [await refundOnly('postage', 800), await refundOnly('postage', 900), await refundOnly('postage', 1000)];
      expect((await agent2.call('POST', `/api/v1/refunds/${b.id}/assign`, { userId: await whoAmI(agent2) })).status).toBe(200);
      const res = await batch(agent, { action: 'claim', refundIds: [a.id, b.id, c.id] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ action: 'claim', succeeded: 2, refused: 1 });
      const results = res.body.results as Result[];
      expect(results.map((r) => r.refundId)).toEqual([a.id, b.id, c.id]);
      expect(results[1]).toMatchObject({ ok: false, code: 'REFUND_ALREADY_ASSIGNED', orderNo: b.orderNo });
      const mine = (await agent.call('GET', '/api/v1/refunds?assignee=me&limit=200')).body.items.map((r: { id: number }) => r.id);
      expect(mine).toEqual(expect.arrayContaining([a.id, c.id]));
      expect(mine).not.toContain(b.id);
      expect(await audits('refund.assign')).toEqual(expect.arrayContaining([String(a.id), String(c.id)]));
      // claiming again what one already has changes nothing and is no refusal
      expect((await batch(agent, { action: 'claim', refundIds: [a.id] })).body).toMatchObject({ succeeded: 1, refused: 0 });
    });

    it('assign: to a colleague, and back to the queue (null); a user who does not work refunds is refused per refund', async () => {
      const [a, b] = [await refundOnly('postage', 800), await refundOnly('postage', 900)];
      const colleague = await whoAmI(agent2);
      const given = await batch(supervisor, { action: 'assign', refundIds: [a.id, b.id], assigneeId: colleague });
      expect(given.body).toMatchObject({ succeeded: 2, refused: 0 });
      const theirs = (await agent2.call('GET', '/api/v1/refunds?assignee=me&limit=200')).body.items.map((r: { id: number }) => r.id);
      expect(theirs).toEqual(expect.arrayContaining([a.id, b.id]));
      const back = await batch(supervisor, { action: 'assign', refundIds: [a.id], assigneeId: null });
      expect(back.body).toMatchObject({ succeeded: 1 });
      const wrong = await batch(supervisor, { action: 'assign', refundIds: [b.id], assigneeId: await whoAmI(warehouse) });
      expect((wrong.body.results as Result[])[0]).toMatchObject({ ok: false, code: 'ASSIGNEE_NOT_ELIGIBLE' });
    });

    it('remark: once per order, with its flag, each audited; a too-long remark is refused before anything is written', async () => {
      const a = await refundOnly('postage', 800);
      // a second refund on the same order (its other line)
      const o = await makeOrder(ctx, f, 'signed');
      const l1 = await api.post('buyer', '/api/v1/refunds', { orderNo: o.orderNo, lineNo: 1, type: 'refund_only', goodsStatus: 'received', reason: 'postage', amountFen: 700 });
      const l2 = await api.post('buyer', '/api/v1/refunds', { orderNo: o.orderNo, lineNo: 2, type: 'refund_only', goodsStatus: 'received', reason: 'postage', amountFen: 600 });
      const before = (await audits('order.remark')).length;
      const res = await batch(agent, { action: 'remark', refundIds: [a.id, l1.body.id, l2.body.id], text: '批量备注：已电话联系买家', flag: 3 });
      expect(res.body).toMatchObject({ action: 'remark', succeeded: 3, refused: 0 });
      expect((await audits('order.remark')).length).toBe(before + 2);
      const remarks = (await api.get('agent', `/api/v1/orders/${o.orderNo}/remarks`)).body as { text: string; flag: number }[];
      expect(remarks.filter((r) => r.text === '批量备注：已电话联系买家')).toEqual([expect.objectContaining({ flag: 3 })]);
      const tooLong = await batch(agent, { action: 'remark', refundIds: [a.id], text: '长'.repeat(1001), flag: 0 });
      expect(tooLong.status).toBe(400);
      const badFlag = await batch(agent, { action: 'remark', refundIds: [a.id], text: '好', flag: 9 });
      expect(badFlag.status).toBe(400);
    });

    it('agree: refund-only within the limit goes through its guards; one refused by S1.5 in the guard\'s words, one over the limit, a return, a stale version and an unknown id are reported, the rest agreed', async () => {
      const ok1 = await refundOnly('postage', 800);
      const ok2 = await refundOnly('price_difference', 2000);
      const quality = await refundOnly('quality', 3000);
      const over = await refundOnly('price_difference', 8000);
      const ret = await refund({ type: 'return_and_refund', goodsStatus: 'received', reason: 'no_reason_7d', amountFen: 1000, lineNo: 1 });
      const stale = await refundOnly('postage', 500);
      const ids = [ok1.id, quality.id, over.id, ret.id, stale.id, ok2.id, 2_000_000_000];
      const versions = [ok1.version, quality.version, over.version, ret.version, stale.version + 1, ok2.version, 1];
      const auditBefore = (await audits('refund.agree')).length;
      const res = await batch(agent, { action: 'agree', refundIds: ids, versions });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ action: 'agree', succeeded: 2, refused: 5 });
      const byId = new Map((res.body.results as Result[]).map((r) => [r.refundId, r]));
      expect(byId.get(ok1.id)).toMatchObject({ ok: true, orderNo: ok1.orderNo });
      expect(byId.get(ok2.id)).toMatchObject({ ok: true });
      // the guard's own refusal, as a single agree answers it
      expect(byId.get(quality.id)).toMatchObject({ ok: false, code: 'GUARD_REASON_NEEDS_CHANGE', orderNo: quality.orderNo });
      expect(byId.get(quality.id)!.message).toMatch(/S1\.5/);
      expect((byId.get(quality.id)!.details!.guards as { rule: string }[])[0]!.rule).toBe('S1.5');
      expect(byId.get(over.id)).toMatchObject({ ok: false, code: 'BATCH_AGREE_NOT_ALLOWED', details: { reason: 'over_limit', limitFen: 5000, amountFen: 8000 } });
      expect(byId.get(over.id)!.message).toContain('¥80.00');
      expect(byId.get(ret.id)).toMatchObject({ ok: false, code: 'BATCH_AGREE_NOT_ALLOWED', details: { reason: 'not_refund_only' } });
      expect(byId.get(stale.id)).toMatchObject({ ok: false, code: 'VERSION_CONFLICT', details: { currentVersion: stale.version } });
      expect(byId.get(2_000_000_000)).toMatchObject({ ok: false, code: 'NOT_FOUND', orderNo: null });
      // what went through is agreed with its event and audit row; what was refused is untouched
      const status = async (id: number) => (await api.get('agent', `/api/v1/refunds/${id}`)).body as { status: string; version: number; events: { action: string }[] };
      expect((await status(ok1.id)).status).toBe('SUCCESS');
      expect((await status(ok1.id)).events.map((e) => e.action)).toContain('agree');
      expect((await status(ok2.id)).status).toBe('SUCCESS');
      for (const r of [quality, over, ret, stale]) expect(await status(r.id)).toMatchObject({ status: 'WAIT_SELLER_AGREE', version: r.version });
      expect((await audits('refund.agree')).length).toBe(auditBefore + 2);
    });

    it('the batch agree limit is the supervisor\'s shop setting: validated, 0 turns batch agree off', async () => {
      expect((await agent.call('GET', '/api/v1/shop/settings')).body.batchAgreeLimitFen).toBe(5000);
      expect((await agent.call('PATCH', '/api/v1/shop/settings', { batchAgreeLimitFen: 10000 })).status).toBe(403);
      expect((await supervisor.call('PATCH', '/api/v1/shop/settings', { batchAgreeLimitFen: -1 })).status).toBe(400);
      expect((await supervisor.call('PATCH', '/api/v1/shop/settings', { batchAgreeLimitFen: 1.5 })).status).toBe(400);
      expect((await supervisor.call('PATCH', '/api/v1/shop/settings', { batchAgreeLimitFen: 2_000_000 })).status).toBe(400);
      const r = await refundOnly('price_difference', 8000);
      expect((await supervisor.call('PATCH', '/api/v1/shop/settings', { batchAgreeLimitFen: 10000 })).body.batchAgreeLimitFen).toBe(10000);
      // the settings are cached for a second
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await batch(agent, { action: 'agree', refundIds: [r.id], versions: [r.version] })).body).toMatchObject({ succeeded: 1 });
      expect((await supervisor.call('PATCH', '/api/v1/shop/settings', { batchAgreeLimitFen: 0 })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const small = await refundOnly('postage', 100);
      const off = await batch(agent, { action: 'agree', refundIds: [small.id], versions: [small.version] });
      expect((off.body.results as Result[])[0]).toMatchObject({ ok: false, code: 'BATCH_AGREE_NOT_ALLOWED', details: { reason: 'off' } });
      await supervisor.call('PATCH', '/api/v1/shop/settings', { batchAgreeLimitFen: 5000 });
      await new Promise((resolve) => setTimeout(resolve, 1100));
    });

    it('a role without the permission is refused as for the single action (403, audited), and nothing changes', async () => {
      const r = await refundOnly('postage', 800);
      const denialsBefore = (await audits('permission.denied')).length;
      for (const body of [
        { action: 'claim', refundIds: [r.id] },
        { action: 'remark', refundIds: [r.id], text: '仓库批量备注', flag: 0 },
        { action: 'agree', refundIds: [r.id], versions: [r.version] },
      ]) {
        const res = await batch(warehouse, body);
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
        expect((await batch(presales, body)).status).toBe(403);
      }
      expect((await audits('permission.denied')).length).toBeGreaterThan(denialsBefore);
      expect((await api.get('agent', `/api/v1/refunds/${r.id}`)).body).toMatchObject({ status: 'WAIT_SELLER_AGREE', version: r.version, assignee: null });
      // an API token is nobody: it may not claim, only assign
      expect((await api.post('agent', '/api/v1/refunds/batch', { action: 'claim', refundIds: [r.id] })).status).toBe(400);
    });

    it('the request is checked: 1–100 distinct ids, one version per refund for agree', async () => {
      const r = await refundOnly('postage', 800);
      expect((await batch(agent, { action: 'claim', refundIds: [] })).status).toBe(400);
      expect((await batch(agent, { action: 'claim', refundIds: [r.id, r.id] })).status).toBe(400);
      expect((await batch(agent, { action: 'claim', refundIds: Array.from({ length: 101 }, (_, i) => i + 1) })).status).toBe(400);
      expect((await batch(agent, { action: 'agree', refundIds: [r.id] })).status).toBe(400);
      expect((await batch(agent, { action: 'agree', refundIds: [r.id], versions: [1, 2] })).status).toBe(400);
      expect((await batch(agent, { action: 'refuse', refundIds: [r.id] })).status).toBe(400);
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/refunds/batch', '/api/v1/refunds/count', '/api/v1/refunds/export']));
    });

    it('counts: the same filters as the list, for each of the queue\'s views', async () => {
      const views = [
        'open=true',
        'open=true&status=WAIT_SELLER_AGREE&orderStatus=WAIT_SELLER_SEND_GOODS',
        'status=WAIT_SELLER_CONFIRM_GOODS',
        'status=WAIT_SELLER_AGREE&reason=not_as_described&reason=quality',
        `open=true&deadlineBefore=${encodeURIComponent(new Date(start.getTime() + 24 * 3_600_000).toISOString())}`,
        'assignee=none&open=true',
      ];
      await refund({ type: 'refund_only', goodsStatus: 'not_received', reason: 'unwanted' }, 'paid');
      for (const q of views) {
        const count = await agent.call('GET', `/api/v1/refunds/count?${q}`);
        expect(count.status, q).toBe(200);
        const list = await agent.call('GET', `/api/v1/refunds?${q}&limit=200`);
        expect(count.body.count, q).toBe(list.body.items.length);
      }
      expect((await agent.call('GET', '/api/v1/refunds/count?open=true')).body.count).toBeGreaterThan(5);
      // a buyer counts only their own
      expect((await api.get('buyer', '/api/v1/refunds/count')).status).toBe(200);
      expect((await agent.call('GET', '/api/v1/refunds/count?limit=5')).status).toBe(400);
    });

    it('export: the current filter or the rows selected as XLSX (text that looks like a formula stays text) or CSV; beyond the cap, refused in words', async () => {
      const r = await refund({ type: 'refund_only', goodsStatus: 'received', reason: 'postage', amountFen: 1234, description: '=HYPERLINK("http://evil")' });
      const xlsx = await agent.call('GET', `/api/v1/refunds/export?id=${r.id}`);
      expect(xlsx.status).toBe(200);
      expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
      expect(String(xlsx.headers['content-disposition'])).toMatch(/attachment; filename="refunds-\d{8}-\d{4}\.xlsx"/);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.raw as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      expect(sheet.rowCount).toBe(2);
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual(expect.arrayContaining(['订单编号', '退款编号', '状态', '原因', '退款金额（元）']));
      const row = sheet.getRow(2);
      const col = (name: string) => header.indexOf(name) + 1;
      expect(row.getCell(col('订单编号')).value).toBe(r.orderNo);
      expect(row.getCell(col('退款金额（元）')).value).toBe(12.34);
      expect(row.getCell(col('原因')).value).toBe('退运费');
      expect(row.getCell(col('退款说明')).value).toBe('=HYPERLINK("http://evil")');
      expect(row.getCell(col('退款说明')).formula).toBeUndefined();
      const csv = await agent.call('GET', `/api/v1/refunds/export?id=${r.id}&format=csv`);
      expect(csv.raw.toString('utf8')).toContain(`'=HYPERLINK`);
      // the current filter: every open refund-only refund about postage
      const filtered = await agent.call('GET', '/api/v1/refunds/export?open=true&reason=postage&type=refund_only&format=csv');
      const lines = csv.raw.toString('utf8').trim().split('\r\n');
      expect(lines.length).toBe(2);
      const count = (await agent.call('GET', '/api/v1/refunds/count?open=true&reason=postage&type=refund_only')).body.count as number;
      expect(filtered.raw.toString('utf8').trim().split('\r\n').length).toBe(count + 1);
      // the cap, in words, before reading a row
      const tooMany = await exportShopRefunds(ctx, { actor: f.actors.agent, query: { open: true }, maxRows: 2 }).catch((e: unknown) => e);
      expect(isAppError(tooMany) && tooMany.code).toBe('EXPORT_TOO_LARGE');
      expect((tooMany as Error).message).toMatch(/at most 2/);
      expect((await warehouse.call('GET', '/api/v1/refunds/export')).status).toBe(403);
    });
  });

  describe(`the batch agree of a platform refund goes through the outbox, as a single agree [${dialect}]`, () => {
    it('queued for the platform (同步中) in its own transaction, then agreed when the platform has taken it', async () => {
      const ctx = await createTestContext(dialect, new Date('2026-11-02T02:00:00.000Z'));
      const shop = await connectedShop(ctx, { backfillDays: 0, sim: { shop: false } });
      try {
        const { tid } = shop.sim.control.createOrder();
        shop.sim.control.shipOrder(tid);
        const { refundId } = shop.sim.control.applyRefund({ tid, reasonText: '不想要了', amountFen: 3000 });
        await shop.work();
        const mine = await ctx.db.kysely.selectFrom('refunds').selectAll().where('platform_refund_id', '=', String(refundId)).executeTakeFirstOrThrow();
        expect(mine).toMatchObject({ type: 'refund_only', status: 'WAIT_SELLER_AGREE' });
        const answer = await actOnRefunds(ctx, { actor: shop.f.actors.agent, refundIds: [mine.id], command: { action: 'agree', versions: [mine.version] } });
        expect(answer.results[0]).toMatchObject({ ok: true, syncPending: true });
        expect(await ctx.db.kysely.selectFrom('platform_outbox').select('id').where('refund_id', '=', mine.id).execute()).toHaveLength(1);
        // a second batch while the first decision is on its way is refused in words, not queued twice
        const again = await actOnRefunds(ctx, { actor: shop.f.actors.agent, refundIds: [mine.id], command: { action: 'agree', versions: [mine.version + 1] } });
        expect(again.results[0]).toMatchObject({ ok: false, code: 'PLATFORM_SYNC_PENDING' });
        await shop.work();
        const after = await ctx.db.kysely.selectFrom('refunds').select(['status']).where('id', '=', mine.id).executeTakeFirstOrThrow();
        expect(after.status).toBe('SUCCESS');
      } finally {
        await shop.sim.close();
        await ctx.close();
      }
    });
  });
}
