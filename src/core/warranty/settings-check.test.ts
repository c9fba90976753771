/** What a shop may save as its warranty settings (S4.1, S4.2). */
import { describe, expect, it } from 'vitest';
import { defaultWarrantyPolicy } from './policy.ts';
import { defaultReturnContact, defaultServicePoints, type ServicePointDirectory } from './service-points.ts';
import { checkPolicyLimits, checkReturnContact, checkServicePointDirectory } from './settings-check.ts';

describe('checkPolicyLimits', () => {
  it('S4.2 the default is sound; a period past ten years is refused', () => {
    expect(checkPolicyLimits(defaultWarrantyPolicy)).toEqual([]);
    const rungs = defaultWarrantyPolicy.host.rungs.map((r, i) => (i === 2 ? { ...r, period: { ...r.period, count: 11 } } : r));
    expect(checkPolicyLimits({ ...defaultWarrantyPolicy, host: { ...defaultWarrantyPolicy.host, rungs } })).toEqual(['The rung host.repair_1y: a period is at most 10 years.']);
  });
});

describe('checkServicePointDirectory', () => {
  it('S4.1 the default directory and return contact are sound', () => {
    expect(checkServicePointDirectory(defaultServicePoints)).toEqual([]);
    expect(checkReturnContact(defaultReturnContact)).toEqual([]);
  });

  it('S4.1 every point of a listed brand and city; an active point has a name and an address; ids are unique', () => {
    const [first, second] = defaultServicePoints.points;
    const directory: ServicePointDirectory = {
      ...defaultServicePoints,
      points: [
        { ...first!, status: 'active', name: '华为授权服务中心', address: null },
        { ...second!, id: first!.id },
        { ...first!, id: 'x.1', brandId: 'nokia' },
        { ...first!, id: 'x.2', city: '北京' },
      ],
    };
    const problems = checkServicePointDirectory(directory);
    expect(problems).toHaveLength(4);
    expect(problems.join(' ')).toMatch(/active but has no name or no address.*listed twice.*brand nokia.*北京/);
    expect(checkReturnContact({ ...defaultReturnContact, consignee: ' ' })).toEqual(['The consignee (收货人) is required.']);
  });
});
