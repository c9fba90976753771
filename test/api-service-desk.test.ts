/**
 * The equipment service desk over HTTP (S5, issue 7), on each database:
 * archives and their warranty, the repair record from the call to the
 * follow-up call, dispatches and their clock, emergencies, the clerk's review,
 * reports, and the guardrails (roles, versions, shops, bad input).
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActorToken, createShop } from '../src/app/shops.ts';
import { createUser } from '../src/app/users.ts';
import { seedDemoUsers } from '../src/app/demo-seed.ts';
import { seedDemoServiceDesk } from '../src/app/service/demo.ts';
import type { StaffRole } from '../src/core/roles.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { setupShop, type ShopFixture } from './support/fixtures.ts';
import { client } from './support/http.ts';
import { signInAs, USER_PASSWORD, type Session } from './support/users.ts';

/** An instant at a Shanghai wall-clock time. */
/** a 2 × 2 PNG */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
const sh = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`);

const customer = (n: string) => ({ organisation: `大连市${n}区教育局`, contact: '张科长', phone: '0411-86651234', siteAddress: `辽宁省大连市${n}区学府路 8 号` });

for (const dialect of DIALECTS) {
  describe(`equipment service desk (S5) [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let other: ShopFixture;
    const ids: Record<string, number> = {};
    const sessions: Record<string, Session> = {};
    let serial = 0;

    async function addUser(shopId: number, username: string, role: StaffRole, displayName: string) {
      const made = await createUser(ctx, { actor: null, username, displayName, password: USER_PASSWORD, role, shopId });
      ids[username] = made.userId;
    }

    /** A request as a signed-in person; signs in again when the test clock ended the session. */
    async function as(username: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
      sessions[username] ??= await signInAs(app, username);
      let res = await sessions[username].call(method, url, payload);
      if (res.status === 401) {
        sessions[username] = await signInAs(app, username);
        res = await sessions[username].call(method, url, payload);
      }
      return res;
    }

    /** An action on a record at its current version. */
    async function act(username: string, recordId: number, action: string, body: Record<string, unknown> = {}) {
      const current = await as('clerk-a', 'GET', `/api/v1/service/records/${recordId}`);
      return as(username, 'POST', `/api/v1/service/records/${recordId}/${action}`, { version: current.body.version, ...body });
    }

    async function actOnDispatch(username: string, dispatchId: number, action: string, body: Record<string, unknown> = {}) {
      const list = await as('clerk-a', 'GET', '/api/v1/service/dispatches');
      const d = list.body.items.find((x: { id: number }) => x.id === dispatchId);
      return as(username, 'POST', `/api/v1/service/dispatches/${dispatchId}/${action}`, { version: d.version, ...body });
    }

    async function newArchive(overrides: Record<string, unknown> = {}) {
      serial += 1;
      const res = await as('clerk-a', 'POST', '/api/v1/service/archives', {
        customer: customer('甘井子'),
        product: '多媒体教学一体机 JX-86',
        serialNo: `JX86-2025-${String(serial).padStart(5, '0')}`,
        contractNo: '大政采 2025-118',
        market: 'government_procurement',
        deliveredOn: '2025-03-01',
        acceptedOn: '2025-03-15',
        warrantyPeriod: { count: 3, unit: 'years' },
        ...overrides,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: number; serialNo: string; version: number; warranty: { inWarranty: boolean; state: string } };
    }

    async function call(archiveId: number, extra: Record<string, unknown> = {}) {
      const res = await as('clerk-a', 'POST', '/api/v1/service/records', { archiveId, caller: { name: '张科长', phone: '0411-86651234' }, fault: '开机无显示，指示灯红色常亮', ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    }

    const lead = (username = 'lead-a') => ({ userId: ids[username], unit: 'project' });
    const work = { method: 'on_site', workDone: '更换电源板，通电测试正常', parts: [{ name: '电源板', model: 'PW-86', quantity: 1 }], labourMinutes: 90 };

    async function auditCount(action: string): Promise<number> {
      const row = await ctx.db.kysely.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow();
      return Number(row.n);
    }

    beforeAll(async () => {
      ctx = await createTestContext(dialect, sh('2026-03-02'));
      f = await setupShop(ctx, 'shop-a');
      other = await setupShop(ctx, 'shop-b');
      await addUser(f.shop.id, 'clerk-a', 'clerk', '王内勤');
      await addUser(f.shop.id, 'lead-a', 'field_lead', '李工');
      await addUser(f.shop.id, 'lead-a2', 'field_lead', '周工');
      await addUser(f.shop.id, 'boss-a', 'leadership', '赵总');
      await addUser(f.shop.id, 'finance-a', 'finance', '钱会计');
      await addUser(f.shop.id, 'supervisor-a', 'supervisor', '孙主管');
      await addUser(f.shop.id, 'agent-a', 'agent', '小王');
      await addUser(other.shop.id, 'clerk-b', 'clerk', 'B 店内勤');
      app = await buildServer({ ctx });
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    it('S5.1 an archive computes the warranty from the market’s start and the contract’s period; S5.2 amended at its version; the same serial twice is 409 ARCHIVE_EXISTS', async () => {
      ctx.clock.set(sh('2026-03-02'));
      const gov = await newArchive({ serialNo: 'JX86-2025-00017', deliveredOn: '2025-03-01', acceptedOn: '2025-03-15', warrantyPeriod: { count: 1, unit: 'years' } });
      expect(gov).toMatchObject({ warrantyStart: '2025-03-15', warrantyEnd: '2026-03-14', warranty: { inWarranty: true, state: 'in_warranty', reason: { clause: 'S5.1(1)' } }, version: 1 });
      // the contract's names are taken as aliases of the core's
      const consumer = await newArchive({ serialNo: 'RO500-2022-0031', market: 'consumer', deliveredOn: undefined, acceptedOn: undefined, warrantyPeriod: undefined, deliveryDate: '2025-05-10', acceptanceDate: '2025-05-12', warrantyMonths: 6 });
      expect(consumer).toMatchObject({ deliveredOn: '2025-05-10', acceptedOn: '2025-05-12', warrantyStart: '2025-05-12', warrantyEnd: '2025-11-11', warrantyPeriod: { count: 6, unit: 'months' } });
      expect(consumer.warranty).toMatchObject({ inWarranty: false, state: 'expired', reason: { clause: 'S5.1(2)' } });
      const pending = await newArchive({ acceptedOn: null, serialNo: 'JX86-2026-00001' });
      expect(pending.warranty.state).toBe('not_started');

      const twice = await as('clerk-a', 'POST', '/api/v1/service/archives', {
        customer: customer('中山'),
        product: '一体机',
        serialNo: ' jx86-2025-00017 ',
        contractNo: 'X',
        market: 'consumer',
        warrantyPeriod: { count: 1, unit: 'years' },
      });
      expect(twice.status).toBe(409);
      expect(twice.body.error).toMatchObject({ code: 'ARCHIVE_EXISTS', details: { archiveId: gov.id } });

      // S5.2: the lead adds the acceptance date once it passed; the warranty starts
      const amended = await as('lead-a', 'PATCH', `/api/v1/service/archives/${pending.id}`, { version: 1, acceptedOn: '2026-02-20', notes: '验收合格' });
      expect(amended.status, JSON.stringify(amended.body)).toBe(200);
      expect(amended.body).toMatchObject({ version: 2, warrantyStart: '2026-02-20', warranty: { state: 'in_warranty' }, notes: '验收合格' });
      expect((await as('lead-a', 'PATCH', `/api/v1/service/archives/${pending.id}`, { version: 1, notes: '再改' })).body.error.code).toBe('VERSION_CONFLICT');
      expect((await as('clerk-a', 'PATCH', `/api/v1/service/archives/${pending.id}`, { version: 2, notes: '验收合格' })).body.error.details.reason).toBe('nothing_changed');
      expect((await as('clerk-a', 'PATCH', `/api/v1/service/archives/${pending.id}`, { version: 2, serialNo: 'JX86-2025-00017' })).body.error.code).toBe('ARCHIVE_EXISTS');
      expect(await auditCount('service_archive.amend')).toBe(1);
    });

    it('S5.3 finds the caller’s product by customer, serial (however written), phone and site; pages with a cursor', async () => {
      const a = await newArchive({ customer: { organisation: '沈阳市和平区悦来酒店', contact: '李经理', phone: '138 4000 1234', siteAddress: '辽宁省沈阳市和平区南京北街 66 号' }, serialNo: 'RO-500/2024.77', product: '商用净水设备 RO-500' });
      const find = async (q: string) => (await as('clerk-a', 'GET', `/api/v1/service/archives?q=${encodeURIComponent(q)}`)).body.items as { id: number; matched: string[] }[];
      expect((await find('悦来酒店'))[0]).toMatchObject({ id: a.id, matched: ['customer'] });
      expect((await find('ro500 2024 77'))[0]).toMatchObject({ id: a.id, matched: expect.arrayContaining(['serial_exact']) });
      expect((await find('40001234'))[0]).toMatchObject({ id: a.id, matched: expect.arrayContaining(['phone']) });
      expect((await find('南京北街'))[0]).toMatchObject({ id: a.id, matched: ['site'] });
      expect(await find('不存在的客户')).toEqual([]);
      expect(await find('%_')).toEqual([]);
      const first = await as('clerk-a', 'GET', '/api/v1/service/archives?limit=2');
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await as('clerk-a', 'GET', `/api/v1/service/archives?limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.items[0].id).toBeLessThan(first.body.items[1].id);
      expect((await as('clerk-a', 'GET', '/api/v1/service/archives?cursor=bm9wZQ')).status).toBe(400);
      // the archive's page lists the records of its calls
      const rec = await call(a.id);
      expect((await as('boss-a', 'GET', `/api/v1/service/archives/${a.id}`)).body.records).toEqual([expect.objectContaining({ id: rec.id, status: 'awaiting_assignment' })]);
    });

    it('S5.5 out of warranty: leadership decides paid → on-site inspection → quote → the customer accepts → repaired → payment → invoice → returned → archived; S5.7 three days later the follow-up call is due and logged (reached, 4)', async () => {
      ctx.clock.set(sh('2026-03-09', '09:30'));
      const a = await newArchive({ market: 'consumer', product: '商用净水设备 RO-500', deliveredOn: '2023-01-05', acceptedOn: '2023-01-06', warrantyPeriod: { count: 1, unit: 'years' } });
      const opened = await call(a.id, { caller: { name: '李经理', phone: '13840001234', organisation: '悦来酒店' }, fault: '出水量明显变小' });
      expect(opened).toMatchObject({ status: 'awaiting_decision', record: { coverage: 'expired', billing: null }, callerOrganisation: '悦来酒店' });
      const id = opened.id as number;
      // the clerk may not decide; leadership does (S5.5)
      expect((await act('clerk-a', id, 'decide', { billing: 'paid' })).status).toBe(403);
      expect((await act('clerk-a', id, 'assign', { assignee: lead() })).body.error.details.reason).toBe('transition_not_allowed');
      ctx.clock.set(sh('2026-03-09', '10:00'));
      const decided = await act('boss-a', id, 'decide', { billing: 'paid', note: '超出保修期，按收费标准' });
      expect(decided.body).toMatchObject({ status: 'awaiting_assignment', record: { billing: 'paid', decision: { billing: 'paid', by: { name: '赵总' } } } });
      const assigned = await act('clerk-a', id, 'assign', { assignee: lead() });
      expect(assigned.body).toMatchObject({ status: 'assigned', record: { assignee: { userId: ids['lead-a'], name: '李工', unit: 'project' } }, owner: { userId: ids['lead-a'] } });
      // the dispatch is registered: an inspection first, due on site by the end of the next day (S5.8)
      let record = (await as('lead-a', 'GET', `/api/v1/service/records/${id}`)).body;
      expect(record.dispatches).toHaveLength(1);
      const dispatch = record.dispatches[0];
      expect(dispatch).toMatchObject({ purpose: 'inspection', status: 'registered', lead: { userId: ids['lead-a'], displayName: '李工' }, deadlineAt: sh('2026-03-11', '00:00').toISOString(), flags: { flag: 'pending' } });
      expect((await as('lead-a', 'GET', '/api/v1/service/records?owner=me&status=assigned')).body.items.map((r: { id: number }) => r.id)).toContain(id);
      // the wrong lead cannot report on it, nor quote
      expect((await actOnDispatch('lead-a2', dispatch.id, 'arrive')).status).toBe(403);
      ctx.clock.set(sh('2026-03-10', '09:00'));
      const arrived = await actOnDispatch('lead-a', dispatch.id, 'arrive');
      expect(arrived.body).toMatchObject({ status: 'on_site', flags: { flag: 'on_time' } });
      expect((await act('lead-a2', id, 'quote', { findings: 'x', feeStandard: 'y', items: [] })).status).toBe(403);
      const quote = { findings: 'RO 膜堵塞，增压泵老化', feeStandard: '2025 版售后收费标准', items: [{ description: 'RO 膜', standardCode: 'M-01', quantity: 2, unitPriceFen: 45_000 }, { description: '上门工时', quantity: 1, unitPriceFen: 20_000 }] };
      const quoted = await act('lead-a', id, 'quote', quote);
      expect(quoted.body).toMatchObject({ status: 'quoted', record: { quote: { totalFen: 110_000 } } });
      expect((await act('lead-a', id, 'accept_quote', { note: '客户电话同意' })).body.status).toBe('repairing');
      ctx.clock.set(sh('2026-03-10', '15:00'));
      expect((await act('lead-a', id, 'finish_work', { work })).body.status).toBe('settling');
      const early = await act('lead-a', id, 'return_to_clerk');
      expect(early.status).toBe(409);
      expect(early.body.error.details).toMatchObject({ reason: 'payment_missing', missing: ['payment', 'invoice'] });
      // finance records the payment, the lead the invoice (S5.5: until closed)
      expect((await act('finance-a', id, 'collect_payment', { amountFen: 110_000, method: 'bank_transfer', receivedOn: '2026-03-10' })).body.record.payment).toMatchObject({ amountFen: 110_000 });
      expect((await act('lead-a', id, 'issue_invoice', { number: '26210000000012345678', issueDate: '2026-03-10' })).body.record.invoice).toMatchObject({ amountFen: 110_000 });
      ctx.clock.set(sh('2026-03-11', '10:00'));
      const returned = await act('lead-a', id, 'return_to_clerk');
      expect(returned.body).toMatchObject({ status: 'returned', followUp: { status: 'scheduled', dueAt: sh('2026-03-14', '00:00').toISOString(), attempts: 0 } });
      const archived = await act('clerk-a', id, 'archive');
      expect(archived.body.status).toBe('archived');
      record = (await as('clerk-a', 'GET', `/api/v1/service/records/${id}`)).body;
      expect(record.dispatches[0]).toMatchObject({ status: 'completed', completedAt: sh('2026-03-11', '10:00').toISOString() });
      expect(record.events.map((e: { subject: string; action: string }) => `${e.subject}.${e.action}`)).toEqual([
        'record.open', 'record.decide', 'record.assign', 'dispatch.register', 'dispatch.arrive', 'record.quote', 'record.accept_quote',
        'record.finish_work', 'record.collect_payment', 'record.issue_invoice', 'record.return_to_clerk', 'record.archive', 'dispatch.complete',
      ]);
      // S5.7: not yet due on the third day's eve; due from 00:00 three days after the return
      ctx.clock.set(sh('2026-03-13', '23:59'));
      expect((await as('clerk-a', 'GET', '/api/v1/service/follow-ups?state=due')).body.items.map((x: { recordId: number }) => x.recordId)).not.toContain(id);
      expect((await as('clerk-a', 'GET', '/api/v1/service/follow-ups?state=scheduled')).body.items.map((x: { recordId: number }) => x.recordId)).toContain(id);
      ctx.clock.set(sh('2026-03-14', '09:00'));
      const due = (await as('clerk-a', 'GET', '/api/v1/service/follow-ups')).body.items.find((x: { recordId: number }) => x.recordId === id);
      expect(due).toMatchObject({ state: 'due', attempts: 0, archive: { serialNo: a.serialNo, organisation: '大连市甘井子区教育局' } });
      const logged = await act('clerk-a', id, 'log_follow_up', { reached: true, satisfaction: 4, comments: '维修及时，态度好' });
      expect(logged.body).toMatchObject({ status: 'archived', followUp: { status: 'done', satisfaction: 4, attempts: 1 }, record: { followUps: [{ reached: true, satisfaction: 4, comments: '维修及时，态度好' }] } });
      expect((await as('clerk-a', 'GET', '/api/v1/service/follow-ups?state=done')).body.items.map((x: { recordId: number }) => x.recordId)).toContain(id);
      expect((await act('clerk-a', id, 'log_follow_up', { reached: true, satisfaction: 5 })).body.error.details.reason).toBe('follow_up_done');
      for (const action of ['open', 'decide', 'assign', 'quote', 'accept_quote', 'finish_work', 'collect_payment', 'issue_invoice', 'return_to_clerk', 'archive', 'log_follow_up']) {
        expect(await auditCount(`repair_record.${action}`), action).toBeGreaterThan(0);
      }
      expect(await auditCount('dispatch.complete')).toBe(1);

      // the printable record (售后服务及维修记录单): a self-contained page, no script
      const print = await as('clerk-a', 'GET', `/api/v1/service/records/${id}?format=print`);
      expect(print.status).toBe(200);
      expect(String(print.headers['content-type'])).toMatch(/^text\/html/);
      const html = String(print.raw);
      for (const text of ['售后服务及维修记录单', a.serialNo, '已过保修期', '有偿维修', 'RO 膜堵塞', '¥1100.00', '26210000000012345678', '满意', '售后派出登记', '13840001234']) expect(html).toContain(text);
      expect(html).not.toMatch(/<script|onclick=/i);
      // finance sees the customer's phone masked, in the page and in the answer
      const masked = await as('finance-a', 'GET', `/api/v1/service/records/${id}?format=print`);
      expect(String(masked.raw)).not.toContain('13840001234');
      expect(String(masked.raw)).toContain('138****1234');
      expect((await as('finance-a', 'GET', `/api/v1/service/records/${id}`)).body.record.product.siteAddress).toBe('辽宁省大连市甘井子区****');
    });

    it('issue 15 §7: the field lead attaches photos taken on site to the work; they must be uploaded files, and the desk reads only its own people\'s files', async () => {
      ctx.clock.set(sh('2026-03-16', '09:00'));
      const a = await newArchive();
      const rec = await call(a.id);
      await act('clerk-a', rec.id, 'assign', { assignee: lead() });
      const d = (await as('clerk-a', 'GET', `/api/v1/service/records/${rec.id}`)).body.dispatches[0];
      ctx.clock.set(sh('2026-03-16', '14:00'));
      await actOnDispatch('lead-a', d.id, 'arrive');
      sessions['lead-a'] ??= await signInAs(app, 'lead-a');
      const photo = await sessions['lead-a'].upload('image/png', PNG);
      expect(photo.status).toBe(201);
      // an invented ref is refused in words, naming the field; nothing is saved
      const invented = await act('lead-a', rec.id, 'finish_work', { work: { ...work, photos: ['evidence:999999'] } });
      expect(invented.status).toBe(422);
      expect(invented.body.error.details.field).toBe('work.photos');
      const bad = await act('lead-a', rec.id, 'finish_work', { work: { ...work, photos: ['https://img.example/1.jpg'] } });
      expect(bad.status).toBe(400);
      const done = await act('lead-a', rec.id, 'finish_work', { work: { ...work, photos: [photo.ref] } });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.record.work.photos).toEqual([photo.ref]);
      // the clerk sees the lead's photo; a refund's evidence (an agent's upload) stays out of the desk's reach
      const id = Number(photo.ref!.slice('evidence:'.length));
      expect((await as('clerk-a', 'GET', `/api/v1/evidence/${id}`)).status).toBe(200);
      sessions['agent-a'] ??= await signInAs(app, 'agent-a');
      const agentFile = await sessions['agent-a'].upload('image/png', PNG);
      expect(agentFile.status).toBe(201);
      expect((await as('clerk-a', 'GET', `/api/v1/evidence/${agentFile.ref!.slice('evidence:'.length)}`)).status).toBe(404);
      expect((await as('agent-a', 'GET', `/api/v1/evidence/${id}`)).status).toBe(200);
    });

    it('S5.7 an unreached follow-up call yields a retry the next day; after the third unreached call the task ends unreached', async () => {
      ctx.clock.set(sh('2026-03-16', '09:00'));
      const a = await newArchive();
      const rec = await call(a.id);
      await act('clerk-a', rec.id, 'assign', { assignee: lead() });
      const d = (await as('clerk-a', 'GET', `/api/v1/service/records/${rec.id}`)).body.dispatches[0];
      ctx.clock.set(sh('2026-03-16', '14:00'));
      await actOnDispatch('lead-a', d.id, 'arrive');
      await act('lead-a', rec.id, 'finish_work', { work });
      await act('lead-a', rec.id, 'return_to_clerk');
      ctx.clock.set(sh('2026-03-19', '10:00'));
      const bad = await act('clerk-a', rec.id, 'log_follow_up', { reached: false, satisfaction: 3 });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.field).toBe('satisfaction');
      const first = await act('clerk-a', rec.id, 'log_follow_up', { reached: false, comments: '无人接听' });
      expect(first.body.followUp).toMatchObject({ status: 'scheduled', attempts: 1, nextAttempt: 2, dueAt: sh('2026-03-20', '00:00').toISOString() });
      ctx.clock.set(sh('2026-03-20', '10:00'));
      expect((await as('clerk-a', 'GET', '/api/v1/service/follow-ups?state=due')).body.items.find((x: { recordId: number }) => x.recordId === rec.id)).toMatchObject({ attempts: 1 });
      await act('clerk-a', rec.id, 'log_follow_up', { reached: false });
      ctx.clock.set(sh('2026-03-21', '10:00'));
      const third = await act('clerk-a', rec.id, 'log_follow_up', { reached: false });
      expect(third.body.followUp).toMatchObject({ status: 'unreached', attempts: 3, dueAt: null });
      expect((await as('clerk-a', 'GET', '/api/v1/service/follow-ups?state=unreached')).body.items.map((x: { recordId: number }) => x.recordId)).toContain(rec.id);
      // the record was never filed: the clerk still archives it, and the visit is marked complete
      expect((await act('clerk-a', rec.id, 'archive')).body.status).toBe('archived');
    });

    it('S5.4 in warranty the record goes to a lead and the dispatch is registered; S5.8 late without a notice is flagged, with a notice in advance it is not', async () => {
      ctx.clock.set(sh('2026-03-23', '09:00'));
      const a = await newArchive();
      const silent = await call(a.id, { fault: '录播主机无法保存录像' });
      expect(silent).toMatchObject({ status: 'awaiting_assignment', record: { billing: 'free', coverage: 'in_warranty' } });
      expect(silent.allowedActions).toEqual(['assign', 'cancel']);
      await act('clerk-a', silent.id, 'assign', { assignee: lead() });
      ctx.clock.set(sh('2026-03-23', '10:00'));
      const told = await call(a.id, { fault: '话筒无声' });
      await act('clerk-a', told.id, 'assign', { assignee: lead('lead-a2') });
      const toldDispatch = (await as('clerk-a', 'GET', `/api/v1/service/records/${told.id}`)).body.dispatches[0];
      ctx.clock.set(sh('2026-03-24', '17:00'));
      const notice = await actOnDispatch('lead-a2', toldDispatch.id, 'record_notice', { promisedOn: '2026-03-26', channel: 'phone', note: '配件周四到货' });
      expect(notice.body).toMatchObject({ notice: { inAdvance: true, promisedOn: '2026-03-26', channel: 'phone' }, flags: { flag: 'pending', noticeInAdvance: true } });
      // the deadline (the end of the day after the call) has passed
      ctx.clock.set(sh('2026-03-25', '09:00'));
      const open = (await as('clerk-a', 'GET', '/api/v1/service/dispatches?open=true')).body.items as { id: number; recordId: number; flags: { flag: string }; clockStartsAt: string }[];
      expect(open.find((d) => d.recordId === silent.id)!.flags).toMatchObject({ flag: 'late_without_notice', lateByMinutes: 9 * 60 });
      expect(open.find((d) => d.recordId === told.id)!.flags.flag).toBe('late_with_notice');
      expect(open.map((d) => d.clockStartsAt)).toEqual([...open.map((d) => d.clockStartsAt)].sort());
      const review = (await as('clerk-a', 'GET', '/api/v1/service/review?thresholdHours=720')).body.items as { kind: string; recordId: number; reasons: string[]; ownerName: string }[];
      expect(review.find((r) => r.kind === 'dispatch' && r.recordId === silent.id)).toMatchObject({ reasons: ['late_without_notice'], ownerName: '李工' });
      expect(review.find((r) => r.kind === 'dispatch' && r.recordId === told.id)).toBeUndefined();
      // a later arrival keeps the flag; a visit no longer needed is cancelled with the record
      const late = await actOnDispatch('lead-a', open.find((d) => d.recordId === silent.id)!.id, 'arrive');
      expect(late.body).toMatchObject({ status: 'on_site', flags: { flag: 'late_without_notice', lateByMinutes: 9 * 60 } });
      expect((await act('clerk-a', told.id, 'cancel', { reason: '客户自行解决' })).body.status).toBe('cancelled');
      expect((await as('clerk-a', 'GET', `/api/v1/service/records/${told.id}`)).body.dispatches[0]).toMatchObject({ status: 'cancelled', cancelled: { reason: '记录单已取消' } });
    });

    it('S5.8 an emergency: the lead works first; the record is flagged incomplete and reminds its owner until the paperwork is completed', async () => {
      ctx.clock.set(sh('2026-03-30', '08:00'));
      const a = await newArchive();
      const opened = await as('lead-a', 'POST', '/api/v1/service/records', { emergency: { startedAt: sh('2026-03-30', '07:30').toISOString(), note: '生产线停机' }, caller: { name: '陈工' } });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      const id = opened.body.id as number;
      expect(opened.body).toMatchObject({ status: 'assigned', incomplete: true, record: { assignee: { userId: ids['lead-a'] }, coverage: 'unknown' }, reminders: [] });
      expect(opened.body.gaps.map((g: { item: string }) => g.item)).toEqual(['caller', 'fault', 'product']);
      const visit = (await as('lead-a', 'GET', `/api/v1/service/records/${id}`)).body.dispatches[0];
      expect(visit).toMatchObject({ status: 'on_site', retroactive: true, arrivedAt: sh('2026-03-30', '07:30').toISOString() });
      // a clerk opening an emergency names the lead already at work
      expect((await as('clerk-a', 'POST', '/api/v1/service/records', { emergency: true })).body.error.details.field).toBe('emergency.assignee');
      // reminders from four hours after the work started, to the lead (not to the clerk)
      ctx.clock.set(sh('2026-03-30', '12:00'));
      const due = (await as('lead-a', 'GET', '/api/v1/service/reminders')).body.items as { recordId: number; item: string; slotAt: string; message: { 'zh-CN': string } }[];
      expect(due.filter((r) => r.recordId === id).map((r) => r.item)).toEqual(['caller', 'fault', 'product']);
      expect(due[0]!.message['zh-CN']).toContain('S5.8');
      expect((await as('clerk-a', 'GET', '/api/v1/service/reminders')).body.items.filter((r: { recordId: number }) => r.recordId === id)).toEqual([]);
      expect((await as('supervisor-a', 'GET', '/api/v1/service/reminders')).body.items.some((r: { recordId: number }) => r.recordId === id)).toBe(true);
      expect((await as('clerk-a', 'GET', '/api/v1/service/records?incomplete=true')).body.items.map((r: { id: number }) => r.id)).toContain(id);
      expect((await as('clerk-a', 'GET', '/api/v1/service/review?thresholdHours=100')).body.items.find((r: { kind: string; id: number }) => r.kind === 'repair_record' && r.id === id)).toMatchObject({ reasons: ['paperwork_incomplete'], ownerName: '李工' });
      const blocked = await act('lead-a', id, 'finish_work', { work });
      expect(blocked.body.error.details.reason).toBe('product_missing');
      // the next day the reminder comes again, then the lead completes the paperwork
      ctx.clock.set(sh('2026-03-31', '12:00'));
      const again = (await as('lead-a', 'GET', '/api/v1/service/reminders')).body.items.filter((r: { recordId: number }) => r.recordId === id);
      expect(again[0].slotAt).not.toBe(due[0]!.slotAt);
      const completed = await act('lead-a', id, 'complete_paperwork', { caller: { name: '陈工', phone: '13912345678' }, fault: '控制柜反复跳闸', archiveId: a.id });
      expect(completed.status, JSON.stringify(completed.body)).toBe(200);
      expect(completed.body).toMatchObject({ incomplete: false, gaps: [], reminders: [], record: { coverage: 'in_warranty', billing: 'free', product: { archiveId: a.id } }, archive: { id: a.id } });
      expect((await as('lead-a', 'GET', '/api/v1/service/reminders')).body.items.filter((r: { recordId: number }) => r.recordId === id)).toEqual([]);
      expect((await as('clerk-a', 'GET', '/api/v1/service/records?incomplete=true')).body.items.map((r: { id: number }) => r.id)).not.toContain(id);
      expect((await act('lead-a', id, 'finish_work', { work })).body.status).toBe('work_done');
      expect((await act('lead-a', id, 'return_to_clerk')).body.status).toBe('returned');
    });

    it('S5.6 the review lists what is unattended beyond the threshold, with its owner', async () => {
      ctx.clock.set(sh('2026-04-06', '09:00'));
      const a = await newArchive({ acceptedOn: '2023-04-01', deliveredOn: '2023-03-20', warrantyPeriod: { count: 1, unit: 'years' } });
      const waiting = await call(a.id);
      expect(waiting.owner).toMatchObject({ role: 'leadership', userId: null });
      const b = await newArchive();
      const withLead = await call(b.id);
      await act('clerk-a', withLead.id, 'assign', { assignee: lead('lead-a2') });
      ctx.clock.set(sh('2026-04-07', '15:00'));
      const review = async (hours: number) => (await as('clerk-a', 'GET', `/api/v1/service/review?thresholdHours=${hours}`)).body;
      const listed = (await review(24)).items as { kind: string; id: number; recordId: number; reasons: string[]; ownerName: string; owner: { role: string }; idleHours: number; archive: { serialNo: string } }[];
      expect(listed.find((r) => r.kind === 'repair_record' && r.id === waiting.id)).toMatchObject({ reasons: ['idle'], ownerName: '领导', owner: { role: 'leadership' }, idleHours: 30, archive: { serialNo: a.serialNo } });
      expect(listed.find((r) => r.kind === 'repair_record' && r.id === withLead.id)).toMatchObject({ reasons: ['idle'], ownerName: '周工' });
      const idle = listed.map((r) => r.idleHours);
      expect(idle).toEqual([...idle].sort((x, y) => y - x));
      const fewer = (await review(48)).items as { kind: string; id: number }[];
      expect(fewer.find((r) => r.kind === 'repair_record' && r.id === waiting.id)).toBeUndefined();
      expect((await as('clerk-a', 'GET', '/api/v1/service/review?thresholdHours=0')).status).toBe(400);
      expect((await as('lead-a', 'GET', '/api/v1/service/review')).status).toBe(403);
    });

    it('reports: response times (call → on site), warranty vs paid work, satisfaction by product; CSV to download', async () => {
      ctx.clock.set(sh('2026-04-08', '09:00'));
      const paidDay = await as('boss-a', 'GET', '/api/v1/service/reports?from=2026-03-09&to=2026-03-09');
      expect(paidDay.status).toBe(200);
      expect(paidDay.body.responseTimes).toMatchObject({ count: 1, medianMinutes: 23 * 60 + 30, onTime: 1, late: 0, onTimeShare: 1 });
      expect(paidDay.body.workMix).toMatchObject({ total: 1, paid: { count: 1, accepted: 1, acceptedFen: 110_000, collectedFen: 110_000, invoicedFen: 110_000, outstandingFen: 0 } });
      expect(paidDay.body.satisfactionByProduct).toEqual([{ product: '商用净水设备 RO-500', count: 1, average: 4, distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 } }]);
      const lateWeek = (await as('clerk-a', 'GET', '/api/v1/service/reports?from=2026-03-23&to=2026-03-23')).body;
      expect(lateWeek.responseTimes).toMatchObject({ count: 1, late: 1, onTime: 0 });
      expect(lateWeek.workMix).toMatchObject({ total: 1, warranty: 1, cancelled: 1 });
      const csv = await as('supervisor-a', 'GET', '/api/v1/service/reports?from=2026-03-01&to=2026-04-30&format=csv');
      expect(String(csv.headers['content-type'])).toMatch(/^text\/csv/);
      expect(String(csv.headers['content-disposition'])).toContain('service-report-2026-03-01_2026-04-30.csv');
      expect(String(csv.raw)).toContain('满意度（按产品，S5.7）');
      const csvRows = parse(csv.raw, { bom: true, relax_column_count: true }) as string[][];
      expect(csvRows.slice(0, 4)).toEqual([['# 售后服务报表'], ['指标', '数值'], ['开始日期', '2026-03-01'], ['结束日期', '2026-04-30']]);
      expect(csvRows).toContainEqual(['同意报价金额（元）', '1100.00']);
      expect(csvRows).toContainEqual(['商用净水设备 RO-500', '1', '4', '0', '0', '0', '1', '0']);
      const xlsx = await as('supervisor-a', 'GET', '/api/v1/service/reports?from=2026-03-01&to=2026-04-30&format=xlsx');
      expect(String(xlsx.headers['content-disposition'])).toContain('service-report-2026-03-01_2026-04-30.xlsx');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.raw as unknown as ExcelJS.Buffer);
      expect(book.worksheets.map((w) => w.name)).toEqual(['售后服务报表', '响应时间（来电→到达现场，S5.8）', '保修与有偿维修（S5.4、S5.5）', '满意度（按产品，S5.7）']);
      expect(book.worksheets[0]?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(book.worksheets[0]?.getCell('B2').value).toEqual(new Date('2026-03-01T00:00:00.000Z'));
      const accepted = book.worksheets[2]?.getRows(2, 20)?.find((row) => row.getCell(1).value === '同意报价金额（元）');
      expect(accepted?.getCell(2).value).toBe(1100);
      expect(accepted?.getCell(2).numFmt).toBe('0.00');
      expect((await as('clerk-a', 'GET', '/api/v1/service/reports?from=2026-04-09&to=2026-04-01')).body.error.details.reason).toBe('period_reversed');
      expect((await as('lead-a', 'GET', '/api/v1/service/reports')).status).toBe(403);
    });

    it('wrong role → 403 (at the route and, for a lead, on a record not his); stale version → 409', async () => {
      ctx.clock.set(sh('2026-04-08', '10:00'));
      const a = await newArchive();
      expect((await as('agent-a', 'GET', '/api/v1/service/archives')).status).toBe(403);
      expect((await as('boss-a', 'POST', '/api/v1/service/archives', {})).status).toBe(403);
      expect((await as('finance-a', 'PATCH', `/api/v1/service/archives/${a.id}`, { version: 1, notes: 'x' })).status).toBe(403);
      // a lead opens a record only for his own emergency work (S5.8); the hotline is the clerk's (S5.3)
      const byLead = await as('lead-a', 'POST', '/api/v1/service/records', { archiveId: a.id, caller: { name: '张', phone: '13900001111' }, fault: '坏了坏了' });
      expect(byLead.status).toBe(403);
      expect(byLead.body.error.code).toBe('FORBIDDEN');
      const rec = await call(a.id);
      expect((await act('lead-a', rec.id, 'assign', { assignee: lead() })).status).toBe(403);
      expect((await act('boss-a', rec.id, 'archive')).status).toBe(403);
      await act('clerk-a', rec.id, 'assign', { assignee: lead() });
      const theirs = await act('lead-a2', rec.id, 'finish_work', { work });
      expect(theirs.status).toBe(403);
      expect(theirs.body.error.details.reason).toBe('not_assignee');
      // the assignee must be a lead of this shop
      const notLead = await as('clerk-a', 'POST', `/api/v1/service/records/${rec.id}/reassign`, { version: 2, assignee: { userId: ids['finance-a'], unit: 'project' }, reason: '换人' });
      expect(notLead.status).toBe(422);
      expect(notLead.body.error.code).toBe('ASSIGNEE_NOT_ELIGIBLE');
      expect((await as('clerk-a', 'POST', `/api/v1/service/records/${rec.id}/reassign`, { version: 2, assignee: { userId: ids['clerk-b'], unit: 'project' }, reason: '换人' })).body.error.code).toBe('ASSIGNEE_NOT_ELIGIBLE');
      // stale versions
      const stale = await as('clerk-a', 'POST', `/api/v1/service/records/${rec.id}/cancel`, { version: 1, reason: '重复来电' });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
      const d = (await as('clerk-a', 'GET', `/api/v1/service/records/${rec.id}`)).body.dispatches[0];
      expect((await as('lead-a', 'POST', `/api/v1/service/dispatches/${d.id}/arrive`, { version: 9 })).body.error.code).toBe('VERSION_CONFLICT');
      // reassigning moves the visit not yet made to the new lead
      const moved = await act('clerk-a', rec.id, 'reassign', { assignee: lead('lead-a2'), reason: '李工出差' });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      const visits = (await as('clerk-a', 'GET', `/api/v1/service/records/${rec.id}`)).body.dispatches as { status: string; lead: { userId: number } }[];
      expect(visits.map((v) => [v.status, v.lead.userId])).toEqual([
        ['cancelled', ids['lead-a']],
        ['registered', ids['lead-a2']],
      ]);
      // a second visit of the same lead while one is open is refused; a lead registers only for his own records
      expect((await as('clerk-a', 'POST', '/api/v1/service/dispatches', { recordId: rec.id })).body.error.details.reason).toBe('dispatch_open');
      expect((await as('lead-a', 'POST', '/api/v1/service/dispatches', { recordId: rec.id })).status).toBe(403);
      const second = await as('clerk-a', 'POST', '/api/v1/service/dispatches', { recordId: rec.id, leadUserId: ids['lead-a'], plannedArrival: '2026-04-09', note: '协助' });
      expect(second.status, JSON.stringify(second.body)).toBe(201);
      expect(second.body).toMatchObject({ purpose: 'repair', plannedOn: '2026-04-09', note: '协助', lead: { displayName: '李工' } });
      // archiving waits for the arrivals on record
      await as('lead-a', 'POST', `/api/v1/service/dispatches/${second.body.id}/cancel`, { version: 1, reason: '不需要了' });
      expect((await as('boss-a', 'GET', '/api/v1/service/leads')).body.items.map((l: { displayName: string }) => l.displayName).sort()).toEqual(['周工', '李工'].sort());
    });

    it("another shop's archive, record or dispatch → 404, and the attempt is audited", async () => {
      ctx.clock.set(sh('2026-04-08', '11:00'));
      const a = await newArchive();
      const rec = await call(a.id);
      await act('clerk-a', rec.id, 'assign', { assignee: lead() });
      const d = (await as('clerk-a', 'GET', `/api/v1/service/records/${rec.id}`)).body.dispatches[0];
      const before = await auditCount('access.cross_shop');
      const tries = [
        await as('clerk-b', 'GET', `/api/v1/service/archives/${a.id}`),
        await as('clerk-b', 'PATCH', `/api/v1/service/archives/${a.id}`, { version: 1, notes: '偷改' }),
        await as('clerk-b', 'GET', `/api/v1/service/records/${rec.id}`),
        await as('clerk-b', 'GET', `/api/v1/service/records/${rec.id}?format=print`),
        await as('clerk-b', 'POST', `/api/v1/service/records/${rec.id}/cancel`, { version: 2, reason: '偷看偷看' }),
        await as('clerk-b', 'POST', '/api/v1/service/records', { archiveId: a.id, caller: { name: '张', phone: '13900001111' }, fault: '坏了坏了' }),
        await as('clerk-b', 'POST', `/api/v1/service/dispatches/${d.id}/complete`, { version: 1 }),
        await as('clerk-b', 'POST', '/api/v1/service/dispatches', { recordId: rec.id }),
      ];
      for (const t of tries) {
        expect(t.status, JSON.stringify(t.body)).toBe(404);
        expect(JSON.stringify(t.body)).not.toContain('86651234');
      }
      expect(await auditCount('access.cross_shop')).toBe(before + tries.length);
      expect((await as('clerk-b', 'GET', '/api/v1/service/archives?q=甘井子')).body.items).toEqual([]);
    });

    it('bad input answers 4xx with the field, never 500', async () => {
      ctx.clock.set(sh('2026-04-08', '12:00'));
      const a = await newArchive();
      const rec = await call(a.id);
      const base = { customer: customer('中山'), product: '一体机', serialNo: 'OK-123', contractNo: 'HT-1', market: 'consumer', warrantyPeriod: { count: 1, unit: 'years' } };
      const cases: [unknown, number, string | null][] = [
        [{ ...base, customer: { ...base.customer, phone: '12345' } }, 400, 'customer.phone'],
        [{ ...base, warrantyPeriod: { count: 0, unit: 'years' } }, 400, 'warrantyPeriod.count'],
        [{ ...base, acceptedOn: '2099-01-01', deliveredOn: '2026-01-01' }, 400, 'acceptedOn'],
        [{ ...base, acceptedOn: '2026-02-30' }, 400, 'acceptedOn'],
        [{ ...base, serialNo: '!' }, 400, 'serialNo'],
        [{ ...base, market: 'moon' }, 400, null],
        [{ ...base, extra: 1 }, 400, null],
        [{}, 400, null],
        [[], 400, null],
      ];
      for (const [body, status, field] of cases) {
        const res = await as('clerk-a', 'POST', '/api/v1/service/archives', body);
        expect(res.status, JSON.stringify(res.body)).toBe(status);
        if (field) expect(res.body.error.details.field, JSON.stringify(res.body)).toBe(field);
      }
      const v = rec.version as number;
      const actions: [string, Record<string, unknown>][] = [
        ['cancel', { version: v }],
        ['cancel', { version: v, reason: 'x' }],
        ['assign', { version: v, assignee: { userId: 0 } }],
        ['assign', { version: v, assignee: { userId: 2_147_483_648, unit: 'project' } }],
        ['assign', { version: v, assignee: { userId: ids['lead-a'], unit: 'moon' } }],
        ['assign', { version: 'one' }],
        ['assign', {}],
      ];
      for (const [action, body] of actions) {
        const res = await as('clerk-a', 'POST', `/api/v1/service/records/${rec.id}/${action}`, body);
        expect(res.status, `${action} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      expect((await as('clerk-a', 'POST', '/api/v1/service/records', { archiveId: a.id, caller: { name: '张' }, fault: '坏' })).body.error.details.field).toBe('callerPhone');
      expect((await as('clerk-a', 'POST', '/api/v1/service/records', { archiveId: 999_999, caller: { name: '张', phone: '13900001111' }, fault: '坏了' })).status).toBe(404);
      expect((await as('clerk-a', 'POST', '/api/v1/service/records', { caller: { name: '张', phone: '13900001111' }, fault: '坏了' })).body.error.details.field).toBe('archive');
      expect((await as('clerk-a', 'POST', '/api/v1/service/records', { archiveId: a.id, caller: { name: '张', phone: '13900001111' }, fault: '坏了', solvedOnPhone: true })).body.error.details.field).toBe('solvedOnPhone.solution');
      const phone = await as('clerk-a', 'POST', '/api/v1/service/records', { archiveId: a.id, caller: { name: '张', phone: '13900001111' }, fault: '遥控器没反应', solvedOnPhone: true, solution: '指导更换电池' });
      expect(phone.body).toMatchObject({ status: 'closed_on_phone', allowedActions: [] });
      for (const url of ['/api/v1/service/records/abc', '/api/v1/service/records/0', '/api/v1/service/records?status=nope', '/api/v1/service/records?owner=-1', '/api/v1/service/follow-ups?state=x', '/api/v1/service/reports?from=2026-13-01', '/api/v1/service/review?thresholdHours=NaN']) {
        expect((await as('clerk-a', 'GET', url)).status, url).toBe(400);
      }

      // random bodies at every service POST, random queries at every service GET: never a 500
      const posts = app.shouhouRoutes.filter((r) => r.method === 'POST' && r.url.startsWith('/api/v1/service/'));
      const anything = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('2026-04-08', '2026-04-08T04:00:00Z', '13900001111', 'paid', 'on_site', 'project'));
      const body = fc.oneof(
        fc.object(),
        fc.record(
          {
            version: fc.constantFrom(1, 2, 3, 0, -1, 1.5),
            archiveId: fc.oneof(fc.constantFrom(a.id, 999_999, 0), anything),
            recordId: fc.oneof(fc.constantFrom(rec.id, 999_999), anything),
            assignee: fc.oneof(fc.record({ userId: fc.oneof(fc.constantFrom(ids['lead-a']!, ids['finance-a']!, -5), fc.integer()), unit: fc.constantFrom('project', 'rnd_production') }), anything),
            caller: fc.oneof(fc.record({ name: anything, phone: anything }, { requiredKeys: [] }), anything),
            work: fc.oneof(fc.record({ method: anything, workDone: anything, labourMinutes: anything, parts: fc.array(fc.object(), { maxLength: 2 }) }, { requiredKeys: [] }), anything),
            items: fc.oneof(fc.array(fc.record({ description: anything, quantity: anything, unitPriceFen: anything }, { requiredKeys: [] }), { maxLength: 3 }), anything),
            billing: anything,
            reason: anything,
            reached: anything,
            satisfaction: anything,
            emergency: fc.oneof(fc.boolean(), fc.record({ startedAt: anything, assignee: fc.record({ userId: fc.integer() }) }, { requiredKeys: [] }), anything),
            solvedOnPhone: anything,
            promisedOn: anything,
            channel: anything,
            arrivedAt: anything,
            amountFen: anything,
            receivedOn: anything,
          },
          { requiredKeys: [] },
        ),
      );
      const users = ['clerk-a', 'lead-a', 'boss-a', 'finance-a', 'supervisor-a'];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...posts), fc.constantFrom(...users), body, fc.constantFrom(rec.id, a.id, 1, 999_999), async (route, user, body, id) => {
          const res = await as(user, 'POST', route.url.replace(':id', String(id)), body);
          expect(res.status, `${route.url} ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
        }),
        { numRuns: 200 },
      );
      const gets = app.shouhouRoutes.filter((r) => r.method === 'GET' && r.url.startsWith('/api/v1/service/'));
      const keys = ['q', 'limit', 'cursor', 'status', 'owner', 'archiveId', 'incomplete', 'open', 'recordId', 'thresholdHours', 'state', 'from', 'to', 'format', 'beforeId'];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...gets), fc.dictionary(fc.constantFrom(...keys), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('me', 'none', 'true', '0', '-1', '1e9', '2026-02-30', 'print', 'csv', '%'))), async (route, query) => {
          const url = `${route.url.replace(':id', String(rec.id))}?${new URLSearchParams(query).toString()}`;
          const res = await as('supervisor-a', 'GET', url);
          expect(res.status, `${url} ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
        }),
        { numRuns: 200 },
      );
    });

    it('S5.1 in warranty on the last day, out of it from 00:00 Shanghai the next day: the call says so at once, and why', async () => {
      ctx.clock.set(sh('2026-06-10', '10:00'));
      const a = await newArchive({ deliveredOn: '2025-06-01', acceptedOn: '2025-06-10', warrantyPeriod: { count: 12, unit: 'months' } });
      const last = await call(a.id, { calledAt: sh('2026-06-09', '23:59').toISOString() });
      expect(last.record.warranty).toMatchObject({ inWarranty: true, state: 'in_warranty', end: '2026-06-09', daysToEnd: 0 });
      expect(last.record.warranty.reason['zh-CN']).toContain('在保修期内');
      expect(last.status).toBe('awaiting_assignment');
      const after = await call(a.id, { calledAt: sh('2026-06-10', '00:00').toISOString() });
      expect(after.record.warranty).toMatchObject({ inWarranty: false, state: 'expired', daysToEnd: -1 });
      expect(after.record.warranty.reason['zh-CN']).toContain('已过保修期');
      expect(after.record.warranty.reason.clause).toBe('S5.1(1)');
      expect(after.status).toBe('awaiting_decision');
      expect(after.allowedActions).toEqual(['cancel']);
    });

    it('the demo service desk: archives in and out of warranty, a follow-up due, a dispatch running late, an emergency incomplete', async () => {
      ctx.clock.set(sh('2026-07-01', '10:00'));
      const shop = await createShop(ctx, { code: 'demo-s5', name: '演示设备公司' });
      await seedDemoUsers(ctx, shop.id);
      expect(await seedDemoServiceDesk(ctx, shop.id)).toBe(3);
      const { token } = await createActorToken(ctx, { shopId: shop.id, role: 'supervisor', name: 'demo supervisor' });
      const demo = client(app, { ...f, tokens: { ...f.tokens, supervisor: token } });
      const archives = (await demo.get('supervisor', '/api/v1/service/archives')).body.items as { market: string; warranty: { inWarranty: boolean } }[];
      expect(archives.map((x) => [x.market, x.warranty.inWarranty]).sort()).toEqual([
        ['consumer', false],
        ['government_procurement', true],
        ['government_procurement', true],
      ]);
      expect((await demo.get('supervisor', '/api/v1/service/follow-ups?state=due')).body.items).toHaveLength(1);
      expect((await demo.get('supervisor', '/api/v1/service/records?status=awaiting_decision')).body.items).toHaveLength(1);
      const open = (await demo.get('supervisor', '/api/v1/service/dispatches?open=true')).body.items as { flags: { flag: string } }[];
      expect(open.map((d) => d.flags.flag)).toContain('late_without_notice');
      expect((await demo.get('supervisor', '/api/v1/service/records?incomplete=true')).body.items).toHaveLength(1);
      expect((await demo.get('supervisor', '/api/v1/service/reminders')).body.items.length).toBeGreaterThan(0);
    });
  });
}
