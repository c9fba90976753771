/** The shared field checks of the workbench records (S1.7, S1.8, S1.14, S1.17 rely on them). */
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { charCount, isCalendarDate, normalizeCode, readFen, readText, shanghaiDate, throwIfIssues, type FieldIssue } from './fields.ts';

describe('field checks', () => {
  it('S1.17 counts characters as code points', () => {
    expect(charCount('好好')).toBe(2);
    expect(charCount('👍a')).toBe(2);
  });

  it('S1.7 folds full-width codes and drops spaces', () => {
    expect(normalizeCode(' ｓｆ 1234\u3000567 ')).toBe('SF1234567');
  });

  it('S1.8 knows calendar dates and the date in China', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-2-1')).toBe(false);
    // 2026-03-01 17:00 UTC is already 03-02 in Shanghai
    expect(shanghaiDate(new Date('2026-03-01T17:00:00Z'))).toBe('2026-03-02');
    expect(shanghaiDate(new Date('2026-03-01T15:59:59Z'))).toBe('2026-03-01');
  });

  it('S1.7 readText trims, treats blank as absent, and bounds the length', () => {
    const issues: FieldIssue[] = [];
    expect(readText(issues, '  a  ', { field: 'x', label: 'X', min: 1, max: 3 })).toBe('a');
    expect(readText(issues, '  ', { field: 'optionalNote', label: 'N', min: 0, max: 3 })).toBeNull();
    expect(issues).toEqual([]);
    expect(readText(issues, 5, { field: 'x', label: 'X', min: 1, max: 3 })).toBeNull();
    expect(readText(issues, 'abcd', { field: 'x', label: 'X', min: 1, max: 3 })).toBeNull();
    expect(issues.map((i) => i.reason)).toEqual(['x_not_text', 'x_too_long']);
  });

  it('S1.14 readFen takes whole fen only', () => {
    const issues: FieldIssue[] = [];
    expect(readFen(issues, 0, { field: 'amountFen', label: 'A', min: 0 })).toBe(0);
    expect(readFen(issues, 0, { field: 'amountFen', label: 'A', min: 1 })).toBeNull();
    expect(readFen(issues, '100', { field: 'amountFen', label: 'A', min: 1 })).toBeNull();
    expect(readFen(issues, 2 ** 53, { field: 'amountFen', label: 'A', min: 1 })).toBeNull();
    expect(issues.map((i) => i.reason)).toEqual(['amount_fen_not_positive', 'amount_fen_not_integer_fen', 'amount_fen_not_integer_fen']);
  });

  it('S1.7 throwIfIssues throws VALIDATION_FAILED with the first issue as the reason, all issues listed', () => {
    expect(() => throwIfIssues('form', [])).not.toThrow();
    try {
      throwIfIssues('form', [
        { field: 'a', reason: 'a_required', message: 'A is required.' },
        { field: 'b', reason: 'b_too_long', message: 'B is long.', limit: 3 },
      ]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      const err = e as AppError;
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.message).toBe('form: A is required. B is long.');
      expect(err.details).toMatchObject({ reason: 'a_required', field: 'a' });
      expect((err.details?.issues as unknown[]).length).toBe(2);
    }
  });
});
