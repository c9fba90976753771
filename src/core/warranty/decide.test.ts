/** S4.2–S4.5 decideWarranty: the remedy, its clause, the postage split and what to send, at the edges of every period. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaCalendar } from '../calendar/china-calendar.ts';
import { makeWorkingCalendar } from '../calendar/working-days.ts';
import { AppError } from '../errors.ts';
import { decideWarranty, splitPostageFen, type WarrantyInput } from './decide.ts';
import { addCalendarDays } from './periods.ts';
import { accessoryKinds, defaultWarrantyPolicy as policy, remedies, resaleMarks, type Remedy, type WarrantyPolicy } from './policy.ts';

const clean = { scratches: false, accessoriesIntact: true, resaleMarks: [] };

/** A host with a fault confirmed by an authorised centre, bought 2025-03-01, in perfect condition. */
function host(requestDate: string, over: Partial<WarrantyInput> = {}): WarrantyInput {
  return {
    item: { part: 'host', origin: 'original' },
    request: 'warranty',
    purchaseDate: '2025-03-01',
    requestDate,
    fault: 'performance',
    confirmedBy: 'authorised_centre',
    condition: clean,
    ...over,
  };
}

function decide(input: WarrantyInput, p: WarrantyPolicy = policy) {
  return decideWarranty(input, p, { today: '2099-12-31' });
}

function failure(fn: () => unknown): { code: string; reason?: string; field?: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, ...(e.details as { reason?: string; field?: string }) };
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('decideWarranty: the host', () => {
  it('S4.2 day 7 with a confirmed fault, no scratches, accessories intact: return (or exchange of the host)', () => {
    const d = decide(host('2025-03-08'));
    expect(d.remedy).toBe('return');
    expect(d.options).toEqual(['return', 'exchange_host', 'free_repair']);
    expect(d.status).toBe('decided');
    expect(d.clause.id).toBe('sanbao.host.return_7d');
    expect(d.clause.textZh).toContain('自购买之日起7日内');
    expect(d.period).toMatchObject({ start: '2025-03-01', lastDay: '2025-03-08', dayNumber: 7, within: true, labelZh: '7日' });
  });

  it('S4.2 day 8: no longer a return; exchange of the host under the 15-day clause', () => {
    const d = decide(host('2025-03-09'));
    expect(d.remedy).toBe('exchange_host');
    expect(d.options).toEqual(['exchange_host', 'free_repair']);
    expect(d.clause.id).toBe('sanbao.host.exchange_15d');
    expect(d.considered[0]).toMatchObject({ ruleId: 'host.return_7d', holds: false, reasons: [{ code: 'period_over' }] });
    expect(d.explanation.zh).toContain('第8天');
    expect(d.explanation.zh).toContain('不适用「7日内退换」');
  });

  it('S4.2 day 15 is still an exchange; day 16 is a free repair', () => {
    expect(decide(host('2025-03-16'))).toMatchObject({ remedy: 'exchange_host', period: { dayNumber: 15 } });
    const d16 = decide(host('2025-03-17'));
    expect(d16.remedy).toBe('free_repair');
    expect(d16.options).toEqual(['free_repair']);
    expect(d16.clause.id).toBe('sanbao.host.repair_1y');
  });

  it('S4.2 the end of the request day counts in Asia/Shanghai: 23:59 on day 7 is day 7, 00:00 is day 8', () => {
    expect(decide(host('', { requestDate: new Date('2025-03-08T15:59:59Z') })).remedy).toBe('return');
    expect(decide(host('', { requestDate: new Date('2025-03-08T16:00:00Z') })).remedy).toBe('exchange_host');
  });

  it('S4.2 one year: the last day is a free repair, the day after a paid repair at the buyer’s postage', () => {
    const last = decide(host('2026-03-01'));
    expect(last).toMatchObject({ remedy: 'free_repair', period: { lastDay: '2026-03-01', within: true } });
    const after = decide(host('2026-03-02'));
    expect(after.remedy).toBe('paid_repair');
    expect(after.clause.id).toBe('sanbao.host.paid_repair');
    expect(after.postage.legs.map((l) => l.payer)).toEqual(['buyer', 'buyer']);
  });

  it('S4.2 one year across a leap day: bought 2023-03-01, covered through 2024-03-01', () => {
    expect(decide(host('2024-03-01', { purchaseDate: '2023-03-01' })).remedy).toBe('free_repair');
    expect(decide(host('2024-03-02', { purchaseDate: '2023-03-01' })).remedy).toBe('paid_repair');
  });

  it('S4.2 one year from a leap day (2024-02-29) ends on 2025-02-28', () => {
    expect(decide(host('2025-02-28', { purchaseDate: '2024-02-29' })).remedy).toBe('free_repair');
    expect(decide(host('2025-03-01', { purchaseDate: '2024-02-29' })).remedy).toBe('paid_repair');
  });

  it('S4.2 scratches rule out return and exchange: a free repair even on day 3', () => {
    const d = decide(host('2025-03-04', { condition: { ...clean, scratches: true } }));
    expect(d.remedy).toBe('free_repair');
    expect(d.considered.slice(0, 2).map((c) => c.reasons.map((r) => r.code))).toEqual([['scratched'], ['scratched']]);
    expect(d.explanation.zh).toContain('外观有划伤');
  });

  it('S4.2 damaged accessories rule out the 7-day return but not the 15-day host exchange', () => {
    const d = decide(host('2025-03-04', { condition: { ...clean, accessoriesIntact: false } }));
    expect(d.remedy).toBe('exchange_host');
    expect(d.considered[0]?.reasons.map((r) => r.code)).toEqual(['accessories_damaged']);
  });

  it('S4.3 our own test counts like the authorised centre (no local centre, the buyer accepted our report)', () => {
    expect(decide(host('2025-03-05', { confirmedBy: 'our_test' })).remedy).toBe('return');
  });

  it('S4.2 an unconfirmed fault on day 5: free repair now, return or exchange once confirmed', () => {
    const d = decide(host('2025-03-06', { confirmedBy: 'none' }));
    expect(d.remedy).toBe('free_repair');
    expect(d.status).toBe('needs_confirmation');
    expect(d.ifConfirmed).toMatchObject({ remedy: 'return', options: ['return', 'exchange_host', 'free_repair'], clause: { id: 'sanbao.host.return_7d' } });
    expect(d.explanation.zh).toContain('如故障经厂家授权客服中心或我司检测确认属实，可享受：退货');
  });

  it('S4.2 an unconfirmed fault on day 10 with scratches: nothing better to confirm for', () => {
    const d = decide(host('2025-03-11', { confirmedBy: 'none', condition: { ...clean, scratches: true } }));
    expect(d).toMatchObject({ remedy: 'free_repair', status: 'decided', ifConfirmed: null });
  });

  it('S4.3 a confirmed quality fault: round-trip postage split 50/50', () => {
    const d = decide(host('2025-03-08'));
    expect(d.postage.legs).toEqual([
      { leg: 'buyer_to_shop', buyerPercent: 50, shopPercent: 50, payer: 'shared' },
      { leg: 'shop_to_buyer', buyerPercent: 50, shopPercent: 50, payer: 'shared' },
    ]);
    expect(d.postage.zh).toBe('往返运费由您和我司各承担一半。');
    expect(d.postage.clauseId).toBe('sendback.quality_postage');
  });

  it('S4.3 no fault found: no remedy, the whole set back, the buyer pays both ways', () => {
    const d = decide(host('2025-03-03', { fault: 'none', confirmedBy: 'our_test' }));
    expect(d.remedy).toBe('no_remedy');
    expect(d.clause.textZh).toContain('全套退回，往返运费由您个人承担');
    expect(d.postage.legs.map((l) => l.buyerPercent)).toEqual([100, 100]);
    expect(d.postage.zh).toBe('往返运费由您承担。');
    expect(d.mustSend.items).toEqual([]);
  });

  it('S4.3 human damage: no remedy even on day 1', () => {
    const d = decide(host('2025-03-02', { fault: 'human_damage', confirmedBy: 'our_test' }));
    expect(d).toMatchObject({ remedy: 'no_remedy', clause: { id: 'sendback.no_fault' } });
  });

  it('S4.4 a return or exchange sends everything as sold, with the test report', () => {
    const d = decide(host('2025-03-08'));
    expect(d.mustSend.clause.id).toBe('returns.as_sold');
    expect(d.mustSend.items.map((i) => i.item)).toEqual([
      'host',
      'accessories',
      'manual',
      'warranty_card',
      'invoice',
      'labels',
      'packaging',
      'reason_note',
      'test_report',
    ]);
    expect(d.mustSend.items.find((i) => i.item === 'invoice')).toEqual({ item: 'invoice', zh: '发票', en: 'the invoice' });
  });

  it('S4.5 an exchange is of the host only: the decision quotes the host-only clause and the box MEID notice', () => {
    const d = decide(host('2025-03-12'));
    expect(d.remedy).toBe('exchange_host');
    expect(d.hostOnly?.clause.textZh).toContain('售后换新只更换机头，其他附属配件不给予更换');
    expect(d.hostOnly?.boxNotice.textZh).toContain('MEID');
    expect(decide(host('2025-03-20')).hostOnly).toBeNull();
  });

  it('S4.4 warns when the buyer did not contact us first', () => {
    expect(decide(host('2025-03-08', { contactedFirst: false })).warnings.map((w) => w.code)).toEqual(['not_contacted_first']);
    expect(decide(host('2025-03-08', { contactedFirst: true })).warnings).toEqual([]);
  });

  it('S4.2 explains in zh-CN and en with the day, the clause and the postage', () => {
    const d = decide(host('2025-03-09'));
    expect(d.explanation.zh).toBe(
      '提出日期2025-03-09为自购买之日（2025-03-01）起第8天。适用「15日内换主机」：更换同型号主机。您也可以选择：免费保修。不适用「7日内退换」：自购买之日起第8天，已超过7日（最后一天为2025-03-08）。往返运费由您和我司各承担一半。',
    );
    expect(d.explanation.en).toContain('day 8 after the purchase');
    expect(d.explanation.en).toContain('Host exchange within 15 days applies: exchange of the host.');
  });
});

describe('decideWarranty: accessories and gifts', () => {
  function accessory(part: (typeof accessoryKinds)[number], purchaseDate: string, requestDate: string, over: Partial<WarrantyInput> = {}): WarrantyInput {
    return host(requestDate, { item: { part, origin: 'original' }, purchaseDate, ...over });
  }

  it('S4.2 a battery at 6 months: the last day is an exchange of the battery, the day after nothing', () => {
    const last = decide(accessory('battery', '2025-01-15', '2025-07-15'));
    expect(last).toMatchObject({ remedy: 'exchange_accessory', options: ['exchange_accessory'], clause: { id: 'sanbao.accessories' } });
    expect(last.period).toMatchObject({ lastDay: '2025-07-15', labelZh: '六个月' });
    const after = decide(accessory('battery', '2025-01-15', '2025-07-16'));
    expect(after).toMatchObject({ remedy: 'no_remedy', clause: { id: 'sanbao.accessories.expired' } });
  });

  it('S4.2 a battery bought on 08-31 is covered through 02-28 (no 31st in February)', () => {
    expect(decide(accessory('battery', '2024-08-31', '2025-02-28')).remedy).toBe('exchange_accessory');
    expect(decide(accessory('battery', '2024-08-31', '2025-03-01')).remedy).toBe('no_remedy');
  });

  it('S4.2 wired earphones and memory card 3 months; charger and Bluetooth headset 1 year', () => {
    for (const part of ['wired_earphones', 'memory_card'] as const) {
      expect(decide(accessory(part, '2025-01-10', '2025-04-10')).remedy).toBe('exchange_accessory');
      expect(decide(accessory(part, '2025-01-10', '2025-04-11')).remedy).toBe('no_remedy');
    }
    for (const part of ['charger', 'bluetooth_headset'] as const) {
      expect(decide(accessory(part, '2025-01-10', '2026-01-10')).remedy).toBe('exchange_accessory');
      expect(decide(accessory(part, '2025-01-10', '2026-01-11')).remedy).toBe('no_remedy');
    }
  });

  it('S4.5 an accessory fault on day 2 is an exchange of that accessory, never a return or a host exchange', () => {
    const d = decide(accessory('charger', '2025-03-01', '2025-03-03'));
    expect(d.options).toEqual(['exchange_accessory']);
    expect(d.hostOnly).toBeNull();
    expect(d.mustSend.items.map((i) => i.item)).toEqual(['faulty_accessory', 'warranty_card', 'invoice', 'fault_note']);
  });

  it('S4.2 an unconfirmed accessory fault waits for the test', () => {
    const d = decide(accessory('battery', '2025-03-01', '2025-04-01', { confirmedBy: 'none' }));
    expect(d).toMatchObject({ remedy: 'no_remedy', status: 'needs_confirmation', ifConfirmed: { remedy: 'exchange_accessory' }, clause: { id: 'sanbao.accessories' } });
  });

  it('S4.2 gifts are never covered, even a confirmed fault on day 1', () => {
    for (const part of ['battery', 'charger', 'bluetooth_headset'] as const) {
      const d = decide(accessory(part, '2025-03-01', '2025-03-02', { item: { part, origin: 'gift' } }));
      expect(d).toMatchObject({ remedy: 'no_remedy', options: ['no_remedy'], clause: { id: 'sanbao.gifts', textZh: '赠送附件不作保修。' } });
      expect(d.explanation.en).toContain('The item was a gift.');
    }
  });

  it('S4.2 a fault code must be one of the part’s faults on the national list', () => {
    expect(decide(accessory('charger', '2025-03-01', '2025-03-03', { faultCode: 'charger.not_working' })).remedy).toBe('exchange_accessory');
    expect(failure(() => decide(accessory('charger', '2025-03-01', '2025-03-03', { faultCode: 'host.display' })))).toMatchObject({
      code: 'VALIDATION_FAILED',
      reason: 'fault_code_wrong_part',
    });
    expect(failure(() => decide(host('2025-03-03', { faultCode: 'host.teleport' })))).toMatchObject({ reason: 'fault_code_unknown_value' });
  });
});

describe('decideWarranty: personal-reason returns (S4.4)', () => {
  function personal(deliveryDate: string | null, requestDate: string, over: Partial<WarrantyInput> = {}): WarrantyInput {
    return host(requestDate, { request: 'personal_return', fault: 'none', confirmedBy: 'none', deliveryDate, ...over });
  }

  it('S4.4 resale unaffected, within 7 days of delivery: return, the buyer pays both ways, everything as sold', () => {
    const d = decide(personal('2025-03-03', '2025-03-10'));
    expect(d).toMatchObject({ remedy: 'return', clause: { id: 'returns.personal_reason' }, period: { start: '2025-03-03', dayNumber: 7 } });
    expect(d.postage.legs.map((l) => l.payer)).toEqual(['buyer', 'buyer']);
    expect(d.mustSend.items.map((i) => i.item)).toContain('reason_note');
    expect(d.mustSend.items.map((i) => i.item)).not.toContain('test_report');
  });

  it('S4.4 day 8 after delivery: refused under the period clause', () => {
    const d = decide(personal('2025-03-03', '2025-03-11'));
    expect(d).toMatchObject({ remedy: 'no_remedy', clause: { id: 'returns.personal_reason_period' } });
  });

  it('S4.4 each resale-affecting mark refuses the return', () => {
    for (const mark of resaleMarks) {
      const d = decide(personal('2025-03-03', '2025-03-04', { condition: { ...clean, resaleMarks: [mark] } }));
      expect(d.remedy).toBe('no_remedy');
      expect(d.considered[0]?.reasons[0]?.code).toBe('resale_affected');
      expect(d.explanation.zh).toContain(policy.resaleMarkLabels[mark].zh);
    }
  });

  it('S4.4 needs the delivery date, and a performance fault is no personal-reason return', () => {
    expect(failure(() => decide(personal(null, '2025-03-04')))).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'delivery_date_required' });
    expect(failure(() => decide(personal('2025-03-03', '2025-03-04', { fault: 'performance' })))).toMatchObject({ reason: 'request_fault_mismatch' });
  });
});

describe('decideWarranty: input and policy', () => {
  it('S4.2 refuses dates out of order or off the calendar', () => {
    expect(failure(() => decide(host('2025-02-28')))).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'request_date_before_purchase' });
    expect(failure(() => decide(host('2025-02-30')))).toMatchObject({ reason: 'request_date_invalid' });
    expect(failure(() => decide(host('2025-03-05', { deliveryDate: '2025-03-06' })))).toMatchObject({ reason: 'request_date_before_delivery' });
    expect(failure(() => decide(host('2025-03-05', { item: { part: 'screen' as never, origin: 'original' } })))).toMatchObject({ reason: 'part_unknown_value' });
    expect(failure(() => decide(host('2025-03-05', { condition: {} as never })))).toMatchObject({ reason: 'scratches_required' });
  });

  it('S4.2 a shop policy counting from delivery moves every edge', () => {
    const fromDelivery: WarrantyPolicy = {
      ...policy,
      id: 'shop-7',
      host: { ...policy.host, rungs: policy.host.rungs.map((r) => ({ ...r, from: 'delivery' as const })) },
    };
    const input = host('2025-03-10', { deliveryDate: '2025-03-03' });
    expect(decide(input).remedy).toBe('exchange_host');
    expect(decide(input, fromDelivery)).toMatchObject({ remedy: 'return', policy: { id: 'shop-7', version: 1 }, period: { start: '2025-03-03', dayNumber: 7 } });
  });

  it('S4.3 splitPostageFen: the buyer’s half rounds down, the two parts add up', () => {
    expect(splitPostageFen(1501, 50)).toEqual({ buyerFen: 750, shopFen: 751 });
    expect(splitPostageFen(1200, 100)).toEqual({ buyerFen: 1200, shopFen: 0 });
    expect(splitPostageFen(0, 50)).toEqual({ buyerFen: 0, shopFen: 0 });
    expect(() => splitPostageFen(10.5, 50)).toThrow(RangeError);
    expect(() => splitPostageFen(100, 101)).toThrow(RangeError);
  });
});

describe('decideWarranty: properties', () => {
  const rank = (r: Remedy) => remedies.indexOf(r);
  const anyInput = fc.record({
    part: fc.constantFrom('host' as const, ...accessoryKinds),
    origin: fc.constantFrom('original' as const, 'gift' as const),
    purchaseOffset: fc.integer({ min: 0, max: 3000 }),
    age: fc.integer({ min: 0, max: 800 }),
    fault: fc.constantFrom('performance' as const, 'none' as const, 'human_damage' as const),
    confirmedBy: fc.constantFrom('authorised_centre' as const, 'our_test' as const, 'none' as const),
    scratches: fc.boolean(),
    accessoriesIntact: fc.boolean(),
  });
  type Generated = typeof anyInput extends fc.Arbitrary<infer T> ? T : never;
  function build(x: Generated, age: number): WarrantyInput {
    const purchaseDate = addCalendarDays('2020-01-01', x.purchaseOffset);
    return {
      item: { part: x.part, origin: x.origin },
      request: 'warranty',
      purchaseDate,
      requestDate: addCalendarDays(purchaseDate, age),
      fault: x.fault,
      confirmedBy: x.confirmedBy,
      condition: { scratches: x.scratches, accessoriesIntact: x.accessoriesIntact, resaleMarks: [] },
    };
  }

  it('S4.2 property: gifts are never covered; accessories are never returned or exchanged as a host (S4.5)', () => {
    fc.assert(
      fc.property(anyInput, (x) => {
        const d = decide(build(x, x.age));
        expect(d.options[0]).toBe(d.remedy);
        if (x.origin === 'gift') expect(d.options).toEqual(['no_remedy']);
        if (x.part !== 'host') expect(d.options.every((r) => r === 'exchange_accessory' || r === 'no_remedy')).toBe(true);
        if (x.part === 'host') expect(d.options).not.toContain('exchange_accessory');
        expect(d.hostOnly !== null).toBe(d.options.includes('exchange_host'));
        if (x.fault !== 'performance') expect(d.remedy).toBe('no_remedy');
      }),
    );
  });

  it('S4.2 property: asking later never gives a better remedy', () => {
    fc.assert(
      fc.property(anyInput, fc.integer({ min: 0, max: 60 }), (x, later) => {
        const early = decide(build(x, x.age));
        const late = decide(build(x, x.age + later));
        expect(rank(late.remedy)).toBeGreaterThanOrEqual(rank(early.remedy));
      }),
    );
  });
});

describe('decideWarranty: the seams of issue 13 (the national rules for mobile phones)', () => {
  const repair = (startedOn: string, finishedOn: string | null, faultCode: string | null = 'host.display', part: 'host' | 'battery' = 'host') => ({ part, faultCode, startedOn, finishedOn });

  it('S4.2 the periods count from the invoice date when the sale has one (开具发票之日), else from the purchase', () => {
    // bought 03-01, invoiced 03-05: 03-12 is day 7 after the invoice, day 11 after the purchase
    const invoiced = decide(host('2025-03-12', { invoiceDate: '2025-03-05' }));
    expect(invoiced).toMatchObject({ remedy: 'return', clause: { id: 'sanbao.host.return_7d' } });
    expect(invoiced.period).toMatchObject({ start: '2025-03-05', dayNumber: 7, startsAt: 'invoice' });
    expect(invoiced.periodBasis).toEqual([expect.objectContaining({ code: 'invoice_start', clause: expect.objectContaining({ id: 'sanbao.validity', citation: expect.stringContaining('移动电话机商品修理更换退货责任规定') }) })]);
    expect(invoiced.explanation.zh).toContain('自开具发票之日（2025-03-05）起第7天');
    expect(decide(host('2025-03-12'))).toMatchObject({ remedy: 'exchange_host', period: { startsAt: 'purchase', dayNumber: 11 } });
    // an invoice before the purchase is refused; one issued after the fault was raised does not push the start past it
    expect(failure(() => decide(host('2025-03-12', { invoiceDate: '2025-02-28' })))).toMatchObject({ field: 'invoiceDate', reason: 'invoice_date_before_purchase' });
    expect(decide(host('2025-03-04', { invoiceDate: '2025-03-20' })).period).toMatchObject({ startsAt: 'purchase', dayNumber: 3 });
  });

  it('S4.2 decide refuses a request date after today', () => {
    expect(failure(() => decideWarranty(host('2025-03-09'), policy, { today: '2025-03-08' }))).toMatchObject({ code: 'VALIDATION_FAILED', field: 'requestDate', reason: 'request_date_in_future' });
    expect(decideWarranty(host('2025-03-08'), policy, { today: '2025-03-08' }).remedy).toBe('return');
    // an instant counts by its Shanghai date: 2025-03-08 17:00 UTC is already 03-09 in Shanghai
    expect(decideWarranty(host('2025-03-09'), policy, { today: new Date('2025-03-08T17:00:00Z') }).remedy).toBe('exchange_host');
  });

  it('S4.2 the days of 三包 repair extend the 三包有效期 (扣除因修理占用的时间), not the 7/15-day windows; the clause is cited', () => {
    // a year from 2025-03-01 ends 2026-03-01; ten days in repair (06-01 → 06-11) move it to 2026-03-11
    const late = '2026-03-05';
    expect(decide(host(late, { confirmedBy: 'none' })).remedy).toBe('paid_repair');
    const extended = decide(host(late, { confirmedBy: 'none', repairs: [repair('2025-06-01', '2025-06-11', 'host.audio')] }));
    expect(extended).toMatchObject({ remedy: 'free_repair', clause: { id: 'sanbao.host.repair_1y' } });
    expect(extended.period).toMatchObject({ lastDay: '2026-03-11', within: true, extended: { nominalLastDay: '2026-03-01', repairDays: 10, holiday: null } });
    expect(extended.periodBasis.map((b) => [b.code, b.clause.id])).toEqual([['repair_days', 'sanbao.validity']]);
    expect(extended.explanation.zh).toContain('扣除三包修理占用的10天');
    // the 7-day window is not extended: day 9 stays an exchange even with days in repair
    expect(decide(host('2025-03-10', { repairs: [repair('2025-03-02', '2025-03-06', 'host.audio')] })).remedy).toBe('exchange_host');
    // another part's repairs do not extend the host's period
    expect(decide(host(late, { confirmedBy: 'none', repairs: [repair('2025-06-01', '2025-06-11', null, 'battery')] })).remedy).toBe('paid_repair');
  });

  it('S4.2 within the 三包有效期, a fault two 三包 repairs did not fix gives an exchange of the host (第十三条), return only where the 7 days still allow it', () => {
    const twice = [repair('2025-05-01', '2025-05-05'), repair('2025-07-01', '2025-07-04')];
    const d = decide(host('2025-09-01', { faultCode: 'host.display', repairs: twice }));
    expect(d).toMatchObject({ remedy: 'exchange_host', options: ['exchange_host', 'free_repair'], clause: { id: 'sanbao.host.repeat_repair', source: 'national' } });
    expect(d.clause.citation).toContain('第十三条');
    expect(d.clause.textZh).toContain('经两次修理，仍不能正常使用的');
    expect(d.hostOnly?.clause.id).toBe('exchange.host_only');
    // once is not twice; another fault is another fault; an unconfirmed fault waits for its confirmation
    const once = decide(host('2025-09-01', { faultCode: 'host.display', repairs: twice.slice(0, 1) }));
    expect(once).toMatchObject({ remedy: 'free_repair' });
    expect(once.considered.find((c) => c.ruleId === 'host.repeat_repair')?.reasons).toEqual([expect.objectContaining({ code: 'repairs_short', zh: '此前同一故障的三包修理1次，未满2次' })]);
    expect(decide(host('2025-09-01', { faultCode: 'host.audio', repairs: twice })).remedy).toBe('free_repair');
    expect(decide(host('2025-09-01', { faultCode: 'host.display', confirmedBy: 'none', repairs: twice })).ifConfirmed).toMatchObject({ remedy: 'exchange_host', clause: { id: 'sanbao.host.repeat_repair' } });
    // past the 三包有效期 (even extended by the 7 repair days) nothing of 三包 is left
    expect(decide(host('2026-03-09', { faultCode: 'host.display', repairs: twice })).remedy).toBe('paid_repair');
    // the shop's policy may give a return too (the rule's grants are data)
    const generous: WarrantyPolicy = { ...policy, host: { ...policy.host, repeatedRepair: { ...policy.host.repeatedRepair, grants: ['exchange_host', 'return'] } } };
    expect(decide(host('2025-09-01', { faultCode: 'host.display', repairs: twice }), generous).options).toEqual(['exchange_host', 'return', 'free_repair']);
  });

  it("S4.5 an exchanged host's periods start again on the exchange day (换货之日起重新计算); its accessories keep the sale's", () => {
    const exchanged = { hostPeriodsFrom: '2025-06-01' };
    const d = decide(host('2025-06-05', exchanged));
    expect(d).toMatchObject({ remedy: 'return', period: { start: '2025-06-01', dayNumber: 4, startsAt: 'exchange' } });
    expect(d.periodBasis).toEqual([expect.objectContaining({ code: 'exchange_restart', clause: expect.objectContaining({ id: 'sanbao.exchange_restart', citation: expect.stringContaining('第二十一条') }) })]);
    // a year from the exchange, not from the sale
    expect(decide(host('2026-05-20', { ...exchanged, confirmedBy: 'none' })).remedy).toBe('free_repair');
    // the buyer's own accessories came back with the new host: their periods still count from the sale
    const battery = decide(host('2025-09-15', { ...exchanged, item: { part: 'battery', origin: 'original' } }));
    expect(battery).toMatchObject({ remedy: 'no_remedy', clause: { id: 'sanbao.accessories.expired' }, period: { start: '2025-03-01', startsAt: 'purchase' } });
    expect(failure(() => decide(host('2025-05-20', exchanged)))).toMatchObject({ field: 'requestDate', reason: 'request_date_before_exchange' });
  });
});

describe('decideWarranty: 民法典 第二百零三条 as a policy option (issue 13)', () => {
  const holidayPolicy: WarrantyPolicy = { ...policy, periodRules: { ...policy.periodRules, holidayEndsNextWorkingDay: true } };
  // bought 2025-09-24: the 7 days end on 2025-10-01, the first day of the National Day holiday (10-01 to 10-08)
  const sale = (requestDate: string) => host(requestDate, { purchaseDate: '2025-09-24' });

  it('S4.2 off by default: a 7-day period ending on a statutory holiday ends that day', () => {
    expect(policy.periodRules.holidayEndsNextWorkingDay).toBe(false);
    expect(decideWarranty(sale('2025-10-05'), policy, { today: '2099-12-31', calendar: chinaCalendar() }).remedy).toBe('exchange_host');
  });

  it('S4.2 turned on: the last day moves to the next working day on the official calendar, with the clause', () => {
    const d = decideWarranty(sale('2025-10-09'), holidayPolicy, { today: '2099-12-31', calendar: chinaCalendar() });
    expect(d).toMatchObject({ remedy: 'return', period: { lastDay: '2025-10-09', within: true, extended: { nominalLastDay: '2025-10-01', holiday: { from: '2025-10-01', to: '2025-10-09' } } } });
    expect(d.periodBasis).toEqual([expect.objectContaining({ code: 'holiday', clause: expect.objectContaining({ id: 'law.civil_code_203', citation: '《中华人民共和国民法典》第二百零三条' }) })]);
    expect(d.explanation.zh).toContain('期限最后一天2025-10-01为法定休假日，顺延至2025-10-09。');
    // the day after is past the moved 7 days, and past the 15 days too (they end on 10-09, a working day)
    expect(decideWarranty(sale('2025-10-10'), holidayPolicy, { today: '2099-12-31', calendar: chinaCalendar() }).remedy).toBe('free_repair');
    // a weekend counts as a day off too: bought 2025-03-01, day 7 is Saturday 03-08, the period runs to Monday 03-10
    expect(decideWarranty(host('2025-03-10'), holidayPolicy, { today: '2099-12-31', calendar: chinaCalendar() }).remedy).toBe('return');
  });

  it('S4.2 turned on, without the year on the calendar: a request before the unmoved last day is decided, one after it is refused', () => {
    const empty = makeWorkingCalendar({ holidays: {}, workdays: {} });
    expect(decideWarranty(sale('2025-09-30'), holidayPolicy, { today: '2099-12-31', calendar: empty }).period?.extended).toMatchObject({ holidayUnknown: true });
    expect(failure(() => decideWarranty(sale('2025-10-05'), holidayPolicy, { today: '2099-12-31', calendar: empty }))).toMatchObject({ code: 'CALENDAR_OUT_OF_RANGE' });
  });
});
