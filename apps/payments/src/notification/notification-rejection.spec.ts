import { toSeoulStamp } from '@app/paystory';
import { isFreshEdiDate } from './notification-rejection';

describe(isFreshEdiDate.name, () => {
  const now = new Date('2025-11-26T03:00:00Z');
  const minutesFromNow = (minutes: number) => toSeoulStamp(new Date(now.getTime() + minutes * 60_000));

  it.each([0, -29, 29, -30, 30])('is fresh %p minutes from now with a 30-minute limit', (minutes) => {
    expect(isFreshEdiDate(minutesFromNow(minutes), now, 30)).toBe(true);
  });

  it.each([-31, 31, -24 * 60])('is stale %p minutes from now with a 30-minute limit', (minutes) => {
    expect(isFreshEdiDate(minutesFromNow(minutes), now, 30)).toBe(false);
  });

  it('reads the stamp as Seoul time, whatever the server’s zone', () => {
    expect(isFreshEdiDate('20251126120000', now, 1)).toBe(true);
  });

  it.each(['', '2025112612000', '20251332120000', '2025-11-26 12:00'])(
    'is not fresh for the malformed stamp %p',
    (stamp) => {
      expect(isFreshEdiDate(stamp, now, 30)).toBe(false);
    },
  );
});
