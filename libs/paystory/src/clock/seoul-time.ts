/**
 * The gateway lives in Korea: every timestamp it reads or writes (`ediDate`, `appDtm`, …) is
 * `yyyyMMddHHmmss` on a 24-hour clock in Asia/Seoul, whatever the server's own time zone
 * (NOTES item 11). Korea has kept UTC+9 all year since 1988 (no daylight saving time): from then
 * on the stamp is UTC plus nine hours, some 20 times cheaper than Intl, which is asked for
 * anything earlier and is the reference the unit test checks the arithmetic against.
 */
const SEOUL_OFFSET_MS = 9 * 3_600_000;
/** 1988-10-09T03:00:00+10:00, when Korea's last daylight saving time ended. */
const FIXED_OFFSET_SINCE_MS = Date.UTC(1988, 9, 8, 17);
const LAST_FOUR_DIGIT_YEAR_ENDS_MS = Date.UTC(9999, 11, 31, 15);

const seoulParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Seoul',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export function toSeoulStamp(instant: Date): string {
  const ms = instant.getTime();
  // Before 1988, past year 9999 and for an invalid date (NaN), Intl answers (or throws) as it always did.
  if (!(ms >= FIXED_OFFSET_SINCE_MS && ms < LAST_FOUR_DIGIT_YEAR_ENDS_MS)) return seoulStampByIntl(instant);
  const seoul = new Date(ms + SEOUL_OFFSET_MS);
  return (
    String(seoul.getUTCFullYear()) +
    twoDigits(seoul.getUTCMonth() + 1) +
    twoDigits(seoul.getUTCDate()) +
    twoDigits(seoul.getUTCHours()) +
    twoDigits(seoul.getUTCMinutes()) +
    twoDigits(seoul.getUTCSeconds())
  );
}

/** The stamp as Intl's time-zone data has it. */
export function seoulStampByIntl(instant: Date): string {
  const part = Object.fromEntries(seoulParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${part.year}${part.month}${part.day}${part.hour}${part.minute}${part.second}`;
}

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Reads a gateway stamp (`yyyyMMddHHmmss`, Asia/Seoul) back into an instant; undefined when malformed. */
export function fromSeoulStamp(stamp: string | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(stamp ?? '');
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const instant = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}+09:00`);
  // Date rolls impossible days over (0230 → 0302): only a stamp that survives the round trip is real.
  return Number.isNaN(instant.getTime()) || toSeoulStamp(instant) !== stamp ? undefined : instant;
}
