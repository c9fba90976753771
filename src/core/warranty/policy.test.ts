/** S4.2–S4.5 the default 三包 policy is the seed's, as data. */
import { describe, expect, it } from 'vitest';
import { accessoryKinds, allRungs, checkWarrantyPolicy, clauseOf, defaultWarrantyPolicy as policy, remedies, withPolicyDefaults, type WarrantyPolicy } from './policy.ts';

describe('defaultWarrantyPolicy', () => {
  it('S4.2 is sound: every clause it names exists, periods and shares are in range', () => {
    expect(checkWarrantyPolicy(policy)).toEqual([]);
  });

  it('S4.2 the host ladder: 7 days return or exchange, 15 days host exchange, one year free repair, then paid repair', () => {
    expect(policy.host.rungs.map((r) => [r.grants, r.period.count, r.period.unit, r.from])).toEqual([
      [['return', 'exchange_host'], 7, 'day', 'purchase'],
      [['exchange_host'], 15, 'day', 'purchase'],
      [['free_repair'], 1, 'year', 'purchase'],
    ]);
    expect(policy.host.afterWarranty.remedy).toBe('paid_repair');
  });

  it('S4.2 return and exchange need a confirmed fault and no scratches; the 7-day return also intact accessories', () => {
    const [ret, exchange, repair] = policy.host.rungs;
    expect(ret).toMatchObject({ confirmation: { required: true }, requireNoScratches: true, requireAccessoriesIntact: true });
    expect(exchange).toMatchObject({ confirmation: { required: true }, requireNoScratches: true, requireAccessoriesIntact: false });
    expect(repair).toMatchObject({ confirmation: { required: false }, requireNoScratches: false, requireAccessoriesIntact: false });
    expect(ret?.confirmation.acceptedBy).toEqual(['authorised_centre', 'our_test']);
  });

  it('S4.2 accessories: battery 6 months; wired earphones and memory card 3 months; original charger and Bluetooth headset 1 year', () => {
    const periods = Object.fromEntries(accessoryKinds.map((k) => [k, `${policy.accessories[k].rung.period.count} ${policy.accessories[k].rung.period.unit}`]));
    expect(periods).toEqual({ battery: '6 month', wired_earphones: '3 month', memory_card: '3 month', charger: '1 year', bluetooth_headset: '1 year' });
    for (const k of accessoryKinds) expect(policy.accessories[k].rung.grants).toEqual(['exchange_accessory']);
  });

  it('S4.2 gifts are not covered', () => {
    expect(policy.gifts.covered).toBe(false);
    expect(clauseOf(policy, policy.gifts.clauseId).textZh).toBe('赠送附件不作保修。');
  });

  it('S4.3 postage: a quality fault splits the round trip 50/50; no fault or human damage, the buyer pays both ways', () => {
    expect(policy.postage.qualityFault).toMatchObject({ buyerToShopBuyerPercent: 50, shopToBuyerBuyerPercent: 50 });
    expect(policy.postage.notCovered).toMatchObject({ buyerToShopBuyerPercent: 100, shopToBuyerBuyerPercent: 100 });
    expect(policy.noFault.remedy).toBe('no_remedy');
    expect(policy.humanDamage.remedy).toBe('no_remedy');
  });

  it('S4.3 the testing terms are the seed text the buyer accepts', () => {
    const terms = clauseOf(policy, policy.sendBackTermsClauseId).textZh;
    expect(terms).toContain('认可我司出具的检测报告');
    expect(terms).toContain('往返运费由您和我司各承担一半');
    expect(terms).toContain('我们只能给您全套退回，往返运费由您个人承担');
  });

  it('S4.4 personal-reason returns: the buyer pays both ways; the four marks of S4.4 refuse them', () => {
    expect(policy.postage.personalReason).toMatchObject({ buyerToShopBuyerPercent: 100, shopToBuyerBuyerPercent: 100 });
    expect(policy.personalReturn.disqualifyingMarks).toEqual(['battery_contact_marks', 'usage_records', 'accessory_seal_broken', 'human_damage']);
  });

  it('S4.4 everything as sold goes back for a return or exchange: accessories, manual, card, invoice, labels, box, reason', () => {
    for (const key of ['return', 'exchange_host', 'personal_return', 'testing'] as const) {
      expect(policy.mustSend[key].items).toEqual(expect.arrayContaining(['host', 'accessories', 'manual', 'warranty_card', 'invoice', 'labels', 'packaging', 'reason_note']));
    }
    expect(policy.mustSend.return.items).toContain('test_report');
    expect(policy.mustSend.no_remedy.items).toEqual([]);
  });

  it('S4.5 the host-only exchange and the box MEID notice are the seed text', () => {
    expect(clauseOf(policy, policy.exchangeHostOnlyClauseId).textZh).toContain('售后换新只更换机头');
    expect(clauseOf(policy, policy.boxIdNoticeClauseId).textZh).toContain('手机盒子上的串码MEID');
  });

  it('S4.2 every clause quoted from the seed is marked so, and labels exist for every remedy', () => {
    expect(Object.values(policy.clauses).filter((c) => c.source === 'seed').length).toBeGreaterThanOrEqual(10);
    for (const r of remedies) expect(policy.remedyLabels[r].zh.length).toBeGreaterThan(0);
  });
});

describe('checkWarrantyPolicy', () => {
  function edited(change: (p: WarrantyPolicy) => WarrantyPolicy): string[] {
    return checkWarrantyPolicy(change(structuredClone(policy)));
  }

  it('S4.2 catches a clause a shop deleted but still names', () => {
    const problems = edited((p) => {
      const clauses = { ...p.clauses };
      delete clauses['sanbao.gifts'];
      return { ...p, clauses };
    });
    expect(problems).toEqual(['The gift rule names the clause sanbao.gifts, which the policy lacks.']);
  });

  it('S4.2 catches a zero period, a share out of range and a ladder that shrinks', () => {
    const problems = edited((p) => ({
      ...p,
      host: {
        ...p.host,
        rungs: [p.host.rungs[1], p.host.rungs[0], { ...p.host.rungs[2]!, period: { ...p.host.rungs[2]!.period, count: 0 } }].filter((r) => r !== undefined),
      },
      postage: { ...p.postage, qualityFault: { ...p.postage.qualityFault, buyerToShopBuyerPercent: 120 } },
    }));
    expect(problems.some((m) => m.includes('host.repair_1y') && m.includes('whole number'))).toBe(true);
    expect(problems.some((m) => m.includes('host.return_7d is shorter'))).toBe(true);
    expect(problems.some((m) => m.includes('share of 120'))).toBe(true);
  });

  it('S4.2 allRungs lists the host ladder and every accessory', () => {
    expect(allRungs(policy).map((r) => r.id)).toEqual([
      'host.return_7d',
      'host.exchange_15d',
      'host.repair_1y',
      'accessory.battery',
      'accessory.wired_earphones',
      'accessory.memory_card',
      'accessory.charger',
      'accessory.bluetooth_headset',
    ]);
  });
});

describe('the national rules behind the policy (issue 13)', () => {
  it('S4.2 the clauses resting on the national rules cite their article, as data a shop can correct', () => {
    const cite = (id: string) => clauseOf(policy, id).citation;
    expect(cite('sanbao.host.return_7d')).toBe('《移动电话机商品修理更换退货责任规定》第十一条');
    expect(cite('sanbao.host.exchange_15d')).toBe('《移动电话机商品修理更换退货责任规定》第十二条');
    expect(cite('sanbao.host.repeat_repair')).toBe('《移动电话机商品修理更换退货责任规定》第十三条');
    expect(cite('law.civil_code_203')).toBe('《中华人民共和国民法典》第二百零三条');
    expect(cite('law.consumer_protection_24')).toBe('《中华人民共和国消费者权益保护法》第二十四条');
    expect(clauseOf(policy, 'law.consumer_protection_24').textZh).toContain('经营者应当承担运输等必要费用');
    expect(policy.host.repeatedRepair).toEqual({ clauseId: 'sanbao.host.repeat_repair', repairs: 2, grants: ['exchange_host'] });
    expect(policy.periodRules).toMatchObject({ fromInvoice: true, exchangeRestarts: true, holidayEndsNextWorkingDay: false });
    expect(policy.host.rungs.map((r) => r.extendedByRepairDays)).toEqual([false, false, true]);
  });

  it('S4.2 a policy saved before issue 13 gains the period rules, the repeated-repair rule and their clauses; what the shop saved stays', () => {
    const old = structuredClone(policy) as unknown as Record<string, unknown> & { host: Record<string, unknown>; clauses: Record<string, unknown> };
    delete old.periodRules;
    delete old.host.repeatedRepair;
    for (const id of ['sanbao.validity', 'sanbao.exchange_restart', 'law.civil_code_203', 'sanbao.host.repeat_repair', 'law.consumer_protection_24']) delete old.clauses[id];
    for (const r of old.host.rungs as Record<string, unknown>[]) delete r.extendedByRepairDays;
    (old.host.rungs as { period: { count: number } }[])[0]!.period.count = 10;
    const upgraded = withPolicyDefaults(old as unknown as WarrantyPolicy);
    expect(checkWarrantyPolicy(upgraded)).toEqual([]);
    expect(upgraded.periodRules.holidayEndsNextWorkingDay).toBe(false);
    expect(upgraded.host.rungs.map((r) => [r.period.count, r.extendedByRepairDays])).toEqual([[10, false], [15, false], [1, true]]);
    expect(upgraded.accessories.battery.rung.extendedByRepairDays).toBe(true);
    expect(withPolicyDefaults(policy)).toEqual(policy);
  });
});
