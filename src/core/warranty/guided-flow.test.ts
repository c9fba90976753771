/** S4.6 the ordinary case: ask the fault → the card's self-fix (S4.1) → the local service centre → else send back on the S4.3 terms. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { nextGuidedStep, selfFixes, symptoms, type GuidedAnswers } from './guided-flow.ts';
import { defaultWarrantyPolicy as policy } from './policy.ts';
import { defaultServicePoints, type ServicePointDirectory } from './service-points.ts';

const filled: ServicePointDirectory = {
  ...defaultServicePoints,
  points: defaultServicePoints.points.map((p) =>
    p.id === 'hebei.石家庄.huawei' ? { ...p, status: 'active', name: '华为授权服务中心（测试）', address: '石家庄市某路1号' } : p,
  ),
};

function next(answers: GuidedAnswers, directory: ServicePointDirectory = filled) {
  return nextGuidedStep(answers, { policy, directory });
}

describe('nextGuidedStep', () => {
  it('S4.6 first asks what is wrong', () => {
    const s = next({});
    expect(s.step).toBe('ask_fault');
    expect(s.choices?.map((c) => c.id)).toEqual(['freeze', 'not_charging', 'shuts_down', 'other']);
  });

  it('S4.1 offers the card’s self-fix for each simple problem', () => {
    expect(next({ symptom: 'freeze' }).selfFixes?.map((f) => f.id)).toEqual(['factory_reset']);
    expect(next({ symptom: 'not_charging' }).selfFixes?.map((f) => f.id)).toEqual(['check_charger_and_cable']);
    expect(next({ symptom: 'shuts_down' }).selfFixes?.map((f) => f.id)).toEqual(['activate_battery']);
    expect(next({ symptom: 'shuts_down' }).promptZh).toContain('万能充');
    expect(selfFixes.factory_reset.seedZh).toContain('恢复出厂设置');
  });

  it('S4.6 a self-fix that worked ends the case', () => {
    expect(next({ symptom: 'freeze', selfFix: 'fixed' })).toMatchObject({ step: 'resolved', path: ['ask_fault', 'offer_self_fix'] });
  });

  it('S4.6 a self-fix that failed points to the local service centre of the buyer’s city and brand', () => {
    const s = next({ symptom: 'freeze', selfFix: 'not_fixed', region: '河北省石家庄市长安区', brand: 'HUAWEI' });
    expect(s.step).toBe('point_to_local_centre');
    expect(s.points?.map((p) => p.name)).toEqual(['华为授权服务中心（测试）']);
  });

  it('S4.6 a fault with no self-fix goes straight to the local centre', () => {
    expect(next({ symptom: 'other', region: '石家庄', brand: '华为' })).toMatchObject({ step: 'point_to_local_centre', path: ['ask_fault'] });
  });

  it('S4.6 going to the centre: what to bring and what its report gives, from the policy', () => {
    const s = next({ symptom: 'other', region: '石家庄', brand: '华为', localCentre: 'will_visit' });
    expect(s.step).toBe('visit_local_centre');
    expect(s.promptZh).toContain('7日内可退货或更换同型号主机；15日内可更换同型号主机；一年内可免费保修');
    expect(s.path).toEqual(['ask_fault', 'point_to_local_centre']);
  });

  it('S4.6 no centre the buyer can use: send back, on the S4.3 terms, to the card’s address, with the whole set', () => {
    const s = next({ symptom: 'not_charging', selfFix: 'not_fixed', region: '衡水', brand: '华为' });
    expect(s.step).toBe('send_back');
    expect(s.lookup).toMatchObject({ status: 'to_be_filled' });
    expect(s.terms?.id).toBe('sendback.terms');
    expect(s.terms?.textZh).toContain('往返运费由您和我司各承担一半');
    expect(s.returnContact?.consignee).toBe('电信网厅（天猫）退换货组');
    expect(s.mustSend?.map((m) => m.zh)).toContain('标注手机故障');
    expect(s.path).toEqual(['ask_fault', 'offer_self_fix']);
  });

  it('S4.6 a buyer who cannot go to the centre sends the phone back', () => {
    const s = next({ symptom: 'other', region: '石家庄', brand: '华为', localCentre: 'cannot_visit' });
    expect(s).toMatchObject({ step: 'send_back', path: ['ask_fault', 'point_to_local_centre'] });
  });

  it('S4.6 without a region or brand there is no centre to point to: send back', () => {
    expect(next({ symptom: 'other' }).step).toBe('send_back');
  });

  it('S4.6 refuses an answer that is not one of the choices', () => {
    expect(() => next({ symptom: 'exploded' as never })).toThrow(AppError);
    expect(() => next({ symptom: 'freeze', selfFix: 'maybe' as never })).toThrow(AppError);
  });

  it('S4.6 every symptom is answered with a step, and every step has both languages', () => {
    for (const s of symptoms) {
      for (const selfFix of [undefined, 'fixed', 'not_fixed'] as const) {
        const step = next({ symptom: s.id, selfFix, region: '石家庄', brand: '华为' });
        expect(step.promptZh.length).toBeGreaterThan(0);
        expect(step.promptEn.length).toBeGreaterThan(0);
      }
    }
  });
});
