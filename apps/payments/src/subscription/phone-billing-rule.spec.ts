import { checkPhoneBillingRule, nextPhoneCharge } from './phone-billing-rule';

const seoul = (wallClock: string) => new Date(`${wallClock}+09:00`);
const fields = (errors: { field: string }[]) => errors.map((e) => e.field);

describe('checkPhoneBillingRule (guide §3.3.4, NOTES 8)', () => {
  const key = { issuedAt: seoul('2027-03-10T15:00:00') };
  const monthly = { interval: 'monthly' as const, anchorDay: 10, amount: 9_900, startAt: seoul('2027-04-10T09:00:00') };

  it('accepts the same amount monthly on the issuing day', () => {
    expect(checkPhoneBillingRule(monthly, key, 9_900)).toEqual([]);
  });

  it('accepts an anchor and a first charge 5 days either side of the issuing day, not 6', () => {
    expect(checkPhoneBillingRule({ ...monthly, anchorDay: 5, startAt: seoul('2027-04-15T09:00:00') }, key)).toEqual([]);
    expect(checkPhoneBillingRule({ ...monthly, anchorDay: 15, startAt: seoul('2027-04-05T09:00:00') }, key)).toEqual(
      [],
    );
    expect(fields(checkPhoneBillingRule({ ...monthly, anchorDay: 4 }, key))).toEqual(['anchorDay']);
    expect(fields(checkPhoneBillingRule({ ...monthly, anchorDay: 16 }, key))).toEqual(['anchorDay']);
  });

  it('counts days across the month end (issued on the 31st: the 5th is 5 days on, the 6th is 6)', () => {
    const lastDay = { issuedAt: seoul('2027-01-31T12:00:00') };
    expect(checkPhoneBillingRule({ ...monthly, anchorDay: 5, startAt: seoul('2027-02-26T09:00:00') }, lastDay)).toEqual(
      [],
    );
    expect(
      fields(checkPhoneBillingRule({ ...monthly, anchorDay: 6, startAt: seoul('2027-02-26T09:00:00') }, lastDay)),
    ).toEqual(['anchorDay']);
  });

  it('holds every anchor day of the year to the window, not only the one in the month of issuance', () => {
    // Issued 6 February: the 28th (the 31st clamped) is 6 days before 6 March, but 31 March is 6 days before 6 April.
    const february = { issuedAt: seoul('2027-02-06T12:00:00') };
    expect(
      fields(checkPhoneBillingRule({ ...monthly, anchorDay: 31, startAt: seoul('2027-02-06T12:00:00') }, february)),
    ).toEqual(['anchorDay']);
    expect(
      checkPhoneBillingRule({ ...monthly, anchorDay: 1, startAt: seoul('2027-02-06T12:00:00') }, february),
    ).toEqual([]);
  });

  it('reads the issuing day in Asia/Seoul: 20:00 UTC on 30 April is 1 May', () => {
    const issuedAt = new Date('2027-04-30T20:00:00Z');
    expect(
      checkPhoneBillingRule({ ...monthly, anchorDay: 28, startAt: seoul('2027-05-28T09:00:00') }, { issuedAt }),
    ).toEqual([]);
    expect(
      fields(checkPhoneBillingRule({ ...monthly, anchorDay: 25, startAt: seoul('2027-05-28T09:00:00') }, { issuedAt })),
    ).toEqual(['anchorDay']);
  });

  it('refuses a first charge (startAt) far from the issuing day even on a good anchor', () => {
    const errors = checkPhoneBillingRule({ ...monthly, startAt: seoul('2027-03-25T09:00:00') }, key);
    expect(errors).toEqual([{ field: 'startAt', message: expect.stringContaining('day 10') }]);
  });

  it('refuses weekly and yearly intervals', () => {
    expect(fields(checkPhoneBillingRule({ ...monthly, interval: 'weekly', anchorDay: 3 }, key))).toContain('interval');
    expect(fields(checkPhoneBillingRule({ ...monthly, interval: 'yearly' }, key))).toEqual(['interval']);
  });

  it('refuses another amount than the one charged at issuance, and cannot check it when that is unknown', () => {
    expect(checkPhoneBillingRule({ ...monthly, amount: 10_000 }, key, 9_900)).toEqual([
      { field: 'amount', message: expect.stringContaining('9900 KRW') },
    ]);
    expect(checkPhoneBillingRule({ ...monthly, amount: 10_000 }, key)).toEqual([]);
  });

  describe('nextPhoneCharge: where a phone subscription goes on', () => {
    const subscription = {
      interval: 'monthly' as const,
      startAt: seoul('2027-03-10T15:00:00'),
      anchorDay: 10,
      periodIndex: 1,
    };

    it('charges the current period at once while its own window is open', () => {
      expect(nextPhoneCharge(subscription, key.issuedAt, seoul('2027-04-14T08:00:00'))).toEqual({
        periodIndex: 1,
        at: seoul('2027-04-14T08:00:00'),
      });
    });

    it("goes on with the next period on its start once the current one's window closed", () => {
      expect(nextPhoneCharge(subscription, key.issuedAt, seoul('2027-04-16T08:00:00'))).toEqual({
        periodIndex: 2,
        at: seoul('2027-05-10T15:00:00'),
      });
      expect(nextPhoneCharge(subscription, key.issuedAt, seoul('2027-05-06T08:00:00'))).toEqual({
        periodIndex: 2,
        at: seoul('2027-05-10T15:00:00'),
      });
    });

    it('waits for a period that has not started', () => {
      expect(nextPhoneCharge({ ...subscription, periodIndex: 3 }, key.issuedAt, seoul('2027-04-16T08:00:00'))).toEqual({
        periodIndex: 3,
        at: seoul('2027-06-10T15:00:00'),
      });
    });
  });
});
