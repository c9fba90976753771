import { describe, expect, it } from 'vitest';
import { phoneSearchKey, storedPhoneKey } from './buyer-phone.ts';

describe('the buyer phone key (issue 16 §1)', () => {
  it('issue 16 §1: a mobile number written with spaces, dashes, brackets or a country code is one key', () => {
    for (const written of ['13812341234', '138 1234 1234', '138-1234-1234', '+86 138 1234 1234', '+8613812341234', '86 13812341234', '0086-138-1234-1234', ' 138\u30001234 1234 ', '(+86) 13812341234']) {
      expect(phoneSearchKey(written), written).toBe('13812341234');
    }
  });

  it('issue 16 §1: a landline with its area code keeps its leading 0', () => {
    expect(phoneSearchKey('0571-88886666')).toBe('057188886666');
    expect(phoneSearchKey('(010) 1234 5678')).toBe('01012345678');
    expect(phoneSearchKey('0571（88886666）')).toBe('057188886666');
  });

  it('issue 16 §1: what is not a phone number has no key (letters, too short or long, masked, a landline without its area code)', () => {
    for (const bad of ['', 'abc', '1381234123x', '1381234123', '138123412345', '138****1234', '88886666', '+1 415 555 0100', '86-0571-88886666', '0571-88886666-123', '23812341234', '++8613812341234']) {
      expect(phoneSearchKey(bad), bad).toBeNull();
    }
  });

  it('issue 16 §1: a stored number keys as the caller types it', () => {
    for (const stored of ['13812341234', '+86-138-1234-1234', '+86 138 1234 1234', '8613812341234', '0086 13812341234', '（138）1234-1234', '138\u30001234\u30001234']) {
      expect(storedPhoneKey(stored), stored).toBe('13812341234');
    }
    expect(storedPhoneKey('0571-88886666')).toBe(phoneSearchKey('0571 8888 6666'));
    // masked or odd values keep their characters: no caller's key equals them
    expect(storedPhoneKey('138****1234')).toBe('138****1234');
  });
});
