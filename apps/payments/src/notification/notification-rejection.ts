import { fromSeoulStamp } from '@app/paystory';

/**
 * Why a notification was stored as REJECTED (never applied, answered 400). The code leads the
 * stored `reason`, so rejections can be grouped by it.
 * - `bad_hash`: `hashStr` does not verify for a configured merchant, or fields it needs are missing;
 * - `stale_edi_date`: the hash verifies, but `ediDate` is further from now than
 *   PAYSTORY_NOTI_MAX_SKEW_MINUTES (a replay of a captured notification, or a very late delivery).
 */
export type NotificationRejection = 'bad_hash' | 'stale_edi_date';

/** The field of the notification each rejection is about, named in the problem document's `errors`. */
export const REJECTED_FIELD: Readonly<Record<NotificationRejection, string>> = {
  bad_hash: 'hashStr',
  stale_edi_date: 'ediDate',
};

/**
 * Whether a notification stamped `ediDate` (Asia/Seoul `yyyyMMddHHmmss`, NOTES 11) is within
 * `maxSkewMinutes` of `now`, either way (the gateway's clock may run ahead of ours). A stamp that is
 * not a real instant is not fresh.
 */
export function isFreshEdiDate(ediDate: string, now: Date, maxSkewMinutes: number): boolean {
  const stamped = fromSeoulStamp(ediDate);
  return !!stamped && Math.abs(now.getTime() - stamped.getTime()) <= maxSkewMinutes * 60_000;
}
