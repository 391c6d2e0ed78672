/** However many attempts failed, a retry waits at most this long. */
export const MAX_BACKOFF_MS = 3_600_000;

export interface BackoffOptions {
  /** The delay after the first attempt, doubled after each one that follows; 0 retries at once. */
  baseMs: number;
  /** The cap of the doubling (one hour unless given). */
  maxMs?: number;
  /** A number in [0, 1); `Math.random` unless a spec injects its own. */
  random?: () => number;
}

/**
 * The wait before the next try after `attempt` failed tries (1 = the first): `baseMs · 2^(attempt − 1)`,
 * capped at `maxMs`, with equal jitter: half of it fixed, the other half random. Instances that
 * failed together (the gateway was down for all of them) then do not come back in step, and no retry
 * comes sooner than half its exponential delay. A base of 0 is always 0, with no randomness.
 */
export function backoffDelay(
  attempt: number,
  { baseMs, maxMs = MAX_BACKOFF_MS, random = Math.random }: BackoffOptions,
): number {
  if (baseMs <= 0) return 0;
  const exponential = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);
  const half = exponential / 2;
  return Math.round(half + random() * half);
}
