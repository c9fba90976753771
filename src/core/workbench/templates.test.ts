/** zh-CN messages to the buyer (S1.5, S1.6, S1.8, S1.12, S1.14, S1.15) and the SOP's exact remarks (S1.1, S1.7, S1.16). */
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { formatYuan } from '../money.ts';
import {
  milestoneRemarks,
  placeholdersOf,
  renderTemplate,
  templateKeys,
  templateLabels,
  templatePlaceholders,
  templateTexts,
  type TemplateKey,
  type TemplateValues,
} from './templates.ts';

const all: Required<TemplateValues> = {
  buyerName: '小美',
  orderNo: '3021458796541236587',
  reason: '商品质量问题',
  trackingNo: 'YT7512345678901',
  courier: '圆通速递',
  trace: '快件已到达杭州转运中心',
  shopName: '步步高鞋业旗舰店',
  amount: formatYuan(1200),
};

function details(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, ...e.details };
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('message templates', () => {
  it.each(templateKeys)('S1.5 %s renders polite zh-CN with every placeholder filled', (key) => {
    const text = renderTemplate(key, all);
    expect(text).toMatch(/^亲/);
    expect(text).not.toMatch(/[{}]/);
    expect(text).toContain(all.shopName);
    expect(text).toContain(all.orderNo);
  });

  it('S1.14 asks for the Alipay account and the name, with the postage in yuan', () => {
    const text = renderTemplate('ask_alipay_account', all);
    expect(text).toContain('支付宝账号和对应的姓名');
    expect(text).toContain('邮费12.00元');
  });

  it('S1.6 tells the courier, tracking number and latest trace', () => {
    const text = renderTemplate('tell_courier_trace', all);
    for (const v of [all.courier, all.trackingNo, all.trace]) expect(text).toContain(v);
  });

  it('S1.12 asks for the return tracking number in the refund; S1.8 asks individual or company and the tax id', () => {
    expect(renderTemplate('ask_return_tracking', all)).toContain('在退款里填写寄回的快递公司和单号');
    const invoice = renderTemplate('ask_invoice_title', all);
    expect(invoice).toContain('个人还是公司');
    expect(invoice).toContain('统一社会信用代码');
  });

  it('S1.15 the refusal carries the clear reason', () => {
    expect(renderTemplate('explain_refusal', { ...all, reason: '鞋子已经穿着过，影响二次销售' })).toContain('鞋子已经穿着过，影响二次销售');
  });

  it('S1.5 refuses to render with placeholders missing or blank, listing them', () => {
    expect(details(() => renderTemplate('tell_courier_trace', { shopName: 'x', orderNo: '1', courier: ' ' }))).toEqual({
      code: 'VALIDATION_FAILED',
      reason: 'template_values_missing',
      template: 'tell_courier_trace',
      missing: ['courier', 'trackingNo', 'trace'],
    });
  });

  it('S1.14 refuses an amount that is not a yuan string', () => {
    for (const amount of ['1200', '12', '12.0', '¥12.00']) {
      expect(details(() => renderTemplate('ask_alipay_account', { ...all, amount }))).toMatchObject({ reason: 'amount_not_yuan' });
    }
  });

  it('S1.5 does not expand placeholders inside values, and ignores values a template does not use', () => {
    const text = renderTemplate('ask_return_tracking', { ...all, orderNo: '{shopName}' });
    expect(text).toContain('订单{shopName}的');
    expect(placeholdersOf('ask_return_tracking')).toEqual(['shopName', 'orderNo']);
  });

  it('S1.5 refuses an unknown template key', () => {
    expect(details(() => renderTemplate('nope' as TemplateKey, all))).toMatchObject({ reason: 'unknown_template' });
  });

  it('S1.5 every placeholder is known, used by some template, and every template has labels', () => {
    const used = new Set(templateKeys.flatMap((k) => placeholdersOf(k)));
    expect([...used].sort()).toEqual([...templatePlaceholders].sort());
    for (const key of templateKeys) {
      expect(templateLabels[key]['zh-CN']).toBeTruthy();
      for (const m of templateTexts[key].matchAll(/\{(\w+)\}/g)) expect(templatePlaceholders).toContain(m[1]);
    }
  });

  it("S1.1 S1.7 S1.16 the remarks are the seed's exact words", () => {
    expect(milestoneRemarks).toEqual({
      unshippedSubmitted: '已经提交未发退',
      claimOpened: '索赔单已开',
      afterSaleApplied: '客户申请了售后退款',
    });
  });
});
