/**
 * Issue 13, phones under 三包, over HTTP on each database: a return decided in
 * a send-back reaches the refund engine (opened, attached, or left to the
 * platform), an exchanged host is a device of its own, the repair history
 * (repair days extend the period, two repairs give an exchange), the dates a
 * period counts from and to, 民法典 第二百零三条 as a policy option, postage as
 * money, and Hebei's county-level cities on the card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeImei } from '../src/core/warranty/device-ids.ts';
import { defaultRuleSetText } from '../src/core/playbook/default-rule-set.ts';
import { addCalendarDays, shanghaiDateOf } from '../src/core/warranty/periods.ts';
import type { Role } from '../src/core/roles.ts';
import { buildServer, type Api } from '../src/http/server.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';
import { makeOrder, setupShop, type ShopFixture } from './support/fixtures.ts';
import { client, type Answer } from './support/http.ts';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-test-image')]);
const imei = (serial: number) => completeImei(`86891204${String(serial).padStart(6, '0')}`);
const WHOLE_SET = ['host', 'accessories', 'manual', 'warranty_card', 'invoice', 'labels', 'packaging', 'reason_note', 'fault_note'];

for (const dialect of DIALECTS) {
  describe(`phones under 三包, the seams of issue 13 [${dialect}]`, () => {
    let ctx: TestContext;
    let app: Api;
    let f: ShopFixture;
    let api: ReturnType<typeof client>;
    const start = new Date('2026-11-02T02:00:00.000Z'); // 10:00 in Shanghai
    const today = shanghaiDateOf(start);
    let serial = 100;

    beforeAll(async () => {
      ctx = await createTestContext(dialect, start);
      f = await setupShop(ctx, 'seams');
      app = await buildServer({ ctx });
      api = client(app, f);
    });
    afterAll(async () => {
      await app.close();
      await ctx.close();
    });

    async function as(role: Role, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<Answer> {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${f.tokens[role]}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
      let body: unknown = res.body;
      try {
        body = res.json();
      } catch {
        // an HTML page
      }
      return { status: res.statusCode, body, headers: res.headers };
    }

    /** A finished order with a phone sold on it. */
    async function phoneSale(o: { purchaseDate?: string; daysAgo?: number; invoiceDate?: string; region?: string; stage?: 'finished' | 'signed' } = {}) {
      const order = await makeOrder(ctx, f, o.stage ?? 'finished', { paidFen: 399_900, lines: [{ sku: 'MATE60', title: '华为 Mate 60 12+512G', style: '手机', size: '黑色', unitPriceFen: 399_900, quantity: 1 }] });
      serial += 1;
      const res = await api.post('agent', '/api/v1/devices', {
        orderNo: order.orderNo,
        brand: '华为',
        model: 'Mate 60',
        deviceId: imei(serial),
        purchaseDate: o.purchaseDate ?? addCalendarDays(today, -(o.daysAgo ?? 3)),
        ...(o.invoiceDate ? { invoiceDate: o.invoiceDate } : {}),
        region: o.region ?? '河北省石家庄市长安区中山东路 188 号',
        accessories: [
          { kind: 'battery', origin: 'original' },
          { kind: 'charger', origin: 'original' },
        ],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { order, device: res.body as { id: number; deviceId: string; purchaseDate: string; invoiceDate: string | null } };
    }

    async function photo(): Promise<string> {
      const res = await app.inject({ method: 'POST', url: '/api/v1/evidence', headers: { authorization: `Bearer ${f.tokens.agent}`, 'content-type': 'image/png' }, payload: PNG });
      return (res.json() as { ref: string }).ref;
    }

    /** A send-back of the host through to reported (fault confirmed by our test), the whole set received. */
    async function reportedSendBack(deviceId: number, open: Record<string, unknown> = {}, condition = { scratches: false, accessoriesIntact: true, resaleMarks: [] }, faultCode = 'host.display') {
      const opened = await api.post('agent', '/api/v1/send-backs', { deviceId, item: { part: 'host' }, faultDescription: '屏幕无显示', ...open });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      const id = opened.body.id as number;
      const steps: [Role, string, Record<string, unknown>][] = [
        ['agent', 'accept_terms', { policyVersion: opened.body.sendBack.policy.version, via: 'phone', evidence: '买家电话中同意检测细则' }],
        ['warehouse', 'receive', { trackingNo: `SF13${String(id).padStart(9, '0')}`, itemsReceived: WHOLE_SET }],
        ['agent', 'record_test', { testedBy: 'our_test' }],
        ['agent', 'report', { result: 'fault_confirmed', photos: [await photo()], summary: '屏幕无显示，故障属实', condition, faultCode }],
      ];
      let version = 1;
      for (const [role, action, body] of steps) {
        const res = await api.post(role, `/api/v1/send-backs/${id}/${action}`, { version, ...body });
        expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
        version = res.body.version as number;
      }
      return { id, version };
    }

    it('S4.2/S4.3 a return decided under 三包 opens the order\'s refund (the system for the buyer, 仅退款 of goods received, reason quality, the decided amount), linked on both', async () => {
      ctx.clock.set(start);
      const { order, device } = await phoneSale({ daysAgo: 3 });
      const { id, version } = await reportedSendBack(device.id);
      // the page reads the decision and the amount still refundable before deciding
      const seen = await api.get('agent', `/api/v1/send-backs/${id}`);
      expect(seen.body.preview).toMatchObject({ decision: { remedy: 'return', options: ['return', 'exchange_host', 'free_repair'] }, refundable: { defaultFen: 399_900, maxFen: 399_900 } });
      expect((await api.get('warehouse', `/api/v1/send-backs/${id}`)).body.preview).toBeNull();
      const over = await api.post('agent', `/api/v1/send-backs/${id}/decide`, { version, chosenRemedy: 'return', refundFen: 400_000 });
      expect(over.body.error.details).toMatchObject({ field: 'refundFen', reason: 'refund_fen_over_cap' });

      const decided = await api.post('agent', `/api/v1/send-backs/${id}/decide`, { version, chosenRemedy: 'return', refundFen: 389_900 });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      const link = decided.body.sendBack.refund;
      expect(link).toMatchObject({ state: 'opened', amountFen: 389_900, refundAmountFen: 389_900, refundStatus: 'WAIT_SELLER_AGREE', platform: null, problem: null });
      const refund = await api.get('agent', `/api/v1/refunds/${link.refundId}`);
      expect(refund.body).toMatchObject({ orderNo: order.orderNo, type: 'refund_only', goodsStatus: 'received', reason: 'quality', amountFen: 389_900, status: 'WAIT_SELLER_AGREE', phase: 'after_sale' });
      expect(refund.body.description).toContain(`三包送检单 #${id} 判定退货`);
      expect(refund.body.events[0]).toMatchObject({ action: 'apply', actorRole: 'system' });
      // the refund's records list the send-back
      const records = await api.get('agent', `/api/v1/refunds/${link.refundId}/records`);
      expect(records.body.map((r: { kind: string; id: number }) => [r.kind, r.id])).toEqual([['send_back', id]]);
      const audited = await ctx.db.kysely.selectFrom('audit_log').select(['action', 'actor_kind', 'details']).where('target_type', '=', 'refund').where('target_id', '=', String(link.refundId)).execute();
      expect(audited.map((a) => [a.action, a.actor_kind])).toEqual([['refund.apply', 'system']]);
      expect(JSON.parse(audited[0]!.details)).toMatchObject({ sendBackId: id, decidedBy: f.actors.agent.id });
      // the money goes out when an agent agrees, as for any refund
      expect((await api.act('agent', link.refundId, 'agree')).body.status).toBe('SUCCESS');
      const closed = await api.post('agent', `/api/v1/send-backs/${id}/close`, { version: decided.body.version, note: '已退款' });
      expect(closed.body.status).toBe('closed');
      // another send-back of the order: by default, what is still refundable
      const again = await reportedSendBack(device.id);
      const rest = await api.post('agent', `/api/v1/send-backs/${again.id}/decide`, { version: again.version, chosenRemedy: 'return' });
      expect(rest.body.sendBack).toMatchObject({ refundAmountFen: 10_000, refund: { state: 'opened', refundAmountFen: 10_000 } });
      // an order the engine cannot refund online (not escrow, S3.1): the decision stands, the refusal is on record for a person
      const cash = await makeOrder(ctx, f, 'signed', { escrow: false });
      serial += 1;
      const cashDevice = await api.post('agent', '/api/v1/devices', { orderNo: cash.orderNo, brand: '华为', model: 'Mate 60', deviceId: imei(serial), purchaseDate: addCalendarDays(today, -2), region: '河北省保定市' });
      const c = await reportedSendBack(cashDevice.body.id);
      const blocked = await api.post('agent', `/api/v1/send-backs/${c.id}/decide`, { version: c.version, chosenRemedy: 'return', refundFen: 10_000 });
      expect(blocked.status, JSON.stringify(blocked.body)).toBe(200);
      expect(blocked.body.sendBack.refund).toMatchObject({ state: 'blocked', refundId: null, problem: { code: 'NOT_ESCROW' } });
    });

    it('S4.2/S4.3 a return attaches to the order\'s open refund; on a Tmall order the refund is the platform\'s, linked when it has one', async () => {
      ctx.clock.set(start);
      // the buyer already applied for a refund: the engine allows one open refund, the send-back attaches to it
      const attached = await phoneSale({ daysAgo: 2 });
      const applied = await api.post('buyer', '/api/v1/refunds', {
        orderNo: attached.order.orderNo,
        lineNo: null,
        type: 'return_and_refund',
        goodsStatus: 'received',
        reason: 'quality',
        amountFen: 399_900,
        description: '屏幕不亮',
        evidence: [],
      });
      expect(applied.status, JSON.stringify(applied.body)).toBe(201);
      const a = await reportedSendBack(attached.device.id);
      const decidedA = await api.post('agent', `/api/v1/send-backs/${a.id}/decide`, { version: a.version, chosenRemedy: 'return' });
      expect(decidedA.body.sendBack).toMatchObject({ refundAmountFen: 399_900, refund: { state: 'attached', refundId: applied.body.id, refundAmountFen: 399_900, refundStatus: 'WAIT_SELLER_AGREE' } });
      expect((await api.get('agent', `/api/v1/refunds/${applied.body.id}/records`)).body.map((r: { id: number }) => r.id)).toEqual([a.id]);
      const refundsOfOrder = await ctx.db.kysely.selectFrom('refunds').select('id').where('order_no', '=', attached.order.orderNo).execute();
      expect(refundsOfOrder).toHaveLength(1);

      // a Tmall order: nothing is created here; the platform's refund of the order is linked
      const tmall = await phoneSale({ daysAgo: 2 });
      const theirs = await api.post('buyer', '/api/v1/refunds', {
        orderNo: tmall.order.orderNo,
        lineNo: null,
        type: 'return_and_refund',
        goodsStatus: 'received',
        reason: 'quality',
        amountFen: 399_900,
        description: '天猫上申请的退款',
        evidence: [],
      });
      await ctx.db.kysely.updateTable('orders').set({ source: 'tmall' }).where('order_no', '=', tmall.order.orderNo).execute();
      await ctx.db.kysely.updateTable('refunds').set({ platform_refund_id: '2026110212345678901', platform_status: 'WAIT_SELLER_AGREE' }).where('id', '=', theirs.body.id).execute();
      const t = await reportedSendBack(tmall.device.id);
      const decidedT = await api.post('agent', `/api/v1/send-backs/${t.id}/decide`, { version: t.version, chosenRemedy: 'return' });
      expect(decidedT.body.sendBack.refund).toMatchObject({ state: 'platform', platform: 'tmall', refundId: theirs.body.id });
      expect((await api.get('agent', `/api/v1/refunds/${theirs.body.id}/records`)).body.map((r: { id: number }) => r.id)).toEqual([t.id]);
      // a Taobao order without a refund there yet: the send-back says the refund is the platform's to handle
      const taobao = await phoneSale({ daysAgo: 2 });
      await ctx.db.kysely.updateTable('orders').set({ source: 'taobao' }).where('order_no', '=', taobao.order.orderNo).execute();
      const tb = await reportedSendBack(taobao.device.id);
      const decidedTb = await api.post('agent', `/api/v1/send-backs/${tb.id}/decide`, { version: tb.version, chosenRemedy: 'return' });
      expect(decidedTb.body.sendBack.refund).toMatchObject({ state: 'platform', platform: 'taobao', refundId: null });
      expect(await ctx.db.kysely.selectFrom('refunds').select('id').where('order_no', '=', taobao.order.orderNo).execute()).toEqual([]);
    });

    it('S4.5 an exchanged host is a device of its own: found by its IMEI, linked to the old one, its periods starting again on the exchange day', async () => {
      ctx.clock.set(start);
      const { device } = await phoneSale({ daysAgo: 10 });
      const { id, version } = await reportedSendBack(device.id);
      const decided = await api.post('agent', `/api/v1/send-backs/${id}/decide`, { version });
      expect(decided.body.sendBack.chosenRemedy).toBe('exchange_host');
      // an identifier already registered in the shop cannot be the new host's
      const taken = await phoneSale({ daysAgo: 1 });
      const ship = { version: decided.body.version, trackingNo: 'SF1399999999', courier: '顺丰速运' };
      const clash = await api.post('warehouse', `/api/v1/send-backs/${id}/ship_back`, { ...ship, exchange: { oldDeviceId: device.deviceId, newDeviceId: taken.device.deviceId } });
      expect(clash.status).toBe(409);
      expect(clash.body.error).toMatchObject({ code: 'DEVICE_EXISTS', details: { field: 'exchange.newDeviceId', existingId: taken.device.id } });

      ctx.clock.set(new Date(start.getTime() + 3 * 86_400_000));
      const exchangeDay = shanghaiDateOf(ctx.clock.now());
      const newImei = imei(900_001);
      const shipped = await api.post('warehouse', `/api/v1/send-backs/${id}/ship_back`, { ...ship, exchange: { oldDeviceId: device.deviceId, newDeviceId: newImei } });
      expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
      const newRowId = shipped.body.sendBack.shipment.exchange.newDeviceRowId as number;
      const found = await api.get('agent', `/api/v1/devices?q=${newImei}`);
      expect(found.body.items).toEqual([expect.objectContaining({ id: newRowId, deviceId: newImei, previousDeviceId: device.id, hostPeriodsFrom: exchangeDay, purchaseDate: device.purchaseDate })]);
      expect((await api.get('agent', `/api/v1/devices/${device.id}`)).body.exchangedTo).toMatchObject({ id: newRowId, deviceId: newImei, exchangedOn: exchangeDay });
      expect((await api.get('agent', `/api/v1/devices/${newRowId}`)).body.exchangedFrom).toMatchObject({ id: device.id, deviceId: device.deviceId });
      // day 2 after the exchange (day 15 after the sale): a return again, counted from the exchange, citing the clause
      ctx.clock.set(new Date(start.getTime() + 5 * 86_400_000));
      const decision = await api.post('agent', `/api/v1/devices/${newRowId}/decide`, {
        item: { part: 'host' },
        request: 'warranty',
        fault: 'performance',
        confirmedBy: 'authorised_centre',
        condition: { scratches: false, accessoriesIntact: true, resaleMarks: [] },
      });
      expect(decision.body).toMatchObject({ remedy: 'return', period: { start: exchangeDay, dayNumber: 2, startsAt: 'exchange' } });
      expect(decision.body.periodBasis[0].clause).toMatchObject({ id: 'sanbao.exchange_restart', citation: '《移动电话机商品修理更换退货责任规定》第二十一条' });
      const audited = await ctx.db.kysely.selectFrom('audit_log').select('details').where('action', '=', 'device.exchange').where('target_id', '=', String(newRowId)).executeTakeFirstOrThrow();
      expect(JSON.parse(audited.details)).toMatchObject({ previousDeviceId: device.id, sendBackId: id });
      ctx.clock.set(start);
    });

    it('S4.2 the repair history: each 三包 repair is kept; its days extend the period; a fault two repairs did not fix gives an exchange (第十三条)', async () => {
      const day = (iso: string) => new Date(`${iso}T02:00:00.000Z`);
      ctx.clock.set(day('2026-05-05'));
      const { device } = await phoneSale({ purchaseDate: '2025-10-20' });
      const decideBody = (requestDate: string, extra: Record<string, unknown> = {}) => ({
        item: { part: 'host' },
        request: 'warranty',
        requestDate,
        fault: 'performance',
        faultCode: 'host.display',
        confirmedBy: 'authorised_centre',
        condition: { scratches: false, accessoriesIntact: true, resaleMarks: [] },
        ...extra,
      });
      // the first repair at the Huawei centre (from its repair record): 8 days
      const first = await api.post('agent', `/api/v1/devices/${device.id}/repairs`, { part: 'host', faultCode: 'host.display', fault: '屏幕无显示，更换屏幕排线', centreName: '华为授权服务中心（石家庄）', startedOn: '2026-01-10', finishedOn: '2026-01-18' });
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(first.body).toMatchObject({ source: 'service_centre', part: 'host', startedOn: '2026-01-10', finishedOn: '2026-01-18' });
      // once is not twice: a free repair, the rule of 第十三条 weighed and not met
      const once = await api.post('agent', `/api/v1/devices/${device.id}/decide`, decideBody('2026-05-05'));
      expect(once.body.remedy).toBe('free_repair');
      expect(once.body.considered.find((c: { ruleId: string }) => c.ruleId === 'host.repeat_repair').reasons[0].code).toBe('repairs_short');
      // the second repair of the same fault, through our own send-back: kept by itself when the repaired phone goes back (4 days)
      const { id, version } = await reportedSendBack(device.id);
      const decided = await api.post('agent', `/api/v1/send-backs/${id}/decide`, { version });
      expect(decided.body.sendBack).toMatchObject({ chosenRemedy: 'free_repair', decision: { clause: { id: 'sanbao.host.repair_1y' } } });
      ctx.clock.set(day('2026-05-09'));
      const back = await api.post('warehouse', `/api/v1/send-backs/${id}/ship_back`, { version: decided.body.version, trackingNo: 'SF1388888888', courier: '顺丰速运' });
      expect(back.status, JSON.stringify(back.body)).toBe(200);
      const detail = await api.get('agent', `/api/v1/devices/${device.id}`);
      expect(detail.body.repairs).toEqual([
        expect.objectContaining({ source: 'service_centre', faultCode: 'host.display' }),
        expect.objectContaining({ source: 'send_back', sendBackId: id, faultCode: 'host.display', startedOn: '2026-05-05', finishedOn: '2026-05-09' }),
      ]);
      // months later the fault is back, after the nominal year (2026-10-20) but within it once the 12 days in repair are left out
      ctx.clock.set(start);
      const third = await api.post('agent', `/api/v1/devices/${device.id}/decide`, decideBody('2026-10-31'));
      expect(third.body).toMatchObject({
        remedy: 'exchange_host',
        clause: { id: 'sanbao.host.repeat_repair', citation: '《移动电话机商品修理更换退货责任规定》第十三条' },
        period: { lastDay: '2026-11-01', extended: { nominalLastDay: '2026-10-20', repairDays: 12 } },
      });
      expect(third.body.periodBasis.map((b: { code: string }) => b.code)).toEqual(['repair_days']);
      expect((await api.post('agent', `/api/v1/devices/${device.id}/decide`, decideBody('2026-11-02'))).body.remedy).toBe('paid_repair');
      // a repair record needs its dates in order, not in the future, not before the sale; the warehouse does not record repairs
      const bad = await api.post('agent', `/api/v1/devices/${device.id}/repairs`, { part: 'host', fault: '屏幕', centreName: '华为中心', startedOn: '2026-02-10', finishedOn: '2026-02-01' });
      expect(bad.body.error.details).toMatchObject({ field: 'finishedOn', reason: 'finished_on_before_start' });
      expect((await api.post('agent', `/api/v1/devices/${device.id}/repairs`, { part: 'host', fault: '屏幕', centreName: '华为中心', startedOn: '2025-10-01' })).body.error.details.reason).toBe('started_on_before_purchase');
      expect((await api.post('warehouse', `/api/v1/devices/${device.id}/repairs`, { part: 'host', fault: '屏幕', centreName: '华为中心', startedOn: '2026-02-10' })).status).toBe(403);
    });

    it('S4.2/S4.3 dates: the periods count from the invoice date; a send-back counts to the day the fault was first reported; decide refuses a date after today', async () => {
      ctx.clock.set(start);
      // bought 10 days ago, invoiced 4 days later: today is day 6 after the invoice
      const bought = addCalendarDays(today, -10);
      const invoiced = await phoneSale({ purchaseDate: bought, invoiceDate: addCalendarDays(bought, 4) });
      expect(invoiced.device.invoiceDate).toBe(addCalendarDays(bought, 4));
      const body = { item: { part: 'host' }, request: 'warranty', fault: 'performance', confirmedBy: 'authorised_centre', condition: { scratches: false, accessoriesIntact: true, resaleMarks: [] } };
      const byInvoice = await api.post('agent', `/api/v1/devices/${invoiced.device.id}/decide`, body);
      expect(byInvoice.body).toMatchObject({ remedy: 'return', period: { startsAt: 'invoice', dayNumber: 6 }, periodBasis: [{ code: 'invoice_start', clause: { id: 'sanbao.validity' } }] });
      const future = await api.post('agent', `/api/v1/devices/${invoiced.device.id}/decide`, { ...body, requestDate: addCalendarDays(today, 1) });
      expect(future.status).toBe(400);
      expect(future.body.error.details).toMatchObject({ field: 'requestDate', reason: 'request_date_in_future' });
      const badInvoice = await api.post('agent', '/api/v1/devices', { brand: '华为', model: 'Mate 60', deviceId: imei(800_001), purchaseDate: bought, invoiceDate: addCalendarDays(bought, -1), region: '河北省保定市' });
      expect(badInvoice.body.error.details).toMatchObject({ field: 'invoiceDate', reason: 'invoice_date_before_purchase' });

      // bought 10 days ago, no invoice: the buyer told us on Wangwang on day 6, the agent opens the send-back today
      const { device } = await phoneSale({ daysAgo: 10 });
      const early = { faultReportedOn: addCalendarDays(today, -4), faultReportedVia: 'wangwang', faultReportedNote: '旺旺聊天：屏幕突然不亮了' };
      const { id, version } = await reportedSendBack(device.id, early);
      const sb = await api.get('agent', `/api/v1/send-backs/${id}`);
      expect(sb.body.sendBack).toMatchObject({ requestDate: addCalendarDays(today, -4), reported: { via: 'wangwang', note: '旺旺聊天：屏幕突然不亮了', recordedBy: 'agent' } });
      const decided = await api.post('agent', `/api/v1/send-backs/${id}/decide`, { version, chosenRemedy: 'return' });
      expect(decided.body.sendBack.decision).toMatchObject({ remedy: 'return', period: { dayNumber: 6 } });
      // the buyer opens in the portal today only; a later day is refused
      const other = await phoneSale({ daysAgo: 10 });
      const mine = await api.post('buyer', '/api/v1/send-backs', { deviceId: other.device.id, item: { part: 'host' }, faultDescription: '无法开机', faultReportedOn: addCalendarDays(today, -4) });
      expect(mine.body.error.details).toMatchObject({ field: 'faultReportedOn', reason: 'fault_reported_on_buyer_reports_today' });
      const later = await api.post('agent', '/api/v1/send-backs', { deviceId: other.device.id, item: { part: 'host' }, faultDescription: '无法开机', faultReportedOn: addCalendarDays(today, 1), faultReportedVia: 'phone' });
      expect(later.body.error.details).toMatchObject({ field: 'faultReportedOn', reason: 'fault_reported_on_in_future' });
    });

    it('S4.2 民法典 第二百零三条 is a policy option, off by default: turned on, a 7-day period ending in the National Day holiday ends on the next working day', async () => {
      ctx.clock.set(start);
      // bought 2026-09-24: the 7 days end on 2026-10-01 (National Day, off through 10-07); 10-08 is a working day
      const { device } = await phoneSale({ purchaseDate: '2026-09-24' });
      const body = { item: { part: 'host' }, request: 'warranty', requestDate: '2026-10-08', fault: 'performance', confirmedBy: 'authorised_centre', condition: { scratches: false, accessoriesIntact: true, resaleMarks: [] } };
      const off = await api.post('agent', `/api/v1/devices/${device.id}/decide`, body);
      expect(off.body).toMatchObject({ remedy: 'exchange_host', policyVersion: 0 });
      const current = await api.get('supervisor', '/api/v1/warranty-policy');
      expect(current.body.policy.periodRules.holidayEndsNextWorkingDay).toBe(false);
      const policy = structuredClone(current.body.policy);
      policy.periodRules.holidayEndsNextWorkingDay = true;
      const saved = await as('supervisor', 'PUT', '/api/v1/warranty-policy', { policy });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      const on = await api.post('agent', `/api/v1/devices/${device.id}/decide`, body);
      expect(on.body).toMatchObject({ remedy: 'return', period: { lastDay: '2026-10-08', extended: { nominalLastDay: '2026-10-01', holiday: { from: '2026-10-01', to: '2026-10-08' } } } });
      expect(on.body.periodBasis).toEqual([expect.objectContaining({ code: 'holiday', clause: expect.objectContaining({ id: 'law.civil_code_203' }) })]);
      // back to the default for the other tests
      policy.periodRules.holidayEndsNextWorkingDay = false;
      expect((await as('supervisor', 'PUT', '/api/v1/warranty-policy', { policy })).status).toBe(200);
    });

    it("S4.3 postage as money: the courier's actual charges in fen, each side's share by the split, who owes what, and the settlement", async () => {
      ctx.clock.set(start);
      const { device } = await phoneSale({ daysAgo: 10 });
      const { id, version } = await reportedSendBack(device.id);
      const decided = await api.post('agent', `/api/v1/send-backs/${id}/decide`, { version });
      // the buyer paid 18.00 to send the phone (寄付); the warehouse records it
      const recorded = await api.post('warehouse', `/api/v1/send-backs/${id}/record_postage`, { version: decided.body.version, legs: [{ leg: 'buyer_to_shop', chargedFen: 1800, paidBy: 'buyer', trackingNo: 'SF1300000000009' }] });
      expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
      expect(recorded.body.sendBack.postage).toMatchObject({ legs: [{ chargedFen: 1800, buyerShareFen: 900, shopShareFen: 900 }], shopOwesBuyerFen: 900, settled: null, recordedBy: 'warehouse' });
      expect((await api.post('finance', `/api/v1/send-backs/${id}/settle_postage`, { version: recorded.body.version, method: 'cash_on_hand' })).status).toBe(400);
      expect((await api.post('warehouse', `/api/v1/send-backs/${id}/settle_postage`, { version: recorded.body.version, method: 'alipay' })).status).toBe(403);
      const settled = await api.post('finance', `/api/v1/send-backs/${id}/settle_postage`, { version: recorded.body.version, method: 'alipay', reference: '2026110222001400000000000001' });
      expect(settled.status, JSON.stringify(settled.body)).toBe(200);
      expect(settled.body.sendBack.postage.settled).toMatchObject({ method: 'alipay', amountFen: 900, direction: 'shop_to_buyer', by: 'finance', reference: '2026110222001400000000000001' });
      const events = await api.get('supervisor', `/api/v1/send-backs/${id}`);
      expect(events.body.events.map((e: { action: string }) => e.action).slice(-3)).toEqual(['decide', 'record_postage', 'settle_postage']);
    });

    it('S4.1/S4.3 service points: 定州, 辛集 and 雄安新区 find their service city; a report cannot call missing accessories intact', async () => {
      ctx.clock.set(start);
      for (const [region, city, place] of [
        ['河北省定州市北城区', '保定', '定州市'],
        ['河北省辛集市', '石家庄', '辛集市'],
        ['河北雄安新区容城县', '保定', '雄安新区'],
      ] as const) {
        const lookup = await api.get('agent', `/api/v1/service-points?region=${encodeURIComponent(region)}&brand=${encodeURIComponent('华为')}`);
        expect(lookup.body.lookup, region).toMatchObject({ status: 'to_be_filled', city, place });
        expect(lookup.body.matches.map((p: { id: string }) => p.id)).toEqual([`hebei.${city}.huawei`]);
      }
      const dingzhou = await phoneSale({ daysAgo: 3, region: '河北省定州市北城区中山路 8 号' });
      const card = await api.get('agent', `/api/v1/devices/${dingzhou.device.id}/card?format=json`);
      expect(card.body.servicePointLookup).toMatchObject({ status: 'to_be_filled', city: '保定', place: '定州市' });
      expect((await api.get('agent', `/api/v1/devices/${dingzhou.device.id}/card`)).body).toContain('定州市（由保定网点服务）');

      // the warehouse received the phone without its accessories: the report cannot say they are intact
      const opened = await api.post('agent', '/api/v1/send-backs', { deviceId: dingzhou.device.id, item: { part: 'host' }, faultDescription: '屏幕无显示' });
      const sid = opened.body.id as number;
      await api.post('agent', `/api/v1/send-backs/${sid}/accept_terms`, { version: 1, policyVersion: opened.body.sendBack.policy.version, via: 'phone', evidence: '电话同意' });
      await api.post('warehouse', `/api/v1/send-backs/${sid}/receive`, { version: 2, trackingNo: 'SF1300000000077', itemsReceived: ['host', 'fault_note'] });
      await api.post('agent', `/api/v1/send-backs/${sid}/record_test`, { version: 3, testedBy: 'our_test' });
      const report = { version: 4, result: 'fault_confirmed', photos: [await photo()], summary: '屏幕无显示', faultCode: 'host.display' };
      const contradicted = await api.post('agent', `/api/v1/send-backs/${sid}/report`, { ...report, condition: { scratches: false, accessoriesIntact: true } });
      expect(contradicted.status).toBe(400);
      expect(contradicted.body.error.details).toMatchObject({ field: 'condition.accessoriesIntact', reason: 'accessories_intact_contradicts_receipt' });
      const honest = await api.post('agent', `/api/v1/send-backs/${sid}/report`, { ...report, condition: { scratches: false, accessoriesIntact: false } });
      expect(honest.status).toBe(200);
      expect((await api.post('agent', `/api/v1/send-backs/${sid}/decide`, { version: 5 })).body.sendBack.decision.remedy).toBe('exchange_host');
    });

    it('S4.3/S1.5: the refund a 三包 return opens is agreed by an agent under the default rule set (its quality reason is the shop\'s own finding, not one to talk the buyer out of)', async () => {
      ctx.clock.set(start);
      await ctx.db.kysely.insertInto('rule_sets').values({ shop_id: f.shop.id, version: 50, name: '默认', text: defaultRuleSetText, created_at: start.toISOString(), actor_id: null }).execute();
      try {
        const { device } = await phoneSale({ daysAgo: 3 });
        const { id, version } = await reportedSendBack(device.id);
        const decided = await api.post('agent', `/api/v1/send-backs/${id}/decide`, { version, chosenRemedy: 'return' });
        expect(decided.status, JSON.stringify(decided.body)).toBe(200);
        const agreed = await api.act('agent', decided.body.sendBack.refund.refundId, 'agree');
        expect(agreed.status, JSON.stringify(agreed.body)).toBe(200);
        expect(agreed.body.status).toBe('SUCCESS');
      } finally {
        await ctx.db.kysely.deleteFrom('rule_sets').where('shop_id', '=', f.shop.id).where('version', '=', 50).execute();
      }
    });
  });
}
