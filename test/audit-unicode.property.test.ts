/**
 * Issue 11 §1: no text can make an audit row disagree with its hash. A lone
 * surrogate, NUL, a BOM or a 4-byte character in any audited field is stored
 * and hashed in the same form, so the chain verifies on both databases; and
 * the API refuses such text at the edge, naming the field.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../src/app/audit.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { setupShop, type ShopFixture } from './support/fixtures.ts';

/** Any UTF-16 code unit (lone surrogates included), any code point, and the awkward ones by name. */
const unit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom('\u0000', '\ufeff', '😀', '\ud83d', '\ude00', '\u2028', '\r\n', '"', '\\', '售后'),
);
const text = fc.string({ unit, maxLength: 24 });

for (const dialect of DIALECTS) {
  describe(`the audit chain holds any text [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;

    beforeAll(async () => {
      ctx = await createTestContext(dialect);
      f = await setupShop(ctx, 'shop-a');
      app = await buildServer({ ctx });
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    it('issue 11: arbitrary strings (lone surrogates, NUL, BOM, 4-byte characters) in every audited field keep the chain verifiable', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({ actorName: text, role: text, action: text, targetType: text, targetId: text, ip: text, key: text, value: text }),
          async (e) => {
            await ctx.db.kysely.transaction().execute((trx) =>
              appendAudit(trx, {
                at: ctx.clock.now(),
                shopId: f.shop.id,
                actorKind: 'anonymous',
                actorId: null,
                actorName: e.actorName,
                role: e.role,
                action: e.action,
                targetType: e.targetType,
                targetId: e.targetId,
                outcome: 'failed',
                ip: e.ip,
                details: { [e.key]: e.value, nested: [e.value, { v: e.actorName }] },
              }),
            );
            const verdict = await verifyAuditChain(ctx.db.kysely);
            expect(verdict.firstBroken).toBeNull();
            expect(verdict.ok).toBe(true);
          },
        ),
        { numRuns: dialect === 'sqlite' ? 150 : 60 },
      );
    });

    it('issue 11: a sign-in with a lone surrogate in the username is refused with 400 naming the field, and the chain stays intact', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: { 'content-type': 'application/json' },
        payload: '{"username":"\\ud800","password":"whatever1"}',
      });
      expect(res.statusCode).toBe(400);
      const body = res.json() as { error: { code: string; details: { field: string } } };
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.details.field).toBe('username');
      // a surrogate in a nested field and in a key are named too
      const nested = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: { 'content-type': 'application/json' },
        payload: '{"username":"agent","password":"whatever1","x":{"\\udc00":"a"}}',
      });
      expect(nested.statusCode).toBe(400);
      expect((nested.json() as { error: { details: { field: string } } }).error.details.field).toBe('x.?');
      // well-formed 4-byte characters are text like any other (401: no such user), and the chain verifies
      const emoji = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'a😀b', password: 'whatever1' } });
      expect(emoji.statusCode).toBe(401);
      const verify = await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: { authorization: `Bearer ${f.tokens.supervisor}` } });
      expect(verify.statusCode).toBe(200);
      expect((verify.json() as { ok: boolean }).ok).toBe(true);
    });
  });
}
