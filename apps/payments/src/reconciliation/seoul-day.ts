import { toSeoulStamp } from '@app/paystory';

/**
 * A reconciliation covers one Seoul calendar day, `YYYY-MM-DD`, from 00:00 to 24:00 Asia/Seoul
 * (the gateway's clock, NOTES item 11), whatever the server's own time zone.
 */
const SEOUL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The Seoul calendar date of an instant. */
export function seoulDateOf(instant: Date): string {
  const stamp = toSeoulStamp(instant);
  return `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}`;
}

/** Whether `value` is a real calendar date written `YYYY-MM-DD` (no 2025-02-30). */
export function isSeoulDate(value: unknown): value is string {
  if (typeof value !== 'string' || !SEOUL_DATE.test(value)) return false;
  const start = new Date(`${value}T00:00:00+09:00`);
  return !Number.isNaN(start.getTime()) && seoulDateOf(start) === value;
}

/** The instants the Seoul day starts and ends: [from, to). */
export function seoulDayBounds(date: string): { from: Date; to: Date } {
  const from = new Date(`${date}T00:00:00+09:00`);
  return { from, to: new Date(from.getTime() + 86_400_000) };
}

/** The Seoul day before `date`. */
export function previousSeoulDate(date: string): string {
  return seoulDateOf(new Date(seoulDayBounds(date).from.getTime() - 1));
}

/**
 * The day the daily job reconciles at `now`: the previous Seoul day, once the Seoul clock has
 * passed `runAt` (`HH:MM`); undefined before that, when yesterday's late records may still arrive.
 */
export function dueSeoulDate(now: Date, runAt: string): string | undefined {
  const seoulTime = toSeoulStamp(now).slice(8, 12);
  if (seoulTime < runAt.replace(':', '')) return undefined;
  return previousSeoulDate(seoulDateOf(now));
}
