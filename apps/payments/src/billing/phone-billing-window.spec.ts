import {
  daysFromIssuingDay,
  isInIssuanceWindow,
  isInPhoneBillingWindow,
  isInWindowOf,
  phoneRetryAt,
} from './phone-billing-window';

const seoul = (wallClock: string) => new Date(`${wallClock}+09:00`);

describe('phone billing window (guide §3.3.4, NOTES 8)', () => {
  const issuedAt = seoul('2027-03-10T15:00:00');

  it('allows 5 days either side of the issuing day in any month, not 6', () => {
    expect(isInPhoneBillingWindow(issuedAt, seoul('2027-06-05T09:00:00'))).toBe(true);
    expect(isInPhoneBillingWindow(issuedAt, seoul('2027-06-15T23:59:00'))).toBe(true);
    expect(isInPhoneBillingWindow(issuedAt, seoul('2027-06-04T23:59:00'))).toBe(false);
    expect(isInPhoneBillingWindow(issuedAt, seoul('2027-06-16T00:00:00'))).toBe(false);
    expect(daysFromIssuingDay(issuedAt, seoul('2027-06-25T09:00:00'))).toBe(15);
  });

  it('counts across the month end, and a short month stands for a 31st on its last day', () => {
    const lastDay = seoul('2027-01-31T12:00:00');
    expect(daysFromIssuingDay(lastDay, seoul('2027-03-05T09:00:00'))).toBe(5); // from 28 February
    expect(daysFromIssuingDay(lastDay, seoul('2027-03-06T09:00:00'))).toBe(6);
    expect(daysFromIssuingDay(lastDay, seoul('2027-04-30T09:00:00'))).toBe(0);
    expect(daysFromIssuingDay(seoul('2027-12-29T09:00:00'), seoul('2028-01-02T09:00:00'))).toBe(4);
  });

  it('reads days in Asia/Seoul: 20:00 UTC on 30 April is 1 May', () => {
    const issued = new Date('2027-04-30T20:00:00Z');
    expect(daysFromIssuingDay(issued, seoul('2027-06-01T00:30:00'))).toBe(0);
    expect(daysFromIssuingDay(issued, new Date('2027-05-31T14:00:00Z'))).toBe(1); // 31 May, 23:00 in Seoul
  });

  it('tells the issuance window itself (the month the issuance paid) from later months', () => {
    expect(isInIssuanceWindow(issuedAt, seoul('2027-03-15T23:00:00'))).toBe(true);
    expect(isInIssuanceWindow(issuedAt, seoul('2027-03-16T00:00:00'))).toBe(false);
    expect(isInIssuanceWindow(issuedAt, seoul('2027-04-10T15:00:00'))).toBe(false);
  });

  it("tells a period's own window from the next month's", () => {
    const periodStart = seoul('2027-06-08T09:00:00');
    expect(isInWindowOf(issuedAt, periodStart, seoul('2027-06-15T09:00:00'))).toBe(true);
    expect(isInWindowOf(issuedAt, periodStart, seoul('2027-06-16T09:00:00'))).toBe(false);
    expect(isInWindowOf(issuedAt, periodStart, seoul('2027-07-08T09:00:00'))).toBe(false); // in a window, but July's
  });

  it("keeps a retry inside the period's window, moves one past it back to the last day, and drops it once the window closed", () => {
    const periodStart = seoul('2027-06-10T10:00:00');
    expect(phoneRetryAt(issuedAt, periodStart, periodStart, seoul('2027-06-11T10:00:00'))).toEqual(
      seoul('2027-06-11T10:00:00'),
    );
    expect(phoneRetryAt(issuedAt, periodStart, seoul('2027-06-14T10:00:00'), seoul('2027-06-19T10:00:00'))).toEqual(
      seoul('2027-06-15T10:00:00'),
    );
    expect(
      phoneRetryAt(issuedAt, periodStart, seoul('2027-06-15T10:00:00'), seoul('2027-06-20T10:00:00')),
    ).toBeUndefined();
    // A retry schedule long enough to reach next month's window still ends with this period's.
    expect(phoneRetryAt(issuedAt, periodStart, seoul('2027-06-14T10:00:00'), seoul('2027-07-09T10:00:00'))).toEqual(
      seoul('2027-06-15T10:00:00'),
    );
  });
});
