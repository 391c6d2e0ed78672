import { fromSeoulStamp, seoulStampByIntl, toSeoulStamp } from './seoul-time';

describe(toSeoulStamp.name, () => {
  it.each([
    ['2024-01-05T00:30:00Z', '20240105093000'],
    ['2024-07-01T06:15:30Z', '20240701151530'],
    ['2024-01-05T15:04:05Z', '20240106000405'],
    ['2023-12-31T15:00:00Z', '20240101000000'],
    ['2024-01-05T14:59:59Z', '20240105235959'],
  ])('stamps %s as %s on the 24-hour clock in Asia/Seoul', (iso, stamp) => {
    expect(toSeoulStamp(new Date(iso))).toBe(stamp);
  });

  const HOUR = 3_600_000;
  /** Seoul's midnights and year ends, with the second and the millisecond either side. */
  const edges = (utcMidnightOfSeoul: number): number[] =>
    [-1000, -1, 0, 1, 999, 1000].map((delta) => utcMidnightOfSeoul + delta);

  it.each([
    ['every Seoul year end from 1988 to 2100', range(1988, 2100).flatMap((y) => edges(Date.UTC(y, 0, 1) - 9 * HOUR))],
    [
      'every Seoul month start of 2023 to 2029 (leap day included)',
      range(2023, 2029).flatMap((y) => range(0, 11).flatMap((m) => edges(Date.UTC(y, m, 1) - 9 * HOUR))),
    ],
    ['every hour of 2024 (a leap year)', range(0, 366 * 24).map((h) => Date.UTC(2024, 0, 1) + h * HOUR)],
    ['20,000 pseudo-random instants from 1988 to 2200', pseudoRandomInstants(20_000)],
    [
      'the end of daylight saving time in 1988 and before it',
      [Date.UTC(1988, 9, 8, 16, 59, 59), Date.UTC(1988, 9, 8, 17), Date.UTC(1988, 6, 1)],
    ],
    ['1987 and 1970, under daylight saving time or not', [Date.UTC(1987, 6, 1), Date.UTC(1987, 0, 1), 0]],
  ])('agrees with Intl on %s', (_, instants) => {
    for (const ms of instants) expect([ms, toSeoulStamp(new Date(ms))]).toEqual([ms, seoulStampByIntl(new Date(ms))]);
  });

  it('throws for an invalid date, as Intl does', () => {
    expect(() => toSeoulStamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe(fromSeoulStamp.name, () => {
  it('reads a gateway stamp as Seoul time', () => {
    expect(fromSeoulStamp('20240106000405')?.toISOString()).toBe('2024-01-05T15:04:05.000Z');
  });

  it('round-trips with toSeoulStamp', () => {
    const instant = new Date('2024-07-01T06:15:30Z');
    expect(fromSeoulStamp(toSeoulStamp(instant))?.getTime()).toBe(instant.getTime());
  });

  it.each([undefined, '', '2024010600040', '2024-01-06 00:04', '20241306000405'])(
    'is undefined for the malformed stamp %p',
    (stamp) => {
      expect(fromSeoulStamp(stamp)).toBeUndefined();
    },
  );
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A fixed sequence (a linear congruential generator), so a failure names the same instant every run. */
function pseudoRandomInstants(count: number): number[] {
  const from = Date.UTC(1988, 9, 9);
  const span = Date.UTC(2200, 0, 1) - from;
  let seed = 17;
  return Array.from({ length: count }, () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return from + Math.floor((seed / 2_147_483_647) * span);
  });
}
