/** The merchant's rate is counted in aligned one-second windows: [k s, (k+1) s) of the epoch. */
export const WINDOW_MS = 1_000;

/**
 * How long a granted request may take to reach the gateway (its payment row is written first, the
 * HTTP request travels). One granted this close to its window's end may arrive in the next window:
 * it is counted in both.
 */
export const SEND_ALLOWANCE_MS = 300;

/** The window `nowMs` falls in, as whole epoch seconds: the key every instance counts under. */
export function windowStartSecond(nowMs: number): number {
  return Math.floor(nowMs / WINDOW_MS);
}

/** Whether a request granted at `nowMs` may reach the gateway in the next window (the last SEND_ALLOWANCE_MS of a window). */
export function mayArriveInNextWindow(nowMs: number): boolean {
  return nowMs % WINDOW_MS >= WINDOW_MS - SEND_ALLOWANCE_MS;
}

/** When the next window starts, in epoch milliseconds. */
export function nextWindowStartMs(nowMs: number): number {
  return (windowStartSecond(nowMs) + 1) * WINDOW_MS;
}
