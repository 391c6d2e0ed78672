import { toSeoulStamp } from '@app/paystory';

/**
 * Guide §3.3.4 (NOTES 8): a phone billing key is charged the same amount every month, within ±5
 * days of the day of month it was issued. Days are Seoul calendar days; in a month shorter than
 * the issuing day (issued on the 31st) that month's last day stands for it.
 *
 * Pure, so that charges (one-off), subscriptions (creation, scheduler, dunning, resume) and the
 * billing keys themselves hold one rule.
 */
export const PHONE_BILLING_DAY_TOLERANCE = 5;

const DAY_MS = 86_400_000;

/** The Seoul day of month the key was issued on. */
export function issuingDayOf(issuedAt: Date): number {
  return seoulDay(issuedAt).day;
}

/** Calendar days from `at` to the nearest monthly recurrence of the issuing day. */
export function daysFromIssuingDay(issuedAt: Date, at: Date): number {
  return Math.abs(seoulDayNumber(at) - nearestRecurrence(issuedAt, at));
}

/** True when a phone key may be charged at `at`. */
export function isInPhoneBillingWindow(issuedAt: Date, at: Date): boolean {
  return daysFromIssuingDay(issuedAt, at) <= PHONE_BILLING_DAY_TOLERANCE;
}

/**
 * True when `at` is inside the very window `periodStart` falls in: a period is charged (first try,
 * retries, after a resume) in its own month's window only, never in the next one, which is the
 * next period's. Periods start inside a window (the anchor day is held to it).
 */
export function isInWindowOf(issuedAt: Date, periodStart: Date, at: Date): boolean {
  return Math.abs(seoulDayNumber(at) - nearestRecurrence(issuedAt, periodStart)) <= PHONE_BILLING_DAY_TOLERANCE;
}

/**
 * True when `at` falls in the window of the issuance itself: the month the payment made at
 * issuance (§3.1.3) already paid for.
 */
export function isInIssuanceWindow(issuedAt: Date, at: Date): boolean {
  return isInWindowOf(issuedAt, issuedAt, at);
}

/**
 * When a dunning retry of the period starting at `periodStart`, wanted at `wanted`, may run: then,
 * when inside the period's window; else on that window's last day (whole days earlier, same time
 * of day), if that is still after `now`; else never (undefined): the window closed.
 */
export function phoneRetryAt(issuedAt: Date, periodStart: Date, now: Date, wanted: Date): Date | undefined {
  for (let candidate = wanted; candidate > now; candidate = new Date(candidate.getTime() - DAY_MS)) {
    if (isInWindowOf(issuedAt, periodStart, candidate)) return candidate;
  }
  return undefined;
}

/** The Seoul day number of the issuing day's monthly recurrence (clamped in short months) nearest to `at`. */
function nearestRecurrence(issuedAt: Date, at: Date): number {
  const issuingDay = issuingDayOf(issuedAt);
  const { year, month } = seoulDay(at);
  const atDay = seoulDayNumber(at);
  let nearest = NaN;
  for (const offset of [-1, 0, 1]) {
    const y = year + Math.floor((month - 1 + offset) / 12);
    const m = ((month - 1 + offset + 12) % 12) + 1;
    const recurrence = Date.UTC(y, m - 1, Math.min(issuingDay, daysInMonth(y, m))) / DAY_MS;
    if (Number.isNaN(nearest) || Math.abs(atDay - recurrence) < Math.abs(atDay - nearest)) nearest = recurrence;
  }
  return nearest;
}

function seoulDay(instant: Date): { year: number; month: number; day: number } {
  const stamp = toSeoulStamp(instant);
  return { year: +stamp.slice(0, 4), month: +stamp.slice(4, 6), day: +stamp.slice(6, 8) };
}

function seoulDayNumber(instant: Date): number {
  const { year, month, day } = seoulDay(instant);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
