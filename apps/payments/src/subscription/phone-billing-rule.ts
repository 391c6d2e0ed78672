import {
  daysFromIssuingDay,
  isInWindowOf,
  issuingDayOf,
  PHONE_BILLING_DAY_TOLERANCE,
} from '../billing/phone-billing-window';
import type { FieldError } from '../common/errors/app-error';
import { periodStart } from './calendar/billing-calendar';
import type { BillingInterval, CalendarAnchor } from './calendar/billing-calendar';

/** A year of monthly anchors covers every month length the anchor day can meet (28 to 31 days). */
const MONTHS_CHECKED = 12;

/**
 * Guide §3.3.4 (NOTES 8), for a subscription on a phone billing key: monthly, the same amount as
 * at issuance (`firstAmount`, when known), and every charge day — the first at `startAt`, then each
 * anchor day, clamped in short months (billing-calendar.ts) — inside the ±5-day window of the
 * issuing day (billing/phone-billing-window.ts).
 */
export function checkPhoneBillingRule(
  sub: { interval: BillingInterval; anchorDay: number; amount: number; startAt: Date },
  key: { issuedAt: Date },
  firstAmount?: number,
): FieldError[] {
  const errors: FieldError[] = [];
  const issuedOn = issuingDayOf(key.issuedAt);
  if (sub.interval !== 'monthly')
    errors.push({ field: 'interval', message: 'a phone billing key can only be charged monthly (guide §3.3.4)' });
  const anchors = Array.from({ length: MONTHS_CHECKED }, (_, i) =>
    periodStart({ interval: 'monthly', startAt: sub.startAt, anchorDay: sub.anchorDay }, i + 1),
  );
  if (anchors.some((at) => daysFromIssuingDay(key.issuedAt, at) > PHONE_BILLING_DAY_TOLERANCE)) {
    errors.push({
      field: 'anchorDay',
      message: `a phone billing key issued on day ${issuedOn} must be charged within ${PHONE_BILLING_DAY_TOLERANCE} days of that day each month (guide §3.3.4)`,
    });
  }
  if (daysFromIssuingDay(key.issuedAt, sub.startAt) > PHONE_BILLING_DAY_TOLERANCE) {
    errors.push({
      field: 'startAt',
      message: `the first charge of a phone billing key issued on day ${issuedOn} must fall within ${PHONE_BILLING_DAY_TOLERANCE} days of that day (guide §3.3.4)`,
    });
  }
  if (firstAmount !== undefined && firstAmount !== sub.amount) {
    errors.push({
      field: 'amount',
      message: `a phone billing key is charged the same amount every month: ${firstAmount} KRW, as at issuance (guide §3.3.4)`,
    });
  }
  return errors;
}

/**
 * Where a subscription on a phone key goes on at `now` (a resume, a scheduler run after the window
 * closed): the period current at `now`, at once, while its own window is open; else the next
 * period, on its start. A period whose window closed unpaid is not charged in a later month's.
 */
export function nextPhoneCharge(
  s: CalendarAnchor & { periodIndex: number },
  issuedAt: Date,
  now: Date,
): { periodIndex: number; at: Date } {
  let periodIndex = s.periodIndex;
  while (periodStart(s, periodIndex + 1) <= now) periodIndex++;
  const start = periodStart(s, periodIndex);
  if (start > now) return { periodIndex, at: start };
  if (isInWindowOf(issuedAt, start, now)) return { periodIndex, at: now };
  return { periodIndex: periodIndex + 1, at: periodStart(s, periodIndex + 1) };
}
