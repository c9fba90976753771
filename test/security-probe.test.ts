/**
 * Issue 11: the holes an outside probe found, each pinned by a test that
 * failed before its fix, on both databases: cross-shop grants without the
 * user's consent, idempotency keys stuck "in use", the owner's shop id told to
 * an attacker, ids in non-canonical forms, bodies in another charset.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/app/users.ts';
import { purgeIdempotencyKeys } from '../src/db/shop-repository.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';

const PASSWORD = 'Correct-Horse-42';

interface Browser {
  cookie: string;
  csrf: string;
}

for (const dialect of DIALECTS) {
  describe(`issue 11 probe findings [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let a: ShopFixture;
    let b: ShopFixture;
    const start = new Date('2026-11-02T02:00:00.000Z');

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      a = await setupShop(ctx, 'shop-a');
      b = await setupShop(ctx, 'shop-b');
      await createUser(ctx, { actor: null, username: 'admin-a', displayName: 'A 店管理员', password: PASSWORD, role: 'admin', shopId: a.shop.id });
      await createUser(ctx, { actor: null, username: 'supervisor', displayName: 'A 店主管', password: PASSWORD, role: 'supervisor', shopId: a.shop.id });
      await createUser(ctx, { actor: null, username: 'admin-b', displayName: 'B 店管理员', password: PASSWORD, role: 'admin', shopId: b.shop.id });
      app = await buildServer({ ctx });
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    async function signIn(username: string, extra: Record<string, unknown> = {}): Promise<{ status: number; body: any; browser: Browser }> { // eslint-disable-line @typescript-eslint/no-explicit-any
      const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password: PASSWORD, ...extra } });
      const cookie = ([res.headers['set-cookie']].flat().filter(Boolean) as string[]).find((c) => c.startsWith('shouhou_sid='))?.split(';')[0] ?? '';
      const body = res.json();
      return { status: res.statusCode, body, browser: { cookie, csrf: body.csrfToken ?? '' } };
    }

    async function as(browser: Browser, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
      const res = await app.inject({
        method,
        url,
        headers: { cookie: browser.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': browser.csrf }) },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return { status: res.statusCode, body: res.body ? (res.json() as any) : null }; // eslint-disable-line @typescript-eslint/no-explicit-any
    }

    it("issue 11 §2: another shop's admin cannot take a user over: an invitation, the same answer for an unknown name, no session ended", async () => {
      const supA = await signIn('supervisor');
      expect(supA.body.shop.code).toBe('shop-a');
      const adminB = (await signIn('admin-b')).browser;
      const theirs = await as(adminB, 'POST', '/api/v1/users/grant', { username: 'supervisor', role: 'presales' });
      const unknown = await as(adminB, 'POST', '/api/v1/users/grant', { username: 'nobody-here', role: 'presales' });
      // the same status and the same shape: B cannot tell A's usernames from made-up ones
      expect(theirs.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(Object.keys(theirs.body).sort()).toEqual(Object.keys(unknown.body).sort());
      expect(Object.keys(theirs.body.invitation).sort()).toEqual(Object.keys(unknown.body.invitation).sort());
      expect(theirs.body).toMatchObject({ status: 'invited', invitation: { username: 'supervisor', status: 'pending' } });
      expect(JSON.stringify(theirs.body)).not.toContain('A 店主管');
      // the supervisor's session in A goes on; nothing of theirs shows in B
      expect((await as(supA.browser, 'GET', '/api/v1/session')).status).toBe(200);
      const usersB = (await as(adminB, 'GET', '/api/v1/users')).body as { username: string }[];
      expect(usersB.map((u) => u.username)).not.toContain('supervisor');
      const pending = (await as(adminB, 'GET', '/api/v1/users/invitations')).body as { username: string }[];
      expect(pending.map((i) => i.username).sort()).toEqual(['nobody-here', 'supervisor']);
      // B's admin cannot reach the user by id either (404, as for any id not of the shop)
      const supId = supA.body.user.id as number;
      expect((await as(adminB, 'PATCH', `/api/v1/users/${supId}`, { role: 'agent' })).status).toBe(404);
      expect((await as(supA.browser, 'GET', '/api/v1/session')).status).toBe(200);
      // the next sign-in lands where they work, with the invitation to answer
      const again = await signIn('supervisor');
      expect(again.body.shop.code).toBe('shop-a');
      expect(again.body.invitations).toEqual([expect.objectContaining({ shopCode: 'shop-b', role: 'presales', invitedBy: 'B 店管理员' })]);
      // declining leaves them out of B
      const declined = await as(again.browser, 'POST', `/api/v1/session/invitations/${again.body.invitations[0].id}/decline`);
      expect(declined.status).toBe(200);
      expect(declined.body.shops.map((s: { code: string }) => s.code)).toEqual(['shop-a']);
      expect(declined.body.invitations).toEqual([]);
      expect((await as(again.browser, 'POST', `/api/v1/session/invitations/${again.body.invitations[0].id}/accept`)).status).toBe(409);
    });

    it('issue 11 §2: once the user accepts, a role change in B ends only their sessions in B; an invitation of another user cannot be answered', async () => {
      const adminB = (await signIn('admin-b')).browser;
      expect((await as(adminB, 'POST', '/api/v1/users/grant', { username: 'supervisor', role: 'presales' })).status).toBe(202);
      const intruder = await signIn('admin-a');
      const inA = await signIn('supervisor');
      const invitationId = inA.body.invitations[0].id as number;
      expect((await as(intruder.browser, 'POST', `/api/v1/session/invitations/${invitationId}/accept`)).status).toBe(404);
      const accepted = await as(inA.browser, 'POST', `/api/v1/session/invitations/${invitationId}/accept`);
      expect(accepted.status).toBe(200);
      expect(accepted.body.shop.code).toBe('shop-a');
      expect(accepted.body.shops.map((s: { code: string }) => s.code).sort()).toEqual(['shop-a', 'shop-b']);
      const inB = await signIn('supervisor', { shopCode: 'shop-b' });
      expect(inB.body.role).toBe('presales');
      const supId = inB.body.user.id as number;
      expect((await as(adminB, 'PATCH', `/api/v1/users/${supId}`, { role: 'agent' })).status).toBe(200);
      expect((await as(inB.browser, 'GET', '/api/v1/session')).status).toBe(401);
      expect((await as(inA.browser, 'GET', '/api/v1/session')).status).toBe(200);
      // and the accept is in B's trail, where B's admin reads it
      const trail = (await as(adminB, 'GET', '/api/v1/audit?action=user.invitation_accept')).body as { actorName: string }[];
      expect(trail).toHaveLength(1);
    });

    it('issue 11 §2: an admin of every shop the user works in gives the role at once', async () => {
      // owner is admin of B, and becomes admin of A by accepting A's invitation
      await createUser(ctx, { actor: null, username: 'owner', displayName: '老板', password: PASSWORD, role: 'admin', shopId: b.shop.id });
      const adminA = (await signIn('admin-a')).browser;
      expect((await as(adminA, 'POST', '/api/v1/users/grant', { username: 'owner', role: 'admin' })).status).toBe(202);
      const owner = await signIn('owner');
      expect((await as(owner.browser, 'POST', `/api/v1/session/invitations/${owner.body.invitations[0].id}/accept`)).status).toBe(200);
      // a user of shop A alone is then given a role in B by owner, an admin of A, at once
      await createUser(ctx, { actor: null, username: 'packer', displayName: '打包员', password: PASSWORD, role: 'warehouse', shopId: a.shop.id });
      const ownerInB = (await signIn('owner', { shopCode: 'shop-b' })).browser;
      const direct = await as(ownerInB, 'POST', '/api/v1/users/grant', { username: 'packer', role: 'warehouse' });
      expect(direct.status).toBe(201);
      expect(direct.body).toMatchObject({ status: 'granted', user: { username: 'packer', role: 'warehouse' } });
      // and the packer's own session was not ended by it
      const packer = await signIn('packer');
      expect(packer.body.shop.code).toBe('shop-a');
      expect(packer.body.shops.map((s: { code: string }) => s.code).sort()).toEqual(['shop-a', 'shop-b']);
    });

    it('issue 11 §3: a key claimed by a process that died is free again after the lease; finished keys are replayed for 24 hours, then deleted', async () => {
      ctx.clock.set(start);
      const api = client(app, a);
      const order = await makeOrder(ctx, a, 'signed');
      // a process died between claiming the key and answering: its claim stays behind
      const key = 'died-mid-request-1';
      const remark = { text: '买家来电，已核实', flag: 1 };
      const url = `/api/v1/orders/${order.orderNo}/remarks`;
      const requestHash = createHash('sha256').update(`POST ${url}\n${JSON.stringify(remark)}`).digest('hex');
      await ctx.db.kysely
        .insertInto('idempotency_keys')
        .values({ actor_id: a.actors.agent.id, key, request_hash: requestHash, status_code: 0, response: '', created_at: start.toISOString() })
        .execute();
      const early = await api.post('agent', `/api/v1/orders/${order.orderNo}/remarks`, remark, { 'idempotency-key': key });
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('IDEMPOTENCY_KEY_IN_USE');
      ctx.clock.set(new Date(start.getTime() + 61_000));
      const later = await api.post('agent', `/api/v1/orders/${order.orderNo}/remarks`, remark, { 'idempotency-key': key });
      expect(later.status).toBe(201);
      const replay = await api.post('agent', `/api/v1/orders/${order.orderNo}/remarks`, remark, { 'idempotency-key': key });
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      // a day later the key and its stored answer are gone
      ctx.clock.set(new Date(start.getTime() + 61_000 + 24 * 3_600_000 + 1000));
      expect(await purgeIdempotencyKeys(ctx.db.kysely, ctx.clock.now())).toBeGreaterThanOrEqual(1);
      const left = await ctx.db.kysely.selectFrom('idempotency_keys').select('key').where('key', '=', key).execute();
      expect(left).toEqual([]);
      ctx.clock.set(start);
    });

    it("issue 11 §5: a cross-shop attempt's row in the attacker's shop does not say which shop owns the id; the owner's shop has its own row", async () => {
      const order = await makeOrder(ctx, a, 'paid');
      const tried = await client(app, b).get('supervisor', `/api/v1/orders/${order.orderNo}`);
      expect(tried.status).toBe(404);
      const rows = await ctx.db.kysely.selectFrom('audit_log').selectAll().where('target_id', '=', order.orderNo).where('action', 'like', 'access.%').execute();
      const inB = rows.filter((r) => r.shop_id === b.shop.id);
      const inA = rows.filter((r) => r.shop_id === a.shop.id);
      expect(inB).toHaveLength(1);
      expect(JSON.parse(inB[0]!.details)).toEqual({ route: 'GET /api/v1/orders/:orderNo' });
      expect(inA).toHaveLength(1);
      expect(JSON.parse(inA[0]!.details)).toMatchObject({ fromShopId: b.shop.id });
      // what B's supervisor reads of its own trail
      const trail = (await client(app, b).get('supervisor', '/api/v1/audit?action=access.cross_shop')).body as { details: Record<string, unknown> }[];
      for (const row of trail) expect(row.details).not.toHaveProperty('ownerShopId');
    });

    it('issue 11 §5: only canonical decimal ids are ids (0x10, +1, 01, 1e1, " 1" answer 400)', async () => {
      const api = client(app, a);
      for (const id of ['0x10', '+1', '01', '1e1', '%201', '1.0', '-1', '0']) {
        const res = await api.get('agent', `/api/v1/refunds/${id}`);
        expect(res.status, id).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      }
      expect((await api.get('agent', '/api/v1/refunds?limit=0x10')).status).toBe(400);
      expect((await api.get('agent', '/api/v1/refunds?limit=+5')).status).toBe(400);
      expect((await api.get('agent', '/api/v1/refunds?limit=5')).status).toBe(200);
      expect((await api.get('agent', '/api/v1/refunds/999999')).status).toBe(404);
    });

    it('issue 11 §5: a JSON body declared in another charset than UTF-8 is refused with 415', async () => {
      const order = await makeOrder(ctx, a, 'paid');
      for (const charset of ['utf-16', 'UTF-16LE', 'gbk', 'iso-8859-1']) {
        const res = await app.inject({
          method: 'POST',
          url: `/api/v1/orders/${order.orderNo}/remarks`,
          headers: { authorization: `Bearer ${a.tokens.agent}`, 'content-type': `application/json; charset=${charset}` },
          payload: JSON.stringify({ text: '备注', flag: 0 }),
        });
        expect(res.statusCode, charset).toBe(415);
      }
      const ok = await app.inject({
        method: 'POST',
        url: `/api/v1/orders/${order.orderNo}/remarks`,
        headers: { authorization: `Bearer ${a.tokens.agent}`, 'content-type': 'application/json; charset=UTF-8' },
        payload: JSON.stringify({ text: '备注', flag: 0 }),
      });
      expect(ok.statusCode).toBe(201);
    });
  });
}
