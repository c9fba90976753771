/**
 * Issue 14 §3–4: signed webhooks (Standard Webhooks, verified by the
 * standardwebhooks package in a local receiver) and the event feed, on both
 * databases: events from changes, retries with the same webhook-id, the
 * delivery log, the 3-day disable, no private addresses, no redirects, and two
 * processes delivering each event once per endpoint (PostgreSQL).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.ts';
import { runDueEventWork } from '../src/app/events/workers.ts';
import { openDatabase } from '../src/db/connection.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';

interface Received {
  id: string;
  body: Record<string, unknown>;
  verified: boolean;
}

/** A receiver on this machine: answers with the status it is told, and verifies each delivery with the secret. */
async function receiver() {
  const got: Received[] = [];
  let answer = 200;
  let secret = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        new Webhook(secret).verify(raw, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      got.push({ id: String(req.headers['webhook-id']), body: JSON.parse(raw) as Record<string, unknown>, verified });
      if (answer === 302) res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
      else res.writeHead(answer).end(answer >= 400 ? 'x'.repeat(3000) : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    got,
    answerWith: (status: number) => (answer = status),
    useSecret: (s: string) => (secret = s),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const dialect of DIALECTS) {
  describe(`issue 14: webhooks and the event feed [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let rx: Awaited<ReturnType<typeof receiver>>;
    beforeAll(async () => {
      ctx = await createTestContext(dialect, new Date('2026-11-02T02:00:00.000Z'));
      ctx.allowPrivateWebhooks = true;
      f = await setupShop(ctx, 'hooks');
      app = await buildServer({ ctx });
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });
    beforeEach(async () => {
      rx = await receiver();
    });
    afterEach(async () => {
      await rx.close();
      await ctx.db.kysely.deleteFrom('webhook_deliveries').execute();
      await ctx.db.kysely.deleteFrom('webhook_endpoints').execute();
    });

    const work = (owner = 'p1') => runDueEventWork(ctx, { owner });

    it('issue 14 §3: a refund applied and agreed is delivered signed (verified with standardwebhooks); the secret is shown once; the feed has the same events', async () => {
      const api = client(app, f);
      const created = await api.post('admin', '/api/v1/webhooks', { url: rx.url, eventTypes: ['refund.created', 'refund.status_changed'], description: 'ERP' });
      expect(created.status).toBe(201);
      expect(created.body.secret).toMatch(/^whsec_/);
      rx.useSecret(created.body.secret);
      expect(JSON.stringify((await api.get('admin', '/api/v1/webhooks')).body)).not.toContain(created.body.secret.slice(6));
      await work(); // the setup's earlier rows are not for this endpoint's events
      rx.got.length = 0;
      const order = await makeOrder(ctx, f, 'signed');
      const refund = await api.post('buyer', '/api/v1/refunds', { orderNo: order.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 1000 });
      expect(refund.status).toBe(201);
      expect((await api.act('agent', refund.body.id, 'agree')).status).toBe(200);
      await work();
      expect(rx.got.map((g) => g.body.type)).toEqual(['refund.created', 'refund.status_changed']);
      expect(rx.got.every((g) => g.verified)).toBe(true);
      expect(rx.got[1]!.body).toMatchObject({ data: { shop: 'hooks', object: { type: 'refund', id: String(refund.body.id), current: { status: 'SUCCESS' } }, change: { from: 'WAIT_SELLER_AGREE', to: 'SUCCESS' } } });
      // the refund as GET /refunds/{id} shows it (labels in Chinese, no assignee)
      const shown = await api.get('supervisor', `/api/v1/refunds/${refund.body.id}`);
      const { assignee: _a, allowedActions: _b, events: _c, playbook: _d, order: _e, rootCause: _f, returnPostage: _g, deadline: _h, ...plain } = shown.body;
      expect((rx.got[1]!.body as { data: { object: { current: unknown } } }).data.object.current).toMatchObject({ ...plain, statusLabel: '退款成功', assignee: null });
      // the feed, with a cursor, filtered by type
      const feed = await api.get('supervisor', '/api/v1/events?types=refund.created,refund.status_changed');
      const mine = feed.body.events.filter((e: { object: { id: string } }) => e.object.id === String(refund.body.id));
      expect(mine.map((e: { type: string }) => e.type)).toEqual(['refund.created', 'refund.status_changed']);
      const after = await api.get('supervisor', `/api/v1/events?after=${feed.body.cursor}`);
      expect(after.body.events).toEqual([]);
      expect((await api.get('agent', '/api/v1/events')).status).toBe(403);
      expect((await api.get('supervisor', '/api/v1/events?types=nope')).status).toBe(400);
    });

    it('issue 14 §3: a failing endpoint gets the same webhook-id again until it answers; the log keeps status, the first 1 KB and the next try', async () => {
      const api = client(app, f);
      const created = await api.post('admin', '/api/v1/webhooks', { url: rx.url, eventTypes: ['refund.created'] });
      rx.useSecret(created.body.secret);
      await work();
      rx.answerWith(500);
      const order = await makeOrder(ctx, f, 'signed');
      await api.post('buyer', '/api/v1/refunds', { orderNo: order.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 1000 });
      await work();
      const log1 = (await api.get('admin', `/api/v1/webhooks/${created.body.endpoint.id}/deliveries`)).body;
      expect(log1[0]).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500 });
      expect(log1[0].responseBody).toHaveLength(1024);
      expect(log1[0].nextAttemptAt).not.toBeNull();
      ctx.clock.set(new Date(ctx.clock.now().getTime() + 10_000));
      rx.answerWith(200);
      await work();
      const ids = rx.got.map((g) => g.id);
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(1);
      expect((await api.get('admin', `/api/v1/webhooks/${created.body.endpoint.id}/deliveries`)).body[0]).toMatchObject({ status: 'delivered', attempts: 2 });
      // redeliver and a test event
      expect((await api.post('admin', `/api/v1/webhooks/${created.body.endpoint.id}/deliveries/${log1[0].id}/redeliver`)).status).toBe(204);
      expect((await api.post('admin', `/api/v1/webhooks/${created.body.endpoint.id}/test`)).status).toBe(202);
      await work();
      expect(rx.got.slice(2).map((g) => g.body.type).sort()).toEqual(['refund.created', 'webhook.test']);
      expect(rx.got.slice(2).every((g) => g.verified)).toBe(true);
    });

    it('issue 14 §3: failing for 3 days disables the endpoint and tells the admin; redirects are not followed', async () => {
      const api = client(app, f);
      const created = await api.post('admin', '/api/v1/webhooks', { url: rx.url, eventTypes: ['refund.created'] });
      rx.useSecret(created.body.secret);
      await work();
      rx.answerWith(302);
      const order = await makeOrder(ctx, f, 'signed');
      await api.post('buyer', '/api/v1/refunds', { orderNo: order.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 1000 });
      const start = ctx.clock.now().getTime();
      for (let h = 0; h <= 80; h += 6) {
        ctx.clock.set(new Date(start + h * 3_600_000));
        await work();
      }
      expect(rx.got.length).toBeGreaterThan(3);
      const ep = (await api.get('admin', '/api/v1/webhooks')).body.find((e: { id: number }) => e.id === created.body.endpoint.id);
      expect(ep).toMatchObject({ enabled: false });
      expect(ep.disabledReason).toContain('302');
      const audit = (await api.get('admin', '/api/v1/audit?action=webhook.disabled')).body;
      expect(audit).toHaveLength(1);
      ctx.clock.set(new Date(start));
    });

    it('issue 11/14: a secret shown once is not kept in the Idempotency-Key store; a replay says so; an endpoint turned off takes no sends', async () => {
      const api = client(app, f);
      const first = await api.post('admin', '/api/v1/webhooks', { url: rx.url, eventTypes: ['refund.created'] }, { 'idempotency-key': 'hook-1' });
      expect(first.status).toBe(201);
      expect(first.body.secret).toMatch(/^whsec_/);
      const stored = await ctx.db.kysely.selectFrom('idempotency_keys').select('response').where('key', '=', 'hook-1').executeTakeFirstOrThrow();
      expect(stored.response).not.toContain('whsec_');
      const replay = await api.post('admin', '/api/v1/webhooks', { url: rx.url, eventTypes: ['refund.created'] }, { 'idempotency-key': 'hook-1' });
      expect(replay.status).toBe(201);
      expect(replay.body.secret).toBe('(shown once; not kept for a replay)');
      expect(replay.body.endpoint.id).toBe(first.body.endpoint.id);
      const token = await api.post('admin', '/api/v1/tokens', { name: 'erp', role: 'system' }, { 'idempotency-key': 'token-1' });
      expect(token.status).toBe(201);
      const storedToken = await ctx.db.kysely.selectFrom('idempotency_keys').select('response').where('key', '=', 'token-1').executeTakeFirstOrThrow();
      expect(storedToken.response).not.toContain(token.body.token);
      expect((await api.patch('admin', `/api/v1/webhooks/${first.body.endpoint.id}`, { enabled: false })).status).toBe(200);
      const test = await api.post('admin', `/api/v1/webhooks/${first.body.endpoint.id}/test`);
      expect(test.status).toBe(409);
      expect(test.body.error.details.reason).toBe('endpoint_disabled');
    });

    it('issue 14 §3: endpoints on private, loopback or link-local addresses are refused unless the operator allows them', async () => {
      ctx.allowPrivateWebhooks = false;
      try {
        const api = client(app, f);
        for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://10.1.2.3/x', 'http://192.168.0.9/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://[fd00::1]/x', 'ftp://example.com/x']) {
          const res = await api.post('admin', '/api/v1/webhooks', { url, eventTypes: ['refund.created'] });
          expect(res.status, url).toBe(400);
        }
        expect((await api.post('agent', '/api/v1/webhooks', { url: 'https://erp.example.com/h', eventTypes: ['refund.created'] })).status).toBe(403);
      } finally {
        ctx.allowPrivateWebhooks = true;
      }
    });

    if (dialect === 'postgres') {
      it('issue 14 §3: two processes deliver each event once per endpoint (FOR UPDATE SKIP LOCKED)', async () => {
        const other: AppContext = { db: openDatabase(ctx.testDb.target), clock: ctx.clock, calendar: ctx.calendar, allowPrivateWebhooks: true };
        try {
          const api = client(app, f);
          const created = await api.post('admin', '/api/v1/webhooks', { url: rx.url, eventTypes: ['refund.created', 'refund.status_changed'] });
          rx.useSecret(created.body.secret);
          await work();
          rx.got.length = 0;
          for (let i = 0; i < 12; i++) {
            const order = await makeOrder(ctx, f, 'signed');
            await api.post('buyer', '/api/v1/refunds', { orderNo: order.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'unwanted', amountFen: 500 + i });
          }
          for (let i = 0; i < 3; i++) await Promise.all([runDueEventWork(ctx, { owner: 'a' }), runDueEventWork(other, { owner: 'b' })]);
          expect(rx.got).toHaveLength(12);
          expect(new Set(rx.got.map((g) => g.id)).size).toBe(12);
        } finally {
          await other.db.close();
        }
      });
    }
  });
}
