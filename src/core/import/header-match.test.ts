import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applySavedMapping, checkMapping, headerMatches, headerScore, matchPreset, normalizeHeader } from './header-match.ts';
import { orderFields, refundFields } from './import-fields.ts';

/** A header as a person or another back office might write it: spaces, full-width brackets and colons, case. */
const variantOf = (header: string) =>
  fc
    .tuple(
      fc.array(fc.constantFrom(' ', '\u3000', '\t', ''), { minLength: header.length + 1, maxLength: header.length + 1 }),
      fc.boolean(),
      fc.boolean(),
      fc.constantFrom('', ':', '：', '(元)', '（元）'),
    )
    .map(([spaces, upper, fullWidth, tail]) => {
      let text = Array.from(header)
        .map((ch, i) => spaces[i] + ch)
        .join('') + spaces[header.length];
      if (upper) text = text.toUpperCase();
      if (fullWidth) text = text.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
      return text + tail;
    });

describe('issue 14 §1: header matching', () => {
  it('a header matches its alias whatever its spaces, full-width letters, brackets, colons and case (property)', () => {
    const aliases = [...orderFields, ...refundFields].flatMap((f) => f.aliases);
    fc.assert(
      fc.property(
        fc.constantFrom(...aliases).chain((alias) => fc.tuple(fc.constant(alias), variantOf(alias))),
        ([alias, written]) => {
          expect(headerMatches(written, alias), written).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('normalising is idempotent and never matches a different field name (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        expect(normalizeHeader(normalizeHeader(s))).toBe(normalizeHeader(s));
      }),
    );
    expect(headerMatches('退款金额', '买家申请退款金额')).toBe(false);
    expect(headerMatches('', '')).toBe(false);
  });

  it('the order preset maps the headers of Taobao\'s order report, loosely, one header per field', () => {
    const headers = ['订单编号 ', '买家会员名', '买家实际支付金额（元）', '订单状态：', '收货人姓名', '联系手机', '收货地址', '宝贝标题', '商家编码', '物流公司', '物流单号', '订单付款时间', '店铺名称'];
    const m = matchPreset('orders', headers);
    expect(m.missing).toEqual([]);
    expect(m.mapping).toMatchObject({ orderNo: '订单编号 ', paid: '买家实际支付金额（元）', status: '订单状态：', phone: '联系手机', paidAt: '订单付款时间' });
    expect(Object.values(m.mapping)).not.toContain('店铺名称');
    // 联系电话 is the phone only when 联系手机 is not there
    expect(matchPreset('orders', ['订单编号', '联系电话', '联系手机']).mapping.phone).toBe('联系手机');
  });

  it('the refund preset needs 退款类型 or 是否需要退货; another layout names what is missing', () => {
    expect(matchPreset('refunds', ['退款编号', '订单编号', '退款状态', '是否需要退货', '买家申请退款金额']).missing).toEqual([]);
    expect(matchPreset('refunds', ['退款编号', '订单编号', '退款状态', '买家申请退款金额']).missing).toEqual(['refundType']);
    expect(matchPreset('orders', ['单号', '金额', '状态']).missing).toEqual(['orderNo', 'paid', 'status']);
  });

  it('a saved mapping fits a file when its headers are there; a mapping is checked before any row is read', () => {
    const saved = { orderNo: '单号', paid: '金额', status: '状态' };
    expect(applySavedMapping('orders', saved, ['单号', ' 金额 ', '状态', '备注'])).toMatchObject({ fits: true, missing: [], mapping: { paid: ' 金额 ' } });
    expect(applySavedMapping('orders', saved, ['单号', '状态']).fits).toBe(false);
    expect(checkMapping('orders', { orderNo: '单号', paid: '单号', nope: 'x', status: '无此列' }, ['单号', '金额'])).toEqual([
      { field: 'paid', problem: 'header_used_twice', header: '单号' },
      { field: 'nope', problem: 'unknown_field' },
      { field: 'status', problem: 'no_such_header', header: '无此列' },
    ]);
  });

  it('a header row is told from a title row by the fields it names', () => {
    expect(headerScore('orders', ['淘宝订单报表', '淘宝订单报表', '淘宝订单报表'])).toBe(0);
    expect(headerScore('orders', ['订单编号', '收货信息', '收货信息'])).toBe(1);
    expect(headerScore('orders', ['订单编号', '收货人姓名', '联系手机', '收货地址'])).toBe(4);
  });
});
