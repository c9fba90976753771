import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenToYuan, formatTopTime, parseTopTime, signText, signTop, yuanToFen } from './top-sign.ts';

/** The digest openssl computes over `text` (UTF-8 on stdin): independent of node:crypto and of our code. */
function openssl(args: string[], text: string): string {
  const out = execFileSync('openssl', ['dgst', ...args], { input: Buffer.from(text, 'utf8') }).toString('utf8');
  const m = /=\s*([0-9a-f]+)\s*$/.exec(out.trim());
  if (!m) throw new Error(`unexpected openssl output: ${out}`);
  return (m[1] as string).toUpperCase();
}

const secret = 'a1b2c3d4e5f6密钥';

function refuseParams(signMethod: string): Record<string, string> {
  return {
    method: 'taobao.refund.refuse',
    app_key: '12345678',
    session: '6100e23657fb0b2d0c78568e55a3031134be9a3a5d4b3a365753805',
    timestamp: '2026-03-01 12:30:45',
    format: 'json',
    v: '2.0',
    sign_method: signMethod,
    refund_id: '9876543210987654321',
    refuse_message: '您好，商品已签收 & 无质量问题=请核实（7天无理由不适用）',
    refund_phase: 'aftersale',
    refund_version: '1700000000123',
    refuse_reason_id: '',
    sign: 'IGNORED',
  };
}

/** Written out by hand: names sorted byte-wise, empty and `sign` left out. */
function expectedText(signMethod: string): string {
  return (
    'app_key12345678' +
    'formatjson' +
    'methodtaobao.refund.refuse' +
    'refund_id9876543210987654321' +
    'refund_phaseaftersale' +
    'refund_version1700000000123' +
    'refuse_message您好，商品已签收 & 无质量问题=请核实（7天无理由不适用）' +
    'session6100e23657fb0b2d0c78568e55a3031134be9a3a5d4b3a365753805' +
    `sign_method${signMethod}` +
    'timestamp2026-03-01 12:30:45' +
    'v2.0'
  );
}

describe('TOP signing', () => {
  it('builds the signed text: sorted byte-wise, no separators, no empty values, no sign', () => {
    expect(signText(refuseParams('md5'))).toBe(expectedText('md5'));
    // byte order: upper case before lower case, '_' (0x5f) before letters
    expect(signText({ b: '1', B: '2', a_b: '3', ab: '4' })).toBe('B2a_b3ab4b1');
  });

  it('md5 = MD5(secret + text + secret), as openssl computes it', () => {
    const expected = openssl(['-md5'], `${secret}${expectedText('md5')}${secret}`);
    expect(signTop(refuseParams('md5'), secret, 'md5')).toBe(expected);
  });

  it('hmac = HMAC-MD5 keyed with the secret, as openssl computes it', () => {
    const expected = openssl(['-md5', '-hmac', secret], expectedText('hmac'));
    expect(signTop(refuseParams('hmac'), secret, 'hmac')).toBe(expected);
  });

  it('hmac-sha256 = HMAC-SHA256 keyed with the secret, as openssl computes it', () => {
    const expected = openssl(['-sha256', '-hmac', secret], expectedText('hmac-sha256'));
    expect(signTop(refuseParams('hmac-sha256'), secret, 'hmac-sha256')).toBe(expected);
    expect(expected).toMatch(/^[0-9A-F]{64}$/);
  });

  it('a known MD5 vector (RFC 1321) through openssl, to check the helper itself', () => {
    expect(openssl(['-md5'], 'abc')).toBe('900150983CD24FB0D6963F7D28E17F72');
  });
});

describe('yuanToFen / fenToYuan', () => {
  it.each([
    ['0', 0],
    ['0.00', 0],
    ['0.01', 1],
    ['0.1', 10],
    ['0.5', 50],
    ['1', 100],
    ['12', 1200],
    ['200.07', 20007],
    ['1.15', 115], // 1.15 * 100 = 114.99999999999999 in floating point
    ['4.35', 435], // 434.99999999999994
    ['8.2', 820],
    ['19.99', 1999],
    ['1005.02', 100502],
    ['999999999999.99', 99999999999999],
    [' 3.50 ', 350],
  ])('%j → %i fen', (text, fen) => {
    expect(yuanToFen(text)).toBe(fen);
  });

  it.each(['', ' ', '-1', '-0.01', '+1', '1.234', '1.', '.5', '00.5', '01', '1e3', '1,000.00', '12.3.4', 'NaN', 'Infinity', '0x10', '１２', '1 000', '1000000000000.00', 'abc'])(
    '%j is not an amount',
    (text) => {
      expect(yuanToFen(text)).toBeNull();
    },
  );

  it.each([12.5, 12, null, undefined, {}, [], true, 10n])('a non-string %s is not an amount', (value) => {
    expect(yuanToFen(value)).toBeNull();
  });

  it('fenToYuan writes two decimals and refuses what is not fen', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(1)).toBe('0.01');
    expect(fenToYuan(10)).toBe('0.10');
    expect(fenToYuan(20007)).toBe('200.07');
    expect(fenToYuan(99999999999999)).toBe('999999999999.99');
    for (const bad of [-1, 0.5, NaN, Infinity, 2 ** 53]) expect(() => fenToYuan(bad)).toThrow();
  });

  it('round-trips every amount in fen (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99999999999999 }), (fen) => {
        expect(yuanToFen(fenToYuan(fen))).toBe(fen);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads yuan text exactly, with no floating-point path (property against BigInt arithmetic)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999999999999n }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 99 }), (yuan, decimals, cents) => {
        const frac = decimals === 0 ? '' : decimals === 1 ? `.${Math.floor(cents / 10)}` : `.${String(cents).padStart(2, '0')}`;
        const text = `${yuan}${frac}`;
        const expectedFen = yuan * 100n + BigInt(decimals === 0 ? 0 : decimals === 1 ? Math.floor(cents / 10) * 10 : cents);
        expect(yuanToFen(text)).toBe(Number(expectedFen));
        if (decimals === 2) expect(fenToYuan(Number(expectedFen))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('TOP time (GMT+8, no daylight saving)', () => {
  it('formats and parses known instants', () => {
    expect(formatTopTime(new Date('2026-03-01T04:30:45Z'))).toBe('2026-03-01 12:30:45');
    expect(formatTopTime(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01 00:00:00');
    expect(parseTopTime('2026-01-01 00:00:00')?.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(parseTopTime('2024-02-29 23:59:59')?.toISOString()).toBe('2024-02-29T15:59:59.000Z');
  });

  it.each(['', '2026-02-30 10:00:00', '2026-13-01 00:00:00', '2026-01-01 24:00:00', '2026-01-01 23:60:00', '2026-01-01 23:59:60', '2026-01-01T10:00:00', '2026-1-1 10:00:00', '2026-01-01', '0099-01-01 00:00:00', 'soon'])(
    '%j is not a TOP time',
    (text) => {
      expect(parseTopTime(text)).toBeNull();
    },
  );

  it.each([null, undefined, 1700000000000, {}])('a non-string %j is not a TOP time', (value) => {
    expect(parseTopTime(value)).toBeNull();
  });

  it('agrees with Asia/Shanghai as Intl knows it, and round-trips (property; seconds precision)', () => {
    const shanghai = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    const intl = (d: Date): string => {
      const p = Object.fromEntries(shanghai.formatToParts(d).map((x) => [x.type, x.value]));
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
    };
    // China has had no daylight saving time since 1991
    const from = Date.UTC(1992, 0, 1);
    const to = Date.UTC(2099, 11, 31);
    fc.assert(
      fc.property(fc.integer({ min: from / 1000, max: to / 1000 }), (seconds) => {
        const at = new Date(seconds * 1000);
        const text = formatTopTime(at);
        expect(text).toBe(intl(at));
        expect(parseTopTime(text)?.getTime()).toBe(at.getTime());
      }),
      { numRuns: 3000 },
    );
  });

  it('is eight hours ahead of UTC on the dates other zones change their clocks', () => {
    for (const iso of ['2026-03-08T07:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-11-01T06:00:00Z']) {
      const at = new Date(iso);
      const text = formatTopTime(at);
      expect(parseTopTime(text)?.getTime()).toBe(at.getTime());
      expect(text.slice(11, 13)).toBe(String((at.getUTCHours() + 8) % 24).padStart(2, '0'));
    }
  });
});
