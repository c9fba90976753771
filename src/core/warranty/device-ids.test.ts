/** S4.5 the IMEI/MEID of a phone: an exchange records the old and the new identifier, so both must be real ones. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeImei, imeiCheckDigit, meidCheckDigit, normalizeDeviceId, parseDeviceId, readDeviceId, sameDeviceId } from './device-ids.ts';

const digit = fc.constantFrom(...'0123456789');
const hexDigit = fc.constantFrom(...'0123456789ABCDEF');
const body14 = fc.array(digit, { minLength: 14, maxLength: 14 }).map((d) => d.join(''));
/** 14 hex digits with at least one letter (an all-decimal MEID is the IMEI-derived kind) */
const hexMeid = fc
  .tuple(fc.array(hexDigit, { minLength: 13, maxLength: 13 }), fc.constantFrom(...'ABCDEF'), fc.nat({ max: 13 }))
  .map(([rest, letter, at]) => {
    const chars = [...rest];
    chars.splice(at, 0, letter);
    return chars.join('');
  });

function reason(input: string): string {
  const r = parseDeviceId(input);
  return r.ok ? 'ok' : r.reason;
}

describe('IMEI (15 digits, Luhn)', () => {
  it.each(['490154203237518', '352099001761481'])('S4.5 accepts the published IMEI %s', (imei) => {
    expect(parseDeviceId(imei)).toEqual({ ok: true, kind: 'imei', value: imei, format: 'imei', asImei: null });
  });

  it('S4.5 computes the check digit of the first 14 digits', () => {
    expect(imeiCheckDigit('49015420323751')).toBe('8');
    expect(imeiCheckDigit('35209900176148')).toBe('1');
    expect(completeImei('49015420323751')).toBe('490154203237518');
    expect(() => imeiCheckDigit('4901542032375')).toThrow(RangeError);
    expect(() => imeiCheckDigit('4901542032375A')).toThrow(RangeError);
  });

  it('S4.5 refuses a wrong check digit and names the expected one', () => {
    const r = parseDeviceId('490154203237519');
    expect(r).toMatchObject({ ok: false, reason: 'bad_check_digit', expected: '8' });
    expect(r.ok ? '' : r.message).toContain('should be 8');
  });

  it('S4.5 normalises spaces, dashes and full-width digits', () => {
    expect(normalizeDeviceId(' 35-209900-176148-1 ')).toBe('352099001761481');
    expect(readDeviceId('35 209900 176148 1')).toEqual({ kind: 'imei', value: '352099001761481' });
    expect(readDeviceId('４９０１５４２０３２３７５１８')).toEqual({ kind: 'imei', value: '490154203237518' });
  });

  it('S4.5 refuses an empty input, a wrong length and a stray character, precisely', () => {
    expect(reason('')).toBe('empty');
    expect(reason(' - ')).toBe('empty');
    expect(parseDeviceId('4901542032375')).toMatchObject({ ok: false, reason: 'wrong_length', length: 13 });
    const imeisv = parseDeviceId('4901542032375181');
    expect(imeisv).toMatchObject({ ok: false, reason: 'wrong_length', length: 16 });
    expect(imeisv.ok ? '' : imeisv.message).toContain('IMEISV');
    expect(reason('49015420323751G')).toBe('invalid_character');
    expect(reason('IMEI:490154203237518')).toBe('invalid_character');
  });

  it('S4.5 property: an IMEI made with its computed check digit always validates', () => {
    fc.assert(
      fc.property(body14, (b) => {
        expect(parseDeviceId(completeImei(b))).toMatchObject({ ok: true, kind: 'imei', value: completeImei(b) });
      }),
    );
  });

  it('S4.5 property: changing any one digit of a valid IMEI always fails the check', () => {
    fc.assert(
      fc.property(body14, fc.nat({ max: 14 }), fc.integer({ min: 1, max: 9 }), (b, at, delta) => {
        const imei = completeImei(b);
        const changed = String((Number(imei.charAt(at)) + delta) % 10);
        const typo = imei.slice(0, at) + changed + imei.slice(at + 1);
        expect(typo).not.toBe(imei);
        expect(parseDeviceId(typo)).toMatchObject({ ok: false, reason: 'bad_check_digit' });
      }),
    );
  });
});

describe('MEID (14 hex digits)', () => {
  it('S4.5 accepts 14 hex digits, uppercased', () => {
    expect(parseDeviceId('a10000009296f2')).toEqual({ ok: true, kind: 'meid', value: 'A10000009296F2', format: 'meid_hex', asImei: null });
    expect(readDeviceId('AF 012345 0ABCDE')).toEqual({ kind: 'meid', value: 'AF0123450ABCDE' });
  });

  it('S4.5 checks an MEID check digit (Luhn in base 16) when one is given', () => {
    expect(meidCheckDigit('AF0123450ABCDE')).toBe('C');
    expect(parseDeviceId('AF0123450ABCDEC')).toMatchObject({ ok: true, kind: 'meid', value: 'AF0123450ABCDE', format: 'meid_hex_with_check' });
    expect(parseDeviceId('AF0123450ABCDE1')).toMatchObject({ ok: false, reason: 'bad_check_digit', expected: 'C' });
  });

  it('S4.5 reads the 18-digit decimal form of an MEID', () => {
    expect(parseDeviceId('270113177609606898')).toMatchObject({ ok: true, kind: 'meid', value: 'A10000009296F2', format: 'meid_decimal' });
    expect(reason('999999999999999999')).toBe('out_of_range');
    expect(reason('27011317760960689A')).toBe('not_digits');
  });

  it('S4.5 an all-decimal MEID is the first 14 digits of the IMEI of a multimode phone', () => {
    expect(parseDeviceId('35209900176148')).toEqual({
      ok: true,
      kind: 'meid',
      value: '35209900176148',
      format: 'meid_hex',
      asImei: '352099001761481',
    });
  });

  it('S4.5 property: any 14 hex digits are an MEID; with their check digit too; another check digit fails', () => {
    fc.assert(
      fc.property(hexMeid, hexDigit, (m, other) => {
        expect(parseDeviceId(m)).toMatchObject({ ok: true, kind: 'meid', value: m });
        const check = meidCheckDigit(m);
        expect(parseDeviceId(`${m}${check}`)).toMatchObject({ ok: true, kind: 'meid', value: m });
        if (other !== check) expect(parseDeviceId(`${m}${other}`)).toMatchObject({ ok: false, reason: 'bad_check_digit', expected: check });
      }),
    );
  });

  it('S4.5 property: one changed hex digit of an MEID with its check digit fails', () => {
    fc.assert(
      fc.property(hexMeid, fc.nat({ max: 13 }), fc.integer({ min: 1, max: 15 }), (m, at, delta) => {
        const full = `${m}${meidCheckDigit(m)}`;
        const changed = ((parseInt(full.charAt(at), 16) + delta) % 16).toString(16).toUpperCase();
        const typo = full.slice(0, at) + changed + full.slice(at + 1);
        // a typo that leaves only decimal digits reads as an IMEI, which its own Luhn check then refuses or accepts
        if (/[A-F]/.test(typo)) expect(parseDeviceId(typo)).toMatchObject({ ok: false, reason: 'bad_check_digit' });
      }),
    );
  });
});

describe('sameDeviceId', () => {
  it('S4.5 compares kind and value', () => {
    expect(sameDeviceId({ kind: 'meid', value: 'A10000009296F2' }, { kind: 'meid', value: 'A10000009296F2' })).toBe(true);
    expect(sameDeviceId({ kind: 'meid', value: 'A10000009296F2' }, { kind: 'meid', value: 'A10000009296F3' })).toBe(false);
    expect(sameDeviceId({ kind: 'imei', value: '490154203237518' }, { kind: 'meid', value: '49015420323751' })).toBe(false);
  });
});
