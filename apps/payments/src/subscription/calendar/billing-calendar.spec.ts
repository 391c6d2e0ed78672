import { defaultAnchorDay, isoWeekday, periodStart, seoulDate } from './billing-calendar';

const seoul = (iso: string) => new Date(`${iso}+09:00`);
const starts = (anchor: Parameters<typeof periodStart>[0], count: number) =>
  Array.from({ length: count }, (_, i) => periodStart(anchor, i).toISOString());

describe('billing calendar', () => {
  it('puts a 31st anchor on the last day of shorter months and back on the 31st after', () => {
    const anchor = { interval: 'monthly' as const, startAt: seoul('2027-01-31T10:00:00'), anchorDay: 31 };
    expect(starts(anchor, 6)).toEqual([
      seoul('2027-01-31T10:00:00').toISOString(),
      seoul('2027-02-28T10:00:00').toISOString(),
      seoul('2027-03-31T10:00:00').toISOString(),
      seoul('2027-04-30T10:00:00').toISOString(),
      seoul('2027-05-31T10:00:00').toISOString(),
      seoul('2027-06-30T10:00:00').toISOString(),
    ]);
  });

  it('uses 29 February in a leap year', () => {
    const anchor = { interval: 'monthly' as const, startAt: seoul('2028-01-30T00:00:00'), anchorDay: 30 };
    expect(periodStart(anchor, 1)).toEqual(seoul('2028-02-29T00:00:00'));
    expect(periodStart(anchor, 2)).toEqual(seoul('2028-03-30T00:00:00'));
  });

  it('charges a subscription created mid-period at once, then on the next anchor day', () => {
    const anchor = { interval: 'monthly' as const, startAt: seoul('2027-03-10T09:30:00'), anchorDay: 25 };
    expect(periodStart(anchor, 0)).toEqual(seoul('2027-03-10T09:30:00'));
    expect(periodStart(anchor, 1)).toEqual(seoul('2027-03-25T09:30:00'));
    expect(periodStart(anchor, 2)).toEqual(seoul('2027-04-25T09:30:00'));
  });

  it('moves a yearly 29 February anchor to 28 February in common years', () => {
    const anchor = { interval: 'yearly' as const, startAt: seoul('2028-02-29T12:00:00'), anchorDay: 29 };
    expect(periodStart(anchor, 1)).toEqual(seoul('2029-02-28T12:00:00'));
    expect(periodStart(anchor, 4)).toEqual(seoul('2032-02-29T12:00:00'));
  });

  it('counts weekly periods from the next anchor weekday', () => {
    // 2027-03-10 is a Wednesday (3); anchor Monday (1).
    const anchor = { interval: 'weekly' as const, startAt: seoul('2027-03-10T08:00:00'), anchorDay: 1 };
    expect(isoWeekday({ year: 2027, month: 3, day: 10 })).toBe(3);
    expect(periodStart(anchor, 1)).toEqual(seoul('2027-03-15T08:00:00'));
    expect(periodStart(anchor, 2)).toEqual(seoul('2027-03-22T08:00:00'));
  });

  it('reads days in Asia/Seoul, not in the server time zone', () => {
    // 16:30 UTC on 31 March is already 1 April in Seoul.
    const startAt = new Date('2027-03-31T16:30:00Z');
    expect(seoulDate(startAt)).toMatchObject({ year: 2027, month: 4, day: 1, time: '013000' });
    expect(defaultAnchorDay('monthly', startAt)).toBe(1);
    expect(periodStart({ interval: 'monthly', startAt, anchorDay: 1 }, 1)).toEqual(new Date('2027-04-30T16:30:00Z'));
  });
});
