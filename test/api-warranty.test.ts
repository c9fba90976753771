/**
 * Phones under 三包 over HTTP, on each database (S4): device sales with a
 * checked IMEI/MEID, the decision at the edges of its periods, send-back
 * testing from the buyer's request to the exchanged host, who may see and do
 * what, the warranty card with the buyer's city's service points, and the
 * policy as versioned data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUYER_NICK, seedDemo, seedDemoDevices } from '../src/app/demo-seed.ts';
import { completeImei, parseDeviceId } from '../src/core/warranty/device-ids.ts';
import { addCalendarDays, shanghaiDateOf } from '../src/core/warranty/periods.ts';
import { defaultWarrantyPolicy } from '../src/core/warranty/policy.ts';
import { defaultServicePoints } from '../src/core/warranty/service-points.ts';
import type { Role } from '../src/core/roles.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { BUYER_NICK, makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client, type Answer } from './support/http.ts';

const DAY = 86_400_000;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-test-image')]);
const HOST_OK = { scratches: false, accessoriesIntact: true, resaleMarks: [] };
/** A valid IMEI from a 6-digit serial (the TAC of a test phone, the Luhn check digit appended). */
const imei = (serial: number) => completeImei(`35209900${String(serial).padStart(6, '0')}`);

interface Browser {
  call(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<Answer>;
}

for (const dialect of DIALECTS) {
  describe(`phones under 三包: devices, decisions, send-backs, the card [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let other: ShopFixture;
    let api: ReturnType<typeof client>;
    const start = new Date('2026-11-02T02:00:00.000Z'); // 10:00 in Shanghai
    const today = shanghaiDateOf(start);
    let serial = 100;

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      f = await setupShop(ctx, 'shop-a');
      other = await setupShop(ctx, 'shop-b');
      app = await buildServer({ ctx });
      api = client(app, f);
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    async function as(role: Role, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, shop = f): Promise<Answer> {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${shop.tokens[role]}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
      let body: unknown = res.body;
      try {
        body = res.json();
      } catch {
        // an HTML page
      }
      return { status: res.statusCode, body, headers: res.headers };
    }

    /** The buyer portal: the order number and the phone on the order open a session for that one order. */
    async function portal(orderNo: string, phone = '13812341234'): Promise<Browser> {
      const res = await app.inject({ method: 'POST', url: '/api/v1/buyer/session', payload: { orderNo, phone } });
      expect(res.statusCode, res.body).toBe(200);
      const cookie = String(res.headers['set-cookie']).split(';')[0]!;
      const csrf = (res.json() as { csrfToken: string }).csrfToken;
      return {
        async call(method, url, payload) {
          const r = await app.inject({ method, url, headers: { cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }) }, ...(payload === undefined ? {} : { payload: payload as object }) });
          let body: unknown = r.body;
          try {
            body = r.json();
          } catch {
            // an HTML page
          }
          return { status: r.statusCode, body, headers: r.headers };
        },
      };
    }

    /** A finished order of the shop with a phone sold on it, bought `daysAgo` days before the clock's today. */
    async function phoneSale(options: { daysAgo: number; region?: string; brand?: string; shop?: ShopFixture; accessories?: unknown[]; nick?: string }) {
      const shop = options.shop ?? f;
      // another buyer's order stays signed: the fixture's buyer confirms only their own
      const order = await makeOrder(ctx, shop, options.nick ? 'signed' : 'finished', options.nick ? { buyer: { nick: options.nick, name: '王小明', phone: '13912345678', address: { province: '河北省', city: '邯郸市', district: '丛台区', detail: '人民路 1 号' } } } : {});
      serial += 1;
      const res = await as(
        'agent',
        'POST',
        '/api/v1/devices',
        {
          orderNo: order.orderNo,
          brand: options.brand ?? '华为',
          model: 'Mate 60',
          deviceId: imei(serial),
          purchaseDate: addCalendarDays(shanghaiDateOf(ctx.clock.now()), -options.daysAgo),
          region: options.region ?? '河北省石家庄市长安区中山东路 188 号',
          buyerName: '李小美',
          buyerPhone: '13812341234',
          accessories: options.accessories ?? [
            { kind: 'battery', origin: 'original' },
            { kind: 'charger', name: '66W 充电器', origin: 'original' },
            { kind: 'bluetooth_headset', name: '蓝牙耳机', origin: 'gift' },
          ],
        },
        shop,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { order, device: res.body as { id: number; deviceId: string; orderNo: string; region: string; purchaseDate: string; version: number } };
    }

    async function auditCount(action: string): Promise<number> {
      const row = await ctx.db.kysely.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow();
      return Number(row.n);
    }

    const decideBody = (requestDate: string, extra: Record<string, unknown> = {}) => ({
      item: { part: 'host' },
      request: 'warranty',
      requestDate,
      fault: 'performance',
      confirmedBy: 'authorised_centre',
      condition: HOST_OK,
      ...extra,
    });

    it('S4 registers a phone sale: a wrong IMEI check digit is 400 with the digit expected, the same IMEI twice is 409 DEVICE_EXISTS, MEIDs in any form', async () => {
      const order = await makeOrder(ctx, f, 'finished');
      const sale = { orderNo: order.orderNo, brand: '华为', model: 'Mate 60', purchaseDate: '2026-10-20', region: '河北省石家庄市长安区', accessories: [] };
      const typo = await api.post('agent', '/api/v1/devices', { ...sale, deviceId: '352099001761482' });
      expect(typo.status).toBe(400);
      expect(typo.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'deviceId', reason: 'bad_check_digit', expected: '1' } });
      expect(typo.body.error.message).toContain('should be 1');
      const short = await api.post('agent', '/api/v1/devices', { ...sale, deviceId: '3520990017614' });
      expect(short.body.error.details).toMatchObject({ field: 'deviceId', reason: 'wrong_length', length: 13 });
      const imeisv = await api.post('agent', '/api/v1/devices', { ...sale, deviceId: '3520990017614812' });
      expect(imeisv.body.error.message).toContain('IMEISV');

      const created = await api.post('agent', '/api/v1/devices', { ...sale, deviceId: '35-209900-176148-1' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ deviceId: '352099001761481', idKind: 'imei', orderNo: order.orderNo, purchaseDate: '2026-10-20', deliveryDate: null, accessories: [], version: 1 });
      const twice = await api.post('agent', '/api/v1/devices', { ...sale, deviceId: '352099001761481' });
      expect(twice.status).toBe(409);
      expect(twice.body.error).toMatchObject({ code: 'DEVICE_EXISTS', details: { deviceId: '352099001761481', existingId: created.body.id } });
      // another shop may sell the same phone: unique per shop
      const theirOrder = await makeOrder(ctx, other, 'finished');
      expect((await as('agent', 'POST', '/api/v1/devices', { ...sale, orderNo: theirOrder.orderNo, deviceId: '352099001761481' }, other)).status).toBe(201);

      // the 18-digit decimal MEID is stored as its 14 hex digits, and found by either form
      const meid = await api.post('system', '/api/v1/devices', { ...sale, deviceId: '270113177609606898', brand: '酷派' });
      expect(meid.status, JSON.stringify(meid.body)).toBe(201);
      expect(meid.body).toMatchObject({ deviceId: 'A10000009296F2', idKind: 'meid' });
      for (const q of ['A10000009296F2', 'a1000000 9296f2', '270113177609606898']) {
        const found = await api.get('agent', `/api/v1/devices?q=${encodeURIComponent(q)}`);
        expect(found.body.items.map((d: { id: number }) => d.id), q).toEqual([meid.body.id]);
      }
      const byOrder = await api.get('warehouse', `/api/v1/devices?q=${order.orderNo}`);
      expect(byOrder.body.items.map((d: { id: number }) => d.id).sort()).toEqual([created.body.id, meid.body.id].sort());
      const page = await api.get('agent', '/api/v1/devices?limit=1');
      expect(page.body.items).toHaveLength(1);
      const next = await api.get('agent', `/api/v1/devices?limit=1&cursor=${page.body.nextCursor}`);
      expect(next.body.items[0].id).toBeLessThan(page.body.items[0].id);
      expect((await api.get('agent', '/api/v1/devices?cursor=bm9wZQ')).status).toBe(400);

      // the dates make sense; an order of another shop is not found; only agents, supervisors and machines register
      const future = await api.post('agent', '/api/v1/devices', { ...sale, deviceId: imei(1), purchaseDate: addCalendarDays(today, 1) });
      expect(future.body.error.details).toMatchObject({ field: 'purchaseDate', reason: 'purchase_date_in_future' });
      const early = await api.post('agent', '/api/v1/devices', { ...sale, deviceId: imei(1), deliveryDate: '2026-10-19' });
      expect(early.body.error.details).toMatchObject({ field: 'deliveryDate', reason: 'delivery_date_before_purchase' });
      expect((await api.post('agent', '/api/v1/devices', { ...sale, deviceId: imei(1), orderNo: theirOrder.orderNo })).status).toBe(404);
      for (const role of ['warehouse', 'buyer', 'finance', 'platform'] as const) {
        expect((await api.post(role, '/api/v1/devices', { ...sale, deviceId: imei(1) })).status, role).toBe(403);
      }
      expect(await auditCount('device.create')).toBeGreaterThanOrEqual(3);
      // a buyer's phone number and street are masked for staff, shown to the buyer
      const withPii = await api.post('agent', '/api/v1/devices', { ...sale, deviceId: imei(2), region: '河北省石家庄市长安区中山东路 188 号', buyerPhone: '13812341234' });
      expect(withPii.body).toMatchObject({ region: '河北省石家庄市长安区****', buyerPhone: '138****1234' });
      expect((await api.get('buyer', `/api/v1/devices/${withPii.body.id}`)).body).toMatchObject({ region: '河北省石家庄市长安区中山东路 188 号', buyerPhone: '13812341234' });
    });

    it('S4.2 day counting over HTTP: day 7 return, day 8 host exchange, day 15 exchange, day 16 free repair; a gift is never covered', async () => {
      const { device } = await phoneSale({ daysAgo: 40 });
      const bought = device.purchaseDate;
      const decide = (requestDate: string, extra: Record<string, unknown> = {}) => api.post('agent', `/api/v1/devices/${device.id}/decide`, decideBody(requestDate, extra));
      const before = await auditCount('warranty.decide');

      const day7 = await decide(addCalendarDays(bought, 7));
      expect(day7.status, JSON.stringify(day7.body)).toBe(200);
      expect(day7.body).toMatchObject({ remedy: 'return', options: ['return', 'exchange_host', 'free_repair'], clause: { id: 'sanbao.host.return_7d' }, policyVersion: 0, status: 'decided' });
      expect(day7.body.period).toMatchObject({ dayNumber: 7, within: true, lastDay: addCalendarDays(bought, 7) });
      expect(day7.body.clause.textZh).toContain('7日内');
      const day8 = await decide(addCalendarDays(bought, 8));
      expect(day8.body).toMatchObject({ remedy: 'exchange_host', options: ['exchange_host', 'free_repair'], clause: { id: 'sanbao.host.exchange_15d' } });
      expect(day8.body.considered[0]).toMatchObject({ ruleId: 'host.return_7d', holds: false, reasons: [{ code: 'period_over' }] });
      expect(day8.body.hostOnly.clause.id).toBe('exchange.host_only');
      expect(day8.body.postage.legs.map((l: { buyerPercent: number }) => l.buyerPercent)).toEqual([50, 50]);
      const day15 = await decide(addCalendarDays(bought, 15));
      expect(day15.body).toMatchObject({ remedy: 'exchange_host', clause: { id: 'sanbao.host.exchange_15d' } });
      const day16 = await decide(addCalendarDays(bought, 16));
      expect(day16.body).toMatchObject({ remedy: 'free_repair', options: ['free_repair'], clause: { id: 'sanbao.host.repair_1y' } });
      // the gift headset of the sale (its origin comes from the sale when the request names none)
      const gift = await decide(addCalendarDays(bought, 3), { item: { part: 'bluetooth_headset' } });
      expect(gift.body).toMatchObject({ remedy: 'no_remedy', clause: { id: 'sanbao.gifts' } });
      // the charger was original: an exchange of the accessory within its year
      const charger = await decide(addCalendarDays(bought, 30), { item: { part: 'charger' } });
      expect(charger.body).toMatchObject({ remedy: 'exchange_accessory', clause: { id: 'sanbao.accessories' } });
      expect(await auditCount('warranty.decide')).toBe(before + 6);
      const row = await ctx.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'warranty.decide').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ target_type: 'device', target_id: String(device.id), role: 'agent' });
      expect(JSON.parse(row.details)).toMatchObject({ remedy: 'exchange_accessory', clauseId: 'sanbao.accessories', policyVersion: 0 });

      // impossible input is refused, nothing is audited; the buyer does not decide
      const before2 = await auditCount('warranty.decide');
      const earlier = await decide(addCalendarDays(bought, -1));
      expect(earlier.status).toBe(400);
      expect(earlier.body.error.details.field).toBe('requestDate');
      expect((await decide(addCalendarDays(bought, 3), { faultCode: 'charger.not_working' })).body.error.details.field).toBe('faultCode');
      expect((await api.post('buyer', `/api/v1/devices/${device.id}/decide`, decideBody(bought))).status).toBe(403);
      expect(await auditCount('warranty.decide')).toBe(before2);
    });

    it('S4.3–S4.5 a send-back: the buyer opens it for a phone bought 10 days ago and accepts the terms; received, tested, fault confirmed; the host is exchanged, old and new IMEI recorded; closed', async () => {
      ctx.clock.set(start);
      const { order, device } = await phoneSale({ daysAgo: 10 });
      const buyer = await portal(order.orderNo);

      // the buyer sees their phone, the terms to accept, and the guided path ending in a send-back (no centre yet)
      const mine = await buyer.call('GET', '/api/v1/devices');
      expect(mine.body.items.map((d: { id: number }) => d.id)).toEqual([device.id]);
      const policy = await buyer.call('GET', '/api/v1/warranty-policy');
      expect(policy.body).toMatchObject({ version: 0, updatedAt: null });
      expect(policy.body.policy.clauses['sendback.terms'].textZh).toContain('认可我司出具的检测报告');
      const guide = await buyer.call('POST', '/api/v1/warranty/guide', { deviceId: device.id, answers: { symptom: 'other' } });
      expect(guide.body).toMatchObject({ step: 'send_back', terms: { id: 'sendback.terms' }, lookup: { status: 'to_be_filled', city: '石家庄' } });

      const opened = await buyer.call('POST', '/api/v1/send-backs', { deviceId: device.id, item: { part: 'host' }, faultDescription: '无法开机，充电也没有反应' });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      expect(opened.body).toMatchObject({ status: 'requested', version: 1, allowedActions: ['accept_terms', 'cancel'], device: { id: device.id } });
      expect(opened.body.sendBack).toMatchObject({ orderNo: order.orderNo, device: { kind: 'imei', value: device.deviceId }, requestDate: today, policy: { version: 0 }, terms: { clauseId: 'sendback.terms', accepted: null } });
      const id = opened.body.id as number;
      expect((await buyer.call('POST', '/api/v1/send-backs', { deviceId: device.id, item: { part: 'host' }, faultDescription: '再开一个' })).body.error.details.reason).toBe('send_back_already_open');

      // S4.3: the terms accepted in the portal, their text recorded with the time
      ctx.clock.set(new Date(start.getTime() + 60_000));
      const accepted = await buyer.call('POST', `/api/v1/send-backs/${id}/accept_terms`, { version: 1, policyVersion: opened.body.sendBack.policy.version });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      expect(accepted.body.status).toBe('terms_accepted');
      expect(accepted.body.sendBack.terms).toMatchObject({
        textZh: defaultWarrantyPolicy.clauses['sendback.terms']!.textZh,
        accepted: { at: new Date(start.getTime() + 60_000).toISOString(), via: 'portal', by: 'buyer' },
      });
      // stale version; the wrong role (route and core table agree); another buyer's order
      const stale = await buyer.call('POST', `/api/v1/send-backs/${id}/cancel`, { version: 1, reason: '不想修了' });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
      const receiveBody = { version: 2, trackingNo: 'SF1300000000001', itemsReceived: ['host', 'accessories', 'manual', 'warranty_card', 'invoice', 'labels', 'packaging', 'reason_note', 'fault_note'] };
      for (const role of ['agent', 'buyer', 'supervisor', 'finance'] as const) {
        const res = await api.post(role, `/api/v1/send-backs/${id}/receive`, receiveBody);
        expect(res.status, role).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
      expect((await buyer.call('POST', `/api/v1/send-backs/${id}/receive`, receiveBody)).status).toBe(403);
      expect((await api.post('agent', `/api/v1/send-backs/${id}/decide`, { version: 2 })).body.error).toMatchObject({ code: 'ACTION_NOT_ALLOWED', details: { status: 'terms_accepted' } });

      // the RMA board: the warehouse finds it waiting for the parcel
      const board = await api.get('warehouse', '/api/v1/send-backs?status=terms_accepted');
      expect(board.body.items.map((s: { id: number }) => s.id)).toContain(id);
      ctx.clock.set(new Date(start.getTime() + 2 * DAY));
      const received = await api.post('warehouse', `/api/v1/send-backs/${id}/receive`, receiveBody);
      expect(received.status, JSON.stringify(received.body)).toBe(200);
      expect(received.body.sendBack.received).toMatchObject({ trackingNo: 'SF1300000000001', missing: [] });
      const tested = await api.post('agent', `/api/v1/send-backs/${id}/record_test`, { version: 3, testedBy: 'our_test', notes: '充电无反应，主板供电故障' });
      expect(tested.body.status).toBe('tested');
      const photo = await app.inject({ method: 'POST', url: '/api/v1/evidence', headers: { authorization: `Bearer ${f.tokens.agent}`, 'content-type': 'image/png' }, payload: PNG });
      const reported = await api.post('agent', `/api/v1/send-backs/${id}/report`, {
        version: 4,
        result: 'fault_confirmed',
        photos: [photo.json().ref],
        summary: '故障属实：无法开机，非人为损坏',
        condition: { scratches: false, accessoriesIntact: true, resaleMarks: [] },
        faultCode: 'host.power_or_network',
      });
      expect(reported.status, JSON.stringify(reported.body)).toBe(200);
      expect(reported.body.allowedActions).toEqual(['decide']);

      // S4.2: day 10 from the purchase (counted to the day the buyer asked): exchange of the host
      const decided = await api.post('agent', `/api/v1/send-backs/${id}/decide`, { version: 5 });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      expect(decided.body.sendBack).toMatchObject({ chosenRemedy: 'exchange_host', decision: { remedy: 'exchange_host', clause: { id: 'sanbao.host.exchange_15d' }, period: { dayNumber: 10 } } });
      expect(decided.body.sendBack.decision.hostOnly.clause.textZh).toContain('只更换机头');
      // issue 13: the postage is recorded once the split is decided
      expect(decided.body.allowedActions).toEqual(['record_postage']);
      expect((await api.get('warehouse', `/api/v1/send-backs/${id}`)).body.allowedActions).toEqual(['ship_back', 'record_postage']);

      // S4.5: the host only — the old and the new IMEI recorded, never an accessory
      const ship = { version: 6, trackingNo: 'SF1300000000002', courier: '顺丰速运' };
      const noIds = await api.post('warehouse', `/api/v1/send-backs/${id}/ship_back`, ship);
      expect(noIds.body.error.details).toMatchObject({ field: 'exchange', reason: 'exchange_required' });
      const wrongOld = await api.post('warehouse', `/api/v1/send-backs/${id}/ship_back`, { ...ship, exchange: { oldDeviceId: imei(999), newDeviceId: imei(998) } });
      expect(wrongOld.body.error.details.field).toBe('exchange.oldDeviceId');
      const newImei = imei(777_777);
      const shipped = await api.post('warehouse', `/api/v1/send-backs/${id}/ship_back`, { ...ship, exchange: { oldDeviceId: device.deviceId, newDeviceId: newImei } });
      expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
      expect(shipped.body.sendBack.shipment.exchange).toMatchObject({ old: { kind: 'imei', value: device.deviceId }, new: { kind: 'imei', value: newImei } });
      // the buyer's view explains why the box's number differs from the new host's
      // (two days on, the first portal session has ended: sessions end after 8 hours idle)
      expect((await buyer.call('GET', `/api/v1/send-backs/${id}`)).status).toBe(401);
      const seen = await (await portal(order.orderNo)).call('GET', `/api/v1/send-backs/${id}`);
      expect(seen.body.sendBack.shipment.exchange.boxNoticeZh).toContain('MEID');
      const closed = await api.post('agent', `/api/v1/send-backs/${id}/close`, { version: 7, note: '已换新机头，买家签收' });
      expect(closed.body).toMatchObject({ status: 'closed', version: 8, allowedActions: [] });

      const detail = await api.get('supervisor', `/api/v1/send-backs/${id}`);
      expect(detail.body.events.map((e: { action: string }) => e.action)).toEqual(['create', 'accept_terms', 'receive', 'record_test', 'report', 'decide', 'ship_back', 'close']);
      expect(detail.body.events[1]).toMatchObject({ actorRole: 'buyer', data: { via: 'portal', clauseId: 'sendback.terms', at: new Date(start.getTime() + 60_000).toISOString() } });
      const audited = await ctx.db.kysely.selectFrom('audit_log').select('action').where('target_type', '=', 'send_back').where('target_id', '=', String(id)).orderBy('id').execute();
      expect(audited.map((a) => a.action)).toEqual(['send_back.create', 'send_back.accept_terms', 'send_back.receive', 'send_back.record_test', 'send_back.report', 'send_back.decide', 'send_back.ship_back', 'send_back.close']);
      const onDevice = await api.get('agent', `/api/v1/devices/${device.id}`);
      expect(onDevice.body.sendBacks).toEqual([expect.objectContaining({ id, status: 'closed', part: 'host', chosenRemedy: 'exchange_host' })]);
      expect((await api.get('agent', `/api/v1/send-backs?deviceId=${device.id}`)).body.items.map((s: { id: number }) => s.id)).toEqual([id]);
      ctx.clock.set(start);
    });

    it('S4.3 an agent records consent given on the phone, with the words; a send-back is cancelled before the parcel comes; a return closes without shipping back', async () => {
      const { device } = await phoneSale({ daysAgo: 3 });
      const opened = await api.post('agent', '/api/v1/send-backs', { deviceId: device.id, item: { part: 'host' }, faultDescription: '屏幕无显示' });
      expect(opened.status).toBe(201);
      const id = opened.body.id as number;
      const noWords = await api.post('agent', `/api/v1/send-backs/${id}/accept_terms`, { version: 1, policyVersion: 0, via: 'phone' });
      expect(noWords.body.error.details.field).toBe('evidence');
      const stalePolicy = await api.post('agent', `/api/v1/send-backs/${id}/accept_terms`, { version: 1, policyVersion: 3, via: 'phone', evidence: '买家电话中表示同意检测细则' });
      expect(stalePolicy.body.error.details.field).toBe('policyVersion');
      const ok = await api.post('agent', `/api/v1/send-backs/${id}/accept_terms`, { version: 1, policyVersion: 0, via: 'phone', evidence: '买家电话中表示同意检测细则' });
      expect(ok.body.sendBack.terms.accepted).toMatchObject({ via: 'phone', by: 'agent', evidence: '买家电话中表示同意检测细则' });
      // a send-back must name facts of its device
      const claimed = await api.post('agent', '/api/v1/send-backs', { deviceId: device.id, item: { part: 'charger' }, faultDescription: '充不进电', brand: '小米' });
      expect(claimed.body.error.details).toMatchObject({ field: 'brand', reason: 'brand_not_this_device' });

      const cancelled = await api.post('agent', `/api/v1/send-backs/${id}/cancel`, { version: 2, reason: '买家改去当地售后' });
      expect(cancelled.body).toMatchObject({ status: 'cancelled', allowedActions: [] });

      // day 3, confirmed: the buyer chooses a return; the phone stays, the send-back closes from decided
      const again = await api.post('agent', '/api/v1/send-backs', { deviceId: device.id, item: { part: 'host' }, faultDescription: '屏幕无显示' });
      const sb = again.body.id as number;
      await api.post('agent', `/api/v1/send-backs/${sb}/accept_terms`, { version: 1, policyVersion: 0, via: 'wangwang', evidence: '旺旺：同意' });
      // everything came but the invoice (a return needs the whole set as sold, S4.4: the invoice is listed missing)
      await api.post('warehouse', `/api/v1/send-backs/${sb}/receive`, {
        version: 2,
        trackingNo: 'YT1300000000003',
        itemsReceived: ['host', 'accessories', 'manual', 'warranty_card', 'labels', 'packaging', 'reason_note', 'fault_note'],
      });
      await api.post('agent', `/api/v1/send-backs/${sb}/record_test`, { version: 3, testedBy: 'authorised_centre', centreName: '华为授权服务中心' });
      await api.post('agent', `/api/v1/send-backs/${sb}/report`, { version: 4, result: 'fault_confirmed', photos: ['evidence:1'], summary: '屏幕无显示，故障属实', condition: { scratches: false, accessoriesIntact: true } });
      const notAnOption = await api.post('agent', `/api/v1/send-backs/${sb}/decide`, { version: 5, chosenRemedy: 'exchange_accessory' });
      expect(notAnOption.body.error.details.field).toBe('chosenRemedy');
      const returned = await api.post('agent', `/api/v1/send-backs/${sb}/decide`, { version: 5, chosenRemedy: 'return' });
      expect(returned.body.sendBack).toMatchObject({ chosenRemedy: 'return', decision: { remedy: 'return', options: ['return', 'exchange_host', 'free_repair'] } });
      expect(returned.body.sendBack.received.missing.length).toBeGreaterThan(0);
      expect((await api.post('warehouse', `/api/v1/send-backs/${sb}/ship_back`, { version: 6, trackingNo: 'SF1', courier: '顺丰' })).status).toBe(409);
      expect((await api.post('agent', `/api/v1/send-backs/${sb}/close`, { version: 6, note: '退款另行处理' })).body.status).toBe('closed');
    });

    it('S4 who sees what: a buyer reaches only their own order\'s phone (404 otherwise), another shop\'s device and send-back are 404', async () => {
      const a = await phoneSale({ daysAgo: 10 });
      const b = await phoneSale({ daysAgo: 10 });
      const stranger = await phoneSale({ daysAgo: 10, nick: 'tb_stranger', region: '河北省邯郸市丛台区' });
      const theirs = await phoneSale({ daysAgo: 10, shop: other });
      const theirSendBack = await as('agent', 'POST', '/api/v1/send-backs', { deviceId: theirs.device.id, item: { part: 'host' }, faultDescription: '无法开机' }, other);
      expect(theirSendBack.status).toBe(201);
      const sbOfB = await api.post('agent', '/api/v1/send-backs', { deviceId: b.device.id, item: { part: 'host' }, faultDescription: '无法开机' });

      const buyerA = await portal(a.order.orderNo);
      const sessionList = await buyerA.call('GET', '/api/v1/devices');
      expect(sessionList.body.items.map((d: { id: number }) => d.id)).toEqual([a.device.id]);
      for (const url of [`/api/v1/devices/${b.device.id}`, `/api/v1/devices/${b.device.id}/card`, `/api/v1/devices/${b.device.id}/card?format=json`, `/api/v1/send-backs/${sbOfB.body.id}`]) {
        const res = await buyerA.call('GET', url);
        expect(res.status, url).toBe(404);
        expect(res.body.error.code).toBe('NOT_FOUND');
      }
      expect((await buyerA.call('POST', '/api/v1/send-backs', { deviceId: b.device.id, item: { part: 'host' }, faultDescription: '别人的手机' })).status).toBe(404);
      expect((await buyerA.call('POST', `/api/v1/send-backs/${sbOfB.body.id}/cancel`, { version: 1, reason: '别人的' })).status).toBe(404);
      expect((await buyerA.call('POST', '/api/v1/warranty/guide', { deviceId: b.device.id, answers: {} })).status).toBe(404);
      expect((await buyerA.call('GET', '/api/v1/send-backs')).body.items).toEqual([]);
      expect((await buyerA.call('GET', `/api/v1/devices?q=${b.device.deviceId}`)).body.items).toEqual([]);
      // the buyer token reaches every order of its own nick, never another buyer's
      expect((await api.get('buyer', `/api/v1/devices/${b.device.id}`)).status).toBe(200);
      expect((await api.get('buyer', `/api/v1/devices/${stranger.device.id}`)).status).toBe(404);
      expect((await api.get('buyer', '/api/v1/devices?limit=200')).body.items.map((d: { id: number }) => d.id)).not.toContain(stranger.device.id);
      expect(await auditCount('access.other_buyer')).toBeGreaterThan(0);

      // another shop's ids answer 404 on every warranty route, and the attempt is on the record
      const before = await auditCount('access.cross_shop');
      const cross = [
        await api.get('agent', `/api/v1/devices/${theirs.device.id}`),
        await api.get('agent', `/api/v1/devices/${theirs.device.id}/card`),
        await api.post('agent', `/api/v1/devices/${theirs.device.id}/decide`, decideBody(today)),
        await api.post('agent', '/api/v1/send-backs', { deviceId: theirs.device.id, item: { part: 'host' }, faultDescription: '无法开机' }),
        await api.get('agent', `/api/v1/send-backs/${theirSendBack.body.id}`),
        await api.post('agent', `/api/v1/send-backs/${theirSendBack.body.id}/accept_terms`, { version: 1, policyVersion: 0, via: 'phone', evidence: '同意' }),
      ];
      expect(cross.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
      expect(JSON.stringify(cross.map((r) => r.body))).not.toContain(theirs.device.deviceId);
      expect(await auditCount('access.cross_shop')).toBe(before + cross.length);
      expect((await api.get('agent', `/api/v1/devices?q=${theirs.device.deviceId}`)).body.items).toEqual([]);
      expect(BUYER_NICK).not.toBe('tb_stranger');
    });

    it('S4.1 the warranty card: the policy text, the buyer\'s Hebei city\'s service points for the brand (placeholders read 待补充), self-fixes, hotline, return address and consignee; printable HTML without scripts, or JSON', async () => {
      const { order, device } = await phoneSale({ daysAgo: 10, region: '河北省石家庄市长安区中山东路 188 号' });
      const placeholders = await api.get('agent', `/api/v1/devices/${device.id}/card`);
      expect(placeholders.status).toBe(200);
      expect(placeholders.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      expect(placeholders.body).toContain('石家庄 · 华为售后网点');
      expect(placeholders.body).toContain('待补充');

      // the supervisor fills Shijiazhuang's Huawei centre, the hotline and the consignee's phone
      const directory = structuredClone(defaultServicePoints) as unknown as { version: number; points: Record<string, unknown>[] };
      const point = directory.points.find((p) => p.id === 'hebei.石家庄.huawei')!;
      Object.assign(point, { status: 'active', name: '华为授权服务中心（石家庄长安店）', address: '石家庄市长安区建设北大街 36 号', phone: '0311-86668888', hours: '09:00–18:00' });
      const returnContact = { address: '河北省石家庄开发区黄河大道祁连街润都盛和广场', consignee: '电信网厅（天猫）退换货组', phone: '0311-85550000', hotline: '400-800-1234' };
      const bad = structuredClone(directory);
      Object.assign(bad.points[0]!, { status: 'active', address: null });
      const refused = await as('supervisor', 'PUT', '/api/v1/service-points', { directory: bad, returnContact });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('SERVICE_POINTS_INVALID');
      expect(refused.body.error.details.errors[0]).toContain('hebei.石家庄.huawei');
      expect((await as('agent', 'PUT', '/api/v1/service-points', { directory, returnContact })).status).toBe(403);
      const saved = await as('supervisor', 'PUT', '/api/v1/service-points', { directory, returnContact });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.body).toMatchObject({ version: 1, directory: { version: 1 }, returnContact });
      const lookup = await api.get('agent', `/api/v1/service-points?region=${encodeURIComponent('河北省石家庄市长安区')}&brand=HUAWEI`);
      expect(lookup.body.lookup.status).toBe('found');
      expect(lookup.body.matches.map((p: { id: string }) => p.id)).toEqual(['hebei.石家庄.huawei']);
      expect((await api.get('agent', '/api/v1/service-points')).body.matches).toBeUndefined();

      const card = await api.get('warehouse', `/api/v1/devices/${device.id}/card`);
      const html = card.body as string;
      expect(html).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
      for (const text of [
        defaultWarrantyPolicy.clauses['sanbao.host.return_7d']!.textZh,
        defaultWarrantyPolicy.clauses['sendback.terms']!.textZh,
        '华为授权服务中心（石家庄长安店）',
        '石家庄市长安区建设北大街 36 号',
        '0311-86668888',
        '恢复出厂设置',
        '400-800-1234',
        returnContact.address,
        returnContact.consignee,
        device.deviceId,
        '蓝牙耳机（赠品，不作保修）',
        '另存为 PDF',
      ]) {
        expect(html, text).toContain(text);
      }
      // no script anywhere (the CSP allows inline styles, not scripts); the street is not printed
      expect(html).not.toMatch(/<script|onclick|javascript:/i);
      expect(html).not.toContain('中山东路');
      expect(String(card.headers['content-security-policy'])).toMatch(/script-src 'self'/);

      // the same as JSON; the buyer gets their own card
      const json = await portal(order.orderNo).then((b) => b.call('GET', `/api/v1/devices/${device.id}/card?format=json`));
      expect(json.status).toBe(200);
      expect(json.body).toMatchObject({
        hotline: '400-800-1234',
        returnContact,
        servicePoints: [{ id: 'hebei.石家庄.huawei', status: 'active' }],
        servicePointLookup: { status: 'found', city: '石家庄', brand: { id: 'huawei' } },
        device: { id: device.id, region: '河北省石家庄市长安区中山东路 188 号' },
      });
      expect(json.body.policyClauses.map((c: { id: string }) => c.id)).toContain('sendback.terms');
      expect(json.body.selfFixes.map((s: { id: string }) => s.id)).toEqual(['factory_reset', 'check_charger_and_cable', 'activate_battery']);

      // another Hebei city still has placeholders: shown as 待补充, never as a centre to visit
      const handan = await phoneSale({ daysAgo: 10, region: '河北省邯郸市丛台区', brand: '小米' });
      const handanCard = await api.get('agent', `/api/v1/devices/${handan.device.id}/card?format=json`);
      expect(handanCard.body.servicePoints).toEqual([expect.objectContaining({ id: 'hebei.邯郸.xiaomi', status: 'to_be_filled' })]);
      expect((await api.get('agent', `/api/v1/devices/${handan.device.id}/card`)).body).toContain('邯郸 · 小米售后网点</td><td colspan="3"><span class="todo">待补充</span>');

      // S4.6 with a centre in the buyer's city: self-fix first, then the centre, else send back
      const step = (answers: Record<string, unknown>) => api.post('agent', '/api/v1/warranty/guide', { deviceId: device.id, answers });
      expect((await step({})).body.step).toBe('ask_fault');
      expect((await step({ symptom: 'freeze' })).body).toMatchObject({ step: 'offer_self_fix', selfFixes: [{ id: 'factory_reset' }] });
      expect((await step({ symptom: 'freeze', selfFix: 'not_fixed' })).body).toMatchObject({ step: 'point_to_local_centre', points: [{ id: 'hebei.石家庄.huawei' }] });
      expect((await step({ symptom: 'freeze', selfFix: 'not_fixed', localCentre: 'cannot_visit' })).body).toMatchObject({
        step: 'send_back',
        returnContact: { hotline: '400-800-1234' },
      });
      expect((await api.post('warehouse', '/api/v1/warranty/guide', { answers: {} })).status).toBe(403);
    });

    it('S4.2 the policy is data: an invalid one is 422 WARRANTY_POLICY_INVALID; a valid one is a new version that decisions use', async () => {
      ctx.clock.set(start);
      const { device } = await phoneSale({ daysAgo: 30 });
      const current = await api.get('agent', '/api/v1/warranty-policy');
      expect(current.body).toMatchObject({ version: 0, updatedAt: null, policy: { id: defaultWarrantyPolicy.id, version: 0 } });
      const policy = structuredClone(current.body.policy);

      const missing = structuredClone(policy);
      missing.host.rungs[0].clauseId = 'no.such.clause';
      missing.postage.qualityFault.buyerToShopBuyerPercent = 150;
      const refused = await as('supervisor', 'PUT', '/api/v1/warranty-policy', { policy: missing });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('WARRANTY_POLICY_INVALID');
      expect(refused.body.error.details.errors).toEqual(expect.arrayContaining([expect.stringContaining('no.such.clause'), expect.stringContaining('150')]));
      const zero = structuredClone(policy);
      zero.host.rungs[0].period.count = 0;
      expect((await as('supervisor', 'PUT', '/api/v1/warranty-policy', { policy: zero })).body.error.code).toBe('WARRANTY_POLICY_INVALID');
      const huge = structuredClone(policy);
      huge.host.rungs[2].period.count = 99_999;
      expect((await as('supervisor', 'PUT', '/api/v1/warranty-policy', { policy: huge })).status).toBe(422);
      expect((await as('supervisor', 'PUT', '/api/v1/warranty-policy', { policy: { ...policy, host: 'none' } })).status).toBe(400);
      expect((await as('agent', 'PUT', '/api/v1/warranty-policy', { policy })).status).toBe(403);
      expect((await api.get('agent', '/api/v1/warranty-policy')).body.version).toBe(0);

      // the shop gives 10 days for a return: day 8 is a return from now on
      const generous = structuredClone(policy);
      generous.host.rungs[0].period = { count: 10, unit: 'day', labelZh: '10日', labelEn: '10 days' };
      generous.clauses['sanbao.host.return_7d'].textZh = '自购买之日起10日内，主机出现非人为损坏的性能故障，经检测属实且外观无划伤附件无损坏，可以享受退换处理。';
      const saved = await as('supervisor', 'PUT', '/api/v1/warranty-policy', { policy: generous });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.body).toMatchObject({ version: 1, policy: { version: 1 } });
      expect((await api.get('agent', '/api/v1/warranty-policy')).body).toMatchObject({ version: 1, updatedAt: start.toISOString() });
      expect((await api.get('agent', '/api/v1/warranty-policy?version=0')).body.policy.host.rungs[0].period.count).toBe(7);
      const day8 = await api.post('agent', `/api/v1/devices/${device.id}/decide`, decideBody(addCalendarDays(device.purchaseDate, 8)));
      expect(day8.body).toMatchObject({ remedy: 'return', policyVersion: 1, policy: { version: 1 }, clause: { id: 'sanbao.host.return_7d' } });
      expect(day8.body.clause.textZh).toContain('10日内');
      const day11 = await api.post('agent', `/api/v1/devices/${device.id}/decide`, decideBody(addCalendarDays(device.purchaseDate, 11)));
      expect(day11.body.remedy).toBe('exchange_host');
      // a new send-back is opened under version 1 and decided under it; the card quotes the new text
      const opened = await api.post('agent', '/api/v1/send-backs', { deviceId: device.id, item: { part: 'host' }, faultDescription: '无法开机' });
      expect(opened.body.sendBack.policy.version).toBe(1);
      expect((await api.get('agent', `/api/v1/devices/${device.id}/card`)).body).toContain('自购买之日起10日内');
      expect(await auditCount('warranty.policy.save')).toBe(1);
    });

    it('S4 the demo shop: the demo buyer\'s phones bought 10, 5 and 200 days ago, shipped to Hebei, valid IMEIs, a gift each', async () => {
      const demoCtx = await createTestContext(dialect, start);
      try {
        const demo = await seedDemo(demoCtx);
        expect(await seedDemoDevices(demoCtx, demo.shop.id)).toBe(3);
        const rows = await demoCtx.db.kysely
          .selectFrom('devices')
          .innerJoin('orders', 'orders.id', 'devices.order_id')
          .select(['devices.device_id', 'devices.purchase_date', 'devices.region', 'devices.accessories', 'orders.buyer_nick', 'orders.status', 'orders.province'])
          .where('devices.shop_id', '=', demo.shop.id)
          .orderBy('devices.purchase_date', 'desc')
          .execute();
        expect(rows.map((r) => r.purchase_date)).toEqual([5, 10, 200].map((d) => addCalendarDays(today, -d)));
        for (const r of rows) {
          expect(parseDeviceId(r.device_id)).toMatchObject({ ok: true, kind: 'imei' });
          expect(r).toMatchObject({ buyer_nick: DEMO_BUYER_NICK, status: 'TRADE_FINISHED', province: '河北省' });
          expect(r.region).toMatch(/^河北省/);
          expect((JSON.parse(r.accessories) as { origin: string }[]).some((a) => a.origin === 'gift')).toBe(true);
        }
      } finally {
        await demoCtx.close();
      }
    });
  });
}
