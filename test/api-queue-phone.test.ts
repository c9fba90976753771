/**
 * Issue 16 §1 over HTTP, on each database: the queue filtered by the buyer's phone number (GET /refunds?phone=…),
 * the number written as a caller says it; the count and the export take the same filter; only the shop's own
 * refunds, a buyer only their own, and only for the roles that may see a phone number in full.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type Api } from '../src/http/server.ts';
import { storedPhoneKey } from '../src/core/refund/buyer-phone.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { BUYER_NICK, makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';

for (const dialect of DIALECTS) {
  describe(`the queue's phone filter [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let g: ShopFixture;
    let api: ReturnType<typeof client>;
    /** the fixture buyer's refunds: one on an order stored as 13812341234, one as "+86 138-1234-1234" */
    const mine: number[] = [];
    let other = 0;
    let landline = 0;
    let otherShop = 0;

    const buyer = (nick: string, phone: string) => ({
      nick,
      name: '李小美',
      phone,
      address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' },
    });
    const refundOn = async (fx: ShopFixture, orderNo: string): Promise<number> => {
      const res = await client(app, fx).post('system', '/api/v1/refunds', { orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 1000 });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return (res.body as { id: number }).id;
    };

    beforeAll(async () => {
      ctx = await createTestContext(dialect, new Date('2026-11-02T02:00:00.000Z'));
      f = await setupShop(ctx, 'phone-a');
      g = await setupShop(ctx, 'phone-b');
      app = await buildServer({ ctx });
      api = client(app, f);
      for (const phone of ['13812341234', '+86 138-1234-1234']) {
        mine.push(await refundOn(f, (await makeOrder(ctx, f, 'signed', { buyer: buyer(BUYER_NICK, phone) })).orderNo));
      }
      other = await refundOn(f, (await makeOrder(ctx, f, 'signed', { buyer: buyer('tb_other', '13999990000') })).orderNo);
      landline = await refundOn(f, (await makeOrder(ctx, f, 'signed', { buyer: buyer('tb_office', '(0571) 8888-6666') })).orderNo);
      otherShop = await refundOn(g, (await makeOrder(ctx, g, 'signed', { buyer: buyer(BUYER_NICK, '13812341234') })).orderNo);
      mine.sort((a, b) => a - b);
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    const idsOf = async (role: 'agent' | 'buyer' | 'warehouse' | 'supervisor', query: string, fx = f) => {
      const res = await client(app, fx).get(role, `/api/v1/refunds?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.items as { id: number }[]).map((i) => i.id).sort((a, b) => a - b);
    };
    const countOf = async (role: 'agent' | 'buyer', query: string) => {
      const res = await api.get(role, `/api/v1/refunds/count?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.count as number;
    };
    const phone = (written: string) => `phone=${encodeURIComponent(written)}`;

    it('issue 16 §1: finds the buyer\'s refunds with the number written with spaces, dashes, brackets or +86, and no one else\'s', async () => {
      for (const written of ['13812341234', '138 1234 1234', '138-1234-1234', '+86 138 1234 1234', '+8613812341234', '86-138-1234-1234', '0086 13812341234', ' (138) 1234 1234 ']) {
        expect(await idsOf('agent', phone(written)), written).toEqual(mine);
        expect(await countOf('agent', phone(written)), written).toBe(2);
      }
      expect(await idsOf('agent', phone('139 9999 0000'))).toEqual([other]);
      expect(await idsOf('agent', phone('13800000000'))).toEqual([]);
      expect(await idsOf('supervisor', phone('+86 139-9999-0000'))).toEqual([other]);
      expect(await idsOf('warehouse', phone('13812341234'))).toEqual(mine);
    });

    it('issue 16 §1: a landline is found by its area code and number, however the two are written', async () => {
      for (const written of ['0571-88886666', '0571 8888 6666', '(0571) 88886666', '057188886666']) {
        expect(await idsOf('agent', phone(written)), written).toEqual([landline]);
      }
      expect(await idsOf('agent', phone('0571-88886667'))).toEqual([]);
    });

    it('issue 16 §1: the phone filter goes with the others, and the count and the export agree with the list', async () => {
      expect(await idsOf('agent', `${phone('13812341234')}&status=WAIT_SELLER_AGREE&open=true`)).toEqual(mine);
      expect(await idsOf('agent', `${phone('13812341234')}&status=SUCCESS`)).toEqual([]);
      expect(await countOf('agent', `${phone('13812341234')}&status=SUCCESS`)).toBe(0);
      // one page at a time gives the same refunds
      const first = await api.get('agent', `/api/v1/refunds?limit=1&${phone('138 1234 1234')}`);
      const second = await api.get('agent', `/api/v1/refunds?limit=1&${phone('138 1234 1234')}&cursor=${first.body.nextCursor}`);
      expect([first.body.items[0].id, second.body.items[0].id].sort((a: number, b: number) => a - b)).toEqual(mine);
      expect(second.body.nextCursor).toBeNull();
      const csv = await api.get('agent', `/api/v1/refunds/export?format=csv&${phone('+86 138 1234 1234')}`);
      expect(csv.status).toBe(200);
      const lines = String(csv.body).trim().split(/\r?\n/);
      expect(lines).toHaveLength(1 + mine.length);
    });

    it("issue 16 §1: only the shop's own refunds: another shop's agent finds that shop's refund of the same number", async () => {
      expect(await idsOf('agent', phone('13812341234'), g)).toEqual([otherShop]);
      expect(await idsOf('agent', phone('13812341234'))).not.toContain(otherShop);
    });

    it('issue 16 §1: a buyer cannot widen their view: another buyer\'s number finds nothing, their own only their refunds', async () => {
      expect(await idsOf('buyer', phone('13999990000'))).toEqual([]);
      expect(await countOf('buyer', phone('13999990000'))).toBe(0);
      expect(await idsOf('buyer', phone('0571-88886666'))).toEqual([]);
      expect(await idsOf('buyer', phone('13812341234'))).toEqual(mine);
      // the same number in the other shop is not theirs to see from this shop's token
      expect(await idsOf('buyer', phone('13812341234'))).not.toContain(otherShop);
    });

    it('issue 16 §1: a role that sees phone numbers masked may not search by one (the hidden digits could be guessed)', async () => {
      for (const role of ['finance', 'design', 'merchandise', 'presales', 'platform'] as const) {
        for (const path of ['/api/v1/refunds', '/api/v1/refunds/count']) {
          const res = await api.get(role, `${path}?${phone('13812341234')}`);
          expect(res.status, `${role} ${path}`).toBe(400);
          expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'phone' } });
        }
      }
    });

    it('issue 16 §1: what is not a phone number answers 400 naming the field phone', async () => {
      for (const bad of ['abc', '1381234', '1381234123x', '138123412345678', '138****1234', '88886666', '', 'x'.repeat(41)]) {
        for (const path of ['/api/v1/refunds', '/api/v1/refunds/count', '/api/v1/refunds/export']) {
          const res = await api.get('agent', `${path}?${phone(bad)}`);
          expect(res.status, `${path} ${bad}`).toBe(400);
          expect(res.body.error.code).toBe('VALIDATION_FAILED');
          expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['phone']);
          expect(res.body.error.message).toMatch(/phone/);
        }
      }
    });

    it('issue 16 §1 (migration 016): the database keys a stored number as storedPhoneKey does', async () => {
      const stored = ['13812341234', '+86 138 1234 1234', '+86-138-1234-1234', '8613812341234', '0086 138 1234 1234', '（138）1234-1234', '138\u30001234\u30001234', '(0571) 8888-6666', '138****1234', '+1 415 555 0100', '8612345'];
      for (const [i, phoneText] of stored.entries()) {
        const o = await makeOrder(ctx, f, 'paid', { buyer: buyer(`tb_key_${i}`, phoneText) });
        const row = await ctx.db.kysely.selectFrom('orders').select('buyer_phone_key').where('id', '=', o.id).executeTakeFirstOrThrow();
        expect(row.buyer_phone_key, phoneText).toBe(storedPhoneKey(phoneText));
        // a later change of the number (the platform's upsert, an import) changes the key with it
        await ctx.db.kysely.updateTable('orders').set({ buyer_phone: `${phoneText}9` }).where('id', '=', o.id).execute();
        const after = await ctx.db.kysely.selectFrom('orders').select('buyer_phone_key').where('id', '=', o.id).executeTakeFirstOrThrow();
        expect(after.buyer_phone_key, `${phoneText}9`).toBe(storedPhoneKey(`${phoneText}9`));
      }
    });
  });
}
