/**
 * Evidence references (issue 13 §6): every `evidence:<id>` a refund or a
 * record cites is a file of the shop (for the buyer, their own upload), and no
 * file is cited by two cases. A refund and the records filed for it are one
 * case: its application, a modification, the refusal and, say, a department
 * task on it may share a file. Other references (a screenshot's name, a
 * photo's URL) are the agent's words and keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActorToken } from '../src/app/shops.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-evidence-ref')]);

for (const dialect of DIALECTS) {
  describe(`evidence references [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let other: ShopFixture;
    let api: ReturnType<typeof client>;
    let otherBuyerToken: string;

    beforeAll(async () => {
      ctx = await createTestContext(dialect, new Date('2026-11-02T02:00:00.000Z'));
      f = await setupShop(ctx, 'shop-a');
      other = await setupShop(ctx, 'shop-b');
      otherBuyerToken = (await createActorToken(ctx, { shopId: f.shop.id, role: 'buyer', name: 'another buyer', buyerNick: 'tb_someone_else' })).token;
      app = await buildServer({ ctx });
      api = client(app, f);
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    async function upload(token: string): Promise<string> {
      const res = await app.inject({ method: 'POST', url: '/api/v1/evidence', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, payload: PNG });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { ref: string }).ref;
    }

    async function refund(body: Record<string, unknown> = {}) {
      const order = await makeOrder(ctx, f, 'signed');
      const r = await api.post('buyer', '/api/v1/refunds', { orderNo: order.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 1000, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return { ...(r.body as { id: number; version: number }), orderNo: order.orderNo };
    }

    it('S2.8 a refusal citing an evidence file that does not exist, or another shop\'s, is refused with 422 naming the reference, and changes nothing', async () => {
      const r = await refund();
      const invented = await api.act('agent', r.id, 'refuse', { reason: '商品无质量问题', evidence: ['chat.png', 'evidence:999999'] });
      expect(invented.status).toBe(422);
      expect(invented.body.error).toMatchObject({ code: 'EVIDENCE_NOT_FOUND', details: { ref: 'evidence:999999', field: 'evidence', index: 1 } });
      const theirs = await upload(other.tokens.agent);
      const across = await api.act('agent', r.id, 'refuse', { reason: '商品无质量问题', evidence: [theirs] });
      expect(across.status).toBe(422);
      expect(across.body.error).toMatchObject({ code: 'EVIDENCE_NOT_FOUND', details: { ref: theirs } });
      const malformed = await api.act('agent', r.id, 'refuse', { reason: '商品无质量问题', evidence: ['evidence:abc'] });
      expect(malformed.body.error.code).toBe('EVIDENCE_NOT_FOUND');
      const after = await api.get('agent', `/api/v1/refunds/${r.id}`);
      expect(after.body).toMatchObject({ status: 'WAIT_SELLER_AGREE', version: r.version });
      // the agent's own words and a real upload go through
      const mine = await upload(f.tokens.agent);
      const ok = await api.act('agent', r.id, 'refuse', { reason: '商品无质量问题', evidence: ['旺旺聊天记录截图', 'wangwang:2026-11-02 买家确认', mine] });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.refusal.evidence).toEqual(['旺旺聊天记录截图', 'wangwang:2026-11-02 买家确认', mine]);
    });

    it('S3.3 a buyer\'s application cites only files the buyer uploaded: invented ids, staff files and another buyer\'s answer 422', async () => {
      const order = await makeOrder(ctx, f, 'signed');
      const body = { orderNo: order.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'damaged', amountFen: 1000 };
      const invented = await api.post('buyer', '/api/v1/refunds', { ...body, evidence: ['evidence:999999'] });
      expect(invented.status).toBe(422);
      expect(invented.body.error).toMatchObject({ code: 'EVIDENCE_NOT_FOUND', details: { ref: 'evidence:999999' } });
      const staffFile = await upload(f.tokens.agent);
      expect((await api.post('buyer', '/api/v1/refunds', { ...body, evidence: [staffFile] })).body.error.code).toBe('EVIDENCE_NOT_FOUND');
      const someoneElses = await upload(otherBuyerToken);
      expect((await api.post('buyer', '/api/v1/refunds', { ...body, evidence: [someoneElses] })).body.error.code).toBe('EVIDENCE_NOT_FOUND');
      expect((await api.get('agent', `/api/v1/refunds?orderNo=${order.orderNo}`)).body.items).toHaveLength(0);
      const own = await upload(f.tokens.buyer);
      const applied = await api.post('buyer', '/api/v1/refunds', { ...body, evidence: ['开箱照片', own] });
      expect(applied.status, JSON.stringify(applied.body)).toBe(201);
      expect(applied.body.evidence).toEqual(['开箱照片', own]);
      // a modification too
      const swapped = await api.act('buyer', applied.body.id, 'modify', { evidence: [own, someoneElses] });
      expect(swapped.status).toBe(422);
      expect(swapped.body.error).toMatchObject({ code: 'EVIDENCE_NOT_FOUND', details: { ref: someoneElses, index: 1 } });
    });

    it('a file is shared within one refund (its application, the refusal, a department task on it) and refused anywhere else', async () => {
      const photo = await upload(f.tokens.buyer);
      const r = await refund({ evidence: [photo] });
      // the agent cites the buyer's photo on the refusal of the same refund, and on a department task of it
      const task = await api.post('agent', '/api/v1/records/department_task', { orderNo: r.orderNo, refundId: r.id, problem: 'heel', description: '鞋跟与页面不符', photos: [photo] });
      expect(task.status, JSON.stringify(task.body)).toBe(201);
      const refused = await api.act('agent', r.id, 'refuse', { reason: '鞋跟与页面一致', evidence: [photo] });
      expect(refused.status, JSON.stringify(refused.body)).toBe(200);
      // another refund, another buyer's application, a task on no refund: another case
      const second = await refund();
      const elsewhere = await api.act('agent', second.id, 'refuse', { reason: '无质量问题', evidence: [photo] });
      expect(elsewhere.status).toBe(422);
      expect(elsewhere.body.error).toMatchObject({ code: 'EVIDENCE_IN_USE', details: { ref: photo, usedBy: { refundId: r.id } } });
      const order = await makeOrder(ctx, f, 'signed');
      const applied = await api.post('buyer', '/api/v1/refunds', { orderNo: order.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 1000, evidence: [photo] });
      expect(applied.body.error.code).toBe('EVIDENCE_IN_USE');
      const loose = await api.post('agent', '/api/v1/records/department_task', { orderNo: order.orderNo, problem: 'toe', description: '鞋头', photos: [photo] });
      expect(loose.status).toBe(422);
      expect(loose.body.error).toMatchObject({ code: 'EVIDENCE_IN_USE', details: { field: 'photos' } });
      // a record's invented file is refused as well; a URL is the agent's own reference
      const invented = await api.post('agent', '/api/v1/records/department_task', { orderNo: order.orderNo, problem: 'toe', description: '鞋头', photos: ['https://img.example/1.jpg', 'evidence:999998'] });
      expect(invented.body.error).toMatchObject({ code: 'EVIDENCE_NOT_FOUND', details: { ref: 'evidence:999998', field: 'photos' } });
      // uploaded again, it is a file of its own
      const again = await upload(f.tokens.agent);
      expect((await api.act('agent', second.id, 'refuse', { reason: '无质量问题', evidence: [again] })).status).toBe(200);
    });

    it('a refusal cited by a refund whose buyer then modified it still holds the file for that refund', async () => {
      const photo = await upload(f.tokens.agent);
      const r = await refund();
      expect((await api.act('agent', r.id, 'refuse', { reason: '无质量问题', evidence: [photo] })).status).toBe(200);
      expect((await api.act('buyer', r.id, 'modify', { reason: 'no_reason_7d' })).status).toBe(200);
      const second = await refund();
      expect((await api.act('agent', second.id, 'refuse', { reason: '无质量问题', evidence: [photo] })).body.error.code).toBe('EVIDENCE_IN_USE');
    });

    it('two refusals citing one file at the same moment: one goes through, the other answers EVIDENCE_IN_USE', async () => {
      const photo = await upload(f.tokens.agent);
      const [a, b] = [await refund(), await refund()];
      const answers = await Promise.all([a, b].map((r) => api.post('agent', `/api/v1/refunds/${r.id}/refuse`, { version: r.version, reason: '无质量问题', evidence: [photo] })));
      expect(answers.map((x) => x.status).sort()).toEqual([200, 422]);
      expect(answers.find((x) => x.status === 422)!.body.error.code).toBe('EVIDENCE_IN_USE');
    });
  });
}
