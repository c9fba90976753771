import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenToYuan } from '../../platform/taobao/top-sign.ts';
import { isFormulaText, looksLikePhone, readAddress, readAmount, readId, readPhone, readText, readTime } from './cell-values.ts';

const okOf = <T>(r: { ok: T } | { error: unknown }): T => {
  if (!('ok' in r)) throw new Error(`expected a value, got ${JSON.stringify(r)}`);
  return r.ok;
};
const codeOf = (r: { ok: unknown } | { error: { code: string } }): string | null => ('error' in r ? r.error.code : null);

describe('issue 14 §1: reading cells', () => {
  it('an amount in yuan reads as the same fen, with or without ¥, 元, thousands separators, as text or number (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_99 }), fc.constantFrom('', '¥', '￥'), fc.constantFrom('', '元', ' 元'), (fen, before, after) => {
        const yuan = fenToYuan(fen);
        expect(okOf(readAmount(`${before}${yuan}${after}`, '金额'))).toBe(fen);
        const grouped = yuan.replace(/^(\d+)/, (d) => d.replace(/\B(?=(\d{3})+$)/g, ','));
        expect(okOf(readAmount(grouped, '金额'))).toBe(fen);
        expect(okOf(readAmount(fen / 100, '金额'))).toBe(fen);
      }),
      { numRuns: 300 },
    );
  });

  it('anything that is not an amount refuses the row: 12.3.4, negative, three decimals, letters, bad grouping (property)', () => {
    for (const bad of ['12.3.4', '-5', '1.234', 'abc', '1,23', '12,3456.00', '¥', '1e3', '0x10', 12.345, -1]) {
      expect(codeOf(readAmount(bad, '金额')), String(bad)).toBe('bad_amount');
    }
    fc.assert(
      fc.property(fc.tuple(fc.nat(9999), fc.nat(99), fc.nat(99)), ([a, b, c]) => {
        expect(codeOf(readAmount(`${a}.${b}.${c}`, '金额'))).toBe('bad_amount');
      }),
    );
    expect(okOf(readAmount('', '金额'))).toBeNull();
  });

  it('times are Shanghai wall clock in the usual ways of writing them; a wrong date refuses the row', () => {
    const at = new Date('2026-11-01T02:30:00.000Z');
    for (const written of ['2026-11-01 10:30:00', '2026/11/1 10:30', '2026.11.01 10:30:00', '2026年11月1日 10时30分', '2026-11-01T10:30:00+08:00']) {
      expect(okOf(readTime(written, '付款时间'))?.toISOString(), written).toBe(at.toISOString());
    }
    // a date cell holds the wall clock in its UTC fields, sometimes a millisecond off
    expect(okOf(readTime(new Date(Date.UTC(2026, 10, 1, 10, 29, 59, 999)), 't'))?.toISOString()).toBe(at.toISOString());
    expect(okOf(readTime(46_327.4375, 't'))?.toISOString()).toBe(at.toISOString());
    for (const bad of ['2026-13-01', '2026-02-30 10:00', '昨天', '2026-11-01 25:00', '11/01/2026']) expect(codeOf(readTime(bad, 't')), bad).toBe('bad_date');
  });

  it('ids: digits only; a long id Excel turned into a rounded number is refused as such', () => {
    expect(okOf(readId('="3900000000000000001"', '订单编号', true))).toBe('3900000000000000001');
    expect(okOf(readId(" 3900000000000000001 ", '订单编号', true))).toBe('3900000000000000001');
    expect(okOf(readId(12345, '订单编号', true))).toBe('12345');
    expect(codeOf(readId(3.9e18, '订单编号', true))).toBe('id_rounded');
    expect(codeOf(readId('3.9E+18', '订单编号', true))).toBe('id_rounded');
    expect(codeOf(readId('T-123', '订单编号', true))).toBe('bad_id');
    expect(codeOf(readId('', '订单编号', true))).toBe('required');
    expect(okOf(readId('', '子订单编号', false))).toBeNull();
  });

  it('formula cells refuse the row; the ="…" text of platform CSVs does not', () => {
    expect(isFormulaText('=HYPERLINK("http://evil.example","点我")')).toBe(true);
    expect(isFormulaText('+SUM(A1:A2)')).toBe(true);
    expect(isFormulaText("@cmd|' /C calc'!A0")).toBe(true);
    expect(isFormulaText('="3900000000000000001"')).toBe(false);
    expect(isFormulaText('+86 138 1234 1234')).toBe(false);
    expect(isFormulaText('-')).toBe(false);
    expect(codeOf(readText('=HYPERLINK("http://x","y")', '宝贝标题'))).toBe('formula');
    expect(codeOf(readText({ formula: 'HYPERLINK("http://x","y")' }, '宝贝标题'))).toBe('formula');
    expect(codeOf(readText({ error: '#N/A' }, '宝贝标题'))).toBe('bad_cell');
    // bytes the encoding could not read, and what a database would not keep
    expect(codeOf(readText('李\ufffd美', '收货人姓名'))).toBe('bad_chars');
    expect(codeOf(readText('a\u0000b', '收货人姓名'))).toBe('bad_chars');
  });

  it('a phone number in the address column refuses the row; addresses split into province, city, district', () => {
    expect(codeOf(readAddress('13812341234', '收货地址'))).toBe('phone_in_address');
    expect(codeOf(readAddress('0571-88886666', '收货地址'))).toBe('phone_in_address');
    expect(looksLikePhone('文三路 100 号')).toBe(false);
    expect(okOf(readAddress('浙江省 杭州市 西湖区 文三路 100 号 3 幢 502(310000)', '收货地址'))).toEqual({ province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号 3 幢 502' });
    expect(okOf(readAddress('上海市 浦东新区 世纪大道 1 号', '收货地址'))).toEqual({ province: '上海市', city: '上海市', district: '浦东新区', detail: '世纪大道 1 号' });
    expect(okOf(readAddress('广东省深圳市南山区科技园', '收货地址'))).toEqual({ province: '广东省', city: '深圳市', district: '南山区', detail: '科技园' });
    expect(okOf(readPhone('138****1234', '联系手机'))).toBe('138****1234');
    expect(okOf(readPhone("'13812341234", '联系手机'))).toBe('13812341234');
    expect(codeOf(readPhone('浙江省杭州市', '联系手机'))).toBe('bad_phone');
  });
});
