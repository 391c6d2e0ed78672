/**
 * The gateway lives in Korea: every timestamp it reads or writes (`ediDate`, `appDtm`, …) is
 * `yyyyMMddHHmmss` on a 24-hour clock in Asia/Seoul, whatever the server's own time zone
 * (NOTES item 11). Korea keeps no daylight saving time, but we still ask Intl rather than add 9h.
 */
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
  const part = Object.fromEntries(seoulParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${part.year}${part.month}${part.day}${part.hour}${part.minute}${part.second}`;
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
