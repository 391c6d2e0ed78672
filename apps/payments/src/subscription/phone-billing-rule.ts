import type { FieldError } from '../common/errors/app-error';
import { daysInMonth, seoulDate } from './calendar/billing-calendar';
import type { BillingInterval } from './calendar/billing-calendar';

/** Phone billing charges must fall within this many days of the key's issuing day (guide §3.3.4). */
export const PHONE_BILLING_DAY_TOLERANCE = 5;

/**
 * Guide §3.3.4 (NOTES 8): a phone billing key is charged the same amount every month, within
 * ±5 days of the day it was issued. `firstAmount` is the amount charged at issuance when known.
 * The first charge is at `startAt` (billing-calendar.ts), so its day is held to the rule too.
 */
export function checkPhoneBillingRule(sub: { interval: BillingInterval; anchorDay: number; amount: number; startAt: Date }, key: { issuedAt: Date }, firstAmount?: number): FieldError[] {
  const errors: FieldError[] = [];
  if (sub.interval !== 'monthly') errors.push({ field: 'interval', message: 'a phone billing key can only be charged monthly (guide §3.3.4)' });
  const issued = seoulDate(key.issuedAt);
  const monthLength = daysInMonth(issued.year, issued.month);
  const distance = (day: number) => Math.min(Math.abs(day - issued.day), monthLength - Math.abs(day - issued.day));
  if (distance(sub.anchorDay) > PHONE_BILLING_DAY_TOLERANCE) {
    errors.push({ field: 'anchorDay', message: `a phone billing key issued on day ${issued.day} must be charged within ${PHONE_BILLING_DAY_TOLERANCE} days of that day each month (guide §3.3.4)` });
  }
  if (distance(seoulDate(sub.startAt).day) > PHONE_BILLING_DAY_TOLERANCE) {
    errors.push({ field: 'startAt', message: `the first charge of a phone billing key issued on day ${issued.day} must fall within ${PHONE_BILLING_DAY_TOLERANCE} days of that day (guide §3.3.4)` });
  }
  if (firstAmount !== undefined && firstAmount !== sub.amount) {
    errors.push({ field: 'amount', message: `a phone billing key is charged the same amount every month: ${firstAmount} KRW, as at issuance (guide §3.3.4)` });
  }
  return errors;
}
