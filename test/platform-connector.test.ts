/**
 * Issue 12: a shop bound to Taobao through TOP and TMC, against the platform
 * simulator, on both databases: the backfill, notices, decisions flowing back
 * through the outbox, platform faults, and what cannot be applied.
 */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveBinding } from '../src/app/platform/bindings.ts';
import { runDuePlatformWork } from '../src/app/platform/workers.ts';
import { setupShop } from './support/fixtures.ts';
import { actOnRefund } from '../src/app/refunds.ts';
import { addRemark } from '../src/app/orders.ts';
import { getBindingView } from '../src/app/platform/bindings.ts';
import { deliverOutbox } from '../src/app/platform/outbox.ts';
import { buildServer } from '../src/http/server.ts';
import { createTaobaoConnector } from '../src/platform/taobao/taobao-connector.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { client } from './support/http.ts';
import { compareWithSim, connectedShop, testConnectors, type ConnectedShop } from './support/platform.ts';

async function localRefund(ctx: TestContext, shopId: number, platformRefundId: string) {
  return ctx.db.kysely.selectFrom('refunds').selectAll().where('shop_id', '=', shopId).where('platform_refund_id', '=', platformRefundId).executeTakeFirst();
}

for (const dialect of DIALECTS) {
  describe(`issue 12: the Taobao connector against the simulator [${dialect}]`, () => {
    let ctx: TestContext;
    let shop: ConnectedShop;

    beforeEach(async () => {
      ctx = await createTestContext(dialect, new Date('2026-11-02T02:00:00.000Z'));
    });
    afterEach(async () => {
      await shop?.sim.close();
      shop = undefined as unknown as ConnectedShop;
      await ctx.close();
    });

    it('§3 the first binding backfills 90 days of orders and refunds; shouhou then equals the platform', async () => {
      shop = await connectedShop(ctx, { sim: { seed: 3, shop: { orders: 120, refunds: 50 } } });
      await shop.work();
      const { mismatches, compared } = await compareWithSim(ctx, shop.f.shop.id, shop.sim);
      expect(compared).toBeGreaterThan(30);
      expect(mismatches).toEqual([]);
      const view = await getBindingView(ctx, { actor: shop.f.actors.supervisor });
      expect(view?.streams.find((s) => s.stream === 'refunds')).toMatchObject({ phase: 'incremental', windowsDone: 90, windowsTotal: 90 });
      // a second round asks nothing new and changes nothing
      const before = await ctx.db.kysely.selectFrom('refund_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await shop.work();
      const after = await ctx.db.kysely.selectFrom('refund_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      // the refunds carry the platform's timeout as their deadline, and shouhou's sweeper never acts on them
      const open = await ctx.db.kysely.selectFrom('refunds').select(['deadline_effect', 'platform_timeout_at', 'deadline_at']).where('shop_id', '=', shop.f.shop.id).where('is_open', '=', 1).execute();
      expect(open.length).toBeGreaterThan(0);
      for (const r of open) {
        expect(r.deadline_effect === null || r.deadline_effect === 'none').toBe(true);
        expect(r.deadline_at).toBe(r.platform_timeout_at);
      }
    });

    it('§4 a refund applied on the platform shows up through TMC, before any pull; the audit chain holds', async () => {
      shop = await connectedShop(ctx, { backfillDays: 0, sim: { shop: false } });
      const { tid } = shop.sim.control.createOrder({ lines: 2 });
      shop.sim.control.shipOrder(tid);
      const { refundId } = shop.sim.control.applyRefund({ tid, hasGoodReturn: true, reasonText: '七天无理由退换货', desc: '码数偏大' });
      await shop.work();
      const mine = await localRefund(ctx, shop.f.shop.id, String(refundId));
      expect(mine).toMatchObject({ status: 'WAIT_SELLER_AGREE', type: 'return_and_refund', reason: 'no_reason_7d', platform_reason: '七天无理由退换货' });
      // the order came first, with its lines
      const order = await ctx.db.kysely.selectFrom('orders').selectAll().where('order_no', '=', String(tid)).executeTakeFirstOrThrow();
      expect(order).toMatchObject({ source: 'taobao', status: 'WAIT_BUYER_CONFIRM_GOODS' });
      expect(shop.sim.control.stats().calls['taobao.refunds.receive.get'] ?? 0).toBe(0);
      const verify = await (await import('../src/app/audit.ts')).verifyAuditChain(ctx.db.kysely);
      expect(verify.ok).toBe(true);
    });

    it('§5 an agent agrees a refund-only: 同步中, then the platform pays and shouhou follows (payout recorded once)', async () => {
      shop = await connectedShop(ctx, { backfillDays: 0, sim: { shop: false } });
      const { tid } = shop.sim.control.createOrder();
      shop.sim.control.shipOrder(tid);
      const { refundId } = shop.sim.control.applyRefund({ tid, reasonText: '不想要了', amountFen: 5000 });
      await shop.work();
      const mine = (await localRefund(ctx, shop.f.shop.id, String(refundId)))!;
      const api = client(await buildServer({ ctx }), shop.f);
      const agreed = await api.act('agent', mine.id, 'agree');
      expect(agreed.status).toBe(200);
      expect(agreed.body.status).toBe('WAIT_SELLER_AGREE');
      expect(agreed.body.platform.sync).toMatchObject({ state: 'pending', label: '同步中' });
      // a second decision while the first is on its way is refused
      const again = await api.act('supervisor', mine.id, 'agree');
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('PLATFORM_SYNC_PENDING');
      await shop.work();
      const done = await api.get('agent', `/api/v1/refunds/${mine.id}`);
      expect(done.body.status).toBe('SUCCESS');
      expect(done.body.platform.sync).toMatchObject({ state: 'synced', label: '已同步' });
      expect(shop.sim.control.state().refunds.find((r) => String(r.refund_id) === String(refundId))?.status).toBe('SUCCESS');
      const payouts = await ctx.db.kysely.selectFrom('payouts').selectAll().where('refund_id', '=', mine.id).execute();
      expect(payouts.map((p) => Number(p.amount_fen))).toEqual([5000]);
      expect(shop.sim.control.stats().calls['taobao.rp.refunds.agree']).toBe(1);
      // the platform's own actions are taken on the platform, not here; nor are a platform order's ship and close
      const platform = await api.act('platform', mine.id, 'platform-decision', { outcome: 'refund', note: '平台判定' });
      expect(platform.status).toBe(409);
      expect(platform.body.error.code).toBe('PLATFORM_OWNS_IT');
      const ship = await api.post('agent', `/api/v1/orders/${String(tid)}/ship`, { courier: '中通快递', trackingNo: 'ZT1234567890' });
      expect(ship.status).toBe(409);
      expect(ship.body.error.code).toBe('PLATFORM_OWNS_IT');
    });

    it('§5 a return is agreed with the shop\'s return address; a refusal goes with its message; a remark goes to the memo', async () => {
      shop = await connectedShop(ctx, { backfillDays: 0, sim: { shop: false }, settings: { returnAddress: '浙江省杭州市余杭区仓前街道 1 号' } });
      const a = shop.sim.control.createOrder();
      shop.sim.control.shipOrder(a.tid);
      shop.sim.control.signOrder(a.tid);
      const ret = shop.sim.control.applyRefund({ tid: a.tid, hasGoodReturn: true, reasonText: '七天无理由退换货' });
      const b = shop.sim.control.createOrder();
      shop.sim.control.shipOrder(b.tid);
      const only = shop.sim.control.applyRefund({ tid: b.tid, reasonText: '未收到货' });
      await shop.work();
      const retMine = (await localRefund(ctx, shop.f.shop.id, String(ret.refundId)))!;
      const onlyMine = (await localRefund(ctx, shop.f.shop.id, String(only.refundId)))!;
      const api = client(await buildServer({ ctx }), shop.f);
      expect((await api.act('agent', retMine.id, 'agree')).status).toBe(200);
      expect((await api.act('agent', onlyMine.id, 'refuse', { reason: '物流显示已签收，请核实', evidence: ['wangwang:chat-1'] })).status).toBe(200);
      await addRemark(ctx, { actor: shop.f.actors.agent, orderNo: String(a.tid), text: '已同意退货，待寄回', flag: 2 });
      // a Wangwang message to the buyer is left on the refund's message board, as the written trace
      const { logContact } = await import('../src/app/workbench/refund-work.ts');
      await logContact(ctx, { actor: shop.f.actors.agent, refundId: onlyMine.id, channel: 'wangwang', content: '亲，物流显示已签收，麻烦再核实一下哦。', outcome: 'pending' });
      await shop.work();
      const state = shop.sim.control.state();
      expect(state.refunds.find((r) => String(r.refund_id) === String(ret.refundId))).toMatchObject({ status: 'WAIT_BUYER_RETURN_GOODS' });
      expect(String(state.refunds.find((r) => String(r.refund_id) === String(ret.refundId))?.address)).toContain('仓前街道');
      expect(state.refunds.find((r) => String(r.refund_id) === String(only.refundId))).toMatchObject({ status: 'SELLER_REFUSE_BUYER' });
      expect(state.trades.find((t) => String(t.tid) === String(a.tid))).toMatchObject({ seller_memo: '已同意退货，待寄回', seller_flag: 2 });
      expect(shop.sim.control.stats().calls['taobao.refund.message.add']).toBe(1);
      expect((await localRefund(ctx, shop.f.shop.id, String(ret.refundId)))?.status).toBe('WAIT_BUYER_RETURN_GOODS');
      expect((await localRefund(ctx, shop.f.shop.id, String(only.refundId)))?.status).toBe('SELLER_REFUSE_BUYER');
    });

    it('§5 a decision the platform refuses (the buyer changed the refund meanwhile) is failed with the platform\'s words, and shouhou shows the new state', async () => {
      shop = await connectedShop(ctx, { backfillDays: 0, sim: { shop: false } });
      const { tid } = shop.sim.control.createOrder();
      shop.sim.control.shipOrder(tid);
      const { refundId } = shop.sim.control.applyRefund({ tid, reasonText: '不想要了', amountFen: 3000 });
      await shop.work();
      const mine = (await localRefund(ctx, shop.f.shop.id, String(refundId)))!;
      const api = client(await buildServer({ ctx }), shop.f);
      expect((await api.act('agent', mine.id, 'agree')).status).toBe(200);
      // before the worker sends it, the buyer modifies the refund on Taobao (its version moves on)
      shop.sim.control.modifyRefund(refundId, { amountFen: 2000, desc: '只退一部分' });
      await deliverOutbox(ctx, { owner: 'test' });
      const after = await api.get('agent', `/api/v1/refunds/${mine.id}`);
      expect(after.body.platform.sync.state).toBe('failed');
      expect(after.body.platform.sync.message.length).toBeGreaterThan(2);
      expect(after.body.amountFen).toBe(2000);
      expect(after.body.status).toBe('WAIT_SELLER_AGREE');
      const problems = await api.get('supervisor', '/api/v1/platform/problems');
      expect(problems.body.some((p: { code: string; source: string }) => p.code === 'platform_refused' && p.source === 'outbox')).toBe(true);
      // the agent acts again on what the buyer asks now
      expect((await api.act('agent', mine.id, 'agree')).status).toBe(200);
      await shop.work();
      expect((await api.get('agent', `/api/v1/refunds/${mine.id}`)).body).toMatchObject({ status: 'SUCCESS', amountFen: 2000 });
    });

    it('§8 a worker killed between the platform call and the mark does not apply the decision twice', async () => {
      shop = await connectedShop(ctx, { backfillDays: 0, sim: { shop: false } });
      const { tid } = shop.sim.control.createOrder();
      shop.sim.control.shipOrder(tid);
      const { refundId } = shop.sim.control.applyRefund({ tid, reasonText: '不想要了', amountFen: 4000 });
      await shop.work();
      const mine = (await localRefund(ctx, shop.f.shop.id, String(refundId)))!;
      await actOnRefund(ctx, { actor: shop.f.actors.agent, refundId: mine.id, version: mine.version, command: { action: 'agree' } });
      // the call reaches the platform and takes effect, but its answer is lost and the process dies
      shop.sim.control.faults({ failNext: { count: 1, kind: 'http500', applied: true } });
      await deliverOutbox(ctx, { owner: 'dying', leaseMs: 1000 });
      ctx.clock.set(new Date(ctx.clock.now().getTime() + 120_000));
      await shop.work({ owner: 'survivor' });
      expect(shop.sim.control.stats().calls['taobao.rp.refunds.agree']).toBe(1);
      const row = await ctx.db.kysely.selectFrom('platform_outbox').selectAll().where('refund_id', '=', mine.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('sent');
      expect((await localRefund(ctx, shop.f.shop.id, String(refundId)))?.status).toBe('SUCCESS');
      expect(await ctx.db.kysely.selectFrom('payouts').selectAll().where('refund_id', '=', mine.id).execute()).toHaveLength(1);
    });

    it('§2 an expired session pauses the shop ("needs re-authorisation") and files it; a new session key resumes', async () => {
      shop = await connectedShop(ctx, { backfillDays: 0, sim: { shop: false } });
      shop.sim.control.faults({ expireSession: true });
      const { tid } = shop.sim.control.createOrder();
      shop.sim.control.applyRefund({ tid, reasonText: '不想要了' });
      await shop.work();
      let view = await getBindingView(ctx, { actor: shop.f.actors.supervisor });
      expect(view?.status).toBe('needs_reauth');
      const calls = shop.sim.control.stats().totalCalls;
      ctx.clock.set(new Date(ctx.clock.now().getTime() + 600_000));
      await shop.work();
      expect(shop.sim.control.stats().totalCalls).toBe(calls);
      shop.sim.control.faults({ expireSession: false });
      const { saveBinding } = await import('../src/app/platform/bindings.ts');
      await saveBinding(ctx, { actor: shop.f.actors.admin, ip: '127.0.0.1', input: { platform: 'taobao', sellerNick: shop.sim.seller.nick, appKey: shop.sim.app.appKey, sessionKey: shop.sim.seller.sessionKey } });
      view = await getBindingView(ctx, { actor: shop.f.actors.supervisor });
      expect(view?.status).toBe('active');
      await shop.work();
      expect(await ctx.db.kysely.selectFrom('refunds').select('id').where('shop_id', '=', shop.f.shop.id).execute()).toHaveLength(1);
    });

    it('§8 the session expiring mid-backfill pauses it where it was; re-authorised, it resumes there and ends equal to the platform', async () => {
      shop = await connectedShop(ctx, { backfillDays: 20, sim: { seed: 8, shop: { orders: 80, refunds: 40 } } });
      // a few windows go through, a window at a time
      await shop.work({ rounds: 3, sliceMs: 0 });
      const partway = await ctx.db.kysely.selectFrom('sync_streams').selectAll().where('shop_id', '=', shop.f.shop.id).where('stream', '=', 'refunds').executeTakeFirstOrThrow();
      expect(partway.backfill_done).toBe(0);
      shop.sim.control.faults({ expireSession: true });
      await shop.work({ sliceMs: 0 });
      expect((await getBindingView(ctx, { actor: shop.f.actors.supervisor }))?.status).toBe('needs_reauth');
      const paused = await ctx.db.kysely.selectFrom('sync_streams').selectAll().where('shop_id', '=', shop.f.shop.id).where('stream', '=', 'refunds').executeTakeFirstOrThrow();
      expect(paused.windows_done).toBeGreaterThanOrEqual(partway.windows_done);
      expect(paused.backfill_done).toBe(0);
      shop.sim.control.faults({ expireSession: false });
      const { saveBinding } = await import('../src/app/platform/bindings.ts');
      await saveBinding(ctx, { actor: shop.f.actors.admin, ip: '127.0.0.1', input: { platform: 'taobao', sellerNick: shop.sim.seller.nick, appKey: shop.sim.app.appKey, sessionKey: shop.sim.seller.sessionKey } });
      await shop.work();
      const done = await ctx.db.kysely.selectFrom('sync_streams').selectAll().where('shop_id', '=', shop.f.shop.id).where('stream', '=', 'refunds').executeTakeFirstOrThrow();
      expect(done).toMatchObject({ backfill_done: 1, windows_done: 20, windows_total: 20 });
      const { mismatches } = await compareWithSim(ctx, shop.f.shop.id, shop.sim);
      // the seeded refunds older than 20 days are not asked for; everything within them is equal
      expect(mismatches.filter((m) => !m.includes('is missing'))).toEqual([]);
    });

    it('§2 calls stay within the configured rate, as a platform in another process counts them per second', async () => {
      // the simulator in its own process, as TOP is: in this one, a database write would hold back its clock too
      const child = spawn(process.execPath, ['bin/shouhou.js', 'topsim', '--port', '0', '--seed', '5', '--orders', '40', '--refunds', '30'], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        let out = '';
        await new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (c: Buffer) => {
            out += c.toString('utf8');
            if (out.includes('seller nick:') && out.includes('control API:')) resolve();
          });
          child.on('exit', (code) => reject(new Error(`topsim exited ${code}`)));
        });
        const field = (name: string) => new RegExp(`${name}:\\s+(\\S+)`).exec(out)![1]!;
        const gatewayUrl = field('gateway URL');
        // the simulator keeps the real time: so does this test's clock
        ctx.clock.set(new Date());
        ctx.connectors = testConnectors(ctx);
        ctx.allowLocalGateway = true;
        const f = await setupShop(ctx, 'rate-shop');
        await saveBinding(ctx, {
          actor: f.actors.admin,
          ip: '127.0.0.1',
          input: { platform: 'taobao', sellerNick: field('seller nick'), appKey: field('app key'), appSecret: field('app secret'), sessionKey: field('session key'), gatewayUrl, ratePerSecond: 8, backfillDays: 3 },
        });
        for (let i = 0; i < 50; i++) {
          const r = await runDuePlatformWork(ctx, { owner: 'rate', sliceMs: 60_000, pullIntervalMs: 60_000, tmcIdleMs: 60_000 });
          if (r.delivered === 0 && r.streams === 0) break;
        }
        const stats = (await (await fetch(gatewayUrl.replace('/router/rest', '/sim/stats'))).json()) as { totalCalls: number; peakPerSecond: Record<string, number> };
        expect(stats.totalCalls).toBeGreaterThan(20);
        expect(stats.peakPerSecond[field('app key')]).toBeLessThanOrEqual(8);
      } finally {
        child.kill('SIGTERM');
      }
    });

    it('§1 the binding never answers the secret or the session key, only their last four characters; both are sealed at rest', async () => {
      shop = await connectedShop(ctx, { backfillDays: 0, sim: { shop: false } });
      const app = await buildServer({ ctx });
      const api = client(app, shop.f);
      const view = await api.get('admin', '/api/v1/platform/binding');
      expect(view.status).toBe(200);
      const text = JSON.stringify(view.body);
      expect(text).not.toContain(shop.sim.app.appSecret);
      expect(text).not.toContain(shop.sim.seller.sessionKey);
      expect(view.body.appSecretLast4).toBe(shop.sim.app.appSecret.slice(-4));
      const row = await ctx.db.kysely.selectFrom('shop_bindings').selectAll().executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(shop.sim.app.appSecret);
      expect(JSON.stringify(row)).not.toContain(shop.sim.seller.sessionKey);
      expect((await api.get('agent', '/api/v1/platform/binding')).status).toBe(403);
      expect((await api.get('supervisor', '/api/v1/platform/binding')).status).toBe(200);
      const put = await app.inject({ method: 'PUT', url: '/api/v1/platform/binding', headers: { authorization: `Bearer ${shop.f.tokens.supervisor}` }, payload: { platform: 'taobao', sellerNick: 'x', appKey: 'abcd' } });
      expect(put.statusCode).toBe(403);
      const test = await api.post('supervisor', '/api/v1/platform/binding/test');
      expect(test.body).toMatchObject({ ok: true });
      // the server calls the gateway: https only; a private address never; this machine only when the operator allows it
      const putGateway = (gatewayUrl: string) =>
        app.inject({ method: 'PUT', url: '/api/v1/platform/binding', headers: { authorization: `Bearer ${shop.f.tokens.admin}` }, payload: { platform: 'taobao', sellerNick: 'x', appKey: shop.sim.app.appKey, gatewayUrl } });
      for (const bad of ['http://eco.taobao.com/router/rest', 'https://10.0.0.8/router/rest', 'https://192.168.1.20/router/rest', 'https://169.254.169.254/latest', 'ftp://eco.taobao.com/', 'https://user:pw@eco.taobao.com/router/rest']) {
        const res = await putGateway(bad);
        expect(res.statusCode, bad).toBe(400);
        expect(res.json().error.details.field).toBe('gatewayUrl');
      }
      ctx.allowLocalGateway = false;
      expect((await putGateway(shop.sim.gatewayUrl)).statusCode).toBe(400);
      ctx.allowLocalGateway = true;
      expect((await putGateway(shop.sim.gatewayUrl)).statusCode).toBe(200);
    });

    it('§7 a record the platform sends that cannot be applied is a sync problem with its payload masked; the rest goes in', async () => {
      shop = await connectedShop(ctx, { backfillDays: 0, sim: { shop: false } });
      const good = shop.sim.control.createOrder();
      shop.sim.control.shipOrder(good.tid);
      const ok = shop.sim.control.applyRefund({ tid: good.tid, reasonText: '不想要了' });
      const bad = shop.sim.control.createOrder();
      shop.sim.control.shipOrder(bad.tid);
      const broken = shop.sim.control.applyRefund({ tid: bad.tid, reasonText: '不想要了' });
      // the platform answers this one with an amount that is not one, the next with a status nobody knows
      shop.sim.sim.corruptRefund(broken.refundId, { refund_fee: '12.3.4' });
      const third = shop.sim.control.createOrder();
      shop.sim.control.shipOrder(third.tid);
      const unknown = shop.sim.control.applyRefund({ tid: third.tid, reasonText: '不想要了' });
      shop.sim.sim.corruptRefund(unknown.refundId, { status: 'WAIT_SOMETHING_NEW' });
      await shop.work();
      expect(await localRefund(ctx, shop.f.shop.id, String(ok.refundId))).toBeDefined();
      const problems = await ctx.db.kysely.selectFrom('sync_problems').selectAll().where('shop_id', '=', shop.f.shop.id).where('status', '=', 'open').execute();
      expect(problems.map((p) => p.platform_id).sort()).toEqual([String(broken.refundId), String(unknown.refundId)].sort());
      expect(problems.map((p) => p.message).join(' ')).toMatch(/refund_fee|amount/i);
      expect(problems.map((p) => p.message).join(' ')).toContain('WAIT_SOMETHING_NEW');
      // nothing half-applied: neither refund is here
      expect(await localRefund(ctx, shop.f.shop.id, String(broken.refundId))).toBeUndefined();
      // once the platform answers properly, retry brings it in and resolves the problem
      shop.sim.sim.corruptRefund(broken.refundId, null);
      const api = client(await buildServer({ ctx }), shop.f);
      const problem = problems.find((p) => p.platform_id === String(broken.refundId))!;
      const retried = await api.post('supervisor', `/api/v1/platform/problems/${problem.id}/retry`);
      expect(retried.status).toBe(200);
      expect(retried.body.status).toBe('resolved');
      expect(await localRefund(ctx, shop.f.shop.id, String(broken.refundId))).toBeDefined();
      // the same unreadable record read again by overlapping pulls is not a new occurrence; once dismissed it stays so
      const other = problems.find((p) => p.platform_id === String(unknown.refundId))!;
      for (let i = 0; i < 3; i++) {
        ctx.clock.set(new Date(ctx.clock.now().getTime() + 30_000));
        await shop.work();
      }
      const again = await ctx.db.kysely.selectFrom('sync_problems').selectAll().where('id', '=', other.id).executeTakeFirstOrThrow();
      expect(again.occurrences).toBe(1);
      expect((await api.post('supervisor', `/api/v1/platform/problems/${other.id}/dismiss`)).status).toBe(204);
      for (let i = 0; i < 3; i++) {
        ctx.clock.set(new Date(ctx.clock.now().getTime() + 30_000));
        await shop.work();
      }
      const open = await ctx.db.kysely.selectFrom('sync_problems').select('id').where('shop_id', '=', shop.f.shop.id).where('status', '=', 'open').execute();
      expect(open).toEqual([]);
      for (const p of problems) {
        expect(p.payload).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
        expect(p.payload).not.toContain(shop.sim.seller.sessionKey);
      }
    });

    it('§4 a malformed or unknown notice is a sync problem and is confirmed; it never stops the consumer', async () => {
      shop = await connectedShop(ctx, { backfillDays: 0, sim: { shop: false } });
      const connector = createTaobaoConnector({ platform: 'taobao', appKey: shop.sim.app.appKey, appSecret: shop.sim.app.appSecret, sessionKey: shop.sim.seller.sessionKey, gatewayUrl: shop.sim.gatewayUrl, now: () => ctx.clock.now() });
      await connector.testConnection();
      const { tid } = shop.sim.control.createOrder();
      shop.sim.control.shipOrder(tid);
      shop.sim.control.applyRefund({ tid, reasonText: '不想要了' });
      shop.sim.sim.publishRaw('taobao_item_ItemAdd', '{"num_iid": 1}');
      shop.sim.sim.publishRaw('taobao_refund_RefundCreated', 'not json');
      await shop.work();
      expect(await ctx.db.kysely.selectFrom('refunds').select('id').where('shop_id', '=', shop.f.shop.id).execute()).toHaveLength(1);
      expect(shop.sim.control.messages().filter((m) => m.state !== 'confirmed')).toEqual([]);
      const problems = await ctx.db.kysely.selectFrom('sync_problems').select(['code', 'source']).where('shop_id', '=', shop.f.shop.id).execute();
      expect(problems.filter((p) => p.source === 'tmc' && p.code === 'unusable_message')).toHaveLength(2);
    });
  });
}
