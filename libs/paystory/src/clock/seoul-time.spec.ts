import { fromSeoulStamp, toSeoulStamp } from './seoul-time';

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
