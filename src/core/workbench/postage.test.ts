/** S1.14 return-postage compensation: the shop's table, the override, the payee, requested → paid | cancelled. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import {
  applyPostageAction,
  checkAlipayAccount,
  checkRealName,
  createPostageRequest,
  decidePostageAmount,
  lookupPostage,
  normalizeProvince,
  postageOwedBecause,
  provinceNames,
  provincialDivisions,
  validatePostageTable,
  type PostageTable,
} from './postage.ts';

const ctx = { now: new Date('2026-03-02T02:00:00.000Z') };
const table: PostageTable = {
  rows: [
    { province: '浙江省', styleCategory: '单鞋', amountFen: 800 },
    { province: '浙江省', styleCategory: '靴子', amountFen: 1200 },
    { province: '新疆维吾尔自治区', styleCategory: '单鞋', amountFen: 2500 },
  ],
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

describe('provinces', () => {
  it('S1.14 lists the 34 provincial-level divisions by full name, with unique short names and codes', () => {
    expect(provinceNames).toHaveLength(34);
    for (const name of ['浙江省', '北京市', '广西壮族自治区', '香港特别行政区', '澳门特别行政区', '台湾省', '内蒙古自治区', '新疆维吾尔自治区', '宁夏回族自治区', '西藏自治区', '重庆市']) {
      expect(provinceNames).toContain(name);
    }
    expect(new Set(provincialDivisions.map((d) => d.short)).size).toBe(34);
    expect(new Set(provincialDivisions.map((d) => d.code)).size).toBe(34);
    expect(provinceNames.filter((n) => n.endsWith('省'))).toHaveLength(23);
    expect(provinceNames.filter((n) => n.endsWith('自治区'))).toHaveLength(5);
  });

  it('S1.14 reads the short names order addresses use', () => {
    expect(normalizeProvince('浙江')).toBe('浙江省');
    expect(normalizeProvince(' 广西 ')).toBe('广西壮族自治区');
    expect(normalizeProvince('内蒙古自治区')).toBe('内蒙古自治区');
    expect(normalizeProvince('杭州')).toBeNull();
    expect(normalizeProvince('浙江省杭州市')).toBeNull();
  });
});

describe('the postage table', () => {
  it('S1.14 looks up by province and style; a short province name matches; else the default; else null', () => {
    expect(lookupPostage(table, '浙江', '靴子')).toBe(1200);
    expect(lookupPostage(table, '浙江省', ' 单鞋 ')).toBe(800);
    expect(lookupPostage(table, '北京市', '单鞋')).toBeNull();
    expect(lookupPostage({ ...table, defaultFen: 1000 }, '北京市', '单鞋')).toBe(1000);
    expect(lookupPostage({ ...table, defaultFen: 1000 }, '火星', '单鞋')).toBeNull();
  });

  it('S1.14 validates a table: known provinces (normalized to full names), no duplicates, whole non-negative fen', () => {
    expect(validatePostageTable({ rows: [{ province: '广西', styleCategory: ' 凉鞋 ', amountFen: 0 }], defaultFen: 1000 })).toEqual({
      rows: [{ province: '广西壮族自治区', styleCategory: '凉鞋', amountFen: 0 }],
      defaultFen: 1000,
    });
    const d = details(() =>
      validatePostageTable({
        rows: [
          { province: '浙江省', styleCategory: '单鞋', amountFen: 800 },
          { province: '浙江', styleCategory: '单鞋', amountFen: 900 },
          { province: '广西省', styleCategory: '单鞋', amountFen: 800 },
          { province: '福建省', styleCategory: '', amountFen: 800 },
          { province: '福建省', styleCategory: '靴子', amountFen: 8.5 },
          { province: '福建省', styleCategory: '凉鞋', amountFen: -1 },
        ],
        defaultFen: -5,
      }),
    ) as { code: string; issues: { field: string; reason: string }[] };
    expect(d.code).toBe('VALIDATION_FAILED');
    expect(d.issues.map((i) => [i.field, i.reason])).toEqual([
      ['rows[1]', 'rows_duplicate'],
      ['rows[2].province', 'province_unknown'],
      ['rows[3].styleCategory', 'style_category_required'],
      ['rows[4].amountFen', 'amount_fen_not_integer_fen'],
      ['rows[5].amountFen', 'amount_fen_negative'],
      ['defaultFen', 'default_fen_negative'],
    ]);
  });

  it('S1.14 decides from the table row, or the default', () => {
    expect(decidePostageAmount({ table, province: '浙江', styleCategory: '单鞋' })).toEqual({
      amountFen: 800,
      source: 'table',
      tableFen: 800,
      overrideReason: null,
      province: '浙江省',
      styleCategory: '单鞋',
    });
    expect(decidePostageAmount({ table: { ...table, defaultFen: 1000 }, province: '北京', styleCategory: '单鞋' })).toMatchObject({
      amountFen: 1000,
      source: 'default',
    });
  });

  it('S1.14 refuses when the table has no amount and there is no override', () => {
    expect(details(() => decidePostageAmount({ table, province: '北京市', styleCategory: '单鞋' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      reason: 'no_postage_rate',
      province: '北京市',
    });
    expect(details(() => decidePostageAmount({ table, province: '火星', styleCategory: '单鞋' }))).toMatchObject({ reason: 'province_unknown' });
  });

  it('S1.14 an override needs a reason of at least 2 characters', () => {
    expect(details(() => decidePostageAmount({ table, province: '浙江', styleCategory: '单鞋', overrideFen: 1500 }))).toMatchObject({
      reason: 'override_reason_required',
    });
    expect(details(() => decidePostageAmount({ table, province: '浙江', styleCategory: '单鞋', overrideFen: 1500, overrideReason: ' 贵 ' }))).toMatchObject({
      reason: 'override_reason_too_short',
      limit: 2,
    });
    expect(decidePostageAmount({ table, province: '北京', styleCategory: '单鞋', overrideFen: 1500, overrideReason: '顺丰到付' })).toEqual({
      amountFen: 1500,
      source: 'override',
      tableFen: null,
      overrideReason: '顺丰到付',
      province: '北京市',
      styleCategory: '单鞋',
    });
    // the table's own amount sent back as an "override" is none
    expect(decidePostageAmount({ table, province: '浙江', styleCategory: '单鞋', overrideFen: 800 })).toMatchObject({ source: 'table' });
    expect(details(() => decidePostageAmount({ table, province: '浙江', styleCategory: '单鞋', overrideFen: 0, overrideReason: '不赔' }))).toMatchObject({
      reason: 'override_fen_not_positive',
    });
  });
});

describe('the payee', () => {
  it('S1.14 the Alipay account is an 11-digit mainland mobile or an e-mail', () => {
    expect(checkAlipayAccount('13800138000')).toEqual({ ok: true, kind: 'mobile', normalized: '13800138000' });
    expect(checkAlipayAccount('+86 138-0013-8000')).toEqual({ ok: true, kind: 'mobile', normalized: '13800138000' });
    expect(checkAlipayAccount('１３８００１３８０００')).toMatchObject({ ok: true, normalized: '13800138000' });
    expect(checkAlipayAccount('Mei.Li@Example.COM')).toEqual({ ok: true, kind: 'email', normalized: 'Mei.Li@example.com' });
    expect(checkAlipayAccount('12800138000')).toMatchObject({ ok: false, reason: 'invalid_mobile' });
    expect(checkAlipayAccount('1380013800')).toMatchObject({ ok: false, reason: 'invalid_mobile' });
    expect(checkAlipayAccount('0571-88888888')).toMatchObject({ ok: false, reason: 'invalid_mobile' });
    expect(checkAlipayAccount('mei@localhost')).toMatchObject({ ok: false, reason: 'invalid_email' });
    expect(checkAlipayAccount('a..b@qq.com')).toMatchObject({ ok: false, reason: 'invalid_email' });
    expect(checkAlipayAccount('小美的支付宝')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(checkAlipayAccount('  ')).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('S1.14 the real name is Chinese or Latin, 2 to 30 characters', () => {
    expect(checkRealName('张三')).toEqual({ ok: true, normalized: '张三' });
    expect(checkRealName('阿卜杜拉 • 艾尼')).toEqual({ ok: true, normalized: '阿卜杜拉·艾尼' });
    expect(checkRealName("  John   O'Brien ")).toEqual({ ok: true, normalized: "John O'Brien" });
    expect(checkRealName('J. R. Smith-Jones')).toMatchObject({ ok: true });
    expect(checkRealName('张')).toMatchObject({ ok: false, reason: 'length' });
    expect(checkRealName('a'.repeat(31))).toMatchObject({ ok: false, reason: 'length' });
    expect(checkRealName('张San')).toMatchObject({ ok: false, reason: 'invalid_characters' });
    expect(checkRealName('张三3')).toMatchObject({ ok: false, reason: 'invalid_characters' });
    expect(checkRealName('·张三')).toMatchObject({ ok: false, reason: 'invalid_characters' });
  });
});

describe('the postage payment', () => {
  const input = { table, orderNo: 'T500', province: '浙江', styleCategory: '靴子', alipayAccount: '13800138000', realName: '张三' };

  it('S1.14 a request carries the payee and the decided amount; finance pays it with a reference', () => {
    const req = createPostageRequest(input, ctx);
    expect(req).toMatchObject({ status: 'requested', amountFen: 1200, alipayAccountKind: 'mobile', realName: '张三', decision: { source: 'table' } });
    const paid = applyPostageAction(req, { action: 'pay', paymentRef: ' 2026030222001412345678901234 ' }, ctx);
    expect(paid).toMatchObject({ from: 'requested', to: 'paid', data: { paymentRef: '2026030222001412345678901234', amountFen: 1200 } });
    expect(details(() => applyPostageAction(paid.record, { action: 'cancel', reason: '重复了' }, ctx))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      reason: 'transition_not_allowed',
    });
  });

  it('S1.14 refuses a request with a bad payee, listing both fields', () => {
    const d = details(() => createPostageRequest({ ...input, alipayAccount: '123', realName: 'x' }, ctx)) as { issues: { field: string }[] };
    expect(d.issues.map((i) => i.field)).toEqual(['alipayAccount', 'realName']);
  });

  it('S1.14 refuses to request a postage of 0 from the table', () => {
    const free: PostageTable = { rows: [{ province: '上海市', styleCategory: '单鞋', amountFen: 0 }] };
    expect(details(() => createPostageRequest({ ...input, table: free, province: '上海' , styleCategory: '单鞋' }, ctx))).toMatchObject({
      reason: 'nothing_to_pay',
    });
  });

  it('S1.14 paying needs a reference; cancelling needs a reason', () => {
    const req = createPostageRequest(input, ctx);
    expect(details(() => applyPostageAction(req, { action: 'pay', paymentRef: '' }, ctx))).toMatchObject({ reason: 'payment_ref_required' });
    expect(details(() => applyPostageAction(req, { action: 'pay', paymentRef: '12#45' }, ctx))).toMatchObject({ reason: 'payment_ref_invalid_format' });
    expect(applyPostageAction(req, { action: 'cancel', reason: '买家说不用了' }, ctx).record).toMatchObject({
      status: 'cancelled',
      cancelled: { reason: '买家说不用了' },
    });
  });
});

describe('postageOwedBecause (S1.14, S1.10, S1.5)', () => {
  const base = { status: 'SUCCESS' as const, reason: 'no_reason_7d' as const, rootCause: null, corrections: [] };
  it('S1.14 the shop pays once the refund succeeded, for a quality, damaged or not-as-described reason', () => {
    expect(postageOwedBecause({ ...base, reason: 'quality' })).toBe('reason');
    expect(postageOwedBecause({ ...base, reason: 'damaged', status: 'WAIT_SELLER_CONFIRM_GOODS' })).toBeNull();
    expect(postageOwedBecause(base)).toBeNull();
  });
  it('S1.10/S1.5 the buyer changed such a reason on our advice: still the shop\'s', () => {
    const asked = { fromReason: 'not_as_described' as const, toReason: 'no_reason_7d' as const, buyerAnswer: 'pending' };
    expect(postageOwedBecause({ ...base, corrections: [asked] })).toBe('reason_correction');
    expect(postageOwedBecause({ ...base, reason: 'unwanted', corrections: [asked] })).toBeNull();
    expect(postageOwedBecause({ ...base, reason: 'unwanted', corrections: [{ ...asked, buyerAnswer: 'agreed' }] })).toBe('reason_correction');
    expect(postageOwedBecause({ ...base, corrections: [{ ...asked, fromReason: 'late_shipment' }] })).toBeNull();
  });
  it('S1.2 a root cause that is the shop\'s fault decides it, whatever the platform reason', () => {
    expect(postageOwedBecause({ ...base, rootCause: 'wrong_item_sent' })).toBe('root_cause');
    expect(postageOwedBecause({ ...base, rootCause: 'size_small' })).toBeNull();
  });
});
