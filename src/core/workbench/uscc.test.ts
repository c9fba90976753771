/** S1.8: the unified social credit code (统一社会信用代码) a company invoice title needs. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkUscc, usccAlphabet, usccCheckCharacter, usccRegistrationAuthorities } from './uscc.ts';

/** Published codes: the check digit computed here agrees with each. */
const published = [
  '91350100M000100Y43', // the commonly cited example (福建 福州)
  '91110000600037341L', // python-stdnum's documented example (北京)
  '91230184MA1BUFLT44', // 黑龙江 五常
  '92371000MA3MXH0E3W', // 个体工商户, 山东 威海
  '9135052155323005XL', // 福建 泉州
];

function problem(code: string): string {
  const r = checkUscc(code);
  return r.ok ? 'ok' : r.reason;
}

/** Any 17 characters behind a valid authority, category and region. */
const prefix17 = fc
  .tuple(
    fc.constantFrom('11', '12', '31', '51', '52', '53', '91', '92', '93', 'A1', 'N2', 'Y1'),
    fc.constantFrom('110000', '330106', '440300', '100000', '650100'),
    fc.array(fc.constantFrom(...usccAlphabet), { minLength: 9, maxLength: 9 }),
  )
  .map(([head, region, body]) => `${head}${region}${body.join('')}`);

describe('checkUscc (GB 32100-2015)', () => {
  it.each(published)('S1.8 accepts the published code %s', (code) => {
    expect(checkUscc(code)).toMatchObject({ ok: true, normalized: code });
  });

  it('S1.8 names the authority and category of an accepted code', () => {
    expect(checkUscc('92371000MA3MXH0E3W')).toEqual({
      ok: true,
      normalized: '92371000MA3MXH0E3W',
      authority: '工商',
      category: '个体工商户',
    });
  });

  it('S1.8 trims, uppercases and folds full-width input before checking', () => {
    expect(checkUscc('  91350100m000100y43 ')).toMatchObject({ ok: true, normalized: '91350100M000100Y43' });
    expect(checkUscc('９１３５０１００Ｍ０００１００Ｙ４３')).toMatchObject({ ok: true, normalized: '91350100M000100Y43' });
  });

  it('S1.8 refuses a wrong check digit', () => {
    expect(problem('91350100M000100Y44')).toBe('check_digit_mismatch');
    expect(problem('91110000600037341K')).toBe('check_digit_mismatch');
  });

  it('S1.8 refuses the letters I, O, S, V and Z anywhere', () => {
    for (const letter of 'IOSVZ') {
      expect(problem(`91350100M000100${letter}43`)).toBe('forbidden_letter');
    }
    expect(problem('91350100M000100Y4O')).toBe('forbidden_letter');
  });

  it('S1.8 refuses other characters and a wrong length', () => {
    expect(problem('91350100M000100Y4-')).toBe('invalid_character');
    expect(problem('91350100M000100Y4')).toBe('wrong_length');
    expect(problem('91350100M000100Y433')).toBe('wrong_length');
    expect(problem('')).toBe('empty');
    expect(problem('   ')).toBe('empty');
  });

  it('S1.8 refuses an unknown registration authority or entity category', () => {
    // B is in the alphabet but no authority; 9-4 is no category of 工商
    const b = `B1350100M000100Y4`;
    expect(problem(`${b}${usccCheckCharacter(b)}`)).toBe('unknown_registration_authority');
    const c = `94350100M000100Y4`;
    expect(problem(`${c}${usccCheckCharacter(c)}`)).toBe('unknown_entity_category');
  });

  it('S1.8 refuses a region that is no administrative division', () => {
    const code = `91990100M000100Y4`;
    expect(problem(`${code}${usccCheckCharacter(code)}`)).toBe('invalid_region_code');
    const letters = `9135A100M000100Y4`;
    expect(problem(`${letters}${usccCheckCharacter(letters)}`)).toBe('invalid_region_code');
  });

  it('S1.8 computes the check character 0 when the weighted sum is a multiple of 31', () => {
    // search a prefix whose sum is 0 mod 31: the (31 - 0) % 31 edge
    let found: string | null = null;
    for (let n = 0; n < 100_000 && !found; n++) {
      const candidate = `91330106${String(n).padStart(9, '0')}`;
      if (usccCheckCharacter(candidate) === '0') found = candidate;
    }
    expect(found).not.toBeNull();
    expect(checkUscc(`${found}0`)).toMatchObject({ ok: true });
  });

  it('S1.8 every authority and category in the table is accepted with its check character', () => {
    for (const [authority, { categories }] of Object.entries(usccRegistrationAuthorities)) {
      for (const category of Object.keys(categories)) {
        const code = `${authority}${category}110000MA0000000`;
        expect(problem(`${code}${usccCheckCharacter(code)}`)).toBe('ok');
      }
    }
  });

  it('S1.8 property: a code with its computed check character passes; any other last character fails', () => {
    fc.assert(
      fc.property(prefix17, fc.constantFrom(...usccAlphabet), (p, last) => {
        const check = usccCheckCharacter(p);
        expect(problem(`${p}${check}`)).toBe('ok');
        if (last !== check) expect(problem(`${p}${last}`)).toBe('check_digit_mismatch');
      }),
    );
  });

  it('S1.8 property: one mistyped character or two swapped characters never pass', () => {
    fc.assert(
      fc.property(
        prefix17,
        fc.nat({ max: 17 }),
        fc.constantFrom(...usccAlphabet),
        fc.nat({ max: 16 }),
        fc.nat({ max: 16 }),
        (p, at, replacement, i, j) => {
          const code = `${p}${usccCheckCharacter(p)}`;
          const typo = code.slice(0, at) + replacement + code.slice(at + 1);
          if (typo !== code) expect(problem(typo)).not.toBe('ok');
          const chars = [...code];
          const [a, b] = [chars[i] as string, chars[j] as string];
          chars[i] = b;
          chars[j] = a;
          const swapped = chars.join('');
          if (swapped !== code) expect(problem(swapped)).not.toBe('ok');
        },
      ),
    );
  });
});
