/**
 * Customers' phone numbers and site addresses on the equipment service desk
 * (S5, issue 11), on each database: every service role reads archives,
 * records, dispatches, the review, follow-ups and reminders with them masked
 * as the shop's buyers' are (138****1234, the address down to the district);
 * the search still finds an archive by its phone; the clerk, the field lead
 * and the supervisor reveal them one archive or record at a time, with a
 * reason, each reveal a row of the audit trail; the printed record form
 * carries them in full only for those roles, and that print is audited too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/app/users.ts';
import type { StaffRole } from '../src/core/roles.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { setupShop, type ShopFixture } from './support/fixtures.ts';
import { signInAs, USER_PASSWORD, type Session } from './support/users.ts';

const sh = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`);

const PHONE = '13840001234';
const PHONE_MASKED = '138****1234';
const CALLER = '13904115566';
const CALLER_MASKED = '139****5566';
const SITE = '辽宁省沈阳市和平区南京北街 66 号 后厨设备间';
const SITE_MASKED = '辽宁省沈阳市和平区****';
/** what no masked answer may hold: the numbers' hidden digits and the street */
const SECRETS = [PHONE, CALLER, '4000', '0411', '南京北街'];

/** The roles that read the desk (service.read) and those of them that may reveal (service.pii.reveal). */
const READERS = ['clerk-a', 'lead-a', 'boss-a', 'supervisor-a', 'finance-a', 'admin-a'] as const;
const REVEALERS = ['clerk-a', 'lead-a', 'supervisor-a'] as const;
const NOT_REVEALERS = ['boss-a', 'finance-a', 'admin-a', 'agent-a'] as const;

for (const dialect of DIALECTS) {
  describe(`service desk: customers' phones and addresses (S5, issue 11) [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    const ids: Record<string, number> = {};
    const sessions: Record<string, Session> = {};
    let archiveId: number;
    let recordId: number;
    let dispatchId: number;
    /** the answers to the clerk's own writes, checked in the first test */
    const written: Record<string, unknown> = {};

    async function addUser(shopId: number, username: string, role: StaffRole, displayName: string) {
      const made = await createUser(ctx, { actor: null, username, displayName, password: USER_PASSWORD, role, shopId });
      ids[username] = made.userId;
    }

    async function as(username: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
      sessions[username] ??= await signInAs(app, username);
      let res = await sessions[username].call(method, url, payload);
      if (res.status === 401) {
        sessions[username] = await signInAs(app, username);
        res = await sessions[username].call(method, url, payload);
      }
      return res;
    }

    async function reveals(): Promise<{ target_type: string | null; target_id: string | null; role: string | null; outcome: string; details: string; ip: string | null }[]> {
      return ctx.db.kysely
        .selectFrom('audit_log')
        .select(['target_type', 'target_id', 'role', 'outcome', 'details', 'ip'])
        .where('action', '=', 'service.pii.reveal')
        .orderBy('id')
        .execute();
    }

    /** The answer holds none of the customer's full contact, and says it masked. */
    function expectMasked(body: unknown, where: string) {
      const text = JSON.stringify(body);
      for (const secret of SECRETS) expect(text, `${where}: ${text.slice(0, 400)}`).not.toContain(secret);
    }

    beforeAll(async () => {
      ctx = await createTestContext(dialect, sh('2026-03-02'));
      f = await setupShop(ctx, 'shop-a');
      const other = await setupShop(ctx, 'shop-b');
      await addUser(f.shop.id, 'clerk-a', 'clerk', '王内勤');
      await addUser(f.shop.id, 'lead-a', 'field_lead', '李工');
      await addUser(f.shop.id, 'boss-a', 'leadership', '赵总');
      await addUser(f.shop.id, 'finance-a', 'finance', '钱会计');
      await addUser(f.shop.id, 'supervisor-a', 'supervisor', '孙主管');
      await addUser(f.shop.id, 'admin-a', 'admin', '管理员');
      await addUser(f.shop.id, 'agent-a', 'agent', '小王');
      await addUser(other.shop.id, 'clerk-b', 'clerk', 'B 店内勤');
      app = await buildServer({ ctx });

      // the clerk opens the archive; the answer to her is masked too
      const created = await as('clerk-a', 'POST', '/api/v1/service/archives', {
        customer: { organisation: '沈阳和平区悦来酒店', contact: '李经理', phone: '138 4000 1234', siteAddress: SITE },
        product: '商用净水设备 RO-500',
        serialNo: 'RO500-2025-0031',
        contractNo: 'HT-2025-017',
        market: 'consumer',
        deliveredOn: '2025-05-10',
        acceptedOn: '2025-05-12',
        warrantyPeriod: { count: 2, unit: 'years' },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      written['POST /service/archives'] = created.body;
      archiveId = created.body.id;
      // a call from another number; in warranty, handed to the lead: the dispatch goes to the site
      const opened = await as('clerk-a', 'POST', '/api/v1/service/records', { archiveId, caller: { name: '李经理', phone: CALLER, organisation: '悦来酒店' }, fault: '出水量明显变小' });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      written['POST /service/records'] = opened.body;
      recordId = opened.body.id;
      const assigned = await as('clerk-a', 'POST', `/api/v1/service/records/${recordId}/assign`, { version: opened.body.version, assignee: { userId: ids['lead-a'], unit: 'project' } });
      expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
      written['POST /service/records/{id}/assign'] = assigned.body;
      const record = await as('clerk-a', 'GET', `/api/v1/service/records/${recordId}`);
      dispatchId = record.body.dispatches[0].id;
      // a day and a half later the visit is late and unattended: it is in the review
      ctx.clock.set(sh('2026-03-04', '09:00'));
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    it('every service role reads archives, records, dispatches, the review, follow-ups and reminders with phones and addresses masked', async () => {
      // the clerk's own writes are answered masked too
      expect((written['POST /service/archives'] as { customer: unknown }).customer).toMatchObject({ phone: PHONE_MASKED, siteAddress: SITE_MASKED, contact: '李经理', organisation: '沈阳和平区悦来酒店' });
      for (const [where, body] of Object.entries(written)) expectMasked(body, where);
      for (const user of READERS) {
        const archive = await as(user, 'GET', `/api/v1/service/archives/${archiveId}`);
        expect(archive.status, user).toBe(200);
        expect(archive.body.customer, user).toMatchObject({ phone: PHONE_MASKED, siteAddress: SITE_MASKED, contact: '李经理' });
        expectMasked(archive.body, `${user} GET /service/archives/{id}`);

        const list = await as(user, 'GET', '/api/v1/service/archives');
        expect(list.body.items.find((a: { id: number }) => a.id === archiveId).customer, user).toMatchObject({ phone: PHONE_MASKED, siteAddress: SITE_MASKED });
        expectMasked(list.body, `${user} GET /service/archives`);

        const record = await as(user, 'GET', `/api/v1/service/records/${recordId}`);
        expect(record.status, user).toBe(200);
        expect(record.body.record.call.callerPhone, user).toBe(CALLER_MASKED);
        expect(record.body.record.product, user).toMatchObject({ phone: PHONE_MASKED, siteAddress: SITE_MASKED });
        expect(record.body.archive.customer, user).toMatchObject({ phone: PHONE_MASKED, siteAddress: SITE_MASKED });
        expect(record.body.dispatches[0], user).toMatchObject({ id: dispatchId, destination: SITE_MASKED });
        expectMasked(record.body, `${user} GET /service/records/{id}`);

        const records = await as(user, 'GET', '/api/v1/service/records?status=open');
        expect(records.body.items.map((r: { id: number }) => r.id), user).toContain(recordId);
        expectMasked(records.body, `${user} GET /service/records`);

        const dispatches = await as(user, 'GET', '/api/v1/service/dispatches?open=true');
        const d = dispatches.body.items.find((x: { id: number }) => x.id === dispatchId);
        expect(d, user).toMatchObject({ destination: SITE_MASKED, archive: { phone: PHONE_MASKED, siteAddress: SITE_MASKED, contact: '李经理' } });
        expectMasked(dispatches.body, `${user} GET /service/dispatches`);

        for (const url of ['/api/v1/service/follow-ups?state=scheduled', '/api/v1/service/reminders']) {
          const res = await as(user, 'GET', url);
          expect(res.status, `${user} ${url}`).toBe(200);
          expectMasked(res.body, `${user} ${url}`);
        }
      }
      // the clerk's review names the late visit with its customer, masked (S5.6)
      for (const user of ['clerk-a', 'boss-a', 'supervisor-a', 'admin-a']) {
        const review = await as(user, 'GET', '/api/v1/service/review?thresholdHours=1');
        expect(review.status, user).toBe(200);
        expect(review.body.items.find((r: { dispatchId: number | null }) => r.dispatchId === dispatchId)?.archive, user).toMatchObject({ phone: PHONE_MASKED, siteAddress: SITE_MASKED });
        expectMasked(review.body, `${user} GET /service/review`);
      }
      // the actions' answers too: the lead's arrival, the clerk's notice
      const notice = await as('lead-a', 'POST', `/api/v1/service/dispatches/${dispatchId}/record_notice`, { version: 1, promisedOn: '2026-03-05', channel: 'phone' });
      expect(notice.status, JSON.stringify(notice.body)).toBe(200);
      expect(notice.body.destination).toBe(SITE_MASKED);
      expectMasked(notice.body, 'POST /service/dispatches/{id}/record_notice');
      // the reports hold no contact at all
      for (const url of ['/api/v1/service/reports', '/api/v1/service/reports?format=csv']) {
        const report = await as('clerk-a', 'GET', url);
        expect(report.status, url).toBe(200);
        expectMasked(String(report.raw), url);
      }
    });

    it('the search still finds the archive by its phone (however written), and answers it masked', async () => {
      for (const q of [PHONE, '138 4000 1234', '40001234']) {
        for (const user of ['clerk-a', 'lead-a', 'finance-a']) {
          const found = await as(user, 'GET', `/api/v1/service/archives?q=${encodeURIComponent(q)}`);
          expect(found.status, `${user} ${q}`).toBe(200);
          expect(found.body.items[0], `${user} ${q}`).toMatchObject({ id: archiveId, matched: expect.arrayContaining(['phone']), customer: { phone: PHONE_MASKED, siteAddress: SITE_MASKED } });
          expectMasked(found.body, `${user} ?q=${q}`);
        }
      }
      // and by its site, masked all the same
      const bySite = await as('clerk-a', 'GET', `/api/v1/service/archives?q=${encodeURIComponent('南京北街')}`);
      expect(bySite.body.items[0]).toMatchObject({ id: archiveId, matched: ['site'], customer: { siteAddress: SITE_MASKED } });
    });

    it('POST /service/archives/{id}/reveal: the full phone and address, with a reason, for the clerk, the field lead and the supervisor; 403 for the others; each reveal audited', async () => {
      const before = (await reveals()).length;
      for (const user of REVEALERS) {
        const res = await as(user, 'POST', `/api/v1/service/archives/${archiveId}/reveal`, { fields: ['phone', 'address'], reason: '电话联系客户约定上门时间' });
        expect(res.status, `${user}: ${JSON.stringify(res.body)}`).toBe(200);
        expect(res.body, user).toEqual({ phone: PHONE, address: SITE });
      }
      // one field at a time answers that field only
      const phoneOnly = await as('lead-a', 'POST', `/api/v1/service/archives/${archiveId}/reveal`, { fields: ['phone'], reason: '到场前联系' });
      expect(phoneOnly.body).toEqual({ phone: PHONE });
      const rows = await reveals();
      expect(rows.length).toBe(before + REVEALERS.length + 1);
      const last = rows.at(-1)!;
      expect(last).toMatchObject({ target_type: 'service_archive', target_id: String(archiveId), role: 'field_lead', outcome: 'ok' });
      expect(JSON.parse(last.details)).toEqual({ fields: ['phone'], reason: '到场前联系' });
      expect(rows.slice(before).map((r) => r.role)).toEqual(['clerk', 'field_lead', 'supervisor', 'field_lead']);

      // the roles that do not need it: 403, and nothing revealed nor audited as a reveal
      for (const user of NOT_REVEALERS) {
        const res = await as(user, 'POST', `/api/v1/service/archives/${archiveId}/reveal`, { fields: ['phone', 'address'], reason: '看看客户电话' });
        expect(res.status, user).toBe(403);
        expect(res.body.error.code, user).toBe('FORBIDDEN');
        expectMasked(res.body, `${user} reveal`);
      }
      // a reason is needed (2–200 characters), and at least one field
      for (const body of [{ fields: ['phone'] }, { fields: ['phone'], reason: ' ' }, { fields: ['phone'], reason: '看' }, { fields: ['phone'], reason: 'x'.repeat(201) }, { fields: [], reason: '电话联系客户' }, { fields: ['email'], reason: '电话联系客户' }, { reason: '电话联系客户' }]) {
        const res = await as('clerk-a', 'POST', `/api/v1/service/archives/${archiveId}/reveal`, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expectMasked(res.body, `reveal ${JSON.stringify(body)}`);
      }
      // another shop's clerk: 404, as if it did not exist
      const theirs = await as('clerk-b', 'POST', `/api/v1/service/archives/${archiveId}/reveal`, { fields: ['phone', 'address'], reason: '电话联系客户' });
      expect(theirs.status).toBe(404);
      expectMasked(theirs.body, 'cross-shop reveal');
      expect(await as('clerk-a', 'POST', '/api/v1/service/archives/999999/reveal', { fields: ['phone'], reason: '电话联系客户' })).toMatchObject({ status: 404 });
      expect((await reveals()).length).toBe(before + REVEALERS.length + 1);
      // the trail's chain still holds
      const verify = await as('admin-a', 'GET', '/api/v1/audit/verify');
      expect(verify.status).toBe(200);
      expect(verify.body).toMatchObject({ ok: true });
    });

    it("POST /service/records/{id}/reveal: the record's phones (customer, caller) and addresses (site, each dispatch's) in full, audited", async () => {
      const before = (await reveals()).length;
      const res = await as('lead-a', 'POST', `/api/v1/service/records/${recordId}/reveal`, { fields: ['phone', 'address'], reason: '上门前电话联系来电人' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ phone: PHONE, callerPhone: CALLER, address: SITE, dispatches: [{ id: dispatchId, destination: SITE }] });
      const address = await as('clerk-a', 'POST', `/api/v1/service/records/${recordId}/reveal`, { fields: ['address'], reason: '核对派出地址' });
      expect(address.body).toEqual({ address: SITE, dispatches: [{ id: dispatchId, destination: SITE }] });
      for (const user of NOT_REVEALERS) {
        expect((await as(user, 'POST', `/api/v1/service/records/${recordId}/reveal`, { fields: ['phone'], reason: '看看客户电话' })).status, user).toBe(403);
      }
      expect((await as('clerk-a', 'POST', `/api/v1/service/records/${recordId}/reveal`, { fields: ['phone'] })).status).toBe(400);
      expect((await as('clerk-b', 'POST', `/api/v1/service/records/${recordId}/reveal`, { fields: ['phone'], reason: '电话联系客户' })).status).toBe(404);
      const rows = (await reveals()).slice(before);
      expect(rows.map((r) => [r.target_type, r.target_id, r.role])).toEqual([
        ['repair_record', String(recordId), 'field_lead'],
        ['repair_record', String(recordId), 'clerk'],
      ]);
      expect(JSON.parse(rows[0]!.details)).toEqual({ fields: ['phone', 'address'], reason: '上门前电话联系来电人' });
      // what it revealed stays masked everywhere else
      expectMasked((await as('lead-a', 'GET', `/api/v1/service/records/${recordId}`)).body, 'after the reveal');
    });

    it('the printed record form: the contact in full for the roles that may reveal it, the print audited as a reveal; masked for the others, not audited', async () => {
      for (const user of REVEALERS) {
        const before = (await reveals()).length;
        const print = await as(user, 'GET', `/api/v1/service/records/${recordId}?format=print`);
        expect(print.status, user).toBe(200);
        const html = String(print.raw);
        for (const text of ['售后服务及维修记录单', PHONE, CALLER, SITE, '本次打印已记入审计日志']) expect(html, user).toContain(text);
        const rows = (await reveals()).slice(before);
        expect(rows, user).toHaveLength(1);
        expect(rows[0], user).toMatchObject({ target_type: 'repair_record', target_id: String(recordId), outcome: 'ok' });
        expect(JSON.parse(rows[0]!.details), user).toEqual({ fields: ['phone', 'address'], reason: '打印售后服务及维修记录单', via: 'print' });
      }
      for (const user of ['boss-a', 'finance-a', 'admin-a']) {
        const before = (await reveals()).length;
        const print = await as(user, 'GET', `/api/v1/service/records/${recordId}?format=print`);
        expect(print.status, user).toBe(200);
        const html = String(print.raw);
        for (const secret of SECRETS) expect(html, user).not.toContain(secret);
        for (const text of [PHONE_MASKED, CALLER_MASKED, SITE_MASKED, '客户电话和地址已隐去部分内容']) expect(html, user).toContain(text);
        expect((await reveals()).length, user).toBe(before);
      }
      // the record as JSON is no reveal
      const before = (await reveals()).length;
      await as('clerk-a', 'GET', `/api/v1/service/records/${recordId}`);
      expect((await reveals()).length).toBe(before);
    });

    it('an amendment carrying a masked value back is refused; the real phone and address stay', async () => {
      const current = await as('clerk-a', 'GET', `/api/v1/service/archives/${archiveId}`);
      for (const [customer, field] of [
        [{ siteAddress: SITE_MASKED }, 'customer.siteAddress'],
        [{ phone: PHONE_MASKED }, 'customer.phone'],
      ] as const) {
        const res = await as('lead-a', 'PATCH', `/api/v1/service/archives/${archiveId}`, { version: current.body.version, customer });
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.error.details).toMatchObject({ field, reason: 'masked_value' });
      }
      // what is not masked is amended as before, and answered masked
      const amended = await as('lead-a', 'PATCH', `/api/v1/service/archives/${archiveId}`, { version: current.body.version, customer: { contact: '李店长' } });
      expect(amended.status, JSON.stringify(amended.body)).toBe(200);
      expect(amended.body.customer).toEqual({ organisation: '沈阳和平区悦来酒店', contact: '李店长', phone: PHONE_MASKED, siteAddress: SITE_MASKED });
      const revealed = await as('clerk-a', 'POST', `/api/v1/service/archives/${archiveId}/reveal`, { fields: ['phone', 'address'], reason: '核对档案' });
      expect(revealed.body).toEqual({ phone: PHONE, address: SITE });
    });
  });
}
