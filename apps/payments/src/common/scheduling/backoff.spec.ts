import { describe, expect, it } from '@jest/globals';
import { backoffDelay, MAX_BACKOFF_MS } from './backoff';

const lowest = () => 0;
const highest = () => 1 - Number.EPSILON;

describe(backoffDelay.name, () => {
  it('doubles from the base with each attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, { baseMs: 1_000, random: highest }))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, { baseMs: 1_000, random: lowest }))).toEqual([
      500, 1_000, 2_000, 4_000,
    ]);
  });

  it('treats an attempt below 1 as the first', () => {
    expect(backoffDelay(0, { baseMs: 1_000, random: highest })).toBe(1_000);
  });

  it('never waits longer than the cap, one hour unless given', () => {
    expect(backoffDelay(30, { baseMs: 30_000, random: highest })).toBe(MAX_BACKOFF_MS);
    expect(backoffDelay(30, { baseMs: 30_000, random: lowest })).toBe(MAX_BACKOFF_MS / 2);
    expect(backoffDelay(5_000, { baseMs: 30_000, random: highest })).toBe(MAX_BACKOFF_MS);
    expect(backoffDelay(10, { baseMs: 1_000, maxMs: 5_000, random: highest })).toBe(5_000);
  });

  it('spreads each delay between half and all of its exponential value, in whole milliseconds', () => {
    for (let i = 0; i < 1_000; i++) {
      const delay = backoffDelay(3, { baseMs: 30_000 });
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(60_000);
      expect(delay).toBeLessThanOrEqual(120_000);
    }
    expect(backoffDelay(3, { baseMs: 30_000, random: () => 0.5 })).toBe(90_000);
  });

  it('is 0 without drawing a random number when the base is 0', () => {
    const random = () => {
      throw new Error('no randomness expected');
    };
    expect([0, 1, 12, 5_000].map((attempt) => backoffDelay(attempt, { baseMs: 0, random }))).toEqual([0, 0, 0, 0]);
  });
});
