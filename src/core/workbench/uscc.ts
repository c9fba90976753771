/**
 * 统一社会信用代码 (unified social credit code, GB 32100-2015): the tax id a
 * company invoice title needs (S1.8). 18 characters:
 *   1     登记管理部门码  registration authority (9 = market regulation/工商)
 *   2     机构类别码      entity category within that authority
 *   3–8   登记管理机关行政区划码 (GB/T 2260; 100000 for central registrations)
 *   9–17  主体标识码 (the GB 11714 organisation code)
 *   18    校验码, modulo 31 over the first 17
 * Characters: 0-9 and the capitals except I, O, S, V, Z.
 */

/** Character values of the code: 0–9, then A=10 … Y=30 skipping I, O, S, V, Z. */
export const usccAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights of positions 1–17 (3^(i) mod 31). */
export const usccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * GB 32100-2015 appendix A (with its amendments for A and N): each registration
 * authority and the entity categories it registers.
 */
export const usccRegistrationAuthorities = {
  '1': { name: '机构编制', categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { name: '外交', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    categories: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' },
  },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { name: '旅游', categories: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  N: { name: '农业', categories: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { name: '其他', categories: { '1': '其他' } },
} as const satisfies Record<string, { name: string; categories: Record<string, string> }>;

/** First two digits of a GB/T 2260 division code: 10 for central registrations, then the provincial-level divisions. */
const regionPrefixes = new Set([
  '10',
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

export type UsccProblem =
  | 'empty'
  | 'wrong_length'
  | 'forbidden_letter'
  | 'invalid_character'
  | 'unknown_registration_authority'
  | 'unknown_entity_category'
  | 'invalid_region_code'
  | 'check_digit_mismatch';

export type UsccCheck =
  | {
      ok: true;
      /** trimmed, uppercase, half-width */
      normalized: string;
      /** the registration authority and entity category, e.g. 工商 / 企业 */
      authority: string;
      category: string;
    }
  | { ok: false; reason: UsccProblem; message: string };

/** The check character (position 18) of the first 17 characters, or null if one is outside the alphabet. */
export function usccCheckCharacter(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = usccAlphabet.indexOf(first17.charAt(i));
    if (value < 0) return null;
    sum += value * (usccWeights[i] ?? 0);
  }
  return usccAlphabet.charAt((31 - (sum % 31)) % 31);
}

function fail(reason: UsccProblem, message: string): UsccCheck {
  return { ok: false, reason, message };
}

/**
 * Validates a unified social credit code: length, alphabet, registration
 * authority and category, region, check digit. Input is trimmed, uppercased
 * and folded from full-width (ＡＢ１２, as a Chinese IME types it).
 * The organisation code's own GB 11714 check (position 17) is not enforced:
 * the USCC check digit already covers typing errors, and a stricter check
 * would only risk refusing a real company's invoice.
 */
export function checkUscc(code: string): UsccCheck {
  const normalized = code.normalize('NFKC').trim().toUpperCase();
  if (normalized.length === 0) return fail('empty', 'The unified social credit code (统一社会信用代码) is empty.');
  const chars = [...normalized];
  if (chars.length !== 18) {
    return fail('wrong_length', `A unified social credit code has 18 characters; this one has ${chars.length}.`);
  }
  const banned = chars.find((c) => 'IOSVZ'.includes(c));
  if (banned) {
    return fail('forbidden_letter', `A unified social credit code never contains the letter ${banned} (I, O, S, V and Z are not used).`);
  }
  const bad = chars.find((c) => !usccAlphabet.includes(c));
  if (bad !== undefined) {
    return fail('invalid_character', `A unified social credit code has only digits and capital letters; "${bad}" is not allowed.`);
  }
  const authorityCode = normalized.charAt(0);
  const authority: { name: string; categories: Record<string, string> } | undefined =
    usccRegistrationAuthorities[authorityCode as keyof typeof usccRegistrationAuthorities];
  if (!authority) {
    return fail('unknown_registration_authority', `The first character, ${authorityCode}, is not a registration authority (登记管理部门码).`);
  }
  const category = authority.categories[normalized.charAt(1)];
  if (!category) {
    return fail(
      'unknown_entity_category',
      `The second character, ${normalized.charAt(1)}, is not an entity category (机构类别码) of the ${authority.name} authority.`,
    );
  }
  const region = normalized.slice(2, 8);
  if (!/^\d{6}$/.test(region) || !regionPrefixes.has(region.slice(0, 2))) {
    return fail('invalid_region_code', `Characters 3–8, ${region}, are not an administrative division code (行政区划码).`);
  }
  if (usccCheckCharacter(normalized.slice(0, 17)) !== normalized.charAt(17)) {
    return fail('check_digit_mismatch', 'The last character (校验码) does not match: the code has a typing error.');
  }
  return { ok: true, normalized, authority: authority.name, category };
}
