import { describe, expect, it } from '@jest/globals';
import { dueSeoulDate, isSeoulDate, previousSeoulDate, seoulDateOf, seoulDayBounds } from './seoul-day';

describe('Seoul days', () => {
  it('reads the Seoul calendar date of an instant, nine hours ahead of UTC', () => {
    expect(seoulDateOf(new Date('2026-03-01T14:59:59Z'))).toBe('2026-03-01');
    expect(seoulDateOf(new Date('2026-03-01T15:00:00Z'))).toBe('2026-03-02');
  });

  it('accepts only real dates written YYYY-MM-DD', () => {
    expect(isSeoulDate('2028-02-29')).toBe(true);
    for (const bad of ['2027-02-29', '2026-13-01', '2026-1-01', '20260101', '2026-01-01T00:00', '', 20260101, null])
      expect(isSeoulDate(bad)).toBe(false);
  });

  it('bounds a day from 00:00 to 24:00 Asia/Seoul', () => {
    expect(seoulDayBounds('2026-01-01')).toEqual({
      from: new Date('2025-12-31T15:00:00Z'),
      to: new Date('2026-01-01T15:00:00Z'),
    });
    expect(previousSeoulDate('2026-03-01')).toBe('2026-02-28');
  });

  it('makes the previous day due once the Seoul clock passes the configured time', () => {
    expect(dueSeoulDate(new Date('2026-03-01T02:59:00+09:00'), '03:00')).toBeUndefined();
    expect(dueSeoulDate(new Date('2026-03-01T03:00:00+09:00'), '03:00')).toBe('2026-02-28');
    expect(dueSeoulDate(new Date('2026-03-01T23:59:00+09:00'), '03:00')).toBe('2026-02-28');
    expect(dueSeoulDate(new Date('2026-03-01T00:00:00+09:00'), '00:00')).toBe('2026-02-28');
  });
});
