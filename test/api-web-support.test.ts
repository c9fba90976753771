/**
 * What the web app needs of the server, on each database: the queue's claim
 * and assign (and its filters), the staff list for the assignee picker, and
 * evidence files uploaded as raw bytes and read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/app/users.ts';
import { MAX_EVIDENCE_BYTES } from '../src/core/evidence/file-types.ts';
import type { Role, StaffRole } from '../src/core/roles.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type OrderStage, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';
import { signInAs, USER_PASSWORD, type Session } from './support/users.ts';

const HOUR = 3_600_000;

/** The smallest files whose first bytes are what they claim to be. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-test-image')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF-test')]);
const WEBP = Buffer.from('RIFF\u0010\u0000\u0000\u0000WEBPVP8 test', 'latin1');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n', 'latin1');

for (const dialect of DIALECTS) {
  describe(`queue assignment, staff list and evidence files [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let other: ShopFixture;
    let api: ReturnType<typeof client>;
    /** user ids of shop-a's people, by username */
    const ids: Record<string, number> = {};
    const sessions: Record<string, Session> = {};
    const start = new Date('2026-11-02T02:00:00.000Z');

    async function addUser(shop: ShopFixture, username: string, role: StaffRole, displayName = username) {
      const made = await createUser(ctx, { actor: null, username, displayName, password: USER_PASSWORD, role, shopId: shop.shop.id });
      ids[username] = made.userId;
    }

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      f = await setupShop(ctx, 'shop-a');
      other = await setupShop(ctx, 'shop-b');
      await addUser(f, 'agent-a', 'agent', '小王');
      await addUser(f, 'agent-a2', 'agent', '小李');
      await addUser(f, 'supervisor-a', 'supervisor', '张主管');
      await addUser(f, 'warehouse-a', 'warehouse', '仓库老陈');
      await addUser(f, 'admin-a', 'admin', '管理员');
      await addUser(f, 'agent-gone', 'agent', '已离职');
      await addUser(other, 'agent-b', 'agent', 'B 店客服');
      await ctx.db.kysely.updateTable('users').set({ disabled_at: start.toISOString() }).where('id', '=', ids['agent-gone']!).execute();
      app = await buildServer({ ctx });
      api = client(app, f);
      for (const u of ['agent-a', 'agent-a2', 'supervisor-a', 'warehouse-a', 'admin-a']) sessions[u] = await signInAs(app, u);
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    async function refundOn(stage: OrderStage, body: Record<string, unknown> = {}, shop = f) {
      const order = await makeOrder(ctx, shop, stage);
      const r = await client(app, shop).post('buyer', '/api/v1/refunds', {
        orderNo: order.orderNo,
        type: 'refund_only',
        goodsStatus: stage === 'paid' ? 'not_received' : 'received',
        reason: stage === 'paid' ? 'unwanted' : 'quality',
        ...(stage === 'paid' ? {} : { amountFen: 1000 }),
        ...body,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body as { id: number; version: number; orderNo: string; assignee: unknown };
    }

    async function auditCount(action: string): Promise<number> {
      const row = await ctx.db.kysely.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow();
      return Number(row.n);
    }

    async function rowCount(table: 'evidence_files' | 'refund_assignments' | 'refund_events'): Promise<number> {
      const row = await ctx.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    }

    /** POST raw bytes, as a role's token or as a signed-in session (cookie + CSRF token). */
    async function upload(as: { role: Role; shop?: ShopFixture } | { cookie: string; csrf: string }, body: Buffer | string, contentType: string | null, headers: Record<string, string> = {}) {
      const auth = 'role' in as ? { authorization: `Bearer ${(as.shop ?? f).tokens[as.role]}` } : { cookie: as.cookie, 'x-csrf-token': as.csrf };
      const res = await app.inject({ method: 'POST', url: '/api/v1/evidence', headers: { ...auth, ...(contentType ? { 'content-type': contentType } : {}), ...headers }, payload: body });
      return { status: res.statusCode, body: res.json(), headers: res.headers };
    }

    async function fetchEvidence(role: Role, id: number | string, shop = f) {
      return app.inject({ method: 'GET', url: `/api/v1/evidence/${id}`, headers: { authorization: `Bearer ${shop.tokens[role]}` } });
    }

    // ---- claim and assign ----

    it('an agent claims a refund, hands it to a colleague, and gives it back: answers and lists show who works it, the version never moves, each change is audited', async () => {
      const r = await refundOn('signed');
      expect(r.assignee).toBeNull();
      const events = await rowCount('refund_events');
      const assigns = await auditCount('refund.assign');
      const unassigns = await auditCount('refund.unassign');
      const me = sessions['agent-a']!;

      const claimed = await me.call('POST', `/api/v1/refunds/${r.id}/assign`, { userId: ids['agent-a'] });
      expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
      expect(claimed.body).toMatchObject({ id: r.id, version: r.version, assignee: { userId: ids['agent-a'], displayName: '小王' } });
      expect((await me.call('GET', `/api/v1/refunds/${r.id}`)).body.assignee).toEqual({ userId: ids['agent-a'], displayName: '小王' });
      const mine = await me.call('GET', '/api/v1/refunds?assignee=me&limit=200');
      expect(mine.body.items.map((i: { id: number }) => i.id)).toContain(r.id);
      expect(mine.body.items.every((i: { assignee: { userId: number } }) => i.assignee.userId === ids['agent-a'])).toBe(true);
      expect((await me.call('GET', '/api/v1/refunds?assignee=none&limit=200')).body.items.map((i: { id: number }) => i.id)).not.toContain(r.id);
      const byId = await me.call('GET', `/api/v1/refunds?assignee=${ids['agent-a']}&limit=200`);
      expect(byId.body.items.map((i: { id: number }) => i.id)).toEqual(mine.body.items.map((i: { id: number }) => i.id));
      // the order's answer carries it too
      expect((await api.get('agent', `/api/v1/orders/${r.orderNo}`)).body.refunds[0].assignee).toMatchObject({ userId: ids['agent-a'] });

      // a colleague's claim at the same moment does not take it silently
      const grab = await sessions['agent-a2']!.call('POST', `/api/v1/refunds/${r.id}/assign`, { userId: ids['agent-a2'] });
      expect(grab.status).toBe(409);
      expect(grab.body.error).toMatchObject({ code: 'REFUND_ALREADY_ASSIGNED', details: { assignee: { userId: ids['agent-a'], displayName: '小王' } } });
      // handing it over is deliberate
      const handed = await me.call('POST', `/api/v1/refunds/${r.id}/assign`, { userId: ids['agent-a2'] });
      expect(handed.body.assignee).toEqual({ userId: ids['agent-a2'], displayName: '小李' });
      // a supervisor takes it over
      const taken = await sessions['supervisor-a']!.call('POST', `/api/v1/refunds/${r.id}/assign`, { userId: ids['supervisor-a'] });
      expect(taken.status).toBe(200);
      expect(taken.body.assignee).toEqual({ userId: ids['supervisor-a'], displayName: '张主管' });
      // an API token (nobody's) may dispatch to a person
      expect((await api.post('agent', `/api/v1/refunds/${r.id}/assign`, { userId: ids['agent-a'] })).body.assignee.userId).toBe(ids['agent-a']);

      const back = await me.call('POST', `/api/v1/refunds/${r.id}/assign`, { userId: null });
      expect(back.status).toBe(200);
      expect(back.body.assignee).toBeNull();
      expect((await me.call('GET', '/api/v1/refunds?assignee=none&limit=200')).body.items.map((i: { id: number }) => i.id)).toContain(r.id);
      // the same again changes nothing and writes nothing
      expect((await me.call('POST', `/api/v1/refunds/${r.id}/assign`, { userId: null })).status).toBe(200);

      expect(await auditCount('refund.assign')).toBe(assigns + 4);
      expect(await auditCount('refund.unassign')).toBe(unassigns + 1);
      const last = await ctx.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'refund.unassign').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(last).toMatchObject({ target_type: 'refund', target_id: String(r.id), outcome: 'ok', actor_name: '小王' });
      expect(JSON.parse(last.details)).toMatchObject({ fromUserId: ids['agent-a'], toUserId: null });
      const detail = await me.call('GET', `/api/v1/refunds/${r.id}`);
      expect(detail.body.version).toBe(r.version);
      expect(await rowCount('refund_events')).toBe(events);
      // the engine's actions still work at the version the buyer saw
      const agreed = await api.post('agent', `/api/v1/refunds/${r.id}/agree`, { version: r.version });
      expect(agreed.status).toBe(200);
      expect(agreed.body.assignee).toBeNull();
    });

    it('only an active agent or supervisor of the shop may be assigned (422 ASSIGNEE_NOT_ELIGIBLE); only they may assign (403); another shop\'s refund is 404', async () => {
      const r = await refundOn('signed');
      const me = sessions['agent-a']!;
      const before = await rowCount('refund_assignments');
      const cases: [number, string][] = [
        [ids['warehouse-a']!, 'role_does_not_work_refunds'],
        [ids['admin-a']!, 'role_does_not_work_refunds'],
        [ids['agent-b']!, 'not_active_staff_of_shop'],
        [ids['agent-gone']!, 'not_active_staff_of_shop'],
        [999_999, 'not_active_staff_of_shop'],
      ];
      for (const [userId, reason] of cases) {
        const res = await me.call('POST', `/api/v1/refunds/${r.id}/assign`, { userId });
        expect(res.status, `${userId}: ${JSON.stringify(res.body)}`).toBe(422);
        expect(res.body.error).toMatchObject({ code: 'ASSIGNEE_NOT_ELIGIBLE', details: { userId, reason } });
        expect(res.body.error.message).toMatch(/assign/);
      }
      expect((await me.call('POST', `/api/v1/refunds/${r.id}/assign`, { userId: ids['warehouse-a'] })).body.error.details.allowedRoles).toEqual(['agent', 'supervisor']);
      for (const role of ['warehouse', 'buyer', 'platform', 'finance'] as const) {
        const res = await api.post(role, `/api/v1/refunds/${r.id}/assign`, { userId: ids['agent-a'] });
        expect(res.status, role).toBe(403);
      }
      expect((await sessions['warehouse-a']!.call('POST', `/api/v1/refunds/${r.id}/assign`, { userId: ids['warehouse-a'] })).status).toBe(403);
      for (const body of [{}, { userId: 'me' }, { userId: 0 }, { userId: 1.5 }, { userId: ids['agent-a'], version: 1 }]) {
        expect((await me.call('POST', `/api/v1/refunds/${r.id}/assign`, body)).status, JSON.stringify(body)).toBe(400);
      }
      const theirs = await refundOn('signed', {}, other);
      const cross = await me.call('POST', `/api/v1/refunds/${theirs.id}/assign`, { userId: ids['agent-a'] });
      expect(cross.status).toBe(404);
      expect(await rowCount('refund_assignments')).toBe(before);
    });

    it('the buyer and the platform never see who works a refund, nor filter by it; assignee=me needs a person', async () => {
      const r = await refundOn('signed');
      await sessions['agent-a']!.call('POST', `/api/v1/refunds/${r.id}/assign`, { userId: ids['agent-a'] });
      for (const role of ['buyer', 'platform'] as const) {
        expect((await api.get(role, `/api/v1/refunds/${r.id}`)).body.assignee, role).toBeNull();
        const list = await api.get(role, '/api/v1/refunds?limit=200');
        expect(list.body.items.every((i: { assignee: unknown }) => i.assignee === null), role).toBe(true);
        expect((await api.get(role, `/api/v1/orders/${r.orderNo}`)).body.refunds[0].assignee, role).toBeNull();
        const filtered = await api.get(role, '/api/v1/refunds?assignee=none');
        expect(filtered.status, role).toBe(400);
        expect(filtered.body.error.details.field).toBe('assignee');
      }
      expect((await api.get('agent', `/api/v1/refunds/${r.id}`)).body.assignee).toEqual({ userId: ids['agent-a'], displayName: '小王' });
      const tokenMe = await api.get('agent', '/api/v1/refunds?assignee=me');
      expect(tokenMe.status).toBe(400);
      expect(tokenMe.body.error.message).toMatch(/assignee=<userId>/);
      expect((await api.get('agent', '/api/v1/refunds?assignee=nobody')).status).toBe(400);
    });

    it('the queue filters by goodsStatus, reason (repeated), the return\'s trackingNo, createdFrom and assignee, still by deadline, page after page', async () => {
      const q = await setupShop(ctx, `shop-q-${dialect}`);
      const made = await createUser(ctx, { actor: null, username: `agent-q-${dialect}`, displayName: '队列客服', password: USER_PASSWORD, role: 'agent', shopId: q.shop.id });
      const agent = await signInAs(app, `agent-q-${dialect}`);
      const t = (h: number) => new Date(start.getTime() + h * HOUR);
      const made1 = async (h: number, stage: OrderStage, body: Record<string, unknown>) => {
        ctx.clock.set(t(h));
        return refundOn(stage, body, q);
      };
      const unshipped = await made1(0, 'paid', { reason: 'unwanted' }); // not_received
      const quality = await made1(1, 'signed', { reason: 'quality' });
      const described = await made1(2, 'signed', { reason: 'not_as_described' });
      const ret = await made1(3, 'signed', { type: 'return_and_refund', reason: 'no_reason_7d', amountFen: 1000 });
      const damaged = await made1(4, 'signed', { reason: 'damaged' });
      ctx.clock.set(t(5));
      const qa = client(app, q);
      expect((await qa.act('agent', ret.id, 'agree', { returnAddress: '杭州市余杭区 售后组' })).status).toBe(200);
      expect((await qa.act('buyer', ret.id, 'return-shipment', { courier: '顺丰速运', trackingNo: 'SF7001' })).status).toBe(200);
      expect((await agent.call('POST', `/api/v1/refunds/${described.id}/assign`, { userId: made.userId })).status).toBe(200);
      expect((await agent.call('POST', `/api/v1/refunds/${damaged.id}/assign`, { userId: made.userId })).status).toBe(200);

      const list = async (query: string) => {
        const res = await agent.call('GET', `/api/v1/refunds?limit=200&${query}`);
        expect(res.status, `${query}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
        return res.body.items as { id: number; deadline: { at: string | null } | null; goodsStatus: string }[];
      };
      const idsOf = async (query: string) => (await list(query)).map((i) => i.id).sort((a, b) => a - b);
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

      expect(await idsOf('goodsStatus=not_received')).toEqual([unshipped.id]);
      expect(await idsOf('goodsStatus=received')).toEqual(sorted([quality.id, described.id, damaged.id]));
      // shipped back: the engine marks the goods returned
      expect(await idsOf('goodsStatus=returned')).toEqual([ret.id]);
      expect(await idsOf('reason=quality')).toEqual([quality.id]);
      expect(await idsOf('reason=quality&reason=not_as_described&reason=unwanted')).toEqual(sorted([quality.id, described.id, unshipped.id]));
      expect(await idsOf('trackingNo=SF7001')).toEqual([ret.id]);
      expect(await idsOf('trackingNo=%20SF7001%20')).toEqual([ret.id]);
      expect(await idsOf('trackingNo=SF700')).toEqual([]);
      expect(await idsOf(`createdFrom=${encodeURIComponent(t(2).toISOString())}`)).toEqual(sorted([described.id, ret.id, damaged.id]));
      expect(await idsOf(`createdFrom=${encodeURIComponent('2026-11-02T12:30:00+08:00')}`)).toEqual(sorted([ret.id, damaged.id]));
      expect(await idsOf('assignee=me')).toEqual(sorted([described.id, damaged.id]));
      expect(await idsOf(`assignee=${made.userId}&reason=not_as_described`)).toEqual([described.id]);
      expect(await idsOf('assignee=none')).toEqual(sorted([unshipped.id, quality.id, ret.id]));
      expect(await idsOf('assignee=none&goodsStatus=received&reason=quality&reason=not_as_described&open=true')).toEqual([quality.id]);
      expect(await idsOf('assignee=none&status=WAIT_SELLER_CONFIRM_GOODS&trackingNo=SF7001')).toEqual([ret.id]);
      // S1.1: the unshipped refunds (the queue's 今日未发退 view) by the order's trade status
      expect(await idsOf('orderStatus=WAIT_SELLER_SEND_GOODS')).toEqual([unshipped.id]);
      expect(await idsOf('orderStatus=WAIT_SELLER_SEND_GOODS&status=WAIT_SELLER_AGREE&open=true')).toEqual([unshipped.id]);
      expect(await idsOf('orderStatus=WAIT_BUYER_CONFIRM_GOODS&reason=quality')).toEqual([quality.id]);

      // the deadline order and the cursor hold under filters: one row per page gives the same list
      const all = await list('goodsStatus=received');
      const key = (i: { deadline: { at: string | null } | null }) => i.deadline?.at ?? '9999';
      expect(all.map(key)).toEqual([...all.map(key)].sort());
      const paged: number[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; body: { items: { id: number }[]; nextCursor: string | null } } = await agent.call(
          'GET',
          `/api/v1/refunds?limit=1&goodsStatus=received${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.body.items.length).toBeLessThanOrEqual(1);
        paged.push(...res.body.items.map((i) => i.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all.map((i) => i.id));

      for (const bad of ['goodsStatus=lost', 'reason=nope', 'reason=quality&reason=nope', 'createdFrom=yesterday', `trackingNo=${'x'.repeat(41)}`, 'assignee=0', 'assignee=-3', 'orderStatus=SHIPPED']) {
        const res = await agent.call('GET', `/api/v1/refunds?${bad}`);
        expect(res.status, bad).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      }
      ctx.clock.set(start);
    });

    it('GET /staff lists the shop\'s active staff for the assignee picker: who may be assigned, no secrets, no other shop', async () => {
      const res = await sessions['agent-a']!.call('GET', '/api/v1/staff');
      expect(res.status).toBe(200);
      const staff = res.body as { userId: number; username: string; displayName: string; roles: string[]; assignable: boolean }[];
      const byName = Object.fromEntries(staff.map((s) => [s.username, s]));
      expect(byName['agent-a']).toEqual({ userId: ids['agent-a'], username: 'agent-a', displayName: '小王', roles: ['agent'], assignable: true });
      expect(byName['supervisor-a']).toMatchObject({ roles: ['supervisor'], assignable: true });
      expect(byName['warehouse-a']).toMatchObject({ roles: ['warehouse'], assignable: false });
      expect(byName['admin-a']).toMatchObject({ assignable: false });
      expect(byName['agent-gone']).toBeUndefined();
      expect(byName['agent-b']).toBeUndefined();
      expect(JSON.stringify(staff)).not.toMatch(/argon2|password/i);
      expect((await api.get('warehouse', '/api/v1/staff')).status).toBe(200);
      for (const role of ['buyer', 'platform', 'clerk'] as const) expect((await api.get(role, '/api/v1/staff')).status, role).toBe(403);
      const b = await client(app, other).get('agent', '/api/v1/staff');
      expect(b.body.map((s: { username: string }) => s.username)).toEqual(['agent-b']);
    });

    // ---- evidence ----

    it('evidence: a PNG, JPEG, WebP or PDF uploaded as raw bytes answers 201 with its ref, reads back inline with its type, is audited, and goes into a refusal', async () => {
      const uploads = await auditCount('evidence.upload');
      const refs: string[] = [];
      for (const [type, bytes] of [['image/png', PNG], ['image/jpeg', JPEG], ['image/webp', WEBP], ['application/pdf', PDF]] as const) {
        const res = await upload({ role: 'agent' }, bytes, type);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body).toEqual({ id: expect.any(Number), ref: `evidence:${res.body.id}`, contentType: type, sizeBytes: bytes.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
        const back = await fetchEvidence('agent', res.body.id);
        expect(back.statusCode).toBe(200);
        expect(back.headers['content-type']).toBe(type);
        expect(back.headers['content-disposition']).toMatch(/^inline; filename="evidence-\d+\.(png|jpg|webp|pdf)"$/);
        expect(back.headers['x-content-type-options']).toBe('nosniff');
        expect(back.headers['cache-control']).toBe('no-store');
        expect(Buffer.compare(back.rawPayload, bytes)).toBe(0);
        refs.push(res.body.ref);
      }
      // the media type's case and parameters do not matter
      expect((await upload({ role: 'warehouse' }, PNG, 'Image/PNG; charset=binary')).status).toBe(201);
      expect(await auditCount('evidence.upload')).toBe(uploads + 5);
      const row = await ctx.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'evidence.upload').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ target_type: 'evidence', role: 'warehouse', outcome: 'ok' });
      expect(JSON.parse(row.details)).toMatchObject({ contentType: 'image/png', sizeBytes: PNG.length });
      // every staff role that refuses refunds or files records, the service desk's clerk and field lead (the work's photos,
      // issue 15 §7), and the buyer, may upload; readers of refunds read
      for (const role of ['supervisor', 'finance', 'design', 'merchandise', 'buyer', 'clerk', 'field_lead'] as const) expect((await upload({ role }, PDF, 'application/pdf')).status, role).toBe(201);
      for (const role of ['presales', 'platform', 'system', 'admin', 'leadership'] as const) expect((await upload({ role }, PDF, 'application/pdf')).status, role).toBe(403);

      const r = await refundOn('signed');
      const refused = await api.act('agent', r.id, 'refuse', { reason: '商品无质量问题，见照片', evidence: refs.slice(0, 2) });
      expect(refused.status, JSON.stringify(refused.body)).toBe(200);
      expect(refused.body.refusal.evidence).toEqual(refs.slice(0, 2));
    });

    it('evidence: another type, bytes that are not the declared type, an empty file and one over 5 MB answer 415, 415, 400 and 413, and write nothing', async () => {
      const files = await rowCount('evidence_files');
      const uploads = await auditCount('evidence.upload');
      const big = Buffer.alloc(MAX_EVIDENCE_BYTES + 1);
      PNG.copy(big);
      const cases: { body: Buffer | string; type: string | null; status: number; code: string; message?: RegExp }[] = [
        { body: '<svg xmlns="http://www.w3.org/2000/svg"/>', type: 'image/svg+xml', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: /image\/png/ },
        { body: 'hello', type: 'text/plain', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: /application\/pdf/ },
        { body: '<html><script>alert(1)</script>', type: 'text/html', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
        { body: JSON.stringify({ file: 'x' }), type: 'application/json', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
        { body: PNG, type: 'application/octet-stream', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
        { body: PNG, type: 'multipart/form-data; boundary=x', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
        { body: '', type: null, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
        { body: JPEG, type: 'image/png', status: 415, code: 'EVIDENCE_TYPE_MISMATCH', message: /image\/jpeg/ },
        { body: '<html><script>alert(1)</script>', type: 'image/jpeg', status: 415, code: 'EVIDENCE_TYPE_MISMATCH' },
        { body: PNG, type: 'application/pdf', status: 415, code: 'EVIDENCE_TYPE_MISMATCH' },
        { body: '', type: 'image/png', status: 400, code: 'VALIDATION_FAILED', message: /empty/ },
        { body: big, type: 'image/png', status: 413, code: 'PAYLOAD_TOO_LARGE', message: /5 MB/ },
      ];
      for (const c of cases) {
        const res = await upload({ role: 'agent' }, c.body, c.type);
        const where = `${c.type} ${String(c.body).slice(0, 20)}: ${JSON.stringify(res.body).slice(0, 300)}`;
        expect(res.status, where).toBe(c.status);
        expect(res.body.error.code, where).toBe(c.code);
        if (c.message) expect(res.body.error.message, where).toMatch(c.message);
      }
      // exactly 5 MB is accepted
      const limit = Buffer.alloc(MAX_EVIDENCE_BYTES);
      PNG.copy(limit);
      const atLimit = await upload({ role: 'agent' }, limit, 'image/png');
      expect(atLimit.status).toBe(201);
      expect(await rowCount('evidence_files')).toBe(files + 1);
      expect(await auditCount('evidence.upload')).toBe(uploads + 1);
    });

    it('evidence: another shop\'s file is 404 (and the attempt audited); a buyer reads only their own uploads; bad ids are 400', async () => {
      const theirs = await upload({ role: 'agent', shop: other }, PNG, 'image/png');
      expect(theirs.status).toBe(201);
      const crossBefore = await auditCount('access.cross_shop');
      const cross = await fetchEvidence('agent', theirs.body.id);
      expect(cross.statusCode).toBe(404);
      expect(cross.json().error.code).toBe('NOT_FOUND');
      expect(cross.body).not.toContain('IHDR');
      expect(await auditCount('access.cross_shop')).toBe(crossBefore + 1);
      expect((await fetchEvidence('agent', theirs.body.id, other)).statusCode).toBe(200);

      const staffFile = await upload({ role: 'agent' }, JPEG, 'image/jpeg');
      const buyerFile = await upload({ role: 'buyer' }, PNG, 'image/png');
      expect(buyerFile.status).toBe(201);
      expect((await fetchEvidence('buyer', buyerFile.body.id)).statusCode).toBe(200);
      expect((await fetchEvidence('buyer', staffFile.body.id)).statusCode).toBe(404);
      expect((await fetchEvidence('agent', buyerFile.body.id)).statusCode).toBe(200);
      expect((await fetchEvidence('warehouse', buyerFile.body.id)).statusCode).toBe(200);
      // the service desk reads only the files its own people uploaded: a buyer's refund evidence is not there for it
      for (const role of ['clerk', 'field_lead', 'leadership'] as const) expect((await fetchEvidence(role, buyerFile.body.id)).statusCode, role).toBe(404);
      const deskFile = await upload({ role: 'field_lead' }, PNG, 'image/png');
      for (const role of ['clerk', 'field_lead', 'leadership', 'agent'] as const) expect((await fetchEvidence(role, deskFile.body.id)).statusCode, role).toBe(200);

      // the buyer portal (order number + phone) uploads and reads back its own file
      const order = await makeOrder(ctx, f, 'signed');
      const portal = await app.inject({ method: 'POST', url: '/api/v1/buyer/session', payload: { orderNo: order.orderNo, phone: '13812341234' } });
      expect(portal.statusCode).toBe(200);
      const browser = { cookie: String(portal.headers['set-cookie']).split(';')[0]!, csrf: portal.json().csrfToken as string };
      const noCsrf = await upload({ ...browser, csrf: 'wrong' }, PNG, 'image/png');
      expect(noCsrf.status).toBe(403);
      const mine = await upload(browser, WEBP, 'image/webp');
      expect(mine.status, JSON.stringify(mine.body)).toBe(201);
      const readBack = await app.inject({ method: 'GET', url: `/api/v1/evidence/${mine.body.id}`, headers: { cookie: browser.cookie } });
      expect(readBack.statusCode).toBe(200);
      expect(readBack.headers['content-type']).toBe('image/webp');
      const notMine = await app.inject({ method: 'GET', url: `/api/v1/evidence/${staffFile.body.id}`, headers: { cookie: browser.cookie } });
      expect(notMine.statusCode).toBe(404);
      // and puts it into the application
      const applied = await app.inject({
        method: 'POST',
        url: '/api/v1/refunds',
        headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrf },
        payload: { orderNo: order.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 800, evidence: [mine.body.ref] },
      });
      expect(applied.statusCode).toBe(201);
      expect(applied.json().evidence).toEqual([mine.body.ref]);

      for (const [id, status] of [['abc', 400], ['0', 400], ['99999999999', 400], ['424242', 404]] as const) {
        expect((await fetchEvidence('agent', id)).statusCode, id).toBe(status);
      }
      expect((await app.inject({ method: 'GET', url: `/api/v1/evidence/${buyerFile.body.id}` })).statusCode).toBe(401);
      expect((await app.inject({ method: 'POST', url: '/api/v1/evidence', headers: { 'content-type': 'image/png' }, payload: PNG })).statusCode).toBe(401);
    });

    it('evidence: an Idempotency-Key replays the same upload and refuses other bytes under it', async () => {
      const files = await rowCount('evidence_files');
      const first = await upload({ role: 'agent' }, PDF, 'application/pdf', { 'idempotency-key': 'scan-1' });
      expect(first.status).toBe(201);
      const again = await upload({ role: 'agent' }, PDF, 'application/pdf', { 'idempotency-key': 'scan-1' });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const otherBytes = await upload({ role: 'agent' }, Buffer.concat([PDF, Buffer.from('x')]), 'application/pdf', { 'idempotency-key': 'scan-1' });
      expect(otherBytes.status).toBe(422);
      expect(otherBytes.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await rowCount('evidence_files')).toBe(files + 1);
    });

    it('the OpenAPI document describes the new routes and the queue\'s filters', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      expect(doc.paths['/api/v1/refunds/{id}/assign'].post.summary).toMatch(/Claim/);
      expect(doc.paths['/api/v1/staff'].get.summary).toMatch(/assignee picker/);
      expect(doc.paths['/api/v1/evidence'].post.summary).toMatch(/evidence:<id>/);
      expect(doc.paths['/api/v1/evidence/{id}'].get.summary).toMatch(/inline/);
      const params = (doc.paths['/api/v1/refunds'].get.parameters as { name: string }[]).map((p) => p.name);
      for (const name of ['assignee', 'goodsStatus', 'reason', 'trackingNo', 'createdFrom']) expect(params).toContain(name);
    });
  });
}
