import { fromSeoulStamp, toSeoulStamp } from '@app/paystory';

export type BillingInterval = 'weekly' | 'monthly' | 'yearly';

/**
 * When a subscription's periods start. All calendar arithmetic is on the Asia/Seoul wall clock:
 * a period starts on the anchor day at the Seoul time of day of `startAt`.
 *
 * - Period 0 starts at `startAt` and is charged then: a subscription created mid-period pays its
 *   first period in full at once (no proration), and its next charge falls on the next anchor day.
 * - monthly: the anchor is a day of month (1–31); in a shorter month the period starts on its last
 *   day (anchor 31 → 30 April, 28 or 29 February), and goes back to the anchor the month after.
 * - yearly: the anchor day in `startAt`'s month each year (29 February → 28 February in common years).
 * - weekly: the anchor is an ISO weekday (1 Monday … 7 Sunday).
 */
export interface CalendarAnchor {
  interval: BillingInterval;
  startAt: Date;
  /** Day of month (monthly, yearly) or ISO weekday (weekly). Defaults to `startAt`'s. */
  anchorDay: number;
}

interface SeoulDate {
  year: number;
  month: number; // 1–12
  day: number;
  time: string; // HHmmss
}

export function seoulDate(instant: Date): SeoulDate {
  const stamp = toSeoulStamp(instant);
  return { year: +stamp.slice(0, 4), month: +stamp.slice(4, 6), day: +stamp.slice(6, 8), time: stamp.slice(8) };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** ISO weekday (1 Monday … 7 Sunday) of a Seoul calendar date. */
export function isoWeekday(d: Pick<SeoulDate, 'year' | 'month' | 'day'>): number {
  const weekday = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

export function defaultAnchorDay(interval: BillingInterval, startAt: Date): number {
  const start = seoulDate(startAt);
  return interval === 'weekly' ? isoWeekday(start) : start.day;
}

/** The instant period `index` starts (index 0 is `startAt` itself). */
export function periodStart(anchor: CalendarAnchor, index: number): Date {
  if (index === 0) return anchor.startAt;
  const start = seoulDate(anchor.startAt);
  switch (anchor.interval) {
    case 'monthly': {
      // The first anchor date strictly after the start date, then one month per period.
      const firstOffset = start.day < Math.min(anchor.anchorDay, daysInMonth(start.year, start.month)) ? 0 : 1;
      return monthAnchor(start, firstOffset + index - 1, anchor.anchorDay);
    }
    case 'yearly': {
      const thisYear = Math.min(anchor.anchorDay, daysInMonth(start.year, start.month));
      const firstOffset = start.day < thisYear ? 0 : 12;
      return monthAnchor(start, firstOffset + (index - 1) * 12, anchor.anchorDay);
    }
    case 'weekly': {
      const ahead = (anchor.anchorDay - isoWeekday(start) + 7) % 7 || 7;
      return atSeoul(start.year, start.month, start.day + ahead + (index - 1) * 7, start.time);
    }
  }
}

function monthAnchor(start: SeoulDate, monthsAhead: number, anchorDay: number): Date {
  const monthIndex = start.month - 1 + monthsAhead;
  const year = start.year + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  return atSeoul(year, month, Math.min(anchorDay, daysInMonth(year, month)), start.time);
}

/** A Seoul wall-clock date (day may overflow the month; it rolls over) as an instant. */
function atSeoul(year: number, month: number, day: number, time: string): Date {
  const utcMidnight = new Date(Date.UTC(year, month - 1, day));
  const stamp = `${utcMidnight.getUTCFullYear()}${pad(utcMidnight.getUTCMonth() + 1)}${pad(utcMidnight.getUTCDate())}${time}`;
  const instant = fromSeoulStamp(stamp);
  if (!instant) throw new Error(`Not a Seoul date: ${stamp}`);
  return instant;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
