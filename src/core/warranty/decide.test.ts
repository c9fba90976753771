/** S4.2–S4.5 decideWarranty: the remedy, its clause, the postage split and what to send, at the edges of every period. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
  return decideWarranty(input, p);
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
