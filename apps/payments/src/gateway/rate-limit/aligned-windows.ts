/** The merchant's rate is counted in aligned one-second windows: [k s, (k+1) s) of the epoch. */
export const WINDOW_MS = 1_000;

/**
 * A slot granted this close to its window's end is counted in the next window too: its request
 * may not leave in time to land in the first. Earlier grants count in their own window only, and
 * their requests must leave in time for it (see {@link sendDeadlineMs}).
 */
export const SEND_ALLOWANCE_MS = 100;

/**
 * How long a request that has left this process may take to reach the gateway (a connection made,
 * the bytes across the network, the gateway's clock): a slot's request leaves no later than this
 * before the end of the last window the slot counts in.
 */
export const TRANSIT_MS = 50;

/** The window `nowMs` falls in, as whole epoch seconds: the key every instance counts under. */
export function windowStartSecond(nowMs: number): number {
  return Math.floor(nowMs / WINDOW_MS);
}

/** Whether a slot granted at `nowMs` counts in the next window too (the last SEND_ALLOWANCE_MS of a window). */
export function mayArriveInNextWindow(nowMs: number): boolean {
  return nowMs % WINDOW_MS >= WINDOW_MS - SEND_ALLOWANCE_MS;
}

/** When the next window starts, in epoch milliseconds. */
export function nextWindowStartMs(nowMs: number): number {
  return (windowStartSecond(nowMs) + 1) * WINDOW_MS;
}

/**
 * The last instant a request under a slot granted at `grantedAtMs` may leave: TRANSIT_MS before the
 * end of the last window the slot counts in (the next one too when `twoWindows`). A request that has
 * not left by then is not sent (it takes a new slot), so the gateway never sees it in a window that
 * did not count it.
 */
export function sendDeadlineMs(grantedAtMs: number, twoWindows = mayArriveInNextWindow(grantedAtMs)): number {
  return (windowStartSecond(grantedAtMs) + (twoWindows ? 2 : 1)) * WINDOW_MS - TRANSIT_MS;
}
