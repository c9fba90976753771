/**
 * Every route × every role against the permission table; bad input of every
 * kind answers a clear 4xx and writes nothing; Idempotency-Key replays.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissions } from '../src/app/access.ts';
import { roles } from '../src/core/roles.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';

const TABLES = ['orders', 'order_lines', 'order_remarks', 'order_events', 'refunds', 'refund_events', 'payouts'] as const;

for (const dialect of DIALECTS) {
  describe(`API guardrails [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let api: ReturnType<typeof client>;
    let orderNo: string;
    let refundId: number;

    async function counts(): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      for (const t of TABLES) {
        const row = await ctx.db.kysely.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        out[t] = Number(row.n);
      }
      return out;
    }

    function fill(url: string): string {
      return url.replace(':orderNo', orderNo).replace(':id', String(refundId)).replace(':userId', '999999').replace(':tokenId', '999999').replace(':key', 'ask_change_reason').replace(':batchId', '999999').replace(':refundId', String(refundId));
    }

    beforeAll(async () => {
      ctx = await createTestContext(dialect);
      f = await setupShop(ctx);
      app = await buildServer({ ctx });
      api = client(app, f);
      const order = await makeOrder(ctx, f, 'signed');
      orderNo = order.orderNo;
      const r = await api.post('buyer', '/api/v1/refunds', { orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 100 });
      refundId = r.body.id;
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    it('every /api/v1 route declares a permission from the table, or is one of the two sign-in routes', () => {
      const v1 = app.shouhouRoutes.filter((r) => r.url.startsWith('/api/v1/'));
      expect(v1.length).toBeGreaterThan(25);
      for (const route of v1) {
        if (route.public) {
          expect([`POST /api/v1/session`, `POST /api/v1/buyer/session`]).toContain(`${route.method} ${route.url}`);
          continue;
        }
        expect(route.permission, `${route.method} ${route.url}`).toBeDefined();
        expect(Object.keys(permissions)).toContain(route.permission);
      }
    });

    it('every route × every role answers as the permission table says (403 exactly for the roles left out)', async () => {
      const before = await counts();
      for (const route of app.shouhouRoutes.filter((r) => r.url.startsWith('/api/v1/') && !r.public)) {
        const allowed = permissions[route.permission!] as readonly string[];
        for (const role of roles) {
          const res = await app.inject({
            method: route.method as 'GET' | 'POST' | 'PATCH',
            url: fill(route.url),
            headers: { authorization: `Bearer ${f.tokens[role]}` },
            // an invalid body: allowed roles get a 4xx that is not 403, others 403; nothing changes either way
            ...(route.method === 'GET' ? {} : { payload: { unexpected: true } }),
          });
          const where = `${route.method} ${route.url} as ${role}: ${res.statusCode} ${res.body.slice(0, 200)}`;
          if (allowed.includes(role)) {
            expect(res.statusCode, where).not.toBe(403);
            expect(res.statusCode, where).toBeLessThan(500);
          } else {
            expect(res.statusCode, where).toBe(403);
            expect(res.json().error.code, where).toBe('FORBIDDEN');
          }
        }
        const anonymous = await app.inject({ method: route.method as 'GET', url: fill(route.url) });
        expect(anonymous.statusCode, `${route.method} ${route.url} without a token`).toBe(401);
      }
      expect(await counts()).toEqual(before);
    });

    it('a revoked-looking or malformed token answers 401', async () => {
      for (const header of ['Bearer nonsense', 'Bearer ', 'Basic abc', `Bearer ${f.tokens.agent}x`]) {
        const res = await app.inject({ method: 'GET', url: '/api/v1/refunds', headers: { authorization: header } });
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe('UNAUTHENTICATED');
      }
    });

    it('malformed bodies, wrong media types, unknown routes and bad ids answer 4xx with a code, and write nothing', async () => {
      const before = await counts();
      const auth = { authorization: `Bearer ${f.tokens.buyer}` };
      const cases = [
        { method: 'POST', url: '/api/v1/refunds', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"orderNo": ', code: 'VALIDATION_FAILED', status: 400 },
        { method: 'POST', url: '/api/v1/refunds', headers: { ...auth, 'content-type': 'text/plain' }, payload: 'hello', code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 },
        { method: 'POST', url: '/api/v1/refunds', headers: { ...auth, 'content-type': 'application/json' }, payload: '[]', code: 'VALIDATION_FAILED', status: 400 },
        { method: 'POST', url: '/api/v1/refunds', headers: { ...auth, 'content-type': 'application/json' }, payload: 'null', code: 'VALIDATION_FAILED', status: 400 },
        { method: 'POST', url: '/api/v1/refunds', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 1.5 }), code: 'VALIDATION_FAILED', status: 400 },
        { method: 'POST', url: '/api/v1/refunds', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 1e20 }), code: 'VALIDATION_FAILED', status: 400 },
        { method: 'POST', url: '/api/v1/refunds', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ orderNo: "x'; drop table refunds; --", type: 'refund_only', goodsStatus: 'received', reason: 'quality' }), code: 'VALIDATION_FAILED', status: 400 },
        { method: 'POST', url: '/api/v1/refunds', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ orderNo: 'NOPE123', type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 1 }), code: 'NOT_FOUND', status: 404 },
        { method: 'POST', url: '/api/v1/refunds', headers: { ...auth, 'content-type': 'application/json' }, payload: 'x'.repeat(300_000), code: 'PAYLOAD_TOO_LARGE', status: 413 },
        { method: 'GET', url: '/api/v1/refunds/abc', headers: auth, code: 'VALIDATION_FAILED', status: 400 },
        { method: 'GET', url: '/api/v1/refunds/99999999999999', headers: auth, code: 'VALIDATION_FAILED', status: 400 },
        { method: 'GET', url: '/api/v1/refunds/424242', headers: auth, code: 'NOT_FOUND', status: 404 },
        { method: 'GET', url: '/api/v1/refunds?limit=0', headers: auth, code: 'VALIDATION_FAILED', status: 400 },
        { method: 'GET', url: '/api/v1/refunds?status=NOPE', headers: auth, code: 'VALIDATION_FAILED', status: 400 },
        { method: 'GET', url: '/api/v1/nothing-here', headers: auth, code: 'ROUTE_NOT_FOUND', status: 404 },
        { method: 'GET', url: '/api/v1/refunds?orderNo=%00', headers: auth, code: 'VALIDATION_FAILED', status: 400 },
        { method: 'POST', url: '/api/v1/refunds', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ orderNo: orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 1, description: 'a\u0000b' }), code: 'VALIDATION_FAILED', status: 400 },
        { method: 'DELETE', url: `/api/v1/refunds/${refundId}`, headers: auth, code: 'ROUTE_NOT_FOUND', status: 404 },
      ] as const;
      for (const c of cases) {
        const res = await app.inject({ method: c.method, url: c.url, headers: c.headers, ...('payload' in c ? { payload: c.payload } : {}) });
        const where = `${c.method} ${c.url}: ${res.body.slice(0, 300)}`;
        expect(res.statusCode, where).toBe(c.status);
        expect(res.json().error.code, where).toBe(c.code);
        expect(typeof res.json().error.message, where).toBe('string');
        expect(res.headers['cache-control']).toBe('no-store');
      }
      expect(await counts()).toEqual(before);
    });

    it('random JSON at every POST route never yields a 500', async () => {
      const posts = app.shouhouRoutes.filter((r) => r.method === 'POST' && r.url.startsWith('/api/v1/'));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...posts), fc.constantFrom(...roles), fc.jsonValue(), async (route, role, body) => {
          const res = await app.inject({
            method: 'POST',
            url: fill(route.url),
            headers: { authorization: `Bearer ${f.tokens[role]}`, 'content-type': 'application/json' },
            payload: JSON.stringify(body),
          });
          expect(res.statusCode, `${route.url} ${res.body.slice(0, 200)}`).toBeLessThan(500);
          expect(res.json().error?.code ?? 'ok').toBeTypeOf('string');
        }),
        { numRuns: 150 },
      );
    });

    it('random query strings and path segments at every GET route never yield a 500', async () => {
      const gets = app.shouhouRoutes.filter((r) => r.method === 'GET' && r.url.startsWith('/api/v1/'));
      const segment = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('2147483648', '-1', '0', '1e9', '%00', '..', 'NaN', '99999999999999999999'));
      const cursor = fc.tuple(fc.constantFrom('2026-01-01T00:00:00.000Z', 'x'), fc.constantFrom('2147483648', '1', '-5', '99999999999')).map(([a, b]) =>
        Buffer.from(`${a}|${b}`).toString('base64url'),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...gets),
          fc.constantFrom(...roles),
          segment,
          fc.dictionary(fc.constantFrom('status', 'limit', 'cursor', 'open', 'type', 'reason', 'phase', 'orderNo', 'deadlineBefore', 'beforeId', 'version', 'format', 'action', 'goodsStatus', 'trackingNo', 'createdFrom', 'assignee', 'orderStatus', 'q', 'deviceId', 'region', 'brand', 'owner', 'archiveId', 'recordId', 'incomplete', 'thresholdHours', 'state', 'from', 'to', 'after', 'types', 'kind', 'outcome', 'offset', 'lang', 'fileName', 'exportedAt'), fc.oneof(segment, cursor)),
          async (route, role, seg, query) => {
            const url = `${route.url.replace(/:(\w+)/g, () => encodeURIComponent(seg) || 'x')}?${new URLSearchParams(query).toString()}`;
            const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${f.tokens[role]}` } });
            expect(res.statusCode, `${url} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
          },
        ),
        { numRuns: 300 },
      );
      // a percent-encoded prefix does not slip past authentication
      const sneaky = await app.inject({ method: 'GET', url: '/%61pi/v1/refunds' });
      expect(sneaky.statusCode).toBe(401);
    });

    it('Idempotency-Key: the same key and body replays the first answer; another body is refused with 422', async () => {
      const order = await makeOrder(ctx, f, 'signed');
      const body = { orderNo: order.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 700 };
      const first = await api.post('buyer', '/api/v1/refunds', body, { 'idempotency-key': 'apply-1' });
      expect(first.status).toBe(201);
      const again = await api.post('buyer', '/api/v1/refunds', body, { 'idempotency-key': 'apply-1' });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const other = await api.post('buyer', '/api/v1/refunds', { ...body, amountFen: 800 }, { 'idempotency-key': 'apply-1' });
      expect(other.status).toBe(422);
      expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const refunds = await api.get('agent', `/api/v1/refunds?orderNo=${order.orderNo}`);
      expect(refunds.body.items).toHaveLength(1);
      // the same key of another caller is another key
      const agreed = await api.post('agent', `/api/v1/refunds/${first.body.id}/agree`, { version: 1 }, { 'idempotency-key': 'apply-1' });
      expect(agreed.status).toBe(200);
      const replay = await api.post('agent', `/api/v1/refunds/${first.body.id}/agree`, { version: 1 }, { 'idempotency-key': 'apply-1' });
      expect(replay.status).toBe(200);
      expect(replay.body.status).toBe('SUCCESS');
      const bad = await api.post('agent', `/api/v1/refunds/${first.body.id}/agree`, { version: 1 }, { 'idempotency-key': 'x'.repeat(201) });
      expect(bad.status).toBe(400);
    });

    it('the OpenAPI document lists every route and the docs page is served', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
      expect(doc.openapi).toMatch(/^3\./);
      for (const route of app.shouhouRoutes.filter((r) => r.url.startsWith('/api/v1/'))) {
        const path = route.url.replace(/:(\w+)/g, '{$1}');
        expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
      }
      const page = await app.inject({ method: 'GET', url: '/api/docs' });
      expect([200, 302]).toContain(page.statusCode);
    });
  });
}
