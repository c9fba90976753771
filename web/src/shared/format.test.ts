/** The web app's formatters: money, and deadlines on the Shanghai clock (issue 13 §8). */
import { describe, expect, it } from 'vitest';
import { deadlineText, parseYuan, yuan } from './format.ts';

const MARCH_2026 = Date.parse('2026-03-01T04:00:00.000Z');

describe('deadlineText', () => {
  it('S2.8 an end-of-day deadline (the platform decides by the 7th working day, 2026-03-02) is that day\'s 24:00, not the next day\'s 00:00', () => {
    // stored as the next day's 00:00 in Shanghai
    expect(deadlineText('2026-03-02T16:00:00.000Z', 'zh-CN', MARCH_2026)).toBe('3月2日 24:00 前');
    expect(deadlineText('2026-03-02T16:00:00.000Z', 'en', MARCH_2026)).toBe('by end of 2 Mar');
  });

  it('S3.7 a deadline within a day says the Shanghai time (the buyer sees when it ends)', () => {
    expect(deadlineText('2026-03-02T10:30:00.000Z', 'zh-CN', MARCH_2026)).toBe('3月2日 18:30 前');
    expect(deadlineText('2026-03-02T10:30:00.000Z', 'en', MARCH_2026)).toBe('by 18:30, 2 Mar');
    // one second after midnight is not the end of a day
    expect(deadlineText('2026-03-02T16:00:01.000Z', 'zh-CN', MARCH_2026)).toBe('3月3日 00:00 前');
    // 8 in the morning UTC is 16:00 in Shanghai, whatever the machine's own time zone
    expect(deadlineText('2026-03-02T08:00:00.000Z', 'zh-CN', MARCH_2026)).toBe('3月2日 16:00 前');
  });

  it('S5.8 the end of a month and of a year roll back to the right day; another year is named', () => {
    expect(deadlineText('2026-03-31T16:00:00.000Z', 'zh-CN', MARCH_2026)).toBe('3月31日 24:00 前');
    expect(deadlineText('2026-02-28T16:00:00.000Z', 'en', MARCH_2026)).toBe('by end of 28 Feb');
    // 2027-01-01 00:00 in Shanghai ends 31 Dec 2026, this year
    expect(deadlineText('2026-12-31T16:00:00.000Z', 'zh-CN', MARCH_2026)).toBe('12月31日 24:00 前');
    expect(deadlineText('2027-01-01T16:00:00.000Z', 'zh-CN', MARCH_2026)).toBe('2027年1月1日 24:00 前');
    expect(deadlineText('2027-01-01T16:00:00.000Z', 'en', MARCH_2026)).toBe('by end of 1 Jan 2027');
  });

  it('shows a dash for no deadline or one it cannot read', () => {
    expect(deadlineText(null, 'zh-CN')).toBe('—');
    expect(deadlineText(undefined, 'en')).toBe('—');
    expect(deadlineText('not a date', 'zh-CN')).toBe('—');
  });
});

describe('yuan and parseYuan', () => {
  it('fen are shown as yuan and typed yuan are read back as fen', () => {
    expect(yuan(123_456)).toBe('¥1,234.56');
    expect(yuan(null)).toBe('—');
    expect(parseYuan('12.3')).toBe(1230);
    expect(parseYuan('12.345')).toBeNull();
  });
});
